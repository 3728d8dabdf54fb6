//! The conventions a user of any good command-line tool expects: help on
//! every argument with examples, completions and a man page, JSON output,
//! `-` for standard output, quiet ends on closed pipes, `NO_COLOR`, compact
//! durations, and a dashboard that refuses to start without a terminal.

use std::process::Stdio;

use serde_json::Value;

use crate::util::{mini, pacesim, root, sha256_hex, tempdir};

#[test]
fn every_subcommand_has_examples_in_its_help() {
    let dir = tempdir();
    for cmd in [
        "run",
        "validate",
        "tui",
        "replay",
        "batch",
        "merge",
        "report",
        "completions",
    ] {
        let out = pacesim(dir.path(), [cmd, "--help"]);
        out.success();
        assert!(
            out.stdout.contains("Example"),
            "`pacesim {cmd} --help` has no examples:\n{}",
            out.stdout
        );
    }
    let out = pacesim(dir.path(), ["msel", "export", "--help"]);
    out.success();
    assert!(out.stdout.contains("Example"), "{}", out.stdout);
}

#[test]
fn completions_name_every_command() {
    let dir = tempdir();
    for shell in ["bash", "zsh", "fish"] {
        let out = pacesim(dir.path(), ["completions", shell]);
        out.success();
        for cmd in [
            "run", "validate", "tui", "replay", "batch", "merge", "report", "msel",
        ] {
            assert!(out.stdout.contains(cmd), "{shell} completions lack {cmd}");
        }
    }
    pacesim(dir.path(), ["completions", "tcsh-2000"]).refused();
}

/// The commands `pacesim --help` lists, each with a page pacesim-NAME(1).
const COMMANDS: &[&str] = &[
    "run",
    "validate",
    "tui",
    "replay",
    "batch",
    "merge",
    "report",
    "msel",
    "completions",
];

#[test]
fn the_shipped_man_pages_are_the_ones_the_binary_makes() {
    let dir = tempdir();
    let help = pacesim(dir.path(), ["--help"]);
    for name in COMMANDS {
        assert!(
            help.stdout.contains(&format!("  {name} ")),
            "{name} in --help"
        );
    }
    let pages = std::iter::once(("pacesim".to_string(), vec!["man"])).chain(
        COMMANDS
            .iter()
            .map(|c| (format!("pacesim-{c}"), vec!["man", *c])),
    );
    for (page, args) in pages {
        let out = pacesim(dir.path(), &args);
        out.success();
        let file = format!("docs/man/{page}.1");
        let shipped = std::fs::read_to_string(root().join(&file))
            .unwrap_or_else(|_| panic!("{file} ships with pacesim"));
        assert!(
            out.stdout == shipped,
            "{file} is out of date: write it again with `cargo run -q -- {} > {file}`",
            args.join(" ")
        );
        assert!(
            shipped.contains(&format!(".TH {page} 1")),
            "{file} is a man page"
        );
    }
    let run = std::fs::read_to_string(root().join("docs/man/pacesim-run.1")).unwrap();
    assert!(
        run.contains("\\-\\-seed") && run.contains("Examples:"),
        "options and examples"
    );
    pacesim(dir.path(), ["man", "nope"]).refused();
}

#[test]
fn run_json_is_one_object_with_the_log_hash() {
    let dir = tempdir();
    let m = mini();
    let out = pacesim(
        dir.path(),
        ["run", m.to_str().unwrap(), "--json", "--out", "o"],
    );
    out.success();
    let v: Value = serde_json::from_str(&out.stdout).expect("stdout is one JSON object");
    let hash = v["log_hash"].as_str().expect("log_hash");
    let events = std::fs::read(dir.path().join("o/events.jsonl")).unwrap();
    assert_eq!(hash, sha256_hex(&events));
    assert!(
        v["objectives"].is_array() && v["infrastructure"].is_object(),
        "{v}"
    );
}

