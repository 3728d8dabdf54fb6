//! One replication's outcome as a flat row of named metrics, and the
//! statistics over many: mean, spread, percentiles, confidence intervals,
//! and paired differences between playbooks on the same seeds.

use serde::Serialize;

use crate::exercise::metrics::{Rating, Summary};
use crate::world::catalog::Catalog;

/// Which way is better for a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
}

/// A metric's name and orientation, the same for every replication of a batch.
#[derive(Clone, Debug, Serialize)]
pub struct MetricDef {
    pub name: String,
    pub better: Better,
}

/// The metric columns a scenario's replications produce, in a fixed order;
/// `with_eu` adds the EU mechanisms' (when any set of the batch has them).
pub fn columns(cat: &Catalog, with_eu: bool) -> Vec<MetricDef> {
    let mut m = Vec::new();
    let mut add = |name: String, better| m.push(MetricDef { name, better });
    add("infra_node_hours_lost".into(), Better::Lower);
    add("infra_million_people_hours_lost".into(), Better::Lower);
    add("infra_longest_outage_h".into(), Better::Lower);
    add("infra_cascade_failures".into(), Better::Lower);
    add("cbrn_deaths".into(), Better::Lower);
    add("cbrn_ill".into(), Better::Lower);
    add("steps_succeeded".into(), Better::Lower);
    add("objectives_p".into(), Better::Higher);
    for c in &cat.campaigns {
        add(format!("time_to_detect_h.{}", c.id), Better::Lower);
    }
    for c in &cat.countries {
        add(format!("trust_min.{}", c.id), Better::Higher);
    }
    for n in &cat.narratives {
        add(format!("peak_reach.{}", n.id), Better::Lower);
    }
    if with_eu {
        for (name, better) in [
            ("eu_fusion_cell_alert_h", Better::Lower),
            ("eu_ipcr_information_sharing_h", Better::Lower),
            ("eu_ipcr_full_activation_h", Better::Lower),
            ("eu_attribution_h", Better::Lower),
            ("eu_ucpm_requests", Better::Lower),
            ("eu_ucpm_request_to_deployment_h", Better::Lower),
            ("eu_rapid_alerts", Better::Higher),
        ] {
            add(name.into(), better);
        }
    }
    m
}

fn hours(s: Option<u64>) -> Option<f64> {
    s.map(|s| s as f64 / 3600.0)
}

/// The values of [`columns`] for one run (missing where a time never came,
/// and for EU metrics in a run without EU mechanisms).
pub fn values(s: &Summary, with_eu: bool) -> Vec<Option<f64>> {
    let mut v: Vec<Option<f64>> = vec![
        Some(s.infrastructure.node_hours_lost),
        Some(s.infrastructure.people_hours_lost / 1e6),
        Some(s.infrastructure.longest_outage_h),
        Some(s.infrastructure.cascade_failures as f64),
        Some(s.cbrn.dead as f64),
        Some(s.cbrn.ill as f64),
        Some(s.campaigns.iter().map(|c| c.steps_succeeded as f64).sum()),
        Some(
            s.objectives
                .iter()
                .filter(|o| o.rating == Rating::P)
                .count() as f64,
        ),
    ];
    v.extend(s.campaigns.iter().map(|c| hours(c.time_to_detect_s)));
    v.extend(s.opinion.countries.iter().map(|c| Some(c.trust_min)));
    v.extend(s.opinion.narratives.iter().map(|n| Some(n.peak_reach)));
    if with_eu {
        let eu = s.eu.as_ref();
        let mean_deploy = eu.and_then(|e| e.ucpm.as_ref()).and_then(|u| {
            let t: Vec<f64> = u
                .requests
                .iter()
                .filter_map(|r| r.request_to_deployment_h)
                .collect();
            (!t.is_empty()).then(|| t.iter().sum::<f64>() / t.len() as f64)
        });
        v.extend([
            hours(
                eu.and_then(|e| e.fusion_cell.as_ref())
                    .and_then(|f| f.alerted_s),
            ),
            hours(
                eu.and_then(|e| e.ipcr.as_ref())
                    .and_then(|i| i.information_sharing_s),
            ),
            hours(
                eu.and_then(|e| e.ipcr.as_ref())
                    .and_then(|i| i.full_activation_s),
            ),
            hours(
                eu.and_then(|e| e.toolbox.as_ref())
                    .and_then(|t| t.attributed_s),
            ),
            eu.and_then(|e| e.ucpm.as_ref())
                .map(|u| u.requests.len() as f64),
            mean_deploy,
            eu.and_then(|e| e.stratcom.as_ref())
                .map(|sc| sc.rapid_alerts.len() as f64),
        ]);
    }
    // Metrics are printed to four decimals; statistics use the printed value,
    // so a merged batch (which reads the CSV) computes exactly the same.
    v.into_iter()
        .map(|x| x.map(|x| (x * 10_000.0).round() / 10_000.0))
        .collect()
}

