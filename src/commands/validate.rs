//! `pacesim validate`: checks scenario and playbook files, printing `ok` or
//! `invalid` for each and every problem with its `file:line:col`.

use std::path::{Path, PathBuf};

use super::say;
use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::playbook;
use crate::response::eu::mechanisms;
use crate::scenario;

/// Does this text hold a playbook (rather than a scenario)? Looks at the
/// first identifier after whitespace and comments.
fn is_playbook(text: &str) -> bool {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.split_once('\n').map_or("", |x| x.1);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |x| x.1);
        } else {
            break;
        }
    }
    rest.starts_with("Playbook")
}

fn invalid(f: &Path, problems: Vec<Diagnostic>, all: &mut Vec<Diagnostic>) -> String {
    let n = problems.len();
    all.extend(problems);
    format!(
        "invalid: {} ({n} problem{})\n",
        f.display(),
        if n == 1 { "" } else { "s" }
    )
}

pub fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut all = Vec::new();
    for f in files {
        // The first few kilobytes tell a playbook from a scenario (bounded:
        // the file may be a device that never ends).
        let mut head = Vec::new();
        if let Ok(file) = std::fs::File::open(f) {
            let _ = std::io::Read::read_to_end(&mut std::io::Read::take(file, 1 << 16), &mut head);
        }
        if is_playbook(&String::from_utf8_lossy(&head)) {
            match playbook::load_file(f) {
                Ok(l) => {
                    let r = mechanisms::merge(std::slice::from_ref(&l));
                    let named: Vec<&str> = mechanisms::present(&r).map(|m| m.name).collect();
                    say(&format!(
                        "ok: {} (playbook {}: {})\n",
                        f.display(),
                        l.playbook.name,
                        if named.is_empty() {
                            "national responders only".to_string()
                        } else {
                            named.join(", ")
                        }
                    ))?;
                }
                Err(d) => say(&invalid(f, d, &mut all))?,
            }
            continue;
        }
        let checked = scenario::load_file(f)
            .and_then(|l| playbook::load_named(&l.source.name, &l.scenario.playbooks).map(|_| l));
        match checked {
            Ok(l) => {
                let s = &l.scenario;
                say(&format!(
                    "ok: {} ({}: {} countries, {} infrastructure nodes, {} campaigns, {} injects, {} objectives)\n",
                    f.display(),
                    s.name,
                    s.countries.len(),
                    s.infrastructure.nodes.len(),
                    s.campaigns.len(),
                    s.msel.len(),
                    s.objectives.len()
                ))?;
            }
            Err(d) => say(&invalid(f, d, &mut all))?,
        }
    }
    if all.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(all))
    }
}
