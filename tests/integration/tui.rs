//! `pacesim tui` end to end: the real binary in a real terminal (tmux), driven
//! with `send-keys` and read with `capture-pane`, then `pacesim replay` on
//! the journal it wrote. Also `pacesim replay` and `pacesim tui --journal` on
//! journals that do not fit (no terminal needed for those).
//!
//! Each test starts its own tmux server, with its socket in the test's own
//! temporary directory (`tmux -S DIR/tmux.sock`), so tests run in parallel
//! and never touch the user's tmux; when the test ends (passed or failed)
//! the pacesim it started and the server are killed. Without tmux the
//! tmux tests print a notice and pass. Waits poll the screen until the text
//! expected appears (with a time-out that fails the test and shows the
//! screen), so the whole file takes a few seconds.
//!
//! `tests/data/tui_exercise.ron` (with `tui_playbook.ron` next to it) is a
//! small exercise whose first decision point waits at T+08:30:00 with seed 5.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::util::{self, pacesim, tempdir};

/// How long any one wait for the screen may take before the test fails.
const WAIT: Duration = Duration::from_secs(15);

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Returns from the test (passing) with a notice when tmux is missing.
macro_rules! require_tmux {
    () => {
        if !tmux_available() {
            eprintln!("skipped: tmux is not installed (apt-get install tmux)");
            return;
        }
    };
}

