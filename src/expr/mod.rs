//! The expression language of the rulebooks: CEL (the Common Expression Language) as parkcheck
//! speaks it. An [`Expr`] is compiled once when a rulebook loads — into `cel`'s program and,
//! when all of it is in the plain subset, into the fast path's program ([`fast`]) — and read
//! for the paths it selects ([`refs`]); [`functions`] registers the domain functions of
//! `crate::domain` with CEL. The rulebook loader builds expressions; the engine evaluates them.

pub mod bind;
pub mod fast;
pub mod functions;
pub mod refs;

use std::sync::Arc;

use crate::source::Span;
use refs::Path;

/// The top-level fields of a submission: the names an expression may start from.
pub const DOCUMENT_ROOTS: &[&str] = &[
    "format",
    "kind",
    "as_of",
    "park",
    "land",
    "investment",
    "buildings",
    "facilities",
    "services",
    "operator",
    "safety",
    "reporting",
    "tenants",
    "totals",
    "star_application",
    "attachments",
    "declaration",
];

/// The variable holding what was found at the attachments' paths (the engine's `files.rs`).
pub const FILES: &str = "files";

/// The functions an expression may call: CEL's standard global functions, the domain
/// functions, and `sum`. (Methods such as `x.contains(y)` and operators are not listed.)
pub const FUNCTIONS: &[&str] = &[
    "size",
    "int",
    "uint",
    "double",
    "string",
    "bool",
    "bytes",
    "type",
    "dyn",
    "has",
    "sum",
    "uscc_problem",
    "uscc_problem_zh",
    "uscc_valid",
    "size_class",
    "size_explain",
    "size_explain_zh",
    "size_missing",
    "days_between",
    "years_between",
    "mu_to_m2",
];

/// A compiled CEL expression, its text, where it was written and what it reads.
#[derive(Clone)]
pub struct Expr {
    pub text: String,
    pub span: Span,
    pub program: Arc<cel::Program>,
    /// The same expression for the engine's fast path, when all of it is in its subset.
    pub fast: Option<Arc<fast::Program>>,
    pub paths: Vec<Path>,
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expr")
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

impl Expr {
    /// The names of `root.x` reads, e.g. the parameters (`root = "params"`) it uses.
    pub fn names_under<'a>(&'a self, root: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.paths
            .iter()
            .filter(move |p| p.root == root)
            .filter_map(|p| match p.segs.first() {
                Some(refs::Seg::Field(name)) => Some(name.as_str()),
                _ => None,
            })
    }
}

/// A parameter's value.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Number(f64),
    Text(String),
    List(Vec<String>),
}

impl ParamValue {
    /// A parameter value as written in a rulebook or profile (the schemas allow a number, a
    /// text or a list of texts).
    #[must_use]
    pub fn from_node(node: Option<&crate::document::Node>) -> Self {
        use crate::document::Value;
        match node.map(|n| &n.value) {
            Some(Value::Int(i)) => Self::Number(*i as f64),
            Some(Value::Float(f)) => Self::Number(*f),
            Some(Value::Seq(items)) => Self::List(
                items
                    .iter()
                    .filter_map(|i| match &i.value {
                        Value::Str(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
            Some(Value::Str(s)) => Self::Text(s.clone()),
            _ => Self::Text(String::new()),
        }
    }

    #[must_use]
    pub fn display(&self) -> String {
        match self {
            Self::Number(n) => crate::text::number(*n),
            Self::Text(t) => t.clone(),
            Self::List(items) => items.join("、"),
        }
    }
}
