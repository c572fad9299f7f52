//! `parkcheck serve`: the checker as an HTTP service. One [`Run`] is built at start from the
//! same rule options as `check` (the schema, the rulebooks, the profile, the limits) and every
//! request is checked with it; nothing a client sends (no path, URL or rule text) reaches the
//! file system or the engine: uploads become named bytes ([`Inputs::bytes`]).
//!
//! The transport only: the page, the routes, the limits (body size, time, concurrency), bearer
//! tokens, security headers, the access log and the metrics, graceful shutdown. Rendering is
//! `parkcheck::report`'s, checking is the run's.
#![allow(clippy::print_stderr)]

mod page;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clap::ValueEnum;
use parkcheck::document::Limits;
use parkcheck::finding::Severity;
use parkcheck::report;
use parkcheck::run::{Inputs, Quiet, RulesSource, Run, RunConfig, RunOptions, RunReport, Verdict};
use parkcheck::text::{Lang, Text, visible_inline};
use sha2::{Digest, Sha256};

use crate::cli::{LookArgs, RulesArgs};

/// The arguments of `parkcheck serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    bind: SocketAddr,
    #[command(flatten)]
    rules: RulesArgs,
    /// Check structure only (the submission schema), without the rulebooks.
    #[arg(long)]
    no_rules: bool,
    /// Largest request body, in bytes (refused with 413 as it streams in).
    #[arg(long, default_value_t = Limits::default().max_file_size)]
    max_body: u64,
    /// Deepest nesting of lists and mappings accepted in an upload (at most 200).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=200))]
    max_depth: u16,
    /// Most nodes that YAML aliases may add by expansion.
    #[arg(long, default_value_t = Limits::default().max_alias_nodes)]
    max_alias_nodes: usize,
    /// Longest a request may take, body included, in seconds (a slower client is cut off with 408).
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,
    /// Checks at once [default: the number of cores].
    #[arg(long, value_name = "N")]
    concurrency: Option<usize>,
    /// Checks that may wait for a free slot; more are refused with 429.
    #[arg(long, default_value_t = 16, value_name = "N")]
    queue: usize,
    /// Bearer tokens, one `NAME TOKEN` (or `NAME:TOKEN`) a line; `#` starts a comment. When
    /// given, every route but /health needs `Authorization: Bearer TOKEN`.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// On SIGTERM/SIGINT, how long the requests in flight may take to finish, in seconds.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    shutdown_grace: u64,
}

/// A named bearer token, kept as its SHA-256 (compared in constant time).
#[derive(Debug)]
struct Token {
    name: String,
    digest: [u8; 32],
}

/// What every request handler shares.
#[derive(Debug)]
struct App {
    run: Run,
    tokens: Option<Vec<Token>>,
    timeout: Duration,
    /// Checks running now, and the most that may.
    running: Arc<tokio::sync::Semaphore>,
    /// Checks running or waiting, and the most of them.
    admitted: AtomicUsize,
    max_admitted: usize,
    shutting_down: AtomicBool,
    metrics: Metrics,
    default_lang: Lang,
}

/// The counters of `/metrics`.
#[derive(Debug, Default)]
struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    /// Check durations: the count per bucket (upper bounds in seconds: [`BUCKETS`]), the sum.
    durations: Mutex<([u64; BUCKETS.len()], u64, f64)>,
    files: AtomicUsize,
    findings: Mutex<BTreeMap<&'static str, u64>>,
    in_flight: AtomicUsize,
}

const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// An error answer: `{code, message: {zh, en}}`, with its status.
#[derive(Debug)]
struct Failure {
    status: StatusCode,
    code: &'static str,
    message: Text,
    /// The JSON report of a check none of whose inputs could be read (422).
    report: Option<serde_json::Value>,
}

