//! Cross-reference checks after parsing: ids are unique, every reference names
//! an entity that exists, steps wait only for earlier steps. Each problem
//! points at the offending text and suggests the nearest known id.

use std::collections::{BTreeMap, BTreeSet};

use super::model::*;
use crate::diag::{Diagnostic, SourceFile, nearest};

/// Bodies every scenario may name in injects without declaring them: the
/// EU and NATO mechanisms that pacesim models, and exercise control.
pub const BODIES: &[(&str, &str)] = &[
    ("HFC", "EU Hybrid Fusion Cell (EU INTCEN)"),
    ("IPCR", "Council Presidency / IPCR"),
    ("COMMISSION", "European Commission"),
    ("ERCC", "Emergency Response Coordination Centre"),
    ("EEAS", "European External Action Service"),
    ("STRATCOM", "EEAS StratCom Task Forces"),
    ("RAS", "Rapid Alert System"),
    ("ENISA", "EU Agency for Cybersecurity"),
    ("CSIRTS", "CSIRTs Network"),
    (
        "NATO",
        "NATO (Hybrid Analysis Branch, Allied Command Operations)",
    ),
    ("EXCON", "Exercise control"),
];

/// Longest scenario accepted: a year and a day. Exercises span days to weeks;
/// the bound keeps a typo such as `1000d` from running for hours.
pub const MAX_DURATION: crate::engine::Duration = crate::engine::Duration::days(366);

