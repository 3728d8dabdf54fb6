//! Journal and replay tests: a controlled session, its journal and `resume`
//! on a fresh session must give the same event log, whatever the controller
//! did and however the journal ended (a torn last line after a crash).
//!
//! The exercise is `tests/data/tui_exercise.ron` with its playbook
//! `tests/data/tui_playbook.ron` (also used by the dashboard tests and the
//! end-to-end test in tmux). With seed 5 the Estonian grid trips at
//! T+08:19:17 and the first decision point (IPCR information sharing) comes
//! up at the review at T+08:30:00.

use std::path::Path;
use std::sync::Arc;

use super::journal::{self, FORMAT, Header, Journal, PlaybookRef};
use super::{Action, Advance, Entry, Session, resume};
use crate::diag::SourceFile;
use crate::engine::SimTime;
use crate::exercise::{ControlRecord, What};
use crate::playbook::IpcrMode;
use crate::response::eu::EuRecord;
use crate::response::eu::decision::DecisionRecord;
use crate::response::eu::{DecisionKind, EuState};
use crate::scenario::catalog::{Catalog, InjectIx};

const SCENARIO: &str = include_str!("../../tests/data/tui_exercise.ron");
const PLAYBOOK: &str = include_str!("../../tests/data/tui_playbook.ron");
const SCENARIO_FILE: &str = "tests/data/tui_exercise.ron";
const PLAYBOOK_FILE: &str = "tests/data/tui_playbook.ron";
const SEED: u64 = 5;
const M: u64 = 60;
const H: u64 = 3600;
const D: u64 = 24 * H;

fn catalog_with(playbook: &str) -> Arc<Catalog> {
    let loaded = crate::scenario::from_source(SourceFile::new(SCENARIO_FILE, SCENARIO))
        .unwrap_or_else(|d| panic!("{}", d[0].render(false)));
    let book = crate::playbook::from_source(SourceFile::new(PLAYBOOK_FILE, playbook))
        .unwrap_or_else(|d| panic!("{}", d[0].render(false)));
    crate::run::compile(&loaded, &[book]).unwrap_or_else(|d| panic!("{}", d[0].render(false)))
}

/// The test exercise with its playbook.
fn catalog() -> Arc<Catalog> {
    catalog_with(PLAYBOOK)
}

/// The playbook with IPCR information sharing raised from the first instant,
/// so a decision point waits for the players at T+0.
fn always_catalog() -> Arc<Catalog> {
    let from = "information_sharing: (when: NodesDown(1)";
    assert!(
        PLAYBOOK.contains(from),
        "tui_playbook.ron no longer contains {from:?}; update the test"
    );
    catalog_with(&PLAYBOOK.replacen(from, "information_sharing: (when: Always", 1))
}

fn header(seed: u64) -> Header {
    Header {
        pacesim_journal: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: "Dashboard test exercise".into(),
        scenario_file: SCENARIO_FILE.into(),
        scenario_sha256: journal::sha256(SCENARIO),
        playbooks: vec![PlaybookRef {
            file: PLAYBOOK_FILE.into(),
            sha256: journal::sha256(PLAYBOOK),
        }],
        seed,
    }
}

fn new_journal(dir: &Path) -> (std::path::PathBuf, Journal) {
    let path = dir.join("exercise.journal.jsonl");
    let j = Journal::create(&path, &header(SEED)).expect("create the journal");
    (path, j)
}

/// The log as one line per event (Debug, since samples hold NaN for sectors
/// a country lacks and NaN != NaN).
fn log_lines(s: &Session) -> Vec<String> {
    s.sim.model.log().iter().map(|e| format!("{e:?}")).collect()
}

#[track_caller]
fn assert_same_log(got: &[String], want: &[String]) {
    if let Some(k) = (0..got.len().max(want.len())).find(|&k| got.get(k) != want.get(k)) {
        panic!(
            "the logs differ first at event {k}:\n  replayed: {:?}\n  live:     {:?}\n({} vs {} events)",
            got.get(k),
            want.get(k),
            got.len(),
            want.len()
        );
    }
}

fn hash(s: &Session) -> String {
    s.log_hash(None).expect("hash the log")
}

fn inject_ix(cat: &Catalog, number: u32) -> InjectIx {
    let k = cat
        .injects
        .iter()
        .position(|i| i.inject.number == number)
        .unwrap_or_else(|| panic!("MSEL #{number} is not in the test exercise"));
    InjectIx::at(k)
}

