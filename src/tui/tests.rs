//! Dashboard tests: the [`App`] driven by synthetic keys and drawn on a
//! ratatui `TestBackend`; the assertions read the screen as text.
//!
//! Real time only enters through the `now: Instant` given to `tick` and
//! `key`: the tests take one `Instant` and add offsets to it, so how far the
//! clock runs does not depend on how fast the machine is. Where a test needs
//! the exercise at a given simulated time it moves the engine there itself
//! (`Session::advance_to` without a deadline) and pauses the dashboard.
//!
//! The exercise is `tests/data/tui_exercise.ron` with its playbook (seed 5:
//! the grid trips at T+08:19:17 and the first decision point, IPCR
//! information sharing, waits from T+08:30:00).
//!
//! The full-screen snapshots are in the [`snapshots`] group at the end; see
//! there how to re-accept them after a layout change.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::app::{App, Mode, SPEEDS};
use super::{Keys, ui};
use crate::control::journal::{self, Header, Journal, PlaybookRef};
use crate::control::{Action, Advance, Session};
use crate::diag::SourceFile;
use crate::engine::SimTime;
use crate::exercise::{ControlRecord, What};
use crate::response::eu::EuRecord;
use crate::response::eu::decision::DecisionRecord;
use crate::scenario::catalog::Catalog;

const SCENARIO: &str = include_str!("../../tests/data/tui_exercise.ron");
const PLAYBOOK: &str = include_str!("../../tests/data/tui_playbook.ron");
const SEED: u64 = 5;
const H: u64 = 3600;
/// The speed index the dashboard starts at by default (x60).
const X60: usize = 2;

fn catalog() -> Arc<Catalog> {
    let loaded =
        crate::scenario::from_source(SourceFile::new("tests/data/tui_exercise.ron", SCENARIO))
            .unwrap_or_else(|d| panic!("{}", d[0].render(false)));
    let book =
        crate::playbook::from_source(SourceFile::new("tests/data/tui_playbook.ron", PLAYBOOK))
            .unwrap_or_else(|d| panic!("{}", d[0].render(false)));
    crate::run::compile(&loaded, &[book]).unwrap_or_else(|d| panic!("{}", d[0].render(false)))
}

/// The bundled default scenario with the playbooks it names.
fn default_catalog() -> Arc<Catalog> {
    let loaded = crate::scenario::default_scenario().unwrap();
    let books = crate::playbook::load_named(&loaded.source.name, &loaded.scenario.playbooks)
        .unwrap_or_else(|d| panic!("{}", d[0].render(false)));
    crate::run::compile(&loaded, &books).unwrap()
}

/// A fresh dashboard on the test exercise, running at x60, no time-out.
fn app() -> App {
    App::new(Session::start(catalog(), SEED, None), X60, None)
}

/// A dashboard on the test exercise with a journal in `dir`.
fn journaled_app(dir: &std::path::Path) -> (std::path::PathBuf, App) {
    let path = dir.join("j.jsonl");
    let header = Header {
        pacesim_journal: journal::FORMAT,
        version: env!("CARGO_PKG_VERSION").into(),
        scenario: "Dashboard test exercise".into(),
        scenario_file: "tests/data/tui_exercise.ron".into(),
        scenario_sha256: journal::sha256(SCENARIO),
        playbooks: vec![PlaybookRef {
            file: "tests/data/tui_playbook.ron".into(),
            sha256: journal::sha256(PLAYBOOK),
        }],
        seed: SEED,
    };
    let j = Journal::create(&path, &header).unwrap();
    let app = App::new(Session::start(catalog(), SEED, Some(j)), X60, None);
    (path, app)
}

/// The actions journaled, without the progress marks a running clock adds.
fn journal_actions(path: &std::path::Path) -> Vec<Action> {
    journal::read(path)
        .unwrap()
        .entries
        .into_iter()
        .map(|e| e.action)
        .filter(|a| *a != Action::Mark)
        .collect()
}

/// Runs the engine to `t`, answering decisions with "approve" on the way.
fn advance(app: &mut App, t: u64) {
    while let Advance::Waiting(d) = app.session.advance_to(SimTime(t), None) {
        app.session
            .act(Action::Decide {
                decision: d,
                approve: Some(true),
            })
            .unwrap();
    }
}

fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    code(KeyCode::Char(c))
}

fn press(app: &mut App, k: KeyEvent, now: Instant) {
    app.key(k, now);
}

fn type_text(app: &mut App, text: &str, now: Instant) {
    for c in text.chars() {
        press(app, ch(c), now);
    }
}

/// The buffer as text, one line per row, trailing blanks trimmed.
fn text(buf: &Buffer) -> String {
    let a = buf.area;
    let mut out = String::new();
    for y in a.top()..a.bottom() {
        let mut line = String::new();
        for x in a.left()..a.right() {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Draws one frame of `app` on a `w` x `h` test terminal.
fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::draw(f, app)).unwrap();
    text(t.backend().buffer())
}

#[track_caller]
fn assert_shows(screen: &str, what: &[&str]) {
    let missing: Vec<&&str> = what.iter().filter(|w| !screen.contains(**w)).collect();
    assert!(
        missing.is_empty(),
        "the screen does not show {missing:?}:\n{screen}"
    );
}

#[track_caller]
fn assert_hides(screen: &str, what: &[&str]) {
    let shown: Vec<&&str> = what.iter().filter(|w| screen.contains(**w)).collect();
    assert!(shown.is_empty(), "the screen shows {shown:?}:\n{screen}");
}

/// The header line with the clock and the run state (second row).
fn header_line(screen: &str) -> &str {
    screen.lines().nth(1).unwrap_or("")
}

fn count(app: &App, f: impl Fn(&What) -> bool) -> usize {
    app.session
        .sim
        .model
        .log()
        .iter()
        .filter(|e| f(&e.what))
        .count()
}

// ---------------------------------------------------------------------------
// What the screen shows
// ---------------------------------------------------------------------------

#[test]
fn at_120x40_every_panel_shows() {
    let mut app = app();
    let t0 = Instant::now();
    advance(&mut app, 12 * H);
    app.tick(t0);
    let s = screen(&app, 120, 40);
    assert_shows(
        &s,
        &[
            // Header: scenario, playbook, date and time, T+, state, speed, seed.
            "Dashboard test exercise",
            "Dashboard test playbook",
            "2026-03-02 18:00:00",
            "T+12:00:00",
            "T+4d 00:00:00",
            "RUNNING x60",
            "seed 5",
            // Panels.
            "Event log",
            "MSEL (3/4 fired)",
            "Infrastructure",
            "trust",
            "reach",
            "EU and NATO mechanisms",
            "Fusion Cell",
            "IPCR",
            "information sharing",
            "UCPM",
            "Rapid Alert",
            "Art. 222",
            "NATO",
            "Objectives",
            "O1",
            "O4",
            // Key footer.
            "space pause",
            "+/- speed",
            "1/2 decide",
            "e note",
            "? help",
            "q quit",
        ],
    );
    // The newest events are visible: the log follows the newest.
    assert_shows(&s, &["MSEL #3", "Elering"]);
    // The next inject to come is listed.
    assert_shows(&s, &["#4", "Attribution options"]);
}

#[test]
fn the_bundled_scenario_shows_the_mechanisms_at_the_start() {
    // What `contract-check tui` looks for on the first screen.
    let mut app = App::new(Session::start(default_catalog(), SEED, None), X60, None);
    app.tick(Instant::now());
    let s = screen(&app, 120, 40);
    assert_shows(
        &s,
        &[
            "IPCR",
            "UCPM",
            "Rapid Alert",
            "Objectives",
            "Event log",
            "MSEL",
            "T+00:00:00",
        ],
    );
}

#[test]
fn at_80x24_the_essentials_still_show() {
    let mut app = app();
    let t0 = Instant::now();
    advance(&mut app, 12 * H);
    press(&mut app, ch(' '), t0);
    app.tick(t0);
    let s = screen(&app, 80, 24);
    let head = header_line(&s);
    assert!(
        head.contains("PAUSED") && head.contains("T+12:00:00"),
        "{head}"
    );
    assert_shows(
        &s,
        &["Event log", "MSEL", "IPCR", "Objectives", "pause", "quit"],
    );
    // Every line fits: nothing is drawn past the 80 columns.
    assert!(s.lines().all(|l| l.chars().count() <= 80));
    // The footer names the keys for help and quitting.
    let footer = s.lines().last().unwrap();
    assert!(
        footer.contains("help") && footer.contains("quit"),
        "footer: {footer}"
    );
}

#[test]
fn no_color_draws_without_colour_and_reverses_highlights() {
    let mut app = app();
    app.tick(Instant::now());
    let draw = |app: &App| {
        let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
        t.draw(|f| ui::draw(f, app)).unwrap();
        t.backend().buffer().clone()
    };
    let coloured = draw(&app);
    assert!(
        coloured
            .content
            .iter()
            .any(|c| c.fg != ratatui::style::Color::Reset),
        "the dashboard has colour by default"
    );
    app.monochrome = true;
    let plain = draw(&app);
    assert!(
        plain
            .content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset),
        "NO_COLOR leaves no colour"
    );
    assert!(
        plain
            .content
            .iter()
            .any(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED)),
        "the state badge still stands out"
    );
    assert_eq!(text(&coloured), text(&plain), "the same text");
}

