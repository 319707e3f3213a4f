//! Metric values: the stored history (`metrics.csv`) and snapshot files
//! given to `roadmap ingest` (YAML, JSON or CSV), both read into rows that
//! name a known metric, a real date and a value in the metric's unit.
//!
//! History is CSV, not YAML: it grows without bound, CSV parses about ten
//! times faster, and append-only lines merge cleanly in git (with
//! `merge=union` in `.gitattributes`).

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::decode::{Ctx, parse_date};
use super::yaml::{self, Kind, Node};
use crate::diag::{Diagnostic, Diagnostics, Pos, display_path, suggest};
use crate::error::{Error, Result};
use crate::model::Roadmap;
pub use crate::model::history::Row;
use crate::model::history::{History, Point};
use crate::model::quantity::parse_value;

/// The history file inside the roadmap folder.
pub const METRICS_FILE: &str = "metrics.csv";
/// A file with more bad rows than this is not worth reading on: one
/// problem repeated (a wrong column, a wrong unit) is enough to fix.
const MAX_ROW_ERRORS: usize = 100;
/// The columns of an input file; `source` and `note` may be empty.
pub const COLUMNS: [&str; 5] = ["date", "metric", "value", "source", "note"];
/// The history file may also have `replaces`: the value a correction
/// replaces (see [`resolve`]).
pub const HISTORY_COLUMNS: [&str; 6] = ["date", "metric", "value", "source", "note", "replaces"];

/// The history file as stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub path: PathBuf,
    /// The file's text; None when it does not exist yet.
    pub text: Option<String>,
    /// The value in force for each metric and date: corrections applied.
    pub rows: Vec<Row>,
    /// (metric, date, value bits) of values a correction replaced.
    pub superseded: HashSet<(usize, NaiveDate, u64)>,
}

/// One good row of a CSV file as the reader hands it on: all that
/// resolving corrections and building the history need. Its metric is the
/// series it is filed under; source and note, which only storing reads,
/// are not kept here.
///
/// A long history is held as entries once, so they are kept to 32 bytes:
/// the replaced value is NaN for none (no value read is NaN), and the line
/// a `u32` (a file of 2^32 lines would not fit in memory).
#[derive(Debug, Clone, Copy)]
struct Entry {
    date: NaiveDate,
    line: u32,
    /// Its place among the file's good rows, so that storing can drop the
    /// rows that are not in force (a file of 2^32 rows would not fit in
    /// memory as rows anyway).
    index: u32,
    value: f64,
    replaced: f64,
}

impl Entry {
    fn new(date: NaiveDate, value: f64, replaces: Option<f64>, line: u64, index: u32) -> Self {
        Entry {
            date,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            index,
            value,
            replaced: replaces.unwrap_or(f64::NAN),
        }
    }

    /// The value this row corrects, if it is a correction.
    fn replaces(&self) -> Option<f64> {
        (!self.replaced.is_nan()).then_some(self.replaced)
    }
}

/// Equal as rows: NaN, which stands for "no replaced value", is equal to
/// itself here.
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (
            self.date,
            self.line,
            self.index,
            self.value,
            self.replaces(),
        ) == (
            other.date,
            other.line,
            other.index,
            other.value,
            other.replaces(),
        )
    }
}

/// Where a CSV row is, for messages: `file:line` (column 0 means the whole
/// line).
fn at_line(line: u64) -> Option<Pos> {
    Some(Pos {
        line,
        col: 0,
        offset: 0,
        len: 0,
    })
}

/// Read `metrics.csv` of the roadmap (an absent or empty file is an empty
/// history).
pub fn read(map: &Roadmap) -> Result<Stored> {
    let path = map.dir.join(METRICS_FILE);
    let text = history_text(&path)?;
    if text.as_deref().is_none_or(blank) {
        return Ok(Stored {
            path,
            text,
            rows: Vec::new(),
            superseded: HashSet::new(),
        });
    }
    let text = text.unwrap_or_default();
    let shown = display_path(&path);
    let mut diags = Diagnostics::default();
    let mut series = vec![Vec::new(); map.metrics.len()];
    let mut rows = Vec::new();
    let file: Arc<Path> = Arc::from(shown.as_path());
    let mut strings = Strings::default();
    rows_of(
        map,
        &shown,
        &text,
        true,
        true,
        &mut diags,
        |metric, e, source, note| {
            series[metric].push(e);
            rows.push(Row {
                date: e.date,
                metric,
                value: e.value,
                replaces: e.replaces(),
                source: strings.get(source),
                note: strings.get(note),
                file: Arc::clone(&file),
                pos: at_line(u64::from(e.line)),
            });
        },
    );
    let resolved = resolve(map, series, Vec::new(), &shown, &mut diags);
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    // Without corrections or duplicates every row stands: keep the vector.
    if !resolved.dropped.is_empty() {
        let mut keep = vec![true; rows.len()];
        for i in resolved.dropped {
            keep[i as usize] = false;
        }
        let mut keep = keep.into_iter();
        rows.retain(|_| keep.next().unwrap_or(true));
    }
    Ok(Stored {
        path,
        text: Some(text),
        rows,
        superseded: resolved.superseded,
    })
}

/// The text of the history file, or None when there is none.
fn history_text(path: &Path) -> Result<Option<String>> {
    super::read_text(path, &display_path(path))
}

/// A file made with `touch`, or emptied by hand, holds no values yet.
fn blank(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim().is_empty()
}

/// The history as of the stored file. Reading commands need only the
/// points: no row is built, and the one sort that finds conflicts also
/// orders the series.
pub fn history(map: &Roadmap) -> Result<History> {
    let path = map.dir.join(METRICS_FILE);
    let shown = display_path(&path);
    let mut diags = Diagnostics::default();
    let (series, later) = match in_halves(map, &path, &shown) {
        Some(halves) => halves,
        None => {
            let text = match history_text(&path)? {
                Some(t) if !blank(&t) => t,
                _ => return Ok(History::from_series(vec![Vec::new(); map.metrics.len()])),
            };
            let mut series = vec![Vec::new(); map.metrics.len()];
            rows_of(
                map,
                &shown,
                &text,
                true,
                false,
                &mut diags,
                |metric, e, _, _| {
                    series[metric].push(e);
                },
            );
            (series, Vec::new())
        }
    };
    let resolved = resolve(map, series, later, &shown, &mut diags);
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    Ok(History::from_series(resolved.series))
}

/// Each metric's entries from the first half of a file, and from the
/// second.
type Halves = (Vec<Vec<Entry>>, Vec<Vec<Entry>>);

