//! What the machine-readable formats say about each rule of a run: its title, source, help and
//! severity, from the rulebooks in force and, for the ids that only the schema or the loader
//! report, from a fixed table.

use std::collections::BTreeSet;

use crate::engine::Engine;
use crate::finding::FileReport;
use crate::finding::{Citation, Severity};
use crate::text::Text;

/// One rule as the report formats describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    pub id: String,
    pub title: Text,
    /// How to fix a finding of the rule.
    pub help: Text,
    /// The document and clause, for catalogue rules of a rulebook.
    pub citation: Option<Citation>,
    /// Where the document is published, when the rulebook says.
    pub url: Option<String>,
    /// The severity the rule reports at in this run (profile applied).
    pub severity: Severity,
}

/// The rules of a run: every rule in force (not disabled by the profile), then every other id
/// that a finding carries (`SCHEMA`, `PARSE`, …, or a catalogue id the schema enforces), sorted.
#[must_use]
pub fn catalogue(engine: Option<&Engine>, reports: &[FileReport]) -> Vec<RuleInfo> {
    let mut rules: Vec<RuleInfo> = Vec::new();
    if let Some(engine) = engine {
        for (book, rule) in engine.rules().rules() {
            if engine.disabled(&rule.id) {
                continue;
            }
            rules.push(RuleInfo {
                id: rule.id.clone(),
                title: rule.title.clone(),
                help: rule.help.clone(),
                citation: Some(Citation {
                    rulebook: book.id.clone(),
                    document: book.document(),
                    clause: rule.clause.clone(),
                    confidence: engine.confidence(rule),
                }),
                url: book.url.clone(),
                severity: engine.severity(rule),
            });
        }
    }
    let known: BTreeSet<String> = rules.iter().map(|r| r.id.clone()).collect();
    let mut others: Vec<RuleInfo> = Vec::new();
    for finding in reports.iter().flat_map(|r| &r.findings) {
        if known.contains(&finding.rule) || others.iter().any(|r| r.id == finding.rule) {
            continue;
        }
        let (title, help) = structural(&finding.rule);
        others.push(RuleInfo {
            id: finding.rule.clone(),
            title,
            help,
            citation: finding.citation.clone(),
            url: None,
            severity: finding.severity,
        });
    }
    others.sort_by(|a, b| a.id.cmp(&b.id));
    rules.extend(others);
    rules
}

/// Title and help of an id that no rulebook defines.
fn structural(id: &str) -> (Text, Text) {
    let (title, help) = match id {
        "SCHEMA" => (
            Text::new(
                "申报文件不符合提交格式",
                "the submission does not have the shape of the submission format",
            ),
            Text::new(
                "按 schemas/submission.v1.schema.json 补全或改正字段",
                "add or correct the fields as schemas/submission.v1.schema.json describes",
            ),
        ),
        "PARSE" => (
            Text::new(
                "文件无法解析为 YAML/JSON",
                "the file is not valid YAML/JSON",
            ),
            Text::new(
                "改正所示位置的语法（每个文件一个文档，无重复键，无标签）",
                "correct the syntax at the position shown (one document per file, no duplicate keys, no tags)",
            ),
        ),
        "ENCODING" => (
            Text::new("文件不是 UTF-8 编码", "the file is not encoded in UTF-8"),
            Text::new("将文件另存为 UTF-8", "save the file as UTF-8"),
        ),
        "LIMIT" => (
            Text::new(
                "文件超出大小、嵌套深度或别名展开的限制",
                "the file exceeds the size, nesting or alias-expansion limit",
            ),
            Text::new(
                "缩小文件或减少嵌套与别名",
                "make the file smaller, or nest and alias less",
            ),
        ),
        "IO" => (
            Text::new("文件无法读取", "the file cannot be read"),
            Text::new(
                "检查路径与读取权限",
                "check the path and the permission to read it",
            ),
        ),
        _ => (
            Text::new(
                "提交格式的要求（由 schema 检查）",
                "a requirement of the submission format (checked by the schema)",
            ),
            Text::new(
                "按 schemas/submission.v1.schema.json 改正该字段",
                "correct the field as schemas/submission.v1.schema.json describes",
            ),
        ),
    };
    (title, help)
}

/// The stable identity of a finding, for tools that follow findings from run to run (SARIF's
/// `partialFingerprints`): the baseline's fingerprint, with the park's platform id or else the
/// file as shown. Line numbers are left out, so an edit elsewhere keeps it.
#[must_use]
pub fn fingerprint(report: &FileReport, finding: &crate::finding::Finding) -> String {
    let park = report
        .facts
        .as_ref()
        .and_then(|f| f.platform_id.as_ref())
        .map_or(report.source.name(), |l| l.value.as_str());
    let pointer = finding.pointer.as_ref().map_or("", |p| p.as_str());
    let text = finding.span.map_or("", |s| report.source.slice(s));
    crate::baseline::fingerprint(&finding.rule, park, pointer, text)
}
