//! Behaviour of the EU and NATO mechanisms, on a small three-country world
//! (Estonia and Latvia, EU and NATO; Finland, EU only) written for each
//! test with the playbook sections it needs. Each test compares a run with
//! a control run on the same seed (common random numbers: the attacks are
//! the same whatever the playbook) where the mechanism is absent or set up
//! differently.

use std::sync::Arc;

use super::analysis::AnalysisRecord;
use super::blueprint::BlueprintRecord;
use super::decision::DecisionRecord;
use super::ipcr::IpcrRecord;
use super::lending::{Lender, Loan, LoanRecord};
use super::nato::NatoRecord;
use super::solidarity::SolidarityRecord;
use super::stratcom::StratComRecord;
use super::toolbox::ToolboxRecord;
use super::ucpm::UcpmRecord;
use super::{DecisionKind, EuRecord, EuState};
use crate::diag::SourceFile;
use crate::exercise::What;
use crate::playbook::{Body, IpcrMode, Need};
use crate::response::national::NationalRecord;
use crate::run::{Finished, execute};
use crate::scenario::catalog::{Catalog, CountryIx};
use crate::scenario::from_source;
use crate::threats::cbrn::CbrnRecord;
use crate::threats::cyber::CyberRecord;
use crate::threats::{CampaignRecord, Failure};

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
    msel: String,
}

impl World {
    fn new(campaigns: &str) -> World {
        World {
            duration: "4d",
            caps: [MID.into(), MID.into(), MID.into()],
            resources: [PLENTY.into(), PLENTY.into(), PLENTY.into()],
            deps: String::new(),
            campaigns: campaigns.into(),
            msel: String::new(),
        }
    }

    fn msel(mut self, injects: &str) -> World {
        self.msel = injects.into();
        self
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
    actors: [(id: "APT", name: "Hostile service", kind: ThreatActor), (id: "CRIME", name: "Ransomware gang", kind: ThreatActor)],
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
    msel: [{msel}],
)"#,
            duration = self.duration,
            deps = self.deps,
            campaigns = self.campaigns,
            msel = self.msel,
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
        cat.response = super::mechanisms::merge(&books);
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
fn requests(f: &Finished) -> Vec<(u64, u32, CountryIx, Need, u16)> {
    log(f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Ucpm(UcpmRecord::AssistanceRequested {
                request,
                country,
                need,
                queued,
            })) => Some((t, request, country, need, queued)),
            _ => None,
        })
        .collect()
}

fn decon_requests(f: &Finished) -> Vec<(u64, u32, CountryIx, u16)> {
    requests(f)
        .into_iter()
        .filter(|r| r.3 == Need::Decontamination)
        .map(|(t, id, c, _, q)| (t, id, c, q))
        .collect()
}

fn deployed_at(f: &Finished, id: u32) -> Option<u64> {
    times(
        f,
        |w| matches!(w, What::Eu(EuRecord::Ucpm(UcpmRecord::ModuleDeployed { request, .. })) if *request == id),
    )
    .first()
    .copied()
}

fn offered_at(f: &Finished, id: u32) -> Option<u64> {
    times(
        f,
        |w| matches!(w, What::Eu(EuRecord::Ucpm(UcpmRecord::OfferAccepted { request, .. })) if *request == id),
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
    let waiting: Vec<u32> = log(&f)
        .iter()
        .filter_map(|(_, w)| match w {
            What::Eu(EuRecord::Ucpm(UcpmRecord::AwaitingModule { request, .. })) => Some(*request),
            _ => None,
        })
        .collect();
    assert_eq!(waiting, [second], "only the second request waits");
    let returned = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Ucpm(UcpmRecord::ModuleReturned { module: 0, .. }))
        )
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
        times(&g, |w| matches!(
            w,
            What::Eu(EuRecord::Ucpm(UcpmRecord::AwaitingModule { .. }))
        ))
        .is_empty(),
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
        |e| matches!(e, What::Cbrn(CbrnRecord::Casualties { decontaminated, exposed, .. }) if decontaminated == exposed),
    );
    let released = times(&with, |e| {
        matches!(e, What::Cbrn(CbrnRecord::Release { .. }))
    })[0];
    eprintln!(
        "everyone decontaminated {:.1}h after the release",
        hours(done[0] - released)
    );
    assert!(done[0] - released < D);
}

#[test]
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
    let returned = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Ucpm(UcpmRecord::ModuleReturned { .. }))
        )
    });
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
    log(f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Ipcr(IpcrRecord::Mode { mode })) => Some((t, mode)),
            _ => None,
        })
        .collect()
}

fn isaa(f: &Finished) -> Vec<(u64, IpcrMode)> {
    log(f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Ipcr(IpcrRecord::IsaaReport { mode, .. })) => Some((t, mode)),
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
    let invoked: Vec<(u64, CountryIx)> = log(&f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Solidarity(SolidarityRecord::Invoked { country })) => {
                Some((t, country))
            }
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
    let raised = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Decision(DecisionRecord::Raised {
                kind: DecisionKind::IpcrFullActivation,
                ..
            }))
        )
    });
    let overtaken = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Decision(DecisionRecord::Overtaken {
                kind: DecisionKind::IpcrFullActivation,
                ..
            }))
        )
    });
    assert_eq!(
        overtaken,
        [raised[0] + 3 * D],
        "the pending decision is overtaken"
    );
    assert!(
        times(&f, |w| matches!(
            w,
            What::Eu(EuRecord::Decision(DecisionRecord::Taken {
                kind: DecisionKind::IpcrFullActivation,
                ..
            }))
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

/// Exercise control scripts the political level: an inject invokes Art. 222
/// in a crisis where the playbook would not (no casualties, no request of
/// the Union's means), and the playbook's clause carries it out at once.
#[test]
fn an_inject_scripts_art_222_and_the_playbook_s_clause_carries_it_out() {
    // The same decision scripted again the next day: done already.
    let world = World::new("").msel(
        r#"(number: 7, at: Time("10h"), from: "EXCON", to: "EE", method: Briefing, subject: "Government decision",
            message: "The Estonian government invokes the solidarity clause.", expected_action: "Council and Commission respond under Council Decision 2014/415/EU.",
            effect: Some(Decide(InvokeSolidarity("EE")))),
           (number: 8, at: Time("1d 10h"), from: "EXCON", to: "EE", method: Briefing, subject: "Again",
            message: "m", expected_action: "a", effect: Some(Decide(InvokeSolidarity("EE"))))"#,
    );
    let ipcr = ipcr("Always", "3d", 0.2);
    let scripted = |f: &Finished| -> Vec<(u64, bool)> {
        log(f)
            .into_iter()
            .filter_map(|(t, w)| match w {
                What::Eu(EuRecord::Decision(DecisionRecord::Scripted {
                    kind: DecisionKind::Solidarity,
                    country: Some(EE),
                    applies,
                    ..
                })) => Some((t, applies)),
                _ => None,
            })
            .collect()
    };
    let invoked = |f: &Finished| {
        times(f, |w| {
            matches!(
                w,
                What::Eu(EuRecord::Solidarity(SolidarityRecord::Invoked {
                    country: EE
                }))
            )
        })
    };
    let f = world.run(&[&playbook(&format!("{ipcr}, {SOLIDARITY}"))], 1);
    assert_eq!(scripted(&f), [(10 * H, true), (34 * H, false)]);
    assert_eq!(invoked(&f), [10 * H], "invoked as the inject fires");
    let full: Vec<u64> = ipcr_modes(&f)
        .into_iter()
        .filter(|(_, m)| *m == IpcrMode::FullActivation)
        .map(|(t, _)| t)
        .collect();
    assert_eq!(full, [10 * H], "and IPCR goes to full activation with it");

    // A playbook without the clause: the decision is logged, nothing follows.
    let g = world.run(&[&playbook(&ipcr)], 1);
    assert_eq!(scripted(&g), [(10 * H, false), (34 * H, false)]);
    assert!(invoked(&g).is_empty());
}

const LAB_MODULE: &str = r#"(id: "FR-lab", name: "Mobile CBRN laboratory", from: "FR",
    capability: CbrnDetection(0.5), lead_time: Fixed("3h"), stay: "14d")"#;

/// Council Decision 2014/415/EU, Art. 4(1): the clause comes after the
/// Union's means. A state whose UCPM requests are served does not invoke it,
/// even with a trigger that always holds; one whose request finds no module does.
#[test]
fn art_222_comes_only_after_the_union_s_means_fell_short() {
    let world = releases(&["EE"], 4000, 0.01, 0.1);
    // EE would invoke at once if nothing else held it back.
    let solidarity = r#"solidarity: Some((
        invoke: (when: Always, deliberation: Fixed("2h")),
        faster_assistance: 0.3,
    ))"#;
    let invoked = |f: &Finished| {
        times(f, |w| {
            matches!(
                w,
                What::Eu(EuRecord::Solidarity(SolidarityRecord::Invoked { .. }))
            )
        })
        .len()
    };
    let served = world.run(
        &[&playbook(&format!(
            "{}, {solidarity}",
            ucpm(2, "2h", &format!("{DECON_MODULE}, {LAB_MODULE}"))
        ))],
        1,
    );
    assert!(
        !decon_requests(&served).is_empty(),
        "EE asks for decontamination"
    );
    assert_eq!(invoked(&served), 0, "the module serves EE: no Art. 222");
    let short = world.run(
        &[&playbook(&format!("{}, {solidarity}", ucpm(2, "2h", "")))],
        1,
    );
    assert_eq!(invoked(&short), 1, "no module fits: EE invokes Art. 222");
}

