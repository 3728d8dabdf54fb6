//! EU and NATO mechanisms, as the run's playbooks describe them.
//!
//! Each mechanism is a small model with its own state in [`EuState`] (a
//! bevy_ecs resource), its own random stream and its own scheduled events:
//!
//! - [`analysis`]: the Hybrid Fusion Cell and NATO's Hybrid Analysis Branch
//!   receive indicators along the playbook's reporting links, analyse them
//!   with a few analysts (the rest queue), link them into one picture and
//!   assess it with a confidence that grows with evidence; the EU Hybrid
//!   Playbook's stages (detection, assessment, attribution, response) follow.
//! - [`ipcr`]: monitoring, information sharing and full activation, ISAA
//!   reports on a cadence, and coordination that shortens other EU delays.
//! - [`ucpm`]: requests for assistance through the ERCC, offers of modules
//!   from a pool where each module serves one request at a time, deployment
//!   that adds to national means; Art. 222 brings bilateral offers.
//! - [`cyber`]: the Blueprint and the CSIRTs network (sharing, warnings,
//!   isolation, ENISA support) and the Cyber Diplomacy Toolbox (attribution,
//!   restrictive measures, deterrence of later steps).
//! - [`stratcom`]: the StratCom task forces and the Rapid Alert System.
//! - [`nato`]: NATO's support to allies, in parallel or coordinated mode.
//!
//! Political decisions (raise IPCR, invoke Art. 222, request UCPM help,
//! attribute, adopt sanctions) are raised as [`Decision`] points with
//! options and decided after a deliberation by the playbook's policy.
//!
//! A [`Review`](EuEv::Review) every half hour lets each mechanism check its
//! triggers; everything else reacts to events as they are logged.

pub mod analysis;
pub mod cyber;
pub mod ipcr;
pub mod log;
pub mod metrics;
pub mod nato;
pub mod stratcom;
#[cfg(test)]
mod tests;
pub mod ucpm;

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

pub use self::log::EuWhat;
use crate::engine::{Dist, Duration, RngStreams, SimRng, SimTime};
use crate::infra;
use crate::log::{Event, What};
use crate::playbook::{self as pb, IpcrMode, Need, Policy, Trigger};
use crate::world::catalog::CountryIx;
use crate::world::{Ev, Incident, Sim};

use super::ResponseEv;

/// How often mechanisms check their triggers.
pub const REVIEW: Duration = Duration::minutes(30);

/// A scheduled action of an EU or NATO mechanism.
#[derive(Clone, Copy, Debug)]
pub enum EuEv {
    Review,
    Analysis(analysis::AnalysisEv),
    Decide(u16),
    Ipcr(ipcr::IpcrEv),
    Ucpm(ucpm::UcpmEv),
    Cyber(cyber::CyberEv),
    StratCom(stratcom::StratComEv),
    Nato(nato::NatoEv),
}

/// A political decision the procedure calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DecisionKind {
    IpcrInformationSharing,
    IpcrFullActivation,
    UcpmRequest(Need),
    Solidarity,
    Attribution,
    RestrictiveMeasures,
}

impl DecisionKind {
    pub fn question(self) -> &'static str {
        match self {
            DecisionKind::IpcrInformationSharing => "Presidency: move IPCR to information sharing?",
            DecisionKind::IpcrFullActivation => "Presidency: fully activate IPCR?",
            DecisionKind::UcpmRequest(_) => "Request assistance through the UCPM?",
            DecisionKind::Solidarity => "Invoke the solidarity clause (Art. 222 TFEU)?",
            DecisionKind::Attribution => {
                "Council: attribute the campaign publicly (Cyber Diplomacy Toolbox)?"
            }
            DecisionKind::RestrictiveMeasures => {
                "Council: adopt restrictive measures (Cyber Diplomacy Toolbox)?"
            }
        }
    }

    /// The options offered to the players; the first is "act".
    pub fn options(self) -> [&'static str; 2] {
        match self {
            DecisionKind::IpcrInformationSharing | DecisionKind::IpcrFullActivation => {
                ["raise the mode", "stay in the current mode"]
            }
            DecisionKind::UcpmRequest(_) => ["send the request", "rely on national means"],
            DecisionKind::Solidarity => ["invoke Art. 222", "do not invoke"],
            DecisionKind::Attribution => ["attribute publicly", "keep attribution confidential"],
            DecisionKind::RestrictiveMeasures => ["adopt sanctions", "no sanctions for now"],
        }
    }

    /// EU-level decisions go faster under IPCR coordination; national ones do not.
    fn coordinated(self) -> bool {
        matches!(
            self,
            DecisionKind::Attribution | DecisionKind::RestrictiveMeasures
        )
    }
}

