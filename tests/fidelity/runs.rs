//! Running a shipped scenario (or one a test writes out) on many seeds in
//! this process, and reading what happened off each run's typed log.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use pacesim::diag::SourceFile;
use pacesim::engine::SimTime;
use pacesim::exercise::What;
use pacesim::log::Event;
use pacesim::metrics::Summary;
use pacesim::scenario::catalog::Catalog;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A shipped scenario compiled with `playbooks` (paths from the project
/// root), or with the playbooks it names when `playbooks` is `None`, then
/// changed by `change` (a lever: a section taken out, more units, ...).
pub fn compile(
    scenario: &str,
    playbooks: Option<&[&str]>,
    change: impl FnOnce(&mut Catalog),
) -> Arc<Catalog> {
    let loaded = pacesim::scenario::load_file(&root().join(scenario))
        .unwrap_or_else(|d| panic!("{scenario} loads: {d:?}"));
    let pbs = match playbooks {
        None => pacesim::playbook::load_named(&loaded.source.name, &loaded.scenario.playbooks)
            .unwrap_or_else(|d| panic!("{scenario}'s playbooks load: {d:?}")),
        Some(files) => files
            .iter()
            .map(|f| {
                pacesim::playbook::load_file(&root().join(f))
                    .unwrap_or_else(|d| panic!("{f} loads: {d:?}"))
            })
            .collect(),
    };
    let mut cat = pacesim::run::compile(&loaded, &pbs)
        .unwrap_or_else(|d| panic!("{scenario} compiles: {d:?}"));
    change(Arc::get_mut(&mut cat).expect("a catalog just compiled has one owner"));
    cat
}

/// One finished run, as a measure sees it.
pub struct Run<'a> {
    pub cat: &'a Catalog,
    pub log: &'a [Event<What>],
    pub summary: &'a Summary,
}

impl Run<'_> {
    /// Hours from `from` to `to`.
    pub fn hours(from: SimTime, to: SimTime) -> f64 {
        to.since(from).0 as f64 / 3600.0
    }
}

/// `measure` of each run of `cat` on seeds `1..=n`, in seed order, run on all cores.
pub fn each<T: Send>(cat: &Arc<Catalog>, n: u64, measure: impl Fn(&Run) -> T + Sync) -> Vec<T> {
    (1..=n)
        .into_par_iter()
        .map(|seed| {
            let done = pacesim::run::execute(cat.clone(), seed, None);
            let run = Run {
                cat,
                log: done.sim.model.log(),
                summary: &done.summary,
            };
            measure(&run)
        })
        .collect()
}

/// Whether the fidelity checks run: in the release profile only.
pub fn release() -> bool {
    !cfg!(debug_assertions)
}

/// A scenario given as text, compiled with playbooks also given as text
/// (full `Playbook(...)` files, merged in order; none for national
/// responders alone).
pub fn compile_text(scenario: &str, playbooks: &[&str]) -> Arc<Catalog> {
    let loaded = pacesim::scenario::from_source(SourceFile::new("test.ron", scenario))
        .unwrap_or_else(|d| panic!("the test scenario loads: {}", d[0].render(false)));
    let pbs: Vec<_> = playbooks
        .iter()
        .enumerate()
        .map(|(i, text)| {
            pacesim::playbook::from_source(SourceFile::new(format!("playbook{i}.ron"), *text))
                .unwrap_or_else(|d| panic!("test playbook {i} loads: {}", d[0].render(false)))
        })
        .collect();
    pacesim::run::compile(&loaded, &pbs)
        .unwrap_or_else(|d| panic!("the test scenario compiles: {}", d[0].render(false)))
}
