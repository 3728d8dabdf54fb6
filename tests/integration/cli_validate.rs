//! `pacesim validate` over the scenarios shipped in `scenarios/`, several
//! files at once, and a bad file among good ones; and every shipped scenario
//! runs to the end with a well-formed log.

use std::ffi::OsStr;

use crate::util::{
    check_log, mini, mini_with, pacesim, parse_log, root, run_with_out, sha256_hex,
    shipped_scenarios, tempdir,
};

#[test]
fn the_default_scenario_is_shipped_as_a_file() {
    let files = shipped_scenarios();
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("scenarios/baltic_hybrid.ron")),
        "scenarios/baltic_hybrid.ron is missing: {files:?}"
    );
}

#[test]
fn every_shipped_scenario_validates() {
    let dir = tempdir();
    for f in shipped_scenarios() {
        let out = pacesim(dir.path(), ["validate".as_ref(), f.as_os_str()]);
        out.success();
        assert!(
            out.stdout.contains(&*f.display().to_string()),
            "validate should say which file is ok\n{}",
            out.context()
        );
    }
}

#[test]
fn every_shipped_scenario_runs_to_the_end() {
    for f in shipped_scenarios() {
        let run = run_with_out(Some(&f), &[]);
        let events = parse_log(run.events());
        let summary = run.summary();
        check_log(
            &events,
            summary["until_s"]
                .as_u64()
                .expect("summary.json has until_s"),
        );
        assert_eq!(
            run.outcome.log_hash(),
            sha256_hex(run.events()),
            "{}",
            f.display()
        );
        assert!(
            events.len() > 100,
            "{} logs only {} events; a shipped scenario should exercise its world",
            f.display(),
            events.len()
        );
        assert_eq!(
            events[0]["kind"],
            "exercise_start",
            "{}: the log should open with exercise_start",
            f.display()
        );
        let ends: Vec<_> = events
            .iter()
            .filter(|e| e["kind"] == "exercise_end")
            .collect();
        assert!(
            ends.len() == 1 && ends[0]["t"] == summary["until_s"],
            "{}: one exercise_end, at the end of the run: {ends:?}",
            f.display()
        );
    }
}

#[test]
fn validate_takes_several_files_at_once() {
    let dir = tempdir();
    let mut files = shipped_scenarios();
    files.push(mini());
    let out = pacesim(
        dir.path(),
        std::iter::once(OsStr::new("validate")).chain(files.iter().map(|f| f.as_os_str())),
    );
    out.success();
    for f in &files {
        assert!(
            out.stdout.contains(&*f.display().to_string()),
            "validate should report on {}\n{}",
            f.display(),
            out.context()
        );
    }
}

#[test]
fn one_bad_file_among_good_ones_fails_validate_and_is_named() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("broken.ron"),
        mini_with("seed: 42,", "seed: -42,"),
    )
    .unwrap();
    let good = mini();
    let default = root().join("scenarios/baltic_hybrid.ron");
    let out = pacesim(
        dir.path(),
        [
            "validate".as_ref(),
            good.as_os_str(),
            "broken.ron".as_ref(),
            default.as_os_str(),
        ],
    );
    out.refused().stderr_has("broken.ron:8:");
    // The good files are still checked and reported.
    assert!(
        out.stdout.contains(&*good.display().to_string())
            && out.stdout.contains(&*default.display().to_string()),
        "{}",
        out.context()
    );
    assert!(
        !out.stderr.contains(&*good.display().to_string()),
        "no problem should be reported for the good file\n{}",
        out.context()
    );
}

#[test]
fn every_bad_file_is_reported_not_just_the_first() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("one.ron"),
        mini_with("seed: 42,", "seed: x,"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("two.ron"),
        mini_with("duration: \"4d\",", "duration: \"4q\","),
    )
    .unwrap();
    pacesim(dir.path(), ["validate", "one.ron", "two.ron"])
        .refused()
        .stderr_has("one.ron:8:")
        .stderr_has("two.ron:7:");
}
