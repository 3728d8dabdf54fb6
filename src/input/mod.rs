//! Reading input files (scenarios, playbooks): RON text with bounded reads
//! and positioned diagnostics ([`load`]), finding a value's place in the
//! text by its path in the typed model ([`locate`]), and the value types the
//! file formats share.

pub mod load;
pub mod locate;

use serde::{Deserialize, Serialize};

/// A number between 0 and 1: a probability, a capacity index, a share of people.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Fraction(pub f64);

impl TryFrom<f64> for Fraction {
    type Error = String;
    fn try_from(v: f64) -> Result<Self, String> {
        if (0.0..=1.0).contains(&v) {
            Ok(Fraction(v))
        } else {
            Err(format!("expected a fraction between 0 and 1, found {v}"))
        }
    }
}

impl From<Fraction> for f64 {
    fn from(f: Fraction) -> f64 {
        f.0
    }
}
