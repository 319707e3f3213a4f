//! When a phase's items will be done: the burn-up of its done dates, the
//! team's pace of the last weeks carried forward, and the longest chain of
//! open work through `after:`, which no pace can shorten. Advice only:
//! nothing here ever fails a gate.
//!
//! The rule, as the README states it:
//! - pace = items done in the last 8 weeks (fewer when the plan is
//!   younger), per week, over the whole plan (or what the filters select):
//!   it is the team's pace, whatever phase the work was for;
//! - work goes in phase order: a phase's open items are done after the
//!   open items of the phases before it, so by pace the phase finishes
//!   once all of those are done, `(earlier + its own) / pace` weeks from
//!   the as-of date, and it needs that many items a week to finish by its
//!   last day;
//! - the critical path is the longest chain of open items, across tracks
//!   and phases, that ends at one of the phase's open items; each item on
//!   it takes the median time from `started:` to done of the plan's done
//!   items (one week until three items have both dates), one after the
//!   other;
//! - the forecast is the later of the two. With no item done in the
//!   window there is no forecast at all: no pace, no finish in sight.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::{Selection, deps, is_done};
use crate::model::Roadmap;

/// How far back the pace looks.
pub const WEEKS: u32 = 8;

/// Fewer finished items than this say nothing about how long one takes.
const MIN_SAMPLES: usize = 3;

/// What an item on a chain takes while the plan has too few samples.
const DEFAULT_DAYS: u32 = 7;

/// A phase's forecast as of the date: present once the phase has started
/// and while some of its items are open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Items of the phase not done.
    pub open: usize,
    /// Open items of earlier phases, which come first.
    pub earlier: usize,
    /// The weeks the pace is measured over: 8, or fewer when the plan
    /// started less than 8 weeks before the as-of date.
    pub weeks: u32,
    /// Items done in those weeks, in any phase.
    pub done_recently: usize,
    /// Items per week: `done_recently / weeks`.
    pub pace: f64,
    /// Items per week needed to finish `earlier + open` by the phase's
    /// last day; null once that day has passed.
    pub needs: Option<f64>,
    /// When the open items will be done, at the pace and no sooner than
    /// the chain allows; null when no item was done in the window.
    pub finish: Option<NaiveDate>,
    /// Days `finish` falls after the phase's last day (0 when on time).
    pub late_days: Option<i64>,
    /// What sets `finish`: `pace`, `chain`, or `none` when there is no
    /// finish in sight.
    pub bound: Bound,
    /// The critical path: the longest chain of open items ending at one of
    /// the phase's.
    pub chain: Chain,
    /// Items of the phase done by the end of each week since it started,
    /// and by the as-of date.
    pub burnup: Vec<Point>,
}

/// A forecast and the phase it is of, where a report has no phase row to
/// hang it on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseForecast {
    pub phase: String,
    #[serde(flatten)]
    pub forecast: Forecast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    Pace,
    Chain,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chain {
    /// Ids, first to do first.
    pub items: Vec<String>,
    /// What each item on it is taken to need.
    pub days_per_item: u32,
    /// How that figure was found: `median` of the plan's started-to-done
    /// times, or `default` (one week) while fewer than three are known.
    pub basis: Basis,
    /// The as-of date plus every item's days, one after the other.
    pub finish: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    Median,
    Default,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Point {
    pub date: NaiveDate,
    /// Items of the phase done on or before the date.
    pub done: usize,
}

/// What every phase's forecast shares, found once per plan: the longest
/// open chain ending at each item, and how long an item takes.
pub struct Forecaster<'a> {
    map: &'a Roadmap,
    as_of: NaiveDate,
    /// For an open item: how many open items its longest chain holds,
    /// itself included (0 for a done one).
    depth: Vec<u32>,
    /// The open item before it on that chain.
    before: Vec<Option<usize>>,
    days_per_item: u32,
    basis: Basis,
}

