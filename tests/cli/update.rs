//! `roadmap update`: the period's news on the bakery, with its history
//! recorded through the real `record` and `done` commands at different
//! dates; alerts judged on every day of the period, as `alerts` judges each
//! day; risks that change state; a gate and overdue items on the seed; and
//! a period that is not one.

use std::path::Path;

use tempfile::TempDir;

use crate::{copy_of, example, json, roadmap, run, seed};

fn ok(dir: &Path, args: &[&str], as_of: &str) -> String {
    let (code, out, err) = run(roadmap(dir).args(args).args(["--as-of", as_of]));
    assert_eq!(code, 0, "{args:?} as of {as_of}: {err}");
    out
}

/// The bakery as the README tells its story, with the health inspection
/// passed on July 8.
fn bakery() -> TempDir {
    let tmp = copy_of(&example());
    let dir = tmp.path();
    for (args, as_of) in [
        (&["record", "fitout_days=40d"][..], "2026-05-20"),
        (&["done", "shop-oven"], "2026-05-25"),
        (&["record", "customers=110"], "2026-06-10"),
        (&["record", "customers=130", "rating=4.6"], "2026-06-25"),
        (&["record", "customers=140"], "2026-07-03"),
        (&["done", "shop-permit"], "2026-07-08"),
        (&["record", "customers=145"], "2026-07-10"),
        (&["record", "customers=200", "rating=4.7"], "2026-07-12"),
    ] {
        ok(dir, args, as_of);
    }
    tmp
}

fn update(dir: &Path, args: &[&str]) -> serde_json::Value {
    json(roadmap(dir).args(["update", "--format", "json"]).args(args))
}

