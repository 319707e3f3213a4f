//! Drawing the `status` report.

use std::fmt::Write as _;

use super::{Col, Grid, Style, Tone, bar, display_width, plural, truncate, wrap};
use crate::cli::Format;
use crate::eval::State;
use crate::eval::items::ItemRow;
use crate::eval::status::{Status, Verdict};
use crate::eval::{Counts, Months, Position};
use crate::model::Severity;

/// The focus list shows at most this many items, so that the whole
/// status (header, phases, this list, overdue ids, alerts) stays one
/// screen of about 40 lines on any plan: a 100k-item plan listed 24,000
/// here. The JSON lists them all.
pub const FOCUS_ROWS: usize = 15;

type Count = fn(&Counts) -> usize;

/// The phase table's columns of work under way. When the table is too
/// wide they give way after KPIs met (which `roadmap kpis` shows in full),
/// last first: blocked work, which needs someone to act, stays longest.
const WORK: [(&str, Count); 3] = [
    ("Blocked", |c| c.blocked),
    ("Started", |c| c.started),
    ("Waiting", |c| c.waiting),
];

/// `me` is how to call us again (`roadmap --dir X`), `filters` the
/// `--track`/`--area` options in force, both for the commands suggested.
pub fn text(
    s: &Status,
    format: Format,
    style: Style,
    width: usize,
    me: &str,
    filters: &str,
) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    // The lines above the tables break between their parts rather than
    // run past the width; Markdown is read in a browser, which wraps.
    let lines = |parts: &[String]| {
        if md {
            parts.join(" · ")
        } else {
            super::join_fitting(parts, width)
        }
    };
    let title = [
        s.plan.name.clone(),
        format!("{} → {}", s.plan.start, s.plan.end),
    ];
    if md {
        let _ = writeln!(out, "## {}\n", lines(&title));
    } else {
        for line in lines(&title).lines() {
            let _ = writeln!(out, "{}", style.bold(line));
        }
    }
    // In Markdown the header's lines end in a hard break (`\`): GitHub
    // joins a paragraph's lines into one.
    let br = if md { "\\" } else { "" };
    let _ = writeln!(out, "{}{br}", lines(&where_line(s)));
    // What the current phase is for, in the plan's words.
    let objective = s.phase.as_ref().and_then(|now| {
        s.phases
            .iter()
            .find(|p| p.id == now.id)
            .and_then(|p| p.objective.as_deref())
    });
    if let Some(o) = objective {
        if md {
            let o = o.split_whitespace().collect::<Vec<_>>().join(" ");
            let _ = writeln!(out, "Objective: {o}{br}");
        } else {
            let _ = writeln!(out, "{}", wrap("Objective: ", o, "  ", width));
        }
    }
    let _ = writeln!(out, "{}", lines(&totals(s, style)));
    out.push('\n');

    // Sized to fit 80 columns with the seed's phase names; the phase's last
    // day (after which its gate is judged) shows when there is room. A
    // narrower terminal loses the other counts before the phase's name is
    // cut: what the phase is, how far it got and its gate stay.
    //
    // Blocked, started and waiting items get a column each when some phase
    // has any: a plan that does not use `blocked:`, `started:` or `after:`
    // keeps its table as it was. With them, Months gives way first (the
    // heading of the phase in focus repeats its months).
    let work: Vec<&(&str, Count)> = WORK
        .iter()
        .filter(|(_, count)| s.phases.iter().any(|p| count(&p.items) > 0))
        .collect();
    let months_col = match work.is_empty() {
        true => Col::new("Months").optional(),
        false => Col::new("Months").first_to_go(),
    };
    let mut cols = vec![
        Col::new("Phase").flex(),
        months_col,
        Col::new("Ends").first_to_go(),
        Col::new("Items"),
        Col::new("Overdue").right().optional(),
    ];
    cols.extend(work.iter().map(|(h, _)| Col::new(h).right().optional()));
    cols.extend([Col::new("KPIs met").optional(), Col::new("Gate")]);
    let mut g = Grid::new(&cols);
    for p in &s.phases {
        let started = p.verdict != Verdict::Upcoming;
        let overdue = if started {
            p.items.overdue.to_string()
        } else {
            "–".into()
        };
        let kpis = match (p.kpis.total, p.kpis.with_data, started) {
            (0, _, _) => "–".to_string(),
            (_, _, false) => "–".to_string(),
            (_, 0, true) => "no data".to_string(),
            (t, _, true) => format!("{}/{t}", p.kpis.met),
        };
        let (gate, tone) = match p.verdict {
            Verdict::Upcoming => ("upcoming", Tone::Dim),
            Verdict::InProgress => ("in progress", Tone::Plain),
            Verdict::Pass => ("✓ pass", Tone::Good),
            Verdict::Warn => ("! warn", Tone::Warn),
            Verdict::Fail => ("✗ fail", Tone::Bad),
        };
        let items_tone = if p.items.total > 0 && p.items.done == p.items.total {
            Tone::Good
        } else if started {
            Tone::Plain
        } else {
            Tone::Dim
        };
        let overdue_tone = if p.items.overdue > 0 {
            Tone::Bad
        } else {
            Tone::Plain
        };
        let mut row = vec![
            (p.name.clone(), Tone::Plain),
            (months(p.months), Tone::Plain),
            (p.end.to_string(), Tone::Plain),
            (
                format!(
                    "{} {:>w$}",
                    bar(p.items.done, p.items.total),
                    ratio(p.items.done, p.items.total),
                    w = ratio_width(s)
                ),
                items_tone,
            ),
            (overdue, overdue_tone),
        ];
        for (header, count) in &work {
            let n = count(&p.items);
            let cell = match (started, n) {
                (false, 0) => "–".to_string(),
                _ => n.to_string(),
            };
            let tone = match (*header, n) {
                ("Blocked", 1..) => Tone::Bad,
                _ => Tone::Plain,
            };
            row.push((cell, tone));
        }
        row.extend([(kpis, Tone::Plain), (gate.to_string(), tone)]);
        g.push(row);
    }
    out.push_str(&g.render(format, style, width));

    let ahead: Vec<(&str, &crate::eval::forecast::Forecast)> = s
        .phases
        .iter()
        .filter_map(|p| Some((p.id.as_str(), p.forecast.as_ref()?)))
        .collect();
    if !ahead.is_empty() {
        out.push('\n');
        out.push_str(&super::forecast::section(&ahead, md, style, width));
    }

    if let Some(f) = &s.focus {
        out.push('\n');
        let heading = match f.now {
            Some(now) => format!("{} — now in months {}", f.phase.name, months(now)),
            None => format!("{} — months {}", f.phase.name, months(f.months)),
        };
        if md {
            let _ = writeln!(out, "### {heading}\n");
        } else {
            let _ = writeln!(out, "{}", style.bold(&heading));
        }
        let shown = &f.rows[..f.rows.len().min(FOCUS_ROWS)];
        let more = f.rows.len() - shown.len();
        if f.rows.is_empty() {
            let _ = writeln!(out, "No item of this phase has started yet.");
        } else {
            out.push_str(&item_grid(shown, false).render(format, style, width));
        }
        if more > 0 {
            // The items command lists the whole phase: these and the
            // later ones too, so one line names both.
            let later = match f.later {
                0 => String::new(),
                n => format!(", and {n} later in this phase"),
            };
            let line = format!(
                "… and {}{later}: {me} items --phase {}{filters}",
                plural(more, "more item"),
                f.phase.id
            );
            for line in fitted(&line, md, width) {
                let _ = writeln!(out, "{}", style.dim(&line));
            }
        } else if f.later > 0 {
            let later = format!(
                "… and {} later in this phase ({me} items --phase {}{filters})",
                plural(f.later, "item"),
                f.phase.id
            );
            for line in fitted(&later, md, width) {
                let _ = writeln!(out, "{}", style.dim(&line));
            }
        }
    }

    if !s.overdue.is_empty() {
        out.push('\n');
        let label = if s.focus.is_some() {
            "Overdue in other phases"
        } else {
            "Overdue"
        };
        let ids: Vec<&str> = s.overdue.iter().map(|r| r.id.as_str()).collect();
        let all = format!("{me} items --overdue{filters}");
        if md {
            // Folded when long: a 100k-item plan had 20,000 ids here.
            let summary = format!("{label}: {}", plural(ids.len(), "item"));
            let label = format!("{label} ({})", ids.len());
            out.push_str(&super::markdown::ids(&label, &summary, &ids, &all, ""));
        } else {
            let head = format!("{label} ({}): ", s.overdue.len());
            let room = width.saturating_sub(display_width(&head));
            let _ = writeln!(out, "{}{}", style.red(&head), id_list(&ids, room));
            for line in fitted(&format!("  see them all: {all}"), md, width) {
                let _ = writeln!(out, "{}", style.dim(&line));
            }
        }
    }
    out.push_str(&alert_lines(s, md, style, width, me));
    out
}