/// A government that finds its state no longer overwhelmed when its
/// deliberation ends does not invoke Art. 222: the decision is overtaken.
#[test]
fn art_222_is_not_invoked_once_the_state_has_caught_up() {
    // Two sabotaged nodes and one crew: one repair waits, no UCPM module
    // fits, and the queue is empty after about ten hours.
    let world = World::new(
        r#"(id: "s", name: "s", actor: "APT", steps: [
            (id: "a", delay: Fixed("1h"), success: 1.0, action: Sabotage(target: "EE-grid", severity: 1.0)),
            (id: "b", after: Some("start"), delay: Fixed("1h"), success: 1.0, action: Sabotage(target: "EE-tel", severity: 1.0))])"#,
    )
    .resources(
        EE,
        "csirt_teams: 4, repair_crews: 1, decon_units: 4, surge_beds: 2000, countermeasure_doses: 5000",
    );
    let outcome = |deliberation: &str| {
        let f = world.run(
            &[&playbook(&format!(
                r#"{}, solidarity: Some((
                    invoke: (when: Always, deliberation: Fixed("{deliberation}")),
                    faster_assistance: 0.3,
                ))"#,
                ucpm(2, "2h", "")
            ))],
            1,
        );
        let count = |pick: fn(&What) -> bool| times(&f, pick).len();
        (
            count(|w| {
                matches!(
                    w,
                    What::Eu(EuRecord::Solidarity(SolidarityRecord::Invoked { .. }))
                )
            }),
            count(|w| {
                matches!(
                    w,
                    What::Eu(EuRecord::Decision(DecisionRecord::Overtaken {
                        kind: DecisionKind::Solidarity,
                        ..
                    }))
                )
            }),
        )
    };
    assert_eq!(outcome("1h"), (1, 0), "still waiting for a crew: invoked");
    assert_eq!(outcome("3d"), (0, 1), "caught up by then: overtaken");

    // Caught up after the first wave (overtaken at 12 h), overwhelmed again
    // by a second one two days later: the state considers it again.
    let waves = World::new(
        r#"(id: "s", name: "s", actor: "APT", steps: [
            (id: "a", delay: Fixed("1h"), success: 1.0, action: Sabotage(target: "EE-grid", severity: 1.0)),
            (id: "b", after: Some("start"), delay: Fixed("1h"), success: 1.0, action: Sabotage(target: "EE-tel", severity: 1.0)),
            (id: "c", after: Some("start"), delay: Fixed("2d"), success: 1.0, action: Sabotage(target: "EE-grid", severity: 1.0)),
            (id: "d", after: Some("start"), delay: Fixed("2d"), success: 1.0, action: Sabotage(target: "EE-tel", severity: 1.0)),
            (id: "e", after: Some("start"), delay: Fixed("2d"), success: 1.0, action: Sabotage(target: "EE-bank", severity: 1.0))])"#,
    )
    .resources(
        EE,
        "csirt_teams: 4, repair_crews: 1, decon_units: 4, surge_beds: 2000, countermeasure_doses: 5000",
    );
    let f = waves.run(
        &[&playbook(&format!(
            r#"{}, solidarity: Some((
                invoke: (when: Always, deliberation: Fixed("8h")),
                faster_assistance: 0.3,
            ))"#,
            ucpm(2, "2h", "")
        ))],
        1,
    );
    let overtaken = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Decision(DecisionRecord::Overtaken {
                kind: DecisionKind::Solidarity,
                ..
            }))
        )
    });
    let invoked = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Solidarity(SolidarityRecord::Invoked { .. }))
        )
    });
    assert_eq!(
        overtaken.len(),
        1,
        "the first decision is overtaken: {overtaken:?}"
    );
    assert!(
        invoked.len() == 1 && invoked[0] > 2 * D,
        "the second wave brings it back: {invoked:?}"
    );
}

#[test]
fn art_222_opens_bilateral_offers_and_speeds_assistance_up() {
    let world = releases(&["EE"], 3000, 0.01, 0.1);
    // No decontamination in the UCPM pool: only neighbours can help, bilaterally.
    let sections = |solidarity: bool| {
        let offers = if solidarity {
            r#", solidarity: Some((
                invoke: (when: Casualties(10), deliberation: Fixed("12h")),
                faster_assistance: 0.3,
                offers: [(id: "bilateral-decon", name: "Bilateral decontamination units",
                    from: "neighbouring states", capability: Decontamination(4),
                    lead_time: Fixed("10h"), stay: "10d")],
            ))"#
        } else {
            ""
        };
        playbook(&format!("{}{offers}", ucpm(2, "2h", "")))
    };
    let f = world.run(&[&sections(true)], 1);
    let (t, id, _, _) = decon_requests(&f)[0];
    let waited = times(
        &f,
        |w| matches!(w, What::Eu(EuRecord::Ucpm(UcpmRecord::AwaitingModule { request, .. })) if *request == id),
    );
    assert_eq!(
        waited,
        [t + 2 * H],
        "before Art. 222 the request waits for an offer"
    );
    let invoked = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Solidarity(SolidarityRecord::Invoked {
                country: EE
            }))
        )
    });
    assert_eq!(invoked.len(), 1);
    assert!(invoked[0] > t + 2 * H);
    assert_eq!(
        offered_at(&f, id),
        Some(invoked[0]),
        "offered on invocation"
    );
    assert_eq!(
        deployed_at(&f, id),
        Some(invoked[0] + 7 * H),
        "10h lead time, 30% faster for the invoking state"
    );
    // Control: without Art. 222 nobody offers decontamination at all.
    let g = world.run(&[&sections(false)], 1);
    let (_, id, _, _) = decon_requests(&g)[0];
    assert!(
        times(
            &g,
            |w| matches!(w, What::Eu(EuRecord::Ucpm(UcpmRecord::NoModule { request, .. })) if *request == id)
        )
        .len()
            == 1
    );
    assert_eq!(deployed_at(&g, id), None);
}

/// "The other Member States shall assist it" (Art. 222(2)): each invoking
/// state gets the bilateral offers, not one shared set.
#[test]
fn each_state_that_invokes_art_222_gets_its_own_bilateral_offers() {
    let world = releases(&["EE", "LV"], 3000, 0.01, 0.1);
    let book = playbook(&format!(
        r#"{}, solidarity: Some((
            invoke: (when: Casualties(10), deliberation: Fixed("12h")),
            faster_assistance: 0.3,
            offers: [(id: "bilateral-decon", name: "Bilateral decontamination units",
                from: "neighbouring states", capability: Decontamination(4),
                lead_time: Fixed("10h"), stay: "10d")],
        ))"#,
        ucpm(2, "2h", "")
    ));
    let f = world.run(&[&book], 1);
    let mut served: Vec<CountryIx> = log(&f)
        .iter()
        .filter_map(|(_, w)| match w {
            What::Eu(EuRecord::Ucpm(UcpmRecord::ModuleDeployed { country, .. })) => Some(*country),
            _ => None,
        })
        .collect();
    served.sort();
    assert_eq!(served, [EE, LV], "both invoking states are helped at once");
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

// ---------------------------------------------------------------------------
// Fusion Cell (and what the Toolbox needs from it)
// ---------------------------------------------------------------------------

/// Reporting links to the Fusion Cell and the cell itself.
fn fusion(alert: f64, analysts: u32) -> String {
    format!(
        r#"links: Some([
            (from: MemberStates, to: FusionCell, delay: Fixed("6h")),
            (from: OpenSource, to: FusionCell, delay: Fixed("3h")),
            (from: Csirts, to: FusionCell, delay: Fixed("2h")),
            (from: StratCom, to: FusionCell, delay: Fixed("2h")),
        ]),
        fusion_cell: Some((
            analysts: {analysts},
            analysis: Fixed("2h"),
            weights: (member_states: 1.0, csirts: 0.8, stratcom: 0.5, open_source: 0.3, nato: 0.8),
            evidence_scale: 4.0,
            linking_bonus: 1.5,
            alert: {alert},
            alerted_hunt: Fixed("12h"),
        ))"#
    )
}

