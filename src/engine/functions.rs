//! Domain functions the rules call: the USCC check (统一社会信用代码, GB 32100-2015), enterprise
//! size classification (《中小企业划型标准规定》 工信部联企业〔2011〕300号), calendar dates, land
//! units, and their registration as CEL functions ([`register`]).
//!
//! Everything here is panic-free on any input: malformed data comes back as an `Err`, a
//! [`UsccProblem`], a [`SizeUnknown`] or a CEL error, never as a panic.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use cel::common::types::{CelBool, CelDouble, CelInt, CelList, CelNull, CelString, CelUInt, Kind};
use cel::common::value::{CowVal, Val};
use cel::{Context, ExecutionError, FunctionContext};
use jiff::civil::Date;

// ---------------------------------------------------------------------------------------------
// USCC (统一社会信用代码), GB 32100-2015
// ---------------------------------------------------------------------------------------------

/// The 31 characters a USCC may use, in the order of their values (0–30): the digits and the
/// upper-case letters without I, O, Z, S and V.
const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weights of the first 17 characters (3ⁱ mod 31).
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The number of characters of a USCC.
const USCC_LEN: usize = 18;

/// The value of a USCC character (its index in [`USCC_ALPHABET`]), or `None` when the
/// character is not one a USCC may use.
fn uscc_value(c: char) -> Option<usize> {
    let (base, first) = match c {
        '0'..='9' => (0, '0'),
        'A'..='H' => (10, 'A'),
        'J'..='N' => (18, 'J'),
        'P'..='R' => (23, 'P'),
        'T'..='U' => (26, 'T'),
        'W'..='Y' => (28, 'W'),
        _ => return None,
    };
    Some(base + (c as usize - first as usize))
}

/// What is wrong with a string given as a USCC; see [`uscc_problem`].
///
/// Positions count characters (not bytes) from 1, as a person reading the code would.
/// The [`Display`](fmt::Display) text is a complete sentence fragment for a diagnostic,
/// e.g. `character 5 'I' is not used in a USCC (no I, O, Z, S or V)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsccProblem {
    /// The code does not have 18 characters; `found` is how many it has.
    Length {
        /// The number of characters (Unicode scalar values) of the input.
        found: usize,
    },
    /// A character outside `0-9 A-H J-N P-R T-U W-Y` (the first such one).
    Charset {
        /// Its position, from 1.
        position: usize,
        /// The character.
        found: char,
    },
    /// One of characters 3–8, the registering authority's region code, is not a digit
    /// (the first such one).
    Region {
        /// Its position, from 3 to 8.
        position: usize,
        /// The character.
        found: char,
    },
    /// The 18th character is not the check character computed from the first 17.
    CheckCharacter {
        /// The check character the first 17 characters call for.
        expected: char,
        /// The 18th character of the input.
        found: char,
    },
}

impl UsccProblem {
    /// The problem in Chinese, for messages.
    #[must_use]
    pub fn zh(&self) -> String {
        match *self {
            UsccProblem::Length { found } => {
                format!("长度为 {found} 位，统一社会信用代码应为 {USCC_LEN} 位")
            }
            UsccProblem::Charset { position, found } => {
                let upper = found.to_ascii_uppercase();
                if found.is_ascii_lowercase() && uscc_value(upper).is_some() {
                    format!("第 {position} 位“{found}”是小写字母，应写作大写“{upper}”")
                } else if matches!(upper, 'I' | 'O' | 'Z' | 'S' | 'V') {
                    format!(
                        "第 {position} 位“{found}”不会出现在统一社会信用代码中（不用 I、O、Z、S、V）"
                    )
                } else {
                    format!(
                        "第 {position} 位“{found}”不是允许的字符（0-9、A-H、J-N、P-R、T-U、W-Y）"
                    )
                }
            }
            UsccProblem::Region { position, found } => {
                format!("第 {position} 位“{found}”不是数字；第 3–8 位是登记管理机关行政区划码")
            }
            UsccProblem::CheckCharacter { expected, found } => {
                format!("校验码（第 18 位）为“{found}”，按前 17 位计算应为“{expected}”")
            }
        }
    }
}

impl fmt::Display for UsccProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            UsccProblem::Length { found } => {
                write!(f, "has {found} characters; a USCC has {USCC_LEN}")
            }
            UsccProblem::Charset { position, found } => {
                let upper = found.to_ascii_uppercase();
                if found.is_ascii_lowercase() && uscc_value(upper).is_some() {
                    write!(
                        f,
                        "character {position} '{found}' is lower case; a USCC is written in upper case ('{upper}')"
                    )
                } else if matches!(upper, 'I' | 'O' | 'Z' | 'S' | 'V') {
                    write!(
                        f,
                        "character {position} '{found}' is not used in a USCC (no I, O, Z, S or V)"
                    )
                } else {
                    write!(
                        f,
                        "character {position} {found:?} is not allowed; a USCC uses 0-9 A-H J-N P-R T-U W-Y"
                    )
                }
            }
            UsccProblem::Region { position, found } => write!(
                f,
                "character {position} '{found}' is not a digit; characters 3-8 are the region code"
            ),
            UsccProblem::CheckCharacter { expected, found } => write!(
                f,
                "check character (18th) is '{found}' but the first 17 characters give '{expected}'"
            ),
        }
    }
}

impl std::error::Error for UsccProblem {}

