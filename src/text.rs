//! Bilingual text: everything a person reads is written in Chinese and English.

use serde::Serialize;

/// A message in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in the chosen language(s): Chinese first, English beside it.
    #[must_use]
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh.clone(),
            Lang::En => self.en.clone(),
            Lang::Both if self.zh == self.en => self.zh.clone(),
            Lang::Both => format!("{}\n{}", self.zh, self.en),
        }
    }
}

impl Text {
    /// The text on one line: `中文 / English` when both are wanted.
    #[must_use]
    pub fn render_inline(&self, lang: Lang) -> String {
        match lang {
            Lang::Both if self.zh != self.en => format!("{} / {}", self.zh, self.en),
            Lang::En => self.en.clone(),
            _ => self.zh.clone(),
        }
    }
}

/// Which language(s) a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    Zh,
    En,
    #[default]
    Both,
}

/// The longest value echoed in a message, in characters; a longer one is cut with `…`, so that
/// a 10 MB value does not make a 10 MB message.
pub const MAX_ECHO_CHARS: usize = 120;

/// `value` as a message quotes it: whole when short, otherwise its first [`MAX_ECHO_CHARS`]
/// characters, `…` and the total length; control and bidirectional characters made visible
/// ([`visible_inline`]), so that a value can neither drive a terminal nor break a line.
#[must_use]
pub fn clip(value: &str) -> String {
    match value.char_indices().nth(MAX_ECHO_CHARS) {
        None => visible_inline(value).into_owned(),
        Some((cut, _)) => format!(
            "{}…（{} 字符 / characters）",
            visible_inline(value.get(..cut).unwrap_or_default()),
            value.chars().count()
        ),
    }
}

/// Whether a character of an input must not reach a terminal as it is: the C0 controls (but
/// tab and line feed), DEL, the C1 controls, the bidirectional embeddings, overrides, isolates
/// and marks (which reorder what a reader sees, as in "Trojan Source"), the line and paragraph
/// separators, and the invisible zero-width space and byte-order mark.
#[must_use]
pub const fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// How an unsafe character is shown: a C0 control or DEL as its Unicode control picture (one
/// column, as `␛` for ESC: the place of what follows is unchanged), anything else as `\u{…}`
/// (as Rust, ripgrep and git write it).
fn push_visible(out: &mut String, c: char) {
    let code = c as u32;
    match code {
        0..=0x1f => out.push(char::from_u32(0x2400 + code).unwrap_or('\u{fffd}')),
        0x7f => out.push('\u{2421}'),
        _ => {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{{{code:x}}}");
        }
    }
}

/// Text from an input, safe to print for a person: every [`is_unsafe`] character made visible;
/// tabs and line feeds kept (a CR is kept before a LF only).
#[must_use]
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    visible_with(text, false)
}

/// As [`visible`], for text that must stay on one line: line feeds, carriage returns and tabs
/// are made visible too (`␊`, `␍`, `␉`).
#[must_use]
pub fn visible_inline(text: &str) -> std::borrow::Cow<'_, str> {
    visible_with(text, true)
}

fn visible_with(text: &str, inline: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_at = |c: char, next: Option<char>| {
        is_unsafe(c) && !(c == '\r' && !inline && next == Some('\n'))
            || (inline && matches!(c, '\n' | '\r' | '\t'))
    };
    let mut chars = text.chars().peekable();
    let mut clean = true;
    while let Some(c) = chars.next() {
        if unsafe_at(c, chars.peek().copied()) {
            clean = false;
            break;
        }
    }
    if clean {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if unsafe_at(c, chars.peek().copied()) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A source text made safe to draw ([`visible`]), with the map from byte offsets of the original
/// text to offsets of the safe one, so that spans still mark the same characters.
#[derive(Debug, Clone)]
pub struct VisibleSource {
    pub text: String,
    /// `(original offset, added bytes)` after each replaced character, in order.
    shifts: Vec<(usize, usize)>,
}

impl VisibleSource {
    /// The safe text of `text`, or `None` when it is safe as it is.
    #[must_use]
    pub fn of(text: &str) -> Option<Self> {
        if matches!(visible(text), std::borrow::Cow::Borrowed(_)) {
            return None;
        }
        let mut out = String::with_capacity(text.len() + 64);
        let mut shifts = Vec::new();
        let mut added = 0usize;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if is_unsafe(c) && !(c == '\r' && next == Some('\n')) {
                let before = out.len();
                push_visible(&mut out, c);
                added += (out.len() - before) - c.len_utf8();
                shifts.push((i + c.len_utf8(), added));
            } else {
                out.push(c);
            }
        }
        Some(Self { text: out, shifts })
    }

    /// The offset in the safe text of the original `offset` (a character boundary).
    #[must_use]
    pub fn map(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|&(at, _)| at <= offset);
        offset
            + i.checked_sub(1)
                .and_then(|i| self.shifts.get(i))
                .map_or(0, |&(_, a)| a)
    }
}