#[test]
fn at_80x24_the_status_message_shows() {
    let mut app = app();
    let t0 = Instant::now();
    press(&mut app, ch(' '), t0);
    app.tick(t0);
    press(&mut app, ch('i'), t0);
    press(&mut app, code(KeyCode::Enter), t0);
    assert_eq!(app.status, "MSEL #1 fired");
    assert_shows(&screen(&app, 120, 40), &["MSEL #1 fired"]);
    assert_shows(&screen(&app, 80, 24), &["MSEL #1 fired"]);
}

#[test]
fn rendering_at_any_size_in_any_mode_never_panics() {
    let t0 = Instant::now();
    let mut running = app();
    advance(&mut running, 12 * H);
    running.tick(t0);
    let mut waiting = app();
    advance(&mut waiting, 0);
    assert!(matches!(
        waiting.session.advance_to(SimTime(24 * H), None),
        Advance::Waiting(_)
    ));
    waiting.tick(t0);
    let modes = [
        Mode::Normal,
        Mode::Help,
        Mode::Mechanisms,
        Mode::ConfirmQuit,
        Mode::Note("a note that is much longer than a small terminal is wide".into()),
        Mode::FireInject(0),
        Mode::FireInject(99),
        Mode::AdHoc(0),
        Mode::AdHoc(99),
    ];
    let sizes = [
        (120, 40),
        (80, 24),
        (60, 20),
        (40, 12),
        (20, 5),
        (10, 3),
        (1, 1),
        (200, 60),
        (300, 8),
        (8, 100),
    ];
    for app in [&mut running, &mut waiting] {
        for mode in &modes {
            app.mode = mode.clone();
            app.scroll = 5;
            app.verbose = true;
            for &(w, h) in &sizes {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    screen(app, w, h);
                }));
                assert!(r.is_ok(), "drawing {mode:?} at {w}x{h} panicked");
            }
        }
    }
}

#[test]
fn resizing_between_frames_draws_the_new_size() {
    let mut app = app();
    let t0 = Instant::now();
    app.tick(t0);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    for (k, (w, h)) in [(120, 40), (80, 24), (60, 20), (20, 5), (120, 40)]
        .into_iter()
        .enumerate()
    {
        term.backend_mut().resize(w, h);
        app.tick(t0 + Duration::from_millis(50 * k as u64));
        term.draw(|f| ui::draw(f, &app)).unwrap();
        let buf = term.backend().buffer();
        assert_eq!((buf.area.width, buf.area.height), (w, h));
    }
    assert_shows(&text(term.backend().buffer()), &["Event log", "Objectives"]);
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

#[test]
fn space_pauses_and_resumes_and_the_clock_stands_while_paused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut app) = journaled_app(dir.path());
    let t0 = Instant::now();
    assert!(header_line(&screen(&app, 120, 40)).contains("RUNNING"));
    // Running at x60: ten real seconds are ten simulated minutes.
    app.tick(t0 + Duration::from_secs(10));
    let ran = app.session.now().0;
    assert!((600..660).contains(&ran), "x60 for 10 s reached T+{ran}s");

    press(&mut app, ch(' '), t0 + Duration::from_secs(10));
    let s = screen(&app, 120, 40);
    assert!(header_line(&s).contains("PAUSED"), "{s}");
    assert!(!app.running);
    app.tick(t0 + Duration::from_secs(100));
    assert_eq!(app.session.now().0, ran, "the clock stands while paused");

    press(&mut app, ch(' '), t0 + Duration::from_secs(100));
    let s = screen(&app, 120, 40);
    assert!(header_line(&s).contains("RUNNING x60"), "{s}");
    // The clock goes on from where it stood, not from where it would have been.
    app.tick(t0 + Duration::from_secs(101));
    let after = app.session.now().0;
    assert!(
        (ran + 60..ran + 120).contains(&after),
        "one second at x60 after resuming: T+{ran}s -> T+{after}s"
    );
    // `p` pauses too.
    press(&mut app, ch('p'), t0 + Duration::from_secs(101));
    assert!(!app.running);
    assert_eq!(
        journal_actions(&path),
        [Action::Pause, Action::Resume, Action::Pause]
    );
}

