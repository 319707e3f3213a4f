//! `kpis.yaml`: metric definitions, targets and dashboards.

use super::decode::Ctx;
use super::yaml::Node;
use super::{Builder, Seen};
use crate::model::quantity::{Better, Cmp, Target, Unit, parse_target, parse_value};
use crate::model::{Cadence, Combine, Dashboard, Measure, Metric, Panel, Span, TargetDef};

pub(super) const FILE_KEYS: &[&str] = &["metrics", "targets", "dashboards"];
pub(super) const METRIC_KEYS: &[&str] = &[
    "id", "name", "unit", "better", "combine", "cadence", "range",
];
pub(super) const TARGET_KEYS: &[&str] = &[
    "metric", "phase", "target", "warn", "label", "text", "section", "baseline", "measure",
    "window", "combine", "from", "until",
];
pub(super) const DASHBOARD_KEYS: &[&str] = &["id", "name", "cadence", "panels"];
pub(super) const PANEL_KEYS: &[&str] = &["name", "shows", "metrics"];

pub const BETTER: &[(&str, Better)] = &[("higher", Better::Higher), ("lower", Better::Lower)];
pub const COMBINE: &[(&str, Combine)] = &[
    ("latest", Combine::Latest),
    ("sum", Combine::Sum),
    ("average", Combine::Average),
];
pub const CADENCE: &[(&str, Cadence)] = &[
    ("daily", Cadence::Daily),
    ("weekly", Cadence::Weekly),
    ("monthly", Cadence::Monthly),
];
pub(super) const MEASURE: &[(&str, Measure)] = &[
    ("value", Measure::Value),
    ("monthly-growth", Measure::MonthlyGrowth),
    ("yearly-growth", Measure::YearlyGrowth),
];

pub fn kpis(b: &mut Builder, ctx: &mut Ctx, root: &Node) {
    let Some(f) = ctx.fields(root, "kpis.yaml", FILE_KEYS) else {
        return;
    };
    // Definitions first, wherever they stand in the file, so targets and
    // dashboards can refer to any metric.
    if let Some(n) = f.get("metrics") {
        for node in ctx.seq(n, "metrics").unwrap_or_default() {
            metric(b, ctx, node);
        }
    }
    if let Some(n) = f.get("targets") {
        for node in ctx.seq(n, "targets").unwrap_or_default() {
            target(b, ctx, node);
        }
    }
    if let Some(n) = f.get("dashboards") {
        for node in ctx.seq(n, "dashboards").unwrap_or_default() {
            dashboard(b, ctx, node);
        }
    }
}

fn metric(b: &mut Builder, ctx: &mut Ctx, node: &Node) {
    let Some(f) = ctx.fields(node, "a metric", METRIC_KEYS) else {
        return;
    };
    let id = f.req(ctx, "id").and_then(|n| ctx.id(n, "metric id"));
    let name = f.req(ctx, "name").and_then(|n| ctx.text(n, "name"));
    let unit = f.req(ctx, "unit").and_then(|n| {
        let text = ctx.text(n, "unit")?;
        let unit = Unit::parse(&text);
        if unit.is_none() {
            let hint = crate::diag::suggest(&text, Unit::NAMES.iter().copied())
                .unwrap_or_else(|| format!("choose one of: {}", Unit::NAMES.join(", ")));
            ctx.error(n.pos, format!("unknown unit `{text}`"), Some(hint));
        }
        unit
    });
    let better = opt_choice(ctx, &f, "better", BETTER, Better::Higher);
    let combine = opt_choice(ctx, &f, "combine", COMBINE, Combine::Latest);
    let cadence = opt_choice(ctx, &f, "cadence", CADENCE, Cadence::Monthly);
    // `None`: the key is there but wrong (reported); `Some(None)`: absent.
    let range = match (f.get("range"), unit) {
        (None, _) => Some(None),
        (Some(n), Some(unit)) => range(ctx, n, unit).map(Some),
        (Some(_), None) => None,
    };
    let id = id.filter(|id| b.claim(ctx, Seen::Metric, id, node.pos));
    if let (
        Some(id),
        Some(name),
        Some(unit),
        Some(better),
        Some(combine),
        Some(cadence),
        Some(range),
    ) = (id, name, unit, better, combine, cadence, range)
    {
        b.map.metrics.push(Metric {
            id,
            name,
            unit,
            better,
            combine,
            cadence,
            range,
        });
    }
}

