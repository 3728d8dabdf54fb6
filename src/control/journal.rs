//! The exercise journal: a JSON-lines file, a header naming the inputs, then
//! one line per controller action, each written and synced to disk before the
//! action takes effect. A crash loses nothing the controller did; a line cut
//! short by the crash is dropped (and cut off the file) when it is reopened.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Entry;
use crate::diag::SourceFile;
use crate::playbook::{self, LoadedPlaybook};
use crate::scenario::{self, LoadedScenario};

pub const FORMAT: u32 = 1;

/// Largest journal read: a week-long live exercise writes a few megabytes.
const MAX_JOURNAL_BYTES: u64 = 256 * 1024 * 1024;

/// What a journal was recorded with: it only replays against the same.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub pacesim_journal: u32,
    pub version: String,
    pub scenario: String,
    /// The scenario file as given (empty for the bundled default).
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub playbooks: Vec<PlaybookRef>,
    pub seed: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaybookRef {
    pub file: String,
    pub sha256: String,
}

impl Header {
    /// The header of a session of these inputs.
    pub fn of(loaded: &LoadedScenario, playbooks: &[LoadedPlaybook], seed: u64) -> Header {
        let bundled = loaded.source.text == scenario::DEFAULT_SCENARIO.1;
        Header {
            pacesim_journal: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: loaded.scenario.name.clone(),
            scenario_file: if bundled {
                String::new()
            } else {
                loaded.source.name.clone()
            },
            scenario_sha256: sha256(&loaded.source.text),
            playbooks: playbooks
                .iter()
                .map(|p| PlaybookRef {
                    file: p.source.name.clone(),
                    sha256: sha256(&p.source.text),
                })
                .collect(),
            seed,
        }
    }
}

/// Finds an input a journal names: at the path as recorded, next to the
/// journal, or a bundled copy with that name.
pub fn find_input(recorded: &str, journal: &Path) -> Option<SourceFile> {
    let near = journal.parent().map(|d| d.join(recorded));
    for p in std::iter::once(PathBuf::from(recorded)).chain(near) {
        if p.is_file()
            && let Ok(src) = crate::input::load::read_source(&p)
        {
            return Some(src);
        }
    }
    playbook::BUNDLED
        .iter()
        .chain(std::iter::once(&scenario::DEFAULT_SCENARIO))
        .find(|(name, _)| Path::new(name).file_name() == Path::new(recorded).file_name())
        .map(|(name, text)| SourceFile::new(*name, *text))
}

pub fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// An open journal, appending.
pub struct Journal {
    path: PathBuf,
    file: File,
}

/// A journal read back: its header, its entries, and whether a torn last
/// line was dropped.
pub struct Recorded {
    pub header: Header,
    pub entries: Vec<Entry>,
    pub dropped_tail: bool,
    /// Bytes of whole lines (where appending resumes).
    pub good_len: u64,
}

impl Journal {
    /// Starts a new journal at `path` with `header`.
    pub fn create(path: &Path, header: &Header) -> Result<Journal, JournalError> {
        let io = |source| JournalError::Io {
            path: path.display().to_string(),
            source,
        };
        let file = OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(path)
            .map_err(io)?;
        let mut j = Journal {
            path: path.to_path_buf(),
            file,
        };
        j.write_line(&serde_json::to_string(header).expect("a header serialises"))?;
        Ok(j)
    }

    /// Reopens an existing journal for appending after its last whole line.
    pub fn reopen(path: &Path, good_len: u64) -> Result<Journal, JournalError> {
        let io = |source| JournalError::Io {
            path: path.display().to_string(),
            source,
        };
        let file = OpenOptions::new().write(true).open(path).map_err(io)?;
        // Cut a line torn by a crash, then append after the good ones.
        file.set_len(good_len).map_err(io)?;
        let mut file = file;
        file.seek(std::io::SeekFrom::End(0)).map_err(io)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
        })
    }

    pub fn append(&mut self, entry: &Entry) -> Result<(), JournalError> {
        self.write_line(&serde_json::to_string(entry).expect("an entry serialises"))
    }

    fn write_line(&mut self, line: &str) -> Result<(), JournalError> {
        let io = |source| JournalError::Io {
            path: self.path.display().to_string(),
            source,
        };
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        self.file.write_all(&buf).map_err(io)?;
        // On disk before the action takes effect: kill -9 loses nothing.
        self.file.sync_data().map_err(io)
    }
}

