//! `pacesim report`: the after-action report and improvement plan (HSEEP
//! AAR/IP structure) from a run directory (`summary.json`, `events.jsonl`)
//! or a batch directory (`batch.json`, `runs.csv`), as Markdown, one
//! self-contained HTML file with SVG charts, or JSON.
//!
//! The report is built from the files alone, so an evaluator can write it
//! long after the exercise, on another machine.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::svg;
use crate::batch::BatchJson;
use crate::batch::stats::Paired;
use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::exercise::What;
use crate::log::is_key_kind;
use crate::log::jsonl::{self, Logged};
use crate::metrics::{self, Rating, Summary, Unit};
use crate::response::eu::mechanisms;

#[derive(Debug, Serialize)]
pub struct Aar {
    /// `run` or `batch`.
    pub source: &'static str,
    pub overview: Overview,
    pub objectives: Vec<ObjectiveAnalysis>,
    pub timeline: Vec<TimelineEntry>,
    pub strengths: Vec<String>,
    pub areas_for_improvement: Vec<Improvement>,
    pub improvement_plan: Vec<PlanItem>,
    /// Batch only: per playbook set, headline metrics.
    pub distributions: Vec<Distribution>,
    /// Batch only: paired differences against the first set.
    pub comparison: Vec<ComparisonRows>,
    #[serde(skip)]
    charts: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Overview {
    pub exercise: String,
    pub start: String,
    pub end: String,
    pub scope: String,
    pub playbooks: Vec<String>,
    pub participants: Vec<String>,
    pub threats: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveAnalysis {
    pub id: String,
    pub title: String,
    /// P, S, M or U; for a batch, the most frequent rating.
    pub rating: String,
    pub meaning: String,
    pub finding: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TimelineEntry {
    pub time: String,
    pub t_h: f64,
    pub domain: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Improvement {
    pub objective: String,
    pub issue: String,
    pub root_cause: String,
}

#[derive(Debug, Serialize)]
pub struct PlanItem {
    pub issue: String,
    pub corrective_action: String,
    /// Planning, Organisation, Equipment, Training or Exercise.
    pub capability_element: &'static str,
    pub responsible: String,
    pub start: String,
    pub completion: String,
}

#[derive(Debug, Serialize)]
pub struct Distribution {
    pub playbook: String,
    pub metric: String,
    pub unit: Unit,
    pub mean: f64,
    pub ci95: [f64; 2],
    pub p5: f64,
    pub p95: f64,
}

/// A batch's paired differences of one set against the baseline set, each
/// with its metric's label and unit from the batch's column definitions.
#[derive(Debug, Serialize)]
pub struct ComparisonRows {
    pub baseline: String,
    pub candidate: String,
    pub paired: Vec<PairedRow>,
}

#[derive(Debug, Serialize)]
pub struct PairedRow {
    #[serde(flatten)]
    pub paired: Paired,
    pub label: String,
    /// `None` for a metric the batch's columns do not define (shown as is).
    pub unit: Option<Unit>,
}

impl PairedRow {
    /// The mean difference and its interval as people read them.
    fn shown(&self) -> [String; 3] {
        let [d, lo, hi] = [
            self.paired.mean_difference,
            self.paired.ci95[0],
            self.paired.ci95[1],
        ]
        .map(|v| {
            self.unit
                .map_or_else(|| format!("{v:+.4}"), |u| u.show_change(v))
        });
        [d, lo, hi]
    }
}

/// Root cause, corrective action, capability element and owner for an
/// objective that fell short, by what it measures (its criterion's kind).
fn remedy(kind: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        "detect" => (
            "Footholds went unnoticed: national hunting was slow and the EU alert came late or not at all.",
            "Share indicators in the CSIRTs network within hours; lower the Hybrid Fusion Cell's alert threshold; fund threat hunting at operators of essential services.",
            "Organisation",
            "National CSIRTs; EU INTCEN Hybrid Fusion Cell",
        ),
        "identify" => (
            "Laboratory identification took too long for countermeasures to matter.",
            "Pre-position CBRN detection and sampling teams (rescEU CBRN reserve); agree sample transport to reference laboratories in advance.",
            "Equipment",
            "National CBRN laboratories; ERCC",
        ),
        "restore" => (
            "Restoration waited for scarce repair crews, and wiped control systems had to be rebuilt.",
            "Keep offline backups of control-centre systems; pre-arrange UCPM power and repair modules and mutual aid between operators.",
            "Equipment",
            "Infrastructure operators; national civil protection; ERCC",
        ),
        "casualties" => (
            "Decontamination and medical countermeasures reached the exposed too late.",
            "Raise surge decontamination capacity and stockpiled antidotes; rehearse UCPM requests for rescEU medical reserves.",
            "Equipment",
            "Ministry of health; civil protection; ERCC",
        ),
        "trust" => (
            "Outages and hostile narratives went unanswered long enough to erode trust.",
            "Pre-approve crisis communication lines; answer narratives within hours together with RAS partners.",
            "Planning",
            "Government communication; EEAS StratCom",
        ),
        "reach" => (
            "Narratives spread before they were spotted, alerted and answered.",
            "Lower the Rapid Alert System threshold; agree fast-track platform notices under the Code of Practice.",
            "Organisation",
            "EEAS StratCom; RAS contact points",
        ),
        _ => (
            "Failures cascaded along dependencies that backups did not cover.",
            "Map cross-sector and cross-border dependencies; extend backup power and alternative routes at critical nodes.",
            "Planning",
            "Infrastructure operators; national resilience authority",
        ),
    }
}

/// Reads a JSON output of pacesim back into its type.
fn read_typed<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<T, Failure> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::Input(vec![Diagnostic::file(
            &path.display().to_string(),
            format!("cannot read: {e}"),
        )])
    })?;
    serde_json::from_str(&text).map_err(|e| {
        Failure::Input(vec![
            Diagnostic::file(
                &format!("{}:{}:{}", path.display(), e.line(), e.column()),
                format!("not a pacesim {name}: {e}"),
            )
            .with_help("write it again with this version of pacesim"),
        ])
    })
}