#[test]
fn a_week_at_the_bakery() {
    let tmp = bakery();
    let (code, out, err) =
        run(roadmap(tmp.path())
            .env("COLUMNS", "80")
            .args(["update", "--as-of", "2026-07-12"]));
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn colour_only_adds_emphasis() {
    let tmp = bakery();
    let args = ["update", "--as-of", "2026-07-12"];
    let (_, plain, _) = run(roadmap(tmp.path()).args(args));
    let (_, coloured, _) = run(roadmap(tmp.path()).args(args).arg("--color=always"));
    assert!(coloured.contains("\x1b["), "{coloured}");
    let mut stripped = String::new();
    let mut rest = coloured.as_str();
    while let Some(at) = rest.find('\x1b') {
        stripped.push_str(&rest[..at]);
        let end = rest[at..].find('m').expect("an escape ends with m");
        rest = &rest[at + end + 1..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
}

#[test]
fn a_month_at_the_bakery_as_markdown() {
    let tmp = bakery();
    let out = ok(
        tmp.path(),
        &["update", "--since", "2026-05-24", "--format", "markdown"],
        "2026-06-30",
    );
    insta::assert_snapshot!(out);
}

#[test]
fn json_says_what_changed_in_the_period() {
    let tmp = bakery();
    // Without --since, the period is the 7 days up to the as-of date.
    let v = update(tmp.path(), &["--as-of", "2026-07-12"]);
    assert_eq!(
        (&v["since"], &v["as_of"], &v["days"]),
        (&"2026-07-05".into(), &"2026-07-12".into(), &7.into())
    );
    assert_eq!(
        (&v["month"], &v["phase"]["id"]),
        (&5.into(), &"open".into())
    );

    let done: Vec<&str> = v["done"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(done, ["shop-permit"]);
    assert_eq!(v["done"][0]["done"], "2026-07-08");
    assert_eq!(v["overdue"], serde_json::json!([]));

    // The current phase's target on customers (an average over the
    // phase), and the standing one on rating, which no phase targets.
    let kpis = v["kpis"].as_array().unwrap();
    assert_eq!(kpis.len(), 2, "{kpis:?}");
    let customers = &kpis[0];
    assert_eq!(customers["metric"], "customers");
    assert_eq!(customers["phase"], "open");
    assert_eq!(customers["target"], ">= 150");
    assert_eq!(customers["to"], 145.0);
    assert!((customers["from"].as_f64().unwrap() - 126.666).abs() < 0.01);
    assert_eq!(customers["movement"], "closer");
    assert_eq!(customers["verdict"], "unmet");
    assert_eq!(customers["recorded"], 2);
    let rating = &kpis[1];
    assert_eq!(rating["metric"], "rating");
    assert!(rating["phase"].is_null());
    assert_eq!(
        (&rating["from_text"], &rating["to_text"]),
        (&"4.6/5".into(), &"4.7/5".into())
    );
    // 4.6/5 met the target but was a week old: stale as of July 5.
    assert_eq!(rating["verdict_from"], "stale");
    assert_eq!(
        (&rating["verdict"], &rating["movement"]),
        (&"met".into(), &"held".into())
    );

    let alerts = v["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1);
    let a = &alerts[0];
    assert_eq!(a["id"], "word-of-mouth");
    assert_eq!(a["severity"], "opportunity");
    assert_eq!((&a["days"], &a["firing"]), (&1.into(), &true.into()));
    assert_eq!(
        (&a["first"], &a["last"]),
        (&"2026-07-12".into(), &"2026-07-12".into())
    );
    assert_eq!(
        a["alert"]["clauses"][0]["change_pct"]
            .as_f64()
            .map(f64::round),
        Some(23.0)
    );

    assert_eq!(v["gates"], serde_json::json!([]));
    assert_eq!(
        v["risks"],
        serde_json::json!({"became_active": [], "went_quiet": [], "still_active": []})
    );
    assert_eq!(v["next"]["until"], "2026-07-19");
    assert_eq!(v["next"]["items"], serde_json::json!([]));
    assert_eq!(v["next"]["gate"]["phase"], "open");
    assert_eq!(v["next"]["gate"]["end"], "2026-08-31");
    assert_eq!(v["next"]["gate"]["items"]["done"], 1);

    // A period with no value recorded moves no KPI.
    let quiet = update(
        tmp.path(),
        &["--since", "2026-07-05", "--as-of", "2026-07-09"],
    );
    assert_eq!(quiet["kpis"], serde_json::json!([]));
}

#[test]
fn a_gate_that_fell_due_and_the_items_due_next() {
    let tmp = bakery();
    let v = update(
        tmp.path(),
        &["--since", "2026-05-24", "--as-of", "2026-06-30"],
    );
    let gates = v["gates"].as_array().unwrap();
    assert_eq!(gates.len(), 1);
    assert_eq!(
        (&gates[0]["phase"], &gates[0]["verdict"]),
        (&"find".into(), &"pass".into())
    );
    assert_eq!(v["done"][0]["id"], "shop-oven");
    // The next period is as long as this one (37 days): to August 6. The
    // health inspection, passed on July 8, is still due as of June 30;
    // the opening, due on its `due:` day, July 4, comes first.
    assert_eq!(v["next"]["until"], "2026-08-06");
    let next: Vec<&str> = v["next"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(next, ["shop-opening", "shop-permit"]);
    // A period that starts after the phase ended has no gate to report.
    let later = update(
        tmp.path(),
        &["--since", "2026-06-01", "--as-of", "2026-06-30"],
    );
    assert_eq!(later["gates"], serde_json::json!([]));
}

#[test]
fn alerts_are_judged_on_every_day_of_the_period() {
    // A week of $500 days, a three-day dip to $200, then $600 days: the
    // sales-drop alert fires on the days the dip weighs on the week.
    let tmp = copy_of(&example());
    let dir = tmp.path();
    for day in 1..=21 {
        let revenue = match day {
            ..=14 => "revenue=$500",
            15..=17 => "revenue=$200",
            _ => "revenue=$600",
        };
        ok(dir, &["record", revenue], &format!("2026-07-{day:02}"));
    }
    let v = update(dir, &["--since", "2026-07-14", "--as-of", "2026-07-22"]);
    let a = &v["alerts"][0];
    assert_eq!(a["id"], "sales-drop");
    assert_eq!(a["severity"], "critical");
    assert_eq!(
        (&a["first"], &a["last"], &a["days"], &a["firing"]),
        (
            &"2026-07-16".into(),
            &"2026-07-20".into(),
            &5.into(),
            &false.into()
        )
    );
    assert_eq!(
        a["spans"],
        serde_json::json!([{"from": "2026-07-16", "to": "2026-07-20"}])
    );
    // The values that fired it, on the last day it did.
    assert_eq!(a["alert"]["clauses"][0]["to"], "2026-07-20");

    // Exactly the days `roadmap alerts` fires on, run day by day.
    for day in 15..=22 {
        let date = format!("2026-07-{day:02}");
        let (code, _, _) = run(roadmap(dir).args(["alerts", "--as-of", &date]));
        assert_eq!(code == 1, (16..=20).contains(&day), "{date}");
    }

    let (code, out, _) =
        run(roadmap(dir).args(["update", "--since", "2026-07-14", "--as-of", "2026-07-22"]));
    assert_eq!(code, 0, "an update informs; `check` is what fails");
    assert!(
        out.contains(
            "  ✗ sales-drop (critical) Sales drop\n    \
             fired 2026-07-16 → 2026-07-20 (5 days), quiet since 2026-07-21\n    \
             on 2026-07-20: revenue fell 17% in 7 days ($3,500 → $2,900)\n    \
             → Marketing: Loyalty-card double stamps for a week\n"
        ),
        "{out}"
    );
}

#[test]
fn risks_that_became_active_and_went_quiet() {
    // Uptime is the seed's requirement (>= 99.9%) linked to the
    // scalability risk.
    let tmp = copy_of(&seed());
    let dir = tmp.path();
    ok(dir, &["record", "uptime=99.5%"], "2026-03-04");
    ok(dir, &["record", "uptime=99.95%"], "2026-03-08");

    let v = update(dir, &["--since", "2026-03-01", "--as-of", "2026-03-04"]);
    let active = v["risks"]["became_active"].as_array().unwrap();
    assert_eq!(active.len(), 1, "{active:?}");
    assert_eq!(active[0]["id"], "escalabilidad");
    assert_eq!(
        active[0]["reasons"],
        serde_json::json!(["`uptime` is 99.5%, target >= 99.9%"])
    );

    let v = update(dir, &["--since", "2026-03-04", "--as-of", "2026-03-08"]);
    let quiet = v["risks"]["went_quiet"].as_array().unwrap();
    assert_eq!(quiet.len(), 1);
    assert_eq!(quiet[0]["id"], "escalabilidad");
    // As evaluated when it was still active: why it was.
    assert_eq!(quiet[0]["active"], true);
    assert_eq!(v["risks"]["became_active"], serde_json::json!([]));

    let (_, out, _) = run(roadmap(dir).args([
        "update",
        "--since",
        "2026-03-04",
        "--as-of",
        "2026-03-08",
        "--format",
        "markdown",
    ]));
    assert!(
        out.contains(
            "### Risks\n\n- ✓ **Escalabilidad** (escalabilidad) went quiet\n  \
             - was: `uptime` is 99.5%, target >= 99.9%\n\n"
        ),
        "{out}"
    );
}

#[test]
fn the_seed_at_the_end_of_phase_one_fits_80_columns() {
    // Nothing done: on July 1 the first gate fails and every item due on
    // June 30 falls overdue.
    let (code, out, _) = run(roadmap(&seed()).env("COLUMNS", "80").args([
        "update",
        "--since",
        "2026-06-24",
        "--as-of",
        "2026-07-01",
    ]));
    assert_eq!(code, 0);
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    // The headline wraps between its facts rather than losing one.
    assert!(
        out.contains(
            "\n0 items done · 48 fell overdue · no KPI updated · gate f1 failed\n\
             no alert fired · no risk changed\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("\nFell overdue\n") && out.contains("  … and 38 more (all overdue: "),
        "{out}"
    );
    assert!(out.contains(" items --overdue)\n"), "{out}");
    assert!(
        out.contains("  ✗ Fase 1: Fundación (f1), ended 2026-06-30: failed\n"),
        "{out}"
    );
    let v = json(roadmap(&seed()).args([
        "update",
        "--since",
        "2026-06-24",
        "--as-of",
        "2026-07-01",
        "--format",
        "json",
    ]));
    assert_eq!(v["gates"][0]["phase"], "f1");
    let overdue = v["overdue"].as_array().unwrap();
    assert!(overdue.len() > 10);
    assert!(overdue.iter().all(|i| i["due"] == "2026-06-30"));
    assert_eq!(v["next"]["gate"]["phase"], "f2");
}

#[test]
fn since_must_be_before_the_as_of_date() {
    let dir = example();
    for since in ["2026-07-12", "2026-08-01"] {
        let (code, out, err) =
            run(roadmap(&dir).args(["update", "--since", since, "--as-of", "2026-07-12"]));
        assert_eq!((code, out.as_str()), (2, ""));
        assert_eq!(
            err,
            format!(
                "error: --since {since} is not before the as-of date, 2026-07-12\n  \
                 hint: the update covers the days after --since up to and including \
                 --as-of, e.g. `--since 2026-07-05`\n"
            )
        );
    }
    let (code, _, err) =
        run(roadmap(&dir).args(["update", "--since", "05/07/2026", "--as-of", "2026-07-12"]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: --since: `05/07/2026` is not a date\n"),
        "{err}"
    );
}
