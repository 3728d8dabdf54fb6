//! `events.jsonl`: one JSON object per event, in the order events happened,
//! with the simulated time (seconds from T+0 and ISO timestamp), sequence
//! number, domain, kind, acting and affected entities, a readable `text` and
//! kind-specific details. Keys are sorted, floats printed shortest-exact, so
//! the bytes depend only on the events.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{Cause, Event, Failure, Origin, What, sector_slot};
use crate::scenario::Sector;
use crate::world::catalog::{AgentClass, Catalog, StepRef};

#[derive(Serialize)]
struct Line<'a> {
    seq: u64,
    t: u64,
    time: String,
    domain: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    text: String,
    #[serde(flatten)]
    details: Map<String, Value>,
}

/// The parts of an event a reader needs besides its time and kind.
pub struct Described<'a> {
    pub actor: Option<&'a str>,
    pub target: Option<&'a str>,
    pub country: Option<&'a str>,
    pub text: String,
    pub details: Map<String, Value>,
}

fn round3(x: f32) -> f64 {
    (x as f64 * 1000.0).round() / 1000.0
}

/// Names, text and details of one event. `notes` are the texts of
/// controller notes and ad-hoc injects, which the log refers to by number.
pub fn describe<'a>(cat: &'a Catalog, notes: &[String], what: &What) -> Described<'a> {
    let node = |n: crate::world::catalog::NodeIx| &cat.nodes[n.i()];
    let cname = |c: crate::world::catalog::CountryIx| &*cat.countries[c.i()].id;
    let camp = |s: &StepRef| &cat.campaigns[s.campaign.i()];
    let actor_of = |o: &Origin| match o {
        Origin::Step(s) => &*cat.actors[camp(s).actor.i()].id,
        Origin::Inject(_) => "EXCON",
    };
    let step_details = |o: &Origin| {
        let mut m = Map::new();
        match o {
            Origin::Step(s) => {
                m.insert("campaign".into(), json!(&*camp(s).id));
                m.insert("step".into(), json!(&*cat.step(*s).id));
            }
            Origin::Inject(i) => {
                m.insert("inject".into(), json!(cat.injects[i.i()].inject.number));
            }
        }
        m
    };
    let origin_name = |o: &Origin| match o {
        Origin::Step(s) => camp(s).id.to_string(),
        Origin::Inject(i) => format!("MSEL #{}", cat.injects[i.i()].inject.number),
    };
    let csirt = |c: crate::world::catalog::CountryIx| &*cat.countries[c.i()].csirt;
    let mut d = Described {
        actor: None,
        target: None,
        country: None,
        text: String::new(),
        details: Map::new(),
    };
    match *what {
        What::ExerciseStart => d.text = format!("Exercise \"{}\" starts", cat.name),
        What::ExerciseEnd => d.text = "Exercise ends".into(),
        What::InjectFired { inject } => {
            let i = &cat.injects[inject.i()].inject;
            d.actor = Some("EXCON");
            d.text = format!(
                "MSEL #{} {} -> {} ({:?}): {}",
                i.number, i.from, i.to, i.method, i.subject
            );
            d.details.insert("number".into(), json!(i.number));
            d.details.insert("from".into(), json!(i.from));
            d.details.insert("to".into(), json!(i.to));
            d.details
                .insert("method".into(), json!(format!("{:?}", i.method)));
            d.details.insert("subject".into(), json!(i.subject));
            d.details
                .insert("expected_action".into(), json!(i.expected_action));
        }
        What::StepFailed { step, why } => {
            d.actor = Some(actor_of(&Origin::Step(step)));
            d.details = step_details(&Origin::Step(step));
            let why_s = match why {
                Failure::Defended => "defences held",
                Failure::Miscarried => "the attempt miscarried",
                Failure::NoFoothold => "foothold had been removed",
                Failure::Isolated => "networks isolated",
                Failure::Deterred => "called off after EU attribution and sanctions",
            };
            d.details.insert("reason".into(), json!(why_s));
            d.text = format!(
                "{} step {} failed: {why_s}",
                camp(&step).id,
                cat.step(step).id
            );
        }
        What::IntrusionPlanted { by: step, node: n } => {
            d.actor = Some(actor_of(&step));
            d.target = Some(&node(n).id);
            d.country = Some(cname(node(n).country));
            d.details = step_details(&step);
            d.text = format!("Undetected intrusion into {}", node(n).name);
        }
        What::Disruption {
            by: step,
            node: n,
            severity,
        }
        | What::ElectionAttack {
            by: step,
            node: n,
            severity,
        } => {
            d.actor = Some(actor_of(&step));
            d.target = Some(&node(n).id);
            d.country = Some(cname(node(n).country));
            d.details = step_details(&step);
            d.details.insert("severity".into(), json!(round3(severity)));
            d.text = format!(
                "Cyber attack on {} knocks out {:.0}% of its service",
                node(n).name,
                severity * 100.0
            );
        }
        What::WiperInfection {
            by: step,
            node: n,
            hop,
        } => {
            d.actor = Some(actor_of(&step));
            d.target = Some(&node(n).id);
            d.country = Some(cname(node(n).country));
            d.details = step_details(&step);
            d.details.insert("hop".into(), json!(hop));
            d.text = format!("Wiper destroys systems of {} (hop {hop})", node(n).name);
        }
        What::Release {
            by: step,
            incident,
            country,
            site,
            agent,
            exposed,
        } => {
            d.actor = Some(actor_of(&step));
            d.target = site.map(|s| &*node(s).id);
            d.country = Some(cname(country));
            d.details = step_details(&step);
            d.details.insert("incident".into(), json!(incident));
            d.details.insert("agent".into(), json!(agent_name(agent)));
            d.details.insert("exposed".into(), json!(exposed));
            d.text = format!(
                "{} release in {}: {exposed} people exposed",
                agent_name(agent),
                cat.countries[country.i()].name
            );
        }
        What::NarrativeLaunched { narrative, by } => {
            let nd = &cat.narratives[narrative.i()];
            d.actor = Some(actor_of(&by));
            d.target = Some(&nd.id);
            d.details = step_details(&by);
            d.text = format!("Narrative launched: \"{}\"", nd.title);
        }
        What::Amplified { narrative, factor } => {
            d.target = Some(&cat.narratives[narrative.i()].id);
            d.details.insert("factor".into(), json!(round3(factor)));
            d.text = format!(
                "Bot network amplifies \"{}\" x{factor:.1}",
                cat.narratives[narrative.i()].title
            );
        }
        What::ServiceLost {
            node: n,
            service,
            cause,
        }
        | What::ServiceDegraded {
            node: n,
            service,
            cause,
        } => {
            d.target = Some(&node(n).id);
            d.country = Some(cname(node(n).country));
            d.details
                .insert("sector".into(), json!(node(n).sector.name()));
            d.details.insert("service".into(), json!(round3(service)));
            let c = match cause {
                Cause::Attack(o) => format!("cyber attack ({})", origin_name(&o)),
                Cause::Wiper(o) => format!("wiper ({})", origin_name(&o)),
                Cause::Dependency(s) => {
                    d.actor = Some(&node(s).id);
                    format!("cascade from {}", node(s).id)
                }
                Cause::Contamination => "site contaminated".into(),
                Cause::Overload => "overloaded".into(),
            };
            d.details.insert("cause".into(), json!(c));
            let verb = if matches!(what, What::ServiceLost { .. }) {
                "loses service"
            } else {
                "degraded"
            };
            d.text = format!(
                "{} {verb} ({:.0}% of service left): {c}",
                node(n).name,
                service * 100.0
            );
        }
        What::CascadeHeld {
            supplier,
            dependent,
        } => {
            d.actor = Some(&node(supplier).id);
            d.target = Some(&node(dependent).id);
            d.country = Some(cname(node(dependent).country));
            d.text = format!(
                "{} rides out the loss of {} on backup",
                node(dependent).name,
                node(supplier).name
            );
        }
        What::ServiceRestored { node: n } => {
            d.target = Some(&node(n).id);
            d.country = Some(cname(node(n).country));
            d.details
                .insert("sector".into(), json!(node(n).sector.name()));
            d.text = format!("{} back in service", node(n).name);
        }
        What::ServiceSample { country, by_sector } => {
            d.country = Some(cname(country));
            let mut m = Map::new();
            for s in Sector::ALL {
                if let Some(v) = by_sector.get(sector_slot(s)) {
                    m.insert(s.name().into(), json!((v * 1000.0).round() / 1000.0));
                }
            }
            d.details.insert("service".into(), Value::Object(m));
            let min = by_sector.present().fold(1.0f64, f64::min);
            d.text = format!(
                "{} infrastructure: lowest sector at {:.0}%",
                cat.countries[country.i()].name,
                min * 100.0
            );
        }
        What::Casualties {
            incident,
            country,
            symptomatic,
            hospitalised,
            dead,
            decontaminated,
            exposed,
        } => {
            d.country = Some(cname(country));
            for (k, v) in [
                ("incident", incident as u32),
                ("symptomatic", symptomatic),
                ("hospitalised", hospitalised),
                ("dead", dead),
                ("decontaminated", decontaminated),
                ("exposed", exposed),
            ] {
                d.details.insert(k.into(), json!(v));
            }
            d.text = format!(
                "Incident {incident}: {exposed} exposed, {symptomatic} ill, {hospitalised} in hospital, {dead} dead, {decontaminated} decontaminated"
            );
        }
        What::SiteDecontaminated { incident, node: n } => {
            d.target = Some(&node(n).id);
            d.country = Some(cname(node(n).country));
            d.details.insert("incident".into(), json!(incident));
            d.text = format!("{} declared decontaminated", node(n).name);
        }
        What::NarrativeReach {
            narrative,
            country,
            reach,
            belief,
        } => {
            d.target = Some(&cat.narratives[narrative.i()].id);
            d.country = Some(cname(country));
            d.details.insert("reach".into(), json!(round3(reach)));
            d.details.insert("belief".into(), json!(round3(belief)));
            d.text = format!(
                "\"{}\" reaches {:.1}% in {} ({:.1}% believe)",
                cat.narratives[narrative.i()].title,
                reach * 100.0,
                cname(country),
                belief * 100.0
            );
        }
        What::Opinion {
            country,
            trust,
            reach,
        } => {
            d.country = Some(cname(country));
            d.details.insert("trust".into(), json!(round3(trust)));
            d.details.insert("reach".into(), json!(round3(reach)));
            d.text = format!(
                "{}: trust {:.1}%, hostile reach {:.1}%",
                cat.countries[country.i()].name,
                trust * 100.0,
                reach * 100.0
            );
        }
        What::IntrusionDetected {
            by: step,
            node: n,
            country,
        } => {
            d.actor = Some(&cat.countries[country.i()].csirt);
            d.target = Some(&node(n).id);
            d.country = Some(cname(country));
            d.details = step_details(&step);
            d.text = format!(
                "{} detects an intrusion in {}",
                csirt(country),
                node(n).name
            );
        }
        What::IncidentOpened {
            by,
            node: n,
            country,
            queued,
        } => {
            d.actor = Some(&cat.countries[country.i()].csirt);
            d.target = Some(&node(n).id);
            d.country = Some(cname(country));
            d.details = step_details(&by);
            d.details.insert("queued".into(), json!(queued));
            d.text = format!(
                "{} opens an incident at {}{}",
                csirt(country),
                node(n).name,
                if queued > 0 {
                    format!(" ({queued} waiting for a team)")
                } else {
                    String::new()
                }
            );
        }
        What::IntrusionEvicted {
            by: step,
            node: n,
            country,
        } => {
            d.actor = Some(&cat.countries[country.i()].csirt);
            d.target = Some(&node(n).id);
            d.country = Some(cname(country));
            d.details = step_details(&step);
            d.text = format!(
                "{} evicts the intruder from {}",
                csirt(country),
                node(n).name
            );
        }
        What::NetworksIsolated { by, country } => {
            d.actor = Some(&cat.countries[country.i()].csirt);
            d.country = Some(cname(country));
            d.details = step_details(&by);
            d.text = format!(
                "{} isolates networks against {}",
                csirt(country),
                origin_name(&by)
            );
        }
        What::RestorationQueued { node: n, waiting } => {
            d.target = Some(&node(n).id);
            d.country = Some(cname(node(n).country));
            d.details.insert("waiting".into(), json!(waiting));
            d.text = format!(
                "{} waits for a repair crew ({waiting} in queue)",
                node(n).name
            );
        }
        What::RestorationStarted { node: n, secs } => {
            d.target = Some(&node(n).id);
            d.country = Some(cname(node(n).country));
            d.details.insert("expected_secs".into(), json!(secs));
            d.text = format!(
                "Repair crew starts restoring {} (about {:.1} h)",
                node(n).name,
                secs as f64 / 3600.0
            );
        }
        What::CbrnDetected { incident, country } => {
            d.country = Some(cname(country));
            d.details.insert("incident".into(), json!(incident));
            d.text = format!(
                "Health services in {} suspect a CBRN incident ({incident})",
                cname(country)
            );
        }
        What::AgentIdentified { incident, country } => {
            d.country = Some(cname(country));
            d.details.insert("incident".into(), json!(incident));
            d.text = format!(
                "Laboratory in {} identifies the agent of incident {incident}",
                cname(country)
            );
        }
        What::DeconDeployed {
            incident,
            country,
            units,
        } => {
            d.country = Some(cname(country));
            d.details.insert("incident".into(), json!(incident));
            d.details.insert("units".into(), json!(units));
            d.text = format!(
                "{units} decontamination units deployed in {}",
                cname(country)
            );
        }
        What::CountermeasuresExhausted { incident, country } => {
            d.country = Some(cname(country));
            d.details.insert("incident".into(), json!(incident));
            d.text = format!(
                "National countermeasure stocks in {} exhausted",
                cname(country)
            );
        }
        What::NarrativeDetected { narrative, country }
        | What::Debunked { narrative, country }
        | What::PlatformAction { narrative, country } => {
            d.actor = Some(cname(country));
            d.target = Some(&cat.narratives[narrative.i()].id);
            d.country = Some(cname(country));
            let verb = match what {
                What::NarrativeDetected { .. } => "government communication spots",
                What::Debunked { .. } => "government debunks",
                _ => "platforms act on a notice against",
            };
            d.text = format!(
                "{}: {verb} \"{}\"",
                cname(country),
                cat.narratives[narrative.i()].title
            );
        }
        What::Eu(e) => e.describe(cat, &mut d),
        What::ControllerNote { note } => {
            d.actor = Some("EXCON");
            let text = notes.get(note as usize).map_or("", String::as_str);
            d.details.insert("note".into(), json!(text));
            d.text = format!("Controller note: {text}");
        }
        What::AdHocInject { step, note } => {
            d.actor = Some("EXCON");
            d.details = step_details(&Origin::Step(step));
            let text = notes.get(note as usize).map_or("", String::as_str);
            d.details.insert("note".into(), json!(text));
            d.text = format!(
                "Ad-hoc inject: the simulation cell plays {} step {} now{}",
                camp(&step).id,
                cat.step(step).id,
                if text.is_empty() {
                    String::new()
                } else {
                    format!(" ({text})")
                }
            );
        }
    }
    d
}

