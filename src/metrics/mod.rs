//! Every number pacesim reports about a run, defined once: its key, label,
//! unit, which way is better, what it is measured for (the run, each threat,
//! country or narrative, a mechanism), and how it is read off the run's
//! [`Summary`]. `runs.csv`, `batch.json`, the comparison with national
//! responders alone, the console summary, the dashboard and the reports all
//! read [`METRICS`].
//!
//! Adding a metric: one entry in [`METRICS`] (and, if the summary does not
//! carry the figure yet, a field in [`summary`]).

pub mod compare;
pub mod summary;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use summary::{ObjectiveResult, Rating, Summary};

use crate::response::eu::Mechanism;
use crate::scenario::catalog::Catalog;

/// Which way is better for a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
}

/// What a metric is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    NodeHours,
    MillionPeopleHours,
    Hours,
    Nodes,
    People,
    Steps,
    Objectives,
    Requests,
    Alerts,
    /// A share of a country's population, 0 to 1 (shown as a percentage).
    ShareOfPopulation,
    /// A share of a narrative's audiences, 0 to 1 (shown as a percentage).
    ShareOfAudience,
}

impl Unit {
    pub fn label(self) -> &'static str {
        match self {
            Unit::NodeHours => "node-hours",
            Unit::MillionPeopleHours => "million people-hours",
            Unit::Hours => "hours",
            Unit::Nodes => "nodes",
            Unit::People => "people",
            Unit::Steps => "steps",
            Unit::Objectives => "objectives",
            Unit::Requests => "requests",
            Unit::Alerts => "alerts",
            Unit::ShareOfPopulation => "% of population",
            Unit::ShareOfAudience => "% of audience",
        }
    }

    /// A value in this unit, as people read it.
    pub fn show(self, v: f64) -> String {
        match self {
            Unit::ShareOfPopulation | Unit::ShareOfAudience => format!("{:.1}%", v * 100.0),
            Unit::Hours => format!("{v:.1} h"),
            Unit::NodeHours => format!("{v:.1}"),
            Unit::MillionPeopleHours => format!("{v:.2}"),
            _ if v.fract() == 0.0 => format!("{v:.0}"),
            _ => format!("{v:.2}"),
        }
    }

    /// A value with its unit in few letters, e.g. `79.0 node-h`, `21.6 h`, `44.1%`.
    pub fn show_short(self, v: f64) -> String {
        let unit = match self {
            Unit::NodeHours => " node-h",
            Unit::MillionPeopleHours => " M people-h",
            _ => "",
        };
        format!("{}{unit}", self.show(v))
    }

    /// A difference in this unit, with its sign.
    pub fn show_change(self, d: f64) -> String {
        let sign = if d > 0.0 { "+" } else { "" };
        match self {
            Unit::ShareOfPopulation | Unit::ShareOfAudience => {
                format!("{sign}{:.1} pts", d * 100.0)
            }
            _ => format!("{sign}{}", self.show(d)),
        }
    }
}

/// What a metric is measured for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The run as a whole.
    Run,
    /// Each threat campaign.
    Threat,
    Country,
    Narrative,
    /// The run, where the playbook has this EU or NATO mechanism.
    Mechanism(Mechanism),
}

/// One metric.
pub struct Metric {
    /// Stable name in `runs.csv` and `batch.json` (with `.id` per entity).
    pub key: &'static str,
    pub label: &'static str,
    /// A few words for the dashboard, where space is short.
    pub short: &'static str,
    pub unit: Unit,
    pub better: Better,
    pub scope: Scope,
    /// Part of the short account of a run: the console, the comparison with
    /// national responders alone, the dashboard, batch headlines.
    pub headline: bool,
    /// Its value in a run, for the scope's `i`th entity (0 for run-wide
    /// metrics); `None` where it was never measured (a campaign never
    /// detected, a mechanism the playbook does not have).
    pub value: fn(&Summary, usize) -> Option<f64>,
}

