//! Human output: one `miette` diagnostic per finding, with the source snippet and a label on
//! the value, then a summary.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use crate::finding::FileReport;
use crate::finding::{Finding, Severity, Suppression};
use crate::run::Summary;
use crate::source::Span;
use crate::text::{Lang, Text, VisibleSource, visible, visible_inline};

/// How to draw the report.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub lang: Lang,
    pub color: bool,
    pub width: usize,
    /// List the rules that passed or did not apply, after each file's findings.
    pub show_passed: bool,
}

/// One finding as drawn: its texts made safe for a terminal ([`visible`]), its span in the
/// safe copy of the source.
struct Rendered<'a> {
    finding: &'a Finding,
    message: String,
    help: Option<String>,
    label: String,
    span: Option<Span>,
    /// A second label: the header cell of the value's column, for a workbook.
    header: Option<(Span, String)>,
    source: Snippet,
    /// Whether to draw the source snippet (not for lines too long to read).
    snippet: bool,
}

/// The longest source line drawn in a snippet, in bytes; a finding on a longer line (a 10 MB
/// single-line value, minified JSON) is reported with its line and column but without snippet.
const MAX_SNIPPET_LINE: usize = 1000;

/// Whether the lines a snippet of `span` would show (with one line of context on each side)
/// are all short enough to draw. The lines are found through the file's line index, so a
/// minified file with thousands of findings on its one line is not scanned once per finding.
fn drawable(source: &crate::source::SourceFile, span: Span) -> bool {
    source
        .lines_around(span, 1)
        .all(|line| line.len() <= MAX_SNIPPET_LINE)
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendered")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.span
            .filter(|_| self.snippet)
            .map(|_| &self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.filter(|_| self.snippet)?;
        let header = self
            .header
            .as_ref()
            .map(|(at, label)| LabeledSpan::new_with_span(Some(label.clone()), *at));
        Some(Box::new(
            std::iter::once(LabeledSpan::new_primary_with_span(
                Some(self.label.clone()),
                span,
            ))
            .chain(header),
        ))
    }
}

/// One line in the chosen language(s): `中文 / English` when both; made safe for a terminal.
fn inline(text: &Text, lang: Lang) -> String {
    visible_inline(&text.render_inline(lang)).into_owned()
}

/// A name or value from an input, on one line and safe for a terminal.
fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    visible_inline(text)
}

/// Renders the problems of configuration files (rulebooks, a profile, waivers, a baseline)
/// that stopped a run, then `closing`, which says what was not done.
#[must_use]
pub fn render_problems(reports: &[FileReport], closing: &Text, style: Style) -> String {
    let mut out = render_files(reports, style);
    out.push_str(&closing.render(style.lang));
    out.push('\n');
    out
}

/// Renders every finding of every file, then the summary.
#[must_use]
pub fn render(reports: &[FileReport], summary: &Summary, style: Style) -> String {
    let mut out = render_files(reports, style);
    out.push_str(&waived(reports, style.lang));
    out.push_str(&resolved(summary, style.lang));
    out.push_str(&failing_parks(summary, style.lang));
    out.push_str(&summary_line(summary).render(style.lang));
    out.push('\n');
    out
}

