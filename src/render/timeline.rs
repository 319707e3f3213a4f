//! Drawing the `timeline` report: a text chart for a terminal, and a
//! Mermaid `gantt` chart (bare, or fenced for Markdown) that GitHub and
//! GitLab draw where a README or pull request shows it.
//!
//! Mermaid's gantt grammar is line-based and picky about text: a `:` ends
//! a task's name, `#...;` is an entity, a line starting with `title`,
//! `section`, `click` or a date is read as that statement, and `%` at the
//! start of a line is a comment. Every name the plan supplies goes through
//! [`gantt_text`], and the test suite runs the real Mermaid parser on the
//! output (`tests/cli/timeline.rs`).

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::status::months;
use super::{Col, Grid, Style, Tone, plural};
use crate::cli::Format;
use crate::eval::timeline::Timeline;
use crate::eval::{State, Timing};
use crate::model::months::MonthWindow;

/// At most this many marks in a row of the text chart: a longer plan gets
/// one mark for several months.
const MAX_MARKS: u32 = 36;

/// The text chart: a row per phase and per item, each with a bar of its
/// months on a common scale, and a row marking the as-of month.
pub fn text(t: &Timeline, format: Format, style: Style, width: usize) -> String {
    let mut out = String::new();
    let per = t.plan.months.div_ceil(MAX_MARKS).max(1);
    let scale = if per == 1 {
        "one mark a month".to_string()
    } else {
        format!("one mark per {per} months")
    };
    let title = [
        style.bold(&t.plan.name),
        format!("{} → {}", t.plan.start, t.plan.end),
    ];
    let room = if format == Format::Markdown {
        usize::MAX
    } else {
        width
    };
    let _ = writeln!(out, "{}", super::join_fitting(&title, room));
    let month = u32::try_from(t.month)
        .ok()
        .filter(|m| (1..=t.plan.months).contains(m));
    let _ = writeln!(
        out,
        "As of {} · {} · {scale}\n",
        t.as_of,
        match month {
            Some(m) => format!("month {m} of {} (▼)", t.plan.months),
            None if t.month < 1 => "before the plan starts".to_string(),
            None => "after the plan ended".to_string(),
        }
    );
    if t.phases.is_empty() && t.tracks.is_empty() {
        out.push_str("No phases or items match.\n");
        return out;
    }
    let bar = |window: MonthWindow| bar(window, month, t.plan.months, per);
    let mut g = Grid::new(&[
        Col::new("Track").optional().squeeze(),
        Col::new("ID").squeeze(),
        Col::new("Item").flex(),
        Col::new("Months"),
        Col::new("State"),
        Col::new("Timeline"),
    ]);
    if let Some(m) = month {
        let marks = t.plan.months.div_ceil(per);
        let at = (m - 1) / per;
        let line: String = (0..marks)
            .map(|i| if i == at { '▼' } else { ' ' })
            .collect();
        // Only the month: a date here would widen the chart, and the
        // second line says what `▼` is.
        g.push(vec![
            (String::new(), Tone::Plain),
            (String::new(), Tone::Plain),
            (String::new(), Tone::Plain),
            (m.to_string(), Tone::Plain),
            (String::new(), Tone::Plain),
            (line.trim_end().to_string(), Tone::Plain),
        ]);
    }
    for p in &t.phases {
        let (state, tone) = timing_cell(p.state);
        let window = MonthWindow {
            start: p.months.start,
            end: p.months.end,
        };
        g.push(vec![
            ("phase".to_string(), Tone::Dim),
            (p.id.clone(), Tone::Plain),
            (p.name.clone(), Tone::Plain),
            (months(p.months), Tone::Plain),
            (state, tone),
            (bar(window), tone),
        ]);
    }
    let mut items = 0;
    let (mut done, mut overdue) = (0, 0);
    for track in &t.tracks {
        for r in &track.items {
            items += 1;
            done += usize::from(r.state == State::Done);
            overdue += usize::from(r.overdue);
            let (state, tone) = super::status::state_cell(r);
            let window = MonthWindow {
                start: r.months.start,
                end: r.months.end,
            };
            g.push(vec![
                (track.id.clone(), Tone::Plain),
                (r.id.clone(), Tone::Plain),
                (r.title.clone(), Tone::Plain),
                (months(r.months), Tone::Plain),
                (state, tone),
                (bar(window), tone),
            ]);
        }
    }
    out.push_str(&g.render(format, style, width));
    let _ = writeln!(
        out,
        "\n{} · {done} done · {overdue} overdue",
        plural(items, "item")
    );
    out
}

