//! Strict JSON (RFC 8259) straight into the spanned tree, in one pass over the decoded text.
//!
//! The grammar is small and the tree and its spans are ours, so this is a hand-written scanner
//! rather than a JSON crate's values converted afterwards (README, "Design notes", has the
//! comparison with `jiter` and `serde_json`). It builds exactly what the YAML loader builds for
//! the same data — the same [`Value`] kinds, spans that cover the token (quotes and brackets
//! included), the same [`NumberIssue`]s, the same [`LoadErrorKind`]s for duplicate keys and the
//! nesting limit — and it nests without recursion: collections live on an explicit stack, so
//! the depth limit is a comparison, not a guard against overflowing the call stack.
//!
//! Errors name the place to fix: the character that is wrong, the opening quote of a string or
//! the bracket of a collection that the file ends inside, and for the usual mistakes (comments,
//! trailing commas, single quotes, unquoted keys, `NaN`) what JSON allows instead.

use std::borrow::Cow;
use std::collections::HashMap;

use compact_str::CompactString;

use super::error::{Expected, JsonError, NumberProblem, Open};
use super::{
    Entry, Limits, LoadError, LoadErrorKind, Node, NumberIssue, NumberIssueKind, Pointer, Value,
    yaml,
};
use crate::source::Span;

/// Mappings with more entries than this index their keys in a hash map for duplicate checks
/// (as in the YAML loader).
const LINEAR_KEY_SCAN: usize = 16;

/// An open collection. Its items (entries) so far are on the parser's shared stack of items
/// (entries) from `base` on, and are moved into a vector of their exact size when it closes:
/// one allocation per collection, where growing a vector of its own took three or four.
enum Frame {
    Seq {
        base: usize,
        start: usize,
    },
    Map {
        base: usize,
        index: Option<HashMap<CompactString, usize>>,
        /// The key whose value is being read.
        key: CompactString,
        key_span: Span,
        start: usize,
    },
}

