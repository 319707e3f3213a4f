//! Drawing the `diff` report: a table per kind of change (items, phases,
//! metrics, targets, alerts, metric values), only those that changed, and
//! a closing count.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Col, Grid, Style, Tone};
use crate::cli::Format;
use crate::eval::diff::{
    Change, ChangeKind, Diff, ItemChange, ItemChangeKind, Rev, ValueChangeKind,
};

pub fn text(d: &Diff, format: Format, style: Style, width: usize) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    let place = match d.dir.as_str() {
        "" => String::new(),
        dir => format!(" in {dir}"),
    };
    let span = format!("{place} from {} to {}", label(&d.from), label(&d.to));
    if d.is_empty() {
        let _ = writeln!(out, "No changes to the plan{span}.");
        return out;
    }
    let _ = writeln!(out, "{}", style.bold(&format!("Changes to the plan{span}")));
    let mut section = |title: &str, grid: Grid| {
        if md {
            let _ = writeln!(out, "\n### {title}\n");
        } else {
            let _ = writeln!(out, "\n{}", style.bold(title));
        }
        out.push_str(&grid.render(format, style, width));
    };
    if !d.items.is_empty() {
        let mut g = Grid::new(&[
            Col::new("Change"),
            Col::new("ID").squeeze(),
            Col::new("Track").optional().squeeze(),
            Col::new("Item").flex(),
            Col::new("Details").flex(),
        ]);
        for c in &d.items {
            g.push(vec![
                kind_cell(&c.change, item_tone(c.change)),
                (c.id.clone(), Tone::Plain),
                (c.track.clone(), Tone::Plain),
                (c.title.clone(), Tone::Plain),
                (item_details(c), Tone::Plain),
            ]);
        }
        section("Items", g);
    }
    for (title, changes) in [("Phases", &d.phases), ("Metrics", &d.metrics)] {
        if !changes.is_empty() {
            section(title, by_id(changes));
        }
    }
    if !d.targets.is_empty() {
        let mut g = Grid::new(&[
            Col::new("Change"),
            Col::new("Metric"),
            Col::new("Phase"),
            Col::new("Name").flex().optional(),
            Col::new("Field"),
            Col::new("Before").flex(),
            Col::new("After").flex(),
        ]);
        for c in &d.targets {
            g.push(vec![
                kind_cell(&c.change, tone(c.change)),
                (c.metric.clone(), Tone::Plain),
                (
                    c.phase.clone().unwrap_or_else(|| "standing".into()),
                    Tone::Plain,
                ),
                (c.name.clone(), Tone::Plain),
                shown(&c.field),
                shown(&c.before),
                shown(&c.after),
            ]);
        }
        section("Targets", g);
    }
    if !d.alerts.is_empty() {
        section("Alerts", by_id(&d.alerts));
    }
    if !d.values.is_empty() {
        let mut g = Grid::new(&[
            Col::new("Date"),
            Col::new("Metric"),
            Col::new("Change"),
            Col::new("Before").right(),
            Col::new("After").right(),
        ]);
        for v in &d.values {
            let tone = match v.change {
                ValueChangeKind::Added => Tone::Good,
                ValueChangeKind::Corrected => Tone::Warn,
                ValueChangeKind::Removed => Tone::Bad,
            };
            g.push(vec![
                (v.date.to_string(), Tone::Plain),
                (v.metric.clone(), Tone::Plain),
                kind_cell(&v.change, tone),
                shown(&v.before_text),
                shown(&v.after_text),
            ]);
        }
        section("Metric values", g);
    }
    // Markdown joins lines anyway: one line, however long.
    let room = if md { usize::MAX } else { width };
    let _ = writeln!(out, "\n{}", summary(d, room));
    out
}

/// What an item change amounts to, in one cell: the item's title is in
/// the next column, so a retitle shows the old one.
fn item_details(c: &ItemChange) -> String {
    let before = c.before.as_deref().unwrap_or("–");
    let after = c.after.as_deref().unwrap_or("–");
    match c.change {
        ItemChangeKind::Added => format!("months {after}"),
        ItemChangeKind::Removed => format!("was in months {before}"),
        ItemChangeKind::Done => after.to_string(),
        ItemChangeKind::Reopened => format!("was done {before}"),
        ItemChangeKind::Retitled => format!("was: {before}"),
        ItemChangeKind::Unblocked => format!("was blocked: {before}"),
        ItemChangeKind::Blocked if c.before.is_none() => after.to_string(),
        ItemChangeKind::Redated
        | ItemChangeKind::Moved
        | ItemChangeKind::Started
        | ItemChangeKind::Blocked
        | ItemChangeKind::Assigned
        | ItemChangeKind::Relinked
        | ItemChangeKind::Due => format!("{before} → {after}"),
    }
}

