//! Baselines end to end: write, re-run (all baselined), new findings, resolved ones, line
//! shifts and moves that keep a finding, value changes that make it new, multiplicity.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::Path;

use common::{parkcheck, root};
use serde_json::Value;

const BASELINE: &str = "parkcheck.baseline.json";

/// A directory with copies of the three waiver-fixture parks (and no waiver file), and a park
/// without a platform id (known by its path).
fn parks() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["alpha.yaml", "beta.yaml", "gamma.yaml"] {
        std::fs::copy(
            root().join("fixtures/waivers/parks").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    std::fs::copy(
        root().join("fixtures/rules/FORM-018/fail.yaml"),
        dir.path().join("zeta.yaml"),
    )
    .unwrap();
    // zeta is alpha's park on another day: not a duplicate submission (XDOC-001/002).
    edit(
        &dir.path().join("zeta.yaml"),
        "as_of: 2025-06-30",
        "as_of: 2025-07-01",
    );
    dir
}

/// Runs `check --format json` in `cwd` and returns the exit code and the report.
fn run_in(cwd: &Path, args: &[&str]) -> (i32, Value) {
    let output = parkcheck()
        .current_dir(cwd)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    (output.status.code().unwrap(), report)
}

fn write_baseline(dir: &Path) -> Value {
    let (code, _) = run_in(dir, &["--write-baseline", BASELINE, "."]);
    assert_eq!(code, 0, "writing a baseline exits 0 despite the findings");
    serde_json::from_slice(&std::fs::read(dir.join(BASELINE)).unwrap()).unwrap()
}

fn with_baseline(dir: &Path) -> (i32, Value) {
    run_in(dir, &["--baseline", BASELINE, "."])
}

/// The findings not suppressed: (rule, file).
fn new_findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("suppression").is_none())
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_baseline_records_findings_sorted_and_stably() {
    let dir = parks();
    let baseline = write_baseline(dir.path());
    assert_eq!(baseline["version"], 1);
    let entries = baseline["findings"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str, Option<&str>)> = entries
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap(),
                e["rule"].as_str().unwrap(),
                e["pointer"].as_str().unwrap(),
                e["park"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "alpha.yaml",
                "FORM-018",
                "/tenants/2/uscc",
                Some("XWQY-330402-0101")
            ),
            (
                "beta.yaml",
                "FORM-016",
                "/buildings/rent_yuan_per_m2_day",
                Some("XWQY-330482-0018")
            ),
            (
                "gamma.yaml",
                "SIZE-001",
                "/tenants/0/declared_size",
                Some("XWQY-330402-0103")
            ),
            ("zeta.yaml", "FORM-018", "/tenants/2/uscc", None),
        ]
    );
    assert!(entries.iter().all(|e| {
        let fp = e["fingerprint"].as_str().unwrap();
        fp.len() == 64 && fp.bytes().all(|b| b.is_ascii_hexdigit())
    }));
    // Written again from another directory, it is byte for byte the same.
    let first = std::fs::read(dir.path().join(BASELINE)).unwrap();
    let path = dir.path().join(BASELINE);
    let (code, _) = run_in(
        root(),
        &[
            "--write-baseline",
            path.to_str().unwrap(),
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(std::fs::read(&path).unwrap(), first);
    // No temporary file is left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 5);
}

#[test]
fn with_the_baseline_known_findings_do_not_count() {
    let dir = parks();
    write_baseline(dir.path());
    let (code, report) = with_baseline(dir.path());
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(new_findings(&report), Vec::<(String, String)>::new());
    assert_eq!(report["summary"]["baselined"], 4);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["baseline_resolved"], 0);
    // The human summary counts them.
    let output = parkcheck()
        .current_dir(dir.path())
        .args(["check", "--color", "never", "--baseline", BASELINE, "."])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("4 in the baseline"), "{text}");
    assert!(
        !text.contains("SIZE-001"),
        "baselined findings are not drawn: {text}"
    );
}

