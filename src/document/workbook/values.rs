//! One cell to one value of the tree, by its column's cell type (`form::CellType`), mirroring
//! what the template writes: text cells, whole numbers and numbers, dates as `YYYY-MM-DD`, 是 / 否,
//! lists joined by `、`, enum values as the form's labels. What Excel does to data is undone where
//! the reading is certain (a date typed as `2025/12/31`, a serial number, full-width digits,
//! surrounding spaces) and explained where it is not (a code stored as a number).

use calamine::{CellErrorType, Data};

use crate::document::Value;
use crate::form::{CellType, Field, LIST_SEPARATOR};
use crate::text::Text;

/// What a cell says beside its value.
#[derive(Debug, Clone)]
pub struct CellIssue {
    pub error: bool,
    pub message: Text,
    pub help: Option<Text>,
}

/// A converted cell: its value (`None`: the cell counts as empty) and what was noticed.
#[derive(Debug, Default)]
pub struct Converted {
    pub value: Option<Value>,
    pub issues: Vec<CellIssue>,
}

/// How a cell is shown in the snippet (and the synthesized text): close to what Excel shows.
pub fn display(value: &Data, formula: bool) -> String {
    match value {
        Data::Empty if formula => "=…".to_owned(),
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_display(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::Error(e) => error_name(e).to_owned(),
    }
}

/// A number as Excel's General format shows it: scientific beyond 11 digits.
fn float_display(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e11 {
        format!("{f:.0}")
    } else if f.is_finite() && f.abs() >= 1e11 {
        let exp = f.abs().log10().floor();
        let mantissa = f / 10f64.powf(exp);
        let m = format!("{mantissa:.5}");
        let m = m.trim_end_matches('0').trim_end_matches('.');
        format!("{m}E+{exp:.0}")
    } else {
        f.to_string()
    }
}

const fn error_name(e: &CellErrorType) -> &'static str {
    match e {
        CellErrorType::Div0 => "#DIV/0!",
        CellErrorType::NA => "#N/A",
        CellErrorType::Name => "#NAME?",
        CellErrorType::Null => "#NULL!",
        CellErrorType::Num => "#NUM!",
        CellErrorType::Ref => "#REF!",
        CellErrorType::Value => "#VALUE!",
        CellErrorType::GettingData => "#DATA!",
    }
}

/// Full-width digits, letters and signs (what a Chinese input method types) as ASCII.
pub fn half_width(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_full_width) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if is_full_width(c) {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect::<String>()
        .into()
}

const fn is_full_width(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '－' | '．' | '＋')
}

/// Whether a text field holds a code (a credit code, a phone number, a postcode, an area code):
/// Excel's number formats destroy those.
fn is_code(field: &Field) -> bool {
    field.is_code()
}

