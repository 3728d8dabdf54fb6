//! NATO beside the EU: its Hybrid Analysis Branch keeps its own picture (see
//! [`super::analysis`]), and when that picture is confident enough NATO
//! sends support to the hardest-hit ally. In parallel mode member states
//! answer both organisations, which slows their reports; in coordinated mode
//! the two pictures are shared and decisions rest on the better of them.

use super::{EuEv, draw, eu, eu_ref, holds, later};
use crate::engine::show_secs;
use crate::log::{Context, Described, Domain, Record, kinds};
use crate::playbook::{Response, SupportKind};
use crate::response::national;
use crate::scenario::catalog::{Catalog, CountryIx};
use crate::world::Sim;

/// What NATO logs (its analysis logs as the Fusion Cell's does).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NatoRecord {
    SupportArrives { support: u32, country: CountryIx },
}

impl Record for NatoRecord {
    kinds! {
        SupportArrives => "nato_support",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        let NatoRecord::SupportArrives { support, country } = *self;
        let name = cx
            .cat
            .response
            .nato
            .as_ref()
            .and_then(|n| n.support.get(support as usize))
            .map_or("support", |s| s.name.as_str());
        Described::new(format!(
            "NATO: {name} arrives in {}",
            cx.country_name(country)
        ))
        .actor("NATO")
        .country(cx.country(country))
        .detail("support", name)
    }
}

#[derive(Clone, Copy, Debug)]
pub enum NatoEv {
    Arrives { support: u32, country: CountryIx },
    Leaves { support: u32, country: CountryIx },
}

#[derive(Debug, Default)]
pub struct NatoState {
    pub sent: Vec<bool>,
}

impl NatoState {
    pub fn new(r: &Response) -> Self {
        NatoState {
            sent: vec![false; r.nato.as_ref().map_or(0, |n| n.support.len())],
        }
    }
}

pub fn review(sim: &mut Sim) {
    let Some(n) = &sim.cat.response.nato else {
        return;
    };
    for (i, s) in n.support.iter().enumerate() {
        if eu_ref(sim).nato.sent[i] || !holds(sim, &s.when, None) {
            continue;
        }
        let Some(country) = target(sim, s.kind) else {
            continue;
        };
        eu(sim).nato.sent[i] = true;
        let d = draw(sim, |r| &mut r.nato, &s.lead_time, 1.0);
        later(
            sim,
            d,
            EuEv::Nato(NatoEv::Arrives {
                support: crate::engine::count_u32(i),
                country,
            }),
        );
    }
}

/// The ally that needs this kind of support most, if any does.
fn target(sim: &Sim, kind: SupportKind) -> Option<CountryIx> {
    let cat = sim.cat;
    let allies = (0..cat.countries.len())
        .map(CountryIx::at)
        .filter(|c| cat.countries[c.i()].nato);
    match kind {
        SupportKind::CyberRapidReaction(_) => allies
            .map(|c| {
                let n = sim.nation_ref(c);
                (n.open_incidents.len() + n.csirt_queue.len(), c)
            })
            .filter(|(load, _)| *load > 0)
            .max_by_key(|&(load, c)| (load, std::cmp::Reverse(c)))
            .map(|(_, c)| c),
        SupportKind::CounterHybrid(_) => {
            let reach = |c: CountryIx| super::stratcom::top_reach(sim, c);
            allies
                .map(|c| (reach(c), c))
                .filter(|(r, _)| *r > 0.0)
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                .map(|(_, c)| c)
        }
    }
}

pub fn handle(sim: &mut Sim, ev: NatoEv) {
    let n = sim.cat.response.nato.as_ref().expect("NATO present");
    match ev {
        NatoEv::Arrives { support, country } => {
            let s = &n.support[support as usize];
            sim.emit(NatoRecord::SupportArrives { support, country });
            match s.kind {
                SupportKind::CyberRapidReaction(teams) => national::add_teams(sim, country, teams),
                SupportKind::CounterHybrid(strength) => {
                    super::stratcom::reinforce_debunks(sim, country, strength.0);
                }
            }
            later(sim, s.stay, EuEv::Nato(NatoEv::Leaves { support, country }));
        }
        NatoEv::Leaves { support, country } => {
            if let SupportKind::CyberRapidReaction(teams) = n.support[support as usize].kind {
                national::withdraw_teams(sim, country, teams);
            }
        }
    }
}

/// NATO on the dashboard.
pub fn dashboard(st: &super::EuState, cat: &Catalog) -> String {
    let mode = cat.response.nato.as_ref().map_or("", |n| match n.mode {
        crate::playbook::NatoMode::Parallel => "parallel",
        crate::playbook::NatoMode::Coordinated => "coordinated",
    });
    format!(
        "{mode} · {:.0}% confident · {} support sent",
        st.nato_picture.confidence * 100.0,
        st.nato.sent.iter().filter(|s| **s).count()
    )
}

/// What NATO did.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    eu.nato.as_ref().map_or(String::new(), |n| {
        format!(
            "{} mode; {} indicators, confidence {:.0}%, allies alerted {}; {} support packages sent",
            n.mode,
            n.analysis.indicators_received,
            n.analysis.confidence * 100.0,
            show_secs(n.analysis.alerted_s),
            n.support_sent
        )
    })
}
