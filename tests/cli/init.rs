//! `roadmap init`: a starter plan that validates, written all or nothing,
//! never over an existing plan, and templates that are the repository's
//! own example plans byte for byte (apart from the line naming the JSON
//! Schema, which points into the new plan's `.schemas/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use insta_cmd::assert_cmd_snapshot;

use crate::{example, roadmap_in, run, seed};

/// Every file under `dir` (relative path -> bytes), subfolders included.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Every folder under `dir`, for "nothing was left behind".
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(folders(&path));
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn a_blank_plan_in_the_default_folder() {
    let tmp = tempfile::tempdir().unwrap();
    assert_cmd_snapshot!(roadmap_in(tmp.path()).args(["init", "--as-of", "2026-08-15"]));
    // Found from here by itself, as the output says.
    let (code, out, err) = run(roadmap_in(tmp.path()).args(["validate", "--as-of", "2026-08-15"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("roadmap is valid: 1 item in 1 track and 1 phase,"));
    let plan = std::fs::read_to_string(tmp.path().join("roadmap/roadmap.yaml")).unwrap();
    // A new plan starts this month.
    assert!(plan.contains("\nstart: 2026-08-01 "), "{plan}");
    let kpis = std::fs::read_to_string(tmp.path().join("roadmap/kpis.yaml")).unwrap();
    assert!(kpis.contains(r#"target: ">= 100""#), "{kpis}");
    let (code, out, err) = run(roadmap_in(tmp.path()).args(["status", "--as-of", "2026-08-15"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("month 1 of 12"), "{out}");
}

#[test]
fn another_folder_is_named_in_the_next_commands() {
    let tmp = tempfile::tempdir().unwrap();
    assert_cmd_snapshot!(roadmap_in(tmp.path()).args([
        "init",
        "plans/q3",
        "--template",
        "bakery",
        "--as-of",
        "2026-08-15"
    ]));
    let (code, _, err) = run(roadmap_in(tmp.path()).args([
        "--dir",
        "plans/q3",
        "validate",
        "--as-of",
        "2026-08-15",
    ]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn every_template_validates_and_its_rule_tests_pass() {
    for template in ["blank", "bakery", "ai-products"] {
        let tmp = tempfile::tempdir().unwrap();
        let (code, _, err) = run(roadmap_in(tmp.path()).args([
            "init",
            "plan",
            "--template",
            template,
            "--as-of",
            "2026-08-15",
        ]));
        assert_eq!(code, 0, "{template}: {err}");
        let dir = tmp.path().join("plan");
        for (path, bytes) in tree(&dir) {
            if path.extension().is_some_and(|e| e == "yaml") {
                let text = String::from_utf8(bytes).unwrap();
                assert!(
                    text.starts_with("# yaml-language-server: $schema="),
                    "{template}: {} does not name its schema",
                    path.display()
                );
            }
        }
        let (code, out, err) = run(roadmap_in(&dir).args(["validate", "--as-of", "2026-08-15"]));
        assert_eq!(code, 0, "{template}: {out}{err}");
        if template == "ai-products" {
            let (code, out, err) = run(roadmap_in(&dir).args(["test", "--as-of", "2026-08-15"]));
            assert_eq!(code, 0, "{out}{err}");
        }
    }
}

/// The embedded templates cannot drift from the repository's plans: every
/// file of `examples/bakery/` and `roadmap/` (its `tests/` included) is
/// written, and nothing else, each byte for byte but for its first line,
/// which names the same schema in the new plan's `.schemas/`.
#[test]
fn bundled_templates_are_the_repository_plans_byte_for_byte() {
    for (template, source) in [("bakery", example()), ("ai-products", seed())] {
        let tmp = tempfile::tempdir().unwrap();
        let (code, _, err) = run(roadmap_in(tmp.path()).args([
            "init",
            "plan",
            "--template",
            template,
            "--as-of",
            "2026-08-15",
        ]));
        assert_eq!(code, 0, "{err}");
        let mut written = tree(&tmp.path().join("plan"));
        written.retain(|p, _| !p.starts_with(".schemas"));
        let repo = tree(&source);
        assert_eq!(
            written.keys().collect::<Vec<_>>(),
            repo.keys().collect::<Vec<_>>(),
            "{template}: the template's files are not {}'s",
            source.display()
        );
        for (path, new) in &written {
            let (new, old) = (
                String::from_utf8(new.clone()).unwrap(),
                String::from_utf8(repo[path].clone()).unwrap(),
            );
            let (new_first, new_rest) = new.split_once('\n').unwrap();
            let (old_first, old_rest) = old.split_once('\n').unwrap();
            assert_eq!(new_rest, old_rest, "{template}: {} drifted", path.display());
            let schema = old_first.rsplit('/').next().unwrap();
            let up = "../".repeat(path.components().count() - 1);
            assert_eq!(
                new_first,
                format!("# yaml-language-server: $schema={up}.schemas/{schema}"),
                "{template}: {}",
                path.display()
            );
        }
    }
}

#[test]
fn the_schemas_written_are_the_committed_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = run(roadmap_in(tmp.path()).args(["init", "--as-of", "2026-08-15"]));
    assert_eq!(code, 0, "{err}");
    let written = tree(&tmp.path().join("roadmap/.schemas"));
    let committed = tree(&crate::root().join("schemas"));
    assert_eq!(written, committed);
}

#[test]
fn an_existing_plan_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plan");
    // A plan of another shape, a lone KPI file, a lone schema copy: each
    // is refused and left exactly as it was.
    for (file, text) in [
        ("roadmap.yaml", "name: Mine\n"),
        ("kpis.yaml", "metrics: []\n"),
        (".schemas/kpis.schema.json", "{}\n"),
    ] {
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let before = (tree(&dir), folders(&dir));
        let (code, out, err) = run(roadmap_in(tmp.path()).args([
            "init",
            "plan",
            "--template",
            "ai-products",
            "--as-of",
            "2026-08-15",
        ]));
        assert_eq!(code, 2, "{file}: {out}{err}");
        assert_eq!(out, "");
        assert!(
            err.starts_with(&format!("error: plan already holds a plan ({file}")),
            "{err}"
        );
        assert!(err.contains("nothing was changed"), "{err}");
        assert_eq!((tree(&dir), folders(&dir)), before, "{file}");
    }
}

#[test]
fn refusal_says_what_is_there() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("roadmap")).unwrap();
    std::fs::write(tmp.path().join("roadmap/roadmap.yaml"), "name: Mine\n").unwrap();
    std::fs::write(tmp.path().join("roadmap/kpis.yaml"), "metrics: []\n").unwrap();
    assert_cmd_snapshot!(roadmap_in(tmp.path()).args(["init", "--as-of", "2026-08-15"]));
}

#[test]
fn a_folder_without_a_plan_is_used_and_its_files_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plan");
    std::fs::create_dir(&dir).unwrap();
    // Empty: fine.
    let (code, _, err) =
        run(roadmap_in(tmp.path()).args(["init", "plan", "--as-of", "2026-08-15"]));
    assert_eq!(code, 0, "{err}");
    // Holding other files: fine too, and they stay.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.md"), "# Notes\n").unwrap();
    let (code, _, err) =
        run(roadmap_in(tmp.path()).args(["init", "other", "--as-of", "2026-08-15"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(other.join("notes.md")).unwrap(),
        "# Notes\n"
    );
    assert!(other.join("roadmap.yaml").is_file());
}

#[test]
fn a_failed_init_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plan");
    std::fs::create_dir(&dir).unwrap();
    // `.schemas` is a file, so the schemas cannot be written; `tests/` was
    // made by then, and must go again.
    std::fs::write(dir.join(".schemas"), "not a folder\n").unwrap();
    let before = (tree(&dir), folders(&dir));
    let (code, out, err) = run(roadmap_in(tmp.path()).args([
        "init",
        "plan",
        "--template",
        "ai-products",
        "--as-of",
        "2026-08-15",
    ]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!((tree(&dir), folders(&dir)), before);
}

#[test]
fn init_needs_no_plan_and_takes_one_folder() {
    let tmp = tempfile::tempdir().unwrap();
    // ROADMAP_DIR names the usual plan; a folder given wins over it.
    let (code, out, err) = run(roadmap_in(tmp.path())
        .env("ROADMAP_DIR", "elsewhere")
        .args(["init", "mine", "--as-of", "2026-08-15"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Wrote a blank plan to mine/:"), "{out}");
    assert!(!tmp.path().join("elsewhere").exists());
    // Two folders on the command line are a mistake.
    let (code, _, err) = run(roadmap_in(tmp.path()).args(["--dir", "a", "init", "b"]));
    assert_eq!(code, 2);
    assert!(err.contains("two folders given: b and --dir a"), "{err}");
    assert!(!tmp.path().join("a").exists() && !tmp.path().join("b").exists());
}