/// Visible attacks across the three states every six hours: grids and
/// telecoms disrupted for a while.
const NOISE: &str = r#"(id: "noise", name: "Disruptions", actor: "APT", steps: [
    (id: "d1", after: Some("start"), delay: Fixed("2h"), success: 1.0, action: Disrupt(target: "EE-grid", severity: 1.0)),
    (id: "d2", after: Some("start"), delay: Fixed("8h"), success: 1.0, action: Disrupt(target: "LV-grid", severity: 1.0)),
    (id: "d3", after: Some("start"), delay: Fixed("14h"), success: 1.0, action: Disrupt(target: "FI-grid", severity: 1.0)),
    (id: "d4", after: Some("start"), delay: Fixed("20h"), success: 1.0, action: Disrupt(target: "EE-tel", severity: 1.0)),
    (id: "d5", after: Some("start"), delay: Fixed("1d 2h"), success: 1.0, action: Disrupt(target: "LV-grid", severity: 1.0)),
    (id: "d6", after: Some("start"), delay: Fixed("1d 8h"), success: 1.0, action: Disrupt(target: "FI-grid", severity: 1.0)),
    (id: "d7", after: Some("start"), delay: Fixed("1d 14h"), success: 1.0, action: Disrupt(target: "EE-grid", severity: 1.0)),
    (id: "d8", after: Some("start"), delay: Fixed("1d 20h"), success: 1.0, action: Disrupt(target: "EE-tel", severity: 1.0))])"#;

/// Stealthy footholds in each state, two hours in.
const SPY: &str = r#"(id: "spy", name: "Espionage", actor: "APT", steps: [
    (id: "i1", after: Some("start"), delay: Fixed("2h"), success: 1.0, action: Intrusion(target: "EE-tel")),
    (id: "i2", after: Some("start"), delay: Fixed("2h"), success: 1.0, action: Intrusion(target: "LV-grid")),
    (id: "i3", after: Some("start"), delay: Fixed("2h"), success: 1.0, action: Intrusion(target: "FI-grid"))])"#;

fn assessments(f: &Finished) -> Vec<(u64, f32, u16, bool)> {
    log(f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Analysis(AnalysisRecord::Assessment {
                by: Body::FusionCell,
                confidence,
                indicators,
                alert,
                ..
            })) => Some((t, confidence, indicators, alert)),
            _ => None,
        })
        .collect()
}

#[test]
fn fusion_cell_confidence_grows_with_evidence() {
    let world = World::new(NOISE);
    let f = world.run(&[&playbook(&fusion(0.0, 4))], 1);
    let a = assessments(&f);
    assert!(a.len() >= 4, "assessments as confidence rises: {a:?}");
    assert!(
        a.windows(2).all(|w| w[1].1 > w[0].1 && w[1].2 > w[0].2),
        "each assessment rests on more indicators and is more confident: {a:?}"
    );
    let hfc = &state(&f).hfc;
    assert!(hfc.analysed >= 8 && hfc.evidence > 0.0);
    let expected = 1.0 - crate::engine::math::exp(-hfc.evidence / 4.0);
    assert!((hfc.confidence - expected).abs() < 1e-12);
    // Half the evidence scale: the same indicators make the cell surer.
    let half = playbook(&fusion(0.0, 4).replace("evidence_scale: 4.0", "evidence_scale: 2.0"));
    let g = world.run(&[&half], 1);
    assert_eq!(state(&g).hfc.analysed, hfc.analysed);
    assert!(state(&g).hfc.confidence > hfc.confidence);
    eprintln!(
        "Fusion Cell: {} indicators, evidence {:.2}, confidence {:.3} (scale 4), {:.3} (scale 2)",
        hfc.analysed,
        hfc.evidence,
        hfc.confidence,
        state(&g).hfc.confidence
    );
}

#[test]
fn a_lower_alert_threshold_alerts_member_states_earlier() {
    let world = World::new(NOISE);
    let alert_at = |threshold: f64| {
        let f = world.run(&[&playbook(&fusion(threshold, 4))], 1);
        let alerts: Vec<u64> = assessments(&f)
            .into_iter()
            .filter(|a| a.3)
            .map(|a| a.0)
            .collect();
        assert_eq!(alerts.len(), 1, "one alert: {alerts:?}");
        assert_eq!(state(&f).hfc.alerted.map(|t| t.0), Some(alerts[0]));
        alerts[0]
    };
    let (low, high) = (alert_at(0.3), alert_at(0.7));
    eprintln!(
        "Fusion Cell alert at {:.1}h (threshold 0.3) and {:.1}h (0.7)",
        hours(low),
        hours(high)
    );
    assert!(low < high);
}

fn detected_footholds(f: &Finished, campaign: u32) -> Vec<(u64, CountryIx)> {
    log(f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::National(NationalRecord::IntrusionDetected { by, country, .. })
                if by.campaign() == Some(crate::scenario::catalog::CampaignIx(campaign)) =>
            {
                Some((t, country))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn once_alerted_member_states_find_footholds_sooner() {
    // CSIRTs without cyber capacity: footholds stay about a month unaided.
    let world = World::new(&format!("{NOISE}, {SPY}"))
        .caps(EE, UNDEFENDED)
        .caps(LV, UNDEFENDED)
        .caps(FI, UNDEFENDED)
        .duration("8d");
    let with = world.run(&[&playbook(&fusion(0.3, 4))], 1);
    let without = world.run(&[&playbook("")], 1);
    assert_eq!(
        times(&with, |w| matches!(
            w,
            What::Cyber(CyberRecord::IntrusionPlanted { .. })
        ))
        .len(),
        3
    );
    let alerted = state(&with).hfc.alerted.expect("the cell alerts").0;
    let found = |f: &Finished, c: CountryIx| {
        detected_footholds(f, 1)
            .into_iter()
            .find(|d| d.1 == c)
            .map(|d| d.0)
    };
    let mut sooner = 0;
    for c in [EE, LV, FI] {
        let (w, wo) = (found(&with, c), found(&without, c));
        eprintln!("foothold in {c:?} found at {w:?} with the Fusion Cell, {wo:?} without");
        let w = w.expect("alerted states find the foothold");
        assert!(w <= alerted + 12 * H, "within the alerted hunt time");
        if wo.is_none_or(|wo| w < wo) {
            sooner += 1;
        }
    }
    assert!(sooner >= 2, "most footholds are found sooner");
}

#[test]
fn fusion_cell_analysts_queue_when_indicators_outrun_them() {
    let world = World::new(NOISE);
    let longest = |analysts: u32| {
        let f = world.run(
            &[&playbook(&fusion(0.5, analysts).replace(
                "analysis: Fixed(\"2h\")",
                "analysis: Fixed(\"8h\")",
            ))],
            1,
        );
        let waiting = log(&f)
            .into_iter()
            .filter_map(|(_, w)| match w {
                What::Eu(EuRecord::Analysis(AnalysisRecord::IndicatorReceived {
                    by: Body::FusionCell,
                    waiting,
                    ..
                })) => Some(waiting),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        assert_eq!(state(&f).hfc.longest_queue, waiting as u32);
        waiting
    };
    let (one, many) = (longest(1), longest(20));
    eprintln!("longest Fusion Cell queue: {one} with 1 analyst, {many} with 20");
    assert!(one >= 3, "a single analyst falls behind: {one}");
    assert_eq!(many, 0, "twenty keep up");
}

// ---------------------------------------------------------------------------
// Cyber Diplomacy Toolbox
// ---------------------------------------------------------------------------

#[test]
fn the_fusion_cell_s_assessment_reaches_decisions_only_through_the_protocol() {
    let world = World::new(NOISE);
    let toolbox = |protocol: &str| {
        format!(
            r#"{}, {protocol} toolbox: Some((
                attribution: (when: Confidence(0.5), deliberation: Fixed("1d")),
                measures: (when: Attributed, deliberation: Fixed("1h")),
                deterrence: (attribution: 0.2, measures: 0.3),
            ))"#,
            fusion(0.5, 4)
        )
    };
    let attributions = |protocol: &str| {
        let f = world.run(&[&playbook(&toolbox(protocol))], 1);
        times(&f, |w| {
            matches!(
                w,
                What::Eu(EuRecord::Toolbox(ToolboxRecord::Attributed { .. }))
            )
        })
        .len()
    };
    assert_eq!(attributions("protocol: Some((assess: 0.5)),"), 1);
    assert_eq!(
        attributions(""),
        0,
        "no route from the assessment to the Council"
    );
}

#[test]
fn restrictive_measures_are_never_raised_before_attribution() {
    let world = World::new(NOISE);
    let toolbox = |policy: &str| {
        format!(
            // The protocol brings the Fusion Cell's confidence to the Council.
            r#"{}, protocol: Some((assess: 0.5)), toolbox: Some((
                attribution: (when: Confidence(0.5), deliberation: Fixed("1d"), policy: {policy}),
                measures: (when: Always, deliberation: Fixed("1h")),
                deterrence: (attribution: 0.2, measures: 0.3),
            ))"#,
            fusion(0.5, 4)
        )
    };
    let f = world.run(&[&playbook(&toolbox("Approve"))], 1);
    let attributed = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Toolbox(ToolboxRecord::Attributed { .. }))
        )
    });
    assert_eq!(attributed.len(), 1);
    let raised = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Decision(DecisionRecord::Raised {
                kind: DecisionKind::RestrictiveMeasures,
                ..
            }))
        )
    });
    let adopted = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Toolbox(ToolboxRecord::RestrictiveMeasures))
        )
    });
    assert_eq!(raised.len(), 1, "sanctions are considered once");
    assert!(
        raised[0] >= attributed[0],
        "only after attribution: {raised:?} vs {attributed:?}"
    );
    assert_eq!(adopted, [raised[0] + H]);
    assert!(attributed[0] > 0, "attribution takes a day at least");

    // Attribution declined: sanctions never come up, whatever their trigger.
    let g = world.run(&[&playbook(&toolbox("Decline"))], 1);
    assert!(
        times(&g, |w| matches!(
            w,
            What::Eu(EuRecord::Toolbox(ToolboxRecord::Attributed { .. }))
        ))
        .is_empty()
    );
    assert!(
        times(&g, |w| matches!(
            w,
            What::Eu(EuRecord::Decision(DecisionRecord::Raised {
                kind: DecisionKind::RestrictiveMeasures,
                ..
            })) | What::Eu(EuRecord::Toolbox(ToolboxRecord::RestrictiveMeasures))
        ))
        .is_empty()
    );
    assert!(state(&g).toolbox.measures.is_none());
}

