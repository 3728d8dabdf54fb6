//! The scenario file format, as authors write it in RON. Every struct rejects
//! unknown fields, so a misspelt field is an error with its position, not a
//! silently ignored line. References between entities (a node's country, a
//! step's target, ...) are plain ids here and are resolved in [`super::resolve`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::engine::{Dist, Duration};
pub use crate::input::Fraction;

/// An entity id as written in the file, e.g. `"EE"` or `"EE-grid-tallinn"`.
pub type Id = String;

/// A whole scenario: one exercise's world, threat and exercise layer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Wall-clock time of T+0, ISO 8601 in UTC, e.g. `"2026-03-02T06:00:00Z"`.
    pub start: StartTime,
    pub duration: Duration,
    /// Default seed; `--seed` overrides it.
    pub seed: u64,
    /// Playbook files (relative to the scenario) loaded when none is given on the command line.
    #[serde(default)]
    pub playbooks: Vec<String>,
    pub countries: Vec<Country>,
    /// Threat actors, proxies, companies, media and other bodies injects can come from.
    #[serde(default)]
    pub actors: Vec<Actor>,
    pub infrastructure: Infrastructure,
    /// Audience segments that narratives spread through.
    #[serde(default)]
    pub audiences: Vec<Audience>,
    /// Language and diaspora communities: audiences in several countries
    /// that share one media space.
    #[serde(default)]
    pub communities: Vec<Community>,
    pub campaigns: Vec<Campaign>,
    /// Master Scenario Events List: the injects exercise control sends to players.
    #[serde(default)]
    pub msel: Vec<Inject>,
    /// More injects from a spreadsheet (CSV, relative to the scenario file),
    /// in the columns `pacesim msel export` writes.
    #[serde(default)]
    pub msel_csv: Option<String>,
    #[serde(default)]
    pub objectives: Vec<Objective>,
}

/// T+0 on the wall clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartTime(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for StartTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| StartTime(t.with_timezone(&Utc)))
            .map_err(|e| {
                serde::de::Error::custom(format!(
                    "invalid start time `{s}`: {e} (write e.g. \"2026-03-02T06:00:00Z\")"
                ))
            })
    }
}

impl Serialize for StartTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.format("%Y-%m-%dT%H:%M:%SZ"))
    }
}

/// A member state (or a NATO ally) with its national capacities.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166 alpha-2 code, e.g. `"EE"`.
    pub id: Id,
    pub name: String,
    pub population: u64,
    #[serde(default = "yes")]
    pub eu: bool,
    #[serde(default)]
    pub nato: bool,
    /// A third country associated to the Digital Europe Programme, which the
    /// EU Cybersecurity Reserve may also serve (Reg. (EU) 2025/38, Art. 14(2)).
    #[serde(default)]
    pub digital_europe: bool,
    /// Baseline trust in national institutions (share of people who tend to trust).
    pub trust: Fraction,
    pub capacities: Capacities,
    pub resources: Resources,
}

fn yes() -> bool {
    true
}

/// How capable national responders are, each from 0 (none) to 1 (best in class).
/// Faster detection, likelier containment and faster restoration follow from these.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacities {
    /// National CSIRT and cyber defence (the ITU Global Cybersecurity Index is a good source).
    pub cyber: Fraction,
    /// CBRN detection and laboratory identification.
    pub cbrn_detection: Fraction,
    /// Civil protection: decontamination, restoration of services.
    pub civil_protection: Fraction,
    /// Health system: clinical recognition, treatment.
    pub health: Fraction,
    /// Government strategic communication: spotting and answering disinformation.
    pub stratcom: Fraction,
}

