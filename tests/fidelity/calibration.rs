//! The calibration table: each figure from a real incident or mechanism
//! (with its source) beside what pacesim gives over 200 seeds of
//! the shipped scenario that models it.
//!
//! A sample is one occurrence in one run (an incident, a foothold, a
//! narrative, a run): `Some(value)`, or `None` when it had not happened by
//! the scenario's end. Quantiles count the `None`s as later than anything,
//! so a median past the end reads "> end".

use std::collections::BTreeMap;
use std::fmt::Write;

use pacesim::engine::SimTime;
use pacesim::exercise::What;
use pacesim::infra::{Cause, InfraRecord};
use pacesim::playbook::IpcrMode;
use pacesim::response::eu::EuRecord;
use pacesim::response::eu::ipcr::IpcrRecord;
use pacesim::response::eu::solidarity::SolidarityRecord;
use pacesim::response::eu::toolbox::ToolboxRecord;
use pacesim::response::national::NationalRecord;
use pacesim::scenario::Sector;
use pacesim::scenario::catalog::{AgentKind, Effect};
use pacesim::threats::cbrn::CbrnRecord;
use pacesim::threats::cyber::CyberRecord;
use pacesim::threats::disinfo::DisinfoRecord;

use crate::runs::{Run, compile, each, release, root};

/// Seeds per scenario.
const SEEDS: u64 = 200;

/// What a figure is counted in.
#[derive(Clone, Copy)]
enum Unit {
    Hours,
    Days,
    People,
    /// A share of runs or of occurrences, 0 to 1: each sample is 1 or 0.
    Share,
}

impl Unit {
    fn show(self, v: f64) -> String {
        match self {
            Unit::Hours if v < 1.0 => format!("{:.0} min", v * 60.0),
            Unit::Hours => format!("{v:.1} h"),
            Unit::Days => format!("{v:.1} d"),
            Unit::People => format!("{v:.0}"),
            Unit::Share => format!("{:.0} %", v * 100.0),
        }
    }
}

/// One figure from the real world and how to measure it in a run.
struct Figure {
    name: &'static str,
    /// The real value, as a range (equal ends for a point).
    real: (f64, f64),
    unit: Unit,
    source: &'static str,
    scenario: &'static str,
    /// Days to run the scenario for instead of its own duration, where the
    /// real figure lies past its end.
    run_days: Option<u64>,
    /// Every occurrence in one run.
    measure: fn(&Run) -> Vec<Option<f64>>,
}

fn days(h: f64) -> f64 {
    h / 24.0
}

/// Hours from the first record `start` keys to the first record `end` gives
/// the same key, for each key `start` gave (`None` where `end` never came).
fn lag_h<K: Ord>(
    run: &Run,
    start: impl Fn(&What) -> Option<K>,
    end: impl Fn(&What) -> Option<K>,
) -> Vec<Option<f64>> {
    let mut from: BTreeMap<K, SimTime> = BTreeMap::new();
    let mut to: BTreeMap<K, SimTime> = BTreeMap::new();
    for e in run.log {
        if let Some(k) = start(&e.what) {
            from.entry(k).or_insert(e.t);
        } else if let Some(k) = end(&e.what) {
            to.entry(k).or_insert(e.t);
        }
    }
    from.iter()
        .map(|(k, t)| to.get(k).map(|u| Run::hours(*t, *u)))
        .collect()
}

/// Time from each CBRN release to the national identification of its agent.
fn identified_h(run: &Run) -> Vec<Option<f64>> {
    lag_h(
        run,
        |w| match *w {
            What::Cbrn(CbrnRecord::Release { incident, .. }) => Some(incident),
            _ => None,
        },
        |w| match *w {
            What::National(NationalRecord::AgentIdentified { incident, .. }) => Some(incident),
            _ => None,
        },
    )
}

/// Days from each chemical weapon's first national naming to the OPCW's
/// confirmation (once per agent: the OPCW confirms an agent, whichever
/// incidents it was found in).
fn confirmed_d(run: &Run) -> Vec<Option<f64>> {
    let mut agent: BTreeMap<u32, &str> = BTreeMap::new();
    let (mut named, mut confirmed) = (BTreeMap::new(), BTreeMap::new());
    for e in run.log {
        match e.what {
            What::Cbrn(CbrnRecord::Release { by, incident, .. }) => {
                if let Some(Effect::Release { agent_name, .. }) = run.cat.effect_of(by) {
                    agent.insert(incident, agent_name.as_str());
                }
            }
            What::National(NationalRecord::AgentIdentified { incident, .. }) => {
                if let Some(a) = agent.get(&incident) {
                    named.entry(*a).or_insert(e.t);
                }
            }
            What::National(NationalRecord::AgentConfirmed { incident, .. }) => {
                if let Some(a) = agent.get(&incident) {
                    confirmed.entry(*a).or_insert(e.t);
                }
            }
            _ => {}
        }
    }
    named
        .iter()
        .map(|(a, t)| confirmed.get(a).map(|u| days(Run::hours(*t, *u))))
        .collect()
}

