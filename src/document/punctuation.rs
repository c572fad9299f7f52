//! The mistakes a Chinese input method makes in YAML: a full-width colon after a key
//! (`staff：18`), a full-width space in the indentation, full-width brackets around a list or
//! a full-width comma between its items. YAML reads most of them as text without complaint, or
//! fails a line later with a message about something else; these functions find the character
//! itself, so the report can point at it and name it.

use crate::document::{Document, LoadError, LoadErrorKind, Node, Pointer, Value};
use crate::source::Span;

/// A full-width character where YAML needs its ASCII counterpart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PunctuationIssue {
    /// The value (or, for a key, the entry) it is in.
    pub pointer: Pointer,
    /// The character, in the source.
    pub span: Span,
    pub found: char,
    pub ascii: char,
    /// Values whose schema errors are this character's echoes: for an indentation of U+3000, the
    /// key above it, left empty (the key itself, unknown to its mapping, is an echo too).
    pub echoes: Vec<Pointer>,
}

/// The ASCII character a full-width one stands for in YAML's syntax, and its name.
#[must_use]
pub fn ascii_of(c: char) -> Option<(char, &'static str, &'static str)> {
    Some(match c {
        '：' => (':', "全角冒号", "full-width colon"),
        '\u{3000}' => (' ', "全角空格", "full-width space"),
        '，' => (',', "全角逗号", "full-width comma"),
        '［' | '【' => ('[', "全角方括号", "full-width bracket"),
        '］' | '】' => (']', "全角方括号", "full-width bracket"),
        '｛' => ('{', "全角花括号", "full-width brace"),
        '｝' => ('}', "全角花括号", "full-width brace"),
        '“' | '”' => ('"', "全角引号", "full-width quotation mark"),
        '‘' | '’' => ('\'', "全角引号", "full-width quotation mark"),
        '－' => ('-', "全角连字符", "full-width hyphen"),
        '＃' => ('#', "全角井号", "full-width number sign"),
        _ => return None,
    })
}

/// Where a line's structure has a full-width character: in the indentation, after a key
/// (`name：`), or as the sequence dash (`－ item`). The offset of the character in `line`.
fn structural_in_line(line: &str) -> Option<(usize, char)> {
    // The indentation: ASCII spaces, and the full-width space an IME types for them.
    let mut at = 0;
    for (i, c) in line.char_indices() {
        match c {
            ' ' | '\t' => at = i + 1,
            '\u{3000}' => return Some((i, c)),
            _ => break,
        }
    }
    let mut rest = &line[at..];
    // Sequence dashes, `- ` or the full-width `－ `.
    loop {
        if let Some(after) = rest.strip_prefix("- ") {
            at += 2;
            rest = after;
        } else if let Some(after) = rest.strip_prefix("－") {
            return after.starts_with([' ', '\u{3000}']).then_some((at, '－'));
        } else {
            break;
        }
        let trimmed = rest.trim_start_matches(' ');
        at += rest.len() - trimmed.len();
        rest = trimmed;
        if let Some(c) = rest.chars().next().filter(|&c| c == '\u{3000}') {
            return Some((at, c));
        }
    }
    // A key: a name of ASCII letters, digits and underscores, then a full-width colon.
    let key = rest
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_alphanumeric() || c == '_')
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    if key > 0 && rest[key..].starts_with('：') {
        return Some((at + key, '：'));
    }
    None
}

/// A syntax error that a full-width character just before it explains: the first such
/// character in the line of `at` or the two lines above it, as the error to report instead.
#[must_use]
pub fn explain_syntax_error(text: &str, at: usize) -> Option<LoadError> {
    let at = at.min(text.len());
    let line_start = |offset: usize| {
        text.get(..offset)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    };
    let mut starts = vec![line_start(at)];
    for _ in 0..2 {
        let first = *starts.last()?;
        if first == 0 {
            break;
        }
        starts.push(line_start(first - 1));
    }
    starts.reverse();
    starts.into_iter().find_map(|start| {
        let end = text
            .get(start..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| start + i);
        let line = text.get(start..end)?;
        let (offset, found) = structural_in_line(line)?;
        let (ascii, _, _) = ascii_of(found)?;
        let at = start + offset;
        Some(
            LoadError::new(LoadErrorKind::FullWidthPunctuation { found, ascii })
                .with_span(Span::new(at, at + found.len_utf8())),
        )
    })
}

