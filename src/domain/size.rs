//! Enterprise size classification (企业划型): 《中小企业划型标准规定》 工信部联企业〔2011〕300号
//! and 统计上大中小微型企业划分办法（2017） 国统字〔2017〕213号. The thresholds are data
//! (`rules/size.yaml`, table `size`), read by [`SizeTable::from_json`].
//!
//! Panic-free on any input: a tenant that cannot be classified is a [`SizeUnknown`].

use std::collections::BTreeMap;
use std::fmt;

/// One of the figures that classify an enterprise's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Figure {
    /// 从业人员 (X), persons.
    Employees,
    /// 营业收入 (Y), 万元.
    Revenue10kYuan,
    /// 资产总额 (Z), 万元.
    Assets10kYuan,
}

impl Figure {
    /// All figures, in the order they are listed in messages.
    pub const ALL: [Figure; 3] = [
        Figure::Employees,
        Figure::Revenue10kYuan,
        Figure::Assets10kYuan,
    ];

    /// The field name in data and in the size table: `employees`, `revenue_10k_yuan`,
    /// `assets_10k_yuan`.
    pub fn key(self) -> &'static str {
        match self {
            Figure::Employees => "employees",
            Figure::Revenue10kYuan => "revenue_10k_yuan",
            Figure::Assets10kYuan => "assets_10k_yuan",
        }
    }

    /// The figure named by a field name, the inverse of [`Figure::key`].
    pub fn from_key(key: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The symbol of the standard: X, Y or Z.
    pub fn symbol(self) -> &'static str {
        match self {
            Figure::Employees => "X",
            Figure::Revenue10kYuan => "Y",
            Figure::Assets10kYuan => "Z",
        }
    }

    /// The Chinese name: 从业人员, 营业收入, 资产总额.
    pub fn zh(self) -> &'static str {
        match self {
            Figure::Employees => "从业人员",
            Figure::Revenue10kYuan => "营业收入",
            Figure::Assets10kYuan => "资产总额",
        }
    }

    /// This figure's value in `f`.
    pub fn of(self, f: &Figures) -> Option<f64> {
        match self {
            Figure::Employees => f.employees,
            Figure::Revenue10kYuan => f.revenue_10k_yuan,
            Figure::Assets10kYuan => f.assets_10k_yuan,
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An enterprise size class of the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SizeClass {
    /// 大型: no figure below its SME ceiling.
    Large,
    /// 中型: every 中型 bound met.
    Medium,
    /// 小型: every 小型 bound met, not every 中型 one.
    Small,
    /// 微型: some figure below its 小型 bound.
    Micro,
}

impl SizeClass {
    /// All classes, largest first.
    pub const ALL: [SizeClass; 4] = [
        SizeClass::Large,
        SizeClass::Medium,
        SizeClass::Small,
        SizeClass::Micro,
    ];

    /// The Chinese name as data and reports spell it: 大型, 中型, 小型, 微型.
    pub fn zh(self) -> &'static str {
        match self {
            SizeClass::Large => "大型",
            SizeClass::Medium => "中型",
            SizeClass::Small => "小型",
            SizeClass::Micro => "微型",
        }
    }

    /// The class named `s` (exactly 大型, 中型, 小型 or 微型), the inverse of [`SizeClass::zh`].
    pub fn from_zh(s: &str) -> Option<SizeClass> {
        SizeClass::ALL.into_iter().find(|c| c.zh() == s)
    }
}

impl fmt::Display for SizeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.zh())
    }
}

/// What an enterprise declares for its size: its sector and figures. An absent figure is
/// `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// The sector as the size table names it, e.g. `工业`.
    pub sector: String,
    /// 从业人员 (X), persons.
    pub employees: Option<f64>,
    /// 营业收入 (Y), 万元.
    pub revenue_10k_yuan: Option<f64>,
    /// 资产总额 (Z), 万元.
    pub assets_10k_yuan: Option<f64>,
}

/// Why a size could not be computed.
///
/// [`Display`](fmt::Display) gives the reason as a message fragment: `unknown sector 制造业`,
/// `sector absent`, `employees, revenue_10k_yuan absent`,
/// `employees = -3 is not a valid figure (a number ≥ 0 is needed)`.
#[derive(Debug, Clone, PartialEq)]
pub enum SizeUnknown {
    /// The size table has no row for this sector (an empty string: no sector was given).
    UnknownSector(String),
    /// The figures the sector's row needs that are absent, in [`Figure::ALL`] order.
    Missing(Vec<Figure>),
    /// Figures that are present but not usable (negative, NaN or infinite), in
    /// [`Figure::ALL`] order.
    Invalid(Vec<(Figure, f64)>),
}

impl fmt::Display for SizeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SizeUnknown::UnknownSector(s) if s.is_empty() => f.write_str("sector absent"),
            SizeUnknown::UnknownSector(s) => write!(f, "unknown sector {s}"),
            SizeUnknown::Missing(figures) => {
                write!(f, "{} absent", join_keys(figures.iter().copied()))
            }
            SizeUnknown::Invalid(figures) => {
                let list = figures
                    .iter()
                    .map(|(fig, v)| format!("{fig} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let verb = if figures.len() == 1 {
                    "is not a valid figure"
                } else {
                    "are not valid figures"
                };
                write!(f, "{list} {verb} (a number ≥ 0 is needed)")
            }
        }
    }
}

impl std::error::Error for SizeUnknown {}

fn join_keys(figures: impl Iterator<Item = Figure>) -> String {
    figures.map(Figure::key).collect::<Vec<_>>().join(", ")
}

