//! `parkcheck rules list` and `parkcheck explain ID`: a rule's documentation is part of the rule.

use std::fmt::Write as _;

use serde::Serialize;

use crate::document::{Document, Limits, Syntax, load_bytes};
use crate::engine::{Engine, EvalOptions};
use crate::finding::Confidence;
use crate::rulebook::Effective;

/// The examples `explain` shows, embedded in the binary (`build.rs`): it explains a rule from
/// any directory, without a checkout.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/examples.rs"));
}

/// The first failing or passing fixture of `id`: its name in the repository and its document
/// (none for a directory of several submissions).
fn example(id: &str, failing: bool) -> Option<(&'static str, Option<Document>)> {
    let &(_, name, _, text) = embedded::EXAMPLES
        .iter()
        .find(|(i, _, f, _)| *i == id && *f == failing)?;
    let doc = (!text.is_empty())
        .then(|| {
            load_bytes(
                name,
                text.as_bytes().to_vec(),
                Syntax::of_name(name),
                &Limits::default(),
            )
            .ok()
        })
        .flatten();
    Some((name, doc))
}
use crate::text::{Lang, Text};

/// One id of `rules list`: every id a finding can carry.
#[derive(Serialize)]
struct Listed {
    id: String,
    title: Text,
    /// The severity in force (after the profile), `disabled`, or `error` for the ids of the
    /// loader and the configuration files.
    severity: &'static str,
    default_severity: &'static str,
    confidence: Option<Confidence>,
    rulebook: Option<String>,
    clause: Option<String>,
    effective_from: Option<String>,
    effective_until: Option<String>,
    applies_to: Vec<String>,
    disabled: bool,
    /// What implements it: `rule` (a rulebook), `schema` (nodes of the submission schema
    /// carrying `x-rule`), `cross-document`, `loader` (reading and parsing), `waivers`,
    /// `baseline`, `rulebook` or `profile` (the configuration files).
    implemented_by: &'static str,
    /// The rulebook file of a rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
}

/// Every id a finding can carry: the rules of the rulebooks in force, then the catalogue ids
/// the schema and the cross-document checks implement, then the loader's and the
/// configuration files' ids.
fn listed(engine: &Engine) -> Vec<Listed> {
    let mut out: Vec<Listed> = engine
        .rules()
        .rules()
        .map(|(book, rule)| Listed {
            id: rule.id.clone(),
            title: rule.title.clone(),
            severity: if engine.disabled(&rule.id) {
                "disabled"
            } else {
                engine.severity(rule).as_str()
            },
            default_severity: rule.severity.as_str(),
            confidence: Some(engine.confidence(rule)),
            rulebook: Some(rule.rulebook.clone()),
            clause: Some(rule.clause.clone()),
            effective_from: rule.effective.from.clone(),
            effective_until: rule.effective.until.clone(),
            applies_to: rule.applies_to.clone(),
            disabled: engine.disabled(&rule.id),
            implemented_by: "rule",
            file: Some(book.source.name().to_owned()),
        })
        .collect();
    let structural = crate::schema::structural_rules();
    for requirement in crate::catalogue::catalogue().unwrap_or_default() {
        if out.iter().any(|l| l.id == requirement.id) {
            continue;
        }
        let implemented_by = if crate::xdoc::RULES.contains(&requirement.id.as_str()) {
            "cross-document"
        } else if structural.contains_key(&requirement.id) {
            "schema"
        } else {
            continue;
        };
        out.push(Listed {
            title: requirement.summary.clone(),
            severity: requirement.severity.as_str(),
            default_severity: requirement.severity.as_str(),
            confidence: Some(requirement.confidence),
            rulebook: Some(requirement.rulebook.clone()),
            clause: None,
            effective_from: None,
            effective_until: None,
            applies_to: Vec::new(),
            disabled: false,
            implemented_by,
            file: None,
            id: requirement.id,
        });
    }
    for id in crate::report::catalogue::OTHER_IDS {
        let (title, _) = crate::report::catalogue::described(id);
        out.push(Listed {
            id: (*id).to_owned(),
            title,
            severity: if id.starts_with("WAIVER-") {
                "warning"
            } else {
                "error"
            },
            default_severity: if id.starts_with("WAIVER-") {
                "warning"
            } else {
                "error"
            },
            confidence: None,
            rulebook: None,
            clause: None,
            effective_from: None,
            effective_until: None,
            applies_to: Vec::new(),
            disabled: false,
            implemented_by: match *id {
                "SCHEMA" => "schema",
                "WAIVER" | "WAIVER-EXPIRED" | "WAIVER-UNUSED" => "waivers",
                "BASELINE" => "baseline",
                "RULEBOOK" => "rulebook",
                "PROFILE" => "profile",
                _ => "loader",
            },
            file: None,
        });
    }
    out
}

