//! `parkcheck score`: vetoes, deductions, per-mu figures, and the set's Σ ÷ Σ averages.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::parkcheck;
use serde_json::Value;

fn score(args: &[&str]) -> (i32, Value) {
    let output = parkcheck()
        .args(["score", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), report)
}

fn figure<'a>(park: &'a Value, id: &str) -> &'a Value {
    park["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap()
}

#[test]
fn vetoes_deductions_and_figures_per_park() {
    let (code, report) = score(&[
        "fixtures/rules/JXS-004/fail.yaml",
        "fixtures/rules/REC-003/fail.yaml",
    ]);
    assert_eq!(code, 0, "a score is a view, not a gate");
    let parks = report["parks"].as_array().unwrap();
    let overdue = &parks[0];
    assert_eq!(overdue["vetoes"].as_array().unwrap().len(), 1);
    assert_eq!(overdue["vetoes"][0]["rule"], "JXS-004");
    assert_eq!(overdue["points_deducted"], 0.0);
    let late = &parks[1];
    assert!(late["vetoes"].as_array().unwrap().is_empty());
    assert_eq!(late["deductions"][0]["rule"], "REC-003");
    assert_eq!(late["deductions"][0]["points"], 2.0);
    assert_eq!(late["points_deducted"], 2.0);
    let tax = figure(late, "tax_per_mu");
    assert_eq!(tax["numerator"], 1612.0);
    assert_eq!(tax["denominator"], 60.0);
    assert!((tax["value"].as_f64().unwrap() - 1612.0 / 60.0).abs() < 1e-9);
}

#[test]
fn the_set_average_is_a_ratio_of_totals_not_a_mean_of_ratios() {
    let (_, report) = score(&[
        "fixtures/examples/puyuan-sweater-park.yaml",
        "fixtures/rules/REC-003/fail.yaml",
    ]);
    let groups = report["set"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "two manufacturing parks: one type");
    assert_eq!(groups[0]["type"], "生产制造类");
    let set = groups[0]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "tax_per_mu")
        .unwrap();
    let parks = report["parks"].as_array().unwrap();
    let (n, d): (Vec<f64>, Vec<f64>) = parks
        .iter()
        .map(|p| {
            let f = figure(p, "tax_per_mu");
            (
                f["numerator"].as_f64().unwrap(),
                f["denominator"].as_f64().unwrap(),
            )
        })
        .unzip();
    let totals = n.iter().sum::<f64>() / d.iter().sum::<f64>();
    let mean = n.iter().zip(&d).map(|(n, d)| n / d).sum::<f64>() / 2.0;
    let average = set["average"].as_f64().unwrap();
    assert!((average - totals).abs() < 1e-9, "{average} vs Σ/Σ {totals}");
    assert!(
        (average - mean).abs() > 1.0,
        "the two differ on these parks"
    );
    assert_eq!(set["parks"], 2);
    for park in parks {
        let f = figure(park, "tax_per_mu");
        let coefficient = f["coefficient"].as_f64().unwrap();
        assert!((coefficient - f["value"].as_f64().unwrap() / average).abs() < 1e-9);
    }
}

#[test]
fn a_park_in_transition_is_marked_and_a_bureau_can_set_the_points() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("points.yaml");
    std::fs::write(
        &profile,
        "params:\n  quarter_deduction_points: {value: 3, source: 某局评价细则}\n",
    )
    .unwrap();
    let (_, report) = score(&[
        "--profile",
        profile.to_str().unwrap(),
        "fixtures/rules/REC-009/fail.yaml",
        "fixtures/rules/REC-003/fail.yaml",
    ]);
    let parks = report["parks"].as_array().unwrap();
    assert!(
        parks[0]["transition"]["en"]
            .as_str()
            .unwrap()
            .contains("transition period")
    );
    assert!(parks[1].get("transition").is_none());
    assert_eq!(parks[1]["points_deducted"], 3.0);
}

#[test]
fn human_output_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "park: [unclosed\n").unwrap();
    let output = parkcheck()
        .args(["score", "--lang", "zh", "fixtures/rules/REC-003/fail.yaml"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("扣分: −2 分"), "{text}");
    assert!(
        text.contains("亩均税收: 26.8667 万元/亩 = 1612 万元 ÷ 60 亩"),
        "{text}"
    );
    assert!(text.contains("文件无法读取或解析，未评分"), "{text}");
    assert!(text.contains("不参与同类比较"), "{text}");
    assert!(text.contains("生产制造类：1 个园区"), "{text}");
}

