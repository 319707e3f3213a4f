//! Quantities as people write them in the roadmap's YAML: the units a metric
//! is measured in, the spellings of a value (`1,000`, `85%`, `$50K`, `30d`,
//! `4.5/5`, `5:1`, `yes`, `top 3`), targets (`>= $50K`, `100+`), and the
//! human formatting of a value that reads back to the same number.
//!
//! Everything is pure: parsing returns a [`ValueError`] (message plus an
//! optional hint) that the loader places at the right line.

use std::fmt;

use serde::Serialize;

/// What a metric is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    Count,
    Percent,
    Usd,
    Days,
    Seconds,
    Score { scale: u32 },
    Ratio,
    Bool,
    Rank,
}

impl Unit {
    /// Unit names as written in kpis.yaml, for did-you-mean hints.
    pub const NAMES: &'static [&'static str] = &[
        "count", "percent", "usd", "days", "seconds", "score/5", "score/10", "ratio", "bool",
        "rank",
    ];

    /// Parses a unit name as written in kpis.yaml: `count`, `percent`, `usd`,
    /// `days`, `seconds`, `score/N` (any positive whole N), `ratio`, `bool`,
    /// `rank`. Surrounding whitespace and letter case are ignored.
    pub fn parse(s: &str) -> Option<Unit> {
        let s = s.trim().to_ascii_lowercase();
        Some(match s.as_str() {
            "count" => Unit::Count,
            "percent" => Unit::Percent,
            "usd" => Unit::Usd,
            "days" => Unit::Days,
            "seconds" => Unit::Seconds,
            "ratio" => Unit::Ratio,
            "bool" => Unit::Bool,
            "rank" => Unit::Rank,
            _ => {
                let scale = s.strip_prefix("score/")?;
                // `u32::from_str` would also take `+5`; a unit name is digits only.
                if scale.is_empty() || !scale.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                match scale.parse() {
                    Ok(0) | Err(_) => return None,
                    Ok(scale) => Unit::Score { scale },
                }
            }
        })
    }

    /// The unit in words, for messages: "a percentage", "dollars", ...
    pub fn describe(self) -> String {
        match self {
            Unit::Count => "a count".into(),
            Unit::Percent => "a percentage".into(),
            Unit::Usd => "dollars".into(),
            Unit::Days => "days".into(),
            Unit::Seconds => "seconds".into(),
            Unit::Score { scale } => format!("a score out of {scale}"),
            Unit::Ratio => "a ratio".into(),
            Unit::Bool => "yes or no".into(),
            Unit::Rank => "a rank".into(),
        }
    }

    /// "in dollars" / "as a percentage": what follows "measured".
    fn measured(self) -> String {
        match self {
            Unit::Usd | Unit::Days | Unit::Seconds => format!("in {}", self.describe()),
            _ => format!("as {}", self.describe()),
        }
    }

    /// What a value spelled in this unit "is", for mismatch messages.
    fn spelled(self) -> String {
        match self {
            Unit::Usd | Unit::Days | Unit::Seconds => format!("in {}", self.describe()),
            Unit::Bool => "a yes-or-no answer".into(),
            _ => self.describe(),
        }
    }

    /// A plausible value spelled in this unit, for hints.
    fn example(self) -> String {
        match self {
            Unit::Count => "1,000".into(),
            Unit::Percent => "85%".into(),
            Unit::Usd => "$150".into(),
            Unit::Days => "30d".into(),
            Unit::Seconds => "2s".into(),
            // 90% of the scale reads as a realistic goal for any scale.
            Unit::Score { scale } => format_value(f64::from(scale) * 0.9, self),
            Unit::Ratio => "5:1".into(),
            Unit::Bool => "yes".into(),
            Unit::Rank => "top 3".into(),
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::Count => f.write_str("count"),
            Unit::Percent => f.write_str("percent"),
            Unit::Usd => f.write_str("usd"),
            Unit::Days => f.write_str("days"),
            Unit::Seconds => f.write_str("seconds"),
            Unit::Score { scale } => write!(f, "score/{scale}"),
            Unit::Ratio => f.write_str("ratio"),
            Unit::Bool => f.write_str("bool"),
            Unit::Rank => f.write_str("rank"),
        }
    }
}

/// Which direction of a metric is good news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

/// A comparison of an actual value against a wanted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Cmp {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

impl Cmp {
    /// Parses a comparison operator exactly as written: `>=`, `>`, `<=`, `<`,
    /// `=`, `==`, `≥`, `≤`.
    pub fn parse(s: &str) -> Option<Cmp> {
        match s {
            ">=" | "≥" => Some(Cmp::Ge),
            ">" => Some(Cmp::Gt),
            "<=" | "≤" => Some(Cmp::Le),
            "<" => Some(Cmp::Lt),
            "=" | "==" => Some(Cmp::Eq),
            _ => None,
        }
    }

    /// Whether `actual` satisfies the comparison against `wanted`.
    ///
    /// Values that differ only by float noise count as equal: figures come
    /// from decimal text and from sums and averages, so an exact `==` would
    /// let `0.1 + 0.2` miss a target of `0.3`.
    pub fn holds(self, actual: f64, wanted: f64) -> bool {
        if actual.is_nan() || wanted.is_nan() {
            return false;
        }
        let same = approx_eq(actual, wanted);
        match self {
            Cmp::Ge => same || actual > wanted,
            Cmp::Gt => !same && actual > wanted,
            Cmp::Le => same || actual < wanted,
            Cmp::Lt => !same && actual < wanted,
            Cmp::Eq => same,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Ge => ">=",
            Cmp::Gt => ">",
            Cmp::Le => "<=",
            Cmp::Lt => "<",
            Cmp::Eq => "=",
        }
    }
}

fn approx_eq(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Characters that make up a comparison operator. Shared with the condition
/// grammar so both read `>=`, `≥` and a mistyped `=>` the same way.
pub(super) fn is_cmp_char(c: char) -> bool {
    matches!(c, '>' | '<' | '=' | '≥' | '≤' | '!')
}

/// A problem with a written value, to be shown next to it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueError {
    pub message: String,
    pub hint: Option<String>,
}

impl ValueError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        ValueError {
            message: message.into(),
            hint: None,
        }
    }

    pub(super) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValueError {}

const FORMS_HINT: &str = "write a number such as `100`, `85%`, `$150`, `30d`, `4.5/5` or `5:1`";

fn not_a_number(text: &str) -> ValueError {
    ValueError::new(format!("`{text}` is not a number")).with_hint(FORMS_HINT)
}

/// The largest magnitude a value may have: a quadrillion. No business
/// metric comes near it, so a bigger number is a slip (an extra digit, a
/// wrong exponent); and sums, averages and projections of values this size
/// stay far from overflowing to infinity.
pub const MAX_MAGNITUDE: f64 = 1e15;

fn too_large(text: &str, negative: bool) -> ValueError {
    let bound = if negative {
        "below -10^15"
    } else {
        "above 10^15"
    };
    ValueError::new(format!(
        "`{text}` is too large: values {bound} are not accepted"
    ))
    .with_hint(
        "a quadrillion (1e15) is the limit for any metric; \
         check the number for an extra digit or a wrong exponent",
    )
}

