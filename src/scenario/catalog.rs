//! The compiled, immutable form of a scenario: every reference resolved to an
//! index, every list in file order. One `Catalog` is shared (behind an `Arc`)
//! by every replication of a batch; mutable state lives in the ECS `World`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use petgraph::graph::{NodeIndex, UnGraph};

use crate::engine::{Dist, Duration};
use crate::scenario::resolve::Problems;
use crate::scenario::{self, ActorKind, Exploit, Scenario, Sector};

macro_rules! index_type {
    ($($name:ident),*) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            pub fn i(self) -> usize { self.0 as usize }
            /// The index of the `i`th entity of its list. The resolver
            /// refuses longer lists than `u32` positions, at their `line:col`.
            pub fn at(i: usize) -> Self {
                Self(u32::try_from(i).expect("the resolver keeps every list within u32 positions"))
            }
        }
    )*};
}
index_type!(
    CountryIx,
    ActorIx,
    NodeIx,
    EdgeIx,
    AudienceIx,
    NarrativeIx,
    CampaignIx,
    InjectIx,
    ObjectiveIx
);

impl StepRef {
    /// The `i`th step of `campaign`. The resolver refuses campaigns of more
    /// steps than `u16` positions, at their `line:col`.
    pub fn at(campaign: CampaignIx, i: usize) -> StepRef {
        StepRef {
            campaign,
            step: u16::try_from(i).expect("the resolver keeps campaigns within u16 steps"),
        }
    }
}

/// A step's place: campaign and position in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StepRef {
    pub campaign: CampaignIx,
    pub step: u16,
}

#[derive(Debug)]
pub struct Catalog {
    pub name: String,
    pub description: String,
    pub start: DateTime<Utc>,
    pub duration: Duration,
    pub default_seed: u64,
    pub playbooks: Vec<String>,
    pub countries: Vec<CountryDef>,
    pub actors: Vec<ActorDef>,
    pub nodes: Vec<NodeDef>,
    pub deps: Vec<DepDef>,
    /// Outgoing dependency edges of each node (as supplier), in file order.
    pub supplies: Vec<Vec<EdgeIx>>,
    /// Nodes of each country, in file order.
    pub country_nodes: Vec<Vec<NodeIx>>,
    /// Health-sector nodes of each country (hospital load acts on these hourly).
    pub health_nodes: Vec<Vec<NodeIx>>,
    /// The infrastructure graph without direction: the paths malware travels.
    pub network: UnGraph<NodeIx, EdgeIx>,
    pub audiences: Vec<AudienceDef>,
    pub narratives: Vec<NarrativeDef>,
    pub campaigns: Vec<CampaignDef>,
    pub injects: Vec<InjectDef>,
    pub objectives: Vec<ObjectiveDef>,
    /// The EU and NATO response the run's playbooks describe (none: national only).
    pub response: crate::playbook::Response,
}

#[derive(Debug)]
pub struct CountryDef {
    pub id: Arc<str>,
    /// The national CSIRT's name in the log, e.g. `EE-CSIRT`.
    pub csirt: Arc<str>,
    pub name: String,
    pub population: u64,
    pub eu: bool,
    pub nato: bool,
    /// Associated to the Digital Europe Programme (outside the EU).
    pub digital_europe: bool,
    pub trust: f64,
    pub caps: scenario::Capacities,
    pub resources: scenario::Resources,
}

#[derive(Debug)]
pub struct ActorDef {
    pub id: Arc<str>,
    pub name: String,
    pub kind: ActorKind,
}

#[derive(Debug)]
pub struct NodeDef {
    pub id: Arc<str>,
    pub name: String,
    pub sector: Sector,
    pub country: CountryIx,
    pub serves: u64,
    pub restore: Dist,
    pub hardening: f64,
    /// Manual operation after a cyber attack: (after, service).
    pub manual: Option<(Dist, f64)>,
    /// The other nodes of its operator, in node order (lateral movement).
    pub same_operator: Vec<NodeIx>,
}

#[derive(Debug)]
pub struct DepDef {
    pub supplier: NodeIx,
    pub dependent: NodeIx,
    pub delay: Duration,
    pub probability: f64,
}

#[derive(Debug)]
pub struct AudienceDef {
    pub id: Arc<str>,
    pub name: String,
    pub country: CountryIx,
    pub size: u64,
    pub susceptibility: f64,
    /// The community it belongs to (an index into the scenario's communities).
    pub community: Option<u32>,
}

#[derive(Debug)]
pub struct NarrativeDef {
    pub id: Arc<str>,
    pub title: String,
    pub audiences: Vec<AudienceIx>,
    /// Countries the narrative's audiences live in, sorted.
    pub countries: Vec<CountryIx>,
    pub virality: f64,
    pub seed_reach: f64,
    pub exploits: Vec<Exploit>,
}

#[derive(Debug)]
pub struct CampaignDef {
    pub id: Arc<str>,
    pub name: String,
    pub actor: ActorIx,
    pub start: Duration,
    pub steps: Vec<StepDef>,
}

