//! Phase gates, `check`, `kpis` and `roadmap test`: the verdicts CI relies
//! on, each failing criterion explained, and projections that warn but
//! never fail.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

use crate::{copy_of, fixture, json, roadmap, run, seed};

fn ok(cmd: &mut std::process::Command) -> String {
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
    out
}

/// Phase 1 values that meet every target of its gate (as in
/// roadmap/tests/gates.yaml), for `roadmap record`.
const F1_MET: &[&str] = &[
    "mvp_launched=yes",
    "beta_users=120",
    "satisfaction=88%",
    "leads=1,200",
    "lead_conversion=6%",
    "cac=$140",
    "revenue=$55K",
    "customers=12",
    "sales_cycle_days=28d",
    "team_size=11",
    "employee_satisfaction=91%",
    "models_deployed=3",
    "model_accuracy_avg=81%",
    "automation_rate=42%",
    "lead_scoring_accuracy=82%",
    "churn_prediction_accuracy=76%",
    "price_optimization_accuracy=71%",
    "content_recommendation_accuracy=79%",
];

#[test]
fn phase_one_gate_from_no_data_to_pass_and_back_to_fail() {
    let tmp = copy_of(&seed());
    let dir = tmp.path();
    let check = || {
        let mut cmd = roadmap(dir);
        cmd.args(["check", "--phase", "f1", "--as-of", "2026-07-01"]);
        run(&mut cmd)
    };
    // No data, nothing done: the gate fails and says why.
    let (code, out, _) = check();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ items: 0 of 112 done"), "{out}");
    assert!(
        out.contains("✗ CAC: no value recorded in its window, wanted <= $150"),
        "{out}"
    );

    // Every item of the phase done, every target met: the gate passes.
    assert_eq!(crate::done_phase(dir, "f1", "2026-06-20"), 112);
    ok(roadmap(dir)
        .args(["record", "--on", "2026-06-30", "--as-of", "2026-06-30"])
        .args(F1_MET));
    let (code, out, _) = check();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("✓ Fase 1: Fundación (f1), ended 2026-06-30: pass"),
        "{out}"
    );

    // One worse value fails it again and names that target.
    ok(roadmap(dir).args([
        "record",
        "cac=$500",
        "--replace",
        "--on",
        "2026-06-30",
        "--as-of",
        "2026-06-30",
    ]));
    let (code, out, _) = check();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ CAC: $500, wanted <= $150"), "{out}");
    let v = json_failing(roadmap(dir).args([
        "check",
        "--phase",
        "f1",
        "--as-of",
        "2026-07-01",
        "--format",
        "json",
    ]));
    let cac = v["gates"][0]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["metric"] == "cac")
        .unwrap();
    assert_eq!(
        (
            cac["target"].as_str(),
            cac["actual"].as_f64(),
            cac["verdict"].as_str()
        ),
        (Some("<= $150"), Some(500.0), Some("unmet"))
    );
}

