//! Workbooks as submissions: `.xlsx`, `.xlsm`, `.xls` and `.ods` read into the same spanned
//! [`Document`] the YAML loader builds, so the schema, every rule, waivers, baselines and the
//! cross-document checks work unchanged.
//!
//! The one entry point is [`read`] (called by `document::load_bytes` for a workbook's bytes).
//! Three steps:
//!
//! 1. **Guard** ([`guard`]): a zip-based workbook's directory is inspected before any part is
//!    inflated (the declared sizes, encryption, macros, external links), then every part is
//!    inflated once into a counter to hold the actual size to the same limit; a password-
//!    protected workbook (an OLE file holding an `EncryptedPackage`) is named as such.
//! 2. **Cells** ([`cells`]): calamine reads the sheets' cells (the cached value of a formula,
//!    never its evaluation; macros are never run), within limits of cells, rows and columns.
//! 3. **Tree** ([`tree`]): the sheets and columns are found through `form::layout` — the layout
//!    the template writes — and each cell becomes a typed value by its column's cell type.
//!
//! The [`SourceFile`] of a workbook is a synthesized text: one block of lines per sheet, line
//! *k* the cells of row *k* separated by ` │ `, control characters made visible; a
//! [`Grid`](crate::source::Grid) maps each cell value's bytes back to its sheet, row and column,
//! so every report names the cell (`入驻企业名录!C14`).

mod cells;
mod guard;
mod tree;
mod values;

pub use guard::{WorkbookLimits, holds_stream};

use crate::document::{Document, Limits, LoadError, LoadErrorKind};
use crate::source::SourceFile;
use crate::text::Text;

/// Which kind of workbook the bytes are (by their magic, `document::sniff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML: `.xlsx`, `.xlsm`.
    Xlsx,
    /// OpenDocument: `.ods`.
    Ods,
    /// Excel 97–2003 (OLE compound file): `.xls`.
    Xls,
}

/// Why a workbook could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkbookProblem {
    /// Not a readable zip / OLE file, or a part calamine could not parse.
    Corrupt { message: String },
    /// Password-protected: its content is encrypted.
    Encrypted,
    /// A part that inflates beyond the limit; `declared` when the zip directory says so,
    /// otherwise found while inflating.
    Inflates {
        part: String,
        declared: bool,
        limit: u64,
    },
    /// More cells with a value than the limit.
    TooManyCells { limit: u64 },
    /// A row with more columns than the limit.
    TooManyColumns { sheet: String, limit: u32 },
    /// More rows with data than the limit.
    TooManyRows { sheet: String, limit: u32 },
    /// The name says workbook, the bytes are text.
    TextNamedAsWorkbook,
    /// No sheet of the submission form (基本信息, 入驻企业名录, …).
    NoFormSheet { sheets: Vec<String> },
}