/// Times at which MSEL inject `number` was logged as fired.
fn fired_at(s: &Session, number: u32) -> Vec<u64> {
    let ix = inject_ix(s.cat(), number);
    s.sim
        .model
        .log()
        .iter()
        .filter(|e| matches!(e.what, What::Control(ControlRecord::InjectFired { inject }) if inject == ix))
        .map(|e| e.t.0)
        .collect()
}

/// The decisions logged as taken: (time, kind, approved, by the players).
fn taken(s: &Session) -> Vec<(u64, DecisionKind, bool, bool)> {
    s.sim
        .model
        .log()
        .iter()
        .filter_map(|e| match e.what {
            What::Eu(EuRecord::Decision(DecisionRecord::Taken {
                kind,
                approved,
                players,
                ..
            })) => Some((e.t.0, kind, approved, players)),
            _ => None,
        })
        .collect()
}

fn ipcr_mode(s: &Session) -> IpcrMode {
    s.sim.model.world().resource::<EuState>().ipcr.mode
}

/// Runs to `t`, answering every decision point on the way with the next of
/// `answers` (cycling), as the players would at the dashboard.
fn run_to(s: &mut Session, t: u64, answers: &[Option<bool>], k: &mut usize) {
    loop {
        match s.advance_to(SimTime(t), None) {
            Advance::Waiting(d) => {
                let approve = answers[*k % answers.len()];
                *k += 1;
                s.act(Action::Decide {
                    decision: d,
                    approve,
                })
                .expect("journal the answer");
            }
            Advance::Reached | Advance::Ended => return,
            Advance::Budget => unreachable!("no deadline was given"),
        }
    }
}

/// What the controller does in the scripted session.
enum Do {
    /// Run the clock to this simulated second (answering decisions on the way).
    To(u64),
    /// Fire this many single engine events (the dashboard's `s`), so the next
    /// action lands between events of one instant.
    Steps(usize),
    Act(Action),
}

fn script() -> Vec<Do> {
    use Do::*;
    vec![
        Act(Action::Speed { x: Some(600) }),
        Steps(3),
        Act(Action::Note {
            text: "three events in".into(),
        }),
        To(30 * M),
        Act(Action::Pause),
        // MSEL #2 is due at 6h: fired early here.
        Act(Action::Fire { inject: 2 }),
        To(45 * M),
        Act(Action::Resume),
        To(2 * H),
        Act(Action::AdHoc {
            campaign: "lies".into(),
            step: "bots".into(),
            note: "the simulation cell amplifies early".into(),
        }),
        To(6 * H),
        Act(Action::Mark),
        // The first decision point (8h30) is answered on the way.
        To(12 * H),
        Steps(2),
        Act(Action::Note {
            text: "Presidency briefed".into(),
        }),
        Act(Action::Speed { x: None }),
        // MSEL #4 is due at 2d exactly: the clock reaches it, then the
        // controller asks for it again (it must not go out twice).
        To(2 * D),
        Act(Action::Fire { inject: 4 }),
        To(3 * D),
        Act(Action::Note {
            text: "day three".into(),
        }),
        To(3 * D + 6 * H),
        Act(Action::Quit),
    ]
}

/// Plays the script on `s`; returns the log hash before each action.
fn play(s: &mut Session, script: &[Do]) -> Vec<String> {
    let answers = [Some(true), Some(false), None];
    let mut k = 0;
    let mut before = Vec::new();
    for d in script {
        match d {
            Do::To(t) => run_to(s, *t, &answers, &mut k),
            Do::Steps(n) => {
                for _ in 0..*n {
                    if let Advance::Waiting(d) = s.step() {
                        s.act(Action::Decide {
                            decision: d,
                            approve: Some(true),
                        })
                        .expect("journal the answer");
                    }
                }
            }
            Do::Act(a) => {
                before.push(hash(s));
                s.act(a.clone()).expect("journal the action");
            }
        }
    }
    assert!(k >= 2, "the script should meet decision points, met {k}");
    before
}

// ---------------------------------------------------------------------------
// (a) determinism: a journaled session replays to the same log
// ---------------------------------------------------------------------------

