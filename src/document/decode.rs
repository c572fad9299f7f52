//! Bytes to text: UTF-8 only, with a diagnostic that names the encoding a file seems to be in.

use crate::document::{LoadError, LoadErrorKind};
use crate::source::Span;

/// Decodes a file's bytes as UTF-8, dropping a UTF-8 byte-order mark.
///
/// # Errors
/// A file in UTF-16, or that is not valid UTF-8, gets a [`LoadError`] that says which encoding it
/// looks like (GBK/GB18030 is common in Chinese offices) and where the first bad byte is.
/// On failure the error comes with the text decoded lossily, so the report can still show
/// the line with the first bad byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, (LoadError, String)> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let which = if bytes.starts_with(&[0xFF, 0xFE]) {
            "UTF-16LE"
        } else {
            "UTF-16BE"
        };
        let lossy = utf16_text(&bytes, which);
        let error = LoadError::new(LoadErrorKind::Encoding {
            detected: Some(which.to_owned()),
            offset: 0,
        })
        .with_span(Span::empty(0));
        return Err((error, lossy));
    }
    if let Some(which) = utf16_without_bom(&bytes) {
        let lossy = utf16_text(&bytes, which);
        let error = LoadError::new(LoadErrorKind::Encoding {
            detected: Some(format!("{which} (without a byte-order mark)")),
            offset: 0,
        })
        .with_span(Span::empty(0));
        return Err((error, lossy));
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let detected = looks_like_gb18030(&bytes).then(|| "GBK/GB18030".to_owned());
            // Everything before `offset` is valid UTF-8, so the lossy text has the same bytes there.
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let error = LoadError::new(LoadErrorKind::Encoding { detected, offset })
                .with_span(Span::empty(offset));
            Err((error, lossy))
        }
    }
}

/// The text of a UTF-16 file, for the snippet of its diagnostic: what the person sees in their
/// editor, not its bytes read as UTF-8. The offsets of the diagnostic (byte 0) hold in both.
fn utf16_text(bytes: &[u8], which: &str) -> String {
    let encoding = if which == "UTF-16BE" {
        encoding_rs::UTF_16BE
    } else {
        encoding_rs::UTF_16LE
    };
    let body = bytes
        .strip_prefix(&[0xFF, 0xFE])
        .or_else(|| bytes.strip_prefix(&[0xFE, 0xFF]))
        .unwrap_or(bytes);
    encoding.decode_without_bom_handling(body).0.into_owned()
}

/// UTF-16 without a byte-order mark, by its look: text that starts with ASCII characters has a
/// NUL in every other byte, from the first character on, which a UTF-8 file never has. Valid UTF-8 all
/// the same when the text is all ASCII, so this is checked first.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let head = bytes.get(..bytes.len().min(64) & !1)?;
    let pairs = head.len() / 2;
    if pairs == 0 {
        return None;
    }
    let (even, odd) = head
        .chunks_exact(2)
        .fold((0, 0), |(even, odd), pair| match pair {
            [a, b] => (even + usize::from(*a == 0), odd + usize::from(*b == 0)),
            _ => (even, odd),
        });
    let first = head.get(..2)?;
    if even == 0 && odd * 2 >= pairs && first.get(1) == Some(&0) {
        Some("UTF-16LE")
    } else if odd == 0 && even * 2 >= pairs && first.first() == Some(&0) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// True when the bytes decode as GB18030 without error and hold Chinese characters.
fn looks_like_gb18030(bytes: &[u8]) -> bool {
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    !had_errors && text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_dropped() {
        let text = decode(b"\xEF\xBB\xBFa: 1\r\n".to_vec()).unwrap();
        assert_eq!(text, "a: 1\r\n");
    }

    #[test]
    fn gbk_is_named() {
        let (bytes, _, _) = encoding_rs::GBK.encode("园区名称: 濮院毛衫创新园\n");
        let (err, _) = decode(bytes.into_owned()).unwrap_err();
        match err.kind() {
            LoadErrorKind::Encoding { detected, offset } => {
                assert_eq!(detected.as_deref(), Some("GBK/GB18030"));
                // 园 in GBK is D4 B0, which happens to be a valid UTF-8 pair.
                assert_eq!(*offset, 2);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn utf16_is_named() {
        let (err, _) = decode(b"\xFF\xFEa\x00:\x00".to_vec()).unwrap_err();
        assert!(
            matches!(err.kind(), LoadErrorKind::Encoding { detected: Some(d), .. } if d == "UTF-16LE")
        );
    }

    #[test]
    fn utf16_without_bom_is_named() {
        for (bytes, which) in [
            (&b"{\x00\"\x00a\x00\"\x00"[..], "UTF-16LE"),
            (&b"\x00{\x00\"\x00\xe9\x00\"\x00}"[..], "UTF-16BE"),
        ] {
            let (err, _) = decode(bytes.to_vec()).unwrap_err();
            assert!(
                matches!(err.kind(), LoadErrorKind::Encoding { detected: Some(d), .. } if d.starts_with(which)),
                "{err:?}"
            );
        }
        // One NUL in a UTF-8 file is a NUL (reported by the parser), not UTF-16.
        assert!(decode(b"a: \x00\n".to_vec()).is_ok());
    }

    #[test]
    fn invalid_byte_in_the_middle_is_located() {
        let (err, lossy) = decode(b"name: ab\xFF\xFEcd\n".to_vec()).unwrap_err();
        match err.kind() {
            LoadErrorKind::Encoding { detected, offset } => {
                assert_eq!(*offset, 8);
                assert_eq!(detected, &None);
                assert!(lossy.starts_with("name: ab"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
