//! The rules engine: selects the rules in force, binds what they read, evaluates them with
//! CEL and turns failures into findings with their source and calculation.

pub mod duplicates;
mod files;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cel::{Context, ExecutionError, Value as Cel};

use crate::document::{Document, Node, Pointer, Value};
use crate::domain::size::SizeTable;
use crate::expr::DOCUMENT_ROOTS;
use crate::expr::functions::{self, as_number};
use crate::expr::refs::{Path, Seg};
use crate::expr::{FILES, bind, fast};
use crate::finding::{
    Citation, Confidence, Finding, MetricTrace, Outcome, OutcomeStatus, ParamTrace, Related,
    Severity, Trace, TraceInput,
};
use crate::profile::Profile;
use crate::rulebook::{Builtin, Check, Expr, Metric, ParamValue, Rule, RuleSet, Rulebook};
use crate::text::{Text, number, precise};

/// Per-evaluation choices.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Evaluate as of this date (`YYYY-MM-DD`) instead of the submission's `as_of`.
    pub as_of: Option<String>,
}

/// The name of the size-classification table in the rulebooks.
pub const SIZE_TABLE: &str = "size_classes";

/// Metrics are rounded to this many decimals before comparison, so that a plot ratio of
/// exactly 1.2 computed through divisions is not 1.1999999999999997.
const METRIC_DECIMALS: i32 = 9;

impl fast::Params for BTreeMap<String, EffectiveParam> {
    fn value(&self, name: &str) -> Option<&ParamValue> {
        self.get(name).map(|p| &p.value)
    }
}

/// A parameter after the profile: value, provenance.
#[derive(Debug, Clone)]
pub struct EffectiveParam {
    pub value: ParamValue,
    pub unit: Option<String>,
    pub confidence: Confidence,
    pub source: String,
    /// Set by the profile rather than the rulebook.
    pub from_profile: bool,
}

/// Compiled rulebooks, the profile applied, ready to evaluate submissions.
pub struct Engine {
    rules: RuleSet,
    profile: Profile,
    params: BTreeMap<String, EffectiveParam>,
    params_value: Cel,
    sizes: Arc<SizeTable>,
    env: Arc<cel::Env>,
    /// Per document root, the union of the paths any expression reads.
    doc_steps: Vec<(String, Vec<Vec<Seg>>)>,
    /// Per `for_each` list, the union of the paths of `it` its rules read.
    item_steps: HashMap<Pointer, Vec<Vec<Seg>>>,
    /// Some rule reads `files` (the attachments' files): look at them for each submission.
    reads_files: bool,
    /// The metrics computed for each submission: those the rules read (and, for `score`, those
    /// of the evaluation's figures). A metric nothing reads costs a pass over its list for nothing.
    metrics_needed: std::collections::HashSet<String>,
    /// Expressions with a fast form are evaluated on the fast path (see [`fast`]).
    fast_path: bool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rulebooks", &self.rules.rulebooks.len())
            .finish_non_exhaustive()
    }
}

/// What evaluating one submission produced.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    pub outcomes: Vec<Outcome>,
    /// Every metric's value, or why it could not be computed (for `parkcheck score`).
    pub metrics: BTreeMap<String, Result<f64, Text>>,
}

/// Why a rule or check could not be evaluated.
type Reason = Text;

impl Engine {
    /// Builds the engine.
    ///
    /// # Errors
    /// When the size table is missing or malformed.
    pub fn new(rules: RuleSet, profile: Profile) -> Result<Self, String> {
        let sizes = match rules.table(SIZE_TABLE) {
            Some(table) => SizeTable::from_json(table)?,
            None => SizeTable::from_json(&serde_json::Value::Array(Vec::new()))?,
        };
        let mut params = BTreeMap::new();
        for p in rules.params() {
            let setting = profile.params.get(&p.name);
            let effective = match setting {
                Some(s) => EffectiveParam {
                    value: s.value.clone(),
                    unit: p.unit.clone(),
                    confidence: match (&s.source, s.confidence) {
                        (_, Some(c)) => c,
                        (Some(_), None) => Confidence::Official,
                        (None, None) => p.confidence,
                    },
                    source: s.source.clone().unwrap_or_else(|| p.source.clone()),
                    from_profile: true,
                },
                None => EffectiveParam {
                    value: p.value.clone(),
                    unit: p.unit.clone(),
                    confidence: p.confidence,
                    source: p.source.clone(),
                    from_profile: false,
                },
            };
            params.insert(p.name.clone(), effective);
        }
        let params_value = {
            let map: HashMap<String, Cel> = params
                .iter()
                .map(|(name, p)| {
                    let value = match &p.value {
                        ParamValue::Number(n) => Cel::Float(*n),
                        ParamValue::Text(t) => Cel::String(Arc::new(t.clone())),
                        ParamValue::List(items) => Cel::List(Arc::new(
                            items
                                .iter()
                                .map(|i| Cel::String(Arc::new(i.clone())))
                                .collect(),
                        )),
                    };
                    (name.clone(), value)
                })
                .collect();
            Cel::from(map)
        };
        let all_exprs: Vec<&Expr> = rules
            .rules()
            .flat_map(|(_, r)| r.exprs())
            .chain(rules.metrics().map(|m| &m.expr))
            .collect();
        let doc_steps = DOCUMENT_ROOTS
            .iter()
            .map(|root| {
                let steps = bind::steps_under(all_exprs.iter().flat_map(|e| e.paths.iter()), root);
                ((*root).to_owned(), steps)
            })
            .filter(|(_, steps)| !steps.is_empty())
            .collect();
        let mut item_steps: HashMap<Pointer, Vec<Vec<Seg>>> = HashMap::new();
        let per_item = rules
            .rules()
            .flat_map(|(_, r)| r.checks.iter())
            .filter_map(|c| Some((c.for_each.as_ref()?, c.exprs().collect::<Vec<_>>())))
            .chain(
                rules
                    .metrics()
                    .filter_map(|m| Some((m.over.as_ref()?, vec![&m.expr]))),
            );
        for (list, exprs) in per_item {
            {
                let steps = bind::steps_under(exprs.iter().flat_map(|e| e.paths.iter()), "it");
                let entry = item_steps.entry(list.clone()).or_default();
                entry.extend(steps);
                entry.sort();
                entry.dedup();
            }
        }
        let reads_files = rules
            .rules()
            .flat_map(|(_, r)| r.exprs())
            .any(|e| e.paths.iter().any(|p| p.root == FILES));
        let mut metrics_needed: std::collections::HashSet<String> = rules
            .rules()
            .flat_map(|(_, r)| r.exprs())
            .flat_map(|e| e.names_under("metrics"))
            .map(str::to_owned)
            .collect();
        // A message may show a metric by name (`{investment_parts}`).
        let metric_names: std::collections::HashSet<&str> =
            rules.metrics().map(|m| m.name.as_str()).collect();
        for check in rules.rules().flat_map(|(_, r)| r.checks.iter()) {
            for text in [&check.message.zh, &check.message.en] {
                for name in crate::rulebook::load::placeholders(text) {
                    if metric_names.contains(name) {
                        metrics_needed.insert(name.to_owned());
                    }
                }
            }
        }
        add_metric_inputs(&rules, &mut metrics_needed);
        Ok(Self {
            fast_path: true,
            metrics_needed,
            reads_files,
            rules,
            profile,
            params,
            params_value,
            sizes: Arc::new(sizes),
            env: Arc::new(cel::Env::stdlib()),
            doc_steps,
            item_steps,
        })
    }

