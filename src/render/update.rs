//! Drawing the `update` report: a headline, then a section for each kind of
//! news (done, fell overdue, KPIs, gates, alerts, risks) and what is due
//! next. On a terminal, short lines cut to the width; in Markdown, an
//! update to paste into an email or an issue: headings, bullet lists and a
//! small KPI table.

use std::fmt::Write as _;

use super::{Col, Grid, Style, Tone, plural, truncate};
use crate::cli::Format;
use crate::eval::Position;
use crate::eval::gate::{Gate, GateVerdict};
use crate::eval::items::ItemRow;
use crate::eval::kpi::TargetVerdict;
use crate::eval::update::{Fired, Movement, Update};
use crate::model::Severity;

/// Lists longer than this are cut, with a command that shows them all.
const LIST: usize = 10;

struct Out {
    text: String,
    md: bool,
    style: Style,
    width: usize,
}

impl Out {
    /// A line, cut to the width on a terminal.
    fn line(&mut self, line: &str) {
        let line = if self.md {
            line.to_string()
        } else {
            truncate(line, self.width)
        };
        self.text.push_str(&line);
        self.text.push('\n');
    }

    /// A line painted after it is cut, so escapes are never cut.
    fn painted(&mut self, line: &str, paint: impl Fn(&Style, &str) -> String) {
        let line = if self.md {
            line.to_string()
        } else {
            truncate(line, self.width)
        };
        let painted = paint(&self.style, &line);
        self.text.push_str(&painted);
        self.text.push('\n');
    }

    /// A sentence standing for an empty section.
    fn note(&mut self, text: &str) {
        let line = format!("{}{text}", if self.md { "" } else { "  " });
        self.line(&line);
    }

    fn heading(&mut self, title: &str) {
        if self.md {
            let _ = write!(self.text, "\n### {title}\n\n");
        } else {
            let bold = self.style.bold(title);
            let _ = write!(self.text, "\n{bold}\n");
        }
    }

    /// A list item at the top level: `- ` in Markdown, two spaces here.
    fn bullet(&self) -> &'static str {
        if self.md { "- " } else { "  " }
    }

    /// A list item under another.
    fn sub(&self) -> &'static str {
        if self.md { "  - " } else { "    " }
    }
}

/// `me` is how to call us again (`roadmap --dir X`), for the commands the
/// report suggests.
pub fn text(u: &Update, format: Format, style: Style, width: usize, me: &str) -> String {
    let mut o = Out {
        text: String::new(),
        md: format == Format::Markdown,
        style,
        width,
    };
    let from = u.since.succ_opt().unwrap_or(u.since);
    let period = format!("{from} → {}", u.as_of);
    let days = plural(usize::try_from(u.days).unwrap_or(usize::MAX), "day");
    if o.md {
        let _ = write!(o.text, "## {}: update for {period}\n\n", u.plan.name);
        o.line(&format!("{days} · {}", position(u)));
        o.line("");
        o.line(&headline(u).join(" · "));
    } else {
        o.painted(&format!("{} · update", u.plan.name), Style::bold);
        o.line(&format!("{period} ({days}) · {}", position(u)));
        for line in super::join_fitting(&headline(u), width).lines() {
            o.line(line);
        }
    }

    o.heading("Done");
    if u.done.is_empty() {
        o.note("Nothing was marked done.");
    }
    items(
        &mut o,
        &u.done,
        Some("✓"),
        |r| r.done,
        &format!("all done: {me} items --done"),
    );

    if !u.overdue.is_empty() {
        o.heading("Fell overdue");
        items(
            &mut o,
            &u.overdue,
            Some("✗"),
            |r| Some(r.due),
            &format!("all overdue: {me} items --overdue"),
        );
    }

    o.heading("KPIs");
    kpis(&mut o, u, format);

    if !u.gates.is_empty() {
        o.heading("Gates");
        for g in &u.gates {
            gate_line(&mut o, g);
        }
    }

    o.heading("Alerts");
    if u.alerts.is_empty() {
        o.note("No alert fired.");
    }
    for f in &u.alerts {
        alert(&mut o, f);
    }

    o.heading("Risks");
    risks(&mut o, u);

    o.heading(&format!("Next {days}, to {}", u.next.until));
    if u.next.items.is_empty() {
        o.note("No item is due.");
    }
    items(
        &mut o,
        &u.next.items,
        None,
        |r| Some(r.due),
        &format!("all open: {me} items --open"),
    );
    if let Some(g) = &u.next.gate {
        next_gate(&mut o, g);
    }
    o.text
}

/// "month 5 of 9 · Open the doors".
fn position(u: &Update) -> String {
    match u.position {
        Position::Before => "before the plan starts".to_string(),
        Position::After => "after the plan ended".to_string(),
        Position::During => {
            let phase = u
                .phase
                .as_ref()
                .map_or("between phases", |p| p.name.as_str());
            format!("month {} of {} · {phase}", u.month, u.plan.months)
        }
    }
}

