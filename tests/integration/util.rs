//! Helpers shared by the integration tests: running the binary with a
//! deadline, reading its outputs, and the event log's invariants.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Every invocation is killed after this long, so a hang fails its test
/// instead of stalling the suite.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// The project root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/data/mini.ron`: a small scenario with one campaign per domain.
pub fn mini() -> PathBuf {
    root().join("tests/data/mini.ron")
}

pub fn mini_text() -> String {
    std::fs::read_to_string(mini()).expect("tests/data/mini.ron is readable")
}

/// mini.ron with the first `from` replaced by `to` (`from` must be there).
#[track_caller]
pub fn mini_with(from: &str, to: &str) -> String {
    let text = mini_text();
    assert!(
        text.contains(from),
        "mini.ron no longer contains {from:?}; update the test"
    );
    text.replacen(from, to, 1)
}

/// Every `scenarios/*.ron`, sorted by name.
pub fn shipped_scenarios() -> Vec<PathBuf> {
    let dir = root().join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension() == Some(OsStr::new("ron")) && p.is_file())
        .collect();
    files.sort();
    files
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("create a temporary directory")
}

/// What one invocation of `pacesim` did.
pub struct Outcome {
    pub cmdline: String,
    /// Exit code; `None` if a signal ended the process (a crash, or the deadline).
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `pacesim ARGS...` with `dir` as working directory, killing it at [`DEADLINE`].
pub fn pacesim<I, S>(dir: &Path, args: I) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let cmdline = std::iter::once("pacesim".to_string())
        .chain(args.iter().map(|a| {
            let s = a.to_string_lossy();
            if s.len() > 200 {
                format!("{}...", &s[..s.floor_char_boundary(200)])
            } else {
                s.into_owned()
            }
        }))
        .collect::<Vec<_>>()
        .join(" ");
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_pacesim"))
        .args(&args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .timeout(DEADLINE)
        .output()
        .unwrap_or_else(|e| panic!("cannot start `{cmdline}`: {e}"));
    #[cfg(unix)]
    let signal = std::os::unix::process::ExitStatusExt::signal(&out.status);
    #[cfg(not(unix))]
    let signal = None;
    Outcome {
        cmdline,
        code: out.status.code(),
        signal,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        s
    } else {
        &s[..s.floor_char_boundary(max)]
    }
}

impl Outcome {
    /// The command, how it ended and (clipped) what it printed, for failure messages.
    pub fn context(&self) -> String {
        let mut c = format!("command: {}\n", self.cmdline);
        match (self.code, self.signal) {
            (Some(code), _) => writeln!(c, "exit code: {code}").unwrap(),
            (None, Some(9)) => {
                writeln!(c, "killed: no exit within {DEADLINE:?} (hang or runaway)").unwrap()
            }
            (None, sig) => {
                writeln!(c, "ended by signal {sig:?} (crash, e.g. a stack overflow)").unwrap()
            }
        }
        let tail = &self.stdout[self
            .stdout
            .floor_char_boundary(self.stdout.len().saturating_sub(1500))..];
        writeln!(
            c,
            "--- stdout (last 1500 bytes)\n{tail}\n--- stderr (first 3000 bytes)\n{}",
            clip(&self.stderr, 3000)
        )
        .unwrap();
        c
    }

    /// Asserts the exit code, and that nothing panicked on the way.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}\n{}",
            self.context()
        );
        assert!(
            !self.stderr.contains("panicked"),
            "a panic is a bug on every input\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Self {
        self.expect_code(0)
    }

    /// Asserts the command refused its input: exit 2, a message on stderr, no panic.
    #[track_caller]
    pub fn refused(&self) -> &Self {
        self.expect_code(2);
        assert!(
            !self.stderr.trim().is_empty(),
            "exit 2 needs a message on stderr\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr should contain {needle:?}\n{}",
            self.context()
        );
        self
    }

    /// The hash on the last stdout line, `log-hash: <64 lowercase hex>`.
    #[track_caller]
    pub fn log_hash(&self) -> String {
        let last = self.stdout.lines().last().unwrap_or("");
        let hash = last.strip_prefix("log-hash: ").unwrap_or_else(|| {
            panic!(
                "last stdout line should be `log-hash: <hex>`, is {last:?}\n{}",
                self.context()
            )
        });
        assert!(
            hash.len() == 64
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "log-hash should be 64 lowercase hex digits, is {hash:?}"
        );
        hash.to_string()
    }
}

/// A run with `--out`, and the files it wrote (read before its directory goes).
pub struct Run {
    pub outcome: Outcome,
    pub events: Option<Vec<u8>>,
    pub summary: Option<String>,
    pub report: Option<String>,
}

impl Run {
    #[track_caller]
    pub fn events(&self) -> &[u8] {
        self.outcome.success();
        self.events
            .as_deref()
            .unwrap_or_else(|| panic!("events.jsonl was not written\n{}", self.outcome.context()))
    }

