//! The Union Civil Protection Mechanism and the ERCC.
//!
//! A member state whose own means run out decides to request assistance.
//! The ERCC works a few requests at a time (the rest wait for a desk), then
//! matches an offer: a module of the needed capability that is not deployed
//! elsewhere. If every such module is out, the request waits for one to come
//! back. A deployed module adds to the state's means (decontamination units,
//! doses, beds, detection, repair crews) until it leaves. A state that
//! invoked Art. 222 gets faster assistance and first call on modules (see
//! [`super::solidarity`]).

use std::collections::{BTreeSet, VecDeque};

use super::decision::{DecisionKind, raise};
use super::protocol::{self, Stage};
use super::{EuEv, answered, draw, eu, eu_ref, holds, ipcr, later};
use crate::engine::SimTime;
use crate::log::{Context, Described, Domain, Record, kinds};
use crate::playbook::{Capability, Module, Need, Response};
use crate::response::national::NationalRecord;
use crate::response::national::{self, NationalEv};
use crate::scenario::catalog::{AgentKind, Catalog, CountryIx};
use crate::world::{Incident, Sim};

/// What the ERCC and the UCPM log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum UcpmRecord {
    AssistanceRequested {
        request: u32,
        country: CountryIx,
        need: Need,
        queued: u16,
    },
    AwaitingModule {
        request: u32,
        country: CountryIx,
        need: Need,
    },
    NoModule {
        request: u32,
        country: CountryIx,
        need: Need,
    },
    OfferAccepted {
        request: u32,
        module: u32,
        country: CountryIx,
    },
    ModuleDeployed {
        request: u32,
        module: u32,
        country: CountryIx,
    },
    ModuleReturned {
        module: u32,
        country: CountryIx,
    },
}

impl Record for UcpmRecord {
    kinds! {
        AssistanceRequested => "ucpm_request",
        AwaitingModule => "ucpm_request_waiting",
        NoModule => "ucpm_no_module",
        OfferAccepted => "ucpm_offer_accepted",
        ModuleDeployed => "ucpm_module_deployed",
        ModuleReturned => "ucpm_module_returned",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        let r = &cx.cat.response;
        match *self {
            UcpmRecord::AssistanceRequested {
                request,
                country,
                need,
                queued,
            } => Described::new(format!(
                "{} requests UCPM assistance ({}) through the ERCC{}",
                cx.country_name(country),
                need.name(),
                if queued > 0 {
                    format!("; {queued} requests ahead")
                } else {
                    String::new()
                }
            ))
            .actor(cx.country(country))
            .target("ERCC")
            .country(cx.country(country))
            .detail("request", request)
            .detail("need", need.name())
            .detail("ercc_queue", queued),
            UcpmRecord::AwaitingModule {
                request,
                country,
                need,
            } => Described::new(format!(
                "ERCC: every UCPM {} module is deployed; {}'s request waits for one to return",
                need.name(),
                cx.country_name(country)
            ))
            .actor("ERCC")
            .country(cx.country(country))
            .detail("request", request)
            .detail("need", need.name()),
            UcpmRecord::NoModule {
                request,
                country,
                need,
            } => Described::new(format!(
                "ERCC: no participating state offers {} for {}",
                need.name(),
                cx.country_name(country)
            ))
            .actor("ERCC")
            .country(cx.country(country))
            .detail("request", request)
            .detail("need", need.name()),
            UcpmRecord::OfferAccepted {
                request,
                module: mi,
                country,
            } => {
                let md = module(r, mi as usize);
                Described::new(format!(
                    "ERCC: {} accepts the offer of {} from {}",
                    cx.country_name(country),
                    md.name,
                    md.from
                ))
                .actor("ERCC")
                .target(&md.id)
                .country(cx.country(country))
                .detail("request", request)
                .detail("offered_by", &md.from)
            }
            UcpmRecord::ModuleDeployed {
                request,
                module: mi,
                country,
            } => {
                let md = module(r, mi as usize);
                Described::new(format!(
                    "UCPM: {} deployed in {}",
                    md.name,
                    cx.country_name(country)
                ))
                .actor("ERCC")
                .target(&md.id)
                .country(cx.country(country))
                .detail("request", request)
                .detail("capability", format!("{:?}", md.capability))
            }
            UcpmRecord::ModuleReturned {
                module: mi,
                country,
            } => {
                let md = module(r, mi as usize);
                Described::new(format!(
                    "UCPM: {} leaves {}",
                    md.name,
                    cx.country_name(country)
                ))
                .actor("ERCC")
                .target(&md.id)
                .country(cx.country(country))
            }
        }
    }
}

