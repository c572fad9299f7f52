use super::*;
use crate::document::LoadErrorKind as K;
use crate::source::SourceFile;

fn load(text: &str) -> Node {
    parse(text, &Limits::default()).unwrap().0
}

fn load_err(text: &str) -> LoadError {
    parse(text, &Limits::default()).unwrap_err()
}

fn json_err(text: &str) -> (JsonError, Span) {
    let err = load_err(text);
    match err.kind() {
        K::JsonSyntax(e) => (e.clone(), err.span().unwrap()),
        other => panic!("{text:?}: {other:?}"),
    }
}

#[test]
fn same_tree_as_the_yaml_loader() {
    let text = "{\n  \"park\": {\"name\": \"桐乡\", \"status\": \"运营中\", \"staff\": 12, \"ratio\": 1.5},\n  \"tenants\": [1, 2.5, -0, true, null, \"\", [], {}],\n  \"big\": 123456789012345678901, \"tiny\": 1e-400, \"huge\": 1e400,\n  \"nested\": [[0, [1e999]], {\"x\": [1, -1e999]}]\n}";
    let (json, json_issues) = parse(text, &Limits::default()).unwrap();
    let (yaml, yaml_issues) = crate::document::yaml::parse(text, &Limits::default()).unwrap();
    assert_eq!(json, yaml);
    assert_eq!(json_issues, yaml_issues);
    let kinds: Vec<_> = json_issues
        .iter()
        .map(|i| (i.pointer.as_str().to_owned(), i.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("/big".to_owned(), NumberIssueKind::OutOfRange),
            ("/tiny".to_owned(), NumberIssueKind::OutOfRange),
            ("/huge".to_owned(), NumberIssueKind::OutOfRange),
            ("/nested/0/1/0".to_owned(), NumberIssueKind::OutOfRange),
            ("/nested/1/x/1".to_owned(), NumberIssueKind::OutOfRange),
        ]
    );
}

#[test]
fn strings_of_every_length_around_the_eight_byte_scan() {
    for len in 0..40 {
        for stop in ["\\n", "\\\"", "\u{1F600}", "é"] {
            let body = format!("{}{stop}{}", "a".repeat(len), "濮".repeat(len % 5));
            let text = format!("[\"{body}\", 1]");
            let root = load(&text);
            let expected = body.replace("\\n", "\n").replace("\\\"", "\"");
            assert_eq!(
                root.pointer(&Pointer::parse("/0").unwrap()).unwrap().value,
                Value::Str(expected)
            );
        }
        let control = format!("[\"{}\u{1}\"]", "a".repeat(len));
        assert!(matches!(
            load_err(&control).kind(),
            K::JsonSyntax(JsonError::ControlCharacter('\u{1}'))
        ));
        let unclosed = format!("[\"{}", "a".repeat(len));
        assert!(matches!(
            load_err(&unclosed).kind(),
            K::JsonSyntax(JsonError::Unclosed(Open::String))
        ));
    }
}

