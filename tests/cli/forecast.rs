//! The forecast as a user meets it: a line per phase under way in
//! `status`, one beside the projections in `kpis` and `check`, the same
//! numbers in the JSON, and never a changed verdict or exit code.

use std::path::Path;

use chrono::{Days, NaiveDate};

use crate::{json, roadmap, run};

/// Phase `a` (months 1-3) is done: six items, each done 14 days after it
/// was started, one a week from 2026-02-20. Phase `b` (months 4-6, ending
/// 2026-06-30) holds a chain `p1 → … → p6` and one lone item, all open.
pub fn plan(dir: &Path) {
    let mut text = String::from(
        "name: Chain\nstart: 2026-01-01\nmonths: 6\n\
         phases:\n  - {id: a, name: Build, months: 1-3}\n  - {id: b, name: Ship, months: 4-6}\n\
         tracks:\n  - id: t\n    name: T\n    periods:\n      - months: 1-3\n        items:\n",
    );
    let first: NaiveDate = "2026-02-20".parse().unwrap();
    for n in 0..6 {
        let done = first + Days::new(7 * n);
        let started = done - Days::new(14);
        text += &format!(
            "          - {{id: d{n}, area: A, title: D{n}, started: {started}, done: {done}}}\n"
        );
    }
    text += "      - months: 4-6\n        items:\n";
    text += "          - {id: p1, area: A, title: P1}\n";
    for n in 2..=6 {
        text += &format!(
            "          - {{id: p{n}, area: A, title: P{n}, after: [p{}]}}\n",
            n - 1
        );
    }
    text += "          - {id: lone, area: A, title: Lone}\n";
    std::fs::write(dir.join("roadmap.yaml"), text).unwrap();
}

pub const AS_OF: &str = "2026-04-10";

#[test]
fn status_forecasts_each_phase_under_way_bounded_by_its_chain() {
    let dir = tempfile::tempdir().unwrap();
    plan(dir.path());
    let (code, out, err) = run(roadmap(dir.path())
        .env("COLUMNS", "80")
        .args(["status", "--as-of", AS_OF]));
    assert_eq!(code, 0, "{err}");
    // Six done in the 8 weeks to 04-10: 0.75 a week, so the seven open
    // take 66 days (06-15); the chain of six takes 6 × 14 days, to 07-03,
    // three days past the phase's end. 7 items in the 81 days left: 0.6.
    let want = "Forecast at the pace of the last 8 weeks (advice, not a gate)\n\
                \x20 b finishes ~2026-07-03 (needs 0.6 items/week, doing 0.8)\n\
                \x20     held by a chain of 6 open items, ~14 days each: p1 → p2 → … → p6\n";
    assert!(out.contains(want), "{out}");
    // Phase a is done: no line for it.
    assert!(!out.contains("  a "), "{out}");

    let v = json(roadmap(dir.path()).args(["status", "--as-of", AS_OF, "--format", "json"]));
    assert_eq!(v["phases"][0]["forecast"], serde_json::Value::Null);
    let f = &v["phases"][1]["forecast"];
    assert_eq!(f["open"], 7);
    assert_eq!(f["earlier"], 0);
    assert_eq!(f["done_recently"], 6);
    assert_eq!(f["pace"], 0.75);
    assert_eq!(f["finish"], "2026-07-03");
    assert_eq!(f["late_days"], 3);
    assert_eq!(f["bound"], "chain");
    assert_eq!(
        f["chain"]["items"],
        serde_json::json!(["p1", "p2", "p3", "p4", "p5", "p6"])
    );
    assert_eq!(f["chain"]["days_per_item"], 14);
    assert_eq!(f["chain"]["basis"], "median");
    // Phase b started 04-01: one week's end, then the as-of date.
    assert_eq!(
        f["burnup"],
        serde_json::json!([{"date": "2026-04-07", "done": 0}, {"date": "2026-04-10", "done": 0}])
    );
}

#[test]
fn kpis_and_check_show_it_and_a_late_forecast_fails_nothing() {
    let dir = tempfile::tempdir().unwrap();
    plan(dir.path());
    let line = "b finishes ~2026-07-03 (needs 0.6 items/week, doing 0.8)";
    // Gate a is due and met; b's forecast is late; check still passes.
    let (code, out, err) = run(roadmap(dir.path()).args(["check", "--as-of", AS_OF]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Next gate: b, judged once its phase ends on 2026-06-30."),
        "{out}"
    );
    assert!(out.contains(line), "{out}");
    let v = json(roadmap(dir.path()).args(["check", "--as-of", AS_OF, "--format", "json"]));
    assert_eq!(v["ok"], true);
    assert_eq!(v["forecast"]["phase"], "b");
    assert_eq!(v["forecast"]["finish"], "2026-07-03");

    let (code, out, err) = run(roadmap(dir.path()).args(["kpis", "--as-of", AS_OF]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(line), "{out}");
    let v = json(roadmap(dir.path()).args(["kpis", "--as-of", AS_OF, "--format", "json"]));
    assert_eq!(v["forecast"]["bound"], "chain");

    // Once the chain's first link is done the pace sets the date again:
    // six open at 0.875 a week (seven done in 8 weeks) is 48 days, the
    // chain of five 70: still the chain.
    let (code, _, err) = run(roadmap(dir.path()).args(["done", "p1", "--as-of", "2026-04-10"]));
    assert_eq!(code, 0, "{err}");
    let v = json(roadmap(dir.path()).args(["status", "--as-of", AS_OF, "--format", "json"]));
    let f = &v["phases"][1]["forecast"];
    assert_eq!(
        (f["open"].as_u64(), f["done_recently"].as_u64()),
        (Some(6), Some(7))
    );
    assert_eq!(f["chain"]["items"][0], "p2");
    assert_eq!(f["finish"], "2026-06-19");
}

#[test]
fn with_nothing_done_lately_there_is_no_date() {
    let dir = tempfile::tempdir().unwrap();
    plan(dir.path());
    // Ten weeks after the last done item (03-27).
    let (code, out, err) = run(roadmap(dir.path()).args(["status", "--as-of", "2026-06-05"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("  b: no finish in sight, none done in 8 weeks (needs 2.0 items/week)\n"),
        "{out}"
    );
}
