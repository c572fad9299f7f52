//! The sheets' cells into the submission tree, through the form's layout (`form::layout`, the
//! one the template writes): a fields sheet row by row by its 字段 column (or its label), a
//! table sheet column by column by its header (the title as the template writes it, without
//! the ` *` of a required field and the `（unit）` suffix, or the field name).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::WorkbookProblem;
use super::cells::{RawBook, RawCell, RawSheet};
use super::guard::Inspected;
use super::values::{self, CellIssue};
use crate::document::{Entry, Node, Pointer, ReadIssue, Value};
use crate::form::{self, Field, Layout, SheetKind};
use crate::source::{Grid, Span};
use crate::text::{Text, clip, visible_inline};

/// The separator of cells in the synthesized text.
const SEPARATOR: &str = " │ ";

/// The most empty cells shown between two values of a row; a wider gap is shown as `…`.
const MAX_GAP: u32 = 64;

/// Sheets the template writes that hold no data.
const NOT_DATA: &[&str] = &[form::GUIDE_SHEET, form::LISTS_SHEET];

pub struct Built {
    pub text: String,
    pub grid: Grid,
    pub root: Node,
    pub issues: Vec<ReadIssue>,
}

fn layout() -> Option<&'static Layout> {
    static LAYOUT: OnceLock<Option<Layout>> = OnceLock::new();
    LAYOUT
        .get_or_init(|| {
            form::layout(
                include_str!("../../../schemas/submission.v1.schema.json"),
                "filing",
            )
            .ok()
        })
        .as_ref()
}

/// A sheet's cells with the bytes each is shown at.
struct Placed<'a> {
    sheet: &'a RawSheet,
    spans: Vec<Span>,
    /// The span of each row's line, by 0-based row.
    rows: HashMap<u32, Span>,
    block: Span,
}

/// Writes the synthesized text: one block per sheet, one line per row, the cells of a row
/// separated by [`SEPARATOR`], every unsafe character made visible.
fn synthesize<'a>(book: &'a RawBook, text: &mut String, grid: &mut Grid) -> Vec<Placed<'a>> {
    let mut placed = Vec::new();
    for sheet in &book.sheets {
        if !text.is_empty() {
            text.push('\n');
        }
        let start = text.len();
        grid.begin_sheet(&sheet.name, start);
        let mut spans = Vec::with_capacity(sheet.cells.len());
        let mut rows = HashMap::new();
        let mut row = 0u32;
        let mut line_start = start;
        let mut first_in_row = true;
        let mut next_col = 0u32;
        for cell in &sheet.cells {
            while row < cell.row {
                if !first_in_row {
                    rows.insert(row, Span::new(line_start, text.len()));
                }
                text.push('\n');
                row += 1;
                line_start = text.len();
                first_in_row = true;
            }
            if first_in_row {
                next_col = 0;
            }
            // Empty cells keep their place, so that a row lines up with its header; a wide
            // gap (a value far right of the table) is one `…`, not thousands of separators.
            let gap = cell.col.saturating_sub(next_col);
            if gap > MAX_GAP {
                text.push_str(SEPARATOR);
                text.push('…');
            } else {
                for _ in 0..gap {
                    text.push_str(SEPARATOR);
                }
            }
            if cell.col > 0 {
                text.push_str(SEPARATOR);
            }
            first_in_row = false;
            next_col = cell.col + 1;
            let shown = values::display(&cell.value, cell.formula);
            let at = text.len();
            text.push_str(&visible_inline(&shown));
            let span = Span::new(at, text.len());
            grid.cell(span, cell.row + 1, cell.col + 1);
            spans.push(span);
        }
        if !first_in_row {
            rows.insert(row, Span::new(line_start, text.len()));
        }
        grid.end_sheet(text.len());
        placed.push(Placed {
            sheet,
            spans,
            rows,
            block: Span::new(start, text.len()),
        });
    }
    placed
}

