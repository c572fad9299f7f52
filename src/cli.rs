//! The command line: the only place that prints or exits.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use parkcheck::check::{Checker, FileReport, Input, Released, RunOptions, Timings};
use parkcheck::document::Limits;
use parkcheck::engine::Engine;
use parkcheck::finding::Severity;
use parkcheck::profile::Profile;
use parkcheck::report::{self, Summary};
use parkcheck::rulebook::{BUNDLED, RuleSet, load_rulebooks};
use parkcheck::schema::{SUBMISSION_SCHEMA, Schema};
use parkcheck::text::Lang;
use parkcheck::waiver::{self, WaiverFile};
use parkcheck::{baseline::Baseline, explain, ruletest};
use rayon::prelude::*;

/// parkcheck — 小微企业园申报合规检查 / compliance checks for small and micro enterprise park filings.
#[derive(Debug, Parser)]
#[command(name = "parkcheck", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check submissions (files or directories; `-` reads standard input).
    Check(CheckArgs),
    /// Print the submission JSON Schema (for editors and the YAML language server).
    Schema,
    /// List, lint or test the rulebooks.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The annual evaluation's view: per park the vetoes, deductions and per-mu figures; over
    /// several files the set's averages (Σ ÷ Σ) and each park's coefficient.
    Score(ScoreArgs),
    /// Explain a rule: what it checks, why, its parameters, and examples from its fixtures.
    Explain {
        /// The rule id, e.g. REC-007.
        id: String,
        #[command(flatten)]
        rules: RulesArgs,
        #[command(flatten)]
        look: LookArgs,
    },
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List the rules: id, title, severity, confidence, rulebook, effective dates.
    List {
        #[command(flatten)]
        rules: RulesArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Check rulebook files (default: the rulebooks in use) and report every problem.
    Lint {
        /// Rulebook files; without any, the bundled rulebooks (or those of --rules).
        files: Vec<PathBuf>,
        #[command(flatten)]
        rules: RulesArgs,
        #[command(flatten)]
        look: LookArgs,
    },
    /// The coverage matrix: every catalogue id, what implements it, its confidence and its
    /// fixtures; exits 1 when an id is not implemented or lacks a passing or failing fixture.
    Coverage {
        #[command(flatten)]
        rules: RulesArgs,
        /// The directory of rule fixtures.
        #[arg(long, default_value = "fixtures/rules")]
        fixtures: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        look: LookArgs,
    },
    /// Run every rule against its fixtures (fixtures/rules/<ID>/pass*.yaml and fail*.yaml).
    Test {
        #[command(flatten)]
        rules: RulesArgs,
        /// The directory of rule fixtures.
        #[arg(long, default_value = "fixtures/rules")]
        fixtures: PathBuf,
    },
}

#[derive(Debug, Clone, clap::Args)]
struct RulesArgs {
    /// A directory of rulebooks to use instead of the bundled ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// A bureau profile (YAML): parameter values, severities, disabled rules.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
}

