//! `roadmap validate`: one fixture per kind of error, each with its exact
//! message at `file:line:col`; every problem of a roadmap in one run.

use std::fs;

use insta_cmd::assert_cmd_snapshot;

use crate::{example, fixture, json, roadmap, run, seed};

/// Every kind of error the loader reports, each with a fixture folder under
/// `tests/fixtures/invalid/`. Adding a kind means adding it here.
const KINDS: &[&str] = &[
    "after-cycle",
    "after-unknown",
    "alert-syntax",
    "alert-unit-mismatch",
    "alert-unknown-action",
    "alert-unknown-metric",
    "bad-choice",
    "bad-date",
    "bad-months",
    "bad-start",
    "bad-target",
    "bad-window",
    "due-outside-window",
    "duplicate-id",
    "duplicate-yaml-key",
    "include-missing",
    "invalid-id",
    "item-fields",
    "many",
    "min-baseline-without-change",
    "missing-area",
    "missing-key",
    "no-roadmap-file",
    "not-utf8",
    "owner-not-in-people",
    "period-outside-phases",
    "phase-overlap",
    "risk-unknown-link",
    "unit-mismatch",
    "unknown-key",
    "unknown-metric",
    "unknown-phase",
    "unknown-unit",
    "unquoted-target",
    "warn-band-backwards",
    "window-outside-plan",
    "window-too-long",
    "wrong-type",
    "yaml-syntax",
];

#[test]
fn every_fixture_is_listed() {
    let mut found: Vec<String> = fs::read_dir(fixture("invalid"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    found.sort();
    assert_eq!(found, KINDS);
}

#[test]
fn each_error_kind_has_its_exact_message() {
    for kind in KINDS {
        let dir = fixture(&format!("invalid/{kind}"));
        let (code, out, err) = run(roadmap(&dir).arg("validate"));
        assert_eq!(code, 2, "{kind}: exit code");
        assert_eq!(out, "", "{kind}: nothing on stdout");
        // Every diagnostic starts `file:line:col: ` (a missing roadmap.yaml
        // has no line to point at).
        let prefix = format!("tests/fixtures/invalid/{kind}/");
        let heads: Vec<&str> = err.lines().filter(|l| l.starts_with(&prefix)).collect();
        assert!(!heads.is_empty(), "{kind}: no diagnostic in {err}");
        for head in heads {
            let (location, _) = head.split_once(": ").unwrap();
            let parts: Vec<&str> = location.rsplitn(3, ':').collect();
            if *kind != "no-roadmap-file" {
                assert!(
                    parts.len() == 3
                        && parts[0].parse::<u32>().is_ok()
                        && parts[1].parse::<u32>().is_ok(),
                    "{kind}: `{head}` does not start with file:line:col"
                );
            }
        }
        insta::assert_snapshot!(format!("invalid_{kind}"), err);
    }
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let (code, _, err) = run(roadmap(&fixture("invalid/many")).arg("validate"));
    assert_eq!(code, 2);
    assert!(err.ends_with("error: 6 problems found\n"), "{err}");
    // A misspelt key is one problem with its fix, not also a missing key.
    assert!(err.contains("unknown key `titel` in an item"));
    assert!(!err.contains("missing `title`"), "{err}");
    // Problems in three files, in file order.
    for file in ["alerts.yaml", "kpis.yaml", "roadmap.yaml"] {
        assert!(
            err.contains(&format!("invalid/many/{file}:")),
            "{file} missing"
        );
    }
}

#[test]
fn other_commands_refuse_an_invalid_roadmap_too() {
    let (code, out, err) =
        run(roadmap(&fixture("invalid/unknown-metric")).args(["status", "--as-of", "2026-01-01"]));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("unknown metric `cca`"), "{err}");
}

#[test]
fn valid_roadmaps_say_what_they_hold() {
    assert_cmd_snapshot!(roadmap(&seed()).arg("validate"));
    assert_cmd_snapshot!(roadmap(&example()).arg("validate"));
}

#[test]
fn json_lists_diagnostics_for_programs() {
    let (code, out, err) =
        run(roadmap(&fixture("invalid/many")).args(["validate", "--format", "json"]));
    assert_eq!((code, err.as_str()), (2, ""));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], false);
    let d = v["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 6);
    assert_eq!(d[0]["file"], "tests/fixtures/invalid/many/alerts.yaml");
    assert_eq!(d[0]["line"], 5);
    assert_eq!(d[0]["column"], 11);
    assert_eq!(d[0]["message"], "unknown metric `revenue`");
    let ok = json(roadmap(&seed()).args(["validate", "--format", "json"]));
    assert_eq!(ok["ok"], true);
    assert_eq!(ok["counts"]["items"], 192);
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let (code, _, err) = run(roadmap(&fixture("no-such-folder")).arg("validate"));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("tests/fixtures/no-such-folder: no such folder\n  hint: pass the folder"),
        "{err}"
    );
}

