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
        let (title, help) = described(&finding.rule);
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

/// Every id a finding can carry besides the rules of the rulebooks and the ids of the
/// catalogue: the structural, loading and configuration ids.
pub const OTHER_IDS: &[&str] = &[
    "SCHEMA",
    "PARSE",
    "ENCODING",
    "FILETYPE",
    "LIMIT",
    "IO",
    "WAIVER",
    "WAIVER-EXPIRED",
    "WAIVER-UNUSED",
    "BASELINE",
    "RULEBOOK",
    "PROFILE",
];

/// Title and help of an id that no rulebook in force defines: the fixed ids of [`OTHER_IDS`],
/// else the catalogue's summary of it (the ids the schema and the cross-document checks
/// enforce), else a plain "rule ID".
#[must_use]
pub fn described(id: &str) -> (Text, Text) {
    if let Some(fixed) = fixed(id) {
        return fixed;
    }
    let explain = Text::new(
        format!("说明与示例见 `parkcheck explain {id}`"),
        format!("see `parkcheck explain {id}` for what it checks and examples"),
    );
    match crate::catalogue::requirement(id) {
        Some(requirement) => {
            let help = match id {
                "XDOC-001" => Text::new(
                    "同一企业同一日期只能在一个园区入驻：核实后从其中一个园区的名录中移除，或将其状态改为「退出」并填写退出日期",
                    "a tenant is active in one park at a date: after checking, remove it from one park's list, or set its status to 退出 with its exit date",
                ),
                "XDOC-002" => Text::new(
                    "同一园区同一日期只提交一份：删去重复的文件，或改正园区名称、平台编号或日期",
                    "one submission per park and date: remove the duplicate file, or correct the park name, platform id or date",
                ),
                _ => Text::new(
                    format!(
                        "按 schemas/submission.v1.schema.json 改正该字段；说明见 `parkcheck explain {id}`"
                    ),
                    format!(
                        "correct the field as schemas/submission.v1.schema.json describes; see `parkcheck explain {id}`"
                    ),
                ),
            };
            (requirement.summary.clone(), help)
        }
        None => (
            Text::new(format!("规则 {id}"), format!("rule {id}")),
            explain,
        ),
    }
}

/// Title and help of the ids of [`OTHER_IDS`].
fn fixed(id: &str) -> Option<(Text, Text)> {
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
        "FILETYPE" => (
            Text::new(
                "文件不是文本：工作簿、Word、PDF、图片或压缩包",
                "the file is not text: a workbook, Word document, PDF, image or archive",
            ),
            Text::new(
                "检查 YAML、JSON 或申报工作簿；附件在 attachments 中登记",
                "check YAML, JSON or a submission workbook; list attachments under attachments",
            ),
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
        "WAIVER" => (
            Text::new("豁免文件有误", "the waiver file has a problem"),
            Text::new(
                "按 schemas/waivers.schema.json 改正该项豁免",
                "correct the waiver as schemas/waivers.schema.json describes",
            ),
        ),
        "WAIVER-EXPIRED" => (
            Text::new("豁免已过期", "a waiver has expired"),
            Text::new(
                "其豁免的问题重新计入；如仍需豁免，由审核人员续期（修改 expires 与 document）",
                "the findings it covered count again; if it should still apply, the reviewer renews it (expires and document)",
            ),
        ),
        "WAIVER-UNUSED" => (
            Text::new("豁免未匹配任何问题", "a waiver matches no finding"),
            Text::new(
                "问题可能已改正：删除该项豁免",
                "the problem may be fixed: remove the waiver",
            ),
        ),
        "BASELINE" => (
            Text::new("基线文件有误", "the baseline file has a problem"),
            Text::new(
                "基线文件由 `parkcheck check --write-baseline FILE` 生成，请勿手工编辑",
                "baseline files are written by `parkcheck check --write-baseline FILE`; do not edit them by hand",
            ),
        ),
        "RULEBOOK" => (
            Text::new("规则手册有误", "a rulebook has a problem"),
            Text::new(
                "按 schemas/rulebook.schema.json 改正；`parkcheck rules lint` 列出全部问题",
                "correct it as schemas/rulebook.schema.json describes; `parkcheck rules lint` lists every problem",
            ),
        ),
        "PROFILE" => (
            Text::new("配置文件（profile）有误", "the profile has a problem"),
            Text::new(
                "按 schemas/profile.schema.json 改正",
                "correct it as schemas/profile.schema.json describes",
            ),
        ),
        _ => return None,
    };
    Some((title, help))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every id a finding can carry has a title of its own in every format: the catalogue's
    /// ids (the schema's and the cross-document ones included) and the fixed ids. (The rules of
    /// the rulebooks take theirs from the rulebook: `tests/formats.rs`.)
    #[test]
    fn every_id_that_can_occur_has_its_own_title() {
        let catalogue = crate::catalogue::catalogue().unwrap();
        assert!(catalogue.len() > 40);
        let ids = catalogue
            .iter()
            .map(|r| r.id.as_str())
            .chain(OTHER_IDS.iter().copied());
        let mut titles = std::collections::BTreeSet::new();
        for id in ids {
            let (title, help) = described(id);
            assert_ne!(title.zh, format!("规则 {id}"), "{id} has no title");
            assert!(!title.en.is_empty() && !help.zh.is_empty() && !help.en.is_empty());
            assert!(
                !title.zh.contains("schema") && !title.en.contains("(checked by the schema)"),
                "{id}: {title:?}"
            );
            assert!(
                titles.insert(title.en.clone()),
                "{id} repeats a title: {}",
                title.en
            );
        }
        assert_eq!(
            described("XDOC-001").0.en,
            "one tenant USCC is not active in two parks at once"
        );
    }
}
