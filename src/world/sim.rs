//! The context every model function works in: the world, the queue, the
//! catalog, the random streams and the log, at one instant.

use bevy_ecs::prelude::*;
use bevy_ecs::world::Mut;

use super::catalog::{Catalog, CountryIx, EdgeIx, InjectIx, NarrativeIx, NodeIx, StepRef};
use super::{CampaignState, Incident, Index, InfraState, NarrativeState, Nation};
use crate::engine::{Duration, EventQueue, Priority, RngStreams, SimRng, SimTime};
use crate::log::{Event, Origin, What};
use crate::response::ResponseEv;

/// What the exercise schedules on the event queue.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    Start,
    /// A campaign step's time has come.
    StepDue(StepRef),
    /// Wiper malware reaches a neighbouring node.
    WiperHop {
        by: Origin,
        node: NodeIx,
        hop: u16,
    },
    /// A dependent's backup runs out: does the supplier's failure take it down?
    SupplyCheck(EdgeIx),
    /// A supplier is back: the dependent resynchronises.
    SupplyBack(EdgeIx),
    /// Hourly update of slow processes (casualties, narratives, trust) and samples.
    Tick,
    AmplificationEnds {
        narrative: NarrativeIx,
        factor: f64,
    },
    Inject(InjectIx),
    /// An exercise controller's action, applied at once (never queued).
    Control(crate::exercise::ControlEv),
    /// A responder's own scheduled action.
    Response(ResponseEv),
    End,
}

/// Random streams, one per consumer, derived from the run seed and a stable name.
pub struct Rngs {
    /// One per campaign step: the attacker's draws.
    pub steps: Vec<Vec<SimRng>>,
    /// One per node: its backups holding or failing. Made on first use:
    /// most nodes of a large network never need one, and a stream depends
    /// only on its name, so when it is made changes nothing.
    pub infra: Vec<Option<SimRng>>,
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
}

/// The world at one instant, lent to model and responder functions.
pub struct Sim<'a> {
    pub now: SimTime,
    pub cat: &'a Catalog,
    pub world: &'a mut World,
    pub ix: &'a mut Index,
    pub queue: &'a mut EventQueue<Ev>,
    pub rng: &'a mut Rngs,
    pub log: &'a mut Vec<Event>,
}

impl Sim<'_> {
    /// Records an event at the current time.
    pub fn emit(&mut self, what: What) {
        self.log.push(Event { t: self.now, what });
    }

    pub fn after(&mut self, delay: Duration, ev: Ev) {
        self.queue.schedule_in(delay.0, Priority::NORMAL, ev);
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

    pub fn incident(&mut self, id: u16) -> Mut<'_, Incident> {
        self.world
            .get_mut::<Incident>(self.ix.incidents[id as usize])
            .expect("incident ids index the incident list")
    }
}
