//! Scenario files: the format ([`model`]), reading with positioned errors
//! ([`load`]) and cross-reference checks ([`check`]).
//!
//! A scenario describes one exercise: the member states and their national
//! capacities, the critical-infrastructure graph, the audiences narratives
//! reach, the hostile campaigns, the MSEL and the objectives.

pub mod check;
pub mod load;
pub mod locate;
pub mod model;
pub mod msel;

use std::path::Path;

pub use model::*;

use crate::diag::{Diagnostic, SourceFile};

/// The default scenario, built into the binary so `pacesim run` works anywhere.
pub const DEFAULT_SCENARIO: (&str, &str) = (
    "scenarios/baltic_hybrid.ron",
    include_str!("../../scenarios/baltic_hybrid.ron"),
);

/// A checked scenario and the text it came from.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    pub source: SourceFile,
    pub scenario: Scenario,
}

/// Reads, parses and checks a scenario file.
pub fn load_file(path: &Path) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let source = load::read_source(path).map_err(|d| vec![d])?;
    from_source(source)
}

/// Parses and checks scenario text already in memory.
pub fn from_source(source: SourceFile) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let mut scenario: Scenario = load::parse(&source, "Scenario").map_err(|d| vec![d])?;
    if let Some(csv) = &scenario.msel_csv {
        let injects = msel::load_for(&source.name, csv)?;
        scenario.msel.extend(injects);
    }
    let problems = check::check(&scenario, &source);
    if problems.is_empty() {
        Ok(LoadedScenario { source, scenario })
    } else {
        Err(problems)
    }
}

/// The bundled default scenario.
pub fn default_scenario() -> Result<LoadedScenario, Vec<Diagnostic>> {
    let (name, text) = DEFAULT_SCENARIO;
    from_source(SourceFile::new(name, text))
}
