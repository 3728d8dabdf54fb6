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
//! - [`solidarity`]: Art. 222, which widens UCPM and fully activates IPCR.
//! - [`blueprint`]: the Blueprint and the CSIRTs network (sharing, warnings,
//!   isolation, ENISA support).
//! - [`lending`]: the EU Cybersecurity Reserve and the Hybrid Rapid
//!   Response Teams, which lend teams to states that ask for them.
//! - [`toolbox`]: the Cyber Diplomacy Toolbox (attribution, restrictive
//!   measures, deterrence of later steps).
//! - [`stratcom`]: the StratCom task forces and the Rapid Alert System.
//! - [`nato`]: NATO's support to allies, in parallel or coordinated mode.
//! - [`protocol`]: the EU Hybrid Playbook's stages.
//!
//! Political decisions (raise IPCR, invoke Art. 222, request UCPM help,
//! attribute, adopt sanctions) are raised as [`decision`] points with
//! options and decided after a deliberation by the playbook's policy.
//!
//! A [`Review`](EuEv::Review) every half hour lets each mechanism check its
//! triggers; everything else reacts to events as they are logged.

pub mod analysis;
pub mod blueprint;
pub mod decision;
pub mod ipcr;
pub mod lending;
pub mod mechanisms;
pub mod metrics;
pub mod nato;
pub mod protocol;
pub mod solidarity;
pub mod stratcom;
#[cfg(test)]
mod tests;
pub mod toolbox;
pub mod ucpm;

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

pub use decision::{DecisionKind, DecisionPoint, answer, default_choice, pending, scripted};
pub use mechanisms::{MECHANISMS, Mechanism, MechanismInfo};
pub use protocol::Stage;

use crate::engine::{Dist, Duration, RngStreams, SimRng, SimTime};
use crate::infra::{self, InfraRecord};
use crate::log::Origin;
use crate::playbook::Trigger;
use crate::response::national::NationalRecord;
use crate::scenario::catalog::{CampaignIx, CountryIx, NodeIx};
use crate::threats::cbrn::CbrnRecord;
use crate::threats::cyber::CyberRecord;
use crate::threats::disinfo::DisinfoRecord;
use crate::world::Sim;

crate::log::records! {
    /// What the EU and NATO mechanisms log, by the mechanism that logs it.
    pub enum EuRecord {
        Analysis(analysis::AnalysisRecord),
        Decision(decision::DecisionRecord),
        Protocol(protocol::ProtocolRecord),
        Ipcr(ipcr::IpcrRecord),
        Ucpm(ucpm::UcpmRecord),
        Solidarity(solidarity::SolidarityRecord),
        Blueprint(blueprint::BlueprintRecord),
        Loan(lending::LoanRecord),
        Toolbox(toolbox::ToolboxRecord),
        StratCom(stratcom::StratComRecord),
        Nato(nato::NatoRecord),
    }
    unions {}
}

/// How often mechanisms check their triggers.
pub const REVIEW: Duration = Duration::minutes(30);

/// A scheduled action of an EU or NATO mechanism.
#[derive(Clone, Copy, Debug)]
pub enum EuEv {
    Review,
    Analysis(analysis::AnalysisEv),
    Decide(u32),
    Ipcr(ipcr::IpcrEv),
    Ucpm(ucpm::UcpmEv),
    Blueprint(blueprint::BlueprintEv),
    Loan(lending::Lender, lending::LoanEv),
    StratCom(stratcom::StratComEv),
    Nato(nato::NatoEv),
}

/// Random streams of the EU and NATO mechanisms, one per mechanism.
pub struct EuRngs {
    pub links: SimRng,
    pub fusion: SimRng,
    pub nato: SimRng,
    pub decisions: SimRng,
    pub ucpm: SimRng,
    pub cyber: SimRng,
    pub reserve: SimRng,
    pub hrrt: SimRng,
    /// Added mechanisms draw apart, so that the others meet the same dice.
    pub ras_sharing: SimRng,
    pub nato_hunt: SimRng,
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
    pub decisions: Vec<DecisionPoint>,
    /// Decisions raised so far, so that none is raised twice.
    pub raised: BTreeSet<(DecisionKind, Option<CountryIx>)>,
    pub ucpm: ucpm::UcpmState,
    pub blueprint: blueprint::BlueprintState,
    /// The pools of teams lent on request, by [`lending::Lender`].
    pub lending: [lending::Pool; 2],
    pub toolbox: toolbox::ToolboxState,
    pub stratcom: stratcom::StratComState,
    pub nato: nato::NatoState,
    /// Member states that invoked Art. 222, and when.
    pub solidarity: BTreeMap<CountryIx, SimTime>,
    /// States with a detected threat (for `StatesAffected`).
    pub affected: BTreeSet<CountryIx>,
    /// When an EU or NATO action first answered each campaign (a share, an
    /// isolation, a debunk or alert, a module on the ground).
    pub responded: BTreeMap<CampaignIx, SimTime>,
    /// Players at the dashboard decide; decisions wait for them instead of
    /// falling after the playbook's deliberation.
    pub interactive: bool,
}

