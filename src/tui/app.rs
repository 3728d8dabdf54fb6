//! The dashboard's state and what each key does. Nothing here touches the
//! terminal: the loop in [`super`] feeds it keys and ticks and draws it, so
//! tests can drive it with synthetic keys on a `TestBackend`.

use std::time::{Duration as RealDuration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::control::{Action, Advance, Session};
use crate::engine::SimTime;
use crate::exercise::What;
use crate::infra::InfraRecord;
use crate::log::Domain;
use crate::metrics::Summary;
use crate::scenario::catalog::{CountryIx, InjectIx};

/// Speeds offered, in simulated seconds per real second; `None` is as fast as possible.
pub const SPEEDS: [Option<u32>; 7] = [
    Some(1),
    Some(10),
    Some(60),
    Some(600),
    Some(3600),
    Some(21600),
    None,
];

/// Longest time the engine may run between two frames.
pub const SLICE: RealDuration = RealDuration::from_millis(25);

/// How often progress is marked in the journal while running.
const MARK_EVERY: RealDuration = RealDuration::from_secs(2);

/// How often the live objective ratings are recomputed.
const RATE_EVERY: RealDuration = RealDuration::from_millis(500);

#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    Normal,
    Help,
    /// Every mechanism's state, full size.
    Mechanisms,
    ConfirmQuit,
    /// Typing a controller note.
    Note(String),
    /// Choosing an MSEL inject to fire now (index into the unfired list).
    FireInject(usize),
    /// Choosing a campaign step to play now.
    AdHoc(usize),
}

pub struct App {
    pub session: Session,
    pub mode: Mode,
    pub running: bool,
    pub speed: usize,
    /// Log lines scrolled back from the newest (0 follows the newest).
    pub scroll: usize,
    pub domain_filter: Option<Domain>,
    pub country_filter: Option<CountryIx>,
    /// Show hourly samples too, not only key events.
    pub verbose: bool,
    pub decision_timeout: Option<RealDuration>,
    /// When the current decision point was first shown (real time).
    pub decision_since: Option<(u32, Instant)>,
    pub status: String,
    pub quit: bool,
    pub summary: Option<Summary>,
    rated_at: Option<Instant>,
    /// Real time and simulated time when the clock was last anchored.
    anchor: (Instant, SimTime),
    last_mark: Instant,
    /// Hourly mean service per country, in percent, for sparklines.
    pub history: Vec<Vec<u64>>,
    history_seen: usize,
    /// Time the last frame took: the engine's slice, the panels' data and drawing.
    pub frame: RealDuration,
    /// Draw without colour (`NO_COLOR`).
    pub monochrome: bool,
}

impl App {
    pub fn new(session: Session, speed: usize, decision_timeout: Option<RealDuration>) -> App {
        let countries = session.cat().countries.len();
        let now = session.now();
        App {
            session,
            mode: Mode::Normal,
            running: true,
            speed: speed.min(SPEEDS.len() - 1),
            scroll: 0,
            domain_filter: None,
            country_filter: None,
            verbose: false,
            decision_timeout,
            decision_since: None,
            status: String::new(),
            quit: false,
            summary: None,
            rated_at: None,
            anchor: (Instant::now(), now),
            last_mark: Instant::now(),
            history: vec![Vec::new(); countries],
            history_seen: 0,
            frame: RealDuration::ZERO,
            monochrome: false,
        }
    }

    pub fn speed_label(&self) -> String {
        match SPEEDS[self.speed] {
            Some(1) => "real time".into(),
            Some(x) => format!("x{x}"),
            None => "max".into(),
        }
    }

    /// The decision point on screen, if the engine waits for one.
    pub fn waiting(&self) -> Option<u32> {
        self.session.pending().first().copied()
    }

    /// The session was stopped from outside (SIGTERM, SIGHUP): journal the
    /// position so that replay reaches the same log.
    pub fn stopped(&mut self) {
        self.act(Action::Mark);
    }

    fn act(&mut self, a: Action) {
        if let Err(e) = self.session.act(a) {
            self.status = format!("journal error: {e}");
        }
    }

    fn reanchor(&mut self, now: Instant) {
        self.anchor = (now, self.session.now());
    }

