//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The crate root, where the tests run the binary so that paths in reports stay relative.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `parkcheck` run from the crate root, without colour, at a fixed width.
pub fn parkcheck() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("parkcheck");
    cmd.current_dir(root())
        .env("COLUMNS", "80")
        .env_remove("NO_COLOR");
    cmd
}

/// Runs `check --format json --no-rules` (structure only) on `paths` and returns the exit code
/// and the parsed report.
pub fn check_json(paths: &[&str]) -> (i32, serde_json::Value) {
    let output = parkcheck()
        .arg("check")
        .arg("--format")
        .arg("json")
        .arg("--no-rules")
        .args(paths)
        .output()
        .unwrap();
    let code = output
        .status
        .code()
        .expect("exited with a code, not a signal");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (code, report)
}

/// The files of a fixture directory, sorted.
pub fn fixture_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    files.sort();
    files
}

/// The rules engine of the bundled rulebooks with the bundled default profile.
pub fn bundled_engine() -> parkcheck::engine::Engine {
    let files = parkcheck::rulebook::BUNDLED
        .iter()
        .map(|(n, t)| ((*n).to_owned(), t.as_bytes().to_vec()))
        .collect();
    let rules = parkcheck::rulebook::load_rulebooks(files, &parkcheck::document::Limits::default())
        .unwrap_or_else(|r| panic!("{r:#?}"));
    parkcheck::engine::Engine::new(
        rules,
        parkcheck::profile::Profile::bundled_default().unwrap(),
    )
    .unwrap()
}

/// A Python that can import openpyxl (the independent reader of the workbook tests):
/// `PARKCHECK_PYTHON`, the CI venv, or `python3`. With `CI` set and none found, the test fails:
/// the workbook tests must run there (`.ci/run` makes `target/ci-venv` from
/// `.ci/requirements.txt`); elsewhere it says plainly that they did not run.
pub fn openpyxl_python(what: &str) -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("PARKCHECK_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            root().join("target/ci-venv/bin/python"),
            PathBuf::from("python3"),
        ])
        .collect();
    for python in candidates {
        let ok = std::process::Command::new(&python)
            .args(["-c", "import openpyxl"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(python);
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "no Python with openpyxl and CI is set: the {what} tests must run (.ci/run makes target/ci-venv from .ci/requirements.txt)"
    );
    #[allow(clippy::print_stderr)]
    {
        eprintln!(
            "{what} tests NOT RUN: no Python with openpyxl (python3 -m venv target/ci-venv && target/ci-venv/bin/pip install -r .ci/requirements.txt)"
        );
    }
    None
}

/// What the openpyxl script `script` (under `tests/`) prints as JSON for the workbook `file`:
/// the independent reading of a workbook parkcheck wrote.
pub fn openpyxl_read(python: &Path, script: &str, file: &Path) -> serde_json::Value {
    let output = std::process::Command::new(python)
        .arg(root().join("tests").join(script))
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "openpyxl could not read {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The sheet `name` of a workbook as the openpyxl scripts print it.
pub fn sheet<'a>(book: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}