#[test]
fn plus_and_minus_step_through_the_speeds() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut app) = journaled_app(dir.path());
    let t0 = Instant::now();
    let label = |app: &App| {
        let s = screen(app, 120, 40);
        header_line(&s).to_string()
    };
    assert!(label(&app).contains("RUNNING x60"));
    press(&mut app, ch('+'), t0);
    assert!(label(&app).contains("RUNNING x600"), "{}", label(&app));
    for _ in 0..10 {
        press(&mut app, ch('+'), t0);
    }
    assert_eq!(app.speed, SPEEDS.len() - 1);
    assert!(label(&app).contains("RUNNING max"), "{}", label(&app));
    for _ in 0..10 {
        press(&mut app, ch('-'), t0);
    }
    assert_eq!(app.speed, 0);
    assert!(label(&app).contains("RUNNING real time"), "{}", label(&app));
    press(&mut app, ch('='), t0);
    assert!(label(&app).contains("RUNNING x10"), "{}", label(&app));
    // Only changes are journaled, with the speed they set.
    let speeds: Vec<Option<u32>> = journal_actions(&path)
        .into_iter()
        .map(|a| match a {
            Action::Speed { x } => x,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        speeds,
        [
            Some(600),
            Some(3600),
            Some(21600),
            None,
            Some(21600),
            Some(3600),
            Some(600),
            Some(60),
            Some(10),
            Some(1),
            Some(10)
        ]
    );
    // At real time one second is one simulated second.
    press(&mut app, ch('-'), t0);
    app.tick(t0 + Duration::from_secs(30));
    let t = app.session.now().0;
    assert!((30..32).contains(&t), "real time for 30 s reached T+{t}s");
}

#[test]
fn question_mark_shows_the_help_and_any_key_closes_it() {
    let mut app = app();
    let t0 = Instant::now();
    for open in [ch('?'), ch('h'), code(KeyCode::F(1))] {
        press(&mut app, open, t0);
        assert_eq!(app.mode, Mode::Help);
        let s = screen(&app, 120, 40);
        assert_shows(
            &s,
            &[
                "pause or resume",
                "faster or slower",
                "step",
                "jump",
                "fire an MSEL inject",
                "ad-hoc",
                "answer the decision",
                "controller note",
                "filter the log",
                "quit (asks first)",
            ],
        );
        // The key that closes the help does nothing else.
        press(&mut app, ch('q'), t0);
        assert_eq!(app.mode, Mode::Normal);
        assert!(!app.quit);
        assert_hides(&screen(&app, 120, 40), &["faster or slower"]);
    }
}

#[test]
fn q_asks_first_another_key_stays_and_y_quits() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut app) = journaled_app(dir.path());
    let t0 = Instant::now();
    press(&mut app, ch('q'), t0);
    assert_eq!(app.mode, Mode::ConfirmQuit);
    assert_shows(
        &screen(&app, 120, 40),
        &["End the session?", "y or Enter: quit"],
    );
    press(&mut app, ch('n'), t0);
    assert_eq!(app.mode, Mode::Normal);
    assert!(!app.quit);
    assert_hides(&screen(&app, 120, 40), &["End the session?"]);
    // Esc and Ctrl-C ask too.
    press(&mut app, code(KeyCode::Esc), t0);
    assert_eq!(app.mode, Mode::ConfirmQuit);
    press(&mut app, ch('x'), t0);
    press(
        &mut app,
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        t0,
    );
    assert_eq!(app.mode, Mode::ConfirmQuit);
    press(&mut app, code(KeyCode::Down), t0);
    assert!(journal_actions(&path).is_empty(), "nothing journaled yet");

    press(&mut app, ch('q'), t0);
    press(&mut app, ch('y'), t0);
    assert!(app.quit);
    assert_eq!(journal_actions(&path), [Action::Quit]);
}

