//! A CSV 入驻企业名录 (what Excel or WPS saves from the tenant sheet) read into the
//! submission's `tenants` list: decoded (UTF-8, UTF-8 with a byte-order mark, GBK/GB18030 as
//! Excel on a Chinese Windows saves "CSV", UTF-16 as it saves "Unicode text"), the delimiter
//! sniffed (`,` `;` or tab), columns found by the header row through `form`'s tenant table
//! (the same titles the template writes and the workbook reader reads), each cell typed by its
//! column. Every problem is reported at its line and column (`名录.csv:14:3`).

use compact_str::CompactString;

use crate::document::{Entry, Node, Value};
use crate::form::{CellType, EMPTY_LIST, Field, LIST_SEPARATOR, Sheet, header_title};
use crate::source::Span;
use crate::text::{Text, clip};

/// A problem of the CSV file at a 1-based line and, when it is about one cell, a 1-based
/// column (the cell's position in its row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    pub line: u64,
    pub column: Option<usize>,
    pub message: Text,
}

/// The tenants read from a CSV file.
#[derive(Debug, Clone)]
pub struct TenantList {
    /// The `tenants` sequence, each tenant's fields in the schema's (the form's) order.
    pub tenants: Node,
    /// The encoding the file was in (`UTF-8`, `UTF-8（带 BOM）`, `GBK/GB18030`, `UTF-16LE`).
    pub encoding: &'static str,
    pub delimiter: u8,
}

/// The name of a delimiter as a message says it.
#[must_use]
pub fn delimiter_name(delimiter: u8) -> Text {
    match delimiter {
        b';' => Text::new("分号 ;", "semicolon ;"),
        b'\t' => Text::new("制表符", "tab"),
        _ => Text::new("逗号 ,", "comma ,"),
    }
}

