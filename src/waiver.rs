//! Waivers: decisions a reviewer records that a finding is accepted, for one park, until a date.
//!
//! ```yaml
//! waivers:
//!   - rule: FORM-016
//!     park: "ZJ-JX-2021-0042"          # park.filing.platform_id, or a path relative to this file
//!     pointer: /buildings/rent_yuan_per_m2_day   # optional: only there (and inside it)
//!     reason: 租金含物业费，经核实属实
//!     approved_by: 平湖市经信局 张三
//!     document: 平经信〔2026〕7号
//!     expires: 2026-06-30                # optional: the last day it applies
//! ```
//!
//! A waived finding stays in the report with [`Suppression::Waived`] and does not count toward
//! failure. A waiver past its date stops waiving: the finding counts again and says why, and
//! the entry gets a `WAIVER-EXPIRED` warning. An entry that matches nothing gets
//! `WAIVER-UNUSED`. The file is loaded like rulebooks and profiles (same loader, same limits)
//! and every problem of it is reported at once, with its position.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::document::load_path;
use crate::document::{Document, Limits, Node, Pointer, Value};
use crate::finding::{FileReport, sort};
use crate::finding::{Finding, Related, Severity, Suppression};
use crate::rulebook::RuleSet;
use crate::schema::{GENERIC_RULE, Schema};
use crate::source::{SourceFile, Span};
use crate::text::Text;

/// The waiver file schema, as shipped in the binary.
pub const WAIVERS_SCHEMA: &str = include_str!("../schemas/waivers.schema.json");
/// The waiver file looked for beside the submissions when `--waivers` is not given.
pub const DEFAULT_FILE: &str = "parkcheck.waivers.yaml";
/// The rule id of problems in a waiver file (which stop the run, like a broken profile).
pub const WAIVER_RULE: &str = "WAIVER";
/// A waiver past its `expires` date.
pub const EXPIRED_RULE: &str = "WAIVER-EXPIRED";
/// A waiver that matched no finding.
pub const UNUSED_RULE: &str = "WAIVER-UNUSED";

/// One entry of a waiver file.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub rule: String,
    /// A platform id or a path, as written.
    pub park: String,
    /// The file `park` names, resolved against the waiver file's directory, when it exists.
    park_path: Option<PathBuf>,
    pub pointer: Option<Pointer>,
    pub reason: String,
    pub approved_by: String,
    pub document: Option<String>,
    pub expires: Option<Date>,
    /// The entry's position in the list.
    pub index: usize,
    /// Where notes about the entry point: the `rule` value, and the `expires` value.
    rule_span: Span,
    expires_span: Option<Span>,
}

impl Waiver {
    /// Whether the waiver no longer applies on `today` (it applies through its `expires` day).
    #[must_use]
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|d| today > d)
    }

    /// Whether a finding at `pointer` is inside the waiver's scope: at its pointer or below it
    /// (token by token: `/tenants/1` covers `/tenants/1/uscc`, not `/tenants/10`).
    fn covers(&self, pointer: Option<&Pointer>) -> bool {
        let Some(scope) = &self.pointer else {
            return true;
        };
        let Some(pointer) = pointer else {
            return false;
        };
        let mut inner = pointer.tokens();
        scope.tokens().all(|t| inner.next().is_some_and(|u| u == t))
    }

    /// The pointer's length in tokens: a longer one is more specific.
    fn specificity(&self) -> usize {
        self.pointer.as_ref().map_or(0, |p| p.tokens().count() + 1)
    }
}

/// A loaded waiver file.
#[derive(Debug, Clone)]
pub struct WaiverFile {
    pub source: SourceFile,
    pub waivers: Vec<Waiver>,
}

