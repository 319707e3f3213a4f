//! `roadmap alerts` on a small fixture (`tests/fixtures/alerts/basic`: one
//! rule of each kind) and on the bundled seed: the boundaries of drops and
//! rises, window edges for levels and flows, missing and tiny baselines,
//! `and`, `--severity`, exit codes and the JSON.
//!
//! Each test copies the fixture into a temporary folder and writes the
//! history it needs as `metrics.csv`.

use std::path::Path;

use tempfile::TempDir;

use crate::{copy_of, fixture, roadmap, run, seed};

/// The alert fixture with `rows` (date, metric, canonical value) as its
/// history.
pub fn fixture_with(rows: &[(&str, &str, f64)]) -> TempDir {
    let tmp = copy_of(&fixture("alerts/basic"));
    write_history(tmp.path(), rows);
    tmp
}

pub fn write_history(dir: &Path, rows: &[(&str, &str, f64)]) {
    let mut csv = String::from("date,metric,value,source,note\n");
    for (date, metric, value) in rows {
        csv.push_str(&format!("{date},{metric},{value},,\n"));
    }
    std::fs::write(dir.join("metrics.csv"), csv).expect("metrics.csv is written");
}

/// `roadmap alerts --as-of DATE [extra...]` -> (code, stdout).
fn alerts(dir: &Path, as_of: &str, extra: &[&str]) -> (i32, String) {
    let (code, out, err) = run(roadmap(dir).args(["alerts", "--as-of", as_of]).args(extra));
    assert!(code == 0 || code == 1, "exit {code}, stderr: {err}");
    (code, out)
}

/// The firing alerts of `--format json`, and the exit code.
fn firing(dir: &Path, as_of: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let (code, out) = alerts(dir, as_of, &[&["--format", "json"], extra].concat());
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"));
    assert_eq!(v["as_of"], as_of);
    let list = v["alerts"].as_array().expect("an alerts array").clone();
    (code, list)
}

fn ids(alerts: &[serde_json::Value]) -> Vec<&str> {
    alerts.iter().filter_map(|a| a["id"].as_str()).collect()
}

/// The "Quiet: ..." part of the table output, on one line.
fn quiet(out: &str) -> String {
    let at = out.find("Quiet: ").unwrap_or(out.len());
    out[at..].split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn an_exact_10_percent_drop_does_not_fire_on_more_than_10_percent() {
    let dir = fixture_with(&[
        ("2026-03-03", "revenue", 10_000.0),
        ("2026-03-10", "revenue", 9_000.0),
    ]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("Alerts as of 2026-03-10: none firing · 7 quiet\n"),
        "{out}"
    );
    assert!(
        quiet(&out).starts_with("Quiet: revenue-drop, customer-churn"),
        "{out}"
    );

    // The same history fires once the rule says `>=`.
    let file = dir.path().join("alerts.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace("revenue drop > 10%", "revenue drop >= 10%");
    std::fs::write(&file, text).unwrap();
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("revenue fell 10% in 7 days ($10K → $9K)"),
        "{out}"
    );
}

#[test]
fn a_20_percent_drop_fires_with_its_values_and_action() {
    let dir = fixture_with(&[
        ("2026-03-03", "revenue", 10_000.0),
        ("2026-03-10", "revenue", 8_000.0),
    ]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "✗ revenue-drop (critical) Revenue Drop\n\
             \x20 revenue fell 20% in 7 days ($10K → $8K)\n\
             \x20 → Marketing: Budget reallocation automática\n"
        ),
        "{out}"
    );

    let (code, list) = firing(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&list), ["revenue-drop"]);
    let a = &list[0];
    assert_eq!(a["severity"], "critical");
    assert_eq!(a["firing"], true);
    assert_eq!(a["metric"], "revenue");
    assert_eq!(a["condition"], "revenue drop > 10% over 7d");
    assert_eq!(a["text"], "> 10% en 7 días");
    let c = &a["clauses"][0];
    assert_eq!(c["holds"], true);
    assert_eq!(c["value"], 8000.0);
    assert_eq!(c["baseline"], 10000.0);
    assert_eq!(c["unit"], "usd");
    assert!(
        (c["change_pct"].as_f64().unwrap() - 20.0).abs() < 1e-9,
        "{c}"
    );
    assert_eq!(
        (c["from"].as_str(), c["to"].as_str()),
        (Some("2026-02-25"), Some("2026-03-10"))
    );
    assert_eq!(c["points"], 2);
    assert_eq!(c["note"], serde_json::Value::Null);
    assert_eq!(
        a["action"],
        serde_json::json!({"id": "marketing", "area": "Marketing",
                           "title": "Budget reallocation automática"})
    );
}

