//! `--format html`: one self-contained page for a bureau reviewer — the verdict, the facts of
//! the run, a table of parks and one of rules, then each park's findings with their snippets,
//! citations and calculations; for `score`, the evaluation with inline SVG charts.
//!
//! The page loads nothing: its style and script are inline (`style.css`, `script.js`), allowed
//! by their hashes in a `Content-Security-Policy` that forbids every other load, and it reads
//! whole without JavaScript (the script only filters and sorts). Every value of a submission is
//! escaped (`escape.rs`), and the full `--format json` document is embedded, escaped so that it
//! cannot close its `<script>`, so the page never disagrees with the JSON. Each park section
//! and each finding carries `data-` attributes (park, file, rule, severity, status) for tools
//! and tests. A print stylesheet puts each park on new A4 pages with a line for the reviewer's
//! signature.

mod chart;
pub mod escape;
mod park;

use std::collections::BTreeMap;
use std::fmt::Write;

use sha2::{Digest, Sha256};

use super::catalogue::{RuleInfo, catalogue};
use crate::engine::Engine;
use crate::facts::ParkFacts;
use crate::finding::{Confidence, FileReport, Severity, Suppression};
use crate::run::{RunFacts, Summary};
use crate::score::Scores;
use crate::text::{Lang, Text, number};
use escape::html as esc;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// What a page is made of.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub reports: &'a [FileReport],
    pub summary: &'a Summary,
    /// What the run was built with.
    pub facts: &'a RunFacts,
    /// The rules in force (titles, citations, the evaluation's vetoes); none with `--no-rules`.
    pub engine: Option<&'a Engine>,
    pub lang: Lang,
    /// List the rules that passed or did not apply for each park, with the reason.
    pub show_passed: bool,
    /// The evaluation's view of the same reports (`parkcheck::score::score`), one park per
    /// report in the same order: its figures fill the 亩均 columns of the park table.
    pub scores: Option<&'a Scores>,
    /// Show the evaluation (vetoes, deductions, figures and their charts): `score`'s page.
    pub evaluation: bool,
}

/// The language(s) of the page, and how labels and messages are written in them.
#[derive(Debug, Clone, Copy)]
struct L(Lang);

impl L {
    /// A label, escaped: `中文 / English` when both.
    fn t(self, zh: &str, en: &str) -> String {
        match self.0 {
            Lang::Zh => esc(zh).into_owned(),
            Lang::En => esc(en).into_owned(),
            Lang::Both if zh == en => esc(zh).into_owned(),
            Lang::Both => format!("{}<span class=\"en\"> / {}</span>", esc(zh), esc(en)),
        }
    }

    fn text(self, text: &Text) -> String {
        self.t(&text.zh, &text.en)
    }

    /// A message, escaped: the Chinese line, then the English one.
    fn block(self, text: &Text) -> String {
        match self.0 {
            Lang::Zh => format!("<span lang=\"zh-CN\">{}</span>", esc(&text.zh)),
            Lang::En => format!("<span lang=\"en\">{}</span>", esc(&text.en)),
            Lang::Both if text.zh == text.en => {
                format!("<span lang=\"zh-CN\">{}</span>", esc(&text.zh))
            }
            Lang::Both => format!(
                "<span lang=\"zh-CN\">{}</span><br><span lang=\"en\" class=\"en\">{}</span>",
                esc(&text.zh),
                esc(&text.en)
            ),
        }
    }

    /// Plain text, unescaped, on one line (for `title` and `aria-label` attributes, escaped
    /// by the caller).
    fn plain(self, zh: &str, en: &str) -> String {
        Text::new(zh, en).render_inline(self.0)
    }
}