    /// Runs the engine for one frame: as far as the clock has come at the
    /// current speed, within the time slice. Also applies a decision's
    /// time-out, and refreshes what the panels show.
    pub fn tick(&mut self, now: Instant) {
        let started = Instant::now();
        if let Some(d) = self.waiting() {
            let since = match self.decision_since {
                Some((id, t)) if id == d => t,
                _ => {
                    self.decision_since = Some((d, now));
                    now
                }
            };
            if let Some(limit) = self.decision_timeout
                && now.duration_since(since) >= limit
            {
                self.act(Action::Decide {
                    decision: d,
                    approve: None,
                });
                self.status = "decision timed out: the playbook's default applies".into();
                self.decision_since = None;
                self.reanchor(now);
            }
        } else if self.running && !self.session.ended() {
            let target = match SPEEDS[self.speed] {
                Some(x) => {
                    let elapsed = now.duration_since(self.anchor.0).as_secs_f64();
                    SimTime(self.anchor.1.0 + (elapsed * x as f64) as u64)
                }
                None => self.session.end(),
            };
            let outcome = self.session.advance_to(target, Some(started + SLICE));
            match outcome {
                Advance::Waiting(_) => self.status = "a decision waits for the players".into(),
                Advance::Ended => self.status = "the exercise has ended".into(),
                Advance::Budget if SPEEDS[self.speed].is_some() => {
                    // The engine cannot keep up: let the clock slip rather than stutter.
                    self.reanchor(now);
                }
                _ => {}
            }
            if now.duration_since(self.last_mark) >= MARK_EVERY {
                self.act(Action::Mark);
                self.last_mark = now;
            }
        }
        self.refresh(now);
    }

    /// Keeps sparklines and live ratings up to date.
    fn refresh(&mut self, now: Instant) {
        let log = self.session.sim.model.log();
        for e in &log[self.history_seen..] {
            if let What::Infra(InfraRecord::ServiceSample { country, by_sector }) = e.what {
                let v: Vec<f64> = by_sector.present().collect();
                if !v.is_empty() {
                    let mean = v.iter().sum::<f64>() / v.len() as f64;
                    self.history[country.i()].push((mean * 100.0).round() as u64);
                }
            }
        }
        self.history_seen = log.len();
        if self
            .rated_at
            .is_none_or(|t| now.duration_since(t) >= RATE_EVERY)
        {
            self.summary = Some(Summary::measure(
                &self.session.sim.model,
                self.session.now(),
            ));
            self.rated_at = Some(now);
        }
    }

    /// MSEL injects not fired yet, in MSEL order.
    pub fn unfired(&self) -> Vec<InjectIx> {
        let model = &self.session.sim.model;
        (0..self.session.cat().injects.len())
            .map(InjectIx::at)
            .filter(|&i| !model.inject_fired(i))
            .collect()
    }

    /// Every campaign step, as (campaign id, step id).
    pub fn steps(&self) -> Vec<(String, String)> {
        self.session
            .cat()
            .campaigns
            .iter()
            .flat_map(|c| {
                c.steps
                    .iter()
                    .map(move |s| (c.id.to_string(), s.id.to_string()))
            })
            .collect()
    }

