//! The EU Hybrid Fusion Cell and NATO's Hybrid Analysis Branch.
//!
//! Indicators (a CSIRT incident, a CBRN alert, a narrative spotted, an
//! outage in the news) travel along the playbook's reporting links. Each
//! organisation's analysts work them one at a time (the rest queue); each
//! analysed indicator adds evidence, more when it brings a domain or country
//! not yet in the picture, and confidence that a hybrid campaign is under way
//! is `1 − e^(−evidence/scale)`. Neither knows which campaign an indicator
//! belongs to; the run does, to measure how soon each threat was assessed.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::protocol::{self, Stage};
use super::{EuEv, Stream, draw, eu, eu_ref, hunt, later};
use crate::engine::{Dist, SimTime, count_u8, count_u16, count_u32, show_at, show_secs};
use crate::infra::{Cause, InfraRecord};
use crate::log::{Context, Described, Domain, Record, kinds, round3};
use crate::playbook::{Body, NatoMode};
use crate::response::national::NationalRecord;
use crate::scenario::catalog::{CampaignIx, Catalog, CountryIx};
use crate::threats::cbrn::CbrnRecord;
use crate::threats::cyber::CyberRecord;
use crate::world::{Foothold, Incident, Sim};

/// What the Fusion Cell and NATO's Hybrid Analysis Branch log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AnalysisRecord {
    IndicatorReceived {
        by: Body,
        from: Body,
        country: CountryIx,
        domain: Domain,
        waiting: u16,
    },
    Assessment {
        by: Body,
        confidence: f32,
        indicators: u16,
        campaigns: u8,
        domains: u8,
        alert: bool,
    },
}

pub fn body_name(b: Body) -> &'static str {
    match b {
        Body::MemberStates => "member states",
        Body::Csirts => "CSIRTs network",
        Body::FusionCell => "EU Hybrid Fusion Cell",
        Body::StratCom => "EEAS StratCom",
        Body::OpenSource => "open sources",
        Body::Csdp => "CSDP missions",
        Body::Nato => "NATO Hybrid Analysis Branch",
    }
}

fn body_id(b: Body) -> &'static str {
    match b {
        Body::MemberStates => "MEMBER-STATES",
        Body::Csirts => "CSIRTS",
        Body::FusionCell => "HFC",
        Body::StratCom => "STRATCOM",
        Body::OpenSource => "OSINT",
        Body::Csdp => "CSDP",
        Body::Nato => "NATO",
    }
}

/// Words for a confidence, as intelligence assessments put it.
fn likelihood(c: f32) -> &'static str {
    match c {
        c if c >= 0.9 => "almost certain",
        c if c >= 0.75 => "highly likely",
        c if c >= 0.55 => "likely",
        c if c >= 0.4 => "a realistic possibility",
        _ => "unlikely",
    }
}

impl Record for AnalysisRecord {
    kinds! {
        IndicatorReceived => "indicator_received" (routine),
        Assessment => "assessment",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        match *self {
            AnalysisRecord::IndicatorReceived {
                by,
                from,
                country,
                domain,
                waiting,
            } => Described::new(format!(
                "{} receives a {} indicator from {} ({}){}",
                body_name(by),
                domain.name(),
                body_name(from),
                cx.country_name(country),
                if waiting > 0 {
                    format!("; {waiting} waiting for an analyst")
                } else {
                    String::new()
                }
            ))
            .actor(body_id(from))
            .target(body_id(by))
            .country(cx.country(country))
            .detail("indicator_domain", domain.name())
            .detail("analysts_queue", waiting),
            AnalysisRecord::Assessment {
                by,
                confidence,
                indicators,
                campaigns,
                domains,
                alert,
            } => Described::new(format!(
                "{} assessment: a coordinated hybrid campaign is {} ({:.0}% confidence, {} indicators, {} domains){}",
                body_name(by),
                likelihood(confidence),
                confidence * 100.0,
                indicators,
                domains,
                match (alert, by) {
                    (false, _) => "",
                    (true, Body::Nato) => "; allies alerted",
                    (true, _) => "; member states alerted",
                }
            ))
            .actor(body_id(by))
            .detail("confidence", round3(confidence))
            .detail("indicators", indicators)
            .detail("linked_threads", campaigns)
            .detail("domains", domains)
            .detail("alert", alert),
        }
    }
}