/// Countable national resources that queue when all are busy.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Incident-response teams of the national CSIRT(s).
    pub csirt_teams: u32,
    /// Crews that can restore a failed infrastructure node.
    pub repair_crews: u32,
    /// Mass-decontamination units (about 200 people an hour each).
    pub decon_units: u32,
    /// Hospital beds that can be freed for a mass-casualty incident.
    pub surge_beds: u32,
    /// Antidote or other medical-countermeasure doses in national stockpiles.
    pub countermeasure_doses: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: Id,
    pub name: String,
    pub kind: ActorKind,
    #[serde(default)]
    pub country: Option<Id>,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorKind {
    /// A hostile state or its services.
    ThreatActor,
    /// A group acting for a threat actor, deniably.
    Proxy,
    Company,
    Media,
    /// Any other public body (a ministry, a regulator, a regional authority).
    Authority,
    /// The exercise's simulation cell, which plays everyone not at the table.
    SimCell,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Infrastructure {
    pub nodes: Vec<Node>,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
}

/// A piece of critical infrastructure: a grid operator, an exchange, a hospital group.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: Id,
    pub name: String,
    pub sector: Sector,
    pub country: Id,
    /// People who depend on its service (for people-hours lost).
    pub serves: u64,
    /// Time one repair crew needs to restore it after an outage.
    pub restore: Dist,
    /// The operator's own security (patching, segmentation, backups), 0 to 1.
    #[serde(default = "half")]
    pub hardening: Fraction,
    /// Operators who can run it by hand when a cyber attack takes its control
    /// systems: service comes back at reduced capacity after `after`, while
    /// the repair (the control systems' rebuild) takes its `restore` time.
    #[serde(default)]
    pub manual: Option<Manual>,
    /// The organisation that runs it. An intrusion into one of an operator's
    /// nodes moves on to its other nodes (lateral movement), each after a
    /// delay and against that node's defence.
    #[serde(default)]
    pub operator: Option<String>,
}

/// Manual operation after a cyber attack (Ukraine, December 2015: power back
/// in 1 to 6 hours by switching substations by hand, then weeks of manual
/// operation while the control systems were rebuilt).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manual {
    /// How long until operators run it by hand.
    pub after: Dist,
    /// Its service meanwhile, 0 to 1.
    pub service: Fraction,
}

fn half() -> Fraction {
    Fraction(0.5)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sector {
    Energy,
    Telecom,
    Finance,
    Transport,
    Health,
    Water,
    Government,
    Elections,
    Media,
}

impl Sector {
    pub const ALL: [Sector; 9] = [
        Sector::Energy,
        Sector::Telecom,
        Sector::Finance,
        Sector::Transport,
        Sector::Health,
        Sector::Water,
        Sector::Government,
        Sector::Elections,
        Sector::Media,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Sector::Energy => "energy",
            Sector::Telecom => "telecom",
            Sector::Finance => "finance",
            Sector::Transport => "transport",
            Sector::Health => "health",
            Sector::Water => "water",
            Sector::Government => "government",
            Sector::Elections => "elections",
            Sector::Media => "media",
        }
    }
}

/// `dependent` needs `supplier`: when the supplier loses service, the dependent
/// rides it out for `delay` (batteries, generators, cached data) and then fails
/// with `probability` if the supplier is still out.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    pub supplier: Id,
    pub dependent: Id,
    pub delay: Duration,
    pub probability: Fraction,
}

/// A segment of the public that narratives reach, e.g. Russian-speakers in Latvia.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    pub id: Id,
    pub country: Id,
    pub name: String,
    pub size: u64,
    /// How readily this audience takes up hostile narratives, 0 to 1.
    pub susceptibility: Fraction,
}

/// Audiences in several countries that read and share the same channels, e.g.
/// the Russian-language media space of the Baltic states. A narrative spreads
/// through it as through one audience: each member's growth is driven by the
/// reach of the whole community. Narratives may name it instead of its
/// audiences.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Community {
    pub id: Id,
    pub name: String,
    pub audiences: Vec<Id>,
}

/// A hostile campaign: an actor's ordered steps.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: Id,
    pub name: String,
    /// The threat actor behind it (an `actors` id).
    pub actor: Id,
    #[serde(default)]
    pub description: String,
    /// When the campaign's first step becomes possible, from T+0.
    #[serde(default)]
    pub start: Duration,
    pub steps: Vec<Step>,
}

