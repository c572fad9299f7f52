//! `parkcheck template` read back by an independent reader: Python's openpyxl
//! (`tests/template_read.py`, installed by `.ci/run` into `target/ci-venv` from
//! `.ci/requirements.txt`). The sheets of the form, the tenant list's form columns first,
//! drop-downs with the schema's labels, text cells for codes and phone numbers, date and number
//! formats, frozen headers, a comment on every header, required fields marked, and a schema
//! change that changes the template.
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
    common::openpyxl_python("template")
}

fn read(python: &Path, file: &Path) -> Value {
    common::openpyxl_read(python, "template_read.py", file)
}

fn template(kind: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{kind}.xlsx"));
    parkcheck()
        .args(["template", "--kind", kind, "-o"])
        .arg(&file)
        .assert()
        .success();
    (dir, file)
}

fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    common::sheet(book, name)
}

fn schema() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/submission.v1.schema.json")).unwrap(),
    )
    .unwrap()
}

fn labels(node: &Value) -> Vec<Value> {
    node["enum"].as_array().unwrap().clone()
}

/// The column letter of the header that starts with `title`.
fn column(sheet: &Value, title: &str) -> (usize, String) {
    let index = sheet["header"]
        .as_array()
        .unwrap()
        .iter()
        .position(|h| {
            h["v"].as_str().is_some_and(|v| {
                v.trim_end_matches(" *") == title
                    || v.starts_with(&format!("{title}（"))
                    || v.starts_with(&format!("{title} *"))
            })
        })
        .unwrap_or_else(|| panic!("no column {title} in {}", sheet["header"]));
    (index, parkcheck::template::column_letter(index))
}

/// The labels of the drop-down whose ranges start at `cell`.
fn dropdown(sheet: &Value, cell: &str) -> Vec<Value> {
    sheet["validations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["ranges"].as_str().unwrap().split(':').next() == Some(cell))
        .unwrap_or_else(|| panic!("no drop-down at {cell}: {}", sheet["validations"]))["labels"]
        .as_array()
        .unwrap()
        .clone()
}

/// The row (0-based below the header) of a fields sheet whose 字段 column is `path`.
fn field_row<'a>(sheet: &'a Value, path: &str) -> (usize, &'a Value) {
    sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .find(|(_, r)| r[3]["v"] == path)
        .unwrap_or_else(|| panic!("no row for {path}"))
}