#[derive(Debug, Clone, clap::Args)]
struct LookArgs {
    /// Language of the messages (human output); JSON always carries both.
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files or directories to check; directories are searched for *.yaml, *.yml and *.json.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Report format: human, json, sarif, junit or github. `FORMAT=FILE` writes that format to
    /// FILE; repeat for several (at most one without a file, which goes to stdout or --output).
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = parse_format_spec)]
    format: Vec<FormatSpec>,
    /// Write the report (the format given without a file, human by default) to FILE instead of
    /// stdout.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    look: LookArgs,
    #[command(flatten)]
    rules: RulesArgs,
    /// Exit with 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = Severity::Error)]
    fail_on: Severity,
    /// Evaluate as of this date (YYYY-MM-DD) instead of each submission's `as_of`.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<String>,
    /// Also list the rules that passed or did not apply, with the reason.
    #[arg(long)]
    show_passed: bool,
    /// Leave out what this glob matches inside the directories given (gitignore syntax, e.g.
    /// `drafts/` or `**/*-old.yaml`); repeatable. Files named on the command line are checked.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// No progress bar (one is drawn on stderr for long runs when it is a terminal, not in CI).
    #[arg(long)]
    no_progress: bool,
    /// Check structure only (the submission schema), without the rulebooks.
    #[arg(long)]
    no_rules: bool,
    /// Print the time spent parsing, validating and evaluating to stderr.
    #[arg(long)]
    timings: bool,
    /// Waivers to apply (YAML) [default: parkcheck.waivers.yaml beside the submissions].
    #[arg(long, value_name = "FILE", conflicts_with = "no_waivers")]
    waivers: Option<PathBuf>,
    /// Apply no waivers, not even the default file.
    #[arg(long)]
    no_waivers: bool,
    /// Report only the findings that are not in this baseline; list those no longer found.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record this run's findings in FILE (JSON), then exit 0 unless a file could not be read.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Largest file read, in bytes.
    #[arg(long, default_value_t = Limits::default().max_file_size)]
    max_file_size: u64,
    /// Deepest nesting of lists and mappings accepted
    /// (at most 200: the YAML scanner stops deeper input on its own).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=200))]
    max_depth: u16,
    /// Most nodes that YAML aliases may add by expansion.
    #[arg(long, default_value_t = Limits::default().max_alias_nodes)]
    max_alias_nodes: usize,
}

#[derive(Debug, clap::Args)]
struct ScoreArgs {
    /// Submission files or directories.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    look: LookArgs,
    #[command(flatten)]
    rules: RulesArgs,
    /// Evaluate as of this date (YYYY-MM-DD) instead of each submission's `as_of`.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// The formats of `check`'s report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
}

/// One `--format` value: a format, and the file it goes to (stdout when none).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FormatSpec {
    format: ReportFormat,
    file: Option<PathBuf>,
}

fn parse_format_spec(text: &str) -> Result<FormatSpec, String> {
    let (name, file) = match text.split_once('=') {
        Some((name, "")) => {
            return Err(format!(
                "`{name}=` 缺少文件名 / `{name}=` lacks a file name"
            ));
        }
        Some((name, file)) => (name, Some(PathBuf::from(file))),
        None => (text, None),
    };
    let format = ReportFormat::from_str(name, true).map_err(|_| {
        format!(
            "未知格式 `{name}`（可用：human, json, sarif, junit, github）/ unknown format `{name}` (one of human, json, sarif, junit, github)"
        )
    })?;
    Ok(FormatSpec { format, file })
}

/// Where each report of a `check` goes: `(format, None)` is stdout.
fn destinations(args: &CheckArgs) -> Result<Vec<(ReportFormat, Option<PathBuf>)>, String> {
    let bare: Vec<ReportFormat> = args
        .format
        .iter()
        .filter(|s| s.file.is_none())
        .map(|s| s.format)
        .collect();
    if bare.len() > 1 {
        return Err(
            "最多一个不带文件的 --format，其余请写作 FORMAT=FILE / at most one --format without a file; write the others as FORMAT=FILE"
                .to_owned(),
        );
    }
    let mut out: Vec<(ReportFormat, Option<PathBuf>)> = Vec::new();
    let main = match (bare.first(), args.format.is_empty()) {
        (Some(format), _) => Some(*format),
        // No --format at all, or only --output: the human report.
        (None, true) => Some(ReportFormat::Human),
        (None, false) if args.output.is_some() => Some(ReportFormat::Human),
        (None, false) => None,
    };
    if let Some(format) = main {
        out.push((format, args.output.clone()));
    }
    out.extend(
        args.format
            .iter()
            .filter_map(|s| s.file.clone().map(|f| (s.format, Some(f)))),
    );
    let files: Vec<&PathBuf> = out.iter().filter_map(|(_, f)| f.as_ref()).collect();
    for (i, file) in files.iter().enumerate() {
        if files.iter().skip(i + 1).any(|other| other == file) {
            return Err(format!(
                "两个报告写入同一文件 {0} / two reports would be written to the same file {0}",
                file.display()
            ));
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage error or unreadable input,
/// 130 interrupted (SIGINT, Ctrl-C).
const EXIT_FINDINGS: u8 = 1;
const EXIT_TROUBLE: u8 = 2;
const EXIT_INTERRUPTED: i32 = 130;

/// On Ctrl-C (SIGINT), waits for a report being written to be complete (no atomic write starts
/// after that), then exits with 130: a report file is the old one or a whole new one, and no
/// temporary file is left. `ctrlc` runs the handler on its own thread, not in signal context,
/// so it may take a lock and print.
#[allow(clippy::exit)]
fn exit_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        let _no_more_writes = parkcheck::output::hold_writes();
        eprintln!("parkcheck: 已中断 / interrupted");
        std::process::exit(EXIT_INTERRUPTED);
    });
    if let Err(error) = installed {
        eprintln!("parkcheck: 无法处理 Ctrl-C / cannot handle Ctrl-C: {error}");
    }
}