/// The rule ids a waiver may name: the rules of `rules`, the catalogue ids the submission
/// schema enforces (`x-rule`) and `SCHEMA`. Without rules (`--no-rules`), any id is accepted.
#[must_use]
pub fn known_rules(rules: Option<&RuleSet>, submission: &Schema) -> Option<BTreeSet<String>> {
    let rules = rules?;
    let mut known: BTreeSet<String> = rules.rules().map(|(_, r)| r.id.clone()).collect();
    known.insert(GENERIC_RULE.to_owned());
    let mut stack = vec![submission.json()];
    while let Some(node) = stack.pop() {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(id)) = map.get("x-rule") {
                    known.insert(id.clone());
                }
                stack.extend(map.values());
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    Some(known)
}

/// The default waiver files for the paths given to `check`: `parkcheck.waivers.yaml` in each
/// directory given, or in the directory of each file given, when it exists; each file once.
#[must_use]
pub fn default_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut seen = BTreeSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            continue;
        }
        let dir = if path.is_dir() {
            path.as_path()
        } else {
            path.parent().unwrap_or(Path::new(""))
        };
        let candidate = dir.join(DEFAULT_FILE);
        if candidate.is_file() {
            let key = std::fs::canonicalize(&candidate).unwrap_or_else(|_| candidate.clone());
            if seen.insert(key) {
                found.push(candidate);
            }
        }
    }
    found
}

/// Today's date in China Standard Time (UTC+8: the bureaus' calendar, whatever the machine's
/// time zone), or `fixed` (`YYYY-MM-DD`) when given, for reproducible runs.
///
/// # Errors
/// When `fixed` is not a calendar date.
pub fn today(fixed: Option<&str>) -> Result<Date, String> {
    match fixed {
        Some(text) => crate::domain::dates::parse_date(text),
        None => {
            let cst = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
            Ok(cst.to_datetime(jiff::Timestamp::now()).date())
        }
    }
}

impl WaiverFile {
    /// Loads a waiver file and checks it: its shape, its dates and pointers, that each rule id
    /// is one of `known` (when given) and that no entry repeats another.
    ///
    /// # Errors
    /// A report with every problem of the file.
    pub fn load(
        path: &Path,
        limits: &Limits,
        known: Option<&BTreeSet<String>>,
    ) -> Result<Self, FileReport> {
        let doc = load_path(path, limits)?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        Self::from_document(&doc, dir, known)
    }

    /// Reads the waivers of a loaded document; `dir` is where paths in `park` start from.
    ///
    /// # Errors
    /// As [`WaiverFile::load`].
    pub fn from_document(
        doc: &Document,
        dir: &Path,
        known: Option<&BTreeSet<String>>,
    ) -> Result<Self, FileReport> {
        let schema = Schema::compile(WAIVERS_SCHEMA, WAIVER_RULE).map_err(|e| {
            let f = Finding::new(
                WAIVER_RULE,
                Severity::Error,
                Text::new(e.to_string(), e.to_string()),
            );
            FileReport::failed(doc.source.clone(), vec![f])
        })?;
        let mut findings = schema.check(doc);
        let mut waivers = Vec::new();
        if let Some(Value::Seq(items)) = doc.root.get("waivers").map(|n| &n.value) {
            let mut seen: HashMap<(String, String, Option<Pointer>), usize> = HashMap::new();
            for (index, item) in items.iter().enumerate() {
                let at = Pointer::root().join("waivers").join(&index.to_string());
                // A rule id that is not even of the form of one (`FORM-18`, `form-018`): the
                // schema says so; the help says which id was meant.
                let rule_at = at.join("rule");
                if let (Some(f), Some(Value::Str(rule))) = (
                    findings
                        .iter_mut()
                        .find(|f| f.pointer.as_ref() == Some(&rule_at)),
                    item.get("rule").map(|n| &n.value),
                ) {
                    if let Some(near) = rule_suggestion(rule, known) {
                        f.help = Some(did_you_mean_text(&near));
                    }
                }
                let reported = |field: &str| {
                    let p = at.join(field);
                    findings.iter().any(|f| f.pointer.as_ref() == Some(&p))
                };
                let waiver = read(item, index, dir);
                let Some(waiver) = waiver else { continue };
                let mut problems = Vec::new();
                if let Some(known) = known {
                    if !known.contains(&waiver.rule) && !reported("rule") {
                        problems.push(unknown_rule(&waiver, &at, known));
                    }
                }
                if let Some(Value::Str(text)) = item.get("expires").map(|n| &n.value) {
                    if let Err(e) = crate::domain::dates::parse_date(text) {
                        if !reported("expires") {
                            problems.push(
                                Finding::new(
                                    WAIVER_RULE,
                                    Severity::Error,
                                    Text::new(
                                        format!("有效期至（expires）「{text}」不是有效日期"),
                                        format!("`expires`: {e}"),
                                    ),
                                )
                                .at(at.join("expires"), waiver.expires_span),
                            );
                        }
                    }
                }
                let key = (
                    waiver.rule.clone(),
                    waiver.park.clone(),
                    waiver.pointer.clone(),
                );
                if let Some(first) = seen.get(&key) {
                    problems.push(
                        Finding::new(
                            WAIVER_RULE,
                            Severity::Error,
                            Text::new(
                                format!(
                                    "第 {} 项豁免与第 {} 项重复（规则、园区与字段位置相同）",
                                    index + 1,
                                    first + 1
                                ),
                                format!(
                                    "waiver {} repeats waiver {} (same rule, park and pointer)",
                                    index + 1,
                                    first + 1
                                ),
                            ),
                        )
                        .at(at.join("rule"), Some(waiver.rule_span))
                        .with_help(Some(Text::new(
                            "续期请修改原有一项的 expires 与 document，而不是另加一项",
                            "to renew a waiver, update the expires and document of the existing entry instead of adding another",
                        ))),
                    );
                } else {
                    seen.insert(key, index);
                }
                if problems.is_empty() {
                    waivers.push(waiver);
                }
                findings.extend(problems);
            }
        }
        if findings.is_empty() {
            Ok(Self {
                source: doc.source.clone(),
                waivers,
            })
        } else {
            Err(FileReport::failed(doc.source.clone(), findings))
        }
    }
}

