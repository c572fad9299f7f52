//! What a CEL expression reads: the dotted paths it selects from each variable.
//!
//! The engine binds only these paths (a submission with 150 tenants is not copied into CEL
//! for a rule that reads `land.actual_area_mu`), the loader checks that each `params.x` and
//! `metrics.y` exists, and a finding's trace lists a metric's inputs.

use std::collections::HashMap;

use cel::common::ast::{EntryExpr, Expr, IdedExpr};

/// One step of a path: a field, or every item of a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Field(String),
    Each,
}

/// A path read by an expression: a root variable and the steps below it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path {
    pub root: String,
    pub segs: Vec<Seg>,
}

impl Path {
    /// `land.actual_area_mu`, `tenants[*].status`.
    #[must_use]
    pub fn dotted(&self) -> String {
        let mut out = self.root.clone();
        for seg in &self.segs {
            match seg {
                Seg::Field(f) => {
                    out.push('.');
                    out.push_str(f);
                }
                Seg::Each => out.push_str("[*]"),
            }
        }
        out
    }

    /// The fields of a path without list steps, when it has none (`land.actual_area_mu`).
    #[must_use]
    pub fn fields(&self) -> Option<Vec<&str>> {
        self.segs
            .iter()
            .map(|s| match s {
                Seg::Field(f) => Some(f.as_str()),
                Seg::Each => None,
            })
            .collect()
    }
}

/// Functions that read fixed fields of the map they are given: binding those fields is enough.
const FIELD_READERS: &[(&str, &[&str])] = &[
    (
        "size_class",
        &["sector", "employees", "revenue_10k_yuan", "assets_10k_yuan"],
    ),
    (
        "size_missing",
        &["sector", "employees", "revenue_10k_yuan", "assets_10k_yuan"],
    ),
];

/// Every path the expression reads (deduplicated, in a stable order).
#[must_use]
pub fn paths(expr: &IdedExpr) -> Vec<Path> {
    let mut out = Vec::new();
    walk(expr, &HashMap::new(), &mut out);
    out.sort();
    out.dedup();
    out
}

/// What a name in scope stands for: a comprehension item (a path) or a local accumulator.
type Scope = HashMap<String, Option<Path>>;

fn path_of(expr: &IdedExpr, scope: &Scope) -> Option<Option<Path>> {
    match &expr.expr {
        Expr::Ident(name) => Some(match scope.get(name) {
            Some(bound) => bound.clone(),
            None => Some(Path {
                root: name.clone(),
                segs: Vec::new(),
            }),
        }),
        Expr::Select(select) => {
            let base = path_of(&select.operand, scope)?;
            Some(base.map(|mut p| {
                p.segs.push(Seg::Field(select.field.clone()));
                p
            }))
        }
        // `P.filter(t, …)` is a list of items of P: what is read from its items is read from P's.
        Expr::Comprehension(c) if keeps_items(c) => path_of(&c.iter_range, scope)?.map(Some),
        _ => None,
    }
}

/// A comprehension whose result holds items of its range unchanged (`filter`): its step
/// appends the item itself (`accu + [t]`).
fn keeps_items(c: &cel::common::ast::ComprehensionExpr) -> bool {
    let mut todo = vec![&c.loop_step];
    while let Some(e) = todo.pop() {
        match &e.expr {
            Expr::List(list)
                if list
                    .elements
                    .iter()
                    .any(|el| matches!(&el.expr, Expr::Ident(n) if *n == c.iter_var)) =>
            {
                return true;
            }
            Expr::Call(call) => {
                todo.extend(call.target.as_deref());
                todo.extend(call.args.iter());
            }
            _ => {}
        }
    }
    false
}