    /// The same engine evaluating every expression with cel alone: the reference the fast path
    /// is tested against (`tests/fast_path.rs`), and the baseline its speed is measured from.
    #[must_use]
    pub const fn without_fast_path(mut self) -> Self {
        self.fast_path = false;
        self
    }

    #[must_use]
    pub const fn rules(&self) -> &RuleSet {
        &self.rules
    }

    #[must_use]
    pub const fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Also computes the metrics of the evaluation's figures (`parkcheck score`).
    #[must_use]
    pub fn with_figures(mut self) -> Self {
        if let Some(scoring) = self.rules.scoring() {
            for f in &scoring.figures {
                self.metrics_needed.insert(f.numerator.clone());
                self.metrics_needed.insert(f.denominator.clone());
            }
        }
        add_metric_inputs(&self.rules, &mut self.metrics_needed);
        self
    }

    #[must_use]
    pub fn param(&self, name: &str) -> Option<&EffectiveParam> {
        self.params.get(name)
    }

    /// The confidence a rule has once the profile is applied: an unverified rule whose
    /// parameters the profile has all confirmed takes the weakest of their confidences.
    #[must_use]
    pub fn confidence(&self, rule: &Rule) -> Confidence {
        if rule.confidence != Confidence::Unverified {
            return rule.confidence;
        }
        let used: Vec<&EffectiveParam> = rule
            .exprs()
            .flat_map(|e| e.names_under("params"))
            .filter_map(|n| self.params.get(n))
            .collect();
        if used.is_empty()
            || used
                .iter()
                .any(|p| !p.from_profile || p.confidence == Confidence::Unverified)
        {
            return Confidence::Unverified;
        }
        used.iter()
            .map(|p| p.confidence)
            .max()
            .unwrap_or(Confidence::Unverified)
    }

    /// The confidence of one check: its own when it declares one, else the rule's.
    #[must_use]
    pub fn check_confidence(&self, rule: &Rule, check: Option<&Check>) -> Confidence {
        check
            .and_then(|c| c.confidence)
            .unwrap_or_else(|| self.confidence(rule))
    }

    /// The severity a rule reports at: the profile's override, else its own, capped for an
    /// unverified rule.
    #[must_use]
    pub fn severity(&self, rule: &Rule) -> Severity {
        self.check_severity(rule, None)
    }

    /// The severity of one check of a rule: as [`Engine::severity`], from the check's own
    /// severity when it has one.
    #[must_use]
    pub fn check_severity(&self, rule: &Rule, check: Option<&Check>) -> Severity {
        if let Some((severity, _)) = self.profile.severity.get(&rule.id) {
            return *severity;
        }
        let declared = check.and_then(|c| c.severity).unwrap_or(rule.severity);
        if self.check_confidence(rule, check) == Confidence::Unverified {
            declared.min(self.profile.unverified_severity)
        } else {
            declared
        }
    }

    /// Whether the profile disables a rule.
    #[must_use]
    pub fn disabled(&self, id: &str) -> bool {
        self.profile.disable.iter().any(|(d, _)| d == id)
    }

