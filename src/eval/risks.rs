//! The contingency plan as of a date: each risk with its mitigation, and
//! whether it is active and why.
//!
//! A risk is active when one of its linked alerts fires, or when one of its
//! linked metrics misses a target: a standing target, or a target of the
//! phase holding the as-of date, whose verdict is unmet. Of the current
//! phase only targets on a level (`latest` or `average`) count: a running
//! total such as the phase's revenue is short of its target until the
//! phase is nearly over, which is no sign of risk. A target without data
//! (or with stale data) does not make a risk active: silence is not
//! evidence.

use chrono::NaiveDate;
use serde::Serialize;

use super::alerts::AlertRow;
use super::kpi::{self, TargetVerdict};
use crate::model::history::History;
use crate::model::quantity::{Unit, format_value};
use crate::model::{Combine, Measure, Risk, Roadmap, months};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskRow {
    pub id: String,
    pub category: Option<String>,
    pub name: String,
    pub risk: String,
    pub mitigation: String,
    pub active: bool,
    /// Why it is active, one sentence per firing alert or missed target.
    pub reasons: Vec<String>,
    /// Ids of the linked alerts.
    pub alerts: Vec<String>,
    /// Ids of the linked metrics.
    pub metrics: Vec<String>,
}

/// Every risk of the roadmap, in file order. `alerts` are the evaluated
/// alerts of the same date (see [`super::alerts::evaluate`]).
pub fn evaluate(
    map: &Roadmap,
    history: &History,
    alerts: &[AlertRow],
    as_of: NaiveDate,
) -> Vec<RiskRow> {
    let month = months::month_of(map.start, as_of);
    let phase = u32::try_from(month)
        .ok()
        .and_then(|m| map.phase_of_month(m));
    map.risks
        .iter()
        .map(|r| row(map, history, alerts, phase, r, as_of))
        .collect()
}

fn row(
    map: &Roadmap,
    history: &History,
    alerts: &[AlertRow],
    phase: Option<usize>,
    risk: &Risk,
    as_of: NaiveDate,
) -> RiskRow {
    let mut reasons = Vec::new();
    for &a in &risk.alerts {
        let id = &map.alerts[a].id;
        if alerts.iter().any(|r| r.id == *id && r.firing) {
            reasons.push(format!("alert `{id}` fires"));
        }
    }
    for &m in &risk.metrics {
        let metric = &map.metrics[m];
        let targets = map.targets.iter().filter(|t| {
            t.metric == m
                && (t.phase.is_none()
                    || (t.phase == phase && kpi::combine_of(map, t) != Combine::Sum))
        });
        for t in targets {
            let e = kpi::evaluate(map, history, t, as_of);
            let (TargetVerdict::Unmet, Some(actual), Some(target)) =
                (e.verdict, e.actual, t.target)
            else {
                continue;
            };
            let what = match t.measure {
                Measure::Value => {
                    format!("`{}` is {}", metric.id, format_value(actual, metric.unit))
                }
                Measure::MonthlyGrowth => format!(
                    "`{}` grew {} in a month",
                    metric.id,
                    format_value(actual, Unit::Percent)
                ),
                Measure::YearlyGrowth => format!(
                    "`{}` grew {} in a year",
                    metric.id,
                    format_value(actual, Unit::Percent)
                ),
            };
            let whose = match t.phase {
                Some(p) => format!(" in {}", map.phases[p].id),
                None => String::new(),
            };
            let reason = format!("{what}, target {target}{whose}");
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    RiskRow {
        id: risk.id.clone(),
        category: risk.category.clone(),
        name: risk.name.clone(),
        risk: risk.risk.clone(),
        mitigation: risk.mitigation.clone(),
        active: !reasons.is_empty(),
        reasons,
        alerts: risk
            .alerts
            .iter()
            .map(|&a| map.alerts[a].id.clone())
            .collect(),
        metrics: risk
            .metrics
            .iter()
            .map(|&m| map.metrics[m].id.clone())
            .collect(),
    }
}
