//! Charts drawn by hand as SVG text: a line chart (a metric's values, its
//! target lines and its projection), a burn-up (items done against the
//! schedule, with a forecast) and a Gantt timeline (rows of bars coloured
//! by state).
//!
//! These are primitives: they know dates, numbers and labels already
//! written by the caller, and nothing of roadmaps. Each chart is one `<svg>`
//! element that stands alone (colours are attributes, not page CSS, so it
//! prints and copies the same), carries a `<title>` and a `<desc>`, and
//! never lets colour alone carry meaning: lines differ by dash and marker
//! too, bars by pattern and by the text beside them, and every chart has a
//! legend.

use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate};

use super::html::escape;

/// Okabe–Ito colours: told apart by people with any common colour
/// vision deficiency, and distinct in greyscale print by lightness.
pub const BLUE: &str = "#0072B2";
pub const GREEN: &str = "#009E73";
pub const VERMILLION: &str = "#D55E00";
pub const INK: &str = "#222222";
/// The lightest grey that still reads as text on white (4.5:1).
pub const GREY: &str = "#6b6b6b";
const GRID: &str = "#e4e4e4";
const BAND: &str = "#f3f4f6";

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, \
                    'Noto Sans', 'DejaVu Sans', sans-serif";
const FONT_SIZE: f64 = 11.0;
/// A generous average glyph width at [`FONT_SIZE`], for laying labels out
/// without a font engine (DejaVu Sans, the widest usual fallback).
const CHAR_W: f64 = 6.6;
/// Values beyond this many get no individual marker: they would only blot.
const MAX_MARKERS: usize = 150;

/// A dated value and what its marker's tooltip says.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub date: NaiveDate,
    pub value: f64,
    pub tip: String,
}

/// A horizontal target over a stretch of time (one phase's target, or a
/// standing one over the whole chart).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetLine {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: f64,
    /// Written above the line at its left end ("f2 >= 1,000").
    pub label: String,
}

/// A straight dotted line from the last value to where it is headed.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub from: (NaiveDate, f64),
    pub to: (NaiveDate, f64),
    /// Written at the line's end ("projected 160").
    pub label: String,
}

/// A metric's values over time, with its targets and its projection.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Unique in the page: the prefix of the chart's inner ids.
    pub id: String,
    pub title: String,
    pub desc: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The as-of date, drawn as a vertical line when inside the chart.
    pub today: Option<NaiveDate>,
    pub values: Vec<Value>,
    /// What the values are, for the legend ("recorded values").
    pub values_label: String,
    pub targets: Vec<TargetLine>,
    pub projection: Option<Projection>,
    /// Fixed bounds of the value axis (0..1 for yes/no), else fitted.
    pub bounds: Option<(f64, f64)>,
    /// Whole-number ticks only (counts, yes/no).
    pub integer: bool,
}

/// Items done against items due over a phase, with a forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct BurnUp {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: Option<NaiveDate>,
    /// How many items there are (the scope line).
    pub total: f64,
    /// Items due by each date (a step line): the schedule.
    pub due: Vec<(NaiveDate, f64)>,
    /// Items done by each date (a step line).
    pub done: Vec<(NaiveDate, f64)>,
    pub forecast: Option<Projection>,
}

/// Where a bar of a Gantt stands; each state has its own fill pattern and
/// mark, so no state is told by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    Overdue,
    Open,
    Upcoming,
}

impl Mark {
    /// The mark written before the state in text.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Done => "✓",
            Mark::Overdue => "✗",
            Mark::Open => "▸",
            Mark::Upcoming => "○",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Mark::Done => "done",
            Mark::Overdue => "overdue",
            Mark::Open => "open",
            Mark::Upcoming => "upcoming",
        }
    }
}

/// A stretch of the time axis with a name (a phase).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One bar: `done` of `total` things over a window, the rest in state
/// `rest`.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttRow {
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub done: usize,
    pub total: usize,
    pub rest: Mark,
    /// The state in words, right of the chart ("✗ 3 overdue · 1/4 done").
    pub status: String,
    /// The tooltip: what the bar holds, in full.
    pub tip: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GanttGroup {
    pub label: String,
    pub rows: Vec<GanttRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gantt {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: Option<NaiveDate>,
    pub bands: Vec<Band>,
    pub groups: Vec<GanttGroup>,
    /// Draw the legend under the rows (a long timeline drawn in parts has
    /// it under the last).
    pub legend: bool,
}

/// A number as an SVG coordinate: one decimal at most.
fn n(v: f64) -> String {
    let s = format!("{:.1}", v);
    match s.strip_suffix(".0") {
        Some("-0") => "0".into(),
        Some(whole) => whole.into(),
        None => s,
    }
}

/// Estimated width of `text` at the chart font size: a CJK character or
/// an emoji is drawn about twice as wide as a Latin letter, as in a
/// terminal.
fn text_width(text: &str) -> f64 {
    super::display_width(text) as f64 * CHAR_W
}

/// `text` shortened with `…` to fit `width`.
fn fit(text: &str, width: f64) -> String {
    let max = (width / CHAR_W).floor().max(1.0) as usize;
    super::truncate(text, max)
}

/// Where a label's text sits relative to its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn attr(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// The boxes of the labels already on a chart, so that a new one goes
/// where it hides none of them, or is left out (the table under the chart
/// says it anyway).
struct Placed {
    boxes: Vec<(f64, f64, f64, f64)>,
    /// The chart's width: a label may not run past it.
    width: f64,
}

impl Placed {
    fn new(width: f64) -> Self {
        Placed {
            boxes: Vec::new(),
            width,
        }
    }

    /// Write `text` at the first of `spots` (x, baseline y, anchor) where
    /// it overlaps nothing placed and fits the chart; nothing if none does.
    fn label(&mut self, out: &mut String, text: &str, fill: &str, spots: &[(f64, f64, Anchor)]) {
        let w = text_width(text);
        for &(x, y, anchor) in spots {
            let x0 = match anchor {
                Anchor::Start => x,
                Anchor::Middle => x - w / 2.0,
                Anchor::End => x - w,
            };
            let b = (x0, x0 + w, y - FONT_SIZE, y + 2.0);
            let clear = !self
                .boxes
                .iter()
                .any(|o| b.0 < o.1 && o.0 < b.1 && b.2 < o.3 && o.2 < b.3);
            if clear && b.0 >= 0.0 && b.1 <= self.width {
                self.boxes.push(b);
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" fill=\"{fill}\">{}</text>",
                    n(x),
                    n(y),
                    anchor.attr(),
                    escape(text)
                );
                return;
            }
        }
    }
}