    /// Evaluates every rule in force for one submission.
    #[must_use]
    pub fn evaluate(&self, doc: &Document, options: &EvalOptions) -> Evaluation {
        if let Some(finding) = oversized_inner_list(doc) {
            return Evaluation {
                findings: vec![finding],
                ..Evaluation::default()
            };
        }
        let as_of =
            options
                .as_of
                .clone()
                .or_else(|| match doc.root.get("as_of").map(|n| &n.value) {
                    Some(Value::Str(s)) => Some(s.clone()),
                    _ => None,
                });
        let kind = match doc.root.get("kind").map(|n| &n.value) {
            Some(Value::Str(s)) => Some(s.as_str()),
            _ => None,
        };
        // The items of each list that checks go through, bound for cel when cel is asked.
        let items = bind::Items::new(
            doc,
            self.item_steps
                .iter()
                .map(|(list, steps)| (list, steps.as_slice())),
        );
        let mut ctx = Context::with_env(Arc::clone(&self.env));
        // Registration only fails on a name clash, which the tests rule out.
        let _ = functions::register(&mut ctx, Arc::clone(&self.sizes));
        functions::register_extras(&mut ctx);
        ctx.add_variable_from_value("params", self.params_value.clone());
        if self.reads_files {
            if let Some(files) = files::bind(doc) {
                ctx.add_variable_from_value(FILES, files);
            }
        }
        for (root, steps) in &self.doc_steps {
            if let Some(node) = doc.root.get(root) {
                let refs: Vec<&[Seg]> = steps.iter().map(Vec::as_slice).collect();
                ctx.add_variable_as_val(root.as_str(), bind::project(node, &refs));
            }
        }
        // In definition order: a metric may read the ones before it.
        let mut metrics = BTreeMap::new();
        let mut metric_map: HashMap<String, Cel> = HashMap::new();
        // Per list of a `distinct` metric, which items count (computed once).
        let mut firsts: HashMap<Pointer, Vec<bool>> = HashMap::new();
        for m in self
            .rules
            .metrics()
            .filter(|m| self.metrics_needed.contains(&m.name))
        {
            if m.expr.names_under("metrics").next().is_some() {
                ctx.add_variable_from_value("metrics", Cel::from(metric_map.clone()));
            }
            let counted = match (&m.over, m.distinct) {
                (Some(list), Some(Builtin::DuplicateTenants)) => Some(
                    firsts
                        .entry(list.clone())
                        .or_insert_with(|| not_repeated(list_nodes(doc, list)))
                        .as_slice(),
                ),
                _ => None,
            };
            let result = self.metric(m, doc, &ctx, &items, &metrics, counted);
            if let Ok(v) = &result {
                metric_map.insert(m.name.clone(), Cel::Float(*v));
            }
            metrics.insert(m.name.clone(), result);
        }
        ctx.add_variable_from_value("metrics", Cel::from(metric_map));
        let mut run = Run {
            engine: self,
            doc,
            ctx: &ctx,
            metrics: &metrics,
            items: &items,
            evaluation: Evaluation::default(),
        };
        for (book, rule) in self.rules.rules() {
            if self.disabled(&rule.id) {
                continue;
            }
            if let Some(date) = &as_of {
                if !book.effective.includes(date) || !rule.effective.includes(date) {
                    continue;
                }
            }
            if kind.is_some_and(|k| !rule.applies_to.iter().any(|a| a == k)) {
                continue;
            }
            run.rule(book, rule);
        }
        let mut evaluation = run.evaluation;
        self.suspend_in_transition(&mut evaluation);
        evaluation.metrics = metrics;
        evaluation
    }

    /// While a park is in its transition period (the scoring's transition rule fired), the rules
    /// that exist only for the evaluation do not apply: their findings go, and their outcome
    /// says why.
    fn suspend_in_transition(&self, evaluation: &mut Evaluation) {
        let Some((transition, suspends)) = self.rules.scoring().and_then(|s| s.transition.as_ref())
        else {
            return;
        };
        let Some(reason) = evaluation
            .findings
            .iter()
            .find(|f| f.rule == transition.id)
            .map(|f| {
                Text::new(
                    format!(
                        "园区处于绩效评价过渡期（{}）：{}",
                        transition.id, f.message.zh
                    ),
                    format!(
                        "the park is in its evaluation transition period ({}): {}",
                        transition.id, f.message.en
                    ),
                )
            })
        else {
            return;
        };
        let suspended = |id: &str| suspends.iter().any(|s| s.id == id);
        evaluation.findings.retain(|f| !suspended(&f.rule));
        for outcome in &mut evaluation.outcomes {
            if suspended(&outcome.rule) {
                outcome.status = OutcomeStatus::NotApplicable(reason.clone());
            }
        }
    }

    /// What the fast path evaluates an expression of `doc` against (with `item` as `it` and the
    /// metrics computed so far); `None` when the fast path is off.
    fn fast_scope<'s>(
        &'s self,
        doc: &'s Document,
        item: Option<&'s Node>,
        metrics: &'s BTreeMap<String, Result<f64, Reason>>,
    ) -> Option<fast::Scope<'s>> {
        self.fast_path.then_some(fast::Scope {
            root: &doc.root,
            item,
            params: &self.params,
            metrics,
            sizes: &self.sizes,
        })
    }

    /// One metric's value for `doc`, or why it cannot be computed.
    fn metric<'v, 'd: 'v>(
        &self,
        m: &Metric,
        doc: &Document,
        ctx: &Context<'_, 'v>,
        items: &'v bind::Items<'d>,
        so_far: &BTreeMap<String, Result<f64, Reason>>,
        counted: Option<&[bool]>,
    ) -> Result<f64, Reason> {
        // The fast path's value for `item` (or the document), when it decides.
        let decide = |item| {
            let scope = self.fast_scope(doc, item, so_far)?;
            m.expr.fast.as_ref()?.eval_scalar(&scope)
        };
        let not_a_number = || {
            Text::new(
                format!("指标 {} 不是数值", m.name),
                format!("metric {} is not a number", m.name),
            )
        };
        if let Some(list) = &m.over {
            let Some(Node {
                value: Value::Seq(nodes),
                ..
            }) = doc.get(list)
            else {
                let absent = Text::new(
                    format!("缺少 {}", list.dotted()),
                    format!("{} absent", list.dotted()),
                );
                return m.if_absent.ok_or(absent).map(round);
            };
            let sum = nodes
                .iter()
                .enumerate()
                .try_fold(0.0, |acc, (index, node)| {
                    // A repeat of an earlier item (`distinct`) is not counted.
                    if counted.is_some_and(|c| c.get(index) == Some(&false)) {
                        return Ok(acc);
                    }
                    let n = match decide(Some(node)) {
                        Some(fast::Scalar::Bool(b)) => f64::from(u8::from(b)),
                        Some(fast::Scalar::Number(n)) => n,
                        None => {
                            match m.expr.program.execute(&item_scope(ctx, items, list, index)) {
                                Ok(Cel::Bool(b)) => f64::from(u8::from(b)),
                                Ok(value) => as_number(&value).ok_or_else(not_a_number)?,
                                Err(e) => return Err(reason(&e, &m.expr, doc, Some(node))),
                            }
                        }
                    };
                    Ok(acc + n)
                });
            return sum.map(round);
        }
        if let Some(fast::Scalar::Number(v)) = decide(None) {
            return finite(round(v), m);
        }
        let result = match m.expr.program.execute(ctx) {
            Ok(value) => as_number(&value).map(round).ok_or_else(not_a_number),
            Err(e) => Err(reason(&e, &m.expr, doc, None)),
        };
        result.and_then(|v| finite(v, m))
    }
}

