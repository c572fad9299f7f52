//! Cross-document rules, over all the submissions of a run (a submission repository):
//!
//! - XDOC-001: the same tenant USCC is active (入驻) in two parks at the same `as_of`;
//! - XDOC-002: two submissions share a park name or a platform id for the same `as_of`.
//!
//! Each conflict is reported in every file it involves, at the value, with the other places as
//! related locations. They run after every file is checked, on the facts each report keeps.

use std::collections::BTreeMap;

use rayon::slice::ParallelSliceMut;

use crate::facts::{Located, ParkFacts};
use crate::finding::{Citation, Confidence, Finding, Related, Severity};
use crate::finding::{FileReport, sort};
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
        let mut names: BTreeMap<(&str, &str), Vec<Place<'_>>> = BTreeMap::new();
        let mut ids: BTreeMap<(&str, &str), Vec<Place<'_>>> = BTreeMap::new();
        for (report, r) in reports.iter().enumerate() {
            let Some((date, facts)) = dated(r, as_of) else {
                continue;
            };
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
        for ((date, uscc), places) in tenant_conflicts(reports, as_of) {
            let one_park = places
                .iter()
                .all(|a| places.iter().all(|b| same_park(a.report, b.report)));
            if one_park {
                continue;
            }
            conflict(
                reports,
                &places,
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

/// The tenant codes active in more than one report for the same date, each with its places
/// (one per report, the first in the file), ordered by date and code.
///
/// 150 000 tenants in a run of 1 000 parks, after the parallel checks: a hash table of them all
/// (with a `Vec` per code) kept one thread busy for a twentieth of that run, much of it the
/// kernel zeroing the table's fresh pages. Instead, each code's hash comes with the facts
/// (computed in parallel), the `(hash, report, tenant)` triples are sorted (in parallel too),
/// and the places with equal hashes are compared as text — by date and code, so a collision
/// or the same code on another date only costs a comparison.
fn tenant_conflicts<'a>(
    reports: &'a [FileReport],
    as_of: Option<&'a str>,
) -> Vec<((&'a str, &'a str), Vec<Place<'a>>)> {
    let mut keys: Vec<(u64, u32, u32)> = Vec::new();
    for (report, r) in reports.iter().enumerate() {
        let Some((_, facts)) = dated(r, as_of) else {
            continue;
        };
        for (index, t) in facts.tenants.iter().enumerate().filter(|(_, t)| t.active) {
            let (Ok(report), Ok(index)) = (u32::try_from(report), u32::try_from(index)) else {
                continue;
            };
            keys.push((t.uscc_hash, report, index));
        }
    }
    keys.par_sort_unstable();
    let place = |&(_, report, index): &(u64, u32, u32)| {
        let (date, facts) = dated(reports.get(report as usize)?, as_of)?;
        let tenant = facts.tenants.get(index as usize)?;
        Some((
            (date, tenant.uscc.value.as_str()),
            Place {
                report: report as usize,
                at: &tenant.uscc,
            },
        ))
    };
    let mut conflicts: Vec<((&str, &str), Vec<Place<'_>>)> = Vec::new();
    for same_hash in keys.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        // In report order; a code twice in one park is that park's own problem, not a
        // conflict, so each report counts once (its places are adjacent: the last one tells).
        let mut groups: Vec<((&str, &str), Vec<Place<'_>>)> = Vec::new();
        for (key, place) in same_hash.iter().filter_map(place) {
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, places)) if places.last().is_some_and(|p| p.report == place.report) => {}
                Some((_, places)) => places.push(place),
                None => groups.push((key, vec![place])),
            }
        }
        conflicts.extend(groups.into_iter().filter(|(_, places)| places.len() > 1));
    }
    conflicts.sort_unstable_by_key(|(key, _)| *key);
    conflicts
}

