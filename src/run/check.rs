//! One input through the pipeline: load, the schema, the rules. Never panics on input; every
//! problem becomes a finding of the file.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::document::{Document, Syntax, Unloadable, load_bytes, read_limited, read_path};
use crate::engine::EvalOptions;
use crate::facts::ParkFacts;
use crate::finding::{FileReport, sort};
use crate::run::Run;

/// One input: named bytes, whatever they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, read when it is checked (within the size limit).
    Path(PathBuf),
    /// Standard input, read when it is checked (within the size limit).
    Stdin,
    /// Bytes already in hand (an upload, an editor buffer), under the name reports use. The
    /// name's extension chooses the syntax, as a path's does.
    Bytes { name: String, bytes: Vec<u8> },
}

impl Input {
    /// The name reports use for this input.
    #[must_use]
    pub fn display_name(&self) -> String {
        match self {
            Self::Path(p) => p.display().to_string(),
            Self::Stdin => "<stdin>".to_owned(),
            Self::Bytes { name, .. } => name.clone(),
        }
    }
}

/// Time spent in each phase, summed over files (and threads).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub parse: Duration,
    pub schema: Duration,
    pub rules: Duration,
}

impl std::ops::AddAssign for Timings {
    fn add_assign(&mut self, other: Self) {
        self.parse += other.parse;
        self.schema += other.schema;
        self.rules += other.rules;
    }
}

impl Run {
    /// Reads and parses one input within the run's limits.
    ///
    /// # Errors
    /// The report of why the input cannot be used.
    pub fn load(&self, input: Input) -> Result<Document, FileReport> {
        let name = input.display_name();
        let bytes = match input {
            Input::Path(path) => read_path(&path, &self.limits),
            Input::Stdin => read_limited(std::io::stdin().lock(), &self.limits),
            Input::Bytes { bytes, .. } => Ok(bytes),
        };
        let bytes = bytes.map_err(|e| FileReport::from(Unloadable::unread(&name, e)))?;
        Ok(load_bytes(
            &name,
            bytes,
            Syntax::of_name(&name),
            &self.limits,
        )?)
    }

    /// Checks one input as of `as_of` (else the submission's own date), adding the time of
    /// each phase to `timings`. Waivers, the baseline and the cross-document rules are not
    /// applied: they are decisions over a whole run ([`Run::check`]).
    #[must_use]
    pub fn check_input(
        &self,
        input: Input,
        as_of: Option<&str>,
        timings: &mut Timings,
    ) -> FileReport {
        let started = Instant::now();
        let loaded = self.load(input);
        timings.parse += started.elapsed();
        match loaded {
            Ok(doc) => self.check_document(doc, as_of, timings),
            Err(report) => report,
        }
    }

    /// Checks a document already loaded, as [`Run::check_input`] does.
    #[must_use]
    pub fn check_document(
        &self,
        doc: Document,
        as_of: Option<&str>,
        timings: &mut Timings,
    ) -> FileReport {
        let started = Instant::now();
        let mut findings = self.schema.check(&doc);
        timings.schema += started.elapsed();
        let mut outcomes = Vec::new();
        let mut metrics = std::collections::BTreeMap::new();
        if let Some(engine) = &self.engine {
            let started = Instant::now();
            let options = EvalOptions {
                as_of: as_of.map(str::to_owned),
            };
            let evaluation = engine.evaluate(&doc, &options);
            // A value that both the schema and a rule flag under the same id (a malformed
            // USCC is FORM-018 to both) is reported once, by the rule, which cites its source.
            findings.retain(|s| {
                !evaluation
                    .findings
                    .iter()
                    .any(|r| r.rule == s.rule && r.pointer == s.pointer)
            });
            findings.extend(evaluation.findings);
            outcomes = evaluation.outcomes;
            metrics = evaluation.metrics;
            timings.rules += started.elapsed();
        }
        sort(&mut findings);
        let facts = ParkFacts {
            metrics,
            ..ParkFacts::of(&doc)
        };
        FileReport {
            source: doc.source,
            findings,
            outcomes,
            unreadable: false,
            facts: Some(Box::new(facts)),
        }
    }
}