/// What the page says about one report.
#[derive(Debug)]
struct ParkRow<'a> {
    index: usize,
    report: &'a FileReport,
    facts: Option<&'a ParkFacts>,
    /// How the page names it: the park's name, else the file.
    name: String,
    /// The `data-park` value: platform id, else name, else file.
    key: String,
    result: Outcome,
    errors: usize,
    warnings: usize,
    infos: usize,
    waived: usize,
    baselined: usize,
    vetoes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed,
    Unreadable,
    /// Not a submission: a waiver file's notes.
    Note,
}

impl Outcome {
    const fn key(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Unreadable => "unreadable",
            Self::Note => "note",
        }
    }

    fn label(self, l: L) -> String {
        match self {
            Self::Passed => l.t("通过", "passed"),
            Self::Failed => l.t("未通过", "failed"),
            Self::Unreadable => l.t("无法读取", "unreadable"),
            Self::Note => l.t("说明", "notes"),
        }
    }
}

fn severity_label(severity: Severity, l: L) -> String {
    match severity {
        Severity::Error => l.t("错误", "error"),
        Severity::Warning => l.t("警告", "warning"),
        Severity::Info => l.t("提示", "info"),
    }
}

fn severity_heading(severity: Severity, l: L) -> String {
    match severity {
        Severity::Error => l.t("错误", "errors"),
        Severity::Warning => l.t("警告", "warnings"),
        Severity::Info => l.t("提示", "infos"),
    }
}

/// A confidence badge; an unverified source or threshold is marked so it cannot be missed.
fn confidence_badge(confidence: Confidence, l: L) -> String {
    let mark = if confidence == Confidence::Unverified {
        "⚠ "
    } else {
        ""
    };
    format!(
        "<span class=\"conf conf-{}\" title=\"{}\">{mark}{}</span>",
        confidence.as_str(),
        esc(&l.plain(
            "依据或阈值的可信程度",
            "how sure the source or threshold is"
        )),
        l.t(confidence.zh(), confidence.as_str())
    )
}

fn kind_label(kind: &str, l: L) -> String {
    match kind {
        "filing" => l.t("备案", "filing"),
        "annual" => l.t("年度运行数据", "annual data"),
        "star" => l.t("星级申报", "star application"),
        other => esc(other).into_owned(),
    }
}

/// Renders the page.
#[must_use]
pub fn render(page: &Page<'_>) -> String {
    let l = L(page.lang);
    let rules = catalogue(page.engine, page.reports);
    let vetoes: Vec<&str> = page
        .engine
        .and_then(|e| e.rules().scoring())
        .map(|s| s.vetoes.iter().map(|v| v.id.as_str()).collect())
        .unwrap_or_default();
    let rows: Vec<ParkRow<'_>> = page
        .reports
        .iter()
        .enumerate()
        .map(|(index, report)| row(index, report, page.facts.fail_on, &vetoes))
        .collect();
    let json = super::json::render(page.reports, page.summary, page.show_passed);
    let mut body = String::with_capacity(64 * 1024 + page.reports.len() * 8 * 1024);
    verdict(&mut body, page, &rows, l);
    run_facts(&mut body, page.facts, l);
    toolbar(&mut body, l);
    park_table(&mut body, page, &rows, l);
    rule_table(&mut body, page.reports, &rules, l);
    if page.evaluation {
        if let Some(scores) = page.scores {
            chart::evaluation(&mut body, scores, page.summary, &rows, l);
        }
    }
    let sections: BTreeMap<&str, usize> = page
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.source.name(), i))
        .collect();
    for row in &rows {
        let score = page
            .scores
            .filter(|_| page.evaluation)
            .and_then(|s| s.parks.get(row.index));
        park::section(&mut body, row, page, &rules, &sections, score, l);
    }
    let _ = writeln!(
        body,
        "<script type=\"application/json\" id=\"parkcheck-json\">{}</script>",
        escape::json_in_script(json.trim_end())
    );
    if let Some(scores) = page.scores.filter(|_| page.evaluation) {
        let score_json = crate::score::render_json(scores);
        let _ = writeln!(
            body,
            "<script type=\"application/json\" id=\"parkcheck-score-json\">{}</script>",
            escape::json_in_script(score_json.trim_end())
        );
    }
    let html_lang = match page.lang {
        Lang::En => "en",
        _ => "zh-CN",
    };
    let title = if page.evaluation {
        l.plain(
            "小微企业园绩效评价明细",
            "evaluation breakdown of small and micro enterprise parks",
        )
    } else {
        l.plain(
            "小微企业园申报审查报告",
            "review report of small and micro enterprise park submissions",
        )
    };
    let mut out = String::with_capacity(body.len() + STYLE.len() + SCRIPT.len() + 2048);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"parkcheck {version}\">\n\
         <title>{title}</title>\n<link rel=\"icon\" href=\"data:,\">\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<header class=\"page-head\"><h1>{h1}</h1>\
         <p class=\"generated\">{generated}: <time datetime=\"{today}\">{today}</time> · parkcheck {version}</p></header>\n\
         <main>\n{body}</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        csp = csp(),
        version = esc(&page.facts.version),
        title = esc(&title),
        h1 = if page.evaluation {
            l.t(
                "小微企业园绩效评价明细",
                "Evaluation breakdown of small and micro enterprise parks",
            )
        } else {
            l.t(
                "小微企业园申报审查报告",
                "Review report of small and micro enterprise park submissions",
            )
        },
        generated = l.t("生成日期", "generated"),
        today = esc(&page.facts.today),
    );
    out
}

