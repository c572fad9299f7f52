//! Rulebook files → [`Rulebook`]s, collecting every problem of every file before returning.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::shape;
use super::{
    Builtin, Check, Deduction, Effective, Expr, Figure, KINDS, Metric, Param, ParamValue, Rule,
    RuleRef, Rulebook, Scoring,
};
use crate::document::{Document, Limits, Node, Pointer, Value};
use crate::document::{Syntax, load_bytes};
use crate::expr::refs::{self, Path};
use crate::expr::{DOCUMENT_ROOTS, FILES, FUNCTIONS};
use crate::finding::FileReport;
use crate::finding::{Confidence, Finding, Severity};
use crate::schema::Schema;
use crate::source::Span;
use crate::text::Text;

/// The rule id of problems in rulebooks.
pub const RULEBOOK_RULE: &str = "RULEBOOK";

/// The longest nesting of brackets accepted in an expression (the CEL parser recurses). The
/// rulebook schema bounds an expression's length (4096 characters); [`shape`] bounds the depth
/// of its syntax tree.
const MAX_EXPR_NESTING: usize = 32;

/// Every rulebook of a run, validated together.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rulebooks: Vec<Rulebook>,
}

impl RuleSet {
    pub fn rules(&self) -> impl Iterator<Item = (&Rulebook, &Rule)> {
        self.rulebooks
            .iter()
            .flat_map(|b| b.rules.iter().map(move |r| (b, r)))
    }

    pub fn params(&self) -> impl Iterator<Item = &Param> {
        self.rulebooks.iter().flat_map(|b| b.params.iter())
    }

    pub fn metrics(&self) -> impl Iterator<Item = &Metric> {
        self.rulebooks.iter().flat_map(|b| b.metrics.iter())
    }

    #[must_use]
    pub fn rule(&self, id: &str) -> Option<(&Rulebook, &Rule)> {
        self.rules().find(|(_, r)| r.id == id)
    }

    #[must_use]
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params().find(|p| p.name == name)
    }

    /// The evaluation scheme (at most one rulebook defines it).
    #[must_use]
    pub fn scoring(&self) -> Option<&Scoring> {
        self.rulebooks.iter().find_map(|b| b.scoring.as_ref())
    }

    #[must_use]
    pub fn table(&self, name: &str) -> Option<&serde_json::Value> {
        self.rulebooks.iter().find_map(|b| b.tables.get(name))
    }
}

/// Loads and validates rulebooks given as `(name, bytes)`.
///
/// # Errors
/// One report per rulebook file with problems, holding all of that file's problems.
pub fn load_rulebooks(
    files: Vec<(String, Vec<u8>)>,
    limits: &Limits,
) -> Result<RuleSet, Vec<FileReport>> {
    let schema = match Schema::rulebook() {
        Ok(schema) => schema,
        Err(e) => {
            let source = crate::source::SourceFile::new("schemas/rulebook.schema.json", "");
            let finding = Finding::new(
                RULEBOOK_RULE,
                Severity::Error,
                Text::new(e.to_string(), e.to_string()),
            );
            return Err(vec![FileReport::failed(source, vec![finding])]);
        }
    };
    let parsed: Vec<Result<Document, FileReport>> = files
        .into_par_iter()
        .map(|(name, bytes)| {
            let doc = load_bytes(&name, bytes, Syntax::of_name(&name), limits)?;
            let structural = schema.check(&doc);
            if !structural.is_empty() {
                return Err(FileReport::failed(doc.source, structural));
            }
            Ok(doc)
        })
        .collect();
    let mut reports = Vec::new();
    let mut docs = Vec::new();
    for result in parsed {
        match result {
            Ok(doc) => docs.push(doc),
            Err(report) => reports.push(report),
        }
    }
    // Compiling the CEL expressions (ANTLR) is most of the fixed cost of every run: all of them,
    // of all rulebooks, compile in parallel, each distinct text once.
    let mut texts: Vec<&str> = Vec::new();
    for doc in &docs {
        expression_texts(&doc.root, &mut texts);
    }
    texts.sort_unstable();
    texts.dedup();
    let programs: Programs<'_> = texts
        .into_par_iter()
        .filter_map(|text| Some((text, Arc::new(cel::Program::compile(text).ok()?))))
        .collect();
    let mut loaded: Vec<(Rulebook, Vec<Finding>)> = docs
        .par_iter()
        .map(|doc| {
            let mut errors = Vec::new();
            let book = convert(
                &Book {
                    doc,
                    programs: &programs,
                },
                &mut errors,
            );
            (book, errors)
        })
        .collect();
    cross_check(&mut loaded);
    for (book, errors) in &loaded {
        if !errors.is_empty() {
            reports.push(FileReport::failed(book.source.clone(), errors.clone()));
        }
    }
    if reports.is_empty() {
        Ok(RuleSet {
            rulebooks: loaded.into_iter().map(|(b, _)| b).collect(),
        })
    } else {
        Err(reports)
    }
}

