//! Evaluating targets against the recorded history as of a date.
//!
//! A phase-gate target looks at the values recorded inside its phase, up
//! to the as-of date, combined as the metric says (latest, sum, average).
//! A value older than the metric's cadence is stale: it no longer says
//! where the metric is.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::model::history::History;
use crate::model::{Cadence, Combine, Measure, Roadmap, TargetDef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetVerdict {
    Met,
    Unmet,
    NoData,
    Stale,
}

/// A target's value and verdict as of a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// The combined value over the window, if any value was recorded.
    pub actual: Option<f64>,
    /// Date of the newest value used.
    pub last: Option<NaiveDate>,
    /// How many recorded values the actual rests on.
    pub points: usize,
    pub verdict: TargetVerdict,
}

/// How long a value stays current for a cadence.
pub fn fresh_for(cadence: Cadence) -> Days {
    match cadence {
        Cadence::Daily => Days::new(1),
        Cadence::Weekly => Days::new(7),
        Cadence::Monthly => Days::new(31),
    }
}

/// The window a target is judged over: its phase (up to the as-of date),
/// or for a standing target everything up to the as-of date.
pub fn window(map: &Roadmap, t: &TargetDef, as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
    match t.phase {
        Some(p) => {
            let w = map.phases[p].window;
            (w.first_day(map.start), as_of.min(w.last_day(map.start)))
        }
        None => (NaiveDate::MIN, as_of),
    }
}

pub fn evaluate(map: &Roadmap, history: &History, t: &TargetDef, as_of: NaiveDate) -> Evaluation {
    let none = Evaluation {
        actual: None,
        last: None,
        points: 0,
        verdict: TargetVerdict::NoData,
    };
    let Some(target) = t.target else { return none };
    if t.measure != Measure::Value {
        // Growth targets are judged month over month; see the `kpis` report.
        return none;
    }
    let metric = &map.metrics[t.metric];
    let (from, to) = window(map, t, as_of);
    let points = history.between(t.metric, from, to);
    let Some(last) = points.last() else {
        return none;
    };
    let actual = match metric.combine {
        Combine::Latest => last.value,
        Combine::Sum => points.iter().map(|p| p.value).sum(),
        Combine::Average => points.iter().map(|p| p.value).sum::<f64>() / points.len() as f64,
    };
    // A sum or an average covers the whole window; only a latest value can
    // go out of date.
    let stale = metric.combine == Combine::Latest
        && last
            .date
            .checked_add_days(fresh_for(metric.cadence))
            .is_some_and(|d| d < to);
    let verdict = if stale {
        TargetVerdict::Stale
    } else if target.met_by(actual) {
        TargetVerdict::Met
    } else {
        TargetVerdict::Unmet
    };
    Evaluation {
        actual: Some(actual),
        last: Some(last.date),
        points: points.len(),
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::history::Point;
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
            }],
            dashboards: vec![],
            alerts: vec![],
            actions: vec![],
            risks: vec![],
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
}