/// The policy: nothing may be loaded from anywhere; the page's own style and script run by
/// their hashes (so an injected `<script>` or `style` attribute would not), images only as
/// `data:` (the empty favicon).
#[must_use]
pub fn csp() -> String {
    let hash = |text: &str| escape::base64(&Sha256::digest(text.as_bytes()));
    format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        hash(SCRIPT),
        hash(STYLE)
    )
}

fn row<'a>(
    index: usize,
    report: &'a FileReport,
    fail_on: Severity,
    vetoes: &[&str],
) -> ParkRow<'a> {
    let facts = report.facts.as_deref();
    let file = report.source.name();
    let name = facts
        .and_then(|f| f.name.as_ref())
        .map_or_else(|| file.to_owned(), |n| n.value.clone());
    let key = facts
        .and_then(ParkFacts::park_id)
        .unwrap_or(file)
        .to_owned();
    let mut row = ParkRow {
        index,
        report,
        facts,
        name,
        key,
        result: Outcome::Passed,
        errors: 0,
        warnings: 0,
        infos: 0,
        waived: 0,
        baselined: 0,
        vetoes: 0,
    };
    let mut failed = false;
    for f in &report.findings {
        match f.suppression {
            Some(Suppression::Waived { .. }) => row.waived += 1,
            Some(Suppression::Baselined) => row.baselined += 1,
            None => {
                match f.severity {
                    Severity::Error => row.errors += 1,
                    Severity::Warning => row.warnings += 1,
                    Severity::Info => row.infos += 1,
                }
                failed |= f.severity >= fail_on;
                if vetoes.contains(&f.rule.as_str()) {
                    row.vetoes += 1;
                }
            }
        }
    }
    row.result = if report.unreadable {
        Outcome::Unreadable
    } else if facts.is_none() {
        Outcome::Note
    } else if failed {
        Outcome::Failed
    } else {
        Outcome::Passed
    };
    row
}

