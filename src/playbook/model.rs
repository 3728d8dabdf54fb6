//! The playbook file format: how EU (and NATO) responders detect, assess,
//! attribute, decide and act. A playbook has one optional section per
//! mechanism; a mechanism without a section takes no part (a file with no
//! sections at all is the national-only baseline). Several playbooks can be
//! loaded: a section given again in a later file replaces the earlier one.
//!
//! Playbooks do not name scenario entities, so one playbook fits every
//! scenario. Every struct rejects unknown fields.

use serde::{Deserialize, Serialize};

use crate::engine::{Dist, Duration};
use crate::input::Fraction;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Reporting lines between bodies: who hears of what, and how late.
    /// Information travels only along the links listed.
    #[serde(default)]
    pub links: Option<Vec<Link>>,
    #[serde(default)]
    pub fusion_cell: Option<FusionCell>,
    #[serde(default)]
    pub protocol: Option<Protocol>,
    #[serde(default)]
    pub ipcr: Option<Ipcr>,
    #[serde(default)]
    pub ucpm: Option<Ucpm>,
    #[serde(default)]
    pub blueprint: Option<Blueprint>,
    #[serde(default)]
    pub cyber_reserve: Option<CyberReserve>,
    #[serde(default)]
    pub hybrid_rapid_response: Option<HybridRapidResponse>,
    #[serde(default)]
    pub toolbox: Option<Toolbox>,
    #[serde(default)]
    pub stratcom: Option<StratCom>,
    #[serde(default)]
    pub solidarity: Option<Solidarity>,
    #[serde(default)]
    pub nato: Option<Nato>,
}

/// The bodies information flows between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Body {
    /// National authorities reporting through their intelligence and security services.
    MemberStates,
    /// The CSIRTs network, which national CSIRTs share incidents in.
    Csirts,
    /// The EU Hybrid Fusion Cell in EU INTCEN.
    FusionCell,
    /// The EEAS StratCom task forces.
    StratCom,
    /// Open sources: media reports of outages, casualties and attacks.
    OpenSource,
    /// CSDP missions, which see hybrid activity in the countries they work in
    /// (everything reported from states outside the EU comes through them).
    Csdp,
    /// NATO's Hybrid Analysis Branch.
    Nato,
}

/// `from` passes what it learns to `to` after `delay`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub from: Body,
    pub to: Body,
    pub delay: Dist,
}

/// A condition on the state of the exercise. In a member state's own
/// decision (a UCPM request, Art. 222) country-level conditions are about
/// that state; elsewhere about any state.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Trigger {
    /// From the start: a standing arrangement.
    Always,
    /// The Fusion Cell's confidence that a hybrid campaign is under way, as
    /// the EU Hybrid Playbook (`protocol`) brings it to the decision makers:
    /// never holds without a protocol section.
    Confidence(Fraction),
    /// NATO's own assessed confidence.
    NatoConfidence(Fraction),
    /// Member states with a detected cyber, CBRN or disinformation threat.
    StatesAffected(u32),
    /// Deaths and severely ill, all incidents together.
    Casualties(u32),
    /// Infrastructure nodes out of service.
    NodesDown(u32),
    /// A narrative's reach in a country.
    Reach(Fraction),
    /// Trust in institutions below this.
    TrustBelow(Fraction),
    /// A member state's own means are exhausted: every CSIRT team, repair
    /// crew or decontamination unit busy, or countermeasures or beds used up.
    Overwhelmed,
    /// IPCR is in this mode or higher.
    Ipcr(IpcrMode),
    /// A member state has invoked the solidarity clause.
    Solidarity,
    /// The EU has publicly attributed the campaign.
    Attributed,
    /// Time since the Fusion Cell first heard of the campaign.
    Elapsed(Duration),
    Any(Vec<Trigger>),
    All(Vec<Trigger>),
}

