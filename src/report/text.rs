//! The human summary `pacesim run` prints: what a controller reads first.

use std::fmt::Write;
use std::path::Path;

use super::{at, hours};
use crate::engine::SimTime;
use crate::exercise::metrics::Summary;
use crate::response::eu::metrics::EuMetrics;
use crate::world::catalog::Catalog;

pub fn run_summary(
    cat: &Catalog,
    s: &Summary,
    elapsed: std::time::Duration,
    out: Option<&Path>,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "pacesim: {} (seed {})", s.scenario, s.seed);
    let _ = writeln!(
        o,
        "simulated {} from {} in {:.2} s: {} events ({})",
        crate::engine::Duration(s.until_s),
        s.start,
        elapsed.as_secs_f64(),
        s.events,
        s.events_by_domain
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(o, "\nCampaigns");
    for c in &s.campaigns {
        let first = c.first_effect_s.map_or("no effect".to_string(), |t| {
            format!("first effect {}", SimTime(t))
        });
        let det = match (c.first_effect_s, c.time_to_detect_s) {
            (None, _) => String::new(),
            (Some(_), Some(d)) => format!(", detected after {}", hours(d)),
            (Some(_), None) => ", never detected".to_string(),
        };
        let _ = writeln!(
            o,
            "  {:<28} {}/{} steps succeeded, {} failed; {first}{det}",
            c.id, c.steps_succeeded, c.steps, c.steps_failed
        );
    }
    let i = &s.infrastructure;
    let _ = writeln!(
        o,
        "\nInfrastructure: {:.1} node-hours lost ({:.2} M people-hours); {} nodes impaired, {} lost service ({} by cascade), {} held on backup; longest outage {:.1} h",
        i.node_hours_lost,
        i.people_hours_lost / 1e6,
        i.nodes_impaired,
        i.service_lost_events,
        i.cascade_failures,
        i.cascades_held,
        i.longest_outage_h
    );
    let worst: Vec<String> = {
        let mut v: Vec<_> = i.by_sector.iter().filter(|(_, h)| **h > 0.0).collect();
        v.sort_by(|a, b| b.1.total_cmp(a.1));
        v.iter().map(|(k, h)| format!("{k} {h:.0}")).collect()
    };
    if !worst.is_empty() {
        let _ = writeln!(o, "  node-hours by sector: {}", worst.join(", "));
    }
    let c = &s.cbrn;
    if !c.incidents.is_empty() {
        let _ = writeln!(
            o,
            "\nCBRN: {} exposed, {} ill, {} dead, {} decontaminated",
            c.exposed, c.ill, c.dead, c.decontaminated
        );
        for inc in &c.incidents {
            let _ = writeln!(
                o,
                "  incident {} in {} at {}: suspected after {}, agent identified after {}",
                inc.incident,
                inc.country,
                SimTime(inc.released_s),
                inc.time_to_detect_s.map_or("-".into(), hours),
                inc.time_to_identify_s.map_or("-".into(), hours)
            );
        }
    }
    let _ = writeln!(o, "\nPublic opinion (trust start -> end, lowest)");
    let line: Vec<String> = s
        .opinion
        .countries
        .iter()
        .map(|k| {
            format!(
                "{} {:.0}->{:.0}% ({:.0}%)",
                k.country,
                k.trust_start * 100.0,
                k.trust_end * 100.0,
                k.trust_min * 100.0
            )
        })
        .collect();
    for chunk in line.chunks(4) {
        let _ = writeln!(o, "  {}", chunk.join("   "));
    }
    for n in s
        .opinion
        .narratives
        .iter()
        .filter(|n| n.launched_s.is_some())
    {
        let spotted = n.first_detected_s.map_or("never spotted".into(), |t| {
            format!("first spotted {}", SimTime(t))
        });
        let _ = writeln!(
            o,
            "  narrative {:<26} peak reach {:>5.1}%, {spotted}",
            n.id,
            n.peak_reach * 100.0
        );
    }
    let r = &s.response;
    let _ = writeln!(
        o,
        "\nNational response: {} incidents opened ({} queued), {}/{} intrusions detected, {} evictions, {} restorations ({} queued), {} debunks, {} platform actions; {} injects fired",
        r.incidents_opened,
        r.incidents_queued,
        r.intrusions_detected,
        r.intrusions_planted,
        r.intrusions_evicted,
        r.restorations,
        r.restorations_queued,
        r.debunks,
        r.platform_actions,
        s.injects_fired
    );
    if let Some(eu) = &s.eu {
        eu_block(&mut o, eu);
    }
    if !s.objectives.is_empty() {
        let _ = writeln!(o, "\nObjectives");
        for ob in &s.objectives {
            let _ = writeln!(
                o,
                "  {} {:<8} {}: {}",
                ob.rating_letter(),
                ob.id,
                ob.title,
                ob.finding
            );
        }
    }
    if let Some(c) = &s.versus_baseline {
        let _ = writeln!(o, "\nPlaybook effect (vs {}):", c.baseline);
        for r in &c.rows {
            let mark = match r.better {
                Some(true) => "better",
                Some(false) => "worse",
                None => "same",
            };
            let _ = writeln!(
                o,
                "  {:<46} {:>9.1} -> {:>9.1} {:<22} {mark}",
                r.metric, r.baseline, r.with_playbook, r.unit
            );
        }
        for (id, a, b) in &c.ratings_changed {
            let _ = writeln!(o, "  objective {id}: {a} -> {b}");
        }
    }
    if let Some(dir) = out {
        let _ = writeln!(
            o,
            "\nwrote {0}/events.jsonl, {0}/summary.json, {0}/report.md",
            dir.display()
        );
    }
    let _ = cat;
    o
}