fn verdict(out: &mut String, page: &Page<'_>, rows: &[ParkRow<'_>], l: L) {
    let s = page.summary;
    let fail_on = page.facts.fail_on;
    let class = if s.files_unreadable > 0 {
        "unreadable"
    } else if s.parks_failed > 0 {
        "failed"
    } else {
        "passed"
    };
    let fail_on_label = severity_label(fail_on, l);
    let headline = match class {
        "passed" => l.t(
            &format!("全部 {} 个园区通过", s.parks),
            &format!("all {} park(s) pass", s.parks),
        ),
        _ => l.t(
            &format!("{} 个园区中 {} 个未通过", s.parks, s.parks_failed),
            &format!("{} of {} park(s) fail", s.parks_failed, s.parks),
        ),
    };
    let _ = write!(
        out,
        "<section id=\"verdict\" class=\"verdict verdict-{class}\" data-parks=\"{}\" data-passed=\"{}\" data-failed=\"{}\" data-unreadable=\"{}\">\n\
         <h2>{}</h2>\n<p class=\"headline\">{headline}<span class=\"fail-on\">（{}: {fail_on_label}）</span></p>\n<ul class=\"cards\">\n",
        s.parks,
        s.parks_passed,
        s.parks_failed,
        s.files_unreadable,
        l.t("结论", "Verdict"),
        l.t(
            "未通过的标准：存在该级别及以上的问题",
            "a park fails with a finding at or above"
        ),
    );
    let cards: [(&str, usize, String); 9] = [
        ("parks", s.parks, l.t("园区", "parks")),
        ("passed", s.parks_passed, l.t("通过", "passed")),
        ("failed", s.parks_failed, l.t("未通过", "failed")),
        ("error", s.errors, l.t("错误", "errors")),
        ("warning", s.warnings, l.t("警告", "warnings")),
        ("info", s.infos, l.t("提示", "infos")),
        ("waived", s.waived, l.t("已豁免", "waived")),
        ("baselined", s.baselined, l.t("在基线中", "in the baseline")),
        (
            "unreadable",
            s.files_unreadable,
            l.t("无法读取的文件", "unreadable files"),
        ),
    ];
    for (key, n, label) in cards {
        let _ = writeln!(
            out,
            "<li class=\"card card-{key}\" data-count=\"{key}\"><b>{n}</b><span>{label}</span></li>"
        );
    }
    out.push_str("</ul>\n");
    let unreadable: Vec<&ParkRow<'_>> = rows
        .iter()
        .filter(|r| r.result == Outcome::Unreadable)
        .collect();
    if !unreadable.is_empty() {
        let _ = write!(
            out,
            "<p class=\"unreadable-list\">{}: ",
            l.t(
                "无法读取或解析的文件",
                "files that could not be read or parsed"
            )
        );
        for (i, r) in unreadable.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(
                out,
                "<a href=\"#park-{}\">{}</a>",
                r.index,
                esc(r.report.source.name())
            );
        }
        out.push_str("</p>\n");
    }
    if s.baseline_resolved > 0 {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            l.t(
                &format!("基线中 {} 项本次未发现（已解决）", s.baseline_resolved),
                &format!(
                    "{} finding(s) of the baseline not found now (resolved)",
                    s.baseline_resolved
                )
            )
        );
    }
    out.push_str("</section>\n");
}

