//! The Blueprint for large-scale cyber incidents, with the CSIRTs network and ENISA.
//!
//! A national CSIRT's incident reaches the CSIRTs network after the
//! playbook's sharing delay (technical level). Other member states are then
//! warned: they find the same campaign's footholds quickly and, if the
//! playbook says so, isolate their networks against shared destructive
//! malware. Enough affected states convene the operational level (ENISA
//! lends teams to the hardest-hit state) and then the political level, which
//! escalates to IPCR.

use std::collections::BTreeSet;

use super::decision::{DecisionKind, raise};
use super::protocol::{self, Stage};
use super::{EuEv, analysis, answered, draw, eu, eu_ref, ipcr, later};
use crate::engine::{SimTime, count_u32, show_secs};
use crate::log::{Context, Described, Domain, Origin, Record, kinds};
use crate::playbook::IpcrMode;
use crate::response::national::{self, NationalRecord};
use crate::scenario::catalog::{Catalog, CountryIx, Effect, Malware, NodeIx, StepRef};
use crate::threats::cyber::CyberRecord;
use crate::world::{Foothold, Sim};

/// What the Blueprint's CSIRTs network and ENISA log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BlueprintRecord {
    CsirtsShared { by: Origin, country: CountryIx },
    PreemptiveIsolation { by: Origin, country: CountryIx },
    LevelConvened { level: Level, states: u8 },
    EnisaSupport { country: CountryIx, teams: u32 },
}

impl Record for BlueprintRecord {
    kinds! {
        CsirtsShared => "csirts_network_shared",
        PreemptiveIsolation => "blueprint_preemptive_isolation",
        LevelConvened => "blueprint_level",
        EnisaSupport => "enisa_support",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        match *self {
            BlueprintRecord::CsirtsShared { by, country } => {
                let class = taxonomy(cx.cat, by);
                Described::new(format!(
                    "{} shares its incident in the CSIRTs network (Blueprint, technical level): {class}",
                    cx.csirt(country)
                ))
                .actor(cx.csirt(country))
                .target("CSIRTS")
                .country(cx.country(country))
                .detail("threat", threat_id(cx, by))
                .detail("taxonomy", class)
            }
            BlueprintRecord::PreemptiveIsolation { by, country } => Described::new(format!(
                "{} isolates networks against the shared malware on the CSIRTs network's warning",
                cx.country_name(country)
            ))
            .actor(cx.csirt(country))
            .country(cx.country(country))
            .detail("threat", threat_id(cx, by)),
            BlueprintRecord::LevelConvened { level, states } => Described::new(format!(
                "Cyber Blueprint: {} level convened ({states} member states affected)",
                level.name()
            ))
            .actor("CSIRTS")
            .detail("level", level.name())
            .detail("states", states),
            BlueprintRecord::EnisaSupport { country, teams } => Described::new(format!(
                "ENISA lends {teams} incident-response team(s) to {}",
                cx.country_name(country)
            ))
            .actor("ENISA")
            .country(cx.country(country))
            .detail("teams", teams),
        }
    }
}

/// The incident's class in the common taxonomy the NIS Cooperation Group
/// gave the CSIRTs network (after the reference incident classification).
fn taxonomy(cat: &Catalog, o: Origin) -> &'static str {
    match cat.effect_of(o) {
        Some(Effect::Intrusion { .. }) => "intrusions / system compromise",
        Some(Effect::Disrupt { .. }) => "availability / denial of service or sabotage",
        Some(Effect::Malware {
            kind: Malware::Wiper,
            ..
        }) => "malicious code / destructive malware",
        Some(Effect::Malware {
            kind: Malware::Ransomware,
            ..
        }) => "malicious code / ransomware",
        Some(Effect::ElectionAttack { .. }) => "availability / attack on election systems",
        _ => "other",
    }
}

/// The threat a share is about: its campaign, or the inject.
fn threat_id(cx: &Context, o: Origin) -> String {
    match o {
        Origin::Step(s) => cx.campaign(s).id.to_string(),
        Origin::Inject(i) => format!("inject {}", cx.cat.injects[i.i()].inject.number),
    }
}

