//! `parkcheck check`: a run over the paths given, its reports rendered to stdout and files.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use parkcheck::document::Limits;
use parkcheck::finding::Severity;
use parkcheck::report::{self, Format};
use parkcheck::run::{Inputs, Progress, Run, RunConfig, RunOptions, Verdict};
use parkcheck::waiver;

use super::{
    Color, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_TROUBLE, LookArgs, RulesArgs, config_failed,
    parse_date, print_out, style,
};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check; directories are searched for *.yaml, *.yml, *.json and workbooks (*.xlsx, *.xlsm, *.xls, *.ods).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Report format: human, concise, json, sarif, junit, github, markdown, html or xlsx.
    /// `FORMAT=FILE` writes that format to FILE; repeat for several (at most one without a file,
    /// which goes to stdout or --output). xlsx needs a file.
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = parse_format_spec)]
    format: Vec<FormatSpec>,
    /// Write the report (the format given without a file, human by default) to FILE instead of
    /// stdout.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) look: LookArgs,
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

/// One `--format` value: a format, and the file it goes to (stdout when none).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FormatSpec {
    format: Format,
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
    let format = Format::from_name(name).ok_or_else(|| {
        let names = Format::names(&Format::ALL);
        format!("未知格式 `{name}`（可用：{names}）/ unknown format `{name}` (one of {names})")
    })?;
    Ok(FormatSpec { format, file })
}

/// Where each report of a `check` goes: `(format, None)` is stdout.
fn destinations(args: &CheckArgs) -> Result<Vec<(Format, Option<PathBuf>)>, String> {
    let bare: Vec<Format> = args
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
    let mut out: Vec<(Format, Option<PathBuf>)> = Vec::new();
    let main = match (bare.first(), args.format.is_empty()) {
        (Some(format), _) => Some(*format),
        // No --format at all, or only --output: the human report.
        (None, true) => Some(Format::Human),
        (None, false) if args.output.is_some() => Some(Format::Human),
        (None, false) => None,
    };
    if let Some(format) = main {
        if format.is_binary() && args.output.is_none() {
            return Err(
                "xlsx 是二进制文件，须写入文件：--format xlsx=FILE / xlsx is a binary file: write it to a file with --format xlsx=FILE"
                    .to_owned(),
            );
        }
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

/// On Ctrl-C (SIGINT), waits for a report being written to be complete (no atomic write starts
/// after that), then exits with 130: a report file is the old one or a whole new one, and no
/// temporary file is left. `ctrlc` runs the handler on its own thread, not in signal context,
/// so it may take a lock and print.
#[allow(clippy::exit)]
pub(crate) fn exit_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        let _no_more_writes = parkcheck::output::hold_writes();
        eprintln!("parkcheck: 已中断 / interrupted");
        std::process::exit(EXIT_INTERRUPTED);
    });
    if let Err(error) = installed {
        eprintln!("parkcheck: 无法处理 Ctrl-C / cannot handle Ctrl-C: {error}");
    }
}

/// Whether a progress bar helps: stderr is a terminal, not a CI log, and the user did not opt out.
fn progress_wanted(no_progress: bool) -> bool {
    !no_progress && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A progress bar on stderr, for runs long enough to watch (50 inputs or more); cleared when
/// the run ends.
struct Bar {
    wanted: bool,
    bar: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        let bar = if self.wanted && total >= 50 {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} 检查 checking {pos}/{len} [{bar:30}] {elapsed_precise} (ETA {eta})",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        let _ = self.bar.set(bar);
    }

    fn advance(&self) {
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

/// The configuration of a `check` run.
fn config(args: &CheckArgs) -> RunConfig {
    let waivers = match (&args.waivers, args.no_waivers) {
        (_, true) => Vec::new(),
        (Some(path), false) => vec![path.clone()],
        (None, false) => waiver::default_files(&args.paths),
    };
    let limits = Limits {
        max_file_size: args.max_file_size,
        max_depth: usize::from(args.max_depth),
        max_alias_nodes: args.max_alias_nodes,
    };
    RunConfig {
        options: RunOptions {
            as_of: args.as_of.clone(),
            fail_on: args.fail_on,
        },
        waivers,
        baseline: args.baseline.clone(),
        not_submissions: args.write_baseline.iter().cloned().collect(),
        // The HTML report shows each park's 亩均 figures when they can be computed.
        figures: args.format.iter().any(|s| s.format == Format::Html),
        ..args.rules.run_config(args.no_rules, limits)
    }
}

pub fn check(args: &CheckArgs) -> ExitCode {
    let destinations = match destinations(args) {
        Ok(destinations) => destinations,
        Err(message) => {
            eprintln!("parkcheck: {message}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let inputs = match Inputs::new().paths(&args.paths).exclude(&args.exclude) {
        Ok(inputs) => inputs,
        Err(message) => {
            eprintln!("parkcheck: {message}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    exit_on_interrupt();
    let run = match Run::from_config(&config(args)) {
        Ok(run) => run,
        Err(error) => return config_failed(&error, &args.look),
    };
    let progress = Bar {
        wanted: progress_wanted(args.no_progress),
        bar: std::sync::OnceLock::new(),
    };
    let checked = run.check(inputs, &progress);
    let written = args.write_baseline.as_ref().map(|path| {
        let dir = path.parent().unwrap_or(Path::new(""));
        let baseline = checked.baseline(dir);
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
    let profile_lang = run.engine().and_then(|e| e.profile().lang);
    let lang = args.look.lang.or(profile_lang).unwrap_or_default();
    let look = style(&args.look, profile_lang);
    let mut write_failed = false;
    for (format, file) in &destinations {
        let color = look.color && (file.is_none() || args.look.color == Color::Always);
        let out = match report::render(
            *format,
            &run,
            &checked,
            run.options(),
            report::Look {
                lang,
                show_passed: args.show_passed,
                color,
                width: look.width,
            },
        ) {
            Ok(out) => out,
            Err(error) => {
                eprintln!("parkcheck: 无法生成工作簿：{error} / cannot make the workbook: {error}");
                write_failed = true;
                continue;
            }
        };
        match file {
            None => print_out(&String::from_utf8_lossy(&out)),
            Some(path) => {
                if let Err(error) = parkcheck::output::write_atomic(path, &out) {
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
        let timings = &checked.timings;
        eprintln!(
            "timings: parse {:.1} ms, schema {:.1} ms, rules {:.1} ms (summed over threads); wall {:.1} ms on {} threads",
            timings.parse.as_secs_f64() * 1e3,
            timings.schema.as_secs_f64() * 1e3,
            timings.rules.as_secs_f64() * 1e3,
            checked.wall.as_secs_f64() * 1e3,
            rayon::current_num_threads()
        );
    }
    let code = match (written, checked.verdict()) {
        (Some(false), _) => ExitCode::from(EXIT_TROUBLE),
        (_, Verdict::Unreadable) => ExitCode::from(EXIT_TROUBLE),
        _ if write_failed => ExitCode::from(EXIT_TROUBLE),
        // Writing a baseline records the findings; it does not fail on them.
        (Some(true), _) | (None, Verdict::Passed) => ExitCode::SUCCESS,
        (None, Verdict::Failed) => ExitCode::from(EXIT_FINDINGS),
    };
    // The process ends here: its memory goes back to the system whole, so the reports (with
    // every park's facts) and the compiled rules are not taken apart piece by piece — on one
    // thread, after the parallel work, that was 20–30 ms of a run of 1 000 parks.
    std::mem::forget((checked, run));
    code
}
