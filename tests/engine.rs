//! The rules engine end to end: rulebooks, profiles, dates, traces, not-applicable reasons.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{parkcheck, root};
use serde_json::Value;

const EXAMPLE: &str = "fixtures/examples/puyuan-sweater-park.yaml";

/// The Puyuan example with one line replaced, written to a temporary file.
fn variant(dir: &tempfile::TempDir, name: &str, from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    assert!(text.contains(from), "`{from}` not in the example");
    let path = dir.path().join(name);
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

fn json(args: &[&str], paths: &[&std::path::Path]) -> (i32, Value) {
    let output = parkcheck()
        .args(["check", "--format", "json"])
        .args(args)
        .args(paths)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap(), report)
}

/// `parkcheck rules lint --rules DIR`: its exit code and output.
fn lint(dir: &std::path::Path) -> (Option<i32>, String) {
    let output = parkcheck()
        .args(["rules", "lint", "--color", "never", "--rules"])
        .arg(dir)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// A manufacturing park whose plot ratio (0.95) is below the default minimum, and nothing else wrong.
fn low_plot_ratio(_dir: &tempfile::TempDir) -> std::path::PathBuf {
    root().join("fixtures/rules/REC-007/fail.yaml")
}

#[test]
fn unverified_rule_warns_with_its_calculation() {
    let dir = tempfile::tempdir().unwrap();
    let (code, report) = json(&[], &[&low_plot_ratio(&dir)]);
    assert_eq!(code, 0, "a warning does not fail the run: {report:#}");
    let f = &report["findings"][0];
    assert_eq!(f["rule"], "REC-007");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["pointer"], "/buildings/built_area_m2");
    assert!(
        f["message"]["zh"]
            .as_str()
            .unwrap()
            .contains("阈值未经官方文本确认")
    );
    assert_eq!(f["citation"]["confidence"], "unverified");
    let metric = &f["trace"]["metrics"][0];
    assert_eq!(metric["name"], "plot_ratio");
    assert_eq!(metric["result"], "0.95");
    let inputs: Vec<&str> = metric["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    // The area of storeys higher than 8 m (none here) is a metric of its own, traced after.
    assert_eq!(
        inputs,
        [
            "buildings.built_area_m2",
            "land.actual_area_mu",
            "tall_storey_area_m2"
        ]
    );
    assert_eq!(f["trace"]["metrics"][1]["name"], "tall_storey_area_m2");
    assert_eq!(f["trace"]["params"][0]["name"], "min_plot_ratio");
    assert_eq!(f["trace"]["params"][0]["value"], "1.2");
    // --fail-on warning makes it fail.
    let (code, _) = json(&["--fail-on", "warning"], &[&low_plot_ratio(&dir)]);
    assert_eq!(code, 1);
}

#[test]
fn a_profile_confirms_a_parameter_and_sets_severities() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("bureau.yaml");
    std::fs::write(
        &profile,
        "profile: {name: test bureau}\nparams:\n  min_plot_ratio: {value: 1.1, source: \"嘉经信〔2026〕1号 第三条\"}\n",
    )
    .unwrap();
    let low = low_plot_ratio(&dir);
    let (code, report) = json(&["--profile", profile.to_str().unwrap()], &[&low]);
    assert_eq!(code, 0, "{report:#}");
    let f = &report["findings"][0];
    // Confirmed: the rule keeps its declared severity (REC-007 is a warning in the catalogue).
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["citation"]["confidence"], "official");
    assert!(!f["message"]["zh"].as_str().unwrap().contains("未经官方"));
    assert_eq!(f["trace"]["params"][0]["value"], "1.1");
    assert_eq!(
        f["trace"]["params"][0]["source"],
        "嘉经信〔2026〕1号 第三条"
    );
    // Severity overrides and disabling.
    std::fs::write(&profile, "severity: {REC-007: error}\n").unwrap();
    let (code, report) = json(&["--profile", profile.to_str().unwrap()], &[&low]);
    assert_eq!(
        (code, &report["findings"][0]["severity"]),
        (1, &Value::from("error"))
    );
    std::fs::write(&profile, "severity: {REC-007: info}\n").unwrap();
    let (_, report) = json(&["--profile", profile.to_str().unwrap()], &[&low]);
    assert_eq!(report["findings"][0]["severity"], "info");
    std::fs::write(&profile, "disable: [REC-007]\n").unwrap();
    let (code, report) = json(&["--profile", profile.to_str().unwrap()], &[&low]);
    assert_eq!((code, report["findings"].as_array().unwrap().len()), (0, 0));
}

