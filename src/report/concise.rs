//! `--format concise`: one line per finding, `file:line:col: RULE severity message`, as
//! compilers and ruff print them — for long batches, editors' quickfix lists and grep. Waived
//! and baselined findings are left out; the last line is the run's counts.

use crate::finding::FileReport;
use crate::run::Summary;
use crate::text::{Lang, Text, visible_inline};

/// Renders one line per counted finding, then the counts.
#[must_use]
pub fn render(reports: &[FileReport], summary: &Summary, lang: Lang) -> String {
    let mut out = String::new();
    for report in reports {
        let file = visible_inline(report.source.name());
        for finding in report.findings.iter().filter(|f| f.counts()) {
            let at = finding.span.map_or(String::new(), |s| {
                format!(
                    ":{}",
                    visible_inline(&report.source.locate(s.start).place())
                )
            });
            out.push_str(&format!(
                "{file}{at}: {} {} {}\n",
                finding.rule,
                finding.severity.as_str(),
                visible_inline(&finding.message.render_inline(lang))
            ));
        }
    }
    let counts = super::human::summary_line(summary);
    let counts = Text::new(counts.zh.replace('\n', "；"), counts.en.replace('\n', "; "));
    out.push_str(&counts.render_inline(lang));
    out.push('\n');
    out
}