/// Every finding of every file that is not waived or baselined, with its snippet.
fn render_files(reports: &[FileReport], style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme.clone())
        .with_width(style.width)
        .with_links(false);
    // A workbook's snippet is its sheet: the header row and the value's row, numbered as the
    // sheet numbers them, under the name `file:sheet!cell` (not a line and column).
    let sheet_handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .without_primary_span_start()
        .with_context_lines(0);
    let mut out = String::new();
    for report in reports {
        let drawn: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .collect();
        let show_outcomes = style.show_passed && !report.outcomes.is_empty();
        if drawn.is_empty() && !show_outcomes {
            continue;
        }
        // What is drawn of the file is made safe for a terminal: a control character or a bidi
        // override in a submission is shown (`␛`, `\u{202e}`), never sent; spans are moved onto
        // the same characters of the safe copy.
        let name = safe(report.source.name()).into_owned();
        let safe_source = VisibleSource::of(report.source.text());
        let text = safe_source
            .as_ref()
            .map_or_else(|| report.source.shared_text(), |s| s.text.as_str().into());
        let map = |span: Span| match &safe_source {
            Some(s) => Span::new(s.map(span.start), s.map(span.end)),
            None => span,
        };
        let source = NamedSource::new(name.clone(), text);
        // Waived and baselined findings are listed compactly below, not drawn.
        for finding in drawn {
            let snippet = finding
                .span
                .is_some_and(|span| drawable(&report.source, span));
            let message = visible(&finding.message.render(style.lang)).into_owned();
            let help = finding
                .help
                .as_ref()
                .map(|h| visible(&h.render(style.lang)).into_owned());
            let label = match &finding.label {
                Some(label) => format!("{}: {}", finding.rule, inline(label, style.lang)),
                None => finding.rule.clone(),
            };
            if let (Some(span), Some(grid)) = (finding.span, report.source.grid()) {
                let at = report.source.locate(span.start);
                let place = safe(&at.place()).into_owned();
                let rendered = sheet_snippet(&report.source, grid, span, snippet, style.lang).map(
                    |(text, value, header)| Rendered {
                        finding,
                        message: message.clone(),
                        help: help.clone(),
                        label: label.clone(),
                        span: Some(value),
                        header,
                        source: Snippet::Sheet(SheetSource {
                            name: format!("{name}:{place}"),
                            text,
                        }),
                        snippet,
                    },
                );
                if let Some(rendered) = rendered {
                    if !snippet {
                        out.push_str(&format!("{name}:{place}:\n"));
                    }
                    let _ = sheet_handler.render_report(&mut out, &rendered);
                    out.push_str(&provenance(finding, style.lang));
                    out.push('\n');
                    continue;
                }
            }
            let rendered = Rendered {
                finding,
                message,
                help,
                label,
                span: finding.span.map(map),
                header: None,
                source: Snippet::Text(source.clone()),
                snippet,
            };
            match finding.span {
                None => {
                    out.push_str(&name);
                    out.push_str(":\n");
                }
                Some(span) if !snippet => {
                    let at = report.source.locate(span.start);
                    out.push_str(&format!("{name}:{}:\n", safe(&at.place())));
                }
                Some(_) => {}
            }
            // Writing into a String cannot fail.
            let _ = handler.render_report(&mut out, &rendered);
            out.push_str(&provenance(finding, style.lang));
            out.push('\n');
        }
        if style.show_passed && !report.outcomes.is_empty() {
            out.push_str(&outcomes(report, style.lang));
            out.push('\n');
        }
    }
    out
}

/// The source a snippet is drawn from: a text file, or a workbook's sheet.
#[derive(Debug)]
enum Snippet {
    Text(NamedSource<std::sync::Arc<str>>),
    Sheet(SheetSource),
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        match self {
            Self::Text(source) => source.read_span(span, before, after),
            Self::Sheet(sheet) => sheet.read_span(span, before, after),
        }
    }
}

/// A workbook's sheet as a snippet's source: each label's whole row, and nothing between
/// (the header row and row 14 are drawn as two lines numbered 1 and 14).
#[derive(Debug)]
struct SheetSource {
    name: String,
    text: std::sync::Arc<str>,
}

impl SourceCode for SheetSource {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text: &str = &self.text;
        let at = span.offset().min(text.len());
        let start = text
            .get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let end = text
            .get(at..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| at + i);
        let line = text.get(..start).map_or(0, |t| t.matches('\n').count());
        let data = text.get(start..end).unwrap_or_default().as_bytes();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data,
            miette::SourceSpan::new(start.into(), end - start),
            line,
            0,
            1,
        )))
    }
}

/// A sheet's text, the value's span in it, and the header cell's span and label.
type SheetSnippet = (std::sync::Arc<str>, Span, Option<(Span, String)>);

/// The snippet of a finding in a workbook: the text of the value's sheet, the value's span in
/// it, and (below the header row) the header cell of its column with its label.
fn sheet_snippet(
    source: &crate::source::SourceFile,
    grid: &crate::source::Grid,
    span: Span,
    snippet: bool,
    lang: Lang,
) -> Option<SheetSnippet> {
    let block = grid.sheet_block(span.start)?;
    let text: std::sync::Arc<str> = source.slice(block).into();
    let shift = |s: Span| Span::new(s.start - block.start, s.end.min(block.end) - block.start);
    let value = shift(Span::new(
        span.start.max(block.start),
        span.end.max(span.start),
    ));
    let cell = source.cell_at(span.start)?;
    let header = (snippet && cell.row > 1)
        .then(|| grid.cell_span(block, 1, cell.column))
        .flatten()
        .map(|h| (shift(h), inline(&Text::new("表头", "header"), lang)));
    Some((text, value, header))
}

