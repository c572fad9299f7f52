//! The domain functions as CEL sees them: [`register`] adds the credit-code check, the size
//! classification, dates and units of [`crate::domain`] to a CEL context, with their argument
//! checks and "not applicable" errors. The computations themselves live in `crate::domain`.
//!
//! Panic-free on any input: a wrong argument is a CEL error, never a panic.

use std::sync::Arc;

use cel::common::types::{CelBool, CelDouble, CelInt, CelList, CelNull, CelString, CelUInt, Kind};
use cel::common::value::{CowVal, Val};
use cel::{Context, ExecutionError, FunctionContext, Value as Cel};
use jiff::civil::Date;

use crate::domain::dates::{days_between_dates, parse_date, years_between_dates};
use crate::domain::size::{Figure, Figures, SizeTable, SizeUnknown};
use crate::domain::units::mu_to_m2;
use crate::domain::uscc::uscc_valid;

/// The start of the message of the CEL error a function raises when its answer does not
/// apply to the data (e.g. `size_class` on a tenant that lacks a figure).
pub const NOT_APPLICABLE: &str = "not applicable: ";

/// The reason of a "not applicable" CEL error raised by one of the functions registered here
/// (the message after [`NOT_APPLICABLE`]), or `None` for any other error.
pub fn not_applicable_reason(err: &ExecutionError) -> Option<&str> {
    match err {
        ExecutionError::FunctionError { message, .. } => message.strip_prefix(NOT_APPLICABLE),
        _ => None,
    }
}

/// A context function as the cel crate stores it. Built by hand rather than through the
/// crate's argument extractors so that the arity is checked (the extractors ignore extra
/// arguments), strings and maps are read in place (the extractors copy them), and the
/// wrong argument type gets a message that says what was expected.
type CelFunction = Box<
    dyn for<'c, 'v> Fn(&mut FunctionContext<'c, 'v>) -> Result<CowVal<'c, 'v>, ExecutionError>
        + Send
        + Sync,
>;

/// Adds the parkcheck functions to a CEL context:
///
/// | function | returns |
/// |---|---|
/// | `uscc_valid(string)` | `bool`, [`uscc_valid`] |
/// | `size_class(map)` | `string`: 大型/中型/小型/微型, [`SizeTable::classify`] |
/// | `size_explain(map)` | `string`: the calculation, [`SizeTable::explain`] |
/// | `size_explain_zh(map)` | `string`: the same in Chinese, [`SizeTable::explain_zh`] |
/// | `size_missing(map)` | `list(string)`: the figures the sector needs that are absent |
/// | `days_between(string, string)` | `int`, [`days_between`] |
/// | `years_between(string, string)` | `int`, [`years_between`] |
/// | `mu_to_m2(double)` | `double` (an `int` or `uint` is accepted), [`mu_to_m2`] |
///
/// The map of the size functions is a tenant: `sector` (string) and the figures
/// `employees`, `revenue_10k_yuan`, `assets_10k_yuan` (double, int or uint; absent or `null`
/// when unknown). When the size cannot be computed, `size_class` and the `size_explain` functions raise a
/// function error whose message starts with [`NOT_APPLICABLE`] and gives the
/// [`SizeUnknown`] reason, e.g. `not applicable: employees, revenue_10k_yuan absent` or
/// `not applicable: unknown sector 制造业`; `size_missing` raises one for an unknown sector.
/// Each function may also be called as a method on its first argument
/// (`tenant.size_class()`, `a.days_between(b)`).
///
/// # Errors
///
/// When `ctx` is a child scope (the cel crate silently ignores functions added to one), or
/// when a name is already declared as an overload in the context's environment.
pub fn register(ctx: &mut Context<'_, '_>, sizes: Arc<SizeTable>) -> Result<(), String> {
    if matches!(ctx, Context::Child { .. }) {
        return Err(
            "parkcheck functions must be registered on a root CEL context, not a child scope"
                .to_owned(),
        );
    }
    let classify_table = Arc::clone(&sizes);
    let explain_table = Arc::clone(&sizes);
    let explain_zh_table = Arc::clone(&sizes);
    let missing_table = sizes;
    let functions: [(&str, CelFunction); 8] = [
        ("uscc_valid", Box::new(cel_uscc_valid)),
        (
            "size_class",
            Box::new(move |ftx| cel_size_class(ftx, &classify_table)),
        ),
        (
            "size_explain",
            Box::new(move |ftx| cel_size_explain(ftx, &explain_table, false)),
        ),
        (
            "size_explain_zh",
            Box::new(move |ftx| cel_size_explain(ftx, &explain_zh_table, true)),
        ),
        (
            "size_missing",
            Box::new(move |ftx| cel_size_missing(ftx, &missing_table)),
        ),
        ("days_between", Box::new(cel_days_between)),
        ("years_between", Box::new(cel_years_between)),
        ("mu_to_m2", Box::new(cel_mu_to_m2)),
    ];
    for (name, function) in functions {
        ctx.add_function(name, function)
            .map_err(|e| format!("cannot register CEL function {name}: {e}"))?;
    }
    Ok(())
}

