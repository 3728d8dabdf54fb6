//! One headless exercise: compile a scenario with its playbooks, run it to
//! an instant, measure it, and compare it with national responders alone.

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::engine::{Duration, SimTime, Simulation};
use crate::error::Failure;
use crate::exercise::Exercise;
use crate::metrics::Summary;
use crate::metrics::compare::Comparison;
use crate::playbook::LoadedPlaybook;
use crate::response::eu::mechanisms;
use crate::scenario::LoadedScenario;
use crate::scenario::catalog::Catalog;

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
