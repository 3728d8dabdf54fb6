//! Random variates for the simulation, written out here on top of the
//! engine's [`math`](super::math) so that every draw is computed the same way
//! on every machine and in every build profile.
//!
//! - [`exponential`] by Marsaglia and Tsang's ziggurat, [`triangular`] by
//!   inversion of the distribution function;
//! - [`standard_normal`] by Marsaglia's polar method;
//! - [`binomial`] by inversion for small means (BINV) and by Kachitvichyanukul
//!   and Schmeiser's BTPE otherwise ("Binomial random variate generation",
//!   Communications of the ACM 31(2), 1988), ported from `rand_distr`.

use rand::{Rng, RngExt};

use super::SimRng;
use super::math::{exp, ln, ln_1p, pow};

/// A uniform draw in [0, 1).
fn unit(rng: &mut SimRng) -> f64 {
    rng.random::<f64>()
}

/// An exponential draw with mean `mean`.
pub fn exponential(rng: &mut SimRng, mean: f64) -> f64 {
    mean * standard_exponential(rng)
}

/// The exponential ziggurat of Marsaglia and Tsang ("The Ziggurat Method for
/// Generating Random Variables", Journal of Statistical Software 5(8), 2000):
/// 256 layers of equal area `V` under e^−x, the base layer carrying the tail
/// beyond `R`. A draw is one 64-bit word and a comparison in 98.9 % of cases;
/// only the wedges and the tail need `exp` or `ln`.
struct Ziggurat {
    /// Layer edges, x[0] = V / e^−R > x[1] = R > … > x[256] = 0.
    x: [f64; 257],
    /// e^−x at each edge.
    f: [f64; 257],
}

/// Where the tail starts, and each layer's area, for 256 layers.
const ZIG_R: f64 = 7.697_117_470_131_05;
const ZIG_V: f64 = 0.003_949_659_822_581_557;

/// Built once, with the engine's own `exp` and `ln`, so the same on every machine.
static ZIGGURAT: std::sync::LazyLock<Ziggurat> = std::sync::LazyLock::new(|| {
    let mut z = Ziggurat {
        x: [0.0; 257],
        f: [0.0; 257],
    };
    z.x[0] = ZIG_V / exp(-ZIG_R);
    z.x[1] = ZIG_R;
    for i in 1..256 {
        // Each layer, x[i] wide, spans e^−x[i] to e^−x[i+1] with area V.
        z.x[i + 1] = (-ln(ZIG_V / z.x[i] + exp(-z.x[i]))).max(0.0);
    }
    z.x[256] = 0.0;
    for i in 0..257 {
        z.f[i] = exp(-z.x[i]);
    }
    z
});

/// An exponential draw with mean 1.
fn standard_exponential(rng: &mut SimRng) -> f64 {
    let z = &*ZIGGURAT;
    loop {
        let bits = rng.next_u64();
        let i = (bits & 0xff) as usize;
        // The top 53 bits as a uniform in [0, 1), apart from the layer's 8.
        let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let x = u * z.x[i];
        if x < z.x[i + 1] {
            return x;
        }
        if i == 0 {
            // Beyond R the exponential is R plus another (it has no memory);
            // 1 − U lies in (0, 1], so its logarithm is finite.
            return ZIG_R - ln_1p(-unit(rng));
        }
        // A wedge: accept under the density.
        if z.f[i + 1] + (z.f[i] - z.f[i + 1]) * unit(rng) < exp(-x) {
            return x;
        }
    }
}

/// Exponential draws at a rate (the queueing models' arrivals and services).
#[derive(Clone, Copy, Debug)]
pub struct Exp {
    mean: f64,
}

impl Exp {
    /// Draws at `rate` per tick; `None` unless the rate is positive and finite.
    pub fn new(rate: f64) -> Option<Exp> {
        (rate > 0.0 && rate.is_finite()).then(|| Exp { mean: 1.0 / rate })
    }

    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        exponential(rng, self.mean)
    }
}

/// A triangular draw on [min, max] with mode `mode` (`min < max`).
pub fn triangular(rng: &mut SimRng, min: f64, mode: f64, max: f64) -> f64 {
    let u = unit(rng);
    let split = (mode - min) / (max - min);
    if u < split {
        min + (u * (max - min) * (mode - min)).sqrt()
    } else {
        max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
    }
}

/// A standard normal draw.
pub fn standard_normal(rng: &mut SimRng) -> f64 {
    loop {
        let x = 2.0 * unit(rng) - 1.0;
        let y = 2.0 * unit(rng) - 1.0;
        let s = x * x + y * y;
        if s > 0.0 && s < 1.0 {
            return x * (-2.0 * ln(s) / s).sqrt();
        }
    }
}

