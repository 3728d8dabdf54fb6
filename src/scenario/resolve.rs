//! The one resolver: a parsed [`Scenario`] becomes the compiled [`Catalog`]
//! (every id an index, every list in file order), or the list of everything
//! wrong with it.
//!
//! Each [`Problem`] names the [`ValuePath`] of the value at fault (the
//! seventh `target: "EE-gird"` is `campaigns[2].steps[6].action.target`), so
//! it can be shown at its own `line:col` in the file it came from; see
//! [`super::LoadedScenario::compile`]. Sections are resolved in dependency
//! order: ids first, then countries, actors, infrastructure, audiences,
//! narratives, campaigns and their steps, the MSEL and the objectives. The
//! rules live here and nowhere else: validation is resolution.
//!
//! A valid scenario pays for no paths, messages or hints; they are built only
//! for problems, and at most [`MAX_PROBLEMS`] of them.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use petgraph::graph::{NodeIndex, UnGraph};

use super::model::*;
use crate::diag::nearest;
use crate::engine::Duration;
use crate::input::locate::ValuePath;
use crate::scenario::catalog::*;

/// Bodies every scenario may name in injects without declaring them: the
/// EU and NATO mechanisms that pacesim models, and exercise control.
pub const BODIES: &[(&str, &str)] = &[
    ("HFC", "EU Hybrid Fusion Cell (EU INTCEN)"),
    ("IPCR", "Council Presidency / IPCR"),
    ("COMMISSION", "European Commission"),
    ("ERCC", "Emergency Response Coordination Centre"),
    ("EEAS", "European External Action Service"),
    ("STRATCOM", "EEAS StratCom Task Forces"),
    ("RAS", "Rapid Alert System"),
    ("ENISA", "EU Agency for Cybersecurity"),
    ("CSIRTS", "CSIRTs Network"),
    (
        "NATO",
        "NATO (Hybrid Analysis Branch, Allied Command Operations)",
    ),
    ("EXCON", "Exercise control"),
];

/// Longest scenario accepted: a year and a day. Exercises span days to weeks;
/// the bound keeps a typo such as `1000d` from running for hours.
pub const MAX_DURATION: Duration = Duration::days(366);

/// Problems recorded in full; past this many only their number is kept, so
/// that a file with a hundred thousand bad references is refused quickly.
pub const MAX_PROBLEMS: usize = 100;

/// One thing wrong with a scenario, at the value that is wrong.
#[derive(Clone, Debug)]
pub struct Problem {
    pub at: ValuePath,
    pub message: String,
    /// A word or two shown under the value.
    pub label: &'static str,
    pub help: Option<String>,
}

