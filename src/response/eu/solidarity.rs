//! The solidarity clause (Art. 222 TFEU): a member state overwhelmed by a
//! hybrid crisis invokes it. Other states' bilateral offers become available
//! to it through the ERCC (each invoking state gets its own), its UCPM
//! assistance comes faster and first (see [`super::ucpm`]), and IPCR goes to
//! full activation at once.

use super::decision::{DecisionKind, raise};
use super::protocol::{self, Stage};
use super::{eu, eu_ref, holds, ipcr, ucpm};
use crate::engine::SimTime;
use crate::log::{Context, Described, Domain, Record, kinds};
use crate::playbook::IpcrMode;
use crate::scenario::catalog::{Catalog, CountryIx};
use crate::world::Sim;

/// What the solidarity clause logs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SolidarityRecord {
    Invoked { country: CountryIx },
}

impl Record for SolidarityRecord {
    kinds! {
        Invoked => "solidarity_clause_invoked",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        let SolidarityRecord::Invoked { country } = *self;
        Described::new(format!(
            "{} invokes the solidarity clause (Art. 222 TFEU)",
            cx.country_name(country)
        ))
        .actor(cx.country(country))
        .country(cx.country(country))
    }
}

/// Raises the decision to invoke the clause for `c`, if the playbook's
/// trigger holds and the state has exploited the Union's means first.
///
/// Council Decision 2014/415/EU, Art. 4(1): the affected member state "may
/// invoke the solidarity clause if, after having exploited the possibilities
/// offered by existing means and tools at national and Union level, it
/// considers that the crisis clearly overwhelms the response capabilities
/// available to it". It has never been invoked. So where the playbook brings
/// UCPM, a state invokes only once a request of its own found the Union's
/// pool short (no module free or none fitting), and while it is still short
/// of means ([`super::overwhelmed`]); the playbook's trigger says when it
/// then considers the crisis to overwhelm it.
pub fn review_country(sim: &mut Sim, c: CountryIx) {
    if let Some(s) = &sim.cat.response.solidarity
        && warranted(sim, c)
        && !eu_ref(sim).solidarity.contains_key(&c)
        && holds(sim, &s.invoke.when, Some(c))
    {
        raise(sim, DecisionKind::Solidarity, Some(c), &s.invoke);
    }
}

/// May `c` invoke the clause now: the Union's means exploited (a request of
/// its own found the pool short, where there is a UCPM) and the state still
/// short of means? Checked when the decision is raised and when it falls.
pub fn warranted(sim: &Sim, c: CountryIx) -> bool {
    let union_exploited =
        sim.cat.response.ucpm.is_none() || eu_ref(sim).ucpm.fell_short.contains(&c);
    union_exploited && super::overwhelmed(sim, c)
}

/// A member state invokes the solidarity clause.
pub fn invoke(sim: &mut Sim, c: CountryIx) {
    let now = sim.now;
    let pool = sim
        .cat
        .response
        .ucpm
        .as_ref()
        .map_or(0, |u| u.modules.len());
    {
        let mut st = eu(sim);
        if st.solidarity.contains_key(&c) {
            return;
        }
        st.solidarity.insert(c, now);
        // "The other Member States shall assist it" (Art. 222(2) TFEU): the
        // bilateral offers, through the ERCC, for the invoking state.
        let ucpm = &mut st.ucpm;
        for (a, serves) in ucpm.available.iter_mut().zip(&ucpm.serves).skip(pool) {
            if *serves == Some(c) {
                *a = true;
            }
        }
    }
    sim.emit(SolidarityRecord::Invoked { country: c });
    protocol::reach(sim, Stage::Response);
    ipcr::enter(sim, IpcrMode::FullActivation);
    ucpm::serve_waiting(sim);
}

/// The solidarity clause on the dashboard.
pub fn dashboard(st: &super::EuState, cat: &Catalog) -> String {
    let who: Vec<&str> = st
        .solidarity
        .keys()
        .map(|c| &*cat.countries[c.i()].id)
        .collect();
    if who.is_empty() {
        "solidarity clause not invoked".into()
    } else {
        format!("invoked by {}", who.join(", "))
    }
}

/// Who invoked the solidarity clause.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    let who: Vec<String> = eu
        .solidarity
        .iter()
        .map(|(c, t)| format!("{c} {}", SimTime(*t)))
        .collect();
    if who.is_empty() {
        "not invoked".into()
    } else {
        format!("invoked by {}", who.join(", "))
    }
}
