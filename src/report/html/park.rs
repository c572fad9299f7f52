//! One park's section: who it is, its findings by severity — each with the source snippet and
//! the value marked, message, help, citation, calculation and related places — its waived and
//! baselined findings, the rules that passed or did not apply (`--show-passed`), for `score`
//! its vetoes, deductions and figures, and the line for the reviewer's signature.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::escape::html as esc;
use super::{
    L, Outcome, Page, ParkRow, confidence_badge, kind_label, severity_heading, severity_label,
};
use crate::facts::ParkFacts;
use crate::finding::{FileReport, Finding, OutcomeStatus, Severity, Suppression, Trace};
use crate::report::catalogue::RuleInfo;
use crate::score::ParkScore;
use crate::source::Span;
use crate::text::{Text, number};

/// Lines of context drawn above and below the value.
const CONTEXT: usize = 2;
/// The longest line drawn in a snippet, in bytes (as the human report).
const MAX_SNIPPET_LINE: usize = 1000;

pub(super) fn section(
    out: &mut String,
    row: &ParkRow<'_>,
    page: &Page<'_>,
    rules: &[RuleInfo],
    sections: &BTreeMap<&str, usize>,
    score: Option<&ParkScore>,
    l: L,
) {
    let report = row.report;
    let file = report.source.name();
    let facts = row.facts;
    let _ = write!(
        out,
        "<section class=\"park result-{result}\" id=\"park-{index}\" data-park=\"{key}\" data-file=\"{file}\" data-result=\"{result}\" data-search=\"{search}\">\n\
         <h2><span class=\"badge result-{result}\">{label}</span> {name}</h2>\n",
        result = row.result.key(),
        index = row.index,
        key = esc(&row.key),
        file = esc(file),
        search = esc(&format!(
            "{} {} {} {} {}",
            row.name,
            row.key,
            file,
            facts.and_then(|f| f.county.as_deref()).unwrap_or(""),
            facts.and_then(|f| f.park_type.as_deref()).unwrap_or("")
        )
        .to_lowercase()),
        label = row.result.label(l),
        name = esc(&row.name),
    );
    // Who the park is.
    let mut meta: Vec<String> = vec![format!(
        "{}: <code>{}</code>",
        l.t("文件", "file"),
        esc(file)
    )];
    if let Some(f) = facts {
        if let Some(id) = &f.platform_id {
            meta.push(format!(
                "{}: {}",
                l.t("平台编号", "platform id"),
                esc(&id.value)
            ));
        }
        if let Some(c) = &f.county {
            meta.push(format!("{}: {}", l.t("县（市、区）", "county"), esc(c)));
        }
        if let Some(t) = &f.park_type {
            meta.push(format!("{}: {}", l.t("类型", "type"), esc(t)));
        }
        if let Some(k) = &f.kind {
            meta.push(format!("{}: {}", l.t("申报", "kind"), kind_label(k, l)));
        }
        if let Some(d) = &f.as_of {
            meta.push(format!("{}: {}", l.t("数据日期", "as of"), esc(d)));
        }
    }
    let _ = writeln!(out, "<p class=\"park-meta\">{}</p>", meta.join(" · "));
    let _ = writeln!(
        out,
        "<p class=\"park-counts\">{} {} · {} {} · {} {} · {} {}{}</p>",
        l.t("错误", "errors"),
        row.errors,
        l.t("警告", "warnings"),
        row.warnings,
        l.t("提示", "infos"),
        row.infos,
        l.t("已豁免/基线", "waived/baselined"),
        row.waived + row.baselined,
        if row.vetoes > 0 {
            format!(
                " · <b class=\"veto\">{} {}</b>",
                l.t("否决项", "vetoes"),
                row.vetoes
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "<p class=\"js-only no-print\"><button type=\"button\" class=\"print-one\" data-section=\"park-{}\">{}</button> <a href=\"#parks\">{}</a></p>",
        row.index,
        l.t("打印本园区", "print this park"),
        l.t("返回园区列表", "back to the parks")
    );
    if let Some(score) = score {
        evaluation(out, score, l);
    }
    // The findings that count, by severity, then those kept from counting.
    let mut n = 0;
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.counts() && f.severity == severity)
            .collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<h3 class=\"sev-heading sev-{}\">{} ({})</h3>",
            severity.as_str(),
            severity_heading(severity, l),
            findings.len()
        );
        for f in findings {
            finding(out, row, f, n, rules, sections, l);
            n += 1;
        }
    }
    let suppressed: Vec<&Finding> = report.findings.iter().filter(|f| !f.counts()).collect();
    if !suppressed.is_empty() {
        let _ = writeln!(
            out,
            "<h3 class=\"sev-heading suppressed\">{} ({})</h3>",
            l.t(
                "已豁免或在基线中（不计入结论）",
                "waived or in the baseline (not counted)"
            ),
            suppressed.len()
        );
        for f in suppressed {
            finding(out, row, f, n, rules, sections, l);
            n += 1;
        }
    }
    if report.findings.is_empty() && row.result != Outcome::Note {
        let _ = writeln!(
            out,
            "<p class=\"clean\">{}</p>",
            l.t("未发现问题。", "No finding.")
        );
    }
    if page.show_passed && !report.outcomes.is_empty() {
        outcomes(out, report, l);
    }
    if row.result != Outcome::Note {
        let _ = writeln!(
            out,
            "<p class=\"signature\">{}: <span class=\"line\"></span> {}: <span class=\"line short\"></span></p>",
            l.t("审查人（签字）", "reviewer (signature)"),
            l.t("日期", "date")
        );
    }
    out.push_str("</section>\n");
}

