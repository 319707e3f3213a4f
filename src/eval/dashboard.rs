//! The `dashboard` report: the plan's dashboards (kpis.yaml `dashboards:`),
//! each panel with its metrics' latest value, the change over the
//! dashboard's cadence, a trend, the target that applies now and whether
//! the value is fresh.
//!
//! A dashboard reads its metrics period by period, a period being its
//! cadence: a day, seven days or a calendar month. The current period ends
//! on the metric's newest recorded day on or before the as-of date (a day
//! not recorded yet, such as today, is not a fall to zero), and the
//! previous period is the one before it. A `latest` metric (a level) reads
//! as its newest value as of the end of each period, so its change is
//! against the value it had a period earlier; a `sum` or `average` metric
//! (a flow) reads as the total or mean of the values inside each period,
//! so its change is this week's revenue against last week's. That is how
//! `alerts` compares flows too.
//!
//! A value is stale when it was not updated within the dashboard's cadence
//! (`kpis` judges the metric's own cadence instead); a milestone reached
//! (a yes/no metric) stays reached.

use chrono::{Days, Months, NaiveDate};
use serde::{Serialize, Serializer};

use super::gate::{TREND, TargetRow, target_row};
use super::kpi::{combine, due, fresh_for};
use crate::model::history::History;
use crate::model::quantity::{Better, Unit, format_value};
use crate::model::{Cadence, Combine, Dashboard, Metric, Roadmap, TargetDef};

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub as_of: NaiveDate,
    /// The phase whose gate targets apply on the as-of date, if any.
    pub phase: Option<String>,
    pub dashboards: Vec<DashboardView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DashboardView {
    pub id: String,
    pub name: String,
    pub cadence: Cadence,
    pub panels: Vec<PanelView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PanelView {
    pub name: String,
    /// The plan's words for what the panel shows.
    pub shows: Option<String>,
    /// Empty when the panel links no metric.
    pub metrics: Vec<MetricView>,
}

/// One metric of a panel, read at the dashboard's cadence.
#[derive(Debug, Clone, Serialize)]
pub struct MetricView {
    pub metric: String,
    pub name: String,
    /// `value` and `previous` are in this unit (`usd`, `percent`, ...).
    #[serde(serialize_with = "as_text")]
    pub unit: Unit,
    pub better: Better,
    pub combine: Combine,
    /// The current period's reading; null without a recorded value.
    pub value: Option<f64>,
    pub value_text: Option<String>,
    /// The dates `value` was read from: the period for a flow, the value's
    /// own date (twice) for a level.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The previous period's reading, if it has one.
    pub previous: Option<f64>,
    pub previous_text: Option<String>,
    pub previous_from: Option<NaiveDate>,
    pub previous_to: Option<NaiveDate>,
    /// The relative change from `previous` to `value`, in percent; null
    /// without a previous reading or when it is zero.
    pub change_pct: Option<f64>,
    /// Date of the newest value.
    pub last: Option<NaiveDate>,
    /// Not updated within the dashboard's cadence.
    pub stale: bool,
    /// The readings of the last periods that have one, oldest first; the
    /// last is `value`.
    pub trend: Vec<f64>,
    /// The target that applies now, judged as `kpis` judges it.
    pub target: Option<TargetRow>,
}

fn as_text<S: Serializer>(unit: &Unit, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(unit)
}

/// The dashboards at indices `chosen`, in that order, as of a date.
pub fn dashboards(map: &Roadmap, history: &History, chosen: &[usize], as_of: NaiveDate) -> Report {
    let (month, pos) = super::position(map, as_of);
    let phase = u32::try_from(month)
        .ok()
        .filter(|_| pos == super::Position::During)
        .and_then(|m| map.phase_of_month(m));
    Report {
        as_of,
        phase: phase.map(|p| map.phases[p].id.clone()),
        dashboards: chosen
            .iter()
            .map(|&d| dashboard(map, history, &map.dashboards[d], phase, as_of))
            .collect(),
    }
}

fn dashboard(
    map: &Roadmap,
    history: &History,
    d: &Dashboard,
    phase: Option<usize>,
    as_of: NaiveDate,
) -> DashboardView {
    DashboardView {
        id: d.id.clone(),
        name: d.name.clone(),
        cadence: d.cadence,
        panels: d
            .panels
            .iter()
            .map(|p| PanelView {
                name: p.name.clone(),
                shows: p.shows.clone(),
                metrics: p
                    .metrics
                    .iter()
                    .map(|&m| metric(map, history, m, d.cadence, phase, as_of))
                    .collect(),
            })
            .collect(),
    }
}

/// A reading of one period: its value and the dates it was read from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub value: f64,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The current reading of metric `index` (`m`) at `cadence`, as a
/// dashboard shows it: a level's newest value on or before `as_of`, a
/// flow's total or mean over the period ending on its newest recorded day.
/// None before any value. A portfolio's company KPIs read members this way
/// too, at the metric's own cadence.
pub fn current(
    history: &History,
    m: &Metric,
    index: usize,
    cadence: Cadence,
    as_of: NaiveDate,
) -> Option<Reading> {
    let end = history.latest(index, as_of)?.date;
    reading(history, m, index, cadence, end, 0)
}

fn metric(
    map: &Roadmap,
    history: &History,
    index: usize,
    cadence: Cadence,
    phase: Option<usize>,
    as_of: NaiveDate,
) -> MetricView {
    let m = &map.metrics[index];
    let last = history.latest(index, as_of).map(|p| p.date);
    let read = |k: u32| last.and_then(|end| reading(history, m, index, cadence, end, k));
    let (current, previous) = (read(0), read(1));
    let mut trend: Vec<f64> = (0..TREND as u32)
        .filter_map(|k| read(k).map(|r| r.value))
        .collect();
    trend.reverse();
    let text = |r: Option<Reading>| r.map(|r| format_value(r.value, m.unit));
    MetricView {
        metric: m.id.clone(),
        name: m.name.clone(),
        unit: m.unit,
        better: m.better,
        combine: m.combine,
        value: current.map(|r| r.value),
        value_text: text(current),
        from: current.map(|r| r.from),
        to: current.map(|r| r.to),
        previous: previous.map(|r| r.value),
        previous_text: text(previous),
        previous_from: previous.map(|r| r.from),
        previous_to: previous.map(|r| r.to),
        change_pct: current
            .zip(previous)
            .and_then(|(now, before)| change(now.value, before.value)),
        last,
        stale: last.is_some_and(|d| stale(m, cadence, d, as_of)),
        trend,
        target: target_now(map, index, phase, as_of).map(|t| target_row(map, history, t, as_of)),
    }
}

/// The day `n` periods of `cadence` before `date`. Months are calendar
/// months, counted from `date` itself so that they do not drift (from
/// Mar 31: Feb 28, then Jan 31).
fn periods_back(date: NaiveDate, cadence: Cadence, n: u32) -> Option<NaiveDate> {
    match cadence {
        Cadence::Daily => date.checked_sub_days(Days::new(u64::from(n))),
        Cadence::Weekly => date.checked_sub_days(Days::new(7 * u64::from(n))),
        Cadence::Monthly => date.checked_sub_months(Months::new(n)),
    }
}

/// The reading of the period `k` periods before the one ending on `end`
/// (the newest recorded day): that period is the days after
/// `periods_back(end, k + 1)` up to `periods_back(end, k)`.
fn reading(
    history: &History,
    m: &Metric,
    index: usize,
    cadence: Cadence,
    end: NaiveDate,
    k: u32,
) -> Option<Reading> {
    let to = periods_back(end, cadence, k)?;
    match m.combine {
        // A level holds until the next value: as of the period's end it is
        // the newest value on or before it, however old.
        Combine::Latest => history.latest(index, to).map(|p| Reading {
            value: p.value,
            from: p.date,
            to: p.date,
        }),
        how => {
            let from = periods_back(end, cadence, k + 1)
                .and_then(|d| d.succ_opt())
                .unwrap_or(NaiveDate::MIN);
            combine(how, history.between(index, from, to)).map(|value| Reading { value, from, to })
        }
    }
}

/// The relative change from `before` to `now`, in percent. Measured
/// against the size of `before`, so a loss that shrinks (-$10K to -$5K)
/// reads as a rise.
fn change(now: f64, before: f64) -> Option<f64> {
    let pct = (now - before) / before.abs() * 100.0;
    (before != 0.0 && pct.is_finite()).then_some(pct)
}

/// Not updated within the dashboard's cadence, by the day: a value of the
/// day before still counts for a daily dashboard.
fn stale(m: &Metric, cadence: Cadence, last: NaiveDate, as_of: NaiveDate) -> bool {
    m.unit != Unit::Bool
        && last
            .checked_add_days(fresh_for(cadence))
            .is_some_and(|d| d < as_of)
}

/// The target on `metric` that applies on the as-of date: the current
/// phase's gate target if it has one, else the first standing target. A
/// target outside its `from:`/`until:` months does not apply, and a
/// qualitative one has nothing to judge a value by.
pub fn target_now(
    map: &Roadmap,
    metric: usize,
    phase: Option<usize>,
    as_of: NaiveDate,
) -> Option<&TargetDef> {
    let applies = |t: &&TargetDef| {
        let (from, until) = due(map, t);
        t.metric == metric
            && t.target.is_some()
            && from.is_none_or(|d| d <= as_of)
            && until.is_none_or(|d| as_of <= d)
    };
    let mut applying = map.targets.iter().filter(applies);
    let gate = phase.and_then(|p| applying.clone().find(|t| t.phase == Some(p)));
    gate.or_else(|| applying.find(|t| t.phase.is_none()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::history::Point;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn months_are_counted_from_the_day_itself() {
        let back = |n| periods_back(d("2026-03-31"), Cadence::Monthly, n).unwrap();
        assert_eq!((back(1), back(2)), (d("2026-02-28"), d("2026-01-31")));
        let week = periods_back(d("2026-03-31"), Cadence::Weekly, 2).unwrap();
        assert_eq!(week, d("2026-03-17"));
    }

    #[test]
    fn changes_are_relative_to_the_size_of_the_base() {
        assert_eq!(change(120.0, 100.0), Some(20.0));
        assert_eq!(change(-5.0, -10.0), Some(50.0));
        assert_eq!(change(5.0, 0.0), None);
    }

    #[test]
    fn flows_read_whole_periods_and_levels_the_value_they_held() {
        let m = |combine| Metric {
            id: "m".into(),
            name: "M".into(),
            unit: Unit::Count,
            better: Better::Higher,
            combine,
            cadence: Cadence::Daily,
            range: None,
        };
        let p = |date: &str, value| {
            (
                0,
                Point {
                    date: d(date),
                    value,
                },
            )
        };
        let h = History::new(
            1,
            [
                p("2026-03-01", 5.0),
                p("2026-03-09", 10.0),
                p("2026-03-10", 20.0),
                p("2026-03-15", 30.0),
            ],
        );
        let end = d("2026-03-15");
        let sum = m(Combine::Sum);
        let week = |k| reading(&h, &sum, 0, Cadence::Weekly, end, k).map(|r| r.value);
        // Mar 9..=15, then Mar 2..=8 (nothing), then Feb 23..=Mar 1.
        assert_eq!((week(0), week(1), week(2)), (Some(60.0), None, Some(5.0)));
        let level = m(Combine::Latest);
        let week = |k| reading(&h, &level, 0, Cadence::Weekly, end, k).map(|r| r.value);
        // As of Mar 15, then Mar 8 (the value of Mar 1 still held).
        assert_eq!((week(0), week(1)), (Some(30.0), Some(5.0)));
    }
}
