//! Pure evaluation: a roadmap and an as-of date in, report structs out.
//! Nothing here reads files or prints.

pub mod act;
pub mod alerts;
pub mod check;
pub mod dashboard;
pub mod deps;
pub mod diff;
pub mod forecast;
pub mod gate;
pub mod items;
pub mod kpi;
pub mod kpis;
pub mod next;
pub mod portfolio;
pub mod predict;
pub mod report;
pub mod risks;
pub mod rule_tests;
pub mod status;
pub mod timeline;
pub mod update;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::months::{self, MonthWindow};
use crate::model::{Item, Roadmap};

/// What an item needs next, on the as-of date: the first of these that
/// holds, in this order.
///
/// A done item needs nothing, whatever else it says. A blocked one cannot
/// move until someone clears what blocks it, so that comes before its
/// being late: nudging it to be done would be the wrong advice (it still
/// counts as overdue, see [`late`]). Lateness comes before being under way
/// or waiting, since a date was missed either way. Work someone started
/// stays started even if what it waits on is not done: they chose to
/// begin. Waiting comes before the window opening, as it says what must
/// happen first; only work with nothing left to wait on is ready, or
/// upcoming until its window opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Done on or before the as-of date.
    Done,
    /// It has a `blocked:` reason.
    Blocked,
    /// Its deadline has passed.
    Overdue,
    /// Work on it began (`started:`) on or before the as-of date.
    Started,
    /// An item it waits on (`after:`) is not done.
    Waiting,
    /// Nothing to wait on, and its window has opened: it can be started.
    Ready,
    /// Nothing to wait on, and its window has not opened yet.
    Upcoming,
}

impl State {
    /// Every state, in order of precedence.
    pub const ALL: [State; 7] = [
        State::Done,
        State::Blocked,
        State::Overdue,
        State::Started,
        State::Waiting,
        State::Ready,
        State::Upcoming,
    ];

    pub fn of(map: &Roadmap, item: &Item, as_of: NaiveDate) -> State {
        if is_done(item, as_of) {
            State::Done
        } else if item.blocked.is_some() {
            State::Blocked
        } else if late(map, item, as_of) {
            State::Overdue
        } else if item.started.is_some_and(|d| d <= as_of) {
            State::Started
        } else if item.after.iter().any(|&j| !is_done(&map.items[j], as_of)) {
            State::Waiting
        } else if as_of >= item.window.first_day(map.start) {
            State::Ready
        } else {
            State::Upcoming
        }
    }

    /// The state's name, as JSON and `--state` write it.
    pub fn name(self) -> &'static str {
        match self {
            State::Done => "done",
            State::Blocked => "blocked",
            State::Overdue => "overdue",
            State::Started => "started",
            State::Waiting => "waiting",
            State::Ready => "ready",
            State::Upcoming => "upcoming",
        }
    }

    pub fn parse(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Done as of the date: a `done` date after it did not happen yet as of
/// then, which keeps `--as-of` in the past truthful.
pub fn is_done(item: &Item, as_of: NaiveDate) -> bool {
    item.done.is_some_and(|d| d <= as_of)
}

/// Past its deadline and not done: overdue in every count and list,
/// blocked or not.
pub fn late(map: &Roadmap, item: &Item, as_of: NaiveDate) -> bool {
    !is_done(item, as_of) && as_of > item.deadline(map.start)
}

/// Where an item or a phase stands in time, as charts draw it: done, past
/// its deadline, under way, or not begun.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Timing {
    Done,
    Overdue,
    /// Its window has opened (or work on it started early).
    Open,
    Upcoming,
}

impl Timing {
    pub fn of(map: &Roadmap, item: &Item, as_of: NaiveDate) -> Timing {
        if is_done(item, as_of) {
            Timing::Done
        } else if late(map, item, as_of) {
            Timing::Overdue
        } else if as_of >= item.window.first_day(map.start)
            || item.started.is_some_and(|d| d <= as_of)
        {
            Timing::Open
        } else {
            Timing::Upcoming
        }
    }
}