/// A number for people: integers without decimals, others rounded to at most four decimals
/// (display only; computations keep full precision).
#[must_use]
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{value:.0}");
    }
    let text = format!("{value:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A computed value for people, with enough decimals (up to six) that a value just below a
/// threshold does not display as the threshold itself.
#[must_use]
pub fn precise(value: f64) -> String {
    let short = format!("{value:.4}");
    let exact = short.parse::<f64>().is_ok_and(|v| v == value);
    // Four decimals, unless rounding made it look rounder than it is (1.19997 → "1.2000").
    if !value.is_finite() || exact || !short.ends_with('0') {
        return number(value);
    }
    let text = format!("{value:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_made_visible() {
        let name = "\u{1b}]0;PWNED\u{7}\u{1b}[2J清禾";
        assert_eq!(visible(name), "␛]0;PWNED␇␛[2J清禾");
        assert_eq!(visible("a\u{202e}b\u{85}c"), "a\\u{202e}b\\u{85}c");
        assert_eq!(visible("line\nnext\tcol\r\n"), "line\nnext\tcol\r\n");
        assert_eq!(visible("lone\rcr"), "lone␍cr");
        assert_eq!(visible_inline("a\nb\tc"), "a␊b␉c");
        assert!(matches!(visible("清禾 ok"), std::borrow::Cow::Borrowed(_)));
        // Every C0 and C1 control, DEL and the bidi controls: nothing unsafe is left.
        let all: String = (0u32..0x2070)
            .filter_map(char::from_u32)
            .filter(|c| is_unsafe(*c) || matches!(c, '\n' | '\t' | '\r'))
            .collect();
        assert!(
            visible_inline(&all)
                .chars()
                .all(|c| !is_unsafe(c) && !c.is_control())
        );
        assert!(
            visible(&all)
                .chars()
                .all(|c| !is_unsafe(c) && (c == '\n' || c == '\t' || !c.is_control()))
        );
        // OSC 52 (write the clipboard): the ESC and the BEL are shown, not sent.
        assert_eq!(visible("\u{1b}]52;c;cHduZWQ=\u{7}"), "␛]52;c;cHduZWQ=␇");
        assert_eq!(clip("x\u{1b}[31m"), "x␛[31m");
    }

    #[test]
    fn a_safe_source_keeps_spans_on_the_same_characters() {
        let text = "name: \u{1b}[2J清\u{202e}禾\nnext: 1\n";
        let safe = VisibleSource::of(text).unwrap();
        assert_eq!(safe.text, "name: ␛[2J清\\u{202e}禾\nnext: 1\n");
        let qing = text.find('清').unwrap();
        let he = text.find('禾').unwrap();
        let next = text.find("next").unwrap();
        assert_eq!(
            safe.text.get(safe.map(qing)..).unwrap().chars().next(),
            Some('清')
        );
        assert_eq!(
            safe.text.get(safe.map(he)..).unwrap().chars().next(),
            Some('禾')
        );
        assert_eq!(
            safe.text.get(safe.map(next)..safe.map(next) + 4),
            Some("next")
        );
        assert_eq!(safe.map(0), 0);
        assert_eq!(safe.map(text.len()), safe.text.len());
        assert!(VisibleSource::of("plain: 1\r\n").is_none());
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(number(1.2), "1.2");
        assert_eq!(number(426_000.0), "426000");
        assert_eq!(number(2.496_093_75), "2.4961");
        assert_eq!(number(0.000_01), "0");
        assert_eq!(number(-3.5), "-3.5");
        assert_eq!(precise(1.199_97), "1.19997");
        assert_eq!(precise(1.2), "1.2");
        assert_eq!(precise(1.054_687_5), "1.0547");
    }
}
