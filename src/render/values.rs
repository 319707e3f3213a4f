//! Reporting what `ingest` and `record` stored (or would store).

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;

use super::{Col, Grid, Style, Tone, plural};
use crate::cli::Format;
use crate::edit::history::Plan;
use crate::model::Roadmap;
use crate::model::quantity::format_value;

/// Up to this many stored values are listed one per row, so a person can
/// check each against the snapshot they came from. Beyond it a list is a
/// wall nobody reads (a million-row ingest spent 8 of its 10 s and 2 GB
/// drawing one), so it becomes a summary per metric and the first rows.
pub const TABLE_ROWS: usize = 40;

/// How many new values, and how many corrections, a summary lists in
/// full: enough to see that the input was read as meant.
pub const FIRST_ROWS: usize = 10;

pub fn text(
    map: &Roadmap,
    plan: &Plan,
    file: &Path,
    dry_run: bool,
    style: Style,
    width: usize,
) -> String {
    let mut out = String::new();
    let n = plan.added().len() + plan.replaced().len();
    if n > TABLE_ROWS {
        out.push_str("By metric:\n");
        out.push_str(&per_metric(map, plan, style, width));
        out.push_str(if plan.replaced().len() == 0 {
            "The first values:\n"
        } else {
            "The first new values and corrections:\n"
        });
        out.push_str(&rows(map, plan, FIRST_ROWS, style, width));
        let shown = plan.added().len().min(FIRST_ROWS) + plan.replaced().len().min(FIRST_ROWS);
        let _ = writeln!(out, "… and {}", plural(n - shown, "more value"));
    } else if plan.changes() {
        out.push_str(&rows(map, plan, TABLE_ROWS, style, width));
    }
    let verb = if dry_run { "would store" } else { "stored" };
    if n == 0 {
        let _ = write!(out, "nothing new for {}", file.display());
    } else {
        let _ = write!(out, "{verb} {} in {}", plural(n, "value"), file.display());
    }
    if plan.replaced().len() > 0 {
        let _ = write!(out, " ({} replaced)", plan.replaced().len());
    }
    if plan.unchanged().len() > 0 {
        let _ = write!(
            out,
            "; {} already recorded",
            plural(plan.unchanged().len(), "value")
        );
    }
    if dry_run {
        out.push_str(" (dry run: nothing was written)");
    }
    out.push('\n');
    out
}

/// The first `limit` new values, then the first `limit` corrections, one
/// per row.
fn rows(map: &Roadmap, plan: &Plan, limit: usize, style: Style, width: usize) -> String {
    let mut g = Grid::new(&[
        Col::new("Date"),
        Col::new("Metric"),
        Col::new("Value").right(),
        Col::new("Change"),
        Col::new("From").flex(),
    ]);
    let value = |r: &crate::model::history::Row| format_value(r.value, map.metrics[r.metric].unit);
    for r in plan.added().take(limit) {
        g.push(vec![
            (r.date.to_string(), Tone::Plain),
            (map.metrics[r.metric].id.clone(), Tone::Plain),
            (value(r), Tone::Plain),
            ("new".into(), Tone::Good),
            (r.origin(), Tone::Dim),
        ]);
    }
    for (old, new) in plan.replaced().take(limit) {
        g.push(vec![
            (new.date.to_string(), Tone::Plain),
            (map.metrics[new.metric].id.clone(), Tone::Plain),
            (value(new), Tone::Plain),
            (format!("was {}", value(old)), Tone::Warn),
            (new.origin(), Tone::Dim),
        ]);
    }
    g.render(Format::Table, style, width)
}

/// What a large input did to each metric it names, in the plan's order:
/// how many values are new, replace a recorded one, or were already
/// recorded, and the dates they span.
fn per_metric(map: &Roadmap, plan: &Plan, style: Style, width: usize) -> String {
    #[derive(Default)]
    struct Tally {
        new: usize,
        replaced: usize,
        unchanged: usize,
        dates: Option<(NaiveDate, NaiveDate)>,
    }
    let mut tally: Vec<Tally> = (0..map.metrics.len()).map(|_| Tally::default()).collect();
    let mut count = |metric: usize, date: NaiveDate, what: fn(&mut Tally) -> &mut usize| {
        let t = &mut tally[metric];
        *what(t) += 1;
        t.dates = Some(match t.dates {
            Some((first, last)) => (first.min(date), last.max(date)),
            None => (date, date),
        });
    };
    for r in plan.added() {
        count(r.metric, r.date, |t| &mut t.new);
    }
    for (_, r) in plan.replaced() {
        count(r.metric, r.date, |t| &mut t.replaced);
    }
    for r in plan.unchanged() {
        count(r.metric, r.date, |t| &mut t.unchanged);
    }
    let mut g = Grid::new(&[
        Col::new("Metric").flex(),
        Col::new("New").right(),
        Col::new("Replaced").right(),
        Col::new("Already recorded").right().optional(),
        Col::new("First date"),
        Col::new("Last date"),
    ]);
    let number = |n: usize, tone: Tone| {
        if n == 0 {
            ("–".to_string(), Tone::Dim)
        } else {
            (n.to_string(), tone)
        }
    };
    for (m, t) in tally.iter().enumerate() {
        let Some((first, last)) = t.dates else {
            continue;
        };
        g.push(vec![
            (map.metrics[m].id.clone(), Tone::Plain),
            number(t.new, Tone::Good),
            number(t.replaced, Tone::Warn),
            number(t.unchanged, Tone::Plain),
            (first.to_string(), Tone::Plain),
            (last.to_string(), Tone::Plain),
        ]);
    }
    g.render(Format::Table, style, width)
}
