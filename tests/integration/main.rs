//! Integration tests for pacesim: every test runs the real `pacesim` binary,
//! in a temporary directory, the way a controller, planner or script would.
//!
//! - [`architecture`]: the source rooms import each other without a circle.
//! - [`cli_run`]: `pacesim run` and its outputs (stdout, events.jsonl,
//!   summary.json, report.md) for the bundled default scenario.
//! - [`cli_args`]: malformed command lines and unusable `--out` targets.
//! - [`cli_conventions`]: help with examples, completions, the man page,
//!   `--json`, `-` for standard output, closed pipes, `NO_COLOR`, durations.
//! - [`cli_validate`]: `pacesim validate` and the scenarios shipped in
//!   `scenarios/`.
//! - [`determinism`]: same inputs, same bytes; `--until` gives a prefix.
//! - [`diagnostics`]: errors in otherwise good scenarios are located at
//!   `file:line:col` and come with a hint.
//! - [`hostile_inputs`]: malformed, binary, huge and hostile files are refused
//!   with exit 2 and a message, never a panic or a hang.
//! - [`golden`]: the shipped scenarios and a recorded session keep their
//!   pinned log hashes, in the test build and the release binary.
//! - [`properties`]: random valid scenarios validate, run, replay
//!   identically and keep the event log's invariants.
//!
//! Shared helpers (running the binary, reading logs, checking invariants)
//! live in [`util`].

mod architecture;
mod batch;
mod cli_args;
mod cli_conventions;
mod cli_run;
mod cli_validate;
mod determinism;
mod diagnostics;
mod golden;
mod hostile_inputs;
mod playbooks;
mod properties;
mod tui;
mod util;
