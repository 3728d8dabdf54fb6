//! Playbooks: the EU and NATO response, as files a planner can swap and edit.
//!
//! [`model`] is the file format. Loading parses it with the same positioned
//! diagnostics as scenarios and checks what the types cannot (positive
//! capacities, unique module ids, sensible thresholds). [`Response`] merges
//! the playbooks of one run: a section given again by a later file replaces
//! the earlier one, so a small file can vary one mechanism of a full playbook.

pub mod model;

use std::path::{Path, PathBuf};

pub use model::*;

use crate::diag::{Diagnostic, SourceFile};
use crate::engine::Dist;
use crate::input::load;
use crate::input::locate::{Locator, ValuePath};

/// Playbooks shipped in `playbooks/`, built into the binary so that the
/// bundled default scenario finds the playbooks it names from any directory.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "playbooks/eu_2019.ron",
        include_str!("../../playbooks/eu_2019.ron"),
    ),
    (
        "playbooks/eu_forward_leaning.ron",
        include_str!("../../playbooks/eu_forward_leaning.ron"),
    ),
    (
        "playbooks/national_only.ron",
        include_str!("../../playbooks/national_only.ron"),
    ),
];

/// A checked playbook and the text it came from.
#[derive(Clone, Debug)]
pub struct LoadedPlaybook {
    pub source: SourceFile,
    pub playbook: Playbook,
}

pub fn load_file(path: &Path) -> Result<LoadedPlaybook, Vec<Diagnostic>> {
    let source = load::read_source(path).map_err(|d| vec![d])?;
    from_source(source)
}

pub fn from_source(source: SourceFile) -> Result<LoadedPlaybook, Vec<Diagnostic>> {
    let playbook: Playbook = load::parse(&source, "Playbook").map_err(|d| vec![d])?;
    let problems = check(&playbook, &source);
    if problems.is_empty() {
        Ok(LoadedPlaybook { source, playbook })
    } else {
        Err(problems)
    }
}

/// Loads the playbooks a scenario names, relative to the scenario file. For
/// the bundled scenario (or when the file is not on disk) the bundled copy of
/// a shipped playbook is used.
pub fn load_named(
    scenario_path: &str,
    names: &[String],
) -> Result<Vec<LoadedPlaybook>, Vec<Diagnostic>> {
    let base = Path::new(scenario_path).parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for name in names {
        let path = normalise(&base.join(name));
        let on_disk = path.is_file();
        let bundled = BUNDLED.iter().find(|(p, _)| Path::new(p) == path.as_path());
        let loaded = match (on_disk, bundled) {
            (true, _) => load_file(&path)?,
            (false, Some((p, text))) => from_source(SourceFile::new(*p, *text))?,
            (false, None) => {
                return Err(vec![
                    Diagnostic::file(
                        scenario_path,
                        format!(
                            "the scenario names playbook `{name}`, but {} does not exist",
                            path.display()
                        ),
                    )
                    .with_help("paths in `playbooks` are relative to the scenario file"),
                ]);
            }
        };
        out.push(loaded);
    }
    Ok(out)
}

/// Resolves `.` and `..` without touching the file system.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The merged response of one run, with the file each mechanism came from.
#[derive(Clone, Debug, Default)]
pub struct Response {
    pub names: Vec<String>,
    pub links: Vec<Link>,
    pub fusion_cell: Option<FusionCell>,
    pub protocol: Option<Protocol>,
    pub ipcr: Option<Ipcr>,
    pub ucpm: Option<Ucpm>,
    pub blueprint: Option<Blueprint>,
    pub cyber_reserve: Option<CyberReserve>,
    pub hybrid_rapid_response: Option<HybridRapidResponse>,
    pub toolbox: Option<Toolbox>,
    pub stratcom: Option<StratCom>,
    pub solidarity: Option<Solidarity>,
    pub nato: Option<Nato>,
}

impl Response {
    /// The delay on the link `from` → `to`, if there is one.
    pub fn link(&self, from: Body, to: Body) -> Option<&Dist> {
        self.links
            .iter()
            .find(|l| l.from == from && l.to == to)
            .map(|l| &l.delay)
    }
}

