//! Running rule tests: apply a test's history and done items to a copy of
//! the roadmap, evaluate alerts and gates as of its date, and compare with
//! what it expects.

use serde::Serialize;

use super::alerts;
use super::check::check;
use super::gate::{GateVerdict, gate};
use crate::model::Roadmap;
use crate::model::RuleTest;
use crate::model::history::{History, Point};

#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    pub name: String,
    /// `file:line` of the test.
    pub at: String,
    pub passed: bool,
    /// What differed from the expectation, in words.
    pub failures: Vec<String>,
}

pub fn run(map: &Roadmap, t: &RuleTest) -> TestResult {
    let mut m = map.clone();
    for &i in &t.done {
        // An item done later than the test's date counts as done on it.
        m.items[i].done = Some(m.items[i].done.map_or(t.as_of, |d| d.min(t.as_of)));
    }
    let history = History::new(
        m.metrics.len(),
        t.values.iter().map(|r| {
            (
                r.metric,
                Point {
                    date: r.date,
                    value: r.value,
                },
            )
        }),
    );
    let mut failures = Vec::new();
    if let Some(expected) = &t.alerts {
        let rows = alerts::evaluate(&m, &history, t.as_of);
        let fired: Vec<usize> = (0..m.alerts.len()).filter(|&i| rows[i].firing).collect();
        for &i in expected.iter().filter(|i| !fired.contains(i)) {
            failures.push(format!(
                "alert `{}` should fire but does not (when: {})",
                m.alerts[i].id, m.alerts[i].condition
            ));
        }
        for &i in fired.iter().filter(|i| !expected.contains(i)) {
            failures.push(format!(
                "alert `{}` fires but is not expected",
                m.alerts[i].id
            ));
        }
    }
    for &(p, want) in &t.gates {
        let g = gate(&m, &history, p, t.as_of);
        if g.verdict != want {
            failures.push(format!(
                "gate {}: expected {}, got {}",
                g.phase,
                word(want),
                word(g.verdict)
            ));
        }
    }
    if let Some(want_ok) = t.check {
        let c = check(&m, &history, None, t.as_of);
        if c.ok != want_ok {
            let word = |ok: bool| if ok { "ok" } else { "fail" };
            failures.push(format!(
                "check: expected {}, got {}",
                word(want_ok),
                word(c.ok)
            ));
        }
    }
    TestResult {
        name: t.name.clone(),
        at: format!("{}:{}", t.file.display(), t.line),
        passed: failures.is_empty(),
        failures,
    }
}

fn word(v: GateVerdict) -> &'static str {
    match v {
        GateVerdict::Pass => "pass",
        GateVerdict::Warn => "warn",
        GateVerdict::Fail => "fail",
    }
}
