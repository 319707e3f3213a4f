//! The bundled plan means what the seed means: each test records values
//! the seed itself describes and checks that the tool reads them as the
//! plan does (issue 8).

use serde_json::Value;

use crate::{copy_of, json, roadmap, run, seed};

/// The targets of `kpis --format json` for `metric`.
fn targets(dir: &std::path::Path, metric: &str, as_of: &str) -> Vec<Value> {
    let kpis = json(roadmap(dir).args(["kpis", "--format", "json", "--as-of", as_of]));
    kpis["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter(|t| t["metric"] == metric)
        .cloned()
        .collect()
}

#[test]
fn cash_flow_is_due_from_month_12_not_before() {
    // "Cash Flow: Positive desde mes 12": a planned loss in month 8 is no
    // miss; the same loss in month 13 is.
    let tmp = copy_of(&seed());
    let dir = tmp.path();
    let record = |value: &str, on: &str| {
        let (code, _, err) = run(roadmap(dir)
            .args(["record", &format!("cash_flow={value}"), "--on", on])
            .args(["--as-of", on]));
        assert_eq!(code, 0, "{err}");
    };
    record("-$20K", "2026-08-01");
    let t = targets(dir, "cash_flow", "2026-08-15");
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["verdict"], "not-due");
    let (_, out, _) = run(roadmap(dir).args(["kpis", "--as-of", "2026-08-15"]));
    let line = out
        .lines()
        .find(|l| l.contains("Cash Flow"))
        .expect("a Cash Flow row");
    assert!(line.contains("not yet due"), "{line}");

    // Month 12 starts on 2026-12-01; the August loss is outside the
    // target's window from then on, December's value is judged.
    record("-$5K", "2027-01-05");
    assert_eq!(
        targets(dir, "cash_flow", "2027-01-10")[0]["verdict"],
        "unmet"
    );
    record("$30K", "2027-01-20");
    assert_eq!(targets(dir, "cash_flow", "2027-01-25")[0]["verdict"], "met");
}

#[test]
fn a_bad_from_or_until_is_an_error_at_its_line() {
    let tmp = copy_of(&seed());
    let path = tmp.path().join("kpis.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    for (edit, says) in [
        ("from: 30", "`from: 30` is after the plan's last month, 24"),
        ("from: 12\n    until: 6", "`until: 6` is before `from: 12`"),
    ] {
        std::fs::write(&path, text.replacen("from: 12", edit, 1)).unwrap();
        let (code, _, err) = run(roadmap(tmp.path()).args(["validate"]));
        assert_eq!(code, 2, "{edit}");
        assert!(err.contains(says), "{edit}: {err}");
        assert!(err.contains("kpis.yaml:"), "{err}");
    }
}
