//! `parkcheck convert`: YAML → JSON → YAML keeps every value and the order of every mapping,
//! over the examples, the failing fixtures and generated submissions; YAML → xlsx puts every
//! value of the document in its cell, read back by an independent reader (openpyxl in
//! `target/ci-venv`, as tests/template.rs does); what a workbook cannot hold is refused and
//! named; CSV tenant lists in each encoding and delimiter, and their row problems; outputs
//! never written over the input or an existing file; unreadable inputs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{fixture_files, parkcheck, root};
use parkcheck::convert::{self, to_json, to_yaml};
use parkcheck::document::{Document, Limits, Node, Syntax, Value, escape_token, load_bytes};
use parkcheck::form::{CellType, Layout, SheetKind, layout};
use parkcheck::schema::SUBMISSION_SCHEMA;
use proptest::prelude::*;
use serde_json::{Value as Json, json};

fn load(name: &str, text: &str) -> Document {
    load_bytes(
        name,
        text.as_bytes().to_vec(),
        Syntax::of_name(name),
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{name} does not load back: {:?}\n{text}", e.error))
}

/// Two trees hold the same values, of the same types, with every mapping's keys in the same
/// order (spans aside).
fn same(a: &Node, b: &Node, at: &str) {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            let kx: Vec<&str> = x.iter().map(|e| e.key.as_str()).collect();
            let ky: Vec<&str> = y.iter().map(|e| e.key.as_str()).collect();
            assert_eq!(kx, ky, "key order at {at}");
            for (ex, ey) in x.iter().zip(y) {
                same(&ex.value, &ey.value, &format!("{at}/{}", ex.key));
            }
        }
        (Value::Seq(x), Value::Seq(y)) => {
            assert_eq!(x.len(), y.len(), "length at {at}");
            for (i, (nx, ny)) in x.iter().zip(y).enumerate() {
                same(nx, ny, &format!("{at}/{i}"));
            }
        }
        (Value::Float(x), Value::Float(y)) => {
            assert!(
                x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                "{x} ≠ {y} at {at}"
            );
        }
        (x, y) => assert_eq!(x, y, "at {at}"),
    }
}

fn submissions() -> Vec<PathBuf> {
    let mut files = fixture_files("fixtures/examples");
    files.extend(fixture_files("fixtures/failing"));
    files.extend(
        fixture_files("fixtures/structural")
            .into_iter()
            .filter(|f| {
                load_bytes(
                    "x",
                    std::fs::read(f).unwrap(),
                    Syntax::of_name(&f.display().to_string()),
                    &Limits::default(),
                )
                .is_ok_and(|d| d.number_issues.is_empty())
            }),
    );
    assert!(files.len() > 20, "{files:?}");
    files
}

fn json_yaml_round_trip(doc: &Document) {
    let json = to_json(&doc.root).unwrap();
    let from_json = load("a.json", &json);
    same(&doc.root, &from_json.root, "");
    let yaml = to_yaml(&from_json.root, "a.json");
    let from_yaml = load("b.yaml", &yaml);
    same(&doc.root, &from_yaml.root, "");
}

#[test]
fn yaml_json_yaml_keeps_every_value_and_order_over_the_fixtures() {
    for file in submissions() {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = load(&file.display().to_string(), &text);
        json_yaml_round_trip(&doc);
    }
}

/// Strings YAML readers retype, and Chinese.
fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0573-82345678".to_owned()),
        Just("2025-12-31".to_owned()),
        Just("是".to_owned()),
        Just("yes".to_owned()),
        Just("Off".to_owned()),
        Just("1_000".to_owned()),
        Just("0x1F".to_owned()),
        Just(".5".to_owned()),
        Just("+1".to_owned()),
        Just("12:30".to_owned()),
        Just("- a: b".to_owned()),
        Just("# 不是注释".to_owned()),
        Just("a #b".to_owned()),
        Just("\"q\" 'r' \\ s".to_owned()),
        Just("line\nbreak\ttab\r".to_owned()),
        Just("nul\u{0}del\u{7f}\u{85}\u{2028}\u{feff}".to_owned()),
        Just(" lead and trail ".to_owned()),
        Just("𠮷野家😀".to_owned()),
        Just(String::new()),
        "[\u{4e00}-\u{9fa5}]{1,8}",
        "[ -~]{0,12}",
    ]
}