impl<'a> Forecaster<'a> {
    pub fn new(map: &'a Roadmap, as_of: NaiveDate) -> Forecaster<'a> {
        let n = map.items.len();
        let mut depth = vec![0u32; n];
        let mut before = vec![None; n];
        // Only plans that use `after:` need the order; every chain is one
        // item long otherwise.
        let linked = map.items.iter().any(|i| !i.after.is_empty());
        let order: Box<dyn Iterator<Item = usize>> = if linked {
            Box::new(deps::topological(map).into_iter())
        } else {
            Box::new(0..n)
        };
        for i in order {
            let item = &map.items[i];
            if is_done(item, as_of) {
                continue;
            }
            // The first longest, in `after:` order, so the chain named is
            // the same on every run.
            let mut best: Option<usize> = None;
            for &j in &item.after {
                if depth[j] > best.map_or(0, |b| depth[b]) {
                    best = Some(j);
                }
            }
            depth[i] = 1 + best.map_or(0, |b| depth[b]);
            before[i] = best;
        }
        let mut spans: Vec<i64> = map
            .items
            .iter()
            .filter_map(|i| match (i.started, i.done) {
                (Some(s), Some(d)) if d <= as_of && s <= d => Some((d - s).num_days().max(1)),
                _ => None,
            })
            .collect();
        let (days_per_item, basis) = if spans.len() >= MIN_SAMPLES {
            spans.sort_unstable();
            let m = spans.len() / 2;
            let median = if spans.len() % 2 == 1 {
                spans[m]
            } else {
                (spans[m - 1] + spans[m] + 1) / 2
            };
            (u32::try_from(median).unwrap_or(u32::MAX), Basis::Median)
        } else {
            (DEFAULT_DAYS, Basis::Default)
        };
        Forecaster {
            map,
            as_of,
            depth,
            before,
            days_per_item,
            basis,
        }
    }

    /// [`Self::phase`] over every item, with the phase's id.
    pub fn of(&self, index: usize) -> Option<PhaseForecast> {
        Some(PhaseForecast {
            phase: self.map.phases[index].id.clone(),
            forecast: self.phase(&Selection::default(), index)?,
        })
    }

    /// The forecast of phase `index` over the items `sel` admits, or None
    /// before the phase starts or once all of them are done.
    pub fn phase(&self, sel: &Selection, index: usize) -> Option<Forecast> {
        let (map, as_of) = (self.map, self.as_of);
        let p = &map.phases[index];
        let (start, end) = (p.window.first_day(map.start), p.window.last_day(map.start));
        if as_of < start {
            return None;
        }
        let mine = || {
            map.items
                .iter()
                .enumerate()
                .filter(move |(_, i)| i.phase == Some(index) && sel.admits(i))
        };
        let mut done: Vec<NaiveDate> = mine()
            .filter_map(|(_, i)| i.done.filter(|&d| d <= as_of))
            .collect();
        let total = mine().count();
        let open = total - done.len();
        if open == 0 {
            return None;
        }
        done.sort_unstable();

        let weeks = weeks_known(map.start, as_of);
        let since = as_of - Days::new(7 * u64::from(weeks));
        let (mut done_recently, mut earlier) = (0, 0);
        for item in map.items.iter().filter(|i| sel.admits(i)) {
            match item.done {
                Some(d) if d <= as_of => done_recently += usize::from(d > since),
                _ => earlier += usize::from(item.phase.is_some_and(|p| p < index)),
            }
        }
        let pace = done_recently as f64 / f64::from(weeks);
        let queue = earlier + open;
        let days_left = (end - as_of).num_days();
        let needs = (days_left > 0).then(|| queue as f64 * 7.0 / days_left as f64);

        // The longest chain ending at one of the phase's open items; the
        // first in plan order among equals.
        let last = mine()
            .map(|(k, _)| k)
            .filter(|&k| self.depth[k] > 0)
            .fold(None::<usize>, |best, k| match best {
                Some(b) if self.depth[b] >= self.depth[k] => Some(b),
                _ => Some(k),
            })
            .expect("an open item exists");
        let mut ids = Vec::with_capacity(self.depth[last] as usize);
        let mut at = Some(last);
        while let Some(k) = at {
            ids.push(map.items[k].id.clone());
            at = self.before[k];
        }
        ids.reverse();
        let chain_days = u64::from(self.depth[last]) * u64::from(self.days_per_item);
        let chain = Chain {
            items: ids,
            days_per_item: self.days_per_item,
            basis: self.basis,
            finish: later(as_of, chain_days),
        };

        let by_pace = (pace > 0.0).then(|| later(as_of, (queue as f64 * 7.0 / pace).ceil() as u64));
        let (finish, bound) = match by_pace {
            None => (None, Bound::None),
            Some(d) if chain.finish > d => (Some(chain.finish), Bound::Chain),
            Some(d) => (Some(d), Bound::Pace),
        };
        Some(Forecast {
            open,
            earlier,
            weeks,
            done_recently,
            pace,
            needs,
            finish,
            late_days: finish.map(|f| (f - end).num_days().max(0)),
            bound,
            chain,
            burnup: burnup(&done, start, as_of),
        })
    }
}

/// `days` after `date`, or the last date there is when that is past it: a
/// long chain at a slow pace can reach beyond what a calendar counts, and
/// is shown as never.
fn later(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

/// Whole weeks between the plan's start and the date, at least one and at
/// most [`WEEKS`]: a young plan's pace is over the weeks it has.
fn weeks_known(plan_start: NaiveDate, as_of: NaiveDate) -> u32 {
    let known = (as_of - plan_start).num_days() / 7;
    u32::try_from(known.clamp(1, i64::from(WEEKS))).unwrap_or(WEEKS)
}

/// Done counts at the end of each week from `start`, and on `as_of`.
/// `done` is sorted.
fn burnup(done: &[NaiveDate], start: NaiveDate, as_of: NaiveDate) -> Vec<Point> {
    let count = |date: NaiveDate| done.partition_point(|&d| d <= date);
    let mut points = Vec::new();
    let mut date = start + Days::new(6);
    while date < as_of {
        points.push(Point {
            date,
            done: count(date),
        });
        date = date + Days::new(7);
    }
    points.push(Point {
        date: as_of,
        done: count(as_of),
    });
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::tests::{d, plan};

    /// Items of the one phase (months 1-12, ending 2026-12-31): `done`
    /// done on the dates given, `open` open ones, all in months 1-6.
    fn items(done: &[&str], open: usize) -> String {
        let mut out = String::from("      - months: 1-6\n        items:\n");
        for (n, date) in done.iter().enumerate() {
            out += &format!("          - {{id: d{n}, area: A, title: D{n}, done: {date}}}\n");
        }
        for n in 0..open {
            out += &format!("          - {{id: o{n}, area: A, title: O{n}}}\n");
        }
        out
    }

    fn forecast(map: &Roadmap, as_of: &str) -> Option<Forecast> {
        Forecaster::new(map, d(as_of)).phase(&Selection::default(), 0)
    }

    #[test]
    fn the_pace_of_the_last_eight_weeks_carried_forward() {
        // Four done in the 8 weeks to 2026-06-30 (after 05-05), two before.
        let done = ["2026-02-01", "2026-05-05", "2026-05-06", "2026-06-01"];
        let done = [&done[..], &["2026-06-20", "2026-06-30"]].concat();
        let map = plan(&items(&done, 6));
        let f = forecast(&map, "2026-06-30").unwrap();
        assert_eq!((f.open, f.weeks, f.done_recently), (6, 8, 4));
        assert_eq!(f.pace, 0.5);
        // 6 open at half an item a week: 12 weeks, 84 days.
        assert_eq!(f.finish, Some(d("2026-09-22")));
        assert_eq!(f.bound, Bound::Pace);
        assert_eq!(f.late_days, Some(0));
        // 184 days (26.3 weeks) left for 6 items.
        let needs = f.needs.unwrap();
        assert!((needs - 6.0 * 7.0 / 184.0).abs() < 1e-9, "{needs}");
        // Nothing chains: the longest chain is any one open item, a week.
        assert_eq!(f.chain.items, ["o0"]);
        assert_eq!((f.chain.days_per_item, f.chain.basis), (7, Basis::Default));
    }

    #[test]
    fn past_the_phase_end_it_says_how_late_and_needs_nothing() {
        let map = plan(&items(&["2026-12-20", "2027-01-10"], 3));
        let f = forecast(&map, "2027-01-15").unwrap();
        assert_eq!(f.needs, None);
        // 2 in 8 weeks: 3 open take 12 weeks from 01-15.
        assert_eq!(f.finish, Some(d("2027-04-09")));
        assert_eq!(
            f.late_days,
            Some((d("2027-04-09") - d("2026-12-31")).num_days())
        );
    }

    #[test]
    fn no_item_done_lately_means_no_finish_in_sight() {
        let map = plan(&items(&["2026-01-10"], 2));
        let f = forecast(&map, "2026-06-01").unwrap();
        assert_eq!((f.done_recently, f.pace), (0, 0.0));
        assert_eq!((f.finish, f.bound, f.late_days), (None, Bound::None, None));
    }

    #[test]
    fn nothing_to_forecast_before_the_phase_or_once_it_is_done() {
        let all_done = plan(&items(&["2026-02-01"], 0));
        assert_eq!(forecast(&all_done, "2026-03-01"), None);
        let map = plan(&items(&[], 2));
        assert_eq!(forecast(&map, "2025-12-31"), None);
        assert!(forecast(&map, "2026-01-01").is_some());
        // A done date after the as-of date has not happened yet.
        let later = plan(&items(&["2026-05-01"], 0));
        assert_eq!(forecast(&later, "2026-04-30").unwrap().open, 1);
    }

    #[test]
    fn the_longest_open_chain_bounds_a_fast_pace() {
        // Eight done in the last 8 weeks, each in 14 days from its start
        // (one took 3, one 40: the median ignores them), and a chain of
        // four open items c0 → c1 → c2 → c3 beside a lone one.
        let mut periods = String::from("      - months: 1-6\n        items:\n");
        let spans = [14, 14, 3, 14, 40, 14, 14, 14];
        for (n, span) in spans.iter().enumerate() {
            let done = d("2026-05-10") + Days::new(n as u64);
            let started = done - Days::new(*span);
            periods += &format!(
                "          - {{id: d{n}, area: A, title: D, started: {started}, done: {done}}}\n"
            );
        }
        periods += "          - {id: c0, area: A, title: C, after: [d0]}\n";
        for n in 1..4 {
            periods += &format!(
                "          - {{id: c{n}, area: A, title: C, after: [c{}]}}\n",
                n - 1
            );
        }
        periods += "          - {id: lone, area: A, title: L}\n";
        let map = plan(&periods);
        let f = forecast(&map, "2026-06-01").unwrap();
        // Done items are not on the chain; the ones waiting on them are.
        assert_eq!(f.chain.items, ["c0", "c1", "c2", "c3"]);
        assert_eq!((f.chain.days_per_item, f.chain.basis), (14, Basis::Median));
        // By pace: 5 open at 1 a week, 35 days; the chain needs 56.
        assert_eq!(f.chain.finish, d("2026-07-27"));
        assert_eq!((f.finish, f.bound), (Some(d("2026-07-27")), Bound::Chain));
    }

    #[test]
    fn a_chain_runs_through_other_phases_open_work() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("roadmap.yaml"),
            "name: T\nstart: 2026-01-01\nmonths: 12\n\
             phases:\n  - {id: a, name: A, months: 1-6}\n  - {id: b, name: B, months: 7-12}\n\
             tracks:\n  - id: t\n    name: T\n    periods:\n\
             \x20     - months: 1-6\n        items:\n\
             \x20         - {id: x, area: A, title: X}\n\
             \x20         - {id: y, area: A, title: Y, after: [x]}\n\
             \x20     - months: 7-12\n        items:\n\
             \x20         - {id: z, area: A, title: Z, after: [y]}\n\
             \x20         - {id: w, area: A, title: W, done: 2026-07-02}\n",
        )
        .unwrap();
        let map = crate::load::load(dir.path()).unwrap();
        let f = Forecaster::new(&map, d("2026-07-10"))
            .phase(&Selection::default(), 1)
            .unwrap();
        assert_eq!(f.chain.items, ["x", "y", "z"]);
        // Phase a's two open items come first: three items at one per 8
        // weeks (w, done 07-02) take 24 weeks, and need 3 in the 25 weeks
        // left of b.
        assert_eq!((f.open, f.earlier, f.done_recently), (1, 2, 1));
        assert_eq!(f.finish, Some(d("2026-07-10") + Days::new(168)));
        assert!((f.needs.unwrap() - 3.0 * 7.0 / 174.0).abs() < 1e-9);
        // Phase a's own chain ends at its last open item, y.
        let f = Forecaster::new(&map, d("2026-07-10")).of(0).unwrap();
        assert_eq!((f.phase.as_str(), f.forecast.chain.items.len()), ("a", 2));
    }

