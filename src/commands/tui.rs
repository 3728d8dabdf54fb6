//! `pacesim tui`: a live, journaled exercise at the controller's dashboard.
//! An existing journal is resumed, paused, where it stopped; the journal's
//! header names the inputs, and a journal of other inputs is refused.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{load_playbooks, load_scenario, say};
use crate::cli::TuiArgs;
use crate::control::journal::{self, Header, Journal};
use crate::control::{self, Session};
use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::run::compile;
use crate::scenario::LoadedScenario;
use crate::tui;

pub(super) fn journal_failure(e: journal::JournalError) -> Failure {
    Failure::Input(vec![Diagnostic::file(
        &e.to_string(),
        "cannot use this journal",
    )])
}

pub(super) fn refused(path: &Path, why: String) -> Failure {
    Failure::Input(vec![
        Diagnostic::file(
            &path.display().to_string(),
            format!("this journal does not belong to these inputs: {why}"),
        )
        .with_help("resume or replay a journal with the scenario, playbooks, seed and pacesim version it was recorded with"),
    ])
}

pub fn tui(a: TuiArgs) -> Result<(), Failure> {
    let loaded = &load_scenario(a.inputs.scenario.as_deref())?;
    let playbooks = &load_playbooks(loaded, &a.inputs.playbooks)?;
    let (journal_path, speed, decision_timeout) =
        (a.journal.as_deref(), a.speed, a.decision_timeout);
    let cat = compile(loaded, playbooks)?;
    let recorded = journal_path
        .filter(|p| p.exists())
        .map(journal::read)
        .transpose()
        .map_err(journal_failure)?;
    let seed = a
        .seed
        .or(recorded.as_ref().map(|r| r.header.seed))
        .unwrap_or(cat.default_seed);
    let head = Header::of(loaded, playbooks, seed);
    let path: PathBuf =
        journal_path.map_or_else(|| default_journal_name(loaded, seed), Path::to_path_buf);
    // A journal of other inputs is refused before anything is touched.
    let resumed = match &recorded {
        Some(r) => {
            if let Some(why) = journal::mismatch(&r.header, &head) {
                return Err(refused(&path, why));
            }
            Some(
                control::resume(cat.clone(), seed, &r.entries, None)
                    .map_err(|why| refused(&path, why))?,
            )
        }
        None => None,
    };
    // And without a terminal no journal is written or cut.
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(Diagnostic::file(
            "pacesim tui",
            "needs an interactive terminal (standard input and output are not one)",
        )
        .with_help("run it in a terminal; `pacesim run` and `pacesim replay` run headless")
        .into());
    }
    let (session, resumed) = match (resumed, recorded) {
        (Some(mut s), Some(r)) => {
            s.record_to(Journal::reopen(&path, r.good_len).map_err(journal_failure)?);
            let note = if r.dropped_tail {
                " (a line cut short by a crash was dropped)"
            } else {
                ""
            };
            (
                s,
                Some(format!(
                    "resumed {} actions from the journal{note}",
                    r.entries.len()
                )),
            )
        }
        _ => {
            let j = Journal::create(&path, &head).map_err(journal_failure)?;
            (Session::start(cat, seed, Some(j)), None)
        }
    };
    let timeout =
        (decision_timeout.0 > 0).then(|| std::time::Duration::from_secs(decision_timeout.0));
    let mut app = tui::app::App::new(session, speed, timeout);
    app.monochrome = super::no_color();
    if let Some(msg) = resumed {
        // A resumed exercise waits for the controller.
        app.running = false;
        app.status = msg;
    }
    tui::run_terminal(&mut app).map_err(|e| Failure::Run(format!("terminal: {e}")))?;
    let hash = app
        .session
        .log_hash(None)
        .map_err(|e| Failure::Run(e.to_string()))?;
    say(&format!(
        "pacesim tui: {} (seed {seed}) stopped at {} after {} events\njournal: {}\nlog-hash: {hash}\n",
        app.session.cat().name,
        app.session.now(),
        app.session.sim.model.log().len(),
        path.display()
    ))
}

fn default_journal_name(loaded: &LoadedScenario, seed: u64) -> PathBuf {
    let stem = Path::new(&loaded.source.name)
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    let stamp =
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).format("%Y%m%d-%H%M%S");
    PathBuf::from(format!("pacesim-{stem}-{seed}-{stamp}.journal.jsonl"))
}
