//! The engine's fast path (`src/engine/fast.rs`) decides exactly as cel does: every fixture,
//! and variants of them with values of every kind put in place of their fields, evaluate to the
//! same findings, outcomes (with their reasons) and metrics with the fast path on and off.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::{Path, PathBuf};

use parkcheck::document::{Document, Limits, Node, Syntax, Value, load_bytes};
use parkcheck::engine::{Engine, EvalOptions};

use common::{bundled_engine, root};

/// Every submission-like file under `fixtures/`.
fn fixture_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("fixtures"), &mut files);
    files.sort();
    files
}

fn load(path: &Path) -> Option<Document> {
    let name = path.display().to_string();
    load_bytes(
        &name,
        std::fs::read(path).unwrap(),
        Syntax::of_name(&name),
        &Limits::default(),
    )
    .ok()
}

/// The evaluation of `doc` by both engines, as comparable text.
fn both(
    fast: &Engine,
    reference: &Engine,
    doc: &Document,
    options: &EvalOptions,
) -> (String, String) {
    (
        format!("{:#?}", fast.evaluate(doc, options)),
        format!("{:#?}", reference.evaluate(doc, options)),
    )
}

/// Fails with the first lines where the two evaluations differ (they are long).
fn assert_same(fast: &str, reference: &str, what: &str) {
    if fast == reference {
        return;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (fast.lines().collect(), reference.lines().collect());
    let first = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let from = first.saturating_sub(8);
    panic!(
        "{what}: the fast path differs from cel at line {first}\n--- fast path\n{}\n--- cel\n{}",
        a.get(from..(first + 4).min(a.len()))
            .unwrap_or_default()
            .join("\n"),
        b.get(from..(first + 4).min(b.len()))
            .unwrap_or_default()
            .join("\n"),
    );
}

#[test]
fn fixtures_evaluate_the_same_with_and_without_the_fast_path() {
    let fast = bundled_engine();
    let reference = bundled_engine().without_fast_path();
    let options = [
        EvalOptions::default(),
        EvalOptions {
            as_of: Some("2031-06-30".to_owned()),
        },
    ];
    let mut compared = 0;
    for path in fixture_files() {
        let Some(doc) = load(&path) else { continue };
        for option in &options {
            let (a, b) = both(&fast, &reference, &doc, option);
            assert_same(&a, &b, &format!("{} ({option:?})", path.display()));
            compared += 1;
        }
    }
    assert!(compared > 300, "only {compared} evaluations compared");
}

/// The values put in place of a field: every kind, and the edge cases of each.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        Value::Bool(true),
        Value::Bool(false),
        Value::Int(0),
        Value::Int(-3),
        Value::Int(i64::MAX),
        Value::Float(f64::NAN),
        Value::Float(f64::INFINITY),
        Value::Float(1.2),
        Value::Str(String::new()),
        Value::Str("入驻".to_owned()),
        Value::Str("2025-12-31".to_owned()),
        Value::Str("12".to_owned()),
        Value::Seq(Vec::new()),
        Value::Map(Vec::new()),
    ]
}

/// The paths (as index steps) of the scalar leaves of `node`.
fn leaves(node: &Node, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    match &node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(i);
                leaves(item, at, out);
                at.pop();
            }
        }
        Value::Map(entries) => {
            for (i, entry) in entries.iter().enumerate() {
                at.push(i);
                leaves(&entry.value, at, out);
                at.pop();
            }
        }
        _ => out.push(at.clone()),
    }
}

fn node_at<'a>(node: &'a mut Node, path: &[usize]) -> &'a mut Node {
    match path.split_first() {
        None => node,
        Some((&i, rest)) => match &mut node.value {
            Value::Seq(items) => node_at(&mut items[i], rest),
            Value::Map(entries) => node_at(&mut entries[i].value, rest),
            _ => panic!("a leaf has no children"),
        },
    }
}

#[test]
fn odd_values_evaluate_the_same_with_and_without_the_fast_path() {
    let fast = bundled_engine();
    let reference = bundled_engine().without_fast_path();
    let values = replacements();
    let options = EvalOptions::default();
    let mut compared = 0;
    // The rule fixtures are small and each exercises its rule; a dozen variants of each.
    for path in fixture_files()
        .iter()
        .filter(|p| p.starts_with(root().join("fixtures/rules")))
    {
        let Some(doc) = load(path) else { continue };
        let mut paths = Vec::new();
        leaves(&doc.root, &mut Vec::new(), &mut paths);
        let stride = (paths.len() / 12).max(1);
        for (n, leaf) in paths.iter().enumerate().step_by(stride) {
            let mut variant = doc.clone();
            let value = values[(n / stride + path.as_os_str().len()) % values.len()].clone();
            node_at(&mut variant.root, leaf).value = value;
            let (a, b) = both(&fast, &reference, &variant, &options);
            assert_same(
                &a,
                &b,
                &format!("{} with leaf {leaf:?} replaced", path.display()),
            );
            compared += 1;
        }
    }
    assert!(compared > 1500, "only {compared} variants compared");
}

/// The fast path covers what costs: every per-tenant expression of the bundled rulebooks (the
/// checks that run for each tenant and the metrics summed over the tenants) has a fast form.
#[test]
fn per_item_expressions_have_fast_forms() {
    let engine = bundled_engine();
    let rules = engine.rules();
    let per_item: Vec<&parkcheck::rulebook::Expr> = rules
        .rules()
        .flat_map(|(_, r)| r.checks.iter())
        .filter(|c| {
            c.for_each
                .as_ref()
                .is_some_and(|l| l.to_string() == "/tenants")
        })
        .flat_map(|c| c.when.iter().chain([&c.assert]))
        .chain(
            rules
                .metrics()
                .filter(|m| m.over.as_ref().is_some_and(|l| l.to_string() == "/tenants"))
                .map(|m| &m.expr),
        )
        .collect();
    assert!(
        per_item.len() > 15,
        "{} per-tenant expressions",
        per_item.len()
    );
    let slow: Vec<&str> = per_item
        .iter()
        .filter(|e| e.fast.is_none())
        .map(|e| e.text.as_str())
        .collect();
    assert!(
        slow.is_empty(),
        "per-tenant expressions without a fast form: {slow:#?}"
    );
}