impl Problem {
    fn new(at: ValuePath, message: impl Into<String>, label: &'static str) -> Self {
        Problem {
            at,
            message: message.into(),
            label,
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Everything wrong with a scenario: the first [`MAX_PROBLEMS`] in full, in
/// the order found, and how many more there were.
#[derive(Clone, Debug, Default)]
pub struct Problems {
    pub found: Vec<Problem>,
    pub more: usize,
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.found {
            writeln!(f, "{}: {}", p.at, p.message)?;
        }
        if self.more > 0 {
            writeln!(f, "and {} more", self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Resolves a parsed scenario into the compiled world.
pub fn resolve(s: &Scenario) -> Result<Catalog, Problems> {
    let mut r = Resolver {
        problems: Problems::default(),
    };
    r.duration(s);
    let ids = r.ids(s);
    let countries = r.countries(s);
    let actors = r.actors(s, &ids);
    let nodes = r.nodes(s, &ids);
    let deps = r.dependencies(s, &ids);
    let audiences = r.audiences(s, &ids);
    let narratives = r.narratives(s, &ids, &audiences);
    let world = World {
        ids: &ids,
        countries: &countries,
        nodes: &nodes,
    };
    let (mut campaigns, steps) = r.campaigns(s, &world);
    r.follows(s, &ids, &steps, &mut campaigns);
    let injects = r.injects(s, &world, &steps);
    let objectives = r.objectives(s, &world);
    if !r.problems.found.is_empty() {
        return Err(r.problems);
    }
    Ok(assemble(
        s, countries, actors, nodes, deps, audiences, narratives, campaigns, injects, objectives,
    ))
}

/// Stands in for an index that did not resolve. It never reaches a catalog:
/// any problem discards the whole resolution.
const UNRESOLVED: u32 = u32::MAX;

/// Positions an entity can have in the catalog: `u32` indices, without the
/// last one, which the infrastructure graph reserves for "no node".
const ENTITY_POSITIONS: std::ops::Range<u32> = 0..u32::MAX;

/// Positions a step can have in its campaign (`StepRef::step` is a `u16`).
const STEP_POSITIONS: std::ops::RangeInclusive<u16> = 0..=u16::MAX;

/// Ids of one kind and what each resolves to. Looked up by hash (a scenario
/// may hold a hundred thousand nodes), but listed, for hints, only in
/// sorted order, so that no message depends on hashing.
struct Table<'s, T> {
    index: HashMap<&'s str, T>,
    sorted: OnceCell<Vec<&'s str>>,
}

impl<'s, T: Copy> Table<'s, T> {
    fn with_capacity(n: usize) -> Self {
        Table {
            index: HashMap::with_capacity(n),
            sorted: OnceCell::new(),
        }
    }

    fn get(&self, id: &str) -> Option<T> {
        self.index.get(id).copied()
    }

    /// Adds `id` unless it is there already; says whether it was added.
    fn insert(&mut self, id: &'s str, v: T) -> bool {
        if self.index.contains_key(id) {
            return false;
        }
        self.index.insert(id, v);
        self.sorted.take();
        true
    }

    /// The ids in sorted order.
    fn ids(&self) -> &[&'s str] {
        self.sorted.get_or_init(|| {
            let mut ids: Vec<&str> = self.index.keys().copied().collect();
            ids.sort_unstable();
            ids
        })
    }
}

/// The ids of every kind of entity, each with its index.
struct Ids<'s> {
    countries: Table<'s, u32>,
    actors: Table<'s, u32>,
    nodes: Table<'s, u32>,
    audiences: Table<'s, u32>,
    communities: Table<'s, u32>,
    narratives: Table<'s, u32>,
    campaigns: Table<'s, u32>,
    objectives: Table<'s, u32>,
    /// Who may send or receive an inject: countries, actors and [`BODIES`].
    senders: Table<'s, ()>,
}

/// What actions are resolved against.
struct World<'a, 's> {
    ids: &'a Ids<'s>,
    countries: &'a [CountryDef],
    nodes: &'a [NodeDef],
}

/// Where an action is written: in a campaign step or as an inject's effect.
#[derive(Clone, Copy)]
enum ActionAt {
    Step { campaign: usize, step: usize },
    Effect { inject: usize },
}

impl ActionAt {
    fn path(self) -> ValuePath {
        match self {
            ActionAt::Step { campaign, step } => step_path(campaign, step).key("action"),
            ActionAt::Effect { inject } => ValuePath::of("msel").index(inject).key("effect"),
        }
    }
}

fn step_path(campaign: usize, step: usize) -> ValuePath {
    ValuePath::of("campaigns")
        .index(campaign)
        .key("steps")
        .index(step)
}

/// Every `Narrative` action in file order, with where it is written: a
/// narrative is declared by the action that launches it, in a campaign step
/// or an inject's effect.
fn narrative_actions(s: &Scenario) -> impl Iterator<Item = (&Action, ActionAt)> {
    let steps = s.campaigns.iter().enumerate().flat_map(|(c, cp)| {
        cp.steps.iter().enumerate().map(move |(k, st)| {
            let at = ActionAt::Step {
                campaign: c,
                step: k,
            };
            (&st.action, at)
        })
    });
    let effects = s
        .msel
        .iter()
        .enumerate()
        .filter_map(|(k, i)| Some((i.effect.as_ref()?, ActionAt::Effect { inject: k })));
    steps
        .chain(effects)
        .filter(|(a, _)| matches!(a, Action::Narrative { .. }))
}

struct Resolver {
    problems: Problems,
}

impl Resolver {
    fn report(&mut self, problem: impl FnOnce() -> Problem) {
        if self.problems.found.len() < MAX_PROBLEMS {
            self.problems.found.push(problem());
        } else {
            self.problems.more += 1;
        }
    }

    /// `known[id]`, or a problem at `at` with the nearest known id as a hint.
    fn refer<T: Copy>(
        &mut self,
        known: &Table<T>,
        role: &str,
        id: &str,
        at: impl FnOnce() -> ValuePath,
    ) -> Option<T> {
        let found = known.get(id);
        if found.is_none() {
            self.report(|| {
                let p = Problem::new(
                    at(),
                    format!("unknown {role}: `{id}`"),
                    "not defined in this scenario",
                );
                let ids = known.ids();
                match nearest(id, ids.iter().copied()) {
                    Some(n) => p.help(format!("did you mean `{n}`?")),
                    None if !ids.is_empty() && ids.len() <= 12 => {
                        p.help(format!("known ids: {}", ids.join(", ")))
                    }
                    None => p,
                }
            });
        }
        found
    }

    /// Refuses a list longer than the catalog can number (`max` entries), at
    /// its first entry past the limit.
    fn fits(
        &mut self,
        len: usize,
        max: usize,
        many: impl FnOnce(usize, usize) -> String,
        at: impl FnOnce(usize) -> ValuePath,
    ) {
        if len > max {
            self.report(|| Problem::new(at(max), many(len, max), "one too many"));
        }
    }

    fn duration(&mut self, s: &Scenario) {
        if s.duration.0 == 0 || s.duration > MAX_DURATION {
            self.report(|| {
                Problem::new(
                    ValuePath::of("duration"),
                    format!("the scenario's duration must be above 0s and at most {MAX_DURATION}"),
                    "out of range",
                )
            });
        }
    }

    fn ids<'s>(&mut self, s: &'s Scenario) -> Ids<'s> {
        let list = |section: &'static str| move |i| ValuePath::of(section).index(i).key("id");
        let countries = self.id_table(
            "country",
            s.countries.iter().map(|x| &x.id),
            list("countries"),
        );
        let actors = self.id_table("actor", s.actors.iter().map(|x| &x.id), list("actors"));
        let nodes = self.id_table(
            "infrastructure node",
            s.infrastructure.nodes.iter().map(|x| &x.id),
            |i| {
                ValuePath::of("infrastructure")
                    .key("nodes")
                    .index(i)
                    .key("id")
            },
        );
        let audiences = self.id_table(
            "audience",
            s.audiences.iter().map(|x| &x.id),
            list("audiences"),
        );
        let communities = self.id_table("community", s.communities.iter().map(|x| &x.id), |i| {
            ValuePath::of("communities").index(i).key("id")
        });
        let launches: Vec<(&String, ActionAt)> = narrative_actions(s)
            .filter_map(|(a, at)| match a {
                Action::Narrative { id, .. } => Some((id, at)),
                _ => None,
            })
            .collect();
        let narratives = self.id_table("narrative", launches.iter().map(|x| x.0), |i| {
            launches[i].1.path().key("id")
        });
        let campaigns = self.id_table(
            "campaign",
            s.campaigns.iter().map(|x| &x.id),
            list("campaigns"),
        );
        let objectives = self.id_table(
            "objective",
            s.objectives.iter().map(|x| &x.id),
            list("objectives"),
        );
        let mut senders = Table::with_capacity(countries.ids().len() + actors.ids().len());
        for id in countries.ids().iter().chain(actors.ids()) {
            senders.insert(id, ());
        }
        for (id, _) in BODIES {
            senders.insert(id, ());
        }
        Ids {
            countries,
            actors,
            nodes,
            audiences,
            communities,
            narratives,
            campaigns,
            objectives,
            senders,
        }
    }

    /// The ids of one kind of entity with their positions. Blank and repeated
    /// ids are problems (the repeat is reported, the first use kept).
    fn id_table<'s>(
        &mut self,
        kind: &'static str,
        ids: impl ExactSizeIterator<Item = &'s String>,
        at: impl Fn(usize) -> ValuePath,
    ) -> Table<'s, u32> {
        self.fits(
            ids.len(),
            ENTITY_POSITIONS.len(),
            |n, max| format!("{n} {kind} ids; the compiled world holds at most {max}"),
            &at,
        );
        let mut table = Table::with_capacity(ids.len());
        for ((i, id), ix) in ids.enumerate().zip(ENTITY_POSITIONS) {
            if id.trim().is_empty() {
                let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                self.report(|| {
                    Problem::new(
                        at(i),
                        format!("{article} {kind} has an empty id"),
                        "empty id",
                    )
                    .help("give it a short unique id such as \"EE\" or \"EE-grid\"")
                });
            } else if !table.insert(id, ix) {
                self.report(|| {
                    Problem::new(
                        at(i),
                        format!("{kind} id `{id}` is used twice"),
                        "second use",
                    )
                    .help("ids must be unique; rename one of them")
                });
            }
        }
        table
    }

    fn countries(&mut self, s: &Scenario) -> Vec<CountryDef> {
        let mut out = Vec::with_capacity(s.countries.len());
        for (i, c) in s.countries.iter().enumerate() {
            if c.population == 0 {
                self.report(|| {
                    Problem::new(
                        ValuePath::of("countries").index(i).key("population"),
                        format!("country `{}` has no population", c.id),
                        "population 0",
                    )
                });
            }
            if c.eu && c.digital_europe {
                self.report(|| {
                    Problem::new(
                        ValuePath::of("countries").index(i).key("digital_europe"),
                        format!(
                            "country `{}` is an EU member state: `digital_europe` is for third countries",
                            c.id
                        ),
                        "a member state is served as one; leave `digital_europe` out, or set `eu: false`",
                    )
                });
            }
            out.push(CountryDef {
                id: c.id.as_str().into(),
                csirt: format!("{}-CSIRT", c.id).into(),
                name: c.name.clone(),
                population: c.population,
                eu: c.eu,
                nato: c.nato,
                digital_europe: c.digital_europe,
                trust: c.trust.0,
                caps: c.capacities,
                resources: c.resources,
            });
        }
        out
    }

    fn actors(&mut self, s: &Scenario, ids: &Ids) -> Vec<ActorDef> {
        let mut out = Vec::with_capacity(s.actors.len());
        for (i, a) in s.actors.iter().enumerate() {
            if let Some(k) = &a.country {
                self.refer(&ids.countries, "country", k, || {
                    ValuePath::of("actors").index(i).key("country")
                });
            }
            out.push(ActorDef {
                id: a.id.as_str().into(),
                name: a.name.clone(),
                kind: a.kind,
            });
        }
        out
    }

