//! The command line, as clap parses it: every command, argument, help text
//! and example. Nothing here runs anything; [`crate::commands`] does.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine::Duration;

#[derive(Parser, Debug)]
#[command(
    name = "pacesim",
    version,
    about = "Crisis-exercise simulation engine for EU/NATO hybrid-threat exercises (PACE style)",
    long_about = "pacesim plays hybrid campaigns (cyber, CBRN, disinformation) from a RON scenario \
        against national responders and the EU and NATO mechanisms its playbooks describe. The same \
        scenario, playbooks, seed and controller journal always give a byte-identical event log.\n\n\
        Exit codes: 0 success, 1 the run failed at run time, 2 invalid input.",
    after_help = "Examples:\n  \
        pacesim run                                   # the bundled default scenario\n  \
        pacesim validate scenarios/*.ron playbooks/*.ron\n  \
        pacesim tui --seed 5 --journal exercise.jsonl\n  \
        pacesim batch scenarios/baltic_hybrid.ron --runs 1000 --out out/batch"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Run(RunArgs),
    Validate(ValidateArgs),
    Tui(TuiArgs),
    Replay(ReplayArgs),
    Batch(BatchArgs),
    Merge(MergeArgs),
    Report(ReportArgs),
    Msel(MselArgs),
    Completions(CompletionsArgs),
    /// Print a man page (roff) on standard output: pacesim(1), or a command's.
    #[command(hide = true)]
    Man(ManArgs),
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// The command whose page to print, as in pacesim-run(1) (default: pacesim(1)).
    pub command: Option<String>,
}

/// Scenario and playbooks, as `run` and `tui` take them.
#[derive(Args, Debug)]
pub struct Inputs {
    /// Scenario file (default: the bundled multi-domain Baltic campaign).
    pub scenario: Option<PathBuf>,
    /// Playbook describing the EU and NATO response; repeat to combine them
    /// (a later file's sections replace an earlier one's). Default: the
    /// playbooks the scenario names.
    #[arg(long = "playbook", value_name = "FILE")]
    pub playbooks: Vec<PathBuf>,
}

/// Run one headless exercise and print its summary; the last line is the event log's hash.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
    pacesim run scenarios/salisbury_chemical.ron --seed 7 --out out/salisbury\n  \
    pacesim run --until 2d6h                       # the default scenario's first 54 hours\n  \
    pacesim run --playbook playbooks/national_only.ron\n  \
    pacesim run --json | jq .log_hash")]
pub struct RunArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Random seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Stop at this simulated time, e.g. `2d 6h` or `2d6h` (default: the scenario's end).
    #[arg(long, value_parser = parse_duration)]
    pub until: Option<Duration>,
    /// Write events.jsonl, summary.json and report.md into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print one JSON object (the summary, with the log hash in it) instead of the text summary.
    #[arg(long)]
    pub json: bool,
}

