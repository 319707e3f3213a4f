//! `roadmap items`: listing and filtering, JSON contract, closed pipes.

use std::process::Stdio;

use insta_cmd::assert_cmd_snapshot;

use crate::{example, json, roadmap, run, seed};

#[test]
fn example_table() {
    assert_cmd_snapshot!(roadmap(&example()).args(["items", "--as-of", "2026-07-01"]));
}

#[test]
fn seed_phase_2_of_one_track() {
    assert_cmd_snapshot!(roadmap(&seed()).args([
        "items",
        "--phase",
        "f2",
        "--track",
        "saas",
        "--as-of",
        "2026-08-15"
    ]));
}

#[test]
fn json_rows_have_the_documented_fields() {
    let v = json(roadmap(&seed()).args(["items", "--as-of", "2026-08-15", "--format", "json"]));
    let rows = v["items"].as_array().unwrap();
    assert_eq!(rows.len(), 192);
    let legal = rows.iter().find(|r| r["id"] == "f1-legal").unwrap();
    assert_eq!(
        legal["title"],
        "Estructura legal, términos de servicio, políticas de privacidad"
    );
    assert_eq!(legal["track"], "general");
    assert_eq!(legal["area"], "Legal");
    assert_eq!(legal["months"]["start"], 1);
    assert_eq!(legal["months"]["end"], 2);
    assert_eq!(legal["phase"], "f1");
    assert!(legal["done"].is_null());
    assert_eq!(legal["overdue"], true);
    assert_eq!(legal["due"], "2026-02-28");
    for r in rows {
        for key in [
            "id", "title", "track", "area", "months", "phase", "done", "overdue",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
}

#[test]
fn state_filters() {
    let args = |state: &str| {
        let mut cmd = roadmap(&example());
        cmd.args(["items", "--as-of", "2026-07-01", "--format", "json", state]);
        cmd
    };
    let ids = |v: serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let done = ids(json(&mut args("--done")));
    let open = ids(json(&mut args("--open")));
    let overdue = ids(json(&mut args("--overdue")));
    assert_eq!(done, ["shop-lease"]);
    assert_eq!(done.len() + open.len(), 8);
    assert!(overdue.iter().all(|id| open.contains(id)));
    assert!(overdue.contains(&"shop-oven".to_string()), "{overdue:?}");
    let (code, _, err) = run(roadmap(&example()).args(["items", "--done", "--open"]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_done_date_after_as_of_has_not_happened_yet() {
    let v = json(roadmap(&example()).args([
        "items",
        "--as-of",
        "2026-03-10",
        "--format",
        "json",
        "--done",
    ]));
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = roadmap(&seed())
        .args(["items", "--as-of", "2026-08-15"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close our end before the child writes, like `roadmap items | head -0`.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// The ids of `items` with `args`, on the bakery.
fn bakery_ids(args: &[&str]) -> Vec<String> {
    let v = json(
        roadmap(&example())
            .args(["items", "--format", "json"])
            .args(args),
    );
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn state_and_owner_filters_pick_items_by_what_they_need_and_who_owns_them() {
    let on = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--as-of", "2026-07-01"]);
        bakery_ids(&all)
    };
    assert_eq!(
        on(&["--state", "waiting"]),
        ["shop-permit", "shop-opening", "team-manager"]
    );
    // Several states, comma-separated or repeated, in any case.
    assert_eq!(
        on(&["--state", "ready,Blocked"]),
        ["team-baker", "team-counter", "team-rota"]
    );
    assert_eq!(
        on(&["--state", "ready", "--state", "blocked"]),
        on(&["--state", "ready,blocked"])
    );
    // Owners match whatever the case, and combine with the other filters.
    assert_eq!(
        on(&["--owner", "lena"]),
        ["shop-opening", "team-counter", "team-rota"]
    );
    assert_eq!(
        on(&["--owner", "LENA", "--state", "ready"]),
        ["team-counter"]
    );
    assert_eq!(
        on(&["--owner", "Marta", "--track", "team"]),
        ["team-manager"]
    );
}

#[test]
fn a_blocked_item_past_its_deadline_is_overdue_too() {
    // On September 1 the rota's window (months 4-6) is over.
    let at = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--as-of", "2026-09-01"]);
        bakery_ids(&all)
    };
    let overdue = at(&["--overdue"]);
    assert!(overdue.contains(&"team-rota".to_string()), "{overdue:?}");
    assert!(!at(&["--state", "overdue"]).contains(&"team-rota".to_string()));
    assert_eq!(at(&["--state", "blocked"]), ["team-rota"]);
    let v = json(roadmap(&example()).args([
        "items",
        "--state",
        "blocked",
        "--format",
        "json",
        "--as-of",
        "2026-09-01",
    ]));
    let rota = &v["items"][0];
    assert_eq!(rota["overdue"], true);
    assert_eq!(
        rota["blocked"],
        "the landlord has not agreed the opening hours"
    );
    let (code, out, err) =
        run(roadmap(&example()).args(["items", "--state", "blocked", "--as-of", "2026-09-01"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("blocked, overdue"), "{out}");
}

#[test]
fn json_rows_say_who_owns_what_and_what_each_waits_on() {
    let v = json(roadmap(&example()).args(["items", "--as-of", "2026-07-01", "--format", "json"]));
    let row = |id: &str| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    let opening = row("shop-opening");
    assert_eq!(opening["owner"], "Lena");
    assert_eq!(
        opening["after"],
        serde_json::json!(["shop-permit", "team-counter"])
    );
    assert_eq!(
        opening["waiting_on"],
        serde_json::json!(["shop-permit", "team-counter"])
    );
    assert_eq!(opening["state"], "waiting");
    // Its `due:` day is its deadline.
    assert_eq!(opening["due"], "2026-07-04");
    let oven = row("shop-oven");
    assert_eq!(oven["started"], "2026-03-25");
    assert_eq!(oven["waiting_on"], serde_json::json!([]));
    assert!(row("team-baker")["blocked"].is_null());
    // Before `started:`, nothing has started yet.
    let early = json(roadmap(&example()).args([
        "items",
        "--state",
        "started",
        "--as-of",
        "2026-03-24",
        "--format",
        "json",
    ]));
    assert_eq!(early["items"], serde_json::json!([]));
}

#[test]
fn unknown_states_and_owners_get_a_did_you_mean() {
    let fails = |args: &[&str]| {
        let (code, out, err) = run(roadmap(&example())
            .arg("items")
            .args(args)
            .args(["--as-of", "2026-07-01"]));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        err
    };
    assert_eq!(
        fails(&["--state", "redy"]),
        "error: unknown state `redy`\n  hint: did you mean `ready`? (states: done, blocked, overdue, started, waiting, ready, upcoming)\n"
    );
    let err = fails(&["--state", "open"]);
    assert!(err.contains("`open` is not a state"), "{err}");
    assert!(err.contains("--open lists every item not done"), "{err}");
    let err = fails(&["--owner", "Lna"]);
    assert!(err.contains("unknown owner `Lna`"), "{err}");
    assert!(err.contains("did you mean `Lena`?"), "{err}");
    // One state filter at a time.
    let err = fails(&["--state", "ready", "--overdue"]);
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn an_owner_filter_on_a_plan_without_owners_says_how_to_give_one() {
    let (code, _, err) =
        run(roadmap(&seed()).args(["items", "--owner", "Ana", "--as-of", "2026-08-15"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: unknown owner `Ana`: no item has an owner\n  hint: `roadmap assign ID --owner NAME` gives an item one\n"
    );
}