impl Failure {
    fn new(status: StatusCode, code: &'static str, zh: &str, en: &str) -> Self {
        Self {
            status,
            code,
            message: Text::new(zh, en),
            report: None,
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({
            "code": self.code,
            "message": {"zh": self.message.render(Lang::Zh), "en": self.message.render(Lang::En)},
        });
        if let (Some(report), Some(map)) = (self.report, body.as_object_mut()) {
            map.insert("report".to_owned(), report);
        }
        let mut response = (self.status, json_body(&body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}

fn json_body(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads the token file: `NAME TOKEN` or `NAME:TOKEN` a line.
fn read_tokens(path: &std::path::Path) -> Result<Vec<Token>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "无法读取令牌文件 {0}：{e} / cannot read the token file {0}: {e}",
            path.display()
        )
    })?;
    let mut tokens = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, token)) = line
            .split_once(char::is_whitespace)
            .or_else(|| line.split_once(':'))
            .map(|(a, b)| (a.trim(), b.trim()))
            .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        else {
            return Err(format!(
                "令牌文件 {0} 第 {1} 行应为“名称 令牌” / the token file {0}, line {1}: expected `NAME TOKEN`",
                path.display(),
                n + 1
            ));
        };
        if token.len() < 16 {
            return Err(format!(
                "令牌文件 {0} 第 {1} 行：令牌至少 16 个字符 / the token file {0}, line {1}: a token needs at least 16 characters",
                path.display(),
                n + 1
            ));
        }
        tokens.push(Token {
            name: name.to_owned(),
            digest: Sha256::digest(token.as_bytes()).into(),
        });
    }
    if tokens.is_empty() {
        return Err(format!(
            "令牌文件 {0} 中没有令牌 / the token file {0} holds no token",
            path.display()
        ));
    }
    Ok(tokens)
}

/// The name of the token `presented` is, comparing digests in constant time (every token is
/// compared, every byte of each).
fn token_name<'a>(tokens: &'a [Token], presented: &str) -> Option<&'a str> {
    let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
    let mut found = None;
    for token in tokens {
        let diff = token
            .digest
            .iter()
            .zip(&digest)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff == 0 {
            found = Some(token.name.as_str());
        }
    }
    found
}

pub fn serve(args: &ServeArgs, look: &LookArgs) -> ExitCode {
    let tokens = match args.token_file.as_deref().map(read_tokens).transpose() {
        Ok(tokens) => tokens,
        Err(message) => {
            eprintln!("parkcheck: {message}");
            return ExitCode::from(crate::cli::EXIT_TROUBLE);
        }
    };
    let config = RunConfig {
        rules: if args.no_rules {
            RulesSource::None
        } else {
            args.rules.source()
        },
        profile: args.rules.profile.clone(),
        limits: Limits {
            max_file_size: args.max_body,
            max_depth: usize::from(args.max_depth),
            max_alias_nodes: args.max_alias_nodes,
        },
        options: RunOptions::default(),
        today: std::env::var("PARKCHECK_TODAY").ok(),
        figures: true,
        ..RunConfig::default()
    };
    let run = match Run::from_config(&config) {
        Ok(run) => run,
        Err(error) => return crate::cli::config_failed(&error, look),
    };
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let concurrency = args.concurrency.unwrap_or(cores).max(1);
    let default_lang = look
        .lang
        .or_else(|| run.engine().and_then(|e| e.profile().lang))
        .unwrap_or(Lang::Zh);
    let app = Arc::new(App {
        run,
        tokens,
        timeout: Duration::from_secs(args.timeout.max(1)),
        running: Arc::new(tokio::sync::Semaphore::new(concurrency)),
        admitted: AtomicUsize::new(0),
        max_admitted: concurrency + args.queue,
        shutting_down: AtomicBool::new(false),
        metrics: Metrics::default(),
        default_lang,
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.min(4))
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("parkcheck: 无法启动服务 / cannot start the service: {error}");
            return ExitCode::from(crate::cli::EXIT_TROUBLE);
        }
    };
    let max_body = usize::try_from(args.max_body).unwrap_or(usize::MAX);
    let grace = Duration::from_secs(args.shutdown_grace);
    runtime.block_on(listen(app, args.bind, max_body, grace))
}

