//! `roadmap schema KIND` and the committed JSON Schemas: the command prints
//! the files in `schemas/`, and a real validator (PyPI's
//! `check-jsonschema`) accepts every bundled YAML file and every file
//! `roadmap init` writes against the schema its first line names, and
//! refuses what `roadmap validate` refuses. `.ci/run` installs the
//! validator; without it these tests fail under CI=true and are skipped,
//! saying so, elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::init::tree;
use crate::{example, roadmap, root, run, seed};

const KINDS: [&str; 6] = ["roadmap", "tracks", "kpis", "alerts", "risks", "tests"];

#[test]
fn schema_prints_the_committed_file() {
    for kind in KINDS {
        let (code, out, err) = run(roadmap(&seed()).args(["schema", kind]));
        assert_eq!(code, 0, "{err}");
        let committed =
            std::fs::read_to_string(root().join(format!("schemas/{kind}.schema.json"))).unwrap();
        assert_eq!(
            out, committed,
            "`roadmap schema {kind}` differs from the file"
        );
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            parsed["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
    // One schema per kind, and no stray file.
    let mut files: Vec<String> = std::fs::read_dir(root().join("schemas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut wanted: Vec<String> = KINDS.iter().map(|k| format!("{k}.schema.json")).collect();
    wanted.sort();
    assert_eq!(files, wanted);
}

#[test]
fn schema_needs_no_plan_and_names_the_kinds() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_roadmap"));
    cmd.current_dir(tmp.path()).env_remove("ROADMAP_DIR");
    let (code, out, _) = run(cmd.args(["schema", "kpis"]));
    assert_eq!(code, 0);
    assert!(out.contains("\"title\": \"kpis.yaml\""));
    let (code, _, err) = run(roadmap(&seed()).args(["schema", "kpi"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("[possible values: roadmap, tracks, kpis, alerts, risks, tests]"),
        "{err}"
    );
}

/// The validator, if installed. Under CI it must be: a missing one fails
/// the test rather than skipping it.
fn validator() -> Option<&'static str> {
    let found = Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("check-jsonschema");
    }
    let why = "check-jsonschema is not installed";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{why}; .ci/run installs it (pip install check-jsonschema)");
    }
    eprintln!("skipped: {why}; `pip install check-jsonschema` installs it");
    None
}

/// The schema a YAML file names on its first line, resolved from its
/// folder.
fn named_schema(file: &Path) -> PathBuf {
    let text = std::fs::read_to_string(file).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let rel = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("{} names no schema: {first}", file.display()));
    let schema = file.parent().unwrap().join(rel);
    assert!(
        schema.is_file(),
        "{}: {} does not exist",
        file.display(),
        schema.display()
    );
    schema
}

/// The kind a file of a roadmap folder is, by where it sits.
fn kind_of(dir: &Path, file: &Path) -> &'static str {
    let rel = file.strip_prefix(dir).unwrap();
    if rel.starts_with("tests") {
        return "tests";
    }
    match rel.to_str().unwrap() {
        "roadmap.yaml" => "roadmap",
        "kpis.yaml" => "kpis",
        "alerts.yaml" => "alerts",
        "risks.yaml" => "risks",
        _ => "tracks",
    }
}

/// Check every YAML file of the plans in `dirs` against the schema its
/// first line names, which must be the schema of its kind. The validator
/// starts slowly, so it runs once per kind, on that kind's files of every
/// plan, and the runs go side by side.
fn check_plans(tool: &str, dirs: &[PathBuf]) {
    let mut by_kind: std::collections::BTreeMap<&str, Vec<PathBuf>> = Default::default();
    for dir in dirs {
        for (rel, _) in tree(dir) {
            if rel.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let file = dir.join(&rel);
            let schema = named_schema(&file);
            let kind = kind_of(dir, &file);
            assert_eq!(
                schema.file_name().unwrap().to_str().unwrap(),
                format!("{kind}.schema.json"),
                "{} names the wrong schema",
                file.display()
            );
            // The copy named is the committed schema, so checking against
            // the committed file checks against the copy.
            assert_eq!(
                std::fs::read(&schema).unwrap(),
                std::fs::read(root().join("schemas").join(schema.file_name().unwrap())).unwrap(),
                "{}",
                schema.display()
            );
            by_kind.entry(kind).or_default().push(file);
        }
    }
    assert_eq!(by_kind.len(), KINDS.len(), "every kind of file is checked");
    let runs: Vec<_> = by_kind
        .iter()
        .map(|(kind, files)| {
            let schema = root().join(format!("schemas/{kind}.schema.json"));
            let child = Command::new(tool)
                .arg("--schemafile")
                .arg(&schema)
                .args(files)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("check-jsonschema starts");
            (kind, files.len(), child)
        })
        .collect();
    for (kind, count, child) in runs {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "the {kind} schema rejects one of {count} files:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn bundled_files_follow_their_schemas() {
    let Some(tool) = validator() else { return };
    check_plans(tool, &[seed(), example()]);
}

#[test]
fn files_written_by_init_follow_their_schemas() {
    let Some(tool) = validator() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut dirs = Vec::new();
    for template in ["blank", "bakery", "ai-products"] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_roadmap"));
        cmd.current_dir(tmp.path()).env_remove("ROADMAP_DIR");
        let (code, _, err) = run(cmd.args([
            "init",
            template,
            "--template",
            template,
            "--as-of",
            "2026-08-15",
        ]));
        assert_eq!(code, 0, "{err}");
        dirs.push(tmp.path().join(template));
    }
    check_plans(tool, &dirs);
}

