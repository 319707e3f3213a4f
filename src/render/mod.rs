//! Turning reports into text: tables for people, Markdown for CI
//! summaries, JSON for programs. Reports are plain data (see `eval`); the
//! JSON is the serde form of the same struct the table is drawn from.

pub mod act;
pub mod alerts;
pub mod check;
pub mod dashboard;
pub mod diff;
pub mod forecast;
pub mod html;
pub mod items;
pub mod kpis;
pub mod markdown;
pub mod next;
pub mod portfolio;
pub mod portfolio_page;
pub mod risks;
pub mod rule_tests;
pub mod status;
pub mod svg;
pub mod timeline;
pub mod update;
pub mod values;

use std::io::Write;

use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table, presets};
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::cli::Format;

/// Whether and how to colour. Colour only adds emphasis; every fact is
/// also in the text.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn new(color: bool) -> Self {
        Style { color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    pub fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    pub fn red(&self, t: &str) -> String {
        self.paint("31", t)
    }
    pub fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    pub fn yellow(&self, t: &str) -> String {
        self.paint("33", t)
    }
    pub fn cyan(&self, t: &str) -> String {
        self.paint("36", t)
    }
}

/// The emphasis a table cell gets when colour is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Bad,
    Warn,
    Dim,
}

/// A column of a [`Grid`].
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub header: &'static str,
    /// Right-align (numbers).
    pub right: bool,
    /// May be dropped, last first, when the table is too wide.
    pub optional: bool,
    /// Dropped before the other optional columns.
    pub first_to_go: bool,
    /// The main text (a title, a metric's name): shortened with `…` when
    /// the table is too wide, but kept at a comfortable width for as long
    /// as dropping optional columns and shortening secondary text allow.
    pub flex: bool,
    /// Secondary text (ids, tracks, areas, the plan's prose beside a
    /// number): shortened before the main text goes below a comfortable
    /// width, but after optional columns have gone.
    pub squeeze: bool,
    /// Never shortened below this many columns (the widest cell that must
    /// stay whole, such as a numeric target beside qualitative ones).
    pub min: usize,
}

impl Col {
    pub const fn new(header: &'static str) -> Self {
        Col {
            header,
            right: false,
            optional: false,
            first_to_go: false,
            flex: false,
            squeeze: false,
            min: 0,
        }
    }
    pub const fn right(mut self) -> Self {
        self.right = true;
        self
    }
    pub const fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    /// Optional, and dropped before the other optional columns.
    pub const fn first_to_go(mut self) -> Self {
        self.optional = true;
        self.first_to_go = true;
        self
    }
    pub const fn flex(mut self) -> Self {
        self.flex = true;
        self
    }
    pub const fn squeeze(mut self) -> Self {
        self.squeeze = true;
        self
    }
    pub const fn at_least(mut self, min: usize) -> Self {
        self.min = min;
        self
    }
}

/// Rows of text cells, laid out as a table that fits a width. Widths are
/// terminal columns ([`display_width`]), so CJK and emoji line up. When
/// the table is too wide, things give way in this order, each only as far
/// as needed: the main (`flex`) text is shortened to [`COMFORTABLE_FLEX`];
/// optional columns go (`first_to_go` ones, then the others last first);
/// the secondary (`squeeze`) text is shortened to [`COMFORTABLE_SQUEEZE`],
/// the main text to [`READABLE_FLEX`], the secondary text to
/// [`MIN_SQUEEZE`], and last the main text to [`MIN_FLEX`]. Columns of a
/// kind are shortened the widest first, evenly. Rows never wrap.
pub struct Grid {
    pub cols: Vec<Col>,
    pub rows: Vec<Vec<(String, Tone)>>,
}

/// The main text (a title) is shortened to this before optional columns
/// go; then the secondary text (an id) goes down to...
const COMFORTABLE_FLEX: usize = 32;
/// ...this before the main text goes down to...
const COMFORTABLE_SQUEEZE: usize = 16;
/// ...this, which still reads as a phrase; then the secondary text to...
const READABLE_FLEX: usize = 24;
/// ...this, where an id still shows its start, and the main text to...
const MIN_SQUEEZE: usize = 10;
/// ...this at the most.
const MIN_FLEX: usize = 8;

