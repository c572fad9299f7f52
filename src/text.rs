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
/// characters, `…` and the total length.
#[must_use]
pub fn clip(value: &str) -> String {
    match value.char_indices().nth(MAX_ECHO_CHARS) {
        None => value.to_owned(),
        Some((cut, _)) => format!(
            "{}…（{} 字符 / characters）",
            value.get(..cut).unwrap_or_default(),
            value.chars().count()
        ),
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
