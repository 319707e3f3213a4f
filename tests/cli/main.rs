//! CLI tests: one integration binary driving the real `roadmap` binary
//! (just's layout), a module per capability, fixtures under
//! `tests/fixtures/`. Every run passes `--as-of`, so nothing depends on
//! today's date.

mod act;
mod add;
mod alerts;
mod annotations;
mod browser;
mod complete;
mod crash;
mod dashboard;
mod diff;
mod edit;
mod examples;
mod faults;
mod forecast;
mod gates;
mod hostile;
mod ingest;
mod init;
mod items;
mod man;
mod markdown;
mod meaning;
mod merge;
mod next;
mod output;
mod portfolio;
mod properties;
mod readme;
mod report;
mod risks;
mod schema;
mod seed;
mod status;
mod timeline;
mod update;
mod validate;
mod width;
mod work;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The bundled seed roadmap.
pub fn seed() -> PathBuf {
    root().join("roadmap")
}

/// The small example roadmap shipped in `examples/`.
pub fn example() -> PathBuf {
    root().join("examples/bakery")
}

/// `roadmap` run from the repository root (so paths in messages are
/// relative and stable), with no colour and a fixed width.
pub fn roadmap(dir: &Path) -> Command {
    let mut cmd = roadmap_in(&root());
    cmd.env("COLUMNS", "100")
        .arg("--dir")
        .arg(dir.strip_prefix(root()).unwrap_or(dir));
    cmd
}

/// `roadmap` run in `cwd`, 80 columns wide, with nothing from the
/// environment that would change what it reads or prints: no roadmap
/// folder or date, no GitHub Actions, colour as on a pipe.
pub fn roadmap_in(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_roadmap"));
    cmd.current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("ROADMAP_DIR")
        .env_remove("ROADMAP_AS_OF")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("COLUMNS", "80");
    cmd
}

/// Under CI a missing outside component (a linter, a parser) is a
/// failure; elsewhere the test says why it is skipped.
pub fn missing(what: &str, install: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} is not installed: CI must install it ({install})");
    }
    eprintln!("skipped: {what} is not installed ({install})");
}

/// Run and return (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("the roadmap binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// Parse stdout as JSON, failing the test with stderr if it is not.
pub fn json(cmd: &mut Command) -> serde_json::Value {
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "stderr: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// A copy of the folder `src` (with its subfolders) in a temporary folder,
/// for a test that writes.
pub fn copy_of(src: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    copy_dir(src, tmp.path());
    tmp
}

/// Copy the folder `from` into `to`, subfolders included.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder is created");
    for entry in std::fs::read_dir(from).expect("the folder is readable") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a file is copied");
        }
    }
}

/// Mark every item of `phase` done on `on` through the real commands, and
/// return how many there were.
pub fn done_phase(dir: &Path, phase: &str, on: &str) -> usize {
    let items =
        json(roadmap(dir).args(["items", "--phase", phase, "--format", "json", "--as-of", on]));
    let ids: Vec<&str> = items["items"]
        .as_array()
        .expect("items is an array")
        .iter()
        .map(|r| r["id"].as_str().expect("an id"))
        .collect();
    let (code, _, err) = run(roadmap(dir)
        .args(["done", "--on", on, "--as-of", on])
        .args(&ids));
    assert_eq!(code, 0, "{err}");
    ids.len()
}
