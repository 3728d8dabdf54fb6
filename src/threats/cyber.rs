//! Cyber operations: footholds, disruption of a node's service, attacks on
//! election systems, and destructive malware spreading along the
//! infrastructure network.

use rand::RngExt;

use super::{DEFENCE_WEIGHT, Failure, ThreatEv};
use crate::infra::{self, Cause};
use crate::log::{Context, Described, Domain, Origin, Record, kinds, round3};
use crate::scenario::catalog::{Catalog, Effect, Malware, NodeIx};
use crate::world::{Foothold, Sim};

/// What cyber operations log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CyberRecord {
    IntrusionPlanted {
        by: Origin,
        node: NodeIx,
    },
    Disruption {
        by: Origin,
        node: NodeIx,
        severity: f32,
    },
    WiperInfection {
        by: Origin,
        node: NodeIx,
        hop: u16,
    },
    RansomwareInfection {
        by: Origin,
        node: NodeIx,
        hop: u16,
    },
    ElectionAttack {
        by: Origin,
        node: NodeIx,
        severity: f32,
    },
}

impl Record for CyberRecord {
    kinds! {
        IntrusionPlanted => "intrusion",
        Disruption => "disruption",
        WiperInfection => "wiper_infection",
        RansomwareInfection => "ransomware_infection",
        ElectionAttack => "election_attack",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Cyber
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        let (by, node) = match *self {
            CyberRecord::IntrusionPlanted { by, node }
            | CyberRecord::Disruption { by, node, .. }
            | CyberRecord::WiperInfection { by, node, .. }
            | CyberRecord::RansomwareInfection { by, node, .. }
            | CyberRecord::ElectionAttack { by, node, .. } => (by, node),
        };
        let name = &cx.node(node).name;
        let d = match *self {
            CyberRecord::IntrusionPlanted { .. } => {
                Described::new(format!("Undetected intrusion into {name}"))
            }
            CyberRecord::Disruption { severity, .. }
            | CyberRecord::ElectionAttack { severity, .. } => Described::new(format!(
                "Cyber attack on {name} knocks out {:.0}% of its service",
                severity * 100.0
            ))
            .detail("severity", round3(severity)),
            CyberRecord::WiperInfection { hop, .. } => {
                Described::new(format!("Wiper destroys systems of {name} (hop {hop})"))
                    .detail("hop", hop)
            }
            CyberRecord::RansomwareInfection { hop, .. } => {
                Described::new(format!("Ransomware encrypts systems of {name} (hop {hop})"))
                    .detail("hop", hop)
            }
        };
        d.actor(cx.actor_of(by)).at_node(cx, node).origin(cx, by)
    }
}

/// A node's defence: its country's cyber capacity and its operator's hardening, equally weighted.
pub fn defence(sim: &Sim, n: NodeIx) -> f64 {
    let node = &sim.cat.nodes[n.i()];
    (sim.cat.countries[node.country.i()].caps.cyber.0 + node.hardening) / 2.0
}

/// The defence left against `by` at `n`: none where its campaign already holds
/// an active foothold there (the defences were beaten at intrusion time; only
/// detection and eviction stop it now), else the node's full defence.
pub fn resistance(sim: &Sim, by: Origin, n: NodeIx) -> f64 {
    let held = sim.node_ref(n).footholds.iter().any(|(o, f)| {
        *f == Foothold::Active && o.campaign().is_some() && o.campaign() == by.campaign()
    });
    if held { 0.0 } else { defence(sim, n) }
}

/// Fails a step whose foothold in `n` was removed, or whose target's country has
/// isolated its networks against this campaign.
pub fn precondition(sim: &Sim, by: Origin, n: NodeIx) -> Result<(), Failure> {
    let same = |o: &Origin| o.campaign().is_some() && o.campaign() == by.campaign();
    if sim
        .node_ref(n)
        .footholds
        .iter()
        .any(|(o, f)| same(o) && *f == Foothold::Evicted)
    {
        return Err(Failure::NoFoothold);
    }
    let country = sim.cat.nodes[n.i()].country;
    if sim
        .nation_ref(country)
        .isolated_against
        .iter()
        .any(|o| *o == by || same(o))
    {
        return Err(Failure::Isolated);
    }
    Ok(())
}

