//! Builds the spanned tree from `saphyr-parser`'s event stream.
//!
//! Building the tree ourselves (rather than through `saphyr`'s loader) is what lets us keep a
//! span on every key and value, reject duplicate keys, count alias expansion against a budget
//! before cloning anything, and stop at a nesting limit without recursion.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use compact_str::CompactString;
use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan, Tag};

use super::{
    Entry, Limits, LoadError, LoadErrorKind, Node, NumberIssue, NumberIssueKind, Pointer, Value,
};
use crate::source::{CharToByte, Span};

/// Mappings with more entries than this index their keys in a hash map for duplicate checks.
const LINEAR_KEY_SCAN: usize = 16;

enum Frame {
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
        flow: bool,
    },
    Map {
        entries: Vec<Entry>,
        pending_key: Option<(CompactString, Span)>,
        index: Option<HashMap<CompactString, usize>>,
        start: usize,
        anchor: usize,
        flow: bool,
    },
}

struct Anchored {
    node: Node,
    nodes: usize,
}

struct Builder<'a> {
    /// The text as read: spans are offsets into it.
    text: &'a str,
    limits: &'a Limits,
    /// Character indices of the scanned text to its byte offsets.
    bytes: CharToByte<'a>,
    /// From the scanned text's byte offsets to the text's (surrogate pairs rewritten).
    edits: &'a Edits,
    /// The spans of double-quoted scalars, when a rewrite must be checked against them.
    quoted: Option<Vec<Span>>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    alias_nodes: usize,
    root: Option<Node>,
    documents: usize,
    number_issues: Vec<NumberIssue>,
}

/// Parses YAML 1.2 text into a spanned tree.
///
/// # Errors
/// See [`LoadErrorKind`].
pub fn parse(text: &str, limits: &Limits) -> Result<(Node, Vec<NumberIssue>), LoadError> {
    // YAML 1.2 reads JSON's strings, but saphyr-parser refuses the escaped UTF-16 surrogate
    // pairs JSON writes for characters beyond the Basic Multilingual Plane (`"\uD842\uDFB7"`
    // for 𠮷): each half is no character on its own. So each such pair is handed to the
    // scanner as the one 32-bit escape YAML has for it (`\U00020BB7`), and offsets are mapped
    // back. Only a pair inside a double-quoted scalar is an escape: a rewrite that lands
    // anywhere else (single quotes, plain text, a comment) is undone by a second pass.
    let candidates = surrogate_pairs(text);
    if candidates.is_empty() {
        return run(text, &Edits::none(), limits, false).map(|(tree, _)| tree);
    }
    let (tree, quoted) = run(text, &Edits::new(text, &candidates), limits, true)?;
    let kept: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&at| quoted.iter().any(|s| s.start < at && at + 12 < s.end))
        .collect();
    if kept.len() == candidates.len() {
        return Ok(tree);
    }
    run(text, &Edits::new(text, &kept), limits, false).map(|(tree, _)| tree)
}

type Tree = (Node, Vec<NumberIssue>);

/// One pass of the scanner over `edits`' text; with `check`, the spans of the double-quoted
/// scalars come back too.
fn run(
    text: &str,
    edits: &Edits,
    limits: &Limits,
    check: bool,
) -> Result<(Tree, Vec<Span>), LoadError> {
    let scanned = edits.scanned.as_deref().unwrap_or(text);
    let mut builder = Builder {
        text,
        limits,
        bytes: CharToByte::new(scanned),
        edits,
        quoted: check.then(Vec::new),
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
        documents: 0,
        number_issues: Vec::new(),
    };
    let mut parser = Parser::new_from_str(scanned);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            let at = edits.original(builder.bytes.byte(e.marker().index()));
            // The scanner has a nesting limit of its own, above ours.
            let kind = if e.info().contains("recursion limit") {
                LoadErrorKind::TooDeep {
                    limit: limits.max_depth,
                }
            } else if e.info().contains("invalid Unicode character escape") {
                if let Some(lone) = lone_surrogate_in(text, at) {
                    return super::json::lone_surrogate(text, lone);
                }
                LoadErrorKind::Syntax {
                    message: e.info().to_owned(),
                }
            } else {
                // A full-width colon or space just before the error is what went wrong: say so,
                // at that character.
                if let Some(explained) = super::punctuation::explain_syntax_error(text, at) {
                    return explained;
                }
                LoadErrorKind::Syntax {
                    message: e.info().to_owned(),
                }
            };
            LoadError::new(kind).with_span(Span::empty(at))
        })?;
        if builder.event(event, span)? {
            break;
        }
    }
    let root = builder
        .root
        .ok_or_else(|| LoadError::new(LoadErrorKind::Empty))?;
    Ok((
        (root, builder.number_issues),
        builder.quoted.unwrap_or_default(),
    ))
}

