//! `pacesim run`: one headless exercise, its summary on standard output
//! (the last line `log-hash: ...`, or one JSON object with `--json`), and
//! with `--out` its run directory.

use serde::Serialize;

use super::{load_playbooks, load_scenario, say};
use crate::cli::RunArgs;
use crate::engine::SimTime;
use crate::error::Failure;
use crate::metrics::Summary;
use crate::report::write_run_dir;
use crate::run::{compare_with_national, compile, execute};

/// What `run --json` prints: the summary, with the log hash in it.
#[derive(Serialize)]
struct JsonRun<'a> {
    log_hash: &'a str,
    #[serde(flatten)]
    summary: &'a Summary,
}

pub fn run(a: RunArgs) -> Result<(), Failure> {
    let loaded = load_scenario(a.inputs.scenario.as_deref())?;
    let playbooks = load_playbooks(&loaded, &a.inputs.playbooks)?;
    let cat = compile(&loaded, &playbooks)?;
    if let Some(u) = a.until
        && u > cat.duration
    {
        return Err(Failure::input(
            "--until",
            format!(
                "{u} lies past the end of the scenario ({}); give at most {}",
                SimTime(cat.duration.0),
                cat.duration
            ),
        ));
    }
    let seed = a.seed.unwrap_or(cat.default_seed);
    let started = std::time::Instant::now();
    let mut done = execute(cat.clone(), seed, a.until);
    let elapsed = started.elapsed();
    compare_with_national(&loaded, &mut done, seed)?;
    let hash = match &a.out {
        Some(dir) => write_run_dir(dir, &done)?,
        None => done
            .sim
            .model
            .write_log(std::io::sink())
            .map_err(|e| Failure::Run(e.to_string()))?,
    };
    if a.json {
        let json = serde_json::to_string_pretty(&JsonRun {
            log_hash: &hash,
            summary: &done.summary,
        })
        .map_err(|e| Failure::Run(e.to_string()))?;
        return say(&format!("{json}\n"));
    }
    let text = crate::report::text::run_summary(&cat, &done.summary, elapsed, a.out.as_deref());
    say(&format!("{text}log-hash: {hash}\n"))
}