fn trimmed(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// Converts one cell for `field`.
pub fn convert(value: &Data, formula: bool, field: &Field, date1904: bool) -> Converted {
    let mut out = Converted::default();
    if let Data::Error(e) = value {
        out.issues.push(CellIssue {
            error: true,
            message: Text::new(
                format!("「{}」的单元格是错误值 {}", field.title, error_name(e)),
                format!("the cell of {} is the error {}", field.title, error_name(e)),
            ),
            help: Some(Text::new(
                "改正公式或直接填入数值",
                "correct the formula or type the value",
            )),
        });
        return out;
    }
    if matches!(value, Data::Empty) {
        if formula {
            out.issues.push(CellIssue {
                error: true,
                message: Text::new(
                    format!("「{}」是公式，但工作簿中没有它的计算结果", field.title),
                    format!(
                        "{} is a formula, but the workbook holds no value computed for it",
                        field.title
                    ),
                ),
                help: Some(Text::new(
                    "parkcheck 不计算公式：在 Excel 或 WPS 中打开并保存（保存时写入计算结果），或直接填入数值",
                    "parkcheck does not compute formulas: open the file in Excel or WPS and save it (which stores the values), or type the value",
                )),
            });
        }
        return out;
    }
    match field.cell {
        CellType::Text => text(value, field, &mut out),
        CellType::Integer | CellType::Number => number(value, &mut out),
        CellType::Date => date(value, date1904, &mut out),
        CellType::Boolean => boolean(value, &mut out),
        CellType::List => list(value, &mut out),
    }
    out
}

fn text(value: &Data, field: &Field, out: &mut Converted) {
    match value {
        Data::String(s) => {
            let s = trimmed(s);
            if s.is_empty() {
                return;
            }
            let half = half_width(s);
            if half != s && half.is_ascii() && is_code(field) {
                out.issues.push(CellIssue {
                    error: false,
                    message: Text::new(
                        format!(
                            "「{}」用了全角字符（{s}），已按半角 {half} 读取",
                            field.title
                        ),
                        format!(
                            "{} is typed in full-width characters ({s}); read as {half}",
                            field.title
                        ),
                    ),
                    help: Some(Text::new(
                        "切换输入法到半角后重新输入",
                        "switch the input method to half-width and type it again",
                    )),
                });
                out.value = Some(Value::Str(half.into_owned()));
            } else {
                out.value = Some(Value::Str(s.to_owned()));
            }
        }
        Data::Int(_) | Data::Float(_) => {
            let f = match value {
                Data::Int(i) => *i as f64,
                Data::Float(f) => *f,
                _ => 0.0,
            };
            let digits = if f.fract() == 0.0 && f.abs() < 1e20 {
                format!("{f:.0}")
            } else {
                f.to_string()
            };
            if is_code(field) {
                let shown = float_display(f);
                let (zh, en) = if f.abs() >= 1e15 {
                    (
                        format!(
                            "「{}」存成了数字（显示为 {shown}）：Excel 只保留 15 位有效数字，末尾几位已丢失，字母也无法保存",
                            field.title
                        ),
                        format!(
                            "{} is stored as a number (shown as {shown}): Excel keeps 15 significant digits, the last digits are lost and letters cannot be kept",
                            field.title
                        ),
                    )
                } else {
                    (
                        format!(
                            "「{}」存成了数字（{digits}）：开头的 0 会被去掉，可能已丢失",
                            field.title
                        ),
                        format!(
                            "{} is stored as a number ({digits}): leading zeros are dropped and may have been lost",
                            field.title
                        ),
                    )
                };
                out.issues.push(CellIssue {
                    error: f.abs() >= 1e15,
                    message: Text::new(zh, en),
                    help: Some(Text::new(
                        "把该列设为「文本」格式（开始 → 数字 → 文本），再重新输入这些代码",
                        "format the column as text (Home → Number → Text) and type the codes again",
                    )),
                });
            }
            out.value = Some(Value::Str(digits));
        }
        Data::Bool(b) => out.value = Some(Value::Str(if *b { "是" } else { "否" }.to_owned())),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            out.value = Some(Value::Str(display(value, false)));
        }
        Data::Error(_) | Data::Empty => {}
    }
}

fn number(value: &Data, out: &mut Converted) {
    // A whole number is an integer, as YAML writes `9500` (a cell cannot tell `5` from `5.0`).
    let from_f64 = |f: f64| {
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            #[allow(clippy::cast_possible_truncation)]
            Value::Int(f as i64)
        } else {
            Value::Float(f)
        }
    };
    out.value = Some(match value {
        Data::Int(i) => Value::Int(*i),
        Data::Float(f) => from_f64(*f),
        Data::DateTime(d) => from_f64(d.as_f64()),
        Data::Bool(b) => Value::Bool(*b),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            let s = trimmed(s);
            if s.is_empty() {
                return;
            }
            let half = half_width(s);
            // Thousands separators as Excel shows them in a text cell.
            let plain: String = half.chars().filter(|c| *c != ',').collect();
            match plain.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => match plain.parse::<f64>() {
                    Ok(f) if f.is_finite() => from_f64(f),
                    _ => Value::Str(s.to_owned()),
                },
            }
        }
        Data::Error(_) | Data::Empty => return,
    });
}