/// A large history without quotes, read as two halves on two threads,
/// each a chunk at a time: each metric's entries, in file order, from
/// either half. Reading rows is most of reading a long history, rows are
/// independent until they are resolved, and a chunk at a time the text is
/// never held whole (a long history's text is as big as its entries).
///
/// None, to read the whole text in one pass, when the file is small, has
/// quotes, a bare `\r` or bytes that are not UTF-8 (only that pass reads
/// or reports those right), a thread cannot be started, or any row is bad
/// (that pass then reports every problem in order, as it always does).
fn in_halves(map: &Roadmap, path: &Path, shown: &Path) -> Option<Halves> {
    const WORTH_A_THREAD: u64 = 1 << 20;
    let len = std::fs::metadata(path).ok().filter(|m| m.is_file())?.len();
    if len < WORTH_A_THREAD {
        return None;
    }
    let mut file = std::fs::File::open(path).ok()?;
    // The header, which every chunk is read under.
    let mut start = vec![0; 4096.min(len as usize)];
    file.read_exact(&mut start).ok()?;
    let header_end = start.iter().position(|b| *b == b'\n')? + 1;
    let header = start[..header_end].strip_prefix("\u{feff}".as_bytes());
    let header = header.unwrap_or(&start[..header_end]).to_vec();
    // The first line break past the middle ends the first half.
    let mut window = vec![0; 64 * 1024];
    file.seek(SeekFrom::Start(len / 2)).ok()?;
    let got = file.read(&mut window).ok()?;
    let cut = len / 2 + window[..got].iter().position(|b| *b == b'\n')? as u64 + 1;
    drop(file);
    let part =
        |from: u64, to: u64| -> Option<Part> { read_part(map, path, shown, &header, from, to) };
    let (first, second) = std::thread::scope(|s| {
        let second = std::thread::Builder::new()
            .spawn_scoped(s, || part(cut, len))
            .ok()?;
        let first = part(header_end as u64, cut);
        match second.join() {
            Ok(second) => Some((first?, second?)),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })?;
    let mut later = second.series;
    // The second half counted its lines and rows from its own start.
    for e in later.iter_mut().flatten() {
        e.index += first.rows;
        e.line += first.lines;
    }
    Some((first.series, later))
}

/// Chunks a history is read in, on each of two threads (small in tests,
/// so that a test file spans many, and lines are carried across).
const CHUNK: usize = if cfg!(test) { 50_000 } else { 1 << 20 };

/// What one half of a history holds.
struct Part {
    series: Vec<Vec<Entry>>,
    /// Rows read, lines passed.
    rows: u32,
    lines: u32,
}

/// Read bytes `from..to` of the history at `path` (whole lines) a chunk
/// at a time, each chunk under `header`, numbering lines as if the part
/// came right after the header (for the caller to shift the second part).
/// None as [`in_halves`] says.
fn read_part(
    map: &Roadmap,
    path: &Path,
    shown: &Path,
    header: &[u8],
    from: u64,
    to: u64,
) -> Option<Part> {
    let mut file = std::fs::File::open(path).ok()?;
    file.seek(SeekFrom::Start(from)).ok()?;
    let mut input = file.take(to - from);
    // Values are mostly recorded for every metric alike: sized for an
    // even share, a series seldom grows, and holds little to spare.
    let share = (to - from) as usize / 24 / map.metrics.len().max(1);
    let share = share + share / 8 + 1;
    let mut part = Part {
        series: vec![Vec::with_capacity(share.min(1 << 20)); map.metrics.len()],
        rows: 0,
        lines: 0,
    };
    let mut buf: Vec<u8> = Vec::with_capacity(header.len() + CHUNK + 4096);
    buf.extend_from_slice(header);
    let mut carry: Vec<u8> = Vec::new();
    let mut diags = Diagnostics::default();
    loop {
        buf.truncate(header.len());
        buf.append(&mut carry);
        let before = buf.len();
        (&mut input).take(CHUNK as u64).read_to_end(&mut buf).ok()?;
        let at_end = buf.len() == before;
        // Whole lines only; the rest starts the next chunk.
        let end = match at_end {
            true => buf.len(),
            false => buf
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(header.len(), |i| i + 1),
        };
        if end <= header.len() && at_end {
            break;
        }
        carry.extend_from_slice(&buf[end..]);
        let text = std::str::from_utf8(&buf[..end]).ok()?;
        let body = &text.as_bytes()[header.len()..];
        if body.contains(&b'"') || has_bare_cr(body) {
            return None;
        }
        let base = part.rows;
        let lines = body.iter().filter(|b| **b == b'\n').count() as u64;
        read_rows(
            map,
            shown,
            text,
            true,
            false,
            Split::Part {
                from: header.len(),
                to: end,
                line: 2 + u64::from(part.lines),
            },
            &mut diags,
            |m, e, _, _| {
                part.series[m].push(Entry {
                    index: e.index + base,
                    ..e
                });
                part.rows += 1;
            },
        );
        if !diags.is_empty() {
            return None;
        }
        part.lines = part.lines.checked_add(u32::try_from(lines).ok()?)?;
        if at_end {
            break;
        }
    }
    Some(part)
}

/// Texts that repeat from row to row (a source, a note), each kept once.
#[derive(Default)]
struct Strings(HashSet<Arc<str>, FxBuildHasher>);

impl Strings {
    /// The shared copy of `text`; None for an empty one.
    fn get(&mut self, text: &str) -> Option<Arc<str>> {
        if text.is_empty() {
            return None;
        }
        if let Some(s) = self.0.get(text) {
            return Some(Arc::clone(s));
        }
        let s: Arc<str> = Arc::from(text);
        self.0.insert(Arc::clone(&s));
        Some(s)
    }
}

/// What resolving found: each metric's points in force, in date order.
struct Resolved {
    series: Vec<Vec<Point>>,
    /// [`Entry::index`] of the rows not in force (replaced, or repeats).
    dropped: Vec<u32>,
    /// (metric, date, value bits) of values a correction replaced.
    superseded: HashSet<(usize, NaiveDate, u64)>,
}

/// The value in force for each metric and date.
///
/// History is only ever appended to, so that two branches that record
/// values merge cleanly with `merge=union`. A correction is a row that
/// names the value it replaces (`replaces`). Among the rows of one metric
/// and date, the values no row replaces are the ones in force: exactly one
/// is the normal case (identical rows, as a merge can leave, count once).
/// Two are a conflict: two branches recorded, or corrected, the same value
/// differently; both lines are reported. Order in the file does not
/// matter, because a union merge's order says nothing, except for a value
/// corrected back to an earlier one, where the last correction wins.
///
/// `series` holds each metric's rows in file order. Sorting them by date
/// both finds the rows of one date, to resolve, and orders the history:
/// one sort, not two.
///
/// `later` holds, when the file was read in two halves, each metric's
/// entries from the second half: they are joined to the first half's one
/// metric at a time, so that all of them are never held twice.
fn resolve(
    map: &Roadmap,
    series: Vec<Vec<Entry>>,
    later: Vec<Vec<Entry>>,
    file: &Path,
    diags: &mut Diagnostics,
) -> Resolved {
    let mut out = Resolved {
        series: Vec::with_capacity(series.len()),
        dropped: Vec::new(),
        superseded: HashSet::new(),
    };
    let mut found = 0;
    let mut later = later.into_iter();
    for (metric, mut entries) in series.into_iter().enumerate() {
        if let Some(more) = later.next() {
            entries.extend(more);
        }
        // Stable, so the rows of one date stay in file order. Values are
        // recorded day after day, so this is mostly one pass over a run
        // that is already sorted.
        if !entries.is_sorted_by_key(|e| e.date) {
            entries.sort_by_key(|e| e.date);
        }
        let mut points = Vec::with_capacity(entries.len());
        let mut start = 0;
        while start < entries.len() {
            let date = entries[start].date;
            let mut end = start + 1;
            while end < entries.len() && entries[end].date == date {
                end += 1;
            }
            let group = &entries[start..end];
            start = end;
            // The usual date has one plain row: nothing to resolve, nothing
            // to allocate (a million of them is the whole history).
            if let [one] = group
                && one.replaces().is_none()
            {
                points.push(Point {
                    date,
                    value: one.value,
                });
                continue;
            }
            let replaced: HashSet<u64> = group
                .iter()
                .filter_map(|e| e.replaces().map(f64::to_bits))
                .collect();
            // The last row carrying each value in force, in file order.
            let mut heads: Vec<&Entry> = Vec::new();
            for e in group {
                let bits = e.value.to_bits();
                if replaced.contains(&bits) {
                    continue;
                }
                match heads.iter().position(|h| h.value.to_bits() == bits) {
                    Some(k) => heads[k] = e,
                    None => heads.push(e),
                }
            }
            let winner = match heads.as_slice() {
                [one] => *one,
                // Every value was replaced: corrected back to an earlier one.
                [] => group
                    .iter()
                    .rfind(|e| e.replaces().is_some())
                    .expect("a replaced value implies a correction"),
                [a, b, ..] => {
                    found += 1;
                    if found <= MAX_ROW_ERRORS {
                        diags.push(conflict(map, metric, a, b, file));
                    } else if found == MAX_ROW_ERRORS + 1 {
                        diags.push(Diagnostic::new(
                            file,
                            None,
                            format!("more values recorded twice; stopped after {MAX_ROW_ERRORS}"),
                        ));
                    }
                    continue;
                }
            };
            for e in group {
                if e.index != winner.index {
                    out.dropped.push(e.index);
                    out.superseded.insert((metric, date, e.value.to_bits()));
                }
            }
            out.superseded
                .remove(&(metric, date, winner.value.to_bits()));
            points.push(Point {
                date,
                value: winner.value,
            });
        }
        out.series.push(points);
    }
    out
}

fn conflict(
    map: &Roadmap,
    metric: usize,
    first: &Entry,
    second: &Entry,
    file: &Path,
) -> Diagnostic {
    let id = &map.metrics[metric].id;
    let describe = |r: &Entry| match r.replaces() {
        Some(old) => format!("{} (line {}, correcting {old})", r.value, r.line),
        None => format!("{} (line {})", r.value, r.line),
    };
    let message = if first.replaces().is_none() && second.replaces().is_none() {
        format!(
            "`{id}` on {} is recorded twice with different values: {} (line {}) and {}",
            first.date, first.value, first.line, second.value
        )
    } else {
        format!(
            "`{id}` on {} has two values in force: {} and {}",
            first.date,
            describe(first),
            describe(second)
        )
    };
    Diagnostic::new(file, at_line(u64::from(second.line)), message).with_hint(Some(format!(
        "two branches recorded or corrected it differently (this often follows a git \
         merge); delete the line that is wrong (line {} or line {})",
        first.line, second.line
    )))
}

/// Read CSV rows of an input file with the columns
/// `date,metric,value[,source][,note]`, reporting every bad row at its
/// line.
pub fn csv_rows(map: &Roadmap, file: &Path, text: &str, diags: &mut Diagnostics) -> Vec<Row> {
    let mut rows = Vec::new();
    let shared: Arc<Path> = Arc::from(file);
    let mut strings = Strings::default();
    rows_of(
        map,
        file,
        text,
        false,
        true,
        diags,
        |metric, e, source, note| {
            rows.push(Row {
                date: e.date,
                metric,
                value: e.value,
                replaces: e.replaces(),
                source: strings.get(source),
                note: strings.get(note),
                file: Arc::clone(&shared),
                pos: at_line(u64::from(e.line)),
            });
        },
    );
    rows
}

/// Read CSV rows, handing each good one to `row` with its metric, source
/// and note (both "" unless `texts`); the history file (`history`) may
/// also have `replaces`.
fn rows_of(
    map: &Roadmap,
    file: &Path,
    text: &str,
    history: bool,
    texts: bool,
    diags: &mut Diagnostics,
    row: impl FnMut(usize, Entry, &str, &str),
) {
    read_rows(map, file, text, history, texts, Split::Whole, diags, row);
}

/// How [`read_rows`] may read a file.
#[derive(Clone, Copy, PartialEq)]
enum Split {
    /// Through the CSV reader, always (tests compare with it).
    #[cfg_attr(not(test), allow(dead_code))]
    No,
    /// Split at commas when the file has no quote and no bare `\r`.
    Whole,
    /// Split at commas only the lines in `from..to` (a byte range past
    /// the header that starts a line, `line` being its number), which the
    /// caller has checked holds no quote and no bare `\r`.
    Part { from: usize, to: usize, line: u64 },
}
#[allow(clippy::too_many_arguments)]
fn read_rows(
    map: &Roadmap,
    file: &Path,
    text: &str,
    history: bool,
    texts: bool,
    split: Split,
    diags: &mut Diagnostics,
    mut row: impl FnMut(usize, Entry, &str, &str),
) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let known: &[&str] = if history { &HISTORY_COLUMNS } else { &COLUMNS };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    // A CSV problem is a row's: `file:line` (column 0 means the whole
    // line), with the row's byte offset so its excerpt is found directly.
    let at_byte = |line: u64, offset: usize| {
        Some(Pos {
            line,
            col: 0,
            offset,
            len: 0,
        })
    };
    let at = |line: u64| at_byte(line, 0);
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(Diagnostic::new(
                file,
                at(1),
                format!("cannot read the CSV header: {e}"),
            ));
            return;
        }
    };
    let mut index = [None; 6];
    for (i, name) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(name).trim().to_string();
        match known.iter().position(|c| *c == name) {
            Some(c) => index[c] = Some(i),
            None => {
                let hint = if name == "replaces" {
                    Some(
                        "only metrics.csv has `replaces`; to correct a recorded value, pass \
                         --replace"
                            .into(),
                    )
                } else {
                    suggest(&name, known.iter().copied())
                        .or_else(|| Some(format!("the columns are {}", COLUMNS.join(","))))
                };
                diags.push(
                    Diagnostic::new(file, at(1), format!("unknown column `{name}`"))
                        .with_hint(hint),
                );
            }
        }
    }
    let (Some(date_i), Some(metric_i), Some(value_i)) = (index[0], index[1], index[2]) else {
        // A misspelt column, reported above with its fix, is the cause.
        if diags
            .0
            .iter()
            .any(|d| d.message.starts_with("unknown column"))
        {
            return;
        }
        diags.push(
            Diagnostic::new(
                file,
                at(1),
                "the CSV header must name `date`, `metric` and `value`",
            )
            .with_hint(Some(format!("start the file with `{}`", COLUMNS.join(",")))),
        );
        return;
    };
    // Looked up by the field's bytes: no string per row. FxHash, because
    // SipHash's resistance to chosen keys buys nothing for ids the plan
    // itself defines, and it showed in the profile at a million rows.
    let ids: FxHashMap<&[u8], usize> = map
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_bytes(), i))
        .collect();
    let mut good: u32 = 0;
    let before = diags.len();
    // Rows of one day come together: the date of the row before is
    // usually this row's too, and then costs one comparison.
    let mut last_date: (Vec<u8>, Option<NaiveDate>) = (Vec::new(), None);
    // Everything a row is checked for once its fields are split. Both
    // readers below hand rows here, so a row means the same either way.
    let mut one = |diags: &mut Diagnostics, rec: Fields<'_, '_>, line: u64, offset: usize| {
        if diags.len() - before >= MAX_ROW_ERRORS {
            diags.push(
                Diagnostic::new(
                    file,
                    at(line),
                    format!("more problems from here on; stopped after {MAX_ROW_ERRORS}"),
                )
                .with_hint(Some("fix these and run again".into())),
            );
            return Step::Stop;
        }
        // All the fields at once: a blank row is blank throughout.
        if rec.is_blank() {
            return Step::Next;
        }
        let mut bad = |msg: String, hint: Option<String>| {
            diags.push(
                Diagnostic::new(file, at_byte(line, offset), msg)
                    .with_hint(hint)
                    .with_source(text),
            );
        };
        // More fields than columns: a comma inside a value or a note that
        // was not quoted. Dropping the rest would store a wrong number.
        if rec.len() > header.len() {
            bad(
                format!(
                    "this row has {} fields, but the header names {} columns",
                    rec.len(),
                    header.len()
                ),
                Some(
                    "a value or note that holds a comma must be quoted, e.g. \
                     `\"$55,000\"`, or written without it: `$55000`"
                        .into(),
                ),
            );
            return Step::Next;
        }
        if let Fields::Csv(record) = rec
            && let Some(lines) = swallowed_rows(record)
        {
            return Step::Swallowed(lines);
        }
        let field = |i: Option<usize>| -> &str {
            i.and_then(|i| rec.get(i))
                .and_then(|b| std::str::from_utf8(b).ok())
                .map_or("", str::trim)
        };
        let raw_date = rec.get(date_i).unwrap_or_default();
        let date = match &last_date {
            (seen, Some(d)) if seen == raw_date => Some(*d),
            _ => match parse_date(field(Some(date_i))) {
                Ok(d) => {
                    last_date.0.clear();
                    last_date.0.extend_from_slice(raw_date);
                    last_date.1 = Some(d);
                    Some(d)
                }
                Err(msg) => {
                    bad(
                        format!("date: {msg}"),
                        Some("write dates as YYYY-MM-DD".into()),
                    );
                    None
                }
            },
        };
        // The field as written is almost always the id: only a miss pays
        // for decoding and trimming it as text (which also finds an id
        // padded with non-ASCII space).
        let raw_metric = rec.get(metric_i).map_or(&b""[..], <[u8]>::trim_ascii);
        let metric = ids
            .get(raw_metric)
            .or_else(|| ids.get(field(Some(metric_i)).as_bytes()))
            .copied();
        if metric.is_none() {
            let metric_text = field(Some(metric_i));
            bad(
                format!("unknown metric `{metric_text}`"),
                suggest(metric_text, map.metrics.iter().map(|m| m.id.as_str())),
            );
        }
        let mut number = |raw: &str, m: usize, what: &str| -> Option<f64> {
            let metric = &map.metrics[m];
            // Stored values are plain numbers: take the fast path first.
            let value = match raw.parse::<f64>() {
                // Only a number the unit allows (a score within its scale, a
                // yes/no as 1 or 0, nothing past 10^15); `parse_value`
                // explains anything else.
                Ok(v) if crate::model::quantity::in_domain(v, metric.unit) => v,
                _ => match parse_value(raw, metric.unit) {
                    Ok(v) => v,
                    Err(e) => {
                        bad(format!("{what} of `{}`: {}", metric.id, e.message), e.hint);
                        return None;
                    }
                },
            };
            if let Some(why) = metric.out_of_range(value) {
                bad(format!("{what} of `{}`: {why}", metric.id), None);
                return None;
            }
            Some(value)
        };
        let value = metric.and_then(|m| number(field(Some(value_i)), m, "value"));
        let replaces = match (metric, field(index[5])) {
            (_, "") => Some(None),
            (Some(m), raw) => number(raw, m, "replaced value").map(Some),
            (None, _) => None,
        };
        if let (Some(date), Some(metric), Some(value), Some(replaces)) =
            (date, metric, value, replaces)
        {
            let (source, note) = match texts {
                true => (field(index[3]), field(index[4])),
                false => ("", ""),
            };
            let entry = Entry::new(date, value, replaces, line, good);
            good = good.wrapping_add(1);
            row(metric, entry, source, note);
        }
        Step::Next
    };

    // A file without a quote (nearly every history: `roadmap` quotes only
    // a note or source that needs it) and without a bare `\r` splits at
    // commas exactly as the CSV reader would, at a fraction of the cost.
    let bytes = text.as_bytes();
    let header_end = (reader.position().byte() as usize).min(bytes.len());
    let (start, end, mut line) = match split {
        Split::Part { from, to, line } => (from.max(header_end), to, line),
        _ => (header_end, bytes.len(), reader.position().line()),
    };
    let rest = &bytes[start..end.max(start)];
    let splits = match split {
        Split::No => false,
        Split::Whole => !rest.contains(&b'"') && !has_bare_cr(bytes),
        Split::Part { .. } => true,
    };
    if splits {
        let mut fields: Vec<&[u8]> = Vec::with_capacity(header.len() + 1);
        let (mut line_start, mut field_start) = (0, 0);
        // One pass finds both the commas and the line ends (commas are
        // too dense for memchr to pay); the end of the text ends a last
        // line that has no line break.
        for i in 0..=rest.len() {
            match rest.get(i) {
                Some(b',') => {
                    fields.push(&rest[field_start..i]);
                    field_start = i + 1;
                    continue;
                }
                Some(b'\n') => {}
                Some(_) => continue,
                None if line_start == rest.len() => break,
                None => {}
            }
            let last = &rest[field_start..i];
            fields.push(last.strip_suffix(b"\r").unwrap_or(last));
            let (this, here) = (line, start + line_start);
            line += 1;
            (line_start, field_start) = (i + 1, i + 1);
            // The reader skips an empty line without a record.
            let empty = matches!(fields.as_slice(), [only] if only.is_empty());
            let step = match empty {
                true => Step::Next,
                false => one(diags, Fields::Split(&fields), this, here),
            };
            fields.clear();
            if let Step::Stop = step {
                break;
            }
        }
        return;
    }

    let mut record = csv::ByteRecord::new();
    // Where the last record began (line, byte), for a quote left open.
    let mut last = None;
    // The reader counts `\n` only; a file whose lines end in a bare `\r`
    // (classic Mac) needs its own count, kept incremental so it stays
    // linear. Files without one (all but a few) skip it.
    let bare_cr = has_bare_cr(bytes);
    let mut counted = (0usize, 1u64);
    let mut line_at = |offset: usize| {
        let (from, mut line) = counted;
        for i in from..offset.min(bytes.len()) {
            let cr = bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            line += u64::from(bytes[i] == b'\n' || cr);
        }
        counted = (offset.max(from), line);
        line
    };
    let mut swallowed: Option<Diagnostic> = None;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                diags.push(Diagnostic::new(
                    file,
                    at(line),
                    format!("unreadable CSV row: {e}"),
                ));
                break;
            }
        }
        // The reader reports where it began looking for the record, before
        // any blank lines it skipped: count those too.
        let (line, offset) = record.position().map_or((0, 0), |p| {
            let rest = text.as_bytes().get(p.byte() as usize..).unwrap_or_default();
            let blank = rest
                .iter()
                .take_while(|b| matches!(b, b'\n' | b'\r'))
                .count();
            let skipped = rest[..blank].iter().filter(|b| **b == b'\n').count();
            (p.line() + skipped as u64, p.byte() as usize + blank)
        });
        let line = match bare_cr {
            true => line_at(offset),
            false => line,
        };
        last = Some((line, offset));
        if let Some(d) = swallowed.take() {
            diags.push(d);
        }
        match one(diags, Fields::Csv(&record), line, offset) {
            Step::Stop => break,
            Step::Next => {}
            // Held back: for the last row, a quote that is never closed
            // (reported below) says the same thing better.
            Step::Swallowed(lines) => {
                swallowed = Some(
                    Diagnostic::new(
                        file,
                        at_byte(line, offset),
                        match lines {
                            1 => "a quoted field that starts on this row runs over the next \
                                  line, which looks like a row"
                                .to_string(),
                            n => format!(
                                "a quoted field that starts on this row runs over {n} lines \
                                 that look like rows"
                            ),
                        },
                    )
                    .with_hint(Some(
                        "a quote is probably missing or extra; close it where the field ends"
                            .into(),
                    ))
                    .with_source(text),
                );
            }
        }
    }
    // A quote that is never closed makes the reader take everything after
    // it as one field of the last record: every later row would vanish.
    let open_quote = last.filter(|&(_, offset)| {
        let rest = &text.as_bytes()[offset.min(text.len())..];
        rest.iter().filter(|b| **b == b'"').count() % 2 == 1
    });
    match (open_quote, swallowed) {
        (Some((line, offset)), _) => {
            let after = text[offset.min(text.len())..]
                .lines()
                .count()
                .saturating_sub(1);
            let lines = match after {
                0 => String::new(),
                1 => ", so the line after it would be read as part of it".to_string(),
                n => format!(", so the {n} lines after it would be read as part of it"),
            };
            diags.push(
                Diagnostic::new(
                    file,
                    at_byte(line, offset),
                    format!("a quote in this row is never closed{lines}"),
                )
                .with_hint(Some(
                    "close the quote; a quote inside a quoted field is written twice (`\"\"`)"
                        .into(),
                ))
                .with_source(text),
            );
        }
        (None, Some(d)) => diags.push(d),
        (None, None) => {}
    }
}

