//! Repository mode: walking with exclusions, stable order, the run's summary, cross-document
//! rules through the command line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{parkcheck, root};
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

/// The pre-commit hooks: no batching (the cross-document rules compare the files of one run),
/// file types rather than a `files:` pattern a user's `files:` would replace, and a hook that
/// checks the whole directory.
#[test]
fn pre_commit_hooks_run_once_over_submissions_only() {
    let text = std::fs::read(root().join(".pre-commit-hooks.yaml")).unwrap();
    let doc = parkcheck::document::load_bytes(
        ".pre-commit-hooks.yaml",
        text,
        parkcheck::document::Syntax::Yaml,
        &parkcheck::document::Limits::default(),
    )
    .unwrap();
    let hooks = doc.root.to_json();
    let hooks = hooks.as_array().unwrap();
    let hook = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("no hook {id}"))
    };
    for id in ["parkcheck", "parkcheck-all"] {
        let h = hook(id);
        assert_eq!(h["require_serial"], true, "{id}");
        assert_eq!(h["types_or"], serde_json::json!(["yaml", "json"]), "{id}");
        assert!(
            h.get("files").is_none(),
            "{id}: a `files:` pattern is replaced by the user's"
        );
        assert_eq!(h["entry"], "parkcheck check", "{id}");
    }
    assert_eq!(hook("parkcheck-all")["pass_filenames"], false);
    assert_eq!(hook("parkcheck-all")["args"], serde_json::json!(["."]));
    // pre-commit matches `exclude` with Python's `re.search`; this pattern means the same to
    // the regex crate.
    let exclude = regex::Regex::new(hook("parkcheck")["exclude"].as_str().unwrap()).unwrap();
    for path in [
        ".github/workflows/ci.yaml",
        ".pre-commit-config.yaml",
        "parks/parkcheck.waivers.yaml",
        "parkcheck.baseline.json",
    ] {
        assert!(exclude.is_match(path), "{path} is not excluded");
    }
    for path in ["parks/桐乡市/濮院毛衫创新园.yaml", "parks/a.json"] {
        assert!(!exclude.is_match(path), "{path} is excluded");
    }
}

/// A reviewer's batch: the parks that fail are listed by file and name with their counts and
/// rules; an unreadable file is a park that fails ("of 4", not "of 3"); the JSON report has an
/// entry per file; a waiver file applied is not counted as a checked file.
#[test]
fn a_batch_lists_the_parks_that_fail() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["alpha.yaml", "beta.yaml", "gamma.yaml"] {
        std::fs::copy(
            root().join("fixtures/waivers/parks").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("broken.yaml"), "park: [unclosed\n").unwrap();
    let args = ["check", "--lang", "en", "--color", "never", "--no-waivers"];
    let output = parkcheck()
        .current_dir(dir.path())
        .args(args)
        .arg(".")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("parks that fail ("), "{text}");
    assert!(text.contains("of 4)"), "{text}");
    assert!(
        text.contains("  ./broken.yaml  unreadable  PARSE"),
        "{text}"
    );
    assert!(text.contains("checked 4 file(s)"), "{text}");
    let output = parkcheck()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--no-waivers", "."])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["parks"], 4);
    let detail = report["files_detail"].as_array().unwrap();
    assert_eq!(detail.len(), 4);
    let broken = detail
        .iter()
        .find(|f| f["file"] == "./broken.yaml")
        .unwrap();
    assert_eq!(broken["result"], "unreadable");
    let alpha = detail.iter().find(|f| f["file"] == "./alpha.yaml").unwrap();
    for key in [
        "park",
        "platform_id",
        "county",
        "type",
        "kind",
        "as_of",
        "errors",
        "warnings",
    ] {
        assert!(!alpha[key].is_null(), "files_detail lacks {key}: {alpha}");
    }
    // With a waiver file beside them: still 4 files checked (the waiver file is applied, not
    // checked), whatever its entries say.
    std::fs::copy(
        root().join("fixtures/waivers/parks/parkcheck.waivers.yaml"),
        dir.path().join("parkcheck.waivers.yaml"),
    )
    .unwrap();
    let output = parkcheck()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 4, "{:#}", report["summary"]);
    assert_eq!(report["files"], 4);
}

/// The cross-document findings carry their own title in every format, not the schema's.
#[test]
fn cross_document_findings_have_their_own_titles() {
    let (_, github) = run(&[
        "check",
        "--format",
        "github",
        "--lang",
        "zh",
        "fixtures/rules/XDOC-001/fail",
    ]);
    assert!(
        github.contains("title=XDOC-001 同一企业不在两个园区同时入驻"),
        "{github}"
    );
    assert!(!github.contains("提交格式的要求"), "{github}");
    let (_, sarif) = run(&["check", "--format", "sarif", "fixtures/rules/XDOC-002/fail"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let xdoc = rules.iter().find(|r| r["id"] == "XDOC-002").unwrap();
    assert!(
        xdoc["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("平台编号"),
        "{xdoc}"
    );
    let (_, junit) = run(&[
        "check",
        "--format",
        "junit",
        "--lang",
        "en",
        "fixtures/rules/XDOC-001/fail",
    ]);
    assert!(
        junit.contains("XDOC-001 one tenant USCC is not active in two parks at once"),
        "{junit}"
    );
}