/// NaN and infinity in the spellings YAML, spreadsheets and programming
/// languages use (`.nan`, `NaN`, `inf`, `.inf`, `Infinity`, `∞`), after
/// any sign or `$`; `info` is a word, not infinity.
fn is_non_finite(body: &str) -> bool {
    let word = body.strip_prefix('.').unwrap_or(body);
    ["infinity", "inf", "nan", "∞"].iter().any(|w| {
        word.strip_prefix(w)
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
    })
}

fn non_finite(text: &str) -> ValueError {
    ValueError::new(format!("`{text}` is not a finite number"))
        .with_hint(format!("NaN and infinity cannot be measured; {FORMS_HINT}"))
}

/// A value as written: its number in canonical form and the unit its
/// spelling implies (`None` for a bare number, which fits any unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Written {
    pub value: f64,
    pub unit: Option<Unit>,
}

impl Written {
    fn bare(value: f64) -> Self {
        Written { value, unit: None }
    }

    fn of(value: f64, unit: Unit) -> Self {
        Written {
            value,
            unit: Some(unit),
        }
    }
}

const DAY_WORDS: &[&str] = &["d", "day", "days", "día", "días", "dia", "dias"];
const SECOND_WORDS: &[&str] = &[
    "s", "sec", "secs", "second", "seconds", "seg", "segs", "segundo", "segundos",
];
const MILLI_WORDS: &[&str] = &[
    "ms",
    "msec",
    "msecs",
    "millisecond",
    "milliseconds",
    "milisegundo",
    "milisegundos",
];
const MINUTE_WORDS: &[&str] = &["min", "mins", "minute", "minutes", "minuto", "minutos"];
const HOUR_WORDS: &[&str] = &["h", "hr", "hrs", "hour", "hours", "hora", "horas"];

/// Parses a value in any of the accepted spellings, without knowing the
/// metric it belongs to. Plain numbers may use scientific notation (`1e6`,
/// `1.2E+06`), as spreadsheets export them; a value beyond
/// [`MAX_MAGNITUDE`], NaN or infinity is an error.
pub fn parse_written(s: &str) -> Result<Written, ValueError> {
    let written = read_written(s)?;
    // Written so that a NaN could never slip through as "not too large".
    if written.value.is_nan() || written.value.abs() > MAX_MAGNITUDE {
        return Err(too_large(s.trim(), written.value < 0.0));
    }
    Ok(written)
}

fn read_written(s: &str) -> Result<Written, ValueError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(ValueError::new("empty value").with_hint(FORMS_HINT));
    }
    let lower = text.to_lowercase();
    match lower.as_str() {
        "yes" | "true" | "sí" | "si" => return Ok(Written::of(1.0, Unit::Bool)),
        "no" | "false" => return Ok(Written::of(0.0, Unit::Bool)),
        _ => {}
    }
    if let Some(rest) = strip_rank(&lower) {
        return parse_rank(text, rest.trim()).map(|v| Written::of(v, Unit::Rank));
    }

    let (negative, body) = split_sign(&lower);
    if let Some(after) = body.strip_prefix('$') {
        // Both `-$200` and `$-200` are common; a sign on each side is not.
        let (negative, after) = match split_sign(after.trim_start()) {
            (true, _) if negative => return Err(not_a_number(text)),
            (inner, rest) => (negative || inner, rest),
        };
        if is_non_finite(after) {
            return Err(non_finite(text));
        }
        let num = lex_number(text, after)?.ok_or_else(|| not_a_number(text))?;
        let exp = match num.rest {
            "" => 0,
            rest => multiplier(text, &num, rest)?.ok_or_else(|| not_a_number(text))?,
        };
        return Ok(Written::of(number(text, negative, &num, exp)?, Unit::Usd));
    }
    if is_non_finite(body) {
        return Err(non_finite(text));
    }

    let num = lex_number(text, body)?.ok_or_else(|| not_a_number(text))?;
    // Multipliers hug the number (`1.2K`), so `10 m` is not ten million.
    if let Some(exp) = multiplier(text, &num, num.rest)? {
        return Ok(Written::bare(number(text, negative, &num, exp)?));
    }
    let value = number(text, negative, &num, 0)?;
    // Before the suffix is read: `1e20/5` is too large before it is too
    // good a score, and `1e20:1e10` has a number no one meant.
    if value.abs() > MAX_MAGNITUDE {
        return Err(too_large(text, negative));
    }
    let suffix = num.rest.trim();
    if suffix.is_empty() {
        return Ok(Written::bare(value));
    }
    if suffix == "%" {
        return Ok(Written::of(value, Unit::Percent));
    }
    if suffix == "x" {
        return Ok(Written::of(value, Unit::Ratio));
    }
    if DAY_WORDS.contains(&suffix) {
        return Ok(Written::of(value, Unit::Days));
    }
    if SECOND_WORDS.contains(&suffix) {
        return Ok(Written::of(value, Unit::Seconds));
    }
    if MILLI_WORDS.contains(&suffix) {
        // Shift the decimal point in text so `300ms` is exactly 0.3.
        return Ok(Written::of(
            number(text, negative, &num, -3)?,
            Unit::Seconds,
        ));
    }
    if MINUTE_WORDS.contains(&suffix) {
        return Ok(Written::of(value * 60.0, Unit::Seconds));
    }
    if HOUR_WORDS.contains(&suffix) {
        return Err(
            ValueError::new(format!("`{text}`: hours are not a metric unit")).with_hint(
                "measure durations in seconds or days (e.g. `2s`, `30d`); \
             a time window goes after `over` in an alert condition (e.g. `over 24h`)",
            ),
        );
    }
    if let Some(scale) = suffix.strip_prefix('/') {
        return parse_score(text, value, scale.trim());
    }
    if let Some(second) = suffix.strip_prefix(':') {
        return parse_ratio(text, value, second.trim());
    }
    if suffix.starts_with(char::is_alphabetic) {
        return Err(
            ValueError::new(format!("`{text}` has an unknown unit `{suffix}`"))
                .with_hint(FORMS_HINT),
        );
    }
    Err(not_a_number(text))
}

/// The rest after `top` or `#`, if the value is spelled as a rank.
fn strip_rank(lower: &str) -> Option<&str> {
    if let Some(rest) = lower.strip_prefix('#') {
        return Some(rest);
    }
    let rest = lower.strip_prefix("top")?;
    // `topaz` is not a rank; `top 3` and `top3` are.
    (rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c.is_ascii_digit()))
        .then_some(rest)
}

fn rank_error(text: &str) -> ValueError {
    ValueError::new(format!("`{text}`: a rank is a whole number from 1 up"))
        .with_hint("write e.g. `top 3` or `#3`")
}

fn parse_rank(text: &str, rest: &str) -> Result<f64, ValueError> {
    match lex_number(text, rest)? {
        Some(num) if num.rest.is_empty() => {
            let value = number(text, false, &num, 0)?;
            if value > MAX_MAGNITUDE {
                return Err(too_large(text, false));
            }
            check_rank(text, value)
        }
        _ => Err(rank_error(text)),
    }
}

fn check_rank(text: &str, value: f64) -> Result<f64, ValueError> {
    if value >= 1.0 && value.fract() == 0.0 {
        Ok(value)
    } else {
        Err(rank_error(text))
    }
}

