//! The counts of a whole run: files, findings by severity and rule, parks passed and failed.

use std::collections::BTreeMap;

use crate::finding::{FileReport, Severity, Suppression};

/// Counts over a whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Submission files checked (read or not; the waiver files a run applies are not counted).
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
    /// Counted findings in the waiver files themselves (an expired or unused entry), included
    /// in `errors`, `warnings` and `infos`.
    pub waiver_file_findings: usize,
    /// The severity a park fails at (`--fail-on`; set with [`Summary::judged`]).
    pub fail_on: Severity,
    /// Submissions (one park each), and how many of them pass: no counted finding at or above
    /// `fail_on`. A file that could not be read is a park that fails (set with [`Summary::judged`]).
    pub parks: usize,
    pub parks_passed: usize,
    pub parks_failed: usize,
    /// Counted findings per rule id, sorted by id.
    pub by_rule: BTreeMap<String, usize>,
    /// The baseline's findings that were not found, as recorded (set with [`Summary::resolved`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<crate::baseline::Entry>,
    /// One entry per submission, in input order (set with [`Summary::judged`]; the JSON report
    /// has it as `files_detail`).
    #[serde(skip)]
    pub files_detail: Vec<FileSummary>,
}

/// What a run found in one submission: who the park is, whether it passes, the counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileSummary {
    pub file: String,
    /// `park.name`, `park.filing.platform_id`, `park.region.county`, `park.type`, `kind`,
    /// `as_of`, as written (absent when the file could not be read, or lacks them).
    pub park: Option<String>,
    pub platform_id: Option<String>,
    pub county: Option<String>,
    #[serde(rename = "type")]
    pub park_type: Option<String>,
    pub kind: Option<String>,
    pub as_of: Option<String>,
    /// At the run's `fail_on`.
    pub result: FileResult,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub waived: usize,
    pub baselined: usize,
    /// The rules of the counted findings with their counts, most first (ties by id).
    pub rules: Vec<(String, usize)>,
}

/// Whether a submission passes at `fail_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileResult {
    Passed,
    Failed,
    /// The file could not be read or parsed (a park that fails).
    Unreadable,
}

impl FileSummary {
    fn of(report: &FileReport, fail_on: Severity) -> Self {
        let facts = report.facts.as_deref();
        let fact = |f: fn(&crate::facts::ParkFacts) -> Option<String>| facts.and_then(f);
        let mut entry = Self {
            file: report.source.name().to_owned(),
            park: fact(|f| f.name.as_ref().map(|l| l.value.clone())),
            platform_id: fact(|f| f.platform_id.as_ref().map(|l| l.value.clone())),
            county: fact(|f| f.county.clone()),
            park_type: fact(|f| f.park_type.clone()),
            kind: fact(|f| f.kind.clone()),
            as_of: fact(|f| f.as_of.clone()),
            result: FileResult::Passed,
            errors: 0,
            warnings: 0,
            infos: 0,
            waived: 0,
            baselined: 0,
            rules: Vec::new(),
        };
        let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &report.findings {
            match f.suppression {
                Some(Suppression::Waived { .. }) => entry.waived += 1,
                Some(Suppression::Baselined) => entry.baselined += 1,
                None => {
                    match f.severity {
                        Severity::Error => entry.errors += 1,
                        Severity::Warning => entry.warnings += 1,
                        Severity::Info => entry.infos += 1,
                    }
                    *rules.entry(&f.rule).or_default() += 1;
                    if f.severity >= fail_on {
                        entry.result = FileResult::Failed;
                    }
                }
            }
        }
        if report.unreadable {
            entry.result = FileResult::Unreadable;
        }
        let mut rules: Vec<(String, usize)> =
            rules.into_iter().map(|(r, n)| (r.to_owned(), n)).collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        entry.rules = rules;
        entry
    }

    /// Whether the park fails (a finding at `fail_on`, or the file could not be read).
    #[must_use]
    pub fn fails(&self) -> bool {
        self.result != FileResult::Passed
    }
}

impl Summary {
    #[must_use]
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = Self {
            files: reports.iter().filter(|r| r.is_submission()).count(),
            fail_on: Severity::Error,
            ..Self::default()
        };
        for report in reports {
            if !report.is_submission() {
                summary.waiver_file_findings +=
                    report.findings.iter().filter(|f| f.counts()).count();
            } else if report.unreadable {
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

    /// Judges each submission at `fail_on`: the parks that pass and fail (a file that could not
    /// be read fails), and the entry of each file.
    #[must_use]
    pub fn judged(mut self, reports: &[FileReport], fail_on: Severity) -> Self {
        self.fail_on = fail_on;
        self.files_detail = reports
            .iter()
            .filter(|r| r.is_submission())
            .map(|r| FileSummary::of(r, fail_on))
            .collect();
        self.parks = self.files_detail.len();
        self.parks_failed = self.files_detail.iter().filter(|f| f.fails()).count();
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
