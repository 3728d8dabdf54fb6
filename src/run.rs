//! `pacesim run` (placeholder while the exercise model is written).
use std::path::Path;

use crate::cli::Failure;
use crate::engine::Duration;
use crate::scenario::LoadedScenario;

pub fn run_command(_s: &LoadedScenario, _seed: Option<u64>, _until: Option<Duration>, _out: Option<&Path>) -> Result<(), Failure> {
    Err(Failure::Run("not yet".into()))
}
