//! The `diff` report: what changed between two versions of a roadmap,
//! compared as loaded models rather than as text, so a reordered file or a
//! new comment is no change and a correction appended to `metrics.csv`
//! reads as the value it corrects.
//!
//! Things are matched by id (items, phases, alerts, metrics); targets,
//! which have none, by metric, phase, measure and label, in file order.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::history::Row;
use crate::model::quantity::{Unit, format_value};
use crate::model::{Alert, Measure, Metric, Phase, Roadmap, TargetDef};

/// One version of the plan: its model and the values in force in its
/// history (one row per metric and date, corrections applied).
pub struct Version<'a> {
    pub map: &'a Roadmap,
    pub values: &'a [Row],
}

/// A revision as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct Rev {
    /// As given on the command line (`HEAD~3`); null for the working tree.
    pub rev: Option<String>,
    /// The full commit id; null for the working tree.
    pub commit: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The roadmap folder, relative to the top of the repository.
    pub dir: String,
    pub from: Rev,
    pub to: Rev,
    pub items: Vec<ItemChange>,
    pub phases: Vec<Change>,
    pub metrics: Vec<Change>,
    pub targets: Vec<TargetChange>,
    pub alerts: Vec<Change>,
    pub values: Vec<ValueChange>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
            && self.phases.is_empty()
            && self.metrics.is_empty()
            && self.targets.is_empty()
            && self.alerts.is_empty()
            && self.values.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemChangeKind {
    Added,
    Removed,
    /// Marked done (`before` null, `after` the date).
    Done,
    /// Done no more (`before` the date it had, `after` null).
    Reopened,
    /// Still done, on another date.
    Redated,
    Retitled,
    /// Another track or other months: `before` and `after` are
    /// `TRACK MONTHS` (`shop 4-5`).
    Moved,
    /// `started:` set, changed or removed (dates; null where absent).
    Started,
    /// `blocked:` set or reworded (`after` the reason now).
    Blocked,
    /// `blocked:` removed (`before` the reason it had).
    Unblocked,
    /// `owner:` set, changed or removed.
    Assigned,
    /// `after:` changed: the ids it waits on, `a, b`.
    Relinked,
    /// `due:` set, changed or removed.
    Due,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    pub change: ItemChangeKind,
    pub id: String,
    /// The title it has now (its last one, when removed).
    pub title: String,
    pub track: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// A phase, metric or alert added, removed, or with one field changed.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub change: ChangeKind,
    pub id: String,
    pub name: String,
    /// The field that changed; null when added or removed.
    pub field: Option<String>,
    /// For `added` and `removed`, a summary: a phase's months, an alert's
    /// condition, a metric's unit.
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetChange {
    pub change: ChangeKind,
    pub metric: String,
    /// Null for a standing target.
    pub phase: Option<String>,
    /// The target's label, or its metric's name.
    pub name: String,
    pub field: Option<String>,
    /// For `added` and `removed`, the target (`>= 150`).
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueChangeKind {
    Added,
    /// Another value in force for the same metric and date (a `record
    /// --replace`, or an edited line).
    Corrected,
    Removed,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueChange {
    pub change: ValueChangeKind,
    pub date: NaiveDate,
    pub metric: String,
    /// In the metric's canonical unit.
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub before_text: Option<String>,
    pub after_text: Option<String>,
}

pub fn diff(dir: String, from: Rev, to: Rev, old: &Version, new: &Version) -> Diff {
    Diff {
        dir,
        from,
        to,
        items: items(old.map, new.map),
        phases: by_id(
            (old.map, &old.map.phases),
            (new.map, &new.map.phases),
            |p| &p.id,
            phase_fields,
        ),
        metrics: by_id(
            (old.map, &old.map.metrics),
            (new.map, &new.map.metrics),
            |m| &m.id,
            metric_fields,
        ),
        targets: targets(old.map, new.map),
        alerts: by_id(
            (old.map, &old.map.alerts),
            (new.map, &new.map.alerts),
            |a| &a.id,
            alert_fields,
        ),
        values: values(old, new),
    }
}

fn items(old: &Roadmap, new: &Roadmap) -> Vec<ItemChange> {
    let before: HashMap<&str, usize> = old
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    let place = |map: &Roadmap, i: usize| {
        let item = &map.items[i];
        format!("{} {}", map.tracks[item.track].id, item.window)
    };
    let mut out = Vec::new();
    for (n, item) in new.items.iter().enumerate() {
        let change = |change, before: Option<String>, after: Option<String>| ItemChange {
            change,
            id: item.id.clone(),
            title: item.title.clone(),
            track: new.tracks[item.track].id.clone(),
            before,
            after,
        };
        let Some(&o) = before.get(item.id.as_str()) else {
            out.push(change(
                ItemChangeKind::Added,
                None,
                Some(item.window.to_string()),
            ));
            if let Some(d) = item.done {
                out.push(change(ItemChangeKind::Done, None, Some(d.to_string())));
            }
            continue;
        };
        let was = &old.items[o];
        if was.title != item.title {
            out.push(change(
                ItemChangeKind::Retitled,
                Some(was.title.clone()),
                Some(item.title.clone()),
            ));
        }
        let (from, to) = (place(old, o), place(new, n));
        if from != to {
            out.push(change(ItemChangeKind::Moved, Some(from), Some(to)));
        }
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        let kind = match (was.done, item.done) {
            (None, Some(_)) => Some(ItemChangeKind::Done),
            (Some(_), None) => Some(ItemChangeKind::Reopened),
            (Some(a), Some(b)) if a != b => Some(ItemChangeKind::Redated),
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(change(kind, date(was.done), date(item.done)));
        }
        if was.started != item.started {
            let (a, b) = (date(was.started), date(item.started));
            out.push(change(ItemChangeKind::Started, a, b));
        }
        if was.blocked != item.blocked {
            let kind = match item.blocked {
                Some(_) => ItemChangeKind::Blocked,
                None => ItemChangeKind::Unblocked,
            };
            out.push(change(kind, was.blocked.clone(), item.blocked.clone()));
        }
        if was.owner != item.owner {
            let (a, b) = (was.owner.clone(), item.owner.clone());
            out.push(change(ItemChangeKind::Assigned, a, b));
        }
        // By id: indices differ between the two versions.
        let ids = |map: &Roadmap, after: &[usize]| {
            let ids: Vec<&str> = after.iter().map(|&j| map.items[j].id.as_str()).collect();
            (!ids.is_empty()).then(|| ids.join(", "))
        };
        let (a, b) = (ids(old, &was.after), ids(new, &item.after));
        if a != b {
            out.push(change(ItemChangeKind::Relinked, a, b));
        }
        if was.due != item.due {
            out.push(change(ItemChangeKind::Due, date(was.due), date(item.due)));
        }
    }
    for item in &old.items {
        if new.item(&item.id).is_none() {
            out.push(ItemChange {
                change: ItemChangeKind::Removed,
                id: item.id.clone(),
                title: item.title.clone(),
                track: old.tracks[item.track].id.clone(),
                before: Some(item.window.to_string()),
                after: None,
            });
        }
    }
    out
}

/// Fields of a thing as (name, value) pairs; the first is its summary.
type Fields = Vec<(&'static str, Option<String>)>;

trait Named {
    fn name(&self) -> &str;
}
impl Named for Phase {
    fn name(&self) -> &str {
        &self.name
    }
}
impl Named for Metric {
    fn name(&self) -> &str {
        &self.name
    }
}
impl Named for Alert {
    fn name(&self) -> &str {
        &self.name
    }
}

/// Changes between two lists of things with ids: added, removed, and one
/// change per field that differs (the name included).
fn by_id<'a, T: Named>(
    old: (&'a Roadmap, &'a [T]),
    new: (&'a Roadmap, &'a [T]),
    id: impl Fn(&'a T) -> &'a String,
    fields: impl Fn(&'a Roadmap, &'a T) -> Fields,
) -> Vec<Change> {
    let summary = |map, t| fields(map, t).into_iter().next().and_then(|(_, v)| v);
    let change = |change, t: &'a T, field: Option<&str>, before, after| Change {
        change,
        id: id(t).clone(),
        name: t.name().to_string(),
        field: field.map(str::to_string),
        before,
        after,
    };
    let mut out = Vec::new();
    for thing in new.1 {
        let Some(was) = old.1.iter().find(|o| id(o) == id(thing)) else {
            out.push(change(
                ChangeKind::Added,
                thing,
                None,
                None,
                summary(new.0, thing),
            ));
            continue;
        };
        if was.name() != thing.name() {
            let (b, a) = (was.name().to_string(), thing.name().to_string());
            out.push(change(
                ChangeKind::Changed,
                thing,
                Some("name"),
                Some(b),
                Some(a),
            ));
        }
        for ((field, b), (_, a)) in fields(old.0, was).into_iter().zip(fields(new.0, thing)) {
            if b != a {
                out.push(change(ChangeKind::Changed, thing, Some(field), b, a));
            }
        }
    }
    for thing in old.1 {
        if !new.1.iter().any(|n| id(n) == id(thing)) {
            out.push(change(
                ChangeKind::Removed,
                thing,
                None,
                summary(old.0, thing),
                None,
            ));
        }
    }
    out
}

fn phase_fields(_: &Roadmap, p: &Phase) -> Fields {
    vec![
        ("months", Some(p.window.to_string())),
        ("objective", p.objective.clone()),
        (
            "gate",
            Some(format!(
                "items {}",
                format_value(p.gate_items * 100.0, Unit::Percent)
            )),
        ),
    ]
}

fn metric_fields(_: &Roadmap, m: &Metric) -> Fields {
    let debug = |v: &dyn std::fmt::Debug| format!("{v:?}").to_lowercase();
    vec![
        ("unit", Some(m.unit.to_string())),
        ("better", Some(debug(&m.better))),
        ("combine", Some(debug(&m.combine))),
        ("cadence", Some(debug(&m.cadence))),
        (
            "range",
            m.range.map(|(lo, hi)| {
                format!("{}..{}", format_value(lo, m.unit), format_value(hi, m.unit))
            }),
        ),
    ]
}

fn alert_fields(map: &Roadmap, a: &Alert) -> Fields {
    let unit = a.clause_metrics.first().map(|&m| map.metrics[m].unit);
    vec![
        ("when", Some(a.condition.to_string())),
        ("severity", Some(format!("{:?}", a.severity).to_lowercase())),
        ("text", a.text.clone()),
        (
            "min_baseline",
            a.min_baseline
                .map(|v| format_value(v, unit.unwrap_or(Unit::Count))),
        ),
        ("action", a.action.map(|i| map.actions[i].id.clone())),
    ]
}

/// A target's identity: metric, phase, measure and label (targets have no
/// id), and its place among targets with the same ones.
type TargetKey = (String, Option<String>, String, Option<String>, usize);

fn target_keys(map: &Roadmap) -> Vec<(TargetKey, &TargetDef)> {
    let mut seen: HashMap<(String, Option<String>, String, Option<String>), usize> = HashMap::new();
    map.targets
        .iter()
        .map(|t| {
            let base = (
                map.metrics[t.metric].id.clone(),
                t.phase.map(|p| map.phases[p].id.clone()),
                format!("{:?}", t.measure),
                t.label.clone(),
            );
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            ((base.0, base.1, base.2, base.3, *n), t)
        })
        .collect()
}

fn target_fields(map: &Roadmap, t: &TargetDef) -> Fields {
    let unit = map.metrics[t.metric].unit;
    let shown = |target: crate::model::quantity::Target| match t.measure {
        Measure::Value => target.to_string(),
        Measure::MonthlyGrowth => format!("{target}/mo"),
        Measure::YearlyGrowth => format!("{target}/yr"),
    };
    vec![
        ("target", t.target.map(shown)),
        ("text", t.text.clone()),
        ("warn", t.warn.map(|w| w.to_string())),
        ("baseline", t.baseline.map(|b| format_value(b, unit))),
        ("window", t.span.map(|s| s.to_string())),
        (
            "combine",
            t.combine.map(|c| format!("{c:?}").to_lowercase()),
        ),
        ("from", t.from.map(|m| format!("month {m}"))),
        ("until", t.until.map(|m| format!("month {m}"))),
        ("section", t.section.clone()),
    ]
}

fn targets(old: &Roadmap, new: &Roadmap) -> Vec<TargetChange> {
    let before = target_keys(old);
    let after = target_keys(new);
    let name = |map: &Roadmap, t: &TargetDef| {
        t.label
            .clone()
            .unwrap_or_else(|| map.metrics[t.metric].name.clone())
    };
    let summary = |map: &Roadmap, t: &TargetDef| {
        let f = target_fields(map, t);
        // A qualitative target is its words.
        f[0].1.clone().or_else(|| f[1].1.clone())
    };
    let mut out = Vec::new();
    for (key, t) in &after {
        let change = |change, field: Option<&str>, before, after| TargetChange {
            change,
            metric: key.0.clone(),
            phase: key.1.clone(),
            name: name(new, t),
            field: field.map(str::to_string),
            before,
            after,
        };
        match before.iter().find(|(k, _)| k == key) {
            None => out.push(change(ChangeKind::Added, None, None, summary(new, t))),
            Some((_, was)) => {
                for ((field, b), (_, a)) in target_fields(old, was)
                    .into_iter()
                    .zip(target_fields(new, t))
                {
                    if b != a {
                        out.push(change(ChangeKind::Changed, Some(field), b, a));
                    }
                }
            }
        }
    }
    for (key, t) in &before {
        if !after.iter().any(|(k, _)| k == key) {
            out.push(TargetChange {
                change: ChangeKind::Removed,
                metric: key.0.clone(),
                phase: key.1.clone(),
                name: name(old, t),
                field: None,
                before: summary(old, t),
                after: None,
            });
        }
    }
    out
}

/// The values in force, by metric id and date, compared.
fn values(old: &Version, new: &Version) -> Vec<ValueChange> {
    let in_force = |v: &Version| -> HashMap<(String, NaiveDate), f64> {
        v.values
            .iter()
            .map(|r| ((v.map.metrics[r.metric].id.clone(), r.date), r.value))
            .collect()
    };
    let (before, after) = (in_force(old), in_force(new));
    let mut keys: BTreeMap<(NaiveDate, String), ()> = BTreeMap::new();
    for (metric, date) in before.keys().chain(after.keys()) {
        keys.insert((*date, metric.clone()), ());
    }
    let unit = |metric: &str| {
        [new.map, old.map]
            .iter()
            .find_map(|m| m.metric(metric).map(|i| m.metrics[i].unit))
            .unwrap_or(Unit::Count)
    };
    keys.into_keys()
        .filter_map(|(date, metric)| {
            let key = (metric.clone(), date);
            let (b, a) = (before.get(&key).copied(), after.get(&key).copied());
            let change = match (b, a) {
                (None, Some(_)) => ValueChangeKind::Added,
                (Some(_), None) => ValueChangeKind::Removed,
                (Some(x), Some(y)) if x.to_bits() != y.to_bits() => ValueChangeKind::Corrected,
                _ => return None,
            };
            let u = unit(&metric);
            Some(ValueChange {
                change,
                date,
                before: b,
                after: a,
                before_text: b.map(|v| format_value(v, u)),
                after_text: a.map(|v| format_value(v, u)),
                metric,
            })
        })
        .collect()
}