#[test]
fn a_scripted_session_replays_from_its_journal_to_the_same_log() {
    let dir = tempfile::tempdir().unwrap();
    let cat = catalog();
    let (path, j) = new_journal(dir.path());
    let mut live = Session::start(cat.clone(), SEED, Some(j));
    play(&mut live, &script());
    let live_hash = hash(&live);
    let live_log = log_lines(&live);

    let rec = journal::read(&path).expect("read the journal back");
    assert!(!rec.dropped_tail);
    assert_eq!(rec.header, header(SEED));
    assert_eq!(
        rec.good_len,
        std::fs::metadata(&path).unwrap().len(),
        "good_len covers the whole file"
    );
    assert_eq!(rec.entries.last().map(|e| &e.action), Some(&Action::Quit));
    let decided = rec
        .entries
        .iter()
        .filter(|e| matches!(e.action, Action::Decide { .. }))
        .count();
    assert!(decided >= 2, "answers are journaled: {:?}", rec.entries);

    let replayed = resume(cat.clone(), SEED, &rec.entries, None).expect("resume");
    assert_eq!(replayed.now(), live.now(), "resumed at the same instant");
    assert_eq!(replayed.fired, live.fired, "same number of engine events");
    assert_same_log(&log_lines(&replayed), &live_log);
    assert_eq!(replayed.sim.model.notes(), live.sim.model.notes());
    assert_eq!(hash(&replayed), live_hash);

    // A second replay gives the same again, and the hash is that of the file.
    let again = resume(cat, SEED, &rec.entries, None).unwrap();
    let out = dir.path().join("events.jsonl");
    let written = again.log_hash(Some(&out)).unwrap();
    assert_eq!(written, live_hash);
    let bytes = std::fs::read(&out).unwrap();
    let file_hash: String = {
        use sha2::{Digest, Sha256};
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert_eq!(
        file_hash, live_hash,
        "log-hash is the sha256 of events.jsonl"
    );
}

#[test]
fn the_controllers_actions_are_in_the_log_and_change_it() {
    let cat = catalog();
    let mut live = Session::start(cat.clone(), SEED, None);
    play(&mut live, &script());
    let log = live.sim.model.log();
    let count = |f: fn(&What) -> bool| log.iter().filter(|e| f(&e.what)).count();
    assert_eq!(
        count(|w| matches!(w, What::Control(ControlRecord::ControllerNote { .. }))),
        3
    );
    assert_eq!(
        count(|w| matches!(w, What::Control(ControlRecord::AdHocInject { .. }))),
        1
    );
    assert_eq!(fired_at(&live, 2), [30 * M], "MSEL #2 went out early");
    assert_eq!(fired_at(&live, 4), [2 * D], "MSEL #4 went out once");
    let players: Vec<bool> = taken(&live).iter().map(|d| d.3).collect();
    assert!(
        players.contains(&true) && players.contains(&false),
        "some decisions by the players, the time-out one by the playbook: {players:?}"
    );

    // Without the controller (only the same answers) the log differs.
    let mut idle = Session::start(cat, SEED, None);
    let mut k = 0;
    run_to(
        &mut idle,
        3 * D + 6 * H,
        &[Some(true), Some(false), None],
        &mut k,
    );
    assert_ne!(hash(&idle), hash(&live));
}

#[test]
fn resuming_a_prefix_of_the_journal_gives_the_log_as_it_stood_then() {
    let dir = tempfile::tempdir().unwrap();
    let cat = catalog();
    let (path, j) = new_journal(dir.path());
    let mut live = Session::start(cat.clone(), SEED, Some(j));
    let before = play(&mut live, &script());
    let entries = journal::read(&path).unwrap().entries;
    // Every non-decision action recorded the hash just before it; resuming
    // the entries before it must give exactly that log.
    let acts: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !matches!(e.action, Action::Decide { .. }))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(acts.len(), before.len());
    for (k, want) in acts.iter().zip(&before).step_by(3) {
        // Replaying entries[..k] stops where entries[k-1] was taken; entry k
        // itself brings the engine to where it was then, before its action.
        let mut s = resume(cat.clone(), SEED, &entries[..*k], None).unwrap();
        let e = &entries[*k];
        s.replay_entry(&Entry {
            action: Action::Mark,
            ..e.clone()
        })
        .unwrap();
        assert_eq!(&hash(&s), want, "log before entry {k} ({:?})", e.action);
    }
}

// ---------------------------------------------------------------------------
// (b) a torn last line
// ---------------------------------------------------------------------------