/// Changes to things with ids: phases, metrics, alerts.
fn by_id(changes: &[Change]) -> Grid {
    let mut g = Grid::new(&[
        Col::new("Change"),
        Col::new("ID"),
        Col::new("Name").flex().optional(),
        Col::new("Field"),
        Col::new("Before").flex(),
        Col::new("After").flex(),
    ]);
    for c in changes {
        g.push(vec![
            kind_cell(&c.change, tone(c.change)),
            (c.id.clone(), Tone::Plain),
            (c.name.clone(), Tone::Plain),
            shown(&c.field),
            shown(&c.before),
            shown(&c.after),
        ]);
    }
    g
}

/// "HEAD~3", or "the working tree".
fn label(rev: &Rev) -> String {
    match &rev.rev {
        Some(r) => r.clone(),
        None => "the working tree".to_string(),
    }
}

/// A change kind as its JSON spells it.
fn spelled(kind: &impl Serialize) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn kind_cell(kind: &impl Serialize, tone: Tone) -> (String, Tone) {
    (spelled(kind), tone)
}

fn tone(kind: ChangeKind) -> Tone {
    match kind {
        ChangeKind::Added => Tone::Good,
        ChangeKind::Removed => Tone::Bad,
        ChangeKind::Changed => Tone::Warn,
    }
}

fn item_tone(kind: ItemChangeKind) -> Tone {
    match kind {
        ItemChangeKind::Added | ItemChangeKind::Done | ItemChangeKind::Unblocked => Tone::Good,
        ItemChangeKind::Removed | ItemChangeKind::Reopened | ItemChangeKind::Blocked => Tone::Bad,
        ItemChangeKind::Redated | ItemChangeKind::Retitled | ItemChangeKind::Moved => Tone::Warn,
        ItemChangeKind::Started
        | ItemChangeKind::Assigned
        | ItemChangeKind::Relinked
        | ItemChangeKind::Due => Tone::Plain,
    }
}

fn shown(text: &Option<String>) -> (String, Tone) {
    match text {
        Some(t) => (t.clone(), Tone::Plain),
        None => ("–".to_string(), Tone::Dim),
    }
}

/// "items: 2 added, 1 done · targets: 1 changed · values: 3 added", in
/// lines that fit `width`.
fn summary(d: &Diff, width: usize) -> String {
    let mut parts = Vec::new();
    let mut count = |noun: &str, kinds: Vec<String>| {
        let mut seen: Vec<(String, usize)> = Vec::new();
        for k in kinds {
            match seen.iter_mut().find(|(s, _)| *s == k) {
                Some((_, n)) => *n += 1,
                None => seen.push((k, 1)),
            }
        }
        if !seen.is_empty() {
            let counts: Vec<String> = seen.iter().map(|(k, n)| format!("{n} {k}")).collect();
            parts.push(format!("{noun}: {}", counts.join(", ")));
        }
    };
    count(
        "items",
        d.items.iter().map(|c| spelled(&c.change)).collect(),
    );
    count(
        "phases",
        d.phases.iter().map(|c| spelled(&c.change)).collect(),
    );
    count(
        "metrics",
        d.metrics.iter().map(|c| spelled(&c.change)).collect(),
    );
    count(
        "targets",
        d.targets.iter().map(|c| spelled(&c.change)).collect(),
    );
    count(
        "alerts",
        d.alerts.iter().map(|c| spelled(&c.change)).collect(),
    );
    count(
        "values",
        d.values.iter().map(|c| spelled(&c.change)).collect(),
    );
    let mut out = String::new();
    let mut line = 0;
    for part in parts {
        let len = super::display_width(&part);
        if line > 0 && line + 3 + len > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push_str(" · ");
            line += 3;
        }
        out.push_str(&part);
        line += len;
    }
    out
}
