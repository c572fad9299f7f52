//! `POST /v1/check`: the query, the body (one file or multipart), admission, the run, the response.

use super::*;
use parkcheck::report::Format;

/// The query of `POST /v1/check` (a multipart form's fields of the same names take precedence).
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct CheckQuery {
    pub(super) name: Option<String>,
    pub(super) format: Option<String>,
    pub(super) lang: Option<String>,
    pub(super) as_of: Option<String>,
    pub(super) fail_on: Option<String>,
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
        Some(name) => Format::from_name(name)
            .filter(|f| Format::DOCUMENTS.contains(f))
            .ok_or_else(|| {
                let names = Format::names(&Format::DOCUMENTS);
                bad_request(
                    &format!("未知格式“{}”（可用：{names}）", visible_inline(name)),
                    &format!("unknown format `{}` (one of {names})", visible_inline(name)),
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

pub(super) async fn check_route(State(app): State<Arc<App>>, request: Request) -> Response {
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

pub(super) fn serde_urlencoded_query(query: &str) -> Result<CheckQuery, Failure> {
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

/// The report of a completed check in the format asked for; the verdict in a header too.
fn render(app: &App, checked: &RunReport, choices: &Choices) -> Response {
    let look = report::Look {
        lang: choices.lang,
        show_passed: false,
        color: false,
        width: 100,
    };
    let format = choices.format;
    let body = match report::render(format, &app.run, checked, &choices.options, look) {
        Ok(body) => body,
        Err(error) => {
            return Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                &format!("无法生成工作簿：{error}"),
                &format!("cannot make the workbook: {error}"),
            )
            .into_response();
        }
    };
    let verdict = match checked.verdict() {
        Verdict::Passed => "passed",
        Verdict::Failed => "failed",
        Verdict::Unreadable => "unreadable",
    };
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert("x-parkcheck-verdict", HeaderValue::from_static(verdict));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if format == Format::Html {
        if let Ok(csp) = HeaderValue::from_str(&report::html::csp()) {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
    }
    if format == Format::Xlsx {
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"parkcheck-report.xlsx\""),
        );
    }
    response
}