/// Checks a 统一社会信用代码 against GB 32100-2015 and says what is wrong, or `None` when it is
/// valid.
///
/// The checks, in order (the first failure is reported):
/// 1. exactly 18 characters;
/// 2. every character from `0-9 A-H J-N P-R T-U W-Y` (upper case only; no I, O, Z, S, V);
/// 3. characters 3–8 are digits (the registering authority's region code);
/// 4. the 18th character is the check character: with `value(c)` the index of `c` in
///    `0123456789ABCDEFGHJKLMNPQRTUWXY` and weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28,
///    it is the character of value `(31 − Σ value(cᵢ)·wᵢ mod 31) mod 31` over the first 17.
///
/// The input is taken as is: surrounding whitespace makes it the wrong length.
pub fn uscc_problem(code: &str) -> Option<UsccProblem> {
    let found = code.chars().count();
    if found != USCC_LEN {
        return Some(UsccProblem::Length { found });
    }
    let mut sum = 0usize;
    let mut weights = USCC_WEIGHTS.iter();
    let mut last = None;
    for (i, c) in code.chars().enumerate() {
        let position = i + 1;
        let Some(value) = uscc_value(c) else {
            return Some(UsccProblem::Charset { position, found: c });
        };
        if (3..=8).contains(&position) && !c.is_ascii_digit() {
            return Some(UsccProblem::Region { position, found: c });
        }
        match weights.next() {
            Some(w) => sum += value * w,
            None => last = Some(c),
        }
    }
    let expected_value = (31 - sum % 31) % 31;
    let expected = char::from(*USCC_ALPHABET.as_bytes().get(expected_value)?);
    match last {
        Some(found) if found == expected => None,
        Some(found) => Some(UsccProblem::CheckCharacter { expected, found }),
        // Unreachable: 18 characters were counted above.
        None => Some(UsccProblem::Length { found }),
    }
}

/// Whether `code` is a valid 统一社会信用代码 per GB 32100-2015 (see [`uscc_problem`] for the
/// checks and for what is wrong when it is not).
pub fn uscc_valid(code: &str) -> bool {
    uscc_problem(code).is_none()
}

// ---------------------------------------------------------------------------------------------
// Enterprise size
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Dates and units
// ---------------------------------------------------------------------------------------------

/// Parses a calendar date written exactly `YYYY-MM-DD` (four-digit year, two-digit month and
/// day, no time, no surrounding whitespace).
///
/// # Errors
///
/// A message quoting the input when it does not have that form or names no calendar day
/// (e.g. `2021-02-29`: "February 2021 has 28 days").
pub fn parse_date(s: &str) -> Result<Date, String> {
    let bytes = s.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let field = |from: usize, to: usize| s.get(from..to).and_then(|t| t.parse::<i16>().ok());
    let parts = if shaped {
        field(0, 4).zip(field(5, 7)).zip(field(8, 10))
    } else {
        None
    };
    let Some(((year, month), day)) = parts else {
        return Err(format!(
            "{} is not a date of the form YYYY-MM-DD",
            quote_short(s)
        ));
    };
    let (Ok(month8), Ok(day8)) = (i8::try_from(month), i8::try_from(day)) else {
        return Err(format!("{s:?} is not a calendar date"));
    };
    if !(1..=12).contains(&month8) {
        return Err(format!(
            "{s:?} is not a calendar date: there is no month {month}"
        ));
    }
    let first =
        Date::new(year, month8, 1).map_err(|e| format!("{s:?} is not a calendar date: {e}"))?;
    let days = first.days_in_month();
    if !(1..=days).contains(&day8) {
        return Err(format!(
            "{s:?} is not a calendar date: {} {year} has {days} days",
            month_name(month8)
        ));
    }
    Date::new(year, month8, day8).map_err(|e| format!("{s:?} is not a calendar date: {e}"))
}

fn month_name(month: i8) -> &'static str {
    match month {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        _ => "December",
    }
}

