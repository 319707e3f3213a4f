//! The `update` report: what happened over a period, for the weekly or
//! monthly update a founder sends to the team or to investors.
//!
//! The period is half-open, `(since, as_of]`: the days after `since` up to
//! and including the as-of date, so that a run of updates, each starting
//! where the last one ended, counts every day once.
//!
//! Nothing here judges anything anew. Each section compares what the other
//! reports say at the two ends of the period (items' [`State`] and lateness,
//! [`target_row`], [`risks::evaluate`]) or on each day of it
//! ([`alerts::evaluate`]), and gates are [`check`]'s: an update can never
//! disagree with `status`, `kpis`, `check`, `alerts` or `risks` run on
//! either date.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::alerts::{self, AlertRow};
use super::check::check;
use super::gate::{Gate, gate, target_row};
use super::items::ItemRow;
use super::kpi::{self, TargetVerdict};
use super::risks::{self, RiskRow};
use super::status::{PhaseRef, Plan};
use super::{Position, State, position};
use crate::model::history::History;
use crate::model::quantity::{Cmp, Target};
use crate::model::{Roadmap, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct Update {
    pub plan: Plan,
    /// The day before the period's first day.
    pub since: NaiveDate,
    /// The period's last day.
    pub as_of: NaiveDate,
    /// How many days the period holds.
    pub days: u64,
    /// Month of the plan holding the as-of date (as in `status`).
    pub month: i64,
    pub position: Position,
    /// The phase holding the as-of date, if any.
    pub phase: Option<PhaseRef>,
    /// Items done in the period, by the date they were done.
    pub done: Vec<ItemRow>,
    /// Items whose window ended in the period without their being done.
    pub overdue: Vec<ItemRow>,
    /// Targets that apply now, on metrics with a value recorded in the
    /// period: the value each is judged on at both ends.
    pub kpis: Vec<KpiMove>,
    /// Gates that fell due in the period (their phase ended), with their
    /// verdicts as of the as-of date.
    pub gates: Vec<Gate>,
    /// Alerts that fired on some day of the period, critical first.
    pub alerts: Vec<Fired>,
    pub risks: RiskChanges,
    pub next: Next,
}

/// One target's value at the start of the period and at its end.
#[derive(Debug, Clone, Serialize)]
pub struct KpiMove {
    pub metric: String,
    /// The plan's name for the line.
    pub name: String,
    /// Phase id for a gate target, null for a standing one.
    pub phase: Option<String>,
    /// The target as `kpis` writes it (`>= 150`, `>= +5%/mo`).
    pub target: String,
    /// The value judged as of `since` (null when there was none).
    pub from: Option<f64>,
    pub from_text: Option<String>,
    /// The value judged as of the as-of date.
    pub to: f64,
    pub to_text: String,
    /// The target's verdicts as of `since` and as of the as-of date.
    pub verdict_from: TargetVerdict,
    pub verdict: TargetVerdict,
    pub movement: Movement,
    /// Values of the metric recorded in the period.
    pub recorded: usize,
}

/// How a target's value moved over the period, judged on the values
/// (whether they satisfy the target), not on their freshness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Movement {
    /// No value to judge at the start of the period.
    New,
    /// Short of the target at the start, meeting it at the end.
    Reached,
    /// Meeting it at both ends.
    Held,
    /// Meeting it at the start, short of it at the end.
    Lost,
    /// Short of it at both ends, less so at the end.
    Closer,
    /// Short of it at both ends, more so at the end.
    Further,
    /// Short of it by as much at both ends.
    Same,
}

