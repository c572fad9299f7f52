//! Submissions as a value tree in which every node knows its byte span.
//!
//! YAML 1.2 (core schema) and JSON load into the same [`Node`] tree. A JSON pointer such as
//! `/tenants/3/uscc` resolves to a node, hence to a span, hence to a line and column.
//! [`load_bytes`] and [`load_path`] are the one way in: reading within the limits, decoding,
//! parsing.

mod decode;
mod error;
mod json;
mod load;
mod pointer;
pub mod punctuation;
mod schema_view;
pub mod sniff;
pub mod workbook;
mod yaml;

pub use decode::decode;
pub use error::{
    Expected, JsonError, LoadError, LoadErrorKind, NumberProblem, Open, punctuation_help,
    punctuation_message,
};
pub use json::parse as parse_json;
pub use load::{
    Syntax, Unloadable, WORKBOOK_EXTENSIONS, load_bytes, load_path, read_limited, read_path,
};
pub use pointer::{Pointer, escape_token};
pub use schema_view::Tree;
pub use yaml::parse;

use compact_str::CompactString;

use crate::source::{SourceFile, Span};
use crate::text::Text;

/// Limits that keep a hostile file from exhausting time or memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes; checked before reading.
    pub max_file_size: u64,
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes that aliases may add by expansion, over the whole document.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_size: 64 * 1024 * 1024,
            max_depth: 64,
            max_alias_nodes: 100_000,
        }
    }
}

/// One value of the tree and the bytes it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// The data model shared by YAML and JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry: the key with its own span, and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Inline up to 24 bytes (every field name of a submission): the rules look fields up by
    /// name in each of thousands of mappings, and comparing keys held behind a pointer missed
    /// the cache at nearly every step.
    pub key: CompactString,
    pub key_span: Span,
    pub value: Node,
}

impl Value {
    /// The JSON type name, as JSON Schema uses it.
    #[must_use]
    pub const fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Int(_) => "integer",
            Self::Float(_) => "number",
            Self::Str(_) => "string",
            Self::Seq(_) => "array",
            Self::Map(_) => "object",
        }
    }
}

/// `a == b` for mapping keys, first by their lengths and last bytes: a lookup compares the key
/// with each of a mapping's keys in turn, and most differ there (`status` and `sector` have
/// the same length), which spares a call to `memcmp` for each (5 % of a check of 1 000 parks).
#[inline]
#[must_use]
pub fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().last() == b.as_bytes().last() && a == b
}

impl Node {
    /// The value under `key` when this node is a mapping.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry under `key` when this node is a mapping.
    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| same_key(&e.key, key)),
            _ => None,
        }
    }

    /// The node `pointer` designates inside this one.
    #[must_use]
    pub fn pointer(&self, pointer: &Pointer) -> Option<&Node> {
        pointer
            .tokens()
            .try_fold(self, |node, token| node.child(&token))
    }

    fn child(&self, token: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(_) => self.get(token),
            Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
    }

    /// A JSON copy of the tree. Non-finite numbers (which the loader has already reported)
    /// become `null`. (Schema validation reads the tree itself, through [`Tree`].)
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Self::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A number written in a form that is not a plain decimal, or that does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberIssue {
    pub pointer: Pointer,
    pub span: Span,
    pub kind: NumberIssueKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberIssueKind {
    /// `0x1F`, `0o17`: valid YAML 1.2 integers, but never how a filing writes a quantity.
    NonDecimal,
    /// `.inf`, `.nan`.
    NotFinite,
    /// `1e400`, or an integer beyond 64 bits.
    OutOfRange,
}

/// What a reader noticed about one value that the schema cannot say (a workbook's code stored
/// as a number, an unknown column header, a formula without a value), with the words to fix it.
/// The schema's check reports each as a finding and drops its own echoes at the same pointer.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadIssue {
    /// The value concerned, when it is in the tree.
    pub pointer: Option<Pointer>,
    pub span: Span,
    /// An error, or only worth knowing (a warning when false).
    pub error: bool,
    pub message: Text,
    pub help: Option<Text>,
}

/// A loaded submission: its source, the tree, and what the loader noticed on the way.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: SourceFile,
    pub root: Node,
    pub number_issues: Vec<NumberIssue>,
    /// What a workbook reader noticed (empty for YAML and JSON).
    pub read_issues: Vec<ReadIssue>,
}

impl Document {
    /// Parses `source` as YAML 1.2 within `limits`.
    ///
    /// # Errors
    /// Syntax errors, duplicate keys, more than one document, unsupported tags and exceeded
    /// limits, each with the span where it was found.
    pub fn parse(source: SourceFile, limits: &Limits) -> Result<Self, LoadError> {
        let (root, number_issues) = yaml::parse(source.text(), limits)?;
        Ok(Self {
            source,
            root,
            number_issues,
            read_issues: Vec::new(),
        })
    }

    /// Parses `source` as strict JSON (RFC 8259) within `limits`: the same tree, spans and
    /// number issues as the YAML loader gives for the same data.
    ///
    /// # Errors
    /// JSON syntax errors, duplicate keys and nesting deeper than the limit, each with the span
    /// where it was found.
    pub fn parse_json(source: SourceFile, limits: &Limits) -> Result<Self, LoadError> {
        let (root, number_issues) = json::parse(source.text(), limits)?;
        Ok(Self {
            source,
            root,
            number_issues,
            read_issues: Vec::new(),
        })
    }

    /// The node at `pointer`.
    #[must_use]
    pub fn get(&self, pointer: &Pointer) -> Option<&Node> {
        self.root.pointer(pointer)
    }

    /// Where a diagnostic about `pointer` should point: the value itself for a scalar; for a
    /// mapping or sequence, the key that holds it (a label over a 200-line block helps nobody),
    /// or its first line at the top level.
    #[must_use]
    pub fn label_span(&self, pointer: &Pointer) -> Option<Span> {
        let node = self.get(pointer)?;
        if !matches!(node.value, Value::Map(_) | Value::Seq(_)) {
            return Some(node.span);
        }
        if let Some(span) = self.key_span(pointer) {
            return Some(span);
        }
        let text = self.source.slice(node.span);
        let first_line = text.find(['\n', '\r']).unwrap_or(text.len());
        Some(Span::new(node.span.start, node.span.start + first_line))
    }

    /// The span of the key that `pointer`'s last token names, when its parent is a mapping.
    #[must_use]
    pub fn key_span(&self, pointer: &Pointer) -> Option<Span> {
        let (parent, last) = pointer.split_last()?;
        self.get(&parent)?.entry(&last).map(|e| e.key_span)
    }
}
