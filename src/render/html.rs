//! Drawing the `report` as one self-contained HTML page: CSS and SVG
//! inline, no script, no font or image to fetch, and a Content Security
//! Policy that forbids fetching anything, so the file reads the same from
//! a mail attachment, a CI artefact or a USB stick, and text from the plan
//! can never run as code. Every piece of text from the plan goes through
//! [`escape`].
//!
//! Meaning never rests on colour alone: verdicts and states carry a mark
//! and a word, charts a legend, a description and a sentence saying what
//! they show, and the values they are drawn from sit in a table beside
//! them. Print gets its own styles.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::svg::{self, Mark};
use super::{alerts::describe, plural};
use crate::eval::Timing;
use crate::eval::forecast::Bound;
use crate::eval::kpi::TargetVerdict;
use crate::eval::report::{
    ChartTarget, Dashboard, Drawn, Forecast, MetricChart, MetricRef, PhaseCard, Report, Series,
    When,
};
use crate::eval::status::Verdict;
use crate::eval::{Months, Position};
use crate::model::Severity;
use crate::model::quantity::{Unit, format_value};

/// `text` made safe as HTML (and SVG) text and attribute values: the five
/// markup characters become entities, and control characters their
/// visible symbols (as the terminal reports show them).
pub fn escape(text: &str) -> String {
    let text = crate::diag::visible(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped `text` with its `backquoted` names set as code, as the
/// terminal reports write them. An unmatched backquote is only text.
pub(super) fn with_code(text: &str) -> String {
    let escaped = escape(text);
    if !text.matches('`').count().is_multiple_of(2) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// How many rows (a track's name counts as one) a part of the timeline
/// holds at most: one part fits a printed page.
const GANTT_ROWS: usize = 24;

/// How many recorded values a chart's table lists: the newest ones.
const TABLE_ROWS: usize = 60;

/// The page being written, and a counter for the ids of its charts.
struct Page {
    out: String,
    charts: usize,
    as_of: NaiveDate,
}

impl Page {
    fn id(&mut self, prefix: &str) -> String {
        self.charts += 1;
        format!("{prefix}{}", self.charts)
    }
}

/// The whole page.
pub fn page(r: &Report) -> String {
    let mut p = Page {
        out: String::with_capacity(256 * 1024),
        charts: 0,
        as_of: r.as_of,
    };
    let title = format!("{} — report as of {}", r.plan.name, r.as_of);
    open(&mut p.out, &title, "roadmap report");
    header(&mut p, r);
    p.out.push_str(
        "<nav class=\"toc\" aria-label=\"Sections\"><a href=\"#phases\">Phases</a>\
         <a href=\"#attention\">Alerts and risks</a><a href=\"#kpis\">KPIs</a>\
         <a href=\"#burnup\">Burn-up</a><a href=\"#timeline\">Timeline</a></nav>\n<main>\n",
    );
    phases(&mut p, r);
    attention(&mut p, r);
    kpis(&mut p, r);
    burnups(&mut p, r);
    timeline(&mut p, r);
    let _ = write!(
        p.out,
        "</main>\n<footer><p>Written by <code>roadmap report</code> as of {} from the plan's \
         YAML files and recorded values. This page is self-contained: it fetches nothing and \
         runs no script.</p></footer>\n</div>\n</body>\n</html>\n",
        r.as_of
    );
    p.out
}

/// The page's start, up to its content: the head with the styles and a
/// policy that forbids fetching anything or running a script. `generator`
/// names the command that wrote it.
pub fn open(out: &mut String, title: &str, generator: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"{generator}\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<div class=\"wrap\">\n",
        escape(title)
    );
}

/// One line for the terminal about the page written.
pub fn summary(r: &Report) -> String {
    let charts = r.kpis.len()
        + r.dashboards
            .iter()
            .flat_map(|d| &d.panels)
            .map(|p| p.charts.len())
            .sum::<usize>();
    let active = r.risks.iter().filter(|x| x.active).count();
    format!(
        "{}, {}, {} firing, {active} of {} active, as of {}",
        plural(r.phases.len(), "phase"),
        plural(charts, "KPI chart"),
        plural(r.alerts.len(), "alert"),
        plural(r.risks.len(), "risk"),
        r.as_of
    )
}

/// "12,646 values": a count with its thousands marked.
fn many(n: usize, word: &str) -> String {
    let number = format_value(n as f64, Unit::Count);
    if n == 1 {
        format!("{number} {word}")
    } else {
        format!("{number} {word}s")
    }
}

fn months(m: Months) -> String {
    if m.start == m.end {
        format!("month {}", m.start)
    } else {
        format!("months {}-{}", m.start, m.end)
    }
}

pub(super) fn percent(part: usize, whole: usize) -> String {
    let p = if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    };
    format!("{:.1}%", p.clamp(0.0, 100.0))
}

/// A bar of `part` out of `whole` that also says so to a screen reader.
pub(super) fn meter(part: usize, whole: usize, label: &str) -> String {
    format!(
        "<div class=\"meter\" role=\"img\" aria-label=\"{}\"><span style=\"width:{}\"></span></div>",
        escape(label),
        percent(part, whole)
    )
}

fn header(p: &mut Page, r: &Report) {
    let out = &mut p.out;
    let _ = write!(
        out,
        "<header class=\"top\">\n<p class=\"kicker\">Roadmap report · as of {}</p>\n\
         <h1>{}</h1>\n<p class=\"span\">{} → {} · {}</p>\n",
        r.as_of,
        escape(&r.plan.name),
        r.plan.start,
        r.plan.end,
        plural(r.plan.months as usize, "month"),
    );
    let phase = r
        .phase
        .as_ref()
        .and_then(|now| r.phases.iter().find(|c| c.phase.id == now.id));
    let place = match r.position {
        Position::Before => format!(
            "<strong>Not started</strong>: month 1 begins {} (in {})",
            r.plan.start,
            plural((r.plan.start - r.as_of).num_days() as usize, "day")
        ),
        Position::After => format!(
            "<strong>The plan is over</strong>: month {} ended {}",
            r.plan.months, r.plan.end
        ),
        Position::During => {
            let name = match phase {
                Some(c) => format!("{} ({})", escape(&c.phase.name), months(c.phase.months)),
                None => "between phases".to_string(),
            };
            format!(
                "<strong>Month {} of {}</strong> · {name}",
                r.month, r.plan.months
            )
        }
    };
    let elapsed = r.month.clamp(0, i64::from(r.plan.months)) as usize;
    let _ = writeln!(
        out,
        "<div class=\"where\">{}<p>{place}</p></div>",
        meter(
            elapsed,
            r.plan.months as usize,
            &format!("month {elapsed} of {}", r.plan.months)
        ),
    );
    if let Some(o) = &r.objective {
        let _ = writeln!(
            out,
            "<p class=\"objective\"><span class=\"label\">Objective</span> {}</p>",
            escape(o)
        );
    }
    out.push_str("<ul class=\"tiles\">\n");
    let _ = writeln!(
        out,
        "<li><span class=\"big\">{}/{}</span> items done ({})</li>",
        r.items.done,
        r.items.total,
        percent(r.items.done, r.items.total).replace(".0%", "%")
    );
    let (class, mark) = if r.items.overdue > 0 {
        ("bad", "✗ ")
    } else {
        ("good", "✓ ")
    };
    let _ = writeln!(
        out,
        "<li class=\"{class}\"><span class=\"big\">{mark}{}</span> overdue</li>",
        r.items.overdue
    );
    let critical = r
        .alerts
        .iter()
        .filter(|a| a.severity == Severity::Critical)
        .count();
    let (class, mark) = match (r.alerts.len(), critical) {
        (0, _) => ("good", "✓ "),
        (_, 0) => ("warn", "★ "),
        _ => ("bad", "▲ "),
    };
    let _ = writeln!(
        out,
        "<li class=\"{class}\"><span class=\"big\">{mark}{}</span> {} firing ({critical} critical)</li>",
        r.alerts.len(),
        if r.alerts.len() == 1 {
            "alert"
        } else {
            "alerts"
        },
    );
    let active = r.risks.iter().filter(|x| x.active).count();
    let class = if active > 0 { "bad" } else { "good" };
    let _ = writeln!(
        out,
        "<li class=\"{class}\"><span class=\"big\">{active} of {}</span> risks active</li>",
        r.risks.len()
    );
    let last = r.phases.iter().rev().find(|c| {
        matches!(
            c.phase.verdict,
            Verdict::Pass | Verdict::Warn | Verdict::Fail
        )
    });
    if let Some(c) = last {
        let (class, mark, word) = verdict(c.phase.verdict);
        let _ = writeln!(
            out,
            "<li class=\"{class}\"><span class=\"big\">{mark} {word}</span> last gate: {}</li>",
            escape(&c.phase.name)
        );
    }
    out.push_str("</ul>\n</header>\n");
}

/// (CSS class, mark, word) of a phase's gate.
pub(super) fn verdict(v: Verdict) -> (&'static str, &'static str, &'static str) {
    match v {
        Verdict::Upcoming => ("upcoming", "○", "upcoming"),
        Verdict::InProgress => ("open", "▸", "in progress"),
        Verdict::Pass => ("good", "✓", "passed"),
        Verdict::Warn => ("warn", "!", "passed with warnings"),
        Verdict::Fail => ("bad", "✗", "failed"),
    }
}

fn phases(p: &mut Page, r: &Report) {
    p.out
        .push_str("<section id=\"phases\">\n<h2>Phases</h2>\n<div class=\"cards\">\n");
    for c in &r.phases {
        card(&mut p.out, c);
    }
    p.out.push_str("</div>\n</section>\n");
}

fn card(out: &mut String, c: &PhaseCard) {
    let ph = &c.phase;
    let (class, mark, word) = verdict(ph.verdict);
    let gate = match ph.verdict {
        Verdict::Upcoming | Verdict::InProgress => word.to_string(),
        _ => format!("gate {word}"),
    };
    let _ = write!(
        out,
        "<article class=\"card{}\">\n<p class=\"months\">{} · {} → {}{}</p>\n<h3>{}</h3>\n\
         <p class=\"badge {class}\">{mark} {gate}</p>\n",
        if c.current { " current" } else { "" },
        capitalise(&months(ph.months)),
        ph.start,
        ph.end,
        if c.current {
            " <span class=\"now\">now</span>"
        } else {
            ""
        },
        escape(&ph.name),
    );
    if let Some(o) = &ph.objective {
        let _ = writeln!(out, "<p class=\"objective\">{}</p>", escape(o));
    }
    let items = &ph.items;
    out.push_str(&meter(
        items.done,
        items.total,
        &format!("{} of {} items done", items.done, items.total),
    ));
    let overdue = match (ph.verdict, items.overdue) {
        (Verdict::Upcoming, _) => String::new(),
        (_, 0) => " · none overdue".into(),
        (_, n) => format!(" · <span class=\"bad\">✗ {n} overdue</span>"),
    };
    let kpis = match (ph.kpis.total, ph.kpis.with_data, ph.verdict) {
        (0, _, _) => "no KPI targets".to_string(),
        (t, _, Verdict::Upcoming) => plural(t, "target"),
        (t, 0, _) => format!("no data yet ({})", plural(t, "target")),
        (t, w, _) => format!("{} of {t} met ({w} with data)", ph.kpis.met),
    };
    let needs = match ph.kpis.total {
        0 => format!("{} of {} done", c.required, plural(items.total, "item")),
        n => format!(
            "{} of {} done and {} met",
            c.required,
            plural(items.total, "item"),
            plural(n, "KPI target")
        ),
    };
    let _ = write!(
        out,
        "<dl>\n<dt>Items</dt><dd>{}/{} done{overdue}</dd>\n\
         <dt>Gate needs</dt><dd>{needs}</dd>\n\
         <dt>KPIs</dt><dd>{kpis}</dd>\n<dt>Forecast</dt><dd>{}</dd>\n</dl>\n</article>\n",
        items.done,
        items.total,
        forecast_words(c, true),
    );
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// When a phase's items will be done, in words (`short` for a card).
fn forecast_words(c: &PhaseCard, short: bool) -> String {
    let b = &c.burnup;
    match b.forecast {
        Forecast::Empty => "no items".into(),
        Forecast::Complete { on } => format!("✓ all {} done, the last on {on}", b.total),
        Forecast::NotStarted => format!("starts {}", b.start),
        Forecast::NoProgress => match &b.ahead {
            Some(a) => format!(
                "nothing done in the last {}: no pace to forecast from",
                plural(a.weeks as usize, "week")
            ),
            None => "nothing done yet: no pace to forecast from".into(),
        },
        Forecast::AtPace { on, late_days } => {
            let when = if on == NaiveDate::MAX {
                "never, at this pace".to_string()
            } else {
                format!("all done by {on} at this pace")
            };
            let against = match late_days {
                d if d > 0 => format!(
                    "<span class=\"bad\">✗ {} late</span>",
                    plural(d as usize, "day")
                ),
                0 => "✓ on its last day".to_string(),
                d => format!("✓ {} early", plural(d.unsigned_abs() as usize, "day")),
            };
            match (&b.ahead, short) {
                (Some(a), false) => {
                    // The same facts as the status line, in a sentence.
                    let earlier = match a.earlier {
                        0 => String::new(),
                        n => format!(", after {} of earlier phases", plural(n, "open item")),
                    };
                    let chain = match a.bound {
                        Bound::Chain => format!(
                            ", held by a chain of {} (~{} each)",
                            plural(a.chain.items.len(), "open item"),
                            plural(a.chain.days_per_item as usize, "day")
                        ),
                        _ => String::new(),
                    };
                    format!(
                        "{} done in the last {} ({:.1} a week){earlier}{chain}: {when}, {against}.",
                        plural(a.done_recently, "item"),
                        plural(a.weeks as usize, "week"),
                        a.pace,
                    )
                }
                _ => format!("{when} ({against})"),
            }
        }
    }
}

fn attention(p: &mut Page, r: &Report) {
    let out = &mut p.out;
    out.push_str("<section id=\"attention\">\n<h2>Alerts and risks</h2>\n<div class=\"two\">\n");
    let _ = writeln!(out, "<div>\n<h3>Alerts firing ({})</h3>", r.alerts.len());
    if r.alerts.is_empty() {
        out.push_str("<p class=\"quiet\">✓ No alert fires.</p>\n");
    } else {
        out.push_str("<ul class=\"alerts\">\n");
        for a in &r.alerts {
            let (class, mark) = match a.severity {
                Severity::Critical => ("critical", "▲ critical"),
                Severity::Opportunity => ("opportunity", "★ opportunity"),
            };
            let _ = write!(
                out,
                "<li class=\"alert {class}\"><p class=\"head\"><span class=\"sev\">{mark}</span> \
                 <strong>{}</strong> <code>{}</code></p>",
                escape(&a.name),
                escape(&a.id)
            );
            if let Some(t) = &a.text {
                let _ = write!(out, "<p class=\"words\">“{}”</p>", escape(t));
            }
            out.push_str("<ul>");
            for c in &a.clauses {
                let _ = write!(out, "<li>{}</li>", with_code(&describe(c)));
            }
            out.push_str("</ul>");
            if let Some(act) = &a.action {
                let _ = write!(
                    out,
                    "<p class=\"action\">→ <strong>{}</strong>: {}</p>",
                    escape(&act.area),
                    escape(&act.title)
                );
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if !r.quiet.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"quiet\">Quiet: {}</p>",
            escape(&r.quiet.join(", "))
        );
    }
    out.push_str("</div>\n<div>\n");
    let active: Vec<_> = r.risks.iter().filter(|x| x.active).collect();
    let _ = writeln!(
        out,
        "<h3>Active risks ({} of {})</h3>",
        active.len(),
        r.risks.len()
    );
    if active.is_empty() {
        out.push_str("<p class=\"quiet\">✓ No risk is active.</p>\n");
    } else {
        out.push_str("<ul class=\"risks\">\n");
        for x in &active {
            let _ = write!(
                out,
                "<li class=\"risk\"><p class=\"head\">✗ <strong>{}</strong>{}</p><p>{}</p>\
                 <p class=\"mitigation\"><span class=\"label\">Mitigation</span> {}</p>",
                escape(&x.name),
                x.category
                    .as_ref()
                    .map(|c| format!(" <span class=\"cat\">{}</span>", escape(c)))
                    .unwrap_or_default(),
                escape(&x.risk),
                escape(&x.mitigation),
            );
            for why in &x.reasons {
                let _ = write!(out, "<p class=\"why\">Active: {}</p>", with_code(why));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    let calm: Vec<&str> = r
        .risks
        .iter()
        .filter(|x| !x.active)
        .map(|x| x.name.as_str())
        .collect();
    if !calm.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"quiet\">Not active: {}</p>",
            escape(&calm.join(", "))
        );
    }
    out.push_str("</div>\n</div>\n</section>\n");
}

fn kpis(p: &mut Page, r: &Report) {
    p.out.push_str(
        "<section id=\"kpis\">\n<h2>KPIs</h2>\n<p class=\"note\">Each chart draws a metric's values \
         (solid, with a dot per value) against its targets (dashed) and, for the current phase, \
         where the values are headed by the phase's end (dotted, ending in ◇). The table under \
         it gives every target's verdict.</p>\n",
    );
    for d in &r.dashboards {
        dashboard(p, d);
    }
    if !r.kpis.is_empty() || !r.unrecorded.is_empty() {
        let heading = if r.dashboards.is_empty() {
            "Metrics with targets"
        } else {
            "Other metrics with targets"
        };
        let _ = writeln!(p.out, "<h3>{heading}</h3>");
        charts(p, &r.kpis);
        unrecorded(&mut p.out, &r.unrecorded);
    }
    if r.dashboards.is_empty() && r.kpis.is_empty() && r.unrecorded.is_empty() {
        p.out
            .push_str("<p class=\"quiet\">The plan defines no metrics with targets.</p>\n");
    }
    p.out.push_str("</section>\n");
}

fn dashboard(p: &mut Page, d: &Dashboard) {
    let cadence = match d.cadence {
        crate::model::Cadence::Daily => "daily",
        crate::model::Cadence::Weekly => "weekly",
        crate::model::Cadence::Monthly => "monthly",
    };
    let _ = writeln!(
        p.out,
        "<h3>{} <span class=\"sub\">· dashboard, reviewed {cadence}</span></h3>",
        escape(&d.name)
    );
    // Every panel's charts in one grid, each saying its panel, so that a
    // panel with one chart leaves no hole.
    if d.panels.iter().any(|panel| !panel.charts.is_empty()) {
        p.out.push_str("<div class=\"charts\">\n");
        for panel in &d.panels {
            let kicker = match &panel.shows {
                Some(s) => format!("{} · {}", escape(&panel.name), escape(s)),
                None => escape(&panel.name),
            };
            for c in &panel.charts {
                metric_figure(p, c, Some(&kicker));
            }
        }
        p.out.push_str("</div>\n");
    }
    // What is not drawn yet, panel by panel, in one list rather than a
    // page of empty boxes.
    let waiting: Vec<_> = d
        .panels
        .iter()
        .filter(|panel| panel.metrics.is_empty() || !panel.unrecorded.is_empty())
        .collect();
    if !waiting.is_empty() {
        p.out.push_str("<ul class=\"waiting\">\n");
        for panel in waiting {
            let shows = panel
                .shows
                .as_ref()
                .map(|s| format!(" ({})", escape(s)))
                .unwrap_or_default();
            let what = if panel.metrics.is_empty() {
                "not linked to a metric yet (add <code>metrics:</code> to the panel in kpis.yaml)"
                    .to_string()
            } else {
                format!(
                    "no value recorded yet for {}",
                    escape(&names(&panel.unrecorded))
                )
            };
            let _ = writeln!(
                p.out,
                "<li><strong>{}</strong>{shows}: {what}</li>",
                escape(&panel.name)
            );
        }
        p.out.push_str("</ul>\n");
    }
}

fn names(metrics: &[MetricRef]) -> String {
    metrics
        .iter()
        .map(|m| format!("{} ({})", m.name, m.id))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unrecorded(out: &mut String, metrics: &[MetricRef]) {
    match metrics.len() {
        0 => {}
        // A long list is folded away: it is what is missing, not news.
        n if n > 6 => {
            let _ = writeln!(
                out,
                "<details class=\"quiet\"><summary>{} with no value recorded yet</summary>\
                 <p>{}</p></details>",
                plural(n, "metric"),
                escape(&names(metrics))
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "<p class=\"quiet\">No value recorded yet: {}</p>",
                escape(&names(metrics))
            );
        }
    }
}

fn charts(p: &mut Page, charts: &[MetricChart]) {
    if charts.is_empty() {
        return;
    }
    p.out.push_str("<div class=\"charts\">\n");
    for c in charts {
        metric_figure(p, c, None);
    }
    p.out.push_str("</div>\n");
}

/// What a chart's points are, for its legend and its sentence.
fn series_label(s: Series) -> String {
    match s {
        Series::Values => "recorded values".into(),
        Series::RunningTotal { since } => format!("total since {}", svg::short_date(since)),
        Series::RunningAverage { since } => format!("average since {}", svg::short_date(since)),
    }
}

/// The target the chart's projection is for: the current phase's.
fn focus(c: &MetricChart) -> Option<&ChartTarget> {
    c.targets
        .iter()
        .find(|t| t.when == Some(When::Current) && t.row.prediction.is_some())
}

/// A chart's content in one paragraph: its text alternative.
fn chart_sentence(c: &MetricChart) -> String {
    let fmt = |v: f64| format_value(v, c.unit);
    let n = c.points.len();
    let (first, last) = (&c.points[0], &c.points[n - 1]);
    let mut s = match (c.series, n) {
        (Series::Values, 1) => format!("One value: {} on {}.", fmt(last.value), last.date),
        (Series::Values, _) => format!(
            "{} from {} to {}; the latest is {}.",
            many(n, "value"),
            first.date,
            last.date,
            fmt(last.value)
        ),
        (Series::RunningTotal { since }, _) => format!(
            "{} since {since}, totalling {} by {}.",
            many(n, "value"),
            fmt(last.value),
            last.date
        ),
        (Series::RunningAverage { since }, _) => format!(
            "{} since {since}, averaging {} by {}.",
            many(n, "value"),
            fmt(last.value),
            last.date
        ),
    };
    if let (Some(t), Some(p)) = (focus(c), &c.projection) {
        let _ = write!(
            s,
            " At this pace it reaches {} by {}: {} for the target {}.",
            p.value_text,
            p.at,
            if p.on_pace { "on pace" } else { "at risk" },
            t.row.target
        );
    }
    let drawn: Vec<String> = c
        .lines
        .iter()
        .map(|l| match &l.phase {
            Some(ph) => format!("{} ({ph})", l.target),
            None => l.target.clone(),
        })
        .collect();
    if !drawn.is_empty() {
        let _ = write!(s, " Targets drawn: {}.", drawn.join(", "));
    }
    if c.targets.iter().any(|t| t.drawn == Drawn::OtherScale) {
        s.push_str(" Targets on another scale (growth, totals) are in the table, not drawn.");
    }
    s
}

/// A metric's chart with its sentence, its targets and its values;
/// `kicker` (HTML) names the dashboard panel it belongs to.
fn metric_figure(p: &mut Page, c: &MetricChart, kicker: Option<&str>) {
    let id = p.id("chart-");
    let sentence = chart_sentence(c);
    let unit = c.unit;
    let fmt = move |v: f64| format_value(v, unit);
    let values: Vec<svg::Value> = c
        .points
        .iter()
        .map(|pt| {
            let tip = match c.series {
                Series::Values => format!("{}: {}", pt.date, fmt(pt.value)),
                s => format!(
                    "{}: {} recorded; {} {}",
                    pt.date,
                    fmt(pt.recorded),
                    series_label(s),
                    fmt(pt.value)
                ),
            };
            svg::Value {
                date: pt.date,
                value: pt.value,
                tip,
            }
        })
        .collect();
    let chart = svg::LineChart {
        id: id.clone(),
        title: format!("{} ({})", c.name, c.metric),
        desc: sentence.clone(),
        from: c.from,
        to: c.to,
        // Only where the chart reaches past it, towards a phase's end.
        today: Some(p.as_of).filter(|d| *d >= c.from && *d < c.to),
        values,
        values_label: series_label(c.series),
        targets: c
            .lines
            .iter()
            .map(|l| svg::TargetLine {
                from: l.from,
                to: l.to,
                value: l.value,
                label: match &l.phase {
                    Some(ph) => format!("{ph} {}", l.target),
                    None => format!("target {}", l.target),
                },
            })
            .collect(),
        projection: c.projection.as_ref().map(|pr| svg::Projection {
            from: (pr.from, pr.from_value),
            to: (pr.at, pr.value),
            label: format!("{} {}", if pr.on_pace { "✓" } else { "✗" }, pr.value_text),
        }),
        bounds: (unit == Unit::Bool).then_some((0.0, 1.0)),
        integer: matches!(unit, Unit::Count | Unit::Bool | Unit::Rank),
    };
    // The id as well when the name does not say it ("CAC" and `cac` do).
    let code = if c.name.to_lowercase().replace(' ', "_") == c.metric {
        String::new()
    } else {
        format!(" <code>{}</code>", escape(&c.metric))
    };
    let kicker = kicker
        .map(|k| format!("<p class=\"kicker\">{k}</p>"))
        .unwrap_or_default();
    let _ = write!(
        p.out,
        "<figure class=\"metric\" id=\"metric-{}-{id}\">\n<figcaption>{kicker}<h5>{}{code}</h5>\
         <p class=\"summary\">{}</p></figcaption>\n{}\n",
        escape(&c.metric),
        escape(&c.name),
        escape(&sentence),
        svg::line_chart(&chart, &fmt),
    );
    targets_table(&mut p.out, c);
    values_table(&mut p.out, c);
    p.out.push_str("</figure>\n");
}

/// (CSS class, words) of a target's verdict as of the date.
fn target_verdict(t: &ChartTarget) -> (&'static str, String) {
    if t.row.qualitative {
        return ("muted", "qualitative".into());
    }
    if t.when == Some(When::Upcoming) {
        return ("muted", "○ upcoming".into());
    }
    let (class, words) = match t.row.verdict {
        TargetVerdict::Met => ("good", "✓ met"),
        TargetVerdict::Unmet if t.row.warn => ("warn", "! within warning band"),
        TargetVerdict::Unmet => ("bad", "✗ unmet"),
        TargetVerdict::NoData => ("muted", "– no data"),
        TargetVerdict::Stale => ("bad", "✗ stale"),
        TargetVerdict::NotDue => ("muted", "○ not due yet"),
    };
    // A phase under way is judged at its end: now is only "so far", and
    // no alarm.
    if t.when == Some(When::Current) {
        let class = if class == "good" { class } else { "open" };
        (class, format!("{words} so far"))
    } else {
        (class, words.to_string())
    }
}

fn targets_table(out: &mut String, c: &MetricChart) {
    if c.targets.is_empty() {
        return;
    }
    out.push_str(
        "<table class=\"targets\"><thead><tr><th scope=\"col\">Target</th>\
         <th scope=\"col\">Actual</th><th scope=\"col\">Verdict</th>\
         <th scope=\"col\">Projection</th></tr></thead><tbody>\n",
    );
    for t in &c.targets {
        let row = &t.row;
        let scope = match &row.phase {
            Some(ph) => format!("<span class=\"tag\">{}</span> ", escape(ph)),
            None => "<span class=\"tag\">standing</span> ".to_string(),
        };
        let name = if row.name != c.name {
            format!("{} ", escape(&row.name))
        } else {
            String::new()
        };
        let words = row
            .text
            .as_ref()
            .filter(|t| **t != row.target)
            .map(|t| format!("<br><span class=\"words\">{}</span>", escape(t)))
            .unwrap_or_default();
        let note = if t.drawn == Drawn::OtherScale {
            " <span class=\"muted\">(not drawn: another scale)</span>"
        } else {
            ""
        };
        let (class, verdict) = target_verdict(t);
        let projection = match &row.prediction {
            Some(pr) if pr.on_pace => format!("✓ {} on pace", escape(&pr.value_text)),
            Some(pr) => format!(
                "<span class=\"bad\">✗ {} at risk</span>",
                escape(&pr.value_text)
            ),
            None => "–".into(),
        };
        let actual = match (&row.actual_text, t.when) {
            (_, Some(When::Upcoming)) => "–".to_string(),
            (Some(a), _) => escape(a),
            (None, _) => "–".to_string(),
        };
        let _ = writeln!(
            out,
            "<tr><td>{scope}{name}<strong>{}</strong>{note}{words}</td><td class=\"num\">{actual}</td>\
             <td class=\"{class} verdict\">{}</td><td>{projection}</td></tr>",
            escape(&row.target),
            escape(&verdict),
        );
    }
    out.push_str("</tbody></table>\n");
}

fn values_table(out: &mut String, c: &MetricChart) {
    let n = c.points.len();
    let shown = &c.points[n.saturating_sub(TABLE_ROWS)..];
    let what = if shown.len() < n {
        format!("The last {} of {}", shown.len(), many(n, "value"))
    } else {
        format!("The {}", many(n, "value"))
    };
    let extra = match c.series {
        Series::Values => None,
        s => Some(series_label(s)),
    };
    let _ = write!(
        out,
        "<details><summary>{what}</summary><table class=\"values\"><thead><tr>\
         <th scope=\"col\">Date</th><th scope=\"col\" class=\"num\">Recorded</th>{}</tr></thead><tbody>",
        extra
            .as_ref()
            .map(|e| format!(
                "<th scope=\"col\" class=\"num\">{}</th>",
                escape(&capitalise(e))
            ))
            .unwrap_or_default()
    );
    for pt in shown {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td>{}</tr>",
            pt.date,
            escape(&format_value(pt.recorded, c.unit)),
            extra
                .as_ref()
                .map(|_| format!(
                    "<td class=\"num\">{}</td>",
                    escape(&format_value(pt.value, c.unit))
                ))
                .unwrap_or_default()
        );
    }
    out.push_str("</tbody></table></details>\n");
}

fn burnups(p: &mut Page, r: &Report) {
    p.out.push_str(
        "<section id=\"burnup\">\n<h2>Items burn-up</h2>\n<p class=\"note\">Items done \
         (solid) against items due by the plan (dashed), per phase, with when the rest would be \
         done at the pace of the last weeks (dotted, ending in ◇; see the README's Forecast).</p>\n<div class=\"charts burnups\">\n",
    );
    for c in &r.phases {
        let id = p.id("burnup-");
        let b = &c.burnup;
        let due_now = b
            .due_steps
            .iter()
            .take_while(|s| s.date <= r.as_of)
            .last()
            .map_or(0, |s| s.count);
        let mut sentence = format!(
            "{} of {} done; {due_now} due by {}.",
            b.done,
            plural(b.total, "item"),
            r.as_of
        );
        sentence.push(' ');
        sentence.push_str(&strip_tags(&capitalise(&forecast_words(c, false))));
        if !sentence.ends_with('.') {
            sentence.push('.');
        }
        // The chart runs to the phase's end, or on to the as-of date and
        // the forecast, but not past another phase's length.
        let limit = b.end + (b.end - b.start);
        let mut to = b.end;
        let finished = matches!(b.forecast, Forecast::Complete { .. } | Forecast::Empty);
        if r.as_of > to && !finished {
            to = r.as_of.min(limit);
        }
        if let Some(last) = b.done_steps.last() {
            to = to.max(last.date.min(limit));
        }
        let forecast = match b.forecast {
            Forecast::AtPace { on, .. } if r.as_of >= b.start => {
                let end = on.min(limit).max(r.as_of);
                to = to.max(end);
                // Clipped at the chart's edge: the line keeps its slope.
                let span = (on - r.as_of).num_days().max(1) as f64;
                let part = (end - r.as_of).num_days() as f64 / span;
                let value = b.done as f64 + (b.total - b.done) as f64 * part.min(1.0);
                Some(svg::Projection {
                    from: (r.as_of, b.done as f64),
                    to: (end, value),
                    label: if on <= limit {
                        format!("all by {}", svg::short_date(on))
                    } else if on == NaiveDate::MAX {
                        "never at this pace".into()
                    } else {
                        format!("all by {on}")
                    },
                })
            }
            _ => None,
        };
        let chart = svg::BurnUp {
            id: id.clone(),
            title: format!("Burn-up of {}", c.phase.name),
            desc: sentence.clone(),
            from: b.start,
            to,
            today: Some(r.as_of).filter(|d| *d >= b.start && *d <= to),
            total: b.total as f64,
            due: b
                .due_steps
                .iter()
                .map(|s| (s.date, s.count as f64))
                .collect(),
            done: b
                .done_steps
                .iter()
                .map(|s| (s.date, s.count as f64))
                .collect(),
            forecast,
        };
        let _ = writeln!(
            p.out,
            "<figure class=\"burnup\" id=\"{id}-fig\"><figcaption><h5>{}</h5>\
             <p class=\"summary\">{}</p></figcaption>\n{}</figure>",
            escape(&c.phase.name),
            escape(&sentence),
            svg::burn_up(&chart)
        );
    }
    p.out.push_str("</div>\n</section>\n");
}

/// `s` without the markup [`forecast_words`] adds, for plain-text uses.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' if inside => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

fn mark(timing: Timing) -> Mark {
    match timing {
        Timing::Done => Mark::Done,
        Timing::Overdue => Mark::Overdue,
        Timing::Open => Mark::Open,
        Timing::Upcoming => Mark::Upcoming,
    }
}

fn timeline(p: &mut Page, r: &Report) {
    let t = &r.timeline;
    let mut counts = [0usize; 4];
    let mut groups = Vec::new();
    for track in &t.tracks {
        let label = match &track.group {
            Some(g) if *g != track.name => format!("{} · {g}", track.name),
            _ => track.name.clone(),
        };
        let rows = track
            .rows
            .iter()
            .map(|row| {
                for item in &row.items {
                    counts[item.timing as usize] += 1;
                }
                let rest = row.total - row.done;
                let m = mark(row.rest);
                let status = match row.rest {
                    Timing::Done => format!("✓ {}/{} done", row.done, row.total),
                    _ if row.done == 0 => format!("{} {rest} {}", m.symbol(), m.word()),
                    _ => format!(
                        "{} {rest} {} · {}/{} done",
                        m.symbol(),
                        m.word(),
                        row.done,
                        row.total
                    ),
                };
                let mut tip = format!(
                    "{} · {} ({} → {})",
                    row.period,
                    months(row.months),
                    row.start,
                    row.due
                );
                for item in &row.items {
                    let m = mark(item.timing);
                    let _ = write!(tip, "\n{} {}: {}", m.symbol(), item.id, item.title);
                    if let Some(d) = item.done {
                        let _ = write!(tip, " (done {d})");
                    }
                }
                svg::GanttRow {
                    label: format!("{} · {}", row.period, months(row.months)),
                    from: row.start,
                    to: row.due,
                    done: row.done,
                    total: row.total,
                    rest: m,
                    status,
                    tip,
                }
            })
            .collect();
        groups.push(svg::GanttGroup { label, rows });
    }
    let total: usize = counts.iter().sum();
    let sentence = format!(
        "{} in {}, as of {}: {} done, {} overdue, {} open (under way), {} upcoming.",
        plural(total, "item"),
        plural(t.tracks.len(), "track"),
        r.as_of,
        counts[Timing::Done as usize],
        counts[Timing::Overdue as usize],
        counts[Timing::Open as usize],
        counts[Timing::Upcoming as usize],
    );
    // Drawn in parts of a few tracks each: a part fits a printed page (an
    // SVG is never split across pages) and repeats the months above it.
    let mut parts: Vec<Vec<svg::GanttGroup>> = vec![Vec::new()];
    let mut rows = 0;
    for g in groups {
        let size = g.rows.len() + 1;
        if rows > 0 && rows + size > GANTT_ROWS {
            parts.push(Vec::new());
            rows = 0;
        }
        rows += size;
        parts.last_mut().expect("one part at least").push(g);
    }
    let count = parts.len();
    let mut drawn = String::new();
    for (i, groups) in parts.into_iter().enumerate() {
        let id = p.id("timeline-");
        let title = match count {
            1 => format!("Timeline of {}", r.plan.name),
            n => format!("Timeline of {}, part {} of {n}", r.plan.name, i + 1),
        };
        let tracks: Vec<&str> = groups.iter().map(|g| g.label.as_str()).collect();
        let g = svg::Gantt {
            id,
            title,
            desc: format!("{sentence} This part: {}.", tracks.join(", ")),
            from: t.start,
            to: t.end,
            today: Some(r.as_of),
            bands: t
                .phases
                .iter()
                .map(|ph| svg::Band {
                    label: ph.name.clone(),
                    from: ph.start,
                    to: ph.end,
                })
                .collect(),
            groups,
            legend: i + 1 == count,
        };
        drawn.push_str(&svg::gantt(&g));
        drawn.push('\n');
    }
    let _ = write!(
        p.out,
        "<section id=\"timeline\">\n<h2>Timeline</h2>\n<figure class=\"gantt\">\
         <figcaption><p class=\"summary\">{}. Each bar is a period of a track: the part filled \
         solid from the left is done, the rest shows the state of the items not done.</p>\
         </figcaption>\n{drawn}",
        escape(sentence.trim_end_matches('.')),
    );
    let _ = write!(
        p.out,
        "<details><summary>All {}</summary><table class=\"items\"><thead><tr>\
         <th scope=\"col\">Item</th><th scope=\"col\">Title</th><th scope=\"col\">Track</th>\
         <th scope=\"col\">Months</th><th scope=\"col\">State</th></tr></thead><tbody>",
        plural(total, "item")
    );
    for track in &t.tracks {
        for item in track.rows.iter().flat_map(|r| &r.items) {
            let m = mark(item.timing);
            let state = match item.done {
                Some(d) => format!("{} done {d}", m.symbol()),
                None => format!("{} {}", m.symbol(), m.word()),
            };
            let _ = write!(
                p.out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td>\
                 <td class=\"s-{}\">{state}</td></tr>",
                escape(&item.id),
                escape(&item.title),
                escape(&item.track),
                months(item.months),
                m.word()
            );
        }
    }
    p.out
        .push_str("</tbody></table></details>\n</figure>\n</section>\n");
}

/// The page's styles, inlined: the page fetches nothing.
const CSS: &str = include_str!("report.css");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("a \"b\" & c"), "a &quot;b&quot; &amp; c");
        // Already-escaped text is escaped again: it is text, not markup.
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("Fundación · 100% → $50K"), "Fundación · 100% → $50K");
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(escape("a\u{1b}[2Jb\0"), "a␛[2Jb␀");
        assert_eq!(escape("two\nlines"), "two\nlines");
    }

    #[test]
    fn an_attribute_cannot_be_left() {
        // Inside a double- or single-quoted attribute value.
        let attr = format!("<p title=\"{}\">", escape("\" onmouseover=\"x"));
        assert_eq!(attr, "<p title=\"&quot; onmouseover=&quot;x\">");
        let attr = format!("<p title='{}'>", escape("' onmouseover='x"));
        assert_eq!(attr, "<p title='&#39; onmouseover=&#39;x'>");
    }

    #[test]
    fn backquoted_names_are_code_and_still_escaped() {
        assert_eq!(
            with_code("`revenue` is short of <b>"),
            "<code>revenue</code> is short of &lt;b&gt;"
        );
        assert_eq!(with_code("`<i>`"), "<code>&lt;i&gt;</code>");
        assert_eq!(with_code("a ` b"), "a ` b");
    }

    #[test]
    fn tags_are_stripped_for_plain_text() {
        assert_eq!(
            strip_tags("all done (<span class=\"bad\">✗ 3 days late</span>)"),
            "all done (✗ 3 days late)"
        );
    }
}
