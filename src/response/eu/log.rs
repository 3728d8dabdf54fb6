//! What the EU and NATO mechanisms log, and how it reads in `events.jsonl`.

use serde_json::{Map, Value, json};

use super::cyber::Level;
use super::ucpm::module;
use super::{DecisionKind, Stage};
use crate::log::jsonl::Described;
use crate::log::{Domain, Origin};
use crate::playbook::{Body, IpcrMode, Need};
use crate::world::catalog::{Catalog, CountryIx, NarrativeIx};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EuWhat {
    IndicatorReceived {
        by: Body,
        from: Body,
        country: CountryIx,
        domain: Domain,
        waiting: u16,
    },
    Assessment {
        by: Body,
        confidence: f32,
        indicators: u16,
        campaigns: u8,
        domains: u8,
        alert: bool,
    },
    ProtocolStage {
        stage: Stage,
    },
    IpcrMode {
        mode: IpcrMode,
    },
    IsaaReport {
        number: u16,
        mode: IpcrMode,
        affected: u8,
        confidence: f32,
    },
    DecisionRaised {
        kind: DecisionKind,
        country: Option<CountryIx>,
        /// Seconds of deliberation before the decision falls.
        due: u32,
    },
    DecisionTaken {
        kind: DecisionKind,
        country: Option<CountryIx>,
        approved: bool,
        /// Decided by the players at the dashboard (not by the playbook's policy).
        players: bool,
    },
    /// Events made the decision moot before it fell.
    DecisionOvertaken {
        kind: DecisionKind,
        country: Option<CountryIx>,
    },
    AssistanceRequested {
        request: u16,
        country: CountryIx,
        need: Need,
        queued: u16,
    },
    AwaitingModule {
        request: u16,
        country: CountryIx,
        need: Need,
    },
    NoModule {
        request: u16,
        country: CountryIx,
        need: Need,
    },
    OfferAccepted {
        request: u16,
        module: u16,
        country: CountryIx,
    },
    ModuleDeployed {
        request: u16,
        module: u16,
        country: CountryIx,
    },
    ModuleReturned {
        module: u16,
        country: CountryIx,
    },
    SolidarityInvoked {
        country: CountryIx,
    },
    CsirtsShared {
        by: Origin,
        country: CountryIx,
    },
    PreemptiveIsolation {
        by: Origin,
        country: CountryIx,
    },
    BlueprintLevel {
        level: Level,
        states: u8,
    },
    EnisaSupport {
        country: CountryIx,
        teams: u32,
    },
    Attributed {
        confidence: f32,
    },
    RestrictiveMeasures,
    StratComFlagged {
        narrative: NarrativeIx,
        country: CountryIx,
    },
    EuDebunk {
        narrative: NarrativeIx,
    },
    RasAlert {
        narrative: NarrativeIx,
    },
    NatoSupport {
        support: u16,
        country: CountryIx,
    },
}

pub fn body_name(b: Body) -> &'static str {
    match b {
        Body::MemberStates => "member states",
        Body::Csirts => "CSIRTs network",
        Body::FusionCell => "EU Hybrid Fusion Cell",
        Body::StratCom => "EEAS StratCom",
        Body::OpenSource => "open sources",
        Body::Csdp => "CSDP missions",
        Body::Nato => "NATO Hybrid Analysis Branch",
    }
}

fn body_id(b: Body) -> &'static str {
    match b {
        Body::MemberStates => "MEMBER-STATES",
        Body::Csirts => "CSIRTS",
        Body::FusionCell => "HFC",
        Body::StratCom => "STRATCOM",
        Body::OpenSource => "OSINT",
        Body::Csdp => "CSDP",
        Body::Nato => "NATO",
    }
}

/// Words for a confidence, as intelligence assessments put it.
fn likelihood(c: f32) -> &'static str {
    match c {
        c if c >= 0.9 => "almost certain",
        c if c >= 0.75 => "highly likely",
        c if c >= 0.55 => "likely",
        c if c >= 0.4 => "a realistic possibility",
        _ => "unlikely",
    }
}

