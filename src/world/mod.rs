//! The simulated world: the immutable [`catalog::Catalog`] compiled from a
//! scenario, and the mutable state of nations, infrastructure, narratives,
//! CBRN incidents and campaigns, held as components in a bevy_ecs `World`.
//!
//! Entities are created in file order. Event handlers reach them through the
//! ordered lists in [`Index`]; the hourly systems query them and visit them
//! sorted by their index ([`in_order`]), never in the ECS's storage order, so
//! that no outcome depends on how the ECS stores them.

mod sim;

use std::collections::VecDeque;
use std::sync::Arc;

use bevy_ecs::component::Mutable;
use bevy_ecs::prelude::*;
use bevy_ecs::world::Mut;

pub use sim::{Bus, Rngs, Sim};

use crate::engine::{SimRng, SimTime};
use crate::log::Origin;
use crate::scenario::Exploit;
use crate::scenario::catalog::{
    self, AgentKind, CampaignIx, Catalog, CountryIx, EdgeIx, NarrativeIx, NodeIx,
};

/// The catalog, for systems: they see the world only through their parameters.
#[derive(Resource)]
pub struct CatalogRes(pub Arc<Catalog>);

/// The simulated time, for systems.
#[derive(Resource, Debug, Default)]
pub struct Clock(pub SimTime);

/// What a system has to report, for the exercise to log (or carry out)
/// once the system has run: systems have no bus of their own.
#[derive(Resource, Debug)]
pub struct Reports<T>(pub Vec<T>);

impl<T> Default for Reports<T> {
    fn default() -> Self {
        Reports(Vec::new())
    }
}

/// A component's place in the order the model visits entities in.
pub trait Ordered {
    type Key: Ord;
    fn key(&self) -> Self::Key;
}

/// A query's items, mutable, sorted by their [`Ordered`] key.
pub fn in_order<'a, T>(q: &'a mut Query<'_, '_, &mut T>) -> Vec<Mut<'a, T>>
where
    T: Component<Mutability = Mutable> + Ordered,
{
    let mut v: Vec<Mut<T>> = q.iter_mut().collect();
    v.sort_by_key(|x| x.key());
    v
}

/// A query's items sorted by their [`Ordered`] key.
pub fn in_order_ref<'a, T>(q: &'a Query<'_, '_, &T>) -> Vec<&'a T>
where
    T: Component + Ordered,
{
    let mut v: Vec<&T> = q.iter().collect();
    v.sort_by_key(|x| x.key());
    v
}

/// Every `T` in the world, sorted by its [`Ordered`] key, for code that
/// only borrows the world (metrics, the dashboard).
pub fn all_in_order<T: Component + Ordered>(world: &World) -> Vec<&T> {
    let Some(mut q) = world.try_query::<&T>() else {
        return Vec::new();
    };
    let mut v: Vec<&T> = q.iter(world).collect();
    v.sort_by_key(|x| x.key());
    v
}

/// A member state's national state and responders.
#[derive(Component, Debug)]
pub struct Nation {
    pub ix: CountryIx,
    pub trust: f64,
    /// The highest reach of any hostile narrative in the country, last hour.
    pub hostile_reach: f64,
    /// Lowest trust so far (for objectives).
    pub trust_min: f64,
    /// CSIRT incident-response teams: free count and incidents waiting for one.
    pub csirt_free: u32,
    pub csirt_queue: VecDeque<(Origin, NodeIx)>,
    /// The CSIRT's open incidents: a campaign at one node (the unit of work
    /// of one team: forensics, eviction, rebuild of that operator's systems).
    pub open_incidents: Vec<(Origin, NodeIx)>,
    pub crews_free: u32,
    pub repair_queue: VecDeque<NodeIx>,
    /// Lent crews and teams still at work when their loan ended: they leave
    /// as soon as they finish instead of taking the next job.
    pub crews_leaving: u32,
    pub teams_leaving: u32,
    /// The load last applied to the country's hospitals (share of service lost).
    pub hospital_overload: f64,
    pub decon_free: u32,
    pub beds_free: u32,
    /// Surge beds the country's hospitals cannot fill while part of the
    /// health sector is out (attack, contamination, lost supply): see
    /// [`crate::threats::cbrn::beds_blocked`].
    pub beds_blocked: u32,
    /// Lent beds taken back while occupied: the next beds patients free go
    /// to pay them back, not to the country's free beds.
    pub beds_owed: u32,
    pub doses: u32,
    /// Campaigns against which this state has isolated its networks.
    pub isolated_against: Vec<Origin>,
    /// Recent real events that hostile narratives can exploit, by
    /// [`crate::scenario::Exploit`] order: outages, casualties, cyber incidents.
    pub grievance: [f64; 3],
}