/// Hours a CBRN incident may stay unidentified before a state asks for detection help.
const IDENTIFICATION_PATIENCE_H: f64 = 12.0;

#[derive(Clone, Copy, Debug)]
pub enum UcpmEv {
    /// The ERCC has worked a request through.
    Processed(u32),
    /// A module arrives on the ground.
    Deployed { request: u32, module: u32 },
    /// A module's stay is over.
    Returns { request: u32, module: u32 },
}

#[derive(Clone, Debug)]
pub struct Request {
    pub country: CountryIx,
    pub need: Need,
    pub requested: SimTime,
    pub offered: Option<SimTime>,
    pub deployed: Option<SimTime>,
    pub module: Option<u32>,
}

#[derive(Debug)]
pub struct UcpmState {
    /// Per module (the UCPM pool, then each member state's copy of the
    /// solidarity offers): can it be offered, is it out?
    pub available: Vec<bool>,
    pub busy: Vec<bool>,
    /// Who a module may serve: anyone (the pool), or the state whose
    /// invocation of Art. 222 brought it.
    pub serves: Vec<Option<CountryIx>>,
    pub desks_busy: u32,
    pub desk_queue: VecDeque<u32>,
    pub longest_desk_queue: u32,
    /// Processed requests waiting for a module to come back.
    pub waiting: VecDeque<u32>,
    pub requests: Vec<Request>,
    /// Needs with a request raised and not yet served to the end.
    pub open: BTreeSet<(CountryIx, Need)>,
    /// Requests that had to wait for a module to come back, and requests no module fits.
    pub waited_for_module: u32,
    pub unmet: u32,
    /// Member states whose request the Union's means could not serve when
    /// it was processed (no module free, or none fits): they have exploited
    /// the Union's tools, as Art. 222 asks before it is invoked.
    pub fell_short: BTreeSet<CountryIx>,
}

impl UcpmState {
    pub fn new(r: &Response, countries: usize) -> Self {
        let pool = r.ucpm.as_ref().map_or(0, |u| u.modules.len());
        let offers = r.solidarity.as_ref().map_or(0, |s| s.offers.len());
        let mut serves = vec![None; pool];
        for c in 0..countries {
            serves.extend(std::iter::repeat_n(
                Some(CountryIx(crate::engine::count_u32(c))),
                offers,
            ));
        }
        let mut available = vec![true; pool];
        available.resize(serves.len(), false);
        UcpmState {
            busy: vec![false; available.len()],
            available,
            serves,
            desks_busy: 0,
            desk_queue: VecDeque::new(),
            longest_desk_queue: 0,
            waiting: VecDeque::new(),
            requests: Vec::new(),
            open: BTreeSet::new(),
            waited_for_module: 0,
            unmet: 0,
            fell_short: BTreeSet::new(),
        }
    }
}

/// Module `i`: the UCPM pool first, then each member state's copy of the
/// solidarity offers.
pub fn module(r: &Response, i: usize) -> &Module {
    let pool = r.ucpm.as_ref().map_or(&[][..], |u| &u.modules[..]);
    if i < pool.len() {
        &pool[i]
    } else {
        let offers = &r.solidarity.as_ref().expect("offers exist").offers;
        &offers[(i - pool.len()) % offers.len()]
    }
}

impl UcpmState {
    /// May module `i` ever serve `country` (once offered)?
    fn for_country(&self, i: usize, country: CountryIx) -> bool {
        self.serves[i].is_none_or(|c| c == country)
    }

    /// Can module `i` serve `country` now?
    fn free_for(&self, i: usize, country: CountryIx) -> bool {
        self.available[i] && !self.busy[i] && self.for_country(i, country)
    }
}