fn scalar() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Json::from),
        tricky().prop_map(Json::String),
    ]
}

/// A scalar, or a small list or mapping of them (keys that need quoting too).
fn value() -> impl Strategy<Value = Json> {
    scalar().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Json::Array),
            prop::collection::btree_map(prop_oneof!["[a-z_]{1,8}", tricky()], inner, 0..3)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

/// The base (a filing with ten tenants) with some values replaced at random leaves.
fn base() -> Json {
    let text = std::fs::read_to_string(root().join("fixtures/structural/bom-crlf.yaml")).unwrap();
    load("base.yaml", &text).root.to_json()
}

fn replace_leaf(doc: &mut Json, at: usize, value: Json) {
    fn walk(node: &mut Json, n: &mut usize, value: &mut Option<Json>) {
        match node {
            Json::Object(m) => m.values_mut().for_each(|v| walk(v, n, value)),
            Json::Array(a) => a.iter_mut().for_each(|v| walk(v, n, value)),
            leaf => {
                if *n == 0 {
                    if let Some(v) = value.take() {
                        *leaf = v;
                    }
                }
                *n = n.wrapping_sub(1);
            }
        }
    }
    let mut n = at % 400;
    walk(doc, &mut n, &mut Some(value));
}

fn generated() -> impl Strategy<Value = Json> {
    prop::collection::vec((any::<usize>(), value()), 0..8).prop_map(|edits| {
        let mut doc = base();
        for (at, value) in edits {
            replace_leaf(&mut doc, at, value);
        }
        doc
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn generated_submissions_survive_json_and_yaml(doc in generated()) {
        let parsed = load("g.json", &serde_json::to_string(&doc).unwrap());
        json_yaml_round_trip(&parsed);
    }

    #[test]
    fn generated_submissions_go_to_a_workbook_or_are_refused_with_the_field_named(doc in generated()) {
        let parsed = load("g.json", &serde_json::to_string(&doc).unwrap());
        match convert::to_xlsx(&parsed.root, SUBMISSION_SCHEMA, "test") {
            Ok(bytes) => prop_assert!(bytes.starts_with(b"PK")),
            Err(convert::ConvertError::Unplaced(problems)) => {
                prop_assert!(!problems.is_empty());
                for p in problems {
                    prop_assert!(parsed.root.pointer(&parkcheck::document::Pointer::parse(&p.pointer).unwrap()).is_some(), "{}", p.pointer);
                }
            }
            Err(e) => prop_assert!(false, "{e:?}"),
        }
    }
}

proptest! {
    // Each case runs parkcheck and Python: a few dozen, not hundreds.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn generated_submissions_in_a_workbook_hold_every_value_in_its_cell(doc in generated()) {
        let Some(python) = python() else { return Ok(()) };
        let parsed = load("g.json", &serde_json::to_string(&doc).unwrap());
        if let Ok(bytes) = convert::to_xlsx(&parsed.root, SUBMISSION_SCHEMA, "test") {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("g.xlsx");
            std::fs::write(&file, bytes).unwrap();
            let kind = match parsed.root.get("kind").map(|k| &k.value) {
                Some(Value::Str(k)) if ["filing", "annual", "star"].contains(&k.as_str()) => k.clone(),
                _ => "filing".into(),
            };
            compare_book(&parsed.root, &read_book(&python, &file), &layout(SUBMISSION_SCHEMA, &kind).unwrap());
        }
    }
}

// ---- the workbook, read back by openpyxl ----

fn python() -> Option<PathBuf> {
    common::openpyxl_python("convert")
}

fn read_book(python: &Path, file: &Path) -> Json {
    common::openpyxl_read(python, "template_read.py", file)
}

fn sheet<'a>(book: &'a Json, name: &str) -> &'a Json {
    common::sheet(book, name)
}