/// The news in a few words each: "2 items done", "2 KPIs updated", "1
/// alert fired".
fn headline(u: &Update) -> Vec<String> {
    let mut facts = vec![format!("{} done", plural(u.done.len(), "item"))];
    if !u.overdue.is_empty() {
        facts.push(format!("{} fell overdue", u.overdue.len()));
    }
    facts.push(match u.kpis.len() {
        0 => "no KPI updated".to_string(),
        n => format!("{} updated", plural(n, "KPI")),
    });
    for g in &u.gates {
        facts.push(format!("gate {} {}", g.phase, verdict(g.verdict)));
    }
    let critical = u
        .alerts
        .iter()
        .filter(|a| a.severity == Severity::Critical)
        .count();
    facts.push(match (u.alerts.len(), critical) {
        (0, _) => "no alert fired".to_string(),
        (n, 0) => format!("{} fired", plural(n, "alert")),
        (n, c) => format!("{} fired ({c} critical)", plural(n, "alert")),
    });
    let r = &u.risks;
    facts.push(match (r.became_active.len(), r.went_quiet.len()) {
        (0, 0) => "no risk changed".to_string(),
        (a, 0) => format!("{} became active", plural(a, "risk")),
        (0, q) => format!("{} went quiet", plural(q, "risk")),
        (a, q) => format!("{} became active, {q} went quiet", plural(a, "risk")),
    });
    facts
}

fn verdict(v: GateVerdict) -> &'static str {
    match v {
        GateVerdict::Pass => "passed",
        GateVerdict::Warn => "passed with warnings",
        GateVerdict::Fail => "failed",
    }
}

/// Items, one a line with a date, up to [`LIST`] of them.
/// `mark`: none for items that are neither good nor bad news.
fn items(
    o: &mut Out,
    rows: &[ItemRow],
    mark: Option<&str>,
    date: impl Fn(&ItemRow) -> Option<chrono::NaiveDate>,
    all: &str,
) {
    for r in rows.iter().take(LIST) {
        let when = date(r).map(|d| d.to_string()).unwrap_or_default();
        if o.md {
            let mark = mark.map_or_else(String::new, |m| format!("{m} "));
            o.line(&format!("- {mark}{when} **{}**: {}", r.id, r.title));
        } else {
            let mark = mark.unwrap_or("·");
            o.line(&format!("  {mark} {when} {}: {}", r.id, r.title));
        }
    }
    if rows.len() > LIST {
        let more = format!("… and {} more ({all})", rows.len() - LIST);
        if o.md {
            o.line(&format!("- {more}"));
        } else {
            o.painted(&format!("  {more}"), Style::dim);
        }
    }
}

fn kpis(o: &mut Out, u: &Update, format: Format) {
    if u.kpis.is_empty() {
        o.note("No value was recorded for a target that applies now.");
        return;
    }
    let mut g = Grid::new(&[
        Col::new("KPI").flex(),
        Col::new("Target"),
        Col::new("Was").right(),
        Col::new("Now").right(),
        Col::new("Change"),
    ]);
    for k in &u.kpis {
        let (change, tone) = match k.movement {
            Movement::New => ("new", Tone::Plain),
            Movement::Reached => ("✓ reached", Tone::Good),
            Movement::Held => ("✓ still met", Tone::Good),
            Movement::Lost => ("✗ no longer met", Tone::Bad),
            Movement::Closer => ("closer", Tone::Good),
            Movement::Further => ("further", Tone::Bad),
            Movement::Same => ("no change", Tone::Plain),
        };
        // A stale value is shown, but said to be one.
        let stale = |text: &str, v: TargetVerdict| match v {
            TargetVerdict::Stale => format!("{text} (stale)"),
            _ => text.to_string(),
        };
        g.push(vec![
            (k.name.clone(), Tone::Plain),
            (k.target.clone(), Tone::Plain),
            (
                k.from_text
                    .as_deref()
                    .map_or_else(|| "–".to_string(), |t| stale(t, k.verdict_from)),
                Tone::Plain,
            ),
            (stale(&k.to_text, k.verdict), Tone::Plain),
            (change.to_string(), tone),
        ]);
    }
    o.text.push_str(&g.render(format, o.style, o.width));
}

