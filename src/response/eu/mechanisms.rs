//! The EU and NATO mechanisms, described once: each one's name, the
//! playbook section that brings it, the bodies that take part, its line on
//! the dashboard and its sentence in summaries and reports. Merging
//! playbooks, telling a national-only run, `validate`, the report's
//! participants, the mechanism rows and the dashboard panel all read
//! [`MECHANISMS`].
//!
//! Adding a mechanism (see `docs/ARCHITECTURE.md`): its file in this folder
//! (behaviour, record, state, its `dashboard` and `summary` lines), its
//! entry here, its module, state, events and record in `super` (`mod.rs`,
//! [`super::EuRecord`]), its figures in [`super::metrics`], and its playbook
//! section in `playbook::model` with a field of `playbook::Response`.

use serde::{Deserialize, Serialize};

use super::metrics::EuMetrics;
use super::{
    EuState, analysis, blueprint, ipcr, lending, nato, protocol, solidarity, stratcom, toolbox,
    ucpm,
};
use crate::playbook::{LoadedPlaybook, Playbook, Response};
use crate::scenario::catalog::Catalog;

/// The EU and NATO mechanisms a playbook can bring, in [`MECHANISMS`] order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    Protocol,
    FusionCell,
    Ipcr,
    Ucpm,
    Blueprint,
    CyberReserve,
    Hrrt,
    Toolbox,
    #[serde(rename = "stratcom")]
    StratCom,
    Solidarity,
    Nato,
}

/// One mechanism, as every part of pacesim names and shows it.
pub struct MechanismInfo {
    pub id: Mechanism,
    /// Its name in summaries and reports.
    pub name: &'static str,
    /// Its label on the dashboard (at most 11 characters).
    pub short: &'static str,
    /// The playbook section that brings it.
    pub section: &'static str,
    /// The bodies that take part when the playbook has it.
    pub participants: &'static [&'static str],
    /// The kinds of decision point it raises, as the log names them
    /// ([`DecisionKind::kind`](super::DecisionKind::kind)).
    pub decisions: &'static [&'static str],
    /// Does the merged response have it?
    pub present: fn(&Response) -> bool,
    /// Takes the playbook's section, if it has one, into the merged response.
    pub take: fn(&mut Response, &Playbook),
    /// Takes it out of a merged response (what the response does without it).
    pub remove: fn(&mut Response),
    /// Its line on the dashboard, from the live state (the protocol's stage
    /// shows on the decisions line instead).
    pub dashboard: Option<fn(&EuState, &Catalog) -> String>,
    /// What it did, in a sentence, from a run's figures.
    pub summary: fn(&EuMetrics) -> String,
}

/// How a playbook section is found in, taken into and removed from the merged response.
type Section = (
    fn(&Response) -> bool,
    fn(&mut Response, &Playbook),
    fn(&mut Response),
);

macro_rules! section {
    ($field:ident) => {
        (
            |r: &Response| r.$field.is_some(),
            |r: &mut Response, p: &Playbook| {
                if p.$field.is_some() {
                    r.$field = p.$field.clone();
                }
            },
            |r: &mut Response| r.$field = None,
        )
    };
}

const fn info(
    id: Mechanism,
    (name, short): (&'static str, &'static str),
    section: &'static str,
    (participants, decisions): (&'static [&'static str], &'static [&'static str]),
    (present, take, remove): Section,
    dashboard: Option<fn(&EuState, &Catalog) -> String>,
    summary: fn(&EuMetrics) -> String,
) -> MechanismInfo {
    MechanismInfo {
        id,
        name,
        short,
        section,
        participants,
        decisions,
        present,
        take,
        remove,
        dashboard,
        summary,
    }
}

