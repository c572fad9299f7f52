//! `parkcheck score`: the annual evaluation's view of checked submissions — per park the vetoes
//! (findings that force grade D), the deductions, and the per-mu figures; over the parks of each
//! type (园区类型: the evaluation ranks 生产制造类 and 生产性服务业等 apart) the average of each
//! figure as Σ numerator ÷ Σ denominator (a ratio of totals, not a mean of ratios) and each
//! park's coefficient against its type's. A figure that reads a value reported as doubtful
//! (FORM-024) is shown as such, left out of the averages and given no coefficient.
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
    /// value ÷ the set's average (only over several parks, and not for a doubtful figure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coefficient: Option<f64>,
    /// Why the figure is doubtful (a finding of the scheme's `doubtful` rules on a value it
    /// reads, such as revenue typed in 元): it is then left out of the set's averages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doubtful: Option<Text>,
}

/// The evaluation's view of one submission.
#[derive(Debug, Clone, Serialize)]
pub struct ParkScore {
    pub file: String,
    pub park: Option<String>,
    pub platform_id: Option<String>,
    /// `park.type`: the parks of one type are ranked together.
    #[serde(rename = "type")]
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
    /// Files left out of the sums because their figure is doubtful.
    pub doubtful: Vec<String>,
}

/// The parks of one type (园区类型) and their averages: the evaluation ranks the parks of a
/// type among themselves (生产制造类 apart from 生产性服务业等), so the averages and the
/// coefficients are per type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeSet {
    #[serde(rename = "type")]
    pub park_type: String,
    /// The files of the parks of this type.
    pub files: Vec<String>,
    pub figures: Vec<SetFigure>,
}