/// Every problem in `s`, in file order of discovery.
pub fn check(s: &Scenario, src: &SourceFile) -> Vec<Diagnostic> {
    let mut c = Checker {
        src,
        diags: Vec::new(),
        blanks: BTreeMap::new(),
    };

    let countries = c.ids("country", s.countries.iter().map(|x| &x.id));
    let actors = c.ids("actor", s.actors.iter().map(|x| &x.id));
    let nodes = c.ids(
        "infrastructure node",
        s.infrastructure.nodes.iter().map(|x| &x.id),
    );
    let audiences = c.ids("audience", s.audiences.iter().map(|x| &x.id));
    let campaigns = c.ids("campaign", s.campaigns.iter().map(|x| &x.id));
    let narrative_ids = s
        .campaigns
        .iter()
        .flat_map(|cp| cp.steps.iter().map(|st| &st.action))
        .chain(s.msel.iter().filter_map(|i| i.effect.as_ref()))
        .filter_map(|a| match a {
            Action::Narrative { id, .. } => Some(id),
            _ => None,
        });
    let narratives = c.ids("narrative", narrative_ids);
    let objectives = c.ids("objective", s.objectives.iter().map(|x| &x.id));
    let mut senders: BTreeSet<&str> = countries.iter().chain(&actors).copied().collect();
    senders.extend(BODIES.iter().map(|b| b.0));
    let node_sector: BTreeMap<&str, Sector> = s
        .infrastructure
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.sector))
        .collect();
    let population: BTreeMap<&str, u64> = s
        .countries
        .iter()
        .map(|k| (k.id.as_str(), k.population))
        .collect();
    let refs = Refs {
        countries: &countries,
        population: &population,
        nodes: &nodes,
        audiences: &audiences,
        narratives: &narratives,
        node_sector: &node_sector,
    };

    if s.duration.0 == 0 || s.duration > MAX_DURATION {
        c.at_key(
            "duration",
            &format!("the scenario's duration must be above 0s and at most {MAX_DURATION}"),
            "out of range",
        );
    }
    for k in &s.countries {
        if k.population == 0 {
            c.at_value(
                "id",
                &k.id,
                format!("country `{}` has no population", k.id),
                "population 0",
            );
        }
    }
    for a in &s.actors {
        if let Some(k) = &a.country {
            c.refer("country", k, &countries);
        }
    }
    for n in &s.infrastructure.nodes {
        c.refer("country", &n.country, &countries);
    }
    for d in &s.infrastructure.dependencies {
        c.refer("supplier", &d.supplier, &nodes);
        c.refer("dependent", &d.dependent, &nodes);
        if d.supplier == d.dependent {
            c.at_value(
                "dependent",
                &d.dependent,
                format!("`{}` cannot depend on itself", d.dependent),
                "same as supplier",
            );
        }
    }
    for a in &s.audiences {
        c.refer("country", &a.country, &countries);
    }
    for cp in &s.campaigns {
        c.refer("actor", &cp.actor, &actors);
        if cp.steps.is_empty() {
            c.at_value(
                "id",
                &cp.id,
                format!("campaign `{}` has no steps", cp.id),
                "empty campaign",
            );
        }
        let mut earlier = BTreeSet::new();
        for st in &cp.steps {
            if let Some(after) = &st.after
                && after != CAMPAIGN_START
                && !earlier.contains(after.as_str())
            {
                let msg = if cp.steps.iter().any(|x| &x.id == after) {
                    format!(
                        "step `{}` waits for `{after}`, which comes later; a step can only wait for an earlier one",
                        st.id
                    )
                } else {
                    format!("campaign `{}` has no step `{after}`", cp.id)
                };
                let hint =
                    nearest(after, earlier.iter().copied()).map(|n| format!("did you mean `{n}`?"));
                c.push_value("after", after, msg, "unknown or later step", hint);
            }
            if st.id == CAMPAIGN_START {
                c.at_value(
                    "id",
                    &st.id,
                    format!("`{CAMPAIGN_START}` is reserved for the campaign's start"),
                    "reserved step id",
                );
            }
            if !earlier.insert(st.id.as_str()) {
                c.at_value(
                    "id",
                    &st.id,
                    format!("step id `{}` is used twice in campaign `{}`", st.id, cp.id),
                    "duplicate",
                );
            }
            c.action(&st.action, &refs);
        }
    }
    let mut numbers = BTreeSet::new();
    for inj in &s.msel {
        if !numbers.insert(inj.number) {
            c.at_key_value(
                "number",
                &inj.number.to_string(),
                format!("inject number {} is used twice", inj.number),
                "duplicate",
            );
        }
        c.refer("from", &inj.from, &senders);
        c.refer("to", &inj.to, &senders);
        if let Some(o) = &inj.objective {
            c.refer("objective", o, &objectives);
        }
        if let InjectTime::When(cond) = &inj.at {
            c.condition(cond, s, &refs);
        }
        if let Some(effect) = &inj.effect {
            c.action(effect, &refs);
        }
    }
    for o in &s.objectives {
        match &o.criterion {
            Criterion::DetectWithin { campaign, .. } => c.refer("campaign", campaign, &campaigns),
            Criterion::RestoreWithin {
                country: Some(k), ..
            }
            | Criterion::ServiceLossBelow {
                country: Some(k), ..
            } => c.refer("country", k, &countries),
            Criterion::TrustAbove { country, .. } => c.refer("country", country, &countries),
            Criterion::ReachBelow { narrative, .. } => c.refer("narrative", narrative, &narratives),
            Criterion::ServiceLossBelow { node_hours, .. }
                if !(node_hours.is_finite() && *node_hours >= 0.0) =>
            {
                c.at_key(
                    "node_hours",
                    "node_hours must be a number of hours, 0 or more",
                    "invalid",
                )
            }
            _ => {}
        }
    }
    c.diags
}

struct Refs<'a> {
    countries: &'a BTreeSet<&'a str>,
    population: &'a BTreeMap<&'a str, u64>,
    nodes: &'a BTreeSet<&'a str>,
    audiences: &'a BTreeSet<&'a str>,
    narratives: &'a BTreeSet<&'a str>,
    node_sector: &'a BTreeMap<&'a str, Sector>,
}

struct Checker<'a> {
    src: &'a SourceFile,
    diags: Vec<Diagnostic>,
    /// Blank ids reported so far, by text, to locate the next one.
    blanks: BTreeMap<String, usize>,
}