/// Lower bounds or ceilings of a row: each named figure with its value, in [`Figure::ALL`]
/// order, never empty.
pub type Bounds = Vec<(Figure, f64)>;

/// One row of the size table: the thresholds of one or more sectors.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeRow {
    sectors: Vec<String>,
    medium: Bounds,
    small: Bounds,
    ceiling: Bounds,
    needs: Vec<Figure>,
}

impl SizeRow {
    /// The sectors this row applies to.
    pub fn sectors(&self) -> &[String] {
        &self.sectors
    }

    /// 中型 needs every one of these bounds (value ≥ bound).
    pub fn medium(&self) -> &[(Figure, f64)] {
        &self.medium
    }

    /// 小型 needs every one of these bounds (value ≥ bound).
    pub fn small(&self) -> &[(Figure, f64)] {
        &self.small
    }

    /// The SME ceilings: an enterprise with any figure below its ceiling is an SME; one with
    /// none below is 大型.
    pub fn ceiling(&self) -> &[(Figure, f64)] {
        &self.ceiling
    }

    /// The figures classification needs: all figures named anywhere in the row, in
    /// [`Figure::ALL`] order.
    pub fn needs(&self) -> &[Figure] {
        &self.needs
    }

    /// Classifies figures already checked to be present and valid.
    fn decide(&self, f: &Figures) -> SizeClass {
        if !below_any(&self.ceiling, f) {
            SizeClass::Large
        } else if meets_all(&self.medium, f) {
            SizeClass::Medium
        } else if meets_all(&self.small, f) {
            SizeClass::Small
        } else {
            SizeClass::Micro
        }
    }
}

/// Whether every bound is met (value ≥ bound); an absent figure meets none.
fn meets_all(bounds: &[(Figure, f64)], f: &Figures) -> bool {
    bounds
        .iter()
        .all(|(fig, bound)| fig.of(f).is_some_and(|v| v >= *bound))
}

/// Whether any figure is below its ceiling; an absent figure is below none.
fn below_any(ceiling: &[(Figure, f64)], f: &Figures) -> bool {
    ceiling
        .iter()
        .any(|(fig, c)| fig.of(f).is_some_and(|v| v < *c))
}

/// The size classification table, one [`SizeRow`] per group of sectors, built from the rules'
/// `size.yaml` data with [`SizeTable::from_json`].
#[derive(Debug, Clone, PartialEq)]
pub struct SizeTable {
    rows: Vec<SizeRow>,
    by_sector: BTreeMap<String, usize>,
}

/// The keys a size table entry may have besides its data; they are ignored.
const ENTRY_IGNORED_KEYS: [&str; 2] = ["note", "source"];

