//! Which alert rules fire on the recorded history as of a date, and the
//! values that made each clause hold or not.
//!
//! A rule fires when every clause of its `when:` condition holds on the
//! as-of date (`and`: all clauses; a rule without clauses never fires).
//! Dates are whole days, and a window of N hours is `days` = ceil(N/24)
//! days long (at least one).
//!
//! - A threshold clause (no `drop`/`rise`: `churn_rate > 5% over 30d`,
//!   `security_incidents > 0 over 24h`) compares the metric's values in the
//!   window, combined as the metric says (`latest`: the newest value in the
//!   window; `sum`; `average`). The window rolls: a run at any time of the
//!   as-of day looks N hours back, into the day `days` before, so it covers
//!   the dates `as_of - days ..= as_of`. `over 24h` sees yesterday and
//!   today: a daily run catches yesterday's incident, and an event alert
//!   stays firing for the day after it. Without `over` (`cac < $50`) it compares the
//!   newest value on or before the as-of date, whatever the combine, if it
//!   is fresh by its metric's cadence (as `kpis` judges staleness). No
//!   value, or a stale one: the clause does not hold ("no data", "stale").
//! - A change clause (`revenue drop > 10% over 7d`) compares a current value
//!   with a baseline. For a `latest` metric (a level, such as active users)
//!   the current value is the newest on or before the as-of date and the
//!   baseline the newest on or before `as_of - days`. For a `sum` or
//!   `average` metric (a flow, such as revenue) the current value combines
//!   the window `(end - days, end]` and the baseline the window before it,
//!   `(end - 2*days, end - days]`, where `end` is the newest day with a
//!   value inside `(as_of - days, as_of]` (a day not recorded yet, such as
//!   today, is not a drop to zero). Without `over`, the current value
//!   is the newest on or before the as-of date and the baseline the value
//!   recorded before it. Both must exist ("no data", "no baseline"). A drop
//!   is `(baseline - current) / baseline` and a rise
//!   `(current - baseline) / baseline`, in percent, compared with the
//!   clause's percentage. A baseline of zero or less never fires, and
//!   neither does one below the alert's `min_baseline`: a change from a
//!   near-zero base is noise, not news.
//!
//! Comparisons use [`Cmp::holds`], which forgives float noise: a drop of
//! exactly 10% does not satisfy `> 10%` but does satisfy `>= 10%`.

use chrono::{Days, NaiveDate};
use serde::{Serialize, Serializer};

use super::kpi::combine;
use crate::model::condition::{Change, Clause};
use crate::model::history::History;
use crate::model::quantity::{Cmp, Unit, format_value};
use crate::model::{Alert, Combine, Place, Roadmap, Severity};

/// One alert rule as of a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRow {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub firing: bool,
    /// The first clause's metric id.
    pub metric: String,
    /// The condition in its canonical spelling.
    pub condition: String,
    /// The plan's own words for the rule.
    pub text: Option<String>,
    pub clauses: Vec<ClauseEval>,
    pub action: Option<ActionRef>,
    /// Where the alert is written in alerts.yaml.
    #[serde(skip)]
    pub place: Place,
}

/// The automatic action an alert triggers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionRef {
    pub id: String,
    pub area: String,
    pub title: String,
}

/// One clause of a condition, evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseEval {
    /// The clause in its canonical spelling (`revenue drop > 10% over 7d`).
    pub clause: String,
    pub metric: String,
    /// The metric's unit (`usd`, `percent`, ...): `value` and `baseline`
    /// are in it.
    #[serde(serialize_with = "as_text")]
    pub unit: Unit,
    pub holds: bool,
    /// The value compared (threshold) or the current value (change).
    pub value: Option<f64>,
    /// The value a change is measured from.
    pub baseline: Option<f64>,
    /// The drop (for `drop`) or rise (for `rise`) in percent; negative when
    /// the metric moved the other way.
    pub change_pct: Option<f64>,
    /// The dates read: the window (threshold), from the date of the value
    /// used (threshold without a window), or from the start of the baseline
    /// window (change; for a `latest` metric the baseline is the newest
    /// value on or before `from`).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// How many recorded values were read.
    pub points: usize,
    /// Why the clause could not be judged, or was held back.
    pub note: Option<String>,
    /// What the clause asks for, for drawing it in words.
    #[serde(skip)]
    pub change: Option<Change>,
    #[serde(skip)]
    pub cmp: Cmp,
    /// The clause's threshold: in `unit`, or in percent for a change.
    #[serde(skip)]
    pub threshold: f64,
    /// The window in days, if the clause has one.
    #[serde(skip)]
    pub days: Option<u64>,
    #[serde(skip)]
    pub combine: Combine,
}

