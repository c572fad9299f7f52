//! `parkcheck convert`: a submission from one format to another — YAML, JSON, the form's
//! workbook (`.xlsx`) — losslessly for every field the schema has, and a CSV tenant list merged
//! into a submission.
//!
//! The input is whatever `document` loads; the output is text written here (`text`: YAML
//! and JSON in the tree's order) or the template filled with the document's values (`workbook`
//! places each value at its cell by `form`'s layout, `template` writes the workbook). A value the
//! output cannot hold is never dropped: the conversion fails and names it.

pub mod csv;
pub mod text;
pub mod workbook;

use std::path::Path;

use crate::document::{Entry, Node, Value};
use crate::form::layout;
use crate::source::Span;
use crate::template::{KINDS, render_filled};

pub use crate::form::EMPTY_LIST;
pub use text::{NotJson, to_json, to_yaml};
pub use workbook::{Unplaced, place};

/// What `convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Yaml,
    Json,
    Xlsx,
}

impl Target {
    /// The format a file name's extension calls for: `.yaml`/`.yml`, `.json`, `.xlsx`.
    #[must_use]
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Self::Yaml),
            "json" => Some(Self::Json),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }
}

/// Why a document cannot be written in the target format.
#[derive(Debug, Clone)]
pub enum ConvertError {
    /// Values the workbook has no cell for (or a cell would change).
    Unplaced(Vec<Unplaced>),
    /// A number JSON cannot write.
    NotJson(NotJson),
    /// The workbook writer failed.
    Writer(String),
}

/// The document as the form's workbook filled with its values (`.xlsx` bytes). The layout is
/// that of the document's kind (a kind that is not one lays out as a filing; the kind cell
/// keeps what the document says).
///
/// # Errors
/// Every value without a cell, or the writer's failure.
pub fn to_xlsx(root: &Node, schema_text: &str, version: &str) -> Result<Vec<u8>, ConvertError> {
    let kind = match root.get("kind").map(|k| &k.value) {
        Some(Value::Str(k)) if KINDS.iter().any(|(known, _)| known == k) => k.as_str(),
        _ => "filing",
    };
    let layout = layout(schema_text, kind).map_err(ConvertError::Writer)?;
    let filled = place(root, &layout).map_err(ConvertError::Unplaced)?;
    render_filled(&layout, version, &filled).map_err(ConvertError::Writer)
}

/// Replaces the document's `tenants` with `tenants` (in place, or added at the end when it had
/// none) and returns how many it had.
pub fn replace_tenants(root: &mut Node, tenants: Node) -> usize {
    let Value::Map(entries) = &mut root.value else {
        return 0;
    };
    if let Some(entry) = entries.iter_mut().find(|e| e.key == "tenants") {
        let old = match &entry.value.value {
            Value::Seq(items) => items.len(),
            _ => 0,
        };
        entry.value = tenants;
        return old;
    }
    entries.push(Entry {
        key: "tenants".into(),
        key_span: Span::empty(0),
        value: tenants,
    });
    0
}
