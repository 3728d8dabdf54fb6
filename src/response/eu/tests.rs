//! Behaviour of the EU and NATO mechanisms, on a small three-country world
//! (Estonia and Latvia, EU and NATO; Finland, EU only) written for each
//! test with the playbook sections it needs. Each test compares a run with
//! a control run on the same seed (common random numbers: the attacks are
//! the same whatever the playbook) where the mechanism is absent or set up
//! differently.

use std::sync::Arc;

use super::{DecisionKind, EuState, EuWhat};
use crate::diag::SourceFile;
use crate::log::{Failure, What};
use crate::playbook::{Body, IpcrMode, Need, Response};
use crate::run::{Finished, execute};
use crate::scenario::from_source;
use crate::world::catalog::{Catalog, CountryIx};

const EE: CountryIx = CountryIx(0);
const LV: CountryIx = CountryIx(1);
const FI: CountryIx = CountryIx(2);

const H: u64 = 3600;
const D: u64 = 24 * H;

const MID: &str =
    "cyber: 0.5, cbrn_detection: 0.5, civil_protection: 0.5, health: 0.5, stratcom: 0.5";
const PLENTY: &str =
    "csirt_teams: 4, repair_crews: 4, decon_units: 4, surge_beds: 2000, countermeasure_doses: 5000";

/// The test world: EE, LV (EU and NATO) and FI (EU only), each with a grid
/// and a telecom operator (EE also a bank), an audience each, and the
/// campaigns, dependencies, capacities and resources a test gives.
struct World {
    duration: &'static str,
    caps: [String; 3],
    resources: [String; 3],
    deps: String,
    campaigns: String,
}

impl World {
    fn new(campaigns: &str) -> World {
        World {
            duration: "4d",
            caps: [MID.into(), MID.into(), MID.into()],
            resources: [PLENTY.into(), PLENTY.into(), PLENTY.into()],
            deps: String::new(),
            campaigns: campaigns.into(),
        }
    }

    fn duration(mut self, d: &'static str) -> World {
        self.duration = d;
        self
    }

    fn caps(mut self, c: CountryIx, caps: &str) -> World {
        self.caps[c.i()] = caps.into();
        self
    }

    fn resources(mut self, c: CountryIx, r: &str) -> World {
        self.resources[c.i()] = r.into();
        self
    }

    fn deps(mut self, d: &str) -> World {
        self.deps = d.into();
        self
    }

