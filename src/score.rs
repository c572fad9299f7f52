//! `parkcheck score`: the annual evaluation's view of checked submissions — per park the vetoes
//! (findings that force grade D), the deductions, and the per-mu figures; over a set of parks the
//! average of each figure as Σ numerator ÷ Σ denominator (a ratio of totals, not a mean of
//! ratios) and each park's coefficient against it.
//!
//! The scheme (which rules veto, which deduct how many points, which figures) is data: the
//! `scoring:` section of a rulebook (`rules/evaluation.yaml`). The grade itself is a relative
//! ranking made by the bureau over all parks of a type; parkcheck does not assign it.

use serde::Serialize;

use crate::engine::Engine;
use crate::finding::FileReport;
use crate::finding::Finding;
use crate::rulebook::ParamValue;
use crate::text::{Lang, Text, number};

/// One finding as the evaluation counts it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub rule: String,
    pub pointer: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: Text,
    /// Points deducted (deductions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
}

/// One ratio figure of one park.
#[derive(Debug, Clone, Serialize)]
pub struct FigureValue {
    pub id: String,
    pub title: Text,
    pub unit: Option<String>,
    pub numerator: Option<f64>,
    pub numerator_unit: Option<String>,
    pub denominator: Option<f64>,
    pub denominator_unit: Option<String>,
    /// numerator ÷ denominator, when both are known and the denominator is positive.
    pub value: Option<f64>,
    /// Why there is no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<Text>,
    /// value ÷ the set's average (only over several parks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coefficient: Option<f64>,
}

/// The evaluation's view of one submission.
#[derive(Debug, Clone, Serialize)]
pub struct ParkScore {
    pub file: String,
    pub park: Option<String>,
    pub platform_id: Option<String>,
    /// `park.type` (生产制造类, …): the parks the evaluation ranks it with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub park_type: Option<String>,
    /// The file could not be read or parsed: nothing below is known.
    pub unreadable: bool,
    /// Why the park is not evaluated this year (its transition period), when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition: Option<Text>,
    pub vetoes: Vec<Item>,
    pub deductions: Vec<Item>,
    pub points_deducted: f64,
    pub figures: Vec<FigureValue>,
}

/// A figure over the whole set: Σ numerator ÷ Σ denominator.
#[derive(Debug, Clone, Serialize)]
pub struct SetFigure {
    pub id: String,
    pub title: Text,
    pub unit: Option<String>,
    pub numerator_sum: f64,
    pub numerator_unit: Option<String>,
    pub denominator_sum: f64,
    pub denominator_unit: Option<String>,
    pub average: Option<f64>,
    /// Parks counted in the sums.
    pub parks: usize,
    /// Files left out of the sums (figure unavailable).
    pub left_out: Vec<String>,
}

/// The score breakdown of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub version: u32,
    pub parks: Vec<ParkScore>,
    /// The set's averages (only when more than one file was scored).
    pub set: Vec<SetFigure>,
    /// The same per park type (`park.type`), which the evaluation ranks within (only when more
    /// than one file was scored), in type order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_type: Vec<TypeFigures>,
}

/// The figures over the parks of one type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeFigures {
    pub park_type: String,
    pub parks: usize,
    pub figures: Vec<SetFigure>,
}

/// Why a run cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoScoring;