/// A cel scope with item `index` of `list` as `it` (bound now if it was not yet).
fn item_scope<'c, 'v, 'd: 'v>(
    ctx: &'c Context<'c, 'v>,
    items: &'v bind::Items<'d>,
    list: &Pointer,
    index: usize,
) -> Context<'c, 'v> {
    let mut scope = ctx.new_inner_scope();
    if let Some(item) = items.get(list, index) {
        scope.set_variable_resolver(item);
    }
    scope
}

/// For each row of a tenant list, whether it counts in a `distinct: duplicate_tenants` metric:
/// not when FORM-023's pass reports it as repeating an earlier row. Linear.
fn not_repeated(nodes: &[Node]) -> Vec<bool> {
    let mut counted = vec![true; nodes.len()];
    for d in duplicates::duplicates(nodes) {
        if let Some(c) = counted.get_mut(d.index) {
            *c = false;
        }
    }
    counted
}

/// The items of the list at `list` (none when it is not a list).
fn list_nodes<'d>(doc: &'d Document, list: &Pointer) -> &'d [Node] {
    match doc.get(list).map(|n| &n.value) {
        Some(Value::Seq(nodes)) => nodes,
        _ => &[],
    }
}

fn finite(v: f64, m: &Metric) -> Result<f64, Reason> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Text::new(
            format!("指标 {} 无法计算（除以零？）", m.name),
            format!("metric {} cannot be computed (division by zero?)", m.name),
        ))
    }
}

fn round(v: f64) -> f64 {
    let scale = 10f64.powi(METRIC_DECIMALS);
    if v.abs() < 1e9 {
        (v * scale).round() / scale
    } else {
        v
    }
}

/// A value computed for a message: text as it is (made visible, as `text::clip` makes a value
/// quoted from the submission), a number as numbers are shown, a list of texts joined (with 、
/// when they are Chinese, else with commas).
fn show_value(value: &Cel) -> String {
    match value {
        Cel::String(s) => crate::text::visible_inline(s).into_owned(),
        Cel::List(items) => {
            let texts: Vec<String> = items.iter().map(show_value).collect();
            let separator = if texts.iter().any(|t| !t.is_ascii()) {
                "、"
            } else {
                ", "
            };
            texts.join(separator)
        }
        other => as_number(other).map_or_else(|| format!("{other:?}"), number),
    }
}

/// Why a rule or check whose `when` does not hold is not applicable: its condition in words
/// (`仅在园区为工业上楼园区时适用` / `applies only when the park is an industry-upstairs park`).
/// A loaded rulebook gives the words for every `when` (the rulebook schema requires them); the
/// expression is said only in their absence.
fn not_met(condition: Option<&Text>, when: &Expr) -> Reason {
    match condition {
        Some(words) => Text::new(
            format!("仅在{}适用", words.zh),
            format!("applies only {}", words.en),
        ),
        None => Text::new(
            format!("适用条件不满足：{}", when.text.trim()),
            format!("condition not met: {}", when.text.trim()),
        ),
    }
}

/// Why an expression could not be evaluated, in words: the input that is absent, when that is
/// the cause.
fn reason(error: &ExecutionError, expr: &Expr, doc: &Document, item: Option<&Node>) -> Reason {
    let missing = match error {
        ExecutionError::NoSuchKey(_) | ExecutionError::UndeclaredReference(_) => {
            expr.paths.iter().find_map(|p| absent(p, doc, item))
        }
        _ => None,
    };
    if let Some(path) = missing {
        return Text::new(format!("缺少 {path}"), format!("{path} absent"));
    }
    let text = error.to_string();
    if let Some(rest) = text.split("not applicable: ").nth(1) {
        return Text::new(format!("无法判定：{rest}"), rest.to_owned());
    }
    Text::new(
        format!("无法计算：{text}"),
        format!("cannot evaluate: {text}"),
    )
}

/// The first prefix of `path` that is absent from the submission (or the item), dotted.
fn absent(path: &Path, doc: &Document, item: Option<&Node>) -> Option<String> {
    let (mut node, mut dotted) = match path.root.as_str() {
        "it" => (item?, String::from("it")),
        "params" | "metrics" => return None,
        root => match doc.root.get(root) {
            Some(node) => (node, root.to_owned()),
            None => return Some(root.to_owned()),
        },
    };
    for seg in &path.segs {
        match seg {
            Seg::Field(f) if f.is_empty() => return None,
            Seg::Field(f) => {
                dotted.push('.');
                dotted.push_str(f);
                match node.get(f) {
                    Some(next) => node = next,
                    None => return Some(dotted),
                }
            }
            Seg::Each => return None,
        }
    }
    None
}

/// The state of evaluating one submission.
struct Run<'a, 'v, 'd> {
    engine: &'a Engine,
    doc: &'a Document,
    ctx: &'a Context<'a, 'v>,
    metrics: &'a BTreeMap<String, Result<f64, Reason>>,
    /// The items of the `for_each` lists, bound for cel when cel is asked.
    items: &'v bind::Items<'d>,
    evaluation: Evaluation,
}

/// How one check came out.
enum Verdict {
    Pass,
    Fail,
    /// Not applicable, and why: built only for the first such check of a rule, the only one a
    /// report shows (formatting one for every tenant whose condition is false cost about 5 %
    /// of the rules phase).
    NotApplicable(Option<Reason>),
    /// Applicable, but left out by its `skip`, and the reason the outcome gives.
    Skipped(Reason),
}

/// What the checks of one rule came to so far.
#[derive(Default)]
struct Tally {
    /// A check failed.
    fired: bool,
    /// A check was evaluated (passed or failed).
    evaluated: bool,
    /// Why the first check that did not apply did not.
    why_not: Option<Reason>,
    /// The reasons of the checks left out by their `skip`.
    skipped: Vec<Reason>,
}