/// What `c` has run short of right now.
pub fn needs(sim: &Sim, c: CountryIx) -> Vec<Need> {
    let nation = sim.nation_ref(c);
    let mut out = Vec::new();
    let incidents: Vec<&Incident> = sim
        .incidents()
        .filter(|i| i.country == c && i.detected_at.is_some())
        .collect();
    // People wait with fewer units at work for them than they want, and
    // none is free at home.
    if incidents.iter().any(|i| {
        i.agent != AgentKind::Biological
            && i.awaiting_decon > 0
            && i.decon_units + i.decon_en_route
                < crate::threats::cbrn::decon_wanted(i.awaiting_decon)
    }) && nation.decon_free == 0
    {
        out.push(Need::Decontamination);
    }
    if nation.doses == 0
        && incidents
            .iter()
            .any(|i| i.identified_at.is_some() && i.hospitalised > i.treated)
    {
        out.push(Need::Countermeasures);
    }
    if nation.beds_free <= nation.beds_blocked
        && incidents.iter().any(|i| i.ill > i.severe_at_scene)
    {
        out.push(Need::MedicalBeds);
    }
    if incidents.iter().any(|i| {
        i.identified_at.is_none()
            && i.detected_at
                .is_some_and(|d| sim.now.since(d).as_hours() >= IDENTIFICATION_PATIENCE_H)
    }) {
        out.push(Need::CbrnDetection);
    }
    if !nation.repair_queue.is_empty() {
        out.push(Need::Repair);
    }
    out
}

/// Raises a request for each need `c` has run short of, if the playbook's trigger holds.
pub fn review_country(sim: &mut Sim, c: CountryIx) {
    let Some(u) = &sim.cat.response.ucpm else {
        return;
    };
    for need in needs(sim, c) {
        if !eu_ref(sim).ucpm.open.contains(&(c, need)) && holds(sim, &u.request.when, Some(c)) {
            eu(sim).ucpm.open.insert((c, need));
            raise(sim, DecisionKind::UcpmRequest(need), Some(c), &u.request);
        }
    }
}

/// The state sends its request; the ERCC takes it up when a desk is free.
pub fn request(sim: &mut Sim, c: CountryIx, need: Need) {
    let Some(u) = &sim.cat.response.ucpm else {
        return;
    };
    let now = sim.now;
    let (id, start, queued) = {
        let mut st = eu(sim);
        st.ucpm.requests.push(Request {
            country: c,
            need,
            requested: now,
            offered: None,
            deployed: None,
            module: None,
        });
        let id = crate::engine::count_u32(st.ucpm.requests.len() - 1);
        let start = st.ucpm.desks_busy < u.ercc_desks;
        if start {
            st.ucpm.desks_busy += 1;
        } else {
            st.ucpm.desk_queue.push_back(id);
            st.ucpm.longest_desk_queue = st
                .ucpm
                .longest_desk_queue
                .max(crate::engine::count_u32(st.ucpm.desk_queue.len()));
        }
        (
            id,
            start,
            crate::engine::count_u16(st.ucpm.desk_queue.len()),
        )
    };
    sim.emit(UcpmRecord::AssistanceRequested {
        request: id,
        country: c,
        need,
        queued,
    });
    if start {
        process(sim, id);
    }
}

fn process(sim: &mut Sim, id: u32) {
    let u = sim.cat.response.ucpm.as_ref().expect("UCPM present");
    let d = draw(sim, |r| &mut r.ucpm, &u.processing, ipcr::speed(sim));
    later(sim, d, EuEv::Ucpm(UcpmEv::Processed(id)));
}

pub fn handle(sim: &mut Sim, ev: UcpmEv) {
    match ev {
        UcpmEv::Processed(id) => {
            let next = {
                let mut st = eu(sim);
                let next = st.ucpm.desk_queue.pop_front();
                if next.is_none() {
                    st.ucpm.desks_busy -= 1;
                }
                next
            };
            if let Some(n) = next {
                process(sim, n);
            }
            offer(sim, id);
        }
        UcpmEv::Deployed { request, module } => deployed(sim, request, module),
        UcpmEv::Returns { request, module } => returns(sim, request, module),
    }
}

