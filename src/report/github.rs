//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), which GitHub shows on
//! the lines of the pull request. Waived and baselined findings are not annotated: they are
//! decided, and annotations are for what needs doing.
//!
//! The last line is a `::notice` with the run's counts. GitHub shows at most ten annotations of
//! each level per step, so without it a run with more findings would look smaller than it is.

use std::fmt::Write as _;

use super::catalogue::{RuleInfo, catalogue};
use crate::engine::Engine;
use crate::finding::FileReport;
use crate::finding::Severity;
use crate::run::Summary;
use crate::text::{Lang, Text, visible, visible_inline};

/// Renders the annotations and the summary notice.
#[must_use]
pub fn render(
    reports: &[FileReport],
    summary: &Summary,
    engine: Option<&Engine>,
    lang: Lang,
) -> String {
    let rules = catalogue(engine, reports);
    let mut out = String::new();
    for report in reports {
        for finding in report.findings.iter().filter(|f| f.counts()) {
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut properties = vec![("file", report.source.name().to_owned())];
            if let Some(span) = finding.span {
                let start = report.source.locate(span.start);
                let end = report.source.locate(span.end);
                properties.push(("line", start.line.to_string()));
                properties.push(("col", start.column.to_string()));
                properties.push(("endLine", end.line.to_string()));
                // The same numbers as the JSON and SARIF reports: the column just past the value.
                properties.push(("endColumn", end.column.to_string()));
            }
            let title = match rules.iter().find(|r: &&RuleInfo| r.id == finding.rule) {
                Some(rule) => format!("{} {}", finding.rule, rule.title.render_inline(lang)),
                None => finding.rule.clone(),
            };
            properties.push(("title", title));
            let mut message = finding.message.render(lang);
            // A workbook's cell, named in the message (the annotation's line is its row).
            if let Some(cell) = finding.span.and_then(|s| report.source.cell_at(s.start)) {
                message = format!("{cell}: {message}");
            }
            if let Some(help) = &finding.help {
                message.push_str("\n\n");
                message.push_str(&help.render(lang));
            }
            if let Some(c) = &finding.citation {
                let _ = write!(
                    message,
                    "\n\n{}: {} {}",
                    Text::new("依据", "source").render_inline(lang),
                    c.document.render_inline(lang),
                    c.clause
                );
            }
            out.push_str(&command_line(command, &properties, &message));
        }
    }
    out.push_str(&command_line(
        "notice",
        &[("title", "parkcheck".to_owned())],
        &super::human::summary_line(summary).render_inline(lang),
    ));
    out
}

/// One workflow command: `::name key=value,…::data`, escaped as GitHub's toolkit escapes them,
/// after every control or bidi character from an input is made visible (a log shows ESC
/// sequences as colours and moves).
fn command_line(name: &str, properties: &[(&str, String)], data: &str) -> String {
    let properties: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(&visible_inline(v))))
        .collect();
    let data = visible(data);
    let space = if properties.is_empty() { "" } else { " " };
    format!(
        "::{name}{space}{}::{}\n",
        properties.join(","),
        escape_data(&data)
    )
}

/// `%`, CR and LF in the message (as `@actions/core`'s `escapeData`).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// As [`escape_data`], and `:` and `,`, which separate properties (`escapeProperty`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_actions_toolkit_does() {
        assert_eq!(escape_data("50% a\r\nb:c,d"), "50%25 a%0D%0Ab:c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(
            command_line("error", &[("file", "a,b.yaml".to_owned())], "x::y"),
            "::error file=a%2Cb.yaml::x::y\n"
        );
        assert_eq!(
            command_line(
                "error",
                &[("file", "a\u{1b}b".to_owned())],
                "\u{1b}[2Jx\u{202e}\ny"
            ),
            "::error file=a␛b::␛[2Jx\\u{202e}%0Ay\n"
        );
    }
}