#[test]
fn the_roadmap_folder_is_found_from_below() {
    // From a folder inside the repository, `roadmap/` is found upward.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .current_dir(crate::root().join("tests/fixtures"))
        .env_remove("ROADMAP_DIR")
        .arg("validate")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("192 items"));
}

#[test]
fn a_10_mb_roadmap_loads_and_an_alias_bomb_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "name: Big\nstart: 2026-01-01\nmonths: 24\nphases:\n  - id: p1\n    name: One\n    months: 1-24\n\
         tracks:\n  - id: t\n    name: T\n    periods:\n      - months: 1-24\n        name: All\n        items:\n",
    );
    let mut n = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "          - id: item-{n}\n            area: Area {}\n            title: Item {n}, with a title as long as a real one, ñandú\n",
            n % 17
        ));
        n += 1;
    }
    std::fs::write(tmp.path().join("roadmap.yaml"), &text).unwrap();
    let v = json(roadmap(tmp.path()).args(["validate", "--format", "json"]));
    assert_eq!(v["counts"]["items"].as_u64(), Some(n as u64));

    // Nine levels of nine aliases: a billion nodes from a few hundred bytes.
    let mut bomb = String::from(
        "name: Bomb\nstart: 2026-01-01\nmonths: 1\nx0: &x0 [a, a, a, a, a, a, a, a, a]\n",
    );
    for i in 1..9 {
        let p = i - 1;
        bomb.push_str(&format!(
            "x{i}: &x{i} [*x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}]\n"
        ));
    }
    std::fs::write(tmp.path().join("roadmap.yaml"), &bomb).unwrap();
    let (code, _, err) = run(roadmap(tmp.path()).arg("validate"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("roadmap.yaml:") && err.contains("invalid YAML"),
        "{err}"
    );
}

#[test]
fn validate_reads_the_history_and_the_rule_tests_too() {
    let tmp = crate::copy_of(&seed());
    std::fs::write(
        tmp.path().join("tests/broken.yaml"),
        "tests:\n  - name: x\n    as_of: 2026-03-14\n    done: {phases: [f9], items: [f1-lgal]}\n    expect: {check: ok}\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("metrics.csv"),
        "date,metric,value\n2026-03-01,cca,140\n",
    )
    .unwrap();
    let (code, _, err) = run(roadmap(tmp.path()).arg("validate"));
    assert_eq!(code, 2);
    // The history is read first and its problem stops there.
    assert!(err.contains("metrics.csv:2: unknown metric `cca`"), "{err}");
    std::fs::remove_file(tmp.path().join("metrics.csv")).unwrap();
    let (code, _, err) = run(roadmap(tmp.path()).arg("validate"));
    assert_eq!(code, 2);
    // Both unknown ids of the `done` list, in one run.
    assert!(err.contains("unknown phase `f9`"), "{err}");
    assert!(err.contains("unknown item `f1-lgal`"), "{err}");
}

