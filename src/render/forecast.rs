//! The forecast's words, the same in `status`, `kpis` and `check`: one
//! line per phase ("f2 finishes ~2026-12-20 (needs 3.1 items/week, doing
//! 2.4)"), and a second naming the chain when the chain sets the date.

use std::fmt::Write as _;

use super::{Style, plural, wrap};
use crate::eval::forecast::{Bound, Forecast};

/// "Forecast at the pace of the last 8 weeks (advice, not a gate)", then
/// each phase's lines; nothing when no phase has a forecast. Markdown is a
/// paragraph and a list, with the blank lines a list needs.
pub fn section(phases: &[(&str, &Forecast)], md: bool, style: Style, width: usize) -> String {
    let Some((_, first)) = phases.first() else {
        return String::new();
    };
    let mut out = String::new();
    let head = format!(
        "Forecast at the pace of the last {} (advice, not a gate)",
        plural(first.weeks as usize, "week")
    );
    if md {
        let _ = writeln!(out, "{head}:\n");
    } else {
        for line in wrap("", &head, "  ", width).lines() {
            let _ = writeln!(out, "{}", style.bold(line));
        }
    }
    for (id, f) in phases {
        out.push_str(&lines(id, f, md, style, width));
    }
    out
}

/// One phase's forecast: its line, and the chain's when the chain bounds
/// it. In text each is indented two and wrapped to `width`; in Markdown
/// each is a list item.
pub fn lines(id: &str, f: &Forecast, md: bool, style: Style, width: usize) -> String {
    let (bullet, more) = if md { ("- ", "  - ") } else { ("  ", "      ") };
    let mut out = String::new();
    let date = f.finish.map(|d| match d {
        chrono::NaiveDate::MAX => "never at this pace".to_string(),
        d => format!("~{d}"),
    });
    let text = match (&date, f.needs) {
        (None, Some(needs)) => format!(
            "{id}: no finish in sight, none done in {} (needs {} items/week)",
            plural(f.weeks as usize, "week"),
            rate(needs)
        ),
        (None, None) => format!(
            "{id}: no finish in sight, none done in {} ({} open past its end)",
            plural(f.weeks as usize, "week"),
            f.open
        ),
        (Some(date), Some(needs)) => format!(
            "{id} finishes {date} (needs {} items/week, doing {})",
            rate(needs),
            rate(f.pace)
        ),
        (Some(date), None) => format!(
            "{id} finishes {date} ({} open past its end, doing {} items/week)",
            f.open,
            rate(f.pace)
        ),
    };
    let mut line = if md {
        format!("{bullet}{text}\n")
    } else {
        wrap(bullet, &text, &format!("{bullet}  "), width) + "\n"
    };
    // Late is the one fact worth colour: the date past the phase's end.
    if let Some(date) = &date
        && f.late_days.is_some_and(|d| d > 0)
    {
        line = line.replacen(date.as_str(), &style.yellow(date), 1);
    }
    out.push_str(&line);
    if f.bound == Bound::Chain {
        let n = f.chain.items.len();
        let text = format!(
            "held by a chain of {}, ~{} each: {}",
            plural(n, "open item"),
            plural(f.chain.days_per_item as usize, "day"),
            chain(&f.chain.items)
        );
        if md {
            let _ = writeln!(out, "{more}{text}");
        } else {
            let _ = writeln!(out, "{}", wrap(more, &text, more, width));
        }
    }
    out
}

fn rate(per_week: f64) -> String {
    format!("{per_week:.1}")
}

/// "a → b → c", or the first two and the last when longer than four.
fn chain(ids: &[String]) -> String {
    match ids {
        [first, .., last] if ids.len() > 4 => {
            format!("{first} → {} → … → {last}", ids[1])
        }
        _ => ids.join(" → "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finish_beyond_the_calendar_reads_as_never() {
        use crate::eval::forecast::{Basis, Chain};
        let end = chrono::NaiveDate::MAX;
        let f = Forecast {
            open: 3,
            earlier: 0,
            weeks: 8,
            done_recently: 1,
            pace: 0.125,
            needs: Some(1.0),
            finish: Some(end),
            late_days: Some(1),
            bound: Bound::Chain,
            chain: Chain {
                items: vec!["a".into()],
                days_per_item: u32::MAX,
                basis: Basis::Median,
                finish: end,
            },
            burnup: Vec::new(),
        };
        let text = lines("p", &f, false, Style::new(false), 80);
        assert!(
            text.starts_with("  p finishes never at this pace (needs 1.0 items/week, doing 0.1)\n"),
            "{text}"
        );
    }

    #[test]
    fn a_long_chain_keeps_its_ends() {
        let ids: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).into();
        assert_eq!(chain(&ids), "a → b → … → e");
        assert_eq!(chain(&ids[..3]), "a → b → c");
    }
}
