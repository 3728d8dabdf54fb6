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
//! let cat = Arc::new(pacesim::scenario::catalog::Catalog::compile(&loaded.scenario).unwrap());
//! let mut run = pacesim::exercise::Exercise::start(cat, 7);
//! run.run_until(pacesim::engine::SimTime(86_400));
//! println!("{} events on day one", run.model.log().len());
//! ```

pub mod control;
pub mod record;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{ScheduleLabel, SingleThreadedExecutor};

pub use control::{ControlEv, ControlRecord};
pub use record::{Ev, What};

use crate::engine::{EventQueue, Model, Priority, SimTime, Simulation};
use crate::infra::{self, InfraRecord};
use crate::log::{Context, Event};
use crate::opinion::{self, OpinionRecord};
use crate::response::{eu, national};
use crate::scenario::InjectTime;
use crate::scenario::catalog::{Catalog, InjectIx, Trigger};
use crate::threats::cbrn::{self, CbrnRecord, HospitalLoad};
use crate::threats::disinfo::{self, DisinfoRecord};
use crate::threats::{self, cyber};
use crate::world::{
    CatalogRes, Clock, Coordination, Deterrence, Index, Reports, Rngs, Sim, StepStatus,
};
use record::Outbox;

/// Seconds between updates of slow processes (casualties, narratives, trust).
pub const TICK: u64 = 3600;

pub struct Exercise {
    cat: Arc<Catalog>,
    world: World,
    hourly: Hourly,
    ix: Index,
    rng: Rngs,
    log: Vec<Event<What>>,
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
        world.init_resource::<Deterrence>();
        world.init_resource::<crate::world::Halted>();
        world.init_resource::<Coordination>();
        world.init_resource::<Clock>();
        world.insert_resource(CatalogRes(cat.clone()));
        world.init_resource::<Reports<CbrnRecord>>();
        world.init_resource::<Reports<HospitalLoad>>();
        world.init_resource::<Reports<DisinfoRecord>>();
        world.init_resource::<Reports<OpinionRecord>>();
        world.init_resource::<Reports<InfraRecord>>();
        world.insert_resource(infra::Totals::new(&cat));
        let ix = Index::populate(&mut world, &cat);
        let rng = Rngs::new(&cat, seed);
        let waiting_injects = cat
            .injects
            .iter()
            .enumerate()
            .filter(|(_, i)| i.when.is_some())
            .map(|(k, _)| InjectIx::at(k))
            .collect();
        let fired_injects = vec![false; cat.injects.len()];
        let ex = Exercise {
            cat,
            world,
            hourly: Hourly::new(),
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
    pub fn add_note(&mut self, text: String) -> u32 {
        self.notes.push(text);
        crate::engine::count_u32(self.notes.len() - 1)
    }

    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// What the log's records refer to, for describing them.
    pub fn context(&self) -> Context<'_> {
        Context::new(&self.cat, &self.notes)
    }

    /// Writes the log as `events.jsonl` to `w` (or `std::io::sink()` to only
    /// hash it); returns the sha256 of the bytes, the `log-hash`.
    pub fn write_log<W: std::io::Write>(&self, w: W) -> std::io::Result<String> {
        crate::log::jsonl::write_log(w, &self.context(), &self.log)
    }

    /// Decision points waiting for the players, oldest first.
    pub fn pending_decisions(&self) -> Vec<u32> {
        eu::pending(&self.world)
    }

    /// Has this inject fired already?
    pub fn inject_fired(&self, i: InjectIx) -> bool {
        self.fired_injects[i.i()]
    }

