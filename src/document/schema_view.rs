//! The spanned tree as an instance `jsonschema` validates in place.
//!
//! `jsonschema` is generic over the JSON representation it reads ([`Json`]); implementing it
//! for [`Node`] spares the `serde_json` copy of every submission that validation needed
//! before (the copy and its drop were about 60 % of the schema phase; benches/README.md).
//! The view answers exactly as [`Node::to_json`] would: a non-finite float (already reported
//! by the loader) reads as `null`.

use std::borrow::Cow;

use jsonschema::JsonType;
use jsonschema::json::{Array, Json, Node as JsonNode, NodeIdentity, Object, cmp};
use serde_json::Number;

use super::{Entry, Node, Value};
use crate::source::Span;

/// The representation marker: instances are `&Node`.
#[derive(Debug)]
pub struct Tree;

impl Json for Tree {
    type Node<'a> = &'a Node;
    type PreparedKey = Box<str>;
    type StringBuffer = ();

    // Objects are entry vectors searched in order: a pass over the members beats a lookup per
    // required property as soon as the object has more than a couple of keys per lookup.
    const KEYS_PER_LOOKUP: usize = 4;
    // Aliases are copied into the tree, so no node is its own descendant.
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(&Node) -> T) -> T {
        // Only `propertyNames` asks for this, which the bundled schemas do not use.
        let node = Node {
            value: Value::Str(string.to_owned()),
            span: Span::default(),
        };
        f(&node)
    }
}

/// A number as `serde_json` would hold it; `None` for a non-finite float (`null`).
fn number(value: &Value) -> Option<Number> {
    match value {
        Value::Int(i) => Some(Number::from(*i)),
        Value::Float(f) => Number::from_f64(*f),
        _ => None,
    }
}

impl<'a> JsonNode<'a, Tree> for &'a Node {
    type Object = Members<'a>;
    type Array = Items<'a>;
    type Number = Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match &self.value {
            Value::Map(entries) => Some(Members(entries)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<Items<'a>> {
        match &self.value {
            Value::Seq(items) => Some(Items(items)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Number> {
        number(&self.value)
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        match self.value {
            Value::Null => true,
            Value::Float(f) => !f.is_finite(),
            _ => false,
        }
    }

    fn is_number(&self) -> bool {
        match self.value {
            Value::Int(_) => true,
            Value::Float(f) => f.is_finite(),
            _ => false,
        }
    }

    fn json_type(&self) -> JsonType {
        match &self.value {
            Value::Null => JsonType::Null,
            Value::Float(f) if !f.is_finite() => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Int(_) | Value::Float(_) => JsonType::Number,
            Value::Str(_) => JsonType::String,
            Value::Seq(_) => JsonType::Array,
            Value::Map(_) => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &serde_json::Value) -> bool {
        use serde_json::Value as J;
        match (&self.value, expected) {
            (Value::Str(s), J::String(e)) => s == e,
            (Value::Bool(b), J::Bool(e)) => b == e,
            (Value::Int(_) | Value::Float(_), J::Number(e)) => {
                number(&self.value).is_some_and(|n| cmp::equal_numbers(&n, e))
            }
            (Value::Seq(_) | Value::Map(_), J::Array(_) | J::Object(_)) => {
                cmp::equal(&self.to_json(), expected)
            }
            (_, J::Null) => JsonNode::is_null(self),
            _ => false,
        }
    }

    fn to_value(&self) -> Cow<'a, serde_json::Value> {
        // Only for error reports and annotations.
        Cow::Owned(self.to_json())
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Node>(self) as usize))
    }
}

/// The entries of a mapping.
#[derive(Debug, Clone, Copy)]
pub struct Members<'a>(&'a [Entry]);

impl<'a> Object<'a, Tree> for Members<'a> {
    type Node = &'a Node;
    type MemberName = &'a str;
    type MembersIter =
        std::iter::Map<std::slice::Iter<'a, Entry>, fn(&'a Entry) -> (&'a str, &'a Node)>;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn get(&self, key: &Box<str>) -> Option<&'a Node> {
        self.0
            .iter()
            .find(|e| e.key.as_str() == &**key)
            .map(|e| &e.value)
    }

    fn members(&self) -> Self::MembersIter {
        self.0.iter().map(|e| (e.key.as_str(), &e.value))
    }
}

/// The items of a sequence.
#[derive(Debug, Clone, Copy)]
pub struct Items<'a>(&'a [Node]);

impl<'a> Array<'a, Tree> for Items<'a> {
    type Node = &'a Node;
    type ElementsIter = std::slice::Iter<'a, Node>;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn elements(&self) -> std::slice::Iter<'a, Node> {
        self.0.iter()
    }
}
