//! CBRN incidents: a release exposes people; the severely affected fall ill
//! over the agent's onset time, fill hospital beds, and die at a rate that
//! falls once the agent is identified and medical countermeasures are given.
//! Contaminated people wait for decontamination (about 200 an hour per unit)
//! and, until then, contaminate others. A contaminated site stays closed
//! until civil protection declares it clean.

use bevy_ecs::prelude::*;

use crate::engine::math;
use crate::infra::{self, Cause};
use crate::log::{Context, Described, Domain, Origin, Record, kinds};
use crate::scenario::catalog::{AgentKind, Catalog, CountryIx, Effect, NodeIx};
use crate::world::{CatalogRes, Incident, Nation, Reports, Sim, in_order, in_order_ref};

/// What CBRN incidents log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CbrnRecord {
    Release {
        by: Origin,
        incident: u32,
        country: CountryIx,
        site: Option<NodeIx>,
        agent: AgentKind,
        exposed: u32,
    },
    /// An incident's casualties, whenever they change.
    Casualties {
        incident: u32,
        country: CountryIx,
        symptomatic: u32,
        hospitalised: u32,
        dead: u32,
        decontaminated: u32,
        exposed: u32,
    },
    /// National countermeasure stocks ran out while patients wait for them.
    CountermeasuresExhausted { incident: u32, country: CountryIx },
    /// Everyone at an incident has been decontaminated: its units are free.
    DeconFinished {
        incident: u32,
        country: CountryIx,
        units: u32,
    },
}

impl Record for CbrnRecord {
    kinds! {
        Release => "release",
        Casualties => "casualties" (routine),
        CountermeasuresExhausted => "countermeasures_exhausted",
        DeconFinished => "decon_finished",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        match self {
            CbrnRecord::CountermeasuresExhausted { .. } | CbrnRecord::DeconFinished { .. } => {
                Domain::Response
            }
            _ => Domain::Cbrn,
        }
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        match *self {
            CbrnRecord::Release {
                by,
                incident,
                country,
                site,
                agent,
                exposed,
            } => {
                let mut d = Described::new(format!(
                    "{} release in {}: {exposed} people exposed",
                    agent_name(agent),
                    cx.country_name(country)
                ))
                .actor(cx.actor_of(by))
                .country(cx.country(country))
                .origin(cx, by)
                .detail("incident", incident)
                .detail("agent", agent_name(agent))
                .detail("exposed", exposed);
                d.target = site.map(|s| &*cx.node(s).id);
                d
            }
            CbrnRecord::Casualties {
                incident,
                country,
                symptomatic,
                hospitalised,
                dead,
                decontaminated,
                exposed,
            } => Described::new(format!(
                "Incident {incident}: {exposed} exposed, {symptomatic} ill, {hospitalised} in hospital, {dead} dead, {decontaminated} decontaminated"
            ))
            .country(cx.country(country))
            .detail("incident", incident)
            .detail("symptomatic", symptomatic)
            .detail("hospitalised", hospitalised)
            .detail("dead", dead)
            .detail("decontaminated", decontaminated)
            .detail("exposed", exposed),
            CbrnRecord::DeconFinished {
                incident,
                country,
                units,
            } => Described::new(format!(
                "Decontamination of incident {incident} in {} finished: {units} units free",
                cx.country_name(country)
            ))
            .country(cx.country(country))
            .detail("incident", incident)
            .detail("units", units),
            CbrnRecord::CountermeasuresExhausted { incident, country } => Described::new(format!(
                "National countermeasure stocks in {} exhausted",
                cx.country(country)
            ))
            .country(cx.country(country))
            .detail("incident", incident),
        }
    }
}

pub fn agent_name(a: AgentKind) -> &'static str {
    profile(a).name
}

/// People one decontamination unit processes in an hour (UK mass-decon units, 3-minute cycle).
pub const DECON_PER_UNIT_HOUR: u32 = 200;

/// Units an incident wants: enough to clear everyone waiting in about six
/// hours (at least one).
pub fn decon_wanted(awaiting: u32) -> u32 {
    awaiting.div_ceil(DECON_PER_UNIT_HOUR * 6).max(1)
}
/// Share of still-contaminated people who contaminate someone else in an hour.
const SECONDARY_PER_HOUR: f64 = 0.0005;

