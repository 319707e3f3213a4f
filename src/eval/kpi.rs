//! Evaluating targets against the recorded history as of a date.
//!
//! A target combines the values recorded in its window (`window:`; by
//! default its phase for a gate target, all history for a `latest`
//! metric, the last 30 days for a `sum` or `average` one) as its metric
//! says, or as the target's own `combine:` overrides. A growth target
//! compares the last complete calendar month with the month (or the
//! twelve months) before it. A `latest` value older than the metric's
//! cadence is stale: it no longer says where the metric is.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

use crate::model::history::{History, Point};
use crate::model::{Cadence, Combine, Measure, Roadmap, Span, TargetDef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetVerdict {
    Met,
    Unmet,
    NoData,
    Stale,
    /// Before the plan month the target is due from (`from:`).
    NotDue,
}

/// A target's value and verdict as of a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// The combined value (or growth, in percent) over the window.
    pub actual: Option<f64>,
    /// Date of the newest value used.
    pub last: Option<NaiveDate>,
    /// How many recorded values the actual rests on.
    pub points: usize,
    pub verdict: TargetVerdict,
    /// Unmet, but inside the target's warning band.
    pub warn: bool,
    /// The dates the values were taken from.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// How long a value stays current for a cadence.
pub fn fresh_for(cadence: Cadence) -> Days {
    match cadence {
        Cadence::Daily => Days::new(1),
        Cadence::Weekly => Days::new(7),
        Cadence::Monthly => Days::new(31),
    }
}

/// A metric's newest value, dated `last`, no longer says where the metric
/// is on `at`: it is older than the metric's cadence. A milestone reached
/// (`mvp_launched: yes`) stays reached. `kpis` and `alerts` both use this,
/// so a value one calls stale the other does not act on.
pub fn stale(metric: &crate::model::Metric, last: NaiveDate, at: NaiveDate) -> bool {
    metric.unit != crate::model::quantity::Unit::Bool
        && last
            .checked_add_days(fresh_for(metric.cadence))
            .is_some_and(|d| d < at)
}

/// How a target combines values: its own override, else its metric's.
pub fn combine_of(map: &Roadmap, t: &TargetDef) -> Combine {
    t.combine.unwrap_or(map.metrics[t.metric].combine)
}

/// The dates a target is judged over, ending on the as-of date (or its
/// phase's last day, if earlier).
pub fn window(map: &Roadmap, t: &TargetDef, as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
    let (from, to) = span_window(map, t, due(map, t).1.map_or(as_of, |end| as_of.min(end)));
    (due(map, t).0.map_or(from, |start| from.max(start)), to)
}

/// The first and last days a target is due, from its `from:` and `until:`
/// plan months.
pub fn due(map: &Roadmap, t: &TargetDef) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let month = |m: u32| crate::model::months::MonthWindow { start: m, end: m };
    (
        t.from.map(|m| month(m).first_day(map.start)),
        t.until.map(|m| month(m).last_day(map.start)),
    )
}

fn span_window(map: &Roadmap, t: &TargetDef, as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
    let span = t.span.unwrap_or(match (t.phase, combine_of(map, t)) {
        (Some(_), _) => Span::Phase,
        (None, Combine::Latest) => Span::All,
        (None, _) => Span::Days(30),
    });
    match (span, t.phase) {
        (Span::Phase, Some(p)) => {
            let w = map.phases[p].window;
            (w.first_day(map.start), as_of.min(w.last_day(map.start)))
        }
        (Span::Phase | Span::All, _) => (NaiveDate::MIN, as_of),
        (Span::Month, _) => (as_of.with_day(1).unwrap_or(as_of), as_of),
        (Span::Days(n), _) => (
            as_of
                .checked_sub_days(Days::new(u64::from(n) - 1))
                .unwrap_or(NaiveDate::MIN),
            as_of,
        ),
    }
}