/// One report of something hostile, as it travels.
#[derive(Clone, Copy, Debug)]
pub struct Indicator {
    /// Where the receiving organisation has it from.
    pub source: Body,
    pub country: CountryIx,
    pub domain: Domain,
    /// The campaign it really belongs to (unknown to the analysts).
    pub campaign: Option<CampaignIx>,
}

#[derive(Clone, Copy, Debug)]
pub enum AnalysisEv {
    Arrives { to: Body, ind: Indicator },
    Done { by: Body, ind: Indicator },
}

/// One organisation's picture of the campaign.
#[derive(Debug, Default)]
pub struct Picture {
    pub busy: u32,
    pub queue: VecDeque<Indicator>,
    pub longest_queue: u32,
    pub received: u32,
    pub analysed: u32,
    pub evidence: f64,
    pub confidence: f64,
    pub domains: BTreeSet<Domain>,
    pub countries: BTreeSet<CountryIx>,
    /// When each campaign first added evidence.
    pub campaigns: BTreeMap<CampaignIx, SimTime>,
    pub first_heard: Option<SimTime>,
    /// Confidence of the last assessment issued.
    pub last_assessed: Option<f64>,
    pub alerted: Option<SimTime>,
    /// When confidence first reached the protocol's assessment threshold.
    pub assessed: Option<SimTime>,
}

fn indicator(
    source: Body,
    country: CountryIx,
    domain: Domain,
    campaign: Option<CampaignIx>,
) -> Indicator {
    Indicator {
        source,
        country,
        domain,
        campaign,
    }
}

/// Detections by national responders become indicators.
pub fn on_national(sim: &mut Sim, r: &NationalRecord) {
    let found = match *r {
        NationalRecord::IncidentOpened { by, country, .. }
        | NationalRecord::IntrusionDetected { by, country, .. } => Some(indicator(
            Body::MemberStates,
            country,
            Domain::Cyber,
            by.campaign(),
        )),
        NationalRecord::CbrnDetected { incident, country } => {
            let by = sim
                .world
                .get::<Incident>(sim.ix.incidents[incident as usize])
                .map(|i| i.by);
            Some(indicator(
                Body::MemberStates,
                country,
                Domain::Cbrn,
                by.and_then(|o| o.campaign()),
            ))
        }
        NationalRecord::NarrativeDetected { narrative, country } => {
            let by = sim.narrative_ref(narrative).launched.map(|l| l.1);
            Some(indicator(
                Body::MemberStates,
                country,
                Domain::Disinfo,
                by.and_then(|o| o.campaign()),
            ))
        }
        _ => None,
    };
    if let Some(i) = found {
        report(sim, i);
    }
}

/// Outages caused by attacks make the news.
pub fn on_infra(sim: &mut Sim, r: &InfraRecord) {
    let InfraRecord::ServiceLost { node, cause, .. } = *r else {
        return;
    };
    let (by, domain) = match cause {
        Cause::Attack(by) | Cause::Malware(by, _) => (by, Domain::Cyber),
        Cause::Sabotage(by) => (by, Domain::Infra),
        _ => return,
    };
    let country = sim.cat.nodes[node.i()].country;
    report(
        sim,
        indicator(Body::OpenSource, country, domain, by.campaign()),
    );
}

/// Releases make the news.
pub fn on_cbrn(sim: &mut Sim, r: &CbrnRecord) {
    if let CbrnRecord::Release { by, country, .. } = *r {
        report(
            sim,
            indicator(Body::OpenSource, country, Domain::Cbrn, by.campaign()),
        );
    }
}

