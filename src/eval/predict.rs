//! Projecting a metric to a future date from its recent history: a
//! least-squares line, or an exponential curve for metrics expected to
//! grow by a rate. A projection is advice ("on pace", "at risk"), never a
//! verdict.

use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    Linear,
    Exponential,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Projection {
    /// The projected value at the date.
    pub value: f64,
    pub at: NaiveDate,
    /// How many recorded values the fit rests on.
    pub points: usize,
    pub model: Model,
}

/// Fewer points than this say nothing about a trend.
pub const MIN_POINTS: usize = 3;

/// Fit `points` (date, value) and evaluate the fit at `at`. None with fewer
/// than [`MIN_POINTS`] values or all on one date. An exponential fit needs
/// every value above zero; otherwise the line is used.
pub fn project(points: &[(NaiveDate, f64)], at: NaiveDate, model: Model) -> Option<Projection> {
    if points.len() < MIN_POINTS {
        return None;
    }
    let origin = points[0].0;
    let x = |d: NaiveDate| (d - origin).num_days() as f64;
    let model = if model == Model::Exponential && points.iter().all(|(_, v)| *v > 0.0) {
        Model::Exponential
    } else {
        Model::Linear
    };
    let xy: Vec<(f64, f64)> = points
        .iter()
        .map(|&(d, v)| {
            (
                x(d),
                if model == Model::Exponential {
                    v.ln()
                } else {
                    v
                },
            )
        })
        .collect();
    let (slope, intercept) = least_squares(&xy)?;
    let fitted = intercept + slope * x(at);
    let value = if model == Model::Exponential {
        fitted.exp()
    } else {
        fitted
    };
    value.is_finite().then_some(Projection {
        value,
        at,
        points: points.len(),
        model,
    })
}

/// Slope and intercept of the least-squares line through `xy`; None when
/// every x is the same.
fn least_squares(xy: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = xy.len() as f64;
    let mean_x = xy.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = xy.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xy.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = xy.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let slope = sxy / sxx;
    Some((slope, mean_y - slope * mean_x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_line_through_a_steady_rise() {
        let pts = [
            (d("2026-01-01"), 10.0),
            (d("2026-01-11"), 20.0),
            (d("2026-01-21"), 30.0),
        ];
        let p = project(&pts, d("2026-01-31"), Model::Linear).unwrap();
        assert!((p.value - 40.0).abs() < 1e-9, "{p:?}");
        assert_eq!((p.points, p.model), (3, Model::Linear));
    }

    #[test]
    fn exponential_growth_compounds() {
        // Doubling every 10 days.
        let pts = [
            (d("2026-01-01"), 100.0),
            (d("2026-01-11"), 200.0),
            (d("2026-01-21"), 400.0),
        ];
        let p = project(&pts, d("2026-01-31"), Model::Exponential).unwrap();
        assert!((p.value - 800.0).abs() < 1e-6, "{p:?}");
        // A zero value cannot be fitted exponentially; the line is used.
        let pts = [
            (d("2026-01-01"), 0.0),
            (d("2026-01-11"), 10.0),
            (d("2026-01-21"), 20.0),
        ];
        assert_eq!(
            project(&pts, d("2026-01-31"), Model::Exponential)
                .unwrap()
                .model,
            Model::Linear
        );
    }

    #[test]
    fn too_little_history_projects_nothing() {
        let two = [(d("2026-01-01"), 1.0), (d("2026-01-02"), 2.0)];
        assert_eq!(project(&two, d("2026-02-01"), Model::Linear), None);
        let same_day = [(d("2026-01-01"), 1.0); 3];
        assert_eq!(project(&same_day, d("2026-02-01"), Model::Linear), None);
    }
}
