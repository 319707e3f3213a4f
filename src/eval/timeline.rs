//! The `timeline` report: the plan's phases and items laid out in time,
//! each with where it stands as of a date. Renderers draw it as a text
//! chart or a Mermaid Gantt chart; nothing here knows either syntax.

use chrono::NaiveDate;
use serde::Serialize;

use super::items::ItemRow;
use super::status::Plan;
use super::{Counts, Months, Selection, Timing};
use crate::model::Roadmap;

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub plan: Plan,
    pub as_of: NaiveDate,
    /// Month of the plan holding the as-of date: below 1 before the plan
    /// starts, above `plan.months` after it ends.
    pub month: i64,
    pub phases: Vec<PhaseBar>,
    /// Tracks with at least one selected item, in file order.
    pub tracks: Vec<TrackRows>,
}

/// A phase as one bar of the chart.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseBar {
    pub id: String,
    pub name: String,
    pub months: Months,
    /// First day of the phase.
    pub start: NaiveDate,
    /// Last day of the phase.
    pub end: NaiveDate,
    /// The selected items due in the phase.
    pub items: Counts,
    pub state: Timing,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackRows {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub items: Vec<ItemRow>,
}

pub fn timeline(map: &Roadmap, sel: &Selection, as_of: NaiveDate) -> Timeline {
    let rows: Vec<ItemRow> = map
        .items
        .iter()
        .filter(|i| sel.admits(i))
        .map(|i| ItemRow::new(map, i, as_of))
        .collect();
    let phases = map
        .phases
        .iter()
        .enumerate()
        .filter(|(p, _)| sel.phase.is_none_or(|s| s == *p))
        .map(|(_, phase)| {
            let mut items = Counts::default();
            for r in rows.iter().filter(|r| r.phase.as_ref() == Some(&phase.id)) {
                items.add(r.state, r.overdue);
            }
            let start = phase.window.first_day(map.start);
            let end = phase.window.last_day(map.start);
            PhaseBar {
                id: phase.id.clone(),
                name: phase.name.clone(),
                months: phase.window.into(),
                start,
                end,
                items,
                state: phase_state(items, start, end, as_of),
            }
        })
        .collect();
    let tracks = map
        .tracks
        .iter()
        .map(|t| TrackRows {
            id: t.id.clone(),
            name: t.name.clone(),
            group: t.group.clone(),
            items: rows.iter().filter(|r| r.track == t.id).cloned().collect(),
        })
        .filter(|t| !t.items.is_empty())
        .collect();
    Timeline {
        plan: Plan {
            name: map.name.clone(),
            start: map.start,
            end: map.end(),
            months: map.months,
        },
        as_of,
        month: super::position(map, as_of).0,
        phases,
        tracks,
    }
}

/// A phase is done once its work is, even before it ends (a phase with no
/// items, once it is over); overdue once it is over with work left; open
/// while under way.
fn phase_state(items: Counts, start: NaiveDate, end: NaiveDate, as_of: NaiveDate) -> Timing {
    let work_done = items.done == items.total;
    if work_done && (items.total > 0 || as_of > end) {
        Timing::Done
    } else if as_of > end {
        Timing::Overdue
    } else if as_of >= start {
        Timing::Open
    } else {
        Timing::Upcoming
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_phase_is_done_when_its_work_is() {
        let (start, end) = (d("2026-01-01"), d("2026-06-30"));
        let counts = |done, total, overdue| Counts {
            done,
            total,
            overdue,
            ..Counts::default()
        };
        let at = |items, as_of: &str| phase_state(items, start, end, d(as_of));
        assert_eq!(at(counts(2, 2, 0), "2026-03-01"), Timing::Done);
        assert_eq!(at(counts(1, 2, 1), "2026-03-01"), Timing::Open);
        assert_eq!(at(counts(1, 2, 1), "2026-07-01"), Timing::Overdue);
        assert_eq!(at(counts(0, 2, 0), "2025-12-31"), Timing::Upcoming);
        assert_eq!(at(counts(0, 0, 0), "2026-03-01"), Timing::Open);
        assert_eq!(at(counts(0, 0, 0), "2026-07-01"), Timing::Done);
    }
}
