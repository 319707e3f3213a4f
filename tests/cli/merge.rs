//! Two branches that write the same roadmap merge with a plain
//! `git merge`: metrics.csv is append-only with `merge=union` in the
//! roadmap's `.gitattributes`, so recorded values and corrections from
//! both sides are kept and the history still loads; `done` on different
//! items of one file is an ordinary clean merge. Real git, in a repository
//! in a temp folder, configured locally (global and system configuration
//! are not read).

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use tempfile::TempDir;

use crate::{example, roadmap, run};

const AS_OF: [&str; 2] = ["--as-of", "2026-07-15"];
const HEADER: &str = "date,metric,value,source,note";

struct Repo {
    _tmp: TempDir,
    root: PathBuf,
    dir: PathBuf,
}

impl Repo {
    /// A repository holding the bakery example with a few recorded values
    /// (so metrics.csv and its union rule), committed on `main`.
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let dir = root.join("roadmap");
        crate::copy_dir(&example(), &dir);
        let repo = Repo {
            _tmp: tmp,
            root,
            dir,
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Roadmap Tests"]);
        repo.git(&["config", "user.email", "tests@example.com"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.ok(&["record", "customers=110", "--on", "2026-06-10"]);
        repo.ok(&[
            "record",
            "customers=130",
            "rating=4.6",
            "--on",
            "2026-06-25",
        ]);
        assert_eq!(
            fs::read_to_string(repo.dir.join(".gitattributes")).unwrap(),
            "metrics.csv merge=union\n"
        );
        repo.commit("base");
        repo
    }

    fn git_command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        cmd.current_dir(&self.root)
            .args(args)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_TERMINAL_PROMPT", "0");
        cmd
    }

    fn git(&self, args: &[&str]) -> String {
        let out = self.git_command(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    fn roadmap(&self, args: &[&str]) -> (i32, String, String) {
        run(roadmap(&self.dir).args(args).args(AS_OF))
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.roadmap(args);
        assert_eq!(code, 0, "roadmap {args:?}: {err}");
        out
    }

    /// A branch `name` off main, where `work` runs and is committed.
    fn branch(&self, name: &str, work: impl FnOnce(&Repo)) {
        self.git(&["checkout", "-q", "-b", name, "main"]);
        work(self);
        self.commit(name);
    }

    /// Check out `ours` and merge `theirs` into it with a plain
    /// `git merge`, which must succeed without a conflict.
    fn merge(&self, ours: &str, theirs: &str) {
        self.git(&["checkout", "-q", ours]);
        let out = self
            .git_command(&["merge", "--no-edit", theirs])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git merge {theirs} into {ours}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            self.git(&["status", "--porcelain"]),
            "",
            "merge left changes"
        );
        let history = self.metrics();
        assert!(!history.contains("<<<<<<<"), "{history}");
    }

    fn metrics(&self) -> String {
        fs::read_to_string(self.dir.join("metrics.csv")).unwrap()
    }

    /// The 1-based number of the line of metrics.csv that is `line`.
    fn line_of(&self, line: &str) -> usize {
        let history = self.metrics();
        let found: Vec<usize> = history
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == line)
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(found.len(), 1, "`{line}` in {history}");
        found[0]
    }
}

fn correct_and_record(repo: &Repo) {
    repo.ok(&["record", "customers=150", "--on", "2026-07-01"]);
    // The latest value recorded before the branch, corrected.
    repo.ok(&["record", "customers=135", "--on", "2026-06-25", "--replace"]);
}

fn record_others(repo: &Repo) {
    repo.ok(&["record", "customers=145", "waste=9%", "--on", "2026-07-02"]);
    repo.ok(&["record", "rating=4.7", "--on", "2026-07-03"]);
}

#[test]
fn a_correction_and_new_values_from_two_branches_merge_and_the_correction_wins() {
    // Merged both ways: a union merge puts our lines before theirs, and
    // which side comes first must not matter.
    for (ours, theirs) in [("a", "b"), ("b", "a")] {
        let repo = Repo::new();
        repo.branch("a", correct_and_record);
        repo.branch("b", record_others);
        repo.merge(ours, theirs);

        let history = repo.metrics();
        assert!(
            history.starts_with(&format!("{HEADER},replaces\n")),
            "{history}"
        );
        for line in [
            "2026-06-10,customers,110,,",
            "2026-06-25,customers,130,,",
            "2026-06-25,rating,4.6,,",
            "2026-07-01,customers,150,,",
            "2026-06-25,customers,135,,,130",
            "2026-07-02,customers,145,,",
            "2026-07-02,waste,9,,",
            "2026-07-03,rating,4.7,,",
        ] {
            repo.line_of(line);
        }
        assert_eq!(history.lines().count(), 9, "{history}");
        let out = repo.ok(&["validate"]);
        assert!(out.contains("7 recorded values"), "{out}");

        // The correction is the value in force: recording it again is no
        // news, and a third value is told the corrected one.
        let out = repo.ok(&["record", "customers=135", "--on", "2026-06-25"]);
        assert!(out.contains("nothing new"), "{ours} into {theirs}: {out}");
        let (code, _, err) = repo.roadmap(&["record", "customers=999", "--on", "2026-06-25"]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("`customers` on 2026-06-25 is already recorded as 135"),
            "{ours} into {theirs}: {err}"
        );
        // The other branch's values are there.
        let out = repo.ok(&["record", "customers=145", "waste=9%", "--on", "2026-07-02"]);
        assert!(out.contains("nothing new"), "{out}");
        let out = repo.ok(&["record", "customers=150", "--on", "2026-07-01"]);
        assert!(out.contains("nothing new"), "{out}");
        // And every report reads the merged history.
        for command in ["status", "kpis", "risks"] {
            repo.ok(&[command]);
        }
        assert_eq!(repo.git(&["status", "--porcelain"]), "");
    }
}

#[test]
fn the_same_value_recorded_on_both_branches_merges_and_loads() {
    let repo = Repo::new();
    repo.branch("a", |r| {
        r.ok(&[
            "record",
            "rating=4.8",
            "customers=150",
            "--on",
            "2026-07-05",
        ]);
    });
    repo.branch("b", |r| {
        r.ok(&["record", "rating=4.8", "waste=8%", "--on", "2026-07-05"]);
    });
    repo.merge("a", "b");
    let out = repo.ok(&["validate"]);
    assert!(out.contains("6 recorded values"), "{out}");
    let out = repo.ok(&[
        "record",
        "rating=4.8",
        "customers=150",
        "waste=8%",
        "--on",
        "2026-07-05",
    ]);
    assert!(out.contains("nothing new"), "{out}");
    for command in ["status", "kpis", "check", "alerts", "risks"] {
        let (code, _, err) = repo.roadmap(&[command]);
        assert!(code == 0 || code == 1, "{command}: {err}");
    }
}

/// The same value corrected differently on two branches: git merges the
/// lines without complaint, and then the history has two values in force.
/// Every command that reads values stops, naming both lines and how to
/// settle it; deleting the wrong line settles it.
#[test]
fn two_branches_correcting_one_value_differently_is_reported_after_the_merge() {
    let repo = Repo::new();
    repo.branch("a", |r| {
        r.ok(&["record", "customers=135", "--on", "2026-06-25", "--replace"]);
    });
    repo.branch("b", |r| {
        r.ok(&["record", "customers=140", "--on", "2026-06-25", "--replace"]);
        r.ok(&["record", "waste=9%", "--on", "2026-07-02"]);
    });
    repo.merge("a", "b");
    let a = repo.line_of("2026-06-25,customers,135,,,130");
    let b = repo.line_of("2026-06-25,customers,140,,,130");
    let before = fs::read(repo.dir.join("metrics.csv")).unwrap();
    let input = repo.root.join("more.csv");
    fs::write(&input, "date,metric,value\n2026-07-04,waste,7%\n").unwrap();
    let input = input.display().to_string();
    let commands: [&[&str]; 9] = [
        &["validate"],
        &["status"],
        &["kpis"],
        &["check"],
        &["alerts"],
        &["risks"],
        &["record", "waste=8%", "--on", "2026-07-03"],
        &["record", "customers=150", "--on", "2026-06-25", "--replace"],
        &["ingest", &input],
    ];
    for args in commands {
        let (code, out, err) = repo.roadmap(args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            err.contains("metrics.csv:")
                && err.contains("`customers` on 2026-06-25 has two values in force"),
            "{args:?}: {err}"
        );
        assert!(err.contains(&format!("line {a}")), "{args:?}: {err}");
        assert!(err.contains(&format!("line {b}")), "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "delete the line that is wrong (line {} or line {})",
                a.min(b),
                a.max(b)
            )),
            "{args:?}: {err}"
        );
        assert_eq!(
            fs::read(repo.dir.join("metrics.csv")).unwrap(),
            before,
            "{args:?} wrote"
        );
    }
    // Deleting the wrong line (b's) settles it: a's correction is in force.
    let history = repo.metrics();
    let kept: Vec<&str> = history
        .lines()
        .enumerate()
        .filter(|(i, _)| i + 1 != b)
        .map(|(_, l)| l)
        .collect();
    fs::write(repo.dir.join("metrics.csv"), kept.join("\n") + "\n").unwrap();
    repo.ok(&["validate"]);
    let out = repo.ok(&["record", "customers=135", "--on", "2026-06-25"]);
    assert!(out.contains("nothing new"), "{out}");
}

