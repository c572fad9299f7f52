//! The floor of a check: read every submission under the given paths and run saphyr-parser's
//! event loop over it, on all cores, building nothing.
//!
//! ```sh
//! cargo run --release --example parse_only -- DIR...
//! ```
//!
//! `parkcheck check` is compared with this (`scripts/bench.sh` prints the ratio): the same file
//! list (`parkcheck::walk`), the same reading and UTF-8 decoding (`parkcheck::document::decode`),
//! the same parser, the same thread pool (rayon) and the same allocator, so that what is left
//! between the two is what the checker adds — the tree, the schema and the rules.
//! It prints one line: files, bytes, events and the wall time.

// A developer tool, not the library: it prints and exits with a status.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use parkcheck::run::Input;
use rayon::prelude::*;
use saphyr_parser::Parser;

// The checker's allocator (src/main.rs): the parser allocates too, and the comparison should
// not flatter either side.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Bytes and events of one file, or why it could not be parsed.
fn parse(path: &PathBuf) -> Result<(usize, usize), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let size = bytes.len();
    let text = parkcheck::document::decode(bytes)
        .map_err(|(e, _)| format!("{}: {}", path.display(), e.message().en))?;
    let mut parser = Parser::new_from_str(&text);
    let mut events = 0;
    while let Some(event) = parser.next_event() {
        event.map_err(|e| format!("{}: {e}", path.display()))?;
        events += 1;
    }
    Ok((size, events))
}

fn main() -> ExitCode {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        eprintln!("usage: parse_only DIR...");
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let files: Vec<PathBuf> = roots
        .iter()
        .flat_map(|root| parkcheck::run::walk::inputs(root))
        .filter_map(|input| match input {
            Ok(Input::Path(path)) => Some(path),
            _ => None,
        })
        .collect();
    let results: Vec<Result<(usize, usize), String>> = files.par_iter().map(parse).collect();
    let wall = started.elapsed();
    let (mut bytes, mut events, mut failed) = (0, 0, 0);
    for result in results {
        match result {
            Ok((b, e)) => {
                bytes += b;
                events += e;
            }
            Err(message) => {
                eprintln!("parse_only: {message}");
                failed += 1;
            }
        }
    }
    println!(
        "parse_only: {} files, {bytes} bytes, {events} events, wall {:.1} ms on {} threads",
        files.len(),
        wall.as_secs_f64() * 1e3,
        rayon::current_num_threads()
    );
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
