//! `parkcheck rules test`: every rule against its own fixtures.
//!
//! `fixtures/rules/<ID>/pass*.yaml` must be evaluated by the rule and pass it;
//! `fixtures/rules/<ID>/fail*.yaml` must fire it at exactly the pointers its header declares,
//! one line each: `# expect: <ID> /tenants/2/uscc`.

use std::path::{Path, PathBuf};

use crate::document::{Document, Limits, load_path};
use crate::finding::{Finding, OutcomeStatus};
use crate::run::{Inputs, Quiet, Run, Timings};
use crate::schema::Schema;

/// How one fixture fared.
#[derive(Debug, Clone)]
pub struct FixtureResult {
    pub path: PathBuf,
    /// A `fail*` fixture (else `pass*`).
    pub failing: bool,
    /// What went wrong, if anything.
    pub problem: Option<String>,
}

/// How one rule fared over its fixtures.
#[derive(Debug, Clone)]
pub struct RuleResult {
    pub id: String,
    pub fixtures: Vec<FixtureResult>,
    /// `pass` and/or `fail` when the rule lacks such a fixture.
    pub missing: Vec<&'static str>,
}

impl RuleResult {
    #[must_use]
    pub fn ok(&self) -> bool {
        self.missing.is_empty() && self.fixtures.iter().all(|f| f.problem.is_none())
    }
}

/// The fixture files of a rule, sorted: `(path, failing)`.
#[must_use]
pub fn fixtures_of(dir: &Path, id: &str) -> Vec<(PathBuf, bool)> {
    let Ok(entries) = std::fs::read_dir(dir.join(id)) else {
        return Vec::new();
    };
    let mut files: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_owned();
            // A directory is one fixture of several submissions (the cross-document rules).
            let ext_ok = name.ends_with(".yaml")
                || name.ends_with(".yml")
                || name.ends_with(".json")
                || p.is_dir();
            match (ext_ok, name.starts_with("pass"), name.starts_with("fail")) {
                (true, true, _) => Some((p, false)),
                (true, _, true) => Some((p, true)),
                _ => None,
            }
        })
        .collect();
    // The plain `pass.yaml` / `fail.yaml` first: they are the examples `explain` shows.
    files.sort_by_key(|(p, _)| {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        (!matches!(name.as_str(), "pass.yaml" | "fail.yaml"), name)
    });
    files
}

/// The pointers a fixture declares for rule `id`.
#[must_use]
pub fn expected_pointers(text: &str, id: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# expect:"))
        .filter_map(|rest| {
            let mut words = rest.split_whitespace();
            (words.next() == Some(id)).then(|| words.next().unwrap_or("").to_owned())
        })
        .collect()
}

/// Runs every rule of the run's engine against its fixtures in `dir`, then every catalogue id
/// the submission schema enforces on its own (FORM-001, REC-001…), then the cross-document
/// rules, each fixture checked through `pipeline` as any submission is. A run without rules
/// tests the schema's and the cross-document ids only.
#[must_use]
pub fn run(pipeline: &Run, dir: &Path) -> Vec<RuleResult> {
    let rules = pipeline.engine().map(crate::engine::Engine::rules);
    let mut results: Vec<RuleResult> = rules
        .into_iter()
        .flat_map(|rules| rules.rules())
        .map(|(_, rule)| {
            test_id(&rule.id, dir, |path, failing| {
                run_fixture(pipeline, &rule.id, path, failing)
            })
        })
        .collect();
    for id in crate::schema::structural_rules()
        .into_keys()
        .filter(|id| rules.is_none_or(|r| r.rule(id).is_none()))
    {
        results.push(test_id(&id, dir, |path, failing| {
            run_structural_fixture(pipeline.schema(), &id, path, failing)
        }));
    }
    for id in crate::xdoc::RULES {
        results.push(test_id(id, dir, |path, failing| {
            run_cross_document_fixture(pipeline, id, path, failing)
        }));
    }
    results
}

/// Runs `run` on every fixture of `id` and notes a missing `pass*` or `fail*` one.
fn test_id(id: &str, dir: &Path, run: impl Fn(&Path, bool) -> Result<(), String>) -> RuleResult {
    let files = fixtures_of(dir, id);
    let mut missing = Vec::new();
    if !files.iter().any(|(_, failing)| !failing) {
        missing.push("pass");
    }
    if !files.iter().any(|(_, failing)| *failing) {
        missing.push("fail");
    }
    let fixtures = files
        .into_iter()
        .map(|(path, failing)| FixtureResult {
            problem: run(&path, failing).err(),
            path,
            failing,
        })
        .collect();
    RuleResult {
        id: id.to_owned(),
        fixtures,
        missing,
    }
}

fn load_fixture(path: &Path) -> Result<Document, String> {
    load_path(path, &Limits::default())
        .map_err(|u| format!("cannot load: {}", u.error.message().en))
}

