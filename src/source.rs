//! Source files, byte spans and line/column positions.
//!
//! Spans are byte offsets into the decoded UTF-8 text (what `miette` wants); line and
//! column are computed on demand, both 1-based, the column counted in characters so that
//! a Chinese value is located the way an editor shows it.
//!
//! A lookup costs a binary search for the line and at most [`BLOCK`] bytes of counting for
//! the column, whatever the length of the line: a minified JSON file is one line of several
//! megabytes, and its findings (and the places of every tenant, for the cross-document rules)
//! used to count characters from the start of that line, once each (quadratic).

use std::sync::{Arc, OnceLock};

/// Bytes per checkpoint of the character index of long lines.
const BLOCK: usize = 256;

/// A half-open byte range `[start, end)` in a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    #[must_use]
    pub const fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }

    #[must_use]
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// A cell of a workbook: its sheet, its 1-based row and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    pub sheet: Arc<str>,
    pub row: u32,
    pub column: u32,
}

impl CellRef {
    /// The cell's A1 name: `C14`.
    #[must_use]
    pub fn a1(&self) -> String {
        format!("{}{}", column_letters(self.column), self.row)
    }
}

impl std::fmt::Display for CellRef {
    /// `入驻企业名录!C14`, as Excel names a cell of another sheet.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}!{}", self.sheet, self.a1())
    }
}

/// The letters of a 1-based column: 1 → A, 27 → AA, 16 384 → XFD.
#[must_use]
pub fn column_letters(column: u32) -> String {
    let mut n = column.max(1);
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Where a place of a source is, as every report names it: a line and column of a text file,
/// or, for a workbook, its cell (and then `line`/`column` are the cell's row and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub cell: Option<CellRef>,
}

impl Location {
    /// `12:5` for a text file, `入驻企业名录!C14` for a workbook.
    #[must_use]
    pub fn place(&self) -> String {
        match &self.cell {
            Some(cell) => cell.to_string(),
            None => format!("{}:{}", self.line, self.column),
        }
    }
}

/// The map from a workbook's synthesized text to its cells: the text has one block of lines
/// per sheet (line *k* of the block is row *k* of the sheet), and each cell value a byte range.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    sheets: Vec<GridSheet>,
    /// Every written cell: `(start, end, row, column)`, sorted by `start`.
    cells: Vec<(usize, usize, u32, u32)>,
}

#[derive(Debug, Clone)]
struct GridSheet {
    name: Arc<str>,
    /// The byte range of the sheet's rows in the text.
    block: Span,
}

impl Grid {
    /// Starts the block of sheet `name` at byte `start` (the start of its row 1).
    pub fn begin_sheet(&mut self, name: &str, start: usize) {
        self.sheets.push(GridSheet {
            name: name.into(),
            block: Span::empty(start),
        });
    }

    /// Ends the current sheet's block at byte `end`.
    pub fn end_sheet(&mut self, end: usize) {
        if let Some(sheet) = self.sheets.last_mut() {
            sheet.block.end = end;
        }
    }

    /// Records that bytes `span` of the text show the cell at 1-based `row`, `column`.
    pub fn cell(&mut self, span: Span, row: u32, column: u32) {
        self.cells.push((span.start, span.end, row, column));
    }

    fn sheet_at(&self, offset: usize) -> Option<&GridSheet> {
        let i = self
            .sheets
            .partition_point(|s| s.block.start <= offset)
            .checked_sub(1)?;
        self.sheets.get(i).filter(|s| offset <= s.block.end)
    }

    /// The byte range of the rows of the sheet `offset` falls in.
    #[must_use]
    pub fn sheet_block(&self, offset: usize) -> Option<Span> {
        self.sheet_at(offset).map(|s| s.block)
    }

    /// The byte range of the sheet named `name`.
    #[must_use]
    pub fn sheet_named(&self, name: &str) -> Option<Span> {
        self.sheets
            .iter()
            .find(|s| &*s.name == name)
            .map(|s| s.block)
    }

    /// The byte range of the cell at `row`, `column` of the sheet whose block is `block`.
    #[must_use]
    pub fn cell_span(&self, block: Span, row: u32, column: u32) -> Option<Span> {
        let from = self.cells.partition_point(|c| c.0 < block.start);
        self.cells
            .get(from..)?
            .iter()
            .take_while(|c| c.0 <= block.end)
            .find(|c| c.2 == row && c.3 == column)
            .map(|c| Span::new(c.0, c.1))
    }
}

/// A file read for checking: its display name and its text (UTF-8, BOM removed).
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: Arc<str>,
    text: Arc<str>,
    /// The line index, the cell map and the column index, behind one pointer (a file report
    /// holds a source, and findings are moved by value).
    index: Arc<Index>,
}

