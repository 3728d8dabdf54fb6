//! National responders: the defender every run has, with or without an EU playbook.
//!
//! - **CSIRT**: hunts footholds (time to find one shrinks with cyber capacity
//!   and the operator's hardening), opens an incident for every node it sees
//!   attacked or finds held, and with a free team contains it: the
//!   campaign's footholds at that node are evicted, against destructive
//!   malware the country's networks are isolated, and the incident's
//!   indicators start a sweep for the same actor's other footholds in the
//!   country. Teams are few; incidents queue.
//! - **Civil protection and operators**: repair crews restore damaged nodes,
//!   in order of request; decontamination units; closing and clearing
//!   contaminated sites.
//! - **Health services**: clinical suspicion of a CBRN incident, then
//!   laboratory identification of the agent, which unlocks countermeasures.
//! - **Government communication**: spots a narrative once it reaches enough
//!   people, debunks it, and notifies platforms.

use crate::engine::{Dist, Duration};
use crate::infra::{self, Cause, InfraRecord};
use crate::log::{Context, Described, Domain, Origin, Record, kinds};
use crate::scenario::catalog::{
    AgentKind, Catalog, CountryIx, Effect, Malware, NarrativeIx, NodeIx,
};
use crate::threats::cbrn::{CbrnRecord, decon_wanted};
use crate::threats::cyber::CyberRecord;
use crate::threats::disinfo::DisinfoRecord;
use crate::world::{Coordination, Foothold, Incident, Repair, Sim};

/// Reach in a country at which government communication starts to notice a narrative.
pub const SPOT_REACH: f64 = 0.02;

/// What national responders log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NationalRecord {
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
        incident: u32,
        country: CountryIx,
    },
    AgentIdentified {
        incident: u32,
        country: CountryIx,
    },
    AgentConfirmed {
        incident: u32,
        country: CountryIx,
    },
    DeconDeployed {
        incident: u32,
        country: CountryIx,
        units: u32,
    },
    SiteDecontaminated {
        incident: u32,
        node: NodeIx,
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
}

/// A national CSIRT's record about `by` at `node`: who, where, and whose campaign.
trait ByCsirt<'a> {
    fn by_csirt(self, cx: &Context<'a>, country: CountryIx, node: NodeIx, by: Origin) -> Self;
}

impl<'a> ByCsirt<'a> for Described<'a> {
    fn by_csirt(self, cx: &Context<'a>, country: CountryIx, node: NodeIx, by: Origin) -> Self {
        self.actor(cx.csirt(country))
            .target(&cx.node(node).id)
            .country(cx.country(country))
            .origin(cx, by)
    }
}