/// Nodes that have ever held a foothold, in the order they got one: the
/// few places responders need to look, however large the network.
#[derive(bevy_ecs::prelude::Resource, Debug, Default)]
pub struct FootholdNodes(pub Vec<NodeIx>);

/// Nodes that ever held a foothold in the countries `keep` accepts, in
/// country order and then file order (the order a scan of every node gives).
pub fn foothold_nodes(
    sim: &Sim,
    keep: impl Fn(crate::scenario::catalog::CountryIx) -> bool,
) -> Vec<NodeIx> {
    let cat = sim.cat;
    let mut v: Vec<NodeIx> = sim
        .world
        .resource::<FootholdNodes>()
        .0
        .iter()
        .copied()
        .filter(|n| keep(cat.nodes[n.i()].country))
        .collect();
    v.sort_by_key(|n| (cat.nodes[n.i()].country, *n));
    v
}

/// Time for an intruder to move from the first system to others of the
/// same organisation: a median of an hour (CrowdStrike Global Threat Report
/// 2024: average "breakout time" 62 minutes, the fastest 2 minutes; the
/// spread is an assumption).
const BREAKOUT: crate::engine::Dist = crate::engine::Dist::LogNormal {
    median: crate::engine::Duration(3600),
    sigma: 1.0,
};

/// A campaign's intrusion into `n`, which moves on to the other nodes of
/// its operator.
pub fn intrude(sim: &mut Sim, by: Origin, n: NodeIx) {
    plant(sim, by, n);
    let cat = sim.cat;
    for &m in &cat.nodes[n.i()].same_operator {
        let d = BREAKOUT.sample(sim.rng.at_node(cat, "lateral", m));
        sim.after(
            d,
            ThreatEv::Lateral {
                by,
                from: n,
                node: m,
            },
        );
    }
}

fn plant(sim: &mut Sim, by: Origin, n: NodeIx) {
    sim.node(n).footholds.push((by, Foothold::Active));
    let mut list = sim.world.resource_mut::<FootholdNodes>();
    if !list.0.contains(&n) {
        list.0.push(n);
    }
    sim.emit(CyberRecord::IntrusionPlanted { by, node: n });
}

/// The intruder at `from` tries another node of its operator: it gets in
/// against that node's defence, unless it has been evicted from `from`, is
/// there already, or its campaign was stopped.
pub fn lateral(sim: &mut Sim, by: Origin, from: NodeIx, n: NodeIx) {
    let still_in = |sim: &Sim, node: NodeIx| {
        sim.node_ref(node)
            .footholds
            .iter()
            .any(|(o, f)| *o == by && *f != Foothold::Evicted)
    };
    let halted = sim.world.resource::<crate::world::Halted>().stops(by);
    if halted || !still_in(sim, from) || still_in(sim, n) {
        return;
    }
    let cat = sim.cat;
    let roll: f64 = sim.rng.at_node(cat, "lateral", n).random();
    if roll < 1.0 - DEFENCE_WEIGHT * defence(sim, n) {
        plant(sim, by, n);
    }
}

pub fn disrupt(sim: &mut Sim, by: Origin, n: NodeIx, severity: f64, election: bool) {
    let what = if election {
        CyberRecord::ElectionAttack {
            by,
            node: n,
            severity: severity as f32,
        }
    } else {
        CyberRecord::Disruption {
            by,
            node: n,
            severity: severity as f32,
        }
    };
    sim.emit(what);
    infra::damage(sim, n, severity, Cause::Attack(by));
}