/// A line of ours, on one line in Markdown, else wrapped at spaces to
/// `width` with the indent it starts with, plus two.
fn fitted(text: &str, md: bool, width: usize) -> Vec<String> {
    if md {
        return vec![text.to_string()];
    }
    let indent = &text[..text.len() - text.trim_start().len()];
    wrap(indent, text, &format!("{indent}  "), width)
        .lines()
        .map(str::to_string)
        .collect()
}

/// "As of …", "month 8 of 24", "Fase 2: Crecimiento (months 7-12)".
fn where_line(s: &Status) -> Vec<String> {
    let head = format!("As of {}", s.as_of);
    match s.position {
        Position::Before => {
            let days = (s.plan.start - s.as_of).num_days();
            vec![
                head,
                format!(
                    "the plan has not started: month 1 begins {} (in {})",
                    s.plan.start,
                    plural(days as usize, "day")
                ),
            ]
        }
        Position::After => vec![
            head,
            format!(
                "the plan is over: month {} ended {}",
                s.plan.months, s.plan.end
            ),
        ],
        Position::During => {
            let phase = match (&s.phase, &s.focus) {
                (Some(p), Some(f)) if f.phase.id == p.id => {
                    format!("{} (months {})", p.name, months(f.months))
                }
                (Some(p), _) => p.name.clone(),
                (None, _) => "between phases".to_string(),
            };
            vec![
                head,
                format!("month {} of {}", s.month, s.plan.months),
                phase,
            ]
        }
    }
}

