//! Baselines, for adopting parkcheck gradually: `--write-baseline FILE` records the findings of a
//! run; `--baseline FILE` then reports only the findings that are not in it (the others are
//! [`Suppression::Baselined`] and counted), and lists the recorded ones that are gone.
//!
//! A finding is recorded by a fingerprint that survives unrelated edits: SHA-256 of its rule
//! id, its park (platform id, else the file's path relative to the baseline's directory), its
//! JSON pointer and the text of the value it points at with whitespace collapsed. Line numbers
//! are not part of it, so lines added above a finding do not make it new; a changed value does.
//! Identical fingerprints are counted: two recorded, three found → one is new.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::document::Limits;
use crate::document::load_path;
use crate::finding::FileReport;
use crate::finding::{Finding, Severity, Suppression};
use crate::text::Text;

/// The format version of baseline files.
pub const VERSION: u32 = 1;
/// The rule id of problems with a baseline file.
pub const BASELINE_RULE: &str = "BASELINE";

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// The file, relative to the baseline's directory (`/`-separated).
    pub file: String,
    pub rule: String,
    pub pointer: String,
    pub fingerprint: String,
    /// The park's platform id, when the file has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub park: Option<String>,
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub generated_by: String,
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// The baseline of a run: every finding that counts or was baselined (not the waived ones,
    /// not those of files that could not be read), sorted for stable diffs. `dir` is the
    /// directory the baseline is written to.
    #[must_use]
    pub fn of(reports: &[FileReport], dir: &Path) -> Self {
        let base = canonical_dir(dir);
        let mut findings: Vec<Entry> = reports
            .iter()
            .filter(|r| !r.unreadable && r.facts.is_some())
            .flat_map(|r| {
                let file = relative(base.as_deref(), r.source.name());
                r.findings
                    .iter()
                    .filter(|f| matches!(f.suppression, None | Some(Suppression::Baselined)))
                    .map(move |f| entry(r, f, &file))
            })
            .collect();
        findings.sort();
        Self {
            version: VERSION,
            generated_by: format!("parkcheck {}", env!("CARGO_PKG_VERSION")),
            findings,
        }
    }

    /// The file's text: pretty JSON, one finding per object, ending with a newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        // Plain strings and numbers: serialising cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Loads a baseline file with the spanned loader and its limits.
    ///
    /// # Errors
    /// A report of why the file cannot be used (unreadable, not JSON, not a baseline, a
    /// version this parkcheck does not read).
    pub fn load(path: &Path, limits: &Limits) -> Result<Self, FileReport> {
        let doc = load_path(path, limits)?;
        let problem = |zh: String, en: String| {
            FileReport::failed(
                doc.source.clone(),
                vec![
                    Finding::new(BASELINE_RULE, Severity::Error, Text::new(zh, en)).with_help(
                        Some(Text::new(
                            "基线文件由 `parkcheck check --write-baseline FILE` 生成，请勿手工编辑",
                            "baseline files are written by `parkcheck check --write-baseline FILE`; do not edit them by hand",
                        )),
                    ),
                ],
            )
        };
        let baseline: Self = serde_json::from_value(doc.root.to_json()).map_err(|e| {
            problem(
                format!("不是 parkcheck 基线文件：{e}"),
                format!("not a parkcheck baseline: {e}"),
            )
        })?;
        if baseline.version != VERSION {
            return Err(problem(
                format!("不支持的基线版本 {}（应为 {VERSION}）", baseline.version),
                format!(
                    "unsupported baseline version {} (expected {VERSION})",
                    baseline.version
                ),
            ));
        }
        Ok(baseline)
    }

    /// Marks the findings of `reports` that are in the baseline as baselined (each recorded
    /// fingerprint matches one finding) and returns the recorded findings of the files checked
    /// that were not found (a file not checked in this run — a pre-commit hook passes only the
    /// staged ones — resolves nothing). `dir` is the baseline's directory.
    #[must_use]
    pub fn apply(&self, reports: &mut [FileReport], dir: &Path) -> Vec<Entry> {
        let mut left: HashMap<&str, usize> = HashMap::new();
        for e in &self.findings {
            *left.entry(e.fingerprint.as_str()).or_default() += 1;
        }
        let base = canonical_dir(dir);
        let mut checked: std::collections::HashSet<String> = std::collections::HashSet::new();
        for report in reports
            .iter_mut()
            .filter(|r| !r.unreadable && r.facts.is_some())
        {
            let file = relative(base.as_deref(), report.source.name());
            checked.insert(file.clone());
            let fingerprints: Vec<Option<String>> = report
                .findings
                .iter()
                .map(|f| {
                    f.suppression
                        .is_none()
                        .then(|| entry(report, f, &file).fingerprint)
                })
                .collect();
            for (finding, fingerprint) in report.findings.iter_mut().zip(fingerprints) {
                let Some(count) = fingerprint.and_then(|fp| left.get_mut(fp.as_str())) else {
                    continue;
                };
                if *count > 0 {
                    *count -= 1;
                    finding.suppression = Some(Suppression::Baselined);
                }
            }
        }
        // The last `n` recorded entries of a fingerprint with `n` left over are the resolved ones.
        let mut resolved: Vec<Entry> = Vec::new();
        for e in self
            .findings
            .iter()
            .rev()
            .filter(|e| checked.contains(&e.file))
        {
            if let Some(count) = left.get_mut(e.fingerprint.as_str()) {
                if *count > 0 {
                    *count -= 1;
                    resolved.push(e.clone());
                }
            }
        }
        resolved.sort();
        resolved
    }
}

