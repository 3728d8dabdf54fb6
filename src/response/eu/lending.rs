//! EU teams lent on a state's request, from a pool: the EU Cybersecurity
//! Reserve and the Hybrid Rapid Response Teams.
//!
//! Both work the same way. A state that needs outside help (see
//! [`Lender::needs`]) and meets the playbook's trigger raises a decision
//! point to ask. The EU side assesses the request or puts a team together,
//! then lends teams from its pool. When requests outrun the pool they wait,
//! and a team that comes back goes to the most severe case first (see
//! [`Lender::severity`]), member states before third countries, on a tie
//! the request ready first. A request whose state no longer needs help by
//! then lapses, unless exercise control scripted it. A lent team adds to
//! the state's means (see [`Lender::arrive`]) until its stay ends; the
//! state may then ask again if the lender allows it (see
//! [`Lender::asks_again`]). A state that declined to ask is not asked again
//! by the playbook, as with UCPM requests.
//!
//! - **EU Cybersecurity Reserve** (Cyber Solidarity Act, Regulation (EU)
//!   2025/38, Art. 14 to 16): incident-response services of trusted
//!   providers. A state asks through its NIS2 single point of contact once
//!   incidents wait for its own CSIRT teams: it has taken its own measures
//!   (Art. 15(2)). ENISA, the contracting authority, assesses the request
//!   ("without delay"); severity is the incidents the state has open or
//!   waiting (the first of the proposal's priority criteria). Besides
//!   member states it may serve third
//!   countries associated to the Digital Europe Programme (Art. 14(2)).
//! - **Hybrid Rapid Response Teams** (guiding framework approved by the
//!   Council, May 2024): "tailored and targeted short-term assistance" to
//!   member states and partner countries, "deployed upon request". A state
//!   with a detected threat may ask; the team is made up to fit the case;
//!   severity is the highest reach of a hostile narrative in the state.

use std::collections::BTreeSet;

use super::decision::{DecisionKind, raise};
use super::{EuEv, EuState, draw, eu, eu_ref, holds, later};
use crate::engine::{Dist, Duration, SimTime, count_u32};
use crate::log::{Context, Described, Domain, Kind, Record};
use crate::playbook::{Decision, Response};
use crate::response::national;
use crate::scenario::catalog::{Catalog, CountryIx};
use crate::world::Sim;

/// An EU body that lends teams on request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lender {
    CyberReserve,
    Hrrt,
}

/// A lender's terms, as its playbook section gives them.
pub struct Terms<'a> {
    pub request: &'a Decision,
    /// From the request to a team ready to go (assessment, or assembly).
    pub preparation: &'a Dist,
    pub teams: u32,
    pub per_request: u32,
    pub lead_time: &'a Dist,
    pub stay: Duration,
}

impl Lender {
    pub const ALL: [Lender; 2] = [Lender::CyberReserve, Lender::Hrrt];

