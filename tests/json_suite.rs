//! JSONTestSuite's parsing cases (tests/json-suite/, Nicolas Seriot's suite, MIT): what parkcheck
//! does with every `y_` (must accept), `n_` (must reject) and `i_` (implementation-defined) file.
//!
//! The outcome of each case — it loads, or the rule of its finding and the byte offset it points
//! at, and the English message — is recorded in `tests/json-suite/expected.tsv`, which was
//! reviewed case by case; the policy checks below hold whatever that file says:
//! - every `y_` case loads, except the two with a duplicate key (refused by policy, as in YAML);
//! - every `n_` case is refused: `PARSE` at the place to fix, `ENCODING` when the file is not
//!   UTF-8 (decoded before parsing), `LIMIT` when it nests deeper than the limit before the
//!   error (and a file with no value at all is `PARSE` without a place, as an empty YAML file);
//! - no case panics, and every place lies inside the text, on a character boundary.
//!
//! `PARKCHECK_BLESS=1 cargo test --test json_suite` rewrites the record from what parkcheck does.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::fmt::Write as _;

use parkcheck::document::{Syntax, load_bytes};
use parkcheck::finding::FileReport;

use common::root;

struct Outcome {
    name: String,
    /// `loads`, or the rule of the finding.
    rule: String,
    /// The byte offset the finding points at, `-` for none.
    at: String,
    message: String,
}

fn run_case(name: &str, bytes: Vec<u8>) -> Outcome {
    match load_bytes(
        name,
        bytes,
        Syntax::Json,
        &parkcheck::document::Limits::default(),
    ) {
        Ok(_) => Outcome {
            name: name.to_owned(),
            rule: "loads".to_owned(),
            at: "-".to_owned(),
            message: String::new(),
        },
        Err(unloadable) => {
            let report = FileReport::from(unloadable);
            let finding = report.findings.first().unwrap();
            let text = report.source.text();
            if let Some(span) = finding.span {
                assert!(
                    span.start <= span.end
                        && span.end <= text.len()
                        && text.is_char_boundary(span.start)
                        && text.is_char_boundary(span.end),
                    "{name}: {span:?} outside the text"
                );
            }
            assert!(!finding.message.zh.is_empty(), "{name}: no Chinese message");
            Outcome {
                name: name.to_owned(),
                rule: finding.rule.clone(),
                at: finding
                    .span
                    .map_or_else(|| "-".to_owned(), |s| s.start.to_string()),
                message: finding.message.en.replace(['\t', '\n'], " "),
            }
        }
    }
}

fn outcomes() -> Vec<Outcome> {
    let dir = root().join("tests/json-suite/test_parsing");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 318, "JSONTestSuite has 318 parsing cases");
    names
        .iter()
        .map(|name| run_case(name, std::fs::read(dir.join(name)).unwrap()))
        .collect()
}

fn record(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "# JSONTestSuite parsing cases: what `parkcheck check` does with each (tests/json_suite.rs).\n\
         # case\toutcome (loads, or the rule of the finding)\tbyte offset of the finding (- none)\tmessage\n",
    );
    for o in outcomes {
        let _ = writeln!(out, "{}\t{}\t{}\t{}", o.name, o.rule, o.at, o.message);
    }
    out
}

#[test]
fn json_test_suite() {
    let outcomes = outcomes();
    let mut failures = Vec::new();
    for o in &outcomes {
        let kind = o.name.as_bytes()[0];
        match kind {
            b'y' if o.name.starts_with("y_object_duplicated_key") => {
                let refused = o.rule == "PARSE" && o.message.contains("duplicate key");
                if !refused {
                    failures.push(format!("{}: {} {}", o.name, o.rule, o.message));
                }
            }
            b'y' if o.rule != "loads" => {
                failures.push(format!("{}: must load: {} {}", o.name, o.rule, o.message));
            }
            b'n' if !matches!(o.rule.as_str(), "PARSE" | "ENCODING" | "LIMIT") => {
                failures.push(format!("{}: must be refused: {}", o.name, o.rule));
            }
            b'n' if o.rule == "PARSE"
                && o.at == "-"
                && !o.message.contains("holds no document") =>
            {
                failures.push(format!("{}: a PARSE finding without a place", o.name));
            }
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let path = root().join("tests/json-suite/expected.tsv");
    let now = record(&outcomes);
    if std::env::var_os("PARKCHECK_BLESS").is_some() {
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap();
    let differ: Vec<String> = recorded
        .lines()
        .zip(now.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("recorded: {a}\n     now: {b}"))
        .collect();
    assert!(
        differ.is_empty() && recorded.lines().count() == now.lines().count(),
        "the outcomes differ from tests/json-suite/expected.tsv (PARKCHECK_BLESS=1 to rewrite it after review):\n{}",
        differ.join("\n")
    );
}

/// Issue 18's export: a clean submission written as Python's `json.dumps` writes it by default
/// (every character outside ASCII escaped, 𠮷 as the surrogate pair `\ud842\udfb7`) checks clean,
/// with every rule, minified or not, and so does the same text in a YAML file.
#[test]
fn an_ascii_escaped_export_checks_clean() {
    let path = "fixtures/examples/xiuzhou-digital-service-park.yaml";
    let bytes = std::fs::read(root().join(path)).unwrap();
    let limits = parkcheck::document::Limits::default();
    let mut tree = load_bytes(path, bytes, Syntax::Yaml, &limits)
        .unwrap()
        .root
        .to_json();
    tree["tenants"][0]["name"] = "𠮷野家（桐乡）餐饮有限公司".into();
    let escape = |text: String| -> String {
        let mut out = String::new();
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
        out
    };
    let pretty = escape(serde_json::to_string_pretty(&tree).unwrap());
    assert!(
        pretty.contains(r#""\ud842\udfb7\u91ce\u5bb6"#),
        "{}",
        &pretty[..300]
    );
    let minified = escape(serde_json::to_string(&tree).unwrap());
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("export.json", &pretty),
        ("export.min.json", &minified),
        ("export.yaml", &pretty),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
        let doc = load_bytes(
            name,
            text.clone().into_bytes(),
            Syntax::of_name(name),
            &limits,
        )
        .unwrap_or_else(|u| panic!("{name}: {:?}", u.error));
        assert_eq!(
            doc.root
                .pointer(&parkcheck::document::Pointer::parse("/tenants/0/name").unwrap())
                .unwrap()
                .value,
            parkcheck::document::Value::Str("𠮷野家（桐乡）餐饮有限公司".into())
        );
    }
    // One run each: the three are the same park, which the cross-document rules would flag.
    for name in ["export.json", "export.min.json", "export.yaml"] {
        let output = common::parkcheck()
            .arg("check")
            .arg("--format")
            .arg("json")
            .arg(dir.path().join(name))
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(0), "{name}: {report:#}");
        assert_eq!(report["summary"]["files_clean"], 1, "{name}: {report:#}");
    }
}
