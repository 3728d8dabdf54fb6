//! Command-line interface. Arguments are parsed by clap, turned into
//! validated inputs, and every failure is mapped to an exit code in one place:
//! 0 success, 1 a run failed at run time, 2 invalid input.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag::Diagnostic;
use crate::engine::Duration;
use crate::playbook::{self, LoadedPlaybook};
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
        /// Playbook file describing the EU and NATO response; repeat to combine
        /// (a later file's sections replace an earlier one's). Default: the
        /// playbooks the scenario names.
        #[arg(long = "playbook", value_name = "FILE")]
        playbooks: Vec<PathBuf>,
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
    /// Check scenario and playbook files; errors name file:line:col. Exit 2 if any is invalid.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// The exercise controller's dashboard: a live exercise, every action journaled.
    Tui {
        /// Scenario file (default: the bundled multi-domain Baltic campaign).
        scenario: Option<PathBuf>,
        /// Playbook file(s), as for `run`. Default: the playbooks the scenario names.
        #[arg(long = "playbook", value_name = "FILE")]
        playbooks: Vec<PathBuf>,
        /// Random seed (default: the journal's when resuming, else the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Journal file: created when new; an existing journal is resumed where it
        /// stopped. Default: a new pacesim-<scenario>-<seed>-<time>.journal.jsonl here.
        #[arg(long)]
        journal: Option<PathBuf>,
        /// Starting speed in simulated seconds per second: 1, 10, 60, 600, 3600, 21600 or max.
        #[arg(long, default_value = "60", value_parser = parse_speed)]
        speed: usize,
        /// Real time a decision point waits for the players before the
        /// playbook's default applies; 0s waits for ever.
        #[arg(long, default_value = "2m", value_parser = parse_duration)]
        decision_timeout: Duration,
    },
    /// Monte Carlo replications, per playbook set, on all cores; runs.csv and batch.json.
    Batch {
        scenario: PathBuf,
        /// Replications per playbook set.
        #[arg(long)]
        runs: u64,
        /// A playbook set to compare; repeat for several sets, each meeting the
        /// same seeds. Combine files in one set with commas: a.ron,b.ron.
        /// Default: one set, the playbooks the scenario names.
        #[arg(long = "playbook", value_name = "FILE[,FILE]")]
        playbooks: Vec<String>,
        /// Worker threads (default: every core). The outputs do not depend on it.
        #[arg(long)]
        jobs: Option<usize>,
        /// Base seed (default: the scenario's); replication i runs with a seed derived from it and i.
        #[arg(long)]
        seed: Option<u64>,
        /// Run only slice K of N (K from 0), for a cluster job array; `merge` joins the slices.
        #[arg(long, value_parser = parse_shard)]
        shard: Option<(u64, u64)>,
        #[arg(long)]
        out: PathBuf,
        /// Also keep every replication's events.jsonl under OUT/logs.
        #[arg(long)]
        keep_logs: bool,
    },
    /// After-action report and improvement plan (HSEEP AAR/IP) from a run or batch directory.
    Report {
        dir: PathBuf,
        /// md, html (one self-contained file with SVG charts) or json.
        #[arg(long, default_value = "md")]
        format: String,
        /// Write here (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The MSEL as a spreadsheet.
    Msel {
        #[command(subcommand)]
        command: MselCommand,
    },
    /// Join shard outputs of one batch into the files the unsharded batch writes.
    Merge {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Re-run a recorded exercise headless; prints the log hash the live session printed.
    Replay {
        journal: PathBuf,
        /// Write events.jsonl of the replayed exercise into this directory.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum MselCommand {
    /// Write the scenario's MSEL as CSV (number, time, from, to, method, subject,
    /// message, expected action, objective, effect).
    Export {
        scenario: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}` is not K/N (e.g. 0/4)"))?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("`{k}` is not a shard number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a shard count"))?;
    if n == 0 || k >= n {
        return Err(format!("shard {k}/{n}: K must be from 0 to N-1"));
    }
    Ok((k, n))
}

fn parse_speed(s: &str) -> Result<usize, String> {
    let want = if s == "max" {
        None
    } else {
        Some(
            s.parse::<u32>()
                .map_err(|_| format!("`{s}` is not a speed"))?,
        )
    };
    crate::tui::app::SPEEDS
        .iter()
        .position(|x| *x == want)
        .ok_or_else(|| "speeds are 1, 10, 60, 600, 3600, 21600 or max".to_string())
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
        Command::Tui {
            scenario,
            playbooks,
            seed,
            journal,
            speed,
            decision_timeout,
        } => {
            let loaded = load_scenario(scenario.as_deref())?;
            let playbooks = load_playbooks(&loaded, &playbooks)?;
            crate::live::tui_command(
                &loaded,
                &playbooks,
                seed,
                journal.as_deref(),
                speed,
                decision_timeout,
            )
        }
        Command::Replay { journal, out } => crate::live::replay_command(&journal, out.as_deref()),
        Command::Batch {
            scenario,
            runs,
            playbooks,
            jobs,
            seed,
            shard,
            out,
            keep_logs,
        } => {
            let loaded = scenario::load_file(&scenario).map_err(Failure::Input)?;
            let sets = playbook_sets(&loaded, &playbooks)?;
            crate::batch::batch_command(
                &loaded,
                sets,
                crate::batch::BatchArgs {
                    runs,
                    seed,
                    jobs,
                    shard,
                    out: &out,
                    keep_logs,
                },
            )
        }
        Command::Merge { dirs, out } => crate::batch::merge_command(&dirs, &out),
        Command::Report { dir, format, out } => {
            crate::report::aar::report_command(&dir, &format, out.as_deref())
        }
        Command::Msel {
            command: MselCommand::Export { scenario, out },
        } => {
            let loaded = scenario::load_file(&scenario).map_err(Failure::Input)?;
            let csv = scenario::msel::export(&loaded.scenario).map_err(Failure::Run)?;
            crate::output::write_atomic(&out, |w| w.write_all(csv.as_bytes()))
                .map_err(Failure::Run)?;
            println!(
                "wrote {} ({} injects)",
                out.display(),
                loaded.scenario.msel.len()
            );
            Ok(())
        }
        Command::Run {
            scenario,
            playbooks,
            seed,
            until,
            out,
        } => {
            let loaded = load_scenario(scenario.as_deref())?;
            let playbooks = load_playbooks(&loaded, &playbooks)?;
            crate::run::run_command(&loaded, &playbooks, seed, until, out.as_deref())
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

/// Batch playbook sets: one per `--playbook` (commas combine files), or the
/// scenario's own playbooks as the only set. Labels are unique.
fn playbook_sets(
    loaded: &LoadedScenario,
    given: &[String],
) -> Result<Vec<crate::batch::PlaybookSet>, Failure> {
    let mut sets = Vec::new();
    if given.is_empty() {
        let p = load_playbooks(loaded, &[])?;
        sets.push(p);
    }
    for g in given {
        let files: Vec<PathBuf> = g.split(',').map(|f| PathBuf::from(f.trim())).collect();
        sets.push(load_playbooks(loaded, &files)?);
    }
    let mut out: Vec<crate::batch::PlaybookSet> = Vec::new();
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
        out.push(crate::batch::PlaybookSet { label, playbooks });
    }
    Ok(out)
}

/// The playbooks given on the command line, or else those the scenario names.
pub fn load_playbooks(
    loaded: &LoadedScenario,
    given: &[PathBuf],
) -> Result<Vec<LoadedPlaybook>, Failure> {
    if given.is_empty() {
        return playbook::load_named(&loaded.source.name, &loaded.scenario.playbooks)
            .map_err(Failure::Input);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for p in given {
        match playbook::load_file(p) {
            Ok(l) => out.push(l),
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Failure::Input(problems))
    }
}

/// Does this text hold a playbook (rather than a scenario)? Looks at the
/// first identifier after whitespace and comments.
fn is_playbook(text: &str) -> bool {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.split_once('\n').map_or("", |x| x.1);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |x| x.1);
        } else {
            break;
        }
    }
    rest.starts_with("Playbook")
}

fn invalid(f: &Path, problems: Vec<Diagnostic>, all: &mut Vec<Diagnostic>) {
    let n = problems.len();
    println!(
        "invalid: {} ({n} problem{})",
        f.display(),
        if n == 1 { "" } else { "s" }
    );
    all.extend(problems);
}

fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut all = Vec::new();
    for f in files {
        // The first few kilobytes tell a playbook from a scenario (bounded:
        // the file may be a device that never ends).
        let mut head = Vec::new();
        if let Ok(file) = std::fs::File::open(f) {
            let _ = std::io::Read::read_to_end(&mut std::io::Read::take(file, 1 << 16), &mut head);
        }
        if is_playbook(&String::from_utf8_lossy(&head)) {
            match playbook::load_file(f) {
                Ok(l) => {
                    let r = crate::response::eu::mechanisms::merge(std::slice::from_ref(&l));
                    let named: Vec<&str> = crate::response::eu::mechanisms::present(&r)
                        .map(|m| m.name)
                        .collect();
                    println!(
                        "ok: {} (playbook {}: {})",
                        f.display(),
                        l.playbook.name,
                        if named.is_empty() {
                            "national responders only".to_string()
                        } else {
                            named.join(", ")
                        }
                    );
                }
                Err(d) => invalid(f, d, &mut all),
            }
            continue;
        }
        let checked = scenario::load_file(f)
            .and_then(|l| playbook::load_named(&l.source.name, &l.scenario.playbooks).map(|_| l));
        match checked {
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
            Err(d) => invalid(f, d, &mut all),
        }
    }
    if all.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(all))
    }
}