/// The score breakdown of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub version: u32,
    pub parks: Vec<ParkScore>,
    /// The averages of each park type (only when more than one file was scored).
    pub set: Vec<TypeSet>,
    /// Files in no type's set: unreadable, or without `park.type`.
    pub unranked: Vec<String>,
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
    // The values each figure reads, to tell which findings make it doubtful.
    let reads: Vec<Vec<Vec<Option<String>>>> = scheme
        .figures
        .iter()
        .map(|f| {
            let mut patterns = Vec::new();
            metric_reads(engine, &f.numerator, &mut patterns, &mut Vec::new());
            metric_reads(engine, &f.denominator, &mut patterns, &mut Vec::new());
            patterns
        })
        .collect();
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
                    .zip(&reads)
                    .map(|(figure, patterns)| {
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
                        let suspicious: Vec<&Finding> = counted()
                            .filter(|f| scheme.doubtful.iter().any(|d| d.id == f.rule))
                            .filter(|f| {
                                f.pointer
                                    .as_ref()
                                    .is_some_and(|p| patterns.iter().any(|q| matches(p, q)))
                            })
                            .collect();
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
                            doubtful: doubtful(report, &suspicious),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    // The types in the order they first occur; a park without one is in no set.
    let mut types: Vec<&str> = Vec::new();
    for park in &parks {
        if let Some(t) = park.park_type.as_deref() {
            if !types.contains(&t) {
                types.push(t);
            }
        }
    }
    let set: Vec<TypeSet> = if parks.len() > 1 {
        types
            .iter()
            .map(|&park_type| {
                let members: Vec<&ParkScore> = parks
                    .iter()
                    .filter(|p| p.park_type.as_deref() == Some(park_type))
                    .collect();
                TypeSet {
                    park_type: park_type.to_owned(),
                    files: members.iter().map(|p| p.file.clone()).collect(),
                    figures: scheme
                        .figures
                        .iter()
                        .enumerate()
                        .map(|(i, figure)| {
                            set_figure(
                                &members,
                                i,
                                figure,
                                unit(&figure.numerator),
                                unit(&figure.denominator),
                            )
                        })
                        .collect(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let unranked = if parks.len() > 1 {
        parks
            .iter()
            .filter(|p| p.park_type.is_none())
            .map(|p| p.file.clone())
            .collect()
    } else {
        Vec::new()
    };
    for park in &mut parks {
        let Some(group) = set
            .iter()
            .find(|g| Some(g.park_type.as_str()) == park.park_type.as_deref())
        else {
            continue;
        };
        for (figure, total) in park.figures.iter_mut().zip(&group.figures) {
            figure.coefficient = match (figure.value, total.average, &figure.doubtful) {
                (Some(v), Some(a), None) if a > 0.0 => Some(v / a),
                _ => None,
            };
        }
    }
    Ok(Scores {
        version: 2,
        parks,
        set,
        unranked,
    })
}

/// Figure `i` over the parks of one type: Σ numerator ÷ Σ denominator of those whose figure
/// is known and not doubtful.
fn set_figure(
    parks: &[&ParkScore],
    i: usize,
    figure: &crate::rulebook::Figure,
    numerator_unit: Option<String>,
    denominator_unit: Option<String>,
) -> SetFigure {
    let mut set = SetFigure {
        id: figure.id.clone(),
        title: figure.title.clone(),
        unit: figure.unit.clone(),
        numerator_sum: 0.0,
        numerator_unit,
        denominator_sum: 0.0,
        denominator_unit,
        average: None,
        parks: 0,
        left_out: Vec::new(),
        doubtful: Vec::new(),
    };
    for park in parks {
        match park.figures.get(i) {
            Some(FigureValue {
                doubtful: Some(_), ..
            }) => set.doubtful.push(park.file.clone()),
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
    set.average = (set.denominator_sum > 0.0).then(|| set.numerator_sum / set.denominator_sum);
    set
}

/// The values a metric reads, as pointer patterns (`None` standing for any item of a list),
/// with those of the metrics it reads: `/tenants/*/tax_10k_yuan`, `/land/actual_area_mu`.
fn metric_reads(
    engine: &Engine,
    name: &str,
    out: &mut Vec<Vec<Option<String>>>,
    seen: &mut Vec<String>,
) {
    if seen.iter().any(|s| s == name) {
        return;
    }
    seen.push(name.to_owned());
    let Some(metric) = engine.rules().metrics().find(|m| m.name == name) else {
        return;
    };
    for path in &metric.expr.paths {
        let Some(fields) = path.fields() else {
            continue;
        };
        let mut pattern: Vec<Option<String>> = match (path.root.as_str(), &metric.over) {
            ("it", Some(list)) => list
                .tokens()
                .map(|t| Some(t.into_owned()))
                .chain([None])
                .collect(),
            ("metrics", _) => {
                if let Some(inner) = fields.first() {
                    metric_reads(engine, inner, out, seen);
                }
                continue;
            }
            ("params" | "it", _) => continue,
            (root, _) => vec![Some(root.to_owned())],
        };
        pattern.extend(fields.iter().map(|f| Some((*f).to_owned())));
        if !out.contains(&pattern) {
            out.push(pattern);
        }
    }
}

/// Whether `pointer` is a value of `pattern` (or inside one).
fn matches(pointer: &crate::document::Pointer, pattern: &[Option<String>]) -> bool {
    let tokens: Vec<_> = pointer.tokens().collect();
    tokens.len() >= pattern.len()
        && pattern.iter().zip(&tokens).all(|(want, got)| match want {
            Some(want) => want == got,
            None => got.parse::<usize>().is_ok(),
        })
}

/// Why a figure is doubtful, from the findings on values it reads.
fn doubtful(report: &FileReport, findings: &[&Finding]) -> Option<Text> {
    let first = findings.first()?;
    let line = first.span.map(|s| report.source.line_col(s.start).line);
    let (at_zh, at_en) = line.map_or_else(
        || (String::new(), String::new()),
        |l| (format!("第 {l} 行："), format!("line {l}: ")),
    );
    let more = findings.len() - 1;
    let (more_zh, more_en) = if more > 0 {
        (format!("（另有 {more} 项）"), format!(" (and {more} more)"))
    } else {
        (String::new(), String::new())
    };
    Some(Text::new(
        format!(
            "数据存疑，未计入同类园区的平均、不计系数（核对后重新评分）：[{}] {at_zh}{}{more_zh}",
            first.rule, first.message.zh
        ),
        format!(
            "doubtful, left out of the averages of its type, no coefficient (score again once checked): [{}] {at_en}{}{more_en}",
            first.rule, first.message.en
        ),
    ))
}

fn item(report: &FileReport, finding: &Finding, points: Option<f64>) -> Item {
    let at = finding.span.map(|s| report.source.locate(s.start));
    Item {
        rule: finding.rule.clone(),
        pointer: finding.pointer.as_ref().map(|p| p.as_str().to_owned()),
        line: at.as_ref().map(|p| p.line),
        column: at.as_ref().map(|p| p.column),
        message: finding.message.clone(),
        points,
    }
}

/// The breakdown as JSON.
#[must_use]
pub fn render_json(scores: &Scores) -> String {
    // Plain structs of strings and numbers: serialisation cannot fail.
    let mut value = serde_json::to_value(scores).unwrap_or_default();
    positive_zeros(&mut value);
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

/// Writes every `-0.0` as `0.0` (a sum of no deduction is −0.0 in IEEE arithmetic, and a reader
/// of `"points_deducted": -0.0` would wonder what was deducted).
fn positive_zeros(value: &mut serde_json::Value) {
    use serde_json::Value as J;
    match value {
        J::Number(n) if n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative()) => {
            *value = J::from(0.0);
        }
        J::Array(items) => items.iter_mut().for_each(positive_zeros),
        J::Object(map) => map.values_mut().for_each(positive_zeros),
        _ => {}
    }
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
        let kind = park
            .park_type
            .as_deref()
            .map_or_else(String::new, |t| format!("  [{t}]"));
        let _ = writeln!(out, "■ {name}{kind}  {}", park.file);
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
                    if let Some(why) = &f.doubtful {
                        let _ = writeln!(out, "    ⚠ {}", why.render_inline(lang));
                    }
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
    for group in &scores.set {
        let n = group.files.len();
        let _ = writeln!(
            out,
            "{}",
            t(
                &format!("{}：{n} 个园区（同类园区之间比较）", group.park_type),
                &format!(
                    "{}: {n} park(s), compared with one another",
                    group.park_type
                )
            )
        );
        for s in &group.figures {
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
            if !s.doubtful.is_empty() {
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    t("未计入（数据存疑）", "left out (doubtful)"),
                    s.doubtful.join(", ")
                );
            }
        }
    }
    if !scores.unranked.is_empty() {
        let _ = writeln!(
            out,
            "{}: {}",
            t(
                "不参与同类比较（文件无法读取或未填园区类型）",
                "compared with no type (unreadable, or no park.type)"
            ),
            scores.unranked.join(", ")
        );
    }
    out
}