impl Tally {
    /// Counts a verdict; `true` when it is a failure, to be reported.
    fn record(&mut self, verdict: Verdict) -> bool {
        let failed = matches!(verdict, Verdict::Fail);
        match verdict {
            Verdict::Pass => self.evaluated = true,
            Verdict::Fail => {
                self.evaluated = true;
                self.fired = true;
            }
            Verdict::NotApplicable(why) => {
                if self.why_not.is_none() {
                    self.why_not = why;
                }
            }
            Verdict::Skipped(why) => self.skipped.push(why),
        }
        failed
    }
}

impl<'v, 'd: 'v> Run<'_, 'v, 'd> {
    fn rule(&mut self, book: &Rulebook, rule: &Rule) {
        let before = self.evaluation.findings.len();
        let mut skipped = Vec::new();
        let status = match self.rule_status(book, rule, &mut skipped) {
            Ok(true) => OutcomeStatus::Failed(self.evaluation.findings.len() - before),
            Ok(false) => OutcomeStatus::Passed,
            Err(reason) => OutcomeStatus::NotApplicable(reason),
        };
        self.evaluation.outcomes.push(Outcome {
            rule: rule.id.clone(),
            title: rule.title.clone(),
            status,
            skipped,
        });
    }

    /// `Ok(true)` when the rule fired, `Ok(false)` when it passed, `Err` when it did not apply;
    /// the reasons of the checks left out by their `skip` go to `skipped`.
    fn rule_status(
        &mut self,
        book: &Rulebook,
        rule: &Rule,
        skipped: &mut Vec<Reason>,
    ) -> Result<bool, Reason> {
        if let Some(when) = &rule.when {
            if let Some(why) = self.unavailable_metric(when) {
                return Err(why);
            }
            match eval_bool(when, self.fast(None).as_ref(), || {
                self.ctx.new_inner_scope()
            }) {
                Ok(true) => {}
                Ok(false) => return Err(not_met(rule.condition.as_ref(), when)),
                Err(e) => return Err(reason(&e, when, self.doc, None)),
            }
        }
        if let Some(builtin) = rule.builtin {
            return match builtin {
                Builtin::DuplicateTenants => self.duplicate_tenants(book, rule),
            };
        }
        let mut tally = Tally::default();
        for check in &rule.checks {
            // A metric the check uses that could not be computed leaves it not applicable,
            // for every item alike.
            let blocked = || {
                check
                    .when
                    .iter()
                    .chain(check.skip.iter().map(|s| &s.condition))
                    .chain([&check.assert])
                    .find_map(|e| self.unavailable_metric(e))
            };
            let ctx = self.ctx;
            let Some(list) = &check.for_each else {
                let scope = || ctx.new_inner_scope();
                let verdict = match blocked() {
                    Some(why) => Verdict::NotApplicable(Some(why)),
                    None => self.check(check, scope, None, tally.why_not.is_none()),
                };
                if tally.record(verdict) {
                    self.finding(book, rule, check, None, Pointer::root(), &scope());
                }
                continue;
            };
            let Some(Node {
                value: Value::Seq(nodes),
                ..
            }) = self.doc.get(list)
            else {
                tally.why_not.get_or_insert(Text::new(
                    format!("缺少 {}", list.dotted()),
                    format!("{} absent", list.dotted()),
                ));
                continue;
            };
            // An empty list satisfies an item-by-item check (no hazard is overdue when there
            // is none); an absent list leaves it not applicable (above).
            if nodes.is_empty() {
                tally.evaluated = true;
                continue;
            }
            if let Some(why) = blocked() {
                tally.why_not.get_or_insert(why);
                continue;
            }
            let items = self.items;
            for (index, node) in nodes.iter().enumerate() {
                let scope = || item_scope(ctx, items, list, index);
                let verdict = self.check(check, scope, Some(node), tally.why_not.is_none());
                if tally.record(verdict) {
                    let base = list.join(&index.to_string());
                    self.finding(book, rule, check, Some(node), base, &scope());
                }
            }
        }
        if tally.evaluated {
            *skipped = tally.skipped;
            Ok(tally.fired)
        } else {
            // Nothing evaluated: what was left out on purpose says more than a condition.
            let mut left_out = tally.skipped.into_iter();
            let first = left_out.next();
            skipped.extend(left_out);
            Err(first
                .or(tally.why_not)
                .unwrap_or_else(|| Text::new("没有适用的检查项", "no check applied")))
        }
    }

    /// What the fast path evaluates an expression against; `None` when it is off.
    fn fast<'s>(&'s self, item: Option<&'s Node>) -> Option<fast::Scope<'s>> {
        self.engine.fast_scope(self.doc, item, self.metrics)
    }

    /// Why an expression cannot be evaluated because a metric it uses could not be computed.
    fn unavailable_metric(&self, expr: &Expr) -> Option<Reason> {
        expr.names_under("metrics")
            .find_map(|name| self.metrics.get(name)?.as_ref().err().cloned())
    }

