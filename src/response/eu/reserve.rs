//! The EU Cybersecurity Reserve of the Cyber Solidarity Act (Regulation (EU)
//! 2025/38): incident-response services of trusted providers, lent on
//! request.
//!
//! A member state whose CSIRT teams are all busy with incidents still
//! waiting has taken its own measures (Art. 15(2)) and may ask, through its
//! NIS2 single point of contact. The contracting authority assesses the
//! request (Art. 16(1): "without delay"), then lends teams from the pool.
//! When requests outrun the pool they wait, and returning teams go to the
//! most severe case first (Art. 16(2)(a)): the state with most incidents
//! open or waiting, the earlier request on a tie; member states before the
//! third countries associated to the Digital Europe Programme, which it may
//! also serve (Art. 14(2)). A request whose state has
//! worked its queue off by then lapses. Lent teams join the state's CSIRT
//! (see [`national::add_teams`]), with the playbook's recovery crews for
//! rebuilding (see [`national::add_crews`]), until their stay ends.

use std::collections::BTreeSet;

use super::decision::{DecisionKind, raise};
use super::{EuEv, draw, eu, eu_ref, holds, later};
use crate::engine::{SimTime, count_u32};
use crate::log::{Context, Described, Domain, Record, kinds};
use crate::response::national;
use crate::scenario::catalog::{Catalog, CountryIx};
use crate::world::Sim;

/// What the Cybersecurity Reserve logs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ReserveRecord {
    Requested {
        request: u32,
        country: CountryIx,
    },
    /// Assessed, and waiting for teams to come back.
    AwaitingTeams {
        request: u32,
        country: CountryIx,
    },
    /// The state's queue was worked off before teams were free.
    Lapsed {
        request: u32,
        country: CountryIx,
    },
    Deployed {
        request: u32,
        country: CountryIx,
        teams: u32,
    },
    Returned {
        request: u32,
        country: CountryIx,
        teams: u32,
    },
}