#[test]
fn new_findings_are_reported_and_fixed_ones_resolved() {
    let dir = parks();
    write_baseline(dir.path());
    // Fix beta's rent, add a park with a new problem.
    edit(
        &dir.path().join("beta.yaml"),
        "rent_yuan_per_m2_day: 15",
        "rent_yuan_per_m2_day: 0.5",
    );
    std::fs::copy(
        root().join("fixtures/rules/FORM-012/fail.yaml"),
        dir.path().join("delta.yaml"),
    )
    .unwrap();
    let (code, report) = with_baseline(dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        new_findings(&report),
        vec![("FORM-012".to_owned(), "./delta.yaml".to_owned())]
    );
    assert_eq!(report["summary"]["baselined"], 3);
    assert_eq!(report["summary"]["baseline_resolved"], 1);
    let resolved = &report["summary"]["resolved"][0];
    assert_eq!(resolved["file"], "beta.yaml");
    assert_eq!(resolved["rule"], "FORM-016");
    assert_eq!(resolved["pointer"], "/buildings/rent_yuan_per_m2_day");
    let output = parkcheck()
        .current_dir(dir.path())
        .args(["check", "--color", "never", "--baseline", BASELINE, "."])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("resolved (in the baseline, not found now):\n  FORM-016 beta.yaml /buildings/rent_yuan_per_m2_day"),
        "{text}"
    );
}

#[test]
fn inserted_lines_and_another_working_directory_keep_findings_known() {
    let dir = parks();
    write_baseline(dir.path());
    for name in ["alpha.yaml", "beta.yaml", "gamma.yaml", "zeta.yaml"] {
        let path = dir.path().join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            format!("# 修订说明 / revision notes\n#\n#\n#\n\n{text}"),
        )
        .unwrap();
    }
    // An unrelated value changes too.
    edit(
        &dir.path().join("alpha.yaml"),
        "filed_on: 2025-03-01",
        "filed_on: 2025-03-02",
    );
    // From the crate root, with absolute paths: the files are still relative to the baseline.
    let baseline = dir.path().join(BASELINE);
    let (code, report) = run_in(
        root(),
        &[
            "--baseline",
            baseline.to_str().unwrap(),
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["baselined"], 4);
    assert_eq!(report["summary"]["baseline_resolved"], 0);
}

#[test]
fn a_changed_value_is_a_new_finding() {
    let dir = parks();
    write_baseline(dir.path());
    // Another wrong code in the same place.
    edit(
        &dir.path().join("alpha.yaml"),
        "uscc: \"91330421MA9TJDWC36\"",
        "uscc: \"91330421MA9TJDWC37\"",
    );
    let (code, report) = with_baseline(dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        new_findings(&report),
        vec![("FORM-018".to_owned(), "./alpha.yaml".to_owned())]
    );
    assert_eq!(report["summary"]["resolved"][0]["file"], "alpha.yaml");
}

#[test]
fn identical_findings_are_counted() {
    let dir = parks();
    write_baseline(dir.path());
    // The same park twice (same platform id, same value): one is known, the other is new.
    std::fs::copy(
        dir.path().join("alpha.yaml"),
        dir.path().join("alpha-copy.yaml"),
    )
    .unwrap();
    let (code, report) = with_baseline(dir.path());
    assert_eq!(code, 1);
    let new = new_findings(&report);
    let count = |rule: &str| new.iter().filter(|(r, _)| r == rule).count();
    assert_eq!(count("FORM-018"), 1, "{new:?}");
    // The copy is also a duplicate submission: its name and platform id, in both files.
    assert_eq!(count("XDOC-002"), 4, "{new:?}");
    assert_eq!(new.len(), 5, "{new:?}");
    assert_eq!(report["summary"]["baselined"], 4);
}

#[test]
fn a_broken_baseline_is_an_error() {
    let dir = parks();
    for (text, said) in [
        ("{\"version\": 1}", "missing field"),
        (
            "{\"version\": 9, \"generated_by\": \"x\", \"findings\": []}",
            "unsupported baseline version 9",
        ),
        ("[1, 2", "PARSE"),
    ] {
        std::fs::write(dir.path().join(BASELINE), text).unwrap();
        let output = parkcheck()
            .current_dir(dir.path())
            .args(["check", "--color", "never", "--baseline", BASELINE, "."])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{text}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.contains(said), "{said} in {stdout}");
    }
}

#[test]
fn an_unwritable_baseline_is_an_error() {
    let dir = parks();
    let path = dir.path().join("no/such/dir/baseline.json");
    let output = parkcheck()
        .args([
            "check",
            "--write-baseline",
            path.to_str().unwrap(),
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// A run over some of the files (a pre-commit hook passes the staged ones) resolves nothing of
/// the files it did not check.
#[test]
fn files_not_checked_resolve_nothing() {
    let dir = parks();
    let baseline = write_baseline(dir.path());
    assert!(
        baseline["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] != "alpha.yaml"),
        "the baseline records findings of other files"
    );
    let (_, report) = run_in(dir.path(), &["--baseline", BASELINE, "alpha.yaml"]);
    assert_eq!(report["summary"]["baseline_resolved"], 0, "{report:#}");
    assert!(new_findings(&report).is_empty());
}
