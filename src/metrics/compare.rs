//! How much a playbook changed the outcome: the run against the same
//! scenario and seed with national responders only, on the headline
//! [`super::METRICS`]. Common random numbers make the difference the
//! playbook's, not chance's: both runs meet the same attacks until the
//! response changes what the attacker can do.

use serde::{Deserialize, Serialize};

use super::{Better, Summary, Unit, headline, round};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Comparison {
    pub baseline: String,
    pub rows: Vec<Row>,
    /// Objectives whose rating changed: id, baseline rating, this run's rating.
    pub ratings_changed: Vec<(String, String, String)>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Row {
    /// The metric's key in [`super::METRICS`].
    pub key: String,
    pub metric: String,
    pub unit: Unit,
    pub baseline: Option<f64>,
    pub with_playbook: Option<f64>,
    pub change: Option<f64>,
    /// Whether the change is an improvement (`None` when nothing changed).
    pub better: Option<bool>,
}

impl Row {
    /// The baseline, the run and the change as people read them.
    pub fn shown(&self) -> [String; 3] {
        let show = |v: Option<f64>| v.map_or("-".into(), |v| self.unit.show(v));
        [
            show(self.baseline),
            show(self.with_playbook),
            self.change.map_or("-".into(), |c| self.unit.show_change(c)),
        ]
    }

    /// `better`, `worse` or `same` for the run with the playbook.
    pub fn verdict(&self) -> &'static str {
        match self.better {
            Some(true) => "better",
            Some(false) => "worse",
            None => "same",
        }
    }

    /// The change in percent of the baseline, where there is one to divide by.
    pub fn change_pct(&self) -> Option<f64> {
        let (b, c) = (self.baseline?, self.change?);
        (b.abs() > 1e-9).then(|| 100.0 * c / b)
    }
}

impl Comparison {
    pub fn new(baseline: &Summary, run: &Summary) -> Comparison {
        let rows = headline()
            .map(|m| {
                let (b, w) = ((m.value)(baseline, 0), (m.value)(run, 0));
                let change = b.zip(w).map(|(b, w)| round(w - b));
                let better = change
                    .filter(|c| c.abs() > 1e-9)
                    .map(|c| (c < 0.0) == (m.better == Better::Lower));
                Row {
                    key: m.key.to_string(),
                    metric: m.label.to_string(),
                    unit: m.unit,
                    baseline: b.map(round),
                    with_playbook: w.map(round),
                    change,
                    better,
                }
            })
            .collect();
        let ratings_changed = baseline
            .objectives
            .iter()
            .zip(&run.objectives)
            .filter(|(a, b)| a.rating != b.rating)
            .map(|(a, b)| {
                (
                    a.id.clone(),
                    a.rating_letter().to_string(),
                    b.rating_letter().to_string(),
                )
            })
            .collect();
        Comparison {
            baseline: "national responders only, same scenario and seed".into(),
            rows,
            ratings_changed,
        }
    }
}
