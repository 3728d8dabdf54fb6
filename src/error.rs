//! What can go wrong in a command, and the exit code each failure gives.
//!
//! | exit | meaning |
//! | --- | --- |
//! | 0 | success; also a reader that closed our output early (`… \| head`) |
//! | 1 | the run failed at run time (an output could not be written, the terminal failed) |
//! | 2 | invalid input: bad usage, an unreadable or invalid file, a refused journal |
//! | 101 | a panic: a bug, on any input |
//! | 129 | the dashboard's terminal went away (128 + SIGHUP); every action was already journaled |

use std::process::ExitCode;

use crate::diag::Diagnostic;

/// Exit status when the dashboard's terminal disappears (a closed window, a
/// dropped ssh session) and the watchdog ends the process.
pub const TERMINAL_GONE: u8 = 129;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or an invalid input file: exit 2.
    Input(Vec<Diagnostic>),
    /// The run itself failed (e.g. an output could not be written): exit 1.
    Run(String),
    /// Whoever reads our output stopped reading (a closed pipe): nothing is
    /// wrong, so exit 0 quietly.
    Closed,
}

impl Failure {
    /// One input problem, about a whole file or argument.
    pub fn input(file: &str, message: impl Into<String>) -> Failure {
        Failure::Input(vec![Diagnostic::file(file, message)])
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Input(_) => ExitCode::from(2),
            Failure::Run(_) => ExitCode::from(1),
            Failure::Closed => ExitCode::SUCCESS,
        }
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure::Input(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(d: Vec<Diagnostic>) -> Failure {
        Failure::Input(d)
    }
}

impl Failure {
    /// Writing to standard output failed: a closed pipe is
    /// [`Failure::Closed`], anything else a run-time failure.
    pub fn stdout(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::Closed
        } else {
            Failure::Run(format!("cannot write to standard output: {e}"))
        }
    }
}
