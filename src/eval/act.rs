//! What `alerts --act` is to do: for each firing alert whose action says
//! how it runs, the firing episode it is in and, for each step of the
//! action (its command, its webhook), whether that step is due, was done
//! in this episode already, or has used up its attempts. Pure: the plan,
//! the history, the actions log and the as-of date in, tasks out; running
//! them is `cmd`'s, through `effect`.
//!
//! **Episodes.** An alert fires on a day D when it fires as of D, that is
//! when `roadmap alerts --as-of D` lists it, on the values recorded for
//! dates up to D. Every calendar day counts, whether or not anything was
//! recorded on it: the rules themselves say how long a value stands (a
//! window, or a metric's cadence for a value without one). An episode is a
//! run of consecutive days on which the alert fires; the one an alert is in
//! as of a date starts on the first day of that run, found by asking day by
//! day backwards. It is computed from the history alone, so every run (and
//! every clone of the repository) finds the same start.
//!
//! **Once per episode.** A step is done for an episode when the log holds
//! an `ok` attempt at it for this alert and action whose episode start lies
//! within the current episode (from its first day to the as-of date). An
//! attempt logged with a later start than the one computed now still counts:
//! values recorded late can move an episode's first day earlier, and that
//! must not act twice. Failed attempts count towards
//! [`MAX_ATTEMPTS`]; when they are used up, the step is given up until
//! the alert stops firing and fires again.

use chrono::NaiveDate;
use serde::Serialize;

use super::alerts::{Report, fires};
use crate::model::actions::{Attempt, LogEntry, MAX_ATTEMPTS, Outcome, Step};
use crate::model::history::History;
use crate::model::{Alert, Roadmap, Severity};

/// One step of one action for one firing alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub alert: String,
    pub severity: Severity,
    pub action: String,
    pub step: Step,
    /// The command of a `run` step, as written.
    pub run: Option<Vec<String>>,
    /// The URL of a `notify` step, as written: `${VAR}`s unexpanded, so a
    /// secret never reaches the output.
    pub notify: Option<String>,
    /// The first day of the firing episode.
    pub episode: NaiveDate,
    /// How many days the episode has lasted, the as-of date included.
    pub days: u64,
    pub status: Status,
    /// `due`: the attempt to make (1 for the first); `ok` and `failed`:
    /// the attempt just made; `done`: the attempt that succeeded;
    /// `gave-up`: the attempts made.
    pub attempt: usize,
    /// `ok`, `failed`: how this attempt ended; `done`: ok; `gave-up`: how
    /// the last attempt ended.
    pub outcome: Option<Outcome>,
    /// The start of what this attempt printed (`ok`, `failed`).
    pub output: Option<String>,
    /// `done`: when it was done (as the log says).
    pub at: Option<String>,
    /// Index into [`Roadmap::alerts`].
    #[serde(skip)]
    pub alert_index: usize,
    /// Index into [`Roadmap::actions`].
    #[serde(skip)]
    pub action_index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// To be attempted now (with `--dry-run`: what would be).
    Due,
    /// Attempted now, and it worked.
    Ok,
    /// Attempted now, and it failed.
    Failed,
    /// Done earlier in this episode.
    Done,
    /// Failed [`MAX_ATTEMPTS`] times in this episode: not tried again.
    GaveUp,
}

impl Task {
    /// Whether a failure now is tried again on a later run.
    pub fn retried(&self) -> bool {
        self.status == Status::Failed && self.attempt < MAX_ATTEMPTS
    }

    /// Take in the attempt just made at this due task.
    pub fn record(&mut self, attempt: &Attempt, output: String) {
        debug_assert_eq!(self.status, Status::Due);
        self.status = match attempt.outcome.is_ok() {
            true => Status::Ok,
            false => Status::Failed,
        };
        self.outcome = Some(attempt.outcome);
        self.output = Some(output);
    }
}

/// The `--act` part of the `alerts` report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActReport {
    /// `--dry-run`: nothing was run or written.
    pub dry_run: bool,
    pub tasks: Vec<Task>,
}

impl ActReport {
    /// Whether an attempt made now failed.
    pub fn failed(&self) -> bool {
        self.tasks.iter().any(|t| t.status == Status::Failed)
    }
}

/// The first day of the firing episode `alert` is in as of `as_of`, where
/// it fires: the earliest day of the run of consecutive firing days that
/// ends on `as_of`.
pub fn episode_start(
    map: &Roadmap,
    history: &History,
    alert: &Alert,
    as_of: NaiveDate,
) -> NaiveDate {
    // Every clause needs a value on or before the day to hold, so no day
    // before the newest of the clauses' first values can fire: the walk
    // stops there at the latest.
    let floor = alert
        .clause_metrics
        .iter()
        .map(|&m| history.series(m).first().map(|p| p.date))
        .try_fold(NaiveDate::MIN, |floor, first| first.map(|d| floor.max(d)));
    let Some(floor) = floor else { return as_of };
    let mut start = as_of;
    while let Some(day) = start.pred_opt()
        && day >= floor
        && fires(map, history, alert, day)
    {
        start = day;
    }
    start
}