/// What the types cannot say: capacities of at least one, positive scales,
/// unique module ids, links between two different bodies, given once.
/// Each problem is shown at the field it is about.
fn check(p: &Playbook, src: &SourceFile) -> Vec<Diagnostic> {
    let mut problems: Vec<(ValuePath, String, &str)> = Vec::new();
    let mut flag = |at: ValuePath, msg: String, help: &'static str| problems.push((at, msg, help));
    let never_acts = |key: &str| format!("`{key}` is 0: the mechanism could never act");
    const AT_LEAST_ONE: &str = "give it at least 1, or leave the section out";
    if let Some(f) = &p.fusion_cell {
        let at = |key| ValuePath::of("fusion_cell").key(key);
        if f.analysts == 0 {
            flag(at("analysts"), never_acts("analysts"), AT_LEAST_ONE);
        }
        check_scale(&mut flag, "fusion_cell", f.evidence_scale);
        let w = f.weights;
        let all = [
            w.member_states,
            w.csirts,
            w.stratcom,
            w.open_source,
            w.nato,
            w.csdp,
        ];
        if all.iter().any(|x| !(x.is_finite() && *x >= 0.0)) {
            flag(
                at("weights"),
                "source weights must be numbers of zero or more".into(),
                "1.0 is a confirmed member-state report; open sources are usually weaker",
            );
        }
        if !(f.linking_bonus.is_finite() && f.linking_bonus >= 1.0) {
            flag(
                at("linking_bonus"),
                format!(
                    "`linking_bonus` must be at least 1.0, found {}",
                    f.linking_bonus
                ),
                "1.0 means no bonus for linking a new domain or country",
            );
        }
    }
    if let Some(u) = &p.ucpm
        && u.ercc_desks == 0
    {
        flag(
            ValuePath::of("ucpm").key("ercc_desks"),
            never_acts("ercc_desks"),
            AT_LEAST_ONE,
        );
    }
    if let Some(r) = &p.cyber_reserve {
        let at = |key| ValuePath::of("cyber_reserve").key(key);
        if r.teams == 0 {
            flag(at("teams"), never_acts("teams"), AT_LEAST_ONE);
        }
        if r.per_request == 0 {
            flag(at("per_request"), never_acts("per_request"), AT_LEAST_ONE);
        } else if r.per_request > r.teams {
            flag(
                at("per_request"),
                format!(
                    "`per_request` is {} but the Reserve has only {} teams",
                    r.per_request, r.teams
                ),
                "a request is lent at most the teams the Reserve has",
            );
        }
    }
    if let Some(h) = &p.hybrid_rapid_response {
        let at = |key| ValuePath::of("hybrid_rapid_response").key(key);
        if h.teams == 0 {
            flag(at("teams"), never_acts("teams"), AT_LEAST_ONE);
        }
        if h.csirt_teams == 0 && h.stratcom.0 == 0.0 {
            flag(
                at("stratcom"),
                "a team with `stratcom` 0 and no `csirt_teams` brings nothing".into(),
                "give it strategic-communication strength, incident responders, or both",
            );
        }
    }
    // A team lent for no time would be asked for again at once, every review.
    let stays = [
        ("cyber_reserve", p.cyber_reserve.as_ref().map(|r| r.stay)),
        (
            "hybrid_rapid_response",
            p.hybrid_rapid_response.as_ref().map(|h| h.stay),
        ),
    ];
    for (section, stay) in stays {
        if stay.is_some_and(|s| s.0 == 0) {
            flag(
                ValuePath::of(section).key("stay"),
                "`stay` is 0: the teams would leave as they arrive".into(),
                "give the time the teams stay, e.g. \"14d\"",
            );
        }
    }
    if let Some(n) = &p.nato {
        if n.analysts == 0 {
            flag(
                ValuePath::of("nato").key("analysts"),
                never_acts("analysts"),
                AT_LEAST_ONE,
            );
        }
        check_scale(&mut flag, "nato", n.evidence_scale);
    }
    // The UCPM pool and the solidarity offers share one space of module ids.
    let pool = p.ucpm.iter().flat_map(|u| {
        u.modules
            .iter()
            .enumerate()
            .map(|(i, m)| (("ucpm", "modules", i), m))
    });
    let offers = p.solidarity.iter().flat_map(|s| {
        s.offers
            .iter()
            .enumerate()
            .map(|(i, m)| (("solidarity", "offers", i), m))
    });
    let mut seen = std::collections::BTreeSet::new();
    for ((section, list, i), m) in pool.chain(offers) {
        if !seen.insert(m.id.as_str()) {
            flag(
                ValuePath::of(section).key(list).index(i).key("id"),
                format!("module id `{}` is used twice", m.id),
                "module ids must be unique across the UCPM pool and solidarity offers",
            );
        }
    }
    if let Some(links) = &p.links {
        let mut pairs = std::collections::BTreeSet::new();
        for (i, l) in links.iter().enumerate() {
            let at = ValuePath::of("links").index(i).key("from");
            if l.from == l.to {
                flag(
                    at,
                    format!("a link from {:?} to itself", l.from),
                    "a link joins two different bodies",
                );
            } else if !pairs.insert((l.from, l.to)) {
                flag(
                    at,
                    format!("the link {:?} -> {:?} is given twice", l.from, l.to),
                    "keep one of them",
                );
            }
        }
    }
    // Located only when something is wrong, at the field's name.
    let mut text = Locator::new(&src.text);
    problems
        .into_iter()
        .map(|(at, msg, help)| {
            let found = text.find(at.segs());
            let span = found.key.unwrap_or(found.value);
            Diagnostic::at(src, span.start, span.len(), msg, "here").with_help(help)
        })
        .collect()
}