/// Binds, serves until SIGTERM or SIGINT, then lets the requests in flight finish (for at most
/// `grace`) and returns.
async fn listen(app: Arc<App>, bind: SocketAddr, max_body: usize, grace: Duration) -> ExitCode {
    let listener = match tokio::net::TcpListener::bind(bind).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("parkcheck: 无法监听 {bind}：{error} / cannot listen on {bind}: {error}");
            return ExitCode::from(crate::cli::EXIT_TROUBLE);
        }
    };
    let local = listener.local_addr().map_or(bind, |a| a);
    eprintln!(
        "{}",
        serde_json::json!({
            "event": "listening",
            "url": format!("http://{local}/"),
            "rules": app.run.engine().map_or(0, |e| e.rules().rules().count()),
            "tokens": app.tokens.as_ref().map_or(0, Vec::len),
        })
    );
    let router = Router::new()
        .route("/", get(page_route))
        .route("/v1/check", post(check_route))
        .route("/v1/rules", get(rules_route))
        .route("/v1/rules/{id}", get(rule_route))
        .route("/v1/schema", get(schema_route))
        .route("/health", get(|| async { "ok\n" }))
        .route("/ready", get(ready_route))
        .route("/metrics", get(metrics_route))
        .fallback(|| async {
            Failure::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "没有此路径",
                "no such path",
            )
        })
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let signalled = {
        let app = app.clone();
        async move {
            shutdown_signal().await;
            app.shutting_down.store(true, Ordering::SeqCst);
            eprintln!("{}", serde_json::json!({"event": "shutting down"}));
            let _ = stop_tx.send(true);
        }
    };
    let server = axum::serve(listener, router).with_graceful_shutdown(signalled);
    let mut stop = stop_rx;
    let bounded = async move {
        let _ = stop.wait_for(|s| *s).await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        served = server => {
            if let Err(error) = served {
                eprintln!("parkcheck: {error}");
                return ExitCode::from(crate::cli::EXIT_TROUBLE);
            }
        }
        () = bounded => {
            eprintln!("{}", serde_json::json!({"event": "grace over", "in_flight": app.metrics.in_flight.load(Ordering::SeqCst)}));
        }
    }
    eprintln!("{}", serde_json::json!({"event": "stopped"}));
    ExitCode::SUCCESS
}

/// SIGTERM or SIGINT (Ctrl-C). `check`'s Ctrl-C handler (`ctrlc`) is not installed by
/// `serve`, so the two never compete for the signal.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The route's name in the metrics and the log: the pattern, not the path a client asked for.
fn route_of(path: &str) -> &'static str {
    match path {
        "/" => "/",
        "/v1/check" => "/v1/check",
        "/v1/rules" => "/v1/rules",
        "/v1/schema" => "/v1/schema",
        "/health" => "/health",
        "/ready" => "/ready",
        "/metrics" => "/metrics",
        p if p.starts_with("/v1/rules/") => "/v1/rules/{id}",
        _ => "other",
    }
}

/// Around every request: 503 while shutting down, the bearer token, the time limit, the
/// security headers, the metrics and the access log line.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_of(request.uri().path());
    let method = request.method().to_string();
    let bytes_in = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut who: Option<String> = None;
    app.metrics.in_flight.fetch_add(1, Ordering::SeqCst);
    let mut response = if app.shutting_down.load(Ordering::SeqCst) && route != "/health" {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "服务正在停止",
            "the service is shutting down",
        )
        .into_response()
    } else {
        match authorize(&app, route, request.headers()) {
            Err(failure) => failure.into_response(),
            Ok(name) => {
                who = name;
                match tokio::time::timeout(app.timeout, next.run(request)).await {
                    Ok(response) => response,
                    Err(_) => Failure::new(
                        StatusCode::REQUEST_TIMEOUT,
                        "timeout",
                        "请求超出时限",
                        "the request took longer than the time limit",
                    )
                    .into_response(),
                }
            }
        }
    };
    app.metrics.in_flight.fetch_sub(1, Ordering::SeqCst);
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    let status = response.status().as_u16();
    if let Ok(mut requests) = app.metrics.requests.lock() {
        *requests.entry((route, status)).or_default() += 1;
    }
    // The access log: no submission content, no token, only what the request was.
    eprintln!(
        "{}",
        serde_json::json!({
            "time": jiff::Timestamp::now().to_string(),
            "method": method,
            "route": route,
            "status": status,
            "ms": (started.elapsed().as_secs_f64() * 1e4).round() / 10.0,
            "bytes_in": bytes_in,
            "token": who,
            "verdict": response.headers().get("x-parkcheck-verdict").and_then(|v| v.to_str().ok()),
        })
    );
    response
}

