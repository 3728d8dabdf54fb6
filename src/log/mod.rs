//! The event log: what happened, in order. Records are small `Copy` values
//! holding indices into the [`Catalog`]; [`jsonl`] turns them into the
//! `events.jsonl` lines that reports, the dashboard and replays read.

pub mod jsonl;

use serde::Serialize;

use crate::engine::SimTime;
use crate::scenario::Sector;
use crate::world::catalog::{
    AgentClass, CampaignIx, Catalog, CountryIx, InjectIx, NarrativeIx, NodeIx, StepRef,
};

/// One logged event: when, and what.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    pub t: SimTime,
    pub what: What,
}

/// The area of the exercise an event belongs to (the log's `domain` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    Cyber,
    Cbrn,
    Disinfo,
    Infra,
    Response,
    Control,
}

impl Domain {
    pub const ALL: [Domain; 6] = [
        Domain::Cyber,
        Domain::Cbrn,
        Domain::Disinfo,
        Domain::Infra,
        Domain::Response,
        Domain::Control,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Domain::Cyber => "cyber",
            Domain::Cbrn => "cbrn",
            Domain::Disinfo => "disinfo",
            Domain::Infra => "infra",
            Domain::Response => "response",
            Domain::Control => "control",
        }
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
}

/// Why a node lost service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// A cyber attack on the node itself.
    Attack(Origin),
    /// Destructive malware.
    Wiper(Origin),
    /// A supplier it depends on failed.
    Dependency(NodeIx),
    /// A contaminated site closed by the authorities.
    Contamination,
    /// Demand beyond capacity (hospitals in a mass-casualty incident).
    Overload,
}

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
    /// The country's networks were isolated after an earlier incident.
    Isolated,
    /// Called off: attribution and sanctions made the attacker think again.
    Deterred,
}

/// Everything that can happen in an exercise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum What {
    // -- control
    ExerciseStart,
    ExerciseEnd,
    InjectFired {
        inject: InjectIx,
    },
    // -- threat campaigns (domain follows the step's action)
    StepFailed {
        step: StepRef,
        why: Failure,
    },
    IntrusionPlanted {
        by: Origin,
        node: NodeIx,
    },
    Disruption {
        by: Origin,
        node: NodeIx,
        severity: f32,
    },
    WiperInfection {
        by: Origin,
        node: NodeIx,
        hop: u16,
    },
    ElectionAttack {
        by: Origin,
        node: NodeIx,
        severity: f32,
    },
    Release {
        by: Origin,
        incident: u16,
        country: CountryIx,
        site: Option<NodeIx>,
        agent: AgentClass,
        exposed: u32,
    },
    NarrativeLaunched {
        narrative: NarrativeIx,
        by: Origin,
    },
    Amplified {
        narrative: NarrativeIx,
        factor: f32,
    },
    // -- infrastructure
    ServiceLost {
        node: NodeIx,
        service: f32,
        cause: Cause,
    },
    ServiceDegraded {
        node: NodeIx,
        service: f32,
        cause: Cause,
    },
    CascadeHeld {
        supplier: NodeIx,
        dependent: NodeIx,
    },
    ServiceRestored {
        node: NodeIx,
    },
    /// Hourly mean service per sector in a country.
    ServiceSample {
        country: CountryIx,
        by_sector: SectorService,
    },
    // -- CBRN consequences
    Casualties {
        incident: u16,
        country: CountryIx,
        symptomatic: u32,
        hospitalised: u32,
        dead: u32,
        decontaminated: u32,
        exposed: u32,
    },
    SiteDecontaminated {
        incident: u16,
        node: NodeIx,
    },
    // -- public opinion
    NarrativeReach {
        narrative: NarrativeIx,
        country: CountryIx,
        reach: f32,
        belief: f32,
    },
    Opinion {
        country: CountryIx,
        trust: f32,
        reach: f32,
    },
    // -- national response
    IntrusionDetected {
        by: Origin,
        node: NodeIx,
        country: CountryIx,
    },
    IncidentOpened {
        by: Origin,
        node: NodeIx,
        country: CountryIx,
        queued: u16,
    },
    IntrusionEvicted {
        by: Origin,
        node: NodeIx,
        country: CountryIx,
    },
    NetworksIsolated {
        by: Origin,
        country: CountryIx,
    },
    RestorationQueued {
        node: NodeIx,
        waiting: u16,
    },
    RestorationStarted {
        node: NodeIx,
        secs: u32,
    },
    CbrnDetected {
        incident: u16,
        country: CountryIx,
    },
    AgentIdentified {
        incident: u16,
        country: CountryIx,
    },
    DeconDeployed {
        incident: u16,
        country: CountryIx,
        units: u32,
    },
    CountermeasuresExhausted {
        incident: u16,
        country: CountryIx,
    },
    NarrativeDetected {
        narrative: NarrativeIx,
        country: CountryIx,
    },
    Debunked {
        narrative: NarrativeIx,
        country: CountryIx,
    },
    PlatformAction {
        narrative: NarrativeIx,
        country: CountryIx,
    },
    // -- exercise control at the dashboard
    /// A controller's note (its text is kept by the exercise, by number).
    ControllerNote {
        note: u16,
    },
    /// The controller plays a campaign step now (an ad-hoc inject).
    AdHocInject {
        step: StepRef,
        note: u16,
    },
    // -- EU and NATO mechanisms
    Eu(crate::response::eu::EuWhat),
}

