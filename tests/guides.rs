//! Every command the Chinese guides show is run, and its output held against what the guide
//! prints (issue 19): a guide cannot drift from the tool.
//!
//! In `docs/*指南.md`, a ```` ```console ```` block holds commands (`$ parkcheck …`) each followed
//! by its output. An output line `...` stands for any lines, `[..]` inside a line for any text;
//! other lines must match in order, without a line between them. The exit code of the block's
//! commands is 0 unless an HTML comment `<!-- exit: N -->` stands on the line before the block.
//! Commands run in a temporary directory where `fixtures/` and `rules/` are the repository's, so
//! the files a command writes land there, at 80 columns, without colour.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use common::root;

/// A command of a guide with what it must print.
#[derive(Debug)]
struct Example {
    guide: String,
    line: usize,
    args: Vec<String>,
    exit: i32,
    expected: Vec<String>,
}

fn examples(guide: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(guide).unwrap();
    let name = guide.file_name().unwrap().to_string_lossy().into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "```console" {
            i += 1;
            continue;
        }
        let exit = i
            .checked_sub(1)
            .and_then(|p| lines[p].trim().strip_prefix("<!-- exit:"))
            .and_then(|rest| rest.trim_end_matches("-->").trim().parse().ok())
            .unwrap_or(0);
        i += 1;
        let mut current: Option<Example> = None;
        while i < lines.len() && lines[i].trim() != "```" {
            if let Some(command) = lines[i].strip_prefix("$ ") {
                out.extend(current.take());
                let args = words(command);
                assert_eq!(
                    args.first().map(String::as_str),
                    Some("parkcheck"),
                    "{name}:{}: a guide shows parkcheck's commands only: {command}",
                    i + 1
                );
                current = Some(Example {
                    guide: name.clone(),
                    line: i + 1,
                    args: args[1..].to_vec(),
                    exit,
                    expected: Vec::new(),
                });
            } else if let Some(example) = current.as_mut() {
                example.expected.push(lines[i].trim_end().to_owned());
            }
            i += 1;
        }
        out.extend(current.take());
        i += 1;
    }
    out
}

/// A command line split into words as a shell would, for the quoting guides use.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        out.push(word);
    }
    out
}

/// A line of the guide against a line of output: `[..]` is any text.
fn line_matches(expected: &str, actual: &str) -> bool {
    let mut parts = expected.split("[..]");
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (n, part) in parts.iter().enumerate() {
        if n + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// The expected lines against the output: `...` skips any lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, tail)| line_matches(first, line) && matches(rest, tail)),
    }
}

#[cfg(unix)]
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["fixtures", "rules"] {
        std::os::unix::fs::symlink(root().join(name), dir.path().join(name)).unwrap();
    }
    dir
}

#[cfg(unix)]
#[test]
fn every_command_of_the_guides_prints_what_they_show() {
    let mut guides: Vec<_> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("指南.md"))
        .collect();
    guides.sort();
    assert!(!guides.is_empty(), "no guide in docs/");
    let mut failures = Vec::new();
    let mut count = 0;
    for guide in &guides {
        let dir = workspace();
        for example in examples(guide) {
            count += 1;
            let output = assert_cmd::cargo::cargo_bin_cmd!("parkcheck")
                .current_dir(dir.path())
                .env("COLUMNS", "80")
                .env("NO_COLOR", "1")
                .args(&example.args)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            let actual: Vec<&str> = stdout.lines().map(str::trim_end).collect();
            let code = output.status.code().unwrap_or(-1);
            if code != example.exit || !matches(&example.expected, &actual) {
                failures.push(format!(
                    "{}:{}: parkcheck {}\n  exit {code} (the guide says {})\n--- the guide shows\n{}\n--- parkcheck printed\n{stdout}{stderr}",
                    example.guide,
                    example.line,
                    example.args.join(" "),
                    example.exit,
                    example.expected.join("\n"),
                ));
            }
        }
    }
    assert!(count > 0, "the guides show no command");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_matcher_matches_what_it_should() {
    let lines = |s: &[&str]| s.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    assert!(matches(&lines(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(!matches(&lines(&["a", "d"]), &["a", "b", "d"]));
    assert!(matches(&lines(&["检查 [..] 个文件"]), &["检查 3 个文件"]));
    assert!(!matches(&lines(&["检查 [..] 个文件"]), &["检查 3 个园区"]));
    assert!(matches(&lines(&["..."]), &[]));
    assert_eq!(
        words("parkcheck check 'a b' x"),
        ["parkcheck", "check", "a b", "x"]
    );
}
