//! Properties over generated submissions, valid and slightly broken (absent fields, wrong types,
//! unknown keys, odd strings, any number of tenants): every finding points inside the file at a
//! value that is there, and the JSON and YAML encodings of one submission get the same findings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::fmt::Write as _;
use std::sync::OnceLock;

use parkcheck::document::{Document, Limits, Pointer, Syntax, load_bytes};
use parkcheck::finding::FileReport;
use parkcheck::run::{Run, Timings};
use parkcheck::schema::Schema;
use proptest::prelude::*;
use serde_json::{Map, Value as Json};

use common::{bundled_engine, root};

fn checker() -> &'static Run {
    static CHECKER: OnceLock<Run> = OnceLock::new();
    CHECKER.get_or_init(|| {
        Run::new(
            Schema::bundled().unwrap(),
            Some(bundled_engine()),
            Limits::default(),
        )
    })
}

/// The clean structural base (a filing with ten tenants), as JSON.
fn base() -> &'static Json {
    static BASE: OnceLock<Json> = OnceLock::new();
    BASE.get_or_init(|| {
        let bytes = std::fs::read(root().join("fixtures/structural/bom-crlf.yaml")).unwrap();
        let doc = load_bytes("base.yaml", bytes, Syntax::Yaml, &Limits::default()).unwrap();
        doc.root.to_json()
    })
}

/// One change to the base submission.
#[derive(Debug, Clone)]
enum Edit {
    /// Drop the field at this (pre-order) position.
    Remove(usize),
    /// Put this value at this position instead of what is there.
    Replace(usize, Json),
    /// Add an unknown key to the mapping at this position.
    Unknown(usize, String, Json),
}

/// A scalar of any JSON type, with strings that YAML treats specially.
fn scalar() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        (-1.0e12..1.0e12f64).prop_map(Json::from),
        prop_oneof![
            Just("2024-01-01".to_owned()),
            Just("0x1F".to_owned()),
            Just("1_000".to_owned()),
            Just("no".to_owned()),
            Just("null".to_owned()),
            Just("~".to_owned()),
            Just("- a: b".to_owned()),
            Just("# 不是注释".to_owned()),
            Just("\"quoted\" 'and' \\ back".to_owned()),
            Just("line\nbreak\ttab".to_owned()),
            Just("*alias &anchor !!tag".to_owned()),
            // Beyond the Basic Multilingual Plane: a rare CJK character (Extension B) in a
            // name, emoji in free text; escaped as surrogate pairs when the encoding is ASCII.
            Just("𠮷野家（桐乡）餐饮有限公司".to_owned()),
            Just("好评😀👍🏻".to_owned()),
            // Characters JSON must escape, and escapes' look-alikes.
            Just("nul\u{0}soh\u{1}del\u{7f}".to_owned()),
            Just("\\ud842\\udfb7 not an escape".to_owned()),
            Just("/ \\/ \u{8}\u{c}\r".to_owned()),
            "[\u{20000}-\u{2a6df}😀-🙏a-z]{1,6}",
            "[a-z0-9 :_-]{0,12}",
            "[\u{4e00}-\u{9fa5}]{1,8}",
        ]
        .prop_map(Json::String),
    ]
}

fn value() -> impl Strategy<Value = Json> {
    scalar().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Json::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                .prop_map(|m| Json::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Remove),
        (any::<usize>(), value()).prop_map(|(at, v)| Edit::Replace(at, v)),
        (any::<usize>(), "[a-z_]{1,10}", scalar()).prop_map(|(at, k, v)| Edit::Unknown(at, k, v)),
    ]
}

/// A submission: the base with some of its tenants, then a few edits.
fn submission() -> impl Strategy<Value = Json> {
    (
        prop::collection::vec(0..10usize, 0..6),
        prop::collection::vec(edit(), 0..4),
    )
        .prop_map(|(tenants, edits)| {
            let mut doc = base().clone();
            let all = doc["tenants"].as_array().cloned().unwrap_or_default();
            doc["tenants"] = Json::Array(
                tenants
                    .iter()
                    .filter_map(|&i| all.get(i).cloned())
                    .collect(),
            );
            for edit in edits {
                apply(&mut doc, edit);
            }
            doc
        })
}

