//! Submission values into CEL values, copying only the paths the expressions read.
//!
//! Every number becomes a CEL `double`: JSON integers would otherwise arrive as `int` or
//! `uint`, and CEL refuses to mix them in arithmetic. `size()` is still an `int`; rules write
//! `double(size(x))` to do arithmetic with it (comparisons mix freely).

use std::cell::OnceCell;

use cel::ExecutionError;
use cel::common::traits::{self, Container, Indexer, Iterable, Sizer, Zeroer};
use cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelNull, CelString, CelUInt, MAP_TYPE, Type,
};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;

use crate::document::{Document, Node, Pointer, Value};
use crate::expr::refs::{Path, Seg};

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
        Value::Map(entries) => Box::new(Fields(
            entries
                .iter()
                .map(|e| (CelString::from(e.key.as_str()), full(&e.value)))
                .collect(),
        )),
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
            let mut fields = Vec::new();
            for entry in entries {
                let below: Vec<&[Seg]> = paths
                    .iter()
                    .filter_map(|p| match p.split_first() {
                        Some((Seg::Field(f), rest)) if *f == entry.key => Some(rest),
                        _ => None,
                    })
                    .collect();
                if !below.is_empty() {
                    fields.push((
                        CelString::from(entry.key.as_str()),
                        project(&entry.value, &below),
                    ));
                }
            }
            Box::new(Fields(fields))
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

/// A submission mapping as a CEL `map` with string keys, in the order of the file.
///
/// CEL's own map hashes every key with SipHash, on building and on every `.field`; a
/// submission mapping has a few dozen keys at most, and a scan that compares them is several
/// times cheaper: building and reading the bound values went from about a third of the rules
/// phase to under a tenth (callgrind; benches/README.md).
/// Keys are unique: the loader rejects duplicates.
#[derive(Debug)]
pub struct Fields<'a>(Vec<(CelString<'a>, Bound<'a>)>);

impl<'a> Fields<'a> {
    fn find(&self, key: &dyn Val) -> Option<&Bound<'a>> {
        let key = key.downcast_ref::<CelString>()?.inner();
        self.0
            .iter()
            .find(|(k, _)| k.inner() == key)
            .map(|(_, v)| v)
    }
}

/// The error for a key that is absent, as CEL's own map gives it: `has()` reads it as false.
fn missing(key: &dyn Val) -> ExecutionError {
    if let Some(s) = key.downcast_ref::<CelString>() {
        return ExecutionError::NoSuchKey(std::sync::Arc::new(s.inner().to_owned()));
    }
    let numeric = key.downcast_ref::<CelInt>().map(|i| i.inner().to_string());
    let numeric = numeric.or_else(|| key.downcast_ref::<CelUInt>().map(|u| u.inner().to_string()));
    let numeric = numeric.or_else(|| {
        key.downcast_ref::<CelDouble>()
            .map(|d| d.inner().to_string())
    });
    let numeric = numeric.or_else(|| key.downcast_ref::<CelBool>().map(|b| b.inner().to_string()));
    match numeric {
        Some(key) => ExecutionError::NoSuchKey(std::sync::Arc::new(key)),
        None => ExecutionError::UnexpectedType {
            got: key.get_type().name().to_owned(),
            want: "map key".to_owned(),
        },
    }
}

impl Val for Fields<'_> {
    fn get_type(&self) -> &Type {
        &MAP_TYPE
    }

    fn cel_type() -> &'static Type {
        &MAP_TYPE
    }

    fn as_container(&self) -> Option<&dyn Container> {
        Some(self)
    }

    fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
    where
        Self: 'w,
    {
        Some(self)
    }

    fn into_indexer<'w>(self: Box<Self>) -> Option<Box<dyn Indexer + 'w>>
    where
        Self: 'w,
    {
        Some(self)
    }

    fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
    where
        Self: 'w,
    {
        Some(self)
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        Some(self)
    }

    fn as_zeroer(&self) -> Option<&dyn Zeroer> {
        Some(self)
    }

    fn equals(&self, other: &dyn Val) -> bool {
        let (Some(indexer), Some(sizer)) = (other.as_indexer(), other.as_sizer()) else {
            return false;
        };
        other.get_type().kind() == MAP_TYPE.kind()
            && *sizer.size().inner() == i64::try_from(self.0.len()).unwrap_or(i64::MAX)
            && self
                .0
                .iter()
                .all(|(k, v)| indexer.get(k).is_ok_and(|o| v.equals(o.as_ref())))
    }

    fn clone_as_boxed<'w>(&self) -> Box<dyn Val + 'w>
    where
        Self: 'w,
    {
        Box::new(Fields(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), v.clone_as_boxed()))
                .collect(),
        ))
    }
}

impl Container for Fields<'_> {
    fn contains(&self, key: &dyn Val) -> Result<bool, ExecutionError> {
        if self.find(key).is_some() {
            return Ok(true);
        }
        match missing(key) {
            ExecutionError::NoSuchKey(_) => Ok(false),
            other => Err(other),
        }
    }
}