impl SizeTable {
    /// Builds the table from its JSON form: a list of entries, each
    /// `{sectors: [..], medium: {..}, small: {..}, ceiling: {..}}`, where the three bound
    /// objects map figure names (`employees`, `revenue_10k_yuan`, `assets_10k_yuan`) to
    /// non-negative numbers. An entry may also carry `note` and `source`, which are ignored.
    /// An empty list gives an empty table, in which every sector is unknown.
    ///
    /// # Errors
    ///
    /// A message naming the entry (by its 1-based number and its sectors) and the field at
    /// fault, when the value is not such a list, an entry lacks a part or has an unknown key,
    /// a figure name is unknown, a bound is not a non-negative number, a sector appears
    /// twice, or the bounds are out of order (small ≤ medium ≤ ceiling for a figure named
    /// in more than one of them).
    pub fn from_json(value: &serde_json::Value) -> Result<SizeTable, String> {
        let entries = value.as_array().ok_or_else(|| {
            format!(
                "size table: expected a list of entries, found {}",
                json_kind(value)
            )
        })?;
        let mut rows = Vec::with_capacity(entries.len());
        let mut by_sector: BTreeMap<String, usize> = BTreeMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let number = index + 1;
            let row = parse_row(entry, number)?;
            for sector in &row.sectors {
                if let Some(other) = by_sector.get(sector) {
                    let place = if *other == index {
                        "earlier in the same entry".to_owned()
                    } else {
                        format!("in entry {}", other + 1)
                    };
                    return Err(format!(
                        "size table entry {number} ({}): sector {sector} is already listed {place}",
                        row.sectors.join("、")
                    ));
                }
                by_sector.insert(sector.clone(), index);
            }
            rows.push(row);
        }
        Ok(SizeTable { rows, by_sector })
    }

    /// The row for `sector`, if the table has one.
    pub fn row(&self, sector: &str) -> Option<&SizeRow> {
        self.by_sector.get(sector).and_then(|i| self.rows.get(*i))
    }

    /// All sectors of the table, in sorted order.
    pub fn sectors(&self) -> impl Iterator<Item = &str> {
        self.by_sector.keys().map(String::as_str)
    }

    /// All rows, in the order of the data.
    pub fn rows(&self) -> &[SizeRow] {
        &self.rows
    }

    /// The figures `f`'s sector needs that `f` lacks (empty when it has them all).
    ///
    /// # Errors
    ///
    /// [`SizeUnknown::UnknownSector`] when the table has no row for the sector.
    pub fn missing(&self, f: &Figures) -> Result<Vec<Figure>, SizeUnknown> {
        let row = self.lookup(f)?;
        Ok(missing_of(row, f))
    }

    /// Classifies an enterprise: 大型 when no figure is below its SME ceiling; otherwise 中型
    /// when every 中型 bound is met (≥), else 小型 when every 小型 bound is met, else 微型.
    ///
    /// # Errors
    ///
    /// [`SizeUnknown`] when the sector is not in the table, when a figure the sector's row
    /// names (anywhere: medium, small or ceiling) is absent, or when one is negative or not
    /// finite.
    pub fn classify(&self, f: &Figures) -> Result<SizeClass, SizeUnknown> {
        let row = self.checked(f)?;
        Ok(row.decide(f))
    }

    /// Classifies as [`SizeTable::classify`] does and shows the calculation, for a trace: the
    /// inputs, the thresholds and the step that decided, e.g.
    /// `工业: X = 50, Y = 500; SME: X 50 < 1000; 中型 needs X ≥ 300 and Y ≥ 2000: X 50 < 300;
    /// 小型 needs X ≥ 20 and Y ≥ 300: met → 小型`.
    ///
    /// # Errors
    ///
    /// As [`SizeTable::classify`].
    pub fn explain(&self, f: &Figures) -> Result<(SizeClass, String), SizeUnknown> {
        self.explain_in(f, &EXPLAIN_EN)
    }

    /// [`SizeTable::explain`] in Chinese, e.g. `工业：X = 50，Y = 500；中小企业：X 50 < 1000；
    /// 中型须 X ≥ 300 且 Y ≥ 2000：X 50 < 300；小型须 X ≥ 20 且 Y ≥ 300：满足 → 小型`.
    ///
    /// # Errors
    ///
    /// As [`SizeTable::classify`].
    pub fn explain_zh(&self, f: &Figures) -> Result<(SizeClass, String), SizeUnknown> {
        self.explain_in(f, &EXPLAIN_ZH)
    }

    fn explain_in(
        &self,
        f: &Figures,
        w: &ExplainWords,
    ) -> Result<(SizeClass, String), SizeUnknown> {
        let row = self.checked(f)?;
        let class = row.decide(f);
        let value = |fig: Figure| fig.of(f).unwrap_or(f64::NAN);
        let inputs = row
            .needs
            .iter()
            .map(|fig| format!("{} = {}", fig.symbol(), value(*fig)))
            .collect::<Vec<_>>()
            .join(w.comma);
        let mut text = format!("{}{}{inputs}{}", f.sector, w.colon, w.semicolon);
        if class == SizeClass::Large {
            let all = row
                .ceiling
                .iter()
                .map(|(fig, c)| format!("{} {} ≥ {c}", fig.symbol(), value(*fig)))
                .collect::<Vec<_>>()
                .join(w.comma);
            text.push_str(&format!(
                "{}{}{all}{} → 大型",
                w.none_below, w.open, w.close
            ));
            return Ok((class, text));
        }
        let below = row
            .ceiling
            .iter()
            .filter(|(fig, c)| value(*fig) < *c)
            .map(|(fig, c)| format!("{} {} < {c}", fig.symbol(), value(*fig)))
            .collect::<Vec<_>>()
            .join(w.comma);
        text.push_str(&format!("{}{}{below}{}", w.sme, w.colon, w.semicolon));
        for (name, bounds, this) in [
            ("中型", &row.medium, SizeClass::Medium),
            ("小型", &row.small, SizeClass::Small),
        ] {
            let need = bounds
                .iter()
                .map(|(fig, b)| format!("{} ≥ {b}", fig.symbol()))
                .collect::<Vec<_>>()
                .join(w.and);
            text.push_str(&format!("{name}{}{need}{}", w.needs, w.colon));
            if class == this {
                text.push_str(&format!("{} → {name}", w.met));
                return Ok((class, text));
            }
            let failed = bounds
                .iter()
                .filter(|(fig, b)| value(*fig) < *b)
                .map(|(fig, b)| format!("{} {} < {b}", fig.symbol(), value(*fig)))
                .collect::<Vec<_>>()
                .join(w.comma);
            text.push_str(&format!("{failed}{}", w.semicolon));
        }
        text.push_str("→ 微型");
        Ok((class, text))
    }

    fn lookup(&self, f: &Figures) -> Result<&SizeRow, SizeUnknown> {
        self.row(&f.sector)
            .ok_or_else(|| SizeUnknown::UnknownSector(f.sector.clone()))
    }

    /// The row of `f`'s sector, once `f` has every figure it needs, all valid.
    fn checked(&self, f: &Figures) -> Result<&SizeRow, SizeUnknown> {
        let row = self.lookup(f)?;
        let missing = missing_of(row, f);
        if !missing.is_empty() {
            return Err(SizeUnknown::Missing(missing));
        }
        let invalid: Vec<(Figure, f64)> = row
            .needs
            .iter()
            .filter_map(|fig| fig.of(f).map(|v| (*fig, v)))
            .filter(|(_, v)| !(v.is_finite() && *v >= 0.0))
            .collect();
        if !invalid.is_empty() {
            return Err(SizeUnknown::Invalid(invalid));
        }
        Ok(row)
    }
}

/// The words between the figures of a size explanation, in one language.
struct ExplainWords {
    colon: &'static str,
    semicolon: &'static str,
    comma: &'static str,
    open: &'static str,
    close: &'static str,
    sme: &'static str,
    needs: &'static str,
    and: &'static str,
    met: &'static str,
    none_below: &'static str,
}

const EXPLAIN_EN: ExplainWords = ExplainWords {
    colon: ": ",
    semicolon: "; ",
    comma: ", ",
    open: " (",
    close: ")",
    sme: "SME",
    needs: " needs ",
    and: " and ",
    met: "met",
    none_below: "no figure below its SME ceiling",
};

const EXPLAIN_ZH: ExplainWords = ExplainWords {
    colon: "：",
    semicolon: "；",
    comma: "，",
    open: "（",
    close: "）",
    sme: "中小企业",
    needs: "须 ",
    and: " 且 ",
    met: "满足",
    none_below: "无一项指标低于中小企业上限",
};

