//! `pacesim replay`: a recorded exercise re-run headless, to the same log
//! hash the live session printed. Refuses a journal of other inputs.

use std::fmt::Write as _;
use std::path::Path;

use super::say;
use super::tui::{journal_failure, refused};
use crate::control::journal::{self, Header};
use crate::control::{self};
use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::playbook;
use crate::run::compile;
use crate::scenario;

pub fn replay(path: &Path, out: Option<&Path>) -> Result<(), Failure> {
    let r = journal::read(path).map_err(journal_failure)?;
    let h = &r.header;
    let missing = |what: &str, file: &str| {
        Failure::Input(vec![Diagnostic::file(
            &path.display().to_string(),
            format!("the journal's {what} {file} cannot be found"),
        )])
    };
    let loaded = if h.scenario_file.is_empty() {
        scenario::default_scenario()?
    } else {
        let src = journal::find_input(&h.scenario_file, path)
            .ok_or_else(|| missing("scenario", &h.scenario_file))?;
        scenario::from_source(src)?
    };
    let mut playbooks = Vec::new();
    for p in &h.playbooks {
        let src = journal::find_input(&p.file, path).ok_or_else(|| missing("playbook", &p.file))?;
        playbooks.push(playbook::from_source(src)?);
    }
    if let Some(why) = journal::mismatch(h, &Header::of(&loaded, &playbooks, h.seed)) {
        return Err(refused(path, why));
    }
    let cat = compile(&loaded, &playbooks)?;
    let session =
        control::resume(cat, h.seed, &r.entries, None).map_err(|why| refused(path, why))?;
    let events = out.map(|d| d.join("events.jsonl"));
    if let Some(d) = out {
        std::fs::create_dir_all(d)
            .map_err(|e| Failure::Run(format!("cannot create {}: {e}", d.display())))?;
    }
    let hash = session
        .log_hash(events.as_deref())
        .map_err(|e| Failure::Run(e.to_string()))?;
    let quit = r
        .entries
        .last()
        .is_some_and(|e| e.action == control::Action::Quit);
    let mut o = format!(
        "pacesim replay: {} (seed {}): {} controller actions replayed to {}{}; {} events\n",
        h.scenario,
        h.seed,
        r.entries.len(),
        session.now(),
        if quit {
            ", where the session quit"
        } else {
            ", the last action before the session stopped"
        },
        session.sim.model.log().len()
    );
    if r.dropped_tail {
        o.push_str("note: a last line cut short by a crash was dropped\n");
    }
    if let Some(p) = events {
        let _ = writeln!(o, "wrote {}", p.display());
    }
    let _ = writeln!(o, "log-hash: {hash}");
    say(&o)
}
