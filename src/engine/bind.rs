//! Submission values into CEL values, copying only the paths the expressions read.
//!
//! Every number becomes a CEL `double`: JSON integers would otherwise arrive as `int` or
//! `uint`, and CEL refuses to mix them in arithmetic. `size()` is still an `int`; rules write
//! `double(size(x))` to do arithmetic with it (comparisons mix freely).

use std::collections::HashMap;

use cel::common::types::{CelBool, CelDouble, CelList, CelMap, CelMapKey, CelNull, CelString};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;

use crate::document::{Node, Value};
use crate::rulebook::refs::{Path, Seg};

/// A bound value: CEL's own types, borrowing the submission's strings (nothing is copied).
pub type Bound<'a> = Box<dyn Val + 'a>;

/// The whole subtree as a CEL value.
#[must_use]
pub fn full(node: &Node) -> Bound<'_> {
    match &node.value {
        Value::Null => Box::new(CelNull),
        Value::Bool(b) => Box::new(CelBool::from(*b)),
        Value::Int(i) => Box::new(CelDouble::from(*i as f64)),
        Value::Float(f) => Box::new(CelDouble::from(*f)),
        Value::Str(s) => Box::new(CelString::from(s.as_str())),
        Value::Seq(items) => Box::new(CelList::from(items.iter().map(full).collect::<Vec<_>>())),
        Value::Map(entries) => {
            let map: HashMap<CelMapKey<'_>, Bound<'_>> = entries
                .iter()
                .map(|e| (CelMapKey::from(e.key.as_str()), full(&e.value)))
                .collect();
            Box::new(CelMap::from(map))
        }
    }
}

/// The part of `node` that the paths (steps below the node) reach. An empty path means the
/// whole node; an empty field name (`tenants[*].`) asks only for the list's items to exist.
#[must_use]
pub fn project<'a>(node: &'a Node, paths: &[&[Seg]]) -> Bound<'a> {
    if paths.iter().any(|p| p.is_empty()) {
        return full(node);
    }
    match &node.value {
        Value::Map(entries) => {
            let mut map: HashMap<CelMapKey<'a>, Bound<'a>> = HashMap::new();
            for entry in entries {
                let below: Vec<&[Seg]> = paths
                    .iter()
                    .filter_map(|p| match p.split_first() {
                        Some((Seg::Field(f), rest)) if *f == entry.key => Some(rest),
                        _ => None,
                    })
                    .collect();
                if !below.is_empty() {
                    map.insert(
                        CelMapKey::from(entry.key.as_str()),
                        project(&entry.value, &below),
                    );
                }
            }
            Box::new(CelMap::from(map))
        }
        Value::Seq(items) => {
            let below: Vec<&[Seg]> = paths
                .iter()
                .filter_map(|p| match p.split_first() {
                    Some((Seg::Each, rest)) => Some(rest),
                    _ => None,
                })
                .collect();
            if below.is_empty() {
                return full(node);
            }
            Box::new(CelList::from(
                items
                    .iter()
                    .map(|item| project(item, &below))
                    .collect::<Vec<_>>(),
            ))
        }
        _ => full(node),
    }
}

/// Binds `it` to one item of a list, by reference, for the checks that go item by item.
pub struct Item<'a>(pub Bound<'a>);

impl std::fmt::Debug for Item<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Item")
    }
}

impl VariableResolver for Item<'_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        (variable == "it").then(|| CowVal::from(self.0.as_ref() as &(dyn Val + 'b)))
    }
}

/// The union of the paths under `root` that a set of expressions read, as step lists.
#[must_use]
pub fn steps_under<'a>(paths: impl Iterator<Item = &'a Path>, root: &str) -> Vec<Vec<Seg>> {
    let mut steps: Vec<Vec<Seg>> = paths
        .filter(|p| p.root == root)
        .map(|p| p.segs.clone())
        .collect();
    steps.sort();
    steps.dedup();
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Limits, parse};

    fn eval(src: &str, name: &str, value: Bound<'_>) -> cel::Value {
        let mut ctx = cel::Context::default();
        ctx.add_variable_as_val(name, value);
        cel::Program::compile(src).unwrap().execute(&ctx).unwrap()
    }

    #[test]
    fn projects_only_what_is_read() {
        let (root, _) = parse(
            "tenants:\n  - {name: 甲, status: 入驻, employees: 12}\n  - {name: 乙, status: 退出}\n",
            &Limits::default(),
        )
        .unwrap();
        let tenants = root.get("tenants").unwrap();
        let steps = [vec![Seg::Each, Seg::Field("status".into())]];
        let refs: Vec<&[Seg]> = steps.iter().map(Vec::as_slice).collect();
        let value = project(tenants, &refs);
        assert_eq!(
            eval(
                "size(t) == 2 && t[0].status == '入驻' && !has(t[0].name)",
                "t",
                value
            ),
            cel::Value::Bool(true)
        );
    }

    #[test]
    fn numbers_are_doubles() {
        let (root, _) = parse("a: 3\n", &Limits::default()).unwrap();
        assert_eq!(
            eval("a + 0.5", "a", full(root.get("a").unwrap())),
            cel::Value::Float(3.5)
        );
    }
}
