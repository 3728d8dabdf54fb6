//! Malformed, truncated, binary, huge and hostile files given to `validate`
//! and to `run`: each is refused with exit code 2 and a short message on
//! stderr naming the file, with no panic, no hang (every command is killed
//! after 20 s) and nothing written.

use crate::util::{SplitMix64, mini_text, mini_with, pacesim, tempdir};

/// Longest message a refusal may print: clear, not a dump of the input.
const MAX_STDERR: usize = 16 * 1024;

/// Writes `bytes` as `name` in a fresh directory, then checks that both
/// `validate name` and `run name --out out` refuse it.
#[track_caller]
fn refused_by_both(name: &str, bytes: &[u8]) {
    let dir = tempdir();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    refused_in(dir.path(), name);
}

#[track_caller]
fn refused_in(dir: &std::path::Path, name: &str) {
    for args in [vec!["validate", name], vec!["run", name, "--out", "out"]] {
        let out = pacesim(dir, &args);
        out.refused().stderr_has(name);
        assert!(
            out.stderr.len() <= MAX_STDERR,
            "{} bytes on stderr; a refusal should be short\n{}",
            out.stderr.len(),
            out.context()
        );
        assert!(
            !dir.join("out").exists(),
            "a refused run must write no output\n{}",
            out.context()
        );
    }
}

#[test]
fn empty_and_blank_files() {
    refused_by_both("empty.ron", b"");
    refused_by_both("blank.ron", b"  \n\t\r\n   \n");
    refused_by_both(
        "comment.ron",
        b"// a scenario will go here\n/* and here */\n",
    );
}

#[test]
fn truncated_files() {
    let text = mini_text();
    assert!(text.is_ascii(), "the cuts below assume mini.ron is ASCII");
    for cut in [
        9,
        10,
        text.len() / 4,
        text.len() / 2,
        text.len() * 3 / 4,
        text.len() - 3,
    ] {
        refused_by_both(&format!("cut{cut}.ron"), &text.as_bytes()[..cut]);
    }
    refused_by_both("unterminated.ron", b"Scenario(name: \"never closed");
}

#[test]
fn random_binary() {
    // Fixed bytes: the same "random" file on every run.
    for seed in [1, 2, 3] {
        refused_by_both(&format!("random{seed}.ron"), &SplitMix64(seed).bytes(2048));
    }
    refused_by_both("zeros.ron", &[0u8; 2048]);
    refused_by_both("nul.ron", b"Scenario(\0\0\0name: \"x\")");
}

#[test]
fn non_utf8_text() {
    refused_by_both("ff.ron", b"Scen\xffario(");
    let mut latin1 = mini_with("\"Estonia\"", "\"Estonia\u{1}\"").into_bytes();
    let at = latin1.iter().position(|&b| b == 1).unwrap();
    latin1[at] = 0xD6; // 'Ö' in Latin-1, invalid alone in UTF-8
    refused_by_both("latin1.ron", &latin1);
    refused_by_both(
        "utf16.ron",
        &"Scenario(name: \"x\")"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<_>>(),
    );
}

#[test]
fn deeply_nested_parentheses() {
    let text = format!("{}{}", "(".repeat(200_000), ")".repeat(200_000));
    refused_by_both("deep.ron", text.as_bytes());
}

#[test]
fn deeply_nested_lists_and_options() {
    refused_by_both(
        "lists.ron",
        format!("Scenario(name: {}", "[".repeat(200_000)).as_bytes(),
    );
    let deep_some = format!("{}\"x\"{}", "Some(".repeat(100_000), ")".repeat(100_000));
    refused_by_both(
        "somes.ron",
        mini_with(
            "description: \"Two Baltic states, one campaign per threat domain.\"",
            &format!("description: {deep_some}"),
        )
        .as_bytes(),
    );
}

#[test]
fn thirty_megabyte_single_line_string() {
    let text = format!("Scenario(name: \"{}\")", "A".repeat(30_000_000));
    refused_by_both("huge.ron", text.as_bytes());
}

#[test]
fn wrong_top_level_type() {
    refused_by_both("list.ron", b"[1,2,3]");
    refused_by_both(
        "playbook.ron",
        b"Playbook(name: \"Hybrid playbook\", responders: [])",
    );
    refused_by_both("number.ron", b"42");
    refused_by_both("string.ron", b"\"Scenario\"");
    refused_by_both("json.ron", br#"{"name": "Mini", "seed": 42}"#);
    refused_by_both("twice.ron", format!("{0}\n{0}", mini_text()).as_bytes());
}

#[test]
fn unknown_field() {
    refused_by_both(
        "field.ron",
        mini_with("    seed: 42,", "    seed: 42,\n    colour: Red,").as_bytes(),
    );
    refused_by_both(
        "nested.ron",
        mini_with("hardening: 0.3", "hardening: 0.3, redundancy: 2").as_bytes(),
    );
}

#[test]
fn bad_numbers() {
    for (name, from, to) in [
        ("negative.ron", "population: 1400000", "population: -5"),
        ("overflow.ron", "population: 1400000", "population: 1e999"),
        ("fraction.ron", "population: 1400000", "population: 1.5"),
        (
            "huge_int.ron",
            "population: 1400000",
            "population: 99999999999999999999999999",
        ),
        ("seed.ron", "seed: 42", "seed: \"x\""),
        ("neg_seed.ron", "seed: 42", "seed: -1"),
        ("nan.ron", "trust: 0.55", "trust: NaN"),
        ("inf.ron", "factor: 3.0", "factor: inf"),
        ("zero.ron", "factor: 3.0", "factor: 0.0"),
        ("exposed.ron", "exposed: 400", "exposed: 0"),
        ("duration0.ron", "duration: \"4d\"", "duration: \"0s\""),
        (
            "long.ron",
            "duration: \"4d\"",
            "duration: \"99999999999999999999d\"",
        ),
        ("inject.ron", "(number: 1,", "(number: -1,"),
    ] {
        refused_by_both(name, mini_with(from, to).as_bytes());
    }
}

#[test]
fn missing_file() {
    let dir = tempdir();
    refused_in(dir.path(), "no_such_scenario.ron");
}

#[test]
fn a_directory() {
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("folder.ron")).unwrap();
    refused_in(dir.path(), "folder.ron");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop() {
    let dir = tempdir();
    std::os::unix::fs::symlink("loop.ron", dir.path().join("loop.ron")).unwrap();
    refused_in(dir.path(), "loop.ron");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let path = dir.path().join("secret.ron");
    std::fs::write(&path, mini_text()).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        return; // running as root: permissions do not apply
    }
    refused_in(dir.path(), "secret.ron");
}

/// An endless "file" such as `/dev/zero` must be refused at the size limit
/// (or as not a regular file), not read until memory runs out. The address
/// space is capped at 2 GiB so that the bug, if present, cannot hurt the machine.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_device_is_refused_without_exhausting_memory() {
    let dir = tempdir();
    for cmd in ["validate", "run"] {
        let out = assert_cmd::Command::new("sh")
            .args([
                "-c",
                &format!("ulimit -v 2097152 && exec \"$0\" {cmd} /dev/zero"),
                env!("CARGO_BIN_EXE_pacesim"),
            ])
            .current_dir(dir.path())
            .timeout(crate::util::DEADLINE)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd} /dev/zero: {stderr}");
        assert!(stderr.contains("/dev/zero"), "{stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("memory"),
            "{cmd} /dev/zero should stop at the size limit, not run out of memory: {stderr}"
        );
    }
}