/// The note of a clause that had no current value to judge.
pub const NO_DATA: &str = "no data";
/// The note of a change clause that had nothing to compare with.
pub const NO_BASELINE: &str = "no baseline";

impl ClauseEval {
    /// Whether the clause lacked values (rather than failing on them).
    pub fn missing_data(&self) -> bool {
        matches!(self.note.as_deref(), Some(NO_DATA | NO_BASELINE))
    }

    /// The newest value is too old to act on.
    pub fn stale(&self) -> bool {
        self.note
            .as_deref()
            .is_some_and(|n| n.starts_with("stale:"))
    }
}

fn as_text<S: Serializer>(unit: &Unit, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(unit)
}

/// Every alert of the roadmap, in file order.
pub fn evaluate(map: &Roadmap, history: &History, as_of: NaiveDate) -> Vec<AlertRow> {
    map.alerts
        .iter()
        .map(|a| row(map, history, a, as_of))
        .collect()
}

/// Whether `alert` fires as of `date`.
pub fn fires(map: &Roadmap, history: &History, alert: &Alert, date: NaiveDate) -> bool {
    row(map, history, alert, date).firing
}

/// The `alerts` report: the alerts of one severity (or all), of which the
/// JSON lists those that fire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub as_of: NaiveDate,
    /// The firing alerts, critical first, each in file order.
    pub alerts: Vec<AlertRow>,
    /// The alerts that do not fire, in file order.
    #[serde(skip)]
    pub quiet: Vec<AlertRow>,
    /// The severity asked for, if any.
    #[serde(skip)]
    pub severity: Option<Severity>,
}

/// Split evaluated alerts into a report, keeping only `severity` if given.
pub fn report(rows: Vec<AlertRow>, severity: Option<Severity>, as_of: NaiveDate) -> Report {
    let (mut alerts, quiet): (Vec<AlertRow>, Vec<AlertRow>) = rows
        .into_iter()
        .filter(|r| severity.is_none_or(|s| r.severity == s))
        .partition(|r| r.firing);
    // Stable: file order within each severity.
    alerts.sort_by_key(|r| r.severity != Severity::Critical);
    Report {
        as_of,
        alerts,
        quiet,
        severity,
    }
}

/// Whether any critical alert fires.
pub fn firing_critical(rows: &[AlertRow]) -> bool {
    rows.iter()
        .any(|r| r.firing && r.severity == Severity::Critical)
}

fn row(map: &Roadmap, history: &History, alert: &Alert, as_of: NaiveDate) -> AlertRow {
    let clauses: Vec<ClauseEval> = alert
        .condition
        .clauses
        .iter()
        .zip(&alert.clause_metrics)
        .zip(&alert.clause_values)
        .map(|((clause, &metric), &threshold)| {
            clause_eval(map, history, alert, clause, metric, threshold, as_of)
        })
        .collect();
    AlertRow {
        id: alert.id.clone(),
        name: alert.name.clone(),
        severity: alert.severity,
        firing: !clauses.is_empty() && clauses.iter().all(|c| c.holds),
        metric: alert
            .clause_metrics
            .first()
            .map(|&m| map.metrics[m].id.clone())
            .unwrap_or_default(),
        condition: alert.condition.to_string(),
        text: alert.text.clone(),
        clauses,
        action: alert.action.map(|i| {
            let a = &map.actions[i];
            ActionRef {
                id: a.id.clone(),
                area: a.area.clone(),
                title: a.title.clone(),
            }
        }),
        place: Place::new(&alert.file, alert.pos),
    }
}

/// Whole days covered by a window of `hours`: ceil(hours / 24), at least 1.
pub fn window_days(hours: u32) -> u64 {
    u64::from(hours.div_ceil(24).max(1))
}

