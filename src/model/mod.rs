//! The validated domain model of a roadmap.
//!
//! Everything here has passed validation: ids are unique, references point
//! at things that exist (as indices), windows lie inside the plan, and
//! targets are typed. Later layers never re-check the input.

pub mod actions;
pub mod condition;
pub mod history;
pub mod months;
pub mod portfolio;
pub mod quantity;

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use condition::Condition;
use months::MonthWindow;
use quantity::{Better, Target, Unit};

use crate::diag::Pos;

#[derive(Debug, Clone)]
pub struct Roadmap {
    /// The folder the roadmap was loaded from.
    pub dir: PathBuf,
    pub name: String,
    /// First day of month 1.
    pub start: NaiveDate,
    /// Length of the plan in months.
    pub months: u32,
    pub phases: Vec<Phase>,
    pub tracks: Vec<Track>,
    /// Every item of every track, in file order.
    pub items: Vec<Item>,
    pub metrics: Vec<Metric>,
    pub targets: Vec<TargetDef>,
    pub dashboards: Vec<Dashboard>,
    pub alerts: Vec<Alert>,
    pub actions: Vec<Action>,
    pub risks: Vec<Risk>,
    /// `people:` of roadmap.yaml: the only names `owner:` may take. None:
    /// owners are free text.
    pub people: Option<Vec<String>>,
}

/// Whether `id` may name a phase, track, item or metric: it starts with a
/// letter or digit, holds only lowercase letters, digits, `-` and `_`, and
/// is at most 64 bytes, so it is typable, safe in a shell, a file name and
/// Mermaid's `after`, and the same on every platform.
pub fn valid_id(id: &str) -> bool {
    id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

impl Roadmap {
    /// The whole plan as one window, months 1..=N.
    pub fn window(&self) -> MonthWindow {
        MonthWindow {
            start: 1,
            end: self.months,
        }
    }

    /// Last day of the plan.
    pub fn end(&self) -> NaiveDate {
        months::month_end(self.start, self.months)
    }

    pub fn phase(&self, id: &str) -> Option<usize> {
        self.phases.iter().position(|p| p.id == id)
    }

    pub fn track(&self, id: &str) -> Option<usize> {
        self.tracks.iter().position(|t| t.id == id)
    }

    pub fn item(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|i| i.id == id)
    }

    pub fn metric(&self, id: &str) -> Option<usize> {
        self.metrics.iter().position(|m| m.id == id)
    }

    /// The phase that holds `month`, if any (phases may leave gaps).
    pub fn phase_of_month(&self, month: u32) -> Option<usize> {
        self.phases.iter().position(|p| p.window.contains(month))
    }
}

#[derive(Debug, Clone)]
pub struct Phase {
    pub id: String,
    pub name: String,
    pub window: MonthWindow,
    pub objective: Option<String>,
    /// Share of the phase's items (0..=1) that must be done for its gate.
    pub gate_items: f64,
}

#[derive(Debug, Clone)]
pub struct Track {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub file: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub area: String,
    /// Index into [`Roadmap::tracks`].
    pub track: usize,
    /// The name of the period the item is listed under (e.g. "Preparación").
    pub period: String,
    pub window: MonthWindow,
    /// Index into [`Roadmap::phases`]: the phase holding the window's last
    /// month, i.e. the phase by whose end the item is due. `None` only when
    /// phases leave that month uncovered.
    pub phase: Option<usize>,
    pub done: Option<NaiveDate>,
    /// Indices into [`Roadmap::items`] of the items this one waits on
    /// (`after:`), as written. Loading refuses unknown ids and cycles, so
    /// following them always ends.
    pub after: Vec<usize>,
    /// Who owns it (`owner:`): a person or a team, free text unless the
    /// plan lists its `people:`.
    pub owner: Option<String>,
    /// The day work on it began (`started:`).
    pub started: Option<NaiveDate>,
    /// Why it cannot go on (`blocked:`); None while it can.
    pub blocked: Option<String>,
    /// `due:`: a day inside its window, due by then rather than by the
    /// window's last day. See [`Item::deadline`].
    pub due: Option<NaiveDate>,
    /// Where the item's mapping starts, for edits and messages.
    pub file: PathBuf,
    pub pos: Pos,
}

