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

use crate::engine::{Priority, SimTime};
use crate::infra::{self, Cause};
use crate::log::{Context, Described, Domain, Origin, Record, kinds};
use crate::scenario::catalog::{
    CampaignIx, Catalog, Effect, InjectIx, NarrativeIx, NodeIx, StepRef, ThreatDomain,
};
use crate::world::{Deterrence, Halted, Sim, StepStatus};

/// How much the best possible defence (1.0) cuts an attack's chance of success.
pub const DEFENCE_WEIGHT: f64 = 0.6;

/// Why a campaign step failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The target's defences held.
    Defended,
    /// A non-cyber attempt (a release, a narrative, a bot push) came to
    /// nothing by chance: the device failed, the launch fell flat.
    Miscarried,
    /// The foothold the step needed was found and removed.
    NoFoothold,
    /// A leak from a node the campaign never got into: nothing was stolen.
    NothingStolen,
    /// The country's networks were isolated after an earlier incident.
    Isolated,
    /// Called off: attribution and sanctions made the attacker think again.
    Deterred,
    /// The campaign was stopped by exercise control's kill switch, sinkhole,
    /// patch or arrest.
    Halted,
}

impl Failure {
    pub fn reason(self) -> &'static str {
        match self {
            Failure::Defended => "defences held",
            Failure::Miscarried => "the attempt miscarried",
            Failure::NoFoothold => "foothold had been removed",
            Failure::NothingStolen => "never got into the node: nothing to leak",
            Failure::Isolated => "networks isolated",
            Failure::Deterred => "called off after EU attribution and sanctions",
            Failure::Halted => "the campaign was stopped (kill switch, sinkhole, patch or arrest)",
        }
    }
}

/// What a campaign logs of itself (its steps' effects are logged by the
/// domain that carries them out).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CampaignRecord {
    StepFailed {
        step: StepRef,
        why: Failure,
    },
    /// Exercise control stopped the campaign (inject `inject`).
    Halted {
        campaign: CampaignIx,
        inject: InjectIx,
    },
}

impl Record for CampaignRecord {
    kinds! {
        StepFailed => "step_failed",
        Halted => "campaign_halted",
    }

    /// The domain of the step's action (of a halted campaign's first step).
    fn domain(&self, cat: &Catalog) -> Domain {
        let step = match *self {
            CampaignRecord::StepFailed { step, .. } => step,
            CampaignRecord::Halted { campaign, .. } => StepRef::at(campaign, 0),
        };
        match cat.step(step).action.domain() {
            ThreatDomain::Cyber => Domain::Cyber,
            ThreatDomain::Cbrn => Domain::Cbrn,
            ThreatDomain::Disinfo => Domain::Disinfo,
            ThreatDomain::Physical => Domain::Infra,
        }
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        let (step, why) = match *self {
            CampaignRecord::StepFailed { step, why } => (step, why),
            CampaignRecord::Halted { campaign, inject } => {
                let c = &cx.cat.campaigns[campaign.i()];
                return Described::new(format!(
                    "{} stopped by exercise control (kill switch, sinkhole, patch or arrest): its remaining steps and spread end",
                    c.name
                ))
                .actor(&cx.cat.actors[c.actor.i()].id)
                .origin(cx, Origin::Inject(inject))
                .detail("campaign", &*c.id);
            }
        };
        Described::new(format!(
            "{} step {} failed: {}",
            cx.campaign(step).id,
            cx.cat.step(step).id,
            why.reason()
        ))
        .actor(cx.actor_of(Origin::Step(step)))
        .origin(cx, Origin::Step(step))
        .detail("reason", why.reason())
    }
}

/// What threats schedule.
#[derive(Clone, Copy, Debug)]
pub enum ThreatEv {
    /// A campaign step's time has come.
    StepDue(StepRef),
    /// Wiper malware reaches a neighbouring node.
    WiperHop { by: Origin, node: NodeIx, hop: u16 },
    /// A scanning worm's next probe, `left` of them still to go from a node it holds.
    ScanProbe { by: Origin, left: u32, hop: u16 },
    /// An intruder moves from `from` to another node of its operator.
    Lateral {
        by: Origin,
        from: NodeIx,
        node: NodeIx,
    },
    /// A bot network's push is over.
    AmplificationEnds { narrative: NarrativeIx, factor: f64 },
}

