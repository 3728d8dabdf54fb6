//! `pacesim batch`: Monte Carlo replications per playbook set, with a
//! progress bar on a terminal, then the headline statistics and paired
//! differences on standard output.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{load_playbooks, say};
use crate::batch::{self, BatchJson, Meta, Plan, PlaybookSet};
use crate::cli::BatchArgs;
use crate::error::Failure;
use crate::metrics;
use crate::scenario::{self, LoadedScenario};

pub fn batch(a: BatchArgs) -> Result<(), Failure> {
    let loaded = scenario::load_file(&a.scenario)?;
    let sets = playbook_sets(&loaded, &a.playbooks)?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bar:40} {pos}/{len} replications  {elapsed} elapsed, eta {eta}",
            )
            .expect("a valid template"),
        );
        b
    });
    let progress = |k: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(k);
        }
    };
    let done = batch::run(
        &loaded,
        &sets,
        Plan {
            runs: a.runs,
            seed: a.seed,
            jobs: a.jobs,
            shard: a.shard,
            out: &a.out,
            keep_logs: a.keep_logs,
        },
        &progress,
    )?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    say(&summary(
        &done.json, &done.meta, done.rows, done.secs, &a.out,
    ))
}

fn summary(b: &BatchJson, meta: &Meta, rows: usize, secs: f64, out: &Path) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "pacesim batch: {} — replications {}..{} of {} (seed {}), {} playbook set(s), {rows} runs in {secs:.1} s ({:.0} runs/s)",
        meta.scenario,
        meta.first,
        meta.end,
        meta.runs,
        meta.seed,
        meta.sets.len(),
        rows as f64 / secs.max(1e-9)
    );
    for s in &b.sets {
        let _ = writeln!(o, "\n  {}", s.playbook);
        for m in metrics::headline() {
            if let Some(st) = s.stats.get(m.key) {
                let _ = writeln!(
                    o,
                    "    {:<46} mean {:>10}  95% CI [{}, {}]  p5 {}  p95 {}",
                    format!("{} ({})", m.label, m.unit.label()),
                    m.unit.show(st.mean),
                    m.unit.show(st.ci95[0]),
                    m.unit.show(st.ci95[1]),
                    m.unit.show(st.p5),
                    m.unit.show(st.p95)
                );
            }
        }
    }
    for c in &b.comparisons {
        let _ = writeln!(
            o,
            "\n  {} vs {} (paired, same seeds):",
            c.candidate, c.baseline
        );
        for p in c.paired.iter().filter(|p| p.significant) {
            let def = b.metrics.iter().find(|d| d.name == p.metric);
            let label = def.map_or(p.metric.as_str(), |d| d.label.as_str());
            let [d, lo, hi] = [p.mean_difference, p.ci95[0], p.ci95[1]]
                .map(|v| def.map_or_else(|| format!("{v:+.3}"), |d| d.unit.show_change(v)));
            let _ = writeln!(
                o,
                "    {label:<46} {d:>10}  95% CI [{lo}, {hi}]  {}",
                p.verdict
            );
        }
        let unclear = c.paired.iter().filter(|p| !p.significant).count();
        let _ = writeln!(o, "    ({unclear} other metrics show no clear difference)");
    }
    let _ = writeln!(
        o,
        "\nwrote {0}/runs.csv, {0}/batch.json, {0}/shard.json",
        out.display()
    );
    o
}

/// Batch playbook sets: one per `--playbook` (commas combine files), or the
/// scenario's own playbooks as the only set. Labels are unique.
fn playbook_sets(loaded: &LoadedScenario, given: &[String]) -> Result<Vec<PlaybookSet>, Failure> {
    let mut sets = Vec::new();
    if given.is_empty() {
        let p = load_playbooks(loaded, &[])?;
        sets.push(p);
    }
    for g in given {
        let files: Vec<PathBuf> = g.split(',').map(|f| PathBuf::from(f.trim())).collect();
        sets.push(load_playbooks(loaded, &files)?);
    }
    let mut out: Vec<PlaybookSet> = Vec::new();
    for playbooks in sets {
        let mut label = if playbooks.is_empty() {
            "national responders only".to_string()
        } else {
            playbooks
                .iter()
                .map(|p| p.playbook.name.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        };
        if out.iter().any(|s| s.label == label) {
            label = format!("{label} #{}", out.len() + 1);
        }
        out.push(PlaybookSet { label, playbooks });
    }
    Ok(out)
}
