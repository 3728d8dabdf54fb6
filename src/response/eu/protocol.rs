//! The EU operational protocol for countering hybrid threats (the "EU
//! Hybrid Playbook", SWD(2017) 227): the stages from detection through
//! assessment and attribution to response, each marked once when the
//! mechanisms that carry it first act.

use super::eu;
use crate::engine::show_secs;
use crate::log::{Context, Described, Domain, Record, kinds};
use crate::scenario::catalog::Catalog;
use crate::world::Sim;

/// The EU Hybrid Playbook's stages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Detection,
    Assessment,
    Attribution,
    Response,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Detection,
        Stage::Assessment,
        Stage::Attribution,
        Stage::Response,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Stage::Detection => "detection",
            Stage::Assessment => "assessment",
            Stage::Attribution => "attribution",
            Stage::Response => "response",
        }
    }
}

/// What the protocol logs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ProtocolRecord {
    StageReached { stage: Stage },
}

impl Record for ProtocolRecord {
    kinds! {
        StageReached => "protocol_stage",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, _: &Context<'a>) -> Described<'a> {
        let ProtocolRecord::StageReached { stage } = *self;
        Described::new(format!(
            "EU Hybrid Playbook: {} stage reached",
            stage.name()
        ))
        .actor("EU")
        .detail("stage", stage.name())
    }
}

/// Marks a stage of the EU Hybrid Playbook as reached (once).
pub(crate) fn reach(sim: &mut Sim, s: Stage) {
    if sim.cat.response.protocol.is_none() {
        return;
    }
    let now = sim.now;
    let mut st = eu(sim);
    if st.stages.contains_key(&s) {
        return;
    }
    st.stages.insert(s, now);
    sim.emit(ProtocolRecord::StageReached { stage: s });
}

/// The stages the EU Hybrid Playbook reached.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    eu.protocol
        .iter()
        .map(|(k, v)| format!("{k} {}", show_secs(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}
