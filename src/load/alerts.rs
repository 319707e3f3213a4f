//! `alerts.yaml` (alert rules and automatic actions) and `risks.yaml`
//! (the contingency plan).

use std::time::Duration;

use super::decode::Ctx;
use super::yaml::{Kind, Node, Typed};
use super::{Builder, Seen};
use crate::model::actions::UrlTemplate;
use crate::model::condition::{Change, parse_condition};
use crate::model::quantity::{Unit, parse_value};
use crate::model::{Action, Alert, Risk, Severity};

pub(super) const ALERTS_FILE_KEYS: &[&str] = &["alerts", "actions"];
pub(super) const ALERT_KEYS: &[&str] = &[
    "id",
    "name",
    "severity",
    "when",
    "text",
    "min_baseline",
    "action",
];
pub(super) const ACTION_KEYS: &[&str] = &["id", "area", "title", "run", "notify", "timeout"];
/// How long a step may take when the action does not say.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest `timeout:`: a CI job has a time limit of its own, and an
/// action that needs more is a job, not an alert's reflex.
const MAX_TIMEOUT_SECS: u64 = 3600;
pub(super) const RISKS_FILE_KEYS: &[&str] = &["risks"];
pub(super) const RISK_KEYS: &[&str] = &[
    "id",
    "category",
    "name",
    "risk",
    "mitigation",
    "alerts",
    "metrics",
];
pub(super) const SEVERITY: &[(&str, Severity)] = &[
    ("critical", Severity::Critical),
    ("opportunity", Severity::Opportunity),
];

pub fn alerts(b: &mut Builder, ctx: &mut Ctx, root: &Node) {
    let Some(f) = ctx.fields(root, "alerts.yaml", ALERTS_FILE_KEYS) else {
        return;
    };
    if let Some(n) = f.get("actions") {
        for node in ctx.seq(n, "actions").unwrap_or_default() {
            action(b, ctx, node);
        }
    }
    if let Some(n) = f.get("alerts") {
        for node in ctx.seq(n, "alerts").unwrap_or_default() {
            alert(b, ctx, node);
        }
    }
}

fn action(b: &mut Builder, ctx: &mut Ctx, node: &Node) {
    let Some(f) = ctx.fields(node, "an action", ACTION_KEYS) else {
        return;
    };
    let id = f.req(ctx, "id").and_then(|n| ctx.id(n, "action id"));
    let area = f.req(ctx, "area").and_then(|n| ctx.text(n, "area"));
    let title = f.req(ctx, "title").and_then(|n| ctx.text(n, "title"));
    let run = match f.get("run") {
        Some(n) => argv(ctx, n).map(Some),
        None => Some(None),
    };
    let notify = match f.get("notify") {
        Some(n) => url(ctx, n).map(Some),
        None => Some(None),
    };
    let timeout = match f.get("timeout") {
        Some(n) => timeout(ctx, n),
        None => Some(DEFAULT_TIMEOUT),
    };
    let id = id.filter(|id| b.claim(ctx, Seen::Action, id, node.pos));
    if let (Some(id), Some(area), Some(title), Some(run), Some(notify), Some(timeout)) =
        (id, area, title, run, notify, timeout)
    {
        let at = |key: &str| f.get(key).map_or(node.pos, |n| n.pos);
        // A missing program is pointed at by its own name.
        let run_pos = match f.get("run").map(|n| &n.kind) {
            Some(Kind::Seq(items)) => items.first().map_or(at("run"), |n| n.pos),
            _ => at("run"),
        };
        b.map.actions.push(Action {
            id,
            area,
            title,
            run,
            notify,
            timeout,
            file: ctx.file.clone(),
            pos: node.pos,
            run_pos,
            notify_pos: at("notify"),
        });
    }
}