/// A political decision point: raised when `when` holds, decided after
/// `deliberation`. In a headless run `policy` decides; at the dashboard the
/// players do.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub when: Trigger,
    pub deliberation: Dist,
    #[serde(default)]
    pub policy: Policy,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub enum Policy {
    /// Take the action.
    #[default]
    Approve,
    /// Decline it (the option is still raised and logged).
    Decline,
    /// Take it only if this holds when the deliberation ends.
    ApproveIf(Trigger),
}

/// The EU Hybrid Fusion Cell: gathers indicators, links them into one
/// picture and issues assessments with a confidence that grows with evidence.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FusionCell {
    /// Analysts working indicators at once; the rest wait in a queue.
    pub analysts: u32,
    /// Time to analyse one indicator.
    pub analysis: Dist,
    /// Evidence one indicator adds, by where it came from.
    pub weights: SourceWeights,
    /// Evidence at which confidence reaches 63 % (confidence = 1 − e^(−evidence/scale)).
    pub evidence_scale: f64,
    /// Weight multiplier for an indicator from a domain or country not yet in the
    /// picture: linking seemingly unrelated events is what reveals a hybrid campaign.
    pub linking_bonus: f64,
    /// Confidence at which the cell alerts member states and the first assessment goes out.
    pub alert: Fraction,
    /// Once alerted, member states hunt remaining footholds within this.
    pub alerted_hunt: Dist,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceWeights {
    pub member_states: f64,
    pub csirts: f64,
    pub stratcom: f64,
    pub open_source: f64,
    pub nato: f64,
    #[serde(default = "half_weight")]
    pub csdp: f64,
}

fn half_weight() -> f64 {
    0.5
}

/// The EU operational protocol for countering hybrid threats ("EU Hybrid
/// Playbook", SWD(2017) 227): the path from detection through assessment
/// and attribution to response, tracked as stages. It is the route by which
/// the Fusion Cell's assessment reaches political decisions: `Confidence`
/// triggers hold only with it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// Fusion Cell confidence at which the threat counts as assessed.
    pub assess: Fraction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IpcrMode {
    Off,
    Monitoring,
    InformationSharing,
    FullActivation,
}

impl IpcrMode {
    pub fn name(self) -> &'static str {
        match self {
            IpcrMode::Off => "off",
            IpcrMode::Monitoring => "monitoring",
            IpcrMode::InformationSharing => "information sharing",
            IpcrMode::FullActivation => "full activation",
        }
    }
}

/// Integrated Political Crisis Response: the Presidency's arrangement for
/// cross-sector, cross-border crises.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ipcr {
    /// The Presidency and the Council secretariat start monitoring (no decision needed).
    pub monitoring: Trigger,
    /// Information-sharing mode: the Presidency decides.
    pub information_sharing: Decision,
    /// Full activation: the Presidency decides; automatic when Art. 222 is invoked.
    pub full_activation: Decision,
    /// Situational-awareness (ISAA) report cadence in each mode.
    pub isaa: ModeTimes,
    /// How much IPCR coordination shortens other EU mechanisms' delays, by mode.
    pub coordination: ModeShares,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModeTimes {
    pub information_sharing: Duration,
    pub full_activation: Duration,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModeShares {
    pub information_sharing: Fraction,
    pub full_activation: Fraction,
}

/// The Union Civil Protection Mechanism, run by the ERCC.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ucpm {
    /// When a member state asks for assistance (country-level conditions are its own).
    pub request: Decision,
    /// Requests the ERCC duty officers work on at once; later ones wait.
    pub ercc_desks: u32,
    /// ERCC time from a request to matching offers.
    pub processing: Dist,
    /// The capacities participating states and rescEU can offer. A module
    /// serves one request at a time: a second request for the same
    /// capability waits until one is free.
    pub modules: Vec<Module>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    pub id: String,
    pub name: String,
    /// The offering state or reserve, e.g. `"DE"` or `"rescEU (FI)"`.
    pub from: String,
    pub capability: Capability,
    /// From acceptance of the offer to work on the ground.
    pub lead_time: Dist,
    /// How long the module stays before it returns to the pool.
    pub stay: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Capability {
    /// Mass-decontamination units (about 200 people an hour each).
    Decontamination(u32),
    /// Antidote or other medical-countermeasure doses.
    Countermeasures(u32),
    /// Field hospital or medical team beds.
    MedicalBeds(u32),
    /// CBRN detection and sampling team: raises detection capacity by this share.
    CbrnDetection(Fraction),
    /// Power generation and repair crews.
    Repair(u32),
}

impl Capability {
    pub fn need(self) -> Need {
        match self {
            Capability::Decontamination(_) => Need::Decontamination,
            Capability::Countermeasures(_) => Need::Countermeasures,
            Capability::MedicalBeds(_) => Need::MedicalBeds,
            Capability::CbrnDetection(_) => Need::CbrnDetection,
            Capability::Repair(_) => Need::Repair,
        }
    }
}

/// What a member state can run short of and ask the UCPM for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Need {
    Decontamination,
    Countermeasures,
    MedicalBeds,
    CbrnDetection,
    Repair,
}

