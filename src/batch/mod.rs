//! `pacesim batch` and `pacesim merge`: Monte Carlo replications for
//! planners, on all cores or as shards on a cluster.
//!
//! Replication `i` runs with a seed derived from the base seed and `i`, the
//! same for every playbook set, so sets meet the same attacks (common random
//! numbers) and differences are paired. Rows are produced in any order but
//! kept in index order, and every number is printed from the same rounded
//! value, so `runs.csv` and `batch.json` are byte-identical whatever `--jobs`
//! is and however the replications were sharded.

pub mod stats;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::control::journal::sha256;
use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::metrics::{self, Column, Rating};
use crate::output::{write_atomic, write_json};
use crate::playbook::LoadedPlaybook;
use crate::response::eu::mechanisms::{self, Mechanism};
use crate::run::{compile, execute};
use crate::scenario::LoadedScenario;
use crate::scenario::catalog::Catalog;
use stats::{Paired, Stats};

/// One playbook set: the playbooks combined for a column of replications.
pub struct PlaybookSet {
    pub label: String,
    pub playbooks: Vec<LoadedPlaybook>,
}

/// What a batch (or a shard of one) was run with; shards merge only when
/// everything but the slice is equal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub pacesim_batch: u32,
    pub version: String,
    pub scenario: String,
    pub scenario_sha256: String,
    pub sets: Vec<SetMeta>,
    pub runs: u64,
    pub seed: u64,
    /// This output's slice of the replications: `[first, end)`.
    pub first: u64,
    pub end: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetMeta {
    pub label: String,
    pub playbooks_sha256: Vec<String>,
}

/// One replication of one set.
#[derive(Clone, Debug)]
pub struct Row {
    pub index: u64,
    pub seed: u64,
    pub set: usize,
    pub values: Vec<Option<f64>>,
    pub ratings: Vec<Rating>,
}

/// The seed of replication `index`: independent of the set, so sets are paired.
pub fn replication_seed(base: u64, index: u64) -> u64 {
    let mut h = Sha256::new();
    h.update(b"pacesim-replication-v1\0");
    h.update(base.to_le_bytes());
    h.update(index.to_le_bytes());
    u64::from_le_bytes(h.finalize()[..8].try_into().expect("8 bytes"))
}

/// The `[first, end)` slice of `runs` that shard `k` of `n` runs.
pub fn slice(runs: u64, k: u64, n: u64) -> (u64, u64) {
    // In u128: runs × (k + 1) can pass u64 for huge K and N.
    let at =
        |k: u64| u64::try_from(u128::from(runs) * u128::from(k) / u128::from(n)).unwrap_or(runs);
    (at(k), at(k + 1))
}

/// How to run a batch.
pub struct Plan<'a> {
    pub runs: u64,
    pub seed: Option<u64>,
    pub jobs: Option<usize>,
    pub shard: Option<(u64, u64)>,
    pub out: &'a Path,
    pub keep_logs: bool,
}

/// A batch that has run and written its outputs.
pub struct Done {
    pub json: BatchJson,
    pub meta: Meta,
    pub rows: usize,
    pub secs: f64,
}

