//! # pacesim
//!
//! A deterministic discrete-event engine for crisis exercises in the style of
//! the EU–NATO Parallel and Coordinated Exercises (PACE): hybrid campaigns
//! (cyber, CBRN, disinformation) played against interdependent critical
//! infrastructure, public opinion and the responders of several member states.
//!
//! The path of one event, from file to log:
//! 1. [`scenario`] reads a RON file and checks it, with `file:line:col` diagnostics ([`diag`]);
//! 2. [`world::catalog::Catalog`] resolves it into indices, and [`world`] spawns its
//!    mutable state into a bevy_ecs `World`;
//! 3. [`exercise::Exercise`] is the [`engine::Model`] the [`engine`] drives: each
//!    event goes to its model ([`threats`], [`infra`], [`response`]), which logs
//!    what happened as [`log::Event`]s;
//! 4. responders observe every logged event and schedule their own actions;
//! 5. [`log::jsonl`] writes `events.jsonl`, [`exercise::metrics`] measures the
//!    run, [`report`] writes what people read.
//!
//! Determinism: time is an integer, the queue orders by (time, priority,
//! sequence), every consumer of randomness has its own named ChaCha stream,
//! and entities are always visited in file order.

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