impl Record for ReserveRecord {
    kinds! {
        Requested => "cyber_reserve_request",
        AwaitingTeams => "cyber_reserve_waiting",
        Lapsed => "cyber_reserve_lapsed",
        Deployed => "cyber_reserve_deployed",
        Returned => "cyber_reserve_returned",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        let (request, country, text) = match *self {
            ReserveRecord::Requested { request, country } => (
                request,
                country,
                format!(
                    "{} requests incident-response services from the EU Cybersecurity Reserve",
                    cx.country_name(country)
                ),
            ),
            ReserveRecord::AwaitingTeams { request, country } => (
                request,
                country,
                format!(
                    "EU Cybersecurity Reserve: every team is lent; {}'s request waits for one to return",
                    cx.country_name(country)
                ),
            ),
            ReserveRecord::Lapsed { request, country } => (
                request,
                country,
                format!(
                    "EU Cybersecurity Reserve: {} no longer needs the teams it asked for",
                    cx.country_name(country)
                ),
            ),
            ReserveRecord::Deployed {
                request,
                country,
                teams,
            } => (
                request,
                country,
                format!(
                    "EU Cybersecurity Reserve: {teams} incident-response team(s) at work in {}",
                    cx.country_name(country)
                ),
            ),
            ReserveRecord::Returned {
                request,
                country,
                teams,
            } => (
                request,
                country,
                format!(
                    "EU Cybersecurity Reserve: {teams} team(s) leave {}",
                    cx.country_name(country)
                ),
            ),
        };
        let d = Described::new(text)
            .actor(if matches!(self, ReserveRecord::Requested { .. }) {
                cx.country(country)
            } else {
                "ENISA"
            })
            .country(cx.country(country))
            .detail("request", request);
        match *self {
            ReserveRecord::Requested { .. } => d.target("ENISA"),
            ReserveRecord::Deployed { teams, .. } | ReserveRecord::Returned { teams, .. } => {
                d.detail("teams", teams)
            }
            _ => d,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum ReserveEv {
    /// The contracting authority has assessed a request.
    Assessed(u32),
    /// Lent teams start work in the state.
    Arrives(u32),
    /// Their stay is over.
    Leaves(u32),
}

#[derive(Clone, Debug)]
pub struct ReserveRequest {
    pub country: CountryIx,
    pub requested: SimTime,
    pub deployed: Option<SimTime>,
    pub teams: u32,
    pub waited: bool,
    pub lapsed: bool,
}

#[derive(Debug, Default)]
pub struct ReserveState {
    pub requests: Vec<ReserveRequest>,
    /// Teams not lent out.
    pub free: u32,
    /// Assessed requests waiting for teams.
    pub waiting: Vec<u32>,
    /// Member states with a request not yet served to the end.
    pub open: BTreeSet<CountryIx>,
}

impl ReserveState {
    pub fn new(r: &crate::playbook::Response) -> Self {
        ReserveState {
            free: r.cyber_reserve.as_ref().map_or(0, |c| c.teams),
            ..ReserveState::default()
        }
    }
}

/// Does `c` need outside incident responders: incidents wait for its CSIRT?
fn short_of_teams(sim: &Sim, c: CountryIx) -> bool {
    !sim.nation_ref(c).csirt_queue.is_empty()
}

/// A state short of incident responders considers asking, if the playbook's trigger holds.
pub fn review_country(sim: &mut Sim, c: CountryIx) {
    let Some(r) = &sim.cat.response.cyber_reserve else {
        return;
    };
    if short_of_teams(sim, c)
        && !eu_ref(sim).reserve.open.contains(&c)
        && holds(sim, &r.request.when, Some(c))
    {
        eu(sim).reserve.open.insert(c);
        raise(sim, DecisionKind::CyberReserveRequest, Some(c), &r.request);
    }
}

/// The state has decided to ask: the request goes to the contracting authority.
pub fn request(sim: &mut Sim, c: CountryIx) {
    let Some(r) = &sim.cat.response.cyber_reserve else {
        return;
    };
    let now = sim.now;
    let id = {
        let mut st = eu(sim);
        st.reserve.open.insert(c);
        st.reserve.requests.push(ReserveRequest {
            country: c,
            requested: now,
            deployed: None,
            teams: 0,
            waited: false,
            lapsed: false,
        });
        count_u32(st.reserve.requests.len() - 1)
    };
    sim.emit(ReserveRecord::Requested {
        request: id,
        country: c,
    });
    let d = draw(sim, |r| &mut r.reserve, &r.assessment, 1.0);
    later(sim, d, EuEv::Reserve(ReserveEv::Assessed(id)));
}

pub fn handle(sim: &mut Sim, ev: ReserveEv) {
    let r = sim
        .cat
        .response
        .cyber_reserve
        .as_ref()
        .expect("Reserve present");
    match ev {
        ReserveEv::Assessed(id) => {
            eu(sim).reserve.waiting.push(id);
            if eu_ref(sim).reserve.free == 0 {
                let country = {
                    let mut st = eu(sim);
                    st.reserve.requests[id as usize].waited = true;
                    st.reserve.requests[id as usize].country
                };
                sim.emit(ReserveRecord::AwaitingTeams {
                    request: id,
                    country,
                });
            }
            dispatch(sim);
        }
        ReserveEv::Arrives(id) => {
            let now = sim.now;
            let (country, teams) = {
                let mut st = eu(sim);
                let q = &mut st.reserve.requests[id as usize];
                q.deployed = Some(now);
                (q.country, q.teams)
            };
            national::add_teams(sim, country, teams);
            national::add_crews(sim, country, teams * r.recovery_crews);
            sim.emit(ReserveRecord::Deployed {
                request: id,
                country,
                teams,
            });
            later(sim, r.stay, EuEv::Reserve(ReserveEv::Leaves(id)));
        }
        ReserveEv::Leaves(id) => {
            let (country, teams) = {
                let q = &eu_ref(sim).reserve.requests[id as usize];
                (q.country, q.teams)
            };
            national::withdraw_teams(sim, country, teams);
            national::withdraw_crews(sim, country, teams * r.recovery_crews);
            {
                let mut st = eu(sim);
                st.reserve.free += teams;
                st.reserve.open.remove(&country);
            }
            sim.emit(ReserveRecord::Returned {
                request: id,
                country,
                teams,
            });
            dispatch(sim);
        }
    }
}

/// Lends free teams to the waiting requests, the most severe case first.
fn dispatch(sim: &mut Sim) {
    let r = sim
        .cat
        .response
        .cyber_reserve
        .as_ref()
        .expect("Reserve present");
    loop {
        let (free, waiting) = {
            let st = &eu_ref(sim).reserve;
            (st.free, st.waiting.clone())
        };
        if free == 0 || waiting.is_empty() {
            return;
        }
        // Member states first (assumption: the Act's support to
        // associated third countries, its Art. 19, was not read), then
        // severity: the incidents the state has open or waiting.
        let severity = |id: u32| {
            let c = eu_ref(sim).reserve.requests[id as usize].country;
            let n = sim.nation_ref(c);
            (
                sim.cat.countries[c.i()].eu,
                n.open_incidents.len() + n.csirt_queue.len(),
            )
        };
        let pick = waiting
            .iter()
            .enumerate()
            .max_by_key(|&(k, &id)| (severity(id), std::cmp::Reverse(k)))
            .map(|(k, &id)| (k, id))
            .expect("a request waits");
        let (k, id) = pick;
        let country = {
            let mut st = eu(sim);
            st.reserve.waiting.remove(k);
            st.reserve.requests[id as usize].country
        };
        if !short_of_teams(sim, country) {
            {
                let mut st = eu(sim);
                st.reserve.requests[id as usize].lapsed = true;
                st.reserve.open.remove(&country);
            }
            sim.emit(ReserveRecord::Lapsed {
                request: id,
                country,
            });
            continue;
        }
        let teams = r.per_request.min(free);
        {
            let mut st = eu(sim);
            st.reserve.free -= teams;
            st.reserve.requests[id as usize].teams = teams;
        }
        let d = draw(sim, |r| &mut r.reserve, &r.lead_time, 1.0);
        later(sim, d, EuEv::Reserve(ReserveEv::Arrives(id)));
    }
}

/// The Reserve on the dashboard.
pub fn dashboard(st: &super::EuState, cat: &Catalog) -> String {
    let total = cat.response.cyber_reserve.as_ref().map_or(0, |r| r.teams);
    let lent = st
        .reserve
        .requests
        .iter()
        .filter(|q| q.deployed.is_some() && st.reserve.open.contains(&q.country))
        .count();
    format!(
        "{} of {total} teams free · {} requests waiting · {lent} states helped now",
        st.reserve.free,
        st.reserve.waiting.len()
    )
}

/// What the Reserve did.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    eu.cyber_reserve.as_ref().map_or(String::new(), |r| {
        let deployed: Vec<f64> = r
            .requests
            .iter()
            .filter_map(|q| q.request_to_deployment_h)
            .collect();
        let waited = r.requests.iter().filter(|q| q.waited).count();
        format!(
            "{} requests, {} served{}, {waited} waited for teams to return, {} lapsed",
            r.requests.len(),
            deployed.len(),
            if deployed.is_empty() {
                String::new()
            } else {
                format!(
                    " (first after {:.1} h)",
                    deployed.iter().copied().fold(f64::INFINITY, f64::min)
                )
            },
            r.requests.iter().filter(|q| q.lapsed).count()
        )
    })
}
