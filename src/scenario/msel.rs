//! The MSEL as a spreadsheet: exported with the columns exercise staff use,
//! and read back so planners can keep editing it in a spreadsheet.
//!
//! Columns: number, time, from, to, method, subject, message,
//! expected_action, objective, effect. `time` is a duration from T+0
//! (`2h`, `1d 6h`) or `when ` followed by a condition as in a scenario file
//! (`when NodeDown("EE-grid")`); `effect` is empty or an action as in a
//! scenario file (`Amplify(narrative: "blackout", factor: 2.0, duration: "6h")`).

use std::path::Path;

use super::model::{Action, Condition, Inject, InjectTime, Method, Scenario};
use crate::diag::{Diagnostic, SourceFile};

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

/// Reads injects from a CSV file written as [`export`] writes it.
pub fn import(src: &SourceFile) -> Result<Vec<Inject>, Vec<Diagnostic>> {
    let at = |line: u64, col: usize, msg: String| {
        let off = src.offset_of(line as usize, col);
        Diagnostic::at(src, off, 1, msg, "here")
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
        // Line and column from the raw text (the reader's own line count is
        // off with CRLF, and its fields are decoded: quotes removed).
        let start = rec
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(src.text.len());
        // A CRLF reader may report the record from the line break before it.
        let start = start
            + src.text[start..]
                .chars()
                .take_while(|c| *c == '\r' || *c == '\n')
                .count();
        let line = src.text[..start].matches('\n').count() as u64 + 1;
        let raw = &src.text[start..];
        let col_of = |k: usize| field_column(raw, k);
        let field = |name: &str| {
            find(name)
                .and_then(|k| rec.get(k))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let bad = |name: &str, msg: String| at(line, find(name).map_or(1, col_of), msg);
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
        let at_time = if let Some(cond) = time.strip_prefix("when ") {
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
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The 1-based character column where field `k` of the record starting at
/// `raw` begins, counting commas outside quotes.
fn field_column(raw: &str, k: usize) -> usize {
    let mut field = 0;
    let mut quoted = false;
    for (col, c) in raw.chars().enumerate() {
        if field == k {
            return col + 1;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => field += 1,
            '\n' | '\r' if !quoted => break,
            _ => {}
        }
    }
    1
}

/// Reads the CSV a scenario names, relative to the scenario file.
pub fn load_for(scenario_path: &str, csv: &str) -> Result<Vec<Inject>, Vec<Diagnostic>> {
    let base = Path::new(scenario_path).parent().unwrap_or(Path::new(""));
    let src = super::load::read_source(&base.join(csv)).map_err(|d| vec![d])?;
    import(&src)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_then_import_gives_the_same_msel() {
        let s = crate::scenario::default_scenario().unwrap().scenario;
        let text = export(&s).unwrap();
        assert!(text.starts_with("number,time,from,to,method,subject,message,expected_action"));
        let back = import(&SourceFile::new("m.csv", text.clone())).unwrap();
        assert_eq!(back.len(), s.msel.len());
        let again = Scenario {
            msel: back,
            ..s.clone()
        };
        assert_eq!(export(&again).unwrap(), text);
    }

    #[test]
    fn a_bad_time_is_located_at_its_cell() {
        let text = "number,time,from,to,method,subject,message,expected_action\n1,2h,EXCON,EE,Email,a,b,c\n2,tomorrow,EXCON,EE,Email,a,b,c\n";
        let d = import(&SourceFile::new("m.csv", text)).unwrap_err();
        assert_eq!(d[0].position, Some((3, 3)), "{}", d[0]);
        let d = import(&SourceFile::new("m.csv", "number,time\n1,2h\n")).unwrap_err();
        assert!(d[0].message.contains("lacks"), "{}", d[0]);
    }
}