#[test]
fn unknown_names_in_a_profile_are_errors_with_spans() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("bad.yaml");
    std::fs::write(
        &profile,
        "params:\n  min_plot_ration: {value: 1.5, source: x}\nseverity: {NOPE-001: error}\n",
    )
    .unwrap();
    let output = parkcheck()
        .args(["check", "--color", "never", "--profile"])
        .arg(&profile)
        .arg(EXAMPLE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.contains("unknown parameter `min_plot_ration`"), "{out}");
    assert!(out.contains("did you mean `min_plot_ratio`"), "{out}");
    assert!(out.contains("unknown rule `NOPE-001`"), "{out}");
    assert!(out.contains("bad.yaml:2:3"), "{out}");
}

#[test]
fn as_of_selects_the_rules_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let low = low_plot_ratio(&dir);
    // REC-007 is in force from 2018-01-01.
    let (_, report) = json(&["--as-of", "2017-06-30", "--show-passed"], &[&low]);
    assert!(
        report["findings"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let rules: Vec<&str> = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"REC-007"), "{rules:?}");
    assert!(rules.contains(&"SIZE-001"), "{rules:?}");
    parkcheck()
        .args(["check", "--as-of", "2025-13-01", EXAMPLE])
        .assert()
        .code(2);
}

#[test]
fn a_missing_input_is_not_applicable_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = variant(&dir, "no-land.yaml", "  actual_area_mu: 256\n", "");
    let (_, report) = json(&["--show-passed"], &[&file]);
    let outcome = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule"] == "REC-007")
        .unwrap()
        .clone();
    assert_eq!(outcome["status"], "not_applicable");
    assert_eq!(outcome["reason"]["en"], "land.actual_area_mu absent");
    // The schema reports the missing field; the rule does not pretend to pass or fail.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "REC-007")
    );
}

#[test]
fn show_passed_lists_every_rule_in_force() {
    let (_, report) = json(
        &["--show-passed"],
        &[std::path::Path::new(
            "fixtures/examples/xiuzhou-digital-service-park.yaml",
        )],
    );
    let outcomes = report["outcomes"].as_array().unwrap();
    let status = |id: &str| {
        outcomes
            .iter()
            .find(|o| o["rule"] == id)
            .map(|o| o["status"].as_str().unwrap().to_owned())
    };
    assert_eq!(status("FORM-018").as_deref(), Some("passed"));
    assert_eq!(status("REC-007").as_deref(), Some("not_applicable"));
    // Each outcome names its rule by title, and says why it did not apply in words, not CEL.
    let rec7 = outcomes.iter().find(|o| o["rule"] == "REC-007").unwrap();
    assert_eq!(rec7["title"]["zh"], "生产制造类园区容积率不低于下限");
    assert_eq!(rec7["reason"]["zh"], "仅在园区类型为“生产制造类”时适用");
    assert_eq!(
        rec7["reason"]["en"],
        "applies only when the park type is 生产制造类 (manufacturing)"
    );
    for o in outcomes {
        assert!(
            o["title"]["zh"].as_str().is_some_and(|t| !t.is_empty()),
            "{o}"
        );
        if o["status"] == "not_applicable" {
            let reason = o["reason"].to_string();
            for cel in ["has(", "==", "&&", "||", "exists(", "!="] {
                assert!(!reason.contains(cel), "{o}");
            }
        }
    }
    let human = parkcheck()
        .args([
            "check",
            "--show-passed",
            "--color",
            "never",
            "--lang",
            "en",
            "fixtures/examples/xiuzhou-digital-service-park.yaml",
        ])
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains(
            "REC-007    A manufacturing park's plot ratio is at least the minimum — not applicable: applies only when the park type is 生产制造类 (manufacturing)"
        ),
        "{human}"
    );
    assert!(!human.contains("park.type"), "{human}");
    assert!(!human.contains("condition not met"), "{human}");
}

#[test]
fn broken_rulebooks_report_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(root().join("rules/star.yaml")).unwrap();
    std::fs::write(dir.path().join("star.yaml"), &good).unwrap();
    let broken = r#"rulebook:
  id: broken
  title: {zh: 坏, en: broken}
  issuer: x
  version: "1"
  effective: {from: 2020-01-01}
metrics:
  first:
    expr: metrics.second + 1.0
    formula: {zh: 甲, en: a}
  second:
    expr: "1.0"
    formula: {zh: 乙, en: b}
rules:
  - id: STAR-001
    title: {zh: 重复, en: duplicate}
    source: {clause: x, confidence: derived}
    severity: error
    assert: park.name ==
    message: {zh: 甲, en: a}
    help: {zh: 乙, en: b}
  - id: BRK-002
    title: {zh: 未知参数, en: unknown param}
    source: {clause: x, confidence: derived}
    severity: error
    assert: params.nope > 1 && frobnicate(park.name)
    message: {zh: "{nothing}", en: a}
    help: {zh: 乙, en: b}