/// `s` quoted for a message, cut to its first 40 characters.
fn quote_short(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

/// The number of days from `a` to `b` (`b − a`; negative when `b` is before `a`), both
/// `YYYY-MM-DD`.
///
/// # Errors
///
/// The [`parse_date`] message of the first date that does not parse.
pub fn days_between(a: &str, b: &str) -> Result<i64, String> {
    let (a, b) = (parse_date(a)?, parse_date(b)?);
    Ok(days_between_dates(a, b))
}

/// `b − a` in days.
pub fn days_between_dates(a: Date, b: Date) -> i64 {
    a.duration_until(b).as_secs() / 86_400
}

/// The whole years from `a` to `b`, both `YYYY-MM-DD`, counted by anniversary: a year is
/// complete on the day of the same month and day (2020-03-01 → 2022-02-28 is 1 year,
/// → 2022-03-01 is 2). The anniversary of 29 February in a common year is 28 February, the
/// month's last day (as 民法典 第二百零二条 counts periods): 2020-02-29 → 2021-02-28 is 1
/// year, → 2021-02-27 is 0. When `b` is before `a` the result is the negative of the years
/// from `b` to `a`.
///
/// # Errors
///
/// The [`parse_date`] message of the first date that does not parse.
pub fn years_between(a: &str, b: &str) -> Result<i64, String> {
    let (a, b) = (parse_date(a)?, parse_date(b)?);
    Ok(years_between_dates(a, b))
}

/// Whole years from `a` to `b` by anniversary; see [`years_between`].
pub fn years_between_dates(a: Date, b: Date) -> i64 {
    if b < a {
        return -years_between_dates(b, a);
    }
    let mut years = i64::from(b.year()) - i64::from(a.year());
    // a's anniversary in b's year; 29 February falls on the 28th in a common year.
    let day = if a.month() == 2 && a.day() == 29 && !b.in_leap_year() {
        28
    } else {
        a.day()
    };
    if (b.month(), b.day()) < (a.month(), day) {
        years -= 1;
    }
    years
}

/// Square metres per 亩: 10000 / 15 (≈ 666.67; 15 亩 = 1 公顷).
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// Converts 亩 to m²: `mu × 10000 / 15`.
pub fn mu_to_m2(mu: f64) -> f64 {
    mu * 10_000.0 / 15.0
}

// ---------------------------------------------------------------------------------------------
// CEL
// ---------------------------------------------------------------------------------------------

/// The start of the message of the CEL error a function raises when its answer does not
/// apply to the data (e.g. `size_class` on a tenant that lacks a figure).
pub const NOT_APPLICABLE: &str = "not applicable: ";

/// The reason of a "not applicable" CEL error raised by one of the functions registered here
/// (the message after [`NOT_APPLICABLE`]), or `None` for any other error.
pub fn not_applicable_reason(err: &ExecutionError) -> Option<&str> {
    match err {
        ExecutionError::FunctionError { message, .. } => message.strip_prefix(NOT_APPLICABLE),
        _ => None,
    }
}

/// A context function as the cel crate stores it. Built by hand rather than through the
/// crate's argument extractors so that the arity is checked (the extractors ignore extra
/// arguments), strings and maps are read in place (the extractors copy them), and the
/// wrong argument type gets a message that says what was expected.
type CelFunction = Box<
    dyn for<'c, 'v> Fn(&mut FunctionContext<'c, 'v>) -> Result<CowVal<'c, 'v>, ExecutionError>
        + Send
        + Sync,
>;

/// Adds the parkcheck functions to a CEL context:
///
/// | function | returns |
/// |---|---|
/// | `uscc_valid(string)` | `bool`, [`uscc_valid`] |
/// | `size_class(map)` | `string`: 大型/中型/小型/微型, [`SizeTable::classify`] |
/// | `size_explain(map)` | `string`: the calculation, [`SizeTable::explain`] |
/// | `size_explain_zh(map)` | `string`: the same in Chinese, [`SizeTable::explain_zh`] |
/// | `size_missing(map)` | `list(string)`: the figures the sector needs that are absent |
/// | `days_between(string, string)` | `int`, [`days_between`] |
/// | `years_between(string, string)` | `int`, [`years_between`] |
/// | `mu_to_m2(double)` | `double` (an `int` or `uint` is accepted), [`mu_to_m2`] |
///
/// The map of the size functions is a tenant: `sector` (string) and the figures
/// `employees`, `revenue_10k_yuan`, `assets_10k_yuan` (double, int or uint; absent or `null`
/// when unknown). When the size cannot be computed, `size_class` and the `size_explain` functions raise a
/// function error whose message starts with [`NOT_APPLICABLE`] and gives the
/// [`SizeUnknown`] reason, e.g. `not applicable: employees, revenue_10k_yuan absent` or
/// `not applicable: unknown sector 制造业`; `size_missing` raises one for an unknown sector.
/// Each function may also be called as a method on its first argument
/// (`tenant.size_class()`, `a.days_between(b)`).
///
/// # Errors
///
/// When `ctx` is a child scope (the cel crate silently ignores functions added to one), or
/// when a name is already declared as an overload in the context's environment.
pub fn register(ctx: &mut Context<'_, '_>, sizes: Arc<SizeTable>) -> Result<(), String> {
    if matches!(ctx, Context::Child { .. }) {
        return Err(
            "parkcheck functions must be registered on a root CEL context, not a child scope"
                .to_owned(),
        );
    }
    let classify_table = Arc::clone(&sizes);
    let explain_table = Arc::clone(&sizes);
    let explain_zh_table = Arc::clone(&sizes);
    let missing_table = sizes;
    let functions: [(&str, CelFunction); 8] = [
        ("uscc_valid", Box::new(cel_uscc_valid)),
        (
            "size_class",
            Box::new(move |ftx| cel_size_class(ftx, &classify_table)),
        ),
        (
            "size_explain",
            Box::new(move |ftx| cel_size_explain(ftx, &explain_table, false)),
        ),
        (
            "size_explain_zh",
            Box::new(move |ftx| cel_size_explain(ftx, &explain_zh_table, true)),
        ),
        (
            "size_missing",
            Box::new(move |ftx| cel_size_missing(ftx, &missing_table)),
        ),
        ("days_between", Box::new(cel_days_between)),
        ("years_between", Box::new(cel_years_between)),
        ("mu_to_m2", Box::new(cel_mu_to_m2)),
    ];
    for (name, function) in functions {
        ctx.add_function(name, function)
            .map_err(|e| format!("cannot register CEL function {name}: {e}"))?;
    }
    Ok(())
}

/// The operands of a call: the target of a method call, then the arguments.
fn operands<'a, 'c, 'v>(
    ftx: &'a FunctionContext<'c, 'v>,
) -> impl Iterator<Item = &'a (dyn Val + 'v)> + 'a {
    ftx.this
        .iter()
        .chain(ftx.args.iter())
        .map(|c| -> &'a (dyn Val + 'v) { &**c })
}

fn operand_count(ftx: &FunctionContext<'_, '_>) -> usize {
    ftx.args.len() + usize::from(ftx.this.is_some())
}

/// The one operand of a unary function.
fn one<'a, 'c, 'v>(ftx: &'a FunctionContext<'c, 'v>) -> Result<&'a (dyn Val + 'v), ExecutionError> {
    let count = operand_count(ftx);
    match operands(ftx).next() {
        Some(v) if count == 1 => Ok(v),
        _ => Err(ExecutionError::invalid_argument_count(1, count)),
    }
}

/// The two operands of a binary function.
fn two<'a, 'c, 'v>(
    ftx: &'a FunctionContext<'c, 'v>,
) -> Result<(&'a (dyn Val + 'v), &'a (dyn Val + 'v)), ExecutionError> {
    let count = operand_count(ftx);
    let mut it = operands(ftx);
    match (it.next(), it.next()) {
        (Some(a), Some(b)) if count == 2 => Ok((a, b)),
        _ => Err(ExecutionError::invalid_argument_count(2, count)),
    }
}

fn type_name(v: &dyn Val) -> &str {
    v.get_type().name()
}

/// A string operand, read in place.
fn string_arg<'a>(
    ftx: &FunctionContext<'_, '_>,
    v: &'a dyn Val,
    what: &str,
) -> Result<&'a str, ExecutionError> {
    v.downcast_ref::<CelString>()
        .map(CelString::inner)
        .ok_or_else(|| ftx.error(format!("{what} must be a string, got {}", type_name(v))))
}

