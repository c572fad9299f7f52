//! `--format xlsx=FILE`: a findings workbook for reviewers who work in Excel or WPS. Sheets:
//! 汇总 (one row per park: result and counts), 问题清单 (one row per finding), 规则 (the rules
//! in force with their parameters, values, confidence and source) and 说明 (what the run was
//! built with, and what the workbook had to cut). Each table has a frozen header row, an
//! autofilter and set column widths.
//!
//! Every value is written as a string cell (`write_string`: never a formula); one that begins
//! with `=`, `+`, `-` or `@` also gets Excel's quote prefix, so it stays text when a reviewer
//! edits the cell. A value longer than a cell holds (32 767 characters) is cut with a note, and
//! findings beyond a sheet's 1 048 576 rows go on to 问题清单 (2), … — both said in 说明.
//! Writing is `rust_xlsxwriter`'s.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::catalogue::{RuleInfo, catalogue};
use crate::engine::Engine;
use crate::finding::{FileReport, Finding, Severity, Suppression};
use crate::run::{RunFacts, Summary};
use crate::text::{Lang, Text};

/// What a workbook is made of.
#[derive(Debug, Clone, Copy)]
pub struct Book<'a> {
    pub reports: &'a [FileReport],
    pub summary: &'a Summary,
    pub facts: &'a RunFacts,
    pub engine: Option<&'a Engine>,
    /// The language of the headers and of the help column (messages have a column each).
    pub lang: Lang,
}

/// The limits of the format (Excel's; smaller in tests).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Characters in one cell.
    pub cell_chars: usize,
    /// Rows in one sheet, the header row included.
    pub rows: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            cell_chars: 32_767,
            rows: 1_048_576,
        }
    }
}

/// Renders the workbook (the bytes of an `.xlsx` file).
///
/// # Errors
/// When the writer fails (it only fails on impossible input, such as a bad sheet name).
pub fn render(book: &Book<'_>) -> Result<Vec<u8>, String> {
    render_with(book, Limits::default())
}

/// [`render`] with other limits.
///
/// # Errors
/// As [`render`].
pub fn render_with(book: &Book<'_>, limits: Limits) -> Result<Vec<u8>, String> {
    build(book, limits).map_err(|e| e.to_string())
}

/// The cells written so far, and what had to be cut.
struct Writer {
    limits: Limits,
    text: Format,
    quoted: Format,
    wrap: Format,
    wrap_quoted: Format,
    header: Format,
    /// Cells cut to the limit: `sheet!cell (characters)`.
    cut: Vec<String>,
}

impl Writer {
    /// A string cell, cut to the cell limit; a leading `=`, `+`, `-` or `@` is quoted.
    fn cell(
        &mut self,
        sheet: &mut Worksheet,
        row: u32,
        col: u16,
        value: &str,
        wrap: bool,
    ) -> Result<(), XlsxError> {
        let chars = value.chars().count();
        let value = if chars > self.limits.cell_chars {
            let note = format!("…（截断，共 {chars} 字符 / truncated, {chars} characters）");
            let keep = self.limits.cell_chars.saturating_sub(note.chars().count());
            let cut: String = value.chars().take(keep).collect();
            self.cut.push(format!(
                "{}!{}{} ({chars})",
                sheet.name(),
                column_name(col),
                row + 1
            ));
            format!("{cut}{note}")
        } else {
            value.to_owned()
        };
        let risky = value.starts_with(['=', '+', '-', '@']);
        let format = match (risky, wrap) {
            (true, true) => &self.wrap_quoted,
            (true, false) => &self.quoted,
            (false, true) => &self.wrap,
            (false, false) => &self.text,
        };
        sheet.write_string_with_format(row, col, value, format)?;
        Ok(())
    }

    fn number(&self, sheet: &mut Worksheet, row: u32, col: u16, n: usize) -> Result<(), XlsxError> {
        #[allow(clippy::cast_precision_loss)]
        sheet.write_number(row, col, n as f64)?;
        Ok(())
    }