/// A journal with a few actions; returns its path, the hash before the last
/// action and the live session's hash.
fn short_journal(dir: &Path) -> (std::path::PathBuf, String, String) {
    let (path, j) = new_journal(dir);
    let mut s = Session::start(catalog(), SEED, Some(j));
    let mut k = 0;
    run_to(&mut s, H, &[Some(true)], &mut k);
    s.act(Action::Pause).unwrap();
    s.act(Action::Fire { inject: 2 }).unwrap();
    run_to(&mut s, 3 * H, &[Some(true)], &mut k);
    let before_last = hash(&s);
    s.act(Action::Note {
        text: "the last note, torn by the crash".into(),
    })
    .unwrap();
    (path, before_last, hash(&s))
}

#[test]
fn a_half_written_last_line_is_dropped_and_the_rest_replays() {
    let dir = tempfile::tempdir().unwrap();
    let (path, before_last, _) = short_journal(dir.path());
    let full = std::fs::read(&path).unwrap();
    let whole = journal::read(&path).unwrap();
    assert_eq!(whole.entries.len(), 3);
    let last_start = full[..full.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    // Cut the last line in its middle (its newline and half its text gone).
    let cut = last_start + (full.len() - last_start) / 2;
    std::fs::write(&path, &full[..cut]).unwrap();

    let rec = journal::read(&path).expect("a torn last line is not an error");
    assert!(rec.dropped_tail);
    assert_eq!(rec.good_len, last_start as u64);
    assert_eq!(rec.entries, whole.entries[..2]);
    let s = resume(catalog(), SEED, &rec.entries, None).unwrap();
    // The note never took effect: the log is the one before it, once the
    // clock is brought to where the note was taken.
    let mut s2 = resume(catalog(), SEED, &rec.entries, None).unwrap();
    s2.replay_entry(&Entry {
        action: Action::Mark,
        ..whole.entries[2].clone()
    })
    .unwrap();
    assert_eq!(hash(&s2), before_last);
    assert!(
        !s.sim
            .model
            .log()
            .iter()
            .any(|e| matches!(e.what, What::Control(ControlRecord::ControllerNote { .. })))
    );
}

#[test]
fn a_torn_line_of_one_byte_or_just_a_missing_newline_is_dropped_too() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = short_journal(dir.path());
    let full = std::fs::read(&path).unwrap();
    // Only the final newline missing: the line may be whole JSON, but it was
    // not known to be on disk when the crash came.
    std::fs::write(&path, &full[..full.len() - 1]).unwrap();
    let rec = journal::read(&path).unwrap();
    assert!(rec.dropped_tail);
    assert_eq!(rec.entries.len(), 2);
    // One byte of a new line.
    let mut one = full.clone();
    one.push(b'{');
    std::fs::write(&path, &one).unwrap();
    let rec = journal::read(&path).unwrap();
    assert!(rec.dropped_tail);
    assert_eq!(rec.entries.len(), 3);
    assert_eq!(rec.good_len, full.len() as u64);
}

#[test]
fn reopening_for_append_cuts_the_torn_line_and_appends_after_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = short_journal(dir.path());
    let full = std::fs::read(&path).unwrap();
    std::fs::write(&path, &full[..full.len() - 7]).unwrap();
    let rec = journal::read(&path).unwrap();
    assert!(rec.dropped_tail);

    let j = Journal::reopen(&path, rec.good_len).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().len(),
        rec.good_len,
        "the torn line is cut off the file"
    );
    let mut s = resume(catalog(), SEED, &rec.entries, Some(j)).unwrap();
    let t = s.now().0;
    s.act(Action::Note {
        text: "after the crash".into(),
    })
    .unwrap();
    s.act(Action::Quit).unwrap();
    let live = hash(&s);

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.ends_with('\n'));
    for (k, line) in text.lines().enumerate().skip(1) {
        serde_json::from_str::<Entry>(line)
            .unwrap_or_else(|e| panic!("line {} is not a whole entry ({e}): {line}", k + 1));
    }
    let again = journal::read(&path).unwrap();
    assert!(!again.dropped_tail);
    assert_eq!(again.entries.len(), rec.entries.len() + 2);
    assert_eq!(
        again.entries[rec.entries.len()],
        Entry {
            t,
            n: s.fired,
            action: Action::Note {
                text: "after the crash".into()
            }
        }
    );
    let replayed = resume(catalog(), SEED, &again.entries, None).unwrap();
    assert_eq!(hash(&replayed), live);
}