/// Check scenario and playbook files; errors name file:line:col. Exit 2 if any is invalid.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
    pacesim validate scenarios/*.ron playbooks/*.ron\n  \
    pacesim validate my_exercise.ron")]
pub struct ValidateArgs {
    /// Scenario or playbook files (each is recognised by its first word).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// The exercise controller's dashboard: a live exercise, every action journaled.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
    pacesim tui --seed 5 --journal exercise.jsonl   # a live exercise, journaled\n  \
    pacesim tui --journal exercise.jsonl            # resume after a crash or kill -9\n  \
    pacesim replay exercise.jsonl                   # the same log hash, headless")]
pub struct TuiArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Random seed (default: the journal's when resuming, else the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Journal file: created when new; an existing journal is resumed where it
    /// stopped. Default: a new pacesim-SCENARIO-SEED-TIME.journal.jsonl here.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Starting speed in simulated seconds per second: 1, 10, 60, 600, 3600, 21600 or max.
    #[arg(long, default_value = "60", value_parser = parse_speed)]
    pub speed: usize,
    /// Real time a decision point waits for the players before the
    /// playbook's default applies; 0s waits for ever.
    #[arg(long, default_value = "2m", value_parser = parse_duration)]
    pub decision_timeout: Duration,
}

/// Re-run a recorded exercise headless; prints the log hash the live session printed.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
    pacesim replay exercise.jsonl\n  \
    pacesim replay exercise.jsonl --out out/live")]
pub struct ReplayArgs {
    /// The journal a live session (`pacesim tui`) wrote.
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
    /// Write events.jsonl of the replayed exercise into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Monte Carlo replications, per playbook set, on all cores; runs.csv and batch.json.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
    pacesim batch scenarios/baltic_hybrid.ron --runs 1000 --out out/b\n  \
    pacesim batch scenarios/baltic_hybrid.ron --runs 1000 \\\n      \
        --playbook playbooks/eu_2019.ron --playbook playbooks/eu_forward_leaning.ron --out out/cmp\n  \
    pacesim batch scenarios/baltic_hybrid.ron --runs 100000 --shard 3/16 --out out/s3")]
pub struct BatchArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Replications per playbook set.
    #[arg(long)]
    pub runs: u64,
    /// A playbook set to compare; repeat for several sets, each meeting the
    /// same seeds. Combine files in one set with commas: a.ron,b.ron.
    /// Default: one set, the playbooks the scenario names.
    #[arg(long = "playbook", value_name = "FILE[,FILE]")]
    pub playbooks: Vec<String>,
    /// Worker threads (default: every core). The outputs do not depend on it.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Base seed (default: the scenario's); replication i runs with a seed derived from it and i.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run only slice K of N (K from 0), for a cluster job array; `merge` joins the slices.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Directory for runs.csv, batch.json and shard.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Also keep every replication's events.jsonl under OUT/logs.
    #[arg(long)]
    pub keep_logs: bool,
}

/// Join shard outputs of one batch into the files the unsharded batch writes.
#[derive(Args, Debug)]
#[command(after_help = "Example:\n  pacesim merge out/s0 out/s1 out/s2 out/s3 --out out/all")]
pub struct MergeArgs {
    /// The shards' output directories, in any order.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Directory for the merged runs.csv, batch.json and shard.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// After-action report and improvement plan (HSEEP AAR/IP) from a run or batch directory.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
    pacesim report out/run --format html --out aar.html\n  \
    pacesim report out/batch --format md")]
pub struct ReportArgs {
    /// A directory written by `run --out`, `replay --out` or `batch`.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Write here; `-` (the default) is standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Formats of the after-action report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown.
    Md,
    /// One self-contained HTML file with SVG charts, for reading and printing.
    Html,
    /// JSON, for tools.
    Json,
}

/// The MSEL as a spreadsheet.
#[derive(Args, Debug)]
pub struct MselArgs {
    #[command(subcommand)]
    pub command: MselCommand,
}

#[derive(Subcommand, Debug)]
pub enum MselCommand {
    /// Write the scenario's MSEL as CSV (number, time, from, to, method, subject,
    /// message, expected action, objective, effect).
    #[command(
        after_help = "Example:\n  pacesim msel export scenarios/baltic_hybrid.ron --out msel.csv"
    )]
    Export {
        /// Scenario file.
        scenario: PathBuf,
        /// The CSV file to write; `-` is standard output.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// Shell completions for bash, zsh, fish, elvish or PowerShell.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
    pacesim completions bash > ~/.local/share/bash-completion/completions/pacesim\n  \
    pacesim completions zsh > ~/.zfunc/_pacesim")]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `-` names standard output.
pub fn is_stdout(p: &std::path::Path) -> bool {
    p.as_os_str() == "-"
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every argument of every command says what it is for.
    #[test]
    fn every_argument_has_help() {
        fn check(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if id != "help" && id != "version" && a.get_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() && !sub.is_hide_set() {
                    missing.push(format!("{path} {} (no about)", sub.get_name()));
                }
                check(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        check(&Cli::command(), "pacesim", &mut missing);
        assert!(missing.is_empty(), "without help: {missing:?}");
        Cli::command().debug_assert();
    }
}