/// A row of a table sheet: the value of its parent key column (for a nested table) and its item,
/// `None` for the form's "none" (an empty list).
type TableRow = (Option<String>, Option<Node>);

struct Builder {
    issues: Vec<ReadIssue>,
    date1904: bool,
}

impl Builder {
    fn issue(&mut self, pointer: Option<Pointer>, span: Span, issue: CellIssue) {
        self.issues.push(ReadIssue {
            pointer,
            span,
            error: issue.error,
            message: issue.message,
            help: issue.help,
        });
    }

    fn note(&mut self, span: Span, error: bool, message: Text, help: Option<Text>) {
        self.issue(
            None,
            span,
            CellIssue {
                error,
                message,
                help,
            },
        );
    }
}

/// The closest of `candidates` to `what`, when close enough to suggest.
fn did_you_mean<'c>(what: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .map(|c| (strsim::jaro_winkler(what, c), c))
        .filter(|&(score, _)| score >= 0.7)
        .max_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, c)| c)
}

fn suggestion(best: Option<&str>) -> Option<Text> {
    best.map(|b| Text::new(format!("是否想写「{b}」？"), format!("did you mean {b}?")))
}

/// A header or label as the template writes it, reduced to the title: ` *` (required) and a
/// `（unit）` suffix removed, spaces trimmed.
fn normalize_header(header: &str) -> String {
    let mut h = header.trim().trim_matches('\u{3000}').to_owned();
    loop {
        let before = h.len();
        if h.ends_with('）') || h.ends_with(')') {
            if let Some(open) = h.rfind(['（', '(']) {
                h.truncate(open);
            }
        }
        h = h.trim_end().trim_end_matches('*').trim_end().to_owned();
        if h.len() == before {
            break;
        }
    }
    h
}

fn cell_text(cell: &RawCell) -> String {
    values::display(&cell.value, false).trim().to_owned()
}

/// Inserts `node` at the dotted `path` under `entries`, creating the objects on the way (their
/// spans growing to cover what they hold).
fn insert(entries: &mut Vec<Entry>, path: &[&str], key_span: Span, node: Node) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let position = entries.iter().position(|e| e.key == *first);
    if rest.is_empty() {
        match position.and_then(|i| entries.get_mut(i)) {
            Some(entry) => entry.value = node,
            None => entries.push(Entry {
                key: (*first).into(),
                key_span,
                value: node,
            }),
        }
        return;
    }
    let index = match position {
        Some(i) => i,
        None => {
            entries.push(Entry {
                key: (*first).into(),
                key_span,
                value: Node {
                    value: Value::Map(Vec::new()),
                    span: key_span,
                },
            });
            entries.len() - 1
        }
    };
    if let Some(entry) = entries.get_mut(index) {
        let span = &mut entry.value.span;
        span.start = span.start.min(node.span.start);
        span.end = span.end.max(node.span.end);
        if !matches!(entry.value.value, Value::Map(_)) {
            entry.value.value = Value::Map(Vec::new());
        }
        if let Value::Map(inner) = &mut entry.value.value {
            insert(inner, rest, key_span, node);
        }
    }
}

fn pointer_of(base: &Pointer, dotted: &str) -> Pointer {
    dotted.split('.').fold(base.clone(), |p, t| p.join(t))
}

/// A converted value as a node at `span` (a list's items at the cell too).
fn node_of(value: Value, span: Span) -> Node {
    let value = match value {
        Value::Seq(items) => Value::Seq(
            items
                .into_iter()
                .map(|mut n| {
                    n.span = span;
                    n
                })
                .collect(),
        ),
        other => other,
    };
    Node { value, span }
}