fn parse_score(text: &str, value: f64, scale: &str) -> Result<Written, ValueError> {
    let scale = match scale.parse::<u32>() {
        Ok(n) if n > 0 && scale.bytes().all(|b| b.is_ascii_digit()) => n,
        _ => {
            return Err(ValueError::new(format!(
                "`{text}`: a score's scale is a whole number above zero"
            ))
            .with_hint("write a score as `VALUE/SCALE`, e.g. `4.5/5`"));
        }
    };
    let unit = Unit::Score { scale };
    check_score(text, value, scale)?;
    Ok(Written::of(value, unit))
}

fn check_score(text: &str, value: f64, scale: u32) -> Result<(), ValueError> {
    let hint = format!(
        "write a value from 0 to {scale}, e.g. `{}`",
        Unit::Score { scale }.example()
    );
    if value < 0.0 {
        return Err(
            ValueError::new(format!("`{text}`: a score cannot be negative")).with_hint(hint),
        );
    }
    if value > f64::from(scale) {
        return Err(
            ValueError::new(format!("`{text}`: a score cannot exceed its scale")).with_hint(hint),
        );
    }
    Ok(())
}

fn parse_ratio(text: &str, first: f64, second: &str) -> Result<Written, ValueError> {
    let second = match lex_number(text, second)? {
        Some(num) if num.rest.is_empty() => number(text, false, &num, 0)?,
        _ => return Err(not_a_number(text)),
    };
    if second <= 0.0 {
        return Err(ValueError::new(format!(
            "`{text}`: the second number of a ratio must be above zero"
        ))
        .with_hint("write e.g. `5:1` or `3:2`"));
    }
    Ok(Written::of(first / second, Unit::Ratio))
}

fn split_sign(s: &str) -> (bool, &str) {
    if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        (false, rest)
    } else {
        (false, s)
    }
}

/// An unsigned number read from the start of some text: its decimal
/// digits and a power of ten, kept apart so that scaling by `K` or `ms`
/// stays exact in decimal.
struct Lexed<'a> {
    /// Digits with at most one `.`, thousands separators removed.
    digits: String,
    /// The written exponent (`1.2e6` -> 6), 0 without one.
    exp: i64,
    /// Whether the number had an exponent.
    scientific: bool,
    /// What follows the number.
    rest: &'a str,
}

/// Exponents beyond this make every mantissa infinite or zero; clamping
/// keeps the arithmetic on them from overflowing.
const MAX_EXP: i64 = 1_000_000;

/// Reads an unsigned decimal at the start of `s` (`1,000.5`, `0.5`, `.5`,
/// `1.2e+06`), or `None` if `s` does not start with a number.
///
/// An exponent hugs the number (`1e6`, not `1 e6`) and needs digits: `1e`
/// and `1e+` are errors, while `1eur` is the number 1 and the unit `eur`.
fn lex_number<'a>(text: &str, s: &'a str) -> Result<Option<Lexed<'a>>, ValueError> {
    let int_len = s
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(s.len());
    let int = &s[..int_len];
    let mut end = int_len;
    if let Some(frac) = s[int_len..].strip_prefix('.') {
        let frac_len = frac
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(frac.len());
        if frac_len > 0 {
            end = int_len + 1 + frac_len;
        }
    }
    let raw = &s[..end];
    if !raw.bytes().any(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    if int.contains(',') {
        let mut groups = int.split(',');
        let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
        if !first_ok || !groups.all(|g| g.len() == 3) {
            return Err(
                ValueError::new(format!("`{text}` has misplaced thousands separators")).with_hint(
                    "write decimals with a point (e.g. `1.5`) and separate thousands \
                     in groups of three (e.g. `1,000`)",
                ),
            );
        }
    }
    let digits = raw.replace(',', "");
    let (exp, scientific, rest) = match lex_exponent(text, &s[end..])? {
        Some((exp, rest)) => (exp, true, rest),
        None => (0, false, &s[end..]),
    };
    Ok(Some(Lexed {
        digits,
        exp,
        scientific,
        rest,
    }))
}

/// The exponent at the start of `s` (`e6`, `E+06`, `e-2`) and what follows.
fn lex_exponent<'a>(text: &str, s: &'a str) -> Result<Option<(i64, &'a str)>, ValueError> {
    let Some(after) = s.strip_prefix(['e', 'E']) else {
        return Ok(None);
    };
    let (negative, unsigned) = split_sign(after);
    let len = unsigned
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(unsigned.len());
    if len == 0 {
        // `1eur` is a unit; `1e`, `1e+` and `1e-x` are broken exponents.
        if unsigned.len() == after.len() && after.starts_with(char::is_alphabetic) {
            return Ok(None);
        }
        return Err(
            ValueError::new(format!("`{text}` has an exponent without digits"))
                .with_hint("write scientific notation as e.g. `1e6` or `1.2E+06`"),
        );
    }
    let magnitude = unsigned[..len]
        .bytes()
        .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(MAX_EXP));
    let exp = if negative { -magnitude } else { magnitude };
    Ok(Some((exp, &unsigned[len..])))
}

/// The power of ten of a `K`, `M` or `B` right after a number, if `rest`
/// is one. A multiplier after an exponent (`1e3K`) is an error: one number
/// written two ways is more likely a slip than a thousand thousands.
fn multiplier(text: &str, num: &Lexed<'_>, rest: &str) -> Result<Option<i64>, ValueError> {
    let exp = match rest {
        "k" => 3,
        "m" => 6,
        "b" => 9,
        _ => return Ok(None),
    };
    if num.scientific {
        return Err(ValueError::new(format!(
            "`{text}` has both an exponent and a multiplier (`{}`)",
            rest.to_uppercase()
        ))
        .with_hint("write one of them, e.g. `1.5e6` or `1.5M`"));
    }
    Ok(Some(exp))
}

/// The number `±digits × 10^(exp + shift)`, shifted in decimal so that
/// `1.15K` is exactly 1150 rather than 1.15 × 1000 with a binary rounding
/// error.
fn number(text: &str, negative: bool, num: &Lexed<'_>, shift: i64) -> Result<f64, ValueError> {
    let sign = if negative { "-" } else { "" };
    let exp = num.exp + shift;
    match format!("{sign}{}e{exp}", num.digits).parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(too_large(text, negative)),
    }
}

/// Whether `value` is one that [`parse_value`] could return for `unit`:
/// finite, within [`MAX_MAGNITUDE`], and for a bool 0 or 1, for a score
/// from 0 to its scale, for a rank a whole number from 1. A reader that
/// takes a plain number on a fast path checks it with this, and otherwise
/// lets `parse_value` explain what is wrong.
pub fn in_domain(value: f64, unit: Unit) -> bool {
    if !value.is_finite() || value.abs() > MAX_MAGNITUDE {
        return false;
    }
    match unit {
        Unit::Bool => value == 0.0 || value == 1.0,
        Unit::Score { scale } => (0.0..=f64::from(scale)).contains(&value),
        Unit::Rank => value >= 1.0 && value.fract() == 0.0,
        _ => true,
    }
}

