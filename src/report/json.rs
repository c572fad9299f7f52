//! `--format json`: one JSON document for the whole run.

use serde::Serialize;

use super::Summary;
use crate::check::FileReport;
use crate::finding::Severity;
use crate::text::Text;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files: usize,
    findings: Vec<JsonFinding<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    pointer: Option<&'a str>,
    message: &'a Text,
    help: Option<&'a Text>,
}

/// Renders the run as pretty JSON (1-based lines and columns, columns in characters).
#[must_use]
pub fn render(reports: &[FileReport], summary: &Summary) -> String {
    let findings = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
        .map(|(report, f)| {
            let start = f.span.map(|s| report.source.line_col(s.start));
            let end = f.span.map(|s| report.source.line_col(s.end));
            JsonFinding {
                rule: &f.rule,
                severity: f.severity,
                file: report.source.name(),
                line: start.map(|p| p.line),
                column: start.map(|p| p.column),
                end_line: end.map(|p| p.line),
                end_column: end.map(|p| p.column),
                pointer: f.pointer.as_ref().map(|p| p.as_str()),
                message: &f.message,
                help: f.help.as_ref(),
            }
        })
        .collect();
    let report = Report {
        version: 1,
        files: reports.len(),
        findings,
        summary,
    };
    // Serialising plain structs of strings and numbers cannot fail.
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
