//! An exercise: a scenario's world played forward on the event queue.
//!
//! [`Exercise`] is the [`Model`] the engine drives. Each event is handled by
//! the model that owns it (threats, infrastructure, responders); every event
//! it logs is then shown to the responders and to public opinion, and
//! conditional injects are checked, before the next event fires.
//!
//! ```no_run
//! use std::sync::Arc;
//! let loaded = pacesim::scenario::default_scenario().unwrap();
//! let cat = Arc::new(pacesim::world::catalog::Catalog::compile(&loaded.scenario).unwrap());
//! let mut run = pacesim::exercise::Exercise::start(cat, 7);
//! run.run_until(pacesim::engine::SimTime(86_400));
//! println!("{} events on day one", run.model.log().len());
//! ```

pub mod metrics;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::engine::{EventQueue, Model, Priority, SimTime, Simulation};
use crate::infra;
use crate::log::{Event, Origin, What};
use crate::response;
use crate::scenario::InjectTime;
use crate::threats::{self, cyber, disinfo};
use crate::world::catalog::{Catalog, InjectIx, StepRef, Trigger};
use crate::world::{Ev, Incident, Index, Rngs, Sim, StepStatus};

/// Seconds between updates of slow processes (casualties, narratives, trust).
pub const TICK: u64 = 3600;

pub struct Exercise {
    cat: Arc<Catalog>,
    world: World,
    ix: Index,
    rng: Rngs,
    log: Vec<Event>,
    /// Log entries already shown to responders.
    observed: usize,
    /// Conditional injects that have not fired yet, in MSEL order.
    waiting_injects: Vec<InjectIx>,
    /// Injects already fired (on time, on condition or by the controller).
    fired_injects: Vec<bool>,
    seed: u64,
    /// Driven from the dashboard: decisions wait for the players.
    interactive: bool,
    /// Texts of controller notes and ad-hoc injects, indexed by their log entries.
    notes: Vec<String>,
}

/// What the controller does to the running exercise (see `crate::control`).
#[derive(Clone, Copy, Debug)]
pub enum ControlEv {
    /// Fire an MSEL inject now, whatever its time or condition.
    FireInject(InjectIx),
    /// Play a campaign step's action now, as the simulation cell (an ad-hoc inject).
    AdHoc { step: StepRef, note: u16 },
    /// The players answer a decision point (`None`: its time-out applies the playbook's policy).
    Decide {
        decision: u16,
        approve: Option<bool>,
    },
    /// A controller's note for the record.
    Note(u16),
}

impl Exercise {
    /// A fresh exercise on `cat` with `seed`, ready to run.
    pub fn start(cat: Arc<Catalog>, seed: u64) -> Simulation<Exercise> {
        Exercise::start_with(cat, seed, false)
    }

    /// A fresh exercise; `interactive` when players decide at the dashboard.
    pub fn start_with(cat: Arc<Catalog>, seed: u64, interactive: bool) -> Simulation<Exercise> {
        let mut world = World::new();
        world.init_resource::<cyber::WiperHits>();
        world.init_resource::<cyber::FootholdNodes>();
        world.insert_resource(infra::Totals::new(&cat));
        let ix = Index::populate(&mut world, &cat);
        let rng = Rngs::new(&cat, seed);
        let waiting_injects = cat
            .injects
            .iter()
            .enumerate()
            .filter(|(_, i)| i.when.is_some())
            .map(|(k, _)| InjectIx(k as u32))
            .collect();
        let fired_injects = vec![false; cat.injects.len()];
        let ex = Exercise {
            cat,
            world,
            ix,
            rng,
            log: Vec::with_capacity(8192),
            observed: 0,
            waiting_injects,
            fired_injects,
            seed,
            interactive,
            notes: Vec::new(),
        };
        let mut sim = Simulation::new(ex);
        sim.queue
            .schedule_at(SimTime(0), Priority::URGENT, Ev::Start);
        sim
    }

    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.cat
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Keeps a note's text; its log entry refers to it by number.
    pub fn add_note(&mut self, text: String) -> u16 {
        self.notes.push(text);
        (self.notes.len() - 1) as u16
    }

    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Decision points waiting for the players, oldest first.
    pub fn pending_decisions(&self) -> Vec<u16> {
        response::eu::pending(&self.world)
    }

    /// Has this inject fired already?
    pub fn inject_fired(&self, i: InjectIx) -> bool {
        self.fired_injects[i.i()]
    }