/// Builds the tree.
///
/// # Errors
/// When no sheet of the workbook is a sheet of the form.
pub fn build(book: &RawBook, inspected: &Inspected) -> Result<Built, WorkbookProblem> {
    let Some(layout) = layout() else {
        return Err(WorkbookProblem::Corrupt {
            message: "the submission schema has no layout".into(),
        });
    };
    if !book.sheets.iter().any(|s| layout.sheet(&s.name).is_some()) {
        return Err(WorkbookProblem::NoFormSheet {
            sheets: book.sheets.iter().map(|s| s.name.clone()).collect(),
        });
    }
    let mut text = String::new();
    let mut grid = Grid::default();
    let placed = synthesize(book, &mut text, &mut grid);
    let mut builder = Builder {
        issues: Vec::new(),
        date1904: book.date1904,
    };
    let at_start = Span::empty(0);
    if inspected.macros {
        builder.note(
            at_start,
            false,
            Text::new(
                "工作簿含宏（VBA）：parkcheck 只读取单元格的值，宏没有运行",
                "the workbook holds macros (VBA): parkcheck reads the cells' values only; the macros were not run",
            ),
            Some(Text::new(
                "申报工作簿不需要宏：可另存为 .xlsx",
                "a submission needs no macros: it can be saved as .xlsx",
            )),
        );
    }
    if inspected.external_links {
        builder.note(
            at_start,
            false,
            Text::new(
                "工作簿链接了其他工作簿：引用它们的公式按保存时的缓存值读取，未打开被链接的文件",
                "the workbook links to other workbooks: formulas that use them are read as their cached values; the linked files were not opened",
            ),
            Some(Text::new(
                "在 Excel 中「数据 → 编辑链接 → 断开链接」，把值固定下来再保存",
                "in Excel, Data → Edit Links → Break Link to fix the values, then save",
            )),
        );
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut nested: Vec<(&form::Sheet, &Placed<'_>)> = Vec::new();
    for sheet in &placed {
        let name = sheet.sheet.name.as_str();
        let first_span = sheet.spans.first().copied().unwrap_or(sheet.block);
        let Some(layout_sheet) = layout.sheet(name) else {
            if !NOT_DATA.contains(&name) && !sheet.sheet.cells.is_empty() {
                let best = did_you_mean(name, layout.sheets.iter().map(|s| s.name.as_str()));
                let shown = clip(name);
                builder.note(
                    first_span,
                    true,
                    Text::new(
                        format!("工作表「{shown}」不是申报表的工作表，其内容没有读取"),
                        format!(
                            "sheet {shown} is not a sheet of the form; its content was not read"
                        ),
                    ),
                    suggestion(best).or_else(|| {
                        Some(Text::new(
                            "申报表的工作表见 parkcheck template 生成的模板",
                            "the form's sheets are those of the template from parkcheck template",
                        ))
                    }),
                );
            }
            continue;
        };
        if sheet.sheet.hidden && !sheet.sheet.cells.is_empty() {
            builder.note(
                first_span,
                false,
                Text::new(
                    format!("工作表「{name}」是隐藏的，其中的数据也已读取和检查"),
                    format!("sheet {name} is hidden; its data was read and checked too"),
                ),
                Some(Text::new(
                    "如这些数据不应申报，请删除它们，而不只是隐藏工作表",
                    "if this data is not meant to be submitted, delete it rather than hide the sheet",
                )),
            );
        }
        match &layout_sheet.kind {
            SheetKind::Fields => builder.fields(layout_sheet, sheet, &mut entries),
            SheetKind::Table { parent: None, path } => {
                let (list, span) = builder.table(layout_sheet, sheet, path, None);
                if let Some(list) = list {
                    let segments: Vec<&str> = path.split('.').collect();
                    insert(&mut entries, &segments, span, list);
                }
            }
            SheetKind::Table {
                parent: Some(_), ..
            } => nested.push((layout_sheet, sheet)),
        }
    }
    for (layout_sheet, sheet) in nested {
        builder.nested_table(layout_sheet, sheet, &mut entries);
    }
    let root = Node {
        value: Value::Map(entries),
        span: Span::new(0, text.len()),
    };
    Ok(Built {
        text,
        grid,
        root,
        issues: builder.issues,
    })
}

impl Builder {
    /// A fields sheet: 项目 / 填写内容 / 单位 / 字段 / 说明, a row per field.
    fn fields(&mut self, layout_sheet: &form::Sheet, sheet: &Placed<'_>, entries: &mut Vec<Entry>) {
        let cells = &sheet.sheet.cells;
        let Some(header_row) = cells.first().map(|c| c.row) else {
            return;
        };
        let header = |wanted: &str| {
            cells
                .iter()
                .take_while(|c| c.row == header_row)
                .find(|c| normalize_header(&cell_text(c)) == wanted)
                .map(|c| c.col)
        };
        let [label_header, value_header, _, field_header, _] = form::FIELDS_HEADERS;
        let label_col = header(label_header);
        let field_col = header(field_header);
        let Some(value_col) = header(value_header) else {
            let span = sheet.rows.get(&header_row).copied().unwrap_or(sheet.block);
            self.note(
                span,
                true,
                Text::new(
                    format!(
                        "工作表「{}」的第一行没有「{value_header}」列，无法读取",
                        layout_sheet.name
                    ),
                    format!(
                        "sheet {}'s first row has no {value_header} column; it was not read",
                        layout_sheet.name
                    ),
                ),
                Some(Text::new(
                    "保留模板的表头行：项目、填写内容、单位、字段、说明",
                    "keep the template's header row: 项目, 填写内容, 单位, 字段, 说明",
                )),
            );
            return;
        };
        let by_label: HashMap<String, &Field> = layout_sheet
            .fields
            .iter()
            .map(|f| {
                let mut title: Vec<String> = f.group.iter().skip(1).cloned().collect();
                title.push(f.title.clone());
                (title.join(" · "), f)
            })
            .collect();
        let groups: Vec<&str> = layout_sheet
            .fields
            .iter()
            .filter_map(|f| f.group.first().map(String::as_str))
            .collect();
        let mut i = 0;
        while let Some(first) = cells.get(i) {
            let row = first.row;
            let mut end = i;
            while cells.get(end).is_some_and(|c| c.row == row) {
                end += 1;
            }
            let row_cells: Vec<(usize, &RawCell)> = (i..end)
                .filter_map(|k| cells.get(k).map(|c| (k, c)))
                .collect();
            i = end;
            if row == header_row {
                continue;
            }
            let at = |col: Option<u32>| {
                col.and_then(|col| row_cells.iter().find(|(_, c)| c.col == col).copied())
            };
            let label = at(label_col);
            let path = at(field_col);
            let value = at(Some(value_col));
            let path_text = path.map(|(_, c)| cell_text(c)).filter(|t| !t.is_empty());
            let label_text = label.map(|(_, c)| normalize_header(&cell_text(c)));
            let field = match (&path_text, &label_text) {
                (Some(p), _) => layout_sheet.fields.iter().find(|f| f.path == *p),
                (None, Some(l)) => by_label.get(l).copied(),
                (None, None) => None,
            };
            let span_of = |k: usize| sheet.spans.get(k).copied().unwrap_or(sheet.block);
            let key_span = label.or(path).map_or_else(
                || sheet.rows.get(&row).copied().unwrap_or(sheet.block),
                |(k, _)| span_of(k),
            );
            let Some(field) = field else {
                let is_section = label_text.as_deref().is_some_and(|l| groups.contains(&l))
                    && path_text.is_none();
                if is_section || (value.is_none() && path_text.is_none()) {
                    continue;
                }
                let what = path_text.clone().or(label_text.clone()).unwrap_or_default();
                let best = match &path_text {
                    Some(p) => did_you_mean(p, layout_sheet.fields.iter().map(|f| f.path.as_str())),
                    None => did_you_mean(&what, by_label.keys().map(String::as_str)),
                };
                let shown = clip(&what);
                let sheet_name = &layout_sheet.name;
                self.note(
                    key_span,
                    true,
                    Text::new(
                        format!("「{shown}」不是工作表「{sheet_name}」的项目"),
                        format!("{shown} is not an item of sheet {sheet_name}"),
                    ),
                    suggestion(best),
                );
                continue;
            };
            let Some((k, cell)) = value else { continue };
            let span = span_of(k);
            let converted = values::convert(&cell.value, cell.formula, field, self.date1904);
            let pointer = pointer_of(&Pointer::root(), &field.path);
            for issue in converted.issues {
                self.issue(Some(pointer.clone()), span, issue);
            }
            if let Some(value) = converted.value {
                let segments: Vec<&str> = field.path.split('.').collect();
                insert(entries, &segments, key_span, node_of(value, span));
            }
        }
    }

    /// A table sheet: the header row, then one item per row with a value. Returns the list (or
    /// `None` when no row has data) and the header row's span.
    fn table(
        &mut self,
        layout_sheet: &form::Sheet,
        sheet: &Placed<'_>,
        path: &str,
        parent: Option<&Field>,
    ) -> (Option<Node>, Span) {
        let (rows, span) = self.rows(layout_sheet, sheet, path, parent);
        // Only the form's "none" (`无`) in the first column: an empty list, not one not given.
        let said_none = rows.iter().any(|(_, n)| n.is_none());
        let items: Vec<Node> = rows.into_iter().filter_map(|(_, n)| n).collect();
        if items.is_empty() && !said_none {
            return (None, span);
        }
        (
            Some(Node {
                value: Value::Seq(items),
                span,
            }),
            span,
        )
    }

    /// The items of a table sheet, each with the value of its parent key column (for a nested
    /// table), and the header row's span. A row of the form's "none" alone
    /// ([`form::EMPTY_LIST`] in the first column of the table) is an item of `None`: the list
    /// (of its parent, for a nested table) is empty.
    #[allow(clippy::too_many_lines)]
    fn rows(
        &mut self,
        layout_sheet: &form::Sheet,
        sheet: &Placed<'_>,
        path: &str,
        parent: Option<&Field>,
    ) -> (Vec<TableRow>, Span) {
        let cells = &sheet.sheet.cells;
        let Some(header_row) = cells.first().map(|c| c.row) else {
            return (Vec::new(), sheet.block);
        };
        let header_span = sheet.rows.get(&header_row).copied().unwrap_or(sheet.block);
        // Column → field (None: the parent key column).
        let mut columns: HashMap<u32, (Option<&Field>, Span)> = HashMap::new();
        let mut seen: HashMap<String, u32> = HashMap::new();
        for (k, cell) in cells
            .iter()
            .enumerate()
            .take_while(|(_, c)| c.row == header_row)
        {
            let span = sheet.spans.get(k).copied().unwrap_or(header_span);
            let raw = cell_text(cell);
            let header = normalize_header(&raw);
            if header.is_empty() {
                continue;
            }
            let is_parent = parent.is_some_and(|p| p.title == header || p.path == header);
            let field = layout_sheet
                .fields
                .iter()
                .find(|f| f.title == header || f.path == header);
            if let Some(previous) = seen.insert(header.clone(), cell.col) {
                let shown = clip(&raw);
                let first = crate::source::column_letters(previous + 1);
                self.note(
                    span,
                    true,
                    Text::new(
                        format!("列标题「{shown}」重复（第一次在 {first} 列），此列没有读取"),
                        format!("the header {shown} is repeated (first in column {first}); this column was not read"),
                    ),
                    Some(Text::new("删除或改正重复的列", "delete or correct the repeated column")),
                );
                continue;
            }
            if is_parent {
                columns.insert(cell.col, (None, span));
            } else if let Some(field) = field {
                columns.insert(cell.col, (Some(field), span));
            } else {
                let mut candidates: Vec<&str> = layout_sheet
                    .fields
                    .iter()
                    .map(|f| f.title.as_str())
                    .collect();
                if let Some(p) = parent {
                    candidates.push(p.title.as_str());
                }
                let best = did_you_mean(&header, candidates.into_iter());
                let shown = clip(&raw);
                let sheet_name = &layout_sheet.name;
                self.note(
                    span,
                    true,
                    Text::new(
                        format!("工作表「{sheet_name}」的列标题「{shown}」不是申报表的字段，此列没有读取"),
                        format!("the header {shown} of sheet {sheet_name} is not a field of the form; this column was not read"),
                    ),
                    suggestion(best),
                );
            }
        }
        // Merged cells down a column: the value belongs to every row of the range.
        let mut merged_values: HashMap<(u32, u32), usize> = HashMap::new();
        for m in &sheet.sheet.merged {
            if m.start.0 <= header_row || m.end.0 == m.start.0 {
                continue;
            }
            let Some(top) = cells
                .iter()
                .position(|c| c.row == m.start.0 && c.col == m.start.1)
            else {
                continue;
            };
            for row in m.start.0 + 1..=m.end.0.min(m.start.0 + 100_000) {
                merged_values.insert((row, m.start.1), top);
            }
            let span = sheet.spans.get(top).copied().unwrap_or(header_span);
            let first = crate::source::column_letters(m.start.1 + 1);
            self.note(
                span,
                false,
                Text::new(
                    format!(
                        "合并单元格 {first}{}:{first}{}：其值按该范围的每一行读取",
                        m.start.0 + 1,
                        m.end.0 + 1
                    ),
                    format!(
                        "merged cells {first}{}:{first}{}: the value is read for every row of the range",
                        m.start.0 + 1,
                        m.end.0 + 1
                    ),
                ),
                Some(Text::new(
                    "取消合并并在每一行填入值，表格更不易出错",
                    "unmerge and fill each row: the list is then unambiguous",
                )),
            );
        }
        let list_pointer = pointer_of(&Pointer::root(), &path.replace(".*.", "."));
        let mut items = Vec::new();
        let mut by_row: std::collections::BTreeMap<u32, Vec<(u32, usize)>> =
            std::collections::BTreeMap::new();
        for (k, c) in cells.iter().enumerate().filter(|(_, c)| c.row > header_row) {
            by_row.entry(c.row).or_default().push((c.col, k));
        }
        for ((r, col), top) in &merged_values {
            let row = by_row.entry(*r).or_default();
            if !row.iter().any(|(c, _)| c == col) {
                row.push((*col, *top));
            }
        }
        let first_field_column = columns
            .iter()
            .filter(|(_, (field, _))| field.is_some())
            .map(|(col, _)| *col)
            .min();
        let mut index = 0usize;
        for (row, mut cols) in by_row {
            let row_span = sheet.rows.get(&row).copied();
            let mut item: Vec<Entry> = Vec::new();
            let mut parent_key = None;
            let mut pending: Vec<(Option<String>, Span, CellIssue)> = Vec::new();
            cols.sort_unstable();
            let mut field_cells = cols
                .iter()
                .filter(|(col, _)| columns.get(col).is_some_and(|(f, _)| f.is_some()));
            if let (Some(&(col, k)), None) = (field_cells.next(), field_cells.next())
                && Some(col) == first_field_column
                && cells
                    .get(k)
                    .is_some_and(|c| cell_text(c).trim() == form::EMPTY_LIST)
            {
                let parent_key = cols.iter().find_map(|(col, k)| {
                    matches!(columns.get(col), Some((None, _)))
                        .then(|| cells.get(*k).map(cell_text))
                        .flatten()
                        .filter(|key| !key.is_empty())
                });
                items.push((parent_key, None));
                continue;
            }
            for (col, k) in cols {
                let Some(&(field, header_span)) = columns.get(&col) else {
                    continue;
                };
                let (Some(cell), Some(&span)) = (cells.get(k), sheet.spans.get(k)) else {
                    continue;
                };
                let Some(field) = field else {
                    let key = cell_text(cell);
                    if !key.is_empty() {
                        parent_key = Some((key, span));
                    }
                    continue;
                };
                let converted = values::convert(&cell.value, cell.formula, field, self.date1904);
                for issue in converted.issues {
                    pending.push((Some(field.path.clone()), span, issue));
                }
                if let Some(value) = converted.value {
                    let segments: Vec<&str> = field.path.split('.').collect();
                    insert(&mut item, &segments, header_span, node_of(value, span));
                }
            }
            if item.is_empty() && pending.is_empty() {
                // An empty (formatted) row, or one with only unknown columns: no item.
                continue;
            }
            let span =
                row_span.unwrap_or_else(|| item.first().map_or(header_span, |e| e.value.span));
            let item_pointer = list_pointer.join(&index.to_string());
            for (field_path, at, issue) in pending {
                let pointer = field_path.map(|p| pointer_of(&item_pointer, &p));
                self.issue(pointer, at, issue);
            }
            index += 1;
            items.push((
                parent_key.map(|(k, _)| k),
                Some(Node {
                    value: Value::Map(item),
                    span,
                }),
            ));
        }
        (items, header_span)
    }

    /// A list inside the items of another list (分层, 货梯): each row goes to the item its first
    /// column names.
    fn nested_table(
        &mut self,
        layout_sheet: &form::Sheet,
        sheet: &Placed<'_>,
        entries: &mut [Entry],
    ) {
        let SheetKind::Table {
            path,
            parent: Some(parent),
        } = &layout_sheet.kind
        else {
            return;
        };
        let (outer_sheet, key_field) = parent.as_ref();
        let Some((outer, inner)) = path.rsplit_once(".*.") else {
            return;
        };
        let (rows, header_span) = self.rows(layout_sheet, sheet, path, Some(key_field));
        let segments: Vec<&str> = outer.split('.').collect();
        let mut outer_items = find_list(entries, &segments);
        for (key, node) in rows {
            let target = key.as_deref().and_then(|key| {
                outer_items.as_deref_mut().and_then(|items| {
                    items.iter_mut().find(|item| {
                        matches!(item.get(&key_field.path).map(|n| &n.value), Some(Value::Str(s)) if s == key)
                    })
                })
            });
            let Some(target) = target else {
                let shown = key.as_deref().map(clip).unwrap_or_default();
                let title = &key_field.title;
                self.note(
                    node.as_ref().map_or(header_span, |n| n.span),
                    true,
                    Text::new(
                        format!(
                            "工作表「{}」的这一行所属的{outer_sheet}（{title}「{shown}」）在「{outer_sheet}」中找不到，此行没有读取",
                            layout_sheet.name
                        ),
                        format!(
                            "this row of sheet {} belongs to no {outer_sheet} ({title} {shown} is not on sheet {outer_sheet}); it was not read",
                            layout_sheet.name
                        ),
                    ),
                    Some(Text::new(
                        format!("第一列填写「{outer_sheet}」工作表中的{title}"),
                        format!("the first column names the {title} of a row of sheet {outer_sheet}"),
                    )),
                );
                continue;
            };
            let Value::Map(item_entries) = &mut target.value else {
                continue;
            };
            let position = item_entries.iter().position(|e| e.key == inner);
            let list = match position {
                Some(i) => item_entries.get_mut(i),
                None => {
                    item_entries.push(Entry {
                        key: inner.into(),
                        key_span: header_span,
                        value: Node {
                            value: Value::Seq(Vec::new()),
                            span: header_span,
                        },
                    });
                    item_entries.last_mut()
                }
            };
            if let (
                Some(Entry {
                    value:
                        Node {
                            value: Value::Seq(list),
                            ..
                        },
                    ..
                }),
                Some(node),
            ) = (list, node)
            {
                list.push(node);
            }
        }
    }
}

fn find_list<'e>(entries: &'e mut [Entry], path: &[&str]) -> Option<&'e mut Vec<Node>> {
    let (first, rest) = path.split_first()?;
    let entry = entries.iter_mut().find(|e| e.key == *first)?;
    match (&mut entry.value.value, rest.is_empty()) {
        (Value::Seq(items), true) => Some(items),
        (Value::Map(inner), false) => find_list(inner, rest),
        _ => None,
    }
}
