//! Waivers end to end: waived, expired, unused, by pointer, by path and by platform id, every
//! load error at once, hostile waiver files, exit codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{parkcheck, root};
use serde_json::Value;

const PARKS: &str = "fixtures/waivers/parks/";
const WAIVERS: &str = "fixtures/waivers/parks/parkcheck.waivers.yaml";

/// Runs `check --format json` with the expiry date fixed to `today`.
fn run(today: &str, args: &[&str]) -> (i32, Value, String) {
    let output = parkcheck()
        .env("PARKCHECK_TODAY", today)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (code, report, stdout)
}

fn finding<'a>(report: &'a Value, rule: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in {report:#}"))
}

fn rules(report: &Value) -> Vec<(String, Option<String>)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["suppression"]["kind"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn waived_errors_do_not_fail_the_run() {
    let (code, report, _) = run("2026-06-30", &[PARKS]);
    assert_eq!(code, 0, "{report:#}");
    // By platform id, limited to a pointer that contains the finding's.
    let uscc = finding(&report, "FORM-018");
    assert_eq!(uscc["pointer"], "/tenants/2/uscc");
    assert_eq!(
        uscc["suppression"],
        serde_json::json!({
            "kind": "waived",
            "reason": "该企业已注销，代码以工商档案为准 / the company is deregistered; its code stands as archived",
            "approved_by": "嘉善县经信局 王五",
            "document": "善经信〔2026〕3号",
            "expires": "2099-12-31",
            "waiver": format!("{WAIVERS}:5"),
        })
    );
    // By path, relative to the waiver file's directory.
    assert_eq!(
        finding(&report, "FORM-016")["suppression"]["kind"],
        "waived"
    );
    // On its last day, a waiver still applies.
    assert_eq!(
        finding(&report, "SIZE-001")["suppression"]["kind"],
        "waived"
    );
    let summary = &report["summary"];
    assert_eq!(summary["waived"], 3);
    assert_eq!(summary["errors"], 0);
    // The unused waiver (its park was checked) warns; the one whose park was not checked informs.
    assert_eq!(summary["warnings"], 1);
    assert_eq!(summary["infos"], 1);
    let unused = finding(&report, "WAIVER-UNUSED");
    assert_eq!(unused["file"], WAIVERS);
    assert_eq!(unused["pointer"], "/waivers/3/rule");
    assert_eq!(
        (unused["line"].clone(), unused["column"].clone()),
        (25.into(), 11.into())
    );
    assert_eq!(unused["severity"], "warning");
    // The waiver file is not read as a submission.
    assert!(
        !report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == WAIVERS && f["rule"] == "SCHEMA")
    );
}

#[test]
fn an_expired_waiver_stops_waiving_and_says_so() {
    let (code, report, _) = run("2026-07-01", &[PARKS]);
    assert_eq!(code, 1, "{report:#}");
    let size = finding(&report, "SIZE-001");
    assert!(size.get("suppression").is_none());
    let note = &size["related"][0];
    assert_eq!(note["file"], WAIVERS);
    assert_eq!(note["line"], 23);
    assert!(
        note["message"]["en"]
            .as_str()
            .unwrap()
            .contains("expired on 2026-06-30")
    );
    let expired = finding(&report, "WAIVER-EXPIRED");
    assert_eq!(expired["file"], WAIVERS);
    assert_eq!(expired["pointer"], "/waivers/2/expires");
    assert_eq!(expired["line"], 23);
    assert!(
        expired["message"]["zh"]
            .as_str()
            .unwrap()
            .contains("豁免已于 2026-06-30 到期")
    );
    assert_eq!(
        expired["related"][0]["file"],
        "fixtures/waivers/parks/gamma.yaml"
    );
    assert_eq!(expired["related"][0]["line"], 106);
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["waived"], 2);
}