/// Runs the replications of `plan` for every playbook set, on all cores,
/// calling `progress` with the number done so far, and writes the outputs.
pub fn run(
    loaded: &LoadedScenario,
    sets: &[PlaybookSet],
    a: Plan,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Done, Failure> {
    if a.runs == 0 {
        return Err(Failure::input("--runs", "needs at least one replication"));
    }
    let cats: Vec<Arc<Catalog>> = sets
        .iter()
        .map(|s| compile(loaded, &s.playbooks))
        .collect::<Result<_, _>>()?;
    let base = a.seed.unwrap_or(cats[0].default_seed);
    let with_eu = cats.iter().any(|c| !mechanisms::national_only(&c.response));
    let (k, n) = a.shard.unwrap_or((0, 1));
    let (first, end) = slice(a.runs, k, n);
    let meta = Meta {
        pacesim_batch: 1,
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: loaded.scenario.name.clone(),
        scenario_sha256: sha256(&loaded.source.text),
        sets: sets
            .iter()
            .map(|s| SetMeta {
                label: s.label.clone(),
                playbooks_sha256: s.playbooks.iter().map(|p| sha256(&p.source.text)).collect(),
            })
            .collect(),
        runs: a.runs,
        seed: base,
        first,
        end,
    };
    std::fs::create_dir_all(a.out)
        .map_err(|e| Failure::Run(format!("cannot create {}: {e}", a.out.display())))?;
    if a.keep_logs {
        std::fs::create_dir_all(a.out.join("logs"))
            .map_err(|e| Failure::Run(format!("cannot create logs: {e}")))?;
    }

    let total = (end - first) * sets.len() as u64;
    let done = AtomicU64::new(0);
    let started = std::time::Instant::now();
    let work = || -> Result<Vec<Vec<Row>>, String> {
        use rayon::prelude::*;
        (first..end)
            .into_par_iter()
            .map(|i| {
                let seed = replication_seed(base, i);
                let mut rows = Vec::with_capacity(cats.len());
                for (set, cat) in cats.iter().enumerate() {
                    let f = execute(cat.clone(), seed, None);
                    if a.keep_logs {
                        keep_log(a.out, &f, set, i)?;
                    }
                    rows.push(Row {
                        index: i,
                        seed,
                        set,
                        values: metrics::values(cat, with_eu, &f.summary),
                        ratings: f.summary.objectives.iter().map(|o| o.rating).collect(),
                    });
                    let k = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(k, total);
                }
                Ok(rows)
            })
            .collect()
    };
    let rows = match a.jobs {
        Some(j) => rayon::ThreadPoolBuilder::new()
            .num_threads(j.max(1))
            .build()
            .map_err(|e| Failure::Run(e.to_string()))?
            .install(work),
        None => work(),
    }
    .map_err(Failure::Run)?;
    let rows: Vec<Row> = rows.into_iter().flatten().collect();
    let secs = started.elapsed().as_secs_f64();
    let json = write_outputs(a.out, &meta, &Columns::of(&cats, with_eu), &rows)?;
    Ok(Done {
        json,
        meta,
        rows: rows.len(),
        secs,
    })
}

fn keep_log(out: &Path, f: &crate::run::Finished, set: usize, index: u64) -> Result<(), String> {
    let path = out
        .join("logs")
        .join(format!("set{set}-run{index:06}.jsonl"));
    write_atomic(&path, |w| f.sim.model.write_log(w).map(|_| ()))
}

/// `batch.json`: per set and metric, summary statistics and rating
/// frequencies; for every set after the first, paired differences against it.
#[derive(Debug, Serialize, Deserialize)]
pub struct BatchJson {
    pub scenario: String,
    pub version: String,
    pub runs: u64,
    pub seed: u64,
    pub first: u64,
    pub end: u64,
    pub exercise: ExerciseInfo,
    pub metrics: Vec<Column>,
    pub objectives: Vec<ObjectiveInfo>,
    pub sets: Vec<SetJson>,
    pub comparisons: Vec<Comparison>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SetJson {
    pub playbook: String,
    pub stats: BTreeMap<String, Stats>,
    /// Per objective, how often each rating came out.
    pub ratings: BTreeMap<String, BTreeMap<String, usize>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Comparison {
    pub baseline: String,
    pub candidate: String,
    pub paired: Vec<Paired>,
}

/// The columns of a batch: its metrics and objectives, from the scenario or
/// read back from a shard's files.
pub struct Columns {
    pub defs: Vec<Column>,
    pub objectives: Vec<ObjectiveInfo>,
    pub exercise: ExerciseInfo,
}

/// What the after-action report of a batch needs to know of the exercise.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExerciseInfo {
    pub start: String,
    pub end: String,
    pub participants: Vec<String>,
    pub threats: Vec<String>,
}

/// An objective as batch outputs name it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ObjectiveInfo {
    pub id: String,
    pub title: String,
    /// What it measures: detect, restore, service_loss, identify, casualties, trust or reach.
    pub kind: String,
}

impl Columns {
    /// The columns of a batch over the sets' catalogs (one scenario, so the
    /// same but for the mechanisms each set's playbooks bring).
    pub fn of(cats: &[Arc<Catalog>], with_eu: bool) -> Columns {
        let cat = &cats[0];
        // The bodies of every mechanism some set brings.
        let brought: Vec<Mechanism> = mechanisms::MECHANISMS
            .iter()
            .filter(|m| cats.iter().any(|c| (m.present)(&c.response)))
            .map(|m| m.id)
            .collect();
        let participants = cat
            .countries
            .iter()
            .map(|c| c.id.to_string())
            .chain(
                mechanisms::participants(&brought)
                    .into_iter()
                    .map(String::from),
            )
            .collect();
        Columns {
            defs: metrics::columns(cat, with_eu),
            objectives: cat
                .objectives
                .iter()
                .map(|o| ObjectiveInfo {
                    id: o.id.to_string(),
                    title: o.title.clone(),
                    kind: o.criterion.kind().to_string(),
                })
                .collect(),
            exercise: ExerciseInfo {
                start: cat.start.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                end: (cat.start + chrono::Duration::seconds(cat.duration.0 as i64))
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string(),
                participants,
                threats: cat
                    .campaigns
                    .iter()
                    .map(|c| format!("{} ({})", c.name, cat.actors[c.actor.i()].name))
                    .collect(),
            },
        }
    }
}

fn aggregate(meta: &Meta, cols: &Columns, rows: &[Row]) -> BatchJson {
    let defs = cols.defs.clone();
    let objectives = &cols.objectives;
    let of_set = |s: usize| rows.iter().filter(move |r| r.set == s);
    let sets = meta
        .sets
        .iter()
        .enumerate()
        .map(|(s, sm)| SetJson {
            playbook: sm.label.clone(),
            stats: defs
                .iter()
                .enumerate()
                .filter_map(|(m, d)| {
                    stats::stats(of_set(s).filter_map(|r| r.values[m]))
                        .map(|st| (d.name.clone(), st))
                })
                .collect(),
            ratings: objectives
                .iter()
                .enumerate()
                .map(|(o, info)| {
                    let id = &info.id;
                    let mut f: BTreeMap<String, usize> = Rating::ALL
                        .into_iter()
                        .map(|l| (l.letter().to_string(), 0))
                        .collect();
                    for r in of_set(s) {
                        if let Some(l) = r.ratings.get(o) {
                            *f.entry(l.letter().to_string()).or_insert(0) += 1;
                        }
                    }
                    (id.clone(), f)
                })
                .collect(),
        })
        .collect();
    let comparisons = (1..meta.sets.len())
        .map(|c| Comparison {
            baseline: meta.sets[0].label.clone(),
            candidate: meta.sets[c].label.clone(),
            paired: defs
                .iter()
                .enumerate()
                .filter_map(|(m, d)| {
                    let base: BTreeMap<u64, f64> = of_set(0)
                        .filter_map(|r| r.values[m].map(|v| (r.index, v)))
                        .collect();
                    stats::paired(
                        d,
                        of_set(c).filter_map(|r| Some((*base.get(&r.index)?, r.values[m]?))),
                    )
                })
                .collect(),
        })
        .collect();
    BatchJson {
        scenario: meta.scenario.clone(),
        version: meta.version.clone(),
        runs: meta.runs,
        seed: meta.seed,
        first: meta.first,
        end: meta.end,
        exercise: cols.exercise.clone(),
        metrics: defs,
        objectives: cols.objectives.clone(),
        sets,
        comparisons,
    }
}

fn csv_header(cols: &Columns) -> Vec<String> {
    let mut head = vec!["index".to_string(), "seed".into(), "playbook".into()];
    head.extend(cols.defs.iter().map(|d| d.name.clone()));
    head.extend(cols.objectives.iter().map(|o| format!("rating.{}", o.id)));
    head
}

fn fmt_value(v: Option<f64>) -> String {
    v.map_or(String::new(), |x| format!("{x}"))
}

/// Writes `runs.csv`, `batch.json` and `shard.json`, each atomically.
pub fn write_outputs(
    out: &Path,
    meta: &Meta,
    cols: &Columns,
    rows: &[Row],
) -> Result<BatchJson, Failure> {
    write_atomic(&out.join("runs.csv"), |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(csv_header(cols))
            .map_err(std::io::Error::other)?;
        for r in rows {
            let mut rec = vec![
                r.index.to_string(),
                r.seed.to_string(),
                meta.sets[r.set].label.clone(),
            ];
            rec.extend(r.values.iter().map(|v| fmt_value(*v)));
            rec.extend(r.ratings.iter().map(|l| l.letter().to_string()));
            c.write_record(&rec).map_err(std::io::Error::other)?;
        }
        c.flush()
    })
    .map_err(Failure::Run)?;
    let b = aggregate(meta, cols, rows);
    write_json(&out.join("batch.json"), &b).map_err(Failure::Run)?;
    write_json(&out.join("shard.json"), meta).map_err(Failure::Run)?;
    Ok(b)
}