/// One step of shortening: the secondary or the main columns, the widest
/// first, none below the width given.
#[derive(Clone, Copy)]
enum Step {
    Squeeze(usize),
    Flex(usize),
}

/// What is shortened while optional columns may still stay...
const COMFORTABLE: [Step; 1] = [Step::Flex(COMFORTABLE_FLEX)];
/// ...and once every optional column has gone.
const NARROWEST: [Step; 5] = [
    Step::Flex(COMFORTABLE_FLEX),
    Step::Squeeze(COMFORTABLE_SQUEEZE),
    Step::Flex(READABLE_FLEX),
    Step::Squeeze(MIN_SQUEEZE),
    Step::Flex(MIN_FLEX),
];

impl Grid {
    pub fn new(cols: &[Col]) -> Self {
        Grid {
            cols: cols.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Add a row. A cell holding several lines (a block-scalar title) is
    /// joined into one, since rows never wrap.
    pub fn push(&mut self, mut row: Vec<(String, Tone)>) {
        debug_assert_eq!(row.len(), self.cols.len());
        for (text, _) in &mut row {
            if text.chars().any(char::is_control) {
                *text = crate::diag::visible(text).into_owned();
            }
            if text.contains(['\n', '\r']) {
                *text = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
        self.rows.push(row);
    }

    /// Each column's natural width: its widest cell or header.
    fn widths(&self) -> Vec<usize> {
        (0..self.cols.len())
            .map(|c| {
                let cells = self.rows.iter().map(|r| display_width(&r[c].0));
                cells
                    .chain([display_width(self.cols[c].header)])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// How narrow column `c` may get at `step`, if the step shortens it:
    /// never below its header or its own minimum.
    fn floor(&self, c: usize, step: Step) -> Option<usize> {
        let col = &self.cols[c];
        let floor = match step {
            Step::Squeeze(f) if col.squeeze => f,
            Step::Flex(f) if col.flex => f,
            _ => return None,
        };
        Some(floor.max(display_width(col.header)).max(col.min))
    }

    /// Column widths that fit `width` with the `keep` columns, taking the
    /// `steps` in turn until the table fits; None if they are not enough.
    fn fit(
        &self,
        natural: &[usize],
        keep: &[bool],
        width: usize,
        steps: &[Step],
    ) -> Option<Vec<usize>> {
        let mut w = natural.to_vec();
        // Each column takes its content plus two spaces of padding.
        let total = |w: &[usize]| -> usize {
            w.iter()
                .zip(keep)
                .filter(|(_, k)| **k)
                .map(|(w, _)| w + 2)
                .sum()
        };
        for &step in steps {
            while total(&w) > width {
                let mut shrinkable: Vec<(usize, usize)> = (0..w.len())
                    .filter(|&c| keep[c])
                    .filter_map(|c| self.floor(c, step).map(|f| (c, f)))
                    .filter(|&(c, f)| w[c] > f)
                    .collect();
                shrinkable.sort_by_key(|&(c, _)| std::cmp::Reverse(w[c]));
                let Some(&(c, floor)) = shrinkable.first() else {
                    break;
                };
                // Down to the next widest, so that two long columns share
                // the cut; a column at least as wide loses one column.
                let next = shrinkable.get(1).map_or(0, |&(n, _)| w[n]);
                let over = total(&w) - width;
                w[c] = w[c].saturating_sub(over).max(floor).max(next).min(w[c] - 1);
            }
        }
        (total(&w) <= width).then_some(w)
    }

    /// Which columns to keep and how wide to draw them to fit `width`
    /// (see [`Grid`] for the order things give way in).
    fn layout(&self, natural: &[usize], width: usize) -> (Vec<bool>, Vec<usize>) {
        let n = self.cols.len();
        let mut optional: Vec<usize> = (0..n).filter(|&c| self.cols[c].optional).collect();
        // Last first; the sort is stable, so among the `first_to_go`
        // columns too.
        optional.reverse();
        optional.sort_by_key(|&c| !self.cols[c].first_to_go);
        let mut keep = vec![true; n];
        if let Some(w) = self.fit(natural, &keep, width, &COMFORTABLE) {
            return (keep, w);
        }
        for &c in &optional {
            keep[c] = false;
            if let Some(w) = self.fit(natural, &keep, width, &COMFORTABLE) {
                return (keep, w);
            }
        }
        if let Some(w) = self.fit(natural, &keep, width, &NARROWEST) {
            return (keep, w);
        }
        // Nothing fits even at the minimum: draw the narrowest layout and
        // let the terminal wrap what is left.
        let w = (0..n)
            .map(|c| {
                let floor = NARROWEST.iter().filter_map(|&s| self.floor(c, s)).min();
                floor.map_or(natural[c], |f| f.min(natural[c]))
            })
            .collect();
        (keep, w)
    }

    /// Render as a terminal table fitting `width`, or as Markdown (whose
    /// cells are never cut, since it is read in a browser, but which has at
    /// most [`markdown::ROWS`] rows, then a line saying how many more
    /// there are).
    pub fn render(mut self, format: Format, style: Style, width: usize) -> String {
        let n = self.cols.len();
        let mut left_out = 0;
        if format == Format::Markdown && self.rows.len() > markdown::ROWS {
            left_out = self.rows.len() - markdown::ROWS;
            self.rows.truncate(markdown::ROWS);
        }
        let mut keep = vec![true; n];
        if format == Format::Table {
            let natural = self.widths();
            let (kept, widths) = self.layout(&natural, width);
            keep = kept;
            for row in &mut self.rows {
                for c in 0..n {
                    if keep[c] && widths[c] < natural[c] {
                        row[c].0 = truncate(&row[c].0, widths[c]);
                    }
                }
            }
        }
        let headers: Vec<&str> = (0..n)
            .filter(|&c| keep[c])
            .map(|c| self.cols[c].header)
            .collect();
        let mut t = table(format, style, &headers);
        for row in self.rows {
            let cells: Vec<Cell> = row
                .into_iter()
                .enumerate()
                .filter(|(c, _)| keep[*c])
                .map(|(c, (text, tone))| {
                    let text = match format {
                        Format::Markdown => text.replace('|', "\\|"),
                        _ => text,
                    };
                    let cell = cell(text, tone);
                    if self.cols[c].right {
                        right(cell)
                    } else {
                        cell
                    }
                })
                .collect();
            t.add_row(cells);
        }
        for (i, c) in (0..n).filter(|&c| keep[c]).enumerate() {
            if self.cols[c].right
                && let Some(col) = t.column_mut(i)
            {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        let mut out = table_lines(&t);
        if left_out > 0 {
            out.push_str(&format!(
                "\n… and {}: Markdown shows the first {}, `--format json` lists them all\n",
                plural(left_out, "more row"),
                markdown::ROWS
            ));
        }
        out
    }
}

/// A table in the style of `format` (Table or Markdown).
fn table(format: Format, style: Style, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.force_no_tty();
    if style.color && format == Format::Table {
        // Style only the text, not the padding, so lines can be trimmed and
        // coloured output differs from plain output by escapes alone.
        t.enforce_styling().style_text_only();
    }
    match format {
        Format::Markdown => {
            t.load_style(presets::ASCII_MARKDOWN);
        }
        _ => {
            t.load_style(presets::NOTHING);
        }
    }
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(header.iter().map(Cell::new).collect::<Vec<_>>());
    t
}

/// A cell with a tone; colour shows only when styling is on.
fn cell(text: String, tone: Tone) -> Cell {
    let c = Cell::new(text);
    match tone {
        Tone::Plain => c,
        Tone::Good => c.fg(Color::Green),
        Tone::Bad => c.fg(Color::Red),
        Tone::Warn => c.fg(Color::Yellow),
        Tone::Dim => c.fg(Color::DarkGrey),
    }
}

fn right(c: Cell) -> Cell {
    c.set_alignment(CellAlignment::Right)
}

/// Lines of a table without the trailing spaces the NOTHING preset leaves.
fn table_lines(t: &Table) -> String {
    let mut out = String::new();
    for line in t.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A ten-cell progress bar that reads without colour: `████████░░`.
pub fn bar(done: usize, total: usize) -> String {
    const CELLS: usize = 10;
    // Round down, but show one cell as soon as anything is done, and keep
    // the bar short of full until everything is.
    let filled = if total == 0 || done == 0 {
        0
    } else if done >= total {
        CELLS
    } else {
        (done * CELLS / total).clamp(1, CELLS - 1)
    };
    format!("{}{}", "█".repeat(filled), "░".repeat(CELLS - filled))
}

/// A sparkline of `values` (`▁▃▅█`), scaled between their minimum and
/// maximum; a flat series sits in the middle.
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| {
            if hi <= lo {
                BARS[3]
            } else {
                BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize]
            }
        })
        .collect()
}

/// How many terminal columns `text` takes: two for CJK and most emoji,
/// none for a combining mark. Use it, never `chars().count()` or a format
/// width (`{:<8}` pads by characters), to measure text for a terminal; a
/// [`Grid`] pads its cells by it. Colour escapes (which only our
/// [`Style`] writes: the plan's control characters are made visible
/// first) take no room.
pub fn display_width(text: &str) -> usize {
    if !text.contains('\x1b') {
        return UnicodeWidthStr::width(text);
    }
    let mut width = 0;
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        width += UnicodeWidthStr::width(&rest[..at]);
        rest = &rest[at..];
        rest = rest.find('m').map_or("", |end| &rest[end + 1..]);
    }
    width + UnicodeWidthStr::width(rest)
}

/// `parts` joined with " · ", starting a new line rather than passing
/// `width` (a part wider than a line stays whole).
pub fn join_fitting(parts: &[String], width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for (i, part) in parts.iter().enumerate() {
        let len = display_width(part);
        if i > 0 {
            if col + 3 + len > width {
                out.push('\n');
                col = 0;
            } else {
                out.push_str(" · ");
                col += 3;
            }
        }
        out.push_str(part);
        col += len;
    }
    out
}

/// `head` then `text`, wrapped at spaces to `width` terminal columns,
/// continuation lines starting with `indent`. Text without spaces (Chinese,
/// Japanese) breaks between its wide characters instead; an ASCII word
/// longer than a line stays whole.
pub fn wrap(head: &str, text: &str, indent: &str, width: usize) -> String {
    let mut out = String::from(head);
    let mut col = display_width(head);
    let margin = display_width(indent);
    let newline = |out: &mut String, col: &mut usize| {
        out.push('\n');
        out.push_str(indent);
        *col = margin;
    };
    for (i, word) in text.split_whitespace().enumerate() {
        let space = usize::from(i > 0);
        let len = display_width(word);
        if col + space + len <= width {
            out.push_str(&" ".repeat(space));
            out.push_str(word);
            col += space + len;
            continue;
        }
        let pieces = breakable(word);
        if pieces.len() == 1 || col + space + display_width(&pieces[0]) > width {
            // The first word stays by the head, whatever its length.
            if i > 0 {
                newline(&mut out, &mut col);
            }
        } else {
            out.push_str(&" ".repeat(space));
            col += space;
        }
        for piece in pieces {
            let len = display_width(&piece);
            if col + len > width && col > margin {
                newline(&mut out, &mut col);
            }
            out.push_str(&piece);
            col += len;
        }
    }
    out
}

/// `word` in the pieces a line may break between: each wide character
/// (with the punctuation that may not start a line), and runs of others.
fn breakable(word: &str) -> Vec<String> {
    const NO_LINE_START: &str = "，。、：；！？）」』】》〉…";
    let mut pieces: Vec<String> = Vec::new();
    let mut run = false;
    for c in word.chars() {
        let wide = UnicodeWidthChar::width(c) == Some(2);
        match pieces.last_mut() {
            Some(last) if NO_LINE_START.contains(c) || (!wide && run) => last.push(c),
            _ => pieces.push(c.to_string()),
        }
        run = !wide;
    }
    pieces
}

/// Shorten `text` to `max` terminal columns, ending with `…` when cut. A
/// wide character that would not fit whole is left out, so the result
/// may be a column short but is never wider than `max`.
pub fn truncate(text: &str, max: usize) -> String {
    if display_width(text) <= max {
        return text.to_string();
    }
    let room = max.saturating_sub(1);
    let mut used = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        used += UnicodeWidthChar::width(c).unwrap_or(0);
        if used > room {
            break;
        }
        end = i + c.len_utf8();
    }
    // A sequence can be wider than its characters (an emoji with its
    // presentation selector): step back until the prefix really fits.
    let mut keep = &text[..end];
    while display_width(keep) > room {
        let mut chars = keep.chars();
        chars.next_back();
        keep = chars.as_str();
    }
    format!("{}…", keep.trim_end())
}

/// The version of every `--format json` object. It changes only when a
/// field is renamed, removed or changes meaning; added fields keep it (the
/// promise the README makes to scripts).
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// Every JSON report is an object that opens with `schema_version`, so a
/// script can refuse a version it does not know before reading further.
#[derive(Serialize)]
struct Versioned<'a, T: Serialize> {
    schema_version: u32,
    #[serde(flatten)]
    report: &'a T,
}

/// JSON output: an object (a report struct; never a bare array), pretty,
/// stable key order (struct order), newline-terminated.
pub fn json<T: Serialize>(out: &mut dyn Write, report: &T) -> std::io::Result<()> {
    let versioned = Versioned {
        schema_version: JSON_SCHEMA_VERSION,
        report,
    };
    serde_json::to_writer_pretty(&mut *out, &versioned).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// "1 item", "3 items".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_narrow_a_terminal_gets_the_narrowest_layout() {
        let mut g = Grid::new(&[
            Col::new("ID"),
            Col::new("Track").optional(),
            Col::new("Item").flex(),
        ]);
        g.push(vec![
            ("an-identifier".into(), Tone::Plain),
            ("track".into(), Tone::Plain),
            ("A title of some length for the item".into(), Tone::Plain),
        ]);
        let out = g.render(Format::Table, Style::new(false), 10);
        assert_eq!(out, " ID             Item\n an-identifier  A title…\n");
    }

    #[test]
    fn a_multi_line_cell_stays_on_one_row() {
        let mut g = Grid::new(&[Col::new("Item")]);
        g.push(vec![("first line\nsecond line\n".into(), Tone::Plain)]);
        let out = g.render(Format::Table, Style::new(false), 80);
        assert_eq!(out, " Item\n first line second line\n");
    }

    #[test]
    fn bars_show_progress_honestly() {
        assert_eq!(bar(0, 40), "░░░░░░░░░░");
        assert_eq!(bar(1, 40), "█░░░░░░░░░");
        assert_eq!(bar(20, 40), "█████░░░░░");
        assert_eq!(bar(39, 40), "█████████░");
        assert_eq!(bar(40, 40), "██████████");
        assert_eq!(bar(0, 0), "░░░░░░░░░░");
    }

    #[test]
    fn sparklines_scale_to_their_range() {
        assert_eq!(
            sparkline(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]),
            "▁▂▃▄▅▆▇█"
        );
        assert_eq!(sparkline(&[5.0, 5.0]), "▄▄");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[10.0, 0.0]), "█▁");
    }