/// Combine the values of a window.
pub fn combine(how: Combine, points: &[Point]) -> Option<f64> {
    let last = points.last()?;
    Some(match how {
        Combine::Latest => last.value,
        Combine::Sum => points.iter().map(|p| p.value).sum(),
        Combine::Average => points.iter().map(|p| p.value).sum::<f64>() / points.len() as f64,
    })
}

pub fn evaluate(map: &Roadmap, history: &History, t: &TargetDef, as_of: NaiveDate) -> Evaluation {
    let (from, to) = window(map, t, as_of);
    let mut e = Evaluation {
        actual: None,
        last: None,
        points: 0,
        verdict: TargetVerdict::NoData,
        warn: false,
        from,
        to,
    };
    let Some(target) = t.target else { return e };
    if due(map, t).0.is_some_and(|start| as_of < start) {
        e.verdict = TargetVerdict::NotDue;
        return e;
    }
    let how = combine_of(map, t);
    let metric = &map.metrics[t.metric];
    match t.measure {
        Measure::Value => {
            let points = history.between(t.metric, from, to);
            let (Some(actual), Some(last)) = (combine(how, points), points.last()) else {
                return e;
            };
            e.actual = Some(actual);
            e.last = Some(last.date);
            e.points = points.len();
            // A sum or an average covers its window; only a latest value
            // goes out of date.
            if how == Combine::Latest && stale(metric, last.date, to) {
                e.verdict = TargetVerdict::Stale;
                return e;
            }
        }
        Measure::MonthlyGrowth | Measure::YearlyGrowth => {
            let back = if t.measure == Measure::MonthlyGrowth {
                1
            } else {
                12
            };
            let Some(g) = growth(history, t.metric, how, to, back) else {
                return e;
            };
            e.actual = Some(g.percent);
            e.last = Some(g.last);
            e.points = g.points;
            e.from = g.from;
            e.to = g.to;
        }
    }
    let actual = e.actual.unwrap_or(f64::NAN);
    e.verdict = if target.met_by(actual) {
        TargetVerdict::Met
    } else {
        TargetVerdict::Unmet
    };
    e.warn = e.verdict == TargetVerdict::Unmet && t.warn.is_some_and(|w| w.met_by(actual));
    e
}

/// Growth of a metric from one calendar month to a later one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Growth {
    pub percent: f64,
    pub last: NaiveDate,
    pub points: usize,
    /// First day of the earlier month, last day of the later one.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Growth from `back` months before the last complete calendar month on or
