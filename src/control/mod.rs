//! A controlled exercise: the engine driven by an exercise controller, one
//! action at a time, every action journaled as it happens.
//!
//! Determinism with a human in the loop rests on one rule: an action is
//! recorded with the number of events the engine had fired and the
//! simulated clock when it was taken. Replaying fires exactly that many
//! events, sets the clock, and applies the action, so the replayed log is the
//! live one byte for byte, however fast or slowly the live session ran.

pub mod journal;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::engine::{SimTime, Simulation};
use crate::exercise::Ev;
use crate::exercise::{ControlEv, Exercise};
use crate::scenario::catalog::{Catalog, InjectIx, StepRef};
use journal::{Journal, JournalError};

/// What a controller can do. Pauses, speeds and marks change nothing in the
/// simulated world; they are journaled so the record shows the session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    Pause,
    Resume,
    /// Simulated seconds per real second; `None` as fast as possible.
    Speed {
        x: Option<u32>,
    },
    /// Fire MSEL inject `number` now.
    Fire {
        inject: u32,
    },
    /// Play a campaign step now, as the simulation cell.
    AdHoc {
        campaign: String,
        step: String,
        #[serde(default)]
        note: String,
    },
    /// Answer decision point `decision`; `approve: None` when the time-out
    /// applied the playbook's policy.
    Decide {
        decision: u32,
        approve: Option<bool>,
    },
    Note {
        text: String,
    },
    /// Progress while running, so that a resumed session starts near where
    /// the crashed one was.
    Mark,
    Quit,
}

/// One journal line after the header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Simulated seconds from T+0.
    pub t: u64,
    /// Engine events fired before the action.
    pub n: u64,
    #[serde(flatten)]
    pub action: Action,
}

/// Where a run of the engine stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advance {
    /// The clock reached the time asked for.
    Reached,
    /// A decision point waits for the players.
    Waiting(u32),
    /// The time budget for this slice ran out.
    Budget,
    /// The exercise is over.
    Ended,
}

pub struct Session {
    pub sim: Simulation<Exercise>,
    /// Engine events fired so far.
    pub fired: u64,
    journal: Option<Journal>,
}

impl Session {
    /// A fresh interactive exercise; with a journal, every action is recorded.
    pub fn start(cat: Arc<Catalog>, seed: u64, journal: Option<Journal>) -> Session {
        Session {
            sim: Exercise::start_with(cat, seed, true),
            fired: 0,
            journal,
        }
    }

    pub fn cat(&self) -> &Arc<Catalog> {
        self.sim.model.catalog()
    }

    pub fn now(&self) -> SimTime {
        self.sim.now()
    }

    pub fn end(&self) -> SimTime {
        SimTime(self.cat().duration.0)
    }

    /// The clock stands at the end and every event up to it has fired
    /// (work scheduled past the end, such as a repair, never fires).
    pub fn ended(&self) -> bool {
        self.now() >= self.end() && self.sim.peek().is_none_or(|(t, _)| t > self.end())
    }

    /// Decision points waiting for the players, oldest first.
    pub fn pending(&self) -> Vec<u32> {
        self.sim.model.pending_decisions()
    }

    /// Fires the next event, unless a decision is waiting.
    pub fn step(&mut self) -> Advance {
        if let Some(&d) = self.pending().first() {
            return Advance::Waiting(d);
        }
        match self.sim.peek() {
            Some((t, _)) if t <= self.end() => {
                self.sim.step();
                self.fired += 1;
                Advance::Reached
            }
            _ => {
                self.sim.queue.advance_to(self.end());
                Advance::Ended
            }
        }
    }