fn finding(
    out: &mut String,
    row: &ParkRow<'_>,
    f: &Finding,
    n: usize,
    rules: &[RuleInfo],
    sections: &BTreeMap<&str, usize>,
    l: L,
) {
    let report = row.report;
    let status = match f.suppression {
        None => "counted",
        Some(Suppression::Waived { .. }) => "waived",
        Some(Suppression::Baselined) => "baselined",
    };
    let rule = rules.iter().find(|r| r.id == f.rule);
    let _ = write!(
        out,
        "<article class=\"finding sev-{sev} status-{status}\" id=\"f-{park}-{n}\" data-finding=\"\" data-park=\"{key}\" data-file=\"{file}\" data-rule=\"{rule_id}\" data-severity=\"{sev}\" data-status=\"{status}\">\n\
         <header><span class=\"badge sev-{sev}\">{sev_label}</span> <code class=\"rule-id\">{rule_id}</code> <span class=\"rule-title\">{title}</span>",
        sev = f.severity.as_str(),
        park = row.index,
        key = esc(&row.key),
        file = esc(report.source.name()),
        rule_id = esc(&f.rule),
        sev_label = severity_label(f.severity, l),
        title = rule.map_or_else(String::new, |r| l.text(&r.title)),
    );
    match status {
        "waived" => {
            let _ = write!(
                out,
                " <span class=\"badge status\">{}</span>",
                l.t("已豁免", "waived")
            );
        }
        "baselined" => {
            let _ = write!(
                out,
                " <span class=\"badge status\">{}</span>",
                l.t("在基线中", "in the baseline")
            );
        }
        _ => {}
    }
    out.push_str("</header>\n");
    // Where: line and column, and the pointer in the form's words.
    let mut at: Vec<String> = Vec::new();
    if let Some(span) = f.span.filter(|_| !report.source.text().is_empty()) {
        let p = report.source.locate(span.start);
        match &p.cell {
            Some(cell) => at.push(l.t(&format!("单元格 {cell}"), &format!("cell {cell}"))),
            None => at.push(l.t(
                &format!("第 {} 行第 {} 列", p.line, p.column),
                &format!("line {}, column {}", p.line, p.column),
            )),
        }
    }
    if let Some(pointer) = &f.pointer {
        at.push(format!(
            "<span class=\"place\">{}</span> <code class=\"pointer\">{}</code>",
            place(pointer.as_str(), row.facts, l),
            esc(pointer.as_str())
        ));
    }
    if !at.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"where\"><code>{}</code> · {}</p>",
            esc(report.source.name()),
            at.join(" · ")
        );
    }
    if let Some(span) = f.span {
        snippet(out, report, span, f.label.as_ref(), l);
    }
    let _ = writeln!(out, "<p class=\"msg\">{}</p>", l.block(&f.message));
    if let Some(help) = &f.help {
        let _ = writeln!(
            out,
            "<p class=\"help\"><b>{}:</b> {}</p>",
            l.t("如何改正", "how to fix"),
            l.block(help)
        );
    }
    if let Some(c) = &f.citation {
        let document = match l.0 {
            crate::text::Lang::En => esc(&c.document.en).into_owned(),
            _ => esc(&c.document.zh).into_owned(),
        };
        let _ = writeln!(
            out,
            "<p class=\"cite\"><b>{}:</b> {document} {} {}</p>",
            l.t("依据", "source"),
            esc(&c.clause),
            confidence_badge(c.confidence, l)
        );
    }
    if let Some(trace) = &f.trace {
        self::trace(out, trace, l);
    }
    for r in &f.related {
        let at = match (r.line, r.column) {
            (Some(line), Some(col)) => format!("{}:{line}:{col}", r.file),
            _ => r.file.clone(),
        };
        let link = match sections.get(r.file.as_str()) {
            Some(i) => format!("<a href=\"#park-{i}\">{}</a>", esc(&at)),
            None => format!("<code>{}</code>", esc(&at)),
        };
        let _ = writeln!(
            out,
            "<p class=\"related\"><b>{}:</b> {link} {}</p>",
            l.t("另见", "see also"),
            l.block(&r.message)
        );
    }
    match &f.suppression {
        Some(Suppression::Waived {
            reason,
            approved_by,
            document,
            expires,
            waiver,
        }) => {
            let mut who = vec![esc(approved_by).into_owned()];
            if let Some(d) = document {
                who.push(esc(d).into_owned());
            }
            if let Some(d) = expires {
                who.push(l.t(&format!("有效期至 {d}"), &format!("until {d}")));
            }
            let _ = writeln!(
                out,
                "<p class=\"suppression\"><b>{}:</b> {} — {} <code>{}</code></p>",
                l.t("已豁免", "waived"),
                esc(reason),
                who.join(", "),
                esc(waiver)
            );
        }
        Some(Suppression::Baselined) => {
            let _ = writeln!(
                out,
                "<p class=\"suppression\">{}</p>",
                l.t(
                    "已列入基线：此前已知，不是新问题，不计入结论。",
                    "in the baseline: known before, not new; not counted."
                )
            );
        }
        None => {}
    }
    out.push_str("</article>\n");
}

