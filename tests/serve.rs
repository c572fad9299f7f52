//! `parkcheck serve` against a real HTTP client on a loopback port: every route and status,
//! the findings of an upload equal to the CLI's, tokens and the access log, concurrent clients,
//! a body over the limit, a slow client, a zip-bomb workbook, shutdown on SIGTERM and SIGINT.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A server process on a free loopback port, its stderr (the access log) collected.
struct Server {
    child: Child,
    base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_parkcheck"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let event: serde_json::Value = serde_json::from_str(&first).unwrap();
        let url = event["url"]
            .as_str()
            .unwrap()
            .trim_end_matches('/')
            .to_owned();
        let log = Arc::new(Mutex::new(vec![first]));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Self {
            child,
            base: url,
            log,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }

    fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Status, headers of interest and body text.
fn get(url: &str) -> (u16, ureq::http::HeaderMap, String) {
    let mut response = agent().get(url).call().unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.body_mut().read_to_string().unwrap();
    (status, headers, body)
}

fn post(url: &str, content_type: &str, body: &[u8]) -> (u16, ureq::http::HeaderMap, String) {
    let mut response = agent()
        .post(url)
        .header("Content-Type", content_type)
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .body_mut()
        .with_config()
        .limit(100_000_000)
        .read_to_string()
        .unwrap_or_default();
    (status, headers, body)
}

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "parkcheck-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(file) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn code_of(body: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    assert!(value["message"]["zh"].is_string() && value["message"]["en"].is_string());
    value["code"].as_str().unwrap().to_owned()
}

const CLEAN: &str = "fixtures/examples/puyuan-sweater-park.yaml";
const FAILING: &str = "fixtures/failing/jx-filing-commitment-letter-missing.yaml";

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap()
}

