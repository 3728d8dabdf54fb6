//! Property test: random *valid* scenarios (1-4 real countries, up to 15
//! nodes in random sectors with random dependencies, audiences, campaigns
//! with every kind of action, every timing distribution, timed and
//! conditional injects, every kind of objective) are written as RON, and
//! each must validate, run without a panic, replay to the same log-hash and
//! keep the event log's invariants.
//!
//! The generator resolves every reference by position (`pick % len`), so all
//! generated scenarios are valid by construction and shrink toward the first
//! entity of each list. A failing scenario is saved as
//! `target/tmp/pacesim-property-failure.ron`.

use std::fmt::Write as _;
use std::path::PathBuf;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::test_runner::FileFailurePersistence;
use serde_json::Value;

use crate::util::{check_log, check_times, pacesim, parse_log, sha256_hex, tempdir};

const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

/// Real ISO 3166 codes: (code, name).
const COUNTRIES: &[(&str, &str)] = &[
    ("EE", "Estonia"),
    ("LV", "Latvia"),
    ("LT", "Lithuania"),
    ("FI", "Finland"),
    ("PL", "Poland"),
    ("DE", "Germany"),
    ("SE", "Sweden"),
    ("FR", "France"),
    ("NO", "Norway"),
    ("RO", "Romania"),
];
const SECTORS: &[&str] = &[
    "Energy",
    "Telecom",
    "Finance",
    "Transport",
    "Health",
    "Water",
    "Government",
    "Elections",
    "Media",
];
const ACTOR_KINDS: &[&str] = &[
    "ThreatActor",
    "Proxy",
    "Company",
    "Media",
    "Authority",
    "SimCell",
];
const METHODS: &[&str] = &[
    "Email",
    "Phone",
    "Briefing",
    "Media",
    "Document",
    "Video",
    "SocialMedia",
];
const EXPLOITS: &[&str] = &["Outages", "Casualties", "CyberIncidents"];
const BODIES: &[&str] = &[
    "HFC",
    "IPCR",
    "COMMISSION",
    "ERCC",
    "EEAS",
    "STRATCOM",
    "RAS",
    "ENISA",
    "CSIRTS",
    "NATO",
    "EXCON",
];
const STARTS: &[&str] = &[
    "2026-03-02T06:00:00Z",
    "2025-12-31T23:59:59Z",
    "2030-06-15T12:30:00+02:00",
];

/// A reference to "some entity of a list", resolved as `pick % len`.
type Pick = u16;

fn pick(p: Pick, len: usize) -> usize {
    p as usize % len
}

/// A duration in seconds and how to write it.
#[derive(Clone, Copy, Debug)]
struct D(u64, u8);

impl D {
    fn ron(self) -> String {
        let D(secs, style) = self;
        match style % 3 {
            0 => format!("\"{secs}s\""),
            1 if secs % 60 == 0 => format!("\"{}m\"", secs / 60),
            _ if secs == 0 => "\"0s\"".into(),
            _ => {
                let mut parts = Vec::new();
                let mut rest = secs;
                for (unit, size) in [("d", DAY), ("h", HOUR), ("m", 60), ("s", 1)] {
                    if rest >= size {
                        parts.push(format!("{}{unit}", rest / size));
                        rest %= size;
                    }
                }
                format!("\"{}\"", parts.join(" "))
            }
        }
    }
}

fn dur(min: u64, max: u64) -> impl Strategy<Value = D> {
    // Round to minutes half the time, as authors write.
    (min..=max, any::<u8>()).prop_map(move |(s, style)| {
        if style % 2 == 0 {
            D((s / 60 * 60).max(min), style)
        } else {
            D(s, style)
        }
    })
}

fn frac() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 1 => Just(1.0), 6 => 0.0..=1.0f64]
}

fn f(x: f64) -> String {
    format!("{x:.3}")
}

#[derive(Clone, Debug)]
enum DistS {
    Fixed(D),
    Uniform(D, D),
    Exponential(D),
    LogNormal(D, f64),
    Triangular(D, D, D),
}

/// Any of the five distributions, over durations up to `max` seconds.
fn dist(max: u64) -> impl Strategy<Value = DistS> {
    prop_oneof![
        dur(0, max).prop_map(DistS::Fixed),
        (dur(0, max), dur(0, max)).prop_map(|(a, b)| if a.0 <= b.0 {
            DistS::Uniform(a, b)
        } else {
            DistS::Uniform(b, a)
        }),
        dur(60, max).prop_map(DistS::Exponential),
        (dur(60, max), 0.0..=2.0f64).prop_map(|(m, s)| DistS::LogNormal(m, s)),
        (dur(0, max), dur(0, max), dur(0, max)).prop_map(|(a, b, c)| {
            let mut v = [a, b, c];
            v.sort_by_key(|d| d.0);
            DistS::Triangular(v[0], v[1], v[2])
        }),
    ]
}