    /// The terminal column each cell of `line` starts at, given the
    /// header's: a cell starts after two spaces (or the leading one).
    fn cell_starts(line: &str) -> Vec<usize> {
        let mut starts = Vec::new();
        let mut col = 0;
        let mut spaces = 2;
        for c in line.chars() {
            if c == ' ' {
                spaces += 1;
            } else {
                if spaces >= 1 && (spaces >= 2 || col == 1) {
                    starts.push(col);
                }
                spaces = 0;
            }
            col += UnicodeWidthChar::width(c).unwrap_or(0);
        }
        starts
    }

    fn wide_grid() -> Grid {
        let mut g = Grid::new(&[
            Col::new("ID").squeeze(),
            Col::new("Track").optional(),
            Col::new("Item").flex(),
            Col::new("Status"),
        ]);
        for (id, title) in [
            ("launch-the-rocket-for-real", "🚀 发射火箭 and see it fly"),
            ("cjk", "中文标题中文标题中文标题中文标题中文标题"),
            ("ascii", "A plain title that is long enough to cut"),
            ("mix", "a中b文c标d题e中f文g标h题i中j文k标l题"),
        ] {
            g.push(vec![
                (id.into(), Tone::Plain),
                ("轨道".into(), Tone::Plain),
                (title.into(), Tone::Plain),
                ("✓ done".into(), Tone::Plain),
            ]);
        }
        g
    }

