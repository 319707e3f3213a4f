//! Phase gates: a phase succeeded when its KPI targets are met, enough of
//! its items are done (all, unless `gate: items:` says otherwise), and its
//! window is over. A gate is due once the as-of date is past the phase's
//! last day. Targets inside their warning band make a gate warn instead of
//! fail. For a phase still under way each target gets a projection to the
//! phase's end: advice, never a failure.

use chrono::NaiveDate;
use serde::Serialize;

use super::kpi::{TargetVerdict, evaluate, window};
use super::predict::{Model, project};
use super::{Counts, State};
use crate::model::history::History;
use crate::model::quantity::{Unit, format_value};
use crate::model::{Combine, Measure, Place, Roadmap, TargetDef};

pub use crate::model::GateVerdict;

#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    pub phase: String,
    pub name: String,
    /// The as-of date is past the phase's last day.
    pub due: bool,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub verdict: GateVerdict,
    pub targets: Vec<TargetRow>,
    pub items: ItemsRule,
}

/// The items part of a gate.
#[derive(Debug, Clone, Serialize)]
pub struct ItemsRule {
    pub done: usize,
    pub total: usize,
    /// How many must be done.
    pub required: usize,
    pub met: bool,
    /// Ids of the items not done.
    pub open: Vec<String>,
    /// Where the first of them is written, for an annotation to point at.
    #[serde(skip)]
    pub first_open: Option<Place>,
}

/// One target as reports show it (`check`, `kpis`).
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    pub metric: String,
    /// The plan's name for the line (its label, else the metric's name).
    pub name: String,
    /// Phase id for a gate target, null for a standing one.
    pub phase: Option<String>,
    /// The target as a person reads it: `>= 100`, `<= $150`, or the plan's
    /// words for a qualitative target.
    pub target: String,
    pub measure: Measure,
    /// The value judged (a growth rate in percent for growth targets).
    pub actual: Option<f64>,
    /// `actual` written in the metric's unit.
    pub actual_text: Option<String>,
    /// How far the actual goes toward the target, in percent: 100 or more
    /// is met. actual / wanted, or wanted / actual for a target to stay
    /// under (`<= $150`), so that either way more is better.
    pub percent_of_target: Option<f64>,
    pub verdict: TargetVerdict,
    /// Unmet but inside the warning band.
    pub warn: bool,
    /// The warning band, if the target has one (`>= 80`).
    pub band: Option<String>,
    /// Date of the newest value used.
    pub last: Option<NaiveDate>,
    pub points: usize,
    /// Recent values in the window, oldest first (for a trend line).
    pub trend: Vec<f64>,
    pub prediction: Option<Prediction>,
    /// A qualitative target has no number to meet.
    pub qualitative: bool,
    /// The plan's own words for the line ("85% automation").
    pub text: Option<String>,
    /// Where in the plan the line stands ("Métricas de Éxito / Operaciones").
    pub section: Option<String>,
    /// The value the plan starts from ("PMF 8.5 (objetivo: 9/10)").
    pub baseline: Option<f64>,
    pub baseline_text: Option<String>,
    /// How far the actual has come from the baseline to the target, in
    /// percent: 0 at the baseline, 100 at the target.
    pub progress: Option<f64>,
    /// For a stale value: the earliest date a new value would count from.
    pub fresh_from: Option<NaiveDate>,
    /// Where the target is written in kpis.yaml.
    #[serde(skip)]
    pub place: Place,
}

#[derive(Debug, Clone, Serialize)]
pub struct Prediction {
    pub value: f64,
    pub value_text: String,
    pub at: NaiveDate,
    pub points: usize,
    pub model: Model,
    pub on_pace: bool,
}

/// See [`TargetRow::percent_of_target`]; None when a division by zero (or
/// an `=` target) makes it meaningless.
///
/// A target below zero is a fall to reach (`<= -30%` a year, for costs):
/// a fall of 15% is then half way, 50%, and a rise reads below zero.
fn percent_of(actual: f64, target: crate::model::quantity::Target) -> Option<f64> {
    use crate::model::quantity::Cmp;
    let wanted = target.value;
    let ratio = match target.cmp {
        Cmp::Ge | Cmp::Gt if wanted > 0.0 => actual / wanted,
        Cmp::Le | Cmp::Lt if wanted > 0.0 && actual > 0.0 => wanted / actual,
        Cmp::Le | Cmp::Lt if wanted < 0.0 => actual / wanted,
        // At most a fall (`>= -5%`), or to stay under zero: no ratio reads
        // right.
        _ => return None,
    };
    ratio.is_finite().then_some(ratio * 100.0)
}

/// See [`TargetRow::progress`].
fn progress(actual: f64, baseline: f64, target: crate::model::quantity::Target) -> Option<f64> {
    let ratio = (actual - baseline) / (target.value - baseline);
    ratio.is_finite().then_some(ratio * 100.0)
}

/// How many recent values a trend line shows.
pub const TREND: usize = 8;