impl Record for NationalRecord {
    kinds! {
        IntrusionDetected => "intrusion_detected",
        IncidentOpened => "incident_opened",
        IntrusionEvicted => "intrusion_evicted",
        NetworksIsolated => "networks_isolated",
        RestorationQueued => "restoration_queued" (routine),
        RestorationStarted => "restoration_started" (routine),
        CbrnDetected => "cbrn_detected",
        AgentIdentified => "agent_identified",
        AgentConfirmed => "agent_confirmed",
        DeconDeployed => "decon_deployed",
        SiteDecontaminated => "site_decontaminated",
        NarrativeDetected => "narrative_detected",
        Debunked => "debunked" (routine),
        PlatformAction => "platform_action",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        match self {
            // A site declared clean is part of the incident's course.
            NationalRecord::SiteDecontaminated { .. } => Domain::Cbrn,
            _ => Domain::Response,
        }
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        match *self {
            NationalRecord::IntrusionDetected { by, node, country } => Described::new(format!(
                "{} detects an intrusion in {}",
                cx.csirt(country),
                cx.node(node).name
            ))
            .by_csirt(cx, country, node, by),
            NationalRecord::IncidentOpened {
                by,
                node,
                country,
                queued,
            } => Described::new(format!(
                "{} opens an incident at {}{}",
                cx.csirt(country),
                cx.node(node).name,
                if queued > 0 {
                    format!(" ({queued} waiting for a team)")
                } else {
                    String::new()
                }
            ))
            .by_csirt(cx, country, node, by)
            .detail("queued", queued),
            NationalRecord::IntrusionEvicted { by, node, country } => Described::new(format!(
                "{} evicts the intruder from {}",
                cx.csirt(country),
                cx.node(node).name
            ))
            .by_csirt(cx, country, node, by),
            NationalRecord::NetworksIsolated { by, country } => Described::new(format!(
                "{} isolates networks against {}",
                cx.csirt(country),
                cx.origin_name(by)
            ))
            .actor(cx.csirt(country))
            .country(cx.country(country))
            .origin(cx, by),
            NationalRecord::RestorationQueued { node, waiting } => Described::new(format!(
                "{} waits for a repair crew ({waiting} in queue)",
                cx.node(node).name
            ))
            .at_node(cx, node)
            .detail("waiting", waiting),
            NationalRecord::RestorationStarted { node, secs } => Described::new(format!(
                "Repair crew starts restoring {} (about {:.1} h)",
                cx.node(node).name,
                f64::from(secs) / 3600.0
            ))
            .at_node(cx, node)
            .detail("expected_secs", secs),
            NationalRecord::CbrnDetected { incident, country } => Described::new(format!(
                "Health services in {} suspect a CBRN incident ({incident})",
                cx.country(country)
            ))
            .country(cx.country(country))
            .detail("incident", incident),
            NationalRecord::AgentIdentified { incident, country } => Described::new(format!(
                "Laboratory in {} identifies the agent of incident {incident}",
                cx.country(country)
            ))
            .country(cx.country(country))
            .detail("incident", incident),
            NationalRecord::AgentConfirmed { incident, country } => Described::new(format!(
                "OPCW-designated laboratories confirm {}'s identification of the agent of incident {incident}",
                cx.country_name(country)
            ))
            .actor("OPCW")
            .country(cx.country(country))
            .detail("incident", incident),
            NationalRecord::DeconDeployed {
                incident,
                country,
                units,
            } => Described::new(format!(
                "{units} decontamination units deployed in {}",
                cx.country(country)
            ))
            .country(cx.country(country))
            .detail("incident", incident)
            .detail("units", units),
            NationalRecord::SiteDecontaminated { incident, node } => {
                Described::new(format!("{} declared decontaminated", cx.node(node).name))
                    .at_node(cx, node)
                    .detail("incident", incident)
            }
            NationalRecord::NarrativeDetected { narrative, country }
            | NationalRecord::Debunked { narrative, country }
            | NationalRecord::PlatformAction { narrative, country } => {
                let verb = match self {
                    NationalRecord::NarrativeDetected { .. } => "government communication spots",
                    NationalRecord::Debunked { .. } => "government debunks",
                    _ => "platforms act on a notice against",
                };
                Described::new(format!(
                    "{}: {verb} \"{}\"",
                    cx.country(country),
                    cx.narrative(narrative).title
                ))
                .actor(cx.country(country))
                .target(&cx.narrative(narrative).id)
                .country(cx.country(country))
            }
        }
    }
}

/// What national responders schedule.
#[derive(Clone, Copy, Debug)]
pub enum NationalEv {
    /// The CSIRT finds a foothold.
    HuntSucceeds {
        by: Origin,
        node: NodeIx,
    },
    /// A CSIRT team has contained the incident of `by` at `node`.
    Contained {
        by: Origin,
        node: NodeIx,
    },
    RepairDone(NodeIx),
    CbrnSuspected(u32),
    AgentIdentified(u32),
    /// The OPCW's laboratories confirm a chemical weapon's identification.
    AgentConfirmed(u32),
    DeconArrives {
        incident: u32,
        units: u32,
    },
    SiteCleared(u32),
    NarrativeSpotted {
        narrative: NarrativeIx,
        country: CountryIx,
    },
    Debunk {
        narrative: NarrativeIx,
        country: CountryIx,
        /// Part of the routine watch, which answers the narrative again
        /// every two days while it lives (an ad hoc answer is not).
        routine: bool,
    },
    PlatformNotice {
        narrative: NarrativeIx,
        country: CountryIx,
    },
}

pub(crate) fn later(sim: &mut Sim, delay: Duration, ev: NationalEv) {
    sim.after(delay, ev);
}

