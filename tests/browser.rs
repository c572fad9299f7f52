//! The HTML report in a real browser: Debian's Chromium, headless, driven over the DevTools
//! protocol (`headless_chrome`). Each test generates a report with the binary, opens it from
//! disk and checks what a reviewer would meet: no console error, no network request (the page
//! itself is the only load), one finding element per finding of the JSON, the severity filter,
//! the sorting, escaped submission values, the print layout, and a screenshot
//! (`target/browser/*.png`).
//!
//! Chromium is `/usr/bin/chromium` (or `PARKCHECK_CHROMIUM`). Without it the tests fail in CI
//! (`CI` set: `.ci/run` installs it) and say plainly that they cannot run elsewhere.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{parkcheck, root};
use headless_chrome::protocol::cdp::Network;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

/// Chromium, or `None` (outside CI only) when it is not installed.
fn chromium_path() -> Option<PathBuf> {
    let path = std::env::var_os("PARKCHECK_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "Chromium is not at {} and CI is set: the browser tests must run (.ci/run installs it: apt-get install -y chromium)",
        path.display()
    );
    eprintln!(
        "browser tests NOT RUN: no Chromium at {} (apt-get install -y chromium, or set PARKCHECK_CHROMIUM)",
        path.display()
    );
    None
}

/// A headless Chromium with a fresh profile and nothing in the background (the machine's
/// network is closed; Chromium's own requests would be refused and logged).
struct Chromium {
    browser: Browser,
    _profile: tempfile::TempDir,
}

fn chromium() -> Option<Chromium> {
    let path = chromium_path()?;
    let profile = tempfile::tempdir().unwrap();
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-domain-reliability",
        "--no-pings",
        "--lang=zh-CN",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(profile.path().to_path_buf()))
        .window_size(Some((1280, 1000)))
        .idle_browser_timeout(Duration::from_secs(180))
        .args(args)
        .build()
        .unwrap();
    let browser = Browser::new(options).expect("Chromium starts");
    Some(Chromium {
        browser,
        _profile: profile,
    })
}

/// A page opened in a tab, with everything the page logged and requested.
struct Opened {
    tab: Arc<Tab>,
    console: Arc<Mutex<Vec<String>>>,
    requests: Arc<Mutex<Vec<String>>>,
    url: String,
}

impl Opened {
    /// The value of a JavaScript expression, through JSON (arrays and objects come back whole).
    fn eval(&self, js: &str) -> Value {
        eval(&self.tab, js)
    }

    fn count(&self, selector: &str) -> u64 {
        self.eval(&format!("document.querySelectorAll({selector:?}).length"))
            .as_u64()
            .unwrap()
    }

    /// Finding elements that are shown (not hidden by a filter), by selector.
    fn visible(&self, selector: &str) -> u64 {
        self.eval(&format!(
            "Array.from(document.querySelectorAll({selector:?})).filter(e => e.offsetParent !== null).length"
        ))
        .as_u64()
        .unwrap()
    }

    /// No console error, no exception, no policy violation, no request but the page itself.
    fn assert_clean(&self) {
        let console = self.console.lock().unwrap().clone();
        assert!(console.is_empty(), "console errors: {console:#?}");
        let requests = self.requests.lock().unwrap().clone();
        let others: Vec<&String> = requests.iter().filter(|u| **u != self.url).collect();
        assert!(others.is_empty(), "requests besides the page: {others:#?}");
        assert_eq!(
            self.eval("window.__violations.length"),
            0,
            "Content-Security-Policy violations"
        );
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let png = self
            .tab
            .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        let dir = root().join("target/browser");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }
}

fn eval(tab: &Tab, js: &str) -> Value {
    let text = tab
        .evaluate(&format!("JSON.stringify({js})"), false)
        .unwrap_or_else(|e| panic!("{js}: {e}"))
        .value;
    match text {
        Some(Value::String(text)) => serde_json::from_str(&text).unwrap(),
        _ => Value::Null,
    }
}