/// A phase's cell: where it stands in time.
fn timing_cell(timing: Timing) -> (String, Tone) {
    match timing {
        Timing::Done => ("done".to_string(), Tone::Good),
        Timing::Overdue => ("overdue".to_string(), Tone::Bad),
        Timing::Open => ("open".to_string(), Tone::Plain),
        Timing::Upcoming => ("upcoming".to_string(), Tone::Dim),
    }
}

/// A row's bar: `█` for the marks its window covers, `·` elsewhere, and
/// `│` for the as-of month where the window does not cover it, so that
/// "now" reads down the chart.
fn bar(window: MonthWindow, as_of: Option<u32>, plan_months: u32, per: u32) -> String {
    let marks = plan_months.div_ceil(per);
    (0..marks)
        .map(|i| {
            let (first, last) = (i * per + 1, ((i + 1) * per).min(plan_months));
            if window.start <= last && window.end >= first {
                '█'
            } else if as_of.is_some_and(|m| (first..=last).contains(&m)) {
                '│'
            } else {
                '·'
            }
        })
        .collect()
}

/// The Mermaid `gantt` chart: a section of phases (with a milestone on the
/// as-of date), then a section per track with its items. Items and phases
/// are tagged `done`, `active` (under way) or `crit` (overdue, or a phase
/// under way with overdue items).
pub fn mermaid(t: &Timeline) -> String {
    gantt(t, usize::MAX).0
}

/// Mermaid draws a chart of at most this many characters (UTF-16 code
/// units: its `maxTextSize`, 50,000 by default, which GitHub keeps) and
/// shows "Maximum text size in diagram exceeded" for a longer one.
pub const MERMAID_MAX: usize = 50_000;