/// The text the scanner reads when surrogate pairs are rewritten, and how its byte offsets
/// map back to the text's.
struct Edits {
    /// `None`: the text itself.
    scanned: Option<String>,
    /// Where each rewritten escape starts in the scanned text (10 bytes there, 12 in the text).
    at: Vec<usize>,
}

impl Edits {
    const fn none() -> Self {
        Self {
            scanned: None,
            at: Vec::new(),
        }
    }

    /// Rewrites the pairs at `pairs` (offsets of their first backslash, in order).
    fn new(text: &str, pairs: &[usize]) -> Self {
        let mut scanned = String::with_capacity(text.len());
        let mut at = Vec::with_capacity(pairs.len());
        let mut done = 0;
        for &p in pairs {
            scanned.push_str(text.get(done..p).unwrap_or(""));
            at.push(scanned.len());
            let code = pair_at(text.as_bytes(), p).unwrap_or(0xFFFD);
            let _ = write!(scanned, "\\U{code:08X}");
            done = p + 12;
        }
        scanned.push_str(text.get(done..).unwrap_or(""));
        Self {
            scanned: Some(scanned),
            at,
        }
    }

    /// The text's byte offset for a byte offset of the scanned text.
    fn original(&self, offset: usize) -> usize {
        let before = self.at.partition_point(|&a| a + 10 <= offset);
        offset + 2 * before
    }
}

/// The offsets of the backslashes that start an escaped surrogate pair (`\uD800`–`\uDBFF`
/// right before `\uDC00`–`\uDFFF`), counting backslashes so that `\\uD842` is not one.
fn surrogate_pairs(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = bytes.get(from..).and_then(|b| memchr::memchr(b'\\', b)) {
        let at = from + found;
        let run = bytes
            .get(at..)
            .map_or(1, |b| b.iter().take_while(|&&c| c == b'\\').count());
        // In a run of backslashes they escape one another in pairs; an odd run's last one
        // escapes what follows.
        let last = at + run - 1;
        if run % 2 == 1 && pair_at(bytes, last).is_some() {
            out.push(last);
            from = last + 12;
        } else {
            from = at + run;
        }
    }
    out
}

