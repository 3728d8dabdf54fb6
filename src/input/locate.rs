//! Finding a value in RON text by its path in the typed model.
//!
//! The RON parser keeps no positions for values, so a problem found after
//! parsing (an unknown id, a number out of range) is recorded with the
//! [`ValuePath`] of the value at fault, such as
//! `campaigns[3].steps[2].action.target`, and only when there is a problem
//! does a [`Locator`] walk the text along that path to the value's span. A
//! valid file costs nothing.
//!
//! The walk knows just enough RON to step over what it does not descend
//! into: strings with escapes, raw strings, chars, `//` and nested `/* */`
//! comments, and `()`, `[]` and `{}` groups, named (`Disrupt(target: "x")`)
//! or not. Fields are found by name, in any order; `Some(x)` and one-value
//! wrappers such as `When(NodeDown("x"))` are looked through when a field is
//! wanted inside them. The text is expected to have parsed; on anything else
//! the walk stops at the nearest enclosing value it found. It never recurses
//! and reads each group's entries once, however many paths are located.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

/// One step along a [`ValuePath`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A struct field, or a named field of an enum variant.
    Key(&'static str),
    /// An element of a list, or the n-th value of a tuple or tuple variant.
    Index(usize),
}

/// Where a value sits in a parsed file, e.g. `infrastructure.dependencies[40].supplier`.
/// `Some(..)` is not part of a path: an optional value is named like a plain one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValuePath(Vec<Seg>);

impl ValuePath {
    /// The path of the top-level field `key`.
    pub fn of(key: &'static str) -> Self {
        ValuePath(vec![Seg::Key(key)])
    }

    pub fn key(mut self, key: &'static str) -> Self {
        self.0.push(Seg::Key(key));
        self
    }

    pub fn index(mut self, i: usize) -> Self {
        self.0.push(Seg::Index(i));
        self
    }

    pub fn segs(&self) -> &[Seg] {
        &self.0
    }
}

impl fmt::Display for ValuePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// What a path led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Byte span of the value (inside `Some(..)` if it is wrapped).
    pub value: Range<usize>,
    /// Byte span of the field name, when the path ends at a named field.
    pub key: Option<Range<usize>>,
    /// `false` when the path could not be followed to its end: `value` is
    /// then the innermost enclosing value that was found.
    pub exact: bool,
}

/// Walks one RON text along value paths, remembering the entries of each
/// group it has read so that locating many problems stays linear in the text.
pub struct Locator<'t> {
    src: &'t str,
    text: &'t [u8],
    /// Entries of the groups read so far, by the offset of their opening bracket.
    groups: BTreeMap<usize, Vec<Entry>>,
}

