//! Report emitters: one per output format. They format; only the CLI prints.

pub mod human;
pub mod json;

use std::collections::BTreeMap;

use crate::check::FileReport;
use crate::finding::Severity;

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
    /// Findings per rule id, sorted by id.
    pub by_rule: BTreeMap<String, usize>,
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
            } else if report.findings.is_empty() {
                summary.files_clean += 1;
            } else {
                summary.files_with_findings += 1;
            }
            for finding in &report.findings {
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
}