#[test]
fn e_then_text_then_enter_adds_a_controller_note_to_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut app) = journaled_app(dir.path());
    let t0 = Instant::now();
    advance(&mut app, 3 * H);
    press(&mut app, ch(' '), t0);
    press(&mut app, ch('e'), t0);
    // Keys that mean something else are text while typing.
    type_text(&mut app, "Minister briefed: q, y and space are text!", t0);
    press(&mut app, code(KeyCode::Backspace), t0);
    assert!(!app.quit);
    assert!(!app.running, "space in a note does not resume");
    let s = screen(&app, 120, 40);
    assert_shows(
        &s,
        &[
            "Controller note",
            "Minister briefed: q, y and space are text_",
        ],
    );
    press(&mut app, code(KeyCode::Enter), t0);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(
        count(&app, |w| matches!(
            w,
            What::Control(ControlRecord::ControllerNote { .. })
        )),
        1
    );
    let last = app.session.sim.model.log().last().unwrap();
    assert!(matches!(
        last.what,
        What::Control(ControlRecord::ControllerNote { .. })
    ));
    assert_eq!(last.t, SimTime(3 * H), "logged at the simulated time");
    let s = screen(&app, 120, 40);
    assert_shows(
        &s,
        // The log panel may cut the end of a long line.
        &["Controller note: Minister briefed: q, y", "note added"],
    );
    assert_eq!(
        journal_actions(&path),
        [
            Action::Pause,
            Action::Note {
                text: "Minister briefed: q, y and space are text".into()
            }
        ]
    );

    // Esc cancels; an empty note adds nothing.
    press(&mut app, ch('e'), t0);
    type_text(&mut app, "never mind", t0);
    press(&mut app, code(KeyCode::Esc), t0);
    press(&mut app, ch('e'), t0);
    type_text(&mut app, "   ", t0);
    press(&mut app, code(KeyCode::Enter), t0);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(
        count(&app, |w| matches!(
            w,
            What::Control(ControlRecord::ControllerNote { .. })
        )),
        1
    );
    assert_eq!(journal_actions(&path).len(), 2);
}

#[test]
fn i_then_enter_fires_the_first_unfired_inject() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut app) = journaled_app(dir.path());
    let t0 = Instant::now();
    press(&mut app, ch(' '), t0);
    app.tick(t0);
    assert_shows(&screen(&app, 120, 40), &["MSEL (0/4 fired)"]);
    press(&mut app, ch('i'), t0);
    assert_eq!(app.mode, Mode::FireInject(0));
    let s = screen(&app, 120, 40);
    assert_shows(
        &s,
        &[
            "Fire an MSEL inject now",
            "#1 EXCON -> EE: StartEx",
            "#4 EEAS -> IPCR: Attribution options",
        ],
    );
    press(&mut app, code(KeyCode::Enter), t0);
    assert_eq!(app.mode, Mode::Normal);
    let s = screen(&app, 120, 40);
    assert_shows(&s, &["MSEL (1/4 fired)", "MSEL #1 fired", "StartEx"]);
    assert_eq!(
        count(&app, |w| matches!(
            w,
            What::Control(ControlRecord::InjectFired { .. })
        )),
        1
    );
    assert_eq!(app.unfired().len(), 3);

    // Down picks the next one in the list (#3; #2 is now first).
    press(&mut app, ch('i'), t0);
    press(&mut app, code(KeyCode::Down), t0);
    press(&mut app, code(KeyCode::Enter), t0);
    assert_shows(&screen(&app, 120, 40), &["MSEL #3 fired"]);
    // Esc closes the picker without firing.
    press(&mut app, ch('i'), t0);
    press(&mut app, code(KeyCode::Esc), t0);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(
        journal_actions(&path),
        [
            Action::Pause,
            Action::Fire { inject: 1 },
            Action::Fire { inject: 3 }
        ]
    );
    // Once all have fired, `i` says so.
    for _ in 0..2 {
        press(&mut app, ch('i'), t0);
        press(&mut app, code(KeyCode::Enter), t0);
    }
    assert!(app.unfired().is_empty());
    press(&mut app, ch('i'), t0);
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.status.contains("every MSEL inject has fired"));
    // An inject fired early does not fire again on time.
    advance(&mut app, 2 * 24 * H);
    assert_eq!(
        count(&app, |w| matches!(
            w,
            What::Control(ControlRecord::InjectFired { .. })
        )),
        4
    );
}