/// Over several parks, the ones that fail, one line each: file, park, counts, rules.
fn failing_parks(summary: &Summary, lang: Lang) -> String {
    if summary.parks < 2 || summary.parks_failed == 0 {
        return String::new();
    }
    let mut out = format!(
        "{}:\n",
        inline(
            &Text::new(
                format!(
                    "未通过的园区（{} 个，共 {} 个）",
                    summary.parks_failed, summary.parks
                ),
                format!(
                    "parks that fail ({} of {})",
                    summary.parks_failed, summary.parks
                ),
            ),
            lang
        )
    );
    for park in summary.files_detail.iter().filter(|p| p.fails()) {
        let who = match (&park.park, park.result) {
            (_, crate::run::FileResult::Unreadable) => {
                inline(&Text::new("无法读取", "unreadable"), lang)
            }
            (Some(name), _) => safe(name).into_owned(),
            (None, _) => "—".to_owned(),
        };
        let counts = inline(
            &Text::new(
                format!("{} 个错误，{} 个警告", park.errors, park.warnings),
                format!("{} error(s), {} warning(s)", park.errors, park.warnings),
            ),
            lang,
        );
        let rules: Vec<String> = park
            .rules
            .iter()
            .map(|(r, n)| {
                if *n > 1 {
                    format!("{r} ×{n}")
                } else {
                    r.clone()
                }
            })
            .collect();
        let counts = if park.result == crate::run::FileResult::Unreadable {
            String::new()
        } else {
            format!("  {counts}")
        };
        out.push_str(&format!(
            "  {}  {who}{counts}  {}\n",
            safe(&park.file),
            rules.join(", ")
        ));
    }
    out.push('\n');
    out
}

/// The citation and the calculation of a finding, indented under its snippet.
fn provenance(finding: &Finding, lang: Lang) -> String {
    let mut out = String::new();
    if let Some(c) = &finding.citation {
        let confidence = Text::new(c.confidence.zh(), c.confidence.as_str());
        // The document's Chinese title is its name; English readers get the translation.
        let document = if lang == Lang::En {
            c.document.en.clone()
        } else {
            c.document.zh.clone()
        };
        let label = inline(&Text::new("依据", "source"), lang);
        out.push_str(&format!(
            "  {label}: {} {} [{}]\n",
            safe(&document),
            safe(&c.clause),
            inline(&confidence, lang)
        ));
    }
    for r in &finding.related {
        let at = match (r.line, r.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", safe(&r.file)),
            _ => safe(&r.file).into_owned(),
        };
        out.push_str(&format!(
            "  {}: {at}  {}\n",
            inline(&Text::new("另见", "see also"), lang),
            inline(&r.message, lang)
        ));
    }
    if let Some(trace) = &finding.trace {
        out.push_str(&format!(
            "  {}:\n",
            inline(&Text::new("计算", "calculation"), lang)
        ));
        for m in &trace.metrics {
            out.push_str(&format!("    {}\n", inline(&m.formula, lang)));
            for input in &m.inputs {
                let at = input
                    .pointer
                    .as_ref()
                    .map_or(String::new(), |p| format!("  ({})", safe(p.as_str())));
                let value = match input.count {
                    Some(n) => inline(&Text::new(format!("{n} 项"), format!("{n} items")), lang),
                    None => safe(&input.value).into_owned(),
                };
                out.push_str(&format!("      {} = {value}{at}\n", safe(&input.path)));
            }
            out.push_str(&format!("      {} = {}\n", safe(&m.name), safe(&m.result)));
        }
        for p in &trace.params {
            let confidence = Text::new(p.confidence.zh(), p.confidence.as_str());
            let unit = p.unit.as_deref().unwrap_or("");
            out.push_str(&format!(
                "    {} = {}{} [{}] {}\n",
                safe(&p.name),
                safe(&p.value),
                safe(unit),
                inline(&confidence, lang),
                safe(&p.source)
            ));
        }
    }
    out
}