    /// Evaluates a check whose metrics are available; `explain` asks for the reason when it
    /// does not apply.
    fn check<'c>(
        &self,
        check: &Check,
        ctx: impl Fn() -> Context<'c, 'v>,
        item: Option<&Node>,
        explain: bool,
    ) -> Verdict
    where
        'v: 'c,
    {
        if let Some(when) = &check.when {
            match eval_bool(when, self.fast(item).as_ref(), &ctx) {
                Ok(true) => {}
                Ok(false) => {
                    return Verdict::NotApplicable(
                        explain.then(|| not_met(check.condition.as_ref(), when)),
                    );
                }
                Err(e) => {
                    return Verdict::NotApplicable(
                        explain.then(|| reason(&e, when, self.doc, item)),
                    );
                }
            }
        }
        if let Some(skip) = &check.skip {
            match eval_bool(&skip.condition, self.fast(item).as_ref(), &ctx) {
                Ok(false) => {}
                Ok(true) => {
                    return Verdict::Skipped(self.render(
                        &skip.reason,
                        &Pointer::root(),
                        item,
                        &[],
                    ));
                }
                Err(e) => {
                    return Verdict::NotApplicable(
                        explain.then(|| reason(&e, &skip.condition, self.doc, item)),
                    );
                }
            }
        }
        match eval_bool(&check.assert, self.fast(item).as_ref(), ctx) {
            Ok(true) => Verdict::Pass,
            Ok(false) => Verdict::Fail,
            Err(e) => {
                Verdict::NotApplicable(explain.then(|| reason(&e, &check.assert, self.doc, item)))
            }
        }
    }

    fn finding(
        &mut self,
        book: &Rulebook,
        rule: &Rule,
        check: &Check,
        item: Option<&Node>,
        base: Pointer,
        scope: &Context<'_, '_>,
    ) {
        let engine = self.engine;
        let mut values: Vec<(String, String)> = check
            .values
            .iter()
            .map(|(name, expr)| {
                let shown = match expr.program.execute(scope) {
                    Ok(value) => show_value(&value),
                    Err(_) => "—".to_owned(),
                };
                (name.clone(), shown)
            })
            .collect();
        // `{position}`: the item's place in its list, counted from 1, as the form numbers rows.
        if check.for_each.is_some() {
            if let Some(index) = base.tokens().last().and_then(|t| t.parse::<usize>().ok()) {
                values.push(("position".to_owned(), (index + 1).to_string()));
            }
        }
        let pointer = match check.at.as_deref() {
            Some(at) if at.starts_with('/') => Pointer::parse(at).unwrap_or_default(),
            Some(at) if !at.is_empty() => at.split('/').fold(base, |p, t| p.join(t)),
            _ => base,
        };
        let span = self.nearest_span(&pointer);
        let confidence = engine.check_confidence(rule, Some(check));
        let mut message = self.render(&check.message, &pointer, item, &values);
        if confidence == Confidence::Unverified {
            // A check that compares with a parameter has an unconfirmed threshold; one that
            // does not rests on an unconfirmed clause.
            let params: Vec<&ParamValue> = check
                .exprs()
                .flat_map(|e| e.names_under("params"))
                .filter_map(|name| engine.params.get(name).map(|p| &p.value))
                .collect();
            if !params.is_empty() && params.iter().all(|p| matches!(p, ParamValue::List(_))) {
                // A list (the documents a filing must carry) is not a threshold.
                message
                    .zh
                    .push_str("（所需材料清单未经官方文本确认，可在配置中设置）");
                message.en.push_str(
                    " (the list of required documents is not confirmed by an official text; a profile can set it)",
                );
            } else if !params.is_empty() {
                message
                    .zh
                    .push_str("（阈值未经官方文本确认，可在配置中设置）");
                message.en.push_str(
                    " (threshold not confirmed by an official text; a profile can set it)",
                );
            } else {
                message
                    .zh
                    .push_str("（该要求的条款未经官方文本确认，可在配置中调整其严重程度）");
                message.en.push_str(
                    " (the clause is not confirmed by an official text; a profile can set its severity)",
                );
            }
        }
        let document = engine
            .rules
            .rulebooks
            .iter()
            .find(|b| b.id == rule.rulebook)
            .unwrap_or(book)
            .document();
        let mut finding = Finding::new(
            rule.id.clone(),
            engine.check_severity(rule, Some(check)),
            message,
        )
        .at(pointer, span)
        .with_help(Some(rule.help.clone()));
        finding.citation = Some(Citation {
            rulebook: rule.rulebook.clone(),
            document,
            clause: rule.clause.clone(),
            confidence,
        });
        finding.trace = self.trace(check);
        self.evaluation.findings.push(finding);
    }

    /// FORM-023 (`builtin: duplicate_tenants`): each row of the tenant list that repeats an
    /// earlier one, at its code (or its name), with the first row as related location.
    fn duplicate_tenants(&mut self, book: &Rulebook, rule: &Rule) -> Result<bool, Reason> {
        let list = Pointer::root().join("tenants");
        let Some(Node {
            value: Value::Seq(rows),
            ..
        }) = self.doc.get(&list)
        else {
            return Err(Text::new("缺少 tenants", "tenants absent"));
        };
        let found = duplicates::duplicates(rows);
        let row = |index: usize| list.join(&index.to_string());
        let mut new = Vec::with_capacity(found.len());
        let text_at = |pointer: &Pointer| {
            self.doc
                .get(pointer)
                .map_or_else(|| "—".to_owned(), |n| self.show(n))
        };
        for d in &found {
            let (n, k) = (d.index + 1, d.first + 1);
            let field = if d.same_code { "uscc" } else { "name" };
            let (name, first_name) = (
                text_at(&row(d.index).join("name")),
                text_at(&row(d.first).join("name")),
            );
            let (code, first_code) = (
                text_at(&row(d.index).join("uscc")),
                text_at(&row(d.first).join("uscc")),
            );
            let message = match (d.same_code, d.same_name) {
                (true, true) => Text::new(
                    format!(
                        "名录第 {n} 家企业「{name}」重复列出：名称和统一社会信用代码（{code}）都与第 {k} 家相同；一家企业在名录中只列一行"
                    ),
                    format!(
                        "tenant {n} of the list, {name}, is listed twice: its name and credit code ({code}) are those of tenant {k}; a tenant is listed once"
                    ),
                ),
                (true, false) => Text::new(
                    format!(
                        "名录第 {n} 家企业「{name}」的统一社会信用代码 {code} 与第 {k} 家「{first_name}」相同；一个代码只对应名录中的一行"
                    ),
                    format!(
                        "tenant {n} of the list, {name}, has the credit code {code} of tenant {k}, {first_name}; one code is one row of the list"
                    ),
                ),
                (false, _) => Text::new(
                    format!(
                        "名录第 {n} 家企业「{name}」与第 {k} 家同名，两行都是入驻状态，统一社会信用代码却不同（{code} 与 {first_code}）；同一企业只列一行"
                    ),
                    format!(
                        "tenant {n} of the list, {name}, has the name of tenant {k}, both present, with different credit codes ({code} and {first_code}); a tenant is listed once"
                    ),
                ),
            };
            let pointer = row(d.index).join(field);
            let first = row(d.first).join(field);
            let related_at = self
                .nearest_span(&first)
                .map(|span| self.doc.source.locate(span.start));
            let mut finding = self.typed_finding(book, rule, message, pointer);
            finding.related = vec![Related {
                file: self.doc.source.name().to_owned(),
                pointer: Some(first),
                line: related_at.as_ref().map(|p| p.line),
                column: related_at.as_ref().map(|p| p.column),
                message: Text::new(
                    format!("第一次列出：名录第 {k} 家「{first_name}」"),
                    format!("first listed as tenant {k}, {first_name}"),
                ),
            }];
            new.push(finding);
        }
        self.evaluation.findings.extend(new);
        Ok(!found.is_empty())
    }

    /// A finding of a typed (`builtin`) check of `rule`, at `pointer`, with the rule's
    /// severity, help and citation.
    fn typed_finding(
        &self,
        book: &Rulebook,
        rule: &Rule,
        message: Text,
        pointer: Pointer,
    ) -> Finding {
        let engine = self.engine;
        let document = engine
            .rules
            .rulebooks
            .iter()
            .find(|b| b.id == rule.rulebook)
            .unwrap_or(book)
            .document();
        let span = self.nearest_span(&pointer);
        let mut finding = Finding::new(rule.id.clone(), engine.check_severity(rule, None), message)
            .at(pointer, span)
            .with_help(Some(rule.help.clone()));
        finding.citation = Some(Citation {
            rulebook: rule.rulebook.clone(),
            document,
            clause: rule.clause.clone(),
            confidence: engine.check_confidence(rule, None),
        });
        finding
    }

    /// The span of the pointer, or of its nearest ancestor that exists.
    fn nearest_span(&self, pointer: &Pointer) -> Option<crate::source::Span> {
        let mut p = pointer.clone();
        loop {
            if let Some(span) = self.doc.label_span(&p) {
                return Some(span);
            }
            p = p.split_last()?.0;
        }
    }

    /// Fills `{placeholders}`: `value`, metrics, parameters, and paths (`it.uscc`, `park.name`).
    fn render(
        &self,
        template: &Text,
        pointer: &Pointer,
        item: Option<&Node>,
        values: &[(String, String)],
    ) -> Text {
        let fill = |text: &str| {
            let mut out = String::with_capacity(text.len());
            let mut rest = text;
            while let Some(open) = rest.find('{') {
                out.push_str(rest.get(..open).unwrap_or_default());
                let after = rest.get(open + 1..).unwrap_or_default();
                let Some(close) = after.find('}') else {
                    out.push_str(rest.get(open..).unwrap_or_default());
                    rest = "";
                    break;
                };
                let name = after.get(..close).unwrap_or_default();
                match values.iter().find(|(n, _)| n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&self.placeholder(name, pointer, item)),
                }
                rest = after.get(close + 1..).unwrap_or_default();
            }
            out.push_str(rest);
            out
        };
        Text::new(fill(&template.zh), fill(&template.en))
    }

    fn placeholder(&self, name: &str, pointer: &Pointer, item: Option<&Node>) -> String {
        if name == "value" {
            return self
                .doc
                .get(pointer)
                .map_or_else(|| "—".to_owned(), |n| self.show(n));
        }
        if let Some(Ok(v)) = self.metrics.get(name) {
            return precise(*v);
        }
        if let Some(p) = self.engine.params.get(name) {
            return p.value.display();
        }
        let mut parts = name.split('.');
        let root = match parts.next() {
            Some("it") => item,
            Some(root) => self.doc.root.get(root),
            None => None,
        };
        parts
            .try_fold(root, |node, field| Some(node?.get(field)))
            .flatten()
            .map_or_else(|| "—".to_owned(), |n| self.show(n))
    }

    fn show(&self, node: &Node) -> String {
        match &node.value {
            Value::Str(s) => crate::text::clip(s),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => number(*f),
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".to_owned(),
            // Written out the same whether the file is YAML or JSON: `[专家楼, 宾馆]`.
            Value::Seq(_) | Value::Map(_) => crate::text::clip(&flow(node)),
        }
    }

    /// The calculation behind a check: its metrics with their inputs, and its parameters.
    fn trace(&self, check: &Check) -> Option<Trace> {
        // The metrics of the assertion first, then of the condition and the message's values.
        let exprs: Vec<&Expr> = std::iter::once(&check.assert)
            .chain(check.when.iter())
            .chain(check.values.iter().map(|(_, e)| e))
            .collect();
        let mut trace = Trace::default();
        // The metrics read, then the metrics those read, and so on.
        let mut names: Vec<&str> = exprs
            .iter()
            .flat_map(|e| e.names_under("metrics"))
            .collect();
        let mut next = 0;
        while let Some(&name) = names.get(next) {
            next += 1;
            let Some(metric) = self.engine.rules.metrics().find(|m| m.name == name) else {
                continue;
            };
            if trace.metrics.iter().any(|m| m.name == name) {
                continue;
            }
            names.extend(metric.expr.names_under("metrics"));
            let over = metric.over.as_ref().map(|list| {
                let count = list_nodes(self.doc, list).len();
                TraceInput {
                    path: format!("{}[*]", list.dotted()),
                    value: count.to_string(),
                    count: Some(count),
                    pointer: Some(list.clone()),
                }
            });
            let inputs = over
                .into_iter()
                .chain(
                    metric
                        .expr
                        .paths
                        .iter()
                        .filter(|p| !matches!(p.root.as_str(), "params" | "it"))
                        .filter_map(|p| {
                            if p.root == "metrics" {
                                let name: String = (*p.fields()?.first()?).to_owned();
                                let value = match self.metrics.get(&name) {
                                    Some(Ok(v)) => precise(*v),
                                    _ => "—".to_owned(),
                                };
                                return Some(TraceInput {
                                    path: name,
                                    value,
                                    count: None,
                                    pointer: None,
                                });
                            }
                            let fields = p.fields()?;
                            let pointer = fields
                                .iter()
                                .fold(Pointer::root().join(&p.root), |acc, f| acc.join(f));
                            let node = self.doc.get(&pointer);
                            // A list or mapping read as a whole (`has(buildings.list)`) is
                            // summarised: its items are inputs of their own.
                            let count = match node.map(|n| &n.value) {
                                Some(Value::Seq(items)) => Some(items.len()),
                                _ => None,
                            };
                            let value = match node.map(|n| &n.value) {
                                None => "—".to_owned(),
                                Some(Value::Seq(items)) => items.len().to_string(),
                                Some(Value::Map(_)) => "{…}".to_owned(),
                                Some(_) => node.map_or_else(String::new, |n| self.show(n)),
                            };
                            Some(TraceInput {
                                path: p.dotted(),
                                value,
                                count,
                                pointer: node.map(|_| pointer),
                            })
                        }),
                )
                .collect();
            let result = match self.metrics.get(name) {
                Some(Ok(v)) => format!("{}{}", precise(*v), metric.unit.as_deref().unwrap_or("")),
                _ => "—".to_owned(),
            };
            trace.metrics.push(MetricTrace {
                name: name.to_owned(),
                formula: metric.formula.clone(),
                inputs,
                result,
            });
        }
        let mut seen = Vec::new();
        for expr in exprs
            .iter()
            .copied()
            .chain(trace_metric_exprs(self.engine, &trace))
        {
            for name in expr.names_under("params") {
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name);
                if let Some(p) = self.engine.params.get(name) {
                    trace.params.push(ParamTrace {
                        name: name.to_owned(),
                        value: p.value.display(),
                        unit: p.unit.clone(),
                        confidence: p.confidence,
                        source: p.source.clone(),
                    });
                }
            }
        }
        (!trace.metrics.is_empty() || !trace.params.is_empty()).then_some(trace)
    }
}

