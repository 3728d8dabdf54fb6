//! Public opinion: trust in institutions, and the grievances real events
//! give hostile narratives.
//!
//! Trust erodes with belief in hostile narratives and with people left
//! without service, and relaxes towards the level the crisis supports:
//! it falls within a day or two and recovers over days. Outages, CBRN
//! casualties and cyber incidents made public feed grievances that
//! narratives exploit (see [`crate::threats::disinfo`]); they fade within a day.

use bevy_ecs::prelude::*;

use crate::infra::{InfraRecord, Totals};
use crate::log::{Context, Described, Domain, Record, kinds, round3};
use crate::response::national::NationalRecord;
use crate::scenario::catalog::{Catalog, CountryIx};
use crate::scenario::{Exploit, Sector};
use crate::threats::cbrn::CbrnRecord;
use crate::threats::cyber::CyberRecord;
use crate::world::{
    CatalogRes, Exposure, NarrativeState, Nation, Reports, Sim, in_order, in_order_ref,
};

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

/// What public opinion logs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OpinionRecord {
    /// Hourly trust and the highest hostile reach in a country.
    Opinion {
        country: CountryIx,
        trust: f32,
        reach: f32,
    },
}

impl Record for OpinionRecord {
    kinds! {
        Opinion => "opinion" (routine),
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Disinfo
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        let OpinionRecord::Opinion {
            country,
            trust,
            reach,
        } = *self;
        Described::new(format!(
            "{}: trust {:.1}%, hostile reach {:.1}%",
            cx.country_name(country),
            trust * 100.0,
            reach * 100.0
        ))
        .country(cx.country(country))
        .detail("trust", round3(trust))
        .detail("reach", round3(reach))
    }
}

/// Real events feed grievances that narratives exploit.
fn grieve(sim: &mut Sim, country: CountryIx, kind: Exploit, weight: f64) {
    sim.nation(country).grieve(kind, weight);
}

pub fn on_infra(sim: &mut Sim, r: &InfraRecord) {
    if let InfraRecord::ServiceLost { node, .. } = *r {
        let cat = sim.cat;
        let n = &cat.nodes[node.i()];
        let pop = cat.countries[n.country.i()].population.max(1) as f64;
        grieve(
            sim,
            n.country,
            Exploit::Outages,
            0.2 + 5.0 * n.serves as f64 / pop,
        );
    }
}

pub fn on_national(sim: &mut Sim, r: &NationalRecord) {
    if let NationalRecord::CbrnDetected { country, .. } = *r {
        grieve(sim, country, Exploit::Casualties, 1.0);
    }
}

pub fn on_cbrn(sim: &mut Sim, r: &CbrnRecord) {
    if let CbrnRecord::Casualties { country, .. } = *r {
        grieve(sim, country, Exploit::Casualties, 0.05);
    }
}

pub fn on_cyber(sim: &mut Sim, r: &CyberRecord) {
    match *r {
        CyberRecord::Disruption { node, .. }
        | CyberRecord::WiperInfection { node, .. }
        | CyberRecord::RansomwareInfection { node, .. }
        | CyberRecord::ElectionAttack { node, .. } => {
            let country = sim.cat.nodes[node.i()].country;
            grieve(sim, country, Exploit::CyberIncidents, 0.4);
        }
        CyberRecord::IntrusionPlanted { .. } => {}
    }
}

/// One hour of trust in every country (a system).
pub fn trust(
    cat: Res<CatalogRes>,
    narratives: Query<&NarrativeState>,
    exposures: Query<&Exposure>,
    mut nations: Query<&mut Nation>,
    totals: Res<Totals>,
    mut reports: ResMut<Reports<OpinionRecord>>,
) {
    let cat = &*cat.0;
    let narratives = in_order_ref(&narratives);
    let exposures = in_order_ref(&exposures);
    // Where each narrative's exposures begin in `exposures`.
    let starts: Vec<usize> = cat
        .narratives
        .iter()
        .scan(0, |at, n| {
            let start = *at;
            *at += n.audiences.len();
            Some(start)
        })
        .collect();
    for (def, mut nation) in cat.countries.iter().zip(in_order(&mut nations)) {
        let country = nation.ix;
        let pop = def.population.max(1) as f64;
        let mut believers: f64 = 0.0;
        let mut reach: f64 = 0.0;
        for (ni, nd) in cat.narratives.iter().enumerate() {
            let Ok(ci) = nd.countries.binary_search(&country) else {
                continue;
            };
            reach = reach.max(narratives[ni].countries[ci].reach);
            for (k, a) in nd.audiences.iter().enumerate() {
                let aud = &cat.audiences[a.i()];
                if aud.country == country {
                    believers += exposures[starts[ni] + k].belief * aud.size as f64;
                }
            }
        }
        let belief_share = (believers / pop).min(1.0);
        let hardship = hardship(&totals, country, pop);
        let shield = 1.0 - COMMUNICATION_SHIELD * def.caps.stratcom.0;
        // Trust relaxes towards the level the current crisis supports: it
        // falls within a day or two and recovers over days, and it never
        // collapses to nothing because one cable stays cut for a week.
        let level = def.trust
            * (1.0 - TRUST_LOSS_BELIEF * belief_share - TRUST_LOSS_HARDSHIP * shield * hardship)
                .max(0.0);
        let t = nation.trust;
        let rate = if level < t {
            TRUST_FALL_RATE
        } else {
            TRUST_RECOVERY_RATE
        };
        let next = t + rate * (level - t);
        nation.trust = next.clamp(0.0, 1.0);
        nation.trust_min = nation.trust_min.min(nation.trust);
        nation.hostile_reach = reach;
        for g in nation.grievance.iter_mut() {
            *g *= GRIEVANCE_DECAY;
        }
        reports.0.push(OpinionRecord::Opinion {
            country,
            trust: nation.trust as f32,
            reach: reach as f32,
        });
    }
}

/// The essential services of the NIS Directive ((EU) 2016/1148, Annex II:
/// energy, transport, banking and financial market infrastructure, health,
/// drinking water, digital infrastructure): the ones people go without.
/// Government portals, election systems and media outages weigh on trust
/// as grievances instead (see [`on_infra`]).
const ESSENTIAL: [Sector; 6] = [
    Sector::Energy,
    Sector::Transport,
    Sector::Finance,
    Sector::Health,
    Sector::Water,
    Sector::Telecom,
];

/// How hard the country's infrastructure situation is on its people, 0 to 1:
/// the mean over the essential services of the share of the population
/// without that service, whether or not the scenario models the sector (an
/// unmodelled sector is one nobody attacks, so it counts as served: trust
/// does not depend on how many sectors the author wrote down). A sector's
/// nodes may serve the same people (a TSO and its distribution network), so
/// each sector's share is capped at one.
fn hardship(t: &Totals, country: CountryIx, pop: f64) -> f64 {
    let lost = &t.lost_people[country.i()];
    ESSENTIAL
        .iter()
        .map(|&s| (lost[crate::infra::sector_slot(s)].max(0.0) / pop).min(1.0))
        .sum::<f64>()
        / ESSENTIAL.len() as f64
}