/// One decision point and how it ended.
#[derive(Clone, Debug)]
pub struct DecisionRecord {
    pub kind: DecisionKind,
    pub country: Option<CountryIx>,
    pub raised: SimTime,
    pub decided: Option<(SimTime, bool)>,
    /// Events made it moot before it fell.
    pub overtaken: bool,
}

/// The EU Hybrid Playbook's stages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Detection,
    Assessment,
    Attribution,
    Response,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Detection,
        Stage::Assessment,
        Stage::Attribution,
        Stage::Response,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Stage::Detection => "detection",
            Stage::Assessment => "assessment",
            Stage::Attribution => "attribution",
            Stage::Response => "response",
        }
    }
}

/// Random streams of the EU and NATO mechanisms, one per mechanism.
pub struct EuRngs {
    pub links: SimRng,
    pub fusion: SimRng,
    pub nato: SimRng,
    pub decisions: SimRng,
    pub ucpm: SimRng,
    pub cyber: SimRng,
    pub stratcom: SimRng,
}

/// Everything the EU and NATO mechanisms remember during a run.
#[derive(Resource)]
pub struct EuState {
    pub rng: EuRngs,
    pub hfc: analysis::Picture,
    pub nato_picture: analysis::Picture,
    pub stages: BTreeMap<Stage, SimTime>,
    pub ipcr: ipcr::IpcrState,
    pub decisions: Vec<DecisionRecord>,
    /// Decisions raised so far, so that none is raised twice.
    pub raised: BTreeSet<(DecisionKind, Option<CountryIx>)>,
    pub ucpm: ucpm::UcpmState,
    pub cyber: cyber::CyberState,
    pub stratcom: stratcom::StratComState,
    pub nato: nato::NatoState,
    /// Member states that invoked Art. 222, and when.
    pub solidarity: BTreeMap<CountryIx, SimTime>,
    /// States with a detected threat (for `StatesAffected`).
    pub affected: BTreeSet<CountryIx>,
    /// Cut in the success of campaign steps from attribution and sanctions.
    pub deterrence: f64,
    /// Players at the dashboard decide; decisions wait for them instead of
    /// falling after the playbook's deliberation.
    pub interactive: bool,
}

impl EuState {
    fn new(streams: &RngStreams, cat: &crate::world::catalog::Catalog) -> Self {
        EuState {
            rng: EuRngs {
                links: streams.stream("eu/links"),
                fusion: streams.stream("eu/fusion-cell"),
                nato: streams.stream("nato/analysis"),
                decisions: streams.stream("eu/decisions"),
                ucpm: streams.stream("eu/ucpm"),
                cyber: streams.stream("eu/cyber"),
                stratcom: streams.stream("eu/stratcom"),
            },
            hfc: analysis::Picture::default(),
            nato_picture: analysis::Picture::default(),
            stages: BTreeMap::new(),
            ipcr: ipcr::IpcrState::default(),
            decisions: Vec::new(),
            raised: BTreeSet::new(),
            ucpm: ucpm::UcpmState::new(&cat.response),
            cyber: cyber::CyberState::default(),
            stratcom: stratcom::StratComState::default(),
            nato: nato::NatoState::new(&cat.response),
            solidarity: BTreeMap::new(),
            affected: BTreeSet::new(),
            deterrence: 0.0,
            interactive: false,
        }
    }
}

pub(crate) fn later(sim: &mut Sim, delay: Duration, ev: EuEv) {
    sim.after(delay, Ev::Response(ResponseEv::Eu(ev)));
}