/// The expressions of all rulebooks compiled ahead (those without a syntax error), by text.
type Programs<'a> = HashMap<&'a str, Arc<cel::Program>>;

/// A rulebook being converted, with the programs compiled ahead.
struct Book<'a> {
    doc: &'a Document,
    programs: &'a Programs<'a>,
}

impl std::ops::Deref for Book<'_> {
    type Target = Document;

    fn deref(&self) -> &Document {
        self.doc
    }
}

/// The texts of the expressions in a rulebook: the strings under `when`, `assert` and `expr`,
/// and those of a `values` mapping. (An expression missed here is compiled when converted.)
fn expression_texts<'a>(node: &'a Node, out: &mut Vec<&'a str>) {
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                match (&entry.value.value, entry.key.as_str()) {
                    (Value::Str(text), "when" | "assert" | "expr" | "if") => out.push(text),
                    (Value::Map(values), "values") => {
                        out.extend(values.iter().filter_map(|e| match &e.value.value {
                            Value::Str(text) => Some(text.as_str()),
                            _ => None,
                        }))
                    }
                    _ => expression_texts(&entry.value, out),
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                expression_texts(item, out);
            }
        }
        _ => {}
    }
}

fn error(doc: &Document, pointer: &Pointer, span: Option<Span>, message: Text) -> Finding {
    let span = span.or_else(|| doc.label_span(pointer));
    Finding::new(RULEBOOK_RULE, Severity::Error, message).at(pointer.clone(), span)
}

fn str_of<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    match &node.get(key)?.value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

fn text_of(node: &Node, key: &str) -> Option<Text> {
    let t = node.get(key)?;
    Some(Text::new(str_of(t, "zh")?, str_of(t, "en")?))
}

fn effective_of(node: &Node) -> Effective {
    node.get("effective")
        .map_or_else(Effective::default, |e| Effective {
            from: str_of(e, "from").map(str::to_owned),
            until: str_of(e, "until").map(str::to_owned),
        })
}

fn entries(node: Option<&Node>) -> &[crate::document::Entry] {
    match node.map(|n| &n.value) {
        Some(Value::Map(entries)) => entries,
        _ => &[],
    }
}

fn items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// Compiles the expression at `pointer`; a syntax error is located inside the rule file.
fn compile(doc: &Book<'_>, pointer: &Pointer, errors: &mut Vec<Finding>) -> Option<Expr> {
    let node = doc.get(pointer)?;
    let Value::Str(text) = &node.value else {
        return None;
    };
    let nesting = text
        .chars()
        .try_fold((0usize, 0usize), |(depth, max), c| match c {
            '(' | '[' | '{' => Some((depth + 1, max.max(depth + 1))),
            ')' | ']' | '}' => Some((depth.saturating_sub(1), max)),
            _ => Some((depth, max)),
        });
    if nesting.is_some_and(|(_, max)| max > MAX_EXPR_NESTING) {
        errors.push(error(
            doc,
            pointer,
            None,
            Text::new(
                format!("表达式嵌套超过 {MAX_EXPR_NESTING} 层"),
                format!("the expression nests deeper than {MAX_EXPR_NESTING} levels"),
            ),
        ));
        return None;
    }
    let program = match doc.programs.get(text.as_str()) {
        Some(program) => Ok(Arc::clone(program)),
        None => cel::Program::compile(text).map(Arc::new),
    };
    match program {
        Ok(program) => {
            if let Some(problem) = shape::problem(program.expression()) {
                errors.push(error(doc, pointer, None, problem));
                return None;
            }
            let paths = refs::paths(program.expression());
            Some(Expr {
                text: text.clone(),
                span: node.span,
                fast: crate::expr::fast::compile(program.expression()).map(Arc::new),
                program,
                paths,
            })
        }
        Err(e) => {
            for parse_error in e.errors {
                let (line, col) = parse_error.pos;
                let at = locate(doc, node.span, text, line, col);
                errors.push(error(
                    doc,
                    pointer,
                    Some(at),
                    Text::new(
                        format!("CEL 表达式语法错误：{}", parse_error.msg),
                        format!("CEL syntax error: {}", parse_error.msg),
                    ),
                ));
            }
            None
        }
    }
}

