//! Workbooks as submissions, end to end: `parkcheck template`, filled by openpyxl as an operator
//! fills it in Excel (tests/workbook_fill.py, independent of parkcheck's reader), then `parkcheck
//! check` on it: findings at their sheet and cell in human and JSON output, the same findings as
//! the YAML, and what Excel does to data, each read right or explained.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::{Path, PathBuf};

use common::{openpyxl_python, parkcheck, root};
use parkcheck::document::{Limits, Pointer, Syntax, Value, load_bytes, load_path};
use serde_json::{Value as Json, json};

/// The template of `kind`, written by the binary into `dir`.
fn template(dir: &Path, kind: &str) -> PathBuf {
    let path = dir.join(format!("template-{kind}.xlsx"));
    if !path.exists() {
        parkcheck()
            .args(["template", "--kind", kind, "-o"])
            .arg(&path)
            .assert()
            .success();
    }
    path
}

/// The fixture at `fixture` (YAML or JSON) as JSON, through parkcheck's loader.
fn fixture_json(fixture: &str) -> Json {
    let doc = load_path(&root().join(fixture), &Limits::default()).unwrap();
    doc.root.to_json()
}

/// A workbook filled with `submission` and then `edits` (see tests/workbook_fill.py), or `None`
/// when no Python with openpyxl is there (outside CI).
fn filled(dir: &Path, name: &str, submission: &Json, edits: &Json) -> Option<PathBuf> {
    let python = openpyxl_python("workbook")?;
    let kind = submission["kind"].as_str().unwrap_or("filing");
    let template = template(dir, kind);
    let data = dir.join(format!("{name}.json"));
    std::fs::write(&data, serde_json::to_vec(submission).unwrap()).unwrap();
    let edits_path = dir.join(format!("{name}.edits.json"));
    std::fs::write(&edits_path, serde_json::to_vec(edits).unwrap()).unwrap();
    let out = dir.join(format!("{name}.xlsx"));
    let status = std::process::Command::new(python)
        .arg(root().join("tests/workbook_fill.py"))
        .arg(&template)
        .arg(&data)
        .arg(&out)
        .arg(&edits_path)
        .status()
        .unwrap();
    assert!(status.success(), "workbook_fill.py failed");
    Some(out)
}

fn check_json(path: &Path, rules: bool) -> (i32, Json) {
    let mut cmd = parkcheck();
    cmd.args(["check", "--format", "json"]);
    if !rules {
        cmd.arg("--no-rules");
    }
    let output = cmd.arg(path).output().unwrap();
    let report: Json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap(), report)
}

fn findings(report: &Json) -> Vec<Json> {
    report["findings"].as_array().cloned().unwrap_or_default()
}

fn load(path: &Path) -> parkcheck::document::Document {
    load_path(path, &Limits::default()).unwrap_or_else(|u| panic!("{:?}", u.error))
}

fn at<'a>(doc: &'a parkcheck::document::Document, pointer: &str) -> Option<&'a Value> {
    doc.get(&Pointer::parse(pointer).unwrap()).map(|n| &n.value)
}

#[test]
fn a_typo_in_tenant_row_14_is_reported_at_its_cell_in_human_and_json_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut submission = fixture_json("fixtures/examples/puyuan-sweater-park.yaml");
    submission["kind"] = json!("filing");
    // Row 14 is the 13th tenant: change the check character of its credit code.
    let good = submission["tenants"][12]["uscc"]
        .as_str()
        .unwrap()
        .to_owned();
    let last = if good.ends_with('1') { '2' } else { '1' };
    let typo = format!("{}{last}", &good[..17]);
    let edits = json!([{"sheet": "入驻企业名录", "cell": "B14", "value": typo}]);
    let Some(book) = filled(dir.path(), "园区申报", &submission, &edits) else {
        return;
    };
    let (code, report) = check_json(&book, true);
    assert_eq!(code, 1, "{report:#}");
    let found: Vec<Json> = findings(&report)
        .into_iter()
        .filter(|f| f["pointer"] == "/tenants/12/uscc")
        .collect();
    assert!(!found.is_empty(), "{report:#}");
    for f in &found {
        assert_eq!(f["sheet"], "入驻企业名录", "{f:#}");
        assert_eq!(f["cell"], "B14", "{f:#}");
        assert_eq!(f["line"], 14, "{f:#}");
        assert_eq!(f["column"], 2, "{f:#}");
    }
    let output = parkcheck().arg("check").arg(&book).output().unwrap();
    let human = String::from_utf8(output.stdout).unwrap();
    let name = book.display().to_string();
    assert!(
        human.contains(&format!("{name}:入驻企业名录!B14")),
        "{human}"
    );
    // The snippet: the header row (row 1) and the tenant's row (14), the value marked.
    assert!(
        human.contains(" 1 │ 企业名称 * │ 企业统一社会信用代码 *"),
        "{human}"
    );
    assert!(human.contains("\n 14 │ "), "{human}");
    assert!(human.contains(&typo), "{human}");
    // Concise, GitHub and SARIF name the cell too.
    for (format, expected) in [
        ("concise", format!("{name}:入驻企业名录!B14:")),
        ("github", "入驻企业名录!B14: ".to_owned()),
        (
            "sarif",
            "\"fullyQualifiedName\": \"入驻企业名录!B14\"".to_owned(),
        ),
    ] {
        let output = parkcheck()
            .args(["check", "--format", format])
            .arg(&book)
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(&expected), "{format}: {text}");
    }
}

