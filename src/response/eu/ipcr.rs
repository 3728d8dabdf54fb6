//! IPCR, the Council's Integrated Political Crisis Response.
//!
//! Monitoring starts by itself when its trigger holds; information sharing
//! and full activation are Presidency decisions; invoking Art. 222 brings
//! full activation at once. In information sharing and full activation the
//! Commission and the EEAS produce ISAA reports on a cadence, and the round
//! tables speed other EU mechanisms up (see [`speed`]).

use std::collections::BTreeMap;

use super::{DecisionKind, EuEv, EuWhat, Stage, emit, eu, eu_ref, holds, later, raise, stage};
use crate::engine::SimTime;
use crate::playbook::IpcrMode;
use crate::world::Sim;

#[derive(Clone, Copy, Debug)]
pub enum IpcrEv {
    /// The next situational-awareness report is due.
    Isaa,
}

#[derive(Debug)]
pub struct IpcrState {
    pub mode: IpcrMode,
    pub entered: BTreeMap<IpcrMode, SimTime>,
    pub reports: u16,
}

impl Default for IpcrState {
    fn default() -> Self {
        IpcrState {
            mode: IpcrMode::Off,
            entered: BTreeMap::new(),
            reports: 0,
        }
    }
}

/// Share of other EU mechanisms' delays that remains under IPCR's current
/// coordination: 1 without IPCR, less in higher modes.
pub fn speed(sim: &Sim) -> f64 {
    let Some(i) = &sim.cat.response.ipcr else {
        return 1.0;
    };
    let cut = match eu_ref(sim).ipcr.mode {
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
    let before = {
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
        before
    };
    emit(sim, EuWhat::IpcrMode { mode });
    if mode >= IpcrMode::InformationSharing {
        stage(sim, Stage::Response);
        // The first report of the new mode goes out at once; its cadence follows.
        if before < IpcrMode::InformationSharing {
            later(sim, i.isaa.information_sharing, EuEv::Ipcr(IpcrEv::Isaa));
        }
        isaa(sim, false);
    }
}

pub fn handle(sim: &mut Sim, ev: IpcrEv) {
    match ev {
        IpcrEv::Isaa => isaa(sim, true),
    }
}

/// Publishes an ISAA report; on the cadence, schedules the next.
fn isaa(sim: &mut Sim, scheduled: bool) {
    let Some(i) = &sim.cat.response.ipcr else {
        return;
    };
    let mode = eu_ref(sim).ipcr.mode;
    let number = {
        let mut st = eu(sim);
        st.ipcr.reports += 1;
        st.ipcr.reports
    };
    let (affected, confidence) = {
        let st = eu_ref(sim);
        (st.affected.len() as u8, st.hfc.confidence as f32)
    };
    emit(
        sim,
        EuWhat::IsaaReport {
            number,
            mode,
            affected,
            confidence,
        },
    );
    if scheduled {
        let every = match mode {
            IpcrMode::FullActivation => i.isaa.full_activation,
            _ => i.isaa.information_sharing,
        };
        later(sim, every, EuEv::Ipcr(IpcrEv::Isaa));
    }
}