fn node_at<'a>(node: &'a Node, path: &str) -> Option<&'a Node> {
    path.split('.').try_fold(node, |n, k| n.get(k))
}

fn pointer(base: &str, path: &str) -> String {
    path.split('.').fold(base.to_owned(), |acc, k| {
        format!("{acc}/{}", escape_token(k))
    })
}

/// The cell openpyxl read (`v`, `fmt`) holds the document's value as the form writes it.
fn assert_cell(cell: &Json, value: &Node, field_cell: &CellType, at: &str) {
    let v = &cell["v"];
    match (&value.value, field_cell) {
        (Value::Bool(b), CellType::Boolean) => {
            assert_eq!(v, if *b { "是" } else { "否" }, "{at}");
        }
        (Value::Seq(items), CellType::List) => {
            let joined: Vec<&str> = items
                .iter()
                .map(|i| match &i.value {
                    Value::Str(s) => s.as_str(),
                    other => panic!("{other:?} at {at}"),
                })
                .collect();
            let expected = if joined.is_empty() {
                convert::EMPTY_LIST.to_owned()
            } else {
                joined.join("、")
            };
            assert_eq!(v, &json!(expected), "{at}");
            assert_eq!(cell["fmt"], "@", "a list is a text cell: {at}");
        }
        (Value::Str(s), CellType::Date) if parkcheck::domain::dates::parse_date(s).is_ok() => {
            assert_eq!(v, &json!(format!("{s} 00:00:00")), "a date cell: {at}");
            assert_eq!(cell["fmt"], "yyyy-mm-dd", "{at}");
        }
        (Value::Str(s), _) => {
            assert_eq!(v, &json!(s), "{at}");
            assert_eq!(cell["fmt"], "@", "text is a text cell: {at}");
        }
        (Value::Int(i), _) => {
            assert_eq!(v.as_f64(), Some(*i as f64), "{at}: {v}");
        }
        (Value::Float(f), _) => {
            assert_eq!(v.as_f64(), Some(*f), "{at}: {v}");
        }
        (other, cell_type) => panic!("{other:?} in a {cell_type:?} cell at {at}"),
    }
}

