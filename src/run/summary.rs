//! The counts of a whole run: files, findings by severity and rule, parks passed and failed.

use std::collections::BTreeMap;

use crate::finding::{FileReport, Severity, Suppression};

/// Counts over a whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub files_clean: usize,
    pub files_with_findings: usize,
    pub files_unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings kept from counting by a waiver.
    pub waived: usize,
    /// Findings kept from counting by the baseline.
    pub baselined: usize,
    /// Findings recorded in the baseline that were not found (fixed, or gone).
    pub baseline_resolved: usize,
    /// Submissions read (files with a park in them), and how many of them pass: no counted
    /// finding at or above the run's `--fail-on` (set with [`Summary::judged`]).
    pub parks: usize,
    pub parks_passed: usize,
    pub parks_failed: usize,
    /// Counted findings per rule id, sorted by id.
    pub by_rule: BTreeMap<String, usize>,
    /// The baseline's findings that were not found, as recorded (set with [`Summary::resolved`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<crate::baseline::Entry>,
}

impl Summary {
    #[must_use]
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = Self {
            files: reports.len(),
            ..Self::default()
        };
        for report in reports {
            if report.unreadable {
                summary.files_unreadable += 1;
            } else if !report.findings.iter().any(crate::finding::Finding::counts) {
                summary.files_clean += 1;
            } else {
                summary.files_with_findings += 1;
            }
            for finding in &report.findings {
                match finding.suppression {
                    Some(Suppression::Waived { .. }) => {
                        summary.waived += 1;
                        continue;
                    }
                    Some(Suppression::Baselined) => {
                        summary.baselined += 1;
                        continue;
                    }
                    None => {}
                }
                match finding.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                }
                *summary.by_rule.entry(finding.rule.clone()).or_default() += 1;
            }
        }
        summary
    }

    /// Counts the parks that pass and fail at `fail_on`.
    #[must_use]
    pub fn judged(mut self, reports: &[FileReport], fail_on: Severity) -> Self {
        let parks = reports.iter().filter(|r| r.facts.is_some());
        self.parks = parks.clone().count();
        self.parks_failed = parks
            .filter(|r| {
                r.findings
                    .iter()
                    .any(|f| f.counts() && f.severity >= fail_on)
            })
            .count();
        self.parks_passed = self.parks - self.parks_failed;
        self
    }

    /// The rules with the most counted findings, most first (ties by id), at most `n`.
    #[must_use]
    pub fn top_rules(&self, n: usize) -> Vec<(&str, usize)> {
        let mut rules: Vec<(&str, usize)> =
            self.by_rule.iter().map(|(r, c)| (r.as_str(), *c)).collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rules.truncate(n);
        rules
    }

    /// Records the baseline's findings that this run did not find.
    #[must_use]
    pub fn resolved(mut self, resolved: Vec<crate::baseline::Entry>) -> Self {
        self.baseline_resolved = resolved.len();
        self.resolved = resolved;
        self
    }
}