#[test]
fn every_route_answers_with_its_status() {
    let server = Server::start(&[]);
    let (status, _, body) = get(&server.url("/health"));
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let (status, _, body) = get(&server.url("/ready"));
    assert_eq!(status, 200);
    assert!(body.contains("\"ready\": true"), "{body}");
    let (status, _, body) = get(&server.url("/v1/rules"));
    assert_eq!(status, 200);
    assert!(body.contains("REC-007"));
    let (status, _, body) = get(&server.url("/v1/rules/rec-7"));
    assert_eq!(status, 200);
    let rule: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(rule["id"], "REC-007");
    assert!(rule["explain"]["zh"].as_str().unwrap().contains("REC-007"));
    let (status, _, body) = get(&server.url("/v1/rules/NOPE-999"));
    assert_eq!((status, code_of(&body).as_str()), (404, "unknown_rule"));
    let (status, headers, body) = get(&server.url("/v1/schema"));
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/schema+json");
    assert!(body.contains("\"$schema\""));

    // The upload page: Chinese, English on asking, a plain form, CSP and nosniff.
    let (status, headers, body) = get(&server.url("/"));
    assert_eq!(status, 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(body.contains("园区申报自查") && body.contains("enctype=\"multipart/form-data\""));
    assert!(!body.contains("<script"));
    let (_, _, body) = get(&server.url("/?lang=en"));
    assert!(body.contains("Park filing self-check"));

    // A completed check is 200 whatever it found; the verdict in a header and the body.
    let (status, headers, body) = post(
        &server.url("/v1/check?name=a.yaml"),
        "application/yaml",
        &read(CLEAN),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["x-parkcheck-verdict"], "passed");
    let (status, headers, body) = post(
        &server.url("/v1/check?name=b.yaml"),
        "application/yaml",
        &read(FAILING),
    );
    assert_eq!(status, 200);
    assert_eq!(headers["x-parkcheck-verdict"], "failed");
    assert!(body.contains("\"findings\""));
    for (format, media) in [
        ("json", "application/json"),
        ("sarif", "application/sarif+json"),
        ("junit", "application/xml"),
        ("markdown", "text/markdown; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ] {
        let (status, headers, _) = post(
            &server.url(&format!(
                "/v1/check?name=b.yaml&format={format}&lang=en&as_of=2025-06-30&fail_on=warning"
            )),
            "application/yaml",
            &read(FAILING),
        );
        assert_eq!(status, 200, "{format}");
        assert_eq!(headers["content-type"], media, "{format}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        if format == "html" {
            assert!(
                headers["content-security-policy"]
                    .to_str()
                    .unwrap()
                    .contains("script-src 'sha256-")
            );
        }
    }

    // Several files as multipart: one run.
    let (media, body) = multipart(&[
        ("file", Some("a.yaml"), &read(CLEAN)),
        ("file", Some("b.yaml"), &read(FAILING)),
        ("format", None, b"json"),
    ]);
    let (status, headers, text) = post(&server.url("/v1/check"), &media, &body);
    assert_eq!(status, 200, "{text}");
    assert_eq!(headers["x-parkcheck-verdict"], "failed");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["files"], 2);

    // The errors, each JSON {code, message: {zh, en}}.
    let cases: Vec<(String, &str, Vec<u8>, u16, &str)> = vec![
        (server.url("/v1/check"), "image/png", b"x".to_vec(), 415, "unsupported_media_type"),
        (server.url("/v1/check?format=pdf"), "application/yaml", read(CLEAN), 400, "bad_request"),
        (server.url("/v1/check?as_of=yesterday"), "application/yaml", read(CLEAN), 400, "bad_request"),
        (server.url("/v1/check?fail_on=fatal"), "application/yaml", read(CLEAN), 400, "bad_request"),
        (server.url("/v1/check?name=x.yaml"), "application/yaml", b"park: [1, 2\n".to_vec(), 422, "unreadable"),
        (server.url("/v1/check"), "multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.yaml\"\r\n\r\npark".to_vec(), 400, "bad_request"),
        (server.url("/v1/check"), "multipart/form-data", b"garbage".to_vec(), 400, "bad_request"),
    ];
    for (url, media, body, want, code) in cases {
        let (status, headers, text) = post(&url, media, &body);
        assert_eq!(status, want, "{url} {media}: {text}");
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(code_of(&text), code);
    }
    let (_, _, body) = post(
        &server.url("/v1/check?name=x.yaml"),
        "application/yaml",
        b"park: [1, 2\n",
    );
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        value["report"]["findings"]
            .as_array()
            .is_some_and(|f| !f.is_empty()),
        "{body}"
    );

    let (status, _, metrics) = get(&server.url("/metrics"));
    assert_eq!(status, 200);
    for needle in [
        "parkcheck_requests_total{route=\"/v1/check\",status=\"200\"}",
        "parkcheck_requests_total{route=\"/v1/check\",status=\"415\"}",
        "parkcheck_check_duration_seconds_count",
        "parkcheck_findings_total{severity=\"error\"}",
        "parkcheck_in_flight 1",
        "parkcheck_files_total",
    ] {
        assert!(metrics.contains(needle), "{needle} in\n{metrics}");
    }
    // The server is still serving after all of that.
    assert_eq!(get(&server.url("/health")).0, 200);
}

#[test]
fn an_upload_finds_what_the_cli_finds() {
    let server = Server::start(&[]);
    let dir = root().join("fixtures/failing");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !["yaml", "json"].contains(&ext) {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let cli = Command::new(env!("CARGO_BIN_EXE_parkcheck"))
            .current_dir(&dir)
            .args(["check", "--no-waivers", "--format", "json", &name])
            .output()
            .unwrap();
        let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
        let (status, _, body) = post(
            &server.url(&format!("/v1/check?name={name}")),
            "application/octet-stream",
            &std::fs::read(&path).unwrap(),
        );
        assert_eq!(status, 200, "{name}: {body}");
        let served: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(served["findings"], cli["findings"], "{name}");
        assert!(
            served["findings"].as_array().is_some_and(|f| !f.is_empty()),
            "{name}"
        );
    }
}

