//! Command-line interface. Arguments are parsed by clap, turned into
//! validated inputs, and every failure is mapped to an exit code in one place:
//! 0 success, 1 a run failed at run time, 2 invalid input.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag::Diagnostic;
use crate::engine::Duration;
use crate::scenario::{self, LoadedScenario};

#[derive(Parser, Debug)]
#[command(
    name = "pacesim",
    version,
    about = "Crisis-exercise simulation engine for EU/NATO hybrid-threat exercises (PACE style)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run one headless exercise and print its summary; the last line is the event log's hash.
    Run {
        /// Scenario file (default: the bundled multi-domain Baltic campaign).
        scenario: Option<PathBuf>,
        /// Random seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Stop at this simulated time, e.g. `2d 6h` (default: the scenario's duration).
        #[arg(long, value_parser = parse_duration)]
        until: Option<Duration>,
        /// Write events.jsonl, summary.json and report.md into this directory.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check scenario files; errors name file:line:col. Exit 2 if any is invalid.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    s.parse()
        .map_err(|e: crate::engine::DurationParseError| e.to_string())
}

/// What went wrong, and so which exit code.
pub enum Failure {
    /// Bad usage or an invalid input file: exit 2.
    Input(Vec<Diagnostic>),
    /// The run itself failed (e.g. the output could not be written): exit 1.
    Run(String),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let color = std::io::stderr().is_terminal();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(diags)) => {
            for d in &diags {
                eprint!("{}", d.render(color));
            }
            ExitCode::from(2)
        }
        Err(Failure::Run(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn dispatch(cmd: Command) -> Result<(), Failure> {
    match cmd {
        Command::Validate { files } => validate(&files),
        Command::Run {
            scenario,
            seed,
            until,
            out,
        } => {
            let loaded = load_scenario(scenario.as_deref())?;
            crate::run::run_command(&loaded, seed, until, out.as_deref())
        }
    }
}

fn load_scenario(path: Option<&Path>) -> Result<LoadedScenario, Failure> {
    match path {
        // A broken bundled scenario is a build defect, not the user's input.
        None => scenario::default_scenario().map_err(|d| {
            Failure::Run(format!(
                "the bundled default scenario is invalid: {}",
                d.first().map_or(String::new(), |d| d.render(false))
            ))
        }),
        Some(p) => scenario::load_file(p).map_err(Failure::Input),
    }
}

fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut all = Vec::new();
    for f in files {
        match scenario::load_file(f) {
            Ok(l) => {
                let s = &l.scenario;
                println!(
                    "ok: {} ({}: {} countries, {} infrastructure nodes, {} campaigns, {} injects, {} objectives)",
                    f.display(),
                    s.name,
                    s.countries.len(),
                    s.infrastructure.nodes.len(),
                    s.campaigns.len(),
                    s.msel.len(),
                    s.objectives.len()
                );
            }
            Err(d) => {
                println!(
                    "invalid: {} ({} problem{})",
                    f.display(),
                    d.len(),
                    if d.len() == 1 { "" } else { "s" }
                );
                all.extend(d);
            }
        }
    }
    if all.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(all))
    }
}