    #[test]
    fn burnup_counts_by_week_and_ends_on_the_date() {
        let done = [d("2026-01-02"), d("2026-01-09"), d("2026-01-09")];
        let points = burnup(&done, d("2026-01-01"), d("2026-01-20"));
        let got: Vec<(String, usize)> = points
            .iter()
            .map(|p| (p.date.to_string(), p.done))
            .collect();
        assert_eq!(
            got,
            [
                ("2026-01-07".into(), 1),
                ("2026-01-14".into(), 3),
                ("2026-01-20".into(), 3)
            ]
        );
    }

    #[test]
    fn a_date_beyond_the_calendar_is_the_last_one() {
        assert_eq!(later(d("2026-01-01"), 31), d("2026-02-01"));
        assert_eq!(later(d("2026-01-01"), u64::MAX), NaiveDate::MAX);
        assert_eq!(later(d("2026-01-01"), 1 << 40), NaiveDate::MAX);
    }

    #[test]
    fn a_young_plan_measures_its_pace_over_the_weeks_it_has() {
        assert_eq!(weeks_known(d("2026-01-01"), d("2026-01-03")), 1);
        assert_eq!(weeks_known(d("2026-01-01"), d("2026-01-22")), 3);
        assert_eq!(weeks_known(d("2026-01-01"), d("2026-12-01")), WEEKS);
    }
}