/// The full-width characters in the structure of a document YAML read without an error: a
/// plain value that is really `key：value`, a key that starts with a full-width space, a value
/// in full-width brackets (`［工业用地］`), a full-width comma between the items of a flow list.
#[must_use]
pub fn issues(doc: &Document) -> Vec<PunctuationIssue> {
    let mut out = Vec::new();
    let text = doc.source.text();
    // A workbook has no YAML syntax to mistype: its text is the cells' values.
    if doc.source.grid().is_some() {
        return out;
    }
    // Nothing to find without the characters (most files): one pass over the bytes.
    if !["：", "\u{3000}", "［", "【", "｛", "，"]
        .iter()
        .any(|c| text.contains(c))
    {
        return out;
    }
    let mut todo: Vec<(Pointer, &Node)> = vec![(Pointer::root(), &doc.root)];
    while let Some((pointer, node)) = todo.pop() {
        match &node.value {
            Value::Map(entries) => {
                for (n, entry) in entries.iter().enumerate() {
                    let key_text = doc.source.slice(entry.key_span);
                    if let Some(i) = key_text.find('\u{3000}') {
                        let at = entry.key_span.start + i;
                        let mut echoes = Vec::new();
                        if let Some(above) = n.checked_sub(1).and_then(|m| entries.get(m)) {
                            if matches!(above.value.value, Value::Null) {
                                echoes.push(pointer.join(&above.key));
                            }
                        }
                        out.push(PunctuationIssue {
                            pointer: pointer.join(&entry.key),
                            span: Span::new(at, at + '\u{3000}'.len_utf8()),
                            found: '\u{3000}',
                            ascii: ' ',
                            echoes,
                        });
                    }
                    todo.push((pointer.join(&entry.key), &entry.value));
                }
            }
            Value::Seq(items) => {
                let flow = doc.source.slice(node.span).starts_with('[');
                for (i, item) in items.iter().enumerate() {
                    let raw = doc.source.slice(item.span);
                    if let (true, Value::Str(_), Some(comma)) = (flow, &item.value, raw.find('，'))
                    {
                        let at = item.span.start + comma;
                        out.push(PunctuationIssue {
                            pointer: pointer.join(&i.to_string()),
                            span: Span::new(at, at + '，'.len_utf8()),
                            found: '，',
                            ascii: ',',
                            echoes: Vec::new(),
                        });
                    }
                    todo.push((pointer.join(&i.to_string()), item));
                }
            }
            Value::Str(_) => {
                let raw = doc.source.slice(node.span);
                let found = match raw.chars().next() {
                    Some(c @ ('［' | '【' | '｛')) => Some((0, c)),
                    _ => structural_in_line(raw).filter(|&(_, c)| c == '：'),
                };
                if let Some((offset, c)) = found {
                    if let Some((ascii, _, _)) = ascii_of(c) {
                        let at = node.span.start + offset;
                        out.push(PunctuationIssue {
                            pointer: pointer.clone(),
                            span: Span::new(at, at + c.len_utf8()),
                            found: c,
                            ascii,
                            echoes: Vec::new(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|i| i.span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Limits, Syntax, load_bytes};

    fn doc(text: &str) -> Document {
        load_bytes(
            "t.yaml",
            text.as_bytes().to_vec(),
            Syntax::Yaml,
            &Limits::default(),
        )
        .unwrap()
    }

    #[test]
    fn structure_in_a_line() {
        assert_eq!(structural_in_line("  staff：18"), Some((7, '：')));
        assert_eq!(structural_in_line("\u{3000}name: x"), Some((0, '\u{3000}')));
        assert_eq!(structural_in_line("  - name：x"), Some((8, '：')));
        assert_eq!(structural_in_line("－ 入驻"), Some((0, '－')));
        assert_eq!(structural_in_line("  name: 地址：桐乡"), None);
        assert_eq!(structural_in_line("  备注：见附件"), None);
    }

    #[test]
    fn a_syntax_error_after_a_full_width_colon_points_at_it() {
        let text = "operator:\n  staff：18\n  staff_college: 6\n";
        let e = crate::document::Document::parse(
            crate::source::SourceFile::new("t.yaml", text),
            &Limits::default(),
        )
        .unwrap_err();
        let explained = explain_syntax_error(text, e.span().unwrap().start).unwrap();
        assert_eq!(explained.span(), Some(Span::new(17, 20)));
        assert!(
            explained.message().zh.contains("全角冒号"),
            "{:?}",
            explained.message()
        );
    }

    #[test]
    fn what_yaml_reads_as_text() {
        let d = doc(
            "operator:\n  staff：18\nland:\n  use: ［工业用地］\nfacilities: [仓储，物流]\n\u{3000}name: x\n",
        );
        let found: Vec<(String, char)> = issues(&d)
            .into_iter()
            .map(|i| (i.pointer.as_str().to_owned(), i.found))
            .collect();
        assert_eq!(
            found,
            [
                ("/operator".to_owned(), '：'),
                ("/land/use".to_owned(), '［'),
                ("/facilities/0".to_owned(), '，'),
                ("/\u{3000}name".to_owned(), '\u{3000}'),
            ]
        );
        assert!(issues(&doc("name: 地址：桐乡\nnote: \"a：b\"\n")).is_empty());
    }
}
