//! What people read: the console summary of a run ([`text`]) and the
//! after-action report in Markdown ([`md`]).

pub mod aar;
pub mod compare;
pub mod md;
pub mod svg;
pub mod text;

use crate::engine::SimTime;
use crate::response::eu::metrics::EuMetrics;

/// `T+…` for a time that may not have come.
pub fn at(t: Option<u64>) -> String {
    t.map_or("-".into(), |t| SimTime(t).to_string())
}

/// Hours for a duration that may not have been measured.
pub fn opt_hours(t: Option<u64>) -> String {
    t.map_or("-".into(), hours)
}

pub fn hours(secs: u64) -> String {
    format!("{:.1} h", secs as f64 / 3600.0)
}

/// What each EU and NATO mechanism did, as (mechanism, one sentence) rows
/// that the console summary and the report both show.
pub fn mechanism_rows(eu: &EuMetrics) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    let stages: Vec<String> = eu
        .protocol
        .iter()
        .map(|(k, v)| format!("{k} {}", at(*v)))
        .collect();
    rows.push(("EU Hybrid Playbook", stages.join(", ")));
    if let Some(f) = &eu.fusion_cell {
        rows.push((
            "Hybrid Fusion Cell",
            format!(
                "{} indicators received, {} analysed, longest analyst queue {}; first heard {}, member states alerted {}, assessed {}; confidence {:.0}%",
                f.indicators_received,
                f.indicators_analysed,
                f.longest_queue,
                at(f.first_heard_s),
                at(f.alerted_s),
                at(f.assessed_s),
                f.confidence * 100.0
            ),
        ));
    }
    if let Some(i) = &eu.ipcr {
        rows.push((
            "IPCR",
            format!(
                "monitoring {}, information sharing {}, full activation {}; {} ISAA reports",
                at(i.monitoring_s),
                at(i.information_sharing_s),
                at(i.full_activation_s),
                i.isaa_reports
            ),
        ));
    }
    if let Some(u) = &eu.ucpm {
        let times: Vec<String> = u
            .requests
            .iter()
            .map(|r| {
                let took = r
                    .request_to_deployment_h
                    .map_or("not deployed".into(), |h| format!("{h:.1} h"));
                format!("{} {} {took}", r.country, r.need)
            })
            .collect();
        let detail = if times.is_empty() {
            String::new()
        } else {
            format!(" (request to deployment: {})", times.join(", "))
        };
        rows.push((
            "ERCC / UCPM",
            format!(
                "{} requests{detail}; longest ERCC queue {}, {} waited for a module, {} unmet",
                u.requests.len(),
                u.longest_ercc_queue,
                u.waited_for_module,
                u.unmet
            ),
        ));
    }
    if let Some(b) = &eu.blueprint {
        rows.push((
            "Cyber Blueprint / CSIRTs network",
            format!(
                "{} incidents shared by {} states, operational level {}, political level {}, {} pre-emptive isolations",
                b.incidents_shared,
                b.states_sharing,
                at(b.operational_s),
                at(b.political_s),
                b.preemptive_isolations
            ),
        ));
    }
    if let Some(t) = &eu.toolbox {
        rows.push((
            "Cyber Diplomacy Toolbox",
            format!(
                "attribution {}, restrictive measures {}, {} later campaign steps deterred",
                at(t.attributed_s),
                at(t.restrictive_measures_s),
                t.steps_deterred
            ),
        ));
    }
    if let Some(sc) = &eu.stratcom {
        let alerts: Vec<String> = sc
            .rapid_alerts
            .iter()
            .map(|(n, t)| format!("{n} {}", SimTime(*t)))
            .collect();
        rows.push((
            "StratCom / Rapid Alert System",
            format!(
                "{} narratives identified; alerts: {}",
                sc.narratives_identified,
                if alerts.is_empty() {
                    "none".into()
                } else {
                    alerts.join(", ")
                }
            ),
        ));
    }
    let who: Vec<String> = eu
        .solidarity
        .iter()
        .map(|(c, t)| format!("{c} {}", SimTime(*t)))
        .collect();
    rows.push((
        "Solidarity clause (Art. 222)",
        if who.is_empty() {
            "not invoked".into()
        } else {
            format!("invoked by {}", who.join(", "))
        },
    ));
    if let Some(n) = &eu.nato {
        rows.push((
            "NATO",
            format!(
                "{} mode; {} indicators, confidence {:.0}%, allies alerted {}; {} support packages sent",
                n.mode,
                n.analysis.indicators_received,
                n.analysis.confidence * 100.0,
                at(n.analysis.alerted_s),
                n.support_sent
            ),
        ));
    }
    let taken = eu
        .decisions
        .iter()
        .filter(|d| d.decided_s.is_some())
        .count();
    let acted = eu
        .decisions
        .iter()
        .filter(|d| d.approved == Some(true))
        .count();
    rows.push((
        "Decisions",
        format!(
            "{} raised, {taken} taken ({acted} to act)",
            eu.decisions.len()
        ),
    ));
    rows
}