fn parse_date(text: &str) -> Result<String, String> {
    parkcheck::domain::dates::parse_date(text).map(|_| text.to_owned())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema => {
            print_out(SUBMISSION_SCHEMA);
            ExitCode::SUCCESS
        }
        Command::Check(args) => check(&args),
        Command::Score(args) => score(&args),
        Command::Rules(RulesCommand::List { rules, format }) => match engine(&rules, &plain()) {
            Ok(engine) => {
                print_out(&match format {
                    Format::Human => explain::list_human(&engine),
                    Format::Json => explain::list_json(&engine),
                });
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Command::Rules(RulesCommand::Lint { files, rules, look }) => lint(&files, &rules, &look),
        Command::Rules(RulesCommand::Coverage {
            rules,
            fixtures,
            format,
            look,
        }) => match engine(&rules, &look) {
            Ok(engine) => match parkcheck::coverage::coverage(&engine, &fixtures) {
                Ok(coverage) => {
                    let lang = look.lang.or(engine.profile().lang).unwrap_or_default();
                    print_out(&match format {
                        Format::Human => parkcheck::coverage::render_human(&coverage, lang),
                        Format::Json => parkcheck::coverage::render_json(&coverage),
                    });
                    if coverage.complete() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(EXIT_FINDINGS)
                    }
                }
                Err(message) => {
                    eprintln!("parkcheck: {message}");
                    ExitCode::from(EXIT_TROUBLE)
                }
            },
            Err(code) => code,
        },
        Command::Rules(RulesCommand::Test { rules, fixtures }) => match engine(&rules, &plain()) {
            Ok(engine) => {
                let results = ruletest::run(&engine, &fixtures);
                print_out(&ruletest::render(&results));
                if results.iter().all(ruletest::RuleResult::ok) {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(EXIT_FINDINGS)
                }
            }
            Err(code) => code,
        },
        Command::Explain { id, rules, look } => match engine(&rules, &look) {
            Ok(engine) => match explain::explain(
                &engine,
                &id,
                Path::new("fixtures/rules"),
                look.lang.or(engine.profile().lang).unwrap_or_default(),
            )
            .or_else(|| {
                explain::explain_catalogue(
                    &id,
                    Path::new("fixtures/rules"),
                    look.lang.or(engine.profile().lang).unwrap_or_default(),
                )
            }) {
                Some(text) => {
                    print_out(&text);
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!(
                        "parkcheck: no rule `{id}` (see `parkcheck rules list` and `parkcheck rules coverage`)"
                    );
                    ExitCode::from(EXIT_TROUBLE)
                }
            },
            Err(code) => code,
        },
    }
}

fn plain() -> LookArgs {
    LookArgs {
        lang: None,
        color: Color::Auto,
    }
}