#[test]
fn the_evaluation_example_deducts_six_points_without_a_veto() {
    let (_, report) = score(&["fixtures/failing/evaluation-deductions-without-veto.yaml"]);
    let park = &report["parks"][0];
    assert!(park["vetoes"].as_array().unwrap().is_empty());
    assert_eq!(park["points_deducted"], 6.0);
    let mut rules: Vec<&str> = park["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    assert_eq!(rules, ["JXS-003", "JXS-003", "REC-003"]);
    assert!(
        report["set"].as_array().unwrap().is_empty(),
        "one park: no set"
    );
}

#[test]
fn a_missing_declaration_is_a_veto_like_a_false_one() {
    let (_, report) = score(&[
        "fixtures/rules/FORM-021/fail.yaml",
        "fixtures/rules/FORM-021/fail-declaration-missing.yaml",
    ]);
    for park in report["parks"].as_array().unwrap() {
        let vetoes = park["vetoes"].as_array().unwrap();
        assert_eq!(vetoes.len(), 1, "{park}");
        assert_eq!(vetoes[0]["rule"], "FORM-021", "{park}");
    }
    let missing = &report["parks"][1]["vetoes"][0];
    assert!(
        missing["message"]["zh"]
            .as_str()
            .unwrap()
            .contains("缺少运营机构的真实性声明"),
        "{missing}"
    );
}

#[test]
fn a_figure_in_the_wrong_unit_is_marked_doubtful_and_left_out_of_the_averages() {
    let (_, report) = score(&[
        "fixtures/failing/zj-form-revenue-in-yuan.yaml",
        "fixtures/rules/REC-003/fail.yaml",
    ]);
    let parks = report["parks"].as_array().unwrap();
    for id in ["tax_per_mu", "revenue_per_mu"] {
        let yuan = figure(&parks[0], id);
        assert!(
            yuan["doubtful"]["zh"]
                .as_str()
                .unwrap()
                .starts_with("数据存疑，未计入同类园区的平均"),
            "{yuan}"
        );
        assert!(yuan["value"].as_f64().unwrap() > 0.0, "still shown");
        assert!(yuan.get("coefficient").is_none(), "{yuan}");
        let other = figure(&parks[1], id);
        assert!(other.get("doubtful").is_none());
        assert_eq!(other["coefficient"], 1.0, "the set is the other park alone");
    }
    // 亩均营业收入 is doubtful for the revenue in 元, 亩均税收 for the tax in 元.
    assert!(
        figure(&parks[0], "revenue_per_mu")["doubtful"]["en"]
            .as_str()
            .unwrap()
            .contains("revenue per employee")
    );
    assert!(
        figure(&parks[0], "tax_per_mu")["doubtful"]["en"]
            .as_str()
            .unwrap()
            .contains("tax 100000")
    );
    for set in report["set"][0]["figures"].as_array().unwrap() {
        assert_eq!(set["parks"], 1, "{set}");
        assert_eq!(
            set["doubtful"],
            serde_json::json!(["fixtures/failing/zj-form-revenue-in-yuan.yaml"])
        );
    }
}

#[test]
fn parks_are_ranked_within_their_type_and_the_json_has_no_negative_zero() {
    let output = parkcheck()
        .args(["score", "--format", "json"])
        .args([
            "fixtures/examples/puyuan-sweater-park.yaml",
            "fixtures/examples/xiuzhou-digital-service-park.yaml",
            "fixtures/rules/REC-003/fail.yaml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("-0.0"), "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["version"], 2);
    let parks = report["parks"].as_array().unwrap();
    let types: Vec<&str> = parks.iter().map(|p| p["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["生产制造类", "生产性服务业等", "生产制造类"]);
    let groups = report["set"].as_array().unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g["type"].as_str().unwrap()).collect();
    assert_eq!(names, ["生产制造类", "生产性服务业等"]);
    assert_eq!(
        groups[0]["files"],
        serde_json::json!([
            "fixtures/examples/puyuan-sweater-park.yaml",
            "fixtures/rules/REC-003/fail.yaml"
        ])
    );
    // The service park is compared with the service parks only (here: itself).
    let service = figure(&parks[1], "tax_per_mu");
    assert_eq!(service["coefficient"], 1.0);
    let average = |g: &Value| {
        g["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "tax_per_mu")
            .unwrap()["average"]
            .as_f64()
            .unwrap()
    };
    let manufacturing = average(&groups[0]);
    for park in [&parks[0], &parks[2]] {
        let f = figure(park, "tax_per_mu");
        let expected = f["value"].as_f64().unwrap() / manufacturing;
        assert!((f["coefficient"].as_f64().unwrap() - expected).abs() < 1e-9);
    }
    assert_eq!(report["unranked"], serde_json::json!([]));
    assert_eq!(parks[0]["points_deducted"].to_string(), "0.0");
}
