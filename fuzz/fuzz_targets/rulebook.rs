//! Bytes → rulebook → engine → evaluation of a clean example: a rulebook, however broken, is
//! reported or evaluated, never a panic; every reported span lies inside the rulebook's text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use parkcheck::document::{Document, Limits, Syntax, load_bytes};
use parkcheck::engine::{Engine, EvalOptions};
use parkcheck::profile::Profile;
use parkcheck::rulebook::load_rulebooks;

const EXAMPLE: &str = include_str!("../../fixtures/examples/puyuan-sweater-park.yaml");

fn example() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        load_bytes(
            "example.yaml",
            EXAMPLE.as_bytes().to_vec(),
            Syntax::Yaml,
            &Limits::default(),
        )
        .expect("the example loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let rules = match load_rulebooks(vec![("fuzz.yaml".to_owned(), data.to_vec())], &limits) {
        Ok(rules) => rules,
        Err(reports) => {
            for report in &reports {
                let len = report.source.text().len();
                for finding in &report.findings {
                    if let Some(span) = finding.span {
                        assert!(span.start <= span.end && span.end <= len);
                        assert!(report.source.text().is_char_boundary(span.start));
                        assert!(report.source.text().is_char_boundary(span.end));
                    }
                }
            }
            return;
        }
    };
    let Ok(profile) = Profile::bundled_default() else {
        return;
    };
    if profile.validate(&rules).is_err() {
        return;
    }
    if let Ok(engine) = Engine::new(rules, profile) {
        let _ = engine.evaluate(example(), &EvalOptions::default());
    }
});