    /// The lender's terms, if the playbooks bring it.
    pub fn terms(self, r: &Response) -> Option<Terms<'_>> {
        match self {
            Lender::CyberReserve => r.cyber_reserve.as_ref().map(|c| Terms {
                request: &c.request,
                preparation: &c.assessment,
                teams: c.teams,
                per_request: c.per_request,
                lead_time: &c.lead_time,
                stay: c.stay,
            }),
            Lender::Hrrt => r.hybrid_rapid_response.as_ref().map(|h| Terms {
                request: &h.request,
                preparation: &h.assembly,
                teams: h.teams,
                per_request: 1,
                lead_time: &h.lead_time,
                stay: h.stay,
            }),
        }
    }

    /// The decision a state takes to ask.
    pub fn decision(self) -> DecisionKind {
        DecisionKind::Loan(self)
    }

    /// The decision's kind in the log.
    pub fn request_kind(self) -> &'static str {
        self.kinds()[0].name
    }

    /// The question put to the state's government.
    pub fn question(self) -> &'static str {
        match self {
            Lender::CyberReserve => {
                "request incident-response services from the EU Cybersecurity Reserve?"
            }
            Lender::Hrrt => "request an EU Hybrid Rapid Response Team?",
        }
    }

    /// Who lends, as the log names it.
    fn actor(self) -> &'static str {
        match self {
            Lender::CyberReserve => "ENISA",
            Lender::Hrrt => "EEAS",
        }
    }

    /// Its mechanism, which names it.
    fn mechanism(self) -> super::Mechanism {
        match self {
            Lender::CyberReserve => super::Mechanism::CyberReserve,
            Lender::Hrrt => super::Mechanism::Hrrt,
        }
    }

    fn name(self) -> &'static str {
        self.mechanism().info().name
    }

    /// Which of the scenario's countries it may serve.
    fn serves(self, cat: &Catalog, c: CountryIx) -> bool {
        let def = &cat.countries[c.i()];
        match self {
            Lender::CyberReserve => def.eu || def.digital_europe,
            // Member states and partner countries alike.
            Lender::Hrrt => true,
        }
    }

    /// Does `c` need the lender's help now?
    fn needs(self, sim: &Sim, c: CountryIx) -> bool {
        match self {
            // Incidents wait for the state's own CSIRT teams.
            Lender::CyberReserve => !sim.nation_ref(c).csirt_queue.is_empty(),
            // A threat has been detected in the state.
            Lender::Hrrt => eu_ref(sim).affected.contains(&c),
        }
    }

    /// May a state ask again once its teams have left? The Reserve answers
    /// a need that can come back (incidents queue again); a Hybrid Rapid
    /// Response Team gives "short-term assistance" once, so that the teams
    /// reach more states than the first to ask.
    fn asks_again(self) -> bool {
        matches!(self, Lender::CyberReserve)
    }

    /// How severe `c`'s case is, to rank concurrent requests.
    fn severity(self, sim: &Sim, c: CountryIx) -> u64 {
        match self {
            // Incidents open, worked on or waiting (`open_incidents` holds both).
            Lender::CyberReserve => sim.nation_ref(c).open_incidents.len() as u64,
            Lender::Hrrt => (super::stratcom::top_reach(sim, c) * 1e6) as u64,
        }
    }

    /// What one lent team brings: CSIRT teams, repair crews, and strength
    /// added to the state's debunks.
    fn team(self, r: &Response) -> (u32, u32, f64) {
        match self {
            Lender::CyberReserve => r
                .cyber_reserve
                .as_ref()
                .map_or((0, 0, 0.0), |c| (1, c.recovery_crews, 0.0)),
            Lender::Hrrt => r
                .hybrid_rapid_response
                .as_ref()
                .map_or((0, 0, 0.0), |h| (h.csirt_teams, 0, h.stratcom.0)),
        }
    }

    /// `teams` start work in `c`.
    fn arrive(self, sim: &mut Sim, c: CountryIx, teams: u32) {
        let (csirt, crews, stratcom) = self.team(&sim.cat.response);
        if csirt > 0 {
            national::add_teams(sim, c, teams.saturating_mul(csirt));
        }
        if crews > 0 {
            national::add_crews(sim, c, teams.saturating_mul(crews));
        }
        if stratcom > 0.0 {
            super::stratcom::reinforce_debunks(sim, c, stratcom * f64::from(teams));
        }
    }

    /// `teams` leave `c`; their advice on strategic communication stays.
    fn leave(self, sim: &mut Sim, c: CountryIx, teams: u32) {
        let (csirt, crews, _) = self.team(&sim.cat.response);
        national::withdraw_teams(sim, c, teams.saturating_mul(csirt));
        national::withdraw_crews(sim, c, teams.saturating_mul(crews));
    }

    fn pool(self, st: &EuState) -> &Pool {
        &st.lending[self as usize]
    }

    fn pool_mut(self, st: &mut EuState) -> &mut Pool {
        &mut st.lending[self as usize]
    }
}

/// What happened to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loan {
    Requested,
    /// Ready, and waiting for teams to come back.
    Waiting,
    /// The state no longer needed help when teams were free.
    Lapsed,
    Deployed {
        teams: u32,
    },
    Returned {
        teams: u32,
    },
}

impl Loan {
    fn index(self) -> usize {
        match self {
            Loan::Requested => 0,
            Loan::Waiting => 1,
            Loan::Lapsed => 2,
            Loan::Deployed { .. } => 3,
            Loan::Returned { .. } => 4,
        }
    }
}

/// What the lenders log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LoanRecord {
    pub lender: Lender,
    pub loan: Loan,
    pub request: u32,
    pub country: CountryIx,
}

