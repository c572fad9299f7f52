//! What a file that is not text is, by its first bytes (its "magic number"), so that an `.xlsx`
//! renamed `.yaml` is told it is a workbook rather than "not UTF-8, run iconv".
//!
//! The signatures are the formats' own: the zip local-file header `PK\3\4` (and inside it the
//! parts that name an Office Open XML or OpenDocument file), the OLE compound file `D0 CF 11 E0 A1
//! B1 1A E1` (Excel 97–2003 and Word 97–2003), `%PDF-`, and the images and archives a filing
//! folder holds. Only the head of the file is read.

use memchr::memmem;

/// A kind of file that is not a text submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// Office Open XML workbook (Excel 2007 and later, WPS): `.xlsx`, `.xlsm`.
    Xlsx,
    /// OpenDocument spreadsheet (LibreOffice, WPS): `.ods`.
    Ods,
    /// OLE compound file: Excel 97–2003 `.xls` or Word 97–2003 `.doc` (or another legacy Office file).
    Ole,
    /// Word document: `.docx`, `.odt`.
    WordDocument,
    /// PowerPoint or OpenDocument presentation.
    Presentation,
    /// A zip archive that is no Office file.
    Zip,
    Pdf,
    Image(&'static str),
    /// A compressed archive other than zip.
    Archive(&'static str),
    /// Binary data of no known kind (NUL bytes where text has none).
    Binary,
}

impl FileType {
    /// What the file is, as a person names it.
    #[must_use]
    pub const fn name(self) -> (&'static str, &'static str) {
        match self {
            Self::Xlsx => ("Excel 工作簿（.xlsx）", "an Excel workbook (.xlsx)"),
            Self::Ods => (
                "OpenDocument 电子表格（.ods）",
                "an OpenDocument spreadsheet (.ods)",
            ),
            Self::Ole => (
                "Excel 97–2003 工作簿或 Word 97–2003 文档（.xls/.doc）",
                "an Excel 97–2003 workbook or Word 97–2003 document (.xls/.doc)",
            ),
            Self::WordDocument => ("Word 文档（.docx）", "a Word document (.docx)"),
            Self::Presentation => ("演示文稿（.pptx/.odp）", "a presentation (.pptx/.odp)"),
            Self::Zip => ("zip 压缩包", "a zip archive"),
            Self::Pdf => ("PDF 文件", "a PDF file"),
            Self::Image(_) => ("图片", "an image"),
            Self::Archive(_) => ("压缩包", "a compressed archive"),
            Self::Binary => ("二进制文件", "a binary file"),
        }
    }

    /// The format's short name (`PNG`, `7z`), for the message; empty when the name says it.
    #[must_use]
    pub const fn detail(self) -> &'static str {
        match self {
            Self::Image(format) | Self::Archive(format) => format,
            _ => "",
        }
    }

    /// A workbook: the submission may be in it.
    #[must_use]
    pub const fn is_spreadsheet(self) -> bool {
        matches!(self, Self::Xlsx | Self::Ods | Self::Ole)
    }
}

/// How much of the head is looked at: the first zip entries' names are within it.
const HEAD: usize = 64 * 1024;

/// The kind of a file that is not text, or `None` for what may be text (UTF-16 included: its
/// NULs are the decoder's to explain).
#[must_use]
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    let head = bytes.get(..bytes.len().min(HEAD)).unwrap_or(bytes);
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        return Some(zip_kind(head));
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(FileType::Ole);
    }
    if starts(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    let images: [(&[u8], &'static str); 6] = [
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"\xFF\xD8\xFF", "JPEG"),
        (b"GIF87a", "GIF"),
        (b"GIF89a", "GIF"),
        (b"II*\x00", "TIFF"),
        (b"MM\x00*", "TIFF"),
    ];
    if let Some((_, format)) = images.iter().find(|(magic, _)| starts(magic)) {
        return Some(FileType::Image(format));
    }
    if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Some(FileType::Image("WebP"));
    }
    if starts(b"BM") && head.len() > 26 && head.get(6..10) == Some(&[0, 0, 0, 0]) {
        return Some(FileType::Image("BMP"));
    }
    let archives: [(&[u8], &'static str); 6] = [
        (b"7z\xBC\xAF\x27\x1C", "7z"),
        (b"Rar!\x1A\x07", "RAR"),
        (b"\x1F\x8B", "gzip"),
        (b"BZh", "bzip2"),
        (b"\xFD7zXZ\x00", "xz"),
        (b"\x28\xB5\x2F\xFD", "zstd"),
    ];
    if let Some((_, format)) = archives.iter().find(|(magic, _)| starts(magic)) {
        // `BZh` is also how a word may begin: bzip2 has a block size digit after it.
        if *format != "bzip2" || head.get(3).is_some_and(|d| (b'1'..=b'9').contains(d)) {
            return Some(FileType::Archive(format));
        }
    }
    if head.get(257..262) == Some(b"ustar") {
        return Some(FileType::Archive("tar"));
    }
    // NUL bytes and bytes that are not UTF-8: binary. UTF-16 has NULs in every other byte (the
    // decoder names it); a text file with a stray NUL is the parser's to point at.
    let invalid_utf8 = std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some());
    if invalid_utf8 && memchr::memchr(0, head).is_some() && !utf16_like(head) {
        return Some(FileType::Binary);
    }
    None
}