    /// The world with these playbooks (full `Playbook(...)` texts, merged in order).
    fn catalog(&self, playbooks: &[&str]) -> Arc<Catalog> {
        let [ce, cl, cf] = &self.caps;
        let [re, rl, rf] = &self.resources;
        let text = format!(
            r#"Scenario(
    name: "eu test", start: "2026-03-02T06:00:00Z", duration: "{duration}", seed: 1,
    countries: [
        (id: "EE", name: "Estonia", population: 1400000, nato: true, trust: 0.55, capacities: ({ce}), resources: ({re})),
        (id: "LV", name: "Latvia", population: 1900000, nato: true, trust: 0.45, capacities: ({cl}), resources: ({rl})),
        (id: "FI", name: "Finland", population: 5600000, trust: 0.7, capacities: ({cf}), resources: ({rf})),
    ],
    actors: [(id: "APT", name: "Hostile service", kind: ThreatActor)],
    infrastructure: (
        nodes: [
            (id: "EE-grid", name: "Elering", sector: Energy, country: "EE", serves: 1400000, restore: Fixed("6h"), hardening: 0.0),
            (id: "EE-tel", name: "Telia EE", sector: Telecom, country: "EE", serves: 1000000, restore: Fixed("4h"), hardening: 0.0),
            (id: "EE-bank", name: "Bank", sector: Finance, country: "EE", serves: 900000, restore: Fixed("8h"), hardening: 1.0),
            (id: "LV-grid", name: "AST", sector: Energy, country: "LV", serves: 1900000, restore: Fixed("6h"), hardening: 0.0),
            (id: "LV-tel", name: "LMT", sector: Telecom, country: "LV", serves: 1500000, restore: Fixed("4h"), hardening: 1.0),
            (id: "FI-grid", name: "Fingrid", sector: Energy, country: "FI", serves: 5600000, restore: Fixed("6h"), hardening: 0.0),
            (id: "FI-tel", name: "Elisa", sector: Telecom, country: "FI", serves: 4000000, restore: Fixed("4h"), hardening: 1.0),
        ],
        dependencies: [{deps}],
    ),
    audiences: [
        (id: "EE-ru", country: "EE", name: "Russian speakers", size: 300000, susceptibility: 0.7),
        (id: "LV-all", country: "LV", name: "Latvian public", size: 1500000, susceptibility: 0.3),
        (id: "FI-all", country: "FI", name: "Finnish public", size: 4000000, susceptibility: 0.2),
    ],
    campaigns: [{campaigns}],
)"#,
            duration = self.duration,
            deps = self.deps,
            campaigns = self.campaigns,
        );
        let loaded = from_source(SourceFile::new("test.ron", text))
            .unwrap_or_else(|d| panic!("{}", d[0].render(false)));
        let mut cat = Catalog::compile(&loaded.scenario).unwrap();
        let books: Vec<_> = playbooks
            .iter()
            .enumerate()
            .map(|(i, text)| {
                crate::playbook::from_source(SourceFile::new(format!("p{i}.ron"), *text))
                    .unwrap_or_else(|d| panic!("{}", d[0].render(false)))
            })
            .collect();
        cat.response = Response::merge(&books);
        Arc::new(cat)
    }

    fn run(&self, playbooks: &[&str], seed: u64) -> Finished {
        execute(self.catalog(playbooks), seed, None)
    }
}

/// A playbook with these sections.
fn playbook(sections: &str) -> String {
    format!("Playbook(name: \"test\", {sections})")
}

/// The log as (seconds, event).
fn log(f: &Finished) -> Vec<(u64, What)> {
    f.sim.model.log().iter().map(|e| (e.t.0, e.what)).collect()
}

/// The EU and NATO events, as (seconds, event).
fn eu_log(f: &Finished) -> Vec<(u64, EuWhat)> {
    f.sim
        .model
        .log()
        .iter()
        .filter_map(|e| match e.what {
            What::Eu(w) => Some((e.t.0, w)),
            _ => None,
        })
        .collect()
}

/// Times of the EU events that match.
fn eu_times(f: &Finished, pick: impl Fn(&EuWhat) -> bool) -> Vec<u64> {
    eu_log(f)
        .into_iter()
        .filter(|(_, w)| pick(w))
        .map(|(t, _)| t)
        .collect()
}

/// Times of the events that match.
fn times(f: &Finished, pick: impl Fn(&What) -> bool) -> Vec<u64> {
    log(f)
        .into_iter()
        .filter(|(_, w)| pick(w))
        .map(|(t, _)| t)
        .collect()
}

fn state(f: &Finished) -> &EuState {
    f.sim.model.world().resource::<EuState>()
}

fn hours(secs: u64) -> f64 {
    secs as f64 / H as f64
}

// ---------------------------------------------------------------------------
// UCPM and the ERCC
// ---------------------------------------------------------------------------

/// A chemical release at 1h in each of `countries`, which have no
/// decontamination units of their own.
fn releases(countries: &[&str], exposed: u32, severe: f64, lethality: f64) -> World {
    let steps: Vec<String> = countries
        .iter()
        .map(|c| {
            format!(
                r#"(id: "r{c}", after: Some("start"), delay: Fixed("1h"), success: 1.0,
                   action: Release(country: "{c}", agent: Chemical("nerve agent"), exposed: {exposed}, severe: {severe}, lethality: {lethality}))"#
            )
        })
        .collect();
    let campaign = format!(
        r#"(id: "cbrn", name: "cbrn", actor: "APT", steps: [{}])"#,
        steps.join(",")
    );
    let no_decon = "csirt_teams: 4, repair_crews: 4, decon_units: 0, surge_beds: 2000, countermeasure_doses: 5000";
    World::new(&campaign)
        .resources(EE, no_decon)
        .resources(LV, no_decon)
}