/// Matches a free module to the request, or makes it wait for one.
fn offer(sim: &mut Sim, id: u32) {
    let r = &sim.cat.response;
    let req = eu_ref(sim).ucpm.requests[id as usize].clone();
    let n = eu_ref(sim).ucpm.available.len();
    let fits = |i: usize| {
        module(r, i).capability.need() == req.need && eu_ref(sim).ucpm.for_country(i, req.country)
    };
    let free = (0..n).find(|&i| fits(i) && eu_ref(sim).ucpm.free_for(i, req.country));
    match free {
        Some(m) => accept(sim, id, crate::engine::count_u32(m)),
        None if (0..n).any(fits) => {
            let mut st = eu(sim);
            st.ucpm.waiting.push_back(id);
            st.ucpm.waited_for_module += 1;
            st.ucpm.fell_short.insert(req.country);
            sim.emit(UcpmRecord::AwaitingModule {
                request: id,
                country: req.country,
                need: req.need,
            });
        }
        None => {
            let mut st = eu(sim);
            st.ucpm.unmet += 1;
            st.ucpm.fell_short.insert(req.country);
            sim.emit(UcpmRecord::NoModule {
                request: id,
                country: req.country,
                need: req.need,
            });
        }
    }
}

fn accept(sim: &mut Sim, id: u32, m: u32) {
    let r = &sim.cat.response;
    let now = sim.now;
    let country = {
        let mut st = eu(sim);
        st.ucpm.busy[m as usize] = true;
        let req = &mut st.ucpm.requests[id as usize];
        req.offered = Some(now);
        req.module = Some(m);
        req.country
    };
    sim.emit(UcpmRecord::OfferAccepted {
        request: id,
        module: m,
        country,
    });
    let faster = match (&r.solidarity, eu_ref(sim).solidarity.contains_key(&country)) {
        (Some(s), true) => 1.0 - s.faster_assistance.0,
        _ => 1.0,
    };
    let def = module(r, m as usize);
    let d = draw(
        sim,
        |r| &mut r.ucpm,
        &def.lead_time,
        ipcr::speed(sim) * faster,
    );
    later(
        sim,
        d,
        EuEv::Ucpm(UcpmEv::Deployed {
            request: id,
            module: m,
        }),
    );
}

fn deployed(sim: &mut Sim, id: u32, m: u32) {
    let r = &sim.cat.response;
    let now = sim.now;
    let country = {
        let mut st = eu(sim);
        let req = &mut st.ucpm.requests[id as usize];
        req.deployed = Some(now);
        req.country
    };
    sim.emit(UcpmRecord::ModuleDeployed {
        request: id,
        module: m,
        country,
    });
    // The module answers every threat behind an incident in the country.
    let answering: Vec<_> = sim
        .incidents()
        .filter(|i| i.country == country)
        .filter_map(|i| i.by.campaign())
        .collect();
    for c in answering {
        answered(sim, c);
    }
    protocol::reach(sim, Stage::Response);
    let def = module(r, m as usize);
    match def.capability {
        Capability::Decontamination(units) => {
            let target = sim
                .ix
                .incidents
                .iter()
                .enumerate()
                .filter_map(|(k, &e)| sim.world.get::<Incident>(e).map(|i| (k, i)))
                .filter(|(_, i)| i.country == country)
                .max_by_key(|(k, i)| (i.awaiting_decon, std::cmp::Reverse(*k)))
                .map(|(k, _)| crate::engine::count_u32(k));
            match target {
                Some(k) => {
                    sim.incident(k).decon_units += units;
                    sim.emit(NationalRecord::DeconDeployed {
                        incident: k,
                        country,
                        units,
                    });
                }
                None => sim.nation(country).decon_free += units,
            }
        }
        Capability::Countermeasures(doses) => sim.nation(country).doses += doses,
        Capability::MedicalBeds(beds) => sim.nation(country).beds_free += beds,
        Capability::CbrnDetection(boost) => {
            let pending: Vec<(u32, AgentKind)> = sim
                .ix
                .incidents
                .iter()
                .enumerate()
                .filter_map(|(k, &e)| sim.world.get::<Incident>(e).map(|i| (k, i)))
                .filter(|(_, i)| i.country == country && i.identified_at.is_none())
                .map(|(k, i)| (crate::engine::count_u32(k), i.agent))
                .collect();
            let base = sim.cat.countries[country.i()].caps.cbrn_detection.0;
            let detection = (base + boost.0).min(0.95);
            for (k, agent) in pending {
                let d = draw(
                    sim,
                    |r| &mut r.ucpm,
                    &national::identification_delay(agent, detection),
                    1.0,
                );
                national::later(sim, d, NationalEv::AgentIdentified(k));
            }
        }
        Capability::Repair(crews) => national::add_crews(sim, country, crews),
    }
    later(
        sim,
        def.stay,
        EuEv::Ucpm(UcpmEv::Returns {
            request: id,
            module: m,
        }),
    );
}