/// Every id a finding can carry, as a JSON array.
#[must_use]
pub fn list_json(engine: &Engine) -> String {
    let mut out = serde_json::to_string_pretty(&listed(engine)).unwrap_or_default();
    out.push('\n');
    out
}

/// Every id a finding can carry, one per line: the rules, the ids of the schema and the
/// cross-document checks, the loader's and the configuration files' ids.
#[must_use]
pub fn list_human(engine: &Engine, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<14} {:<8} {:<11} {:<15} {:<15} {:<24} {}",
        "id",
        "severity",
        "confidence",
        "rulebook",
        "implemented by",
        "effective",
        Text::new("标题", "title").render_inline(lang)
    );
    for l in listed(engine) {
        let effective = Effective {
            from: l.effective_from.clone(),
            until: l.effective_until.clone(),
        };
        let effective = if l.implemented_by == "rule" {
            effective.text().render_inline(Lang::En)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{:<14} {:<8} {:<11} {:<15} {:<15} {:<24} {}",
            l.id,
            l.severity,
            l.confidence.map_or("—", Confidence::as_str),
            l.rulebook.as_deref().unwrap_or("—"),
            l.implemented_by,
            effective,
            l.title.render_inline(lang)
        );
    }
    out
}

/// A `when` in words (its expression when a rulebook gives none, which the schema forbids).
fn condition(words: Option<&Text>, when: &str, lang: Lang) -> String {
    words.map_or_else(|| when.trim().to_owned(), |w| w.render_inline(lang))
}

/// The id a typed `id` names: itself, or written the usual way (`rec-7` → `REC-007`), when a
/// rule or the catalogue has it; else `Err` with the nearest ids, for a "did you mean".
///
/// # Errors
/// The suggestions (possibly none) when no id matches.
pub fn resolve_id(engine: &Engine, id: &str) -> Result<String, Vec<String>> {
    let ids: Vec<String> = listed(engine).into_iter().map(|l| l.id).collect();
    for candidate in [id.to_owned(), crate::catalogue::normal_id(id)] {
        if ids.contains(&candidate) {
            return Ok(candidate);
        }
    }
    let normal = crate::catalogue::normal_id(id);
    let mut near: Vec<(f64, String)> = ids
        .into_iter()
        .map(|i| (strsim::jaro_winkler(&normal, &i), i))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    near.sort_by(|a, b| b.0.total_cmp(&a.0));
    Err(near.into_iter().take(3).map(|(_, i)| i).collect())
}

