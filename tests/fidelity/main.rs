//! Model fidelity: does pacesim give the answers real incidents gave, and do
//! the EU mechanisms move outcomes the way experts expect?
//!
//! - [`calibration`]: every figure of DOMAIN.md the model can express,
//!   measured over 200 seeds of the shipped scenario that models it, in
//!   `docs/CALIBRATION.md` (`PACESIM_CALIBRATION_WRITE=1` writes it again).
//!
//! Many runs per check: these tests run in the release profile
//! (`cargo test --release --test fidelity`, as `.ci/run` does); a debug
//! build skips them.

mod calibration;
mod levers;
mod runs;