/// One entry of a group: `key: value` or a bare value.
#[derive(Clone, Debug)]
struct Entry {
    key: Option<Range<usize>>,
    value: usize,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Locator {
            src: text,
            text: text.as_bytes(),
            groups: BTreeMap::new(),
        }
    }

    /// The span of the value at `path`, or of the nearest enclosing value found.
    pub fn find(&mut self, path: &[Seg]) -> Found {
        let mut at = self.top_value();
        let mut key = None;
        for seg in path {
            at = self.through_some(at);
            match self.child(at, *seg) {
                Some(entry) => {
                    at = entry.value;
                    key = entry.key;
                }
                None => {
                    return Found {
                        value: at..self.value_end(at),
                        key: None,
                        exact: false,
                    };
                }
            }
        }
        at = self.through_some(at);
        Found {
            value: at..self.value_end(at),
            key,
            exact: true,
        }
    }

    /// Start of the file's one value, after comments and `#![enable(..)]` attributes.
    fn top_value(&self) -> usize {
        let mut i = self.trivia_end(0);
        while self.text[i..].starts_with(b"#!") {
            i = self.trivia_end(i + 2);
            if self.byte(i) != Some(b'[') {
                break;
            }
            i = self.trivia_end(self.group_end(i));
        }
        i
    }

    /// The entry `seg` names in the value at `at`, looking through wrappers
    /// of one unnamed value when a field is wanted.
    fn child(&mut self, mut at: usize, seg: Seg) -> Option<Entry> {
        loop {
            let open = self.group_open(at)?;
            self.read_group(open);
            let text = self.text;
            let entries = &self.groups[&open];
            let found = match seg {
                Seg::Index(n) => entries.get(n),
                Seg::Key(name) => entries.iter().find(|e| {
                    e.key
                        .as_ref()
                        .is_some_and(|k| key_text(&text[k.clone()]) == name.as_bytes())
                }),
            };
            match (found, seg, entries.as_slice()) {
                (Some(e), _, _) => return Some(e.clone()),
                (None, Seg::Key(_), [only]) if only.key.is_none() && text[open] == b'(' => {
                    at = only.value;
                }
                _ => return None,
            }
        }
    }

    /// `at` moved inside any `Some(..)` around the value there.
    fn through_some(&mut self, mut at: usize) -> usize {
        while self.text[at..].starts_with(b"Some") && self.atom_end(at) == at + 4 {
            let Some(open) = self.group_open(at) else {
                break;
            };
            self.read_group(open);
            match self.groups[&open].as_slice() {
                [only] if only.key.is_none() => at = only.value,
                _ => break,
            }
        }
        at
    }

    /// Offset of the opening bracket of the group the value at `at` is or
    /// names (`Name(..)`, `(..)`, `[..]`, `{..}`), if it is one.
    fn group_open(&self, at: usize) -> Option<usize> {
        let open = match self.byte(at)? {
            b'(' | b'[' | b'{' => at,
            c if is_atom_byte(c) => self.trivia_end(self.atom_end(at)),
            _ => return None,
        };
        matches!(self.byte(open), Some(b'(' | b'[' | b'{')).then_some(open)
    }

    /// Reads the entries of the group opening at `open`, once.
    fn read_group(&mut self, open: usize) {
        if !self.groups.contains_key(&open) {
            let entries = self.read_entries(open);
            self.groups.insert(open, entries);
        }
    }

    fn read_entries(&self, open: usize) -> Vec<Entry> {
        let mut entries = Vec::new();
        let mut i = self.trivia_end(open + 1);
        while let Some(c) = self.byte(i) {
            if matches!(c, b')' | b']' | b'}') {
                break;
            }
            // `name: value` in structs, `key: value` in maps, a bare value otherwise.
            let mut entry = Entry {
                key: None,
                value: i,
            };
            if self.text[open] != b'[' {
                let key_end = if self.text[open] == b'{' {
                    self.value_end(i)
                } else if is_ident_start(c) && !self.starts_string(i) {
                    self.atom_end(i)
                } else {
                    i
                };
                let colon = self.trivia_end(key_end);
                if key_end > i && self.byte(colon) == Some(b':') {
                    entry = Entry {
                        key: Some(i..key_end),
                        value: self.trivia_end(colon + 1),
                    };
                }
            }
            let end = self.value_end(entry.value);
            entries.push(entry);
            i = self.trivia_end(end);
            // Each entry moves `i` on by at least a byte, so this ends.
            if self.byte(i) == Some(b',') {
                i = self.trivia_end(i + 1);
            }
        }
        entries
    }

    /// End of the value starting at `at`: at least one byte past it, unless
    /// there is no value there (the end of the text or of the enclosing group).
    fn value_end(&self, at: usize) -> usize {
        let Some(c) = self.byte(at) else {
            return at;
        };
        match c {
            b'(' | b'[' | b'{' => self.group_end(at),
            // A missing value: the enclosing group ends here.
            b')' | b']' | b'}' => at,
            _ if self.starts_string(at) => self.string_end(at),
            _ if is_atom_byte(c) => {
                let end = self.atom_end(at);
                let next = self.trivia_end(end);
                // `Name(..)`: a named struct, tuple struct or variant.
                if self.byte(next) == Some(b'(') && is_ident_start(c) {
                    self.group_end(next)
                } else {
                    end
                }
            }
            _ => at + 1,
        }
    }

    /// End of the bracketed group opening at `open`, past its closing bracket.
    fn group_end(&self, open: usize) -> usize {
        let mut depth = 0usize;
        let mut i = open;
        while let Some(c) = self.byte(i) {
            match c {
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    i += 1;
                    if depth == 0 {
                        return i;
                    }
                }
                b'/' if matches!(self.byte(i + 1), Some(b'/' | b'*')) => i = self.trivia_end(i),
                _ if self.starts_string(i) => i = self.string_end(i),
                _ if is_atom_byte(c) => i = self.atom_end(i),
                _ => i += 1,
            }
        }
        i
    }

    /// Does a string, raw string, byte string or char literal start at `i`?
    fn starts_string(&self, i: usize) -> bool {
        let t = &self.text[i..];
        let after_prefix = match t {
            [b'"' | b'\'', ..] => return true,
            [b'b', b'"' | b'\'', ..] => return true,
            [b'b', b'r', rest @ ..] | [b'r', rest @ ..] => rest,
            _ => return false,
        };
        let hashes = after_prefix.iter().take_while(|&&c| c == b'#').count();
        after_prefix.get(hashes) == Some(&b'"')
    }

    /// End of the string or char literal starting at `i` (see [`Self::starts_string`]).
    fn string_end(&self, mut i: usize) -> usize {
        if self.byte(i) == Some(b'b') {
            i += 1;
        }
        match self.byte(i) {
            Some(b'r') => {
                let hashes = self.text[i + 1..]
                    .iter()
                    .take_while(|&&c| c == b'#')
                    .count();
                let body = i + 1 + hashes + 1;
                let mut j = body;
                while j < self.text.len() {
                    let closing = self.text.get(j + 1..j + 1 + hashes);
                    if self.text[j] == b'"' && closing.is_some_and(|h| h.iter().all(|&c| c == b'#'))
                    {
                        return j + 1 + hashes;
                    }
                    j += 1;
                }
                self.text.len()
            }
            Some(quote) => {
                let mut j = i + 1;
                while let Some(c) = self.byte(j) {
                    match c {
                        b'\\' => j += 2,
                        _ if c == quote => return j + 1,
                        _ => j += 1,
                    }
                }
                self.text.len()
            }
            None => i,
        }
    }

    /// End of the identifier, number or raw identifier (`r#name`) at `i`.
    fn atom_end(&self, i: usize) -> usize {
        let start = if self.text[i..].starts_with(b"r#") {
            i + 2
        } else {
            i
        };
        let len = self.text[start..]
            .iter()
            .take_while(|&&c| is_atom_byte(c))
            .count();
        (start + len).max(i + 1).min(self.text.len())
    }

    /// First offset at or after `i` that is neither whitespace nor a comment.
    fn trivia_end(&self, mut i: usize) -> usize {
        loop {
            match self.text.get(i..) {
                Some([c, ..]) if c.is_ascii_whitespace() || *c == 0x0b => i += 1,
                Some([b'/', b'/', ..]) => {
                    i += self.text[i..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .unwrap_or(self.text.len() - i);
                }
                Some([b'/', b'*', ..]) => i = self.block_comment_end(i),
                Some([c, ..]) if *c >= 0x80 => {
                    // RON also counts a few Unicode characters as whitespace.
                    match self.src.get(i..).and_then(|s| s.chars().next()) {
                        Some(
                            c @ ('\u{85}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'),
                        ) => i += c.len_utf8(),
                        _ => return i,
                    }
                }
                _ => return i,
            }
        }
    }

    /// End of the (possibly nested) block comment opening at `i`.
    fn block_comment_end(&self, mut i: usize) -> usize {
        let mut depth = 0usize;
        while i < self.text.len() {
            match &self.text[i..] {
                [b'/', b'*', ..] => {
                    depth += 1;
                    i += 2;
                }
                [b'*', b'/', ..] => {
                    depth = depth.saturating_sub(1);
                    i += 2;
                    if depth == 0 {
                        return i;
                    }
                }
                _ => i += 1,
            }
        }
        self.text.len()
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.text.get(i).copied()
    }
}

