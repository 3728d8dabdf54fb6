//! Disinformation: narratives spreading through audiences.
//!
//! Reach is the share of an audience currently exposed to and passing on a
//! narrative. In each audience it grows logistically at the narrative's
//! virality towards a ceiling set by the audience's susceptibility (not
//! everyone is on the channels that carry it), faster with amplification
//! (bot networks) and with grievances that real events give it (outages,
//! casualties, cyber incidents), slower once responders have spotted it and
//! platforms have acted; and it fades as people move on, faster once it has
//! been debunked. A little reach flows between the narrative's audiences in
//! different countries (shared media, diaspora); within a community (one
//! language's media space across borders) the whole community's reach drives
//! each member's growth. Belief follows reach among
//! the susceptible, less what debunking has undone. What belief does to
//! trust in institutions is [`crate::opinion`]'s.

use bevy_ecs::prelude::*;
use bevy_ecs::world::Mut;

use super::ThreatEv;
use crate::engine::Duration;
use crate::log::{Context, Described, Domain, Origin, Record, kinds, round3};
use crate::scenario::catalog::{Catalog, CountryIx, NarrativeDef, NarrativeIx};
use crate::world::{
    CatalogRes, Exposure, NarrativeState, Nation, Reports, Sim, in_order, in_order_ref,
};

/// What narratives log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DisinfoRecord {
    NarrativeLaunched {
        narrative: NarrativeIx,
        by: Origin,
    },
    Amplified {
        narrative: NarrativeIx,
        factor: f32,
    },
    /// Hourly reach and belief of a narrative in one country.
    NarrativeReach {
        narrative: NarrativeIx,
        country: CountryIx,
        reach: f32,
        belief: f32,
    },
}

impl Record for DisinfoRecord {
    kinds! {
        NarrativeLaunched => "narrative_launched",
        Amplified => "amplified",
        NarrativeReach => "narrative_reach" (routine),
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Disinfo
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        match *self {
            DisinfoRecord::NarrativeLaunched { narrative, by } => {
                let n = cx.narrative(narrative);
                Described::new(format!("Narrative launched: \"{}\"", n.title))
                    .actor(cx.actor_of(by))
                    .target(&n.id)
                    .origin(cx, by)
            }
            DisinfoRecord::Amplified { narrative, factor } => {
                let n = cx.narrative(narrative);
                Described::new(format!(
                    "Bot network amplifies \"{}\" x{factor:.1}",
                    n.title
                ))
                .target(&n.id)
                .detail("factor", round3(factor))
            }
            DisinfoRecord::NarrativeReach {
                narrative,
                country,
                reach,
                belief,
            } => {
                let n = cx.narrative(narrative);
                Described::new(format!(
                    "\"{}\" reaches {:.1}% in {} ({:.1}% believe)",
                    n.title,
                    reach * 100.0,
                    cx.country(country),
                    belief * 100.0
                ))
                .target(&n.id)
                .country(cx.country(country))
                .detail("reach", round3(reach))
                .detail("belief", round3(belief))
            }
        }
    }
}

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
    sim.emit(DisinfoRecord::NarrativeLaunched { narrative: n, by });
}

pub fn amplify(sim: &mut Sim, n: NarrativeIx, factor: f64, duration: Duration) {
    // Bounded so that stacked pushes can never overflow the spread rate.
    let mut st = sim.narrative(n);
    st.amplification = (st.amplification * factor).min(MAX_AMPLIFICATION);
    sim.emit(DisinfoRecord::Amplified {
        narrative: n,
        factor: factor as f32,
    });
    sim.after(
        duration,
        ThreatEv::AmplificationEnds {
            narrative: n,
            factor,
        },
    );
}

pub fn amplification_ends(sim: &mut Sim, n: NarrativeIx, factor: f64) {
    let mut st = sim.narrative(n);
    st.amplification = (st.amplification / factor).max(1e-6);
}

/// One hour of spread in every launched narrative (a system).
pub fn spread(
    cat: Res<CatalogRes>,
    mut narratives: Query<&mut NarrativeState>,
    mut exposures: Query<&mut Exposure>,
    nations: Query<&Nation>,
    mut reports: ResMut<Reports<DisinfoRecord>>,
) {
    let cat = &*cat.0;
    let nations = in_order_ref(&nations);
    // Exposures come grouped by narrative, in the order of its audiences.
    let mut exposures = in_order(&mut exposures);
    let mut at = 0;
    for (def, mut st) in cat.narratives.iter().zip(in_order(&mut narratives)) {
        let audiences = &mut exposures[at..at + def.audiences.len()];
        at += def.audiences.len();
        if st.launched.is_some() {
            spread_one(cat, def, &mut st, audiences, &nations, &mut reports.0);
        }
    }
}

