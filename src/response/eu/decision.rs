//! Political decision points: raise IPCR, request UCPM help, invoke
//! Art. 222, attribute, adopt sanctions. The procedure raises a point with
//! two options; after the playbook's deliberation its policy decides, or at
//! the dashboard the players do.

use super::lending::{self, Lender};
use super::{EuEv, draw, eu, eu_ref, holds, ipcr, later, solidarity, toolbox, ucpm};
use crate::engine::SimTime;
use crate::log::{Context, Described, Domain, Origin, Record, kinds};
use crate::playbook::{self as pb, IpcrMode, Need, Policy};
use crate::scenario::catalog::{Catalog, CountryIx, Decision, InjectIx};
use crate::world::Sim;

/// A political decision the procedure calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DecisionKind {
    IpcrInformationSharing,
    IpcrFullActivation,
    UcpmRequest(Need),
    /// A state asks an EU body to lend it teams.
    Loan(Lender),
    Solidarity,
    Attribution,
    RestrictiveMeasures,
}

impl DecisionKind {
    /// The question put to the players.
    pub fn question(self) -> String {
        match self {
            DecisionKind::IpcrInformationSharing => {
                "Presidency: move IPCR to information sharing?".into()
            }
            DecisionKind::IpcrFullActivation => "Presidency: fully activate IPCR?".into(),
            DecisionKind::UcpmRequest(n) => format!("request UCPM assistance ({})?", n.name()),
            DecisionKind::Loan(l) => l.question().into(),
            DecisionKind::Solidarity => "Invoke the solidarity clause (Art. 222 TFEU)?".into(),
            DecisionKind::Attribution => {
                "Council: attribute the campaign publicly (Cyber Diplomacy Toolbox)?".into()
            }
            DecisionKind::RestrictiveMeasures => {
                "Council: adopt restrictive measures (Cyber Diplomacy Toolbox)?".into()
            }
        }
    }

    /// The options offered to the players; the first is "act".
    pub fn options(self) -> [&'static str; 2] {
        match self {
            DecisionKind::IpcrInformationSharing | DecisionKind::IpcrFullActivation => {
                ["raise the mode", "stay in the current mode"]
            }
            DecisionKind::UcpmRequest(_) | DecisionKind::Loan(_) => {
                ["send the request", "rely on national means"]
            }
            DecisionKind::Solidarity => ["invoke Art. 222", "do not invoke"],
            DecisionKind::Attribution => ["attribute publicly", "keep attribution confidential"],
            DecisionKind::RestrictiveMeasures => ["adopt sanctions", "no sanctions for now"],
        }
    }

    /// The decision's stable id in the log and the outputs.
    pub fn id(self) -> String {
        match self {
            DecisionKind::UcpmRequest(n) => format!("{}:{}", self.kind(), n.name()),
            _ => self.kind().into(),
        }
    }

    /// The kind of decision, as the mechanisms table lists it.
    pub fn kind(self) -> &'static str {
        match self {
            DecisionKind::IpcrInformationSharing => "ipcr_information_sharing",
            DecisionKind::IpcrFullActivation => "ipcr_full_activation",
            DecisionKind::UcpmRequest(_) => "ucpm_request",
            DecisionKind::Loan(l) => l.request_kind(),
            DecisionKind::Solidarity => "solidarity_clause_art222",
            DecisionKind::Attribution => "toolbox_attribution",
            DecisionKind::RestrictiveMeasures => "toolbox_restrictive_measures",
        }
    }

    /// The mechanism whose decision this is.
    pub fn mechanism(self) -> &'static super::MechanismInfo {
        super::MECHANISMS
            .iter()
            .find(|m| m.decisions.contains(&self.kind()))
            .expect("every decision kind is in the mechanisms table")
    }

    /// Who decides, as the log names them.
    fn decider(self) -> &'static str {
        match self {
            DecisionKind::IpcrInformationSharing | DecisionKind::IpcrFullActivation => "PRESIDENCY",
            DecisionKind::UcpmRequest(_) | DecisionKind::Loan(_) | DecisionKind::Solidarity => {
                "MEMBER-STATE"
            }
            DecisionKind::Attribution | DecisionKind::RestrictiveMeasures => "COUNCIL",
        }
    }

    /// EU-level decisions go faster under IPCR coordination; national ones do not.
    fn coordinated(self) -> bool {
        matches!(
            self,
            DecisionKind::Attribution | DecisionKind::RestrictiveMeasures
        )
    }

    /// The playbook's policy for this kind of decision.
    pub fn policy(self, r: &pb::Response) -> Option<Policy> {
        let d = match self {
            DecisionKind::IpcrInformationSharing => r.ipcr.as_ref().map(|i| &i.information_sharing),
            DecisionKind::IpcrFullActivation => r.ipcr.as_ref().map(|i| &i.full_activation),
            DecisionKind::UcpmRequest(_) => r.ucpm.as_ref().map(|u| &u.request),
            DecisionKind::Loan(l) => l.terms(r).map(|t| t.request),
            DecisionKind::Solidarity => r.solidarity.as_ref().map(|s| &s.invoke),
            DecisionKind::Attribution => r.toolbox.as_ref().map(|t| &t.attribution),
            DecisionKind::RestrictiveMeasures => r.toolbox.as_ref().map(|t| &t.measures),
        };
        d.map(|d| d.policy.clone())
    }
}

