//! Submission values into CEL values, copying only the paths the expressions read.
//!
//! Every number becomes a CEL `double`: JSON integers would otherwise arrive as `int` or
//! `uint`, and CEL refuses to mix them in arithmetic. `size()` is still an `int`; rules write
//! `double(size(x))` to do arithmetic with it (comparisons mix freely).

use std::collections::HashMap;
use std::sync::Arc;

use cel::Value as Cel;

use crate::document::{Node, Value};
use crate::rulebook::refs::{Path, Seg};

/// The whole subtree as a CEL value.
#[must_use]
pub fn full(node: &Node) -> Cel {
    match &node.value {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Int(i) => Cel::Float(*i as f64),
        Value::Float(f) => Cel::Float(*f),
        Value::Str(s) => Cel::String(Arc::new(s.clone())),
        Value::Seq(items) => Cel::List(Arc::new(items.iter().map(full).collect())),
        Value::Map(entries) => {
            let map: HashMap<String, Cel> = entries
                .iter()
                .map(|e| (e.key.clone(), full(&e.value)))
                .collect();
            Cel::from(map)
        }
    }
}

/// The part of `node` that the paths (steps below the node) reach. An empty path means the
/// whole node; an empty field name (`tenants[*].`) asks only for the list's items to exist.
#[must_use]
pub fn project(node: &Node, paths: &[&[Seg]]) -> Cel {
    if paths.iter().any(|p| p.is_empty()) {
        return full(node);
    }
    match &node.value {
        Value::Map(entries) => {
            let mut map: HashMap<String, Cel> = HashMap::new();
            for entry in entries {
                let below: Vec<&[Seg]> = paths
                    .iter()
                    .filter_map(|p| match p.split_first() {
                        Some((Seg::Field(f), rest)) if *f == entry.key => Some(rest),
                        _ => None,
                    })
                    .collect();
                if !below.is_empty() {
                    map.insert(entry.key.clone(), project(&entry.value, &below));
                }
            }
            Cel::from(map)
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
            Cel::List(Arc::new(
                items.iter().map(|item| project(item, &below)).collect(),
            ))
        }
        _ => full(node),
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
        let Cel::List(items) = value else {
            panic!("not a list")
        };
        assert_eq!(items.len(), 2);
        let Cel::Map(first) = &items[0] else {
            panic!("not a map")
        };
        assert_eq!(first.map.len(), 1);
    }

    #[test]
    fn numbers_are_doubles() {
        let (root, _) = parse("a: 3\n", &Limits::default()).unwrap();
        assert_eq!(full(root.get("a").unwrap()), Cel::Float(3.0));
    }
}
