//! The `report` report: everything the shareable HTML page shows, as
//! plain data: where the plan stands, a card per phase with its burn-up,
//! the dashboards' metrics as charts, a timeline of the tracks, the alerts
//! that fire and the risks.
//!
//! What a metric's chart shows is what its target judges, so the line, the
//! target and the projection can be read against each other. For a metric
//! with a gate target in the current phase that sums (or averages) its
//! values, that is the running total (or mean) since the target's window
//! opened; otherwise the values as recorded, with every phase's target as a
//! step and the standing targets across. A target measured in other terms
//! (a growth rate, a 30-day total against daily values) is not drawn, but
//! still listed with its verdict.

use chrono::{Days, NaiveDate};
use serde::{Serialize, Serializer};

use super::alerts::{self, AlertRow};
use super::forecast;
use super::gate::{self, TargetRow};
use super::items::ItemRow;
use super::kpi;
use super::risks::{self, RiskRow};
use super::status::{self, PhaseRef, PhaseRow, Plan};
use super::{Counts, Months, Position, Selection, Timing};
use crate::model::history::{History, Point};
use crate::model::quantity::Unit;
use crate::model::{Cadence, Combine, Measure, Roadmap, TargetDef};

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub plan: Plan,
    pub as_of: NaiveDate,
    /// Month of the plan holding the as-of date (below 1 before it starts,
    /// above `plan.months` after it ends).
    pub month: i64,
    pub position: Position,
    /// The phase holding the as-of date.
    pub phase: Option<PhaseRef>,
    /// That phase's objective, in the plan's words.
    pub objective: Option<String>,
    pub items: Counts,
    pub phases: Vec<PhaseCard>,
    pub dashboards: Vec<Dashboard>,
    /// Metrics with a target that no dashboard panel shows, charted.
    pub kpis: Vec<MetricChart>,
    /// Metrics with a target that no panel shows and no value recorded.
    pub unrecorded: Vec<MetricRef>,
    pub timeline: Timeline,
    /// The alerts that fire, critical first.
    pub alerts: Vec<AlertRow>,
    /// Ids of the alerts that do not fire.
    pub quiet: Vec<String>,
    /// Every risk, in file order, active or not.
    pub risks: Vec<RiskRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseCard {
    #[serde(flatten)]
    pub phase: PhaseRow,
    /// It holds the as-of date.
    pub current: bool,
    /// How many of its items its gate needs done.
    pub required: usize,
    pub burnup: BurnUp,
}

/// A phase's items over time: done against due, and when all would be
/// done as forecast (see [`forecast`]).
#[derive(Debug, Clone, Serialize)]
pub struct BurnUp {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub total: usize,
    /// Done on or before the as-of date.
    pub done: usize,
    /// Items done by each date: the phase's first day (with what was done
    /// by then), then each day on which items were done.
    pub done_steps: Vec<Step>,
    /// Items due by each date, from the phase's first day to its last.
    pub due_steps: Vec<Step>,
    /// The phase's forecast as `status` gives it (the team's pace of the
    /// last weeks, earlier phases' work first, bounded by the longest
    /// open chain), while it is under way.
    pub ahead: Option<forecast::Forecast>,
    pub forecast: Forecast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    pub date: NaiveDate,
    pub count: usize,
}