#[test]
fn a_flow_splits_its_windows_at_as_of_minus_days() {
    // As of Mar 10 over 7 days: Mar 4..=10 is the current week, Feb 25..=
    // Mar 3 the week before; Feb 24 is in neither.
    let dir = fixture_with(&[
        ("2026-02-24", "revenue", 50_000.0),
        ("2026-02-25", "revenue", 5_000.0),
        ("2026-03-03", "revenue", 5_000.0),
        ("2026-03-04", "revenue", 4_000.0),
        ("2026-03-10", "revenue", 4_000.0),
        ("2026-03-11", "revenue", 0.0),
    ]);
    let (code, list) = firing(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 1);
    let c = &list[0]["clauses"][0];
    assert_eq!(
        (c["baseline"].as_f64(), c["value"].as_f64()),
        (Some(10_000.0), Some(8_000.0))
    );
    assert_eq!(c["points"], 4);

    // A day later, with that day's (zero) total recorded, Feb 25 drops out
    // and Mar 4 moves into the earlier week. (Unrecorded, the windows would
    // stay on the newest recorded day: see a_day_not_recorded_yet_is_not_a_drop.)
    let (_, list) = firing(dir.path(), "2026-03-11", &[]);
    let c = &list[0]["clauses"][0];
    assert_eq!(
        (c["baseline"].as_f64(), c["value"].as_f64()),
        (Some(9_000.0), Some(4_000.0))
    );
}

#[test]
fn a_level_takes_its_baseline_exactly_days_before() {
    // The value of Mar 3 (as_of - 7) is the baseline, not the one of Mar 4.
    let dir = fixture_with(&[
        ("2026-03-03", "active_users", 1_000.0),
        ("2026-03-04", "active_users", 2_000.0),
        ("2026-03-10", "active_users", 1_250.0),
    ]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 0, "an opportunity does not fail: {out}");
    assert!(
        out.contains("★ growth-spike (opportunity) Growth Spike\n  active_users rose 25% in 7 days (1,000 → 1,250)\n  → Scaling: Auto-scaling de infraestructura\n"),
        "{out}"
    );
    // Without a value on or before as_of - 7 there is nothing to rise from.
    let dir = fixture_with(&[
        ("2026-03-04", "active_users", 1_000.0),
        ("2026-03-10", "active_users", 1_250.0),
    ]);
    let (_, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert!(quiet(&out).contains("growth-spike (no data)"), "{out}");
}

#[test]
fn no_history_is_quiet_with_no_data() {
    let dir = copy_of(&fixture("alerts/basic"));
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "Alerts as of 2026-03-10: none firing · 7 quiet\n\n\
         Quiet: revenue-drop (no data), customer-churn (no data), security-breach (no data),\n  \
         slow-api (no data), growth-spike (no data), low-cac (no data), cheap-growth (no data)\n"
    );
    let (code, list) = firing(dir.path(), "2026-03-10", &[]);
    assert_eq!((code, list.len()), (0, 0));
}