#[derive(Debug, Default)]
struct Index {
    line_starts: Box<[usize]>,
    /// For a workbook: which bytes of the synthesized text are which cell.
    grid: Option<Grid>,
    /// The number of characters before each multiple of [`BLOCK`] bytes, built the first time a
    /// column is asked for further than [`BLOCK`] bytes from the start of its line (never, for
    /// files of short lines).
    chars_before: OnceLock<Box<[usize]>>,
}

impl SourceFile {
    #[must_use]
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(memchr_newlines(text.as_bytes()))
            .collect();
        Self {
            name: name.into(),
            text,
            index: Arc::new(Index {
                line_starts,
                grid: None,
                chars_before: OnceLock::new(),
            }),
        }
    }

    /// A workbook's synthesized text and the map of its cells.
    #[must_use]
    pub fn with_grid(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>, grid: Grid) -> Self {
        let mut file = Self::new(name, text);
        if let Some(index) = Arc::get_mut(&mut file.index) {
            index.grid = Some(grid);
        }
        file
    }

    /// The map of the cells, for a workbook.
    #[must_use]
    pub fn grid(&self) -> Option<&Grid> {
        self.index.grid.as_ref()
    }

    /// The cell at byte `offset`, for a workbook: the cell whose value it falls in, or the
    /// nearest cell before it on its row (column A for the start of a row).
    #[must_use]
    pub fn cell_at(&self, offset: usize) -> Option<CellRef> {
        let grid = self.index.grid.as_ref()?;
        let sheet = grid.sheet_at(offset)?;
        let first_line = self.line_index(sheet.block.start);
        let line = self.line_index(offset);
        let row = u32::try_from(line.saturating_sub(first_line) + 1).unwrap_or(u32::MAX);
        let i = grid.cells.partition_point(|c| c.0 <= offset);
        let column = i
            .checked_sub(1)
            .and_then(|i| grid.cells.get(i))
            .filter(|c| c.2 == row && c.0 >= sheet.block.start)
            .map_or(1, |c| c.3);
        Some(CellRef {
            sheet: Arc::clone(&sheet.name),
            row,
            column,
        })
    }

    /// Where byte `offset` is, as every report names it: the cell of a workbook (its row and
    /// column as `line` and `column`), else the line and column.
    #[must_use]
    pub fn locate(&self, offset: usize) -> Location {
        if let Some(cell) = self.cell_at(offset) {
            return Location {
                line: cell.row as usize,
                column: cell.column as usize,
                cell: Some(cell),
            };
        }
        let at = self.line_col(offset);
        Location {
            line: at.line,
            column: at.column,
            cell: None,
        }
    }

    fn line_index(&self, offset: usize) -> usize {
        self.index
            .line_starts
            .partition_point(|&s| s <= offset.min(self.text.len()))
            .saturating_sub(1)
    }

    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    #[must_use]
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The text under `span`, or `""` when the span does not fall on character boundaries.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The byte offset of a 1-based line and a 1-based column counted in bytes (as
    /// `serde_json` reports them), clamped to the text and to a character boundary.
    #[must_use]
    pub fn offset_of(&self, line: usize, byte_column: usize) -> usize {
        let start = self
            .index
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let mut offset = (start + byte_column.saturating_sub(1)).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Line and column of a byte offset (clamped to the text, rounded down to a character).
    ///
    /// O(log n): a binary search for the line, then the characters between the line's start
    /// and the offset, counted directly when they are at most [`BLOCK`] bytes apart and
    /// otherwise as the difference of two counts from the start of the text, each a checkpoint
    /// of the index plus at most [`BLOCK`] bytes.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_index = self
            .index
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let line_start = self.index.line_starts.get(line_index).copied().unwrap_or(0);
        let bytes = self.text.as_bytes();
        let column = if offset - line_start <= BLOCK {
            chars_in(bytes.get(line_start..offset).unwrap_or_default())
        } else {
            self.chars_before(offset) - self.chars_before(line_start)
        };
        LineCol {
            line: line_index + 1,
            column: column + 1,
        }
    }

    /// The bytes of the lines around `span`: from `context` lines before the one `span` starts
    /// on to `context` lines after the one it ends on (a snippet's lines), each line without its
    /// line feed. O(log n) to find them, whatever the length of the lines.
    pub fn lines_around(&self, span: Span, context: usize) -> impl Iterator<Item = Span> + '_ {
        let line = |offset: usize| {
            self.index
                .line_starts
                .partition_point(|&s| s <= offset.min(self.text.len()))
                .saturating_sub(1)
        };
        let first = line(span.start).saturating_sub(context);
        let last = (line(span.end) + context).min(self.index.line_starts.len().saturating_sub(1));
        (first..=last).map(move |i| {
            let start = self.index.line_starts.get(i).copied().unwrap_or(0);
            let end = self
                .index
                .line_starts
                .get(i + 1)
                .map_or(self.text.len(), |&next| next.saturating_sub(1));
            Span::new(start, end.max(start))
        })
    }

    /// The number of characters before `offset`, a character boundary (or the text's end).
    fn chars_before(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let index = self.index.chars_before.get_or_init(|| {
            let mut count = 0;
            let mut index = Vec::with_capacity(bytes.len() / BLOCK + 1);
            for block in bytes.chunks(BLOCK) {
                index.push(count);
                count += chars_in(block);
            }
            index.into_boxed_slice()
        });
        let block = offset / BLOCK;
        let from = block * BLOCK;
        index.get(block).copied().unwrap_or_else(|| chars_in(bytes))
            + chars_in(bytes.get(from..offset).unwrap_or_default())
    }
}

