//! From bytes to a [`Document`]: reading within the size limit, decoding, and parsing in the
//! syntax the input's name calls for. Every front end and every file kind (submissions,
//! rulebooks, profiles, waivers, baselines) loads through here, so the limits and the
//! diagnostics are the same wherever the bytes come from.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::document::sniff::FileType;
use crate::document::workbook::{self, Format, WorkbookProblem};
use crate::document::{Document, Limits, LoadError, LoadErrorKind, decode};
use crate::source::SourceFile;

/// The syntax an input is parsed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// YAML 1.2 (core schema).
    Yaml,
    /// Strict JSON (RFC 8259): no comments, no trailing commas, no YAML-isms.
    Json,
    /// A workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`): read through the form's layout
    /// ([`crate::document::workbook`]). The bytes decide which kind of workbook.
    Workbook,
}

/// The extensions of workbooks parkcheck reads.
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

impl Syntax {
    /// The syntax a file name calls for: `.json` is JSON, `.xlsx`/`.xlsm`/`.xls`/`.ods` a
    /// workbook, anything else YAML.
    #[must_use]
    pub fn of_name(name: &str) -> Self {
        let extension = Path::new(name).extension().and_then(|e| e.to_str());
        match extension {
            Some(e) if e.eq_ignore_ascii_case("json") => Self::Json,
            Some(e)
                if WORKBOOK_EXTENSIONS
                    .iter()
                    .any(|w| e.eq_ignore_ascii_case(w)) =>
            {
                Self::Workbook
            }
            _ => Self::Yaml,
        }
    }
}

/// An input that could not be loaded: what could be read of it (for the snippet of the
/// diagnostic; empty when nothing could) and why.
#[derive(Debug, Clone)]
pub struct Unloadable {
    pub source: SourceFile,
    pub error: LoadError,
}

impl Unloadable {
    /// An input of which nothing could be read.
    #[must_use]
    pub fn unread(name: &str, error: LoadError) -> Self {
        Self {
            source: SourceFile::new(name, ""),
            error,
        }
    }
}

/// Reads and parses the file at `path`, in the syntax its name calls for.
///
/// # Errors
/// Why the file cannot be used: unreadable, too large, not UTF-8, or not parseable.
pub fn load_path(path: &Path, limits: &Limits) -> Result<Document, Unloadable> {
    let name = path.display().to_string();
    let bytes = read_path(path, limits).map_err(|e| Unloadable::unread(&name, e))?;
    load_bytes(&name, bytes, Syntax::of_name(&name), limits)
}

/// Decodes and parses an input's bytes in `syntax`.
///
/// # Errors
/// As [`load_path`]; the size limit is checked here too, for bytes that did not come through
/// [`read_path`] or [`read_limited`].
pub fn load_bytes(
    name: &str,
    bytes: Vec<u8>,
    syntax: Syntax,
    limits: &Limits,
) -> Result<Document, Unloadable> {
    let size = bytes.len() as u64;
    if size > limits.max_file_size {
        let error = LoadError::new(LoadErrorKind::TooLarge {
            size,
            limit: limits.max_file_size,
        });
        return Err(Unloadable::unread(name, error));
    }
    // A workbook is read as one whatever its name says (the bytes decide: a workbook renamed
    // `.yaml`, or an upload named wrongly, is still the operator's submission); a PDF, image
    // or archive is named as such, with no snippet of its bytes.
    let sniffed = super::sniff::sniff(&bytes);
    let format = match sniffed {
        Some(FileType::Xlsx) => Some(Format::Xlsx),
        Some(FileType::Ods) => Some(Format::Ods),
        // An OLE file is an .xls, or a Word 97 document, or an encrypted .xlsx: calamine tells.
        Some(FileType::Ole) => Some(Format::Xls),
        _ => None,
    };
    // An OLE file that is a Word 97–2003 document is named as one.
    if format == Some(Format::Xls) && workbook::holds_stream(&bytes, "WordDocument") {
        return Err(Unloadable::unread(
            name,
            LoadError::new(LoadErrorKind::NotText {
                kind: FileType::WordDocument,
            }),
        ));
    }
    if let Some(format) = format {
        return workbook::read(name, bytes, format, limits)
            .map_err(|error| Unloadable::unread(name, error));
    }
    if let Some(kind) = sniffed {
        return Err(Unloadable::unread(
            name,
            LoadError::new(LoadErrorKind::NotText { kind }),
        ));
    }
    if syntax == Syntax::Workbook {
        return Err(Unloadable::unread(
            name,
            WorkbookProblem::TextNamedAsWorkbook.into(),
        ));
    }
    let text = match decode(bytes) {
        Ok(text) => text,
        Err((error, lossy)) => {
            return Err(Unloadable {
                source: SourceFile::new(name, lossy),
                error,
            });
        }
    };
    let source = SourceFile::new(name, text);
    let parsed = match syntax {
        Syntax::Yaml => Document::parse(source.clone(), limits),
        Syntax::Json => Document::parse_json(source.clone(), limits),
        Syntax::Workbook => {
            return Err(Unloadable::unread(
                name,
                WorkbookProblem::TextNamedAsWorkbook.into(),
            ));
        }
    };
    match parsed {
        Ok(doc) => Ok(doc),
        Err(error) => Err(Unloadable { source, error }),
    }
}

/// Reads a regular file, refusing one larger than the limit before reading it.
///
/// # Errors
/// Not found, not a regular file, unreadable, or too large.
pub fn read_path(path: &Path, limits: &Limits) -> Result<Vec<u8>, LoadError> {
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(LoadError::new(LoadErrorKind::NotAFile));
    }
    let limit = limits.max_file_size;
    if meta.len() > limit {
        return Err(LoadError::new(LoadErrorKind::TooLarge {
            size: meta.len(),
            limit,
        }));
    }
    // `take` also guards a file that grows between the check and the read.
    read_limited(File::open(path).map_err(io)?, limits)
}

/// Reads a stream (standard input, an upload) up to the size limit.
///
/// # Errors
/// A read error, or more bytes than the limit (at most one byte past it is read).
pub fn read_limited(reader: impl Read, limits: &Limits) -> Result<Vec<u8>, LoadError> {
    let limit = limits.max_file_size;
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let size = bytes.len() as u64;
    if size > limit {
        return Err(LoadError::new(LoadErrorKind::TooLarge { size, limit }));
    }
    Ok(bytes)
}

fn io(e: std::io::Error) -> LoadError {
    LoadError::new(LoadErrorKind::Io {
        message: e.to_string(),
    })
}
