//! `parkcheck serve`: the checker as an HTTP service. One [`Run`] is built at start from the
//! same rule options as `check` (the schema, the rulebooks, the profile, the limits) and every
//! request is checked with it; nothing a client sends (no path, URL or rule text) reaches the
//! file system or the engine: uploads become named bytes ([`Inputs::bytes`]).
//!
//! The transport only: the page, the routes, the limits (body size, time, concurrency), bearer
//! tokens, security headers, the access log and the metrics, graceful shutdown. Rendering is
//! `parkcheck::report`'s, checking is the run's.
#![allow(clippy::print_stderr)]

mod check;
mod metrics;
mod page;
mod tokens;

use check::{check_route, serde_urlencoded_query};
use metrics::{Metrics, metrics_route};
use tokens::{Token, authorize, read_tokens};

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
use parkcheck::run::{Inputs, Quiet, Run, RunConfig, RunOptions, RunReport, Verdict};
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

pub fn serve(args: &ServeArgs, look: &LookArgs) -> ExitCode {
    let tokens = match args.token_file.as_deref().map(read_tokens).transpose() {
        Ok(tokens) => tokens,
        Err(message) => {
            eprintln!("parkcheck: {message}");
            return ExitCode::from(crate::cli::EXIT_TROUBLE);
        }
    };
    let limits = Limits {
        max_file_size: args.max_body,
        max_depth: usize::from(args.max_depth),
        max_alias_nodes: args.max_alias_nodes,
    };
    let config = RunConfig {
        figures: true,
        ..args.rules.run_config(args.no_rules, limits)
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
