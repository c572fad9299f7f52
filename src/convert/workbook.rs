//! A document placed in the template's cells: every value at its sheet and cell by `form`'s
//! layout, or a problem naming the value that has no cell (losslessness: nothing is dropped).
//!
//! What a cell can say, and so what is refused:
//! - a blank cell is a field not given, so `null`, `""` and an empty object have no cell;
//! - an empty list is the word [`crate::form::EMPTY_LIST`] (`无`): in the first column of a table's row (after
//!   the parent's column for a nested list) or alone in a list cell; a list whose one item is
//!   `无` would read back as empty and is refused;
//! - `是` / `否` in a yes-or-no column are `true` / `false`, so a string `是` there is refused;
//!   a number written as text in a number column, a number in a date column (a serial date) and
//!   `true` / `false` outside a yes-or-no column would read back retyped and are refused too;
//! - an integer beyond 2^53 does not fit a spreadsheet's number.

use std::collections::{HashMap, HashSet};

use crate::document::{Node, Value, escape_token};
use crate::form::{CellType, EMPTY_LIST, Field, LIST_SEPARATOR, Layout, SheetKind};
use crate::template::{Cell, Filled, column_letter, field_rows};
use crate::text::{Text, clip};

/// Excel's most characters in a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Beyond this a whole number in a cell is read back as a float (and beyond 2^53 an `f64`
/// does not hold every integer).
const MAX_EXACT: i64 = 9_000_000_000_000_000;

/// A value that cannot be written: where it is in the document, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplaced {
    /// The JSON pointer of the value.
    pub pointer: String,
    pub message: Text,
}

/// The document's values placed by `layout`.
///
/// # Errors
/// Every value that has no cell or that a cell would change, each with its pointer.
pub fn place(root: &Node, layout: &Layout) -> Result<Filled, Vec<Unplaced>> {
    let mut placer = Placer {
        known: known_fields(layout),
        ..Placer::default()
    };
    for sheet in &layout.sheets {
        match &sheet.kind {
            SheetKind::Fields => {
                let mut values = HashMap::new();
                for (row, field) in field_rows(sheet).into_iter().zip(&sheet.fields) {
                    let pointer = pointer_of("", &field.path);
                    if let Some(node) = get_path(root, &field.path) {
                        let at = format!("{}!B{row}", sheet.name);
                        if let Some(cell) = placer.cell(node, field, &pointer, &at) {
                            values.insert(field.path.clone(), cell);
                        }
                    }
                }
                placer.filled.fields.insert(sheet.name.clone(), values);
            }
            SheetKind::Table { path, parent } => {
                let rows = placer.table(root, &sheet.name, path, parent.as_deref(), &sheet.fields);
                placer.filled.tables.insert(sheet.name.clone(), rows);
            }
        }
    }
    placer.leftovers(root, "");
    if placer.problems.is_empty() {
        Ok(placer.filled)
    } else {
        Err(placer.problems)
    }
}

#[derive(Default)]
struct Placer {
    filled: Filled,
    /// Pointers whose value has a cell (or was already reported).
    placed: HashSet<String>,
    /// Pointers of lists written as tables: their items' fields are placed one by one.
    tables: HashSet<String>,
    problems: Vec<Unplaced>,
    /// Every field the layout has a cell for, dotted (`tenants.*.contact.mobile`), with its
    /// title: the "did you mean" of a field without one.
    known: Vec<(String, String)>,
}

fn known_fields(layout: &Layout) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for sheet in &layout.sheets {
        let prefix = match &sheet.kind {
            SheetKind::Fields => String::new(),
            SheetKind::Table { path, .. } => format!("{path}.*."),
        };
        for field in &sheet.fields {
            out.push((format!("{prefix}{}", field.path), field.title.clone()));
        }
    }
    out
}