pub fn handle(sim: &mut Sim, ev: ThreatEv) {
    match ev {
        ThreatEv::StepDue(s) => step_due(sim, s),
        ThreatEv::WiperHop { by, node, hop } => cyber::hop(sim, by, node, hop),
        ThreatEv::Lateral { by, from, node } => cyber::lateral(sim, by, from, node),
        ThreatEv::ScanProbe { by, left, hop } => cyber::probe(sim, by, left, hop),
        ThreatEv::AmplificationEnds { narrative, factor } => {
            disinfo::amplification_ends(sim, narrative, factor)
        }
    }
}

/// Schedules every campaign's opening steps.
pub fn start(sim: &mut Sim) {
    let cat = sim.cat;
    for (c, camp) in cat.campaigns.iter().enumerate() {
        for (i, st) in camp.steps.iter().enumerate() {
            if st.after.is_none() && st.follows.is_none() {
                let s = StepRef::at(CampaignIx::at(c), i);
                let delay = camp
                    .start
                    .0
                    .saturating_add(st.delay.sample(&mut sim.rng.steps[c][i]).0);
                sim.campaign(s).steps[i] = StepStatus::Scheduled;
                sim.at(SimTime(delay), Priority::NORMAL, ThreatEv::StepDue(s));
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
    // Deterrence calls a share of the named actors' deliberate steps off.
    // The same draw decides both, so a run with deterrence meets the same
    // attacks where it has none (common random numbers between playbooks).
    let deterrence = sim.world.resource::<Deterrence>();
    let deterred =
        if def.premise || def.accident || !deterrence.actors.contains(&cat.campaigns[c].actor) {
            0.0
        } else {
            deterrence.share
        };
    let outcome = if sim.world.resource::<Halted>().stops(Origin::Step(s)) {
        Err(Failure::Halted)
    } else if roll >= 1.0 - deterred {
        sim.world.resource_mut::<Deterrence>().steps_deterred += 1;
        Err(Failure::Deterred)
    } else if def.premise {
        // Certain: a roll no defence can hold against.
        apply(sim, &def.action, Origin::Step(s), 1.0, 0.0)
    } else {
        let roll = roll / (1.0 - deterred);
        apply(sim, &def.action, Origin::Step(s), def.success, roll)
    };
    let now = sim.now;
    match outcome {
        Ok(()) => {
            sim.campaign(s).steps[i] = StepStatus::Succeeded(now);
            for &next in &def.next {
                let (nc, nj) = (next.campaign.i(), next.step as usize);
                let delay = cat.step(next).delay.sample(&mut sim.rng.steps[nc][nj]);
                sim.campaign(next).steps[nj] = StepStatus::Scheduled;
                sim.after(delay, ThreatEv::StepDue(next));
            }
        }
        Err(why) => {
            sim.campaign(s).steps[i] = StepStatus::Failed(now);
            sim.emit(CampaignRecord::StepFailed { step: s, why });
        }
    }
}

/// Exercise control stops campaign `c` (inject `inject`).
pub fn halt(sim: &mut Sim, c: CampaignIx, inject: InjectIx) {
    if sim.world.resource_mut::<Halted>().0.insert(c) {
        sim.emit(CampaignRecord::Halted {
            campaign: c,
            inject,
        });
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
        Effect::Intrusion { target, .. } => {
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
        Effect::Malware { seeds, .. } => {
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
        Effect::Sabotage { target, severity } => {
            if defended(sim.cat.nodes[target.i()].hardening) {
                return Err(Failure::Defended);
            }
            infra::damage(sim, *target, *severity, Cause::Sabotage(by));
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
        Effect::Leak { from, narrative } => {
            let stolen = sim
                .node_ref(*from)
                .footholds
                .iter()
                .any(|(o, _)| o.campaign().is_some() && o.campaign() == by.campaign());
            if !stolen {
                return Err(Failure::NothingStolen);
            }
            if roll >= success {
                return Err(Failure::Miscarried);
            }
            disinfo::launch(sim, *narrative, by);
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
