//! Drawing the `check` report: every failing criterion explained, in words
//! a person can act on; as Markdown for `$GITHUB_STEP_SUMMARY`; and as
//! GitHub Actions workflow annotations.

use std::fmt::Write as _;

use super::{Style, plural};
use crate::cli::Format;
use crate::eval::alerts::AlertRow;
use crate::eval::check::Check;
use crate::eval::gate::{Gate, GateVerdict, TargetRow};
use crate::eval::kpi::TargetVerdict;
use crate::model::{Place, Severity};

/// One criterion of a gate, in words.
struct Line {
    mark: Mark,
    text: String,
    /// Where the criterion is written: the target, or the first open item.
    place: Option<Place>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Fail,
    Warn,
    Pass,
    /// A projection: advice only.
    Ahead,
    /// The open items under a failing items rule.
    Open,
}

impl Mark {
    fn glyph(self) -> &'static str {
        match self {
            Mark::Fail => "✗",
            Mark::Warn => "!",
            Mark::Pass => "✓",
            Mark::Ahead => "~",
            Mark::Open => " ",
        }
    }

    fn paint(self, style: Style, text: &str) -> String {
        match self {
            Mark::Fail => style.red(text),
            Mark::Warn | Mark::Ahead => style.yellow(text),
            Mark::Pass => style.green(text),
            Mark::Open => text.to_string(),
        }
    }
}

pub fn text(c: &Check, format: Format, style: Style, width: usize, me: &str) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    let failed = c
        .gates
        .iter()
        .filter(|g| g.verdict == GateVerdict::Fail)
        .count();
    let critical = c
        .alerts
        .iter()
        .filter(|a| a.severity == Severity::Critical)
        .count();
    let verdict = if c.ok { "passed" } else { "failed" };
    let gates = match (c.gates.len(), failed) {
        (0, _) => "no gate is due".to_string(),
        (n, 0) => format!("{} passed", plural(n, "gate")),
        (n, f) => format!("{f} of {} failed", plural(n, "gate")),
    };
    let mut facts = vec![gates];
    facts.push(match (c.alerts.len(), critical) {
        (0, _) => "no alert firing".to_string(),
        (n, 0) => format!("{} firing", plural(n, "alert")),
        (n, k) => format!("{} firing ({k} critical)", plural(n, "alert")),
    });
    if md {
        let icon = if c.ok { "✅" } else { "❌" };
        let _ = writeln!(out, "## {icon} roadmap check {verdict} as of {}\n", c.as_of);
        let _ = writeln!(out, "{}", facts.join(" · "));
    } else {
        let head = format!("roadmap check {verdict} as of {}", c.as_of);
        let head = if c.ok {
            style.green(&head)
        } else {
            style.red(&head)
        };
        let _ = writeln!(out, "{}: {}", style.bold(&head), facts.join(" · "));
    }
    for g in &c.gates {
        out.push('\n');
        gate(&mut out, g, md, style, width, me);
    }
    if let Some(n) = &c.next {
        let _ = writeln!(
            out,
            "\nNext gate: {}, judged once its phase ends on {}.",
            n.phase, n.due
        );
    }
    if let Some(f) = &c.forecast {
        out.push('\n');
        out.push_str(&super::forecast::section(
            &[(f.phase.as_str(), &f.forecast)],
            md,
            style,
            width,
        ));
    }
    if !c.alerts.is_empty() {
        out.push('\n');
        if md {
            let _ = writeln!(out, "### Alerts\n");
        } else {
            let _ = writeln!(out, "{}", style.bold("Alerts"));
        }
        for a in &c.alerts {
            let mark = if a.severity == Severity::Critical {
                Mark::Fail
            } else {
                Mark::Warn
            };
            let bullet = if md { "- " } else { "  " };
            let (head, action) = super::alerts::summary(a);
            let _ = writeln!(out, "{bullet}{} {head}", mark.paint(style, mark.glyph()));
            if let Some(action) = action {
                let indent = if md { "  - " } else { "      " };
                let _ = writeln!(out, "{indent}{action}");
            }
        }
    }
    out
}