/// The record of one finding of `report`; `file` is the report's path relative to the baseline.
fn entry(report: &FileReport, finding: &Finding, file: &str) -> Entry {
    let park = report
        .facts
        .as_ref()
        .and_then(|f| f.platform_id.as_ref())
        .map(|l| l.value.clone());
    let pointer = finding
        .pointer
        .as_ref()
        .map_or("", |p| p.as_str())
        .to_owned();
    let value = finding
        .span
        .map(|s| report.source.slice(s))
        .unwrap_or_default();
    let fingerprint = fingerprint(
        &finding.rule,
        park.as_deref().unwrap_or(file),
        &pointer,
        value,
    );
    Entry {
        file: file.to_owned(),
        rule: finding.rule.clone(),
        pointer,
        fingerprint,
        park,
    }
}

/// The fingerprint of a finding: SHA-256 (hex) of its rule, its park (platform id, else the
/// file), its JSON pointer and the text of its value with whitespace collapsed — no line
/// numbers, so an edit elsewhere in the file keeps it. Baselines and SARIF share it.
#[must_use]
pub fn fingerprint(rule: &str, park: &str, pointer: &str, value: &str) -> String {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut hash = Sha256::new();
    for part in [rule, park, pointer, &value] {
        hash.update(part.as_bytes());
        // A separator that cannot occur in the parts keeps ("a", "bc") apart from ("ab", "c").
        hash.update([0u8]);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn canonical_dir(dir: &Path) -> Option<PathBuf> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    std::fs::canonicalize(dir).ok()
}

/// `name` relative to `base` with `/` separators when it is a file below it; otherwise the
/// name as given, without `./` (standard input stays `<stdin>`).
fn relative(base: Option<&Path>, name: &str) -> String {
    let path = Path::new(name);
    let below = base.and_then(|base| {
        let full = std::fs::canonicalize(path).ok()?;
        full.strip_prefix(base).ok().map(Path::to_path_buf)
    });
    let shown = below.as_deref().unwrap_or(path);
    let parts: Vec<String> = shown
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        name.to_owned()
    } else if shown.is_absolute() {
        shown.display().to_string()
    } else {
        parts.join("/")
    }
}
