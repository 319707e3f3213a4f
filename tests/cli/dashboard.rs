//! `roadmap dashboard`: the plan's dashboards over a recorded history
//! (`tests/fixtures/dashboard`, run in month 8, phase p2): each metric's
//! reading, its change over the dashboard's cadence, its trend, the target
//! that applies now and its freshness; choosing dashboards by id or
//! cadence; and the bundled plan's panels linked to its metrics.

use insta_cmd::assert_cmd_snapshot;

use crate::{example, fixture, json, roadmap, run, seed};

fn plan() -> std::path::PathBuf {
    fixture("dashboard")
}

/// The JSON report of `dashboard ARGS --as-of DATE`.
fn report(args: &[&str], as_of: &str) -> serde_json::Value {
    json(
        roadmap(&plan())
            .arg("dashboard")
            .args(args)
            .args(["--as-of", as_of, "--format", "json"]),
    )
}

/// The reading of `metric` on the panels of dashboard `id`.
fn reading<'a>(r: &'a serde_json::Value, id: &str, metric: &str) -> &'a serde_json::Value {
    let d = r["dashboards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no dashboard {id}: {r}"));
    d["panels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["metrics"].as_array().unwrap())
        .find(|m| m["metric"] == metric)
        .unwrap_or_else(|| panic!("no {metric} on {id}"))
}

#[test]
fn every_dashboard_in_the_terminal() {
    assert_cmd_snapshot!(roadmap(&plan()).env("COLUMNS", "80").args([
        "dashboard",
        "--as-of",
        "2026-08-15"
    ]));
}

#[test]
fn one_dashboard_as_markdown() {
    assert_cmd_snapshot!(roadmap(&plan()).args([
        "dashboard",
        "weekly",
        "--as-of",
        "2026-08-15",
        "--format",
        "markdown"
    ]));
}

#[test]
fn json_has_the_documented_shape() {
    let r = report(&["weekly"], "2026-08-15");
    assert_eq!(r["as_of"], "2026-08-15");
    assert_eq!(r["phase"], "p2");
    let dashboards = r["dashboards"].as_array().unwrap();
    assert_eq!(dashboards.len(), 1);
    let d = &dashboards[0];
    assert_eq!(
        (&d["id"], &d["name"], &d["cadence"]),
        (&"weekly".into(), &"Weekly review".into(), &"weekly".into())
    );
    let panels = d["panels"].as_array().unwrap();
    assert_eq!(panels[0]["name"], "Growth");
    assert_eq!(panels[0]["shows"], "Revenue, users, churn");
    // A panel with no metric keeps the plan's words for what it shows.
    assert_eq!(panels[1]["name"], "Vision");
    assert_eq!(panels[1]["shows"], "Where we want to be in five years");
    assert_eq!(panels[1]["metrics"], serde_json::json!([]));
    let users = &panels[0]["metrics"][1];
    let mut keys: Vec<&str> = users
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut documented = [
        "metric",
        "name",
        "unit",
        "better",
        "combine",
        "value",
        "value_text",
        "from",
        "to",
        "previous",
        "previous_text",
        "previous_from",
        "previous_to",
        "change_pct",
        "last",
        "stale",
        "trend",
        "target",
    ];
    // Printed in the documented order...
    let (_, out, _) = run(roadmap(&plan()).args([
        "dashboard",
        "weekly",
        "--as-of",
        "2026-08-15",
        "--format",
        "json",
    ]));
    let first = out.find("\"metric\": \"users\"").unwrap();
    let mut at = first;
    for key in documented {
        let found = out[at..].find(&format!("\"{key}\":"));
        at += found.unwrap_or_else(|| panic!("`{key}` out of order: {out}"));
    }
    // ...and nothing else.
    keys.sort_unstable();
    documented.sort_unstable();
    assert_eq!(keys, documented);
    assert_eq!(users["metric"], "users");
    assert_eq!(users["name"], "Active users");
    assert_eq!(users["unit"], "count");
    assert_eq!(users["combine"], "latest");
    assert_eq!(users["value_text"], "1,100");
    assert_eq!(users["last"], "2026-08-14");
    // The target is a `kpis` TARGET: here the current phase's gate target.
    assert_eq!(users["target"]["phase"], "p2");
    assert_eq!(users["target"]["target"], ">= 1,000");
    assert_eq!(users["target"]["verdict"], "met");
}

