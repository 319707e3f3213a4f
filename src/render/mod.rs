//! Turning reports into text: tables for people, Markdown for CI
//! summaries, JSON for programs. Reports are plain data (see `eval`); the
//! JSON is the serde form of the same struct the table is drawn from.

pub mod alerts;
pub mod check;
pub mod dashboard;
pub mod diff;
pub mod html;
pub mod items;
pub mod kpis;
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
    /// May be shortened with `…` when the table is too wide.
    pub flex: bool,
}

impl Col {
    pub const fn new(header: &'static str) -> Self {
        Col {
            header,
            right: false,
            optional: false,
            flex: false,
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
    pub const fn flex(mut self) -> Self {
        self.flex = true;
        self
    }
}

/// Rows of text cells, laid out as a table that fits a width: optional
/// columns go first, then the widest flexible column is shortened. Rows
/// never wrap.
pub struct Grid {
    pub cols: Vec<Col>,
    pub rows: Vec<Vec<(String, Tone)>>,
}

/// Flexible columns are shortened to this before optional columns go...
const COMFORTABLE_FLEX: usize = 32;
/// ...and to this at the most.
const MIN_FLEX: usize = 8;

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
                let cells = self.rows.iter().map(|r| r[c].0.chars().count());
                cells.chain([self.cols[c].header.len()]).max().unwrap_or(0)
            })
            .collect()
    }

    /// Column widths that fit `width` with the `keep` columns, shortening
    /// the widest flexible column first but none below `floor`; None if
    /// that is not enough.
    fn fit(
        &self,
        natural: &[usize],
        keep: &[bool],
        width: usize,
        floor: usize,
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
        while total(&w) > width {
            let min = |c: usize| floor.max(self.cols[c].header.len()).min(natural[c]);
            let c = (0..w.len())
                .filter(|&c| keep[c] && self.cols[c].flex && w[c] > min(c))
                .max_by_key(|&c| w[c])?;
            let over = total(&w) - width;
            w[c] = w[c].saturating_sub(over).max(min(c));
        }
        Some(w)
    }

    /// Render as a terminal table fitting `width`, or as Markdown (which is
    /// never cut: it is read in a browser).
    pub fn render(mut self, format: Format, style: Style, width: usize) -> String {
        let n = self.cols.len();
        let mut keep = vec![true; n];
        if format == Format::Table {
            let natural = self.widths();
            // Prefer shortening titles to a comfortable width over losing a
            // column; lose optional columns (last first) before shortening
            // further.
            let optional: Vec<usize> = (0..n).rev().filter(|&c| self.cols[c].optional).collect();
            let mut plan = None;
            'search: for floor in [COMFORTABLE_FLEX, MIN_FLEX] {
                keep = vec![true; n];
                for dropped in 0..=optional.len() {
                    if dropped > 0 {
                        keep[optional[dropped - 1]] = false;
                    }
                    if let Some(w) = self.fit(&natural, &keep, width, floor) {
                        plan = Some(w);
                        break 'search;
                    }
                }
            }
            // Nothing fits even at the minimum: draw the narrowest layout
            // (optional columns dropped, flexible ones at their minimum) and
            // let the terminal wrap what is left.
            let widths = plan.unwrap_or_else(|| {
                (0..n)
                    .map(|c| {
                        let floor = MIN_FLEX.max(self.cols[c].header.len()).min(natural[c]);
                        if self.cols[c].flex { floor } else { natural[c] }
                    })
                    .collect()
            });
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
        table_lines(&t)
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

/// Shorten `text` to `max` characters, ending with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let keep: String = text.chars().take(max.saturating_sub(1)).collect();
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

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("Mejoras basadas en feedback", 10), "Mejoras b…");
        assert_eq!(truncate("Mejoras basadas", 9), "Mejoras…");
        assert_eq!(truncate("corto", 10), "corto");
        assert_eq!(truncate("áéíóúáéíóú!", 10), "áéíóúáéíó…");
    }
}