/// The operands of a call: the target of a method call, then the arguments.
fn operands<'a, 'c, 'v>(
    ftx: &'a FunctionContext<'c, 'v>,
) -> impl Iterator<Item = &'a (dyn Val + 'v)> + 'a {
    ftx.this
        .iter()
        .chain(ftx.args.iter())
        .map(|c| -> &'a (dyn Val + 'v) { &**c })
}

fn operand_count(ftx: &FunctionContext<'_, '_>) -> usize {
    ftx.args.len() + usize::from(ftx.this.is_some())
}

/// The one operand of a unary function.
fn one<'a, 'c, 'v>(ftx: &'a FunctionContext<'c, 'v>) -> Result<&'a (dyn Val + 'v), ExecutionError> {
    let count = operand_count(ftx);
    match operands(ftx).next() {
        Some(v) if count == 1 => Ok(v),
        _ => Err(ExecutionError::invalid_argument_count(1, count)),
    }
}

/// The two operands of a binary function.
fn two<'a, 'c, 'v>(
    ftx: &'a FunctionContext<'c, 'v>,
) -> Result<(&'a (dyn Val + 'v), &'a (dyn Val + 'v)), ExecutionError> {
    let count = operand_count(ftx);
    let mut it = operands(ftx);
    match (it.next(), it.next()) {
        (Some(a), Some(b)) if count == 2 => Ok((a, b)),
        _ => Err(ExecutionError::invalid_argument_count(2, count)),
    }
}

fn type_name(v: &dyn Val) -> &str {
    v.get_type().name()
}

/// A string operand, read in place.
fn string_arg<'a>(
    ftx: &FunctionContext<'_, '_>,
    v: &'a dyn Val,
    what: &str,
) -> Result<&'a str, ExecutionError> {
    v.downcast_ref::<CelString>()
        .map(CelString::inner)
        .ok_or_else(|| ftx.error(format!("{what} must be a string, got {}", type_name(v))))
}

/// A number: a double, an int or a uint; `Ok(None)` for `null`; `Err` with the type's name
/// otherwise.
fn number_of(v: &dyn Val) -> Result<Option<f64>, String> {
    if let Some(d) = v.downcast_ref::<CelDouble>() {
        Ok(Some(*d.inner()))
    } else if let Some(i) = v.downcast_ref::<CelInt>() {
        Ok(Some(*i.inner() as f64))
    } else if let Some(u) = v.downcast_ref::<CelUInt>() {
        Ok(Some(*u.inner() as f64))
    } else if v.downcast_ref::<CelNull>().is_some() {
        Ok(None)
    } else {
        Err(type_name(v).to_owned())
    }
}

fn cel_uscc_valid<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let code = string_arg(ftx, one(ftx)?, "the USCC")?;
    Ok(CowVal::owned(CelBool::from(uscc_valid(code))))
}