/// Median days a foothold dwells before it is found without warnings from
/// others, at a node of defence 1.0 (national capacity and hardening): the
/// low end of Mandiant's M-Trends global medians, 10 to 16 days in 2022 to
/// 2024.
const DWELL_BEST_D: f64 = 10.0;
/// Median days at defence 0.5: the Bundestag intrusion of 2015, about three
/// weeks of free movement before it was noticed.
const DWELL_MIDDLING_D: f64 = 21.0;
/// Spread of dwell times: heavy-tailed, as M-Trends' share of intrusions
/// found only after months (p5 about a fifth of the median, p95 five times).
const DWELL_SIGMA: f64 = 1.0;

/// Draws of a pre-placed foothold's dwell before giving up on one longer
/// than its age (one in 10,000 is longer than about 40 medians).
const MAX_REDRAWS: u32 = 10_000;

/// Median hours before a foothold at a node of `defence` is found by the
/// operator's and the CSIRT's own hunting, without warnings from others.
fn dwell_median_h(defence: f64) -> f64 {
    let per_capacity = (DWELL_MIDDLING_D - DWELL_BEST_D) / 0.5;
    24.0 * (DWELL_BEST_D + per_capacity * (1.0 - defence.clamp(0.0, 1.0)))
}

/// A log-normal delay with the given median (in hours) and spread.
fn lognormal_h(median_h: f64, sigma: f64) -> Dist {
    Dist::LogNormal {
        median: Duration(((median_h * 3600.0).round() as u64).max(60)),
        sigma,
    }
}

fn caps(sim: &Sim, c: CountryIx) -> crate::scenario::Capacities {
    sim.cat.countries[c.i()].caps
}

/// The CSIRT starts hunting every foothold planted; attacks it sees open incidents and call repair crews.
pub fn on_cyber(sim: &mut Sim, r: &CyberRecord) {
    match *r {
        CyberRecord::IntrusionPlanted { by, node } => {
            // The operator's own monitoring finds most intrusions: the
            // node's defence (national capacity and hardening) sets the dwell.
            // Each foothold has a stream of its own, so it dwells as long
            // in any two runs of a seed, whatever else the CSIRT did.
            let defence = crate::threats::cyber::defence(sim, node);
            let cat = sim.cat;
            let mut rng = sim.rng.streams.stream(&format!(
                "hunt/{}/{}",
                cat.nodes[node.i()].id,
                cat.origin_key(by)
            ));
            let dwell = lognormal_h(dwell_median_h(defence), DWELL_SIGMA);
            // A foothold in place for a while, not found so far: its dwell
            // given that it has lasted that long (drawn again until longer;
            // the heavy tail makes this quick), minus what has passed.
            let since = match cat.effect_of(by) {
                Some(Effect::Intrusion { since, .. }) => *since,
                _ => Duration(0),
            };
            let mut d = dwell.sample(&mut rng);
            let mut draws = 1;
            while d.0 <= since.0 && draws < MAX_REDRAWS {
                d = dwell.sample(&mut rng);
                draws += 1;
            }
            // Older than the tail the draws reach (dozens of medians): it
            // stays hidden for a fresh dwell from now.
            let d = if d.0 > since.0 {
                Duration(d.0 - since.0)
            } else {
                dwell.sample(&mut rng)
            };
            later(sim, d, NationalEv::HuntSucceeds { by, node });
        }
        CyberRecord::Disruption { by, node, .. }
        | CyberRecord::ElectionAttack { by, node, .. }
        | CyberRecord::WiperInfection { by, node, .. }
        | CyberRecord::RansomwareInfection { by, node, .. } => {
            open_incident(sim, by, node);
            // Systems the attacker is inside of are rebuilt after the
            // incident is contained, lest they be compromised again (NIST
            // SP 800-61r2: containment and eradication, then recovery);
            // a flood from outside (DDoS) is repaired at once.
            if !inside(sim, by, node) {
                request_repair(sim, node);
            }
        }
    }
}

/// Is `by` inside the systems of `node`: malware, or an attack
/// from a foothold its campaign planted there?
fn inside(sim: &Sim, by: Origin, node: NodeIx) -> bool {
    matches!(sim.cat.effect_of(by), Some(Effect::Malware { .. }))
        || sim
            .node_ref(node)
            .footholds
            .iter()
            .any(|(o, _)| o.same_threat(by))
}

