//! The few facts about a submission that matter beyond its own file: who the park is (for
//! waivers, baselines and the per-park summary) and which tenants it declares (for the
//! cross-document rules). Read from the tree once, after parsing.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::{Document, Node, Pointer, Value};
use crate::source::Span;
use crate::text::Text;

/// A string value of the submission and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    pub value: String,
    pub pointer: Pointer,
    /// 1-based line and column (characters) of the value.
    pub line: usize,
    pub column: usize,
    /// The bytes of the value in its file.
    #[serde(skip)]
    pub span: Span,
}

/// One tenant as declared in `tenants`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub name: Option<String>,
    pub uscc: Located,
    /// `status: 入驻` (active) rather than `退出`.
    pub active: bool,
    /// [`code_hash`] of the USCC, computed with the rest of the facts (in parallel) for the
    /// cross-document index.
    #[serde(skip)]
    pub uscc_hash: u64,
}

/// A fixed hash of a tenant code (equal codes, equal hashes, in every file of a run). A fixed
/// seed is fine: the codes are the submissions' own, not keys an attacker picks for a server.
#[must_use]
pub fn code_hash(code: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x7061_726b).hash_one(code)
}

/// What identifies a park and what other submissions are compared against.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ParkFacts {
    /// `park.name`.
    pub name: Option<Located>,
    /// `park.filing.platform_id`.
    pub platform_id: Option<Located>,
    /// `as_of` as written (`YYYY-MM-DD`).
    pub as_of: Option<String>,
    /// `kind`: `filing`, `annual` or `star`.
    pub kind: Option<String>,
    /// `park.region.county`.
    pub county: Option<String>,
    /// `park.type` (园区类型: the annual evaluation ranks parks of one type together).
    pub park_type: Option<String>,
    pub tenants: Vec<Tenant>,
    /// Each metric of the rulebooks: its value, or why it could not be computed (empty when
    /// checking without rules).
    #[serde(skip)]
    pub metrics: BTreeMap<String, Result<f64, Text>>,
}

impl ParkFacts {
    /// Reads the facts of `doc`; whatever is absent or of the wrong type is left out (the
    /// schema reports it).
    #[must_use]
    pub fn of(doc: &Document) -> Self {
        let at = |pointer: &str| {
            let pointer = Pointer::parse(pointer)?;
            located(doc, doc.get(&pointer)?, pointer)
        };
        let tenants = match doc.root.get("tenants").map(|n| &n.value) {
            Some(Value::Seq(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let pointer = Pointer::parse(&format!("/tenants/{i}/uscc"))?;
                    let uscc = located(doc, item.get("uscc")?, pointer)?;
                    Some(Tenant {
                        uscc_hash: code_hash(&uscc.value),
                        name: string(item.get("name")).map(str::to_owned),
                        uscc,
                        active: string(item.get("status")) == Some("入驻"),
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        Self {
            name: at("/park/name"),
            platform_id: at("/park/filing/platform_id"),
            as_of: string(doc.root.get("as_of")).map(str::to_owned),
            kind: string(doc.root.get("kind")).map(str::to_owned),
            county: at("/park/region/county").map(|l| l.value),
            park_type: at("/park/type").map(|l| l.value),
            tenants,
            metrics: BTreeMap::new(),
        }
    }

    /// How reports name the park: its platform id, else its name.
    #[must_use]
    pub fn park_id(&self) -> Option<&str> {
        self.platform_id
            .as_ref()
            .or(self.name.as_ref())
            .map(|l| l.value.as_str())
    }
}

fn string(node: Option<&Node>) -> Option<&str> {
    match &node?.value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

fn located(doc: &Document, node: &Node, pointer: Pointer) -> Option<Located> {
    let value = string(Some(node))?.to_owned();
    let at = doc.source.locate(node.span.start);
    Some(Located {
        value,
        pointer,
        line: at.line,
        column: at.column,
        span: node.span,
    })
}