impl DistS {
    fn ron(&self) -> String {
        match self {
            DistS::Fixed(d) => format!("Fixed({})", d.ron()),
            DistS::Uniform(a, b) => format!("Uniform(min: {}, max: {})", a.ron(), b.ron()),
            DistS::Exponential(m) => format!("Exponential(mean: {})", m.ron()),
            DistS::LogNormal(m, s) => format!("LogNormal(median: {}, sigma: {})", m.ron(), f(*s)),
            DistS::Triangular(a, b, c) => format!(
                "Triangular(min: {}, mode: {}, max: {})",
                a.ron(),
                b.ron(),
                c.ron()
            ),
        }
    }
}

#[derive(Clone, Debug)]
enum ActS {
    Intrusion(Pick),
    Disrupt(Pick, f64),
    Wiper(Vec<Pick>, f64, DistS, Option<u32>),
    ElectionAttack(Pick, f64, Option<Pick>),
    Release(Pick, Option<Pick>, u8, u32, f64, f64),
    Narrative(Vec<Pick>, f64, f64, Vec<&'static str>),
    Amplify(Pick, f64, D),
}

fn action() -> impl Strategy<Value = ActS> {
    prop_oneof![
        any::<Pick>().prop_map(ActS::Intrusion),
        (any::<Pick>(), frac()).prop_map(|(t, s)| ActS::Disrupt(t, s)),
        (
            vec(any::<Pick>(), 1..=3),
            frac(),
            dist(6 * HOUR),
            option::of(1..=10u32)
        )
            .prop_map(|(s, p, h, m)| ActS::Wiper(s, p, h, m)),
        (any::<Pick>(), frac(), option::of(any::<Pick>()))
            .prop_map(|(t, s, l)| ActS::ElectionAttack(t, s, l)),
        (
            any::<Pick>(),
            option::of(any::<Pick>()),
            0..3u8,
            1..=5000u32,
            frac(),
            frac()
        )
            .prop_map(|(c, s, a, e, sv, l)| ActS::Release(c, s, a, e, sv, l)),
        (
            vec(any::<Pick>(), 1..=3),
            frac(),
            frac(),
            subsequence(EXPLOITS, 0..=3)
        )
            .prop_map(|(a, v, r, x)| ActS::Narrative(a, v, r, x)),
        (any::<Pick>(), 0.1..=20.0f64, dur(0, 2 * DAY))
            .prop_map(|(n, x, d)| ActS::Amplify(n, x, d)),
    ]
}

#[derive(Clone, Debug)]
struct StepS {
    after: Option<Pick>,
    delay: DistS,
    success: f64,
    action: ActS,
}

#[derive(Clone, Debug)]
struct CampaignS {
    actor: Pick,
    start: Option<D>,
    steps: Vec<StepS>,
}

fn campaign() -> impl Strategy<Value = CampaignS> {
    // Mostly likely to succeed, so that later steps and their effects happen too.
    let success = prop_oneof![3 => 0.8..=1.0f64, 1 => frac()];
    let step = (
        option::of(any::<Pick>()),
        dist(12 * HOUR),
        success,
        action(),
    )
        .prop_map(|(after, delay, success, action)| StepS {
            after,
            delay,
            success,
            action,
        });
    (any::<Pick>(), option::of(dur(0, DAY)), vec(step, 1..=5)).prop_map(|(actor, start, steps)| {
        CampaignS {
            actor,
            start,
            steps,
        }
    })
}

#[derive(Clone, Debug)]
enum CondS {
    NodeDown(Pick),
    StepSucceeded(Pick, Pick),
    CasualtiesAbove(u32),
    ReachAbove(Pick, f64),
    TrustBelow(Pick, f64),
}

#[derive(Clone, Debug)]
enum AtS {
    Time(D),
    When(CondS),
}

#[derive(Clone, Debug)]
struct InjectS {
    at: AtS,
    from: Pick,
    to: Pick,
    method: &'static str,
    objective: Option<Pick>,
    effect: Option<ActS>,
}

fn inject() -> impl Strategy<Value = InjectS> {
    let cond = prop_oneof![
        any::<Pick>().prop_map(CondS::NodeDown),
        (any::<Pick>(), any::<Pick>()).prop_map(|(c, s)| CondS::StepSucceeded(c, s)),
        (0..500u32).prop_map(CondS::CasualtiesAbove),
        (any::<Pick>(), frac()).prop_map(|(n, s)| CondS::ReachAbove(n, s)),
        (any::<Pick>(), frac()).prop_map(|(c, t)| CondS::TrustBelow(c, t)),
    ];
    let at = prop_oneof![
        dur(0, 4 * DAY).prop_map(AtS::Time),
        cond.prop_map(AtS::When)
    ];
    (
        at,
        any::<Pick>(),
        any::<Pick>(),
        select(METHODS),
        option::of(any::<Pick>()),
        option::of(action()),
    )
        .prop_map(|(at, from, to, method, objective, effect)| InjectS {
            at,
            from,
            to,
            method,
            objective,
            effect,
        })
}

#[derive(Clone, Debug)]
enum CritS {
    DetectWithin(Pick, D),
    RestoreWithin(&'static str, Option<Pick>, D),
    ServiceLossBelow(Option<&'static str>, Option<Pick>, f64),
    IdentifyWithin(D),
    CasualtiesBelow(u32),
    TrustAbove(Pick, f64),
    ReachBelow(Pick, f64),
}

fn criterion() -> impl Strategy<Value = CritS> {
    prop_oneof![
        (any::<Pick>(), dur(0, 2 * DAY)).prop_map(|(c, w)| CritS::DetectWithin(c, w)),
        (select(SECTORS), option::of(any::<Pick>()), dur(0, 2 * DAY))
            .prop_map(|(s, c, w)| CritS::RestoreWithin(s, c, w)),
        (
            option::of(select(SECTORS)),
            option::of(any::<Pick>()),
            0.0..1000.0f64
        )
            .prop_map(|(s, c, h)| CritS::ServiceLossBelow(s, c, h)),
        dur(0, 2 * DAY).prop_map(CritS::IdentifyWithin),
        (0..100u32).prop_map(CritS::CasualtiesBelow),
        (any::<Pick>(), frac()).prop_map(|(c, t)| CritS::TrustAbove(c, t)),
        (any::<Pick>(), frac()).prop_map(|(n, s)| CritS::ReachBelow(n, s)),
    ]
}

#[derive(Clone, Debug)]
struct CountryS {
    population: u64,
    eu: bool,
    nato: bool,
    trust: f64,
    caps: [f64; 5],
    resources: [u32; 5],
}

fn country() -> impl Strategy<Value = CountryS> {
    (
        1..=90_000_000u64,
        any::<bool>(),
        any::<bool>(),
        frac(),
        [frac(), frac(), frac(), frac(), frac()],
        (0..=4u32, 0..=6u32, 0..=4u32, 0..=2000u32, 0..=5000u32),
    )
        .prop_map(|(population, eu, nato, trust, caps, r)| CountryS {
            population,
            eu,
            nato,
            trust,
            caps,
            resources: [r.0, r.1, r.2, r.3, r.4],
        })
}

#[derive(Clone, Debug)]
struct NodeS {
    sector: &'static str,
    country: Pick,
    serves: u64,
    restore: DistS,
    hardening: Option<f64>,
}

#[derive(Clone, Debug)]
struct ScenarioS {
    countries: Vec<(&'static str, &'static str)>,
    country_params: Vec<CountryS>,
    actors: Vec<(&'static str, Option<Pick>)>,
    nodes: Vec<NodeS>,
    deps: Vec<(Pick, Pick, D, f64)>,
    audiences: Vec<(Pick, u64, f64)>,
    campaigns: Vec<CampaignS>,
    injects: Vec<InjectS>,
    objectives: Vec<CritS>,
    start: &'static str,
    duration: D,
    seed: u64,
}

fn scenario() -> impl Strategy<Value = ScenarioS> {
    let node = (
        select(SECTORS),
        any::<Pick>(),
        0..=5_000_000u64,
        dist(DAY),
        option::of(frac()),
    )
        .prop_map(|(sector, country, serves, restore, hardening)| NodeS {
            sector,
            country,
            serves,
            restore,
            hardening,
        });
    let world = (
        subsequence(COUNTRIES, 1..=4),
        vec(country(), 4),
        vec((select(ACTOR_KINDS), option::of(any::<Pick>())), 0..=3),
        vec(node, 1..=15),
        vec(
            (any::<Pick>(), any::<Pick>(), dur(0, 12 * HOUR), frac()),
            0..=20,
        ),
        vec((any::<Pick>(), 1000..=5_000_000u64, frac()), 1..=3),
    );
    let exercise = (
        vec(campaign(), 1..=3),
        vec(inject(), 0..=4),
        vec(criterion(), 1..=7),
        select(STARTS),
        dur(12 * HOUR, 4 * DAY),
        any::<u64>(),
    );
    (world, exercise).prop_map(
        |(
            (countries, country_params, actors, nodes, deps, audiences),
            (campaigns, injects, objectives, start, duration, seed),
        )| ScenarioS {
            countries,
            country_params,
            actors,
            nodes,
            deps,
            audiences,
            campaigns,
            injects,
            objectives,
            start,
            duration,
            seed,
        },
    )
}

/// Resolved ids, for turning picks into references.
struct Names {
    countries: Vec<String>,
    senders: Vec<String>,
    nodes: Vec<String>,
    elections: Vec<String>,
    audiences: Vec<String>,
    narratives: Vec<String>,
    campaigns: Vec<(String, Vec<String>)>,
    objectives: Vec<String>,
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

impl Names {
    fn of(list: &[String], p: Pick) -> String {
        quoted(&list[pick(p, list.len())])
    }

    fn action(&self, a: &ActS, narrative_id: &str) -> String {
        let node = |p| Self::of(&self.nodes, p);
        let narrative = |p| Self::of(&self.narratives, p);
        match a {
            ActS::Intrusion(t) => format!("Intrusion(target: {})", node(*t)),
            ActS::Disrupt(t, s) => format!("Disrupt(target: {}, severity: {})", node(*t), f(*s)),
            ActS::Wiper(seeds, spread, hop, max) => {
                let mut ids: Vec<String> = seeds.iter().map(|p| node(*p)).collect();
                ids.sort();
                ids.dedup();
                let max = max.map_or("None".to_string(), |m| format!("Some({m})"));
                format!(
                    "Wiper(seeds: [{}], spread: {}, hop_delay: {}, max_nodes: {max})",
                    ids.join(", "),
                    f(*spread),
                    hop.ron()
                )
            }
            ActS::ElectionAttack(t, s, leak) => {
                let leak = leak.map_or("None".to_string(), |l| format!("Some({})", narrative(l)));
                format!(
                    "ElectionAttack(target: {}, severity: {}, leak: {leak})",
                    Self::of(&self.elections, *t),
                    f(*s)
                )
            }
            ActS::Release(c, site, agent, exposed, severe, lethality) => {
                let site = site.map_or("None".to_string(), |s| format!("Some({})", node(s)));
                let agent = [
                    "Chemical(\"sarin\")",
                    "Biological(\"anthrax\")",
                    "Radiological(\"Cs-137\")",
                ][*agent as usize % 3];
                format!(
                    "Release(country: {}, site: {site}, agent: {agent}, exposed: {exposed}, severe: {}, lethality: {})",
                    Self::of(&self.countries, *c),
                    f(*severe),
                    f(*lethality)
                )
            }
            ActS::Narrative(auds, virality, seed_reach, exploits) => {
                let mut ids: Vec<usize> = auds
                    .iter()
                    .map(|p| pick(*p, self.audiences.len()))
                    .collect();
                ids.sort();
                ids.dedup();
                let ids: Vec<String> = ids.iter().map(|i| quoted(&self.audiences[*i])).collect();
                format!(
                    "Narrative(id: {}, title: \"Story \\\"{narrative_id}\\\" — they lie\", audiences: [{}], virality: {}, seed_reach: {}, exploits: [{}])",
                    quoted(narrative_id),
                    ids.join(", "),
                    f(*virality),
                    f(*seed_reach),
                    exploits.join(", ")
                )
            }
            ActS::Amplify(n, factor, d) => format!(
                "Amplify(narrative: {}, factor: {}, duration: {})",
                narrative(*n),
                f(*factor),
                d.ron()
            ),
        }
    }
}

/// Writes the scenario as RON; also returns its duration in seconds.
fn render(s: &ScenarioS) -> (String, u64) {
    let mut s = s.clone();
    // Every scenario needs a narrative for Amplify, leaks and reach
    // conditions to refer to, and an election system for ElectionAttack.
    let is_narrative = |a: &ActS| matches!(a, ActS::Narrative(..));
    let has_narrative = s
        .campaigns
        .iter()
        .flat_map(|c| &c.steps)
        .any(|st| is_narrative(&st.action))
        || s.injects
            .iter()
            .filter_map(|i| i.effect.as_ref())
            .any(is_narrative);
    if !has_narrative {
        s.campaigns[0].steps[0].action = ActS::Narrative(vec![0], 0.2, 0.01, vec!["Outages"]);
    }
    let wants_election = s
        .campaigns
        .iter()
        .flat_map(|c| &c.steps)
        .map(|st| &st.action)
        .chain(s.injects.iter().filter_map(|i| i.effect.as_ref()))
        .find_map(|a| match a {
            ActS::ElectionAttack(t, ..) => Some(*t),
            _ => None,
        });
    if let Some(t) = wants_election
        && !s.nodes.iter().any(|n| n.sector == "Elections")
    {
        let n = pick(t, s.nodes.len());
        s.nodes[n].sector = "Elections";
    }

    let countries: Vec<String> = s.countries.iter().map(|c| c.0.to_string()).collect();
    let actors: Vec<String> = std::iter::once("APT".to_string())
        .chain((0..s.actors.len()).map(|i| format!("ACT-{i}")))
        .collect();
    let nodes: Vec<String> = s
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                "{}-{}-{i}",
                countries[pick(n.country, countries.len())],
                n.sector.to_lowercase()
            )
        })
        .collect();
    let narrative_id = |c: usize, st: usize| format!("nar-{c}-{st}");
    let inject_narrative_id = |k: usize| format!("nar-msel-{k}");
    let mut narratives = Vec::new();
    for (c, cp) in s.campaigns.iter().enumerate() {
        for (st, step) in cp.steps.iter().enumerate() {
            if is_narrative(&step.action) {
                narratives.push(narrative_id(c, st));
            }
        }
    }
    for (k, i) in s.injects.iter().enumerate() {
        if i.effect.as_ref().is_some_and(is_narrative) {
            narratives.push(inject_narrative_id(k));
        }
    }
    let names = Names {
        senders: countries
            .iter()
            .chain(&actors)
            .cloned()
            .chain(BODIES.iter().map(|b| b.to_string()))
            .collect(),
        elections: s
            .nodes
            .iter()
            .zip(&nodes)
            .filter(|(n, _)| n.sector == "Elections")
            .map(|(_, id)| id.clone())
            .collect(),
        nodes,
        audiences: (0..s.audiences.len()).map(|i| format!("aud-{i}")).collect(),
        narratives,
        campaigns: s
            .campaigns
            .iter()
            .enumerate()
            .map(|(c, cp)| {
                (
                    format!("camp-{c}"),
                    (0..cp.steps.len()).map(|st| format!("step-{st}")).collect(),
                )
            })
            .collect(),
        objectives: (0..s.objectives.len())
            .map(|o| format!("OBJ-{}", o + 1))
            .collect(),
        countries,
    };

    let mut r = String::new();
    let w = &mut r;
    writeln!(w, "// Generated by tests/integration/properties.rs").unwrap();
    writeln!(
        w,
        "Scenario(\n    name: \"Random scenario \\\"α\\\" #{}\",",
        s.seed
    )
    .unwrap();
    writeln!(
        w,
        "    description: \"Generated; every reference valid by construction.\","
    )
    .unwrap();
    writeln!(
        w,
        "    start: \"{}\",\n    duration: {},\n    seed: {},",
        s.start,
        s.duration.ron(),
        s.seed
    )
    .unwrap();
    writeln!(w, "    countries: [").unwrap();
    for ((code, name), c) in s.countries.iter().zip(&s.country_params) {
        let [cy, cb, cp, he, sc] = c.caps.map(f);
        let [t, rc, d, b, m] = c.resources;
        writeln!(
            w,
            "        (id: \"{code}\", name: \"{name}\", population: {}, eu: {}, nato: {}, trust: {},\n         capacities: (cyber: {cy}, cbrn_detection: {cb}, civil_protection: {cp}, health: {he}, stratcom: {sc}),\n         resources: (csirt_teams: {t}, repair_crews: {rc}, decon_units: {d}, surge_beds: {b}, countermeasure_doses: {m})),",
            c.population,
            c.eu,
            c.nato,
            f(c.trust)
        )
        .unwrap();
    }
    writeln!(w, "    ],\n    actors: [\n        (id: \"APT\", name: \"Hostile service\", kind: ThreatActor),").unwrap();
    for (i, (kind, country)) in s.actors.iter().enumerate() {
        let country = country.map_or("None".to_string(), |c| {
            format!("Some({})", Names::of(&names.countries, c))
        });
        writeln!(w, "        (id: \"ACT-{i}\", name: \"Actor {i}\", kind: {kind}, country: {country}, description: \"extra actor\"),").unwrap();
    }
    writeln!(w, "    ],\n    infrastructure: (\n        nodes: [").unwrap();
    for (n, id) in s.nodes.iter().zip(&names.nodes) {
        let hardening = n
            .hardening
            .map_or(String::new(), |h| format!(", hardening: {}", f(h)));
        writeln!(
            w,
            "            (id: {}, name: \"Node {id}\", sector: {}, country: {}, serves: {}, restore: {}{hardening}),",
            quoted(id),
            n.sector,
            Names::of(&names.countries, n.country),
            n.serves,
            n.restore.ron()
        )
        .unwrap();
    }
    writeln!(w, "        ],\n        dependencies: [").unwrap();
    let n = names.nodes.len();
    for (a, b, delay, p) in &s.deps {
        let (sup, mut dep) = (pick(*a, n), pick(*b, n));
        if sup == dep {
            if n == 1 {
                continue;
            }
            dep = (dep + 1) % n;
        }
        writeln!(
            w,
            "            (supplier: {}, dependent: {}, delay: {}, probability: {}),",
            quoted(&names.nodes[sup]),
            quoted(&names.nodes[dep]),
            delay.ron(),
            f(*p)
        )
        .unwrap();
    }
    writeln!(w, "        ],\n    ),\n    audiences: [").unwrap();
    for ((c, size, sus), id) in s.audiences.iter().zip(&names.audiences) {
        writeln!(w, "        (id: {}, country: {}, name: \"Audience {id}\", size: {size}, susceptibility: {}),", quoted(id), Names::of(&names.countries, *c), f(*sus)).unwrap();
    }
    writeln!(w, "    ],\n    campaigns: [").unwrap();
    for (c, (cp, (cid, steps))) in s.campaigns.iter().zip(&names.campaigns).enumerate() {
        let start = cp
            .start
            .map_or(String::new(), |d| format!(", start: {}", d.ron()));
        writeln!(
            w,
            "        (id: {}, name: \"Campaign {c}\", actor: {}{start}, steps: [",
            quoted(cid),
            Names::of(&actors, cp.actor)
        )
        .unwrap();
        for (st, (step, sid)) in cp.steps.iter().zip(steps).enumerate() {
            let after = match step.after {
                Some(p) if st > 0 => format!(" after: Some({}),", quoted(&steps[pick(p, st)])),
                _ => String::new(),
            };
            writeln!(
                w,
                "            (id: {},{after} delay: {}, success: {},\n             action: {}, note: \"step {st}\"),",
                quoted(sid),
                step.delay.ron(),
                f(step.success),
                names.action(&step.action, &narrative_id(c, st))
            )
            .unwrap();
        }
        writeln!(w, "        ]),").unwrap();
    }
    writeln!(w, "    ],\n    msel: [").unwrap();
    for (k, i) in s.injects.iter().enumerate() {
        let at = match &i.at {
            AtS::Time(d) => format!("Time({})", d.ron()),
            AtS::When(c) => format!(
                "When({})",
                match c {
                    CondS::NodeDown(p) => format!("NodeDown({})", Names::of(&names.nodes, *p)),
                    CondS::StepSucceeded(c, st) => {
                        let (cid, steps) = &names.campaigns[pick(*c, names.campaigns.len())];
                        format!(
                            "StepSucceeded(campaign: {}, step: {})",
                            quoted(cid),
                            Names::of(steps, *st)
                        )
                    }
                    CondS::CasualtiesAbove(x) => format!("CasualtiesAbove({x})"),
                    CondS::ReachAbove(p, share) => format!(
                        "ReachAbove(narrative: {}, share: {})",
                        Names::of(&names.narratives, *p),
                        f(*share)
                    ),
                    CondS::TrustBelow(p, t) => format!(
                        "TrustBelow(country: {}, trust: {})",
                        Names::of(&names.countries, *p),
                        f(*t)
                    ),
                }
            ),
        };
        let objective = i.objective.map_or("None".to_string(), |o| {
            format!("Some({})", Names::of(&names.objectives, o))
        });
        let effect = i.effect.as_ref().map_or("None".to_string(), |e| {
            format!("Some({})", names.action(e, &inject_narrative_id(k)))
        });
        writeln!(
            w,
            "        (number: {}, at: {at}, from: {}, to: {}, method: {}, subject: \"Inject {k}\",\n         message: \"Line one.\\nLine two.\", expected_action: \"Act.\", objective: {objective},\n         effect: {effect}),",
            (k + 1) * 10,
            Names::of(&names.senders, i.from),
            Names::of(&names.senders, i.to),
            i.method
        )
        .unwrap();
    }
    writeln!(w, "    ],\n    objectives: [").unwrap();
    for (o, id) in s.objectives.iter().zip(&names.objectives) {
        let opt_country = |c: &Option<Pick>| {
            c.map_or("None".to_string(), |c| {
                format!("Some({})", Names::of(&names.countries, c))
            })
        };
        let crit = match o {
            CritS::DetectWithin(c, d) => format!(
                "DetectWithin(campaign: {}, within: {})",
                quoted(&names.campaigns[pick(*c, names.campaigns.len())].0),
                d.ron()
            ),
            CritS::RestoreWithin(sector, c, d) => format!(
                "RestoreWithin(sector: {sector}, country: {}, within: {})",
                opt_country(c),
                d.ron()
            ),
            CritS::ServiceLossBelow(sector, c, h) => {
                let sector = sector.map_or("None".to_string(), |s| format!("Some({s})"));
                format!(
                    "ServiceLossBelow(sector: {sector}, country: {}, node_hours: {h:.1})",
                    opt_country(c)
                )
            }
            CritS::IdentifyWithin(d) => format!("IdentifyWithin(within: {})", d.ron()),
            CritS::CasualtiesBelow(x) => format!("CasualtiesBelow(deaths: {x})"),
            CritS::TrustAbove(c, t) => format!(
                "TrustAbove(country: {}, trust: {})",
                Names::of(&names.countries, *c),
                f(*t)
            ),
            CritS::ReachBelow(n, share) => format!(
                "ReachBelow(narrative: {}, share: {})",
                Names::of(&names.narratives, *n),
                f(*share)
            ),
        };
        writeln!(
            w,
            "        (id: {}, title: \"Objective {id}\", criterion: {crit}),",
            quoted(id)
        )
        .unwrap();
    }
    writeln!(w, "    ],\n)").unwrap();
    (r, s.duration.0)
}

/// Where the last failing scenario is kept for a human to look at.
fn failure_file() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pacesim-property-failure.ron")
}

/// Saves the scenario if the check below it panics.
struct KeepOnFailure<'a>(&'a str);

