//! Disinformation: narratives spreading through audiences, and public trust.
//!
//! Reach is the share of an audience currently exposed to and passing on a
//! narrative. In each audience it grows logistically at the narrative's
//! virality towards a ceiling set by the audience's susceptibility (not
//! everyone is on the channels that carry it), faster with amplification
//! (bot networks) and with grievances that real events give it (outages,
//! casualties, cyber incidents), slower once responders have spotted it and
//! platforms have acted; and it fades as people move on, faster once it has
//! been debunked. A little reach flows between the narrative's audiences in
//! different countries (shared media, diaspora). Belief follows reach among
//! the susceptible, less what debunking has undone. Trust in institutions
//! erodes with belief and with people left without service, and slowly
//! recovers towards its baseline.

use crate::engine::Duration;
use crate::log::{Event, Origin, What};
use crate::scenario::Exploit;
use crate::world::catalog::{CountryIx, NarrativeIx};
use crate::world::{Ev, Exposure, Sim};

/// Hourly share of reach that fades on its own (half-life about three days).
const FADE: f64 = 0.01;
/// Extra hourly fading at full debunking.
const DEBUNK_FADE: f64 = 0.04;
/// Hourly wear of a debunk's effect (half-life about six days).
const DEBUNK_WEAR: f64 = 0.005;
/// Hourly recovery of a narrative's reach on platforms after takedowns, as
/// its operators open new accounts (half-life about four days).
const PLATFORM_RECOVERY: f64 = 0.007;
/// How much each unit of grievance speeds a narrative up.
const GRIEVANCE_GAIN: f64 = 0.5;
/// Upper bound on stacked amplification.
const MAX_AMPLIFICATION: f64 = 1000.0;
/// Share of reach that flows in from the narrative's other audiences.
const CROSS_BORDER: f64 = 0.05;
/// Hourly pull of belief towards its target.
const BELIEF_RATE: f64 = 0.15;
/// Hourly decay of grievances (half-life about 13.5 hours).
const GRIEVANCE_DECAY: f64 = 0.95;
/// Share of baseline trust lost when everyone believes hostile narratives.
const TRUST_LOSS_BELIEF: f64 = 1.0;
/// Share of baseline trust lost when every sector is out for everyone, before
/// government communication softens it.
const TRUST_LOSS_HARDSHIP: f64 = 1.0;
/// How much the best government communication (stratcom 1.0) cuts the trust
/// lost to hardship: people forgive outages they are told about.
const COMMUNICATION_SHIELD: f64 = 0.5;
/// Hourly pull of trust down towards a lower crisis level (half-life about a day).
const TRUST_FALL_RATE: f64 = 0.03;
/// Hourly pull of trust back up once the crisis eases (half-life about four days).
const TRUST_RECOVERY_RATE: f64 = 0.007;

fn slot(e: Exploit) -> usize {
    match e {
        Exploit::Outages => 0,
        Exploit::Casualties => 1,
        Exploit::CyberIncidents => 2,
    }
}

/// Launches a narrative; launching one already running doubles its spread for two days.
pub fn launch(sim: &mut Sim, n: NarrativeIx, by: Origin) {
    let now = sim.now;
    if sim.narrative_ref(n).launched.is_some() {
        amplify(sim, n, 2.0, Duration::days(2));
        return;
    }
    sim.narrative(n).launched = Some((now, by));
    let seed = sim.cat.narratives[n.i()].seed_reach;
    for &e in &sim.ix.exposures[n.i()] {
        if let Some(mut x) = sim.world.get_mut::<Exposure>(e) {
            x.reach = x.reach.max(seed);
        }
    }
    sim.emit(What::NarrativeLaunched { narrative: n, by });
}