/// The dotted path of a pointer with list indexes as `*`: `/tenants/3/contact/mobil` gives
/// `tenants.*.contact.mobil`.
fn dotted(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|t| {
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                "*".to_owned()
            } else {
                t.replace("~1", "/").replace("~0", "~")
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The node at dotted `path` under `node`.
fn get_path<'a>(node: &'a Node, path: &str) -> Option<&'a Node> {
    path.split('.').try_fold(node, |n, key| n.get(key))
}

fn pointer_of(base: &str, path: &str) -> String {
    let mut out = base.to_owned();
    for key in path.split('.') {
        out.push('/');
        out.push_str(&escape_token(key));
    }
    out
}

impl Placer {
    fn problem(&mut self, pointer: &str, message: Text) {
        self.placed.insert(pointer.to_owned());
        self.problems.push(Unplaced {
            pointer: pointer.to_owned(),
            message,
        });
    }

    /// The cell of `node` for `field` at `at` (`入驻企业名录!C14`), or a problem.
    fn cell(&mut self, node: &Node, field: &Field, pointer: &str, at: &str) -> Option<Cell> {
        match cell_of(node, field) {
            Ok(cell) => {
                self.placed.insert(pointer.to_owned());
                Some(cell)
            }
            Err((zh, en)) => {
                let title = &field.title;
                self.problem(
                    pointer,
                    Text::new(
                        format!("{at}（{title}）无法写入工作簿：{zh}"),
                        format!("{at} ({title}) cannot be written to the workbook: {en}"),
                    ),
                );
                None
            }
        }
    }

    /// The rows of the table at dotted `path` (`tenants`, `buildings.list.*.floors_detail`).
    fn table(
        &mut self,
        root: &Node,
        sheet: &str,
        path: &str,
        parent: Option<&(String, Field)>,
        fields: &[Field],
    ) -> Vec<Vec<Option<Cell>>> {
        let mut rows = Vec::new();
        for (pointer, key, list) in self.lists_at(root, path, parent) {
            let Value::Seq(items) = &list.value else {
                // Not a list: left for the leftovers, which name it.
                continue;
            };
            self.tables.insert(pointer.clone());
            let lead: Vec<Option<Cell>> = key.into_iter().map(Some).collect();
            if items.is_empty() {
                let mut row = lead.clone();
                row.push(Some(Cell::Text(EMPTY_LIST.into())));
                rows.push(row);
                self.placed.insert(pointer);
                continue;
            }
            for (i, item) in items.iter().enumerate() {
                let item_pointer = format!("{pointer}/{i}");
                let row_number = rows.len() + 2;
                if !matches!(item.value, Value::Map(_)) {
                    self.problem(
                        &item_pointer,
                        Text::new(
                            format!("{sheet} 第 {row_number} 行：这一项不是对象（每行是一项，每列一个字段），无法写入工作簿"),
                            format!("{sheet} row {row_number}: the item is not an object (a row holds one item, a column one field) and cannot be written to the workbook"),
                        ),
                    );
                    continue;
                }
                let mut row = lead.clone();
                for (col, field) in (lead.len()..).zip(fields) {
                    let cell = get_path(item, &field.path).and_then(|node| {
                        let at = format!("{sheet}!{}{row_number}", column_letter(col));
                        self.cell(node, field, &pointer_of(&item_pointer, &field.path), &at)
                    });
                    row.push(cell);
                }
                let given: Vec<&Cell> = row.iter().skip(lead.len()).flatten().collect();
                let first = row.get(lead.len()).and_then(Option::as_ref);
                if given.len() == 1 && first == Some(&Cell::Text(EMPTY_LIST.into())) {
                    self.problem(
                        &item_pointer,
                        Text::new(
                            format!("{sheet} 第 {row_number} 行：只有第一列的“{EMPTY_LIST}”，工作簿读回时是空列表"),
                            format!("{sheet} row {row_number}: only {EMPTY_LIST} in the first column, which reads back from a workbook as an empty list"),
                        ),
                    );
                    continue;
                }
                rows.push(row);
            }
        }
        rows
    }