impl Item {
    /// The day the item is due by: its `due:` day, else the last day of
    /// its window. Every "overdue" is measured against this.
    pub fn deadline(&self, plan_start: NaiveDate) -> NaiveDate {
        self.due.unwrap_or_else(|| self.window.last_day(plan_start))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    Latest,
    Sum,
    Average,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Daily,
    Weekly,
    Monthly,
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub unit: Unit,
    pub better: Better,
    pub combine: Combine,
    pub cadence: Cadence,
    /// The values the metric can take (`range: -100..100`), in its unit;
    /// None: what its unit allows.
    pub range: Option<(f64, f64)>,
}

impl Metric {
    /// Why `value` cannot be a value of this metric, if it cannot: outside
    /// its `range:`, or below zero for a unit that cannot be negative (a
    /// count of users, a duration). Money and percentages may be negative
    /// (a loss, a fall) unless a range says otherwise.
    pub fn out_of_range(&self, value: f64) -> Option<String> {
        use quantity::{Unit, format_value};
        let (min, max) = match self.range {
            Some(r) => r,
            None => match self.unit {
                Unit::Usd | Unit::Percent => return None,
                Unit::Rank => (1.0, f64::INFINITY),
                Unit::Score { scale } => (0.0, f64::from(scale)),
                Unit::Bool => (0.0, 1.0),
                Unit::Count | Unit::Days | Unit::Seconds | Unit::Ratio => (0.0, f64::INFINITY),
            },
        };
        let shown = |v: f64| format_value(v, self.unit);
        if value < min {
            return Some(match self.range {
                Some(_) => format!(
                    "{} is below the range of `{}` ({}..{})",
                    shown(value),
                    self.id,
                    shown(min),
                    shown(max)
                ),
                None => format!(
                    "{} is below {} for `{}`, {}",
                    shown(value),
                    shown(min),
                    self.id,
                    self.unit.describe()
                ),
            });
        }
        if value > max {
            return Some(format!(
                "{} is above the range of `{}` ({}..{})",
                shown(value),
                self.id,
                shown(min),
                shown(max)
            ));
        }
        None
    }
}

/// What a target compares: the metric's value, or its growth rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    Value,
    MonthlyGrowth,
    YearlyGrowth,
}

/// The stretch of time a target's values are combined over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Span {
    /// The target's phase, from its first day up to the as-of date.
    Phase,
    /// Everything recorded up to the as-of date.
    All,
    /// The calendar month holding the as-of date, up to that date.
    Month,
    /// The last N days up to and including the as-of date.
    Days(u32),
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Span::Phase => f.write_str("phase"),
            Span::All => f.write_str("all"),
            Span::Month => f.write_str("month"),
            Span::Days(n) => write!(f, "{n}d"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TargetDef {
    /// Index into [`Roadmap::metrics`].
    pub metric: usize,
    /// Index into [`Roadmap::phases`] for a phase-gate target; `None` for a
    /// standing target.
    pub phase: Option<usize>,
    /// `None` for a qualitative target ("Optimización continua").
    pub target: Option<Target>,
    /// The plan's name for this line when it differs from the metric's
    /// (e.g. "Lead Generation" for the monthly growth of `leads`).
    pub label: Option<String>,
    /// The plan's own words for this target.
    pub text: Option<String>,
    pub section: Option<String>,
    pub baseline: Option<f64>,
    pub measure: Measure,
    /// Where values are combined; `None`: the phase for a gate target,
    /// else everything for a `latest` metric and the last 30 days for a
    /// `sum` or `average` one.
    pub span: Option<Span>,
    /// Overrides the metric's `combine` for this target.
    pub combine: Option<Combine>,
    /// A looser threshold: an unmet target that meets it only warns.
    pub warn: Option<Target>,
    /// The plan month from which the target is due ("desde mes 12");
    /// before it the target is not judged.
    pub from: Option<u32>,
    /// The last plan month it is judged in; later, it is judged as of that
    /// month's last day.
    pub until: Option<u32>,
    /// Where the target's mapping starts in kpis.yaml, so a failing gate
    /// can point at it (CI annotations).
    pub file: PathBuf,
    pub pos: Pos,
}

/// Where a thing is written in the plan's files, as reports carry it: the
/// path as diagnostics show it, and the line and column (1-based, in
/// characters) its mapping starts at. Reports do not serialize it; CI
/// annotations use it to point into a pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub line: u64,
    pub col: u64,
}