impl EuWhat {
    pub fn kind(&self) -> &'static str {
        match self {
            EuWhat::IndicatorReceived { .. } => "indicator_received",
            EuWhat::Assessment { .. } => "assessment",
            EuWhat::ProtocolStage { .. } => "protocol_stage",
            EuWhat::IpcrMode { .. } => "ipcr_mode",
            EuWhat::IsaaReport { .. } => "ipcr_isaa_report",
            EuWhat::DecisionRaised { .. } => "decision_raised",
            EuWhat::DecisionTaken { .. } => "decision_taken",
            EuWhat::DecisionOvertaken { .. } => "decision_overtaken",
            EuWhat::AssistanceRequested { .. } => "ucpm_request",
            EuWhat::AwaitingModule { .. } => "ucpm_request_waiting",
            EuWhat::NoModule { .. } => "ucpm_no_module",
            EuWhat::OfferAccepted { .. } => "ucpm_offer_accepted",
            EuWhat::ModuleDeployed { .. } => "ucpm_module_deployed",
            EuWhat::ModuleReturned { .. } => "ucpm_module_returned",
            EuWhat::SolidarityInvoked { .. } => "solidarity_clause_invoked",
            EuWhat::CsirtsShared { .. } => "csirts_network_shared",
            EuWhat::PreemptiveIsolation { .. } => "blueprint_preemptive_isolation",
            EuWhat::BlueprintLevel { .. } => "blueprint_level",
            EuWhat::EnisaSupport { .. } => "enisa_support",
            EuWhat::Attributed { .. } => "toolbox_attribution",
            EuWhat::RestrictiveMeasures => "toolbox_restrictive_measures",
            EuWhat::StratComFlagged { .. } => "stratcom_detection",
            EuWhat::EuDebunk { .. } => "stratcom_debunk",
            EuWhat::RasAlert { .. } => "rapid_alert",
            EuWhat::NatoSupport { .. } => "nato_support",
        }
    }

    pub fn describe<'a>(&self, cat: &'a Catalog, d: &mut Described<'a>) {
        let cname = |c: CountryIx| &*cat.countries[c.i()].id;
        let cfull = |c: CountryIx| cat.countries[c.i()].name.as_str();
        let ntitle = |n: NarrativeIx| cat.narratives[n.i()].title.as_str();
        let r = &cat.response;
        let mut m = Map::new();
        let mut put = |k: &str, v: Value| {
            m.insert(k.into(), v);
        };
        let round = |x: f32| (x as f64 * 1000.0).round() / 1000.0;
        match *self {
            EuWhat::IndicatorReceived {
                by,
                from,
                country,
                domain,
                waiting,
            } => {
                d.actor = Some(body_id(from));
                d.target = Some(body_id(by));
                d.country = Some(cname(country));
                put("indicator_domain", json!(domain.name()));
                put("analysts_queue", json!(waiting));
                d.text = format!(
                    "{} receives a {} indicator from {} ({}){}",
                    body_name(by),
                    domain.name(),
                    body_name(from),
                    cfull(country),
                    if waiting > 0 {
                        format!("; {waiting} waiting for an analyst")
                    } else {
                        String::new()
                    }
                );
            }
            EuWhat::Assessment {
                by,
                confidence,
                indicators,
                campaigns,
                domains,
                alert,
            } => {
                d.actor = Some(body_id(by));
                put("confidence", json!(round(confidence)));
                put("indicators", json!(indicators));
                put("linked_threads", json!(campaigns));
                put("domains", json!(domains));
                put("alert", json!(alert));
                d.text = format!(
                    "{} assessment: a coordinated hybrid campaign is {} ({:.0}% confidence, {} indicators, {} domains){}",
                    body_name(by),
                    likelihood(confidence),
                    confidence * 100.0,
                    indicators,
                    domains,
                    match (alert, by) {
                        (false, _) => "",
                        (true, Body::Nato) => "; allies alerted",
                        (true, _) => "; member states alerted",
                    }
                );
            }
            EuWhat::ProtocolStage { stage } => {
                d.actor = Some("EU");
                put("stage", json!(stage.name()));
                d.text = format!("EU Hybrid Playbook: {} stage reached", stage.name());
            }
            EuWhat::IpcrMode { mode } => {
                d.actor = Some("IPCR");
                put("mode", json!(mode.name()));
                d.text = format!("IPCR in {} mode", mode.name());
            }
            EuWhat::IsaaReport {
                number,
                mode,
                affected,
                confidence,
            } => {
                d.actor = Some("IPCR");
                put("number", json!(number));
                put("mode", json!(mode.name()));
                put("states_affected", json!(affected));
                put("confidence", json!(round(confidence)));
                d.text = format!(
                    "IPCR ISAA report #{number}: {affected} member states affected, Fusion Cell confidence {:.0}%",
                    confidence * 100.0
                );
            }
            EuWhat::DecisionRaised { kind, country, due } => {
                d.actor = Some(decider(kind));
                d.country = country.map(cname);
                put("decision", json!(decision_id(kind)));
                put("options", json!(kind.options()));
                put("deliberation_s", json!(due));
                d.text = format!(
                    "Decision point{}: {} (options: {})",
                    country.map_or(String::new(), |c| format!(" for {}", cfull(c))),
                    question(kind),
                    kind.options().join(" / ")
                );
            }
            EuWhat::DecisionTaken {
                kind,
                country,
                approved,
                players,
            } => {
                d.actor = Some(decider(kind));
                d.country = country.map(cname);
                put("decision", json!(decision_id(kind)));
                let chosen = kind.options()[usize::from(!approved)];
                put("choice", json!(chosen));
                put("approved", json!(approved));
                put(
                    "decided_by",
                    json!(if players {
                        "players"
                    } else {
                        "playbook policy"
                    }),
                );
                d.text = format!(
                    "Decision{}{}: {} -> {chosen}",
                    if players { " by the players" } else { "" },
                    country.map_or(String::new(), |c| format!(" for {}", cfull(c))),
                    question(kind)
                );
            }
            EuWhat::DecisionOvertaken { kind, country } => {
                d.actor = Some(decider(kind));
                d.country = country.map(cname);
                put("decision", json!(decision_id(kind)));
                d.text = format!("Decision overtaken by events: {}", question(kind));
            }
            EuWhat::AssistanceRequested {
                request,
                country,
                need,
                queued,
            } => {
                d.actor = Some(cname(country));
                d.target = Some("ERCC");
                d.country = Some(cname(country));
                put("request", json!(request));
                put("need", json!(need.name()));
                put("ercc_queue", json!(queued));
                d.text = format!(
                    "{} requests UCPM assistance ({}) through the ERCC{}",
                    cfull(country),
                    need.name(),
                    if queued > 0 {
                        format!("; {queued} requests ahead")
                    } else {
                        String::new()
                    }
                );
            }
            EuWhat::AwaitingModule {
                request,
                country,
                need,
            } => {
                d.actor = Some("ERCC");
                d.country = Some(cname(country));
                put("request", json!(request));
                put("need", json!(need.name()));
                d.text = format!(
                    "ERCC: every UCPM {} module is deployed; {}'s request waits for one to return",
                    need.name(),
                    cfull(country)
                );
            }
            EuWhat::NoModule {
                request,
                country,
                need,
            } => {
                d.actor = Some("ERCC");
                d.country = Some(cname(country));
                put("request", json!(request));
                put("need", json!(need.name()));
                d.text = format!(
                    "ERCC: no participating state offers {} for {}",
                    need.name(),
                    cfull(country)
                );
            }
            EuWhat::OfferAccepted {
                request,
                module: mi,
                country,
            } => {
                let md = module(r, mi as usize);
                d.actor = Some("ERCC");
                d.target = Some(&md.id);
                d.country = Some(cname(country));
                put("request", json!(request));
                put("offered_by", json!(md.from));
                d.text = format!(
                    "ERCC: {} accepts the offer of {} from {}",
                    cfull(country),
                    md.name,
                    md.from
                );
            }
            EuWhat::ModuleDeployed {
                request,
                module: mi,
                country,
            } => {
                let md = module(r, mi as usize);
                d.actor = Some("ERCC");
                d.target = Some(&md.id);
                d.country = Some(cname(country));
                put("request", json!(request));
                put("capability", json!(format!("{:?}", md.capability)));
                d.text = format!("UCPM: {} deployed in {}", md.name, cfull(country));
            }
            EuWhat::ModuleReturned {
                module: mi,
                country,
            } => {
                let md = module(r, mi as usize);
                d.actor = Some("ERCC");
                d.target = Some(&md.id);
                d.country = Some(cname(country));
                d.text = format!("UCPM: {} leaves {}", md.name, cfull(country));
            }
            EuWhat::SolidarityInvoked { country } => {
                d.actor = Some(cname(country));
                d.country = Some(cname(country));
                d.text = format!(
                    "{} invokes the solidarity clause (Art. 222 TFEU)",
                    cfull(country)
                );
            }
            EuWhat::CsirtsShared { by, country } => {
                d.actor = Some(&cat.countries[country.i()].csirt);
                d.target = Some("CSIRTS");
                d.country = Some(cname(country));
                put("threat", json!(origin_id(cat, by)));
                let class = taxonomy(cat, by);
                put("taxonomy", json!(class));
                d.text = format!(
                    "{} shares its incident in the CSIRTs network (Blueprint, technical level): {class}",
                    cat.countries[country.i()].csirt
                );
            }
            EuWhat::PreemptiveIsolation { by, country } => {
                d.actor = Some(&cat.countries[country.i()].csirt);
                d.country = Some(cname(country));
                put("threat", json!(origin_id(cat, by)));
                d.text = format!(
                    "{} isolates networks against the shared malware on the CSIRTs network's warning",
                    cfull(country)
                );
            }
            EuWhat::BlueprintLevel { level, states } => {
                d.actor = Some("CSIRTS");
                put("level", json!(level.name()));
                put("states", json!(states));
                d.text = format!(
                    "Cyber Blueprint: {} level convened ({states} member states affected)",
                    level.name()
                );
            }
            EuWhat::EnisaSupport { country, teams } => {
                d.actor = Some("ENISA");
                d.country = Some(cname(country));
                put("teams", json!(teams));
                d.text = format!(
                    "ENISA lends {teams} incident-response team(s) to {}",
                    cfull(country)
                );
            }
            EuWhat::Attributed { confidence } => {
                d.actor = Some("COUNCIL");
                put("confidence", json!(round(confidence)));
                d.text = format!(
                    "Cyber Diplomacy Toolbox: the EU publicly attributes the campaign ({:.0}% confidence)",
                    confidence * 100.0
                );
            }
            EuWhat::RestrictiveMeasures => {
                d.actor = Some("COUNCIL");
                d.text = "Cyber Diplomacy Toolbox: the Council adopts restrictive measures against those responsible".into();
            }
            EuWhat::StratComFlagged { narrative, country } => {
                d.actor = Some("STRATCOM");
                d.target = Some(&cat.narratives[narrative.i()].id);
                d.country = Some(cname(country));
                d.text = format!(
                    "EEAS StratCom task force identifies the narrative \"{}\"",
                    ntitle(narrative)
                );
            }
            EuWhat::EuDebunk { narrative } => {
                d.actor = Some("STRATCOM");
                d.target = Some(&cat.narratives[narrative.i()].id);
                d.text = format!("EUvsDisinfo debunks \"{}\"", ntitle(narrative));
            }
            EuWhat::RasAlert { narrative } => {
                d.actor = Some("RAS");
                d.target = Some(&cat.narratives[narrative.i()].id);
                d.text = format!(
                    "Rapid Alert System: alert to all member states on \"{}\"",
                    ntitle(narrative)
                );
            }
            EuWhat::NatoSupport { support, country } => {
                let s = &r.nato.as_ref().expect("NATO present").support[support as usize];
                d.actor = Some("NATO");
                d.country = Some(cname(country));
                put("support", json!(s.name));
                d.text = format!("NATO: {} arrives in {}", s.name, cfull(country));
            }
        }
        d.details.extend(m);
    }
}