/// Every mechanism, in the order summaries list them.
pub const MECHANISMS: &[MechanismInfo] = &[
    info(
        Mechanism::Protocol,
        ("EU Hybrid Playbook", "Playbook"),
        "protocol",
        (
            &["EEAS, Commission and Council (EU operational protocol)"],
            &[],
        ),
        section!(protocol),
        None,
        protocol::summary,
    ),
    info(
        Mechanism::FusionCell,
        ("Hybrid Fusion Cell", "Fusion Cell"),
        "fusion_cell",
        (&["EU Hybrid Fusion Cell (EU INTCEN)"], &[]),
        section!(fusion_cell),
        Some(analysis::dashboard),
        analysis::summary,
    ),
    info(
        Mechanism::Ipcr,
        ("IPCR", "IPCR"),
        "ipcr",
        (
            &["Council Presidency / IPCR"],
            &["ipcr_information_sharing", "ipcr_full_activation"],
        ),
        section!(ipcr),
        Some(ipcr::dashboard),
        ipcr::summary,
    ),
    info(
        Mechanism::Ucpm,
        ("ERCC / UCPM", "ERCC/UCPM"),
        "ucpm",
        (&["ERCC / UCPM"], &["ucpm_request"]),
        section!(ucpm),
        Some(ucpm::dashboard),
        ucpm::summary,
    ),
    info(
        Mechanism::Blueprint,
        ("Cyber Blueprint / CSIRTs network", "Blueprint"),
        "blueprint",
        (&["CSIRTs network and ENISA"], &[]),
        section!(blueprint),
        Some(blueprint::dashboard),
        blueprint::summary,
    ),
    info(
        Mechanism::CyberReserve,
        ("EU Cybersecurity Reserve", "Cyb.Reserve"),
        "cyber_reserve",
        (
            &["ENISA (EU Cybersecurity Reserve)"],
            &[lending::Lender::CyberReserve.kinds()[0].name],
        ),
        section!(cyber_reserve),
        Some(lending::reserve_dashboard),
        lending::reserve_summary,
    ),
    info(
        Mechanism::Hrrt,
        ("EU Hybrid Rapid Response Teams", "HRRT"),
        "hybrid_rapid_response",
        (
            &["EEAS (EU Hybrid Rapid Response Teams)"],
            &[lending::Lender::Hrrt.kinds()[0].name],
        ),
        section!(hybrid_rapid_response),
        Some(lending::hrrt_dashboard),
        lending::hrrt_summary,
    ),
    info(
        Mechanism::Toolbox,
        ("Cyber Diplomacy Toolbox", "Toolbox"),
        "toolbox",
        (
            &["Council (Cyber Diplomacy Toolbox)"],
            &["toolbox_attribution", "toolbox_restrictive_measures"],
        ),
        section!(toolbox),
        Some(toolbox::dashboard),
        toolbox::summary,
    ),
    info(
        Mechanism::StratCom,
        ("StratCom / Rapid Alert System", "StratCom"),
        "stratcom",
        (&["EEAS StratCom and the Rapid Alert System"], &[]),
        section!(stratcom),
        Some(stratcom::dashboard),
        stratcom::summary,
    ),
    info(
        Mechanism::Solidarity,
        ("Solidarity clause (Art. 222)", "Art. 222"),
        "solidarity",
        (&[], &["solidarity_clause_art222"]),
        section!(solidarity),
        Some(solidarity::dashboard),
        solidarity::summary,
    ),
    info(
        Mechanism::Nato,
        ("NATO", "NATO"),
        "nato",
        (
            &["NATO (Hybrid Analysis Branch, Allied Command Operations)"],
            &[],
        ),
        section!(nato),
        Some(nato::dashboard),
        nato::summary,
    ),
];

impl Mechanism {
    pub fn info(self) -> &'static MechanismInfo {
        &MECHANISMS[self as usize]
    }
}

/// The mechanisms the merged response has, in [`MECHANISMS`] order.
pub fn present(r: &Response) -> impl Iterator<Item = &'static MechanismInfo> + '_ {
    MECHANISMS.iter().filter(|m| (m.present)(r))
}

/// The bodies that take part in `mechanisms`, in table order, each once.
pub fn participants(mechanisms: &[Mechanism]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for m in MECHANISMS.iter().filter(|m| mechanisms.contains(&m.id)) {
        for p in m.participants {
            if !out.contains(p) {
                out.push(p);
            }
        }
    }
    out
}

/// Does no EU or NATO mechanism take part?
pub fn national_only(r: &Response) -> bool {
    present(r).next().is_none()
}

/// Merges a run's playbooks in order: a section given again by a later
/// file replaces the earlier one, so a small file can vary one mechanism of
/// a full playbook.
pub fn merge(playbooks: &[LoadedPlaybook]) -> Response {
    let mut r = Response::default();
    for lp in playbooks {
        let p = &lp.playbook;
        r.names.push(p.name.clone());
        for m in MECHANISMS {
            (m.take)(&mut r, p);
        }
        if let Some(l) = &p.links {
            r.links = l.clone();
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_the_mechanisms() {
        for (i, m) in MECHANISMS.iter().enumerate() {
            assert_eq!(m.id as usize, i, "{}", m.name);
            assert_eq!(m.id.info().name, m.name);
        }
    }

    #[test]
    fn every_decision_kind_belongs_to_one_mechanism() {
        use super::super::DecisionKind as K;
        let kinds = [
            K::IpcrInformationSharing,
            K::IpcrFullActivation,
            K::Loan(super::super::lending::Lender::CyberReserve),
            K::Loan(super::super::lending::Lender::Hrrt),
            K::Solidarity,
            K::Attribution,
            K::RestrictiveMeasures,
        ]
        .into_iter()
        .chain(crate::playbook::Need::ALL.map(K::UcpmRequest));
        for k in kinds {
            let owners = MECHANISMS
                .iter()
                .filter(|m| m.decisions.contains(&k.kind()))
                .count();
            assert_eq!(owners, 1, "{}", k.id());
        }
        assert_eq!(K::Attribution.mechanism().id, Mechanism::Toolbox);
        assert_eq!(
            K::UcpmRequest(crate::playbook::Need::Repair).mechanism().id,
            Mechanism::Ucpm
        );
        assert_eq!(
            MECHANISMS.iter().map(|m| m.decisions.len()).sum::<usize>(),
            8
        );
    }

    #[test]
    fn dashboard_labels_fit_their_column() {
        for m in MECHANISMS {
            assert!(m.short.chars().count() <= 11, "{}", m.short);
        }
    }

    #[test]
    fn every_section_of_a_full_playbook_is_some_mechanism() {
        // The present-day playbook has every section.
        let full = crate::playbook::from_source(crate::diag::SourceFile::new(
            "eu_2025.ron",
            include_str!("../../../playbooks/eu_2025.ron"),
        ))
        .expect("the EU 2025 playbook loads");
        let r = merge(&[full]);
        assert_eq!(present(&r).count(), MECHANISMS.len());
        assert!(national_only(&merge(&[])));
    }
}