/// The plot area of a time chart and its scales.
struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    from: NaiveDate,
    days: f64,
    lo: f64,
    hi: f64,
}

impl Frame {
    fn x(&self, d: NaiveDate) -> f64 {
        self.left + (d - self.from).num_days() as f64 / self.days * self.width
    }

    fn y(&self, v: f64) -> f64 {
        self.top + self.height - (v - self.lo) / (self.hi - self.lo) * self.height
    }

    fn right(&self) -> f64 {
        self.left + self.width
    }

    fn bottom(&self) -> f64 {
        self.top + self.height
    }
}

/// Round tick values covering `lo..=hi` with about `count` steps of 1, 2
/// or 5 times a power of ten (at least 1 when `integer`). The first tick is
/// at or below `lo` and the last at or above `hi`.
pub fn ticks(lo: f64, hi: f64, count: usize, integer: bool) -> Vec<f64> {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        // One value: a band around it.
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    };
    let raw = (hi - lo) / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    if integer {
        step = step.max(1.0).round();
    }
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    // Rounded to the step's decimals: 0.7, not 0.7000000000000001.
    let scale = 10f64.powi((-step.log10().floor()).max(0.0) as i32);
    // Bounded: a pathological range cannot make a million ticks.
    (first..=last.min(first + 50))
        .map(|k| (k as f64 * step * scale).round() / scale + 0.0)
        .collect()
}

/// Dated ticks for the time axis: month starts (every 1, 2, 3, 6 or 12
/// months, to keep at most `max` labels), or days for a short span.
/// Labels read "Jan 2026" on the first tick and in January, else "Feb".
pub fn date_ticks(from: NaiveDate, to: NaiveDate, max: usize) -> Vec<(NaiveDate, String)> {
    let mut months = Vec::new();
    let mut d = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    if d < from {
        d = d.checked_add_months(chrono::Months::new(1)).unwrap_or(to);
    }
    while d <= to && months.len() < 10_000 {
        months.push(d);
        match d.checked_add_months(chrono::Months::new(1)) {
            Some(next) => d = next,
            None => break,
        }
    }
    if months.len() >= 2 {
        let step = [1, 2, 3, 6, 12, 24, 60, 120]
            .into_iter()
            .find(|s| months.len().div_ceil(*s) <= max)
            .unwrap_or(months.len());
        // Keep January (or the quarter starts) when stepping, so labels
        // fall on round months.
        let keep: Vec<NaiveDate> = months
            .into_iter()
            .filter(|m| match step {
                1..=12 => (m.month0() as usize).is_multiple_of(step),
                _ => m.month0() == 0 && m.year().rem_euclid((step / 12) as i32) == 0,
            })
            .collect();
        let keep = if keep.len() >= 2 {
            keep
        } else {
            date_range_days(from, to, max)
        };
        return label_months(&keep);
    }
    label_days(&date_range_days(from, to, max))
}

/// Evenly spaced days from `from` to `to`, at most `max` of them.
fn date_range_days(from: NaiveDate, to: NaiveDate, max: usize) -> Vec<NaiveDate> {
    let days = (to - from).num_days().max(1) as u64;
    let step = days.div_ceil(max.max(2) as u64 - 1).max(1);
    (0..=days / step)
        .filter_map(|k| from.checked_add_days(Days::new(k * step)))
        .collect()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_name(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize]
}

fn label_months(days: &[NaiveDate]) -> Vec<(NaiveDate, String)> {
    days.iter()
        .enumerate()
        .map(|(i, d)| {
            let label = if i == 0 || d.month() == 1 {
                format!("{} {}", month_name(*d), d.year())
            } else {
                month_name(*d).to_string()
            };
            (*d, label)
        })
        .collect()
}

fn label_days(days: &[NaiveDate]) -> Vec<(NaiveDate, String)> {
    days.iter()
        .map(|d| (*d, format!("{} {}", month_name(*d), d.day())))
        .collect()
}

/// "Jul 12": a short date for labels inside charts.
pub fn short_date(d: NaiveDate) -> String {
    format!("{} {}", month_name(d), d.day())
}

/// Reduce a polyline of many points to what a screen can show: per pixel
/// column, the first, lowest, highest and last point, in order. A series
/// no denser than two points a column is returned whole.
pub fn thin(points: &[(f64, f64)], columns: usize) -> Vec<(f64, f64)> {
    if points.len() <= 2 * columns.max(1) {
        return points.to_vec();
    }
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut i = 0;
    while i < points.len() {
        let column = points[i].0.floor();
        let mut j = i;
        while j < points.len() && points[j].0.floor() == column {
            j += 1;
        }
        let bucket = &points[i..j];
        let by_y = |a: &&(f64, f64), b: &&(f64, f64)| a.1.total_cmp(&b.1);
        let lowest = bucket.iter().min_by(by_y).copied();
        let highest = bucket.iter().max_by(by_y).copied();
        let mut keep: Vec<(f64, f64)> = Vec::new();
        for (k, p) in bucket.iter().enumerate() {
            let is = |q: Option<(f64, f64)>| q == Some(*p);
            let wanted = k == 0 || k == bucket.len() - 1 || is(lowest) || is(highest);
            if wanted && !keep.contains(p) {
                keep.push(*p);
            }
        }
        out.extend(keep);
        i = j;
    }
    out
}

/// `points="x,y x,y"` text.
fn points_attr(points: &[(f64, f64)]) -> String {
    let mut s = String::with_capacity(points.len() * 12);
    for (i, (x, y)) in points.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "{},{}", n(*x), n(*y));
    }
    s
}

