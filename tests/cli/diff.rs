//! `roadmap diff`: changes between git revisions of a plan, read from a
//! real repository built here (git init, then commits of a copy of the
//! bakery plan changed through the real commands), and the errors outside
//! a repository, for an unknown revision and before the plan existed.

use std::path::{Path, PathBuf};
use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

use crate::{copy_dir, example, json, roadmap, run};

/// A repository whose history is:
/// - `before`: a README only, no plan yet;
/// - `v1`: the bakery plan, in `plan/`;
/// - `v2`: `shop-oven` done, two values recorded;
/// - `v3`: a value corrected (`record --replace`), a target raised, an item
///   added, one retitled, `shop-lease` reopened;
///
/// and a working tree as `v3` plus one more value.
struct Repo {
    tmp: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            tmp: tempfile::tempdir().expect("a temporary folder"),
        };
        repo.git(&["init", "--quiet"]);
        // Local settings only: the machine's own git config is not ours.
        repo.git(&["config", "user.name", "Roadmap Tests"]);
        repo.git(&["config", "user.email", "tests@example.com"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        std::fs::write(repo.tmp.path().join("README"), "A bakery.\n").unwrap();
        repo.commit("before");

        copy_dir(&example(), &repo.plan());
        repo.commit("v1");

        repo.roadmap(&["done", "shop-oven", "--as-of", "2026-05-25"]);
        repo.roadmap(&["record", "fitout_days=40d", "--as-of", "2026-05-20"]);
        repo.roadmap(&["record", "customers=110", "--as-of", "2026-06-10"]);
        repo.commit("v2");

        repo.roadmap(&[
            "record",
            "customers=115",
            "--replace",
            "--on",
            "2026-06-10",
            "--as-of",
            "2026-06-12",
        ]);
        repo.roadmap(&["reopen", "shop-lease"]);
        repo.edit("kpis.yaml", "target: 150+ ", "target: 160+ ");
        repo.edit(
            "roadmap.yaml",
            "title: Pass the health inspection",
            "title: Pass the council's health inspection",
        );
        let team = repo.plan().join("team.yaml");
        let mut text = std::fs::read_to_string(&team).unwrap();
        text.push_str(
            "          - id: team-party\n            area: Team\n            title: \"Staff party: both shops\"\n",
        );
        std::fs::write(&team, text).unwrap();
        repo.commit("v3");

        repo.roadmap(&["record", "customers=130", "--as-of", "2026-06-25"]);
        repo
    }

    fn plan(&self) -> PathBuf {
        self.tmp.path().join("plan")
    }

    fn git(&self, args: &[&str]) {
        let out = git(self.tmp.path()).args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn commit(&self, tag: &str) {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--message", tag]);
        self.git(&["tag", tag]);
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.plan().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} is not in {file}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn roadmap(&self, args: &[&str]) {
        let (code, _, err) = run(self.cmd().args(args));
        assert_eq!(code, 0, "roadmap {args:?}: {err}");
    }

    /// `roadmap --dir PLAN` with git's own variables out of the way.
    fn cmd(&self) -> Command {
        // Run from the repository with a relative folder, as people do,
        // so that no temporary path shows in the output.
        let mut cmd = roadmap(Path::new("plan"));
        cmd.current_dir(self.tmp.path());
        for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] {
            cmd.env_remove(var);
        }
        cmd.env("COLUMNS", "80");
        cmd
    }
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir);
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] {
        cmd.env_remove(var);
    }
    cmd
}

#[test]
fn everything_since_the_plan_was_committed() {
    let repo = Repo::new();
    assert_cmd_snapshot!(repo.cmd().args(["diff", "v1"]));
}

#[test]
fn between_two_revisions_in_markdown() {
    let repo = Repo::new();
    assert_cmd_snapshot!(
        repo.cmd()
            .args(["diff", "v2", "v3", "--format", "markdown"])
    );
}

#[test]
fn no_change_is_said_so() {
    let repo = Repo::new();
    let (code, out, _) = run(repo.cmd().args(["diff", "v3", "v3"]));
    assert_eq!(code, 0);
    assert_eq!(out, "No changes to the plan in plan/ from v3 to v3.\n");
}