    /// Everything logged so far.
    pub fn log(&self) -> &[Event<What>] {
        &self.log
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn index(&self) -> &Index {
        &self.ix
    }

    /// Lends the world at `now` to `f`, with the log and `queue` as its bus.
    fn with_sim<R>(
        &mut self,
        queue: &mut EventQueue<Ev>,
        now: SimTime,
        f: impl FnOnce(&mut Sim) -> R,
    ) -> R {
        let mut out = Outbox {
            log: &mut self.log,
            queue,
        };
        let mut sim = Sim {
            now,
            cat: &self.cat,
            world: &mut self.world,
            ix: &mut self.ix,
            rng: &mut self.rng,
            bus: &mut out,
        };
        f(&mut sim)
    }

    fn begin(&mut self, queue: &mut EventQueue<Ev>) {
        let interactive = self.interactive;
        self.with_sim(queue, SimTime(0), |sim| {
            sim.emit(ControlRecord::ExerciseStart);
            threats::start(sim);
            eu::start(sim, interactive);
        });
        let cat = &self.cat;
        for (k, inj) in cat.injects.iter().enumerate() {
            if let InjectTime::Time(d) = inj.inject.at {
                queue.schedule_at(SimTime(d.0), Priority::URGENT, Ev::Inject(InjectIx::at(k)));
            }
        }
        queue.schedule_at(SimTime(TICK), Priority::LATE, Ev::Tick);
        queue.schedule_at(SimTime(cat.duration.0), Priority::LATE, Ev::End);
    }

    /// The hourly processes (see [`Hourly`]); what their systems report is
    /// logged after each stage, in the order the systems ran.
    fn tick(&mut self, queue: &mut EventQueue<Ev>, now: SimTime) {
        self.world.resource_mut::<Clock>().0 = now;
        // Without an incident the hospitals carry no load: nothing to run.
        if !self.ix.incidents.is_empty() {
            self.hourly.before_step.run(&mut self.world);
            self.with_sim(queue, now, |sim| {
                sim.emit_reports::<CbrnRecord>();
                cbrn::apply_hospital_load(sim);
            });
        }
        self.hourly.step.run(&mut self.world);
        self.with_sim(queue, now, |sim| {
            sim.emit_reports::<DisinfoRecord>();
            sim.emit_reports::<OpinionRecord>();
            sim.emit_reports::<InfraRecord>();
        });
        if now.0 + TICK <= self.cat.duration.0 {
            queue.schedule_in(TICK, Priority::LATE, Ev::Tick);
        }
    }
}

#[derive(ScheduleLabel, Clone, Debug, PartialEq, Eq, Hash)]
struct BeforeStep;

#[derive(ScheduleLabel, Clone, Debug, PartialEq, Eq, Hash)]
struct Step;

/// The hourly processes as bevy systems, in two chained stages on the
/// single-threaded executor (krABMaga's before-step and step):
/// - before the step, the course of every CBRN incident and the load on
///   hospitals, which the exercise then applies to the health sector;
/// - the step: narratives spread, trust moves (seeing this hour's
///   outages), and infrastructure service is sampled.
struct Hourly {
    before_step: Schedule,
    step: Schedule,
}

impl Hourly {
    fn new() -> Hourly {
        let mut before_step = Schedule::new(BeforeStep);
        before_step
            .set_executor(SingleThreadedExecutor::new())
            .add_systems((cbrn::course, cbrn::hospital_load).chain());
        let mut step = Schedule::new(Step);
        step.set_executor(SingleThreadedExecutor::new())
            .add_systems((disinfo::spread, opinion::trust, infra::sample).chain());
        Hourly { before_step, step }
    }
}

/// Shows a logged record to whoever reacts to it: national responders
/// first, then the EU and NATO mechanisms, then public opinion.
fn observe(sim: &mut Sim, what: &What) {
    match what {
        What::Cyber(r) => {
            national::on_cyber(sim, r);
            eu::on_cyber(sim, r);
            opinion::on_cyber(sim, r);
        }
        What::Cbrn(r) => {
            national::on_cbrn(sim, r);
            eu::on_cbrn(sim, r);
            opinion::on_cbrn(sim, r);
        }
        What::Disinfo(r) => {
            national::on_disinfo(sim, r);
            eu::on_disinfo(sim, r);
        }
        What::Infra(r) => {
            national::on_infra(sim, r);
            eu::on_infra(sim, r);
            opinion::on_infra(sim, r);
        }
        What::National(r) => {
            eu::on_national(sim, r);
            opinion::on_national(sim, r);
        }
        _ => {}
    }
}

/// What the CBRN incidents add up to, counted once for all the injects
/// that wait at one moment (rather than once per inject).
struct IncidentFacts {
    symptomatic: u64,
    identified: bool,
    confirmed: bool,
}

impl IncidentFacts {
    fn of(sim: &Sim) -> Self {
        let mut f = IncidentFacts {
            symptomatic: 0,
            identified: false,
            confirmed: false,
        };
        for i in sim.incidents() {
            f.symptomatic += u64::from(i.symptomatic_total);
            f.identified |= i.identified_at.is_some();
            f.confirmed |= i.confirmed_at.is_some();
        }
        f
    }
}

/// Does a conditional inject's condition hold now?
fn holds(sim: &Sim, facts: &IncidentFacts, t: &Trigger) -> bool {
    match *t {
        Trigger::NodeDown(n) => infra::is_lost(sim, n),
        Trigger::StepSucceeded(s) => {
            let e = sim.ix.campaigns[s.campaign.i()];
            sim.world
                .get::<crate::world::CampaignState>(e)
                .is_some_and(|c| matches!(c.steps[s.step as usize], StepStatus::Succeeded(_)))
        }
        Trigger::CasualtiesAbove(k) => facts.symptomatic > u64::from(k),
        Trigger::ReachAbove(n, share) => sim
            .narrative_ref(n)
            .countries
            .iter()
            .any(|c| c.reach > share),
        Trigger::TrustBelow(c, trust) => sim.nation_ref(c).trust < trust,
        // What the EU mechanisms have done (never, in a national-only run).
        Trigger::Ipcr(mode) => eu::state(sim).is_some_and(|st| st.ipcr.mode >= mode),
        Trigger::Solidarity => eu::state(sim).is_some_and(|st| !st.solidarity.is_empty()),
        Trigger::Attributed => eu::state(sim).is_some_and(|st| st.toolbox.attributed.is_some()),
        Trigger::RapidAlert => eu::state(sim).is_some_and(|st| !st.stratcom.alerted.is_empty()),
        Trigger::AgentIdentified => facts.identified,
        Trigger::AgentConfirmed => facts.confirmed,
    }
}

impl Model for Exercise {
    type Event = Ev;

