//! Pure evaluation: a roadmap and an as-of date in, report structs out.
//! Nothing here reads files or prints.

pub mod act;
pub mod alerts;
pub mod check;
pub mod dashboard;
pub mod diff;
pub mod gate;
pub mod items;
pub mod kpi;
pub mod kpis;
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

/// Where an item stands on the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Done on or before the as-of date.
    Done,
    /// Its window is over and it is not done.
    Overdue,
    /// Its window is under way.
    Open,
    /// Its window has not started.
    Upcoming,
}

impl State {
    pub fn of(map: &Roadmap, item: &Item, as_of: NaiveDate) -> State {
        // A `done` date after the as-of date did not happen yet as of then:
        // this keeps `--as-of` in the past truthful.
        if item.done.is_some_and(|d| d <= as_of) {
            State::Done
        } else if as_of > item.window.last_day(map.start) {
            State::Overdue
        } else if as_of >= item.window.first_day(map.start) {
            State::Open
        } else {
            State::Upcoming
        }
    }
}

/// Done / total / overdue counts of a set of items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub done: usize,
    pub total: usize,
    pub overdue: usize,
}

impl Counts {
    pub fn add(&mut self, state: State) {
        self.total += 1;
        match state {
            State::Done => self.done += 1,
            State::Overdue => self.overdue += 1,
            State::Open | State::Upcoming => {}
        }
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
}

impl Selection {
    pub fn admits(&self, item: &Item) -> bool {
        self.phase.is_none_or(|p| item.phase == Some(p))
            && self.track.is_none_or(|t| item.track == t)
            && self
                .area
                .as_ref()
                .is_none_or(|a| item.area.to_lowercase() == *a)
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