/// Days from each release on a site to the site's handing back.
fn site_closed_d(run: &Run) -> Vec<Option<f64>> {
    let mut out = Vec::new();
    for (k, e) in run.log.iter().enumerate() {
        if let What::Cbrn(CbrnRecord::Release {
            site: Some(node), ..
        }) = e.what
        {
            let cleared = run.log[k..].iter().find_map(|x| match x.what {
                What::National(NationalRecord::SiteDecontaminated { node: n, .. }) if n == node => {
                    Some(x.t)
                }
                _ => None,
            });
            out.push(cleared.map(|c| days(Run::hours(e.t, c))));
        }
    }
    out
}

/// Days each foothold stays before the national CSIRT detects it.
fn dwell_d(run: &Run) -> Vec<Option<f64>> {
    let hours = lag_h(
        run,
        |w| match *w {
            What::Cyber(CyberRecord::IntrusionPlanted { by, node }) => Some((by, node.0)),
            _ => None,
        },
        |w| match *w {
            What::National(NationalRecord::IntrusionDetected { by, node, .. }) => {
                Some((by, node.0))
            }
            _ => None,
        },
    );
    hours.into_iter().map(|h| h.map(days)).collect()
}

/// Hours from each narrative's launch to its first debunk.
fn fact_check_h(run: &Run) -> Vec<Option<f64>> {
    lag_h(
        run,
        |w| match *w {
            What::Disinfo(DisinfoRecord::NarrativeLaunched { narrative, .. }) => Some(narrative.0),
            _ => None,
        },
        |w| match *w {
            What::National(NationalRecord::Debunked { narrative, .. }) => Some(narrative.0),
            _ => None,
        },
    )
}

/// Hours each energy node that `struck` (a cause of service loss) took down
/// stays without service, until one of the records `back` says it returned.
fn energy_outage_h(
    run: &Run,
    struck: fn(Cause) -> bool,
    back: fn(&InfraRecord) -> Option<pacesim::scenario::catalog::NodeIx>,
) -> Vec<Option<f64>> {
    let mut out = Vec::new();
    for (k, e) in run.log.iter().enumerate() {
        if let What::Infra(InfraRecord::ServiceLost { node, cause, .. }) = e.what
            && struck(cause)
            && run.cat.nodes[node.i()].sector == Sector::Energy
        {
            let returned = run.log[k + 1..].iter().find_map(|x| match &x.what {
                What::Infra(r) if back(r) == Some(node) => Some(x.t),
                _ => None,
            });
            out.push(returned.map(|b| Run::hours(e.t, b)));
        }
    }
    out
}

/// Hours each energy node hit by a cyber attack stays without service (until
/// it is back above the lost threshold: run by hand, or repaired).
fn grid_outage_h(run: &Run) -> Vec<Option<f64>> {
    energy_outage_h(
        run,
        |c| matches!(c, Cause::Attack(_)),
        |r| match *r {
            InfraRecord::ServiceRestored { node } | InfraRecord::ServiceDegraded { node, .. } => {
                Some(node)
            }
            _ => None,
        },
    )
}

/// Days each sabotaged grid node stays down until its repair is done.
fn substation_outage_d(run: &Run) -> Vec<Option<f64>> {
    energy_outage_h(
        run,
        |c| matches!(c, Cause::Sabotage(_)),
        |r| match *r {
            InfraRecord::ServiceRestored { node } => Some(node),
            _ => None,
        },
    )
    .into_iter()
    .map(|h| h.map(days))
    .collect()
}

/// Days from a campaign's first effect to the EU's attribution (once per
/// run, for the first campaign to strike).
fn attribution_d(run: &Run) -> Vec<Option<f64>> {
    let Some(first) = run
        .summary
        .campaigns
        .iter()
        .filter_map(|c| c.first_effect_s)
        .min()
    else {
        return Vec::new();
    };
    let at = run.log.iter().find_map(|e| match e.what {
        What::Eu(EuRecord::Toolbox(ToolboxRecord::Attributed { .. })) => Some(e.t),
        _ => None,
    });
    vec![at.map(|t| days(Run::hours(SimTime(first), t)))]
}