/// One decision point and how it ended.
#[derive(Clone, Debug)]
pub struct DecisionPoint {
    pub kind: DecisionKind,
    pub country: Option<CountryIx>,
    pub raised: SimTime,
    pub decided: Option<(SimTime, bool)>,
    /// Events made it moot before it fell.
    pub overtaken: bool,
}

/// What decision points log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DecisionRecord {
    Raised {
        kind: DecisionKind,
        country: Option<CountryIx>,
        /// Seconds of deliberation before the decision falls.
        due: u32,
    },
    Taken {
        kind: DecisionKind,
        country: Option<CountryIx>,
        approved: bool,
        /// Decided by the players at the dashboard (not by the playbook's policy).
        players: bool,
    },
    /// Events made the decision moot before it fell.
    Overtaken {
        kind: DecisionKind,
        country: Option<CountryIx>,
    },
    /// Exercise control took the decision, as an inject scripts it; it
    /// `applies` where the playbook has the mechanism to carry it out.
    Scripted {
        kind: DecisionKind,
        country: Option<CountryIx>,
        inject: InjectIx,
        applies: bool,
    },
}

impl Record for DecisionRecord {
    kinds! {
        Raised => "decision_raised",
        Taken => "decision_taken",
        Overtaken => "decision_overtaken",
        Scripted => "decision_scripted",
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        let (kind, country) = match *self {
            DecisionRecord::Raised { kind, country, .. }
            | DecisionRecord::Taken { kind, country, .. }
            | DecisionRecord::Scripted { kind, country, .. }
            | DecisionRecord::Overtaken { kind, country } => (kind, country),
        };
        let for_whom = country.map_or(String::new(), |c| format!(" for {}", cx.country_name(c)));
        let d = match *self {
            DecisionRecord::Raised { due, .. } => Described::new(format!(
                "Decision point{for_whom}: {} (options: {})",
                kind.question(),
                kind.options().join(" / ")
            ))
            .detail("options", kind.options())
            .detail("deliberation_s", due),
            DecisionRecord::Taken {
                approved, players, ..
            } => {
                let chosen = kind.options()[usize::from(!approved)];
                Described::new(format!(
                    "Decision{}{for_whom}: {} -> {chosen}",
                    if players { " by the players" } else { "" },
                    kind.question()
                ))
                .detail("choice", chosen)
                .detail("approved", approved)
                .detail(
                    "decided_by",
                    if players {
                        "players"
                    } else {
                        "playbook policy"
                    },
                )
            }
            DecisionRecord::Overtaken { .. } => {
                Described::new(format!("Decision overtaken by events: {}", kind.question()))
            }
            DecisionRecord::Scripted {
                inject, applies, ..
            } => {
                let msel = cx.cat.injects[inject.i()].inject.number;
                Described::new(format!(
                    "Decision scripted by MSEL #{msel}{for_whom}: {} -> {}{}",
                    kind.question(),
                    kind.options()[0],
                    if applies {
                        ""
                    } else {
                        " (nothing follows: no such mechanism in the playbook, or done already)"
                    }
                ))
                .detail("choice", kind.options()[0])
                .detail("decided_by", "exercise control")
                .detail("applies", applies)
                .origin(cx, Origin::Inject(inject))
            }
        };
        let mut d = d.actor(kind.decider()).detail("decision", kind.id());
        d.country = country.map(|c| cx.country(c));
        d
    }
}

