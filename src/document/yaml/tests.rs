use super::*;
use crate::source::SourceFile;

fn load(text: &str) -> Node {
    parse(text, &Limits::default()).unwrap().0
}

fn load_err(text: &str) -> LoadError {
    parse(text, &Limits::default()).unwrap_err()
}

fn at(text: &str, pointer: &str) -> (usize, usize, String) {
    let root = load(text);
    let node = root.pointer(&Pointer::parse(pointer).unwrap()).unwrap();
    let file = SourceFile::new("t", text);
    let lc = file.line_col(node.span.start);
    (lc.line, lc.column, file.slice(node.span).to_owned())
}

#[test]
fn block_style_pointer_to_line_col() {
    let text = "park:\n  name: 濮院毛衫创新园\ntenants:\n  - name: 甲\n    uscc: 91330483MA2B3C4D5E\n  - name: 乙\n    uscc: \"X\"\n";
    assert_eq!(at(text, "/park/name"), (2, 9, "濮院毛衫创新园".into()));
    assert_eq!(
        at(text, "/tenants/0/uscc"),
        (5, 11, "91330483MA2B3C4D5E".into())
    );
    assert_eq!(at(text, "/tenants/1/uscc"), (7, 11, "\"X\"".into()));
}

#[test]
fn flow_style_pointer_to_line_col() {
    let text = "tenants: [{name: 甲, uscc: A1}, {name: 乙乙, uscc: B2}]\n";
    assert_eq!(at(text, "/tenants/1/uscc"), (1, 49, "B2".into()));
    let (line, col, slice) = at(text, "/tenants/1");
    assert_eq!((line, col), (1, 32));
    assert_eq!(slice, "{name: 乙乙, uscc: B2}");
}

#[test]
fn json_pointer_to_line_col() {
    let text =
        "{\n  \"park\": {\"name\": \"桐乡\", \"status\": \"运营中\"},\n  \"tenants\": [1, 2.5]\n}";
    assert_eq!(at(text, "/park/status"), (2, 36, "\"运营中\"".into()));
    assert_eq!(at(text, "/tenants/1"), (3, 18, "2.5".into()));
}

#[test]
fn key_spans_are_kept() {
    let root = load("operator:\n  staf: 5\n");
    let Value::Map(entries) = &root.get("operator").unwrap().value else {
        panic!("not a map")
    };
    let entry = entries.first().unwrap();
    assert_eq!(entry.key, "staf");
    assert_eq!(entry.key_span, Span::new(12, 16));
}

#[test]
fn yaml_1_2_core_schema() {
    let root = load(
        "a: no\nb: on\nc: 0777\nd: yes\ne: ~\nf: 1.5\ng: '12'\nh: 2025-01-01\ni: 1_000\nj: TRUE\nk: -3\nl: 1e3\n",
    );
    let get = |k: &str| root.get(k).unwrap().value.clone();
    assert_eq!(get("a"), Value::Str("no".into()));
    assert_eq!(get("b"), Value::Str("on".into()));
    assert_eq!(get("c"), Value::Int(777));
    assert_eq!(get("d"), Value::Str("yes".into()));
    assert_eq!(get("e"), Value::Null);
    assert_eq!(get("f"), Value::Float(1.5));
    assert_eq!(get("g"), Value::Str("12".into()));
    assert_eq!(get("h"), Value::Str("2025-01-01".into()));
    assert_eq!(get("i"), Value::Str("1_000".into()));
    assert_eq!(get("j"), Value::Bool(true));
    assert_eq!(get("k"), Value::Int(-3));
    assert_eq!(get("l"), Value::Float(1000.0));
}

#[test]
fn odd_numbers_are_reported() {
    let (_, issues) = parse(
        "a: 0x1F\nb: 1e400\nc: .nan\nd: 0o17\ne: 12\nf: [.inf]\n",
        &Limits::default(),
    )
    .unwrap();
    let got: Vec<_> = issues
        .iter()
        .map(|i| (i.pointer.as_str().to_owned(), i.kind))
        .collect();
    assert_eq!(
        got,
        vec![
            ("/a".to_owned(), NumberIssueKind::NonDecimal),
            ("/b".to_owned(), NumberIssueKind::OutOfRange),
            ("/c".to_owned(), NumberIssueKind::NotFinite),
            ("/d".to_owned(), NumberIssueKind::NonDecimal),
            ("/f/0".to_owned(), NumberIssueKind::NotFinite),
        ]
    );
}

#[test]
fn duplicate_keys_are_errors() {
    let err = load_err("park:\n  name: a\n  name: b\n");
    assert!(
        matches!(err.kind(), LoadErrorKind::DuplicateKey { key, first_line: 2, first_column: 3 } if key == "name")
    );
    assert_eq!(err.span(), Some(Span::new(18, 22)));
    // Large mappings use the hash index.
    let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    text.push_str("k7: again\n");
    assert!(matches!(
        load_err(&text).kind(),
        LoadErrorKind::DuplicateKey { .. }
    ));
}