impl<'a> Checker<'a> {
    /// Collects ids of one kind, reporting duplicates and empty ids.
    fn ids<'s>(&mut self, kind: &str, ids: impl Iterator<Item = &'s String>) -> BTreeSet<&'s str> {
        let mut seen = BTreeSet::new();
        for id in ids {
            if id.trim().is_empty() {
                // Several entities may have the same blank id: point at the next one.
                let nth = self.blanks.entry(id.clone()).or_default();
                let this = *nth;
                *nth += 1;
                let (off, len) = self.find_nth("id", id, this);
                let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                self.diags.push(
                    Diagnostic::at(
                        self.src,
                        off,
                        len,
                        format!("{article} {kind} has an empty id"),
                        "empty id",
                    )
                    .with_help("give it a short unique id such as \"EE\" or \"EE-grid\""),
                );
            } else if !seen.insert(id.as_str()) {
                let second = self.find_nth("id", id, 1);
                let d = Diagnostic::at(
                    self.src,
                    second.0,
                    second.1,
                    format!("{kind} id `{id}` is used twice"),
                    "second use",
                )
                .with_help("ids must be unique; rename one of them");
                self.diags.push(d);
            }
        }
        seen
    }

    fn refer(&mut self, key: &str, value: &str, known: &BTreeSet<&str>) {
        if !known.contains(value) {
            let hint = nearest(value, known.iter().copied())
                .map(|n| format!("did you mean `{n}`?"))
                .or_else(|| {
                    (!known.is_empty() && known.len() <= 12).then(|| {
                        format!(
                            "known ids: {}",
                            known.iter().copied().collect::<Vec<_>>().join(", ")
                        )
                    })
                });
            self.push_value(
                key,
                value,
                format!("unknown {}: `{value}`", key.replace('_', " ")),
                "not defined in this file",
                hint,
            );
        }
    }

    fn action(&mut self, a: &Action, r: &Refs) {
        match a {
            Action::Intrusion { target, .. } | Action::Disrupt { target, .. } => {
                self.refer("target", target, r.nodes)
            }
            Action::Wiper { seeds, .. } => {
                if seeds.is_empty() {
                    self.at_key("seeds", "a wiper needs at least one seed node", "empty");
                }
                for n in seeds {
                    self.refer("seeds", n, r.nodes);
                }
            }
            Action::ElectionAttack { target, leak, .. } => {
                self.refer("target", target, r.nodes);
                if let Some(sector) = r
                    .node_sector
                    .get(target.as_str())
                    .filter(|s| **s != Sector::Elections)
                {
                    self.push_value(
                        "target",
                        target,
                        format!(
                            "an ElectionAttack needs an elections node; `{target}` is {}",
                            sector.name()
                        ),
                        "not an election system",
                        Some("use Disrupt for other sectors".into()),
                    );
                }
                if let Some(n) = leak {
                    self.refer("leak", n, r.narratives);
                }
            }
            Action::Release {
                country,
                site,
                exposed,
                ..
            } => {
                self.refer("country", country, r.countries);
                if r.population
                    .get(country.as_str())
                    .is_some_and(|p| u64::from(*exposed) > *p)
                {
                    self.at_key(
                        "exposed",
                        "a release cannot expose more people than the country has",
                        "more than the population",
                    );
                }
                if let Some(n) = site {
                    self.refer("site", n, r.nodes);
                }
                if *exposed == 0 {
                    self.at_key(
                        "exposed",
                        "a release must expose at least one person",
                        "zero",
                    );
                }
            }
            Action::Narrative { audiences, .. } => {
                if audiences.is_empty() {
                    self.at_key(
                        "audiences",
                        "a narrative needs at least one audience",
                        "empty",
                    );
                }
                for a in audiences {
                    self.refer("audiences", a, r.audiences);
                }
            }
            Action::Amplify {
                narrative, factor, ..
            } => {
                self.refer("narrative", narrative, r.narratives);
                if !(factor.is_finite() && *factor > 0.0 && *factor <= 100.0) {
                    self.at_key(
                        "factor",
                        "an amplification factor is a number above 0 and at most 100",
                        "out of range",
                    );
                }
            }
        }
    }

    fn condition(&mut self, cond: &Condition, s: &Scenario, r: &Refs) {
        match cond {
            Condition::NodeDown(n) => self.refer("NodeDown", n, r.nodes),
            Condition::StepSucceeded { campaign, step } => {
                match s.campaigns.iter().find(|c| &c.id == campaign) {
                    Some(c) => {
                        let steps = c.steps.iter().map(|x| x.id.as_str()).collect();
                        self.refer("step", step, &steps);
                    }
                    None => self.refer(
                        "campaign",
                        campaign,
                        &s.campaigns.iter().map(|c| c.id.as_str()).collect(),
                    ),
                }
            }
            Condition::ReachAbove { narrative, .. } => {
                self.refer("narrative", narrative, r.narratives)
            }
            Condition::TrustBelow { country, .. } => self.refer("country", country, r.countries),
            Condition::CasualtiesAbove(_) => {}
        }
    }

    fn push_value(
        &mut self,
        key: &str,
        value: &str,
        msg: String,
        label: &str,
        help: Option<String>,
    ) {
        let (off, len) = self.find_nth(key, value, 0);
        let d = Diagnostic::at(self.src, off, len, msg, label);
        self.diags.push(match help {
            Some(h) => d.with_help(h),
            None => d,
        });
    }

    fn at_value(&mut self, key: &str, value: &str, msg: String, label: &str) {
        self.push_value(key, value, msg, label, None);
    }

    fn at_key_value(&mut self, key: &str, raw: &str, msg: String, label: &str) {
        let (off, len) = locate_raw(&self.src.text, key, raw, 1)
            .or_else(|| locate_raw(&self.src.text, key, raw, 0))
            .unwrap_or((0, 0));
        self.diags
            .push(Diagnostic::at(self.src, off, len, msg, label));
    }

    fn at_key(&mut self, key: &str, msg: &str, label: &str) {
        let off = find_key(&self.src.text, key).unwrap_or(0);
        self.diags
            .push(Diagnostic::at(self.src, off, key.len(), msg, label));
    }

    /// Offset and length of the `nth` `"value"` written as the value of `key`
    /// (falling back to any occurrence of `"value"`, then to the file start).
    fn find_nth(&self, key: &str, value: &str, nth: usize) -> (usize, usize) {
        let quoted = format!("\"{value}\"");
        locate_raw(&self.src.text, key, &quoted, nth)
            .or_else(|| {
                self.src
                    .text
                    .match_indices(&quoted)
                    .nth(nth)
                    .map(|(i, q)| (i, q.len()))
            })
            .or_else(|| self.src.text.find(&quoted).map(|i| (i, quoted.len())))
            .unwrap_or((0, 0))
    }
}