/// The tasks for the firing alerts of `report` (critical first, as the
/// report lists them), each action's steps in order, given what `log`
/// says was attempted.
pub fn plan(
    map: &Roadmap,
    history: &History,
    report: &Report,
    log: &[LogEntry],
    as_of: NaiveDate,
) -> Vec<Task> {
    let mut tasks = Vec::new();
    for row in &report.alerts {
        let Some(alert_index) = map.alerts.iter().position(|a| a.id == row.id) else {
            continue;
        };
        let alert = &map.alerts[alert_index];
        let Some(action_index) = alert.action else {
            continue;
        };
        let action = &map.actions[action_index];
        let steps = action.steps();
        if steps.is_empty() {
            continue;
        }
        let episode = episode_start(map, history, alert, as_of);
        let days = (as_of - episode).num_days().unsigned_abs() + 1;
        for step in steps {
            let tried: Vec<&LogEntry> = log
                .iter()
                .filter(|e| {
                    e.alert == alert.id
                        && e.action == action.id
                        && e.step == step
                        && (episode..=as_of).contains(&e.episode)
                })
                .collect();
            let done = tried.iter().find(|e| e.outcome.is_ok());
            let failed: Vec<&&LogEntry> = tried.iter().filter(|e| !e.outcome.is_ok()).collect();
            let last = failed
                .iter()
                .max_by(|a, b| (a.as_of, &a.at).cmp(&(b.as_of, &b.at)))
                .map(|e| e.outcome);
            let (status, attempt, outcome, at) = match done {
                Some(e) => (
                    Status::Done,
                    failed.len() + 1,
                    Some(Outcome::Ok),
                    Some(e.at.clone()),
                ),
                None if failed.len() >= MAX_ATTEMPTS => (Status::GaveUp, failed.len(), last, None),
                None => (Status::Due, failed.len() + 1, None, None),
            };
            tasks.push(Task {
                alert: alert.id.clone(),
                severity: alert.severity,
                action: action.id.clone(),
                step,
                run: match step {
                    Step::Run => action.run.clone(),
                    Step::Notify => None,
                },
                notify: match step {
                    Step::Notify => action.notify.as_ref().map(|t| t.text.clone()),
                    Step::Run => None,
                },
                episode,
                days,
                status,
                attempt,
                outcome,
                output: None,
                at,
                alert_index,
                action_index,
            });
        }
    }
    tasks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::actions::UrlTemplate;
    use crate::model::condition::parse_condition;
    use crate::model::history::Point;
    use crate::model::quantity::{Better, Unit};
    use crate::model::{Action, Cadence, Combine, Metric};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// One metric, `incidents` (a daily sum), and one alert on it with an
    /// action that runs a command and posts a webhook.
    fn map(when: &str) -> Roadmap {
        let condition = parse_condition(when).unwrap();
        let n = condition.clauses.len();
        Roadmap {
            dir: ".".into(),
            name: "t".into(),
            start: d("2026-01-01"),
            months: 12,
            phases: vec![],
            tracks: vec![],
            items: vec![],
            metrics: vec![Metric {
                id: "incidents".into(),
                name: "Incidents".into(),
                unit: Unit::Count,
                better: Better::Lower,
                combine: Combine::Sum,
                cadence: Cadence::Daily,
                range: None,
            }],
            targets: vec![],
            dashboards: vec![],
            alerts: vec![Alert {
                id: "breach".into(),
                name: "Breach".into(),
                severity: Severity::Critical,
                condition,
                clause_metrics: vec![0; n],
                clause_values: vec![0.0; n],
                text: None,
                min_baseline: None,
                action: Some(0),
                file: "alerts.yaml".into(),
                pos: Default::default(),
            }],
            actions: vec![Action {
                id: "page".into(),
                area: "Ops".into(),
                title: "Page on-call".into(),
                run: Some(vec!["page.sh".into()]),
                notify: Some(UrlTemplate::parse("${HOOK}").unwrap()),
                timeout: std::time::Duration::from_secs(30),
                file: "alerts.yaml".into(),
                pos: Default::default(),
                run_pos: Default::default(),
                notify_pos: Default::default(),
            }],
            risks: vec![],
            people: None,
        }
    }

    fn history(days: &[&str]) -> History {
        History::new(
            1,
            days.iter().map(|day| {
                (
                    0,
                    Point {
                        date: d(day),
                        value: 1.0,
                    },
                )
            }),
        )
    }

    fn tasks(m: &Roadmap, h: &History, log: &[LogEntry], as_of: &str) -> Vec<Task> {
        let rows = crate::eval::alerts::evaluate(m, h, d(as_of));
        let report = crate::eval::alerts::report(rows, None, d(as_of));
        plan(m, h, &report, log, d(as_of))
    }

    fn entry(episode: &str, step: Step, outcome: Outcome) -> LogEntry {
        LogEntry {
            alert: "breach".into(),
            episode: d(episode),
            action: "page".into(),
            step,
            as_of: d(episode),
            at: format!("{episode}T07:00:00Z"),
            outcome,
            output: String::new(),
            line: 2,
        }
    }

    #[test]
    fn an_episode_runs_back_over_consecutive_firing_days_only() {
        let m = map("incidents > 0 over 24h");
        let alert = &m.alerts[0];
        // `over 24h` fires on the day of an incident and the day after:
        // incidents on the 10th and 11th fire the 10th to the 12th.
        let h = history(&["2026-08-03", "2026-08-10", "2026-08-11"]);
        for day in ["2026-08-10", "2026-08-11", "2026-08-12"] {
            assert_eq!(
                episode_start(&m, &h, alert, d(day)),
                d("2026-08-10"),
                "{day}"
            );
        }
        // The 5th to the 9th were quiet: the 3rd's episode is another.
        assert_eq!(
            episode_start(&m, &h, alert, d("2026-08-04")),
            d("2026-08-03")
        );
        // Nothing recorded at all: the as-of date (it cannot fire anyway).
        let none = History::new(1, []);
        assert_eq!(
            episode_start(&m, &none, alert, d("2026-08-04")),
            d("2026-08-04")
        );
    }

    #[test]
    fn a_step_is_due_once_per_episode_and_retried_up_to_the_limit() {
        let m = map("incidents > 0 over 24h");
        let h = history(&["2026-08-10", "2026-08-11"]);
        let t = tasks(&m, &h, &[], "2026-08-11");
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].step, t[1].step), (Step::Run, Step::Notify));
        assert_eq!((t[0].episode, t[0].days), (d("2026-08-10"), 2));
        assert!(t.iter().all(|t| t.status == Status::Due && t.attempt == 1));

        // The command worked on the 10th, the webhook failed twice.
        let log = [
            entry("2026-08-10", Step::Run, Outcome::Ok),
            entry("2026-08-10", Step::Notify, Outcome::Http(500)),
            entry("2026-08-10", Step::Notify, Outcome::Timeout),
        ];
        let t = tasks(&m, &h, &log, "2026-08-12");
        assert_eq!((t[0].status, t[0].attempt), (Status::Done, 1));
        assert_eq!(t[0].at.as_deref(), Some("2026-08-10T07:00:00Z"));
        assert_eq!((t[1].status, t[1].attempt), (Status::Due, 3));

        // A third failure uses up the attempts.
        let mut log = log.to_vec();
        log.push(entry("2026-08-10", Step::Notify, Outcome::Error));
        let t = tasks(&m, &h, &log, "2026-08-12");
        assert_eq!((t[1].status, t[1].attempt), (Status::GaveUp, 3));

        // Quiet on the 13th and 14th; an incident on the 15th is a new
        // episode, due again.
        let h = history(&["2026-08-10", "2026-08-11", "2026-08-15"]);
        assert!(tasks(&m, &h, &log, "2026-08-14").is_empty());
        let t = tasks(&m, &h, &log, "2026-08-15");
        assert_eq!(t[0].episode, d("2026-08-15"));
        assert!(t.iter().all(|t| t.status == Status::Due && t.attempt == 1));
    }

    #[test]
    fn a_log_row_inside_the_episode_counts_even_if_its_start_moved() {
        // Acted on the 11th when only the 11th's incident was recorded;
        // the 10th's was recorded later, so the episode now starts on the
        // 10th. It was acted on all the same.
        let m = map("incidents > 0 over 24h");
        let h = history(&["2026-08-10", "2026-08-11"]);
        let log = [
            entry("2026-08-11", Step::Run, Outcome::Ok),
            entry("2026-08-11", Step::Notify, Outcome::Ok),
        ];
        let t = tasks(&m, &h, &log, "2026-08-12");
        assert!(t.iter().all(|t| t.status == Status::Done), "{t:?}");
        // Rows for another alert, action or an earlier episode do not count.
        let mut other = log.to_vec();
        other[0].alert = "other".into();
        other[1].episode = d("2026-08-09");
        let t = tasks(&m, &h, &other, "2026-08-12");
        assert!(t.iter().all(|t| t.status == Status::Due), "{t:?}");
    }
}
