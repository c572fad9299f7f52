//! Rulebooks: the requirements of one document as data (`rules/*.yaml`).
//!
//! A rulebook file is parsed into the spanned tree, checked against
//! `schemas/rulebook.schema.json`, then validated into the types below, collecting every
//! problem with its span (CEL syntax, unknown parameters or metrics, duplicate ids) before
//! returning. See [`load`].

mod bundled;
pub mod load;
pub mod shape;

use std::collections::BTreeMap;

pub use crate::expr::{Expr, ParamValue};
pub use bundled::BUNDLED;
pub use load::{RuleSet, load_rulebooks};

use crate::document::Pointer;
use crate::finding::{Confidence, Severity};
use crate::source::{SourceFile, Span};
use crate::text::Text;

/// Dates a rule or rulebook is in force, inclusive; `YYYY-MM-DD` strings compare as dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effective {
    pub from: Option<String>,
    pub until: Option<String>,
}

impl Effective {
    #[must_use]
    pub fn includes(&self, date: &str) -> bool {
        self.from.as_deref().is_none_or(|from| from <= date)
            && self.until.as_deref().is_none_or(|until| date <= until)
    }

    /// The dates in words: `2018-01-01 起` / `from 2018-01-01`, `2018-01-01 至 2025-12-31` /
    /// `2018-01-01 to 2025-12-31`, `至 2025-12-31` / `until 2025-12-31`, or always.
    #[must_use]
    pub fn text(&self) -> Text {
        match (self.from.as_deref(), self.until.as_deref()) {
            (Some(from), None) => Text::new(format!("{from} 起"), format!("from {from}")),
            (None, Some(until)) => Text::new(format!("至 {until}"), format!("until {until}")),
            (Some(from), Some(until)) => {
                Text::new(format!("{from} 至 {until}"), format!("{from} to {until}"))
            }
            (None, None) => Text::new("长期有效", "always"),
        }
    }
}

/// A threshold or list that a profile can set.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub rulebook: String,
    pub value: ParamValue,
    pub unit: Option<String>,
    pub confidence: Confidence,
    pub source: String,
    pub description: Option<Text>,
    pub span: Span,
}

/// A named derived value.
#[derive(Debug, Clone)]
pub struct Metric {
    pub name: String,
    pub rulebook: String,
    /// With `over`, the expression is evaluated for each item (`it`) and the results summed
    /// (`true` counts 1): a count or a total in one linear pass, where a CEL `filter` would
    /// copy its growing list at every step.
    pub over: Option<Pointer>,
    /// With `over`, the value when the list is absent (else the metric is not applicable).
    pub if_absent: Option<f64>,
    /// With `over`, the items this typed check reports as repeating an earlier one are not
    /// counted: `distinct: duplicate_tenants` counts a tenant listed twice once (FORM-023 reports
    /// the repeated row; the totals are not wrong on top of it).
    pub distinct: Option<Builtin>,
    pub expr: Expr,
    pub formula: Text,
    pub unit: Option<String>,
}

/// The submission kinds.
pub const KINDS: &[&str] = &["filing", "annual", "star"];

/// One way a rule can fail.
#[derive(Debug, Clone)]
pub struct Check {
    pub when: Option<Expr>,
    /// `when` in plain words (`condition: {zh, en}`, required beside it): reports and
    /// `explain` show these, not the expression.
    pub condition: Option<Text>,
    pub assert: Expr,
    /// Absolute (`/land/footprint_m2`) or, inside `for_each`, relative to the item (`uscc`).
    pub at: Option<String>,
    pub message: Text,
    /// The list this check goes through item by item (its own, or the rule's `for_each`).
    pub for_each: Option<Pointer>,
    /// Named expressions evaluated for the message when the check fails.
    pub values: Vec<(String, Expr)>,
    /// This check's own severity, where a rule's ways to fail differ (FORM-019: a wrong code is
    /// an error, a location outside the city a warning).
    pub severity: Option<Severity>,
    /// This check's own confidence, where it differs from the rule's (JXF-002's attachment
    /// files follow from the data model while its clause is unconfirmed).
    pub confidence: Option<Confidence>,
    /// When to leave the check out although it applies, and what the outcome then says.
    pub skip: Option<Skip>,
}

/// `skip: {if, reason}` of a check: when `condition` holds (and the check's `when` does), the
/// check is not evaluated and the rule's outcome gives `reason` (FORM-017 does not compare the
/// employees' total when some tenants lack the figure: it would tell the operator to change a
/// total that may be right).
#[derive(Debug, Clone)]
pub struct Skip {
    pub condition: Expr,
    pub reason: Text,
}

/// A check written in Rust rather than CEL, for what an expression cannot do in linear time
/// (a rule names it with `builtin:`; its rulebook entry still gives the title, the source, the
/// severity, the dates and the help, so profiles, reports and `explain` treat it as any rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// FORM-023: a tenant listed twice in one park (`src/engine/duplicates.rs`).
    DuplicateTenants,
}