/// The number of characters that start in `bytes`: every byte but UTF-8 continuation bytes.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The offsets just after each `\n` (SIMD search: the byte-by-byte filter it replaces cost
/// about 2 % of a whole check).
fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)
}

/// Converts the character indices that the YAML scanner reports into byte offsets.
///
/// The scanner's positions arrive almost in order, so a cursor that walks forward (or, rarely,
/// back) from the previous answer makes the whole conversion linear in the text's length.
/// Pure ASCII text (most JSON) takes the identity fast path.
pub(crate) struct CharToByte<'a> {
    text: &'a str,
    ascii: bool,
    char_pos: usize,
    byte_pos: usize,
}

impl<'a> CharToByte<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
            char_pos: 0,
            byte_pos: 0,
        }
    }

    pub(crate) fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index >= self.char_pos {
            self.forward(char_index - self.char_pos);
        } else {
            let before = self.text.get(..self.byte_pos).unwrap_or("");
            for c in before.chars().rev() {
                if self.char_pos == char_index {
                    break;
                }
                self.char_pos -= 1;
                self.byte_pos -= c.len_utf8();
            }
        }
        self.byte_pos
    }

    /// Moves the cursor `n` characters forward (or to the end of the text).
    ///
    /// Works on bytes: the common gap between two markers is ASCII (keys, numbers,
    /// indentation) and is crossed in one `is_ascii` test; otherwise each character is stepped
    /// over by the width its leading byte announces, without decoding it. This halved the
    /// cost of the conversion against walking `chars()` (callgrind, 10 files of the bench corpus).
    fn forward(&mut self, n: usize) {
        let bytes = self.text.as_bytes();
        let rest = bytes.get(self.byte_pos..).unwrap_or_default();
        let ahead = rest.get(..n).unwrap_or(rest);
        if ahead.len() == n && ahead.is_ascii() {
            self.byte_pos += n;
            self.char_pos += n;
            return;
        }
        let mut at = 0;
        let mut moved = 0;
        while moved < n {
            let Some(&lead) = rest.get(at) else { break };
            at += match lead {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
            moved += 1;
        }
        self.byte_pos += at.min(rest.len());
        self.char_pos += moved;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("t.yaml", "name: 濮院毛衫\nstatus: 运营中\n");
        let offset = file.text().find("运营中").unwrap();
        assert_eq!(file.line_col(offset), LineCol { line: 2, column: 9 });
        let offset = file.text().find("濮院").unwrap();
        assert_eq!(file.line_col(offset), LineCol { line: 1, column: 7 });
    }

    #[test]
    fn columns_on_a_long_line_match_counting_from_its_start() {
        // A minified file: one line of many blocks, with characters of 1 to 4 bytes
        // straddling the block boundaries, and a second line.
        let mut text = String::new();
        for i in 0..2_000 {
            text.push_str(["a", "é", "濮", "𠮷"][i % 4]);
            if i % 7 == 0 {
                text.push_str("\"k\": ");
            }
        }
        text.push('\n');
        text.push_str(&"院x".repeat(300));
        let file = SourceFile::new("t.json", text.as_str());
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line_start = text.get(..offset).unwrap().rfind('\n').map_or(0, |i| i + 1);
            let expected = LineCol {
                line: text.get(..offset).unwrap().matches('\n').count() + 1,
                column: text.get(line_start..offset).unwrap().chars().count() + 1,
            };
            assert_eq!(file.line_col(offset), expected, "at {offset}");
        }
    }

    #[test]
    fn crlf_lines() {
        let file = SourceFile::new("t.yaml", "a: 1\r\nb: 2\r\n");
        let offset = file.text().find("b").unwrap();
        assert_eq!(file.line_col(offset), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn char_to_byte_moves_both_ways() {
        let text = "a濮b院c";
        let mut conv = CharToByte::new(text);
        assert_eq!(conv.byte(4), 8);
        assert_eq!(conv.byte(1), 1);
        assert_eq!(conv.byte(2), 4);
        assert_eq!(conv.byte(5), 9);
        assert_eq!(conv.byte(99), 9);
    }
}