pub fn agent_name(a: AgentClass) -> &'static str {
    match a {
        AgentClass::Chemical => "chemical",
        AgentClass::Biological => "biological",
        AgentClass::Radiological => "radiological",
    }
}

/// Writes events as JSON lines and hashes exactly the bytes written.
pub struct JsonlWriter<W: Write> {
    out: W,
    hasher: Sha256,
    buf: Vec<u8>,
    seq: u64,
}

impl<W: Write> JsonlWriter<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            hasher: Sha256::new(),
            buf: Vec::with_capacity(512),
            seq: 0,
        }
    }

    pub fn write(&mut self, cat: &Catalog, notes: &[String], ev: &Event) -> io::Result<()> {
        self.buf.clear();
        let d = describe(cat, notes, &ev.what);
        let time = (cat.start + chrono::Duration::seconds(ev.t.0.min(i64::MAX as u64 / 2) as i64))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let line = Line {
            seq: self.seq,
            t: ev.t.0,
            time,
            domain: ev.what.domain(cat).name(),
            kind: ev.what.kind(),
            actor: d.actor,
            target: d.target,
            country: d.country,
            text: d.text,
            details: d.details,
        };
        serde_json::to_writer(&mut self.buf, &line).map_err(io::Error::other)?;
        self.buf.push(b'\n');
        self.hasher.update(&self.buf);
        self.out.write_all(&self.buf)?;
        self.seq += 1;
        Ok(())
    }

    /// Lines written so far.
    pub fn count(&self) -> u64 {
        self.seq
    }

    /// Flushes and returns the writer and the sha256 (hex) of everything written.
    pub fn finish(mut self) -> io::Result<(W, String)> {
        self.out.flush()?;
        let hash = self.hasher.finalize();
        Ok((self.out, hash.iter().map(|b| format!("{b:02x}")).collect()))
    }
}

/// Writes `log` as JSON lines to `w` (a file, or `std::io::sink()` to only
/// hash it); returns the sha256 of the bytes, the `log-hash`.
pub fn write_log<W: Write>(
    w: W,
    cat: &Catalog,
    notes: &[String],
    log: &[Event],
) -> io::Result<String> {
    let mut jw = JsonlWriter::new(w);
    for e in log {
        jw.write(cat, notes, e)?;
    }
    Ok(jw.finish()?.1)
}
