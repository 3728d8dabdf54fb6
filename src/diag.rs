//! Diagnostics for input files: `file:line:col`, the offending line with a
//! caret, and a hint. Rendered with miette; huge or binary lines are clipped
//! to a window around the error so a 30 MB one-line file prints a short message.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

/// A text file as read from disk.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// Byte offset of a 1-based line and character column, clamped to the text.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let mut start = 0;
        for _ in 1..line.max(1) {
            match self.text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return self.text.len(),
            }
        }
        let rest = &self.text[start..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        start
            + rest[..line_end]
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(line_end, |(i, _)| i)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in one file.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line and column, when the problem has a place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
    pub help: Option<String>,
    excerpt: Option<Box<Excerpt>>,
}

impl Diagnostic {
    /// A problem about the file as a whole (missing, a directory, too large).
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            position: None,
            message: message.into(),
            help: None,
            excerpt: None,
        }
    }

    /// A problem at byte `offset` (spanning `len` bytes) of `src`.
    pub fn at(
        src: &SourceFile,
        offset: usize,
        len: usize,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        let position = src.line_col(offset);
        Self {
            file: src.name.clone(),
            position: Some(position),
            message: message.into(),
            help: None,
            excerpt: Some(Box::new(Excerpt::around(src, offset, len, label.into()))),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:col` (or just the file).
    pub fn location(&self) -> String {
        match self.position {
            Some((l, c)) => format!("{}:{l}:{c}", self.file),
            None => self.file.clone(),
        }
    }

    /// The full report: message, location, excerpt with caret, hint.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        let shown = Shown(self);
        if GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_width(100)
            .render_report(&mut out, &shown)
            .is_err()
        {
            out = format!("error: {}: {}\n", self.location(), self.message);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// A few lines around a problem, each clipped to a window, that remembers
/// where it came from so miette prints the real line and column.
#[derive(Clone, Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the excerpt's first line in the file.
    first_line: usize,
    /// 0-based character column of the problem in the file, for the header.
    column: usize,
    span: SourceSpan,
    label: String,
}

const WINDOW: usize = 120;

impl Excerpt {
    fn around(src: &SourceFile, offset: usize, len: usize, label: String) -> Self {
        let text = &src.text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let (line_no, _) = src.line_col(offset);
        // One line of context before and after, clipped from their start.
        let prev = (line_start > 0).then(|| {
            let s = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            clip(&text[s..line_start - 1], 0).0
        });
        let next = (line_end < text.len()).then(|| {
            let rest = &text[line_end + 1..];
            clip(&rest[..rest.find('\n').unwrap_or(rest.len())], 0).0
        });
        let col_chars = text[line_start..offset].chars().count();
        let skip = col_chars.saturating_sub(WINDOW / 2);
        let (line, clipped_cols) = clip(&text[line_start..line_end], skip);
        let mut out = String::new();
        if let Some(p) = &prev {
            out.push_str(p);
            out.push('\n');
        }
        let label_at = out.len()
            + line
                .char_indices()
                .nth(col_chars - clipped_cols + usize::from(clipped_cols > 0))
                .map_or(line.len(), |(i, _)| i);
        out.push_str(&line);
        let label_len = len
            .min(
                line.len()
                    .saturating_sub(label_at - (out.len() - line.len())),
            )
            .max(usize::from(!line.is_empty()));
        if let Some(n) = &next {
            out.push('\n');
            out.push_str(n);
        }
        Excerpt {
            name: src.name.clone(),
            first_line: line_no - 1 - usize::from(prev.is_some()),
            column: col_chars,
            text: out,
            span: (label_at, label_len).into(),
            label,
        }
    }
}

/// Clips a line to `WINDOW` characters starting at character `skip`, marking
/// cut ends with `…` and replacing control characters so binary data prints safely.
fn clip(line: &str, skip: usize) -> (String, usize) {
    let mut out = String::new();
    if skip > 0 {
        out.push('…');
    }
    let mut chars = line.chars().skip(skip);
    for c in chars.by_ref().take(WINDOW) {
        out.push(if c.is_control() && c != '\t' {
            '\u{fffd}'
        } else {
            c
        });
    }
    if chars.next().is_some() {
        out.push('…');
    }
    (out, skip)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        // miette counts columns in bytes of the excerpt; the header must show the file's.
        let column = if span.offset() == self.span.offset() && before == 0 {
            self.column
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

struct Shown<'a>(&'a Diagnostic);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.excerpt {
            Some(_) => f.write_str(&self.0.message),
            None => write!(f, "{}: {}", self.0.file, self.0.message),
        }
    }
}
impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.excerpt.as_deref().map(|e| e as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let e = self.0.excerpt.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(e.label.clone()), e.span),
        )))
    }
}

/// The known name closest to `wrong`, if it is close enough to be a likely typo.
pub fn nearest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| {
            (
                strsim::normalized_damerau_levenshtein(&wrong.to_lowercase(), &k.to_lowercase()),
                k,
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_round_trips() {
        let src = SourceFile::new("x.ron", "ab\ncdé\nf");
        for (off, lc) in [(0, (1, 1)), (3, (2, 1)), (5, (2, 3)), (8, (3, 1))] {
            assert_eq!(src.line_col(off), lc);
            assert_eq!(src.offset_of(lc.0, lc.1), off);
        }
    }

    #[test]
    fn renders_location_caret_and_help() {
        let src = SourceFile::new("s.ron", "Scenario(\n    nme: \"x\",\n)\n");
        let d = Diagnostic::at(&src, 14, 3, "unknown field `nme`", "not a Scenario field")
            .with_help("did you mean `name`?");
        let out = d.render(false);
        assert!(out.contains("s.ron:2:5"), "{out}");
        assert!(out.contains("nme: \"x\""), "{out}");
        assert!(out.contains("did you mean `name`?"), "{out}");
    }

    #[test]
    fn clips_huge_lines_but_keeps_the_true_column() {
        let text = format!("Scenario(name: \"{}\" oops)", "A".repeat(1_000_000));
        let src = SourceFile::new("huge.ron", text.clone());
        let off = text.find("oops").unwrap();
        let out = Diagnostic::at(&src, off, 4, "unexpected `oops`", "here").render(false);
        assert!(out.len() < 2000, "{} bytes", out.len());
        assert!(out.contains(&format!("huge.ron:1:{}", off + 1)), "{out}");
        assert!(out.contains("oops"), "{out}");
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(
            nearest("EE-gird", ["EE-grid", "LV-grid", "FI"]),
            Some("EE-grid")
        );
        assert_eq!(nearest("zzzz", ["EE-grid", "LV-grid"]), None);
    }
}
