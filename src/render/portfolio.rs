//! Drawing the `portfolio` report: one row per member plan and a total,
//! the members that did not load, and (for `portfolio check`) which
//! members fail and the command that says why.

use std::fmt::Write as _;

use super::{Col, Grid, Style, Tone, plural};
use crate::cli::Format;
use crate::eval::portfolio::{Portfolio, Row, Total};
use crate::eval::status::Verdict;

const COLS: [Col; 10] = [
    Col::new("Plan").flex(),
    Col::new("Month").right(),
    Col::new("Phase").squeeze(),
    Col::new("Done").right(),
    Col::new("Late").right(),
    Col::new("Gate"),
    Col::new("Next gate").optional(),
    Col::new("KPIs").right(),
    Col::new("Alerts").right(),
    Col::new("Risks").right(),
];

pub fn text(p: &Portfolio, gate: bool, format: Format, style: Style, width: usize) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    let head = header(p, gate);
    if md {
        let _ = writeln!(out, "## {head}\n");
    } else {
        let _ = writeln!(out, "{}\n", style.bold(&head));
    }
    let mut grid = Grid::new(&COLS);
    for r in &p.members {
        grid.push(row(r));
    }
    for b in &p.broken {
        let mut cells = vec![(b.path.clone(), Tone::Bad), ("error".into(), Tone::Bad)];
        cells.resize(COLS.len(), (String::new(), Tone::Plain));
        grid.push(cells);
    }
    if p.members.len() + p.broken.len() > 1 {
        grid.push(total(&p.total));
    }
    out.push_str(&grid.render(format, style, width));
    if !p.broken.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            paint_bad(
                md,
                style,
                &format!("{} did not load:", plural(p.broken.len(), "member"))
            )
        );
        for b in &p.broken {
            for problem in &b.problems {
                let line = format!("{}: {problem}", b.path);
                let line = match md {
                    true => bullet(md, &line),
                    false => super::wrap("  ", &line, "    ", width),
                };
                let _ = writeln!(out, "{line}");
            }
        }
    }
    if gate {
        let failing: Vec<&Row> = p.members.iter().filter(|r| !r.check_ok).collect();
        if !failing.is_empty() {
            out.push('\n');
            for r in failing {
                let mut why = Vec::new();
                if let Some(g) = r.last_gate.as_ref().filter(|g| g.verdict == Verdict::Fail) {
                    why.push(format!("gate {} fails", g.phase));
                } else {
                    why.push("an earlier gate fails".into());
                }
                if r.alerts.critical > 0 {
                    why.retain(|w| w != "an earlier gate fails");
                    why.push(plural(r.alerts.critical, "critical alert") + " firing");
                }
                let again = format!("roadmap --dir {} check", r.path);
                let line = format!("{}: {}; `{again}` says why", r.plan, why.join(", "));
                let line = match md {
                    true => bullet(md, &format!("✗ {line}")),
                    false => super::wrap("  ✗ ", &line, "    ", width),
                };
                let _ = writeln!(out, "{}", paint_bad(md, style, &line));
            }
        }
    }
    out
}

fn paint_bad(md: bool, style: Style, text: &str) -> String {
    match md {
        true => text.to_string(),
        false => style.red(text),
    }
}

fn bullet(_md: bool, text: &str) -> String {
    format!("- {}", super::markdown::html(text))
}

/// "Portfolio Acme group as of 2026-08-15: 3 plans" (and for `check`,
/// whether it passes).
fn header(p: &Portfolio, gate: bool) -> String {
    let name = p.name.as_deref().map_or(String::new(), |n| format!(" {n}"));
    let what = if gate { "Portfolio check" } else { "Portfolio" };
    let mut head = format!(
        "{what}{name} as of {}: {}",
        p.as_of,
        plural(p.total.members, "plan")
    );
    if gate {
        let failing = p.members.iter().filter(|r| !r.check_ok).count();
        let _ = match (failing, p.broken.len()) {
            (0, 0) => write!(head, ", all pass"),
            (n, 0) => write!(head, ", {n} failing"),
            (n, b) => write!(head, ", {n} failing, {b} not loaded"),
        };
    }
    head
}

fn row(r: &Row) -> Vec<(String, Tone)> {
    let gate = match &r.last_gate {
        Some(g) => {
            let (word, tone) = match g.verdict {
                Verdict::Pass => ("pass", Tone::Good),
                Verdict::Warn => ("warn", Tone::Warn),
                _ => ("fail", Tone::Bad),
            };
            (format!("{} {word}", g.phase), tone)
        }
        None => ("—".into(), Tone::Dim),
    };
    let next = match &r.next_gate {
        Some(n) => (format!("{} {}", n.phase, n.due), Tone::Plain),
        None => ("—".into(), Tone::Dim),
    };
    vec![
        (r.plan.clone(), Tone::Plain),
        (format!("{}/{}", r.month, r.months), Tone::Plain),
        match &r.phase {
            Some(p) => (p.id.clone(), Tone::Plain),
            None => ("—".into(), Tone::Dim),
        },
        (format!("{}/{}", r.items.done, r.items.total), Tone::Plain),
        count(r.items.overdue, Tone::Bad),
        gate,
        next,
        (format!("{}/{}", r.kpis.met, r.kpis.total), Tone::Plain),
        alerts(r.alerts.firing, r.alerts.critical),
        (
            format!("{}/{}", r.risks.active, r.risks.total),
            if r.risks.active > 0 {
                Tone::Warn
            } else {
                Tone::Plain
            },
        ),
    ]
}

fn total(t: &Total) -> Vec<(String, Tone)> {
    vec![
        ("Total".into(), Tone::Plain),
        (String::new(), Tone::Plain),
        (String::new(), Tone::Plain),
        (format!("{}/{}", t.items.done, t.items.total), Tone::Plain),
        count(t.items.overdue, Tone::Bad),
        match t.gates_failed {
            0 => (String::new(), Tone::Plain),
            n => (format!("{n} fail"), Tone::Bad),
        },
        (String::new(), Tone::Plain),
        (format!("{}/{}", t.kpis.met, t.kpis.total), Tone::Plain),
        alerts(t.alerts.firing, t.alerts.critical),
        (format!("{}/{}", t.risks.active, t.risks.total), Tone::Plain),
    ]
}

fn count(n: usize, tone: Tone) -> (String, Tone) {
    (n.to_string(), if n > 0 { tone } else { Tone::Plain })
}

/// "3 (1 crit.)": how many fire, and how many of them are critical.
fn alerts(firing: usize, critical: usize) -> (String, Tone) {
    match critical {
        0 => count(firing, Tone::Warn),
        c => (format!("{firing} ({c}!)"), Tone::Bad),
    }
}
