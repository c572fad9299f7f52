//! Repository mode: walking with exclusions, stable order, the run's summary, cross-document
//! rules through the command line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::parkcheck;
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String) {
    let output = parkcheck().args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn files_of(report: &Value) -> Vec<String> {
    let mut files: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_owned())
        .collect();
    files.dedup();
    files
}

#[test]
fn exclude_leaves_out_matching_files_inside_directories() {
    let (_, all) = run(&["check", "--format", "json", "fixtures/failing"]);
    let all: Value = serde_json::from_str(&all).unwrap();
    assert_eq!(all["summary"]["parks"], 11);
    let (_, some) = run(&[
        "check",
        "--format",
        "json",
        "--exclude",
        "zj-*",
        "--exclude",
        "*.json",
        "fixtures/failing",
    ]);
    let some: Value = serde_json::from_str(&some).unwrap();
    assert_eq!(some["summary"]["parks"], 7);
    let files = files_of(&some);
    assert!(
        files
            .iter()
            .all(|f| !f.contains("/zj-") && !f.ends_with(".json")),
        "{files:?}"
    );
    // A file named on the command line is checked even when a glob matches it.
    let (_, named) = run(&[
        "check",
        "--format",
        "json",
        "--exclude",
        "*.yaml",
        "fixtures/failing/zj-form-monthly-rent.yaml",
    ]);
    let named: Value = serde_json::from_str(&named).unwrap();
    assert_eq!(named["summary"]["parks"], 1);
    // A glob that does not parse is a usage error.
    let (code, _) = run(&["check", "--exclude", "[", "fixtures/failing"]);
    assert_eq!(code, 2);
}

#[test]
fn the_order_does_not_depend_on_threads() {
    let output = |threads: &str| {
        parkcheck()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "check",
                "--format",
                "json",
                "fixtures/failing",
                "fixtures/rules/XDOC-001",
            ])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(output("1"), output("2"));
}

#[test]
fn the_summary_counts_parks_and_the_most_frequent_rules() {
    let (code, text) = run(&[
        "check",
        "--lang",
        "en",
        "--color",
        "never",
        "fixtures/failing",
    ]);
    assert_eq!(code, 1);
    // Two examples have warnings only: they pass at the default --fail-on error.
    assert!(text.contains("parks: 2 passed, 9 failed of 11"), "{text}");
    assert!(
        text.contains("most frequent rules: JXS-003 ×4, REC-003 ×3"),
        "{text}"
    );
    // Judged at --fail-on: at info, the same; the examples pass at error.
    let (code, text) = run(&["check", "--format", "json", "fixtures/examples"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["summary"]["parks"], 3);
    assert_eq!(report["summary"]["parks_passed"], 3);
    assert_eq!(report["summary"]["parks_failed"], 0);
}

#[test]
fn cross_document_findings_point_at_each_other() {
    let (code, text) = run(&["check", "--format", "json", "fixtures/rules/XDOC-001/fail"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&text).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    for (me, other) in [(0, 1), (1, 0)] {
        let f = &findings[me];
        assert_eq!(f["rule"], "XDOC-001");
        let related = &f["related"][0];
        assert_eq!(related["file"], findings[other]["file"]);
        assert_eq!(related["line"], findings[other]["line"]);
        assert_eq!(related["pointer"], "/tenants/0/uscc");
    }
    // Without the rules there is no cross-document check.
    let (code, _) = run(&["check", "--no-rules", "fixtures/rules/XDOC-001/fail"]);
    assert_eq!(code, 0);
}
