//! Opens an HTML report in headless Chromium (Debian's, `/usr/bin/chromium` or
//! `PARKCHECK_CHROMIUM`) for people and for the benchmark:
//!
//! ```sh
//! cargo run --example browser -- screenshot report.html out.png [CSS-SELECTOR] [WIDTH]
//! cargo run --example browser -- pdf report.html out.pdf
//! cargo run --example browser -- load report.html [RUNS]     # load time, ms (median)
//! ```
//!
//! `load` opens the page RUNS times (default 5) in a fresh tab and prints the median and each
//! time from navigation start to the end of the `load` event, as the page's own Navigation
//! Timing reports it, and the time until the script has marked the page (`html.js`).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::exit
)]

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::protocol::cdp::Page::{self, CaptureScreenshotFormatOption};
use headless_chrome::{Browser, LaunchOptions, Tab};

fn browser(width: u32, profile: &std::path::Path) -> Browser {
    let path = std::env::var_os("PARKCHECK_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    Browser::new(
        LaunchOptions::default_builder()
            .path(Some(path))
            .headless(true)
            .sandbox(false)
            .user_data_dir(Some(profile.to_path_buf()))
            .window_size(Some((width, 1000)))
            .idle_browser_timeout(Duration::from_secs(300))
            .args(args)
            .build()
            .unwrap(),
    )
    .expect("Chromium starts")
}

fn open(browser: &Browser, file: &str) -> std::sync::Arc<Tab> {
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(120));
    let url = format!("file://{}", std::fs::canonicalize(file).unwrap().display());
    tab.navigate_to(&url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab
}

/// The value of a JavaScript expression, through JSON (arrays and objects come back whole).
fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    let text = tab
        .evaluate(&format!("JSON.stringify({js})"), false)
        .unwrap()
        .value
        .unwrap();
    serde_json::from_str(text.as_str().unwrap()).unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let profile = tempfile::tempdir().unwrap();
    match (arg(0), arg(1), arg(2)) {
        (Some("screenshot"), Some(file), Some(out)) => {
            let width = arg(4).and_then(|w| w.parse().ok()).unwrap_or(1280);
            let browser = browser(width, profile.path());
            let tab = open(&browser, file);
            // The viewport as tall as the page, so that anything on it can be captured.
            let size = eval(
                &tab,
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]",
            );
            let height = size[1].as_u64().unwrap().min(30_000) as u32;
            tab.call_method(Emulation::SetDeviceMetricsOverride {
                width,
                height,
                device_scale_factor: 1.0,
                mobile: false,
                scale: None,
                screen_width: None,
                screen_height: None,
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .unwrap();
            let clip = arg(3).filter(|s| !s.is_empty()).map(|selector| {
                let rect = eval(
                    &tab,
                    &format!("(() => {{ const r = document.querySelector({selector:?}).getBoundingClientRect(); return [r.x, r.y + window.scrollY, r.width, r.height]; }})()"),
                );
                let n = |i: usize| rect[i].as_f64().unwrap();
                Page::Viewport {
                    x: n(0),
                    y: n(1),
                    width: n(2),
                    height: n(3).min(f64::from(height)),
                    scale: 1.0,
                }
            });
            let png = tab
                .capture_screenshot(CaptureScreenshotFormatOption::Png, None, clip, true)
                .unwrap();
            std::fs::write(out, png).unwrap();
        }
        (Some("pdf"), Some(file), Some(out)) => {
            let browser = browser(1280, profile.path());
            let tab = open(&browser, file);
            std::fs::write(
                out,
                tab.print_to_pdf(Some(headless_chrome::types::PrintToPdfOptions {
                    prefer_css_page_size: Some(true),
                    ..Default::default()
                }))
                .unwrap(),
            )
            .unwrap();
        }
        (Some("load"), Some(file), runs) => {
            let runs: usize = runs.and_then(|r| r.parse().ok()).unwrap_or(5);
            let browser = browser(1280, profile.path());
            let mut loads = Vec::new();
            let mut ready = Vec::new();
            let scripted = std::fs::read_to_string(file).unwrap().contains("<script>");
            for _ in 0..runs {
                let tab = open(&browser, file);
                if scripted {
                    tab.wait_for_element("html.js").unwrap();
                }
                let timing = eval(
                    &tab,
                    "(() => { const n = performance.getEntriesByType('navigation')[0]; return [n.loadEventEnd, n.domContentLoadedEventEnd]; })()",
                );
                loads.push(timing[0].as_f64().unwrap());
                ready.push(timing[1].as_f64().unwrap());
                tab.close(true).unwrap();
            }
            let median = |v: &mut Vec<f64>| {
                v.sort_by(f64::total_cmp);
                v[v.len() / 2]
            };
            let bytes = std::fs::metadata(file).unwrap().len();
            println!(
                "{file}: {bytes} bytes; load event end {:.0} ms (median of {runs}: {:?}); DOMContentLoaded {:.0} ms",
                median(&mut loads.clone()),
                loads.iter().map(|l| l.round()).collect::<Vec<_>>(),
                median(&mut ready)
            );
        }
        _ => {
            eprintln!(
                "usage: browser screenshot FILE.html OUT.png [SELECTOR] [WIDTH] | pdf FILE.html OUT.pdf | load FILE.html [RUNS]"
            );
            std::process::exit(2);
        }
    }
}