/// `run: [program, args...]`: a list, so that nothing is ever split or
/// interpreted by a shell. Arguments are taken as written (an empty one
/// included); the program must be named.
fn argv(ctx: &mut Ctx, node: &Node) -> Option<Vec<String>> {
    let hint = "write the program and its arguments as a list, e.g. \
                `run: [scripts/page-oncall.sh, --team, ops]`; it runs without a shell";
    let Kind::Seq(items) = &node.kind else {
        ctx.error(
            node.pos,
            format!("`run` should be a list, found {}", node.describe()),
            Some(hint.into()),
        );
        return None;
    };
    if items.is_empty() {
        ctx.error(node.pos, "`run` is empty", Some(hint.into()));
        return None;
    }
    let mut args = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match &item.kind {
            Kind::Scalar(s) if i > 0 || !s.text.trim().is_empty() => args.push(s.text.clone()),
            Kind::Scalar(_) | Kind::Null if i == 0 => {
                ctx.error(item.pos, "`run` names no program", Some(hint.into()));
                return None;
            }
            Kind::Null => args.push(String::new()),
            _ => {
                ctx.error(
                    item.pos,
                    format!(
                        "each item of `run` should be text, found {}",
                        item.describe()
                    ),
                    Some(hint.into()),
                );
                return None;
            }
        }
    }
    Some(args)
}

fn url(ctx: &mut Ctx, node: &Node) -> Option<UrlTemplate> {
    let text = ctx.text(node, "notify")?;
    match UrlTemplate::parse(&text) {
        Ok(t) => Some(t),
        Err(e) => {
            let pos = node.pos.shifted(ctx.src, e.at, e.len);
            ctx.error(pos, format!("`notify`: {}", e.message), e.hint);
            None
        }
    }
}

/// `timeout: 30s`, `2m`, or a number of seconds.
fn timeout(ctx: &mut Ctx, node: &Node) -> Option<Duration> {
    let secs = match &node.kind {
        Kind::Scalar(s) => match s.typed {
            Typed::Int(n) => u64::try_from(n).ok(),
            _ => {
                let t = s.text.trim();
                let (number, scale) = match t.strip_suffix('m') {
                    Some(n) => (n, 60),
                    None => (t.strip_suffix('s').unwrap_or(t), 1),
                };
                number
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .and_then(|n| n.checked_mul(scale))
            }
        },
        _ => None,
    };
    match secs {
        Some(n) if (1..=MAX_TIMEOUT_SECS).contains(&n) => Some(Duration::from_secs(n)),
        _ => {
            let found = match &node.kind {
                Kind::Scalar(s) => format!("`{}`", s.text),
                _ => node.describe().to_string(),
            };
            ctx.error(
                node.pos,
                format!("`timeout` should be from 1s to 60m, found {found}"),
                Some("write seconds or minutes: `timeout: 10s`, `timeout: 2m`".into()),
            );
            None
        }
    }
}