/// The EU and NATO mechanisms in a few lines.
fn eu_block(o: &mut String, eu: &EuMetrics) {
    let _ = writeln!(
        o,
        "\nEU and NATO response (playbook: {})",
        eu.playbooks.join(" + ")
    );
    let stages: Vec<String> = eu
        .protocol
        .iter()
        .map(|(k, v)| format!("{k} {}", at(*v)))
        .collect();
    let _ = writeln!(o, "  EU Hybrid Playbook: {}", stages.join(", "));
    if let Some(f) = &eu.fusion_cell {
        let _ = writeln!(
            o,
            "  Hybrid Fusion Cell: {} indicators ({} waited at most), confidence {:.0}%, alerted {}",
            f.indicators_received,
            f.longest_queue,
            f.confidence * 100.0,
            at(f.alerted_s)
        );
    }
    if let Some(i) = &eu.ipcr {
        let _ = writeln!(
            o,
            "  IPCR: monitoring {}, information sharing {}, full activation {}; {} ISAA reports",
            at(i.monitoring_s),
            at(i.information_sharing_s),
            at(i.full_activation_s),
            i.isaa_reports
        );
    }
    if let Some(u) = &eu.ucpm {
        let times: Vec<String> = u
            .requests
            .iter()
            .map(|r| {
                format!(
                    "{} {} {}",
                    r.country,
                    r.need,
                    r.request_to_deployment_h
                        .map_or("not deployed".into(), |h| format!("{h:.1} h"))
                )
            })
            .collect();
        let _ = writeln!(
            o,
            "  UCPM/ERCC: {} requests{}; {} waited for a module, {} unmet",
            u.requests.len(),
            if times.is_empty() {
                String::new()
            } else {
                format!(" (request to deployment: {})", times.join(", "))
            },
            u.waited_for_module,
            u.unmet
        );
    }
    if let Some(b) = &eu.blueprint {
        let _ = writeln!(
            o,
            "  Cyber Blueprint: {} incidents shared by {} states in the CSIRTs network, operational level {}, political level {}, {} pre-emptive isolations",
            b.incidents_shared,
            b.states_sharing,
            at(b.operational_s),
            at(b.political_s),
            b.preemptive_isolations
        );
    }
    if let Some(t) = &eu.toolbox {
        let _ = writeln!(
            o,
            "  Cyber Diplomacy Toolbox: attribution {}, restrictive measures {}, {} later steps deterred",
            at(t.attributed_s),
            at(t.restrictive_measures_s),
            t.steps_deterred
        );
    }
    if let Some(sc) = &eu.stratcom {
        let alerts: Vec<String> = sc
            .rapid_alerts
            .iter()
            .map(|(n, t)| format!("{n} {}", SimTime(*t)))
            .collect();
        let _ = writeln!(
            o,
            "  StratCom: {} narratives identified; Rapid Alert System alerts: {}",
            sc.narratives_identified,
            if alerts.is_empty() {
                "none".into()
            } else {
                alerts.join(", ")
            }
        );
    }
    if !eu.solidarity.is_empty() {
        let who: Vec<String> = eu
            .solidarity
            .iter()
            .map(|(c, t)| format!("{c} {}", SimTime(*t)))
            .collect();
        let _ = writeln!(
            o,
            "  Solidarity clause (Art. 222) invoked: {}",
            who.join(", ")
        );
    }
    if let Some(n) = &eu.nato {
        let _ = writeln!(
            o,
            "  NATO ({} mode): confidence {:.0}%, alerted {}, {} support packages sent",
            n.mode,
            n.analysis.confidence * 100.0,
            at(n.analysis.alerted_s),
            n.support_sent
        );
    }
    let taken = eu
        .decisions
        .iter()
        .filter(|d| d.decided_s.is_some())
        .count();
    let approved = eu
        .decisions
        .iter()
        .filter(|d| d.approved == Some(true))
        .count();
    let _ = writeln!(
        o,
        "  Decisions: {} raised, {} taken ({} to act)",
        eu.decisions.len(),
        taken,
        approved
    );
}