#[test]
fn old_values_outside_the_window_are_no_data() {
    // 30 days back from any time of Mar 10 reach into Feb 8, not Feb 7.
    let dir = fixture_with(&[("2026-02-07", "churn_rate", 9.0)]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(quiet(&out).contains("customer-churn (no data)"), "{out}");

    let dir = fixture_with(&[("2026-02-08", "churn_rate", 6.5)]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("✗ customer-churn (critical) Customer Churn\n  churn_rate is 6.5% over 30 days (> 5%)\n  → Support: Escalation automática de tickets\n"),
        "{out}"
    );
}

#[test]
fn zero_and_small_baselines_do_not_fire() {
    // From zero users, and from $500 of revenue (min_baseline is $1K).
    let dir = fixture_with(&[
        ("2026-03-03", "active_users", 0.0),
        ("2026-03-10", "active_users", 500.0),
        ("2026-03-03", "revenue", 500.0),
        ("2026-03-10", "revenue", 100.0),
    ]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 0, "{out}");
    let q = quiet(&out);
    assert!(
        q.starts_with("Quiet: revenue-drop, customer-churn (no data)"),
        "{out}"
    );
    assert!(q.contains(" growth-spike,"), "{out}");

    // With $1K of baseline the same fall fires.
    let dir = fixture_with(&[
        ("2026-03-03", "revenue", 1_000.0),
        ("2026-03-10", "revenue", 100.0),
    ]);
    let (code, list) = firing(dir.path(), "2026-03-10", &[]);
    assert_eq!((code, ids(&list)), (1, vec!["revenue-drop"]));
}

#[test]
fn an_event_on_the_day_fires_over_24h_and_one_two_days_before_does_not() {
    let dir = fixture_with(&[("2026-03-10", "security_incidents", 2.0)]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("✗ security-breach (critical) Security Breach\n  security_incidents: 2 over 1 day (> 0)\n\n"),
        "{out}"
    );
    let dir = fixture_with(&[("2026-03-08", "security_incidents", 2.0)]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(quiet(&out).contains("security-breach (no data)"), "{out}");
}

#[test]
fn averages_cover_the_window() {
    // 1s and 4s this week average 2.5s; the 9s of eight days ago is out.
    let dir = fixture_with(&[
        ("2026-03-02", "response_time", 9.0),
        ("2026-03-04", "response_time", 1.0),
        ("2026-03-10", "response_time", 4.0),
    ]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("  response_time averages 2.5s over 7 days (> 2s)\n"),
        "{out}"
    );
}

#[test]
fn and_needs_both_clauses() {
    // cac $45 fires low-cac (< $50) but not cheap-growth (< $40).
    let dir = fixture_with(&[
        ("2026-03-10", "active_users", 1_500.0),
        ("2026-03-01", "cac", 45.0),
    ]);
    let (code, list) = firing(dir.path(), "2026-03-10", &[]);
    assert_eq!((code, ids(&list)), (0, vec!["low-cac"]));

    let dir = fixture_with(&[
        ("2026-03-10", "active_users", 900.0),
        ("2026-03-01", "cac", 35.0),
    ]);
    let (_, list) = firing(dir.path(), "2026-03-10", &[]);
    assert_eq!(ids(&list), ["low-cac"]);

    let dir = fixture_with(&[
        ("2026-03-10", "active_users", 1_500.0),
        ("2026-03-01", "cac", 35.0),
    ]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("★ cheap-growth (opportunity) Cheap Growth\n  active_users is 1,500 (> 1,000)\n  cac is $35 on 2026-03-01 (< $40)\n"),
        "{out}"
    );
}

#[test]
fn severity_selects_alerts_and_the_exit_code() {
    let dir = fixture_with(&[
        ("2026-03-10", "security_incidents", 1.0),
        ("2026-03-01", "cac", 45.0),
    ]);
    let (code, list) = firing(dir.path(), "2026-03-10", &[]);
    assert_eq!((code, ids(&list)), (1, vec!["security-breach", "low-cac"]));

    let (code, list) = firing(dir.path(), "2026-03-10", &["--severity", "opportunity"]);
    assert_eq!((code, ids(&list)), (0, vec!["low-cac"]));
    let (code, out) = alerts(dir.path(), "2026-03-10", &["--severity", "opportunity"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Opportunity alerts as of 2026-03-10: 1 firing · 2 quiet\n"),
        "{out}"
    );

    let (code, list) = firing(dir.path(), "2026-03-10", &["--severity", "critical"]);
    assert_eq!((code, ids(&list)), (1, vec!["security-breach"]));
}

#[test]
fn critical_alerts_come_first() {
    let dir = fixture_with(&[
        ("2026-03-01", "cac", 45.0),
        ("2026-03-10", "churn_rate", 7.0),
    ]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 1);
    let churn = out.find("customer-churn (critical)").unwrap();
    let cac = out.find("low-cac (opportunity)").unwrap();
    assert!(churn < cac, "{out}");
    assert!(out.starts_with("Alerts as of 2026-03-10: 2 firing (1 critical) · 5 quiet\n"));
}

#[test]
fn table_with_a_critical_and_an_opportunity_alert() {
    let dir = fixture_with(&[
        ("2026-03-03", "revenue", 10_000.0),
        ("2026-03-10", "revenue", 8_000.0),
        ("2026-03-03", "active_users", 1_000.0),
        ("2026-03-10", "active_users", 1_250.0),
    ]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn markdown_lists_the_same_alerts() {
    let dir = fixture_with(&[
        ("2026-03-03", "revenue", 10_000.0),
        ("2026-03-10", "revenue", 8_000.0),
    ]);
    let (code, out) = alerts(dir.path(), "2026-03-10", &["--format", "markdown"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("## Alerts as of 2026-03-10: 1 firing (1 critical) · 6 quiet\n"),
        "{out}"
    );
    assert!(
        out.contains("- **✗ revenue-drop** (critical) Revenue Drop\n  - revenue fell 20% in 7 days ($10K → $8K)\n"),
        "{out}"
    );
    assert!(out.contains("Quiet: `customer-churn` (no data), "), "{out}");
}

#[test]
fn the_seed_fires_revenue_drop_when_a_week_s_revenue_falls_20_percent() {
    let dir = copy_of(&seed());
    // $2,000 a day for a week, then $1,600 a day: $14K, then $11.2K.
    for day in 1..=14 {
        let value = if day <= 7 {
            "revenue=$2,000"
        } else {
            "revenue=$1,600"
        };
        let on = format!("2026-03-{day:02}");
        let (code, _, err) = run(roadmap(dir.path()).args(["record", value, "--on", &on]));
        assert_eq!(code, 0, "{err}");
    }
    let (code, out) = alerts(dir.path(), "2026-03-14", &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(
            "Alerts as of 2026-03-14: 1 firing (1 critical) · 9 quiet\n\n\
             ✗ revenue-drop (critical) Revenue Drop\n  \
             revenue fell 20% in 7 days ($14K → $11.2K)\n  \
             → Marketing: Budget reallocation automática\n"
        ),
        "{out}"
    );
    let (_, list) = firing(dir.path(), "2026-03-14", &[]);
    assert_eq!(ids(&list), ["revenue-drop"]);
    // On Mar 9 the week before holds two days ($4K) and this week $13.2K:
    // a rise, not a fall.
    let (code, _) = alerts(dir.path(), "2026-03-09", &[]);
    assert_eq!(code, 0);
}

#[test]
fn the_seed_fits_80_columns() {
    let (code, out, _) =
        run(roadmap(&seed())
            .env("COLUMNS", "80")
            .args(["alerts", "--as-of", "2026-03-14"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Alerts as of 2026-03-14: none firing · 10 quiet\n"),
        "{out}"
    );
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
}

#[test]
fn a_day_not_recorded_yet_is_not_a_drop() {
    // Revenue recorded every day up to yesterday: today's total is simply
    // not in yet, and the critical revenue-drop alert must stay quiet.
    let tmp = copy_of(&seed());
    let mut csv = String::from("date,metric,value,source,note\n");
    for day in 1..=14 {
        csv.push_str(&format!("2026-03-{day:02},revenue,10000,,\n"));
    }
    std::fs::write(tmp.path().join("metrics.csv"), csv).unwrap();
    let (code, out, _) = run(roadmap(tmp.path()).args(["alerts", "--as-of", "2026-03-15"]));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("Alerts as of 2026-03-15: none firing"),
        "{out}"
    );
}

#[test]
fn an_alert_without_a_window_does_not_fire_on_a_stale_value() {
    // The seed's "Low CAC: < $50" has no window. A $40 CAC recorded in
    // January fires then, but by August it is as stale for `alerts` as it
    // is for `kpis` (CAC is a daily metric).
    let tmp = copy_of(&seed());
    write_history(tmp.path(), &[("2026-01-15", "cac", 40.0)]);
    let (_, fired) = firing(tmp.path(), "2026-01-15", &[]);
    assert!(ids(&fired).contains(&"low-cac"), "{fired:?}");
    let (_, fired) = firing(tmp.path(), "2026-08-15", &[]);
    assert!(!ids(&fired).contains(&"low-cac"), "{fired:?}");
    let (_, out) = alerts(tmp.path(), "2026-08-15", &[]);
    assert!(quiet(&out).contains("low-cac (stale data)"), "{out}");
    let (_, out, _) =
        run(roadmap(tmp.path()).args(["kpis", "--as-of", "2026-08-15", "--format", "json"]));
    let kpis: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cac: Vec<&serde_json::Value> = kpis["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["metric"] == "cac" && t["points"] != 0)
        .collect();
    assert!(!cac.is_empty(), "{kpis}");
    assert!(cac.iter().all(|t| t["verdict"] == "stale"), "{cac:?}");
}
