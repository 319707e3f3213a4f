//! Drawing the `dashboard` report. On a terminal each dashboard is one
//! table, so its columns line up from panel to panel, with each panel's
//! name and the plan's words for it on a line of their own above its rows.
//! Markdown cannot break a table with such lines, so there the panel is a
//! column.

use std::fmt::Write as _;

use super::{Col, Grid, Style, Tone, sparkline, truncate};
use crate::cli::Format;
use crate::eval::dashboard::{DashboardView, MetricView, PanelView, Report};
use crate::eval::kpi::TargetVerdict;
use crate::model::quantity::Better;
use crate::model::{Cadence, Measure};

/// `cadence` is the `--cadence` asked for, to say why nothing is shown.
pub fn text(
    r: &Report,
    format: Format,
    style: Style,
    width: usize,
    cadence: Option<Cadence>,
) -> String {
    if r.dashboards.is_empty() {
        return match cadence {
            Some(c) => format!(
                "No dashboard is updated {}; `roadmap dashboard` shows them all.\n",
                word(c)
            ),
            None => "No dashboards: add `dashboards:` to kpis.yaml.\n".into(),
        };
    }
    let mut out = String::new();
    for (i, d) in r.dashboards.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        dashboard(&mut out, d, r, format, style, width);
    }
    out
}

fn dashboard(
    out: &mut String,
    d: &DashboardView,
    r: &Report,
    format: Format,
    style: Style,
    width: usize,
) {
    let md = format == Format::Markdown;
    let (name, id) = (one_line(&d.name), one_line(&d.id));
    let updated = format!("updated {} · as of {}", word(d.cadence), r.as_of);
    if md {
        let _ = writeln!(out, "### {name} (`{id}`) · {updated}\n");
    } else {
        let title = truncate(&format!("{name} ({id}) · {updated}"), width);
        let _ = writeln!(out, "{}", style.bold(&title));
    }
    if d.panels.is_empty() {
        let _ = writeln!(out, "No panels.");
        return;
    }
    let delta = match d.cadence {
        Cadence::Daily => "Δ day",
        Cadence::Weekly => "Δ week",
        Cadence::Monthly => "Δ month",
    };
    let mut cols = Vec::new();
    if md {
        cols.push(Col::new("Panel"));
    }
    cols.extend([
        Col::new("Metric").flex(),
        Col::new("Value").right(),
        Col::new(delta).right(),
        Col::new("Trend"),
        Col::new("Target"),
        Col::new("Updated"),
    ]);
    let mut g = Grid::new(&cols);
    // How many rows each panel has, to put its heading above them.
    let mut counts = Vec::new();
    for p in &d.panels {
        let mut first = true;
        let mut panel_cell = || {
            let cell = if std::mem::take(&mut first) {
                panel_title(p, "**", "**")
            } else {
                String::new()
            };
            (cell, Tone::Plain)
        };
        let rows: Vec<Vec<(String, Tone)>> = match (p.metrics.is_empty(), md) {
            // On a terminal the panel's heading line says it, rather than
            // a row that would widen the Metric column for every panel.
            (true, false) => Vec::new(),
            (true, true) => {
                let mut row = vec![(NO_METRIC.to_string(), Tone::Dim)];
                row.extend(std::iter::repeat_n((String::new(), Tone::Plain), 5));
                vec![row]
            }
            (false, _) => p.metrics.iter().map(|m| metric_row(m, r)).collect(),
        };
        counts.push(rows.len());
        for mut row in rows {
            if md {
                row.insert(0, panel_cell());
            }
            g.push(row);
        }
    }
    let table = g.render(format, style, width);
    if md {
        out.push_str(&table);
        return;
    }
    let mut lines = table.lines();
    // Column headings over no rows (every panel unlinked) would say nothing.
    if let Some(header) = lines.next().filter(|_| counts.iter().any(|&n| n > 0)) {
        let _ = writeln!(out, "{header}");
    }
    for (p, n) in d.panels.iter().zip(counts) {
        let _ = writeln!(out, "{}", panel_line(p, style, width));
        if p.metrics.is_empty() {
            let _ = writeln!(out, " {}", style.dim(NO_METRIC));
        }
        for line in lines.by_ref().take(n) {
            let _ = writeln!(out, "{line}");
        }
    }
}