/// Scores checked submissions with the scheme of `engine`'s rulebooks.
///
/// # Errors
/// [`NoScoring`] when no rulebook in use has a `scoring:` section.
pub fn score(reports: &[FileReport], engine: &Engine) -> Result<Scores, NoScoring> {
    let scheme = engine.rules().scoring().ok_or(NoScoring)?;
    // The loader has made sure that a points parameter exists and is a number (and a profile
    // cannot change its kind), so the fallback is never taken.
    let points_of = |param: &str| match engine.param(param).map(|p| &p.value) {
        Some(ParamValue::Number(n)) => *n,
        _ => 0.0,
    };
    let unit = |metric: &str| {
        engine
            .rules()
            .metrics()
            .find(|m| m.name == metric)
            .and_then(|m| m.unit.clone())
    };
    let mut parks: Vec<ParkScore> = reports
        .iter()
        .map(|report| {
            let counted = || report.findings.iter().filter(|f| f.counts());
            let vetoes = counted()
                .filter(|f| scheme.vetoes.iter().any(|v| v.id == f.rule))
                .map(|f| item(report, f, None))
                .collect();
            let deductions: Vec<Item> = counted()
                .filter_map(|f| {
                    let d = scheme.deductions.iter().find(|d| d.rule.id == f.rule)?;
                    Some(item(report, f, Some(points_of(&d.points))))
                })
                .collect();
            let transition = scheme.transition.as_ref().and_then(|(rule, _)| {
                report
                    .findings
                    .iter()
                    .find(|f| f.rule == rule.id)
                    .map(|f| f.message.clone())
            });
            let facts = report.facts.as_deref();
            ParkScore {
                file: report.source.name().to_owned(),
                park: facts.and_then(|f| f.name.as_ref()).map(|l| l.value.clone()),
                platform_id: facts
                    .and_then(|f| f.platform_id.as_ref())
                    .map(|l| l.value.clone()),
                park_type: facts.and_then(|f| f.park_type.clone()),
                unreadable: report.unreadable,
                transition,
                points_deducted: deductions.iter().filter_map(|d| d.points).sum(),
                vetoes,
                deductions,
                figures: scheme
                    .figures
                    .iter()
                    .map(|figure| {
                        let metric = |name: &str| {
                            facts
                                .and_then(|f| f.metrics.get(name))
                                .cloned()
                                .unwrap_or_else(|| {
                                    Err(Text::new(
                                        "文件未能读取，无法计算",
                                        "the file could not be read",
                                    ))
                                })
                        };
                        let numerator = metric(&figure.numerator);
                        let denominator = metric(&figure.denominator);
                        let (value, unavailable) = match (&numerator, &denominator) {
                            (Ok(_), Ok(d)) if *d <= 0.0 => (
                                None,
                                Some(Text::new(
                                    format!("分母 {} 为 {}", figure.denominator, number(*d)),
                                    format!(
                                        "the denominator {} is {}",
                                        figure.denominator,
                                        number(*d)
                                    ),
                                )),
                            ),
                            (Ok(n), Ok(d)) => (Some(n / d), None),
                            (Err(why), _) | (_, Err(why)) => (None, Some(why.clone())),
                        };
                        FigureValue {
                            id: figure.id.clone(),
                            title: figure.title.clone(),
                            unit: figure.unit.clone(),
                            numerator: numerator.ok(),
                            numerator_unit: unit(&figure.numerator),
                            denominator: denominator.ok(),
                            denominator_unit: unit(&figure.denominator),
                            value,
                            unavailable,
                            coefficient: None,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let set = if parks.len() > 1 {
        set_figures(&scheme.figures, &parks, &unit)
    } else {
        Vec::new()
    };
    // The evaluation ranks the parks of one type against each other: the same sums per type.
    let mut by_type: Vec<TypeFigures> = Vec::new();
    if parks.len() > 1 {
        let mut types: Vec<&str> = parks
            .iter()
            .filter_map(|p| p.park_type.as_deref())
            .collect();
        types.sort_unstable();
        types.dedup();
        for park_type in types {
            let of_type: Vec<ParkScore> = parks
                .iter()
                .filter(|p| p.park_type.as_deref() == Some(park_type))
                .cloned()
                .collect();
            by_type.push(TypeFigures {
                park_type: park_type.to_owned(),
                parks: of_type.len(),
                figures: set_figures(&scheme.figures, &of_type, &unit),
            });
        }
    }
    for park in &mut parks {
        for (figure, total) in park.figures.iter_mut().zip(&set) {
            figure.coefficient = match (figure.value, total.average) {
                (Some(v), Some(a)) if a > 0.0 => Some(v / a),
                _ => None,
            };
        }
    }
    Ok(Scores {
        version: 1,
        parks,
        set,
        by_type,
    })
}

/// Each figure over `parks`: Σ numerator ÷ Σ denominator of the parks whose figure is known.
fn set_figures(
    figures: &[crate::rulebook::Figure],
    parks: &[ParkScore],
    unit: &dyn Fn(&str) -> Option<String>,
) -> Vec<SetFigure> {
    figures
        .iter()
        .enumerate()
        .map(|(i, figure)| {
            let mut set = SetFigure {
                id: figure.id.clone(),
                title: figure.title.clone(),
                unit: figure.unit.clone(),
                numerator_sum: 0.0,
                numerator_unit: unit(&figure.numerator),
                denominator_sum: 0.0,
                denominator_unit: unit(&figure.denominator),
                average: None,
                parks: 0,
                left_out: Vec::new(),
            };
            for park in parks {
                match park.figures.get(i) {
                    Some(FigureValue {
                        numerator: Some(n),
                        denominator: Some(d),
                        value: Some(_),
                        ..
                    }) => {
                        set.numerator_sum += n;
                        set.denominator_sum += d;
                        set.parks += 1;
                    }
                    _ => set.left_out.push(park.file.clone()),
                }
            }
            set.average =
                (set.denominator_sum > 0.0).then(|| set.numerator_sum / set.denominator_sum);
            set
        })
        .collect()
}

fn item(report: &FileReport, finding: &Finding, points: Option<f64>) -> Item {
    let at = finding.span.map(|s| report.source.line_col(s.start));
    Item {
        rule: finding.rule.clone(),
        pointer: finding.pointer.as_ref().map(|p| p.as_str().to_owned()),
        line: at.map(|p| p.line),
        column: at.map(|p| p.column),
        message: finding.message.clone(),
        points,
    }
}

/// The breakdown as JSON.
#[must_use]
pub fn render_json(scores: &Scores) -> String {
    // Plain structs of strings and numbers: serialisation cannot fail.
    let mut out = serde_json::to_string_pretty(scores).unwrap_or_default();
    out.push('\n');
    out
}

/// The breakdown for people.
#[must_use]
pub fn render_human(scores: &Scores, lang: Lang) -> String {
    use std::fmt::Write;
    let t = |zh: &str, en: &str| Text::new(zh, en).render_inline(lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n",
        t(
            "绩效评价明细（等级由主管部门按同类园区相对排名评定，本工具不评定等级）",
            "evaluation breakdown (the grade is a relative ranking of parks of a type made by the bureau; parkcheck does not assign it)"
        )
    );
    for park in &scores.parks {
        let name = match (&park.park, &park.platform_id) {
            (Some(n), Some(id)) => format!("{n}（{id}）"),
            (Some(n), None) => n.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => t("（未知园区）", "(unknown park)"),
        };
        let _ = writeln!(out, "■ {name}  {}", park.file);
        if park.unreadable {
            let _ = writeln!(
                out,
                "  {}\n",
                t(
                    "文件无法读取或解析，未评分（见 parkcheck check）",
                    "the file could not be read or parsed; not scored (see parkcheck check)"
                )
            );
            continue;
        }
        if let Some(why) = &park.transition {
            let _ = writeln!(
                out,
                "  {}: {}",
                t("不参加本年度评价", "not evaluated this year"),
                why.render_inline(lang)
            );
        }
        let place = |i: &Item| match (i.line, i.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", park.file),
            _ => park.file.clone(),
        };
        if park.vetoes.is_empty() {
            let _ = writeln!(out, "  {}: {}", t("一票否决", "vetoes"), t("无", "none"));
        } else {
            let _ = writeln!(
                out,
                "  {}: {}",
                t("一票否决（评为 D 级）", "vetoes (grade D)"),
                park.vetoes.len()
            );
            for v in &park.vetoes {
                let _ = writeln!(
                    out,
                    "    - [{}] {}  {}",
                    v.rule,
                    v.message.render_inline(lang),
                    place(v)
                );
            }
        }
        let _ = writeln!(
            out,
            "  {}: {} {}",
            t("扣分", "deductions"),
            if park.points_deducted > 0.0 {
                format!("−{}", number(park.points_deducted))
            } else {
                "0".to_owned()
            },
            t("分", "points")
        );
        for d in &park.deductions {
            let _ = writeln!(
                out,
                "    - [{}] −{} {}  {}",
                d.rule,
                number(d.points.unwrap_or_default()),
                d.message.render_inline(lang),
                place(d)
            );
        }
        for f in &park.figures {
            let unit = f.unit.as_deref().unwrap_or("");
            let title = f.title.render_inline(lang);
            match (f.value, f.numerator, f.denominator) {
                (Some(v), Some(n), Some(d)) => {
                    let coefficient = f.coefficient.map_or_else(String::new, |c| {
                        format!("  {} {}", t("系数", "coefficient"), number(c))
                    });
                    let _ = writeln!(
                        out,
                        "  {title}: {} {unit} = {} {} ÷ {} {}{coefficient}",
                        number(v),
                        number(n),
                        f.numerator_unit.as_deref().unwrap_or(""),
                        number(d),
                        f.denominator_unit.as_deref().unwrap_or("")
                    );
                }
                _ => {
                    let why = f
                        .unavailable
                        .as_ref()
                        .map_or_else(String::new, |w| w.render_inline(lang));
                    let _ = writeln!(out, "  {title}: {} ({why})", t("无法计算", "not computed"));
                }
            }
        }
        out.push('\n');
    }
    if !scores.set.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            t(
                &format!("全部 {} 个园区", scores.parks.len()),
                &format!("the set of {} parks", scores.parks.len())
            )
        );
        for s in &scores.set {
            let unit = s.unit.as_deref().unwrap_or("");
            let average = s
                .average
                .map_or_else(|| t("无法计算", "not computed"), number);
            let _ = writeln!(
                out,
                "  {}: Σ {} {} ÷ Σ {} {} = {average} {unit} ({})",
                s.title.render_inline(lang),
                number(s.numerator_sum),
                s.numerator_unit.as_deref().unwrap_or(""),
                number(s.denominator_sum),
                s.denominator_unit.as_deref().unwrap_or(""),
                t(
                    &format!("{} 个园区的总量之比，不是各园区比值的平均", s.parks),
                    &format!(
                        "a ratio of the totals of {} parks, not a mean of ratios",
                        s.parks
                    )
                )
            );
            if !s.left_out.is_empty() {
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    t("未计入", "left out"),
                    s.left_out.join(", ")
                );
            }
        }
    }
    out
}