/// A UCPM section: requests when a state is overwhelmed, decided in an hour.
fn ucpm(desks: u32, processing: &str, modules: &str) -> String {
    format!(
        r#"ucpm: Some((
            request: (when: Overwhelmed, deliberation: Fixed("1h")),
            ercc_desks: {desks},
            processing: Fixed("{processing}"),
            modules: [{modules}],
        ))"#
    )
}

const DECON_MODULE: &str = r#"(id: "DE-decon", name: "Decontamination module", from: "DE",
    capability: Decontamination(2), lead_time: Fixed("3h"), stay: "1d")"#;
const DECON_MODULE_2: &str = r#"(id: "FR-decon", name: "Second decontamination module", from: "FR",
    capability: Decontamination(2), lead_time: Fixed("3h"), stay: "1d")"#;

/// (request, country, need) of every request, with the time it was made.
fn requests(f: &Finished) -> Vec<(u64, u16, CountryIx, Need, u16)> {
    eu_log(f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            EuWhat::AssistanceRequested {
                request,
                country,
                need,
                queued,
            } => Some((t, request, country, need, queued)),
            _ => None,
        })
        .collect()
}

fn decon_requests(f: &Finished) -> Vec<(u64, u16, CountryIx, u16)> {
    requests(f)
        .into_iter()
        .filter(|r| r.3 == Need::Decontamination)
        .map(|(t, id, c, _, q)| (t, id, c, q))
        .collect()
}

fn deployed_at(f: &Finished, id: u16) -> Option<u64> {
    eu_times(
        f,
        |w| matches!(w, EuWhat::ModuleDeployed { request, .. } if *request == id),
    )
    .first()
    .copied()
}

fn offered_at(f: &Finished, id: u16) -> Option<u64> {
    eu_times(
        f,
        |w| matches!(w, EuWhat::OfferAccepted { request, .. } if *request == id),
    )
    .first()
    .copied()
}

#[test]
fn a_second_request_waits_while_the_only_module_of_its_capability_is_deployed() {
    let world = releases(&["EE", "LV"], 3000, 0.01, 0.1);
    let one = playbook(&ucpm(2, "2h", DECON_MODULE));
    let f = world.run(&[&one], 1);
    let reqs = decon_requests(&f);
    assert_eq!(
        reqs.len(),
        2,
        "both states ask for decontamination: {reqs:?}"
    );
    let (first, second) = (reqs[0].1, reqs[1].1);
    let waiting: Vec<u16> = eu_log(&f)
        .iter()
        .filter_map(|(_, w)| match w {
            EuWhat::AwaitingModule { request, .. } => Some(*request),
            _ => None,
        })
        .collect();
    assert_eq!(waiting, [second], "only the second request waits");
    let returned = eu_times(&f, |w| {
        matches!(w, EuWhat::ModuleReturned { module: 0, .. })
    });
    let back = returned[0];
    let d1 = deployed_at(&f, first).expect("the first request is served");
    let d2 = deployed_at(&f, second).expect("the second request is served once the module is back");
    assert_eq!(back, d1 + D, "the module stays a day");
    assert_eq!(
        offered_at(&f, second),
        Some(back),
        "offered when it returns"
    );
    assert_eq!(d2, back + 3 * H, "deployed after its lead time");

    // Control: with a second module of the same capability nobody waits.
    let two = playbook(&ucpm(2, "2h", &format!("{DECON_MODULE}, {DECON_MODULE_2}")));
    let g = world.run(&[&two], 1);
    assert!(
        eu_times(&g, |w| matches!(w, EuWhat::AwaitingModule { .. })).is_empty(),
        "two modules serve two requests at once"
    );
    for (t, id, _, _) in decon_requests(&g) {
        assert_eq!(
            deployed_at(&g, id),
            Some(t + 5 * H),
            "processing + lead time"
        );
    }
}

