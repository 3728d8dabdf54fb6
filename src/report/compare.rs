//! How much a playbook changed the outcome: the run against the same
//! scenario and seed with national responders only. Common random numbers
//! make the difference the playbook's, not chance's: both runs meet the same
//! attacks until the response changes what the attacker can do.

use serde::Serialize;

use crate::exercise::metrics::{Rating, Summary};

#[derive(Debug, Serialize)]
pub struct Comparison {
    pub baseline: &'static str,
    pub rows: Vec<Row>,
    /// Objectives whose rating changed: id, baseline rating, this run's rating.
    pub ratings_changed: Vec<(String, &'static str, &'static str)>,
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub metric: &'static str,
    pub unit: &'static str,
    pub baseline: f64,
    pub with_playbook: f64,
    pub change: f64,
    /// Whether the change is an improvement (`None` when nothing changed).
    pub better: Option<bool>,
}

impl Comparison {
    pub fn new(baseline: &Summary, run: &Summary) -> Comparison {
        let mut rows = Vec::new();
        let mut row = |metric, unit, lower_is_better: bool, f: &dyn Fn(&Summary) -> f64| {
            let (b, w) = (f(baseline), f(run));
            let change = w - b;
            let better = (change.abs() > 1e-9).then_some((change < 0.0) == lower_is_better);
            rows.push(Row {
                metric,
                unit,
                baseline: round(b),
                with_playbook: round(w),
                change: round(change),
                better,
            });
        };
        row("infrastructure service lost", "node-hours", true, &|s| {
            s.infrastructure.node_hours_lost
        });
        row(
            "people without service",
            "million people-hours",
            true,
            &|s| s.infrastructure.people_hours_lost / 1e6,
        );
        row("campaign steps that succeeded", "steps", true, &|s| {
            s.campaigns.iter().map(|c| c.steps_succeeded as f64).sum()
        });
        row("mean time to detect a campaign", "hours", true, &|s| {
            let t: Vec<f64> = s
                .campaigns
                .iter()
                .filter_map(|c| c.time_to_detect_s)
                .map(|x| x as f64 / 3600.0)
                .collect();
            if t.is_empty() {
                0.0
            } else {
                t.iter().sum::<f64>() / t.len() as f64
            }
        });
        row("deaths", "people", true, &|s| s.cbrn.dead as f64);
        row("highest narrative reach", "% of audience", true, &|s| {
            100.0
                * s.opinion
                    .narratives
                    .iter()
                    .map(|n| n.peak_reach)
                    .fold(0.0, f64::max)
        });
        row("mean lowest trust", "% of population", false, &|s| {
            let c = &s.opinion.countries;
            100.0 * c.iter().map(|x| x.trust_min).sum::<f64>() / c.len().max(1) as f64
        });
        row(
            "objectives performed without challenges (P)",
            "objectives",
            false,
            &|s| {
                s.objectives
                    .iter()
                    .filter(|o| o.rating == Rating::P)
                    .count() as f64
            },
        );
        let ratings_changed = baseline
            .objectives
            .iter()
            .zip(&run.objectives)
            .filter(|(a, b)| a.rating != b.rating)
            .map(|(a, b)| (a.id.clone(), a.rating_letter(), b.rating_letter()))
            .collect();
        Comparison {
            baseline: "national responders only, same scenario and seed",
            rows,
            ratings_changed,
        }
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