/// "Items 38/192 done (20%)", "12 overdue", …
fn totals(s: &Status, style: Style) -> Vec<String> {
    let pct = (s.items.done * 100).checked_div(s.items.total).unwrap_or(0);
    let mut parts = vec![format!(
        "Items {}/{} done ({pct}%)",
        s.items.done, s.items.total
    )];
    if s.items.overdue > 0 {
        parts.push(style.red(&format!("{} overdue", s.items.overdue)));
    } else {
        parts.push("none overdue".to_string());
    }
    let last_gate = s
        .phases
        .iter()
        .rev()
        .find(|p| matches!(p.verdict, Verdict::Pass | Verdict::Warn | Verdict::Fail));
    if let Some(p) = last_gate {
        let verdict = match p.verdict {
            Verdict::Pass => style.green("passed"),
            Verdict::Warn => style.yellow("passed with warnings"),
            _ => style.red("failed"),
        };
        let kpis = match (p.kpis.total, p.kpis.with_data) {
            (0, _) => String::new(),
            (_, 0) => " (KPIs: no data)".to_string(),
            (t, _) => format!(" (KPIs {}/{t} met)", p.kpis.met),
        };
        parts.push(format!("last gate ({}) {verdict}{kpis}", p.id));
    }
    let critical = s
        .alerts
        .iter()
        .filter(|a| a.severity == Severity::Critical)
        .count();
    let alerts = match (s.alerts.len(), critical) {
        (0, _) => None,
        (n, 0) => Some(style.yellow(&format!("{} firing", plural(n, "alert")))),
        (n, c) if n == c => Some(style.red(&format!("{} firing", plural(c, "critical alert")))),
        (n, c) => Some(style.red(&format!("{} firing ({c} critical)", plural(n, "alert")))),
    };
    parts.extend(alerts);
    parts
}

/// The firing alerts, each with its values and its action, shortened to
/// the width.
fn alert_lines(s: &Status, md: bool, style: Style, width: usize, me: &str) -> String {
    let mut out = String::new();
    if s.alerts.is_empty() {
        return out;
    }
    out.push('\n');
    if md {
        let _ = writeln!(out, "### Alerts\n");
    } else {
        let _ = writeln!(out, "{}", style.bold("Alerts"));
    }
    let room = if md {
        usize::MAX
    } else {
        width.saturating_sub(4)
    };
    for a in &s.alerts {
        let (head, action) = super::alerts::summary(a);
        let mark = match a.severity {
            Severity::Critical => style.red("✗"),
            Severity::Opportunity => style.yellow("★"),
        };
        let bullet = if md { "- " } else { " " };
        let _ = writeln!(out, "{bullet}{mark} {}", truncate(&head, room));
        if let Some(action) = action {
            let indent = if md { "  - " } else { "   " };
            let _ = writeln!(out, "{indent}{}", truncate(&action, room));
        }
    }
    if !md {
        let _ = writeln!(out, "{}", style.dim(&format!("  details: {me} alerts")));
    }
    out
}

