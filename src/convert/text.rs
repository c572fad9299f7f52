//! A document as YAML or JSON text: the tree's order kept, every value written so that the
//! loaders read back the same tree.
//!
//! The YAML is written by this small emitter rather than by a crate: the maintained emitters
//! (serde_yaml is archived; saphyr's emitter writes what its parser reads but quotes by YAML
//! 1.2 only and has no option to quote strings that YAML 1.1 tools — PyYAML, Excel add-ins,
//! older editors — would read as dates, booleans or numbers) either retype `"0573…"`, `是`
//! or `2025-12-31` for some reader or lose the order. This one writes block style, quotes every
//! string that any YAML version could read as something else, and writes Chinese as Chinese.

use crate::document::{Node, Value};

/// Why a tree cannot be written as JSON: the value at `pointer` has no JSON form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotJson {
    pub pointer: String,
}

/// The document as YAML, with a header comment naming where it was converted from.
#[must_use]
pub fn to_yaml(root: &Node, from: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# 由 parkcheck convert 从 {from} 转换；原文件中的注释不会带过来。\n# Converted by parkcheck convert from {from}; comments of the original are not carried over.\n"
    ));
    match &root.value {
        Value::Map(entries) if !entries.is_empty() => {
            for entry in entries {
                write_entry(&mut out, &entry.key, &entry.value, 0);
            }
        }
        _ => {
            out.push_str(&inline(root, false).unwrap_or_else(|| "{}".into()));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_entry(out: &mut String, key: &str, value: &Node, depth: usize) {
    indent(out, depth);
    out.push_str(&string(key, false));
    out.push(':');
    if let Some(text) = inline(value, true) {
        out.push(' ');
        out.push_str(&text);
        out.push('\n');
        return;
    }
    out.push('\n');
    match &value.value {
        Value::Map(entries) => {
            for entry in entries {
                write_entry(out, &entry.key, &entry.value, depth + 2);
            }
        }
        Value::Seq(items) => {
            for item in items {
                write_item(out, item, depth + 2);
            }
        }
        _ => {}
    }
}

fn write_item(out: &mut String, item: &Node, depth: usize) {
    indent(out, depth);
    out.push('-');
    if let Some(text) = inline(item, true) {
        out.push(' ');
        out.push_str(&text);
        out.push('\n');
        return;
    }
    match &item.value {
        Value::Map(entries) => {
            // The first entry on the dash's line, the others under it.
            let mut first = true;
            for entry in entries {
                if first {
                    let mut line = String::new();
                    write_entry(&mut line, &entry.key, &entry.value, depth + 2);
                    out.push(' ');
                    out.push_str(line.get(depth + 2..).unwrap_or_default());
                    first = false;
                } else {
                    write_entry(out, &entry.key, &entry.value, depth + 2);
                }
            }
        }
        Value::Seq(items) => {
            out.push('\n');
            for inner in items {
                write_item(out, inner, depth + 2);
            }
        }
        _ => out.push('\n'),
    }
}

/// The longest flow sequence of scalars written on one line.
const FLOW_WIDTH: usize = 80;

/// A node on one line, when it is a scalar, an empty collection, or (with `flow`) a short
/// sequence of scalars.
fn inline(node: &Node, flow: bool) -> Option<String> {
    match &node.value {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(yaml_float(*f)),
        Value::Str(s) => Some(string(s, false)),
        Value::Map(entries) if entries.is_empty() => Some("{}".into()),
        Value::Seq(items) if items.is_empty() => Some("[]".into()),
        Value::Seq(items) if flow => {
            let mut parts = Vec::new();
            for item in items {
                parts.push(match &item.value {
                    Value::Str(s) => string(s, true),
                    Value::Map(_) | Value::Seq(_) => return None,
                    _ => inline(item, false)?,
                });
            }
            let text = format!("[{}]", parts.join(", "));
            (text.chars().count() <= FLOW_WIDTH).then_some(text)
        }
        _ => None,
    }
}

/// A float as YAML 1.2 reads it back as the same float (never as an integer).
fn yaml_float(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        }
    } else {
        json_float(f).unwrap_or_else(|| f.to_string())
    }
}

/// The shortest text that reads back as `f`, always with a `.` or an exponent.
fn json_float(f: f64) -> Option<String> {
    let text = serde_json::Number::from_f64(f)?.to_string();
    Some(if text.contains(['.', 'e', 'E']) {
        text
    } else {
        format!("{text}.0")
    })
}

/// Words some YAML version reads as a boolean or null.
const RETYPED_WORDS: &[&str] = &[
    "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf",
    ".nan", "<<", "=",
];

/// A string as a plain scalar when no YAML reader could take it for anything else, or else
/// double-quoted with escapes.
fn string(s: &str, in_flow: bool) -> String {
    if plain_is_safe(s, in_flow) {
        s.to_owned()
    } else {
        double_quoted(s)
    }
}

