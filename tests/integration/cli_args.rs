//! Bad command lines are usage errors: exit 2 with a message, nothing run,
//! nothing written.

use crate::util::{mini, pacesim, tempdir};

fn run_mini(extra: &[&str]) -> crate::util::Outcome {
    let dir = tempdir();
    let mini = mini().display().to_string();
    let mut args = vec!["run", mini.as_str()];
    args.extend(extra);
    let outcome = pacesim(dir.path(), &args);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(
        left.is_empty() || outcome.code == Some(0),
        "a refused run should write nothing, found {left:?}\n{}",
        outcome.context()
    );
    outcome
}

#[test]
fn malformed_until_is_a_usage_error() {
    for bad in [
        "5x",
        "",
        "2",
        "h",
        "-1h",
        "1.5h",
        "2 days",
        "99999999999999999999999s",
        "1d -6h",
    ] {
        run_mini(&["--until", bad, "--out", "out"]).refused();
    }
    run_mini(&["--until"]).refused();
}

#[test]
fn malformed_until_says_which_value_is_wrong() {
    run_mini(&["--until", "5x"]).refused().stderr_has("5x");
}

#[test]
fn malformed_seed_is_a_usage_error() {
    for bad in ["abc", "-1", "1.5", "18446744073709551616", ""] {
        run_mini(&["--seed", bad]).refused();
    }
}

#[test]
fn unknown_flags_are_usage_errors() {
    run_mini(&["--frobnicate"])
        .refused()
        .stderr_has("--frobnicate");
    run_mini(&["-z"]).refused();
    run_mini(&["--seed", "1", "--seeds", "2"]).refused();
    let dir = tempdir();
    pacesim(
        dir.path(),
        [
            "validate".as_ref(),
            "--frobnicate".as_ref(),
            mini().as_os_str(),
        ],
    )
    .refused();
    pacesim(
        dir.path(),
        [
            "validate".as_ref(),
            mini().as_os_str(),
            "--seed".as_ref(),
            "1".as_ref(),
        ],
    )
    .refused();
}

#[test]
fn unknown_or_missing_subcommand_is_a_usage_error() {
    let dir = tempdir();
    pacesim(dir.path(), ["frobnicate"]).refused();
    pacesim(dir.path(), Vec::<&str>::new()).refused();
    pacesim(dir.path(), ["validate"]).refused();
}

#[test]
fn out_naming_an_existing_regular_file_is_refused_and_the_file_kept() {
    let dir = tempdir();
    let file = dir.path().join("results.txt");
    std::fs::write(&file, "precious").unwrap();
    pacesim(
        dir.path(),
        [
            "run".as_ref(),
            mini().as_os_str(),
            "--out".as_ref(),
            "results.txt".as_ref(),
        ],
    )
    .refused()
    .stderr_has("results.txt");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "precious",
        "the file given as --out must not be touched"
    );
    // The default scenario takes the same path through the checks.
    pacesim(dir.path(), ["run", "--out", "results.txt"]).refused();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
}