    #[test]
    fn wide_characters_keep_rows_aligned_and_within_the_width() {
        for width in [80, 60, 45, 40, 33] {
            let out = wide_grid().render(Format::Table, Style::new(false), width);
            let lines: Vec<&str> = out.lines().collect();
            let header = cell_starts(lines[0]);
            for line in &lines {
                assert!(display_width(line) <= width, "{width}: {line:?}");
                assert_eq!(cell_starts(line), header, "{width}: {line:?} in\n{out}");
            }
        }
    }

    #[test]
    fn ids_give_way_before_titles() {
        // Ids down to a comfortable width and optional columns gone, so
        // titles keep a comfortable width...
        let out = wide_grid().render(Format::Table, Style::new(false), 60);
        assert_eq!(
            out,
            " ID                Item                              Status
 launch-the-rock…  🚀 发射火箭 and see it fly        ✓ done
 cjk               中文标题中文标题中文标题中文标…   ✓ done
 ascii             A plain title that is long enou…  ✓ done
 mix               a中b文c标d题e中f文g标h题i中j文k…  ✓ done
"
        );
        // ...then titles give way to a readable width...
        let out = wide_grid().render(Format::Table, Style::new(false), 54);
        assert_eq!(
            out,
            " ID                Item                        Status
 launch-the-rock…  🚀 发射火箭 and see it fly  ✓ done
 cjk               中文标题中文标题中文标题…   ✓ done
 ascii             A plain title that is lon…  ✓ done
 mix               a中b文c标d题e中f文g标h题i…  ✓ done
"
        );
        // ...and ids get shorter still before titles go below it.
        let out = wide_grid().render(Format::Table, Style::new(false), 46);
        assert_eq!(
            out,
            " ID          Item                      Status
 launch-th…  🚀 发射火箭 and see it…   ✓ done
 cjk         中文标题中文标题中文标…   ✓ done
 ascii       A plain title that is l…  ✓ done
 mix         a中b文c标d题e中f文g标h…   ✓ done
"
        );
    }