/// The code point of the escaped surrogate pair whose first backslash is at `at`.
fn pair_at(bytes: &[u8], at: usize) -> Option<u32> {
    let high = escape_u(bytes, at)?;
    let low = escape_u(bytes, at + 6)?;
    ((0xD800..=0xDBFF).contains(&high) && (0xDC00..=0xDFFF).contains(&low))
        .then(|| 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
}

/// The value of a `\uXXXX` escape at `at`.
fn escape_u(bytes: &[u8], at: usize) -> Option<u32> {
    let escape = bytes.get(at..at + 6)?;
    if escape.get(..2)? != b"\\u" {
        return None;
    }
    escape.get(2..)?.iter().try_fold(0, |code, &b| {
        char::from(b).to_digit(16).map(|d| code * 16 + d)
    })
}

/// The first escaped half of a surrogate pair without its other half in the double-quoted
/// scalar that starts at `start` (where the scanner reports an invalid escape).
fn lone_surrogate_in(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'"') {
        return None;
    }
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => return None,
            b'\\' => {
                if let Some(code) = escape_u(bytes, i) {
                    if (0xD800..=0xDFFF).contains(&code) {
                        if pair_at(bytes, i).is_none() {
                            return Some(i);
                        }
                        i += 12;
                        continue;
                    }
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    None
}

impl Builder<'_> {
    fn span(&mut self, span: YamlSpan) -> Span {
        let start = self.edits.original(self.bytes.byte(span.start.index()));
        let end = self.edits.original(self.bytes.byte(span.end.index()));
        Span::new(start, end.max(start))
    }

    /// Handles one event; returns `true` at the end of the stream.
    fn event(&mut self, event: Event<'_>, yspan: YamlSpan) -> Result<bool, LoadError> {
        match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::StreamEnd => return Ok(true),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    let span = self.span(yspan);
                    return Err(LoadError::new(LoadErrorKind::MultipleDocuments).with_span(span));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let span = self.span(yspan);
                if let (Some(quoted), ScalarStyle::DoubleQuoted) = (&mut self.quoted, style) {
                    quoted.push(span);
                }
                let value = self.scalar(value, style, tag.as_deref(), span)?;
                self.complete(Node { value, span }, anchor)?;
            }
            Event::Alias(id) => {
                let span = self.span(yspan);
                let Some(anchored) = self.anchors.get(&id) else {
                    return Err(LoadError::new(LoadErrorKind::Syntax {
                        message: "alias to an anchor that is not defined before it".to_owned(),
                    })
                    .with_span(span));
                };
                self.alias_nodes = self.alias_nodes.saturating_add(anchored.nodes);
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(LoadError::new(LoadErrorKind::AliasExpansion {
                        limit: self.limits.max_alias_nodes,
                    })
                    .with_span(span));
                }
                let mut node = anchored.node.clone();
                // The copy is reported where the alias stands.
                node.span = span;
                self.complete(node, 0)?;
            }
            Event::SequenceStart(anchor, tag) => {
                let span = self.span(yspan);
                self.check_collection_tag(tag.as_deref(), "seq", span)?;
                let flow = self
                    .text
                    .get(span.start..)
                    .is_some_and(|t| t.starts_with('['));
                self.push(
                    Frame::Seq {
                        items: Vec::new(),
                        start: span.start,
                        anchor,
                        flow,
                    },
                    span,
                )?;
            }
            Event::MappingStart(anchor, tag) => {
                let span = self.span(yspan);
                self.check_collection_tag(tag.as_deref(), "map", span)?;
                let flow = self
                    .text
                    .get(span.start..)
                    .is_some_and(|t| t.starts_with('{'));
                self.push(
                    Frame::Map {
                        entries: Vec::new(),
                        pending_key: None,
                        index: None,
                        start: span.start,
                        anchor,
                        flow,
                    },
                    span,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let end_span = self.span(yspan);
                let Some(frame) = self.stack.pop() else {
                    return Ok(false);
                };
                let (value, start, anchor, flow, last_end) = match frame {
                    Frame::Seq {
                        items,
                        start,
                        anchor,
                        flow,
                    } => {
                        let last = items.last().map(|n| n.span.end);
                        (Value::Seq(items), start, anchor, flow, last)
                    }
                    Frame::Map {
                        entries,
                        start,
                        anchor,
                        flow,
                        ..
                    } => {
                        let last = entries.last().map(|e| e.value.span.end);
                        (Value::Map(entries), start, anchor, flow, last)
                    }
                };
                // A flow collection ends at its bracket; a block one at its last value
                // (the end event of a block collection sits on the next token, past comments).
                let end = if flow {
                    end_span.end
                } else {
                    last_end.unwrap_or(end_span.start)
                };
                let span = Span::new(start, end.max(start));
                self.complete(Node { value, span }, anchor)?;
            }
        }
        Ok(false)
    }

    fn push(&mut self, frame: Frame, span: Span) -> Result<(), LoadError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(LoadError::new(LoadErrorKind::TooDeep {
                limit: self.limits.max_depth,
            })
            .with_span(span));
        }
        // A collection cannot be a mapping key.
        if let Some(Frame::Map {
            pending_key: None, ..
        }) = self.stack.last()
        {
            return Err(LoadError::new(LoadErrorKind::ComplexKey).with_span(span));
        }
        self.stack.push(frame);
        Ok(())
    }

    /// Attaches a finished node to its parent (or makes it the root).
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), LoadError> {
        if anchor != 0 {
            let nodes = count_nodes(&node);
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    nodes,
                },
            );
        }
        let text = self.text;
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                index,
                ..
            }) => match pending_key.take() {
                None => {
                    let key: CompactString = match node.value {
                        Value::Str(s) => s.into(),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(
                                LoadError::new(LoadErrorKind::ComplexKey).with_span(node.span)
                            );
                        }
                        // A plain `1:` or `true:` key is still named by its text.
                        _ => text
                            .get(node.span.start..node.span.end)
                            .unwrap_or("")
                            .into(),
                    };
                    let first = match index {
                        Some(index) => index.get(&key).copied(),
                        None => entries.iter().position(|e| super::same_key(&e.key, &key)),
                    };
                    if let Some(first) = first {
                        let first_at = entries.get(first).map_or(0, |e| e.key_span.start);
                        let (first_line, first_column) = super::json::line_column(text, first_at);
                        return Err(LoadError::new(LoadErrorKind::DuplicateKey {
                            key: key.into(),
                            first_line,
                            first_column,
                        })
                        .with_span(node.span));
                    }
                    *pending_key = Some((key, node.span));
                }
                Some((key, key_span)) => {
                    if let Some(index) = index {
                        index.insert(key.clone(), entries.len());
                    } else if entries.len() >= LINEAR_KEY_SCAN {
                        let mut built: HashMap<CompactString, usize> = entries
                            .iter()
                            .enumerate()
                            .map(|(i, e)| (e.key.clone(), i))
                            .collect();
                        built.insert(key.clone(), entries.len());
                        *index = Some(built);
                    }
                    entries.push(Entry {
                        key,
                        key_span,
                        value: node,
                    });
                }
            },
        }
        Ok(())
    }

    /// The pointer of the node being completed next (for number diagnostics).
    fn pointer(&self) -> Pointer {
        let mut pointer = Pointer::root();
        for frame in &self.stack {
            match frame {
                Frame::Seq { items, .. } => pointer = pointer.join(&items.len().to_string()),
                Frame::Map {
                    pending_key: Some((key, _)),
                    ..
                } => pointer = pointer.join(key),
                Frame::Map { .. } => {}
            }
        }
        pointer
    }

    fn check_collection_tag(
        &self,
        tag: Option<&Tag>,
        kind: &str,
        span: Span,
    ) -> Result<(), LoadError> {
        match tag {
            None => Ok(()),
            Some(tag) if tag.is_yaml_core_schema() && tag.suffix == kind => Ok(()),
            Some(tag) => Err(
                LoadError::new(LoadErrorKind::UnsupportedTag { tag: tag_name(tag) })
                    .with_span(span),
            ),
        }
    }

    // `raw` by value: a string the scanner already owns becomes the node's without a copy.
    fn scalar(
        &mut self,
        raw: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<Value, LoadError> {
        let plain = style == ScalarStyle::Plain;
        let Some(tag) = tag else {
            return Ok(if plain {
                self.resolve_plain(raw, span)
            } else {
                Value::Str(raw.into_owned())
            });
        };
        // `! value` (the non-specific tag) and `!!str` both mean "a string".
        if (tag.handle == "!" && tag.suffix.is_empty())
            || (tag.is_yaml_core_schema() && tag.suffix == "str")
        {
            return Ok(Value::Str(raw.into_owned()));
        }
        if !tag.is_yaml_core_schema()
            || !matches!(tag.suffix.as_str(), "null" | "bool" | "int" | "float")
        {
            return Err(
                LoadError::new(LoadErrorKind::UnsupportedTag { tag: tag_name(tag) })
                    .with_span(span),
            );
        }
        let value = self.resolve_plain(raw, span);
        let fits = match (tag.suffix.as_str(), &value) {
            ("null", Value::Null) | ("bool", Value::Bool(_)) | ("int", Value::Int(_)) => true,
            ("float", Value::Float(_)) => true,
            ("float", Value::Int(i)) => return Ok(Value::Float(*i as f64)),
            _ => false,
        };
        if fits {
            Ok(value)
        } else {
            Err(LoadError::new(LoadErrorKind::TagMismatch { tag: tag_name(tag) }).with_span(span))
        }
    }

    /// YAML 1.2 core schema resolution of a plain scalar (§10.3.2).
    fn resolve_plain(&mut self, raw: Cow<'_, str>, span: Span) -> Value {
        match &*raw {
            "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
            "true" | "True" | "TRUE" => return Value::Bool(true),
            "false" | "False" | "FALSE" => return Value::Bool(false),
            _ => {}
        }
        let (value, issue) = resolve_number(&raw);
        if let Some(kind) = issue {
            let pointer = self.pointer();
            self.number_issues.push(NumberIssue {
                pointer,
                span,
                kind,
            });
        }
        value.unwrap_or_else(|| Value::Str(raw.into_owned()))
    }
}

