//! Critical infrastructure: service levels, cascades along dependencies and
//! across borders, and the accounting of service lost.
//!
//! A node's service is `(1 − own damage) × (1 − overload)`, or nothing while a
//! supplier it depends on has taken it down. When a node's service falls
//! below [`LOST`], each dependent rides the loss out for the edge's delay
//! (batteries, generators, cached data) and then fails with the edge's
//! probability if the supplier is still out. When the supplier returns,
//! dependents resynchronise after [`RESYNC`].

use bevy_ecs::prelude::*;
use rand::RngExt;
use serde_json::{Map, Value, json};

use crate::engine::Duration;
use crate::log::{Context, Described, Domain, Origin, Record, kinds, round3};
use crate::scenario::Sector;
use crate::scenario::catalog::{Catalog, CountryIx, EdgeIx, NodeIx};
use crate::world::{Clock, Reports, Sim};

/// Why a node lost service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// A cyber attack on the node itself.
    Attack(Origin),
    /// Physical sabotage of the node.
    Sabotage(Origin),
    /// Malware that destroyed or encrypted its systems.
    Malware(Origin, crate::scenario::catalog::Malware),
    /// A supplier it depends on failed.
    Dependency(NodeIx),
    /// A contaminated site closed by the authorities.
    Contamination,
    /// Demand beyond capacity (hospitals in a mass-casualty incident).
    Overload,
    /// Run by hand while its control systems are rebuilt.
    ManualOperation,
}

/// What infrastructure logs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InfraRecord {
    ServiceLost {
        node: NodeIx,
        service: f32,
        cause: Cause,
    },
    ServiceDegraded {
        node: NodeIx,
        service: f32,
        cause: Cause,
    },
    CascadeHeld {
        supplier: NodeIx,
        dependent: NodeIx,
    },
    ServiceRestored {
        node: NodeIx,
    },
    /// Hourly mean service per sector in a country.
    ServiceSample {
        country: CountryIx,
        by_sector: SectorService,
    },
}

impl Record for InfraRecord {
    kinds! {
        ServiceLost => "service_lost",
        ServiceDegraded => "service_degraded" (routine),
        CascadeHeld => "cascade_held" (routine),
        ServiceRestored => "service_restored" (routine),
        ServiceSample => "service_sample" (routine),
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Infra
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        match *self {
            InfraRecord::ServiceLost {
                node,
                service,
                cause,
            }
            | InfraRecord::ServiceDegraded {
                node,
                service,
                cause,
            } => {
                let n = cx.node(node);
                let (c, actor) = match cause {
                    Cause::Attack(o) => (format!("cyber attack ({})", cx.origin_name(o)), None),
                    Cause::Sabotage(o) => (format!("sabotage ({})", cx.origin_name(o)), None),
                    Cause::Malware(o, k) => (format!("{} ({})", k.name(), cx.origin_name(o)), None),
                    Cause::Dependency(s) => {
                        let id = &*cx.node(s).id;
                        (format!("cascade from {id}"), Some(id))
                    }
                    Cause::Contamination => ("site contaminated".into(), None),
                    Cause::Overload => ("overloaded".into(), None),
                    Cause::ManualOperation => (
                        "run by hand while its control systems are rebuilt".into(),
                        None,
                    ),
                };
                let verb = if matches!(self, InfraRecord::ServiceLost { .. }) {
                    "loses service"
                } else {
                    "degraded"
                };
                let mut d = Described::new(format!(
                    "{} {verb} ({:.0}% of service left): {c}",
                    n.name,
                    service * 100.0
                ))
                .at_node(cx, node)
                .detail("sector", n.sector.name())
                .detail("service", round3(service))
                .detail("cause", c);
                d.actor = actor;
                d
            }
            InfraRecord::CascadeHeld {
                supplier,
                dependent,
            } => Described::new(format!(
                "{} rides out the loss of {} on backup",
                cx.node(dependent).name,
                cx.node(supplier).name
            ))
            .actor(&cx.node(supplier).id)
            .at_node(cx, dependent),
            InfraRecord::ServiceRestored { node } => {
                Described::new(format!("{} back in service", cx.node(node).name))
                    .at_node(cx, node)
                    .detail("sector", cx.node(node).sector.name())
            }
            InfraRecord::ServiceSample { country, by_sector } => {
                let mut m = Map::new();
                for s in Sector::ALL {
                    if let Some(v) = by_sector.get(sector_slot(s)) {
                        m.insert(s.name().into(), json!((v * 1000.0).round() / 1000.0));
                    }
                }
                let min = by_sector.present().fold(1.0f64, f64::min);
                Described::new(format!(
                    "{} infrastructure: lowest sector at {:.0}%",
                    cx.country_name(country),
                    min * 100.0
                ))
                .country(cx.country(country))
                .detail("service", Value::Object(m))
            }
        }
    }
}