#[test]
fn with_one_ercc_desk_a_second_request_queues_for_it() {
    let world = releases(&["EE", "LV"], 3000, 0.01, 0.1);
    let modules = format!("{DECON_MODULE}, {DECON_MODULE_2}");
    let one_desk = world.run(&[&playbook(&ucpm(1, "1d", &modules))], 1);
    let two_desks = world.run(&[&playbook(&ucpm(2, "1d", &modules))], 1);
    let (a, b) = (decon_requests(&one_desk), decon_requests(&two_desks));
    assert_eq!(a.len(), 2, "{a:?}");
    assert!(
        a[1].0 < a[0].0 + D,
        "both requests come within a day: {a:?}"
    );
    assert_eq!(
        (a[0].3, a[1].3),
        (0, 1),
        "with one desk the second request has one ahead of it"
    );
    assert_eq!((b[0].3, b[1].3), (0, 0), "with two desks nobody waits");
    // The queued request is worked once the first is through.
    assert_eq!(offered_at(&one_desk, a[1].1), Some(a[0].0 + 2 * D));
    assert_eq!(offered_at(&two_desks, b[1].1), Some(b[1].0 + D));
    assert!(state(&one_desk).ucpm.longest_desk_queue >= 1);
}

#[test]
fn ucpm_countermeasures_save_lives_and_arrive_after_processing_and_lead_time() {
    let campaign = r#"(id: "cbrn", name: "cbrn", actor: "APT", steps: [(id: "r", delay: Fixed("1h"), success: 1.0,
        action: Release(country: "EE", agent: Chemical("nerve agent"), exposed: 2000, severe: 0.3, lethality: 0.5))])"#;
    // A laboratory that names the agent within a day or so; no antidote in stock.
    let world = World::new(campaign)
        .caps(EE, "cyber: 0.5, cbrn_detection: 1.0, civil_protection: 0.5, health: 1.0, stratcom: 0.5")
        .resources(
            EE,
            "csirt_teams: 4, repair_crews: 4, decon_units: 4, surge_beds: 2000, countermeasure_doses: 0",
        );
    let stockpile = r#"(id: "SE-medical", name: "Countermeasure stockpile", from: "SE",
        capability: Countermeasures(5000), lead_time: Fixed("5h"), stay: "30d")"#;
    let with_ucpm = world.catalog(&[&playbook(&ucpm(2, "3h", stockpile))]);
    let national = world.catalog(&[&playbook("")]);
    let deaths = |cat: &Arc<Catalog>| -> u64 {
        (1..=4)
            .map(|seed| execute(cat.clone(), seed, None).summary.cbrn.dead)
            .sum()
    };
    let (dead_with, dead_without) = (deaths(&with_ucpm), deaths(&national));
    eprintln!(
        "deaths over 4 seeds: with UCPM countermeasures {dead_with}, national only {dead_without}"
    );
    assert!(
        (dead_with as f64) < 0.7 * dead_without as f64,
        "UCPM countermeasures: {dead_with} vs {dead_without} deaths"
    );
    let with = execute(with_ucpm, 1, None);
    let req = state(&with)
        .ucpm
        .requests
        .iter()
        .find(|r| r.need == Need::Countermeasures)
        .expect("EE asks for countermeasures");
    let took = req.deployed.unwrap().since(req.requested);
    assert_eq!(
        took.0,
        8 * H,
        "request to deployment = processing 3h + lead time 5h"
    );
}

#[test]
fn ucpm_decontamination_clears_people_a_state_without_units_cannot() {
    let world = releases(&["EE"], 4000, 0.01, 0.1);
    let with = world.run(&[&playbook(&ucpm(2, "2h", DECON_MODULE))], 1);
    let without = world.run(&[&playbook("")], 1);
    let (w, wo) = (&with.summary.cbrn, &without.summary.cbrn);
    eprintln!(
        "decontaminated {} of {} exposed with UCPM, {} of {} national only",
        w.decontaminated, w.exposed, wo.decontaminated, wo.exposed
    );
    assert_eq!(wo.decontaminated, 0, "no units, nobody decontaminated");
    assert_eq!(w.decontaminated, w.exposed, "the module clears everyone");
    assert!(
        w.exposed < wo.exposed,
        "decontamination stops secondary contamination: {} vs {}",
        w.exposed,
        wo.exposed
    );
    let done = times(
        &with,
        |e| matches!(e, What::Casualties { decontaminated, exposed, .. } if decontaminated == exposed),
    );
    let released = times(&with, |e| matches!(e, What::Release { .. }))[0];
    eprintln!(
        "everyone decontaminated {:.1}h after the release",
        hours(done[0] - released)
    );
    assert!(done[0] - released < D);
}