/// Adds to `needed` the metrics that the needed ones read (which are defined before them).
fn add_metric_inputs(rules: &RuleSet, needed: &mut std::collections::HashSet<String>) {
    let metrics: Vec<&Metric> = rules.metrics().collect();
    for m in metrics.iter().rev() {
        if needed.contains(&m.name) {
            let inputs: Vec<String> = m.expr.names_under("metrics").map(str::to_owned).collect();
            needed.extend(inputs);
        }
    }
}

fn trace_metric_exprs<'e>(engine: &'e Engine, trace: &Trace) -> Vec<&'e Expr> {
    engine
        .rules
        .metrics()
        .filter(|m| trace.metrics.iter().any(|t| t.name == m.name))
        .map(|m| &m.expr)
        .collect()
}

/// A boolean expression's value: on the fast path when it can decide, else by cel (in the
/// scope `ctx` makes: one is made only then).
fn eval_bool<'c, 'v: 'c>(
    expr: &Expr,
    fast: Option<&fast::Scope<'_>>,
    ctx: impl FnOnce() -> Context<'c, 'v>,
) -> Result<bool, ExecutionError> {
    if let Some(b) = expr
        .fast
        .as_ref()
        .zip(fast)
        .and_then(|(f, s)| f.eval_bool(s))
    {
        return Ok(b);
    }
    match expr.program.execute(&ctx())? {
        Cel::Bool(b) => Ok(b),
        other => Err(ExecutionError::function_error(
            "assert",
            format!("the expression gave {other:?}, not true or false"),
        )),
    }
}

