//! `pacesim run`: one headless exercise from start to `until`, its human
//! summary on stdout (last line `log-hash: ...`), and with `--out` the files
//! `events.jsonl`, `summary.json` and `report.md`, each written atomically.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use crate::cli::Failure;
use crate::diag::Diagnostic;
use crate::engine::{Duration, SimTime, Simulation};
use crate::exercise::Exercise;
use crate::exercise::metrics::Summary;
use crate::log::jsonl::write_log;
use crate::output::{write_atomic, write_json};
use crate::playbook::{LoadedPlaybook, Response};
use crate::report::compare::Comparison;
use crate::scenario::LoadedScenario;
use crate::world::catalog::Catalog;

/// A finished (or stopped) run.
pub struct Finished {
    pub sim: Simulation<Exercise>,
    pub until: SimTime,
    pub summary: Summary,
}

/// Compiles a loaded scenario with its playbooks. The scenario compiled when
/// it was loaded, so this fails only if its model was changed since; the
/// first problem is then reported, at its `file:line:col`.
pub fn compile(
    loaded: &LoadedScenario,
    playbooks: &[LoadedPlaybook],
) -> Result<Arc<Catalog>, Diagnostic> {
    let mut cat = loaded.compile().map_err(|problems| {
        let first = problems.into_iter().next();
        first.unwrap_or_else(|| Diagnostic::file(&loaded.source.name, "cannot be compiled"))
    })?;
    cat.response = Response::merge(playbooks);
    Ok(Arc::new(cat))
}

/// Runs `cat` with `seed` up to `until` (at most the scenario's duration) and measures it.
pub fn execute(cat: Arc<Catalog>, seed: u64, until: Option<Duration>) -> Finished {
    let end = SimTime(until.map_or(cat.duration.0, |u| u.0.min(cat.duration.0)));
    let mut sim = Exercise::start(cat, seed);
    sim.run_until(end);
    let Simulation { queue, model } = &mut sim;
    model.settle(queue, end);
    let summary = Summary::measure(&sim.model, end);
    Finished {
        sim,
        until: end,
        summary,
    }
}

pub fn run_command(
    loaded: &LoadedScenario,
    playbooks: &[LoadedPlaybook],
    seed: Option<u64>,
    until: Option<Duration>,
    out: Option<&Path>,
) -> Result<(), Failure> {
    if let Some(dir) = out
        && dir.exists()
        && !dir.is_dir()
    {
        return Err(Failure::Input(vec![Diagnostic::file(
            &dir.display().to_string(),
            "--out must name a directory, and this is a file",
        )]));
    }
    let cat = compile(loaded, playbooks).map_err(|d| Failure::Input(vec![d]))?;
    let seed = seed.unwrap_or(cat.default_seed);
    let started = std::time::Instant::now();
    let mut done = execute(cat.clone(), seed, until);
    let elapsed = started.elapsed();
    if !cat.response.is_national_only() {
        // What the playbook changed: the same run with national responders only.
        let base = compile(loaded, &[]).map_err(|d| Failure::Input(vec![d]))?;
        let baseline = execute(base, seed, until);
        done.summary.versus_baseline = Some(Comparison::new(&baseline.summary, &done.summary));
    }

    let log = done.sim.model.log();
    let notes = done.sim.model.notes();
    let hash = match out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::Run(format!("cannot create {}: {e}", dir.display())))?;
            let mut hash = String::new();
            write_atomic(&dir.join("events.jsonl"), |w| {
                hash = write_log(w, &cat, notes, log)?;
                Ok(())
            })
            .map_err(Failure::Run)?;
            write_json(&dir.join("summary.json"), &done.summary).map_err(Failure::Run)?;
            let md = crate::report::md::run_report(&cat, &done.summary, log, notes);
            write_atomic(&dir.join("report.md"), |w| w.write_all(md.as_bytes()))
                .map_err(Failure::Run)?;
            hash
        }
        None => {
            write_log(std::io::sink(), &cat, notes, log).map_err(|e| Failure::Run(e.to_string()))?
        }
    };

    let mut stdout = std::io::stdout().lock();
    let text = crate::report::text::run_summary(&cat, &done.summary, elapsed, out);
    let _ = write!(stdout, "{text}");
    let _ = writeln!(stdout, "log-hash: {hash}");
    Ok(())
}