/// A number: a double, an int or a uint; `Ok(None)` for `null`; `Err` with the type's name
/// otherwise.
fn number_of(v: &dyn Val) -> Result<Option<f64>, String> {
    if let Some(d) = v.downcast_ref::<CelDouble>() {
        Ok(Some(*d.inner()))
    } else if let Some(i) = v.downcast_ref::<CelInt>() {
        Ok(Some(*i.inner() as f64))
    } else if let Some(u) = v.downcast_ref::<CelUInt>() {
        Ok(Some(*u.inner() as f64))
    } else if v.downcast_ref::<CelNull>().is_some() {
        Ok(None)
    } else {
        Err(type_name(v).to_owned())
    }
}

fn cel_uscc_valid<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let code = string_arg(ftx, one(ftx)?, "the USCC")?;
    Ok(CowVal::owned(CelBool::from(uscc_valid(code))))
}

/// Reads a tenant map into [`Figures`]. An absent or `null` sector gives an empty one (which
/// [`SizeUnknown`] reports as "sector absent").
fn tenant_figures(ftx: &FunctionContext<'_, '_>) -> Result<Figures, ExecutionError> {
    let tenant = one(ftx)?;
    // Strings and lists can be indexed too, but are not tenants; an application's own
    // map-like type (a lazy struct, an opaque) is accepted.
    let map_like = matches!(
        tenant.get_type().kind(),
        Kind::Map | Kind::Struct | Kind::Opaque | Kind::Unspecified | Kind::Dyn
    );
    let Some(map) = tenant.as_indexer().filter(|_| map_like) else {
        return Err(ftx.error(format!("expects a tenant map, got {}", type_name(tenant))));
    };
    let field = |key: &'static str| match map.get(&CelString::from(key)) {
        Ok(v) => Ok(Some(v)),
        Err(ExecutionError::NoSuchKey(_)) => Ok(None),
        Err(e) => Err(e),
    };
    let sector = match field("sector")? {
        None => String::new(),
        Some(v) if v.downcast_ref::<CelNull>().is_some() => String::new(),
        Some(v) => string_arg(ftx, &*v, "sector")?.to_owned(),
    };
    let mut figures = Figures {
        sector,
        ..Figures::default()
    };
    for fig in Figure::ALL {
        let value = match field(fig.key())? {
            None => None,
            Some(v) => number_of(&*v)
                .map_err(|got| ftx.error(format!("{} must be a number, got {got}", fig.key())))?,
        };
        match fig {
            Figure::Employees => figures.employees = value,
            Figure::Revenue10kYuan => figures.revenue_10k_yuan = value,
            Figure::Assets10kYuan => figures.assets_10k_yuan = value,
        }
    }
    Ok(figures)
}

fn not_applicable(ftx: &FunctionContext<'_, '_>, why: &SizeUnknown) -> ExecutionError {
    ftx.error(format!("{NOT_APPLICABLE}{why}"))
}

fn cel_size_class<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
    table: &SizeTable,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let figures = tenant_figures(ftx)?;
    match table.classify(&figures) {
        Ok(class) => Ok(CowVal::owned(CelString::from(class.zh()))),
        Err(why) => Err(not_applicable(ftx, &why)),
    }
}

fn cel_size_explain<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
    table: &SizeTable,
    zh: bool,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let figures = tenant_figures(ftx)?;
    let explained = if zh {
        table.explain_zh(&figures)
    } else {
        table.explain(&figures)
    };
    match explained {
        Ok((_, text)) => Ok(CowVal::owned(CelString::from(text))),
        Err(why) => Err(not_applicable(ftx, &why)),
    }
}

fn cel_size_missing<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
    table: &SizeTable,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let figures = tenant_figures(ftx)?;
    match table.missing(&figures) {
        Ok(missing) => {
            let items: Vec<Box<dyn Val + 'v>> = missing
                .into_iter()
                .map(|fig| Box::new(CelString::from(fig.key())) as Box<dyn Val + 'v>)
                .collect();
            Ok(CowVal::owned(CelList::from(items)))
        }
        Err(why) => Err(not_applicable(ftx, &why)),
    }
}

fn date_pair(ftx: &FunctionContext<'_, '_>) -> Result<(Date, Date), ExecutionError> {
    let (a, b) = two(ftx)?;
    let a = string_arg(ftx, a, "the first date")?;
    let b = string_arg(ftx, b, "the second date")?;
    let a = parse_date(a).map_err(|e| ftx.error(e))?;
    let b = parse_date(b).map_err(|e| ftx.error(e))?;
    Ok((a, b))
}

fn cel_days_between<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let (a, b) = date_pair(ftx)?;
    Ok(CowVal::owned(CelInt::from(days_between_dates(a, b))))
}

fn cel_years_between<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let (a, b) = date_pair(ftx)?;
    Ok(CowVal::owned(CelInt::from(years_between_dates(a, b))))
}

