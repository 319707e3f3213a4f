//! Drawing the `portfolio` report: one row per member plan and a total,
//! the company KPIs, the members that did not load, and (for `portfolio
//! check`) which members and company KPIs fail, and why.

use std::fmt::Write as _;

use super::{Col, Grid, Style, Tone, plural};
use crate::cli::Format;
use crate::eval::kpi::TargetVerdict;
use crate::eval::portfolio::{CompanyRow, Portfolio, Row, Total};
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
    if !p.company_kpis.is_empty() {
        out.push('\n');
        match md {
            true => out.push_str("### Company KPIs\n\n"),
            false => {
                let _ = writeln!(out, "{}", style.bold("Company KPIs"));
            }
        }
        out.push_str(&company(&p.company_kpis).render(format, style, width));
    }
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
        let unmet: Vec<&CompanyRow> = p.company_kpis.iter().filter(|k| k.fails()).collect();
        if !failing.is_empty() || !unmet.is_empty() {
            out.push('\n');
        }
        for k in unmet {
            let line = format!("Company KPI {}", company_reason(k));
            let line = match md {
                true => bullet(md, &format!("✗ {line}")),
                false => super::wrap("  ✗ ", &line, "    ", width),
            };
            let _ = writeln!(out, "{}", paint_bad(md, style, &line));
        }
        if !failing.is_empty() {
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
        let unmet = p.company_kpis.iter().filter(|k| k.fails()).count();
        let broken = p.broken.len();
        let mut parts = Vec::new();
        if failing > 0 || broken > 0 {
            parts.push(format!("{failing} failing"));
        }
        if unmet > 0 {
            parts.push(format!("{} unmet", plural(unmet, "company KPI")));
        }
        if broken > 0 {
            parts.push(format!("{broken} not loaded"));
        }
        match parts.is_empty() {
            true => head.push_str(", all pass"),
            false => {
                let _ = write!(head, ", {}", parts.join(", "));
            }
        }
    }
    head
}

const COMPANY: [Col; 6] = [
    Col::new("KPI").flex(),
    Col::new("Value").right(),
    Col::new("Target"),
    Col::new("Verdict"),
    Col::new("Reporting").right(),
    Col::new("Member").squeeze().optional(),
];

/// The company KPIs: each one's value, target, verdict, how many members
/// report it, and for a min or a max the member it comes from.
fn company(kpis: &[CompanyRow]) -> Grid {
    let mut grid = Grid::new(&COMPANY);
    for k in kpis {
        let (verdict, tone) = verdict(k);
        grid.push(vec![
            (k.name.clone(), Tone::Plain),
            (
                k.value_text.clone().unwrap_or_else(|| "–".into()),
                Tone::Plain,
            ),
            (k.target.clone().unwrap_or_else(|| "–".into()), Tone::Plain),
            (verdict.into(), tone),
            (reporting(k), Tone::Plain),
            (
                k.extreme().map_or_else(String::new, |m| m.plan.clone()),
                Tone::Plain,
            ),
        ]);
    }
    grid
}

/// The verdict of a company KPI, as `kpis` words a target's.
pub fn verdict(k: &CompanyRow) -> (&'static str, Tone) {
    match k.verdict {
        Some(v) => super::kpis::verdict_word(v, k.warn),
        None => ("no target", Tone::Dim),
    }
}

/// "2 of 3", and how many values are too old to count: "1 of 3, 1 stale".
pub fn reporting(k: &CompanyRow) -> String {
    match k.stale {
        0 => format!("{} of {}", k.reporting, k.members),
        n => format!("{} of {}, {n} stale", k.reporting, k.members),
    }
}

/// Why a company KPI fails or warns, in one line: "sum of revenue is $5K,
/// target >= $200K (1 of 2 members reporting)".
pub fn company_reason(k: &CompanyRow) -> String {
    let value = k.value_text.as_deref().unwrap_or("–");
    let target = k.target.as_deref().unwrap_or("–");
    let band = match (k.warn, &k.band) {
        (true, Some(b)) => format!(", inside the warning band {b}"),
        _ => String::new(),
    };
    let from = match k.extreme() {
        Some(m) => format!(" at {}", m.plan),
        None => String::new(),
    };
    let stale = match (k.verdict, k.stale) {
        (Some(TargetVerdict::Unmet), n) if n > 0 => format!(", {n} stale"),
        _ => String::new(),
    };
    format!(
        "{} is {value}{from}, target {target}{band} ({} of {} members reporting{stale})",
        k.name, k.reporting, k.members
    )
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
