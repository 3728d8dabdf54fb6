//! `pacesim run` with the bundled default scenario, from a directory that has
//! no scenarios in it, and the files `--out` writes.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::{
    check_log, check_times, default_run, mini, pacesim, parse_log, run_with_out, sha256_hex,
    tempdir,
};

#[test]
fn default_scenario_runs_from_any_directory_and_ends_with_the_log_hash() {
    let run = default_run();
    run.outcome.success();
    run.outcome.log_hash();
    let lines = run.outcome.stdout.lines().count();
    assert!(
        lines > 1,
        "run should print a human summary before the log-hash line\n{}",
        run.outcome.context()
    );
}

#[test]
fn log_hash_is_the_sha256_of_events_jsonl() {
    let run = default_run();
    assert_eq!(run.outcome.log_hash(), sha256_hex(run.events()));
}

#[test]
fn log_hash_does_not_depend_on_out() {
    // The same run without --out must print the same hash (the log is hashed, not the file).
    let dir = tempdir();
    let with_out = run_with_out(Some(&mini()), &[]);
    let without = pacesim(dir.path(), ["run".as_ref(), mini().as_os_str()]);
    without.success();
    assert_eq!(without.log_hash(), with_out.outcome.log_hash());
    assert_eq!(without.log_hash(), sha256_hex(with_out.events()));
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "run without --out should write no files"
    );
}

#[test]
fn summary_json_rates_every_objective_p_s_m_or_u() {
    let summary = default_run().summary();
    let objectives = summary
        .get("objectives")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("summary.json has no \"objectives\" list: {summary:#}"));
    assert!(
        !objectives.is_empty(),
        "the default scenario has objectives, and summary.json should rate them"
    );
    for o in objectives {
        let rating = o.get("rating").and_then(Value::as_str);
        assert!(
            matches!(rating, Some("P" | "S" | "M" | "U")),
            "objective rating should be P, S, M or U: {o}"
        );
    }
}

#[test]
fn report_md_names_the_scenario_and_every_objective() {
    let run = default_run();
    let summary = run.summary();
    let report = run.report();
    assert!(
        report.starts_with('#'),
        "report.md should start with a Markdown heading:\n{}",
        &report[..report.len().min(300)]
    );
    let name = summary["scenario"]
        .as_str()
        .expect("summary.json names the scenario");
    assert!(
        report.contains(name),
        "report.md should name the scenario {name:?}"
    );
    for o in summary["objectives"].as_array().expect("objectives") {
        let title = o["title"].as_str().expect("objective title");
        assert!(
            report.contains(title),
            "report.md should list objective {title:?}"
        );
    }
}

#[test]
fn every_event_line_is_an_object_with_seq_t_time_domain_and_kind() {
    let run = default_run();
    let events = parse_log(run.events());
    let summary = run.summary();
    let until = summary["until_s"]
        .as_u64()
        .expect("summary.json has until_s");
    check_log(&events, until);
    check_times(
        &events,
        summary["start"].as_str().expect("summary.json has start"),
    );
    assert_eq!(
        summary["events"].as_u64(),
        Some(events.len() as u64),
        "summary.json counts the events in the log"
    );
}

#[test]
fn default_scenario_exercises_every_threat_domain_and_a_cascade() {
    let events = parse_log(default_run().events());
    assert!(
        events.len() >= 1000,
        "the default scenario should log at least 1000 events, logged {}",
        events.len()
    );
    let domains: BTreeSet<&str> = events.iter().filter_map(|e| e["domain"].as_str()).collect();
    for d in ["cyber", "cbrn", "disinfo", "infra"] {
        assert!(
            domains.contains(d),
            "no {d} event in the default scenario's log; domains: {domains:?}"
        );
    }
    let cascade = events.iter().any(|e| {
        e["kind"] == "service_lost"
            && e["cause"]
                .as_str()
                .is_some_and(|c| c.starts_with("cascade"))
    });
    assert!(
        cascade,
        "the default scenario should show a failure cascading along a dependency (service_lost, cause \"cascade ...\")"
    );
}