/// The operator of a sabotaged node calls its repair crews: no CSIRT, the
/// damage is physical.
pub fn on_infra(sim: &mut Sim, r: &InfraRecord) {
    if let InfraRecord::ServiceLost {
        node,
        cause: Cause::Sabotage(_),
        ..
    }
    | InfraRecord::ServiceDegraded {
        node,
        cause: Cause::Sabotage(_),
        ..
    } = *r
    {
        request_repair(sim, node);
    }
}

/// Health services come to suspect a CBRN incident.
pub fn on_cbrn(sim: &mut Sim, r: &CbrnRecord) {
    if let CbrnRecord::Release {
        by,
        incident,
        country,
        agent,
        ..
    } = *r
    {
        let health = caps(sim, country).health.0;
        let base_h = crate::threats::cbrn::profile(agent).suspicion_h;
        let rng = &mut sim.rng.health[country.i()];
        let d = match sim.cat.effect_of(by) {
            Some(Effect::Release {
                suspected: Some(scene),
                ..
            }) => scene.sample(rng),
            _ => lognormal_h(base_h * (1.6 - health), 0.6).sample(rng),
        };
        later(sim, d, NationalEv::CbrnSuspected(incident));
    }
    // Units done at one site go on to the next that waits.
    if let CbrnRecord::DeconFinished { country, .. } = *r {
        send_decon(sim, country);
    }
}

/// Sends free national decontamination units to the known incidents in
/// `country` still short of them, oldest incident first.
fn send_decon(sim: &mut Sim, country: CountryIx) {
    let civil = caps(sim, country).civil_protection.0;
    for k in 0..sim.ix.incidents.len() {
        let id = k as u32;
        let short = {
            let inc = sim.incident(id);
            if inc.country != country
                || inc.agent == AgentKind::Biological
                || inc.detected_at.is_none()
                || inc.awaiting_decon == 0
            {
                continue;
            }
            decon_wanted(inc.awaiting_decon).saturating_sub(inc.decon_units + inc.decon_en_route)
        };
        let units = {
            let mut nation = sim.nation(country);
            let units = short.min(nation.decon_free);
            nation.decon_free -= units;
            units
        };
        if units == 0 {
            continue;
        }
        sim.incident(id).decon_en_route += units;
        let d = lognormal_h(1.0 * (1.6 - civil), 0.4).sample(&mut sim.rng.civil[country.i()]);
        later(
            sim,
            d,
            NationalEv::DeconArrives {
                incident: id,
                units,
            },
        );
    }
}

/// Government communication notices a narrative once it reaches enough people.
pub fn on_disinfo(sim: &mut Sim, r: &DisinfoRecord) {
    let DisinfoRecord::NarrativeReach {
        narrative,
        country,
        reach,
        ..
    } = *r
    else {
        return;
    };
    let noticeable = f64::from(reach) >= SPOT_REACH;
    if !noticeable {
        return;
    }
    let def = &sim.cat.narratives[narrative.i()];
    let Ok(ci) = def.countries.binary_search(&country) else {
        return;
    };
    if sim.narrative_ref(narrative).countries[ci].spotting_scheduled {
        return;
    }
    sim.narrative(narrative).countries[ci].spotting_scheduled = true;
    // Fact-checks lag claims by about 13 hours (Hoaxy 2016: from the claim,
    // not from its taking hold); strong StratCom is faster. Counted from the
    // launch, and not before the narrative is noticeable here.
    let lag = lognormal_h(12.0 * (1.5 - caps(sim, country).stratcom.0), 0.5)
        .sample(&mut sim.rng.comms[country.i()]);
    let launched = sim
        .narrative_ref(narrative)
        .launched
        .map_or(sim.now, |(t, _)| t);
    let d = Duration((launched.0 + lag.0).saturating_sub(sim.now.0));
    later(sim, d, NationalEv::NarrativeSpotted { narrative, country });
}

