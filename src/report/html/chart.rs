//! `score`'s evaluation section: a table of each park's vetoes, deductions and figures, and
//! inline SVG bar charts drawn here (no chart library): each figure per park against the Σ ÷ Σ
//! average of the parks of its type, and the findings per rule.

use std::fmt::Write;

use super::escape::html as esc;
use super::{L, ParkRow};
use crate::run::Summary;
use crate::score::Scores;
use crate::text::number;

/// Width of the drawing, and of its label column, in SVG units (pixels at 100 %).
const WIDTH: f64 = 860.0;
const LABEL: f64 = 250.0;
const VALUE: f64 = 90.0;
const BAR: f64 = 16.0;
const ROW: f64 = 20.0;
const GROUP: f64 = 26.0;

/// One bar of a chart.
struct Bar {
    label: String,
    value: Option<f64>,
    href: Option<String>,
    /// Why there is no value.
    missing: String,
}

/// A group of bars with the line of its average.
struct Group {
    title: String,
    average: Option<f64>,
    bars: Vec<Bar>,
}

pub(super) fn evaluation(
    out: &mut String,
    scores: &Scores,
    summary: &Summary,
    rows: &[ParkRow<'_>],
    l: L,
) {
    let _ = write!(
        out,
        "<section id=\"evaluation\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        l.t("绩效评价", "Evaluation"),
        l.t(
            "等级由主管部门按同类园区相对排名评定，本工具不评定等级。平均值为同类园区的合计之比（Σ 分子 ÷ Σ 分母），不是各园区比值的平均。",
            "The grade is a relative ranking of the parks of a type made by the bureau; parkcheck does not assign it. Averages are ratios of the totals of the parks of a type (Σ numerator ÷ Σ denominator), not means of ratios."
        )
    );
    table(out, scores, rows, l);
    let figures = scores.parks.first().map_or(0, |p| p.figures.len());
    for i in 0..figures {
        let Some(first) = scores.parks.iter().find_map(|p| p.figures.get(i)) else {
            continue;
        };
        let unit = first.unit.clone().unwrap_or_default();
        let mut types: Vec<Option<&str>> = scores
            .parks
            .iter()
            .filter(|p| !p.unreadable)
            .map(|p| p.park_type.as_deref())
            .collect();
        types.sort_unstable();
        types.dedup();
        let groups: Vec<Group> = types
            .iter()
            .map(|t| {
                let average = t.and_then(|t| {
                    scores
                        .set
                        .iter()
                        .find(|b| b.park_type == t)
                        .and_then(|b| b.figures.get(i))
                        .and_then(|f| f.average)
                });
                let title = match t {
                    Some(t) => (*t).to_owned(),
                    None => l.plain("（未填类型）", "(no type)"),
                };
                let title = match average {
                    Some(a) => format!(
                        "{title} — {} {} {unit}",
                        l.plain("同类平均 Σ÷Σ", "type average Σ÷Σ"),
                        number(a)
                    ),
                    None => title,
                };
                let bars = scores
                    .parks
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !p.unreadable && p.park_type.as_deref() == *t)
                    .map(|(k, p)| {
                        let figure = p.figures.get(i);
                        Bar {
                            label: rows
                                .get(k)
                                .map_or_else(|| p.file.clone(), |r| r.name.clone()),
                            value: figure.and_then(|f| f.value),
                            href: Some(format!("#park-{k}")),
                            missing: figure.and_then(|f| f.unavailable.as_ref()).map_or_else(
                                || l.plain("无法计算", "not computed"),
                                |w| w.render_inline(l.0),
                            ),
                        }
                    })
                    .collect();
                Group {
                    title,
                    average,
                    bars,
                }
            })
            .collect();
        let title = first.title.render_inline(l.0);
        let _ = writeln!(
            out,
            "<figure class=\"chart\" data-chart=\"{}\"><figcaption>{} ({})</figcaption>",
            esc(&first.id),
            esc(&title),
            esc(&unit)
        );
        chart(out, &title, &groups);
        out.push_str("</figure>\n");
    }
    // Findings per rule (counted).
    if !summary.by_rule.is_empty() {
        let mut by_rule: Vec<(&String, &usize)> = summary.by_rule.iter().collect();
        by_rule.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let group = Group {
            title: l.plain("计入结论的问题数", "counted findings"),
            average: None,
            bars: by_rule
                .iter()
                .map(|(rule, n)| Bar {
                    label: (*rule).clone(),
                    #[allow(clippy::cast_precision_loss)]
                    value: Some(**n as f64),
                    href: Some(format!("#rule-{rule}")),
                    missing: String::new(),
                })
                .collect(),
        };
        let title = l.plain("各规则的问题数", "findings per rule");
        let _ = writeln!(
            out,
            "<figure class=\"chart\" data-chart=\"by-rule\"><figcaption>{}</figcaption>",
            esc(&title)
        );
        chart(out, &title, &[group]);
        out.push_str("</figure>\n");
    }
    out.push_str("</section>\n");
}