/// Whether a line ends in a bare `\r` (classic Mac), which the CSV reader
/// takes as a line end and a split at `\n` would not.
fn has_bare_cr(bytes: &[u8]) -> bool {
    bytes.contains(&b'\r')
        && bytes
            .iter()
            .enumerate()
            .any(|(i, b)| *b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// One row's fields: from the CSV reader, or split at commas when the
/// file has no quote to unescape.
#[derive(Clone, Copy)]
enum Fields<'r, 't> {
    Csv(&'r csv::ByteRecord),
    Split(&'r [&'t [u8]]),
}

impl Fields<'_, '_> {
    fn len(self) -> usize {
        match self {
            Fields::Csv(r) => r.len(),
            Fields::Split(f) => f.len(),
        }
    }

    fn get(&self, i: usize) -> Option<&[u8]> {
        match self {
            Fields::Csv(r) => r.get(i),
            Fields::Split(f) => f.get(i).copied(),
        }
    }

    fn is_blank(self) -> bool {
        match self {
            Fields::Csv(r) => r.as_slice().iter().all(u8::is_ascii_whitespace),
            Fields::Split(f) => f.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)),
        }
    }
}

/// What the reader does after a row.
enum Step {
    Next,
    Stop,
    /// The row's quoted field ran over this many lines that look like rows.
    Swallowed(usize),
}