/// Days from the first effect to IPCR's full activation (once per run).
fn ipcr_full_d(run: &Run) -> Vec<Option<f64>> {
    let Some(first) = run
        .summary
        .campaigns
        .iter()
        .filter_map(|c| c.first_effect_s)
        .min()
    else {
        return Vec::new();
    };
    let at = run.log.iter().find_map(|e| match e.what {
        What::Eu(EuRecord::Ipcr(IpcrRecord::Mode {
            mode: IpcrMode::FullActivation,
        })) => Some(e.t),
        _ => None,
    });
    vec![at.map(|t| days(Run::hours(SimTime(first), t)))]
}

/// 1 when a member state invoked Art. 222 in the run, else 0.
fn art222(run: &Run) -> Vec<Option<f64>> {
    let invoked = run.log.iter().any(|e| {
        matches!(
            e.what,
            What::Eu(EuRecord::Solidarity(SolidarityRecord::Invoked { .. }))
        )
    });
    vec![Some(f64::from(u8::from(invoked)))]
}

/// Each death at the chlorine release, 1 if before reaching hospital.
fn chlorine_deaths_before_care(run: &Run) -> Vec<Option<f64>> {
    let chlorine = run.log.iter().find_map(|e| match e.what {
        What::Cbrn(CbrnRecord::Release {
            incident,
            agent: AgentKind::IndustrialChemical,
            ..
        }) => Some(incident),
        _ => None,
    });
    let last = run.log.iter().rev().find_map(|e| match e.what {
        What::Cbrn(CbrnRecord::Casualties {
            incident,
            dead,
            before_care,
            ..
        }) if Some(incident) == chlorine => Some((dead, before_care)),
        _ => None,
    });
    let (dead, before) = last.unwrap_or((0, 0));
    (0..dead)
        .map(|k| Some(f64::from(u8::from(k < before))))
        .collect()
}

/// 1 when the wiper destroyed at least one node.
fn wiper_started(run: &Run) -> Vec<Option<f64>> {
    let started = run
        .log
        .iter()
        .any(|e| matches!(e.what, What::Cyber(CyberRecord::WiperInfection { .. })));
    vec![Some(f64::from(u8::from(started)))]
}

/// Deaths in the run, all incidents together.
fn deaths(run: &Run) -> Vec<Option<f64>> {
    vec![Some(run.summary.cbrn.dead as f64)]
}

