//! The crate comparison of README.md ("JSON is read as JSON"): parkcheck's tree shape (a value,
//! a byte span on every node and key, keys inline, duplicates refused) built with `jiter` on the
//! files of a corpus, on one thread, beside `serde_json` validating the same bytes. Not part of
//! parkcheck and not built by its tests; compare with `examples/load_only.rs` on the same corpus:
//!
//! ```sh
//! cargo run --release --manifest-path benches/json-candidates/Cargo.toml -- target/bench-corpus-200x150-form-json
//! target/release/examples/load_only --tree-only target/bench-corpus-200x150-form-json
//! ```
//!
//! Each round copies every file's bytes and checks them as UTF-8 first, as `load_bytes` does.
use compact_str::CompactString;
use jiter::{Jiter, Peek};
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(dead_code)]
#[derive(Debug)]
enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}
#[allow(dead_code)]
#[derive(Debug)]
struct Node {
    value: Value,
    start: usize,
    end: usize,
}
#[allow(dead_code)]
#[derive(Debug)]
struct Entry {
    key: CompactString,
    kstart: usize,
    kend: usize,
    value: Node,
}

enum F {
    Seq(Vec<Node>, usize),
    Map(Vec<Entry>, usize, CompactString, usize, usize),
}

/// Key span from the index after `:` (jiter gives no key position): back over whitespace and `:`,
/// to the closing quote, then back to the opening one.
fn key_span(b: &[u8], after: usize) -> (usize, usize) {
    let mut i = after;
    while i > 0 && matches!(b[i - 1], b' ' | b'\n' | b'\r' | b'\t' | b':') {
        i -= 1;
    }
    let end = i;
    let mut j = end - 1;
    loop {
        j -= 1;
        if b[j] == b'"' {
            let mut k = j;
            let mut n = 0;
            while k > 0 && b[k - 1] == b'\\' {
                k -= 1;
                n += 1;
            }
            if n % 2 == 0 {
                return (j, end);
            }
        }
    }
}

fn build(b: &[u8]) -> Result<Node, String> {
    let mut j = Jiter::new(b);
    let mut stack: Vec<F> = Vec::new();
    let mut peek = j.peek().map_err(|e| format!("{e:?}"))?;
    'value: loop {
        let start = j.current_index();
        let mut node = match peek {
            Peek::Array => match j.known_array().map_err(|e| format!("{e:?}"))? {
                None => Node {
                    value: Value::Seq(vec![]),
                    start,
                    end: j.current_index(),
                },
                Some(p) => {
                    stack.push(F::Seq(Vec::new(), start));
                    peek = p;
                    continue 'value;
                }
            },
            Peek::Object => match j.known_object().map_err(|e| format!("{e:?}"))? {
                None => Node {
                    value: Value::Map(vec![]),
                    start,
                    end: j.current_index(),
                },
                Some(k) => {
                    let k = CompactString::from(k);
                    let (ks, ke) = key_span(b, j.current_index());
                    stack.push(F::Map(Vec::new(), start, k, ks, ke));
                    peek = j.peek().map_err(|e| format!("{e:?}"))?;
                    continue 'value;
                }
            },
            Peek::String => {
                let s = j.known_str().map_err(|e| format!("{e:?}"))?.to_owned();
                Node {
                    value: Value::Str(s),
                    start,
                    end: j.current_index(),
                }
            }
            Peek::True | Peek::False => {
                let v = j.known_bool(peek).map_err(|e| format!("{e:?}"))?;
                Node {
                    value: Value::Bool(v),
                    start,
                    end: j.current_index(),
                }
            }
            Peek::Null => {
                j.known_null().map_err(|e| format!("{e:?}"))?;
                Node {
                    value: Value::Null,
                    start,
                    end: j.current_index(),
                }
            }
            p => {
                let raw = j.known_number_bytes(p).map_err(|e| format!("{e:?}"))?;
                let raw = std::str::from_utf8(raw).unwrap_or("");
                let value = match raw.parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    Err(_) => Value::Float(raw.parse().unwrap_or(f64::NAN)),
                };
                Node {
                    value,
                    start,
                    end: j.current_index(),
                }
            }
        };
        loop {
            match stack.last_mut() {
                None => {
                    j.finish().map_err(|e| format!("{e:?}"))?;
                    return Ok(node);
                }
                Some(F::Seq(items, s)) => {
                    items.push(node);
                    match j.array_step().map_err(|e| format!("{e:?}"))? {
                        Some(p) => {
                            peek = p;
                            continue 'value;
                        }
                        None => {
                            let s = *s;
                            let Some(F::Seq(items, _)) = stack.pop() else {
                                unreachable!()
                            };
                            node = Node {
                                value: Value::Seq(items),
                                start: s,
                                end: j.current_index(),
                            };
                        }
                    }
                }
                Some(F::Map(entries, s, key, ks, ke)) => {
                    entries.push(Entry {
                        key: std::mem::take(key),
                        kstart: *ks,
                        kend: *ke,
                        value: node,
                    });
                    match j.next_key().map_err(|e| format!("{e:?}"))? {
                        Some(k) => {
                            // duplicate check, as parkcheck does
                            if entries.iter().any(|e| e.key == k) {
                                return Err("dup".into());
                            }
                            *key = CompactString::from(k);
                            let (a, bb) = key_span(b, j.current_index());
                            *ks = a;
                            *ke = bb;
                            peek = j.peek().map_err(|e| format!("{e:?}"))?;
                            continue 'value;
                        }
                        None => {
                            let s = *s;
                            let Some(F::Map(entries, ..)) = stack.pop() else {
                                unreachable!()
                            };
                            node = Node {
                                value: Value::Map(entries),
                                start: s,
                                end: j.current_index(),
                            };
                        }
                    }
                }
            }
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("dir");
    let mut files = Vec::new();
    for county in std::fs::read_dir(format!("{dir}/parks")).unwrap() {
        for f in std::fs::read_dir(county.unwrap().path()).unwrap() {
            files.push(std::fs::read(f.unwrap().path()).unwrap());
        }
    }
    let total: usize = files.iter().map(Vec::len).sum();
    for (what, f) in [
        ("jiter -> spanned tree (+from_utf8, copy)", 0),
        ("serde_json IgnoredAny", 1),
    ] {
        let mut times = Vec::new();
        for _ in 0..7 {
            let t = Instant::now();
            for b in &files {
                if f == 0 {
                    let owned = b.clone();
                    let text = String::from_utf8(owned).unwrap();
                    let n = build(text.as_bytes()).unwrap();
                    std::hint::black_box(n);
                } else {
                    serde_json::from_slice::<serde::de::IgnoredAny>(b).unwrap();
                }
            }
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{what:45} median {:.1} ms {:.1} MB/s",
            times[3] * 1e3,
            total as f64 / 1e6 / times[3]
        );
    }
}
