//! `--format json`: one JSON document for the whole run.

use serde::Serialize;

use crate::finding::FileReport;
use crate::finding::Severity;
use crate::run::Summary;
use crate::text::Text;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files: usize,
    findings: Vec<JsonFinding<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcomes: Option<Vec<JsonOutcome<'a>>>,
    summary: &'a Summary,
    /// One entry per submission: the park, its result at `fail_on`, its counts.
    files_detail: &'a [crate::run::FileSummary],
}

#[derive(Serialize)]
struct JsonOutcome<'a> {
    file: &'a str,
    rule: &'a str,
    title: &'a Text,
    #[serde(flatten)]
    status: &'a crate::finding::OutcomeStatus,
    /// The checks left out, and why.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    skipped: &'a [Text],
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    /// For a workbook: the sheet and the cell (A1); `line` and `column` are then its row and
    /// column numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<String>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    pointer: Option<&'a str>,
    message: &'a Text,
    help: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<&'a crate::finding::Citation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<&'a crate::finding::Trace>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    related: &'a [crate::finding::Related],
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<&'a crate::finding::Suppression>,
}

/// Renders the run as pretty JSON (1-based lines and columns, columns in characters).
#[must_use]
pub fn render(reports: &[FileReport], summary: &Summary, show_passed: bool) -> String {
    let findings = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
        .map(|(report, f)| {
            let start = f.span.map(|s| report.source.locate(s.start));
            let end = f.span.map(|s| report.source.locate(s.end));
            let cell = start.as_ref().and_then(|p| p.cell.clone());
            JsonFinding {
                rule: &f.rule,
                severity: f.severity,
                file: report.source.name(),
                line: start.as_ref().map(|p| p.line),
                column: start.as_ref().map(|p| p.column),
                sheet: cell.as_ref().map(|c| c.sheet.to_string()),
                cell: cell.as_ref().map(crate::source::CellRef::a1),
                end_line: end.as_ref().map(|p| p.line),
                end_column: end.as_ref().map(|p| p.column),
                pointer: f.pointer.as_ref().map(|p| p.as_str()),
                message: &f.message,
                help: f.help.as_ref(),
                citation: f.citation.as_ref(),
                trace: f.trace.as_ref(),
                related: &f.related,
                suppression: f.suppression.as_ref(),
            }
        })
        .collect();
    let outcomes = show_passed.then(|| {
        reports
            .iter()
            .flat_map(|r| {
                r.outcomes.iter().map(move |o| JsonOutcome {
                    file: r.source.name(),
                    rule: &o.rule,
                    title: &o.title,
                    status: &o.status,
                    skipped: &o.skipped,
                })
            })
            .collect()
    });
    let report = Report {
        version: 1,
        files: summary.files,
        findings,
        outcomes,
        summary,
        files_detail: &summary.files_detail,
    };
    // Serialising plain structs of strings and numbers cannot fail.
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