const FIGURES: &[Figure] = &[
    Figure {
        name: "toxic industrial chemical (chlorine) recognised",
        real: (0.02, 0.5),
        unit: Unit::Hours,
        source: "emergency-response practice (secondary sources): recognised on the scene within minutes by smell, colour and symptoms",
        scenario: "scenarios/baltic_hybrid.ron",
        run_days: None,
        measure: identified_h,
    },
    Figure {
        name: "chlorine deaths before reaching hospital",
        real: (0.52, 1.0),
        unit: Unit::Share,
        source: "Graniteville 2005: 8 of the 9 dead died before reaching care (Wenck et al., Public Health Rep 2007); the range is the binomial 95 % interval of 8 in 9",
        scenario: "scenarios/baltic_hybrid.ron",
        run_days: None,
        measure: chlorine_deaths_before_care,
    },
    Figure {
        name: "volatile nerve agent (sarin) known after the release",
        real: (1.0, 1.5),
        unit: Unit::Hours,
        source: "Tokyo 1995: agent information reached St Luke's about 1.3 hours after the release",
        scenario: "scenarios/metro_sarin.ron",
        run_days: None,
        measure: identified_h,
    },
    Figure {
        name: "deaths, five-train sarin attack",
        real: (12.0, 13.0),
        unit: Unit::People,
        source: "Tokyo 1995: 12 dead on the day (13 by later counts), about 5,500 sought care",
        scenario: "scenarios/metro_sarin.ron",
        run_days: None,
        measure: deaths,
    },
    Figure {
        name: "persistent nerve agent named nationally",
        real: (72.0, 192.0),
        unit: Unit::Hours,
        source: "Salisbury 2018: nerve agent said at +3 d, Novichok named at +8 d",
        scenario: "scenarios/salisbury_chemical.ron",
        run_days: None,
        measure: identified_h,
    },
    Figure {
        name: "chemical weapon confirmed by the OPCW after its national naming",
        real: (31.0, 62.0),
        unit: Unit::Days,
        source: "OPCW technical assistance: Salisbury 2018 31 d, Navalny 2020 34 d, Amesbury 2018 62 d after the national naming",
        scenario: "scenarios/salisbury_chemical.ron",
        run_days: Some(120),
        measure: confirmed_d,
    },
    Figure {
        name: "site contaminated by a persistent agent handed back",
        real: (60.0, 365.0),
        unit: Unit::Days,
        source: "Salisbury 2018: 12 sites, the last handed back after about 12 months",
        scenario: "scenarios/salisbury_chemical.ron",
        run_days: None,
        measure: site_closed_d,
    },
    Figure {
        name: "foothold dwell time before detection (grid campaign)",
        real: (10.0, 21.0),
        unit: Unit::Days,
        source: "Mandiant M-Trends 2022-2024: global median 10-16 days; Bundestag 2015: about 3 weeks",
        scenario: "scenarios/baltic_hybrid.ron",
        run_days: None,
        measure: dwell_d,
    },
    Figure {
        name: "foothold dwell time before detection (election systems)",
        real: (10.0, 21.0),
        unit: Unit::Days,
        source: "Mandiant M-Trends 2022-2024: global median 10-16 days; Bundestag 2015: about 3 weeks",
        scenario: "scenarios/election_interference.ron",
        run_days: None,
        measure: dwell_d,
    },
    Figure {
        name: "fact-check lags the claim",
        real: (13.0, 14.0),
        unit: Unit::Hours,
        source: "Hoaxy 2016; Warwick rumour study: about 13 to 14 hours",
        scenario: "scenarios/baltic_hybrid.ron",
        run_days: None,
        measure: fact_check_h,
    },
    Figure {
        name: "grid switching attack: power back",
        real: (1.0, 6.0),
        unit: Unit::Hours,
        source: "Ukraine, 23 December 2015: 225,000 customers without power for 1 to 6 hours",
        scenario: "scenarios/baltic_hybrid.ron",
        run_days: None,
        measure: grid_outage_h,
    },
    Figure {
        name: "substation destroyed by sabotage: power back",
        real: (4.0, 13.0),
        unit: Unit::Days,
        source: "Moore County, NC, 2022: two substations shot, about 4 days dark; Ukrenergo 2024: four 750 kV substations restored in 13 days",
        scenario: "scenarios/baltic_blackout.ron",
        run_days: None,
        measure: substation_outage_d,
    },
    Figure {
        name: "EU attribution of a destructive cyber attack",
        real: (180.0, 300.0),
        unit: Unit::Days,
        source: "NotPetya 2017: attribution by the UK and the US after about 8 months",
        scenario: "scenarios/notpetya_wiper.ron",
        run_days: None,
        measure: attribution_d,
    },
    Figure {
        name: "IPCR fully activated after the first effect",
        real: (3.0, 15.0),
        unit: Unit::Days,
        source: "IPCR: 15 days (2015 migration crisis), 3 days (Russia's invasion of Ukraine, 2022)",
        scenario: "scenarios/baltic_hybrid.ron",
        run_days: None,
        measure: ipcr_full_d,
    },
    Figure {
        name: "Art. 222 invoked (Baltic hybrid campaign)",
        real: (0.0, 0.05),
        unit: Unit::Share,
        source: "Art. 222 TFEU: never formally invoked since 2009 (Council Decision 2014/415/EU sets out its use)",
        scenario: "scenarios/baltic_hybrid.ron",
        run_days: None,
        measure: art222,
    },
    Figure {
        name: "Art. 222 invoked (NotPetya-style wiper)",
        real: (0.0, 0.05),
        unit: Unit::Share,
        source: "Art. 222 TFEU: never formally invoked, not even for NotPetya (2017)",
        scenario: "scenarios/notpetya_wiper.ron",
        run_days: None,
        measure: art222,
    },
    Figure {
        name: "the wiper starts (the scenario's premise)",
        real: (1.0, 1.0),
        unit: Unit::Share,
        source: "NotPetya 2017: the poisoned update reached its victims",
        scenario: "scenarios/notpetya_wiper.ron",
        run_days: None,
        measure: wiper_started,
    },
];

