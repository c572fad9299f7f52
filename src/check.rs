//! Checking one input: read, decode, parse, validate. Never panics on input; every problem
//! becomes a finding of the file.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::document::{Document, Limits, LoadError, LoadErrorKind, decode};
use crate::engine::Engine;
use crate::facts::ParkFacts;
use crate::finding::Outcome;
use crate::finding::{Finding, Severity};
use crate::schema::Schema;
use crate::source::{SourceFile, Span};
use std::time::{Duration, Instant};

/// Where a submission comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    /// The name reports use for this input.
    #[must_use]
    pub fn display_name(&self) -> String {
        match self {
            Self::Path(p) => p.display().to_string(),
            Self::Stdin => "<stdin>".to_owned(),
        }
    }
}

/// The outcome of checking one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: SourceFile,
    pub findings: Vec<Finding>,
    /// What each rule in force concluded (for `--show-passed`).
    pub outcomes: Vec<Outcome>,
    /// The file could not be read or parsed (exit code 2).
    pub unreadable: bool,
    /// Who the park is and which tenants it declares (absent when the file could not be parsed).
    pub facts: Option<Box<ParkFacts>>,
}

/// The text of a checked file that was let go of (see [`FileReport::release_source`]).
#[derive(Debug, Clone)]
pub struct Released {
    path: PathBuf,
    len: usize,
    /// The file's modification time when its text was let go of.
    modified: Option<std::time::SystemTime>,
}

impl FileReport {
    /// Lets go of the text of a file read from `path`, keeping its name: a file without
    /// findings needs no text in its report, and a run over a repository then holds the text
    /// of no clean file once it is checked (the facts the cross-document rules compare are
    /// kept, with their places). [`FileReport::restore_source`] reads it again if a finding
    /// comes to land on the file after all.
    pub fn release_source(&mut self, path: &Path) -> Released {
        let released = Released {
            path: path.to_owned(),
            len: self.source.text().len(),
            modified: modified(path),
        };
        self.source = SourceFile::new(self.source.name(), "");
        released
    }

    /// Reads the text let go of by [`FileReport::release_source`] again. If the file cannot
    /// be read or has changed since (its modification time or its length), the report stays
    /// without text: its findings keep their pointers and lose their snippets and line numbers,
    /// rather than point into a different text.
    pub fn restore_source(&mut self, released: &Released) {
        if released.modified.is_none() || modified(&released.path) != released.modified {
            return;
        }
        let Ok(bytes) = std::fs::read(&released.path) else {
            return;
        };
        if let Ok(text) = decode(bytes) {
            if text.len() == released.len {
                self.source = SourceFile::new(self.source.name(), text);
            }
        }
    }

    /// The report of a file that could not be used (a submission that could not be loaded, or
    /// a rulebook or profile with problems): its findings, sorted.
    #[must_use]
    pub fn failed(source: SourceFile, mut findings: Vec<Finding>) -> Self {
        sort(&mut findings);
        Self {
            source,
            findings,
            outcomes: Vec::new(),
            unreadable: true,
            facts: None,
        }
    }
}

/// Checks submissions: the compiled schema, the rules engine and the limits, built once per run.
#[derive(Debug)]
pub struct Checker {
    schema: Schema,
    engine: Option<Engine>,
    limits: Limits,
}

impl Checker {
    /// A checker of structure only (no rules).
    #[must_use]
    pub const fn new(schema: Schema, limits: Limits) -> Self {
        Self {
            schema,
            engine: None,
            limits,
        }
    }

    /// A checker that also evaluates the rulebooks of `engine`.
    #[must_use]
    pub const fn with_engine(schema: Schema, engine: Engine, limits: Limits) -> Self {
        Self {
            schema,
            engine: Some(engine),
            limits,
        }
    }

    /// The rules engine, when the checker has one.
    #[must_use]
    pub const fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref()
    }

    /// The submission schema.
    #[must_use]
    pub const fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The rulebooks in use (none when checking structure only).
    #[must_use]
    pub fn rules(&self) -> Option<&crate::rulebook::RuleSet> {
        self.engine.as_ref().map(Engine::rules)
    }

    /// Checks one input and adds the time of each phase to `timings`.
    #[must_use]
    pub fn check_timed(
        &self,
        input: &Input,
        options: &RunOptions,
        timings: &mut Timings,
    ) -> FileReport {
        let started = Instant::now();
        let loaded = load(input, &self.limits);
        timings.parse += started.elapsed();
        match loaded {
            Ok(doc) => self.check_document(doc, options, timings),
            Err(report) => report,
        }
    }

    /// Checks a document already loaded (with [`load_bytes`]) and adds the time of each phase
    /// to `timings`.
    #[must_use]
    pub fn check_document(
        &self,
        doc: Document,
        options: &RunOptions,
        timings: &mut Timings,
    ) -> FileReport {
        let started = Instant::now();
        let mut findings = self.schema.check(&doc);
        timings.schema += started.elapsed();
        let mut outcomes = Vec::new();
        let mut metrics = std::collections::BTreeMap::new();
        if let Some(engine) = &self.engine {
            let started = Instant::now();
            let evaluation = engine.evaluate(&doc, options);
            // A value that both the schema and a rule flag under the same id (a malformed
            // USCC is FORM-018 to both) is reported once, by the rule, which cites its source.
            findings.retain(|s| {
                !evaluation
                    .findings
                    .iter()
                    .any(|r| r.rule == s.rule && r.pointer == s.pointer)
            });
            findings.extend(evaluation.findings);
            outcomes = evaluation.outcomes;
            metrics = evaluation.metrics;
            timings.rules += started.elapsed();
        }
        sort(&mut findings);
        let facts = ParkFacts {
            metrics,
            ..ParkFacts::of(&doc)
        };
        FileReport {
            source: doc.source,
            findings,
            outcomes,
            unreadable: false,
            facts: Some(Box::new(facts)),
        }
    }
}

