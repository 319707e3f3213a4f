//! `roadmap risks`: risks made active by a firing alert or a missed
//! target (standing, or of the current phase), inactive ones, the JSON
//! shape, and the seed's contingency plan.

use std::path::Path;

use crate::alerts::fixture_with;
use crate::copy_of;
use crate::{fixture, json, roadmap, run, seed};

fn risks(dir: &Path, as_of: &str) -> String {
    let (code, out, err) = run(roadmap(dir).args(["risks", "--as-of", as_of]));
    assert_eq!(code, 0, "risks are information, never a failure: {err}");
    out
}

fn rows_of(dir: &Path, as_of: &str) -> Vec<serde_json::Value> {
    let v = json(roadmap(dir).args(["risks", "--as-of", as_of, "--format", "json"]));
    v["risks"].as_array().expect("an array of risks").clone()
}

fn find<'a>(rows: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    rows.iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no risk `{id}`"))
}

#[test]
fn a_firing_alert_makes_its_risk_active() {
    // A critical alert fires, yet `risks` exits 0.
    let dir = fixture_with(&[("2026-03-10", "security_incidents", 1.0)]);
    let out = risks(dir.path(), "2026-03-10");
    assert!(
        out.contains(
            "  ✗ Seguridad: Brechas de seguridad, data leaks\n    \
             mitigation: Security audits, compliance\n    \
             active: alert `security-breach` fires\n"
        ),
        "{out}"
    );
    assert!(
        out.starts_with("Risks as of 2026-03-10: 1 of 4 active\n"),
        "{out}"
    );
}

#[test]
fn a_missed_standing_target_makes_its_risk_active() {
    let dir = fixture_with(&[("2026-03-10", "uptime", 99.5)]);
    let list = rows_of(dir.path(), "2026-03-10");
    let r = find(&list, "escalabilidad");
    assert_eq!(r["active"], true);
    assert_eq!(
        r["reasons"],
        serde_json::json!(["`uptime` is 99.5%, target >= 99.9%"])
    );

    let dir = fixture_with(&[("2026-03-10", "uptime", 99.95)]);
    let list = rows_of(dir.path(), "2026-03-10");
    let r = find(&list, "escalabilidad");
    assert_eq!(
        (&r["active"], &r["reasons"]),
        (&false.into(), &serde_json::json!([]))
    );
}

#[test]
fn a_phase_target_signals_only_when_the_metric_is_off_its_course() {
    // `active_users` has a 1K+ target in p2 (months 7-12) only.
    let reasons = |rows: &[(&str, &str, f64)], as_of: &str| {
        let dir = fixture_with(rows);
        find(&rows_of(dir.path(), as_of), "adopcion")["reasons"].clone()
    };
    // Before p2 nothing applies yet.
    assert_eq!(
        reasons(&[("2026-03-01", "active_users", 800.0)], "2026-03-10"),
        serde_json::json!([])
    );
    // Early in p2, 800 below 1,000 is the plan's own trajectory while the
    // values rise fast enough...
    let rising = [
        ("2026-07-01", "active_users", 800.0),
        ("2026-07-05", "active_users", 830.0),
        ("2026-07-10", "active_users", 860.0),
    ];
    assert_eq!(reasons(&rising, "2026-07-10"), serde_json::json!([]));
    // ... and trouble when they do not: projected short at the phase end.
    let flat = [
        ("2026-07-01", "active_users", 800.0),
        ("2026-07-05", "active_users", 800.0),
        ("2026-07-10", "active_users", 800.0),
    ];
    assert_eq!(
        reasons(&flat, "2026-07-10"),
        serde_json::json!([
            "`active_users` is projected at 800 by 2026-12-31, short of its p2 target >= 1,000"
        ])
    );
    // Once p2's gate is due, missing it signals.
    let missed = [flat.as_slice(), &[("2026-12-31", "active_users", 800.0)]].concat();
    assert_eq!(
        reasons(&missed, "2027-01-05"),
        serde_json::json!([
            "`active_users` is 800, short of its p2 target >= 1,000 (due 2026-12-31)"
        ])
    );
}

#[test]
fn without_data_nothing_is_active_and_json_has_the_documented_shape() {
    let dir = copy_of(&fixture("alerts/basic"));
    let list = rows_of(dir.path(), "2026-03-10");
    assert_eq!(list.len(), 4);
    assert!(list.iter().all(|r| r["active"] == false));
    assert_eq!(
        list[1],
        serde_json::json!({
            "id": "escalabilidad",
            "category": "Técnicos",
            "name": "Escalabilidad",
            "risk": "Infraestructura no soporta crecimiento",
            "mitigation": "Arquitectura cloud, auto-scaling",
            "active": false,
            "reasons": [],
            "alerts": ["slow-api"],
            "metrics": ["uptime"]
        })
    );
    assert_eq!(list[3]["category"], serde_json::Value::Null);

    let out = risks(dir.path(), "2026-03-10");
    assert!(
        out.starts_with("Risks as of 2026-03-10: 0 of 4 active\n\nTécnicos\n"),
        "{out}"
    );
    // Uncategorised risks come last, under "Other".
    assert!(
        out.ends_with(
            "Other\n  · Legal: Problemas legales, demandas\n    \
             mitigation: Legal counsel, risk management\n"
        ),
        "{out}"
    );
}

#[test]
fn the_seed_lists_its_12_risks_with_mitigations() {
    let list = rows_of(&seed(), "2026-03-14");
    assert_eq!(list.len(), 12);
    assert!(list.iter().all(|r| r["active"] == false));
    let (code, out, _) =
        run(roadmap(&seed())
            .env("COLUMNS", "80")
            .args(["risks", "--as-of", "2026-03-14"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Risks as of 2026-03-14: 0 of 12 active\n"),
        "{out}"
    );
    for r in &list {
        let mitigation = r["mitigation"].as_str().unwrap();
        assert!(!mitigation.is_empty());
        assert!(
            out.contains(&format!("mitigation: {mitigation}\n")),
            "{out}"
        );
    }
    for category in ["\nTécnicos\n", "\nMercado\n", "\nOperacionales\n"] {
        assert!(out.contains(category), "{out}");
    }
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
}

#[test]
fn markdown_draws_a_table_per_category() {
    let dir = fixture_with(&[("2026-03-10", "uptime", 99.5)]);
    let (code, out, _) =
        run(roadmap(dir.path()).args(["risks", "--as-of", "2026-03-10", "--format", "markdown"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("## Risks as of 2026-03-10: 1 of 4 active\n\n### Técnicos\n\n| Risk"),
        "{out}"
    );
    assert!(
        out.contains("| ✗ `uptime` is 99.5%, target >= 99.9% |"),
        "{out}"
    );
}