    /// Everything logged so far.
    pub fn log(&self) -> &[Event] {
        &self.log
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn index(&self) -> &Index {
        &self.ix
    }

    /// Closes running tallies at `now` without logging anything, so a run
    /// stopped early has the same log as the full run up to that time.
    pub fn settle(&mut self, queue: &mut EventQueue<Ev>, now: SimTime) {
        let mut sim = self.sim(queue, now);
        infra::settle(&mut sim);
    }

    fn sim<'a>(&'a mut self, queue: &'a mut EventQueue<Ev>, now: SimTime) -> Sim<'a> {
        Sim {
            now,
            cat: &self.cat,
            world: &mut self.world,
            ix: &mut self.ix,
            queue,
            rng: &mut self.rng,
            log: &mut self.log,
        }
    }

    fn begin(sim: &mut Sim, interactive: bool) {
        let cat = sim.cat;
        sim.emit(What::ExerciseStart);
        threats::start(sim);
        response::eu::start(sim, interactive);
        for (k, inj) in cat.injects.iter().enumerate() {
            if let InjectTime::Time(d) = inj.inject.at {
                sim.queue.schedule_at(
                    SimTime(d.0),
                    Priority::URGENT,
                    Ev::Inject(InjectIx(k as u32)),
                );
            }
        }
        sim.queue
            .schedule_at(SimTime(TICK), Priority::LATE, Ev::Tick);
        sim.queue
            .schedule_at(SimTime(cat.duration.0), Priority::LATE, Ev::End);
    }

    fn control(sim: &mut Sim, c: ControlEv, fired: &mut [bool]) {
        match c {
            ControlEv::FireInject(i) => Exercise::fire_inject(sim, i, fired),
            ControlEv::AdHoc { step, note } => {
                sim.emit(What::AdHocInject { step, note });
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
            ControlEv::Decide { decision, approve } => response::eu::answer(sim, decision, approve),
            ControlEv::Note(n) => sim.emit(What::ControllerNote { note: n }),
        }
    }

    fn tick(sim: &mut Sim) {
        threats::cbrn::hourly(sim);
        disinfo::hourly(sim);
        infra::sample(sim, sim.now.0.is_multiple_of(6 * TICK));
        if sim.now.0 + TICK <= sim.cat.duration.0 {
            sim.queue.schedule_in(TICK, Priority::LATE, Ev::Tick);
        }
    }

    fn fire_inject(sim: &mut Sim, i: InjectIx, fired: &mut [bool]) {
        // Each inject goes out once: the controller may have sent it early.
        if std::mem::replace(&mut fired[i.i()], true) {
            return;
        }
        let cat = sim.cat;
        sim.emit(What::InjectFired { inject: i });
        if let Some(effect) = &cat.injects[i.i()].effect {
            // Exercise control's effects happen as written (a roll of zero beats
            // any defence), unless defenders already shut the way.
            let _ = threats::apply(sim, effect, Origin::Inject(i), 1.0, 0.0);
        }
    }
}

/// Does a conditional inject's condition hold now?
fn holds(sim: &Sim, t: &Trigger) -> bool {
    match *t {
        Trigger::NodeDown(n) => infra::is_lost(sim, n),
        Trigger::StepSucceeded(s) => {
            let e = sim.ix.campaigns[s.campaign.i()];
            sim.world
                .get::<crate::world::CampaignState>(e)
                .is_some_and(|c| matches!(c.steps[s.step as usize], StepStatus::Succeeded(_)))
        }
        Trigger::CasualtiesAbove(k) => {
            sim.ix
                .incidents
                .iter()
                .filter_map(|e| sim.world.get::<Incident>(*e))
                .map(|i| i.symptomatic_total as u64)
                .sum::<u64>()
                > k as u64
        }
        Trigger::ReachAbove(n, share) => sim
            .narrative_ref(n)
            .countries
            .iter()
            .any(|c| c.reach > share),
        Trigger::TrustBelow(c, trust) => sim.nation_ref(c).trust < trust,
    }
}

impl Model for Exercise {
    type Event = Ev;

    fn handle(&mut self, queue: &mut EventQueue<Ev>, now: SimTime, ev: Ev) {
        let mut waiting = std::mem::take(&mut self.waiting_injects);
        let mut fired = std::mem::take(&mut self.fired_injects);
        let mut k = self.observed;
        let interactive = self.interactive;
        let mut sim = self.sim(queue, now);
        match ev {
            Ev::Start => Exercise::begin(&mut sim, interactive),
            Ev::StepDue(s) => threats::step_due(&mut sim, s),
            Ev::WiperHop { by, node, hop } => cyber::hop(&mut sim, by, node, hop),
            Ev::SupplyCheck(e) => infra::supply_check(&mut sim, e),
            Ev::SupplyBack(e) => infra::supply_back(&mut sim, e),
            Ev::Tick => Exercise::tick(&mut sim),
            Ev::AmplificationEnds { narrative, factor } => {
                disinfo::amplification_ends(&mut sim, narrative, factor)
            }
            Ev::Inject(i) => Exercise::fire_inject(&mut sim, i, &mut fired),
            Ev::Control(c) => Exercise::control(&mut sim, c, &mut fired),
            Ev::Response(r) => response::handle(&mut sim, r),
            Ev::End => sim.emit(What::ExerciseEnd),
        }
        // Responders and the public react to what just happened, in log order.
        while k < sim.log.len() {
            let e = sim.log[k];
            response::observe(&mut sim, &e);
            disinfo::on_event(&mut sim, &e);
            k += 1;
        }
        // Conditional injects fire as soon as their condition holds, before anything else at this instant.
        waiting.retain(|&i| {
            if fired[i.i()] {
                return false;
            }
            let fire = sim.cat.injects[i.i()]
                .when
                .as_ref()
                .is_some_and(|t| holds(&sim, t));
            if fire {
                sim.queue.schedule_at(now, Priority::URGENT, Ev::Inject(i));
            }
            !fire
        });
        self.observed = k;
        self.waiting_injects = waiting;
        self.fired_injects = fired;
    }
}
