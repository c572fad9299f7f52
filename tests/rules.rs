//! Every rule against its fixtures, and the rules' own hygiene.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{parkcheck, root};
use parkcheck::engine::Engine;
use parkcheck::profile::Profile;
use parkcheck::rulebook::BUNDLED;

fn engine() -> Engine {
    common::bundled_engine()
}

#[test]
fn every_rule_passes_its_fixtures() {
    let run = parkcheck::run::Run::new(
        parkcheck::schema::Schema::bundled().unwrap(),
        Some(engine()),
        parkcheck::document::Limits::default(),
    );
    let results = parkcheck::ruletest::run(&run, &root().join("fixtures/rules"));
    let failed: Vec<_> = results.iter().filter(|r| !r.ok()).collect();
    assert!(
        failed.is_empty(),
        "{}",
        parkcheck::ruletest::render(&results)
    );
}

#[test]
fn every_rule_cites_its_source_and_speaks_both_languages() {
    let engine = engine();
    for (book, rule) in engine.rules().rules() {
        let id = &rule.id;
        assert!(!rule.clause.trim().is_empty(), "{id}: no clause");
        assert!(
            !book.title.zh.is_empty() && !book.title.en.is_empty(),
            "{id}: rulebook title"
        );
        for text in [&rule.title, &rule.help]
            .into_iter()
            .chain(rule.checks.iter().map(|c| &c.message))
        {
            assert!(
                !text.zh.trim().is_empty() && !text.en.trim().is_empty(),
                "{id}: {text:?}"
            );
            assert!(
                text.zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{id}: zh text without Chinese: {}",
                text.zh
            );
        }
        assert!(
            !rule.checks.is_empty() || rule.builtin.is_some(),
            "{id}: no check"
        );
    }
}

#[test]
fn bundled_rulebooks_are_the_files_in_rules() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| format!("rules/{}", e.unwrap().file_name().to_str().unwrap()))
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    on_disk.sort();
    let mut bundled: Vec<String> = BUNDLED.iter().map(|(n, _)| (*n).to_owned()).collect();
    bundled.sort();
    assert_eq!(bundled, on_disk);
    for (name, text) in BUNDLED {
        assert_eq!(
            std::fs::read_to_string(root().join(name)).unwrap(),
            *text,
            "{name} is stale in the binary"
        );
    }
}

#[test]
fn the_default_profile_reports_unverified_rules_as_warnings() {
    let profile = Profile::bundled_default().unwrap();
    assert_eq!(
        profile.unverified_severity,
        parkcheck::finding::Severity::Warning
    );
    assert!(profile.params.is_empty() && profile.disable.is_empty() && profile.severity.is_empty());
    let engine = engine();
    for (_, rule) in engine.rules().rules() {
        if engine.confidence(rule) == parkcheck::finding::Confidence::Unverified {
            assert!(
                engine.severity(rule) <= parkcheck::finding::Severity::Warning,
                "{}",
                rule.id
            );
        }
    }
}

#[test]
fn every_catalogue_id_is_covered_both_ways() {
    let output = parkcheck()
        .args(["rules", "coverage", "--format", "json"])
        .output()
        .unwrap();
    let coverage: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = coverage["rows"].as_array().unwrap();
    let gaps: Vec<String> = rows
        .iter()
        .filter(|r| !r["gaps"].as_array().unwrap().is_empty())
        .map(|r| format!("{} lacks {}", r["id"], r["gaps"]))
        .collect();
    assert!(gaps.is_empty(), "uncovered catalogue ids: {gaps:#?}");
    assert_eq!(coverage["not_in_catalogue"], serde_json::json!([]));
    assert_eq!(output.status.code(), Some(0));
    // The catalogue of docs/domain.md: 58 ids, each listed once.
    let mut ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 58);
    ids.dedup();
    assert_eq!(ids.len(), 58);
}

#[test]
fn coverage_flags_ids_without_fixtures() {
    let empty = tempfile::tempdir().unwrap();
    let output = parkcheck()
        .args(["rules", "coverage", "--lang", "en", "--fixtures"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("FORM-001") && text.contains("missing: pass fixture, fail fixture"),
        "{text}"
    );
    assert!(
        text.contains("58 id(s), 0 complete, 58 with gaps"),
        "{text}"
    );
}

#[test]
fn explain_covers_ids_the_schema_or_the_cross_document_checks_implement() {
    for (id, said) in [
        ("FORM-001", "checked by the submission schema"),
        ("XDOC-001", "cross-document"),
    ] {
        let output = parkcheck()
            .args(["explain", id, "--lang", "en"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{id}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.contains(said) && text.contains("failing example"),
            "{text}"
        );
    }
    let output = parkcheck().args(["explain", "FORM-999"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
