//! The `portfolio` report: one small row per member plan, drawn from the
//! member's own `status`, `check`, `kpis`, `alerts` and `risks` reports,
//! and a total. A row is all that is kept of a member, so a portfolio of
//! many plans holds one plan in memory per worker, not all of them; for
//! the company-level KPIs it keeps one [`Share`] per metric they combine.
//!
//! A company KPI combines the members' current values of a metric (as
//! `dashboard` reads them, at the metric's own cadence) by sum, average,
//! min or max, from the members that have a fresh value: one with none
//! yet, or only a stale one, is not reporting, and the KPI says how many
//! are. Its target is judged as a plan's is: met, unmet (inside the
//! warning band, it only warns), no data when no member reports, stale
//! when every value there is is stale.

use chrono::NaiveDate;
use serde::Serialize;

use super::Position;
use super::check::{Check, check};
use super::dashboard::current;
use super::gate::GateVerdict;
use super::kpi::{TargetVerdict, stale};
use super::status::Verdict;
use crate::diag::closest;
use crate::model::history::History;
use crate::model::portfolio::{CompanyKpi, Op, Share};
use crate::model::quantity::{Unit, format_value};
use crate::model::{Place, Roadmap, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    /// The portfolio's `name:`, if it has one.
    pub name: Option<String>,
    pub as_of: NaiveDate,
    /// No member's due gate fails, no critical alert fires, every member
    /// loaded, and no company KPI misses its target (outside its warning
    /// band).
    pub ok: bool,
    pub members: Vec<Row>,
    /// Members that failed to load, with their problems.
    pub broken: Vec<Broken>,
    pub total: Total,
    /// The company-level KPIs of portfolio.yaml, in its order.
    pub company_kpis: Vec<CompanyRow>,
}