/// A log-normal draw: e^(ln median + sigma × Z).
pub fn log_normal(rng: &mut SimRng, median: f64, sigma: f64) -> f64 {
    exp(ln(median) + sigma * standard_normal(rng))
}

/// The number of successes in `n` trials of chance `p`.
pub fn binomial(rng: &mut SimRng, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    // Draw the rarer outcome.
    let flipped = p > 0.5;
    let p = if flipped { 1.0 - p } else { p };
    let q = 1.0 - p;
    let np = n as f64 * p;
    let k = if np < 10.0 {
        if q == 1.0 {
            poisson(rng, np)
        } else {
            binv(rng, n, p, q)
        }
    } else {
        btpe(rng, n, p, q)
    };
    let k = k.min(n);
    if flipped { n - k } else { k }
}

/// A Poisson draw with a small mean, by Knuth's product of uniforms; for
/// trials so rare that 1 − p rounds to 1.
fn poisson(rng: &mut SimRng, mean: f64) -> u64 {
    let limit = exp(-mean);
    let mut k = 0;
    let mut product = unit(rng);
    while product > limit {
        k += 1;
        product *= unit(rng);
    }
    k
}

/// Inversion, walking up the probability function from 0 (BINV).
fn binv(rng: &mut SimRng, n: u64, p: f64, q: f64) -> u64 {
    // Past this many the walk restarts: the tail beyond is negligible for n·p < 10.
    const MAX_X: u64 = 110;
    let s = p / q;
    let a = (n as f64 + 1.0) * s;
    let r0 = pow(q, n as f64);
    'draw: loop {
        let mut r = r0;
        let mut u = unit(rng);
        let mut x = 0;
        while u > r {
            u -= r;
            x += 1;
            if x > MAX_X {
                continue 'draw;
            }
            r *= a / (x as f64) - s;
        }
        return x;
    }
}

/// Float to count, for values the algorithm keeps in range (`as` saturates).
fn count(x: f64) -> u64 {
    x.max(0.0) as u64
}

