//! Golden log hashes: the shipped scenarios on three seeds each, the default
//! scenario under the other shipped playbooks, and a recorded live session
//! replayed, all give the event logs pinned in `tests/golden/log_hashes.txt`.
//!
//! The test build checks them here; `.ci/run` runs this test again with
//! `PACESIM_GOLDEN_BIN=target/release/pacesim`, so the release binary (built
//! without dev-dependencies, whose features may change how floating-point
//! functions are computed) must give the same bytes. A change that moves a
//! hash says why in its commit; `PACESIM_GOLDEN_WRITE=1` rewrites the file.
//! When the log of seed 5 moves, the recorded session's event counts move
//! with it: record it again first with `cargo run --example golden_session`.

use std::path::PathBuf;

use crate::util::{DEADLINE, root};

fn golden_file() -> PathBuf {
    root().join("tests/golden/log_hashes.txt")
}

/// The binary under test: the test build's, or the one `PACESIM_GOLDEN_BIN` names.
fn binary() -> PathBuf {
    std::env::var_os("PACESIM_GOLDEN_BIN")
        .map(|p| root().join(p))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_pacesim")))
}

/// The `log-hash:` that `pacesim ARGS` prints, run from the project root.
fn hash_of(args: &[&str]) -> String {
    let out = assert_cmd::Command::new(binary())
        .args(args)
        .current_dir(root())
        .timeout(DEADLINE)
        .output()
        .unwrap_or_else(|e| panic!("cannot run pacesim {args:?}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pacesim {args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("log-hash: "))
        .unwrap_or_else(|| panic!("pacesim {args:?} printed no log-hash line:\n{stdout}"))
        .to_string()
}

#[test]
fn shipped_scenarios_and_a_recorded_session_keep_their_golden_log_hashes() {
    let text = std::fs::read_to_string(golden_file()).expect("tests/golden/log_hashes.txt");
    let rewrite = std::env::var_os("PACESIM_GOLDEN_WRITE").is_some();
    let mut out = String::new();
    let mut moved = Vec::new();
    let mut checked = 0;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (args, want): (Vec<&str>, &str) = match words.as_slice() {
            ["run", scenario, seed, playbook, hash] => {
                let mut a = vec!["run", scenario, "--seed", seed];
                if *playbook != "-" {
                    a.extend(["--playbook", playbook]);
                }
                (a, hash)
            }
            ["replay", journal, hash] => (vec!["replay", journal], hash),
            _ => {
                assert!(
                    line.starts_with('#') || line.trim().is_empty(),
                    "unreadable golden line: {line}"
                );
                out.push_str(line);
                out.push('\n');
                continue;
            }
        };
        let got = hash_of(&args);
        checked += 1;
        if got != want {
            moved.push(format!("pacesim {}: {want} -> {got}", args.join(" ")));
        }
        let keep = &words[..words.len() - 1];
        out.push_str(&format!("{} {got}\n", keep.join(" ")));
    }
    assert!(checked >= 15, "only {checked} golden hashes were checked");
    if rewrite {
        std::fs::write(golden_file(), out).expect("rewrite the golden file");
        return;
    }
    assert!(
        moved.is_empty(),
        "{} of {checked} golden log hashes moved (binary {}):\n{}",
        moved.len(),
        binary().display(),
        moved.join("\n")
    );
}
