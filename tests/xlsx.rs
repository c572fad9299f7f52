//! The findings workbook read back by an independent reader: Python's openpyxl
//! (`tests/xlsx_read.py`, installed by `.ci/run` into `target/ci-venv` from
//! `.ci/requirements.txt`). The sheets, their headers, frozen panes, autofilters and widths; one
//! row per finding of the JSON report; values that look like formulas stay text; the limits of
//! a cell and of a sheet.
//!
//! Without a Python that has openpyxl the tests fail in CI (`CI` set) and say plainly that they
//! cannot run elsewhere.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

mod common;

use std::path::{Path, PathBuf};

use common::{parkcheck, root};
use serde_json::Value;

fn python() -> Option<PathBuf> {
    common::openpyxl_python("workbook")
}

fn read(python: &Path, file: &Path) -> Value {
    common::openpyxl_read(python, "xlsx_read.py", file)
}

fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    common::sheet(book, name)
}

fn values(sheet: &Value, row: usize) -> Vec<Value> {
    sheet["rows"][row]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["v"].clone())
        .collect()
}

#[test]
fn the_workbook_of_the_failing_examples() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("findings.xlsx");
    let json = dir.path().join("report.json");
    let output = parkcheck()
        .args(["check", "fixtures/failing/", "--lang", "zh"])
        .arg(format!("--format=xlsx={}", xlsx.display()))
        .arg(format!("--format=json={}", json.display()))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let book = read(&python, &xlsx);
    let names: Vec<&str> = book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["汇总", "问题清单", "规则", "说明"]);
    for name in ["汇总", "问题清单", "规则"] {
        let s = sheet(&book, name);
        assert_eq!(s["freeze"], "A2", "{name}: header row not frozen");
        let filter = s["filter"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no autofilter"));
        assert!(filter.starts_with("A1:"), "{name}: {filter}");
        assert!(
            !s["widths"].as_object().unwrap().is_empty(),
            "{name}: no widths"
        );
    }

    // 汇总: a row per park, with its result.
    let summary = sheet(&book, "汇总");
    assert_eq!(values(summary, 0)[0], "园区");
    let parks = report["summary"]["parks"].as_u64().unwrap() as usize;
    assert!(parks >= 9, "{parks}");
    assert_eq!(summary["max_row"].as_u64().unwrap(), 1 + parks as u64);
    let failed = (1..=parks)
        .filter(|r| values(summary, *r)[7] == "未通过")
        .count();
    assert_eq!(
        failed as u64,
        report["summary"]["parks_failed"].as_u64().unwrap()
    );
    // The kind as the forms name it.
    for r in 1..=parks {
        let kind = values(summary, r)[5].clone();
        assert!(
            ["备案", "年度运行数据", "星级申报"].contains(&kind.as_str().unwrap()),
            "{kind}"
        );
    }

    // 问题清单: a row per finding, in the JSON's order, with place, rule, messages.
    let findings = report["findings"].as_array().unwrap();
    let list = sheet(&book, "问题清单");
    assert_eq!(list["max_row"].as_u64().unwrap(), 1 + findings.len() as u64);
    let header = values(list, 0);
    assert_eq!(header[2], "位置");
    assert_eq!(header[7], "问题（中文）");
    for (i, f) in findings.iter().enumerate() {
        let row = values(list, i + 1);
        assert_eq!(row[1], f["file"]);
        assert_eq!(row[2], format!("{}:{}", f["line"], f["column"]));
        assert_eq!(row[3], f["pointer"]);
        assert_eq!(row[4], f["rule"]);
        assert_eq!(row[7], f["message"]["zh"]);
        assert_eq!(row[8], f["message"]["en"]);
        for cell in list["rows"][i + 1].as_array().unwrap().iter().take(12) {
            assert!(cell["v"].is_null() || cell["t"] == "s", "not text: {cell}");
        }
    }
    // 规则: the rules in force, with their parameters.
    let rules = sheet(&book, "规则");
    let rec007 = (1..rules["rows"].as_array().unwrap().len())
        .map(|r| values(rules, r))
        .find(|r| r[0] == "REC-007")
        .expect("REC-007 in force");
    assert!(
        rec007[7].as_str().unwrap().contains("min_plot_ratio = 1.2"),
        "{rec007:?}"
    );
    assert!(
        rec007[4].as_str().unwrap().contains("未经确认"),
        "{rec007:?}"
    );
    // 说明: the run's facts.
    let about = sheet(&book, "说明");
    assert!(about["rows"].to_string().contains("zj-recognition"));
}

