//! What people read: the console summary of a run ([`text`]) and the
//! after-action report in Markdown ([`md`]).

pub mod compare;
pub mod md;
pub mod text;

use crate::engine::SimTime;
use crate::log::{Event, What};
use crate::response::eu::EuWhat;

/// Whether an event belongs in a timeline of key events: threats' effects,
/// detections and decisions, not hourly samples or routine repairs.
pub fn is_key_event(e: &Event) -> bool {
    !matches!(
        e.what,
        What::ServiceSample { .. }
            | What::NarrativeReach { .. }
            | What::Opinion { .. }
            | What::Casualties { .. }
            | What::CascadeHeld { .. }
            | What::RestorationStarted { .. }
            | What::RestorationQueued { .. }
            | What::ServiceDegraded { .. }
            | What::ServiceRestored { .. }
            | What::Debunked { .. }
            | What::Eu(EuWhat::IndicatorReceived { .. })
    )
}

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
