//! A run: what every front end does with a set of inputs. A [`Run`] is built once from its
//! configuration — the schema, the rules engine (rulebooks and profile), the limits, the
//! waivers and the baseline — and then checks any number of input sets, concurrently if the
//! caller likes (it is `Send + Sync`). [`Run::check`] takes paths, directories and named bytes
//! and returns one [`RunReport`]: the file reports with the cross-document findings and the
//! recorded decisions applied, the summary, the verdict at `fail_on`, and the timings.
//!
//! A run prints nothing, exits nothing and writes no file: front ends render its report
//! (`crate::report`) and decide what to do with it.

mod about;
mod check;
mod config;
mod summary;
pub mod walk;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use about::{RulebookFacts, RunFacts};
pub use check::{Input, Timings};
pub use config::{ConfigError, RulesSource, RunConfig, io_report, load_engine, load_rules, unread};
pub use summary::{FileResult, FileSummary, Summary};

use crate::baseline::Baseline;
use crate::document::Limits;
use crate::engine::Engine;
use crate::finding::{FileReport, Released, Severity};
use crate::schema::Schema;
use crate::waiver::WaiverFile;

/// The choices of one check that may differ between checks of the same [`Run`] (a service
/// takes them per request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Evaluate as of this date (`YYYY-MM-DD`) instead of each submission's `as_of`.
    pub as_of: Option<String>,
    /// A park fails with a counted finding at or above this severity.
    pub fail_on: Severity,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            as_of: None,
            fail_on: Severity::Error,
        }
    }
}

/// What a run is asked to check, in order: paths (files, directories, `-` for standard
/// input) and named bytes.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    items: Vec<Item>,
    exclude: Vec<String>,
}

#[derive(Debug, Clone)]
enum Item {
    Path(PathBuf),
    Bytes { name: String, bytes: Vec<u8> },
}

impl Inputs {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A file (checked whatever its name), a directory (searched for submissions, honouring
    /// `.gitignore` and the exclusions), or `-` (standard input).
    #[must_use]
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.items.push(Item::Path(path.into()));
        self
    }

    /// Several paths, as [`Inputs::path`].
    #[must_use]
    pub fn paths<P: Into<PathBuf>>(mut self, paths: impl IntoIterator<Item = P>) -> Self {
        self.items
            .extend(paths.into_iter().map(|p| Item::Path(p.into())));
        self
    }

    /// Bytes under a name (an upload, an editor buffer); the name's extension chooses the
    /// syntax.
    #[must_use]
    pub fn bytes(mut self, name: impl Into<String>, bytes: Vec<u8>) -> Self {
        self.items.push(Item::Bytes {
            name: name.into(),
            bytes,
        });
        self
    }

    /// Leaves out what these globs match inside the directories given (gitignore syntax,
    /// relative to each directory; a file named directly is always checked).
    ///
    /// # Errors
    /// The first glob that does not parse, with the reason.
    pub fn exclude(mut self, globs: &[String]) -> Result<Self, String> {
        walk::check_excludes(globs)?;
        self.exclude.extend(globs.iter().cloned());
        Ok(self)
    }

    /// The paths given (not the named bytes), as the default waiver files are looked for
    /// beside them.
    pub fn given_paths(&self) -> impl Iterator<Item = &Path> {
        self.items.iter().filter_map(|item| match item {
            Item::Path(p) => Some(p.as_path()),
            Item::Bytes { .. } => None,
        })
    }

    /// Each input, directories expanded in path order; a path that cannot be walked, or a
    /// directory without any submission, is the report of its problem.
    fn expand(self) -> Vec<Result<Input, FileReport>> {
        let exclude = self.exclude;
        self.items
            .into_iter()
            .flat_map(|item| match item {
                Item::Path(path) => walk::inputs_excluding(&path, &exclude),
                Item::Bytes { name, bytes } => vec![Ok(Input::Bytes { name, bytes })],
            })
            .collect()
    }
}

/// Told how a run advances (a progress bar); called from the checking threads.
pub trait Progress: Sync {
    /// The run is about to check this many inputs.
    fn start(&self, _total: usize) {}
    /// One more input is checked.
    fn advance(&self) {}
    /// Every input is checked.
    fn finish(&self) {}
}

/// No progress shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {}

/// What a whole run found.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// One report per input, in input order; then the reports of the waiver files whose
    /// entries expired or matched nothing.
    pub files: Vec<FileReport>,
    /// Counts, with the parks judged at `fail_on` and the baseline's resolved findings.
    pub summary: Summary,
    /// The severity a park fails at.
    pub fail_on: Severity,
    /// Time in each phase, summed over threads.
    pub timings: Timings,
    /// The wall-clock time of checking (not of building the run).
    pub wall: Duration,
}

/// The outcome of a run, in the order of precedence front ends map to exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No counted finding at or above `fail_on`, every input read.
    Passed,
    /// A counted finding at or above `fail_on`.
    Failed,
    /// An input could not be read or parsed (its findings are in the report).
    Unreadable,
}

impl RunReport {
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        if self.summary.files_unreadable > 0 {
            Verdict::Unreadable
        } else if self
            .files
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.counts() && f.severity >= self.fail_on)
        {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
    }

    /// The baseline of this run, for a baseline file in `dir`: every finding that is not
    /// waived (see [`Baseline::of`]).
    #[must_use]
    pub fn baseline(&self, dir: &Path) -> Baseline {
        Baseline::of(&self.files, dir)
    }
}

