//! `events.jsonl`: one JSON object per event, in the order events happened,
//! with the simulated time (seconds from T+0 and ISO timestamp), sequence
//! number, domain, kind, acting and affected entities, a readable `text` and
//! kind-specific details. Keys are sorted, floats printed shortest-exact, so
//! the bytes depend only on the events.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{Context, Event, Record};

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

/// A line of `events.jsonl` read back, for reports written from the files alone.
#[derive(Clone, Debug, Deserialize)]
pub struct Logged {
    pub seq: u64,
    /// Simulated seconds from T+0.
    pub t: u64,
    pub time: String,
    pub domain: String,
    pub kind: String,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    pub text: String,
    #[serde(flatten)]
    pub details: Map<String, Value>,
}

/// Reads `events.jsonl` text back; an unreadable line is `(line, column, why)`.
pub fn read_log(text: &str) -> Result<Vec<Logged>, (usize, usize, String)> {
    text.lines()
        .enumerate()
        .map(|(n, line)| serde_json::from_str(line).map_err(|e| (n + 1, e.column(), e.to_string())))
        .collect()
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

    pub fn write<R: Record>(&mut self, cx: &Context, ev: &Event<R>) -> io::Result<()> {
        self.buf.clear();
        let cat = cx.cat;
        let d = ev.what.describe(cx);
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
pub fn write_log<W: Write, R: Record>(w: W, cx: &Context, log: &[Event<R>]) -> io::Result<String> {
    let mut jw = JsonlWriter::new(w);
    for e in log {
        jw.write(cx, e)?;
    }
    Ok(jw.finish()?.1)
}