pub fn handle(sim: &mut Sim, ev: NationalEv) {
    match ev {
        NationalEv::HuntSucceeds { by, node } => {
            let country = sim.cat.nodes[node.i()].country;
            let mut st = sim.node(node);
            let Some(f) = st
                .footholds
                .iter_mut()
                .find(|(o, f)| *o == by && *f == Foothold::Active)
            else {
                return;
            };
            f.1 = Foothold::Detected;
            sim.emit(NationalRecord::IntrusionDetected { by, node, country });
            open_incident(sim, by, node);
        }
        NationalEv::Contained { by, node } => contained(sim, by, node),
        NationalEv::RepairDone(n) => repair_done(sim, n),
        NationalEv::CbrnSuspected(id) => cbrn_suspected(sim, id),
        NationalEv::AgentIdentified(id) => {
            let now = sim.now;
            let mut inc = sim.incident(id);
            // A helping laboratory may have been faster.
            if inc.identified_at.is_some() {
                return;
            }
            inc.identified_at = Some(now);
            let (country, agent) = (inc.country, inc.agent);
            sim.emit(NationalRecord::AgentIdentified {
                incident: id,
                country,
            });
            if crate::threats::cbrn::profile(agent).confirmed_abroad {
                request_confirmation(sim, id);
            }
        }
        NationalEv::AgentConfirmed(id) => {
            // The confirmation covers every incident of the agent named so far.
            let now = sim.now;
            let name = agent_name_of(sim, id);
            let covered: Vec<u32> = (0..sim.ix.incidents.len())
                .map(crate::engine::count_u32)
                .filter(|&k| {
                    let i = incident_ref(sim, k);
                    i.identified_at.is_some() && agent_name_of(sim, k) == name
                })
                .collect();
            for k in covered {
                sim.incident(k).confirmed_at = Some(now);
            }
            let country = incident_ref(sim, id).country;
            sim.emit(NationalRecord::AgentConfirmed {
                incident: id,
                country,
            });
        }
        NationalEv::DeconArrives { incident, units } => {
            let mut inc = sim.incident(incident);
            inc.decon_units += units;
            inc.decon_en_route = inc.decon_en_route.saturating_sub(units);
            let country = inc.country;
            sim.emit(NationalRecord::DeconDeployed {
                incident,
                country,
                units,
            });
        }
        NationalEv::SiteCleared(id) => {
            let Some(site) = sim.incident(id).site else {
                return;
            };
            sim.node(site).contaminated = false;
            infra::clear_damage(sim, site);
            sim.emit(NationalRecord::SiteDecontaminated {
                incident: id,
                node: site,
            });
        }
        NationalEv::NarrativeSpotted { narrative, country } => {
            let ci = sim.cat.narratives[narrative.i()]
                .countries
                .binary_search(&country)
                .unwrap_or(0);
            // An alert from abroad may have made the communicators aware first.
            if sim.narrative_ref(narrative).countries[ci].spotted {
                return;
            }
            sim.narrative(narrative).countries[ci].spotted = true;
            sim.emit(NationalRecord::NarrativeDetected { narrative, country });
            // Under IPCR, member states' communicators coordinate their
            // answers (Implementing Decision (EU) 2018/1993: round tables and
            // coordinated crisis communication, with the IPCR Crisis
            // Communicators' Network) and answer sooner (see [`Coordination`]).
            let speed = communication_speed(sim, country);
            let d = lognormal_h(4.0 * (1.5 - caps(sim, country).stratcom.0), 0.5)
                .sample_scaled(&mut sim.rng.comms[country.i()], speed);
            later(
                sim,
                d,
                NationalEv::Debunk {
                    narrative,
                    country,
                    routine: true,
                },
            );
        }
        NationalEv::Debunk {
            narrative,
            country,
            routine,
        } => debunk(sim, narrative, country, routine),
        NationalEv::PlatformNotice { narrative, country } => {
            let mut st = sim.narrative(narrative);
            st.platform = (st.platform * 0.75).max(0.2);
            sim.emit(NationalRecord::PlatformAction { narrative, country });
        }
    }
}

/// The CSIRT opens an incident for a campaign at a node, unless one is open.
fn open_incident(sim: &mut Sim, by: Origin, node: NodeIx) {
    let country = sim.cat.nodes[node.i()].country;
    let mut nation = sim.nation(country);
    if nation
        .open_incidents
        .iter()
        .any(|&(o, n)| n == node && o.same_threat(by))
    {
        return;
    }
    nation.open_incidents.push((by, node));
    let queued = if nation.csirt_free > 0 {
        nation.csirt_free -= 1;
        start_containment(sim, by, node);
        0
    } else {
        nation.csirt_queue.push_back((by, node));
        crate::engine::count_u16(nation.csirt_queue.len())
    };
    sim.emit(NationalRecord::IncidentOpened {
        by,
        node,
        country,
        queued,
    });
}

