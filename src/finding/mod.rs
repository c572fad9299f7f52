//! What a check reports: findings, each under a rule id, with the place it points at, and
//! the report of one file ([`FileReport`]).

mod file;

pub use file::{FileReport, Released, sort};

use serde::Serialize;

use crate::document::Pointer;
use crate::source::Span;
use crate::text::Text;

/// How serious a finding is. Ordered: `Info < Warning < Error`. The default is `Error`, the
/// default `--fail-on`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    #[default]
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
}

/// How sure we are of a rule's source or a parameter's value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Read in the published text.
    Official,
    /// Read in a faithful third-party copy.
    Secondary,
    /// Follows from the data model (sums, dates, units).
    Derived,
    /// Not confirmed from any text: a default that a bureau profile should confirm.
    Unverified,
}

impl Confidence {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Official => "official",
            Self::Secondary => "secondary",
            Self::Derived => "derived",
            Self::Unverified => "unverified",
        }
    }

    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::Official => "官方原文",
            Self::Secondary => "可靠转载",
            Self::Derived => "数据推导",
            Self::Unverified => "未经确认",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "official" => Self::Official,
            "secondary" => Self::Secondary,
            "derived" => Self::Derived,
            "unverified" => Self::Unverified,
            _ => return None,
        })
    }
}

/// Where a rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The rulebook id, e.g. `zj-recognition`.
    pub rulebook: String,
    /// The document's title and number, e.g. 《工业项目建设用地控制指标》（国土资发〔2008〕24号）.
    pub document: Text,
    pub clause: String,
    pub confidence: Confidence,
}

/// The arithmetic behind a finding: each metric with its inputs, and the thresholds.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Trace {
    pub metrics: Vec<MetricTrace>,
    pub params: Vec<ParamTrace>,
}

/// One metric as computed for this submission.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricTrace {
    pub name: String,
    pub formula: Text,
    pub inputs: Vec<TraceInput>,
    /// The result as displayed (rounded only for display).
    pub result: String,
}

/// One input of a metric: where it was read and its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceInput {
    pub path: String,
    pub pointer: Option<Pointer>,
    /// The value as the message shows it; for a list, the number of its items.
    pub value: String,
    /// For a list, the number of its items (`value` holds the same number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

/// A parameter a finding compared against, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamTrace {
    pub name: String,
    pub value: String,
    pub unit: Option<String>,
    pub confidence: Confidence,
    pub source: String,
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
    /// The rule's source, for findings of catalogue rules.
    pub citation: Option<Citation>,
    /// The calculation, for findings of rules that use metrics.
    pub trace: Option<Trace>,
    /// Other places that take part in the finding (the other park of a cross-document rule).
    pub related: Vec<Related>,
    /// Set when a recorded decision (a waiver, a baseline) keeps the finding from counting
    /// toward failure; the finding is still reported.
    pub suppression: Option<Suppression>,
}

/// A place in another (or the same) file that takes part in a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub file: String,
    pub pointer: Option<Pointer>,
    /// 1-based line and column (in characters) of the place, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: Text,
}

/// Why a finding does not count toward failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Suppression {
    /// A reviewer's recorded decision.
    Waived {
        reason: String,
        approved_by: String,
        /// The approval's document number.
        document: Option<String>,
        /// `YYYY-MM-DD`; the waiver no longer applies after this date.
        expires: Option<String>,
        /// Where the waiver is written: `file:line`.
        waiver: String,
    },
    /// Recorded in the baseline given with `--baseline`: known before, not new.
    Baselined,
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
            citation: None,
            trace: None,
            related: Vec::new(),
            suppression: None,
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

    /// Whether the finding counts toward failure (it is not waived or baselined).
    #[must_use]
    pub const fn counts(&self) -> bool {
        self.suppression.is_none()
    }

    #[must_use]
    pub fn with_help(mut self, help: Option<Text>) -> Self {
        self.help = help;
        self
    }
}

/// What one rule concluded for one submission.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub rule: String,
    /// The rule's title, so that a list of outcomes names each rule.
    pub title: Text,
    pub status: OutcomeStatus,
    /// The checks of the rule that were left out, and why (a total not compared because some
    /// tenants lack the figure): said even when the rest of the rule passed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
pub enum OutcomeStatus {
    /// Evaluated, and no finding.
    Passed,
    /// Evaluated, with this many findings.
    Failed(usize),
    /// Could not be evaluated, for this reason (e.g. an input is absent).
    NotApplicable(Text),
}