/// Adds `days` to an ISO date-time and returns the date.
/// Without a date (a batch has none), relative to the exercise's end.
fn plus_days(iso: &str, days: i64) -> String {
    chrono::DateTime::parse_from_rfc3339(iso)
        .map(|t| {
            (t + chrono::Duration::days(days))
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_else(|_| format!("end of exercise + {days} days"))
}

/// The improvement plan: one item per area for improvement, with the
/// remedy for the kind of objective it came from.
fn plan_for(improvements: &[Improvement], end: &str, kinds: &[String]) -> Vec<PlanItem> {
    improvements
        .iter()
        .zip(kinds)
        .map(|(i, kind)| {
            let (_, action, element, who) = remedy(kind);
            let months = match element {
                "Equipment" => 365,
                "Planning" => 120,
                _ => 180,
            };
            PlanItem {
                issue: i.issue.clone(),
                corrective_action: action.to_string(),
                capability_element: element,
                responsible: who.to_string(),
                start: plus_days(end, 30),
                completion: plus_days(end, 30 + months),
            }
        })
        .collect()
}

pub fn build(dir: &Path) -> Result<Aar, Failure> {
    if dir.join("summary.json").is_file() {
        build_run(dir)
    } else if dir.join("batch.json").is_file() {
        build_batch(dir)
    } else {
        Err(Failure::Input(vec![
            Diagnostic::file(
                &dir.display().to_string(),
                "is neither a run directory (summary.json) nor a batch directory (batch.json)",
            )
            .with_help("write one with `pacesim run --out DIR` or `pacesim batch … --out DIR`"),
        ]))
    }
}

fn build_run(dir: &Path) -> Result<Aar, Failure> {
    let sum: Summary = read_typed(dir, "summary.json")?;
    let events_path = dir.join("events.jsonl");
    let text = std::fs::read_to_string(&events_path).unwrap_or_default();
    let events = jsonl::read_log(&text).map_err(|(line, col, why)| {
        Failure::Input(vec![Diagnostic::file(
            &format!("{}:{line}:{col}", events_path.display()),
            format!("not an event: {why}"),
        )])
    })?;
    Ok(run_aar(&sum, &events))
}

/// The after-action report of one run, from its summary and its log.
pub fn run_aar(sum: &Summary, events: &[Logged]) -> Aar {
    let mut by_seq = BTreeMap::new();
    let mut timeline = Vec::new();
    // Samples come hourly for impaired countries and six-hourly for all:
    // (time, country, sector, service), carried forward per country below.
    let mut samples: Vec<(f64, String, String, f64)> = Vec::new();
    let mut trust: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let mut reach: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let mut lanes: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut last_t = 0.0f64;
    let num = |e: &Logged, k: &str| e.details.get(k).and_then(Value::as_f64);
    for e in events {
        let t_h = e.t as f64 / 3600.0;
        last_t = last_t.max(t_h);
        by_seq.insert(e.seq, e.text.clone());
        let country = e.country.clone().unwrap_or_default();
        match e.kind.as_str() {
            "service_sample" => {
                if let Some(m) = e.details.get("service").and_then(Value::as_object) {
                    for (sector, v) in m {
                        samples.push((
                            t_h,
                            country.clone(),
                            sector.clone(),
                            v.as_f64().unwrap_or(1.0),
                        ));
                    }
                }
            }
            "opinion" => {
                trust
                    .entry(country.clone())
                    .or_default()
                    .push((t_h, num(e, "trust").unwrap_or(0.0)));
                reach
                    .entry(country)
                    .or_default()
                    .push((t_h, num(e, "reach").unwrap_or(0.0)));
            }
            kind if is_key_kind::<What>(kind) => {
                lanes.entry(e.domain.clone()).or_default().push(t_h);
                timeline.push(TimelineEntry {
                    time: e.time.clone(),
                    t_h,
                    domain: e.domain.clone(),
                    text: e.text.clone(),
                });
            }
            _ => {}
        }
    }
    // Service by sector: at each sample time, the mean over countries of
    // each country's latest sample.
    let mut latest: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut service: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let mut k = 0;
    while k < samples.len() {
        let t = samples[k].0;
        while k < samples.len() && samples[k].0 == t {
            let (_, c, sector, v) = &samples[k];
            latest.insert((sector.clone(), c.clone()), *v);
            k += 1;
        }
        let mut acc: BTreeMap<&str, (f64, u32)> = BTreeMap::new();
        for ((sector, _), v) in &latest {
            let a = acc.entry(sector).or_insert((0.0, 0));
            a.0 += v;
            a.1 += 1;
        }
        for (sector, (v, n)) in acc {
            service
                .entry(sector.to_string())
                .or_default()
                .push((t, 100.0 * v / n as f64));
        }
    }
    let sector_series: Vec<svg::Series> = service
        .into_iter()
        .map(|(name, points)| svg::Series { name, points })
        .collect();
    let pct = |m: BTreeMap<String, Vec<(f64, f64)>>| -> Vec<svg::Series> {
        m.into_iter()
            .map(|(name, pts)| svg::Series {
                name,
                points: pts.into_iter().map(|(t, v)| (t, 100.0 * v)).collect(),
            })
            .collect()
    };
    let mut charts = vec![
        svg::timeline(
            "Timeline: threats, consequences and responses",
            &lanes.into_iter().collect::<Vec<_>>(),
            last_t,
        ),
        svg::lines(
            "Infrastructure service by sector (mean over countries)",
            "% of service",
            &sector_series,
            0.0,
            100.0,
        ),
        svg::lines(
            "Trust in institutions by country",
            "% who trust",
            &pct(trust),
            0.0,
            100.0,
        ),
        svg::lines(
            "Highest hostile narrative reach by country",
            "% reached",
            &pct(reach),
            0.0,
            100.0,
        ),
    ];
    let mut objectives = Vec::new();
    let mut improvements = Vec::new();
    let mut kinds = Vec::new();
    let mut strengths = Vec::new();
    for o in &sum.objectives {
        let evidence: Vec<String> = o
            .evidence
            .iter()
            .filter_map(|q| by_seq.get(q).map(|t| format!("#{q}: {t}")))
            .collect();
        match o.rating {
            Rating::P => strengths.push(format!("{} — {}", o.title, o.finding)),
            _ => {
                let (cause, ..) = remedy(&o.kind);
                improvements.push(Improvement {
                    objective: format!("{} {}", o.id, o.title),
                    issue: format!(
                        "{}: {} (target {} {})",
                        o.title, o.finding, o.target, o.unit
                    ),
                    root_cause: cause.to_string(),
                });
                kinds.push(o.kind.clone());
            }
        }
        objectives.push(ObjectiveAnalysis {
            id: o.id.clone(),
            title: o.title.clone(),
            rating: o.rating_letter().to_string(),
            meaning: o.rating.meaning().to_string(),
            finding: o.finding.clone(),
            evidence,
        });
    }
    if let Some(eu) = &sum.eu {
        for r in eu.ucpm.iter().flat_map(|u| &u.requests) {
            if let Some(h) = r.request_to_deployment_h {
                strengths.push(format!(
                    "UCPM assistance ({}) reached {} {h} h after the request.",
                    r.need, r.country
                ));
            }
        }
        if let Some(sc) = eu.stratcom.as_ref().filter(|s| !s.rapid_alerts.is_empty()) {
            strengths.push(format!(
                "The Rapid Alert System alerted member states on {} narrative(s).",
                sc.rapid_alerts.len()
            ));
        }
    }
    if let Some(c) = &sum.versus_baseline {
        let rows: Vec<svg::Bar> = c
            .rows
            .iter()
            .filter_map(|r| {
                r.change_pct().map(|p| svg::Bar {
                    label: r.metric.clone(),
                    value: p,
                    low: p,
                    high: p,
                    shown: format!("{p:+.1} %"),
                    fill: svg::verdict_fill(r.better),
                })
            })
            .collect();
        charts.push(svg::bars(
            "Effect of the playbook against national responders only (same seed), % change",
            &rows,
        ));
    }
    let end_h = sum.until_s as f64 / 3600.0;
    let end = chrono::DateTime::parse_from_rfc3339(&sum.start)
        .map(|t| {
            (t.with_timezone(&chrono::Utc) + chrono::Duration::seconds(sum.until_s as i64))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        })
        .unwrap_or_default();
    let improvement_plan = plan_for(&improvements, &end, &kinds);
    let mut participants: Vec<String> = sum
        .opinion
        .countries
        .iter()
        .map(|c| c.country.clone())
        .collect();
    // Only the bodies of the mechanisms the playbooks brought.
    let brought = sum.eu.as_ref().map_or(&[][..], |e| &e.mechanisms[..]);
    participants.extend(
        mechanisms::participants(brought)
            .into_iter()
            .map(String::from),
    );
    Aar {
        source: "run",
        overview: Overview {
            exercise: sum.scenario.clone(),
            start: sum.start.clone(),
            end,
            scope: format!(
                "One simulated run (seed {}) of {end_h:.0} hours; {} events.",
                sum.seed, sum.events
            ),
            participants,
            playbooks: sum.eu.as_ref().map_or(Vec::new(), |e| e.playbooks.clone()),
            threats: sum
                .campaigns
                .iter()
                .map(|c| {
                    format!(
                        "{} ({}): {}/{} steps succeeded",
                        c.name, c.actor, c.steps_succeeded, c.steps
                    )
                })
                .collect(),
        },
        objectives,
        timeline,
        strengths,
        areas_for_improvement: improvements,
        improvement_plan,
        distributions: Vec::new(),
        comparison: Vec::new(),
        charts,
    }
}

fn build_batch(dir: &Path) -> Result<Aar, Failure> {
    let b: BatchJson = read_typed(dir, "batch.json")?;
    let mut distributions = Vec::new();
    let mut objectives = Vec::new();
    let mut improvements = Vec::new();
    let mut kinds = Vec::new();
    let mut strengths = Vec::new();
    let mut charts = Vec::new();
    for set in &b.sets {
        for m in metrics::headline() {
            if let Some(st) = set.stats.get(m.key) {
                distributions.push(Distribution {
                    playbook: set.playbook.clone(),
                    metric: format!("{} ({})", m.label, m.unit.label()),
                    unit: m.unit,
                    mean: st.mean,
                    ci95: st.ci95,
                    p5: st.p5,
                    p95: st.p95,
                });
            }
        }
    }
    for m in metrics::headline() {
        let label = format!("{} ({})", m.label, m.unit.label());
        let rows: Vec<svg::Bar> = distributions
            .iter()
            .filter(|d| d.metric == label)
            .enumerate()
            .map(|(i, d)| svg::Bar {
                label: d.playbook.clone(),
                value: d.mean,
                low: d.ci95[0],
                high: d.ci95[1],
                shown: d.unit.show(d.mean),
                fill: svg::colour(i),
            })
            .collect();
        if !rows.is_empty() {
            charts.push(svg::bars(
                &format!("{label}: mean and 95% confidence interval"),
                &rows,
            ));
        }
    }
    // Objectives: rating frequencies of the first set; the most frequent rating stands.
    if let Some(first) = b.sets.first() {
        for (id, freq) in &first.ratings {
            let (title, kind) = b
                .objectives
                .iter()
                .find(|o| &o.id == id)
                .map_or((id.clone(), String::new()), |o| {
                    (o.title.clone(), o.kind.clone())
                });
            let counts: Vec<(Rating, usize)> = Rating::ALL
                .iter()
                .map(|r| (*r, freq.get(r.letter()).copied().unwrap_or(0)))
                .collect();
            let total: usize = counts.iter().map(|c| c.1).sum();
            if total == 0 {
                // A shard with no replications has nothing to rate.
                continue;
            }
            let top = counts.iter().max_by_key(|c| c.1).map_or(Rating::U, |c| c.0);
            let finding = counts
                .iter()
                .map(|(r, n)| format!("{} {:.0}%", r.letter(), 100.0 * *n as f64 / total as f64))
                .collect::<Vec<_>>()
                .join(", ");
            let poor: usize = counts
                .iter()
                .filter(|c| matches!(c.0, Rating::M | Rating::U))
                .map(|c| c.1)
                .sum();
            if poor * 10 >= total * 3 {
                let (cause, ..) = remedy(&kind);
                improvements.push(Improvement {
                    objective: format!("{id} {title}"),
                    issue: format!(
                        "{title}: performed with major challenges or not at all in {:.0}% of replications",
                        100.0 * poor as f64 / total as f64
                    ),
                    root_cause: cause.to_string(),
                });
                kinds.push(kind.clone());
            } else {
                strengths.push(format!("{id} {title}: {finding}"));
            }
            objectives.push(ObjectiveAnalysis {
                id: id.clone(),
                title,
                meaning: top.meaning().to_string(),
                rating: top.letter().to_string(),
                finding,
                evidence: Vec::new(),
            });
        }
    }
    for c in &b.comparisons {
        // Differences in percent of the baseline's mean, so metrics of any unit share an axis.
        let base = b.sets.iter().find(|x| x.playbook == c.baseline);
        let rows: Vec<svg::Bar> = c
            .paired
            .iter()
            .filter(|p| p.significant)
            .filter_map(|p| {
                let mean = base?.stats.get(&p.metric)?.mean;
                (mean.abs() > 1e-9).then(|| {
                    let pct = |v: f64| 100.0 * v / mean.abs();
                    let label = b
                        .metrics
                        .iter()
                        .find(|d| d.name == p.metric)
                        .map_or(p.metric.as_str(), |d| d.label.as_str());
                    svg::Bar {
                        label: label.to_string(),
                        value: pct(p.mean_difference),
                        low: pct(p.ci95[0]),
                        high: pct(p.ci95[1]),
                        shown: format!("{:+.1} %", pct(p.mean_difference)),
                        fill: svg::verdict_fill(p.verdict.better()),
                    }
                })
            })
            .take(16)
            .collect();
        if !rows.is_empty() {
            charts.push(svg::bars(
                &format!("{} vs {}: % of the baseline mean", c.candidate, c.baseline),
                &rows,
            ));
        }
    }
    let end = b.exercise.end.clone();
    let improvement_plan = plan_for(&improvements, &end, &kinds);
    Ok(Aar {
        source: "batch",
        overview: Overview {
            exercise: b.scenario.clone(),
            start: b.exercise.start.clone(),
            end,
            scope: format!(
                "{} replications per playbook set (base seed {}), replications {}..{}.",
                b.runs, b.seed, b.first, b.end
            ),
            playbooks: b.sets.iter().map(|x| x.playbook.clone()).collect(),
            participants: b.exercise.participants.clone(),
            threats: b.exercise.threats.clone(),
        },
        objectives,
        timeline: Vec::new(),
        strengths,
        areas_for_improvement: improvements,
        improvement_plan,
        distributions,
        comparison: b
            .comparisons
            .into_iter()
            .map(|c| ComparisonRows {
                paired: c
                    .paired
                    .into_iter()
                    .map(|p| {
                        let def = b.metrics.iter().find(|d| d.name == p.metric);
                        PairedRow {
                            label: def.map_or_else(|| p.metric.clone(), |d| d.label.clone()),
                            unit: def.map(|d| d.unit),
                            paired: p,
                        }
                    })
                    .collect(),
                baseline: c.baseline,
                candidate: c.candidate,
            })
            .collect(),
        charts,
    })
}

pub fn markdown(a: &Aar) -> String {
    let mut o = String::new();
    let ov = &a.overview;
    let _ = writeln!(
        o,
        "# After-Action Report / Improvement Plan: {}\n",
        ov.exercise
    );
    let _ = writeln!(o, "## Exercise overview\n");
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| Exercise | {} |", ov.exercise);
    if !ov.start.is_empty() {
        let _ = writeln!(o, "| Dates | {} to {} |", ov.start, ov.end);
    }
    let _ = writeln!(o, "| Scope | {} |", ov.scope);
    let _ = writeln!(
        o,
        "| Playbooks | {} |",
        if ov.playbooks.is_empty() {
            "national responders only".into()
        } else {
            ov.playbooks.join("; ")
        }
    );
    if !ov.participants.is_empty() {
        let _ = writeln!(
            o,
            "| Participating organisations | {} |",
            ov.participants.join(", ")
        );
    }
    if !ov.threats.is_empty() {
        let _ = writeln!(o, "| Threat | {} |", ov.threats.join("; "));
    }
    let _ = writeln!(o, "\n## Objectives and ratings\n");
    let _ = writeln!(o, "| Objective | Rating | Finding |\n|---|---|---|");
    for ob in &a.objectives {
        let _ = writeln!(
            o,
            "| {} {} | **{}** ({}) | {} |",
            ob.id, ob.title, ob.rating, ob.meaning, ob.finding
        );
    }
    for ob in a.objectives.iter().filter(|o| !o.evidence.is_empty()) {
        let _ = writeln!(o, "\n**{} evidence**: {}", ob.id, ob.evidence.join("; "));
    }
    if !a.timeline.is_empty() {
        let _ = writeln!(
            o,
            "\n## Timeline of key events\n\n| Time | Domain | Event |\n|---|---|---|"
        );
        for t in a.timeline.iter().take(60) {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                t.time,
                t.domain,
                t.text.replace('|', "/")
            );
        }
    }
    if !a.distributions.is_empty() {
        let _ = writeln!(
            o,
            "\n## Distributions\n\n| Playbook | Metric | Mean | 95% CI | p5 | p95 |\n|---|---|---|---|---|---|"
        );
        for d in &a.distributions {
            let [mean, lo, hi, p5, p95] =
                [d.mean, d.ci95[0], d.ci95[1], d.p5, d.p95].map(|v| d.unit.show(v));
            let _ = writeln!(
                o,
                "| {} | {} | {mean} | [{lo}, {hi}] | {p5} | {p95} |",
                d.playbook, d.metric
            );
        }
    }
    for c in &a.comparison {
        let _ = writeln!(
            o,
            "\n## Playbook comparison: {} against {}\n\n| Metric | Mean difference | 95% CI | Verdict |\n|---|---|---|---|",
            c.candidate, c.baseline
        );
        for p in &c.paired {
            let [d, lo, hi] = p.shown();
            let _ = writeln!(
                o,
                "| {} (`{}`) | {d} | [{lo}, {hi}] | {} |",
                p.label, p.paired.metric, p.paired.verdict
            );
        }
    }
    let _ = writeln!(o, "\n## Strengths\n");
    for st in &a.strengths {
        let _ = writeln!(o, "- {st}");
    }
    if a.strengths.is_empty() {
        let _ = writeln!(o, "- None recorded.");
    }
    let _ = writeln!(o, "\n## Areas for improvement\n");
    for i in &a.areas_for_improvement {
        let _ = writeln!(
            o,
            "- **{}**: {}\n  - Root cause: {}",
            i.objective, i.issue, i.root_cause
        );
    }
    if a.areas_for_improvement.is_empty() {
        let _ = writeln!(o, "- None: every objective was performed.");
    }
    let _ = writeln!(
        o,
        "\n## Improvement plan\n\n| Issue | Corrective action | Capability element | Responsible organisation | Start | Completion |\n|---|---|---|---|---|---|"
    );
    for p in &a.improvement_plan {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            p.issue,
            p.corrective_action,
            p.capability_element,
            p.responsible,
            p.start,
            p.completion
        );
    }
    o
}