#[test]
fn a_then_enter_plays_a_campaign_step_ad_hoc() {
    let mut app = app();
    let t0 = Instant::now();
    press(&mut app, ch(' '), t0);
    press(&mut app, ch('a'), t0);
    let s = screen(&app, 120, 40);
    assert_shows(&s, &["Ad-hoc inject", "grid / phish", "lies / bots"]);
    // The last step in the list: the narrative's amplification.
    for _ in 0..10 {
        press(&mut app, code(KeyCode::Down), t0);
    }
    press(&mut app, code(KeyCode::Enter), t0);
    assert_eq!(
        count(&app, |w| matches!(
            w,
            What::Control(ControlRecord::AdHocInject { .. })
        )),
        1
    );
    assert!(app.status.contains("lies/bots"), "{}", app.status);
}

#[test]
fn s_steps_one_event_and_j_jumps_to_the_next_inject() {
    let mut app = app();
    let t0 = Instant::now();
    press(&mut app, ch(' '), t0);
    let before = app.session.fired;
    press(&mut app, ch('s'), t0);
    assert_eq!(app.session.fired, before + 1);
    // The next timed inject is MSEL #1 at 1h: the jump fires it.
    press(&mut app, ch('j'), t0);
    assert_eq!(app.session.now(), SimTime(H));
    assert_eq!(
        count(&app, |w| matches!(
            w,
            What::Control(ControlRecord::InjectFired { .. })
        )),
        1
    );
    assert!(app.status.contains("T+01:00:00"), "{}", app.status);
    press(&mut app, ch('j'), t0);
    assert_eq!(app.session.now(), SimTime(6 * H));
    // The next one is at 2d, but the decision at 8h30 stops the jump.
    press(&mut app, ch('j'), t0);
    assert_eq!(app.session.now(), SimTime(8 * H + 30 * 60));
    assert!(app.waiting().is_some());
    assert!(app.status.contains("decision"), "{}", app.status);
    // Stepping does not pass a waiting decision either.
    let fired = app.session.fired;
    press(&mut app, ch('s'), t0);
    assert_eq!(app.session.fired, fired);
}

#[test]
fn a_waiting_decision_shows_its_options_and_1_answers_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut app) = journaled_app(dir.path());
    let t0 = Instant::now();
    // At x60 the decision is 8.5 simulated hours away: run there directly.
    assert_eq!(
        app.session.advance_to(SimTime(24 * H), None),
        Advance::Waiting(0)
    );
    app.tick(t0);
    let s = screen(&app, 120, 40);
    assert!(header_line(&s).contains("WAITING FOR DECISION"), "{s}");
    assert_shows(
        &s,
        &[
            "Decision point",
            "Presidency: move IPCR to information sharing?",
            "[1] raise the mode",
            "[2] stay in the current mode",
            "raised T+08:30:00",
        ],
    );
    // Running does not move the clock past it.
    app.tick(t0 + Duration::from_secs(60));
    assert_eq!(app.session.now(), SimTime(8 * H + 30 * 60));
    // Other keys do not answer it.
    press(&mut app, ch('3'), t0);
    assert!(app.waiting().is_some());

    press(&mut app, ch('1'), t0 + Duration::from_secs(60));
    assert!(app.waiting().is_none());
    let taken: Vec<(bool, bool)> = app
        .session
        .sim
        .model
        .log()
        .iter()
        .filter_map(|e| match e.what {
            What::Eu(EuRecord::Decision(DecisionRecord::Taken {
                approved, players, ..
            })) => Some((approved, players)),
            _ => None,
        })
        .collect();
    assert_eq!(taken, [(true, true)], "approved by the players");
    let s = screen(&app, 120, 40);
    assert_hides(&s, &["[1] raise the mode", "WAITING FOR DECISION"]);
    assert_shows(
        &s,
        &["decision recorded", "IPCR in information sharing mode"],
    );
    assert_eq!(
        journal_actions(&path),
        [Action::Decide {
            decision: 0,
            approve: Some(true)
        }]
    );
    // The clock runs again from the decision, not from where x60 would be.
    app.tick(t0 + Duration::from_secs(61));
    let t = app.session.now().0;
    assert!(
        (8 * H + 30 * 60 + 60..8 * H + 30 * 60 + 120).contains(&t),
        "T+{t}s"
    );
}

