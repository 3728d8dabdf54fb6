//! What people read: the console summary of a run ([`text`]), the
//! after-action report ([`aar`], with its charts in [`svg`]), and the run
//! directory that holds a run's files.

pub mod aar;
pub mod svg;
pub mod text;

use std::path::Path;

use crate::engine::SimTime;
use crate::error::Failure;
use crate::output::{write_atomic, write_json};
use crate::response::eu::metrics::EuMetrics;
use crate::run::Finished;

/// `T+…` for a time that may not have come.
pub fn at(t: Option<u64>) -> String {
    t.map_or("-".into(), |t| SimTime(t).to_string())
}

/// Hours for a duration that may not have been measured.
pub fn opt_hours(t: Option<u64>) -> String {
    t.map_or("-".into(), hours)
}

pub fn hours(secs: u64) -> String {
    format!("{:.1} h", secs as f64 / 3600.0)
}

/// What each EU and NATO mechanism did, as (mechanism, one sentence) rows
/// that the console summary and the report both show.
pub fn mechanism_rows(eu: &EuMetrics) -> Vec<(&'static str, String)> {
    let mut rows: Vec<(&'static str, String)> = eu
        .mechanisms
        .iter()
        .map(|m| (m.info().name, (m.info().summary)(eu)))
        .collect();
    rows.push(("Decisions", crate::response::eu::decision::summary(eu)));
    rows
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
    let md = aar::markdown(&aar::build(dir)?);
    write_atomic(&dir.join("report.md"), |w| w.write_all(md.as_bytes())).map_err(Failure::Run)?;
    Ok(hash)
}