/// What infrastructure schedules.
#[derive(Clone, Copy, Debug)]
pub enum InfraEv {
    /// A dependent's backup runs out: does the supplier's failure take it down?
    SupplyCheck(EdgeIx),
    /// A supplier is back: the dependent resynchronises.
    SupplyBack(EdgeIx),
    /// Operators take a node whose control systems were attacked into
    /// manual operation.
    Manual(NodeIx),
}

pub fn handle(sim: &mut Sim, ev: InfraEv) {
    match ev {
        InfraEv::SupplyCheck(e) => supply_check(sim, e),
        InfraEv::SupplyBack(e) => supply_back(sim, e),
        InfraEv::Manual(n) => manual(sim, n),
    }
}

/// Operators run the node by hand at its manual service, if its own damage
/// (not a repair since, nor contamination) still keeps it lower.
fn manual(sim: &mut Sim, n: NodeIx) {
    let Some((_, service)) = sim.cat.nodes[n.i()].manual else {
        return;
    };
    let st = sim.node_ref(n);
    if st.contaminated || st.own_damage <= 1.0 - service {
        return;
    }
    sim.node(n).own_damage = 1.0 - service;
    recompute(sim, n, Cause::ManualOperation);
}

/// Service per sector in basis points (10,000 is full service), in
/// [`sector_slot`] order: 18 bytes where nine floats took 36, so that every
/// event record stays small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectorService([u16; 9]);

impl SectorService {
    /// A sector the country has no node of.
    const NONE: u16 = u16::MAX;

    pub fn from_shares(share: impl Fn(usize) -> Option<f64>) -> SectorService {
        SectorService(std::array::from_fn(|k| {
            share(k).map_or(Self::NONE, |v| {
                (v.clamp(0.0, 1.0) * 10_000.0).round() as u16
            })
        }))
    }

    /// The share of service of sector slot `k`, if the country has the sector.
    pub fn get(&self, k: usize) -> Option<f64> {
        (self.0[k] != Self::NONE).then(|| f64::from(self.0[k]) / 10_000.0)
    }

    /// Shares of the sectors the country has.
    pub fn present(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.0.len()).filter_map(|k| self.get(k))
    }
}