#[test]
fn out_directory_is_created_with_exactly_the_three_files() {
    let dir = tempdir();
    let out = dir.path().join("deep/er/out");
    pacesim(
        dir.path(),
        [
            "run".as_ref(),
            mini().as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
    )
    .success();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Atomic writes go through temporary files; none may be left behind.
    assert_eq!(names, ["events.jsonl", "report.md", "summary.json"]);
}

#[test]
fn rerun_into_the_same_out_directory_replaces_the_files() {
    let dir = tempdir();
    let args = |seed: &str| {
        [
            "run".to_string(),
            mini().display().to_string(),
            "--seed".into(),
            seed.into(),
            "--out".into(),
            "out".into(),
        ]
    };
    pacesim(dir.path(), args("1")).success();
    let second = pacesim(dir.path(), args("2"));
    second.success();
    let events = std::fs::read(dir.path().join("out/events.jsonl")).unwrap();
    assert_eq!(
        sha256_hex(&events),
        second.log_hash(),
        "events.jsonl should hold the second run's log"
    );
    let summary: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/summary.json")).unwrap())
            .unwrap();
    assert_eq!(
        summary["seed"], 2,
        "summary.json should be the second run's"
    );
}

#[test]
fn a_refused_run_leaves_earlier_outputs_untouched() {
    let dir = tempdir();
    let first = pacesim(
        dir.path(),
        [
            "run".as_ref(),
            mini().as_os_str(),
            "--out".as_ref(),
            "out".as_ref(),
        ],
    );
    first.success();
    let before = std::fs::read(dir.path().join("out/events.jsonl")).unwrap();
    std::fs::write(dir.path().join("bad.ron"), "Scenario(name: \"cut").unwrap();
    pacesim(dir.path(), ["run", "bad.ron", "--out", "out"]).refused();
    assert_eq!(
        std::fs::read(dir.path().join("out/events.jsonl")).unwrap(),
        before,
        "a refused run must not touch --out"
    );
}

#[test]
fn until_stops_the_run_at_that_time() {
    let run = run_with_out(Some(&mini()), &["--until", "1d 6h"]);
    let events = parse_log(run.events());
    check_log(&events, 108_000);
    assert_eq!(run.summary()["until_s"], 108_000);
}

/// Outputs are for the user's other tools: created like any file (0666 less
/// the umask), not private like the temporary file they are renamed from.
#[cfg(unix)]
#[test]
fn outputs_are_readable_by_group_and_others_under_a_common_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let out = dir.path().join("out");
    let run = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" run \"$1\" --out \"$2\" >/dev/null")
        .arg(env!("CARGO_BIN_EXE_pacesim"))
        .arg(mini())
        .arg(&out)
        .status()
        .expect("sh runs");
    assert!(run.success());
    for f in ["events.jsonl", "summary.json", "report.md"] {
        let mode = std::fs::metadata(out.join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{f} has mode {mode:o}");
    }
}

/// `run --out` writes the report `pacesim report DIR --format md` prints: one
/// document, not two.
#[test]
fn report_md_is_the_report_command_s_markdown() {
    let dir = tempdir();
    let m = mini();
    let m = m.to_str().unwrap();
    pacesim(dir.path(), ["run", m, "--seed", "3", "--out", "d"]).success();
    let written = std::fs::read_to_string(dir.path().join("d/report.md")).unwrap();
    let printed = pacesim(dir.path(), ["report", "d", "--format", "md"]);
    printed.success();
    assert!(
        printed.stdout == written,
        "run --out and report --format md differ"
    );
    assert!(
        written.contains("Improvement plan"),
        "the full AAR:\n{written}"
    );
}

/// The report's participants are the bodies the playbook has: a StratCom-only
/// playbook brings StratCom and the Rapid Alert System, and no one else.
#[test]
fn participants_are_the_bodies_of_the_playbook() {
    let dir = tempdir();
    let root = crate::util::root();
    let m = mini();
    let pb = root.join("tests/data/ras_low_threshold.ron");
    let (m, pb) = (m.to_str().unwrap(), pb.to_str().unwrap());
    pacesim(dir.path(), ["run", m, "--playbook", pb, "--out", "d"]).success();
    let o = pacesim(dir.path(), ["report", "d", "--format", "json"]);
    o.success();
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    let bodies: Vec<&str> = report["overview"]["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        bodies.contains(&"EEAS StratCom and the Rapid Alert System"),
        "{bodies:?}"
    );
    for absent in ["Fusion Cell", "IPCR", "UCPM", "CSIRTs", "NATO", "Toolbox"] {
        assert!(
            !bodies.iter().any(|b| b.contains(absent)),
            "{absent} is not in this playbook: {bodies:?}"
        );
    }
}