#[test]
fn tokens_are_needed_everywhere_but_health_and_never_logged() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::write(
        &tokens,
        "# name token\nbureau-tongxiang s3cret-token-0123456789\n",
    )
    .unwrap();
    let server = Server::start(&["--token-file", tokens.to_str().unwrap()]);
    assert_eq!(get(&server.url("/health")).0, 200);
    for path in ["/", "/ready", "/v1/rules", "/v1/schema", "/metrics"] {
        let (status, _, body) = get(&server.url(path));
        assert_eq!(
            (status, code_of(&body).as_str()),
            (401, "unauthorized"),
            "{path}"
        );
    }
    let wrong = agent()
        .get(server.url("/v1/schema"))
        .header("Authorization", "Bearer s3cret-token-0123456788")
        .call()
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let response = agent()
        .post(server.url("/v1/check?name=a.yaml"))
        .header("Authorization", "Bearer s3cret-token-0123456789")
        .header("Content-Type", "application/yaml")
        .send(&read(FAILING)[..])
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    std::thread::sleep(Duration::from_millis(200));
    let log = server.log.lock().unwrap().join("\n");
    assert!(log.contains("\"token\":\"bureau-tongxiang\""), "{log}");
    assert!(!log.contains("s3cret"), "{log}");
    assert!(
        !log.contains("unit_name") && !log.contains("园区名称"),
        "no submission content: {log}"
    );
    for line in log.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
}