fn table(out: &mut String, scores: &Scores, rows: &[ParkRow<'_>], l: L) {
    let titles: Vec<String> = scores
        .parks
        .first()
        .map(|p| p.figures.iter().map(|f| l.text(&f.title)).collect())
        .unwrap_or_default();
    let _ = write!(
        out,
        "<table id=\"score-table\" class=\"sortable\">\n<thead><tr><th data-sort=\"text\">{}</th><th data-sort=\"text\">{}</th><th data-sort=\"num\">{}</th><th data-sort=\"num\">{}</th>",
        l.t("园区", "park"),
        l.t("类型", "type"),
        l.t("否决项", "vetoes"),
        l.t("扣分", "points deducted"),
    );
    for t in &titles {
        let _ = write!(
            out,
            "<th data-sort=\"num\">{t}</th><th data-sort=\"num\">{}</th>",
            l.t(
                "系数（对同类园区）",
                "coefficient (to the parks of its type)"
            )
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (k, p) in scores.parks.iter().enumerate() {
        let name = rows
            .get(k)
            .map_or_else(|| p.file.clone(), |r| r.name.clone());
        let _ = write!(
            out,
            "<tr data-file=\"{}\"><td><a href=\"#park-{k}\">{}</a>{}</td><td>{}</td><td class=\"num{}\">{}</td><td class=\"num\" data-value=\"{}\">{}</td>",
            esc(&p.file),
            esc(&name),
            p.transition.as_ref().map_or_else(String::new, |_| format!(
                "<br><small>{}</small>",
                l.t(
                    "过渡期，不参加本年度评价",
                    "in transition: not evaluated this year"
                )
            )),
            esc(p.park_type.as_deref().unwrap_or("")),
            if p.vetoes.is_empty() { "" } else { " veto" },
            p.vetoes.len(),
            p.points_deducted,
            if p.points_deducted > 0.0 {
                format!("−{}", number(p.points_deducted))
            } else {
                "0".to_owned()
            }
        );
        for f in &p.figures {
            match f.value {
                Some(v) => {
                    let _ = write!(
                        out,
                        "<td class=\"num\" data-value=\"{v}\">{}</td>",
                        number(v)
                    );
                }
                None => out.push_str("<td class=\"num\" data-value=\"\">—</td>"),
            }
            match f.coefficient {
                Some(c) => {
                    let _ = write!(
                        out,
                        "<td class=\"num\" data-value=\"{c}\">{}</td>",
                        number(c)
                    );
                }
                None => out.push_str("<td class=\"num\" data-value=\"\">—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The first `max` characters of `text`, with `…` when cut.
fn short(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", text.get(..i).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// A horizontal bar chart: the groups one under another, each with its title and, when it has
/// one, its average as a dashed line across its bars.
fn chart(out: &mut String, title: &str, groups: &[Group]) {
    let max = groups
        .iter()
        .flat_map(|g| g.bars.iter().filter_map(|b| b.value).chain(g.average))
        .fold(0.0_f64, f64::max);
    let scale = if max > 0.0 {
        (WIDTH - LABEL - VALUE) / max
    } else {
        0.0
    };
    #[allow(clippy::cast_precision_loss)]
    let height: f64 = groups
        .iter()
        .map(|g| GROUP + ROW * g.bars.len() as f64)
        .sum::<f64>()
        + 8.0;
    let _ = writeln!(
        out,
        "<svg class=\"bars\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        esc(title)
    );
    let mut y = 0.0;
    for group in groups {
        let _ = writeln!(
            out,
            "<text class=\"group\" x=\"0\" y=\"{:.1}\">{}</text>",
            y + 18.0,
            esc(&group.title)
        );
        y += GROUP;
        let top = y;
        for bar in &group.bars {
            let label = esc(&short(&bar.label, 18)).into_owned();
            let full = esc(&bar.label).into_owned();
            let open = bar
                .href
                .as_ref()
                .map_or_else(String::new, |h| format!("<a href=\"{}\">", esc(h)));
            let close = if bar.href.is_some() { "</a>" } else { "" };
            let _ = write!(
                out,
                "<g class=\"bar\">{open}<title>{full}</title><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>{close}",
                LABEL - 8.0,
                y + 13.0
            );
            match bar.value {
                Some(v) => {
                    let w = (v * scale).max(1.0);
                    let _ = write!(
                        out,
                        "<rect x=\"{LABEL}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{BAR}\"></rect><text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                        y + 2.0,
                        LABEL + w + 4.0,
                        y + 14.0,
                        number(v)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<text class=\"missing\" x=\"{LABEL}\" y=\"{:.1}\">{}</text>",
                        y + 14.0,
                        esc(&short(&bar.missing, 40))
                    );
                }
            }
            out.push_str("</g>\n");
            y += ROW;
        }
        if let Some(a) = group.average {
            let x = LABEL + a * scale;
            let _ = writeln!(
                out,
                "<line class=\"average\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"></line>",
                top - 2.0,
                y + 2.0
            );
        }
    }
    out.push_str("</svg>\n");
}
