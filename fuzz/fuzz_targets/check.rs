//! Bytes → document → schema and rules → findings: nothing panics, every node's pointer
//! resolves back to that node, and every span lies inside the text on character boundaries.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use parkcheck::document::{Limits, Node, Pointer, Syntax, Value, load_bytes};
use parkcheck::engine::Engine;
use parkcheck::finding::FileReport;
use parkcheck::profile::Profile;
use parkcheck::rulebook::{BUNDLED, load_rulebooks};
use parkcheck::run::{Run, Timings};
use parkcheck::schema::Schema;
use parkcheck::source::SourceFile;

fn checker() -> &'static Run {
    static CHECKER: OnceLock<Run> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let limits = Limits::default();
        let files = BUNDLED
            .iter()
            .map(|(name, text)| ((*name).to_owned(), text.as_bytes().to_vec()))
            .collect();
        let rules = load_rulebooks(files, &limits).expect("bundled rulebooks load");
        let profile = Profile::bundled_default().expect("bundled profile loads");
        let engine = Engine::new(rules, profile).expect("engine");
        Run::new(Schema::bundled().expect("schema"), Some(engine), limits)
    })
}

fn assert_span_inside(source: &SourceFile, start: usize, end: usize) {
    let text = source.text();
    assert!(
        start <= end && end <= text.len(),
        "span {start}..{end} outside {}",
        text.len()
    );
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    let _ = source.line_col(start);
    let _ = source.line_col(end);
}

fn assert_report(report: &FileReport) {
    for finding in &report.findings {
        if let Some(span) = finding.span {
            assert_span_inside(&report.source, span.start, span.end);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // Text that opens like JSON also goes through the strict JSON check (as a `.json` file would).
    let json = data
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['));
    let limits = Limits::default();
    let syntax = if json { Syntax::Json } else { Syntax::Yaml };
    let doc = match load_bytes("fuzz", data.to_vec(), syntax, &limits) {
        Ok(doc) => doc,
        Err(unloadable) => {
            let report = FileReport::from(unloadable);
            assert!(report.unreadable);
            assert_eq!(report.findings.len(), 1);
            assert_report(&report);
            return;
        }
    };
    // Every node, reached by its pointer, is the node itself, inside the text.
    let mut todo: Vec<(Pointer, &Node)> = vec![(Pointer::root(), &doc.root)];
    while let Some((pointer, node)) = todo.pop() {
        let found = doc.get(&pointer).expect("a node's pointer resolves");
        assert!(
            std::ptr::eq(found, node),
            "{pointer} resolves to another node"
        );
        assert_span_inside(&doc.source, node.span.start, node.span.end);
        if let Some(label) = doc.label_span(&pointer) {
            assert_span_inside(&doc.source, label.start, label.end);
        }
        match &node.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    todo.push((pointer.join(&i.to_string()), item));
                }
            }
            Value::Map(entries) => {
                for entry in entries {
                    assert_span_inside(&doc.source, entry.key_span.start, entry.key_span.end);
                    todo.push((pointer.join(&entry.key), &entry.value));
                }
            }
            _ => {}
        }
    }
    for issue in &doc.number_issues {
        assert_span_inside(&doc.source, issue.span.start, issue.span.end);
    }
    let checker = checker();
    let mut timings = Timings::default();
    let report = checker.check_document(doc, None, &mut timings);
    assert_report(&report);
});