/// Once alerted, member states (by the Fusion Cell) and allies (by NATO)
/// look for the actor's new footholds too.
pub fn on_cyber(sim: &mut Sim, r: &CyberRecord) {
    if let CyberRecord::IntrusionPlanted { by, node } = *r {
        let def = &sim.cat.countries[sim.cat.nodes[node.i()].country.i()];
        let st = eu_ref(sim);
        let fusion = sim.cat.response.fusion_cell.as_ref();
        let on_alert: Option<(Dist, Stream)> = if def.eu && st.hfc.alerted.is_some() {
            fusion.map(|f| (f.alerted_hunt, FUSION))
        } else if def.nato && st.nato_picture.alerted.is_some() {
            nato_hunt(sim).map(|d| (d, NATO))
        } else {
            None
        };
        if let Some((within, pick)) = on_alert {
            hunt(sim, by, node, &within, pick);
        }
    }
}

/// Sends an indicator along every link from its source to an analysing body.
pub fn report(sim: &mut Sim, ind: Indicator) {
    let r = &sim.cat.response;
    for to in [Body::FusionCell, Body::Nato] {
        // Outside the Union, CSDP missions are the EU's eyes.
        let outside = !sim.cat.countries[ind.country.i()].eu
            && matches!(ind.source, Body::MemberStates | Body::OpenSource);
        let ind = if to == Body::FusionCell && outside {
            Indicator {
                source: Body::Csdp,
                ..ind
            }
        } else {
            ind
        };
        let exists = match to {
            Body::FusionCell => r.fusion_cell.is_some(),
            _ => r.nato.is_some(),
        };
        // Allies report to NATO; other member states do not.
        let ally = to != Body::Nato
            || ind.source != Body::MemberStates
            || sim.cat.countries[ind.country.i()].nato;
        let Some(link) = r.link(ind.source, to).filter(|_| exists && ally) else {
            continue;
        };
        // In parallel mode national services answer two sets of requests.
        let burden = match &r.nato {
            Some(n) if n.mode == NatoMode::Parallel && ind.source == Body::MemberStates => {
                1.0 + n.duplication.0
            }
            _ => 1.0,
        };
        let link = *link;
        let d = draw(sim, |r| &mut r.links, &link, burden);
        later(sim, d, EuEv::Analysis(AnalysisEv::Arrives { to, ind }));
    }
}

pub fn handle(sim: &mut Sim, ev: AnalysisEv) {
    match ev {
        AnalysisEv::Arrives { to, ind } => arrives(sim, to, ind),
        AnalysisEv::Done { by, ind } => done(sim, by, ind),
    }
}

fn picture(st: &mut super::EuState, by: Body) -> &mut Picture {
    if by == Body::Nato {
        &mut st.nato_picture
    } else {
        &mut st.hfc
    }
}

fn analysts(sim: &Sim, by: Body) -> (u32, crate::engine::Dist) {
    let r = &sim.cat.response;
    match by {
        Body::Nato => r.nato.as_ref().map(|n| (n.analysts, n.analysis)),
        _ => r.fusion_cell.as_ref().map(|f| (f.analysts, f.analysis)),
    }
    .expect("indicators only reach bodies that exist")
}

fn arrives(sim: &mut Sim, to: Body, ind: Indicator) {
    let now = sim.now;
    let (n, analysis) = analysts(sim, to);
    let start = {
        let mut st = eu(sim);
        let p = picture(&mut st, to);
        p.received += 1;
        p.first_heard.get_or_insert(now);
        if p.busy < n {
            p.busy += 1;
            true
        } else {
            p.queue.push_back(ind);
            p.longest_queue = p.longest_queue.max(count_u32(p.queue.len()));
            false
        }
    };
    let waiting = count_u16(picture(&mut eu(sim), to).queue.len());
    sim.emit(AnalysisRecord::IndicatorReceived {
        by: to,
        from: ind.source,
        country: ind.country,
        domain: ind.domain,
        waiting,
    });
    if to == Body::FusionCell {
        protocol::reach(sim, Stage::Detection);
    }
    if start {
        begin(sim, to, ind, &analysis);
    }
}