fn cel_mu_to_m2<'c, 'v>(
    ftx: &mut FunctionContext<'c, 'v>,
) -> Result<CowVal<'c, 'v>, ExecutionError> {
    let v = one(ftx)?;
    match number_of(v) {
        Ok(Some(mu)) => Ok(CowVal::owned(CelDouble::from(mu_to_m2(mu)))),
        Ok(None) => Err(ftx.error("expects a number of 亩, got null")),
        Err(got) => Err(ftx.error(format!("expects a number of 亩, got {got}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cel::{Program, Value};
    use serde_json::json;
    use std::collections::HashMap;

    // ------------------------------------------------------------------ USCC

    /// An independent computation of the check character, written out from the standard.
    fn reference_check(first17: &str) -> char {
        let alphabet: Vec<char> = "0123456789ABCDEFGHJKLMNPQRTUWXY".chars().collect();
        let weights = [
            1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
        ];
        let mut sum = 0;
        for (i, c) in first17.chars().enumerate() {
            let v = alphabet.iter().position(|a| *a == c).unwrap();
            sum += v * weights[i];
        }
        alphabet[(31 - sum % 31) % 31]
    }

    /// Codes whose check characters were computed by hand (and by a separate script).
    const VALID: [&str; 9] = [
        "91350100M000100Y43", // a published valid code
        "91330483MA2B3C4D5D", // 桐乡市 region, letter check character
        "91330402MA28A1B2C4", // 南湖区
        "92330411MA2JD00019", // 个体工商户, 秀洲区
        "123304000025000007", // 机关
        "913304810000000003",
        "Y1330482MA2CXY7K0Y", // registering authority Y, check character Y
        "91330421MA2BTBB8W8",
        "91330483MA2B3C4050", // Σ ≡ 0 (mod 31): check character 0
    ];

    #[test]
    fn character_values_follow_the_alphabet() {
        for (i, c) in USCC_ALPHABET.chars().enumerate() {
            assert_eq!(uscc_value(c), Some(i), "{c}");
        }
        for c in (0..=0x2_0000u32).filter_map(char::from_u32) {
            if !USCC_ALPHABET.contains(c) {
                assert_eq!(uscc_value(c), None, "{c:?}");
            }
        }
    }

    #[test]
    fn valid_codes_pass() {
        for code in VALID {
            assert_eq!(uscc_problem(code), None, "{code}");
            assert!(uscc_valid(code), "{code}");
            let (head, check) = code.split_at(17);
            assert_eq!(
                reference_check(head),
                check.chars().next().unwrap(),
                "{code}"
            );
        }
    }

    #[test]
    fn computed_codes_pass_and_every_other_check_character_fails() {
        let prefixes = [
            "91330483MA2B3C4D5",
            "91330402MA28A1B2C",
            "52330481MJ0000000",
            "11330400002500000",
            "93330424YYYYYYYYY",
            "A1330482000000001",
        ];
        for prefix in prefixes {
            let expected = reference_check(prefix);
            assert!(uscc_valid(&format!("{prefix}{expected}")), "{prefix}");
            for other in USCC_ALPHABET.chars().filter(|c| *c != expected) {
                let code = format!("{prefix}{other}");
                assert_eq!(
                    uscc_problem(&code),
                    Some(UsccProblem::CheckCharacter {
                        expected,
                        found: other
                    }),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn wrong_check_character() {
        assert_eq!(
            uscc_problem("91350100M000100Y44"),
            Some(UsccProblem::CheckCharacter {
                expected: '3',
                found: '4'
            })
        );
        assert!(!uscc_valid("91350100M000100Y44"));
        // a transposition of two characters is caught
        assert!(!uscc_valid("91350100M000010Y43"));
        let msg = uscc_problem("91350100M000100Y44").unwrap().to_string();
        assert_eq!(
            msg,
            "check character (18th) is '4' but the first 17 characters give '3'"
        );
    }

    #[test]
    fn lower_case_is_invalid() {
        let p = uscc_problem("91330483ma2b3c4d5d");
        assert_eq!(
            p,
            Some(UsccProblem::Charset {
                position: 9,
                found: 'm'
            })
        );
        assert!(p.unwrap().to_string().contains("lower case"));
        assert!(!uscc_valid("91350100m000100y43"));
    }

    #[test]
    fn wrong_length() {
        assert_eq!(uscc_problem(""), Some(UsccProblem::Length { found: 0 }));
        assert_eq!(
            uscc_problem("91350100M000100Y4"),
            Some(UsccProblem::Length { found: 17 })
        );
        assert_eq!(
            uscc_problem("91350100M000100Y430"),
            Some(UsccProblem::Length { found: 19 })
        );
        // surrounding whitespace is not trimmed
        assert_eq!(
            uscc_problem(" 91350100M000100Y43"),
            Some(UsccProblem::Length { found: 19 })
        );
        assert_eq!(
            UsccProblem::Length { found: 17 }.to_string(),
            "has 17 characters; a USCC has 18"
        );
    }

    #[test]
    fn forbidden_letters() {
        for bad in ['I', 'O', 'Z', 'S', 'V'] {
            let code: String = "91330483MA2B3C4D5D"
                .chars()
                .enumerate()
                .map(|(i, c)| if i == 9 { bad } else { c })
                .collect();
            let p = uscc_problem(&code);
            assert_eq!(
                p,
                Some(UsccProblem::Charset {
                    position: 10,
                    found: bad
                }),
                "{code}"
            );
            assert!(p.unwrap().to_string().contains("no I, O, Z, S or V"));
        }
        // punctuation and a lower-case forbidden letter
        assert_eq!(
            uscc_problem("91330483-A2B3C4D5D"),
            Some(UsccProblem::Charset {
                position: 9,
                found: '-'
            })
        );
        let p = uscc_problem("91330483iA2B3C4D5D").unwrap();
        assert!(p.to_string().contains("no I, O, Z, S or V"), "{p}");
    }

    #[test]
    fn non_digit_region_code() {
        assert_eq!(
            uscc_problem("913A0483MA2B3C4D5D"),
            Some(UsccProblem::Region {
                position: 4,
                found: 'A'
            })
        );
        assert_eq!(
            uscc_problem("9133048XMA2B3C4D5D"),
            Some(UsccProblem::Region {
                position: 8,
                found: 'X'
            })
        );
        // characters 1, 2 and 9 may be letters
        assert!(uscc_valid("Y1330482MA2CXY7K0Y"));
        let msg = uscc_problem("913A0483MA2B3C4D5D").unwrap().to_string();
        assert!(msg.contains("region code"), "{msg}");
    }

    #[test]
    fn multibyte_input() {
        // counted in characters, not bytes: 6 CJK characters are 18 bytes
        assert_eq!(
            uscc_problem("统一社会信用"),
            Some(UsccProblem::Length { found: 6 })
        );
        assert_eq!(
            uscc_problem("九1350100M000100Y43"),
            Some(UsccProblem::Charset {
                position: 1,
                found: '九'
            })
        );
        // a full-width digit is not a digit of the code
        assert_eq!(
            uscc_problem("91350100M000100Y4３"),
            Some(UsccProblem::Charset {
                position: 18,
                found: '３'
            })
        );
        assert_eq!(
            uscc_problem("91３50100M000100Y43"),
            Some(UsccProblem::Charset {
                position: 3,
                found: '３'
            })
        );
        assert!(!uscc_valid("🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂"));
        assert!(!uscc_valid("91350100M000100Y4\u{0}"));
    }

    // ------------------------------------------------------------------ size

    /// The table of domain.md, section "size".
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

    fn table() -> SizeTable {
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

    // ------------------------------------------------------------------ dates

    #[test]
    fn parses_dates() {
        let d = parse_date("2020-02-29").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2020, 2, 29));
        assert_eq!(parse_date("0001-01-01").unwrap().year(), 1);
        assert_eq!(parse_date("9999-12-31").unwrap().day(), 31);
    }

    #[test]
    fn rejects_malformed_dates() {
        for s in [
            "",
            "2020-2-3",
            "2020/02/03",
            "20200203",
            " 2020-02-03",
            "2020-02-03 ",
            "2020-02-03T00:00",
            "+2020-02-03",
            "２０２０-02-03",
            "2020-02-0３",
            "2020-0a-03",
            "-020-02-03",
        ] {
            let e = parse_date(s).unwrap_err();
            assert!(
                e.contains("is not a date of the form YYYY-MM-DD"),
                "{s}: {e}"
            );
        }
        let long = "x".repeat(1000);
        let e = parse_date(&long).unwrap_err();
        assert!(e.len() < 100, "{e}");
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        assert_eq!(
            parse_date("2021-02-29").unwrap_err(),
            "\"2021-02-29\" is not a calendar date: February 2021 has 28 days"
        );
        assert!(
            parse_date("1900-02-29")
                .unwrap_err()
                .contains("February 1900 has 28 days")
        );
        assert!(parse_date("2000-02-29").is_ok());
        assert!(
            parse_date("2020-02-30")
                .unwrap_err()
                .contains("February 2020 has 29 days")
        );
        assert!(
            parse_date("2020-04-31")
                .unwrap_err()
                .contains("April 2020 has 30 days")
        );
        assert!(
            parse_date("2020-01-00")
                .unwrap_err()
                .contains("January 2020 has 31 days")
        );
        assert!(
            parse_date("2020-13-01")
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(parse_date("2020-00-10").unwrap_err().contains("no month 0"));
        assert!(
            parse_date("2020-99-99")
                .unwrap_err()
                .contains("no month 99")
        );
    }

    #[test]
    fn counts_days() {
        assert_eq!(days_between("2020-01-01", "2021-01-01"), Ok(366));
        assert_eq!(days_between("2021-01-01", "2022-01-01"), Ok(365));
        assert_eq!(days_between("2021-01-01", "2020-01-01"), Ok(-366));
        assert_eq!(days_between("2020-02-28", "2020-03-01"), Ok(2));
        assert_eq!(days_between("2019-02-28", "2019-03-01"), Ok(1));
        assert_eq!(days_between("2024-07-05", "2024-07-05"), Ok(0));
        assert_eq!(days_between("0001-01-01", "9999-12-31"), Ok(3_652_058));
        assert_eq!(days_between("9999-12-31", "0001-01-01"), Ok(-3_652_058));
        let e = days_between("2020-01-01", "2020-1-2").unwrap_err();
        assert!(e.contains("\"2020-1-2\""), "{e}");
        let e = days_between("bad", "2020-1-2").unwrap_err();
        assert!(e.contains("\"bad\""), "{e}");
    }

    #[test]
    fn counts_years_by_anniversary() {
        let y = |a: &str, b: &str| years_between(a, b).unwrap();
        assert_eq!(y("2020-03-01", "2022-02-28"), 1);
        assert_eq!(y("2020-03-01", "2022-03-01"), 2);
        assert_eq!(y("2020-03-01", "2020-03-01"), 0);
        assert_eq!(y("2020-03-01", "2021-02-28"), 0);
        assert_eq!(y("2020-12-31", "2021-12-30"), 0);
        assert_eq!(y("2020-12-31", "2021-12-31"), 1);
        assert_eq!(y("0001-01-01", "9999-12-31"), 9998);
        // negative, symmetric
        assert_eq!(y("2022-02-28", "2020-03-01"), -1);
        assert_eq!(y("2022-03-01", "2020-03-01"), -2);
        assert!(years_between("2020-03-01", "2022-02-30").is_err());
    }

    #[test]
    fn leap_day_anniversaries() {
        let y = |a: &str, b: &str| years_between(a, b).unwrap();
        // in a common year the anniversary of 29 February is 28 February
        assert_eq!(y("2020-02-29", "2021-02-27"), 0);
        assert_eq!(y("2020-02-29", "2021-02-28"), 1);
        assert_eq!(y("2020-02-29", "2021-03-01"), 1);
        assert_eq!(y("2020-02-29", "2023-02-28"), 3);
        // in a leap year it is 29 February itself
        assert_eq!(y("2020-02-29", "2024-02-28"), 3);
        assert_eq!(y("2020-02-29", "2024-02-29"), 4);
        // from 28 February into a leap year
        assert_eq!(y("2019-02-28", "2020-02-28"), 1);
        assert_eq!(y("2019-02-28", "2020-02-29"), 1);
        assert_eq!(y("2019-03-01", "2020-02-29"), 0);
        // backwards: the negative of forwards
        assert_eq!(y("2021-02-28", "2020-02-29"), -1);
        assert_eq!(y("2021-02-27", "2020-02-29"), 0);
        assert_eq!(y("2024-02-28", "2020-02-29"), -3);
        let dates = [
            "2019-02-28",
            "2019-03-01",
            "2020-02-28",
            "2020-02-29",
            "2020-03-01",
            "2021-02-28",
            "2021-03-01",
            "2023-12-31",
            "2024-02-29",
            "2025-01-01",
        ];
        for a in dates {
            for b in dates {
                assert_eq!(y(a, b), -y(b, a), "{a} {b}");
            }
        }
    }

    #[test]
    fn converts_mu() {
        assert_eq!(mu_to_m2(15.0), 10_000.0);
        assert!((mu_to_m2(1.0) - 666.666_666_666_7).abs() < 1e-9);
        assert_eq!(mu_to_m2(0.0), 0.0);
        assert!((mu_to_m2(256.0) - 170_666.666_666_7).abs() < 1e-6);
        assert!((M2_PER_MU - 666.666_666_666_7).abs() < 1e-9);
    }

    // ------------------------------------------------------------------ CEL

    fn context() -> Context<'static, 'static> {
        let mut ctx = Context::default();
        register(&mut ctx, Arc::new(table())).unwrap();
        ctx
    }

    fn eval(ctx: &Context<'_, '_>, expr: &str) -> Result<Value, ExecutionError> {
        Program::compile(expr).unwrap().execute(ctx)
    }

    fn s(v: &str) -> Value {
        Value::String(Arc::new(v.to_owned()))
    }

    fn message(e: &ExecutionError) -> &str {
        match e {
            ExecutionError::FunctionError { message, .. } => message,
            other => panic!("not a function error: {other:?}"),
        }
    }

    #[test]
    fn cel_uscc_valid_works() {
        let ctx = context();
        assert_eq!(
            eval(&ctx, "uscc_valid('91350100M000100Y43')"),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            eval(&ctx, "uscc_valid('91350100M000100Y44')"),
            Ok(Value::Bool(false))
        );
        assert_eq!(
            eval(&ctx, "'91350100M000100Y43'.uscc_valid()"),
            Ok(Value::Bool(true))
        );
        assert_eq!(eval(&ctx, "uscc_valid('')"), Ok(Value::Bool(false)));
        let e = eval(&ctx, "uscc_valid(91350100)").unwrap_err();
        assert_eq!(message(&e), "the USCC must be a string, got int");
        let e = eval(&ctx, "uscc_valid('a', 'b')").unwrap_err();
        assert_eq!(e, ExecutionError::invalid_argument_count(1, 2));
        let e = eval(&ctx, "uscc_valid()").unwrap_err();
        assert_eq!(e, ExecutionError::invalid_argument_count(1, 0));
        let e = eval(&ctx, "'a'.uscc_valid('b')").unwrap_err();
        assert_eq!(e, ExecutionError::invalid_argument_count(1, 2));
    }

    #[test]
    fn cel_size_class_works() {
        let ctx = context();
        let c = |expr: &str| eval(&ctx, expr);
        assert_eq!(
            c("size_class({'sector': '工业', 'employees': 50.0, 'revenue_10k_yuan': 500.0})"),
            Ok(s("小型"))
        );
        // ints and uints are numbers too
        assert_eq!(
            c("size_class({'sector': '工业', 'employees': 300, 'revenue_10k_yuan': 2000u})"),
            Ok(s("中型"))
        );
        assert_eq!(
            c("size_class({'sector': '工业', 'employees': 1000, 'revenue_10k_yuan': 40000.0})"),
            Ok(s("大型"))
        );
        assert_eq!(
            c("size_class({'sector': '其他未列明行业', 'employees': 3})"),
            Ok(s("微型"))
        );
        assert_eq!(
            c("{'sector': '农、林、牧、渔业', 'revenue_10k_yuan': 600.0}.size_class()"),
            Ok(s("中型"))
        );
        assert_eq!(
            c(
                "size_class({'sector': '工业', 'employees': 50.0, 'revenue_10k_yuan': 500.0}) in ['小型', '微型']"
            ),
            Ok(Value::Bool(true))
        );
    }

    #[test]
    fn cel_size_class_not_applicable() {
        let ctx = context();
        let err = |expr: &str| eval(&ctx, expr).unwrap_err();
        let e = err("size_class({'sector': '工业'})");
        assert_eq!(
            message(&e),
            "not applicable: employees, revenue_10k_yuan absent"
        );
        assert_eq!(
            not_applicable_reason(&e),
            Some("employees, revenue_10k_yuan absent")
        );
        assert_eq!(
            e.to_string(),
            "Error executing function 'size_class': not applicable: employees, revenue_10k_yuan absent"
        );
        // null counts as absent
        let e = err("size_class({'sector': '工业', 'employees': 5, 'revenue_10k_yuan': null})");
        assert_eq!(message(&e), "not applicable: revenue_10k_yuan absent");
        let e = err("size_class({'sector': '制造业', 'employees': 5})");
        assert_eq!(message(&e), "not applicable: unknown sector 制造业");
        let e = err("size_class({'employees': 5})");
        assert_eq!(message(&e), "not applicable: sector absent");
        let e = err("size_class({'sector': '工业', 'employees': -5, 'revenue_10k_yuan': 1})");
        assert_eq!(
            message(&e),
            "not applicable: employees = -5 is not a valid figure (a number ≥ 0 is needed)"
        );
        // wrong types are errors, but not "not applicable"
        let e = err("size_class({'sector': '工业', 'employees': '50', 'revenue_10k_yuan': 1})");
        assert_eq!(message(&e), "employees must be a number, got string");
        assert_eq!(not_applicable_reason(&e), None);
        let e = err("size_class({'sector': 1})");
        assert_eq!(message(&e), "sector must be a string, got int");
        let e = err("size_class('工业')");
        assert_eq!(message(&e), "expects a tenant map, got string");
        let e = err("size_class([1])");
        assert_eq!(message(&e), "expects a tenant map, got list");
        // a CEL conditional can route around the error
        assert_eq!(
            eval(
                &ctx,
                "size_missing({'sector': '工业'}).size() > 0 ? 'unknown' : size_class({'sector': '工业'})"
            ),
            Ok(s("unknown"))
        );
        assert_eq!(
            not_applicable_reason(&ExecutionError::function_error("f", "x")),
            None
        );
    }

    #[test]
    fn cel_size_missing_and_explain() {
        let ctx = context();
        let list = |items: &[&str]| Value::List(Arc::new(items.iter().map(|i| s(i)).collect()));
        assert_eq!(
            eval(
                &ctx,
                "size_missing({'sector': '工业', 'employees': 50.0, 'revenue_10k_yuan': 500.0})"
            ),
            Ok(list(&[]))
        );
        assert_eq!(
            eval(&ctx, "size_missing({'sector': '工业', 'employees': 50.0})"),
            Ok(list(&["revenue_10k_yuan"]))
        );
        assert_eq!(
            eval(&ctx, "size_missing({'sector': '租赁和商务服务业'})"),
            Ok(list(&["employees", "assets_10k_yuan"]))
        );
        let e = eval(&ctx, "size_missing({'sector': '制造业'})").unwrap_err();
        assert_eq!(message(&e), "not applicable: unknown sector 制造业");
        let text = eval(
            &ctx,
            "size_explain({'sector': '工业', 'employees': 50, 'revenue_10k_yuan': 500})",
        )
        .unwrap();
        let Value::String(text) = text else {
            panic!("{text:?}")
        };
        assert!(text.ends_with("→ 小型"), "{text}");
        let text = eval(
            &ctx,
            "size_explain_zh({'sector': '工业', 'employees': 50, 'revenue_10k_yuan': 500})",
        )
        .unwrap();
        let Value::String(text) = text else {
            panic!("{text:?}")
        };
        assert!(
            text.ends_with("小型须 X ≥ 20 且 Y ≥ 300：满足 → 小型"),
            "{text}"
        );
    }

    #[test]
    fn cel_size_over_variables_and_macros() {
        let mut ctx = context();
        let tenant = |sector: &str, x: Value, y: Value| {
            Value::from(HashMap::from([
                ("sector", s(sector)),
                ("employees", x),
                ("revenue_10k_yuan", y),
                ("name", s("某公司")),
                ("honours", Value::List(Arc::new(vec![s("规上")]))),
            ]))
        };
        let tenants = vec![
            tenant("工业", Value::Float(50.0), Value::Float(500.0)),
            tenant("工业", Value::Int(5), Value::Int(10)),
            tenant("工业", Value::Int(400), Value::Float(3000.0)),
        ];
        ctx.add_variable_from_value("t", tenants[0].clone());
        ctx.add_variable_from_value("tenants", Value::List(Arc::new(tenants)));
        assert_eq!(eval(&ctx, "t.size_class()"), Ok(s("小型")));
        assert_eq!(eval(&ctx, "size_class(t)"), Ok(s("小型")));
        assert_eq!(
            eval(
                &ctx,
                "tenants.filter(x, size_class(x) in ['小型', '微型']).size()"
            ),
            Ok(Value::Int(2))
        );
        assert_eq!(
            eval(&ctx, "tenants.map(x, x.size_class())"),
            Ok(Value::List(Arc::new(vec![s("小型"), s("微型"), s("中型")])))
        );
    }

    #[test]
    fn cel_dates_and_units() {
        let ctx = context();
        assert_eq!(
            eval(&ctx, "days_between('2020-01-01', '2021-01-01')"),
            Ok(Value::Int(366))
        );
        assert_eq!(
            eval(&ctx, "days_between('2021-01-01', '2020-01-01')"),
            Ok(Value::Int(-366))
        );
        assert_eq!(
            eval(&ctx, "'2020-01-01'.days_between('2020-01-31')"),
            Ok(Value::Int(30))
        );
        assert_eq!(
            eval(&ctx, "years_between('2020-02-29', '2021-02-28')"),
            Ok(Value::Int(1))
        );
        assert_eq!(
            eval(&ctx, "years_between('2022-03-01', '2020-03-01')"),
            Ok(Value::Int(-2))
        );
        let e = eval(&ctx, "days_between('2020-01-01', '2020-02-30')").unwrap_err();
        assert_eq!(
            message(&e),
            "\"2020-02-30\" is not a calendar date: February 2020 has 29 days"
        );
        let e = eval(&ctx, "years_between('2020/01/01', '2020-02-01')").unwrap_err();
        assert_eq!(
            message(&e),
            "\"2020/01/01\" is not a date of the form YYYY-MM-DD"
        );
        let e = eval(&ctx, "days_between('2020-01-01', 5)").unwrap_err();
        assert_eq!(message(&e), "the second date must be a string, got int");
        let e = eval(&ctx, "days_between('2020-01-01')").unwrap_err();
        assert_eq!(e, ExecutionError::invalid_argument_count(2, 1));

        assert_eq!(eval(&ctx, "mu_to_m2(15.0)"), Ok(Value::Float(10_000.0)));
        assert_eq!(eval(&ctx, "mu_to_m2(15)"), Ok(Value::Float(10_000.0)));
        assert_eq!(eval(&ctx, "mu_to_m2(15u)"), Ok(Value::Float(10_000.0)));
        assert_eq!(eval(&ctx, "mu_to_m2(30) >= 20000.0"), Ok(Value::Bool(true)));
        let e = eval(&ctx, "mu_to_m2('15')").unwrap_err();
        assert_eq!(message(&e), "expects a number of 亩, got string");
        let e = eval(&ctx, "mu_to_m2(null)").unwrap_err();
        assert_eq!(message(&e), "expects a number of 亩, got null");
    }

    #[test]
    fn registration() {
        // every name is free in the standard environment
        let mut ctx = Context::default();
        assert_eq!(register(&mut ctx, Arc::new(table())), Ok(()));
        // registering again replaces the functions
        assert_eq!(register(&mut ctx, Arc::new(table())), Ok(()));
        assert_eq!(
            eval(&ctx, "uscc_valid('91350100M000100Y43')"),
            Ok(Value::Bool(true))
        );
        // a child scope would silently drop them
        let mut child = ctx.new_inner_scope();
        let e = register(&mut child, Arc::new(table())).unwrap_err();
        assert!(e.contains("root CEL context"), "{e}");
        // an empty context works too
        let mut empty = Context::empty();
        assert_eq!(register(&mut empty, Arc::new(table())), Ok(()));
    }
}