#[test]
fn formulas_stay_text() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("fixtures/failing/land-area-extra-zero.yaml"))
        .unwrap()
        .replacen(
            "name: 平湖钟埭光机电小微企业园",
            "name: \"=HYPERLINK(\\\"x\\\",\\\"y\\\")\"",
            1,
        );
    let submission = dir.path().join("@evil.yaml");
    std::fs::write(&submission, text).unwrap();
    let xlsx = dir.path().join("findings.xlsx");
    parkcheck()
        .args(["check", submission.to_str().unwrap()])
        .arg(format!("--format=xlsx={}", xlsx.display()))
        .output()
        .unwrap();
    let book = read(&python, &xlsx);
    let list = sheet(&book, "问题清单");
    let park = &list["rows"][1][0];
    assert_eq!(park["v"], "=HYPERLINK(\"x\",\"y\")");
    assert_eq!(park["t"], "s", "written as a formula: {park}");
    assert_eq!(park["q"], true, "no quote prefix: {park}");
    let summary = sheet(&book, "汇总");
    assert_eq!(summary["rows"][1][0]["t"], "s");
    assert_eq!(summary["rows"][1][0]["q"], true);
}

#[test]
fn long_cells_and_long_lists_are_cut_and_said() {
    use parkcheck::report::xlsx::{Book, Limits, render_with};
    use parkcheck::run::{Inputs, Quiet, Run, RunConfig};
    let Some(python) = python() else { return };
    let run = Run::from_config(&RunConfig::default()).unwrap();
    let checked = run.check(Inputs::new().path(root().join("fixtures/failing")), &Quiet);
    let findings: usize = checked.files.iter().map(|r| r.findings.len()).sum();
    let facts = run.facts(run.options());
    let book = Book {
        reports: &checked.files,
        summary: &checked.summary,
        facts: &facts,
        engine: run.engine(),
        lang: parkcheck::text::Lang::Zh,
    };
    // Five rows a sheet (four findings and the header), 60 characters a cell.
    let bytes = render_with(
        &book,
        Limits {
            cell_chars: 60,
            rows: 5,
        },
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("cut.xlsx");
    std::fs::write(&xlsx, bytes).unwrap();
    let read = read(&python, &xlsx);
    let lists: Vec<&Value> = read["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["name"].as_str().unwrap().starts_with("问题清单"))
        .collect();
    assert_eq!(lists.len(), findings.div_ceil(4));
    assert_eq!(lists[1]["name"], "问题清单 (2)");
    let rows: u64 = lists
        .iter()
        .map(|s| s["max_row"].as_u64().unwrap() - 1)
        .sum();
    assert_eq!(
        rows, findings as u64,
        "a finding was lost between the sheets"
    );
    for s in &lists {
        for row in s["rows"].as_array().unwrap() {
            for cell in row.as_array().unwrap() {
                if let Some(v) = cell["v"].as_str() {
                    assert!(v.chars().count() <= 60, "a cell over the limit: {v}");
                }
            }
        }
    }
    let about = sheet(&read, "说明").to_string();
    assert!(about.contains("续写于"), "the split is not said: {about}");
    assert!(
        about.contains("已截断"),
        "the cut cells are not said: {about}"
    );
    assert!(about.contains("问题清单!I2"), "{about}");
}

#[test]
fn a_workbook_goes_to_a_file_not_to_the_terminal() {
    let output = parkcheck()
        .args(["check", "--format", "xlsx", "fixtures/examples/"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("--format xlsx=FILE"), "{err}");
    // With --output it is written there.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.xlsx");
    let output = parkcheck()
        .args(["check", "--format", "xlsx", "--output"])
        .arg(&file)
        .arg("fixtures/examples/")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        std::fs::read(&file).unwrap().starts_with(b"PK"),
        "not a zip (xlsx) file"
    );
}