#[test]
fn a_flow_compares_period_totals_and_a_level_the_value_a_period_before() {
    let r = report(&[], "2026-08-15");
    // Revenue is a sum: the newest recorded day (Aug 14; the 15th is not
    // recorded yet) against the day before it...
    let day = reading(&r, "daily", "revenue");
    assert_eq!(
        (&day["value"], &day["previous"]),
        (&1800.0.into(), &1500.0.into())
    );
    assert_eq!(day["change_pct"], 20.0);
    // ...this week's total against last week's...
    let week = reading(&r, "weekly", "revenue");
    assert_eq!(
        (&week["value"], &week["previous"]),
        (&10800.0.into(), &8400.0.into())
    );
    assert_eq!(
        [
            &week["from"],
            &week["to"],
            &week["previous_from"],
            &week["previous_to"]
        ],
        ["2026-08-08", "2026-08-14", "2026-08-01", "2026-08-07"]
    );
    let pct = week["change_pct"].as_f64().unwrap();
    assert!((pct - 28.571).abs() < 0.01, "{pct}");
    // ...and this month's (a calendar month back from Aug 14) against the
    // month before.
    let month = reading(&r, "monthly", "revenue");
    assert_eq!(
        (&month["from"], &month["to"]),
        (&"2026-07-15".into(), &"2026-08-14".into())
    );
    assert_eq!(
        (&month["value"], &month["previous"]),
        (&37900.0.into(), &31400.0.into())
    );
    // Users is a level: its newest value against the one it had a day,
    // then a week, before.
    let users = reading(&r, "daily", "users");
    assert_eq!(
        (&users["value"], &users["previous"]),
        (&1100.0.into(), &1040.0.into())
    );
    let users = reading(&r, "weekly", "users");
    assert_eq!(users["previous"], 900.0);
    assert_eq!(users["previous_to"], "2026-08-01");
    // The trend reads the same periods, oldest first, ending on the value.
    let trend = week["trend"].as_array().unwrap();
    assert_eq!(trend.last(), Some(&week["value"]));
    assert_eq!(trend[trend.len() - 2], week["previous"]);
    // An average averages each period: Aug 14 against Aug 13.
    let basket = reading(&r, "daily", "basket");
    assert_eq!(basket["change_pct"], 12.5);
}

#[test]
fn no_previous_reading_means_no_change() {
    let r = report(&["monthly"], "2026-08-15");
    // Launched in March: nothing a month before that to compare with.
    let launched = reading(&r, "monthly", "launched");
    assert_eq!(launched["value_text"], "yes");
    assert_eq!(launched["previous"], serde_json::Value::Null);
    assert_eq!(launched["change_pct"], serde_json::Value::Null);
}

#[test]
fn a_value_not_updated_within_the_cadence_is_stale() {
    let r = report(&[], "2026-08-15");
    // Revenue of Aug 14 is fresh on a daily dashboard on Aug 15...
    assert_eq!(reading(&r, "daily", "revenue")["stale"], false);
    // ...churn of Aug 3 is not, on a weekly one...
    assert_eq!(reading(&r, "weekly", "churn")["stale"], true);
    // ...NPS of Jul 31 is, on a monthly one; a milestone reached in March
    // stays reached.
    assert_eq!(reading(&r, "monthly", "nps")["stale"], false);
    assert_eq!(reading(&r, "monthly", "launched")["stale"], false);
    // Two days on, Aug 14 is too old for a daily dashboard, and still fine
    // for a weekly one.
    let later = report(&[], "2026-08-17");
    assert_eq!(reading(&later, "daily", "revenue")["stale"], true);
    assert_eq!(reading(&later, "weekly", "revenue")["stale"], false);
    let (_, out, _) = run(roadmap(&plan()).args(["dashboard", "daily", "--as-of", "2026-08-17"]));
    assert!(out.contains("3d ago, stale"), "{out}");
}