#[derive(Debug)]
pub struct StepDef {
    pub id: Arc<str>,
    /// Index of the step this one waits for; `None`: the campaign start
    /// (unless it `follows` another campaign's step).
    pub after: Option<u16>,
    /// The step of another campaign this one waits for.
    pub follows: Option<StepRef>,
    /// The steps, of this campaign or others, that wait for this one, in
    /// campaign and step order.
    pub next: Vec<StepRef>,
    pub delay: Dist,
    pub success: f64,
    pub action: Effect,
    /// Certain, whatever the chance, defences or deterrence.
    pub premise: bool,
    /// Set in motion already: deterrence does not call it off.
    pub accident: bool,
    pub note: String,
}

/// A resolved [`Action`](scenario::Action): what a step or an inject does to the world.
#[derive(Clone, Debug)]
pub enum Effect {
    Intrusion {
        target: NodeIx,
        /// How long the foothold has been in place, undetected, when the step succeeds.
        since: Duration,
    },
    Disrupt {
        target: NodeIx,
        severity: f64,
    },
    Sabotage {
        target: NodeIx,
        severity: f64,
    },
    /// Malware from inside the systems of `seeds`, spreading along links.
    Malware {
        kind: Malware,
        seeds: Vec<NodeIx>,
        spread: f64,
        hop_delay: Dist,
        max_nodes: u32,
        /// A scanning worm's targets and probes per node; `None`: it
        /// follows infrastructure links.
        scan: Option<(Vec<NodeIx>, u32)>,
    },
    ElectionAttack {
        target: NodeIx,
        severity: f64,
        leak: Option<NarrativeIx>,
    },
    Release {
        country: CountryIx,
        site: Option<NodeIx>,
        agent: AgentKind,
        agent_name: String,
        exposed: u32,
        severe: f64,
        lethality: f64,
        moderate: f64,
        /// People not exposed who queue for decontamination or monitoring.
        worried_well: u32,
        /// Time to suspicion at a telling scene, in place of the agent's own.
        suspected: Option<Dist>,
    },
    Narrative(NarrativeIx),
    Leak {
        from: NodeIx,
        narrative: NarrativeIx,
    },
    Amplify {
        narrative: NarrativeIx,
        factor: f64,
        duration: Duration,
    },
}

/// What malware does to the systems it reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Malware {
    /// Destroys them: rebuilt, not restored (NotPetya).
    Wiper,
    /// Encrypts them: restored from backups (WannaCry, the NHS in 2017).
    Ransomware,
}

impl Malware {
    pub fn name(self) -> &'static str {
        match self {
            Malware::Wiper => "wiper",
            Malware::Ransomware => "ransomware",
        }
    }
}

/// What kind of agent a release spreads: each has its own course,
/// identification and persistence ([`crate::threats::cbrn::profile`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentKind {
    /// A chemical agent the laboratories must first find out.
    Chemical,
    /// A toxic industrial chemical such as chlorine or ammonia.
    IndustrialChemical,
    /// A nerve agent that disperses within hours (sarin).
    VolatileNerveAgent,
    /// A nerve agent that stays on surfaces for months (Novichok, VX).
    PersistentNerveAgent,
    Biological,
    Radiological,
}

/// The threat domain a step belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ThreatDomain {
    Cyber,
    Cbrn,
    Disinfo,
    /// Physical sabotage of infrastructure.
    Physical,
}

impl Effect {
    pub fn domain(&self) -> ThreatDomain {
        match self {
            Effect::Intrusion { .. }
            | Effect::Disrupt { .. }
            | Effect::Malware { .. }
            | Effect::ElectionAttack { .. } => ThreatDomain::Cyber,
            Effect::Release { .. } => ThreatDomain::Cbrn,
            Effect::Sabotage { .. } => ThreatDomain::Physical,
            Effect::Narrative(_) | Effect::Leak { .. } | Effect::Amplify { .. } => {
                ThreatDomain::Disinfo
            }
        }
    }
}

#[derive(Debug)]
pub struct InjectDef {
    pub inject: scenario::Inject,
    pub when: Option<Trigger>,
    pub objective: Option<ObjectiveIx>,
    pub effect: Option<Effect>,
    /// What exercise control does itself when the inject fires.
    pub control: Option<ControlAct>,
}

/// What exercise control does itself when an inject fires (an inject-only
/// action: [`scenario::Action::Decide`], [`scenario::Action::Halt`]).
#[derive(Clone, Copy, Debug)]
pub enum ControlAct {
    /// Takes a decision.
    Decide(Decision),
    /// Stops a campaign.
    Halt(CampaignIx),
}

/// A decision exercise control takes ([`scenario::Scripted`]), resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Solidarity(CountryIx),
    UcpmRequest(CountryIx, crate::playbook::Need),
    /// A state asks the EU Cybersecurity Reserve for teams.
    CyberReserveRequest(CountryIx),
    /// A state asks for an EU Hybrid Rapid Response Team.
    HrrtRequest(CountryIx),
    /// IPCR raised to information sharing or full activation.
    Ipcr(crate::playbook::IpcrMode),
    Attribution,
    RestrictiveMeasures,
}