pub(crate) fn eu<'a>(sim: &'a mut Sim) -> Mut<'a, EuState> {
    sim.world.resource_mut::<EuState>()
}

pub(crate) fn eu_ref<'a>(sim: &'a Sim) -> &'a EuState {
    sim.world.resource::<EuState>()
}

pub(crate) fn emit(sim: &mut Sim, what: EuWhat) {
    sim.emit(What::Eu(what));
}

/// Samples `d` from one of the EU streams, scaled by `factor`.
pub(crate) fn draw(
    sim: &mut Sim,
    pick: fn(&mut EuRngs) -> &mut SimRng,
    d: &Dist,
    factor: f64,
) -> Duration {
    let mut st = eu(sim);
    d.sample_scaled(pick(&mut st.rng), factor)
}

/// A member state, warned (by the Fusion Cell or the CSIRTs network), hunts
/// the foothold `by` holds in `node` and finds it within `within`.
pub(crate) fn warned_hunt(
    sim: &mut Sim,
    by: crate::log::Origin,
    node: crate::world::catalog::NodeIx,
    within: &Dist,
    pick: fn(&mut EuRngs) -> &mut SimRng,
) {
    if !sim.cat.countries[sim.cat.nodes[node.i()].country.i()].eu {
        return;
    }
    let d = draw(sim, pick, within, 1.0);
    super::national::later(
        sim,
        d,
        super::national::NationalEv::HuntSucceeds { by, node },
    );
}

/// Installs the mechanisms' state and starts the review cadence, if any
/// EU or NATO mechanism takes part. With `interactive`, decision points wait
/// for the players (see [`answer`]).
pub fn start(sim: &mut Sim, interactive: bool) {
    if sim.cat.response.is_national_only() {
        return;
    }
    let mut st = EuState::new(&sim.rng.streams, sim.cat);
    st.interactive = interactive;
    sim.world.insert_resource(st);
    later(sim, Duration(0), EuEv::Review);
}

/// The deterrent effect of attribution and sanctions on later campaign steps.
pub fn deterrence(sim: &Sim) -> f64 {
    sim.world
        .get_resource::<EuState>()
        .map_or(0.0, |e| e.deterrence)
}

pub fn active(sim: &Sim) -> bool {
    sim.world.contains_resource::<EuState>()
}

/// Lets the mechanisms see a logged event.
pub fn observe(sim: &mut Sim, ev: &Event) {
    if !active(sim) {
        return;
    }
    match ev.what {
        What::IncidentOpened { country, .. }
        | What::IntrusionDetected { country, .. }
        | What::CbrnDetected { country, .. }
        | What::NarrativeDetected { country, .. } => {
            eu(sim).affected.insert(country);
        }
        _ => {}
    }
    analysis::observe(sim, ev);
    cyber::observe(sim, ev);
    stratcom::observe(sim, ev);
}

pub fn handle(sim: &mut Sim, ev: EuEv) {
    match ev {
        EuEv::Review => review(sim),
        EuEv::Analysis(a) => analysis::handle(sim, a),
        EuEv::Decide(i) => decide(sim, i),
        EuEv::Ipcr(e) => ipcr::handle(sim, e),
        EuEv::Ucpm(e) => ucpm::handle(sim, e),
        EuEv::Cyber(e) => cyber::handle(sim, e),
        EuEv::StratCom(e) => stratcom::handle(sim, e),
        EuEv::Nato(e) => nato::handle(sim, e),
    }
}

/// Every half hour each mechanism checks whether its triggers hold.
fn review(sim: &mut Sim) {
    ipcr::review(sim);
    ucpm::review(sim);
    cyber::review(sim);
    nato::review(sim);
    if sim.now.0 + REVIEW.0 <= sim.cat.duration.0 {
        later(sim, REVIEW, EuEv::Review);
    }
}