/// The rows of an item table. `status` shows track, area and title;
/// `items` leads with the id and writes the item as the plan does
/// ("Backend: Arquitectura escalable, APIs"), with its owner when any item
/// listed has one, dropping phase, owner and track first when the terminal
/// is narrow.
pub fn item_grid(rows: &[ItemRow], listing: bool) -> Grid {
    let owners = listing && rows.iter().any(|r| r.owner.is_some());
    let cols: Vec<Col> = if listing {
        let mut cols = vec![
            Col::new("ID").squeeze(),
            Col::new("Track").optional().squeeze(),
            Col::new("Item").flex(),
        ];
        if owners {
            cols.push(Col::new("Owner").optional().squeeze());
        }
        cols.extend([
            Col::new("Phase").optional(),
            Col::new("Months"),
            Col::new("State"),
        ]);
        cols
    } else {
        vec![
            Col::new("Track").optional().squeeze(),
            Col::new("Area").squeeze(),
            Col::new("Item").flex(),
            Col::new("Months"),
            Col::new("State"),
        ]
    };
    let mut g = Grid::new(&cols);
    for r in rows {
        let (status, tone) = state_cell(r);
        let row = if listing {
            let mut row = vec![
                (r.id.clone(), Tone::Plain),
                (r.track.clone(), Tone::Plain),
                (format!("{}: {}", r.area, r.title), Tone::Plain),
            ];
            if owners {
                row.push((r.owner.clone().unwrap_or_else(|| "–".into()), Tone::Plain));
            }
            row.extend([
                (r.phase.clone().unwrap_or_else(|| "–".into()), Tone::Plain),
                (months(r.months), Tone::Plain),
                (status, tone),
            ]);
            row
        } else {
            vec![
                (r.track.clone(), Tone::Plain),
                (r.area.clone(), Tone::Plain),
                (r.title.clone(), Tone::Plain),
                (months(r.months), Tone::Plain),
                (status, tone),
            ]
        };
        g.push(row);
    }
    g
}

/// An item's state in a table cell: the day it was done, or the state's
/// name; a blocked item that is also late says so.
pub fn state_cell(r: &ItemRow) -> (String, Tone) {
    match (r.state, r.done) {
        (State::Done, Some(d)) => (format!("✓ {d}"), Tone::Good),
        (State::Blocked, _) if r.overdue => ("blocked, overdue".to_string(), Tone::Bad),
        (State::Blocked | State::Overdue, _) => (r.state.name().to_string(), Tone::Bad),
        (State::Waiting, _) => ("waiting".to_string(), Tone::Warn),
        (State::Upcoming, _) => ("upcoming".to_string(), Tone::Dim),
        (s, _) => (s.name().to_string(), Tone::Plain),
    }
}

pub fn months(m: Months) -> String {
    if m.start == m.end {
        m.start.to_string()
    } else {
        format!("{}-{}", m.start, m.end)
    }
}

fn ratio(done: usize, total: usize) -> String {
    format!("{done}/{total}")
}

/// Width of the widest "done/total" so the bars line up.
fn ratio_width(s: &Status) -> usize {
    s.phases
        .iter()
        .map(|p| ratio(p.items.done, p.items.total).len())
        .max()
        .unwrap_or(0)
}

/// As many ids as fit in `room` columns, then "…".
fn id_list(ids: &[&str], room: usize) -> String {
    let mut out = String::new();
    for (i, id) in ids.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let more = i + 1 < ids.len();
        let len = display_width(&out) + sep.len() + display_width(id);
        if len + if more { 3 } else { 0 } > room.max(20) {
            out.push_str(if i == 0 { "…" } else { ", …" });
            return out;
        }
        out.push_str(sep);
        out.push_str(id);
    }
    truncate(&out, room.max(20))
}