/// The corners of a step line through `points`: level until the next
/// point's date, then up or down.
fn steps(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for (i, p) in points.iter().enumerate() {
        if i > 0 {
            out.push((p.0, points[i - 1].1));
        }
        out.push(*p);
    }
    out
}

/// The opening tag of a chart, with its accessible name and description.
fn open(out: &mut String, id: &str, class: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" id=\"{id}\" \
         viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{font}\" \
         font-size=\"{size}\" fill=\"{INK}\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
        w = n(width),
        h = n(height),
        font = FONT,
        size = n(FONT_SIZE),
        title = escape(title),
        desc = escape(desc),
    );
}

/// How a line looks: its colour, dash and marker, shared by the chart and
/// its legend.
#[derive(Debug, Clone, Copy)]
struct Pen {
    color: &'static str,
    width: f64,
    dash: Option<&'static str>,
    marker: Marker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    None,
    Dot,
    /// A hollow diamond: where a projection ends.
    Diamond,
}

const VALUES: Pen = Pen {
    color: BLUE,
    width: 2.0,
    dash: None,
    marker: Marker::Dot,
};
const TARGET: Pen = Pen {
    color: INK,
    width: 1.5,
    dash: Some("7 4"),
    marker: Marker::None,
};
const PROJECTION: Pen = Pen {
    color: BLUE,
    width: 2.0,
    dash: Some("2 3"),
    marker: Marker::Diamond,
};
const TODAY: Pen = Pen {
    color: GREY,
    width: 1.0,
    dash: Some("3 3"),
    marker: Marker::None,
};
const SCOPE: Pen = Pen {
    color: INK,
    width: 1.0,
    dash: None,
    marker: Marker::None,
};
const DUE: Pen = Pen {
    color: GREY,
    width: 1.5,
    dash: Some("7 4"),
    marker: Marker::None,
};
const DONE: Pen = Pen {
    color: GREEN,
    width: 2.5,
    dash: None,
    marker: Marker::Dot,
};
const FORECAST: Pen = Pen {
    color: GREEN,
    width: 2.0,
    dash: Some("2 3"),
    marker: Marker::Diamond,
};

impl Pen {
    fn stroke(&self) -> String {
        let dash = self
            .dash
            .map(|d| format!(" stroke-dasharray=\"{d}\""))
            .unwrap_or_default();
        format!(
            "fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash}",
            self.color,
            n(self.width)
        )
    }

    fn marker(&self, x: f64, y: f64) -> String {
        match self.marker {
            Marker::None => String::new(),
            Marker::Dot => format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\"/>",
                n(x),
                n(y),
                self.color
            ),
            Marker::Diamond => format!(
                "<path d=\"M{} {}l5 5l-5 5l-5 -5z\" fill=\"#fff\" stroke=\"{}\" stroke-width=\"1.5\"/>",
                n(x),
                n(y - 5.0),
                self.color
            ),
        }
    }

    /// A short sample of the line with its marker, for a legend.
    fn sample(&self, x: f64, y: f64) -> String {
        format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>{}",
            n(x),
            n(y),
            n(x + 24.0),
            n(y),
            self.stroke(),
            self.marker(x + 12.0, y)
        )
    }
}

/// A legend entry: a line sample or a filled box.
enum Key {
    Line(Pen),
    Box(Mark),
}

/// Draw a legend in rows starting at `y`, wrapping at `width`; returns the
/// height used.
fn legend(out: &mut String, id: &str, x0: f64, y: f64, width: f64, keys: &[(Key, String)]) -> f64 {
    let (mut x, mut row) = (x0, 0.0);
    let _ = write!(out, "<g class=\"legend\">");
    for (key, label) in keys {
        let w = 30.0 + text_width(label) + 16.0;
        if x > x0 && x + w > x0 + width {
            x = x0;
            row += 18.0;
        }
        let cy = y + row + 6.0;
        match key {
            Key::Line(pen) => out.push_str(&pen.sample(x, cy)),
            Key::Box(mark) => out.push_str(&bar_shape(id, *mark, x + 2.0, cy - 6.0, 20.0, 12.0)),
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            n(x + 30.0),
            n(cy + 4.0),
            escape(label)
        );
        x += w;
    }
    out.push_str("</g>");
    row + 18.0
}

/// Value-axis bounds and ticks for `values`, starting at zero when the
/// data are not far above it (a count of 40 against a target of 100 should
/// not look like a fall to nothing).
fn value_axis(values: &[f64], bounds: Option<(f64, f64)>, integer: bool) -> Vec<f64> {
    let (lo, hi) = match bounds {
        Some(b) => b,
        None => {
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() || !hi.is_finite() {
                (0.0, 1.0)
            } else if lo >= 0.0 && lo <= hi * 0.5 {
                (0.0, hi)
            } else {
                (lo, hi)
            }
        }
    };
    ticks(lo, hi, 5, integer)
}

