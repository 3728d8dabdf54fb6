//! Exercise control: the exercise's start and end, MSEL injects, and what a
//! controller does at the dashboard (fire an inject early, play a campaign
//! step ad hoc, answer a decision point, note something for the record).

use crate::log::{Context, Described, Domain, Origin, Record, kinds};
use crate::scenario::catalog::{Catalog, ControlAct, InjectIx, StepRef};
use crate::threats;
use crate::world::Sim;

/// What exercise control logs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ControlRecord {
    ExerciseStart,
    ExerciseEnd,
    InjectFired {
        inject: InjectIx,
    },
    /// A controller's note (its text is kept by the exercise, by number).
    ControllerNote {
        note: u32,
    },
    /// The controller plays a campaign step now (an ad-hoc inject).
    AdHocInject {
        step: StepRef,
        note: u32,
    },
}

impl Record for ControlRecord {
    kinds! {
        ExerciseStart => "exercise_start",
        ExerciseEnd => "exercise_end",
        InjectFired => "inject",
        ControllerNote => "controller_note",
        AdHocInject => "adhoc_inject",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Control
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        match *self {
            ControlRecord::ExerciseStart => {
                Described::new(format!("Exercise \"{}\" starts", cx.cat.name))
            }
            ControlRecord::ExerciseEnd => Described::new("Exercise ends"),
            ControlRecord::InjectFired { inject } => {
                let i = &cx.cat.injects[inject.i()].inject;
                Described::new(format!(
                    "MSEL #{} {} -> {} ({:?}): {}",
                    i.number, i.from, i.to, i.method, i.subject
                ))
                .actor("EXCON")
                .detail("number", i.number)
                .detail("from", &i.from)
                .detail("to", &i.to)
                .detail("method", format!("{:?}", i.method))
                .detail("subject", &i.subject)
                .detail("expected_action", &i.expected_action)
            }
            ControlRecord::ControllerNote { note } => {
                let text = cx.note(note);
                Described::new(format!("Controller note: {text}"))
                    .actor("EXCON")
                    .detail("note", text)
            }
            ControlRecord::AdHocInject { step, note } => {
                let text = cx.note(note);
                Described::new(format!(
                    "Ad-hoc inject: the simulation cell plays {} step {} now{}",
                    cx.campaign(step).id,
                    cx.cat.step(step).id,
                    if text.is_empty() {
                        String::new()
                    } else {
                        format!(" ({text})")
                    }
                ))
                .actor("EXCON")
                .origin(cx, Origin::Step(step))
                .detail("note", text)
            }
        }
    }
}

/// What the controller does to the running exercise (see `crate::control`).
#[derive(Clone, Copy, Debug)]
pub enum ControlEv {
    /// Fire an MSEL inject now, whatever its time or condition.
    FireInject(InjectIx),
    /// Play a campaign step's action now, as the simulation cell (an ad-hoc inject).
    AdHoc { step: StepRef, note: u32 },
    /// The players answer a decision point (`None`: its time-out applies the playbook's policy).
    Decide {
        decision: u32,
        approve: Option<bool>,
    },
    /// A controller's note for the record.
    Note(u32),
}

/// Carries out a controller's action at once.
pub(super) fn act(sim: &mut Sim, c: ControlEv, fired: &mut [bool]) {
    match c {
        ControlEv::FireInject(i) => fire_inject(sim, i, fired),
        ControlEv::AdHoc { step, note } => {
            sim.emit(ControlRecord::AdHocInject { step, note });
            // The simulation cell plays the move as written: it succeeds
            // unless defenders already shut the way.
            let _ = threats::apply(
                sim,
                &sim.cat.step(step).action,
                Origin::Step(step),
                1.0,
                0.0,
            );
        }
        ControlEv::Decide { decision, approve } => {
            crate::response::eu::answer(sim, decision, approve)
        }
        ControlEv::Note(n) => sim.emit(ControlRecord::ControllerNote { note: n }),
    }
}

/// Sends an MSEL inject (once: the controller may have sent it early).
pub(super) fn fire_inject(sim: &mut Sim, i: InjectIx, fired: &mut [bool]) {
    if std::mem::replace(&mut fired[i.i()], true) {
        return;
    }
    let cat = sim.cat;
    sim.emit(ControlRecord::InjectFired { inject: i });
    if let Some(effect) = &cat.injects[i.i()].effect {
        // Exercise control's effects happen as written (a roll of zero beats
        // any defence), unless defenders already shut the way.
        let _ = threats::apply(sim, effect, Origin::Inject(i), 1.0, 0.0);
    }
    match cat.injects[i.i()].control {
        Some(ControlAct::Decide(d)) => crate::response::eu::scripted(sim, d, i),
        Some(ControlAct::Halt(c)) => threats::halt(sim, c, i),
        None => {}
    }
}