/// `range: MIN..MAX`, both ends in the metric's unit (`-100..100`,
/// `0%..100%`).
fn range(ctx: &mut Ctx, node: &Node, unit: Unit) -> Option<(f64, f64)> {
    let text = ctx.text(node, "range")?;
    let example = "write it as MIN..MAX in the metric's unit, e.g. `range: -100..100`".to_string();
    let Some((lo, hi)) = text.split_once("..") else {
        ctx.error(node.pos, format!("`{text}` is not a range"), Some(example));
        return None;
    };
    let mut end = |s: &str| match parse_value(s, unit) {
        Ok(v) => Some(v),
        Err(e) => {
            ctx.error(node.pos, format!("range: {}", e.message), e.hint);
            None
        }
    };
    let (lo, hi) = (end(lo)?, end(hi)?);
    if lo >= hi {
        ctx.error(
            node.pos,
            format!("range `{text}` is empty: its start is not below its end"),
            Some(example),
        );
        return None;
    }
    Some((lo, hi))
}

fn opt_choice<T: Copy>(
    ctx: &mut Ctx,
    f: &super::decode::Fields,
    key: &str,
    options: &[(&str, T)],
    default: T,
) -> Option<T> {
    match f.get(key) {
        Some(n) => ctx.choice(n, key, options),
        None => Some(default),
    }
}

fn target(b: &mut Builder, ctx: &mut Ctx, node: &Node) {
    let Some(f) = ctx.fields(node, "a target", TARGET_KEYS) else {
        return;
    };
    let metric = f.req(ctx, "metric").and_then(|n| {
        let id = ctx.text(n, "metric")?;
        b.resolve(ctx, Seen::Metric, &id, n.pos)
    });
    let phase = match f.get("phase") {
        Some(n) => ctx
            .text(n, "phase")
            .and_then(|id| b.resolve(ctx, Seen::Phase, &id, n.pos))
            .map(Some),
        None => Some(None),
    };
    let measure = opt_choice(ctx, &f, "measure", MEASURE, Measure::Value);
    let combine = match f.get("combine") {
        Some(n) => ctx.choice(n, "combine", COMBINE).map(Some),
        None => Some(None),
    };
    let span = match f.get("window") {
        Some(n) => ctx
            .text(n, "window")
            .and_then(|text| match parse_span(&text) {
                Some(s) => Some(Some(s)),
                None => {
                    ctx.error(
                    n.pos,
                    format!("`{text}` is not a window"),
                    Some(
                        "write `phase`, `all`, `month` or a number of days from `1d` to `36500d`"
                            .into(),
                    ),
                );
                    None
                }
            }),
        None => Some(None),
    };
    let label = f.get("label").and_then(|n| ctx.text(n, "label"));
    let text = f.get("text").and_then(|n| ctx.text(n, "text"));
    let section = f.get("section").and_then(|n| ctx.text(n, "section"));
    let (Some(metric), Some(phase), Some(measure), Some(combine), Some(span)) =
        (metric, phase, measure, combine, span)
    else {
        return;
    };
    if span == Some(Span::Phase) && phase.is_none() {
        let n = f.get("window").map_or(f.pos, |n| n.pos);
        ctx.error(
            n,
            "`window: phase` needs a `phase:`",
            Some("add `phase: ID`, or use `all`, `month` or `30d`".into()),
        );
        return;
    }
    let m = &b.map.metrics[metric];
    // Growth is a rate whatever the metric counts, and more is better
    // unless the metric itself is one to shrink.
    let unit = match measure {
        Measure::Value => m.unit,
        Measure::MonthlyGrowth | Measure::YearlyGrowth => Unit::Percent,
    };
    let (better, metric_id) = (m.better, m.id.clone());
    let mut ok = true;
    let target = f.get("target").and_then(|n| {
        let text = ctx.text(n, "target")?;
        match parse_target(&text, unit, better) {
            Ok(t) => Some(t),
            Err(e) => {
                ok = false;
                ctx.error(
                    n.pos,
                    format!("target of `{metric_id}`: {}", e.message),
                    e.hint,
                );
                None
            }
        }
    });
    let warn = f.get("warn").and_then(|n| {
        let text = ctx.text(n, "warn")?;
        match parse_target(&text, unit, better) {
            Ok(w) if !looser(w, target) => {
                ok = false;
                let hint = match target.map(|t| t.cmp) {
                    Some(Cmp::Ge | Cmp::Gt) => "for a target to reach, the band is lower: e.g. `>= 80` under `>= 100`",
                    Some(Cmp::Le | Cmp::Lt) => "for a target to stay under, the band is higher: e.g. `<= $170` over `<= $150`",
                    _ => "a warning band goes with a `>=`, `>`, `<=` or `<` target",
                };
                ctx.error(
                    n.pos,
                    format!("warning band `{text}` of `{metric_id}` is not looser than its target"),
                    Some(hint.into()),
                );
                None
            }
            Ok(w) => Some(w),
            Err(e) => {
                ok = false;
                ctx.error(
                    n.pos,
                    format!("warning band of `{metric_id}`: {}", e.message),
                    e.hint,
                );
                None
            }
        }
    });
    let baseline = f.get("baseline").and_then(|n| {
        let text = ctx.text(n, "baseline")?;
        match parse_value(&text, unit) {
            Ok(v) => Some(v),
            Err(e) => {
                ok = false;
                ctx.error(
                    n.pos,
                    format!("baseline of `{metric_id}`: {}", e.message),
                    e.hint,
                );
                None
            }
        }
    });
    // `from: 12`, `until: 18`: plan months bounding when the target is due
    // ("Positive desde mes 12").
    let months = b.months;
    let mut month = |key: &str| {
        let n = f.get(key)?;
        let m = ctx.count(n, key)?;
        match months {
            Some(total) if m > total => {
                ctx.error(
                    n.pos,
                    format!("`{key}: {m}` is after the plan's last month, {total}"),
                    Some(format!("write a plan month from 1 to {total}")),
                );
                ok = false;
                None
            }
            _ => Some(m),
        }
    };
    let (from, until) = (month("from"), month("until"));
    if let (Some(a), Some(z)) = (from, until)
        && a > z
    {
        ctx.error(
            f.get("until").map_or(f.pos, |n| n.pos),
            format!("`until: {z}` is before `from: {a}`"),
            Some("a target is due from one plan month until a later one".into()),
        );
        ok = false;
    }
    if target.is_none() && text.is_none() && ok {
        ctx.error(
            f.pos,
            format!("target of `{metric_id}` has neither `target:` nor `text:`"),
            Some("write `target: >= 100`, or `text:` alone for a qualitative target".into()),
        );
        return;
    }
    if ok {
        b.map.targets.push(TargetDef {
            metric,
            phase,
            target,
            label,
            text,
            section,
            baseline,
            measure,
            span,
            combine,
            warn,
            from,
            until,
            file: ctx.file.clone(),
            pos: node.pos,
        });
    }
}

