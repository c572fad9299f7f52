//! The counters of `/metrics` (Prometheus text).

use super::*;

/// The counters of `/metrics`.
#[derive(Debug, Default)]
pub(super) struct Metrics {
    pub(super) requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    /// Check durations: the count per bucket (upper bounds in seconds: [`BUCKETS`]), the sum.
    pub(super) durations: Mutex<([u64; BUCKETS.len()], u64, f64)>,
    pub(super) files: AtomicUsize,
    pub(super) findings: Mutex<BTreeMap<&'static str, u64>>,
    pub(super) in_flight: AtomicUsize,
}

pub(super) const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

impl Metrics {
    pub(super) fn observe(&self, checked: &RunReport, files: usize, took: Duration) {
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

pub(super) async fn metrics_route(State(app): State<Arc<App>>) -> Response {
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