impl Need {
    pub const ALL: [Need; 5] = [
        Need::Decontamination,
        Need::Countermeasures,
        Need::MedicalBeds,
        Need::CbrnDetection,
        Need::Repair,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Need::Decontamination => "decontamination",
            Need::Countermeasures => "medical countermeasures",
            Need::MedicalBeds => "medical beds",
            Need::CbrnDetection => "CBRN detection",
            Need::Repair => "power and repair",
        }
    }
}

/// The Blueprint for a coordinated response to large-scale cyber incidents,
/// with the CSIRTs network and ENISA.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blueprint {
    /// Technical level: a national incident reaches the CSIRTs network (common taxonomy).
    pub share: Dist,
    /// Once warned, other member states find the same campaign's footholds within this.
    pub warned_hunt: Dist,
    /// Warned states isolate their networks against shared destructive malware.
    pub isolate_on_wiper: bool,
    /// Member states with cyber incidents at which the operational level convenes.
    pub operational: u32,
    /// ... and at which the political level is engaged (escalation to IPCR).
    pub political: u32,
    /// ENISA support to the hardest-hit state once the operational level convenes.
    #[serde(default)]
    pub enisa: Option<Enisa>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enisa {
    /// Incident-response teams lent to the state.
    pub teams: u32,
    pub lead_time: Dist,
    pub stay: Duration,
}

/// The EU Cybersecurity Reserve (Cyber Solidarity Act, Regulation (EU)
/// 2025/38, Art. 14 to 16): incident-response services of trusted providers
/// under contract, lent to a member state on its request. The state asks
/// through its NIS2 single point of contact once its own means are taken
/// (Art. 15(2)): in the model, when incidents wait for its CSIRT teams.
/// Concurrent requests are served by severity (the first of the priority
/// criteria of the proposal, COM(2023) 209): the state with most incidents
/// open or waiting first.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CyberReserve {
    /// The member state's decision to ask (country-level conditions are its own).
    pub request: Decision,
    /// The contracting authority (ENISA, for the Commission) assesses the request.
    pub assessment: Dist,
    /// Incident-response teams under contract.
    pub teams: u32,
    /// Teams lent for one request.
    pub per_request: u32,
    /// Recovery crews that come with each lent team, to rebuild what the
    /// attack destroyed (Art. 14(1): "initiating recovery").
    #[serde(default)]
    pub recovery_crews: u32,
    /// From the assessment to the teams at work in the state.
    pub lead_time: Dist,
    /// How long they stay before they return to the Reserve.
    pub stay: Duration,
}