#[test]
#[ignore = "bug: raise() never raises the same (decision kind, country) twice, so once a UCPM module has returned a state can never request that capability again, although ucpm::returns() clears `open` to allow it (a second release in the same state gets no help)"]
fn a_state_can_ask_again_for_a_capability_after_its_module_has_left() {
    let campaign = r#"(id: "cbrn", name: "cbrn", actor: "APT", steps: [
        (id: "r1", after: Some("start"), delay: Fixed("1h"), success: 1.0,
         action: Release(country: "EE", agent: Chemical("chlorine"), exposed: 3000, severe: 0.01, lethality: 0.1)),
        (id: "r2", after: Some("start"), delay: Fixed("3d"), success: 1.0,
         action: Release(country: "EE", agent: Chemical("chlorine"), exposed: 3000, severe: 0.01, lethality: 0.1))])"#;
    let world = World::new(campaign).duration("5d").resources(
        EE,
        "csirt_teams: 4, repair_crews: 4, decon_units: 0, surge_beds: 2000, countermeasure_doses: 5000",
    );
    let f = world.run(&[&playbook(&ucpm(2, "2h", DECON_MODULE))], 1);
    let returned = eu_times(&f, |w| matches!(w, EuWhat::ModuleReturned { .. }));
    assert!(
        returned.first().is_some_and(|t| *t < 3 * D),
        "the module leaves before the second release: {returned:?}"
    );
    assert_eq!(
        decon_requests(&f).len(),
        2,
        "the second release finds EE without units again, and EE asks again"
    );
}

// ---------------------------------------------------------------------------
// IPCR and the solidarity clause
// ---------------------------------------------------------------------------

/// IPCR that moves to information sharing an hour in (standing arrangement)
/// and considers full activation when `full_when` holds.
fn ipcr(full_when: &str, full_deliberation: &str, cut: f64) -> String {
    format!(
        r#"ipcr: Some((
            monitoring: Always,
            information_sharing: (when: Always, deliberation: Fixed("1h")),
            full_activation: (when: {full_when}, deliberation: Fixed("{full_deliberation}")),
            isaa: (information_sharing: "12h", full_activation: "4h"),
            coordination: (information_sharing: {cut}, full_activation: {cut}),
        ))"#
    )
}

const SOLIDARITY: &str = r#"solidarity: Some((
    invoke: (when: Casualties(10), deliberation: Fixed("2h")),
    faster_assistance: 0.3,
))"#;

const NEVER: &str = "Casualties(100000000)";

fn ipcr_modes(f: &Finished) -> Vec<(u64, IpcrMode)> {
    eu_log(f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            EuWhat::IpcrMode { mode } => Some((t, mode)),
            _ => None,
        })
        .collect()
}

fn isaa(f: &Finished) -> Vec<(u64, IpcrMode)> {
    eu_log(f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            EuWhat::IsaaReport { mode, .. } => Some((t, mode)),
            _ => None,
        })
        .collect()
}