/// Parses strict JSON text into a spanned tree.
///
/// # Errors
/// A [`LoadErrorKind::JsonSyntax`] or [`LoadErrorKind::LoneSurrogate`] at the place to fix; a
/// duplicate key, nesting deeper than the limit, or an empty text, as the YAML loader reports them.
pub fn parse(text: &str, limits: &Limits) -> Result<(Node, Vec<NumberIssue>), LoadError> {
    let mut cur = Cursor {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut items: Vec<Node> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut issues = Vec::new();
    cur.skip_ws();
    if cur.pos >= cur.bytes.len() {
        return Err(LoadError::new(LoadErrorKind::Empty));
    }
    'value: loop {
        // A value starts here (whitespace skipped).
        let start = cur.pos;
        let mut node = match cur.peek() {
            Some(open @ (b'{' | b'[')) => {
                if stack.len() >= limits.max_depth {
                    return Err(LoadError::new(LoadErrorKind::TooDeep {
                        limit: limits.max_depth,
                    })
                    .with_span(Span::new(start, start + 1)));
                }
                cur.pos += 1;
                cur.skip_ws();
                if open == b'[' {
                    if cur.peek() == Some(b']') {
                        cur.pos += 1;
                        node(Value::Seq(Vec::new()), start, cur.pos)
                    } else {
                        stack.push(Frame::Seq {
                            base: items.len(),
                            start,
                        });
                        continue 'value;
                    }
                } else if cur.peek() == Some(b'}') {
                    cur.pos += 1;
                    node(Value::Map(Vec::new()), start, cur.pos)
                } else {
                    let (key, key_span) = cur.key(start, &[], None)?;
                    stack.push(Frame::Map {
                        base: entries.len(),
                        index: None,
                        key,
                        key_span,
                        start,
                    });
                    continue 'value;
                }
            }
            Some(b'"') => {
                let value = cur.string()?;
                node(Value::Str(value.into_owned()), start, cur.pos)
            }
            Some(b'-' | b'0'..=b'9') => {
                let integer = cur.number()?;
                let raw = cur.text.get(start..cur.pos).unwrap_or("");
                let (value, issue) = number_value(raw, integer);
                if let Some(kind) = issue {
                    issues.push(NumberIssue {
                        pointer: pointer(&stack, items.len()),
                        span: Span::new(start, cur.pos),
                        kind,
                    });
                }
                node(value, start, cur.pos)
            }
            Some(_) => node(cur.literal(Expected::Value)?, start, cur.pos),
            None => return Err(cur.end_of_file(&stack, Expected::Value)),
        };
        // The value is complete: attach it, then close every collection that ends after it.
        loop {
            match stack.last_mut() {
                None => {
                    cur.skip_ws();
                    if cur.pos < cur.bytes.len() {
                        return Err(cur.trailing());
                    }
                    return Ok((node, issues));
                }
                Some(&mut Frame::Seq { base, start }) => {
                    items.push(node);
                    cur.skip_ws();
                    match cur.peek() {
                        Some(b',') => {
                            let comma = cur.pos;
                            cur.pos += 1;
                            cur.skip_ws();
                            if cur.peek() == Some(b']') {
                                return Err(syntax(JsonError::TrailingComma, comma, comma + 1));
                            }
                            continue 'value;
                        }
                        Some(b']') => {
                            cur.pos += 1;
                            stack.pop();
                            let seq: Vec<Node> = items.drain(base..).collect();
                            node = self::node(Value::Seq(seq), start, cur.pos);
                        }
                        _ => {
                            return Err(cur.unexpected(&stack, Expected::CommaOrBracket));
                        }
                    }
                }
                Some(Frame::Map {
                    base,
                    index,
                    key,
                    key_span,
                    start,
                }) => {
                    let (base, start) = (*base, *start);
                    let count = entries.len() - base;
                    if let Some(index) = index {
                        index.insert(key.clone(), count);
                    } else if count >= LINEAR_KEY_SCAN {
                        let mut built: HashMap<CompactString, usize> = entries
                            .get(base..)
                            .unwrap_or_default()
                            .iter()
                            .enumerate()
                            .map(|(i, e)| (e.key.clone(), i))
                            .collect();
                        built.insert(key.clone(), count);
                        *index = Some(built);
                    }
                    entries.push(Entry {
                        key: std::mem::take(key),
                        key_span: *key_span,
                        value: node,
                    });
                    cur.skip_ws();
                    match cur.peek() {
                        Some(b',') => {
                            let comma = cur.pos;
                            cur.pos += 1;
                            cur.skip_ws();
                            if cur.peek() == Some(b'}') {
                                return Err(syntax(JsonError::TrailingComma, comma, comma + 1));
                            }
                            let members = entries.get(base..).unwrap_or_default();
                            let (k, k_span) = cur.key(start, members, index.as_ref())?;
                            *key = k;
                            *key_span = k_span;
                            continue 'value;
                        }
                        Some(b'}') => {
                            cur.pos += 1;
                            stack.pop();
                            let map: Vec<Entry> = entries.drain(base..).collect();
                            node = self::node(Value::Map(map), start, cur.pos);
                        }
                        _ => {
                            return Err(cur.unexpected(&stack, Expected::CommaOrBrace));
                        }
                    }
                }
            }
        }
    }
}

const fn node(value: Value, start: usize, end: usize) -> Node {
    Node {
        value,
        span: Span { start, end },
    }
}

fn syntax(error: JsonError, start: usize, end: usize) -> LoadError {
    LoadError::new(LoadErrorKind::JsonSyntax(error)).with_span(Span::new(start, end))
}