#[test]
fn a_bad_line_before_the_last_or_a_missing_header_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = short_journal(dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{\"t\": 3600, \"n\": oops}";
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let err = journal::read(&path).err().expect("a bad line 3 is refused");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("3:"), "names line 3: {msg}");

    for (bytes, why) in [
        (&b""[..], "empty"),
        (&b"{\"pacesim_journal\":1,\"vers"[..], "torn header"),
        (&b"not json\n"[..], "not a header"),
    ] {
        std::fs::write(&path, bytes).unwrap();
        let err = journal::read(&path)
            .err()
            .unwrap_or_else(|| panic!("{why}: refused"));
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{why}: {err}"
        );
    }

    let mut h = header(SEED);
    h.pacesim_journal = FORMAT + 1;
    std::fs::write(&path, serde_json::to_string(&h).unwrap() + "\n").unwrap();
    let err = journal::read(&path)
        .err()
        .expect("another format is refused");
    assert!(err.to_string().contains("format"), "{err}");
}

#[test]
fn read_refuses_entries_that_go_back_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let mut text = serde_json::to_string(&header(SEED)).unwrap() + "\n";
    text += "{\"t\":7200,\"n\":40,\"action\":\"mark\"}\n";
    text += "{\"t\":3600,\"n\":20,\"action\":\"mark\"}\n";
    std::fs::write(&path, text).unwrap();
    let err = journal::read(&path).err().expect("refused");
    assert!(err.to_string().contains("3:1"), "{err}");
    assert!(err.to_string().contains("back in time"), "{err}");
}