impl Builtin {
    /// The names a rulebook may give (`builtin: duplicate_tenants`).
    pub const NAMES: &'static [&'static str] = &["duplicate_tenants"];

    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "duplicate_tenants" => Some(Self::DuplicateTenants),
            _ => None,
        }
    }

    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::DuplicateTenants => "duplicate_tenants",
        }
    }

    /// Where it is written.
    #[must_use]
    pub const fn file(self) -> &'static str {
        match self {
            Self::DuplicateTenants => "src/engine/duplicates.rs",
        }
    }

    /// What it checks, for `explain`.
    #[must_use]
    pub fn describe(self) -> Text {
        match self {
            Self::DuplicateTenants => Text::new(
                "一次遍历名录（按统一社会信用代码与企业名称建索引，与企业数成正比）：统一社会信用代码相同的两行，或名称相同的两家入驻企业，报告后一行，并指向第一次出现的位置；名称比较时忽略空白，半角括号视同全角括号",
                "one pass over the tenant list (an index by credit code and by name, linear in the number of tenants): two rows with the same credit code, or two present tenants with the same name; the later row is reported, pointing at the first; names are compared ignoring white space, with half-width brackets taken as full-width",
            ),
        }
    }
}

/// A rule: a requirement of the catalogue.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub title: Text,
    pub rulebook: String,
    pub clause: String,
    pub confidence: Confidence,
    pub severity: Severity,
    pub effective: Effective,
    pub applies_to: Vec<String>,
    pub when: Option<Expr>,
    /// `when` in plain words (`condition: {zh, en}`, required beside it).
    pub condition: Option<Text>,
    pub checks: Vec<Check>,
    /// A check written in Rust, in place of `checks`.
    pub builtin: Option<Builtin>,
    pub help: Text,
    /// The span of the rule's id in its rulebook.
    pub span: Span,
}

impl Rule {
    /// Every expression of the rule.
    pub fn exprs(&self) -> impl Iterator<Item = &Expr> {
        self.when
            .iter()
            .chain(self.checks.iter().flat_map(Check::exprs))
    }
}

impl Check {
    /// The check's condition, skip condition, assertion and message values.
    pub fn exprs(&self) -> impl Iterator<Item = &Expr> {
        self.when
            .iter()
            .chain(self.skip.iter().map(|s| &s.condition))
            .chain(std::iter::once(&self.assert))
            .chain(self.values.iter().map(|(_, e)| e))
    }
}

/// One document's rules.
#[derive(Debug, Clone)]
pub struct Rulebook {
    pub id: String,
    pub title: Text,
    pub issuer: String,
    pub number: Option<String>,
    pub version: String,
    pub effective: Effective,
    pub url: Option<String>,
    pub params: Vec<Param>,
    pub metrics: Vec<Metric>,
    pub tables: BTreeMap<String, serde_json::Value>,
    /// The annual evaluation's scheme, in the one rulebook that defines it.
    pub scoring: Option<Scoring>,
    pub rules: Vec<Rule>,
    pub source: SourceFile,
}

/// A reference to a rule id (or a schema-enforced id) with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    pub id: String,
    pub span: Span,
}

/// How the annual evaluation reads a submission's findings (`scoring:` in a rulebook).
#[derive(Debug, Clone)]
pub struct Scoring {
    /// The rule that fires while a park is in its transition period, and the rules that then
    /// report not applicable.
    pub transition: Option<(RuleRef, Vec<RuleRef>)>,
    /// Any finding of these forces grade D.
    pub vetoes: Vec<RuleRef>,
    /// Each finding of `rule` deducts the value of parameter `points`.
    pub deductions: Vec<Deduction>,
    /// A finding of these on a value a figure reads makes that figure doubtful: shown as such,
    /// left out of the set's averages, given no coefficient (FORM-024: revenue typed in 元).
    pub doubtful: Vec<RuleRef>,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone)]
pub struct Deduction {
    pub rule: RuleRef,
    /// The parameter holding the points per finding.
    pub points: String,
    pub points_span: Span,
}

/// A ratio of two metrics, such as 亩均税收 = tax ÷ land; over a set of parks, Σ ÷ Σ.
#[derive(Debug, Clone)]
pub struct Figure {
    pub id: String,
    pub title: Text,
    pub numerator: String,
    pub denominator: String,
    pub unit: Option<String>,
    pub span: Span,
}

impl Rulebook {
    /// 《title》（number）, for citations.
    #[must_use]
    pub fn document(&self) -> Text {
        match &self.number {
            Some(n) => Text::new(
                format!("《{}》（{n}）", self.title.zh),
                format!("{} ({n})", self.title.en),
            ),
            None => Text::new(format!("《{}》", self.title.zh), self.title.en.clone()),
        }
    }
}