impl What {
    /// The log's `kind` field.
    pub fn kind(&self) -> &'static str {
        match self {
            What::ExerciseStart => "exercise_start",
            What::ExerciseEnd => "exercise_end",
            What::InjectFired { .. } => "inject",
            What::StepFailed { .. } => "step_failed",
            What::IntrusionPlanted { .. } => "intrusion",
            What::Disruption { .. } => "disruption",
            What::WiperInfection { .. } => "wiper_infection",
            What::ElectionAttack { .. } => "election_attack",
            What::Release { .. } => "release",
            What::NarrativeLaunched { .. } => "narrative_launched",
            What::Amplified { .. } => "amplified",
            What::ServiceLost { .. } => "service_lost",
            What::ServiceDegraded { .. } => "service_degraded",
            What::CascadeHeld { .. } => "cascade_held",
            What::ServiceRestored { .. } => "service_restored",
            What::ServiceSample { .. } => "service_sample",
            What::Casualties { .. } => "casualties",
            What::SiteDecontaminated { .. } => "site_decontaminated",
            What::NarrativeReach { .. } => "narrative_reach",
            What::Opinion { .. } => "opinion",
            What::IntrusionDetected { .. } => "intrusion_detected",
            What::IncidentOpened { .. } => "incident_opened",
            What::IntrusionEvicted { .. } => "intrusion_evicted",
            What::NetworksIsolated { .. } => "networks_isolated",
            What::RestorationQueued { .. } => "restoration_queued",
            What::RestorationStarted { .. } => "restoration_started",
            What::CbrnDetected { .. } => "cbrn_detected",
            What::AgentIdentified { .. } => "agent_identified",
            What::DeconDeployed { .. } => "decon_deployed",
            What::CountermeasuresExhausted { .. } => "countermeasures_exhausted",
            What::NarrativeDetected { .. } => "narrative_detected",
            What::Debunked { .. } => "debunked",
            What::PlatformAction { .. } => "platform_action",
            What::Eu(e) => e.kind(),
            What::ControllerNote { .. } => "controller_note",
            What::AdHocInject { .. } => "adhoc_inject",
        }
    }

    pub fn domain(&self, cat: &Catalog) -> Domain {
        use crate::world::catalog::ThreatDomain as T;
        let threat = |s: &StepRef| match cat.step(*s).action.domain() {
            T::Cyber => Domain::Cyber,
            T::Cbrn => Domain::Cbrn,
            T::Disinfo => Domain::Disinfo,
        };
        match self {
            What::ExerciseStart
            | What::ExerciseEnd
            | What::InjectFired { .. }
            | What::ControllerNote { .. }
            | What::AdHocInject { .. } => Domain::Control,
            What::StepFailed { step, .. } => threat(step),
            What::IntrusionPlanted { .. }
            | What::Disruption { .. }
            | What::WiperInfection { .. }
            | What::ElectionAttack { .. } => Domain::Cyber,
            What::Release { .. } | What::Casualties { .. } | What::SiteDecontaminated { .. } => {
                Domain::Cbrn
            }
            What::NarrativeLaunched { .. }
            | What::Amplified { .. }
            | What::NarrativeReach { .. }
            | What::Opinion { .. } => Domain::Disinfo,
            What::ServiceLost { .. }
            | What::ServiceDegraded { .. }
            | What::CascadeHeld { .. }
            | What::ServiceRestored { .. }
            | What::ServiceSample { .. } => Domain::Infra,
            What::IntrusionDetected { .. }
            | What::IncidentOpened { .. }
            | What::IntrusionEvicted { .. }
            | What::NetworksIsolated { .. }
            | What::RestorationQueued { .. }
            | What::RestorationStarted { .. }
            | What::CbrnDetected { .. }
            | What::AgentIdentified { .. }
            | What::DeconDeployed { .. }
            | What::CountermeasuresExhausted { .. }
            | What::NarrativeDetected { .. }
            | What::Debunked { .. }
            | What::PlatformAction { .. }
            | What::Eu(_) => Domain::Response,
        }
    }
}

/// Service per sector in basis points (10,000 is full service), in
/// [`sector_slot`] order: 18 bytes where nine floats took 36, so that every
/// event record stays small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectorService([u16; 9]);

impl SectorService {
    /// A sector the country has no node of.
    const NONE: u16 = u16::MAX;

    pub fn from_shares(share: impl Fn(usize) -> Option<f64>) -> SectorService {
        SectorService(std::array::from_fn(|k| {
            share(k).map_or(Self::NONE, |v| {
                (v.clamp(0.0, 1.0) * 10_000.0).round() as u16
            })
        }))
    }

    /// The share of service of sector slot `k`, if the country has the sector.
    pub fn get(&self, k: usize) -> Option<f64> {
        (self.0[k] != Self::NONE).then(|| f64::from(self.0[k]) / 10_000.0)
    }

    /// Shares of the sectors the country has.
    pub fn present(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.0.len()).filter_map(|k| self.get(k))
    }
}

/// Sector order used by [`What::ServiceSample`].
pub fn sector_slot(s: Sector) -> usize {
    Sector::ALL.iter().position(|x| *x == s).unwrap_or(0)
}
