//! A portfolio's company-level KPIs (`kpis:` in portfolio.yaml), typed by
//! the members' own definitions of the metric they combine, and what each
//! member contributes to them. `load` types them, `eval` computes them,
//! `render` shows them; a member is reduced to its [`Share`]s before it is
//! dropped, so they are the only trace of its metrics that is kept.

use chrono::NaiveDate;
use serde::Serialize;

use super::Place;
use super::quantity::{Better, Target, Unit};

/// How the members' values of a metric make the company's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Sum,
    Average,
    Min,
    Max,
}

impl Op {
    /// As portfolio.yaml spells it (`avg` is read as `average` too).
    pub fn word(self) -> &'static str {
        match self {
            Op::Sum => "sum",
            Op::Average => "average",
            Op::Min => "min",
            Op::Max => "max",
        }
    }

    /// The company's value from the members' values; None without any.
    pub fn apply(self, values: &[f64]) -> Option<f64> {
        let first = *values.first()?;
        Some(match self {
            Op::Sum => values.iter().sum(),
            Op::Average => values.iter().sum::<f64>() / values.len() as f64,
            Op::Min => values.iter().copied().fold(first, f64::min),
            Op::Max => values.iter().copied().fold(first, f64::max),
        })
    }
}

/// A company-level KPI, its target typed in the unit the members measure
/// the metric in.
#[derive(Debug, Clone)]
pub struct CompanyKpi {
    pub id: String,
    /// Its `name:`, else "sum of revenue".
    pub name: String,
    pub metric: String,
    pub op: Op,
    /// Which of the metrics the portfolio's KPIs need this one reads (the
    /// index into each member's [`Share`]s).
    pub slot: usize,
    /// None when no member that loaded defines the metric (every member
    /// failed to load), so there is nothing to type the target by.
    pub unit: Option<Unit>,
    pub target: Option<Target>,
    /// A looser threshold: an unmet target that meets it only warns.
    pub warn: Option<Target>,
    /// The target as written, for when it could not be typed.
    pub target_text: Option<String>,
    /// Where the KPI is written in portfolio.yaml.
    pub place: Place,
}

/// What one member says of a metric a company KPI combines.
#[derive(Debug, Clone, PartialEq)]
pub enum Share {
    /// The member defines no such metric; `near` is its metric id that
    /// looks most like it (a typo, for a did-you-mean).
    Missing { near: Option<String> },
    Defined {
        unit: Unit,
        better: Better,
        /// Its current value (none recorded yet: None).
        value: Option<f64>,
        /// The newest day that value was read from.
        date: Option<NaiveDate>,
        /// The value is older than the metric's cadence: it no longer says
        /// where the metric is, so it does not count.
        stale: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_op_combines_the_values_it_is_given() {
        let v = [3.0, 10.0, 2.0];
        assert_eq!(Op::Sum.apply(&v), Some(15.0));
        assert_eq!(Op::Average.apply(&v), Some(5.0));
        assert_eq!(Op::Min.apply(&v), Some(2.0));
        assert_eq!(Op::Max.apply(&v), Some(10.0));
        // Nothing to combine is no value, not zero.
        for op in [Op::Sum, Op::Average, Op::Min, Op::Max] {
            assert_eq!(op.apply(&[]), None);
        }
        // A loss is a value like any other.
        assert_eq!(Op::Max.apply(&[-5.0, -2.0]), Some(-2.0));
    }
}
