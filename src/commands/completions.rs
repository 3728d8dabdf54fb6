//! `pacesim completions SHELL` and the man page, both made from the
//! command line's definition in [`crate::cli`].

use clap::CommandFactory;

use super::say;
use crate::cli::Cli;
use crate::error::Failure;

pub fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pacesim", &mut out);
    say(&String::from_utf8_lossy(&out))
}

/// The man page of `command` (pacesim(1) when `None`, else pacesim-run(1)
/// and so on), as `docs/man/` ships them; `None` for a command pacesim lacks.
pub fn man_page(command: Option<&str>) -> Option<String> {
    // Building names each command for its page (pacesim-run) and usage.
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let cmd = match command {
        None => cli,
        Some(name) => cli
            .find_subcommand(name)
            .filter(|c| !c.is_hide_set())?
            .clone(),
    };
    let mut out = Vec::new();
    // Writing roff into a Vec cannot fail.
    let _ = clap_mangen::Man::new(cmd)
        .source(concat!("pacesim ", env!("CARGO_PKG_VERSION")))
        .render(&mut out);
    Some(String::from_utf8_lossy(&out).into_owned())
}

pub fn man(command: Option<&str>) -> Result<(), Failure> {
    match man_page(command) {
        Some(page) => say(&page),
        None => Err(Failure::input(
            command.unwrap_or_default(),
            "pacesim has no such command: see `pacesim --help`",
        )),
    }
}