/// Grid lines, axis labels and the as-of line of a time chart. The as-of
/// line is an obstacle for labels from now on; its own label is placed by
/// [`as_of_label`] once the chart's more important labels have their
/// places.
fn axes(
    out: &mut String,
    placed: &mut Placed,
    f: &Frame,
    yticks: &[f64],
    to: NaiveDate,
    today: Option<NaiveDate>,
    format: &dyn Fn(f64) -> String,
) {
    out.push_str("<g class=\"axes\">");
    for v in yticks {
        let y = f.y(*v);
        let _ = write!(
            out,
            "<line x1=\"{l}\" y1=\"{y}\" x2=\"{r}\" y2=\"{y}\" stroke=\"{GRID}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\" fill=\"{GREY}\">{label}</text>",
            l = n(f.left),
            r = n(f.right()),
            y = n(y),
            tx = n(f.left - 6.0),
            ty = n(y + 4.0),
            label = escape(&format(*v)),
        );
    }
    let max_labels = (f.width / 70.0).floor().max(2.0) as usize;
    for (d, label) in date_ticks(f.from, to, max_labels) {
        let x = f.x(d);
        // Kept clear of the value labels at the left and inside the chart.
        let half = text_width(&label) / 2.0;
        let anchor = if x - half < f.left - 8.0 {
            Anchor::Start
        } else if x + half > f.right() + 24.0 {
            Anchor::End
        } else {
            Anchor::Middle
        };
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\" stroke=\"{GRID}\"/>\
             <text x=\"{x}\" y=\"{ly}\" text-anchor=\"{a}\" fill=\"{GREY}\">{label}</text>",
            x = n(x),
            t = n(f.top),
            b = n(f.bottom() + 4.0),
            ly = n(f.bottom() + 16.0),
            a = anchor.attr(),
            label = escape(&label),
        );
    }
    let _ = write!(
        out,
        "<line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"{GREY}\"/>",
        l = n(f.left),
        r = n(f.right()),
        b = n(f.bottom()),
    );
    if let Some(d) = today.filter(|d| *d >= f.from && *d <= to) {
        let x = f.x(d);
        let _ = write!(
            out,
            "<line class=\"today\" x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\" {stroke}/>",
            x = n(x),
            t = n(f.top - 2.0),
            b = n(f.bottom()),
            stroke = TODAY.stroke(),
        );
        placed.boxes.push((x - 2.0, x + 2.0, f.top, f.bottom()));
    }
    out.push_str("</g>");
}

/// The as-of line's label, above the plot where there is room.
fn as_of_label(
    out: &mut String,
    placed: &mut Placed,
    f: &Frame,
    to: NaiveDate,
    today: Option<NaiveDate>,
) {
    if let Some(d) = today.filter(|d| *d >= f.from && *d <= to) {
        let (x, y) = (f.x(d), f.top - 6.0);
        placed.label(
            out,
            &format!("as of {}", short_date(d)),
            GREY,
            &[
                (x, y, Anchor::Middle),
                (x - 3.0, y, Anchor::End),
                (x + 3.0, y, Anchor::Start),
            ],
        );
    }
}

/// Labels at the right of the plot, moved apart so none overlap.
fn end_labels(out: &mut String, f: &Frame, mut labels: Vec<(f64, String, &'static str)>) {
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut last = f64::NEG_INFINITY;
    for (y, _, _) in labels.iter_mut() {
        *y = y.max(last + 13.0).max(f.top + 4.0);
        last = *y;
    }
    // Pushed below the plot: shift the whole stack up.
    let overflow = last - (f.bottom() + 4.0);
    for (y, text, color) in labels {
        let y = if overflow > 0.0 { y - overflow } else { y };
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"{color}\">{}</text>",
            n(f.right() + 8.0),
            n(y + 4.0),
            escape(&text)
        );
    }
}

const CHART_W: f64 = 560.0;
const MARGIN_LEFT: f64 = 62.0;
/// Room for the labels at the right end of lines.
const MARGIN_RIGHT: f64 = 104.0;
const MARGIN_TOP: f64 = 22.0;
const PLOT_H: f64 = 170.0;

/// A metric's values over time, its targets as dashed lines and its
/// projection as a dotted line ending in a hollow diamond. The values'
/// line is a `polyline` of class `series` with one point per value (fewer
/// only for more values than the chart has pixels), each value with a
/// marker and a tooltip.
pub fn line_chart(c: &LineChart, format: &dyn Fn(f64) -> String) -> String {
    let mut all: Vec<f64> = c.values.iter().map(|v| v.value).collect();
    all.extend(c.targets.iter().map(|t| t.value));
    if let Some(p) = &c.projection {
        all.extend([p.from.1, p.to.1]);
    }
    let yticks = value_axis(&all, c.bounds, c.integer);
    let to = c.to.max(c.from + Days::new(1));
    let f = Frame {
        left: MARGIN_LEFT,
        top: MARGIN_TOP,
        width: CHART_W - MARGIN_LEFT - MARGIN_RIGHT,
        height: PLOT_H,
        from: c.from,
        days: (to - c.from).num_days() as f64,
        lo: yticks[0],
        hi: yticks[yticks.len() - 1],
    };
    let mut keys = vec![(Key::Line(VALUES), c.values_label.clone())];
    if !c.targets.is_empty() {
        keys.push((Key::Line(TARGET), "target".to_string()));
    }
    if c.projection.is_some() {
        keys.push((Key::Line(PROJECTION), "projection".to_string()));
    }
    let mut body = String::new();
    let mut placed = Placed::new(CHART_W);
    axes(&mut body, &mut placed, &f, &yticks, to, c.today, format);
    let mut labels = Vec::new();
    let pts: Vec<(f64, f64)> = c
        .values
        .iter()
        .map(|v| (f.x(v.date), f.y(v.value)))
        .collect();
    // The latest value, beside its marker, unless the projection's label
    // goes on from it.
    let mut texts = String::new();
    if let (Some(last), Some(&(x, y)), None) = (c.values.last(), pts.last(), &c.projection) {
        placed.label(
            &mut texts,
            &format(last.value),
            BLUE,
            &[
                (x + 7.0, y + 4.0, Anchor::Start),
                (x - 7.0, y + 4.0, Anchor::End),
                (x + 6.0, y + 16.0, Anchor::Start),
                (x - 6.0, y + 16.0, Anchor::End),
                (x + 6.0, y - 7.0, Anchor::Start),
                (x - 6.0, y - 7.0, Anchor::End),
            ],
        );
    }
    as_of_label(&mut texts, &mut placed, &f, to, c.today);
    for t in &c.targets {
        let (x1, x2, y) = (f.x(t.from), f.x(t.to), f.y(t.value));
        let _ = write!(
            body,
            "<line class=\"target\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" {}/>",
            n(x1),
            n(x2),
            TARGET.stroke(),
            y = n(y),
        );
        let text = fit(&t.label, (x2 - x1 - 6.0).max(120.0));
        placed.label(
            &mut texts,
            &text,
            INK,
            &[
                (x1 + 3.0, y - 4.0, Anchor::Start),
                (x1 + 3.0, y + 13.0, Anchor::Start),
                (x2 - 3.0, y - 4.0, Anchor::End),
                (x2 - 3.0, y + 13.0, Anchor::End),
            ],
        );
    }
    if let Some(p) = &c.projection {
        let (x1, y1, x2, y2) = (f.x(p.from.0), f.y(p.from.1), f.x(p.to.0), f.y(p.to.1));
        let _ = write!(
            body,
            "<line class=\"projection\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>{}",
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            PROJECTION.stroke(),
            PROJECTION.marker(x2, y2),
        );
        labels.push((y2, p.label.clone(), BLUE));
    }
    let drawn = thin(&pts, f.width as usize);
    let _ = write!(
        body,
        "<polyline class=\"series\" data-values=\"{}\" points=\"{}\" {} stroke-linejoin=\"round\"/>",
        c.values.len(),
        points_attr(&drawn),
        VALUES.stroke(),
    );
    if c.values.len() <= MAX_MARKERS {
        body.push_str("<g class=\"points\">");
        for (v, (x, y)) in c.values.iter().zip(&pts) {
            let dot = VALUES.marker(*x, *y);
            // The tooltip goes inside the marker, so hovering it shows.
            let dot = dot.replacen(
                "/>",
                &format!("><title>{}</title></circle>", escape(&v.tip)),
                1,
            );
            body.push_str(&dot);
        }
        body.push_str("</g>");
    }
    body.push_str(&texts);
    end_labels(&mut body, &f, labels);

    let mut legend_svg = String::new();
    let legend_h = legend(
        &mut legend_svg,
        &c.id,
        f.left,
        f.bottom() + 28.0,
        CHART_W - f.left - 8.0,
        &keys,
    );
    let height = f.bottom() + 28.0 + legend_h + 4.0;
    let mut out = String::new();
    open(
        &mut out,
        &c.id,
        "chart line-chart",
        CHART_W,
        height,
        &c.title,
        &c.desc,
    );
    out.push_str(&body);
    out.push_str(&legend_svg);
    out.push_str("</svg>");
    out
}