#[test]
fn human_output_lists_waived_findings_compactly() {
    let output = parkcheck()
        .env("PARKCHECK_TODAY", "2026-07-01")
        .args(["check", "--color", "never", PARKS])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn no_waivers_counts_everything() {
    let (code, report, _) = run("2026-06-30", &["--no-waivers", PARKS]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["waived"], 0);
    assert_eq!(report["summary"]["errors"], 2);
    assert_eq!(report["files"], 3);
}

#[test]
fn the_default_file_is_found_beside_a_file_argument() {
    let (code, report, _) = run("2026-06-30", &["fixtures/waivers/parks/alpha.yaml"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        finding(&report, "FORM-018")["suppression"]["kind"],
        "waived"
    );
}

/// Writes a waiver file into a fresh directory and checks the parks with it.
fn with_waivers(yaml: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.yaml");
    std::fs::write(&path, yaml).unwrap();
    let (code, report, stdout) = run("2026-06-30", &["--waivers", path.to_str().unwrap(), PARKS]);
    assert!(!report.is_null(), "not JSON: {stdout}");
    (code, report)
}

#[test]
fn a_pointer_limits_the_waiver_to_that_place() {
    let (code, report) = with_waivers(
        "waivers:\n  - {rule: FORM-018, park: XWQY-330402-0101, pointer: /tenants/1, reason: r, approved_by: a}\n",
    );
    assert_eq!(code, 1);
    assert!(finding(&report, "FORM-018").get("suppression").is_none());
    assert_eq!(finding(&report, "WAIVER-UNUSED")["severity"], "warning");
    // Without a pointer, every finding of the rule for that park.
    let (_, report) = with_waivers(
        "waivers:\n  - {rule: FORM-018, park: XWQY-330402-0101, reason: r, approved_by: a}\n",
    );
    assert_eq!(
        finding(&report, "FORM-018")["suppression"]["kind"],
        "waived"
    );
}

#[test]
fn a_park_is_its_platform_id_or_its_path_from_the_waiver_file() {
    let gamma = root().join("fixtures/waivers/parks/gamma.yaml");
    let (_, report) = with_waivers(&format!(
        "waivers:\n  - {{rule: SIZE-001, park: '{}', reason: r, approved_by: a}}\n  - {{rule: FORM-018, park: XWQY-330402-0102, reason: r, approved_by: a}}\n",
        gamma.display()
    ));
    assert_eq!(
        rules(&report),
        vec![
            ("FORM-018".to_owned(), None),
            ("FORM-016".to_owned(), None),
            ("SIZE-001".to_owned(), Some("waived".to_owned())),
            ("WAIVER-UNUSED".to_owned(), None),
        ]
    );
    // A path relative to the current directory is not relative to the waiver file.
    let (_, report) = with_waivers(
        "waivers:\n  - {rule: SIZE-001, park: fixtures/waivers/parks/gamma.yaml, reason: r, approved_by: a}\n",
    );
    assert!(finding(&report, "SIZE-001").get("suppression").is_none());
}

#[test]
fn every_problem_of_a_waiver_file_is_reported_at_once_with_its_place() {
    let output = parkcheck()
        .args([
            "check",
            "--color",
            "never",
            "--waivers",
            "fixtures/waivers/broken/every-error.yaml",
            PARKS,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8(output.stdout).unwrap();
    for place in [
        ":3:11]", ":11:14]", ":14:14]", ":17:5]", ":19:5]", ":20:11]",
    ] {
        assert!(
            text.contains(&format!("fixtures/waivers/broken/every-error.yaml{place}")),
            "{place} in {text}"
        );
    }
    for said in [
        "unknown rule `FORM-081`",
        "did you mean `FORM-018`?",
        "`2026-02-30` is not a",
        "json-pointer",
        "lacks the required field `reason`",
        "did you mean `approved_by`?",
        "waiver 5 repeats waiver 2",
        "the configuration has problems (1 file(s), 6 problem(s)): no submission was checked",
    ] {
        assert!(text.contains(said), "{said} in {text}");
    }
    // No submission was checked.
    assert!(!text.contains("alpha.yaml"));
}

#[test]
fn without_rules_any_rule_id_may_be_waived() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.yaml");
    std::fs::write(
        &path,
        "waivers:\n  - {rule: XYZ-999, park: P, reason: r, approved_by: a}\n",
    )
    .unwrap();
    let (code, _, stdout) = run(
        "2026-06-30",
        &["--no-rules", "--waivers", path.to_str().unwrap(), PARKS],
    );
    assert_eq!(code, 0, "{stdout}");
    let (code, _, _) = run("2026-06-30", &["--waivers", path.to_str().unwrap(), PARKS]);
    assert_eq!(code, 2);
}

#[test]
fn hostile_waiver_files_are_refused_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        text.push_str("waivers: []\n");
        text.into_bytes()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.yaml", bomb, "LIMIT"),
        (
            "deep.yaml",
            format!("waivers: {}\n", "[".repeat(50_000)).into_bytes(),
            "LIMIT",
        ),
        // 豁免 in GBK.
        (
            "gbk.yaml",
            b"# \xbb\xed\xc3\xe2\nwaivers: []\n".to_vec(),
            "ENCODING",
        ),
        (
            "tag.yaml",
            b"waivers: !!python/object:os.system [rm]\n".to_vec(),
            "PARSE",
        ),
    ];
    for (name, bytes, rule) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let output = parkcheck()
            .args([
                "check",
                "--color",
                "never",
                "--waivers",
                path.to_str().unwrap(),
                PARKS,
            ])
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(rule), "{name}: {rule} in {text}");
    }
}

#[test]
fn a_missing_waiver_file_is_an_error() {
    let (code, _, _) = run("2026-06-30", &["--waivers", "no/such/waivers.yaml", PARKS]);
    assert_eq!(code, 2);
}

#[test]
fn a_bad_fixed_date_is_a_usage_error() {
    let output = parkcheck()
        .env("PARKCHECK_TODAY", "2026-13-01")
        .args(["check", PARKS])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("PARKCHECK_TODAY"));
}