fn start_containment(sim: &mut Sim, by: Origin, node: NodeIx) {
    let country = sim.cat.nodes[node.i()].country;
    let cyber = caps(sim, country).cyber.0;
    let d = lognormal_h(18.0 * (1.5 - cyber), 0.5).sample(sim.rng.at_node(sim.cat, "csirt", node));
    later(sim, d, NationalEv::Contained { by, node });
}

/// Median hours for a CSIRT to find, with the indicators of an incident it
/// has worked, another foothold of the same actor in its country: two days,
/// as a CSIRT warned by its peers in the shipped playbooks (a CSIRT
/// sweeping with its own indicators is at least as well placed).
const SWEEP_MEDIAN_H: f64 = 48.0;

/// Containment of `by` at `node`: evict its footholds there, isolate the
/// country's networks against destructive malware, sweep for the actor's
/// other footholds, and hand the team to the next incident.
fn contained(sim: &mut Sim, by: Origin, node: NodeIx) {
    let cat = sim.cat;
    let country = cat.nodes[node.i()].country;
    let mut evicted = Vec::new();
    for (o, f) in sim.node(node).footholds.iter_mut() {
        if o.same_threat(by) && *f != Foothold::Evicted {
            *f = Foothold::Evicted;
            evicted.push(*o);
        }
    }
    for o in evicted {
        sim.emit(NationalRecord::IntrusionEvicted {
            by: o,
            node,
            country,
        });
    }
    // Recovery of what the attacker damaged from inside.
    request_repair(sim, node);
    if matches!(cat.effect_of(by), Some(Effect::Malware { .. })) {
        sim.nation(country).isolated_against.push(by);
        sim.emit(NationalRecord::NetworksIsolated { by, country });
    }
    let mut held = Vec::new();
    for n in crate::threats::cyber::foothold_nodes(sim, |c| c == country) {
        for &(o, f) in &sim.node_ref(n).footholds {
            if f == Foothold::Active && cat.same_actor(o, by) {
                held.push((o, n));
            }
        }
    }
    for (o, n) in held {
        let d =
            lognormal_h(SWEEP_MEDIAN_H, DWELL_SIGMA / 2.0).sample(sim.rng.at_node(cat, "sweep", n));
        later(sim, d, NationalEv::HuntSucceeds { by: o, node: n });
    }
    let mut nation = sim.nation(country);
    nation
        .open_incidents
        .retain(|&(o, n)| !(n == node && o.same_threat(by)));
    if nation.teams_leaving > 0 {
        nation.teams_leaving -= 1;
        return;
    }
    match nation.csirt_queue.pop_front() {
        Some((next, at)) => {
            start_containment(sim, next, at);
        }
        None => nation.csirt_free += 1,
    }
}

/// Asks for a repair crew for a damaged node (not for contaminated sites, which wait for clearance).
fn request_repair(sim: &mut Sim, n: NodeIx) {
    let st = sim.node_ref(n);
    if st.repair != Repair::None || st.own_damage <= 0.0 || st.contaminated {
        return;
    }
    let country = sim.cat.nodes[n.i()].country;
    let mut nation = sim.nation(country);
    if nation.crews_free > 0 {
        nation.crews_free -= 1;
        start_repair(sim, n);
    } else {
        nation.repair_queue.push_back(n);
        let waiting = crate::engine::count_u16(nation.repair_queue.len());
        sim.node(n).repair = Repair::Queued;
        sim.emit(NationalRecord::RestorationQueued { node: n, waiting });
    }
}

fn start_repair(sim: &mut Sim, n: NodeIx) {
    let def = &sim.cat.nodes[n.i()];
    let civil = caps(sim, def.country).civil_protection.0;
    let st = sim.node_ref(n);
    // Rebuilding wiped systems takes two to four times a normal repair;
    // restoring encrypted ones from backups one to two times (assumption:
    // the restore and its checks without the rebuild; WannaCry's NHS
    // trusts were mostly back within days).
    let work = match st.malware {
        Some(Malware::Wiper) => 2.0 + 2.0 * (1.0 - def.hardening),
        Some(Malware::Ransomware) => 1.0 + (1.0 - def.hardening),
        None => st.own_damage.max(0.25),
    };
    let d = def
        .restore
        .sample_scaled(sim.rng.at_node(sim.cat, "repair", n), work * (1.5 - civil));
    sim.node(n).repair = Repair::InProgress;
    sim.emit(NationalRecord::RestorationStarted {
        node: n,
        secs: u32::try_from(d.0).unwrap_or(u32::MAX),
    });
    later(sim, d, NationalEv::RepairDone(n));
}