    fn nodes(&mut self, s: &Scenario, ids: &Ids) -> Vec<NodeDef> {
        let mut out = Vec::with_capacity(s.infrastructure.nodes.len());
        for (i, n) in s.infrastructure.nodes.iter().enumerate() {
            let country = self.refer(&ids.countries, "country", &n.country, || {
                ValuePath::of("infrastructure")
                    .key("nodes")
                    .index(i)
                    .key("country")
            });
            out.push(NodeDef {
                id: n.id.as_str().into(),
                name: n.name.clone(),
                sector: n.sector,
                country: CountryIx(country.unwrap_or(UNRESOLVED)),
                serves: n.serves,
                restore: n.restore,
                hardening: n.hardening.0,
                manual: n.manual.as_ref().map(|m| (m.after, m.service.0)),
                same_operator: Vec::new(),
            });
        }
        // Each operator's nodes, in node order.
        let mut by_operator: std::collections::BTreeMap<&str, Vec<NodeIx>> = Default::default();
        for (i, n) in s.infrastructure.nodes.iter().enumerate() {
            if let Some(op) = &n.operator {
                by_operator.entry(op).or_default().push(NodeIx::at(i));
            }
        }
        for group in by_operator.values() {
            for &n in group {
                out[n.i()].same_operator = group.iter().copied().filter(|&m| m != n).collect();
            }
        }
        out
    }

    fn dependencies(&mut self, s: &Scenario, ids: &Ids) -> Vec<DepDef> {
        let deps = &s.infrastructure.dependencies;
        let at = |i: usize, field| {
            ValuePath::of("infrastructure")
                .key("dependencies")
                .index(i)
                .key(field)
        };
        self.fits(
            deps.len(),
            ENTITY_POSITIONS.len(),
            |n, max| format!("{n} dependencies; the compiled world holds at most {max}"),
            |i| at(i, "supplier"),
        );
        let mut out = Vec::with_capacity(deps.len());
        for (i, d) in deps.iter().enumerate() {
            let supplier = self.refer(&ids.nodes, "supplier", &d.supplier, || at(i, "supplier"));
            let dependent =
                self.refer(&ids.nodes, "dependent", &d.dependent, || at(i, "dependent"));
            if d.supplier == d.dependent {
                self.report(|| {
                    Problem::new(
                        at(i, "dependent"),
                        format!("`{}` cannot depend on itself", d.dependent),
                        "same as supplier",
                    )
                });
            }
            out.push(DepDef {
                supplier: NodeIx(supplier.unwrap_or(UNRESOLVED)),
                dependent: NodeIx(dependent.unwrap_or(UNRESOLVED)),
                delay: d.delay,
                probability: d.probability.0,
            });
        }
        out
    }

    fn audiences(&mut self, s: &Scenario, ids: &Ids) -> Vec<AudienceDef> {
        let mut out = Vec::with_capacity(s.audiences.len());
        for (i, a) in s.audiences.iter().enumerate() {
            let country = self.refer(&ids.countries, "country", &a.country, || {
                ValuePath::of("audiences").index(i).key("country")
            });
            out.push(AudienceDef {
                id: a.id.as_str().into(),
                name: a.name.clone(),
                country: CountryIx(country.unwrap_or(UNRESOLVED)),
                size: a.size,
                susceptibility: a.susceptibility.0,
                community: None,
            });
        }
        self.communities(s, ids, &mut out);
        out
    }

    /// Marks each community's audiences as its members: at least two, each
    /// in one community at most, under an id no audience has.
    fn communities(&mut self, s: &Scenario, ids: &Ids, audiences: &mut [AudienceDef]) {
        for (ci, c) in s.communities.iter().enumerate() {
            let at = || ValuePath::of("communities").index(ci);
            if ids.audiences.get(&c.id).is_some() {
                self.report(|| {
                    Problem::new(
                        at().key("id"),
                        format!("community id `{}` is also an audience's id", c.id),
                        "taken",
                    )
                    .help("narratives name audiences and communities alike: rename one")
                });
            }
            let mut listed = BTreeSet::new();
            if c.audiences.len() < 2 {
                self.report(|| {
                    Problem::new(
                        at().key("audiences"),
                        "a community needs at least two audiences",
                        "too few",
                    )
                });
            }
            for (j, a) in c.audiences.iter().enumerate() {
                if ids.communities.get(a).is_some() && ids.audiences.get(a).is_none() {
                    self.report(|| {
                        Problem::new(
                            at().key("audiences").index(j),
                            format!("`{a}` is a community, not an audience"),
                            "a community",
                        )
                        .help("list its audiences instead: a community holds audiences only")
                    });
                    continue;
                }
                let Some(ix) = self.refer(&ids.audiences, "audience", a, || {
                    at().key("audiences").index(j)
                }) else {
                    continue;
                };
                if !listed.insert(a.as_str()) {
                    self.report(|| {
                        Problem::new(
                            at().key("audiences").index(j),
                            format!("audience `{a}` is listed twice"),
                            "again",
                        )
                    });
                    continue;
                }
                let member = &mut audiences[ix as usize];
                match member.community {
                    Some(other) => self.report(|| {
                        Problem::new(
                            at().key("audiences").index(j),
                            format!(
                                "audience `{a}` is already in community `{}`",
                                s.communities[other as usize].id
                            ),
                            "second community",
                        )
                        .help("an audience belongs to one community at most")
                    }),
                    None => member.community = Some(crate::engine::count_u32(ci)),
                }
            }
        }
    }

    /// Narratives in the order their `Narrative` actions are written.
    fn narratives(
        &mut self,
        s: &Scenario,
        ids: &Ids,
        audience_defs: &[AudienceDef],
    ) -> Vec<NarrativeDef> {
        let mut members: BTreeMap<u32, Vec<AudienceIx>> = BTreeMap::new();
        for (k, d) in audience_defs.iter().enumerate() {
            if let Some(c) = d.community {
                members
                    .entry(c)
                    .or_default()
                    .push(AudienceIx(crate::engine::count_u32(k)));
            }
        }
        let mut out = Vec::new();
        for (action, at) in narrative_actions(s) {
            let Action::Narrative {
                id,
                title,
                audiences,
                virality,
                seed_reach,
                exploits,
            } = action
            else {
                continue;
            };
            if audiences.is_empty() {
                self.report(|| {
                    Problem::new(
                        at.path().key("audiences"),
                        "a narrative needs at least one audience",
                        "empty",
                    )
                });
            }
            // A community stands for its audiences.
            let mut listed: Vec<AudienceIx> = Vec::with_capacity(audiences.len());
            let mut named = BTreeSet::new();
            for (j, a) in audiences.iter().enumerate() {
                if !named.insert(a.as_str()) {
                    self.report(|| {
                        Problem::new(
                            at.path().key("audiences").index(j),
                            format!("`{a}` is listed twice"),
                            "again",
                        )
                    });
                    continue;
                }
                if let Some(ci) = ids.communities.get(a) {
                    listed.extend(members.get(&ci).into_iter().flatten().copied());
                    continue;
                }
                let ix = self.refer(&ids.audiences, "audience", a, || {
                    at.path().key("audiences").index(j)
                });
                listed.push(AudienceIx(ix.unwrap_or(UNRESOLVED)));
            }
            // An audience named and also in a community named: once.
            let mut seen = BTreeSet::new();
            listed.retain(|a| *a == AudienceIx(UNRESOLVED) || seen.insert(*a));
            let audiences = listed;
            let mut countries: Vec<CountryIx> = audiences
                .iter()
                .filter_map(|a| audience_defs.get(a.i()).map(|d| d.country))
                .collect();
            countries.sort();
            countries.dedup();
            out.push(NarrativeDef {
                id: id.as_str().into(),
                title: title.clone(),
                audiences,
                countries,
                virality: virality.0,
                seed_reach: seed_reach.0,
                exploits: exploits.clone(),
            });
        }
        out
    }