impl<'a> Indexer for Fields<'a> {
    fn get<'b, 'w>(&'b self, key: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
    where
        Self: 'w,
    {
        match self.find(key) {
            Some(v) => Ok(CowVal::Borrowed(v.as_ref())),
            None => Err(missing(key)),
        }
    }

    fn steal<'w>(self: Box<Self>, key: &dyn Val) -> Result<Box<dyn Val + 'w>, ExecutionError>
    where
        Self: 'w,
    {
        self.get(key).map(CowVal::into_owned)
    }
}

impl Iterable for Fields<'_> {
    fn iter<'b, 'w>(&'b self) -> Box<dyn traits::Iterator<'b, 'w> + 'b>
    where
        Self: 'w,
    {
        Box::new(Keys(self.0.iter()))
    }
}

/// The keys of a [`Fields`], for comprehensions over a map.
struct Keys<'b, 'a>(std::slice::Iter<'b, (CelString<'a>, Bound<'a>)>);

impl<'b, 'a: 'w, 'w> traits::Iterator<'b, 'w> for Keys<'b, 'a> {
    fn next(&mut self) -> Option<&'b (dyn Val + 'w)> {
        self.0.next().map(|(k, _)| k as &(dyn Val + 'w))
    }
}

impl Sizer for Fields<'_> {
    fn size(&self) -> CelInt {
        CelInt::from(i64::try_from(self.0.len()).unwrap_or(i64::MAX))
    }
}

impl Zeroer for Fields<'_> {
    fn is_zero_value(&self) -> bool {
        self.0.is_empty()
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

/// The items of the lists that checks and metrics go through, bound for cel only when cel is
/// asked: the fast path reads the tree itself, so for most submissions no item is ever bound.
/// A list is bound whole the first time one of its items is needed, once for all its checks.
#[derive(Debug, Default)]
pub struct Items<'a> {
    lists: Vec<ItemList<'a>>,
}

#[derive(Debug)]
struct ItemList<'a> {
    list: &'a Pointer,
    nodes: &'a [Node],
    /// The paths below `it` that expressions read.
    steps: &'a [Vec<Seg>],
    bound: OnceCell<Vec<Item<'a>>>,
}

impl<'a> Items<'a> {
    /// Prepares the lists of `steps` that are lists in `doc` (nothing is bound yet).
    #[must_use]
    pub fn new(
        doc: &'a Document,
        steps: impl Iterator<Item = (&'a Pointer, &'a [Vec<Seg>])>,
    ) -> Self {
        let lists = steps
            .filter_map(|(list, steps)| match doc.get(list) {
                Some(Node {
                    value: Value::Seq(nodes),
                    ..
                }) => Some(ItemList {
                    list,
                    nodes,
                    steps,
                    bound: OnceCell::new(),
                }),
                _ => None,
            })
            .collect();
        Self { lists }
    }

    /// The bound item `index` of `list`.
    #[must_use]
    pub fn get(&self, list: &Pointer, index: usize) -> Option<&Item<'a>> {
        let found = self.lists.iter().find(|l| l.list == list)?;
        found
            .bound
            .get_or_init(|| {
                let refs: Vec<&[Seg]> = found.steps.iter().map(Vec::as_slice).collect();
                found
                    .nodes
                    .iter()
                    .map(|n| Item(project(n, &refs)))
                    .collect()
            })
            .get(index)
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
    fn mappings_behave_as_cel_maps() {
        let (root, _) = parse(
            "t: {name: 甲, status: 入驻, honours: [规上], employees: 12}\n",
            &Limits::default(),
        )
        .unwrap();
        let t = root.get("t").unwrap();
        for (expr, expected) in [
            ("size(t) == 4", true),
            ("'status' in t && !('floor' in t)", true),
            ("has(t.honours) && !has(t.floor)", true),
            ("t.status == '入驻' && '规上' in t.honours", true),
            ("t['employees'] + 0.5 == 12.5", true),
            (
                "t.all(k, k in ['name', 'status', 'honours', 'employees'])",
                true,
            ),
            ("t.exists(k, k == 'floor')", false),
            (
                "t == {'name': '甲', 'status': '入驻', 'honours': ['规上'], 'employees': 12.0}",
                true,
            ),
            ("t == {'name': '甲'}", false),
        ] {
            assert_eq!(
                eval(expr, "t", full(t)),
                cel::Value::Bool(expected),
                "{expr}"
            );
        }
        let mut ctx = cel::Context::default();
        ctx.add_variable_as_val("t", full(t));
        let missing = cel::Program::compile("t.floor").unwrap().execute(&ctx);
        assert!(
            matches!(missing, Err(cel::ExecutionError::NoSuchKey(ref k)) if k.as_str() == "floor"),
            "{missing:?}"
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
