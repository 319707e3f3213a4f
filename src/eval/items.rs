//! The `items` report: one row per item, with its state as of a date.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Months, Selection, State};
use crate::model::{Item, Roadmap};

/// One item as reports show it. This is also the JSON of `roadmap items`.
#[derive(Debug, Clone, Serialize)]
pub struct ItemRow {
    pub id: String,
    pub title: String,
    /// Track id.
    pub track: String,
    pub area: String,
    /// The name of the period it is listed under.
    pub period: String,
    /// Month numbers of the plan.
    pub months: Months,
    /// Phase id (the phase by whose end it is due), or null.
    pub phase: Option<String>,
    /// First day of its window.
    pub start: NaiveDate,
    /// Last day of its window.
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    pub overdue: bool,
    pub state: State,
}

impl ItemRow {
    pub fn new(map: &Roadmap, item: &Item, as_of: NaiveDate) -> Self {
        let state = State::of(map, item, as_of);
        ItemRow {
            id: item.id.clone(),
            title: item.title.clone(),
            track: map.tracks[item.track].id.clone(),
            area: item.area.clone(),
            period: item.period.clone(),
            months: item.window.into(),
            phase: item.phase.map(|p| map.phases[p].id.clone()),
            start: item.window.first_day(map.start),
            due: item.window.last_day(map.start),
            done: item.done.filter(|d| *d <= as_of),
            overdue: state == State::Overdue,
            state,
        }
    }
}

/// Which items `roadmap items` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StateFilter {
    #[default]
    All,
    Open,
    Done,
    Overdue,
}

pub fn items(map: &Roadmap, sel: &Selection, state: StateFilter, as_of: NaiveDate) -> Vec<ItemRow> {
    map.items
        .iter()
        .filter(|i| sel.admits(i))
        .map(|i| ItemRow::new(map, i, as_of))
        .filter(|r| match state {
            StateFilter::All => true,
            StateFilter::Open => r.state != State::Done,
            StateFilter::Done => r.state == State::Done,
            StateFilter::Overdue => r.state == State::Overdue,
        })
        .collect()
}
