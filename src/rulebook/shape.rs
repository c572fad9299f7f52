//! Bounds on the shape of a CEL expression, checked when a rulebook loads, so that evaluation
//! can neither recurse without end nor run for hours on a large submission.
//!
//! The CEL interpreter evaluates recursively (one stack frame per level of the syntax tree) and
//! iterates every comprehension (`all`, `exists`, `map`, `filter`) over its whole list. So an
//! expression is refused when its tree is deeper than [`MAX_DEPTH`], and when a comprehension
//! over a list of the submission, inside another one over a list of the submission, iterates
//! over something that does not come from the outer item: with the tenants on both sides, that
//! is 40 000 million steps for 200 000 tenants.
//! Iterating over a part of the outer item (`t.floors.all(f, …)` inside `tenants.all(t, …)`)
//! stays linear in the size of the submission and is accepted, and so is iterating over a
//! parameter list (a bureau's configuration, not the submission).

use cel::common::ast::{EntryExpr, Expr, IdedExpr};

use crate::expr::DOCUMENT_ROOTS;
use crate::text::Text;

/// The deepest syntax tree accepted. The bundled rulebooks stay under 20.
pub const MAX_DEPTH: usize = 64;

/// What is wrong with the shape of `expr`, if anything.
#[must_use]
pub fn problem(expr: &IdedExpr) -> Option<Text> {
    // The node, its depth, the item variables of the comprehensions whose body holds it, and
    // whether one of those iterates over a list of the submission.
    let mut todo: Vec<(&IdedExpr, usize, Vec<&str>, bool)> = vec![(expr, 1, Vec::new(), false)];
    while let Some((node, depth, items, in_document_loop)) = todo.pop() {
        if depth > MAX_DEPTH {
            return Some(Text::new(
                format!("表达式的语法树超过 {MAX_DEPTH} 层（运算嵌套过深）"),
                format!(
                    "the expression's syntax tree is deeper than {MAX_DEPTH} levels (operators nested too deeply)"
                ),
            ));
        }
        let next = depth + 1;
        match &node.expr {
            Expr::Comprehension(c) => {
                let over_document = reads_document(&c.iter_range);
                if over_document && builds_list(c) {
                    return Some(Text::new(
                        format!(
                            "对申报中的列表（{}）使用 filter 或 map：逐项复制结果，计算量随列表长度的平方增长；请改用 all、exists 或带 over 的指标（metric）",
                            describe(&c.iter_range)
                        ),
                        format!(
                            "filter or map over a list of the submission ({}) copies its result at every item, work that grows with the square of the list's length; use all, exists or a metric with `over`",
                            describe(&c.iter_range)
                        ),
                    ));
                }
                if in_document_loop && over_document && !mentions_any(&c.iter_range, &items) {
                    return Some(Text::new(
                        format!(
                            "列表运算嵌套在另一个列表运算中，且其列表（{}）不取自外层的元素：计算量随列表长度的平方增长",
                            describe(&c.iter_range)
                        ),
                        format!(
                            "a list operation nested in another one iterates over a list ({}) that does not come from the outer item: the work grows with the square of the list's length",
                            describe(&c.iter_range)
                        ),
                    ));
                }
                // The range, the initial value and the result are evaluated once; the
                // condition and the step once per item.
                let outer = in_document_loop;
                todo.push((&c.iter_range, next, items.clone(), outer));
                todo.push((&c.accu_init, next, items.clone(), outer));
                todo.push((&c.result, next, items.clone(), outer));
                let mut inner = items;
                inner.push(c.iter_var.as_str());
                if let Some(var) = &c.iter_var2 {
                    inner.push(var.as_str());
                }
                let body = outer || over_document;
                todo.push((&c.loop_cond, next, inner.clone(), body));
                todo.push((&c.loop_step, next, inner, body));
            }
            Expr::Call(call) => {
                if let Some(target) = &call.target {
                    todo.push((target, next, items.clone(), in_document_loop));
                }
                todo.extend(
                    call.args
                        .iter()
                        .map(|a| (a, next, items.clone(), in_document_loop)),
                );
            }
            Expr::List(list) => todo.extend(
                list.elements
                    .iter()
                    .map(|e| (e, next, items.clone(), in_document_loop)),
            ),
            Expr::Map(map) => todo
                .extend(entries(&map.entries).map(|e| (e, next, items.clone(), in_document_loop))),
            Expr::Struct(s) => {
                todo.extend(entries(&s.entries).map(|e| (e, next, items.clone(), in_document_loop)))
            }
            Expr::Select(select) => todo.push((&select.operand, next, items, in_document_loop)),
            Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
        }
    }
    None
}

fn entries(entries: &[cel::common::ast::IdedEntryExpr]) -> impl Iterator<Item = &IdedExpr> {
    entries.iter().flat_map(|e| match &e.expr {
        EntryExpr::StructField(f) => vec![&f.value],
        EntryExpr::MapEntry(m) => vec![&m.key, &m.value],
    })
}

