//! The contingency plan as of a date: each risk with its mitigation, and
//! whether it is active and why.
//!
//! A risk is active when one of its linked alerts fires, or when one of its
//! linked metrics signals trouble: it is off the course the plan sets for
//! it *now*. A plan on its own trajectory activates no risk. For a linked
//! metric that means:
//!
//! - If the current phase has a gate target on it, the metric signals when
//!   its projection to the phase's end misses that target ("at risk"); a
//!   value below a target the phase has months left to reach is the plan's
//!   own trajectory, not trouble. Without enough values to project, it does
//!   not signal.
//! - Otherwise, if an earlier phase had a gate target on it, it signals when
//!   the last such gate that is due missed it.
//! - Its standing targets count only for a metric no phase sets a target
//!   for (phase targets make a standing one the end state the phases lead
//!   to: automation 85% once 60% is met in phase 2). A standing target with
//!   a baseline ("15% (objetivo: 25%)") is an objective to move towards: it
//!   signals only when the metric falls back past where the plan started. A
//!   standing target without one (uptime >= 99.9%) is a requirement that
//!   holds all along: missing it signals.
//!
//! A target without data (or with stale data) signals nothing: silence is
//! not evidence.

use chrono::NaiveDate;
use serde::Serialize;

use super::alerts::AlertRow;
use super::gate;
use super::kpi::{self, TargetVerdict};
use crate::model::history::History;
use crate::model::quantity::{Cmp, Unit, format_value};
use crate::model::{Measure, Risk, Roadmap, TargetDef, months};

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
        for reason in signals(map, history, phase, m, as_of) {
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

/// Why metric `m` is off the plan's course as of `as_of`, if it is (see
/// the module's doc for the rule).
fn signals(
    map: &Roadmap,
    history: &History,
    phase: Option<usize>,
    m: usize,
    as_of: NaiveDate,
) -> Vec<String> {
    let metric = &map.metrics[m];
    let on_metric = |t: &&TargetDef| t.metric == m && t.target.is_some();
    let phased: Vec<&TargetDef> = map
        .targets
        .iter()
        .filter(on_metric)
        .filter(|t| t.phase.is_some())
        .collect();
    let mut out = Vec::new();
    let now: Vec<&&TargetDef> = phased.iter().filter(|t| t.phase == phase).collect();
    if !now.is_empty() {
        for t in now {
            let row = gate::target_row(map, history, t, as_of);
            if let (Some(p), Some(target)) = (&row.prediction, t.target)
                && !p.on_pace
            {
                out.push(format!(
                    "`{}` is projected at {} by {}, short of its {} target {}",
                    metric.id,
                    p.value_text,
                    p.at,
                    map.phases[t.phase.expect("phased")].id,
                    shown(t, target)
                ));
            }
        }
        return out;
    }
    // The last phase with a target on the metric whose gate is due.
    let last_due = phased
        .iter()
        .filter_map(|t| t.phase)
        .filter(|&p| map.phases[p].window.last_day(map.start) < as_of)
        .max_by_key(|&p| map.phases[p].window.end);
    if let Some(p) = last_due {
        for t in phased.iter().filter(|t| t.phase == Some(p)) {
            let e = kpi::evaluate(map, history, t, as_of);
            if let (TargetVerdict::Unmet, false, Some(actual), Some(target)) =
                (e.verdict, e.warn, e.actual, t.target)
            {
                out.push(format!(
                    "{}, short of its {} target {} (due {})",
                    is(metric, t, actual),
                    map.phases[p].id,
                    shown(t, target),
                    map.phases[p].window.last_day(map.start)
                ));
            }
        }
        return out;
    }
    if !phased.is_empty() {
        return out;
    }
    for t in map
        .targets
        .iter()
        .filter(on_metric)
        .filter(|t| t.phase.is_none())
    {
        let e = kpi::evaluate(map, history, t, as_of);
        let (Some(actual), Some(target)) = (e.actual, t.target) else {
            continue;
        };
        match t.baseline {
            // Moving towards an objective: trouble only when it falls back
            // past where the plan started.
            Some(base) if t.measure == Measure::Value => {
                let behind = match target.cmp {
                    Cmp::Ge | Cmp::Gt => actual < base,
                    Cmp::Le | Cmp::Lt => actual > base,
                    Cmp::Eq => false,
                };
                if behind && e.verdict == TargetVerdict::Unmet {
                    out.push(format!(
                        "{}, behind where the plan started ({}; objective {})",
                        is(metric, t, actual),
                        format_value(base, metric.unit),
                        shown(t, target)
                    ));
                }
            }
            _ if e.verdict == TargetVerdict::Unmet && !e.warn => {
                out.push(format!(
                    "{}, target {}",
                    is(metric, t, actual),
                    shown(t, target)
                ));
            }
            _ => {}
        }
    }
    out
}

/// "`uptime` is 99.5%", "`revenue` grew 10% in a month".
fn is(metric: &crate::model::Metric, t: &TargetDef, actual: f64) -> String {
    match t.measure {
        Measure::Value => format!("`{}` is {}", metric.id, format_value(actual, metric.unit)),
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
    }
}

fn shown(t: &TargetDef, target: crate::model::quantity::Target) -> String {
    match t.measure {
        Measure::Value => target.to_string(),
        Measure::MonthlyGrowth => format!("{target}/mo"),
        Measure::YearlyGrowth => format!("{target}/yr"),
    }
}