    /// The lists at dotted `path`, with their pointers and, for a list inside the items of
    /// another, the cell naming the item it belongs to.
    fn lists_at<'a>(
        &mut self,
        root: &'a Node,
        path: &str,
        parent: Option<&(String, Field)>,
    ) -> Vec<(String, Option<Cell>, &'a Node)> {
        let Some((outer, inner)) = path.rsplit_once(".*.") else {
            return get_path(root, path)
                .map(|list| (pointer_of("", path), None, list))
                .into_iter()
                .collect();
        };
        let mut out = Vec::new();
        for (outer_pointer, _, outer_list) in self.lists_at(root, outer, None) {
            let Value::Seq(items) = &outer_list.value else {
                continue;
            };
            let mut seen = HashSet::new();
            for (i, item) in items.iter().enumerate() {
                let Some(list) = get_path(item, inner) else {
                    continue;
                };
                let item_pointer = format!("{outer_pointer}/{i}");
                let list_pointer = pointer_of(&item_pointer, inner);
                let key = parent.and_then(|(sheet, key_field)| {
                    let key = get_path(item, &key_field.path).and_then(|n| match &n.value {
                        Value::Str(s) if !s.is_empty() => Some(s.clone()),
                        _ => None,
                    });
                    match key {
                        Some(k) if seen.insert(k.clone()) => Some(Cell::Text(k)),
                        found => {
                            let why = if found.is_some() { ("与前面的一项相同", "is the same as an earlier one's") } else { ("没有填写", "is not given") };
                            self.problem(
                                &list_pointer,
                                Text::new(
                                    format!("{sheet}第 {} 项的{}{}：它的 {inner} 无法在工作簿中对应到它", i + 1, key_field.title, why.0),
                                    format!("item {} of {sheet}: its {} {}, so its {inner} cannot be tied to it in the workbook", i + 1, key_field.path, why.1),
                                ),
                            );
                            None
                        }
                    }
                });
                if parent.is_some() && key.is_none() {
                    continue;
                }
                out.push((list_pointer, key, list));
            }
        }
        out
    }

    /// A field of the layout beside the one at `pointer` whose name is close to its name.
    fn did_you_mean(&self, pointer: &str) -> (String, String) {
        let path = dotted(pointer);
        let (parent, name) = path.rsplit_once('.').unwrap_or(("", path.as_str()));
        let best = self
            .known
            .iter()
            .filter_map(|(known, title)| {
                let (p, n) = known.rsplit_once('.').unwrap_or(("", known.as_str()));
                (p == parent && n != name).then(|| (strsim::jaro_winkler(name, n), n, title))
            })
            .filter(|(score, ..)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((_, n, title)) => (
                format!("；是不是 {n}（{title}）？"),
                format!("; did you mean {n} ({title})?"),
            ),
            None => (String::new(), String::new()),
        }
    }

    /// Reports every value under `node` that has no cell.
    fn leftovers(&mut self, node: &Node, pointer: &str) {
        if self.placed.contains(pointer) {
            return;
        }
        let (zh, en) = match &node.value {
            Value::Map(entries) if !entries.is_empty() => {
                for entry in entries {
                    let child = format!("{pointer}/{}", escape_token(&entry.key));
                    self.leftovers(&entry.value, &child);
                }
                return;
            }
            Value::Seq(items) if self.tables.contains(pointer) => {
                for (i, item) in items.iter().enumerate() {
                    self.leftovers(item, &format!("{pointer}/{i}"));
                }
                return;
            }
            Value::Map(_) => (
                "空对象在工作簿中与未填写无法区分".to_owned(),
                "an empty object cannot be told from one not given in a workbook".to_owned(),
            ),
            _ => (
                "登记表的工作簿中没有这个字段的位置（不是申报数据模式中的字段，或放在了模式没有的位置）".to_owned(),
                "the form's workbook has no place for it (not a field of the submission schema, or not where the schema has it)".to_owned(),
            ),
        };
        let shown = if pointer.is_empty() { "/" } else { pointer };
        let shown = clip(shown);
        let (zh_hint, en_hint) = self.did_you_mean(pointer);
        self.problem(
            pointer,
            Text::new(
                format!("{shown}：{zh}{zh_hint}"),
                format!("{shown}: {en}{en_hint}"),
            ),
        );
    }
}

