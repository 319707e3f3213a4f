//! The `items` report: one row per item, with its state as of a date.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Months, Selection, State, Timing, late};
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
    /// The day it is due by: its `due:`, else the last day of its window.
    pub due: NaiveDate,
    /// Who owns it, or null.
    pub owner: Option<String>,
    /// Ids of the items it waits on (`after:`), done or not.
    pub after: Vec<String>,
    /// Ids of those not done as of the date: what it is waiting on.
    pub waiting_on: Vec<String>,
    /// The day work on it began, if on or before the as-of date.
    pub started: Option<NaiveDate>,
    /// Why it cannot go on, or null.
    pub blocked: Option<String>,
    pub done: Option<NaiveDate>,
    /// Past its deadline and not done (blocked or not).
    pub overdue: bool,
    pub state: State,
    /// Where it stands in time, for charts.
    #[serde(skip)]
    pub timing: Timing,
}

impl ItemRow {
    pub fn new(map: &Roadmap, item: &Item, as_of: NaiveDate) -> Self {
        let id = |j: &usize| map.items[*j].id.clone();
        ItemRow {
            id: item.id.clone(),
            title: item.title.clone(),
            track: map.tracks[item.track].id.clone(),
            area: item.area.clone(),
            period: item.period.clone(),
            months: item.window.into(),
            phase: item.phase.map(|p| map.phases[p].id.clone()),
            start: item.window.first_day(map.start),
            due: item.deadline(map.start),
            owner: item.owner.clone(),
            after: item.after.iter().map(id).collect(),
            waiting_on: item
                .after
                .iter()
                .filter(|&&j| !super::is_done(&map.items[j], as_of))
                .map(id)
                .collect(),
            started: item.started.filter(|d| *d <= as_of),
            blocked: item.blocked.clone(),
            done: item.done.filter(|d| *d <= as_of),
            overdue: late(map, item, as_of),
            state: State::of(map, item, as_of),
            timing: Timing::of(map, item, as_of),
        }
    }
}

/// Which items `roadmap items` lists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StateFilter {
    #[default]
    All,
    /// Not done.
    Open,
    Done,
    /// Past their deadline, blocked or not.
    Overdue,
    /// In one of these states.
    In(Vec<State>),
}

pub fn items(
    map: &Roadmap,
    sel: &Selection,
    state: &StateFilter,
    as_of: NaiveDate,
) -> Vec<ItemRow> {
    map.items
        .iter()
        .filter(|i| sel.admits(i))
        .map(|i| ItemRow::new(map, i, as_of))
        .filter(|r| match state {
            StateFilter::All => true,
            StateFilter::Open => r.state != State::Done,
            StateFilter::Done => r.state == State::Done,
            StateFilter::Overdue => r.overdue,
            StateFilter::In(states) => states.contains(&r.state),
        })
        .collect()
}