fn repair_done(sim: &mut Sim, n: NodeIx) {
    sim.node(n).repair = Repair::None;
    if !sim.node_ref(n).contaminated {
        infra::clear_damage(sim, n);
    }
    let country = sim.cat.nodes[n.i()].country;
    let mut nation = sim.nation(country);
    if nation.crews_leaving > 0 {
        nation.crews_leaving -= 1;
        return;
    }
    match nation.repair_queue.pop_front() {
        Some(next) => {
            start_repair(sim, next);
        }
        None => nation.crews_free += 1,
    }
}

/// Hours to recognise an agent already identified in an earlier incident,
/// at middling capacity (assumption: a targeted test of a known agent).
const SIGNATURE_H: f64 = 2.0;

fn incident_ref<'a>(sim: &'a Sim, id: u32) -> &'a Incident {
    sim.world
        .get::<Incident>(sim.ix.incidents[id as usize])
        .expect("incident entity")
}

/// The name of incident `id`'s agent (as the release calls it).
fn agent_name_of<'a>(sim: &'a Sim, id: u32) -> Option<&'a str> {
    match sim.cat.effect_of(incident_ref(sim, id).by) {
        Some(Effect::Release { agent_name, .. }) => Some(agent_name.as_str()),
        _ => None,
    }
}

/// Has the agent of incident `id` (by name) been identified in an earlier incident?
fn agent_already_identified(sim: &Sim, id: u32) -> bool {
    let this = agent_name_of(sim, id);
    (0..id).any(|k| incident_ref(sim, k).identified_at.is_some() && agent_name_of(sim, k) == this)
}

/// A chemical weapon named nationally: the state asks the OPCW to confirm
/// it, once per agent. An agent confirmed already covers the new incident
/// at once; one awaiting confirmation covers it when it comes. The draw is
/// the agent's own stream, so that asking changes no other draw and two
/// playbooks meet the same OPCW.
fn request_confirmation(sim: &mut Sim, id: u32) {
    let name = agent_name_of(sim, id);
    let others: Vec<&Incident> = (0..crate::engine::count_u32(sim.ix.incidents.len()))
        .filter(|&k| k != id && agent_name_of(sim, k) == name)
        .map(|k| incident_ref(sim, k))
        .collect();
    if let Some(t) = others.iter().find_map(|i| i.confirmed_at) {
        sim.incident(id).confirmed_at = Some(t.max(sim.now));
        return;
    }
    if others.iter().any(|i| i.identified_at.is_some()) {
        return;
    }
    let d = lognormal_h(
        crate::threats::cbrn::CONFIRMATION_H,
        crate::threats::cbrn::CONFIRMATION_SIGMA,
    )
    .sample(
        &mut sim
            .rng
            .streams
            .stream(&format!("opcw/{}", name.unwrap_or("agent"))),
    );
    later(sim, d, NationalEv::AgentConfirmed(id));
}

/// Laboratory identification with `detection` capacity: hours for
/// radiation, a day or two for a chemical, days for a pathogen.
pub fn identification_delay(agent: AgentKind, detection: f64) -> Dist {
    let base_h = crate::threats::cbrn::profile(agent).identification_h;
    lognormal_h(base_h * (1.5 - detection), 0.5)
}

/// Lent repair crews join the national pool and take queued repairs at once.
pub fn add_crews(sim: &mut Sim, country: CountryIx, crews: u32) {
    {
        let mut n = sim.nation(country);
        let back = crews.min(n.crews_leaving);
        n.crews_leaving -= back;
        n.crews_free += crews - back;
    }
    loop {
        let next = {
            let mut n = sim.nation(country);
            if n.crews_free == 0 {
                None
            } else {
                n.repair_queue.pop_front().inspect(|_| n.crews_free -= 1)
            }
        };
        match next {
            Some(node) => start_repair(sim, node),
            None => break,
        }
    }
}

/// Lent crews go home: idle ones at once, busy ones when their job is done.
pub fn withdraw_crews(sim: &mut Sim, country: CountryIx, crews: u32) {
    let mut n = sim.nation(country);
    let idle = crews.min(n.crews_free);
    n.crews_free -= idle;
    n.crews_leaving += crews - idle;
}

