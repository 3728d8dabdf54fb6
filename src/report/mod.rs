//! What people read: the console summary of a run ([`text`]) and the
//! after-action report in Markdown ([`md`]).

pub mod aar;
pub mod svg;
pub mod text;

use crate::engine::SimTime;
use crate::response::eu::metrics::EuMetrics;

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