impl Drop for KeepOnFailure<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = std::fs::write(failure_file(), self.0);
            eprintln!("failing scenario saved as {}", failure_file().display());
        }
    }
}

fn check_scenario(spec: &ScenarioS, run_seed: u64) {
    let (text, duration) = render(spec);
    let _keep = KeepOnFailure(&text);
    let dir = tempdir();
    std::fs::write(dir.path().join("random.ron"), &text).unwrap();

    pacesim(dir.path(), ["validate", "random.ron"]).success();

    let seed = run_seed.to_string();
    let first = pacesim(
        dir.path(),
        ["run", "random.ron", "--seed", &seed, "--out", "out"],
    );
    first.success();
    let bytes = std::fs::read(dir.path().join("out/events.jsonl")).expect("events.jsonl written");
    let events = parse_log(&bytes);
    check_log(&events, duration);
    check_times(&events, spec.start);
    assert_eq!(
        first.log_hash(),
        sha256_hex(&bytes),
        "log-hash is the sha256 of events.jsonl"
    );

    let summary: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/summary.json")).unwrap())
            .expect("summary.json is JSON");
    let ratings: Vec<&str> = summary["objectives"]
        .as_array()
        .expect("objectives")
        .iter()
        .filter_map(|o| o["rating"].as_str())
        .collect();
    assert_eq!(
        ratings.len(),
        spec.objectives.len(),
        "every objective is rated: {summary}"
    );
    assert!(
        ratings.iter().all(|r| ["P", "S", "M", "U"].contains(r)),
        "ratings: {ratings:?}"
    );

    let second = pacesim(dir.path(), ["run", "random.ron", "--seed", &seed]);
    second.success();
    assert_eq!(
        second.log_hash(),
        first.log_hash(),
        "two runs with seed {seed} gave different logs"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        max_shrink_iters: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_valid_scenarios_validate_run_and_replay(spec in scenario(), run_seed in any::<u64>()) {
        check_scenario(&spec, run_seed);
    }
}

#[test]
fn the_generator_writes_valid_ron_for_every_kind_of_entity() {
    // A fixed scenario exercising every action, condition and criterion, so
    // that a format change breaks here with a readable diff, not in a shrink.
    let every_action = vec![
        ActS::Narrative(
            vec![0, 1],
            0.3,
            0.02,
            vec!["Outages", "Casualties", "CyberIncidents"],
        ),
        ActS::Intrusion(0),
        ActS::Disrupt(0, 1.0),
        ActS::Wiper(vec![1, 2], 0.7, DistS::Exponential(D(3600, 2)), Some(3)),
        ActS::ElectionAttack(3, 0.8, Some(0)),
        ActS::Release(1, Some(2), 1, 300, 0.3, 0.2),
        ActS::Amplify(0, 3.0, D(DAY, 2)),
    ];
    let spec = ScenarioS {
        countries: vec![("EE", "Estonia"), ("LV", "Latvia")],
        country_params: vec![
            CountryS {
                population: 1_000_000,
                eu: true,
                nato: true,
                trust: 0.5,
                caps: [0.5; 5],
                resources: [1, 2, 1, 100, 100]
            };
            4
        ],
        actors: ACTOR_KINDS.iter().map(|k| (*k, Some(1))).collect(),
        nodes: SECTORS
            .iter()
            .enumerate()
            .map(|(i, s)| NodeS {
                sector: s,
                country: i as Pick,
                serves: 100_000,
                restore: DistS::Triangular(D(HOUR, 0), D(2 * HOUR, 1), D(6 * HOUR, 2)),
                hardening: Some(0.4),
            })
            .collect(),
        deps: vec![
            (0, 1, D(2 * HOUR, 1), 0.9),
            (1, 2, D(1800, 2), 0.8),
            (0, 9, D(0, 0), 1.0),
        ],
        audiences: vec![(0, 300_000, 0.5), (1, 1_500_000, 0.3)],
        campaigns: vec![CampaignS {
            actor: 0,
            start: Some(D(HOUR, 2)),
            steps: every_action
                .into_iter()
                .enumerate()
                .map(|(i, action)| StepS {
                    after: Some(i as Pick),
                    delay: [
                        DistS::Fixed(D(HOUR, 2)),
                        DistS::Uniform(D(60, 0), D(7200, 1)),
                        DistS::LogNormal(D(HOUR, 2), 0.8),
                    ][i % 3]
                        .clone(),
                    success: 1.0,
                    action,
                })
                .collect(),
        }],
        injects: vec![
            InjectS {
                at: AtS::Time(D(HOUR, 1)),
                from: 0,
                to: 5,
                method: "Email",
                objective: Some(0),
                effect: None,
            },
            InjectS {
                at: AtS::When(CondS::NodeDown(0)),
                from: 12,
                to: 15,
                method: "Phone",
                objective: None,
                effect: Some(ActS::Amplify(0, 1.5, D(6 * HOUR, 2))),
            },
            InjectS {
                at: AtS::When(CondS::StepSucceeded(0, 2)),
                from: 1,
                to: 2,
                method: "Briefing",
                objective: None,
                effect: Some(ActS::Narrative(vec![1], 0.1, 0.0, vec![])),
            },
            InjectS {
                at: AtS::When(CondS::CasualtiesAbove(10)),
                from: 2,
                to: 3,
                method: "Video",
                objective: None,
                effect: None,
            },
            InjectS {
                at: AtS::When(CondS::ReachAbove(0, 0.1)),
                from: 3,
                to: 4,
                method: "SocialMedia",
                objective: None,
                effect: None,
            },
            InjectS {
                at: AtS::When(CondS::TrustBelow(0, 0.45)),
                from: 4,
                to: 5,
                method: "Document",
                objective: None,
                effect: None,
            },
        ],
        objectives: vec![
            CritS::DetectWithin(0, D(6 * HOUR, 2)),
            CritS::RestoreWithin("Energy", Some(0), D(12 * HOUR, 2)),
            CritS::ServiceLossBelow(Some("Telecom"), None, 24.0),
            CritS::IdentifyWithin(D(DAY, 2)),
            CritS::CasualtiesBelow(5),
            CritS::TrustAbove(1, 0.4),
            CritS::ReachBelow(1, 0.2),
        ],
        start: STARTS[2],
        duration: D(3 * DAY, 2),
        seed: 42,
    };
    let (text, _) = render(&spec);
    for needle in [
        "Wiper(seeds: [",
        "ElectionAttack(target: ",
        "Release(country: ",
        "Narrative(id: ",
        "Amplify(narrative: ",
        "Intrusion(target: ",
        "Disrupt(target: ",
        "When(NodeDown(",
        "When(StepSucceeded(campaign: ",
        "When(CasualtiesAbove(10))",
        "When(ReachAbove(",
        "When(TrustBelow(",
        "Uniform(min: ",
        "Exponential(mean: ",
        "LogNormal(median: ",
        "Triangular(min: ",
        "Fixed(",
        "DetectWithin(",
        "RestoreWithin(",
        "ServiceLossBelow(",
        "IdentifyWithin(",
        "CasualtiesBelow(",
        "TrustAbove(",
        "ReachBelow(",
    ] {
        assert!(
            text.contains(needle),
            "generated RON lacks {needle:?}:\n{text}"
        );
    }
    check_scenario(&spec, 7);
}