/// The pointer of the value being read (for number diagnostics; built only when one is needed).
/// `items` is the height of the shared stack of items: an array's index is how many of its
/// items are there, that is up to the next array's base, or up to the top for the innermost.
fn pointer(stack: &[Frame], items: usize) -> Pointer {
    let mut pointer = Pointer::root();
    for (i, frame) in stack.iter().enumerate() {
        match frame {
            Frame::Seq { base, .. } => {
                let end = stack
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .find_map(|f| match f {
                        Frame::Seq { base, .. } => Some(*base),
                        Frame::Map { .. } => None,
                    })
                    .unwrap_or(items);
                pointer = pointer.join(&(end - base).to_string());
            }
            Frame::Map { key, .. } => pointer = pointer.join(key),
        }
    }
    pointer
}

/// The value of a number's text (which the scanner has checked against JSON's grammar), as the
/// YAML loader resolves the same text: `Int` when it is an integer that fits 64 bits, otherwise
/// `Float`, with an issue for what does not fit.
fn number_value(raw: &str, integer: bool) -> (Value, Option<NumberIssueKind>) {
    if integer {
        if let Ok(i) = raw.parse::<i64>() {
            return (Value::Int(i), None);
        }
    }
    match yaml::resolve_number(raw) {
        (Some(value), issue) => (value, issue),
        // Not reached: JSON's numbers are a subset of the core schema's.
        (None, _) => (Value::Str(raw.to_owned()), None),
    }
}