/// Bytes of identifiers and numbers (`-1.5e3`, `0x1F`, `inf`, UTF-8 letters).
fn is_atom_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'+' | b'-') || c >= 0x80
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

/// A field name or map key as written, without `r#` or quotes.
fn key_text(raw: &[u8]) -> &[u8] {
    let raw = raw.strip_prefix(b"r#").unwrap_or(raw);
    raw.strip_prefix(b"\"")
        .and_then(|r| r.strip_suffix(b"\""))
        .unwrap_or(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the value at `path` in `text`, and whether the path was followed to its end.
    fn at<'t>(text: &'t str, path: &ValuePath) -> (&'t str, bool) {
        let found = Locator::new(text).find(path.segs());
        (&text[found.value], found.exact)
    }

    #[test]
    fn fields_are_found_in_any_order_inside_named_variants() {
        let text = r#"Scenario(
            campaigns: [
                (steps: [(action: Disrupt(severity: 0.5, target: "EE-grid"), id: "a")], id: "c"),
                (id: "d", steps: [
                    (id: "b", action: Intrusion(target: "EE-tel")),
                    (id: "e", action: Wiper(seeds: ["x", "EE-bank"], spread: 0.5)),
                ]),
            ],
        )"#;
        let step = |c, s| ValuePath::of("campaigns").index(c).key("steps").index(s);
        for (path, want) in [
            (step(0, 0).key("action").key("target"), r#""EE-grid""#),
            (step(0, 0).key("id"), r#""a""#),
            (step(1, 0).key("action").key("target"), r#""EE-tel""#),
            (
                step(1, 1).key("action").key("seeds").index(1),
                r#""EE-bank""#,
            ),
            (ValuePath::of("campaigns").index(1).key("id"), r#""d""#),
        ] {
            assert_eq!(at(text, &path), (want, true), "{path}");
        }
    }

    #[test]
    fn strings_comments_and_raw_strings_are_stepped_over() {
        let text = r##"(
            // a comment with a "quote" and a ) bracket
            a: "say \"hi\" (or not)", /* block /* nested "x" ) */ still comment ] */
            b: r#"raw " ) ] string"#,
            c: 'x', d: '\'', e: ')', f: b"bytes\")", g: br"raw bytes(",
            target: "here",
        )"##;
        assert_eq!(at(text, &ValuePath::of("target")), (r#""here""#, true));
        assert_eq!(
            at(text, &ValuePath::of("b")),
            (r##"r#"raw " ) ] string"#"##, true)
        );
        assert_eq!(
            at(text, &ValuePath::of("a")),
            (r#""say \"hi\" (or not)""#, true)
        );
    }

    #[test]
    fn options_and_one_value_wrappers_are_looked_through() {
        let text = r#"(
            msel: [
                (number: 1, at: Time("1h"), effect: None),
                (number: 2, at: When(NodeDown("EE-grid")),
                 effect: Some(Amplify(narrative: "blackout", factor: 0.0))),
                (number: 3, at: When(StepSucceeded(step: "trip", campaign: "grid"))),
            ],
            after: Some("phish"),
        )"#;
        let inject = |k| ValuePath::of("msel").index(k);
        for (path, want) in [
            (inject(1).key("at").index(0).index(0), r#""EE-grid""#),
            (inject(1).key("effect").key("factor"), "0.0"),
            (inject(2).key("at").index(0).key("campaign"), r#""grid""#),
            // A field asked for through a wrapper without naming its position.
            (inject(2).key("at").key("step"), r#""trip""#),
            (ValuePath::of("after"), r#""phish""#),
        ] {
            assert_eq!(at(text, &path), (want, true), "{path}");
        }
    }

    #[test]
    fn a_path_that_cannot_be_followed_stops_at_the_enclosing_value() {
        let text = r#"(nodes: [(id: "a"), (id: "b", hardening: 0.3)])"#;
        let nodes = ValuePath::of("nodes");
        assert_eq!(
            at(text, &nodes.clone().index(1).key("serves")),
            (r#"(id: "b", hardening: 0.3)"#, false)
        );
        assert!(!at(text, &nodes.index(7)).1);
        // Hostile or cut-off text never panics.
        for text in [
            "",
            "(",
            "(a: ",
            "(a: \"open",
            "(a: r#\"x",
            "/* open",
            "(a: [1, 2",
            "\u{85}(a:1)",
        ] {
            Locator::new(text).find(ValuePath::of("a").index(3).segs());
        }
    }

    #[test]
    fn every_prefix_of_a_real_file_is_walked_without_panicking() {
        let text = include_str!("../../tests/data/mini.ron");
        let target = ValuePath::of("campaigns")
            .index(2)
            .key("steps")
            .index(1)
            .key("action")
            .key("factor");
        let whole = Locator::new(text).find(target.segs());
        assert_eq!((&text[whole.value], whole.exact), ("3.0", true));
        for cut in (0..text.len()).step_by(3) {
            let found = Locator::new(&text[..cut]).find(target.segs());
            assert!(found.value.start <= found.value.end && found.value.end <= cut);
        }
    }

    #[test]
    fn the_key_of_a_field_is_located_too() {
        let text = "Playbook(\n  ucpm: Some((ercc_desks: 0)),\n)";
        let found = Locator::new(text).find(ValuePath::of("ucpm").key("ercc_desks").segs());
        assert_eq!(&text[found.key.unwrap()], "ercc_desks");
        assert_eq!(&text[found.value], "0");
    }

    #[test]
    fn attributes_and_maps_are_understood() {
        let text = "#![enable(implicit_some)]\n// lead\n(weights: {\"EE\": 1.0, LV: 2.5}, x: 1)";
        assert_eq!(at(text, &ValuePath::of("weights").key("LV")), ("2.5", true));
        assert_eq!(at(text, &ValuePath::of("weights").key("EE")), ("1.0", true));
        assert_eq!(at(text, &ValuePath::of("x")), ("1", true));
    }

    #[test]
    fn paths_read_as_written() {
        let p = ValuePath::of("infrastructure")
            .key("dependencies")
            .index(40)
            .key("supplier");
        assert_eq!(p.to_string(), "infrastructure.dependencies[40].supplier");
    }
}