/// Items done (a green step line with a marker where work was done)
/// against items due (a dashed step line) and the scope, with the forecast
/// of completion at the current pace as a dotted line.
pub fn burn_up(b: &BurnUp) -> String {
    // From none done to all of them (at least one, so a phase without
    // items still has an axis).
    let yticks = value_axis(&[], Some((0.0, b.total.max(1.0))), true);
    let to = b.to.max(b.from + Days::new(1));
    let f = Frame {
        left: 44.0,
        top: MARGIN_TOP,
        width: CHART_W - 44.0 - MARGIN_RIGHT,
        height: PLOT_H,
        from: b.from,
        days: (to - b.from).num_days() as f64,
        lo: yticks[0],
        hi: yticks[yticks.len() - 1],
    };
    let count = |v: f64| format!("{}", v.round() as i64);
    let mut body = String::new();
    let mut placed = Placed::new(CHART_W);
    axes(&mut body, &mut placed, &f, &yticks, to, b.today, &count);
    let mut labels = Vec::new();
    let y = f.y(b.total);
    let _ = write!(
        body,
        "<line class=\"scope\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" {}/>",
        n(f.left),
        n(f.right()),
        SCOPE.stroke(),
        y = n(y),
    );
    labels.push((y, format!("{} items", count(b.total)), INK));
    let xy = |pts: &[(NaiveDate, f64)]| -> Vec<(f64, f64)> {
        pts.iter().map(|(d, v)| (f.x(*d), f.y(*v))).collect()
    };
    if !b.due.is_empty() {
        let mut due = xy(&b.due);
        // The schedule runs to the end of the chart.
        if let Some(&(_, last)) = due.last() {
            due.push((f.right(), last));
        }
        let _ = write!(
            body,
            "<polyline class=\"due\" points=\"{}\" {}/>",
            points_attr(&steps(&due)),
            DUE.stroke()
        );
    }
    let mut texts = String::new();
    if !b.done.is_empty() {
        let mut done = xy(&b.done);
        // Level from the last piece of work up to the as-of date.
        if let (Some(today), Some(&(_, last))) = (b.today, done.last()) {
            let x = f.x(today.min(to));
            if x > done[done.len() - 1].0 {
                done.push((x, last));
            }
        }
        let _ = write!(
            body,
            "<polyline class=\"done\" data-values=\"{}\" points=\"{}\" {}/>",
            b.done.len(),
            points_attr(&steps(&done)),
            DONE.stroke()
        );
        body.push_str("<g class=\"points\">");
        for ((d, v), (x, y)) in b.done.iter().zip(xy(&b.done)).skip(1) {
            let dot = DONE.marker(x, y).replacen(
                "/>",
                &format!("><title>{}: {} done</title></circle>", d, count(*v)),
                1,
            );
            body.push_str(&dot);
        }
        body.push_str("</g>");
        let (x, y) = done[done.len() - 1];
        let v = b.done[b.done.len() - 1].1;
        placed.label(
            &mut texts,
            &format!("{} done", count(v)),
            GREEN,
            &[
                (x + 6.0, y - 6.0, Anchor::Start),
                (x - 6.0, y - 6.0, Anchor::End),
                (x + 6.0, y + 14.0, Anchor::Start),
                (x - 6.0, y + 14.0, Anchor::End),
            ],
        );
    }
    if let Some(p) = &b.forecast {
        let (x1, y1) = (f.x(p.from.0), f.y(p.from.1));
        let (x2, y2) = (f.x(p.to.0), f.y(p.to.1));
        let _ = write!(
            body,
            "<line class=\"forecast\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>{}",
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            FORECAST.stroke(),
            FORECAST.marker(x2, y2)
        );
        labels.push((y2 + 14.0, p.label.clone(), GREEN));
    }
    as_of_label(&mut texts, &mut placed, &f, to, b.today);
    body.push_str(&texts);
    end_labels(&mut body, &f, labels);
    let mut keys = vec![
        (Key::Line(DONE), "done".to_string()),
        (Key::Line(DUE), "due by plan".to_string()),
        (Key::Line(SCOPE), "all items".to_string()),
    ];
    if b.forecast.is_some() {
        keys.push((Key::Line(FORECAST), "forecast at current pace".to_string()));
    }
    let mut legend_svg = String::new();
    let legend_h = legend(
        &mut legend_svg,
        &b.id,
        f.left,
        f.bottom() + 28.0,
        CHART_W - f.left - 8.0,
        &keys,
    );
    let height = f.bottom() + 28.0 + legend_h + 4.0;
    let mut out = String::new();
    open(
        &mut out,
        &b.id,
        "chart burn-up",
        CHART_W,
        height,
        &b.title,
        &b.desc,
    );
    out.push_str(&body);
    out.push_str(&legend_svg);
    out.push_str("</svg>");
    out
}