/// How an agent behaves, from release to the handing back of its site. Hours
/// are for a state of middling capacity (0.5); national capacities scale
/// them (see `response::national`).
pub struct AgentProfile {
    /// Its name in the log.
    pub name: &'static str,
    /// Mean time from exposure to symptoms.
    pub onset_h: f64,
    /// Time over which an untreated severe case dies with the agent's lethality.
    pub course_h: f64,
    /// Median time for health services (or the first responders) to suspect
    /// a CBRN incident.
    pub suspicion_h: f64,
    /// Median time from suspicion to the agent's national identification;
    /// zero when it is recognised on the scene.
    pub identification_h: f64,
    /// Median time before a contaminated site is handed back.
    pub clearance_h: f64,
}

const DAY: f64 = 24.0;

/// Each agent kind's profile. Sources: the Tokyo sarin attack of 1995 and
/// the Salisbury attack of 2018 (UK government statements, OPCW
/// S/1612/2018); "(unconfirmed)" where no source gives the figure and it is
/// an order of magnitude.
pub fn profile(agent: AgentKind) -> AgentProfile {
    match agent {
        AgentKind::Chemical => AgentProfile {
            name: "chemical",
            onset_h: 1.0,
            course_h: 48.0,
            suspicion_h: 1.5,
            // National naming comes in days (Salisbury 2018: Novichok named at +8 days).
            identification_h: 36.0,
            clearance_h: 30.0 * DAY,
        },
        AgentKind::IndustrialChemical => AgentProfile {
            name: "toxic industrial chemical",
            // Irritation is immediate; pulmonary oedema can follow over a
            // day or two (unconfirmed).
            onset_h: 0.1,
            course_h: 48.0,
            // Recognised on the scene within minutes by smell, colour and
            // symptoms; the response does not wait for a laboratory
            // (emergency-response practice; secondary sources, order of magnitude).
            suspicion_h: 0.25,
            identification_h: 0.0,
            // A gas disperses; the site reopens within days (unconfirmed).
            clearance_h: 2.0 * DAY,
        },
        AgentKind::VolatileNerveAgent => AgentProfile {
            name: "nerve agent (volatile)",
            // Tokyo 1995: victims collapsed within minutes.
            onset_h: 0.1,
            course_h: 24.0,
            // Tokyo: first ambulance about 25 minutes after the release.
            suspicion_h: 0.4,
            // Tokyo: agent information reached the hospital about 1.3 hours
            // after the release.
            identification_h: 1.0,
            // Disperses within hours to a day: Tokyo's stations reopened the
            // same or the next day.
            clearance_h: 18.0,
        },
        AgentKind::PersistentNerveAgent => AgentProfile {
            name: "nerve agent (persistent)",
            // Salisbury: hours from contact to collapse (unconfirmed).
            onset_h: 3.0,
            // Salisbury and Amesbury: a victim died eight days after
            // exposure; others lived weeks in hospital (unconfirmed).
            course_h: 8.0 * DAY,
            suspicion_h: 6.0,
            // Salisbury: "a nerve agent" at +3 days, Novichok named at +8 days.
            identification_h: 5.0 * DAY,
            // Salisbury: twelve sites, handed back over weeks to months, the
            // last after about twelve months.
            clearance_h: 90.0 * DAY,
        },
        AgentKind::Biological => AgentProfile {
            name: "biological",
            onset_h: 72.0,
            course_h: 240.0,
            // Clinical suspicion of an outbreak takes days.
            suspicion_h: 48.0,
            identification_h: 72.0,
            clearance_h: 30.0 * DAY,
        },
        AgentKind::Radiological => AgentProfile {
            name: "radiological",
            onset_h: 24.0,
            course_h: 336.0,
            // Radiation monitors alarm quickly once someone looks.
            suspicion_h: 6.0,
            identification_h: 6.0,
            clearance_h: 30.0 * DAY,
        },
    }
}