/// A pointer in the form's words: `/tenants/3/uscc` is `tenants › 第 4 家（name）› uscc`.
pub(super) fn place(pointer: &str, facts: Option<&ParkFacts>, l: L) -> String {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let mut parent: Option<&str> = None;
    for (i, token) in tokens.iter().enumerate() {
        match token.parse::<usize>() {
            Ok(index) if parent == Some("tenants") && i == 1 => {
                let prefix = format!("/tenants/{index}/");
                let name = facts
                    .and_then(|f| {
                        f.tenants
                            .iter()
                            .find(|t| t.uscc.pointer.as_str().starts_with(&prefix))
                    })
                    .and_then(|t| t.name.as_deref());
                parts.push(match name {
                    Some(name) => l.t(
                        &format!("第 {} 家（{name}）", index + 1),
                        &format!("tenant {} ({name})", index + 1),
                    ),
                    None => l.t(
                        &format!("第 {} 家", index + 1),
                        &format!("tenant {}", index + 1),
                    ),
                });
            }
            Ok(index) => parts.push(l.t(
                &format!("第 {} 项", index + 1),
                &format!("item {}", index + 1),
            )),
            Err(_) => parts.push(esc(token).into_owned()),
        }
        parent = Some(token.as_str());
    }
    parts.join(" › ")
}