fn authorize(app: &App, route: &str, headers: &HeaderMap) -> Result<Option<String>, Failure> {
    let Some(tokens) = &app.tokens else {
        return Ok(None);
    };
    if route == "/health" {
        return Ok(None);
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(presented) = presented else {
        return Err(unauthorized("缺少令牌", "a bearer token is needed"));
    };
    token_name(tokens, presented)
        .map(|name| Some(name.to_owned()))
        .ok_or_else(|| unauthorized("令牌无效", "the token is not valid"))
}

fn unauthorized(zh: &str, en: &str) -> Failure {
    Failure::new(StatusCode::UNAUTHORIZED, "unauthorized", zh, en)
}

/// The query of `POST /v1/check` (a multipart form's fields of the same names take precedence).
#[derive(Debug, Default, serde::Deserialize)]
struct CheckQuery {
    name: Option<String>,
    format: Option<String>,
    lang: Option<String>,
    as_of: Option<String>,
    fail_on: Option<String>,
}

/// The report formats of the service (those of `check` that are a document, not terminal text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Sarif,
    Junit,
    Html,
    Xlsx,
    Markdown,
}

/// The choices of one check, validated.
#[derive(Debug)]
struct Choices {
    format: Format,
    lang: Lang,
    options: RunOptions,
}

fn bad_request(zh: &str, en: &str) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, "bad_request", zh, en)
}

fn choices(app: &App, query: &CheckQuery) -> Result<Choices, Failure> {
    let format = match query.format.as_deref() {
        None | Some("") => Format::Json,
        Some(name) => Format::from_str(name, true).map_err(|_| {
            bad_request(
                &format!(
                    "未知格式“{}”（可用：json, sarif, junit, html, xlsx, markdown）",
                    visible_inline(name)
                ),
                &format!(
                    "unknown format `{}` (one of json, sarif, junit, html, xlsx, markdown)",
                    visible_inline(name)
                ),
            )
        })?,
    };
    let lang = match query.lang.as_deref() {
        None | Some("") => app.default_lang,
        Some(name) => Lang::from_str(name, true).map_err(|_| {
            bad_request(
                &format!("未知语言“{}”（可用：zh, en, both）", visible_inline(name)),
                &format!(
                    "unknown language `{}` (one of zh, en, both)",
                    visible_inline(name)
                ),
            )
        })?,
    };
    let as_of = match query.as_of.as_deref() {
        None | Some("") => None,
        Some(date) => {
            parkcheck::domain::dates::parse_date(date).map_err(|_| {
                bad_request(
                    &format!("as_of 应为日期 YYYY-MM-DD，而非“{}”", visible_inline(date)),
                    &format!(
                        "as_of should be a date YYYY-MM-DD, not `{}`",
                        visible_inline(date)
                    ),
                )
            })?;
            Some(date.to_owned())
        }
    };
    let fail_on = match query.fail_on.as_deref() {
        None | Some("") => Severity::Error,
        Some(name) => Severity::from_str(name, true).map_err(|_| {
            bad_request(
                &format!(
                    "未知严重程度“{}”（可用：info, warning, error）",
                    visible_inline(name)
                ),
                &format!(
                    "unknown severity `{}` (one of info, warning, error)",
                    visible_inline(name)
                ),
            )
        })?,
    };
    Ok(Choices {
        format,
        lang,
        options: RunOptions { as_of, fail_on },
    })
}

/// The last component of an uploaded file's name, without control characters: a label, never
/// a path (the bytes are checked in memory).
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "upload".to_owned()
    } else {
        cleaned
    }
}

/// The extension a body of this media type is read as, or `None` for a type the service does
/// not read.
fn extension_of(media: &str) -> Option<&'static str> {
    match media {
        "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => Some("yaml"),
        "application/json" | "text/json" => Some("json"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some("xlsx"),
        "application/vnd.oasis.opendocument.spreadsheet" => Some("ods"),
        // Named by `?name=`: its extension chooses the syntax.
        "application/octet-stream" | "text/plain" => Some(""),
        _ => None,
    }
}

/// A name for the body: `?name=` (its last component), with the media type's extension when
/// it has none.
fn body_name(name: Option<&str>, extension: &str) -> String {
    let name = clean_name(name.unwrap_or("upload"));
    if extension.is_empty() || name.contains('.') {
        name
    } else {
        format!("{name}.{extension}")
    }
}