/// A chemical weapon released twice is named nationally, then confirmed by
/// the OPCW once, weeks later, for both incidents; the Council attributes two
/// days after the first casualty but holds restrictive measures back until
/// the confirmation. A toxic industrial chemical needs none.
#[test]
fn sanctions_over_a_chemical_weapon_wait_for_the_opcw_s_confirmation() {
    let toolbox = playbook(
        r#"toolbox: Some((
            attribution: (when: Casualties(1), deliberation: Fixed("2d")),
            measures: (when: Always, deliberation: Fixed("1h")),
            deterrence: (attribution: 0.0, measures: 0.0),
        ))"#,
    );
    let release = |agent: &str| {
        World::new(&format!(
            r#"(id: "cbrn", name: "cbrn", actor: "APT", steps: [(id: "r", delay: Fixed("1h"), success: 1.0,
               action: Release(country: "EE", agent: {agent}, exposed: 20, severe: 0.2, lethality: 0.1)),
               (id: "again", after: Some("start"), delay: Fixed("5h"), success: 1.0,
               action: Release(country: "LV", agent: {agent}, exposed: 10, severe: 0.2, lethality: 0.1))])"#
        ))
        .duration("120d")
        .msel(
            r#"(number: 1, at: When(AgentConfirmed), from: "EE", to: "EE", method: Document,
                subject: "OPCW report", message: "m", expected_action: "e")"#,
        )
    };
    let kind_at = |f: &Finished, pick: fn(&What) -> bool| times(f, pick).first().copied();
    for seed in 1..=5 {
        let f = release(r#"PersistentNerveAgent("A-234")"#).run(&[&toolbox], seed);
        let named = kind_at(&f, |w| {
            matches!(w, What::National(NationalRecord::AgentIdentified { .. }))
        })
        .expect("named");
        let confirmations = times(&f, |w| {
            matches!(w, What::National(NationalRecord::AgentConfirmed { .. }))
        });
        assert_eq!(
            confirmations.len(),
            1,
            "one OPCW confirmation for the agent of both releases"
        );
        let confirmed = confirmations[0];
        let measures = kind_at(&f, |w| {
            matches!(
                w,
                What::Eu(EuRecord::Toolbox(ToolboxRecord::RestrictiveMeasures))
            )
        })
        .expect("measures");
        let weeks = (confirmed - named) as f64 / (7.0 * D as f64);
        assert!(
            (1.0..20.0).contains(&weeks),
            "confirmed {weeks:.1} weeks after the naming"
        );
        assert!(
            measures > confirmed,
            "measures at {measures}, confirmation at {confirmed}"
        );
        assert!(
            measures <= confirmed + 2 * H,
            "and then at once: {measures} vs {confirmed}"
        );
        let report = kind_at(&f, |w| {
            matches!(
                w,
                What::Control(crate::exercise::ControlRecord::InjectFired { .. })
            )
        });
        assert_eq!(
            report,
            Some(confirmed),
            "the inject waits for the confirmation"
        );
    }
    let g = release(r#"IndustrialChemical("chlorine")"#).run(&[&toolbox], 1);
    assert!(
        times(&g, |w| matches!(
            w,
            What::National(NationalRecord::AgentConfirmed { .. })
        ))
        .is_empty(),
        "no OPCW confirmation for a known industrial chemical"
    );
    let m = times(&g, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Toolbox(ToolboxRecord::RestrictiveMeasures))
        )
    });
    assert!(
        m.first().is_some_and(|&t| t < 4 * D),
        "measures without waiting: {m:?}"
    );
}

/// Attribution names the actor that struck: its later acts are called off,
/// another actor's campaign and an accident the attack set in motion go on.
#[test]
fn deterrence_calls_off_the_named_actor_s_acts_only() {
    let campaigns = r#"(id: "ops", name: "ops", actor: "APT", steps: [
            (id: "first", delay: Fixed("2h"), success: 1.0, action: Disrupt(target: "EE-tel", severity: 0.5)),
            (id: "later", after: Some("start"), delay: Fixed("2d"), success: 1.0, action: Disrupt(target: "LV-grid", severity: 0.5)),
            (id: "mishap", after: Some("start"), delay: Fixed("2d 1h"), success: 1.0, accident: true,
             action: Disrupt(target: "FI-grid", severity: 0.5))]),
        (id: "gang", name: "gang", actor: "CRIME", start: "1d", steps: [
            (id: "ransom", delay: Fixed("1d"), success: 1.0, action: Disrupt(target: "EE-grid", severity: 0.5))])"#;
    let open = "cyber: 0.0, cbrn_detection: 0.5, civil_protection: 0.5, health: 0.5, stratcom: 0.5";
    let world = World::new(campaigns)
        .caps(EE, open)
        .caps(LV, open)
        .caps(FI, open);
    // Attribution at 12 h calls off every later act of the actor it names.
    let toolbox = playbook(
        r#"toolbox: Some((
            attribution: (when: Always, deliberation: Fixed("10h")),
            measures: (when: Attributed, deliberation: Fixed("30d")),
            deterrence: (attribution: 1.0, measures: 0.0),
        ))"#,
    );
    let f = world.run(&[&toolbox], 1);
    let hit = |node: &str| {
        let n = f
            .sim
            .model
            .catalog()
            .nodes
            .iter()
            .position(|d| &*d.id == node)
            .unwrap();
        times(
            &f,
            |w| matches!(w, What::Cyber(CyberRecord::Disruption { node: x, .. }) if x.i() == n),
        )
        .len()
    };
    assert_eq!(hit("EE-tel"), 1, "before attribution");
    assert_eq!(
        hit("LV-grid"),
        0,
        "the named actor's later act is called off"
    );
    assert_eq!(hit("FI-grid"), 1, "an accident is not an act");
    assert_eq!(hit("EE-grid"), 1, "another actor is not deterred");
}

