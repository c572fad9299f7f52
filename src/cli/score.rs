//! `parkcheck score`: a run with the evaluation's figures, shown as the annual evaluation sees it.

use std::path::PathBuf;
use std::process::ExitCode;

use parkcheck::run::{Inputs, Quiet, Run, RunConfig, RunOptions};

use super::{EXIT_TROUBLE, Format, LookArgs, RulesArgs, config_failed, parse_date, print_out};

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
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

/// `parkcheck score`: exit 0 when every file was scored, 2 when one could not be read (a
/// score is a view, not a gate: vetoes do not change the exit code; `check` gates).
pub fn score(args: &ScoreArgs) -> ExitCode {
    let config = RunConfig {
        rules: args.rules.source(),
        profile: args.rules.profile.clone(),
        options: RunOptions {
            as_of: args.as_of.clone(),
            ..RunOptions::default()
        },
        figures: true,
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
    print_out(&match args.format {
        Format::Json => parkcheck::score::render_json(&scores),
        Format::Human => parkcheck::score::render_human(&scores, lang),
    });
    if checked.files.iter().any(|r| r.unreadable) {
        ExitCode::from(EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    }
}