/// A release happens: the incident is created and its site closed.
pub fn release(sim: &mut Sim, by: Origin, effect: &Effect) {
    let Effect::Release {
        country,
        site,
        agent,
        exposed,
        severe,
        lethality,
        ..
    } = effect
    else {
        return;
    };
    let id = crate::engine::count_u32(sim.ix.incidents.len());
    let mut rng = sim
        .rng
        .streams
        .stream(&format!("cbrn/{}", sim.cat.origin_key(by)));
    let incubating = binomial(&mut rng, *exposed, *severe);
    let inc = Incident {
        id,
        by,
        country: *country,
        site: *site,
        agent: *agent,
        released_at: sim.now,
        lethality: *lethality,
        severe_share: *severe,
        exposed: *exposed,
        incubating,
        ill: 0,
        hospitalised: 0,
        treated: 0,
        symptomatic_total: 0,
        dead: 0,
        recovered: 0,
        awaiting_decon: *exposed,
        decontaminated: 0,
        decon_units: 0,
        decon_en_route: 0,
        detected_at: None,
        identified_at: None,
        exhausted_reported: false,
        rng,
    };
    let e = sim.world.spawn(inc).id();
    sim.ix.incidents.push(e);
    sim.emit(CbrnRecord::Release {
        by,
        incident: id,
        country: *country,
        site: *site,
        agent: *agent,
        exposed: *exposed,
    });
    if let Some(n) = site {
        infra::damage(sim, *n, 1.0, Cause::Contamination);
    }
}

fn binomial(rng: &mut crate::engine::SimRng, n: u32, p: f64) -> u32 {
    // A binomial draw never exceeds n.
    u32::try_from(crate::engine::sample::binomial(rng, u64::from(n), p)).unwrap_or(n)
}

/// A country's hospitals are under a new load (share of service lost), to
/// be applied to its health-sector nodes.
#[derive(Clone, Copy, Debug)]
pub struct HospitalLoad {
    pub country: CountryIx,
    pub overload: f64,
}

/// One hour of every incident's course (a system): onset, admission,
/// countermeasures, deaths, recovery, decontamination and secondary
/// contamination, drawing on the country's beds, doses and units.
pub fn course(
    mut incidents: Query<&mut Incident>,
    mut nations: Query<&mut Nation>,
    mut reports: ResMut<Reports<CbrnRecord>>,
) {
    let mut nations = in_order(&mut nations);
    for mut inc in in_order(&mut incidents) {
        let country = inc.country;
        progress(&mut inc, &mut nations[country.i()], &mut reports.0);
    }
}

