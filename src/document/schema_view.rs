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
        // Only `propertyNames` asks for this: the rulebook and profile schemas use it, on files
        // read once per run, so a small allocation per name does not matter.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Limits, parse};

    /// The errors of validating `yaml` through the tree view and through the serde_json copy,
    /// as (instance path, schema path) pairs, sorted: the tree visits members in file order,
    /// serde_json's map in key order (findings are sorted by position afterwards anyway).
    fn both(schema: &serde_json::Value, yaml: &str) -> (Vec<String>, Vec<String>) {
        let (root, _) = parse(yaml, &Limits::default()).unwrap();
        let on_tree = jsonschema::options_for::<Tree>()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(schema)
            .unwrap();
        let on_copy = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(schema)
            .unwrap();
        let show = |e: jsonschema::ValidationError<'_>| {
            format!("{} {}", e.instance_path(), e.evaluation_path())
        };
        let copy = root.to_json();
        let mut tree: Vec<String> = on_tree.iter_errors(&root).map(show).collect();
        let mut json: Vec<String> = on_copy.iter_errors(&copy).map(show).collect();
        tree.sort();
        json.sort();
        (tree, json)
    }

    #[test]
    fn the_tree_validates_as_its_json_copy() {
        let schema = serde_json::json!({
            "type": "object",
            "required": ["name", "count"],
            "additionalProperties": false,
            "properties": {
                "name": {"type": "string", "minLength": 3, "maxLength": 4, "pattern": "^[^x]"},
                "count": {"type": "integer", "minimum": 1, "multipleOf": 2},
                "ratio": {"type": "number", "exclusiveMaximum": 1.5},
                "kind": {"enum": ["甲", 2, 2.5, null, true]},
                "one": {"const": 1},
                "day": {"type": "string", "format": "date"},
                "list": {"type": "array", "uniqueItems": true, "items": {"type": ["integer", "null"]}},
                "nested": {"type": "object", "properties": {"a": {"const": [1, {"b": "c"}]}}},
                "gone": {"type": "null"}
            }
        });
        let cases = [
            "name: 濮院毛衫\ncount: 2\n",
            "name: 濮院\ncount: 3\nextra: 1\n",
            "name: xyz\ncount: 2.0\nratio: 1.5\n",
            "name: abcde\ncount: 0\nratio: 1\nkind: 甲\none: 1.0\n",
            "name: abc\ncount: 4\nkind: 2.0\none: 2\nday: 2025-02-30\n",
            "name: abc\ncount: 4\nkind: ~\nlist: [1, 1.0, null]\n",
            "name: abc\ncount: 4\nkind: false\nlist: [1, 2.5]\n",
            "name: abc\ncount: 4\nnested: {a: [1.0, {b: c}]}\ngone: .nan\n",
            "name: abc\ncount: 4\nnested: {a: [1, {b: d}]}\ngone: 1\nratio: .inf\n",
            "count: [1]\n",
        ];
        let mut errors = 0;
        for yaml in cases {
            let (tree, copy) = both(&schema, yaml);
            assert_eq!(tree, copy, "{yaml}");
            errors += copy.len();
        }
        // The cases exercise the keywords: most of them fail somewhere.
        assert!(errors >= 15, "{errors}");
    }
}
