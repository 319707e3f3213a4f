//! Alert conditions as written in alerts.yaml, such as
//! `revenue drop > 10% over 7d and cac < $50`.
//!
//! Grammar: `CLAUSE (and CLAUSE)*`, where a clause is
//! `METRIC [drop|rise] CMP VALUE [over WINDOW]`. This module only checks the
//! shape: values are kept as written (with their byte offsets) for the
//! loader to check against each metric's unit, and every error carries the
//! byte offset of the token at fault so the loader can point at its column.

use std::fmt;

use serde::Serialize;

use super::quantity::{Cmp, Unit, ValueError, is_cmp_char, parse_written};

/// The direction of a relative change over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Drop,
    Rise,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::Drop => "drop",
            Change::Rise => "rise",
        })
    }
}

/// A look-back period, in whole hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub hours: u32,
}

impl fmt::Display for Window {
    /// Whole days from two days up (`7d`, `14d` for a written `2w`), hours
    /// otherwise (`24h`, `36h`): `24h` is how people write a one-day window.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.hours >= 48 && self.hours.is_multiple_of(24) {
            write!(f, "{}d", self.hours / 24)
        } else {
            write!(f, "{}h", self.hours)
        }
    }
}

const WINDOW_HINT: &str = "write hours, days or weeks: `24h`, `7d`, `2w`";

/// The longest window: a hundred years. Anything longer is a slip (the
/// date arithmetic would cope, but no roadmap looks back that far), and a
/// bound in days reads better in a message than `u32::MAX` hours.
pub const MAX_WINDOW_DAYS: u32 = 36_525;

/// Hours in one of a window's units (`h`, `days`, `semanas`, ...).
fn hours_per(unit: &str) -> Option<u32> {
    Some(match unit.trim().to_lowercase().as_str() {
        "h" | "hr" | "hrs" | "hour" | "hours" | "hora" | "horas" => 1,
        "d" | "day" | "days" | "día" | "días" | "dia" | "dias" => 24,
        "w" | "wk" | "week" | "weeks" | "semana" | "semanas" => 24 * 7,
        _ => return None,
    })
}

/// Parses a window: a positive whole number of hours, days or weeks
/// (`24h`, `7d`, `30d`, `2w`; long forms such as `7 days` too), at most
/// [`MAX_WINDOW_DAYS`].
pub fn parse_window(s: &str) -> Result<Window, ValueError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(ValueError::new("empty window").with_hint(WINDOW_HINT));
    }
    let not_a_window =
        || ValueError::new(format!("`{text}` is not a window")).with_hint(WINDOW_HINT);
    let digits_len = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_len);
    let per = hours_per(unit).ok_or_else(not_a_window)?;
    if digits.is_empty() {
        return Err(not_a_window());
    }
    // Leading zeros aside, more digits than this cannot be under the bound,
    // and stopping here keeps the arithmetic below in range.
    let significant = digits.trim_start_matches('0');
    let hours = (significant.len() <= 9)
        .then(|| significant.parse::<u64>().unwrap_or(0) * u64::from(per))
        .filter(|h| *h <= u64::from(MAX_WINDOW_DAYS) * 24)
        .ok_or_else(|| {
            ValueError::new(format!(
                "`{text}` is too long a window: the longest is {MAX_WINDOW_DAYS} days (100 years)"
            ))
            .with_hint("alert windows are usually days or weeks, e.g. `7d`, `30d`, `2w`")
        })?;
    if hours == 0 {
        return Err(
            ValueError::new(format!("`{text}`: a window must be longer than zero"))
                .with_hint(WINDOW_HINT),
        );
    }
    let hours = u32::try_from(hours).map_err(|_| not_a_window())?;
    Ok(Window { hours })
}

/// One comparison of a condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub metric: String,
    /// Byte offset of the metric id in the condition text.
    pub metric_at: usize,
    pub change: Option<Change>,
    pub cmp: Cmp,
    /// The value as written, for the loader to check against the unit.
    pub value: String,
    /// Byte offset of the value in the condition text.
    pub value_at: usize,
    pub window: Option<Window>,
}

/// Clauses that must all hold for the alert to fire.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub clauses: Vec<Clause>,
}

/// A problem with a condition; `at` is the byte offset of the token at
/// fault (the end of the text when something is missing there).
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionError {
    pub message: String,
    pub at: usize,
    pub hint: Option<String>,
}

