//! Building a [`Run`] from its configuration: the schema and the rulebooks compiled side by
//! side, the profile, the waiver files and the baseline, each problem of each file collected.

use std::path::{Path, PathBuf};

use crate::baseline::Baseline;
use crate::document::{Limits, LoadError, LoadErrorKind, Unloadable, read_path};
use crate::engine::Engine;
use crate::finding::FileReport;
use crate::profile::Profile;
use crate::rulebook::{BUNDLED, RuleSet, load_rulebooks};
use crate::run::{Decisions, Input, Run, RunOptions, walk};
use crate::schema::Schema;
use crate::waiver::{self, WaiverFile};

/// Which rulebooks a run evaluates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RulesSource {
    /// Structure only: the submission schema, no rules.
    None,
    /// The rulebooks shipped in the binary.
    #[default]
    Bundled,
    /// Every rulebook file in a directory.
    Dir(PathBuf),
}

/// Everything a [`Run`] is built from.
#[derive(Debug, Clone, Default)]
pub struct RunConfig {
    pub rules: RulesSource,
    /// A bureau profile; the bundled default profile when absent.
    pub profile: Option<PathBuf>,
    pub limits: Limits,
    /// The default options of each check.
    pub options: RunOptions,
    /// Waiver files to apply.
    pub waivers: Vec<PathBuf>,
    /// A baseline file: its findings are reported as baselined.
    pub baseline: Option<PathBuf>,
    /// Files that are never checked as submissions, even inside a checked directory (a
    /// baseline about to be written); the waiver and baseline files are left out anyway.
    pub not_submissions: Vec<PathBuf>,
    /// The day waivers expire against (`YYYY-MM-DD`); today in China Standard Time when absent.
    pub today: Option<String>,
    /// Compute the figures of the annual evaluation too (`score`).
    pub figures: bool,
}

/// Why a run could not be built.
#[derive(Debug, Clone)]
pub enum ConfigError {
    /// Rulebook, profile, waiver or baseline files with problems: each file's report.
    Files(Vec<FileReport>),
    /// A problem that belongs to no file, in words.
    Message(String),
}

impl From<Vec<FileReport>> for ConfigError {
    fn from(reports: Vec<FileReport>) -> Self {
        Self::Files(reports)
    }
}

impl From<FileReport> for ConfigError {
    fn from(report: FileReport) -> Self {
        Self::Files(vec![report])
    }
}

impl Run {
    /// Builds a run from `config`: compiles the schema and the rulebooks side by side (together
    /// the fixed cost of every run), then loads the profile, the waivers and the baseline.
    ///
    /// # Errors
    /// Every problem of every configuration file, or a message.
    pub fn from_config(config: &RunConfig) -> Result<Self, ConfigError> {
        let (schema, engine) = rayon::join(Schema::bundled, || match &config.rules {
            RulesSource::None => Ok(None),
            rules => load_engine(rules, config.profile.as_deref()).map(Some),
        });
        let schema = schema.map_err(|e| ConfigError::Message(e.to_string()))?;
        let engine = engine?.map(|e| if config.figures { e.with_figures() } else { e });
        let today = waiver::today(config.today.as_deref())
            .map_err(|e| ConfigError::Message(format!("PARKCHECK_TODAY: {e}")))?;
        let limits = config.limits;
        let known = waiver::known_rules(engine.as_ref().map(Engine::rules), &schema);
        let mut broken = Vec::new();
        let mut waivers = Vec::new();
        for path in &config.waivers {
            match WaiverFile::load(path, &limits, known.as_ref()) {
                Ok(file) => waivers.push(file),
                Err(report) => broken.push(report),
            }
        }
        let baseline = match &config.baseline {
            Some(path) => match Baseline::load(path, &limits) {
                Ok(baseline) => {
                    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
                    Some((baseline, dir))
                }
                Err(report) => {
                    broken.push(report);
                    None
                }
            },
            None => None,
        };
        if !broken.is_empty() {
            return Err(ConfigError::Files(broken));
        }
        let own = config
            .waivers
            .iter()
            .chain(&config.baseline)
            .chain(&config.not_submissions)
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        let mut run = Self::new(schema, engine, limits).with_options(config.options.clone());
        run.decisions = Decisions {
            waivers,
            baseline,
            baseline_file: config.baseline.as_ref().map(|p| p.display().to_string()),
            today,
            own,
        };
        Ok(run)
    }
}

/// Loads the rulebooks and the profile (the bundled default when `profile` is absent) and
/// builds the rules engine.
///
/// # Errors
/// Every problem of the rulebook and profile files, or a message.
pub fn load_engine(rules: &RulesSource, profile: Option<&Path>) -> Result<Engine, ConfigError> {
    let limits = Limits::default();
    let dir = match rules {
        RulesSource::Dir(dir) => Some(dir.as_path()),
        _ => None,
    };
    let rules = load_rules(dir, &limits)?;
    let profile = match profile {
        Some(path) => Profile::load(path, &limits),
        None => Profile::bundled_default(),
    }?;
    profile.validate(&rules)?;
    Engine::new(rules, profile).map_err(ConfigError::Message)
}

/// The bundled rulebooks, or every rulebook file in `dir`.
///
/// # Errors
/// The report of each file with problems.
pub fn load_rules(dir: Option<&Path>, limits: &Limits) -> Result<RuleSet, Vec<FileReport>> {
    let files = match dir {
        None => BUNDLED
            .iter()
            .map(|(name, text)| ((*name).to_owned(), text.as_bytes().to_vec()))
            .collect(),
        Some(dir) => {
            let mut files = Vec::new();
            for input in walk::inputs(dir) {
                match input {
                    Ok(Input::Path(path)) => match read_path(&path, limits) {
                        Ok(bytes) => files.push((path.display().to_string(), bytes)),
                        Err(e) => return Err(vec![unread(&path, e)]),
                    },
                    Ok(_) => {}
                    Err(report) => return Err(vec![report]),
                }
            }
            files
        }
    };
    load_rulebooks(files, limits)
}

/// The report of a file that could not be read at all.
#[must_use]
pub fn unread(path: &Path, error: LoadError) -> FileReport {
    FileReport::from(Unloadable::unread(&path.display().to_string(), error))
}

/// The report of a file that could not be read, from an I/O error.
#[must_use]
pub fn io_report(path: &Path, error: &std::io::Error) -> FileReport {
    unread(
        path,
        LoadError::new(LoadErrorKind::Io {
            message: error.to_string(),
        }),
    )
}
