//! The report of one file: its findings, what each rule concluded, and who the park is.

use std::path::{Path, PathBuf};

use crate::document::{Unloadable, decode};
use crate::facts::ParkFacts;
use crate::finding::{Finding, Outcome, Severity};
use crate::source::SourceFile;

/// The outcome of checking one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: SourceFile,
    pub findings: Vec<Finding>,
    /// What each rule in force concluded (for `--show-passed`).
    pub outcomes: Vec<Outcome>,
    /// The file could not be read or parsed (exit code 2).
    pub unreadable: bool,
    /// Who the park is and which tenants it declares (absent when the file could not be parsed).
    pub facts: Option<Box<ParkFacts>>,
}

/// The text of a checked file that was let go of (see [`FileReport::release_source`]).
#[derive(Debug, Clone)]
pub struct Released {
    path: PathBuf,
    len: usize,
    /// The file's modification time when its text was let go of.
    modified: Option<std::time::SystemTime>,
}

impl FileReport {
    /// Lets go of the text of a file read from `path`, keeping its name: a file without
    /// findings needs no text in its report, and a run over a repository then holds the text
    /// of no clean file once it is checked (the facts the cross-document rules compare are
    /// kept, with their places). [`FileReport::restore_source`] reads it again if a finding
    /// comes to land on the file after all.
    pub fn release_source(&mut self, path: &Path) -> Released {
        let released = Released {
            path: path.to_owned(),
            len: self.source.text().len(),
            modified: modified(path),
        };
        self.source = SourceFile::new(self.source.name(), "");
        released
    }

    /// Reads the text let go of by [`FileReport::release_source`] again. If the file cannot
    /// be read or has changed since (its modification time or its length), the report stays
    /// without text: its findings keep their pointers and lose their snippets and line numbers,
    /// rather than point into a different text.
    pub fn restore_source(&mut self, released: &Released) {
        if released.modified.is_none() || modified(&released.path) != released.modified {
            return;
        }
        let Ok(bytes) = std::fs::read(&released.path) else {
            return;
        };
        if let Ok(text) = decode(bytes) {
            if text.len() == released.len {
                self.source = SourceFile::new(self.source.name(), text);
            }
        }
    }

    /// Whether this is the report of a submission (read or not), rather than of a waiver file's
    /// entries that a run adds after the submissions (which has no park and was read).
    #[must_use]
    pub const fn is_submission(&self) -> bool {
        self.unreadable || self.facts.is_some()
    }

    /// The report of a file that could not be used (a submission that could not be loaded, or
    /// a rulebook or profile with problems): its findings, sorted.
    #[must_use]
    pub fn failed(source: SourceFile, mut findings: Vec<Finding>) -> Self {
        sort(&mut findings);
        Self {
            source,
            findings,
            outcomes: Vec::new(),
            unreadable: true,
            facts: None,
        }
    }
}

/// The report of an input that could not be loaded: the one diagnostic that says why.
impl From<Unloadable> for FileReport {
    fn from(unloadable: Unloadable) -> Self {
        let error = &unloadable.error;
        let finding = Finding::new(error.rule(), Severity::Error, error.message())
            .with_span(error.span())
            .with_help(error.help());
        Self::failed(unloadable.source, vec![finding])
    }
}

/// Stable order: by position, then rule, then pointer.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.span.map(|s| s.start), &a.rule, &a.pointer).cmp(&(
            b.span.map(|s| s.start),
            &b.rule,
            &b.pointer,
        ))
    });
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Limits, load_path};
    use std::fs::File;

    #[test]
    fn a_released_text_is_read_again_only_if_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("park.yaml");
        std::fs::write(&path, "format: parkcheck/v1\nkind: annual\n").unwrap();
        let doc = load_path(&path, &Limits::default()).unwrap();
        let mut report = FileReport::failed(doc.source, Vec::new());
        let text = report.source.text().to_owned();
        let released = report.release_source(&path);
        assert_eq!(report.source.text(), "");
        assert_eq!(report.source.name(), path.display().to_string());
        report.restore_source(&released);
        assert_eq!(report.source.text(), text);

        // Edited in the meantime (to a text of the same length): the report stays without text
        // rather than show another one.
        let released = report.release_source(&path);
        std::fs::write(&path, "format: parkcheck/v1\nkind: filing\n").unwrap();
        let later = released.modified.unwrap() + std::time::Duration::from_secs(1);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(later)
            .unwrap();
        report.restore_source(&released);
        assert_eq!(report.source.text(), "");
        // Gone: likewise.
        std::fs::remove_file(&path).unwrap();
        report.restore_source(&released);
        assert_eq!(report.source.text(), "");
    }
}