fn run_facts(out: &mut String, facts: &RunFacts, l: L) {
    let _ = write!(
        out,
        "<section id=\"run\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<dl class=\"facts\">\n",
        l.t("检查依据与条件", "Run facts"),
        l.t(
            "请将本节与审查意见一并存档。",
            "File this with the review opinion."
        )
    );
    let none = || l.t("无", "none");
    let mut item = |term: String, value: String| {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{value}</dd>");
    };
    item(
        l.t("parkcheck 版本", "parkcheck version"),
        esc(&facts.version).into_owned(),
    );
    item(l.t("报告日期", "date"), esc(&facts.today).into_owned());
    item(
        l.t("评价基准日", "as of"),
        facts.as_of.as_ref().map_or_else(
            || l.t("各申报文件自身的 as_of", "each submission's own as_of"),
            |d| format!("{} (--as-of)", esc(d)),
        ),
    );
    item(
        l.t("未通过标准", "fails at"),
        format!(
            "{} (--fail-on {})",
            severity_label(facts.fail_on, l),
            facts.fail_on.as_str()
        ),
    );
    item(
        l.t("配置", "profile"),
        match (&facts.profile, &facts.profile_file) {
            (Some(name), Some(file)) => format!("{} <code>{}</code>", esc(name), esc(file)),
            (None, Some(file)) => format!("<code>{}</code>", esc(file)),
            _ => none(),
        },
    );
    item(
        l.t("豁免文件", "waivers"),
        if facts.waivers.is_empty() {
            none()
        } else {
            facts
                .waivers
                .iter()
                .map(|w| format!("<code>{}</code>", esc(w)))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    item(
        l.t("基线", "baseline"),
        facts
            .baseline
            .as_ref()
            .map_or_else(none, |b| format!("<code>{}</code>", esc(b))),
    );
    out.push_str("</dl>\n");
    if !facts.rules {
        let _ = writeln!(
            out,
            "<p class=\"warn\">{}</p>",
            l.t(
                "仅检查了文件结构（--no-rules），未执行规则。",
                "structure only (--no-rules): no rule was evaluated."
            )
        );
    }
    if !facts.rulebooks.is_empty() {
        let _ = write!(
            out,
            "<table class=\"rulebooks\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
            l.t("规则手册", "rulebook"),
            l.t("依据文件", "document"),
            l.t("版本", "version"),
            l.t("生效", "effective"),
            l.t("规则数", "rules"),
            l.t("依据可信程度", "confidence"),
        );
        for book in &facts.rulebooks {
            let document = match &book.number {
                Some(n) => format!(
                    "{}<br><small>{} {}</small>",
                    l.text(&book.title),
                    esc(&book.issuer),
                    esc(n)
                ),
                None => format!(
                    "{}<br><small>{}</small>",
                    l.text(&book.title),
                    esc(&book.issuer)
                ),
            };
            let confidence: Vec<String> = book
                .confidence
                .iter()
                .map(|(c, n)| {
                    format!(
                        "<span class=\"nowrap\">{} ×{n}</span>",
                        confidence_badge(*c, l)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr data-rulebook=\"{}\"><td><code>{}</code></td><td>{document}</td><td>{}</td><td class=\"nowrap\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&book.id),
                esc(&book.id),
                esc(&book.version),
                esc(&book.effective.render_inline(l.0)),
                book.rules,
                confidence.join(" ")
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

/// The filters (shown only when the script runs: without it, everything is on the page).
fn toolbar(out: &mut String, l: L) {
    let _ = write!(
        out,
        "<form id=\"filters\" class=\"toolbar js-only\" role=\"search\">\n<fieldset><legend>{}</legend>\n",
        l.t("筛选问题", "filter findings")
    );
    for (key, label) in [
        ("error", l.t("错误", "errors")),
        ("warning", l.t("警告", "warnings")),
        ("info", l.t("提示", "infos")),
        ("suppressed", l.t("已豁免/基线", "waived/baselined")),
    ] {
        let _ = writeln!(
            out,
            "<label class=\"sev-toggle sev-{key}\"><input type=\"checkbox\" name=\"severity\" value=\"{key}\" data-filter-severity=\"{key}\" checked> {label}</label>"
        );
    }
    let _ = write!(
        out,
        "<label>{} <input type=\"search\" id=\"filter-rule\" data-filter=\"rule\" placeholder=\"FORM-016\" size=\"12\"></label>\n\
         <label>{} <input type=\"search\" id=\"filter-park\" data-filter=\"park\" size=\"16\"></label>\n\
         <label>{} <select id=\"filter-result\" data-filter=\"result\"><option value=\"\">{}</option><option value=\"failed\">{}</option><option value=\"passed\">{}</option><option value=\"unreadable\">{}</option></select></label>\n\
         <button type=\"reset\" id=\"filter-reset\">{}</button>\n<output id=\"filter-count\" aria-live=\"polite\"></output>\n</fieldset>\n</form>\n",
        l.t("规则", "rule"),
        l.t("园区、县（市、区）或文件", "park, county or file"),
        l.t("结论", "result"),
        l.t("全部", "all"),
        l.t("未通过", "failed"),
        l.t("通过", "passed"),
        l.t("无法读取", "unreadable"),
        l.t("清除", "clear"),
    );
}

/// The figures of a park for the 亩均 columns: `(title, value, unit)` per figure.
fn figures<'a>(page: &Page<'a>, index: usize) -> Vec<(Option<f64>, Option<&'a str>)> {
    page.scores
        .and_then(|s| s.parks.get(index))
        .map(|p| {
            p.figures
                .iter()
                .map(|f| (f.value, f.unit.as_deref()))
                .collect()
        })
        .unwrap_or_default()
}

fn park_table(out: &mut String, page: &Page<'_>, rows: &[ParkRow<'_>], l: L) {
    let titles: Vec<String> = page
        .scores
        .and_then(|s| s.parks.first())
        .map(|p| {
            p.figures
                .iter()
                .map(|f| {
                    let unit = f
                        .unit
                        .as_deref()
                        .map_or_else(String::new, |u| format!("<br><small>{}</small>", esc(u)));
                    format!("{}{unit}", l.text(&f.title))
                })
                .collect()
        })
        .unwrap_or_default();
    let _ = write!(
        out,
        "<section id=\"parks\">\n<h2>{}</h2>\n<table id=\"park-table\" class=\"sortable\">\n<thead><tr>\
         <th data-sort=\"text\">{}</th><th data-sort=\"text\">{}</th><th data-sort=\"text\">{}</th><th data-sort=\"text\">{}</th>\
         <th data-sort=\"text\">{}</th><th data-sort=\"num\">{}</th><th data-sort=\"num\">{}</th><th data-sort=\"num\">{}</th><th data-sort=\"num\">{}</th>",
        l.t("园区", "Parks"),
        l.t("园区", "park"),
        l.t("县（市、区）", "county"),
        l.t("类型", "type"),
        l.t("申报", "kind"),
        l.t("结论", "result"),
        l.t("错误", "errors"),
        l.t("警告", "warnings"),
        l.t("已豁免", "waived"),
        l.t("否决项", "vetoes"),
    );
    for title in &titles {
        let _ = write!(out, "<th data-sort=\"num\">{title}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let facts = row.facts;
        let field = |v: Option<&String>| v.map_or_else(String::new, |v| esc(v).into_owned());
        let county = field(facts.and_then(|f| f.county.as_ref()));
        let park_type = field(facts.and_then(|f| f.park_type.as_ref()));
        let kind = facts
            .and_then(|f| f.kind.as_deref())
            .map_or_else(String::new, |k| kind_label(k, l));
        let search = format!(
            "{} {} {} {} {}",
            row.name,
            row.key,
            row.report.source.name(),
            facts.and_then(|f| f.county.as_deref()).unwrap_or(""),
            facts.and_then(|f| f.park_type.as_deref()).unwrap_or("")
        )
        .to_lowercase();
        let _ = write!(
            out,
            "<tr data-park=\"{}\" data-file=\"{}\" data-result=\"{}\" data-search=\"{}\">\
             <td><a href=\"#park-{}\">{}</a><br><small>{}</small></td><td>{county}</td><td>{park_type}</td><td>{kind}</td>\
             <td data-value=\"{}\"><span class=\"badge result-{}\">{}</span></td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            esc(&row.key),
            esc(row.report.source.name()),
            row.result.key(),
            esc(&search),
            row.index,
            esc(&row.name),
            esc(row.report.source.name()),
            row.result.key(),
            row.result.key(),
            row.result.label(l),
            row.errors,
            row.warnings,
            row.waived + row.baselined,
            row.vetoes,
        );
        let values = figures(page, row.index);
        for i in 0..titles.len() {
            match values.get(i) {
                Some((Some(v), _)) => {
                    let _ = write!(
                        out,
                        "<td class=\"num\" data-value=\"{v}\">{}</td>",
                        number(*v)
                    );
                }
                _ => out.push_str("<td class=\"num\" data-value=\"\">—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if !titles.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            l.t(
                "亩均税收、亩均营业收入 = 在园企业的合计 ÷ 实际用地面积（亩）；“—”为无法计算。",
                "tax and revenue per mu = the total of the tenants present ÷ the actual land in mu; “—”: not computed."
            )
        );
    }
    out.push_str("</section>\n");
}

fn rule_table(out: &mut String, reports: &[FileReport], rules: &[RuleInfo], l: L) {
    // Per rule: counted findings by severity, and those waived or baselined.
    let mut fired: BTreeMap<&str, (BTreeMap<Severity, usize>, usize)> = BTreeMap::new();
    for f in reports.iter().flat_map(|r| &r.findings) {
        let entry = fired.entry(f.rule.as_str()).or_default();
        if f.counts() {
            *entry.0.entry(f.severity).or_default() += 1;
        } else {
            entry.1 += 1;
        }
    }
    let _ = write!(
        out,
        "<section id=\"rules\">\n<h2>{}</h2>\n<p class=\"js-only\"><label>{} <input type=\"search\" id=\"rule-table-filter\" size=\"20\"></label></p>\n",
        l.t("触发的规则", "Rules that fired"),
        l.t("筛选规则", "filter rules"),
    );
    if fired.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            l.t("没有发现问题。", "Nothing was found.")
        );
        out.push_str("</section>\n");
        return;
    }
    let _ = write!(
        out,
        "<table id=\"rule-table\" class=\"sortable\">\n<thead><tr><th data-sort=\"text\">{}</th><th data-sort=\"text\">{}</th><th data-sort=\"text\">{}</th><th data-sort=\"text\">{}</th><th data-sort=\"num\">{}</th><th data-sort=\"num\">{}</th></tr></thead>\n<tbody>\n",
        l.t("规则", "rule"),
        l.t("名称", "title"),
        l.t("级别", "severity"),
        l.t("依据可信程度", "confidence"),
        l.t("次数", "count"),
        l.t("已豁免/基线", "waived/baselined"),
    );
    for (id, (by_severity, suppressed)) in &fired {
        let rule = rules.iter().find(|r| r.id == *id);
        let title = rule.map_or_else(String::new, |r| l.text(&r.title));
        let severities: Vec<String> = by_severity
            .iter()
            .rev()
            .map(|(s, n)| {
                format!(
                    "<span class=\"badge sev-{}\">{}</span> ×{n}",
                    s.as_str(),
                    severity_label(*s, l)
                )
            })
            .collect();
        let severities = if severities.is_empty() {
            rule.map_or_else(String::new, |r| {
                format!(
                    "<span class=\"badge sev-{}\">{}</span>",
                    r.severity.as_str(),
                    severity_label(r.severity, l)
                )
            })
        } else {
            severities.join(" ")
        };
        let confidence = rule
            .and_then(|r| r.citation.as_ref())
            .map_or_else(String::new, |c| confidence_badge(c.confidence, l));
        let count: usize = by_severity.values().sum();
        let search = format!(
            "{id} {}",
            rule.map_or_else(String::new, |r| format!("{} {}", r.title.zh, r.title.en))
        )
        .to_lowercase();
        let _ = writeln!(
            out,
            "<tr id=\"rule-{}\" data-rule=\"{}\" data-search=\"{}\"><td><a href=\"#filters\" class=\"rule-link\" data-rule=\"{}\"><code>{}</code></a></td><td>{title}</td><td>{severities}</td><td>{confidence}</td><td class=\"num\">{count}</td><td class=\"num\">{suppressed}</td></tr>",
            esc(id),
            esc(id),
            esc(&search),
            esc(id),
            esc(id),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

#[cfg(test)]
mod tests;
