//! Reading RON input files (scenarios, later playbooks) into typed values,
//! turning every failure into a [`Diagnostic`] that names `file:line:col`.

use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, SourceFile, nearest};

/// Largest input file accepted. Real scenarios and playbooks are tens of
/// kilobytes (a 100,000-node scenario is about 19 MB); the bound stops a
/// runaway or hostile file before parsing costs seconds.
pub const MAX_FILE_BYTES: u64 = 24 * 1024 * 1024;

/// Nesting deeper than this is refused (real scenarios nest about 8 deep).
const RECURSION_LIMIT: usize = 64;

/// Reads a file as UTF-8 text, refusing directories, huge and binary files.
pub fn read_source(path: &Path) -> Result<SourceFile, Diagnostic> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::file(&name, format!("cannot read file: {}", io_reason(&e))))?;
    if meta.is_dir() {
        return Err(Diagnostic::file(&name, "is a directory, not a file")
            .with_help("give the path of a .ron file"));
    }
    let limit = MAX_FILE_BYTES >> 20;
    if meta.len() > MAX_FILE_BYTES {
        let size = meta.len() >> 20;
        return Err(Diagnostic::file(
            &name,
            format!("file is {size} MB; the limit is {limit} MB"),
        ));
    }
    // Devices and pipes report no length (think `/dev/zero`), so the read
    // itself is bounded too.
    let cannot =
        |e: std::io::Error| Diagnostic::file(&name, format!("cannot read file: {}", io_reason(&e)));
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::file(
            &name,
            format!("file is larger than the {limit} MB limit, or never ends"),
        ));
    }
    from_bytes(name, bytes)
}

/// Checks that `bytes` are UTF-8 text and wraps them as a source file.
pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile { name, text }),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let src = SourceFile { name, text: lossy };
            // In the lossy text the bad byte became U+FFFD at the same offset.
            Err(Diagnostic::at(
                &src,
                good,
                1,
                "file is not UTF-8 text (binary data or another encoding)",
                "invalid byte here",
            )
            .with_help("scenario and playbook files are UTF-8 RON text; re-save the file as UTF-8"))
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Parses `src` as RON into `T`. `what` names the expected top level (`Scenario`).
pub fn parse<T: DeserializeOwned>(src: &SourceFile, what: &str) -> Result<T, Diagnostic> {
    if src.text.trim().is_empty() {
        return Err(Diagnostic::at(src, 0, 0, "file is empty", format!("expected `{what}(`"))
            .with_help(format!("a {} file starts with `{what}(`; see the files shipped in scenarios/ and playbooks/", what.to_lowercase())));
    }
    let options = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
    options
        .from_str::<T>(&src.text)
        .map_err(|e| ron_diagnostic(src, what, e))
}

fn ron_diagnostic(src: &SourceFile, what: &str, e: ron::error::SpannedError) -> Diagnostic {
    use ron::Error as E;
    let start = src.offset_of(e.span.start.line, e.span.start.col);
    let end = src.offset_of(e.span.end.line, e.span.end.col).max(start);
    let len = (end - start).max(1);
    let (label, help): (&str, Option<String>) = match &e.code {
        E::NoSuchStructField {
            expected,
            found: field,
            ..
        } => (
            "unknown field",
            Some(match nearest(field, expected.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            }),
        ),
        E::NoSuchEnumVariant {
            expected,
            found: variant,
            ..
        } => (
            "unknown variant",
            Some(match nearest(variant, expected.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            }),
        ),
        E::MissingStructField { field, .. } => (
            "the struct closes here",
            Some(format!("add `{field}: ...` to it")),
        ),
        E::DuplicateStructField { .. } => ("given twice", Some("keep one of them".into())),
        E::ExceededRecursionLimit => (
            "nested too deeply",
            Some(format!(
                "{what} files nest a few levels, at most {RECURSION_LIMIT}"
            )),
        ),
        E::Eof => (
            "the file ends here",
            Some("the file looks truncated: close every `(` and `[`".into()),
        ),
        E::ExpectedDifferentStructName { expected, .. } => (
            "wrong kind of file",
            Some(format!("this command expects a `{expected}(...)`")),
        ),
        E::TrailingCharacters => (
            "unexpected text after the end",
            Some(format!("a file holds exactly one `{what}(...)`")),
        ),
        E::InvalidValueForType { .. } | E::Message(_) => ("invalid value", None),
        E::UnexpectedChar(_) | E::ExpectedStructLike | E::ExpectedNamedStructLike(_)
            if start == 0 =>
        {
            (
                "not RON",
                Some(format!(
                    "expected a RON `{what}(...)`; is this the right file?"
                )),
            )
        }
        _ => ("here", None),
    };
    let d = Diagnostic::at(src, start, len, e.code.to_string(), label);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn parse_str(text: &str) -> Result<Scenario, Diagnostic> {
        parse(&SourceFile::new("t.ron", text), "Scenario")
    }

    #[test]
    fn empty_and_truncated_files_are_located() {
        let e = parse_str("  \n").unwrap_err();
        assert!(e.message.contains("empty"));
        let e =
            parse_str("Scenario(\n    name: \"cut off\",\n    countries: [\n        (id: \"EE\", ")
                .unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(4), "{e}");
    }

    #[test]
    fn unknown_field_suggests_the_right_one() {
        let e = parse_str("Scenario(\n    nmae: \"x\",\n)").unwrap_err();
        assert_eq!(e.position, Some((2, 5)), "{e}");
        assert_eq!(e.help.as_deref(), Some("did you mean `name`?"));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let text = format!("{}{}", "(".repeat(200_000), ")".repeat(200_000));
        assert!(parse_str(&text).is_err());
        let text = format!("Scenario(name: {}", "[".repeat(100_000));
        assert!(parse_str(&text).is_err());
    }

    #[test]
    fn invalid_utf8_points_at_the_first_bad_byte() {
        let e = from_bytes("b.ron".into(), b"Scen\nar\xffio".to_vec()).unwrap_err();
        assert_eq!(e.position, Some((2, 3)));
    }
}
