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

/// The man page, as `docs/pacesim.1` ships it.
pub fn man_page() -> String {
    let mut out = Vec::new();
    // Writing roff into a Vec cannot fail.
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

pub fn man() -> Result<(), Failure> {
    say(&man_page())
}