fn missing_of(row: &SizeRow, f: &Figures) -> Vec<Figure> {
    row.needs
        .iter()
        .copied()
        .filter(|fig| fig.of(f).is_none())
        .collect()
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "a mapping",
    }
}

fn parse_row(entry: &serde_json::Value, number: usize) -> Result<SizeRow, String> {
    let Some(obj) = entry.as_object() else {
        return Err(format!(
            "size table entry {number}: expected a mapping with sectors, medium, small and ceiling, found {}",
            json_kind(entry)
        ));
    };
    // The sectors first, so that later messages can name them.
    let sectors = match obj.get("sectors") {
        None => return Err(format!("size table entry {number}: `sectors` is missing")),
        Some(serde_json::Value::Array(list)) if !list.is_empty() => {
            let mut sectors = Vec::with_capacity(list.len());
            for (i, s) in list.iter().enumerate() {
                match s.as_str() {
                    Some(name) if !name.trim().is_empty() && name.trim() == name => {
                        sectors.push(name.to_owned());
                    }
                    Some(name) => {
                        return Err(format!(
                            "size table entry {number}: sector {} {name:?} is empty or has surrounding whitespace",
                            i + 1
                        ));
                    }
                    None => {
                        return Err(format!(
                            "size table entry {number}: sector {} must be a string, found {}",
                            i + 1,
                            json_kind(s)
                        ));
                    }
                }
            }
            sectors
        }
        Some(other) => {
            return Err(format!(
                "size table entry {number}: `sectors` must be a non-empty list of sector names, found {}",
                match other {
                    serde_json::Value::Array(_) => "an empty list",
                    v => json_kind(v),
                }
            ));
        }
    };
    let at = format!("size table entry {number} ({})", sectors.join("、"));
    for key in obj.keys() {
        if !matches!(key.as_str(), "sectors" | "medium" | "small" | "ceiling")
            && !ENTRY_IGNORED_KEYS.contains(&key.as_str())
        {
            return Err(format!(
                "{at}: unknown key `{key}`; an entry has sectors, medium, small and ceiling (and optionally note, source)"
            ));
        }
    }
    let medium = parse_bounds(obj.get("medium"), "medium", &at)?;
    let small = parse_bounds(obj.get("small"), "small", &at)?;
    let ceiling = parse_bounds(obj.get("ceiling"), "ceiling", &at)?;
    for (lower_name, lower, upper_name, upper) in [
        ("small", &small, "medium", &medium),
        ("medium", &medium, "ceiling", &ceiling),
        ("small", &small, "ceiling", &ceiling),
    ] {
        for (fig, low) in lower {
            if let Some((_, high)) = upper.iter().find(|(g, _)| g == fig) {
                if low > high {
                    return Err(format!(
                        "{at}: {lower_name}.{fig} = {low} is above {upper_name}.{fig} = {high}; bounds must rise from small to medium to ceiling"
                    ));
                }
            }
        }
    }
    let needs = Figure::ALL
        .into_iter()
        .filter(|fig| {
            [&medium, &small, &ceiling]
                .iter()
                .any(|b| b.iter().any(|(g, _)| g == fig))
        })
        .collect();
    Ok(SizeRow {
        sectors,
        medium,
        small,
        ceiling,
        needs,
    })
}