/// The chart, its items in plan order for as long as the text stays within
/// `room` UTF-16 code units, and how many items it left out.
///
/// An item that waits on others (`after:`) is written `after a b` when the
/// last of them is due on or after its window opens (and before its own
/// deadline): Mermaid then starts its bar the day after, which is when the
/// work can really start, and keeps the link if the plan moves. Otherwise
/// its window's dates stand: `after` would draw it starting before its
/// window, or ending before it starts. Only items above it count: Mermaid
/// ignores a task named before it is defined (its tests show it), and an
/// item with an id Mermaid's `after` cannot spell (`item.done`) is never
/// named.
fn gantt(t: &Timeline, room: usize) -> (String, usize) {
    let mut out = String::new();
    out.push_str("gantt\n");
    let _ = writeln!(
        out,
        "    title {}",
        gantt_text(&format!("{} · as of {}", t.plan.name, t.as_of))
    );
    out.push_str("    dateFormat YYYY-MM-DD\n");
    out.push_str("    axisFormat %Y-%m\n");
    // Ends are written as the last day of a window, as `roadmap items`
    // shows them; Mermaid's default would end a bar a day early.
    out.push_str("    inclusiveEndDates\n");
    // The chart says where things stood on the as-of date (a milestone);
    // a "today" line drawn whenever it is viewed would contradict it.
    out.push_str("    todayMarker off\n");
    if !t.phases.is_empty() {
        out.push_str("    section Phases\n");
        for p in &t.phases {
            let mut tags = tags(p.state);
            if p.state == Timing::Open && p.items.overdue > 0 {
                tags.push("crit");
            }
            task(
                &mut out,
                &p.name,
                &tags,
                &format!("phase.{}", p.id),
                &p.start.to_string(),
                p.end,
            );
        }
        let _ = writeln!(
            out,
            "    {} :milestone, plan.as-of, {}, 0d",
            gantt_text(&format!("as of {}", t.as_of)),
            t.as_of
        );
    }
    let mut used = utf16(&out);
    let mut left_out = 0;
    // The items drawn so far, and when each is due.
    let mut due: HashMap<&str, NaiveDate> = HashMap::new();
    for track in &t.tracks {
        if left_out > 0 {
            left_out += track.items.len();
            continue;
        }
        let section = format!("    section {}\n", gantt_text(&track.name));
        let mut lines = String::new();
        let mut size = utf16(&section);
        for (i, r) in track.items.iter().enumerate() {
            let mut line = String::new();
            let after: Vec<&String> = r
                .after
                .iter()
                .filter(|a| due.contains_key(a.as_str()))
                .collect();
            let start = match after.iter().map(|a| due[a.as_str()]).max() {
                Some(last) if last >= r.start.pred_opt().unwrap_or(r.start) && last < r.due => {
                    let ids: Vec<&str> = after.iter().map(|a| a.as_str()).collect();
                    format!("after {}", ids.join(" "))
                }
                _ => r.start.to_string(),
            };
            task(
                &mut line,
                &r.title,
                &tags(r.timing),
                &item_id(&r.id),
                &start,
                r.due,
            );
            if used + size + utf16(&line) > room {
                left_out = track.items.len() - i;
                break;
            }
            size += utf16(&line);
            lines.push_str(&line);
            if item_id(&r.id) == r.id {
                due.insert(&r.id, r.due);
            }
        }
        if !lines.is_empty() {
            out.push_str(&section);
            out.push_str(&lines);
            used += size;
        }
    }
    (out, left_out)
}

fn utf16(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The Mermaid chart in a fence, which GitHub and GitLab draw. A chart
/// Mermaid would refuse to draw (over [`MERMAID_MAX`]) keeps the items
/// that fit, and a line under it says how many were left out and how to
/// get them.
pub fn markdown(t: &Timeline, me: &str) -> String {
    // A margin for the text Mermaid adds before measuring (its config).
    let (chart, left_out) = gantt(t, MERMAID_MAX - 1_000);
    let mut out = format!("```mermaid\n{chart}```\n");
    if left_out > 0 {
        let total: usize = t.tracks.iter().map(|r| r.items.len()).sum();
        let _ = writeln!(
            out,
            "\nThe chart shows {} of {total} items, as GitHub draws a Mermaid chart of \
             up to {MERMAID_MAX} characters: narrow it with `--phase`, `--track` or \
             `--area`, or write it whole with `{me} timeline --format mermaid`.",
            total - left_out
        );
    }
    out
}

fn tags(timing: Timing) -> Vec<&'static str> {
    match timing {
        Timing::Done => vec!["done"],
        Timing::Overdue => vec!["crit"],
        Timing::Open => vec!["active"],
        Timing::Upcoming => vec![],
    }
}

/// An item's task id: its own (so a `click ID href ...` line can be added
/// by hand), unless Mermaid would read it as a tag (`done`, `crit`, ...).
/// Plan ids are lowercase letters, digits, `-` and `_`; the chart's own
/// ids carry a `.`, which no plan id can, so they never clash.
fn item_id(id: &str) -> String {
    if ["active", "done", "crit", "milestone", "vert"].contains(&id) {
        format!("item.{id}")
    } else {
        id.to_string()
    }
}

/// One task line: `    Name :tag, tag, id, start, end`.
fn task(
    out: &mut String,
    name: &str,
    tags: &[&str],
    id: &str,
    start: &str,
    end: chrono::NaiveDate,
) {
    let mut data: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
    data.extend([id.to_string(), start.to_string(), end.to_string()]);
    let _ = writeln!(out, "    {} :{}", gantt_text(name), data.join(", "));
}