/// The most items a list inside a list item may have for the rules to be evaluated (the floors
/// of one building, the lifts of one building). Rules compare such a list's items with one
/// another, and CEL's `filter` copies its result at every step: work that grows with the square
/// of the list's length, minutes for a 1 MB file with 20 000 floors in one building.
pub const MAX_INNER_LIST: usize = 500;

/// A finding at the first list inside a list item longer than [`MAX_INNER_LIST`], if any: the
/// rules are then not evaluated (the schema's findings are still reported).
fn oversized_inner_list(doc: &Document) -> Option<Finding> {
    // (node, whether a list holds it); pointers are only worked out for the list found.
    let mut todo: Vec<(&Node, bool)> = vec![(&doc.root, false)];
    let mut found = None;
    while let Some((node, in_list)) = todo.pop() {
        match &node.value {
            Value::Seq(items) if in_list && items.len() > MAX_INNER_LIST => {
                found = Some(node);
                break;
            }
            Value::Seq(items) => todo.extend(items.iter().map(|n| (n, true))),
            Value::Map(entries) => todo.extend(entries.iter().map(|e| (&e.value, in_list))),
            _ => {}
        }
    }
    let found = found?;
    let mut todo: Vec<(&Node, Pointer)> = vec![(&doc.root, Pointer::root())];
    while let Some((node, pointer)) = todo.pop() {
        if std::ptr::eq(node, found) {
            let count = match &node.value {
                Value::Seq(items) => items.len(),
                _ => 0,
            };
            let span = doc.label_span(&pointer);
            return Some(
                Finding::new(
                    "LIMIT",
                    Severity::Error,
                    Text::new(
                        format!(
                            "{} 有 {count} 项，超过规则检查的上限 {MAX_INNER_LIST} 项；未检查任何规则",
                            pointer.dotted()
                        ),
                        format!(
                            "{} has {count} items, more than the {MAX_INNER_LIST} the rules evaluate; no rule was checked",
                            pointer.dotted()
                        ),
                    ),
                )
                .at(pointer, span)
                .with_help(Some(Text::new(
                    "一栋楼、一家企业的明细不会有这么多项；请检查数据是否重复或错放",
                    "one building or one tenant never has this many entries; check the data for repetition or misplaced rows",
                ))),
            );
        }
        match &node.value {
            Value::Seq(items) => todo.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n, pointer.join(&i.to_string()))),
            ),
            Value::Map(entries) => {
                todo.extend(entries.iter().map(|e| (&e.value, pointer.join(&e.key))));
            }
            _ => {}
        }
    }
    None
}

/// A value in YAML flow style, strings unquoted: `[专家楼, 宾馆]`, `{floor: 2, use: 生产}`.
/// Recursion is bounded by the loader's nesting limit.
fn flow(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => number(*f),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|e| format!("{}: {}", e.key, flow(&e.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