/// The fill patterns of Gantt bars, one per state, under ids prefixed by
/// the chart's id.
fn patterns(id: &str) -> String {
    format!(
        "<defs>\
         <pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fbe3d6\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{VERMILLION}\" stroke-width=\"3\"/></pattern>\
         <pattern id=\"{id}-dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"5\" height=\"5\" fill=\"#ffffff\"/>\
         <circle cx=\"2.5\" cy=\"2.5\" r=\"0.9\" fill=\"{GREY}\"/></pattern>\
         </defs>"
    )
}

/// A bar (or a legend box) in the look of `mark`: done solid, overdue
/// hatched, open lightly filled with a solid edge, upcoming dotted with a
/// dashed edge.
fn bar_shape(id: &str, mark: Mark, x: f64, y: f64, w: f64, h: f64) -> String {
    let (fill, stroke, dash) = match mark {
        Mark::Done => (GREEN.to_string(), GREEN, ""),
        Mark::Overdue => (format!("url(#{id}-hatch)"), VERMILLION, ""),
        Mark::Open => ("#d3e6f5".to_string(), BLUE, ""),
        Mark::Upcoming => (
            format!("url(#{id}-dots)"),
            GREY,
            " stroke-dasharray=\"3 2\"",
        ),
    };
    format!(
        "<rect class=\"bar {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"{fill}\" \
         stroke=\"{stroke}\" stroke-width=\"1\"{dash}/>",
        mark.word(),
        n(x),
        n(y),
        n(w.max(1.0)),
        n(h),
    )
}

const GANTT_W: f64 = 1100.0;
const GANTT_LABELS: f64 = 240.0;
const GANTT_STATUS: f64 = 190.0;
const ROW_H: f64 = 22.0;
const BAR_H: f64 = 13.0;