/// Loads the rulebooks (bundled or `--rules DIR`) and the profile; on failure prints every
/// problem and returns the exit code.
fn engine(args: &RulesArgs, look: &LookArgs) -> Result<Engine, ExitCode> {
    let limits = Limits::default();
    let rules =
        load_rules(args.rules.as_deref(), &limits).map_err(|reports| fail(&reports, look))?;
    let profile = match &args.profile {
        Some(path) => Profile::load(path, &limits),
        None => Profile::bundled_default(),
    }
    .map_err(|report| fail(&[report], look))?;
    profile
        .validate(&rules)
        .map_err(|report| fail(&[report], look))?;
    Engine::new(rules, profile).map_err(|message| {
        eprintln!("parkcheck: {message}");
        ExitCode::from(EXIT_TROUBLE)
    })
}

fn load_rules(dir: Option<&Path>, limits: &Limits) -> Result<RuleSet, Vec<FileReport>> {
    let files = match dir {
        None => BUNDLED
            .iter()
            .map(|(name, text)| ((*name).to_owned(), text.as_bytes().to_vec()))
            .collect(),
        Some(dir) => {
            let mut files = Vec::new();
            for input in parkcheck::walk::inputs(dir) {
                match input {
                    Ok(parkcheck::check::Input::Path(path)) => match std::fs::read(&path) {
                        Ok(bytes) => files.push((path.display().to_string(), bytes)),
                        Err(e) => return Err(vec![io_report(&path, &e)]),
                    },
                    Ok(parkcheck::check::Input::Stdin) => {}
                    Err(report) => return Err(vec![report]),
                }
            }
            files
        }
    };
    load_rulebooks(files, limits)
}

fn io_report(path: &Path, error: &std::io::Error) -> FileReport {
    let error = parkcheck::document::LoadError::new(parkcheck::document::LoadErrorKind::Io {
        message: error.to_string(),
    });
    parkcheck::check::unreadable(
        parkcheck::source::SourceFile::new(path.display().to_string(), ""),
        &error,
    )
}

/// Prints the reports of broken configuration files and gives exit code 2.
fn fail(reports: &[FileReport], look: &LookArgs) -> ExitCode {
    let summary = Summary::of(reports);
    print_out(&report::human::render(reports, &summary, style(look, None)));
    ExitCode::from(EXIT_TROUBLE)
}

fn style(look: &LookArgs, profile_lang: Option<Lang>) -> report::human::Style {
    let color = match look.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    report::human::Style {
        lang: look.lang.or(profile_lang).unwrap_or_default(),
        color,
        width,
        show_passed: false,
    }
}

