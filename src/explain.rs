//! `parkcheck rules list` and `parkcheck explain ID`: a rule's documentation is part of the rule.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::check::{Input, RunOptions, load};
use crate::document::Limits;
use crate::engine::Engine;
use crate::finding::Confidence;
use crate::rulebook::Rule;
use crate::text::{Lang, Text};

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a Text,
    severity: &'static str,
    default_severity: &'static str,
    confidence: Confidence,
    rulebook: &'a str,
    clause: &'a str,
    effective_from: Option<&'a str>,
    effective_until: Option<&'a str>,
    applies_to: &'a [String],
    disabled: bool,
}

fn listed<'a>(engine: &Engine, rule: &'a Rule) -> Listed<'a> {
    Listed {
        id: &rule.id,
        title: &rule.title,
        severity: engine.severity(rule).as_str(),
        default_severity: rule.severity.as_str(),
        confidence: engine.confidence(rule),
        rulebook: &rule.rulebook,
        clause: &rule.clause,
        effective_from: rule.effective.from.as_deref(),
        effective_until: rule.effective.until.as_deref(),
        applies_to: &rule.applies_to,
        disabled: engine.disabled(&rule.id),
    }
}

/// The rules as a JSON array.
#[must_use]
pub fn list_json(engine: &Engine) -> String {
    let rules: Vec<Listed<'_>> = engine
        .rules()
        .rules()
        .map(|(_, r)| listed(engine, r))
        .collect();
    let mut out = serde_json::to_string_pretty(&rules).unwrap_or_default();
    out.push('\n');
    out
}

/// The rules as a table, one per line.
#[must_use]
pub fn list_human(engine: &Engine) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10} {:<8} {:<11} {:<15} {:<22} title",
        "id", "severity", "confidence", "rulebook", "effective"
    );
    for (_, rule) in engine.rules().rules() {
        let l = listed(engine, rule);
        let severity = if l.disabled { "disabled" } else { l.severity };
        let _ = writeln!(
            out,
            "{:<10} {:<8} {:<11} {:<15} {:<22} {} / {}",
            l.id,
            severity,
            l.confidence.as_str(),
            l.rulebook,
            rule.effective.display(),
            rule.title.zh,
            rule.title.en
        );
    }
    out
}

/// Everything about one rule, both languages; `None` for an unknown id.
#[must_use]
pub fn explain(engine: &Engine, id: &str, fixtures: &Path, lang: Lang) -> Option<String> {
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
        rule.effective.display()
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
    if let Some(when) = &rule.when {
        let _ = writeln!(out, "  when   {}", when.text.trim());
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
            let _ = writeln!(out, "  for each item of {}", list.dotted());
        }
        if let Some(when) = &check.when {
            let _ = writeln!(out, "  when   {}", when.text.trim());
        }
        if let Some(skip) = &check.skip {
            let _ = writeln!(
                out,
                "  skip   {}  ({}: {})",
                skip.condition.text.trim(),
                t("不核对，结果中说明", "left out, the outcome says"),
                skip.reason.render_inline(lang)
            );
        }
        let _ = writeln!(out, "  assert {}", check.assert.text.trim());
        let _ = writeln!(out, "    → {}", check.message.render_inline(lang));
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
    let metrics: Vec<&str> = rule
        .exprs()
        .flat_map(|e| e.names_under("metrics"))
        .collect();
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
    let files = crate::ruletest::fixtures_of(fixtures, &rule.id);
    for (label, failing) in [
        (t("违规示例", "failing example"), true),
        (t("合规示例", "passing example"), false),
    ] {
        let Some((path, _)) = files.iter().find(|(_, f)| *f == failing) else {
            continue;
        };
        let _ = writeln!(out);
        let _ = writeln!(out, "{label}: {}", path.display());
        let Ok(doc) = load(&Input::Path(path.clone()), &Limits::default()) else {
            continue;
        };
        let evaluation = engine.evaluate(&doc, &RunOptions::default());
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
pub fn explain_catalogue(id: &str, fixtures: &Path, lang: Lang) -> Option<String> {
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
        let files = crate::ruletest::fixtures_of(fixtures, id);
        let Some((path, _)) = files.iter().find(|(_, f)| *f == failing) else {
            continue;
        };
        let _ = writeln!(out, "\n{label}: {}", path.display());
        let (Some(schema), false) = (&loaded_schema, path.is_dir()) else {
            continue;
        };
        let Ok(doc) = load(&Input::Path(path.clone()), &Limits::default()) else {
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
