//! `--format junit`: JUnit XML, which CI test viewers (GitLab, Jenkins, Azure Pipelines, the
//! test-report actions of GitHub) show. One `<testsuite>` per file, one `<testcase>` per file
//! and rule: the rule passed (success), found something (`<failure>`, one line per finding), did
//! not apply (`<skipped>` with the reason), or the file could not be read (`<error>`). Writing
//! and escaping are `quick-junit`'s (nextest's JUnit writer); every text from an input is made
//! visible first (`text::visible`): XML 1.0 cannot hold most control characters at all, and a
//! CI tab shows the rest to a person.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::catalogue::{RuleInfo, catalogue};
use crate::engine::Engine;
use crate::finding::FileReport;
use crate::finding::{Finding, OutcomeStatus, Severity, Suppression};
use crate::run::Summary;
use crate::text::{Lang, Text, visible, visible_inline};

/// The testcase of the structure check of a readable file.
const STRUCTURE: &str = "SCHEMA";

/// Renders the run as JUnit XML. Times are 0: parkcheck does not time files one by one.
#[must_use]
pub fn render(
    reports: &[FileReport],
    summary: &Summary,
    engine: Option<&Engine>,
    lang: Lang,
) -> String {
    let rules = catalogue(engine, reports);
    let mut junit = Report::new("parkcheck");
    junit.set_time(Duration::ZERO);
    for report in reports {
        junit.add_test_suite(suite(report, &rules, summary.fail_on, lang));
    }
    // The writer only fails on I/O errors, and a String does not have them.
    junit.to_string().unwrap_or_default()
}

/// A file's testsuite. A rule fails (`<failure>`) when it has a counted finding at or above
/// `fail_on`, as the exit code does; a finding below it (a warning under `--fail-on error`), a
/// waived or a baselined one is written to the test case's `system-out`, which passes.
fn suite(report: &FileReport, rules: &[RuleInfo], fail_on: Severity, lang: Lang) -> TestSuite {
    let file = report.source.name();
    let mut suite = TestSuite::new(visible_inline(file).into_owned());
    suite.set_time(Duration::ZERO);
    // The rules evaluated for the file, in rulebook order, then the ids only findings carry.
    let mut ids: Vec<&str> = Vec::new();
    if !report.unreadable {
        ids.push(STRUCTURE);
    }
    for id in report
        .outcomes
        .iter()
        .map(|o| o.rule.as_str())
        .chain(report.findings.iter().map(|f| f.rule.as_str()))
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    for id in ids {
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.rule == id).collect();
        let outcome = report.outcomes.iter().find(|o| o.rule == id);
        let (failing, passing): (Vec<&Finding>, Vec<&Finding>) = findings
            .iter()
            .partition(|f| f.counts() && (f.severity >= fail_on || report.unreadable));
        let status = status(report, &failing, outcome.map(|o| &o.status), lang);
        let rule = rules.iter().find(|r| r.id == id);
        let name = match rule {
            Some(rule) => format!("{id} {}", rule.title.render_inline(lang)),
            None => id.to_owned(),
        };
        let mut case = TestCase::new(visible_inline(&name).into_owned(), status);
        case.set_classname(visible_inline(file).into_owned());
        case.set_time(Duration::ZERO);
        let below: Vec<String> = passing.iter().map(|f| describe(report, f, lang)).collect();
        if !below.is_empty() {
            case.set_system_out(visible(&below.join("\n")).into_owned());
        }
        suite.add_test_case(case);
    }
    suite
}

fn status(
    report: &FileReport,
    findings: &[&Finding],
    outcome: Option<&OutcomeStatus>,
    lang: Lang,
) -> TestCaseStatus {
    let counted: Vec<&&Finding> = findings.iter().filter(|f| f.counts()).collect();
    if let Some(worst) = counted.iter().map(|f| f.severity).max() {
        let kind = if report.unreadable {
            NonSuccessKind::Error
        } else {
            NonSuccessKind::Failure
        };
        let mut status = TestCaseStatus::non_success(kind);
        let first = counted
            .first()
            .map(|f| f.message.render_inline(lang))
            .unwrap_or_default();
        let message = if counted.len() == 1 {
            first
        } else {
            let more = Text::new(
                format!("（另有 {} 项）", counted.len() - 1),
                format!(" (and {} more)", counted.len() - 1),
            );
            format!("{first}{}", more.render_inline(lang))
        };
        status.set_message(visible_inline(&message).into_owned());
        status.set_type(worst.as_str());
        let description: Vec<String> = counted.iter().map(|f| describe(report, f, lang)).collect();
        status.set_description(visible(&description.join("\n\n")).into_owned());
        return status;
    }
    match outcome {
        Some(OutcomeStatus::NotApplicable(reason)) => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(visible_inline(&reason.render_inline(lang)).into_owned());
            status
        }
        _ => TestCaseStatus::success(),
    }
}

/// One finding: `file:line:col: severity: message`, then its help and waiver, indented.
fn describe(report: &FileReport, finding: &Finding, lang: Lang) -> String {
    let at = finding.span.map_or(String::new(), |s| {
        format!(":{}", report.source.locate(s.start).place())
    });
    let mut out = format!(
        "{}{at}: {}: {}",
        report.source.name(),
        finding.severity.as_str(),
        finding.message.render_inline(lang)
    );
    if let Some(pointer) = &finding.pointer {
        out.push_str(&format!(" ({pointer})"));
    }
    if let Some(help) = &finding.help {
        out.push_str("\n  ");
        out.push_str(&help.render_inline(lang));
    }
    if let Some(c) = &finding.citation {
        out.push_str(&format!(
            "\n  {}: {} {}",
            Text::new("依据", "source").render_inline(lang),
            c.document.render_inline(lang),
            c.clause
        ));
    }
    match &finding.suppression {
        Some(Suppression::Waived { reason, waiver, .. }) => out.push_str(&format!(
            "\n  {}: {reason} ({waiver})",
            Text::new("已豁免", "waived").render_inline(lang)
        )),
        Some(Suppression::Baselined) => out.push_str(&format!(
            "\n  {}",
            Text::new("已列入基线", "in the baseline").render_inline(lang)
        )),
        None => {}
    }
    out
}
