//! FORM-023: a tenant listed twice in one park — two rows of the tenant list with the same
//! unified social credit code, or two present (入驻) rows with the same name.
//!
//! A CEL rule cannot do this in linear time (it would compare every row with every other, and
//! the rulebook loader refuses list operations nested in list operations), so it is a typed
//! check: one pass over the list with an index by code and one by name. The rule's entry in
//! `rules/zj-form.yaml` (`builtin: duplicate_tenants`) gives its title, source, severity and help;
//! the engine turns what this finds into findings (`Run::duplicate_tenants`).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::document::{Node, Value};

/// A row that repeats an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate {
    /// The later row (0-based), the one reported.
    pub index: usize,
    /// The first row it repeats.
    pub first: usize,
    /// The two rows have the same credit code (else: the same name, both present).
    pub same_code: bool,
    /// The two rows have the same name (as compared: see [`name_key`]).
    pub same_name: bool,
}

/// A credit code as compared: without surrounding white space, in upper case (a lower-case
/// code is FORM-018's to report; it is still the same enterprise).
fn code_key(code: &str) -> Cow<'_, str> {
    let code = code.trim();
    if code.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(code.to_ascii_uppercase())
    } else {
        Cow::Borrowed(code)
    }
}

/// A name as compared: white space removed, half-width brackets as the full-width ones that
/// registered names use (`嘉兴某某（平湖）有限公司` typed with `(` is the same name).
#[must_use]
pub fn name_key(name: &str) -> Cow<'_, str> {
    let plain = name
        .chars()
        .all(|c| !c.is_whitespace() && c != '(' && c != ')');
    if plain {
        return Cow::Borrowed(name);
    }
    Cow::Owned(
        name.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '(' => '（',
                ')' => '）',
                c => c,
            })
            .collect(),
    )
}

fn text<'a>(item: &'a Node, key: &str) -> Option<&'a str> {
    match &item.get(key)?.value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// The rows of `tenants` that repeat an earlier row, in list order. Linear in the number of
/// rows (two hash tables); a row that is not a mapping, or lacks a code or a name, is left to
/// the schema and compared on what it has.
#[must_use]
pub fn duplicates(tenants: &[Node]) -> Vec<Duplicate> {
    let mut codes: HashMap<Cow<'_, str>, usize> = HashMap::with_capacity(tenants.len());
    let mut names: HashMap<Cow<'_, str>, usize> = HashMap::new();
    let mut found = Vec::new();
    for (index, item) in tenants.iter().enumerate() {
        let code = text(item, "uscc").map(code_key).filter(|c| !c.is_empty());
        let name = text(item, "name").map(name_key).filter(|n| !n.is_empty());
        let present = text(item, "status") == Some("入驻");
        let by_code = code.and_then(|code| match codes.get(&code) {
            Some(&first) => Some(first),
            None => {
                codes.insert(code, index);
                None
            }
        });
        let by_name = match (present, name.clone()) {
            (true, Some(name)) => match names.get(&name) {
                Some(&first) => Some(first),
                None => {
                    names.insert(name, index);
                    None
                }
            },
            _ => None,
        };
        let Some(first) = by_code.or(by_name) else {
            continue;
        };
        let same_name = match (&name, tenants.get(first).and_then(|t| text(t, "name"))) {
            (Some(name), Some(other)) => *name == name_key(other),
            _ => false,
        };
        found.push(Duplicate {
            index,
            first,
            same_code: by_code.is_some(),
            same_name,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::document::{Document, Limits};
    use crate::source::SourceFile;

    fn rows(yaml: &str) -> Vec<Node> {
        let doc = Document::parse(SourceFile::new("t.yaml", yaml), &Limits::default()).unwrap();
        match &doc.root.get("tenants").unwrap().value {
            Value::Seq(items) => items.clone(),
            _ => panic!("no list"),
        }
    }

    #[test]
    fn the_later_row_is_reported_against_the_first() {
        let t = rows(
            "tenants:\n\
             - {name: 甲公司, uscc: A1, status: 入驻}\n\
             - {name: 乙公司, uscc: B2, status: 入驻}\n\
             - {name: 甲公司, uscc: A1, status: 入驻}\n\
             - {name: 丙公司, uscc: a1, status: 退出}\n",
        );
        assert_eq!(
            duplicates(&t),
            [
                Duplicate {
                    index: 2,
                    first: 0,
                    same_code: true,
                    same_name: true
                },
                Duplicate {
                    index: 3,
                    first: 0,
                    same_code: true,
                    same_name: false
                },
            ]
        );
    }

    #[test]
    fn the_same_name_counts_among_present_rows_only() {
        let t = rows(
            "tenants:\n\
             - {name: 甲公司, uscc: A1, status: 退出}\n\
             - {name: 甲公司, uscc: A2, status: 入驻}\n\
             - {name: ' 甲公司', uscc: A3, status: 入驻}\n\
             - {name: 丁(平湖)公司, uscc: D1, status: 入驻}\n\
             - {name: 丁（平湖）公司, uscc: D2, status: 入驻}\n",
        );
        let found = duplicates(&t);
        assert_eq!(
            found,
            [
                Duplicate {
                    index: 2,
                    first: 1,
                    same_code: false,
                    same_name: true
                },
                Duplicate {
                    index: 4,
                    first: 3,
                    same_code: false,
                    same_name: true
                },
            ]
        );
    }

    #[test]
    fn rows_without_a_code_or_a_name_are_compared_on_what_they_have() {
        let t = rows(
            "tenants:\n\
             - {name: 甲公司, status: 入驻}\n\
             - {uscc: A1, status: 入驻}\n\
             - 42\n\
             - {name: 甲公司, uscc: A1, status: 入驻}\n",
        );
        assert_eq!(
            duplicates(&t),
            [Duplicate {
                index: 3,
                first: 1,
                same_code: true,
                same_name: false
            }]
        );
        assert!(duplicates(&[]).is_empty());
    }

    #[test]
    fn linear_in_the_number_of_rows() {
        use std::fmt::Write;
        let mut yaml = String::from("tenants:\n");
        for i in 0..50_000 {
            let _ = writeln!(yaml, "- {{name: 企业{i}, uscc: C{i}, status: 入驻}}");
        }
        let _ = writeln!(yaml, "- {{name: 企业7, uscc: C7, status: 入驻}}");
        let t = rows(&yaml);
        let started = std::time::Instant::now();
        let found = duplicates(&t);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].index, found[0].first), (50_000, 7));
        // A quadratic pass would compare 1.25 × 10⁹ pairs; one pass takes milliseconds even in
        // a debug build on a loaded machine.
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