fn begin(sim: &mut Sim, by: Body, ind: Indicator, analysis: &crate::engine::Dist) {
    fn nato(r: &mut super::EuRngs) -> &mut crate::engine::SimRng {
        &mut r.nato
    }
    fn fusion(r: &mut super::EuRngs) -> &mut crate::engine::SimRng {
        &mut r.fusion
    }
    let pick = if by == Body::Nato { nato } else { fusion };
    let d = draw(sim, pick, analysis, 1.0);
    later(sim, d, EuEv::Analysis(AnalysisEv::Done { by, ind }));
}

/// An analysed indicator joins the picture; confidence moves; perhaps an assessment goes out.
fn done(sim: &mut Sim, by: Body, ind: Indicator) {
    let r = &sim.cat.response;
    let now = sim.now;
    let fusion = r.fusion_cell.as_ref();
    // NATO weighs sources like the Fusion Cell does, when there is one.
    let weights = fusion.map(|f| f.weights);
    let weight = match ind.source {
        Body::MemberStates => weights.map_or(1.0, |w| w.member_states),
        Body::Csirts => weights.map_or(0.8, |w| w.csirts),
        Body::StratCom => weights.map_or(0.5, |w| w.stratcom),
        Body::OpenSource => weights.map_or(0.3, |w| w.open_source),
        Body::Csdp => weights.map_or(0.5, |w| w.csdp),
        Body::Nato | Body::FusionCell => weights.map_or(0.8, |w| w.nato),
    };
    let bonus = fusion.map_or(1.5, |f| f.linking_bonus);
    let (scale, alert) = match by {
        Body::Nato => {
            let n = r.nato.as_ref().expect("NATO analyses only when present");
            (n.evidence_scale, n.alert.0)
        }
        _ => {
            let f = fusion.expect("the Fusion Cell analyses only when present");
            (f.evidence_scale, f.alert.0)
        }
    };
    let (_, analysis) = analysts(sim, by);
    let (assessment, first_alert, next) = {
        let mut st = eu(sim);
        let p = picture(&mut st, by);
        let new_link = p.domains.insert(ind.domain) | p.countries.insert(ind.country);
        p.evidence += weight * if new_link { bonus } else { 1.0 };
        p.confidence = 1.0 - crate::engine::math::exp(-p.evidence / scale);
        p.analysed += 1;
        if let Some(c) = ind.campaign {
            p.campaigns.entry(c).or_insert(now);
        }
        let conf = p.confidence;
        let due = conf >= alert && p.last_assessed.is_none_or(|last| conf >= last + 0.1);
        if due {
            p.last_assessed = Some(conf);
        }
        let first_alert = due && p.alerted.is_none();
        if first_alert {
            p.alerted = Some(now);
        }
        let next = p.queue.pop_front();
        if next.is_none() {
            p.busy -= 1;
        }
        (
            due.then_some((conf, p.analysed, p.campaigns.len(), p.domains.len())),
            first_alert,
            next,
        )
    };
    if let Some((confidence, indicators, campaigns, domains)) = assessment {
        sim.emit(AnalysisRecord::Assessment {
            by,
            confidence: confidence as f32,
            indicators: u16::try_from(indicators).unwrap_or(u16::MAX),
            campaigns: count_u8(campaigns),
            domains: count_u8(domains),
            alert: first_alert,
        });
    }
    if by == Body::Nato && first_alert {
        alert_allies(sim);
    }
    if by == Body::FusionCell {
        if first_alert {
            alert_member_states(sim);
        }
        if let Some(p) = &r.protocol {
            let conf = eu_ref(sim).hfc.confidence;
            if conf >= p.assess.0 {
                eu(sim).hfc.assessed.get_or_insert(now);
                protocol::reach(sim, Stage::Assessment);
            }
        }
    }
    // Each organisation passes what it analysed to the other, where a link exists.
    if !matches!(ind.source, Body::FusionCell | Body::Nato) {
        let (other, source) = if by == Body::Nato {
            (Body::FusionCell, Body::Nato)
        } else {
            (Body::Nato, Body::FusionCell)
        };
        let present = match other {
            Body::Nato => r.nato.is_some(),
            _ => r.fusion_cell.is_some(),
        };
        if present && let Some(link) = r.link(by, other) {
            let link = *link;
            let d = draw(sim, |r| &mut r.links, &link, 1.0);
            let fwd = Indicator { source, ..ind };
            later(
                sim,
                d,
                EuEv::Analysis(AnalysisEv::Arrives {
                    to: other,
                    ind: fwd,
                }),
            );
        }
    }
    if let Some(next) = next {
        begin(sim, by, next, &analysis);
    }
}