#[test]
fn done_on_two_branches_in_one_file_merges_cleanly() {
    let repo = Repo::new();
    repo.branch("a", |r| {
        r.ok(&["done", "shop-oven", "--on", "2026-05-25"]);
        r.ok(&["record", "customers=150", "--on", "2026-07-01"]);
    });
    repo.branch("b", |r| {
        r.ok(&["done", "shop-opening", "--on", "2026-06-01"]);
        r.ok(&["record", "customers=145", "--on", "2026-07-02"]);
    });
    repo.merge("a", "b");
    repo.ok(&["validate"]);
    let items = crate::json(
        roadmap(&repo.dir)
            .args(["items", "--done", "--format", "json"])
            .args(AS_OF),
    );
    let mut done: Vec<&str> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    done.sort_unstable();
    assert_eq!(done, ["shop-lease", "shop-opening", "shop-oven"]);
    let plan = fs::read_to_string(repo.dir.join("roadmap.yaml")).unwrap();
    assert!(plan.contains("done: 2026-05-25\n") && plan.contains("done: 2026-06-01\n"));
    // Reopening both on the merged branch gives back main's file.
    repo.ok(&["reopen", "shop-oven", "shop-opening"]);
    let main = repo.git(&["show", "main:roadmap/roadmap.yaml"]);
    assert_eq!(
        fs::read_to_string(repo.dir.join("roadmap.yaml")).unwrap(),
        main
    );
}
