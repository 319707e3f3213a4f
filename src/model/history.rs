//! Recorded metric values over time, per metric, in date order; and the
//! rows they are read from, shared by loading, storing and reporting.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::diag::Pos;

/// One metric value, from the history file, an input file or the command
/// line.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub date: NaiveDate,
    pub metric: usize,
    /// Canonical value in the metric's unit.
    pub value: f64,
    /// A correction: the value this row replaces (`record --replace`).
    pub replaces: Option<f64>,
    /// Shared, not owned: a file's rows mostly repeat a few sources (one
    /// tool, one person), and a million copies of the same text would be
    /// a million allocations.
    pub source: Option<Arc<str>>,
    pub note: Option<Arc<str>>,
    /// Where it was read, for messages (shared by every row of a file).
    pub file: Arc<Path>,
    /// Line (CSV) or line and column (YAML/JSON); None on the command line.
    pub pos: Option<Pos>,
}

impl Row {
    pub fn line(&self) -> u64 {
        self.pos.map_or(0, |p| p.line)
    }

    /// `file:line` or `file:line:col`, or the file alone.
    pub fn origin(&self) -> String {
        match self.pos {
            Some(p) if p.col > 1 => format!("{}:{}:{}", self.file.display(), p.line, p.col),
            Some(p) => format!("{}:{}", self.file.display(), p.line),
            None => self.file.display().to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub date: NaiveDate,
    /// In the metric's canonical unit (dollars, percent points, days, ...).
    pub value: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// Indexed by metric; each sorted by date, one point per date.
    series: Vec<Vec<Point>>,
}

impl History {
    /// Build from (metric, point) pairs in any order. When a date repeats
    /// for a metric the last pair wins (loading reports conflicting
    /// duplicates before this is called).
    pub fn new(metrics: usize, points: impl IntoIterator<Item = (usize, Point)>) -> Self {
        let mut series = vec![Vec::new(); metrics];
        for (m, p) in points {
            series[m].push(p);
        }
        for s in &mut series {
            // Stable: among equal dates the later pair stays last.
            s.sort_by_key(|p: &Point| p.date);
            let mut deduped: Vec<Point> = Vec::with_capacity(s.len());
            for p in s.drain(..) {
                match deduped.last_mut() {
                    Some(last) if last.date == p.date => *last = p,
                    _ => deduped.push(p),
                }
            }
            *s = deduped;
        }
        History { series }
    }

    /// Build from series already in date order with one point per date,
    /// indexed by metric, as loading resolves them: no second sort.
    pub fn from_series(series: Vec<Vec<Point>>) -> Self {
        debug_assert!(
            series
                .iter()
                .all(|s| s.windows(2).all(|w| w[0].date < w[1].date))
        );
        History { series }
    }

    pub fn series(&self, metric: usize) -> &[Point] {
        self.series.get(metric).map_or(&[], Vec::as_slice)
    }

    /// Points of `metric` dated within `from..=to`.
    pub fn between(&self, metric: usize, from: NaiveDate, to: NaiveDate) -> &[Point] {
        let s = self.series(metric);
        let lo = s.partition_point(|p| p.date < from);
        let hi = s.partition_point(|p| p.date <= to);
        &s[lo..hi.max(lo)]
    }

    /// The last point on or before `date`.
    pub fn latest(&self, metric: usize, date: NaiveDate) -> Option<Point> {
        let s = self.series(metric);
        let i = s.partition_point(|p| p.date <= date);
        i.checked_sub(1).map(|i| s[i])
    }

    pub fn len(&self) -> usize {
        self.series.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn series_are_sorted_and_windows_inclusive() {
        let p = |date: &str, value| Point {
            date: d(date),
            value,
        };
        let h = History::new(
            2,
            [
                (0, p("2026-03-01", 3.0)),
                (0, p("2026-01-01", 1.0)),
                (0, p("2026-02-01", 2.0)),
                (1, p("2026-01-05", 9.0)),
            ],
        );
        let values: Vec<f64> = h.series(0).iter().map(|p| p.value).collect();
        assert_eq!(values, [1.0, 2.0, 3.0]);
        assert_eq!(h.between(0, d("2026-01-01"), d("2026-02-01")).len(), 2);
        assert_eq!(h.between(0, d("2026-01-02"), d("2026-01-31")).len(), 0);
        assert_eq!(h.latest(0, d("2026-02-15")).map(|p| p.value), Some(2.0));
        assert_eq!(h.latest(0, d("2025-12-31")), None);
        assert_eq!(h.len(), 4);
    }

    #[test]
    fn a_repeated_date_keeps_the_last_value() {
        let p = |value| Point {
            date: d("2026-01-01"),
            value,
        };
        let h = History::new(1, [(0, p(1.0)), (0, p(2.0))]);
        assert_eq!(h.series(0), [p(2.0)]);
    }
}
