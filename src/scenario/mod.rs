//! Scenario files: the format ([`model`]), reading with positioned errors
//! ([`crate::input::load`]), MSEL spreadsheets ([`msel`]), and resolution
//! into the compiled world ([`resolve`], [`catalog`]), whose problems are
//! shown at their `file:line:col` ([`crate::input::locate`]).
//!
//! A scenario describes one exercise: the member states and their national
//! capacities, the critical-infrastructure graph, the audiences narratives
//! reach, the hostile campaigns, the MSEL and the objectives.

pub mod catalog;
pub mod model;
pub mod msel;
pub mod resolve;

use std::path::Path;

pub use model::*;

use crate::diag::{Diagnostic, SourceFile};
use crate::input::load;
use crate::input::locate::{Locator, Seg};
use catalog::Catalog;
use resolve::Problems;

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
    /// The MSEL spreadsheet the scenario names, if any. Its injects follow
    /// the file's own in `scenario.msel`.
    pub msel_sheet: Option<msel::Sheet>,
}

impl LoadedScenario {
    /// Resolves the scenario into the compiled world, each problem shown at
    /// the value it is about, in the scenario file or the MSEL spreadsheet.
    pub fn compile(&self) -> Result<Catalog, Vec<Diagnostic>> {
        Catalog::compile(&self.scenario).map_err(|p| self.diagnostics(p))
    }

    /// Problems located and ordered by file and position.
    fn diagnostics(&self, problems: Problems) -> Vec<Diagnostic> {
        let mut text = Locator::new(&self.source.text);
        // Injects from the spreadsheet are numbered after the file's own.
        let sheet = self.msel_sheet.as_ref().map(|sheet| {
            let first = self.scenario.msel.len().saturating_sub(sheet.len());
            (sheet, first)
        });
        let mut located: Vec<_> = problems
            .found
            .into_iter()
            .map(|p| match (p.at.segs(), sheet) {
                ([Seg::Key("msel"), Seg::Index(k), rest @ ..], Some((sheet, first)))
                    if *k >= first =>
                {
                    (Some(&sheet.source), sheet.locate(k - first, rest), p)
                }
                (path, _) => (None, text.find(path).value, p),
            })
            .collect();
        // The scenario file first, then the spreadsheet; each in text order.
        located.sort_by_key(|(in_sheet, span, _)| (in_sheet.is_some(), span.start));
        let mut out: Vec<Diagnostic> = located
            .into_iter()
            .map(|(in_sheet, span, p)| {
                let src = in_sheet.unwrap_or(&self.source);
                let d = Diagnostic::at(src, span.start, span.len(), p.message, p.label);
                match p.help {
                    Some(h) => d.with_help(h),
                    None => d,
                }
            })
            .collect();
        if problems.more > 0 {
            out.push(Diagnostic::file(
                &self.source.name,
                format!(
                    "and {} more problem{} not shown; fix these first",
                    problems.more,
                    if problems.more == 1 { "" } else { "s" }
                ),
            ));
        }
        out
    }
}

/// Reads, parses and checks a scenario file.
pub fn load_file(path: &Path) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let source = load::read_source(path).map_err(|d| vec![d])?;
    from_source(source)
}

/// Parses scenario text already in memory, reads the MSEL spreadsheet it
/// names, and resolves it: a scenario that loads also compiles.
pub fn from_source(source: SourceFile) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let mut scenario: Scenario = load::parse(&source, "Scenario").map_err(|d| vec![d])?;
    let msel_sheet = match &scenario.msel_csv {
        Some(csv) => {
            let (injects, sheet) = msel::load_for(&source.name, csv)?;
            scenario.msel.extend(injects);
            Some(sheet)
        }
        None => None,
    };
    let loaded = LoadedScenario {
        source,
        scenario,
        msel_sheet,
    };
    loaded.compile()?;
    Ok(loaded)
}

/// The bundled default scenario.
pub fn default_scenario() -> Result<LoadedScenario, Vec<Diagnostic>> {
    let (name, text) = DEFAULT_SCENARIO;
    from_source(SourceFile::new(name, text))
}
