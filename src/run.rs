//! One headless exercise: compile a scenario with its playbooks, run it to
//! an instant, measure it, compare it with national responders alone, and
//! write its run directory (`events.jsonl`, `summary.json`, `report.md`).

use std::path::Path;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::engine::{Duration, SimTime, Simulation};
use crate::error::Failure;
use crate::exercise::Exercise;
use crate::metrics::Summary;
use crate::metrics::compare::Comparison;
use crate::output::{write_atomic, write_json};
use crate::playbook::LoadedPlaybook;
use crate::response::eu::mechanisms;
use crate::scenario::LoadedScenario;
use crate::world::catalog::Catalog;

/// A finished (or stopped) run.
pub struct Finished {
    pub sim: Simulation<Exercise>,
    pub until: SimTime,
    pub summary: Summary,
}

/// Compiles a loaded scenario with its playbooks. The scenario compiled when
/// it was loaded, so this fails only if its model was changed since, with
/// every problem at its `file:line:col`.
pub fn compile(
    loaded: &LoadedScenario,
    playbooks: &[LoadedPlaybook],
) -> Result<Arc<Catalog>, Vec<Diagnostic>> {
    let mut cat = loaded.compile()?;
    cat.response = mechanisms::merge(playbooks);
    Ok(Arc::new(cat))
}

/// Runs `cat` with `seed` up to `until` (at most the scenario's duration) and measures it.
pub fn execute(cat: Arc<Catalog>, seed: u64, until: Option<Duration>) -> Finished {
    let end = SimTime(until.map_or(cat.duration.0, |u| u.0.min(cat.duration.0)));
    let mut sim = Exercise::start(cat, seed);
    sim.run_until(end);
    let summary = Summary::measure(&sim.model, end);
    Finished {
        sim,
        until: end,
        summary,
    }
}

/// Adds to `done` the comparison with the same run under national responders
/// only (what the playbooks changed), when the playbooks bring EU or NATO
/// mechanisms.
pub fn compare_with_national(
    loaded: &LoadedScenario,
    done: &mut Finished,
    seed: u64,
) -> Result<(), Failure> {
    if mechanisms::national_only(&done.sim.model.catalog().response) {
        return Ok(());
    }
    let base = compile(loaded, &[])?;
    let baseline = execute(base, seed, Some(Duration(done.until.0)));
    done.summary.versus_baseline = Some(Comparison::new(&baseline.summary, &done.summary));
    Ok(())
}

/// Writes a run directory: `events.jsonl`, `summary.json` and the
/// `report.md` that `pacesim report DIR --format md` prints. Returns the log hash.
pub fn write_run_dir(dir: &Path, done: &Finished) -> Result<String, Failure> {
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::input(
            &dir.display().to_string(),
            "--out must name a directory, and this is a file",
        ));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Run(format!("cannot create {}: {e}", dir.display())))?;
    let mut hash = String::new();
    write_atomic(&dir.join("events.jsonl"), |w| {
        hash = done.sim.model.write_log(w)?;
        Ok(())
    })
    .map_err(Failure::Run)?;
    write_json(&dir.join("summary.json"), &done.summary).map_err(Failure::Run)?;
    // The same document `pacesim report DIR --format md` prints, from the same files.
    let md = crate::report::aar::markdown(&crate::report::aar::build(dir)?);
    write_atomic(&dir.join("report.md"), |w| w.write_all(md.as_bytes())).map_err(Failure::Run)?;
    Ok(hash)
}