/// Every leaf of the tree (scalars, lists of scalars, empty collections), by pointer.
fn leaves(node: &Node, at: &str, out: &mut BTreeSet<String>) {
    match &node.value {
        Value::Map(entries) if !entries.is_empty() => {
            for e in entries {
                leaves(&e.value, &format!("{at}/{}", escape_token(&e.key)), out);
            }
        }
        Value::Seq(items)
            if items
                .iter()
                .any(|i| matches!(i.value, Value::Map(_) | Value::Seq(_))) =>
        {
            for (i, item) in items.iter().enumerate() {
                leaves(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {
            out.insert(at.to_owned());
        }
    }
}

/// Compares every value of `doc` with the cells of `book` as laid out by `layout`, and checks
/// that every leaf of the document was found in a cell.
fn compare_book(doc: &Node, book: &Json, layout: &Layout) {
    let mut seen = BTreeSet::new();
    for s in &layout.sheets {
        let read = sheet(book, &s.name);
        let rows = read["rows"].as_array().unwrap();
        match &s.kind {
            SheetKind::Fields => {
                for field in &s.fields {
                    let row = rows
                        .iter()
                        .find(|r| r[3]["v"] == field.path.as_str())
                        .unwrap_or_else(|| panic!("no row for {}", field.path));
                    match node_at(doc, &field.path) {
                        Some(value) => {
                            assert_cell(&row[1], value, &field.cell, &field.path);
                            seen.insert(pointer("", &field.path));
                        }
                        None => assert_eq!(row[1]["v"], Json::Null, "{} is blank", field.path),
                    }
                }
            }
            SheetKind::Table { path, parent } => {
                let header: Vec<&str> = read["header"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h["v"].as_str().unwrap())
                    .collect();
                let rows: Vec<&Json> = rows
                    .iter()
                    .filter(|r| r.as_array().unwrap().iter().any(|c| c["v"] != Json::Null))
                    .collect();
                // (pointer of the list, the parent's key, the list)
                let lists: Vec<(String, Option<String>, &Node)> = match path.rsplit_once(".*.") {
                    None => node_at(doc, path)
                        .map(|l| (pointer("", path), None, l))
                        .into_iter()
                        .collect(),
                    Some((outer, inner)) => {
                        let key = &parent.as_ref().unwrap().1.path;
                        let mut out = Vec::new();
                        if let Some(Value::Seq(items)) = node_at(doc, outer).map(|n| &n.value) {
                            for (i, item) in items.iter().enumerate() {
                                if let Some(list) = node_at(item, inner) {
                                    let id = match &node_at(item, key).unwrap().value {
                                        Value::Str(s) => s.clone(),
                                        other => panic!("{other:?}"),
                                    };
                                    out.push((
                                        pointer(&format!("{}/{i}", pointer("", outer)), inner),
                                        Some(id),
                                        list,
                                    ));
                                }
                            }
                        }
                        out
                    }
                };
                let mut r = 0;
                let lead = usize::from(parent.is_some());
                for (list_pointer, id, list) in lists {
                    let Value::Seq(items) = &list.value else {
                        panic!("{list_pointer}")
                    };
                    if items.is_empty() {
                        let row = rows[r];
                        if let Some(id) = &id {
                            assert_eq!(row[0]["v"], json!(id));
                        }
                        assert_eq!(
                            row[lead]["v"],
                            convert::EMPTY_LIST,
                            "{list_pointer} is empty"
                        );
                        seen.insert(list_pointer);
                        r += 1;
                        continue;
                    }
                    for (i, item) in items.iter().enumerate() {
                        let row = rows[r];
                        if let Some(id) = &id {
                            assert_eq!(row[0]["v"], json!(id), "{list_pointer}/{i}: its parent");
                        }
                        for (col, title) in header.iter().enumerate().skip(lead) {
                            let field = s.column(title).unwrap_or_else(|| panic!("{title}"));
                            let at = format!("{list_pointer}/{i}");
                            match node_at(item, &field.path) {
                                Some(value) => {
                                    assert_cell(
                                        &row[col],
                                        value,
                                        &field.cell,
                                        &format!("{}!{title} row {}", s.name, r + 2),
                                    );
                                    seen.insert(pointer(&at, &field.path));
                                }
                                None => assert_eq!(row[col]["v"], Json::Null, "{at} {title}"),
                            }
                        }
                        r += 1;
                    }
                }
                assert_eq!(r, rows.len(), "{}: no extra rows", s.name);
            }
        }
    }
    let mut all = BTreeSet::new();
    leaves(doc, "", &mut all);
    let missing: Vec<&String> = all.difference(&seen).collect();
    assert!(missing.is_empty(), "values without a cell: {missing:?}");
}

#[test]
fn yaml_to_xlsx_puts_every_value_in_its_cell_over_the_fixtures() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut converted = 0;
    for file in submissions() {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = load(&file.display().to_string(), &text);
        let out = dir.path().join(format!(
            "{}.xlsx",
            file.file_stem().unwrap().to_string_lossy()
        ));
        let result = parkcheck()
            .arg("convert")
            .arg(&file)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        let expected = convert::to_xlsx(&doc.root, SUBMISSION_SCHEMA, "test");
        if let Err(e) = expected {
            // Refused: exit 2, the values named, nothing written.
            assert_eq!(result.status.code(), Some(2), "{}", file.display());
            assert!(!out.exists());
            let stderr = String::from_utf8_lossy(&result.stderr);
            if let convert::ConvertError::Unplaced(problems) = e {
                for p in problems {
                    assert!(stderr.contains(&p.message.zh), "{stderr}");
                }
            }
            continue;
        }
        assert!(
            result.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&result.stderr)
        );
        let kind = match doc.root.get("kind").map(|k| &k.value) {
            Some(Value::Str(k)) if ["filing", "annual", "star"].contains(&k.as_str()) => k.clone(),
            _ => "filing".into(),
        };
        let layout = layout(SUBMISSION_SCHEMA, &kind).unwrap();
        let book = read_book(&python, &out);
        compare_book(&doc.root, &book, &layout);
        // The filled workbook is the template: the same drop-downs on the tenant list.
        let tenants = sheet(&book, "入驻企业名录");
        assert!(tenants["validations"].as_array().unwrap().len() >= 5);
        assert_eq!(tenants["freeze"], "A2");
        converted += 1;
    }
    assert!(converted >= 15, "only {converted} fixtures converted");
}

#[test]
fn the_schema_address_and_empty_lists_have_their_cells() {
    let Some(python) = python() else { return };
    let text = std::fs::read_to_string(root().join("fixtures/examples/puyuan-sweater-park.yaml"))
        .unwrap()
        .replacen(
            "format: parkcheck/v1",
            "$schema: ../../schemas/submission.v1.schema.json\nformat: parkcheck/v1",
            1,
        );
    let doc = load("s.yaml", &text);
    assert!(doc.root.get("$schema").is_some());
    let bytes = convert::to_xlsx(&doc.root, SUBMISSION_SCHEMA, "test").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.xlsx");
    std::fs::write(&file, bytes).unwrap();
    let book = read_book(&python, &file);
    compare_book(
        &doc.root,
        &book,
        &layout(SUBMISSION_SCHEMA, "annual").unwrap(),
    );
    // `accidents_last_12m: []` is 无 on 事故, not an empty sheet.
    let accidents = sheet(&book, "事故");
    assert_eq!(accidents["rows"][0][0]["v"], convert::EMPTY_LIST);
}

#[test]
fn a_value_the_workbook_cannot_hold_is_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let base =
        std::fs::read_to_string(root().join("fixtures/examples/puyuan-sweater-park.yaml")).unwrap();
    let cases = [
        (
            "upstairs: false",
            "upstairs: \"是\"",
            "/park/upstairs",
            "是否列",
        ),
        ("upstairs: false", "upstairs:", "/park/upstairs", "null"),
        (
            "upstairs: false",
            "upstairs: false\n  nickname: 毛衫园",
            "/park/nickname",
            "没有这个字段的位置",
        ),
        (
            "upstairs: false",
            "upstairs: false\n  upstair: true",
            "/park/upstair",
            "是不是 upstairs（",
        ),
    ];
    // The row of park.upstairs on 基本信息, as openpyxl reads the template.
    let upstairs_row = {
        let Some(python) = python() else { return };
        let template = dir.path().join("template.xlsx");
        parkcheck()
            .args(["template", "--kind", "annual", "-o"])
            .arg(&template)
            .assert()
            .success();
        let book = read_book(&python, &template);
        let rows = sheet(&book, "基本信息")["rows"].as_array().unwrap().clone();
        rows.iter()
            .position(|r| r[3]["v"] == "park.upstairs")
            .unwrap()
            + 2
    };
    for (from, to, pointer, said) in cases {
        let changed = base.replacen(from, to, 1);
        assert_ne!(changed, base);
        let input = dir.path().join("park.yaml");
        std::fs::write(&input, &changed).unwrap();
        let out = dir.path().join("park.xlsx");
        let result = parkcheck()
            .arg("convert")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(result.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            stderr.contains(pointer) || stderr.contains(&format!("基本信息!B{upstairs_row}（")),
            "{stderr}"
        );
        assert!(stderr.contains(said), "{said}: {stderr}");
        assert!(
            stderr.contains("park.yaml:"),
            "located in the input: {stderr}"
        );
        assert!(!out.exists(), "nothing written");
    }
}