"#;
    std::fs::write(dir.path().join("broken.yaml"), broken).unwrap();
    let (code, out) = lint(dir.path());
    assert_eq!(code, Some(2), "{out}");
    for needle in [
        "CEL syntax error",
        "unknown parameter `nope`",
        "unknown function `frobnicate`",
        "unknown placeholder {nothing}",
        "duplicate rule id `STAR-001`",
        "metric `first` reads `second`, which must be defined before it",
    ] {
        assert!(out.contains(needle), "`{needle}` not in:\n{out}");
    }
    // An unknown field in a rulebook is a schema error with a suggestion.
    std::fs::write(
        dir.path().join("broken.yaml"),
        good.replace("severity: error", "severty: error")
            .replace("id: star", "id: star2")
            .replace("STAR-001", "STAR-901"),
    )
    .unwrap();
    let (code, out) = lint(dir.path());
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("did you mean `severity`"), "{out}");
}

/// Every `when` says in words when it holds (`condition: {zh, en}`): one without is a lint
/// error at its rule, for a rule's `when` and for a check's alike.
#[test]
fn a_when_without_words_is_a_lint_error() {
    let good = std::fs::read_to_string(root().join("rules/jx-upstairs.yaml")).unwrap();
    let rule_condition = "    condition: {zh: \"园区为“工业上楼”项目时\", en: \"when the park is an industry-upstairs (工业上楼) project\"}\n";
    let check_condition = "        condition: {zh: \"该楼栋的火灾危险性类别为甲类或乙类时\", en: \"when the building's fire hazard class is 甲 or 乙 (A or B)\"}\n";
    assert!(good.contains(rule_condition) && good.contains(check_condition));
    // At the rule, or at the check, that has the `when`.
    for (without, id, at) in [
        (
            good.replacen(rule_condition, "", 1),
            "UP-001",
            "- id: UP-001",
        ),
        (
            good.replacen(check_condition, "", 1),
            "UP-004",
            "- for_each: buildings.list",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("jx-upstairs.yaml"), &without).unwrap();
        let (code, out) = lint(dir.path());
        assert_eq!(code, Some(2), "{out}");
        assert!(
            out.contains("lacks the required field `condition`"),
            "{out}"
        );
        assert_eq!(out.matches("`condition` missing").count(), 1, "{out}");
        let rule = without
            .lines()
            .position(|l| l.contains(&format!("id: {id}")))
            .unwrap();
        let line = rule
            + without
                .lines()
                .skip(rule)
                .position(|l| l.contains(at))
                .unwrap();
        let column = without.lines().nth(line).unwrap().find('-').unwrap() + 3;
        assert!(
            out.contains(&format!("jx-upstairs.yaml:{}:{column}]", line + 1)),
            "not at {id} (line {}):\n{out}",
            line + 1
        );
    }
    // The words say when the expression holds, in the form's order of the clause.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("jx-upstairs.yaml"),
        good.replacen("园区为“工业上楼”项目时", "园区为“工业上楼”项目", 1),
    )
    .unwrap();
    let (code, out) = lint(dir.path());
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("condition"), "{out}");
}

#[test]
fn explain_says_when_a_rule_applies_in_words() {
    for (lang, words, label) in [
        (
            "en",
            "applies: when the park is an industry-upstairs (工业上楼) project",
            "CEL (for rule authors): when has(park.upstairs)",
        ),
        (
            "zh",
            "适用条件: 园区为“工业上楼”项目时",
            "CEL（供规则作者）: when has(park.upstairs)",
        ),
    ] {
        let output = parkcheck()
            .args(["explain", "UP-004", "--lang", lang])
            .output()
            .unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(words), "`{words}` not in:\n{text}");
        // The expressions are there for rule authors, each on a line labelled as such.
        assert!(text.contains(label), "`{label}` not in:\n{text}");
        for line in text
            .lines()
            .filter(|l| l.contains("has(") || l.contains("=="))
        {
            assert!(
                line.trim_start().starts_with("CEL"),
                "unlabelled CEL: {line}"
            );
        }
    }
}

#[test]
fn rules_list_and_explain() {
    let output = parkcheck()
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rules: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rec = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "REC-007")
        .unwrap();
    assert_eq!(rec["severity"], "warning");
    assert_eq!(rec["confidence"], "unverified");
    assert_eq!(rec["rulebook"], "zj-recognition");
    assert_eq!(rec["effective_from"], "2018-01-01");
    let output = parkcheck()
        .args(["explain", "REC-007", "--lang", "en"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "REC-007",
        "min_plot_ratio = 1.2",
        "unverified",
        "how to fix",
        "failing example",
        "passing example",
    ] {
        assert!(text.contains(needle), "`{needle}` not in:\n{text}");
    }
    parkcheck().args(["explain", "NOPE-001"]).assert().code(2);
}

