//! The command line: the only place that prints or exits. It parses the arguments, builds a
//! [`Run`](parkcheck::run::Run) (or the engine, for the rule tools), renders and writes what it
//! returns, and maps the verdict to an exit code. One file per subcommand.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod check;
mod convert;
mod help;
mod rules;
mod score;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use parkcheck::document::Limits;
use parkcheck::engine::Engine;
use parkcheck::finding::FileReport;
use parkcheck::report;
use parkcheck::run::{ConfigError, RulesSource, RunConfig, load_engine};
use parkcheck::schema::SUBMISSION_SCHEMA;
use parkcheck::text::{Lang, Text};

pub use check::CheckArgs;
pub use score::ScoreArgs;

#[derive(Debug, Parser)]
#[command(name = "parkcheck", version, about, long_about = None)]
struct Cli {
    /// Language of the messages and of the help: zh, en, or both (Chinese first); JSON always
    /// carries both. Given before or after the subcommand.
    #[arg(long, value_enum, global = true)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check submissions (files or directories; `-` reads standard input).
    Check(CheckArgs),
    /// Print the submission JSON Schema (for editors and the YAML language server), or with
    /// `--format markdown` the field reference (docs/fields.md).
    Schema {
        /// `json`: the JSON Schema; `markdown`: every field with its title, type, unit, values,
        /// the kinds that must fill it and the rules that check it.
        #[arg(long, value_enum, default_value_t = SchemaFormat::Json)]
        format: SchemaFormat,
        /// A directory of rulebooks whose rules the field reference lists (default: the bundled ones).
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// List, lint or test the rulebooks.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The annual evaluation's view: per park the vetoes, deductions and per-mu figures; over
    /// several files the set's averages (Σ ÷ Σ) and each park's coefficient.
    Score(ScoreArgs),
    /// Serve the checker over HTTP: an upload page and an API (`POST /v1/check`), the rulebooks
    /// and the profile loaded once at start.
    Serve {
        #[command(flatten)]
        args: crate::serve::ServeArgs,
        #[command(flatten)]
        look: LookArgs,
    },
    /// Write the registration form as a workbook to fill in Excel, WPS or LibreOffice
    /// (generated from the submission schema).
    Template {
        /// The kind of submission: filing (备案), annual (年度运行数据) or star (星级申报).
        #[arg(long, value_parser = ["filing", "annual", "star"], default_value = "filing")]
        kind: String,
        /// The workbook to write (default: 申报模板-KIND.xlsx in the current directory).
        #[arg(short, long, value_name = "FILE.xlsx")]
        output: Option<PathBuf>,
    },
    /// Convert a submission between YAML, JSON and the form's workbook (.xlsx), losslessly;
    /// with --tenants, replace its tenant list by a CSV 入驻企业名录.
    Convert(convert::ConvertArgs),
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

impl Command {
    /// The display options of the command, where it has them: the global `--lang` goes there.
    fn look_mut(&mut self) -> Option<&mut LookArgs> {
        match self {
            Self::Check(args) => Some(&mut args.look),
            Self::Score(args) => Some(&mut args.look),
            Self::Convert(args) => Some(&mut args.look),
            Self::Serve { look, .. } | Self::Explain { look, .. } => Some(look),
            Self::Rules(
                RulesCommand::List { look, .. }
                | RulesCommand::Lint { look, .. }
                | RulesCommand::Coverage { look, .. },
            ) => Some(look),
            Self::Rules(RulesCommand::Test { .. })
            | Self::Schema { .. }
            | Self::Template { .. } => None,
        }
    }
}

/// What `parkcheck schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SchemaFormat {
    Json,
    Markdown,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List every id a finding can carry: the rules, the ids the schema and the cross-document
    /// checks enforce, the loader's and the configuration files'; with what implements each.
    List {
        #[command(flatten)]
        rules: RulesArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        look: LookArgs,
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
pub(crate) struct RulesArgs {
    /// A directory of rulebooks to use instead of the bundled ones.
    #[arg(long, value_name = "DIR")]
    pub(crate) rules: Option<PathBuf>,
    /// A bureau profile (YAML): parameter values, severities, disabled rules.
    #[arg(long, value_name = "FILE")]
    pub(crate) profile: Option<PathBuf>,
}

#[derive(Debug, Clone, clap::Args)]
pub(crate) struct LookArgs {
    /// The language of the messages: the global `--lang` (of [`Cli`]), set after parsing.
    #[arg(skip)]
    pub(crate) lang: Option<Lang>,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
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

/// Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage error or unreadable input,
/// 130 interrupted (SIGINT, Ctrl-C).
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_TROUBLE: u8 = 2;
pub const EXIT_INTERRUPTED: i32 = 130;

fn parse_date(text: &str) -> Result<String, String> {
    parkcheck::domain::dates::parse_date(text).map(|_| text.to_owned())
}

pub fn main() -> ExitCode {
    // The help follows `--lang` as the messages do, so it is decided before parsing.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help::lang_of(&args);
    let command = help::localize(Cli::command(), lang);
    let cli = match command
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => {
            if let Some(zh) = help::error_chinese(&e, lang) {
                eprintln!("{zh}");
            }
            e.exit()
        }
    };
    let mut command = cli.command;
    if let Some(look) = command.look_mut() {
        look.lang = cli.lang;
    }
    match command {
        Command::Schema { format, rules } => match format {
            SchemaFormat::Json => {
                print_out(SUBMISSION_SCHEMA);
                ExitCode::SUCCESS
            }
            SchemaFormat::Markdown => rules::fields(rules.as_deref()),
        },
        Command::Check(args) => check::check(&args),
        Command::Score(args) => score::score(&args),
        Command::Rules(command) => rules::rules(command),
        Command::Serve { args, look } => crate::serve::serve(&args, &look),
        Command::Explain { id, rules, look } => rules::explain(&id, &rules, &look),
        Command::Template { kind, output } => template(&kind, output),
        Command::Convert(args) => convert::convert(&args),
    }
}

const fn plain() -> LookArgs {
    LookArgs {
        lang: None,
        color: Color::Auto,
    }
}

impl RulesArgs {
    /// The rulebooks these options name.
    pub(crate) fn source(&self) -> RulesSource {
        self.rules
            .clone()
            .map_or(RulesSource::Bundled, RulesSource::Dir)
    }

    /// The configuration of a run with these rule options (structure only with `no_rules`) and
    /// `limits`: the one place every front end (`check`, `serve`, `verify`) builds it; each
    /// adds what is its own (waivers, a baseline, the figures).
    pub(crate) fn run_config(&self, no_rules: bool, limits: Limits) -> RunConfig {
        RunConfig {
            rules: if no_rules {
                RulesSource::None
            } else {
                self.source()
            },
            profile: self.profile.clone(),
            limits,
            // PARKCHECK_TODAY=YYYY-MM-DD fixes the date waivers expire against (reproducible runs).
            today: std::env::var("PARKCHECK_TODAY").ok(),
            ..RunConfig::default()
        }
    }
}

/// Loads the rulebooks (bundled or `--rules DIR`) and the profile; on failure prints every
/// problem and returns the exit code.
fn engine(args: &RulesArgs, look: &LookArgs) -> Result<Engine, ExitCode> {
    load_engine(&args.source(), args.profile.as_deref()).map_err(|e| config_failed(&e, look))
}

/// Prints why a run or an engine could not be built and gives exit code 2.
pub(crate) fn config_failed(error: &ConfigError, look: &LookArgs) -> ExitCode {
    match error {
        ConfigError::Files(reports) => fail(reports, look),
        ConfigError::Message(message) => {
            eprintln!("parkcheck: {message}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

/// Prints the reports of broken configuration files (rulebooks, a profile, waivers, a
/// baseline), says that no submission was checked, and gives exit code 2.
fn fail(reports: &[FileReport], look: &LookArgs) -> ExitCode {
    let problems: usize = reports.iter().map(|r| r.findings.len()).sum();
    let closing = Text::new(
        format!(
            "配置文件有误（{} 个文件，{problems} 项问题），未检查任何申报文件",
            reports.len()
        ),
        format!(
            "the configuration has problems ({} file(s), {problems} problem(s)): no submission was checked",
            reports.len()
        ),
    );
    print_out(&report::human::render_problems(
        reports,
        &closing,
        style(look, None),
    ));
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

/// Prints to stdout; a closed pipe (`parkcheck … | head`) is not an error worth a panic.
fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// `parkcheck template`: writes the workbook atomically and says where.
fn template(kind: &str, output: Option<PathBuf>) -> ExitCode {
    let path = output.unwrap_or_else(|| PathBuf::from(format!("申报模板-{kind}.xlsx")));
    let bytes =
        match parkcheck::template::render(SUBMISSION_SCHEMA, kind, env!("CARGO_PKG_VERSION")) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("parkcheck: 无法生成模板 / could not make the template: {e}");
                return ExitCode::from(EXIT_TROUBLE);
            }
        };
    match parkcheck::output::write_atomic(&path, &bytes) {
        Ok(()) => {
            eprintln!(
                "已写入模板 / wrote the template: {}",
                parkcheck::text::visible_inline(&path.display().to_string())
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "parkcheck: 无法写入 / cannot write {}: {e}",
                parkcheck::text::visible_inline(&path.display().to_string())
            );
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}
