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

/// GitHub Actions shows at most this many annotations of each level per
/// step and drops the rest without a word.
const SHOWN: usize = 10;

/// GitHub Actions workflow commands: an `::error` for each failing
/// criterion and critical alert, a `::warning` for the rest, each pointing
/// at the line that defines it (`file=roadmap/kpis.yaml,line=42`) so it
/// shows in a pull request's diff. `locate` turns a place's path into the
/// path GitHub knows it by, relative to the repository's top; None leaves
/// the annotation without a file.
///
/// Past ten of a level, the first nine are printed and a tenth says how many
/// more there are and where to read them all.
pub fn annotations(c: &Check, me: &str, locate: &dyn Fn(&Place) -> Option<String>) -> String {
    let mut all: Vec<(&str, Option<&Place>, String, String)> = Vec::new();
    let gate_lines: Vec<(String, Vec<Line>)> = c
        .gates
        .iter()
        .map(|g| {
            (
                format!("Gate {} ({})", g.phase, g.name),
                lines(g, usize::MAX, me),
            )
        })
        .collect();
    for (title, lines) in &gate_lines {
        for line in lines {
            let level = match line.mark {
                Mark::Fail => "error",
                Mark::Warn | Mark::Ahead => "warning",
                Mark::Pass | Mark::Open => continue,
            };
            all.push((level, line.place.as_ref(), title.clone(), line.text.clone()));
        }
    }
    for a in &c.alerts {
        let level = if a.severity == Severity::Critical {
            "error"
        } else {
            "warning"
        };
        all.push((
            level,
            Some(&a.place),
            format!("Alert {}", a.id),
            alert_line(a),
        ));
    }
    let mut out = String::new();
    for level in ["error", "warning"] {
        let of_level: Vec<_> = all.iter().filter(|a| a.0 == level).collect();
        let shown = if of_level.len() > SHOWN {
            SHOWN - 1
        } else {
            of_level.len()
        };
        for (level, place, title, text) in &of_level[..shown] {
            let mut props = String::new();
            if let Some(place) = place
                && let Some(file) = locate(place)
            {
                let _ = write!(
                    props,
                    "file={},line={},",
                    escape_property(&file),
                    place.line
                );
            }
            let _ = writeln!(
                out,
                "::{level} {props}title={}::{}",
                escape_property(title),
                escape_data(text)
            );
        }
        let more = of_level.len() - shown;
        if more > 0 {
            let noun = if level == "error" {
                "failure"
            } else {
                "warning"
            };
            let _ = writeln!(
                out,
                "::{level} title={}::{}",
                escape_property("roadmap check"),
                escape_data(&format!(
                    "and {more} more {noun}{}, not annotated: the check report in the \
                     job summary and in this step's log lists every one",
                    if more == 1 { "" } else { "s" }
                ))
            );
        }
    }
    out
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
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(
            escape_property("Gate f1 (Fase 1: Fundación, x)"),
            "Gate f1 (Fase 1%3A Fundación%2C x)"
        );
    }
}