/// The number of lines that look like rows (`YYYY-MM-DD,...`) inside a
/// field that spans lines: a quote opened in one row and closed in a later
/// one swallows the rows between.
fn swallowed_rows(record: &csv::ByteRecord) -> Option<usize> {
    let looks_like_row = |l: &[u8]| {
        let l = l.strip_prefix(b"\r").unwrap_or(l);
        l.len() > 11
            && l[..10].iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
            && l[10] == b','
    };
    // A field spans lines only if it holds a line break: one look at all
    // the fields settles it for almost every row.
    if !record.as_slice().contains(&b'\n') {
        return None;
    }
    let n: usize = record
        .iter()
        .filter(|f| f.contains(&b'\n'))
        .map(|f| {
            f.split(|c| *c == b'\n')
                .skip(1)
                .filter(|l| looks_like_row(l))
                .count()
        })
        .sum();
    (n > 0).then_some(n)
}

/// A JSON snapshot must be JSON: YAML would take a trailing comma or a
/// comment that a JSON tool then refuses.
pub fn check_json(file: &Path, text: &str) -> Option<Diagnostic> {
    let e = serde_json::from_str::<serde::de::IgnoredAny>(text).err()?;
    let (line, col) = (e.line(), e.column());
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let mut offset = (line_start
        + text[line_start.min(text.len())..]
            .chars()
            .take(col.saturating_sub(1))
            .map(char::len_utf8)
            .sum::<usize>())
    .min(text.len());
    let message = e.to_string();
    let mut message = message.split(" at line ").next().unwrap_or(&message);
    // serde_json calls `{"a": 1,}` a key that is not a string, and points
    // past the comma; point at the comma and call it what it is.
    let before = text[..offset].trim_end();
    if before.ends_with(',') && text[offset..].starts_with(['}', ']']) {
        message = "trailing comma";
        offset = before.len() - 1;
    }
    let line = text[..offset].matches('\n').count() as u64 + 1;
    let col = text[..offset]
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count()) as u64
        + 1;
    Some(
        Diagnostic::new(
            file,
            Some(Pos {
                line,
                col,
                offset,
                len: 1,
            }),
            format!("invalid JSON: {message}"),
        )
        .with_source(text),
    )
}