fn h(x: &str) -> String {
    x.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const CSS: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:900px;margin:2em auto;padding:0 1em;color:#1b1b1b;line-height:1.45}h1{font-size:1.7em;border-bottom:3px solid #1f4e79;padding-bottom:.3em}h2{color:#1f4e79;margin-top:1.8em;border-bottom:1px solid #ccd}table{border-collapse:collapse;width:100%;margin:.8em 0;font-size:.9em}th,td{border:1px solid #bbc;padding:.35em .5em;vertical-align:top;text-align:left}th{background:#eef2f7}.r{font-weight:bold;padding:.1em .5em;border-radius:3px;color:#fff}.P{background:#27ae60}.S{background:#d68910}.M{background:#c0392b}.U{background:#7b241c}.chart{width:100%;height:auto;margin:1em 0;break-inside:avoid}.ct{font:bold 14px sans-serif}.ax{font:11px sans-serif;fill:#444}.lg{font:11px sans-serif}.meta{color:#555}@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}";

pub fn html(a: &Aar) -> String {
    let ov = &a.overview;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>AAR/IP: {}</title><style>{CSS}</style></head><body>",
        h(&ov.exercise)
    );
    let _ = write!(
        o,
        "<h1>After-Action Report / Improvement Plan<br><small>{}</small></h1>",
        h(&ov.exercise)
    );
    let _ = write!(
        o,
        "<p class=\"meta\">Generated by pacesim {} from a {} directory.</p>",
        env!("CARGO_PKG_VERSION"),
        a.source
    );
    let _ = write!(o, "<h2>Exercise overview</h2><table>");
    let mut row = |k: &str, v: String| {
        let _ = write!(o, "<tr><th>{k}</th><td>{}</td></tr>", h(&v));
    };
    row("Exercise", ov.exercise.clone());
    if !ov.start.is_empty() {
        row("Dates", format!("{} to {}", ov.start, ov.end));
    }
    row("Scope", ov.scope.clone());
    row(
        "Playbooks",
        if ov.playbooks.is_empty() {
            "national responders only".into()
        } else {
            ov.playbooks.join("; ")
        },
    );
    if !ov.participants.is_empty() {
        row("Participating organisations", ov.participants.join(", "));
    }
    if !ov.threats.is_empty() {
        row("Threat", ov.threats.join("; "));
    }
    o.push_str("</table>");
    let _ = write!(
        o,
        "<h2>Objectives and ratings</h2><table><tr><th>Objective</th><th>Rating</th><th>Finding</th><th>Evidence</th></tr>"
    );
    for ob in &a.objectives {
        let _ = write!(
            o,
            "<tr><td>{} {}</td><td><span class=\"r {}\">{}</span> {}</td><td>{}</td><td>{}</td></tr>",
            h(&ob.id),
            h(&ob.title),
            h(&ob.rating),
            h(&ob.rating),
            h(&ob.meaning),
            h(&ob.finding),
            h(&ob
                .evidence
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; "))
        );
    }
    o.push_str("</table><h2>Charts</h2>");
    for c in &a.charts {
        o.push_str(c);
    }
    if !a.timeline.is_empty() {
        o.push_str("<h2>Timeline of key events</h2><table><tr><th>Time</th><th>Domain</th><th>Event</th></tr>");
        for t in a.timeline.iter().take(80) {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                h(&t.time),
                h(&t.domain),
                h(&t.text)
            );
        }
        o.push_str("</table>");
    }
    if !a.distributions.is_empty() {
        o.push_str("<h2>Distributions</h2><table><tr><th>Playbook</th><th>Metric</th><th>Mean</th><th>95% CI</th><th>p5</th><th>p95</th></tr>");
        for d in &a.distributions {
            let [mean, lo, hi, p5, p95] =
                [d.mean, d.ci95[0], d.ci95[1], d.p5, d.p95].map(|v| h(&d.unit.show(v)));
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{mean}</td><td>[{lo}, {hi}]</td><td>{p5}</td><td>{p95}</td></tr>",
                h(&d.playbook),
                h(&d.metric),
            );
        }
        o.push_str("</table>");
    }
    for c in &a.comparison {
        let _ = write!(
            o,
            "<h2>Playbook comparison: {} against {}</h2><table><tr><th>Metric</th><th>Mean difference</th><th>95% CI</th><th>Verdict</th></tr>",
            h(&c.candidate),
            h(&c.baseline)
        );
        for p in &c.paired {
            let [d, lo, hi] = p.shown().map(|v| h(&v));
            let _ = write!(
                o,
                "<tr><td>{} <code>{}</code></td><td>{d}</td><td>[{lo}, {hi}]</td><td>{}</td></tr>",
                h(&p.label),
                h(&p.paired.metric),
                h(&p.paired.verdict.to_string())
            );
        }
        o.push_str("</table>");
    }
    o.push_str("<h2>Strengths</h2><ul>");
    for st in &a.strengths {
        let _ = write!(o, "<li>{}</li>", h(st));
    }
    o.push_str("</ul><h2>Areas for improvement</h2><ul>");
    for i in &a.areas_for_improvement {
        let _ = write!(
            o,
            "<li><b>{}</b>: {}<br><i>Root cause:</i> {}</li>",
            h(&i.objective),
            h(&i.issue),
            h(&i.root_cause)
        );
    }
    o.push_str("</ul><h2>Improvement plan</h2><table><tr><th>Issue</th><th>Corrective action</th><th>Capability element</th><th>Responsible organisation</th><th>Start</th><th>Completion</th></tr>");
    for p in &a.improvement_plan {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(&p.issue),
            h(&p.corrective_action),
            p.capability_element,
            h(&p.responsible),
            h(&p.start),
            h(&p.completion)
        );
    }
    o.push_str("</table></body></html>\n");
    o
}