fn walk(expr: &IdedExpr, scope: &Scope, out: &mut Vec<Path>) {
    if matches!(expr.expr, Expr::Ident(_) | Expr::Select(_)) {
        if let Some(path) = path_of(expr, scope) {
            out.extend(path);
            return;
        }
    }
    match &expr.expr {
        Expr::Select(select) => walk(&select.operand, scope, out),
        Expr::Call(call) => {
            let readers = FIELD_READERS
                .iter()
                .find(|(name, _)| *name == call.func_name);
            if let Some(target) = &call.target {
                walk(target, scope, out);
            }
            for arg in &call.args {
                match (readers, path_of(arg, scope)) {
                    (Some((_, fields)), Some(Some(path))) => {
                        out.extend(fields.iter().map(|f| {
                            let mut p = path.clone();
                            p.segs.push(Seg::Field((*f).to_owned()));
                            p
                        }));
                    }
                    _ => walk(arg, scope, out),
                }
            }
        }
        Expr::Comprehension(c) => {
            let mut inner = scope.clone();
            if matches!(c.iter_range.expr, Expr::Comprehension(_)) {
                walk(&c.iter_range, scope, out);
            }
            match path_of(&c.iter_range, scope) {
                Some(Some(range)) => {
                    let mut item = range.clone();
                    item.segs.push(Seg::Each);
                    // The list itself is needed for its length even if the item is unused.
                    out.push(Path {
                        root: range.root.clone(),
                        segs: range
                            .segs
                            .iter()
                            .cloned()
                            .chain([Seg::Each, Seg::Field(String::new())])
                            .collect(),
                    });
                    inner.insert(c.iter_var.clone(), Some(item));
                }
                _ => {
                    walk(&c.iter_range, scope, out);
                    inner.insert(c.iter_var.clone(), None);
                }
            }
            if let Some(v2) = &c.iter_var2 {
                inner.insert(v2.clone(), None);
            }
            inner.insert(c.accu_var.clone(), None);
            let item = inner.get(&c.iter_var).cloned().flatten();
            let start = out.len();
            for part in [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result] {
                walk(part, &inner, out);
            }
            // A filter hands its items on; whoever uses the result says what of them is read.
            if keeps_items(c) {
                if let Some(item) = item {
                    let mut index = start;
                    while index < out.len() {
                        if out.get(index) == Some(&item) {
                            out.remove(index);
                        } else {
                            index += 1;
                        }
                    }
                }
            }
        }
        Expr::List(list) => list.elements.iter().for_each(|e| walk(e, scope, out)),
        Expr::Map(map) => {
            for entry in &map.entries {
                if let EntryExpr::MapEntry(e) = &entry.expr {
                    walk(&e.key, scope, out);
                    walk(&e.value, scope, out);
                }
            }
        }
        Expr::Struct(s) => {
            for entry in &s.entries {
                if let EntryExpr::StructField(f) = &entry.expr {
                    walk(&f.value, scope, out);
                }
            }
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// The global functions an expression calls (not methods, not operators such as `_+_`).
#[must_use]
pub fn functions(expr: &IdedExpr) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![expr];
    while let Some(e) = todo.pop() {
        match &e.expr {
            Expr::Call(call) => {
                let operator = call.func_name.starts_with(['_', '@', '!', '-']);
                if call.target.is_none() && !operator {
                    out.push(call.func_name.clone());
                }
                todo.extend(call.target.as_deref());
                todo.extend(call.args.iter());
            }
            Expr::Select(s) => todo.push(&s.operand),
            Expr::Comprehension(c) => {
                todo.extend([
                    &c.iter_range,
                    &c.accu_init,
                    &c.loop_cond,
                    &c.loop_step,
                    &c.result,
                ]);
            }
            Expr::List(l) => todo.extend(l.elements.iter()),
            Expr::Map(m) => {
                for entry in &m.entries {
                    if let EntryExpr::MapEntry(e) = &entry.expr {
                        todo.extend([&e.key, &e.value]);
                    }
                }
            }
            Expr::Struct(s) => {
                for entry in &s.entries {
                    if let EntryExpr::StructField(f) = &entry.expr {
                        todo.push(&f.value);
                    }
                }
            }
            Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dotted(src: &str) -> Vec<String> {
        let program = cel::Program::compile(src).unwrap();
        paths(program.expression())
            .iter()
            .map(Path::dotted)
            .collect()
    }

    #[test]
    fn selections_are_paths() {
        assert_eq!(
            dotted(
                "buildings.built_area_m2 / mu_to_m2(land.actual_area_mu) >= params.min_plot_ratio"
            ),
            [
                "buildings.built_area_m2",
                "land.actual_area_mu",
                "params.min_plot_ratio"
            ]
        );
    }

    #[test]
    fn comprehension_items_read_through_the_list() {
        assert_eq!(
            dotted("size(tenants.filter(t, t.status == '入驻')) == totals.tenants"),
            ["tenants[*].", "tenants[*].status", "totals.tenants"]
        );
    }

    #[test]
    fn filtered_items_are_read_through_the_filter() {
        assert_eq!(
            dotted("sum(tenants.filter(t, t.status == '入驻').map(x, x.employees))"),
            ["tenants[*].", "tenants[*].employees", "tenants[*].status"]
        );
    }

    #[test]
    fn has_is_a_read_and_field_readers_are_narrowed() {
        assert_eq!(dotted("has(it.exited_on)"), ["it.exited_on"]);
        assert_eq!(
            dotted("size_class(it) == it.declared_size"),
            [
                "it.assets_10k_yuan",
                "it.declared_size",
                "it.employees",
                "it.revenue_10k_yuan",
                "it.sector"
            ]
        );
    }
}
