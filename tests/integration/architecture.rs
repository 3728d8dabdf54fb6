//! The rooms of the source tree (its top-level modules, with `response::eu`
//! and `response::national` as rooms of their own) import each other
//! without a circle, and the engine stays free of bevy and of the domain.
//!
//! A room's imports are the `crate::ROOM` paths in its files (comments and
//! unit-test files left out), so the check sees every use, qualified or not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util::root;

/// The room a source file belongs to, e.g. `src/response/eu/ucpm.rs` → `response::eu`.
fn room_of_file(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    room(&parts)
}

fn room(parts: &[String]) -> String {
    match parts {
        [first, second, ..] if first == "response" && second != "mod" => {
            format!("response::{second}")
        }
        [first, ..] => first.clone(),
        [] => String::new(),
    }
}

/// Source text without comments and without a trailing `mod tests` block.
fn code(text: &str) -> String {
    let text = text
        .find("#[cfg(test)]\nmod tests {")
        .map_or(text, |at| &text[..at]);
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths written after a `crate::`: one, or each of a `{a::b, c}` group.
fn paths(after: &str) -> Vec<Vec<String>> {
    let split = |p: &str| -> Vec<String> {
        p.split("::")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    if let Some(group) = after.strip_prefix('{') {
        let (mut depth, mut start, mut out) = (0, 0, Vec::new());
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    out.push(split(&group[start..i]));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(split(&group[start..i]));
                    start = i + 1;
                }
                _ => {}
            }
        }
        return out;
    }
    let end = after
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(after.len());
    vec![split(&after[..end])]
}

/// Every room and the rooms it imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = root().join("src");
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src/") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&src).expect("under src/");
            let name = rel.file_name().unwrap_or_default();
            if path.extension().is_none_or(|e| e != "rs") || name == "tests.rs" {
                continue;
            }
            let this = room_of_file(rel);
            if this == "main" || this == "lib" {
                continue;
            }
            let text = code(&std::fs::read_to_string(&path).expect("read a source file"));
            let used = edges.entry(this.clone()).or_default();
            for (at, _) in text.match_indices("crate::") {
                for path in paths(&text[at + "crate::".len()..]) {
                    let other = room(&path);
                    if !other.is_empty() && other != this && other != "response" {
                        used.insert(other);
                    }
                }
            }
        }
    }
    edges
}

/// A circle through `start`, if there is one.
fn circle(
    edges: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    at: &str,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    for next in edges.get(at).into_iter().flatten() {
        if next == start {
            let mut c = path.clone();
            c.push(start.to_string());
            return Some(c);
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if let Some(c) = circle(edges, start, next, path, seen) {
                return Some(c);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn rooms_import_each_other_without_a_circle() {
    let edges = imports();
    assert!(edges.len() >= 20, "found only {} rooms", edges.len());
    let circles: Vec<String> = edges
        .keys()
        .filter_map(|r| circle(&edges, r, r, &mut vec![r.clone()], &mut BTreeSet::new()))
        .map(|c| c.join(" -> "))
        .collect();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_engine_knows_neither_bevy_nor_the_domain() {
    let edges = imports();
    let engine = &edges["engine"];
    assert!(engine.is_empty(), "the engine imports {engine:?}");
    let dir = root().join("src/engine");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = code(&std::fs::read_to_string(&path).unwrap());
        assert!(!text.contains("bevy"), "{} uses bevy", path.display());
    }
}

#[test]
fn grouped_imports_count_each_room() {
    assert_eq!(
        paths("{infra::Cause, log::{Record, Event}, world};"),
        [
            vec!["infra".to_string(), "Cause".into()],
            vec!["log".into(), "{Record, Event}".into()],
            vec!["world".into()]
        ]
    );
}

#[test]
fn the_check_sees_a_circle_when_there_is_one() {
    let mut edges = imports();
    edges
        .entry("engine".into())
        .or_default()
        .insert("exercise".into());
    assert!(
        circle(
            &edges,
            "engine",
            "engine",
            &mut vec![],
            &mut BTreeSet::new()
        )
        .is_some(),
        "engine -> exercise -> ... -> engine should be a circle"
    );
}
