//! The layers of `ARCHITECTURE.md`, held against the code: every `crate::x` path in a library
//! module and every `parkcheck::x` path in a front end must be one the document allows, the
//! allowed edges must not make a cycle, and every module of `src/lib.rs` must be in the table.
//! (The model: rust-analyzer's tidy tests, which read its `ARCHITECTURE.md` the same way.)

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::root;

/// module → the modules it may import, from the tables of `ARCHITECTURE.md`: each row whose
/// first cell is a `module` in backquotes; its last cell lists what it may import.
fn allowed(doc: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut table = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
        let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
            continue;
        };
        let first = first.trim();
        let Some(name) = first.strip_prefix('`').and_then(|s| s.strip_suffix('`')) else {
            continue;
        };
        if cells.len() < 3 || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            continue;
        }
        let may: BTreeSet<String> = last
            .split(',')
            .map(|s| s.trim().trim_matches('`').to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        assert!(
            table.insert(name.to_owned(), may).is_none(),
            "ARCHITECTURE.md lists `{name}` twice"
        );
    }
    table
}

/// The code of a file without its comments (a path named in a comment is not an import).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules `text` names after `prefix` (`crate::`, `parkcheck::`), with the line of each,
/// including those inside a braced import (`use crate::{a::X, b}`).
fn references(text: &str, prefix: &str) -> Vec<(String, usize)> {
    let code = code(text);
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(i) = rest.find(prefix) {
            let after = &rest[i + prefix.len()..];
            if let Some(group) = after.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or_default();
                for item in inner.split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != "self" {
                        found.push((name, n + 1));
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push((name, n + 1));
                }
            }
            rest = after;
        }
    }
    found
}

/// A braced multi-line import (`use crate::{\n a::X,\n b,\n};`) is joined onto one line first.
fn joined_imports(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open = false;
    for line in code(text).lines() {
        if open {
            out.push_str(line.trim());
            if line.contains('}') {
                open = false;
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
        if (line.contains("crate::{") || line.contains("parkcheck::{")) && !line.contains('}') {
            open = true;
        } else {
            out.push('\n');
        }
    }
    out
}

/// Which module a source file belongs to (`src/run/check.rs` → `run`), and whether it is a
/// front end (the binary's modules, which name the library as `parkcheck::`).
fn module_of(relative: &Path) -> Option<(String, bool)> {
    let mut parts = relative.components();
    let first = parts.next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    match name {
        "lib" => None,
        "main" | "cli" => Some(("cli".to_owned(), true)),
        "serve" => Some(("serve".to_owned(), true)),
        _ => Some((name.to_owned(), false)),
    }
}

/// Every edge of `files` (path relative to `src/`, text) the table does not allow, as
/// `file:line: a -> b`.
fn violations(
    files: &[(String, String)],
    table: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, text) in files {
        let Some((module, front_end)) = module_of(Path::new(path)) else {
            continue;
        };
        let Some(may) = table.get(&module) else {
            problems.push(format!(
                "{path}: module `{module}` is not in ARCHITECTURE.md"
            ));
            continue;
        };
        let prefix = if front_end { "parkcheck::" } else { "crate::" };
        for (target, line) in references(&joined_imports(text), prefix) {
            if target != module && !may.contains(&target) {
                problems.push(format!("src/{path}:{line}: {module} -> {target}"));
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// A cycle among the allowed edges, if there is one.
fn cycle(table: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        table: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(2) => return None,
            Some(1) => {
                let from = path.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = path[from..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(node.to_owned(), 1);
        path.push(node.to_owned());
        for next in table.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, table, state, path) {
                return Some(cycle);
            }
        }
        path.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    table
        .keys()
        .find_map(|node| visit(node, table, &mut state, &mut Vec::new()))
}

fn sources() -> Vec<(String, String)> {
    let src = root().join("src");
    let mut files = Vec::new();
    let mut todo = vec![src.clone()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(&src).unwrap().display().to_string();
                files.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn table() -> BTreeMap<String, BTreeSet<String>> {
    allowed(&std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap())
}

#[test]
fn the_code_follows_the_layers_of_architecture_md() {
    let problems = violations(&sources(), &table());
    assert!(
        problems.is_empty(),
        "imports that ARCHITECTURE.md does not allow (move the code, or change the document \
         and say why):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_layers_have_no_cycle() {
    let table = table();
    assert!(
        table.len() > 10,
        "the tables of ARCHITECTURE.md were not read"
    );
    if let Some(cycle) = cycle(&table) {
        panic!("ARCHITECTURE.md allows a cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn every_module_is_in_the_table() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let modules: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect();
    let table = table();
    for module in &modules {
        assert!(
            table.contains_key(module),
            "`{module}` is not in ARCHITECTURE.md"
        );
    }
    // The front ends are the binary's modules (src/main.rs), not the library's.
    let main = std::fs::read_to_string(root().join("src/main.rs")).unwrap();
    let front_ends: BTreeSet<String> = main
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect();
    for listed in table.keys().filter(|m| !front_ends.contains(*m)) {
        assert!(
            modules.contains(listed),
            "ARCHITECTURE.md lists `{listed}`, which src/lib.rs lacks"
        );
    }
}

/// The checker itself: a back edge, in a plain or a braced import or a path in the code, is
/// found; the same words in a comment are not.
#[test]
fn a_back_edge_is_reported() {
    let table = table();
    let files = vec![
        (
            "document/load.rs".to_owned(),
            "use crate::engine::Engine;\n".to_owned(),
        ),
        (
            "finding/mod.rs".to_owned(),
            "use crate::{\n    source::Span,\n    run::Run,\n};\n".to_owned(),
        ),
        (
            "expr/fast.rs".to_owned(),
            "fn f() { crate::engine::x(); }\n".to_owned(),
        ),
        (
            "schema.rs".to_owned(),
            "// crate::run is only named here\n".to_owned(),
        ),
        (
            "cli/check.rs".to_owned(),
            "use parkcheck::xdoc::check;\n".to_owned(),
        ),
    ];
    assert_eq!(
        violations(&files, &table),
        [
            "src/cli/check.rs:1: cli -> xdoc",
            "src/document/load.rs:1: document -> engine",
            "src/expr/fast.rs:1: expr -> engine",
            "src/finding/mod.rs:1: finding -> run",
        ]
    );
    let mut cyclic = table.clone();
    cyclic
        .get_mut("document")
        .unwrap()
        .insert("engine".to_owned());
    assert!(cycle(&cyclic).is_some());
}