/// Reads the CSV `bytes` as rows of the table `sheet` (入驻企业名录).
///
/// # Errors
/// Every problem found: the encoding, the header (an unknown or repeated title, with "did you
/// mean"), rows of the wrong length, cells that are not of their column's type.
pub fn read_tenants(bytes: &[u8], sheet: &Sheet) -> Result<TenantList, Vec<CsvProblem>> {
    let (text, encoding) = decode(bytes).map_err(|p| vec![p])?;
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let mut records = reader.records();
    // The header: the first row that is not empty.
    let mut header = None;
    for record in records.by_ref() {
        match record {
            Ok(r) if r.iter().all(|c| c.trim().is_empty()) => {}
            Ok(r) => {
                header = Some(r);
                break;
            }
            Err(e) => return Err(vec![csv_error(&e)]),
        }
    }
    let Some(header) = header else {
        return Err(vec![CsvProblem {
            line: 1,
            column: None,
            message: Text::new(
                "文件是空的：没有表头行，也没有企业",
                "the file is empty: no header row and no tenants",
            ),
        }]);
    };
    let line_of = |position: Option<&csv::Position>| -> u64 {
        let mut byte = position.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        // A record's position may be that of the line break ending the one before it.
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        let before = text.as_bytes().get(..byte).unwrap_or(text.as_bytes());
        1 + before.iter().filter(|b| **b == b'\n').count() as u64
    };
    let header_line = line_of(header.position());
    let mut columns: Vec<Option<&Field>> = Vec::new();
    for (i, title) in header.iter().enumerate() {
        let column = i + 1;
        if title.trim().is_empty() {
            columns.push(None);
            continue;
        }
        match sheet.column(title) {
            Some(field) if columns.iter().flatten().any(|f| f.path == field.path) => {
                problems.push(CsvProblem {
                    line: header_line,
                    column: Some(column),
                    message: Text::new(
                        format!("表头“{}”重复：{} 已有一列", clip(title), field.title),
                        format!(
                            "header {:?} repeats a column: {} already has one",
                            clip(title),
                            field.path
                        ),
                    ),
                });
                columns.push(None);
            }
            Some(field) => columns.push(Some(field)),
            None => {
                let (zh_hint, en_hint) = match suggest(title, sheet) {
                    Some(f) => (
                        format!("；是不是“{}”？", f.title),
                        format!("; did you mean {} ({})?", f.title, f.path),
                    ),
                    None => (String::new(), String::new()),
                };
                problems.push(CsvProblem {
                    line: header_line,
                    column: Some(column),
                    message: Text::new(
                        format!(
                            "未知的表头“{}”：不是{}的列{zh_hint}",
                            clip(title),
                            sheet.name
                        ),
                        format!(
                            "unknown header {:?}: not a column of {}{en_hint}",
                            clip(title),
                            sheet.name
                        ),
                    ),
                });
                columns.push(None);
            }
        }
    }
    let mut tenants = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_error(&e));
                break;
            }
        };
        let line = line_of(record.position());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            problems.push(CsvProblem {
                line,
                column: None,
                message: Text::new(
                    format!(
                        "这一行有 {} 列，表头有 {} 列（多了或少了分隔符？）",
                        record.len(),
                        header.len()
                    ),
                    format!(
                        "this row has {} cells, the header {} (a delimiter too many or too few?)",
                        record.len(),
                        header.len()
                    ),
                ),
            });
            continue;
        }
        // The tenant as the form names it: 第 3 家企业（its name, when the row gives one）.
        let name = columns
            .iter()
            .position(|f| f.is_some_and(|f| f.path == "name"))
            .and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let (zh_who, en_who) = match name {
            Some(n) => (
                format!("第 {} 家企业（{}）", tenants.len() + 1, clip(n)),
                format!("tenant {} ({})", tenants.len() + 1, clip(n)),
            ),
            None => (
                format!("第 {} 家企业", tenants.len() + 1),
                format!("tenant {}", tenants.len() + 1),
            ),
        };
        let mut values: Vec<(&Field, Value)> = Vec::new();
        for (i, (cell, field)) in record.iter().zip(&columns).enumerate() {
            let Some(field) = field else { continue };
            let cell = cell.trim_matches(|c: char| c.is_whitespace());
            if cell.is_empty() {
                continue;
            }
            match typed(cell, field) {
                Ok(value) => values.push((field, value)),
                Err((zh, en)) => problems.push(CsvProblem {
                    line,
                    column: Some(i + 1),
                    message: Text::new(
                        format!("{zh_who}的{}：{zh}", field.title),
                        format!("{en_who}, {}: {en}", field.path),
                    ),
                }),
            }
        }
        tenants.push(tenant(sheet, values));
    }
    if problems.is_empty() {
        Ok(TenantList {
            tenants: node(Value::Seq(tenants)),
            encoding,
            delimiter,
        })
    } else {
        Err(problems)
    }
}

fn node(value: Value) -> Node {
    Node {
        value,
        span: Span::empty(0),
    }
}

/// A tenant's mapping: its fields in the layout's order, dotted paths as nested mappings.
fn tenant(sheet: &Sheet, mut values: Vec<(&Field, Value)>) -> Node {
    let mut entries: Vec<Entry> = Vec::new();
    for field in &sheet.fields {
        let Some(at) = values.iter().position(|(f, _)| f.path == field.path) else {
            continue;
        };
        let (_, value) = values.swap_remove(at);
        insert(&mut entries, &field.path, value);
    }
    node(Value::Map(entries))
}

fn insert(entries: &mut Vec<Entry>, path: &str, value: Value) {
    match path.split_once('.') {
        None => entries.push(Entry {
            key: CompactString::new(path),
            key_span: Span::empty(0),
            value: node(value),
        }),
        Some((head, rest)) => {
            let position = entries.iter().position(|e| e.key == head);
            let at = position.unwrap_or_else(|| {
                entries.push(Entry {
                    key: CompactString::new(head),
                    key_span: Span::empty(0),
                    value: node(Value::Map(Vec::new())),
                });
                entries.len() - 1
            });
            if let Some(Entry {
                value:
                    Node {
                        value: Value::Map(inner),
                        ..
                    },
                ..
            }) = entries.get_mut(at)
            {
                insert(inner, rest, value);
            }
        }
    }
}

