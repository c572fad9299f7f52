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

/// Which language(s) a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    Zh,
    En,
    #[default]
    Both,
}
