//! Critical infrastructure: service levels, cascades along dependencies and
//! across borders, and the accounting of service lost.
//!
//! A node's service is `(1 − own damage) × (1 − overload)`, or nothing while a
//! supplier it depends on has taken it down. When a node's service falls
//! below [`LOST`], each dependent rides the loss out for the edge's delay
//! (batteries, generators, cached data) and then fails with the edge's
//! probability if the supplier is still out. When the supplier returns,
//! dependents resynchronise after [`RESYNC`].

use crate::engine::Duration;
use crate::log::{Cause, What, sector_slot};
use crate::world::catalog::{EdgeIx, NodeIx};
use crate::world::{Ev, Sim};
use rand::RngExt;

/// Below this share of service a node counts as lost and its dependents start to suffer.
pub const LOST: f64 = 0.5;
/// Full service, allowing for rounding.
const FULL: f64 = 0.999;
/// Time a dependent needs to come back once its supplier has.
pub const RESYNC: Duration = Duration::minutes(15);

/// Running per-country, per-sector tallies of service, kept up to date as
/// nodes change, so hourly samples, trust and triggers cost the number of
/// countries, not of nodes (a scenario may have 100,000 nodes).
#[derive(bevy_ecs::prelude::Resource, Debug)]
pub struct Totals {
    /// Sum of service over the sector's nodes (each 0 to 1).
    pub service: Vec<[f64; 9]>,
    pub nodes: Vec<[u32; 9]>,
    /// People without the sector's service.
    pub lost_people: Vec<[f64; 9]>,
    /// Nodes below full service, and below [`LOST`].
    pub impaired: Vec<u32>,
    pub lost: Vec<u32>,
}

impl Totals {
    pub fn new(cat: &crate::world::catalog::Catalog) -> Totals {
        let n = cat.countries.len();
        let mut t = Totals {
            service: vec![[0.0; 9]; n],
            nodes: vec![[0; 9]; n],
            lost_people: vec![[0.0; 9]; n],
            impaired: vec![0; n],
            lost: vec![0; n],
        };
        for node in &cat.nodes {
            let (c, k) = (node.country.i(), sector_slot(node.sector));
            t.service[c][k] += 1.0;
            t.nodes[c][k] += 1;
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
        Cause::Wiper(_) => st.wiped = true,
        Cause::Contamination => st.contaminated = true,
        _ => {}
    }
    recompute(sim, n, cause);
}

/// Clears a node's own damage after repair or decontamination.
pub fn clear_damage(sim: &mut Sim, n: NodeIx) {
    let mut st = sim.node(n);
    st.own_damage = 0.0;
    st.wiped = false;
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
        Some(What::ServiceRestored { node: n })
    } else {
        st.impaired_since.get_or_insert(now);
        if new < LOST && old >= LOST {
            Some(What::ServiceLost {
                node: n,
                service: new as f32,
                cause,
            })
        } else if new >= LOST && !(LOST..FULL).contains(&old) {
            Some(What::ServiceDegraded {
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
            sim.after(cat.deps[e.i()].delay, Ev::SupplyCheck(e));
        }
    } else if new >= LOST && old < LOST {
        for &e in &cat.supplies[n.i()] {
            if sim
                .node_ref(cat.deps[e.i()].dependent)
                .failed_supply
                .contains(&e)
            {
                sim.after(RESYNC, Ev::SupplyBack(e));
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
    let roll: f64 = sim.rng.infra(sim.cat, d.dependent).random();
    if roll < d.probability {
        sim.node(d.dependent).failed_supply.push(e);
        recompute(sim, d.dependent, Cause::Dependency(d.supplier));
    } else {
        sim.emit(What::CascadeHeld {
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

/// Hourly service by sector for each country: logged every hour while
/// anything is impaired there, and every six hours regardless.
pub fn sample(sim: &mut Sim, every_six_hours: bool) {
    let cat = sim.cat;
    let samples: Vec<(usize, crate::log::SectorService)> = {
        let t = sim.world.resource::<Totals>();
        (0..cat.countries.len())
            .filter(|&c| {
                t.nodes[c].iter().any(|&n| n > 0) && (t.impaired[c] > 0 || every_six_hours)
            })
            .map(|c| {
                let by_sector = crate::log::SectorService::from_shares(|k| {
                    (t.nodes[c][k] > 0).then(|| t.service[c][k] / f64::from(t.nodes[c][k]))
                });
                (c, by_sector)
            })
            .collect()
    };
    for (c, by_sector) in samples {
        sim.emit(What::ServiceSample {
            country: crate::world::catalog::CountryIx(c as u32),
            by_sector,
        });
    }
}

/// Closes the service-loss integral at the end of the run.
pub fn settle(sim: &mut Sim) {
    let now = sim.now;
    for i in 0..sim.cat.nodes.len() {
        let mut st = sim.node(NodeIx(i as u32));
        st.lost_node_hours += (1.0 - st.service) * now.since(st.last_change).as_hours();
        st.last_change = now;
        if let Some(since) = st.impaired_since {
            st.longest_outage = st.longest_outage.max(now.since(since).0);
        }
    }
}
