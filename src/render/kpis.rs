//! Drawing the `kpis` report.

use std::fmt::Write as _;

use super::{Col, Grid, Style, Tone, plural, sparkline};
use crate::cli::Format;
use crate::eval::gate::TargetRow;
use crate::eval::kpi::TargetVerdict;
use crate::eval::kpis::Kpis;

pub fn text(k: &Kpis, format: Format, style: Style, width: usize) -> String {
    let mut out = String::new();
    let gate: Vec<&TargetRow> = k.targets.iter().filter(|t| t.phase.is_some()).collect();
    let standing = by_metric(k.targets.iter().filter(|t| t.phase.is_none()).collect());
    let heading = |out: &mut String, title: &str| {
        if format == Format::Markdown {
            let _ = writeln!(out, "### {title}\n");
        } else {
            let _ = writeln!(out, "{}", style.bold(title));
        }
    };
    if let Some(p) = &k.phase {
        heading(&mut out, &format!("Gate targets of {p} as of {}", k.as_of));
        out.push_str(&grid(&gate, true).render(format, style, width));
        out.push_str(&summary(&gate));
        // The items' forecast beside the targets' projections: a phase
        // can reach its numbers and still not finish its work.
        if let Some(f) = &k.forecast {
            let md = format == Format::Markdown;
            out.push('\n');
            out.push_str(&super::forecast::section(&[(p, f)], md, style, width));
        }
    }
    if !standing.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        heading(&mut out, &format!("Standing targets as of {}", k.as_of));
        out.push_str(&grid(&standing, false).render(format, style, width));
        out.push_str(&summary(&standing));
    }
    if out.is_empty() {
        out.push_str("No targets to show.\n");
    }
    out
}

/// Standing targets on one metric side by side, in the order each metric
/// first appears: two sections' objectives for one series (automation
/// `>= 85%` and `>= 50%`) read as such, not as a contradiction.
fn by_metric(rows: Vec<&TargetRow>) -> Vec<&TargetRow> {
    let mut order: Vec<&str> = Vec::new();
    for r in &rows {
        if !order.contains(&r.metric.as_str()) {
            order.push(&r.metric);
        }
    }
    let mut sorted = rows;
    sorted.sort_by_key(|r| order.iter().position(|m| *m == r.metric));
    sorted
}

/// The row's name, with the last part of its section when another row of
/// the table has the same name ("Retention Rate · Team Performance").
fn name_of(r: &TargetRow, rows: &[&TargetRow]) -> String {
    let twins = rows.iter().filter(|o| o.name == r.name).count();
    match (&r.section, twins) {
        (Some(section), 2..) => {
            let last = section.rsplit(" / ").next().unwrap_or(section);
            format!("{} · {last}", r.name)
        }
        _ => r.name.clone(),
    }
}

fn grid(rows: &[&TargetRow], with_projection: bool) -> Grid {
    // A qualitative target is the plan's prose: it gives way before the
    // metric's name does, but a number to reach stays whole.
    let numeric = rows
        .iter()
        .filter(|r| !r.qualitative)
        .map(|r| super::display_width(&target_text(r)))
        .max()
        .unwrap_or(0);
    let mut cols = vec![
        Col::new("Metric").flex(),
        Col::new("Target").squeeze().at_least(numeric),
        Col::new("Actual").right(),
        Col::new("%").right().optional(),
        Col::new("Verdict"),
    ];
    // From the plan's starting value to its objective ("PMF 8.5 → 9/10").
    let baselines = rows.iter().any(|r| r.baseline.is_some());
    if baselines {
        cols.push(Col::new("Progress").right().optional());
    }
    if with_projection {
        cols.push(Col::new("Projection").optional());
    }
    cols.push(Col::new("Trend").optional());
    cols.push(Col::new("Updated").optional());
    let mut g = Grid::new(&cols);
    for r in rows {
        let (verdict, tone) = verdict(r);
        let mut row = vec![
            (name_of(r, rows), Tone::Plain),
            (target_text(r), Tone::Plain),
            (
                r.actual_text.clone().unwrap_or_else(|| "–".into()),
                Tone::Plain,
            ),
            (
                r.percent_of_target
                    .map_or_else(|| "–".into(), |p| format!("{p:.0}%")),
                Tone::Plain,
            ),
            (verdict.to_string(), tone),
        ];
        if baselines {
            row.push((
                r.progress
                    .map_or_else(|| "–".into(), |p| format!("{p:.0}%")),
                Tone::Plain,
            ));
        }
        if with_projection {
            row.push(match &r.prediction {
                Some(p) if p.on_pace => (format!("{} on pace", p.value_text), Tone::Good),
                Some(p) => (format!("{} at risk", p.value_text), Tone::Warn),
                None => ("–".into(), Tone::Dim),
            });
        }
        row.push((sparkline(&r.trend), Tone::Plain));
        row.push((
            r.last.map_or_else(|| "–".into(), |d| d.to_string()),
            Tone::Dim,
        ));
        g.push(row);
    }
    g
}

/// The objective, from the plan's starting value when it has one.
fn target_text(r: &TargetRow) -> String {
    match &r.baseline_text {
        Some(b) => format!("{b} → {}", r.target),
        None => r.target.clone(),
    }
}

fn verdict(r: &TargetRow) -> (&'static str, Tone) {
    if r.qualitative {
        return ("qualitative", Tone::Dim);
    }
    verdict_word(r.verdict, r.warn)
}

/// A target's verdict in a word and a mark, with its tone; `warn`: unmet
/// but inside the warning band.
pub(super) fn verdict_word(v: TargetVerdict, warn: bool) -> (&'static str, Tone) {
    match (v, warn) {
        (TargetVerdict::Met, _) => ("✓ met", Tone::Good),
        (TargetVerdict::Unmet, true) => ("! warn", Tone::Warn),
        (TargetVerdict::Unmet, false) => ("✗ unmet", Tone::Bad),
        (TargetVerdict::NoData, _) => ("no data", Tone::Dim),
        (TargetVerdict::Stale, _) => ("stale", Tone::Warn),
        (TargetVerdict::NotDue, _) => ("not yet due", Tone::Dim),
    }
}

/// "3 met · 1 unmet · 14 no data".
fn summary(rows: &[&TargetRow]) -> String {
    let count = |v: TargetVerdict| {
        rows.iter()
            .filter(|r| !r.qualitative && r.verdict == v)
            .count()
    };
    let mut parts = vec![format!("{} met", count(TargetVerdict::Met))];
    for (v, word) in [
        (TargetVerdict::Unmet, "unmet"),
        (TargetVerdict::Stale, "stale"),
        (TargetVerdict::NoData, "no data"),
        (TargetVerdict::NotDue, "not yet due"),
    ] {
        let n = count(v);
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    let qualitative = rows.iter().filter(|r| r.qualitative).count();
    if qualitative > 0 {
        parts.push(plural(qualitative, "qualitative target"));
    }
    format!("{}\n", parts.join(" · "))
}