/// One entry, when the fields that make it usable are present and well-formed (the schema has
/// reported the others).
fn read(item: &Node, index: usize, dir: &Path) -> Option<Waiver> {
    let text = |key: &str| match item.get(key).map(|n| &n.value) {
        Some(Value::Str(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let rule_span = item.get("rule")?.span;
    let park = text("park")?;
    let pointer = match text("pointer") {
        Some(p) => Some(Pointer::parse(&p)?),
        None if item.get("pointer").is_some() => Some(Pointer::root()),
        None => None,
    };
    let expires = match text("expires") {
        Some(d) => crate::domain::dates::parse_date(&d).ok(),
        None => None,
    };
    Some(Waiver {
        rule: text("rule")?,
        park_path: std::fs::canonicalize(dir.join(&park)).ok(),
        park,
        pointer,
        reason: text("reason")?,
        approved_by: text("approved_by")?,
        document: text("document"),
        expires,
        index,
        rule_span,
        expires_span: item.get("expires").map(|n| n.span),
    })
}

/// The rule id a mistyped one most likely means: the same id written the usual way (upper
/// case, ASCII hyphen, three digits: `form－18` → `FORM-018`) when that is a known id (or,
/// without rules, has the form of one), else the nearest known id.
fn rule_suggestion(rule: &str, known: Option<&BTreeSet<String>>) -> Option<String> {
    let normal = crate::catalogue::normal_id(rule);
    let shaped = {
        let (prefix, digits) = normal.rsplit_once('-').unwrap_or((&normal, "000"));
        !prefix.is_empty()
            && prefix.chars().all(|c| c.is_ascii_uppercase() || c == '-')
            && digits.len() == 3
            && digits.chars().all(|c| c.is_ascii_digit())
    };
    match known {
        Some(known) if known.contains(&normal) => Some(normal),
        Some(known) => {
            let ids: Vec<&str> = known.iter().map(String::as_str).collect();
            crate::schema::did_you_mean(&normal, &ids).map(str::to_owned)
        }
        None => (shaped && normal != rule).then_some(normal),
    }
}

fn did_you_mean_text(near: &str) -> Text {
    Text::new(
        format!("是否想写「{near}」？"),
        format!("did you mean `{near}`?"),
    )
}

fn unknown_rule(waiver: &Waiver, at: &Pointer, known: &BTreeSet<String>) -> Finding {
    let rule = &waiver.rule;
    Finding::new(
        WAIVER_RULE,
        Severity::Error,
        Text::new(
            format!("未知规则「{rule}」"),
            format!("unknown rule `{rule}`"),
        ),
    )
    .at(at.join("rule"), Some(waiver.rule_span))
    .with_help(Some(match rule_suggestion(rule, Some(known)) {
        Some(near) => did_you_mean_text(&near),
        None => Text::new(
            "规则编号见 `parkcheck rules list`",
            "see `parkcheck rules list` for the rule ids",
        ),
    }))
}

/// The park a report is about: its platform id and its file.
struct Park {
    platform_id: Option<String>,
    path: Option<PathBuf>,
}

impl Park {
    fn of(report: &FileReport, need_path: bool) -> Self {
        Self {
            platform_id: report
                .facts
                .as_ref()
                .and_then(|f| f.platform_id.as_ref())
                .map(|l| l.value.clone()),
            path: need_path
                .then(|| std::fs::canonicalize(report.source.name()).ok())
                .flatten(),
        }
    }

    fn is(&self, waiver: &Waiver) -> bool {
        self.platform_id.as_deref() == Some(waiver.park.as_str())
            || (waiver.park_path.is_some() && self.path == waiver.park_path)
    }
}

/// What happened to one waiver over a run.
#[derive(Default)]
struct Use {
    /// Some checked file is the waiver's park.
    park_seen: bool,
    /// It matched at least one finding.
    matched: bool,
    /// The findings that count again because it expired.
    counted_again: Vec<Related>,
}

/// Applies the waivers of `files` to the findings of `reports` as of `today`, and returns a
/// report for each waiver file that has something to say (expired or unused entries).
#[must_use]
pub fn apply(files: &[WaiverFile], reports: &mut [FileReport], today: Date) -> Vec<FileReport> {
    let mut uses: Vec<Vec<Use>> = files
        .iter()
        .map(|f| f.waivers.iter().map(|_| Use::default()).collect())
        .collect();
    let need_path = files
        .iter()
        .flat_map(|f| &f.waivers)
        .any(|w| w.park_path.is_some());
    for report in reports.iter_mut().filter(|r| !r.unreadable) {
        let park = Park::of(report, need_path);
        let mine: Vec<(usize, &Waiver)> = files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.waivers.iter().map(move |w| (i, w)))
            .filter(|(_, w)| park.is(w))
            .collect();
        for &(file, waiver) in &mine {
            if let Some(u) = uses.get_mut(file).and_then(|u| u.get_mut(waiver.index)) {
                u.park_seen = true;
            }
        }
        let source = report.source.clone();
        for finding in report
            .findings
            .iter_mut()
            .filter(|f| f.suppression.is_none())
        {
            let matching: Vec<&(usize, &Waiver)> = mine
                .iter()
                .filter(|(_, w)| w.rule == finding.rule && w.covers(finding.pointer.as_ref()))
                .collect();
            for (file, waiver) in &matching {
                if let Some(u) = uses.get_mut(*file).and_then(|u| u.get_mut(waiver.index)) {
                    u.matched = true;
                }
            }
            let active = matching
                .iter()
                .filter(|(_, w)| !w.expired(today))
                .max_by_key(|(_, w)| (w.specificity(), std::cmp::Reverse(w.index)));
            if let Some((file, waiver)) = active {
                let Some(wf) = files.get(*file) else { continue };
                let line = wf.source.line_col(waiver.rule_span.start).line;
                finding.suppression = Some(Suppression::Waived {
                    reason: waiver.reason.clone(),
                    approved_by: waiver.approved_by.clone(),
                    document: waiver.document.clone(),
                    expires: waiver.expires.map(|d| d.to_string()),
                    waiver: format!("{}:{line}", wf.source.name()),
                });
                continue;
            }
            for (file, waiver) in matching {
                let (Some(wf), Some(expires)) = (files.get(*file), waiver.expires) else {
                    continue;
                };
                let at = waiver.expires_span.unwrap_or(waiver.rule_span);
                let place = wf.source.line_col(at.start);
                finding.related.push(Related {
                    file: wf.source.name().to_owned(),
                    pointer: Some(waiver_pointer(waiver).join("expires")),
                    line: Some(place.line),
                    column: Some(place.column),
                    message: Text::new(
                        format!("豁免已于 {expires} 到期，此问题重新计入"),
                        format!("the waiver expired on {expires}; this finding counts again"),
                    ),
                });
                let here = finding.span.map(|s| source.locate(s.start));
                if let Some(u) = uses.get_mut(*file).and_then(|u| u.get_mut(waiver.index)) {
                    u.counted_again.push(Related {
                        file: source.name().to_owned(),
                        pointer: finding.pointer.clone(),
                        line: here.as_ref().map(|h| h.line),
                        column: here.as_ref().map(|h| h.column),
                        message: Text::new(
                            format!("{} 重新计入", finding.rule),
                            format!("{} counts again", finding.rule),
                        ),
                    });
                }
            }
        }
    }
    files
        .iter()
        .zip(uses)
        .filter_map(|(file, uses)| {
            let mut findings: Vec<Finding> = file
                .waivers
                .iter()
                .zip(uses)
                .filter_map(|(w, u)| note(w, u, today))
                .collect();
            if findings.is_empty() {
                return None;
            }
            sort(&mut findings);
            Some(FileReport {
                source: file.source.clone(),
                findings,
                outcomes: Vec::new(),
                unreadable: false,
                facts: None,
            })
        })
        .collect()
}

fn waiver_pointer(waiver: &Waiver) -> Pointer {
    Pointer::root()
        .join("waivers")
        .join(&waiver.index.to_string())
}

/// `rule` for `park` (at `pointer`), for messages.
fn what(w: &Waiver) -> Text {
    let at = w
        .pointer
        .as_ref()
        .map_or_else(String::new, |p| p.to_string());
    Text::new(
        format!(
            "{}，园区 {}{}",
            w.rule,
            w.park,
            if at.is_empty() {
                String::new()
            } else {
                format!("，位置 {at}")
            }
        ),
        format!(
            "{} for park {}{}",
            w.rule,
            w.park,
            if at.is_empty() {
                String::new()
            } else {
                format!(" at {at}")
            }
        ),
    )
}

/// The finding about a waiver entry after a run: expired, or unused.
fn note(w: &Waiver, u: Use, today: Date) -> Option<Finding> {
    let what = what(w);
    let at = waiver_pointer(w);
    if let Some(expires) = w.expires.filter(|_| w.expired(today)) {
        let again = u.counted_again.len();
        let mut f = Finding::new(
            EXPIRED_RULE,
            Severity::Warning,
            Text::new(
                format!(
                    "豁免已于 {expires} 到期（{}）{}",
                    what.zh,
                    if again > 0 {
                        format!("，{again} 项问题重新计入")
                    } else {
                        String::new()
                    }
                ),
                format!(
                    "waiver expired on {expires} ({}){}",
                    what.en,
                    if again > 0 {
                        format!("; {again} finding(s) count again")
                    } else {
                        String::new()
                    }
                ),
            ),
        )
        .at(at.join("expires"), w.expires_span)
        .with_label(Text::new("已到期", "expired"))
        .with_help(Some(Text::new(
            "续期请更新 expires 并填写新的批准文号（document）；问题已整改的请删除此项",
            "to renew it, update expires and the new approval's document number; if the finding is fixed, remove the entry",
        )));
        f.related = u.counted_again;
        return Some(f);
    }
    if u.matched {
        return None;
    }
    let (severity, message, help) = if u.park_seen {
        (
            Severity::Warning,
            Text::new(
                format!("豁免未匹配任何问题（{}）", what.zh),
                format!("waiver matches no finding ({})", what.en),
            ),
            Text::new(
                "问题可能已整改，可删除此项；否则请核对规则编号与字段位置（pointer）",
                "the finding may be fixed: remove the entry; otherwise check the rule id and the pointer",
            ),
        )
    } else {
        (
            Severity::Info,
            Text::new(
                format!("本次检查的文件中没有豁免所指的园区（{}）", what.zh),
                format!(
                    "no file checked in this run is the waiver's park ({})",
                    what.en
                ),
            ),
            Text::new(
                "park 填平台备案编号（park.filing.platform_id），或申报文件相对本豁免清单所在目录的路径",
                "park is the platform id (park.filing.platform_id), or the submission's path relative to the waiver file's directory",
            ),
        )
    };
    Some(
        Finding::new(UNUSED_RULE, severity, message)
            .at(at.join("rule"), Some(w.rule_span))
            .with_label(Text::new("未使用", "unused"))
            .with_help(Some(help)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Syntax, load_bytes};

    fn file(text: &str, known: Option<&BTreeSet<String>>) -> Result<WaiverFile, FileReport> {
        let doc = load_bytes(
            "w.yaml",
            text.as_bytes().to_vec(),
            Syntax::Yaml,
            &Limits::default(),
        )
        .unwrap();
        WaiverFile::from_document(&doc, Path::new("."), known)
    }

    #[test]
    fn a_mistyped_rule_id_gets_the_id_it_means() {
        let known: BTreeSet<String> = ["FORM-018", "FORM-016", "SIZE-001"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        for (typed, meant) in [
            ("FORM-18", "FORM-018"),
            ("form-018", "FORM-018"),
            ("FORM－018", "FORM-018"),
            ("FORM-81", "FORM-018"),
        ] {
            let text =
                format!("waivers:\n- {{rule: \"{typed}\", park: P, reason: r, approved_by: a}}\n");
            let report = file(&text, Some(&known)).unwrap_err();
            let help = report.findings[0].help.as_ref().unwrap();
            assert_eq!(help.en, format!("did you mean `{meant}`?"), "{typed}");
        }
        // Without rules to compare with, the form alone.
        let report = file(
            "waivers:\n- {rule: FORM-18, park: P, reason: r, approved_by: a}\n",
            None,
        )
        .unwrap_err();
        assert_eq!(
            report.findings[0].help.as_ref().unwrap().en,
            "did you mean `FORM-018`?"
        );
    }

    #[test]
    fn pointers_cover_by_token() {
        let w = file(
            "waivers:\n- {rule: FORM-018, park: P, pointer: /tenants/1, reason: r, approved_by: a}\n",
            None,
        )
        .unwrap();
        let w = &w.waivers[0];
        let p = |s: &str| Pointer::parse(s).unwrap();
        assert!(w.covers(Some(&p("/tenants/1"))));
        assert!(w.covers(Some(&p("/tenants/1/uscc"))));
        assert!(!w.covers(Some(&p("/tenants/10"))));
        assert!(!w.covers(Some(&p("/tenants"))));
        assert!(!w.covers(None));
    }

    #[test]
    fn expiry_is_inclusive() {
        let w = file(
            "waivers:\n- {rule: FORM-018, park: P, reason: r, approved_by: a, expires: 2026-06-30}\n",
            None,
        )
        .unwrap();
        let w = &w.waivers[0];
        let d = |s: &str| crate::domain::dates::parse_date(s).unwrap();
        assert!(!w.expired(d("2026-06-30")));
        assert!(w.expired(d("2026-07-01")));
    }

    #[test]
    fn the_bundled_schema_compiles() {
        assert!(Schema::compile(WAIVERS_SCHEMA, WAIVER_RULE).is_ok());
    }

    #[test]
    fn a_fixed_today_must_be_a_date() {
        assert!(today(Some("2026-02-30")).is_err());
        assert_eq!(today(Some("2026-02-28")).unwrap().to_string(), "2026-02-28");
        assert!(today(None).is_ok());
    }
}