#[test]
fn creating_a_journal_never_overwrites_one() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = short_journal(dir.path());
    let before = std::fs::read(&path).unwrap();
    assert!(Journal::create(&path, &header(SEED)).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

// ---------------------------------------------------------------------------
// (c) a journal from other inputs
// ---------------------------------------------------------------------------

#[test]
fn a_journal_from_other_inputs_is_refused_with_the_reason() {
    let now = header(SEED);
    assert_eq!(journal::mismatch(&now, &now), None);

    let mut other = now.clone();
    other.seed = 6;
    let msg = journal::mismatch(&other, &now).expect("another seed");
    assert!(msg.contains("seed 6, not 5"), "{msg}");

    let mut other = now.clone();
    other.scenario = "Another exercise".into();
    other.scenario_file = "scenarios/another.ron".into();
    other.scenario_sha256 = journal::sha256("another scenario");
    let msg = journal::mismatch(&other, &now).expect("another scenario");
    assert!(
        msg.contains("another scenario")
            && msg.contains("Another exercise")
            && msg.contains("scenarios/another.ron")
            && msg.contains("Dashboard test exercise"),
        "{msg}"
    );

    // The same scenario name with other content is another scenario too.
    let mut edited = now.clone();
    edited.scenario_sha256 = journal::sha256(&SCENARIO.replace("4d", "5d"));
    assert!(journal::mismatch(&edited, &now).is_some());

    let mut other = now.clone();
    other.version = "0.0.1".into();
    let msg = journal::mismatch(&other, &now).expect("another version");
    assert!(
        msg.contains("0.0.1") && msg.contains(env!("CARGO_PKG_VERSION")),
        "{msg}"
    );

    let mut other = now.clone();
    other.playbooks[0].sha256 = journal::sha256("another playbook");
    let msg = journal::mismatch(&other, &now).expect("another playbook");
    assert!(
        msg.contains("other playbooks") && msg.contains(PLAYBOOK_FILE),
        "{msg}"
    );

    let mut none = now.clone();
    none.playbooks.clear();
    let msg = journal::mismatch(&none, &now).expect("no playbook");
    assert!(msg.contains("none"), "{msg}");

    // Playbooks merge in order: the same two in another order differ.
    let a = PlaybookRef {
        file: "a.ron".into(),
        sha256: journal::sha256("a"),
    };
    let b = PlaybookRef {
        file: "b.ron".into(),
        sha256: journal::sha256("b"),
    };
    let mut ab = now.clone();
    ab.playbooks = vec![a.clone(), b.clone()];
    let mut ba = now.clone();
    ba.playbooks = vec![b, a];
    assert!(journal::mismatch(&ab, &ba).is_some());

    // Where the files were is not part of the identity: only their content.
    let mut moved = now.clone();
    moved.scenario_file = "/elsewhere/tui_exercise.ron".into();
    moved.playbooks[0].file = "/elsewhere/tui_playbook.ron".into();
    assert_eq!(journal::mismatch(&moved, &now), None);
}

// ---------------------------------------------------------------------------
// (d) impossible journals are refused by resume, not panicked on
// ---------------------------------------------------------------------------

/// (t, n) of the live session after running to `t`.
fn position(t: u64) -> (u64, u64) {
    let mut s = Session::start(catalog(), SEED, None);
    let mut k = 0;
    run_to(&mut s, t, &[Some(true)], &mut k);
    (s.now().0, s.fired)
}

fn entry(t: u64, n: u64, action: Action) -> Entry {
    Entry { t, n, action }
}

fn note(text: &str) -> Action {
    Action::Note { text: text.into() }
}

#[test]
fn resume_refuses_more_events_than_the_exercise_has_by_then() {
    let (t, n) = position(2 * H);
    assert!(resume(catalog(), SEED, &[entry(t, n, Action::Mark)], None).is_ok());
    let err = resume(catalog(), SEED, &[entry(t, n + 1000, Action::Mark)], None)
        .err()
        .expect("refused");
    assert!(
        err.contains(&format!("{}", n + 1000)) && err.contains("other inputs"),
        "{err}"
    );
    // The same journal on another seed fires other events by then.
    let (t9, n9) = position(3 * D);
    let other_seed = resume(catalog(), 6, &[entry(t9, n9 + 1, note("x"))], None);
    assert!(other_seed.is_err());
}

#[test]
fn resume_refuses_entries_out_of_order() {
    let (t1, n1) = position(H);
    let (t2, n2) = position(2 * H);
    let err = resume(
        catalog(),
        SEED,
        &[entry(t2, n2, Action::Mark), entry(t1, n2, note("late"))],
        None,
    )
    .err()
    .expect("an entry before the previous one is refused");
    assert!(err.contains("comes after"), "{err}");
    assert!(
        resume(
            catalog(),
            SEED,
            &[entry(t2, n2, Action::Mark), entry(t1, n1, note("late"))],
            None
        )
        .is_err()
    );
}

#[test]
fn resume_refuses_too_few_events_for_the_time() {
    // Nothing fired by T+10h is impossible: events are due from T+0.
    let r = resume(
        catalog(),
        SEED,
        &[entry(10 * H, 0, note("too early"))],
        None,
    );
    if let Ok(mut s) = r {
        // What a resumed dashboard would then do: run on.
        s.advance_to(SimTime(11 * H), None);
        let times: Vec<u64> = s.sim.model.log().iter().map(|e| e.t.0).take(4).collect();
        panic!("n = 0 at T+10h was accepted; the log then starts at times {times:?}");
    }

    // n going down between entries while t goes up.
    let (t1, n1) = position(H);
    let (t2, _) = position(2 * H);
    let r = resume(
        catalog(),
        SEED,
        &[entry(t1, n1, Action::Mark), entry(t2, n1 - 1, note("x"))],
        None,
    );
    assert!(r.is_err(), "n going down must be refused");
}

#[test]
fn resume_refuses_entries_after_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let cat = catalog();
    let end = cat.duration.0;
    let (path, j) = new_journal(dir.path());
    let mut s = Session::start(cat.clone(), SEED, Some(j));
    let mut k = 0;
    run_to(&mut s, end, &[Some(true)], &mut k);
    let n = s.fired;
    let mut entries = journal::read(&path).unwrap().entries;
    assert!(resume(cat.clone(), SEED, &entries, None).is_ok());
    entries.push(entry(end + D, n, note("late")));
    let r = resume(cat.clone(), SEED, &entries, None);
    assert!(
        r.is_err(),
        "an entry a day after the end must be refused; accepted, now {:?}",
        r.map(|s| s.now())
    );
    entries.pop();
    entries.push(entry(u64::MAX, n, note("never")));
    let r = std::panic::catch_unwind(|| {
        resume(cat, SEED, &entries, None).map(|s| s.log_hash(None).map(|_| ()))
    });
    assert!(
        matches!(r, Ok(Err(_))),
        "an entry at u64::MAX must be refused, not panic"
    );
}