fn parse_bounds(value: Option<&serde_json::Value>, part: &str, at: &str) -> Result<Bounds, String> {
    let Some(value) = value else {
        return Err(format!("{at}: `{part}` is missing"));
    };
    let Some(obj) = value.as_object() else {
        return Err(format!(
            "{at}: `{part}` must be a mapping of figures to numbers, found {}",
            json_kind(value)
        ));
    };
    if obj.is_empty() {
        return Err(format!("{at}: `{part}` names no figure"));
    }
    let mut bounds = Vec::with_capacity(obj.len());
    for (key, v) in obj {
        let Some(fig) = Figure::from_key(key) else {
            return Err(format!(
                "{at}: `{part}.{key}` is not a figure; the figures are employees, revenue_10k_yuan and assets_10k_yuan"
            ));
        };
        match v.as_f64() {
            Some(n) if n.is_finite() && n >= 0.0 => bounds.push((fig, n)),
            Some(n) => {
                return Err(format!("{at}: `{part}.{key}` = {n} must not be negative"));
            }
            None => {
                return Err(format!(
                    "{at}: `{part}.{key}` must be a number, found {}",
                    json_kind(v)
                ));
            }
        }
    }
    bounds.sort_by_key(|(fig, _)| *fig);
    Ok(bounds)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// The table of docs/domain.md, section "size".
    fn table_json() -> serde_json::Value {
        json!([
            {"sectors": ["农、林、牧、渔业"],
             "medium": {"revenue_10k_yuan": 500},
             "small": {"revenue_10k_yuan": 50},
             "ceiling": {"revenue_10k_yuan": 20000}},
            {"sectors": ["工业"],
             "medium": {"employees": 300, "revenue_10k_yuan": 2000},
             "small": {"employees": 20, "revenue_10k_yuan": 300},
             "ceiling": {"employees": 1000, "revenue_10k_yuan": 40000}},
            {"sectors": ["建筑业"],
             "medium": {"revenue_10k_yuan": 6000, "assets_10k_yuan": 5000},
             "small": {"revenue_10k_yuan": 300, "assets_10k_yuan": 300},
             "ceiling": {"revenue_10k_yuan": 80000, "assets_10k_yuan": 80000}},
            {"sectors": ["批发业"],
             "medium": {"employees": 20, "revenue_10k_yuan": 5000},
             "small": {"employees": 5, "revenue_10k_yuan": 1000},
             "ceiling": {"employees": 200, "revenue_10k_yuan": 40000}},
            {"sectors": ["零售业"],
             "medium": {"employees": 50, "revenue_10k_yuan": 500},
             "small": {"employees": 10, "revenue_10k_yuan": 100},
             "ceiling": {"employees": 300, "revenue_10k_yuan": 20000}},
            {"sectors": ["交通运输业"],
             "medium": {"employees": 300, "revenue_10k_yuan": 3000},
             "small": {"employees": 20, "revenue_10k_yuan": 200},
             "ceiling": {"employees": 1000, "revenue_10k_yuan": 30000}},
            {"sectors": ["仓储业"],
             "medium": {"employees": 100, "revenue_10k_yuan": 1000},
             "small": {"employees": 20, "revenue_10k_yuan": 100},
             "ceiling": {"employees": 200, "revenue_10k_yuan": 30000}},
            {"sectors": ["邮政业"],
             "medium": {"employees": 300, "revenue_10k_yuan": 2000},
             "small": {"employees": 20, "revenue_10k_yuan": 100},
             "ceiling": {"employees": 1000, "revenue_10k_yuan": 30000}},
            {"sectors": ["住宿业", "餐饮业"],
             "medium": {"employees": 100, "revenue_10k_yuan": 2000},
             "small": {"employees": 10, "revenue_10k_yuan": 100},
             "ceiling": {"employees": 300, "revenue_10k_yuan": 10000}},
            {"sectors": ["信息传输业"],
             "medium": {"employees": 100, "revenue_10k_yuan": 1000},
             "small": {"employees": 10, "revenue_10k_yuan": 100},
             "ceiling": {"employees": 2000, "revenue_10k_yuan": 100000}},
            {"sectors": ["软件和信息技术服务业"],
             "medium": {"employees": 100, "revenue_10k_yuan": 1000},
             "small": {"employees": 10, "revenue_10k_yuan": 50},
             "ceiling": {"employees": 300, "revenue_10k_yuan": 10000}},
            {"sectors": ["房地产开发经营"],
             "medium": {"revenue_10k_yuan": 1000, "assets_10k_yuan": 5000},
             "small": {"revenue_10k_yuan": 100, "assets_10k_yuan": 2000},
             "ceiling": {"revenue_10k_yuan": 200000, "assets_10k_yuan": 10000}},
            {"sectors": ["物业管理"],
             "medium": {"employees": 300, "revenue_10k_yuan": 1000},
             "small": {"employees": 100, "revenue_10k_yuan": 500},
             "ceiling": {"employees": 1000, "revenue_10k_yuan": 5000}},
            {"sectors": ["租赁和商务服务业"],
             "medium": {"employees": 100, "assets_10k_yuan": 8000},
             "small": {"employees": 10, "assets_10k_yuan": 100},
             "ceiling": {"employees": 300, "assets_10k_yuan": 120000}},
            {"sectors": ["其他未列明行业"],
             "medium": {"employees": 100},
             "small": {"employees": 10},
             "ceiling": {"employees": 300}}
        ])
    }

    /// The table of `rules/size.yaml`, for the tests of the CEL functions too.
    pub(crate) fn table() -> SizeTable {
        SizeTable::from_json(&table_json()).unwrap()
    }

    fn figs(sector: &str, x: Option<f64>, y: Option<f64>, z: Option<f64>) -> Figures {
        Figures {
            sector: sector.to_owned(),
            employees: x,
            revenue_10k_yuan: y,
            assets_10k_yuan: z,
        }
    }

    fn xy(sector: &str, x: f64, y: f64) -> Result<SizeClass, SizeUnknown> {
        table().classify(&figs(sector, Some(x), Some(y), None))
    }

    use SizeClass::{Large, Medium, Micro, Small};

    #[test]
    fn the_full_table_loads() {
        let t = table();
        assert_eq!(t.sectors().count(), 16);
        assert_eq!(t.rows().len(), 15);
        assert_eq!(t.row("住宿业"), t.row("餐饮业"));
        let row = t.row("工业").unwrap();
        assert_eq!(
            row.needs(),
            &[Figure::Employees, Figure::Revenue10kYuan][..]
        );
        assert_eq!(
            row.medium(),
            &[(Figure::Employees, 300.0), (Figure::Revenue10kYuan, 2000.0)][..]
        );
        assert_eq!(row.small().len(), 2);
        assert_eq!(row.ceiling().len(), 2);
        assert_eq!(row.sectors(), &["工业".to_owned()][..]);
        assert!(t.row("制造业").is_none());
    }

    #[test]
    fn industry_boundaries() {
        // exactly on the 中型 bounds: ≥ passes
        assert_eq!(xy("工业", 300.0, 2000.0), Ok(Medium));
        // one below either 中型 bound
        assert_eq!(xy("工业", 299.0, 2000.0), Ok(Small));
        assert_eq!(xy("工业", 300.0, 1999.99), Ok(Small));
        // exactly on the 小型 bounds
        assert_eq!(xy("工业", 20.0, 300.0), Ok(Small));
        // one below either 小型 bound: 微型 needs only one
        assert_eq!(xy("工业", 19.0, 300.0), Ok(Micro));
        assert_eq!(xy("工业", 20.0, 299.0), Ok(Micro));
        assert_eq!(xy("工业", 0.0, 0.0), Ok(Micro));
        // the example of the brief
        assert_eq!(xy("工业", 50.0, 500.0), Ok(Small));
        // on both ceilings: no figure below → 大型
        assert_eq!(xy("工业", 1000.0, 40000.0), Ok(Large));
        assert_eq!(xy("工业", 5000.0, 100000.0), Ok(Large));
        // one figure below its ceiling → SME
        assert_eq!(xy("工业", 999.0, 40000.0), Ok(Medium));
        assert_eq!(xy("工业", 1000.0, 39999.0), Ok(Medium));
        // many employees but little revenue: SME, and 微型 since Y < 300
        assert_eq!(xy("工业", 5000.0, 100.0), Ok(Micro));
    }

    #[test]
    fn other_two_figure_sectors() {
        assert_eq!(xy("批发业", 20.0, 5000.0), Ok(Medium));
        assert_eq!(xy("批发业", 5.0, 1000.0), Ok(Small));
        assert_eq!(xy("批发业", 4.0, 1000.0), Ok(Micro));
        assert_eq!(xy("批发业", 200.0, 40000.0), Ok(Large));
        assert_eq!(xy("零售业", 50.0, 500.0), Ok(Medium));
        assert_eq!(xy("零售业", 10.0, 99.0), Ok(Micro));
        assert_eq!(xy("交通运输业", 300.0, 3000.0), Ok(Medium));
        assert_eq!(xy("仓储业", 200.0, 29999.0), Ok(Medium));
        assert_eq!(xy("仓储业", 200.0, 30000.0), Ok(Large));
        assert_eq!(xy("邮政业", 20.0, 100.0), Ok(Small));
        assert_eq!(xy("信息传输业", 2000.0, 100000.0), Ok(Large));
        assert_eq!(xy("信息传输业", 1999.0, 100000.0), Ok(Medium));
        assert_eq!(xy("软件和信息技术服务业", 10.0, 50.0), Ok(Small));
        assert_eq!(xy("软件和信息技术服务业", 10.0, 49.0), Ok(Micro));
        assert_eq!(xy("物业管理", 100.0, 500.0), Ok(Small));
        assert_eq!(xy("物业管理", 99.0, 5000.0), Ok(Micro));
        assert_eq!(xy("物业管理", 1000.0, 5000.0), Ok(Large));
        // 住宿业 and 餐饮业 share a row
        for sector in ["住宿业", "餐饮业"] {
            assert_eq!(xy(sector, 100.0, 2000.0), Ok(Medium));
            assert_eq!(xy(sector, 10.0, 100.0), Ok(Small));
            assert_eq!(xy(sector, 9.0, 100.0), Ok(Micro));
            assert_eq!(xy(sector, 300.0, 10000.0), Ok(Large));
        }
    }

    #[test]
    fn farming_needs_only_revenue() {
        let t = table();
        let y = |y: f64| t.classify(&figs("农、林、牧、渔业", None, Some(y), None));
        assert_eq!(y(500.0), Ok(Medium));
        assert_eq!(y(499.0), Ok(Small));
        assert_eq!(y(50.0), Ok(Small));
        assert_eq!(y(49.9), Ok(Micro));
        assert_eq!(y(19999.0), Ok(Medium));
        assert_eq!(y(20000.0), Ok(Large));
        // other figures are ignored
        assert_eq!(
            t.classify(&figs(
                "农、林、牧、渔业",
                Some(5000.0),
                Some(60.0),
                Some(1e9)
            )),
            Ok(Small)
        );
        assert_eq!(
            t.classify(&figs("农、林、牧、渔业", Some(5.0), None, None)),
            Err(SizeUnknown::Missing(vec![Figure::Revenue10kYuan]))
        );
    }

    #[test]
    fn other_sectors_need_only_employees() {
        let t = table();
        let x = |x: f64| t.classify(&figs("其他未列明行业", Some(x), None, None));
        assert_eq!(x(100.0), Ok(Medium));
        assert_eq!(x(99.0), Ok(Small));
        assert_eq!(x(10.0), Ok(Small));
        assert_eq!(x(9.0), Ok(Micro));
        assert_eq!(x(299.0), Ok(Medium));
        assert_eq!(x(300.0), Ok(Large));
    }

    #[test]
    fn leasing_needs_employees_and_assets() {
        let t = table();
        let xz = |x: f64, z: f64| t.classify(&figs("租赁和商务服务业", Some(x), None, Some(z)));
        assert_eq!(xz(100.0, 8000.0), Ok(Medium));
        assert_eq!(xz(100.0, 7999.0), Ok(Small));
        assert_eq!(xz(10.0, 100.0), Ok(Small));
        assert_eq!(xz(10.0, 99.0), Ok(Micro));
        assert_eq!(xz(9.0, 100.0), Ok(Micro));
        assert_eq!(xz(300.0, 120000.0), Ok(Large));
        assert_eq!(xz(300.0, 119999.0), Ok(Medium));
        assert_eq!(
            t.classify(&figs("租赁和商务服务业", Some(50.0), Some(1e6), None)),
            Err(SizeUnknown::Missing(vec![Figure::Assets10kYuan]))
        );
    }

    #[test]
    fn construction_and_real_estate_use_assets() {
        let t = table();
        let yz = |s: &str, y: f64, z: f64| t.classify(&figs(s, None, Some(y), Some(z)));
        assert_eq!(yz("建筑业", 6000.0, 5000.0), Ok(Medium));
        assert_eq!(yz("建筑业", 300.0, 300.0), Ok(Small));
        assert_eq!(yz("建筑业", 300.0, 299.0), Ok(Micro));
        assert_eq!(yz("建筑业", 80000.0, 80000.0), Ok(Large));
        assert_eq!(yz("房地产开发经营", 1000.0, 5000.0), Ok(Medium));
        assert_eq!(yz("房地产开发经营", 100.0, 1999.0), Ok(Micro));
        assert_eq!(yz("房地产开发经营", 200000.0, 10000.0), Ok(Large));
        assert_eq!(yz("房地产开发经营", 200000.0, 9999.0), Ok(Medium));
    }

    #[test]
    fn missing_and_unknown() {
        let t = table();
        let none = figs("工业", None, None, None);
        let e = t.classify(&none).unwrap_err();
        assert_eq!(
            e,
            SizeUnknown::Missing(vec![Figure::Employees, Figure::Revenue10kYuan])
        );
        assert_eq!(e.to_string(), "employees, revenue_10k_yuan absent");
        assert_eq!(
            t.missing(&none),
            Ok(vec![Figure::Employees, Figure::Revenue10kYuan])
        );
        // a figure the sector does not use is not needed
        let only_x = figs("工业", Some(5.0), None, Some(1.0));
        assert_eq!(
            t.classify(&only_x),
            Err(SizeUnknown::Missing(vec![Figure::Revenue10kYuan]))
        );
        assert_eq!(
            t.missing(&figs("工业", Some(5.0), Some(5.0), None)),
            Ok(vec![])
        );

        let unknown = figs("制造业", Some(5.0), Some(5.0), None);
        assert_eq!(
            t.classify(&unknown),
            Err(SizeUnknown::UnknownSector("制造业".to_owned()))
        );
        assert_eq!(
            t.missing(&unknown).unwrap_err().to_string(),
            "unknown sector 制造业"
        );
        assert_eq!(
            t.classify(&figs("", Some(5.0), None, None))
                .unwrap_err()
                .to_string(),
            "sector absent"
        );
    }

    #[test]
    fn invalid_figures_are_not_classified() {
        let t = table();
        let e = t
            .classify(&figs("工业", Some(-3.0), Some(100.0), None))
            .unwrap_err();
        assert_eq!(e, SizeUnknown::Invalid(vec![(Figure::Employees, -3.0)]));
        assert_eq!(
            e.to_string(),
            "employees = -3 is not a valid figure (a number ≥ 0 is needed)"
        );
        let e = t
            .classify(&figs("工业", Some(f64::NAN), Some(f64::INFINITY), None))
            .unwrap_err();
        assert!(e.to_string().contains("are not valid figures"), "{e}");
        // absent wins over invalid: both are reported in turn
        assert_eq!(
            t.classify(&figs("工业", Some(-1.0), None, None)),
            Err(SizeUnknown::Missing(vec![Figure::Revenue10kYuan]))
        );
        // an unneeded invalid figure is ignored
        assert_eq!(
            t.classify(&figs("工业", Some(50.0), Some(500.0), Some(f64::NAN))),
            Ok(Small)
        );
    }

    #[test]
    fn explanations_show_the_calculation() {
        let t = table();
        let (c, text) = t
            .explain(&figs("工业", Some(50.0), Some(500.0), None))
            .unwrap();
        assert_eq!(c, Small);
        assert_eq!(
            text,
            "工业: X = 50, Y = 500; SME: X 50 < 1000, Y 500 < 40000; 中型 needs X ≥ 300 and Y ≥ 2000: X 50 < 300, Y 500 < 2000; 小型 needs X ≥ 20 and Y ≥ 300: met → 小型"
        );
        let (c, text) = t
            .explain(&figs("工业", Some(1000.0), Some(40000.0), None))
            .unwrap();
        assert_eq!(c, Large);
        assert_eq!(
            text,
            "工业: X = 1000, Y = 40000; no figure below its SME ceiling (X 1000 ≥ 1000, Y 40000 ≥ 40000) → 大型"
        );
        let (c, text) = t
            .explain(&figs("其他未列明行业", Some(100.0), None, None))
            .unwrap();
        assert_eq!(c, Medium);
        assert!(text.ends_with("中型 needs X ≥ 100: met → 中型"), "{text}");
        let (c, text) = t
            .explain(&figs("工业", Some(19.0), Some(300.0), None))
            .unwrap();
        assert_eq!(c, Micro);
        assert!(
            text.ends_with("小型 needs X ≥ 20 and Y ≥ 300: X 19 < 20; → 微型"),
            "{text}"
        );
        assert_eq!(
            t.explain(&figs("工业", None, None, None)),
            Err(SizeUnknown::Missing(vec![
                Figure::Employees,
                Figure::Revenue10kYuan
            ]))
        );
        // the decision agrees with classify everywhere on a grid
        for x in [0.0, 19.0, 20.0, 299.0, 300.0, 999.0, 1000.0] {
            for y in [0.0, 299.0, 300.0, 1999.0, 2000.0, 39999.0, 40000.0] {
                let f = figs("工业", Some(x), Some(y), None);
                assert_eq!(t.explain(&f).map(|(c, _)| c), t.classify(&f));
            }
        }
    }

    #[test]
    fn explanations_in_chinese() {
        let t = table();
        let (c, text) = t
            .explain_zh(&figs("工业", Some(50.0), Some(500.0), None))
            .unwrap();
        assert_eq!(c, Small);
        assert_eq!(
            text,
            "工业：X = 50，Y = 500；中小企业：X 50 < 1000，Y 500 < 40000；中型须 X ≥ 300 且 Y ≥ 2000：X 50 < 300，Y 500 < 2000；小型须 X ≥ 20 且 Y ≥ 300：满足 → 小型"
        );
        let (c, text) = t
            .explain_zh(&figs("工业", Some(1000.0), Some(40000.0), None))
            .unwrap();
        assert_eq!(c, Large);
        assert_eq!(
            text,
            "工业：X = 1000，Y = 40000；无一项指标低于中小企业上限（X 1000 ≥ 1000，Y 40000 ≥ 40000） → 大型"
        );
        let (c, text) = t
            .explain_zh(&figs("工业", Some(19.0), Some(300.0), None))
            .unwrap();
        assert_eq!(c, Micro);
        assert!(
            text.ends_with("小型须 X ≥ 20 且 Y ≥ 300：X 19 < 20；→ 微型"),
            "{text}"
        );
        assert!(
            !text
                .chars()
                .any(|c| c.is_ascii_alphabetic() && !"XYZ".contains(c)),
            "{text}"
        );
        for x in [0.0, 19.0, 20.0, 299.0, 300.0, 999.0, 1000.0] {
            for y in [0.0, 299.0, 300.0, 1999.0, 2000.0, 39999.0, 40000.0] {
                let f = figs("工业", Some(x), Some(y), None);
                assert_eq!(t.explain_zh(&f).map(|(c, _)| c), t.classify(&f));
            }
        }
    }

    #[test]
    fn size_class_names() {
        for c in SizeClass::ALL {
            assert_eq!(SizeClass::from_zh(c.zh()), Some(c));
            assert_eq!(c.to_string(), c.zh());
        }
        assert_eq!(Large.zh(), "大型");
        assert_eq!(Medium.zh(), "中型");
        assert_eq!(Small.zh(), "小型");
        assert_eq!(Micro.zh(), "微型");
        assert_eq!(SizeClass::from_zh("大"), None);
        assert_eq!(SizeClass::from_zh(" 小型"), None);
        assert_eq!(SizeClass::from_zh("small"), None);
        for f in Figure::ALL {
            assert_eq!(Figure::from_key(f.key()), Some(f));
        }
        assert_eq!(Figure::from_key("employee"), None);
    }

    fn table_error(v: serde_json::Value) -> String {
        SizeTable::from_json(&v).unwrap_err()
    }

    #[test]
    fn table_errors_name_the_entry() {
        let ok = json!({"sectors": ["工业"], "medium": {"employees": 300},
                        "small": {"employees": 20}, "ceiling": {"employees": 1000}});
        let with = |key: &str, value: serde_json::Value| {
            let mut e = ok.clone();
            e[key] = value;
            json!([{"sectors": ["零售业"], "medium": {"employees": 50},
                    "small": {"employees": 10}, "ceiling": {"employees": 300}}, e])
        };
        let cases: Vec<(serde_json::Value, &str)> = vec![
            (
                json!({"a": 1}),
                "expected a list of entries, found a mapping",
            ),
            (json!([1]), "entry 1: expected a mapping"),
            (json!([{"medium": {}}]), "entry 1: `sectors` is missing"),
            (
                with("sectors", json!([])),
                "entry 2: `sectors` must be a non-empty list",
            ),
            (with("sectors", json!("工业")), "found a string"),
            (
                with("sectors", json!([7])),
                "entry 2: sector 1 must be a string",
            ),
            (with("sectors", json!([" 工业"])), "surrounding whitespace"),
            (
                with("sectors", json!(["零售业"])),
                "entry 2 (零售业): sector 零售业 is already listed in entry 1",
            ),
            (
                with("sectors", json!(["工业", "工业"])),
                "already listed earlier in the same entry",
            ),
            (
                with("mediums", json!({})),
                "entry 2 (工业): unknown key `mediums`",
            ),
            (
                with("medium", json!(null)),
                "entry 2 (工业): `medium` must be a mapping",
            ),
            (
                with("medium", json!({})),
                "entry 2 (工业): `medium` names no figure",
            ),
            (
                with("small", json!({"employee": 20})),
                "entry 2 (工业): `small.employee` is not a figure",
            ),
            (
                with("small", json!({"employees": "20"})),
                "`small.employees` must be a number, found a string",
            ),
            (
                with("small", json!({"employees": -1})),
                "`small.employees` = -1 must not be negative",
            ),
            (
                with("small", json!({"employees": 500})),
                "small.employees = 500 is above medium.employees = 300",
            ),
            (
                with("ceiling", json!({"employees": 200})),
                "medium.employees = 300 is above ceiling.employees = 200",
            ),
        ];
        for (value, want) in cases {
            let err = table_error(value.clone());
            assert!(err.contains(want), "{value}: {err:?} lacks {want:?}");
            assert!(err.starts_with("size table"), "{err}");
        }
        // an empty table knows no sector
        let empty = SizeTable::from_json(&json!([])).unwrap();
        assert_eq!(empty.sectors().count(), 0);
        assert_eq!(
            empty.classify(&figs("工业", Some(1.0), Some(1.0), None)),
            Err(SizeUnknown::UnknownSector("工业".to_owned()))
        );
        let mut missing = ok.clone();
        missing.as_object_mut().unwrap().remove("ceiling");
        assert!(table_error(json!([missing])).contains("entry 1 (工业): `ceiling` is missing"));
        // note and source are allowed
        let mut noted = ok.clone();
        noted["note"] = json!("工信部联企业〔2011〕300号");
        noted["source"] = json!({"url": "x"});
        assert!(SizeTable::from_json(&json!([noted])).is_ok());
        // integers and floats are both numbers
        let floats = json!([{"sectors": ["工业"], "medium": {"employees": 300.5},
                             "small": {"employees": 20}, "ceiling": {"employees": 1000}}]);
        assert!(SizeTable::from_json(&floats).is_ok());
    }
}
