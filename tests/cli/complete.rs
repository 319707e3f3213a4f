//! Shell completion of ids through clap_complete's dynamic completion: the
//! binary called back as the registration script calls it (`COMPLETE=bash`,
//! `_CLAP_COMPLETE_INDEX`, `_CLAP_IFS`, then `-- roadmap WORDS...`), and
//! once through a real bash sourcing the script.

use std::path::Path;
use std::process::Command;

use crate::{root, run};

/// The candidates bash is offered for the last of `words` (the word under
/// the cursor), run from `cwd` with `env` set.
fn candidates_in(cwd: &Path, env: &[(&str, &str)], words: &[&str]) -> Vec<String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_roadmap"));
    cmd.current_dir(cwd)
        .env_remove("ROADMAP_DIR")
        .env("COMPLETE", "bash")
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_COMPLETE_SPACE", "true")
        .envs(env.iter().copied())
        .arg("--")
        .args(words);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "completion exits 0: {err}");
    assert!(err.is_empty(), "completion prints nothing on stderr: {err}");
    out.lines().map(str::to_string).collect()
}

fn candidates(words: &[&str]) -> Vec<String> {
    candidates_in(&root(), &[], words)
}

/// Candidates that are values, not options.
fn values(words: &[&str]) -> Vec<String> {
    candidates(words)
        .into_iter()
        .filter(|c| !c.starts_with('-'))
        .collect()
}

const BAKERY: [&str; 3] = ["roadmap", "--dir", "examples/bakery"];

fn bakery(rest: &[&str]) -> Vec<String> {
    values(&[&BAKERY[..], rest].concat())
}

#[test]
fn done_offers_the_open_items_and_reopen_the_done_ones() {
    // In the bakery only `shop-lease` is done.
    assert_eq!(
        bakery(&["done", ""]),
        [
            "shop-oven",
            "shop-permit",
            "shop-opening",
            "team-baker",
            "team-counter",
            "team-rota",
            "team-manager"
        ]
    );
    assert_eq!(bakery(&["done", "shop-o"]), ["shop-oven", "shop-opening"]);
    assert_eq!(bakery(&["reopen", ""]), ["shop-lease"]);
    // Each further id is completed too.
    assert_eq!(bakery(&["done", "shop-oven", "team-r"]), ["team-rota"]);
}

#[test]
fn phase_track_and_area_options_complete_the_plans_ids() {
    assert_eq!(
        bakery(&["status", "--phase", ""]),
        ["find", "open", "settle"]
    );
    assert_eq!(bakery(&["items", "--phase", "f"]), ["find"]);
    assert_eq!(bakery(&["kpis", "--phase", "s"]), ["settle"]);
    assert_eq!(bakery(&["check", "--phase", "o"]), ["open"]);
    assert_eq!(bakery(&["timeline", "--track", ""]), ["shop", "team"]);
    assert_eq!(
        bakery(&["items", "--area", "M"]),
        ["Management", "Marketing"]
    );
    let glued = candidates(&[&BAKERY[..], &["items", "--area=K"]].concat());
    assert_eq!(glued, ["--area=Kitchen"]);
}

#[test]
fn record_offers_metric_ids_followed_by_an_equals_sign() {
    assert_eq!(bakery(&["record", "r"]), ["revenue=", "rating="]);
    // The value is the user's to type.
    assert_eq!(bakery(&["record", "revenue="]), Vec::<String>::new());
    assert_eq!(bakery(&["record", "revenue=12", "w"]), ["waste="]);
}

#[test]
fn dashboard_offers_the_dashboard_ids() {
    assert_eq!(bakery(&["dashboard", ""]), ["morning", "review"]);
}

#[test]
fn the_plan_is_found_by_dir_flag_variable_or_upward_search() {
    assert_eq!(
        values(&["roadmap", "--dir=examples/bakery", "status", "--phase", ""]),
        ["find", "open", "settle"]
    );
    assert_eq!(
        candidates_in(
            &root(),
            &[("ROADMAP_DIR", "examples/bakery")],
            &["roadmap", "check", "--phase", ""]
        ),
        ["find", "open", "settle"]
    );
    // From the repository root the bundled `roadmap/` folder is found.
    assert_eq!(
        candidates_in(&root(), &[], &["roadmap", "kpis", "--phase", ""]),
        ["f1", "f2", "f3", "f4"]
    );
}

#[test]
fn a_broken_or_missing_plan_gives_no_candidates_and_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("roadmap");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("roadmap.yaml"), "name: [\nphases: {\n").unwrap();
    // `candidates_in` asserts exit 0 and an empty stderr.
    let words = ["roadmap", "done", ""];
    let offered = candidates_in(tmp.path(), &[], &words);
    assert!(offered.iter().all(|c| c.starts_with("--")), "{offered:?}");
    let phase = ["roadmap", "status", "--phase", ""];
    assert_eq!(candidates_in(tmp.path(), &[], &phase), Vec::<String>::new());
    // No plan at all (a folder with none above it), and a --dir that is
    // not there.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        candidates_in(empty.path(), &[], &phase),
        Vec::<String>::new()
    );
    let missing = ["roadmap", "--dir", "no/such/folder", "reopen", ""];
    let offered = candidates_in(&root(), &[], &missing);
    assert!(offered.iter().all(|c| c.starts_with("--")), "{offered:?}");
}

#[test]
fn the_completions_command_prints_the_dynamic_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, printed, err) =
            run(Command::new(env!("CARGO_BIN_EXE_roadmap")).args(["completions", shell]));
        assert_eq!(code, 0, "{err}");
        let (code, registered, err) =
            run(Command::new(env!("CARGO_BIN_EXE_roadmap")).env("COMPLETE", shell));
        assert_eq!(code, 0, "{err}");
        assert_eq!(printed, registered, "{shell}");
        assert!(printed.contains("COMPLETE"), "{shell}: {printed}");
    }
}

/// The script as bash runs it: sourced, then its function called as TAB
/// calls it, filling COMPREPLY with the ids. (bash is there wherever the
/// suite runs: `.ci/run` is a bash script.)
#[test]
fn bash_completes_ids_through_the_sourced_script() {
    let script = format!(
        r#"source <(COMPLETE=bash '{bin}')
COMP_WORDS=(roadmap --dir examples/bakery done shop-o)
COMP_CWORD=4
COMP_TYPE=9
_clap_complete_roadmap roadmap shop-o done
printf '%s\n' "${{COMPREPLY[@]}}""#,
        bin = env!("CARGO_BIN_EXE_roadmap")
    );
    let (code, out, err) = run(Command::new("bash")
        .current_dir(root())
        .args(["--norc", "-c", &script]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "shop-oven\nshop-opening\n", "{err}");
}

#[test]
fn owners_states_and_blocked_items_complete() {
    // `people:` and the owners named, sorted, each once.
    assert_eq!(bakery(&["next", "--owner", ""]), ["Lena", "Marta", "Sam"]);
    assert_eq!(bakery(&["assign", "shop-oven", "--owner", "M"]), ["Marta"]);
    assert_eq!(
        bakery(&["items", "--state", ""]),
        [
            "done", "blocked", "overdue", "started", "waiting", "ready", "upcoming"
        ]
    );
    assert_eq!(bakery(&["unblock", ""]), ["team-rota"]);
    assert_eq!(
        bakery(&["start", "team-"]),
        ["team-baker", "team-counter", "team-rota", "team-manager"]
    );
}