pub fn amplify(sim: &mut Sim, n: NarrativeIx, factor: f64, duration: Duration) {
    // Bounded so that stacked pushes can never overflow the spread rate.
    let mut st = sim.narrative(n);
    st.amplification = (st.amplification * factor).min(MAX_AMPLIFICATION);
    sim.emit(What::Amplified {
        narrative: n,
        factor: factor as f32,
    });
    sim.after(
        duration,
        Ev::AmplificationEnds {
            narrative: n,
            factor,
        },
    );
}

pub fn amplification_ends(sim: &mut Sim, n: NarrativeIx, factor: f64) {
    let mut st = sim.narrative(n);
    st.amplification = (st.amplification / factor).max(1e-6);
}

/// Real events feed grievances that narratives exploit.
pub fn on_event(sim: &mut Sim, ev: &Event) {
    let cat = sim.cat;
    let (country, kind, weight) = match ev.what {
        What::ServiceLost { node, .. } => {
            let n = &cat.nodes[node.i()];
            let pop = cat.countries[n.country.i()].population.max(1) as f64;
            (
                n.country,
                Exploit::Outages,
                0.2 + 5.0 * n.serves as f64 / pop,
            )
        }
        What::CbrnDetected { country, .. } => (country, Exploit::Casualties, 1.0),
        What::Casualties { country, .. } => (country, Exploit::Casualties, 0.05),
        What::Disruption { node, .. }
        | What::WiperInfection { node, .. }
        | What::ElectionAttack { node, .. } => {
            (cat.nodes[node.i()].country, Exploit::CyberIncidents, 0.4)
        }
        _ => return,
    };
    let mut nation = sim.nation(country);
    let g = &mut nation.grievance[slot(kind)];
    *g = (*g + weight).min(3.0);
}

/// One hour of spread in every launched narrative, then trust in every country.
pub fn hourly(sim: &mut Sim) {
    let cat = sim.cat;
    for (ni, def) in cat.narratives.iter().enumerate() {
        let n = NarrativeIx(ni as u32);
        if sim.narrative_ref(n).launched.is_none() {
            continue;
        }
        let exposures = sim.ix.exposures[ni].clone();
        let reaches: Vec<f64> = exposures
            .iter()
            .map(|e| sim.world.get::<Exposure>(*e).map_or(0.0, |x| x.reach))
            .collect();
        let total: f64 = reaches.iter().sum();
        let (amp, platform) = {
            let st = sim.narrative_ref(n);
            (st.amplification, st.platform)
        };
        for (k, &e) in exposures.iter().enumerate() {
            let aud = &cat.audiences[def.audiences[k].i()];
            let ci = def.countries.binary_search(&aud.country).unwrap_or(0);
            let grievance: f64 = def
                .exploits
                .iter()
                .map(|x| sim.nation_ref(aud.country).grievance[slot(*x)])
                .sum();
            let pc = sim.narrative_ref(n).countries[ci].clone();
            let others = if reaches.len() > 1 {
                (total - reaches[k]) / (reaches.len() - 1) as f64
            } else {
                0.0
            };
            // Susceptible audiences share more readily, not only believe more.
            let rate = def.virality
                * (0.5 + aud.susceptibility)
                * amp
                * platform
                * (1.0 + GRIEVANCE_GAIN * grievance)
                * if pc.spotted { 0.85 } else { 1.0 };
            let ceiling = 0.2 + 0.6 * aud.susceptibility;
            let Some(mut x) = sim.world.get_mut::<Exposure>(e) else {
                continue;
            };
            let growth =
                rate * (x.reach + CROSS_BORDER * others) * (1.0 - x.reach / ceiling).max(0.0);
            let fade = (FADE + DEBUNK_FADE * pc.debunk) * x.reach;
            x.reach = (x.reach + growth - fade).clamp(0.0, 1.0);
            let target = x.reach * aud.susceptibility * (1.0 - pc.debunk);
            x.belief += (target - x.belief) * BELIEF_RATE;
        }
        // Population-weighted reach and belief per country.
        for (ci, &c) in def.countries.iter().enumerate() {
            let (mut people, mut reach, mut belief) = (0.0, 0.0, 0.0);
            for (k, &e) in exposures.iter().enumerate() {
                let aud = &cat.audiences[def.audiences[k].i()];
                if aud.country == c {
                    let x = sim.world.get::<Exposure>(e).expect("exposure entity");
                    people += aud.size as f64;
                    reach += x.reach * aud.size as f64;
                    belief += x.belief * aud.size as f64;
                }
            }
            let (reach, belief) = if people > 0.0 {
                (reach / people, belief / people)
            } else {
                (0.0, 0.0)
            };
            {
                let mut st = sim.narrative(n);
                let pc = &mut st.countries[ci];
                pc.reach = reach;
                pc.belief = belief;
                // Corrections fade over days to weeks (DOMAIN.md).
                pc.debunk *= 1.0 - DEBUNK_WEAR;
                st.peak_reach = st.peak_reach.max(reach);
            }
            sim.emit(What::NarrativeReach {
                narrative: n,
                country: c,
                reach: reach as f32,
                belief: belief as f32,
            });
        }
        let mut st = sim.narrative(n);
        st.platform += (1.0 - st.platform) * PLATFORM_RECOVERY;
    }
    trust(sim);
}

