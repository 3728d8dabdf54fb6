//! CBRN incidents: a release exposes people; the severely affected fall ill
//! over the agent's onset time, fill hospital beds, and die at a rate that
//! falls once the agent is identified and medical countermeasures are given.
//! The moderately ill need a bed for a day or two and do not die; the worried
//! well, never exposed, queue with the exposed for decontamination or
//! monitoring. Contaminated people wait for decontamination (about 200 an
//! hour per unit) and, until then, contaminate others and, for an agent that
//! harms through the skin, keep absorbing their dose: decontamination before
//! it is absorbed spares them. Hospitals with part of their service out
//! (attack, contamination, lost supply) admit fewer patients and treat them
//! worse. A contaminated site stays closed until civil protection declares
//! it clean.

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
        /// Of the dead, those who died before reaching hospital.
        before_care: u32,
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
                before_care,
                decontaminated,
                exposed,
            } => Described::new(format!(
                "Incident {incident}: {exposed} exposed, {symptomatic} ill, {hospitalised} in hospital, {dead} dead ({before_care} before reaching care), {decontaminated} decontaminated"
            ))
            .country(cx.country(country))
            .detail("incident", incident)
            .detail("symptomatic", symptomatic)
            .detail("hospitalised", hospitalised)
            .detail("dead", dead)
            .detail("dead_before_care", before_care)
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

/// Share of a skin dose that disrobing and washing remove, so that a person
/// decontaminated before absorbing it is spared (PRISM guidance, Chilcott
/// and Amlôt for the US HHS/BARDA, 2015: disrobing removes up to about 90 %
/// of contamination; US REMM gives the same for radioactive contamination).
const DECON_REMOVES: f64 = 0.9;

/// Mean hospital stay of a moderately ill patient (Ohbu et al., South Med J
/// 1997: St Luke's admitted 106 of 641 Tokyo sarin patients and sent the
/// mild home after 6 hours; "a day or two" for the admitted is unconfirmed).
const MODERATE_STAY_H: f64 = 36.0;

/// Share of casualties who reach hospital on their own, still contaminated,
/// rather than by ambulance after decontamination at the scene
/// (Graniteville chlorine, 2005: at least 95 of 263 early emergency
/// department patients came in private vehicles; Van Sickle et al., Am J
/// Emerg Med 2009).
const SELF_PRESENT: f64 = 0.36;

/// Staff taken ill per contaminated casualty a hospital receives (Tokyo
/// 1995: 110 of St Luke's staff had symptoms after receiving 641 patients
/// in their clothes, Okumura et al. 1998 and Ohbu et al. 1997; 135 of 1,364
/// Tokyo fire personnel, Okumura S. et al., Crit Care 2005). For agents
/// that harm carers ([`AgentProfile::harms_carers`]).
const STAFF_PER_CONTAMINATED_PATIENT: f64 = 0.17;

/// Rise in the in-hospital death rate of patients in hospital while its
/// systems are down, at a total outage (Neprash, McGlave and Nikpay, "Hacked
/// to Pieces? The Effects of Ransomware Attacks on Hospitals and Patients",
/// AEJ: Economic Policy 2026: in-hospital mortality of patients already
/// admitted rises by 34 to 38 % during a ransomware attack).
const OUTAGE_MORTALITY: f64 = 0.34;

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
    /// Share of the severe cases whose dose comes from the agent on skin and
    /// clothing and is absorbed over the onset time, rather than inhaled at
    /// the scene: decontamination before it is absorbed prevents it.
    pub skin_share: f64,
    /// Mean time over which a skin dose is absorbed, after which
    /// decontamination no longer helps.
    pub absorb_h: f64,
    /// Contaminated casualties make their carers ill, so the ambulances
    /// take them only once decontaminated (chemical agents; Tokyo 1995).
    pub harms_carers: bool,
    /// Share of the release's deaths (its `lethality`) that come at once,
    /// at the scene, before any care; the rest follow over the course.
    pub at_once: f64,
    /// A chemical weapon under the Chemical Weapons Convention: after the
    /// national naming, the state asks the OPCW for technical assistance
    /// and its designated laboratories confirm the finding
    /// ([`CONFIRMATION_H`]).
    pub confirmed_abroad: bool,
}

