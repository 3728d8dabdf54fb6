//! The MSEL as a spreadsheet: exported with the columns exercise staff use,
//! and read back so planners can keep editing it in a spreadsheet.
//!
//! Columns: number, time, from, to, method, subject, message,
//! expected_action, objective, effect. `time` is a duration from T+0
//! (`2h`, `1d 6h`) or `when ` followed by a condition as in a scenario file
//! (`when NodeDown("EE-grid")`); `effect` is empty or an action as in a
//! scenario file (`Amplify(narrative: "blackout", factor: 2.0, duration: "6h")`).

use std::ops::Range;
use std::path::Path;

use super::model::{Action, Condition, Inject, InjectTime, Method, Scenario};
use crate::diag::{Diagnostic, SourceFile};
use crate::input::locate::{Locator, Seg};

pub const COLUMNS: [&str; 10] = [
    "number",
    "time",
    "from",
    "to",
    "method",
    "subject",
    "message",
    "expected_action",
    "objective",
    "effect",
];

fn ron_text<T: serde::Serialize>(v: &T) -> String {
    ron::to_string(v).unwrap_or_default()
}

/// The scenario's MSEL as CSV text.
pub fn export(s: &Scenario) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).map_err(|e| e.to_string())?;
    for i in &s.msel {
        let time = match &i.at {
            InjectTime::Time(d) => d.to_string(),
            InjectTime::When(c) => format!("when {}", ron_text(c)),
        };
        w.write_record([
            i.number.to_string(),
            time,
            i.from.clone(),
            i.to.clone(),
            format!("{:?}", i.method),
            i.subject.clone(),
            i.message.clone(),
            i.expected_action.clone(),
            i.objective.clone().unwrap_or_default(),
            i.effect.as_ref().map(ron_text).unwrap_or_default(),
        ])
        .map_err(|e| e.to_string())?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// Where the injects read from an MSEL spreadsheet were written, so that a
/// problem found later (an unknown recipient, a duplicate number) is shown
/// at its cell.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub source: SourceFile,
    /// Byte offset of each inject's row, in inject order.
    rows: Vec<usize>,
    /// Position in the header row of each of [`COLUMNS`].
    columns: Vec<Option<usize>>,
}

/// How the `time` column says an inject waits for a condition.
const WHEN: &str = "when ";

impl Sheet {
    /// Number of injects read from the sheet.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Byte span of the value at `path` of the sheet's `row`-th inject (a path
    /// into an [`Inject`], e.g. `to` or `effect.narrative`): the cell, or the
    /// value inside a cell that holds a condition or an action.
    pub fn locate(&self, row: usize, path: &[Seg]) -> Range<usize> {
        let Some(&start) = self.rows.get(row) else {
            return 0..0;
        };
        let raw = &self.source.text[start..];
        let (column, inner) = match path {
            [Seg::Key("at"), inner @ ..] => ("time", inner),
            [Seg::Key(field), inner @ ..] => (*field, inner),
            _ => return start..start + 1,
        };
        let Some(k) = COLUMNS
            .iter()
            .position(|c| *c == column)
            .and_then(|c| self.columns[c])
        else {
            return start..start + 1;
        };
        let cell = start + field_offset(raw, k);
        let (text, raw_of) = decode_cell(&self.source.text[cell..]);
        let raw_at = |decoded: usize| cell + raw_of[decoded.min(raw_of.len() - 1)];
        // Where the RON in the cell starts, and the path inside it.
        let ron = match (column, inner) {
            (_, []) => None,
            // `when NodeDown(..)`: the condition is the `When` variant's value.
            ("time", [Seg::Index(0), rest @ ..]) => text
                .trim_start()
                .strip_prefix(WHEN)
                .map(|cond| (text.len() - cond.len(), rest)),
            ("effect", rest) => Some((0, rest)),
            _ => None,
        };
        match ron {
            Some((offset, rest)) => {
                let found = Locator::new(&text[offset..]).find(rest).value;
                raw_at(offset + found.start)..raw_at(offset + found.end)
            }
            None => raw_at(0)..raw_at(text.len()),
        }
    }
}