    /// The header row: bold, frozen, with an autofilter over `rows` data rows, and the widths.
    fn table(
        &self,
        sheet: &mut Worksheet,
        columns: &[(String, f64)],
        rows: u32,
    ) -> Result<(), XlsxError> {
        for (col, (title, width)) in (0u16..).zip(columns) {
            sheet.write_string_with_format(0, col, title.as_str(), &self.header)?;
            sheet.set_column_width(col, *width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let last = u16::try_from(columns.len().saturating_sub(1)).unwrap_or(0);
        sheet.autofilter(0, 0, rows.max(1), last)?;
        Ok(())
    }
}

/// `A`, …, `Z`, `AA`, … for a 0-based column.
fn column_name(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    name.iter().rev().collect()
}

fn severity(s: Severity, lang: Lang) -> String {
    match s {
        Severity::Error => Text::new("错误", "error"),
        Severity::Warning => Text::new("警告", "warning"),
        Severity::Info => Text::new("提示", "info"),
    }
    .render_inline(lang)
}

/// The kind of a submission as the forms name it.
fn kind(kind: &str, lang: Lang) -> String {
    match kind {
        "filing" => Text::new("备案", "filing").render_inline(lang),
        "annual" => Text::new("年度运行数据", "annual data").render_inline(lang),
        "star" => Text::new("星级申报", "star application").render_inline(lang),
        other => other.to_owned(),
    }
}

fn build(book: &Book<'_>, limits: Limits) -> Result<Vec<u8>, XlsxError> {
    let lang = book.lang;
    let t = |zh: &str, en: &str| Text::new(zh, en).render_inline(lang);
    let mut workbook = Workbook::new();
    let mut w = Writer {
        limits,
        text: Format::new().set_align(FormatAlign::Top),
        quoted: Format::new().set_align(FormatAlign::Top).set_quote_prefix(),
        wrap: Format::new().set_align(FormatAlign::Top).set_text_wrap(),
        wrap_quoted: Format::new()
            .set_align(FormatAlign::Top)
            .set_text_wrap()
            .set_quote_prefix(),
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color(0x00DD_E4EC),
        cut: Vec::new(),
    };
    let rules = catalogue(book.engine, book.reports);
    let vetoes: Vec<&str> = book
        .engine
        .and_then(|e| e.rules().scoring())
        .map(|s| s.vetoes.iter().map(|v| v.id.as_str()).collect())
        .unwrap_or_default();

    // 汇总: one row per file.
    let sheet = workbook.add_worksheet();
    sheet.set_name("汇总")?;
    let columns = [
        (t("园区", "park"), 34.0),
        (t("平台编号", "platform id"), 18.0),
        (t("文件", "file"), 40.0),
        (t("县（市、区）", "county"), 12.0),
        (t("类型", "type"), 14.0),
        (t("申报", "kind"), 10.0),
        (t("数据日期", "as of"), 12.0),
        (t("结论", "result"), 10.0),
        (t("错误", "errors"), 8.0),
        (t("警告", "warnings"), 8.0),
        (t("提示", "infos"), 8.0),
        (t("已豁免", "waived"), 8.0),
        (t("在基线中", "baselined"), 9.0),
        (t("否决项", "vetoes"), 8.0),
    ];
    let rows = u32::try_from(book.reports.len()).unwrap_or(u32::MAX);
    w.table(sheet, &columns, rows)?;
    for (report, row) in book.reports.iter().zip(1u32..) {
        let facts = report.facts.as_deref();
        let mut counts = [0usize; 6];
        let mut failed = false;
        for f in &report.findings {
            let i = match (&f.suppression, f.severity) {
                (Some(Suppression::Waived { .. }), _) => 3,
                (Some(Suppression::Baselined), _) => 4,
                (None, Severity::Error) => 0,
                (None, Severity::Warning) => 1,
                (None, Severity::Info) => 2,
            };
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
            if f.counts() {
                failed |= f.severity >= book.facts.fail_on;
                if vetoes.contains(&f.rule.as_str()) {
                    if let Some(c) = counts.get_mut(5) {
                        *c += 1;
                    }
                }
            }
        }
        let result = if report.unreadable {
            t("无法读取", "unreadable")
        } else if facts.is_none() {
            t("说明", "notes")
        } else if failed {
            t("未通过", "failed")
        } else {
            t("通过", "passed")
        };
        let text = |v: Option<&String>| v.cloned().unwrap_or_default();
        let cells = [
            facts
                .and_then(|f| f.name.as_ref())
                .map(|n| n.value.clone())
                .unwrap_or_default(),
            facts
                .and_then(|f| f.platform_id.as_ref())
                .map(|n| n.value.clone())
                .unwrap_or_default(),
            report.source.name().to_owned(),
            text(facts.and_then(|f| f.county.as_ref())),
            text(facts.and_then(|f| f.park_type.as_ref())),
            facts
                .and_then(|f| f.kind.as_deref())
                .map_or_else(String::new, |k| kind(k, lang)),
            text(facts.and_then(|f| f.as_of.as_ref())),
            result,
        ];
        for (col, value) in (0u16..).zip(&cells) {
            w.cell(sheet, row, col, value, false)?;
        }
        for (col, n) in (8u16..).zip(counts) {
            w.number(sheet, row, col, n)?;
        }
    }

    // 问题清单: one row per finding, on as many sheets as it takes.
    let columns = [
        (t("园区", "park"), 30.0),
        (t("文件", "file"), 36.0),
        (t("位置", "location"), 10.0),
        (t("字段（JSON 指针）", "field (JSON pointer)"), 28.0),
        (t("规则", "rule"), 10.0),
        (t("级别", "severity"), 9.0),
        (t("依据可信程度", "confidence"), 11.0),
        (t("问题（中文）", "message (Chinese)"), 50.0),
        (t("问题（英文）", "message (English)"), 50.0),
        (t("如何改正", "how to fix"), 40.0),
        (t("依据", "source"), 40.0),
        (t("状态", "status"), 24.0),
    ];
    let findings: Vec<(&FileReport, &Finding)> = book
        .reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
        .collect();
    let per_sheet = usize::try_from(limits.rows.saturating_sub(1).max(1)).unwrap_or(usize::MAX);
    let chunks: Vec<&[(&FileReport, &Finding)]> = if findings.is_empty() {
        vec![&[]]
    } else {
        findings.chunks(per_sheet).collect()
    };
    let mut sheets = Vec::new();
    for (k, chunk) in chunks.iter().enumerate() {
        let name = if k == 0 {
            "问题清单".to_owned()
        } else {
            format!("问题清单 ({})", k + 1)
        };
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name)?;
        sheets.push((name, chunk.len()));
        let rows = u32::try_from(chunk.len()).unwrap_or(u32::MAX);
        w.table(sheet, &columns, rows)?;
        for (&(report, f), row) in chunk.iter().zip(1u32..) {
            let park = report
                .facts
                .as_deref()
                .and_then(|f| f.name.as_ref())
                .map_or_else(String::new, |n| n.value.clone());
            let location = f
                .span
                .filter(|_| !report.source.text().is_empty())
                .map_or_else(String::new, |s| report.source.locate(s.start).place());
            let confidence = f.citation.as_ref().map_or_else(String::new, |c| {
                Text::new(c.confidence.zh(), c.confidence.as_str()).render_inline(lang)
            });
            let source = f.citation.as_ref().map_or_else(String::new, |c| {
                let document = if lang == Lang::En {
                    &c.document.en
                } else {
                    &c.document.zh
                };
                format!("{document} {}", c.clause)
            });
            let status = match &f.suppression {
                None => t("计入", "counted"),
                Some(Suppression::Waived {
                    reason,
                    approved_by,
                    ..
                }) => format!("{}: {reason}（{approved_by}）", t("已豁免", "waived")),
                Some(Suppression::Baselined) => t("在基线中", "in the baseline"),
            };
            let cells = [
                (park, false),
                (report.source.name().to_owned(), false),
                (location, false),
                (
                    f.pointer
                        .as_ref()
                        .map_or_else(String::new, |p| p.as_str().to_owned()),
                    false,
                ),
                (f.rule.clone(), false),
                (severity(f.severity, lang), false),
                (confidence, false),
                (f.message.zh.clone(), true),
                (f.message.en.clone(), true),
                (
                    f.help
                        .as_ref()
                        .map_or_else(String::new, |h| h.render_inline(lang)),
                    true,
                ),
                (source, true),
                (status, true),
            ];
            for (col, (value, wrap)) in (0u16..).zip(&cells) {
                w.cell(sheet, row, col, value, *wrap)?;
            }
        }
    }

    // 规则: the rules in force.
    let sheet = workbook.add_worksheet();
    sheet.set_name("规则")?;
    let columns = [
        (t("规则", "rule"), 10.0),
        (t("名称", "title"), 40.0),
        (t("规则手册", "rulebook"), 14.0),
        (t("级别", "severity"), 9.0),
        (t("依据可信程度", "confidence"), 11.0),
        (t("依据文件", "document"), 40.0),
        (t("条款", "clause"), 40.0),
        (
            t(
                "参数（值、可信程度、来源）",
                "parameters (value, confidence, source)",
            ),
            60.0,
        ),
        (t("生效", "effective"), 14.0),
    ];
    let in_force = rule_rows(book.engine, &rules, lang);
    let rows = u32::try_from(in_force.len()).unwrap_or(u32::MAX);
    w.table(sheet, &columns, rows)?;
    for (cells, row) in in_force.iter().zip(1u32..) {
        for (col, value) in (0u16..).zip(cells) {
            w.cell(sheet, row, col, value, col == 1 || col >= 5)?;
        }
    }

    // 说明: the run's facts and what was cut.
    let sheet = workbook.add_worksheet();
    sheet.set_name("说明")?;
    sheet.set_column_width(0, 24.0)?;
    sheet.set_column_width(1, 90.0)?;
    let facts = book.facts;
    let mut lines: Vec<(String, String)> = vec![
        (
            t("parkcheck 版本", "parkcheck version"),
            facts.version.clone(),
        ),
        (t("报告日期", "date"), facts.today.clone()),
        (
            t("评价基准日", "as of"),
            facts
                .as_of
                .clone()
                .unwrap_or_else(|| t("各申报文件自身的 as_of", "each submission's own as_of")),
        ),
        (
            t("未通过标准", "fails at"),
            format!("--fail-on {}", facts.fail_on.as_str()),
        ),
        (
            t("配置", "profile"),
            [facts.profile.clone(), facts.profile_file.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        ),
        (t("豁免文件", "waivers"), facts.waivers.join(", ")),
        (
            t("基线", "baseline"),
            facts.baseline.clone().unwrap_or_default(),
        ),
    ];
    for b in &facts.rulebooks {
        let confidence: Vec<String> = b
            .confidence
            .iter()
            .map(|(c, n)| format!("{} ×{n}", c.as_str()))
            .collect();
        lines.push((
            format!("{} {}", t("规则手册", "rulebook"), b.id),
            format!(
                "{} {} {} · {} {} · {}",
                b.title.render_inline(lang),
                b.number.as_deref().unwrap_or(""),
                b.version,
                b.rules,
                t("条规则", "rules"),
                confidence.join(", ")
            ),
        ));
    }
    let s = book.summary;
    lines.push((
        t("合计", "totals"),
        t(
            &format!(
                "园区 {}（通过 {}，未通过 {}）；错误 {}，警告 {}，提示 {}；已豁免 {}，在基线中 {}；无法读取的文件 {}",
                s.parks, s.parks_passed, s.parks_failed, s.errors, s.warnings, s.infos, s.waived, s.baselined, s.files_unreadable
            ),
            &format!(
                "parks {} ({} passed, {} failed); errors {}, warnings {}, infos {}; waived {}, baselined {}; unreadable files {}",
                s.parks, s.parks_passed, s.parks_failed, s.errors, s.warnings, s.infos, s.waived, s.baselined, s.files_unreadable
            ),
        ),
    ));
    if sheets.len() > 1 {
        lines.push((
            t("问题清单分表", "findings split"),
            t(
                &format!("问题超过一张工作表的 {} 行，续写于：", limits.rows),
                &format!(
                    "more findings than the {} rows of a sheet; continued on:",
                    limits.rows
                ),
            ),
        ));
        for (name, n) in &sheets {
            lines.push((String::new(), format!("{name}: {n}")));
        }
    }
    for (row, (key, value)) in (0u32..).zip(&lines) {
        w.cell(sheet, row, 0, key, false)?;
        w.cell(sheet, row, 1, value, true)?;
    }
    // The cells cut, this sheet's own included (a long path or profile name), one a row.
    if !w.cut.is_empty() {
        let mut row = u32::try_from(lines.len()).unwrap_or(u32::MAX);
        let head = t(
            &format!("超过单元格上限 {} 字符，已截断：", limits.cell_chars),
            &format!(
                "longer than the {} characters of a cell, cut:",
                limits.cell_chars
            ),
        );
        w.cell(sheet, row, 0, &t("截断的单元格", "cells cut"), false)?;
        w.cell(sheet, row, 1, &head, false)?;
        for cut in w.cut.clone() {
            row += 1;
            w.cell(sheet, row, 1, &cut, false)?;
        }
    }
    workbook.save_to_buffer()
}

/// One row per rule in force: id, title, rulebook, severity, confidence, document, clause,
/// parameters, effective dates.
fn rule_rows(engine: Option<&Engine>, rules: &[RuleInfo], lang: Lang) -> Vec<[String; 9]> {
    let Some(engine) = engine else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (book, rule) in engine.rules().rules() {
        if engine.disabled(&rule.id) {
            continue;
        }
        let mut names: Vec<&str> = rule.exprs().flat_map(|e| e.names_under("params")).collect();
        names.sort_unstable();
        names.dedup();
        let params: Vec<String> = names
            .iter()
            .filter_map(|name| {
                let p = engine.param(name)?;
                Some(format!(
                    "{name} = {}{} [{}] {}",
                    p.value.display(),
                    p.unit
                        .as_deref()
                        .map_or_else(String::new, |u| format!(" {u}")),
                    Text::new(p.confidence.zh(), p.confidence.as_str()).render_inline(lang),
                    p.source
                ))
            })
            .collect();
        let info = rules.iter().find(|r| r.id == rule.id);
        let confidence = engine.confidence(rule);
        let document = book.document();
        out.push([
            rule.id.clone(),
            info.map_or_else(
                || rule.title.render_inline(lang),
                |r| r.title.render_inline(lang),
            ),
            book.id.clone(),
            severity(engine.severity(rule), lang),
            Text::new(confidence.zh(), confidence.as_str()).render_inline(lang),
            if lang == Lang::En {
                document.en
            } else {
                document.zh
            },
            rule.clause.clone(),
            params.join("\n"),
            rule.effective.text().render_inline(lang),
        ]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_excel_does() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(11), "L");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