/// The span of a (1-based) line and column of an expression inside the rule file.
fn locate(doc: &Document, node_span: Span, text: &str, line: isize, col: isize) -> Span {
    let line = usize::try_from(line.max(1)).unwrap_or(1);
    let col = usize::try_from(col.max(1)).unwrap_or(1);
    let Some(line_text) = text.lines().nth(line - 1) else {
        return node_span;
    };
    let in_line: usize = line_text.chars().take(col - 1).map(char::len_utf8).sum();
    let raw = doc.source.slice(node_span);
    match raw.find(line_text) {
        Some(found) if !line_text.is_empty() => {
            let at = node_span.start + found + in_line;
            // One character wide: a CEL error may point at a Chinese character.
            let width = doc
                .source
                .text()
                .get(at..)
                .and_then(|t| t.chars().next())
                .map_or(0, char::len_utf8);
            Span::new(at, (at + width).min(node_span.end.max(at)))
        }
        _ => node_span,
    }
}

fn convert(doc: &Book<'_>, errors: &mut Vec<Finding>) -> Rulebook {
    let root = &doc.root;
    let meta = root.get("rulebook");
    let id = meta
        .and_then(|m| str_of(m, "id"))
        .unwrap_or_default()
        .to_owned();
    let mut book = Rulebook {
        id: id.clone(),
        title: meta.and_then(|m| text_of(m, "title")).unwrap_or_default(),
        issuer: meta
            .and_then(|m| str_of(m, "issuer"))
            .unwrap_or_default()
            .to_owned(),
        number: meta.and_then(|m| str_of(m, "number")).map(str::to_owned),
        version: meta
            .and_then(|m| str_of(m, "version"))
            .unwrap_or_default()
            .to_owned(),
        effective: meta.map(effective_of).unwrap_or_default(),
        url: meta.and_then(|m| str_of(m, "url")).map(str::to_owned),
        params: Vec::new(),
        metrics: Vec::new(),
        tables: BTreeMap::new(),
        scoring: root.get("scoring").map(scoring_of),
        rules: Vec::new(),
        source: doc.source.clone(),
    };
    for entry in entries(root.get("params")) {
        let p = &entry.value;
        let value = ParamValue::from_node(p.get("value"));
        book.params.push(Param {
            name: entry.key.to_string(),
            rulebook: id.clone(),
            value,
            unit: str_of(p, "unit").map(str::to_owned),
            confidence: str_of(p, "confidence")
                .and_then(Confidence::parse)
                .unwrap_or(Confidence::Unverified),
            source: str_of(p, "source").unwrap_or_default().to_owned(),
            description: text_of(p, "description"),
            span: entry.key_span,
        });
    }
    for entry in entries(root.get("metrics")) {
        let pointer = Pointer::root().join("metrics").join(&entry.key);
        let Some(expr) = compile(doc, &pointer.join("expr"), errors) else {
            continue;
        };
        book.metrics.push(Metric {
            name: entry.key.to_string(),
            rulebook: id.clone(),
            over: str_of(&entry.value, "over").map(list_pointer),
            if_absent: entry.value.get("if_absent").and_then(|n| match n.value {
                Value::Int(i) => Some(i as f64),
                Value::Float(f) => Some(f),
                _ => None,
            }),
            distinct: str_of(&entry.value, "distinct").and_then(Builtin::parse),
            expr,
            formula: text_of(&entry.value, "formula").unwrap_or_default(),
            unit: str_of(&entry.value, "unit").map(str::to_owned),
        });
    }
    for entry in entries(root.get("tables")) {
        book.tables
            .insert(entry.key.to_string(), entry.value.to_json());
    }
    for (index, node) in items(root.get("rules")).iter().enumerate() {
        let pointer = Pointer::root().join("rules").join(&index.to_string());
        if let Some(rule) = convert_rule(doc, node, &pointer, &id, errors) {
            book.rules.push(rule);
        }
    }
    book
}