/// Raises a decision point unless it was raised before; it is decided after its deliberation.
pub(crate) fn raise(
    sim: &mut Sim,
    kind: DecisionKind,
    country: Option<CountryIx>,
    decision: &pb::Decision,
) {
    // A state may ask the UCPM again once a module has left (its own
    // `open` set guards against duplicates); other decisions come up once.
    let repeatable = matches!(kind, DecisionKind::UcpmRequest(_));
    if !eu(sim).raised.insert((kind, country)) && !repeatable {
        return;
    }
    let factor = if kind.coordinated() {
        ipcr::speed(sim)
    } else {
        1.0
    };
    let d = draw(sim, |r| &mut r.decisions, &decision.deliberation, factor);
    let now = sim.now;
    let id = {
        let mut st = eu(sim);
        st.decisions.push(DecisionRecord {
            kind,
            country,
            raised: now,
            decided: None,
            overtaken: false,
        });
        (st.decisions.len() - 1) as u16
    };
    emit(
        sim,
        EuWhat::DecisionRaised {
            kind,
            country,
            due: d.0.min(u32::MAX as u64) as u32,
        },
    );
    // At the dashboard the players deliberate; headless, the playbook's
    // deliberation time passes and its policy decides.
    if !eu_ref(sim).interactive {
        later(sim, d, EuEv::Decide(id));
    }
}

/// Decision points raised and not decided yet, oldest first.
pub fn pending(world: &World) -> Vec<u16> {
    world
        .get_resource::<EuState>()
        .map(|st| {
            st.decisions
                .iter()
                .enumerate()
                .filter(|(_, d)| d.decided.is_none() && !d.overtaken)
                .map(|(i, _)| i as u16)
                .collect()
        })
        .unwrap_or_default()
}

/// The players answer decision `id` (`None`: the time-out applies the
/// playbook's policy).
pub fn answer(sim: &mut Sim, id: u16, approve: Option<bool>) {
    let open = eu_ref(sim)
        .decisions
        .get(id as usize)
        .is_some_and(|d| d.decided.is_none() && !d.overtaken);
    if open {
        settle_decision(sim, id, approve.map(|a| (a, true)));
    }
}

/// The deliberation is over: the playbook's policy decides.
fn decide(sim: &mut Sim, id: u16) {
    settle_decision(sim, id, None);
}

/// Takes decision `id`: as `choice` says (approve, by the players), or by
/// the playbook's policy.
fn settle_decision(sim: &mut Sim, id: u16, choice: Option<(bool, bool)>) {
    let rec = eu_ref(sim).decisions[id as usize].clone();
    // IPCR may already be where the decision would take it (Art. 222).
    let target = match rec.kind {
        DecisionKind::IpcrInformationSharing => Some(IpcrMode::InformationSharing),
        DecisionKind::IpcrFullActivation => Some(IpcrMode::FullActivation),
        _ => None,
    };
    if target.is_some_and(|m| eu_ref(sim).ipcr.mode >= m) {
        eu(sim).decisions[id as usize].overtaken = true;
        emit(
            sim,
            EuWhat::DecisionOvertaken {
                kind: rec.kind,
                country: rec.country,
            },
        );
        return;
    }
    let (approved, players) = match choice {
        Some(c) => c,
        None => (default_choice(sim, id), false),
    };
    let now = sim.now;
    eu(sim).decisions[id as usize].decided = Some((now, approved));
    emit(
        sim,
        EuWhat::DecisionTaken {
            kind: rec.kind,
            country: rec.country,
            approved,
            players,
        },
    );
    if !approved {
        return;
    }
    match rec.kind {
        DecisionKind::IpcrInformationSharing => ipcr::enter(sim, IpcrMode::InformationSharing),
        DecisionKind::IpcrFullActivation => ipcr::enter(sim, IpcrMode::FullActivation),
        DecisionKind::UcpmRequest(need) => {
            if let Some(c) = rec.country {
                ucpm::request(sim, c, need);
            }
        }
        DecisionKind::Solidarity => {
            if let Some(c) = rec.country {
                ucpm::invoke_solidarity(sim, c);
            }
        }
        DecisionKind::Attribution => cyber::attribute(sim),
        DecisionKind::RestrictiveMeasures => cyber::adopt_measures(sim),
    }
}

