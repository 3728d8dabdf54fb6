//! The floating-point functions of the simulation path, from one
//! implementation (the pure-Rust `libm`) on every machine, operating system
//! and build profile, so that a seed gives the same log everywhere. The
//! platform's own `exp` and `ln` differ in the last bit between C libraries,
//! and which one Rust's `f64::exp` calls can even change with the features a
//! dependency turns on. `sqrt` is exactly rounded by IEEE 754, so the
//! hardware's is the same everywhere and stays.
//!
//! `clippy.toml` forbids `f64::exp`, `f64::ln` and their kin elsewhere.

/// e^x.
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// The natural logarithm.
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), accurate for small x.
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// x^y.
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values fixed once from this implementation: if a libm update moved
    /// them, golden log hashes would move too.
    #[test]
    fn known_values_bit_for_bit() {
        assert_eq!(exp(1.0).to_bits(), 0x4005_bf0a_8b14_576a);
        assert_eq!(ln(10.0).to_bits(), 0x4002_6bb1_bbb5_5516);
        assert_eq!(ln_1p(-0.25).to_bits(), 0xbfd2_6962_1134_db92);
        assert_eq!(pow(0.9, 1000.0).to_bits(), 0x366f_ee74_13da_c341);
    }
}