// ---- the full round trip: YAML → xlsx → YAML, through the workbook reader ----

/// The tree as JSON with every number as a float: a cell cannot tell `5` from `5.0` (the
/// reader gives a whole number as an integer), and the schema does not either.
fn numbers_as_floats(v: Json) -> Json {
    match v {
        Json::Number(n) => json!(n.as_f64().unwrap()),
        Json::Array(a) => Json::Array(a.into_iter().map(numbers_as_floats).collect()),
        Json::Object(m) => Json::Object(
            m.into_iter()
                .map(|(k, v)| (k, numbers_as_floats(v)))
                .collect(),
        ),
        other => other,
    }
}

/// `doc` written to a workbook and read back, then written as YAML and read back, is the same
/// document (`None` when the workbook refuses a value: the other tests hold that).
fn through_the_workbook(doc: &Document) -> Option<()> {
    let bytes = convert::to_xlsx(&doc.root, SUBMISSION_SCHEMA, "test").ok()?;
    let back = load_bytes("back.xlsx", bytes, Syntax::Workbook, &Limits::default())
        .unwrap_or_else(|e| panic!("the reader refused the written workbook: {:?}", e.error));
    let errors: Vec<_> = back.read_issues.iter().filter(|i| i.error).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let expected = numbers_as_floats(doc.root.to_json());
    assert_eq!(numbers_as_floats(back.root.to_json()), expected);
    let yaml = load("back.yaml", &to_yaml(&back.root, "back.xlsx"));
    assert_eq!(numbers_as_floats(yaml.root.to_json()), expected);
    Some(())
}

