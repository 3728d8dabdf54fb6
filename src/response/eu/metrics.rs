//! What the EU and NATO mechanisms did, measured for `summary.json` and the
//! report: the EU Hybrid Playbook's stages, time to assess, attribute and
//! respond per threat, IPCR modes, UCPM request-to-deployment times,
//! mechanism load and queueing, and every decision taken.

use serde::{Deserialize, Serialize};

use bevy_ecs::world::World;

use super::lending::{self, Lender};
use super::{EuState, Stage, ucpm};
use crate::playbook::IpcrMode;
use crate::scenario::catalog::{CampaignIx, Catalog};
use crate::world::Deterrence;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EuMetrics {
    pub playbooks: Vec<String>,
    /// The mechanisms the playbooks brought.
    pub mechanisms: Vec<super::Mechanism>,
    /// When the EU Hybrid Playbook reached each stage, seconds from T+0, in stage order.
    pub protocol: Vec<(String, Option<u64>)>,
    /// Per threat campaign: time from its first effect to each step of the response.
    pub threats: Vec<ThreatResponse>,
    pub ipcr: Option<IpcrMetrics>,
    pub fusion_cell: Option<AnalysisMetrics>,
    pub nato: Option<NatoMetrics>,
    pub ucpm: Option<UcpmMetrics>,
    pub blueprint: Option<BlueprintMetrics>,
    pub cyber_reserve: Option<LoanMetrics>,
    pub hybrid_rapid_response: Option<LoanMetrics>,
    pub toolbox: Option<ToolboxMetrics>,
    pub stratcom: Option<StratComMetrics>,
    /// Member states that invoked Art. 222, with the time.
    pub solidarity: Vec<(String, u64)>,
    pub decisions: Vec<DecisionMetrics>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ThreatResponse {
    pub campaign: String,
    pub first_effect_s: Option<u64>,
    pub time_to_detect_s: Option<u64>,
    pub time_to_assess_s: Option<u64>,
    pub time_to_attribute_s: Option<u64>,
    pub time_to_respond_s: Option<u64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IpcrMetrics {
    pub monitoring_s: Option<u64>,
    pub information_sharing_s: Option<u64>,
    pub full_activation_s: Option<u64>,
    pub final_mode: String,
    pub isaa_reports: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AnalysisMetrics {
    pub indicators_received: u32,
    pub indicators_analysed: u32,
    pub longest_queue: u32,
    pub confidence: f64,
    pub first_heard_s: Option<u64>,
    pub alerted_s: Option<u64>,
    pub assessed_s: Option<u64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NatoMetrics {
    pub mode: String,
    pub analysis: AnalysisMetrics,
    pub support_sent: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UcpmMetrics {
    pub requests: Vec<RequestMetrics>,
    pub longest_ercc_queue: u32,
    /// Requests that had to wait for a module to come back.
    pub waited_for_module: usize,
    pub unmet: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequestMetrics {
    pub country: String,
    pub need: String,
    pub requested_s: u64,
    pub offered_s: Option<u64>,
    pub deployed_s: Option<u64>,
    pub request_to_deployment_h: Option<f64>,
    pub module: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BlueprintMetrics {
    pub incidents_shared: u32,
    pub states_sharing: usize,
    pub operational_s: Option<u64>,
    pub political_s: Option<u64>,
    pub preemptive_isolations: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
/// A lender's requests (the Cybersecurity Reserve, the Hybrid Rapid Response Teams).
pub struct LoanMetrics {
    pub requests: Vec<LoanRequestMetrics>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoanRequestMetrics {
    pub country: String,
    pub requested_s: u64,
    pub deployed_s: Option<u64>,
    pub request_to_deployment_h: Option<f64>,
    pub teams: u32,
    /// It had to wait for lent teams to return.
    pub waited: bool,
    /// The state no longer needed help when teams were free.
    pub lapsed: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ToolboxMetrics {
    pub attributed_s: Option<u64>,
    pub restrictive_measures_s: Option<u64>,
    pub steps_deterred: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StratComMetrics {
    pub narratives_identified: usize,
    pub rapid_alerts: Vec<(String, u64)>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DecisionMetrics {
    pub decision: String,
    /// The mechanism whose decision it is.
    pub mechanism: super::Mechanism,
    pub country: Option<String>,
    pub raised_s: u64,
    pub decided_s: Option<u64>,
    pub approved: Option<bool>,
    pub overtaken: bool,
}

fn hours(s: u64) -> f64 {
    (s as f64 / 36.0).round() / 100.0
}

/// Measures the mechanisms of a run; `None` in a national-only run.
/// `first_effect` and `detected` are each campaign's times, from the log.
pub fn measure(
    world: &World,
    cat: &Catalog,
    first_effect: &[Option<u64>],
    detected: &[Option<u64>],
) -> Option<EuMetrics> {
    let st = world.get_resource::<EuState>()?;
    let r = &cat.response;
    let cid = |c: crate::scenario::catalog::CountryIx| cat.countries[c.i()].id.to_string();
    let deterred = world.resource::<Deterrence>().steps_deterred;

    let since = |c: usize, t: Option<u64>| match (first_effect[c], t) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a)),
        _ => None,
    };
    let threats = cat
        .campaigns
        .iter()
        .enumerate()
        .map(|(c, def)| {
            let cx = CampaignIx::at(c);
            let in_picture = st.hfc.campaigns.get(&cx).map(|t| t.0);
            let assessed = match (in_picture, st.hfc.assessed) {
                (Some(a), Some(b)) => Some(a.max(b.0)),
                _ => None,
            };
            let attributed = match (in_picture, st.toolbox.attributed) {
                (Some(a), Some(b)) if a <= b.0 => Some(b.0),
                _ => None,
            };
            ThreatResponse {
                campaign: def.id.to_string(),
                first_effect_s: first_effect[c],
                time_to_detect_s: since(c, detected[c]),
                time_to_assess_s: since(c, assessed),
                time_to_attribute_s: since(c, attributed),
                time_to_respond_s: since(c, st.responded.get(&cx).map(|t| t.0)),
            }
        })
        .collect();

    let picture = |p: &super::analysis::Picture| AnalysisMetrics {
        indicators_received: p.received,
        indicators_analysed: p.analysed,
        longest_queue: p.longest_queue,
        confidence: (p.confidence * 1000.0).round() / 1000.0,
        first_heard_s: p.first_heard.map(|t| t.0),
        alerted_s: p.alerted.map(|t| t.0),
        assessed_s: p.assessed.map(|t| t.0),
    };
    let mode_at = |m: IpcrMode| st.ipcr.entered.get(&m).map(|t| t.0);
    Some(EuMetrics {
        playbooks: r.names.clone(),
        mechanisms: super::mechanisms::present(r).map(|m| m.id).collect(),
        protocol: Stage::ALL
            .iter()
            .map(|s| (s.name().to_string(), st.stages.get(s).map(|t| t.0)))
            .collect(),
        threats,
        ipcr: r.ipcr.as_ref().map(|_| IpcrMetrics {
            monitoring_s: mode_at(IpcrMode::Monitoring),
            information_sharing_s: mode_at(IpcrMode::InformationSharing),
            full_activation_s: mode_at(IpcrMode::FullActivation),
            final_mode: st.ipcr.mode.name().to_string(),
            isaa_reports: st.ipcr.reports,
        }),
        fusion_cell: r.fusion_cell.as_ref().map(|_| picture(&st.hfc)),
        nato: r.nato.as_ref().map(|n| NatoMetrics {
            mode: match n.mode {
                crate::playbook::NatoMode::Parallel => "parallel",
                crate::playbook::NatoMode::Coordinated => "coordinated",
            }
            .to_string(),
            analysis: picture(&st.nato_picture),
            support_sent: st.nato.sent.iter().filter(|s| **s).count(),
        }),
        ucpm: r.ucpm.as_ref().map(|_| UcpmMetrics {
            requests: st
                .ucpm
                .requests
                .iter()
                .map(|q| RequestMetrics {
                    country: cid(q.country),
                    need: q.need.name().to_string(),
                    requested_s: q.requested.0,
                    offered_s: q.offered.map(|t| t.0),
                    deployed_s: q.deployed.map(|t| t.0),
                    request_to_deployment_h: q.deployed.map(|d| hours(d.0 - q.requested.0)),
                    module: q.module.map(|m| ucpm::module(r, m as usize).id.clone()),
                })
                .collect(),
            longest_ercc_queue: st.ucpm.longest_desk_queue,
            waited_for_module: st.ucpm.waited_for_module as usize,
            unmet: st.ucpm.unmet as usize,
        }),
        blueprint: r.blueprint.as_ref().map(|_| BlueprintMetrics {
            incidents_shared: st.blueprint.shares,
            states_sharing: st.blueprint.states.len(),
            operational_s: st.blueprint.operational_at.map(|t| t.0),
            political_s: st.blueprint.political_at.map(|t| t.0),
            preemptive_isolations: st.blueprint.preemptive_isolations as usize,
        }),
        cyber_reserve: lending::measure(Lender::CyberReserve, st, cat, hours),
        hybrid_rapid_response: lending::measure(Lender::Hrrt, st, cat, hours),
        toolbox: r.toolbox.as_ref().map(|_| ToolboxMetrics {
            attributed_s: st.toolbox.attributed.map(|t| t.0),
            restrictive_measures_s: st.toolbox.measures.map(|t| t.0),
            steps_deterred: deterred as usize,
        }),
        stratcom: r.stratcom.as_ref().map(|_| StratComMetrics {
            narratives_identified: st.stratcom.confirmed.len(),
            rapid_alerts: st
                .stratcom
                .alerted
                .iter()
                .map(|(n, t)| (cat.narratives[n.i()].id.to_string(), t.0))
                .collect(),
        }),
        solidarity: st.solidarity.iter().map(|(c, t)| (cid(*c), t.0)).collect(),
        decisions: st
            .decisions
            .iter()
            .map(|d| DecisionMetrics {
                decision: d.kind.id(),
                mechanism: d.kind.mechanism().id,
                country: d.country.map(cid),
                raised_s: d.raised.0,
                decided_s: d.decided.map(|x| x.0.0),
                approved: d.decided.map(|x| x.1),
                overtaken: d.overtaken,
            })
            .collect(),
    })
}
