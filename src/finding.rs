//! What a check reports: findings, each under a rule id, with the place it points at.

use serde::Serialize;

use crate::document::Pointer;
use crate::source::Span;
use crate::text::Text;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::Info => "提示",
            Self::Warning => "警告",
            Self::Error => "错误",
        }
    }
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The catalogue id (`FORM-001`) or a structural id (`SCHEMA`, `PARSE`, `ENCODING`, `LIMIT`, `IO`).
    pub rule: String,
    pub severity: Severity,
    /// The JSON pointer of the offending value, when the file could be parsed.
    pub pointer: Option<Pointer>,
    /// The bytes the diagnostic points at.
    pub span: Option<Span>,
    pub message: Text,
    /// A short label drawn under the value in the snippet.
    pub label: Option<Text>,
    pub help: Option<Text>,
}

impl Finding {
    #[must_use]
    pub fn new(rule: impl Into<String>, severity: Severity, message: Text) -> Self {
        Self {
            rule: rule.into(),
            severity,
            pointer: None,
            span: None,
            message,
            label: None,
            help: None,
        }
    }

    #[must_use]
    pub fn at(mut self, pointer: Pointer, span: Option<Span>) -> Self {
        self.pointer = Some(pointer);
        self.span = span;
        self
    }

    #[must_use]
    pub const fn with_span(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    #[must_use]
    pub fn with_label(mut self, label: Text) -> Self {
        self.label = Some(label);
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: Option<Text>) -> Self {
        self.help = help;
        self
    }
}