/// Core-schema numbers: decimal, `0o` octal and `0x` hexadecimal integers; floats with an
/// optional exponent; `.inf` and `.nan`. Returns `None` for anything else (a string).
pub(super) fn resolve_number(raw: &str) -> (Option<Value>, Option<NumberIssueKind>) {
    let bytes = raw.as_bytes();
    let Some(&first) = bytes.first() else {
        return (None, None);
    };
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return (None, None);
    }
    let unsigned = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    let negative = raw.starts_with('-');
    if let Some(digits) = raw.strip_prefix("0o") {
        return radix(digits, 8);
    }
    if let Some(digits) = raw.strip_prefix("0x") {
        return radix(digits, 16);
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            let v = if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            return (Some(Value::Float(v)), Some(NumberIssueKind::NotFinite));
        }
        ".nan" | ".NaN" | ".NAN" if unsigned.len() == raw.len() => {
            return (
                Some(Value::Float(f64::NAN)),
                Some(NumberIssueKind::NotFinite),
            );
        }
        _ => {}
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return match raw.parse::<i64>() {
            Ok(i) => (Some(Value::Int(i)), None),
            Err(_) => (
                raw.parse::<f64>().ok().map(Value::Float),
                Some(NumberIssueKind::OutOfRange),
            ),
        };
    }
    if is_core_float(unsigned) {
        return match raw.parse::<f64>() {
            // `1e-400`: not zero, but too small for a double, which would say 0.
            Ok(f) if f == 0.0 && nonzero_mantissa(unsigned) => {
                (Some(Value::Float(f)), Some(NumberIssueKind::OutOfRange))
            }
            Ok(f) if f.is_finite() => (Some(Value::Float(f)), None),
            Ok(f) => (Some(Value::Float(f)), Some(NumberIssueKind::OutOfRange)),
            Err(_) => (None, None),
        };
    }
    (None, None)
}