impl Ordered for Nation {
    type Key = CountryIx;
    fn key(&self) -> CountryIx {
        self.ix
    }
}

impl Nation {
    /// The grievance real events of kind `e` have given hostile narratives.
    pub fn grievance(&self, e: Exploit) -> f64 {
        self.grievance[grievance_slot(e)]
    }

    /// Adds to a grievance, which is capped at 3.
    pub fn grieve(&mut self, e: Exploit, weight: f64) {
        let g = &mut self.grievance[grievance_slot(e)];
        *g = (*g + weight).min(3.0);
    }
}

fn grievance_slot(e: Exploit) -> usize {
    match e {
        Exploit::Outages => 0,
        Exploit::Casualties => 1,
        Exploit::CyberIncidents => 2,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Foothold {
    /// Undetected.
    Active,
    /// Found by the CSIRT, not yet removed.
    Detected,
    /// Removed: later steps that need it fail.
    Evicted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repair {
    None,
    Queued,
    InProgress,
}

/// One infrastructure node's service.
#[derive(Component, Debug)]
pub struct InfraState {
    pub ix: NodeIx,
    /// Share of normal service delivered, 0 to 1.
    pub service: f64,
    /// Damage to the node itself (attack, wiper, contamination), 0 to 1.
    pub own_damage: f64,
    /// Service lost to demand beyond capacity (hospitals), 0 to 1.
    pub overload: f64,
    /// Malware that destroyed or encrypted its systems, until rebuilt or restored.
    pub malware: Option<crate::scenario::catalog::Malware>,
    pub contaminated: bool,
    /// Supply edges whose failure has taken this node down.
    pub failed_supply: Vec<EdgeIx>,
    pub repair: Repair,
    /// Footholds planted in this node, and how far defenders have got with them.
    pub footholds: Vec<(Origin, Foothold)>,
    /// Since when the node is below full service, if it is.
    pub impaired_since: Option<SimTime>,
    pub last_change: SimTime,
    /// Integral of lost service over time, in node-hours.
    pub lost_node_hours: f64,
    /// Longest single impairment so far, in seconds.
    pub longest_outage: u64,
}

impl InfraState {
    /// Service lost so far, in node-hours, an impairment still under way included.
    pub fn lost_node_hours_at(&self, now: SimTime) -> f64 {
        self.lost_node_hours + (1.0 - self.service) * now.since(self.last_change).as_hours()
    }

    /// The longest impairment so far, in seconds, one still under way included.
    pub fn longest_outage_at(&self, now: SimTime) -> u64 {
        let open = self.impaired_since.map_or(0, |t| now.since(t).0);
        self.longest_outage.max(open)
    }
}

impl Ordered for InfraState {
    type Key = NodeIx;
    fn key(&self) -> NodeIx {
        self.ix
    }
}

/// The state of a hostile narrative.
#[derive(Component, Debug)]
pub struct NarrativeState {
    pub ix: NarrativeIx,
    pub launched: Option<(SimTime, Origin)>,
    /// Product of active amplification factors.
    pub amplification: f64,
    /// Platforms' damping after notices (1 = none).
    pub platform: f64,
    /// Per country of the narrative (same order as `NarrativeDef::countries`).
    pub countries: Vec<NarrativeInCountry>,
    /// Peak population-weighted reach in any country.
    pub peak_reach: f64,
}

#[derive(Clone, Debug, Default)]
pub struct NarrativeInCountry {
    pub reach: f64,
    pub belief: f64,
    pub spotted: bool,
    pub spotting_scheduled: bool,
    /// Government communication has sent platforms a notice.
    pub platforms_notified: bool,
    /// Effect of debunking on belief, 0 to 0.6.
    pub debunk: f64,
}

/// A narrative's hold on one audience.
#[derive(Component, Debug)]
pub struct Exposure {
    pub narrative: NarrativeIx,
    /// Its place in the narrative's list of audiences.
    pub slot: u32,
    pub audience: catalog::AudienceIx,
    pub reach: f64,
    pub belief: f64,
}

impl Ordered for Exposure {
    type Key = (NarrativeIx, u32);
    fn key(&self) -> (NarrativeIx, u32) {
        (self.narrative, self.slot)
    }
}

impl Ordered for NarrativeState {
    type Key = NarrativeIx;
    fn key(&self) -> NarrativeIx {
        self.ix
    }
}

impl Ordered for Incident {
    type Key = u32;
    fn key(&self) -> u32 {
        self.id
    }
}

/// A CBRN incident and its casualties.
#[derive(Component, Debug)]
pub struct Incident {
    pub id: u32,
    pub by: Origin,
    pub country: CountryIx,
    pub site: Option<NodeIx>,
    pub agent: AgentKind,
    pub released_at: SimTime,
    pub lethality: f64,
    pub severe_share: f64,
    pub exposed: u32,
    /// Severely affected people not yet showing symptoms.
    pub incubating: u32,
    /// Contaminated people whose skin and clothes still carry a dose that
    /// will make them severely ill unless decontamination comes first.
    pub absorbing: u32,
    /// Severely ill and not (yet) in hospital.
    pub ill: u32,
    /// Severely ill in hospital.
    pub hospitalised: u32,
    /// Moderately ill people not yet showing symptoms, waiting for a bed,
    /// and in a bed.
    pub moderate_incubating: u32,
    pub moderate_waiting: u32,
    pub moderate_in_bed: u32,
    /// Of the severely and the moderately ill not in hospital, those who
    /// wait at the scene to be decontaminated before they are taken there.
    pub severe_at_scene: u32,
    pub moderate_at_scene: u32,
    /// Everyone who queues for decontamination: the exposed and the worried well.
    pub queue_total: u32,
    /// Of the hospitalised, those given medical countermeasures.
    pub treated: u32,
    pub symptomatic_total: u32,
    pub dead: u32,
    /// Of the dead, those who died before reaching hospital.
    pub dead_before_care: u32,
    pub recovered: u32,
    pub awaiting_decon: u32,
    pub decontaminated: u32,
    pub decon_units: u32,
    /// Units sent to it and not yet arrived.
    pub decon_en_route: u32,
    pub detected_at: Option<SimTime>,
    pub identified_at: Option<SimTime>,
    /// When the OPCW confirmed the national identification (chemical weapons).
    pub confirmed_at: Option<SimTime>,
    pub exhausted_reported: bool,
    pub rng: SimRng,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepStatus {
    Waiting,
    Scheduled,
    Succeeded(SimTime),
    Failed(SimTime),
}

/// A campaign's progress.
#[derive(Component, Debug)]
pub struct CampaignState {
    pub ix: CampaignIx,
    pub steps: Vec<StepStatus>,
}

impl Ordered for CampaignState {
    type Key = CampaignIx;
    fn key(&self) -> CampaignIx {
        self.ix
    }
}

/// Campaigns exercise control stopped (a kill switch, a sinkhole, a patch,
/// an arrest): their later steps fail and their malware spreads no further.
#[derive(Resource, Debug, Default)]
pub struct Halted(pub std::collections::BTreeSet<catalog::CampaignIx>);

impl Halted {
    /// Whether what `by` set in motion is stopped (an inject's never is).
    pub fn stops(&self, by: crate::log::Origin) -> bool {
        by.campaign().is_some_and(|c| self.0.contains(&c))
    }
}

/// How much attribution and sanctions deter a campaign's later steps: the
/// share of steps called off (the Cyber Diplomacy Toolbox raises it).
#[derive(Resource, Debug, Default)]
pub struct Deterrence {
    /// Share of the deterred actors' later steps called off.
    pub share: f64,
    /// The actors the EU named: only their campaigns are deterred.
    pub actors: std::collections::BTreeSet<catalog::ActorIx>,
    /// Steps called off so far.
    pub steps_deterred: u32,
}

/// IPCR's coordination: the share of delays left to other EU mechanisms and
/// to member states' crisis communication (1 without IPCR, less in higher
/// modes). IPCR sets it as its mode changes; national responders read it
/// here without knowing the EU rooms.
#[derive(Resource, Debug)]
pub struct Coordination {
    pub delays_left: f64,
}

impl Default for Coordination {
    fn default() -> Self {
        Coordination { delays_left: 1.0 }
    }
}

/// Entities in creation (file) order: the only way the model visits them.
#[derive(Debug, Default)]
pub struct Index {
    pub nations: Vec<Entity>,
    pub nodes: Vec<Entity>,
    pub narratives: Vec<Entity>,
    /// Exposures of each narrative, in the order of its audiences.
    pub exposures: Vec<Vec<Entity>>,
    pub campaigns: Vec<Entity>,
    pub incidents: Vec<Entity>,
}

impl Index {
    /// Spawns the initial world for `cat`.
    pub fn populate(world: &mut World, cat: &Catalog) -> Index {
        let mut ix = Index::default();
        for (i, c) in cat.countries.iter().enumerate() {
            let r = c.resources;
            ix.nations.push(
                world
                    .spawn(Nation {
                        ix: CountryIx::at(i),
                        trust: c.trust,
                        hostile_reach: 0.0,
                        trust_min: c.trust,
                        csirt_free: r.csirt_teams,
                        csirt_queue: VecDeque::new(),
                        open_incidents: Vec::new(),
                        crews_free: r.repair_crews,
                        repair_queue: VecDeque::new(),
                        crews_leaving: 0,
                        teams_leaving: 0,
                        hospital_overload: 0.0,
                        decon_free: r.decon_units,
                        beds_free: r.surge_beds,
                        beds_blocked: 0,
                        beds_owed: 0,
                        doses: r.countermeasure_doses,
                        isolated_against: Vec::new(),
                        grievance: [0.0; 3],
                    })
                    .id(),
            );
        }
        for i in 0..cat.nodes.len() {
            ix.nodes.push(
                world
                    .spawn(InfraState {
                        ix: NodeIx::at(i),
                        service: 1.0,
                        own_damage: 0.0,
                        overload: 0.0,
                        malware: None,
                        contaminated: false,
                        failed_supply: Vec::new(),
                        repair: Repair::None,
                        footholds: Vec::new(),
                        impaired_since: None,
                        last_change: SimTime(0),
                        lost_node_hours: 0.0,
                        longest_outage: 0,
                    })
                    .id(),
            );
        }
        for (i, n) in cat.narratives.iter().enumerate() {
            ix.narratives.push(
                world
                    .spawn(NarrativeState {
                        ix: NarrativeIx::at(i),
                        launched: None,
                        amplification: 1.0,
                        platform: 1.0,
                        countries: vec![NarrativeInCountry::default(); n.countries.len()],
                        peak_reach: 0.0,
                    })
                    .id(),
            );
            ix.exposures.push(
                n.audiences
                    .iter()
                    .zip(0..)
                    .map(|(a, slot)| {
                        world
                            .spawn(Exposure {
                                narrative: NarrativeIx::at(i),
                                slot,
                                audience: *a,
                                reach: 0.0,
                                belief: 0.0,
                            })
                            .id()
                    })
                    .collect(),
            );
        }
        for (i, c) in cat.campaigns.iter().enumerate() {
            ix.campaigns.push(
                world
                    .spawn(CampaignState {
                        ix: CampaignIx::at(i),
                        steps: vec![StepStatus::Waiting; c.steps.len()],
                    })
                    .id(),
            );
        }
        ix
    }
}
