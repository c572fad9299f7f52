//! `--format markdown`: a job summary for `$GITHUB_STEP_SUMMARY` and merge-request comments —
//! the verdict, a table of parks (park, county, type, result, errors, warnings, top rules) and
//! the findings of the parks that fail, one line each. Every value from an input is made
//! visible and escaped, so a park name cannot add a link, an image, HTML or a table column.

use std::fmt::Write as _;

use crate::finding::FileReport;
use crate::run::{FileResult, Summary};
use crate::text::{Lang, Text, visible_inline};

/// The most finding lines written: GitHub keeps 1 MiB of a step summary, and a comment of
/// thousands of lines helps nobody; the rest are counted.
const MAX_FINDING_LINES: usize = 500;

/// Renders the job summary.
#[must_use]
pub fn render(reports: &[FileReport], summary: &Summary, lang: Lang) -> String {
    let t = |zh: &str, en: &str| Text::new(zh, en).render_inline(lang);
    let mut out = String::new();
    let failed = summary.parks_failed;
    let verdict = if failed == 0 && summary.files_unreadable == 0 {
        Text::new(
            format!("✅ parkcheck：{} 个园区全部通过", summary.parks),
            format!("✅ parkcheck: all {} park(s) pass", summary.parks),
        )
    } else {
        Text::new(
            format!(
                "❌ parkcheck：{failed} 个园区未通过（共 {} 个）",
                summary.parks
            ),
            format!("❌ parkcheck: {failed} of {} park(s) fail", summary.parks),
        )
    };
    let _ = writeln!(out, "## {}\n", verdict.render_inline(lang));
    let counts = Text::new(
        format!(
            "{} 个错误，{} 个警告，{} 个提示；以 `{}` 判定；{} 个文件无法读取；{} 项已豁免，{} 项在基线中",
            summary.errors,
            summary.warnings,
            summary.infos,
            summary.fail_on.as_str(),
            summary.files_unreadable,
            summary.waived,
            summary.baselined
        ),
        format!(
            "{} error(s), {} warning(s), {} info(s); judged at `{}`; {} file(s) unreadable; {} waived, {} in the baseline",
            summary.errors,
            summary.warnings,
            summary.infos,
            summary.fail_on.as_str(),
            summary.files_unreadable,
            summary.waived,
            summary.baselined
        ),
    );
    let _ = writeln!(out, "{}\n", counts.render_inline(lang));
    if !summary.files_detail.is_empty() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            t("文件", "file"),
            t("园区", "park"),
            t("县（市、区）", "county"),
            t("类型", "type"),
            t("结果", "result"),
            t("错误", "errors"),
            t("警告", "warnings"),
            t("主要规则", "top rules"),
        );
        out.push_str("|---|---|---|---|---|--:|--:|---|\n");
        // The parks that fail first, then the others, each in input order.
        let mut parks: Vec<_> = summary.files_detail.iter().collect();
        parks.sort_by_key(|p| !p.fails());
        for park in parks {
            let result = match park.result {
                FileResult::Passed => t("✅ 通过", "✅ passed"),
                FileResult::Failed => t("❌ 未通过", "❌ failed"),
                FileResult::Unreadable => t("❌ 无法读取", "❌ unreadable"),
            };
            let rules: Vec<String> = park
                .rules
                .iter()
                .take(3)
                .map(|(r, n)| {
                    if *n > 1 {
                        format!("{r} ×{n}")
                    } else {
                        r.clone()
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {result} | {} | {} | {} |",
                code(&park.file),
                cell(park.park.as_deref()),
                cell(park.county.as_deref()),
                cell(park.park_type.as_deref()),
                park.errors,
                park.warnings,
                text(&rules.join(", "))
            );
        }
        out.push('\n');
    }
    let failing: Vec<&FileReport> = reports
        .iter()
        .filter(|r| {
            summary
                .files_detail
                .iter()
                .any(|p| p.fails() && p.file == r.source.name())
        })
        .collect();
    if failing.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "### {}\n",
        t("未通过园区的问题", "findings of the parks that fail")
    );
    let mut written = 0;
    let mut left = 0;
    for report in failing {
        for finding in report.findings.iter().filter(|f| f.counts()) {
            if written == MAX_FINDING_LINES {
                left += 1;
                continue;
            }
            let at = finding.span.map_or(String::new(), |s| {
                format!(":{}", report.source.locate(s.start).place())
            });
            let _ = writeln!(
                out,
                "- {} **{}** {} — {}",
                code(&format!("{}{at}", report.source.name())),
                finding.rule,
                finding.severity.as_str(),
                text(&finding.message.render_inline(lang))
            );
            written += 1;
        }
    }
    if left > 0 {
        let more = Text::new(
            format!("…另有 {left} 项，见完整报告"),
            format!("…and {left} more; see the full report"),
        );
        let _ = writeln!(out, "- {}", more.render_inline(lang));
    }
    out
}

/// Text from an input in Markdown: made visible, on one line, with every character Markdown
/// or a table would read as syntax escaped (GitHub's Markdown also renders HTML, hence `<`).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in visible_inline(value).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn cell(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_owned(), text)
}

/// A file name or place as code: in backquotes, which nothing inside may close.
fn code(value: &str) -> String {
    let safe = visible_inline(value).replace('`', "'").replace('|', "\\|");
    format!("`{safe}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_add_markdown_or_html() {
        assert_eq!(
            text("<img src=x onerror=alert(1)>|[a](b)"),
            "&lt;img src=x onerror=alert\\(1\\)&gt;\\|\\[a\\]\\(b\\)"
        );
        assert_eq!(text("a\nb\u{1b}"), "a␊b␛");
        assert_eq!(code("a`b|c.yaml"), "`a'b\\|c.yaml`");
    }
}