/// A report's facts and the date they are compared at (`as_of` overrides the submission's).
fn dated<'a>(report: &'a FileReport, as_of: Option<&'a str>) -> Option<(&'a str, &'a ParkFacts)> {
    let facts = report.facts.as_deref()?;
    Some((as_of.or(facts.as_of.as_deref())?, facts))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Pointer;
    use crate::facts::{ParkFacts, Tenant, code_hash};
    use crate::source::{SourceFile, Span};

    fn located(value: &str, pointer: &str) -> Located {
        Located {
            value: value.to_owned(),
            pointer: Pointer::parse(pointer).unwrap(),
            line: 1,
            column: 1,
            span: Span::new(0, 0),
        }
    }

    /// A report of park `name` on `as_of` with `(code, active)` tenants; `hash` gives each
    /// code's hash (to force collisions).
    fn park(
        name: &str,
        as_of: &str,
        tenants: &[(&str, bool)],
        hash: impl Fn(&str) -> u64,
    ) -> FileReport {
        let tenants = tenants
            .iter()
            .enumerate()
            .map(|(i, (code, active))| Tenant {
                name: None,
                uscc: located(code, &format!("/tenants/{i}/uscc")),
                active: *active,
                uscc_hash: hash(code),
            })
            .collect();
        FileReport {
            source: SourceFile::new(format!("{name}.yaml"), ""),
            findings: Vec::new(),
            outcomes: Vec::new(),
            unreadable: false,
            facts: Some(Box::new(ParkFacts {
                name: Some(located(name, "/park/name")),
                platform_id: None,
                as_of: Some(as_of.to_owned()),
                tenants,
                metrics: BTreeMap::new(),
                ..ParkFacts::default()
            })),
        }
    }

    /// A conflict as `(date, code, [(report, tenant pointer)])`.
    type Conflict = (String, String, Vec<(usize, String)>);

    fn conflicts(reports: &[FileReport], as_of: Option<&str>) -> Vec<Conflict> {
        tenant_conflicts(reports, as_of)
            .into_iter()
            .map(|((date, code), places)| {
                let places = places
                    .iter()
                    .map(|p| (p.report, p.at.pointer.to_string()))
                    .collect();
                (date.to_owned(), code.to_owned(), places)
            })
            .collect()
    }

    #[test]
    fn a_code_active_in_several_parks_on_one_date_is_one_conflict_in_report_order() {
        let reports = [
            park("a", "2025-12-31", &[("X1", true), ("Y", true)], code_hash),
            park("b", "2025-12-31", &[("Z", true), ("X1", true)], code_hash),
            park("c", "2025-12-31", &[("X1", true), ("X1", true)], code_hash),
            park("d", "2025-12-31", &[("Y", false)], code_hash),
        ];
        assert_eq!(
            conflicts(&reports, None),
            [(
                "2025-12-31".to_owned(),
                "X1".to_owned(),
                // Park c lists the code twice: that is its own problem, one place here.
                vec![
                    (0, "/tenants/0/uscc".to_owned()),
                    (1, "/tenants/1/uscc".to_owned()),
                    (2, "/tenants/0/uscc".to_owned()),
                ]
            )]
        );
    }

    #[test]
    fn other_dates_exited_tenants_and_one_park_alone_are_no_conflict() {
        let reports = [
            park("a", "2025-12-31", &[("X1", true), ("X2", true)], code_hash),
            park("b", "2024-12-31", &[("X1", true)], code_hash),
            park(
                "c",
                "2025-12-31",
                &[("X2", false), ("X3", true), ("X3", true)],
                code_hash,
            ),
        ];
        assert!(conflicts(&reports, None).is_empty());
        // Evaluated as of one date, a and b hold X1 at once.
        let at_once = conflicts(&reports, Some("2026-01-01"));
        assert_eq!(at_once.len(), 1);
        assert_eq!(at_once[0].1, "X1");
        assert_eq!(at_once[0].0, "2026-01-01");
    }

    #[test]
    fn codes_whose_hashes_collide_are_told_apart_by_their_text() {
        let same = |_: &str| 7;
        let reports = [
            park("a", "2025-12-31", &[("P", true), ("Q", true)], same),
            park("b", "2025-12-31", &[("Q", true), ("R", true)], same),
            park("c", "2025-12-31", &[("P", true)], same),
        ];
        let found: Vec<(String, Vec<usize>)> = conflicts(&reports, None)
            .into_iter()
            .map(|(_, code, places)| (code, places.into_iter().map(|(r, _)| r).collect()))
            .collect();
        assert_eq!(
            found,
            [("P".to_owned(), vec![0, 2]), ("Q".to_owned(), vec![0, 1])]
        );
    }
}