fn lint(files: &[PathBuf], args: &RulesArgs, look: &LookArgs) -> ExitCode {
    let limits = Limits::default();
    let result = if files.is_empty() {
        load_rules(args.rules.as_deref(), &limits)
    } else {
        let mut loaded = Vec::new();
        for path in files {
            match std::fs::read(path) {
                Ok(bytes) => loaded.push((path.display().to_string(), bytes)),
                Err(e) => return fail(&[io_report(path, &e)], look),
            }
        }
        load_rulebooks(loaded, &limits)
    };
    match result {
        Ok(rules) => {
            let count = rules.rules().count();
            print_out(&format!(
                "规则手册无误：{} 本，{count} 条规则\nrulebooks are valid: {} rulebook(s), {count} rule(s)\n",
                rules.rulebooks.len(),
                rules.rulebooks.len()
            ));
            ExitCode::SUCCESS
        }
        Err(reports) => fail(&reports, look),
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let destinations = match destinations(args) {
        Ok(destinations) => destinations,
        Err(message) => {
            eprintln!("parkcheck: {message}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    if let Err(message) = parkcheck::walk::check_excludes(&args.exclude) {
        eprintln!("parkcheck: {message}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    exit_on_interrupt();
    // The submission schema and the rulebooks compile side by side: together the fixed cost of
    // every run.
    let (schema, engine) = rayon::join(Schema::bundled, || {
        (!args.no_rules).then(|| engine(&args.rules, &args.look))
    });
    let schema = match schema {
        Ok(schema) => schema,
        Err(error) => {
            eprintln!("{:?}", miette::Report::new(error));
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let limits = Limits {
        max_file_size: args.max_file_size,
        max_depth: usize::from(args.max_depth),
        max_alias_nodes: args.max_alias_nodes,
    };
    let (checker, profile_lang) = match engine {
        None => (Checker::new(schema, limits), None),
        Some(Ok(engine)) => {
            let lang = engine.profile().lang;
            (Checker::with_engine(schema, engine, limits), lang)
        }
        Some(Err(code)) => return code,
    };
    let decisions = match Decisions::load(args, &checker, &limits) {
        Ok(decisions) => decisions,
        Err(code) => return code,
    };
    let options = RunOptions {
        as_of: args.as_of.clone(),
    };
    let started = Instant::now();
    let walk = Walk {
        paths: &args.paths,
        exclude: &args.exclude,
        progress: progress_wanted(args.no_progress),
    };
    let (checked, timings) = check_all(&checker, &walk, &options, |input| !decisions.is_own(input));
    let (mut reports, released): (Vec<FileReport>, Vec<Option<Released>>) =
        checked.into_iter().unzip();
    if checker.engine().is_some() {
        parkcheck::xdoc::check(&mut reports, options.as_of.as_deref());
    }
    // A cross-document finding that came to a clean file needs its text again (for its
    // snippet, and for the value a baseline's fingerprint hashes).
    for (report, released) in reports.iter_mut().zip(&released) {
        if let Some(released) = released.as_ref().filter(|_| !report.findings.is_empty()) {
            report.restore_source(released);
        }
    }
    let wall = started.elapsed();
    let (summary, written) = decisions.apply(args, &mut reports);
    let summary = summary.judged(&reports, args.fail_on);
    let lang = args.look.lang.or(profile_lang).unwrap_or_default();
    let mut write_failed = false;
    for (format, file) in &destinations {
        let out = match format {
            ReportFormat::Json => report::json::render(&reports, &summary, args.show_passed),
            ReportFormat::Human => {
                let mut style = style(&args.look, profile_lang);
                style.show_passed = args.show_passed;
                if file.is_some() && args.look.color != Color::Always {
                    style.color = false;
                }
                report::human::render(&reports, &summary, style)
            }
            ReportFormat::Sarif => {
                report::sarif::render(&reports, &summary, checker.engine(), lang)
            }
            ReportFormat::Junit => {
                report::junit::render(&reports, &summary, checker.engine(), lang)
            }
            ReportFormat::Github => {
                report::github::render(&reports, &summary, checker.engine(), lang)
            }
        };
        match file {
            None => print_out(&out),
            Some(path) => {
                if let Err(error) = parkcheck::output::write_atomic(path, out.as_bytes()) {
                    eprintln!(
                        "parkcheck: 无法写入报告 {0}：{error} / cannot write the report {0}: {error}",
                        path.display()
                    );
                    write_failed = true;
                }
            }
        }
    }
    if args.timings {
        eprintln!(
            "timings: parse {:.1} ms, schema {:.1} ms, rules {:.1} ms (summed over threads); wall {:.1} ms on {} threads",
            timings.parse.as_secs_f64() * 1e3,
            timings.schema.as_secs_f64() * 1e3,
            timings.rules.as_secs_f64() * 1e3,
            wall.as_secs_f64() * 1e3,
            rayon::current_num_threads()
        );
    }
    let code = match written {
        Some(false) => ExitCode::from(EXIT_TROUBLE),
        Some(true) if summary.files_unreadable == 0 && !write_failed => ExitCode::SUCCESS,
        _ if summary.files_unreadable > 0 || write_failed => ExitCode::from(EXIT_TROUBLE),
        _ if reports
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.counts() && f.severity >= args.fail_on) =>
        {
            ExitCode::from(EXIT_FINDINGS)
        }
        _ => ExitCode::SUCCESS,
    };
    // The process ends here: its memory goes back to the system whole, so the reports (with
    // every park's facts) and the compiled rules are not taken apart piece by piece — on one
    // thread, after the parallel work, that was 20–30 ms of a run of 1 000 parks.
    std::mem::forget((reports, checker));
    code
}

/// Checks every input under `paths` in parallel; the reports come in input order whatever the
/// thread timing, so the output is stable.
/// Which inputs a run takes, and how it shows progress.
struct Walk<'a> {
    paths: &'a [PathBuf],
    /// `--exclude` globs, applied inside directories.
    exclude: &'a [String],
    /// Draw a progress bar on stderr (a terminal, not CI, not `--no-progress`).
    progress: bool,
}

impl<'a> Walk<'a> {
    const fn plain(paths: &'a [PathBuf]) -> Self {
        Self {
            paths,
            exclude: &[],
            progress: false,
        }
    }
}

/// Whether a progress bar helps: stderr is a terminal, not a CI log, and the user did not opt out.
fn progress_wanted(no_progress: bool) -> bool {
    !no_progress && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// Checks every input of `walk` in parallel; the reports come in input order whatever the
/// thread timing, so the output is stable.
fn check_all(
    checker: &Checker,
    walk: &Walk<'_>,
    options: &RunOptions,
    keep: impl Fn(&Result<Input, FileReport>) -> bool,
) -> (Vec<(FileReport, Option<Released>)>, Timings) {
    let inputs: Vec<_> = walk
        .paths
        .iter()
        .flat_map(|p| parkcheck::walk::inputs_excluding(p, walk.exclude))
        .filter(|input| keep(input))
        .collect();
    // Only runs long enough to watch get a bar; it is cleared when the run ends.
    let bar = if walk.progress && inputs.len() >= 50 {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} 检查 checking {pos}/{len} [{bar:30}] {elapsed_precise} (ETA {eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let checked: Vec<((FileReport, Option<Released>), Timings)> = inputs
        .into_par_iter()
        .map(|input| {
            let checked = match input {
                Ok(input) => {
                    let mut timings = Timings::default();
                    let mut report = checker.check_timed(&input, options, &mut timings);
                    // The text of a clean file is let go of now, not held to the end of the run.
                    let released = match &input {
                        Input::Path(path) if report.findings.is_empty() && !report.unreadable => {
                            Some(report.release_source(path))
                        }
                        _ => None,
                    };
                    ((report, released), timings)
                }
                Err(report) => ((report, None), Timings::default()),
            };
            bar.inc(1);
            checked
        })
        .collect();
    bar.finish_and_clear();
    let mut timings = Timings::default();
    let mut reports = Vec::with_capacity(checked.len());
    for (report, t) in checked {
        reports.push(report);
        timings += t;
    }
    (reports, timings)
}

/// `parkcheck score`: exit 0 when every file was scored, 2 when one could not be read (a
/// score is a view, not a gate: vetoes do not change the exit code; `check` gates).
fn score(args: &ScoreArgs) -> ExitCode {
    let schema = match Schema::bundled() {
        Ok(schema) => schema,
        Err(error) => {
            eprintln!("{:?}", miette::Report::new(error));
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let engine = match engine(&args.rules, &args.look) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let lang = args.look.lang.or(engine.profile().lang).unwrap_or_default();
    let checker = Checker::with_engine(schema, engine.with_figures(), Limits::default());
    let options = RunOptions {
        as_of: args.as_of.clone(),
    };
    let (checked, _) = check_all(&checker, &Walk::plain(&args.paths), &options, |_| true);
    let reports: Vec<FileReport> = checked.into_iter().map(|(report, _)| report).collect();
    let Some(engine) = checker.engine() else {
        return ExitCode::from(EXIT_TROUBLE);
    };
    let scores = match parkcheck::score::score(&reports, engine) {
        Ok(scores) => scores,
        Err(parkcheck::score::NoScoring) => {
            eprintln!(
                "parkcheck: 所用规则手册中没有绩效评价计分（scoring）/ no rulebook in use defines `scoring`"
            );
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    print_out(&match args.format {
        Format::Json => parkcheck::score::render_json(&scores),
        Format::Human => parkcheck::score::render_human(&scores, lang),
    });
    if reports.iter().any(|r| r.unreadable) {
        ExitCode::from(EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    }
}

/// The recorded decisions a check run applies: waivers and a baseline.
struct Decisions {
    waivers: Vec<WaiverFile>,
    baseline: Option<Baseline>,
    today: jiff::civil::Date,
    /// The waiver and baseline files, which are not submissions even inside a checked directory.
    own: Vec<PathBuf>,
}

impl Decisions {
    /// Loads the waiver files and the baseline; on a problem prints every one and returns exit 2.
    fn load(args: &CheckArgs, checker: &Checker, limits: &Limits) -> Result<Self, ExitCode> {
        // PARKCHECK_TODAY=YYYY-MM-DD fixes the date waivers expire against (reproducible runs).
        let today =
            waiver::today(std::env::var("PARKCHECK_TODAY").ok().as_deref()).map_err(|e| {
                eprintln!("parkcheck: PARKCHECK_TODAY: {e}");
                ExitCode::from(EXIT_TROUBLE)
            })?;
        let paths = match (&args.waivers, args.no_waivers) {
            (_, true) => Vec::new(),
            (Some(path), false) => vec![path.clone()],
            (None, false) => waiver::default_files(&args.paths),
        };
        let known = waiver::known_rules(checker.rules(), checker.schema());
        let mut waivers = Vec::new();
        let mut broken = Vec::new();
        for path in &paths {
            match WaiverFile::load(path, limits, known.as_ref()) {
                Ok(file) => waivers.push(file),
                Err(report) => broken.push(report),
            }
        }
        let baseline = match &args.baseline {
            Some(path) => match Baseline::load(path, limits) {
                Ok(baseline) => Some(baseline),
                Err(report) => {
                    broken.push(report);
                    None
                }
            },
            None => None,
        };
        if !broken.is_empty() {
            return Err(fail(&broken, &args.look));
        }
        let own = paths
            .iter()
            .chain(&args.baseline)
            .chain(&args.write_baseline)
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        Ok(Self {
            waivers,
            baseline,
            today,
            own,
        })
    }

    fn is_own(&self, input: &Result<parkcheck::check::Input, FileReport>) -> bool {
        !self.own.is_empty()
            && matches!(input, Ok(parkcheck::check::Input::Path(p))
                if std::fs::canonicalize(p).is_ok_and(|p| self.own.contains(&p)))
    }

    /// Applies the waivers, then the baseline; adds the waiver files' reports; writes the
    /// baseline when asked (`Some(written)`), and returns the run's summary.
    fn apply(self, args: &CheckArgs, reports: &mut Vec<FileReport>) -> (Summary, Option<bool>) {
        let notes = waiver::apply(&self.waivers, reports, self.today);
        let dir_of = |p: &Path| p.parent().unwrap_or(Path::new("")).to_path_buf();
        let resolved = match (&self.baseline, &args.baseline) {
            (Some(baseline), Some(path)) => baseline.apply(reports, &dir_of(path)),
            _ => Vec::new(),
        };
        let written = args.write_baseline.as_ref().map(|path| {
            let baseline = Baseline::of(reports, &dir_of(path));
            match parkcheck::output::write_atomic(path, baseline.to_json().as_bytes()) {
                Ok(()) => {
                    let n = baseline.findings.len();
                    eprintln!(
                        "基线已写入 {0}：{n} 项 / baseline written to {0}: {n} finding(s)",
                        path.display()
                    );
                    true
                }
                Err(e) => {
                    eprintln!("parkcheck: {}: {e}", path.display());
                    false
                }
            }
        });
        reports.extend(notes);
        (Summary::of(reports).resolved(resolved), written)
    }
}

/// Prints to stdout; a closed pipe (`parkcheck … | head`) is not an error worth a panic.
fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}