fn gate(out: &mut String, g: &Gate, md: bool, style: Style, width: usize, me: &str) {
    let (word, mark) = match g.verdict {
        GateVerdict::Pass => ("pass", Mark::Pass),
        GateVerdict::Warn => ("pass with warnings", Mark::Warn),
        GateVerdict::Fail => ("fail", Mark::Fail),
    };
    let when = if g.due {
        format!("ended {}: {word}", g.end)
    } else {
        format!("under way until {}: as of now it would {word}", g.end)
    };
    let title = format!("{} {} ({}), {when}", mark.glyph(), g.name, g.phase);
    if md {
        let _ = writeln!(out, "### {title}\n");
    } else {
        let _ = writeln!(out, "{}", mark.paint(style, &title));
    }
    let bullet = if md { "- " } else { "  " };
    // Markdown is read in a browser: no need to shorten the open items.
    let room = if md {
        usize::MAX
    } else {
        width.saturating_sub(4)
    };
    let open: Vec<&str> = g.items.open.iter().map(String::as_str).collect();
    let all = format!("{me} items --phase {} --open", g.phase);
    let folded = open.len() > super::markdown::INLINE_IDS;
    for line in lines(g, room, me) {
        if md && line.mark == Mark::Open {
            // A few ids as a nested list item (not an indented code
            // block); many, folded below the list.
            if !folded {
                let ids = super::markdown::ids("open", "", &open, &all, "    ");
                let _ = write!(out, "  - {ids}");
            }
            continue;
        }
        let _ = writeln!(
            out,
            "{bullet}{} {}",
            line.mark.paint(style, line.mark.glyph()),
            line.text
        );
    }
    if md && !g.items.met && folded {
        let summary = format!("{} open items of {}", open.len(), g.phase);
        out.push('\n');
        out.push_str(&super::markdown::ids("open", &summary, &open, &all, ""));
    }
}

/// Every criterion that fails or warns, one line each; the met ones summed
/// up in one line; then projections for a gate not yet due.
fn lines(g: &Gate, room: usize, me: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let items = &g.items;
    let required = if items.required == items.total {
        "all required".to_string()
    } else {
        format!("{} required", items.required)
    };
    if items.met {
        lines.push(Line {
            mark: Mark::Pass,
            text: format!("items: {} of {} done ({required})", items.done, items.total),
            place: None,
        });
    } else {
        lines.push(Line {
            mark: Mark::Fail,
            text: format!(
                "items: {} of {} done ({required}; {me} items --phase {} --open)",
                items.done, items.total, g.phase
            ),
            place: items.first_open.clone(),
        });
        lines.push(Line {
            mark: Mark::Open,
            text: open_list(&items.open, room),
            place: None,
        });
    }
    let mut met = 0;
    for t in g.targets.iter().filter(|t| !t.qualitative) {
        match target_line(t) {
            Some(line) => lines.push(line),
            None => met += 1,
        }
    }
    if met > 0 {
        lines.push(Line {
            mark: Mark::Pass,
            text: format!("{} met", plural(met, "target")),
            place: None,
        });
    }
    if !g.due {
        for t in &g.targets {
            if let Some(p) = &t.prediction {
                let pace = if p.on_pace { "on pace" } else { "at risk" };
                lines.push(Line {
                    mark: if p.on_pace { Mark::Pass } else { Mark::Ahead },
                    text: format!(
                        "{}: projected {} by {} from {} ({:?} fit), {pace} for {}",
                        t.name,
                        p.value_text,
                        p.at,
                        plural(p.points, "value"),
                        p.model,
                        t.target
                    )
                    .replace("Linear fit", "linear fit")
                    .replace("Exponential fit", "exponential fit"),
                    place: Some(t.place.clone()),
                });
            }
        }
    }
    lines
}

/// "open: a, b, c, … 104 more", naming as many ids as fit in `room`
/// columns.
fn open_list(open: &[String], room: usize) -> String {
    let mut text = String::from("  open: ");
    // Measured as it grows: measuring the whole text for each id was
    // quadratic, and a gate of a large plan has tens of thousands.
    let mut width = super::display_width(&text);
    for (i, id) in open.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let left = open.len() - i - 1;
        let tail = if left > 0 {
            super::display_width(&format!(", … {left} more"))
        } else {
            0
        };
        let id_width = super::display_width(id);
        if i > 0 && width + sep.len() + id_width + tail > room {
            text.push_str(&format!(", … {} more", left + 1));
            return text;
        }
        text.push_str(sep);
        text.push_str(id);
        width += sep.len() + id_width;
    }
    text
}