/// Destroys or encrypts a node's systems and sends the malware on to its
/// neighbours and its operator's other nodes. Returns false if the node's systems were already hit or the
/// spread has hit its limit.
pub fn infect(sim: &mut Sim, by: Origin, n: NodeIx, hop: u16) -> bool {
    let cat = sim.cat;
    let Some(Effect::Malware {
        kind,
        hop_delay,
        max_nodes,
        scan,
        ..
    }) = cat.effect_of(by)
    else {
        return false;
    };
    let hits = sim.world.resource::<WiperHits>().get(by);
    if sim.node_ref(n).malware.is_some() || hits >= *max_nodes {
        return false;
    }
    sim.world.resource_mut::<WiperHits>().bump(by);
    sim.emit(match kind {
        Malware::Wiper => CyberRecord::WiperInfection { by, node: n, hop },
        Malware::Ransomware => CyberRecord::RansomwareInfection { by, node: n, hop },
    });
    infra::damage(sim, n, 1.0, Cause::Malware(by, *kind));
    // A scanning worm probes one node after another, so that each node it
    // holds has one probe pending (memory stays with the nodes it takes).
    if let Some((_, probes)) = scan {
        let delay = hop_delay.sample(malware_stream(sim, by));
        sim.after(
            delay,
            ThreatEv::ScanProbe {
                by,
                left: *probes,
                hop: hop.saturating_add(1),
            },
        );
    }
    // Across its operator's own network, as NotPetya went through each
    // victim's domain with stolen admin credentials (a scanning worm too, as
    // WannaCry scanned the local network), and along its links unless it
    // scans instead.
    let mut next = if scan.is_some() {
        Vec::new()
    } else {
        cat.neighbours(n)
    };
    for &m in &cat.nodes[n.i()].same_operator {
        if !next.contains(&m) {
            next.push(m);
        }
    }
    let stream = malware_stream(sim, by);
    let delays: Vec<_> = next
        .into_iter()
        .map(|nb| (nb, hop_delay.sample(stream)))
        .collect();
    for (nb, delay) in delays {
        sim.after(
            delay,
            ThreatEv::WiperHop {
                by,
                node: nb,
                hop: hop.saturating_add(1),
            },
        );
    }
    true
}

/// The malware reaches `n`: it takes hold with the wiper's spread chance, reduced by the node's defence.
/// A scanning worm's next probe from a node it holds: a node drawn at
/// random from its targets, then, while probes are `left`, the next one a
/// hop delay later.
pub fn probe(sim: &mut Sim, by: Origin, left: u32, hop_no: u16) {
    let Some(Effect::Malware {
        hop_delay,
        scan: Some((targets, _)),
        ..
    }) = sim.cat.effect_of(by)
    else {
        return;
    };
    if sim.world.resource::<crate::world::Halted>().stops(by) {
        return;
    }
    let stream = malware_stream(sim, by);
    let target = targets[stream.random_range(0..targets.len())];
    if left > 1 {
        let delay = hop_delay.sample(stream);
        sim.after(
            delay,
            ThreatEv::ScanProbe {
                by,
                left: left - 1,
                hop: hop_no,
            },
        );
    }
    if sim.node_ref(target).malware.is_none() {
        hop(sim, by, target, hop_no);
    }
}

pub fn hop(sim: &mut Sim, by: Origin, n: NodeIx, hop: u16) {
    let Some(Effect::Malware { spread, .. }) = sim.cat.effect_of(by) else {
        return;
    };
    if sim.world.resource::<crate::world::Halted>().stops(by) {
        return;
    }
    let roll: f64 = malware_stream(sim, by).random();
    if precondition(sim, by, n).is_ok() && roll < spread * (1.0 - DEFENCE_WEIGHT * defence(sim, n))
    {
        infect(sim, by, n, hop);
    }
}

/// The stream a malware step's spread draws from: its step's own, or exercise control's.
fn malware_stream<'s>(sim: &'s mut Sim<'_>, by: Origin) -> &'s mut crate::engine::SimRng {
    match by {
        Origin::Step(s) => &mut sim.rng.steps[s.campaign.i()][s.step as usize],
        Origin::Inject(_) => &mut sim.rng.control,
    }
}

/// Nodes hit so far by each malware step.
#[derive(bevy_ecs::prelude::Resource, Default, Debug)]
pub struct WiperHits(std::collections::BTreeMap<Origin, u32>);

impl WiperHits {
    pub fn get(&self, by: Origin) -> u32 {
        self.0.get(&by).copied().unwrap_or(0)
    }
    fn bump(&mut self, by: Origin) {
        *self.0.entry(by).or_insert(0) += 1;
    }
}
