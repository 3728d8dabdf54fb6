//! The first after-action report of a single run, in Markdown.

use std::fmt::Write;

use super::{at, hours, mechanism_rows, opt_hours};
use crate::engine::SimTime;
use crate::exercise::What;
use crate::exercise::metrics::Summary;
use crate::log::{Context, Event, Record};
use crate::report::compare::Comparison;
use crate::response::eu::metrics::EuMetrics;
use crate::world::catalog::Catalog;

/// Most rows in the key-event timeline.
const TIMELINE_ROWS: usize = 80;

pub fn run_report(cat: &Catalog, s: &Summary, log: &[Event<What>], notes: &[String]) -> String {
    let cx = Context::new(cat, notes);
    let mut o = String::new();
    let _ = writeln!(o, "# After-action report: {}\n", s.scenario);
    let _ = writeln!(o, "## Exercise overview\n");
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| Scenario | {} |", s.scenario);
    let _ = writeln!(o, "| Start (T+0) | {} |", s.start);
    let _ = writeln!(
        o,
        "| Period simulated | {} |",
        crate::engine::Duration(s.until_s)
    );
    let _ = writeln!(o, "| Seed | {} |", s.seed);
    let _ = writeln!(
        o,
        "| Participating states | {} |",
        cat.countries
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(o, "| Events logged | {} |\n", s.events);
    if !cat.description.is_empty() {
        let _ = writeln!(o, "{}\n", cat.description.trim());
    }

    let _ = writeln!(o, "## Objectives and ratings\n");
    let _ = writeln!(
        o,
        "| Objective | Rating | Finding | Target | Evidence (event seq) |\n|---|---|---|---|---|"
    );
    for ob in &s.objectives {
        let ev: Vec<String> = ob.evidence.iter().map(|e| e.to_string()).collect();
        let _ = writeln!(
            o,
            "| {} {} | **{}** ({}) | {} | {} {} | {} |",
            ob.id,
            ob.title,
            ob.rating_letter(),
            ob.meaning,
            ob.finding,
            ob.target,
            ob.unit,
            ev.join(", ")
        );
    }

    let _ = writeln!(o, "\n## Threat campaigns\n");
    let _ = writeln!(
        o,
        "| Campaign | Actor | Steps succeeded | First effect | Time to detect |\n|---|---|---|---|---|"
    );
    for c in &s.campaigns {
        let _ = writeln!(
            o,
            "| {} | {} | {}/{} | {} | {} |",
            c.name,
            c.actor,
            c.steps_succeeded,
            c.steps,
            c.first_effect_s
                .map_or("-".into(), |t| SimTime(t).to_string()),
            c.time_to_detect_s.map_or("not detected".into(), hours)
        );
    }

    let _ = writeln!(o, "\n## Timeline of key events\n");
    let _ = writeln!(o, "| Time | Domain | Event |\n|---|---|---|");
    let key: Vec<(usize, &Event<What>)> = log
        .iter()
        .enumerate()
        .filter(|(_, e)| e.what.is_key())
        .collect();
    for (seq, e) in key.iter().take(TIMELINE_ROWS) {
        let d = e.what.describe(&cx);
        let _ = writeln!(
            o,
            "| {} | {} | {} (#{seq}) |",
            e.t,
            e.what.domain(cat).name(),
            d.text.replace('|', "/")
        );
    }
    if key.len() > TIMELINE_ROWS {
        let _ = writeln!(
            o,
            "\n{} more key events are in `events.jsonl`.",
            key.len() - TIMELINE_ROWS
        );
    }

    let i = &s.infrastructure;
    let _ = writeln!(o, "\n## Infrastructure\n");
    let _ = writeln!(
        o,
        "{:.1} node-hours of service lost ({:.2} million people-hours); {} nodes impaired; {} losses of service, {} of them cascades; {} dependents rode out a supplier's failure on backup; longest outage {:.1} h.\n",
        i.node_hours_lost,
        i.people_hours_lost / 1e6,
        i.nodes_impaired,
        i.service_lost_events,
        i.cascade_failures,
        i.cascades_held,
        i.longest_outage_h
    );
    let _ = writeln!(o, "| Sector | Node-hours lost |\n|---|---|");
    for (k, v) in i.by_sector.iter().filter(|(_, v)| **v > 0.0) {
        let _ = writeln!(o, "| {k} | {v:.1} |");
    }
    let _ = writeln!(o, "\n| Country | Node-hours lost |\n|---|---|");
    for (k, v) in i.by_country.iter().filter(|(_, v)| **v > 0.0) {
        let _ = writeln!(o, "| {k} | {v:.1} |");
    }

    if !s.cbrn.incidents.is_empty() {
        let _ = writeln!(o, "\n## CBRN consequences\n");
        let _ = writeln!(
            o,
            "| Incident | Country | Released | Exposed | Ill | Dead | Suspected after | Identified after |\n|---|---|---|---|---|---|---|---|"
        );
        for x in &s.cbrn.incidents {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                x.incident,
                x.country,
                SimTime(x.released_s),
                x.exposed,
                x.ill,
                x.dead,
                x.time_to_detect_s.map_or("-".into(), hours),
                x.time_to_identify_s.map_or("-".into(), hours)
            );
        }
    }

    let _ = writeln!(o, "\n## Public opinion\n");
    let _ = writeln!(
        o,
        "| Country | Trust at start | Trust at end | Lowest |\n|---|---|---|---|"
    );
    for k in &s.opinion.countries {
        let _ = writeln!(
            o,
            "| {} | {:.1}% | {:.1}% | {:.1}% |",
            k.country,
            k.trust_start * 100.0,
            k.trust_end * 100.0,
            k.trust_min * 100.0
        );
    }
    let _ = writeln!(
        o,
        "\n| Narrative | Launched | First spotted | Peak reach |\n|---|---|---|---|"
    );
    for n in &s.opinion.narratives {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {:.1}% |",
            n.title,
            n.launched_s.map_or("-".into(), |t| SimTime(t).to_string()),
            n.first_detected_s
                .map_or("-".into(), |t| SimTime(t).to_string()),
            n.peak_reach * 100.0
        );
    }
    let r = &s.response;
    let _ = writeln!(o, "\n## National response\n");
    let _ = writeln!(
        o,
        "CSIRTs opened {} incidents ({} waited for a free team), detected {} of {} intrusions and evicted {} footholds. Repair crews started {} restorations ({} waited for a crew). Government communication spotted {} narratives, issued {} debunks and {} platform notices. Exercise control fired {} injects.",
        r.incidents_opened,
        r.incidents_queued,
        r.intrusions_detected,
        r.intrusions_planted,
        r.intrusions_evicted,
        r.restorations,
        r.restorations_queued,
        r.narratives_spotted,
        r.debunks,
        r.platform_actions,
        s.injects_fired
    );
    if let Some(eu) = &s.eu {
        eu_section(&mut o, eu);
    }
    if let Some(c) = &s.versus_baseline {
        comparison(&mut o, c);
    }
    o
}