#[test]
fn a_file_that_does_not_parse_is_one_error_not_a_cascade() {
    // Before, one syntax error in roadmap.yaml also gave 72 "unknown
    // phase" errors for kpis.yaml, burying the cause.
    let (_tmp, dir) = crate::edit::copy_roadmap(&seed());
    let path = dir.join("roadmap.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen("phases:\n", "phases: [\n", 1)).unwrap();
    let (code, _, err) = run(roadmap(&dir).args(["validate", "--as-of", "2026-03-01"]));
    assert_eq!(code, 2);
    assert!(err.contains("roadmap.yaml:"), "{err}");
    assert!(err.ends_with("error: 1 problem found\n"), "{err}");

    // The same for kpis.yaml: alerts and risks name its metrics.
    let (_tmp, dir) = crate::edit::copy_roadmap(&seed());
    fs::write(dir.join("kpis.yaml"), "metrics: [\n").unwrap();
    let (code, _, err) = run(roadmap(&dir).args(["validate", "--as-of", "2026-03-01"]));
    assert_eq!(code, 2);
    assert!(err.ends_with("error: 1 problem found\n"), "{err}");
}

#[test]
fn a_nan_target_is_one_error_at_its_field() {
    let (_tmp, dir) = crate::edit::copy_roadmap(&example());
    let path = dir.join("kpis.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let first = text.find("target: ").unwrap();
    let end = first + text[first..].find('\n').unwrap();
    let line = text[..first].matches('\n').count() + 1;
    fs::write(
        &path,
        format!("{}target: .nan{}", &text[..first], &text[end..]),
    )
    .unwrap();
    let (code, _, err) = run(roadmap(&dir).args(["validate", "--as-of", "2026-03-01"]));
    assert_eq!(code, 2);
    assert!(err.contains(&format!("kpis.yaml:{line}:")), "{err}");
    assert!(err.ends_with("error: 1 problem found\n"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_roadmap_file_that_is_not_a_file_is_named_for_what_it_is() {
    let (_tmp, dir) = crate::edit::copy_roadmap(&example());
    let plan = dir.join("roadmap.yaml");
    fs::remove_file(&plan).unwrap();
    fs::create_dir(&plan).unwrap();
    let (code, _, err) = run(roadmap(&dir).args(["status", "--as-of", "2026-03-01"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("roadmap.yaml: this is a folder, not a file"),
        "{err}"
    );

    fs::remove_dir(&plan).unwrap();
    std::os::unix::fs::symlink(dir.join("gone.yaml"), &plan).unwrap();
    let (code, _, err) = run(roadmap(&dir).args(["status", "--as-of", "2026-03-01"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("symlink to") && err.contains("does not exist"),
        "{err}"
    );

    // A FIFO would block a reader forever: it is refused unopened.
    fs::remove_file(&plan).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(&plan)
        .status()
        .unwrap();
    assert!(status.success());
    let (code, _, err) = run(roadmap(&dir).args(["status", "--as-of", "2026-03-01"]));
    assert_eq!(code, 2);
    assert!(err.contains("not a regular file"), "{err}");
}

/// `git` in `dir`, isolated from the machine's configuration.
fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn staged_validates_the_index_and_names_the_real_files() {
    let tmp = crate::copy_of(&example());
    let dir = tmp.path();
    // Not in git yet: say what --staged needs.
    let (code, _, err) = run(roadmap(dir).args(["validate", "--staged"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not in a git repository"), "{err}");
    assert!(
        err.contains("`validate --staged` reads the roadmap as staged in git"),
        "{err}"
    );

    git(dir, &["init", "--quiet"]);
    // Nothing of it staged: nothing a commit could break.
    let (code, out, err) = run(roadmap(dir).args(["validate", "--staged"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("git's index holds none of its files, nothing to validate"),
        "{out}"
    );

    let kpis = dir.join("kpis.yaml");
    let good = fs::read_to_string(&kpis).unwrap();
    fs::write(&kpis, good.replacen("unit: usd ", "unit: usdd", 1)).unwrap();
    git(dir, &["add", "."]);
    fs::write(&kpis, &good).unwrap();
    // The working tree is fine; the index is not, at the file's real path.
    let (code, _, _) = run(roadmap(dir).arg("validate"));
    assert_eq!(code, 0);
    let (code, _, err) = run(roadmap(dir).args(["validate", "--staged"]));
    assert_eq!(code, 2);
    let shown = format!("{}:6:11: unknown unit `usdd`", kpis.display());
    assert!(err.starts_with(&shown), "{err}");
    assert!(!err.contains("roadmap-staged-"), "no temporary path: {err}");
    let (code, out, _) = run(roadmap(dir).args(["validate", "--staged", "--format", "json"]));
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["diagnostics"][0]["file"], kpis.display().to_string());
    assert_eq!(v["diagnostics"][0]["line"], 6);
}

/// A plan large enough that its files are parsed two at a time still
/// reports every file's problems, sorted by file, the same way every run.
#[test]
fn problems_in_several_files_of_a_large_plan_are_all_reported_in_order() {
    let tmp = crate::copy_of(&seed());
    let dir = tmp.path();
    let edit = |name: &str, from: &str, to: &str| {
        let path = dir.join(name);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{name} holds {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "technology.yaml",
        "    group: Tecnología\n",
        "    grup: Tecnología\n",
    );
    edit("sales.yaml", "title: A/B testing", "title: [A/B testing");
    edit("kpis.yaml", "unit: count", "unit: cuont");
    let (code, out, err) = run(roadmap(dir).arg("validate"));
    assert_eq!(code, 2, "{out}{err}");
    let at = |needle: &str| {
        err.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} is reported:\n{err}"))
    };
    let (technology, sales, kpis) = (
        at("technology.yaml:11:5"),
        at("sales.yaml:"),
        at("kpis.yaml:32:"),
    );
    assert!(at("unknown key `grup`") > technology);
    assert!(kpis < sales && sales < technology, "{err}");
    for _ in 0..4 {
        assert_eq!(run(roadmap(dir).arg("validate")).2, err);
    }
}