#[test]
fn two_declines_the_decision() {
    let mut app = app();
    assert_eq!(
        app.session.advance_to(SimTime(24 * H), None),
        Advance::Waiting(0)
    );
    press(&mut app, ch('2'), Instant::now());
    assert!(app.waiting().is_none());
    assert_eq!(
        count(&app, |w| matches!(
            w,
            What::Eu(EuRecord::Decision(DecisionRecord::Taken {
                approved: false,
                players: true,
                ..
            }))
        )),
        1
    );
}

#[test]
fn a_decision_times_out_to_the_playbooks_default() {
    let mut app = App::new(
        Session::start(catalog(), SEED, None),
        X60,
        Some(Duration::from_secs(120)),
    );
    assert_eq!(
        app.session.advance_to(SimTime(24 * H), None),
        Advance::Waiting(0)
    );
    let t0 = Instant::now();
    app.tick(t0);
    assert_shows(&screen(&app, 120, 40), &["time-out in"]);
    app.tick(t0 + Duration::from_secs(119));
    assert!(app.waiting().is_some(), "not yet");
    app.tick(t0 + Duration::from_secs(120));
    assert!(app.waiting().is_none(), "timed out");
    assert!(app.status.contains("timed out"), "{}", app.status);
    assert_eq!(
        count(&app, |w| matches!(
            w,
            What::Eu(EuRecord::Decision(DecisionRecord::Taken {
                approved: true,
                players: false,
                ..
            }))
        )),
        1,
        "the playbook's policy (approve), not the players"
    );
}

#[test]
fn d_and_c_filter_the_log_and_arrows_scroll_it() {
    let mut app = app();
    let t0 = Instant::now();
    advance(&mut app, 12 * H);
    press(&mut app, ch(' '), t0);
    press(&mut app, ch('d'), t0);
    let s = screen(&app, 120, 40);
    assert_shows(&s, &["Event log [cyber]", "Cyber attack on Elering"]);
    assert_hides(&s, &["MSEL #3 EE -> IPCR (Phone)"]);
    // Through every domain and back to none.
    for _ in 0..6 {
        press(&mut app, ch('d'), t0);
    }
    assert_eq!(app.domain_filter, None);
    press(&mut app, ch('c'), t0);
    let s = screen(&app, 120, 40);
    assert_shows(&s, &["[EE]", "Elering"]);
    press(&mut app, ch('c'), t0);
    press(&mut app, ch('c'), t0);
    assert_eq!(app.country_filter, None);
    press(&mut app, code(KeyCode::Up), t0);
    press(&mut app, code(KeyCode::Up), t0);
    assert_shows(&screen(&app, 120, 40), &["[scrolled back 2]"]);
    press(&mut app, code(KeyCode::End), t0);
    assert_hides(&screen(&app, 120, 40), &["scrolled back"]);
}

#[test]
fn m_shows_every_mechanism_full_size() {
    let mut app = app();
    let t0 = Instant::now();
    advance(&mut app, 12 * H);
    press(&mut app, ch('m'), t0);
    assert_eq!(app.mode, Mode::Mechanisms);
    let s = screen(&app, 80, 24);
    assert_shows(&s, &["IPCR", "UCPM", "Rapid Alert", "Art. 222", "NATO"]);
    press(&mut app, ch('x'), t0);
    assert_eq!(app.mode, Mode::Normal);
}

// ---------------------------------------------------------------------------
// The loop
// ---------------------------------------------------------------------------

/// Keys from a script; running out of keys before the app quits is an error.
struct Script(VecDeque<KeyEvent>);

