//! The human summary `pacesim run` prints: what a controller reads first.

use std::fmt::Write;
use std::path::Path;

use super::{hours, mechanism_rows};
use crate::engine::SimTime;
use crate::metrics::Summary;
use crate::response::eu::metrics::EuMetrics;
use crate::scenario::catalog::Catalog;

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
        "simulated {} from {} in {:.3} s: {} events ({})",
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
        let worried = if c.worried_well > 0 {
            format!(" (and {} worried well in the queue)", c.worried_well)
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "\nCBRN: {} exposed{worried}, {} ill, {} dead, {} decontaminated",
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
            let [b, w, _] = r.shown();
            let metric = format!("{} ({})", r.metric, r.unit.label());
            let _ = writeln!(o, "  {metric:<62} {b:>9} -> {w:>9}  {}", r.verdict());
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
    for (mechanism, what) in mechanism_rows(eu) {
        let _ = writeln!(o, "  {mechanism}: {what}");
    }
}
