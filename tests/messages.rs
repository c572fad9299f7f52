//! Schema messages as an operator reads them (issue 13, item 16): a tenant by its place counted
//! from 1 and its name, help for a missing field, a value wrong in one way said once, plain
//! English, the number alone, the missing sections in one finding.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{parkcheck, root};
use serde_json::Value;

/// The findings of `text` checked as a submission (JSON report).
fn findings(text: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.yaml");
    std::fs::write(&path, text).unwrap();
    let output = parkcheck()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["findings"].as_array().unwrap().clone()
}

fn example() -> String {
    std::fs::read_to_string(root().join("fixtures/examples/puyuan-sweater-park.yaml")).unwrap()
}

/// `text` with the first `from` replaced by `to` (which must be there).
fn edited(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn a_tenant_is_named_by_its_place_from_one_and_its_name() {
    let text = example();
    // The fourth tenant's status.
    let statuses: Vec<usize> = text
        .match_indices("    status: 入驻")
        .map(|(i, _)| i)
        .collect();
    let at = statuses[3];
    let text = format!(
        "{}    status: 在园{}",
        &text[..at],
        &text[at + "    status: 入驻".len()..]
    );
    let f = findings(&text);
    let status = f
        .iter()
        .find(|f| f["pointer"] == "/tenants/3/status")
        .unwrap();
    let zh = status["message"]["zh"].as_str().unwrap();
    let en = status["message"]["en"].as_str().unwrap();
    assert!(zh.starts_with("名录第 4 家企业「"), "{zh}");
    assert!(
        !zh.contains("tenants[3]") && !en.contains("tenants[3]"),
        "{zh} / {en}"
    );
    assert!(en.contains("of tenant 4 of the list ("), "{en}");
}

#[test]
fn a_value_wrong_in_one_way_is_said_once_with_the_form_meant() {
    let f = findings(&edited(
        &example(),
        "as_of: 2025-12-31",
        "as_of: 2025/12/31",
    ));
    let at: Vec<&Value> = f.iter().filter(|f| f["pointer"] == "/as_of").collect();
    assert_eq!(at.len(), 1, "{at:#?}");
    assert!(
        at[0]["help"]["en"]
            .as_str()
            .unwrap()
            .ends_with(": 2025-12-31")
    );
}

#[test]
fn numbers_with_units_or_separators_get_the_number_alone() {
    for (typed, meant) in [("256亩", "256"), ("\"6,800\"", "6800"), ("１２０", "120")] {
        let f = findings(&edited(
            &example(),
            "actual_area_mu: 256",
            &format!("actual_area_mu: {typed}"),
        ));
        let area = f
            .iter()
            .find(|f| f["pointer"] == "/land/actual_area_mu")
            .unwrap_or_else(|| panic!("{typed}: {f:#?}"));
        let en = area["message"]["en"].as_str().unwrap();
        assert!(en.contains("should be a number, but is a text"), "{en}");
        assert!(!en.contains("must be number"), "{en}");
        let help = area["help"]["en"].as_str().unwrap();
        assert!(
            help.starts_with("write the number alone") && help.ends_with(meant),
            "{help}"
        );
    }
    let f = findings(&edited(
        &example(),
        "actual_area_mu: 256",
        "actual_area_mu:",
    ));
    let area = f
        .iter()
        .find(|f| f["pointer"] == "/land/actual_area_mu")
        .unwrap();
    let en = area["message"]["en"].as_str().unwrap();
    assert!(
        en.contains("is empty; it should be a number") && !en.contains("``"),
        "{en}"
    );
}

#[test]
fn a_missing_field_says_what_to_write() {
    let f = findings(&edited(&example(), "  region_code: \"330483\"\n", ""));
    let missing = f
        .iter()
        .find(|f| {
            f["message"]["en"]
                .as_str()
                .unwrap()
                .contains("lacks the required field `region_code`")
        })
        .unwrap_or_else(|| panic!("{f:#?}"));
    let help = missing["help"]["en"].as_str().unwrap();
    assert!(
        help.contains("expected:") && help.contains("example: region_code: "),
        "{help}"
    );
}

#[test]
fn missing_sections_are_one_finding() {
    let f = findings("format: parkcheck/v1\nkind: filing\nas_of: 2025-12-31\n");
    let schema: Vec<&Value> = f.iter().filter(|f| f["rule"] == "SCHEMA").collect();
    assert_eq!(schema.len(), 1, "{schema:#?}");
    let en = schema[0]["message"]["en"].as_str().unwrap();
    for section in ["`park`", "`land`", "`buildings`", "`operator`", "`tenants`"] {
        assert!(en.contains(section), "{en}");
    }
}

#[test]
fn english_output_has_no_chinese_counts() {
    let output = parkcheck()
        .args([
            "check",
            "--lang",
            "en",
            "--color",
            "never",
            "fixtures/failing/zj-form-monthly-rent.yaml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(" items  (/tenants)"), "{text}");
    assert!(!text.contains("项"), "{text}");
}

/// A file that is not a mapping is told what a submission is, not the schema's internal notes;
/// the catalogue the project cites is in the repository.
#[test]
fn a_file_that_is_not_a_mapping_is_told_what_a_submission_is() {
    let f = findings("- a\n- b\n");
    let root = f.iter().find(|f| f["pointer"] == "").unwrap();
    let help = root["help"]["zh"].as_str().unwrap();
    assert!(
        !help.contains("x-rule") && help.contains("format: parkcheck/v1"),
        "{help}"
    );
    assert!(!root["message"]["en"].as_str().unwrap().contains("`array`"));
    assert!(root.to_string().len() < 2000);
    // Every mention of domain.md is of the copy in docs/.
    assert!(common::root().join("docs/domain.md").is_file());
    for file in [
        "README.md",
        "schemas/submission.v1.schema.json",
        "catalogue.yaml",
    ] {
        let text = std::fs::read_to_string(common::root().join(file)).unwrap();
        for (i, _) in text.match_indices("domain.md") {
            assert!(
                text[..i].ends_with("docs/"),
                "{file} cites domain.md outside docs/"
            );
        }
    }
}

/// The findings at `line:column` of `text`.
fn at(findings: &[Value], line: u64, column: u64) -> Vec<&Value> {
    findings
        .iter()
        .filter(|f| f["line"] == line && f["column"] == column)
        .collect()
}

/// The 1-based line and column (in characters) of the first `needle` in `text`.
fn place(text: &str, needle: &str) -> (u64, u64) {
    let i = text.find(needle).unwrap();
    let line = text[..i].matches('\n').count() as u64 + 1;
    let start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    (line, text[start..i].chars().count() as u64 + 1)
}

/// `text` with `from` replaced by `to` checked: one finding at the first `needle`, whose
/// Chinese message names the character (`word`), and nothing else said of its value. Returns
/// the findings.
fn named_once(from: &str, to: &str, needle: &str, word: &str) -> Vec<Value> {
    let text = edited(&example(), from, to);
    let f = findings(&text);
    let (line, column) = place(&text, needle);
    let here = at(&f, line, column);
    assert_eq!(here.len(), 1, "{f:#?}");
    let zh = here[0]["message"]["zh"].as_str().unwrap();
    assert!(zh.contains(word), "{zh}");
    assert!(
        here[0]["help"]["zh"].as_str().unwrap().contains("输入法"),
        "{f:#?}"
    );
    let pointer = &here[0]["pointer"];
    assert!(
        pointer.is_null() || f.iter().filter(|x| &x["pointer"] == pointer).count() == 1,
        "said twice: {f:#?}"
    );
    f
}

#[test]
fn a_full_width_colon_is_named_at_the_character() {
    // Typed with a Chinese input method: the key above a nested mapping breaks the syntax …
    let f = named_once("  staff: 26\n", "  staff：26\n", "：26", "全角冒号");
    assert_eq!(f[0]["rule"], "PARSE");
    assert!(f[0]["message"]["zh"].as_str().unwrap().contains("半角冒号"));
    assert_eq!(f.len(), 1, "one finding, not its echoes: {f:#?}");
    // … and a value that reads as text where a mapping was meant is named the same way.
    named_once(
        "  dev_mode: 政府主导开发",
        "  dev_mode：政府主导开发",
        "：政府",
        "全角冒号",
    );
}

#[test]
fn a_full_width_space_bracket_or_comma_is_named_once() {
    // An indentation of U+3000: one finding at the space, not 「park 为空」 and 「未知字段「　name」」.
    let f = named_once(
        "  name: 濮院毛衫创新园",
        "\u{3000}name: 濮院毛衫创新园",
        "\u{3000}name",
        "全角空格",
    );
    for finding in &f {
        let zh = finding["message"]["zh"].as_str().unwrap();
        assert!(!zh.contains("\u{3000}name"), "an echo: {zh}");
        assert_ne!(finding["pointer"], "/park", "an echo: {zh}");
    }
    named_once(
        "  use: [工业用地]",
        "  use: ［工业用地］",
        "［",
        "全角方括号",
    );
    named_once(
        "[食堂餐饮, 宿舍公寓,",
        "[食堂餐饮，宿舍公寓,",
        "，",
        "全角逗号",
    );
}

/// The human report of `parkcheck check` on a file named `name` holding `bytes`.
fn human(name: &str, bytes: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let output = parkcheck()
        .args(["check", "--color", "never"])
        .arg(&path)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// A workbook is read by its bytes whatever its name; one without the form's sheets is told so,
/// with the way to the template, and nothing of its bytes is shown.
#[test]
fn a_workbook_renamed_yaml_is_read_as_a_workbook_without_a_snippet_of_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("book.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "园区名称").unwrap();
    book.save(&xlsx).unwrap();
    let (code, out) = human("园区申报.yaml", &std::fs::read(&xlsx).unwrap());
    assert_eq!(code, Some(2), "{out}");
    // Read as the workbook it is (its bytes win over its name), which has no sheet of the form.
    assert!(
        out.contains("PARSE") && out.contains("工作簿中没有申报表的工作表"),
        "{out}"
    );
    assert!(out.contains("it has: Sheet1"), "{out}");
    assert!(out.contains("parkcheck template"), "{out}");
    assert!(!out.contains("iconv") && !out.contains("GB18030"), "{out}");
    assert!(
        !out.contains("PK") && !out.contains("Content_Types"),
        "{out}"
    );
    assert!(!out.contains("1 │"), "a snippet of its bytes: {out}");
}

#[test]
fn utf16_gets_utf16_advice_and_its_text_as_the_snippet() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "park:\n  name: 清禾园\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let (code, out) = human("park.yaml", &bytes);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("UTF-16LE") && out.contains("-f UTF-16"),
        "{out}"
    );
    assert!(!out.contains("GB18030"), "{out}");
    assert!(
        out.contains("name: 清禾园"),
        "the text, not its bytes: {out}"
    );
}