/// Median time from a chemical weapon's national naming to the OPCW's
/// confirmation, and its spread: Salisbury 2018, Novichok named 12 March,
/// OPCW report 12 April (31 days, S/1612/2018); Amesbury 2018, named
/// 4 July, report 4 September (62 days, S/1671/2018); Navalny 2020, named
/// by the Bundeswehr laboratory 2 September, OPCW 6 October (34 days,
/// S/1906/2020; document numbers unconfirmed). The median of the three; sigma 0.4 puts 31 and 62 days
/// at about p41 and p93. The OPCW's laboratories do not depend on
/// the state's capacity.
pub const CONFIRMATION_H: f64 = 34.0 * DAY;
pub const CONFIRMATION_SIGMA: f64 = 0.4;

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
            // An agent not yet known may be either (assumption: halfway
            // between the volatile and the persistent nerve agents, absorbed
            // as VX is).
            skin_share: 0.5,
            absorb_h: 0.5,
            harms_carers: true,
            // Assumption: as the nerve agents.
            at_once: 0.0,
            confirmed_abroad: true,
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
            // A gas is inhaled at the scene (Graniteville 2005: the dead
            // were found in the cloud, before any decontamination).
            skin_share: 0.0,
            absorb_h: 0.5,
            // Chlorine off-gasses from clothes (assumption: as sarin did).
            harms_carers: true,
            // Graniteville 2005: 8 of the 9 dead died before reaching care,
            // in the cloud (Wenck et al., Public Health Rep 2007).
            at_once: 8.0 / 9.0,
            confirmed_abroad: false,
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
            // Sarin evaporates about as fast as water (vapour pressure
            // ~2.1 mmHg at 20 °C): its victims inhaled it on the trains and
            // collapsed within minutes, before any decontamination.
            skin_share: 0.0,
            // On skin it penetrates even faster than VX (Snider et al. 1999:
            // mean 9.3 min through human skin in vitro, VX 13.9 min).
            absorb_h: 0.25,
            // Tokyo: 23 % of St Luke's staff had symptoms.
            harms_carers: true,
            // Where Tokyo's dead died is not in the sources used: all
            // deaths follow the course.
            at_once: 0.0,
            confirmed_abroad: true,
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
            // Hardly volatile (VX ~0.0007 mmHg, some three thousand times
            // less than sarin): it harms by contact, as the door handle did
            // in Salisbury, and is absorbed through the skin over hours.
            skin_share: 1.0,
            // VX on human skin: decontamination 5-10 min after exposure very
            // effective, 30-60 min less, 120 min hardly (Thors et al.,
            // Toxicol Lett 2017): about half an hour.
            absorb_h: 0.5,
            // Hardly volatile, it does not off-gas: none of the Salisbury
            // staff who treated the victims fell ill (the detective was
            // contaminated at the house; unconfirmed).
            harms_carers: false,
            // Amesbury: the one death came eight days after exposure.
            at_once: 0.0,
            confirmed_abroad: true,
        },
        AgentKind::Biological => AgentProfile {
            name: "biological",
            onset_h: 72.0,
            course_h: 240.0,
            // Clinical suspicion of an outbreak takes days.
            suspicion_h: 48.0,
            identification_h: 72.0,
            clearance_h: 30.0 * DAY,
            // Infection, not contamination: no decontamination.
            skin_share: 0.0,
            absorb_h: 1.0,
            harms_carers: false,
            // An infection kills over days.
            at_once: 0.0,
            confirmed_abroad: false,
        },
        AgentKind::Radiological => AgentProfile {
            name: "radiological",
            onset_h: 24.0,
            course_h: 336.0,
            // Radiation monitors alarm quickly once someone looks.
            suspicion_h: 6.0,
            identification_h: 6.0,
            clearance_h: 30.0 * DAY,
            // Goiânia 1987 (IAEA 1988): beyond the dose taken at the scene,
            // caesium on skin and clothes kept irradiating people and was
            // swallowed from their hands until washed off (assumption: half
            // and half).
            skin_share: 0.5,
            // Contamination irradiates for as long as it stays on; Goiânia's
            // contaminated carried it for days before anyone knew
            // (assumption: a day).
            absorb_h: 24.0,
            // Life-saving care before decontamination: contamination is
            // rarely a hazard to staff (US REMM).
            harms_carers: false,
            // Radiation sickness kills over days to weeks (Goiânia).
            at_once: 0.0,
            confirmed_abroad: false,
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
        moderate,
        worried_well,
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
    let severe_cases = binomial(&mut rng, *exposed, *severe);
    let moderate_cases = binomial(
        &mut rng,
        *exposed - severe_cases,
        moderate / (1.0 - severe).max(f64::EPSILON),
    );
    // Some die at once, at the scene; the course's lethality is what is
    // left of the release's for the others.
    let at_once = profile(*agent).at_once;
    let dead = binomial(&mut rng, severe_cases, lethality * at_once);
    let later_lethality =
        lethality * (1.0 - at_once) / (1.0 - lethality * at_once).max(f64::EPSILON);
    let (incubating, absorbing) = by_route(&mut rng, *agent, severe_cases - dead);
    // The worried well cannot be told apart at the scene: they queue with
    // the exposed, for decontamination or, for a biological agent, not at all.
    let queue = if *agent == AgentKind::Biological {
        0
    } else {
        exposed.saturating_add(*worried_well)
    };
    let inc = Incident {
        id,
        by,
        country: *country,
        site: *site,
        agent: *agent,
        released_at: sim.now,
        lethality: later_lethality,
        severe_share: *severe,
        exposed: *exposed,
        incubating,
        absorbing,
        ill: 0,
        hospitalised: 0,
        moderate_incubating: moderate_cases,
        moderate_waiting: 0,
        moderate_in_bed: 0,
        severe_at_scene: 0,
        moderate_at_scene: 0,
        queue_total: queue,
        treated: 0,
        symptomatic_total: dead,
        dead,
        dead_before_care: dead,
        recovered: 0,
        awaiting_decon: queue,
        decontaminated: 0,
        decon_units: 0,
        decon_en_route: 0,
        detected_at: None,
        identified_at: None,
        confirmed_at: None,
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

/// Splits severe cases into those who took their dose at the scene and those
/// still absorbing it from skin and clothing, whom decontamination in time spares.
fn by_route(rng: &mut crate::engine::SimRng, agent: AgentKind, severe: u32) -> (u32, u32) {
    let absorbing = binomial(rng, severe, profile(agent).skin_share * DECON_REMOVES);
    (severe - absorbing, absorbing)
}

/// Surge beds a country's hospitals cannot fill while `capability` (the
/// share of their service not lost to their own damage or supply) is below 1.
pub fn beds_blocked(surge_beds: u32, capability: f64) -> u32 {
    (f64::from(surge_beds) * (1.0 - capability.clamp(0.0, 1.0))).round() as u32
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

/// One hour of every incident's course (a system): onset, absorption,
/// admission, countermeasures, deaths, recovery, decontamination and
/// secondary contamination, drawing on the country's beds, doses and units.
pub fn course(
    cat: Res<CatalogRes>,
    totals: Res<infra::Totals>,
    mut incidents: Query<&mut Incident>,
    mut nations: Query<&mut Nation>,
    mut reports: ResMut<Reports<CbrnRecord>>,
) {
    let mut nations = in_order(&mut nations);
    let health = infra::sector_slot(crate::scenario::Sector::Health);
    for (c, nation) in nations.iter_mut().enumerate() {
        let served = totals.served[c][health];
        // Health service by the people each node serves (an ambulance post
        // weighs less than a university hospital), with the overload the
        // incidents themselves put on it taken out (it is not lost
        // capacity, and counting it would feed back on itself).
        let capability = if served <= 0.0 {
            1.0
        } else {
            (1.0 - totals.lost_people[c][health] / served) / (1.0 - nation.hospital_overload)
        };
        let blocked = beds_blocked(cat.0.countries[c].resources.surge_beds, capability);
        nation.beds_blocked = blocked;
    }
    for mut inc in in_order(&mut incidents) {
        let c = inc.country.i();
        let surge = cat.0.countries[c].resources.surge_beds;
        progress(&mut inc, &mut nations[c], surge, &mut reports.0);
    }
}

/// Share of an incident's queue (the exposed and the worried well, who
/// cannot be told apart) not yet through decontamination.
fn not_yet_through(awaiting: u32, queue_total: u32) -> f64 {
    f64::from(awaiting) / f64::from(queue_total.max(1))
}

/// How much worse hospital care is while `blocked` of `surge` beds are out
/// of use with the hospitals' systems ([`OUTAGE_MORTALITY`]).
fn care_penalty(blocked: u32, surge: u32) -> f64 {
    1.0 + OUTAGE_MORTALITY * f64::from(blocked) / f64::from(surge.max(1))
}

fn progress(inc: &mut Incident, nation: &mut Nation, surge: u32, reports: &mut Vec<CbrnRecord>) {
    let (mut beds, mut doses) = (nation.beds_free, nation.doses);
    let before = (
        inc.symptomatic_total,
        inc.hospitalised + inc.moderate_in_bed,
        inc.dead,
        inc.decontaminated,
        inc.exposed,
    );
    let p = profile(inc.agent);
    let rng = &mut inc.rng;
    let onset_p = 1.0 - math::exp(-1.0 / p.onset_h);

    // Onset, and the skin doses absorbed this hour (the engine's hour is
    // coarse for half an hour's absorption: those not decontaminated within
    // the hour mostly absorb theirs).
    let onset = binomial(rng, inc.incubating, onset_p);
    let absorbed = binomial(rng, inc.absorbing, 1.0 - math::exp(-1.0 / p.absorb_h));
    inc.incubating -= onset;
    // An absorbed dose takes the agent's onset to show, like an inhaled one.
    inc.absorbing -= absorbed;
    inc.incubating += absorbed;
    let moderate_onset = binomial(rng, inc.moderate_incubating, onset_p);
    inc.moderate_incubating -= moderate_onset;
    inc.ill = inc.ill.saturating_add(onset);
    inc.moderate_waiting = inc.moderate_waiting.saturating_add(moderate_onset);
    inc.symptomatic_total = inc
        .symptomatic_total
        .saturating_add(onset)
        .saturating_add(moderate_onset);
    // Those taken ill while still contaminated (a skin dose is absorbed by
    // the contaminated): some make their own way to hospital in their
    // clothes and expose its staff; the others wait at the scene to be
    // decontaminated before an ambulance takes them. Until the incident is
    // recognised nobody knows to decontaminate: all reach hospital as they are.
    if p.harms_carers {
        let still = not_yet_through(inc.awaiting_decon, inc.queue_total);
        let severe_dirty = binomial(rng, onset, still);
        let moderate_dirty = binomial(rng, moderate_onset, still);
        let known = inc.detected_at.is_some();
        let (severe_self, moderate_self) = if known {
            (
                binomial(rng, severe_dirty, SELF_PRESENT),
                binomial(rng, moderate_dirty, SELF_PRESENT),
            )
        } else {
            (severe_dirty, moderate_dirty)
        };
        inc.severe_at_scene += severe_dirty - severe_self;
        inc.moderate_at_scene += moderate_dirty - moderate_self;
        // They are in the queue, whatever the draws said of it.
        inc.awaiting_decon = inc
            .awaiting_decon
            .max(inc.severe_at_scene + inc.moderate_at_scene);
        let staff = binomial(
            rng,
            severe_self + moderate_self,
            STAFF_PER_CONTAMINATED_PATIENT,
        );
        // Staff are exposed too: they count among the exposed and the ill,
        // and queue for decontamination.
        inc.exposed = inc.exposed.saturating_add(staff);
        inc.queue_total = inc.queue_total.saturating_add(staff);
        inc.awaiting_decon = inc.awaiting_decon.saturating_add(staff);
        inc.symptomatic_total = inc.symptomatic_total.saturating_add(staff);
    }
    // Decontamination: the casualties waiting at the scene first (triage),
    // then the queue, where it spares those still absorbing a skin dose
    // (they cannot be told apart from the others).
    if inc.agent != AgentKind::Biological {
        let mut capacity = inc
            .awaiting_decon
            .min(inc.decon_units * DECON_PER_UNIT_HOUR);
        let severe_done = inc.severe_at_scene.min(capacity);
        capacity -= severe_done;
        let moderate_done = inc.moderate_at_scene.min(capacity);
        capacity -= moderate_done;
        inc.severe_at_scene -= severe_done;
        inc.moderate_at_scene -= moderate_done;
        let rest = inc.awaiting_decon - severe_done - moderate_done;
        if capacity >= rest {
            // The whole queue is through: nobody is left absorbing.
            inc.absorbing = 0;
        } else if capacity > 0 {
            let share = f64::from(inc.absorbing) / f64::from(rest);
            let spared = binomial(rng, capacity, share.min(1.0)).min(inc.absorbing);
            inc.absorbing -= spared;
        }
        let done = severe_done + moderate_done + capacity;
        inc.awaiting_decon -= done;
        inc.decontaminated += done;
    }
    // Admission, once health services know there is an incident: the
    // severely ill first (triage), into the beds the hospitals can still use.
    if inc.detected_at.is_some() {
        let mut room = beds.saturating_sub(nation.beds_blocked);
        let admit = (inc.ill - inc.severe_at_scene).min(room);
        inc.ill -= admit;
        inc.hospitalised += admit;
        room -= admit;
        let admit_moderate = (inc.moderate_waiting - inc.moderate_at_scene).min(room);
        inc.moderate_waiting -= admit_moderate;
        inc.moderate_in_bed += admit_moderate;
        beds -= admit + admit_moderate;
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
    // Deaths: untreated cases die at the agent's rate (at the scene or on
    // the way), supportive care halves it, specific countermeasures cut it
    // by nine tenths; hospitals with their systems down do worse.
    let hazard = -math::ln(1.0 - inc.lethality.min(0.999)) / p.course_h;
    let care = care_penalty(nation.beds_blocked, surge);
    let d_scene = binomial(rng, inc.severe_at_scene, hazard);
    let d_ill = binomial(rng, inc.ill - inc.severe_at_scene, hazard);
    let d_hosp = binomial(rng, inc.hospitalised - inc.treated, hazard * 0.5 * care);
    let d_treated = binomial(rng, inc.treated, hazard * 0.1 * care);
    inc.severe_at_scene -= d_scene;
    inc.ill -= d_scene + d_ill;
    inc.hospitalised -= d_hosp + d_treated;
    inc.treated -= d_treated;
    inc.dead += d_scene + d_ill + d_hosp + d_treated;
    inc.dead_before_care += d_scene + d_ill;
    // Recovery frees beds after about a week; the moderately ill go home
    // after a day or two, in a bed or not (not before decontamination).
    let rec_untreated = binomial(rng, inc.hospitalised - inc.treated, 1.0 / (10.0 * 24.0));
    let rec_treated = binomial(rng, inc.treated, 1.0 / (5.0 * 24.0));
    let moderate_home = 1.0 - math::exp(-1.0 / MODERATE_STAY_H);
    let rec_moderate_bed = binomial(rng, inc.moderate_in_bed, moderate_home);
    let rec_moderate = binomial(
        rng,
        inc.moderate_waiting - inc.moderate_at_scene,
        moderate_home,
    );
    inc.hospitalised -= rec_untreated + rec_treated;
    inc.treated -= rec_treated;
    inc.moderate_in_bed -= rec_moderate_bed;
    inc.moderate_waiting -= rec_moderate;
    inc.recovered += rec_untreated + rec_treated + rec_moderate_bed + rec_moderate;
    let freed = rec_untreated + rec_treated + rec_moderate_bed + d_hosp + d_treated;
    let repaid = freed.min(nation.beds_owed);
    nation.beds_owed -= repaid;
    beds += freed - repaid;
    // Secondary contamination from the contaminated still waiting (the
    // worried well in the queue carry nothing).
    if inc.agent != AgentKind::Biological {
        let contaminated = (not_yet_through(inc.awaiting_decon, inc.queue_total)
            * f64::from(inc.exposed))
        .round() as u32;
        let secondary = binomial(rng, contaminated, SECONDARY_PER_HOUR);
        let secondary_severe = binomial(rng, secondary, inc.severe_share);
        let (scene, skin) = by_route(rng, inc.agent, secondary_severe);
        inc.exposed = inc.exposed.saturating_add(secondary);
        inc.queue_total = inc.queue_total.saturating_add(secondary);
        inc.awaiting_decon = inc.awaiting_decon.saturating_add(secondary);
        inc.incubating = inc.incubating.saturating_add(scene);
        inc.absorbing = inc.absorbing.saturating_add(skin);
    }
    let after = (
        inc.symptomatic_total,
        inc.hospitalised + inc.moderate_in_bed,
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
            hospitalised: inc.hospitalised + inc.moderate_in_bed,
            dead: inc.dead,
            before_care: inc.dead_before_care,
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
            // At hospitals, not at the scene.
            .map(|i| {
                f64::from(i.ill - i.severe_at_scene + i.moderate_waiting - i.moderate_at_scene)
            })
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