/// Whether a byte ends the fast scan of a string: the closing quote, a backslash, a control
/// character.
#[inline]
const fn string_stop(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The character at the cursor (the text is UTF-8, and the cursor on a character boundary).
    fn char_here(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|t| t.chars().next())
    }

    /// Reads a key (at the cursor, whitespace skipped), checks it against the keys before it,
    /// and reads the colon and the whitespace after it.
    fn key(
        &mut self,
        object: usize,
        entries: &[Entry],
        index: Option<&HashMap<CompactString, usize>>,
    ) -> Result<(CompactString, Span), LoadError> {
        let start = self.pos;
        if self.peek() != Some(b'"') {
            return Err(self.not_a_key(object));
        }
        let key = CompactString::from(self.string()?);
        let span = Span::new(start, self.pos);
        let first = match index {
            Some(index) => index.get(&key).copied(),
            None => entries.iter().position(|e| super::same_key(&e.key, &key)),
        };
        if let Some(first) = first {
            let at = entries.get(first).map_or(0, |e| e.key_span.start);
            let (first_line, first_column) = line_column(self.text, at);
            return Err(LoadError::new(LoadErrorKind::DuplicateKey {
                key: key.into(),
                first_line,
                first_column,
            })
            .with_span(span));
        }
        self.skip_ws();
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                self.skip_ws();
                Ok((key, span))
            }
            None => Err(syntax(
                JsonError::Unclosed(Open::Object),
                object,
                object + 1,
            )),
            Some(_) => Err(self.misplaced(Expected::Colon)),
        }
    }

    /// Why the text at the cursor is not the key an object needs there.
    fn not_a_key(&self, object: usize) -> LoadError {
        let at = self.pos;
        match self.peek() {
            None => syntax(JsonError::Unclosed(Open::Object), object, object + 1),
            Some(b'\'') => syntax(JsonError::SingleQuote, at, at + 1),
            Some(b) if b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b >= 0x80 => {
                let word = self.word();
                if b >= 0x80 && word.is_empty() {
                    return self.misplaced(Expected::Key);
                }
                syntax(JsonError::UnquotedKey, at, at + word.len().max(1))
            }
            Some(b'0'..=b'9' | b'-') => {
                let word = self.word();
                syntax(JsonError::UnquotedKey, at, at + word.len().max(1))
            }
            Some(_) => self.misplaced(Expected::Key),
        }
    }

    /// A run of letters, digits and `_ . + - $` (and any non-ASCII letter) at the cursor: what
    /// a misspelled literal, an unquoted key or a stray word looks like.
    fn word(&self) -> &'a str {
        let rest = self.text.get(self.pos..).unwrap_or("");
        let end = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '+' | '-' | '$')))
            .map_or(rest.len(), |(i, _)| i);
        rest.get(..end).unwrap_or("")
    }

    /// Reads a string at the cursor (on its opening quote); the cursor ends after the closing one.
    /// Borrowed from the text when it holds no escape.
    fn string(&mut self) -> Result<Cow<'a, str>, LoadError> {
        let open = self.pos;
        self.pos += 1;
        let content = self.pos;
        // Fast scan to the first byte that needs a look.
        self.skip_plain();
        if self.pos >= self.bytes.len() {
            return Err(syntax(JsonError::Unclosed(Open::String), open, open + 1));
        }
        if self.peek() == Some(b'"') {
            let s = self.text.get(content..self.pos).unwrap_or("");
            self.pos += 1;
            return Ok(Cow::Borrowed(s));
        }
        let mut out = String::with_capacity(self.pos - content + 16);
        out.push_str(self.text.get(content..self.pos).unwrap_or(""));
        loop {
            let segment = self.pos;
            self.skip_plain();
            out.push_str(self.text.get(segment..self.pos).unwrap_or(""));
            match self.peek() {
                None => return Err(syntax(JsonError::Unclosed(Open::String), open, open + 1)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => self.escape(open, &mut out)?,
                Some(_) => {
                    let ch = self.char_here().unwrap_or('\0');
                    return Err(syntax(
                        JsonError::ControlCharacter(ch),
                        self.pos,
                        self.pos + 1,
                    ));
                }
            }
        }
    }

    /// Moves the cursor to the next byte that ends the fast scan of a string (or to the end),
    /// eight bytes at a time while none of them does (the text is mostly names and addresses:
    /// runs of UTF-8 without quotes, backslashes or control characters).
    #[inline]
    fn skip_plain(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        while let Some(chunk) = self.bytes.get(self.pos..self.pos + 8) {
            let Ok(eight) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            let x = u64::from_le_bytes(eight);
            let quote = x ^ (ONES * u64::from(b'"'));
            let backslash = x ^ (ONES * u64::from(b'\\'));
            // The high bit of a byte is set where it is below 0x20, or a quote or a backslash
            // (zero after the xor): exact for "any of the eight", which is all that is asked.
            let stops = (x.wrapping_sub(ONES * 0x20) & !x)
                | (quote.wrapping_sub(ONES) & !quote)
                | (backslash.wrapping_sub(ONES) & !backslash);
            if stops & HIGH != 0 {
                break;
            }
            self.pos += 8;
        }
        while let Some(&b) = self.bytes.get(self.pos) {
            if string_stop(b) {
                break;
            }
            self.pos += 1;
        }
    }

    /// Decodes the escape at the cursor (on its backslash) into `out`.
    fn escape(&mut self, open: usize, out: &mut String) -> Result<(), LoadError> {
        let at = self.pos;
        let decoded = match self.bytes.get(at + 1) {
            None => return Err(syntax(JsonError::Unclosed(Open::String), open, open + 1)),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let high = self.hex4(at)?;
                self.pos = at + 6;
                let code = match high {
                    0xD800..=0xDBFF => {
                        let low = (self.bytes.get(at + 6) == Some(&b'\\')
                            && self.bytes.get(at + 7) == Some(&b'u'))
                        .then(|| self.hex4(at + 6))
                        .transpose()?;
                        match low {
                            Some(low @ 0xDC00..=0xDFFF) => {
                                self.pos = at + 12;
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            }
                            _ => return Err(lone_surrogate(self.text, at)),
                        }
                    }
                    0xDC00..=0xDFFF => return Err(lone_surrogate(self.text, at)),
                    code => code,
                };
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                return Ok(());
            }
            Some(_) => {
                self.pos = at + 1;
                let ch = self.char_here().unwrap_or('\\');
                return Err(syntax(
                    JsonError::InvalidEscape(ch),
                    at,
                    at + 1 + ch.len_utf8(),
                ));
            }
        };
        out.push(decoded);
        self.pos = at + 2;
        Ok(())
    }

    /// The four hexadecimal digits after the `\u` at `at`.
    fn hex4(&self, at: usize) -> Result<u32, LoadError> {
        let mut code = 0;
        for i in 0..4 {
            let digit = self
                .bytes
                .get(at + 2 + i)
                .and_then(|&b| char::from(b).to_digit(16));
            match digit {
                Some(d) => code = code * 16 + d,
                None => {
                    let end = (at + 2 + i).min(self.bytes.len());
                    return Err(syntax(JsonError::UnicodeEscape, at, end.max(at + 2)));
                }
            }
        }
        Ok(code)
    }

    /// Reads a number at the cursor (on `-` or a digit); returns whether it is an integer
    /// (no fraction, no exponent).
    fn number(&mut self) -> Result<bool, LoadError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            match self.peek() {
                Some(b'0'..=b'9') => {}
                Some(b'.') => {
                    return Err(number_error(NumberProblem::NoIntegerPart, start, self.pos));
                }
                _ => {
                    self.pos = start;
                    if self.is_not_a_number() {
                        return Err(self.not_a_number(start));
                    }
                    let at = start + 1;
                    return Err(number_error(NumberProblem::DigitAfterMinus, at, at));
                }
            }
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
            match self.peek() {
                Some(b'0'..=b'9') => {
                    return Err(number_error(
                        NumberProblem::LeadingZero,
                        start,
                        self.pos + 1,
                    ));
                }
                Some(b'x' | b'X') => {
                    return Err(number_error(NumberProblem::Hex, start, self.pos + 1));
                }
                _ => {}
            }
        } else {
            self.digits();
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            if !self.digits() {
                return Err(number_error(
                    NumberProblem::DigitAfterPoint,
                    self.pos,
                    self.pos,
                ));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !self.digits() {
                return Err(number_error(
                    NumberProblem::DigitInExponent,
                    self.pos,
                    self.pos,
                ));
            }
        }
        // A number runs into letters or another dot: say so, rather than "expected `,`".
        if let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_') {
                let ch = char::from(b);
                return Err(number_error(
                    NumberProblem::Garbage(ch),
                    self.pos,
                    self.pos + 1,
                ));
            }
        }
        Ok(integer)
    }

    /// Skips ASCII digits; whether there was one.
    fn digits(&mut self) -> bool {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos > start
    }

    /// `true`, `false` or `null` at the cursor; otherwise why not.
    fn literal(&mut self, expected: Expected) -> Result<Value, LoadError> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let (value, len) = if rest.starts_with(b"true") {
            (Value::Bool(true), 4)
        } else if rest.starts_with(b"false") {
            (Value::Bool(false), 5)
        } else if rest.starts_with(b"null") {
            (Value::Null, 4)
        } else {
            return Err(self.not_a_value(expected));
        };
        // `nullx`, `true1`: one word, not a literal.
        let after = rest.get(len).copied();
        if after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(self.not_a_value(expected));
        }
        self.pos += len;
        Ok(value)
    }

    /// Why the text at the cursor does not start a value.
    fn not_a_value(&self, expected: Expected) -> LoadError {
        let at = self.pos;
        match self.peek() {
            Some(b'\'') => syntax(JsonError::SingleQuote, at, at + 1),
            Some(b'+' | b'.' | b'I' | b'N' | b'i' | b'n') if self.is_not_a_number() => {
                self.not_a_number(at)
            }
            Some(b'+') => number_error(NumberProblem::PlusSign, at, at + 1),
            Some(b'.') if self.bytes.get(at + 1).is_some_and(u8::is_ascii_digit) => {
                number_error(NumberProblem::NoIntegerPart, at, at + 1)
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let word = self.word();
                syntax(
                    JsonError::BadLiteral(word.chars().take(40).collect()),
                    at,
                    at + word.len(),
                )
            }
            _ => self.misplaced(expected),
        }
    }

    /// Whether the word at the cursor is `NaN` or an infinity, in any of their spellings.
    fn is_not_a_number(&self) -> bool {
        let word = self.word();
        let unsigned = word.trim_start_matches(['+', '-']);
        let lower = unsigned.to_ascii_lowercase();
        matches!(lower.as_str(), "nan" | "inf" | "infinity" | ".nan" | ".inf")
    }

    fn not_a_number(&self, at: usize) -> LoadError {
        let word = self.word();
        syntax(JsonError::NotANumber(word.to_owned()), at, at + word.len())
    }

    /// The character at the cursor cannot stand there; `expected` is what could.
    fn misplaced(&self, expected: Expected) -> LoadError {
        let at = self.pos;
        let Some(ch) = self.char_here() else {
            return syntax(JsonError::EndOfFile(expected), at, at);
        };
        let end = at + ch.len_utf8();
        let error = match ch {
            '/' if matches!(self.bytes.get(at + 1), Some(b'/' | b'*')) => JsonError::Comment,
            '#' => JsonError::Comment,
            '\u{FEFF}' => JsonError::ByteOrderMark,
            '\u{b}'
            | '\u{c}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200b}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{2060}'
            | '\u{3000}' => JsonError::Whitespace(ch),
            '\'' => JsonError::SingleQuote,
            _ => match full_width(ch) {
                Some(ascii) => JsonError::FullWidth { found: ch, ascii },
                None => JsonError::Unexpected {
                    found: ch,
                    expected,
                },
            },
        };
        syntax(error, at, end)
    }

    /// Something other than `,` or the closing bracket after a member or item.
    fn unexpected(&self, stack: &[Frame], expected: Expected) -> LoadError {
        if self.pos >= self.bytes.len() {
            return self.end_of_file(stack, expected);
        }
        self.misplaced(expected)
    }

    /// The file ends where `expected` should come: at the innermost collection left open.
    fn end_of_file(&self, stack: &[Frame], expected: Expected) -> LoadError {
        match stack.last() {
            Some(Frame::Seq { start, .. }) => {
                syntax(JsonError::Unclosed(Open::Array), *start, *start + 1)
            }
            Some(Frame::Map { start, .. }) => {
                syntax(JsonError::Unclosed(Open::Object), *start, *start + 1)
            }
            None => syntax(JsonError::EndOfFile(expected), self.pos, self.pos),
        }
    }

    /// Something after the one value a JSON text holds.
    fn trailing(&self) -> LoadError {
        let at = self.pos;
        let error = self.misplaced(Expected::End);
        match error.kind() {
            LoadErrorKind::JsonSyntax(JsonError::Unexpected { .. }) => {
                let end = at + self.char_here().map_or(1, char::len_utf8);
                syntax(JsonError::TrailingContent, at, end)
            }
            _ => error,
        }
    }
}

fn number_error(problem: NumberProblem, start: usize, end: usize) -> LoadError {
    syntax(JsonError::Number(problem), start, end.max(start))
}

/// The error for the half of a surrogate pair escaped at `at` (`\uD800` without its low half,
/// or a low half alone); shared with the YAML loader.
pub(super) fn lone_surrogate(text: &str, at: usize) -> LoadError {
    let escape = text.get(at..at + 6).unwrap_or("\\u").to_owned();
    LoadError::new(LoadErrorKind::LoneSurrogate { escape })
        .with_span(Span::new(at, (at + 6).min(text.len())))
}

/// The ASCII punctuation a full-width character stands for, when a Chinese input method typed
/// it in place of JSON's.
const fn full_width(ch: char) -> Option<char> {
    Some(match ch {
        '，' | '、' => ',',
        '：' => ':',
        '“' | '”' | '＂' => '"',
        '‘' | '’' => '\'',
        '｛' => '{',
        '｝' => '}',
        '［' | '【' => '[',
        '］' | '】' => ']',
        _ => return None,
    })
}

/// 1-based line and column (in characters) of a byte offset, for the message of a duplicate
/// key: computed once, when the error is made.
pub(super) fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before.get(line_start..).map_or(0, |t| t.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