/// How many items of a set are done, overdue, started, waiting and
/// blocked. Overdue counts every late item, blocked or not (see [`late`]);
/// the others count states.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub done: usize,
    pub total: usize,
    pub overdue: usize,
    pub started: usize,
    pub waiting: usize,
    pub blocked: usize,
}

impl Counts {
    /// Count an item in `state`, `late` or not.
    pub fn add(&mut self, state: State, late: bool) {
        self.total += 1;
        self.overdue += usize::from(late);
        match state {
            State::Done => self.done += 1,
            State::Started => self.started += 1,
            State::Waiting => self.waiting += 1,
            State::Blocked => self.blocked += 1,
            State::Overdue | State::Ready | State::Upcoming => {}
        }
    }

    /// Count `item` as of the date.
    pub fn add_item(&mut self, map: &Roadmap, item: &Item, as_of: NaiveDate) {
        self.add(State::of(map, item, as_of), late(map, item, as_of));
    }
}

/// A month window as JSON: `{"start": 1, "end": 6}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Months {
    pub start: u32,
    pub end: u32,
}

impl From<MonthWindow> for Months {
    fn from(w: MonthWindow) -> Self {
        Months {
            start: w.start,
            end: w.end,
        }
    }
}

/// Where the as-of date falls relative to the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    Before,
    During,
    After,
}

pub fn position(map: &Roadmap, as_of: NaiveDate) -> (i64, Position) {
    let month = months::month_of(map.start, as_of);
    let pos = if month < 1 {
        Position::Before
    } else if month > i64::from(map.months) {
        Position::After
    } else {
        Position::During
    };
    (month, pos)
}

/// Which items a report covers (`--phase`, `--track`, `--area`), already
/// resolved to indices.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub phase: Option<usize>,
    pub track: Option<usize>,
    /// Lowercased area name.
    pub area: Option<String>,
    /// Lowercased owner.
    pub owner: Option<String>,
}

impl Selection {
    pub fn admits(&self, item: &Item) -> bool {
        self.phase.is_none_or(|p| item.phase == Some(p))
            && self.track.is_none_or(|t| item.track == t)
            && self
                .area
                .as_ref()
                .is_none_or(|a| item.area.to_lowercase() == *a)
            && self.owner.as_ref().is_none_or(|o| {
                item.owner
                    .as_ref()
                    .is_some_and(|mine| mine.to_lowercase() == *o)
            })
    }