/// The line for a target that is not simply met.
fn target_line(t: &TargetRow) -> Option<Line> {
    let actual = t.actual_text.as_deref().unwrap_or("–");
    let (mark, text) = match t.verdict {
        TargetVerdict::Met | TargetVerdict::NotDue => return None,
        TargetVerdict::Unmet if t.warn => (
            Mark::Warn,
            format!(
                "{}: {actual}, wanted {} (inside the warning band {})",
                t.name,
                t.target,
                t.band.as_deref().unwrap_or("")
            ),
        ),
        TargetVerdict::Unmet => (
            Mark::Fail,
            format!("{}: {actual}, wanted {}", t.name, t.target),
        ),
        TargetVerdict::NoData => (
            Mark::Fail,
            format!(
                "{}: no value recorded in its window, wanted {}",
                t.name, t.target
            ),
        ),
        // A gate judges its phase's last day: a daily value from two days
        // before is out of date then, and the line says what would count.
        TargetVerdict::Stale => (
            Mark::Fail,
            format!(
                "{}: last value {actual} on {} is out of date, wanted {}{}",
                t.name,
                t.last.map(|d| d.to_string()).unwrap_or_default(),
                t.target,
                t.fresh_from
                    .map(|d| format!(" (record a value dated {d} or later)"))
                    .unwrap_or_default()
            ),
        ),
    };
    Some(Line {
        mark,
        text,
        place: Some(t.place.clone()),
    })
}

fn alert_line(a: &AlertRow) -> String {
    match super::alerts::summary(a) {
        (head, Some(action)) => format!("{head} {action}"),
        (head, None) => head,
    }
}

/// GitHub Actions keeps at most this many annotations of each level (error,
/// warning) per step, and drops the rest without a word.
pub const SHOWN: usize = 10;

/// An annotation's title stays within this many columns: GitHub shows it
/// in bold above the message, beside the line.
const TITLE: usize = 48;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Error,
    Warning,
}

/// One finding of the check, as an annotation.
struct Finding<'a> {
    level: Level,
    /// Which kind of finding: the lower, the sooner it is annotated.
    kind: u8,
    /// How far a target misses (its percent of the target: the lower,
    /// the further); None after every measured miss.
    reached: Option<f64>,
    place: Option<&'a Place>,
    title: String,
    text: String,
}

/// Every finding of `c`, most important first: the failures of failing
/// gates (their items rules, then targets by how far they miss: measured
/// misses from the furthest, then stale values, then missing ones), then
/// critical alerts; then the warnings (targets inside their warning band,
/// by how far they miss, projections at risk, opportunity alerts). Ties
/// keep the report's order.
fn findings<'a>(c: &'a Check, me: &str) -> Vec<Finding<'a>> {
    let mut all = Vec::new();
    for g in &c.gates {
        let title = |what: &str| super::truncate(&format!("Gate {}: {what}", g.phase), TITLE);
        if !g.items.met {
            all.push(Finding {
                level: Level::Error,
                kind: 0,
                reached: None,
                place: g.items.first_open.as_ref(),
                title: title("items"),
                text: items_text(g, me),
            });
        }
        for t in g.targets.iter().filter(|t| !t.qualitative) {
            let Some(line) = target_line(t) else {
                continue;
            };
            let (level, kind) = match (line.mark, t.verdict) {
                (Mark::Warn, _) => (Level::Warning, 0),
                (_, TargetVerdict::Stale) => (Level::Error, 2),
                (_, TargetVerdict::NoData) => (Level::Error, 3),
                _ => (Level::Error, 1),
            };
            all.push(Finding {
                level,
                kind,
                reached: t.percent_of_target,
                place: Some(&t.place),
                title: title(&t.name),
                text: line.text,
            });
        }
        if !g.due {
            // No room for the open ids, which are not used here.
            for line in lines(g, 0, me) {
                if line.mark != Mark::Ahead {
                    continue;
                }
                let target = g
                    .targets
                    .iter()
                    .find(|t| line.place.as_ref() == Some(&t.place));
                all.push(Finding {
                    level: Level::Warning,
                    kind: 1,
                    reached: None,
                    place: target.map(|t| &t.place),
                    title: title(&format!(
                        "{} at risk",
                        target.map_or("target", |t| t.name.as_str())
                    )),
                    text: line.text,
                });
            }
        }
    }
    for a in &c.alerts {
        let (level, kind) = match a.severity {
            Severity::Critical => (Level::Error, 4),
            Severity::Opportunity => (Level::Warning, 2),
        };
        all.push(Finding {
            level,
            kind,
            reached: None,
            place: Some(&a.place),
            title: super::truncate(&format!("Alert {}", a.id), TITLE),
            text: alert_line(a),
        });
    }
    rank(&mut all);
    all
}

