//! The report formats in one place: their names, media types and file extensions, and
//! [`render`], the one dispatch every front end renders a run's report through (the CLI to
//! stdout and files, the service to a response body).

use crate::run::{Run, RunOptions, RunReport};
use crate::text::Lang;

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The terminal report (diagnostics with source snippets).
    Human,
    /// One line per finding, `file:line:col: RULE severity message`.
    Concise,
    Json,
    Sarif,
    Junit,
    /// GitHub workflow commands (annotations).
    Github,
    /// A job summary (`$GITHUB_STEP_SUMMARY`, merge-request comments).
    Markdown,
    /// One self-contained page for reviewers (filter, sort, print).
    Html,
    /// A findings workbook for Excel/WPS (binary: needs a file).
    Xlsx,
}

impl Format {
    /// Every format, in the order they are listed to a user.
    pub const ALL: [Self; 9] = [
        Self::Human,
        Self::Concise,
        Self::Json,
        Self::Sarif,
        Self::Junit,
        Self::Github,
        Self::Markdown,
        Self::Html,
        Self::Xlsx,
    ];

    /// The formats that are a document on their own (not terminal or CI-log text): what a
    /// service answers with, in the order it lists them.
    pub const DOCUMENTS: [Self; 6] = [
        Self::Json,
        Self::Sarif,
        Self::Junit,
        Self::Html,
        Self::Xlsx,
        Self::Markdown,
    ];

    /// The name a user gives (`--format NAME`, `?format=NAME`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Concise => "concise",
            Self::Json => "json",
            Self::Sarif => "sarif",
            Self::Junit => "junit",
            Self::Github => "github",
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Xlsx => "xlsx",
        }
    }

    /// The format of a name, in any case.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The media type of a report in this format.
    #[must_use]
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Human | Self::Concise | Self::Github => "text/plain; charset=utf-8",
            Self::Json => "application/json",
            Self::Sarif => "application/sarif+json",
            Self::Junit => "application/xml",
            Self::Markdown => "text/markdown; charset=utf-8",
            Self::Html => "text/html; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The usual extension of a file of this format (without the dot).
    #[must_use]
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Human | Self::Concise | Self::Github => "txt",
            Self::Json => "json",
            Self::Sarif => "sarif",
            Self::Junit => "xml",
            Self::Markdown => "md",
            Self::Html => "html",
            Self::Xlsx => "xlsx",
        }
    }

    /// Whether the report is binary (cannot go to a terminal).
    #[must_use]
    pub const fn is_binary(self) -> bool {
        matches!(self, Self::Xlsx)
    }

    /// Whether the report describes the run itself (rulebooks, profile, date) and shows the
    /// evaluation's figures when the run computes them.
    #[must_use]
    pub const fn describes_run(self) -> bool {
        matches!(self, Self::Html | Self::Xlsx)
    }

    /// The names of `formats`, comma-separated (for a message listing the choices).
    #[must_use]
    pub fn names(formats: &[Self]) -> String {
        formats
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How a report looks, beside its format.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub lang: Lang,
    /// List the rules that passed or did not apply too (human, json, html).
    pub show_passed: bool,
    /// Colour (human).
    pub color: bool,
    /// Line width (human).
    pub width: usize,
}

/// Renders `checked` (a check of `run` with `options`) in `format`.
///
/// # Errors
/// The workbook could not be made (xlsx), in words.
pub fn render(
    format: Format,
    run: &Run,
    checked: &RunReport,
    options: &RunOptions,
    look: Look,
) -> Result<Vec<u8>, String> {
    let (reports, summary) = (&checked.files, &checked.summary);
    let lang = look.lang;
    let engine = run.engine();
    let out = match format {
        Format::Human => super::human::render(
            reports,
            summary,
            super::human::Style {
                lang,
                color: look.color,
                width: look.width,
                show_passed: look.show_passed,
            },
        ),
        Format::Concise => super::concise::render(reports, summary, lang),
        Format::Json => super::json::render(reports, summary, look.show_passed),
        Format::Sarif => super::sarif::render(reports, summary, engine, lang),
        Format::Junit => super::junit::render(reports, summary, engine, lang),
        Format::Github => super::github::render(reports, summary, engine, lang),
        Format::Markdown => super::markdown::render(reports, summary, lang),
        Format::Html => {
            let facts = run.facts(options);
            let scores = engine.and_then(|engine| crate::score::score(reports, engine).ok());
            super::html::render(&super::html::Page {
                reports,
                summary,
                facts: &facts,
                engine,
                lang,
                show_passed: look.show_passed,
                scores: scores.as_ref(),
                evaluation: false,
            })
        }
        Format::Xlsx => {
            let facts = run.facts(options);
            return super::xlsx::render(&super::xlsx::Book {
                reports,
                summary,
                facts: &facts,
                engine,
                lang,
            });
        }
    };
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn every_format_is_found_by_its_name_in_any_case() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
            assert_eq!(
                Format::from_name(&format.name().to_ascii_uppercase()),
                Some(format)
            );
        }
        assert_eq!(Format::from_name("pdf"), None);
        assert!(Format::DOCUMENTS.iter().all(|f| Format::ALL.contains(f)));
    }
}
