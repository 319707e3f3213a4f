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