/// Reads a tenant map into [`Figures`]. An absent or `null` sector gives an empty one (which
/// [`SizeUnknown`] reports as "sector absent").
fn tenant_figures(ftx: &FunctionContext<'_, '_>) -> Result<Figures, ExecutionError> {
    let tenant = one(ftx)?;
    // Strings and lists can be indexed too, but are not tenants; an application's own
    // map-like type (a lazy struct, an opaque) is accepted.
    let map_like = matches!(
        tenant.get_type().kind(),
        Kind::Map | Kind::Struct | Kind::Opaque | Kind::Unspecified | Kind::Dyn
    );
    let Some(map) = tenant.as_indexer().filter(|_| map_like) else {
        return Err(ftx.error(format!("expects a tenant map, got {}", type_name(tenant))));
    };
    let field = |key: &'static str| match map.get(&CelString::from(key)) {
        Ok(v) => Ok(Some(v)),
        Err(ExecutionError::NoSuchKey(_)) => Ok(None),
        Err(e) => Err(e),
    };
    let sector = match field("sector")? {
        None => String::new(),
        Some(v) if v.downcast_ref::<CelNull>().is_some() => String::new(),
        Some(v) => string_arg(ftx, &*v, "sector")?.to_owned(),
    };
    let mut figures = Figures {
        sector,
        ..Figures::default()
    };
    for fig in Figure::ALL {
        let value = match field(fig.key())? {
            None => None,
            Some(v) => number_of(&*v)
                .map_err(|got| ftx.error(format!("{} must be a number, got {got}", fig.key())))?,
        };
        match fig {
            Figure::Employees => figures.employees = value,
            Figure::Revenue10kYuan => figures.revenue_10k_yuan = value,
            Figure::Assets10kYuan => figures.assets_10k_yuan = value,
        }
    }
    Ok(figures)
}

fn not_applicable(ftx: &FunctionContext<'_, '_>, why: &SizeUnknown) -> ExecutionError {
    ftx.error(format!("{NOT_APPLICABLE}{why}"))
}

fn cel_size_class<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
    table: &SizeTable,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let figures = tenant_figures(ftx)?;
    match table.classify(&figures) {
        Ok(class) => Ok(CowVal::owned(CelString::from(class.zh()))),
        Err(why) => Err(not_applicable(ftx, &why)),
    }
}

fn cel_size_explain<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
    table: &SizeTable,
    zh: bool,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let figures = tenant_figures(ftx)?;
    let explained = if zh {
        table.explain_zh(&figures)
    } else {
        table.explain(&figures)
    };
    match explained {
        Ok((_, text)) => Ok(CowVal::owned(CelString::from(text))),
        Err(why) => Err(not_applicable(ftx, &why)),
    }
}

fn cel_size_missing<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
    table: &SizeTable,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let figures = tenant_figures(ftx)?;
    match table.missing(&figures) {
        Ok(missing) => {
            let items: Vec<Box<dyn Val + 'v>> = missing
                .into_iter()
                .map(|fig| Box::new(CelString::from(fig.key())) as Box<dyn Val + 'v>)
                .collect();
            Ok(CowVal::owned(CelList::from(items)))
        }
        Err(why) => Err(not_applicable(ftx, &why)),
    }
}

fn date_pair(ftx: &FunctionContext<'_, '_>) -> Result<(Date, Date), ExecutionError> {
    let (a, b) = two(ftx)?;
    let a = string_arg(ftx, a, "the first date")?;
    let b = string_arg(ftx, b, "the second date")?;
    let a = parse_date(a).map_err(|e| ftx.error(e))?;
    let b = parse_date(b).map_err(|e| ftx.error(e))?;
    Ok((a, b))
}

fn cel_days_between<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let (a, b) = date_pair(ftx)?;
    Ok(CowVal::owned(CelInt::from(days_between_dates(a, b))))
}