/// Reads a journal: the header must be whole; a last line without its
/// newline (a write cut short) is dropped, any other bad line is an error.
pub fn read(path: &Path) -> Result<Recorded, JournalError> {
    let name = path.display().to_string();
    let invalid = |message: String| JournalError::Invalid {
        path: name.clone(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|source| JournalError::Io {
        path: name.clone(),
        source,
    })?;
    if !meta.is_file() {
        return Err(invalid("is not a file".into()));
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_JOURNAL_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|source| JournalError::Io {
            path: name.clone(),
            source,
        })?;
    if bytes.len() as u64 > MAX_JOURNAL_BYTES {
        return Err(invalid("is larger than any journal pacesim writes".into()));
    }
    let mut lines = Vec::new();
    let mut start = 0;
    let mut dropped_tail = false;
    while start < bytes.len() {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(k) => {
                lines.push((start, &bytes[start..start + k]));
                start += k + 1;
            }
            None => {
                dropped_tail = true;
                break;
            }
        }
    }
    let good_len = start as u64;
    let Some(&(_, first)) = lines.first() else {
        return Err(invalid(
            "has no header line; it is empty or was cut short before its first line".into(),
        ));
    };
    let header: Header = serde_json::from_slice(first).map_err(|e| {
        invalid(format!(
            "1:{}: not a pacesim journal header: {e}",
            e.column()
        ))
    })?;
    if header.pacesim_journal != FORMAT {
        return Err(invalid(format!(
            "journal format {} is not the format this pacesim reads ({FORMAT})",
            header.pacesim_journal
        )));
    }
    let mut entries = Vec::new();
    for (k, (_, line)) in lines.iter().enumerate().skip(1) {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let e: Entry = serde_json::from_slice(line).map_err(|e| {
            invalid(format!(
                "{}:{}: not a journal entry: {e}",
                k + 1,
                e.column()
            ))
        })?;
        if let Some(prev) = entries.last().map(|p: &Entry| (p.t, p.n))
            && (e.t, e.n) < prev
        {
            return Err(invalid(format!(
                "{}:1: entry goes back in time (T+{}s after T+{}s)",
                k + 1,
                e.t,
                prev.0
            )));
        }
        entries.push(e);
    }
    Ok(Recorded {
        header,
        entries,
        dropped_tail,
        good_len,
    })
}

/// Why a journal does not fit the inputs, if it does not.
pub fn mismatch(recorded: &Header, now: &Header) -> Option<String> {
    if recorded.version != now.version {
        return Some(format!(
            "it was recorded by pacesim {}, and this is pacesim {}; replay it with that version",
            recorded.version, now.version
        ));
    }
    if recorded.scenario_sha256 != now.scenario_sha256 {
        let from = if recorded.scenario_file.is_empty() {
            String::new()
        } else {
            format!(" from {}", recorded.scenario_file)
        };
        // The same name and another digest: the file was edited since.
        return Some(if recorded.scenario == now.scenario {
            format!(
                "it was recorded with another version of the scenario \"{}\"{from}: the file has changed since",
                now.scenario
            )
        } else {
            format!(
                "it was recorded with another scenario (\"{}\"{from}), not \"{}\"",
                recorded.scenario, now.scenario
            )
        });
    }
    if recorded.seed != now.seed {
        return Some(format!(
            "it was recorded with seed {}, not {}",
            recorded.seed, now.seed
        ));
    }
    if recorded
        .playbooks
        .iter()
        .map(|p| &p.sha256)
        .ne(now.playbooks.iter().map(|p| &p.sha256))
    {
        let names: Vec<&str> = recorded.playbooks.iter().map(|p| p.file.as_str()).collect();
        return Some(format!(
            "it was recorded with other playbooks ({})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ));
    }
    None
}