fn trust(sim: &mut Sim) {
    let cat = sim.cat;
    for (c, def) in cat.countries.iter().enumerate() {
        let country = CountryIx(c as u32);
        let pop = def.population.max(1) as f64;
        let mut believers = 0.0;
        let mut reach: f64 = 0.0;
        for (ni, nd) in cat.narratives.iter().enumerate() {
            let Ok(ci) = nd.countries.binary_search(&country) else {
                continue;
            };
            let st = sim.narrative_ref(NarrativeIx(ni as u32));
            reach = reach.max(st.countries[ci].reach);
            for (k, a) in nd.audiences.iter().enumerate() {
                let aud = &cat.audiences[a.i()];
                if aud.country == country {
                    believers += sim
                        .world
                        .get::<Exposure>(sim.ix.exposures[ni][k])
                        .map_or(0.0, |x| x.belief)
                        * aud.size as f64;
                }
            }
        }
        let belief_share = (believers / pop).min(1.0);
        let hardship = hardship(sim, country, pop);
        let shield = 1.0 - COMMUNICATION_SHIELD * def.caps.stratcom.0;
        // Trust relaxes towards the level the current crisis supports: it
        // falls within a day or two and recovers over days, and it never
        // collapses to nothing because one cable stays cut for a week.
        let level = def.trust
            * (1.0 - TRUST_LOSS_BELIEF * belief_share - TRUST_LOSS_HARDSHIP * shield * hardship)
                .max(0.0);
        let mut nation = sim.nation(country);
        let t = nation.trust;
        let rate = if level < t {
            TRUST_FALL_RATE
        } else {
            TRUST_RECOVERY_RATE
        };
        let next = t + rate * (level - t);
        nation.trust = next.clamp(0.0, 1.0);
        nation.trust_min = nation.trust_min.min(nation.trust);
        for g in nation.grievance.iter_mut() {
            *g *= GRIEVANCE_DECAY;
        }
        let trust = nation.trust as f32;
        sim.emit(What::Opinion {
            country,
            trust,
            reach: reach as f32,
        });
    }
}

/// How hard the country's infrastructure situation is on its people, 0 to 1:
/// the mean over sectors of the share of the population without that
/// sector's service. A sector's nodes may serve the same people (a TSO and
/// its distribution network), so each sector's share is capped at one.
fn hardship(sim: &Sim, country: CountryIx, pop: f64) -> f64 {
    let t = sim.world.resource::<crate::infra::Totals>();
    let c = country.i();
    let sectors = t.nodes[c].iter().filter(|&&n| n > 0).count();
    if sectors == 0 {
        return 0.0;
    }
    t.lost_people[c]
        .iter()
        .map(|l| (l.max(0.0) / pop).min(1.0))
        .sum::<f64>()
        / sectors as f64
}