/// Whether a float's digits before its exponent are not all zero.
fn nonzero_mantissa(s: &str) -> bool {
    s.bytes()
        .take_while(|&b| b != b'e' && b != b'E')
        .any(|b| matches!(b, b'1'..=b'9'))
}

fn radix(digits: &str, radix: u32) -> (Option<Value>, Option<NumberIssueKind>) {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return (None, None);
    }
    match i64::from_str_radix(digits, radix) {
        Ok(i) => (Some(Value::Int(i)), Some(NumberIssueKind::NonDecimal)),
        Err(_) => (None, Some(NumberIssueKind::OutOfRange)),
    }
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the sign already stripped).
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (s.get(..i).unwrap_or(""), Some(s.get(i + 1..).unwrap_or(""))),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && (!int.is_empty() || !frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// A tag as it was written: `!!int` rather than `tag:yaml.org,2002:int`.
fn tag_name(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        tag.to_string()
    }
}

fn count_nodes(node: &Node) -> usize {
    // Iterative, so that counting cannot recurse deeper than the tree allows.
    let mut count = 0;
    let mut todo = vec![node];
    while let Some(node) = todo.pop() {
        count += 1;
        match &node.value {
            Value::Seq(items) => todo.extend(items),
            Value::Map(entries) => todo.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests;
