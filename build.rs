//! Embeds the examples `parkcheck explain` shows — for each rule id, its first passing and its
//! first failing fixture (`fixtures/rules/<ID>/pass.yaml` and `fail.yaml` first) — so that the
//! binary explains a rule from any directory, without a checkout.
#![allow(clippy::print_stdout, clippy::expect_used, clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The first file of `dir` whose name starts with `prefix` (`pass.yaml` / `fail.yaml` first),
/// as ruletest orders them, else a directory of that name (the cross-document fixtures, whose
/// name only is embedded).
fn first(dir: &Path, prefix: &str) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.starts_with(prefix)
                        && [".yaml", ".yml", ".json"].iter().any(|e| n.ends_with(e))
                })
        })
        .collect();
    files.sort_by_key(|p| {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        (name != format!("{prefix}.yaml"), name)
    });
    files
        .into_iter()
        .next()
        .or_else(|| Some(dir.join(prefix)).filter(|d| d.is_dir()))
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let fixtures = root.join("fixtures/rules");
    println!("cargo:rerun-if-changed=fixtures/rules");
    let mut ids: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    let mut out = String::from(
        "/// `(rule id, file name as in the repository, failing, text)` of each example (a directory\n\
         /// of several submissions has no text).\n\
         pub static EXAMPLES: &[(&str, &str, bool, &str)] = &[\n",
    );
    for dir in ids {
        let id = dir.file_name().unwrap().to_string_lossy().into_owned();
        for (prefix, failing) in [("fail", true), ("pass", false)] {
            if let Some(path) = first(&dir, prefix) {
                let name = path.strip_prefix(&root).unwrap().display().to_string();
                let text = if path.is_dir() {
                    "\"\"".to_owned()
                } else {
                    format!("include_str!({:?})", path.display().to_string())
                };
                let _ = writeln!(out, "    ({id:?}, {name:?}, {failing}, {text}),");
            }
        }
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("examples.rs");
    std::fs::write(dest, out).expect("write the embedded examples");
}
