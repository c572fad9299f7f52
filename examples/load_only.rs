//! Loading alone, on one thread: the submissions under the given paths are read into memory
//! first, then decoded and loaded into the spanned tree (`parkcheck::document::load_bytes`, the
//! loader of a check, in the syntax each file's name calls for), several rounds, and the
//! throughput printed in MB/s of input. For JSON files the same bytes also go through
//! `serde_json` for reference: validating only (`IgnoredAny`, a floor) and building its own
//! tree without spans (`serde_json::Value`).
//!
//! ```sh
//! cargo run --release --example load_only -- [--rounds N] [--tree-only] DIR...
//! ```
//!
//! `scripts/bench.sh` runs it on the YAML, JSON and minified JSON forms of the corpus.

// A developer tool, not the library: it prints and exits with a status.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use parkcheck::document::{Limits, Syntax, load_bytes};
use parkcheck::run::Input;

// The checker's allocator (src/main.rs): the tree is many small allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// Runs `f` over every file `rounds` times; the median and the minimum of the rounds.
fn measure(
    rounds: usize,
    files: &[(String, Vec<u8>)],
    mut f: impl FnMut(&str, &[u8]) -> bool,
) -> Result<(Duration, Duration), String> {
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        for (name, bytes) in files {
            if !f(name, bytes) {
                return Err(format!("{name} did not load"));
            }
        }
        times.push(started.elapsed());
    }
    let min = times.iter().min().copied().unwrap_or_default();
    Ok((median(times), min))
}

fn line(what: &str, bytes: usize, (median, min): (Duration, Duration)) {
    let mb_s = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9);
    println!(
        "  {what:<24} median {:8.1} ms  {:7.1} MB/s   (fastest round {:.1} ms, {:.1} MB/s)",
        median.as_secs_f64() * 1e3,
        mb_s(median),
        min.as_secs_f64() * 1e3,
        mb_s(min)
    );
}

fn main() -> ExitCode {
    let mut rounds = 5;
    let mut tree_only = false;
    let mut roots = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--tree-only" {
            tree_only = true;
        } else if arg == "--rounds" {
            match args.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => rounds = n,
                _ => {
                    eprintln!("load_only: --rounds needs a positive number");
                    return ExitCode::from(2);
                }
            }
        } else {
            roots.push(PathBuf::from(arg));
        }
    }
    if roots.is_empty() {
        eprintln!("usage: load_only [--rounds N] [--tree-only] DIR...");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for input in roots.iter().flat_map(|r| parkcheck::run::walk::inputs(r)) {
        if let Ok(Input::Path(path)) = input {
            match std::fs::read(&path) {
                Ok(bytes) => files.push((path.display().to_string(), bytes)),
                Err(e) => {
                    eprintln!("load_only: {}: {e}", path.display());
                    return ExitCode::from(1);
                }
            }
        }
    }
    let json: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|(name, _)| Syntax::of_name(name) == Syntax::Json)
        .cloned()
        .collect();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    let json_bytes: usize = json.iter().map(|(_, b)| b.len()).sum();
    println!(
        "load_only: {} files ({} JSON), {total} bytes, {rounds} rounds, one thread",
        files.len(),
        json.len()
    );
    let limits = Limits::default();
    let tree = measure(rounds, &files, |name, bytes| {
        // `load_bytes` takes the bytes (the check reads each file into its own buffer); the
        // copy is part of what is measured, as the read is part of a check.
        load_bytes(name, bytes.to_vec(), Syntax::of_name(name), &limits).is_ok()
    });
    match tree {
        Ok(t) => line("parkcheck spanned tree", total, t),
        Err(e) => {
            eprintln!("load_only: {e}");
            return ExitCode::from(1);
        }
    }
    if !json.is_empty() && !tree_only {
        let floor = measure(rounds, &json, |_, bytes| {
            serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
        });
        let value = measure(rounds, &json, |_, bytes| {
            serde_json::from_slice::<serde_json::Value>(bytes).is_ok()
        });
        for (what, result) in [
            ("serde_json IgnoredAny", floor),
            ("serde_json Value", value),
        ] {
            match result {
                Ok(t) => line(what, json_bytes, t),
                Err(e) => eprintln!("load_only: {what}: {e}"),
            }
        }
    }
    ExitCode::SUCCESS
}