fn question(k: DecisionKind) -> String {
    match k {
        DecisionKind::UcpmRequest(n) => format!("request UCPM assistance ({})?", n.name()),
        other => other.question().to_string(),
    }
}

pub fn decision_id(k: DecisionKind) -> String {
    match k {
        DecisionKind::IpcrInformationSharing => "ipcr_information_sharing".into(),
        DecisionKind::IpcrFullActivation => "ipcr_full_activation".into(),
        DecisionKind::UcpmRequest(n) => format!("ucpm_request:{}", n.name()),
        DecisionKind::Solidarity => "solidarity_clause_art222".into(),
        DecisionKind::Attribution => "toolbox_attribution".into(),
        DecisionKind::RestrictiveMeasures => "toolbox_restrictive_measures".into(),
    }
}

fn decider(k: DecisionKind) -> &'static str {
    match k {
        DecisionKind::IpcrInformationSharing | DecisionKind::IpcrFullActivation => "PRESIDENCY",
        DecisionKind::UcpmRequest(_) | DecisionKind::Solidarity => "MEMBER-STATE",
        DecisionKind::Attribution | DecisionKind::RestrictiveMeasures => "COUNCIL",
    }
}

/// The incident's class in the common taxonomy the NIS Cooperation Group
/// gave the CSIRTs network (after the reference incident classification).
fn taxonomy(cat: &Catalog, o: Origin) -> &'static str {
    use crate::world::catalog::Effect;
    match crate::threats::effect_of(cat, o) {
        Some(Effect::Intrusion { .. }) => "intrusions / system compromise",
        Some(Effect::Disrupt { .. }) => "availability / denial of service or sabotage",
        Some(Effect::Wiper { .. }) => "malicious code / destructive malware",
        Some(Effect::ElectionAttack { .. }) => "availability / attack on election systems",
        _ => "other",
    }
}

fn origin_id(cat: &Catalog, o: Origin) -> String {
    match o {
        Origin::Step(s) => cat.campaigns[s.campaign.i()].id.to_string(),
        Origin::Inject(i) => format!("inject {}", cat.injects[i.i()].inject.number),
    }
}