    #[track_caller]
    pub fn summary(&self) -> Value {
        self.outcome.success();
        let text = self
            .summary
            .as_deref()
            .unwrap_or_else(|| panic!("summary.json was not written\n{}", self.outcome.context()));
        serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("summary.json is not valid JSON: {e}\n{}", clip(text, 2000)))
    }

    #[track_caller]
    pub fn report(&self) -> &str {
        self.outcome.success();
        self.report
            .as_deref()
            .unwrap_or_else(|| panic!("report.md was not written\n{}", self.outcome.context()))
    }
}

/// `pacesim run [SCENARIO] ARGS... --out out` in a fresh temporary directory.
pub fn run_with_out(scenario: Option<&Path>, args: &[&str]) -> Run {
    let dir = tempdir();
    let mut all: Vec<&OsStr> = vec![OsStr::new("run")];
    if let Some(s) = scenario {
        all.push(s.as_os_str());
    }
    all.extend(args.iter().map(OsStr::new));
    all.extend([OsStr::new("--out"), OsStr::new("out")]);
    let outcome = pacesim(dir.path(), all);
    let out = dir.path().join("out");
    Run {
        outcome,
        events: std::fs::read(out.join("events.jsonl")).ok(),
        summary: std::fs::read_to_string(out.join("summary.json")).ok(),
        report: std::fs::read_to_string(out.join("report.md")).ok(),
    }
}

/// The bundled default scenario run once (default seed, full duration) from an
/// empty directory, shared by the tests that only read it.
pub fn default_run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run_with_out(None, &[]))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The lines of an events.jsonl, each parsed as a JSON object.
#[track_caller]
pub fn parse_log(bytes: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(bytes).expect("events.jsonl is UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "events.jsonl should end with a newline"
    );
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| {
                panic!("line {} is not JSON ({e}): {}", i + 1, clip(line, 500))
            });
            assert!(
                v.is_object(),
                "line {} is not a JSON object: {}",
                i + 1,
                clip(line, 500)
            );
            v
        })
        .collect()
}

/// The lines of an events.jsonl as raw bytes, each with its newline.
pub fn log_lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

fn u64_field(e: &Value, key: &str) -> u64 {
    e.get(key)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("event has no unsigned integer `{key}`: {e}"))
}

fn str_field<'a>(e: &'a Value, key: &str) -> &'a str {
    let s = e
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("event has no string `{key}`: {e}"));
    assert!(!s.is_empty(), "event has an empty `{key}`: {e}");
    s
}

/// A share in `[0, 1]` (a finite number).
fn assert_share(e: &Value, key: &str, v: &Value) {
    let x = v
        .as_f64()
        .unwrap_or_else(|| panic!("`{key}` is not a number: {e}"));
    assert!(
        (0.0..=1.0).contains(&x),
        "`{key}` = {x} is outside [0, 1]: {e}"
    );
}

/// The event log's invariants: `seq` counts from 0 without gaps, `t` never
/// decreases nor passes `until`, every line has `time`, `domain` and `kind`,
/// shares (service, trust, reach) stay in [0, 1], and casualty counts nest
/// (dead <= symptomatic <= exposed).
#[track_caller]
pub fn check_log(events: &[Value], until: u64) {
    let mut last_t = 0;
    for (i, e) in events.iter().enumerate() {
        assert_eq!(
            u64_field(e, "seq"),
            i as u64,
            "seq should count 0, 1, 2, ... : {e}"
        );
        let t = u64_field(e, "t");
        assert!(t >= last_t, "t went back from {last_t} to {t}: {e}");
        assert!(
            t <= until,
            "t = {t} is after the end of the run ({until}): {e}"
        );
        last_t = t;
        str_field(e, "time");
        str_field(e, "domain");
        let kind = str_field(e, "kind");
        match e.get("service") {
            None => {}
            Some(Value::Object(by_sector)) => by_sector
                .values()
                .for_each(|v| assert_share(e, "service", v)),
            Some(v) => assert_share(e, "service", v),
        }
        for key in ["trust", "reach"] {
            if let Some(v) = e.get(key) {
                assert_share(e, key, v);
            }
        }
        if kind == "casualties" {
            let (dead, ill, exposed) = (
                u64_field(e, "dead"),
                u64_field(e, "symptomatic"),
                u64_field(e, "exposed"),
            );
            assert!(
                dead <= ill && ill <= exposed,
                "casualties should nest dead <= symptomatic <= exposed: {e}"
            );
        }
    }
}

/// Every event's `time` is the scenario's start plus `t` seconds, in ISO 8601.
#[track_caller]
pub fn check_times(events: &[Value], start: &str) {
    let start = chrono::DateTime::parse_from_rfc3339(start)
        .unwrap_or_else(|e| panic!("start {start:?} is not RFC 3339: {e}"));
    for e in events {
        let at = start + chrono::Duration::seconds(u64_field(e, "t") as i64);
        let want = at.to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        assert_eq!(str_field(e, "time"), want, "time should be start + t: {e}");
    }
}

/// A small, seeded generator (SplitMix64) for reproducible junk bytes.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}