/// Admits a check (429 when the running and waiting checks are at the limit); the guard lets
/// the place go when dropped.
struct Admitted<'a>(&'a AtomicUsize);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn admit(app: &App) -> Result<Admitted<'_>, Failure> {
    let before = app.admitted.fetch_add(1, Ordering::SeqCst);
    let admitted = Admitted(&app.admitted);
    if before >= app.max_admitted {
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "同时检查的请求过多，请稍后再试",
            "too many checks at once; try again shortly",
        ));
    }
    Ok(admitted)
}

async fn check_route(State(app): State<Arc<App>>, request: Request) -> Response {
    match check_request(app, request).await {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    }
}

fn too_large() -> Failure {
    Failure::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "请求体超出上限（--max-body）",
        "the request body is larger than the limit (--max-body)",
    )
}

async fn check_request(app: Arc<App>, request: Request) -> Result<Response, Failure> {
    let mut query: CheckQuery = match request.uri().query() {
        None => CheckQuery::default(),
        Some(q) => serde_urlencoded_query(q)?,
    };
    let media = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let _admitted = admit(&app)?;
    let mut inputs = Inputs::new();
    let mut files = 0usize;
    if media == "multipart/form-data" {
        let mut multipart = Multipart::from_request(request, &())
            .await
            .map_err(|_| bad_request("multipart 请求格式有误", "malformed multipart request"))?;
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(error) => return Err(multipart_failure(&error)),
            };
            let field_name = field.name().unwrap_or("").to_owned();
            let file_name = field.file_name().map(clean_name);
            let bytes = field
                .bytes()
                .await
                .map_err(|error| multipart_failure(&error))?;
            match file_name {
                Some(name) => {
                    // A browser sends an empty file part when no file was chosen.
                    if name == "upload" && bytes.is_empty() {
                        continue;
                    }
                    inputs = inputs.bytes(name, bytes.to_vec());
                    files += 1;
                }
                None => {
                    let value = String::from_utf8_lossy(&bytes).into_owned();
                    match field_name.as_str() {
                        "format" => query.format = Some(value),
                        "lang" => query.lang = Some(value),
                        "as_of" => query.as_of = Some(value),
                        "fail_on" => query.fail_on = Some(value),
                        _ => {}
                    }
                }
            }
        }
        if files == 0 {
            return Err(bad_request(
                "未选择文件：请上传至少一个申报文件",
                "no file: upload at least one submission",
            ));
        }
    } else {
        let Some(extension) = extension_of(&media) else {
            return Err(Failure::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "不支持的内容类型：请发送 YAML、JSON、工作簿或 multipart/form-data",
                "unsupported content type: send YAML, JSON, a workbook or multipart/form-data",
            ));
        };
        if declared.is_some_and(|n| n > app.run.limits().max_file_size) {
            return Err(too_large());
        }
        let bytes = Bytes::from_request(request, &())
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    bad_request("无法读取请求体", "the request body could not be read")
                }
            })?;
        inputs = inputs.bytes(body_name(query.name.as_deref(), extension), bytes.to_vec());
        files = 1;
    }
    let choices = choices(&app, &query)?;
    let permit = app.running.clone().acquire_owned().await.map_err(|_| {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "服务正在停止",
            "the service is shutting down",
        )
    })?;
    let started = Instant::now();
    let worker = app.clone();
    let options = choices.options.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        worker.run.check_with(inputs, &options, &Quiet)
    })
    .await
    .map_err(|_| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "检查未能完成",
            "the check did not complete",
        )
    })?;
    app.metrics.observe(&checked, files, started.elapsed());
    if checked.summary.files_unreadable >= files && checked.verdict() == Verdict::Unreadable {
        let report = report::json::render(&checked.files, &checked.summary, false);
        return Err(Failure {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "unreadable",
            message: Text::new("没有可读取的申报文件", "no input could be read"),
            report: serde_json::from_str(&report).ok(),
        });
    }
    Ok(render(&app, &checked, &choices))
}

fn serde_urlencoded_query(query: &str) -> Result<CheckQuery, Failure> {
    let uri: axum::http::Uri = format!("/?{query}")
        .parse()
        .map_err(|_| bad_request("查询参数有误", "malformed query"))?;
    axum::extract::Query::<CheckQuery>::try_from_uri(&uri)
        .map(|q| q.0)
        .map_err(|_| bad_request("查询参数有误", "malformed query"))
}

fn multipart_failure(error: &axum::extract::multipart::MultipartError) -> Failure {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        bad_request("multipart 请求格式有误", "malformed multipart request")
    }
}