/// A resolved inject [`Condition`](scenario::Condition).
#[derive(Clone, Copy, Debug)]
pub enum Trigger {
    NodeDown(NodeIx),
    StepSucceeded(StepRef),
    CasualtiesAbove(u32),
    ReachAbove(NarrativeIx, f64),
    TrustBelow(CountryIx, f64),
    Ipcr(crate::playbook::IpcrMode),
    Solidarity,
    Attributed,
    RapidAlert,
    AgentIdentified,
    AgentConfirmed,
}

#[derive(Debug)]
pub struct ObjectiveDef {
    pub id: Arc<str>,
    pub title: String,
    pub description: String,
    pub criterion: Measure,
}

impl Measure {
    /// What the criterion measures, in a word (for reports' root causes).
    pub fn kind(&self) -> &'static str {
        match self {
            Measure::DetectWithin { .. } => "detect",
            Measure::RestoreWithin { .. } => "restore",
            Measure::ServiceLossBelow { .. } => "service_loss",
            Measure::IdentifyWithin { .. } => "identify",
            Measure::CasualtiesBelow { .. } => "casualties",
            Measure::TrustAbove { .. } => "trust",
            Measure::ReachBelow { .. } => "reach",
        }
    }
}

/// The nodes an objective is about: those of a sector, of a country and
/// among named nodes, each where given.
#[derive(Clone, Debug)]
pub struct NodeSet {
    pub sector: Option<Sector>,
    pub country: Option<CountryIx>,
    /// Sorted.
    pub nodes: Option<Vec<NodeIx>>,
}

impl NodeSet {
    pub fn contains(&self, cat: &Catalog, n: NodeIx) -> bool {
        let d = &cat.nodes[n.i()];
        self.sector.is_none_or(|s| s == d.sector)
            && self.country.is_none_or(|c| c == d.country)
            && self
                .nodes
                .as_ref()
                .is_none_or(|v| v.binary_search(&n).is_ok())
    }
}

/// A resolved objective [`Criterion`](scenario::Criterion).
#[derive(Clone, Debug)]
pub enum Measure {
    DetectWithin {
        campaign: CampaignIx,
        within: Duration,
    },
    RestoreWithin {
        of: NodeSet,
        within: Duration,
    },
    ServiceLossBelow {
        of: NodeSet,
        node_hours: f64,
    },
    IdentifyWithin {
        within: Duration,
    },
    CasualtiesBelow {
        deaths: u32,
    },
    TrustAbove {
        country: CountryIx,
        trust: f64,
    },
    ReachBelow {
        narrative: NarrativeIx,
        share: f64,
    },
}

impl Catalog {
    /// Resolves a parsed scenario: every id becomes an index. A problem names
    /// the path of the value at fault; [`crate::scenario::LoadedScenario::compile`]
    /// shows it at its `file:line:col`. The rules are in [`crate::scenario::resolve`].
    pub fn compile(s: &Scenario) -> Result<Catalog, Problems> {
        crate::scenario::resolve::resolve(s)
    }

    /// Neighbours of a node in the infrastructure network, sorted by index
    /// so that spread never depends on the graph's internal order.
    pub fn neighbours(&self, n: NodeIx) -> Vec<NodeIx> {
        let mut v: Vec<NodeIx> = self
            .network
            .neighbors(NodeIndex::new(n.i()))
            .map(|x| self.network[x])
            .collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn step(&self, s: StepRef) -> &StepDef {
        &self.campaigns[s.campaign.i()].steps[s.step as usize]
    }
}

/// Who caused a threat effect: a campaign step, or exercise control through an inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    Step(StepRef),
    Inject(InjectIx),
}

impl Origin {
    pub fn campaign(self) -> Option<CampaignIx> {
        match self {
            Origin::Step(s) => Some(s.campaign),
            Origin::Inject(_) => None,
        }
    }

    /// Steps of one campaign (or the same inject) count as one threat.
    pub fn same_threat(self, other: Origin) -> bool {
        self == other || (self.campaign().is_some() && self.campaign() == other.campaign())
    }
}

impl Catalog {
    /// Effects of one actor's campaigns (or of the same inject): the same
    /// tooling and infrastructure, so one's indicators find the others.
    pub fn same_actor(&self, a: Origin, b: Origin) -> bool {
        a.same_threat(b)
            || matches!((a.campaign(), b.campaign()), (Some(x), Some(y))
                if self.campaigns[x.i()].actor == self.campaigns[y.i()].actor)
    }
}

impl Catalog {
    /// The effect behind an origin: a step's action or an inject's effect.
    pub fn effect_of(&self, by: Origin) -> Option<&Effect> {
        match by {
            Origin::Step(s) => Some(&self.step(s).action),
            Origin::Inject(i) => self.injects[i.i()].effect.as_ref(),
        }
    }

    /// A stable name for an origin, used to name random streams.
    pub fn origin_key(&self, by: Origin) -> String {
        match by {
            Origin::Step(s) => format!("{}/{}", self.campaigns[s.campaign.i()].id, self.step(s).id),
            Origin::Inject(i) => format!("inject/{}", self.injects[i.i()].inject.number),
        }
    }
}