/// Every example submission, filled into its template, reads back as the same tree and gives
/// the same findings as the YAML (or JSON) itself.
#[test]
fn every_example_gives_the_same_tree_and_findings_as_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let examples: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(examples.len() >= 3);
    for example in examples {
        let relative = example.strip_prefix(root()).unwrap().display().to_string();
        let submission = fixture_json(&relative);
        let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
        let Some(book) = filled(dir.path(), &stem, &submission, &json!([])) else {
            return;
        };
        let read = load(&book);
        assert!(
            read.read_issues.is_empty(),
            "{relative}: {:?}",
            read.read_issues
        );
        // A workbook holds a number, not how it was written (`5` or `5.0`), and has no empty
        // list (a sheet without rows is a list not given).
        assert_eq!(
            comparable(&read.root.to_json()),
            comparable(&submission),
            "{relative}: the tree differs"
        );
        let strip = |report: &Json| {
            let mut out: Vec<(String, String, String)> = findings(report)
                .iter()
                .map(|f| {
                    (
                        f["rule"].as_str().unwrap_or("").to_owned(),
                        f["pointer"].as_str().unwrap_or("").to_owned(),
                        f["message"]["en"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            out.sort();
            out
        };
        let (yaml_code, yaml) = check_json(&example, true);
        let (book_code, workbook) = check_json(&book, true);
        assert_eq!(strip(&workbook), strip(&yaml), "{relative}");
        assert_eq!(book_code, yaml_code, "{relative}");
    }
}

/// A tree with every number as a float and without empty lists.
fn comparable(value: &Json) -> Json {
    match value {
        Json::Number(n) => json!(n.as_f64()),
        Json::Array(items) => Json::Array(items.iter().map(comparable).collect()),
        Json::Object(map) => Json::Object(
            map.iter()
                .filter(|(_, v)| !matches!(v, Json::Array(a) if a.is_empty()))
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A small filing with the edits applied, read in-process.
fn quirk(name: &str, edits: Json) -> Option<(tempfile::TempDir, parkcheck::document::Document)> {
    let dir = tempfile::tempdir().unwrap();
    let mut submission = fixture_json("fixtures/examples/puyuan-sweater-park.yaml");
    submission["kind"] = json!("filing");
    let book = filled(dir.path(), name, &submission, &edits)?;
    let doc = load(&book);
    Some((dir, doc))
}

fn issue_messages(doc: &parkcheck::document::Document) -> Vec<String> {
    doc.read_issues
        .iter()
        .map(|i| format!("{} / {}", i.message.zh, i.message.en))
        .collect()
}

#[test]
fn a_code_stored_as_a_number_is_explained() {
    let Some((_dir, doc)) = quirk(
        "code-number",
        json!([
            {"sheet": "入驻企业名录", "cell": "B2", "value": 913304837910426880_i64},
            {"op": "field", "sheet": "基本信息", "path": "park.postcode", "value": 14502},
        ]),
    ) else {
        return;
    };
    let messages = issue_messages(&doc);
    let uscc = doc
        .read_issues
        .iter()
        .find(|i| i.pointer.as_ref().map(Pointer::as_str) == Some("/tenants/0/uscc"))
        .unwrap_or_else(|| panic!("{messages:#?}"));
    assert!(uscc.error);
    assert!(uscc.message.zh.contains("存成了数字"), "{messages:#?}");
    assert!(uscc.message.zh.contains("9.1330E+17") || uscc.message.zh.contains("E+17"));
    assert!(uscc.help.as_ref().unwrap().zh.contains("文本"));
    assert_eq!(
        doc.source.cell_at(uscc.span.start).unwrap().to_string(),
        "入驻企业名录!B2"
    );
    let postcode = doc
        .read_issues
        .iter()
        .find(|i| i.pointer.as_ref().map(Pointer::as_str) == Some("/park/postcode"))
        .unwrap_or_else(|| panic!("{messages:#?}"));
    assert!(
        postcode.message.en.contains("leading zeros"),
        "{messages:#?}"
    );
    // The value is still read, as text, so the code's own checks still run.
    assert_eq!(
        at(&doc, "/park/postcode"),
        Some(&Value::Str("14502".into()))
    );
}

#[test]
fn dates_as_serial_numbers_in_both_systems_and_as_text() {
    for (name, epoch) in [
        ("dates-1900", None),
        ("dates-1904", Some(json!({"op": "epoch1904"}))),
    ] {
        let serial = if epoch.is_some() { 44_560 } else { 46_022 };
        let mut edits = vec![
            // A serial number in a General-formatted date cell.
            json!({"sheet": "入驻企业名录", "cell": "D2", "value": serial, "number_format": "General"}),
            json!({"sheet": "入驻企业名录", "cell": "D3", "value": "2025/12/31"}),
            json!({"sheet": "入驻企业名录", "cell": "D4", "value": "2025年12月31日"}),
            json!({"sheet": "入驻企业名录", "cell": "D5", "value": "2025-12-31"}),
        ];
        edits.extend(epoch);
        let Some((_dir, doc)) = quirk(name, Json::Array(edits)) else {
            return;
        };
        for i in 0..4 {
            assert_eq!(
                at(&doc, &format!("/tenants/{i}/entered_on")),
                Some(&Value::Str("2025-12-31".into())),
                "{name}: tenant {i}"
            );
        }
    }
}

#[test]
fn a_formula_without_a_cached_value_is_explained() {
    // openpyxl saves formulas without their values, as a generator script would.
    let Some((_dir, doc)) = quirk(
        "formula",
        json!([{"sheet": "入驻企业名录", "cell": "L2", "value": "=100+60"}]),
    ) else {
        return;
    };
    let messages = issue_messages(&doc);
    let issue = doc
        .read_issues
        .iter()
        .find(|i| i.message.en.contains("formula"))
        .unwrap_or_else(|| panic!("{messages:#?}"));
    assert!(issue.error);
    assert_eq!(
        doc.source.cell_at(issue.span.start).unwrap().to_string(),
        "入驻企业名录!L2"
    );
    assert!(issue.help.as_ref().unwrap().zh.contains("保存"));
}

#[test]
fn a_formula_with_a_cached_value_is_read_as_its_value() {
    // rust_xlsxwriter writes a formula with the result Excel would have stored.
    let dir = tempfile::tempdir().unwrap();
    let Some(source) = quirk("cached-base", json!([])) else {
        return;
    };
    drop(source);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("入驻企业名录").unwrap();
    for (col, header) in ["企业名称 *", "从业人员（人）"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "甲公司").unwrap();
    sheet
        .write_formula(
            1,
            1,
            rust_xlsxwriter::Formula::new("=40+2").set_result("42"),
        )
        .unwrap();
    let path = dir.path().join("cached.xlsx");
    book.save(&path).unwrap();
    let doc = load(&path);
    assert_eq!(
        at(&doc, "/tenants/0/employees"),
        Some(&Value::Int(42)),
        "{:?}",
        doc.read_issues
    );
}

#[test]
fn merged_cells_empty_rows_spaces_full_width_digits_and_hidden_sheets() {
    let Some((_dir, doc)) = quirk(
        "layout-quirks",
        json!([
            // 所属行业 of tenants 1–3 typed once and merged down.
            {"sheet": "入驻企业名录", "cell": "C2", "value": "工业"},
            {"op": "merge", "sheet": "入驻企业名录", "range": "C2:C4"},
            // An empty row in the middle of the list.
            {"op": "clear_row", "sheet": "入驻企业名录", "row": 6},
            // Trailing spaces; full-width digits in a phone number.
            {"sheet": "入驻企业名录", "cell": "A7", "value": "濮院测试针织有限公司  "},
            {"sheet": "入驻企业名录", "cell": "H7", "value": "１３９５７３１２３４５"},
            {"op": "hide", "sheet": "入驻企业名录"},
        ]),
    ) else {
        return;
    };
    let messages = issue_messages(&doc);
    for i in 0..3 {
        assert_eq!(
            at(&doc, &format!("/tenants/{i}/sector")),
            Some(&Value::Str("工业".into())),
            "tenant {i}: {messages:#?}"
        );
    }
    assert!(
        messages.iter().any(|m| m.contains("合并单元格 C2:C4")),
        "{messages:#?}"
    );
    // 30 tenants in the YAML, one row cleared: 29 items, row 7 now the 5th.
    let Some(Value::Seq(tenants)) = at(&doc, "/tenants") else {
        panic!("no tenants");
    };
    assert_eq!(tenants.len(), 29);
    assert_eq!(
        at(&doc, "/tenants/4/name"),
        Some(&Value::Str("濮院测试针织有限公司".into()))
    );
    assert_eq!(
        at(&doc, "/tenants/4/contact/mobile"),
        Some(&Value::Str("13957312345".into()))
    );
    assert!(messages.iter().any(|m| m.contains("全角")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("隐藏")), "{messages:#?}");
    // The 5 000 formatted rows of the template are no items: the count is the data's.
}

#[test]
fn an_unknown_header_or_sheet_is_reported_with_did_you_mean() {
    let Some((_dir, doc)) = quirk(
        "unknown",
        json!([
            {"sheet": "入驻企业名录", "cell": "C1", "value": "所属行叶"},
            {"op": "rename", "sheet": "楼栋", "to": "楼栋表"},
        ]),
    ) else {
        return;
    };
    let messages = issue_messages(&doc);
    let header = doc
        .read_issues
        .iter()
        .find(|i| i.message.zh.contains("所属行叶"))
        .unwrap_or_else(|| panic!("{messages:#?}"));
    assert!(
        header.help.as_ref().unwrap().zh.contains("所属行业"),
        "{messages:#?}"
    );
    assert_eq!(
        doc.source.cell_at(header.span.start).unwrap().to_string(),
        "入驻企业名录!C1"
    );
    let sheet = doc
        .read_issues
        .iter()
        .find(|i| i.message.zh.contains("楼栋表"))
        .unwrap_or_else(|| panic!("{messages:#?}"));
    assert!(
        sheet.help.as_ref().unwrap().zh.contains("「楼栋」"),
        "{messages:#?}"
    );
}

#[test]
fn a_yaml_named_xlsx_is_told_and_an_xlsx_named_yaml_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read(root().join("fixtures/examples/puyuan-sweater-park.yaml")).unwrap();
    let error = load_bytes(
        "park.xlsx",
        yaml,
        Syntax::of_name("park.xlsx"),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(error.error.rule(), "FILETYPE");
    assert!(error.error.message().zh.contains("内容却是文本"));
    let Some(book) = filled(
        dir.path(),
        "renamed",
        &fixture_json("fixtures/examples/puyuan-sweater-park.yaml"),
        &json!([]),
    ) else {
        return;
    };
    let renamed = dir.path().join("园区申报.yaml");
    std::fs::rename(&book, &renamed).unwrap();
    let (code, report) = check_json(&renamed, false);
    assert_eq!(code, 0, "{report:#}");
}

/// A reviewer's folder of filings holds workbooks: a directory is searched for them too, and the
/// lock file Excel or WPS keeps beside an open workbook (`~$…`) is not taken for one.
#[test]
fn a_directory_of_filings_includes_its_workbooks_but_not_excel_lock_files() {
    let dir = tempfile::tempdir().unwrap();
    let converted = parkcheck()
        .arg("convert")
        .arg(root().join("fixtures/failing/zj-form-revenue-in-yuan.yaml"))
        .arg("-o")
        .arg(dir.path().join("园区申报.xlsx"))
        .output()
        .unwrap();
    assert!(converted.status.success(), "{converted:?}");
    std::fs::write(dir.path().join("~$园区申报.xlsx"), b"\x0cowner").unwrap();
    std::fs::copy(
        root().join("fixtures/examples/puyuan-sweater-park.yaml"),
        dir.path().join("other.yaml"),
    )
    .unwrap();
    let output = parkcheck()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Json = serde_json::from_slice(&output.stdout).unwrap();
    let files: Vec<&str> = report["files_detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files.iter().any(|f| f.ends_with("园区申报.xlsx")),
        "{files:?}"
    );
    assert!(!files.iter().any(|f| f.contains("~$")), "{files:?}");
}