/// A timeline: phases as shaded bands, groups (tracks) of rows, each row a
/// bar over its window with the part done filled solid from the left and
/// the rest in the look of its state, the state in words at the right.
pub fn gantt(g: &Gantt) -> String {
    let to = g.to.max(g.from + Days::new(1));
    let rows: usize = g.groups.iter().map(|gr| gr.rows.len() + 1).sum();
    let top = 40.0;
    let rows_h = rows as f64 * ROW_H;
    let f = Frame {
        left: GANTT_LABELS,
        top,
        width: GANTT_W - GANTT_LABELS - GANTT_STATUS,
        height: rows_h,
        from: g.from,
        // Through the end of the last day.
        days: (to - g.from).num_days() as f64 + 1.0,
        lo: 0.0,
        hi: 1.0,
    };
    let end_x = |d: NaiveDate| f.x(d + Days::new(1)).min(f.right());
    let mut body = patterns(&g.id);
    // Phase bands behind everything, named above the month labels.
    for (i, b) in g.bands.iter().enumerate() {
        let (x1, x2) = (f.x(b.from.max(g.from)), end_x(b.to.min(to)));
        if x2 <= x1 {
            continue;
        }
        let fill = if i % 2 == 0 { BAND } else { "#ffffff" };
        let _ = write!(
            body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>\
             <line x1=\"{x1}\" y1=\"2\" x2=\"{x1}\" y2=\"{}\" stroke=\"#c9ccd1\"/>\
             <text x=\"{}\" y=\"13\" font-weight=\"600\">{}</text>",
            n(x1),
            n(2.0),
            n(x2 - x1),
            n(top + rows_h - 2.0),
            n(top + rows_h),
            n(x1 + 4.0),
            escape(&fit(&b.label, x2 - x1 - 8.0)),
            x1 = n(x1),
        );
    }
    let max_labels = (f.width / 58.0).floor().max(2.0) as usize;
    for (d, label) in date_ticks(g.from, to, max_labels) {
        let x = f.x(d);
        let _ = write!(
            body,
            "<line x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\" stroke=\"{GRID}\"/>\
             <text x=\"{tx}\" y=\"31\" fill=\"{GREY}\">{label}</text>",
            x = n(x),
            tx = n(x + 2.0),
            t = n(top - 6.0),
            b = n(top + rows_h),
            label = escape(&label),
        );
    }
    let mut y = top;
    for group in &g.groups {
        let _ = write!(
            body,
            "<g class=\"track\"><text x=\"4\" y=\"{}\" font-weight=\"700\">{}</text>",
            n(y + 15.0),
            escape(&fit(&group.label, GANTT_LABELS + f.width - 8.0)),
        );
        let _ = write!(
            body,
            "<line x1=\"0\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#c9ccd1\"/>",
            n(GANTT_W),
            y = n(y),
        );
        y += ROW_H;
        for row in &group.rows {
            let (x1, x2) = (f.x(row.from.max(g.from)), end_x(row.to.min(to)));
            let w = (x2 - x1).max(2.0);
            let by = y + (ROW_H - BAR_H) / 2.0;
            let _ = write!(
                body,
                "<g class=\"row {}\"><title>{}</title>\
                 <text x=\"14\" y=\"{}\">{}</text>",
                row.rest.word(),
                escape(&row.tip),
                n(y + 15.0),
                escape(&fit(&row.label, GANTT_LABELS - 22.0)),
            );
            let done = if row.total == 0 {
                0.0
            } else {
                w * row.done as f64 / row.total as f64
            };
            if row.done < row.total {
                body.push_str(&bar_shape(&g.id, row.rest, x1, by, w, BAR_H));
            }
            if row.done > 0 {
                body.push_str(&bar_shape(&g.id, Mark::Done, x1, by, done, BAR_H));
            }
            let _ = write!(
                body,
                "<text x=\"{}\" y=\"{}\">{}</text></g>",
                n(f.right() + 10.0),
                n(y + 15.0),
                escape(&fit(&row.status, GANTT_STATUS - 14.0)),
            );
            y += ROW_H;
        }
        body.push_str("</g>");
    }
    if let Some(d) = g.today.filter(|d| *d >= g.from && *d <= to) {
        let x = f.x(d);
        let _ = write!(
            body,
            "<line class=\"today\" x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\" stroke=\"{INK}\" \
             stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\
             <text x=\"{x}\" y=\"{ly}\" text-anchor=\"middle\" font-weight=\"600\">as of {label}</text>",
            x = n(x),
            t = n(top - 4.0),
            b = n(top + rows_h),
            ly = n(top + rows_h + 14.0),
            label = short_date(d),
        );
    }
    let keys: Vec<(Key, String)> = [
        (Mark::Done, "✓ done"),
        (Mark::Overdue, "✗ overdue (hatched)"),
        (Mark::Open, "▸ open: under way"),
        (Mark::Upcoming, "○ upcoming (dotted)"),
    ]
    .into_iter()
    .map(|(m, l)| (Key::Box(m), l.to_string()))
    .chain([(Key::Line(TODAY), "as-of date".to_string())])
    .collect();
    let legend_y = top + rows_h + 26.0;
    let height = if g.legend {
        legend_y + legend(&mut body, &g.id, 4.0, legend_y, GANTT_W - 8.0, &keys) + 4.0
    } else {
        top + rows_h + 20.0
    };
    let mut out = String::new();
    open(
        &mut out,
        &g.id,
        "chart gantt",
        GANTT_W,
        height,
        &g.title,
        &g.desc,
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The `points` of the first polyline of `class` in `svg`.
    fn polyline_points(svg: &str, class: &str) -> Vec<(f64, f64)> {
        let at = svg
            .find(&format!("<polyline class=\"{class}\""))
            .unwrap_or_else(|| panic!("no {class} polyline in {svg}"));
        let rest = &svg[at..];
        let start = rest.find("points=\"").unwrap() + 8;
        let end = start + rest[start..].find('"').unwrap();
        rest[start..end]
            .split(' ')
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    /// How many value markers `svg` has (legend samples aside).
    fn markers(svg: &str) -> usize {
        match svg.find("<g class=\"points\">") {
            Some(at) => {
                let group = &svg[at..];
                group[..group.find("</g>").unwrap()]
                    .matches("<circle")
                    .count()
            }
            None => 0,
        }
    }

    fn chart(values: &[(&str, f64)]) -> LineChart {
        LineChart {
            id: "c1".into(),
            title: "Customers".into(),
            desc: "Three values".into(),
            from: d("2026-06-01"),
            to: d("2026-08-31"),
            today: Some(d("2026-07-12")),
            values: values
                .iter()
                .map(|(date, v)| Value {
                    date: d(date),
                    value: *v,
                    tip: format!("{date}: {v}"),
                })
                .collect(),
            values_label: "recorded values".into(),
            targets: vec![TargetLine {
                from: d("2026-06-01"),
                to: d("2026-08-31"),
                value: 150.0,
                label: "target >= 150".into(),
            }],
            projection: Some(Projection {
                from: (d("2026-07-10"), 145.0),
                to: (d("2026-08-31"), 160.0),
                label: "projected 160".into(),
            }),
            bounds: None,
            integer: true,
        }
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 150.0, 5, false), [0.0, 50.0, 100.0, 150.0]);
        assert_eq!(ticks(3.2, 4.7, 5, false), [3.0, 3.5, 4.0, 4.5, 5.0]);
        assert_eq!(
            ticks(0.0, 0.7, 7, false),
            [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
        );
        assert_eq!(ticks(0.0, 1.0, 5, true), [0.0, 1.0]);
        assert_eq!(ticks(0.0, 3.0, 5, true), [0.0, 1.0, 2.0, 3.0]);
        // One value gets a band around it.
        assert_eq!(
            ticks(100.0, 100.0, 5, false),
            [90.0, 95.0, 100.0, 105.0, 110.0]
        );
        let t = ticks(-0.3, 0.3, 5, false);
        assert!(t.contains(&0.0) && !t.iter().any(|v| v.to_string().contains("000000")));
    }

    #[test]
    fn date_ticks_fall_on_months_or_days() {
        let t = date_ticks(d("2026-06-01"), d("2026-08-31"), 8);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Jun 2026", "Jul", "Aug"]);
        // Two years at most eight labels: every quarter, on quarter starts.
        let t = date_ticks(d("2026-01-01"), d("2027-12-31"), 8);
        assert!(t.len() <= 8, "{t:?}");
        assert_eq!(t[0].1, "Jan 2026");
        assert!(t.iter().all(|(d, _)| d.day() == 1 && d.month0() % 3 == 0));
        // A fortnight: days.
        let t = date_ticks(d("2026-07-01"), d("2026-07-15"), 8);
        assert_eq!(t[0].1, "Jul 1");
        assert!(t.len() >= 3 && t.len() <= 8, "{t:?}");
    }

    #[test]
    fn a_line_chart_draws_every_value_its_target_and_projection() {
        let c = chart(&[
            ("2026-06-10", 110.0),
            ("2026-06-25", 130.0),
            ("2026-07-10", 145.0),
        ]);
        let svg = line_chart(&c, &|v| format!("{v}"));
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert_eq!(polyline_points(&svg, "series").len(), 3);
        assert!(svg.contains("data-values=\"3\""));
        assert_eq!(markers(&svg), 3);
        assert!(svg.contains("<title>2026-06-25: 130</title>"));
        assert!(svg.contains("class=\"target\""));
        assert!(svg.contains("class=\"projection\""));
        assert!(svg.contains("projected 160"));
        assert!(svg.contains("as of Jul 12"));
        // Accessible name and description, referenced by id.
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"c1-title c1-desc\""));
        assert!(svg.contains("<title id=\"c1-title\">Customers</title>"));
        assert!(svg.contains("<desc id=\"c1-desc\">Three values</desc>"));
        // The legend names every kind of line.
        for word in ["recorded values", "target", "projection"] {
            assert!(svg.contains(&format!(">{word}</text>")), "{word}");
        }
        // Higher values are drawn higher (smaller y), in date order.
        let pts = polyline_points(&svg, "series");
        assert!(pts[0].1 > pts[1].1 && pts[1].1 > pts[2].1, "{pts:?}");
        assert!(pts[0].0 < pts[1].0 && pts[1].0 < pts[2].0, "{pts:?}");
    }

    #[test]
    fn chart_text_is_escaped() {
        let mut c = chart(&[("2026-06-10", 1.0)]);
        c.title = "<script>alert(1)</script>".into();
        c.desc = "a \"quoted\" & <b>bold</b>".into();
        c.values[0].tip = "<img src=x onerror=alert(1)>".into();
        c.targets[0].label = "</text><script>".into();
        let svg = line_chart(&c, &|v| format!("{v}"));
        assert!(!svg.contains("<script>") && !svg.contains("<img") && !svg.contains("<b>"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"));
    }

    #[test]
    fn one_value_is_a_marker_and_no_data_still_draws_axes() {
        let svg = line_chart(&chart(&[("2026-06-10", 40.0)]), &|v| format!("{v}"));
        assert_eq!(polyline_points(&svg, "series").len(), 1);
        assert_eq!(markers(&svg), 1);
        let mut c = chart(&[]);
        c.targets.clear();
        c.projection = None;
        let svg = line_chart(&c, &|v| format!("{v}"));
        assert!(svg.contains("data-values=\"0\""));
    }

    #[test]
    fn thousands_of_values_are_thinned_to_the_pixels() {
        let pts: Vec<(f64, f64)> = (0..10_000)
            .map(|i| (i as f64 / 100.0, (i % 7) as f64))
            .collect();
        let thinned = thin(&pts, 100);
        assert!(thinned.len() <= 4 * 100, "{}", thinned.len());
        // Each column keeps its extremes and both ends.
        assert_eq!(thinned[0], pts[0]);
        assert_eq!(thinned[thinned.len() - 1], pts[pts.len() - 1]);
        assert!(thinned.iter().any(|p| p.1 == 6.0) && thinned.iter().any(|p| p.1 == 0.0));
        let few = &pts[..50];
        assert_eq!(thin(few, 100), few);
    }

    #[test]
    fn a_burn_up_draws_done_due_scope_and_forecast() {
        let b = BurnUp {
            id: "b1".into(),
            title: "Open the doors".into(),
            desc: "1 of 5 done".into(),
            from: d("2026-06-01"),
            to: d("2026-08-31"),
            today: Some(d("2026-07-12")),
            total: 5.0,
            due: vec![
                (d("2026-06-01"), 0.0),
                (d("2026-07-31"), 2.0),
                (d("2026-08-31"), 5.0),
            ],
            done: vec![(d("2026-06-01"), 0.0), (d("2026-06-20"), 1.0)],
            forecast: Some(Projection {
                from: (d("2026-07-12"), 1.0),
                to: (d("2026-08-31"), 5.0),
                label: "all done Oct 1".into(),
            }),
        };
        let svg = burn_up(&b);
        for class in ["scope", "forecast", "today"] {
            assert!(svg.contains(&format!("class=\"{class}\"")), "{class}");
        }
        // Steps: level, then up, at each date.
        let done = polyline_points(&svg, "done");
        assert_eq!(done.len(), 5, "{done:?}");
        assert_eq!(done[0].1, done[1].1);
        assert_eq!(done[1].0, done[2].0);
        assert!(polyline_points(&svg, "due").len() >= 5);
        assert!(svg.contains("all done Oct 1"));
        assert!(svg.contains("<title>2026-06-20: 1 done</title>"));
    }

    #[test]
    fn a_gantt_draws_a_bar_per_row_with_its_state_in_words() {
        let row = |label: &str, from, to, done, total, rest| GanttRow {
            label: label.into(),
            from: d(from),
            to: d(to),
            done,
            total,
            rest,
            status: format!("{} {done}/{total}", rest.symbol()),
            tip: format!("{label} <tip>"),
        };
        let g = Gantt {
            id: "g".into(),
            title: "Timeline".into(),
            desc: "2 tracks".into(),
            from: d("2026-03-01"),
            to: d("2026-11-30"),
            today: Some(d("2026-07-12")),
            bands: vec![Band {
                label: "Find & fit out".into(),
                from: d("2026-03-01"),
                to: d("2026-05-31"),
            }],
            groups: vec![
                GanttGroup {
                    label: "The new shop".into(),
                    rows: vec![
                        row("Lease", "2026-03-01", "2026-05-31", 1, 2, Mark::Overdue),
                        row("Opening", "2026-06-01", "2026-07-31", 0, 2, Mark::Open),
                    ],
                },
                GanttGroup {
                    label: "Team".into(),
                    rows: vec![row(
                        "Hand-over",
                        "2026-09-01",
                        "2026-11-30",
                        0,
                        1,
                        Mark::Upcoming,
                    )],
                },
            ],
            legend: true,
        };
        let svg = gantt(&g);
        assert_eq!(svg.matches("<g class=\"row ").count(), 3);
        assert_eq!(svg.matches("<g class=\"track\"").count(), 2);
        // A half-done overdue row: a hatched bar and a done bar half as wide.
        assert!(svg.contains("fill=\"url(#g-hatch)\""));
        assert!(svg.contains("class=\"bar done\""));
        assert!(svg.contains("✗ 1/2") && svg.contains("▸ 0/2") && svg.contains("○ 0/1"));
        assert!(svg.contains("Find &amp; fit out"));
        assert!(svg.contains("&lt;tip&gt;"));
        assert!(svg.contains("as of Jul 12"));
        for word in ["✓ done", "✗ overdue (hatched)", "○ upcoming (dotted)"] {
            assert!(svg.contains(word), "{word}");
        }
    }

    #[test]
    fn coordinates_are_short() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.25), "1.2");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(12.36), "12.4");
    }
}