type Why = (String, String);

fn why(zh: &str, en: &str) -> Why {
    (zh.to_owned(), en.to_owned())
}

/// The cell of one value for `field`.
fn cell_of(node: &Node, field: &Field) -> Result<Cell, Why> {
    match (&node.value, &field.cell) {
        (Value::Null, _) => Err(why(
            "空值（null）在工作簿中与未填写无法区分；请删去该项或填写",
            "a null cannot be told from a blank cell; remove the field or give a value",
        )),
        (Value::Map(_), _) => Err(why(
            "这里应是一个值，不是对象",
            "a value is expected here, not an object",
        )),
        (Value::Seq(items), CellType::List) => list_cell(items),
        (Value::Seq(_), _) => Err(why(
            "这里应是一个值，不是列表",
            "a value is expected here, not a list",
        )),
        (Value::Str(s), CellType::List) => {
            text_cell(s)?;
            Err(why(
                "这里应是列表；单元格中的一段文字会被读成只有一项的列表",
                "a list is expected here; text in the cell would read back as a list of one item",
            ))
        }
        (Value::Bool(b), CellType::Boolean) => Ok(Cell::Text(if *b { "是" } else { "否" }.into())),
        (Value::Bool(_), _) => Err(why(
            "true / false 只能写在“是 / 否”列",
            "true / false has a cell only in a yes-or-no column",
        )),
        (Value::Int(_) | Value::Float(_), CellType::Date) => Err(why(
            "日期列中的数字会被读成 Excel 的日期序号",
            "a number in a date column would read back as an Excel serial date",
        )),
        (Value::Int(_) | Value::Float(_), CellType::Text) => Err(why(
            "文字列（代码、名称等）中是数字（没有加引号）：工作簿读回时是文字",
            "a number (unquoted) in a text column (a code, a name) reads back from a workbook as text",
        )),
        (Value::Int(i), _) => {
            if i.unsigned_abs() > MAX_EXACT.unsigned_abs() {
                Err(why(
                    "整数超出电子表格数字的精度（2^53）",
                    "the integer is beyond what a spreadsheet's number holds exactly (2^53)",
                ))
            } else {
                #[allow(clippy::cast_precision_loss)]
                Ok(Cell::Number(*i as f64))
            }
        }
        (Value::Float(f), _) if f.is_finite() => Ok(Cell::Number(*f)),
        (Value::Float(_), _) => Err(why(
            "非有限数（.inf / .nan）无法写入单元格",
            "a non-finite number (.inf / .nan) has no cell",
        )),
        (Value::Str(s), CellType::Boolean) => {
            text_cell(s)?;
            if ["是", "否"].contains(&s.trim())
                || ["true", "false"]
                    .iter()
                    .any(|w| s.trim().eq_ignore_ascii_case(w))
            {
                Err(why(
                    "文字“是 / 否”在是否列中会被读成 true / false",
                    "the text 是 / 否 would read back as true / false in a yes-or-no column",
                ))
            } else {
                Ok(Cell::Text(s.clone()))
            }
        }
        (Value::Str(s), CellType::Integer | CellType::Number) => {
            text_cell(s)?;
            let plain: String = half_width(s.trim()).chars().filter(|c| *c != ',').collect();
            if plain.parse::<f64>().is_ok() {
                Err(why(
                    "数字写成了文字（加了引号）；单元格会被读成数字",
                    "a number written as text (quoted) would read back as a number",
                ))
            } else {
                Ok(Cell::Text(s.clone()))
            }
        }
        (Value::Str(s), CellType::Date) => {
            text_cell(s)?;
            let excel_date = crate::domain::dates::parse_date(s).is_ok_and(|d| d.year() >= 1900);
            if !excel_date && crate::convert::csv::date(s).is_some() {
                return Err(why(
                    "日期不是 YYYY-MM-DD 的写法（如 2025/12/31）：工作簿读回时会改写成 YYYY-MM-DD",
                    "a date not written YYYY-MM-DD (such as 2025/12/31) reads back from a workbook rewritten as YYYY-MM-DD",
                ));
            }
            Ok(if excel_date {
                Cell::Date(s.clone())
            } else {
                Cell::Text(s.clone())
            })
        }
        (Value::Str(s), CellType::Text) => {
            text_cell(s)?;
            if field.is_code() && half_width(s) != *s && half_width(s).is_ascii() {
                return Err(why(
                    "代码中有全角字母或数字：工作簿读回时按半角读取",
                    "full-width letters or digits in a code read back from a workbook as half-width",
                ));
            }
            Ok(Cell::Text(s.clone()))
        }
    }
}