/// A figure's p5, p50 and p95 over its samples; `None` past the end.
fn quantiles(mut v: Vec<Option<f64>>) -> [Option<f64>; 3] {
    // Later than anything: not yet by the end.
    v.sort_by(|a, b| match (a, b) {
        (Some(x), Some(y)) => x.total_cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let at = |q: f64| {
        let k = ((v.len() - 1) as f64 * q).round() as usize;
        v[k]
    };
    [at(0.05), at(0.5), at(0.95)]
}

/// How the model's median compares with the real range.
fn verdict(real: (f64, f64), p50: Option<f64>, end: f64) -> String {
    let (lo, hi) = real;
    match p50 {
        // Past the end: later than `end`, which is all the run can say.
        None if end < lo => "beyond the run, as in reality".into(),
        None if end < hi => "past the end, consistent with the range".into(),
        None => format!("off: not by the end ({end:.1}), real {lo}-{hi}"),
        Some(m) if m >= lo && m <= hi => "within the range".into(),
        Some(m) if m >= lo / 2.0 && m <= hi * 2.0 => "within a factor of 2".into(),
        Some(m) => {
            let f = if m > hi {
                m / hi.max(1e-9)
            } else {
                lo / m.max(1e-9)
            };
            format!("off by a factor of {f:.0}")
        }
    }
}

fn table() -> String {
    let mut o = String::from(
        "# Calibration\n\n\
         Each figure from a real incident or mechanism (with its source) beside \
         what pacesim gives over 200 seeds (1 to 200) of the shipped scenario that models it, \
         with the playbooks the scenario names. Shares are of runs or of occurrences (in the p50 column); times \
         count occurrences (incidents, footholds, narratives), and a quantile past the \
         scenario's end reads \"> end\". Written by `PACESIM_CALIBRATION_WRITE=1 cargo test --release --test \
         fidelity calibration`; the same test fails when this file is out of date.\n\n\
         | figure | real | source | scenario | n | p5 | p50 | p95 | verdict |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    let mut cats = BTreeMap::new();
    for f in FIGURES {
        let cat = cats
            .entry((f.scenario, f.run_days))
            .or_insert_with(|| {
                compile(f.scenario, None, |c| {
                    if let Some(d) = f.run_days {
                        c.duration = pacesim::engine::Duration::days(d);
                    }
                })
            })
            .clone();
        let samples: Vec<Option<f64>> =
            each(&cat, SEEDS, f.measure).into_iter().flatten().collect();
        let end_h = cat.duration.0 as f64 / 3600.0;
        let end = match f.unit {
            Unit::Hours => end_h,
            Unit::Days => days(end_h),
            Unit::Share | Unit::People => f64::INFINITY,
        };
        let n = samples.len();
        let [p5, p50, p95] = match f.unit {
            _ if n == 0 => [None; 3],
            // A share: the share itself, in the median's column.
            Unit::Share => {
                let share = samples.iter().flatten().sum::<f64>() / n as f64;
                [None, Some(share), None]
            }
            _ => quantiles(samples),
        };
        let show = |q: Option<f64>| match (q, f.unit) {
            (None, Unit::Share) => "-".to_string(),
            (None, _) => "> end".to_string(),
            (Some(v), u) => u.show(v),
        };
        let real = if f.real.0 == f.real.1 {
            f.unit.show(f.real.0)
        } else {
            format!("{} to {}", f.unit.show(f.real.0), f.unit.show(f.real.1))
        };
        let verdict = match (n, f.unit, p50) {
            (0, _, _) => "not measured: no occurrence".into(),
            // Shares have no factor: within the range, or so many points off.
            (_, Unit::Share, Some(share)) => {
                let off = (f.real.0 - share).max(share - f.real.1).max(0.0);
                if off == 0.0 {
                    "within the range".into()
                } else {
                    format!("off by {:.0} points", off * 100.0)
                }
            }
            _ => verdict(f.real, p50, end),
        };
        let scenario = match f.run_days {
            None => f.scenario.trim_start_matches("scenarios/").to_string(),
            Some(d) => format!(
                "{} (run for {d} d)",
                f.scenario.trim_start_matches("scenarios/")
            ),
        };
        let _ = writeln!(
            o,
            "| {} | {real} | {} | {scenario} | {n} | {} | {} | {} | {verdict} |",
            f.name,
            f.source,
            show(p5),
            show(p50),
            show(p95)
        );
    }
    o
}

#[test]
fn calibration_table_is_current() {
    if !release() {
        eprintln!("skipped in a debug build: cargo test --release --test fidelity");
        return;
    }
    let path = root().join("docs/CALIBRATION.md");
    let now = table();
    if std::env::var_os("PACESIM_CALIBRATION_WRITE").is_some() {
        std::fs::write(&path, &now).expect("docs/CALIBRATION.md written");
        return;
    }
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == now,
        "docs/CALIBRATION.md is out of date; write it with \
         PACESIM_CALIBRATION_WRITE=1 cargo test --release --test fidelity calibration\n{now}"
    );
}