#[test]
fn resume_does_not_panic_on_entries_naming_nothing_that_exists() {
    let (t, n) = position(H);
    let entries = [
        entry(t, n, Action::Fire { inject: 999 }),
        entry(
            t,
            n,
            Action::AdHoc {
                campaign: "nope".into(),
                step: "nope".into(),
                note: String::new(),
            },
        ),
        entry(
            t,
            n,
            Action::AdHoc {
                campaign: "grid".into(),
                step: "nope".into(),
                note: String::new(),
            },
        ),
        entry(
            t,
            n,
            Action::Decide {
                decision: 999,
                approve: Some(true),
            },
        ),
        entry(t, n, Action::Speed { x: Some(0) }),
    ];
    // Whether refused or ignored, never a panic, and nothing is fired.
    if let Ok(s) = resume(catalog(), SEED, &entries, None) {
        let (_, n0) = position(H);
        assert_eq!(s.fired, n0);
        assert!(!s.sim.model.log().iter().any(|e| matches!(
            e.what,
            What::Control(ControlRecord::AdHocInject { .. })
                | What::Eu(EuRecord::Decision(DecisionRecord::Taken { .. }))
        )));
    }
}

// ---------------------------------------------------------------------------
// (e) an action takes effect at the simulated time it was recorded with
// ---------------------------------------------------------------------------

#[test]
fn an_actions_effect_is_logged_at_the_recorded_simulated_time() {
    let dir = tempfile::tempdir().unwrap();
    let (path, j) = new_journal(dir.path());
    let mut s = Session::start(catalog(), SEED, Some(j));
    let mut k = 0;
    run_to(&mut s, 5 * H + 17 * M, &[Some(true)], &mut k);
    s.act(note("at 5h17")).unwrap();
    // Between two events of one instant: the clock stands at the event's time.
    s.step();
    s.step();
    let stepped = s.now().0;
    s.act(Action::AdHoc {
        campaign: "lies".into(),
        step: "bots".into(),
        note: "mid-instant".into(),
    })
    .unwrap();
    run_to(&mut s, 7 * H, &[Some(true)], &mut k);
    s.act(Action::Fire { inject: 4 }).unwrap();

    let entries = journal::read(&path).unwrap().entries;
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].t, 5 * H + 17 * M);
    assert_eq!(entries[1].t, stepped);
    assert_eq!(entries[2].t, 7 * H);

    let check = |s: &Session, label: &str| {
        let log = s.sim.model.log();
        let at = |f: &dyn Fn(&What) -> bool| -> Vec<u64> {
            log.iter().filter(|e| f(&e.what)).map(|e| e.t.0).collect()
        };
        assert_eq!(
            at(&|w| matches!(w, What::Control(ControlRecord::ControllerNote { .. }))),
            [entries[0].t],
            "{label}: note"
        );
        assert_eq!(
            at(&|w| matches!(w, What::Control(ControlRecord::AdHocInject { .. }))),
            [entries[1].t],
            "{label}: ad-hoc inject"
        );
        assert_eq!(fired_at(s, 4), [entries[2].t], "{label}: MSEL #4");
        let notes = s.sim.model.notes();
        assert!(notes.iter().any(|n| n == "at 5h17"), "{label}: {notes:?}");
        // The log never goes back in time.
        assert!(log.windows(2).all(|w| w[0].t <= w[1].t), "{label}");
    };
    check(&s, "live");
    let replayed = resume(catalog(), SEED, &entries, None).unwrap();
    check(&replayed, "replayed");
    assert_eq!(hash(&replayed), hash(&s));
}

// ---------------------------------------------------------------------------
// (f) an inject fired early does not fire again on time
// ---------------------------------------------------------------------------

#[test]
fn an_msel_inject_fired_early_does_not_fire_again_at_its_time() {
    let mut k = 0;
    let answers = [None];
    // Control: MSEL #2 goes out at 6h, #3 when the grid goes down.
    let mut control = Session::start(catalog(), SEED, None);
    run_to(&mut control, 2 * D, &answers, &mut k);
    assert_eq!(fired_at(&control, 2), [6 * H]);
    let grid_down = fired_at(&control, 3);
    assert_eq!(grid_down.len(), 1, "MSEL #3 follows the blackout");
    assert!(grid_down[0] > 2 * H);

    let mut s = Session::start(catalog(), SEED, None);
    run_to(&mut s, H + 30 * M, &answers, &mut k);
    s.act(Action::Fire { inject: 2 }).unwrap();
    s.act(Action::Fire { inject: 3 }).unwrap();
    // Asked again at once: still once.
    s.act(Action::Fire { inject: 2 }).unwrap();
    assert!(s.sim.model.inject_fired(inject_ix(s.cat(), 2)));
    run_to(&mut s, 2 * D, &answers, &mut k);
    assert_eq!(fired_at(&s, 2), [H + 30 * M], "#2 only when fired early");
    assert_eq!(
        fired_at(&s, 3),
        [H + 30 * M],
        "the conditional #3 does not fire again when its condition comes"
    );
    assert_eq!(fired_at(&s, 1), [H], "#1 on its time, untouched");
}