/// The lines around `span` with line numbers and the value marked.
fn snippet(out: &mut String, report: &FileReport, span: Span, label: Option<&Text>, l: L) {
    let text = report.source.text();
    if text.is_empty() || span.start > text.len() || span.end > text.len() {
        return;
    }
    // From the start of the line CONTEXT lines above to the end of the line CONTEXT lines
    // below, found through the file's line index (not by scanning a minified file's one line
    // for every finding).
    let mut lines = report.source.lines_around(span, CONTEXT);
    let Some(first_line) = lines.next() else {
        return;
    };
    let start = first_line.start;
    let end = lines.last().map_or(first_line.end, |l| l.end);
    if end - start > MAX_SNIPPET_LINE * (2 * CONTEXT + 1) + 2 * CONTEXT {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            l.t("（该行过长，不显示原文）", "(the line is too long to show)")
        );
        return;
    }
    let Some(region) = text.get(start..end) else {
        return;
    };
    if region.split('\n').any(|line| line.len() > MAX_SNIPPET_LINE) {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            l.t("（该行过长，不显示原文）", "(the line is too long to show)")
        );
        return;
    }
    let first = report.source.line_col(start).line;
    let title = label.map_or_else(String::new, |t| {
        format!(" title=\"{}\"", esc(&t.render_inline(l.0)))
    });
    out.push_str("<pre class=\"snippet\"><code>");
    let mut offset = start;
    let mut caret = span.is_empty();
    for (i, raw) in region.split('\n').enumerate() {
        let line_start = offset;
        let line_end = offset + raw.len();
        offset = line_end + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let content_end = line_start + line.len();
        let hit = if span.is_empty() {
            let here = caret && span.start >= line_start && span.start <= line_end;
            caret &= !here;
            here
        } else {
            span.start < line_end.max(line_start + 1) && span.end > line_start
        };
        let _ = write!(
            out,
            "<span class=\"line{}\"><span class=\"ln\">{:>4}</span> ",
            if hit { " hit" } else { "" },
            first + i
        );
        // The marked part of this line: the span clipped to it.
        let from = span.start.clamp(line_start, content_end) - line_start;
        let to = span.end.clamp(line_start, content_end) - line_start;
        match (hit, line.get(..from), line.get(from..to), line.get(to..)) {
            (true, Some(before), Some(value), Some(after)) => {
                let value = if value.is_empty() {
                    "\u{2038}".into()
                } else {
                    esc(value)
                };
                let _ = write!(
                    out,
                    "{}<mark{title}>{value}</mark>{}",
                    esc(before),
                    esc(after)
                );
            }
            _ => out.push_str(&esc(line)),
        }
        // No newline between lines: each is a block of its own.
        out.push_str("</span>");
    }
    out.push_str("</code></pre>\n");
}

fn trace(out: &mut String, trace: &Trace, l: L) {
    let _ = write!(
        out,
        "<details class=\"trace\" open><summary>{}</summary>\n<table>\n",
        l.t("计算过程", "calculation")
    );
    for m in &trace.metrics {
        let _ = writeln!(
            out,
            "<tr class=\"formula\"><th colspan=\"3\">{}</th></tr>",
            l.text(&m.formula)
        );
        for input in &m.inputs {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td><code class=\"pointer\">{}</code></td></tr>",
                esc(&input.path),
                esc(&input.value),
                input
                    .pointer
                    .as_ref()
                    .map_or_else(String::new, |p| esc(p.as_str()).into_owned())
            );
        }
        let _ = writeln!(
            out,
            "<tr class=\"result\"><td><code>{}</code></td><td class=\"num\"><b>{}</b></td><td></td></tr>",
            esc(&m.name),
            esc(&m.result)
        );
    }
    for p in &trace.params {
        let _ = writeln!(
            out,
            "<tr class=\"param\"><td><code>{}</code></td><td class=\"num\">{}{}</td><td>{} {}</td></tr>",
            esc(&p.name),
            esc(&p.value),
            p.unit
                .as_deref()
                .map_or_else(String::new, |u| format!(" {}", esc(u))),
            confidence_badge(p.confidence, l),
            esc(&p.source)
        );
    }
    out.push_str("</table>\n</details>\n");
}

