//! `pacesim msel export`: the scenario's MSEL as a spreadsheet, to a file
//! or standard output.

use std::path::Path;

use super::say;
use crate::cli::is_stdout;
use crate::error::Failure;
use crate::output::write_atomic;
use crate::scenario;

pub fn export(scenario: &Path, out: &Path) -> Result<(), Failure> {
    let loaded = scenario::load_file(scenario)?;
    let csv = scenario::msel::export(&loaded.scenario).map_err(Failure::Run)?;
    if is_stdout(out) {
        return say(&csv);
    }
    write_atomic(out, |w| w.write_all(csv.as_bytes())).map_err(Failure::Run)?;
    say(&format!(
        "wrote {} ({} injects)\n",
        out.display(),
        loaded.scenario.msel.len()
    ))
}
