//! Hostile campaigns and what their steps do to the world.
//!
//! A campaign is a tree of steps: each waits for its predecessor to succeed,
//! then for its delay, then succeeds with its base chance reduced by the
//! target's defences: `success × (1 − DEFENCE_WEIGHT × defence)`. A cyber
//! step against a node where its campaign already holds a foothold meets no
//! defence: the intrusion beat it, and only eviction stops the attacker. The
//! domain models ([`cyber`], [`cbrn`], [`disinfo`]) carry out what a step does.

pub mod cbrn;
pub mod cyber;
pub mod disinfo;

use rand::RngExt;

use crate::engine::SimTime;
use crate::log::{Failure, Origin, What};
use crate::world::catalog::{CampaignIx, Catalog, Effect, StepRef};
use crate::world::{Ev, Sim, StepStatus};

/// How much the best possible defence (1.0) cuts an attack's chance of success.
pub const DEFENCE_WEIGHT: f64 = 0.6;

/// Schedules every campaign's opening steps.
pub fn start(sim: &mut Sim) {
    let cat = sim.cat;
    for (c, camp) in cat.campaigns.iter().enumerate() {
        for (i, st) in camp.steps.iter().enumerate() {
            if st.after.is_none() {
                let s = StepRef {
                    campaign: CampaignIx(c as u32),
                    step: i as u16,
                };
                let delay = camp
                    .start
                    .0
                    .saturating_add(st.delay.sample(&mut sim.rng.steps[c][i]).0);
                sim.campaign(s).steps[i] = StepStatus::Scheduled;
                sim.queue.schedule_at(
                    SimTime(delay),
                    crate::engine::Priority::NORMAL,
                    Ev::StepDue(s),
                );
            }
        }
    }
}

/// A step's time has come: try it, and on success schedule what follows it.
pub fn step_due(sim: &mut Sim, s: StepRef) {
    let cat = sim.cat;
    let def = cat.step(s);
    let (c, i) = (s.campaign.i(), s.step as usize);
    // Draw before deciding, so the attacker's stream advances the same way whatever the defenders did.
    let roll: f64 = sim.rng.steps[c][i].random();
    // Deterrence calls a share of steps off. The same draw decides both, so
    // a run with deterrence meets the same attacks where it has none
    // (common random numbers between playbooks).
    let deterred = crate::response::eu::deterrence(sim);
    let outcome = if roll >= 1.0 - deterred {
        Err(Failure::Deterred)
    } else {
        let roll = roll / (1.0 - deterred);
        apply(sim, &def.action, Origin::Step(s), def.success, roll)
    };
    let now = sim.now;
    match outcome {
        Ok(()) => {
            sim.campaign(s).steps[i] = StepStatus::Succeeded(now);
            for (j, next) in cat.campaigns[c].steps.iter().enumerate() {
                if next.after == Some(s.step) {
                    let delay = next.delay.sample(&mut sim.rng.steps[c][j]);
                    sim.campaign(s).steps[j] = StepStatus::Scheduled;
                    sim.after(
                        delay,
                        Ev::StepDue(StepRef {
                            campaign: s.campaign,
                            step: j as u16,
                        }),
                    );
                }
            }
        }
        Err(why) => {
            sim.campaign(s).steps[i] = StepStatus::Failed(now);
            sim.emit(What::StepFailed { step: s, why });
        }
    }
}

/// Carries out an effect for `by` with base chance `success`, given the uniform draw `roll`.
pub fn apply(
    sim: &mut Sim,
    effect: &Effect,
    by: Origin,
    success: f64,
    roll: f64,
) -> Result<(), Failure> {
    let defended = |defence: f64| roll >= success * (1.0 - DEFENCE_WEIGHT * defence);
    match effect {
        Effect::Intrusion { target } => {
            cyber::precondition(sim, by, *target)?;
            if defended(cyber::defence(sim, *target)) {
                return Err(Failure::Defended);
            }
            cyber::intrude(sim, by, *target);
        }
        Effect::Disrupt { target, severity } => {
            cyber::precondition(sim, by, *target)?;
            if defended(cyber::resistance(sim, by, *target)) {
                return Err(Failure::Defended);
            }
            cyber::disrupt(sim, by, *target, *severity, false);
        }
        Effect::ElectionAttack {
            target,
            severity,
            leak,
        } => {
            if let Err(why) = cyber::precondition(sim, by, *target) {
                // Data stolen before the eviction can still be published.
                if let (Failure::NoFoothold, Some(n)) = (why, leak) {
                    disinfo::launch(sim, *n, by);
                    return Ok(());
                }
                return Err(why);
            }
            if defended(cyber::resistance(sim, by, *target)) {
                return Err(Failure::Defended);
            }
            cyber::disrupt(sim, by, *target, *severity, true);
            if let Some(n) = leak {
                disinfo::launch(sim, *n, by);
            }
        }
        Effect::Wiper { seeds, .. } => {
            let mut any = false;
            for (k, &n) in seeds.iter().enumerate() {
                // Each seed meets its own defences: a Weyl rotation of the
                // step's draw gives every seed its own uniform number without
                // drawing more (the attacker's stream stays aligned).
                let roll = (roll + k as f64 * 0.618_033_988_749_895).fract();
                let held = roll >= success * (1.0 - DEFENCE_WEIGHT * cyber::resistance(sim, by, n));
                if cyber::precondition(sim, by, n).is_ok() && !held {
                    any |= cyber::infect(sim, by, n, 0);
                }
            }
            if !any {
                return Err(Failure::Defended);
            }
        }
        Effect::Release { .. } => {
            if roll >= success {
                return Err(Failure::Miscarried);
            }
            cbrn::release(sim, by, effect);
        }
        Effect::Narrative(n) => {
            if roll >= success {
                return Err(Failure::Miscarried);
            }
            disinfo::launch(sim, *n, by);
        }
        Effect::Amplify {
            narrative,
            factor,
            duration,
        } => {
            if roll >= success {
                return Err(Failure::Miscarried);
            }
            disinfo::amplify(sim, *narrative, *factor, *duration);
        }
    }
    Ok(())
}

/// The effect behind an origin: a step's action or an inject's effect.
pub fn effect_of(cat: &Catalog, by: Origin) -> Option<&Effect> {
    match by {
        Origin::Step(s) => Some(&cat.step(s).action),
        Origin::Inject(i) => cat.injects[i.i()].effect.as_ref(),
    }
}

/// A stable name for an origin, used to name random streams.
pub fn origin_key(cat: &Catalog, by: Origin) -> String {
    match by {
        Origin::Step(s) => format!("{}/{}", cat.campaigns[s.campaign.i()].id, cat.step(s).id),
        Origin::Inject(i) => format!("inject/{}", cat.injects[i.i()].inject.number),
    }
}
