//! The Blueprint for large-scale cyber incidents with the CSIRTs network and
//! ENISA, and the Cyber Diplomacy Toolbox.
//!
//! A national CSIRT's incident reaches the CSIRTs network after the
//! playbook's sharing delay (technical level). Other member states are then
//! warned: they find the same campaign's footholds quickly and, if the
//! playbook says so, isolate their networks against shared destructive
//! malware. Enough affected states convene the operational level (ENISA
//! lends teams to the hardest-hit state) and then the political level, which
//! escalates to IPCR. The Toolbox attributes publicly once the picture is
//! confident enough, and only then can sanctions follow; both deter the
//! campaign's later steps.

use std::collections::BTreeSet;

use super::{
    DecisionKind, EuEv, EuWhat, Stage, analysis, draw, emit, eu, eu_ref, holds, ipcr, later, raise,
    stage,
};
use crate::engine::SimTime;
use crate::log::{Domain, Event, Origin, What};
use crate::playbook::IpcrMode;
use crate::response::national;
use crate::threats::effect_of;
use crate::world::catalog::{CountryIx, Effect, NodeIx};
use crate::world::{Foothold, Sim};

#[derive(Clone, Copy, Debug)]
pub enum CyberEv {
    /// A national incident reaches the CSIRTs network.
    Shared {
        by: Origin,
        country: CountryIx,
    },
    EnisaArrives(CountryIx),
    EnisaLeaves(CountryIx),
}

/// Blueprint cooperation levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Technical,
    Operational,
    Political,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Technical => "technical",
            Level::Operational => "operational",
            Level::Political => "political",
        }
    }
}

#[derive(Debug, Default)]
pub struct CyberState {
    /// (state, campaign) incidents already on their way to the network.
    pub shared: BTreeSet<(CountryIx, Origin)>,
    /// Campaigns the network has warned about.
    pub warned: Vec<Origin>,
    pub shares: u32,
    pub states: BTreeSet<CountryIx>,
    pub level: Option<Level>,
    pub operational_at: Option<SimTime>,
    pub political_at: Option<SimTime>,
    pub attributed: Option<SimTime>,
    pub measures: Option<SimTime>,
}

/// Steps of one campaign (or the same inject) count as one threat.
fn same(a: &Origin, b: &Origin) -> bool {
    a == b || (a.campaign().is_some() && a.campaign() == b.campaign())
}

fn key(o: Origin) -> Origin {
    match o {
        // One entry per campaign: its first step stands for it.
        Origin::Step(s) => Origin::Step(crate::world::catalog::StepRef { step: 0, ..s }),
        other => other,
    }
}

pub fn observe(sim: &mut Sim, ev: &Event) {
    let Some(b) = &sim.cat.response.blueprint else {
        return;
    };
    match ev.what {
        What::IncidentOpened { by, country, .. } | What::IntrusionDetected { by, country, .. }
            if sim.cat.countries[country.i()].eu =>
        {
            // One share per state and campaign, except that destructive
            // malware is always worth a share of its own.
            let wiper = matches!(effect_of(sim.cat, by), Some(Effect::Wiper { .. }));
            let k = if wiper { by } else { key(by) };
            if eu(sim).cyber.shared.insert((country, k)) {
                let d = draw(sim, |r| &mut r.cyber, &b.share, 1.0);
                later(sim, d, EuEv::Cyber(CyberEv::Shared { by, country }));
            }
        }
        What::IntrusionPlanted { by, node } => {
            let warned = eu_ref(sim).cyber.warned.iter().any(|w| same(w, &by));
            if warned {
                hunt(sim, by, node);
            }
        }
        _ => {}
    }
}

fn hunt(sim: &mut Sim, by: Origin, node: NodeIx) {
    if let Some(b) = &sim.cat.response.blueprint {
        super::warned_hunt(sim, by, node, &b.warned_hunt, |r| &mut r.cyber);
    }
}

pub fn handle(sim: &mut Sim, ev: CyberEv) {
    let enisa = sim
        .cat
        .response
        .blueprint
        .as_ref()
        .and_then(|b| b.enisa.as_ref());
    match ev {
        CyberEv::Shared { by, country } => shared(sim, by, country),
        CyberEv::EnisaArrives(c) => {
            let Some(e) = enisa else {
                return;
            };
            national::add_teams(sim, c, e.teams);
            emit(
                sim,
                EuWhat::EnisaSupport {
                    country: c,
                    teams: e.teams,
                },
            );
            later(sim, e.stay, EuEv::Cyber(CyberEv::EnisaLeaves(c)));
        }
        CyberEv::EnisaLeaves(c) => {
            let Some(e) = enisa else {
                return;
            };
            national::withdraw_teams(sim, c, e.teams);
        }
    }
}

