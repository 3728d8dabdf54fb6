//! The compiled, immutable form of a scenario: every reference resolved to an
//! index, every list in file order. One `Catalog` is shared (behind an `Arc`)
//! by every replication of a batch; mutable state lives in the ECS `World`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use petgraph::graph::{NodeIndex, UnGraph};

use crate::engine::{Dist, Duration};
use crate::scenario::{
    self, Action, ActorKind, Condition, Criterion, Exploit, InjectTime, Scenario, Sector,
};

macro_rules! index_type {
    ($($name:ident),*) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            pub fn i(self) -> usize { self.0 as usize }
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
    /// Index of the step this one waits for; `None`: the campaign start.
    pub after: Option<u16>,
    pub delay: Dist,
    pub success: f64,
    pub action: Effect,
    pub note: String,
}

/// A resolved [`Action`]: what a step or an inject does to the world.
#[derive(Clone, Debug)]
pub enum Effect {
    Intrusion {
        target: NodeIx,
    },
    Disrupt {
        target: NodeIx,
        severity: f64,
    },
    Wiper {
        seeds: Vec<NodeIx>,
        spread: f64,
        hop_delay: Dist,
        max_nodes: u32,
    },
    ElectionAttack {
        target: NodeIx,
        severity: f64,
        leak: Option<NarrativeIx>,
    },
    Release {
        country: CountryIx,
        site: Option<NodeIx>,
        agent: AgentClass,
        agent_name: String,
        exposed: u32,
        severe: f64,
        lethality: f64,
    },
    Narrative(NarrativeIx),
    Amplify {
        narrative: NarrativeIx,
        factor: f64,
        duration: Duration,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentClass {
    Chemical,
    Biological,
    Radiological,
}

/// The threat domain a step belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ThreatDomain {
    Cyber,
    Cbrn,
    Disinfo,
}

impl Effect {
    pub fn domain(&self) -> ThreatDomain {
        match self {
            Effect::Intrusion { .. }
            | Effect::Disrupt { .. }
            | Effect::Wiper { .. }
            | Effect::ElectionAttack { .. } => ThreatDomain::Cyber,
            Effect::Release { .. } => ThreatDomain::Cbrn,
            Effect::Narrative(_) | Effect::Amplify { .. } => ThreatDomain::Disinfo,
        }
    }
}

#[derive(Debug)]
pub struct InjectDef {
    pub inject: scenario::Inject,
    pub when: Option<Trigger>,
    pub objective: Option<ObjectiveIx>,
    pub effect: Option<Effect>,
}

/// A resolved inject [`Condition`].
#[derive(Clone, Copy, Debug)]
pub enum Trigger {
    NodeDown(NodeIx),
    StepSucceeded(StepRef),
    CasualtiesAbove(u32),
    ReachAbove(NarrativeIx, f64),
    TrustBelow(CountryIx, f64),
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

/// A resolved objective [`Criterion`].
#[derive(Clone, Debug)]
pub enum Measure {
    DetectWithin {
        campaign: CampaignIx,
        within: Duration,
    },
    RestoreWithin {
        sector: Sector,
        country: Option<CountryIx>,
        within: Duration,
    },
    ServiceLossBelow {
        sector: Option<Sector>,
        country: Option<CountryIx>,
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

/// A reference the checks should have caught; compiling reports it instead of panicking.
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} `{id}`")]
pub struct Unresolved {
    pub kind: &'static str,
    pub id: String,
}

struct Names<'a> {
    map: BTreeMap<&'a str, u32>,
    kind: &'static str,
}

impl<'a> Names<'a> {
    fn new(kind: &'static str, ids: impl Iterator<Item = &'a String>) -> Self {
        Self {
            map: ids
                .enumerate()
                .map(|(i, s)| (s.as_str(), i as u32))
                .collect(),
            kind,
        }
    }
    fn get(&self, id: &str) -> Result<u32, Unresolved> {
        self.map.get(id).copied().ok_or_else(|| Unresolved {
            kind: self.kind,
            id: id.to_string(),
        })
    }
}

impl Catalog {
    /// Resolves a checked scenario.
    pub fn compile(s: &Scenario) -> Result<Catalog, Unresolved> {
        let countries = Names::new("country", s.countries.iter().map(|c| &c.id));
        let actors = Names::new("actor", s.actors.iter().map(|a| &a.id));
        let nodes = Names::new("node", s.infrastructure.nodes.iter().map(|n| &n.id));
        let audiences = Names::new("audience", s.audiences.iter().map(|a| &a.id));
        let campaign_names = Names::new("campaign", s.campaigns.iter().map(|c| &c.id));
        let objective_names = Names::new("objective", s.objectives.iter().map(|o| &o.id));

        // Narratives are declared by Narrative actions, in campaigns or in inject effects.
        let narrative_specs: Vec<&Action> = s
            .campaigns
            .iter()
            .flat_map(|c| c.steps.iter().map(|st| &st.action))
            .chain(s.msel.iter().filter_map(|i| i.effect.as_ref()))
            .filter(|a| matches!(a, Action::Narrative { .. }))
            .collect();
        let mut narratives = Vec::new();
        for a in &narrative_specs {
            if let Action::Narrative {
                id,
                title,
                audiences: auds,
                virality,
                seed_reach,
                exploits,
            } = a
            {
                let audiences_ix = auds
                    .iter()
                    .map(|a| audiences.get(a).map(AudienceIx))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut cs: Vec<CountryIx> = audiences_ix
                    .iter()
                    .map(|a| CountryIx(countries.get(&s.audiences[a.i()].country).unwrap_or(0)))
                    .collect();
                cs.sort();
                cs.dedup();
                narratives.push(NarrativeDef {
                    id: id.as_str().into(),
                    title: title.clone(),
                    audiences: audiences_ix,
                    countries: cs,
                    virality: virality.0,
                    seed_reach: seed_reach.0,
                    exploits: exploits.clone(),
                });
            }
        }
        let narrative_ids: Vec<String> = narratives.iter().map(|n| n.id.to_string()).collect();
        let narrative_names = Names::new("narrative", narrative_ids.iter());

        let effect = |a: &Action| -> Result<Effect, Unresolved> {
            Ok(match a {
                Action::Intrusion { target } => Effect::Intrusion {
                    target: NodeIx(nodes.get(target)?),
                },
                Action::Disrupt { target, severity } => Effect::Disrupt {
                    target: NodeIx(nodes.get(target)?),
                    severity: severity.0,
                },
                Action::Wiper {
                    seeds,
                    spread,
                    hop_delay,
                    max_nodes,
                } => Effect::Wiper {
                    seeds: seeds
                        .iter()
                        .map(|n| nodes.get(n).map(NodeIx))
                        .collect::<Result<_, _>>()?,
                    spread: spread.0,
                    hop_delay: *hop_delay,
                    max_nodes: max_nodes.unwrap_or(u32::MAX),
                },
                Action::ElectionAttack {
                    target,
                    severity,
                    leak,
                } => Effect::ElectionAttack {
                    target: NodeIx(nodes.get(target)?),
                    severity: severity.0,
                    leak: leak
                        .as_ref()
                        .map(|n| narrative_names.get(n).map(NarrativeIx))
                        .transpose()?,
                },
                Action::Release {
                    country,
                    site,
                    agent,
                    exposed,
                    severe,
                    lethality,
                } => Effect::Release {
                    country: CountryIx(countries.get(country)?),
                    site: site
                        .as_ref()
                        .map(|n| nodes.get(n).map(NodeIx))
                        .transpose()?,
                    agent: match agent {
                        scenario::Agent::Chemical(_) => AgentClass::Chemical,
                        scenario::Agent::Biological(_) => AgentClass::Biological,
                        scenario::Agent::Radiological(_) => AgentClass::Radiological,
                    },
                    agent_name: agent.describe().to_string(),
                    exposed: *exposed,
                    severe: severe.0,
                    lethality: lethality.0,
                },
                Action::Narrative { id, .. } => {
                    Effect::Narrative(NarrativeIx(narrative_names.get(id)?))
                }
                Action::Amplify {
                    narrative,
                    factor,
                    duration,
                } => Effect::Amplify {
                    narrative: NarrativeIx(narrative_names.get(narrative)?),
                    factor: *factor,
                    duration: *duration,
                },
            })
        };

        let mut campaigns = Vec::new();
        for c in &s.campaigns {
            let step_names = Names::new("step", c.steps.iter().map(|st| &st.id));
            let mut steps = Vec::new();
            for (i, st) in c.steps.iter().enumerate() {
                let after = match &st.after {
                    Some(a) if a == crate::scenario::CAMPAIGN_START => None,
                    Some(a) => Some(step_names.get(a)? as u16),
                    None => i.checked_sub(1).map(|p| p as u16),
                };
                steps.push(StepDef {
                    id: st.id.as_str().into(),
                    after,
                    delay: st.delay,
                    success: st.success.0,
                    action: effect(&st.action)?,
                    note: st.note.clone(),
                });
            }
            campaigns.push(CampaignDef {
                id: c.id.as_str().into(),
                name: c.name.clone(),
                actor: ActorIx(actors.get(&c.actor)?),
                start: c.start,
                steps,
            });
        }

        let mut injects = Vec::new();
        for inj in &s.msel {
            let when = match &inj.at {
                InjectTime::Time(_) => None,
                InjectTime::When(cond) => Some(match cond {
                    Condition::NodeDown(n) => Trigger::NodeDown(NodeIx(nodes.get(n)?)),
                    Condition::StepSucceeded { campaign, step } => {
                        let ci = campaign_names.get(campaign)?;
                        let si = Names::new(
                            "step",
                            s.campaigns[ci as usize].steps.iter().map(|x| &x.id),
                        )
                        .get(step)?;
                        Trigger::StepSucceeded(StepRef {
                            campaign: CampaignIx(ci),
                            step: si as u16,
                        })
                    }
                    Condition::CasualtiesAbove(n) => Trigger::CasualtiesAbove(*n),
                    Condition::ReachAbove { narrative, share } => {
                        Trigger::ReachAbove(NarrativeIx(narrative_names.get(narrative)?), share.0)
                    }
                    Condition::TrustBelow { country, trust } => {
                        Trigger::TrustBelow(CountryIx(countries.get(country)?), trust.0)
                    }
                }),
            };
            injects.push(InjectDef {
                inject: inj.clone(),
                when,
                objective: inj
                    .objective
                    .as_ref()
                    .map(|o| objective_names.get(o).map(ObjectiveIx))
                    .transpose()?,
                effect: inj.effect.as_ref().map(&effect).transpose()?,
            });
        }

        let mut objectives = Vec::new();
        for o in &s.objectives {
            let country = |k: &Option<String>| {
                k.as_ref()
                    .map(|k| countries.get(k).map(CountryIx))
                    .transpose()
            };
            let criterion = match &o.criterion {
                Criterion::DetectWithin { campaign, within } => Measure::DetectWithin {
                    campaign: CampaignIx(campaign_names.get(campaign)?),
                    within: *within,
                },
                Criterion::RestoreWithin {
                    sector,
                    country: k,
                    within,
                } => Measure::RestoreWithin {
                    sector: *sector,
                    country: country(k)?,
                    within: *within,
                },
                Criterion::ServiceLossBelow {
                    sector,
                    country: k,
                    node_hours,
                } => Measure::ServiceLossBelow {
                    sector: *sector,
                    country: country(k)?,
                    node_hours: *node_hours,
                },
                Criterion::IdentifyWithin { within } => Measure::IdentifyWithin { within: *within },
                Criterion::CasualtiesBelow { deaths } => {
                    Measure::CasualtiesBelow { deaths: *deaths }
                }
                Criterion::TrustAbove { country: k, trust } => Measure::TrustAbove {
                    country: CountryIx(countries.get(k)?),
                    trust: trust.0,
                },
                Criterion::ReachBelow { narrative, share } => Measure::ReachBelow {
                    narrative: NarrativeIx(narrative_names.get(narrative)?),
                    share: share.0,
                },
            };
            objectives.push(ObjectiveDef {
                id: o.id.as_str().into(),
                title: o.title.clone(),
                description: o.description.clone(),
                criterion,
            });
        }

        let node_defs = s
            .infrastructure
            .nodes
            .iter()
            .map(|n| {
                Ok(NodeDef {
                    id: n.id.as_str().into(),
                    name: n.name.clone(),
                    sector: n.sector,
                    country: CountryIx(countries.get(&n.country)?),
                    serves: n.serves,
                    restore: n.restore,
                    hardening: n.hardening.0,
                })
            })
            .collect::<Result<Vec<_>, Unresolved>>()?;
        let deps = s
            .infrastructure
            .dependencies
            .iter()
            .map(|d| {
                Ok(DepDef {
                    supplier: NodeIx(nodes.get(&d.supplier)?),
                    dependent: NodeIx(nodes.get(&d.dependent)?),
                    delay: d.delay,
                    probability: d.probability.0,
                })
            })
            .collect::<Result<Vec<_>, Unresolved>>()?;
        let mut supplies = vec![Vec::new(); node_defs.len()];
        let mut network = UnGraph::with_capacity(node_defs.len(), deps.len());
        for i in 0..node_defs.len() {
            network.add_node(NodeIx(i as u32));
        }
        for (e, d) in deps.iter().enumerate() {
            supplies[d.supplier.i()].push(EdgeIx(e as u32));
            network.add_edge(
                NodeIndex::new(d.supplier.i()),
                NodeIndex::new(d.dependent.i()),
                EdgeIx(e as u32),
            );
        }
        let mut country_nodes = vec![Vec::new(); s.countries.len()];
        for (i, n) in node_defs.iter().enumerate() {
            country_nodes[n.country.i()].push(NodeIx(i as u32));
        }

        Ok(Catalog {
            name: s.name.clone(),
            description: s.description.clone(),
            start: s.start.0,
            duration: s.duration,
            default_seed: s.seed,
            playbooks: s.playbooks.clone(),
            countries: s
                .countries
                .iter()
                .map(|c| CountryDef {
                    id: c.id.as_str().into(),
                    csirt: format!("{}-CSIRT", c.id).into(),
                    name: c.name.clone(),
                    population: c.population,
                    eu: c.eu,
                    nato: c.nato,
                    trust: c.trust.0,
                    caps: c.capacities,
                    resources: c.resources,
                })
                .collect(),
            actors: s
                .actors
                .iter()
                .map(|a| ActorDef {
                    id: a.id.as_str().into(),
                    name: a.name.clone(),
                    kind: a.kind,
                })
                .collect(),
            nodes: node_defs,
            deps,
            supplies,
            health_nodes: country_nodes
                .iter()
                .map(|ns| {
                    ns.iter()
                        .copied()
                        .filter(|n| s.infrastructure.nodes[n.i()].sector == Sector::Health)
                        .collect()
                })
                .collect(),
            country_nodes,
            network,
            audiences: s
                .audiences
                .iter()
                .map(|a| {
                    Ok(AudienceDef {
                        id: a.id.as_str().into(),
                        name: a.name.clone(),
                        country: CountryIx(countries.get(&a.country)?),
                        size: a.size,
                        susceptibility: a.susceptibility.0,
                    })
                })
                .collect::<Result<_, Unresolved>>()?,
            narratives,
            campaigns,
            injects,
            objectives,
            response: crate::playbook::Response::default(),
        })
    }

    /// Neighbours of a node in the infrastructure network, sorted by index
    /// so that spread never depends on the graph's internal order.
    pub fn neighbours(&self, n: NodeIx) -> Vec<NodeIx> {
        let mut v: Vec<NodeIx> = self
            .network
            .neighbors(NodeIndex::new(n.i()))
            .map(|x| NodeIx(x.index() as u32))
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
