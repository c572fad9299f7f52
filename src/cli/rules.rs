//! `parkcheck rules …` and `parkcheck explain`: the rulebooks listed, linted, tested against
//! their fixtures, held against the catalogue, and explained.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use parkcheck::document::{Limits, read_path};
use parkcheck::rulebook::load_rulebooks;
use parkcheck::run::{Run, RunConfig, load_rules, unread};
use parkcheck::{explain, ruletest};

use super::{
    EXIT_FINDINGS, EXIT_TROUBLE, Format, LookArgs, RulesArgs, RulesCommand, config_failed, engine,
    fail, plain, print_out,
};

pub fn rules(command: RulesCommand) -> ExitCode {
    match command {
        RulesCommand::List {
            rules,
            format,
            look,
        } => match engine(&rules, &look) {
            Ok(engine) => {
                let lang = look.lang.or(engine.profile().lang).unwrap_or_default();
                print_out(&match format {
                    Format::Human => explain::list_human(&engine, lang),
                    Format::Json => explain::list_json(&engine),
                });
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        RulesCommand::Lint { files, rules, look } => lint(&files, &rules, &look),
        RulesCommand::Coverage {
            rules,
            fixtures,
            format,
            look,
        } => coverage(&rules, &fixtures, format, &look),
        RulesCommand::Test { rules, fixtures } => test(&rules, &fixtures),
    }
}

fn coverage(rules: &RulesArgs, fixtures: &Path, format: Format, look: &LookArgs) -> ExitCode {
    let engine = match engine(rules, look) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    match parkcheck::coverage::coverage(&engine, fixtures) {
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
    }
}

/// Every rule against its fixtures, each fixture checked by a run of the schema and the rules.
fn test(rules: &RulesArgs, fixtures: &Path) -> ExitCode {
    let config = RunConfig {
        rules: rules.source(),
        profile: rules.profile.clone(),
        ..RunConfig::default()
    };
    let run = match Run::from_config(&config) {
        Ok(run) => run,
        Err(error) => return config_failed(&error, &plain()),
    };
    let results = ruletest::run(&run, fixtures);
    print_out(&ruletest::render(&results));
    if results.iter().all(ruletest::RuleResult::ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FINDINGS)
    }
}

pub fn explain(id: &str, rules: &RulesArgs, look: &LookArgs) -> ExitCode {
    let engine = match engine(rules, look) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let lang = look.lang.or(engine.profile().lang).unwrap_or_default();
    let id = match explain::resolve_id(&engine, id) {
        Ok(id) => id,
        Err(near) => {
            let id = parkcheck::text::visible_inline(id);
            let hint = if near.is_empty() {
                "见 `parkcheck rules list` / see `parkcheck rules list`".to_owned()
            } else {
                format!(
                    "是否想查 {0}？/ did you mean {0}?",
                    near.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            eprintln!("parkcheck: 没有规则 `{id}` / no rule `{id}`; {hint}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let text = explain::explain(&engine, &id, lang)
        .or_else(|| explain::explain_catalogue(&id, lang))
        .or_else(|| explain::explain_other(&id, lang));
    match text {
        Some(text) => {
            print_out(&text);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("parkcheck: 没有规则 `{id}` / no rule `{id}` (see `parkcheck rules list`)");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

fn lint(files: &[PathBuf], args: &RulesArgs, look: &LookArgs) -> ExitCode {
    let limits = Limits::default();
    let result = if files.is_empty() {
        load_rules(args.rules.as_deref(), &limits)
    } else {
        let mut loaded = Vec::new();
        for path in files {
            match read_path(path, &limits) {
                Ok(bytes) => loaded.push((path.display().to_string(), bytes)),
                Err(e) => return fail(&[unread(path, e)], look),
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

/// `parkcheck schema --format markdown`: the field reference, with the rules of `dir`.
pub(super) fn fields(dir: Option<&std::path::Path>) -> ExitCode {
    let limits = Limits::default();
    match load_rules(dir, &limits) {
        Ok(rules) => {
            match parkcheck::fieldref::markdown(parkcheck::schema::SUBMISSION_SCHEMA, &rules) {
                Ok(text) => {
                    print_out(&text);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("parkcheck: the bundled schema is not JSON: {e}");
                    ExitCode::from(EXIT_TROUBLE)
                }
            }
        }
        Err(reports) => fail(&reports, &super::plain()),
    }
}
