//! Month arithmetic of a plan: which calendar days make up "month n", which
//! month a date falls in, and windows of months such as `1-6`.
//!
//! A plan starts on any date, the first day of month 1. Month n starts
//! n - 1 calendar months later, clamped to the end of a shorter month (a
//! plan starting on Jan 31 has month 2 start on Feb 28 and month 3 on
//! Mar 31), and ends the day before month n + 1 starts. So months tile the
//! calendar with no gaps, whatever the start day.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::quantity::ValueError;

/// First day of month `k`, for any `k`: month 0 is the month before the
/// plan starts, month -1 the one before that, and so on.
fn start_of(plan_start: NaiveDate, k: i64) -> NaiveDate {
    let shift = k - 1;
    let moved = match u32::try_from(shift.unsigned_abs()) {
        Ok(m) if shift >= 0 => plan_start.checked_add_months(Months::new(m)),
        Ok(m) => plan_start.checked_sub_months(Months::new(m)),
        Err(_) => None,
    };
    // Only dates beyond chrono's range (year ±262,143) fail; pin them there
    // rather than panic.
    moved.unwrap_or(if shift >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

/// First day of month `n` (1 for the first month of the plan; 0 gives the
/// month before it starts).
pub fn month_start(plan_start: NaiveDate, n: u32) -> NaiveDate {
    start_of(plan_start, i64::from(n))
}

/// Last day of month `n`.
pub fn month_end(plan_start: NaiveDate, n: u32) -> NaiveDate {
    let next = start_of(plan_start, i64::from(n) + 1);
    next.pred_opt().unwrap_or(next)
}

/// Month number of `date`: 1 for the first month; 0 or negative before the
/// plan starts (0 = the month before month 1 starts, ...); may exceed the
/// plan length after it ends.
pub fn month_of(plan_start: NaiveDate, date: NaiveDate) -> i64 {
    // The difference in calendar months is right or one too many (when the
    // date's day is before the start's day); clamping in short months can
    // only make a month start earlier, so stepping settles it either way.
    let mut k = i64::from(date.year() - plan_start.year()) * 12 + i64::from(date.month())
        - i64::from(plan_start.month())
        + 1;
    while k > i64::MIN && start_of(plan_start, k) > date {
        k -= 1;
    }
    while k < i64::MAX && start_of(plan_start, k + 1) <= date {
        k += 1;
    }
    k
}

/// A run of whole months of the plan, `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MonthWindow {
    pub start: u32,
    pub end: u32,
}

const WINDOW_HINT: &str = "write `A-B` (e.g. `1-6`) or a single month (e.g. `7`)";

impl MonthWindow {
    /// Parses `1-6`, `7`, ` 13 - 18 ` or `1–6` (en dash, as word processors
    /// write ranges).
    pub fn parse(s: &str) -> Result<MonthWindow, ValueError> {
        let text = s.trim();
        if text.is_empty() {
            return Err(ValueError::new("empty month window").with_hint(WINDOW_HINT));
        }
        let not_a_window =
            || ValueError::new(format!("`{text}` is not a month window")).with_hint(WINDOW_HINT);
        let month = |part: &str| -> Result<u32, ValueError> {
            let part = part.trim();
            // `u32::from_str` takes `+7`; a month number is digits only.
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(not_a_window());
            }
            part.parse().map_err(|_| not_a_window())
        };
        let (start, end) = match text.split_once(['-', '–', '—']) {
            Some((a, b)) => (month(a)?, month(b)?),
            None => {
                let n = month(text)?;
                (n, n)
            }
        };
        if start == 0 || end == 0 {
            let err = ValueError::new(format!("`{text}`: months start at 1"));
            return Err(if end > 0 {
                err.with_hint(format!(
                    "month 1 is the plan's first month: write `1-{end}`"
                ))
            } else {
                err.with_hint("month 1 is the plan's first month")
            });
        }
        if end < start {
            return Err(
                ValueError::new(format!("`{text}`: the window ends before it starts"))
                    .with_hint(format!("write `{end}-{start}`")),
            );
        }
        Ok(MonthWindow { start, end })
    }

    pub fn single(n: u32) -> MonthWindow {
        MonthWindow { start: n, end: n }
    }

    pub fn contains(&self, month: u32) -> bool {
        (self.start..=self.end).contains(&month)
    }

    pub fn overlaps(&self, other: &MonthWindow) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// First day of the window's first month.
    pub fn first_day(&self, plan_start: NaiveDate) -> NaiveDate {
        month_start(plan_start, self.start)
    }

    /// Last day of the window's last month.
    pub fn last_day(&self, plan_start: NaiveDate) -> NaiveDate {
        month_end(plan_start, self.end)
    }
}

