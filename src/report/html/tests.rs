//! The page without a browser: escaping in every context, the embedded JSON, no external URL,
//! the policy's hashes, determinism. (`tests/browser.rs` opens it in Chromium.)

use super::*;
use crate::run::{Inputs, Quiet, Run, RunConfig, RunReport};

const HOSTILE: &str = "<img src=x onerror=\"document.title='pwned'\">";

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A failing example whose park and first tenant are named with markup, checked with the
/// bundled rules and the figures.
fn hostile_run() -> (Run, RunReport) {
    let text = fixture("fixtures/failing/land-area-extra-zero.yaml")
        .replacen(
            "name: 平湖钟埭光机电小微企业园",
            &format!("name: '{}</script><!--'", HOSTILE.replace('\'', "''")),
            1,
        )
        .replacen(
            "  - name: 平湖钟埭精密光学有限公司",
            &format!("  - name: '{}'", HOSTILE.replace('\'', "''")),
            1,
        );
    let config = RunConfig {
        today: Some("2026-01-15".to_owned()),
        figures: true,
        ..RunConfig::default()
    };
    let run = Run::from_config(&config).unwrap();
    let report = run.check(
        Inputs::new()
            .bytes("parks/<b>evil</b>.yaml", text.into_bytes())
            .path(format!(
                "{}/fixtures/failing/zj-form-monthly-rent.yaml",
                env!("CARGO_MANIFEST_DIR")
            )),
        &Quiet,
    );
    (run, report)
}

fn page(run: &Run, report: &RunReport, evaluation: bool) -> String {
    let facts = run.facts(run.options());
    let scores = crate::score::score(&report.files, run.engine().unwrap()).unwrap();
    render(&Page {
        reports: &report.files,
        summary: &report.summary,
        facts: &facts,
        engine: run.engine(),
        lang: Lang::Both,
        show_passed: true,
        scores: Some(&scores),
        evaluation,
    })
}

/// The text of every element `<tag …>` opened in `html`, by name.
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|t| {
            t.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!')
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .collect()
}

#[test]
fn submission_values_are_text_in_every_context() {
    let (run, report) = hostile_run();
    for evaluation in [false, true] {
        let html = page(&run, &report, evaluation);
        assert!(!html.contains("<img"), "an <img> element was injected");
        assert!(!html.contains("<b>evil"), "a file name was not escaped");
        assert!(
            html.contains("&lt;img src=x onerror=&quot;"),
            "the name is not shown as text"
        );
        assert!(html.contains("data-file=\"parks/&lt;b&gt;evil&lt;/b&gt;.yaml\""));
        // Exactly the page's own elements: one script that runs, the JSON blocks, no comment.
        let tags = tags(&html);
        let scripts = tags.iter().filter(|t| *t == "script").count();
        assert_eq!(scripts, if evaluation { 3 } else { 2 }, "{tags:?}");
        assert!(
            !tags.iter().any(|t| t.starts_with("!--")),
            "a comment was opened"
        );
        assert_eq!(html.matches("</script>").count(), scripts);
    }
}

#[test]
fn the_embedded_json_is_the_json_report() {
    let (run, report) = hostile_run();
    let html = page(&run, &report, false);
    let open = "<script type=\"application/json\" id=\"parkcheck-json\">";
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let embedded: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    let json: serde_json::Value = serde_json::from_str(&crate::report::json::render(
        &report.files,
        &report.summary,
        true,
    ))
    .unwrap();
    assert_eq!(embedded, json);
    // One finding element per finding of the JSON.
    let findings = json["findings"].as_array().unwrap().len();
    assert!(findings > 3);
    assert_eq!(html.matches("data-finding=\"\"").count(), findings);
}

#[test]
fn nothing_is_loaded_from_anywhere() {
    let (run, report) = hostile_run();
    for evaluation in [false, true] {
        let html = page(&run, &report, evaluation);
        for needle in [
            "http://",
            "https://",
            "//cdn",
            "@import",
            "url(",
            "<link rel=\"stylesheet\"",
            "<iframe",
            "<object",
            "<embed",
        ] {
            assert!(!html.contains(needle), "{needle} in the page");
        }
        // No element loads anything: every `<` opens one of the page's own elements (values
        // are escaped), and none has a `src`.
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            // The attribute names, without the quoted values.
            let names: String = tag.split('"').step_by(2).collect();
            assert!(!names.contains(" src="), "<{tag}>");
        }
        // Links only within the page (and the empty data: icon).
        for part in html.split("href=\"").skip(1) {
            assert!(
                part.starts_with('#') || part.starts_with("data:,"),
                "href=\"{}",
                &part[..40.min(part.len())]
            );
        }
        assert!(html.contains(&format!("content=\"{}\"", csp())));
    }
    let policy = csp();
    assert!(policy.starts_with("default-src 'none';"));
    let hash = escape::base64(&Sha256::digest(SCRIPT.as_bytes()));
    assert!(policy.contains(&format!("script-src 'sha256-{hash}'")));
    assert!(!policy.contains("unsafe"));
}

#[test]
fn the_same_run_gives_the_same_page() {
    let (run, report) = hostile_run();
    let (_, again) = hostile_run();
    assert_eq!(page(&run, &report, true), page(&run, &again, true));
    assert!(page(&run, &report, false).contains("<time datetime=\"2026-01-15\">"));
}

#[test]
fn snippets_mark_the_value_and_pointers_speak_the_form() {
    let (run, report) = hostile_run();
    let html = page(&run, &report, false);
    // land.actual_area_mu: 1260 is marked in its line.
    assert!(html.contains("actual_area_mu: <mark"), "no marked value");
    assert!(html.contains(">1260</mark>"));
    let facts = report.files[0].facts.as_deref();
    let l = L(Lang::Zh);
    assert_eq!(
        park::place("/tenants/3/uscc", facts, l),
        "tenants › 第 4 家（平湖明晟光电有限公司） › uscc"
    );
    assert_eq!(
        park::place("/tenants/0/name", facts, L(Lang::Both)),
        "tenants › 第 1 家（&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;）<span class=\"en\"> / tenant 1 (&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;)</span> › name"
    );
    assert_eq!(
        park::place("/buildings/list/1/floors", facts, L(Lang::En)),
        "buildings › list › item 2 › floors"
    );
}

#[test]
fn waived_findings_and_the_waiver_file_are_shown_as_such() {
    let dir = format!("{}/fixtures/waivers/parks", env!("CARGO_MANIFEST_DIR"));
    let config = RunConfig {
        today: Some("2026-01-15".to_owned()),
        waivers: vec![format!("{dir}/parkcheck.waivers.yaml").into()],
        ..RunConfig::default()
    };
    let run = Run::from_config(&config).unwrap();
    let report = run.check(Inputs::new().path(&dir), &Quiet);
    assert!(report.summary.waived > 0);
    let html = page(&run, &report, false);
    assert_eq!(
        html.matches("data-status=\"waived\"").count(),
        report.summary.waived
    );
    assert!(
        html.contains("parkcheck.waivers.yaml</code>"),
        "the waiver file is not named"
    );
    assert!(html.contains("<p class=\"suppression\"><b>已豁免"));
}
