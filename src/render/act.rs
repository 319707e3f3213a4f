//! Drawing what `alerts --act` did (or, with `--dry-run`, would do), and
//! the words actions receive: the JSON on a command's standard input and
//! in a webhook's body, with a Slack-compatible `text`.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Style, plural, truncate};
use crate::cli::Format;
use crate::eval::act::{ActReport, Status, Task};
use crate::eval::alerts::AlertRow;
use crate::model::Severity;
use crate::model::actions::{MAX_ATTEMPTS, Step};

/// The `--act` section, drawn after the alerts report.
pub fn text(r: &ActReport, as_of: NaiveDate, format: Format, style: Style, width: usize) -> String {
    let md = format == Format::Markdown;
    let mut out = String::from("\n");
    let head = header(r, as_of);
    if md {
        let _ = writeln!(out, "## {head}");
    } else {
        let _ = writeln!(out, "{}", style.bold(&head));
    }
    let fit = |line: String| if md { line } else { truncate(&line, width) };
    let mut current: Option<(&str, NaiveDate)> = None;
    for t in &r.tasks {
        if current != Some((&t.alert, t.episode)) {
            current = Some((&t.alert, t.episode));
            out.push('\n');
            let line = format!(
                "{}, firing since {} ({}) → {}",
                t.alert,
                t.episode,
                plural(usize::try_from(t.days).unwrap_or(usize::MAX), "day"),
                t.action
            );
            let _ = match md {
                true => writeln!(out, "- **{}**{}", t.alert, &line[t.alert.len()..]),
                false => writeln!(out, "{}", fit(line)),
            };
        }
        let (mark, status) = status(t, r.dry_run);
        let line = format!("{mark} {} {}: {status}", t.step, target(t));
        let line = match md {
            true => format!("  - {}", line),
            false => fit(format!("  {line}")),
        };
        let line = match (md, t.status) {
            (false, Status::Failed | Status::GaveUp) => style.red(&line),
            (false, Status::Ok) => style.green(&line),
            (false, Status::Done) => style.dim(&line),
            _ => line,
        };
        let _ = writeln!(out, "{line}");
    }
    out
}

/// "Actions as of 2026-08-11: 2 attempted (1 failed) · 1 done before".
fn header(r: &ActReport, as_of: NaiveDate) -> String {
    let count = |s: Status| r.tasks.iter().filter(|t| t.status == s).count();
    let mut parts = Vec::new();
    let attempted = count(Status::Ok) + count(Status::Failed);
    if r.dry_run {
        let due = count(Status::Due);
        parts.push(match due {
            0 => "nothing would run".to_string(),
            n => format!("{n} would run"),
        });
    } else if attempted > 0 {
        parts.push(format!(
            "{attempted} attempted ({} failed)",
            count(Status::Failed)
        ));
    }
    if count(Status::Done) > 0 {
        parts.push(format!(
            "{} done earlier in the episode",
            count(Status::Done)
        ));
    }
    if count(Status::GaveUp) > 0 {
        parts.push(format!("{} given up", count(Status::GaveUp)));
    }
    let label = match r.dry_run {
        true => format!("Actions as of {as_of} (dry run: nothing is run or logged)"),
        false => format!("Actions as of {as_of}"),
    };
    if r.tasks.is_empty() {
        return format!(
            "{label}: none to take (no firing alert has an action with `run` or `notify`)"
        );
    }
    if parts.is_empty() {
        parts.push("nothing to do".into());
    }
    format!("{label}: {}", parts.join(" · "))
}

/// The command (its words, quoted where a shell would need it, for
/// reading only: nothing is ever run through a shell) or the URL as
/// written.
pub fn target(t: &Task) -> String {
    match t.step {
        Step::Run => t
            .run
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|a| quote(a))
            .collect::<Vec<_>>()
            .join(" "),
        Step::Notify => t.notify.clone().unwrap_or_default(),
    }
}

fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./=:,+@%^".contains(c));
    match plain {
        true => arg.to_string(),
        false => format!("'{}'", arg.replace('\'', r"'\''")),
    }
}