#[test]
fn attribution_and_sanctions_deter_later_campaign_steps() {
    // Sixteen independent attacks, every five hours, on undefended networks.
    let steps: Vec<String> = (0..16)
        .map(|k| {
            let target = ["EE-grid", "EE-tel", "LV-grid", "FI-grid"][k % 4];
            format!(
                r#"(id: "s{k}", after: Some("start"), delay: Fixed("{}h"), success: 1.0, action: Disrupt(target: "{target}", severity: 0.5))"#,
                3 + 5 * k
            )
        })
        .collect();
    let campaign = format!(
        r#"(id: "ops", name: "ops", actor: "APT", steps: [{}])"#,
        steps.join(",")
    );
    let open = "cyber: 0.0, cbrn_detection: 0.5, civil_protection: 0.5, health: 0.5, stratcom: 0.5";
    let world = World::new(&campaign)
        .caps(EE, open)
        .caps(LV, open)
        .caps(FI, open);
    let toolbox = playbook(
        r#"toolbox: Some((
            attribution: (when: Always, deliberation: Fixed("12h")),
            measures: (when: Attributed, deliberation: Fixed("1d")),
            deterrence: (attribution: 0.3, measures: 0.5),
        ))"#,
    );
    let with = world.run(&[&toolbox], 1);
    let without = world.run(&[&playbook("")], 1);
    let attributed = times(&with, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Toolbox(ToolboxRecord::Attributed { .. }))
        )
    })[0];
    assert_eq!(attributed, 12 * H);
    assert!(
        (with
            .sim
            .model
            .world()
            .resource::<crate::world::Deterrence>()
            .share
            - (1.0 - 0.7 * 0.5))
            .abs()
            < 1e-12
    );
    let outcome = |f: &Finished| -> Vec<(u64, bool, Option<Failure>)> {
        log(f)
            .into_iter()
            .filter_map(|(t, w)| match w {
                What::Cyber(CyberRecord::Disruption { .. }) => Some((t, true, None)),
                What::Campaign(CampaignRecord::StepFailed { why, .. }) => {
                    Some((t, false, Some(why)))
                }
                _ => None,
            })
            .collect()
    };
    let (a, b) = (outcome(&with), outcome(&without));
    assert_eq!(b.len(), 16);
    assert!(
        b.iter().all(|o| o.1),
        "undefended, every attack succeeds: {b:?}"
    );
    let before = a.iter().take_while(|o| o.0 < attributed).count();
    assert_eq!(
        a[..before],
        b[..before],
        "the same attacks before attribution"
    );
    let deterred = a.iter().filter(|o| o.2 == Some(Failure::Deterred)).count();
    let succeeded = with.summary.campaigns[0].steps_succeeded;
    eprintln!(
        "steps succeeded: {succeeded} with the Toolbox ({deterred} deterred), {} without",
        without.summary.campaigns[0].steps_succeeded
    );
    assert!(deterred >= 3, "{a:?}");
    assert!(
        a.iter()
            .all(|o| o.2 != Some(Failure::Deterred) || o.0 > attributed)
    );
    assert!(succeeded < without.summary.campaigns[0].steps_succeeded);
}

// ---------------------------------------------------------------------------
// StratCom and the Rapid Alert System
// ---------------------------------------------------------------------------

/// A narrative in all three states; Latvian and Finnish communicators are slow.
fn narrative_world() -> World {
    let campaign = r#"(id: "dis", name: "dis", actor: "APT", steps: [(id: "n", delay: Fixed("2h"), success: 1.0,
        action: Narrative(id: "lie", title: "lie", audiences: ["EE-ru", "LV-all", "FI-all"], virality: 0.15, seed_reach: 0.005))])"#;
    let slow = "cyber: 0.5, cbrn_detection: 0.5, civil_protection: 0.5, health: 0.5, stratcom: 0.0";
    World::new(campaign)
        .caps(LV, slow)
        .caps(FI, slow)
        .duration("6d")
}

fn stratcom(ras: &str) -> String {
    playbook(&format!(
        r#"stratcom: Some((spot_reach: 0.01, analysis: Fixed("3h"), debunk: 0.1, ras: {ras}))"#
    ))
}

fn first_detected(f: &Finished, c: CountryIx) -> Option<u64> {
    times(
        f,
        |w| matches!(w, What::National(NationalRecord::NarrativeDetected { country, .. }) if *country == c),
    )
    .first()
    .copied()
}

#[test]
fn a_rapid_alert_slows_a_narrative_and_alerts_states_that_had_not_spotted_it() {
    let world = narrative_world();
    let with = world.run(
        &[&stratcom(
            r#"Some((alert_reach: 0.03, delay: Fixed("1h"), national_response: Fixed("1h")))"#,
        )],
        1,
    );
    let without = world.run(&[&stratcom("None")], 1);
    let (p, q) = (
        with.summary.opinion.narratives[0].peak_reach,
        without.summary.opinion.narratives[0].peak_reach,
    );
    eprintln!("peak reach {p:.3} with the RAS, {q:.3} without");
    assert!(p < 0.85 * q, "peak reach {p:.3} with the RAS vs {q:.3}");
    let alert = times(&with, |w| {
        matches!(
            w,
            What::Eu(EuRecord::StratCom(StratComRecord::RasAlert { .. }))
        )
    });
    assert_eq!(alert.len(), 1);
    let answer = alert[0] + H;
    let mut newly = 0;
    for c in [EE, LV, FI] {
        let unaided = first_detected(&without, c).unwrap_or(u64::MAX);
        if unaided <= answer {
            continue;
        }
        // Not spotted by then: the alert makes the state answer it.
        let answered = log(&with).into_iter().any(|(t, w)| {
            t == answer
                && matches!(w, What::National(NationalRecord::NarrativeDetected { country, .. }) | What::National(NationalRecord::Debunked { country, .. }) if country == c)
        });
        assert!(answered, "{c:?} answers the alert");
        if first_detected(&with, c) == Some(answer) {
            eprintln!(
                "{c:?} spots the narrative at {:.1}h on the alert, {:.1}h on its own",
                hours(answer),
                hours(unaided)
            );
            newly += 1;
        }
    }
    assert!(newly >= 1, "at least one state learns of it from the alert");
}

#[test]
fn a_rapid_alert_makes_every_state_aware_that_was_not_yet() {
    let world = narrative_world();
    let with = world.run(
        &[&stratcom(
            r#"Some((alert_reach: 0.05, delay: Fixed("2h"), national_response: Fixed("1h")))"#,
        )],
        1,
    );
    let without = world.run(&[&stratcom("None")], 1);
    let alert = times(&with, |w| {
        matches!(
            w,
            What::Eu(EuRecord::StratCom(StratComRecord::RasAlert { .. }))
        )
    })[0];
    let answer = alert + H;
    let mut late = Vec::new();
    for c in [EE, LV, FI] {
        let unaided = first_detected(&without, c).unwrap_or(u64::MAX);
        let aided = first_detected(&with, c).unwrap_or(u64::MAX);
        if unaided > answer && aided != answer {
            late.push((c, hours(aided), hours(answer)));
        }
    }
    assert!(
        late.is_empty(),
        "states aware only after the alert's answer time (state, aware h, answer h): {late:?}"
    );
}

// ---------------------------------------------------------------------------
// Blueprint and the CSIRTs network
// ---------------------------------------------------------------------------

fn blueprint(isolate: bool) -> String {
    playbook(&format!(
        r#"blueprint: Some((
            share: Fixed("2h"),
            warned_hunt: Fixed("6h"),
            isolate_on_wiper: {isolate},
            operational: 3,
            political: 5,
        ))"#
    ))
}

const UNDEFENDED: &str =
    "cyber: 0.0, cbrn_detection: 0.5, civil_protection: 0.5, health: 0.5, stratcom: 0.5";

#[test]
fn csirts_network_warning_finds_the_campaign_elsewhere_sooner() {
    // Footholds in Latvia and Finland at 1h; the same actor hits Estonia's grid at 6h.
    let campaign = r#"(id: "apt", name: "apt", actor: "APT", steps: [
        (id: "i1", after: Some("start"), delay: Fixed("1h"), success: 1.0, action: Intrusion(target: "LV-grid")),
        (id: "i2", after: Some("start"), delay: Fixed("1h"), success: 1.0, action: Intrusion(target: "FI-grid")),
        (id: "d", after: Some("start"), delay: Fixed("6h"), success: 1.0, action: Disrupt(target: "EE-grid", severity: 1.0))])"#;
    // Undefended networks: the footholds take, and stay about a month unaided.
    let world = World::new(campaign)
        .caps(EE, UNDEFENDED)
        .caps(LV, UNDEFENDED)
        .caps(FI, UNDEFENDED)
        .duration("8d");
    let with = world.run(&[&blueprint(false)], 1);
    let without = world.run(&[&playbook("")], 1);
    let shared = log(&with).into_iter().find_map(|(t, w)| match w {
        What::Eu(EuRecord::Blueprint(BlueprintRecord::CsirtsShared { country, .. })) => {
            Some((t, country))
        }
        _ => None,
    });
    assert_eq!(shared, Some((8 * H, EE)), "EE shares its incident after 2h");
    for c in [LV, FI] {
        let found = |f: &Finished| {
            detected_footholds(f, 0)
                .into_iter()
                .find(|d| d.1 == c)
                .map(|d| d.0)
        };
        let (w, wo) = (found(&with), found(&without));
        eprintln!("foothold in {c:?} found at {w:?} when warned, {wo:?} unwarned");
        assert_eq!(w, Some(14 * H), "warned at 8h, found within the 6h hunt");
        assert!(wo.is_none_or(|wo| wo > 14 * H));
    }
}