/// Reads injects from a CSV file written as [`export`] writes it.
pub fn import(src: SourceFile) -> Result<(Vec<Inject>, Sheet), Vec<Diagnostic>> {
    let at = |line: u64, col: usize, msg: String| {
        let off = src.offset_of(line as usize, col);
        Diagnostic::at(&src, off, 1, msg, "here")
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(src.text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| vec![at(1, 1, format!("not a CSV MSEL: {e}"))])?
        .clone();
    let cols: Vec<String> = headers
        .iter()
        .map(|h| h.trim().to_lowercase().replace(' ', "_"))
        .collect();
    let find = |name: &str| cols.iter().position(|c| c == name);
    let required = &COLUMNS[..8];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| find(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(vec![
            at(
                1,
                1,
                format!("the MSEL CSV lacks the column(s) {}", missing.join(", ")),
            )
            .with_help(format!("the header row names: {}", COLUMNS.join(", "))),
        ]);
    }
    let mut out = Vec::new();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| {
                    let b = (p.byte() as usize).min(src.text.len());
                    src.text.as_bytes()[..b]
                        .iter()
                        .filter(|&&c| c == b'\n')
                        .count() as u64
                        + 1
                });
                problems.push(at(line, 1, format!("malformed CSV row: {e}")));
                continue;
            }
        };
        // Cells are located in the raw text (the reader's fields are decoded:
        // quotes removed, and its line count is off with CRLF).
        let start = rec
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(src.text.len());
        // A CRLF reader may report the record from the line break before it.
        let start = start
            + src.text[start..]
                .bytes()
                .take_while(|c| *c == b'\r' || *c == b'\n')
                .count();
        let raw = &src.text[start..];
        let field = |name: &str| {
            find(name)
                .and_then(|k| rec.get(k))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let bad = |name: &str, msg: String| {
            let off = start + find(name).map_or(0, |k| field_offset(raw, k));
            Diagnostic::at(&src, off, 1, msg, "here")
        };
        let number = match field("number").parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                problems.push(bad(
                    "number",
                    format!("inject number `{}` is not a whole number", field("number")),
                ));
                continue;
            }
        };
        let time = field("time");
        let at_time = if let Some(cond) = time.strip_prefix(WHEN) {
            match ron::from_str::<Condition>(cond.trim()) {
                Ok(c) => InjectTime::When(c),
                Err(e) => {
                    problems.push(bad("time", format!("condition `{cond}`: {}", e.code)));
                    continue;
                }
            }
        } else {
            match time.parse() {
                Ok(d) => InjectTime::Time(d),
                Err(e) => {
                    problems.push(bad("time", format!("time `{time}`: {e}")).with_help(
                        "write a duration from T+0 such as 2h or 1d 6h, or `when` and a condition",
                    ));
                    continue;
                }
            }
        };
        let method = match ron::from_str::<Method>(&field("method")) {
            Ok(m) => m,
            Err(_) => {
                problems.push(bad("method", format!("method `{}` is not one of Email, Phone, Briefing, Media, Document, Video, SocialMedia", field("method"))));
                continue;
            }
        };
        let effect = match field("effect") {
            e if e.is_empty() => None,
            e => match ron::from_str::<Action>(&e) {
                Ok(a) => Some(a),
                Err(err) => {
                    problems.push(bad("effect", format!("effect `{e}`: {}", err.code)));
                    continue;
                }
            },
        };
        let objective = Some(field("objective")).filter(|o| !o.is_empty());
        out.push(Inject {
            number,
            at: at_time,
            from: field("from"),
            to: field("to"),
            method,
            subject: field("subject"),
            message: field("message"),
            expected_action: field("expected_action"),
            objective,
            effect,
        });
        rows.push(start);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let columns = COLUMNS.iter().map(|c| find(c)).collect();
    Ok((
        out,
        Sheet {
            source: src,
            rows,
            columns,
        },
    ))
}

/// Byte offset, in the record starting at `raw`, where field `k` begins,
/// counting commas outside quotes (a quoted field may span lines).
fn field_offset(raw: &str, k: usize) -> usize {
    let mut field = 0;
    let mut quoted = false;
    for (i, c) in raw.bytes().enumerate() {
        if field == k {
            return i;
        }
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            b'\n' | b'\r' if !quoted => return 0,
            _ => {}
        }
    }
    if field == k { raw.len() } else { 0 }
}