/// Sector order used by [`InfraRecord::ServiceSample`].
pub fn sector_slot(s: Sector) -> usize {
    Sector::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// Below this share of service a node counts as lost and its dependents start to suffer.
pub const LOST: f64 = 0.5;
/// Full service, allowing for rounding.
const FULL: f64 = 0.999;
/// Time a dependent needs to come back once its supplier has.
pub const RESYNC: Duration = Duration::minutes(15);

/// Running per-country, per-sector tallies of service, kept up to date as
/// nodes change, so hourly samples, trust and triggers cost the number of
/// countries, not of nodes (a scenario may have 100,000 nodes).
#[derive(Resource, Debug)]
pub struct Totals {
    /// Sum of service over the sector's nodes (each 0 to 1).
    pub service: Vec<[f64; 9]>,
    pub nodes: Vec<[u32; 9]>,
    /// People without the sector's service, and people it serves.
    pub lost_people: Vec<[f64; 9]>,
    pub served: Vec<[f64; 9]>,
    /// Nodes below full service, and below [`LOST`].
    pub impaired: Vec<u32>,
    pub lost: Vec<u32>,
}

impl Totals {
    pub fn new(cat: &crate::scenario::catalog::Catalog) -> Totals {
        let n = cat.countries.len();
        let mut t = Totals {
            service: vec![[0.0; 9]; n],
            nodes: vec![[0; 9]; n],
            lost_people: vec![[0.0; 9]; n],
            served: vec![[0.0; 9]; n],
            impaired: vec![0; n],
            lost: vec![0; n],
        };
        for node in &cat.nodes {
            let (c, k) = (node.country.i(), sector_slot(node.sector));
            t.service[c][k] += 1.0;
            t.nodes[c][k] += 1;
            t.served[c][k] += node.serves as f64;
        }
        t
    }
}

pub fn is_lost(sim: &Sim, n: NodeIx) -> bool {
    sim.node_ref(n).service < LOST
}

/// Damages a node itself (cyber attack, wiper, contamination).
pub fn damage(sim: &mut Sim, n: NodeIx, severity: f64, cause: Cause) {
    let mut st = sim.node(n);
    st.own_damage = st.own_damage.max(severity);
    match cause {
        Cause::Malware(_, k) => st.malware = Some(k),
        Cause::Contamination => st.contaminated = true,
        _ => {}
    }
    recompute(sim, n, cause);
    // A cyber attack takes the control systems, not the plant: operators
    // who can switch by hand bring service back before the rebuild.
    if let (Cause::Attack(_) | Cause::Malware(..), Some((after, service))) =
        (cause, &sim.cat.nodes[n.i()].manual)
        && sim.node_ref(n).own_damage > 1.0 - service
    {
        let d = after.sample(sim.rng.infra(sim.cat, n));
        sim.after(d, InfraEv::Manual(n));
    }
}

/// Clears a node's own damage after repair or decontamination.
pub fn clear_damage(sim: &mut Sim, n: NodeIx) {
    let mut st = sim.node(n);
    st.own_damage = 0.0;
    st.malware = None;
    st.contaminated = false;
    recompute(sim, n, Cause::Overload);
}

/// Sets the share of service lost to demand beyond capacity.
pub fn set_overload(sim: &mut Sim, n: NodeIx, overload: f64) {
    if (sim.node_ref(n).overload - overload).abs() > 0.01 {
        sim.node(n).overload = overload;
        recompute(sim, n, Cause::Overload);
    }
}

/// Recomputes a node's service after a change, accounts for the service lost
/// until now, logs threshold crossings and starts or ends cascades.
pub fn recompute(sim: &mut Sim, n: NodeIx, cause: Cause) {
    let now = sim.now;
    let mut st = sim.node(n);
    let new = if st.failed_supply.is_empty() {
        (1.0 - st.own_damage) * (1.0 - st.overload)
    } else {
        0.0
    };
    let old = st.service;
    if (new - old).abs() < 1e-9 {
        return;
    }
    st.lost_node_hours += (1.0 - old) * now.since(st.last_change).as_hours();
    st.last_change = now;
    st.service = new;
    {
        let node = &sim.cat.nodes[n.i()];
        let (c, k) = (node.country.i(), sector_slot(node.sector));
        let mut t = sim.world.resource_mut::<Totals>();
        t.service[c][k] += new - old;
        t.lost_people[c][k] += (old - new) * node.serves as f64;
        match (old >= FULL, new >= FULL) {
            (true, false) => t.impaired[c] += 1,
            (false, true) => t.impaired[c] -= 1,
            _ => {}
        }
        match (old < LOST, new < LOST) {
            (false, true) => t.lost[c] += 1,
            (true, false) => t.lost[c] -= 1,
            _ => {}
        }
    }
    let mut st = sim.node(n);
    let what = if new >= FULL {
        if let Some(since) = st.impaired_since.take() {
            st.longest_outage = st.longest_outage.max(now.since(since).0);
        }
        Some(InfraRecord::ServiceRestored { node: n })
    } else {
        st.impaired_since.get_or_insert(now);
        if new < LOST && old >= LOST {
            Some(InfraRecord::ServiceLost {
                node: n,
                service: new as f32,
                cause,
            })
        } else if new >= LOST && !(LOST..FULL).contains(&old) {
            Some(InfraRecord::ServiceDegraded {
                node: n,
                service: new as f32,
                cause,
            })
        } else {
            None
        }
    };
    if let Some(w) = what {
        sim.emit(w);
    }
    let cat = sim.cat;
    if new < LOST && old >= LOST {
        for &e in &cat.supplies[n.i()] {
            sim.after(cat.deps[e.i()].delay, InfraEv::SupplyCheck(e));
        }
    } else if new >= LOST && old < LOST {
        for &e in &cat.supplies[n.i()] {
            if sim
                .node_ref(cat.deps[e.i()].dependent)
                .failed_supply
                .contains(&e)
            {
                sim.after(RESYNC, InfraEv::SupplyBack(e));
            }
        }
    }
}

/// A dependent's backup runs out while its supplier may still be down.
pub fn supply_check(sim: &mut Sim, e: EdgeIx) {
    let d = &sim.cat.deps[e.i()];
    if !is_lost(sim, d.supplier) || sim.node_ref(d.dependent).failed_supply.contains(&e) {
        return;
    }
    let roll: f64 = sim.rng.edge(sim.cat, e).random();
    if roll < d.probability {
        sim.node(d.dependent).failed_supply.push(e);
        recompute(sim, d.dependent, Cause::Dependency(d.supplier));
    } else {
        sim.emit(InfraRecord::CascadeHeld {
            supplier: d.supplier,
            dependent: d.dependent,
        });
    }
}

/// The supplier is back: the dependent resumes unless the supplier failed again.
pub fn supply_back(sim: &mut Sim, e: EdgeIx) {
    let d = &sim.cat.deps[e.i()];
    if is_lost(sim, d.supplier) {
        return;
    }
    let mut st = sim.node(d.dependent);
    let before = st.failed_supply.len();
    st.failed_supply.retain(|x| *x != e);
    if st.failed_supply.len() != before {
        recompute(sim, d.dependent, Cause::Dependency(d.supplier));
    }
}

/// Hourly service by sector for each country (a system): sampled every
/// hour while anything is impaired there, and every six hours regardless.
pub fn sample(clock: Res<Clock>, t: Res<Totals>, mut reports: ResMut<Reports<InfraRecord>>) {
    let every_six_hours = clock.0.0.is_multiple_of(6 * 3600);
    for c in 0..t.nodes.len() {
        if t.nodes[c].iter().any(|&n| n > 0) && (t.impaired[c] > 0 || every_six_hours) {
            let by_sector = SectorService::from_shares(|k| {
                (t.nodes[c][k] > 0).then(|| t.service[c][k] / f64::from(t.nodes[c][k]))
            });
            reports.0.push(InfraRecord::ServiceSample {
                country: CountryIx::at(c),
                by_sector,
            });
        }
    }
}
