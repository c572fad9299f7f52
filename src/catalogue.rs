//! The requirement catalogue (`catalogue.yaml`): every id of the catalogue with its rulebook,
//! default severity, confidence and summary in both languages. `rules coverage` holds the
//! implementation against it; the report formats take the title of an id that no rulebook
//! defines (one the schema or the cross-document checks enforce) from it.

use serde::Serialize;

use crate::document::{Document, Limits, Value};
use crate::finding::{Confidence, Severity};
use crate::source::SourceFile;
use crate::text::Text;

/// The catalogue, shipped inside the binary.
pub const CATALOGUE: &str = include_str!("../catalogue.yaml");

/// One requirement of the catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub id: String,
    pub rulebook: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub summary: Text,
}

/// Reads the catalogue.
///
/// # Errors
/// A description of what is wrong with it (a bug of the build: the catalogue is bundled).
pub fn catalogue() -> Result<Vec<Requirement>, String> {
    let doc = Document::parse(
        SourceFile::new("catalogue.yaml", CATALOGUE),
        &Limits::default(),
    )
    .map_err(|e| e.message().en)?;
    let Some(Value::Seq(items)) = doc.root.get("catalogue").map(|n| &n.value) else {
        return Err("catalogue.yaml: no `catalogue:` list".to_owned());
    };
    items
        .iter()
        .map(|item| {
            let text = |key: &str| match item.get(key).map(|n| &n.value) {
                Some(Value::Str(s)) => Ok(s.clone()),
                _ => Err(format!("catalogue.yaml: an entry lacks `{key}`")),
            };
            let summary = item.get("summary");
            let part = |lang: &str| match summary.and_then(|s| s.get(lang)).map(|n| &n.value) {
                Some(Value::Str(s)) => Ok(s.clone()),
                _ => Err(format!("catalogue.yaml: an entry lacks `summary.{lang}`")),
            };
            let severity = match text("severity")?.as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "info" => Severity::Info,
                other => return Err(format!("catalogue.yaml: unknown severity `{other}`")),
            };
            let confidence = Confidence::parse(&text("confidence")?)
                .ok_or_else(|| "catalogue.yaml: unknown confidence".to_owned())?;
            Ok(Requirement {
                id: text("id")?,
                rulebook: text("rulebook")?,
                severity,
                confidence,
                summary: Text::new(part("zh")?, part("en")?),
            })
        })
        .collect()
}

/// The requirement of `id`, when the catalogue has it (read once per process).
#[must_use]
pub fn requirement(id: &str) -> Option<&'static Requirement> {
    static CATALOGUE_READ: std::sync::OnceLock<Vec<Requirement>> = std::sync::OnceLock::new();
    CATALOGUE_READ
        .get_or_init(|| catalogue().unwrap_or_default())
        .iter()
        .find(|r| r.id == id)
}

/// An id as the catalogue writes it: trimmed, upper case, an ASCII hyphen, three digits
/// (`rec-7` → `REC-007`, `FORM－18` → `FORM-018`). What a person typed for an id, made
/// comparable with the ids.
#[must_use]
pub fn normal_id(text: &str) -> String {
    let cleaned: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '－' | '—' | '–' | '_' | ' ' => '-',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    match cleaned.rsplit_once('-') {
        Some((prefix, digits))
            if !digits.is_empty()
                && digits.len() < 3
                && digits.chars().all(|c| c.is_ascii_digit()) =>
        {
            format!("{prefix}-{digits:0>3}")
        }
        _ => cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_typed_are_made_comparable() {
        assert_eq!(normal_id("rec-7"), "REC-007");
        assert_eq!(normal_id(" FORM－18 "), "FORM-018");
        assert_eq!(normal_id("xdoc-001"), "XDOC-001");
        assert_eq!(normal_id("schema"), "SCHEMA");
        assert_eq!(normal_id("WAIVER-EXPIRED"), "WAIVER-EXPIRED");
    }

    #[test]
    fn the_bundled_catalogue_reads() {
        let catalogue = catalogue().unwrap();
        assert!(requirement("XDOC-001").is_some());
        assert!(catalogue.iter().all(|r| normal_id(&r.id) == r.id));
    }
}
