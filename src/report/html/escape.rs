//! Escaping for the two contexts the report writes submission values into — HTML text and
//! quoted attribute values — and for the JSON embedded in a `<script type="application/json">`,
//! which must not be able to close its element or break a JavaScript parser.

use std::borrow::Cow;

/// `text` safe inside HTML text and inside a double- or single-quoted attribute value.
#[must_use]
pub fn html(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A JSON document made safe to embed in `<script type="application/json">`, and compact: `<`,
/// `>` and `&` become `\u003c`, `\u003e`, `\u0026` (so no `</script>` or `<!--` can appear), U+2028
/// and U+2029 become `\u2028`, `\u2029` (line terminators to older JavaScript parsers), and the
/// whitespace between tokens is dropped. The characters escaped can only occur inside JSON
/// strings, where the escapes mean the same characters, so the document parses to the same
/// value.
#[must_use]
pub fn json_in_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            ' ' | '\n' | '\r' | '\t' if !in_string => {}
            c => {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        in_string = false;
                    }
                } else if c == '"' {
                    in_string = true;
                }
                out.push(c);
            }
        }
    }
    out
}

/// Standard base64 (RFC 4648, with padding), for the hashes of the Content-Security-Policy.
#[must_use]
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for (i, s) in sextets.iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(
                    ALPHABET.get(*s as usize).copied().unwrap_or(b'A'),
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_text() {
        assert_eq!(
            html(r#"<img src=x onerror="alert('1')">&"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
        assert!(matches!(html("平湖钟埭 park"), Cow::Borrowed(_)));
    }

    #[test]
    fn embedded_json_cannot_close_its_script_and_parses_the_same() {
        let value = serde_json::json!({
            "name": "</script><script>alert(1)</script><!-- \u{2028}\u{2029} & >",
            "quote": "a \\\" b\\\\",
            "list": [1, 2.5, true, null, "  spaced  "],
        });
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json_in_script(&text);
        assert!(!safe.contains('\n'), "not compact: {safe}");
        assert!(
            safe.contains("\\u003c!-- \\u2028\\u2029 \\u0026"),
            "spaces in a string were dropped: {safe}"
        );
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!safe.contains(bad), "{bad:?} in {safe}");
        }
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn base64_as_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