fn open(chromium: &Chromium, file: &Path) -> Opened {
    let tab = chromium.browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(60));
    let console = Arc::new(Mutex::new(Vec::new()));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let (c, r) = (Arc::clone(&console), Arc::clone(&requests));
    tab.add_event_listener(Arc::new(move |event: &Event| match event {
        Event::LogEntryAdded(e) => {
            let entry = &e.params.entry;
            let level = format!("{:?}", entry.level);
            if level == "Error" || level == "Warning" {
                c.lock()
                    .unwrap()
                    .push(format!("log {level}: {}", entry.text));
            }
        }
        Event::RuntimeConsoleAPICalled(e) => {
            let kind = format!("{:?}", e.params.Type);
            if kind == "Error" || kind == "Warning" || kind == "Assert" {
                let args: Vec<String> = e
                    .params
                    .args
                    .iter()
                    .map(|a| {
                        format!(
                            "{:?}",
                            a.value
                                .as_ref()
                                .or(a.description.as_ref().map(|_| &Value::Null))
                        )
                    })
                    .collect();
                c.lock().unwrap().push(format!("console {kind}: {args:?}"));
            }
        }
        Event::RuntimeExceptionThrown(e) => {
            c.lock()
                .unwrap()
                .push(format!("exception: {:?}", e.params.exception_details));
        }
        Event::NetworkRequestWillBeSent(e) => {
            r.lock().unwrap().push(e.params.request.url.clone());
        }
        _ => {}
    }))
    .unwrap();
    tab.enable_log().unwrap();
    tab.enable_runtime().unwrap();
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .unwrap();
    // Policy violations, recorded from the first moment of every document of this tab.
    tab.call_method(headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument {
        source: "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));".to_owned(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .unwrap();
    let url = format!("file://{}", file.canonicalize().unwrap().display());
    tab.navigate_to(&url).unwrap();
    tab.wait_until_navigated().unwrap();
    // The script has run when it marked the page.
    tab.wait_for_element("html.js").unwrap();
    Opened {
        tab,
        console,
        requests,
        url,
    }
}

/// Runs `parkcheck ARGS` from the crate root (with the date fixed) and returns its exit code.
fn run(args: &[&str]) -> i32 {
    let output = parkcheck()
        .env("PARKCHECK_TODAY", "2026-01-15")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "parkcheck {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.status.code().unwrap()
}

fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn the_failing_examples_read_filter_and_sort_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let dir = out_dir();
    let html = dir.path().join("report.html");
    let json = dir.path().join("report.json");
    let code = run(&[
        "check",
        "fixtures/failing/",
        &format!("--format=html={}", html.display()),
        &format!("--format=json={}", json.display()),
    ]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let page = open(&chromium, &html);
    page.assert_clean();

    // One element per finding, each with its data attributes; one section per file.
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(
        page.count("article.finding[data-rule][data-severity][data-file][data-park]"),
        findings.len() as u64
    );
    assert_eq!(
        page.count("section.park[data-park][data-file]"),
        report["files"].as_u64().unwrap()
    );
    for severity in ["error", "warning"] {
        let n = findings
            .iter()
            .filter(|f| f["severity"] == severity)
            .count() as u64;
        assert!(n > 0);
        assert_eq!(
            page.count(&format!("article.finding[data-severity={severity}]")),
            n
        );
    }
    // The embedded JSON is the JSON report.
    let embedded: Value = serde_json::from_str(
        page.eval("document.getElementById('parkcheck-json').textContent")
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(embedded, report);
    page.screenshot("failing-examples");

    // Unticking warnings hides every warning and nothing else.
    let warnings = page.count("article.finding[data-severity=warning]");
    let all = page.visible("article.finding");
    assert_eq!(
        all,
        findings.len() as u64,
        "every finding is shown at first"
    );
    page.tab
        .find_element("input[data-filter-severity=warning]")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(page.visible("article.finding[data-severity=warning]"), 0);
    assert_eq!(page.visible("article.finding"), all - warnings);
    assert_eq!(
        page.eval("document.getElementById('filter-count').textContent"),
        format!("{} / {}", all - warnings, findings.len())
    );
    // And ticking it again brings them back.
    page.tab
        .find_element("input[data-filter-severity=warning]")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(page.visible("article.finding"), all);

    // A rule filter keeps that rule's findings.
    page.eval("(() => { const i = document.getElementById('filter-rule'); i.value = 'JXS-003'; i.dispatchEvent(new Event('input')); })()");
    let jxs = findings.iter().filter(|f| f["rule"] == "JXS-003").count() as u64;
    assert_eq!(page.visible("article.finding"), jxs);
    page.tab
        .find_element("#filter-reset")
        .unwrap()
        .click()
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(page.visible("article.finding"), all);

    // Sorting the park table by errors, most first (a second click).
    let errors = |p: &Opened| -> Vec<u64> {
        p.eval("Array.from(document.querySelectorAll('#park-table tbody tr')).map(r => Number(r.cells[5].textContent))")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect()
    };
    let header = "#park-table thead th:nth-child(6)";
    page.tab.find_element(header).unwrap().click().unwrap();
    page.tab.find_element(header).unwrap().click().unwrap();
    let sorted = errors(&page);
    let mut expected = sorted.clone();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(sorted, expected);
    // Each row links to its park's section.
    let linked = page.eval("Array.from(document.querySelectorAll('#park-table tbody tr a')).every(a => document.querySelector(a.getAttribute('href')) !== null)");
    assert_eq!(linked, true);
    page.assert_clean();

    // Printed (the print stylesheet: A4, each park from a new page).
    let pdf = page
        .tab
        .print_to_pdf(Some(headless_chrome::types::PrintToPdfOptions {
            prefer_css_page_size: Some(true),
            ..Default::default()
        }))
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    std::fs::write(root().join("target/browser/failing-examples.pdf"), pdf).unwrap();
}

#[test]
fn a_page_without_javascript_shows_everything() {
    let Some(chromium) = chromium() else { return };
    let dir = out_dir();
    let html = dir.path().join("report.html");
    run(&[
        "check",
        "fixtures/failing/",
        &format!("--format=html={}", html.display()),
    ]);
    let tab = chromium.browser.new_tab().unwrap();
    tab.call_method(
        headless_chrome::protocol::cdp::Emulation::SetScriptExecutionDisabled { value: true },
    )
    .unwrap();
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    tab.navigate_to(&url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let visible = eval(
        &tab,
        "[document.documentElement.classList.contains('js'), Array.from(document.querySelectorAll('article.finding')).filter(e => e.offsetParent !== null).length, document.querySelectorAll('article.finding').length, getComputedStyle(document.getElementById('filters')).display]",
    );
    // (Evaluate runs over the protocol even with the page's scripts disabled.)
    assert_eq!(visible[0], false, "the page's script ran");
    assert_eq!(
        visible[1], visible[2],
        "a finding is hidden without JavaScript"
    );
    assert_eq!(
        visible[3], "none",
        "the filters show without the script that works them"
    );
}

#[test]
fn a_hostile_submission_stays_text() {
    let Some(chromium) = chromium() else { return };
    let dir = out_dir();
    // A park and a tenant named with markup, and a file name with some.
    let text = std::fs::read_to_string(root().join("fixtures/failing/land-area-extra-zero.yaml"))
        .unwrap()
        .replacen(
            "name: 平湖钟埭光机电小微企业园",
            "name: \"<img src=x onerror=\\\"window.__pwned=1\\\"></script><script>window.__pwned=2</script>\"",
            1,
        )
        .replacen(
            "  - name: 平湖钟埭精密光学有限公司",
            "  - name: \"<svg onload=\\\"window.__pwned=3\\\"><a href=javascript:alert(1)>x</a>\"",
            1,
        );
    let submission = dir.path().join("<u>evil.yaml");
    std::fs::write(&submission, text).unwrap();
    let html = dir.path().join("report.html");
    run(&[
        "check",
        submission.to_str().unwrap(),
        &format!("--format=html={}", html.display()),
        "--show-passed",
    ]);
    let page = open(&chromium, &html);
    page.assert_clean();
    assert_eq!(
        page.eval("window.__pwned === undefined"),
        true,
        "an injected script ran"
    );
    assert_eq!(page.count("img"), 0, "an <img> was injected");
    assert_eq!(page.count("main svg"), 0, "an <svg> was injected");
    assert_eq!(
        page.count("u"),
        0,
        "the file name's markup became an element"
    );
    assert_eq!(page.count("a[href^=javascript]"), 0);
    assert_eq!(
        page.count("script"),
        2,
        "only the page's script and its JSON"
    );
    // The values are there, as text.
    let text = page
        .eval("document.body.innerText")
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text.contains("<img src=x onerror="),
        "{}",
        &text[..400.min(text.len())]
    );
    assert!(text.contains("<u>evil.yaml"));
    let park = page.eval("document.querySelector('section.park').dataset.park");
    assert!(park.as_str().unwrap().starts_with("<img"), "{park}");
    page.screenshot("hostile");
}

#[test]
fn the_score_page_draws_its_charts() {
    let Some(chromium) = chromium() else { return };
    let dir = out_dir();
    let html = dir.path().join("score.html");
    let json = dir.path().join("score.json");
    let code = run(&[
        "score",
        "fixtures/examples/",
        "fixtures/failing/",
        &format!("--format=html={}", html.display()),
        &format!("--format=json={}", json.display()),
    ]);
    assert_eq!(code, 0);
    let scores: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let page = open(&chromium, &html);
    page.assert_clean();
    // One chart per figure and one of the findings per rule, drawn.
    let figures = scores["parks"][0]["figures"].as_array().unwrap().len() as u64;
    assert!(figures >= 2);
    assert_eq!(page.count("figure.chart svg"), figures + 1);
    let bars = page.count("figure.chart[data-chart] svg rect");
    assert!(bars > 10, "{bars} bars");
    assert!(
        page.count("figure.chart svg line.average") >= 1,
        "no type average drawn"
    );
    let height =
        page.eval("document.querySelector('figure.chart svg').getBoundingClientRect().height");
    assert!(height.as_f64().unwrap() > 50.0);
    // The embedded score JSON is `score --format json`.
    let embedded: Value = serde_json::from_str(
        page.eval("document.getElementById('parkcheck-score-json').textContent")
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(embedded, scores);
    page.tab
        .find_element("#evaluation")
        .unwrap()
        .scroll_into_view()
        .unwrap();
    page.screenshot("score");
}

#[test]
fn the_harness_sees_what_the_page_must_not_do() {
    let Some(chromium) = chromium() else { return };
    let dir = out_dir();
    let html = dir.path().join("report.html");
    run(&[
        "check",
        "fixtures/examples/",
        &format!("--format=html={}", html.display()),
    ]);
    // The same page with an external image and an inline handler, as a broken escape would
    // give: the policy blocks both, and the harness must see it.
    let page = std::fs::read_to_string(&html).unwrap().replacen(
        "<main>",
        "<main><img src=\"https://example.invalid/x.png\" onerror=\"window.__pwned=1\">",
        1,
    );
    let bad = dir.path().join("bad.html");
    std::fs::write(&bad, page).unwrap();
    let opened = open(&chromium, &bad);
    std::thread::sleep(Duration::from_millis(300));
    let console = opened.console.lock().unwrap().clone();
    assert!(
        console
            .iter()
            .any(|c| c.contains("Content Security Policy")),
        "{console:#?}"
    );
    assert!(opened.eval("window.__violations.length").as_u64().unwrap() >= 1);
    assert_eq!(opened.eval("window.__pwned === undefined"), true);
}