#[test]
fn the_template_has_the_forms_sheets_drop_downs_text_cells_and_comments() {
    let Some(python) = python() else { return };
    let (_dir, file) = template("filing");
    let book = read(&python, &file);
    let names: Vec<&str> = book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        &names[..4],
        ["填表说明", "基本信息", "运营信息", "入驻企业名录"]
    );
    for list in ["楼栋", "分层", "附件", "隐患", "事故"] {
        assert!(names.contains(&list), "{names:?}");
    }
    let schema = schema();
    let tenant = &schema["properties"]["tenants"]["items"]["properties"];

    // The tenant list: the form's columns first, by the schema's titles.
    let tenants = sheet(&book, "入驻企业名录");
    let headers: Vec<String> = tenants["header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["v"].as_str().unwrap().trim_end_matches(" *").to_owned())
        .collect();
    let form: Vec<&str> = [
        &tenant["name"]["title"],
        &tenant["uscc"]["title"],
        &tenant["sector"]["title"],
        &tenant["entered_on"]["title"],
        &tenant["status"]["title"],
        &tenant["legal_representative"]["title"],
        &tenant["contact"]["properties"]["name"]["title"],
        &tenant["contact"]["properties"]["mobile"]["title"],
    ]
    .iter()
    .map(|t| t.as_str().unwrap())
    .collect();
    assert_eq!(&headers[..8], form);
    assert_eq!(tenants["freeze"], "A2", "the header row is frozen");

    // Drop-downs with the form's labels, through the whole list.
    let (_, sector) = column(tenants, "所属行业");
    assert_eq!(
        dropdown(tenants, &format!("{sector}2")),
        labels(&tenant["sector"])
    );
    let (_, status) = column(tenants, "企业状态");
    assert_eq!(
        dropdown(tenants, &format!("{status}2")),
        labels(&tenant["status"])
    );
    let (_, vibration) = column(tenants, "振动较大");
    assert_eq!(dropdown(tenants, &format!("{vibration}2")), ["是", "否"]);
    assert!(
        tenants["validations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["ranges"].as_str().unwrap().ends_with("5001")),
        "every drop-down covers 5000 rows"
    );

    // Codes and phone numbers are text cells; dates and counts have their formats.
    let formats = &tenants["column_formats"];
    let (_, uscc) = column(tenants, "企业统一社会信用代码");
    assert_eq!(formats[&uscc], "@");
    let (_, mobile) = column(tenants, "联系人手机");
    assert_eq!(formats[&mobile], "@");
    let (_, code) = column(tenants, "国民经济行业代码");
    assert_eq!(formats[&code], "@");
    let (_, entered) = column(tenants, "入驻日期");
    assert_eq!(formats[&entered], "yyyy-mm-dd");
    let (_, employees) = column(tenants, "从业人员");
    assert_eq!(formats[&employees], "0");
    assert!(
        tenants["widths"][&uscc].as_f64().unwrap() >= 20.0,
        "a credit code fits"
    );

    // Every header has a comment with the schema's description; required ones are marked red.
    for (h, field) in tenants["header"].as_array().unwrap().iter().zip(&headers) {
        let comment = h["comment"]
            .as_str()
            .unwrap_or_else(|| panic!("no comment on {field}"));
        assert!(comment.contains("字段 / field: tenants.*."), "{comment}");
    }
    let name = &tenants["header"][0];
    assert_eq!(name["v"], "企业名称 *");
    assert!(name["red"].as_bool().unwrap());
    assert!(
        name["comment"]
            .as_str()
            .unwrap()
            .starts_with(tenant["name"]["description"].as_str().unwrap())
    );
    let revenue = &tenants["header"][column(tenants, "营业收入").0];
    assert_eq!(
        revenue["v"], "营业收入（万元）",
        "the unit is in the header"
    );
    assert!(!revenue["red"].as_bool().unwrap());

    // The fields sheet: label / value / unit / field, text cells for codes, drop-downs.
    let basic = sheet(&book, "基本信息");
    assert_eq!(basic["freeze"], "A2");
    let (row, postcode) = field_row(basic, "park.postcode");
    assert_eq!(postcode[1]["fmt"], "@", "the postcode is a text cell");
    let _ = row;
    let (row, _) = field_row(basic, "park.status");
    assert_eq!(
        dropdown(basic, &format!("B{}", row + 2)),
        labels(&schema["properties"]["park"]["properties"]["status"])
    );
    let (row, code) = field_row(basic, "park.region_code");
    assert_eq!(code[1]["fmt"], "@");
    assert_eq!(dropdown(basic, &format!("B{}", row + 2))[0], "330402");
    let (_, area) = field_row(basic, "land.actual_area_mu");
    assert_eq!(area[2]["v"], "亩", "the unit column");
    assert!(area[0]["red"].as_bool().unwrap(), "required");
    let (_, as_of) = field_row(basic, "as_of");
    assert_eq!(as_of[1]["fmt"], "yyyy-mm-dd");
    let (_, format) = field_row(basic, "format");
    assert_eq!(format[1]["v"], "parkcheck/v1");
    let (_, kind) = field_row(basic, "kind");
    assert_eq!(kind[1]["v"], "filing");
    // A filing need not name the platform filing; an annual report must.
    let (_, platform) = field_row(basic, "park.filing.platform_id");
    assert!(!platform[0]["red"].as_bool().unwrap());

    let guide = sheet(&book, "填表说明");
    let text = guide["rows"].to_string();
    assert!(
        text.contains("parkcheck/v1") && text.contains("filing（备案）"),
        "{text}"
    );
    let floors = sheet(&book, "分层");
    assert!(
        floors["header"][0]["v"]
            .as_str()
            .unwrap()
            .starts_with("楼栋编号"),
        "a floor names its building"
    );
}

#[test]
fn the_kind_decides_what_is_required() {
    let Some(python) = python() else { return };
    let (_dir, file) = template("annual");
    let book = read(&python, &file);
    let basic = sheet(&book, "基本信息");
    let (_, platform) = field_row(basic, "park.filing.platform_id");
    assert!(
        platform[0]["red"].as_bool().unwrap(),
        "annual: JXF-001 requires the platform id"
    );
    assert!(platform[0]["v"].as_str().unwrap().ends_with(" *"));
    let (_, kind) = field_row(basic, "kind");
    assert_eq!(kind[1]["v"], "annual");
}

#[test]
fn a_schema_change_changes_the_template() {
    let Some(python) = python() else { return };
    let text = std::fs::read_to_string(root().join("schemas/submission.v1.schema.json")).unwrap();
    let changed = text.replacen(
        "\"其他未列明行业\"",
        "\"其他未列明行业\", \"测试新增行业\"",
        1,
    );
    assert_ne!(changed, text);
    let bytes = parkcheck::template::render(&changed, "filing", "test").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("changed.xlsx");
    std::fs::write(&file, bytes).unwrap();
    let book = read(&python, &file);
    let tenants = sheet(&book, "入驻企业名录");
    let (_, sector) = column(tenants, "所属行业");
    let labels = dropdown(tenants, &format!("{sector}2"));
    assert_eq!(labels.last().unwrap(), "测试新增行业");
}

#[test]
fn an_unknown_kind_is_a_usage_error() {
    parkcheck()
        .args(["template", "--kind", "monthly"])
        .assert()
        .code(2);
}

#[test]
fn a_drop_down_longer_than_excel_allows_inline_reads_from_a_hidden_sheet() {
    let Some(python) = python() else { return };
    let text = std::fs::read_to_string(root().join("schemas/submission.v1.schema.json")).unwrap();
    let extra: Vec<String> = (1..=40).map(|i| format!("\"新增行业第{i}类\"")).collect();
    let changed = text.replacen(
        "\"其他未列明行业\"",
        &format!("\"其他未列明行业\", {}", extra.join(", ")),
        1,
    );
    let bytes = parkcheck::template::render(&changed, "filing", "test").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.xlsx");
    std::fs::write(&file, bytes).unwrap();
    let book = read(&python, &file);
    let tenants = sheet(&book, "入驻企业名录");
    let (_, sector) = column(tenants, "所属行业");
    let labels = dropdown(tenants, &format!("{sector}2"));
    assert_eq!(labels.len(), 56);
    assert_eq!(labels.last().unwrap(), "新增行业第40类");
    assert!(sheet(&book, "选项")["hidden"].as_bool().unwrap());
}