#[test]
fn concurrent_clients_are_all_answered_alike() {
    let server = Server::start(&["--queue", "64"]);
    let url = server.url("/v1/check?name=b.yaml");
    let body = read(FAILING);
    let (_, _, first) = post(&url, "application/yaml", &body);
    let want: serde_json::Value = serde_json::from_str(&first).unwrap();
    let want = Arc::new(want["findings"].clone());
    let threads: Vec<_> = (0..32)
        .map(|_| {
            let (url, body, want) = (url.clone(), body.clone(), want.clone());
            std::thread::spawn(move || {
                for _ in 0..50 {
                    let (status, _, text) = post(&url, "application/yaml", &body);
                    assert_eq!(status, 200, "{text}");
                    let got: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(&got["findings"], &*want);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(get(&server.url("/health")).0, 200);
}

/// Sends `head` then up to `total` bytes of body in 1 MiB writes, reading the answer on another
/// thread; returns the status line (empty when none came).
fn send_big(addr: &str, head: &str, total: usize, chunked: bool) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut reader = stream.try_clone().unwrap();
    let answer = std::thread::spawn(move || {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
            if got.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        String::from_utf8_lossy(&got)
            .lines()
            .next()
            .unwrap_or("")
            .to_owned()
    });
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b'#'; 1 << 20];
    let mut sent = 0;
    while sent < total {
        let ok = if chunked {
            stream
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .and_then(|()| stream.write_all(&chunk))
                .and_then(|()| stream.write_all(b"\r\n"))
        } else {
            stream.write_all(&chunk)
        };
        if ok.is_err() || answer.is_finished() {
            break;
        }
        sent += chunk.len();
    }
    answer.join().unwrap()
}

#[test]
fn a_200_mb_body_is_refused_and_memory_stays_bounded() {
    let server = Server::start(&["--max-body", "8000000"]);
    let total = 200 << 20;
    let declared = format!(
        "POST /v1/check?name=big.yaml HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\nContent-Length: {total}\r\n\r\n"
    );
    assert!(send_big(&server.addr(), &declared, total, false).contains("413"));
    let chunked = "POST /v1/check?name=big.yaml HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\nTransfer-Encoding: chunked\r\n\r\n";
    assert!(send_big(&server.addr(), chunked, total, true).contains("413"));
    let (media, _) = multipart(&[]);
    let multipart = format!(
        "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: {media}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let status = send_big(&server.addr(), &multipart, total, true);
    assert!(status.contains("413"), "{status}");
    let peak = server.peak_rss_kib();
    assert!(peak < 150 * 1024, "peak RSS {peak} KiB");
    assert_eq!(get(&server.url("/health")).0, 200);
    let (_, _, metrics) = get(&server.url("/metrics"));
    assert!(
        metrics.contains("route=\"/v1/check\",status=\"413\"} 3"),
        "{metrics}"
    );
}

#[test]
fn a_slow_client_is_cut_off() {
    let server = Server::start(&["--timeout", "2"]);
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"POST /v1/check?name=a.yaml HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\nContent-Length: 100\r\n\r\n")
        .unwrap();
    let started = Instant::now();
    let mut reader = stream.try_clone().unwrap();
    let answer = std::thread::spawn(move || {
        let mut got = String::new();
        let _ = reader.read_to_string(&mut got);
        got
    });
    for _ in 0..8 {
        if answer.is_finished() || stream.write_all(b"a").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    let got = answer.join().unwrap();
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(started.elapsed() < Duration::from_secs(6));
    assert_eq!(get(&server.url("/health")).0, 200);
}

#[test]
fn a_zip_bomb_workbook_is_refused_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.xlsx");
    // 1 GiB of zeros in one sheet, about a megabyte compressed.
    let made = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n\
             \x20   z.writestr('[Content_Types].xml', '<Types/>')\n\
             \x20   with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:\n\
             \x20       block = b'0' * (1 << 20)\n\
             \x20       for _ in range(1024): f.write(block)\n",
        )
        .arg(&bomb)
        .status()
        .unwrap();
    assert!(made.success());
    let server = Server::start(&[]);
    let (status, _, body) = post(
        &server.url("/v1/check?name=bomb.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &std::fs::read(&bomb).unwrap(),
    );
    assert!(status == 422 || status == 200, "{status}: {body}");
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let findings = if status == 422 {
        &value["report"]["findings"]
    } else {
        &value["findings"]
    };
    assert!(findings.as_array().is_some_and(|f| !f.is_empty()), "{body}");
    // Refused by the size the zip directory declares, before anything is inflated.
    assert_eq!(findings[0]["rule"], "LIMIT", "{body}");
    assert!(server.peak_rss_kib() < 300 * 1024);
    assert_eq!(get(&server.url("/health")).0, 200);
}

fn signal_and_wait(server: &mut Server, signal: &str) {
    let killed = Command::new("kill")
        .args([signal, &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "still running");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sigterm_and_sigint_stop_the_server_gracefully() {
    for signal in ["-TERM", "-INT"] {
        let mut server = Server::start(&["--shutdown-grace", "5"]);
        assert_eq!(get(&server.url("/health")).0, 200);
        signal_and_wait(&mut server, signal);
        std::thread::sleep(Duration::from_millis(100));
        let log = server.log.lock().unwrap().join("\n");
        assert!(log.contains("\"event\":\"stopped\""), "{log}");
        assert!(TcpStream::connect(server.addr()).is_err());
    }
}

#[test]
fn checks_over_the_concurrency_and_queue_limits_get_429() {
    // One check at a time and none waiting: a request whose body is still coming holds the one
    // place (a place is taken before the body is read, so at most that many bodies are held).
    let server = Server::start(&["--concurrency", "1", "--queue", "0", "--timeout", "5"]);
    let mut slow = TcpStream::connect(server.addr()).unwrap();
    slow.write_all(b"POST /v1/check?name=a.yaml HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\nContent-Length: 100\r\n\r\npark")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let (status, _, body) = post(
        &server.url("/v1/check?name=a.yaml"),
        "application/yaml",
        &read(CLEAN),
    );
    assert_eq!(
        (status, code_of(&body).as_str()),
        (429, "too_many_requests")
    );
    drop(slow);
    std::thread::sleep(Duration::from_millis(300));
    let (status, _, _) = post(
        &server.url("/v1/check?name=a.yaml"),
        "application/yaml",
        &read(CLEAN),
    );
    assert_eq!(status, 200);
}