/// A wiper seeded in Estonia's grid at `at`, spreading every 12h to the
/// Latvian and Finnish grids, which cannot resist it.
fn wiper_world(before: &str, at: &str) -> World {
    let campaign = format!(
        r#"(id: "w", name: "w", actor: "APT", steps: [{before}
        (id: "wipe", after: Some("start"), delay: Fixed("{at}"), success: 1.0,
         action: Wiper(seeds: ["EE-grid"], spread: 1.0, hop_delay: Fixed("12h")))])"#
    );
    let deps = r#"(supplier: "EE-grid", dependent: "LV-grid", delay: "1d", probability: 0.0),
                  (supplier: "EE-grid", dependent: "FI-grid", delay: "1d", probability: 0.0)"#;
    World::new(&campaign)
        .deps(deps)
        .caps(EE, UNDEFENDED)
        .caps(LV, UNDEFENDED)
        .caps(FI, UNDEFENDED)
}

/// Nodes outside Estonia the wiper destroyed (at least once).
fn infections_abroad(f: &Finished) -> usize {
    let cat = f.sim.model.catalog();
    let mut nodes: Vec<_> = log(f)
        .into_iter()
        .filter_map(|(_, w)| match w {
            What::Cyber(CyberRecord::WiperInfection { node, .. })
                if cat.nodes[node.i()].country != EE =>
            {
                Some(node)
            }
            _ => None,
        })
        .collect();
    nodes.sort();
    nodes.dedup();
    nodes.len()
}

#[test]
fn warned_states_isolate_and_a_shared_wiper_stops_at_the_border() {
    let world = wiper_world("", "1h");
    let isolating = world.run(&[&blueprint(true)], 1);
    let sharing_only = world.run(&[&blueprint(false)], 1);
    let isolated: Vec<(u64, CountryIx)> = log(&isolating)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Blueprint(BlueprintRecord::PreemptiveIsolation {
                country, ..
            })) => Some((t, country)),
            _ => None,
        })
        .collect();
    assert_eq!(
        isolated,
        [(3 * H, LV), (3 * H, FI)],
        "on the CSIRTs network's warning"
    );
    let (a, b) = (
        infections_abroad(&isolating),
        infections_abroad(&sharing_only),
    );
    eprintln!("wiper infections outside Estonia: {a} with isolation, {b} without");
    assert_eq!(b, 2, "without isolation the wiper crosses both borders");
    assert_eq!(a, 0, "isolated networks stop it");
}

#[test]
fn a_wiper_after_an_earlier_attack_of_the_same_campaign_still_triggers_isolation() {
    let earlier = r#"(id: "probe", after: Some("start"), delay: Fixed("1h"), success: 1.0,
        action: Disrupt(target: "EE-tel", severity: 1.0)),"#;
    let world = wiper_world(earlier, "6h");
    let f = world.run(&[&blueprint(true)], 1);
    let isolated = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Blueprint(
                BlueprintRecord::PreemptiveIsolation { .. }
            ))
        )
    });
    assert_eq!(
        (isolated.len(), infections_abroad(&f)),
        (2, 0),
        "warned states isolate against the wiper once it is shared"
    );
}

// ---------------------------------------------------------------------------
// NATO
// ---------------------------------------------------------------------------

fn nato(mode: &str, duplication: f64, support: &str) -> String {
    format!(
        r#"links: Some([
            (from: MemberStates, to: FusionCell, delay: Fixed("10h")),
            (from: OpenSource, to: FusionCell, delay: Fixed("3h")),
            (from: MemberStates, to: Nato, delay: Fixed("10h")),
        ]),
        fusion_cell: Some((
            analysts: 4,
            analysis: Fixed("2h"),
            weights: (member_states: 1.0, csirts: 0.8, stratcom: 0.5, open_source: 0.3, nato: 0.8),
            evidence_scale: 4.0,
            linking_bonus: 1.5,
            alert: 0.6,
            alerted_hunt: Fixed("12h"),
        )),
        nato: Some((
            mode: {mode},
            analysts: 4,
            analysis: Fixed("2h"),
            evidence_scale: 4.0,
            alert: 0.4,
            duplication: {duplication},
            support: [{support}],
        ))"#
    )
}

fn fusion_cell_arrivals(f: &Finished, from: Body) -> Vec<u64> {
    times(
        f,
        |w| matches!(w, What::Eu(EuRecord::Analysis(AnalysisRecord::IndicatorReceived { by: Body::FusionCell, from: s, .. })) if *s == from),
    )
}

#[test]
fn in_parallel_mode_member_state_reports_reach_the_fusion_cell_later() {
    let world = World::new(NOISE);
    let parallel = world.run(&[&playbook(&nato("Parallel", 0.5, ""))], 1);
    let coordinated = world.run(&[&playbook(&nato("Coordinated", 0.0, ""))], 1);
    let no_burden = world.run(&[&playbook(&nato("Parallel", 0.0, ""))], 1);
    let (p, c) = (
        fusion_cell_arrivals(&parallel, Body::MemberStates),
        fusion_cell_arrivals(&coordinated, Body::MemberStates),
    );
    assert!(c.len() >= 5, "{c:?}");
    eprintln!(
        "first member-state report at the Fusion Cell: {:.1}h parallel (duplication 0.5), {:.1}h coordinated",
        hours(p[0]),
        hours(c[0])
    );
    // A 10h link takes half as long again: every report 5h later.
    for (a, b) in p.iter().zip(&c) {
        assert_eq!(*a, b + 5 * H);
    }
    assert_eq!(
        fusion_cell_arrivals(&no_burden, Body::MemberStates),
        c,
        "parallel mode without duplicated requests costs nothing"
    );
    assert_eq!(
        fusion_cell_arrivals(&parallel, Body::OpenSource),
        fusion_cell_arrivals(&coordinated, Body::OpenSource),
        "open sources do not answer NATO's requests"
    );
}

#[test]
fn nato_support_arrives_once_natos_confidence_holds() {
    let narrative = r#"(id: "dis", name: "dis", actor: "APT", steps: [(id: "n", delay: Fixed("2h"), success: 1.0,
        action: Narrative(id: "lie", title: "lie", audiences: ["EE-ru", "LV-all", "FI-all"], virality: 0.1, seed_reach: 0.01))])"#;
    let world = World::new(&format!("{NOISE}, {narrative}"));
    let support = |at: f64| {
        format!(
            r#"(name: "Counter-hybrid support team", when: NatoConfidence({at}),
                kind: CounterHybrid(0.2), lead_time: Fixed("1d"), stay: "7d")"#
        )
    };
    let f = world.run(&[&playbook(&nato("Parallel", 0.25, &support(0.4)))], 1);
    let nato_alert = log(&f)
        .into_iter()
        .find_map(|(t, w)| match w {
            What::Eu(EuRecord::Analysis(AnalysisRecord::Assessment {
                by: Body::Nato,
                alert: true,
                confidence,
                ..
            })) => Some((t, confidence)),
            _ => None,
        })
        .expect("NATO assesses a campaign");
    assert!(nato_alert.1 >= 0.4);
    let arrived: Vec<(u64, CountryIx)> = log(&f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Nato(NatoRecord::SupportArrives { country, .. })) => {
                Some((t, country))
            }
            _ => None,
        })
        .collect();
    assert_eq!(arrived.len(), 1, "{arrived:?}");
    let (t, country) = arrived[0];
    eprintln!(
        "NATO confidence {:.2} at {:.1}h; support arrives in {country:?} at {:.1}h",
        nato_alert.1,
        hours(nato_alert.0),
        hours(t)
    );
    assert!(
        (nato_alert.0 + D..=nato_alert.0 + D + super::REVIEW.0).contains(&t),
        "sent at the next review, one day's lead time"
    );
    assert!(
        f.sim.model.catalog().countries[country.i()].nato,
        "to an ally"
    );

    // Control: a threshold NATO's picture never reaches sends nothing.
    let g = world.run(&[&playbook(&nato("Parallel", 0.25, &support(0.99)))], 1);
    assert!(state(&g).nato_picture.confidence < 0.99);
    assert!(
        times(&g, |w| matches!(
            w,
            What::Eu(EuRecord::Nato(NatoRecord::SupportArrives { .. }))
        ))
        .is_empty()
    );
}

// ---------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------