impl Record for LoanRecord {
    fn kinds() -> &'static [Kind] {
        const ALL: [Kind; 10] = {
            let (a, b) = (Lender::CyberReserve.kinds(), Lender::Hrrt.kinds());
            [a[0], a[1], a[2], a[3], a[4], b[0], b[1], b[2], b[3], b[4]]
        };
        &ALL
    }

    fn kind(&self) -> &'static str {
        self.lender.kinds()[self.loan.index()].name
    }

    fn is_key(&self) -> bool {
        true
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        let (l, country) = (self.lender, self.country);
        let who = cx.country_name(country);
        let text = match (l, self.loan) {
            (Lender::CyberReserve, Loan::Requested) => format!(
                "{who} requests incident-response services from the EU Cybersecurity Reserve"
            ),
            (Lender::Hrrt, Loan::Requested) => {
                format!("{who} requests an EU Hybrid Rapid Response Team")
            }
            (_, Loan::Waiting) => format!(
                "{}: every team is lent; {who}'s request waits for one to return",
                l.name()
            ),
            (_, Loan::Lapsed) => {
                format!("{}: {who} no longer needs the teams it asked for", l.name())
            }
            (Lender::CyberReserve, Loan::Deployed { teams }) => format!(
                "EU Cybersecurity Reserve: {teams} incident-response team(s) at work in {who}"
            ),
            (Lender::Hrrt, Loan::Deployed { teams }) => format!(
                "EU Hybrid Rapid Response Team{} at work in {who}",
                if teams > 1 { "s" } else { "" }
            ),
            (_, Loan::Returned { teams }) => {
                format!("{}: {teams} team(s) leave {who}", l.name())
            }
        };
        let d = Described::new(text)
            .actor(if self.loan == Loan::Requested {
                cx.country(country)
            } else {
                l.actor()
            })
            .country(cx.country(country))
            .detail("request", self.request);
        match self.loan {
            Loan::Requested => d.target(l.actor()),
            Loan::Deployed { teams } | Loan::Returned { teams } => d.detail("teams", teams),
            _ => d,
        }
    }
}

