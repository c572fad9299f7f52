//! A bureau checks files it did not write: no byte of an input reaches a person's terminal, CI
//! log or test tab as a control. A tenant named with ESC sequences, every C0 and C1 control,
//! bidi overrides and OSC 52, raw control bytes in a file, binary garbage and a file name with
//! an escape sequence: every format printed for a person shows them (`␛`, `\u{202e}`), none
//! sends them.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{parkcheck, root};

/// Whether `c` may appear in output meant for a terminal (line feeds and tabs only).
fn harmful(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_harmless(what: &str, out: &[u8]) {
    let text = String::from_utf8_lossy(out);
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| harmful(c)) {
        let from = text[..i].char_indices().rev().nth(40).map_or(0, |(j, _)| j);
        panic!("{what}: raw {c:?} at byte {i}, after {:?}", &text[from..i]);
    }
}

/// Every C0 and C1 control, DEL, the bidi controls and an OSC 52 sequence, as YAML escapes.
fn hostile_name() -> String {
    let mut name = String::from("\\e]0;PWNED\\a\\e[2J");
    for c in (0u32..0x20).chain(0x7f..0xa0) {
        name.push_str(&format!("\\x{c:02x}"));
    }
    name.push_str("\\u202e\\u2066\\u200f\\e]52;c;cHduZWQ=\\a清禾");
    name
}

/// A submission whose first tenant (with a SIZE-001 finding that quotes its name) is named
/// with every control character.
fn hostile_submission(dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(root().join("fixtures/rules/SIZE-001/fail.yaml")).unwrap();
    let text = text.replacen(
        "  - name: 海宁马桥恒丰经编有限公司",
        &format!("  - name: \"{}\"", hostile_name()),
        1,
    );
    let path = dir.join("hostile.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> Vec<u8> {
    parkcheck()
        .args(["check", "--color", "never"])
        .args(args)
        .output()
        .unwrap()
        .stdout
}

#[test]
fn a_hostile_tenant_name_is_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = hostile_submission(dir.path());
    let path = path.to_str().unwrap();
    for format in ["human", "github", "junit"] {
        let out = run(&["--format", format, path]);
        assert_harmless(format, &out);
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.contains("␛]0;PWNED␇␛[2J") && text.contains("\\u{202e}"),
            "{format}: the name is not shown:\n{text}"
        );
    }
    // The JSON report keeps the data; its messages quote the name made visible too.
    let json = run(&["--format", "json", path]);
    let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let message = report["findings"][0]["message"]["zh"].as_str().unwrap();
    assert!(message.contains("␛]0;PWNED␇"), "{message}");
}

#[test]
fn raw_control_bytes_in_a_file_are_not_drawn_raw() {
    let dir = tempfile::tempdir().unwrap();
    // A YAML file with a raw ESC sequence and a NUL in a value: a syntax error with a snippet.
    let raw = dir.path().join("raw.yaml");
    std::fs::write(
        &raw,
        b"format: parkcheck/v1\nkind: \x1b[2J\x1b]52;c;eA==\x07filing\x00\n",
    )
    .unwrap();
    // Binary garbage: not UTF-8, shown lossily.
    let binary = dir.path().join("binary.yaml");
    let garbage: Vec<u8> = (0u8..=255).cycle().take(2000).collect();
    std::fs::write(&binary, garbage).unwrap();
    for format in ["human", "github", "junit"] {
        let out = run(&[
            "--format",
            format,
            raw.to_str().unwrap(),
            binary.to_str().unwrap(),
        ]);
        assert_harmless(format, &out);
    }
}

#[test]
fn a_file_name_with_an_escape_sequence_is_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park\u{1b}[31m\u{202e}.yaml");
    std::fs::write(&path, "format: parkcheck/v1\n").unwrap();
    for format in ["human", "github", "junit"] {
        let out = run(&["--format", format, path.to_str().unwrap()]);
        assert_harmless(format, &out);
        assert!(
            String::from_utf8_lossy(&out).contains("park␛[31m"),
            "{format}"
        );
    }
}