#[test]
fn same_seed_and_playbooks_give_the_same_log_and_playbooks_differ() {
    let world = World::new(&format!("{NOISE}, {SPY}"));
    let shipped = |name: &str| {
        crate::playbook::BUNDLED
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .unwrap()
            .1
    };
    let eu_2019 = world.catalog(&[shipped("eu_2019.ron")]);
    let forward = world.catalog(&[shipped("eu_forward_leaning.ron")]);
    let text = |cat: &Arc<Catalog>, seed| {
        format!("{:?}", execute(cat.clone(), seed, None).sim.model.log())
    };
    let a = text(&eu_2019, 5);
    assert!(a.contains("Analysis("), "the mechanisms act");
    assert_eq!(a, text(&eu_2019, 5), "same seed and playbook, same log");
    assert_ne!(a, text(&forward, 5), "another playbook, another log");
    assert_ne!(a, text(&eu_2019, 6), "another seed, another log");
}

// ---------------------------------------------------------------------------
// EU Cybersecurity Reserve
// ---------------------------------------------------------------------------

/// A Reserve of one team, lent for 12 h, with fixed delays.
const RESERVE: &str = r#"cyber_reserve: Some((
    request: (when: Overwhelmed, deliberation: Fixed("1h")),
    assessment: Fixed("1h"), teams: 1, per_request: 1,
    lead_time: Fixed("1h"), stay: "12h"))"#;

/// `n` campaigns that each disrupt `node` at `at` (one incident each).
fn disruptions(prefix: &str, node: &str, at: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                r#"(id: "{prefix}{i}", name: "{prefix}{i}", actor: "APT", steps: [(id: "d", after: Some("start"),
                    delay: Fixed("{at}"), success: 1.0, action: Disrupt(target: "{node}", severity: 1.0))])"#
            )
        })
        .collect()
}

#[test]
fn the_cyber_reserve_lends_its_teams_on_request_the_most_severe_case_first() {
    // Finland's one CSIRT team is swamped at 1h and takes the Reserve's
    // only team. At 5h Estonia (2 incidents) and Latvia (4) swamp theirs
    // and ask too: they wait, and the returning team goes to Latvia.
    let mut c = disruptions("fi", "FI-grid", "1h", 2);
    c.extend(disruptions("ee", "EE-grid", "5h", 2));
    c.extend(disruptions("lv", "LV-grid", "5h", 4));
    let one = "csirt_teams: 1, repair_crews: 4, decon_units: 4, surge_beds: 2000, countermeasure_doses: 5000";
    let mut world = World::new(&c.join(", ")).duration("3d");
    for k in [EE, LV, FI] {
        world = world.caps(k, UNDEFENDED).resources(k, one);
    }
    let with = world.run(&[&playbook(RESERVE)], 1);
    let deployed: Vec<(u64, CountryIx)> = log(&with)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Loan(LoanRecord {
                lender: Lender::CyberReserve,
                loan: Loan::Deployed { .. },
                country,
                ..
            })) => Some((t, country)),
            _ => None,
        })
        .collect();
    eprintln!("Reserve deployments: {deployed:?}");
    assert_eq!(deployed.first().map(|d| d.1), Some(FI), "first come");
    assert_eq!(
        deployed.get(1).map(|d| d.1),
        Some(LV),
        "then the most severe"
    );
    // FI's request: raised at a review within 30 min of its queue, 1h to
    // decide, 1h to assess, 1h to arrive; LV's team comes once FI's 12h end.
    let fi_at = deployed[0].0;
    assert!((4 * H..=4 * H + H / 2).contains(&fi_at), "{fi_at}");
    assert_eq!(deployed[1].0, fi_at + 12 * H + H, "back, then 1h to Latvia");
    let waited = times(&with, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Loan(LoanRecord {
                loan: Loan::Waiting,
                ..
            }))
        )
    });
    assert_eq!(waited.len(), 2, "Estonia and Latvia waited for the team");
    assert!(
        deployed.iter().all(|d| d.1 != EE) || deployed.iter().position(|d| d.1 == EE) > Some(1),
        "Estonia, the lesser case, comes last if at all"
    );
    assert_eq!(
        state(&with).lending[0].free + deployed.len() as u32 - returned(&with),
        1,
        "every lent team is counted out and back"
    );

    // Control: a fifth incident in Latvia at 20h finds a shorter queue with
    // the Reserve's team at work than without it.
    let mut late = c.clone();
    late.extend(disruptions("late", "LV-grid", "20h", 1));
    let mut world = World::new(&late.join(", ")).duration("1d");
    for k in [EE, LV, FI] {
        world = world.caps(k, UNDEFENDED).resources(k, one);
    }
    let queue_at_20h = |f: &Finished| {
        log(f).into_iter().find_map(|(t, w)| match w {
            What::National(NationalRecord::IncidentOpened { queued, .. }) if t == 20 * H => {
                Some(queued)
            }
            _ => None,
        })
    };
    let (w, wo) = (
        queue_at_20h(&world.run(&[&playbook(RESERVE)], 1)),
        queue_at_20h(&world.run(&[&playbook("")], 1)),
    );
    eprintln!("Latvia's queue at 20h: {w:?} with the Reserve, {wo:?} without");
    assert!(w < wo, "{w:?} vs {wo:?}");
}

fn returned(f: &Finished) -> u32 {
    crate::engine::count_u32(
        times(f, |w| {
            matches!(
                w,
                What::Eu(EuRecord::Loan(LoanRecord {
                    loan: Loan::Returned { .. },
                    ..
                }))
            )
        })
        .len(),
    )
}

#[test]
fn a_reserve_request_lapses_when_the_queue_is_worked_off_first() {
    // Estonia's two incidents queue on its one team; the Reserve's team is
    // out with Finland for 10 days, and Estonia's queue is long gone by then.
    let mut c = disruptions("fi", "FI-grid", "1h", 2);
    c.extend(disruptions("ee", "EE-grid", "5h", 2));
    let one = "csirt_teams: 1, repair_crews: 4, decon_units: 4, surge_beds: 2000, countermeasure_doses: 5000";
    let world = World::new(&c.join(", "))
        .duration("12d")
        .caps(EE, UNDEFENDED)
        .resources(EE, one)
        .resources(FI, one);
    let long = RESERVE.replace("stay: \"12h\"", "stay: \"10d\"");
    let f = world.run(&[&playbook(&long)], 1);
    let lapsed = times(
        &f,
        |w| matches!(w, What::Eu(EuRecord::Loan(LoanRecord { loan: Loan::Lapsed, country, .. })) if *country == EE),
    );
    assert_eq!(lapsed.len(), 1, "Estonia's request lapses");
    assert!(
        state(&f).lending[0].open.is_empty(),
        "no request is left open"
    );
    assert_eq!(state(&f).lending[0].free, 1, "the team is back");
}

#[test]
fn a_hybrid_rapid_response_team_answers_a_request_and_slows_the_narrative() {
    // One team; every state with a detected threat may ask at once.
    let hrrt = r#"hybrid_rapid_response: Some((
        request: (when: Always, deliberation: Fixed("1h")),
        assembly: Fixed("1h"), teams: 1, lead_time: Fixed("1h"), stay: "2d",
        stratcom: 0.3, csirt_teams: 0))"#;
    let world = narrative_world();
    let with = world.run(&[&playbook(hrrt)], 1);
    let deployed: Vec<(u64, CountryIx)> = log(&with)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Loan(LoanRecord {
                lender: Lender::Hrrt,
                loan: Loan::Deployed { .. },
                country,
                ..
            })) => Some((t, country)),
            _ => None,
        })
        .collect();
    eprintln!("HRRT deployments: {deployed:?}");
    let first = deployed.first().expect("a team is sent");
    let asked = times(&with, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Loan(LoanRecord {
                lender: Lender::Hrrt,
                loan: Loan::Requested,
                ..
            }))
        )
    });
    assert!(!asked.is_empty());
    assert!(
        first.0 >= asked[0] + 2 * H,
        "assembly and travel take 2h after the first request"
    );
    // Control: without the team the narrative reaches further.
    let without = world.run(&[&playbook("")], 1);
    let peak = |f: &Finished| f.summary.opinion.narratives[0].peak_reach;
    eprintln!(
        "peak reach {:.4} with a team, {:.4} without",
        peak(&with),
        peak(&without)
    );
    assert!(peak(&with) < peak(&without));
}

