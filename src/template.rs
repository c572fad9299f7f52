//! `parkcheck template`: the registration form as a workbook to fill in Excel, WPS or
//! LibreOffice, written from the layout the submission schema gives (`crate::form`).
//!
//! Sheets: 填表说明 (what to fill, the format version and kind, the sheets, the units), 基本信息
//! and 运营信息 (label / value / unit rows, the field name beside each), 入驻企业名录 and one sheet
//! per list (楼栋, 分层, 附件, 隐患, 事故, …). Every enum cell has a drop-down of the form's
//! labels (是 / 否 for a yes-or-no field); a text field — a code, a phone number, a postcode —
//! is a text cell, so Excel keeps its leading zeros and all 18 characters of a credit code;
//! numbers and dates have number and date formats; header rows are frozen, widths set, every
//! header and label has a comment with the schema's description, unit and field name, and a
//! required field is marked `*` (in red).
//!
//! The same writer fills the template with a document's values for `parkcheck convert`
//! ([`render_filled`]: `crate::convert` places each value at its cell, this writes it), so a
//! converted workbook has exactly the template's sheets, drop-downs and formats.

use std::collections::HashMap;

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, FormatAlign, Formula,
    Note, Workbook, Worksheet, XlsxError,
};
use serde_json::Value as Json;

use crate::form::{CellType, Field, LIST_SEPARATOR, Layout, Sheet, SheetKind, layout};

/// Rows of a table sheet that get the drop-downs and cell formats (the header excluded).
pub const TABLE_ROWS: u32 = 5_000;

/// The kinds of submission and their labels.
pub const KINDS: &[(&str, &str)] = &[
    ("filing", "备案"),
    ("annual", "年度运行数据"),
    ("star", "星级申报"),
];

/// The hidden sheet that holds drop-down lists too long to be written inline (Excel's limit is
/// 255 characters).
const LISTS_SHEET: &str = crate::form::LISTS_SHEET;

/// The workbook for `kind`, from the submission schema `schema` (the bytes of an `.xlsx` file).
///
/// # Errors
/// When `kind` is not a kind of submission or the writer fails.
pub fn render(schema_text: &str, kind: &str, version: &str) -> Result<Vec<u8>, String> {
    if !KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(format!("unknown kind {kind}"));
    }
    let layout = layout(schema_text, kind)?;
    build(&layout, version, None).map_err(|e| e.to_string())
}

/// What one cell of a filled workbook holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A text cell (`@`): free text, a code, 是 / 否, a list joined with `、`, a label.
    Text(String),
    /// A number (the column's number format).
    Number(f64),
    /// A date `YYYY-MM-DD`, written as a date cell.
    Date(String),
}

/// The values of a filled workbook, placed by `form`'s layout: for a fields sheet the value of
/// each field by its path, for a table sheet its rows, each with one cell per column (the
/// parent's column first for a nested list), `None` for a blank cell.
#[derive(Debug, Clone, Default)]
pub struct Filled {
    pub fields: HashMap<String, HashMap<String, Cell>>,
    pub tables: HashMap<String, Vec<Vec<Option<Cell>>>>,
}

/// The template of `layout` filled with `values` (the bytes of an `.xlsx` file): the same
/// sheets, drop-downs, formats and comments as the empty template, and in the cells only what
/// `values` holds (no default: a filled workbook says what the document says).
///
/// # Errors
/// When the writer fails (a date Excel cannot hold, a sheet too large).
pub fn render_filled(layout: &Layout, version: &str, values: &Filled) -> Result<Vec<u8>, String> {
    build(layout, version, Some(values)).map_err(|e| e.to_string())
}