fn dashboard(b: &mut Builder, ctx: &mut Ctx, node: &Node) {
    let Some(f) = ctx.fields(node, "a dashboard", DASHBOARD_KEYS) else {
        return;
    };
    let id = f.req(ctx, "id").and_then(|n| ctx.id(n, "dashboard id"));
    let name = f.req(ctx, "name").and_then(|n| ctx.text(n, "name"));
    let cadence = f
        .req(ctx, "cadence")
        .and_then(|n| ctx.choice(n, "cadence", CADENCE));
    let mut panels = Vec::new();
    if let Some(n) = f.get("panels") {
        for p in ctx.seq(n, "panels").unwrap_or_default() {
            let Some(pf) = ctx.fields(p, "a panel", PANEL_KEYS) else {
                continue;
            };
            let name = pf.req(ctx, "name").and_then(|n| ctx.text(n, "name"));
            let shows = pf.get("shows").and_then(|n| ctx.text(n, "shows"));
            let mut metrics = Vec::new();
            if let Some(ms) = pf.get("metrics") {
                for m in ctx.seq(ms, "metrics").unwrap_or_default() {
                    if let Some(id) = ctx.text(m, "metrics")
                        && let Some(i) = b.resolve(ctx, Seen::Metric, &id, m.pos)
                    {
                        metrics.push(i);
                    }
                }
            }
            if let Some(name) = name {
                panels.push(Panel {
                    name,
                    shows,
                    metrics,
                });
            }
        }
    }
    let id = id.filter(|id| b.claim(ctx, Seen::Dashboard, id, node.pos));
    if let (Some(id), Some(name), Some(cadence)) = (id, name, cadence) {
        b.map.dashboards.push(Dashboard {
            id,
            name,
            cadence,
            panels,
        });
    }
}

/// Whether `band` is a warning band for `target`: the same direction and
/// easier to meet, so a value inside it misses the target only narrowly.
pub(super) fn looser(band: Target, target: Option<Target>) -> bool {
    let Some(t) = target else { return false };
    match (t.cmp, band.cmp) {
        (Cmp::Ge | Cmp::Gt, Cmp::Ge | Cmp::Gt) => band.value < t.value,
        (Cmp::Le | Cmp::Lt, Cmp::Le | Cmp::Lt) => band.value > t.value,
        _ => false,
    }
}

/// `phase`, `all`, `month` or `Nd`.
fn parse_span(text: &str) -> Option<Span> {
    match text.trim() {
        "phase" => Some(Span::Phase),
        "all" => Some(Span::All),
        "month" => Some(Span::Month),
        t => {
            // Up to a hundred years: longer is `all`.
            let days: u32 = t.strip_suffix('d')?.trim().parse().ok()?;
            (1..=36_500).contains(&days).then_some(Span::Days(days))
        }
    }
}
