//! `pacesim tui` and `pacesim replay`: a live, journaled exercise and its
//! headless re-run. The journal's header names the inputs (scenario and
//! playbooks by content hash, seed, pacesim version); a journal is only ever
//! replayed or resumed against exactly those.

use std::path::{Path, PathBuf};

use crate::cli::Failure;
use crate::control::journal::{self, Header, Journal, PlaybookRef};
use crate::control::{self, Session};
use crate::diag::{Diagnostic, SourceFile};
use crate::engine::Duration;
use crate::playbook::{self, LoadedPlaybook};
use crate::run::compile;
use crate::scenario::{self, LoadedScenario};
use crate::tui;

fn header(loaded: &LoadedScenario, playbooks: &[LoadedPlaybook], seed: u64) -> Header {
    let bundled = loaded.source.text == scenario::DEFAULT_SCENARIO.1;
    Header {
        pacesim_journal: journal::FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: loaded.scenario.name.clone(),
        scenario_file: if bundled {
            String::new()
        } else {
            loaded.source.name.clone()
        },
        scenario_sha256: journal::sha256(&loaded.source.text),
        playbooks: playbooks
            .iter()
            .map(|p| PlaybookRef {
                file: p.source.name.clone(),
                sha256: journal::sha256(&p.source.text),
            })
            .collect(),
        seed,
    }
}

fn journal_failure(e: journal::JournalError) -> Failure {
    Failure::Input(vec![Diagnostic::file(
        &e.to_string(),
        "cannot use this journal",
    )])
}

fn refused(path: &Path, why: String) -> Failure {
    Failure::Input(vec![
        Diagnostic::file(
            &path.display().to_string(),
            format!("this journal does not belong to these inputs: {why}"),
        )
        .with_help("resume or replay a journal with the scenario, playbooks, seed and pacesim version it was recorded with"),
    ])
}

pub fn tui_command(
    loaded: &LoadedScenario,
    playbooks: &[LoadedPlaybook],
    seed: Option<u64>,
    journal_path: Option<&Path>,
    speed: usize,
    decision_timeout: Duration,
) -> Result<(), Failure> {
    let cat = compile(loaded, playbooks).map_err(|d| Failure::Input(vec![d]))?;
    let existing = journal_path.filter(|p| p.exists());
    let recorded = existing
        .map(journal::read)
        .transpose()
        .map_err(journal_failure)?;
    let seed = seed
        .or(recorded.as_ref().map(|r| r.header.seed))
        .unwrap_or(cat.default_seed);
    let head = header(loaded, playbooks, seed);
    let path: PathBuf =
        journal_path.map_or_else(|| default_journal_name(loaded, seed), Path::to_path_buf);
    let (session, resumed) = match recorded {
        Some(r) => {
            if let Some(why) = journal::mismatch(&r.header, &head) {
                return Err(refused(&path, why));
            }
            let j = Journal::reopen(&path, r.good_len).map_err(journal_failure)?;
            let s = control::resume(cat, seed, &r.entries, Some(j))
                .map_err(|why| refused(&path, why))?;
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
        None => {
            let j = Journal::create(&path, &head).map_err(journal_failure)?;
            (Session::start(cat, seed, Some(j)), None)
        }
    };
    let timeout =
        (decision_timeout.0 > 0).then(|| std::time::Duration::from_secs(decision_timeout.0));
    let mut app = tui::app::App::new(session, speed, timeout);
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
    println!(
        "pacesim tui: {} (seed {seed}) stopped at {} after {} events",
        app.session.cat().name,
        app.session.now(),
        app.session.sim.model.log().len()
    );
    println!("journal: {}", path.display());
    println!("log-hash: {hash}");
    Ok(())
}

fn default_journal_name(loaded: &LoadedScenario, seed: u64) -> PathBuf {
    let stem = Path::new(&loaded.source.name)
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    let stamp =
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).format("%Y%m%d-%H%M%S");
    PathBuf::from(format!("pacesim-{stem}-{seed}-{stamp}.journal.jsonl"))
}

/// Finds a recorded input: the path as recorded, next to the journal, or a
/// bundled copy with that name.
fn reload(recorded: &str, journal: &Path) -> Option<SourceFile> {
    let near = journal.parent().map(|d| d.join(recorded));
    for p in std::iter::once(PathBuf::from(recorded)).chain(near) {
        if p.is_file()
            && let Ok(src) = scenario::load::read_source(&p)
        {
            return Some(src);
        }
    }
    playbook::BUNDLED
        .iter()
        .chain(std::iter::once(&scenario::DEFAULT_SCENARIO))
        .find(|(name, _)| Path::new(name).file_name() == Path::new(recorded).file_name())
        .map(|(name, text)| SourceFile::new(*name, *text))
}

pub fn replay_command(path: &Path, out: Option<&Path>) -> Result<(), Failure> {
    let r = journal::read(path).map_err(journal_failure)?;
    let h = &r.header;
    let missing = |what: &str, file: &str| {
        Failure::Input(vec![Diagnostic::file(
            &path.display().to_string(),
            format!("the journal's {what} {file} cannot be found"),
        )])
    };
    let loaded = if h.scenario_file.is_empty() {
        scenario::default_scenario().map_err(Failure::Input)?
    } else {
        let src =
            reload(&h.scenario_file, path).ok_or_else(|| missing("scenario", &h.scenario_file))?;
        scenario::from_source(src).map_err(Failure::Input)?
    };
    let mut playbooks = Vec::new();
    for p in &h.playbooks {
        let src = reload(&p.file, path).ok_or_else(|| missing("playbook", &p.file))?;
        playbooks.push(playbook::from_source(src).map_err(Failure::Input)?);
    }
    if let Some(why) = journal::mismatch(h, &header(&loaded, &playbooks, h.seed)) {
        return Err(refused(path, why));
    }
    let cat = compile(&loaded, &playbooks).map_err(|d| Failure::Input(vec![d]))?;
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
    println!(
        "pacesim replay: {} (seed {}): {} controller actions replayed to {}{}; {} events",
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
        println!("note: a last line cut short by a crash was dropped");
    }
    if let Some(p) = events {
        println!("wrote {}", p.display());
    }
    println!("log-hash: {hash}");
    Ok(())
}
