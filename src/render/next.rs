//! Drawing the `next` report.

use std::fmt::Write as _;

use super::status::state_cell;
use super::{Col, Grid, Style, Tone, plural};
use crate::cli::Format;
use crate::eval::next::Next;

/// `me` is how to call us again, for the command suggested.
pub fn text(n: &Next, format: Format, style: Style, width: usize, me: &str) -> String {
    let mut out = String::new();
    if n.items.is_empty() {
        out.push_str("Nothing can be started now.\n");
    } else {
        let mut g = Grid::new(&[
            Col::new("ID").squeeze(),
            Col::new("Item").flex(),
            Col::new("Owner").optional().squeeze(),
            Col::new("Due"),
            Col::new("Unblocks").right(),
            Col::new("State"),
        ]);
        for r in &n.items {
            let i = &r.item;
            g.push(vec![
                (i.id.clone(), Tone::Plain),
                (format!("{}: {}", i.area, i.title), Tone::Plain),
                (i.owner.clone().unwrap_or_else(|| "–".into()), Tone::Plain),
                (i.due.to_string(), Tone::Plain),
                (r.unblocks.to_string(), Tone::Plain),
                state_cell(i),
            ]);
        }
        out.push_str(&g.render(format, style, width));
    }
    let c = &n.counts;
    let _ = writeln!(
        out,
        "\n{} to start · {} started · {} waiting · {} blocked",
        plural(n.items.len(), "item"),
        c.started,
        c.waiting,
        c.blocked
    );
    if c.blocked > 0 && format != Format::Markdown {
        let _ = writeln!(
            out,
            "{}",
            style.dim(&format!("  blocked: {me} items --state blocked"))
        );
    }
    out
}
