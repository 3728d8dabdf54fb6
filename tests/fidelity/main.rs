//! Model fidelity: does pacesim give the answers real incidents gave, and do
//! the EU mechanisms move outcomes the way experts expect?
//!
//! - [`calibration`]: every figure from a real incident the model can express,
//!   measured over 200 seeds of the shipped scenario that models it, in
//!   `docs/CALIBRATION.md` (`PACESIM_CALIBRATION_WRITE=1` writes it again).
//! - [`levers`]: each mechanism of each shipped EU playbook taken out, and
//!   the directions experts expect, as paired batches, in `docs/LEVERS.md`.
//! - [`queues`]: repair crews, ERCC desks, Fusion Cell analysts and CSIRT
//!   teams, each reduced to a queue whose wait theory knows.
//!
//! Many runs per check: these tests run in the release profile
//! (`cargo test --release --test fidelity`, as `.ci/run` does); a debug
//! build skips them.

mod calibration;
mod levers;
mod queues;
mod runs;