/// The EU Hybrid Rapid Response Teams (guiding framework approved by the
/// Council, May 2024): "tailored and targeted short-term assistance",
/// "deployed upon request", drawing on national and EU experts. A state
/// with a detected threat asks; a team is put together for the case; it
/// strengthens the state's answers to the narratives it knows of and lends
/// incident responders to its CSIRT. Concurrent requests are served where a
/// hostile narrative reaches furthest.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HybridRapidResponse {
    /// The state's decision to ask (country-level conditions are its own).
    pub request: Decision,
    /// From the request to a team made up to fit the case.
    pub assembly: Dist,
    /// Teams that can be out at once.
    pub teams: u32,
    /// From assembly to the team at work in the state.
    pub lead_time: Dist,
    pub stay: Duration,
    /// Strength a team adds to the state's debunks of every narrative it
    /// already knows of (as NATO's counter-hybrid support team does).
    pub stratcom: Fraction,
    /// Incident responders a team lends to the state's CSIRT.
    #[serde(default)]
    pub csirt_teams: u32,
}

/// The Cyber Diplomacy Toolbox: attribution, then restrictive measures.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Toolbox {
    /// Public attribution by the EU (the Council, or the High Representative on its behalf).
    pub attribution: Decision,
    /// Restrictive measures; only ever raised after attribution.
    pub measures: Decision,
    /// How much each cuts the success of the campaign's later steps.
    pub deterrence: Deterrence,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deterrence {
    pub attribution: Fraction,
    pub measures: Fraction,
}

/// The EEAS StratCom task forces and the Rapid Alert System.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StratCom {
    /// Reach in a country at which the task forces' monitoring picks a narrative up.
    pub spot_reach: Fraction,
    /// Time to confirm and analyse a narrative once picked up.
    pub analysis: Dist,
    /// Strength of an EUvsDisinfo debunk in every state the narrative targets.
    pub debunk: Fraction,
    #[serde(default)]
    pub ras: Option<Ras>,
}

/// The Rapid Alert System between member states and EU institutions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ras {
    /// Reach in any country at which an alert is raised.
    pub alert_reach: Fraction,
    /// From the decision to alert to every contact point having it.
    pub delay: Dist,
    /// Alerted states answer the narrative within this.
    pub national_response: Dist,
    /// Sharing below the alert threshold: each narrative StratCom identifies
    /// is posted to the contact points, and the member states it targets
    /// that have not noticed it start watching it within this, without the
    /// coordinated answer an alert brings (none: only alerts are shared).
    #[serde(default)]
    pub sharing: Option<Dist>,
}

/// The solidarity clause, Article 222 TFEU.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solidarity {
    /// When a member state invokes it (country-level conditions are its own).
    pub invoke: Decision,
    /// UCPM lead times for the invoking state shrink by this share.
    pub faster_assistance: Fraction,
    /// Bilateral offers that member states make on invocation.
    #[serde(default)]
    pub offers: Vec<Module>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NatoMode {
    /// NATO acts on its own picture; member states answer both organisations.
    Parallel,
    /// EU and NATO staffs exchange assessments and deconflict.
    Coordinated,
}

/// NATO in parallel with the EU: its own detection and response.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nato {
    pub mode: NatoMode,
    /// The Hybrid Analysis Branch: analysts and time per indicator.
    pub analysts: u32,
    pub analysis: Dist,
    pub evidence_scale: f64,
    /// Confidence at which NATO assesses a hybrid campaign against allies.
    pub alert: Fraction,
    /// Once NATO's assessment reaches them, allies hunt remaining footholds
    /// within this (none: allies do not act on it).
    #[serde(default)]
    pub alerted_hunt: Option<Dist>,
    /// Parallel mode: member states answer two sets of requests, so their
    /// reports to both organisations take this share longer.
    pub duplication: Fraction,
    /// Support NATO sends to allies.
    #[serde(default)]
    pub support: Vec<NatoSupport>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatoSupport {
    pub name: String,
    pub when: Trigger,
    pub kind: SupportKind,
    pub lead_time: Dist,
    pub stay: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum SupportKind {
    /// Cyber rapid-reaction teams lent to the hardest-hit ally's CSIRT.
    CyberRapidReaction(u32),
    /// A counter-hybrid support team: strengthens the ally's strategic communication.
    CounterHybrid(Fraction),
}
