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
use crate::world::catalog::{Catalog, InjectIx, Trigger};
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
    seed: u64,
}

impl Exercise {
    /// A fresh exercise on `cat` with `seed`, ready to run.
    pub fn start(cat: Arc<Catalog>, seed: u64) -> Simulation<Exercise> {
        let mut world = World::new();
        world.init_resource::<cyber::WiperHits>();
        let ix = Index::populate(&mut world, &cat);
        let rng = Rngs::new(&cat, seed);
        let waiting_injects = cat
            .injects
            .iter()
            .enumerate()
            .filter(|(_, i)| i.when.is_some())
            .map(|(k, _)| InjectIx(k as u32))
            .collect();
        let ex = Exercise {
            cat,
            world,
            ix,
            rng,
            log: Vec::with_capacity(8192),
            observed: 0,
            waiting_injects,
            seed,
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

    fn begin(sim: &mut Sim) {
        let cat = sim.cat;
        sim.emit(What::ExerciseStart);
        threats::start(sim);
        response::eu::start(sim);
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

    fn tick(sim: &mut Sim) {
        threats::cbrn::hourly(sim);
        disinfo::hourly(sim);
        infra::sample(sim, sim.now.0.is_multiple_of(6 * TICK));
        if sim.now.0 + TICK <= sim.cat.duration.0 {
            sim.queue.schedule_in(TICK, Priority::LATE, Ev::Tick);
        }
    }

    fn fire_inject(sim: &mut Sim, i: InjectIx) {
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
        let mut k = self.observed;
        let mut sim = self.sim(queue, now);
        match ev {
            Ev::Start => Exercise::begin(&mut sim),
            Ev::StepDue(s) => threats::step_due(&mut sim, s),
            Ev::WiperHop { by, node, hop } => cyber::hop(&mut sim, by, node, hop),
            Ev::SupplyCheck(e) => infra::supply_check(&mut sim, e),
            Ev::SupplyBack(e) => infra::supply_back(&mut sim, e),
            Ev::Tick => Exercise::tick(&mut sim),
            Ev::AmplificationEnds { narrative, factor } => {
                disinfo::amplification_ends(&mut sim, narrative, factor)
            }
            Ev::Inject(i) => Exercise::fire_inject(&mut sim, i),
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
    }
}