const NO_METRIC: &str = "no metric linked";

fn metric_row(m: &MetricView, r: &Report) -> Vec<(String, Tone)> {
    let dash = || ("–".to_string(), Tone::Dim);
    vec![
        (one_line(&m.name), Tone::Plain),
        m.value_text.clone().map_or_else(dash, |v| (v, Tone::Plain)),
        m.change_pct.map_or_else(dash, |pct| change(pct, m.better)),
        (sparkline(&m.trend), Tone::Plain),
        target(m),
        updated(m, r),
    ]
}

/// `+23.2%`, `-4%`, `0%`, coloured by whether it is good news.
fn change(pct: f64, better: Better) -> (String, Tone) {
    let text = format!("{pct:+.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    if text == "+0" || text == "-0" {
        return ("0%".into(), Tone::Plain);
    }
    let text = format!("{text}%");
    let good = (pct > 0.0) == (better == Better::Higher);
    (text, if good { Tone::Good } else { Tone::Bad })
}

/// The target with its verdict: `✓` met, `✗` unmet, `!` unmet inside its
/// warning band, `–` not judged. The value the verdict rests on follows in
/// brackets when it is not the value shown (a gate target judges its
/// phase so far; a growth target a growth rate).
fn target(m: &MetricView) -> (String, Tone) {
    let Some(t) = &m.target else {
        return ("–".into(), Tone::Dim);
    };
    // A growth rate says it is one, as its target does: `(+13.67%)`.
    let sign = match (t.measure, t.actual) {
        (Measure::Value, _) => "",
        (_, Some(a)) if a > 0.0 => "+",
        _ => "",
    };
    let judged_on = match &t.actual_text {
        Some(a) if m.value_text.as_ref() != Some(a) => format!(" ({sign}{a})"),
        _ => String::new(),
    };
    let (mark, tone) = match (t.verdict, t.warn) {
        (TargetVerdict::Met, _) => ("✓", Tone::Good),
        (TargetVerdict::Unmet, false) => ("✗", Tone::Bad),
        (TargetVerdict::Unmet, true) => ("!", Tone::Warn),
        (TargetVerdict::NoData | TargetVerdict::Stale | TargetVerdict::NotDue, _) => {
            // Say why, unless the row says it already (no value, or a
            // stale one).
            let why = match t.verdict {
                _ if m.value.is_none() || m.stale => "",
                TargetVerdict::NoData => " (no data)",
                TargetVerdict::Stale => " (stale)",
                _ => " (not yet due)",
            };
            return (format!("– {}{why}", t.target), Tone::Dim);
        }
    };
    (format!("{mark} {}{judged_on}", t.target), tone)
}

/// `today`, `3d ago`, `12d ago, stale`, `no data`.
fn updated(m: &MetricView, r: &Report) -> (String, Tone) {
    let Some(last) = m.last else {
        return ("no data".into(), Tone::Dim);
    };
    let ago = match (r.as_of - last).num_days() {
        0 => "today".to_string(),
        n => format!("{n}d ago"),
    };
    if m.stale {
        (format!("{ago}, stale"), Tone::Warn)
    } else {
        (ago, Tone::Plain)
    }
}

/// "Revenue: MRR, ARR, growth rate", the name wrapped in `open`/`close`.
fn panel_title(p: &PanelView, open: &str, close: &str) -> String {
    let name = one_line(&p.name);
    match &p.shows {
        Some(s) => format!("{open}{name}{close}: {}", one_line(s)),
        None => format!("{open}{name}{close}"),
    }
}

/// A panel's heading line on a terminal, its name in bold, cut to fit.
fn panel_line(p: &PanelView, style: Style, width: usize) -> String {
    let line = truncate(&panel_title(p, "", ""), width);
    let name = one_line(&p.name).chars().count();
    let split = line.char_indices().nth(name).map_or(line.len(), |(i, _)| i);
    format!("{}{}", style.bold(&line[..split]), &line[split..])
}

/// The plan's text on one line, control characters shown, not obeyed.
fn one_line(text: &str) -> String {
    crate::diag::visible(text)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn word(c: Cadence) -> &'static str {
    match c {
        Cadence::Daily => "daily",
        Cadence::Weekly => "weekly",
        Cadence::Monthly => "monthly",
    }
}