impl Lender {
    /// The log's kinds for this lender, in [`Loan`] order; the first is
    /// also the kind of its request decision.
    pub const fn kinds(self) -> [Kind; 5] {
        const fn k(name: &'static str) -> Kind {
            Kind { name, key: true }
        }
        match self {
            Lender::CyberReserve => [
                k("cyber_reserve_request"),
                k("cyber_reserve_waiting"),
                k("cyber_reserve_lapsed"),
                k("cyber_reserve_deployed"),
                k("cyber_reserve_returned"),
            ],
            Lender::Hrrt => [
                k("hrrt_request"),
                k("hrrt_waiting"),
                k("hrrt_lapsed"),
                k("hrrt_deployed"),
                k("hrrt_returned"),
            ],
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum LoanEv {
    /// The request is assessed, or the team put together.
    Ready(u32),
    /// Lent teams start work in the state.
    Arrives(u32),
    /// Their stay is over.
    Leaves(u32),
}

#[derive(Clone, Debug)]
pub struct Request {
    pub country: CountryIx,
    pub requested: SimTime,
    pub deployed: Option<SimTime>,
    pub teams: u32,
    pub waited: bool,
    pub lapsed: bool,
    /// Exercise control scripted it: served whatever the state's need.
    pub scripted: bool,
    pub returned: bool,
}

/// One lender's pool and requests.
#[derive(Debug, Default)]
pub struct Pool {
    pub requests: Vec<Request>,
    /// Teams not lent out.
    pub free: u32,
    /// Ready requests waiting for teams.
    pub waiting: Vec<u32>,
    /// States the playbook does not raise a request for now: one is under
    /// deliberation or being served, the state declined, or (for a lender
    /// that serves a state once) it was served.
    pub open: BTreeSet<CountryIx>,
}

/// Is a request of `c` to `l` on its way or its teams at work? (A state
/// that declined to ask, or was served once by a lender that serves once,
/// is not asked again by the playbook, but exercise control may still ask.)
pub fn serving(st: &EuState, l: Lender, c: CountryIx) -> bool {
    l.pool(st)
        .requests
        .iter()
        .any(|q| q.country == c && !q.lapsed && !q.returned)
}

/// Every lender's pool, in [`Lender`] order.
pub fn pools(r: &Response) -> [Pool; 2] {
    Lender::ALL.map(|l| Pool {
        free: l.terms(r).map_or(0, |t| t.teams),
        ..Pool::default()
    })
}

fn emit(sim: &mut Sim, lender: Lender, loan: Loan, request: u32) {
    let country = lender.pool(eu_ref(sim)).requests[request as usize].country;
    sim.emit(LoanRecord {
        lender,
        loan,
        request,
        country,
    });
}

/// A state that needs a lender's help considers asking, if the playbook's trigger holds.
pub fn review_country(sim: &mut Sim, c: CountryIx) {
    for l in Lender::ALL {
        let Some(t) = l.terms(&sim.cat.response) else {
            continue;
        };
        if l.serves(sim.cat, c)
            && l.needs(sim, c)
            && !l.pool(eu_ref(sim)).open.contains(&c)
            && holds(sim, &t.request.when, Some(c))
        {
            l.pool_mut(&mut eu(sim)).open.insert(c);
            raise(sim, l.decision(), Some(c), t.request);
        }
    }
}

/// The state has decided to ask (`scripted`: exercise control decided it,
/// and the request is served whatever the state's need).
pub fn request(sim: &mut Sim, l: Lender, c: CountryIx, scripted: bool) {
    let Some(t) = l.terms(&sim.cat.response) else {
        return;
    };
    // A decision that falls while exercise control's request for the same
    // state is being served adds nothing.
    if serving(eu_ref(sim), l, c) {
        return;
    }
    let now = sim.now;
    let id = {
        let mut st = eu(sim);
        let p = l.pool_mut(&mut st);
        p.open.insert(c);
        p.requests.push(Request {
            country: c,
            requested: now,
            deployed: None,
            teams: 0,
            waited: false,
            lapsed: false,
            scripted,
            returned: false,
        });
        count_u32(p.requests.len() - 1)
    };
    emit(sim, l, Loan::Requested, id);
    let d = draw(sim, stream(l), t.preparation, 1.0);
    later(sim, d, EuEv::Loan(l, LoanEv::Ready(id)));
}

/// Each lender draws from its own stream (its states' deliberations too).
pub fn stream(l: Lender) -> super::Stream {
    match l {
        Lender::CyberReserve => |r| &mut r.reserve,
        Lender::Hrrt => |r| &mut r.hrrt,
    }
}

pub fn handle(sim: &mut Sim, l: Lender, ev: LoanEv) {
    let t = l.terms(&sim.cat.response).expect("the lender is present");
    let stay = t.stay;
    match ev {
        LoanEv::Ready(id) => {
            let waits = {
                let mut st = eu(sim);
                let p = l.pool_mut(&mut st);
                p.waiting.push(id);
                let waits = p.free == 0;
                p.requests[id as usize].waited |= waits;
                waits
            };
            if waits {
                emit(sim, l, Loan::Waiting, id);
            }
            dispatch(sim, l);
        }
        LoanEv::Arrives(id) => {
            let now = sim.now;
            let (country, teams) = {
                let mut st = eu(sim);
                let q = &mut l.pool_mut(&mut st).requests[id as usize];
                q.deployed = Some(now);
                (q.country, q.teams)
            };
            l.arrive(sim, country, teams);
            emit(sim, l, Loan::Deployed { teams }, id);
            later(sim, stay, EuEv::Loan(l, LoanEv::Leaves(id)));
        }
        LoanEv::Leaves(id) => {
            let (country, teams) = {
                let q = &l.pool(eu_ref(sim)).requests[id as usize];
                (q.country, q.teams)
            };
            l.leave(sim, country, teams);
            {
                let mut st = eu(sim);
                let p = l.pool_mut(&mut st);
                p.free += teams;
                p.requests[id as usize].returned = true;
                if l.asks_again() {
                    p.open.remove(&country);
                }
            }
            emit(sim, l, Loan::Returned { teams }, id);
            dispatch(sim, l);
        }
    }
}

/// Lends free teams to the waiting requests, the most severe case first.
fn dispatch(sim: &mut Sim, l: Lender) {
    let t = l.terms(&sim.cat.response).expect("the lender is present");
    let (per_request, lead_time) = (t.per_request, *t.lead_time);
    loop {
        let p = l.pool(eu_ref(sim));
        let free = p.free;
        // Member states first (assumption: neither text read ranks third
        // countries), then severity; on a tie the request ready first.
        let rank = |id: u32| {
            let c = p.requests[id as usize].country;
            (sim.cat.countries[c.i()].eu, l.severity(sim, c))
        };
        let best = p
            .waiting
            .iter()
            .enumerate()
            .max_by_key(|&(k, &id)| (rank(id), std::cmp::Reverse(k)))
            .map(|(k, &id)| (k, id));
        let Some((k, id)) = best.filter(|_| free > 0) else {
            return;
        };
        let (country, scripted) = {
            let mut st = eu(sim);
            let p = l.pool_mut(&mut st);
            p.waiting.remove(k);
            let q = &p.requests[id as usize];
            (q.country, q.scripted)
        };
        if !scripted && !l.needs(sim, country) {
            {
                let mut st = eu(sim);
                let p = l.pool_mut(&mut st);
                p.requests[id as usize].lapsed = true;
                p.open.remove(&country);
            }
            emit(sim, l, Loan::Lapsed, id);
            continue;
        }
        let teams = per_request.min(free);
        {
            let mut st = eu(sim);
            let p = l.pool_mut(&mut st);
            p.free -= teams;
            p.requests[id as usize].teams = teams;
        }
        let d = draw(sim, stream(l), &lead_time, 1.0);
        later(sim, d, EuEv::Loan(l, LoanEv::Arrives(id)));
    }
}

/// A lender on the dashboard.
fn dashboard(l: Lender, st: &EuState, cat: &Catalog) -> String {
    let total = l.terms(&cat.response).map_or(0, |t| t.teams);
    let p = l.pool(st);
    let helped = p
        .requests
        .iter()
        .filter(|q| q.deployed.is_some() && !q.returned)
        .count();
    format!(
        "{} of {total} teams free · {} requests waiting · {helped} states helped now",
        p.free,
        p.waiting.len()
    )
}

pub fn reserve_dashboard(st: &EuState, cat: &Catalog) -> String {
    dashboard(Lender::CyberReserve, st, cat)
}

pub fn hrrt_dashboard(st: &EuState, cat: &Catalog) -> String {
    dashboard(Lender::Hrrt, st, cat)
}

/// What a lender did, in a sentence.
fn summary(m: Option<&super::metrics::LoanMetrics>) -> String {
    m.map_or(String::new(), |m| {
        let deployed: Vec<f64> = m
            .requests
            .iter()
            .filter_map(|q| q.request_to_deployment_h)
            .collect();
        let waited = m.requests.iter().filter(|q| q.waited).count();
        format!(
            "{} requests, {} served{}, {waited} waited for teams to return, {} lapsed",
            m.requests.len(),
            deployed.len(),
            if deployed.is_empty() {
                String::new()
            } else {
                format!(
                    " (from request to teams at work: fastest {:.1} h)",
                    deployed.iter().copied().fold(f64::INFINITY, f64::min)
                )
            },
            m.requests.iter().filter(|q| q.lapsed).count()
        )
    })
}

pub fn reserve_summary(eu: &super::metrics::EuMetrics) -> String {
    summary(eu.cyber_reserve.as_ref())
}

pub fn hrrt_summary(eu: &super::metrics::EuMetrics) -> String {
    summary(eu.hybrid_rapid_response.as_ref())
}

/// A lender's requests, for `summary.json`.
pub fn measure(
    l: Lender,
    st: &EuState,
    cat: &Catalog,
    hours: fn(u64) -> f64,
) -> Option<super::metrics::LoanMetrics> {
    l.terms(&cat.response)?;
    Some(super::metrics::LoanMetrics {
        requests: l
            .pool(st)
            .requests
            .iter()
            .map(|q| super::metrics::LoanRequestMetrics {
                country: cat.countries[q.country.i()].id.to_string(),
                requested_s: q.requested.0,
                deployed_s: q.deployed.map(|t| t.0),
                request_to_deployment_h: q.deployed.map(|d| hours(d.0 - q.requested.0)),
                teams: q.teams,
                waited: q.waited,
                lapsed: q.lapsed,
            })
            .collect(),
    })
}
