//! `parkcheck score`: a run with the evaluation's figures, shown as the annual evaluation sees it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use parkcheck::report;
use parkcheck::run::{Inputs, Quiet, Run, RunConfig, RunOptions};

use super::{EXIT_TROUBLE, LookArgs, RulesArgs, config_failed, parse_date, print_out};

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Submission files or directories.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format: human, json or html (one page with the charts). `FORMAT=FILE` writes that
    /// format to FILE; repeat for several (at most one without a file, which goes to stdout).
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = parse_score_format)]
    format: Vec<ScoreSpec>,
    #[command(flatten)]
    pub(crate) look: LookArgs,
    #[command(flatten)]
    rules: RulesArgs,
    /// Evaluate as of this date (YYYY-MM-DD) instead of each submission's `as_of`.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<String>,
}

/// The formats of `score`'s breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScoreFormat {
    Human,
    Json,
    Html,
}

/// One `--format` value of `score`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ScoreSpec {
    format: ScoreFormat,
    file: Option<PathBuf>,
}

fn parse_score_format(text: &str) -> Result<ScoreSpec, String> {
    let (name, file) = match text.split_once('=') {
        Some((name, "")) => {
            return Err(format!(
                "`{name}=` 缺少文件名 / `{name}=` lacks a file name"
            ));
        }
        Some((name, file)) => (name, Some(PathBuf::from(file))),
        None => (text, None),
    };
    let format = ScoreFormat::from_str(name, true).map_err(|_| {
        format!(
            "未知格式 `{name}`（可用：human, json, html）/ unknown format `{name}` (one of human, json, html)"
        )
    })?;
    Ok(ScoreSpec { format, file })
}

/// `parkcheck score`: exit 0 when every file was scored, 2 when one could not be read (a
/// score is a view, not a gate: vetoes do not change the exit code; `check` gates).
pub fn score(args: &ScoreArgs) -> ExitCode {
    let bare = args.format.iter().filter(|s| s.file.is_none()).count();
    if bare > 1 {
        eprintln!(
            "parkcheck: 最多一个不带文件的 --format，其余请写作 FORMAT=FILE / at most one --format without a file; write the others as FORMAT=FILE"
        );
        return ExitCode::from(EXIT_TROUBLE);
    }
    let mut destinations: Vec<(ScoreFormat, Option<PathBuf>)> = args
        .format
        .iter()
        .map(|s| (s.format, s.file.clone()))
        .collect();
    if bare == 0 && destinations.is_empty() {
        destinations.push((ScoreFormat::Human, None));
    }
    let config = RunConfig {
        rules: args.rules.source(),
        profile: args.rules.profile.clone(),
        options: RunOptions {
            as_of: args.as_of.clone(),
            ..RunOptions::default()
        },
        figures: true,
        // The date the page carries (PARKCHECK_TODAY fixes it, as for `check`).
        today: std::env::var("PARKCHECK_TODAY").ok(),
        ..RunConfig::default()
    };
    let run = match Run::from_config(&config) {
        Ok(run) => run,
        Err(error) => return config_failed(&error, &args.look),
    };
    let Some(engine) = run.engine() else {
        return ExitCode::from(EXIT_TROUBLE);
    };
    let lang = args.look.lang.or(engine.profile().lang).unwrap_or_default();
    let checked = run.check(Inputs::new().paths(&args.paths), &Quiet);
    let scores = match parkcheck::score::score(&checked.files, engine) {
        Ok(scores) => scores,
        Err(parkcheck::score::NoScoring) => {
            eprintln!(
                "parkcheck: 所用规则手册中没有绩效评价计分（scoring）/ no rulebook in use defines `scoring`"
            );
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let mut write_failed = false;
    for (format, file) in &destinations {
        let out = match format {
            ScoreFormat::Json => parkcheck::score::render_json(&scores),
            ScoreFormat::Human => parkcheck::score::render_human(&scores, lang),
            ScoreFormat::Html => report::html::render(&report::html::Page {
                reports: &checked.files,
                summary: &checked.summary,
                facts: &run.facts(run.options()),
                engine: Some(engine),
                lang,
                show_passed: false,
                scores: Some(&scores),
                evaluation: true,
            }),
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
    if write_failed || checked.files.iter().any(|r| r.unreadable) {
        ExitCode::from(EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    }
}