struct Formats {
    header: Format,
    required_header: Format,
    label: Format,
    required_label: Format,
    section: Format,
    text: Format,
    date: Format,
    integer: Format,
    number: Format,
    wrap: Format,
    title: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0x00DD_EBF7))
            .set_align(FormatAlign::Center)
            .set_text_wrap();
        Self {
            required_header: header.clone().set_font_color(Color::RGB(0x00C0_0000)),
            header,
            label: Format::new(),
            required_label: Format::new().set_font_color(Color::RGB(0x00C0_0000)),
            section: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00F2_F2F2)),
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            integer: Format::new().set_num_format("0"),
            number: Format::new().set_num_format("General"),
            wrap: Format::new().set_text_wrap(),
            title: Format::new().set_bold().set_font_size(14),
        }
    }

    fn cell(&self, cell: &CellType) -> &Format {
        match cell {
            CellType::Text | CellType::List | CellType::Boolean => &self.text,
            CellType::Date => &self.date,
            CellType::Integer => &self.integer,
            CellType::Number => &self.number,
        }
    }
}

fn build(layout: &Layout, version: &str, filled: Option<&Filled>) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut book = Workbook::new();
    let mut lists = Lists::default();
    let guide = book.add_worksheet();
    write_guide(guide, layout, version, &formats)?;
    for sheet in &layout.sheets {
        let worksheet = book.add_worksheet();
        worksheet.set_name(&sheet.name)?;
        match &sheet.kind {
            SheetKind::Fields => {
                let values = filled.map(|f| f.fields.get(&sheet.name));
                write_fields(worksheet, sheet, layout, &formats, &mut lists, values)?;
            }
            SheetKind::Table { parent, .. } => {
                let rows = filled
                    .and_then(|f| f.tables.get(&sheet.name))
                    .map_or(&[][..], Vec::as_slice);
                write_table(
                    worksheet,
                    sheet,
                    parent.as_deref(),
                    &formats,
                    &mut lists,
                    rows,
                )?;
            }
        }
    }
    if !lists.columns.is_empty() {
        let worksheet = book.add_worksheet();
        worksheet.set_name(LISTS_SHEET)?;
        for (col, labels) in (0u16..).zip(&lists.columns) {
            for (row, label) in (0u32..).zip(labels) {
                worksheet.write_string(row, col, label)?;
            }
        }
        worksheet.set_hidden(true);
    }
    book.save_to_buffer()
}

/// Drop-down lists too long for a validation's inline list.
#[derive(Default)]
struct Lists {
    columns: Vec<Vec<String>>,
}