fn cel_years_between<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let (a, b) = date_pair(ftx)?;
    Ok(CowVal::owned(CelInt::from(years_between_dates(a, b))))
}

fn cel_mu_to_m2<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let v = one(ftx)?;
    match number_of(v) {
        Ok(Some(mu)) => Ok(CowVal::owned(CelDouble::from(mu_to_m2(mu)))),
        Ok(None) => Err(ftx.error("expects a number of 亩, got null")),
        Err(got) => Err(ftx.error(format!("expects a number of 亩, got {got}"))),
    }
}

/// The engine's own functions beside the domain ones: `sum`, `uscc_problem`, `uscc_problem_zh`.
pub fn register_extras(ctx: &mut Context<'_, '_>) {
    // Registration only fails on a name clash with CEL's standard library, which the tests rule out.
    let _ = ctx.add_function("sum", sum);
    let _ = ctx.add_function("uscc_problem", |code: Arc<String>| {
        crate::domain::uscc::uscc_problem(&code).map_or_else(String::new, |p| p.to_string())
    });
    let _ = ctx.add_function("uscc_problem_zh", |code: Arc<String>| {
        crate::domain::uscc::uscc_problem(&code).map_or_else(String::new, |p| p.zh())
    });
}

/// `sum(list)`: the sum of a list of numbers (CEL has no such built-in); `0.0` for an empty list.
fn sum(args: cel::extractors::Arguments) -> Result<Cel, ExecutionError> {
    let [Cel::List(items)] = args.0.as_slice() else {
        return Err(ExecutionError::function_error(
            "sum",
            "expects one list of numbers",
        ));
    };
    items
        .iter()
        .try_fold(0.0, |acc, item| match as_number(item) {
            Some(n) => Ok(acc + n),
            None => Err(ExecutionError::function_error(
                "sum",
                format!("not a number: {item:?}"),
            )),
        })
        .map(Cel::Float)
}