#[test]
fn yaml_to_xlsx_to_yaml_gives_the_same_document_over_the_fixtures() {
    let mut round_trips = 0;
    for file in submissions() {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = load(&file.display().to_string(), &text);
        round_trips += usize::from(through_the_workbook(&doc).is_some());
    }
    assert!(
        round_trips >= 25,
        "only {round_trips} fixtures went through a workbook"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn generated_submissions_go_through_a_workbook_unchanged(doc in generated()) {
        let parsed = load("g.json", &serde_json::to_string(&doc).unwrap());
        let _ = through_the_workbook(&parsed);
    }
}

#[test]
fn a_workbook_converts_back_to_yaml_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("园区申报.xlsx");
    let back = dir.path().join("back.yaml");
    parkcheck()
        .args([
            "convert",
            "fixtures/examples/puyuan-sweater-park.yaml",
            "-o",
        ])
        .arg(&book)
        .assert()
        .success();
    let output = parkcheck()
        .arg("convert")
        .arg(&book)
        .arg("-o")
        .arg(&back)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&back).unwrap();
    assert!(
        text.contains("园区申报.xlsx"),
        "the header names the workbook"
    );
    let original = load(
        "p.yaml",
        &std::fs::read_to_string(root().join("fixtures/examples/puyuan-sweater-park.yaml"))
            .unwrap(),
    );
    assert_eq!(
        numbers_as_floats(load("back.yaml", &text).root.to_json()),
        numbers_as_floats(original.root.to_json())
    );
    let (code, report) = common::check_json(&[back.to_str().unwrap()]);
    assert_eq!(code, 0, "{report}");
}

// ---- CSV tenant lists ----

fn csv_text() -> String {
    std::fs::read_to_string(root().join("fixtures/csv/名录-utf8.csv")).unwrap()
}