/// Shards of one batch, checked and joined: the unsharded batch's meta,
/// columns and rows.
pub struct Merged {
    pub meta: Meta,
    pub columns: Columns,
    pub rows: Vec<Row>,
    pub shards: usize,
}

/// Reads the shards in `dirs` and joins them; refuses shards of other
/// inputs or versions, overlaps, gaps and incomplete or repeated rows, all
/// before anything is written.
pub fn merge(dirs: &[std::path::PathBuf]) -> Result<Merged, Failure> {
    let bad = |d: &Path, msg: String| {
        Failure::Input(vec![Diagnostic::file(&d.display().to_string(), msg)])
    };
    let mut shards = Vec::new();
    for d in dirs {
        let text = std::fs::read_to_string(d.join("shard.json"))
            .map_err(|e| bad(d, format!("not a batch output (shard.json: {e})")))?;
        let meta: Meta = serde_json::from_str(&text)
            .map_err(|e| bad(d, format!("shard.json:{}:{}: {e}", e.line(), e.column())))?;
        shards.push((d.clone(), meta));
    }
    let Some((d0, m0)) = shards.first().cloned() else {
        return Err(Failure::Input(vec![Diagnostic::file(
            "merge",
            "no shard directories given",
        )]));
    };
    for (d, m) in &shards[1..] {
        let same = |m: &Meta| Meta {
            first: 0,
            end: 0,
            ..m.clone()
        };
        if same(m) != same(&m0) {
            let why = if m.version != m0.version {
                "another pacesim version"
            } else if m.scenario_sha256 != m0.scenario_sha256 {
                "another scenario"
            } else if m.sets != m0.sets {
                "other playbooks"
            } else if m.runs != m0.runs {
                "another number of runs"
            } else {
                "another seed"
            };
            return Err(bad(d, format!("comes from {why} than {}", d0.display())));
        }
    }
    shards.sort_by_key(|(_, m)| (m.first, m.end));
    let mut at = 0;
    for (d, m) in &shards {
        if m.first < at {
            return Err(bad(
                d,
                format!(
                    "overlaps another shard (replications {}..{} again)",
                    m.first,
                    at.min(m.end)
                ),
            ));
        }
        if m.first > at {
            return Err(bad(
                d,
                format!(
                    "leaves a gap: replications {at}..{} are in no shard",
                    m.first
                ),
            ));
        }
        at = m.end;
    }
    if at != m0.runs {
        return Err(Failure::Input(vec![Diagnostic::file(
            "merge",
            format!("replications {at}..{} are in no shard", m0.runs),
        )]));
    }
    let mut rows = Vec::new();
    let columns = read_columns(&shards[0].0).map_err(|e| bad(&shards[0].0, e))?;
    for (d, m) in &shards {
        let mut got = read_rows(d, m, &columns).map_err(|e| bad(d, e))?;
        // Exactly one row per replication of the slice and set, in order.
        got.sort_by_key(|r| (r.index, r.set));
        let want = (m.end - m.first) as usize * m.sets.len();
        let complete = got.len() == want
            && got.iter().enumerate().all(|(k, r)| {
                r.index == m.first + (k / m.sets.len()) as u64 && r.set == k % m.sets.len()
            });
        if !complete {
            return Err(bad(
                d,
                format!(
                    "runs.csv should hold one row per replication {}..{} and playbook set ({want} rows); it holds {} or repeats some",
                    m.first,
                    m.end,
                    got.len()
                ),
            ));
        }
        rows.extend(got);
    }
    Ok(Merged {
        meta: Meta {
            first: 0,
            end: m0.runs,
            ..m0.clone()
        },
        columns,
        rows,
        shards: shards.len(),
    })
}