#[test]
fn spans_cover_tokens() {
    let text = r#"{"a": [1, "x\n", {"b": null}], "c": true}"#;
    let root = load(text);
    let file = SourceFile::new("t.json", text);
    let slice = |p: &str| {
        let node = root.pointer(&Pointer::parse(p).unwrap()).unwrap();
        file.slice(node.span).to_owned()
    };
    assert_eq!(slice(""), text);
    assert_eq!(slice("/a"), r#"[1, "x\n", {"b": null}]"#);
    assert_eq!(slice("/a/1"), r#""x\n""#);
    assert_eq!(slice("/a/2/b"), "null");
    let Value::Map(entries) = &root.value else {
        panic!()
    };
    assert_eq!(file.slice(entries[1].key_span), "\"c\"");
}

#[test]
fn escapes_and_surrogate_pairs() {
    let root =
        load(r#"["\ud842\udfb7野家（桐乡）", "\uD83D\uDE00", "\u00e9\"\\\/\b\f\n\r\t", "\u0000"]"#);
    let Value::Seq(items) = root.value else {
        panic!()
    };
    let strings: Vec<_> = items
        .into_iter()
        .map(|n| match n.value {
            Value::Str(s) => s,
            _ => panic!(),
        })
        .collect();
    assert_eq!(
        strings,
        ["𠮷野家（桐乡）", "😀", "é\"\\/\u{8}\u{c}\n\r\t", "\0"]
    );
}

#[test]
fn lone_surrogates_are_reported_at_their_escape() {
    for (text, at) in [
        (r#"["ab\uD800"]"#, 4),
        (r#"["\uDFAA"]"#, 2),
        (r#"["\uD888\u1234"]"#, 2),
        (r#"{"\udd1e\ud834": 1}"#, 2),
    ] {
        let err = load_err(text);
        assert!(
            matches!(err.kind(), K::LoneSurrogate { .. }),
            "{text}: {err:?}"
        );
        assert_eq!(err.span().unwrap(), Span::new(at, at + 6), "{text}");
    }
}

#[test]
fn duplicate_keys_name_both_places() {
    let err = load_err("{\"a\": 1,\n \"b\": {\"x\": 1, \"x\": 2}}");
    assert_eq!(
        err.kind(),
        &K::DuplicateKey {
            key: "x".into(),
            first_line: 2,
            first_column: 8
        }
    );
    assert_eq!(err.span(), Some(Span::new(24, 27)));
    let many: String = (0..40).map(|i| format!("\"k{i}\": {i}, ")).collect();
    let err = load_err(&format!("{{{many}\"k7\": 0}}"));
    assert!(matches!(err.kind(), K::DuplicateKey { first_line: 1, .. }));
}

#[test]
fn depth_is_limited_without_recursion() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let err = load_err(&deep);
    assert_eq!(err.kind(), &K::TooDeep { limit: 64 });
    assert_eq!(err.span(), Some(Span::new(64, 65)));
    let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
    load(&ok);
    let objects = format!("{}1{}", "{\"a\":".repeat(65), "}".repeat(65));
    assert_eq!(load_err(&objects).kind(), &K::TooDeep { limit: 64 });
}

#[test]
fn empty_text() {
    assert_eq!(load_err("").kind(), &K::Empty);
    assert_eq!(load_err(" \n\t ").kind(), &K::Empty);
}

#[test]
fn the_usual_mistakes_are_named() {
    use JsonError as E;
    for (text, expected, at) in [
        ("{\"a\": 1, // note\n}", E::Comment, 9),
        ("{\"a\": /* x */ 1}", E::Comment, 6),
        ("{\"a\": 1} # note", E::Comment, 9),
        ("[1, 2,]", E::TrailingComma, 5),
        ("{\"a\": 1,\n}", E::TrailingComma, 7),
        ("{'a': 1}", E::SingleQuote, 1),
        ("{\"a\": 'x'}", E::SingleQuote, 6),
        ("{name: 1}", E::UnquotedKey, 1),
        ("[NaN]", E::NotANumber("NaN".into()), 1),
        ("[-Infinity]", E::NotANumber("-Infinity".into()), 1),
        ("[True]", E::BadLiteral("True".into()), 1),
        ("[1]\u{feff}", E::ByteOrderMark, 3),
        (
            "{\"a\"：1}",
            E::FullWidth {
                found: '：',
                ascii: ':',
            },
            4,
        ),
        ("[1\u{3000}]", E::Whitespace('\u{3000}'), 2),
        ("[\"a\nb\"]", E::ControlCharacter('\n'), 3),
        ("[\"\\x\"]", E::InvalidEscape('x'), 2),
        ("[\"\\u12\"]", E::UnicodeEscape, 2),
        ("[012]", E::Number(NumberProblem::LeadingZero), 1),
        ("[0x1F]", E::Number(NumberProblem::Hex), 1),
        ("[+1]", E::Number(NumberProblem::PlusSign), 1),
        ("[.5]", E::Number(NumberProblem::NoIntegerPart), 1),
        ("[1.]", E::Number(NumberProblem::DigitAfterPoint), 3),
        ("[1e+]", E::Number(NumberProblem::DigitInExponent), 4),
        ("[1.2a]", E::Number(NumberProblem::Garbage('a')), 4),
        ("[1] 2", E::TrailingContent, 4),
        ("[\"abc", E::Unclosed(Open::String), 1),
        ("{\"a\": [1, 2", E::Unclosed(Open::Array), 6),
        ("{\"a\": 1", E::Unclosed(Open::Object), 0),
        (
            "{\"a\" 1}",
            E::Unexpected {
                found: '1',
                expected: Expected::Colon,
            },
            5,
        ),
        (
            "[1 2]",
            E::Unexpected {
                found: '2',
                expected: Expected::CommaOrBracket,
            },
            3,
        ),
    ] {
        let (error, span) = json_err(text);
        assert_eq!(error, expected, "{text:?}");
        assert_eq!(span.start, at, "{text:?}");
        let message = LoadError::new(K::JsonSyntax(error)).message();
        assert!(message.en.starts_with("JSON syntax error: "), "{message:?}");
        assert!(message.zh.starts_with("JSON 语法错误："), "{message:?}");
    }
}

#[test]
fn comments_point_to_yaml() {
    let help = load_err("{} // x").help().unwrap();
    assert!(
        help.en.contains("YAML") && help.en.contains('#'),
        "{help:?}"
    );
    assert!(
        help.zh.contains("YAML") && help.zh.contains('#'),
        "{help:?}"
    );
}