fn merge(csv: &[u8], name: &str) -> (std::process::Output, Option<Json>) {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join(name);
    std::fs::write(&list, csv).unwrap();
    let out = dir.path().join("merged.json");
    let output = parkcheck()
        .args([
            "convert",
            "fixtures/examples/xiuzhou-digital-service-park.yaml",
            "--tenants",
        ])
        .arg(&list)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let merged = out
        .exists()
        .then(|| serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap());
    (output, merged)
}

fn original() -> Json {
    let text =
        std::fs::read_to_string(root().join("fixtures/examples/xiuzhou-digital-service-park.yaml"))
            .unwrap();
    load("x.yaml", &text).root.to_json()
}

#[test]
fn a_csv_tenant_list_in_each_encoding_and_delimiter_gives_the_same_tenants() {
    let text = csv_text();
    let gbk = std::fs::read(root().join("fixtures/csv/名录-gbk.csv")).unwrap();
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the GBK fixture is not UTF-8"
    );
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(text.as_bytes());
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            text.replace(',', "\t")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let semicolon = rewrite(&text, b';');
    let tab = rewrite(&text, b'\t');
    let cases: [(&str, Vec<u8>, &str, &str); 6] = [
        ("utf8.csv", text.clone().into_bytes(), "UTF-8", "逗号"),
        ("bom.csv", bom, "UTF-8（带 BOM）", "逗号"),
        ("gbk.csv", gbk, "GBK/GB18030", "逗号"),
        ("semicolon.csv", semicolon.into_bytes(), "UTF-8", "分号"),
        ("tab.txt", tab.into_bytes(), "UTF-8", "制表符"),
        ("unicode.txt", utf16, "UTF-16LE", "制表符"),
    ];
    let expected = original();
    for (name, bytes, encoding, delimiter) in cases {
        let (output, merged) = merge(&bytes, name);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains(&format!("编码 {encoding}，分隔符 {delimiter}")),
            "{name}: {stdout}"
        );
        assert!(stdout.contains("15 家企业，替换了原有的 15 家"), "{stdout}");
        // Dates written 2023/3/20 by Excel are YYYY-MM-DD again; codes stay text.
        assert_eq!(merged.unwrap(), expected, "{name}");
    }
}

/// The CSV with another delimiter (fields quoted by the csv writer where needed).
fn rewrite(text: &str, delimiter: u8) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    for record in reader.records() {
        writer.write_record(&record.unwrap()).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
fn every_row_problem_is_reported_at_its_line_and_column() {
    let text = csv_text();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[0] = lines[0].replacen("联系人手机", "联系人手机号", 1);
    // Line 3: a credit code Excel turned into a number; line 4: a date that is none and a
    // status that is not the form's; line 5: a cell too few.
    let edit = |line: &str, col: usize, value: &str| {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[col] = value;
        cells.join(",")
    };
    lines[2] = edit(&lines[2], 1, "9.13304E+17");
    lines[3] = edit(&edit(&lines[3], 3, "2023/13/1"), 4, "已入驻");
    lines[4] = lines[4].rsplit_once(',').unwrap().0.to_owned();
    let (output, merged) = merge(lines.join("\r\n").as_bytes(), "名录.csv");
    assert_eq!(output.status.code(), Some(2));
    assert!(merged.is_none(), "nothing written");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "名录.csv:1:8: 未知的表头“联系人手机号”",
        "是不是“联系人手机”？",
        "名录.csv:3:2: 第 2 家企业（嘉兴数橙信息技术有限公司）的企业统一社会信用代码：“9.13304E+17”是科学计数法",
        "名录.csv:4:4: 第 3 家企业（嘉兴澄码网络科技有限公司）的入驻日期：“2023/13/1”不是日期",
        "名录.csv:4:5: 第 3 家企业（嘉兴澄码网络科技有限公司）的企业状态：“已入驻”不是登记表的选项；是不是“入驻”？",
        "名录.csv:5: 这一行有 21 列，表头有 22 列",
        "did you mean 联系人手机 (contact.mobile)?",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
}

#[test]
fn an_undecodable_or_empty_csv_is_refused() {
    let (output, _) = merge(&[0xFF, 0x00, 0x81, 0x20, 0x80, 0xFF], "bad.csv");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("无法按 UTF-8 / GBK / GB18030 解码"));
    let (output, _) = merge(b"\r\n\r\n", "empty.csv");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("文件是空的"));
}