fn plain_is_safe(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let last = s.chars().next_back().unwrap_or(first);
    if first.is_whitespace() || last.is_whitespace() {
        return false;
    }
    // Indicators, and anything that starts like a number, a date or a time in any YAML.
    if "-?:,[]{}#&*!|>'\"%@`+.0123456789".contains(first) {
        return false;
    }
    if RETYPED_WORDS.iter().any(|w| s.eq_ignore_ascii_case(w)) {
        return false;
    }
    if s.contains(':') || s.contains(" #") || s.contains('\t') {
        return false;
    }
    if in_flow && s.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    s.chars().all(|c| printable(c) && !matches!(c, '\n' | '\r'))
}

/// YAML's printable set, without the characters some readers take for line breaks (NEL, LS,
/// PS) or drop (the byte-order mark).
fn printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if printable(c) => out.push(c),
            c if u32::from(c) <= 0xFF => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c if u32::from(c) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// The document as pretty JSON (two spaces), in the tree's order.
///
/// # Errors
/// A non-finite number (`.inf`, `.nan`), which JSON cannot write.
pub fn to_json(root: &Node) -> Result<String, NotJson> {
    let mut out = String::new();
    write_json(&mut out, root, 0, &mut String::new())?;
    out.push('\n');
    Ok(out)
}

fn write_json(out: &mut String, node: &Node, depth: usize, at: &mut String) -> Result<(), NotJson> {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(&b.to_string()),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => match json_float(*f) {
            Some(text) => out.push_str(&text),
            None => {
                return Err(NotJson {
                    pointer: at.clone(),
                });
            }
        },
        Value::Str(s) => out.push_str(&json_string(s)),
        Value::Seq(items) if items.is_empty() => out.push_str("[]"),
        Value::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                indent(out, depth + 2);
                let len = at.len();
                at.push_str(&format!("/{i}"));
                write_json(out, item, depth + 2, at)?;
                at.truncate(len);
            }
            out.push('\n');
            indent(out, depth);
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                indent(out, depth + 2);
                out.push_str(&json_string(&entry.key));
                out.push_str(": ");
                let len = at.len();
                at.push('/');
                at.push_str(&crate::document::escape_token(&entry.key));
                write_json(out, &entry.value, depth + 2, at)?;
                at.truncate(len);
            }
            out.push('\n');
            indent(out, depth);
            out.push('}');
        }
    }
    Ok(())
}

fn json_string(s: &str) -> String {
    // serde_json escapes what JSON requires and writes the rest (Chinese) as it is.
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::document::{Limits, Syntax, load_bytes};

    fn round_trip(yaml: &str) {
        let doc = load_bytes(
            "a.yaml",
            yaml.as_bytes().to_vec(),
            Syntax::Yaml,
            &Limits::default(),
        )
        .unwrap();
        let written = to_yaml(&doc.root, "a.yaml");
        let back = load_bytes(
            "b.yaml",
            written.clone().into_bytes(),
            Syntax::Yaml,
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{written}\n{:?}", e.error));
        assert_eq!(back.root.to_json(), doc.root.to_json(), "{written}");
        let json = to_json(&doc.root).unwrap();
        let back = load_bytes(
            "c.json",
            json.clone().into_bytes(),
            Syntax::Json,
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{json}\n{:?}", e.error));
        assert_eq!(back.root.to_json(), doc.root.to_json(), "{json}");
    }

    #[test]
    fn strings_that_would_retype_are_quoted_and_chinese_stays_chinese() {
        let doc = load_bytes(
            "a.yaml",
            "a: \"0573-8888\"\nb: \"是\"\nc: \"2025-12-31\"\nd: 濮院\ne: \"yes\"\nf: 1.0\ng: \"on\"\n"
                .as_bytes()
                .to_vec(),
            Syntax::Yaml,
            &Limits::default(),
        )
        .unwrap();
        let out = to_yaml(&doc.root, "a.yaml");
        assert!(out.contains("a: \"0573-8888\"\n"), "{out}");
        assert!(out.contains("b: 是\n"), "{out}");
        assert!(out.contains("c: \"2025-12-31\"\n"), "{out}");
        assert!(out.contains("d: 濮院\n"), "{out}");
        assert!(out.contains("e: \"yes\"\n"), "{out}");
        assert!(out.contains("f: 1.0\n"), "{out}");
        assert!(out.contains("g: \"on\"\n"), "{out}");
        assert!(
            out.starts_with("# 由 parkcheck convert 从 a.yaml 转换"),
            "{out}"
        );
    }

    #[test]
    fn odd_values_round_trip() {
        round_trip(
            "a: [x, \"a, b\", \"[c]\", 3, null, true]\nb:\n  - - 1\n    - []\n  - {}\n  - k: \"- v\"\n    j: \"# no\"\nc: \"line\\nbreak\\ttab \\\" \\\\ \\0 \\x7F \\u2028 \\uFEFF\"\nd: -0.0\ne: 1e300\nf: 12345678901234567\ng: \" lead\"\n\"1\": key\n\"key: x\": 𠮷\n",
        );
    }
}