impl Metrics {
    fn observe(&self, checked: &RunReport, files: usize, took: Duration) {
        self.files.fetch_add(files, Ordering::Relaxed);
        if let Ok(mut findings) = self.findings.lock() {
            *findings.entry("error").or_default() += checked.summary.errors as u64;
            *findings.entry("warning").or_default() += checked.summary.warnings as u64;
            *findings.entry("info").or_default() += checked.summary.infos as u64;
        }
        let seconds = took.as_secs_f64();
        if let Ok(mut durations) = self.durations.lock() {
            for (bucket, bound) in durations.0.iter_mut().zip(BUCKETS) {
                if seconds <= bound {
                    *bucket += 1;
                }
            }
            durations.1 += 1;
            durations.2 += seconds;
        }
    }
}

/// The report of a completed check in the format asked for; the verdict in a header too.
fn render(app: &App, checked: &RunReport, choices: &Choices) -> Response {
    let run = &app.run;
    let (reports, summary) = (&checked.files, &checked.summary);
    let lang = choices.lang;
    let (content_type, body): (&str, Vec<u8>) = match choices.format {
        Format::Json => (
            "application/json",
            report::json::render(reports, summary, false).into_bytes(),
        ),
        Format::Sarif => (
            "application/sarif+json",
            report::sarif::render(reports, summary, run.engine(), lang).into_bytes(),
        ),
        Format::Junit => (
            "application/xml",
            report::junit::render(reports, summary, run.engine(), lang).into_bytes(),
        ),
        Format::Markdown => (
            "text/markdown; charset=utf-8",
            report::markdown::render(reports, summary, lang).into_bytes(),
        ),
        Format::Html => {
            let facts = run.facts(&choices.options);
            let scores = run
                .engine()
                .and_then(|engine| parkcheck::score::score(reports, engine).ok());
            (
                "text/html; charset=utf-8",
                report::html::render(&report::html::Page {
                    reports,
                    summary,
                    facts: &facts,
                    engine: run.engine(),
                    lang,
                    show_passed: false,
                    scores: scores.as_ref(),
                    evaluation: false,
                })
                .into_bytes(),
            )
        }
        Format::Xlsx => {
            let facts = run.facts(&choices.options);
            let book = report::xlsx::Book {
                reports,
                summary,
                facts: &facts,
                engine: run.engine(),
                lang,
            };
            match report::xlsx::render(&book) {
                Ok(bytes) => (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    bytes,
                ),
                Err(error) => {
                    return Failure::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        &format!("无法生成工作簿：{error}"),
                        &format!("cannot make the workbook: {error}"),
                    )
                    .into_response();
                }
            }
        }
    };
    let verdict = match checked.verdict() {
        Verdict::Passed => "passed",
        Verdict::Failed => "failed",
        Verdict::Unreadable => "unreadable",
    };
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert("x-parkcheck-verdict", HeaderValue::from_static(verdict));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if choices.format == Format::Html {
        if let Ok(csp) = HeaderValue::from_str(&report::html::csp()) {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
    }
    if choices.format == Format::Xlsx {
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"parkcheck-report.xlsx\""),
        );
    }
    response
}