/// The Fusion Cell's alert reaches member states: their services hunt every
/// foothold the actor still holds, much faster than routine monitoring would.
/// A state already hunting on NATO's earlier alert does not start again.
fn alert_member_states(sim: &mut Sim) {
    let Some(within) = sim
        .cat
        .response
        .fusion_cell
        .as_ref()
        .map(|f| f.alerted_hunt)
    else {
        return;
    };
    let cat = sim.cat;
    let nato_first = nato_hunt(sim).is_some() && eu_ref(sim).nato_picture.alerted.is_some();
    let hunts =
        |c: CountryIx| cat.countries[c.i()].eu && !(nato_first && cat.countries[c.i()].nato);
    alerted_hunts(sim, hunts, within, FUSION);
}

/// NATO's assessment reaches the allies: their services hunt the footholds
/// the actor still holds, as member states do on the Fusion Cell's alert.
/// A member state already hunting on the Fusion Cell's alert does not start
/// again.
fn alert_allies(sim: &mut Sim) {
    let Some(within) = nato_hunt(sim) else {
        return;
    };
    let cat = sim.cat;
    let eu_first = cat.response.fusion_cell.is_some() && eu_ref(sim).hfc.alerted.is_some();
    let hunts = |c: CountryIx| cat.countries[c.i()].nato && !(eu_first && cat.countries[c.i()].eu);
    alerted_hunts(sim, hunts, within, NATO);
}

/// How fast allies hunt on NATO's alert, if they act on it.
fn nato_hunt(sim: &Sim) -> Option<Dist> {
    sim.cat.response.nato.as_ref().and_then(|n| n.alerted_hunt)
}

const FUSION: Stream = |r| &mut r.fusion;
const NATO: Stream = |r| &mut r.nato_hunt;

/// The services of the states `hunts` picks look for every active foothold
/// in their networks.
fn alerted_hunts(sim: &mut Sim, hunts: impl Fn(CountryIx) -> bool, within: Dist, pick: Stream) {
    let mut found = Vec::new();
    for n in crate::threats::cyber::foothold_nodes(sim, hunts) {
        for (o, f) in &sim.node_ref(n).footholds {
            if *f == Foothold::Active {
                found.push((*o, n));
            }
        }
    }
    for (by, node) in found {
        hunt(sim, by, node, &within, pick);
    }
}

/// The confidence decisions rest on: the Fusion Cell's, or in coordinated
/// mode the better of the EU's and NATO's shared pictures.
pub fn joint_confidence(sim: &Sim) -> f64 {
    let st = eu_ref(sim);
    match &sim.cat.response.nato {
        Some(n) if n.mode == NatoMode::Coordinated => {
            st.hfc.confidence.max(st.nato_picture.confidence)
        }
        _ => st.hfc.confidence,
    }
}

/// The Fusion Cell on the dashboard.
pub fn dashboard(st: &super::EuState, _: &Catalog) -> String {
    format!(
        "{:.0}% confident · {} reports · queue {} · alert {}",
        st.hfc.confidence * 100.0,
        st.hfc.received,
        st.hfc.queue.len(),
        show_at(st.hfc.alerted)
    )
}

/// What the Fusion Cell did.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    eu.fusion_cell.as_ref().map_or(String::new(), |f| {
        format!(
            "{} indicators received, {} analysed, longest analyst queue {}; first heard {}, member states alerted {}, assessed {}; confidence {:.0}%",
            f.indicators_received,
            f.indicators_analysed,
            f.longest_queue,
            show_secs(f.first_heard_s),
            show_secs(f.alerted_s),
            show_secs(f.assessed_s),
            f.confidence * 100.0
        )
    })
}