fn convert_rule(
    doc: &Book<'_>,
    node: &Node,
    pointer: &Pointer,
    book: &str,
    errors: &mut Vec<Finding>,
) -> Option<Rule> {
    let source = node.get("source");
    let mut when = node
        .get("when")
        .and_then(|_| compile(doc, &pointer.join("when"), errors));
    let rule_list = str_of(node, "for_each").map(list_pointer);
    // In a rule that goes item by item, its condition is about the item: it moves to the check.
    let mut condition = text_of(node, "condition");
    let (item_when, item_condition) = if rule_list.is_some() {
        (when.take(), condition.take())
    } else {
        (None, None)
    };
    if item_when.is_some() && node.get("checks").is_some() {
        errors.push(error(
            doc,
            &pointer.join("when"),
            None,
            Text::new(
                "逐项检查（for_each）且有 checks 的规则，请把 when 写在各检查项上",
                "in a `for_each` rule with `checks`, put `when` on each check",
            ),
        ));
    }
    let mut checks = Vec::new();
    if node.get("assert").is_some() {
        if let Some(assert) = compile(doc, &pointer.join("assert"), errors) {
            checks.push(Check {
                when: item_when,
                condition: item_condition,
                assert,
                at: str_of(node, "at").map(str::to_owned),
                message: text_of(node, "message").unwrap_or_default(),
                for_each: rule_list.clone(),
                values: values_of(doc, node, pointer, errors),
                severity: None,
                confidence: None,
                skip: None,
            });
        }
    }
    for (i, c) in items(node.get("checks")).iter().enumerate() {
        let cp = pointer.join("checks").join(&i.to_string());
        let check_when = c
            .get("when")
            .and_then(|_| compile(doc, &cp.join("when"), errors));
        if let Some(assert) = compile(doc, &cp.join("assert"), errors) {
            checks.push(Check {
                when: check_when,
                condition: text_of(c, "condition"),
                assert,
                at: str_of(c, "at").map(str::to_owned),
                message: text_of(c, "message").unwrap_or_default(),
                for_each: str_of(c, "for_each")
                    .map(list_pointer)
                    .or_else(|| rule_list.clone()),
                values: values_of(doc, c, &cp, errors),
                severity: str_of(c, "severity").map(severity_of),
                confidence: str_of(c, "confidence").and_then(Confidence::parse),
                skip: skip_of(doc, c, &cp, errors),
            });
        }
    }
    // A rule with errors is kept (without its broken expressions), so that the checks across
    // rulebooks still see its id; the load fails anyway.
    let severity = severity_of(str_of(node, "severity").unwrap_or("error"));
    Some(Rule {
        id: str_of(node, "id").unwrap_or_default().to_owned(),
        title: text_of(node, "title").unwrap_or_default(),
        rulebook: source
            .and_then(|s| str_of(s, "rulebook"))
            .unwrap_or(book)
            .to_owned(),
        clause: source
            .and_then(|s| str_of(s, "clause"))
            .unwrap_or_default()
            .to_owned(),
        confidence: source
            .and_then(|s| str_of(s, "confidence"))
            .and_then(Confidence::parse)
            .unwrap_or(Confidence::Unverified),
        severity,
        effective: effective_of(node),
        applies_to: match node.get("applies_to") {
            Some(list) => items(Some(list))
                .iter()
                .filter_map(|k| match &k.value {
                    Value::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            None => KINDS.iter().map(|k| (*k).to_owned()).collect(),
        },
        when,
        condition,
        checks,
        builtin: str_of(node, "builtin").and_then(Builtin::parse),
        help: text_of(node, "help").unwrap_or_default(),
        span: node.entry("id").map_or(node.span, |e| e.value.span),
    })
}

fn rule_ref(node: &Node) -> Option<RuleRef> {
    match &node.value {
        Value::Str(id) => Some(RuleRef {
            id: id.clone(),
            span: node.span,
        }),
        _ => None,
    }
}

fn rule_refs(node: Option<&Node>) -> Vec<RuleRef> {
    items(node).iter().filter_map(rule_ref).collect()
}

/// The `scoring:` section (its shape is checked by the rulebook schema beforehand).
fn scoring_of(node: &Node) -> Scoring {
    Scoring {
        transition: node
            .get("transition")
            .and_then(|t| Some((rule_ref(t.get("rule")?)?, rule_refs(t.get("suspends"))))),
        vetoes: rule_refs(node.get("vetoes")),
        deductions: items(node.get("deductions"))
            .iter()
            .filter_map(|d| {
                let points = d.get("points")?;
                Some(Deduction {
                    rule: rule_ref(d.get("rule")?)?,
                    points: str_of(d, "points")?.to_owned(),
                    points_span: points.span,
                })
            })
            .collect(),
        doubtful: rule_refs(node.get("doubtful")),
        figures: items(node.get("figures"))
            .iter()
            .filter_map(|f| {
                Some(Figure {
                    id: str_of(f, "id")?.to_owned(),
                    title: text_of(f, "title").unwrap_or_default(),
                    numerator: str_of(f, "numerator")?.to_owned(),
                    denominator: str_of(f, "denominator")?.to_owned(),
                    unit: str_of(f, "unit").map(str::to_owned),
                    span: f.span,
                })
            })
            .collect(),
    }
}

fn severity_of(text: &str) -> Severity {
    match text {
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        _ => Severity::Error,
    }
}

/// `buildings.list` → `/buildings/list`.
fn list_pointer(path: &str) -> Pointer {
    path.split('.')
        .fold(Pointer::root(), |p, field| p.join(field))
}

/// The `skip: {if, reason}` of a check, compiled; a check that goes item by item cannot have
/// one (it would leave out items one by one, which is what `when` is for).
fn skip_of(
    doc: &Book<'_>,
    check: &Node,
    pointer: &Pointer,
    errors: &mut Vec<Finding>,
) -> Option<crate::rulebook::Skip> {
    let skip = check.get("skip")?;
    if check.get("for_each").is_some() {
        errors.push(error(
            doc,
            &pointer.join("skip"),
            None,
            Text::new(
                "逐项检查（for_each）不能有 skip；请用 when",
                "a check that goes item by item (`for_each`) cannot have `skip`; use `when`",
            ),
        ));
        return None;
    }
    let condition = compile(doc, &pointer.join("skip").join("if"), errors)?;
    Some(crate::rulebook::Skip {
        condition,
        reason: text_of(skip, "reason").unwrap_or_default(),
    })
}

/// The `values:` of a rule or check, compiled.
fn values_of(
    doc: &Book<'_>,
    node: &Node,
    pointer: &Pointer,
    errors: &mut Vec<Finding>,
) -> Vec<(String, Expr)> {
    entries(node.get("values"))
        .iter()
        .filter_map(|e| {
            let expr = compile(doc, &pointer.join("values").join(&e.key), errors)?;
            Some((e.key.to_string(), expr))
        })
        .collect()
}

/// Checks across all rulebooks: unique ids and names, known references, known placeholders.
fn cross_check(loaded: &mut [(Rulebook, Vec<Finding>)]) {
    let mut rule_ids: HashMap<String, String> = HashMap::new();
    let mut names: HashMap<(&'static str, String), String> = HashMap::new();
    let mut book_ids: HashMap<String, String> = HashMap::new();
    let params: HashSet<String> = loaded
        .iter()
        .flat_map(|(b, _)| b.params.iter().map(|p| p.name.clone()))
        .collect();
    let number_params: HashSet<String> = loaded
        .iter()
        .flat_map(|(b, _)| b.params.iter())
        .filter(|p| matches!(p.value, ParamValue::Number(_)))
        .map(|p| p.name.clone())
        .collect();
    let metrics: HashSet<String> = loaded
        .iter()
        .flat_map(|(b, _)| b.metrics.iter().map(|m| m.name.clone()))
        .collect();
    let rules: HashSet<String> = loaded
        .iter()
        .flat_map(|(b, _)| b.rules.iter().map(|r| r.id.clone()))
        .collect();
    let mut scoring_in: Option<String> = None;
    // A metric may read the metrics defined before it (earlier in its rulebook or in an earlier
    // rulebook): they are computed in that order.
    let mut metrics_before: HashSet<String> = HashSet::new();
    for (book, errors) in loaded.iter_mut() {
        for m in &book.metrics {
            for name in m.expr.names_under("metrics") {
                if metrics.contains(name) && !metrics_before.contains(name) {
                    errors.push(located(
                        Text::new(
                            format!("指标「{}」读取的指标「{name}」须定义在它之前", m.name),
                            format!(
                                "metric `{}` reads `{name}`, which must be defined before it",
                                m.name
                            ),
                        ),
                        Some(m.expr.span),
                    ));
                }
            }
            metrics_before.insert(m.name.clone());
        }
    }
    for (book, errors) in loaded.iter_mut() {
        let file = book.source.name().to_owned();
        if let Some(scoring) = &book.scoring {
            if let Some(first) = scoring_in.replace(file.clone()) {
                errors.push(located(
                    Text::new(
                        format!("绩效评价计分（scoring）只能在一本规则手册中定义，{first} 中已有"),
                        format!("`scoring` may be defined in one rulebook only; {first} defines it already"),
                    ),
                    None,
                ));
            }
            check_scoring(scoring, &rules, &params, &number_params, &metrics, errors);
        }
        if let Some(first) = book_ids.insert(book.id.clone(), file.clone()) {
            errors.push(located(
                Text::new(
                    format!("规则手册编号「{}」与 {first} 重复", book.id),
                    format!("rulebook id `{}` is also used by {first}", book.id),
                ),
                None,
            ));
        }
        for rule in &book.rules {
            if let Some(first) = rule_ids.insert(rule.id.clone(), file.clone()) {
                errors.push(located(
                    Text::new(
                        format!("规则编号「{}」重复（{first} 中已有）", rule.id),
                        format!("duplicate rule id `{}` (already in {first})", rule.id),
                    ),
                    Some(rule.span),
                ));
            }
        }
        for p in &book.params {
            if let Some(first) = names.insert(("param", p.name.clone()), file.clone()) {
                errors.push(located(Text::new(
                    format!("参数名「{}」重复（{first} 中已有）；参数名在所有规则手册中须唯一", p.name),
                    format!("duplicate parameter `{}` (already in {first}); names are unique across rulebooks", p.name),
                ), Some(p.span)));
            }
        }
        for m in &book.metrics {
            if let Some(first) = names.insert(("metric", m.name.clone()), file.clone()) {
                errors.push(located(
                    Text::new(
                        format!("指标名「{}」重复（{first} 中已有）", m.name),
                        format!("duplicate metric `{}` (already in {first})", m.name),
                    ),
                    Some(m.expr.span),
                ));
            }
            check_refs(&m.expr, m.over.is_some(), true, &params, &metrics, errors);
        }
        for rule in &book.rules {
            if let Some(when) = &rule.when {
                check_refs(when, false, true, &params, &metrics, errors);
            }
            for check in &rule.checks {
                let in_loop = check.for_each.is_some();
                for expr in check.exprs() {
                    check_refs(expr, in_loop, true, &params, &metrics, errors);
                }
                let names: Vec<&str> = check.values.iter().map(|(n, _)| n.as_str()).collect();
                check_placeholders(
                    &check.message,
                    in_loop,
                    &names,
                    &params,
                    &metrics,
                    rule.span,
                    errors,
                );
                if let Some(skip) = &check.skip {
                    check_placeholders(
                        &skip.reason,
                        false,
                        &[],
                        &params,
                        &metrics,
                        rule.span,
                        errors,
                    );
                }
            }
        }
    }
}

/// The references of a `scoring:` section: rule ids known (a rule, or an id the submission
/// schema enforces), parameters known (and numbers, for points), metrics known.
fn check_scoring(
    scoring: &Scoring,
    rules: &HashSet<String>,
    params: &HashSet<String>,
    number_params: &HashSet<String>,
    metrics: &HashSet<String>,
    errors: &mut Vec<Finding>,
) {
    let structural = crate::schema::structural_rules();
    let transition = scoring
        .transition
        .iter()
        .flat_map(|(rule, suspends)| std::iter::once(rule).chain(suspends));
    let deductions = scoring.deductions.iter().map(|d| &d.rule);
    for r in transition
        .chain(&scoring.vetoes)
        .chain(deductions)
        .chain(&scoring.doubtful)
    {
        if !rules.contains(&r.id) && !structural.contains_key(&r.id) {
            errors.push(located(
                Text::new(
                    format!("未知规则编号「{}」：既不是规则，也不是提交文件模式实施的编号", r.id),
                    format!("unknown rule id `{}`: neither a rule nor an id the submission schema enforces", r.id),
                ),
                Some(r.span),
            ));
        }
    }
    for d in &scoring.deductions {
        if !params.contains(&d.points) {
            errors.push(located(
                Text::new(
                    format!("未知参数「{}」", d.points),
                    format!("unknown parameter `{}`", d.points),
                ),
                Some(d.points_span),
            ));
        } else if !number_params.contains(&d.points) {
            // A profile cannot change a parameter's kind, so a number here stays one.
            errors.push(located(
                Text::new(
                    format!("扣分分值参数「{}」须为数值", d.points),
                    format!("the points parameter `{}` must be a number", d.points),
                ),
                Some(d.points_span),
            ));
        }
    }
    for f in &scoring.figures {
        for name in [&f.numerator, &f.denominator] {
            if !metrics.contains(name) {
                errors.push(located(
                    Text::new(
                        format!("亩均指标「{}」引用了未知指标「{name}」", f.id),
                        format!("figure `{}` names an unknown metric `{name}`", f.id),
                    ),
                    Some(f.span),
                ));
            }
        }
    }
}

fn located(message: Text, span: Option<Span>) -> Finding {
    Finding::new(RULEBOOK_RULE, Severity::Error, message).with_span(span)
}

fn check_refs(
    expr: &Expr,
    in_loop: bool,
    may_use_metrics: bool,
    params: &HashSet<String>,
    metrics: &HashSet<String>,
    errors: &mut Vec<Finding>,
) {
    for function in refs::functions(expr.program.expression()) {
        if !FUNCTIONS.contains(&function.as_str()) {
            errors.push(located(
                Text::new(
                    format!("未知函数「{function}」"),
                    format!("unknown function `{function}`"),
                ),
                Some(expr.span),
            ));
        }
    }
    for path in &expr.paths {
        let known_root = DOCUMENT_ROOTS.contains(&path.root.as_str())
            || path.root == "params"
            || path.root == FILES
            || (may_use_metrics && path.root == "metrics")
            || (in_loop && path.root == "it");
        if !known_root {
            errors.push(located(
                Text::new(
                    format!("表达式中的名称「{}」未知", path.root),
                    format!("unknown name `{}` in the expression", path.root),
                ),
                Some(expr.span),
            ));
            continue;
        }
        let name = name_under(path);
        match (path.root.as_str(), name) {
            ("params", Some(n)) if !params.contains(n) => errors.push(located(
                Text::new(
                    format!("未知参数「{n}」"),
                    format!("unknown parameter `{n}`"),
                ),
                Some(expr.span),
            )),
            ("metrics", Some(n)) if !metrics.contains(n) => errors.push(located(
                Text::new(format!("未知指标「{n}」"), format!("unknown metric `{n}`")),
                Some(expr.span),
            )),
            _ => {}
        }
    }
}

fn name_under(path: &Path) -> Option<&str> {
    match path.segs.first() {
        Some(refs::Seg::Field(n)) => Some(n),
        _ => None,
    }
}

/// `{name}` placeholders: `value`, a metric, a parameter, or a path from a document root
/// (or, inside `for_each`, a path from `it` and `position`, the item's place from 1).
fn check_placeholders(
    message: &Text,
    in_loop: bool,
    values: &[&str],
    params: &HashSet<String>,
    metrics: &HashSet<String>,
    span: Span,
    errors: &mut Vec<Finding>,
) {
    let mut names: Vec<&str> = placeholders(&message.zh)
        .chain(placeholders(&message.en))
        .collect();
    names.sort_unstable();
    names.dedup();
    {
        for name in names {
            let root = name.split('.').next().unwrap_or_default();
            let ok = name == "value"
                || values.contains(&name)
                || params.contains(name)
                || metrics.contains(name)
                || DOCUMENT_ROOTS.contains(&root)
                || (in_loop && root == "it" && name.contains('.'))
                || (in_loop && name == "position");
            if !ok {
                errors.push(located(
                    Text::new(
                        format!("消息中的占位符 {{{name}}} 未知"),
                        format!("unknown placeholder {{{name}}} in the message"),
                    ),
                    Some(span),
                ));
            }
        }
    }
}

/// The names between braces in a message template.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
}