fn hours(s: Option<u64>) -> Option<f64> {
    s.map(|s| s as f64 / 3600.0)
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Every metric, in the order outputs list them.
pub const METRICS: &[Metric] = &[
    Metric {
        key: "infra_node_hours_lost",
        label: "infrastructure service lost",
        short: "service lost",
        unit: Unit::NodeHours,
        better: Better::Lower,
        scope: Scope::Run,
        headline: true,
        value: |s, _| Some(s.infrastructure.node_hours_lost),
    },
    Metric {
        key: "infra_million_people_hours_lost",
        label: "people without service",
        short: "off supply",
        unit: Unit::MillionPeopleHours,
        better: Better::Lower,
        scope: Scope::Run,
        headline: true,
        value: |s, _| Some(s.infrastructure.people_hours_lost / 1e6),
    },
    Metric {
        key: "infra_longest_outage_h",
        label: "longest outage",
        short: "longest outage",
        unit: Unit::Hours,
        better: Better::Lower,
        scope: Scope::Run,
        headline: false,
        value: |s, _| Some(s.infrastructure.longest_outage_h),
    },
    Metric {
        key: "infra_cascade_failures",
        label: "losses of service by cascade",
        short: "cascades",
        unit: Unit::Nodes,
        better: Better::Lower,
        scope: Scope::Run,
        headline: false,
        value: |s, _| Some(s.infrastructure.cascade_failures as f64),
    },
    Metric {
        key: "cbrn_deaths",
        label: "deaths",
        short: "deaths",
        unit: Unit::People,
        better: Better::Lower,
        scope: Scope::Run,
        headline: true,
        value: |s, _| Some(s.cbrn.dead as f64),
    },
    Metric {
        key: "cbrn_ill",
        label: "people taken ill",
        short: "ill",
        unit: Unit::People,
        better: Better::Lower,
        scope: Scope::Run,
        headline: false,
        value: |s, _| Some(s.cbrn.ill as f64),
    },
    Metric {
        key: "steps_succeeded",
        label: "campaign steps that succeeded",
        short: "steps",
        unit: Unit::Steps,
        better: Better::Lower,
        scope: Scope::Run,
        headline: true,
        value: |s, _| Some(s.campaigns.iter().map(|c| c.steps_succeeded as f64).sum()),
    },
    Metric {
        key: "detect_mean_h",
        label: "mean time to detect a campaign",
        short: "detect",
        unit: Unit::Hours,
        better: Better::Lower,
        scope: Scope::Run,
        headline: true,
        // Over every campaign that had an effect, one never detected
        // counting until the end: a mean over the detected ones alone made a
        // playbook that also finds campaigns others never see read slower.
        // A physical sabotage is noticed as it strikes (`summary.rs`).
        value: |s, _| {
            mean(s.campaigns.iter().filter_map(|c| {
                let first = c.first_effect_s?;
                hours(Some(
                    c.time_to_detect_s
                        .unwrap_or(s.until_s.saturating_sub(first)),
                ))
            }))
        },
    },
    Metric {
        key: "peak_reach_max",
        label: "highest narrative reach",
        short: "top reach",
        unit: Unit::ShareOfAudience,
        better: Better::Lower,
        scope: Scope::Run,
        headline: true,
        value: |s, _| {
            Some(
                s.opinion
                    .narratives
                    .iter()
                    .map(|n| n.peak_reach)
                    .fold(0.0, f64::max),
            )
        },
    },
    Metric {
        key: "trust_min_mean",
        label: "mean lowest trust",
        short: "low trust",
        unit: Unit::ShareOfPopulation,
        better: Better::Higher,
        scope: Scope::Run,
        headline: true,
        value: |s, _| mean(s.opinion.countries.iter().map(|c| c.trust_min)),
    },
    Metric {
        key: "objectives_p",
        label: "objectives performed without challenges (P)",
        short: "rated P",
        unit: Unit::Objectives,
        better: Better::Higher,
        scope: Scope::Run,
        headline: true,
        value: |s, _| {
            Some(
                s.objectives
                    .iter()
                    .filter(|o| o.rating == Rating::P)
                    .count() as f64,
            )
        },
    },
    Metric {
        key: "time_to_detect_h",
        label: "time to detect",
        short: "detect",
        unit: Unit::Hours,
        better: Better::Lower,
        scope: Scope::Threat,
        headline: false,
        value: |s, i| hours(s.campaigns.get(i)?.time_to_detect_s),
    },
    Metric {
        key: "eu_time_to_respond_h",
        label: "time to the first EU or NATO answer",
        short: "EU answer",
        unit: Unit::Hours,
        better: Better::Lower,
        scope: Scope::Threat,
        headline: false,
        // From the campaign's first effect to the first share, isolation,
        // debunk or alert, or module on the ground that answers it.
        value: |s, i| hours(s.eu.as_ref()?.threats.get(i)?.time_to_respond_s),
    },
    Metric {
        key: "trust_min",
        label: "lowest trust",
        short: "low trust",
        unit: Unit::ShareOfPopulation,
        better: Better::Higher,
        scope: Scope::Country,
        headline: false,
        value: |s, i| Some(s.opinion.countries.get(i)?.trust_min),
    },
    Metric {
        key: "peak_reach",
        label: "peak reach",
        short: "reach",
        unit: Unit::ShareOfAudience,
        better: Better::Lower,
        scope: Scope::Narrative,
        headline: false,
        value: |s, i| Some(s.opinion.narratives.get(i)?.peak_reach),
    },
    Metric {
        key: "eu_fusion_cell_alert_h",
        label: "Fusion Cell alert to member states",
        short: "HFC alert",
        unit: Unit::Hours,
        better: Better::Lower,
        scope: Scope::Mechanism(Mechanism::FusionCell),
        headline: false,
        value: |s, _| hours(s.eu.as_ref()?.fusion_cell.as_ref()?.alerted_s),
    },
    Metric {
        key: "eu_ipcr_information_sharing_h",
        label: "IPCR in information sharing",
        short: "IPCR sharing",
        unit: Unit::Hours,
        better: Better::Lower,
        scope: Scope::Mechanism(Mechanism::Ipcr),
        headline: false,
        value: |s, _| hours(s.eu.as_ref()?.ipcr.as_ref()?.information_sharing_s),
    },
    Metric {
        key: "eu_ipcr_full_activation_h",
        label: "IPCR fully activated",
        short: "IPCR full",
        unit: Unit::Hours,
        better: Better::Lower,
        scope: Scope::Mechanism(Mechanism::Ipcr),
        headline: false,
        value: |s, _| hours(s.eu.as_ref()?.ipcr.as_ref()?.full_activation_s),
    },
    Metric {
        key: "eu_attribution_h",
        label: "public attribution",
        short: "attribution",
        unit: Unit::Hours,
        better: Better::Lower,
        scope: Scope::Mechanism(Mechanism::Toolbox),
        headline: false,
        value: |s, _| hours(s.eu.as_ref()?.toolbox.as_ref()?.attributed_s),
    },
    Metric {
        key: "eu_ucpm_requests",
        label: "UCPM requests for assistance",
        short: "UCPM requests",
        unit: Unit::Requests,
        better: Better::Lower,
        scope: Scope::Mechanism(Mechanism::Ucpm),
        headline: false,
        value: |s, _| Some(s.eu.as_ref()?.ucpm.as_ref()?.requests.len() as f64),
    },
    Metric {
        key: "eu_ucpm_request_to_deployment_h",
        label: "UCPM request to deployment (mean)",
        short: "UCPM deploy",
        unit: Unit::Hours,
        better: Better::Lower,
        scope: Scope::Mechanism(Mechanism::Ucpm),
        headline: false,
        value: |s, _| {
            let u = s.eu.as_ref()?.ucpm.as_ref()?;
            mean(u.requests.iter().filter_map(|r| r.request_to_deployment_h))
        },
    },
    Metric {
        key: "eu_rapid_alerts",
        label: "Rapid Alert System alerts",
        short: "RAS alerts",
        unit: Unit::Alerts,
        better: Better::Higher,
        scope: Scope::Mechanism(Mechanism::StratCom),
        headline: false,
        value: |s, _| Some(s.eu.as_ref()?.stratcom.as_ref()?.rapid_alerts.len() as f64),
    },
];

/// The run-wide metrics that sum a run up.
pub fn headline() -> impl Iterator<Item = &'static Metric> {
    METRICS.iter().filter(|m| m.headline)
}