/// Finds the `nth` occurrence of `raw` that is the value (or a list element)
/// of `key:`, skipping comments' influence by scanning back over separators.
fn locate_raw(text: &str, key: &str, raw: &str, nth: usize) -> Option<(usize, usize)> {
    text.match_indices(raw)
        .filter(|(i, _)| key_before(text, *i) == Some(key))
        .nth(nth)
        .map(|(i, r)| (i, r.len()))
}

/// The field name whose value (or list) contains the text at `at`.
fn key_before(text: &str, at: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut i = at;
    loop {
        while i > 0 && bytes[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        if i == 0 {
            return None;
        }
        match bytes[i - 1] {
            b',' | b'[' => i -= 1,
            b'"' => {
                // Skip a previous list element "...".
                i -= 1;
                while i > 0 && bytes[i - 1] != b'"' {
                    i -= 1;
                }
                i = i.checked_sub(1)?;
            }
            b'(' => {
                // A tuple-variant argument such as NodeDown("x"): the key is the variant name.
                let end = i - 1;
                let start = text[..end]
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(0, |p| p + 1);
                return Some(&text[start..end]);
            }
            b':' => {
                let end = text[..i - 1].trim_end().len();
                let start = text[..end]
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(0, |p| p + 1);
                return Some(&text[start..end]);
            }
            _ => return None,
        }
    }
}

fn find_key(text: &str, key: &str) -> Option<usize> {
    let pat = format!("{key}:");
    text.match_indices(&pat)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_key_a_value_belongs_to() {
        let t = r#"(supplier: "A", seeds: ["B", "C"], x: NodeDown("D"))"#;
        for (v, k) in [
            ("\"A\"", "supplier"),
            ("\"B\"", "seeds"),
            ("\"C\"", "seeds"),
            ("\"D\"", "NodeDown"),
        ] {
            let at = t.find(v).unwrap();
            assert_eq!(key_before(t, at), Some(k), "{v}");
        }
    }
}