/// The pointers of every value below the root, in pre-order.
fn pointers(value: &Json) -> Vec<Pointer> {
    let mut out = Vec::new();
    let mut todo = vec![(Pointer::root(), value)];
    while let Some((pointer, value)) = todo.pop() {
        match value {
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    todo.push((pointer.join(&i.to_string()), item));
                }
            }
            Json::Object(map) => {
                for (k, v) in map.iter().rev() {
                    todo.push((pointer.join(k), v));
                }
            }
            _ => {}
        }
        out.push(pointer);
    }
    out
}

fn apply(doc: &mut Json, edit: Edit) {
    let all = pointers(doc);
    let pick = |at: usize| all.get(at % all.len()).cloned().unwrap_or_default();
    match edit {
        Edit::Remove(at) => {
            let pointer = pick(at);
            if let Some((parent, last)) = pointer.split_last() {
                match doc.pointer_mut(parent.as_str()) {
                    Some(Json::Object(map)) => {
                        map.remove(&last);
                    }
                    Some(Json::Array(items)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            if i < items.len() {
                                items.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Edit::Replace(at, value) => {
            let pointer = pick(at);
            if let Some(slot) = doc.pointer_mut(pointer.as_str()) {
                *slot = value;
            }
        }
        Edit::Unknown(at, key, value) => {
            let pointer = pick(at);
            if let Some(Json::Object(map)) = doc.pointer_mut(pointer.as_str()) {
                map.entry(key).or_insert(value);
            }
        }
    }
}

/// How a generated submission is written out.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// Every character outside ASCII escaped, as Python's `json.dumps` writes by default:
    /// `\u4e2d`, and a character beyond the Basic Multilingual Plane as a surrogate pair
    /// (`\ud842\udfb7`). In YAML, for the double-quoted strings.
    ascii: bool,
    /// JSON on one line, without whitespace.
    minified: bool,
}

/// `text` with every character outside ASCII written as `\uXXXX` escapes (UTF-16 code units).
/// Applied to JSON text, whose characters outside ASCII are all inside strings.
fn ascii_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

fn json(value: &Json, style: Style) -> String {
    let text = if style.minified {
        serde_json::to_string(value).unwrap()
    } else {
        serde_json::to_string_pretty(value).unwrap()
    };
    if style.ascii {
        ascii_escaped(&text)
    } else {
        text
    }
}

/// Block-style YAML 1.2 for a JSON value: strings plain when they read back as the same string,
/// otherwise double-quoted (a JSON string is a valid YAML double-quoted scalar, its escaped
/// surrogate pairs included).
fn yaml(value: &Json, style: Style) -> String {
    let mut out = String::new();
    match value {
        Json::Object(map) if !map.is_empty() => block(&mut out, value, 0, style),
        Json::Array(items) if !items.is_empty() => block(&mut out, value, 0, style),
        other => {
            out.push_str(&inline(other, style));
            out.push('\n');
        }
    }
    out
}

fn block(out: &mut String, value: &Json, indent: usize, style: Style) {
    let pad = " ".repeat(indent);
    match value {
        Json::Object(map) => {
            for (k, v) in map {
                let _ = write!(out, "{pad}{}:", key(k, style));
                nested(out, v, indent, style);
            }
        }
        Json::Array(items) => {
            for v in items {
                let _ = write!(out, "{pad}-");
                nested(out, v, indent, style);
            }
        }
        _ => {}
    }
}

fn nested(out: &mut String, value: &Json, indent: usize, style: Style) {
    match value {
        Json::Object(m) if !m.is_empty() => {
            out.push('\n');
            block(out, value, indent + 2, style);
        }
        Json::Array(a) if !a.is_empty() => {
            out.push('\n');
            block(out, value, indent + 2, style);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other, style));
            out.push('\n');
        }
    }
}

fn quoted(s: &str, style: Style) -> String {
    let text = serde_json::to_string(s).unwrap();
    if style.ascii {
        ascii_escaped(&text)
    } else {
        text
    }
}

fn key(k: &str, style: Style) -> String {
    if plain_ok(k) {
        k.to_owned()
    } else {
        quoted(k, style)
    }
}

fn inline(value: &Json, style: Style) -> String {
    match value {
        Json::String(s) if plain_ok(s) => s.clone(),
        Json::String(s) => quoted(s, style),
        Json::Object(_) => "{}".to_owned(),
        Json::Array(_) => "[]".to_owned(),
        other => serde_json::to_string(other).unwrap(),
    }
}

/// Whether a string can be written plain and still read back as that string under the core
/// schema: letters (any script), digits, `_` and `-`, not starting with a digit, sign or dot,
/// and not a word the core schema reads as null or a boolean.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    !first.is_ascii_digit()
        && !matches!(first, '-' | '+' | '.')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        && !matches!(s.to_ascii_lowercase().as_str(), "null" | "true" | "false")
}

fn check(name: &str, text: &str, json: bool) -> (Option<Document>, FileReport) {
    let limits = Limits::default();
    let syntax = if json { Syntax::Json } else { Syntax::Yaml };
    match load_bytes(name, text.as_bytes().to_vec(), syntax, &limits) {
        Ok(doc) => {
            let report = checker().check_document(doc.clone(), None, &mut Timings::default());
            (Some(doc), report)
        }
        Err(unloadable) => (None, FileReport::from(unloadable)),
    }
}

/// Every finding has a span inside the text, on character boundaries, and its pointer (if any)
/// names a value of the document or a key of a mapping in it.
fn assert_located(doc: &Document, report: &FileReport) -> Result<(), TestCaseError> {
    let text = doc.source.text();
    for f in &report.findings {
        let span = f
            .span
            .ok_or_else(|| TestCaseError::fail(format!("{} has no span", f.rule)))?;
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "{} span {span:?} outside {}",
            f.rule,
            text.len()
        );
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        if let Some(pointer) = &f.pointer {
            prop_assert!(
                doc.get(pointer).is_some() || doc.key_span(pointer).is_some(),
                "{} points at {pointer}, which is not in the document",
                f.rule
            );
            let node = doc.get(pointer).map(|n| n.span);
            let key = doc.key_span(pointer);
            prop_assert!(
                [node, key].into_iter().flatten().any(|s| {
                    s.start <= span.start && span.end <= s.end.max(span.start)
                        || (span.start <= s.start && s.end <= span.end)
                }) || pointer.as_str().is_empty(),
                "{} at {pointer}: span {span:?} is neither inside nor around the value {node:?} or key {key:?}",
                f.rule
            );
        }
    }
    Ok(())
}