#[test]
fn the_target_that_applies_now() {
    let r = report(&[], "2026-08-15");
    // A standing growth target, judged on its own measure.
    let revenue = &reading(&r, "weekly", "revenue")["target"];
    assert_eq!(revenue["target"], ">= +10%/mo");
    assert_eq!(revenue["verdict"], "met");
    // An earlier phase's target does not apply, nor a qualitative one.
    assert_eq!(
        reading(&r, "monthly", "nps")["target"],
        serde_json::Value::Null
    );
    assert_eq!(
        reading(&r, "daily", "basket")["target"],
        serde_json::Value::Null
    );
    // Before p2, the standing target on users applies.
    let june = report(&["daily"], "2026-06-20");
    assert_eq!(
        reading(&june, "daily", "users")["target"]["target"],
        ">= 5,000"
    );
}

#[test]
fn the_cadence_picks_dashboards() {
    let r = report(&["--cadence", "monthly"], "2026-08-15");
    let ids: Vec<&str> = r["dashboards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["monthly"]);
    let all = report(&[], "2026-08-15");
    assert_eq!(all["dashboards"].as_array().unwrap().len(), 3);
    // A cadence no dashboard has is no error: there is nothing to show.
    let (code, out, _) = run(roadmap(&example()).args([
        "dashboard",
        "--cadence",
        "monthly",
        "--as-of",
        "2026-07-12",
    ]));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "No dashboard is updated monthly; `roadmap dashboard` shows them all.\n"
    );
}

#[test]
fn an_unknown_dashboard_gets_a_did_you_mean() {
    let (code, out, err) =
        run(roadmap(&plan()).args(["dashboard", "weekley", "--as-of", "2026-08-15"]));
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "error: unknown dashboard `weekley`\n  hint: did you mean `weekly`? (dashboards: daily, weekly, monthly)\n"
    );
    // A plan without dashboards says where they go.
    let (code, _, err) =
        run(roadmap(&fixture("gates")).args(["dashboard", "board", "--as-of", "2026-08-15"]));
    assert_eq!(code, 2);
    assert!(err.contains("kpis.yaml has no dashboards"), "{err}");
    let (code, out, _) =
        run(roadmap(&fixture("gates")).args(["dashboard", "--as-of", "2026-08-15"]));
    assert_eq!(
        (code, out.as_str()),
        (0, "No dashboards: add `dashboards:` to kpis.yaml.\n")
    );
    // An id and a cadence cannot both choose.
    let (code, _, err) = run(roadmap(&plan()).args([
        "dashboard",
        "weekly",
        "--cadence",
        "daily",
        "--as-of",
        "2026-08-15",
    ]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_bundled_dashboards_fit_80_columns() {
    let tmp = crate::copy_of(&seed());
    let snapshots = crate::root().join("examples/snapshots");
    let (code, _, err) = run(roadmap(tmp.path())
        .arg("ingest")
        .args(["2026-06.csv", "2026-06.yaml", "daily-revenue.json"].map(|f| snapshots.join(f)))
        .args(["--as-of", "2026-07-03"]));
    assert_eq!(code, 0, "{err}");
    let (code, out, _) =
        run(roadmap(tmp.path())
            .env("COLUMNS", "80")
            .args(["dashboard", "--as-of", "2026-07-03"]));
    assert_eq!(code, 0);
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    assert!(out.contains("Revenue: MRR, ARR, growth rate"), "{out}");
    // Recorded values show on the panels that link their metrics.
    let r = json(roadmap(tmp.path()).args([
        "dashboard",
        "principales",
        "--as-of",
        "2026-07-03",
        "--format",
        "json",
    ]));
    let revenue = reading(&r, "principales", "revenue");
    assert_eq!(
        (&revenue["value_text"], &revenue["previous_text"]),
        (&"$10.1K".into(), &"$9,800".into())
    );
}

#[test]
fn the_bundled_panels_link_a_metric_wherever_one_exists() {
    let r = json(roadmap(&seed()).args(["dashboard", "--as-of", "2026-08-15", "--format", "json"]));
    let unlinked: Vec<&str> = r["dashboards"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["panels"].as_array().unwrap())
        .filter(|p| p["metrics"].as_array().unwrap().is_empty())
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    // Goals and milestones are the plan itself, not a metric.
    assert_eq!(unlinked, ["Strategic"]);
    let (_, out, _) =
        run(roadmap(&seed()).args(["dashboard", "analisis", "--as-of", "2026-08-15"]));
    assert!(
        out.contains("Strategic: Goals, objectives, milestones\n no metric linked\n"),
        "{out}"
    );
}