/// A CEL number as `f64` (CEL's `int` and `uint` too).
#[must_use]
pub fn as_number(value: &Cel) -> Option<f64> {
    match value {
        Cel::Float(f) => Some(*f),
        Cel::Int(i) => Some(*i as f64),
        Cel::UInt(u) => Some(*u as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::size::tests::table;
    use cel::{Program, Value};
    use std::collections::HashMap;

    fn context() -> Context<'static, 'static> {
        let mut ctx = Context::default();
        register(&mut ctx, Arc::new(table())).unwrap();
        ctx
    }

    fn eval(ctx: &Context<'_, '_>, expr: &str) -> Result<Value, ExecutionError> {
        Program::compile(expr).unwrap().execute(ctx)
    }

    fn s(v: &str) -> Value {
        Value::String(Arc::new(v.to_owned()))
    }

    fn message(e: &ExecutionError) -> &str {
        match e {
            ExecutionError::FunctionError { message, .. } => message,
            other => panic!("not a function error: {other:?}"),
        }
    }

    #[test]
    fn cel_uscc_valid_works() {
        let ctx = context();
        assert_eq!(
            eval(&ctx, "uscc_valid('91350100M000100Y43')"),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            eval(&ctx, "uscc_valid('91350100M000100Y44')"),
            Ok(Value::Bool(false))
        );
        assert_eq!(
            eval(&ctx, "'91350100M000100Y43'.uscc_valid()"),
            Ok(Value::Bool(true))
        );
        assert_eq!(eval(&ctx, "uscc_valid('')"), Ok(Value::Bool(false)));
        let e = eval(&ctx, "uscc_valid(91350100)").unwrap_err();
        assert_eq!(message(&e), "the USCC must be a string, got int");
        let e = eval(&ctx, "uscc_valid('a', 'b')").unwrap_err();
        assert_eq!(e, ExecutionError::invalid_argument_count(1, 2));
        let e = eval(&ctx, "uscc_valid()").unwrap_err();
        assert_eq!(e, ExecutionError::invalid_argument_count(1, 0));
        let e = eval(&ctx, "'a'.uscc_valid('b')").unwrap_err();
        assert_eq!(e, ExecutionError::invalid_argument_count(1, 2));
    }

    #[test]
    fn cel_size_class_works() {
        let ctx = context();
        let c = |expr: &str| eval(&ctx, expr);
        assert_eq!(
            c("size_class({'sector': '工业', 'employees': 50.0, 'revenue_10k_yuan': 500.0})"),
            Ok(s("小型"))
        );
        // ints and uints are numbers too
        assert_eq!(
            c("size_class({'sector': '工业', 'employees': 300, 'revenue_10k_yuan': 2000u})"),
            Ok(s("中型"))
        );
        assert_eq!(
            c("size_class({'sector': '工业', 'employees': 1000, 'revenue_10k_yuan': 40000.0})"),
            Ok(s("大型"))
        );
        assert_eq!(
            c("size_class({'sector': '其他未列明行业', 'employees': 3})"),
            Ok(s("微型"))
        );
        assert_eq!(
            c("{'sector': '农、林、牧、渔业', 'revenue_10k_yuan': 600.0}.size_class()"),
            Ok(s("中型"))
        );
        assert_eq!(
            c(
                "size_class({'sector': '工业', 'employees': 50.0, 'revenue_10k_yuan': 500.0}) in ['小型', '微型']"
            ),
            Ok(Value::Bool(true))
        );
    }

    #[test]
    fn cel_size_class_not_applicable() {
        let ctx = context();
        let err = |expr: &str| eval(&ctx, expr).unwrap_err();
        let e = err("size_class({'sector': '工业'})");
        assert_eq!(
            message(&e),
            "not applicable: employees, revenue_10k_yuan absent"
        );
        assert_eq!(
            not_applicable_reason(&e),
            Some("employees, revenue_10k_yuan absent")
        );
        assert_eq!(
            e.to_string(),
            "Error executing function 'size_class': not applicable: employees, revenue_10k_yuan absent"
        );
        // null counts as absent
        let e = err("size_class({'sector': '工业', 'employees': 5, 'revenue_10k_yuan': null})");
        assert_eq!(message(&e), "not applicable: revenue_10k_yuan absent");
        let e = err("size_class({'sector': '制造业', 'employees': 5})");
        assert_eq!(message(&e), "not applicable: unknown sector 制造业");
        let e = err("size_class({'employees': 5})");
        assert_eq!(message(&e), "not applicable: sector absent");
        let e = err("size_class({'sector': '工业', 'employees': -5, 'revenue_10k_yuan': 1})");
        assert_eq!(
            message(&e),
            "not applicable: employees = -5 is not a valid figure (a number ≥ 0 is needed)"
        );
        // wrong types are errors, but not "not applicable"
        let e = err("size_class({'sector': '工业', 'employees': '50', 'revenue_10k_yuan': 1})");
        assert_eq!(message(&e), "employees must be a number, got string");
        assert_eq!(not_applicable_reason(&e), None);
        let e = err("size_class({'sector': 1})");
        assert_eq!(message(&e), "sector must be a string, got int");
        let e = err("size_class('工业')");
        assert_eq!(message(&e), "expects a tenant map, got string");
        let e = err("size_class([1])");
        assert_eq!(message(&e), "expects a tenant map, got list");
        // a CEL conditional can route around the error
        assert_eq!(
            eval(
                &ctx,
                "size_missing({'sector': '工业'}).size() > 0 ? 'unknown' : size_class({'sector': '工业'})"
            ),
            Ok(s("unknown"))
        );
        assert_eq!(
            not_applicable_reason(&ExecutionError::function_error("f", "x")),
            None
        );
    }

    #[test]
    fn cel_size_missing_and_explain() {
        let ctx = context();
        let list = |items: &[&str]| Value::List(Arc::new(items.iter().map(|i| s(i)).collect()));
        assert_eq!(
            eval(
                &ctx,
                "size_missing({'sector': '工业', 'employees': 50.0, 'revenue_10k_yuan': 500.0})"
            ),
            Ok(list(&[]))
        );
        assert_eq!(
            eval(&ctx, "size_missing({'sector': '工业', 'employees': 50.0})"),
            Ok(list(&["revenue_10k_yuan"]))
        );
        assert_eq!(
            eval(&ctx, "size_missing({'sector': '租赁和商务服务业'})"),
            Ok(list(&["employees", "assets_10k_yuan"]))
        );
        let e = eval(&ctx, "size_missing({'sector': '制造业'})").unwrap_err();
        assert_eq!(message(&e), "not applicable: unknown sector 制造业");
        let text = eval(
            &ctx,
            "size_explain({'sector': '工业', 'employees': 50, 'revenue_10k_yuan': 500})",
        )
        .unwrap();
        let Value::String(text) = text else {
            panic!("{text:?}")
        };
        assert!(text.ends_with("→ 小型"), "{text}");
        let text = eval(
            &ctx,
            "size_explain_zh({'sector': '工业', 'employees': 50, 'revenue_10k_yuan': 500})",
        )
        .unwrap();
        let Value::String(text) = text else {
            panic!("{text:?}")
        };
        assert!(
            text.ends_with("小型须 X ≥ 20 且 Y ≥ 300：满足 → 小型"),
            "{text}"
        );
    }

    #[test]
    fn cel_size_over_variables_and_macros() {
        let mut ctx = context();
        let tenant = |sector: &str, x: Value, y: Value| {
            Value::from(HashMap::from([
                ("sector", s(sector)),
                ("employees", x),
                ("revenue_10k_yuan", y),
                ("name", s("某公司")),
                ("honours", Value::List(Arc::new(vec![s("规上")]))),
            ]))
        };
        let tenants = vec![
            tenant("工业", Value::Float(50.0), Value::Float(500.0)),
            tenant("工业", Value::Int(5), Value::Int(10)),
            tenant("工业", Value::Int(400), Value::Float(3000.0)),
        ];
        ctx.add_variable_from_value("t", tenants[0].clone());
        ctx.add_variable_from_value("tenants", Value::List(Arc::new(tenants)));
        assert_eq!(eval(&ctx, "t.size_class()"), Ok(s("小型")));
        assert_eq!(eval(&ctx, "size_class(t)"), Ok(s("小型")));
        assert_eq!(
            eval(
                &ctx,
                "tenants.filter(x, size_class(x) in ['小型', '微型']).size()"
            ),
            Ok(Value::Int(2))
        );
        assert_eq!(
            eval(&ctx, "tenants.map(x, x.size_class())"),
            Ok(Value::List(Arc::new(vec![s("小型"), s("微型"), s("中型")])))
        );
    }

    #[test]
    fn cel_dates_and_units() {
        let ctx = context();
        assert_eq!(
            eval(&ctx, "days_between('2020-01-01', '2021-01-01')"),
            Ok(Value::Int(366))
        );
        assert_eq!(
            eval(&ctx, "days_between('2021-01-01', '2020-01-01')"),
            Ok(Value::Int(-366))
        );
        assert_eq!(
            eval(&ctx, "'2020-01-01'.days_between('2020-01-31')"),
            Ok(Value::Int(30))
        );
        assert_eq!(
            eval(&ctx, "years_between('2020-02-29', '2021-02-28')"),
            Ok(Value::Int(1))
        );
        assert_eq!(
            eval(&ctx, "years_between('2022-03-01', '2020-03-01')"),
            Ok(Value::Int(-2))
        );
        let e = eval(&ctx, "days_between('2020-01-01', '2020-02-30')").unwrap_err();
        assert_eq!(
            message(&e),
            "\"2020-02-30\" is not a calendar date: February 2020 has 29 days"
        );
        let e = eval(&ctx, "years_between('2020/01/01', '2020-02-01')").unwrap_err();
        assert_eq!(
            message(&e),
            "\"2020/01/01\" is not a date of the form YYYY-MM-DD"
        );
        let e = eval(&ctx, "days_between('2020-01-01', 5)").unwrap_err();
        assert_eq!(message(&e), "the second date must be a string, got int");
        let e = eval(&ctx, "days_between('2020-01-01')").unwrap_err();
        assert_eq!(e, ExecutionError::invalid_argument_count(2, 1));

        assert_eq!(eval(&ctx, "mu_to_m2(15.0)"), Ok(Value::Float(10_000.0)));
        assert_eq!(eval(&ctx, "mu_to_m2(15)"), Ok(Value::Float(10_000.0)));
        assert_eq!(eval(&ctx, "mu_to_m2(15u)"), Ok(Value::Float(10_000.0)));
        assert_eq!(eval(&ctx, "mu_to_m2(30) >= 20000.0"), Ok(Value::Bool(true)));
        let e = eval(&ctx, "mu_to_m2('15')").unwrap_err();
        assert_eq!(message(&e), "expects a number of 亩, got string");
        let e = eval(&ctx, "mu_to_m2(null)").unwrap_err();
        assert_eq!(message(&e), "expects a number of 亩, got null");
    }

    #[test]
    fn registration() {
        // every name is free in the standard environment
        let mut ctx = Context::default();
        assert_eq!(register(&mut ctx, Arc::new(table())), Ok(()));
        // registering again replaces the functions
        assert_eq!(register(&mut ctx, Arc::new(table())), Ok(()));
        assert_eq!(
            eval(&ctx, "uscc_valid('91350100M000100Y43')"),
            Ok(Value::Bool(true))
        );
        // a child scope would silently drop them
        let mut child = ctx.new_inner_scope();
        let e = register(&mut child, Arc::new(table())).unwrap_err();
        assert!(e.contains("root CEL context"), "{e}");
        // an empty context works too
        let mut empty = Context::empty();
        assert_eq!(register(&mut empty, Arc::new(table())), Ok(()));
    }

    /// Every function the loader accepts exists at run time.
    #[test]
    fn listed_functions_are_callable() {
        let mut ctx = Context::with_env(Arc::new(cel::Env::stdlib()));
        register(
            &mut ctx,
            Arc::new(SizeTable::from_json(&serde_json::json!([])).unwrap()),
        )
        .unwrap();
        register_extras(&mut ctx);
        let calls = [
            ("size", "size([1])"),
            ("int", "int(1.5)"),
            ("uint", "uint(1)"),
            ("double", "double(1)"),
            ("string", "string(1)"),
            ("bool", "bool('true')"),
            ("bytes", "bytes('a')"),
            ("type", "type(1)"),
            ("dyn", "dyn(1)"),
            ("has", "has({'a': 1}.a)"),
            ("sum", "sum([1.0])"),
            ("uscc_valid", "uscc_valid('x')"),
            ("uscc_problem", "uscc_problem('x')"),
            ("uscc_problem_zh", "uscc_problem_zh('x')"),
            ("days_between", "days_between('2020-01-01', '2020-01-02')"),
            ("years_between", "years_between('2020-01-01', '2021-01-02')"),
            ("mu_to_m2", "mu_to_m2(1.0)"),
            ("size_class", "size_class({'sector': 'x'})"),
            ("size_explain", "size_explain({'sector': 'x'})"),
            ("size_explain_zh", "size_explain_zh({'sector': 'x'})"),
            ("size_missing", "size_missing({'sector': 'x'})"),
        ];
        for name in crate::expr::FUNCTIONS {
            assert!(
                calls.iter().any(|(n, _)| n == name),
                "{name} is not exercised here"
            );
        }
        for (name, call) in calls {
            let result = cel::Program::compile(call).unwrap().execute(&ctx);
            // The size functions answer "not applicable" for a sector the (empty) table lacks.
            let ok = match &result {
                Ok(_) => true,
                Err(e) => e.to_string().contains("not applicable"),
            };
            assert!(ok, "{name}: {result:?}");
        }
    }
}