#[test]
fn several_documents_are_an_error() {
    assert_eq!(
        load_err("a: 1\n---\nb: 2\n").kind(),
        &LoadErrorKind::MultipleDocuments
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(load_err("").kind(), &LoadErrorKind::Empty);
    assert_eq!(
        load_err("# nothing\n# here\n").kind(),
        &LoadErrorKind::Empty
    );
}

#[test]
fn alias_bomb_fails_fast() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = i - 1;
        text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
    }
    let started = std::time::Instant::now();
    let err = load_err(&text);
    assert!(matches!(err.kind(), LoadErrorKind::AliasExpansion { .. }));
    // Not a timing assertion on speed, only a guard against expanding a billion nodes.
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn small_aliases_expand() {
    let root = load("head: &h {name: 张三, mobile: '13800000000'}\ncontact: *h\n");
    assert_eq!(
        root.get("contact").unwrap().get("name").unwrap().value,
        Value::Str("张三".into())
    );
}

#[test]
fn deep_nesting_is_refused() {
    let flow = format!("a: {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
    assert!(matches!(
        load_err(&flow).kind(),
        LoadErrorKind::TooDeep { limit: 64 }
    ));
    // Block style: `- - - … x` nests one sequence per dash; indented keys would be quadratic.
    let block = format!("{}x\n", "- ".repeat(50_000));
    assert!(matches!(
        load_err(&block).kind(),
        LoadErrorKind::TooDeep { .. }
    ));
}

#[test]
fn tags() {
    let err = load_err("a: !!python/object:os.system x\n");
    assert!(
        matches!(err.kind(), LoadErrorKind::UnsupportedTag { tag } if tag == "!!python/object:os.system"),
        "{err:?}"
    );
    assert!(matches!(
        load_err("a: !custom x\n").kind(),
        LoadErrorKind::UnsupportedTag { .. }
    ));
    assert!(matches!(
        load_err("a: !!int abc\n").kind(),
        LoadErrorKind::TagMismatch { .. }
    ));
    assert_eq!(
        load("a: !!str 123\n").get("a").unwrap().value,
        Value::Str("123".into())
    );
}

#[test]
fn syntax_errors_have_a_position() {
    let err = load_err("park:\n  name: [a, b\nland: 1\n");
    assert!(matches!(err.kind(), LoadErrorKind::Syntax { .. }));
    assert!(err.span().is_some());
}

#[test]
fn complex_keys_are_refused() {
    assert_eq!(
        load_err("? [a, b]\n: 1\n").kind(),
        &LoadErrorKind::ComplexKey
    );
}

#[test]
fn crlf_is_accepted() {
    let text = "park:\r\n  name: 园区\r\n  status: 已投运\r\n";
    assert_eq!(at(text, "/park/status"), (3, 11, "已投运".into()));
}

#[test]
fn json_style_surrogate_pairs_in_double_quotes() {
    let text = "a: \"\\ud842\\udfb7野家（桐乡）\"\nb: '\\ud842\\udfb7'\nc: x\\uD83D\\uDE00\n\"\\uD83D\\uDE00\": \"\\\\ud842\\ud842\\udfb7\"\nd: \"\\uD83D\\uDE00\\uD83D\\uDE00\" # \\ud842\\udfb7\ne: [1, 2]\n";
    let root = load(text);
    let get = |k: &str| root.get(k).unwrap().value.clone();
    assert_eq!(get("a"), Value::Str("𠮷野家（桐乡）".into()));
    // Outside double quotes a backslash is a backslash.
    assert_eq!(get("b"), Value::Str("\\ud842\\udfb7".into()));
    assert_eq!(get("c"), Value::Str("x\\uD83D\\uDE00".into()));
    assert_eq!(get("d"), Value::Str("😀😀".into()));
    // The key is the emoji, its value written with an escaped backslash.
    let emoji = root.get("😀").unwrap();
    assert_eq!(emoji.value, Value::Str("\\ud842𠮷".into()));
    // An escaped backslash, then `ud842`, then a lone low half: an error, at its escape.
    let err = load_err("k: \"\\\\ud842\\udfb7\"\n");
    assert!(
        matches!(err.kind(), LoadErrorKind::LoneSurrogate { .. }),
        "{err:?}"
    );
    assert_eq!(err.span(), Some(Span::new(11, 17)));
    // Spans after a rewritten pair are offsets into the text as written.
    assert_eq!(at(text, "/e/1"), (6, 8, "2".into()));
    assert_eq!(
        at(text, "/a"),
        (1, 4, "\"\\ud842\\udfb7野家（桐乡）\"".into())
    );
}

#[test]
fn a_lone_surrogate_is_reported_at_its_escape() {
    let err = load_err("name: \"甲\\uD842乙\"\n");
    assert!(matches!(err.kind(), LoadErrorKind::LoneSurrogate { escape } if escape == "\\uD842"));
    assert_eq!(err.span(), Some(Span::new(10, 16)));
}