impl ConditionError {
    fn new(at: usize, message: impl Into<String>) -> Self {
        ConditionError {
            message: message.into(),
            at,
            hint: None,
        }
    }

    fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn from_value(at: usize, e: ValueError) -> Self {
        ConditionError {
            message: e.message,
            at,
            hint: e.hint,
        }
    }
}

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConditionError {}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.metric)?;
        if let Some(change) = self.change {
            write!(f, " {change}")?;
        }
        write!(f, " {} {}", self.cmp.symbol(), self.value)?;
        if let Some(window) = self.window {
            write!(f, " over {window}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Condition {
    /// The canonical spelling: `revenue drop > 10% over 7d and cac < $50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, clause) in self.clauses.iter().enumerate() {
            if i > 0 {
                f.write_str(" and ")?;
            }
            write!(f, "{clause}")?;
        }
        Ok(())
    }
}

/// A word or a run of comparison characters, with its byte offset.
#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    text: &'a str,
    at: usize,
    op: bool,
}

impl Tok<'_> {
    fn end(&self) -> usize {
        self.at + self.text.len()
    }

    fn is(&self, word: &str) -> bool {
        !self.op && self.text.eq_ignore_ascii_case(word)
    }

    fn is_keyword(&self) -> bool {
        ["and", "over"].iter().any(|k| self.is(k))
    }
}

/// Splits on whitespace, and also around comparison operators so that
/// `revenue>10%` reads like `revenue > 10%`.
fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let op = is_cmp_char(c);
        let mut end = at;
        while let Some(&(i, d)) = chars.peek() {
            if d.is_whitespace() || is_cmp_char(d) != op {
                break;
            }
            end = i + d.len_utf8();
            chars.next();
        }
        toks.push(Tok {
            text: &s[at..end],
            at,
            op,
        });
    }
    toks
}

fn is_metric_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `Active-Users` -> `active_users`, for the hint on a malformed id.
fn snake_case(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if is_metric_id(&out) {
        out
    } else {
        "active_users".into()
    }
}

