//! The `portfolio` report: one small row per member plan, drawn from the
//! member's own `status`, `check`, `kpis`, `alerts` and `risks` reports,
//! and a total. A row is all that is kept of a member, so a portfolio of
//! many plans holds one plan in memory per worker, not all of them.

use chrono::NaiveDate;
use serde::Serialize;

use super::check::{Check, check};
use super::gate::GateVerdict;
use super::kpi::TargetVerdict;
use super::status::{Verdict, status};
use super::{Position, Selection};
use crate::model::history::History;
use crate::model::{Roadmap, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    /// The portfolio's `name:`, if it has one.
    pub name: Option<String>,
    pub as_of: NaiveDate,
    /// No member's due gate fails, no critical alert fires, and every
    /// member loaded.
    pub ok: bool,
    pub members: Vec<Row>,
    /// Members that failed to load, with their problems.
    pub broken: Vec<Broken>,
    pub total: Total,
}

/// One member plan as of the date.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The member's folder, as given.
    pub path: String,
    pub plan: String,
    pub month: i64,
    pub months: u32,
    pub position: Position,
    /// The phase holding the date (null before, after, or in a gap).
    pub phase: Option<PhaseName>,
    pub items: Items,
    /// The last gate that fell due, with its verdict.
    pub last_gate: Option<LastGate>,
    /// The next gate to fall due.
    pub next_gate: Option<NextGate>,
    /// The numeric targets of `roadmap kpis` (the current phase's gate,
    /// then the standing ones): how many are met.
    pub kpis: Met,
    pub alerts: Alerts,
    pub risks: Risks,
    /// What `roadmap check` says of the member.
    pub check_ok: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseName {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Items {
    pub done: usize,
    pub total: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LastGate {
    pub phase: String,
    pub due: NaiveDate,
    /// `pass`, `warn` or `fail`.
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextGate {
    pub phase: String,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Met {
    pub met: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Alerts {
    pub firing: usize,
    pub critical: usize,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Risks {
    pub active: usize,
    pub total: usize,
}

/// A member that did not load.
#[derive(Debug, Clone, Serialize)]
pub struct Broken {
    pub path: String,
    /// Each problem as `file:line:col: message`.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Total {
    pub members: usize,
    pub broken: usize,
    pub items: Items,
    /// Members whose last due gate failed.
    pub gates_failed: usize,
    pub kpis: Met,
    pub alerts: Alerts,
    pub risks: Risks,
}

/// One member's row, and its `check` report (for annotations).
pub fn row(path: String, map: &Roadmap, history: &History, as_of: NaiveDate) -> (Row, Check) {
    let s = status(map, history, &Selection::default(), as_of);
    let c = check(map, history, None, as_of);
    let k = super::kpis::kpis(map, history, None, as_of);
    let alerts = super::alerts::evaluate(map, history, as_of);
    let risks = super::risks::evaluate(map, history, &alerts, as_of);
    let last_gate = c.gates.last().map(|g| LastGate {
        phase: g.phase.clone(),
        due: g.end,
        verdict: match g.verdict {
            GateVerdict::Pass => Verdict::Pass,
            GateVerdict::Warn => Verdict::Warn,
            GateVerdict::Fail => Verdict::Fail,
        },
    });
    let numeric = || k.targets.iter().filter(|t| !t.qualitative);
    let row = Row {
        path,
        plan: s.plan.name.clone(),
        month: s.month,
        months: s.plan.months,
        position: s.position,
        phase: s.phase.as_ref().map(|p| PhaseName {
            id: p.id.clone(),
            name: p.name.clone(),
        }),
        items: Items {
            done: s.items.done,
            total: s.items.total,
            overdue: s.items.overdue,
        },
        last_gate,
        next_gate: c.next.as_ref().map(|n| NextGate {
            phase: n.phase.clone(),
            due: n.due,
        }),
        kpis: Met {
            met: numeric()
                .filter(|t| t.verdict == TargetVerdict::Met)
                .count(),
            total: numeric().count(),
        },
        alerts: Alerts {
            firing: c.alerts.len(),
            critical: c
                .alerts
                .iter()
                .filter(|a| a.severity == Severity::Critical)
                .count(),
        },
        risks: Risks {
            active: risks.iter().filter(|r| r.active).count(),
            total: risks.len(),
        },
        check_ok: c.ok,
    };
    (row, c)
}

/// The report over the members' rows, in member order.
pub fn portfolio(
    name: Option<String>,
    as_of: NaiveDate,
    members: Vec<Row>,
    broken: Vec<Broken>,
) -> Portfolio {
    let mut total = Total {
        members: members.len() + broken.len(),
        broken: broken.len(),
        ..Total::default()
    };
    for r in &members {
        total.items.done += r.items.done;
        total.items.total += r.items.total;
        total.items.overdue += r.items.overdue;
        total.gates_failed += usize::from(
            r.last_gate
                .as_ref()
                .is_some_and(|g| g.verdict == Verdict::Fail),
        );
        total.kpis.met += r.kpis.met;
        total.kpis.total += r.kpis.total;
        total.alerts.firing += r.alerts.firing;
        total.alerts.critical += r.alerts.critical;
        total.risks.active += r.risks.active;
        total.risks.total += r.risks.total;
    }
    Portfolio {
        name,
        as_of,
        ok: broken.is_empty() && members.iter().all(|r| r.check_ok),
        members,
        broken,
        total,
    }
}