    /// The same selection without its phase, for tables that show every
    /// phase.
    pub fn any_phase(&self) -> Selection {
        Selection {
            phase: None,
            ..self.clone()
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A plan of 12 months from 2026-01-01 with one phase and one track
    /// whose periods are given as YAML (each a `- months: ...` entry).
    pub fn plan(periods: &str) -> Roadmap {
        let dir = tempfile::tempdir().unwrap();
        let text = format!(
            "name: T\nstart: 2026-01-01\nmonths: 12\n\
             phases:\n  - {{id: p, name: P, months: 1-12}}\n\
             tracks:\n  - id: t\n    name: T\n    periods:\n{periods}"
        );
        std::fs::write(dir.path().join("roadmap.yaml"), text).unwrap();
        crate::load::load(dir.path()).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn state(map: &Roadmap, id: &str, as_of: &str) -> State {
        State::of(map, &map.items[map.item(id).unwrap()], d(as_of))
    }

    const ITEMS: &str = "      - months: 1-2
        items:
          - {id: base, area: A, title: Base}
          - {id: next, area: A, title: Waits on base, after: [base]}
          - {id: early, area: A, title: Started early, after: [base], started: 2026-01-10}
          - {id: stuck, area: A, title: Blocked, blocked: no supplier}
          - {id: shipped, area: A, title: Done but marked blocked, blocked: x, done: 2026-01-20}
          - {id: soon, area: A, title: Due on a day, due: 2026-01-15}
      - months: 3-4
        items:
          - {id: later, area: A, title: Later}
          - {id: chained, area: A, title: Later and waiting, after: [next]}
";

    #[test]
    fn each_state_and_what_it_takes_precedence_over() {
        let map = plan(ITEMS);
        let at = |id, as_of| state(&map, id, as_of);
        // Before anything is due.
        assert_eq!(at("base", "2026-01-05"), State::Ready);
        assert_eq!(at("next", "2026-01-05"), State::Waiting);
        // Started beats waiting: someone chose to begin.
        assert_eq!(at("early", "2026-01-10"), State::Started);
        // A start after the as-of date has not happened yet.
        assert_eq!(at("early", "2026-01-09"), State::Waiting);
        assert_eq!(at("stuck", "2026-01-05"), State::Blocked);
        // Done beats blocked, once the done date has come.
        assert_eq!(at("shipped", "2026-01-19"), State::Blocked);
        assert_eq!(at("shipped", "2026-01-20"), State::Done);
        // Waiting beats upcoming: it says what has to happen first.
        assert_eq!(at("later", "2026-01-05"), State::Upcoming);
        assert_eq!(at("chained", "2026-01-05"), State::Waiting);
        // `due:` is the deadline: overdue the day after it, long before the
        // window ends; the row's due date says so.
        assert_eq!(at("soon", "2026-01-15"), State::Ready);
        assert_eq!(at("soon", "2026-01-16"), State::Overdue);
        let soon = &map.items[map.item("soon").unwrap()];
        assert_eq!(soon.deadline(map.start), d("2026-01-15"));
        assert_eq!(
            items::ItemRow::new(&map, soon, d("2026-01-16")).due,
            d("2026-01-15")
        );
        // Past the window: overdue beats started and waiting, blocked beats
        // overdue.
        for id in ["base", "next", "early"] {
            assert_eq!(at(id, "2026-03-01"), State::Overdue, "{id}");
        }
        assert_eq!(at("stuck", "2026-03-01"), State::Blocked);
    }

    #[test]
    fn a_blocked_late_item_counts_as_overdue_and_as_blocked() {
        let map = plan(ITEMS);
        let stuck = &map.items[map.item("stuck").unwrap()];
        assert!(late(&map, stuck, d("2026-03-01")));
        assert!(!late(&map, stuck, d("2026-02-28")));
        let mut c = Counts::default();
        for item in &map.items {
            c.add_item(&map, item, d("2026-03-01"));
        }
        // base, next, early, stuck and soon are late; shipped is done.
        assert_eq!(
            c,
            Counts {
                done: 1,
                total: 8,
                overdue: 5,
                started: 0,
                waiting: 1,
                blocked: 1,
            }
        );
        let row = items::ItemRow::new(&map, stuck, d("2026-03-01"));
        assert_eq!((row.state, row.overdue), (State::Blocked, true));
    }

    #[test]
    fn waiting_ends_when_what_it_waits_on_is_done_as_of_the_date() {
        let map = plan(
            "      - months: 1-2
        items:
          - {id: a, area: A, title: A, done: 2026-01-10}
          - {id: b, area: A, title: B, after: [a]}
",
        );
        assert_eq!(state(&map, "b", "2026-01-09"), State::Waiting);
        assert_eq!(state(&map, "b", "2026-01-10"), State::Ready);
        let row = items::ItemRow::new(&map, &map.items[1], d("2026-01-09"));
        assert_eq!(
            (row.after.clone(), row.waiting_on),
            (vec!["a".to_string()], vec!["a".to_string()])
        );
    }

    #[test]
    fn timing_is_where_an_item_stands_in_time() {
        let map = plan(ITEMS);
        let at = |id: &str, as_of| Timing::of(&map, &map.items[map.item(id).unwrap()], d(as_of));
        assert_eq!(at("chained", "2026-01-05"), Timing::Upcoming);
        assert_eq!(at("next", "2026-01-05"), Timing::Open);
        assert_eq!(at("stuck", "2026-03-01"), Timing::Overdue);
        assert_eq!(at("shipped", "2026-03-01"), Timing::Done);
    }

    #[test]
    fn state_names_parse_back() {
        for s in State::ALL {
            assert_eq!(State::parse(s.name()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        }
        assert_eq!(State::parse("open"), None);
    }
}
