//! What a run measured at an instant: the figures of `summary.json`, which
//! the metrics ([`super::METRICS`]), the reports and the dashboard read,
//! computed from the event log (times, counts, evidence) and from the
//! world's tallies (service lost, trust), and the objectives' ratings.
//!
//! [`Summary::measure`] is the one function for every instant: a finished
//! run, a run stopped early, and a live exercise paused anywhere (outages
//! still under way count up to the instant).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::SimTime;
use crate::exercise::{ControlRecord, Exercise, What};
use crate::infra::{Cause, InfraRecord};
use crate::log::{Domain, Event, Origin, Record};
use crate::opinion::OpinionRecord;
use crate::response::eu::EuRecord;
use crate::response::eu::stratcom::StratComRecord;
use crate::response::national::NationalRecord;
use crate::scenario::Sector;
use crate::scenario::catalog::{
    CampaignIx, Catalog, CountryIx, Measure, NarrativeIx, NodeIx, NodeSet,
};
use crate::threats::cbrn::CbrnRecord;
use crate::threats::cyber::CyberRecord;
use crate::threats::disinfo::DisinfoRecord;
use crate::world::{
    CampaignState, Incident, InfraState, NarrativeState, Nation, StepStatus, all_in_order,
};

/// HSEEP rating of how an objective was performed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::P, Rating::S, Rating::M, Rating::U];

    pub fn letter(self) -> &'static str {
        match self {
            Rating::P => "P",
            Rating::S => "S",
            Rating::M => "M",
            Rating::U => "U",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Rating::P => "performed without challenges",
            Rating::S => "performed with some challenges",
            Rating::M => "performed with major challenges",
            Rating::U => "unable to be performed",
        }
    }

    /// Rates a measured value against a target where smaller is better:
    /// within the target P, up to half again S, up to three times M, beyond U.
    fn from_ratio(r: f64) -> Rating {
        if r <= 1.0 {
            Rating::P
        } else if r <= 1.5 {
            Rating::S
        } else if r <= 3.0 {
            Rating::M
        } else {
            Rating::U
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub start: String,
    /// Simulated seconds covered.
    pub until_s: u64,
    pub events: usize,
    pub events_by_domain: BTreeMap<String, usize>,
    pub campaigns: Vec<CampaignMetrics>,
    pub infrastructure: InfraMetrics,
    pub cbrn: CbrnMetrics,
    pub opinion: OpinionMetrics,
    pub response: ResponseMetrics,
    pub injects_fired: usize,
    pub objectives: Vec<ObjectiveResult>,
    /// The EU and NATO mechanisms, when a playbook brought any.
    pub eu: Option<crate::response::eu::metrics::EuMetrics>,
    /// The same scenario and seed with national responders only, when a
    /// playbook brought EU or NATO mechanisms.
    pub versus_baseline: Option<super::compare::Comparison>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CampaignMetrics {
    pub id: String,
    pub name: String,
    pub actor: String,
    pub steps: usize,
    pub steps_succeeded: usize,
    pub steps_failed: usize,
    /// First successful step, seconds from T+0.
    pub first_effect_s: Option<u64>,
    /// First time a responder detected any of it.
    pub detected_s: Option<u64>,
    pub time_to_detect_s: Option<u64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct InfraMetrics {
    pub node_hours_lost: f64,
    pub people_hours_lost: f64,
    pub by_sector: BTreeMap<String, f64>,
    pub by_country: BTreeMap<String, f64>,
    pub nodes_impaired: usize,
    pub service_lost_events: usize,
    pub cascade_failures: usize,
    pub cascades_held: usize,
    pub longest_outage_h: f64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CbrnMetrics {
    pub exposed: u64,
    /// People never exposed who queued for decontamination with the exposed.
    #[serde(default)]
    pub worried_well: u64,
    pub ill: u64,
    pub dead: u64,
    /// The exposed and the worried well through decontamination.
    pub decontaminated: u64,
    pub incidents: Vec<IncidentMetrics>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IncidentMetrics {
    pub incident: u32,
    pub country: String,
    pub released_s: u64,
    pub exposed: u32,
    pub ill: u32,
    pub dead: u32,
    pub time_to_detect_s: Option<u64>,
    pub time_to_identify_s: Option<u64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct OpinionMetrics {
    pub countries: Vec<CountryOpinion>,
    pub narratives: Vec<NarrativeMetrics>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CountryOpinion {
    pub country: String,
    pub trust_start: f64,
    pub trust_end: f64,
    pub trust_min: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NarrativeMetrics {
    pub id: String,
    pub title: String,
    pub launched_s: Option<u64>,
    pub first_detected_s: Option<u64>,
    pub peak_reach: f64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ResponseMetrics {
    pub intrusions_planted: usize,
    pub intrusions_detected: usize,
    pub intrusions_evicted: usize,
    pub incidents_opened: usize,
    pub incidents_queued: usize,
    pub restorations: usize,
    pub restorations_queued: usize,
    pub narratives_spotted: usize,
    pub debunks: usize,
    pub platform_actions: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ObjectiveResult {
    pub id: String,
    pub title: String,
    pub rating: Rating,
    pub meaning: String,
    /// What the criterion measures: detect, restore, service_loss,
    /// identify, casualties, trust or reach.
    pub kind: String,
    /// The measured value and the target, in the criterion's unit.
    pub measured: Option<f64>,
    pub target: f64,
    pub unit: String,
    pub finding: String,
    /// Sequence numbers of the events behind the rating.
    pub evidence: Vec<u64>,
}

impl ObjectiveResult {
    pub fn rating_letter(&self) -> &'static str {
        self.rating.letter()
    }
}

/// Events that back ratings, found while scanning the log.
#[derive(Default)]
struct Evidence {
    times: Vec<Times>,
    /// Detection events of each campaign.
    detections: Vec<Vec<u64>>,
    /// Losses of service: event, sector, country.
    lost: Vec<(u64, NodeIx)>,
    identified: Vec<u64>,
    /// Last casualty update of each incident.
    casualties: BTreeMap<u32, u64>,
    lowest_trust: BTreeMap<CountryIx, (f32, u64)>,
    peak_reach: BTreeMap<NarrativeIx, (f32, u64)>,
}

/// Per-campaign times found in the log.
#[derive(Default, Clone, Copy)]
struct Times {
    first_effect: Option<(SimTime, u64)>,
    detected: Option<(SimTime, u64)>,
}

/// A physical attack's first effect is the damage it does, and it is
/// noticed as it strikes (the operator sees the line or the substation
/// trip, the police are called), unlike an intrusion that hides. Whether
/// the damage is recognised as the work of one hostile campaign is the
/// Fusion Cell's picture, not this detection.
fn sabotage_struck(cause: Cause, e: &Event<What>, seq: u64, times: &mut [Times]) {
    let Cause::Sabotage(by) = cause else {
        return;
    };
    if let Some(c) = by.campaign() {
        let t = &mut times[c.i()];
        t.first_effect.get_or_insert((e.t, seq));
        t.detected.get_or_insert((e.t, seq));
    }
}

impl Summary {
    /// Measures a run at `until`, the instant its clock stands at.
    pub fn measure(ex: &Exercise, until: SimTime) -> Summary {
        let cat: &Catalog = ex.catalog();
        let log = ex.log();
        let world = ex.world();

        let mut by_domain = [0usize; Domain::ALL.len()];
        let mut evidence = Evidence {
            times: vec![Times::default(); cat.campaigns.len()],
            detections: vec![Vec::new(); cat.campaigns.len()],
            ..Default::default()
        };
        let mut incident_origin: BTreeMap<u32, Origin> = BTreeMap::new();
        let mut narrative_origin: BTreeMap<NarrativeIx, Origin> = BTreeMap::new();
        let mut narrative_spotted: BTreeMap<NarrativeIx, SimTime> = BTreeMap::new();
        let mut infra = InfraMetrics::default();
        let mut resp = ResponseMetrics::default();
        let mut injects = 0;

        let mark = |c: Option<CampaignIx>,
                    first: bool,
                    e: &Event<What>,
                    seq: u64,
                    times: &mut Vec<Times>| {
            if let Some(c) = c {
                let slot = if first {
                    &mut times[c.i()].first_effect
                } else {
                    &mut times[c.i()].detected
                };
                if slot.is_none() {
                    *slot = Some((e.t, seq));
                }
            }
        };
        for (seq, e) in log.iter().enumerate() {
            let seq = seq as u64;
            by_domain[e.what.domain(cat) as usize] += 1;
            match e.what {
                What::Cyber(CyberRecord::IntrusionPlanted { by, .. }) => {
                    resp.intrusions_planted += 1;
                    mark(by.campaign(), true, e, seq, &mut evidence.times);
                }
                What::Cyber(CyberRecord::Disruption { by, .. })
                | What::Cyber(CyberRecord::WiperInfection { by, .. })
                | What::Cyber(CyberRecord::RansomwareInfection { by, .. })
                | What::Cyber(CyberRecord::ElectionAttack { by, .. }) => {
                    mark(by.campaign(), true, e, seq, &mut evidence.times)
                }
                What::Cbrn(CbrnRecord::Release { by, incident, .. }) => {
                    incident_origin.insert(incident, by);
                    mark(by.campaign(), true, e, seq, &mut evidence.times);
                }
                What::Disinfo(DisinfoRecord::NarrativeLaunched { narrative, by }) => {
                    narrative_origin.entry(narrative).or_insert(by);
                    mark(by.campaign(), true, e, seq, &mut evidence.times);
                }
                What::National(NationalRecord::IntrusionDetected { by, .. }) => {
                    resp.intrusions_detected += 1;
                    mark(by.campaign(), false, e, seq, &mut evidence.times);
                    if let Some(c) = by.campaign() {
                        evidence.detections[c.i()].push(seq);
                    }
                }
                What::National(NationalRecord::IncidentOpened { by, queued, .. }) => {
                    resp.incidents_opened += 1;
                    resp.incidents_queued += usize::from(queued > 0);
                    mark(by.campaign(), false, e, seq, &mut evidence.times);
                    if let Some(c) = by.campaign() {
                        evidence.detections[c.i()].push(seq);
                    }
                }
                What::National(NationalRecord::CbrnDetected { incident, .. }) => {
                    let c = incident_origin.get(&incident).and_then(|o| o.campaign());
                    mark(c, false, e, seq, &mut evidence.times);
                    if let Some(c) = c {
                        evidence.detections[c.i()].push(seq);
                    }
                }
                // A member state's communicators, or the EEAS task forces for
                // the EU as a whole, detect a narrative.
                What::National(NationalRecord::NarrativeDetected { narrative, .. })
                | What::Eu(EuRecord::StratCom(StratComRecord::Flagged { narrative, .. })) => {
                    if matches!(e.what, What::National(_)) {
                        resp.narratives_spotted += 1;
                    }
                    narrative_spotted.entry(narrative).or_insert(e.t);
                    let c = narrative_origin.get(&narrative).and_then(|o| o.campaign());
                    mark(c, false, e, seq, &mut evidence.times);
                    if let Some(c) = c {
                        evidence.detections[c.i()].push(seq);
                    }
                }
                What::National(NationalRecord::IntrusionEvicted { .. }) => {
                    resp.intrusions_evicted += 1
                }
                What::National(NationalRecord::RestorationStarted { .. }) => resp.restorations += 1,
                What::National(NationalRecord::RestorationQueued { .. }) => {
                    resp.restorations_queued += 1
                }
                What::National(NationalRecord::Debunked { .. }) => resp.debunks += 1,
                What::National(NationalRecord::PlatformAction { .. }) => resp.platform_actions += 1,
                What::Control(ControlRecord::InjectFired { .. }) => injects += 1,
                What::Infra(InfraRecord::ServiceLost { node, cause, .. }) => {
                    infra.service_lost_events += 1;
                    infra.cascade_failures += usize::from(matches!(cause, Cause::Dependency(_)));
                    evidence.lost.push((seq, node));
                    sabotage_struck(cause, e, seq, &mut evidence.times);
                }
                What::Infra(InfraRecord::ServiceDegraded { cause, .. }) => {
                    sabotage_struck(cause, e, seq, &mut evidence.times)
                }
                What::Infra(InfraRecord::CascadeHeld { .. }) => infra.cascades_held += 1,
                What::National(NationalRecord::AgentIdentified { .. }) => {
                    evidence.identified.push(seq)
                }
                What::Cbrn(CbrnRecord::Casualties { incident, .. }) => {
                    evidence.casualties.insert(incident, seq);
                }
                What::Opinion(OpinionRecord::Opinion { country, trust, .. }) => {
                    let slot = evidence
                        .lowest_trust
                        .entry(country)
                        .or_insert((f32::INFINITY, seq));
                    if trust < slot.0 {
                        *slot = (trust, seq);
                    }
                }
                What::Disinfo(DisinfoRecord::NarrativeReach {
                    narrative, reach, ..
                }) => {
                    let slot = evidence
                        .peak_reach
                        .entry(narrative)
                        .or_insert((f32::NEG_INFINITY, seq));
                    if reach > slot.0 {
                        *slot = (reach, seq);
                    }
                }
                _ => {}
            }
        }

        // Infrastructure tallies.
        for s in Sector::ALL {
            infra.by_sector.insert(s.name().to_string(), 0.0);
        }
        let nodes = all_in_order::<InfraState>(world);
        for (st, d) in nodes.iter().zip(&cat.nodes) {
            let lost = st.lost_node_hours_at(until);
            let longest = st.longest_outage_at(until);
            infra.node_hours_lost += lost;
            infra.people_hours_lost += lost * d.serves as f64;
            *infra
                .by_sector
                .entry(d.sector.name().to_string())
                .or_insert(0.0) += lost;
            *infra
                .by_country
                .entry(cat.countries[d.country.i()].id.to_string())
                .or_insert(0.0) += lost;
            infra.nodes_impaired += usize::from(longest > 0);
            infra.longest_outage_h = infra.longest_outage_h.max(longest as f64 / 3600.0);
        }
        round_map(&mut infra.by_sector);
        round_map(&mut infra.by_country);
        infra.node_hours_lost = round2(infra.node_hours_lost);
        infra.people_hours_lost = infra.people_hours_lost.round();
        infra.longest_outage_h = round2(infra.longest_outage_h);

        // Campaigns.
        let campaigns = cat
            .campaigns
            .iter()
            .zip(all_in_order::<CampaignState>(world))
            .enumerate()
            .map(|(c, (def, st))| {
                let t = evidence.times[c];
                CampaignMetrics {
                    id: def.id.to_string(),
                    name: def.name.clone(),
                    actor: cat.actors[def.actor.i()].id.to_string(),
                    steps: def.steps.len(),
                    steps_succeeded: st
                        .steps
                        .iter()
                        .filter(|s| matches!(s, StepStatus::Succeeded(_)))
                        .count(),
                    steps_failed: st
                        .steps
                        .iter()
                        .filter(|s| matches!(s, StepStatus::Failed(_)))
                        .count(),
                    first_effect_s: t.first_effect.map(|x| x.0.0),
                    detected_s: t.detected.map(|x| x.0.0),
                    time_to_detect_s: match (t.first_effect, t.detected) {
                        (Some(a), Some(b)) => Some(b.0.0.saturating_sub(a.0.0)),
                        _ => None,
                    },
                }
            })
            .collect();

        // CBRN.
        let mut cbrn = CbrnMetrics::default();
        for inc in all_in_order::<Incident>(world) {
            cbrn.exposed += inc.exposed as u64;
            cbrn.worried_well += inc.queue_total.saturating_sub(inc.exposed) as u64;
            cbrn.ill += inc.symptomatic_total as u64;
            cbrn.dead += inc.dead as u64;
            cbrn.decontaminated += inc.decontaminated as u64;
            cbrn.incidents.push(IncidentMetrics {
                incident: inc.id,
                country: cat.countries[inc.country.i()].id.to_string(),
                released_s: inc.released_at.0,
                exposed: inc.exposed,
                ill: inc.symptomatic_total,
                dead: inc.dead,
                time_to_detect_s: inc.detected_at.map(|t| t.since(inc.released_at).0),
                time_to_identify_s: inc.identified_at.map(|t| t.since(inc.released_at).0),
            });
        }

        // Opinion.
        let mut opinion = OpinionMetrics::default();
        for (c, n) in all_in_order::<Nation>(world).into_iter().enumerate() {
            opinion.countries.push(CountryOpinion {
                country: cat.countries[c].id.to_string(),
                trust_start: cat.countries[c].trust,
                trust_end: round4(n.trust),
                trust_min: round4(n.trust_min),
            });
        }
        for (i, st) in all_in_order::<NarrativeState>(world)
            .into_iter()
            .enumerate()
        {
            opinion.narratives.push(NarrativeMetrics {
                id: cat.narratives[i].id.to_string(),
                title: cat.narratives[i].title.clone(),
                launched_s: st.launched.map(|(t, _)| t.0),
                first_detected_s: narrative_spotted.get(&NarrativeIx::at(i)).map(|t| t.0),
                peak_reach: round4(st.peak_reach),
            });
        }

        let mut summary = Summary {
            scenario: cat.name.clone(),
            seed: ex.seed(),
            start: cat.start.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            until_s: until.0,
            events: log.len(),
            events_by_domain: Domain::ALL
                .iter()
                .map(|d| (d.name().to_string(), by_domain[*d as usize]))
                .collect(),
            campaigns,
            infrastructure: infra,
            cbrn,
            opinion,
            response: resp,
            injects_fired: injects,
            objectives: Vec::new(),
            eu: None,
            versus_baseline: None,
        };
        let first: Vec<Option<u64>> = summary.campaigns.iter().map(|c| c.first_effect_s).collect();
        let detected: Vec<Option<u64>> = summary.campaigns.iter().map(|c| c.detected_s).collect();
        summary.eu = crate::response::eu::metrics::measure(world, cat, &first, &detected);
        summary.objectives = cat
            .objectives
            .iter()
            .map(|o| rate(cat, &nodes, &summary, o, &evidence))
            .collect();
        summary
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
fn round_map<K: Ord>(m: &mut BTreeMap<K, f64>) {
    for v in m.values_mut() {
        *v = round2(*v);
    }
}

fn rate(
    cat: &Catalog,
    nodes: &[&InfraState],
    s: &Summary,
    o: &crate::scenario::catalog::ObjectiveDef,
    found: &Evidence,
) -> ObjectiveResult {
    let (times, detections, lost) = (&found.times, &found.detections, &found.lost);
    let hours = |secs: u64| secs as f64 / 3600.0;
    // The first records of the service losses among a node set's nodes.
    let lost_among = |of: &NodeSet| -> Vec<u64> {
        lost.iter()
            .filter(|(_, n)| of.contains(cat, *n))
            .map(|x| x.0)
            .take(5)
            .collect()
    };
    let mut evidence = Vec::new();
    let (rating, measured, target, unit, finding) = match &o.criterion {
        Measure::DetectWithin { campaign, within } => {
            let t = times[campaign.i()];
            let target = hours(within.0);
            match (t.first_effect, t.detected) {
                (None, _) => (
                    Rating::P,
                    None,
                    target,
                    "hours",
                    "the campaign had no effect to detect".to_string(),
                ),
                (Some(a), None) => {
                    evidence.push(a.1);
                    (
                        Rating::U,
                        None,
                        target,
                        "hours",
                        "the campaign was never detected".to_string(),
                    )
                }
                (Some(a), Some(b)) => {
                    evidence.push(a.1);
                    evidence.extend(detections[campaign.i()].iter().take(3));
                    let m = hours(b.0.0.saturating_sub(a.0.0));
                    (
                        Rating::from_ratio(m / target.max(1e-9)),
                        Some(m),
                        target,
                        "hours",
                        format!("detected {m:.1} h after its first effect"),
                    )
                }
            }
        }
        Measure::RestoreWithin { of, within } => {
            let mut worst: u64 = 0;
            let mut any = false;
            for (k, st) in nodes.iter().enumerate() {
                if !of.contains(cat, NodeIx::at(k)) {
                    continue;
                }
                let longest = st.longest_outage_at(SimTime(s.until_s));
                if longest > 0 {
                    any = true;
                    worst = worst.max(longest);
                }
            }
            evidence.extend(lost_among(of));
            let target = hours(within.0);
            let what = of.sector.map_or("", Sector::name);
            if any {
                let m = hours(worst);
                (
                    Rating::from_ratio(m / target.max(1e-9)),
                    Some(m),
                    target,
                    "hours",
                    format!("longest {what} outage {m:.1} h"),
                )
            } else {
                (
                    Rating::P,
                    Some(0.0),
                    target,
                    "hours",
                    format!("no {what} node lost service"),
                )
            }
        }
        Measure::ServiceLossBelow { of, node_hours } => {
            let mut m = 0.0;
            for (k, st) in nodes.iter().enumerate() {
                if of.contains(cat, NodeIx::at(k)) {
                    m += st.lost_node_hours_at(SimTime(s.until_s));
                }
            }
            evidence.extend(lost_among(of));
            let m = round2(m);
            (
                Rating::from_ratio(m / node_hours.max(1e-9)),
                Some(m),
                *node_hours,
                "node-hours",
                format!("{m:.1} node-hours of service lost"),
            )
        }
        Measure::IdentifyWithin { within } => {
            let target = hours(within.0);
            let incs = &s.cbrn.incidents;
            evidence.extend(found.identified.iter().take(5));
            if incs.is_empty() {
                (
                    Rating::P,
                    None,
                    target,
                    "hours",
                    "no CBRN incident occurred".to_string(),
                )
            } else if incs.iter().any(|i| i.time_to_identify_s.is_none()) {
                (
                    Rating::U,
                    None,
                    target,
                    "hours",
                    "an agent was never identified".to_string(),
                )
            } else {
                let m = hours(
                    incs.iter()
                        .filter_map(|i| i.time_to_identify_s)
                        .max()
                        .unwrap_or(0),
                );
                (
                    Rating::from_ratio(m / target.max(1e-9)),
                    Some(m),
                    target,
                    "hours",
                    format!("agent identified {m:.1} h after release"),
                )
            }
        }
        Measure::CasualtiesBelow { deaths } => {
            evidence.extend(found.casualties.values());
            let m = s.cbrn.dead as f64;
            let target = *deaths as f64;
            // "Below" is strict: with whole deaths, m < target is m + 1 <= target.
            // `deaths: 0` reads as "no deaths".
            let r = if target == 0.0 {
                if m == 0.0 { 0.0 } else { f64::INFINITY }
            } else {
                (m + 1.0) / target
            };
            (
                Rating::from_ratio(r),
                Some(m),
                target,
                "deaths",
                format!("{m} deaths"),
            )
        }
        Measure::TrustAbove { country, trust } => {
            evidence.extend(found.lowest_trust.get(country).map(|x| x.1));
            let m = s.opinion.countries[country.i()].trust_min;
            let short = trust - m;
            let rating = if short <= 0.0 {
                Rating::P
            } else if short <= 0.05 {
                Rating::S
            } else if short <= 0.15 {
                Rating::M
            } else {
                Rating::U
            };
            (
                rating,
                Some(m),
                *trust,
                "trust",
                format!(
                    "trust in {} fell to {:.1}%",
                    cat.countries[country.i()].id,
                    m * 100.0
                ),
            )
        }
        Measure::ReachBelow { narrative, share } => {
            evidence.extend(found.peak_reach.get(narrative).map(|x| x.1));
            let m = s.opinion.narratives[narrative.i()].peak_reach;
            (
                Rating::from_ratio(m / share.max(1e-9)),
                Some(m),
                *share,
                "share",
                format!("peak reach {:.1}%", m * 100.0),
            )
        }
    };
    ObjectiveResult {
        id: o.id.to_string(),
        title: o.title.clone(),
        rating,
        meaning: rating.meaning().to_string(),
        kind: o.criterion.kind().to_string(),
        measured: measured.map(round4),
        target,
        unit: unit.to_string(),
        finding,
        evidence,
    }
}
