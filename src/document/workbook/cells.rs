//! The cells of every sheet, through calamine, within the limits: for `.xlsx` a stream of the
//! cells that have a value (so a sheet whose dimension claims A1:XFD1048576 costs what its
//! cells cost), for `.xls` and `.ods` calamine's ranges.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader, SheetVisible};

use super::guard::WorkbookLimits;
use super::{Format, WorkbookProblem};

/// One cell with a value (or a formula).
#[derive(Debug, Clone)]
pub struct RawCell {
    /// 0-based row and column.
    pub row: u32,
    pub col: u32,
    /// The value, or the formula's cached value (`Data::Empty` when it has none).
    pub value: Data,
    /// The cell holds a formula.
    pub formula: bool,
}

/// A merged range, 0-based and inclusive.
#[derive(Debug, Clone, Copy)]
pub struct Merged {
    pub start: (u32, u32),
    pub end: (u32, u32),
}

#[derive(Debug, Clone)]
pub struct RawSheet {
    pub name: String,
    pub hidden: bool,
    /// Sorted by row, then column.
    pub cells: Vec<RawCell>,
    pub merged: Vec<Merged>,
}

#[derive(Debug, Clone)]
pub struct RawBook {
    pub sheets: Vec<RawSheet>,
    /// Serial numbers count days from 1904-01-01 (old Mac Excel), not 1900-01-01.
    pub date1904: bool,
}

fn corrupt(e: impl std::fmt::Display) -> WorkbookProblem {
    WorkbookProblem::Corrupt {
        message: e.to_string(),
    }
}

/// Counts cells against the limits as they come.
struct Budget<'a> {
    limits: &'a WorkbookLimits,
    cells: u64,
}

impl Budget<'_> {
    fn take(&mut self, sheet: &str, row: u32, col: u32, rows: u32) -> Result<(), WorkbookProblem> {
        self.cells += 1;
        if self.cells > self.limits.max_cells {
            return Err(WorkbookProblem::TooManyCells {
                limit: self.limits.max_cells,
            });
        }
        if col >= self.limits.max_columns {
            return Err(WorkbookProblem::TooManyColumns {
                sheet: sheet.to_owned(),
                limit: self.limits.max_columns,
            });
        }
        let _ = row;
        if rows > self.limits.max_rows {
            return Err(WorkbookProblem::TooManyRows {
                sheet: sheet.to_owned(),
                limit: self.limits.max_rows,
            });
        }
        Ok(())
    }
}

fn owned(value: DataRef<'_>) -> Data {
    match value {
        DataRef::Int(i) => Data::Int(i),
        DataRef::Float(f) => Data::Float(f),
        DataRef::String(s) => Data::String(s),
        DataRef::SharedString(s) => Data::String(s.to_owned()),
        DataRef::Bool(b) => Data::Bool(b),
        DataRef::DateTime(d) => Data::DateTime(d),
        DataRef::DateTimeIso(s) => Data::DateTimeIso(s),
        DataRef::DurationIso(s) => Data::DurationIso(s),
        DataRef::Error(e) => Data::Error(e),
        DataRef::Empty => Data::Empty,
    }
}

/// Reads every sheet's cells.
///
/// # Errors
/// A part calamine cannot parse, or a limit exceeded.
pub fn read(
    bytes: Vec<u8>,
    format: Format,
    limits: &WorkbookLimits,
) -> Result<RawBook, WorkbookProblem> {
    let mut budget = Budget { limits, cells: 0 };
    match format {
        Format::Xlsx => read_xlsx(bytes, &mut budget),
        Format::Ods => {
            let book: calamine::Ods<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(corrupt)?;
            read_ranges(book, &mut budget, false)
        }
        Format::Xls => {
            let book: calamine::Xls<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(corrupt)?;
            read_ranges(book, &mut budget, false)
        }
    }
}

/// The worksheets (no chart sheets) by name, each with whether it is hidden.
fn worksheets(sheets: &[calamine::Sheet]) -> Vec<(String, bool)> {
    sheets
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect()
}

fn read_xlsx(bytes: Vec<u8>, budget: &mut Budget<'_>) -> Result<RawBook, WorkbookProblem> {
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(corrupt)?;
    let date1904 = book.has_1904_epoch();
    let metadata = worksheets(book.sheets_metadata());
    let mut sheets = Vec::new();
    for (name, hidden) in metadata {
        // Merged regions are optional: a sheet whose merge records calamine cannot read is
        // still read, cell by cell.
        let merged = book
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default()
            .iter()
            .map(|d| Merged {
                start: d.start,
                end: d.end,
            })
            .collect();
        let mut cells = Vec::new();
        let mut reader = book.worksheet_cells_reader(&name).map_err(corrupt)?;
        let mut rows = 0u32;
        let mut last_row = None;
        while let Some(cell) = reader.next_cell_with_formula().map_err(corrupt)? {
            let formula = cell.formula.as_deref().is_some_and(|f| !f.is_empty());
            let value = owned(cell.value);
            if matches!(value, Data::Empty) && !formula {
                continue;
            }
            let (row, col) = cell.pos;
            if last_row != Some(row) {
                rows += 1;
                last_row = Some(row);
            }
            budget.take(&name, row, col, rows)?;
            cells.push(RawCell {
                row,
                col,
                value,
                formula,
            });
        }
        cells.sort_by_key(|c| (c.row, c.col));
        sheets.push(RawSheet {
            name,
            hidden,
            cells,
            merged,
        });
    }
    Ok(RawBook { sheets, date1904 })
}

fn read_ranges<R>(
    mut book: R,
    budget: &mut Budget<'_>,
    date1904: bool,
) -> Result<RawBook, WorkbookProblem>
where
    R: Reader<Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    let metadata = worksheets(book.sheets_metadata());
    let mut sheets = Vec::new();
    for (name, hidden) in metadata {
        let range = book.worksheet_range(&name).map_err(corrupt)?;
        let formulas = book.worksheet_formula(&name).ok();
        let mut cells = Vec::new();
        let mut rows = 0u32;
        let mut last_row = None;
        let start = range.start().unwrap_or((0, 0));
        for (r, c, value) in range.used_cells() {
            let row = start.0 + u32::try_from(r).unwrap_or(u32::MAX);
            let col = start.1 + u32::try_from(c).unwrap_or(u32::MAX);
            if last_row != Some(row) {
                rows += 1;
                last_row = Some(row);
            }
            budget.take(&name, row, col, rows)?;
            cells.push(RawCell {
                row,
                col,
                value: value.clone(),
                formula: false,
            });
        }
        // Formulas without a cached value have no used cell: add them, empty.
        if let Some(formulas) = formulas {
            let fstart = formulas.start().unwrap_or((0, 0));
            for (r, c, f) in formulas.used_cells() {
                if f.is_empty() {
                    continue;
                }
                let row = fstart.0 + u32::try_from(r).unwrap_or(u32::MAX);
                let col = fstart.1 + u32::try_from(c).unwrap_or(u32::MAX);
                match cells.iter_mut().find(|x| x.row == row && x.col == col) {
                    Some(cell) => cell.formula = true,
                    None => {
                        budget.take(&name, row, col, rows)?;
                        cells.push(RawCell {
                            row,
                            col,
                            value: Data::Empty,
                            formula: true,
                        });
                    }
                }
            }
        }
        cells.sort_by_key(|c| (c.row, c.col));
        sheets.push(RawSheet {
            name,
            hidden,
            cells,
            merged: Vec::new(),
        });
    }
    Ok(RawBook { sheets, date1904 })
}