const CMP_LIST: &str = "(`>`, `<`, `>=`, `<=`, `=`)";

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Tok<'a>>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<Tok<'a>> {
        let tok = self.peek();
        self.pos += usize::from(tok.is_some());
        tok
    }

    /// Where a missing token would have been: just after the text.
    fn end(&self) -> usize {
        self.src.trim_end().len()
    }

    fn here(&self) -> usize {
        self.peek().map_or(self.end(), |t| t.at)
    }

    fn clause(&mut self) -> Result<Clause, ConditionError> {
        let metric = self.metric()?;
        let mut last = metric.end();
        let change = match self.peek() {
            Some(t) if t.is("drop") => Some(Change::Drop),
            Some(t) if t.is("rise") => Some(Change::Rise),
            _ => None,
        };
        if change.is_some() {
            last = self.bump().map_or(last, |t| t.end());
        }

        let so_far = &self.src[metric.at..last];
        let cmp = match self.peek() {
            Some(t) if t.op => match Cmp::parse(t.text) {
                Some(cmp) => cmp,
                None => {
                    return Err(ConditionError::new(
                        t.at,
                        format!("`{}` is not a comparison", t.text),
                    )
                    .with_hint("use one of `>`, `<`, `>=`, `<=`, `=`"));
                }
            },
            other => return Err(self.missing_cmp(so_far, change.is_some(), other)),
        };
        last = self.bump().map_or(last, |t| t.end());

        let value = match self.peek() {
            Some(t) if !t.op && !t.is_keyword() => t,
            _ => {
                let so_far = &self.src[metric.at..last];
                let example = if change.is_some() { "10%" } else { "100" };
                return Err(ConditionError::new(
                    self.here(),
                    format!("expected a value after `{so_far}`"),
                )
                .with_hint(format!("write e.g. `{so_far} {example}`")));
            }
        };
        self.bump();
        if change.is_some() {
            // A value that is no number at all (`1e400%`, `nan%`) says why;
            // a number in another unit is told what a change is written as.
            let written =
                parse_written(value.text).map_err(|e| ConditionError::from_value(value.at, e))?;
            if written.unit != Some(Unit::Percent) {
                return Err(ConditionError::new(
                    value.at,
                    "a drop or rise is a relative change: write it as a percentage, e.g. `10%`",
                ));
            }
        }

        let mut window = None;
        if self.peek().is_some_and(|t| t.is("over")) {
            self.bump();
            match self.bump() {
                Some(t) if !t.op && !t.is_keyword() => {
                    let mut text = t.text;
                    // `over 7 days` is two words but one window.
                    if let Some(unit) = self.peek().filter(|u| {
                        !u.op
                            && hours_per(u.text).is_some()
                            && t.text.bytes().all(|b| b.is_ascii_digit())
                    }) {
                        self.bump();
                        text = &self.src[t.at..unit.end()];
                    }
                    window =
                        Some(parse_window(text).map_err(|e| ConditionError::from_value(t.at, e))?);
                }
                other => {
                    let at = other.map_or(self.end(), |t| t.at);
                    return Err(ConditionError::new(at, "expected a window after `over`")
                        .with_hint(WINDOW_HINT));
                }
            }
        }

        Ok(Clause {
            metric: metric.text.to_string(),
            metric_at: metric.at,
            change,
            cmp,
            value: value.text.to_string(),
            value_at: value.at,
            window,
        })
    }

    fn metric(&mut self) -> Result<Tok<'a>, ConditionError> {
        let example = "start each clause with a metric id, e.g. `revenue > $10K`";
        let Some(t) = self.bump() else {
            return Err(ConditionError::new(self.end(), "expected a metric id").with_hint(example));
        };
        if t.op || t.is_keyword() {
            return Err(ConditionError::new(
                t.at,
                format!("expected a metric id, found `{}`", t.text),
            )
            .with_hint(example));
        }
        if !is_metric_id(t.text) {
            return Err(
                ConditionError::new(t.at, format!("`{}` is not a metric id", t.text)).with_hint(
                    format!(
                        "metric ids are snake_case: lowercase letters, digits and `_`, \
                         starting with a letter (e.g. `{}`)",
                        snake_case(t.text)
                    ),
                ),
            );
        }
        Ok(t)
    }

    fn missing_cmp(&self, so_far: &str, change: bool, found: Option<Tok<'_>>) -> ConditionError {
        let err = ConditionError::new(
            found.map_or(self.end(), |t| t.at),
            format!("expected a comparison {CMP_LIST} after `{so_far}`"),
        );
        let example = if change { "10%" } else { "100" };
        let Some(t) = found else {
            return err.with_hint(format!("write e.g. `{so_far} > {example}`"));
        };
        let verb = t.text.to_lowercase();
        let hint = match verb.as_str() {
            "drops" | "falls" | "fall" | "decreases" | "decrease" | "declines" | "decline" => {
                format!("write `{so_far} drop > 10%`")
            }
            "rises" | "grows" | "grow" | "increases" | "increase" => {
                format!("write `{so_far} rise > 10%`")
            }
            _ if parse_written(t.text).is_ok() => format!("write e.g. `{so_far} > {}`", t.text),
            _ => format!("write e.g. `{so_far} > {example}`"),
        };
        err.with_hint(hint)
    }

    fn unexpected(&self, t: Tok<'_>, has_window: bool) -> ConditionError {
        let expected = if has_window {
            "`and`"
        } else {
            "`over WINDOW` or `and`"
        };
        let err = ConditionError::new(
            t.at,
            format!("unexpected `{}`: expected {expected}", t.text),
        );
        let word = t.text.to_lowercase();
        let hint = match word.as_str() {
            "or" => "clauses combine with `and` only; write a separate alert for the other case",
            "over" => "a clause has at most one window",
            "during" | "in" | "within" | "for" | "per" | "last" | "en" | "durante"
                if !has_window =>
            {
                "write the window after `over`, e.g. `over 7d`"
            }
            _ if has_window => "join clauses with `and`, e.g. `... over 7d and cac < $50`",
            _ => {
                "a value is a single word (e.g. `10%`, `$50K`, `30d`), \
                 and a window goes after `over` (e.g. `over 7d`)"
            }
        };
        err.with_hint(hint)
    }
}