impl WorkbookProblem {
    /// The rule id: `LIMIT` for limits, `FILETYPE` for what the file is, else `PARSE`.
    #[must_use]
    pub const fn rule(&self) -> &'static str {
        match self {
            Self::Inflates { .. }
            | Self::TooManyCells { .. }
            | Self::TooManyColumns { .. }
            | Self::TooManyRows { .. } => "LIMIT",
            Self::TextNamedAsWorkbook | Self::Encrypted => "FILETYPE",
            Self::Corrupt { .. } | Self::NoFormSheet { .. } => "PARSE",
        }
    }

    #[must_use]
    pub fn message(&self) -> Text {
        match self {
            Self::Corrupt { message } => Text::new(
                format!("工作簿已损坏，无法读取：{}", crate::text::clip(message)),
                format!(
                    "the workbook is damaged and cannot be read: {}",
                    crate::text::clip(message)
                ),
            ),
            Self::Encrypted => Text::new(
                "工作簿设置了打开密码（已加密），无法读取其内容",
                "the workbook is password-protected (encrypted): its content cannot be read",
            ),
            Self::Inflates {
                part,
                declared,
                limit,
            } => {
                let part = crate::text::clip(part);
                let mib = limit / (1024 * 1024);
                if *declared {
                    Text::new(
                        format!(
                            "工作簿的部件 {part} 解压后超过 {mib} MiB（按压缩包目录中声明的大小），未解压"
                        ),
                        format!(
                            "the workbook's part {part} inflates to more than {mib} MiB (by the size the zip directory declares); not inflated"
                        ),
                    )
                } else {
                    Text::new(
                        format!(
                            "工作簿的部件 {part} 解压时超出了压缩包目录中声明的大小（或 {mib} MiB 的上限），已停止读取"
                        ),
                        format!(
                            "the workbook's part {part} inflated past the size its zip directory declares (or the limit of {mib} MiB); reading stopped"
                        ),
                    )
                }
            }
            Self::TooManyCells { limit } => Text::new(
                format!("工作簿中有值的单元格超过 {limit} 个，已停止读取"),
                format!("the workbook has more than {limit} cells with a value; reading stopped"),
            ),
            Self::TooManyColumns { sheet, limit } => {
                let sheet = crate::text::clip(sheet);
                Text::new(
                    format!("工作表「{sheet}」有一行超过 {limit} 列，已停止读取"),
                    format!(
                        "sheet {sheet} has a row of more than {limit} columns; reading stopped"
                    ),
                )
            }
            Self::TooManyRows { sheet, limit } => {
                let sheet = crate::text::clip(sheet);
                Text::new(
                    format!("工作表「{sheet}」有数据的行超过 {limit} 行，已停止读取"),
                    format!("sheet {sheet} has more than {limit} rows with data; reading stopped"),
                )
            }
            Self::TextNamedAsWorkbook => Text::new(
                "文件名是工作簿（.xlsx/.xlsm/.xls/.ods），内容却是文本（可能是改了扩展名的 YAML 或 JSON）",
                "the name says workbook (.xlsx/.xlsm/.xls/.ods) but the content is text (a YAML or JSON file renamed?)",
            ),
            Self::NoFormSheet { sheets } => {
                let names = sheets
                    .iter()
                    .take(10)
                    .map(|s| crate::text::clip(s))
                    .collect::<Vec<_>>()
                    .join("、");
                Text::new(
                    format!(
                        "工作簿中没有申报表的工作表（基本信息、运营信息、入驻企业名录……）；只有：{names}"
                    ),
                    format!(
                        "the workbook has no sheet of the submission form (基本信息, 运营信息, 入驻企业名录, …); it has: {names}"
                    ),
                )
            }
        }
    }

    #[must_use]
    pub fn help(&self) -> Text {
        match self {
            Self::Corrupt { .. } => Text::new(
                "在 Excel、WPS 或 LibreOffice 中打开并另存为 .xlsx 后再检查；若打不开，请向填报人重新索取文件",
                "open it in Excel, WPS or LibreOffice and save it as .xlsx again; if it does not open, ask for the file again",
            ),
            Self::Encrypted => Text::new(
                "在 Excel 中打开后，「文件 → 信息 → 保护工作簿 → 用密码进行加密」清除密码再保存；申报文件不应加密",
                "open it in Excel, clear the password (File → Info → Protect Workbook → Encrypt with Password) and save; a submission is not encrypted",
            ),
            Self::Inflates { .. } | Self::TooManyCells { .. } => Text::new(
                "小微企业园的申报工作簿远小于此；这不像是申报文件（可能是压缩炸弹）",
                "a park's submission workbook is far smaller than this; this does not look like a submission (a zip bomb?)",
            ),
            Self::TooManyColumns { .. } | Self::TooManyRows { .. } => Text::new(
                "删除表格右侧或下方多余的行列（选中后「删除」而非清除内容），再保存",
                "delete the extra rows or columns right of or below the table (delete them, not only their content) and save",
            ),
            Self::TextNamedAsWorkbook => Text::new(
                "把扩展名改回 .yaml（或 .json）再检查；要填工作簿请用 parkcheck template 生成模板",
                "give it back its .yaml (or .json) extension; for a workbook to fill, run parkcheck template",
            ),
            Self::NoFormSheet { .. } => Text::new(
                "用 parkcheck template 生成的模板填写，工作表名不要改动",
                "fill the template from parkcheck template, keeping its sheet names",
            ),
        }
    }
}

impl From<WorkbookProblem> for LoadError {
    fn from(problem: WorkbookProblem) -> Self {
        Self::new(LoadErrorKind::Workbook {
            problem: Box::new(problem),
        })
    }
}

/// Reads a workbook's bytes as a submission.
///
/// # Errors
/// The workbook cannot be read (damaged, encrypted, over a limit, no sheet of the form); what
/// a single cell does wrong is no error but a read issue of the document, reported as a finding.
pub fn read(
    name: &str,
    bytes: Vec<u8>,
    format: Format,
    limits: &Limits,
) -> Result<Document, LoadError> {
    let workbook_limits = WorkbookLimits::from(limits);
    let inspected = guard::inspect(&bytes, format, &workbook_limits)?;
    let book = cells::read(bytes, format, &workbook_limits)?;
    let built = tree::build(&book, &inspected)?;
    Ok(Document {
        source: SourceFile::with_grid(name, built.text, built.grid),
        root: built.root,
        number_issues: Vec::new(),
        read_issues: built.issues,
    })
}
