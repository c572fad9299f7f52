//! A fast path for the plain expressions most checks are made of, evaluated on the submission's
//! own tree; the cel crate stays the reference and evaluates everything else.
//!
//! Why: in a check of 200 parks × 150 tenants, the rules evaluate about 3 000 expressions per
//! park (`it.status == '入驻'`, `has(it.exited_on)`, `uscc_valid(it.uscc)`, …), and the cel
//! crate's tree-walking interpreter spends 3–5 k instructions on each: every `it.status` is
//! split into name segments, joined into a `String` and looked up as a qualified name, and
//! every intermediate value is boxed. That was half the time of a whole run (callgrind,
//! benches/README.md).
//!
//! How: an expression is compiled here, from the AST the cel crate parsed, when every part of it
//! is in the subset below; otherwise it has no fast form and always goes to cel. Evaluating a fast
//! form either gives the value cel would give, or gives up (`None`) and the caller asks cel, which
//! then also gives the error message and the reason a check does not apply. The fast path gives up
//! whenever anything is not plain: an absent field, a value of an unexpected type, a `NaN`, an
//! integer overflow, a function that does not apply. So it decides only the ordinary case, and
//! decides it as cel does: `tests/fast_path.rs` evaluates every fixture, and variants of them with
//! values of every kind in place of their fields, with the fast path on and off and compares the
//! findings, outcomes and metrics; the tests below compare single expressions.
//!
//! The subset: literals (not bytes, not unsigned), list literals, `it`, the document roots,
//! `params.x`, `metrics.x`, field selection, `has()`, `!`, unary `-`, `&&`, `||`, `?:`, `==`,
//! `!=`, `<`, `<=`, `>`, `>=`, `+ - *` on two ints and `+ - * /` on two doubles, `in` a list,
//! `size()` of a string or a list, and the domain functions `uscc_valid`, `size_class`,
//! `size_missing`, `days_between`, `years_between`, `mu_to_m2` called as functions. Not in it:
//! macros over lists (`exists`, `all`, `filter`, `map`), map literals, indexing, methods,
//! conversions (`string()`, `int()`, `double()`), `files`.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::atomic::{self, AtomicUsize};

use cel::common::ast::{Expr as Ast, IdedExpr, LiteralValue, operators};

use crate::document::{Node, Value, same_key};
use crate::domain::size::{Figure, Figures, SizeClass, SizeTable};
use crate::domain::{dates, units, uscc};
use crate::expr::{DOCUMENT_ROOTS, ParamValue};
use crate::text::Text;

/// An expression compiled for the fast path.
#[derive(Debug)]
pub struct Program(Op);

#[derive(Debug)]
enum Op {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    Str(String),
    /// A list of literals.
    List(Vec<Op>),
    /// `it`, the item of a `for_each` list or an `over` metric.
    Item,
    /// A top-level field of the submission, bound as a variable (`park`, `as_of`).
    Root(Key),
    /// `params.x`.
    Param(String),
    /// `metrics.x`.
    Metric(String),
    Field(Box<Op>, Key),
    Has(Box<Op>, Key),
    Not(Box<Op>),
    Negate(Box<Op>),
    /// `&&` (`stop` false) or `||` (`stop` true): a left side equal to `stop` decides.
    Connective {
        stop: bool,
        left: Box<Op>,
        right: Box<Op>,
    },
    Cond(Box<Op>, Box<Op>, Box<Op>),
    Equals(Box<Op>, Box<Op>),
    NotEquals(Box<Op>, Box<Op>),
    Compare(Cmp, Box<Op>, Box<Op>),
    Arith(Arith, Box<Op>, Box<Op>),
    In(Box<Op>, Box<Op>),
    Size(Box<Op>),
    Call(Func, Vec<Op>),
}

/// A field name, with where it was found last: the tenants of one submission mostly list their
/// fields in the same order, so the place of `status` in one tenant is nearly always its place
/// in the next, and most lookups compare one key instead of scanning the mapping.
#[derive(Debug)]
struct Key {
    name: String,
    /// The index of the entry that had this name last (shared by the threads; only a hint).
    hint: AtomicUsize,
}

