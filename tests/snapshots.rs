//! What a person sees: the human report of each structural fixture, at width 80, without colour.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{parkcheck, root};

/// Structure only (`--no-rules`): each structural fixture shows its one defect.
fn human(args: &[&str]) -> String {
    let output = parkcheck()
        .args(["check", "--color", "never", "--no-rules"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

/// A fixture's path relative to the crate root, as reports show it.
fn relative(path: &std::path::Path) -> String {
    path.strip_prefix(root())
        .unwrap()
        .to_str()
        .unwrap()
        .replace('\\', "/")
}

#[test]
fn structural_fixtures() {
    insta::glob!("../fixtures/structural", "*.{yaml,json}", |path| {
        insta::assert_snapshot!(human(&[&relative(path)]));
    });
}

#[test]
fn one_language_at_a_time() {
    insta::assert_snapshot!(
        "zh",
        human(&["--lang", "zh", "fixtures/structural/unknown-field.yaml"])
    );
    insta::assert_snapshot!(
        "en",
        human(&["--lang", "en", "fixtures/structural/unknown-field.yaml"])
    );
}

/// Rule findings, with their citation and calculation: the first failing fixture of each rule.
#[test]
fn rule_findings() {
    insta::glob!("../fixtures/rules", "*/fail.yaml", |path| {
        insta::assert_snapshot!(checked(path));
    });
}

/// The realistic failing examples, as an operator or a reviewer reads their report.
#[test]
fn failing_examples() {
    insta::glob!("../fixtures/failing", "*.{yaml,json}", |path| {
        insta::assert_snapshot!(checked(path));
    });
}

/// The human report of `parkcheck check` on one file, without colour.
fn checked(path: &std::path::Path) -> String {
    let rel = relative(path);
    let output = parkcheck()
        .args(["check", "--color", "never", &rel])
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}