/// Summary statistics of one metric over the replications where it exists.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    /// 95 % confidence interval of the mean (normal approximation).
    pub ci95: [f64; 2],
}

fn round(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1e6).round() / 1e6
    } else {
        x
    }
}

/// Percentile by linear interpolation between closest ranks (sorted input).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.len() == 1 {
        return sorted[0];
    }
    let rank = p * (sorted.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
}

pub fn stats(values: impl Iterator<Item = f64>) -> Option<Stats> {
    let mut v: Vec<f64> = values.collect();
    if v.is_empty() {
        return None;
    }
    // Summation in index order, sorting with a total order: the same bytes whatever the jobs.
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    let sd = var.sqrt();
    let half = 1.96 * sd / n.sqrt();
    v.sort_by(f64::total_cmp);
    Some(Stats {
        n: v.len(),
        mean: round(mean),
        sd: round(sd),
        p5: round(percentile(&v, 0.05)),
        p50: round(percentile(&v, 0.50)),
        p95: round(percentile(&v, 0.95)),
        ci95: [round(mean - half), round(mean + half)],
    })
}

/// A paired difference `candidate − baseline` over the same replications.
#[derive(Clone, Debug, Serialize)]
pub struct Paired {
    pub metric: String,
    pub n: usize,
    pub mean_difference: f64,
    pub ci95: [f64; 2],
    /// The interval excludes zero.
    pub significant: bool,
    /// `better`, `worse` or `no clear difference` for the candidate.
    pub verdict: &'static str,
}

pub fn paired(def: &MetricDef, pairs: impl Iterator<Item = (f64, f64)>) -> Option<Paired> {
    let d: Vec<f64> = pairs.map(|(base, cand)| cand - base).collect();
    let s = stats(d.iter().copied())?;
    let significant = s.n > 1 && (s.ci95[0] > 0.0 || s.ci95[1] < 0.0);
    let lower = s.mean < 0.0;
    let verdict = match (significant, lower, def.better) {
        (false, _, _) => "no clear difference",
        (true, true, Better::Lower) | (true, false, Better::Higher) => "better",
        _ => "worse",
    };
    Some(Paired {
        metric: def.name.clone(),
        n: s.n,
        mean_difference: s.mean,
        ci95: s.ci95,
        significant,
        verdict,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_of_a_known_sample() {
        let s = stats([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0].into_iter()).unwrap();
        assert_eq!(s.n, 8);
        assert_eq!(s.mean, 5.0);
        assert!((s.sd - 2.13809).abs() < 1e-4, "{}", s.sd);
        assert_eq!(s.p50, 4.5);
        assert!(s.ci95[0] < 5.0 && s.ci95[1] > 5.0);
        assert!(stats(std::iter::empty()).is_none());
    }

    #[test]
    fn a_consistent_improvement_is_significant_and_better() {
        let def = MetricDef {
            name: "deaths".into(),
            better: Better::Lower,
        };
        let p = paired(
            &def,
            (0..50).map(|i| (10.0 + i as f64 % 3.0, 8.0 + i as f64 % 3.0)),
        )
        .unwrap();
        assert_eq!(p.mean_difference, -2.0);
        assert!(p.significant);
        assert_eq!(p.verdict, "better");
        let noise = paired(
            &def,
            (0..50).map(|i| (5.0, 5.0 + if i % 2 == 0 { 1.0 } else { -1.0 })),
        )
        .unwrap();
        assert_eq!(noise.verdict, "no clear difference");
    }
}