/// The recorded decisions a run applies: waivers (as of `today`) and a baseline.
#[derive(Debug, Clone)]
struct Decisions {
    waivers: Vec<WaiverFile>,
    /// The baseline and the directory of its file (where its paths start).
    baseline: Option<(Baseline, PathBuf)>,
    /// The baseline's file as given (for the reports that describe the run).
    baseline_file: Option<String>,
    today: jiff::civil::Date,
    /// Files that are not submissions even inside a checked directory (the waiver and
    /// baseline files), canonical.
    own: Vec<PathBuf>,
}

/// Checks inputs: built once, used for any number of checks.
#[derive(Debug)]
pub struct Run {
    schema: Schema,
    engine: Option<Engine>,
    limits: Limits,
    options: RunOptions,
    decisions: Decisions,
}

impl Run {
    /// A run of the schema and, when given, the rules of `engine`, with no waivers and no
    /// baseline.
    #[must_use]
    pub fn new(schema: Schema, engine: Option<Engine>, limits: Limits) -> Self {
        Self {
            schema,
            engine,
            limits,
            options: RunOptions::default(),
            decisions: Decisions {
                waivers: Vec::new(),
                baseline: None,
                baseline_file: None,
                today: jiff::civil::Date::constant(2000, 1, 1),
                own: Vec::new(),
            },
        }
    }

    /// The default options of [`Run::check`].
    #[must_use]
    pub fn with_options(mut self, options: RunOptions) -> Self {
        self.options = options;
        self
    }

    /// The rules engine, when the run evaluates rules.
    #[must_use]
    pub const fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref()
    }

    /// The submission schema.
    #[must_use]
    pub const fn schema(&self) -> &Schema {
        &self.schema
    }

    #[must_use]
    pub const fn limits(&self) -> &Limits {
        &self.limits
    }

    #[must_use]
    pub const fn options(&self) -> &RunOptions {
        &self.options
    }

    /// The waiver files in use.
    #[must_use]
    pub fn waivers(&self) -> &[WaiverFile] {
        &self.decisions.waivers
    }

    /// Checks `inputs` with the run's default options.
    #[must_use]
    pub fn check(&self, inputs: Inputs, progress: &dyn Progress) -> RunReport {
        self.check_with(inputs, &self.options, progress)
    }

    /// Checks `inputs` in parallel: every input through the pipeline, then the cross-document
    /// rules over all of them, then the waivers and the baseline. The reports come in input
    /// order whatever the thread timing, so the output is stable.
    #[must_use]
    pub fn check_with(
        &self,
        inputs: Inputs,
        options: &RunOptions,
        progress: &dyn Progress,
    ) -> RunReport {
        let started = Instant::now();
        let inputs: Vec<Result<Input, FileReport>> = inputs
            .expand()
            .into_iter()
            .filter(|input| !self.is_own(input))
            .collect();
        progress.start(inputs.len());
        let as_of = options.as_of.as_deref();
        let checked: Vec<((FileReport, Option<Released>), Timings)> = inputs
            .into_par_iter()
            .map(|input| {
                let checked = match input {
                    Ok(input) => {
                        let mut timings = Timings::default();
                        let path = match &input {
                            Input::Path(path) => Some(path.clone()),
                            _ => None,
                        };
                        let mut report = self.check_input(input, as_of, &mut timings);
                        // The text of a clean file is let go of now, not held to the end of
                        // the run (it is read again should a cross-document finding land on it).
                        let released = path
                            .filter(|_| report.findings.is_empty() && !report.unreadable)
                            .map(|path| report.release_source(&path));
                        ((report, released), timings)
                    }
                    Err(report) => ((report, None), Timings::default()),
                };
                progress.advance();
                checked
            })
            .collect();
        progress.finish();
        let mut timings = Timings::default();
        let mut files = Vec::with_capacity(checked.len());
        let mut released = Vec::with_capacity(checked.len());
        for ((report, r), t) in checked {
            files.push(report);
            released.push(r);
            timings += t;
        }
        if self.engine.is_some() {
            crate::xdoc::check(&mut files, as_of);
        }
        // A cross-document finding that came to a clean file needs its text again (for its
        // snippet, and for the value a baseline's fingerprint hashes).
        for (report, released) in files.iter_mut().zip(&released) {
            if let Some(released) = released.as_ref().filter(|_| !report.findings.is_empty()) {
                report.restore_source(released);
            }
        }
        let wall = started.elapsed();
        let summary = self.decide(&mut files).judged(&files, options.fail_on);
        RunReport {
            files,
            summary,
            fail_on: options.fail_on,
            timings,
            wall,
        }
    }

    /// Applies the waivers, then the baseline; adds the waiver files' reports; returns the
    /// counts.
    fn decide(&self, files: &mut Vec<FileReport>) -> Summary {
        let decisions = &self.decisions;
        let notes = crate::waiver::apply(&decisions.waivers, files, decisions.today);
        let resolved = match &decisions.baseline {
            Some((baseline, dir)) => baseline.apply(files, dir),
            None => Vec::new(),
        };
        files.extend(notes);
        Summary::of(files).resolved(resolved)
    }

    fn is_own(&self, input: &Result<Input, FileReport>) -> bool {
        let own = &self.decisions.own;
        !own.is_empty()
            && matches!(input, Ok(Input::Path(p))
                if std::fs::canonicalize(p).is_ok_and(|p| own.contains(&p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Run>();
        shared::<RunReport>();
    }
}