fn shared(sim: &mut Sim, by: Origin, country: CountryIx) {
    let b = sim
        .cat
        .response
        .blueprint
        .as_ref()
        .expect("Blueprint present");
    let cat = sim.cat;
    let first_warning = {
        let mut st = eu(sim);
        st.cyber.shares += 1;
        st.cyber.states.insert(country);
        let first = !st.cyber.warned.iter().any(|w| same(w, &by));
        if first {
            st.cyber.warned.push(by);
        }
        first
    };
    emit(sim, EuWhat::CsirtsShared { by, country });
    analysis::report(
        sim,
        analysis::Indicator {
            source: crate::playbook::Body::Csirts,
            country,
            domain: Domain::Cyber,
            campaign: by.campaign(),
        },
    );
    if first_warning {
        // Warned states look for the same actor in their own networks.
        let mut found = Vec::new();
        let others = |c: CountryIx| cat.countries[c.i()].eu && c != country;
        for n in crate::threats::cyber::foothold_nodes(sim, others) {
            for (o, f) in &sim.node_ref(n).footholds {
                if *f == Foothold::Active && same(o, &by) {
                    found.push((*o, n));
                }
            }
        }
        for (o, n) in found {
            hunt(sim, o, n);
        }
    }
    // The incident that reveals destructive malware may come after the
    // campaign's first warning (an intrusion), so isolation is checked on
    // every share.
    {
        if b.isolate_on_wiper && matches!(effect_of(cat, by), Some(Effect::Wiper { .. })) {
            for (c, def) in cat.countries.iter().enumerate() {
                let c = CountryIx(c as u32);
                if !def.eu
                    || c == country
                    || sim
                        .nation_ref(c)
                        .isolated_against
                        .iter()
                        .any(|o| same(o, &by))
                {
                    continue;
                }
                sim.nation(c).isolated_against.push(by);
                emit(sim, EuWhat::PreemptiveIsolation { by, country: c });
            }
        }
    }
    levels(sim);
}

/// Convenes the operational and political levels as more states are hit.
fn levels(sim: &mut Sim) {
    let b = sim
        .cat
        .response
        .blueprint
        .as_ref()
        .expect("Blueprint present");
    let now = sim.now;
    let (states, level) = {
        let st = eu_ref(sim);
        (st.cyber.states.len() as u32, st.cyber.level)
    };
    if states >= b.operational && level < Some(Level::Operational) {
        {
            let mut st = eu(sim);
            st.cyber.level = Some(Level::Operational);
            st.cyber.operational_at = Some(now);
        }
        emit(
            sim,
            EuWhat::BlueprintLevel {
                level: Level::Operational,
                states: states as u8,
            },
        );
        stage(sim, Stage::Response);
        if let Some(e) = &b.enisa {
            let hardest = hardest_hit(sim);
            let d = draw(sim, |r| &mut r.cyber, &e.lead_time, ipcr::speed(sim));
            later(sim, d, EuEv::Cyber(CyberEv::EnisaArrives(hardest)));
        }
    }
    let level = eu_ref(sim).cyber.level;
    if states >= b.political && level < Some(Level::Political) {
        {
            let mut st = eu(sim);
            st.cyber.level = Some(Level::Political);
            st.cyber.political_at = Some(now);
        }
        emit(
            sim,
            EuWhat::BlueprintLevel {
                level: Level::Political,
                states: states as u8,
            },
        );
        // The political level brings the crisis to IPCR.
        if let Some(i) = &sim.cat.response.ipcr
            && eu_ref(sim).ipcr.mode < IpcrMode::InformationSharing
        {
            raise(
                sim,
                DecisionKind::IpcrInformationSharing,
                None,
                &i.information_sharing,
            );
        }
    }
}

/// The member state with most cyber incidents open or waiting.
pub fn hardest_hit(sim: &Sim) -> CountryIx {
    (0..sim.cat.countries.len())
        .map(|c| CountryIx(c as u32))
        .filter(|c| sim.cat.countries[c.i()].eu)
        .max_by_key(|&c| {
            let n = sim.nation_ref(c);
            (
                n.open_incidents.len() + n.csirt_queue.len(),
                std::cmp::Reverse(c),
            )
        })
        .unwrap_or(CountryIx(0))
}

/// Toolbox decisions: attribution when the picture is confident enough, then sanctions.
pub fn review(sim: &mut Sim) {
    let Some(t) = &sim.cat.response.toolbox else {
        return;
    };
    let (attributed, measures) = {
        let st = eu_ref(sim);
        (st.cyber.attributed, st.cyber.measures)
    };
    if attributed.is_none() && holds(sim, &t.attribution.when, None) {
        raise(sim, DecisionKind::Attribution, None, &t.attribution);
    }
    // Sanctions need attribution first, whatever the playbook's trigger says.
    if attributed.is_some() && measures.is_none() && holds(sim, &t.measures.when, None) {
        raise(sim, DecisionKind::RestrictiveMeasures, None, &t.measures);
    }
}

pub fn attribute(sim: &mut Sim) {
    let t = sim.cat.response.toolbox.as_ref().expect("Toolbox present");
    let now = sim.now;
    let confidence = analysis::joint_confidence(sim);
    {
        let mut st = eu(sim);
        st.cyber.attributed = Some(now);
        st.deterrence = 1.0 - (1.0 - st.deterrence) * (1.0 - t.deterrence.attribution.0);
    }
    emit(
        sim,
        EuWhat::Attributed {
            confidence: confidence as f32,
        },
    );
    stage(sim, Stage::Attribution);
}

pub fn adopt_measures(sim: &mut Sim) {
    let t = sim.cat.response.toolbox.as_ref().expect("Toolbox present");
    let now = sim.now;
    {
        let mut st = eu(sim);
        if st.cyber.attributed.is_none() {
            return;
        }
        st.cyber.measures = Some(now);
        st.deterrence = 1.0 - (1.0 - st.deterrence) * (1.0 - t.deterrence.measures.0);
    }
    emit(sim, EuWhat::RestrictiveMeasures);
    stage(sim, Stage::Response);
}
