//! Drawing the `alerts` report: a count, then each firing alert (critical
//! first) with the values that fired it in words and its action, then the
//! quiet alerts on one wrapped line.

use std::fmt::Write as _;

use super::{Style, plural, truncate};
use crate::cli::Format;
use crate::eval::alerts::{AlertRow, ClauseEval, Report};
use crate::model::Combine;
use crate::model::Severity;
use crate::model::condition::Change;
use crate::model::quantity::{Unit, format_value};

pub fn text(r: &Report, format: Format, style: Style, width: usize) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    let head = header(r);
    if md {
        let _ = writeln!(out, "## {head}");
    } else {
        let _ = writeln!(out, "{}", style.bold(&head));
    }
    // Table lines are cut to the width rather than wrapped, like table rows.
    let fit = |line: String| if md { line } else { truncate(&line, width) };
    for a in &r.alerts {
        out.push('\n');
        let critical = a.severity == Severity::Critical;
        let (mark, severity) = if critical {
            ("✗", "critical")
        } else {
            ("★", "opportunity")
        };
        if md {
            let _ = writeln!(out, "- **{mark} {}** ({severity}) {}", a.id, a.name);
        } else {
            let title = fit(format!("{mark} {} ({severity}) {}", a.id, a.name));
            let title = if critical {
                style.red(&title)
            } else {
                style.green(&title)
            };
            let _ = writeln!(out, "{title}");
        }
        for line in lines(a) {
            let _ = writeln!(
                out,
                "{}",
                fit(format!("  {}{line}", if md { "- " } else { "" }))
            );
        }
    }
    if !r.quiet.is_empty() {
        out.push('\n');
        let ids: Vec<String> = r
            .quiet
            .iter()
            .map(|a| {
                let id = if md {
                    format!("`{}`", a.id)
                } else {
                    a.id.clone()
                };
                if a.clauses.iter().any(ClauseEval::missing_data) {
                    format!("{id} (no data)")
                } else if a.clauses.iter().any(ClauseEval::stale) {
                    format!("{id} (stale data)")
                } else {
                    id
                }
            })
            .collect();
        if md {
            let summary = format!("{} quiet", plural(ids.len(), "alert"));
            let list = super::markdown::list("Quiet", &summary, &ids, ids.len(), None, "");
            out.push_str(&list);
        } else {
            let _ = writeln!(out, "{}", style.dim(&wrap("Quiet: ", &ids, width)));
        }
    }
    out
}

/// "Alerts as of 2026-03-14: 2 firing (1 critical) · 6 quiet".
fn header(r: &Report) -> String {
    let label = match r.severity {
        None => "Alerts",
        Some(Severity::Critical) => "Critical alerts",
        Some(Severity::Opportunity) => "Opportunity alerts",
    };
    let head = format!("{label} as of {}", r.as_of);
    let total = r.alerts.len() + r.quiet.len();
    if total == 0 {
        return format!("{head}: none defined (alerts.yaml)");
    }
    let firing = match r.alerts.len() {
        0 => "none firing".to_string(),
        n if r.severity.is_none() => {
            let critical = r
                .alerts
                .iter()
                .filter(|a| a.severity == Severity::Critical)
                .count();
            format!("{n} firing ({critical} critical)")
        }
        n => format!("{n} firing"),
    };
    format!("{head}: {firing} · {} quiet", r.quiet.len())
}

/// The values that fired the alert, a line per clause, then its action.
fn lines(a: &AlertRow) -> Vec<String> {
    let mut lines: Vec<String> = a.clauses.iter().map(describe).collect();
    if let Some(action) = &a.action {
        lines.push(format!("→ {}: {}", action.area, action.title));
    }
    lines
}

/// A clause's values in words: "revenue fell 20% in 7 days ($10K → $8K)",
/// "churn_rate is 6.5% over 30 days (> 5%)".
pub fn describe(c: &ClauseEval) -> String {
    let show =
        |v: Option<f64>| v.map_or_else(|| "no value".to_string(), |v| format_value(v, c.unit));
    let span = c
        .days
        .map(|n| plural(usize::try_from(n).unwrap_or(usize::MAX), "day"));
    let wanted = format!("{} {}", c.cmp.symbol(), format_value(c.threshold, c.unit));
    let Some(change) = c.change else {
        let value = show(c.value);
        return match (span, c.combine) {
            (Some(span), Combine::Sum) => format!("{}: {value} over {span} ({wanted})", c.metric),
            (Some(span), Combine::Average) => {
                format!("{} averages {value} over {span} ({wanted})", c.metric)
            }
            (Some(span), Combine::Latest) => {
                format!("{} is {value} over {span} ({wanted})", c.metric)
            }
            (None, _) if c.from != c.to && c.value.is_some() => {
                format!("{} is {value} on {} ({wanted})", c.metric, c.from)
            }
            (None, _) => format!("{} is {value} ({wanted})", c.metric),
        };
    };
    let verb = match change {
        Change::Drop => "fell",
        Change::Rise => "rose",
    };
    // A change reads best rounded: "rose 23%", "fell 9.5%".
    let pct = c.change_pct.map_or_else(
        || "?".to_string(),
        |p| {
            let p = p.abs();
            let rounded = if p >= 10.0 {
                p.round()
            } else {
                (p * 10.0).round() / 10.0
            };
            format_value(rounded, Unit::Percent)
        },
    );
    let when = match span {
        Some(span) => format!("in {span}"),
        None => format!("since {}", c.from),
    };
    let (from, to) = match (c.baseline, c.value) {
        (Some(b), Some(v)) => pair(b, v, c.unit),
        (b, v) => (show(b), show(v)),
    };
    format!("{} {verb} {pct} {when} ({from} → {to})", c.metric)
}

