//! The command line end to end: exit codes, both formats, fixtures, hostile inputs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{check_json, fixture_files, parkcheck, root};
use predicates::prelude::*;
use serde_json::Value;

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

#[test]
fn examples_are_clean() {
    let files = fixture_files("fixtures/examples");
    assert!(files.len() >= 3, "at least three bundled examples");
    let (code, report) = check_json(&["fixtures/examples/"]);
    assert_eq!(findings(&report), &Vec::<Value>::new());
    assert_eq!(code, 0);
    assert_eq!(report["files"], files.len());
    parkcheck()
        .args(["check", "fixtures/examples/"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 error(s)"));
}

/// Expectations written in a fixture's header comments.
#[derive(Debug, Default)]
struct Expect {
    findings: Vec<(String, String)>,
    exit: Option<i32>,
    errors: Vec<String>,
    none: bool,
}

fn expectations(bytes: &[u8]) -> Expect {
    let text = String::from_utf8_lossy(bytes);
    let mut expect = Expect::default();
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if let Some(rest) = line.strip_prefix("# expect:") {
            let mut words = rest.split_whitespace();
            match (words.next(), words.next()) {
                (Some("none"), _) => expect.none = true,
                (Some(rule), Some(pointer)) => {
                    expect.findings.push((rule.to_owned(), pointer.to_owned()));
                }
                // A rule alone: a finding about the whole document (pointer "").
                (Some(rule), None) => expect.findings.push((rule.to_owned(), String::new())),
                other => panic!("bad expectation {other:?}"),
            }
        } else if let Some(rest) = line.strip_prefix("# expect-exit:") {
            expect.exit = Some(rest.trim().parse().unwrap());
        } else if let Some(rest) = line.strip_prefix("# expect-error:") {
            expect.errors.push(rest.trim().to_owned());
        }
    }
    expect
}

/// Every structural fixture fails exactly as its header says (adding a fixture adds a case).
/// All mismatches are collected, so one run shows every fixture that disagrees.
#[test]
fn structural_fixtures_fail_as_declared() {
    let files = fixture_files("fixtures/structural");
    assert!(files.len() >= 10, "structural fixtures present");
    let mut failures = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        if let Err(why) = check_fixture(&rel, &expectations(&std::fs::read(&file).unwrap())) {
            failures.push(format!("{rel}: {why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check_fixture(rel: &str, expect: &Expect) -> Result<(), String> {
    let (code, report) = check_json(&[rel]);
    let found = findings(&report);
    if expect.none {
        return if found.is_empty() && code == 0 {
            Ok(())
        } else {
            Err(format!("should pass, got exit {code}: {report:#}"))
        };
    }
    if let Some(exit) = expect.exit {
        if code != exit || found.len() != 1 {
            return Err(format!(
                "want exit {exit} and one diagnostic, got exit {code}: {report:#}"
            ));
        }
        let message = &found[0]["message"];
        let text = format!("{} {}", message["zh"], message["en"]).to_lowercase();
        for needle in &expect.errors {
            if !text.contains(&needle.to_lowercase()) {
                return Err(format!("`{needle}` not in {text}"));
            }
        }
        return Ok(());
    }
    if expect.findings.is_empty() {
        return Err("declares no expectation".to_owned());
    }
    let mut got: Vec<(String, String)> = found
        .iter()
        .map(|f| {
            let rule = f["rule"].as_str().unwrap_or("").to_owned();
            (rule, f["pointer"].as_str().unwrap_or("").to_owned())
        })
        .collect();
    let mut want = expect.findings.clone();
    got.sort();
    want.sort();
    if got != want {
        return Err(format!("want {want:?}, got {got:?}"));
    }
    if code != 1 {
        return Err(format!("exit {code}, want 1"));
    }
    if found
        .iter()
        .any(|f| f["line"].as_u64().is_none_or(|l| l < 1))
    {
        return Err("a finding without a line".to_owned());
    }
    Ok(())
}

/// (line, column) of the first occurrence of `needle` after `after`, columns in characters.
fn position(file: &str, after: &str, needle: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("`{after}` not in {file}"));
    let at = start + text[start..].find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + 1;
    (line as u64, column as u64)
}

fn single(file: &str) -> Value {
    let (code, report) = check_json(&[file]);
    assert_eq!(code, 1, "{report:#}");
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    found[0].clone()
}

#[test]
fn wrong_enum_value_is_located() {
    let file = "fixtures/structural/wrong-enum.yaml";
    let f = single(file);
    assert_eq!(f["rule"], "FORM-001");
    assert_eq!(f["pointer"], "/park/status");
    let (line, column) = position(file, "\n  status:", "运营中");
    assert_eq!(
        (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
        (line, column)
    );
    assert_eq!(f["end_line"].as_u64().unwrap(), line);
    assert_eq!(f["end_column"].as_u64().unwrap(), column + 3);
    assert!(f["message"]["zh"].as_str().unwrap().contains("已投运"));
}

#[test]
fn missing_field_points_at_its_object() {
    let file = "fixtures/structural/missing-required.yaml";
    let f = single(file);
    assert_eq!(f["rule"], "SCHEMA");
    assert_eq!(f["pointer"], "/park");
    let (line, column) = position(file, "\npark:", "park:");
    assert_eq!(
        (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
        (line, column)
    );
    assert!(f["message"]["en"].as_str().unwrap().contains("address"));
}

#[test]
fn wrong_type_is_located() {
    let file = "fixtures/structural/wrong-type.yaml";
    let f = single(file);
    assert_eq!(f["rule"], "SCHEMA");
    let pointer = f["pointer"].as_str().unwrap();
    assert!(
        pointer.starts_with("/tenants/") && pointer.ends_with("/employees"),
        "{pointer}"
    );
    let (line, column) = position(file, "employees: 二十", "二十");
    assert_eq!(
        (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
        (line, column)
    );
}

#[test]
fn unknown_field_is_located_with_a_suggestion() {
    let file = "fixtures/structural/unknown-field.yaml";
    let f = single(file);
    assert_eq!(f["rule"], "SCHEMA");
    assert_eq!(f["pointer"], "/operator/staf");
    let (line, column) = position(file, "\noperator:", "staf:");
    assert_eq!(
        (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
        (line, column)
    );
    assert!(
        f["help"]["en"]
            .as_str()
            .unwrap()
            .contains("did you mean `staff`")
    );
}

#[test]
fn unquoted_code_is_told_to_be_quoted() {
    let f = single("fixtures/structural/unquoted-region-code.yaml");
    assert_eq!(f["rule"], "FORM-019");
    assert!(f["help"]["en"].as_str().unwrap().contains("quote it"));
}

#[test]
fn unreadable_input_exits_2_and_the_rest_is_still_checked() {
    let (code, report) = check_json(&[
        "fixtures/structural/syntax-error.yaml",
        "no/such/file.yaml",
        "fixtures/structural/wrong-enum.yaml",
    ]);
    assert_eq!(code, 2);
    let rules: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["PARSE", "IO", "FORM-001"]);
    assert_eq!(report["summary"]["files_unreadable"], 2);
}

#[test]
fn usage_errors_exit_2() {
    parkcheck()
        .args(["check", "--format", "xml", "x.yaml"])
        .assert()
        .code(2);
    parkcheck().args(["check"]).assert().code(2);
    parkcheck().args(["frobnicate"]).assert().code(2);
}

#[test]
fn stdin_is_read_for_dash() {
    let text = std::fs::read(root().join("fixtures/structural/wrong-enum.yaml")).unwrap();
    let output = parkcheck()
        .args(["check", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(findings(&report)[0]["file"], "<stdin>");
    assert_eq!(findings(&report)[0]["rule"], "FORM-001");
}

#[test]
fn json_report_shape() {
    let (_, report) = check_json(&["fixtures/structural/wrong-enum.yaml"]);
    assert_eq!(report["version"], 1);
    assert_eq!(report["files"], 1);
    let f = &findings(&report)[0];
    for key in [
        "rule",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "pointer",
        "message",
        "help",
    ] {
        assert!(f.get(key).is_some(), "finding lacks {key}");
    }
    assert_eq!(f["severity"], "error");
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["by_rule"]["FORM-001"], 1);
}

#[test]
fn languages() {
    let zh = parkcheck()
        .args([
            "check",
            "--color",
            "never",
            "--lang",
            "zh",
            "fixtures/structural/wrong-enum.yaml",
        ])
        .output()
        .unwrap();
    let zh = String::from_utf8(zh.stdout).unwrap();
    assert!(
        zh.contains("不在允许范围内") && !zh.contains("not allowed"),
        "{zh}"
    );
    let en = parkcheck()
        .args([
            "check",
            "--color",
            "never",
            "--lang",
            "en",
            "fixtures/structural/wrong-enum.yaml",
        ])
        .output()
        .unwrap();
    let en = String::from_utf8(en.stdout).unwrap();
    assert!(
        en.contains("not allowed") && !en.contains("不在允许范围内"),
        "{en}"
    );
}

#[test]
fn schema_command_prints_the_schema() {
    let output = parkcheck().arg("schema").output().unwrap();
    assert!(output.status.success());
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    let shipped: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/submission.v1.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(printed, shipped);
}

#[test]
fn the_size_limit_can_be_set() {
    // The default limit and files far over it are in the hostile corpus (tests/hostile.rs).
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.yaml");
    std::fs::write(&small, "a: 1\n".repeat(100)).unwrap();
    let output = parkcheck()
        .args(["check", "--format", "json", "--max-file-size", "200"])
        .arg(&small)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = findings(&report);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["rule"], "LIMIT");
    assert!(
        found[0]["message"]["en"]
            .as_str()
            .unwrap()
            .contains("500 bytes, the limit is 200")
    );
}

#[test]
fn a_directory_without_submissions_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("looks-like.yaml")).unwrap();
    std::fs::write(dir.path().join("ok.txt"), "not a submission").unwrap();
    // The `.yaml` directory is walked as a directory, not read as a file; nothing in the tree
    // is a submission, which is said rather than passed as a clean run.
    let (code, report) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    let found = findings(&report);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["rule"], "IO");
    assert!(
        found[0]["message"]["en"]
            .as_str()
            .unwrap()
            .contains("no submission file")
    );
}

/// A report or baseline file gets the mode of the file it replaces, or the umask's default for
/// a new one (not the 0600 of the temporary file it is written through).
#[cfg(unix)]
#[test]
fn written_files_get_the_usual_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin!("parkcheck");
    let example = root().join("fixtures/examples/puyuan-sweater-park.yaml");
    let run = |umask: &str| {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask}; exec \"$0\" check --format json=r.json --write-baseline b.json \"$1\""
            ))
            .arg(bin)
            .arg(&example)
            .current_dir(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    };
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    run("022");
    assert_eq!((mode("r.json"), mode("b.json")), (0o644, 0o644));
    // A replaced file keeps its mode, whatever the umask.
    std::fs::set_permissions(
        dir.path().join("r.json"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    run("077");
    assert_eq!((mode("r.json"), mode("b.json")), (0o640, 0o644));
    std::fs::remove_file(dir.path().join("b.json")).unwrap();
    run("077");
    assert_eq!(mode("b.json"), 0o600);
}

/// `explain` from any directory (its examples are inside the binary), for an id typed in lower
/// case or without its zeros, each metric once, dates in words, a "did you mean" otherwise.
#[test]
fn explain_works_anywhere_and_forgives_the_spelling() {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = parkcheck()
        .current_dir(elsewhere.path())
        .args(["explain", "rec-7", "--lang", "en"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("REC-007 — "), "{text}");
    assert!(
        text.contains("failing example: fixtures/rules/REC-007/fail.yaml\n  52:18:"),
        "{text}"
    );
    assert!(
        text.contains("passing example: fixtures/rules/REC-007/pass.yaml"),
        "{text}"
    );
    assert_eq!(text.matches("metric: plot ratio =").count(), 1, "{text}");
    assert!(text.contains("in force: from 2018-01-01\n"), "{text}");
    assert!(!text.contains(" – "), "{text}");
    let output = parkcheck().args(["explain", "REC-070"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(err.contains("did you mean `REC-007`"), "{err}");
    for id in ["xdoc-1", "FORM-001", "parse", "WAIVER-EXPIRED"] {
        let output = parkcheck().args(["explain", id]).output().unwrap();
        assert!(output.status.success(), "explain {id}");
    }
}

/// `rules list` lists every id a finding can carry, with what implements it.
#[test]
fn rules_list_has_every_id_findings_show() {
    let output = parkcheck()
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    let listed: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let by = |id: &str| {
        listed
            .iter()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not listed"))["implemented_by"]
            .clone()
    };
    for id in [
        "FORM-001", "FORM-011", "FORM-020", "FORM-021", "REC-001", "JXF-001",
    ] {
        assert_eq!(by(id), "schema", "{id}");
    }
    assert_eq!(by("XDOC-001"), "cross-document");
    assert_eq!(by("REC-007"), "rule");
    assert_eq!(by("PARSE"), "loader");
    assert_eq!(by("WAIVER-UNUSED"), "waivers");
    // Every catalogue id is there.
    let catalogue = std::fs::read_to_string(root().join("catalogue.yaml")).unwrap();
    for line in catalogue
        .lines()
        .filter(|l| l.trim_start().starts_with("- {id: "))
    {
        let id = line
            .split("id: ")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap();
        by(id);
    }
}

/// The help follows `--lang` as the messages do: both languages, Chinese first, by default;
/// the option names are the same in every language.
#[test]
fn help_speaks_chinese_first() {
    let help = |args: &[&str]| {
        let output = parkcheck().args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let default = help(&["--help"]);
    assert!(default.contains("检查申报文件"), "{default}");
    assert!(default.contains("Check submissions"), "{default}");
    assert!(default.find("检查申报文件") < default.find("Check submissions"));
    for sub in [
        &["check"][..],
        &["schema"],
        &["rules"],
        &["rules", "lint"],
        &["rules", "list"],
        &["rules", "coverage"],
        &["rules", "test"],
        &["score"],
        &["explain"],
        &["serve"],
        &["template"],
    ] {
        let mut zh = sub.to_vec();
        zh.extend(["--lang", "zh", "--help"]);
        let mut en = sub.to_vec();
        en.extend(["--lang", "en", "--help"]);
        let zh_help = help(&zh);
        assert!(zh_help.contains("显示帮助"), "{zh:?}: {zh_help}");
        // clap's own headings and notes are in the language too.
        assert!(zh_help.contains("用法："), "{zh_help}");
        assert!(zh_help.contains("选项："), "{zh_help}");
        assert!(!zh_help.contains("Usage:"), "{zh_help}");
        assert!(!zh_help.contains("[default:"), "{zh_help}");
        assert!(!zh_help.contains("[possible values:"), "{zh_help}");
        let en_help = help(&en);
        assert!(en_help.contains("Print help"), "{en_help}");
        assert!(en_help.contains("Usage:"), "{en_help}");
        assert!(!en_help.contains("显示帮助"), "{en_help}");
        // The same options, whatever the language.
        let options = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| l.trim_start().starts_with('-'))
                .flat_map(str::split_whitespace)
                .map(|w| w.trim_end_matches(','))
                .filter(|w| w.starts_with('-'))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(options(&zh_help), options(&en_help), "{sub:?}");
        assert!(!zh_help.contains("Print help"), "{zh_help}");
    }
    // `--lang` is global: before the subcommand as after it, and at the top level.
    let top_en = help(&["--lang", "en", "--help"]);
    assert!(top_en.contains("Check submissions"), "{top_en}");
    assert!(!top_en.contains("检查申报文件"), "{top_en}");
    let top_zh = help(&["--lang=zh", "--help"]);
    assert!(top_zh.contains("子命令："), "{top_zh}");
    assert!(!top_zh.contains("Check submissions"), "{top_zh}");
    let before = help(&["--lang", "en", "check", "--help"]);
    assert_eq!(before, help(&["check", "--lang", "en", "--help"]));
    assert!(default.contains("用法 / Usage: parkcheck"), "{default}");
    let check_both = help(&["check", "--help"]);
    assert!(
        check_both
            .contains("[默认 / default: error] [可取 / possible values: info, warning, error]"),
        "{check_both}"
    );
    let check = help(&["check", "--lang", "zh", "--help"]);
    assert!(check.contains("--fail-on"), "{check}");
    assert!(
        check.contains("报告了该严重程度及以上的问题时退出码为 1"),
        "{check}"
    );
}

/// A usage error is said in Chinese first (clap's English follows), in English alone with
/// `--lang en`; the exit code is 2 either way.
#[test]
fn usage_errors_speak_chinese_first() {
    let output = parkcheck()
        .args(["check", "--fail-on", "bad", "x.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("错误：--fail-on <FAIL_ON> 的取值 bad 无效"),
        "{stderr}"
    );
    assert!(stderr.contains("invalid value 'bad'"), "{stderr}");
    let output = parkcheck()
        .args(["check", "--lang", "en", "--frob", "x.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: unexpected argument '--frob'"),
        "{stderr}"
    );
}