/// `--show-passed`: each rule in force, passed or not applicable (with the reason).
fn outcomes(out: &mut String, report: &FileReport, l: L) {
    let _ = write!(
        out,
        "<details class=\"outcomes\" open><summary>{}</summary>\n<table>\n",
        l.t("通过与不适用的规则", "rules passed and not applicable")
    );
    for o in &report.outcomes {
        let (class, status) = match &o.status {
            OutcomeStatus::Passed => ("passed", l.t("通过", "passed")),
            OutcomeStatus::Failed(_) => continue,
            OutcomeStatus::NotApplicable(reason) => (
                "not-applicable",
                format!("{}: {}", l.t("不适用", "not applicable"), l.text(reason)),
            ),
        };
        let title = l.text(&o.title);
        let _ = writeln!(
            out,
            "<tr class=\"outcome {class}\" data-rule=\"{}\" data-outcome=\"{class}\"><td><code>{}</code></td><td>{title}</td><td>{status}</td></tr>",
            esc(&o.rule),
            esc(&o.rule)
        );
    }
    out.push_str("</table>\n</details>\n");
}

/// `score`: the park's vetoes, deductions and figures.
fn evaluation(out: &mut String, score: &ParkScore, l: L) {
    let _ = writeln!(
        out,
        "<div class=\"evaluation\"><h3>{}</h3>",
        l.t("绩效评价", "evaluation")
    );
    if score.unreadable {
        let _ = writeln!(
            out,
            "<p>{}</p></div>",
            l.t(
                "文件无法读取或解析，未评分。",
                "the file could not be read or parsed; not scored."
            )
        );
        return;
    }
    if let Some(why) = &score.transition {
        let _ = writeln!(
            out,
            "<p class=\"warn\"><b>{}:</b> {}</p>",
            l.t("不参加本年度评价", "not evaluated this year"),
            l.block(why)
        );
    }
    out.push_str("<ul>");
    if score.vetoes.is_empty() {
        let _ = write!(
            out,
            "<li>{}: {}</li>",
            l.t("一票否决", "vetoes"),
            l.t("无", "none")
        );
    } else {
        let _ = write!(
            out,
            "<li class=\"veto\"><b>{}: {}</b><ul>",
            l.t("一票否决（评为 D 级）", "vetoes (grade D)"),
            score.vetoes.len()
        );
        for v in &score.vetoes {
            let _ = write!(
                out,
                "<li><code>{}</code> {}</li>",
                esc(&v.rule),
                l.text(&v.message)
            );
        }
        out.push_str("</ul></li>");
    }
    let _ = write!(
        out,
        "<li><b>{}: {}</b>",
        l.t("扣分", "deductions"),
        if score.points_deducted > 0.0 {
            format!("−{}", number(score.points_deducted))
        } else {
            "0".to_owned()
        }
    );
    if !score.deductions.is_empty() {
        out.push_str("<ul>");
        for d in &score.deductions {
            let _ = write!(
                out,
                "<li><code>{}</code> −{} {}</li>",
                esc(&d.rule),
                number(d.points.unwrap_or_default()),
                l.text(&d.message)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</li>");
    for f in &score.figures {
        let unit = f
            .unit
            .as_deref()
            .map_or_else(String::new, |u| esc(u).into_owned());
        match (f.value, f.numerator, f.denominator) {
            (Some(v), Some(n), Some(d)) => {
                let coefficient = f.coefficient.map_or_else(String::new, |c| {
                    format!(" · {} {}", l.t("系数", "coefficient"), number(c))
                });
                let _ = write!(
                    out,
                    "<li>{}: <b>{}</b> {unit} = {} {} ÷ {} {}{coefficient}</li>",
                    l.text(&f.title),
                    number(v),
                    number(n),
                    esc(f.numerator_unit.as_deref().unwrap_or("")),
                    number(d),
                    esc(f.denominator_unit.as_deref().unwrap_or(""))
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "<li>{}: {} {}</li>",
                    l.text(&f.title),
                    l.t("无法计算", "not computed"),
                    f.unavailable
                        .as_ref()
                        .map_or_else(String::new, |w| format!("（{}）", l.text(w)))
                );
            }
        }
    }
    out.push_str("</ul></div>\n");
}