pub fn target_row(map: &Roadmap, history: &History, t: &TargetDef, as_of: NaiveDate) -> TargetRow {
    let metric = &map.metrics[t.metric];
    let e = evaluate(map, history, t, as_of);
    let unit = match t.measure {
        Measure::Value => metric.unit,
        Measure::MonthlyGrowth | Measure::YearlyGrowth => Unit::Percent,
    };
    let (from, to) = window(map, t, as_of);
    let recent = history.between(t.metric, from, to);
    // A qualitative target has no number, so no trend of its own.
    let trend = match t.target {
        Some(_) => recent[recent.len().saturating_sub(TREND)..]
            .iter()
            .map(|p| p.value)
            .collect(),
        None => Vec::new(),
    };
    let prediction = t.phase.and_then(|p| {
        let end = map.phases[p].window.last_day(map.start);
        (as_of < end && t.measure == Measure::Value)
            .then(|| predict(map, history, t, as_of, end))
            .flatten()
    });
    TargetRow {
        metric: metric.id.clone(),
        name: t.label.clone().unwrap_or_else(|| metric.name.clone()),
        phase: t.phase.map(|p| map.phases[p].id.clone()),
        target: match (t.target, &t.text) {
            // A growth target says it is one: `>= +25%/yr` for a dollar
            // metric, not `>= 25%`.
            (Some(target), _) => match t.measure {
                Measure::Value => target.to_string(),
                Measure::MonthlyGrowth => growth_text(target, "mo"),
                Measure::YearlyGrowth => growth_text(target, "yr"),
            },
            (None, Some(text)) => text.clone(),
            (None, None) => String::new(),
        },
        measure: t.measure,
        actual: e.actual,
        actual_text: e.actual.map(|v| format_value(v, unit)),
        percent_of_target: e
            .actual
            .zip(t.target)
            .and_then(|(v, target)| percent_of(v, target)),
        verdict: e.verdict,
        warn: e.warn,
        band: t.warn.map(|w| w.to_string()),
        last: e.last,
        points: e.points,
        trend,
        prediction,
        qualitative: t.target.is_none(),
        text: t.text.clone(),
        section: t.section.clone(),
        baseline: t.baseline,
        baseline_text: t.baseline.map(|b| format_value(b, unit)),
        progress: match (e.actual, t.baseline, t.target) {
            (Some(a), Some(b), Some(target)) => progress(a, b, target),
            _ => None,
        },
        fresh_from: (e.verdict == TargetVerdict::Stale)
            .then(|| e.to.checked_sub_days(super::kpi::fresh_for(metric.cadence)))
            .flatten(),
        place: Place::new(&t.file, t.pos),
    }
}

/// `>= +25%/yr`, `<= -30%/yr`: a growth target with its sign and period.
fn growth_text(target: crate::model::quantity::Target, per: &str) -> String {
    let value = format_value(target.value, Unit::Percent);
    let sign = if target.value > 0.0 { "+" } else { "" };
    format!("{} {sign}{value}/{per}", target.cmp.symbol())
}

/// Project the target's value to `end` from the values recorded so far in
/// its phase. A metric the plan
/// expects to grow by a rate (it has a growth target) is fitted with an
/// exponential curve, others with a line.
fn predict(
    map: &Roadmap,
    history: &History,
    t: &TargetDef,
    as_of: NaiveDate,
    end: NaiveDate,
) -> Option<Prediction> {
    let target = t.target?;
    let (from, to) = window(map, t, as_of);
    let points = history.between(t.metric, from, to);
    // Project what the verdict will judge: the running total of a sum, the
    // running mean of an average, the level of a latest value.
    let mut total = 0.0;
    let series: Vec<(NaiveDate, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            total += p.value;
            let value = match super::kpi::combine_of(map, t) {
                Combine::Sum => total,
                Combine::Average => total / (i + 1) as f64,
                Combine::Latest => p.value,
            };
            (p.date, value)
        })
        .collect();
    let grows = map
        .targets
        .iter()
        .any(|o| o.metric == t.metric && o.measure != Measure::Value);
    // A running total grows with the rate of its flow: a line through it
    // projects that rate; compounding it as well would count the growth
    // twice (and project millions from a few hundred).
    let model = if grows && super::kpi::combine_of(map, t) != Combine::Sum {
        Model::Exponential
    } else {
        Model::Linear
    };
    let p = project(&series, end, model)?;
    let unit = map.metrics[t.metric].unit;
    // A projected count of people or leads is a whole number.
    let value = if unit == Unit::Count {
        p.value.round()
    } else {
        p.value
    };
    Some(Prediction {
        value,
        value_text: format_value(value, unit),
        at: p.at,
        points: p.points,
        model: p.model,
        on_pace: target.met_by(p.value),
    })
}

/// Evaluate the gate of phase `index` as of a date, due or not.
pub fn gate(map: &Roadmap, history: &History, index: usize, as_of: NaiveDate) -> Gate {
    let p = &map.phases[index];
    let (start, end) = (p.window.first_day(map.start), p.window.last_day(map.start));
    let mut counts = Counts::default();
    let mut open = Vec::new();
    let mut first_open = None;
    for item in map.items.iter().filter(|i| i.phase == Some(index)) {
        let state = State::of(map, item, as_of);
        counts.add(state, super::late(map, item, as_of));
        if state != State::Done {
            open.push(item.id.clone());
            first_open.get_or_insert_with(|| Place::new(&item.file, item.pos));
        }
    }
    let required = (p.gate_items * counts.total as f64 - 1e-9).ceil().max(0.0) as usize;
    let items = ItemsRule {
        done: counts.done,
        total: counts.total,
        required,
        met: counts.done >= required,
        open,
        first_open,
    };
    let targets: Vec<TargetRow> = map
        .targets
        .iter()
        .filter(|t| t.phase == Some(index))
        .map(|t| target_row(map, history, t, as_of))
        .collect();
    let failing = targets.iter().any(|t| {
        !t.qualitative
            && match t.verdict {
                TargetVerdict::Met | TargetVerdict::NotDue => false,
                TargetVerdict::Unmet => !t.warn,
                TargetVerdict::NoData | TargetVerdict::Stale => true,
            }
    });
    let verdict = if failing || !items.met {
        GateVerdict::Fail
    } else if targets.iter().any(|t| t.warn) {
        GateVerdict::Warn
    } else {
        GateVerdict::Pass
    };
    Gate {
        phase: p.id.clone(),
        name: p.name.clone(),
        due: as_of > end,
        start,
        end,
        verdict,
        targets,
        items,
    }
}
