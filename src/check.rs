//! Checking one input: read, decode, parse, validate. Never panics on input; every problem
//! becomes a finding of the file.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::document::{Document, Limits, LoadError, LoadErrorKind, decode};
use crate::finding::{Finding, Severity};
use crate::schema::SubmissionSchema;
use crate::source::{SourceFile, Span};

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
    /// The file could not be read or parsed (exit code 2).
    pub unreadable: bool,
}

/// Checks submissions: the compiled schema and the limits, built once per run.
#[derive(Debug)]
pub struct Checker {
    schema: SubmissionSchema,
    limits: Limits,
}

impl Checker {
    #[must_use]
    pub const fn new(schema: SubmissionSchema, limits: Limits) -> Self {
        Self { schema, limits }
    }

    /// Checks one input.
    #[must_use]
    pub fn check(&self, input: &Input) -> FileReport {
        let name = input.display_name();
        let json = matches!(input, Input::Path(p) if has_extension(p, "json"));
        match self.read(input) {
            Ok(bytes) => self.check_bytes(&name, bytes, json),
            Err(error) => unreadable(SourceFile::new(name, ""), &error),
        }
    }

    /// Checks a file's bytes; `json` selects strict JSON syntax.
    #[must_use]
    pub fn check_bytes(&self, name: &str, bytes: Vec<u8>, json: bool) -> FileReport {
        let text = match decode(bytes) {
            Ok(text) => text,
            Err((error, lossy)) => return unreadable(SourceFile::new(name, lossy), &error),
        };
        let source = SourceFile::new(name, text);
        if json {
            if let Err(error) = strict_json(&source, &self.limits) {
                return unreadable(source, &error);
            }
        }
        match Document::parse(source.clone(), &self.limits) {
            Ok(doc) => {
                let mut findings = self.schema.check(&doc);
                sort(&mut findings);
                FileReport {
                    source: doc.source,
                    findings,
                    unreadable: false,
                }
            }
            Err(error) => unreadable(source, &error),
        }
    }

    fn read(&self, input: &Input) -> Result<Vec<u8>, LoadError> {
        let limit = self.limits.max_file_size;
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
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn unreadable(source: SourceFile, error: &LoadError) -> FileReport {
    let finding = Finding::new(error.rule(), Severity::Error, error.message())
        .with_span(error.span())
        .with_help(error.help());
    FileReport {
        source,
        findings: vec![finding],
        unreadable: true,
    }
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
