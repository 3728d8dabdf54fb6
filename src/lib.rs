//! # pacesim
//!
//! A deterministic discrete-event engine for crisis exercises in the style of
//! the EU–NATO Parallel and Coordinated Exercises (PACE): hybrid campaigns
//! (cyber, CBRN, disinformation) played against interdependent critical
//! infrastructure, public opinion and the responders of several member
//! states, and against the EU and NATO mechanisms that playbooks describe.
//!
//! ## A first exercise
//!
//! A scenario is a RON text. This one has one country, a grid operator and a
//! bank that needs the grid, and a campaign that knocks the grid out; one
//! objective asks for power back within twelve hours.
//!
//! ```
//! use pacesim::diag::SourceFile;
//!
//! let text = r#"Scenario(
//!     name: "First exercise", start: "2026-03-02T06:00:00Z", duration: "2d", seed: 7,
//!     countries: [(id: "EE", name: "Estonia", population: 1400000, trust: 0.55,
//!         capacities: (cyber: 0.0, cbrn_detection: 0.5, civil_protection: 0.6, health: 0.6, stratcom: 0.5),
//!         resources: (csirt_teams: 2, repair_crews: 2, decon_units: 1, surge_beds: 300,
//!                     countermeasure_doses: 500))],
//!     actors: [(id: "APT", name: "Hostile service", kind: ThreatActor)],
//!     infrastructure: (
//!         nodes: [
//!             (id: "grid", name: "Elering", sector: Energy, country: "EE", serves: 1400000,
//!              restore: Fixed("6h"), hardening: 0.0),
//!             (id: "bank", name: "Swedbank EE", sector: Finance, country: "EE", serves: 900000,
//!              restore: Fixed("4h")),
//!         ],
//!         // The bank rides out two hours on its generators, then fails.
//!         dependencies: [(supplier: "grid", dependent: "bank", delay: "2h", probability: 1.0)],
//!     ),
//!     campaigns: [(id: "blackout", name: "Blackout", actor: "APT", steps: [
//!         (id: "switch-off", delay: Fixed("3h"), success: 1.0,
//!          action: Disrupt(target: "grid", severity: 1.0)),
//!     ])],
//!     objectives: [(id: "O1", title: "Restore power",
//!                   criterion: RestoreWithin(sector: Energy, within: "12h"))],
//! )"#;
//!
//! // Load and check it: every problem would come with its file:line:col.
//! let loaded = pacesim::scenario::from_source(SourceFile::new("first.ron", text)).unwrap();
//! // Compile it with no playbook (national responders only), run it to its
//! // end with seed 7, and read what it measured.
//! let cat = pacesim::run::compile(&loaded, &[]).unwrap();
//! let done = pacesim::run::execute(cat, 7, None);
//! let summary = &done.summary;
//! assert_eq!(summary.campaigns[0].steps_succeeded, 1);
//! assert!(summary.infrastructure.node_hours_lost > 0.0);
//! let o1 = &summary.objectives[0];
//! println!("{}: {} ({})", o1.title, o1.rating_letter(), o1.finding);
//!
//! // Every figure is defined once, in `metrics::METRICS`, and read from there.
//! for m in pacesim::metrics::headline() {
//!     if let Some(v) = (m.value)(summary, 0) {
//!         println!("{}: {}", m.label, m.unit.show_short(v));
//!     }
//! }
//!
//! // The event log is the source of every output; its hash is the same on
//! // every machine and in every build.
//! let hash = done.sim.model.write_log(std::io::sink()).unwrap();
//! assert_eq!(hash.len(), 64);
//! ```
//!
//! A playbook adds the EU and NATO mechanisms: load one with
//! [`playbook::from_source`] and pass it to [`run::compile`].
//!
//! ## The path of one event, from file to log
//! 1. [`input`] reads the file and [`scenario`] resolves it, once, into the
//!    [`scenario::catalog::Catalog`] (every id an index), or into problems
//!    at their `file:line:col` ([`diag`]);
//! 2. [`world`] spawns the mutable state into a bevy_ecs `World`;
//! 3. [`exercise::Exercise`] is the [`engine::Model`] the [`engine`] drives:
//!    each event goes to its room ([`threats`], [`infra`], [`response`]),
//!    which logs its own records ([`log::Record`]) and schedules its own
//!    events through the exercise; the hourly processes are bevy systems;
//! 4. the exercise shows each record to the rooms that react to it;
//! 5. [`log::jsonl`] writes `events.jsonl`, [`metrics`] measures the run,
//!    [`report`] writes what people read.
//!
//! `docs/ARCHITECTURE.md` maps the rooms and says where to add a threat
//! domain, a mechanism, a metric or a dashboard panel.
//!
//! ## Determinism
//! Time is an integer; the queue orders by (time, priority, sequence); every
//! consumer of randomness has its own named ChaCha stream; entities are
//! visited sorted by their index; and the simulation's floating-point
//! functions come from one implementation ([`engine::math`]).

pub mod batch;
pub mod cli;
pub mod commands;
pub mod control;
pub mod diag;
pub mod engine;
pub mod error;
pub mod exercise;
pub mod infra;
pub mod input;
pub mod log;
pub mod metrics;
pub mod opinion;
pub mod output;
pub mod playbook;
pub mod report;
pub mod response;
pub mod run;
pub mod scenario;
pub mod threats;
pub mod tui;
pub mod world;
