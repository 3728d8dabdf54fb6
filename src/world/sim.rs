//! The context every model function works in: the world, the catalog, the
//! random streams, and the [`Bus`] that takes what it logs and schedules, at
//! one instant.

use std::any::Any;

use bevy_ecs::prelude::*;
use bevy_ecs::world::Mut;

use super::{CampaignState, Incident, Index, InfraState, NarrativeState, Nation};
use crate::engine::{Duration, Priority, RngStreams, SimRng, SimTime};
use crate::log::Record;
use crate::scenario::catalog::{
    CampaignIx, Catalog, CountryIx, EdgeIx, NarrativeIx, NodeIx, StepRef,
};

/// Random streams, one per consumer, derived from the run seed and a stable name.
pub struct Rngs {
    /// One per campaign step: the attacker's draws.
    pub steps: Vec<Vec<SimRng>>,
    /// One per node: its backups holding or failing. Made on first use:
    /// most nodes of a large network never need one, and a stream depends
    /// only on its name, so when it is made changes nothing.
    pub infra: Vec<Option<SimRng>>,
    /// One per dependency edge: whether the dependent's backup holds each
    /// time the supplier is down, drawn in the same order in any two runs
    /// of a seed however often other edges of the node were tested
    /// (common random numbers between playbooks). Made on first use.
    pub edges: Vec<Option<SimRng>>,
    /// Responders' streams per node and kind of work (see [`Rngs::at_node`]).
    pub per_node: std::collections::BTreeMap<(&'static str, NodeIx), SimRng>,
    /// National responders, one per country and service.
    pub csirt: Vec<SimRng>,
    pub civil: Vec<SimRng>,
    pub health: Vec<SimRng>,
    pub comms: Vec<SimRng>,
    /// Injects' effects.
    pub control: SimRng,
    pub streams: RngStreams,
}

impl Rngs {
    pub fn new(cat: &Catalog, seed: u64) -> Self {
        let s = RngStreams::new(seed);
        let per_country = |svc: &str| {
            cat.countries
                .iter()
                .map(|c| s.stream(&format!("national/{}/{svc}", c.id)))
                .collect()
        };
        Rngs {
            steps: cat
                .campaigns
                .iter()
                .map(|c| {
                    c.steps
                        .iter()
                        .map(|st| s.stream(&format!("campaign/{}/{}", c.id, st.id)))
                        .collect()
                })
                .collect(),
            infra: vec![None; cat.nodes.len()],
            edges: vec![None; cat.deps.len()],
            per_node: Default::default(),
            csirt: per_country("csirt"),
            civil: per_country("civil"),
            health: per_country("health"),
            comms: per_country("comms"),
            control: s.stream("control"),
            streams: s,
        }
    }
}

impl Rngs {
    /// Node `n`'s stream (see [`Rngs::infra`]).
    pub fn infra(&mut self, cat: &Catalog, n: NodeIx) -> &mut SimRng {
        let streams = &self.streams;
        self.infra[n.i()]
            .get_or_insert_with(|| streams.stream(&format!("infra/{}", cat.nodes[n.i()].id)))
    }

    /// The stream of one thing responders do again and again at one node
    /// (`what` is e.g. `"csirt"`, `"repair"`): the k-th draw for that node
    /// is the same in any two runs of a seed, however the country's other
    /// work went. Made on first use.
    pub fn at_node(&mut self, cat: &Catalog, what: &'static str, n: NodeIx) -> &mut SimRng {
        let streams = &self.streams;
        self.per_node
            .entry((what, n))
            .or_insert_with(|| streams.stream(&format!("{what}/{}", cat.nodes[n.i()].id)))
    }