/// "✓ Find and fit out (find), ended 2026-05-31: passed · 2 of 2 items
/// done · 1 of 1 target met".
fn gate_line(o: &mut Out, g: &Gate) {
    let (mark, paint): (&str, fn(&Style, &str) -> String) = match g.verdict {
        GateVerdict::Pass => ("✓", Style::green),
        GateVerdict::Warn => ("!", Style::yellow),
        GateVerdict::Fail => ("✗", Style::red),
    };
    let bullet = o.bullet();
    let name = if o.md {
        format!("**{}**", g.name)
    } else {
        g.name.clone()
    };
    o.painted(
        &format!(
            "{bullet}{mark} {name} ({}), ended {}: {}",
            g.phase,
            g.end,
            verdict(g.verdict)
        ),
        paint,
    );
    let sub = o.sub();
    o.line(&format!("{sub}{}", gate_facts(g)));
}

/// "2 of 5 items done (4 required), 0 of 1 target met".
fn gate_facts(g: &Gate) -> String {
    let required = if g.items.required == g.items.total {
        String::new()
    } else {
        format!(" ({} required)", g.items.required)
    };
    let targets: Vec<_> = g.targets.iter().filter(|t| !t.qualitative).collect();
    let met = targets
        .iter()
        .filter(|t| t.verdict == TargetVerdict::Met)
        .count();
    let mut facts = format!(
        "{} of {} done{required}",
        g.items.done,
        plural(g.items.total, "item")
    );
    if !targets.is_empty() {
        let _ = write!(facts, ", {met} of {} met", plural(targets.len(), "target"));
    }
    facts
}

fn alert(o: &mut Out, f: &Fired) {
    let (mark, severity, paint): (&str, &str, fn(&Style, &str) -> String) = match f.severity {
        Severity::Critical => ("✗", "critical", Style::red),
        Severity::Opportunity => ("★", "opportunity", Style::green),
    };
    let when = match f.spans.as_slice() {
        [one] if one.from == one.to => format!("fired on {}", one.from),
        [one] => format!(
            "fired {} → {} ({})",
            one.from,
            one.to,
            plural(f.days, "day")
        ),
        _ => format!(
            "fired on {} between {} and {}",
            plural(f.days, "day"),
            f.first,
            f.last
        ),
    };
    let state = if f.firing {
        "firing now".to_string()
    } else {
        format!("quiet since {}", f.last.succ_opt().unwrap_or(f.last))
    };
    let id = if o.md {
        format!("**{}**", f.id)
    } else {
        f.id.clone()
    };
    let (bullet, sub) = (o.bullet(), o.sub());
    if o.md {
        o.line(&format!(
            "{bullet}{mark} {id} ({severity}) {}: {when}, {state}",
            f.name
        ));
    } else {
        // Two lines: the name and the days would not fit one.
        o.painted(
            &format!("{bullet}{mark} {id} ({severity}) {}", f.name),
            paint,
        );
        o.line(&format!("{sub}{when}, {state}"));
    }
    // The values that fired it, on the last day it did.
    let on = if f.firing {
        String::new()
    } else {
        format!("on {}: ", f.last)
    };
    for c in &f.alert.clauses {
        o.line(&format!("{sub}{on}{}", super::alerts::describe(c)));
    }
    if let Some(a) = &f.alert.action {
        o.line(&format!("{sub}→ {}: {}", a.area, a.title));
    }
}

fn risks(o: &mut Out, u: &Update) {
    let r = &u.risks;
    if r.became_active.is_empty() && r.went_quiet.is_empty() {
        o.note("No risk became active or went quiet.");
    }
    let (bullet, sub) = (o.bullet(), o.sub());
    for risk in &r.became_active {
        let name = if o.md {
            format!("**{}**", risk.name)
        } else {
            risk.name.clone()
        };
        o.painted(
            &format!("{bullet}✗ {name} ({}) became active", risk.id),
            Style::red,
        );
        for reason in &risk.reasons {
            o.line(&format!("{sub}{reason}"));
        }
        o.line(&format!("{sub}mitigation: {}", risk.mitigation));
    }
    for risk in &r.went_quiet {
        let name = if o.md {
            format!("**{}**", risk.name)
        } else {
            risk.name.clone()
        };
        o.painted(
            &format!("{bullet}✓ {name} ({}) went quiet", risk.id),
            Style::green,
        );
        for reason in &risk.reasons {
            o.line(&format!("{sub}was: {reason}"));
        }
    }
    if !r.still_active.is_empty() {
        let ids = if o.md {
            r.still_active
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            r.still_active.join(", ")
        };
        o.line(&format!("{bullet}Still active: {ids}"));
    }
}

fn next_gate(o: &mut Out, g: &Gate) {
    let when = format!("judged once its phase ends on {}", g.end);
    if o.md {
        // A paragraph of its own after the list of items.
        o.line("");
        o.line(&format!(
            "Next gate: **{}** ({}), {when}; so far {}.",
            g.name,
            g.phase,
            gate_facts(g)
        ));
    } else {
        o.line(&format!("  Next gate: {} ({}), {when}", g.name, g.phase));
        o.line(&format!("    so far {}", gate_facts(g)));
    }
}