/// Days from 0000-03-01 of a proleptic Gregorian date to a civil date (Howard Hinnant's
/// algorithm), for serial numbers.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A serial number as a date, in the 1900 (Excel's leap-year bug included) or 1904 system.
pub fn serial_date(serial: f64, date1904: bool) -> Option<String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64;
    // 1970-01-01 is serial 25569 (1900 system), 24107 (1904 system).
    let unix_days = if date1904 {
        days - 24_107
    } else if days < 60 {
        // Before Excel's fictitious 1900-02-29.
        days - 25_568
    } else {
        days - 25_569
    };
    let (y, m, d) = civil_from_days(unix_days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// A date typed as text: `2025-12-31`, `2025/12/31`, `2025.12.31`, `2025年12月31日`, with one-
/// or two-digit months and days, full-width digits allowed.
pub fn text_date(text: &str) -> Option<String> {
    let half = half_width(trimmed(text));
    let s = half.trim_end_matches('日');
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let y: u32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(1000..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn date(value: &Data, date1904: bool, out: &mut Converted) {
    out.value = Some(match value {
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            Value::Str(format!("{y:04}-{m:02}-{day:02}"))
        }
        Data::Float(_) | Data::Int(_) => {
            let f = match value {
                Data::Int(i) => *i as f64,
                Data::Float(f) => *f,
                _ => 0.0,
            };
            match serial_date(f, date1904) {
                Some(d) => Value::Str(d),
                None => Value::Str(float_display(f)),
            }
        }
        Data::DateTimeIso(s) => Value::Str(s.get(..10).unwrap_or(s).to_owned()),
        Data::String(s) => {
            let s = trimmed(s);
            if s.is_empty() {
                return;
            }
            Value::Str(text_date(s).unwrap_or_else(|| s.to_owned()))
        }
        Data::Bool(b) => Value::Bool(*b),
        Data::DurationIso(s) => Value::Str(s.clone()),
        Data::Error(_) | Data::Empty => return,
    });
}

fn boolean(value: &Data, out: &mut Converted) {
    out.value = Some(match value {
        Data::Bool(b) => Value::Bool(*b),
        Data::String(s) => {
            let s = trimmed(s);
            match s {
                "" => return,
                "是" | "TRUE" | "true" | "True" => Value::Bool(true),
                "否" | "FALSE" | "false" | "False" => Value::Bool(false),
                other => Value::Str(other.to_owned()),
            }
        }
        Data::Int(i) => Value::Int(*i),
        Data::Float(f) => Value::Float(*f),
        other => Value::Str(display(other, false)),
    });
}

fn list(value: &Data, out: &mut Converted) {
    let text = match value {
        Data::String(s) => s.clone(),
        other => display(other, false),
    };
    let items: Vec<String> = text
        .split(LIST_SEPARATOR)
        .map(trimmed)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if items.is_empty() {
        return;
    }
    // The form's "none" alone: an empty list (`[]`), not a list of the word.
    if items.len() == 1 && items.first().is_some_and(|s| s == crate::form::EMPTY_LIST) {
        out.value = Some(Value::Seq(Vec::new()));
        return;
    }
    out.value = Some(Value::Seq(
        items
            .into_iter()
            .map(|s| crate::document::Node {
                value: Value::Str(s),
                span: crate::source::Span::default(),
            })
            .collect(),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_in_both_date_systems() {
        assert_eq!(serial_date(46_022.0, false).as_deref(), Some("2025-12-31"));
        assert_eq!(serial_date(44_560.0, true).as_deref(), Some("2025-12-31"));
        assert_eq!(serial_date(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(serial_date(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(serial_date(0.0, false), None);
    }

    #[test]
    fn dates_typed_as_text() {
        for t in [
            "2025-12-31",
            "2025/12/31",
            "2025年12月31日",
            "2025.12.31",
            " ２０２５/12/31 ",
        ] {
            assert_eq!(text_date(t).as_deref(), Some("2025-12-31"), "{t}");
        }
        assert_eq!(text_date("2025/1/5").as_deref(), Some("2025-01-05"));
        assert_eq!(text_date("明年"), None);
        assert_eq!(text_date("2025-13-01"), None);
    }

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(float_display(9.133_000_012_345_678e17), "9.133E+17");
        assert_eq!(float_display(573.0), "573");
        assert_eq!(half_width("９１３３０ＡＢ"), "91330AB");
    }
}