impl fmt::Display for MonthWindow {
    /// `1-6`, or `7` for a single month.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn window(s: &str) -> MonthWindow {
        MonthWindow::parse(s).unwrap_or_else(|e| panic!("{s}: {}", e.message))
    }

    fn window_err(s: &str) -> (String, Option<String>) {
        match MonthWindow::parse(s) {
            Ok(w) => panic!("{s} parsed as {w:?}"),
            Err(e) => (e.message, e.hint),
        }
    }

    #[test]
    fn months_follow_the_calendar_from_any_start() {
        let start = day("2026-03-15");
        assert_eq!(month_start(start, 1), start);
        assert_eq!(month_end(start, 1), day("2026-04-14"));
        assert_eq!(month_start(start, 2), day("2026-04-15"));
        assert_eq!(month_start(start, 13), day("2027-03-15"));
    }

    #[test]
    fn a_start_on_the_31st_clamps_short_months() {
        let start = day("2026-01-31");
        assert_eq!(month_start(start, 2), day("2026-02-28"));
        assert_eq!(month_start(start, 3), day("2026-03-31"));
        assert_eq!(month_start(start, 4), day("2026-04-30"));
        assert_eq!(month_end(start, 1), day("2026-02-27"));
        assert_eq!(month_end(start, 2), day("2026-03-30"));
        assert_eq!(month_of(start, day("2026-02-27")), 1);
        assert_eq!(month_of(start, day("2026-02-28")), 2);
        assert_eq!(month_of(start, day("2026-03-30")), 2);
        assert_eq!(month_of(start, day("2026-03-31")), 3);
        assert_eq!(month_of(start, day("2026-04-29")), 3);
    }

    #[test]
    fn a_start_on_a_leap_day_keeps_its_anniversary() {
        let start = day("2028-02-29");
        assert_eq!(month_start(start, 13), day("2029-02-28"));
        assert_eq!(month_end(start, 12), day("2029-02-27"));
        assert_eq!(month_of(start, day("2029-02-27")), 12);
        assert_eq!(month_of(start, day("2029-02-28")), 13);
        assert_eq!(month_start(start, 49), day("2032-02-29"));
        assert_eq!(month_of(start, day("2032-02-29")), 49);
    }

    #[test]
    fn the_last_day_of_a_two_year_plan() {
        let start = day("2026-01-01");
        assert_eq!(month_end(start, 24), day("2027-12-31"));
        assert_eq!(month_of(start, day("2027-12-31")), 24);
        assert_eq!(month_of(start, day("2028-01-01")), 25);
    }

    #[test]
    fn dates_before_the_start_have_month_zero_or_less() {
        let start = day("2026-03-15");
        assert_eq!(month_of(start, day("2026-03-14")), 0);
        assert_eq!(month_of(start, day("2026-02-15")), 0);
        assert_eq!(month_of(start, day("2026-02-14")), -1);
        assert_eq!(month_of(start, day("2025-03-15")), -11);
        assert_eq!(month_start(start, 0), day("2026-02-15"));
    }

    #[test]
    fn windows_parse_in_every_spelling() {
        assert_eq!(window("1-6"), MonthWindow { start: 1, end: 6 });
        assert_eq!(window("7"), MonthWindow::single(7));
        assert_eq!(window(" 13 - 18 "), MonthWindow { start: 13, end: 18 });
        assert_eq!(window("1–6"), MonthWindow { start: 1, end: 6 });
        assert_eq!(window("4-4"), MonthWindow::single(4));
    }

    #[test]
    fn window_errors_say_what_is_wrong() {
        assert_eq!(
            window_err("0-3"),
            (
                "`0-3`: months start at 1".into(),
                Some("month 1 is the plan's first month: write `1-3`".into())
            )
        );
        assert_eq!(window_err("0").0, "`0`: months start at 1");
        assert_eq!(
            window_err("6-1"),
            (
                "`6-1`: the window ends before it starts".into(),
                Some("write `1-6`".into())
            )
        );
        let hint = Some("write `A-B` (e.g. `1-6`) or a single month (e.g. `7`)".to_string());
        for junk in ["a-b", "1-", "-3", "1-2-3", "+7", "1.5", "99999999999"] {
            assert_eq!(
                window_err(junk),
                (format!("`{junk}` is not a month window"), hint.clone())
            );
        }
        assert_eq!(window_err(" ").0, "empty month window");
    }

    #[test]
    fn windows_contain_overlap_and_display() {
        let w = window("3-5");
        assert!(!w.contains(2) && w.contains(3) && w.contains(5) && !w.contains(6));
        assert!(w.overlaps(&window("5-9")));
        assert!(w.overlaps(&window("1-3")));
        assert!(w.overlaps(&window("4")));
        assert!(!w.overlaps(&window("6-9")));
        assert!(!w.overlaps(&window("1-2")));
        assert_eq!(w.to_string(), "3-5");
        assert_eq!(MonthWindow::single(7).to_string(), "7");
    }

    #[test]
    fn windows_cross_year_boundaries() {
        let start = day("2026-11-01");
        let w = window("2-4");
        assert_eq!(w.first_day(start), day("2026-12-01"));
        assert_eq!(w.last_day(start), day("2027-02-28"));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (2000i32..2100, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
            // Clamp the day as a plan would: Feb 31 means the month's end.
            (0..4)
                .find_map(|back| NaiveDate::from_ymd_opt(y, m, d - back))
                .unwrap_or(NaiveDate::MIN)
        })
    }

    proptest! {
        #[test]
        fn every_month_maps_back_to_its_number(start in any_date(), n in 1u32..=120) {
            prop_assert_eq!(month_of(start, month_start(start, n)), i64::from(n));
            prop_assert_eq!(month_of(start, month_end(start, n)), i64::from(n));
            prop_assert!(month_start(start, n) <= month_end(start, n));
            prop_assert_eq!(month_end(start, n).succ_opt(), Some(month_start(start, n + 1)));
        }

        #[test]
        fn month_of_is_consistent_with_month_boundaries(start in any_date(), date in any_date()) {
            let k = month_of(start, date);
            let n = u32::try_from(k).ok().filter(|&n| n >= 1);
            if let Some(n) = n {
                prop_assert!(month_start(start, n) <= date && date <= month_end(start, n));
            } else {
                prop_assert!(date < start);
            }
        }

        #[test]
        fn windows_display_and_parse_back(a in 1u32..500, len in 0u32..500) {
            let w = MonthWindow { start: a, end: a + len };
            prop_assert_eq!(MonthWindow::parse(&w.to_string()), Ok(w));
        }
    }
}