#[test]
fn json_lists_each_kind_of_change() {
    let repo = Repo::new();
    let v = json(repo.cmd().args(["diff", "v2", "--format", "json"]));
    assert_eq!(v["dir"], "plan/");
    assert_eq!(v["from"]["rev"], "v2");
    let commit = v["from"]["commit"].as_str().unwrap();
    assert_eq!(commit.len(), 40, "{commit}");
    assert!(v["to"]["rev"].is_null() && v["to"]["commit"].is_null());

    let items: Vec<(&str, &str)> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["change"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        items,
        [
            ("reopened", "shop-lease"),
            ("retitled", "shop-permit"),
            ("added", "team-party"),
        ]
    );
    let reopened = &v["items"][0];
    assert_eq!(reopened["before"], "2026-03-20");
    assert!(reopened["after"].is_null());
    let retitled = &v["items"][1];
    assert_eq!(retitled["before"], "Pass the health inspection");
    assert_eq!(retitled["after"], "Pass the council's health inspection");
    assert_eq!(v["items"][2]["after"], "7-9");

    let targets = v["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert_eq!(targets[0]["change"], "changed");
    assert_eq!(targets[0]["metric"], "customers");
    assert_eq!(targets[0]["phase"], "open");
    assert_eq!(targets[0]["field"], "target");
    assert_eq!(targets[0]["before"], ">= 150");
    assert_eq!(targets[0]["after"], ">= 160");

    // The correction is the value it corrects, changed; the value recorded
    // since is new.
    let values = v["values"].as_array().unwrap();
    assert_eq!(values.len(), 2, "{values:?}");
    assert_eq!(values[0]["change"], "corrected");
    assert_eq!(values[0]["date"], "2026-06-10");
    assert_eq!(values[0]["metric"], "customers");
    assert_eq!(values[0]["before"], 110.0);
    assert_eq!(values[0]["after"], 115.0);
    assert_eq!(values[1]["change"], "added");
    assert_eq!(values[1]["date"], "2026-06-25");
    assert!(values[1]["before"].is_null());
    assert_eq!(values[1]["after_text"], "130");

    for key in ["phases", "metrics", "alerts"] {
        assert_eq!(v[key], serde_json::json!([]), "{key}");
    }
}

#[test]
fn done_and_recorded_values_between_commits() {
    let repo = Repo::new();
    let v = json(repo.cmd().args(["diff", "v1", "v2", "--format", "json"]));
    assert_eq!(v["to"]["rev"], "v2");
    assert_eq!(v["items"][0]["change"], "done");
    assert_eq!(v["items"][0]["id"], "shop-oven");
    assert_eq!(v["items"][0]["after"], "2026-05-25");
    let added: Vec<&str> = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["change"], "added");
            c["metric"].as_str().unwrap()
        })
        .collect();
    assert_eq!(added, ["fitout_days", "customers"]);
}

#[test]
fn a_revision_before_the_plan_existed() {
    let repo = Repo::new();
    let (code, out, err) = run(repo.cmd().args(["diff", "before"]));
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        err,
        "error: the roadmap did not exist yet at `before`: `plan/` has no roadmap.yaml there\n  \
         hint: pick a later revision; `git log --oneline -- plan/roadmap.yaml` lists the commits that changed it\n"
    );
}

#[test]
fn an_unknown_revision() {
    let repo = Repo::new();
    for args in [
        &["diff", "v9"][..],
        &["diff", "v1", "v9"],
        &["diff", "--", "--all"],
    ] {
        let (code, out, err) = run(repo.cmd().args(args));
        assert_eq!(code, 2, "{out}");
        assert!(err.starts_with("error: unknown revision `"), "{err}");
        assert!(err.contains("hint: name a commit, branch or tag"), "{err}");
    }
}

#[test]
fn an_old_revision_that_does_not_load_is_named_as_git_names_it() {
    let repo = Repo::new();
    repo.edit("kpis.yaml", "target: 160+ ", "target: lots ");
    repo.commit("broken");
    let (code, _, err) = run(repo.cmd().args(["diff", "broken", "v3"]));
    assert_eq!(code, 2);
    assert!(err.starts_with("broken:plan/kpis.yaml:"), "{err}");
    assert!(!err.contains("roadmap-diff-"), "{err}");
}