#[test]
fn an_empty_list_satisfies_item_by_item_checks() {
    let dir = tempfile::tempdir().unwrap();
    let file = variant(
        &dir,
        "no-hazards.yaml",
        "  hazards:\n    - id: PY-YH-2025-031\n      found_on: 2025-08-12\n      deadline: 2025-09-12\n      rectified_on: 2025-09-05\n    # 整改期限在 as_of 之后，尚未逾期\n    - id: PY-YH-2025-047\n      found_on: 2025-12-10\n      deadline: 2026-01-10\n",
        "  hazards: []\n",
    );
    let (code, report) = json(&["--show-passed"], &[&file]);
    assert_eq!(code, 0, "{report:#}");
    let outcome = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule"] == "JXS-004")
        .unwrap()
        .clone();
    assert_eq!(outcome["status"], "passed", "{outcome:#}");
}

#[test]
fn a_park_in_its_transition_period_is_not_evaluated() {
    // REC-009's failing fixture (opened 2023-11-16, reporting 2024) with the annual report and a
    // quarter missing: REC-002 and REC-003 would fire, but the park is not evaluated this year.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("fixtures/rules/REC-009/fail.yaml")).unwrap();
    let text = text
        .replacen("annual_submitted: true", "annual_submitted: false", 1)
        .replacen("\"2024-Q3\", ", "", 1);
    let young = dir.path().join("young.yaml");
    std::fs::write(&young, &text).unwrap();
    // With a one-year transition (a bureau's profile), the same park is evaluated: both fire.
    let profile = dir.path().join("one-year.yaml");
    std::fs::write(
        &profile,
        "params:\n  transition_years: {value: 1, source: 测试配置}\n",
    )
    .unwrap();

    let (_, report) = json(&["--show-passed"], &[&young]);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["REC-009"], "{report:#}");
    for id in ["REC-002", "REC-003"] {
        let outcome = report["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["rule"] == id)
            .unwrap();
        assert_eq!(outcome["status"], "not_applicable", "{id}");
        let reason = outcome["reason"]["en"].as_str().unwrap();
        assert!(reason.contains("transition period (REC-009)"), "{reason}");
    }

    let (_, report) = json(&["--profile", profile.to_str().unwrap()], &[&young]);
    let mut rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    assert_eq!(rules, ["REC-002", "REC-003"], "{report:#}");
}

#[test]
fn a_points_parameter_of_the_scoring_must_be_a_number() {
    // The bundled rulebooks with the evaluation's points per missing quarter turned into text.
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if path.file_name().is_some_and(|n| n == "evaluation.yaml") {
            let from = "  quarter_deduction_points:\n    value: 2\n";
            assert!(
                text.contains(from),
                "the evaluation's points are no longer written so"
            );
            text = text.replace(from, "  quarter_deduction_points:\n    value: two\n");
        }
        std::fs::write(dir.path().join(path.file_name().unwrap()), text).unwrap();
    }
    let (code, out) = lint(dir.path());
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("the points parameter `quarter_deduction_points` must be a number"),
        "{out}"
    );
    assert!(out.contains("evaluation.yaml"), "{out}");
}

#[test]
fn a_total_is_not_compared_when_tenants_lack_the_figure_and_the_outcome_says_how_many() {
    let (_, report) = json(
        &["--show-passed"],
        &[&root().join("fixtures/failing/size-employees-left-blank.yaml")],
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "FORM-017"),
        "a blank is not 0 employees: {report}"
    );
    let outcome = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule"] == "FORM-017")
        .unwrap()
        .clone();
    assert_eq!(outcome["status"], "passed", "the other totals are compared");
    let skipped = outcome["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0]["zh"]
            .as_str()
            .unwrap()
            .contains("2 家入驻企业未填从业人员"),
        "{skipped:?}"
    );
    assert!(
        skipped[0]["en"]
            .as_str()
            .unwrap()
            .starts_with("2 present tenant(s)"),
        "{skipped:?}"
    );
}

#[test]
fn a_tenant_listed_twice_is_one_finding_and_does_not_make_the_totals_wrong() {
    for (file, pointer) in [
        ("fixtures/rules/FORM-023/fail.yaml", "/tenants/12/uscc"),
        (
            "fixtures/rules/FORM-023/fail-same-name.yaml",
            "/tenants/12/name",
        ),
    ] {
        let (_, report) = json(&[], &[&root().join(file)]);
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1, "{file}: {findings:#?}");
        assert_eq!(findings[0]["rule"], "FORM-023");
        assert_eq!(findings[0]["pointer"], pointer);
        let related = &findings[0]["related"][0];
        assert_eq!(
            related["file"], findings[0]["file"],
            "the first row, in the same file"
        );
        assert!(related["line"].as_u64().unwrap() > 0);
    }
}