/// An alert that fired on some day of the period.
#[derive(Debug, Clone, Serialize)]
pub struct Fired {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    /// It fires on the as-of date.
    pub firing: bool,
    /// How many days of the period it fired on.
    pub days: usize,
    /// The first and last of those days.
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Runs of consecutive days it fired on, in order.
    pub spans: Vec<DateSpan>,
    /// The alert as evaluated on `last`: the values that fired it.
    pub alert: AlertRow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateSpan {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Risks whose state differs between the two ends of the period.
#[derive(Debug, Clone, Serialize)]
pub struct RiskChanges {
    /// Active as of the as-of date and not as of `since`, with why.
    pub became_active: Vec<RiskRow>,
    /// Active as of `since` and not as of the as-of date, as evaluated
    /// then (so with the reasons it was active).
    pub went_quiet: Vec<RiskRow>,
    /// Ids of the risks active at both ends.
    pub still_active: Vec<String>,
}

/// What comes after the period: a period of the same length.
#[derive(Debug, Clone, Serialize)]
pub struct Next {
    /// The last day of the next period.
    pub until: NaiveDate,
    /// Items not done whose window ends in the next period, by due date.
    pub items: Vec<ItemRow>,
    /// The next gate to fall due, as it stands on the as-of date.
    pub gate: Option<Gate>,
}

/// The update for the period `(since, as_of]`; `since` must be before
/// `as_of`.
pub fn update(map: &Roadmap, history: &History, since: NaiveDate, as_of: NaiveDate) -> Update {
    debug_assert!(since < as_of, "the caller checks the period");
    let days = u64::try_from((as_of - since).num_days()).unwrap_or(0);
    let (month, pos) = position(map, as_of);
    let current = current_phase(map, as_of);

    let mut done: Vec<ItemRow> = map
        .items
        .iter()
        .filter(|i| !super::is_done(i, since) && super::is_done(i, as_of))
        .map(|i| ItemRow::new(map, i, as_of))
        .collect();
    done.sort_by_key(|r| r.done);
    // Blocked or not: a deadline passed.
    let mut overdue: Vec<ItemRow> = map
        .items
        .iter()
        .filter(|i| !super::late(map, i, since) && super::late(map, i, as_of))
        .map(|i| ItemRow::new(map, i, as_of))
        .collect();
    overdue.sort_by_key(|r| r.due);

    // `check` as of the as-of date holds every due gate and the next one.
    let checked = check(map, history, None, as_of);
    let gates = checked
        .gates
        .into_iter()
        .filter(|g| g.end >= since)
        .collect();

    let (fired, alerts_now) = fired(map, history, since, as_of);
    let alerts_then = alerts::evaluate(map, history, since);
    let risks_then = risks::evaluate(map, history, &alerts_then, since);
    let risks_now = risks::evaluate(map, history, &alerts_now, as_of);

    let until = as_of
        .checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX);
    let mut next_items: Vec<ItemRow> = map
        .items
        .iter()
        .map(|i| ItemRow::new(map, i, as_of))
        .filter(|r| r.state != State::Done && r.due > as_of && r.due <= until)
        .collect();
    next_items.sort_by_key(|r| r.due);
    let next_gate = checked
        .next
        .and_then(|n| map.phase(&n.phase))
        .map(|p| gate(map, history, p, as_of));

    Update {
        plan: Plan {
            name: map.name.clone(),
            start: map.start,
            end: map.end(),
            months: map.months,
        },
        since,
        as_of,
        days,
        month,
        position: pos,
        phase: current.map(|c| PhaseRef {
            id: map.phases[c].id.clone(),
            name: map.phases[c].name.clone(),
        }),
        done,
        overdue,
        kpis: kpis(map, history, current, since, as_of),
        gates,
        alerts: fired,
        risks: risk_changes(risks_then, risks_now),
        next: Next {
            until,
            items: next_items,
            gate: next_gate,
        },
    }
}

fn current_phase(map: &Roadmap, as_of: NaiveDate) -> Option<usize> {
    let (month, pos) = position(map, as_of);
    u32::try_from(month)
        .ok()
        .filter(|_| pos == Position::During)
        .and_then(|m| map.phase_of_month(m))
}

/// The targets that apply on the as-of date, on metrics with a value
/// recorded in the period. A target applies when it is quantitative, due
/// (past its `from:` month, not past its `until:` one), and either belongs
/// to the current phase's gate or is a standing target on a metric the
/// current phase sets none for: the phase's target is what the team works
/// toward now, the standing one the end state it leads to (as `risks`
/// reads them).
fn kpis(
    map: &Roadmap,
    history: &History,
    current: Option<usize>,
    since: NaiveDate,
    as_of: NaiveDate,
) -> Vec<KpiMove> {
    let first = since.succ_opt().unwrap_or(since);
    let phased_now = |m: usize| {
        current.is_some()
            && map
                .targets
                .iter()
                .any(|t| t.metric == m && t.phase == current && t.target.is_some())
    };
    map.targets
        .iter()
        .filter(|t| t.target.is_some())
        .filter(|t| match t.phase {
            Some(p) => Some(p) == current,
            None => !phased_now(t.metric),
        })
        .filter(|t| {
            let (from, until) = kpi::due(map, t);
            from.is_none_or(|d| d <= as_of) && until.is_none_or(|d| as_of <= d)
        })
        .filter_map(|t| {
            let recorded = history.between(t.metric, first, as_of).len();
            if recorded == 0 {
                return None;
            }
            let target = t.target?;
            let then = target_row(map, history, t, since);
            let now = target_row(map, history, t, as_of);
            let to = now.actual?;
            Some(KpiMove {
                movement: movement(target, then.actual, to),
                metric: now.metric.clone(),
                name: now.name.clone(),
                phase: now.phase.clone(),
                target: now.target.clone(),
                from: then.actual,
                from_text: then.actual_text.clone(),
                to,
                to_text: now.actual_text.clone().unwrap_or_default(),
                verdict_from: then.verdict,
                verdict: now.verdict,
                recorded,
            })
        })
        .collect()
}

/// How far `actual` falls short of `target`, in its unit: 0 when met.
fn shortfall(target: Target, actual: f64) -> f64 {
    if target.met_by(actual) {
        return 0.0;
    }
    match target.cmp {
        Cmp::Ge | Cmp::Gt => (target.value - actual).max(0.0),
        Cmp::Le | Cmp::Lt => (actual - target.value).max(0.0),
        Cmp::Eq => (actual - target.value).abs(),
    }
}

fn movement(target: Target, from: Option<f64>, to: f64) -> Movement {
    let Some(from) = from else {
        return Movement::New;
    };
    match (target.met_by(from), target.met_by(to)) {
        (true, true) => Movement::Held,
        (false, true) => Movement::Reached,
        (true, false) => Movement::Lost,
        (false, false) => {
            let (a, b) = (shortfall(target, from), shortfall(target, to));
            if Cmp::Eq.holds(a, b) {
                Movement::Same
            } else if b < a {
                Movement::Closer
            } else {
                Movement::Further
            }
        }
    }
}

/// The alerts that fired on some day of `(since, as_of]`, each with the
/// days it fired on; and every alert as evaluated on the as-of date.
///
/// Every day of the period is evaluated: a weekly update that looked only
/// at its last day would miss a sales drop on Tuesday that had recovered
/// by Sunday. Days before the first recorded value are skipped, since no
/// clause holds without a value. Cheap enough: on the bundled plan (ten
/// alerts) with eight metrics recorded daily, a two-year period adds about
/// 0.15 s to an unoptimised build on a busy 2-core machine, and a week
/// nothing measurable.
fn fired(
    map: &Roadmap,
    history: &History,
    since: NaiveDate,
    as_of: NaiveDate,
) -> (Vec<Fired>, Vec<AlertRow>) {
    let earliest = (0..map.metrics.len())
        .filter_map(|m| history.series(m).first().map(|p| p.date))
        .min();
    let mut days: Vec<Vec<NaiveDate>> = vec![Vec::new(); map.alerts.len()];
    let mut last: Vec<Option<AlertRow>> = vec![None; map.alerts.len()];
    let mut now = Vec::new();
    let start = since.succ_opt().unwrap_or(since);
    let start = earliest.map_or(as_of, |e| start.max(e).min(as_of));
    for day in start.iter_days().take_while(|d| *d <= as_of) {
        let rows = alerts::evaluate(map, history, day);
        for (i, row) in rows.iter().enumerate() {
            if row.firing {
                days[i].push(day);
                last[i] = Some(row.clone());
            }
        }
        if day == as_of {
            now = rows;
        }
    }
    if now.is_empty() {
        now = alerts::evaluate(map, history, as_of);
    }
    let mut out: Vec<Fired> = days
        .into_iter()
        .zip(last)
        .filter_map(|(days, row)| {
            let row = row?;
            let (first, last) = (*days.first()?, *days.last()?);
            Some(Fired {
                id: row.id.clone(),
                name: row.name.clone(),
                severity: row.severity,
                firing: last == as_of,
                days: days.len(),
                first,
                last,
                spans: spans(&days),
                alert: row,
            })
        })
        .collect();
    // Stable: file order within each severity, as `alerts` lists them.
    out.sort_by_key(|f| f.severity != Severity::Critical);
    (out, now)
}

/// Runs of consecutive days.
fn spans(days: &[NaiveDate]) -> Vec<DateSpan> {
    let mut out: Vec<DateSpan> = Vec::new();
    for &d in days {
        match out.last_mut() {
            Some(s) if s.to.succ_opt() == Some(d) => s.to = d,
            _ => out.push(DateSpan { from: d, to: d }),
        }
    }
    out
}

fn risk_changes(then: Vec<RiskRow>, now: Vec<RiskRow>) -> RiskChanges {
    let mut c = RiskChanges {
        became_active: Vec::new(),
        went_quiet: Vec::new(),
        still_active: Vec::new(),
    };
    // Both lists hold every risk in file order.
    for (then, now) in then.into_iter().zip(now) {
        match (then.active, now.active) {
            (false, true) => c.became_active.push(now),
            (true, false) => c.went_quiet.push(then),
            (true, true) => c.still_active.push(now.id),
            (false, false) => {}
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::quantity::Unit;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn movement_is_judged_on_values_toward_the_target() {
        let at_least = Target {
            cmp: Cmp::Ge,
            value: 150.0,
            unit: Unit::Count,
        };
        let at_most = Target {
            cmp: Cmp::Le,
            value: 150.0,
            unit: Unit::Usd,
        };
        assert_eq!(movement(at_least, None, 10.0), Movement::New);
        assert_eq!(movement(at_least, Some(120.0), 140.0), Movement::Closer);
        assert_eq!(movement(at_least, Some(140.0), 120.0), Movement::Further);
        assert_eq!(movement(at_least, Some(140.0), 140.0), Movement::Same);
        assert_eq!(movement(at_least, Some(140.0), 150.0), Movement::Reached);
        assert_eq!(movement(at_least, Some(160.0), 150.0), Movement::Held);
        assert_eq!(movement(at_least, Some(160.0), 149.0), Movement::Lost);
        // Lower is better: a fall from $180 to $160 is closer to <= $150.
        assert_eq!(movement(at_most, Some(180.0), 160.0), Movement::Closer);
        assert_eq!(movement(at_most, Some(160.0), 180.0), Movement::Further);
    }

    #[test]
    fn consecutive_days_make_one_span() {
        let s = spans(&[
            d("2026-03-01"),
            d("2026-03-02"),
            d("2026-03-03"),
            d("2026-03-05"),
        ]);
        assert_eq!(
            s,
            [
                DateSpan {
                    from: d("2026-03-01"),
                    to: d("2026-03-03")
                },
                DateSpan {
                    from: d("2026-03-05"),
                    to: d("2026-03-05")
                },
            ]
        );
    }
}