/// Read a YAML or JSON snapshot: `{date, values: {metric: value}}` (with
/// optional `source` and `note`), or a list of them.
pub fn snapshot_rows(map: &Roadmap, file: &Path, text: &str, diags: &mut Diagnostics) -> Vec<Row> {
    let root = match yaml::parse(text, file) {
        Ok(r) => r,
        Err(d) => {
            diags.push(*d);
            return Vec::new();
        }
    };
    let mut ctx = Ctx::new(file, text, diags);
    let mut rows = Vec::new();
    match &root.kind {
        Kind::Seq(items) => {
            for s in items {
                snapshot(map, &mut ctx, s, &mut rows);
            }
        }
        _ => snapshot(map, &mut ctx, &root, &mut rows),
    }
    rows
}

/// The keys of a snapshot (in a snapshot file, or a rule test's `values`).
pub(super) const SNAPSHOT_KEYS: &[&str] = &["date", "values", "source", "note"];

pub(super) fn snapshot(map: &Roadmap, ctx: &mut Ctx, node: &Node, rows: &mut Vec<Row>) {
    let Some(f) = ctx.fields(node, "a snapshot", SNAPSHOT_KEYS) else {
        return;
    };
    let date = f.req(ctx, "date").and_then(|n| ctx.date(n, "date"));
    let source: Option<Arc<str>> = f
        .get("source")
        .and_then(|n| ctx.text(n, "source"))
        .map(Arc::from);
    let note: Option<Arc<str>> = f
        .get("note")
        .and_then(|n| ctx.text(n, "note"))
        .map(Arc::from);
    let file: Arc<Path> = Arc::from(ctx.file.as_path());
    let Some(values) = f.req(ctx, "values") else {
        return;
    };
    let Kind::Map(entries) = &values.kind else {
        ctx.error(
            values.pos,
            format!(
                "`values` should be a mapping of metric: value, found {}",
                values.describe()
            ),
            Some("e.g. `values: {cac: $140, revenue: $12K}`".into()),
        );
        return;
    };
    for (key, value) in entries {
        let Some(m) = map.metric(&key.name) else {
            let hint = suggest(&key.name, map.metrics.iter().map(|m| m.id.as_str()));
            ctx.error(key.pos, format!("unknown metric `{}`", key.name), hint);
            continue;
        };
        let Some(text) = ctx.text(value, &key.name) else {
            continue;
        };
        let parsed = match parse_value(&text, map.metrics[m].unit) {
            Ok(v) => v,
            Err(e) => {
                ctx.error(
                    value.pos,
                    format!("value of `{}`: {}", key.name, e.message),
                    e.hint,
                );
                continue;
            }
        };
        if let Some(why) = map.metrics[m].out_of_range(parsed) {
            ctx.error(value.pos, format!("value of `{}`: {why}", key.name), None);
            continue;
        }
        if let Some(date) = date {
            rows.push(Row {
                date,
                metric: m,
                value: parsed,
                replaces: None,
                source: source.clone(),
                note: note.clone(),
                file: Arc::clone(&file),
                pos: Some(value.pos),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bakery() -> Roadmap {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bakery");
        crate::load::load(&dir).expect("the bundled plan loads")
    }

    /// A plan folder holding the bakery's files and `metrics` as its
    /// history.
    fn with_history(metrics: &str) -> (tempfile::TempDir, Roadmap) {
        let dir = tempfile::tempdir().unwrap();
        let bakery = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bakery");
        for f in std::fs::read_dir(&bakery).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
        }
        std::fs::write(dir.path().join(METRICS_FILE), metrics).unwrap();
        let map = crate::load::load(dir.path()).unwrap();
        (dir, map)
    }

    #[test]
    fn stored_rows_keep_each_rows_source_and_note_and_agree_with_the_history() {
        let (_dir, map) = with_history(
            "date,metric,value,source,note,replaces\n\
             2026-02-01,customers,5,till,,\n\
             2026-01-01,customers,3,till,first day,\n\
             2026-01-01,customers,4,ana,miscounted,3\n\
             2026-01-01,customers,4,till,,\n\
             2026-01-02,waste,2,,,\n",
        );
        let stored = read(&map).unwrap();
        let shown: Vec<(u64, &str, Option<&str>, Option<&str>)> = stored
            .rows
            .iter()
            .map(|r| {
                (
                    r.line(),
                    map.metrics[r.metric].id.as_str(),
                    r.source.as_deref(),
                    r.note.as_deref(),
                )
            })
            .collect();
        // The corrected value is in force, from its last row (line 5); the
        // value it replaced (line 3) and the correction's own row (line 4)
        // are not stored twice.
        assert_eq!(
            shown,
            [
                (2, "customers", Some("till"), None),
                (5, "customers", Some("till"), None),
                (6, "waste", None, None),
            ]
        );
        let c = map.metric("customers").unwrap();
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(
            stored
                .superseded
                .contains(&(c, day("2026-01-01"), 3f64.to_bits()))
        );
        // The history says the same, in date order.
        let h = history(&map).unwrap();
        let values: Vec<(NaiveDate, f64)> = h.series(c).iter().map(|p| (p.date, p.value)).collect();
        assert_eq!(values, [(day("2026-01-01"), 4.0), (day("2026-02-01"), 5.0)]);
        assert_eq!(h.len(), stored.rows.len());
    }

    #[test]
    fn a_conflict_fails_reading_the_history_as_it_fails_storing() {
        let (_dir, map) =
            with_history("date,metric,value\n2026-01-01,customers,3\n2026-01-01,customers,4\n");
        let (Err(Error::Invalid(a)), Err(Error::Invalid(b))) = (read(&map), history(&map)) else {
            panic!("a value recorded twice differently is an error");
        };
        assert_eq!(a, b);
        assert_eq!(a.0.len(), 1);
        assert!(
            a.0[0].message.contains("recorded twice"),
            "{}",
            a.0[0].message
        );
        assert_eq!(a.0[0].pos.map(|p| p.line), Some(3));
    }

    /// The resolution as it was before it was folded into the history's
    /// sort: sort (metric, date, index) keys, resolve each key's rows, then
    /// build the history with a second sort of every series.
    fn two_pass(
        map: &Roadmap,
        rows: &[(usize, Entry)],
        file: &Path,
        diags: &mut Diagnostics,
    ) -> (Vec<u32>, HashSet<(usize, NaiveDate, u64)>, History) {
        let mut keys: Vec<(usize, NaiveDate, usize)> = rows
            .iter()
            .enumerate()
            .map(|(i, (m, e))| (*m, e.date, i))
            .collect();
        keys.sort_unstable();
        let mut keep = vec![true; rows.len()];
        let mut superseded = HashSet::new();
        let mut found = 0;
        let mut start = 0;
        while start < keys.len() {
            let (metric, date, _) = keys[start];
            let mut end = start + 1;
            while end < keys.len() && (keys[end].0, keys[end].1) == (metric, date) {
                end += 1;
            }
            let group: Vec<usize> = keys[start..end].iter().map(|k| k.2).collect();
            start = end;
            let replaced: HashSet<u64> = group
                .iter()
                .filter_map(|&i| rows[i].1.replaces().map(f64::to_bits))
                .collect();
            let mut heads: Vec<usize> = Vec::new();
            for &i in &group {
                let bits = rows[i].1.value.to_bits();
                if replaced.contains(&bits) {
                    continue;
                }
                match heads
                    .iter()
                    .position(|&h| rows[h].1.value.to_bits() == bits)
                {
                    Some(k) => heads[k] = i,
                    None => heads.push(i),
                }
            }
            let winner = match heads.as_slice() {
                [one] => *one,
                [] => *group
                    .iter()
                    .rfind(|&&i| rows[i].1.replaces().is_some())
                    .unwrap(),
                [a, b, ..] => {
                    found += 1;
                    if found <= MAX_ROW_ERRORS {
                        diags.push(conflict(map, metric, &rows[*a].1, &rows[*b].1, file));
                    } else if found == MAX_ROW_ERRORS + 1 {
                        diags.push(Diagnostic::new(
                            file,
                            None,
                            format!("more values recorded twice; stopped after {MAX_ROW_ERRORS}"),
                        ));
                    }
                    continue;
                }
            };
            for &i in &group {
                keep[i] = i == winner;
                if i != winner {
                    superseded.insert((metric, date, rows[i].1.value.to_bits()));
                }
            }
            superseded.remove(&(metric, date, rows[winner].1.value.to_bits()));
        }
        let dropped = (0..rows.len() as u32)
            .filter(|&i| !keep[i as usize])
            .collect();
        let history = History::new(
            map.metrics.len(),
            rows.iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|((m, e), _)| {
                    (
                        *m,
                        Point {
                            date: e.date,
                            value: e.value,
                        },
                    )
                }),
        );
        (dropped, superseded, history)
    }

    /// Rows on few metrics, dates and values, so that repeats, conflicts
    /// and corrections (chains, and back to an earlier value) are common.
    fn rows() -> impl Strategy<Value = Vec<(usize, u32, u8, Option<u8>)>> {
        prop::collection::vec(
            (
                0usize..3,
                0u32..4,
                0u8..4,
                prop::option::weighted(0.3, 0u8..4),
            ),
            0..40,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn one_sort_resolves_as_the_two_passes_did(raw in rows()) {
            let map = bakery();
            let file = Path::new("metrics.csv");
            let start: NaiveDate = "2026-01-01".parse().unwrap();
            let rows: Vec<(usize, Entry)> = raw
                .iter()
                .enumerate()
                .map(|(i, &(m, day, v, r))| {
                    (m, Entry::new(
                        start + chrono::Days::new(u64::from(day)),
                        f64::from(v),
                        r.map(f64::from),
                        i as u64 + 2,
                        i as u32,
                    ))
                })
                .collect();
            let mut old_diags = Diagnostics::default();
            let (old_dropped, old_superseded, old_history) =
                two_pass(&map, &rows, file, &mut old_diags);
            let mut series = vec![Vec::new(); map.metrics.len()];
            for (m, e) in &rows {
                series[*m].push(*e);
            }
            let mut diags = Diagnostics::default();
            let mut new = resolve(&map, series, Vec::new(), file, &mut diags);
            new.dropped.sort_unstable();
            prop_assert_eq!(&diags, &old_diags);
            if old_diags.is_empty() {
                prop_assert_eq!(new.dropped, old_dropped);
                prop_assert_eq!(new.superseded, old_superseded);
                prop_assert_eq!(History::from_series(new.series), old_history);
            }
        }
    }

    /// Lines of a CSV file without quotes: good rows, blank and empty
    /// lines, unknown metrics, bad dates and values, extra fields,
    /// padding, and either line ending.
    fn unquoted() -> impl Strategy<Value = (Vec<String>, bool, bool)> {
        let line = prop_oneof![
            4 => (0usize..3, 1u32..29, 0u32..200).prop_map(|(m, d, v)| {
                let id = ["customers", "avg_ticket", "nope"][m];
                format!("2026-02-{d:02},{id},{v}")
            }),
            1 => Just(String::new()),
            1 => Just("  ".to_string()),
            1 => Just(",,".to_string()),
            1 => Just("2026-02-30,customers,1".to_string()),
            1 => Just("2026-02-01, customers ,  7 ,till, a note".to_string()),
            1 => Just("2026-02-01,customers,7,till,a,b,c".to_string()),
            1 => Just("2026-02-01,customers,seven".to_string()),
            1 => Just("2026-2-1,customers,7".to_string()),
            1 => Just("2026-02-03,customers,8,,,7".to_string()),
        ];
        (
            prop::collection::vec(line, 0..30),
            any::<bool>(),
            any::<bool>(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Splitting at commas reads every row, good or bad, as the CSV
        /// reader does: the same entries, lines, sources and messages.
        #[test]
        fn split_rows_read_as_the_csv_reader_does((lines, crlf, newline_at_end) in unquoted()) {
            let map = bakery();
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = ["date,metric,value,source,note,replaces".to_string()]
                .into_iter()
                .chain(lines)
                .collect::<Vec<_>>()
                .join(eol);
            if newline_at_end {
                text.push_str(eol);
            }
            let read = |split: Split| {
                let mut diags = Diagnostics::default();
                let mut got = Vec::new();
                read_rows(&map, Path::new("m.csv"), &text, true, true, split, &mut diags, |m, e, s, n| {
                    got.push((m, e, s.to_string(), n.to_string()));
                });
                (got, diags)
            };
            prop_assert_eq!(read(Split::Whole), read(Split::No));
        }
    }

    /// A history over a megabyte: every bakery metric daily for years,
    /// with corrections and repeats spread through it.
    fn long_history() -> String {
        let map = bakery();
        let start: NaiveDate = "2020-01-01".parse().unwrap();
        let mut text = String::from("date,metric,value,source,note,replaces\n");
        let mut day = 0;
        while text.len() < 1_300_000 {
            let date = start + chrono::Days::new(day);
            for (i, m) in map.metrics.iter().enumerate() {
                let v = (day as usize * 7 + i) % 5;
                text.push_str(&format!("{date},{},{v},gen,\n", m.id));
                if day % 97 == 0 {
                    // A correction, and a repeat that a merge can leave.
                    text.push_str(&format!("{date},{},{},fix,,{v}\n", m.id, (v + 1) % 5));
                    text.push_str(&format!("{date},{},{},fix,,{v}\n", m.id, (v + 1) % 5));
                }
            }
            day += 1;
        }
        text
    }

    fn one_pass(map: &Roadmap, text: &str) -> (Vec<Vec<Entry>>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let mut series = vec![Vec::new(); map.metrics.len()];
        rows_of(
            map,
            Path::new("m.csv"),
            text,
            true,
            false,
            &mut diags,
            |m, e, _, _| series[m].push(e),
        );
        (series, diags)
    }

    #[test]
    fn a_long_history_read_in_halves_is_the_history_read_in_one_pass() {
        let map = bakery();
        let text = long_history();
        let (series, diags) = one_pass(&map, &text);
        assert!(diags.is_empty());
        for text in [
            text.clone(),
            format!("\u{feff}{}", text.replace('\n', "\r\n")),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(METRICS_FILE);
            std::fs::write(&path, &text).unwrap();
            let (first, second) =
                in_halves(&map, &path, Path::new("m.csv")).expect("read in halves");
            assert!(second.iter().any(|s| !s.is_empty()));
            let halves: Vec<Vec<Entry>> = first
                .into_iter()
                .zip(second)
                .map(|(a, b)| a.into_iter().chain(b).collect())
                .collect();
            assert_eq!(halves, series);
        }
        // Lines and indices run on across the cut and the chunks.
        let all: Vec<&Entry> = series.iter().flatten().collect();
        let mut lines: Vec<u64> = all.iter().map(|e| u64::from(e.line)).collect();
        lines.sort_unstable();
        assert_eq!(lines, (2..2 + all.len() as u64).collect::<Vec<_>>());
        let mut indices: Vec<u32> = all.iter().map(|e| e.index).collect();
        indices.sort_unstable();
        assert_eq!(indices, (0..all.len() as u32).collect::<Vec<_>>());
    }

    #[test]
    fn a_long_history_with_a_bad_row_a_quote_or_a_bare_cr_is_read_in_one_pass() {
        let map = bakery();
        let text = long_history();
        let cut = text.len() * 3 / 4;
        let cut = cut + text[cut..].find('\n').unwrap() + 1;
        let bad = format!("{}2026-01-01,nope,1,,\n{}", &text[..cut], &text[cut..]);
        assert_eq!(one_pass(&map, &bad).1.len(), 1);
        let quoted = format!("{text}2026-01-01,customers,1,,\"a, b\"\n");
        let bare_cr = format!("{text}2026-01-01,customers,1,,\r");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(METRICS_FILE);
        for text in [bad.as_str(), &quoted, &bare_cr, &text[..100_000]] {
            std::fs::write(&path, text).unwrap();
            assert_eq!(in_halves(&map, &path, Path::new("m.csv")), None);
        }
    }

    #[test]
    fn sources_and_notes_read_as_written_whether_shared_or_not() {
        let map = bakery();
        let text = "date,metric,value,source,note\n\
                    2026-01-01,customers,1,till,\n\
                    2026-01-02,customers,2,till,busy\n\
                    2026-01-03,customers,3, ana ,busy\n\
                    2026-01-04,customers,4,,\n";
        let mut diags = Diagnostics::default();
        let rows = csv_rows(&map, Path::new("in.csv"), text, &mut diags);
        assert!(diags.is_empty());
        let texts: Vec<(Option<&str>, Option<&str>)> = rows
            .iter()
            .map(|r| (r.source.as_deref(), r.note.as_deref()))
            .collect();
        assert_eq!(
            texts,
            [
                (Some("till"), None),
                (Some("till"), Some("busy")),
                (Some("ana"), Some("busy")),
                (None, None),
            ]
        );
        assert!(rows.iter().all(|r| &*r.file == Path::new("in.csv")));
    }
}