/// The waived findings, one line each: rule, place, reason, who approved it, until when.
fn waived(reports: &[FileReport], lang: Lang) -> String {
    let mut out = String::new();
    for report in reports {
        for f in &report.findings {
            let Some(Suppression::Waived {
                reason,
                approved_by,
                document,
                expires,
                waiver,
            }) = &f.suppression
            else {
                continue;
            };
            if out.is_empty() {
                out = format!("{}:\n", inline(&Text::new("已豁免", "waived"), lang));
            }
            let place = f.span.map_or_else(String::new, |s| {
                format!(":{}", safe(&report.source.locate(s.start).place()))
            });
            let mut approval = vec![safe(approved_by).into_owned()];
            approval.extend(document.as_deref().map(|d| safe(d).into_owned()));
            if let Some(date) = expires {
                approval.push(inline(
                    &Text::new(format!("有效期至 {date}"), format!("until {date}")),
                    lang,
                ));
            }
            out.push_str(&format!(
                "  {} {}{place} ({})\n    {} — {}\n",
                f.rule,
                safe(report.source.name()),
                safe(waiver),
                safe(reason),
                approval.join(", ")
            ));
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The baseline's findings that were not found in this run.
fn resolved(summary: &Summary, lang: Lang) -> String {
    if summary.resolved.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "{}:\n",
        inline(
            &Text::new(
                "已解决（基线中有，本次未发现）",
                "resolved (in the baseline, not found now)"
            ),
            lang
        )
    );
    for e in &summary.resolved {
        let at = if e.pointer.is_empty() {
            String::new()
        } else {
            format!(" {}", e.pointer)
        };
        out.push_str(&format!(
            "  {} {}{}\n",
            safe(&e.rule),
            safe(&e.file),
            safe(&at)
        ));
    }
    out.push('\n');
    out
}

/// `--show-passed`: what each rule in force concluded for this file.
fn outcomes(report: &FileReport, lang: Lang) -> String {
    use crate::finding::OutcomeStatus;
    let mut out = format!("{}:\n", safe(report.source.name()));
    for o in &report.outcomes {
        let line = match &o.status {
            OutcomeStatus::Passed => inline(&Text::new("通过", "passed"), lang),
            OutcomeStatus::Failed(n) => inline(
                &Text::new(format!("未通过（{n} 项）"), format!("failed ({n})")),
                lang,
            ),
            OutcomeStatus::NotApplicable(reason) => {
                format!(
                    "{}: {}",
                    inline(&Text::new("不适用", "not applicable"), lang),
                    inline(reason, lang)
                )
            }
        };
        let skipped: String = o
            .skipped
            .iter()
            .map(|why| {
                format!(
                    "\n  {:<10} {}: {}",
                    "",
                    inline(&Text::new("未核对", "left out"), lang),
                    inline(why, lang)
                )
            })
            .collect();
        out.push_str(&format!(
            "  {:<10} {} — {line}{skipped}\n",
            o.rule,
            inline(&o.title, lang)
        ));
    }
    out
}

/// The counts of a run, in both languages (also the GitHub summary notice).
pub(crate) fn summary_line(s: &Summary) -> Text {
    let mut zh = format!(
        "检查 {} 个文件：{} 个错误，{} 个警告，{} 个提示",
        s.files, s.errors, s.warnings, s.infos
    );
    let mut en = format!(
        "checked {} file(s): {} error(s), {} warning(s), {} info(s)",
        s.files, s.errors, s.warnings, s.infos
    );
    if s.waiver_file_findings > 0 {
        zh.push_str(&format!(
            "（其中 {} 项在豁免文件中）",
            s.waiver_file_findings
        ));
        en.push_str(&format!(
            " ({} of them in waiver files)",
            s.waiver_file_findings
        ));
    }
    if s.waived > 0 {
        zh.push_str(&format!("；{} 项已豁免", s.waived));
        en.push_str(&format!("; {} waived", s.waived));
    }
    if s.baselined > 0 {
        zh.push_str(&format!("；{} 项在基线中", s.baselined));
        en.push_str(&format!("; {} in the baseline", s.baselined));
    }
    if s.baseline_resolved > 0 {
        zh.push_str(&format!("；基线中 {} 项已解决", s.baseline_resolved));
        en.push_str(&format!(
            "; {} resolved since the baseline",
            s.baseline_resolved
        ));
    }
    if s.files_unreadable > 0 {
        zh.push_str(&format!("；{} 个文件无法读取或解析", s.files_unreadable));
        en.push_str(&format!(
            "; {} file(s) could not be read or parsed",
            s.files_unreadable
        ));
    }
    // Over a repository: how many parks pass, and which rules fire most.
    if s.parks > 1 {
        zh.push_str(&format!(
            "\n园区 {} 个：{} 个通过，{} 个未通过",
            s.parks, s.parks_passed, s.parks_failed
        ));
        en.push_str(&format!(
            "\nparks: {} passed, {} failed of {}",
            s.parks_passed, s.parks_failed, s.parks
        ));
        let top = s.top_rules(5);
        if !top.is_empty() {
            let list: Vec<String> = top.iter().map(|(r, c)| format!("{r} ×{c}")).collect();
            zh.push_str(&format!("；最多的规则：{}", list.join("，")));
            en.push_str(&format!("; most frequent rules: {}", list.join(", ")));
        }
    }
    Text::new(zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_not_drawn() {
        let long = format!("a: 1\nb: {}\nc: 3\n", "x".repeat(2000));
        let at = |needle: &str| {
            let i = long.find(needle).unwrap();
            Span::new(i, i + 1)
        };
        let file = crate::source::SourceFile::new("t.yaml", long.as_str());
        // On the long line, and on the lines beside it (drawn as context).
        assert!(!drawable(&file, at("xx")));
        assert!(!drawable(&file, at("a:")));
        assert!(!drawable(&file, at("c:")));
        let short = "a: 1\nb: 2\nc: 3\nd: 4\n";
        let file = crate::source::SourceFile::new("s.yaml", short);
        assert!(drawable(&file, Span::new(0, 1)));
        assert!(drawable(&file, Span::new(short.len(), short.len())));
        // The line two away from a long one is drawn.
        let file = crate::source::SourceFile::new("t.yaml", format!("{long}d: 4\ne: 5\n"));
        let e = file.text().find("e:").unwrap();
        assert!(drawable(&file, Span::new(e, e + 1)));
    }
}