fn read_columns(dir: &Path) -> Result<Columns, String> {
    let text =
        std::fs::read_to_string(dir.join("batch.json")).map_err(|e| format!("batch.json: {e}"))?;
    let b: BatchJson = serde_json::from_str(&text)
        .map_err(|e| format!("batch.json:{}:{}: {e}", e.line(), e.column()))?;
    Ok(Columns {
        defs: b.metrics,
        objectives: b.objectives,
        exercise: b.exercise,
    })
}

fn read_rows(dir: &Path, meta: &Meta, cols: &Columns) -> Result<Vec<Row>, String> {
    let path = dir.join("runs.csv");
    let mut rdr = csv::Reader::from_path(&path).map_err(|e| format!("runs.csv: {e}"))?;
    let head = rdr.headers().map_err(|e| format!("runs.csv: {e}"))?.clone();
    let expected = csv_header(cols);
    if head.iter().ne(expected.iter().map(String::as_str)) {
        return Err(format!(
            "runs.csv:1: the header does not list this batch's {} columns (index, seed, playbook, its metrics and ratings)",
            expected.len()
        ));
    }
    let metrics_n = cols.defs.len();
    let mut rows = Vec::new();
    for (k, rec) in rdr.records().enumerate() {
        let line = k + 2;
        let rec = rec.map_err(|e| format!("runs.csv:{line}: {e}"))?;
        let num = |i: usize| -> Result<u64, String> {
            rec.get(i)
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| format!("runs.csv:{line}: column {} is not a whole number", i + 1))
        };
        let index = num(0)?;
        if index < meta.first || index >= meta.end {
            return Err(format!(
                "runs.csv:{line}: replication {index} lies outside this shard"
            ));
        }
        let label = rec.get(2).unwrap_or_default();
        let set = meta
            .sets
            .iter()
            .position(|s| s.label == label)
            .ok_or_else(|| format!("runs.csv:{line}: unknown playbook set `{label}`"))?;
        let mut values = Vec::with_capacity(metrics_n);
        for i in 3..3 + metrics_n {
            let v = rec.get(i).unwrap_or_default();
            values.push(if v.is_empty() {
                None
            } else {
                Some(
                    v.parse::<f64>()
                        .map_err(|_| format!("runs.csv:{line}:{}: `{v}` is not a number", i + 1))?,
                )
            });
        }
        let ratings = (3 + metrics_n..rec.len())
            .map(|i| match rec.get(i).unwrap_or_default() {
                "P" => Ok(Rating::P),
                "S" => Ok(Rating::S),
                "M" => Ok(Rating::M),
                "U" => Ok(Rating::U),
                other => Err(format!(
                    "runs.csv:{line}:{}: `{other}` is not a rating",
                    i + 1
                )),
            })
            .collect::<Result<_, _>>()?;
        rows.push(Row {
            index,
            seed: num(1)?,
            set,
            values,
            ratings,
        });
    }
    Ok(rows)
}