/// Whether `expr` reads any of the variables `names`.
fn mentions_any(expr: &IdedExpr, names: &[&str]) -> bool {
    let mut todo = vec![expr];
    while let Some(node) = todo.pop() {
        match &node.expr {
            Expr::Ident(name) if names.contains(&name.as_str()) => return true,
            Expr::Comprehension(c) => todo.extend([
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ]),
            Expr::Call(call) => {
                todo.extend(call.target.as_deref());
                todo.extend(&call.args);
            }
            Expr::List(list) => todo.extend(&list.elements),
            Expr::Map(map) => todo.extend(entries(&map.entries)),
            Expr::Struct(s) => todo.extend(entries(&s.entries)),
            Expr::Select(select) => todo.push(&select.operand),
            Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
        }
    }
    false
}

/// Whether a comprehension builds a list (`filter`, `map`): its step appends to the
/// accumulator (`accu + [x]`), which cel 0.15 does by copying.
fn builds_list(c: &cel::common::ast::ComprehensionExpr) -> bool {
    let mut todo = vec![&c.loop_step];
    while let Some(node) = todo.pop() {
        if let Expr::Call(call) = &node.expr {
            if call.func_name == "_+_" && call.args.iter().any(|a| matches!(a.expr, Expr::List(_)))
            {
                return true;
            }
            todo.extend(call.target.as_deref());
            todo.extend(&call.args);
        }
    }
    false
}

/// Whether `expr` reads a list of the submission as a whole (`tenants`, `attachments`): a
/// list as long as the submission makes it, unlike a bureau's parameter or a literal.
fn reads_document(expr: &IdedExpr) -> bool {
    let mut todo = vec![expr];
    while let Some(node) = todo.pop() {
        match &node.expr {
            Expr::Ident(name) if DOCUMENT_ROOTS.contains(&name.as_str()) => return true,
            Expr::Comprehension(c) => todo.push(&c.iter_range),
            // `c ? a : b` is a list of the submission when `a` or `b` is, whatever `c` reads.
            Expr::Call(call) if call.func_name == "_?_:_" => todo.extend(call.args.iter().skip(1)),
            Expr::Call(call) => {
                todo.extend(call.target.as_deref());
                todo.extend(&call.args);
            }
            Expr::Select(select) => todo.push(&select.operand),
            _ => {}
        }
    }
    false
}

/// A short name for the list a comprehension iterates over (`tenants`, `park.floors`).
fn describe(expr: &IdedExpr) -> String {
    let mut fields = Vec::new();
    let mut node = expr;
    loop {
        match &node.expr {
            Expr::Select(select) => {
                fields.push(select.field.as_str());
                node = &select.operand;
            }
            Expr::Ident(name) => {
                fields.push(name.as_str());
                fields.reverse();
                return fields.join(".");
            }
            _ => return "…".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str) -> Option<String> {
        let program = cel::Program::compile(src).unwrap();
        problem(program.expression()).map(|t| t.en)
    }

    #[test]
    fn ordinary_expressions_pass() {
        assert_eq!(check("tenants.all(t, t.employees > 0)"), None);
        assert_eq!(check("tenants.all(t, t.floors.all(f, f > 0))"), None);
        assert_eq!(
            check("tenants.all(t, t.floors.filter(f, f > 1).all(g, g < 9))"),
            None
        );
        assert_eq!(
            check("attachments.all(a, params.kinds.exists(k, k == a.kind))"),
            None
        );
        assert_eq!(
            check("params.kinds.all(k, attachments.exists(a, a.kind == k))"),
            None
        );
        assert_eq!(
            check("(kind == 'a' ? params.x : []).all(k, attachments.exists(a, a.kind == k))"),
            None
        );
    }

    #[test]
    fn quadratic_nesting_is_refused() {
        let p = check("tenants.all(t, tenants.exists(u, u.uscc == t.uscc))").unwrap();
        assert!(p.contains("(tenants)") && p.contains("square"), "{p}");
        assert!(check("tenants.map(a, tenants.map(b, tenants.map(c, 1))).size() > 0").is_some());
    }

    #[test]
    fn copying_list_operations_over_the_submission_are_refused() {
        let p = check("tenants.filter(t, t.active).size() > 0").unwrap();
        assert!(
            p.contains("filter or map") && p.contains("(tenants)"),
            "{p}"
        );
        assert!(check("attachments.map(a, a.kind).size() > 0").is_some());
        assert_eq!(check("it.floors.filter(f, f > 1).size() > 0"), None);
        assert_eq!(check("params.kinds.filter(k, k != 'a').size() > 0"), None);
    }

    #[test]
    fn deep_trees_are_refused() {
        let chain = vec!["1"; 80].join(" + ");
        let p = check(&format!("{chain} > 0")).unwrap();
        assert!(p.contains("deeper than 64"), "{p}");
        let chain = vec!["1"; 30].join(" + ");
        assert_eq!(check(&format!("{chain} > 0")), None);
    }
}