// ---- never over the input, never over an existing file ----

#[test]
fn the_input_is_never_overwritten_and_an_existing_output_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("park.yaml");
    std::fs::copy(
        root().join("fixtures/examples/puyuan-sweater-park.yaml"),
        &input,
    )
    .unwrap();
    let before = std::fs::read(&input).unwrap();
    let run = |out: &Path, force: bool| {
        let mut cmd = parkcheck();
        cmd.arg("convert")
            .arg(&input)
            .arg("-o")
            .arg(out)
            .args(["--to", "yaml"]);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    // The same path, through a symlink, through a hard link, with --force or not.
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let hard = dir.path().join("hard.yaml");
    std::fs::hard_link(&input, &hard).unwrap();
    let dotted = dir.path().join(".").join("park.yaml");
    for out in [&input, &link, &hard, &dotted] {
        for force in [false, true] {
            let output = run(out, force);
            assert_eq!(output.status.code(), Some(2), "{}", out.display());
            assert!(String::from_utf8_lossy(&output.stderr).contains("它就是输入文件"));
            assert_eq!(std::fs::read(&input).unwrap(), before);
        }
    }
    // An existing output: refused, then replaced with --force.
    let out = dir.path().join("out.yaml");
    std::fs::write(&out, "keep me").unwrap();
    let output = run(&out, false);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("已存在，未覆盖"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    assert!(run(&out, true).status.success());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("format: parkcheck/v1")
    );
    // Nothing but the files made here: no temporary left behind.
    let names: BTreeSet<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["hard.yaml", "link.yaml", "out.yaml", "park.yaml"]
            .map(String::from)
            .into()
    );
}

#[test]
fn the_tenant_list_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("名录.csv");
    std::fs::copy(root().join("fixtures/csv/名录-utf8.csv"), &list).unwrap();
    let output = parkcheck()
        .args([
            "convert",
            "fixtures/examples/xiuzhou-digital-service-park.yaml",
            "--to",
            "yaml",
            "--force",
            "--tenants",
        ])
        .arg(&list)
        .arg("-o")
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("它就是企业名录"));
    assert_eq!(std::fs::read_to_string(&list).unwrap(), csv_text());
}

#[test]
fn an_unreadable_input_or_an_unknown_format_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    for (input, said) in [
        ("fixtures/no-such-file.yaml", "无法读取输入文件"),
        ("fixtures/structural/gbk-encoded.yaml", "GBK"),
        ("fixtures/structural/syntax-error.yaml", "无法读取输入文件"),
        ("fixtures/structural/duplicate-key.yaml", "无法读取输入文件"),
    ] {
        let output = parkcheck()
            .args(["convert", input, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{input}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(all.contains(said), "{input}: {all}");
        assert!(!out.exists());
    }
    let output = parkcheck()
        .args([
            "convert",
            "fixtures/examples/puyuan-sweater-park.yaml",
            "-o",
        ])
        .arg(dir.path().join("out.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--to yaml|json|xlsx"));
    // A number YAML reads but the conversion would rewrite: refused, located.
    let hex = dir.path().join("hex.yaml");
    let text =
        std::fs::read_to_string(root().join("fixtures/examples/puyuan-sweater-park.yaml")).unwrap();
    std::fs::write(
        &hex,
        text.replacen("planned_area_mu: 260", "planned_area_mu: 0x104", 1),
    )
    .unwrap();
    let output = parkcheck()
        .arg("convert")
        .arg(&hex)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("hex.yaml:"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