fn progress(inc: &mut Incident, nation: &mut Nation, reports: &mut Vec<CbrnRecord>) {
    let (mut beds, mut doses) = (nation.beds_free, nation.doses);
    let before = (
        inc.symptomatic_total,
        inc.hospitalised,
        inc.dead,
        inc.decontaminated,
        inc.exposed,
    );
    let p = profile(inc.agent);
    let rng = &mut inc.rng;

    // Onset.
    let onset = binomial(rng, inc.incubating, 1.0 - math::exp(-1.0 / p.onset_h));
    inc.incubating -= onset;
    inc.ill += onset;
    inc.symptomatic_total += onset;
    // Admission, once health services know there is an incident.
    if inc.detected_at.is_some() {
        let admit = inc.ill.min(beds);
        inc.ill -= admit;
        inc.hospitalised += admit;
        beds -= admit;
    }
    // Countermeasures for the hospitalised, once the agent is known.
    let mut exhausted = false;
    if inc.identified_at.is_some() {
        let give = (inc.hospitalised - inc.treated).min(doses);
        inc.treated += give;
        doses -= give;
        exhausted = doses == 0 && inc.treated < inc.hospitalised && !inc.exhausted_reported;
        inc.exhausted_reported |= exhausted;
    }
    // Deaths: untreated cases die at the agent's rate, supportive care halves it,
    // specific countermeasures cut it by nine tenths.
    let hazard = -math::ln(1.0 - inc.lethality.min(0.999)) / p.course_h;
    let d_ill = binomial(rng, inc.ill, hazard);
    let d_hosp = binomial(rng, inc.hospitalised - inc.treated, hazard * 0.5);
    let d_treated = binomial(rng, inc.treated, hazard * 0.1);
    inc.ill -= d_ill;
    inc.hospitalised -= d_hosp + d_treated;
    inc.treated -= d_treated;
    inc.dead += d_ill + d_hosp + d_treated;
    // Recovery frees beds after about a week.
    let rec_untreated = binomial(rng, inc.hospitalised - inc.treated, 1.0 / (10.0 * 24.0));
    let rec_treated = binomial(rng, inc.treated, 1.0 / (5.0 * 24.0));
    inc.hospitalised -= rec_untreated + rec_treated;
    inc.treated -= rec_treated;
    inc.recovered += rec_untreated + rec_treated;
    beds += rec_untreated + rec_treated + d_hosp + d_treated;
    // Decontamination, and secondary contamination until it is done.
    if inc.agent != AgentKind::Biological {
        let done = inc
            .awaiting_decon
            .min(inc.decon_units * DECON_PER_UNIT_HOUR);
        inc.awaiting_decon -= done;
        inc.decontaminated += done;
        let secondary = binomial(rng, inc.awaiting_decon, SECONDARY_PER_HOUR);
        let secondary_severe = binomial(rng, secondary, inc.severe_share);
        inc.exposed = inc.exposed.saturating_add(secondary);
        inc.awaiting_decon = inc.awaiting_decon.saturating_add(secondary);
        inc.incubating = inc.incubating.saturating_add(secondary_severe);
    }
    let after = (
        inc.symptomatic_total,
        inc.hospitalised,
        inc.dead,
        inc.decontaminated,
        inc.exposed,
    );
    let decon_finished = inc.decon_units > 0 && inc.awaiting_decon == 0;
    let units_back = if decon_finished {
        std::mem::take(&mut inc.decon_units)
    } else {
        0
    };
    nation.beds_free = beds;
    nation.doses = doses;
    nation.decon_free += units_back;
    if after != before {
        reports.push(CbrnRecord::Casualties {
            incident: inc.id,
            country: inc.country,
            symptomatic: inc.symptomatic_total,
            hospitalised: inc.hospitalised,
            dead: inc.dead,
            decontaminated: inc.decontaminated,
            exposed: inc.exposed,
        });
    }
    if units_back > 0 {
        reports.push(CbrnRecord::DeconFinished {
            incident: inc.id,
            country: inc.country,
            units: units_back,
        });
    }
    if exhausted {
        reports.push(CbrnRecord::CountermeasuresExhausted {
            incident: inc.id,
            country: inc.country,
        });
    }
}

/// Hospitals overwhelmed by a mass-casualty incident lose part of their
/// service (a system): the load on each country's hospitals, reported
/// when it moved, for [`apply_hospital_load`].
pub fn hospital_load(
    cat: Res<CatalogRes>,
    incidents: Query<&Incident>,
    mut nations: Query<&mut Nation>,
    mut reports: ResMut<Reports<HospitalLoad>>,
) {
    let incidents = in_order_ref(&incidents);
    let mut nations = in_order(&mut nations);
    for (c, def) in cat.0.countries.iter().enumerate() {
        let nation = &mut nations[c];
        let beds = def.resources.surge_beds.max(1) as f64;
        let used = beds - nation.beds_free as f64;
        let waiting: f64 = incidents
            .iter()
            .filter(|i| i.country.i() == c)
            .map(|i| i.ill as f64)
            .sum();
        // Service starts to suffer above 60% of surge capacity and at worst loses 70%.
        let overload = (((used + waiting) / beds - 0.6) * 0.7).clamp(0.0, 0.7);
        // Touch the hospitals only when the load moved (set_overload's own
        // threshold): a large country has thousands of health nodes.
        if (nation.hospital_overload - overload).abs() <= 0.01 {
            continue;
        }
        nation.hospital_overload = overload;
        reports.0.push(HospitalLoad {
            country: nation.ix,
            overload,
        });
    }
}

/// Applies the hospital loads [`hospital_load`] reported to the health sector.
pub fn apply_hospital_load(sim: &mut Sim) {
    let cat = sim.cat;
    let loads = std::mem::take(&mut sim.world.resource_mut::<Reports<HospitalLoad>>().0);
    for HospitalLoad { country, overload } in loads {
        for &n in &cat.health_nodes[country.i()] {
            infra::set_overload(sim, n, overload);
        }
    }
}
