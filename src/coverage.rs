//! `parkcheck rules coverage`: the requirement catalogue (`catalogue.yaml`) held against what
//! implements each id — a rule (possibly a typed check written in Rust), nodes of the
//! submission schema (`x-rule`), or the cross-document checks — with its confidence and its
//! fixtures both ways. An id with no
//! implementation or without both a passing and a failing fixture is a gap.

use std::path::Path;

use serde::Serialize;

use crate::engine::Engine;
use crate::finding::{Confidence, Severity};
use crate::text::{Lang, Text};

pub use crate::catalogue::{CATALOGUE, Requirement, catalogue};

/// What implements an id.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Implementation {
    /// A rule of a rulebook; `builtin` names its typed check, written in Rust (FORM-023).
    Rule {
        rulebook: String,
        file: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        builtin: Option<String>,
    },
    /// Nodes of the submission schema carrying `x-rule: <id>`.
    Schema { nodes: Vec<String> },
    /// The cross-document checks (src/xdoc.rs).
    CrossDocument,
}

/// One line of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub rulebook: String,
    pub summary: Text,
    pub severity: Severity,
    pub confidence: Confidence,
    pub implementations: Vec<Implementation>,
    pub pass_fixtures: usize,
    pub fail_fixtures: usize,
    /// What is missing: `implementation`, `pass fixture`, `fail fixture`.
    pub gaps: Vec<&'static str>,
}

/// The matrix, and the rules that implement no catalogue id.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub rows: Vec<Row>,
    pub not_in_catalogue: Vec<String>,
}

impl Coverage {
    /// No gap, and no rule outside the catalogue.
    #[must_use]
    pub fn complete(&self) -> bool {
        self.rows.iter().all(|r| r.gaps.is_empty()) && self.not_in_catalogue.is_empty()
    }
}

/// Holds the catalogue against `engine`'s rules, the schema and the fixtures in `fixtures`.
///
/// # Errors
/// When the bundled catalogue cannot be read.
pub fn coverage(engine: &Engine, fixtures: &Path) -> Result<Coverage, String> {
    let catalogue = catalogue()?;
    let schema = crate::schema::structural_rules();
    let rows = catalogue
        .into_iter()
        .map(|req| {
            let mut implementations = Vec::new();
            let mut confidence = req.confidence;
            if let Some((book, rule)) = engine.rules().rule(&req.id) {
                implementations.push(Implementation::Rule {
                    rulebook: book.id.clone(),
                    file: book.source.name().to_owned(),
                    builtin: rule.builtin.map(|b| format!("{} ({})", b.name(), b.file())),
                });
                confidence = rule.confidence;
            }
            if let Some(nodes) = schema.get(&req.id) {
                implementations.push(Implementation::Schema {
                    nodes: nodes.clone(),
                });
            }
            if crate::xdoc::RULES.contains(&req.id.as_str()) {
                implementations.push(Implementation::CrossDocument);
            }
            let files = crate::ruletest::fixtures_of(fixtures, &req.id);
            let fail_fixtures = files.iter().filter(|(_, failing)| *failing).count();
            let pass_fixtures = files.len() - fail_fixtures;
            let mut gaps = Vec::new();
            if implementations.is_empty() {
                gaps.push("implementation");
            }
            if pass_fixtures == 0 {
                gaps.push("pass fixture");
            }
            if fail_fixtures == 0 {
                gaps.push("fail fixture");
            }
            Row {
                id: req.id,
                rulebook: req.rulebook,
                summary: req.summary,
                severity: req.severity,
                confidence,
                implementations,
                pass_fixtures,
                fail_fixtures,
                gaps,
            }
        })
        .collect::<Vec<_>>();
    let not_in_catalogue = engine
        .rules()
        .rules()
        .map(|(_, r)| r.id.clone())
        .filter(|id| !rows.iter().any(|row| &row.id == id))
        .collect();
    Ok(Coverage {
        rows,
        not_in_catalogue,
    })
}

/// The matrix as a table for people.
#[must_use]
pub fn render_human(coverage: &Coverage, lang: Lang) -> String {
    use std::fmt::Write;
    let t = |zh: &str, en: &str| Text::new(zh, en).render_inline(lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<9} {:<15} {:<8} {:<11} {:>4} {:>4}  {}",
        "id",
        "rulebook",
        "severity",
        "confidence",
        "pass",
        "fail",
        t("实现", "implemented by")
    );
    for row in &coverage.rows {
        let by: Vec<String> = row
            .implementations
            .iter()
            .map(|i| match i {
                Implementation::Rule {
                    file,
                    builtin: Some(builtin),
                    ..
                } => format!("rule ({file}), typed check {builtin}"),
                Implementation::Rule { file, .. } => format!("rule ({file})"),
                Implementation::Schema { nodes } => format!(
                    "schema {}",
                    nodes.first().map_or("", String::as_str).to_owned()
                        + &if nodes.len() > 1 {
                            format!(" +{}", nodes.len() - 1)
                        } else {
                            String::new()
                        }
                ),
                Implementation::CrossDocument => "cross-document (src/xdoc.rs)".to_owned(),
            })
            .collect();
        let gaps = if row.gaps.is_empty() {
            String::new()
        } else {
            format!("  ✗ {}: {}", t("缺少", "missing"), row.gaps.join(", "))
        };
        let _ = writeln!(
            out,
            "{:<9} {:<15} {:<8} {:<11} {:>4} {:>4}  {}{gaps}",
            row.id,
            row.rulebook,
            row.severity.as_str(),
            row.confidence.as_str(),
            row.pass_fixtures,
            row.fail_fixtures,
            if by.is_empty() {
                "—".to_owned()
            } else {
                by.join("; ")
            }
        );
    }
    for id in &coverage.not_in_catalogue {
        let _ = writeln!(
            out,
            "{id:<9} {}",
            t("规则不在需求目录中", "a rule outside the catalogue")
        );
    }
    let gaps = coverage.rows.iter().filter(|r| !r.gaps.is_empty()).count();
    let _ = writeln!(
        out,
        "{}",
        Text::new(
            format!(
                "需求目录 {} 项：{} 项完整，{gaps} 项有缺口；{} 条规则不在目录中",
                coverage.rows.len(),
                coverage.rows.len() - gaps,
                coverage.not_in_catalogue.len()
            ),
            format!(
                "catalogue: {} id(s), {} complete, {gaps} with gaps; {} rule(s) outside the catalogue",
                coverage.rows.len(),
                coverage.rows.len() - gaps,
                coverage.not_in_catalogue.len()
            ),
        )
        .render(lang)
    );
    out
}

/// The matrix as JSON.
#[must_use]
pub fn render_json(coverage: &Coverage) -> String {
    // Plain data: serialisation cannot fail.
    let mut out = serde_json::to_string_pretty(coverage).unwrap_or_default();
    out.push('\n');
    out
}