/// Two values of one unit, written alike: when one is compacted (`$10K`)
/// and the other is not (`$8,000`), the other is compacted too (`$8K`), so
/// the pair reads at a glance.
fn pair(a: f64, b: f64, unit: Unit) -> (String, String) {
    let (fa, fb) = (format_value(a, unit), format_value(b, unit));
    if !matches!(unit, Unit::Usd | Unit::Count) {
        return (fa, fb);
    }
    let scale = |s: &str| match s.chars().last() {
        Some('K') => Some((1e3, 'K')),
        Some('M') => Some((1e6, 'M')),
        Some('B') => Some((1e9, 'B')),
        _ => None,
    };
    let like = |v: f64, (size, suffix): (f64, char)| {
        if v.abs() < size {
            return format_value(v, unit);
        }
        let sign = if v < 0.0 { "-" } else { "" };
        let dollar = if unit == Unit::Usd { "$" } else { "" };
        let number = format_value(v.abs() / size, Unit::Count);
        format!("{sign}{dollar}{number}{suffix}")
    };
    match (scale(&fa), scale(&fb)) {
        (Some(s), None) => (fa, like(b, s)),
        (None, Some(s)) => (like(a, s), fb),
        _ => (fa, fb),
    }
}

/// `head` and the items joined with ", ", wrapped to `width` with a
/// two-space hanging indent.
fn wrap(head: &str, items: &[String], width: usize) -> String {
    let mut out = String::from(head);
    let mut col = super::display_width(head);
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        let len = super::display_width(&piece);
        if i > 0 {
            if col + 1 + len > width {
                out.push_str("\n  ");
                col = 2;
            } else {
                out.push(' ');
                col += 1;
            }
        }
        out.push_str(&piece);
        col += len;
    }
    out
}

/// An alert in one line and its action, as `check` and `status` list them:
/// ("revenue-drop (critical): revenue fell 20% in 7 days ($70K → $56K)",
/// "→ Marketing: Budget reallocation automática").
pub fn summary(a: &AlertRow) -> (String, Option<String>) {
    let severity = match a.severity {
        Severity::Critical => "critical",
        Severity::Opportunity => "opportunity",
    };
    let values: Vec<String> = a.clauses.iter().map(describe).collect();
    let head = format!("{} ({severity}): {}", a.id, values.join("; "));
    let action = a
        .action
        .as_ref()
        .map(|x| format!("→ {}: {}", x.area, x.title));
    (head, action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_of_values_are_written_alike() {
        let p = |a, b, unit| {
            let (a, b) = pair(a, b, unit);
            format!("{a} → {b}")
        };
        assert_eq!(p(10_000.0, 8_000.0, Unit::Usd), "$10K → $8K");
        assert_eq!(p(8_500.0, 12_000.0, Unit::Usd), "$8.5K → $12K");
        assert_eq!(p(10_000.0, 500.0, Unit::Usd), "$10K → $500");
        assert_eq!(p(1_000.0, 1_250.0, Unit::Count), "1,000 → 1,250");
        assert_eq!(p(150_000.0, 90_000.0, Unit::Count), "150K → 90K");
        assert_eq!(p(6.5, 5.0, Unit::Percent), "6.5% → 5%");
    }

    #[test]
    fn quiet_lists_wrap_with_a_hanging_indent() {
        let ids: Vec<String> = ["customer-churn", "security-breach", "low-cac"]
            .map(String::from)
            .into();
        assert_eq!(
            wrap("Quiet: ", &ids, 30),
            "Quiet: customer-churn,\n  security-breach, low-cac"
        );
        assert_eq!(wrap("Quiet: ", &ids[..1], 10), "Quiet: customer-churn");
    }
}