fn returns(sim: &mut Sim, id: u32, m: u32) {
    let r = &sim.cat.response;
    let (country, need) = {
        let st = eu_ref(sim);
        let req = &st.ucpm.requests[id as usize];
        (req.country, req.need)
    };
    match module(r, m as usize).capability {
        Capability::Decontamination(units) => {
            let mut left = units;
            {
                let mut n = sim.nation(country);
                let from_pool = left.min(n.decon_free);
                n.decon_free -= from_pool;
                left -= from_pool;
            }
            for k in 0..sim.ix.incidents.len() {
                if left == 0 {
                    break;
                }
                let mut inc = sim.incident(crate::engine::count_u32(k));
                if inc.country == country {
                    let take = left.min(inc.decon_units);
                    inc.decon_units -= take;
                    left -= take;
                }
            }
        }
        Capability::MedicalBeds(beds) => {
            // The module's occupied beds leave with it as their patients go.
            let mut n = sim.nation(country);
            let free = beds.min(n.beds_free);
            n.beds_free -= free;
            n.beds_owed = n.beds_owed.saturating_add(beds - free);
        }
        Capability::Repair(crews) => national::withdraw_crews(sim, country, crews),
        // Doses are used up; what a detection team found stays found.
        Capability::Countermeasures(_) | Capability::CbrnDetection(_) => {}
    }
    {
        let mut st = eu(sim);
        st.ucpm.busy[m as usize] = false;
        st.ucpm.open.remove(&(country, need));
    }
    sim.emit(UcpmRecord::ModuleReturned { module: m, country });
    serve_waiting(sim);
}

/// Offers any free module to the longest-waiting request it fits, states
/// that invoked Art. 222 first.
pub(crate) fn serve_waiting(sim: &mut Sim) {
    let r = &sim.cat.response;
    loop {
        let pick = {
            let st = eu_ref(sim);
            let n = st.ucpm.available.len();
            let mut order: Vec<(usize, u32)> =
                st.ucpm.waiting.iter().copied().enumerate().collect();
            order.sort_by_key(|(pos, id)| {
                let c = st.ucpm.requests[*id as usize].country;
                (!st.solidarity.contains_key(&c), *pos)
            });
            order.into_iter().find_map(|(pos, id)| {
                let req = &st.ucpm.requests[id as usize];
                (0..n)
                    .find(|&i| {
                        st.ucpm.free_for(i, req.country)
                            && module(r, i).capability.need() == req.need
                    })
                    .map(|m| (pos, id, crate::engine::count_u32(m)))
            })
        };
        let Some((pos, id, m)) = pick else {
            return;
        };
        eu(sim).ucpm.waiting.remove(pos);
        accept(sim, id, m);
    }
}

/// The ERCC and UCPM on the dashboard.
pub fn dashboard(st: &super::EuState, cat: &Catalog) -> String {
    let u = &st.ucpm;
    let deployed = u.requests.iter().filter(|r| r.deployed.is_some()).count();
    let last = u.requests.last().map_or(String::new(), |r| {
        format!(
            " · last: {} {}",
            cat.countries[r.country.i()].id,
            r.need.name()
        )
    });
    format!(
        "{} requests · {deployed} deployed · {} waiting{last}",
        u.requests.len(),
        u.waiting.len() + u.desk_queue.len()
    )
}

/// What the ERCC and UCPM did.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    eu.ucpm.as_ref().map_or(String::new(), |u| {
        let times: Vec<String> = u
            .requests
            .iter()
            .map(|r| {
                let took = r
                    .request_to_deployment_h
                    .map_or("not deployed".into(), |h| format!("{h:.1} h"));
                format!("{} {} {took}", r.country, r.need)
            })
            .collect();
        let detail = if times.is_empty() {
            String::new()
        } else {
            format!(" (request to deployment: {})", times.join(", "))
        };
        format!(
            "{} requests{detail}; longest ERCC queue {}, {} waited for a module, {} unmet",
            u.requests.len(),
            u.longest_ercc_queue,
            u.waited_for_module,
            u.unmet
        )
    })
}