/// A task's mark and what became of it.
fn status(t: &Task, dry_run: bool) -> (&'static str, String) {
    let attempt = format!("attempt {} of {MAX_ATTEMPTS}", t.attempt);
    let outcome = t.outcome.map(|o| o.to_string()).unwrap_or_default();
    match t.status {
        Status::Due if dry_run => ("○", format!("would {} ({attempt})", verb(t.step))),
        Status::Due => ("○", format!("due ({attempt})")),
        Status::Ok => ("✓", "ok".to_string()),
        Status::Failed => ("✗", format!("{outcome}, {}", retry(t))),
        Status::Done => (
            "·",
            format!("done at {}", t.at.as_deref().unwrap_or("an earlier run")),
        ),
        Status::GaveUp => (
            "!",
            format!(
                "gave up after {} (last: {outcome}) until the next episode",
                plural(t.attempt, "attempt")
            ),
        ),
    }
}

fn verb(step: Step) -> &'static str {
    match step {
        Step::Run => "run",
        Step::Notify => "POST",
    }
}

/// What happens after a failure: "retried on the next run (attempt 1 of
/// 3)".
fn retry(t: &Task) -> String {
    match t.retried() {
        true => format!(
            "retried on the next run (attempt {} of {MAX_ATTEMPTS})",
            t.attempt
        ),
        false => format!(
            "not retried in this episode (attempt {} of {MAX_ATTEMPTS})",
            t.attempt
        ),
    }
}

/// The stderr report of a failed attempt: what failed, whether it is
/// retried, and the end of what it printed.
pub fn failure(t: &Task, output: &str, style: Style) -> String {
    let mut out = format!(
        "{} action `{}` ({} {}) for alert `{}` failed: {}, {}\n",
        style.red("error:"),
        t.action,
        t.step,
        target(t),
        t.alert,
        t.outcome.map(|o| o.to_string()).unwrap_or_default(),
        retry(t)
    );
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    let shown = &lines[lines.len().saturating_sub(10)..];
    for line in shown {
        let _ = writeln!(out, "  | {}", crate::diag::visible(line));
    }
    out
}

/// What a command reads on its standard input and a webhook receives.
#[derive(Serialize)]
struct Payload<'a> {
    schema_version: u32,
    /// The plan's name.
    plan: &'a str,
    as_of: NaiveDate,
    episode: Episode,
    /// Which attempt this is (1 for the first) in this episode.
    attempt: usize,
    alert: &'a AlertRow,
    /// The alert in a sentence or two, for a chat message (Slack's
    /// incoming webhooks show `text`; other fields are there for
    /// programs).
    text: String,
}

#[derive(Serialize)]
struct Episode {
    start: NaiveDate,
    days: u64,
}

/// The JSON an action's steps receive, on one line.
pub fn payload(plan: &str, row: &AlertRow, task: &Task, as_of: NaiveDate) -> Vec<u8> {
    let p = Payload {
        schema_version: super::JSON_SCHEMA_VERSION,
        plan,
        as_of,
        episode: Episode {
            start: task.episode,
            days: task.days,
        },
        attempt: task.attempt,
        alert: row,
        text: chat_text(plan, row, task, as_of),
    };
    let mut bytes = serde_json::to_vec(&p).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// A Slack message (mrkdwn): what fired, since when, the values that fired
/// it, and the action to take.
pub fn chat_text(plan: &str, row: &AlertRow, task: &Task, as_of: NaiveDate) -> String {
    let (icon, severity) = match row.severity {
        Severity::Critical => (":rotating_light:", "Critical alert"),
        Severity::Opportunity => (":star:", "Opportunity"),
    };
    let since = match task.episode == as_of {
        true => format!("fires as of {as_of}"),
        false => format!("firing since {} (as of {as_of})", task.episode),
    };
    let mut text = format!(
        "{icon} *{severity}: {}* (`{}`) in {}, {since}",
        slack(&row.name),
        slack(&row.id),
        slack(plan)
    );
    if let Some(t) = &row.text {
        let _ = write!(text, ": {}", slack(t));
    }
    for c in &row.clauses {
        let _ = write!(text, "\n• {}", slack(&super::alerts::describe(c)));
    }
    if let Some(a) = &row.action {
        let _ = write!(text, "\n→ {}: {}", slack(&a.area), slack(&a.title));
    }
    text
}

/// Slack's escaping: `&`, `<` and `>` are markup there.
fn slack(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_for_reading() {
        assert_eq!(quote("scripts/page.sh"), "scripts/page.sh");
        assert_eq!(quote("--team=ops"), "--team=ops");
        assert_eq!(quote("two words"), "'two words'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("$HOME"), "'$HOME'");
    }

    #[test]
    fn slack_markup_is_escaped() {
        assert_eq!(slack("> 10% & <b>"), "&gt; 10% &amp; &lt;b&gt;");
    }
}
