//! The command line: the only place that prints or exits.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use parkcheck::check::{Checker, FileReport};
use parkcheck::document::Limits;
use parkcheck::finding::Severity;
use parkcheck::report::{self, Summary};
use parkcheck::schema::{SUBMISSION_SCHEMA, SubmissionSchema};
use parkcheck::text::Lang;

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
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files or directories to check; directories are searched for *.yaml, *.yml and *.json.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Language of the messages (human output); JSON always carries both.
    #[arg(long, value_enum, default_value_t = Lang::Both)]
    lang: Lang,
    /// Exit with 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = Severity::Error)]
    fail_on: Severity,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Largest file read, in bytes.
    #[arg(long, default_value_t = Limits::default().max_file_size)]
    max_file_size: u64,
    /// Deepest nesting of lists and mappings accepted.
    /// (at most 200: the YAML scanner stops deeper input on its own).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=200))]
    max_depth: u16,
    /// Most nodes that YAML aliases may add by expansion.
    #[arg(long, default_value_t = Limits::default().max_alias_nodes)]
    max_alias_nodes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage error or unreadable input.
const EXIT_FINDINGS: u8 = 1;
const EXIT_TROUBLE: u8 = 2;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema => {
            print_out(SUBMISSION_SCHEMA);
            ExitCode::SUCCESS
        }
        Command::Check(args) => check(&args),
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let schema = match SubmissionSchema::bundled() {
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
    let checker = Checker::new(schema, limits);
    let mut reports: Vec<FileReport> = Vec::new();
    for path in &args.paths {
        for input in parkcheck::walk::inputs(path) {
            match input {
                Ok(input) => reports.push(checker.check(&input)),
                Err(report) => reports.push(report),
            }
        }
    }
    let summary = Summary::of(&reports);
    let out = match args.format {
        Format::Json => report::json::render(&reports, &summary),
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let width = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(100);
            report::human::render(
                &reports,
                &summary,
                report::human::Style {
                    lang: args.lang,
                    color,
                    width,
                },
            )
        }
    };
    print_out(&out);
    if summary.files_unreadable > 0 {
        ExitCode::from(EXIT_TROUBLE)
    } else if reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity >= args.fail_on)
    {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints to stdout; a closed pipe (`parkcheck … | head`) is not an error worth a panic.
fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}
