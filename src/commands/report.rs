//! `pacesim report`: the after-action report and improvement plan of a run
//! or batch directory, as Markdown, HTML or JSON, to a file or standard output.

use std::path::Path;

use super::say;
use crate::cli::{Format, is_stdout};
use crate::error::Failure;
use crate::output::write_atomic;
use crate::report::aar;

pub fn report(dir: &Path, format: Format, out: Option<&Path>) -> Result<(), Failure> {
    let a = aar::build(dir)?;
    let text = match format {
        Format::Md => aar::markdown(&a),
        Format::Html => aar::html(&a),
        Format::Json => {
            serde_json::to_string_pretty(&a).map_err(|e| Failure::Run(e.to_string()))? + "\n"
        }
    };
    match out.filter(|p| !is_stdout(p)) {
        Some(p) => {
            write_atomic(p, |w| w.write_all(text.as_bytes())).map_err(Failure::Run)?;
            say(&format!("wrote {}\n", p.display()))
        }
        None => say(&text),
    }
}
