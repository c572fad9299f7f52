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