/// Per-run choices that affect evaluation.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Evaluate as of this date (`YYYY-MM-DD`) instead of the submission's `as_of`.
    pub as_of: Option<String>,
}

/// Time spent in each phase, summed over files (and threads).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub parse: Duration,
    pub schema: Duration,
    pub rules: Duration,
}

impl std::ops::AddAssign for Timings {
    fn add_assign(&mut self, other: Self) {
        self.parse += other.parse;
        self.schema += other.schema;
        self.rules += other.rules;
    }
}

/// Reads and parses one input into a document, or a report of why it could not be.
///
/// # Errors
/// A [`FileReport`] with the one diagnostic that says why the input is unreadable.
pub fn load(input: &Input, limits: &Limits) -> Result<Document, FileReport> {
    let name = input.display_name();
    let json = matches!(input, Input::Path(p) if has_extension(p, "json"));
    match read(input, limits) {
        Ok(bytes) => load_bytes(&name, bytes, json, limits),
        Err(error) => Err(unreadable(SourceFile::new(name, ""), &error)),
    }
}

/// Decodes and parses a file's bytes; `json` selects strict JSON syntax.
///
/// # Errors
/// As [`load`].
pub fn load_bytes(
    name: &str,
    bytes: Vec<u8>,
    json: bool,
    limits: &Limits,
) -> Result<Document, FileReport> {
    let text = match decode(bytes) {
        Ok(text) => text,
        Err((error, lossy)) => return Err(unreadable(SourceFile::new(name, lossy), &error)),
    };
    let source = SourceFile::new(name, text);
    if json {
        if let Err(error) = strict_json(&source, limits) {
            return Err(unreadable(source, &error));
        }
    }
    Document::parse(source.clone(), limits).map_err(|error| unreadable(source, &error))
}

fn read(input: &Input, limits: &Limits) -> Result<Vec<u8>, LoadError> {
    let limit = limits.max_file_size;
    let io = |e: std::io::Error| {
        LoadError::new(LoadErrorKind::Io {
            message: e.to_string(),
        })
    };
    let mut bytes = Vec::new();
    match input {
        Input::Stdin => {
            std::io::stdin()
                .lock()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(io)?;
        }
        Input::Path(path) => {
            let meta = std::fs::metadata(path).map_err(io)?;
            if !meta.is_file() {
                return Err(LoadError::new(LoadErrorKind::NotAFile));
            }
            if meta.len() > limit {
                return Err(LoadError::new(LoadErrorKind::TooLarge {
                    size: meta.len(),
                    limit,
                }));
            }
            // `take` also guards a file that grows between the check and the read.
            File::open(path)
                .map_err(io)?
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(io)?;
        }
    }
    let size = bytes.len() as u64;
    if size > limit {
        return Err(LoadError::new(LoadErrorKind::TooLarge { size, limit }));
    }
    Ok(bytes)
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The report of an input that could not be loaded.
#[must_use]
pub fn unreadable(source: SourceFile, error: &LoadError) -> FileReport {
    let finding = Finding::new(error.rule(), Severity::Error, error.message())
        .with_span(error.span())
        .with_help(error.help());
    FileReport::failed(source, vec![finding])
}

/// JSON inputs must be strict JSON (no comments, no YAML-isms); `serde_json` checks that fast
/// and its nesting limit (128) stops deep input before the YAML parser sees it.
fn strict_json(source: &SourceFile, limits: &Limits) -> Result<(), LoadError> {
    let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(source.text()) else {
        return Ok(());
    };
    let offset = source.offset_of(e.line(), e.column());
    let message = e.to_string();
    let kind = if message.starts_with("recursion limit exceeded") {
        LoadErrorKind::TooDeep {
            limit: limits.max_depth,
        }
    } else {
        // serde_json appends " at line L column C"; the report shows the position itself.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m)
            .to_owned();
        LoadErrorKind::Syntax { message }
    };
    Err(LoadError::new(kind).with_span(Span::empty(offset)))
}

/// Stable order: by position, then rule, then pointer.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.span.map(|s| s.start), &a.rule, &a.pointer).cmp(&(
            b.span.map(|s| s.start),
            &b.rule,
            &b.pointer,
        ))
    });
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_released_text_is_read_again_only_if_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("park.yaml");
        std::fs::write(&path, "format: parkcheck/v1\nkind: annual\n").unwrap();
        let checker = Checker::new(Schema::bundled().unwrap(), Limits::default());
        let input = Input::Path(path.clone());
        let mut report =
            checker.check_timed(&input, &RunOptions::default(), &mut Timings::default());
        let text = report.source.text().to_owned();
        let released = report.release_source(&path);
        assert_eq!(report.source.text(), "");
        assert_eq!(report.source.name(), input.display_name());
        report.restore_source(&released);
        assert_eq!(report.source.text(), text);

        // Edited in the meantime (to a text of the same length): the report stays without text
        // rather than show another one.
        let released = report.release_source(&path);
        std::fs::write(&path, "format: parkcheck/v1\nkind: filing\n").unwrap();
        let later = released.modified.unwrap() + std::time::Duration::from_secs(1);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(later)
            .unwrap();
        report.restore_source(&released);
        assert_eq!(report.source.text(), "");
        // Gone: likewise.
        std::fs::remove_file(&path).unwrap();
        report.restore_source(&released);
        assert_eq!(report.source.text(), "");
    }
}