/// What a finding says, without where (line numbers differ between the encodings).
fn said(report: &FileReport) -> Vec<String> {
    let mut out: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {} {}",
                f.rule,
                f.pointer.as_ref().map(Pointer::as_str),
                f.severity.as_str(),
                f.message.en
            )
        })
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        // A few seconds in a debug build; PROPTEST_CASES=5000 for a deeper run.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn findings_point_inside_and_encodings_agree(
        submission in submission(),
        ascii in any::<bool>(),
        minified in any::<bool>(),
    ) {
        let style = Style { ascii, minified };
        let json_text = json(&submission, style);
        let yaml_text = yaml(&submission, style);
        let (json_doc, json_report) = check("s.json", &json_text, true);
        let (yaml_doc, yaml_report) = check("s.yaml", &yaml_text, false);
        let json_doc = json_doc.ok_or_else(|| TestCaseError::fail(format!("JSON did not load: {:?}\n{json_text}", json_report.findings)))?;
        let yaml_doc = yaml_doc.ok_or_else(|| TestCaseError::fail(format!("YAML did not load: {:?}\n{yaml_text}", yaml_report.findings)))?;
        prop_assert_eq!(json_doc.root.to_json(), yaml_doc.root.to_json(), "the YAML reads back differently:\n{}", yaml_text);
        assert_located(&json_doc, &json_report)?;
        assert_located(&yaml_doc, &yaml_report)?;
        prop_assert_eq!(said(&json_report), said(&yaml_report), "{}", yaml_text);
    }
}
