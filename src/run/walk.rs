//! Turning the paths given to a run into inputs.

use std::path::Path;

use crate::document::{LoadError, LoadErrorKind, Unloadable};
use crate::finding::FileReport;
use crate::run::Input;

/// Extensions of submission files searched for in directories (the text ones; workbooks are
/// those of [`crate::document::WORKBOOK_EXTENSIONS`]).
pub const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Whether a file found in a directory is a submission by its name: a YAML, JSON or workbook
/// file, but not the lock file Excel and WPS keep beside a workbook that is open (`~$园区.xlsx`).
fn is_submission_name(path: &Path) -> bool {
    let lock_file = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"));
    !lock_file
        && path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            EXTENSIONS
                .iter()
                .chain(crate::document::WORKBOOK_EXTENSIONS)
                .any(|x| e.eq_ignore_ascii_case(x))
        })
}

/// The inputs a command-line path stands for: `-` is standard input, a file is itself, a
/// directory is every submission file below it (honouring `.gitignore`), in path order. A path
/// that cannot be walked, and a directory without any submission file, yield a report of their
/// own.
#[must_use]
pub fn inputs(path: &Path) -> Vec<Result<Input, FileReport>> {
    inputs_excluding(path, &[])
}

/// Checks `--exclude` globs (gitignore syntax, e.g. `drafts/` or `**/*-old.yaml`).
///
/// # Errors
/// The first glob that does not parse, with the reason.
pub fn check_excludes(globs: &[String]) -> Result<(), String> {
    overrides(Path::new("."), globs).map(|_| ())
}

fn overrides(root: &Path, globs: &[String]) -> Result<ignore::overrides::Override, String> {
    let mut builder = ignore::overrides::OverrideBuilder::new(root);
    for glob in globs {
        // In an override, `!glob` ignores what it matches.
        builder
            .add(&format!("!{glob}"))
            .map_err(|e| format!("--exclude {glob}: {e}"))?;
    }
    builder.build().map_err(|e| e.to_string())
}

/// As [`inputs`], leaving out what the `exclude` globs match inside directories (relative to
/// each directory given; a file named on the command line is always checked, as ripgrep does).
#[must_use]
pub fn inputs_excluding(path: &Path, exclude: &[String]) -> Vec<Result<Input, FileReport>> {
    if path.as_os_str() == "-" {
        return vec![Ok(Input::Stdin)];
    }
    if !path.is_dir() {
        return vec![Ok(Input::Path(path.to_path_buf()))];
    }
    let mut found = Vec::new();
    let mut builder = ignore::WalkBuilder::new(path);
    builder.sort_by_file_path(Path::cmp).follow_links(false);
    if !exclude.is_empty() {
        // The globs were checked by `check_excludes` before the walk.
        if let Ok(overrides) = overrides(path, exclude) {
            builder.overrides(overrides);
        }
    }
    let walker = builder.build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let p = entry.path();
                // Links are not followed into directories (no loops), but a link named like a
                // submission is checked: reading it follows it, and a broken or looping link
                // gets its own diagnostic. A waiver file beside the submissions is not one.
                let wanted = entry
                    .file_type()
                    .is_some_and(|t| t.is_file() || t.is_symlink())
                    && entry.file_name() != crate::waiver::DEFAULT_FILE
                    && is_submission_name(p);
                if wanted {
                    found.push(Ok(Input::Path(p.to_path_buf())));
                }
            }
            Err(error) => {
                let name = path.display().to_string();
                let error = LoadError::new(LoadErrorKind::Io {
                    message: error.to_string(),
                });
                found.push(Err(Unloadable::unread(&name, error).into()));
            }
        }
    }
    if found.is_empty() {
        // A directory named on the command line that holds no submission is a mistake worth a
        // diagnostic (a wrong path, or a directory named like a file), not a clean run.
        let error = LoadError::new(LoadErrorKind::NoSubmissions);
        found.push(Err(
            Unloadable::unread(&path.display().to_string(), error).into()
        ));
    }
    found
}