/// The metric with this key.
pub fn metric(key: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.key == key)
}

/// One column of a batch: a metric, for one entity of its scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// `key`, or `key.entity` (e.g. `trust_min.EE`).
    pub name: String,
    pub label: String,
    pub unit: Unit,
    pub better: Better,
    pub scope: Scope,
}

/// Every metric for every entity of `cat`, with the mechanisms' when `with_eu`
/// (when any playbook of a batch has EU or NATO mechanisms): the metric, the
/// entity's index in its scope, and its id (`None` for a run-wide metric).
fn expand(
    cat: &Catalog,
    with_eu: bool,
) -> impl Iterator<Item = (&'static Metric, usize, Option<&str>)> {
    METRICS.iter().flat_map(move |m| {
        let ids: Vec<Option<&str>> = match m.scope {
            Scope::Run => vec![None],
            Scope::Threat => cat.campaigns.iter().map(|c| Some(&*c.id)).collect(),
            Scope::Country => cat.countries.iter().map(|c| Some(&*c.id)).collect(),
            Scope::Narrative => cat.narratives.iter().map(|n| Some(&*n.id)).collect(),
            Scope::Mechanism(_) if with_eu => vec![None],
            Scope::Mechanism(_) => vec![],
        };
        ids.into_iter().enumerate().map(move |(i, id)| (m, i, id))
    })
}

/// The columns of a batch of `cat`'s runs.
pub fn columns(cat: &Catalog, with_eu: bool) -> Vec<Column> {
    expand(cat, with_eu)
        .map(|(m, _, id)| {
            let (name, label) = match id {
                Some(id) => (format!("{}.{id}", m.key), format!("{} ({id})", m.label)),
                None => (m.key.to_string(), m.label.to_string()),
            };
            Column {
                name,
                label,
                unit: m.unit,
                better: m.better,
                scope: m.scope,
            }
        })
        .collect()
}

/// Rounds a metric value as outputs print it (four decimals), so a merged
/// batch, which reads the printed values back, computes the same statistics.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The values of [`columns`] for one run, rounded as printed.
pub fn values(cat: &Catalog, with_eu: bool, s: &Summary) -> Vec<Option<f64>> {
    let mut v: Vec<Option<f64>> = expand(cat, with_eu)
        .map(|(m, i, _)| (m.value)(s, i).map(round))
        .collect();
    // A batch keeps every run's values: no spare capacity.
    v.shrink_to_fit();
    v
}