/// Mistakes in the bakery's files that both the schemas and the loader
/// refuse: the schemas check what `roadmap validate` checks, as far as a
/// schema can.
#[test]
fn what_validate_refuses_the_schemas_refuse() {
    let Some(tool) = validator() else { return };
    let cases = [
        (
            "kpis.yaml",
            "unit: usd",
            "unti: usd",
            "did you mean `unit`?",
        ),
        (
            "kpis.yaml",
            "better: lower ",
            "better: lowest ",
            "did you mean `lower`?",
        ),
        (
            "kpis.yaml",
            r#"target: "< 8%""#,
            r#"target: "=< 8%""#,
            "not a comparison",
        ),
        (
            "roadmap.yaml",
            "    months: 1-3",
            "    months: 3-a",
            "not a month window",
        ),
        (
            "roadmap.yaml",
            "done: 2026-03-20",
            "done: 2026-3-20",
            "is not a date",
        ),
        (
            "roadmap.yaml",
            "- id: find ",
            "- id: Find ",
            "is not a valid phase id",
        ),
        (
            "alerts.yaml",
            "severity: critical ",
            "severity: critcal ",
            "did you mean `critical`?",
        ),
        (
            "roadmap.yaml",
            "after: [shop-lease]",
            "after: [Shop-Lease]",
            "is not a valid item id",
        ),
        (
            "roadmap.yaml",
            "due: 2026-07-04",
            "due: 2026-7-04",
            "is not a date",
        ),
        (
            "alerts.yaml",
            "notify: ${ROADMAP_WEBHOOK_URL}",
            "notify: hooks.example.com/${ROADMAP_WEBHOOK_URL}",
            "is not an http:// or https:// URL",
        ),
        (
            "alerts.yaml",
            "notify: ${ROADMAP_WEBHOOK_URL}",
            "notify: ${ROADMAP WEBHOOK}",
            "is not a variable name",
        ),
        (
            "alerts.yaml",
            "notify: ${ROADMAP_WEBHOOK_URL}",
            "run: scripts/promo.sh --weeks 1",
            "`run` should be a list",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let mut by_schema: std::collections::BTreeMap<&str, Vec<(PathBuf, &str)>> = Default::default();
    for (n, (file, from, to, message)) in cases.into_iter().enumerate() {
        let dir = tmp.path().join(format!("case-{n}"));
        crate::copy_dir(&example(), &dir);
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let (code, out, err) = run(roadmap(&dir).args(["validate", "--as-of", "2026-07-01"]));
        assert_eq!(code, 2, "validate accepts `{to}` in {file}:\n{out}{err}");
        assert!(err.contains(message), "`{to}` in {file}:\n{err}");
        by_schema
            .entry(file.trim_end_matches(".yaml"))
            .or_default()
            .push((path, to));
    }
    // One run per schema: each file must be named in what it rejects.
    for (kind, files) in by_schema {
        let schema = root().join(format!("schemas/{kind}.schema.json"));
        let (code, out, err) = run(Command::new(tool)
            .arg("--schemafile")
            .arg(&schema)
            .args(files.iter().map(|(p, _)| p)));
        assert_ne!(code, 0, "{out}{err}");
        for (path, to) in &files {
            assert!(
                out.contains(&format!("{}::", path.display())),
                "the {kind} schema accepts `{to}`:\n{out}{err}"
            );
        }
    }
}
