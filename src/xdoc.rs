//! Cross-document rules, over all the submissions of a run (a submission repository):
//!
//! - XDOC-001: the same tenant USCC is active (入驻) in two parks at the same `as_of`;
//! - XDOC-002: two submissions share a park name or a platform id for the same `as_of`.
//!
//! Each conflict is reported in every file it involves, at the value, with the other places as
//! related locations. They run after every file is checked, on the facts each report keeps.

use std::collections::{BTreeMap, HashMap};

use crate::check::{FileReport, sort};
use crate::facts::Located;
use crate::finding::{Citation, Confidence, Finding, Related, Severity};
use crate::text::Text;

/// The rule ids of the cross-document checks.
pub const RULES: &[&str] = &["XDOC-001", "XDOC-002"];

/// The other places listed with a finding (a code shared by hundreds of files would otherwise
/// make the report quadratic in size); the message still counts them all.
const MAX_RELATED: usize = 10;

/// One place a value occurs: the report's index and where in it.
#[derive(Clone, Copy)]
struct Place<'a> {
    report: usize,
    at: &'a Located,
}

/// Adds the cross-document findings to `reports`; `as_of` overrides each submission's date
/// (as `check --as-of` does).
pub fn check(reports: &mut [FileReport], as_of: Option<&str>) {
    let mut new: Vec<(usize, Finding)> = Vec::new();
    {
        // Hashed, not ordered: 150 000 tenants in a run of 1 000 parks, and the order of the
        // conflicts does not matter (each report's findings are sorted below).
        let mut tenants: HashMap<(&str, &str), Vec<Place<'_>>> = HashMap::new();
        let mut names: BTreeMap<(&str, &str), Vec<Place<'_>>> = BTreeMap::new();
        let mut ids: BTreeMap<(&str, &str), Vec<Place<'_>>> = BTreeMap::new();
        for (report, r) in reports.iter().enumerate() {
            let Some(facts) = r.facts.as_deref() else {
                continue;
            };
            let Some(date) = as_of.or(facts.as_of.as_deref()) else {
                continue;
            };
            for t in facts.tenants.iter().filter(|t| t.active) {
                let places = tenants.entry((date, &t.uscc.value)).or_default();
                // The same code twice in one park is that park's own problem, not a conflict.
                if !places.iter().any(|p| p.report == report) {
                    places.push(Place {
                        report,
                        at: &t.uscc,
                    });
                }
            }
            if let Some(name) = &facts.name {
                names
                    .entry((date, &name.value))
                    .or_default()
                    .push(Place { report, at: name });
            }
            if let Some(id) = &facts.platform_id {
                ids.entry((date, &id.value))
                    .or_default()
                    .push(Place { report, at: id });
            }
        }
        let name_of = |report: usize| -> String {
            reports
                .get(report)
                .and_then(|r| r.facts.as_deref())
                .and_then(|f| f.name.as_ref())
                .map_or_else(|| "?".to_owned(), |n| n.value.clone())
        };
        // Two files of one park (sharing a platform id or a name: XDOC-002) would otherwise
        // repeat every tenant as XDOC-001; the duplicate submission is the one problem.
        let same_park = |a: usize, b: usize| {
            let facts = |i: usize| reports.get(i).and_then(|r| r.facts.as_deref());
            let (Some(a), Some(b)) = (facts(a), facts(b)) else {
                return false;
            };
            let same = |x: &Option<Located>, y: &Option<Located>| matches!((x, y), (Some(x), Some(y)) if x.value == y.value);
            same(&a.platform_id, &b.platform_id) || same(&a.name, &b.name)
        };
        // The conflicts (rare) in a stable order, whatever the hasher.
        let mut conflicts: Vec<(&(&str, &str), &Vec<Place<'_>>)> = tenants
            .iter()
            .filter(|(_, places)| places.len() > 1)
            .collect();
        conflicts.sort_unstable_by_key(|(key, _)| **key);
        for ((date, uscc), places) in conflicts {
            let one_park = places
                .iter()
                .all(|a| places.iter().all(|b| same_park(a.report, b.report)));
            if one_park {
                continue;
            }
            conflict(
                reports,
                places,
                &mut new,
                |others| {
                    let mut parks: Vec<String> = others
                        .iter()
                        .take(MAX_RELATED)
                        .map(|p| name_of(p.report))
                        .collect();
                    if others.len() > MAX_RELATED {
                        parks.push("…".to_owned());
                    }
                    (
                        "XDOC-001",
                        Text::new(
                            format!(
                                "统一社会信用代码为 {uscc} 的企业在 {date} 同时在另外 {} 个园区（{}）为入驻状态",
                                others.len(),
                                parks.join("、")
                            ),
                            format!(
                                "the tenant with USCC {uscc} is also present (入驻) on {date} in {} other park(s): {}",
                                others.len(),
                                parks.join(", ")
                            ),
                        ),
                    )
                },
                |other| {
                    Text::new(
                        format!("该企业亦入驻「{}」", name_of(other.report)),
                        format!("also present in {}", name_of(other.report)),
                    )
                },
            );
        }
        for (what, map) in [("name", &names), ("platform_id", &ids)] {
            let (zh, en) = if what == "name" {
                ("园区名称", "park name")
            } else {
                ("备案平台编号", "platform id")
            };
            for ((date, value), places) in map {
                conflict(
                    reports,
                    places,
                    &mut new,
                    |others| {
                        (
                            "XDOC-002",
                            Text::new(
                                format!(
                                    "{zh}「{value}」与另外 {} 份同日期（{date}）的提交文件重复",
                                    others.len()
                                ),
                                format!(
                                    "the {en} `{value}` is also used by {} other submission(s) for the same date {date}",
                                    others.len()
                                ),
                            ),
                        )
                    },
                    |_| Text::new(format!("同一{zh}"), format!("the same {en}")),
                );
            }
        }
    }
    let touched: std::collections::BTreeSet<usize> = new.iter().map(|(i, _)| *i).collect();
    for (report, finding) in new {
        if let Some(r) = reports.get_mut(report) {
            r.findings.push(finding);
        }
    }
    for report in touched {
        if let Some(r) = reports.get_mut(report) {
            sort(&mut r.findings);
        }
    }
}

/// When a value occurs in more than one report, a finding in each, pointing at the others.
fn conflict<'a>(
    reports: &[FileReport],
    places: &[Place<'a>],
    new: &mut Vec<(usize, Finding)>,
    describe: impl Fn(&[Place<'a>]) -> (&'static str, Text),
    label: impl Fn(&Place<'a>) -> Text,
) {
    if places.len() < 2 {
        return;
    }
    for (i, place) in places.iter().enumerate() {
        let others: Vec<Place<'a>> = places
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| *p)
            .collect();
        let (rule, message) = describe(&others);
        let mut finding = Finding::new(rule, Severity::Error, message)
            .at(place.at.pointer.clone(), Some(place.at.span))
            .with_help(Some(help(rule)));
        finding.citation = Some(citation(rule));
        finding.related = others
            .iter()
            .take(MAX_RELATED)
            .map(|other| Related {
                file: reports
                    .get(other.report)
                    .map_or_else(String::new, |r| r.source.name().to_owned()),
                pointer: Some(other.at.pointer.clone()),
                line: Some(other.at.line),
                column: Some(other.at.column),
                message: label(other),
            })
            .collect();
        new.push((place.report, finding));
    }
}

fn citation(rule: &str) -> Citation {
    Citation {
        rulebook: "cross-document".to_owned(),
        document: Text::new(
            "同一批提交文件（跨文件核对）",
            "the set of submissions (checked across files)",
        ),
        clause: if rule == "XDOC-001" {
            "一家企业在同一时点只能入驻一个园区（避免重复统计）".to_owned()
        } else {
            "一个园区对应一个名称和一个备案平台编号".to_owned()
        },
        confidence: Confidence::Derived,
    }
}

fn help(rule: &str) -> Text {
    if rule == "XDOC-001" {
        Text::new(
            "核对该企业实际入驻的园区：已迁出的园区应将其状态改为“退出”并填写退出日期；统一社会信用代码填错的予以更正。",
            "Find the park the tenant is really in: the park it left marks it 退出 with its exit date; a mistyped USCC is corrected.",
        )
    } else {
        Text::new(
            "同一园区只应提交一份同日期的文件；不同园区的名称或平台编号重复时，按备案信息更正。",
            "One park sends one submission per date; when different parks share a name or platform id, correct it from the filing record.",
        )
    }
}