#[test]
fn art_222_brings_ipcr_to_full_activation_at_once_and_overtakes_the_presidency() {
    let world = releases(&["EE"], 2000, 0.05, 0.1);
    // The Presidency would take three days to decide on full activation.
    let ipcr = ipcr("Always", "3d", 0.2);
    let f = world.run(&[&playbook(&format!("{ipcr}, {SOLIDARITY}"))], 1);
    let invoked: Vec<(u64, CountryIx)> = eu_log(&f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            EuWhat::SolidarityInvoked { country } => Some((t, country)),
            _ => None,
        })
        .collect();
    assert_eq!(
        invoked.len(),
        1,
        "only the stricken state invokes: {invoked:?}"
    );
    let (at, country) = invoked[0];
    assert_eq!(country, EE);
    assert!(at < 3 * D, "invoked before the Presidency decides");
    let full: Vec<u64> = ipcr_modes(&f)
        .into_iter()
        .filter(|(_, m)| *m == IpcrMode::FullActivation)
        .map(|(t, _)| t)
        .collect();
    assert_eq!(full, [at], "full activation comes with the invocation");
    assert_eq!(
        state(&f).ipcr.entered.get(&IpcrMode::FullActivation),
        Some(&crate::engine::SimTime(at))
    );
    let raised = eu_times(&f, |w| {
        matches!(
            w,
            EuWhat::DecisionRaised {
                kind: DecisionKind::IpcrFullActivation,
                ..
            }
        )
    });
    let overtaken = eu_times(&f, |w| {
        matches!(
            w,
            EuWhat::DecisionOvertaken {
                kind: DecisionKind::IpcrFullActivation,
                ..
            }
        )
    });
    assert_eq!(
        overtaken,
        [raised[0] + 3 * D],
        "the pending decision is overtaken"
    );
    assert!(
        eu_times(&f, |w| matches!(
            w,
            EuWhat::DecisionTaken {
                kind: DecisionKind::IpcrFullActivation,
                ..
            }
        ))
        .is_empty()
    );

    // Control: without Art. 222 full activation waits for the Presidency.
    let g = world.run(&[&playbook(&ipcr)], 1);
    let full: Vec<u64> = ipcr_modes(&g)
        .into_iter()
        .filter(|(_, m)| *m == IpcrMode::FullActivation)
        .map(|(t, _)| t)
        .collect();
    assert_eq!(full, [raised[0] + 3 * D]);
}

#[test]
fn isaa_reports_follow_the_cadence_of_the_mode() {
    let world = releases(&["EE"], 2000, 0.05, 0.1).duration("3d");
    // Information sharing at 1h, full activation by decision at 2d.
    let f = world.run(&[&playbook(&ipcr("Always", "2d", 0.2))], 1);
    let reports = isaa(&f);
    let sharing: Vec<u64> = reports
        .iter()
        .filter(|r| r.1 == IpcrMode::InformationSharing)
        .map(|r| r.0)
        .collect();
    let full: Vec<u64> = reports
        .iter()
        .filter(|r| r.1 == IpcrMode::FullActivation)
        .map(|r| r.0)
        .collect();
    assert_eq!(sharing, [H, 13 * H, 25 * H, 37 * H], "every 12h from entry");
    assert_eq!(full[0], 2 * D, "a report on full activation");
    let gaps: Vec<u64> = full.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.len() >= 4, "{gaps:?}");
    assert!(
        gaps[1..].iter().all(|g| *g == 4 * H),
        "then every 4h: {gaps:?}"
    );
    assert_eq!(state(&f).ipcr.reports as usize, reports.len());
}