/// The text of the field starting at `raw`, with CSV quoting undone, and the
/// offset in `raw` of each of its bytes (and of its end).
fn decode_cell(raw: &str) -> (String, Vec<usize>) {
    let b = raw.as_bytes();
    let mut text = Vec::new();
    let mut raw_of = Vec::new();
    if b.first() == Some(&b'"') {
        let mut i = 1;
        while i < b.len() {
            let from = i;
            if b[i] == b'"' {
                if b.get(i + 1) != Some(&b'"') {
                    break;
                }
                // `""` inside quotes is one quote.
                i += 1;
            }
            text.push(b[i]);
            raw_of.push(from);
            i += 1;
        }
        raw_of.push(i);
    } else {
        let end = b
            .iter()
            .position(|c| matches!(c, b',' | b'\n' | b'\r'))
            .unwrap_or(b.len());
        text.extend_from_slice(&b[..end]);
        raw_of.extend(0..=end);
    }
    // Only ASCII quotes were taken out, so the text is still UTF-8.
    (String::from_utf8(text).unwrap_or_default(), raw_of)
}

/// Reads the CSV a scenario names, relative to the scenario file.
pub fn load_for(scenario_path: &str, csv: &str) -> Result<(Vec<Inject>, Sheet), Vec<Diagnostic>> {
    let base = Path::new(scenario_path).parent().unwrap_or(Path::new(""));
    let src = crate::input::load::read_source(&base.join(csv)).map_err(|d| vec![d])?;
    import(src)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_then_import_gives_the_same_msel() {
        let s = crate::scenario::default_scenario().unwrap().scenario;
        let text = export(&s).unwrap();
        assert!(text.starts_with("number,time,from,to,method,subject,message,expected_action"));
        let (back, _) = import(SourceFile::new("m.csv", text.clone())).unwrap();
        assert_eq!(back.len(), s.msel.len());
        let again = Scenario {
            msel: back,
            ..s.clone()
        };
        assert_eq!(export(&again).unwrap(), text);
    }

    #[test]
    fn values_are_located_in_their_cell_through_csv_quoting() {
        let text = "number,time,from,to,method,subject,message,expected_action,objective,effect\n\
            1,1h,EXCON,EE,Email,a,\"two\nlines, \"\"quoted\"\"\",c,,\"Amplify(narrative:\"\"nope\"\",factor:1.5,duration:\"\"6h\"\")\"\n\
            2,\"when NodeDown(\"\"EE-gird\"\")\",EXCON,XX,Email,a,b,c,,\n";
        let (_, sheet) = import(SourceFile::new("m.csv", text)).unwrap();
        let at = |row, path: crate::input::locate::ValuePath| {
            let span = sheet.locate(row, path.segs());
            (&text[span.clone()], sheet.source.line_col(span.start))
        };
        use crate::input::locate::ValuePath as P;
        let expected_col = text.find(",c,,").unwrap() + 1;
        assert_eq!(
            at(0, P::of("expected_action")),
            ("c", sheet.source.line_col(expected_col))
        );
        assert_eq!(
            at(0, P::of("expected_action")).1.0,
            3,
            "after a two-line cell"
        );
        assert_eq!(at(0, P::of("effect").key("narrative")).0, "\"\"nope\"\"");
        assert_eq!(at(1, P::of("at").index(0).index(0)).0, "\"\"EE-gird\"\"");
        assert_eq!(at(1, P::of("to")), ("XX", (4, 38)));
        assert_eq!(at(1, P::of("number")).1, (4, 1));
    }

    #[test]
    fn a_bad_time_is_located_at_its_cell() {
        let text = "number,time,from,to,method,subject,message,expected_action\n1,2h,EXCON,EE,Email,a,b,c\n2,tomorrow,EXCON,EE,Email,a,b,c\n";
        let d = import(SourceFile::new("m.csv", text)).unwrap_err();
        assert_eq!(d[0].position, Some((3, 3)), "{}", d[0]);
        let d = import(SourceFile::new("m.csv", "number,time\n1,2h\n")).unwrap_err();
        assert!(d[0].message.contains("lacks"), "{}", d[0]);
    }
}