/// Raises a decision point unless it was raised before; it is decided after its deliberation.
pub(crate) fn raise(
    sim: &mut Sim,
    kind: DecisionKind,
    country: Option<CountryIx>,
    decision: &pb::Decision,
) {
    // A state may ask the UCPM or the Reserve again once help has left
    // (their own `open` sets guard against duplicates); other decisions
    // come up once.
    let repeatable = matches!(kind, DecisionKind::UcpmRequest(_) | DecisionKind::Loan(_));
    if !eu(sim).raised.insert((kind, country)) && !repeatable {
        return;
    }
    let factor = if kind.coordinated() {
        ipcr::speed(sim)
    } else {
        1.0
    };
    // A state's request to a lender deliberates on the lender's own stream,
    // so that a playbook with the lender meets the same other decisions.
    let stream: super::Stream = match kind {
        DecisionKind::Loan(l) => lending::stream(l),
        _ => |r| &mut r.decisions,
    };
    let d = draw(sim, stream, &decision.deliberation, factor);
    let now = sim.now;
    let id = {
        let mut st = eu(sim);
        st.decisions.push(DecisionPoint {
            kind,
            country,
            raised: now,
            decided: None,
            overtaken: false,
        });
        crate::engine::count_u32(st.decisions.len() - 1)
    };
    sim.emit(DecisionRecord::Raised {
        kind,
        country,
        due: u32::try_from(d.0).unwrap_or(u32::MAX),
    });
    // At the dashboard the players deliberate; headless, the playbook's
    // deliberation time passes and its policy decides.
    if !eu_ref(sim).interactive {
        later(sim, d, EuEv::Decide(id));
    }
}

/// Decision points raised and not decided yet, oldest first.
pub fn pending(world: &bevy_ecs::world::World) -> Vec<u32> {
    world
        .get_resource::<super::EuState>()
        .map(|st| {
            st.decisions
                .iter()
                .enumerate()
                .filter(|(_, d)| d.decided.is_none() && !d.overtaken)
                .map(|(i, _)| crate::engine::count_u32(i))
                .collect()
        })
        .unwrap_or_default()
}

/// The players answer decision `id` (`None`: the time-out applies the
/// playbook's policy).
pub fn answer(sim: &mut Sim, id: u32, approve: Option<bool>) {
    let open = eu_ref(sim)
        .decisions
        .get(id as usize)
        .is_some_and(|d| d.decided.is_none() && !d.overtaken);
    if open {
        settle(sim, id, approve.map(|a| (a, true)));
    }
}

/// The deliberation is over: the playbook's policy decides.
pub(crate) fn decide(sim: &mut Sim, id: u32) {
    settle(sim, id, None);
}

/// Takes decision `id`: as `choice` says (approve, by the players), or by
/// the playbook's policy.
fn settle(sim: &mut Sim, id: u32, choice: Option<(bool, bool)>) {
    let rec = eu_ref(sim).decisions[id as usize].clone();
    // IPCR may already be where the decision would take it (Art. 222).
    let target = match rec.kind {
        DecisionKind::IpcrInformationSharing => Some(IpcrMode::InformationSharing),
        DecisionKind::IpcrFullActivation => Some(IpcrMode::FullActivation),
        _ => None,
    };
    // A state no longer overwhelmed when its government's deliberation
    // ends does not invoke Art. 222 (Council Decision 2014/415/EU, Art.
    // 4(1): only a crisis that "clearly overwhelms" it); players may still.
    let relieved = rec.kind == DecisionKind::Solidarity
        && choice.is_none()
        && rec.country.is_some_and(|c| !solidarity::warranted(sim, c));
    if relieved || target.is_some_and(|m| eu_ref(sim).ipcr.mode >= m) {
        let mut st = eu(sim);
        st.decisions[id as usize].overtaken = true;
        // Overwhelmed again later, the state may consider it again.
        if relieved {
            st.raised.remove(&(rec.kind, rec.country));
        }
        sim.emit(DecisionRecord::Overtaken {
            kind: rec.kind,
            country: rec.country,
        });
        return;
    }
    let (approved, players) = match choice {
        Some(c) => c,
        None => (default_choice(sim, id), false),
    };
    let now = sim.now;
    eu(sim).decisions[id as usize].decided = Some((now, approved));
    sim.emit(DecisionRecord::Taken {
        kind: rec.kind,
        country: rec.country,
        approved,
        players,
    });
    if approved {
        carry_out(sim, rec.kind, rec.country, false);
    }
}