    fn handle(&mut self, queue: &mut EventQueue<Ev>, now: SimTime, ev: Ev) {
        let mut fired = std::mem::take(&mut self.fired_injects);
        match ev {
            Ev::Start => self.begin(queue),
            Ev::Tick => self.tick(queue, now),
            Ev::Inject(i) => {
                self.with_sim(queue, now, |sim| control::fire_inject(sim, i, &mut fired))
            }
            Ev::Control(c) => self.with_sim(queue, now, |sim| control::act(sim, c, &mut fired)),
            Ev::End => self.with_sim(queue, now, |sim| sim.emit(ControlRecord::ExerciseEnd)),
            Ev::Threat(e) => self.with_sim(queue, now, |sim| threats::handle(sim, e)),
            Ev::Infra(e) => self.with_sim(queue, now, |sim| infra::handle(sim, e)),
            Ev::National(e) => self.with_sim(queue, now, |sim| national::handle(sim, e)),
            Ev::Eu(e) => self.with_sim(queue, now, |sim| eu::handle(sim, e)),
        }
        // Responders and the public react to what just happened, in log order.
        while self.observed < self.log.len() {
            let what = self.log[self.observed].what;
            self.with_sim(queue, now, |sim| observe(sim, &what));
            self.observed += 1;
        }
        // Conditional injects fire as soon as their condition holds, before
        // anything else at this instant.
        let mut waiting = std::mem::take(&mut self.waiting_injects);
        let due: Vec<InjectIx> = self.with_sim(queue, now, |sim| {
            let mut due = Vec::new();
            if waiting.is_empty() {
                return due;
            }
            let facts = IncidentFacts::of(sim);
            waiting.retain(|&i| {
                if fired[i.i()] {
                    return false;
                }
                let fire = sim.cat.injects[i.i()]
                    .when
                    .as_ref()
                    .is_some_and(|t| holds(sim, &facts, t));
                if fire {
                    due.push(i);
                }
                !fire
            });
            due
        });
        for i in due {
            queue.schedule_at(now, Priority::URGENT, Ev::Inject(i));
        }
        self.waiting_injects = waiting;
        self.fired_injects = fired;
    }
}
