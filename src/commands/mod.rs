//! The `pacesim` commands, one file each, over the library. [`main`] parses
//! the command line ([`crate::cli`]), runs the command, and maps its
//! [`Failure`] to an exit code in one place ([`crate::error`]).

mod batch;
mod completions;
mod merge;
mod msel;
mod replay;
mod report;
mod run;
mod tui;
mod validate;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, MselCommand};
use crate::error::Failure;
use crate::playbook::{self, LoadedPlaybook};
use crate::scenario::{self, LoadedScenario};

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::validate(&a.files),
        Command::Tui(a) => tui::tui(a),
        Command::Replay(a) => replay::replay(&a.journal, a.out.as_deref()),
        Command::Batch(a) => batch::batch(a),
        Command::Merge(a) => merge::merge(&a.dirs, &a.out),
        Command::Report(a) => report::report(&a.dir, a.format, a.out.as_deref()),
        Command::Msel(a) => match a.command {
            MselCommand::Export { scenario, out } => msel::export(&scenario, &out),
        },
        Command::Completions(a) => completions::completions(a.shell),
        Command::Man(a) => completions::man(a.command.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let mut err = std::io::stderr().lock();
            match &f {
                Failure::Input(diags) => {
                    for d in diags {
                        let _ = write!(err, "{}", d.render(color()));
                    }
                }
                Failure::Run(msg) => {
                    let _ = writeln!(err, "error: {msg}");
                }
                Failure::Closed => {}
            }
            f.exit_code()
        }
    }
}

/// Colour on standard error: on a terminal, unless `NO_COLOR` is set.
fn color() -> bool {
    std::io::stderr().is_terminal() && !no_color()
}

/// `NO_COLOR` is set to something (see no-color.org).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Prints `text` on standard output; a reader that went away ends the
/// command quietly.
fn say(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Failure::stdout)
}

/// The scenario at `path`, or the bundled default.
fn load_scenario(path: Option<&Path>) -> Result<LoadedScenario, Failure> {
    match path {
        // A broken bundled scenario is a build defect, not the user's input.
        None => scenario::default_scenario().map_err(|d| {
            Failure::Run(format!(
                "the bundled default scenario is invalid: {}",
                d.first().map_or(String::new(), |d| d.render(false))
            ))
        }),
        Some(p) => Ok(scenario::load_file(p)?),
    }
}

/// The playbooks given on the command line, or else those the scenario names.
fn load_playbooks(
    loaded: &LoadedScenario,
    given: &[PathBuf],
) -> Result<Vec<LoadedPlaybook>, Failure> {
    if given.is_empty() {
        return Ok(playbook::load_named(
            &loaded.source.name,
            &loaded.scenario.playbooks,
        )?);
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