    /// Campaigns with their steps, and each campaign's step ids with their positions.
    fn campaigns<'s>(
        &mut self,
        s: &'s Scenario,
        w: &World<'_, 's>,
    ) -> (Vec<CampaignDef>, Vec<Table<'s, u16>>) {
        let mut out = Vec::with_capacity(s.campaigns.len());
        let mut step_ids = Vec::with_capacity(s.campaigns.len());
        for (c, cp) in s.campaigns.iter().enumerate() {
            let at = |field| ValuePath::of("campaigns").index(c).key(field);
            let actor = self.refer(&w.ids.actors, "actor", &cp.actor, || at("actor"));
            if cp.steps.is_empty() {
                self.report(|| {
                    Problem::new(
                        at("steps"),
                        format!("campaign `{}` has no steps", cp.id),
                        "empty campaign",
                    )
                });
            }
            self.fits(
                cp.steps.len(),
                STEP_POSITIONS.len(),
                |n, max| format!("campaign `{}` has {n} steps; at most {max}", cp.id),
                |k| step_path(c, k),
            );
            // Steps so far, by id: a step can only wait for an earlier one.
            let mut earlier = Table::with_capacity(cp.steps.len());
            let mut steps = Vec::with_capacity(cp.steps.len());
            for ((k, st), pos) in cp.steps.iter().enumerate().zip(STEP_POSITIONS) {
                let after = match st.after.as_deref() {
                    _ if st.follows.is_some() => {
                        if st.after.is_some() {
                            self.report(|| {
                                Problem::new(
                                    step_path(c, k).key("follows"),
                                    "a step waits for one step: `after` (one of its campaign's) or `follows` (another campaign's), not both",
                                    "both after and follows",
                                )
                            });
                        }
                        None
                    }
                    Some(CAMPAIGN_START) => None,
                    Some(a) => {
                        let found = earlier.get(a);
                        if found.is_none() {
                            self.report(|| unknown_or_later_step(cp, st, a, &earlier, c, k));
                        }
                        found
                    }
                    None => pos.checked_sub(1),
                };
                if st.id == CAMPAIGN_START {
                    self.report(|| {
                        Problem::new(
                            step_path(c, k).key("id"),
                            format!("`{CAMPAIGN_START}` is reserved for the campaign's start"),
                            "reserved step id",
                        )
                    });
                }
                if !earlier.insert(&st.id, pos) {
                    self.report(|| {
                        Problem::new(
                            step_path(c, k).key("id"),
                            format!("step id `{}` is used twice in campaign `{}`", st.id, cp.id),
                            "duplicate",
                        )
                    });
                }
                let action = self.effect(
                    &st.action,
                    ActionAt::Step {
                        campaign: c,
                        step: k,
                    },
                    w,
                );
                steps.push(StepDef {
                    id: st.id.as_str().into(),
                    after,
                    // Resolved by `follows` once every campaign's steps are known.
                    follows: None,
                    next: Vec::new(),
                    delay: st.delay,
                    success: st.success.0,
                    action,
                    premise: st.premise,
                    accident: st.accident,
                    note: st.note.clone(),
                });
            }
            out.push(CampaignDef {
                id: cp.id.as_str().into(),
                name: cp.name.clone(),
                actor: ActorIx(actor.unwrap_or(UNRESOLVED)),
                start: cp.start,
                steps,
            });
            step_ids.push(earlier);
        }
        (out, step_ids)
    }

    /// Each step's `follows` (a step of another campaign), then every
    /// step's `next`: the steps that wait for it.
    fn follows(
        &mut self,
        s: &Scenario,
        ids: &Ids,
        step_ids: &[Table<u16>],
        campaigns: &mut [CampaignDef],
    ) {
        for (c, cp) in s.campaigns.iter().enumerate() {
            for (k, st) in cp.steps.iter().enumerate() {
                let Some(of) = &st.follows else { continue };
                let at = || step_path(c, k).key("follows");
                let oc = self.refer(&ids.campaigns, "campaign", &of.campaign, || {
                    at().key("campaign")
                });
                if oc == Some(c as u32) {
                    self.report(|| {
                        Problem::new(
                            at().key("campaign"),
                            "`follows` names another campaign's step; within a campaign, use `after`",
                            "its own campaign",
                        )
                    });
                }
                let os = oc.and_then(|oc| {
                    let steps = step_ids.get(CampaignIx(oc).i())?;
                    self.refer(steps, "step", &of.step, || at().key("step"))
                });
                if let (Some(oc), Some(os), Some(def)) = (
                    oc,
                    os,
                    campaigns.get_mut(c).and_then(|d| d.steps.get_mut(k)),
                ) {
                    def.follows = Some(StepRef {
                        campaign: CampaignIx(oc),
                        step: os,
                    });
                }
            }
        }
        let mut next: Vec<(StepRef, StepRef)> = Vec::new();
        for (c, cp) in campaigns.iter().enumerate() {
            for (j, st) in cp.steps.iter().enumerate() {
                let me = StepRef::at(CampaignIx::at(c), j);
                if let Some(k) = st.after {
                    next.push((StepRef::at(CampaignIx::at(c), usize::from(k)), me));
                }
                if let Some(of) = st.follows {
                    next.push((of, me));
                }
            }
        }
        for (of, me) in next {
            if let Some(def) = campaigns
                .get_mut(of.campaign.i())
                .and_then(|d| d.steps.get_mut(of.step as usize))
            {
                def.next.push(me);
            }
        }
        // Steps reachable from those that wait for nothing; any other waits,
        // through `follows`, on itself and would never run.
        let mut reached: Vec<Vec<bool>> = campaigns
            .iter()
            .map(|c| vec![false; c.steps.len()])
            .collect();
        let mut todo: Vec<StepRef> = Vec::new();
        for (c, cp) in campaigns.iter().enumerate() {
            for (j, st) in cp.steps.iter().enumerate() {
                if st.after.is_none() && st.follows.is_none() {
                    reached[c][j] = true;
                    todo.push(StepRef::at(CampaignIx::at(c), j));
                }
            }
        }
        while let Some(s) = todo.pop() {
            for &n in &campaigns[s.campaign.i()].steps[s.step as usize].next {
                let seen = &mut reached[n.campaign.i()][n.step as usize];
                if !*seen {
                    *seen = true;
                    todo.push(n);
                }
            }
        }
        for (c, cp) in s.campaigns.iter().enumerate() {
            for (k, st) in cp.steps.iter().enumerate() {
                let resolved = campaigns[c]
                    .steps
                    .get(k)
                    .is_some_and(|d| d.follows.is_some());
                if resolved && !reached[c][k] {
                    self.report(|| {
                        Problem::new(
                            step_path(c, k).key("follows"),
                            format!(
                                "step `{}` waits, through `follows`, on itself: it would never run",
                                st.id
                            ),
                            "a circle of steps",
                        )
                    });
                }
            }
        }
    }

    /// What an action does, resolved.
    fn effect(&mut self, a: &Action, at: ActionAt, w: &World) -> Effect {
        let field = |name: &'static str| move || at.path().key(name);
        let node = |r: &mut Self, role, id: &str, name| {
            NodeIx(
                r.refer(&w.ids.nodes, role, id, field(name))
                    .unwrap_or(UNRESOLVED),
            )
        };
        match a {
            Action::Intrusion { target, since } => Effect::Intrusion {
                target: node(self, "target", target, "target"),
                since: since.unwrap_or(Duration(0)),
            },
            Action::Disrupt { target, severity } => Effect::Disrupt {
                target: node(self, "target", target, "target"),
                severity: severity.0,
            },
            Action::Sabotage { target, severity } => Effect::Sabotage {
                target: node(self, "target", target, "target"),
                severity: severity.0,
            },
            Action::Wiper {
                seeds,
                spread,
                hop_delay,
                max_nodes,
                scan,
            } => self.malware(
                Malware::Wiper,
                seeds,
                spread.0,
                *hop_delay,
                *max_nodes,
                scan,
                at,
                w,
            ),
            Action::Ransomware {
                seeds,
                spread,
                hop_delay,
                max_nodes,
                scan,
            } => {
                if spread.0 > 0.0 && hop_delay.is_none() {
                    self.report(|| {
                        Problem::new(
                            field("spread")(),
                            "ransomware that spreads needs a hop_delay (how long each hop takes)",
                            "no hop_delay",
                        )
                    });
                }
                // Without a spread the hop delay is never drawn.
                let hop = hop_delay.unwrap_or(crate::engine::Dist::Fixed(Duration(3600)));
                self.malware(
                    Malware::Ransomware,
                    seeds,
                    spread.0,
                    hop,
                    *max_nodes,
                    scan,
                    at,
                    w,
                )
            }
            Action::ElectionAttack {
                target,
                severity,
                leak,
            } => {
                let target_ix = node(self, "target", target, "target");
                if let Some(def) = w.nodes.get(target_ix.i())
                    && def.sector != Sector::Elections
                {
                    self.report(|| {
                        Problem::new(
                            field("target")(),
                            format!(
                                "an ElectionAttack needs an elections node; `{target}` is {}",
                                def.sector.name()
                            ),
                            "not an election system",
                        )
                        .help("use Disrupt for other sectors")
                    });
                }
                let leak = leak.as_ref().map(|n| {
                    let ix = self.refer(&w.ids.narratives, "narrative", n, field("leak"));
                    NarrativeIx(ix.unwrap_or(UNRESOLVED))
                });
                Effect::ElectionAttack {
                    target: target_ix,
                    severity: severity.0,
                    leak,
                }
            }
            Action::Release {
                country,
                site,
                agent,
                exposed,
                severe,
                lethality,
                moderate,
                worried_well,
                suspected,
            } => {
                let country_ix = self.refer(&w.ids.countries, "country", country, field("country"));
                let population = country_ix.and_then(|k| w.countries.get(CountryIx(k).i()));
                if severe.0 + moderate.0 > 1.0 {
                    self.report(|| {
                        Problem::new(
                            field("moderate")(),
                            "severe and moderate are shares of the same exposed people: together at most 1",
                            "more than all the exposed",
                        )
                    });
                }
                let worried = f64::from(*exposed) * worried_well;
                let worried_ok = (0.0..=1e9).contains(&worried);
                if !worried_ok {
                    self.report(|| {
                        Problem::new(
                            field("worried_well")(),
                            "worried well per exposed person must be 0 or more, and at most a billion people in all",
                            "not a count of people",
                        )
                    });
                } else if population
                    .is_some_and(|c| f64::from(*exposed) + worried > c.population as f64)
                {
                    self.report(|| {
                        Problem::new(
                            field("worried_well")(),
                            "the exposed and the worried well cannot be more people than the country has",
                            "more than the population",
                        )
                    });
                }
                if *exposed == 0 {
                    self.report(|| {
                        Problem::new(
                            field("exposed")(),
                            "a release must expose at least one person",
                            "zero",
                        )
                    });
                } else if population.is_some_and(|c| u64::from(*exposed) > c.population) {
                    self.report(|| {
                        Problem::new(
                            field("exposed")(),
                            "a release cannot expose more people than the country has",
                            "more than the population",
                        )
                    });
                }
                let site = site.as_ref().map(|n| node(self, "site", n, "site"));
                Effect::Release {
                    country: CountryIx(country_ix.unwrap_or(UNRESOLVED)),
                    site,
                    agent: match agent {
                        Agent::Chemical(_) => AgentKind::Chemical,
                        Agent::IndustrialChemical(_) => AgentKind::IndustrialChemical,
                        Agent::VolatileNerveAgent(_) => AgentKind::VolatileNerveAgent,
                        Agent::PersistentNerveAgent(_) => AgentKind::PersistentNerveAgent,
                        Agent::Biological(_) => AgentKind::Biological,
                        Agent::Radiological(_) => AgentKind::Radiological,
                    },
                    agent_name: agent.describe().to_string(),
                    exposed: *exposed,
                    severe: severe.0,
                    lethality: lethality.0,
                    moderate: moderate.0,
                    // Checked above to be a count of people; 0 when it was not.
                    worried_well: if worried_ok {
                        worried.round() as u32
                    } else {
                        0
                    },
                    suspected: *suspected,
                }
            }
            // Declared, and its audiences resolved, by `narratives`.
            Action::Narrative { id, .. } => {
                Effect::Narrative(NarrativeIx(w.ids.narratives.get(id).unwrap_or(UNRESOLVED)))
            }
            Action::Leak { from, narrative } => Effect::Leak {
                from: {
                    // What a leak publishes, a campaign stole: exercise
                    // control has no foothold of its own.
                    if let ActionAt::Effect { .. } = at {
                        self.report(|| {
                            Problem::new(
                                at.path(),
                                "a leak publishes what a campaign's foothold stole: write it in that campaign's steps",
                                "a leak in an inject",
                            )
                            .help("to publish a document as exercise control, launch a `Narrative`")
                        });
                    }
                    node(self, "node", from, "from")
                },
                narrative: NarrativeIx(
                    self.refer(
                        &w.ids.narratives,
                        "narrative",
                        narrative,
                        field("narrative"),
                    )
                    .unwrap_or(UNRESOLVED),
                ),
            },
            // Exercise control's own acts are resolved with the inject
            // (`injects`); a campaign does not take the Union's decisions
            // nor stop campaigns.
            Action::Decide(_) | Action::Halt { .. } => {
                self.report(|| {
                    Problem::new(
                        at.path(),
                        "decisions and halts are exercise control's to script, in an inject's effect, not a campaign step's",
                        "exercise control's act in a campaign step",
                    )
                });
                Effect::Narrative(NarrativeIx(UNRESOLVED))
            }
            Action::Amplify {
                narrative,
                factor,
                duration,
            } => {
                let ix = self.refer(
                    &w.ids.narratives,
                    "narrative",
                    narrative,
                    field("narrative"),
                );
                if !(factor.is_finite() && *factor > 0.0 && *factor <= 100.0) {
                    self.report(|| {
                        Problem::new(
                            field("factor")(),
                            "an amplification factor is a number above 0 and at most 100",
                            "out of range",
                        )
                    });
                }
                Effect::Amplify {
                    narrative: NarrativeIx(ix.unwrap_or(UNRESOLVED)),
                    factor: *factor,
                    duration: *duration,
                }
            }
        }
    }

    /// Malware of `kind` seeded in `seeds`.
    #[allow(clippy::too_many_arguments)]
    fn malware(
        &mut self,
        kind: Malware,
        seeds: &[Id],
        spread: f64,
        hop_delay: crate::engine::Dist,
        max_nodes: Option<u32>,
        scan: &Option<Scan>,
        at: ActionAt,
        w: &World,
    ) -> Effect {
        let scan = self.scan(scan, at, w);
        if seeds.is_empty() {
            self.report(|| {
                Problem::new(
                    at.path().key("seeds"),
                    format!("{} needs at least one seed node", kind.name()),
                    "empty",
                )
            });
        }
        let seeds = seeds
            .iter()
            .enumerate()
            .map(|(j, n)| {
                let ix = self.refer(&w.ids.nodes, "seed node", n, || {
                    at.path().key("seeds").index(j)
                });
                NodeIx(ix.unwrap_or(UNRESOLVED))
            })
            .collect();
        Effect::Malware {
            kind,
            seeds,
            spread,
            hop_delay,
            max_nodes: max_nodes.unwrap_or(u32::MAX),
            scan,
        }
    }

    /// A scanning worm's targets (in node order) and probes per node.
    fn scan(&mut self, scan: &Option<Scan>, at: ActionAt, w: &World) -> Option<(Vec<NodeIx>, u32)> {
        let sc = scan.as_ref()?;
        let path = || at.path().key("scan");
        let countries: Vec<CountryIx> = sc
            .countries
            .iter()
            .enumerate()
            .filter_map(|(j, c)| {
                self.refer(&w.ids.countries, "country", c, || {
                    path().key("countries").index(j)
                })
                .map(CountryIx)
            })
            .collect();
        let targets: Vec<NodeIx> = w
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                (sc.sectors.is_empty() || sc.sectors.contains(&d.sector))
                    && (sc.countries.is_empty() || countries.contains(&d.country))
            })
            .map(|(k, _)| NodeIx::at(k))
            .collect();
        if targets.is_empty() || !(1..=100).contains(&sc.probes) {
            self.report(|| {
                Problem::new(
                    path(),
                    "a scanning worm needs nodes to scan (of its sectors, in its countries) and 1 to 100 probes per node",
                    "nothing to scan",
                )
            });
        }
        Some((targets, sc.probes))
    }

    /// An objective's node set; `at` is the path of its `nodes` list, whose
    /// nodes must be of its sector and country where it names them.
    fn node_set(
        &mut self,
        sector: Option<Sector>,
        country: Option<CountryIx>,
        named: &Option<Vec<Id>>,
        w: &World,
        at: impl Fn() -> ValuePath,
    ) -> NodeSet {
        let nodes = named.as_ref().map(|named| {
            if named.is_empty() {
                self.report(|| {
                    Problem::new(
                        at(),
                        "name at least one node, or leave `nodes` out",
                        "empty",
                    )
                });
            }
            let mut v = Vec::with_capacity(named.len());
            for (j, n) in named.iter().enumerate() {
                let Some(k) = self.refer(&w.ids.nodes, "infrastructure node", n, || at().index(j))
                else {
                    continue;
                };
                let d = &w.nodes[NodeIx(k).i()];
                if sector.is_some_and(|s| s != d.sector) || country.is_some_and(|c| c != d.country)
                {
                    self.report(|| {
                        Problem::new(
                            at().index(j),
                            format!(
                                "`{n}` is not among the objective's nodes: it is {} in {}",
                                d.sector.name(),
                                w.countries[d.country.i()].id
                            ),
                            "outside the sector or country",
                        )
                    });
                }
                v.push(NodeIx(k));
            }
            v.sort();
            v.dedup();
            v
        });
        NodeSet {
            sector,
            country,
            nodes,
        }
    }

    /// A decision exercise control scripts in inject `k`'s effect.
    fn scripted(&mut self, d: &Scripted, k: usize, w: &World) -> Decision {
        let at = || ValuePath::of("msel").index(k).key("effect").index(0);
        let country = |r: &mut Self, id: &str, at: ValuePath| {
            CountryIx(
                r.refer(&w.ids.countries, "country", id, || at)
                    .unwrap_or(UNRESOLVED),
            )
        };
        match d {
            Scripted::InvokeSolidarity(c) => {
                let k = country(self, c, at().index(0));
                if w.countries.get(k.i()).is_some_and(|d| !d.eu) {
                    self.report(|| {
                        Problem::new(
                            at().index(0),
                            format!("`{c}` is not an EU member state: Art. 222 TFEU binds the Union and its members"),
                            "not in the EU",
                        )
                    });
                }
                Decision::Solidarity(k)
            }
            Scripted::RequestUcpm { country: c, need } => {
                Decision::UcpmRequest(country(self, c, at().key("country")), *need)
            }
            Scripted::RequestCyberReserve(c) => {
                let k = country(self, c, at().index(0));
                if w.countries
                    .get(k.i())
                    .is_some_and(|d| !d.eu && !d.digital_europe)
                {
                    self.report(|| {
                        Problem::new(
                            at().index(0),
                            format!("`{c}` is neither an EU member state nor associated to the Digital Europe Programme: the EU Cybersecurity Reserve cannot serve it"),
                            "not served by the Reserve",
                        )
                        .help("set `digital_europe: true` on the country if it is associated (Reg. (EU) 2025/38, Art. 14(2))")
                    });
                }
                Decision::CyberReserveRequest(k)
            }
            Scripted::RequestHrrt(c) => Decision::HrrtRequest(country(self, c, at().index(0))),
            Scripted::RaiseIpcr(mode) => {
                if *mode < crate::playbook::IpcrMode::InformationSharing {
                    self.report(|| {
                        Problem::new(
                            at().index(0),
                            "IPCR is raised to InformationSharing or FullActivation",
                            "not a mode to raise to",
                        )
                    });
                }
                Decision::Ipcr(*mode)
            }
            Scripted::Attribute => Decision::Attribution,
            Scripted::AdoptMeasures => Decision::RestrictiveMeasures,
        }
    }

    fn injects(&mut self, s: &Scenario, w: &World, step_ids: &[Table<u16>]) -> Vec<InjectDef> {
        self.fits(
            s.msel.len(),
            ENTITY_POSITIONS.len(),
            |n, max| format!("{n} injects; the compiled world holds at most {max}"),
            |k| ValuePath::of("msel").index(k),
        );
        let ids = w.ids;
        let mut numbers = BTreeSet::new();
        let mut out = Vec::with_capacity(s.msel.len());
        for (k, inj) in s.msel.iter().enumerate() {
            let at = |field| ValuePath::of("msel").index(k).key(field);
            if !numbers.insert(inj.number) {
                self.report(|| {
                    Problem::new(
                        at("number"),
                        format!("inject number {} is used twice", inj.number),
                        "duplicate",
                    )
                    .help("inject numbers must be unique")
                });
            }
            self.refer(&ids.senders, "sender", &inj.from, || at("from"));
            self.refer(&ids.senders, "recipient", &inj.to, || at("to"));
            let objective = inj.objective.as_ref().map(|o| {
                let ix = self.refer(&ids.objectives, "objective", o, || at("objective"));
                ObjectiveIx(ix.unwrap_or(UNRESOLVED))
            });
            let when = match &inj.at {
                InjectTime::Time(_) => None,
                InjectTime::When(cond) => {
                    Some(self.trigger(cond, ids, step_ids, || at("at").index(0)))
                }
            };
            let (effect, control) = match &inj.effect {
                None => (None, None),
                Some(Action::Decide(d)) => (None, Some(ControlAct::Decide(self.scripted(d, k, w)))),
                Some(Action::Halt { campaign }) => {
                    let c = self.refer(&ids.campaigns, "campaign", campaign, || {
                        at("effect").index(0).key("campaign")
                    });
                    (
                        None,
                        Some(ControlAct::Halt(CampaignIx(c.unwrap_or(UNRESOLVED)))),
                    )
                }
                Some(a) => (
                    Some(self.effect(a, ActionAt::Effect { inject: k }, w)),
                    None,
                ),
            };
            out.push(InjectDef {
                inject: inj.clone(),
                when,
                objective,
                effect,
                control,
            });
        }
        out
    }

    /// A resolved inject condition; `at` is the path of the condition.
    fn trigger(
        &mut self,
        cond: &Condition,
        ids: &Ids,
        step_ids: &[Table<u16>],
        at: impl Fn() -> ValuePath,
    ) -> Trigger {
        match cond {
            Condition::NodeDown(n) => {
                let ix = self.refer(&ids.nodes, "infrastructure node", n, || at().index(0));
                Trigger::NodeDown(NodeIx(ix.unwrap_or(UNRESOLVED)))
            }
            Condition::StepSucceeded { campaign, step } => {
                let c = self.refer(&ids.campaigns, "campaign", campaign, || {
                    at().key("campaign")
                });
                // The step is looked up only in a campaign that exists.
                let k = c.and_then(|c| {
                    let steps = step_ids.get(CampaignIx(c).i())?;
                    self.refer(steps, "step", step, || at().key("step"))
                });
                Trigger::StepSucceeded(StepRef {
                    campaign: CampaignIx(c.unwrap_or(UNRESOLVED)),
                    step: k.unwrap_or(u16::MAX),
                })
            }
            Condition::CasualtiesAbove(n) => Trigger::CasualtiesAbove(*n),
            Condition::ReachAbove { narrative, share } => {
                let ix = self.refer(&ids.narratives, "narrative", narrative, || {
                    at().key("narrative")
                });
                Trigger::ReachAbove(NarrativeIx(ix.unwrap_or(UNRESOLVED)), share.0)
            }
            Condition::TrustBelow { country, trust } => {
                let ix = self.refer(&ids.countries, "country", country, || at().key("country"));
                Trigger::TrustBelow(CountryIx(ix.unwrap_or(UNRESOLVED)), trust.0)
            }
            Condition::Ipcr(mode) => Trigger::Ipcr(*mode),
            Condition::Solidarity => Trigger::Solidarity,
            Condition::Attributed => Trigger::Attributed,
            Condition::RapidAlert => Trigger::RapidAlert,
            Condition::AgentIdentified => Trigger::AgentIdentified,
            Condition::AgentConfirmed => Trigger::AgentConfirmed,
        }
    }

    fn objectives(&mut self, s: &Scenario, w: &World) -> Vec<ObjectiveDef> {
        let ids = w.ids;
        let mut out = Vec::with_capacity(s.objectives.len());
        for (i, o) in s.objectives.iter().enumerate() {
            let at = |field| {
                ValuePath::of("objectives")
                    .index(i)
                    .key("criterion")
                    .key(field)
            };
            let country = |r: &mut Self, k: &Option<String>| {
                k.as_ref().map(|k| {
                    let ix = r.refer(&ids.countries, "country", k, || at("country"));
                    CountryIx(ix.unwrap_or(UNRESOLVED))
                })
            };
            let criterion = match &o.criterion {
                Criterion::DetectWithin { campaign, within } => {
                    let ix = self.refer(&ids.campaigns, "campaign", campaign, || at("campaign"));
                    Measure::DetectWithin {
                        campaign: CampaignIx(ix.unwrap_or(UNRESOLVED)),
                        within: *within,
                    }
                }
                Criterion::RestoreWithin {
                    sector,
                    country: k,
                    nodes: named,
                    within,
                } => {
                    let c = country(self, k);
                    Measure::RestoreWithin {
                        of: self.node_set(Some(*sector), c, named, w, || at("nodes")),
                        within: *within,
                    }
                }
                Criterion::ServiceLossBelow {
                    sector,
                    country: k,
                    nodes: named,
                    node_hours,
                } => {
                    if !(node_hours.is_finite() && *node_hours >= 0.0) {
                        self.report(|| {
                            Problem::new(
                                at("node_hours"),
                                "node_hours must be a number of hours, 0 or more",
                                "invalid",
                            )
                        });
                    }
                    let c = country(self, k);
                    Measure::ServiceLossBelow {
                        of: self.node_set(*sector, c, named, w, || at("nodes")),
                        node_hours: *node_hours,
                    }
                }
                Criterion::IdentifyWithin { within } => Measure::IdentifyWithin { within: *within },
                Criterion::CasualtiesBelow { deaths } => {
                    Measure::CasualtiesBelow { deaths: *deaths }
                }
                Criterion::TrustAbove { country: k, trust } => {
                    let ix = self.refer(&ids.countries, "country", k, || at("country"));
                    Measure::TrustAbove {
                        country: CountryIx(ix.unwrap_or(UNRESOLVED)),
                        trust: trust.0,
                    }
                }
                Criterion::ReachBelow { narrative, share } => {
                    let ix =
                        self.refer(&ids.narratives, "narrative", narrative, || at("narrative"));
                    Measure::ReachBelow {
                        narrative: NarrativeIx(ix.unwrap_or(UNRESOLVED)),
                        share: share.0,
                    }
                }
            };
            out.push(ObjectiveDef {
                id: o.id.as_str().into(),
                title: o.title.clone(),
                description: o.description.clone(),
                criterion,
            });
        }
        out
    }
}