/// A string that a cell holds as it is.
fn text_cell(s: &str) -> Result<(), Why> {
    if s.is_empty() {
        return Err(why(
            "空字符串在工作簿中与未填写无法区分",
            "an empty string cannot be told from a blank cell",
        ));
    }
    if s.chars()
        .any(|c| c <= '\u{1f}' && !matches!(c, '\t' | '\n'))
    {
        return Err(why(
            "含有控制字符（回车、NUL 等）：工作簿的单元格存不下（会写成 _x000D_ 之类的代码）",
            "contains a control character (a carriage return, NUL, …), which a workbook cell cannot hold (it is written as a code like _x000D_)",
        ));
    }
    if has_xml_escape(s) {
        return Err(why(
            "含有形如 _x0041_ 的文字：Excel 读取时会把它当成一个转义的字符",
            "contains text like _x0041_, which Excel reads as an escaped character",
        ));
    }
    if s.trim() != s {
        return Err(why(
            "首尾有空白：工作簿读回时会去掉",
            "surrounding spaces are trimmed when a workbook is read back",
        ));
    }
    if s.chars().count() > MAX_CELL_CHARS {
        return Err(why(
            "超过 Excel 单元格的 32 767 个字符",
            "longer than the 32 767 characters of an Excel cell",
        ));
    }
    Ok(())
}

fn list_cell(items: &[Node]) -> Result<Cell, Why> {
    if items.is_empty() {
        return Ok(Cell::Text(EMPTY_LIST.into()));
    }
    let mut parts = Vec::new();
    for item in items {
        let Value::Str(s) = &item.value else {
            return Err(why(
                "列表中只能是文字",
                "a list in one cell holds text only",
            ));
        };
        text_cell(s)?;
        if s.contains(LIST_SEPARATOR) || s.trim() != s {
            return Err(why(
                "列表中的一项含有分隔符“、”或首尾空白，读回时会被拆开或改变",
                "an item contains the separator 、 or surrounding spaces and would not read back the same",
            ));
        }
        parts.push(s.as_str());
    }
    if parts == [EMPTY_LIST] {
        return Err(why(
            "只有一项“无”的列表会被读成空列表",
            "a list whose one item is 无 would read back as an empty list",
        ));
    }
    let joined = parts.join(LIST_SEPARATOR);
    text_cell(&joined)?;
    Ok(Cell::Text(joined))
}

/// `_xHHHH_`, the escape of a character in the workbook's XML.
fn has_xml_escape(s: &str) -> bool {
    s.match_indices("_x").any(|(i, _)| {
        s.as_bytes().get(i + 2..i + 7).is_some_and(|b| {
            b.get(..4)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
                && b.get(4) == Some(&b'_')
        })
    })
}

/// Full-width digits, letters and `－．＋` as half-width, as the workbook reader reads a code.
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '－' | '．' | '＋' => {
                char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
            }
            c => c,
        })
        .collect()
}