/// Exercise control takes decision `kind` (for `country`) as inject `inject`
/// fires: the political level as the exercise scripts it. The playbook's
/// mechanism carries it out; without one, nothing follows.
pub fn scripted(sim: &mut Sim, d: Decision, inject: InjectIx) {
    let (kind, country) = match d {
        Decision::Solidarity(c) => (DecisionKind::Solidarity, Some(c)),
        Decision::UcpmRequest(c, need) => (DecisionKind::UcpmRequest(need), Some(c)),
        Decision::CyberReserveRequest(c) => (DecisionKind::Loan(Lender::CyberReserve), Some(c)),
        Decision::HrrtRequest(c) => (DecisionKind::Loan(Lender::Hrrt), Some(c)),
        Decision::Ipcr(IpcrMode::FullActivation) => (DecisionKind::IpcrFullActivation, None),
        Decision::Ipcr(_) => (DecisionKind::IpcrInformationSharing, None),
        Decision::Attribution => (DecisionKind::Attribution, None),
        Decision::RestrictiveMeasures => (DecisionKind::RestrictiveMeasures, None),
    };
    // Nothing follows without the mechanism (nor its state: a national-only
    // run has none), nor for what is done already (sanctions come after
    // attribution; a state may ask the UCPM again).
    let applies = kind.policy(&sim.cat.response).is_some() && {
        let st = eu_ref(sim);
        match kind {
            DecisionKind::IpcrInformationSharing => st.ipcr.mode < IpcrMode::InformationSharing,
            DecisionKind::IpcrFullActivation => st.ipcr.mode < IpcrMode::FullActivation,
            DecisionKind::Solidarity => country.is_some_and(|c| !st.solidarity.contains_key(&c)),
            DecisionKind::Attribution => st.toolbox.attributed.is_none(),
            DecisionKind::RestrictiveMeasures => {
                st.toolbox.attributed.is_some() && st.toolbox.measures.is_none()
            }
            DecisionKind::UcpmRequest(_) => true,
            // Not while the state's earlier request is still being served.
            DecisionKind::Loan(l) => country.is_some_and(|c| !lending::serving(st, l, c)),
        }
    };
    sim.emit(DecisionRecord::Scripted {
        kind,
        country,
        inject,
        applies,
    });
    if !applies {
        return;
    }
    if let (DecisionKind::UcpmRequest(need), Some(c)) = (kind, country) {
        // The playbook does not ask again for what the script asked for.
        eu(sim).ucpm.open.insert((c, need));
    }
    carry_out(sim, kind, country, true);
}

/// What an approved decision does (`scripted`: exercise control took it).
fn carry_out(sim: &mut Sim, kind: DecisionKind, country: Option<CountryIx>, scripted: bool) {
    match kind {
        DecisionKind::IpcrInformationSharing => ipcr::enter(sim, IpcrMode::InformationSharing),
        DecisionKind::IpcrFullActivation => ipcr::enter(sim, IpcrMode::FullActivation),
        DecisionKind::UcpmRequest(need) => {
            if let Some(c) = country {
                ucpm::request(sim, c, need);
            }
        }
        DecisionKind::Loan(l) => {
            if let Some(c) = country {
                lending::request(sim, l, c, scripted);
            }
        }
        DecisionKind::Solidarity => {
            if let Some(c) = country {
                solidarity::invoke(sim, c);
            }
        }
        DecisionKind::Attribution => toolbox::attribute(sim),
        DecisionKind::RestrictiveMeasures => toolbox::adopt_measures(sim),
    }
}

/// What the playbook's policy would decide on `id` now.
pub fn default_choice(sim: &Sim, id: u32) -> bool {
    let rec = &eu_ref(sim).decisions[id as usize];
    match rec.kind.policy(&sim.cat.response) {
        Some(Policy::Approve) => true,
        Some(Policy::Decline) | None => false,
        Some(Policy::ApproveIf(t)) => holds(sim, &t, rec.country),
    }
}

/// Decisions on the dashboard, with the EU Hybrid Playbook's stage.
pub fn dashboard(st: &super::EuState, cat: &Catalog) -> String {
    let taken = st.decisions.iter().filter(|d| d.decided.is_some()).count();
    let waiting = st
        .decisions
        .iter()
        .filter(|d| d.decided.is_none() && !d.overtaken)
        .count();
    // The EU Hybrid Playbook's stage, the furthest reached.
    let stage = match (&cat.response.protocol, st.stages.keys().next_back()) {
        (Some(_), Some(s)) => format!(" · stage: {}", s.name()),
        (Some(_), None) => " · stage: -".into(),
        (None, _) => String::new(),
    };
    format!("{taken} taken · {waiting} waiting{stage}")
}

/// The decisions of a run, in a sentence.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
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
    format!(
        "{} raised, {taken} taken ({acted} to act)",
        eu.decisions.len()
    )
}