/// A step's `after` names no earlier step of its campaign.
fn unknown_or_later_step(
    cp: &Campaign,
    st: &Step,
    after: &str,
    earlier: &Table<u16>,
    c: usize,
    k: usize,
) -> Problem {
    let message = if cp.steps.iter().any(|x| x.id == after) {
        format!(
            "step `{}` waits for `{after}`, which comes later; a step can only wait for an earlier one",
            st.id
        )
    } else {
        format!("campaign `{}` has no step `{after}`", cp.id)
    };
    let p = Problem::new(
        step_path(c, k).key("after"),
        message,
        "unknown or later step",
    );
    match nearest(after, earlier.ids().iter().copied()) {
        Some(n) => p.help(format!("did you mean `{n}`?")),
        None => p,
    }
}

/// The catalog from resolved sections, with the indexes the run needs:
/// each node's supply edges, each country's nodes and hospitals, and the
/// network malware spreads along. Only called when every reference resolved.
#[allow(clippy::too_many_arguments)]
fn assemble(
    s: &Scenario,
    countries: Vec<CountryDef>,
    actors: Vec<ActorDef>,
    nodes: Vec<NodeDef>,
    deps: Vec<DepDef>,
    audiences: Vec<AudienceDef>,
    narratives: Vec<NarrativeDef>,
    campaigns: Vec<CampaignDef>,
    injects: Vec<InjectDef>,
    objectives: Vec<ObjectiveDef>,
) -> Catalog {
    let mut supplies = vec![Vec::new(); nodes.len()];
    let mut network = UnGraph::with_capacity(nodes.len(), deps.len());
    let mut country_nodes = vec![Vec::new(); countries.len()];
    let mut health_nodes = vec![Vec::new(); countries.len()];
    for (ix, n) in ENTITY_POSITIONS.map(NodeIx).zip(&nodes) {
        network.add_node(ix);
        country_nodes[n.country.i()].push(ix);
        if n.sector == Sector::Health {
            health_nodes[n.country.i()].push(ix);
        }
    }
    for (e, d) in ENTITY_POSITIONS.map(EdgeIx).zip(&deps) {
        supplies[d.supplier.i()].push(e);
        network.add_edge(
            NodeIndex::new(d.supplier.i()),
            NodeIndex::new(d.dependent.i()),
            e,
        );
    }
    Catalog {
        name: s.name.clone(),
        description: s.description.clone(),
        start: s.start.0,
        duration: s.duration,
        default_seed: s.seed,
        playbooks: s.playbooks.clone(),
        countries,
        actors,
        nodes,
        deps,
        supplies,
        country_nodes,
        health_nodes,
        network,
        audiences,
        narratives,
        campaigns,
        injects,
        objectives,
        response: crate::playbook::Response::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;

    fn mini() -> Scenario {
        let text = include_str!("../../tests/data/mini.ron");
        crate::input::load::parse(&SourceFile::new("mini.ron", text), "Scenario").unwrap()
    }

    fn paths(s: &Scenario) -> Vec<String> {
        let problems = resolve(s).unwrap_err();
        problems.found.iter().map(|p| p.at.to_string()).collect()
    }

    #[test]
    fn problems_name_the_path_of_the_value_at_fault() {
        let mut s = mini();
        s.infrastructure.dependencies[3].dependent = "nowhere".into();
        s.campaigns[0].steps[1].action = Action::Disrupt {
            target: "EE-gird".into(),
            severity: Fraction(1.0),
        };
        s.msel[1].to = "XX".into();
        s.objectives[5].criterion = Criterion::ServiceLossBelow {
            sector: None,
            country: Some("EE".into()),
            nodes: None,
            node_hours: -1.0,
        };
        assert_eq!(
            paths(&s),
            [
                "infrastructure.dependencies[3].dependent",
                "campaigns[0].steps[1].action.target",
                "msel[1].to",
                "objectives[5].criterion.node_hours",
            ]
        );
    }

    #[test]
    fn references_into_empty_lists_are_problems_not_panics() {
        let mut s = mini();
        s.countries.clear();
        s.infrastructure.nodes.clear();
        s.audiences.clear();
        s.actors.clear();
        let found = paths(&s);
        assert!(
            found.contains(&"campaigns[0].steps[0].action.target".to_string()),
            "{found:?}"
        );
        assert!(found.contains(&"msel[1].at[0][0]".to_string()), "{found:?}");
    }

    #[test]
    fn the_cyber_reserve_is_scripted_only_for_a_state_it_may_serve() {
        let mut s = mini();
        let inject = |c: &str| {
            crate::scenario::model::Action::Decide(Scripted::RequestCyberReserve(c.into()))
        };
        s.countries[1].eu = false;
        s.msel[0].effect = Some(inject(s.countries[1].id.as_str()));
        assert_eq!(paths(&s), ["msel[0].effect[0][0]"]);
        s.countries[1].digital_europe = true;
        assert!(resolve(&s).is_ok(), "an associated third country may ask");
    }

    #[test]
    fn only_a_third_country_is_associated_to_digital_europe() {
        let mut s = mini();
        s.countries[0].digital_europe = true;
        assert!(s.countries[0].eu, "mini's first country is a member state");
        assert_eq!(paths(&s), ["countries[0].digital_europe"]);
        s.countries[0].eu = false;
        let cat = resolve(&s).unwrap();
        assert!(cat.countries[0].digital_europe && !cat.countries[0].eu);
    }

    #[test]
    fn a_community_stands_for_its_audiences_and_is_checked() {
        let community = |id: &str, audiences: &[&str]| crate::scenario::model::Community {
            id: id.into(),
            name: "Russian-language media space".into(),
            audiences: audiences.iter().map(|a| a.to_string()).collect(),
        };
        let mut s = mini();
        s.communities = vec![community("ru", &["EE-ru", "LV-all"])];
        if let Action::Narrative { audiences, .. } = &mut s.campaigns[2].steps[0].action {
            *audiences = vec!["ru".into(), "EE-ru".into()];
        } else {
            panic!("mini's third campaign launches a narrative first");
        }
        let cat = resolve(&s).unwrap();
        assert_eq!(
            cat.narratives[0].audiences,
            [AudienceIx(0), AudienceIx(1)],
            "the community's members, each once"
        );
        assert!(cat.audiences.iter().all(|a| a.community == Some(0)));

        s.communities = vec![
            community("EE-ru", &["EE-ru", "LV-all"]),
            community("one", &["LV-all"]),
            community("typo", &["EE-rus", "LV-all"]),
            community("twice", &["EE-ru", "EE-ru"]),
        ];
        assert_eq!(
            paths(&s),
            [
                "communities[0].id",
                "communities[1].audiences",
                "communities[1].audiences[0]",
                "communities[2].audiences[0]",
                "communities[2].audiences[1]",
                "communities[3].audiences[0]",
                "communities[3].audiences[1]",
                // `ru` is gone: an unknown audience.
                "campaigns[2].steps[0].action.audiences[0]",
            ]
        );

        let mut s = mini();
        if let Action::Narrative { audiences, .. } = &mut s.campaigns[2].steps[0].action {
            *audiences = vec!["EE-ru".into(), "LV-all".into(), "EE-ru".into()];
        }
        assert_eq!(paths(&s), ["campaigns[2].steps[0].action.audiences[2]"]);

        // A community inside a community is named as such.
        let mut s = mini();
        s.communities = vec![
            community("ru", &["EE-ru", "LV-all"]),
            community("outer", &["ru", "LV-all"]),
        ];
        let problems = resolve(&s).unwrap_err();
        let nested = problems
            .found
            .iter()
            .find(|p| p.at.to_string() == "communities[1].audiences[0]")
            .expect("the nested community is a problem");
        assert!(
            nested.message.contains("is a community"),
            "{}",
            nested.message
        );

        // A community named twice is refused like an audience named twice.
        let mut s = mini();
        s.communities = vec![community("ru", &["EE-ru", "LV-all"])];
        if let Action::Narrative { audiences, .. } = &mut s.campaigns[2].steps[0].action {
            *audiences = vec!["ru".into(), "ru".into()];
        }
        assert_eq!(paths(&s), ["campaigns[2].steps[0].action.audiences[1]"]);
    }

    #[test]
    fn past_the_limit_problems_are_counted_not_kept() {
        let mut s = mini();
        let bad = Dependency {
            supplier: "nope".into(),
            ..s.infrastructure.dependencies[0].clone()
        };
        s.infrastructure.dependencies = vec![bad; 250];
        let problems = resolve(&s).unwrap_err();
        assert_eq!((problems.found.len(), problems.more), (MAX_PROBLEMS, 150));
    }

    #[test]
    fn a_valid_scenario_compiles_to_indices_in_file_order() {
        let cat = resolve(&mini()).unwrap();
        let grid = NodeIx(0);
        assert_eq!(&*cat.nodes[grid.i()].id, "EE-grid");
        assert_eq!(cat.country_nodes[0], (0..4).map(NodeIx).collect::<Vec<_>>());
        assert_eq!(cat.health_nodes[0], [NodeIx(3)]);
        assert_eq!(cat.supplies[grid.i()], [EdgeIx(0), EdgeIx(2), EdgeIx(3)]);
        assert_eq!(cat.neighbours(grid), [NodeIx(1), NodeIx(3), NodeIx(4)]);
        // `wipe` waits for `phish`; the others for the step before.
        let afters: Vec<_> = cat.campaigns[0].steps.iter().map(|s| s.after).collect();
        assert_eq!(afters, [None, Some(0), Some(0)]);
        assert!(matches!(
            cat.injects[1].when,
            Some(Trigger::NodeDown(NodeIx(0)))
        ));
        assert_eq!(&*cat.narratives[0].id, "blackout");
        assert_eq!(cat.narratives[0].countries, [CountryIx(0), CountryIx(1)]);
    }
}