#[test]
fn ras_sharing_below_the_alert_threshold_makes_slow_states_watch_sooner() {
    let world = narrative_world();
    // An alert threshold the narrative never reaches: only the sharing acts.
    let ras = |sharing: &str| {
        stratcom(&format!(
            r#"Some((alert_reach: 0.99, delay: Fixed("1h"), national_response: Fixed("1h"), sharing: {sharing}))"#
        ))
    };
    let with = world.run(&[&ras(r#"Some(Fixed("2h"))"#)], 1);
    let without = world.run(&[&ras("None")], 1);
    let shared = times(&with, |w| {
        matches!(
            w,
            What::Eu(EuRecord::StratCom(StratComRecord::RasShared { .. }))
        )
    });
    assert_eq!(shared.len(), 1, "shared once, when StratCom identifies it");
    assert!(
        times(&without, |w| matches!(
            w,
            What::Eu(EuRecord::StratCom(StratComRecord::RasShared { .. }))
        ))
        .is_empty()
    );
    for c in [LV, FI] {
        let (w, wo) = (first_detected(&with, c), first_detected(&without, c));
        eprintln!("{c:?} notices at {w:?} with sharing, {wo:?} without");
        let w = w.expect("a shared narrative is watched");
        assert!(w <= shared[0] + 2 * H, "within the sharing delay");
        assert!(wo.is_none_or(|wo| w < wo));
    }
}

/// Exercise control scripts a state's request for a Hybrid Rapid Response
/// Team in a crisis where the playbook's trigger never holds; a second
/// request while the team is there is logged and does nothing.
#[test]
fn an_inject_scripts_a_request_for_a_hybrid_rapid_response_team() {
    let world = World::new("").msel(
        r#"(number: 3, at: Time("10h"), from: "EXCON", to: "EE", method: Briefing, subject: "Government decision",
            message: "Estonia asks the EU for a Hybrid Rapid Response Team.", expected_action: "EEAS assembles a team.",
            effect: Some(Decide(RequestHrrt("EE")))),
           (number: 4, at: Time("20h"), from: "EXCON", to: "EE", method: Briefing, subject: "Again",
            message: "m", expected_action: "a", effect: Some(Decide(RequestHrrt("EE"))))"#,
    );
    let hrrt = r#"hybrid_rapid_response: Some((
        request: (when: Elapsed("100d"), deliberation: Fixed("1h")),
        assembly: Fixed("2h"), teams: 2, lead_time: Fixed("1h"), stay: "2d",
        stratcom: 0.2, csirt_teams: 1))"#;
    let f = world.run(&[&playbook(hrrt)], 1);
    let scripted: Vec<(u64, bool)> = log(&f)
        .into_iter()
        .filter_map(|(t, w)| match w {
            What::Eu(EuRecord::Decision(DecisionRecord::Scripted {
                kind: DecisionKind::Loan(Lender::Hrrt),
                country: Some(EE),
                applies,
                ..
            })) => Some((t, applies)),
            _ => None,
        })
        .collect();
    assert_eq!(scripted, [(10 * H, true), (20 * H, false)]);
    let deployed = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Loan(LoanRecord {
                lender: Lender::Hrrt,
                loan: Loan::Deployed { .. },
                country: EE,
                ..
            }))
        )
    });
    assert_eq!(deployed, [13 * H], "assembled in 2h, there 1h later");

    // A playbook without the teams: logged, nothing follows.
    let g = world.run(&[&playbook("")], 1);
    assert!(
        times(&g, |w| matches!(w, What::Eu(EuRecord::Loan(_)))).is_empty(),
        "no mechanism, no team"
    );
}

/// A playbook with NATO alone (and its own reporting links), alerting at
/// `alert`, with `hunt` as `alerted_hunt`; with `fusion`, the Fusion Cell too.
fn nato_hunting(alert: f64, hunt: &str, fusion: bool) -> String {
    let cell = if fusion {
        r#"fusion_cell: Some((analysts: 4, analysis: Fixed("2h"),
            weights: (member_states: 1.0, csirts: 0.8, stratcom: 0.5, open_source: 0.3, nato: 0.8),
            evidence_scale: 4.0, linking_bonus: 1.5, alert: 0.3, alerted_hunt: Fixed("4d"))),"#
    } else {
        ""
    };
    playbook(&format!(
        r#"links: Some([
            (from: MemberStates, to: Nato, delay: Fixed("10h")),
            (from: OpenSource, to: Nato, delay: Fixed("3h")),
            (from: MemberStates, to: FusionCell, delay: Fixed("10h")),
            (from: OpenSource, to: FusionCell, delay: Fixed("3h")),
        ]),
        {cell}
        nato: Some((mode: Parallel, analysts: 4, analysis: Fixed("2h"), evidence_scale: 4.0,
            alert: {alert}, duplication: 0.0, alerted_hunt: {hunt}, support: []))"#
    ))
}

#[test]
fn on_nato_s_alert_allies_hunt_footholds_and_no_state_hunts_twice() {
    let world = World::new(&format!("{NOISE}, {SPY}"))
        .caps(EE, UNDEFENDED)
        .caps(LV, UNDEFENDED)
        .caps(FI, UNDEFENDED)
        .duration("8d");
    let found = |f: &Finished, c: CountryIx| {
        detected_footholds(f, 1)
            .into_iter()
            .find(|d| d.1 == c)
            .map(|d| d.0)
    };
    // NATO alone: its allies (EE, LV) hunt on its alert; Finland, not an ally, does not.
    let with = world.run(&[&nato_hunting(0.3, r#"Some(Fixed("12h"))"#, false)], 1);
    let without = world.run(&[&nato_hunting(0.3, "None", false)], 1);
    let alerted = state(&with).nato_picture.alerted.expect("NATO alerts").0;
    for c in [EE, LV] {
        let (w, wo) = (found(&with, c), found(&without, c));
        eprintln!("foothold in {c:?} found at {w:?} on NATO's alert, {wo:?} without");
        let w = w.expect("an alerted ally finds the foothold");
        assert!(w <= alerted + 12 * H, "within the alerted hunt time");
        assert!(wo.is_none_or(|wo| w < wo));
    }
    assert_eq!(found(&with, FI), found(&without, FI), "Finland is no ally");

    // The Fusion Cell alerts first (0.3 against NATO's 0.9): its member
    // states already hunt (within 4 d), and NATO's later alert adds no
    // second, faster hunt (1 h).
    let once = world.run(&[&nato_hunting(0.9, r#"Some(Fixed("1h"))"#, true)], 1);
    let fusion_only = world.run(&[&nato_hunting(0.9, "None", true)], 1);
    let (eu_at, nato_at) = (state(&once).hfc.alerted, state(&once).nato_picture.alerted);
    eprintln!("Fusion Cell alerts at {eu_at:?}, NATO at {nato_at:?}");
    assert!(eu_at.is_some() && nato_at.is_some() && eu_at < nato_at);
    assert_eq!(
        detected_footholds(&once, 1),
        detected_footholds(&fusion_only, 1)
    );
}

/// A request scripted while the playbook's own decision is still under
/// deliberation is served once: the decision that falls later adds nothing.
#[test]
fn a_request_scripted_during_the_playbook_s_deliberation_is_served_once() {
    let world = narrative_world().msel(
        r#"(number: 5, at: Time("2d"), from: "EXCON", to: "EE", method: Briefing, subject: "Government decision",
            message: "Estonia asks for a Hybrid Rapid Response Team now.", expected_action: "EEAS assembles a team.",
            effect: Some(Decide(RequestHrrt("EE"))))"#,
    );
    // Estonia's own decision takes 3 days, so the inject comes in between.
    let hrrt = r#"hybrid_rapid_response: Some((
        request: (when: Always, deliberation: Fixed("3d")),
        assembly: Fixed("1h"), teams: 3, lead_time: Fixed("1h"), stay: "5d",
        stratcom: 0.2, csirt_teams: 0))"#;
    let f = world.run(&[&playbook(hrrt)], 1);
    let to_ee = |loan: fn(&Loan) -> bool| {
        log(&f)
            .into_iter()
            .filter(|(_, w)| {
                matches!(w, What::Eu(EuRecord::Loan(LoanRecord { lender: Lender::Hrrt, country: EE, loan: l, .. })) if loan(l))
            })
            .count()
    };
    let raised = times(&f, |w| {
        matches!(
            w,
            What::Eu(EuRecord::Decision(DecisionRecord::Raised {
                kind: DecisionKind::Loan(Lender::Hrrt),
                country: Some(EE),
                ..
            }))
        )
    });
    assert!(
        raised
            .first()
            .is_some_and(|&t| t < 2 * D && t + 3 * D > 2 * D),
        "Estonia's own decision is pending when the inject fires: {raised:?}"
    );
    assert_eq!(to_ee(|l| *l == Loan::Requested), 1, "one request");
    assert_eq!(to_ee(|l| matches!(l, Loan::Deployed { .. })), 1, "one team");
}