/// A zip file by the names of its first entries: an OpenDocument file stores its media type
/// first, uncompressed; an Office Open XML file has `xl/`, `word/` or `ppt/` parts.
fn zip_kind(head: &[u8]) -> FileType {
    let has = |needle: &[u8]| memmem::find(head, needle).is_some();
    if has(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet") {
        FileType::Ods
    } else if has(b"mimetypeapplication/vnd.oasis.opendocument.text") {
        FileType::WordDocument
    } else if has(b"mimetypeapplication/vnd.oasis.opendocument.presentation") {
        FileType::Presentation
    } else if has(b"xl/") {
        FileType::Xlsx
    } else if has(b"word/") {
        FileType::WordDocument
    } else if has(b"ppt/") {
        FileType::Presentation
    } else if has(b"[Content_Types].xml") {
        // An Office file whose parts come later than the head: most likely a workbook.
        FileType::Xlsx
    } else {
        FileType::Zip
    }
}

/// UTF-16: a byte-order mark, or NULs in at least half the pairs at one parity and none at the
/// other (text in the Latin range; CJK text in UTF-16 without a mark has no NULs at all).
fn utf16_like(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let pairs = head.len() / 2;
    let (even, odd) = head.chunks_exact(2).fold((0usize, 0usize), |(e, o), pair| {
        (
            e + usize::from(pair.first() == Some(&0)),
            o + usize::from(pair.get(1) == Some(&0)),
        )
    });
    (even == 0 && odd * 2 >= pairs) || (odd == 0 && even * 2 >= pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_files_are_told_apart() {
        let mut xlsx = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
        xlsx.extend_from_slice(b"....[Content_Types].xml....PK\x03\x04..xl/workbook.xml");
        assert_eq!(sniff(&xlsx), Some(FileType::Xlsx));
        let docx = b"PK\x03\x04........word/document.xml".to_vec();
        assert_eq!(sniff(&docx), Some(FileType::WordDocument));
        let ods = b"PK\x03\x04\x14\x00\x00\x00\x00\x00....mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK".to_vec();
        assert_eq!(sniff(&ods), Some(FileType::Ods));
        assert_eq!(sniff(b"PK\x03\x04....photo.jpg"), Some(FileType::Zip));
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]),
            Some(FileType::Ole)
        );
    }

    #[test]
    fn pdf_images_and_archives() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3"), Some(FileType::Pdf));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileType::Image("PNG"))
        );
        assert_eq!(
            sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
            Some(FileType::Image("JPEG"))
        );
        assert_eq!(
            sniff(b"7z\xBC\xAF\x27\x1C\0\x04"),
            Some(FileType::Archive("7z"))
        );
        assert_eq!(sniff(b"\x1F\x8B\x08\0"), Some(FileType::Archive("gzip")));
        assert_eq!(sniff(b"BZh91AY&SY"), Some(FileType::Archive("bzip2")));
        assert_eq!(sniff(b"\0\x01\x02\xFEbinary"), Some(FileType::Binary));
        // Text with a stray NUL is the parser's to point at.
        assert_eq!(sniff(b"[\"a\x00a\"]"), None);
    }

    #[test]
    fn text_is_not_sniffed() {
        assert_eq!(sniff("park:\n  name: 清禾园\n".as_bytes()), None);
        assert_eq!(sniff(b"BZh is how this line starts: 1"), None);
        assert_eq!(sniff(b"BM: 1\n"), None);
        assert_eq!(sniff(b"\xFF\xFEa\x00:\x00 \x001\x00"), None);
        assert_eq!(sniff(b"a\x00:\x00 \x001\x00"), None);
        assert_eq!(sniff(b""), None);
        // GBK text is the decoder's to name.
        let (gbk, _, _) = encoding_rs::GBK.encode("园区名称: 濮院毛衫创新园\n");
        assert_eq!(sniff(&gbk), None);
    }
}
