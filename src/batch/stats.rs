//! Statistics over replications: mean, spread, percentiles, confidence
//! intervals, and paired differences between playbooks on the same seeds.

use serde::{Deserialize, Serialize};

use crate::metrics::{Better, Column};

/// Summary statistics of one metric over the replications where it exists.
#[derive(Clone, Debug, Serialize, Deserialize)]
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
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Paired {
    pub metric: String,
    pub n: usize,
    pub mean_difference: f64,
    pub ci95: [f64; 2],
    /// The interval excludes zero.
    pub significant: bool,
    pub verdict: Verdict,
}

/// What a paired difference says about the candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "better")]
    Better,
    #[serde(rename = "worse")]
    Worse,
    #[serde(rename = "no clear difference")]
    NoClearDifference,
}

impl Verdict {
    /// Whether the candidate did better; `None` without a clear difference.
    pub fn better(self) -> Option<bool> {
        match self {
            Verdict::Better => Some(true),
            Verdict::Worse => Some(false),
            Verdict::NoClearDifference => None,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::NoClearDifference => "no clear difference",
        })
    }
}

pub fn paired(def: &Column, pairs: impl Iterator<Item = (f64, f64)>) -> Option<Paired> {
    let d: Vec<f64> = pairs.map(|(base, cand)| cand - base).collect();
    let s = stats(d.iter().copied())?;
    let significant = s.n > 1 && (s.ci95[0] > 0.0 || s.ci95[1] < 0.0);
    let lower = s.mean < 0.0;
    let verdict = match (significant, lower, def.better) {
        (false, _, _) => Verdict::NoClearDifference,
        (true, true, Better::Lower) | (true, false, Better::Higher) => Verdict::Better,
        _ => Verdict::Worse,
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
        let def = Column {
            name: "deaths".into(),
            label: "deaths".into(),
            unit: crate::metrics::Unit::People,
            better: Better::Lower,
            scope: crate::metrics::Scope::Run,
        };
        let p = paired(
            &def,
            (0..50).map(|i| (10.0 + i as f64 % 3.0, 8.0 + i as f64 % 3.0)),
        )
        .unwrap();
        assert_eq!(p.mean_difference, -2.0);
        assert!(p.significant);
        assert_eq!(p.verdict, Verdict::Better);
        let noise = paired(
            &def,
            (0..50).map(|i| (5.0, 5.0 + if i % 2 == 0 { 1.0 } else { -1.0 })),
        )
        .unwrap();
        assert_eq!(noise.verdict, Verdict::NoClearDifference);
    }
}