/// Everything about one rule, both languages; `None` for an unknown id.
#[must_use]
pub fn explain(engine: &Engine, id: &str, lang: Lang) -> Option<String> {
    let (book, rule) = engine.rules().rule(id)?;
    let t = |zh: &str, en: &str| Text::new(zh, en).render_inline(lang);
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", rule.id, rule.title.render_inline(lang));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}: {} {}",
        t("依据", "source"),
        book.document().render_inline(lang),
        rule.clause
    );
    let _ = writeln!(
        out,
        "{}: {} ({})",
        t("发文机关", "issuer"),
        book.issuer,
        book.version
    );
    let confidence = engine.confidence(rule);
    let _ = writeln!(
        out,
        "{}: {} [{}]",
        t("可信度", "confidence"),
        confidence.as_str(),
        confidence.zh()
    );
    let _ = writeln!(
        out,
        "{}: {} ({}: {})",
        t("严重程度", "severity"),
        engine.severity(rule).as_str(),
        t("默认", "declared"),
        rule.severity.as_str()
    );
    let _ = writeln!(
        out,
        "{}: {}",
        t("有效期", "in force"),
        rule.effective.text().render_inline(lang)
    );
    let _ = writeln!(
        out,
        "{}: {}",
        t("适用申报类型", "applies to"),
        rule.applies_to.join(", ")
    );
    if engine.disabled(&rule.id) {
        let _ = writeln!(
            out,
            "{}",
            t("本配置已停用此规则", "disabled by the profile")
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}:", t("检查内容", "what it checks"));
    // The conditions in words; the expressions are for rule authors, and said as such.
    let cel = t("CEL（供规则作者）", "CEL (for rule authors)");
    if let Some(when) = &rule.when {
        let _ = writeln!(
            out,
            "  {}: {}",
            t("适用条件", "applies"),
            condition(rule.condition.as_ref(), &when.text, lang)
        );
        let _ = writeln!(out, "    {cel}: when {}", when.text.trim());
    }
    if let Some(builtin) = rule.builtin {
        let _ = writeln!(
            out,
            "  {} ({}): {}",
            t("内置检查", "typed check"),
            builtin.file(),
            builtin.describe().render_inline(lang)
        );
    }
    for check in &rule.checks {
        if let Some(list) = &check.for_each {
            let _ = writeln!(
                out,
                "  {} {}",
                t("逐项检查", "for each item of"),
                list.dotted()
            );
        }
        if let Some(when) = &check.when {
            let _ = writeln!(
                out,
                "  {}: {}",
                t("本项适用条件", "this check applies"),
                condition(check.condition.as_ref(), &when.text, lang)
            );
            let _ = writeln!(out, "    {cel}: when {}", when.text.trim());
        }
        if let Some(skip) = &check.skip {
            let _ = writeln!(
                out,
                "  {}: {}",
                t("不核对，结果中说明", "left out, the outcome says"),
                skip.reason.render_inline(lang)
            );
            let _ = writeln!(out, "    {cel}: skip if {}", skip.condition.text.trim());
        }
        let _ = writeln!(
            out,
            "  {}: {}",
            t("不满足时", "when it fails"),
            check.message.render_inline(lang)
        );
        let _ = writeln!(out, "    {cel}: assert {}", check.assert.text.trim());
    }
    let params: Vec<&str> = {
        let mut names: Vec<&str> = rule.exprs().flat_map(|e| e.names_under("params")).collect();
        names.sort_unstable();
        names.dedup();
        names
    };
    if !params.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}:", t("参数", "parameters"));
        for name in params {
            if let Some(p) = engine.param(name) {
                let _ = writeln!(
                    out,
                    "  {name} = {}{} [{}{}] {}",
                    p.value.display(),
                    p.unit.as_deref().unwrap_or(""),
                    p.confidence.as_str(),
                    if p.from_profile { ", profile" } else { "" },
                    p.source
                );
            }
        }
    }
    // Each metric once, in the order the rule reads them (a metric read by several checks,
    // REC-007's plot ratio, is one metric).
    let mut metrics: Vec<&str> = Vec::new();
    for name in rule.exprs().flat_map(|e| e.names_under("metrics")) {
        if !metrics.contains(&name) {
            metrics.push(name);
        }
    }
    for name in metrics {
        if let Some(m) = engine.rules().metrics().find(|m| m.name == name) {
            let _ = writeln!(
                out,
                "{}: {} ({})",
                t("指标", "metric"),
                m.formula.render_inline(lang),
                m.expr.text.trim()
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}: {}",
        t("如何改正", "how to fix"),
        rule.help.render_inline(lang)
    );
    for (label, failing) in [
        (t("违规示例", "failing example"), true),
        (t("合规示例", "passing example"), false),
    ] {
        let Some((name, doc)) = example(&rule.id, failing) else {
            continue;
        };
        let _ = writeln!(out);
        let _ = writeln!(out, "{label}: {name}");
        let Some(doc) = doc else {
            continue;
        };
        let evaluation = engine.evaluate(&doc, &EvalOptions::default());
        let found: Vec<_> = evaluation
            .findings
            .iter()
            .filter(|f| f.rule == rule.id)
            .collect();
        for f in found.iter().take(3) {
            let at = f.span.map(|s| doc.source.line_col(s.start));
            let line = at.map_or(String::new(), |p| {
                let text = doc
                    .source
                    .text()
                    .lines()
                    .nth(p.line - 1)
                    .unwrap_or("")
                    .trim();
                format!("  {}:{}: {text}\n", p.line, p.column)
            });
            let _ = writeln!(out, "{line}    → {}", f.message.render_inline(lang));
        }
        if !failing {
            let _ = writeln!(out, "    → {}", t("规则通过", "the rule passes"));
        }
    }
    Some(out)
}

