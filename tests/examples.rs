//! The bundled submissions: `fixtures/examples/` is clean of errors, and each realistic failing
//! example in `fixtures/failing/` gives exactly the findings its header declares, at every
//! severity, with the bundled rules and the default profile.
//!
//! A YAML example declares its findings in its header, one line each:
//! `# expect: FORM-016 /buildings/rent_yuan_per_m2_day` (no pointer: the root). JSON carries no
//! comments, so a JSON example declares them in a sidecar `<name>.expect` with the same lines.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::{Path, PathBuf};

use common::{fixture_files, root};
use parkcheck::document::Limits;
use parkcheck::engine::Engine;
use parkcheck::finding::FileReport;
use parkcheck::finding::Severity;
use parkcheck::run::{Input, Run, Timings};
use parkcheck::schema::Schema;

fn engine() -> Engine {
    common::bundled_engine()
}

/// What `parkcheck check` does with one file: schema, bundled rules, default profile.
fn check(checker: &Run, path: &Path) -> FileReport {
    checker.check_input(
        Input::Path(path.to_path_buf()),
        None,
        &mut Timings::default(),
    )
}

/// `(rule, pointer)` of each `# expect:` line, sorted; a missing pointer is the root (`""`).
fn expected(text: &str) -> Vec<(String, String)> {
    let mut want: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("# expect:"))
        .map(|rest| {
            let mut words = rest.split_whitespace();
            let rule = words.next().unwrap_or_default().to_owned();
            let pointer = words.next().unwrap_or_default().to_owned();
            assert!(words.next().is_none(), "one finding per line: {rest}");
            (rule, pointer)
        })
        .collect();
    want.sort();
    want
}

/// Where an example declares its findings: the sidecar `<name>.expect` when there is one (a
/// JSON example must have one), else the example itself.
fn expectations_of(path: &Path) -> PathBuf {
    let sidecar = path.with_extension("expect");
    if sidecar.exists() || path.extension().is_some_and(|e| e == "json") {
        sidecar
    } else {
        path.to_path_buf()
    }
}

fn failing_examples() -> Vec<PathBuf> {
    fixture_files("fixtures/failing")
}

#[test]
fn each_failing_example_gives_exactly_the_findings_it_declares() {
    let checker = Run::new(
        Schema::bundled().unwrap(),
        Some(engine()),
        Limits::default(),
    );
    let examples = failing_examples();
    assert!(!examples.is_empty(), "no example in fixtures/failing");
    let mut problems = Vec::new();
    for path in &examples {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let declared = expectations_of(path);
        let Ok(text) = std::fs::read_to_string(&declared) else {
            problems.push(format!("{name}: cannot read {}", declared.display()));
            continue;
        };
        let want = expected(&text);
        if want.is_empty() {
            problems.push(format!(
                "{name}: declares no `# expect: RULE /pointer` line"
            ));
            continue;
        }
        let report = check(&checker, path);
        if report.unreadable {
            problems.push(format!(
                "{name}: could not be loaded: {:?}",
                report.findings
            ));
            continue;
        }
        let mut got: Vec<(String, String)> = report
            .findings
            .iter()
            .map(|f| {
                let pointer = f.pointer.as_ref().map(|p| p.as_str().to_owned());
                (f.rule.clone(), pointer.unwrap_or_default())
            })
            .collect();
        got.sort();
        if got != want {
            let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
            let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
            problems.push(format!(
                "{name}:\n  expected {want:?}\n  got      {got:?}\n  missing {missing:?}, unexpected {extra:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// One realistic failing example per bundled rulebook, named after it (`<rulebook>-<story>`), that
/// declares at least one finding of that rulebook: one of its rules, or a catalogue id of the same
/// family enforced by the schema (JXF-001 for jx-filing).
#[test]
fn every_rulebook_has_a_failing_example() {
    let engine = engine();
    let examples = failing_examples();
    for book in &engine.rules().rulebooks {
        let prefix = format!("{}-", book.id);
        let mine: Vec<&PathBuf> = examples
            .iter()
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&prefix))
            })
            .collect();
        assert!(
            !mine.is_empty(),
            "rulebook {}: no failing example fixtures/failing/{}-*.yaml or .json",
            book.id,
            book.id
        );
        // A rulebook's own rules, or the ones its scoring reads (the evaluation has no rules).
        let scored = book.scoring.iter().flat_map(|s| {
            s.vetoes
                .iter()
                .map(|v| v.id.as_str())
                .chain(s.deductions.iter().map(|d| d.rule.id.as_str()))
        });
        let families: Vec<&str> = book
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .chain(scored)
            .filter_map(|id| id.split_once('-').map(|(family, _)| family))
            .collect();
        for path in mine {
            let text = std::fs::read_to_string(expectations_of(path)).unwrap();
            assert!(
                expected(&text).iter().any(|(rule, _)| rule
                    .split_once('-')
                    .is_some_and(|(family, _)| families.contains(&family))),
                "{}: declares no finding of rulebook {}",
                path.display(),
                book.id
            );
        }
    }
}

/// The README's main command: the bundled examples have no error-level finding.
#[test]
fn bundled_examples_have_no_error() {
    let checker = Run::new(
        Schema::bundled().unwrap(),
        Some(engine()),
        Limits::default(),
    );
    let examples = fixture_files("fixtures/examples");
    assert!(!examples.is_empty(), "no example in fixtures/examples");
    for path in examples {
        let report = check(&checker, &path);
        assert!(!report.unreadable, "{}: unreadable", path.display());
        let errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (&f.rule, f.pointer.as_ref().map(|p| p.as_str().to_owned())))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
}

/// The expectation parser: a sidecar's lines, the root, several findings at one place.
#[test]
fn expect_lines() {
    let text = "# story\n# expect: REC-003 /reporting/quarterly_submitted\n\
                # expect: FORM-021\n  # expect: REC-003 /reporting/quarterly_submitted\nformat: x\n";
    assert_eq!(
        expected(text),
        vec![
            ("FORM-021".to_owned(), String::new()),
            (
                "REC-003".to_owned(),
                "/reporting/quarterly_submitted".to_owned()
            ),
            (
                "REC-003".to_owned(),
                "/reporting/quarterly_submitted".to_owned()
            ),
        ]
    );
}
