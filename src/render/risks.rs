//! Drawing the `risks` report: the contingency plan grouped by category,
//! each risk with its mitigation and, when active, why. The terminal form
//! is a list (wrapped to the width, so no words are lost); Markdown draws a
//! table per category.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Col, Grid, Style, Tone, wrap};
use crate::cli::Format;
use crate::eval::risks::RiskRow;

/// `risks --format json`: an object, so fields can be added beside the
/// list without breaking a script.
#[derive(serde::Serialize)]
pub struct Listing<'a> {
    pub as_of: NaiveDate,
    pub risks: &'a [RiskRow],
}

/// The heading of risks without a category.
const OTHER: &str = "Other";

pub fn text(
    rows: &[RiskRow],
    as_of: NaiveDate,
    format: Format,
    style: Style,
    width: usize,
) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    let head = header(rows, as_of);
    if md {
        let _ = writeln!(out, "## {head}");
    } else {
        let _ = writeln!(out, "{}", style.bold(&head));
    }
    for (category, risks) in by_category(rows) {
        out.push('\n');
        if md {
            let _ = writeln!(out, "### {category}\n");
            out.push_str(&grid(&risks).render(format, style, width));
            continue;
        }
        let _ = writeln!(out, "{}", style.bold(category));
        for r in risks {
            let (mark, title) = (
                if r.active { "✗" } else { "·" },
                format!("{}: {}", r.name, r.risk),
            );
            let first = wrap(&format!("  {mark} "), &title, "    ", width);
            let _ = writeln!(out, "{}", if r.active { style.red(&first) } else { first });
            let _ = writeln!(
                out,
                "{}",
                wrap("    mitigation: ", &r.mitigation, "      ", width)
            );
            for reason in &r.reasons {
                let line = wrap("    active: ", reason, "      ", width);
                let _ = writeln!(out, "{}", style.red(&line));
            }
        }
    }
    out
}

/// "Risks as of 2026-03-14: 2 of 12 active".
fn header(rows: &[RiskRow], as_of: NaiveDate) -> String {
    let head = format!("Risks as of {as_of}");
    if rows.is_empty() {
        return format!("{head}: none defined (risks.yaml)");
    }
    let active = rows.iter().filter(|r| r.active).count();
    format!("{head}: {active} of {} active", rows.len())
}

/// Risks grouped by category, categories in order of first appearance and
/// uncategorised risks last.
fn by_category(rows: &[RiskRow]) -> Vec<(&str, Vec<&RiskRow>)> {
    let mut groups: Vec<(&str, Vec<&RiskRow>)> = Vec::new();
    let mut other = Vec::new();
    for r in rows {
        let Some(c) = r.category.as_deref() else {
            other.push(r);
            continue;
        };
        match groups.iter_mut().find(|(name, _)| *name == c) {
            Some((_, list)) => list.push(r),
            None => groups.push((c, vec![r])),
        }
    }
    if !other.is_empty() {
        groups.push((OTHER, other));
    }
    groups
}

fn grid(risks: &[&RiskRow]) -> Grid {
    let mut g = Grid::new(&[
        Col::new("Risk").flex(),
        Col::new("Mitigation").flex(),
        Col::new("Active").flex(),
    ]);
    for r in risks {
        let (active, tone) = if r.active {
            (format!("✗ {}", r.reasons.join("; ")), Tone::Bad)
        } else {
            ("–".to_string(), Tone::Dim)
        };
        g.push(vec![
            (format!("{}: {}", r.name, r.risk), Tone::Plain),
            (r.mitigation.clone(), Tone::Plain),
            (active, tone),
        ]);
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_under_their_text() {
        assert_eq!(
            wrap(
                "    mitigation: ",
                "Multiple funding sources, revenue",
                "      ",
                36
            ),
            "    mitigation: Multiple funding\n      sources, revenue"
        );
        assert_eq!(wrap("  · ", "short", "    ", 80), "  · short");
    }
}