fn spread_one(
    cat: &Catalog,
    def: &NarrativeDef,
    st: &mut NarrativeState,
    exposures: &mut [Mut<Exposure>],
    nations: &[&Nation],
    reports: &mut Vec<DisinfoRecord>,
) {
    let reaches: Vec<f64> = exposures.iter().map(|x| x.reach).collect();
    let total: f64 = reaches.iter().sum();
    // Each community's pressure once this hour, not once per member.
    let mut pools: Vec<(u32, (f64, f64))> = Vec::new();
    for a in &def.audiences {
        if let Some(c) = cat.audiences[a.i()].community
            && !pools.iter().any(|(p, _)| *p == c)
        {
            pools.push((c, community_pressure(cat, def, &reaches, c)));
        }
    }
    let (amp, platform) = (st.amplification, st.platform);
    for (k, x) in exposures.iter_mut().enumerate() {
        let aud = &cat.audiences[def.audiences[k].i()];
        let ci = def.countries.binary_search(&aud.country).unwrap_or(0);
        let grievance: f64 = def
            .exploits
            .iter()
            .map(|e| nations[aud.country.i()].grievance(*e))
            .sum();
        let pc = &st.countries[ci];
        // Who passes the narrative on to this audience: itself, or its
        // whole community (one media space); a little from the others.
        let (pressure, others) = match aud.community {
            None => (
                x.reach,
                if reaches.len() > 1 {
                    (total - reaches[k]) / (reaches.len() - 1) as f64
                } else {
                    0.0
                },
            ),
            Some(c) => pools
                .iter()
                .find_map(|(p, v)| (*p == c).then_some(*v))
                .expect("every member's community is pooled"),
        };
        // Susceptible audiences share more readily, not only believe more.
        let rate = def.virality
            * (0.5 + aud.susceptibility)
            * amp
            * platform
            * (1.0 + GRIEVANCE_GAIN * grievance)
            * if pc.spotted { 0.85 } else { 1.0 };
        let ceiling = 0.2 + 0.6 * aud.susceptibility;
        let growth = rate * (pressure + CROSS_BORDER * others) * (1.0 - x.reach / ceiling).max(0.0);
        let fade = (FADE + DEBUNK_FADE * pc.debunk) * x.reach;
        x.reach = (x.reach + growth - fade).clamp(0.0, 1.0);
        let target = x.reach * aud.susceptibility * (1.0 - pc.debunk);
        x.belief += (target - x.belief) * BELIEF_RATE;
    }
    // Population-weighted reach and belief per country.
    for (ci, &c) in def.countries.iter().enumerate() {
        let (mut people, mut reach, mut belief) = (0.0, 0.0, 0.0);
        for (k, x) in exposures.iter().enumerate() {
            let aud = &cat.audiences[def.audiences[k].i()];
            if aud.country == c {
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
        let pc = &mut st.countries[ci];
        pc.reach = reach;
        pc.belief = belief;
        // Corrections fade over days to weeks (no published half-life; secondary sources).
        pc.debunk *= 1.0 - DEBUNK_WEAR;
        st.peak_reach = st.peak_reach.max(reach);
        reports.push(DisinfoRecord::NarrativeReach {
            narrative: st.ix,
            country: c,
            reach: reach as f32,
            belief: belief as f32,
        });
    }
    st.platform += (1.0 - st.platform) * PLATFORM_RECOVERY;
}

/// The reach of community `c` among the narrative's audiences (weighted by
/// size), and the mean reach of the narrative's audiences outside it.
fn community_pressure(cat: &Catalog, def: &NarrativeDef, reaches: &[f64], c: u32) -> (f64, f64) {
    let (mut people, mut reached, mut outside, mut n_outside) = (0.0, 0.0, 0.0, 0usize);
    for (a, r) in def.audiences.iter().zip(reaches) {
        let aud = &cat.audiences[a.i()];
        if aud.community == Some(c) {
            people += aud.size as f64;
            reached += r * aud.size as f64;
        } else {
            outside += r;
            n_outside += 1;
        }
    }
    let pressure = if people > 0.0 { reached / people } else { 0.0 };
    let others = if n_outside > 0 {
        outside / n_outside as f64
    } else {
        0.0
    };
    (pressure, others)
}