impl Lists {
    /// A drop-down of `labels`: inline when it fits, else a range of the hidden 选项 sheet.
    fn validation(
        &mut self,
        field: &Field,
        labels: &[String],
    ) -> Result<DataValidation, XlsxError> {
        let validation = match DataValidation::new().allow_list_strings(labels) {
            Ok(v) => v,
            Err(_) => {
                let col = self.columns.len();
                self.columns.push(labels.to_vec());
                let letter = column_letter(col);
                DataValidation::new().allow_list_formula(Formula::new(format!(
                    "='{LISTS_SHEET}'!${letter}$1:${letter}${}",
                    labels.len()
                )))
            }
        };
        let title: String = field.title.chars().take(32).collect();
        validation
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_title(title)?
            .set_error_message(truncate(
                &format!("请从下拉列表中选择：{}", labels.join(" / ")),
                255,
            ))
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The letters of a 0-based column: 0 → A, 26 → AA (the 1-based `source::column_letters`,
/// which the reports name cells with).
pub fn column_letter(col: usize) -> String {
    crate::source::column_letters(u32::try_from(col).map_or(u32::MAX, |c| c.saturating_add(1)))
}

/// The labels of a field's drop-down: the enum's, or 是 / 否; none for a list of strings
/// (several labels in one cell cannot be a drop-down) or free text.
fn dropdown(field: &Field) -> Option<Vec<String>> {
    match field.cell {
        CellType::Boolean => Some(vec!["是".into(), "否".into()]),
        CellType::List => None,
        _ if !field.labels.is_empty() => Some(field.labels.clone()),
        _ => None,
    }
}

/// The comment of a header or label: description, unit, labels, field name, required.
fn note_text(field: &Field, full_path: &str) -> String {
    let mut lines = vec![field.description.clone()];
    if let Some(unit) = &field.unit {
        lines.push(format!("单位 / unit: {unit}"));
    }
    match field.cell {
        CellType::List => {
            let mut line = format!(
                "多项用“{LIST_SEPARATOR}”分隔 / several items separated by {LIST_SEPARATOR}"
            );
            if !field.labels.is_empty() {
                line.push_str(&format!("：{}", field.labels.join(" / ")));
            }
            lines.push(line);
        }
        CellType::Date => lines.push("日期 YYYY-MM-DD / a date".into()),
        CellType::Boolean => lines.push("是 / 否 (true / false)".into()),
        _ => {}
    }
    if let Some(note) = field.form_note {
        lines.push(format!(
            "登记表填表说明第 {note} 项 / note {note} of the form"
        ));
    }
    if field.required {
        lines.push("必填 / required".into());
    }
    lines.push(format!("字段 / field: {full_path}"));
    lines.join("\n")
}

fn note(text: &str) -> Note {
    Note::new(truncate(text, 2_000))
        .add_author_prefix(false)
        .set_width(360)
        .set_height(180)
}

/// Display width of a text in Excel's character units (a CJK character is two).
fn width(text: &str) -> f64 {
    let units: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    #[allow(clippy::cast_precision_loss)]
    let units = units as f64;
    units
}

fn label(field: &Field) -> String {
    if field.required {
        format!("{} *", field.title)
    } else {
        field.title.clone()
    }
}

fn kind_label(kind: &str) -> String {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or_else(|| kind.to_owned(), |(k, l)| format!("{k}（{l}）"))
}

fn write_guide(
    sheet: &mut Worksheet,
    layout: &Layout,
    version: &str,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(crate::form::GUIDE_SHEET)?;
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 90)?;
    sheet.write_string_with_format(
        0,
        0,
        "小微企业园申报数据填报模板 / Park submission template",
        &formats.title,
    )?;
    let mut rows: Vec<(String, String)> = vec![
        ("格式版本 / format".into(), layout.format.clone()),
        ("申报类型 / kind".into(), kind_label(&layout.kind)),
        (
            "生成 / made by".into(),
            format!("parkcheck {version}（由申报数据模式生成 / generated from the submission schema）"),
        ),
        (
            "怎样填 / how".into(),
            "在“基本信息”“运营信息”的“填写内容”列逐项填写；入驻企业及各清单每行填一项。填好后用 parkcheck check 文件.xlsx 检查，每项问题指到工作表和单元格。 / Fill the 填写内容 column of 基本信息 and 运营信息, one item per row on the lists; then run parkcheck check on the file: every finding names its sheet and cell.".into(),
        ),
        (
            "必填 / required".into(),
            "标 * 且为红色的项目必填（按本申报类型）。 / Items marked * in red are required for this kind.".into(),
        ),
        (
            "下拉选项 / labels".into(),
            "有下拉列表的单元格只能选登记表的选项；是 / 否 项选“是”或“否”。 / Cells with a drop-down take the form's labels only; yes-or-no items take 是 or 否.".into(),
        ),
        (
            "代码与电话 / codes".into(),
            "统一社会信用代码、行政区划代码、邮编、手机与电话是文本单元格：请勿改成数字格式，否则 Excel 会去掉开头的 0 或写成 9.133E+17。 / Codes, postcodes and phone numbers are text cells: do not make them numbers, or Excel drops leading zeros and writes 9.133E+17.".into(),
        ),
        (
            "日期 / dates".into(),
            "日期写成 2025-12-31（日期格式单元格）。 / Dates as 2025-12-31 (date cells).".into(),
        ),
        (
            "单位 / units".into(),
            "金额单位万元，面积单位平方米（土地为亩），见“单位”列和表头批注；只填数字，不要带单位。 / Money in 万元, areas in m² (land in 亩): see the unit column and the header comments; numbers only, without the unit.".into(),
        ),
        (
            "多项 / lists".into(),
            format!("一个单元格中的多项（如园区别称、企业荣誉）用“{LIST_SEPARATOR}”分隔。 / Several items in one cell are separated by {LIST_SEPARATOR}."),
        ),
    ];
    for sheet_layout in &layout.sheets {
        let what = match &sheet_layout.kind {
            SheetKind::Fields => "逐项填写 / one item per row".to_owned(),
            SheetKind::Table {
                parent: Some(parent),
                ..
            } => format!(
                "每行一项，第一列填所属{0}的{1} / one per row, the first column names its {0}",
                parent.0, parent.1.title
            ),
            SheetKind::Table { .. } => "每行一项 / one per row".to_owned(),
        };
        rows.push((
            format!("工作表 {}", sheet_layout.name),
            format!("{}；{what}", sheet_layout.description),
        ));
    }
    for (row, (key, value)) in (2u32..).zip(&rows) {
        sheet.write_string_with_format(row, 0, key, &formats.section)?;
        sheet.write_string_with_format(row, 1, value, &formats.wrap)?;
    }
    sheet.set_active(true);
    Ok(())
}

/// The 1-based row of each field of a fields sheet, as [`write_fields`] lays them out: after
/// the header, a row naming each section before its first field.
#[must_use]
pub fn field_rows(sheet: &Sheet) -> Vec<u32> {
    let mut rows = Vec::with_capacity(sheet.fields.len());
    let mut row = 1u32;
    let mut section: Option<&str> = None;
    for field in &sheet.fields {
        let top = field.group.first().map(String::as_str);
        if top.is_some() && top != section {
            row += 1;
            section = top;
        }
        rows.push(row + 1);
        row += 1;
    }
    rows
}

fn write_fields(
    sheet: &mut Worksheet,
    layout_sheet: &Sheet,
    layout: &Layout,
    formats: &Formats,
    lists: &mut Lists,
    filled: Option<Option<&HashMap<String, Cell>>>,
) -> Result<(), XlsxError> {
    let headers = crate::form::FIELDS_HEADERS;
    for (col, header) in (0u16..).zip(headers) {
        sheet.write_string_with_format(0, col, header, &formats.header)?;
    }
    for (col, w) in (0u16..).zip([34.0, 36.0, 12.0, 34.0, 60.0]) {
        sheet.set_column_width(col, w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    let mut section: Option<&str> = None;
    for field in &layout_sheet.fields {
        let top = field.group.first().map(String::as_str);
        if top.is_some() && top != section {
            sheet.write_string_with_format(row, 0, top.unwrap_or_default(), &formats.section)?;
            for col in 1..5u16 {
                sheet.write_blank(row, col, &formats.section)?;
            }
            row += 1;
            section = top;
        }
        let mut title = field.group.iter().skip(1).cloned().collect::<Vec<_>>();
        title.push(label(field));
        let format = if field.required {
            &formats.required_label
        } else {
            &formats.label
        };
        sheet.write_string_with_format(row, 0, title.join(" · "), format)?;
        sheet.insert_note(row, 0, &note(&note_text(field, &field.path)))?;
        let value_format = formats.cell(&field.cell);
        match (&field.constant, field.path.as_str()) {
            _ if filled.is_some() => match filled.flatten().and_then(|v| v.get(&field.path)) {
                Some(cell) => write_cell(sheet, row, 1, cell, value_format, formats)?,
                None => {
                    sheet.write_blank(row, 1, value_format)?;
                }
            },
            (_, "kind") => {
                sheet.write_string_with_format(row, 1, &layout.kind, value_format)?;
            }
            (Some(Json::String(constant)), _) => {
                sheet.write_string_with_format(row, 1, constant, value_format)?;
            }
            _ => {
                sheet.write_blank(row, 1, value_format)?;
            }
        }
        if let Some(labels) = dropdown(field) {
            sheet.add_data_validation(row, 1, row, 1, &lists.validation(field, &labels)?)?;
        }
        if let Some(unit) = &field.unit {
            sheet.write_string(row, 2, unit)?;
        }
        sheet.write_string(row, 3, &field.path)?;
        let description = field.description.split(" / ").next().unwrap_or_default();
        sheet.write_string(row, 4, description)?;
        row += 1;
    }
    Ok(())
}

fn write_table(
    sheet: &mut Worksheet,
    layout_sheet: &Sheet,
    parent: Option<&(String, Field)>,
    formats: &Formats,
    lists: &mut Lists,
    rows: &[Vec<Option<Cell>>],
) -> Result<(), XlsxError> {
    let path = match &layout_sheet.kind {
        SheetKind::Table { path, .. } => path.as_str(),
        SheetKind::Fields => "",
    };
    let mut columns: Vec<(Field, String)> = Vec::new();
    if let Some((parent_sheet, key)) = parent {
        let outer = path.rsplit_once(".*.").map_or("", |(o, _)| o);
        let mut key = key.clone();
        key.description = format!(
            "所属{parent_sheet}的{}（与“{parent_sheet}”工作表一致） / the {} of the {parent_sheet} this row belongs to",
            key.title, key.path
        );
        columns.push((key.clone(), format!("{outer}.*.{}", key.path)));
    }
    for field in &layout_sheet.fields {
        columns.push((field.clone(), format!("{path}.*.{}", field.path)));
    }
    // The drop-downs and formats reach past the data, for rows added in Excel.
    let last_row = TABLE_ROWS.max(
        u32::try_from(rows.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1),
    );
    for (col, (field, full_path)) in (0u16..).zip(&columns) {
        let header_format = if field.required {
            &formats.required_header
        } else {
            &formats.header
        };
        let header = match &field.unit {
            Some(unit) => format!("{}（{unit}）", label(field)),
            None => label(field),
        };
        sheet.write_string_with_format(0, col, &header, header_format)?;
        sheet.insert_note(0, col, &note(&note_text(field, full_path)))?;
        let column_width = match field.cell {
            CellType::Text if field.path.ends_with("uscc") => 22.0,
            CellType::Date => 12.0,
            _ => 10.0,
        };
        sheet.set_column_width(col, width(&header).clamp(column_width, 40.0) + 2.0)?;
        sheet.set_column_format(col, formats.cell(&field.cell))?;
        if let Some(labels) = dropdown(field) {
            sheet.add_data_validation(1, col, last_row, col, &lists.validation(field, &labels)?)?;
        }
    }
    for (row, cells) in (1u32..).zip(rows) {
        for ((col, cell), (field, _)) in (0u16..).zip(cells).zip(&columns) {
            if let Some(cell) = cell {
                write_cell(sheet, row, col, cell, formats.cell(&field.cell), formats)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes a value in the column's format, or as text when it is text in a column of another
/// kind (a wrong value is kept as it was written, for `check` to report).
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    format: &Format,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(text) => {
            sheet.write_string_with_format(row, col, text, &formats.text)?;
        }
        Cell::Number(n) => {
            let format =
                if std::ptr::eq(format, &formats.text) || std::ptr::eq(format, &formats.date) {
                    &formats.number
                } else {
                    format
                };
            sheet.write_number_with_format(row, col, *n, format)?;
        }
        Cell::Date(date) => match ExcelDateTime::parse_from_str(date) {
            Ok(when) => {
                sheet.write_datetime_with_format(row, col, when, &formats.date)?;
            }
            Err(_) => {
                sheet.write_string_with_format(row, col, date, &formats.text)?;
            }
        },
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16_383), "XFD");
    }

    #[test]
    fn an_unknown_kind_is_refused() {
        let schema = include_str!("../schemas/submission.v1.schema.json");
        assert!(render(schema, "monthly", "0").is_err());
        assert!(render(schema, "filing", "0").unwrap().starts_with(b"PK"));
    }
}
