//! Reporting what `ingest` and `record` stored (or would store).

use std::fmt::Write as _;
use std::path::Path;

use super::{Col, Grid, Style, Tone, plural};
use crate::cli::Format;
use crate::edit::history::Plan;
use crate::model::Roadmap;
use crate::model::quantity::format_value;

pub fn text(
    map: &Roadmap,
    plan: &Plan,
    file: &Path,
    dry_run: bool,
    style: Style,
    width: usize,
) -> String {
    let mut out = String::new();
    let mut g = Grid::new(&[
        Col::new("Date"),
        Col::new("Metric"),
        Col::new("Value").right(),
        Col::new("Change"),
        Col::new("From").flex(),
    ]);
    let value = |r: &crate::model::history::Row| format_value(r.value, map.metrics[r.metric].unit);
    for r in &plan.added {
        g.push(vec![
            (r.date.to_string(), Tone::Plain),
            (map.metrics[r.metric].id.clone(), Tone::Plain),
            (value(r), Tone::Plain),
            ("new".into(), Tone::Good),
            (r.origin(), Tone::Dim),
        ]);
    }
    for (old, new) in &plan.replaced {
        g.push(vec![
            (new.date.to_string(), Tone::Plain),
            (map.metrics[new.metric].id.clone(), Tone::Plain),
            (value(new), Tone::Plain),
            (format!("was {}", value(old)), Tone::Warn),
            (new.origin(), Tone::Dim),
        ]);
    }
    if plan.changes() {
        out.push_str(&g.render(Format::Table, style, width));
    }
    let verb = if dry_run { "would store" } else { "stored" };
    let n = plan.added.len() + plan.replaced.len();
    if n == 0 {
        let _ = write!(out, "nothing new for {}", file.display());
    } else {
        let _ = write!(out, "{verb} {} in {}", plural(n, "value"), file.display());
    }
    if !plan.replaced.is_empty() {
        let _ = write!(out, " ({} replaced)", plan.replaced.len());
    }
    if !plan.unchanged.is_empty() {
        let _ = write!(
            out,
            "; {} already recorded",
            plural(plan.unchanged.len(), "value")
        );
    }
    if dry_run {
        out.push_str(" (dry run: nothing was written)");
    }
    out.push('\n');
    out
}
