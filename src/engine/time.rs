//! Simulated time: integer ticks, and human durations such as `90m` or `2d 6h`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in simulated time, in ticks since the start of the run.
/// pacesim scenarios use one tick per second.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SimTime(pub u64);

impl SimTime {
    pub fn plus(self, d: Duration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
    /// Time elapsed since `earlier` (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }
    pub fn hours(self) -> f64 {
        self.0 as f64 / 3600.0
    }
}

impl fmt::Display for SimTime {
    /// `T+1d 06:30:00` style, as exercise staff write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
        if d > 0 {
            write!(f, "T+{d}d {h:02}:{m:02}:{sec:02}")
        } else {
            write!(f, "T+{h:02}:{m:02}:{sec:02}")
        }
    }
}

/// `T+…` for a time that may not have come, `-` otherwise.
pub fn show_at(t: Option<SimTime>) -> String {
    t.map_or("-".into(), |t| t.to_string())
}

/// [`show_at`] for seconds from T+0.
pub fn show_secs(t: Option<u64>) -> String {
    show_at(t.map(SimTime))
}

/// A length of simulated time in seconds. Reads and writes as `90s`, `45m`,
/// `6h`, `2d`, `1w`, or combinations such as `1d 6h 30m` (or `1d6h30m`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub u64);

impl Duration {
    pub const ZERO: Duration = Duration(0);
    pub const fn secs(s: u64) -> Self {
        Duration(s)
    }
    pub const fn minutes(m: u64) -> Self {
        Duration(m * 60)
    }
    pub const fn hours(h: u64) -> Self {
        Duration(h * 3600)
    }
    pub const fn days(d: u64) -> Self {
        Duration(d * 86_400)
    }
    pub fn as_hours(self) -> f64 {
        self.0 as f64 / 3600.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration `{text}`: {why} (write e.g. `90s`, `45m`, `6h`, `2d` or `1d 6h`)")]
pub struct DurationParseError {
    pub text: String,
    pub why: &'static str,
}

impl FromStr for Duration {
    type Err = DurationParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |why| DurationParseError {
            text: text.chars().take(40).collect(),
            why,
        };
        let mut total: u64 = 0;
        let mut parts = 0;
        let mut rest = text.trim_start();
        // Number-unit pairs, with or without spaces between them: `1d 6h`, `1d6h`.
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let (num, after) = rest.split_at(digits);
            if num.is_empty() {
                return Err(err("a unit needs a number before it"));
            }
            let unit_len = after
                .find(|c: char| c.is_ascii_digit() || c.is_whitespace())
                .unwrap_or(after.len());
            let (unit, after) = after.split_at(unit_len);
            if unit.is_empty() {
                return Err(err("a number needs a unit"));
            }
            let n: u64 = num.parse().map_err(|_| err("number too large"))?;
            let scale = match unit {
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86_400,
                "w" => 604_800,
                _ => return Err(err("unknown unit (use s, m, h, d or w)")),
            };
            let secs = n.checked_mul(scale).ok_or(err("too long"))?;
            total = total.checked_add(secs).ok_or(err("too long"))?;
            parts += 1;
            rest = after.trim_start();
        }
        if parts == 0 {
            return Err(err("empty"));
        }
        Ok(Duration(total))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.0;
        let mut first = true;
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
            if rest >= size {
                if !first {
                    f.write_str(" ")?;
                }
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
                first = false;
            }
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_combinations() {
        let p = |s: &str| s.parse::<Duration>().map(|d| d.0);
        assert_eq!(p("90s"), Ok(90));
        assert_eq!(p("45m"), Ok(2700));
        assert_eq!(p("6h"), Ok(21_600));
        assert_eq!(p("2d"), Ok(172_800));
        assert_eq!(p("1d 6h"), Ok(108_000));
        assert_eq!(p("1d6h"), Ok(108_000));
        assert_eq!(p("1w2d3h4m5s"), p("1w 2d 3h 4m 5s"));
        assert_eq!(
            p(" 1w  2d 3h 4m 5s "),
            Ok(604_800 + 172_800 + 10_800 + 240 + 5)
        );
    }

    #[test]
    fn rejects_malformed_durations() {
        for bad in [
            "",
            "   ",
            "5",
            "h",
            "5x",
            "-5m",
            "1.5h",
            "1dh",
            "6h5",
            "d1",
            "99999999999999999999s",
            "18446744073709551615d",
        ] {
            assert!(
                bad.parse::<Duration>().is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn display_round_trips() {
        for s in ["0s", "90s", "1d 6h", "3d 4h 5m 6s"] {
            let d: Duration = s.parse().unwrap();
            assert_eq!(d.to_string().parse::<Duration>().unwrap(), d);
        }
        assert_eq!(Duration(90).to_string(), "1m 30s");
    }

    #[test]
    fn sim_time_reads_as_t_plus() {
        assert_eq!(SimTime(3725).to_string(), "T+01:02:05");
        assert_eq!(SimTime(86_400 + 3600).to_string(), "T+1d 01:00:00");
    }
}