// ---------------------------------------------------------------------------
// (g) decision points wait for the players
// ---------------------------------------------------------------------------

#[test]
fn a_decision_point_stops_the_clock_until_the_players_answer() {
    let mut s = Session::start(always_catalog(), SEED, None);
    let first = s.advance_to(SimTime(D), None);
    assert_eq!(first, Advance::Waiting(0));
    assert_eq!(s.pending(), [0]);
    let (t, fired) = (s.now(), s.fired);
    assert!(t < SimTime(H), "stopped at the decision, at {t}");
    // Nothing moves while it waits: neither running, nor stepping.
    assert_eq!(s.advance_to(SimTime(D), None), Advance::Waiting(0));
    assert_eq!(s.step(), Advance::Waiting(0));
    assert_eq!((s.now(), s.fired), (t, fired));
    assert!(taken(&s).is_empty());
    assert_eq!(ipcr_mode(&s), IpcrMode::Monitoring);

    s.act(Action::Decide {
        decision: 0,
        approve: Some(true),
    })
    .unwrap();
    assert_eq!(
        taken(&s),
        [(t.0, DecisionKind::IpcrInformationSharing, true, true)]
    );
    assert_eq!(ipcr_mode(&s), IpcrMode::InformationSharing);
    assert!(s.pending().is_empty());
    // The clock runs on, up to the next decision if there is one.
    match s.advance_to(SimTime(D), None) {
        Advance::Reached => assert_eq!(s.now(), SimTime(D)),
        Advance::Waiting(d) => {
            assert_ne!(d, 0);
            assert!(s.now() > t);
        }
        other => panic!("unexpected {other:?}"),
    }
    // Answering it again changes nothing.
    let before = hash(&s);
    s.act(Action::Decide {
        decision: 0,
        approve: Some(false),
    })
    .unwrap();
    assert_eq!(hash(&s), before);
}

#[test]
fn declining_a_decision_keeps_ipcr_where_it_was() {
    let mut s = Session::start(always_catalog(), SEED, None);
    assert_eq!(s.advance_to(SimTime(D), None), Advance::Waiting(0));
    let t = s.now().0;
    s.act(Action::Decide {
        decision: 0,
        approve: Some(false),
    })
    .unwrap();
    assert_eq!(
        taken(&s),
        [(t, DecisionKind::IpcrInformationSharing, false, true)]
    );
    assert_eq!(ipcr_mode(&s), IpcrMode::Monitoring);
    s.advance_to(SimTime(2 * H), None);
    assert_eq!(ipcr_mode(&s), IpcrMode::Monitoring);
}

#[test]
fn a_timed_out_decision_takes_the_playbooks_default_not_the_players() {
    let mut s = Session::start(always_catalog(), SEED, None);
    assert_eq!(s.advance_to(SimTime(D), None), Advance::Waiting(0));
    let t = s.now().0;
    s.act(Action::Decide {
        decision: 0,
        approve: None,
    })
    .unwrap();
    // The playbook's policy is the default, Approve.
    assert_eq!(
        taken(&s),
        [(t, DecisionKind::IpcrInformationSharing, true, false)]
    );
    assert_eq!(ipcr_mode(&s), IpcrMode::InformationSharing);
}

#[test]
fn with_the_default_playbook_the_first_decision_waits_at_the_blackout() {
    // The dashboard and end-to-end tests rely on this timing.
    let mut s = Session::start(catalog(), SEED, None);
    assert_eq!(s.advance_to(SimTime(D), None), Advance::Waiting(0));
    assert_eq!(s.now(), SimTime(8 * H + 30 * M));
    assert_eq!(fired_at(&s, 3).len(), 1, "MSEL #3 (blackout) went out");
}