/// Parses `s` and checks that its spelling fits `unit`; returns the number
/// in the unit's canonical form (dollars, percentage points, seconds, ...).
pub fn parse_value(s: &str, unit: Unit) -> Result<f64, ValueError> {
    let text = s.trim();
    // For a milestone, "not a number" would send the user the wrong way.
    let written = match parse_written(s) {
        Err(e) if unit == Unit::Bool && e.message.ends_with("is not a number") => {
            return Err(ValueError::new(format!("`{text}` is not yes or no"))
                .with_hint("write `yes` or `no` (or `1` or `0`)"));
        }
        w => w?,
    };
    match (written.unit, unit) {
        (None, Unit::Bool) if written.value == 1.0 || written.value == 0.0 => Ok(written.value),
        (None, Unit::Bool) => Err(ValueError::new(format!("`{text}` is not yes or no"))
            .with_hint("write `yes` or `no` (or `1` or `0`)")),
        (None, Unit::Score { scale }) => {
            check_score(text, written.value, scale)?;
            Ok(written.value)
        }
        (None, Unit::Rank) => check_rank(text, written.value),
        // `5m` reads as five million, which for a duration is surely minutes.
        (None, Unit::Seconds) if text.ends_with(['m', 'M']) => {
            let n = text[..text.len() - 1].trim();
            Err(
                ValueError::new(format!("`{text}` is ambiguous: `m` means million"))
                    .with_hint(format!("write `{n}min` for minutes")),
            )
        }
        (None, _) => Ok(written.value),
        (Some(got), want) if got == want => Ok(written.value),
        (Some(Unit::Score { scale: got }), Unit::Score { .. }) => Err(ValueError::new(format!(
            "`{text}` is a score out of {got}, but this metric is {}",
            unit.describe()
        ))
        .with_hint(format!("write it as `{}`", unit.example()))),
        (Some(got), want) => Err(ValueError::new(format!(
            "`{text}` is {}, but this metric is measured {}",
            got.spelled(),
            want.measured()
        ))
        .with_hint(format!("write it as e.g. `{}`", want.example()))),
    }
}

/// A goal for a metric: `>= $50K`, `< 2s`, `top 3`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Target {
    pub cmp: Cmp,
    pub value: f64,
    pub unit: Unit,
}

/// Parses a target: `[CMP] VALUE [+]`.
///
/// Without a comparison the metric's good direction decides (`>=` when
/// higher is better, `<=` when lower is), except that `yes`/`no` mean `=`
/// and `top N` means `<= N` whatever the metric says. A trailing `+` means
/// `>=`.
pub fn parse_target(s: &str, unit: Unit, better: Better) -> Result<Target, ValueError> {
    let text = s.trim();
    let example = format!(
        "write e.g. `>= {}` or `{}+`",
        unit.example(),
        unit.example()
    );
    if text.is_empty() {
        return Err(ValueError::new("empty target").with_hint(example));
    }
    let op_len: usize = text
        .chars()
        .take_while(|&c| is_cmp_char(c))
        .map(char::len_utf8)
        .sum();
    let (op, rest) = text.split_at(op_len);
    let explicit = if op.is_empty() {
        None
    } else {
        Some(Cmp::parse(op).ok_or_else(|| {
            ValueError::new(format!("`{op}` is not a comparison"))
                .with_hint("use one of `>=`, `>`, `<=`, `<`, `=`")
        })?)
    };
    let rest = rest.trim();
    let (value_text, plus) = match rest.strip_suffix('+') {
        Some(v) => (v.trim_end(), true),
        None => (rest, false),
    };
    if plus && explicit.is_some() {
        return Err(
            ValueError::new(format!("`{text}` has two comparisons")).with_hint(format!(
                "write `{op} {value_text}`, or `{value_text}+` alone for `>= {value_text}`"
            )),
        );
    }
    if value_text.is_empty() {
        return Err(ValueError::new(format!("`{text}` has no value")).with_hint(example));
    }
    let value = parse_value(value_text, unit)?;
    let cmp = match (explicit, plus) {
        (Some(cmp), _) => cmp,
        (None, true) => Cmp::Ge,
        (None, false) if unit == Unit::Bool => Cmp::Eq,
        (None, false) if strip_rank(&value_text.to_lowercase()).is_some() => Cmp::Le,
        (None, false) => match better {
            Better::Higher => Cmp::Ge,
            Better::Lower => Cmp::Le,
        },
    };
    Ok(Target { cmp, value, unit })
}

impl Target {
    pub fn met_by(&self, actual: f64) -> bool {
        self.cmp.holds(actual, self.value)
    }
}

impl fmt::Display for Target {
    /// `>= 100`, `<= $150`, `> 85%`, `= yes`, and `top 3` for a rank at or
    /// above a place; every form reads back through [`parse_target`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unit == Unit::Rank && self.cmp == Cmp::Le {
            return write!(f, "top {}", plain(self.value));
        }
        write!(
            f,
            "{} {}",
            self.cmp.symbol(),
            format_value(self.value, self.unit)
        )
    }
}

/// Formats a canonical value for people, so that it reads back through
/// [`parse_value`] for the same unit (to the precision shown).
///
/// Numbers keep at most two decimals, dropping trailing zeros; below 1 they
/// keep two significant digits instead (`0.0012`), so small rates do not
/// show as zero. Large numbers are compacted with `K`, `M` and `B` (at most
/// two decimals, `1.5M`, `123.46K`):
/// - counts from 100,000 on (`99,999`, then `100K`);
/// - dollars from $10,000 on (`$9,999`, then `$10K`); below that dollars are
///   whole (`$2,500`) or show cents (`$12.50`).
///
/// Other units are never compacted and use thousands separators: `1,500%`.
/// Seconds below one show as milliseconds (`300ms`). A bool shows as `yes`
/// for 1 and `no` for 0, and any other value (an average) as a bare number;
/// a rank shows as `#3`. Non-finite values show as `n/a`.
pub fn format_value(value: f64, unit: Unit) -> String {
    if !value.is_finite() {
        return "n/a".into();
    }
    match unit {
        Unit::Count => compact(value, 100_000.0),
        Unit::Usd => dollars(value),
        Unit::Percent => format!("{}%", plain(value)),
        Unit::Days => format!("{}d", plain(value)),
        Unit::Seconds => seconds(value),
        Unit::Score { scale } => format!("{}/{scale}", plain(value)),
        Unit::Ratio => format!("{}:1", plain(value)),
        Unit::Bool if value == 1.0 => "yes".into(),
        Unit::Bool if value == 0.0 => "no".into(),
        Unit::Bool => plain(value),
        Unit::Rank => format!("#{}", plain(value)),
    }
}

/// Decimals shown for `v`: two, or two significant digits below 1.
fn decimals_for(v: f64) -> usize {
    let a = v.abs();
    if a >= 1.0 || a == 0.0 {
        return 2;
    }
    // Zeros between the point and the first significant digit.
    let zeros = (-a.log10()).ceil() - 1.0;
    (zeros.max(0.0) as usize + 2).min(9)
}

/// `v` rounded as it will be shown, so that choices such as "compact or
/// not" are made on what the reader sees, keeping formatting idempotent.
fn shown(v: f64, decimals: usize) -> f64 {
    format!("{v:.decimals$}").parse().unwrap_or(v)
}