/// Statements of the gantt grammar: a line starting with one of these
/// (any case, followed by a non-letter) is read as that statement.
const KEYWORDS: &[&str] = &[
    "gantt",
    "dateformat",
    "inclusiveenddates",
    "topaxis",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "weekday",
    "weekend",
    "title",
    "accdescription",
    "accdescr",
    "acctitle",
    "section",
    "click",
    "call",
    "href",
];

/// Text as Mermaid's gantt grammar reads it back unchanged: on one line,
/// with the characters the grammar or the renderer give a meaning to
/// written as Mermaid entities (`#58;` for `:`), which it draws as the
/// character. A leading keyword or date gets its first character encoded.
pub fn gantt_text(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(one_line.len());
    for (i, c) in one_line.chars().enumerate() {
        let special = matches!(c, ':' | '#' | ';' | '"' | '<' | '>' | '&' | '`')
            // Mermaid's own placeholders for entities: taken literally,
            // they would be drawn as `&` and `;`.
            || matches!(c, 'ﬂ' | '¶')
            || (i == 0 && (c == '%' || c == '{' || c == '}'))
            || (i == 0 && starts_statement(&one_line));
        if special {
            let _ = write!(out, "#{};", u32::from(c));
        } else if !c.is_control() {
            out.push(c);
        }
    }
    if out.is_empty() {
        // A task needs a name; an empty one would end the line at `:`.
        out.push_str("#8203;");
    }
    out
}

/// Whether `text` starts with a statement keyword or a `YYYY-MM-DD` date.
fn starts_statement(text: &str) -> bool {
    let lower = text.to_lowercase();
    let keyword = KEYWORDS.iter().any(|k| {
        lower.starts_with(k)
            && !lower[k.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
    });
    let b = text.as_bytes();
    let date = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    keyword || date
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_become_entities() {
        assert_eq!(
            gantt_text("Opening day: free coffee"),
            "Opening day#58; free coffee"
        );
        assert_eq!(
            gantt_text("#1 rank; \"best\""),
            "#35;1 rank#59; #34;best#34;"
        );
        assert_eq!(gantt_text("<b> & co"), "#60;b#62; #38; co");
        assert_eq!(gantt_text("50% growth"), "50% growth");
        assert_eq!(gantt_text("%% not a comment"), "#37;% not a comment");
    }

    #[test]
    fn text_stays_on_one_line() {
        assert_eq!(gantt_text("  two\nlines\t here "), "two lines here");
        assert_eq!(gantt_text("bell\u{7}"), "bell");
        assert_eq!(gantt_text(" "), "#8203;");
    }

    #[test]
    fn a_leading_keyword_or_date_is_not_a_statement() {
        assert_eq!(gantt_text("Title page design"), "#84;itle page design");
        assert_eq!(
            gantt_text("section 3 of the lease"),
            "#115;ection 3 of the lease"
        );
        assert_eq!(gantt_text("Click tracking"), "#67;lick tracking");
        assert_eq!(gantt_text("2026-05-01 launch"), "#50;026-05-01 launch");
        assert_eq!(gantt_text("Titles and clicks"), "Titles and clicks");
        assert_eq!(gantt_text("Gantt"), "#71;antt");
    }

    #[test]
    fn bars_cover_their_months_and_mark_now() {
        let w = |start, end| MonthWindow { start, end };
        assert_eq!(bar(w(1, 3), Some(5), 9, 1), "███·│····");
        assert_eq!(bar(w(4, 6), Some(5), 9, 1), "···███···");
        assert_eq!(bar(w(7, 9), None, 9, 1), "······███");
        // Two months a mark: months 4-5 touch the marks of 3-4 and 5-6.
        assert_eq!(bar(w(4, 5), Some(9), 10, 2), "·██·│");
    }
}
