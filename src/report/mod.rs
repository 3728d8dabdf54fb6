//! What people read: the console summary of a run ([`text`]) and the
//! after-action report in Markdown ([`md`]).

pub mod md;
pub mod text;

use crate::log::{Event, What};

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
    )
}

pub fn hours(secs: u64) -> String {
    format!("{:.1} h", secs as f64 / 3600.0)
}