fn eu_section(o: &mut String, eu: &EuMetrics) {
    let _ = writeln!(o, "\n## EU and NATO response\n");
    let _ = writeln!(o, "Playbook: {}.\n", eu.playbooks.join(" + "));
    let _ = writeln!(
        o,
        "| Campaign | First effect | Detect | Assess | Attribute | Respond |\n|---|---|---|---|---|---|"
    );
    for t in &eu.threats {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            t.campaign,
            at(t.first_effect_s),
            opt_hours(t.time_to_detect_s),
            opt_hours(t.time_to_assess_s),
            opt_hours(t.time_to_attribute_s),
            opt_hours(t.time_to_respond_s)
        );
    }
    let _ = writeln!(o, "\n### Mechanisms\n");
    let _ = writeln!(o, "| Mechanism | What it did |\n|---|---|");
    for (mechanism, what) in mechanism_rows(eu) {
        let _ = writeln!(o, "| {mechanism} | {what} |");
    }
    if let Some(u) = eu.ucpm.as_ref().filter(|u| !u.requests.is_empty()) {
        let _ = writeln!(
            o,
            "\n### UCPM requests\n\n| State | Need | Requested | Offer accepted | Deployed | Request to deployment | Module |\n|---|---|---|---|---|---|---|"
        );
        for r in &u.requests {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} |",
                r.country,
                r.need,
                SimTime(r.requested_s),
                at(r.offered_s),
                at(r.deployed_s),
                r.request_to_deployment_h
                    .map_or("-".into(), |h| format!("{h:.1} h")),
                r.module.as_deref().unwrap_or("-")
            );
        }
    }
    if !eu.decisions.is_empty() {
        let _ = writeln!(
            o,
            "\n### Decisions\n\n| Decision | State | Raised | Decided | Outcome |\n|---|---|---|---|---|"
        );
        for d in &eu.decisions {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                d.decision,
                d.country.as_deref().unwrap_or("EU"),
                SimTime(d.raised_s),
                at(d.decided_s),
                match (d.approved, d.overtaken) {
                    (Some(true), _) => "act",
                    (Some(false), _) => "declined",
                    (None, true) => "overtaken by events",
                    (None, false) => "still deliberating at the end",
                }
            );
        }
    }
}

fn comparison(o: &mut String, c: &Comparison) {
    let _ = writeln!(
        o,
        "\n## Effect of the playbook\n\nCompared with {} (common random numbers: both runs meet the same attacks until the response changes them).\n",
        c.baseline
    );
    let _ = writeln!(
        o,
        "| Measure | National only | With playbook | Change | |\n|---|---|---|---|---|"
    );
    for r in &c.rows {
        let pct = if r.baseline.abs() > 1e-9 {
            format!(" ({:+.0}%)", 100.0 * r.change / r.baseline)
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "| {} ({}) | {:.1} | {:.1} | {:+.1}{pct} | {} |",
            r.metric,
            r.unit,
            r.baseline,
            r.with_playbook,
            r.change,
            match r.better {
                Some(true) => "better",
                Some(false) => "worse",
                None => "same",
            }
        );
    }
    if !c.ratings_changed.is_empty() {
        let changes: Vec<String> = c
            .ratings_changed
            .iter()
            .map(|(id, a, b)| format!("{id} {a} -> {b}"))
            .collect();
        let _ = writeln!(o, "\nObjective ratings changed: {}.", changes.join(", "));
    }
}