impl EuState {
    fn new(streams: &RngStreams, cat: &crate::scenario::catalog::Catalog) -> Self {
        EuState {
            rng: EuRngs {
                links: streams.stream("eu/links"),
                fusion: streams.stream("eu/fusion-cell"),
                nato: streams.stream("nato/analysis"),
                decisions: streams.stream("eu/decisions"),
                ucpm: streams.stream("eu/ucpm"),
                cyber: streams.stream("eu/cyber"),
                reserve: streams.stream("eu/cyber-reserve"),
                hrrt: streams.stream("eu/hrrt"),
                ras_sharing: streams.stream("eu/ras-sharing"),
                nato_hunt: streams.stream("nato/alerted-hunt"),
                stratcom: streams.stream("eu/stratcom"),
            },
            hfc: analysis::Picture::default(),
            nato_picture: analysis::Picture::default(),
            stages: BTreeMap::new(),
            ipcr: ipcr::IpcrState::default(),
            decisions: Vec::new(),
            raised: BTreeSet::new(),
            ucpm: ucpm::UcpmState::new(&cat.response, cat.countries.len()),
            blueprint: blueprint::BlueprintState::default(),
            lending: lending::pools(&cat.response),
            toolbox: toolbox::ToolboxState::default(),
            stratcom: stratcom::StratComState::default(),
            nato: nato::NatoState::new(&cat.response),
            solidarity: BTreeMap::new(),
            affected: BTreeSet::new(),
            responded: BTreeMap::new(),
            interactive: false,
        }
    }
}

pub(crate) fn later(sim: &mut Sim, delay: Duration, ev: EuEv) {
    sim.after(delay, ev);
}

pub(crate) fn eu<'a>(sim: &'a mut Sim) -> Mut<'a, EuState> {
    sim.world.resource_mut::<EuState>()
}

pub(crate) fn eu_ref<'a>(sim: &'a Sim) -> &'a EuState {
    sim.world.resource::<EuState>()
}

/// An EU or NATO action answers campaign `c` (the first answer counts).
pub(crate) fn answered(sim: &mut Sim, c: CampaignIx) {
    let now = sim.now;
    eu(sim).responded.entry(c).or_insert(now);
}

/// Which of the EU and NATO streams a draw comes from.
pub(crate) type Stream = fn(&mut EuRngs) -> &mut SimRng;

/// Samples `d` from one of the EU streams, scaled by `factor`.
pub(crate) fn draw(sim: &mut Sim, pick: Stream, d: &Dist, factor: f64) -> Duration {
    let mut st = eu(sim);
    d.sample_scaled(pick(&mut st.rng), factor)
}

/// A state's services, alerted or warned, hunt the foothold `by` holds in
/// `node` and find it within `within`.
pub(crate) fn hunt(sim: &mut Sim, by: Origin, node: NodeIx, within: &Dist, pick: Stream) {
    let d = draw(sim, pick, within, 1.0);
    super::national::later(
        sim,
        d,
        super::national::NationalEv::HuntSucceeds { by, node },
    );
}

/// A member state, warned (by the Fusion Cell or the CSIRTs network), hunts
/// the foothold `by` holds in `node` (see [`hunt`]).
pub(crate) fn warned_hunt(sim: &mut Sim, by: Origin, node: NodeIx, within: &Dist, pick: Stream) {
    if sim.cat.countries[sim.cat.nodes[node.i()].country.i()].eu {
        hunt(sim, by, node, within, pick);
    }
}

/// Installs the mechanisms' state and starts the review cadence, if any
/// EU or NATO mechanism takes part. With `interactive`, decision points wait
/// for the players (see [`answer`]).
pub fn start(sim: &mut Sim, interactive: bool) {
    if mechanisms::national_only(&sim.cat.response) {
        return;
    }
    let mut st = EuState::new(&sim.rng.streams, sim.cat);
    st.interactive = interactive;
    sim.world.insert_resource(st);
    later(sim, Duration(0), EuEv::Review);
}

/// The mechanisms' state, if any EU or NATO mechanism takes part.
pub fn state<'a>(sim: &'a Sim) -> Option<&'a EuState> {
    sim.world.get_resource::<EuState>()
}

pub fn active(sim: &Sim) -> bool {
    sim.world.contains_resource::<EuState>()
}

/// National detections tell which states are affected, reach the analysts
/// as indicators, and go to the CSIRTs network.
pub fn on_national(sim: &mut Sim, r: &NationalRecord) {
    if !active(sim) {
        return;
    }
    if let NationalRecord::IncidentOpened { country, .. }
    | NationalRecord::IntrusionDetected { country, .. }
    | NationalRecord::CbrnDetected { country, .. }
    | NationalRecord::NarrativeDetected { country, .. } = *r
    {
        eu(sim).affected.insert(country);
    }
    analysis::on_national(sim, r);
    blueprint::on_national(sim, r);
}