#[test]
fn a_dash_writes_single_files_to_standard_output() {
    let dir = tempdir();
    let m = mini();
    pacesim(dir.path(), ["run", m.to_str().unwrap(), "--out", "r"]).success();
    let out = pacesim(
        dir.path(),
        ["report", "r", "--format", "json", "--out", "-"],
    );
    out.success();
    let v: Value = serde_json::from_str(&out.stdout).expect("the report as JSON");
    assert_eq!(v["source"], "run");
    assert!(!dir.path().join("-").exists(), "no file called `-`");
    let out = pacesim(
        dir.path(),
        ["msel", "export", m.to_str().unwrap(), "--out", "-"],
    );
    out.success();
    assert!(
        out.stdout.starts_with("number,time,from,to"),
        "{}",
        out.stdout
    );
    pacesim(dir.path(), ["report", "r", "--format", "pdf"]).refused();
}

#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    // The reader goes away before pacesim writes a byte, as `| head -0` does.
    drop(reader);
    let scenarios: Vec<String> = crate::util::shipped_scenarios()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    for args in [
        vec!["validate".to_string()]
            .into_iter()
            .chain(scenarios.iter().cloned())
            .collect::<Vec<_>>(),
        vec!["completions".into(), "bash".into()],
        vec!["run".into(), mini().display().to_string()],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pacesim"))
            .args(&args)
            .stdout(writer.try_clone().expect("a second write end"))
            .stderr(Stdio::piped())
            .output()
            .expect("pacesim runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && stderr.trim().is_empty(),
            "pacesim {args:?}: {stderr}"
        );
        assert_eq!(out.status.code(), Some(0), "pacesim {args:?}");
    }
}

#[test]
fn no_color_keeps_diagnostics_plain() {
    let dir = tempdir();
    std::fs::write(dir.path().join("bad.ron"), "Scenario(nmae: \"x\")").unwrap();
    // `pacesim` (the helper) runs with NO_COLOR set and no terminal: never an escape code.
    let out = pacesim(dir.path(), ["validate", "bad.ron"]);
    out.refused();
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
}

#[test]
fn durations_read_with_or_without_spaces() {
    let dir = tempdir();
    let m = mini();
    let spaced = pacesim(dir.path(), ["run", m.to_str().unwrap(), "--until", "1d 6h"]);
    let compact = pacesim(dir.path(), ["run", m.to_str().unwrap(), "--until", "1d6h"]);
    assert_eq!(spaced.log_hash(), compact.log_hash());
    pacesim(dir.path(), ["run", m.to_str().unwrap(), "--until", "1d6"]).refused();
}

#[test]
fn the_dashboard_needs_a_terminal_and_leaves_no_journal_without_one() {
    let dir = tempdir();
    let out = pacesim(dir.path(), ["tui", "--journal", "j.jsonl"]);
    out.refused().stderr_has("needs an interactive terminal");
    assert!(
        !dir.path().join("j.jsonl").exists(),
        "no journal is left behind"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "nothing is left behind: {left:?}");
}

/// The README's tour of a scenario file is a scenario: it validates and
/// runs, and its scripted decision and kill switch are in the log.
#[test]
fn the_readme_s_tour_of_a_scenario_validates_and_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let tour = readme
        .split("## A tour of a scenario file")
        .nth(1)
        .and_then(|s| s.split("```ron").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("a ```ron block in the scenario tour");
    let dir = tempdir();
    std::fs::write(dir.path().join("tour.ron"), tour).unwrap();
    pacesim(dir.path(), ["validate", "tour.ron"]).success();
    let ran = pacesim(dir.path(), ["run", "tour.ron", "--out", "out"]);
    ran.success();
    let log = std::fs::read_to_string(dir.path().join("out/events.jsonl")).unwrap();
    for kind in ["\"decision_scripted\"", "\"campaign_halted\""] {
        assert!(log.contains(kind), "the tour's {kind} is in its log");
    }
}