fn exercise() -> PathBuf {
    util::root().join("tests/data/tui_exercise.ron")
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One tmux server with one session running a command.
struct Tmux {
    socket: String,
    dir: PathBuf,
    /// The session's name: `s0`, then `s1` after a restart, ...
    session: std::cell::Cell<u32>,
}

impl Tmux {
    /// Starts `pacesim ARGS` in `dir` on a `w` x `h` terminal. When it ends,
    /// the pane prints `EXIT=<code>` and stays open.
    fn start(dir: &Path, w: u16, h: u16, args: &[&str]) -> Tmux {
        // The server's socket lives in the test's directory, so it goes with it.
        let socket = dir.join("tmux.sock").display().to_string();
        let t = Tmux {
            socket,
            dir: dir.to_path_buf(),
            session: std::cell::Cell::new(0),
        };
        t.run_in_new_session(w, h, args);
        t
    }

    fn run_in_new_session(&self, w: u16, h: u16, args: &[&str]) {
        let cmd = format!(
            "cd {} && {} {} 2>>{}; echo EXIT=$?; sleep 120",
            quote(&self.dir.display().to_string()),
            quote(env!("CARGO_BIN_EXE_pacesim")),
            args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "),
            quote(&self.dir.join("stderr.txt").display().to_string()),
        );
        let (w, h) = (w.to_string(), h.to_string());
        let name = self.name();
        let out = self.tmux(&["new-session", "-d", "-s", &name, "-x", &w, "-y", &h, &cmd]);
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn name(&self) -> String {
        format!("s{}", self.session.get())
    }

    /// Starts a new session and then ends the old one (and what runs in it).
    /// In this order, since the server exits with its last session.
    fn restart(&self, w: u16, h: u16, args: &[&str]) {
        let old = self.name();
        self.session.set(self.session.get() + 1);
        self.run_in_new_session(w, h, args);
        self.tmux(&["kill-session", "-t", &old]);
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("run tmux")
    }

    /// Sends keys by tmux name (`Space`, `Enter`, `q`, ...).
    fn keys(&self, keys: &[&str]) {
        let name = self.name();
        let mut args = vec!["send-keys", "-t", &name];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    /// Types `text` as it is.
    fn type_text(&self, text: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", &self.name(), "-l", text])
                .status
                .success()
        );
    }

    /// The visible screen.
    fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-t", &self.name()])
                .stdout,
        )
        .into_owned()
    }

    /// The screen with what scrolled off it (what the command printed on exit).
    fn history(&self) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-t", &self.name(), "-S", "-300"])
                .stdout,
        )
        .into_owned()
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.join("stderr.txt")).unwrap_or_default()
    }

    /// Polls the screen until `ok` holds; fails the test after [`WAIT`].
    #[track_caller]
    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "waited {WAIT:?} for {what}; the screen:\n{s}\n--- stderr:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    #[track_caller]
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits until the screen shows all of `texts` at once (a capture can
    /// catch a frame half drawn, so what is asserted is waited for).
    #[track_caller]
    fn wait_all(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("all of {texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Waits for the command to end; returns its exit code and all it printed.
    #[track_caller]
    fn wait_exit(&self) -> (i32, String) {
        let start = Instant::now();
        loop {
            let h = self.history();
            // After a crash the terminal is left as it was: `EXIT=` may be
            // anywhere on a line of the dashboard.
            if let Some(code) = h.lines().find_map(|l| {
                let rest = &l[l.find("EXIT=")? + 5..];
                // The dashboard's leftovers may follow the code on the same line:
                // an exit status has at most three digits.
                let digits: String = rest
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .take(3)
                    .collect();
                digits.parse::<i32>().ok().filter(|c| *c <= 255)
            }) {
                return (code, h);
            }
            if start.elapsed() > WAIT {
                panic!(
                    "pacesim did not exit within {WAIT:?}; the screen:\n{h}\n--- stderr:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Quits with q then y; returns the log hash printed.
    #[track_caller]
    fn quit(&self) -> String {
        self.keys(&["q"]);
        self.wait_for("End the session?");
        self.keys(&["y"]);
        let (code, printed) = self.wait_exit();
        assert_eq!(code, 0, "quitting exits 0:\n{printed}\n{}", self.stderr());
        assert!(
            !self.stderr().contains("panicked"),
            "panic: {}",
            self.stderr()
        );
        hash_in(&printed)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // A pacesim whose terminal goes away does not exit (see
        // `when_its_terminal_goes_away_pacesim_exits`): end ours first, so a
        // failed test leaves nothing running.
        let dir = self.dir.display().to_string();
        for pid in pacesim_pids(|args| args.iter().any(|a| a.starts_with(&dir))) {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
        self.tmux(&["kill-server"]);
    }
}

/// The hash on the last `log-hash: ` line of `text`.
#[track_caller]
fn hash_in(text: &str) -> String {
    let h = text
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("log-hash: "))
        .unwrap_or_else(|| panic!("no log-hash line in:\n{text}"))
        .trim()
        .to_string();
    assert!(
        h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()),
        "not a sha256: {h:?}"
    );
    h
}

/// The header line of the dashboard (clock, state, status).
/// The header's two lines: state and clock, then seed, frame time and status.
fn header(screen: &str) -> String {
    screen
        .lines()
        .skip(1)
        .take(2)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The simulated clock in the header (`T+…` before ` / `).
fn clock(screen: &str) -> String {
    let head = header(screen);
    head.find("T+")
        .map(|i| head[i..].split(" / ").next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// `T+…` as the dashboard writes a simulated time.
fn sim_time(s: u64) -> String {
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if d > 0 {
        format!("T+{d}d {h:02}:{m:02}:{sec:02}")
    } else {
        format!("T+{h:02}:{m:02}:{sec:02}")
    }
}

/// The `pacesim tui` processes of this build whose arguments match.
fn pacesim_pids(matching: impl Fn(&[String]) -> bool) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| {
            let pid = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let cmd = std::fs::read(e.path().join("cmdline")).ok()?;
            let args: Vec<String> = cmd
                .split(|&b| b == 0)
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            let ours = args
                .first()
                .is_some_and(|a| a.ends_with(env!("CARGO_BIN_EXE_pacesim")))
                && args.iter().any(|a| a == "tui")
                && matching(&args);
            ours.then_some(pid)
        })
        .collect()
}

/// The pid of the `pacesim tui` that writes `journal` (found in /proc by its
/// command line, which holds the unique journal path).
fn pacesim_pid(journal: &Path) -> u32 {
    let want = journal.display().to_string();
    let start = Instant::now();
    loop {
        if let Some(&pid) = pacesim_pids(|args| args.contains(&want)).first() {
            return pid;
        }
        assert!(
            start.elapsed() < WAIT,
            "no pacesim process for {want} found"
        );
        std::thread::sleep(Duration::from_millis(40));
    }
}

fn alive(pid: u32) -> bool {
    // A zombie has exited; only its parent has not collected it yet.
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        !s.rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

fn signal(pid: u32, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .expect("run kill")
        .success();
    assert!(ok, "kill {sig} {pid} failed");
}

fn journal_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(k, l)| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("journal line {} is not JSON ({e}): {l}", k + 1))
        })
        .collect()
}

/// Waits until the journal has a line containing `text` (it is synced
/// before the action takes effect, so this is immediate in practice).
fn wait_journal(path: &Path, text: &str) {
    let start = Instant::now();
    while !std::fs::read_to_string(path).is_ok_and(|j| j.contains(text)) {
        assert!(
            start.elapsed() < WAIT,
            "the journal never got {text:?}:\n{}",
            std::fs::read_to_string(path).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `pacesim replay JOURNAL`: succeeds, and returns the log hash.
#[track_caller]
fn replay(dir: &Path, journal: &Path) -> (String, util::Outcome) {
    let out = pacesim(dir, [Path::new("replay"), journal]);
    out.success();
    (out.log_hash(), out)
}

/// Writes `journal` with its first line changed by `edit`.
fn with_header(journal: &Path, to: &Path, edit: impl Fn(&mut serde_json::Value)) {
    let text = std::fs::read_to_string(journal).unwrap();
    let (head, rest) = text.split_once('\n').unwrap();
    let mut h: serde_json::Value = serde_json::from_str(head).unwrap();
    edit(&mut h);
    std::fs::write(to, format!("{h}\n{rest}")).unwrap();
}

// ---------------------------------------------------------------------------
// A live session with the bundled scenario
// ---------------------------------------------------------------------------

#[test]
fn a_live_session_in_tmux_replays_to_the_hash_it_printed() {
    require_tmux!();
    let dir = tempdir();
    let journal = dir.path().join("j.jsonl");
    let j = journal.display().to_string();
    let t = Tmux::start(
        dir.path(),
        120,
        40,
        &["tui", "--seed", "5", "--journal", &j, "--speed", "3600"],
    );
    // Every panel (and the footer, drawn last).
    t.wait_all(&[
        "Baltic Winter",
        "T+",
        "RUNNING x3600",
        "seed 5",
        "Event log",
        "MSEL",
        "Infrastructure",
        "trust",
        "reach",
        "IPCR",
        "UCPM",
        "Rapid Alert",
        "NATO",
        "Objectives",
        "q quit",
    ]);

    // Pause.
    t.keys(&["Space"]);
    t.wait_until("PAUSED", |s| header(s).contains("PAUSED"));
    wait_journal(&journal, "\"pause\"");

    // Fire the first unfired MSEL inject.
    t.keys(&["i"]);
    t.wait_for("Fire an MSEL inject now");
    t.keys(&["Enter"]);
    t.wait_until("an inject fired and the picker closed", |s| {
        header(s).contains("MSEL #")
            && header(s).contains("fired")
            && !s.contains("Fire an MSEL inject now")
    });

    // A controller note.
    t.keys(&["e"]);
    t.wait_for("Controller note (Enter");
    t.type_text("tmux note");
    t.wait_for("tmux note_");
    t.keys(&["Enter"]);
    t.wait_for("Controller note: tmux note");

    // Step one event.
    t.keys(&["s"]);
    wait_journal(&journal, "tmux note");

    // Jump from inject to inject until a decision waits (the first one is
    // at T+1d 11:30 with seed 5), then approve it.
    let mut answered = false;
    for _ in 0..6 {
        let s = t.screen();
        if header(&s).contains("WAITING FOR DECISION") {
            break;
        }
        let before = clock(&s);
        t.keys(&["j"]);
        t.wait_until("the jump", |s| {
            clock(s) != before || header(s).contains("WAITING FOR DECISION")
        });
    }
    if header(&t.screen()).contains("WAITING FOR DECISION") {
        t.wait_all(&["Decision point", "[1] ", "[2] "]);
        t.keys(&["1"]);
        t.wait_until("the answer", |s| header(s).contains("decision recorded"));
        answered = true;
    } else {
        eprintln!("note: no decision point came up in six jumps; none answered");
    }

    let live = t.quit();
    let actions: Vec<String> = journal_lines(&journal)[1..]
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    for a in ["pause", "fire", "note", "quit"] {
        assert!(actions.iter().any(|x| x == a), "{a} journaled: {actions:?}");
    }
    if answered {
        assert!(actions.iter().any(|x| x == "decide"), "{actions:?}");
    }

    let (replayed, out) = replay(dir.path(), &journal);
    assert_eq!(replayed, live, "replay gives the hash the session printed");
    assert!(
        out.stdout.contains("where the session quit"),
        "{}",
        out.stdout
    );

    // The same journal with a torn last line (a crash while writing `quit`):
    // the line is dropped; quitting changes nothing in the log.
    let full = std::fs::read(&journal).unwrap();
    let torn = dir.path().join("torn.jsonl");
    std::fs::write(&torn, &full[..full.len() - 6]).unwrap();
    let (h, out) = replay(dir.path(), &torn);
    assert_eq!(h, live);
    assert!(out.stdout.contains("cut short"), "{}", out.stdout);

    // The journal with another version of the scenario in its header (same
    // name, other digest): refused, saying the file changed.
    let other = dir.path().join("other-scenario.jsonl");
    with_header(&journal, &other, |h| {
        h["scenario_sha256"] = "0".repeat(64).into()
    });
    let out = pacesim(dir.path(), [Path::new("replay"), &other]);
    out.refused().stderr_has("other-scenario.jsonl");
    out.stderr_has("another version of the scenario")
        .stderr_has("has changed since");

    // Resuming it with another seed or scenario: refused before the
    // terminal is touched (no tmux needed), naming the journal.
    let out = pacesim(dir.path(), ["tui", "--seed", "6", "--journal", &j]);
    out.refused().stderr_has("j.jsonl").stderr_has("seed 5");
    let out = pacesim(
        dir.path(),
        ["tui", &exercise().display().to_string(), "--journal", &j],
    );
    out.refused()
        .stderr_has("j.jsonl")
        .stderr_has("another scenario");
    // Refusing did not touch the journal.
    assert_eq!(std::fs::read(&journal).unwrap(), full);
}

/// Replay knows the seed only from the header. A header edited to another
/// seed is caught here because the entries' event counts do not fit seed 6
/// by T+08:30 (a journal of the first hours only, where every seed fires the
/// same number of events, would replay to another hash: the journal holds no
/// hash of the log to check against).
#[test]
fn replay_refuses_a_journal_whose_seed_was_edited() {
    require_tmux!();
    let dir = tempdir();
    let journal = dir.path().join("j.jsonl");
    let j = journal.display().to_string();
    let t = Tmux::start(
        dir.path(),
        120,
        40,
        &[
            "tui",
            &exercise().display().to_string(),
            "--seed",
            "5",
            "--journal",
            &j,
            "--speed",
            "60",
        ],
    );
    t.wait_for("Event log");
    t.keys(&["Space"]);
    t.wait_until("PAUSED", |s| header(s).contains("PAUSED"));
    // Three jumps: to MSEL #1 (1h), #2 (6h), then the decision at 8h30.
    for _ in 0..3 {
        let before = clock(&t.screen());
        t.keys(&["j"]);
        t.wait_until("the jump", |s| clock(s) != before);
    }
    t.wait_until("the decision", |s| {
        header(s).contains("WAITING FOR DECISION")
    });
    t.keys(&["e"]);
    t.wait_for("Controller note (Enter");
    t.type_text("at the decision");
    t.keys(&["Enter"]);
    // The decision popup hides the log: the status says it.
    t.wait_until("the note", |s| header(s).contains("note added"));
    let live = t.quit();
    assert_eq!(replay(dir.path(), &journal).0, live);

    let edited = dir.path().join("seed-6.jsonl");
    with_header(&journal, &edited, |h| h["seed"] = 6.into());
    let out = pacesim(dir.path(), [Path::new("replay"), &edited]);
    assert_eq!(
        out.code,
        Some(2),
        "a journal recorded with seed 5 but labelled 6 must be refused, not replayed \
         to another hash\n{}",
        out.context()
    );
    out.refused()
        .stderr_has("seed-6.jsonl")
        .stderr_has("other inputs");
}

// ---------------------------------------------------------------------------
// kill -9 and resume
// ---------------------------------------------------------------------------

#[test]
fn after_kill_9_the_journal_resumes_and_replays_to_the_hash_printed() {
    require_tmux!();
    let dir = tempdir();
    let journal = dir.path().join("j.jsonl");
    let j = journal.display().to_string();
    let scenario = exercise().display().to_string();
    let t = Tmux::start(
        dir.path(),
        120,
        40,
        &[
            "tui",
            &scenario,
            "--seed",
            "5",
            "--journal",
            &j,
            "--speed",
            "60",
        ],
    );
    t.wait_for("Event log");
    t.keys(&["Space"]);
    t.wait_until("PAUSED", |s| header(s).contains("PAUSED"));
    // Jump to MSEL #1, to #2, then to the decision point at 8h30.
    for _ in 0..3 {
        let before = clock(&t.screen());
        t.keys(&["j"]);
        t.wait_until("the jump", |s| clock(s) != before);
    }
    t.wait_until("the decision at T+08:30:00 with its options", |s| {
        header(s).contains("WAITING FOR DECISION")
            && header(s).contains("T+08:30:00")
            && s.contains("[1] raise the mode")
            && s.contains("[2] stay in the current mode")
    });
    // Decline it.
    t.keys(&["2"]);
    t.wait_until("the answer", |s| header(s).contains("decision recorded"));
    // A note and an inject.
    t.keys(&["e"]);
    t.wait_for("Controller note (Enter");
    t.type_text("before the crash");
    t.keys(&["Enter"]);
    t.wait_for("Controller note: before the crash");
    t.keys(&["i"]);
    t.wait_for("Fire an MSEL inject now");
    t.keys(&["Enter"]);
    t.wait_until("MSEL #4 fired", |s| header(s).contains("MSEL #4 fired"));
    wait_journal(&journal, "\"fire\"");

    // Crash.
    let pid = pacesim_pid(&journal);
    signal(pid, "-9");
    let (code, _) = t.wait_exit();
    assert_eq!(code, 137, "killed by SIGKILL");
    let recorded = journal_lines(&journal);
    let last_t = recorded.last().unwrap()["t"].as_u64().unwrap();
    let actions = recorded.len() - 1;

    // Resume: the same scenario, the seed from the journal.
    t.restart(120, 40, &["tui", &scenario, "--journal", &j]);
    // Paused, at the last action's time, with what was done before the
    // crash on the screen again (the decision answered, so not waiting).
    let resumed = format!("resumed {actions} actions");
    let at = sim_time(last_t);
    let s = t.wait_until("the resumed dashboard", |s| {
        let head = header(s);
        head.contains("PAUSED")
            && head.contains(&resumed)
            && head.contains(&at)
            && s.contains("Controller note: before the crash")
            && s.contains("MSEL (4/4 fired)")
            && s.contains("q quit")
    });
    assert!(!header(&s).contains("WAITING FOR DECISION"), "{s}");

    // One more action, then quit.
    t.keys(&["e"]);
    t.wait_for("Controller note (Enter");
    t.type_text("after the crash");
    t.keys(&["Enter"]);
    t.wait_for("Controller note: after the crash");
    t.keys(&["s"]);
    let live = t.quit();

    let (replayed, _) = replay(dir.path(), &journal);
    assert_eq!(replayed, live, "replay after kill -9 and resume");
    let lines = journal_lines(&journal);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.get("pacesim_journal").is_some())
            .count(),
        1,
        "one header"
    );
    assert_eq!(lines.last().unwrap()["action"], "quit");
}

#[test]
fn after_sigterm_the_printed_hash_replays() {
    require_tmux!();
    let dir = tempdir();
    let journal = dir.path().join("j.jsonl");
    let j = journal.display().to_string();
    let t = Tmux::start(
        dir.path(),
        120,
        40,
        &["tui", "--seed", "5", "--journal", &j, "--speed", "3600"],
    );
    t.wait_for("Event log");
    // Let the clock run past the first progress mark (every 2 s).
    wait_journal(&journal, "\"mark\"");
    std::thread::sleep(Duration::from_millis(700));
    signal(pacesim_pid(&journal), "-TERM");
    let (code, printed) = t.wait_exit();
    assert_eq!(code, 0, "{printed}");
    let live = hash_in(&printed);
    assert_eq!(replay(dir.path(), &journal).0, live);
}

#[test]
fn when_its_terminal_goes_away_pacesim_exits() {
    require_tmux!();
    let dir = tempdir();
    let journal = dir.path().join("j.jsonl");
    let j = journal.display().to_string();
    let t = Tmux::start(dir.path(), 80, 24, &["tui", "--seed", "5", "--journal", &j]);
    t.wait_all(&["Event log", "quit"]);
    let pid = pacesim_pid(&journal);
    // Close the terminal: the pane's processes get SIGHUP and lose their tty.
    t.tmux(&["kill-server"]);
    let start = Instant::now();
    while alive(pid) && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let still_running = alive(pid);
    if still_running {
        signal(pid, "-9");
    }
    assert!(
        !still_running,
        "pacesim tui (pid {pid}) still runs 5 s after its terminal closed"
    );
}

// ---------------------------------------------------------------------------
// Small terminals
// ---------------------------------------------------------------------------

#[test]
fn at_80x24_and_after_resizing_it_works_and_quits() {
    require_tmux!();
    let dir = tempdir();
    let journal = dir.path().join("j.jsonl");
    let j = journal.display().to_string();
    let t = Tmux::start(dir.path(), 80, 24, &["tui", "--seed", "5", "--journal", &j]);
    let s = t.wait_all(&["Event log", "Objectives", "quit"]);
    assert!(s.lines().all(|l| l.chars().count() <= 80));
    t.keys(&["Space"]);
    t.wait_until("PAUSED", |s| header(s).contains("PAUSED"));
    for (w, h) in [("60", "20"), ("20", "5"), ("100", "30")] {
        t.tmux(&["resize-window", "-t", &t.name(), "-x", w, "-y", h]);
        std::thread::sleep(Duration::from_millis(150));
    }
    t.wait_for("Event log");
    t.keys(&["?"]);
    t.wait_for("this help");
    t.keys(&["x"]);
    let live = t.quit();
    assert!(!t.stderr().contains("panicked"), "{}", t.stderr());
    assert_eq!(replay(dir.path(), &journal).0, live);
}

// ---------------------------------------------------------------------------
// Journals written by hand (no terminal needed)
// ---------------------------------------------------------------------------

fn sha256_file(p: &Path) -> String {
    util::sha256_hex(&std::fs::read(p).unwrap())
}

/// A journal for the bundled scenario and playbook, with these entries.
fn hand_journal(dir: &Path, name: &str, seed: u64, entries: &[&str]) -> PathBuf {
    let root = util::root();
    let header = serde_json::json!({
        "pacesim_journal": 1,
        "version": env!("CARGO_PKG_VERSION"),
        "scenario": "Baltic Winter: multi-domain hybrid campaign",
        "scenario_file": "",
        "scenario_sha256": sha256_file(&root.join("scenarios/baltic_hybrid.ron")),
        "playbooks": [{
            "file": "playbooks/eu_2019.ron",
            "sha256": sha256_file(&root.join("playbooks/eu_2019.ron")),
        }],
        "seed": seed,
    });
    let mut text = format!("{header}\n");
    for e in entries {
        text.push_str(e);
        text.push('\n');
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const PAUSE: &str = r#"{"t":0,"n":0,"action":"pause"}"#;
const NOTE: &str = r#"{"t":0,"n":0,"action":"note","text":"written by hand"}"#;
const QUIT: &str = r#"{"t":0,"n":0,"action":"quit"}"#;

#[test]
fn replay_of_a_hand_written_journal_and_of_bad_ones() {
    let dir = tempdir();
    let good = hand_journal(dir.path(), "good.jsonl", 5, &[PAUSE, NOTE, QUIT]);
    let (h, out) = replay(dir.path(), &good);
    assert!(
        out.stdout.contains("3 controller actions"),
        "{}",
        out.stdout
    );
    // The same again, and with its quit line torn.
    assert_eq!(replay(dir.path(), &good).0, h);
    let bytes = std::fs::read(&good).unwrap();
    let torn = dir.path().join("torn.jsonl");
    std::fs::write(&torn, &bytes[..bytes.len() - 10]).unwrap();
    let (h2, out) = replay(dir.path(), &torn);
    assert_eq!(h2, h, "quit changes nothing in the log");
    assert!(out.stdout.contains("cut short"), "{}", out.stdout);
    // Torn in the note: the note is gone, so the log differs.
    let cut = bytes.len() - QUIT.len() - 1 - 12;
    std::fs::write(&torn, &bytes[..cut]).unwrap();
    let (h3, _) = replay(dir.path(), &torn);
    assert_ne!(h3, h);
    // --out writes the replayed events.jsonl, whose sha256 is the hash.
    let out = pacesim(
        dir.path(),
        [
            Path::new("replay"),
            &good,
            Path::new("--out"),
            Path::new("out"),
        ],
    );
    out.success();
    let events = std::fs::read(dir.path().join("out/events.jsonl")).unwrap();
    assert_eq!(util::sha256_hex(&events), h);
    assert!(String::from_utf8_lossy(&events).contains("written by hand"));

    // Another scenario (edited content), another playbook, another version,
    // another format: refused with exit 2, naming the file.
    for (name, field, value) in [
        (
            "scenario.jsonl",
            "scenario_sha256",
            serde_json::json!("0".repeat(64)),
        ),
        (
            "playbook.jsonl",
            "playbooks",
            serde_json::json!([{"file": "playbooks/eu_2019.ron", "sha256": "0".repeat(64)}]),
        ),
        ("version.jsonl", "version", serde_json::json!("0.0.0-old")),
        ("format.jsonl", "pacesim_journal", serde_json::json!(99)),
    ] {
        let p = dir.path().join(name);
        with_header(&good, &p, |h| h[field] = value.clone());
        let out = pacesim(dir.path(), [Path::new("replay"), &p]);
        out.refused().stderr_has(name);
    }

    // Not a journal at all, an empty file, a missing file, a directory.
    for (name, bytes) in [
        ("garbage.jsonl", &b"\x00\xffnot json\n"[..]),
        ("empty.jsonl", &b""[..]),
        ("middle.jsonl", &b"{}\n"[..]),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        pacesim(dir.path(), [Path::new("replay"), &p])
            .refused()
            .stderr_has(name);
    }
    let mut bad_line = std::fs::read_to_string(&good).unwrap();
    bad_line = bad_line.replacen(r#""action":"pause""#, r#""action":"dance""#, 1);
    let p = dir.path().join("bad-line.jsonl");
    std::fs::write(&p, bad_line).unwrap();
    pacesim(dir.path(), [Path::new("replay"), &p])
        .refused()
        .stderr_has("bad-line.jsonl")
        .stderr_has("2:30");
    pacesim(dir.path(), ["replay", "missing.jsonl"])
        .refused()
        .stderr_has("missing.jsonl");
    pacesim(dir.path(), ["replay", "."]).refused();
    // An entry that cannot have happened: more events than exist by then.
    let p = hand_journal(
        dir.path(),
        "impossible.jsonl",
        5,
        &[r#"{"t":60,"n":100000,"action":"mark"}"#],
    );
    pacesim(dir.path(), [Path::new("replay"), &p])
        .refused()
        .stderr_has("impossible.jsonl");
}

#[test]
fn replay_refuses_an_entry_after_the_end_without_panicking() {
    let dir = tempdir();
    let p = hand_journal(
        dir.path(),
        "far.jsonl",
        5,
        &[r#"{"t":18446744073709551615,"n":0,"action":"note","text":"never"}"#],
    );
    pacesim(dir.path(), [Path::new("replay"), &p])
        .refused()
        .stderr_has("far.jsonl");
}

#[test]
fn tui_refuses_a_journal_it_cannot_use_before_touching_the_terminal() {
    let dir = tempdir();
    let good = hand_journal(dir.path(), "good.jsonl", 5, &[PAUSE, NOTE]);
    let before = std::fs::read(&good).unwrap();
    // Another seed than the journal's.
    pacesim(
        dir.path(),
        [
            Path::new("tui"),
            Path::new("--seed"),
            Path::new("6"),
            Path::new("--journal"),
            &good,
        ],
    )
    .refused()
    .stderr_has("good.jsonl")
    .stderr_has("seed 5, not 6");
    // Another scenario.
    pacesim(
        dir.path(),
        [Path::new("tui"), &exercise(), Path::new("--journal"), &good],
    )
    .refused()
    .stderr_has("good.jsonl")
    .stderr_has("another scenario");
    // Not a journal.
    let junk = dir.path().join("junk.jsonl");
    std::fs::write(&junk, "junk\n").unwrap();
    pacesim(
        dir.path(),
        [Path::new("tui"), Path::new("--journal"), &junk],
    )
    .refused()
    .stderr_has("junk.jsonl");
    assert_eq!(std::fs::read(&good).unwrap(), before, "left as it was");
}