/// `parkcheck explain ID` for a catalogue id that no rule implements: one the submission schema
/// enforces (FORM-001…) or a cross-document rule (XDOC-001…). `None` for an unknown id.
#[must_use]
pub fn explain_catalogue(id: &str, lang: Lang) -> Option<String> {
    let requirement = crate::coverage::catalogue()
        .ok()?
        .into_iter()
        .find(|r| r.id == id)?;
    let t = |zh: &str, en: &str| Text::new(zh, en).render_inline(lang);
    let mut out = String::new();
    let _ = writeln!(out, "{id}  {}", requirement.summary.render_inline(lang));
    let _ = writeln!(
        out,
        "{}: {}  {}: {}  {}: {} [{}]",
        t("规则手册", "rulebook"),
        requirement.rulebook,
        t("严重程度", "severity"),
        requirement.severity.as_str(),
        t("可信度", "confidence"),
        requirement.confidence.as_str(),
        requirement.confidence.zh()
    );
    let nodes = crate::schema::structural_rules()
        .remove(id)
        .unwrap_or_default();
    let schema: Option<serde_json::Value> =
        serde_json::from_str(crate::schema::SUBMISSION_SCHEMA).ok();
    if !nodes.is_empty() {
        let _ = writeln!(
            out,
            "\n{}:",
            t(
                "由提交文件模式检查（schemas/submission.v1.schema.json）",
                "checked by the submission schema (schemas/submission.v1.schema.json)"
            )
        );
        for node in &nodes {
            let described = schema
                .as_ref()
                .and_then(|s| s.pointer(node))
                .and_then(|n| n.get("description"))
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            let _ = writeln!(out, "  {node}  {described}");
        }
    }
    if crate::xdoc::RULES.contains(&id) {
        let _ = writeln!(
            out,
            "\n{}",
            t(
                "跨文件检查：同一次运行的全部提交文件之间核对，在涉及的每个文件中报告，并列出其他位置。",
                "cross-document: checked across all the submissions of one run, reported in every file involved, with the other places listed."
            )
        );
    }
    let loaded_schema = crate::schema::Schema::bundled().ok();
    for (label, failing) in [
        (t("违规示例", "failing example"), true),
        (t("合规示例", "passing example"), false),
    ] {
        let Some((name, doc)) = example(id, failing) else {
            continue;
        };
        let _ = writeln!(out, "\n{label}: {name}");
        let (Some(schema), Some(doc)) = (&loaded_schema, doc) else {
            continue;
        };
        for f in schema.check(&doc).iter().filter(|f| f.rule == id).take(3) {
            let at = f.span.map(|s| doc.source.line_col(s.start));
            let place = at.map_or(String::new(), |p| format!("  {}:{}: ", p.line, p.column));
            let _ = writeln!(out, "{place}→ {}", f.message.render_inline(lang));
        }
    }
    Some(out)
}

/// `parkcheck explain ID` for an id of the loader or of a configuration file (`PARSE`,
/// `WAIVER-EXPIRED`, …): what it means and what to do. `None` for another id.
#[must_use]
pub fn explain_other(id: &str, lang: Lang) -> Option<String> {
    if !crate::report::catalogue::OTHER_IDS.contains(&id) {
        return None;
    }
    let (title, help) = crate::report::catalogue::described(id);
    let how = Text::new("如何改正", "how to fix").render_inline(lang);
    Some(format!(
        "{id} — {}\n\n{how}: {}\n",
        title.render_inline(lang),
        help.render_inline(lang)
    ))
}
