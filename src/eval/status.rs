//! The `status` report: where the plan stands on the as-of date.

use chrono::NaiveDate;
use serde::Serialize;

use super::alerts::{self, AlertRow};
use super::forecast::{Forecast, Forecaster};
use super::gate::{GateVerdict, gate};
use super::items::ItemRow;
use super::kpi::TargetVerdict;
use super::{Counts, Months, Position, Selection, State, position};
use crate::model::history::History;
use crate::model::{Phase, Roadmap};

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub plan: Plan,
    pub as_of: NaiveDate,
    /// Month of the plan holding the as-of date: below 1 before the plan
    /// starts, above `plan.months` after it ends.
    pub month: i64,
    pub position: Position,
    /// The phase holding the as-of date (null before, after, or in a gap).
    pub phase: Option<PhaseRef>,
    /// Items selected by the filters, over the whole plan.
    pub items: Counts,
    pub phases: Vec<PhaseRow>,
    /// The phase shown in detail: `--phase`, else the current one.
    pub focus: Option<Focus>,
    /// Overdue items outside the phase in focus.
    pub overdue: Vec<ItemRow>,
    /// The alerts that fire, critical first.
    pub alerts: Vec<AlertRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub name: String,
    pub start: NaiveDate,
    /// Last day of the plan.
    pub end: NaiveDate,
    pub months: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseRow {
    pub id: String,
    pub name: String,
    pub months: Months,
    /// First day of the phase.
    pub start: NaiveDate,
    /// Last day of the phase.
    pub end: NaiveDate,
    /// What the phase is for, in the plan's words.
    pub objective: Option<String>,
    pub items: Counts,
    pub kpis: KpiCounts,
    pub verdict: Verdict,
    /// When its open items will be done: null before the phase starts and
    /// once every item is done. Advice; it never changes `verdict`.
    pub forecast: Option<Forecast>,
}

/// Phase-gate KPI targets: how many are met, and how many have data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KpiCounts {
    pub met: usize,
    pub total: usize,
    pub with_data: usize,
}

/// A phase's gate as of the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The phase has not started.
    Upcoming,
    /// The phase is under way; its gate is not due yet.
    InProgress,
    /// The phase is over and its gate is met.
    Pass,
    /// The phase is over and its gate is met but for targets inside their
    /// warning bands.
    Warn,
    /// The phase is over and its gate is not met.
    Fail,
}

#[derive(Debug, Clone, Serialize)]
pub struct Focus {
    pub phase: PhaseRef,
    pub months: Months,
    /// Month windows of the periods under way on the as-of date (e.g. the
    /// "Mes 7-8: Optimización" of the general track).
    pub now: Option<Months>,
    /// Items of the phase whose window has started (or all, for a past
    /// phase), in track order.
    pub rows: Vec<ItemRow>,
    /// Items of the phase whose window starts later.
    pub later: usize,
}

pub fn status(map: &Roadmap, history: &History, sel: &Selection, as_of: NaiveDate) -> Status {
    let (month, pos) = position(map, as_of);
    let current = u32::try_from(month)
        .ok()
        .and_then(|m| map.phase_of_month(m))
        .filter(|_| pos == Position::During);
    let all = sel.any_phase();

    let mut items = Counts::default();
    for item in map.items.iter().filter(|i| all.admits(i)) {
        items.add_item(map, item, as_of);
    }

    let ahead = Forecaster::new(map, as_of);
    let phases = map
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| phase_row(map, history, &all, &ahead, i, p, as_of))
        .collect();

    let focus_phase = sel.phase.or(current);
    let focus = focus_phase.map(|f| {
        let p = &map.phases[f];
        let mut rows = Vec::new();
        let mut later = 0;
        for item in map
            .items
            .iter()
            .filter(|i| i.phase == Some(f) && all.admits(i))
        {
            let row = ItemRow::new(map, item, as_of);
            if row.state == State::Upcoming {
                later += 1;
            } else {
                rows.push(row);
            }
        }
        let now = u32::try_from(month)
            .ok()
            .filter(|_| Some(f) == current)
            .and_then(|m| {
                map.items
                    .iter()
                    .filter(|i| i.phase == Some(f) && i.window.contains(m))
                    .map(|i| i.window)
                    .min_by_key(|w| (w.end - w.start, w.start))
                    .map(Months::from)
            });
        Focus {
            phase: PhaseRef {
                id: p.id.clone(),
                name: p.name.clone(),
            },
            months: p.window.into(),
            now,
            rows,
            later,
        }
    });

    let overdue = map
        .items
        .iter()
        .filter(|i| all.admits(i) && (focus_phase.is_none() || i.phase != focus_phase))
        .map(|i| ItemRow::new(map, i, as_of))
        .filter(|r| r.overdue)
        .collect();

    Status {
        plan: Plan {
            name: map.name.clone(),
            start: map.start,
            end: map.end(),
            months: map.months,
        },
        as_of,
        month,
        position: pos,
        phase: current.map(|c| PhaseRef {
            id: map.phases[c].id.clone(),
            name: map.phases[c].name.clone(),
        }),
        items,
        phases,
        focus,
        overdue,
        alerts: alerts::report(alerts::evaluate(map, history, as_of), None, as_of).alerts,
    }
}

fn phase_row(
    map: &Roadmap,
    history: &History,
    sel: &Selection,
    ahead: &Forecaster,
    index: usize,
    p: &Phase,
    as_of: NaiveDate,
) -> PhaseRow {
    let mut items = Counts::default();
    for item in map
        .items
        .iter()
        .filter(|i| i.phase == Some(index) && sel.admits(i))
    {
        items.add_item(map, item, as_of);
    }
    // The gate is the phase's real one, whatever the filters select.
    let g = gate(map, history, index, as_of);
    let mut kpis = KpiCounts::default();
    for t in g.targets.iter().filter(|t| !t.qualitative) {
        kpis.total += 1;
        kpis.met += usize::from(t.verdict == TargetVerdict::Met);
        kpis.with_data += usize::from(!matches!(
            t.verdict,
            TargetVerdict::NoData | TargetVerdict::NotDue
        ));
    }
    let (start, end) = (g.start, g.end);
    let verdict = if as_of < start {
        Verdict::Upcoming
    } else if !g.due {
        Verdict::InProgress
    } else {
        match g.verdict {
            GateVerdict::Pass => Verdict::Pass,
            GateVerdict::Warn => Verdict::Warn,
            GateVerdict::Fail => Verdict::Fail,
        }
    };
    PhaseRow {
        id: p.id.clone(),
        name: p.name.clone(),
        months: p.window.into(),
        start,
        end,
        objective: p.objective.clone(),
        items,
        kpis,
        verdict,
        forecast: ahead.phase(sel, index),
    }
}
