//! Determinism: the same scenario bytes and seed give a byte-identical event
//! log; another seed gives another log; stopping early with `--until` gives
//! exactly the start of the full log.

use std::path::Path;

use serde_json::Value;

use crate::util::{default_run, log_lines, mini, pacesim, run_with_out, sha256_hex, tempdir};

const TWO_DAYS: u64 = 172_800;

/// Asserts two logs are byte-identical, naming the first line that differs.
#[track_caller]
fn assert_same_log(a: &[u8], b: &[u8], what: &str) {
    if a == b {
        return;
    }
    let (la, lb) = (log_lines(a), log_lines(b));
    let i = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    let show = |l: Option<&&[u8]>| {
        l.map_or("<end of log>".into(), |l| {
            String::from_utf8_lossy(l).into_owned()
        })
    };
    panic!(
        "{what}: logs differ ({} vs {} lines), first at line {}:\n  {}  {}",
        la.len(),
        lb.len(),
        i + 1,
        show(la.get(i)),
        show(lb.get(i))
    );
}

fn t_of(line: &[u8]) -> u64 {
    let v: Value = serde_json::from_slice(line).expect("event line is JSON");
    v["t"].as_u64().expect("event has t")
}

/// The lines of `full` up to and including simulated time `until`.
fn prefix_until(full: &[u8], until: u64) -> Vec<u8> {
    let lines = log_lines(full);
    let n = lines.iter().take_while(|l| t_of(l) <= until).count();
    assert!(
        lines[n..].iter().all(|l| t_of(l) > until),
        "t should never decrease"
    );
    assert!(
        n < lines.len(),
        "the full log should go on after {until} s for this test to mean something"
    );
    lines[..n].concat()
}

fn runs_twice_identically(scenario: Option<&Path>, seed: &str) {
    let a = run_with_out(scenario, &["--seed", seed]);
    let b = run_with_out(scenario, &["--seed", seed]);
    assert_same_log(a.events(), b.events(), "two runs with the same seed");
    assert_eq!(a.outcome.log_hash(), b.outcome.log_hash());
}

#[test]
fn default_scenario_same_seed_gives_identical_bytes() {
    let first = default_run();
    let seed = first.summary()["seed"]
        .as_u64()
        .expect("summary.json has the seed");
    // The second run names the scenario's own seed explicitly; the log must not change.
    let second = run_with_out(None, &["--seed", &seed.to_string()]);
    assert_same_log(
        first.events(),
        second.events(),
        "default scenario, same seed",
    );
    assert_eq!(first.outcome.log_hash(), second.outcome.log_hash());
}

#[test]
fn default_scenario_another_seed_gives_another_log() {
    let first = default_run();
    let seed = first.summary()["seed"]
        .as_u64()
        .expect("summary.json has the seed");
    let other = run_with_out(None, &["--seed", &seed.wrapping_add(1).to_string()]);
    assert_ne!(
        sha256_hex(first.events()),
        sha256_hex(other.events()),
        "seeds {seed} and {} gave the same log",
        seed.wrapping_add(1)
    );
    assert_ne!(first.outcome.log_hash(), other.outcome.log_hash());
}

#[test]
fn default_scenario_until_2d_is_the_prefix_of_the_full_log() {
    let full = default_run();
    let part = run_with_out(None, &["--until", "2d"]);
    assert_same_log(
        &prefix_until(full.events(), TWO_DAYS),
        part.events(),
        "default scenario --until 2d vs the full run's first 2 days",
    );
    assert_eq!(part.outcome.log_hash(), sha256_hex(part.events()));
}

#[test]
fn mini_same_seed_gives_identical_bytes() {
    runs_twice_identically(Some(&mini()), "1234");
    runs_twice_identically(Some(&mini()), "0");
    runs_twice_identically(Some(&mini()), &u64::MAX.to_string());
}

#[test]
fn mini_another_seed_gives_another_log() {
    let a = run_with_out(Some(&mini()), &["--seed", "1234"]);
    let b = run_with_out(Some(&mini()), &["--seed", "1235"]);
    assert_ne!(
        sha256_hex(a.events()),
        sha256_hex(b.events()),
        "seeds 1234 and 1235 gave the same log"
    );
}

#[test]
fn mini_until_2d_is_the_prefix_of_the_full_log() {
    let full = run_with_out(Some(&mini()), &["--seed", "7"]);
    let part = run_with_out(Some(&mini()), &["--seed", "7", "--until", "2d"]);
    assert_same_log(
        &prefix_until(full.events(), TWO_DAYS),
        part.events(),
        "mini --until 2d vs the full run's first 2 days",
    );
    // The same boundary written another way.
    let hours = run_with_out(Some(&mini()), &["--seed", "7", "--until", "1d 23h 60m"]);
    assert_same_log(
        part.events(),
        hours.events(),
        "--until 2d vs --until \"1d 23h 60m\"",
    );
}

#[test]
fn until_the_end_is_the_full_run_and_past_it_is_refused() {
    let full = run_with_out(Some(&mini()), &[]);
    let end = run_with_out(Some(&mini()), &["--until", "4d"]);
    assert_same_log(full.events(), end.events(), "--until at the scenario's end");
    let dir = tempdir();
    let mini = mini();
    pacesim(
        dir.path(),
        [
            "run",
            mini.to_str().expect("a UTF-8 path"),
            "--until",
            "30d",
        ],
    )
    .refused()
    .stderr_has("--until")
    .stderr_has("past the end");
}

#[test]
fn the_log_depends_on_the_scenario_bytes_not_its_path() {
    let original = run_with_out(Some(&mini()), &[]);
    let dir = tempdir();
    std::fs::copy(mini(), dir.path().join("renamed copy.ron")).unwrap();
    let copy = pacesim(dir.path(), ["run", "renamed copy.ron"]);
    copy.success();
    assert_eq!(
        copy.log_hash(),
        original.outcome.log_hash(),
        "a renamed copy of the same scenario should give the same log"
    );
}
