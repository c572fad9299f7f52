//! Our own limits, enforced before calamine sees the bytes: a zip bomb is refused by the sizes
//! its directory declares before anything is inflated, and by the size each part actually
//! inflates to (counted into a sink, a bounded buffer at a time) before calamine inflates it
//! again; an encrypted workbook is named; macros and external links are noted.

use std::io::{Cursor, Read};

use super::{Format, WorkbookProblem};
use crate::document::Limits;

/// How much of a workbook is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkbookLimits {
    /// Largest inflated size of one part (a sheet's XML), in bytes.
    pub max_part_size: u64,
    /// Largest inflated size of all parts together.
    pub max_inflated_size: u64,
    /// Most cells with a value, over the workbook.
    pub max_cells: u64,
    /// Most rows with data in one sheet.
    pub max_rows: u32,
    /// Most columns in one row.
    pub max_columns: u32,
}

impl From<&Limits> for WorkbookLimits {
    /// Scaled from the file-size limit (64 MiB by default): a part may inflate to 4 times the
    /// file limit (256 MiB), all parts to 8 times; a submission is a few hundred kilobytes.
    fn from(limits: &Limits) -> Self {
        Self {
            max_part_size: limits.max_file_size.saturating_mul(4),
            max_inflated_size: limits.max_file_size.saturating_mul(8),
            max_cells: 4_000_000,
            max_rows: 250_000,
            max_columns: 1_024,
        }
    }
}

/// What the zip directory told about the workbook.
#[derive(Debug, Clone, Default)]
pub struct Inspected {
    /// It holds a VBA project (`.xlsm`): never run, noted.
    pub macros: bool,
    /// It links to other workbooks: their values are the cached ones, the files are not read.
    pub external_links: bool,
}

/// Inspects a workbook before it is read.
///
/// # Errors
/// Damaged, encrypted, or a part that inflates beyond the limits.
pub fn inspect(
    bytes: &[u8],
    format: Format,
    limits: &WorkbookLimits,
) -> Result<Inspected, WorkbookProblem> {
    match format {
        Format::Xls => {
            // An encrypted .xlsx (or .xls saved with a password to open) is an OLE file with an
            // `EncryptedPackage` stream (its directory entry names it in UTF-16).
            if contains_utf16(bytes, "EncryptedPackage") || contains_utf16(bytes, "EncryptionInfo")
            {
                return Err(WorkbookProblem::Encrypted);
            }
            Ok(Inspected::default())
        }
        Format::Xlsx | Format::Ods => inspect_zip(bytes, limits),
    }
}

/// Whether an OLE compound file's directory names the stream `name` (names are UTF-16).
#[must_use]
pub fn holds_stream(bytes: &[u8], name: &str) -> bool {
    contains_utf16(bytes, name)
}

fn contains_utf16(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    memchr::memmem::find(bytes, &needle).is_some()
}

fn corrupt(e: impl std::fmt::Display) -> WorkbookProblem {
    WorkbookProblem::Corrupt {
        message: e.to_string(),
    }
}

fn inspect_zip(bytes: &[u8], limits: &WorkbookLimits) -> Result<Inspected, WorkbookProblem> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut inspected = Inspected::default();
    // First the directory alone: nothing is inflated.
    let mut declared_total = 0u64;
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(corrupt)?;
        let name = file.name().map_err(corrupt)?.into_owned();
        if file.encrypted() {
            return Err(WorkbookProblem::Encrypted);
        }
        if file.size() > limits.max_part_size {
            return Err(WorkbookProblem::Inflates {
                part: name,
                declared: true,
                limit: limits.max_part_size,
            });
        }
        declared_total = declared_total.saturating_add(file.size());
        if declared_total > limits.max_inflated_size {
            return Err(WorkbookProblem::Inflates {
                part: name,
                declared: true,
                limit: limits.max_inflated_size,
            });
        }
        let lower = name.to_ascii_lowercase();
        inspected.macros |= lower.ends_with("vbaproject.bin");
        inspected.external_links |= lower.starts_with("xl/externallinks/");
    }
    // Then what each part really inflates to, whatever its header said: counted, not kept.
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(corrupt)?;
        let name = file.name().map_err(corrupt)?.into_owned();
        let allowed = limits
            .max_part_size
            .min(limits.max_inflated_size.saturating_sub(total));
        let read = std::io::copy(
            &mut (&mut file).take(allowed.saturating_add(1)),
            &mut std::io::sink(),
        )
        .map_err(|e| {
            // The zip reader stops a part at the size its header declares: a part that
            // inflates past it is a bomb whose header lies.
            if e.to_string().contains("larger than its declared") {
                WorkbookProblem::Inflates {
                    part: name.clone(),
                    declared: false,
                    limit: allowed,
                }
            } else {
                corrupt(e)
            }
        })?;
        if read > allowed {
            return Err(WorkbookProblem::Inflates {
                part: name,
                declared: false,
                limit: allowed,
            });
        }
        total += read;
    }
    Ok(inspected)
}