/// before `to`, to that month, each month combined as `how`. None without
/// values in both months or with a base of zero or less.
pub fn growth(
    history: &History,
    metric: usize,
    how: Combine,
    to: NaiveDate,
    back: u32,
) -> Option<Growth> {
    let month_start = to.with_day(1)?;
    // The month `to` falls in counts only once it is complete.
    let is_last_day = to
        .checked_add_days(Days::new(1))
        .is_some_and(|d| d.day() == 1);
    let last_month = if is_last_day {
        month_start
    } else {
        month_start.checked_sub_months(Months::new(1))?
    };
    let base_month = last_month.checked_sub_months(Months::new(back))?;
    let month = |start: NaiveDate| {
        let end = start
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start);
        history.between(metric, start, end)
    };
    let (now, base) = (month(last_month), month(base_month));
    let (v, b) = (combine(how, now)?, combine(how, base)?);
    if b <= 0.0 {
        return None;
    }
    Some(Growth {
        percent: (v / b - 1.0) * 100.0,
        last: now.last()?.date,
        points: now.len() + base.len(),
        from: base_month,
        to: last_month
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::months::MonthWindow;
    use crate::model::quantity::{Better, Cmp, Target, Unit};
    use crate::model::{Metric, Phase};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn map(combine: Combine, cadence: Cadence) -> Roadmap {
        Roadmap {
            dir: ".".into(),
            name: "t".into(),
            start: d("2026-01-01"),
            months: 12,
            phases: vec![Phase {
                id: "p1".into(),
                name: "P1".into(),
                window: MonthWindow { start: 1, end: 3 },
                objective: None,
                gate_items: 1.0,
            }],
            tracks: vec![],
            items: vec![],
            metrics: vec![Metric {
                id: "m".into(),
                name: "M".into(),
                unit: Unit::Count,
                better: Better::Higher,
                combine,
                cadence,
                range: None,
            }],
            targets: vec![TargetDef {
                metric: 0,
                phase: Some(0),
                target: Some(Target {
                    cmp: Cmp::Ge,
                    value: 100.0,
                    unit: Unit::Count,
                }),
                label: None,
                text: None,
                section: None,
                baseline: None,
                measure: Measure::Value,
                span: None,
                combine: None,
                warn: None,
                from: None,
                until: None,
                file: "kpis.yaml".into(),
                pos: Default::default(),
            }],
            dashboards: vec![],
            alerts: vec![],
            actions: vec![],
            risks: vec![],
            people: None,
        }
    }

    fn history(points: &[(&str, f64)]) -> History {
        History::new(
            1,
            points.iter().map(|(date, value)| {
                (
                    0,
                    Point {
                        date: d(date),
                        value: *value,
                    },
                )
            }),
        )
    }

    #[test]
    fn latest_value_inside_the_phase_decides() {
        let m = map(Combine::Latest, Cadence::Monthly);
        let h = history(&[
            ("2025-12-31", 500.0),
            ("2026-02-01", 90.0),
            ("2026-03-15", 120.0),
            ("2026-04-01", 10.0),
        ]);
        let e = evaluate(&m, &h, &m.targets[0], d("2026-06-01"));
        // The value before the phase and the one after it are ignored.
        assert_eq!(
            (e.actual, e.points, e.verdict),
            (Some(120.0), 2, TargetVerdict::Met)
        );
        let early = evaluate(&m, &h, &m.targets[0], d("2026-02-10"));
        assert_eq!(
            (early.actual, early.verdict),
            (Some(90.0), TargetVerdict::Unmet)
        );
    }

    #[test]
    fn sums_add_up_the_phase() {
        let m = map(Combine::Sum, Cadence::Daily);
        let h = history(&[
            ("2026-01-05", 40.0),
            ("2026-02-05", 40.0),
            ("2026-03-31", 20.0),
        ]);
        let e = evaluate(&m, &h, &m.targets[0], d("2026-04-01"));
        assert_eq!((e.actual, e.verdict), (Some(100.0), TargetVerdict::Met));
    }

    #[test]
    fn no_values_is_no_data_and_old_values_are_stale() {
        let m = map(Combine::Latest, Cadence::Weekly);
        let e = evaluate(&m, &history(&[]), &m.targets[0], d("2026-02-01"));
        assert_eq!(e.verdict, TargetVerdict::NoData);
        let h = history(&[("2026-01-10", 150.0)]);
        // Seven days later the value is still current; eight days later not.
        assert_eq!(
            evaluate(&m, &h, &m.targets[0], d("2026-01-17")).verdict,
            TargetVerdict::Met
        );
        assert_eq!(
            evaluate(&m, &h, &m.targets[0], d("2026-01-18")).verdict,
            TargetVerdict::Stale
        );
    }

    fn standing(m: &mut Roadmap, f: impl FnOnce(&mut TargetDef)) {
        m.targets[0].phase = None;
        f(&mut m.targets[0]);
    }

    #[test]
    fn rolling_and_month_windows() {
        let mut m = map(Combine::Sum, Cadence::Daily);
        standing(&mut m, |t| t.span = Some(Span::Days(7)));
        let h = history(&[
            ("2026-03-03", 50.0),
            ("2026-03-04", 30.0),
            ("2026-03-10", 80.0),
        ]);
        // 7 days up to Mar 10 are Mar 4..=10: the value of Mar 3 is out.
        let e = evaluate(&m, &h, &m.targets[0], d("2026-03-10"));
        assert_eq!(
            (e.actual, e.from, e.verdict),
            (Some(110.0), d("2026-03-04"), TargetVerdict::Met)
        );
        m.targets[0].span = Some(Span::Month);
        let e = evaluate(&m, &h, &m.targets[0], d("2026-03-10"));
        assert_eq!((e.actual, e.from), (Some(160.0), d("2026-03-01")));
        // Standing sum targets default to the last 30 days: up to Apr 2
        // that is Mar 4..=Apr 2, up to Apr 3 it no longer holds Mar 4.
        m.targets[0].span = None;
        let up_to = |date| evaluate(&m, &h, &m.targets[0], d(date)).actual;
        assert_eq!(up_to("2026-04-02"), Some(110.0));
        assert_eq!(up_to("2026-04-03"), Some(80.0));
    }

    #[test]
    fn a_target_may_override_how_values_combine() {
        let mut m = map(Combine::Sum, Cadence::Daily);
        m.targets[0].combine = Some(Combine::Average);
        let h = history(&[("2026-01-05", 90.0), ("2026-01-06", 130.0)]);
        let e = evaluate(&m, &h, &m.targets[0], d("2026-01-06"));
        assert_eq!((e.actual, e.verdict), (Some(110.0), TargetVerdict::Met));
    }

    #[test]
    fn a_warning_band_softens_a_miss() {
        let mut m = map(Combine::Latest, Cadence::Monthly);
        m.targets[0].warn = Some(Target {
            cmp: Cmp::Ge,
            value: 80.0,
            unit: Unit::Count,
        });
        let at = |v: f64| {
            evaluate(
                &m,
                &history(&[("2026-01-05", v)]),
                &m.targets[0],
                d("2026-01-06"),
            )
        };
        assert_eq!(
            (at(100.0).verdict, at(100.0).warn),
            (TargetVerdict::Met, false)
        );
        assert_eq!(
            (at(85.0).verdict, at(85.0).warn),
            (TargetVerdict::Unmet, true)
        );
        assert_eq!(
            (at(79.0).verdict, at(79.0).warn),
            (TargetVerdict::Unmet, false)
        );
    }

    #[test]
    fn growth_compares_complete_calendar_months() {
        let h = history(&[
            ("2026-01-10", 40.0),
            ("2026-01-20", 60.0),
            ("2026-02-15", 120.0),
            ("2026-03-05", 10.0),
        ]);
        // Mid-March: February (120) against January (100), summed.
        let g = growth(&h, 0, Combine::Sum, d("2026-03-15"), 1).unwrap();
        assert!((g.percent - 20.0).abs() < 1e-9, "{g:?}");
        assert_eq!((g.from, g.to), (d("2026-01-01"), d("2026-02-28")));
        // On the last day of February, February is complete too.
        let g = growth(&h, 0, Combine::Sum, d("2026-02-28"), 1).unwrap();
        assert!((g.percent - 20.0).abs() < 1e-9);
        // On the 27th it is not, so January is compared with December.
        assert_eq!(growth(&h, 0, Combine::Sum, d("2026-02-27"), 1), None);
        // Latest: January's newest value (60) against February's (120).
        let g = growth(&h, 0, Combine::Latest, d("2026-03-15"), 1).unwrap();
        assert!((g.percent - 100.0).abs() < 1e-9);
    }

    #[test]
    fn growth_targets_and_a_zero_base() {
        let mut m = map(Combine::Sum, Cadence::Monthly);
        standing(&mut m, |t| {
            t.measure = Measure::MonthlyGrowth;
            t.target = Some(Target {
                cmp: Cmp::Ge,
                value: 20.0,
                unit: Unit::Percent,
            });
        });
        let h = history(&[("2026-01-10", 100.0), ("2026-02-10", 125.0)]);
        let e = evaluate(&m, &h, &m.targets[0], d("2026-03-01"));
        assert_eq!(e.verdict, TargetVerdict::Met);
        assert!((e.actual.unwrap() - 25.0).abs() < 1e-9);
        let zero = history(&[("2026-01-10", 0.0), ("2026-02-10", 125.0)]);
        assert_eq!(
            evaluate(&m, &zero, &m.targets[0], d("2026-03-01")).verdict,
            TargetVerdict::NoData
        );
    }
}