    #[test]
    fn truncation_counts_terminal_columns() {
        // A wide character that would straddle the edge is left out.
        assert_eq!(truncate("中文标题测试", 7), "中文标…");
        assert_eq!(truncate("中文标题测试", 6), "中文…");
        assert_eq!(truncate("ab中文", 4), "ab…");
        assert_eq!(truncate("🚀🚀🚀", 4), "🚀…");
        assert_eq!(truncate("🚀🚀", 4), "🚀🚀");
        // An emoji drawn wide by its presentation selector, and a joined
        // sequence, are never cut so that the result overflows.
        assert_eq!(truncate("❤️❤️❤️", 3), "❤️…");
        for text in ["👩‍🍳👩‍🍳👩‍🍳 chef", "❤️❤️❤️❤️", "é́é́é́é́é́", "中a文b标c"]
        {
            for max in 1..12 {
                let cut = truncate(text, max);
                assert!(
                    display_width(&cut) <= max.max(1),
                    "{text:?} at {max}: {cut:?}"
                );
            }
        }
    }

    #[test]
    fn lines_break_between_parts_by_columns() {
        let parts = ["中文标题".to_string(), "两列宽".into(), "x".into()];
        assert_eq!(join_fitting(&parts, 20), "中文标题 · 两列宽\nx");
        assert_eq!(
            wrap("» ", "中文 标题 中文 标题", "  ", 12),
            "» 中文 标题\n  中文 标题"
        );
        // Text without spaces breaks between wide characters, never
        // before a comma.
        assert_eq!(
            wrap("» ", "签约并装修新店，让它可以开始烘焙", "  ", 14),
            "» 签约并装修新\n  店，让它可以\n  开始烘焙"
        );
        assert_eq!(wrap("» ", "go 签约并装修", "  ", 11), "» go 签约并\n  装修");
        // An ASCII word longer than a line stays whole, on its own line.
        assert_eq!(
            wrap("» ", "a verylongword b", "  ", 8),
            "» a\n  verylongword\n  b"
        );
        // Colour escapes take no room.
        let red = Style::new(true).red("12 overdue");
        assert_eq!(display_width(&red), 10);
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("Mejoras basadas en feedback", 10), "Mejoras b…");
        assert_eq!(truncate("Mejoras basadas", 9), "Mejoras…");
        assert_eq!(truncate("corto", 10), "corto");
        assert_eq!(truncate("áéíóúáéíóú!", 10), "áéíóúáéíó…");
    }
}