fn clause_eval(
    map: &Roadmap,
    history: &History,
    alert: &Alert,
    clause: &Clause,
    metric: usize,
    threshold: f64,
    as_of: NaiveDate,
) -> ClauseEval {
    let m = &map.metrics[metric];
    let days = clause.window.map(|w| window_days(w.hours));
    let mut e = ClauseEval {
        clause: clause.to_string(),
        metric: m.id.clone(),
        unit: m.unit,
        holds: false,
        value: None,
        baseline: None,
        change_pct: None,
        from: as_of,
        to: as_of,
        points: 0,
        note: None,
        change: clause.change,
        cmp: clause.cmp,
        threshold,
        days,
        combine: m.combine,
    };
    // A date before the calendar's start has no values: that is "no data".
    let back = |n: u64| as_of.checked_sub_days(Days::new(n));
    match clause.change {
        None => {
            let (value, from, points) = match days {
                // A rolling window: from any time of the as-of day, N hours
                // back reach into the day N/24 days before (rounded up).
                // So `over 24h` sees yesterday and today, and a daily run
                // catches an incident recorded the day before.
                Some(n) => {
                    let from = back(n).unwrap_or(NaiveDate::MIN);
                    let points = history.between(metric, from, as_of);
                    (combine(m.combine, points), from, points.len())
                }
                // Without a window the newest value stands, whatever the
                // combine (a sum over all of history would mean nothing),
                // while it is fresh: a $40 CAC from January says nothing
                // about August.
                None => match history.latest(metric, as_of) {
                    Some(p) if super::kpi::stale(m, p.date, as_of) => {
                        e.from = p.date;
                        e.note = Some(format!(
                            "stale: last value {} on {}",
                            crate::model::quantity::format_value(p.value, m.unit),
                            p.date
                        ));
                        return e;
                    }
                    Some(p) => (Some(p.value), p.date, 1),
                    None => (None, as_of, 0),
                },
            };
            e.from = from;
            e.points = points;
            e.value = value;
            match value {
                Some(v) => e.holds = clause.cmp.holds(v, threshold),
                None => e.note = Some(NO_DATA.into()),
            }
        }
        Some(change) => {
            let (current, baseline) = match days {
                Some(n) if m.combine == Combine::Latest => {
                    let cut = back(n);
                    e.from = cut.unwrap_or(NaiveDate::MIN);
                    let current = history.latest(metric, as_of);
                    let baseline = cut.and_then(|d| history.latest(metric, d));
                    e.points = usize::from(current.is_some()) + usize::from(baseline.is_some());
                    (current.map(|p| p.value), baseline.map(|p| p.value))
                }
                Some(n) => {
                    // Windows end on the newest day with a value (within the
                    // current window): a day whose total is not recorded yet,
                    // such as today's, is not a drop to zero.
                    let end = history
                        .latest(metric, as_of)
                        .map(|p| p.date)
                        .filter(|d| back(n).is_none_or(|cut| *d > cut))
                        .unwrap_or(as_of);
                    e.to = end;
                    let back = |k: u64| end.checked_sub_days(Days::new(k));
                    let now = back(n - 1).map(|from| history.between(metric, from, end));
                    let before = match (back(2 * n - 1), back(n)) {
                        (Some(from), Some(to)) => Some(history.between(metric, from, to)),
                        _ => None,
                    };
                    e.from = back(2 * n - 1).unwrap_or(NaiveDate::MIN);
                    let now = now.unwrap_or_default();
                    let before = before.unwrap_or_default();
                    e.points = now.len() + before.len();
                    (combine(m.combine, now), combine(m.combine, before))
                }
                None => {
                    let current = history.latest(metric, as_of);
                    let baseline = current
                        .and_then(|p| p.date.pred_opt())
                        .and_then(|d| history.latest(metric, d));
                    e.from = baseline.or(current).map_or(as_of, |p| p.date);
                    e.points = usize::from(current.is_some()) + usize::from(baseline.is_some());
                    (current.map(|p| p.value), baseline.map(|p| p.value))
                }
            };
            e.value = current;
            e.baseline = baseline;
            let (Some(c), Some(b)) = (current, baseline) else {
                let note = if current.is_none() {
                    NO_DATA
                } else {
                    NO_BASELINE
                };
                e.note = Some(note.into());
                return e;
            };
            if !Cmp::Gt.holds(b, 0.0) {
                e.note = Some(if Cmp::Eq.holds(b, 0.0) {
                    "baseline is zero".into()
                } else {
                    format!("baseline {} is below zero", format_value(b, m.unit))
                });
                return e;
            }
            let pct = match change {
                Change::Drop => (b - c) / b * 100.0,
                Change::Rise => (c - b) / b * 100.0,
            };
            e.change_pct = Some(pct);
            if let Some(min) = alert.min_baseline
                && Cmp::Lt.holds(b, min)
            {
                e.note = Some(format!(
                    "baseline {} is below min_baseline {}",
                    format_value(b, m.unit),
                    format_value(min, m.unit)
                ));
                return e;
            }
            e.holds = clause.cmp.holds(pct, threshold);
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::condition::parse_condition;
    use crate::model::history::Point;
    use crate::model::quantity::Better;
    use crate::model::{Cadence, Metric};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn metric(id: &str, unit: Unit, combine: Combine) -> Metric {
        Metric {
            id: id.into(),
            name: id.into(),
            unit,
            better: Better::Higher,
            combine,
            cadence: Cadence::Daily,
            range: None,
        }
    }

    /// A roadmap with `revenue` (sum), `users` (latest), `speed` (average)
    /// and one alert on `when`, whose thresholds are the written numbers.
    fn map(when: &str, min_baseline: Option<f64>) -> Roadmap {
        let metrics = vec![
            metric("revenue", Unit::Usd, Combine::Sum),
            metric("users", Unit::Count, Combine::Latest),
            metric("speed", Unit::Seconds, Combine::Average),
        ];
        let condition = parse_condition(when).unwrap();
        let clause_metrics = condition
            .clauses
            .iter()
            .map(|c| metrics.iter().position(|m| m.id == c.metric).unwrap())
            .collect();
        let clause_values = condition
            .clauses
            .iter()
            .map(|c| c.value.trim_matches(['%', '$', 's']).parse().unwrap())
            .collect();
        Roadmap {
            dir: ".".into(),
            name: "t".into(),
            start: d("2026-01-01"),
            months: 12,
            phases: vec![],
            tracks: vec![],
            items: vec![],
            metrics,
            targets: vec![],
            dashboards: vec![],
            alerts: vec![Alert {
                id: "a".into(),
                name: "A".into(),
                severity: Severity::Critical,
                condition,
                clause_metrics,
                clause_values,
                text: None,
                min_baseline,
                action: None,
                file: "alerts.yaml".into(),
                pos: Default::default(),
            }],
            actions: vec![],
            risks: vec![],
            people: None,
        }
    }

    fn history(points: &[(usize, &str, f64)]) -> History {
        History::new(
            3,
            points.iter().map(|&(m, date, value)| {
                (
                    m,
                    Point {
                        date: d(date),
                        value,
                    },
                )
            }),
        )
    }

    fn first(m: &Roadmap, h: &History, as_of: &str) -> ClauseEval {
        evaluate(m, h, d(as_of)).remove(0).clauses.remove(0)
    }

    #[test]
    fn windows_round_hours_up_to_whole_days() {
        assert_eq!(
            [1, 24, 25, 48, 168, 720].map(window_days),
            [1, 1, 2, 2, 7, 30]
        );
    }

    #[test]
    fn a_flow_compares_two_adjacent_windows() {
        let m = map("revenue drop > 10% over 7d", None);
        // Mar 3 is as_of - 7: the earlier window; Mar 4 the current one.
        // The earlier window starts on Feb 25.
        let h = history(&[
            (0, "2026-02-24", 9999.0),
            (0, "2026-02-25", 500.0),
            (0, "2026-03-03", 500.0),
            (0, "2026-03-04", 400.0),
            (0, "2026-03-10", 400.0),
        ]);
        let c = first(&m, &h, "2026-03-10");
        assert_eq!((c.value, c.baseline), (Some(800.0), Some(1000.0)));
        assert_eq!(
            (c.from, c.to, c.points),
            (d("2026-02-25"), d("2026-03-10"), 4)
        );
        assert!(c.holds);
        assert!((c.change_pct.unwrap() - 20.0).abs() < 1e-9);
        // Feb 24 is outside both windows.
        let h = history(&[(0, "2026-02-24", 500.0), (0, "2026-03-10", 400.0)]);
        let c = first(&m, &h, "2026-03-10");
        assert_eq!((c.holds, c.note.as_deref()), (false, Some(NO_BASELINE)));
    }

    #[test]
    fn a_level_compares_with_the_value_days_back() {
        let m = map("users rise > 20% over 7d", None);
        let h = history(&[
            (1, "2026-03-01", 50.0),
            (1, "2026-03-03", 100.0),
            (1, "2026-03-04", 110.0),
            (1, "2026-03-10", 125.0),
        ]);
        let c = first(&m, &h, "2026-03-10");
        assert_eq!((c.value, c.baseline), (Some(125.0), Some(100.0)));
        assert!(c.holds);
        let h = history(&[(1, "2026-03-04", 100.0), (1, "2026-03-10", 125.0)]);
        assert_eq!(
            first(&m, &h, "2026-03-10").note.as_deref(),
            Some(NO_BASELINE)
        );
    }

    #[test]
    fn exact_boundaries_follow_the_comparison() {
        let h = history(&[(0, "2026-03-03", 1000.0), (0, "2026-03-10", 900.0)]);
        assert!(!first(&map("revenue drop > 10% over 7d", None), &h, "2026-03-10").holds);
        assert!(first(&map("revenue drop >= 10% over 7d", None), &h, "2026-03-10").holds);
    }

    #[test]
    fn small_or_zero_baselines_never_fire() {
        let h = history(&[(0, "2026-03-03", 0.0), (0, "2026-03-10", 900.0)]);
        let c = first(&map("revenue rise > 10% over 7d", None), &h, "2026-03-10");
        assert_eq!(
            (c.holds, c.note.as_deref()),
            (false, Some("baseline is zero"))
        );
        let h = history(&[(0, "2026-03-03", 500.0), (0, "2026-03-10", 100.0)]);
        let c = first(
            &map("revenue drop > 10% over 7d", Some(1000.0)),
            &h,
            "2026-03-10",
        );
        assert!(!c.holds);
        assert_eq!(
            c.note.as_deref(),
            Some("baseline $500 is below min_baseline $1,000")
        );
    }

    #[test]
    fn thresholds_combine_the_window_or_take_the_newest_value() {
        // 48 hours back from any time of March 10 reach into March 8, not
        // March 7.
        let m = map("speed > 2s over 2d", None);
        let h = history(&[
            (2, "2026-03-07", 100.0),
            (2, "2026-03-08", 9.0),
            (2, "2026-03-09", 1.0),
            (2, "2026-03-10", 2.0),
        ]);
        let c = first(&m, &h, "2026-03-10");
        assert_eq!((c.value, c.points, c.holds), (Some(4.0), 3, true));
        assert_eq!(c.from, d("2026-03-08"));
        let m = map("revenue > 100", None);
        let c = first(&m, &h, "2026-03-10");
        assert_eq!((c.value, c.note.as_deref()), (None, Some(NO_DATA)));
        let h = history(&[(0, "2026-03-08", 60.0), (0, "2026-03-09", 150.0)]);
        let c = first(&m, &h, "2026-03-10");
        assert_eq!(
            (c.value, c.from, c.holds),
            (Some(150.0), d("2026-03-09"), true)
        );
        // Older than the metric's cadence (daily), as `kpis` would call it
        // stale: the clause does not hold on it.
        let c = first(&m, &h, "2026-03-11");
        assert_eq!((c.value, c.holds), (None, false));
        assert_eq!(
            c.note.as_deref(),
            Some("stale: last value $150 on 2026-03-09")
        );
        assert!(c.stale());
    }

    #[test]
    fn an_event_yesterday_fires_today_and_not_the_day_after() {
        // "Security Breach: Cualquier incidente", `over 24h`: a daily run
        // on the 15th catches an incident recorded on the 14th.
        let m = map("revenue > 0 over 24h", None);
        let h = history(&[(0, "2026-08-14", 1.0)]);
        assert!(first(&m, &h, "2026-08-14").holds);
        assert!(first(&m, &h, "2026-08-15").holds);
        assert!(!first(&m, &h, "2026-08-16").holds);
    }

    #[test]
    fn and_needs_every_clause() {
        let m = map("users > 10 and revenue > 100 over 1d", None);
        let h = history(&[(1, "2026-03-10", 20.0), (0, "2026-03-08", 500.0)]);
        let rows = evaluate(&m, &h, d("2026-03-10"));
        assert!(rows[0].clauses[0].holds && !rows[0].clauses[1].holds);
        assert!(!rows[0].firing);
        assert!(!firing_critical(&rows));
        let h = history(&[(1, "2026-03-10", 20.0), (0, "2026-03-10", 500.0)]);
        let rows = evaluate(&m, &h, d("2026-03-10"));
        assert!(rows[0].firing && firing_critical(&rows));
    }

    #[test]
    fn rows_serialize_without_drawing_fields() {
        let m = map("revenue > 100", None);
        let rows = evaluate(&m, &History::default(), d("2026-03-10"));
        let v = serde_json::to_value(&rows[0]).unwrap();
        assert_eq!(v["clauses"][0]["unit"], "usd");
        assert_eq!(v["clauses"][0]["note"], "no data");
        assert!(v["clauses"][0].get("cmp").is_none());
        assert_eq!(v["condition"], "revenue > 100");
    }
}