/// Parses a condition; see the module docs for the grammar.
pub fn parse_condition(s: &str) -> Result<Condition, ConditionError> {
    let mut p = Parser {
        src: s,
        toks: tokenize(s),
        pos: 0,
    };
    if p.toks.is_empty() {
        return Err(ConditionError::new(0, "empty condition")
            .with_hint("write e.g. `revenue drop > 10% over 7d`"));
    }
    let mut clauses = Vec::new();
    loop {
        let clause = p.clause()?;
        let has_window = clause.window.is_some();
        clauses.push(clause);
        match p.bump() {
            None => break,
            Some(t) if t.is("and") => {
                if p.peek().is_none() {
                    return Err(ConditionError::new(t.at, "the condition ends with `and`")
                        .with_hint(
                            "add another clause after it (e.g. `and cac < $50`), or remove it",
                        ));
                }
            }
            Some(t) => return Err(p.unexpected(t, has_window)),
        }
    }
    Ok(Condition { clauses })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Condition {
        parse_condition(s).unwrap_or_else(|e| panic!("{s}: {} at {}", e.message, e.at))
    }

    fn fail(s: &str) -> ConditionError {
        match parse_condition(s) {
            Ok(c) => panic!("{s} parsed as {c}"),
            Err(e) => e,
        }
    }

    fn hours(h: u32) -> Option<Window> {
        Some(Window { hours: h })
    }

    #[test]
    fn the_plan_s_conditions_parse() {
        let c = parse("revenue drop > 10% over 7d");
        assert_eq!(
            c.clauses,
            [Clause {
                metric: "revenue".into(),
                metric_at: 0,
                change: Some(Change::Drop),
                cmp: Cmp::Gt,
                value: "10%".into(),
                value_at: 15,
                window: hours(168),
            }]
        );
        for (text, metric, cmp, value, window) in [
            (
                "churn_rate > 5% over 30d",
                "churn_rate",
                Cmp::Gt,
                "5%",
                hours(720),
            ),
            (
                "downtime > 1% over 24h",
                "downtime",
                Cmp::Gt,
                "1%",
                hours(24),
            ),
            (
                "security_incidents > 0 over 24h",
                "security_incidents",
                Cmp::Gt,
                "0",
                hours(24),
            ),
            ("cac < $50", "cac", Cmp::Lt, "$50", None),
            ("nps_score > 50", "nps_score", Cmp::Gt, "50", None),
        ] {
            let c = parse(text);
            let [clause] = c.clauses.as_slice() else {
                panic!("{text}: {} clauses", c.clauses.len());
            };
            assert_eq!(
                (
                    clause.metric.as_str(),
                    clause.change,
                    clause.cmp,
                    clause.value.as_str()
                ),
                (metric, None, cmp, value),
                "{text}"
            );
            assert_eq!(clause.window, window, "{text}");
            assert_eq!(&text[clause.value_at..][..value.len()], value, "{text}");
            assert_eq!(c.to_string(), text);
        }
    }

    #[test]
    fn clauses_join_with_and_and_keep_their_offsets() {
        let text = "active_users rise > 20% over 7d and revenue > $10K";
        let c = parse(text);
        assert_eq!(c.clauses.len(), 2);
        assert_eq!(c.clauses[0].change, Some(Change::Rise));
        let second = &c.clauses[1];
        assert_eq!((second.metric.as_str(), second.metric_at), ("revenue", 36));
        assert_eq!((second.value.as_str(), second.value_at), ("$10K", 46));
        assert_eq!(c.to_string(), text);
    }

    #[test]
    fn comparisons_may_hug_their_neighbours_and_display_canonically() {
        let c = parse("revenue≥$10K AND cac<=$50 over 1d");
        assert_eq!(c.clauses[0].cmp, Cmp::Ge);
        assert_eq!(c.clauses[0].value_at, "revenue≥".len());
        assert_eq!(c.clauses[1].cmp, Cmp::Le);
        assert_eq!(c.to_string(), "revenue >= $10K and cac <= $50 over 24h");
        assert_eq!(parse("x == 1").clauses[0].cmp, Cmp::Eq);
    }

    #[test]
    fn windows_parse_and_display() {
        assert_eq!(parse_window("24h"), Ok(Window { hours: 24 }));
        assert_eq!(parse_window("7d"), Ok(Window { hours: 168 }));
        assert_eq!(parse_window("2w"), Ok(Window { hours: 336 }));
        assert_eq!(parse_window("7 days"), Ok(Window { hours: 168 }));
        let shown: Vec<_> = [24, 36, 47, 48, 168, 336]
            .map(|hours| Window { hours }.to_string())
            .into();
        assert_eq!(shown, ["24h", "36h", "47h", "2d", "7d", "14d"]);
        for bad in ["7x", "d", "7", "1.5d", "-1d"] {
            let e = parse_window(bad).expect_err(bad);
            assert_eq!(e.message, format!("`{bad}` is not a window"));
            assert_eq!(
                e.hint.as_deref(),
                Some("write hours, days or weeks: `24h`, `7d`, `2w`")
            );
        }
        assert_eq!(
            parse_window("0h").map_err(|e| e.message),
            Err("`0h`: a window must be longer than zero".into())
        );
        for long in [
            "9999999999w",
            "99999999999999d",
            "36526d",
            "876601h",
            "5218w",
        ] {
            let e = parse_window(long).expect_err(long);
            assert_eq!(
                e.message,
                format!("`{long}` is too long a window: the longest is 36525 days (100 years)")
            );
            assert!(e.hint.is_some_and(|h| h.contains("`30d`")), "{long}");
        }
        assert_eq!(parse_window("36525d"), Ok(Window { hours: 876_600 }));
        assert_eq!(parse_window("876600h"), Ok(Window { hours: 876_600 }));
        assert_eq!(parse_window("0007d"), Ok(Window { hours: 168 }));
        assert_eq!(
            parse_window("0000000000000d").map_err(|e| e.message),
            Err("`0000000000000d`: a window must be longer than zero".into())
        );
    }

    #[test]
    fn windows_in_long_form_read_in_a_condition() {
        let c = parse("revenue drop > 10% over 7 days and cac < $50 over 2 Semanas");
        assert_eq!(c.clauses[0].window, hours(168));
        assert_eq!(c.clauses[1].window, hours(336));
        assert_eq!(
            c.to_string(),
            "revenue drop > 10% over 7d and cac < $50 over 14d"
        );
        // A number then a word that is no unit is still a bad window.
        let e = fail("revenue drop > 10% over 7 fortnights");
        assert_eq!((e.message.as_str(), e.at), ("`7` is not a window", 24));
        let e = fail("revenue drop > 10% over 99999999999999 days");
        assert_eq!(e.at, 24);
        assert!(
            e.message
                .ends_with("is too long a window: the longest is 36525 days (100 years)")
        );
    }

    #[test]
    fn changes_that_are_no_number_say_why() {
        let e = fail("revenue drop > 1e400% over 7d");
        assert_eq!(
            (e.message.as_str(), e.at),
            (
                "`1e400%` is too large: values above 10^15 are not accepted",
                15
            )
        );
        let e = fail("revenue rise > .nan%");
        assert_eq!(e.message, "`.nan%` is not a finite number");
    }

    #[test]
    fn a_missing_comparison_points_at_what_came_instead() {
        let e = fail("revenue drop 10% over 7d");
        assert_eq!(
            e.message,
            "expected a comparison (`>`, `<`, `>=`, `<=`, `=`) after `revenue drop`"
        );
        assert_eq!(e.at, 13);
        assert_eq!(e.hint.as_deref(), Some("write e.g. `revenue drop > 10%`"));
        let e = fail("revenue falls > 10%");
        assert_eq!(
            e.message,
            "expected a comparison (`>`, `<`, `>=`, `<=`, `=`) after `revenue`"
        );
        assert_eq!(e.hint.as_deref(), Some("write `revenue drop > 10%`"));
        let e = fail("revenue drop");
        assert_eq!(e.at, 12);
        assert_eq!(e.hint.as_deref(), Some("write e.g. `revenue drop > 10%`"));
        let e = fail("revenue => 10");
        assert_eq!((e.message.as_str(), e.at), ("`=>` is not a comparison", 8));
    }

    #[test]
    fn a_missing_value_points_at_the_end() {
        let e = fail("revenue drop >  ");
        assert_eq!(e.message, "expected a value after `revenue drop >`");
        assert_eq!(e.at, 14);
        assert_eq!(e.hint.as_deref(), Some("write e.g. `revenue drop > 10%`"));
        let e = fail("cac < over 7d");
        assert_eq!(
            (e.message.as_str(), e.at),
            ("expected a value after `cac <`", 6)
        );
    }

    #[test]
    fn drops_and_rises_are_percentages() {
        for bad in ["revenue drop > $50 over 7d", "revenue rise > 5 over 7d"] {
            let e = fail(bad);
            assert_eq!(
                e.message,
                "a drop or rise is a relative change: write it as a percentage, e.g. `10%`"
            );
            assert_eq!(e.at, 15, "{bad}");
        }
    }

    #[test]
    fn unexpected_words_name_what_was_expected() {
        let e = fail("revenue drop > 10% during 7d");
        assert_eq!(
            e.message,
            "unexpected `during`: expected `over WINDOW` or `and`"
        );
        assert_eq!(e.at, 19);
        assert_eq!(
            e.hint.as_deref(),
            Some("write the window after `over`, e.g. `over 7d`")
        );
        let e = fail("revenue drop > 10% over 7d or cac < $5");
        assert_eq!(
            (e.message.as_str(), e.at),
            ("unexpected `or`: expected `and`", 27)
        );
        let e = fail("cac > 30 days");
        assert_eq!(
            e.message,
            "unexpected `days`: expected `over WINDOW` or `and`"
        );
    }

    #[test]
    fn bad_windows_point_at_the_window() {
        let e = fail("revenue drop > 10% over 7x");
        assert_eq!(e.message, "`7x` is not a window");
        assert_eq!(e.at, 24);
        assert_eq!(
            e.hint.as_deref(),
            Some("write hours, days or weeks: `24h`, `7d`, `2w`")
        );
        let e = fail("revenue drop > 10% over");
        assert_eq!(
            (e.message.as_str(), e.at),
            ("expected a window after `over`", 23)
        );
        let e = fail("revenue drop > 10% over and cac < 5");
        assert_eq!(e.at, 24);
    }

    #[test]
    fn empty_conditions_and_trailing_and() {
        let e = fail("   ");
        assert_eq!((e.message.as_str(), e.at), ("empty condition", 0));
        let e = fail("cac < $50 and");
        assert_eq!(
            (e.message.as_str(), e.at),
            ("the condition ends with `and`", 10)
        );
        let e = fail("cac < $50 and and x > 1");
        assert_eq!(
            (e.message.as_str(), e.at),
            ("expected a metric id, found `and`", 14)
        );
        let e = fail("> 5");
        assert_eq!(e.message, "expected a metric id, found `>`");
    }

    #[test]
    fn metric_ids_must_be_snake_case() {
        let e = fail("Active-Users > 5");
        assert_eq!(
            (e.message.as_str(), e.at),
            ("`Active-Users` is not a metric id", 0)
        );
        let hint = e.hint.unwrap_or_default();
        assert!(hint.starts_with("metric ids are snake_case"), "{hint}");
        assert!(hint.ends_with("(e.g. `active_users`)"), "{hint}");
        let e = fail("cac < 5 and 2fast > 1");
        assert_eq!(
            (e.message.as_str(), e.at),
            ("`2fast` is not a metric id", 12)
        );
    }

    fn clause_strategy() -> impl Strategy<Value = String> {
        (
            "[a-z][a-z0-9_]{0,8}",
            prop_oneof![Just(""), Just(" drop"), Just(" rise")],
            prop_oneof![Just(">"), Just(">="), Just("<"), Just("<="), Just("=")],
            0u32..1000,
            prop_oneof![
                Just(""),
                Just(" over 24h"),
                Just(" over 7d"),
                Just(" over 36h")
            ],
        )
            .prop_filter("keywords are not metric ids", |(m, ..)| {
                !["and", "over", "drop", "rise"].contains(&m.as_str())
            })
            .prop_map(|(m, change, cmp, n, window)| {
                let value = if change.is_empty() {
                    format!("${n}")
                } else {
                    format!("{n}%")
                };
                format!("{m}{change} {cmp} {value}{window}")
            })
    }

    proptest! {
        #[test]
        fn canonical_conditions_display_as_written(
            clauses in prop::collection::vec(clause_strategy(), 1..4)
        ) {
            let text = clauses.join(" and ");
            let c = parse_condition(&text)
                .map_err(|e| TestCaseError::fail(format!("{text}: {}", e.message)))?;
            prop_assert_eq!(c.to_string(), text);
        }

        #[test]
        fn errors_point_inside_the_text(s in "[a-z_ ><=%$0-9]{0,30}") {
            if let Err(e) = parse_condition(&s) {
                prop_assert!(e.at <= s.len());
                prop_assert!(s.is_char_boundary(e.at));
            }
        }
    }
}