impl Keys for Script {
    fn next(&mut self, _timeout: Duration) -> std::io::Result<Option<KeyEvent>> {
        match self.0.pop_front() {
            Some(k) => Ok(Some(k)),
            None => Err(std::io::Error::other("the script ran out of keys")),
        }
    }
}

#[test]
fn the_loop_draws_reacts_to_keys_and_ends_on_quit() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut app) = journaled_app(dir.path());
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut keys = Script(
        [
            ch(' '),
            ch('e'),
            ch('h'),
            ch('i'),
            code(KeyCode::Enter),
            ch('?'),
            ch('x'),
            ch('q'),
            ch('n'),
            ch('q'),
            ch('y'),
        ]
        .into(),
    );
    super::run(&mut term, &mut app, &mut keys, &AtomicBool::new(false)).unwrap();
    assert!(app.quit);
    assert!(keys.0.is_empty());
    let s = text(term.backend().buffer());
    assert_shows(&s, &["Event log", "Objectives"]);
    let actions = journal_actions(&path);
    assert_eq!(actions.first(), Some(&Action::Pause));
    assert!(actions.contains(&Action::Note { text: "hi".into() }));
    assert_eq!(actions.last(), Some(&Action::Quit));
}

#[test]
fn the_loop_ends_when_stopped_by_a_signal() {
    let mut app = app();
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut keys = Script(VecDeque::new());
    super::run(&mut term, &mut app, &mut keys, &AtomicBool::new(true)).unwrap();
    assert!(!app.quit);
}

#[test]
fn the_loop_passes_key_source_errors_on() {
    let mut app = app();
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut keys = Script(VecDeque::new());
    let r = super::run(&mut term, &mut app, &mut keys, &AtomicBool::new(false));
    assert!(r.is_err());
    // It drew before it asked for a key.
    assert_shows(&text(term.backend().buffer()), &["Event log"]);
}

#[test]
fn a_jump_while_paused_is_journaled_so_a_crash_resumes_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut app) = journaled_app(dir.path());
    let t0 = Instant::now();
    press(&mut app, ch(' '), t0);
    press(&mut app, ch('j'), t0);
    press(&mut app, ch('j'), t0);
    press(&mut app, ch('s'), t0);
    let at = (app.session.now(), app.session.fired);
    // kill -9 here: what the journal holds is all that survives.
    let rec = journal::read(&path).unwrap();
    let resumed = crate::control::resume(catalog(), SEED, &rec.entries, None).unwrap();
    assert_eq!(
        (resumed.now(), resumed.fired),
        at,
        "resumed where the session stood"
    );
}

// ---------------------------------------------------------------------------
// Snapshots of the whole screen
// ---------------------------------------------------------------------------

/// Full-screen snapshots, stored in `src/tui/snapshots/`. They change with
/// every layout change; after checking the new screens, re-accept them with
///
/// ```text
/// INSTA_UPDATE=always cargo test --lib tui::tests::snapshots
/// git diff src/tui/snapshots/   # review
/// ```
///
/// (or `cargo insta test --accept --lib` / `cargo insta review` where
/// cargo-insta is installed). They are deterministic: the dashboard is
/// paused at a fixed simulated time, decisions have no time-out (so no
/// countdown), and the frame time the header shows is set to zero.
mod snapshots {
    use super::*;

    /// A paused dashboard at simulated time `t` (decisions before it
    /// approved), ready to draw.
    fn paused_at(t: u64) -> App {
        let mut app = app();
        let t0 = Instant::now();
        advance(&mut app, t);
        press(&mut app, ch(' '), t0);
        app.tick(t0);
        app.frame = Duration::ZERO;
        app
    }

    #[test]
    fn start_120x40() {
        let app = paused_at(0);
        insta::assert_snapshot!(screen(&app, 120, 40));
    }

    #[test]
    fn paused_at_12h_80x24() {
        let app = paused_at(12 * H);
        insta::assert_snapshot!(screen(&app, 80, 24));
    }

    #[test]
    fn decision_waiting_120x40() {
        let mut app = app();
        assert_eq!(
            app.session.advance_to(SimTime(24 * H), None),
            Advance::Waiting(0)
        );
        app.tick(Instant::now());
        app.frame = Duration::ZERO;
        insta::assert_snapshot!(screen(&app, 120, 40));
    }
}