/// `v` with `decimals` decimals, thousands separators and no trailing zeros.
fn grouped(v: f64, decimals: usize) -> String {
    let s = format!("{:.decimals$}", v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let frac = frac.trim_end_matches('0');
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    // A value that rounds to zero shows as `0`, never `-0`.
    if v < 0.0 && out.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        out.insert(0, '-');
    }
    out
}

fn plain(v: f64) -> String {
    grouped(v, decimals_for(v))
}

/// `v` with a K/M/B suffix once it reaches `threshold` (as shown).
fn compact(v: f64, threshold: f64) -> String {
    if shown(v, decimals_for(v)).abs() < threshold {
        return plain(v);
    }
    const SCALES: [(f64, &str); 3] = [(1e3, "K"), (1e6, "M"), (1e9, "B")];
    let mut i = SCALES.iter().rposition(|(s, _)| v.abs() >= *s).unwrap_or(0);
    // 999,999 shows as `1M`, not `1,000K`.
    while i + 1 < SCALES.len() && shown(v / SCALES[i].0, 2).abs() >= 1000.0 {
        i += 1;
    }
    let (scale, suffix) = SCALES[i];
    format!("{}{suffix}", grouped(v / scale, 2))
}

fn dollars(v: f64) -> String {
    let sign = if shown(v, 2) < 0.0 { "-" } else { "" };
    let a = v.abs();
    let cents = shown(a, 2);
    let body = if cents >= 10_000.0 {
        compact(a, 10_000.0)
    } else if cents.fract() == 0.0 {
        grouped(a, 0)
    } else {
        // Money shows cents in full: `$12.50`, not `$12.5`.
        let whole = grouped(cents.trunc(), 0);
        format!(
            "{whole}.{:02}",
            ((cents - cents.trunc()) * 100.0).round() as u32
        )
    };
    format!("{sign}${body}")
}