fn check_scale(
    flag: &mut impl FnMut(ValuePath, String, &'static str),
    section: &'static str,
    scale: f64,
) {
    if !(scale.is_finite() && scale > 0.0) {
        flag(
            ValuePath::of(section).key("evidence_scale"),
            format!("`evidence_scale` must be a positive number, found {scale}"),
            "e.g. 4.0: four indicators' worth of evidence give 63 % confidence",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_playbooks_are_valid() {
        for (name, text) in BUNDLED {
            if let Err(d) = from_source(SourceFile::new(*name, *text)) {
                panic!("{name}: {}", d[0]);
            }
        }
    }

    #[test]
    fn later_sections_replace_earlier_ones() {
        let a = from_source(SourceFile::new("a.ron", BUNDLED[0].1)).unwrap();
        let b = from_source(SourceFile::new(
            "b.ron",
            "Playbook(name: \"no NATO\", nato: None)",
        ))
        .unwrap();
        let r = crate::response::eu::mechanisms::merge(&[a.clone(), b]);
        assert!(r.nato.is_some(), "an absent section leaves the earlier one");
        assert_eq!(r.names.len(), 2);
        assert!(!crate::response::eu::mechanisms::national_only(
            &crate::response::eu::mechanisms::merge(&[a])
        ));
    }

    #[test]
    fn zero_capacity_is_located() {
        let text = "Playbook(\n  name: \"x\",\n  ucpm: Some((request: (when: Overwhelmed, deliberation: Fixed(\"2h\")),\n    ercc_desks: 0, processing: Fixed(\"6h\"), modules: [])),\n)";
        let d = from_source(SourceFile::new("p.ron", text)).unwrap_err();
        assert_eq!(d[0].position.map(|p| p.0), Some(4), "{}", d[0]);
    }

    #[test]
    fn problems_are_shown_at_their_field_not_at_a_look_alike() {
        // A comment naming the field first, and the field written last.
        let text = BUNDLED[0].1.replacen(
            "        mode: Parallel,\n        analysts: 4,\n",
            "        // analysts: how many work at once\n        mode: Parallel,\n",
            1,
        );
        let text = text.replacen(
            "        duplication: 0.25,\n",
            "        duplication: 0.25,\n        analysts: 0,\n",
            1,
        );
        let d = from_source(SourceFile::new("p.ron", text.as_str())).unwrap_err();
        let want = text.find("analysts: 0").unwrap();
        assert_eq!(
            d[0].position,
            Some(SourceFile::new("p.ron", text.as_str()).line_col(want)),
            "{}",
            d[0]
        );
    }

    #[test]
    fn relative_names_resolve_against_the_scenario() {
        assert_eq!(
            normalise(&Path::new("scenarios").join("../playbooks/eu_2019.ron")),
            PathBuf::from("playbooks/eu_2019.ron")
        );
    }
}
