//! Timing distributions for durations, as scenario authors write them:
//! `Fixed("2h")`, `Uniform(min: "1h", max: "3h")`, `Exponential(mean: "6h")`,
//! `LogNormal(median: "2h", sigma: 0.8)`, `Triangular(min: "1h", mode: "2h", max: "6h")`.

use rand::RngExt;
use serde::{Deserialize, Serialize};

use super::sample::{exponential, log_normal, triangular};
use super::{Duration, SimRng, math};

/// A distribution of durations. Samples are whole seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DistSpec", into = "DistSpec")]
pub enum Dist {
    Fixed(Duration),
    Uniform {
        min: Duration,
        max: Duration,
    },
    Exponential {
        mean: Duration,
    },
    LogNormal {
        median: Duration,
        sigma: f64,
    },
    Triangular {
        min: Duration,
        mode: Duration,
        max: Duration,
    },
}

/// The file form, checked into [`Dist`] so that a nonsensical distribution is
/// rejected at load time with its position, not at run time.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
enum DistSpec {
    Fixed(Duration),
    Uniform {
        min: Duration,
        max: Duration,
    },
    Exponential {
        mean: Duration,
    },
    LogNormal {
        median: Duration,
        sigma: f64,
    },
    Triangular {
        min: Duration,
        mode: Duration,
        max: Duration,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DistError(&'static str);

impl TryFrom<DistSpec> for Dist {
    type Error = DistError;
    fn try_from(s: DistSpec) -> Result<Self, DistError> {
        Ok(match s {
            DistSpec::Fixed(d) => Dist::Fixed(d),
            DistSpec::Uniform { min, max } if min <= max => Dist::Uniform { min, max },
            DistSpec::Uniform { .. } => return Err(DistError("Uniform needs min <= max")),
            DistSpec::Exponential { mean } if mean.0 > 0 => Dist::Exponential { mean },
            DistSpec::Exponential { .. } => {
                return Err(DistError("Exponential needs a mean above 0s"));
            }
            DistSpec::LogNormal { median, sigma }
                if median.0 > 0 && sigma.is_finite() && (0.0..=5.0).contains(&sigma) =>
            {
                Dist::LogNormal { median, sigma }
            }
            DistSpec::LogNormal { .. } => {
                return Err(DistError(
                    "LogNormal needs a median above 0s and 0 <= sigma <= 5",
                ));
            }
            DistSpec::Triangular { min, mode, max } if min <= mode && mode <= max => {
                Dist::Triangular { min, mode, max }
            }
            DistSpec::Triangular { .. } => {
                return Err(DistError("Triangular needs min <= mode <= max"));
            }
        })
    }
}

impl From<Dist> for DistSpec {
    fn from(d: Dist) -> Self {
        match d {
            Dist::Fixed(d) => DistSpec::Fixed(d),
            Dist::Uniform { min, max } => DistSpec::Uniform { min, max },
            Dist::Exponential { mean } => DistSpec::Exponential { mean },
            Dist::LogNormal { median, sigma } => DistSpec::LogNormal { median, sigma },
            Dist::Triangular { min, mode, max } => DistSpec::Triangular { min, mode, max },
        }
    }
}

/// Longest duration a sample may take (ten years), so heavy tails never overflow the clock.
const CAP_SECS: f64 = 10.0 * 365.0 * 86_400.0;

impl Dist {
    /// One sample, in seconds.
    pub fn sample(&self, rng: &mut SimRng) -> Duration {
        self.sample_scaled(rng, 1.0)
    }

    /// One sample multiplied by `factor` (e.g. a capacity that makes a
    /// responder faster or slower), rounded to whole seconds.
    pub fn sample_scaled(&self, rng: &mut SimRng, factor: f64) -> Duration {
        let secs = match *self {
            Dist::Fixed(d) => d.0 as f64,
            Dist::Uniform { min, max } => rng.random_range(min.0..=max.0) as f64,
            Dist::Exponential { mean } => exponential(rng, mean.0 as f64),
            Dist::LogNormal { median, sigma } => log_normal(rng, median.0 as f64, sigma),
            Dist::Triangular { min, mode, max } if min < max => {
                triangular(rng, min.0 as f64, mode.0 as f64, max.0 as f64)
            }
            Dist::Triangular { mode, .. } => mode.0 as f64,
        };
        let scaled = secs * factor;
        Duration(if scaled.is_finite() {
            scaled.clamp(0.0, CAP_SECS).round() as u64
        } else {
            CAP_SECS as u64
        })
    }

    /// The distribution's mean in seconds (for reports and sanity checks).
    pub fn mean_secs(&self) -> f64 {
        match *self {
            Dist::Fixed(d) => d.0 as f64,
            Dist::Uniform { min, max } => (min.0 + max.0) as f64 / 2.0,
            Dist::Exponential { mean } => mean.0 as f64,
            Dist::LogNormal { median, sigma } => median.0 as f64 * math::exp(sigma * sigma / 2.0),
            Dist::Triangular { min, mode, max } => (min.0 + mode.0 + max.0) as f64 / 3.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RngStreams;

    fn mean_of(d: Dist, n: usize) -> f64 {
        let mut rng = RngStreams::new(1).stream("dist-test");
        (0..n).map(|_| d.sample(&mut rng).0 as f64).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_distribution() {
        let h = Duration::hours;
        for d in [
            Dist::Fixed(h(2)),
            Dist::Uniform {
                min: h(1),
                max: h(3),
            },
            Dist::Exponential { mean: h(6) },
            Dist::LogNormal {
                median: h(2),
                sigma: 0.5,
            },
            Dist::Triangular {
                min: h(1),
                mode: h(2),
                max: h(6),
            },
        ] {
            let (got, want) = (mean_of(d, 20_000), d.mean_secs());
            assert!(
                (got - want).abs() / want < 0.03,
                "{d:?}: mean {got} vs {want}"
            );
        }
    }

    #[test]
    fn reads_from_ron_and_rejects_nonsense() {
        let ok: Dist = ron::from_str(r#"Triangular(min: "1h", mode: "2h", max: "6h")"#).unwrap();
        assert_eq!(ok.mean_secs(), 3.0 * 3600.0);
        for bad in [
            r#"Uniform(min: "3h", max: "1h")"#,
            r#"Exponential(mean: "0s")"#,
            r#"LogNormal(median: "1h", sigma: -1.0)"#,
            r#"Triangular(min: "1h", mode: "9h", max: "6h")"#,
            r#"Fixed("soon")"#,
        ] {
            assert!(
                ron::from_str::<Dist>(bad).is_err(),
                "{bad} should be rejected"
            );
        }
    }
}