/// What the playbook's policy would decide on `id` now.
pub fn default_choice(sim: &Sim, id: u16) -> bool {
    let rec = &eu_ref(sim).decisions[id as usize];
    match policy(&sim.cat.response, rec.kind) {
        Some(Policy::Approve) => true,
        Some(Policy::Decline) | None => false,
        Some(Policy::ApproveIf(t)) => holds(sim, &t, rec.country),
    }
}

/// The playbook's policy for a kind of decision.
pub fn policy(r: &pb::Response, kind: DecisionKind) -> Option<Policy> {
    let d = match kind {
        DecisionKind::IpcrInformationSharing => r.ipcr.as_ref().map(|i| &i.information_sharing),
        DecisionKind::IpcrFullActivation => r.ipcr.as_ref().map(|i| &i.full_activation),
        DecisionKind::UcpmRequest(_) => r.ucpm.as_ref().map(|u| &u.request),
        DecisionKind::Solidarity => r.solidarity.as_ref().map(|s| &s.invoke),
        DecisionKind::Attribution => r.toolbox.as_ref().map(|t| &t.attribution),
        DecisionKind::RestrictiveMeasures => r.toolbox.as_ref().map(|t| &t.measures),
    };
    d.map(|d| d.policy.clone())
}

/// Marks a stage of the EU Hybrid Playbook as reached (once).
pub(crate) fn stage(sim: &mut Sim, s: Stage) {
    if sim.cat.response.protocol.is_none() {
        return;
    }
    let now = sim.now;
    let mut st = eu(sim);
    if st.stages.contains_key(&s) {
        return;
    }
    st.stages.insert(s, now);
    emit(sim, EuWhat::ProtocolStage { stage: s });
}

/// Does `t` hold now? Country-level conditions are about `country`, or any state.
pub fn holds(sim: &Sim, t: &Trigger, country: Option<CountryIx>) -> bool {
    let st = eu_ref(sim);
    let cat = sim.cat;
    let countries: Vec<CountryIx> = match country {
        Some(c) => vec![c],
        None => (0..cat.countries.len())
            .map(|c| CountryIx(c as u32))
            .collect(),
    };
    match t {
        Trigger::Always => true,
        Trigger::Confidence(x) => analysis::joint_confidence(sim) >= x.0,
        Trigger::NatoConfidence(x) => st.nato_picture.confidence >= x.0,
        Trigger::StatesAffected(n) => st.affected.len() as u32 >= *n,
        Trigger::Casualties(n) => {
            let total: u32 = sim
                .ix
                .incidents
                .iter()
                .filter_map(|&e| sim.world.get::<Incident>(e))
                .filter(|i| country.is_none_or(|c| c == i.country))
                .map(|i| i.symptomatic_total.max(i.dead))
                .sum();
            total >= *n
        }
        Trigger::NodesDown(n) => {
            let t = sim.world.resource::<infra::Totals>();
            let down: u32 = countries.iter().map(|c| t.lost[c.i()]).sum();
            down >= *n
        }
        Trigger::Reach(x) => (0..cat.narratives.len()).any(|ni| {
            let ns = sim.narrative_ref(crate::world::catalog::NarrativeIx(ni as u32));
            cat.narratives[ni]
                .countries
                .iter()
                .zip(&ns.countries)
                .any(|(c, pc)| countries.contains(c) && pc.reach >= x.0)
        }),
        Trigger::TrustBelow(x) => countries.iter().any(|&c| sim.nation_ref(c).trust < x.0),
        Trigger::Overwhelmed => countries
            .iter()
            .any(|&c| !ucpm::needs(sim, c).is_empty() || !sim.nation_ref(c).csirt_queue.is_empty()),
        Trigger::Ipcr(m) => st.ipcr.mode >= *m,
        Trigger::Solidarity => !st.solidarity.is_empty(),
        Trigger::Attributed => st.cyber.attributed.is_some(),
        Trigger::Elapsed(d) => st
            .hfc
            .first_heard
            .is_some_and(|t0| sim.now.since(t0).0 >= d.0),
        Trigger::Any(ts) => ts.iter().any(|t| holds(sim, t, country)),
        Trigger::All(ts) => ts.iter().all(|t| holds(sim, t, country)),
    }
}