fn suggest<'a>(title: &str, sheet: &'a Sheet) -> Option<&'a Field> {
    let title = header_title(title);
    sheet
        .fields
        .iter()
        .flat_map(|f| {
            [
                (strsim::jaro_winkler(title, &f.title), f),
                (strsim::jaro_winkler(title, &f.path), f),
            ]
        })
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, f)| f)
}

fn csv_error(e: &csv::Error) -> CsvProblem {
    let line = e.position().map_or(0, csv::Position::line);
    CsvProblem {
        line,
        column: None,
        message: Text::new(
            format!("无法读取这一行的 CSV：{}", clip(&e.to_string())),
            format!("cannot read this CSV row: {}", clip(&e.to_string())),
        ),
    }
}

/// The text of the file and the encoding it was in.
fn decode(bytes: &[u8]) -> Result<(String, &'static str), CsvProblem> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest, "UTF-8（带 BOM）");
    }
    for (bom, encoding, name) in [
        (&[0xFF, 0xFE], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&[0xFE, 0xFF], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match encoding.decode_without_bom_handling_and_without_replacement(rest) {
                Some(text) => Ok((text.into_owned(), name)),
                None => Err(undecodable(name)),
            };
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "UTF-8"));
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok((text.into_owned(), "GBK/GB18030")),
        None => Err(undecodable("UTF-8 / GBK / GB18030")),
    }
}

fn utf8(bytes: &[u8], name: &'static str) -> Result<(String, &'static str), CsvProblem> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), name)),
        Err(_) => Err(undecodable(name)),
    }
}

fn undecodable(tried: &str) -> CsvProblem {
    CsvProblem {
        line: 1,
        column: None,
        message: Text::new(
            format!("无法按 {tried} 解码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"),
            format!(
                "cannot be decoded as {tried}: save it from Excel as \"CSV UTF-8 (Comma delimited)\""
            ),
        ),
    }
}

/// The delimiter of the header line: the most frequent of `,` `;` and tab outside quotes (a
/// comma when none is there: a one-column list).
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let [comma, semicolon, tab] = counts;
    if tab > comma && tab >= semicolon {
        b'\t'
    } else if semicolon > comma {
        b';'
    } else {
        b','
    }
}

type Why = (String, String);

/// A cell as its column's type.
fn typed(cell: &str, field: &Field) -> Result<Value, Why> {
    let shown = clip(cell);
    match field.cell {
        CellType::Text => {
            if looks_scientific(cell) {
                return Err((
                    format!(
                        "“{shown}”是科学计数法：Excel 把这一列当成了数字，代码已丢失位数。请把该列设为文本格式后重新输入，再另存为 CSV"
                    ),
                    format!(
                        "{shown:?} is in scientific notation: Excel took the column for numbers and the code lost its digits. Format the column as text, retype the codes and save the CSV again"
                    ),
                ));
            }
            labelled(cell, field).map(|()| Value::Str(cell.to_owned()))
        }
        CellType::Integer => match cell.parse::<i64>() {
            Ok(i) => Ok(Value::Int(i)),
            Err(_) => Err((
                format!("“{shown}”不是整数"),
                format!("{shown:?} is not a whole number"),
            )),
        },
        CellType::Number => {
            if !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                if let Ok(i) = cell.parse::<i64>() {
                    return Ok(Value::Int(i));
                }
            }
            match cell.parse::<f64>() {
                Ok(f) if f.is_finite() && !cell.contains(['i', 'I', 'n', 'N']) => {
                    Ok(Value::Float(f))
                }
                _ => Err((
                    format!("“{shown}”不是数字（只填数字，不要带单位或千位分隔符）"),
                    format!(
                        "{shown:?} is not a number (the number only, no unit or thousands separator)"
                    ),
                )),
            }
        }
        CellType::Date => date(cell).map(Value::Str).ok_or_else(|| {
            (
                format!("“{shown}”不是日期（写成 2025-12-31、2025/12/31 或 2025年12月31日）"),
                format!("{shown:?} is not a date (write 2025-12-31, 2025/12/31 or 2025年12月31日)"),
            )
        }),
        CellType::Boolean => match cell {
            "是" => Ok(Value::Bool(true)),
            "否" => Ok(Value::Bool(false)),
            _ if cell.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            _ if cell.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            _ => Err((
                format!("“{shown}”应为“是”或“否”"),
                format!("{shown:?} should be 是 (yes) or 否 (no)"),
            )),
        },
        CellType::List => {
            if cell == EMPTY_LIST {
                return Ok(Value::Seq(Vec::new()));
            }
            let mut items = Vec::new();
            for item in cell
                .split(LIST_SEPARATOR)
                .map(str::trim)
                .filter(|i| !i.is_empty())
            {
                labelled(item, field)?;
                items.push(node(Value::Str(item.to_owned())));
            }
            Ok(Value::Seq(items))
        }
    }
}