#[test]
#[ignore = "bug: ipcr::enter keeps the information-sharing ISAA schedule after full activation: entering full activation directly (Art. 222 from Off) schedules the next report on the information-sharing cadence, and entering it from information sharing keeps the pending report, so the first gap in full activation can be the whole information-sharing period (eu_2019: 3d instead of 1d)"]
fn in_full_activation_isaa_reports_never_wait_longer_than_its_cadence() {
    let world = releases(&["EE"], 2000, 0.05, 0.1).duration("3d");
    // Straight from Off to full activation by Art. 222.
    let never_sharing = r#"ipcr: Some((
            monitoring: Always,
            information_sharing: (when: Casualties(100000000), deliberation: Fixed("1h")),
            full_activation: (when: Casualties(100000000), deliberation: Fixed("1h")),
            isaa: (information_sharing: "12h", full_activation: "4h"),
            coordination: (information_sharing: 0.2, full_activation: 0.2),
        ))"#;
    // From information sharing (1h) to full activation at 1d 14h, an hour
    // after the 1d 13h report, by the Presidency's decision.
    let late = ipcr("Always", "1d 14h", 0.2);
    let cases = [
        ("Art. 222", format!("{never_sharing}, {SOLIDARITY}")),
        ("Presidency", late),
    ];
    let mut late_reports = Vec::new();
    for (name, sections) in cases {
        let f = world.run(&[&playbook(&sections)], 1);
        let full: Vec<u64> = isaa(&f)
            .into_iter()
            .filter(|r| r.1 == IpcrMode::FullActivation)
            .map(|r| r.0)
            .collect();
        assert!(full.len() >= 2, "{name}: {full:?}");
        let gaps: Vec<f64> = full.windows(2).map(|w| hours(w[1] - w[0])).collect();
        if gaps.iter().any(|g| *g > 4.0) {
            late_reports.push((name, gaps));
        }
    }
    assert!(
        late_reports.is_empty(),
        "hours between ISAA reports in full activation (cadence 4h): {late_reports:?}"
    );
}

#[test]
fn ipcr_coordination_shortens_ucpm_processing_and_lead_time() {
    let world = releases(&["EE"], 3000, 0.01, 0.1);
    let ucpm = r#"ucpm: Some((
            request: (when: Overwhelmed, deliberation: Fixed("1h")),
            ercc_desks: 2,
            processing: Fixed("10h"),
            modules: [(id: "DE-decon", name: "Decontamination module", from: "DE",
                capability: Decontamination(2), lead_time: Fixed("4h"), stay: "1d")],
        ))"#;
    let timing = |cut: f64| {
        let f = world.run(
            &[&playbook(&format!("{}, {ucpm}", ipcr(NEVER, "1h", cut)))],
            1,
        );
        let (t, id, _, _) = decon_requests(&f)[0];
        assert!(
            state(&f).ipcr.entered[&IpcrMode::InformationSharing].0 < t,
            "IPCR shares information before the request"
        );
        let offered = offered_at(&f, id).unwrap();
        (offered - t, deployed_at(&f, id).unwrap() - offered)
    };
    assert_eq!(timing(0.0), (10 * H, 4 * H), "no coordination");
    assert_eq!(timing(0.5), (5 * H, 2 * H), "IPCR cuts both by half");
}

#[test]
fn zz_probe() {
    let campaign = r#"(id: "dis", name: "dis", actor: "APT", steps: [(id: "n", delay: Fixed("2h"), success: 1.0,
      action: Narrative(id: "lie", title: "lie", audiences: ["EE-ru", "LV-all", "FI-all"], virality: 0.15, seed_reach: 0.005))])"#;
    let weak = "cyber: 0.5, cbrn_detection: 0.5, civil_protection: 0.5, health: 0.5, stratcom: 0.0";
    let world = World::new(campaign)
        .caps(LV, weak)
        .caps(FI, weak)
        .duration("6d");
    let sc = |ras: &str| {
        playbook(&format!(
            r#"stratcom: Some((spot_reach: 0.01, analysis: Fixed("3h"), debunk: 0.1, ras: {ras}))"#
        ))
    };
    let with = world.run(
        &[&sc(
            r#"Some((alert_reach: 0.03, delay: Fixed("1h"), national_response: Fixed("1h")))"#,
        )],
        1,
    );
    let without = world.run(&[&sc("None")], 1);
    for f in [&with, &without] {
        eprintln!("peak {:.4}", f.summary.opinion.narratives[0].peak_reach);
        for (t, w) in log(f) {
            match w {
                What::NarrativeDetected { .. }
                | What::Debunked { .. }
                | What::PlatformAction { .. }
                | What::Eu(_) => eprintln!("{:.1} {:?}", hours(t), w),
                What::NarrativeReach { country, reach, .. } if t % (6 * H) == 0 => {
                    eprintln!("{:.1} reach {:?} {:.4}", hours(t), country, reach)
                }
                _ => {}
            }
        }
    }
}