/// What the Blueprint schedules.
#[derive(Clone, Copy, Debug)]
pub enum BlueprintEv {
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
pub struct BlueprintState {
    /// (state, campaign) incidents already on their way to the network.
    pub shared: BTreeSet<(CountryIx, Origin)>,
    /// Campaigns the network has warned about.
    pub warned: Vec<Origin>,
    pub shares: u32,
    pub states: BTreeSet<CountryIx>,
    pub level: Option<Level>,
    pub operational_at: Option<SimTime>,
    pub political_at: Option<SimTime>,
    /// Member states that isolated their networks on the network's warning.
    pub preemptive_isolations: u32,
}

fn key(o: Origin) -> Origin {
    match o {
        // One entry per campaign: its first step stands for it.
        Origin::Step(s) => Origin::Step(StepRef { step: 0, ..s }),
        other => other,
    }
}

/// A national CSIRT's incident goes to the CSIRTs network.
pub fn on_national(sim: &mut Sim, r: &NationalRecord) {
    let Some(b) = &sim.cat.response.blueprint else {
        return;
    };
    if let NationalRecord::IncidentOpened { by, country, .. }
    | NationalRecord::IntrusionDetected { by, country, .. } = *r
        && sim.cat.countries[country.i()].eu
    {
        // One share per state and campaign, except that malware is always
        // worth a share of its own.
        let wiper = matches!(sim.cat.effect_of(by), Some(Effect::Malware { .. }));
        let k = if wiper { by } else { key(by) };
        if eu(sim).blueprint.shared.insert((country, k)) {
            let d = draw(sim, |r| &mut r.cyber, &b.share, 1.0);
            later(sim, d, EuEv::Blueprint(BlueprintEv::Shared { by, country }));
        }
    }
}

/// Warned states hunt the new footholds of an actor they were warned of.
pub fn on_cyber(sim: &mut Sim, r: &CyberRecord) {
    if sim.cat.response.blueprint.is_none() {
        return;
    }
    if let CyberRecord::IntrusionPlanted { by, node } = *r {
        let cat = sim.cat;
        let warned = eu_ref(sim)
            .blueprint
            .warned
            .iter()
            .any(|w| cat.same_actor(*w, by));
        if warned {
            hunt(sim, by, node);
        }
    }
}

fn hunt(sim: &mut Sim, by: Origin, node: NodeIx) {
    if let Some(b) = &sim.cat.response.blueprint {
        super::warned_hunt(sim, by, node, &b.warned_hunt, |r| &mut r.cyber);
    }
}

pub fn handle(sim: &mut Sim, ev: BlueprintEv) {
    let enisa = sim
        .cat
        .response
        .blueprint
        .as_ref()
        .and_then(|b| b.enisa.as_ref());
    match ev {
        BlueprintEv::Shared { by, country } => shared(sim, by, country),
        BlueprintEv::EnisaArrives(c) => {
            let Some(e) = enisa else {
                return;
            };
            national::add_teams(sim, c, e.teams);
            sim.emit(BlueprintRecord::EnisaSupport {
                country: c,
                teams: e.teams,
            });
            later(sim, e.stay, EuEv::Blueprint(BlueprintEv::EnisaLeaves(c)));
        }
        BlueprintEv::EnisaLeaves(c) => {
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
        st.blueprint.shares += 1;
        st.blueprint.states.insert(country);
        let first = !st.blueprint.warned.iter().any(|w| w.same_threat(by));
        if first {
            st.blueprint.warned.push(by);
        }
        first
    };
    sim.emit(BlueprintRecord::CsirtsShared { by, country });
    if let Some(c) = by.campaign() {
        answered(sim, c);
    }
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
        // Warned states look for the same actor in their own networks: its
        // tooling and infrastructure give its other campaigns away too.
        let mut found = Vec::new();
        let others = |c: CountryIx| cat.countries[c.i()].eu && c != country;
        for n in crate::threats::cyber::foothold_nodes(sim, others) {
            for (o, f) in &sim.node_ref(n).footholds {
                if *f == Foothold::Active && cat.same_actor(*o, by) {
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
        if b.isolate_on_wiper && matches!(cat.effect_of(by), Some(Effect::Malware { .. })) {
            for (c, def) in cat.countries.iter().enumerate() {
                let c = CountryIx::at(c);
                if !def.eu
                    || c == country
                    || sim
                        .nation_ref(c)
                        .isolated_against
                        .iter()
                        .any(|o| o.same_threat(by))
                {
                    continue;
                }
                sim.nation(c).isolated_against.push(by);
                eu(sim).blueprint.preemptive_isolations += 1;
                sim.emit(BlueprintRecord::PreemptiveIsolation { by, country: c });
                if let Some(camp) = by.campaign() {
                    answered(sim, camp);
                }
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
        (count_u32(st.blueprint.states.len()), st.blueprint.level)
    };
    if states >= b.operational && level < Some(Level::Operational) {
        convene(sim, Level::Operational, states);
        eu(sim).blueprint.operational_at = Some(now);
        protocol::reach(sim, Stage::Response);
        if let Some(e) = &b.enisa {
            let hardest = hardest_hit(sim);
            let d = draw(sim, |r| &mut r.cyber, &e.lead_time, ipcr::speed(sim));
            later(sim, d, EuEv::Blueprint(BlueprintEv::EnisaArrives(hardest)));
        }
    }
    let level = eu_ref(sim).blueprint.level;
    if states >= b.political && level < Some(Level::Political) {
        convene(sim, Level::Political, states);
        eu(sim).blueprint.political_at = Some(now);
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

/// The CSIRTs network convenes at `level`, `states` member states sharing.
fn convene(sim: &mut Sim, level: Level, states: u32) {
    eu(sim).blueprint.level = Some(level);
    sim.emit(BlueprintRecord::LevelConvened {
        level,
        states: u8::try_from(states).unwrap_or(u8::MAX),
    });
}

/// The member state with most cyber incidents open or waiting.
pub fn hardest_hit(sim: &Sim) -> CountryIx {
    (0..sim.cat.countries.len())
        .map(CountryIx::at)
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

/// The Blueprint on the dashboard.
pub fn dashboard(st: &super::EuState, _: &Catalog) -> String {
    format!(
        "CSIRTs network: {} shares · {} level",
        st.blueprint.shares,
        st.blueprint.level.map_or("technical", |l| l.name())
    )
}

/// What the Blueprint and the CSIRTs network did.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    eu.blueprint.as_ref().map_or(String::new(), |b| {
        format!(
            "{} incidents shared by {} states, operational level {}, political level {}, {} pre-emptive isolations",
            b.incidents_shared,
            b.states_sharing,
            show_secs(b.operational_s),
            show_secs(b.political_s),
            b.preemptive_isolations
        )
    })
}