/// A value of a column with a drop-down is one of its labels.
fn labelled(value: &str, field: &Field) -> Result<(), Why> {
    if field.labels.is_empty() || field.labels.iter().any(|l| l == value) {
        return Ok(());
    }
    let best = field
        .labels
        .iter()
        .map(|l| {
            // `已入驻` for `入驻`: a label inside the value (or the value inside a label) is
            // the likeliest meaning, whatever the edit distance says.
            let inside = value.contains(l.as_str()) || l.contains(value);
            (
                if inside {
                    1.0
                } else {
                    strsim::jaro_winkler(value, l)
                },
                l,
            )
        })
        .filter(|(s, _)| *s >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let shown = clip(value);
    let (zh, en) = match best {
        Some((_, l)) => (format!("；是不是“{l}”？"), format!("; did you mean {l}?")),
        None => (String::new(), String::new()),
    };
    Err((
        format!("“{shown}”不是登记表的选项{zh}"),
        format!("{shown:?} is not one of the form's labels{en}"),
    ))
}

/// `9.13304E+17`, `9.13E17`: a long code Excel turned into a number.
fn looks_scientific(cell: &str) -> bool {
    let Some((mantissa, exponent)) = cell.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && mantissa.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

/// A date as Excel or a person writes it, as `YYYY-MM-DD`: `2025-12-31`, `2025/12/31`,
/// `2025/1/5`, `2025.1.5`, `2025年1月5日`.
pub(crate) fn date(cell: &str) -> Option<String> {
    let normal: String = cell
        .trim_end_matches('日')
        .chars()
        .map(|c| {
            if matches!(c, '/' | '.' | '年' | '月') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let mut parts = normal.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || year.len() != 4
        || !(1..=2).contains(&month.len())
        || !(1..=2).contains(&day.len())
    {
        return None;
    }
    let text = format!("{year}-{month:0>2}-{day:0>2}");
    crate::domain::dates::parse_date(&text).ok().map(|_| text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_excel_writes_them() {
        assert_eq!(date("2025/1/5").as_deref(), Some("2025-01-05"));
        assert_eq!(date("2025年12月31日").as_deref(), Some("2025-12-31"));
        assert_eq!(date("2025-12-31").as_deref(), Some("2025-12-31"));
        assert_eq!(date("2025/13/01"), None);
        assert_eq!(date("45000"), None);
    }

    #[test]
    fn delimiters_are_sniffed_on_the_header() {
        assert_eq!(sniff_delimiter("a;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter("a\n"), b',');
    }

    #[test]
    fn scientific_codes_are_recognised() {
        assert!(looks_scientific("9.13304E+17"));
        assert!(!looks_scientific("91330483MA2B3C4D5E"));
        assert!(!looks_scientific("E+17"));
    }
}