/// The `after` value that makes a step wait for its campaign's start only.
pub const CAMPAIGN_START: &str = "start";

/// One step: after its predecessor succeeds and `delay` passes, the actor
/// tries `action`, which succeeds with `success` reduced by the target's defences.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: Id,
    /// The step this one waits for (a step of the same campaign), or
    /// `"start"` for the campaign's start, so that independent steps need
    /// not wait for each other. Default: the previous step, or the campaign
    /// start for the first step.
    #[serde(default)]
    pub after: Option<Id>,
    /// Instead of `after`: a step of another campaign this one waits for
    /// (a narrative that exploits an attack, a cyber attack timed to a
    /// release), due `delay` after that step succeeds.
    #[serde(default)]
    pub follows: Option<StepOf>,
    pub delay: Dist,
    /// Chance of success against a target with no defences at all.
    pub success: Fraction,
    pub action: Action,
    /// The scenario's premise: the step happens whatever the chance, the
    /// defences or deterrence (its preconditions, such as a foothold, still
    /// hold). For what the exercise is about (the poisoned update reaches its
    /// victims) rather than what it tests.
    #[serde(default)]
    pub premise: bool,
    /// An accident the campaign set in motion rather than a new act (a
    /// discarded bottle found weeks later): sanctions cannot call it off.
    #[serde(default)]
    pub accident: bool,
    #[serde(default)]
    pub note: String,
}

/// A worm that scans for exposed systems rather than following
/// infrastructure links (WannaCry scanned the internet for open SMB
/// ports): each node it takes probes `probes` nodes, one after another,
/// drawn at random from those of `sectors` in `countries` (every sector or
/// country where empty), each probe taking the malware's hop delay and
/// meeting its spread chance.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scan {
    #[serde(default)]
    pub sectors: Vec<Sector>,
    #[serde(default)]
    pub countries: Vec<Id>,
    pub probes: u32,
}

/// A step of a campaign, named from outside it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepOf {
    pub campaign: Id,
    pub step: Id,
}

/// A decision exercise control scripts in an inject's effect, as exercises
/// script the political level: it is taken when the inject fires, whatever
/// the playbook's trigger and deliberation, and the playbook's mechanism
/// carries it out (nothing follows where the playbook has none).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Scripted {
    /// A member state invokes the solidarity clause (Art. 222 TFEU).
    InvokeSolidarity(Id),
    /// A member state asks the UCPM for assistance with a need.
    RequestUcpm {
        country: Id,
        need: crate::playbook::Need,
    },
    /// A state asks the EU Cybersecurity Reserve for incident-response teams.
    RequestCyberReserve(Id),
    /// A state asks for an EU Hybrid Rapid Response Team.
    RequestHrrt(Id),
    /// The Presidency raises IPCR to information sharing or full activation.
    RaiseIpcr(crate::playbook::IpcrMode),
    /// The Council attributes the campaigns publicly (Cyber Diplomacy Toolbox).
    Attribute,
    /// The Council adopts restrictive measures (Cyber Diplomacy Toolbox).
    AdoptMeasures,
}