fn pointers_of<'a>(findings: impl Iterator<Item = &'a Finding>, id: &str) -> Vec<String> {
    let mut got: Vec<String> = findings
        .filter(|f| f.rule == id)
        .map(|f| {
            f.pointer
                .as_ref()
                .map_or_else(String::new, |p| p.as_str().to_owned())
        })
        .collect();
    got.sort();
    got
}

/// A failing fixture fires `id` at exactly the pointers it declares.
fn expect_declared(doc: &Document, id: &str, got: &[String]) -> Result<(), String> {
    expect_declared_in(doc.source.text(), id, got)
}

fn expect_declared_in(text: &str, id: &str, got: &[String]) -> Result<(), String> {
    let mut want = expected_pointers(text, id);
    want.sort();
    if want.is_empty() {
        return Err(format!("declares no `# expect: {id} /pointer` line"));
    }
    if got != want {
        return Err(format!("expected findings at {want:?}, got {got:?}"));
    }
    Ok(())
}

/// A fixture of an id the schema enforces: a passing one is valid under the whole schema.
fn run_structural_fixture(
    schema: &Schema,
    id: &str,
    path: &Path,
    failing: bool,
) -> Result<(), String> {
    let doc = load_fixture(path)?;
    let findings = schema.check(&doc);
    let got = pointers_of(findings.iter(), id);
    if failing {
        return expect_declared(&doc, id, &got);
    }
    match findings.first() {
        None => Ok(()),
        Some(f) => Err(format!(
            "not valid under the schema: {} {} ({})",
            f.rule,
            f.pointer.as_ref().map_or("", |p| p.as_str()),
            f.message.en
        )),
    }
}

/// A fixture of a cross-document rule: a directory of submissions checked together; each
/// file declares the findings it must get (`# expect:`), a passing directory gets none.
fn run_cross_document_fixture(
    pipeline: &Run,
    id: &str,
    dir: &Path,
    failing: bool,
) -> Result<(), String> {
    let checked = pipeline.check(Inputs::new().path(dir), &Quiet);
    let reports = checked.files;
    if let Some(unreadable) = reports.iter().find(|r| r.unreadable) {
        return Err(format!(
            "{}: cannot load: {}",
            unreadable.source.name(),
            unreadable
                .findings
                .first()
                .map_or("?", |f| f.message.en.as_str())
        ));
    }
    if reports.len() < 2 {
        return Err("a cross-document fixture needs at least two submissions".to_owned());
    }
    let mut declared = 0;
    for report in &reports {
        let got = pointers_of(report.findings.iter(), id);
        let mut want = expected_pointers(report.source.text(), id);
        want.sort();
        declared += want.len();
        if got != want {
            return Err(format!(
                "{}: expected findings at {want:?}, got {got:?}",
                report.source.name()
            ));
        }
    }
    if failing && declared == 0 {
        return Err(format!("no file declares `# expect: {id} /pointer`"));
    }
    Ok(())
}

fn run_fixture(pipeline: &Run, id: &str, path: &Path, failing: bool) -> Result<(), String> {
    let doc = load_fixture(path)?;
    let text = doc.source.clone();
    let report = pipeline.check_document(doc, None, &mut Timings::default());
    let outcome = report.outcomes.iter().find(|o| o.rule == id);
    let got = pointers_of(report.findings.iter(), id);
    if failing {
        return expect_declared_in(text.text(), id, &got);
    }
    match outcome.map(|o| &o.status) {
        Some(OutcomeStatus::Passed) => Ok(()),
        Some(OutcomeStatus::Failed(_)) => Err(format!("the rule fired at {got:?}")),
        Some(OutcomeStatus::NotApplicable(reason)) => Err(format!("not applicable: {}", reason.en)),
        None => {
            Err("the rule is not in force for this fixture (dates, kind or profile)".to_owned())
        }
    }
}

/// The report of a test run, one line per rule and one per problem.
#[must_use]
pub fn render(results: &[RuleResult]) -> String {
    let mut out = String::new();
    let mut passed = 0;
    for r in results {
        let count = r.fixtures.len();
        if r.ok() {
            passed += 1;
            out.push_str(&format!("ok      {:<10} {count} fixture(s)\n", r.id));
            continue;
        }
        out.push_str(&format!("FAILED  {:<10} {count} fixture(s)\n", r.id));
        for m in &r.missing {
            out.push_str(&format!("        no {m}*.yaml fixture\n"));
        }
        for f in r.fixtures.iter().filter(|f| f.problem.is_some()) {
            out.push_str(&format!(
                "        {}: {}\n",
                f.path.display(),
                f.problem.as_deref().unwrap_or("")
            ));
        }
    }
    out.push_str(&format!(
        "{} passed, {} failed\n",
        passed,
        results.len() - passed
    ));
    out
}