fn seconds(v: f64) -> String {
    if v != 0.0 && v.abs() < 1.0 {
        let ms = v * 1000.0;
        let ms_shown = shown(ms, decimals_for(ms)).abs();
        // A rounded `0ms` would read back as 0, which shows as `0s`.
        if ms_shown > 0.0 && ms_shown < 1000.0 {
            return format!("{}ms", plain(ms));
        }
    }
    format!("{}s", plain(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written(s: &str) -> (f64, Option<Unit>) {
        let w = parse_written(s).unwrap_or_else(|e| panic!("{s}: {}", e.message));
        (w.value, w.unit)
    }

    fn err(r: Result<impl fmt::Debug, ValueError>) -> (String, Option<String>) {
        match r {
            Ok(v) => panic!("expected an error, got {v:?}"),
            Err(e) => (e.message, e.hint),
        }
    }

    fn target(s: &str, unit: Unit, better: Better) -> Target {
        parse_target(s, unit, better).unwrap_or_else(|e| panic!("{s}: {}", e.message))
    }

    const SCORE5: Unit = Unit::Score { scale: 5 };

    #[test]
    fn unit_names_parse_and_display_back() {
        for name in Unit::NAMES {
            let unit = Unit::parse(name).expect(name);
            assert_eq!(unit.to_string(), *name);
        }
        assert_eq!(Unit::parse("score/7"), Some(Unit::Score { scale: 7 }));
        assert_eq!(Unit::parse(" Percent "), Some(Unit::Percent));
        for bad in [
            "score/0", "score/", "score/+5", "score/x", "score", "dollars", "",
        ] {
            assert_eq!(Unit::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn units_describe_themselves() {
        let all = [
            (Unit::Count, "a count"),
            (Unit::Percent, "a percentage"),
            (Unit::Usd, "dollars"),
            (Unit::Days, "days"),
            (Unit::Seconds, "seconds"),
            (SCORE5, "a score out of 5"),
            (Unit::Ratio, "a ratio"),
            (Unit::Bool, "yes or no"),
            (Unit::Rank, "a rank"),
        ];
        for (unit, words) in all {
            assert_eq!(unit.describe(), words);
        }
    }

    #[test]
    fn counts_are_bare_numbers() {
        assert_eq!(written("100"), (100.0, None));
        assert_eq!(written(" 1,000 "), (1000.0, None));
        assert_eq!(written("1,234,567.5"), (1_234_567.5, None));
        assert_eq!(written("1.2K"), (1200.0, None));
        assert_eq!(written("1.15k"), (1150.0, None));
        assert_eq!(written("10M"), (10_000_000.0, None));
        assert_eq!(written("2B"), (2e9, None));
        assert_eq!(written("-3"), (-3.0, None));
        assert_eq!(written("+3"), (3.0, None));
        assert_eq!(written("0.5"), (0.5, None));
        assert_eq!(written(".5"), (0.5, None));
    }

    #[test]
    fn misplaced_separators_are_rejected() {
        for bad in ["1,00", "1,5", "1000,000", ",100", "1,000,", "1,0000"] {
            assert_eq!(
                err(parse_written(bad)).0,
                format!("`{bad}` has misplaced thousands separators"),
            );
        }
    }

    #[test]
    fn percentages_dollars_and_durations() {
        assert_eq!(written("85%"), (85.0, Some(Unit::Percent)));
        assert_eq!(written("0.1%"), (0.1, Some(Unit::Percent)));
        assert_eq!(written("-10 %"), (-10.0, Some(Unit::Percent)));
        assert_eq!(written("$150"), (150.0, Some(Unit::Usd)));
        assert_eq!(written("$2,500"), (2500.0, Some(Unit::Usd)));
        assert_eq!(written("$50K"), (50_000.0, Some(Unit::Usd)));
        assert_eq!(written("$1.5M"), (1_500_000.0, Some(Unit::Usd)));
        assert_eq!(written("-$200"), (-200.0, Some(Unit::Usd)));
        assert_eq!(written("$-200"), (-200.0, Some(Unit::Usd)));
        for days in ["30d", "30 d", "30 days", "30 días", "30 dias", "30D"] {
            assert_eq!(written(days), (30.0, Some(Unit::Days)), "{days}");
        }
        assert_eq!(written("1 day"), (1.0, Some(Unit::Days)));
        assert_eq!(written("1 día"), (1.0, Some(Unit::Days)));
        for secs in ["2s", "2 s", "2 segundos", "2 seconds"] {
            assert_eq!(written(secs), (2.0, Some(Unit::Seconds)), "{secs}");
        }
        assert_eq!(written("300ms"), (0.3, Some(Unit::Seconds)));
        assert_eq!(written("5min"), (300.0, Some(Unit::Seconds)));
    }

    #[test]
    fn scores_ratios_bools_and_ranks() {
        assert_eq!(written("4.5/5"), (4.5, Some(SCORE5)));
        assert_eq!(written("9 / 10"), (9.0, Some(Unit::Score { scale: 10 })));
        assert_eq!(written("5:1"), (5.0, Some(Unit::Ratio)));
        assert_eq!(written("3:2"), (1.5, Some(Unit::Ratio)));
        assert_eq!(written("3x"), (3.0, Some(Unit::Ratio)));
        assert_eq!(written("10X"), (10.0, Some(Unit::Ratio)));
        for yes in ["yes", "true", "sí", "si", "Yes", "SÍ"] {
            assert_eq!(written(yes), (1.0, Some(Unit::Bool)), "{yes}");
        }
        for no in ["no", "false", "No"] {
            assert_eq!(written(no), (0.0, Some(Unit::Bool)), "{no}");
        }
        assert_eq!(written("top 3"), (3.0, Some(Unit::Rank)));
        assert_eq!(written("Top 2"), (2.0, Some(Unit::Rank)));
        assert_eq!(written("#3"), (3.0, Some(Unit::Rank)));
    }

    #[test]
    fn out_of_range_scores_ratios_and_ranks_are_rejected() {
        let (message, hint) = err(parse_written("6/5"));
        assert_eq!(message, "`6/5`: a score cannot exceed its scale");
        assert_eq!(
            hint.as_deref(),
            Some("write a value from 0 to 5, e.g. `4.5/5`")
        );
        assert_eq!(
            err(parse_written("-1/5")).0,
            "`-1/5`: a score cannot be negative"
        );
        assert_eq!(
            err(parse_written("4/0")).0,
            "`4/0`: a score's scale is a whole number above zero"
        );
        assert_eq!(
            err(parse_written("5:0")).0,
            "`5:0`: the second number of a ratio must be above zero"
        );
        for bad in ["top 0", "#2.5", "top", "top three"] {
            assert_eq!(
                err(parse_written(bad)).0,
                format!("`{bad}`: a rank is a whole number from 1 up")
            );
        }
    }

    #[test]
    fn junk_and_empty_values_explain_the_accepted_forms() {
        assert_eq!(err(parse_written("  ")).0, "empty value");
        for junk in ["abc", "$", "$abc", "-$-5", "5:", "1.2.3", "topaz"] {
            let (message, hint) = err(parse_written(junk));
            assert_eq!(message, format!("`{junk}` is not a number"));
            assert_eq!(
                hint.as_deref(),
                Some("write a number such as `100`, `85%`, `$150`, `30d`, `4.5/5` or `5:1`")
            );
        }
        assert_eq!(
            err(parse_written("30 weeks")).0,
            "`30 weeks` has an unknown unit `weeks`"
        );
    }

    #[test]
    fn scientific_notation_reads_as_a_plain_number() {
        assert_eq!(written("1e6"), (1e6, None));
        assert_eq!(written("1.2E+06"), (1.2e6, None));
        assert_eq!(written("-3.5e-2"), (-0.035, None));
        assert_eq!(written("2.5E3"), (2500.0, None));
        assert_eq!(written("1,000e3"), (1e6, None));
        // A unit after the exponent means what it means after any number.
        assert_eq!(written("1.5e1%"), (15.0, Some(Unit::Percent)));
        assert_eq!(written("$1.2e4"), (12_000.0, Some(Unit::Usd)));
        assert_eq!(written("3e1d"), (30.0, Some(Unit::Days)));
        assert_eq!(written("3e2ms"), (0.3, Some(Unit::Seconds)));
        assert_eq!(written("4.5e0/5"), (4.5, Some(SCORE5)));
        assert_eq!(parse_value("1e6", Unit::Usd), Ok(1e6));
        assert_eq!(parse_value("1E0", Unit::Bool), Ok(1.0));
        // `e` starting a word is a unit, not an exponent.
        assert_eq!(
            err(parse_written("1eur")).0,
            "`1eur` has an unknown unit `eur`"
        );
    }

    #[test]
    fn broken_exponents_and_mixed_multipliers_are_explained() {
        for bad in ["1e", "1e+", "2E-", "1e-x", "1e%"] {
            let (message, hint) = err(parse_written(bad));
            assert_eq!(message, format!("`{bad}` has an exponent without digits"));
            assert_eq!(
                hint.as_deref(),
                Some("write scientific notation as e.g. `1e6` or `1.2E+06`")
            );
        }
        let (message, hint) = err(parse_written("1e3K"));
        assert_eq!(
            message,
            "`1e3K` has both an exponent and a multiplier (`K`)"
        );
        assert_eq!(
            hint.as_deref(),
            Some("write one of them, e.g. `1.5e6` or `1.5M`")
        );
        assert_eq!(
            err(parse_written("$2e3m")).0,
            "`$2e3m` has both an exponent and a multiplier (`M`)"
        );
    }

    #[test]
    fn absurd_magnitudes_are_rejected_with_the_bound() {
        for huge in [
            "1e308",
            "1e16",
            "1.0000001e15",
            "1e400",
            "2,000,000B",
            "$2e15",
            "1e99999999999",
        ] {
            let (message, hint) = err(parse_written(huge));
            assert_eq!(
                message,
                format!("`{huge}` is too large: values above 10^15 are not accepted")
            );
            assert!(hint.is_some_and(|h| h.contains("quadrillion")), "{huge}");
        }
        assert_eq!(
            err(parse_value("-1e16", Unit::Count)).0,
            "`-1e16` is too large: values below -10^15 are not accepted"
        );
        // The bound applies to the value in its canonical unit.
        assert_eq!(
            err(parse_value("1e14min", Unit::Seconds)).0,
            "`1e14min` is too large: values above 10^15 are not accepted"
        );
        assert_eq!(
            err(parse_value("1:1e-16", Unit::Ratio)).0,
            "`1:1e-16` is too large: values above 10^15 are not accepted"
        );
        // Whatever follows the number, its size is judged first.
        assert_eq!(
            err(parse_value("#2e15", Unit::Rank)).0,
            "`#2e15` is too large: values above 10^15 are not accepted"
        );
        assert_eq!(
            err(parse_value("top 2e15", Unit::Rank)).0,
            "`top 2e15` is too large: values above 10^15 are not accepted"
        );
        for unit in [SCORE5, Unit::Ratio, Unit::Percent] {
            assert_eq!(
                err(parse_value("2e15/5", unit)).0,
                "`2e15/5` is too large: values above 10^15 are not accepted"
            );
        }
        assert_eq!(
            err(parse_target(">= 1e308", Unit::Count, Better::Higher)).0,
            "`1e308` is too large: values above 10^15 are not accepted"
        );
        // The bound itself is a value; underflow is just zero.
        assert_eq!(parse_value("1e15", Unit::Count), Ok(MAX_MAGNITUDE));
        assert_eq!(parse_value("-$1,000,000B", Unit::Usd), Ok(-MAX_MAGNITUDE));
        assert_eq!(parse_value("1e-400", Unit::Count), Ok(0.0));
    }

    #[test]
    fn the_domain_of_a_unit_is_what_parse_value_returns() {
        let cases = [
            (Unit::Count, -1e15, true),
            (Unit::Count, 1.5e15, false),
            (Unit::Usd, f64::INFINITY, false),
            (Unit::Percent, f64::NAN, false),
            (Unit::Bool, 1.0, true),
            (Unit::Bool, 2.0, false),
            (SCORE5, 5.0, true),
            (SCORE5, 6.0, false),
            (SCORE5, -0.1, false),
            (Unit::Rank, 3.0, true),
            (Unit::Rank, 0.0, false),
            (Unit::Rank, 2.5, false),
        ];
        for (unit, value, fits) in cases {
            assert_eq!(in_domain(value, unit), fits, "{value} {unit}");
            if value.is_finite() {
                assert_eq!(
                    parse_value(&value.to_string(), unit).is_ok(),
                    fits,
                    "{value} {unit}"
                );
            }
        }
    }

    #[test]
    fn nan_and_infinity_are_not_numbers() {
        for word in [
            ".nan", "nan", "NaN", ".NaN", "inf", ".inf", "-inf", "-.inf", "+.Inf", "Infinity",
            "$inf", "-$inf", "∞", "inf%", ".inf/5",
        ] {
            let (message, hint) = err(parse_written(word));
            assert_eq!(
                message,
                format!("`{word}` is not a finite number"),
                "{word}"
            );
            assert!(
                hint.is_some_and(|h| h.starts_with("NaN and infinity")),
                "{word}"
            );
        }
        assert_eq!(
            err(parse_target("<= .inf", Unit::Seconds, Better::Lower)).0,
            "`.inf` is not a finite number"
        );
        assert_eq!(err(parse_written("info")).0, "`info` is not a number");
    }

    #[test]
    fn hours_point_at_alert_windows() {
        let (message, hint) = err(parse_written("24h"));
        assert_eq!(message, "`24h`: hours are not a metric unit");
        assert!(hint.is_some_and(|h| h.contains("after `over`")));
    }

    #[test]
    fn bare_numbers_fit_every_unit() {
        assert_eq!(parse_value("85", Unit::Percent), Ok(85.0));
        assert_eq!(parse_value("150", Unit::Usd), Ok(150.0));
        assert_eq!(parse_value("50K", Unit::Usd), Ok(50_000.0));
        assert_eq!(parse_value("4.5", SCORE5), Ok(4.5));
        assert_eq!(parse_value("1", Unit::Bool), Ok(1.0));
        assert_eq!(parse_value("0", Unit::Bool), Ok(0.0));
        assert_eq!(parse_value("3", Unit::Rank), Ok(3.0));
        assert_eq!(err(parse_value("2", Unit::Bool)).0, "`2` is not yes or no");
        assert_eq!(
            err(parse_value("6", SCORE5)).0,
            "`6`: a score cannot exceed its scale"
        );
        assert_eq!(
            err(parse_value("0", Unit::Rank)).0,
            "`0`: a rank is a whole number from 1 up"
        );
    }

    #[test]
    fn million_is_not_minutes_for_durations() {
        let (message, hint) = err(parse_value("5m", Unit::Seconds));
        assert_eq!(message, "`5m` is ambiguous: `m` means million");
        assert_eq!(hint.as_deref(), Some("write `5min` for minutes"));
        assert_eq!(parse_value("5min", Unit::Seconds), Ok(300.0));
    }

    #[test]
    fn spellings_must_fit_the_metric_unit() {
        assert_eq!(parse_value("$150", Unit::Usd), Ok(150.0));
        let (message, hint) = err(parse_value("$150", Unit::Percent));
        assert_eq!(
            message,
            "`$150` is in dollars, but this metric is measured as a percentage"
        );
        assert_eq!(hint.as_deref(), Some("write it as e.g. `85%`"));
        let (message, hint) = err(parse_value("85%", Unit::Days));
        assert_eq!(
            message,
            "`85%` is a percentage, but this metric is measured in days"
        );
        assert_eq!(hint.as_deref(), Some("write it as e.g. `30d`"));
        assert_eq!(
            err(parse_value("yes", Unit::Count)).0,
            "`yes` is a yes-or-no answer, but this metric is measured as a count"
        );
    }

    #[test]
    fn scores_must_use_the_metric_scale() {
        let (message, hint) = err(parse_value("9/10", SCORE5));
        assert_eq!(
            message,
            "`9/10` is a score out of 10, but this metric is a score out of 5"
        );
        assert_eq!(hint.as_deref(), Some("write it as `4.5/5`"));
        assert_eq!(parse_value("4/5", SCORE5), Ok(4.0));
    }

    #[test]
    fn cmp_holds_with_float_noise_as_equality() {
        assert!(Cmp::Ge.holds(100.0, 100.0));
        assert!(!Cmp::Gt.holds(100.0, 100.0));
        assert!(Cmp::Eq.holds(0.1 + 0.2, 0.3));
        assert!(Cmp::Ge.holds(0.1 + 0.2, 0.3));
        assert!(!Cmp::Lt.holds(0.3, 0.1 + 0.2));
        assert!(Cmp::Lt.holds(1.0, 2.0));
        assert!(Cmp::Le.holds(2.0, 2.0));
        assert!(!Cmp::Ge.holds(f64::NAN, 1.0));
        let symbols: Vec<_> = [Cmp::Ge, Cmp::Gt, Cmp::Le, Cmp::Lt, Cmp::Eq]
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert_eq!(symbols, [">=", ">", "<=", "<", "="]);
    }

    #[test]
    fn targets_take_comparisons_in_every_spelling() {
        let t = |s| target(s, Unit::Count, Better::Higher);
        assert_eq!(t(">= 100").cmp, Cmp::Ge);
        assert_eq!(t(">=100").cmp, Cmp::Ge);
        assert_eq!(t("≥ 100").cmp, Cmp::Ge);
        assert_eq!(t("> 100").cmp, Cmp::Gt);
        assert_eq!(t("<= 100").cmp, Cmp::Le);
        assert_eq!(t("≤100").cmp, Cmp::Le);
        assert_eq!(t("< 100").cmp, Cmp::Lt);
        assert_eq!(t("= 100").cmp, Cmp::Eq);
        assert_eq!(t("== 100").cmp, Cmp::Eq);
        assert_eq!(
            t("1,000+"),
            Target {
                cmp: Cmp::Ge,
                value: 1000.0,
                unit: Unit::Count
            }
        );
        let usd = target("$50K+", Unit::Usd, Better::Lower);
        assert_eq!((usd.cmp, usd.value), (Cmp::Ge, 50_000.0));
    }

    #[test]
    fn targets_without_comparison_follow_the_good_direction() {
        assert_eq!(target("100", Unit::Count, Better::Higher).cmp, Cmp::Ge);
        assert_eq!(target("$150", Unit::Usd, Better::Lower).cmp, Cmp::Le);
        let top = target("top 3", Unit::Rank, Better::Higher);
        assert_eq!((top.cmp, top.value), (Cmp::Le, 3.0));
        let yes = target("yes", Unit::Bool, Better::Lower);
        assert_eq!((yes.cmp, yes.value), (Cmp::Eq, 1.0));
        assert_eq!(target("no", Unit::Bool, Better::Higher).value, 0.0);
    }

    #[test]
    fn target_errors_are_specific() {
        let (message, hint) = err(parse_target("> 100+", Unit::Count, Better::Higher));
        assert_eq!(message, "`> 100+` has two comparisons");
        assert_eq!(
            hint.as_deref(),
            Some("write `> 100`, or `100+` alone for `>= 100`")
        );
        assert_eq!(
            err(parse_target("=> 100", Unit::Count, Better::Higher)).0,
            "`=>` is not a comparison"
        );
        assert_eq!(
            err(parse_target(">=", Unit::Count, Better::Higher)).0,
            "`>=` has no value"
        );
        assert_eq!(
            err(parse_target("", Unit::Count, Better::Higher)).0,
            "empty target"
        );
        assert_eq!(
            err(parse_target(">= $150", Unit::Percent, Better::Higher)).0,
            "`$150` is in dollars, but this metric is measured as a percentage"
        );
    }

    #[test]
    fn targets_are_met_by_the_right_values() {
        let t = target("< 2s", Unit::Seconds, Better::Lower);
        assert!(t.met_by(1.5));
        assert!(!t.met_by(2.0));
        let t = target("top 3", Unit::Rank, Better::Lower);
        assert!(t.met_by(1.0) && t.met_by(3.0) && !t.met_by(4.0));
    }

    #[test]
    fn targets_display_readably_and_read_back() {
        let cases = [
            (">= 100", Unit::Count, Better::Higher, ">= 100"),
            ("$150", Unit::Usd, Better::Lower, "<= $150"),
            ("> 85%", Unit::Percent, Better::Higher, "> 85%"),
            ("< 2s", Unit::Seconds, Better::Lower, "< 2s"),
            ("$50K+", Unit::Usd, Better::Higher, ">= $50K"),
            ("4.5/5", SCORE5, Better::Higher, ">= 4.5/5"),
            ("> 5:1", Unit::Ratio, Better::Higher, "> 5:1"),
            ("yes", Unit::Bool, Better::Higher, "= yes"),
            ("top 3", Unit::Rank, Better::Lower, "top 3"),
            ("< #3", Unit::Rank, Better::Lower, "< #3"),
        ];
        for (input, unit, better, shown) in cases {
            let t = target(input, unit, better);
            assert_eq!(t.to_string(), shown, "{input}");
            assert_eq!(target(shown, unit, better), t, "{shown}");
        }
    }

    #[test]
    fn values_format_for_people() {
        let cases = [
            (1000.0, Unit::Count, "1,000"),
            (1200.0, Unit::Count, "1,200"),
            (99_999.0, Unit::Count, "99,999"),
            (100_000.0, Unit::Count, "100K"),
            (123_456.0, Unit::Count, "123.46K"),
            (999_999.0, Unit::Count, "1M"),
            (1_500_000.0, Unit::Count, "1.5M"),
            (2e9, Unit::Count, "2B"),
            (-1_500_000.0, Unit::Count, "-1.5M"),
            (0.5, Unit::Count, "0.5"),
            (0.0012, Unit::Count, "0.0012"),
            (-0.0, Unit::Count, "0"),
            (50_000.0, Unit::Usd, "$50K"),
            (2500.0, Unit::Usd, "$2,500"),
            (9999.0, Unit::Usd, "$9,999"),
            (12.5, Unit::Usd, "$12.50"),
            (-200.0, Unit::Usd, "-$200"),
            (1_500_000.0, Unit::Usd, "$1.5M"),
            (85.0, Unit::Percent, "85%"),
            (0.1, Unit::Percent, "0.1%"),
            (33.333_333, Unit::Percent, "33.33%"),
            (1500.0, Unit::Percent, "1,500%"),
            (4.5, SCORE5, "4.5/5"),
            (30.0, Unit::Days, "30d"),
            (2.0, Unit::Seconds, "2s"),
            (0.3, Unit::Seconds, "300ms"),
            (0.999_999_9, Unit::Seconds, "1s"),
            (1e-13, Unit::Seconds, "0s"),
            (12.996, Unit::Usd, "$13"),
            (9_999.999, Unit::Usd, "$10K"),
            (5.0, Unit::Ratio, "5:1"),
            (1.5, Unit::Ratio, "1.5:1"),
            (1.0, Unit::Bool, "yes"),
            (0.0, Unit::Bool, "no"),
            (0.75, Unit::Bool, "0.75"),
            (3.0, Unit::Rank, "#3"),
            (f64::NAN, Unit::Count, "n/a"),
        ];
        for (value, unit, shown) in cases {
            assert_eq!(format_value(value, unit), shown, "{value} {unit}");
        }
    }

    fn unit_strategy() -> impl Strategy<Value = Unit> {
        prop_oneof![
            Just(Unit::Count),
            Just(Unit::Percent),
            Just(Unit::Usd),
            Just(Unit::Days),
            Just(Unit::Seconds),
            Just(Unit::Ratio),
        ]
    }

    /// Values up to the bound, with round numbers, the bound itself and
    /// the places where the formatting changes (`99,999` -> `100K`).
    fn magnitude() -> impl Strategy<Value = f64> {
        prop_oneof![
            -1.0f64..1.0,
            -1e6f64..1e6,
            (-MAX_MAGNITUDE..=MAX_MAGNITUDE),
            (0u32..20, -13i32..15)
                .prop_map(|(m, e)| (f64::from(m) * 10f64.powi(e)).min(MAX_MAGNITUDE)),
            (
                -1e-3f64..1e-3,
                prop::sample::select(vec![1e4, 1e5, 1e6, 1e9, 1e12, 1e15, -1e15])
            )
                .prop_map(|(d, edge)| (edge * (1.0 + d)).clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE)),
        ]
    }

    /// What rounding to the shown precision may cost: half a unit of the
    /// last shown digit, so 0.005 when not compacted and, once compacted,
    /// half a hundredth of a mantissa of at least 1 (`1.23M`).
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 0.0051 || (a - b).abs() <= 5.1e-3 * a.abs().max(b.abs())
    }

    proptest! {
        #[test]
        fn formatted_values_read_back(value in magnitude(), unit in unit_strategy()) {
            let shown = format_value(value, unit);
            let back = parse_value(&shown, unit)
                .map_err(|e| TestCaseError::fail(format!("{shown}: {}", e.message)))?;
            prop_assert!(close(back, value), "{value} -> {shown} -> {back}");
            prop_assert_eq!(format_value(back, unit), shown);
        }

        #[test]
        fn scores_ranks_and_bools_read_back(
            scale in 1u32..=100,
            frac in 0.0f64..=1.0,
            rank in 1u32..10_000,
            yes: bool,
        ) {
            let score = Unit::Score { scale };
            let value = f64::from(scale) * frac;
            let shown = format_value(value, score);
            let back = parse_value(&shown, score)
                .map_err(|e| TestCaseError::fail(format!("{shown}: {}", e.message)))?;
            prop_assert!(close(back, value), "{value} -> {shown} -> {back}");
            let rank = f64::from(rank);
            prop_assert_eq!(parse_value(&format_value(rank, Unit::Rank), Unit::Rank), Ok(rank));
            let b = if yes { 1.0 } else { 0.0 };
            prop_assert_eq!(parse_value(&format_value(b, Unit::Bool), Unit::Bool), Ok(b));
        }

        #[test]
        fn parse_written_never_panics(s in "\\PC{0,12}") {
            let _ = parse_written(&s);
        }

        #[test]
        fn nothing_beyond_the_bound_is_read(
            mantissa in 1.0f64..10.0,
            exp in 16i32..400,
            negative: bool,
            unit in unit_strategy(),
        ) {
            let text = format!("{}{mantissa}e{exp}", if negative { "-" } else { "" });
            let e = parse_value(&text, unit)
                .err()
                .ok_or_else(|| TestCaseError::fail(format!("{text} was accepted")))?;
            prop_assert!(e.message.contains("is too large"), "{text}: {}", e.message);
        }
    }
}