fn alert(b: &mut Builder, ctx: &mut Ctx, node: &Node) {
    let Some(f) = ctx.fields(node, "an alert", ALERT_KEYS) else {
        return;
    };
    let id = f.req(ctx, "id").and_then(|n| ctx.id(n, "alert id"));
    let name = f.req(ctx, "name").and_then(|n| ctx.text(n, "name"));
    let severity = f
        .req(ctx, "severity")
        .and_then(|n| ctx.choice(n, "severity", SEVERITY));
    let text = f.get("text").and_then(|n| ctx.text(n, "text"));
    let action = match f.get("action") {
        Some(n) => ctx
            .text(n, "action")
            .and_then(|a| b.resolve(ctx, Seen::Action, &a, n.pos))
            .map(Some),
        None => Some(None),
    };
    let mut ok = true;
    let mut clause_metrics = Vec::new();
    let mut clause_values = Vec::new();
    let mut change_unit = None;
    let mut has_change = false;
    let condition = f.req(ctx, "when").and_then(|n| {
        let when = ctx.text(n, "when")?;
        let cond = match parse_condition(&when) {
            Ok(c) => c,
            Err(e) => {
                let pos = n.pos.shifted(ctx.src, e.at, 1);
                ctx.error(pos, format!("condition: {}", e.message), e.hint);
                return None;
            }
        };
        has_change = cond.clauses.iter().any(|c| c.change.is_some());
        for clause in &cond.clauses {
            let at = n
                .pos
                .shifted(ctx.src, clause.metric_at, clause.metric.len());
            let Some(m) = b.resolve(ctx, Seen::Metric, &clause.metric, at) else {
                ok = false;
                continue;
            };
            let unit = match clause.change {
                Some(Change::Drop | Change::Rise) => {
                    change_unit.get_or_insert(b.map.metrics[m].unit);
                    Unit::Percent
                }
                None => b.map.metrics[m].unit,
            };
            match parse_value(&clause.value, unit) {
                Ok(v) => {
                    clause_metrics.push(m);
                    clause_values.push(v);
                }
                Err(e) => {
                    ok = false;
                    let at = n.pos.shifted(ctx.src, clause.value_at, clause.value.len());
                    ctx.error(
                        at,
                        format!("condition on `{}`: {}", clause.metric, e.message),
                        e.hint,
                    );
                }
            }
        }
        Some(cond)
    });
    let min_baseline = f.get("min_baseline").and_then(|n| {
        let text = ctx.text(n, "min_baseline")?;
        let Some(unit) = change_unit else {
            // With a drop or rise on a metric that is not known, the
            // unknown metric is the one error to report.
            if condition.is_some() && !has_change {
                ctx.error(
                    n.pos,
                    "`min_baseline` only applies to a `drop` or `rise` condition",
                    Some("remove it, or write the condition as `METRIC drop > 10% over 7d`".into()),
                );
            }
            ok = false;
            return None;
        };
        parse_value(&text, unit)
            .map_err(|e| {
                ok = false;
                ctx.error(n.pos, format!("`min_baseline`: {}", e.message), e.hint);
            })
            .ok()
    });
    let id = id.filter(|id| b.claim(ctx, Seen::Alert, id, node.pos));
    if let (Some(id), Some(name), Some(severity), Some(condition), Some(action), true) =
        (id, name, severity, condition, action, ok)
    {
        b.map.alerts.push(Alert {
            id,
            name,
            severity,
            condition,
            clause_metrics,
            clause_values,
            text,
            min_baseline,
            action,
            file: ctx.file.clone(),
            pos: node.pos,
        });
    }
}

pub fn risks(b: &mut Builder, ctx: &mut Ctx, root: &Node) {
    let Some(f) = ctx.fields(root, "risks.yaml", RISKS_FILE_KEYS) else {
        return;
    };
    let Some(n) = f.get("risks") else { return };
    for node in ctx.seq(n, "risks").unwrap_or_default() {
        let Some(f) = ctx.fields(node, "a risk", RISK_KEYS) else {
            continue;
        };
        let id = f.req(ctx, "id").and_then(|n| ctx.id(n, "risk id"));
        let category = f.get("category").and_then(|n| ctx.text(n, "category"));
        let name = f.req(ctx, "name").and_then(|n| ctx.text(n, "name"));
        let risk = f.req(ctx, "risk").and_then(|n| ctx.text(n, "risk"));
        let mitigation = f
            .req(ctx, "mitigation")
            .and_then(|n| ctx.text(n, "mitigation"));
        let alerts = links(b, ctx, f.get("alerts"), "alerts", Seen::Alert);
        let metrics = links(b, ctx, f.get("metrics"), "metrics", Seen::Metric);
        let id = id.filter(|id| b.claim(ctx, Seen::Risk, id, node.pos));
        if let (Some(id), Some(name), Some(risk), Some(mitigation)) = (id, name, risk, mitigation) {
            b.map.risks.push(Risk {
                id,
                category,
                name,
                risk,
                mitigation,
                alerts,
                metrics,
            });
        }
    }
}

fn links(b: &Builder, ctx: &mut Ctx, node: Option<&Node>, key: &str, kind: Seen) -> Vec<usize> {
    let Some(node) = node else { return Vec::new() };
    ctx.seq(node, key)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| {
            let id = ctx.text(n, key)?;
            b.resolve(ctx, kind, &id, n.pos)
        })
        .collect()
}