impl Key {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            hint: AtomicUsize::new(0),
        }
    }

    /// The value under this key in `node`, when it is a mapping that has it.
    fn find<'a>(&self, node: &'a Node) -> Option<&'a Node> {
        let Value::Map(entries) = &node.value else {
            return None;
        };
        let hint = self.hint.load(atomic::Ordering::Relaxed);
        if let Some(entry) = entries.get(hint).filter(|e| same_key(&e.key, &self.name)) {
            return Some(&entry.value);
        }
        let (index, entry) = entries
            .iter()
            .enumerate()
            .find(|(_, e)| same_key(&e.key, &self.name))?;
        self.hint.store(index, atomic::Ordering::Relaxed);
        Some(&entry.value)
    }
}

impl Op {
    fn is_literal(&self) -> bool {
        self.literal().is_some()
    }

    /// A literal's value.
    fn literal(&self) -> Option<Val<'_>> {
        Some(match self {
            Self::Null => Val::Null,
            Self::Bool(b) => Val::Bool(*b),
            Self::Int(i) => Val::Int(*i),
            Self::Double(d) => Val::Double(*d),
            Self::Str(s) => Val::Str(s),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum Cmp {
    Less,
    LessEquals,
    Greater,
    GreaterEquals,
}

#[derive(Debug, Clone, Copy)]
enum Arith {
    Add,
    Subtract,
    Multiply,
    Divide,
}

#[derive(Debug, Clone, Copy)]
enum Func {
    UsccValid,
    SizeClass,
    SizeMissing,
    DaysBetween,
    YearsBetween,
    MuToM2,
}

impl Func {
    fn of(name: &str) -> Option<(Self, usize)> {
        Some(match name {
            "uscc_valid" => (Self::UsccValid, 1),
            "size_class" => (Self::SizeClass, 1),
            "size_missing" => (Self::SizeMissing, 1),
            "days_between" => (Self::DaysBetween, 2),
            "years_between" => (Self::YearsBetween, 2),
            "mu_to_m2" => (Self::MuToM2, 1),
            _ => return None,
        })
    }
}

/// The fast form of `expr`, when all of it is in the subset.
#[must_use]
pub fn compile(expr: &IdedExpr) -> Option<Program> {
    op(expr).map(Program)
}

fn boxed(expr: &IdedExpr) -> Option<Box<Op>> {
    op(expr).map(Box::new)
}

fn op(expr: &IdedExpr) -> Option<Op> {
    Some(match &expr.expr {
        Ast::Literal(literal) => match literal {
            LiteralValue::Null => Op::Null,
            LiteralValue::Boolean(b) => Op::Bool(*b.inner()),
            LiteralValue::Int(i) => Op::Int(*i.inner()),
            LiteralValue::Double(d) => Op::Double(*d.inner()),
            LiteralValue::String(s) => Op::Str(s.inner().to_owned()),
            LiteralValue::UInt(_) | LiteralValue::Bytes(_) => return None,
        },
        // Lists of literals (`['甲', '乙']`): a list to look in.
        Ast::List(list) if list.optional_indices.is_empty() => Op::List(
            list.elements
                .iter()
                .map(|e| op(e).filter(Op::is_literal))
                .collect::<Option<_>>()?,
        ),
        Ast::Ident(name) if name == "it" => Op::Item,
        Ast::Ident(name) if DOCUMENT_ROOTS.contains(&name.as_str()) => Op::Root(Key::new(name)),
        Ast::Select(select) => {
            if let Ast::Ident(root) = &select.operand.expr {
                if !select.test {
                    match root.as_str() {
                        "params" => return Some(Op::Param(select.field.clone())),
                        "metrics" => return Some(Op::Metric(select.field.clone())),
                        _ => {}
                    }
                }
            }
            let operand = boxed(&select.operand)?;
            if select.test {
                Op::Has(operand, Key::new(&select.field))
            } else {
                Op::Field(operand, Key::new(&select.field))
            }
        }
        Ast::Call(call) => {
            let args = &call.args;
            let arg = |i: usize| args.get(i).and_then(boxed);
            if call.target.is_some() {
                return None;
            }
            match (call.func_name.as_str(), args.len()) {
                (operators::LOGICAL_NOT, 1) => Op::Not(arg(0)?),
                (operators::NEGATE, 1) => Op::Negate(arg(0)?),
                (operators::LOGICAL_AND, 2) => Op::Connective {
                    stop: false,
                    left: arg(0)?,
                    right: arg(1)?,
                },
                (operators::LOGICAL_OR, 2) => Op::Connective {
                    stop: true,
                    left: arg(0)?,
                    right: arg(1)?,
                },
                (operators::CONDITIONAL, 3) => Op::Cond(arg(0)?, arg(1)?, arg(2)?),
                (operators::EQUALS, 2) => Op::Equals(arg(0)?, arg(1)?),
                (operators::NOT_EQUALS, 2) => Op::NotEquals(arg(0)?, arg(1)?),
                (operators::LESS, 2) => Op::Compare(Cmp::Less, arg(0)?, arg(1)?),
                (operators::LESS_EQUALS, 2) => Op::Compare(Cmp::LessEquals, arg(0)?, arg(1)?),
                (operators::GREATER, 2) => Op::Compare(Cmp::Greater, arg(0)?, arg(1)?),
                (operators::GREATER_EQUALS, 2) => Op::Compare(Cmp::GreaterEquals, arg(0)?, arg(1)?),
                (operators::ADD, 2) => Op::Arith(Arith::Add, arg(0)?, arg(1)?),
                (operators::SUBSTRACT, 2) => Op::Arith(Arith::Subtract, arg(0)?, arg(1)?),
                (operators::MULTIPLY, 2) => Op::Arith(Arith::Multiply, arg(0)?, arg(1)?),
                (operators::DIVIDE, 2) => Op::Arith(Arith::Divide, arg(0)?, arg(1)?),
                (operators::IN, 2) => Op::In(arg(0)?, arg(1)?),
                ("size", 1) => Op::Size(arg(0)?),
                (name, count) => {
                    let (func, arity) = Func::of(name)?;
                    if arity != count {
                        return None;
                    }
                    Op::Call(func, args.iter().map(op).collect::<Option<_>>()?)
                }
            }
        }
        _ => return None,
    })
}

/// The parameters an expression reads (`params.x`): their values after the profile.
pub trait Params: Sync + std::fmt::Debug {
    fn value(&self, name: &str) -> Option<&ParamValue>;
}

impl Params for BTreeMap<String, ParamValue> {
    fn value(&self, name: &str) -> Option<&ParamValue> {
        self.get(name)
    }
}

/// What an expression is evaluated against.
#[derive(Debug)]
pub struct Scope<'a> {
    /// The submission's root mapping.
    pub root: &'a Node,
    /// The current item, inside a `for_each` check or an `over` metric.
    pub item: Option<&'a Node>,
    pub params: &'a dyn Params,
    /// The metrics computed so far (those that could not be are not variables for cel either).
    pub metrics: &'a BTreeMap<String, Result<f64, Text>>,
    pub sizes: &'a SizeTable,
}

/// A boolean or a number (an int as a double), what checks and metrics come to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar {
    Bool(bool),
    Number(f64),
}

/// A value on the fast path. Numbers of the submission are doubles, as `bind` makes them for cel.
/// (`Copy`, without a destructor: evaluating allocates nothing.)
#[derive(Debug, Clone, Copy)]
enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    /// A string of the submission, a literal or a parameter (a thin reference; see below).
    Str(&'a String),
    /// What `size_class` gives: a string, the class's Chinese name.
    Class(SizeClass),
    /// A mapping or a sequence of the submission.
    Node(&'a Node),
    /// A list parameter.
    Strings(&'a Vec<String>),
    /// A list literal; its items are literals.
    Literals(&'a Vec<Op>),
    /// What `size_missing` gives: a set of the size figures' keys, bit `i` for
    /// `Figure::ALL[i]` (a set, not a list: `in` and `size()` are all the fast path asks of it,
    /// and it keeps `Val` two words long).
    Keys(u8),
}

// Every step of an evaluation returns a `Val`. At two words (one of payload, hence the thin
// references above) it comes back in registers; at three or more it was written to the stack
// by the callee and read back by the caller in wider loads than the writes, which stalls the
// store forwarding: a quarter of `eval`'s cycles (perf annotate, 200 × 150 corpus).
const _: () = assert!(std::mem::size_of::<Option<Val<'static>>>() <= 16);

impl<'a> Val<'a> {
    fn of_node(node: &'a Node) -> Self {
        match &node.value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Int(i) => Self::Double(*i as f64),
            Value::Float(f) => Self::Double(*f),
            Value::Str(s) => Self::Str(s),
            Value::Seq(_) | Value::Map(_) => Self::Node(node),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Self::Double(d) => Some(*d),
            Self::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    const fn is_scalar(&self) -> bool {
        matches!(
            self,
            Self::Null
                | Self::Bool(_)
                | Self::Int(_)
                | Self::Double(_)
                | Self::Str(_)
                | Self::Class(_)
        )
    }

    /// The string, when the value is one.
    fn text(&self) -> Option<&'a str> {
        match *self {
            Self::Str(s) => Some(s),
            Self::Class(class) => Some(class.zh()),
            _ => None,
        }
    }
}

impl Program {
    /// The value cel would give, or `None` when the fast path gives up (ask cel).
    fn eval<'a>(&'a self, scope: &Scope<'a>) -> Option<Val<'a>> {
        eval(&self.0, scope)
    }

    /// `Some` when the expression evaluates to a boolean or a number on the fast path.
    #[must_use]
    pub fn eval_scalar(&self, scope: &Scope<'_>) -> Option<Scalar> {
        match self.eval(scope)? {
            Val::Bool(b) => Some(Scalar::Bool(b)),
            Val::Double(d) => Some(Scalar::Number(d)),
            Val::Int(i) => Some(Scalar::Number(i as f64)),
            _ => None,
        }
    }

    /// `Some(b)` when the expression evaluates to the boolean `b` on the fast path.
    #[must_use]
    pub fn eval_bool(&self, scope: &Scope<'_>) -> Option<bool> {
        match self.eval(scope)? {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }
}

fn eval<'a>(op: &'a Op, scope: &Scope<'a>) -> Option<Val<'a>> {
    Some(match op {
        Op::Null | Op::Bool(_) | Op::Int(_) | Op::Double(_) | Op::Str(_) => op.literal()?,
        Op::List(items) => Val::Literals(items),
        Op::Item => Val::of_node(scope.item?),
        Op::Root(name) => Val::of_node(name.find(scope.root)?),
        Op::Param(name) => match scope.params.value(name)? {
            ParamValue::Number(n) => Val::Double(*n),
            ParamValue::Text(t) => Val::Str(t),
            ParamValue::List(items) => Val::Strings(items),
        },
        Op::Metric(name) => Val::Double(*scope.metrics.get(name)?.as_ref().ok()?),
        Op::Field(operand, field) => match eval(operand, scope)? {
            Val::Node(node) if matches!(node.value, Value::Map(_)) => {
                Val::of_node(field.find(node)?)
            }
            _ => return None,
        },
        Op::Has(operand, field) => match eval(operand, scope)? {
            Val::Node(node) if matches!(node.value, Value::Map(_)) => {
                Val::Bool(field.find(node).is_some())
            }
            _ => return None,
        },
        Op::Not(operand) => match eval(operand, scope)? {
            Val::Bool(b) => Val::Bool(!b),
            _ => return None,
        },
        Op::Negate(operand) => match eval(operand, scope)? {
            Val::Double(d) => Val::Double(-d),
            Val::Int(i) => Val::Int(i.checked_neg()?),
            _ => return None,
        },
        Op::Connective { stop, left, right } => match eval(left, scope)? {
            Val::Bool(b) if b == *stop => Val::Bool(b),
            Val::Bool(_) => match eval(right, scope)? {
                Val::Bool(b) => Val::Bool(b),
                _ => return None,
            },
            _ => return None,
        },
        Op::Cond(cond, then, otherwise) => match eval(cond, scope)? {
            Val::Bool(true) => eval(then, scope)?,
            Val::Bool(false) => eval(otherwise, scope)?,
            _ => return None,
        },
        Op::Equals(a, b) => Val::Bool(equals(&eval(a, scope)?, &eval(b, scope)?)?),
        Op::NotEquals(a, b) => Val::Bool(!equals(&eval(a, scope)?, &eval(b, scope)?)?),
        Op::Compare(cmp, a, b) => {
            let ordering = compare(&eval(a, scope)?, &eval(b, scope)?)?;
            Val::Bool(match cmp {
                Cmp::Less => ordering == Ordering::Less,
                Cmp::LessEquals => ordering != Ordering::Greater,
                Cmp::Greater => ordering == Ordering::Greater,
                Cmp::GreaterEquals => ordering != Ordering::Less,
            })
        }
        Op::Arith(arith, a, b) => arithmetic(*arith, &eval(a, scope)?, &eval(b, scope)?)?,
        Op::In(needle, haystack) => {
            let needle = eval(needle, scope)?;
            Val::Bool(contains(&eval(haystack, scope)?, &needle)?)
        }
        Op::Size(operand) => Val::Int(match eval(operand, scope)? {
            text @ (Val::Str(_) | Val::Class(_)) => {
                i64::try_from(text.text()?.chars().count()).ok()?
            }
            Val::Node(Node {
                value: Value::Seq(items),
                ..
            }) => i64::try_from(items.len()).ok()?,
            Val::Strings(items) => i64::try_from(items.len()).ok()?,
            Val::Literals(items) => i64::try_from(items.len()).ok()?,
            Val::Keys(set) => i64::from(set.count_ones()),
            _ => return None,
        }),
        Op::Call(func, args) => call(*func, args, scope)?,
    })
}

/// CEL's `==` on the values the fast path has: numbers compare numerically (`1.0 == 1`), values
/// of different kinds are unequal, and a `NaN` equals nothing. Lists and maps: ask cel.
fn equals(a: &Val<'_>, b: &Val<'_>) -> Option<bool> {
    if !a.is_scalar() || !b.is_scalar() {
        return None;
    }
    Some(match (a, b) {
        (Val::Int(x), Val::Int(y)) => x == y,
        (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        _ => match (a.text(), b.text()) {
            (Some(x), Some(y)) => x == y,
            _ => match (a.number(), b.number()) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            },
        },
    })
}

/// CEL's ordering of two numbers or two strings; anything else (and a `NaN`) is an error in cel.
fn compare(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        _ => match (a.text(), b.text()) {
            (Some(x), Some(y)) => Some(x.cmp(y)),
            _ => a.number()?.partial_cmp(&b.number()?),
        },
    }
}

/// Arithmetic on two doubles (IEEE 754: dividing by zero gives an infinity, as in cel) or two
/// ints (checked; division and mixed operands are left to cel).
fn arithmetic<'a>(arith: Arith, a: &Val<'a>, b: &Val<'a>) -> Option<Val<'a>> {
    Some(match (a, b) {
        (Val::Double(x), Val::Double(y)) => Val::Double(match arith {
            Arith::Add => x + y,
            Arith::Subtract => x - y,
            Arith::Multiply => x * y,
            Arith::Divide => x / y,
        }),
        (Val::Int(x), Val::Int(y)) => Val::Int(match arith {
            Arith::Add => x.checked_add(*y)?,
            Arith::Subtract => x.checked_sub(*y)?,
            Arith::Multiply => x.checked_mul(*y)?,
            Arith::Divide => return None,
        }),
        _ => return None,
    })
}

/// `needle in haystack` for a list; each item compared with CEL's `==` (a list or map item is
/// unequal to a scalar, as in cel).
fn contains(haystack: &Val<'_>, needle: &Val<'_>) -> Option<bool> {
    if !needle.is_scalar() {
        return None;
    }
    let hit = |item: &Val<'_>| -> Option<bool> {
        if item.is_scalar() {
            equals(needle, item)
        } else {
            Some(false)
        }
    };
    match haystack {
        Val::Node(Node {
            value: Value::Seq(items),
            ..
        }) => {
            for item in items {
                if hit(&Val::of_node(item))? {
                    return Some(true);
                }
            }
            Some(false)
        }
        Val::Strings(items) => Some(items.iter().any(|s| needle.text() == Some(s.as_str()))),
        Val::Literals(items) => {
            for item in *items {
                if hit(&item.literal()?)? {
                    return Some(true);
                }
            }
            Some(false)
        }
        Val::Keys(set) => Some(
            Figure::ALL
                .iter()
                .enumerate()
                .any(|(i, f)| set & (1 << i) != 0 && needle.text() == Some(f.key())),
        ),
        _ => None,
    }
}

fn call<'a>(func: Func, args: &'a [Op], scope: &Scope<'a>) -> Option<Val<'a>> {
    let arg = |i: usize| eval(args.get(i)?, scope);
    Some(match func {
        Func::UsccValid => Val::Bool(uscc::uscc_valid(arg(0)?.text()?)),
        Func::SizeClass => {
            let figures = figures(&arg(0)?)?;
            Val::Class(scope.sizes.classify(&figures).ok()?)
        }
        Func::SizeMissing => {
            let figures = figures(&arg(0)?)?;
            let missing = scope.sizes.missing(&figures).ok()?;
            let set = Figure::ALL
                .iter()
                .enumerate()
                .filter(|(_, f)| missing.contains(f))
                .fold(0u8, |set, (i, _)| set | 1 << i);
            Val::Keys(set)
        }
        Func::DaysBetween | Func::YearsBetween => {
            let (a, b) = (arg(0)?.text()?, arg(1)?.text()?);
            let a = dates::parse_date(a).ok()?;
            let b = dates::parse_date(b).ok()?;
            Val::Int(match func {
                Func::DaysBetween => dates::days_between_dates(a, b),
                _ => dates::years_between_dates(a, b),
            })
        }
        Func::MuToM2 => Val::Double(units::mu_to_m2(arg(0)?.number()?)),
    })
}

/// A tenant mapping read as the size functions read it (`tenant_figures` for cel): an absent or
/// null sector is empty, an absent or null figure unknown; any other type gives up.
fn figures(tenant: &Val<'_>) -> Option<Figures> {
    let Val::Node(node) = tenant else {
        return None;
    };
    if !matches!(node.value, Value::Map(_)) {
        return None;
    }
    let sector = match node.get("sector").map(Val::of_node) {
        None | Some(Val::Null) => String::new(),
        Some(Val::Str(s)) => s.to_owned(),
        Some(_) => return None,
    };
    let mut figures = Figures {
        sector,
        ..Figures::default()
    };
    for fig in Figure::ALL {
        let value = match node.get(fig.key()).map(Val::of_node) {
            None | Some(Val::Null) => None,
            Some(v) => Some(v.number()?),
        };
        match fig {
            Figure::Employees => figures.employees = value,
            Figure::Revenue10kYuan => figures.revenue_10k_yuan = value,
            Figure::Assets10kYuan => figures.assets_10k_yuan = value,
        }
    }
    Some(figures)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;
    use crate::document::{Limits, parse};

    fn fast(src: &str) -> Option<Program> {
        compile(cel::Program::compile(src).unwrap().expression())
    }

    #[test]
    fn the_plain_subset_compiles() {
        for src in [
            "it.status == '入驻' && has(it.exited_on)",
            "!has(it.rectified_on) || it.rectified_on <= as_of",
            "uscc_valid(it.uscc)",
            "size(size_missing(it)) == 0 && size_class(it) in ['小型', '微型']",
            "'规上' in it.honours",
            "metrics.active_tenants >= params.min_tenants",
            "years_between('0001-01-01', as_of) + 1",
            "land.footprint_m2 / mu_to_m2(land.actual_area_mu) * 100.0",
            "it.status == '入驻' && has(it.employees) ? it.employees : 0.0",
            "-land.x < 0.0 && days_between(it.date, as_of) <= 365",
        ] {
            assert!(fast(src).is_some(), "{src}");
        }
    }

    #[test]
    fn the_rest_is_left_to_cel() {
        for src in [
            "it.floors_detail.all(f, f.floor > 0)",
            "attachments.exists(a, a.kind == '土地证')",
            "{'一星': '县'}[park.star.level] == park.star.rated_by",
            "string(int(metrics.reporting_year)) + '-Q1'",
            "files[it.file].sha256 == it.sha256",
            "it.name.contains('厂')",
            "1u == 1u",
            "b'x' == b'x'",
            "[it.a, it.b].size() > 0",
            "size(it) > 0 && params == {}",
            "undeclared_name > 0",
            "it.size_class() == '小型'",
        ] {
            assert!(fast(src).is_none(), "{src}");
        }
    }

    /// The fast path's value, as cel's value type, when it gives one.
    fn as_cel(v: Val<'_>) -> Option<cel::Value> {
        Some(match v {
            Val::Null => cel::Value::Null,
            Val::Bool(b) => cel::Value::Bool(b),
            Val::Int(i) => cel::Value::Int(i),
            Val::Double(d) => cel::Value::Float(d),
            Val::Str(s) => cel::Value::String(std::sync::Arc::new(s.clone())),
            Val::Class(c) => cel::Value::String(std::sync::Arc::new(c.zh().to_owned())),
            _ => return None,
        })
    }

    /// On values of every kind, the fast path gives cel's answer or gives up; and it does decide
    /// the plain cases.
    #[test]
    fn agrees_with_cel_or_gives_up() {
        let (root, _) = parse(
            "land: {a: 3, b: 2.5, z: 0, n: null, s: '3', t: true, nan: .nan, big: 9223372036854775807, \
             list: [1, '入驻', null], map: {k: 1}, date: 2025-12-31, bad_date: 2025-13-01}\n",
            &Limits::default(),
        )
        .unwrap();
        let params: BTreeMap<String, ParamValue> = BTreeMap::new();
        let metrics = BTreeMap::new();
        let sizes = std::sync::Arc::new(SizeTable::from_json(&serde_json::json!([])).unwrap());
        let scope = Scope {
            root: &root,
            item: None,
            params: &params,
            metrics: &metrics,
            sizes: &sizes,
        };
        let mut ctx = cel::Context::default();
        crate::expr::functions::register(&mut ctx, std::sync::Arc::clone(&sizes)).unwrap();
        ctx.add_variable_as_val("land", crate::expr::bind::full(root.get("land").unwrap()));
        let decided = [
            ("land.a == 3", true),
            ("land.a == 3.0", true),
            ("land.b > land.a", false),
            ("land.a / land.z > 1.0e308", true),
            ("land.s == 3", false),
            ("land.n == null", true),
            ("land.t != false", true),
            ("'入驻' in land.list", true),
            ("2.5 in land.list", false),
            ("size('入驻') == 2 && size(land.list) == 3", true),
            ("has(land.n) && !has(land.missing)", true),
            ("land.a > 1 ? land.s < '4' : false", true),
            ("days_between('2025-01-01', land.date) == 364", true),
            ("years_between('2020-06-30', land.date) == 5", true),
            ("mu_to_m2(15) == 10000.0", true),
            ("-land.b < -2.0", true),
            ("false && land.missing", false),
            ("true || land.missing", true),
            ("2 + 3 * 4 - 1 == 13", true),
        ];
        for (src, want) in decided {
            let got = fast(src).unwrap().eval_bool(&scope);
            assert_eq!(got, Some(want), "{src}");
            let cel = cel::Program::compile(src).unwrap().execute(&ctx).unwrap();
            assert_eq!(cel, cel::Value::Bool(want), "cel on {src}");
        }
        // Errors in cel, or values the fast path does not judge: it gives up.
        for src in [
            "land.missing == 1",
            "land.nan < 1.0",
            "land.big + 1.0 > 0.0 && land.a + 1 > 0",
            "9223372036854775807 + 1 > 0",
            "land.s < 4",
            "land.n > 1.0",
            "land.t < false",
            "land.map == land.map",
            "land.a && true",
            "land.map in land.list",
            "size(land.map) == 1",
            "has(land.a.b)",
            "land.z ? 1 : 2",
            "days_between(land.bad_date, land.date) > 0",
            "mu_to_m2(land.s) > 0.0",
            "4 / 2 == 2",
            "uscc_valid(land.a)",
        ] {
            let program = fast(src).unwrap_or_else(|| panic!("{src} has no fast form"));
            let got = program.eval(&scope).and_then(as_cel);
            let cel = cel::Program::compile(src).unwrap().execute(&ctx);
            match (got, cel) {
                (None, _) => {}
                (Some(v), Ok(c)) => assert_eq!(v, c, "{src}"),
                (Some(v), Err(e)) => panic!("{src}: the fast path gave {v:?}, cel {e}"),
            }
        }
    }
}