impl Place {
    pub fn new(file: &std::path::Path, pos: Pos) -> Place {
        Place {
            file: file.to_path_buf(),
            line: pos.line,
            col: pos.col,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub id: String,
    pub name: String,
    pub cadence: Cadence,
    pub panels: Vec<Panel>,
}

#[derive(Debug, Clone)]
pub struct Panel {
    pub name: String,
    pub shows: Option<String>,
    pub metrics: Vec<usize>,
}

/// What a phase gate concludes: its targets and items rule are met; met but
/// for targets inside their warning bands; or not met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GateVerdict {
    Pass,
    Warn,
    Fail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    Opportunity,
}

#[derive(Debug, Clone)]
pub struct Alert {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub condition: Condition,
    /// Metric index of each clause of `condition`, in order.
    pub clause_metrics: Vec<usize>,
    /// Threshold of each clause in the clause metric's canonical unit (a
    /// percentage for drops and rises).
    pub clause_values: Vec<f64>,
    pub text: Option<String>,
    pub min_baseline: Option<f64>,
    pub action: Option<usize>,
    /// Where the alert's mapping starts in alerts.yaml.
    pub file: PathBuf,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub id: String,
    pub area: String,
    pub title: String,
    /// `run:` the program and its arguments, run without a shell in the
    /// roadmap folder; None: the action runs nothing.
    pub run: Option<Vec<String>>,
    /// `notify:` the webhook to POST to, its `${VAR}`s not yet filled.
    pub notify: Option<actions::UrlTemplate>,
    /// How long the command, and the webhook call, may each take.
    pub timeout: std::time::Duration,
    /// Where the action's mapping starts in alerts.yaml, and where its
    /// `run:` and `notify:` are, for what `alerts --act` finds wrong with
    /// them only when it runs (a missing script or variable).
    pub file: PathBuf,
    pub pos: Pos,
    pub run_pos: Pos,
    pub notify_pos: Pos,
}

impl Action {
    /// Its steps, in the order they are taken: the command, then the
    /// webhook. Each is attempted, logged and retried on its own.
    pub fn steps(&self) -> Vec<actions::Step> {
        let mut steps = Vec::new();
        if self.run.is_some() {
            steps.push(actions::Step::Run);
        }
        if self.notify.is_some() {
            steps.push(actions::Step::Notify);
        }
        steps
    }
}

#[derive(Debug, Clone)]
pub struct Risk {
    pub id: String,
    pub category: Option<String>,
    pub name: String,
    pub risk: String,
    pub mitigation: String,
    pub alerts: Vec<usize>,
    pub metrics: Vec<usize>,
}

/// A rule test (`tests/*.yaml`): a history and done items as of a date,
/// and what alerts, gates and `check` must then say. Loaded by `load`,
/// run by `eval`.
#[derive(Debug, Clone)]
pub struct RuleTest {
    pub file: PathBuf,
    pub line: u64,
    pub name: String,
    pub as_of: NaiveDate,
    /// Indices of the items to count as done (on the as-of date).
    pub done: Vec<usize>,
    pub values: Vec<history::Row>,
    /// Alert indices that must fire, exactly; None: not checked.
    pub alerts: Option<Vec<usize>>,
    /// (phase index, verdict) pairs.
    pub gates: Vec<(usize, GateVerdict)>,
    /// What `check` must conclude: true for ok.
    pub check: Option<bool>,
}
