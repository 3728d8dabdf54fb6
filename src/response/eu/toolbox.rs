//! The Cyber Diplomacy Toolbox: the EU attributes a campaign publicly once
//! the picture is confident enough, and only then can restrictive measures
//! (sanctions) follow, over a chemical attack only once the OPCW has
//! confirmed the agent. Both deter the campaign's later steps: a share of
//! them is called off ([`crate::world::Deterrence`]).

use super::decision::{DecisionKind, raise};
use super::protocol::{self, Stage};
use super::{analysis, eu, eu_ref, holds};
use crate::engine::{SimTime, show_at, show_secs};
use crate::log::{Context, Described, Domain, Record, kinds, round3};
use crate::scenario::catalog::Catalog;
use crate::world::{Deterrence, Sim};

/// What the Toolbox logs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ToolboxRecord {
    Attributed { confidence: f32 },
    RestrictiveMeasures,
}

impl Record for ToolboxRecord {
    kinds! {
        Attributed => "toolbox_attribution",
        RestrictiveMeasures => "toolbox_restrictive_measures",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, _: &Context<'a>) -> Described<'a> {
        let d = match *self {
            ToolboxRecord::Attributed { confidence } => Described::new(format!(
                "Cyber Diplomacy Toolbox: the EU publicly attributes the campaign ({:.0}% confidence)",
                confidence * 100.0
            ))
            .detail("confidence", round3(confidence)),
            ToolboxRecord::RestrictiveMeasures => Described::new(
                "Cyber Diplomacy Toolbox: the Council adopts restrictive measures against those responsible",
            ),
        };
        d.actor("COUNCIL")
    }
}

#[derive(Debug, Default)]
pub struct ToolboxState {
    pub attributed: Option<SimTime>,
    pub measures: Option<SimTime>,
}

/// Raises the deterrent share of the named actors' later steps called off.
fn deter(sim: &mut Sim, by: f64) {
    let mut d = sim.world.resource_mut::<Deterrence>();
    d.share = 1.0 - (1.0 - d.share) * (1.0 - by);
}

/// Names the actors behind the campaigns that have struck so far (those the
/// Fusion Cell's picture links, where there is a Fusion Cell): attribution
/// and sanctions deter them, not every actor in the scenario.
fn name_actors(sim: &mut Sim) {
    let cat = sim.cat;
    let with_picture = cat.response.fusion_cell.is_some();
    let named: Vec<_> = (0..cat.campaigns.len())
        .map(crate::scenario::catalog::CampaignIx::at)
        .filter(|&c| {
            let struck = sim
                .campaign_ref(c)
                .steps
                .iter()
                .any(|s| matches!(s, crate::world::StepStatus::Succeeded(_)));
            struck && (!with_picture || eu_ref(sim).hfc.campaigns.contains_key(&c))
        })
        .map(|c| cat.campaigns[c.i()].actor)
        .collect();
    sim.world.resource_mut::<Deterrence>().actors.extend(named);
}

/// Toolbox decisions: attribution when the picture is confident enough, then sanctions.
pub fn review(sim: &mut Sim) {
    let Some(t) = &sim.cat.response.toolbox else {
        return;
    };
    let (attributed, measures) = {
        let st = eu_ref(sim);
        (st.toolbox.attributed, st.toolbox.measures)
    };
    if attributed.is_none() && holds(sim, &t.attribution.when, None) {
        raise(sim, DecisionKind::Attribution, None, &t.attribution);
    }
    // Sanctions need attribution first, whatever the playbook's trigger says.
    if attributed.is_some()
        && measures.is_none()
        && !awaiting_opcw(sim)
        && holds(sim, &t.measures.when, None)
    {
        raise(sim, DecisionKind::RestrictiveMeasures, None, &t.measures);
    }
}

/// Restrictive measures over a chemical attack wait for the OPCW's
/// confirmation: the EU listed those responsible for Navalny's poisoning on
/// 15 October 2020, nine days after the OPCW's confirmation; Salisbury's
/// listings of January 2019 also came after the OPCW report of April 2018,
/// though they waited for the chemical weapons regime of October 2018 as
/// well (Council Decision (CFSP) 2018/1544; listings 2019/85 and
/// 2020/1482, numbers unconfirmed). The Council adopts one package here, so
/// a chemical attack among a campaign's acts holds back measures over its
/// cyber attacks too (a simplification), and the playbook's deliberation
/// starts only once the confirmation is in.
fn awaiting_opcw(sim: &Sim) -> bool {
    sim.incidents().any(|i| {
        i.detected_at.is_some()
            && i.confirmed_at.is_none()
            && crate::threats::cbrn::profile(i.agent).confirmed_abroad
    })
}

pub fn attribute(sim: &mut Sim) {
    let t = sim.cat.response.toolbox.as_ref().expect("Toolbox present");
    let now = sim.now;
    let confidence = analysis::joint_confidence(sim);
    eu(sim).toolbox.attributed = Some(now);
    name_actors(sim);
    deter(sim, t.deterrence.attribution.0);
    sim.emit(ToolboxRecord::Attributed {
        confidence: confidence as f32,
    });
    protocol::reach(sim, Stage::Attribution);
}

pub fn adopt_measures(sim: &mut Sim) {
    let t = sim.cat.response.toolbox.as_ref().expect("Toolbox present");
    let now = sim.now;
    if eu_ref(sim).toolbox.attributed.is_none() {
        return;
    }
    eu(sim).toolbox.measures = Some(now);
    deter(sim, t.deterrence.measures.0);
    sim.emit(ToolboxRecord::RestrictiveMeasures);
    protocol::reach(sim, Stage::Response);
}

/// The Toolbox on the dashboard.
pub fn dashboard(st: &super::EuState, _: &Catalog) -> String {
    format!(
        "attribution {} · sanctions {}",
        show_at(st.toolbox.attributed),
        show_at(st.toolbox.measures)
    )
}

/// What the Toolbox did.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    eu.toolbox.as_ref().map_or(String::new(), |t| {
        format!(
            "attribution {}, restrictive measures {}, {} later campaign steps deterred",
            show_secs(t.attributed_s),
            show_secs(t.restrictive_measures_s),
            t.steps_deterred
        )
    })
}