    /// Fires events up to `until` (at most the end), stopping early when a
    /// decision waits or `deadline` passes; the clock then stands at `until`.
    pub fn advance_to(&mut self, until: SimTime, deadline: Option<Instant>) -> Advance {
        let until = until.min(self.end());
        loop {
            if let Some(&d) = self.pending().first() {
                return Advance::Waiting(d);
            }
            match self.sim.peek() {
                Some((t, _)) if t <= until => {
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        return Advance::Budget;
                    }
                    self.sim.step();
                    self.fired += 1;
                }
                _ => {
                    self.sim.queue.advance_to(until);
                    return if self.ended() {
                        Advance::Ended
                    } else {
                        Advance::Reached
                    };
                }
            }
        }
    }

    /// From now on, records every action in `journal`.
    pub fn record_to(&mut self, journal: Journal) {
        self.journal = Some(journal);
    }

    /// Records `action` in the journal (flushed to disk) and carries it out.
    pub fn act(&mut self, action: Action) -> Result<(), JournalError> {
        let entry = Entry {
            t: self.now().0,
            n: self.fired,
            action,
        };
        if let Some(j) = &mut self.journal {
            j.append(&entry)?;
        }
        self.apply(&entry.action);
        Ok(())
    }

    /// Carries out an action on the world at the current instant.
    fn apply(&mut self, action: &Action) {
        let cat = self.cat().clone();
        let c = match action {
            Action::Fire { inject } => cat
                .injects
                .iter()
                .position(|i| i.inject.number == *inject)
                .map(|k| ControlEv::FireInject(InjectIx::at(k))),
            Action::AdHoc {
                campaign,
                step,
                note,
            } => find_step(&cat, campaign, step).map(|s| ControlEv::AdHoc {
                step: s,
                note: self.sim.model.add_note(note.clone()),
            }),
            Action::Decide { decision, approve } => Some(ControlEv::Decide {
                decision: *decision,
                approve: *approve,
            }),
            Action::Note { text } => Some(ControlEv::Note(self.sim.model.add_note(text.clone()))),
            Action::Pause | Action::Resume | Action::Speed { .. } | Action::Mark | Action::Quit => {
                None
            }
        };
        if let Some(c) = c {
            let now = self.now();
            let Simulation { queue, model } = &mut self.sim;
            crate::engine::Model::handle(model, queue, now, Ev::Control(c));
        }
    }

    /// Brings the engine to where `entry` was taken and applies it.
    fn replay_entry(&mut self, entry: &Entry) -> Result<(), String> {
        let other = "it was recorded with other inputs, or edited";
        if entry.t > self.end().0 {
            return Err(format!(
                "journal entry at T+{}s lies after the end of the exercise ({}); {other}",
                entry.t,
                self.end()
            ));
        }
        if entry.n < self.fired {
            return Err(format!(
                "journal entry at T+{}s says {} events had fired, fewer than the {} before it; {other}",
                entry.t, entry.n, self.fired
            ));
        }
        while self.fired < entry.n {
            match self.sim.peek() {
                Some((t, _)) if t.0 <= entry.t => {
                    self.sim.step();
                    self.fired += 1;
                }
                _ => {
                    return Err(format!(
                        "the journal says {} events had fired by T+{}s, but the exercise has only {} there; it was recorded with other inputs",
                        entry.n, entry.t, self.fired
                    ));
                }
            }
        }
        if entry.t < self.now().0 {
            return Err(format!(
                "journal entry at T+{}s comes after T+{}s",
                entry.t,
                self.now().0
            ));
        }
        // Live, the clock only stands at t once every earlier event has fired.
        if let Some((next, _)) = self.sim.peek()
            && next.0 < entry.t
        {
            return Err(format!(
                "journal entry at T+{}s says {} events had fired, but an event due at {next} had not; {other}",
                entry.t, entry.n
            ));
        }
        self.sim.queue.advance_to(SimTime(entry.t));
        self.apply(&entry.action);
        Ok(())
    }

    /// The sha256 of `events.jsonl` as it stands, and optionally the file itself.
    pub fn log_hash(&self, out: Option<&Path>) -> std::io::Result<String> {
        let model = &self.sim.model;
        match out {
            Some(p) => {
                let mut hash = String::new();
                crate::output::write_atomic(p, |w| {
                    hash = model.write_log(w)?;
                    Ok(())
                })
                .map_err(std::io::Error::other)?;
                Ok(hash)
            }
            None => model.write_log(std::io::sink()),
        }
    }
}

fn find_step(cat: &Catalog, campaign: &str, step: &str) -> Option<StepRef> {
    let c = cat.campaigns.iter().position(|c| &*c.id == campaign)?;
    let s = cat.campaigns[c].steps.iter().position(|s| &*s.id == step)?;
    Some(StepRef::at(crate::scenario::catalog::CampaignIx::at(c), s))
}

/// Re-runs `entries` on a fresh session (with `journal` to keep recording),
/// leaving it where the last entry was taken.
pub fn resume(
    cat: Arc<Catalog>,
    seed: u64,
    entries: &[Entry],
    journal: Option<Journal>,
) -> Result<Session, String> {
    let mut s = Session::start(cat, seed, None);
    for e in entries {
        s.replay_entry(e)?;
    }
    s.journal = journal;
    Ok(s)
}