pub fn on_infra(sim: &mut Sim, r: &InfraRecord) {
    if active(sim) {
        analysis::on_infra(sim, r);
    }
}

pub fn on_cbrn(sim: &mut Sim, r: &CbrnRecord) {
    if active(sim) {
        analysis::on_cbrn(sim, r);
    }
}

pub fn on_cyber(sim: &mut Sim, r: &CyberRecord) {
    if active(sim) {
        analysis::on_cyber(sim, r);
        blueprint::on_cyber(sim, r);
    }
}

pub fn on_disinfo(sim: &mut Sim, r: &DisinfoRecord) {
    if active(sim) {
        stratcom::on_disinfo(sim, r);
    }
}

pub fn handle(sim: &mut Sim, ev: EuEv) {
    match ev {
        EuEv::Review => review(sim),
        EuEv::Analysis(a) => analysis::handle(sim, a),
        EuEv::Decide(i) => decision::decide(sim, i),
        EuEv::Ipcr(e) => ipcr::handle(sim, e),
        EuEv::Ucpm(e) => ucpm::handle(sim, e),
        EuEv::Blueprint(e) => blueprint::handle(sim, e),
        EuEv::Loan(l, e) => lending::handle(sim, l, e),
        EuEv::StratCom(e) => stratcom::handle(sim, e),
        EuEv::Nato(e) => nato::handle(sim, e),
    }
}

/// Every half hour each mechanism checks whether its triggers hold.
fn review(sim: &mut Sim) {
    ipcr::review(sim);
    for (c, def) in sim.cat.countries.iter().enumerate() {
        let c = CountryIx::at(c);
        if def.eu {
            solidarity::review_country(sim, c);
            ucpm::review_country(sim, c);
        }
        lending::review_country(sim, c);
    }
    toolbox::review(sim);
    nato::review(sim);
    if sim.now.0 + REVIEW.0 <= sim.cat.duration.0 {
        later(sim, REVIEW, EuEv::Review);
    }
}

/// Is `c` short of means right now: a need its own cannot meet (see
/// [`ucpm::needs`]), or incidents queued for its CSIRT teams?
pub fn overwhelmed(sim: &Sim, c: CountryIx) -> bool {
    !ucpm::needs(sim, c).is_empty() || !sim.nation_ref(c).csirt_queue.is_empty()
}

/// Does `t` hold now? Country-level conditions are about `country`, or any state.
pub fn holds(sim: &Sim, t: &Trigger, country: Option<CountryIx>) -> bool {
    let st = eu_ref(sim);
    let cat = sim.cat;
    let scope = match country {
        Some(c) => c.0..c.0 + 1,
        None => 0..crate::engine::count_u32(cat.countries.len()),
    };
    let countries = || scope.clone().map(CountryIx);
    match t {
        Trigger::Always => true,
        // The Fusion Cell's assessment reaches the Council, the Commission and
        // the EEAS by the route the EU Hybrid Playbook lays down; without it
        // the assessment stays an intelligence product no decision rests on.
        Trigger::Confidence(x) => {
            cat.response.protocol.is_some() && analysis::joint_confidence(sim) >= x.0
        }
        Trigger::NatoConfidence(x) => st.nato_picture.confidence >= x.0,
        Trigger::StatesAffected(n) => crate::engine::count_u32(st.affected.len()) >= *n,
        Trigger::Casualties(n) => {
            let total: u32 = sim
                .incidents()
                .filter(|i| country.is_none_or(|c| c == i.country))
                .map(|i| i.symptomatic_total.max(i.dead))
                .sum();
            total >= *n
        }
        Trigger::NodesDown(n) => {
            let t = sim.world.resource::<infra::Totals>();
            let down: u32 = countries().map(|c| t.lost[c.i()]).sum();
            down >= *n
        }
        Trigger::Reach(x) => (0..cat.narratives.len()).any(|ni| {
            let ns = sim.narrative_ref(crate::scenario::catalog::NarrativeIx::at(ni));
            cat.narratives[ni]
                .countries
                .iter()
                .zip(&ns.countries)
                .any(|(c, pc)| scope.contains(&c.0) && pc.reach >= x.0)
        }),
        Trigger::TrustBelow(x) => countries().any(|c| sim.nation_ref(c).trust < x.0),
        Trigger::Overwhelmed => countries().any(|c| overwhelmed(sim, c)),
        Trigger::Ipcr(m) => st.ipcr.mode >= *m,
        Trigger::Solidarity => !st.solidarity.is_empty(),
        Trigger::Attributed => st.toolbox.attributed.is_some(),
        Trigger::Elapsed(d) => st
            .hfc
            .first_heard
            .is_some_and(|t0| sim.now.since(t0).0 >= d.0),
        Trigger::Any(ts) => ts.iter().any(|t| holds(sim, t, country)),
        Trigger::All(ts) => ts.iter().all(|t| holds(sim, t, country)),
    }
}