/// Lent incident-response teams join the CSIRT and take queued incidents at once.
pub fn add_teams(sim: &mut Sim, country: CountryIx, teams: u32) {
    {
        let mut n = sim.nation(country);
        let back = teams.min(n.teams_leaving);
        n.teams_leaving -= back;
        n.csirt_free += teams - back;
    }
    loop {
        let next = {
            let mut n = sim.nation(country);
            if n.csirt_free == 0 {
                None
            } else {
                n.csirt_queue.pop_front().inspect(|_| n.csirt_free -= 1)
            }
        };
        match next {
            Some((by, node)) => start_containment(sim, by, node),
            None => break,
        }
    }
}

pub fn withdraw_teams(sim: &mut Sim, country: CountryIx, teams: u32) {
    let mut n = sim.nation(country);
    let idle = teams.min(n.csirt_free);
    n.csirt_free -= idle;
    n.teams_leaving += teams - idle;
}

fn cbrn_suspected(sim: &mut Sim, id: u32) {
    let now = sim.now;
    let mut inc = sim.incident(id);
    inc.detected_at = Some(now);
    let (country, agent, has_site) = (inc.country, inc.agent, inc.site.is_some());
    sim.emit(NationalRecord::CbrnDetected {
        incident: id,
        country,
    });
    let c = caps(sim, country);
    send_decon(sim, country);
    // An agent already identified in an earlier incident is recognised by
    // its signature in a couple of hours (the laboratories know what to test
    // for), or as fast as a fresh identification where that is quicker.
    let dist = if agent_already_identified(sim, id) {
        let fresh_h = crate::threats::cbrn::profile(agent).identification_h;
        lognormal_h(SIGNATURE_H.min(fresh_h) * (1.5 - c.cbrn_detection.0), 0.5)
    } else {
        identification_delay(agent, c.cbrn_detection.0)
    };
    let d = dist.sample(&mut sim.rng.health[country.i()]);
    later(sim, d, NationalEv::AgentIdentified(id));
    if has_site {
        let base_h = crate::threats::cbrn::profile(agent).clearance_h;
        let d = lognormal_h(base_h * (1.5 - c.civil_protection.0), 0.5)
            .sample(&mut sim.rng.civil[country.i()]);
        later(sim, d, NationalEv::SiteCleared(id));
    }
}

/// Share of a member state's communication delays left under IPCR's
/// coordination (1 for a state outside the EU, or without IPCR).
fn communication_speed(sim: &Sim, country: CountryIx) -> f64 {
    if sim.cat.countries[country.i()].eu {
        sim.world.resource::<Coordination>().delays_left
    } else {
        1.0
    }
}

fn debunk(sim: &mut Sim, narrative: NarrativeIx, country: CountryIx, routine: bool) {
    let stratcom = caps(sim, country).stratcom.0;
    let ci = sim.cat.narratives[narrative.i()]
        .countries
        .binary_search(&country)
        .unwrap_or(0);
    let (first, reach) = {
        let mut st = sim.narrative(narrative);
        let pc = &mut st.countries[ci];
        let first = !pc.platforms_notified;
        pc.platforms_notified = true;
        pc.debunk = (pc.debunk + 0.1 + 0.2 * stratcom).min(0.6);
        (first, pc.reach)
    };
    sim.emit(NationalRecord::Debunked { narrative, country });
    if first {
        let d = lognormal_h(48.0, 0.6).sample(&mut sim.rng.comms[country.i()]);
        later(sim, d, NationalEv::PlatformNotice { narrative, country });
    }
    // Communicators keep watching a live narrative and answer it again.
    // One that has faded (or, alerted from abroad, has not yet taken hold
    // here) drops off the watch, and is noticed again if it grows.
    if routine && reach > SPOT_REACH / 4.0 {
        later(
            sim,
            Duration((Duration::days(2).0 as f64 * communication_speed(sim, country)) as u64),
            NationalEv::Debunk {
                narrative,
                country,
                routine: true,
            },
        );
    } else if routine {
        let mut st = sim.narrative(narrative);
        let pc = &mut st.countries[ci];
        pc.spotted = false;
        pc.spotting_scheduled = false;
    }
}
