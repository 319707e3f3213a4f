//! `roadmap portfolio`: many plans in one view and one CI gate. Each row
//! agrees with what the member's own commands say; members come from
//! paths, a `portfolio.yaml` with globs, or both; a broken member is
//! reported with its diagnostics while the others are still shown.

use std::path::Path;
use std::process::Command;

use crate::{copy_dir, example, json, roadmap, run, seed};

/// `roadmap portfolio ARGS` run in `cwd`, plain and fixed-width.
fn portfolio(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_roadmap"));
    cmd.current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("ROADMAP_DIR")
        .env_remove("ROADMAP_AS_OF")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("COLUMNS", "80")
        .arg("portfolio");
    cmd
}

/// A company folder: the bakery under `teams/bakery/roadmap`, the bundled
/// plan under `teams/ai/roadmap`, and a stray `notes/` folder.
fn company() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example(), &tmp.path().join("teams/bakery/roadmap"));
    copy_dir(&seed(), &tmp.path().join("teams/ai/roadmap"));
    std::fs::create_dir_all(tmp.path().join("notes")).unwrap();
    tmp
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const DAY: &str = "2026-08-15";

#[test]
fn each_row_agrees_with_the_members_own_status_and_the_total_adds_up() {
    let t = company();
    let p = json(portfolio(t.path()).args([
        "teams/ai",
        "teams/bakery/roadmap",
        "--format",
        "json",
        "--as-of",
        DAY,
    ]));
    assert_eq!(p["schema_version"], 1);
    let members = p["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    let mut done = 0;
    let mut overdue = 0;
    for (row, dir) in members
        .iter()
        .zip(["teams/ai/roadmap", "teams/bakery/roadmap"])
    {
        let dir = t.path().join(dir);
        let s = json(roadmap(&dir).args(["status", "--format", "json", "--as-of", DAY]));
        assert_eq!(row["plan"], s["plan"]["name"]);
        assert_eq!(row["month"], s["month"]);
        assert_eq!(row["months"], s["plan"]["months"]);
        assert_eq!(row["phase"]["id"], s["phase"]["id"]);
        assert_eq!(row["items"]["done"], s["items"]["done"]);
        assert_eq!(row["items"]["overdue"], s["items"]["overdue"]);
        let risks = json(roadmap(&dir).args(["risks", "--format", "json", "--as-of", DAY]));
        let active = risks["risks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["active"] == true)
            .count();
        assert_eq!(row["risks"]["active"], active);
        let (code, _, _) = run(roadmap(&dir).args(["check", "--as-of", DAY]));
        assert_eq!(row["check_ok"], code == 0);
        done += row["items"]["done"].as_u64().unwrap();
        overdue += row["items"]["overdue"].as_u64().unwrap();
    }
    assert_eq!(p["total"]["items"]["done"], done);
    assert_eq!(p["total"]["items"]["overdue"], overdue);
    assert_eq!(p["total"]["members"], 2);
}

#[test]
fn a_config_with_a_glob_finds_every_team_and_only_them() {
    let t = company();
    write(
        t.path(),
        "portfolio.yaml",
        "name: Acme group\nmembers:\n  - teams/*/roadmap\n",
    );
    let p = json(portfolio(t.path()).args(["--format", "json", "--as-of", DAY]));
    assert_eq!(p["name"], "Acme group");
    let paths: Vec<&str> = p["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    // Sorted by name; `notes/` is no team.
    assert_eq!(paths, ["teams/ai/roadmap", "teams/bakery/roadmap"]);

    // A folder holding `roadmap/` will do, and `--config` finds the file
    // elsewhere, its members relative to it.
    write(t.path(), "ops/group.yaml", "members: ['../teams/*']\n");
    let p = json(portfolio(t.path()).args([
        "--config",
        "ops/group.yaml",
        "--format",
        "json",
        "--as-of",
        DAY,
    ]));
    assert_eq!(p["members"].as_array().unwrap().len(), 2);
    assert_eq!(p["broken"].as_array().unwrap().len(), 0);
}

#[test]
fn a_mistake_in_the_config_is_shown_at_its_line_with_the_fix() {
    let t = company();
    write(
        t.path(),
        "portfolio.yaml",
        "name: Acme\nmembres:\n  - teams/*\n",
    );
    let (code, _, err) = run(portfolio(t.path()).args(["--as-of", DAY]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("portfolio.yaml:2:1"), "{err}");
    assert!(err.contains("did you mean `members`?"), "{err}");

    write(t.path(), "portfolio.yaml", "members:\n  - team/*/roadmap\n");
    let (code, _, err) = run(portfolio(t.path()).args(["--as-of", DAY]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("portfolio.yaml:2:5"), "{err}");
    assert!(err.contains("matches no folder"), "{err}");
}

#[test]
fn a_broken_member_is_reported_and_the_others_still_shown() {
    let t = company();
    write(
        t.path(),
        "teams/zz/roadmap/roadmap.yaml",
        "name: Broken\nstart: 2026-13-01\nmonths: 6\n",
    );
    write(t.path(), "portfolio.yaml", "members: [teams/*]\n");
    for sub in [&[][..], &["check"][..]] {
        let (code, out, err) = run(portfolio(t.path()).args(sub).args(["--as-of", DAY]));
        assert_eq!(code, 2, "{sub:?}: {out}{err}");
        // The other members are in the table...
        assert!(out.contains("Crumb & Co."), "{out}");
        assert!(out.contains("1 member did not load"), "{out}");
        // ...and the broken one is named with where its problem is.
        assert!(out.contains("teams/zz/roadmap/roadmap.yaml:2:"), "{out}");
        assert!(err.contains("teams/zz/roadmap/roadmap.yaml:2:"), "{err}");
    }
    let (code, out, _) = run(portfolio(t.path()).args(["--format", "json", "--as-of", DAY]));
    assert_eq!(code, 2);
    let p: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(p["members"].as_array().unwrap().len(), 2);
    assert_eq!(p["broken"][0]["path"], "teams/zz/roadmap");
    assert_eq!(p["ok"], false);
}

#[test]
fn check_fails_exactly_when_a_member_check_fails() {
    let t = company();
    let members = ["teams/ai/roadmap", "teams/bakery/roadmap"];
    let mut seen = Vec::new();
    for day in ["2026-01-10", "2026-03-15", DAY, "2028-02-01"] {
        let any_fails = members.iter().any(|m| {
            let (code, _, err) = run(roadmap(&t.path().join(m)).args(["check", "--as-of", day]));
            assert!(code <= 1, "{err}");
            code == 1
        });
        let (code, out, err) =
            run(portfolio(t.path()).args(["check", "teams/ai", "teams/bakery", "--as-of", day]));
        assert_eq!(code, i32::from(any_fails), "{day}: {out}{err}");
        // Plain `portfolio` shows; it never fails.
        let (code, _, _) =
            run(portfolio(t.path()).args(["teams/ai", "teams/bakery", "--as-of", day]));
        assert_eq!(code, 0);
        seen.push(any_fails);
    }
    // The dates cover both a passing and a failing portfolio.
    assert!(seen.contains(&true) && seen.contains(&false), "{seen:?}");
}

#[test]
fn check_annotates_the_members_files_ranked_and_capped_together() {
    let t = company();
    let (code, _, err) = run(portfolio(t.path()).env("GITHUB_ACTIONS", "true").args([
        "check",
        "teams/ai",
        "teams/bakery",
        "--as-of",
        DAY,
    ]));
    assert_eq!(code, 1, "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("::error ")).collect();
    assert!(!errors.is_empty(), "{err}");
    // GitHub's cap is per step, so it holds for the portfolio as a whole.
    assert!(errors.len() <= 10, "{err}");
    for e in &errors {
        assert!(e.contains("file=teams/"), "{e}");
    }
    // Each title names its plan.
    assert!(
        errors
            .iter()
            .any(|e| e.contains("title=Crumb & Co. second shop%3A")),
        "{err}"
    );
}

#[test]
fn the_table_fits_80_columns_and_markdown_has_the_same_rows() {
    let t = company();
    let (code, out, err) =
        run(portfolio(t.path()).args(["teams/ai", "teams/bakery", "--as-of", DAY]));
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "{line}\n{out}"
        );
    }
    assert!(out.contains("Total"), "{out}");
    let (code, md, _) = run(portfolio(t.path()).args([
        "teams/ai",
        "teams/bakery",
        "--format",
        "markdown",
        "--as-of",
        DAY,
    ]));
    assert_eq!(code, 0);
    assert!(
        md.starts_with("## Portfolio as of 2026-08-15: 2 plans"),
        "{md}"
    );
    assert!(md.contains("| Crumb & Co. second shop "), "{md}");
}

#[test]
fn without_members_it_is_a_portfolio_of_the_plan_found() {
    let (code, out, err) = run(roadmap(&example()).args(["portfolio", "--as-of", DAY]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 plan"), "{out}");
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = run(portfolio(empty.path()).args(["--as-of", DAY]));
    assert_eq!(code, 2);
    assert!(err.contains("no members"), "{err}");
}