/// BTPE: acceptance-rejection from a triangle, two parallelograms and two
/// exponential tails, with a squeeze and Stirling's formula for the rest.
#[allow(clippy::many_single_char_names)] // the reference's names
fn btpe(rng: &mut SimRng, n: u64, p: f64, q: f64) -> u64 {
    const SQUEEZE_THRESHOLD: u64 = 20;
    let nf = n as f64;
    let np = nf * p;
    let npq = np * q;
    let f_m = np + p;
    let m = count(f_m);
    let p1 = (2.195 * npq.sqrt() - 4.6 * q).floor() + 0.5;
    let x_m = m as f64 + 0.5;
    let x_l = x_m - p1;
    let x_r = x_m + p1;
    let c = 0.134 + 20.5 / (15.3 + m as f64);
    let p2 = p1 * (1.0 + 2.0 * c);
    let lambda = |a: f64| a * (1.0 + 0.5 * a);
    let lambda_l = lambda((f_m - x_l) / (f_m - x_l * p));
    let lambda_r = lambda((x_r - f_m) / (x_r * q));
    let p3 = p2 + c / lambda_l;
    let p4 = p3 + c / lambda_r;
    loop {
        let u = unit(rng) * p4;
        let mut v = unit(rng);
        let y: u64;
        if u <= p1 {
            // The triangle: accepted at once.
            return count(x_m - p1 * v + u);
        }
        if u <= p2 {
            let x = x_l + (u - p1) / c;
            v = v * c + 1.0 - (x - x_m).abs() / p1;
            if v > 1.0 || x < 0.0 {
                continue;
            }
            y = count(x);
        } else if u <= p3 {
            let x = x_l + ln(v) / lambda_l;
            if x < 0.0 {
                continue;
            }
            y = count(x);
            v *= (u - p2) * lambda_l;
        } else {
            let x = x_r - ln(v) / lambda_r;
            if x > nf {
                continue;
            }
            y = count(x);
            v *= (u - p3) * lambda_r;
        }
        let k = y.abs_diff(m);
        if !(k > SQUEEZE_THRESHOLD && (k as f64) < 0.5 * npq - 1.0) {
            // Near the mode: the probability ratio, step by step.
            let s = p / q;
            let a = s * (nf + 1.0);
            let mut f = 1.0;
            if m < y {
                for i in m + 1..=y {
                    f *= a / i as f64 - s;
                }
            } else {
                for i in y + 1..=m {
                    f /= a / i as f64 - s;
                }
            }
            if v <= f {
                return y;
            }
            continue;
        }
        // Far from the mode: squeeze, then the full test with Stirling's formula.
        let kf = k as f64;
        let rho = (kf / npq) * ((kf * (kf / 3.0 + 0.625) + 1.0 / 6.0) / npq + 0.5);
        let t = -0.5 * kf * kf / npq;
        let alpha = ln(v);
        if alpha < t - rho {
            return y;
        }
        if alpha > t + rho {
            continue;
        }
        let x1 = (y + 1) as f64;
        let f1 = (m + 1) as f64;
        let z = (n - m + 1) as f64;
        let w = (n - y + 1) as f64;
        let stirling = |a: f64| {
            let a2 = a * a;
            (13860.0 - (462.0 - (132.0 - (99.0 - 140.0 / a2) / a2) / a2) / a2) / a / 166_320.0
        };
        let y_sub_m = y as f64 - m as f64;
        let bound = x_m * ln(f1 / x1)
            + ((n - m) as f64 + 0.5) * ln(z / w)
            + y_sub_m * ln(w * p / (x1 * q))
            + stirling(f1)
            + stirling(z)
            - stirling(x1)
            - stirling(w);
        if alpha <= bound {
            return y;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RngStreams;

    fn moments(draws: impl Iterator<Item = f64>) -> (f64, f64) {
        let v: Vec<f64> = draws.collect();
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn binomial_mean_and_variance_in_every_regime() {
        let mut rng = RngStreams::new(3).stream("binomial-test");
        // Inversion (n·p < 10), BTPE, the flipped side, and the rare-event Poisson.
        for (n, p) in [
            (20, 0.1),
            (5000, 0.3),
            (40, 0.9),
            (100_000, 0.0005),
            (3, 1e-17),
        ] {
            let (mean, var) = moments((0..40_000).map(|_| binomial(&mut rng, n, p) as f64));
            let (want_mean, want_var) = (n as f64 * p, n as f64 * p * (1.0 - p));
            let se = (want_var / 40_000.0).sqrt();
            assert!(
                (mean - want_mean).abs() <= 5.0 * se + 1e-9,
                "B({n}, {p}): mean {mean} vs {want_mean}"
            );
            if want_var > 1e-6 {
                assert!(
                    (var / want_var - 1.0).abs() < 0.05,
                    "B({n}, {p}): variance {var} vs {want_var}"
                );
            }
        }
        assert_eq!(binomial(&mut rng, 0, 0.5), 0);
        assert_eq!(binomial(&mut rng, 7, 1.0), 7);
        assert_eq!(binomial(&mut rng, 7, 0.0), 0);
        assert_eq!(binomial(&mut rng, 7, f64::NAN), 0);
    }

    /// The ziggurat's distribution function at points in every part of it
    /// (narrow layers near 0, wide ones, wedges, the tail beyond R).
    #[test]
    fn exponential_draws_follow_the_distribution_function() {
        let z = &*ZIGGURAT;
        // The layers close at 0: the top one, from e^−x[255] to 1, has area V too.
        let top = z.x[255] * (1.0 - z.f[255]);
        assert!((top / ZIG_V - 1.0).abs() < 1e-6, "top layer area {top}");
        let mut rng = RngStreams::new(5).stream("ziggurat-test");
        let n = 400_000;
        let draws: Vec<f64> = (0..n).map(|_| standard_exponential(&mut rng)).collect();
        assert!(draws.iter().all(|x| x.is_finite() && *x >= 0.0));
        for t in [0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 7.0, ZIG_R, 9.0] {
            let want = exp(-t);
            let got = draws.iter().filter(|x| **x > t).count() as f64 / n as f64;
            let se = (want * (1.0 - want) / n as f64).sqrt();
            assert!(
                (got - want).abs() <= 5.0 * se + 1e-6,
                "P(X > {t}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn continuous_draws_have_their_moments() {
        let mut rng = RngStreams::new(4).stream("continuous-test");
        let (m, v) = moments((0..50_000).map(|_| exponential(&mut rng, 3.0)));
        assert!(
            (m - 3.0).abs() < 0.06 && (v / 9.0 - 1.0).abs() < 0.05,
            "{m} {v}"
        );
        let (m, v) = moments((0..50_000).map(|_| standard_normal(&mut rng)));
        assert!(m.abs() < 0.02 && (v - 1.0).abs() < 0.03, "{m} {v}");
        // Triangular(1, 2, 6): mean 3, variance (1 + 4 + 36 − 2 − 6 − 12) / 18.
        let (m, v) = moments((0..50_000).map(|_| triangular(&mut rng, 1.0, 2.0, 6.0)));
        assert!(
            (m - 3.0).abs() < 0.03 && (v / (21.0 / 18.0) - 1.0).abs() < 0.04,
            "{m} {v}"
        );
        let median = {
            let mut d: Vec<f64> = (0..20_001)
                .map(|_| log_normal(&mut rng, 5.0, 0.8))
                .collect();
            d.sort_by(f64::total_cmp);
            d[10_000]
        };
        assert!((median / 5.0 - 1.0).abs() < 0.03, "median {median}");
    }
}