#[test]
fn outside_a_git_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    copy_dir(&example(), &plan);
    let (code, out, err) = run(roadmap(&plan)
        // Git looks no higher than the temporary folder, whatever holds it.
        .env("GIT_CEILING_DIRECTORIES", tmp.path())
        .env_remove("GIT_DIR")
        .args(["diff", "HEAD"]));
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("is not in a git repository"), "{err}");
    assert!(
        err.contains("hint: `roadmap diff` compares revisions"),
        "{err}"
    );
}

#[test]
fn phases_metrics_and_alerts_change_field_by_field() {
    let repo = Repo::new();
    repo.edit(
        "roadmap.yaml",
        "objective: Both shops profitable and running without the owner",
        "objective: Both shops profitable",
    );
    repo.edit(
        "alerts.yaml",
        "when: revenue drop > 15% over 7d",
        "when: revenue drop > 20% over 7d",
    );
    repo.edit(
        "kpis.yaml",
        "targets:\n",
        "  - id: footfall\n    name: People through the door\n    unit: count\ntargets:\n",
    );
    let v = json(repo.cmd().args(["diff", "v3", "--format", "json"]));
    assert_eq!(
        v["phases"],
        serde_json::json!([{
            "change": "changed", "id": "settle", "name": "Settle in", "field": "objective",
            "before": "Both shops profitable and running without the owner",
            "after": "Both shops profitable",
        }])
    );
    assert_eq!(
        v["alerts"],
        serde_json::json!([{
            "change": "changed", "id": "sales-drop", "name": "Sales drop", "field": "when",
            "before": "revenue drop > 15% over 7d", "after": "revenue drop > 20% over 7d",
        }])
    );
    assert_eq!(
        v["metrics"],
        serde_json::json!([{
            "change": "added", "id": "footfall", "name": "People through the door",
            "field": null, "before": null, "after": "count",
        }])
    );
    assert_eq!(v["items"], serde_json::json!([]));
    assert_eq!(v["targets"], serde_json::json!([]));
}

#[test]
fn who_does_what_and_what_waits_on_what_are_changes_too() {
    let repo = Repo::new();
    repo.roadmap(&[
        "start",
        "team-baker",
        "--on",
        "2026-06-02",
        "--as-of",
        "2026-06-26",
    ]);
    repo.roadmap(&["block", "team-counter", "--reason", "no applicants yet"]);
    repo.roadmap(&["unblock", "team-rota"]);
    repo.roadmap(&["assign", "team-baker", "--owner", "Lena"]);
    repo.edit(
        "roadmap.yaml",
        "after: [shop-permit, team-counter]",
        "after: [shop-permit]",
    );
    repo.edit("roadmap.yaml", "due: 2026-07-04", "due: 2026-07-11");
    let v = json(repo.cmd().args(["diff", "v3", "--format", "json"]));
    let got: Vec<(String, String, String, String)> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("null").to_string();
            (s("change"), s("id"), s("before"), s("after"))
        })
        .collect();
    let want = [
        (
            "relinked",
            "shop-opening",
            "shop-permit, team-counter",
            "shop-permit",
        ),
        ("due", "shop-opening", "2026-07-04", "2026-07-11"),
        ("started", "team-baker", "null", "2026-06-02"),
        ("assigned", "team-baker", "Sam", "Lena"),
        ("blocked", "team-counter", "null", "no applicants yet"),
        (
            "unblocked",
            "team-rota",
            "the landlord has not agreed the opening hours",
            "null",
        ),
    ];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);

    let (code, out, err) = run(repo.cmd().args(["diff", "v3"]));
    assert_eq!(code, 0, "{err}");
    for line in [
        "started    team-baker",
        "– → 2026-06-02",
        "Sam → Lena",
        "unblocked  team-rota",
        "was blocked: the landlord",
    ] {
        assert!(out.contains(line), "{line:?} not in:\n{out}");
    }
}