    pub fn key(&mut self, k: KeyEvent, now: Instant) {
        let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
        match self.mode.clone() {
            _ if ctrl_c => self.mode = Mode::ConfirmQuit,
            Mode::Help | Mode::Mechanisms => self.mode = Mode::Normal,
            Mode::ConfirmQuit => match k.code {
                KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
                    self.act(Action::Quit);
                    self.quit = true;
                }
                _ => self.mode = Mode::Normal,
            },
            Mode::Note(mut text) => match k.code {
                KeyCode::Enter => {
                    if !text.trim().is_empty() {
                        self.act(Action::Note {
                            text: text.trim().to_string(),
                        });
                        self.status = "note added to the log".into();
                    }
                    self.mode = Mode::Normal;
                }
                KeyCode::Esc => self.mode = Mode::Normal,
                KeyCode::Backspace => {
                    text.pop();
                    self.mode = Mode::Note(text);
                }
                KeyCode::Char(c) if text.chars().count() < 500 => {
                    text.push(c);
                    self.mode = Mode::Note(text);
                }
                _ => {}
            },
            Mode::FireInject(sel) => {
                let list = self.unfired();
                match k.code {
                    KeyCode::Up => self.mode = Mode::FireInject(sel.saturating_sub(1)),
                    KeyCode::Down => {
                        self.mode = Mode::FireInject((sel + 1).min(list.len().saturating_sub(1)))
                    }
                    KeyCode::Enter => {
                        if let Some(&i) = list.get(sel) {
                            let number = self.session.cat().injects[i.i()].inject.number;
                            self.act(Action::Fire { inject: number });
                            self.status = format!("MSEL #{number} fired");
                        }
                        self.mode = Mode::Normal;
                    }
                    _ => self.mode = Mode::Normal,
                }
            }
            Mode::AdHoc(sel) => {
                let list = self.steps();
                match k.code {
                    KeyCode::Up => self.mode = Mode::AdHoc(sel.saturating_sub(1)),
                    KeyCode::Down => {
                        self.mode = Mode::AdHoc((sel + 1).min(list.len().saturating_sub(1)))
                    }
                    KeyCode::Enter => {
                        if let Some((campaign, step)) = list.get(sel).cloned() {
                            self.status = format!("ad-hoc inject: {campaign}/{step}");
                            self.act(Action::AdHoc {
                                campaign,
                                step,
                                note: String::new(),
                            });
                        }
                        self.mode = Mode::Normal;
                    }
                    _ => self.mode = Mode::Normal,
                }
            }
            Mode::Normal => self.normal_key(k, now),
        }
    }

    fn normal_key(&mut self, k: KeyEvent, now: Instant) {
        if let Some(d) = self.waiting() {
            let answer = match k.code {
                KeyCode::Char('1') => Some(true),
                KeyCode::Char('2') => Some(false),
                _ => None,
            };
            if let Some(a) = answer {
                self.act(Action::Decide {
                    decision: d,
                    approve: Some(a),
                });
                self.status = "decision recorded".into();
                self.decision_since = None;
                self.reanchor(now);
                return;
            }
        }
        match k.code {
            KeyCode::Char(' ') | KeyCode::Char('p') => {
                self.running = !self.running;
                self.act(if self.running {
                    Action::Resume
                } else {
                    Action::Pause
                });
                self.reanchor(now);
            }
            KeyCode::Char('+') | KeyCode::Char('=') | KeyCode::Char('>') => {
                self.set_speed((self.speed + 1).min(SPEEDS.len() - 1), now)
            }
            KeyCode::Char('-') | KeyCode::Char('<') => {
                self.set_speed(self.speed.saturating_sub(1), now)
            }
            KeyCode::Char('s') => {
                if self.session.step() == Advance::Ended {
                    self.status = "the exercise has ended".into();
                }
                // The position is journaled, so a crash resumes after the step.
                self.act(Action::Mark);
                self.reanchor(now);
            }
            KeyCode::Char('j') => {
                self.jump(now);
                self.act(Action::Mark);
            }
            KeyCode::Char('i') => {
                if self.unfired().is_empty() {
                    self.status = "every MSEL inject has fired".into();
                } else {
                    self.mode = Mode::FireInject(0);
                }
            }
            KeyCode::Char('a') => self.mode = Mode::AdHoc(0),
            KeyCode::Char('e') => self.mode = Mode::Note(String::new()),
            KeyCode::Char('d') => {
                let next = match self.domain_filter {
                    None => Some(Domain::ALL[0]),
                    Some(d) => Domain::ALL
                        .iter()
                        .position(|x| *x == d)
                        .and_then(|k| Domain::ALL.get(k + 1).copied()),
                };
                self.domain_filter = next;
                self.scroll = 0;
            }
            KeyCode::Char('c') => {
                let n = crate::engine::count_u32(self.session.cat().countries.len());
                self.country_filter = match self.country_filter {
                    None if n > 0 => Some(CountryIx(0)),
                    Some(c) if c.0 + 1 < n => Some(CountryIx(c.0 + 1)),
                    _ => None,
                };
                self.scroll = 0;
            }
            KeyCode::Char('v') => self.verbose = !self.verbose,
            KeyCode::Char('m') => self.mode = Mode::Mechanisms,
            KeyCode::Up => self.scroll += 1,
            KeyCode::Down => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageUp => self.scroll += 10,
            KeyCode::PageDown => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::End => self.scroll = 0,
            KeyCode::Char('?') | KeyCode::Char('h') | KeyCode::F(1) => self.mode = Mode::Help,
            KeyCode::Char('q') | KeyCode::Esc => self.mode = Mode::ConfirmQuit,
            _ => {}
        }
    }

    fn set_speed(&mut self, speed: usize, now: Instant) {
        if speed != self.speed {
            self.speed = speed;
            self.act(Action::Speed { x: SPEEDS[speed] });
            self.reanchor(now);
        }
    }

    /// Runs to the next timed MSEL inject (it fires), stopping at a decision on the way.
    fn jump(&mut self, now: Instant) {
        let cat = self.session.cat().clone();
        let next = self
            .unfired()
            .into_iter()
            .filter_map(|i| match cat.injects[i.i()].inject.at {
                crate::scenario::InjectTime::Time(d) if d.0 >= self.session.now().0 => Some(d.0),
                _ => None,
            })
            .min();
        let target = next.map_or(self.session.end(), SimTime);
        self.status = match self.session.advance_to(target, None) {
            Advance::Waiting(_) => "stopped at a decision point".into(),
            Advance::Ended => "the exercise has ended".into(),
            _ if next.is_some() => format!("jumped to the next inject at {target}"),
            _ => "no timed inject is left; jumped to the end".into(),
        };
        self.reanchor(now);
    }
}