/// JSON of a command expected to exit 1.
fn json_failing(cmd: &mut std::process::Command) -> serde_json::Value {
    let (code, out, err) = run(cmd);
    assert_eq!(code, 1, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn check_json_has_the_documented_shape() {
    let v =
        json_failing(roadmap(&seed()).args(["check", "--as-of", "2026-08-15", "--format", "json"]));
    assert_eq!(v["ok"], false);
    assert_eq!(v["as_of"], "2026-08-15");
    let gates = v["gates"].as_array().unwrap();
    // Only phase 1 is due on 2026-08-15.
    assert_eq!(gates.len(), 1);
    let g = &gates[0];
    assert_eq!(
        (
            g["phase"].as_str(),
            g["due"].as_bool(),
            g["verdict"].as_str()
        ),
        (Some("f1"), Some(true), Some("fail"))
    );
    assert_eq!(g["items"]["done"], 0);
    assert_eq!(g["items"]["total"], 112);
    assert_eq!(g["items"]["open"].as_array().unwrap().len(), 112);
    for t in g["targets"].as_array().unwrap() {
        for key in ["metric", "target", "actual", "verdict"] {
            assert!(t.get(key).is_some(), "{key} missing in {t}");
        }
        assert_eq!(t["verdict"], "no-data");
    }
    assert!(v["alerts"].as_array().unwrap().is_empty());
}

#[test]
fn a_gate_is_due_the_day_after_its_phase_ends() {
    let dir = fixture("gates");
    // On the last day of phase 1 no gate is due: nothing to fail.
    let (code, out, _) = run(roadmap(&dir).args(["check", "--as-of", "2026-03-31"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no gate is due"), "{out}");
    assert!(
        out.contains("Next gate: p1, judged once its phase ends on 2026-03-31."),
        "{out}"
    );
    // The next day it is.
    let (code, _, _) = run(roadmap(&dir).args(["check", "--as-of", "2026-04-01"]));
    assert_eq!(code, 1);
}

#[test]
fn a_warning_band_warns_instead_of_failing() {
    let tmp = copy_of(&fixture("gates"));
    let dir = tmp.path();
    ok(roadmap(dir).args(["done", "site", "--as-of", "2026-03-01"]));
    ok(roadmap(dir).args([
        "record",
        "signups=90",
        "rating=4.6",
        "--on",
        "2026-03-20",
        "--as-of",
        "2026-03-20",
    ]));
    let (code, out, _) = run(roadmap(dir).args(["check", "--as-of", "2026-04-01"]));
    assert_eq!(code, 0, "a warning is not a failure: {out}");
    assert!(
        out.contains("! Launch (p1), ended 2026-03-31: pass with warnings"),
        "{out}"
    );
    assert!(
        out.contains("! Signups: 90, wanted >= 100 (inside the warning band >= 80)"),
        "{out}"
    );
    ok(roadmap(dir).args([
        "record",
        "signups=60",
        "--replace",
        "--on",
        "2026-03-20",
        "--as-of",
        "2026-03-20",
    ]));
    let (code, out, _) = run(roadmap(dir).args(["check", "--as-of", "2026-04-01"]));
    assert_eq!(code, 1, "below the band fails: {out}");
}

#[test]
fn a_phase_without_targets_is_gated_by_its_items() {
    let tmp = copy_of(&fixture("gates"));
    let dir = tmp.path();
    let verdict = |dir: &Path| {
        let (_, out, _) = run(roadmap(dir).args([
            "check",
            "--phase",
            "p2",
            "--as-of",
            "2026-07-01",
            "--format",
            "json",
        ]));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        (
            v["gates"][0]["verdict"].as_str().unwrap().to_string(),
            v["gates"][0]["items"]["required"].as_u64(),
        )
    };
    assert_eq!(verdict(dir), ("fail".into(), Some(1)));
    // The gate asks for 50% of two items: one is enough.
    ok(roadmap(dir).args(["done", "ads", "--as-of", "2026-05-01"]));
    assert_eq!(verdict(dir), ("pass".into(), Some(1)));
}

#[test]
fn markdown_for_the_step_summary_and_annotations_for_github() {
    assert_cmd_snapshot!(roadmap(&fixture("gates")).args([
        "check",
        "--as-of",
        "2026-04-01",
        "--format",
        "markdown"
    ]));
    let (code, out, err) = run(roadmap(&fixture("gates"))
        .env("GITHUB_ACTIONS", "true")
        .args(["check", "--as-of", "2026-04-01"]));
    assert_eq!(code, 1);
    // Annotations go to stderr, so stdout stays the report.
    assert!(!out.contains("::error"), "{out}");
    let annotations: Vec<&str> = err.lines().filter(|l| l.starts_with("::")).collect();
    let kpis = fixture("gates").join("kpis.yaml");
    let signups = target_line(&kpis, "signups", "p1");
    let rating = target_line(&kpis, "rating", "p1");
    let item = line_of(&fixture("gates").join("roadmap.yaml"), "- id: site");
    // The column of the mapping's first key, after `- `.
    let item_col = col_of(&fixture("gates").join("roadmap.yaml"), item, "id:");
    let col = col_of(&kpis, signups, "metric:");
    assert_eq!(
        annotations,
        [
            format!(
                "::error file=tests/fixtures/gates/roadmap.yaml,line={item},col={item_col},title=Gate p1%3A items::items: 0 of 1 done (all required; roadmap --dir tests/fixtures/gates items --phase p1 --open)"
            ),
            format!(
                "::error file=tests/fixtures/gates/kpis.yaml,line={signups},col={col},title=Gate p1%3A Signups::Signups: no value recorded in its window, wanted >= 100"
            ),
            format!(
                "::error file=tests/fixtures/gates/kpis.yaml,line={rating},col={col},title=Gate p1%3A Rating::Rating: no value recorded in its window, wanted >= 4.5/5"
            ),
        ]
    );
    // Without GITHUB_ACTIONS there are none.
    let (_, _, plain) = run(roadmap(&fixture("gates")).args(["check", "--as-of", "2026-04-01"]));
    assert!(!plain.contains("::error"));
}

#[test]
fn kpis_project_a_rising_history_to_the_phase_end() {
    let tmp = copy_of(&seed());
    let dir = tmp.path();
    for (date, users) in [
        ("2026-01-15", "20"),
        ("2026-02-15", "40"),
        ("2026-03-15", "60"),
    ] {
        ok(roadmap(dir).args([
            "record",
            &format!("beta_users={users}"),
            "--on",
            date,
            "--as-of",
            date,
        ]));
    }
    ok(roadmap(dir).args([
        "record",
        "cac=$190",
        "--on",
        "2026-03-01",
        "--as-of",
        "2026-03-01",
    ]));
    ok(roadmap(dir).args([
        "record",
        "cac=$185",
        "--on",
        "2026-03-08",
        "--as-of",
        "2026-03-08",
    ]));
    ok(roadmap(dir).args([
        "record",
        "cac=$180",
        "--on",
        "2026-03-15",
        "--as-of",
        "2026-03-15",
    ]));
    let v = json(roadmap(dir).args(["kpis", "--as-of", "2026-03-15", "--format", "json"]));
    assert_eq!(v["phase"], "f1");
    let target = |id: &str| {
        v["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["metric"] == id && t["phase"] == "f1")
            .unwrap()
            .clone()
    };
    let beta = target("beta_users");
    let p = &beta["prediction"];
    // 20 a month since mid-January: about 130 by the end of June.
    let value = p["value"].as_f64().unwrap();
    assert!((125.0..135.0).contains(&value), "{p}");
    assert_eq!(
        (
            p["at"].as_str(),
            p["points"].as_u64(),
            p["on_pace"].as_bool()
        ),
        (Some("2026-06-30"), Some(3), Some(true))
    );
    let cac = target("cac");
    // $5 a week down from $190: about $110 by the end of June, under $150.
    assert_eq!(cac["prediction"]["on_pace"], true, "{cac}");
    // A target without enough history has no projection.
    assert!(target("revenue")["prediction"].is_null());
    let (_, table, _) = run(roadmap(dir).env("COLUMNS", "120").args([
        "kpis",
        "--phase",
        "f1",
        "--as-of",
        "2026-03-15",
    ]));
    let line = table.lines().find(|l| l.contains("Usuarios beta")).unwrap();
    assert!(line.contains("on pace"), "{line}");
    // A projection is advice: a gate that is not due does not fail `check`.
    let (code, out, _) = run(roadmap(dir).args(["check", "--as-of", "2026-03-15"]));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn at_risk_projections_are_warnings_in_check() {
    let tmp = copy_of(&seed());
    let dir = tmp.path();
    for (date, users) in [
        ("2026-01-15", "10"),
        ("2026-02-15", "12"),
        ("2026-03-15", "14"),
    ] {
        ok(roadmap(dir).args([
            "record",
            &format!("beta_users={users}"),
            "--on",
            date,
            "--as-of",
            date,
        ]));
    }
    let (code, out, _) =
        run(roadmap(dir).args(["check", "--phase", "f1", "--as-of", "2026-03-15"]));
    assert_eq!(code, 1, "the gate would fail today (items, data): {out}");
    let line = out
        .lines()
        .find(|l| l.contains("Usuarios beta: projected"))
        .unwrap();
    assert!(
        line.starts_with("  ~ Usuarios beta: projected 21 by 2026-06-30 from 3 values"),
        "{line}"
    );
    assert!(line.ends_with("at risk for >= 100"), "{line}");
}

#[test]
fn bundled_rule_tests_pass() {
    let (code, out, err) = run(roadmap(&seed()).arg("test"));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.trim_end().ends_with(" passed, 0 failed"), "{out}");
    assert!(out.contains("✓ a 20% revenue drop within 7 days fires revenue-drop and fails check"));
}

#[test]
fn a_failing_rule_test_exits_1_and_says_what_differed() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("t.yaml");
    std::fs::write(
        &file,
        "tests:\n  - name: low cac\n    as_of: 2026-03-14\n    values:\n      - {date: 2026-03-14, values: {cac: $40}}\n    expect:\n      alerts: []\n",
    )
    .unwrap();
    let (code, out, _) = run(roadmap(&seed()).arg("test").arg(&file));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ low cac ("), "{out}");
    assert!(
        out.contains("    alert `low-cac` fires but is not expected"),
        "{out}"
    );
    assert!(out.ends_with("\n0 passed, 1 failed\n"), "{out}");
}

#[test]
fn a_bad_rule_test_file_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("t.yaml");
    std::fs::write(&file, "tests:\n  - name: x\n    as_of: 2026-03-14\n    expect:\n      alerts: [low-cak]\n      gates: {f9: pass}\n").unwrap();
    let (code, _, err) = run(roadmap(&seed()).arg("test").arg(&file));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("t.yaml:5:16: unknown alert `low-cak`"),
        "{err}"
    );
    assert!(err.contains("did you mean `low-cac`?"), "{err}");
    assert!(err.contains("t.yaml:6:15: unknown phase `f9`"), "{err}");
}

#[test]
fn a_running_total_is_projected_at_its_rate() {
    // Leads are summed over the phase and have a growth target elsewhere;
    // 20 a day for July must project about 3,700 by December, not millions.
    let tmp = copy_of(&seed());
    let mut csv = String::from("date,metric,value,source,note\n");
    for day in 1..=30 {
        csv.push_str(&format!("2026-07-{day:02},leads,20,,\n"));
    }
    std::fs::write(tmp.path().join("metrics.csv"), csv).unwrap();
    let v = json(roadmap(tmp.path()).args([
        "kpis",
        "--phase",
        "f2",
        "--as-of",
        "2026-07-30",
        "--format",
        "json",
    ]));
    let leads = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["metric"] == "leads")
        .unwrap();
    let p = &leads["prediction"];
    let value = p["value"].as_f64().unwrap();
    assert!((3500.0..3900.0).contains(&value), "{p}");
    assert_eq!(
        (p["model"].as_str(), p["on_pace"].as_bool()),
        (Some("linear"), Some(false))
    );
}

#[test]
fn percent_of_target_reads_the_same_way_for_a_target_to_stay_under() {
    let tmp = copy_of(&seed());
    let (code, _, err) = run(roadmap(tmp.path()).args([
        "record",
        "cac=$120",
        "beta_users=50",
        "--as-of",
        "2026-03-01",
    ]));
    assert_eq!(code, 0, "{err}");
    let v = json(roadmap(tmp.path()).args([
        "kpis",
        "--phase",
        "f1",
        "--as-of",
        "2026-03-01",
        "--format",
        "json",
    ]));
    let pct = |id: &str| {
        v["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["metric"] == id)
            .unwrap()["percent_of_target"]
            .as_f64()
            .unwrap()
    };
    // $120 against <= $150 is met: 125%. 50 of >= 100 is half way: 50%.
    assert!((pct("cac") - 125.0).abs() < 1e-9);
    assert!((pct("beta_users") - 50.0).abs() < 1e-9);
}

/// The 1-based line of the first line of `file` that starts (after its
/// indentation) with `start`.
fn line_of(file: &Path, start: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .position(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no `{start}` in {}", file.display()))
        + 1
}

/// The line where the gate target of `metric` for `phase` starts in a
/// kpis.yaml: its `- metric:` line, followed by `phase: PHASE`.
fn target_line(kpis: &Path, metric: &str, phase: &str) -> usize {
    let text = std::fs::read_to_string(kpis).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .position(|w| {
            w[0].trim() == format!("- metric: {metric}") && w[1].trim() == format!("phase: {phase}")
        })
        .unwrap_or_else(|| panic!("no target of {metric} for {phase} in {}", kpis.display()))
        + 1
}

/// The column (1-based) where `key` starts on line `line` of `file`.
pub fn col_of(file: &Path, line: usize, key: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    let l = text.lines().nth(line - 1).unwrap();
    l.find(key)
        .unwrap_or_else(|| panic!("no `{key}` on line {line} of {}", file.display()))
        + 1
}

/// The `::` workflow commands `check` prints on stderr.
fn annotations_of(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.starts_with("::")).collect()
}

#[test]
fn annotations_point_at_the_bundled_plans_targets_and_stay_within_githubs_limit() {
    let (code, _, err) = run(roadmap(&seed()).env("GITHUB_ACTIONS", "true").args([
        "check",
        "--as-of",
        "2026-08-15",
    ]));
    assert_eq!(code, 1, "{err}");
    let annotations = annotations_of(&err);
    let beta = target_line(&seed().join("kpis.yaml"), "beta_users", "f1");
    let col = col_of(&seed().join("kpis.yaml"), beta, "metric:");
    let wanted = format!(
        "::error file=roadmap/kpis.yaml,line={beta},col={col},title=Gate f1%3A Usuarios beta::Usuarios beta: no value recorded in its window, wanted >= 100"
    );
    assert!(annotations.contains(&wanted.as_str()), "{annotations:#?}");
    // GitHub shows ten errors a step: ten, then a notice that says how
    // many more the report holds.
    let errors: Vec<&&str> = annotations
        .iter()
        .filter(|a| a.starts_with("::error"))
        .collect();
    assert_eq!(errors.len(), 10, "{annotations:#?}");
    let notice = annotations.last().unwrap();
    assert!(
        notice.starts_with("::notice file=roadmap/kpis.yaml,line=")
            && notice.contains("more failures not annotated here"),
        "{notice}"
    );
    // Every one points at a line of the plan.
    for a in &errors {
        assert!(a.starts_with("::error file=roadmap/"), "{a}");
    }
    insta::assert_snapshot!(annotations.join("\n"));
}

#[test]
fn annotations_point_at_the_bakerys_gate_target_item_and_alert() {
    // The bakery as a repository's roadmap/ folder, checked from the
    // repository's top as a workflow does, with a week of sales half the
    // week before so the critical alert fires.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("roadmap");
    crate::copy_dir(&crate::example(), &dir);
    let in_repo = |cmd: &mut std::process::Command| {
        cmd.current_dir(tmp.path())
            .env("GITHUB_WORKSPACE", tmp.path());
    };
    for day in 1..=14 {
        let value = if day <= 7 {
            "revenue=$600"
        } else {
            "revenue=$300"
        };
        let on = format!("2026-08-{day:02}");
        let mut cmd = roadmap(&dir);
        in_repo(&mut cmd);
        ok(cmd.args(["record", value, "--on", &on]));
    }
    let mut cmd = roadmap(&dir);
    in_repo(&mut cmd);
    let (code, _, err) =
        run(cmd
            .env("GITHUB_ACTIONS", "true")
            .args(["check", "--as-of", "2026-08-14"]));
    assert_eq!(code, 1, "{err}");
    let fitout = target_line(&dir.join("kpis.yaml"), "fitout_days", "find");
    let alert = line_of(&dir.join("alerts.yaml"), "- id: sales-drop");
    let items = json(roadmap(&dir).args([
        "items",
        "--phase",
        "find",
        "--open",
        "--format",
        "json",
        "--as-of",
        "2026-08-14",
    ]));
    let first_open = items["items"][0]["id"].as_str().unwrap();
    let item = line_of(&dir.join("roadmap.yaml"), &format!("- id: {first_open}"));
    let item = format!(
        "{item},col={}",
        col_of(&dir.join("roadmap.yaml"), item, "id:")
    );
    let fitout = format!(
        "{fitout},col={}",
        col_of(&dir.join("kpis.yaml"), fitout, "metric:")
    );
    let alert = format!(
        "{alert},col={}",
        col_of(&dir.join("alerts.yaml"), alert, "id:")
    );
    let annotations = annotations_of(&err);
    assert_eq!(
        annotations,
        [
            format!(
                "::error file=roadmap/roadmap.yaml,line={item},title=Gate find%3A items::items: 1 of 2 done (all required; roadmap --dir {} items --phase find --open)",
                dir.display()
            ),
            format!(
                "::error file=roadmap/kpis.yaml,line={fitout},title=Gate find%3A Fit-out time::Fit-out time: no value recorded in its window, wanted <= 45d"
            ),
            format!(
                "::error file=roadmap/alerts.yaml,line={alert},title=Alert sales-drop::sales-drop (critical): revenue fell 50%25 in 7 days ($4,200 → $2,100) → Marketing: Loyalty-card double stamps for a week"
            ),
        ],
        "{err}"
    );
}