    /// Dependency edge `e`'s stream (see [`Rngs::edges`]).
    pub fn edge(&mut self, cat: &Catalog, e: EdgeIx) -> &mut SimRng {
        let streams = &self.streams;
        self.edges[e.i()].get_or_insert_with(|| {
            let d = &cat.deps[e.i()];
            streams.stream(&format!(
                "infra/{}->{}",
                cat.nodes[d.supplier.i()].id,
                cat.nodes[d.dependent.i()].id
            ))
        })
    }
}

/// Where the rooms of the model send what they log and what they schedule.
///
/// The exercise owns the log and the event queue, and it alone knows every
/// room's record and event types; a room knows only its own. So a room
/// hands its values over as `&dyn Any`, and the exercise, which gathers all
/// types into its log and queue types, takes them in.
pub trait Bus {
    /// Appends `record` to the log at time `t`.
    fn record(&mut self, t: SimTime, record: &dyn Any);
    /// Schedules a room's `event` at `at` (never before now).
    fn schedule(&mut self, at: SimTime, priority: Priority, event: &dyn Any);
}

/// The world at one instant, lent to model and responder functions.
pub struct Sim<'a> {
    pub now: SimTime,
    pub cat: &'a Catalog,
    pub world: &'a mut World,
    pub ix: &'a mut Index,
    pub rng: &'a mut Rngs,
    pub bus: &'a mut dyn Bus,
}

impl Sim<'_> {
    /// Logs a record at the current time.
    pub fn emit<R: Record>(&mut self, record: R) {
        self.bus.record(self.now, &record);
    }

    /// Logs what a system reported (see [`super::Reports`]), in its order.
    pub fn emit_reports<R: Record + Send + Sync>(&mut self) {
        let mut reports = std::mem::take(&mut self.world.resource_mut::<super::Reports<R>>().0);
        for r in reports.drain(..) {
            self.emit(r);
        }
        // Hand the buffer back, to be filled again without allocating.
        self.world.resource_mut::<super::Reports<R>>().0 = reports;
    }

    /// Schedules a room's event `delay` from now.
    pub fn after<E: Copy + 'static>(&mut self, delay: Duration, event: E) {
        self.at(self.now.plus(delay), Priority::NORMAL, event);
    }

    /// Schedules a room's event at `t` with `priority`.
    pub fn at<E: Copy + 'static>(&mut self, t: SimTime, priority: Priority, event: E) {
        self.bus.schedule(t, priority, &event);
    }

    pub fn node(&mut self, n: NodeIx) -> Mut<'_, InfraState> {
        self.world
            .get_mut::<InfraState>(self.ix.nodes[n.i()])
            .expect("every node has an entity")
    }

    pub fn node_ref(&self, n: NodeIx) -> &InfraState {
        self.world
            .get::<InfraState>(self.ix.nodes[n.i()])
            .expect("every node has an entity")
    }

    pub fn nation(&mut self, c: CountryIx) -> Mut<'_, Nation> {
        self.world
            .get_mut::<Nation>(self.ix.nations[c.i()])
            .expect("every country has an entity")
    }

    pub fn nation_ref(&self, c: CountryIx) -> &Nation {
        self.world
            .get::<Nation>(self.ix.nations[c.i()])
            .expect("every country has an entity")
    }

    pub fn narrative(&mut self, n: NarrativeIx) -> Mut<'_, NarrativeState> {
        self.world
            .get_mut::<NarrativeState>(self.ix.narratives[n.i()])
            .expect("every narrative has an entity")
    }

    pub fn narrative_ref(&self, n: NarrativeIx) -> &NarrativeState {
        self.world
            .get::<NarrativeState>(self.ix.narratives[n.i()])
            .expect("every narrative has an entity")
    }

    pub fn campaign(&mut self, s: StepRef) -> Mut<'_, CampaignState> {
        self.world
            .get_mut::<CampaignState>(self.ix.campaigns[s.campaign.i()])
            .expect("every campaign has an entity")
    }

    pub fn campaign_ref(&self, c: CampaignIx) -> &CampaignState {
        self.world
            .get::<CampaignState>(self.ix.campaigns[c.i()])
            .expect("every campaign has an entity")
    }

    /// Every CBRN incident so far, in the order they were opened.
    pub fn incidents(&self) -> impl Iterator<Item = &Incident> {
        self.ix
            .incidents
            .iter()
            .map(|&e| self.world.get::<Incident>(e).expect("incident entity"))
    }

    pub fn incident(&mut self, id: u32) -> Mut<'_, Incident> {
        self.world
            .get_mut::<Incident>(self.ix.incidents[id as usize])
            .expect("incident ids index the incident list")
    }
}
