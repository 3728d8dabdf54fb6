//! IPCR, the Council's Integrated Political Crisis Response.
//!
//! Monitoring starts by itself when its trigger holds; information sharing
//! and full activation are Presidency decisions; invoking Art. 222 brings
//! full activation at once. In information sharing and full activation the
//! Commission and the EEAS produce ISAA reports on a cadence, and the round
//! tables speed other EU mechanisms and member states' coordinated crisis
//! communication up (see [`speed`]).

use std::collections::BTreeMap;

use super::decision::{DecisionKind, raise};
use super::protocol::{self, Stage};
use super::{EuEv, eu, eu_ref, holds, later};
use crate::engine::{SimTime, show_secs};
use crate::log::{Context, Described, Domain, Record, kinds, round3};
use crate::playbook::IpcrMode;
use crate::scenario::catalog::Catalog;
use crate::world::{Coordination, Sim};

/// What IPCR logs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IpcrRecord {
    Mode {
        mode: IpcrMode,
    },
    IsaaReport {
        number: u32,
        mode: IpcrMode,
        affected: u8,
        confidence: f32,
    },
}

impl Record for IpcrRecord {
    kinds! {
        Mode => "ipcr_mode",
        IsaaReport => "ipcr_isaa_report",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, _: &Context<'a>) -> Described<'a> {
        match *self {
            IpcrRecord::Mode { mode } => Described::new(format!("IPCR in {} mode", mode.name()))
                .actor("IPCR")
                .detail("mode", mode.name()),
            IpcrRecord::IsaaReport {
                number,
                mode,
                affected,
                confidence,
            } => Described::new(format!(
                "IPCR ISAA report #{number}: {affected} member states affected, Fusion Cell confidence {:.0}%",
                confidence * 100.0
            ))
            .actor("IPCR")
            .detail("number", number)
            .detail("mode", mode.name())
            .detail("states_affected", affected)
            .detail("confidence", round3(confidence)),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum IpcrEv {
    /// The next situational-awareness report of a cadence is due; a change
    /// of mode starts a new cadence and retires the old one.
    Isaa { cadence: u32 },
}

#[derive(Debug)]
pub struct IpcrState {
    pub mode: IpcrMode,
    pub entered: BTreeMap<IpcrMode, SimTime>,
    pub reports: u32,
    /// The current report cadence (one per mode entered).
    pub cadence: u32,
}

impl Default for IpcrState {
    fn default() -> Self {
        IpcrState {
            mode: IpcrMode::Off,
            entered: BTreeMap::new(),
            reports: 0,
            cadence: 0,
        }
    }
}

/// Share of other EU mechanisms' delays that remains under IPCR's current
/// coordination (see [`Coordination`]).
pub fn speed(sim: &Sim) -> f64 {
    sim.world.resource::<Coordination>().delays_left
}

/// The share of delays left in `mode`.
fn delays_left(i: &crate::playbook::Ipcr, mode: IpcrMode) -> f64 {
    let cut = match mode {
        IpcrMode::InformationSharing => i.coordination.information_sharing.0,
        IpcrMode::FullActivation => i.coordination.full_activation.0,
        _ => 0.0,
    };
    1.0 - cut
}

pub fn review(sim: &mut Sim) {
    let Some(i) = &sim.cat.response.ipcr else {
        return;
    };
    let mode = eu_ref(sim).ipcr.mode;
    if mode < IpcrMode::Monitoring && holds(sim, &i.monitoring, None) {
        enter(sim, IpcrMode::Monitoring);
    }
    let mode = eu_ref(sim).ipcr.mode;
    if mode < IpcrMode::InformationSharing && holds(sim, &i.information_sharing.when, None) {
        raise(
            sim,
            DecisionKind::IpcrInformationSharing,
            None,
            &i.information_sharing,
        );
    }
    if mode < IpcrMode::FullActivation && holds(sim, &i.full_activation.when, None) {
        raise(
            sim,
            DecisionKind::IpcrFullActivation,
            None,
            &i.full_activation,
        );
    }
}

/// Moves IPCR up to `mode` (never down) and starts the ISAA cadence.
pub fn enter(sim: &mut Sim, mode: IpcrMode) {
    let Some(i) = &sim.cat.response.ipcr else {
        return;
    };
    let now = sim.now;
    {
        let mut st = eu(sim);
        let before = st.ipcr.mode;
        if mode <= before {
            return;
        }
        st.ipcr.mode = mode;
        // Skipped modes count as entered now.
        for m in [
            IpcrMode::Monitoring,
            IpcrMode::InformationSharing,
            IpcrMode::FullActivation,
        ] {
            if m <= mode {
                st.ipcr.entered.entry(m).or_insert(now);
            }
        }
    }
    sim.emit(IpcrRecord::Mode { mode });
    sim.world.resource_mut::<Coordination>().delays_left = delays_left(i, mode);
    if mode >= IpcrMode::InformationSharing {
        protocol::reach(sim, Stage::Response);
        // The first report of the new mode goes out at once, and the mode's
        // own cadence replaces the previous one.
        let cadence = {
            let mut st = eu(sim);
            st.ipcr.cadence += 1;
            st.ipcr.cadence
        };
        isaa(sim);
        later(sim, every(i, mode), EuEv::Ipcr(IpcrEv::Isaa { cadence }));
    }
}

fn every(i: &crate::playbook::Ipcr, mode: IpcrMode) -> crate::engine::Duration {
    match mode {
        IpcrMode::FullActivation => i.isaa.full_activation,
        _ => i.isaa.information_sharing,
    }
}

pub fn handle(sim: &mut Sim, ev: IpcrEv) {
    match ev {
        IpcrEv::Isaa { cadence } => {
            let Some(i) = &sim.cat.response.ipcr else {
                return;
            };
            let (current, mode) = {
                let st = eu_ref(sim);
                (st.ipcr.cadence, st.ipcr.mode)
            };
            if cadence != current {
                return;
            }
            isaa(sim);
            later(sim, every(i, mode), EuEv::Ipcr(IpcrEv::Isaa { cadence }));
        }
    }
}

/// Publishes an ISAA report.
fn isaa(sim: &mut Sim) {
    let mode = eu_ref(sim).ipcr.mode;
    let number = {
        let mut st = eu(sim);
        st.ipcr.reports += 1;
        st.ipcr.reports
    };
    let (affected, confidence) = {
        let st = eu_ref(sim);
        (
            crate::engine::count_u8(st.affected.len()),
            st.hfc.confidence as f32,
        )
    };
    sim.emit(IpcrRecord::IsaaReport {
        number,
        mode,
        affected,
        confidence,
    });
}

/// IPCR on the dashboard.
pub fn dashboard(st: &super::EuState, _: &Catalog) -> String {
    format!("{} · {} ISAA reports", st.ipcr.mode.name(), st.ipcr.reports)
}

/// What IPCR did.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    eu.ipcr.as_ref().map_or(String::new(), |i| {
        format!(
            "monitoring {}, information sharing {}, full activation {}; {} ISAA reports",
            show_secs(i.monitoring_s),
            show_secs(i.information_sharing_s),
            show_secs(i.full_activation_s),
            i.isaa_reports
        )
    })
}