async fn page_route(State(app): State<Arc<App>>, request: Request) -> Response {
    let lang = request
        .uri()
        .query()
        .and_then(|q| serde_urlencoded_query(q).ok())
        .and_then(|q| q.lang)
        .and_then(|l| Lang::from_str(&l, true).ok())
        .unwrap_or(Lang::Zh);
    let mut response = Response::new(Body::from(page::render(lang, app.run.engine().is_some())));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(csp) = HeaderValue::from_str(&page::csp()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

fn json_response(text: String) -> Response {
    let mut response = Response::new(Body::from(text));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn no_rules() -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "no_rules",
        "本服务只检查结构（--no-rules），未加载规则",
        "this service checks structure only (--no-rules): no rules are loaded",
    )
}

async fn rules_route(State(app): State<Arc<App>>) -> Response {
    match app.run.engine() {
        Some(engine) => json_response(parkcheck::explain::list_json(engine)),
        None => no_rules().into_response(),
    }
}

async fn rule_route(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let Some(engine) = app.run.engine() else {
        return no_rules().into_response();
    };
    let id = match parkcheck::explain::resolve_id(engine, &id) {
        Ok(id) => id,
        Err(near) => {
            let shown = visible_inline(&id).into_owned();
            let mut failure = Failure::new(
                StatusCode::NOT_FOUND,
                "unknown_rule",
                &format!("没有规则“{shown}”"),
                &format!("no rule `{shown}`"),
            );
            if !near.is_empty() {
                let list = near.join(", ");
                failure.message = Text::new(
                    format!("没有规则“{shown}”；是否指 {list}？"),
                    format!("no rule `{shown}`; did you mean {list}?"),
                );
            }
            return failure.into_response();
        }
    };
    let listed: serde_json::Value =
        serde_json::from_str(&parkcheck::explain::list_json(engine)).unwrap_or_default();
    let entry = listed
        .as_array()
        .and_then(|all| all.iter().find(|e| e["id"] == id.as_str()))
        .cloned()
        .unwrap_or_else(|| serde_json::json!({"id": id}));
    let text = |lang| {
        parkcheck::explain::explain(engine, &id, lang)
            .or_else(|| parkcheck::explain::explain_catalogue(&id, lang))
            .or_else(|| parkcheck::explain::explain_other(&id, lang))
    };
    let mut body = entry;
    if let Some(map) = body.as_object_mut() {
        map.insert(
            "explain".to_owned(),
            serde_json::json!({"zh": text(Lang::Zh), "en": text(Lang::En)}),
        );
    }
    json_response(json_body(&body))
}

async fn schema_route() -> Response {
    let mut response = Response::new(Body::from(parkcheck::schema::SUBMISSION_SCHEMA));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/schema+json"),
    );
    response
}

async fn ready_route(State(app): State<Arc<App>>) -> Response {
    let rules = app.run.engine().map_or(0, |e| e.rules().rules().count());
    json_response(json_body(&serde_json::json!({
        "ready": true,
        "rules": rules,
        "rulebooks": app.run.facts(app.run.options()).rulebooks.iter()
            .map(|b| serde_json::json!({"id": b.id, "version": b.version}))
            .collect::<Vec<_>>(),
    })))
}

async fn metrics_route(State(app): State<Arc<App>>) -> Response {
    let m = &app.metrics;
    let mut out = String::new();
    out.push_str("# HELP parkcheck_requests_total Requests answered, by route and status.\n");
    out.push_str("# TYPE parkcheck_requests_total counter\n");
    if let Ok(requests) = m.requests.lock() {
        for ((route, status), n) in requests.iter() {
            let _ = writeln!(
                out,
                "parkcheck_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
    }
    out.push_str("# HELP parkcheck_check_duration_seconds Time to check a request's files.\n");
    out.push_str("# TYPE parkcheck_check_duration_seconds histogram\n");
    if let Ok(d) = m.durations.lock() {
        for (bound, n) in BUCKETS.iter().zip(d.0) {
            let _ = writeln!(
                out,
                "parkcheck_check_duration_seconds_bucket{{le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "parkcheck_check_duration_seconds_bucket{{le=\"+Inf\"}} {}",
            d.1
        );
        let _ = writeln!(out, "parkcheck_check_duration_seconds_sum {}", d.2);
        let _ = writeln!(out, "parkcheck_check_duration_seconds_count {}", d.1);
    }
    out.push_str("# HELP parkcheck_files_total Files checked.\n");
    out.push_str("# TYPE parkcheck_files_total counter\n");
    let _ = writeln!(
        out,
        "parkcheck_files_total {}",
        m.files.load(Ordering::Relaxed)
    );
    out.push_str("# HELP parkcheck_findings_total Counted findings, by severity.\n");
    out.push_str("# TYPE parkcheck_findings_total counter\n");
    if let Ok(findings) = m.findings.lock() {
        for severity in ["error", "warning", "info"] {
            let _ = writeln!(
                out,
                "parkcheck_findings_total{{severity=\"{severity}\"}} {}",
                findings.get(severity).copied().unwrap_or(0)
            );
        }
    }
    out.push_str("# HELP parkcheck_in_flight Requests being answered.\n");
    out.push_str("# TYPE parkcheck_in_flight gauge\n");
    let _ = writeln!(
        out,
        "parkcheck_in_flight {}",
        m.in_flight.load(Ordering::SeqCst)
    );
    let mut response = Response::new(Body::from(out));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}