/// What a step (or an inject's effect) does to the world.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Action {
    /// Exercise control takes a decision (in an inject's effect only).
    Decide(Scripted),
    /// A campaign is stopped: a kill switch registered, a sinkhole, a patch
    /// or an arrest (in an inject's effect only, at a time or on an event).
    /// Its steps not yet carried out fail and its malware spreads no
    /// further; what it already did stays done.
    Halt { campaign: Id },
    /// Cyber: a stealthy foothold in a node's networks. The national CSIRT
    /// hunts for it; once evicted, the campaign's later cyber steps against
    /// that node fail. With `since`, the foothold was planted that long
    /// before the step (e.g. months before T+0, as state actors pre-position
    /// in infrastructure) and has not been found so far: its remaining
    /// dwell is drawn given that it has already lasted `since`.
    Intrusion {
        target: Id,
        #[serde(default)]
        since: Option<Duration>,
    },
    /// Cyber: disrupt a node's service by `severity` (1.0 is a full outage).
    Disrupt { target: Id, severity: Fraction },
    /// Physical sabotage (an anchor dragged over a cable, a charge at a
    /// pipeline or pylon): damages the node by `severity`, no CSIRT
    /// involved; the operator's repair crews restore it in its `restore`
    /// time. Its hardening stands for physical protection and patrols.
    Sabotage { target: Id, severity: Fraction },
    /// Cyber: destructive malware seeded in `seeds`, spreading along
    /// infrastructure links with `spread` chance per link and hop.
    Wiper {
        seeds: Vec<Id>,
        spread: Fraction,
        hop_delay: Dist,
        #[serde(default)]
        max_nodes: Option<u32>,
        #[serde(default)]
        scan: Option<Scan>,
    },
    /// Cyber: ransomware encrypting the systems of `seeds` and, a worm
    /// like WannaCry, spreading along infrastructure links with `spread`
    /// chance per link and hop (then `hop_delay` is needed). Not a wiper:
    /// the systems come back from backups, and operators with a `manual`
    /// mode (downtime procedures on paper) keep part of the service.
    Ransomware {
        seeds: Vec<Id>,
        #[serde(default)]
        spread: Fraction,
        #[serde(default)]
        hop_delay: Option<Dist>,
        #[serde(default)]
        max_nodes: Option<u32>,
        #[serde(default)]
        scan: Option<Scan>,
    },
    /// Disinformation from a hack: publishes data stolen through the
    /// campaign's foothold in `from` and launches `narrative` with it. Needs
    /// the foothold to have been planted (its later eviction does not
    /// matter: the data is out); it disrupts nothing.
    Leak { from: Id, narrative: Id },
    /// Cyber: attack on election systems; optionally leaks stolen data
    /// into a narrative (hack and leak).
    ElectionAttack {
        target: Id,
        severity: Fraction,
        #[serde(default)]
        leak: Option<Id>,
    },
    /// CBRN: a release exposing people in `country`, optionally contaminating a site.
    Release {
        country: Id,
        #[serde(default)]
        site: Option<Id>,
        agent: Agent,
        exposed: u32,
        /// Share of the exposed who become severely ill.
        severe: Fraction,
        /// Share of the severely ill who die without treatment.
        lethality: Fraction,
        /// Share of the exposed who are moderately ill: symptomatic, a day
        /// or two in hospital, not in danger of dying.
        #[serde(default)]
        moderate: Fraction,
        /// People who were not exposed but come forward for decontamination
        /// or monitoring, per exposed person (the "worried well").
        #[serde(default)]
        worried_well: f64,
        /// How long until responders suspect a CBRN incident where the scene
        /// tells them (dosimeters alarming at a blast, a placarded tank car
        /// spilling); without it, the agent's own (clinical) suspicion time.
        #[serde(default)]
        suspected: Option<Dist>,
    },
    /// Disinformation: launch a narrative in some audiences.
    Narrative {
        id: Id,
        title: String,
        audiences: Vec<Id>,
        /// Spread rate: new reach per hour per unit of current reach, before defences.
        virality: Fraction,
        /// Share of each audience reached at launch.
        seed_reach: Fraction,
        /// Real events that feed the narrative.
        #[serde(default)]
        exploits: Vec<Exploit>,
    },
    /// Disinformation: a bot or troll push that multiplies a narrative's spread for a while.
    Amplify {
        narrative: Id,
        factor: f64,
        duration: Duration,
    },
}