/// One member plan as of the date.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The member's folder, as given.
    pub path: String,
    pub plan: String,
    pub month: i64,
    pub months: u32,
    pub position: Position,
    /// The phase holding the date (null before, after, or in a gap).
    pub phase: Option<PhaseName>,
    pub items: Items,
    /// The last gate that fell due, with its verdict.
    pub last_gate: Option<LastGate>,
    /// The next gate to fall due.
    pub next_gate: Option<NextGate>,
    /// The numeric targets of `roadmap kpis` (the current phase's gate,
    /// then the standing ones): how many are met.
    pub kpis: Met,
    pub alerts: Alerts,
    pub risks: Risks,
    /// What `roadmap check` says of the member.
    pub check_ok: bool,
    /// What the member says of each metric the company KPIs combine.
    #[serde(skip)]
    pub shares: Vec<Share>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseName {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Items {
    pub done: usize,
    pub total: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LastGate {
    pub phase: String,
    pub due: NaiveDate,
    /// `pass`, `warn` or `fail`.
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextGate {
    pub phase: String,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Met {
    pub met: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Alerts {
    pub firing: usize,
    pub critical: usize,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Risks {
    pub active: usize,
    pub total: usize,
}

/// A member that did not load.
#[derive(Debug, Clone, Serialize)]
pub struct Broken {
    pub path: String,
    /// Each problem as `file:line:col: message`.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Total {
    pub members: usize,
    pub broken: usize,
    pub items: Items,
    /// Members whose last due gate failed.
    pub gates_failed: usize,
    pub kpis: Met,
    pub alerts: Alerts,
    pub risks: Risks,
}

/// A company KPI as of the date.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyRow {
    pub id: String,
    pub name: String,
    pub metric: String,
    pub op: Op,
    /// The members' unit for the metric (`usd`, `percent`, ...); null when
    /// no member that loaded defines it.
    #[serde(serialize_with = "unit_text")]
    pub unit: Option<Unit>,
    /// The target as a person reads it (`>= $200K`); null without one.
    pub target: Option<String>,
    /// The warning band, if the KPI has one.
    pub band: Option<String>,
    /// The company's value, from the members reporting; null when none is.
    pub value: Option<f64>,
    pub value_text: Option<String>,
    /// `met`, `unmet`, `no-data` (no member reporting) or `stale` (only
    /// stale values); null without a target.
    pub verdict: Option<TargetVerdict>,
    /// Unmet but inside the warning band.
    pub warn: bool,
    /// How many members have a fresh value, out of `members` (those that
    /// did not load count, and do not report).
    pub reporting: usize,
    pub members: usize,
    /// How many members' newest value is stale.
    pub stale: usize,
    /// Each member that loaded, in member order, with what it contributes.
    pub values: Vec<MemberValue>,
    /// Where the KPI is written in portfolio.yaml.
    #[serde(skip)]
    pub place: Place,
}

/// One member's current value of a company KPI's metric.
#[derive(Debug, Clone, Serialize)]
pub struct MemberValue {
    pub path: String,
    pub plan: String,
    /// Null when the member has no value yet.
    pub value: Option<f64>,
    pub value_text: Option<String>,
    /// The newest day the value was read from.
    pub date: Option<NaiveDate>,
    /// Too old to count (older than the metric's cadence).
    pub stale: bool,
}

impl CompanyRow {
    /// Unmet outside any warning band: what fails `portfolio check`. No
    /// data, or only stale data, does not: a KPI no team reports yet is
    /// not a miss, and it shows as such.
    pub fn fails(&self) -> bool {
        self.verdict == Some(TargetVerdict::Unmet) && !self.warn
    }

    /// The member the min or max comes from.
    pub fn extreme(&self) -> Option<&MemberValue> {
        if !matches!(self.op, Op::Min | Op::Max) {
            return None;
        }
        let value = self.value?;
        self.values
            .iter()
            .find(|v| !v.stale && v.value == Some(value))
    }
}

fn unit_text<S: serde::Serializer>(unit: &Option<Unit>, s: S) -> Result<S::Ok, S::Error> {
    match unit {
        Some(u) => s.collect_str(u),
        None => s.serialize_none(),
    }
}

/// One member's row, and its `check` report (for annotations). `metrics`
/// are the ids the company KPIs combine: the row keeps a [`Share`] of each.
pub fn row(
    path: String,
    map: &Roadmap,
    history: &History,
    as_of: NaiveDate,
    metrics: &[String],
) -> (Row, Check) {
    // Only what the row shows: the whole `status` (a gate per phase, the
    // focus rows, the forecasts, the alerts once more) was a sixth of a
    // member's time, for a name and four counts.
    let (month, position) = super::position(map, as_of);
    let phase = u32::try_from(month)
        .ok()
        .and_then(|m| map.phase_of_month(m))
        .filter(|_| position == Position::During)
        .map(|p| &map.phases[p]);
    let mut counts = super::Counts::default();
    for item in &map.items {
        counts.add_item(map, item, as_of);
    }
    let c = check(map, history, None, as_of);
    let k = super::kpis::kpis(map, history, None, as_of);
    let alerts = super::alerts::evaluate(map, history, as_of);
    let risks = super::risks::evaluate(map, history, &alerts, as_of);
    let last_gate = c.gates.last().map(|g| LastGate {
        phase: g.phase.clone(),
        due: g.end,
        verdict: match g.verdict {
            GateVerdict::Pass => Verdict::Pass,
            GateVerdict::Warn => Verdict::Warn,
            GateVerdict::Fail => Verdict::Fail,
        },
    });
    let numeric = || k.targets.iter().filter(|t| !t.qualitative);
    let row = Row {
        path,
        plan: map.name.clone(),
        month,
        months: map.months,
        position,
        phase: phase.map(|p| PhaseName {
            id: p.id.clone(),
            name: p.name.clone(),
        }),
        items: Items {
            done: counts.done,
            total: counts.total,
            overdue: counts.overdue,
        },
        last_gate,
        next_gate: c.next.as_ref().map(|n| NextGate {
            phase: n.phase.clone(),
            due: n.due,
        }),
        kpis: Met {
            met: numeric()
                .filter(|t| t.verdict == TargetVerdict::Met)
                .count(),
            total: numeric().count(),
        },
        alerts: Alerts {
            firing: c.alerts.len(),
            critical: c
                .alerts
                .iter()
                .filter(|a| a.severity == Severity::Critical)
                .count(),
        },
        risks: Risks {
            active: risks.iter().filter(|r| r.active).count(),
            total: risks.len(),
        },
        check_ok: c.ok,
        shares: metrics
            .iter()
            .map(|id| share(map, history, id, as_of))
            .collect(),
    };
    (row, c)
}

/// What `map` says of metric `id` as of the date.
fn share(map: &Roadmap, history: &History, id: &str, as_of: NaiveDate) -> Share {
    let Some(index) = map.metric(id) else {
        let ids = map.metrics.iter().map(|m| m.id.as_str());
        return Share::Missing {
            near: closest(id, ids).map(String::from),
        };
    };
    let m = &map.metrics[index];
    let reading = current(history, m, index, m.cadence, as_of);
    Share::Defined {
        unit: m.unit,
        better: m.better,
        value: reading.map(|r| r.value),
        date: reading.map(|r| r.to),
        stale: reading.is_some_and(|r| stale(m, r.to, as_of)),
    }
}

/// The company KPIs over the members' rows; `members` counts every member,
/// those that did not load too.
pub fn company(kpis: &[CompanyKpi], rows: &[Row], members: usize) -> Vec<CompanyRow> {
    kpis.iter().map(|k| company_row(k, rows, members)).collect()
}

fn company_row(k: &CompanyKpi, rows: &[Row], members: usize) -> CompanyRow {
    let shown = |v: f64| k.unit.map_or_else(|| v.to_string(), |u| format_value(v, u));
    let mut values = Vec::new();
    let mut fresh = Vec::new();
    for r in rows {
        let Some(Share::Defined {
            value, date, stale, ..
        }) = r.shares.get(k.slot)
        else {
            continue;
        };
        if let (Some(v), false) = (value, stale) {
            fresh.push(*v);
        }
        values.push(MemberValue {
            path: r.path.clone(),
            plan: r.plan.clone(),
            value: *value,
            value_text: value.map(shown),
            date: *date,
            stale: *stale,
        });
    }
    let stale = values.iter().filter(|v| v.stale).count();
    let value = k.op.apply(&fresh);
    let verdict = match (k.target, value) {
        (Some(t), Some(v)) if t.met_by(v) => Some(TargetVerdict::Met),
        (Some(_), Some(_)) => Some(TargetVerdict::Unmet),
        (Some(_), None) if stale > 0 => Some(TargetVerdict::Stale),
        (Some(_), None) => Some(TargetVerdict::NoData),
        // A target no member could type (none loaded) has nothing to judge.
        (None, _) if k.target_text.is_some() => Some(TargetVerdict::NoData),
        (None, _) => None,
    };
    let warn = verdict == Some(TargetVerdict::Unmet)
        && k.warn.zip(value).is_some_and(|(w, v)| w.met_by(v));
    CompanyRow {
        id: k.id.clone(),
        name: k.name.clone(),
        metric: k.metric.clone(),
        op: k.op,
        unit: k.unit,
        target: k
            .target
            .map(|t| t.to_string())
            .or_else(|| k.target_text.clone()),
        band: k.warn.map(|w| w.to_string()),
        value,
        value_text: value.map(shown),
        verdict,
        warn,
        reporting: fresh.len(),
        members,
        stale,
        values,
        place: k.place.clone(),
    }
}

/// The report over the members' rows, in member order.
pub fn portfolio(
    name: Option<String>,
    as_of: NaiveDate,
    members: Vec<Row>,
    broken: Vec<Broken>,
    kpis: &[CompanyKpi],
) -> Portfolio {
    let mut total = Total {
        members: members.len() + broken.len(),
        broken: broken.len(),
        ..Total::default()
    };
    for r in &members {
        total.items.done += r.items.done;
        total.items.total += r.items.total;
        total.items.overdue += r.items.overdue;
        total.gates_failed += usize::from(
            r.last_gate
                .as_ref()
                .is_some_and(|g| g.verdict == Verdict::Fail),
        );
        total.kpis.met += r.kpis.met;
        total.kpis.total += r.kpis.total;
        total.alerts.firing += r.alerts.firing;
        total.alerts.critical += r.alerts.critical;
        total.risks.active += r.risks.active;
        total.risks.total += r.risks.total;
    }
    let company_kpis = company(kpis, &members, total.members);
    Portfolio {
        name,
        as_of,
        ok: broken.is_empty()
            && members.iter().all(|r| r.check_ok)
            && !company_kpis.iter().any(CompanyRow::fails),
        members,
        broken,
        total,
        company_kpis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;
    use crate::model::quantity::{Better, Cmp, Target};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn member(path: &str, share: Share) -> Row {
        Row {
            path: path.into(),
            plan: format!("Plan {path}"),
            month: 1,
            months: 12,
            position: Position::During,
            phase: None,
            items: Items::default(),
            last_gate: None,
            next_gate: None,
            kpis: Met::default(),
            alerts: Alerts::default(),
            risks: Risks::default(),
            check_ok: true,
            shares: vec![share],
        }
    }

    fn value(v: Option<f64>, stale: bool) -> Share {
        Share::Defined {
            unit: Unit::Usd,
            better: Better::Higher,
            value: v,
            date: v.map(|_| d("2026-03-01")),
            stale,
        }
    }

    fn kpi(op: Op, target: f64, warn: Option<f64>) -> CompanyKpi {
        let ge = |value| Target {
            cmp: Cmp::Ge,
            value,
            unit: Unit::Usd,
        };
        CompanyKpi {
            id: "k".into(),
            name: "k".into(),
            metric: "revenue".into(),
            op,
            slot: 0,
            unit: Some(Unit::Usd),
            target: Some(ge(target)),
            warn: warn.map(ge),
            target_text: None,
            place: Place::new(std::path::Path::new("portfolio.yaml"), Pos::default()),
        }
    }

    #[test]
    fn only_fresh_values_count_and_the_kpi_says_how_many_report() {
        let rows = [
            member("a", value(Some(10.0), false)),
            member("b", value(Some(30.0), false)),
            member("c", value(Some(1000.0), true)),
            member("d", value(None, false)),
        ];
        // Five members: one did not load.
        let k = company_row(&kpi(Op::Sum, 50.0, None), &rows, 5);
        assert_eq!(k.value, Some(40.0));
        assert_eq!((k.reporting, k.members, k.stale), (2, 5, 1));
        assert_eq!(k.verdict, Some(TargetVerdict::Unmet));
        assert!(k.fails());
        assert_eq!(k.values.len(), 4);
        let avg = company_row(&kpi(Op::Average, 20.0, None), &rows, 5);
        assert_eq!(avg.value, Some(20.0));
        assert_eq!(avg.verdict, Some(TargetVerdict::Met));
        let min = company_row(&kpi(Op::Min, 0.0, None), &rows, 5);
        assert_eq!(min.extreme().map(|m| m.path.as_str()), Some("a"));
        let max = company_row(&kpi(Op::Max, 0.0, None), &rows, 5);
        // The stale 1000 is no maximum.
        assert_eq!(max.extreme().map(|m| m.path.as_str()), Some("b"));
        assert_eq!(avg.extreme().map(|m| m.path.as_str()), None);
    }

    #[test]
    fn no_value_is_no_data_only_stale_ones_is_stale_and_neither_fails() {
        let none = [member("a", value(None, false))];
        let k = company_row(&kpi(Op::Sum, 50.0, None), &none, 1);
        assert_eq!((k.value, k.verdict), (None, Some(TargetVerdict::NoData)));
        assert!(!k.fails());
        let old = [member("a", value(Some(99.0), true))];
        let k = company_row(&kpi(Op::Sum, 50.0, None), &old, 1);
        assert_eq!((k.value, k.verdict), (None, Some(TargetVerdict::Stale)));
        assert!(!k.fails());
    }

    #[test]
    fn with_no_member_loaded_a_written_target_has_no_data() {
        let mut k = kpi(Op::Sum, 50.0, None);
        (k.unit, k.target, k.target_text) = (None, None, Some(">= 50".into()));
        let row = company_row(&k, &[], 2);
        assert_eq!(row.verdict, Some(TargetVerdict::NoData));
        assert_eq!((row.target.as_deref(), row.reporting), (Some(">= 50"), 0));
        k.target_text = None;
        assert_eq!(company_row(&k, &[], 2).verdict, None);
    }

    #[test]
    fn a_miss_inside_the_warning_band_warns_and_does_not_fail() {
        let rows = [member("a", value(Some(45.0), false))];
        let k = company_row(&kpi(Op::Sum, 50.0, Some(40.0)), &rows, 1);
        assert_eq!(k.verdict, Some(TargetVerdict::Unmet));
        assert!(k.warn && !k.fails());
        let k = company_row(&kpi(Op::Sum, 50.0, Some(46.0)), &rows, 1);
        assert!(!k.warn && k.fails());
        // And `ok` follows: a failing company KPI fails the portfolio.
        let kpis = [kpi(Op::Sum, 50.0, Some(46.0))];
        let p = portfolio(None, d("2026-03-01"), rows.to_vec(), vec![], &kpis);
        assert!(!p.ok);
        let kpis = [kpi(Op::Sum, 50.0, Some(40.0))];
        let p = portfolio(None, d("2026-03-01"), rows.to_vec(), vec![], &kpis);
        assert!(p.ok);
    }
}