/// Most important first. Stable: ties keep the report's order.
fn rank(all: &mut [Finding]) {
    all.sort_by(|a, b| {
        (a.level, a.kind)
            .cmp(&(b.level, b.kind))
            .then_with(|| match (a.reached, b.reached) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
    });
}

/// The items rule's line, as the report words it.
fn items_text(g: &Gate, me: &str) -> String {
    lines(g, 0, me)
        .into_iter()
        .find(|l| l.mark == Mark::Fail)
        .map(|l| l.text)
        .unwrap_or_default()
}

/// GitHub Actions workflow commands for the findings of `c`: an `::error`
/// for each failure (of a gate, or a critical alert), a `::warning` for the
/// rest, most important first (see [`findings`]), each pointing at the
/// line (and column) that defines it (`file=roadmap/kpis.yaml,line=42,col=5`)
/// so it shows beside that line in a pull request. At most [`SHOWN`] of
/// each level, since GitHub would drop the rest silently; then one
/// `::notice` saying how many more there are and `again`, the command that
/// lists every one. `locate` turns a place's path into the path GitHub
/// knows it by, relative to the repository's top; None leaves the
/// annotation without a file.
pub fn annotations(
    c: &Check,
    me: &str,
    again: &str,
    locate: &dyn Fn(&Place) -> Option<String>,
) -> String {
    annotations_of(&[("", me, c)], &[], again, locate)
}

/// A finding that is no plan's (a portfolio's company KPI that misses its
/// target), annotated with the plans' findings: an error when it fails,
/// else a warning.
pub struct Extra<'a> {
    pub failure: bool,
    pub place: &'a Place,
    pub title: String,
    pub text: String,
}

/// [`annotations`] over several plans' checks at once (a portfolio), each
/// given as `(label, me, check)`, and `extra` findings: all of them ranked
/// together and capped together, since the cap is GitHub's, per step. A
/// label names the plan at the head of each of its titles. The extra
/// findings concern the whole portfolio, so they come first of their
/// level.
pub fn annotations_of(
    checks: &[(&str, &str, &Check)],
    extra: &[Extra],
    again: &str,
    locate: &dyn Fn(&Place) -> Option<String>,
) -> String {
    let mut all: Vec<Finding> = extra
        .iter()
        .map(|e| Finding {
            level: if e.failure {
                Level::Error
            } else {
                Level::Warning
            },
            kind: 0,
            reached: None,
            place: Some(e.place),
            title: super::truncate(&e.title, TITLE),
            text: e.text.clone(),
        })
        .collect();
    for (label, me, c) in checks {
        for mut f in findings(c, me) {
            if !label.is_empty() {
                f.title = super::truncate(&format!("{label}: {}", f.title), TITLE);
            }
            all.push(f);
        }
    }
    rank(&mut all);
    let mut out = String::new();
    let mut left: Vec<&Finding> = Vec::new();
    let mut shown = [0usize; 2];
    for f in &all {
        let n = &mut shown[f.level as usize];
        if *n == SHOWN {
            left.push(f);
            continue;
        }
        *n += 1;
        let level = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "::{level} {}title={}::{}",
            location(f.place, locate),
            escape_property(&f.title),
            escape_data(&f.text)
        );
    }
    if let Some(first) = left.first() {
        let count = |level: Level| left.iter().filter(|f| f.level == level).count();
        let mut parts = Vec::new();
        match count(Level::Error) {
            0 => {}
            n => parts.push(format!(
                "{n} more {}",
                if n == 1 { "failure" } else { "failures" }
            )),
        }
        match count(Level::Warning) {
            0 => {}
            n => parts.push(plural(n, "more warning")),
        }
        let _ = writeln!(
            out,
            "::notice {}title={}::{}",
            location(first.place, locate),
            escape_property(&format!(
                "{} not annotated",
                plural(left.len(), "more finding")
            )),
            escape_data(&format!(
                "{} not annotated here (GitHub shows {SHOWN} of each kind per step): \
                 `{again}` lists every one",
                parts.join(" and ")
            ))
        );
    }
    out
}

/// `file=…,line=…,col=…,` for a place GitHub can show, else nothing.
fn location(place: Option<&Place>, locate: &dyn Fn(&Place) -> Option<String>) -> String {
    let Some(place) = place else {
        return String::new();
    };
    let Some(file) = locate(place) else {
        return String::new();
    };
    let mut props = format!("file={},line={},", escape_property(&file), place.line);
    if place.col > 0 {
        let _ = write!(props, "col={},", place.col);
    }
    props
}

/// Workflow command escaping, as the Actions runner expects it.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_text_is_escaped() {
        // As @actions/core does: `%` first, so an escape is never escaped
        // again; a property also loses `:` and `,`, which end it.
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_data("a: b, %0A"), "a: b, %250A");
        assert_eq!(
            escape_property("Gate f1 (Fase 1: Fundación, x)"),
            "Gate f1 (Fase 1%3A Fundación%2C x)"
        );
        assert_eq!(escape_property("100%\n:,"), "100%25%0A%3A%2C");
    }
}