/// When a phase's items will all be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Forecast {
    /// The phase has no items.
    Empty,
    /// Everything was done, the last of it on `on`.
    Complete { on: NaiveDate },
    /// The phase has not started.
    NotStarted,
    /// Under way, nothing done lately: there is no pace to go by.
    NoProgress,
    /// As forecast, the last item is done on `on`; `late_days` after the
    /// phase's last day (negative: early).
    AtPace { on: NaiveDate, late_days: i64 },
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub id: String,
    pub name: String,
    pub cadence: Cadence,
    pub panels: Vec<Panel>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Panel {
    pub name: String,
    /// What the panel shows, in the plan's words.
    pub shows: Option<String>,
    /// Ids of the metrics linked to it (none: not linked yet).
    pub metrics: Vec<String>,
    /// Charts of the linked metrics that have values.
    pub charts: Vec<MetricChart>,
    /// Linked metrics without a value recorded by the as-of date.
    pub unrecorded: Vec<MetricRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricRef {
    pub id: String,
    pub name: String,
}

/// One metric over time, against its targets.
#[derive(Debug, Clone, Serialize)]
pub struct MetricChart {
    pub metric: String,
    pub name: String,
    #[serde(serialize_with = "as_text")]
    pub unit: Unit,
    pub cadence: Cadence,
    pub series: Series,
    /// The dates the chart spans.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub points: Vec<ChartPoint>,
    /// Targets drawn as horizontal lines.
    pub lines: Vec<TargetLine>,
    /// Where the judged value is headed by the current phase's end.
    pub projection: Option<ProjectionLine>,
    /// Every target on the metric, drawn or not, with its verdict.
    pub targets: Vec<ChartTarget>,
}

/// What a chart's points are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Series {
    /// The values as recorded.
    Values,
    /// The running total since `since`, as a sum target judges it.
    RunningTotal { since: NaiveDate },
    /// The running mean since `since`, as an average target judges it.
    RunningAverage { since: NaiveDate },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChartPoint {
    pub date: NaiveDate,
    /// The value drawn (see [`Series`]).
    pub value: f64,
    /// The value recorded that day.
    pub recorded: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetLine {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: f64,
    /// `>= 150`.
    pub target: String,
    /// The phase it is a gate target of, or null for a standing one.
    pub phase: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectionLine {
    /// The last point drawn, where the projection starts.
    pub from: NaiveDate,
    pub from_value: f64,
    pub at: NaiveDate,
    pub value: f64,
    pub value_text: String,
    pub on_pace: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartTarget {
    #[serde(flatten)]
    pub row: TargetRow,
    /// Where its phase stands on the as-of date; null for a standing one.
    pub when: Option<When>,
    pub drawn: Drawn,
}

/// Whether a target is drawn on its metric's chart, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Drawn {
    /// As a dashed line.
    Line,
    /// Its dates lie outside the chart's.
    OutOfView,
    /// It judges something else than the points show: a growth rate, or
    /// a total against the values recorded.
    OtherScale,
    /// A qualitative target has no number.
    NoNumber,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum When {
    Upcoming,
    Current,
    Past,
}

/// The tracks' work over the plan's months.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub phases: Vec<PhaseBand>,
    pub tracks: Vec<TimelineTrack>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseBand {
    pub id: String,
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineTrack {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub rows: Vec<TimelineRow>,
}

/// The items of one period of a track: they share a window, so the ones
/// not done share a state too.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    pub period: String,
    pub months: Months,
    pub start: NaiveDate,
    pub due: NaiveDate,
    pub done: usize,
    pub total: usize,
    /// Where the items not done stand (`done` when all are): the latest
    /// of them, as a day-level `due:` may make one late before the others.
    pub rest: Timing,
    pub items: Vec<ItemRow>,
}

fn as_text<S: Serializer>(unit: &Unit, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(unit)
}

pub fn report(map: &Roadmap, history: &History, as_of: NaiveDate) -> Report {
    let s = status::status(map, history, &Selection::default(), as_of);
    let current = s.phase.as_ref().and_then(|p| map.phase(&p.id));
    let phases = s
        .phases
        .iter()
        .enumerate()
        .map(|(i, row)| PhaseCard {
            phase: row.clone(),
            current: Some(i) == current,
            required: gate::gate(map, history, i, as_of).items.required,
            burnup: burnup(map, i, as_of, row.forecast.as_ref()),
        })
        .collect();

    let chart = |m: usize| metric_chart(map, history, m, current, as_of);
    let metric_ref = |m: usize| MetricRef {
        id: map.metrics[m].id.clone(),
        name: map.metrics[m].name.clone(),
    };
    let dashboards = map
        .dashboards
        .iter()
        .map(|d| Dashboard {
            id: d.id.clone(),
            name: d.name.clone(),
            cadence: d.cadence,
            panels: d
                .panels
                .iter()
                .map(|p| {
                    let (charts, unrecorded) = charts(&p.metrics, &chart, &metric_ref);
                    Panel {
                        name: p.name.clone(),
                        shows: p.shows.clone(),
                        metrics: p
                            .metrics
                            .iter()
                            .map(|&m| map.metrics[m].id.clone())
                            .collect(),
                        charts,
                        unrecorded,
                    }
                })
                .collect(),
        })
        .collect();
    let shown: Vec<usize> = map
        .dashboards
        .iter()
        .flat_map(|d| d.panels.iter().flat_map(|p| p.metrics.iter().copied()))
        .collect();
    let targeted: Vec<usize> = (0..map.metrics.len())
        .filter(|m| !shown.contains(m) && map.targets.iter().any(|t| t.metric == *m))
        .collect();
    let (kpis, unrecorded) = charts(&targeted, &chart, &metric_ref);

    let rows = alerts::evaluate(map, history, as_of);
    let risks = risks::evaluate(map, history, &rows, as_of);
    let alerts = alerts::report(rows, None, as_of);
    Report {
        objective: current.and_then(|c| map.phases[c].objective.clone()),
        plan: s.plan,
        as_of,
        month: s.month,
        position: s.position,
        phase: s.phase,
        items: s.items,
        phases,
        dashboards,
        kpis,
        unrecorded,
        timeline: timeline(map, as_of),
        quiet: alerts.quiet.iter().map(|a| a.id.clone()).collect(),
        alerts: alerts.alerts,
        risks,
    }
}

/// The charts of the metrics with values, and the metrics without.
fn charts(
    metrics: &[usize],
    chart: &dyn Fn(usize) -> Option<MetricChart>,
    metric_ref: &dyn Fn(usize) -> MetricRef,
) -> (Vec<MetricChart>, Vec<MetricRef>) {
    let mut charts = Vec::new();
    let mut unrecorded = Vec::new();
    for &m in metrics {
        match chart(m) {
            Some(c) => charts.push(c),
            None => unrecorded.push(metric_ref(m)),
        }
    }
    (charts, unrecorded)
}

fn phase_days(map: &Roadmap, p: usize) -> (NaiveDate, NaiveDate) {
    let w = map.phases[p].window;
    (w.first_day(map.start), w.last_day(map.start))
}

/// A phase's burn-up and forecast (see [`BurnUp`]).
/// `ahead` is the phase's forecast (see [`forecast`]), which sets when
/// the rest will be done.
pub fn burnup(
    map: &Roadmap,
    index: usize,
    as_of: NaiveDate,
    ahead: Option<&forecast::Forecast>,
) -> BurnUp {
    let (start, end) = phase_days(map, index);
    let items: Vec<_> = map
        .items
        .iter()
        .filter(|i| i.phase == Some(index))
        .collect();
    let total = items.len();
    let mut done_dates: Vec<NaiveDate> = items
        .iter()
        .filter_map(|i| i.done)
        .filter(|d| *d <= as_of)
        .collect();
    done_dates.sort_unstable();
    let done = done_dates.len();
    let done_steps = if as_of >= start {
        cumulative(start, &done_dates)
    } else {
        Vec::new()
    };
    let mut due_dates: Vec<NaiveDate> = items.iter().map(|i| i.deadline(map.start)).collect();
    due_dates.sort_unstable();
    let due_steps = cumulative(start, &due_dates);

    let forecast = match (done_dates.last(), ahead.and_then(|a| a.finish)) {
        _ if total == 0 => Forecast::Empty,
        (Some(&last), _) if done == total => Forecast::Complete { on: last },
        _ if as_of < start => Forecast::NotStarted,
        (_, None) => Forecast::NoProgress,
        (_, Some(on)) => Forecast::AtPace {
            on,
            late_days: (on - end).num_days(),
        },
    };
    BurnUp {
        start,
        end,
        total,
        done,
        done_steps,
        due_steps,
        ahead: ahead.cloned(),
        forecast,
    }
}

/// Running counts of sorted `dates`: one step at `start` for the dates on
/// or before it, then one per later date.
fn cumulative(start: NaiveDate, dates: &[NaiveDate]) -> Vec<Step> {
    let before = dates.iter().filter(|d| **d <= start).count();
    let mut steps = vec![Step {
        date: start,
        count: before,
    }];
    let mut count = before;
    for &d in dates.iter().filter(|d| **d > start) {
        count += 1;
        match steps.last_mut() {
            Some(s) if s.date == d => s.count = count,
            _ => steps.push(Step { date: d, count }),
        }
    }
    steps
}

/// Metric `m` over time against its targets, or None when it has no value
/// recorded by the as-of date. `current` is the phase holding the as-of
/// date.
pub fn metric_chart(
    map: &Roadmap,
    history: &History,
    m: usize,
    current: Option<usize>,
    as_of: NaiveDate,
) -> Option<MetricChart> {
    let metric = &map.metrics[m];
    let recorded = history.between(m, NaiveDate::MIN, as_of);
    if recorded.is_empty() {
        return None;
    }
    let defs: Vec<&TargetDef> = map.targets.iter().filter(|t| t.metric == m).collect();
    // The target the current phase judges the metric by sets what is drawn.
    let focus = current.and_then(|c| {
        defs.iter()
            .copied()
            .find(|t| t.phase == Some(c) && t.measure == Measure::Value && t.target.is_some())
    });
    let (series, points): (Series, &[Point]) = match focus {
        Some(t) => {
            let (since, to) = kpi::window(map, t, as_of);
            let window = history.between(m, since, to);
            match kpi::combine_of(map, t) {
                Combine::Sum if !window.is_empty() => (Series::RunningTotal { since }, window),
                Combine::Average if !window.is_empty() => {
                    (Series::RunningAverage { since }, window)
                }
                _ => (Series::Values, recorded),
            }
        }
        None => (Series::Values, recorded),
    };
    let mut total = 0.0;
    let points: Vec<ChartPoint> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            total += p.value;
            ChartPoint {
                date: p.date,
                value: match series {
                    Series::Values => p.value,
                    Series::RunningTotal { .. } => total,
                    Series::RunningAverage { .. } => total / (i + 1) as f64,
                },
                recorded: p.value,
            }
        })
        .collect();
    let (first, last) = (points[0].date, points[points.len() - 1].date);
    let now = current.map(|c| phase_days(map, c));
    let from = match series {
        Series::Values => now.map_or(first, |(start, _)| first.min(start)),
        Series::RunningTotal { since } | Series::RunningAverage { since } => since.min(first),
    };
    let to = now
        .map_or(as_of, |(_, end)| end)
        .max(last)
        .max(from + Days::new(1));

    let mut lines = Vec::new();
    let mut targets = Vec::new();
    let mut projection = None;
    for t in &defs {
        let row = gate::target_row(map, history, t, as_of);
        let is_focus = focus.is_some_and(|f| std::ptr::eq(f, *t));
        // Only what is judged on the drawn scale: a total is not a level.
        // Another phase's total (or mean) is on the same scale, over
        // dates the chart does not show.
        let comparable = t.measure == Measure::Value
            && match series {
                Series::Values => kpi::combine_of(map, t) != Combine::Sum,
                _ => {
                    is_focus
                        || (t.phase.is_some()
                            && focus.is_some_and(|f| {
                                kpi::combine_of(map, t) == kpi::combine_of(map, f)
                            }))
                }
            };
        let (line, drawn) = match t.target {
            None => (None, Drawn::NoNumber),
            Some(_) if !comparable => (None, Drawn::OtherScale),
            Some(target) => {
                let (mut a, mut b) = t.phase.map_or((from, to), |p| phase_days(map, p));
                let (due_from, due_until) = kpi::due(map, t);
                a = a.max(due_from.unwrap_or(a)).max(from);
                b = b.min(due_until.unwrap_or(b)).min(to);
                if a <= b {
                    let line = TargetLine {
                        from: a,
                        to: b,
                        value: target.value,
                        target: target.to_string(),
                        phase: row.phase.clone(),
                    };
                    (Some(line), Drawn::Line)
                } else {
                    (None, Drawn::OutOfView)
                }
            }
        };
        if is_focus && let Some(p) = &row.prediction {
            let last = points[points.len() - 1];
            projection = Some(ProjectionLine {
                from: last.date,
                from_value: last.value,
                at: p.at,
                value: p.value,
                value_text: p.value_text.clone(),
                on_pace: p.on_pace,
            });
        }
        let when = t.phase.map(|p| {
            let (start, end) = phase_days(map, p);
            if as_of < start {
                When::Upcoming
            } else if as_of > end {
                When::Past
            } else {
                When::Current
            }
        });
        targets.push(ChartTarget { row, when, drawn });
        lines.extend(line);
    }
    Some(MetricChart {
        metric: metric.id.clone(),
        name: metric.name.clone(),
        unit: metric.unit,
        cadence: metric.cadence,
        series,
        from,
        to,
        points,
        lines,
        projection,
        targets,
    })
}

/// The tracks, each as rows of its periods' items in file order.
pub fn timeline(map: &Roadmap, as_of: NaiveDate) -> Timeline {
    let tracks = map
        .tracks
        .iter()
        .enumerate()
        .map(|(t, track)| {
            let mut rows: Vec<TimelineRow> = Vec::new();
            for item in map.items.iter().filter(|i| i.track == t) {
                let row = ItemRow::new(map, item, as_of);
                let i = match rows
                    .iter()
                    .position(|r| r.period == item.period && r.months == row.months)
                {
                    Some(i) => i,
                    None => {
                        rows.push(TimelineRow {
                            period: item.period.clone(),
                            months: row.months,
                            start: row.start,
                            due: item.window.last_day(map.start),
                            done: 0,
                            total: 0,
                            rest: Timing::Done,
                            items: Vec::new(),
                        });
                        rows.len() - 1
                    }
                };
                let r = &mut rows[i];
                r.total += 1;
                let rank = |t: Timing| match t {
                    Timing::Done => 0,
                    Timing::Upcoming => 1,
                    Timing::Open => 2,
                    Timing::Overdue => 3,
                };
                match row.timing {
                    Timing::Done => r.done += 1,
                    other if rank(other) > rank(r.rest) => r.rest = other,
                    _ => {}
                }
                r.items.push(row);
            }
            TimelineTrack {
                id: track.id.clone(),
                name: track.name.clone(),
                group: track.group.clone(),
                rows,
            }
        })
        .filter(|t| !t.rows.is_empty())
        .collect();
    Timeline {
        start: map.start,
        end: map.end(),
        phases: map
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (start, end) = phase_days(map, i);
                PhaseBand {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    start,
                    end,
                }
            })
            .collect(),
        tracks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn cumulative_counts_step_on_each_new_date() {
        let dates = [
            d("2026-01-01"),
            d("2026-01-05"),
            d("2026-01-05"),
            d("2026-02-01"),
        ];
        let steps = cumulative(d("2026-01-03"), &dates);
        let got: Vec<(String, usize)> = steps
            .iter()
            .map(|s| (s.date.to_string(), s.count))
            .collect();
        assert_eq!(
            got,
            [
                ("2026-01-03".to_string(), 1),
                ("2026-01-05".to_string(), 3),
                ("2026-02-01".to_string(), 4)
            ]
        );
        assert_eq!(cumulative(d("2026-01-03"), &[]).len(), 1);
    }
}