/// Kinds of real event a narrative feeds on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exploit {
    /// Infrastructure outages ("the government cannot keep the lights on").
    Outages,
    /// CBRN casualties ("they are hiding the truth").
    Casualties,
    /// Cyber incidents made public ("the election was hacked").
    CyberIncidents,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Agent {
    /// A chemical agent the laboratories must first find out (days).
    Chemical(String),
    /// A toxic industrial chemical (chlorine, ammonia): recognised on the
    /// scene within minutes by smell, colour and symptoms; it disperses.
    IndustrialChemical(String),
    /// A nerve agent that disperses within hours to a day (sarin, Tokyo 1995).
    VolatileNerveAgent(String),
    /// A nerve agent that stays on surfaces for months (Novichok, Salisbury
    /// 2018): named nationally after days, its sites closed for months.
    PersistentNerveAgent(String),
    Biological(String),
    Radiological(String),
}

impl Agent {
    pub fn describe(&self) -> &str {
        match self {
            Agent::Chemical(s)
            | Agent::IndustrialChemical(s)
            | Agent::VolatileNerveAgent(s)
            | Agent::PersistentNerveAgent(s)
            | Agent::Biological(s)
            | Agent::Radiological(s) => s,
        }
    }
}

/// One MSEL line.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub number: u32,
    pub at: InjectTime,
    pub from: Id,
    pub to: Id,
    pub method: Method,
    pub subject: String,
    pub message: String,
    pub expected_action: String,
    /// The objective this inject exercises.
    #[serde(default)]
    pub objective: Option<Id>,
    /// What the inject does to the simulated world when it fires, if anything.
    #[serde(default)]
    pub effect: Option<Action>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum InjectTime {
    /// At a fixed time from T+0.
    Time(Duration),
    /// As soon as a condition holds (checked whenever the world changes).
    When(Condition),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Condition {
    NodeDown(Id),
    StepSucceeded {
        campaign: Id,
        step: Id,
    },
    CasualtiesAbove(u32),
    ReachAbove {
        narrative: Id,
        share: Fraction,
    },
    TrustBelow {
        country: Id,
        trust: Fraction,
    },
    /// IPCR is in this mode or higher (a playbook with IPCR).
    Ipcr(crate::playbook::IpcrMode),
    /// A member state has invoked the solidarity clause, Art. 222.
    Solidarity,
    /// The EU has publicly attributed a campaign.
    Attributed,
    /// The Rapid Alert System has sent an alert.
    RapidAlert,
    /// A CBRN agent has been named nationally (any incident).
    AgentIdentified,
    /// The OPCW has confirmed a chemical weapon's identification.
    AgentConfirmed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    Email,
    Phone,
    Briefing,
    Media,
    Document,
    Video,
    SocialMedia,
}

/// An exercise objective with a criterion the run can measure.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub criterion: Criterion,
}

/// How an objective is measured. Times count from the threat's first effect.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Criterion {
    /// A responder detects the campaign within `within` of its first successful step.
    DetectWithin { campaign: Id, within: Duration },
    /// Every node of `sector` (in `country`, and among `nodes`, if given)
    /// that was impaired is back to full service within `within` of the
    /// impairment.
    RestoreWithin {
        sector: Sector,
        #[serde(default)]
        country: Option<Id>,
        #[serde(default)]
        nodes: Option<Vec<Id>>,
        within: Duration,
    },
    /// Infrastructure service lost stays under `node_hours` (optionally for
    /// one sector, one country, or the named nodes).
    ServiceLossBelow {
        #[serde(default)]
        sector: Option<Sector>,
        #[serde(default)]
        country: Option<Id>,
        #[serde(default)]
        nodes: Option<Vec<Id>>,
        node_hours: f64,
    },
    /// A CBRN agent is identified within `within` of its release.
    IdentifyWithin { within: Duration },
    /// Deaths stay strictly under `deaths` (`deaths: 0` reads as "no deaths").
    CasualtiesBelow { deaths: u32 },
    /// Trust in `country` never falls under `trust`.
    TrustAbove { country: Id, trust: Fraction },
    /// A narrative's reach stays under `share` in every country it targets
    /// (reach weighted by audience size within the country).
    ReachBelow { narrative: Id, share: Fraction },
}
