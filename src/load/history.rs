//! Metric values: the stored history (`metrics.csv`) and snapshot files
//! given to `roadmap ingest` (YAML, JSON or CSV), both read into rows that
//! name a known metric, a real date and a value in the metric's unit.
//!
//! History is CSV, not YAML: it grows without bound, CSV parses about ten
//! times faster, and append-only lines merge cleanly in git (with
//! `merge=union` in `.gitattributes`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

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

impl Stored {
    pub fn history(&self, metrics: usize) -> History {
        History::new(
            metrics,
            self.rows.iter().map(|r| {
                (
                    r.metric,
                    Point {
                        date: r.date,
                        value: r.value,
                    },
                )
            }),
        )
    }
}

/// Read `metrics.csv` of the roadmap (an absent or empty file is an empty
/// history).
pub fn read(map: &Roadmap) -> Result<Stored> {
    let path = map.dir.join(METRICS_FILE);
    let shown = display_path(&path);
    let empty = |text| Stored {
        path: path.clone(),
        text,
        rows: Vec::new(),
        superseded: HashSet::new(),
    };
    let text = match super::read_text(&path, &shown) {
        Ok(Some(t)) => t,
        Ok(None) => return Ok(empty(None)),
        Err(e) => return Err(e),
    };
    // A file made with `touch`, or emptied by hand, holds no values yet.
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Ok(empty(Some(text)));
    }
    let mut diags = Diagnostics::default();
    let rows = rows_of(map, &shown, &text, true, &mut diags);
    let (rows, superseded) = resolve(map, rows, &shown, &mut diags);
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    Ok(Stored {
        path,
        text: Some(text),
        rows,
        superseded,
    })
}

/// The history as of the stored file.
pub fn history(map: &Roadmap) -> Result<History> {
    Ok(read(map)?.history(map.metrics.len()))
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
fn resolve(
    map: &Roadmap,
    rows: Vec<Row>,
    file: &Path,
    diags: &mut Diagnostics,
) -> (Vec<Row>, HashSet<(usize, NaiveDate, u64)>) {
    // The row index breaks ties, so a group is in file order; sorting the
    // keys themselves keeps it cache-friendly for a million rows.
    let mut keys: Vec<(usize, NaiveDate, usize)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.metric, r.date, i))
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
        // The usual key has one plain row: nothing to resolve, nothing to
        // allocate (a million of them is the whole history).
        if end - start == 1 && rows[keys[start].2].replaces.is_none() {
            start = end;
            continue;
        }
        let group: Vec<usize> = keys[start..end].iter().map(|k| k.2).collect();
        start = end;
        let replaced: HashSet<u64> = group
            .iter()
            .filter_map(|&i| rows[i].replaces.map(f64::to_bits))
            .collect();
        // The last row carrying each value in force, in file order.
        let mut heads: Vec<usize> = Vec::new();
        for &i in &group {
            let bits = rows[i].value.to_bits();
            if replaced.contains(&bits) {
                continue;
            }
            match heads.iter().position(|&h| rows[h].value.to_bits() == bits) {
                Some(k) => heads[k] = i,
                None => heads.push(i),
            }
        }
        let winner = match heads.as_slice() {
            [one] => *one,
            // Every value was replaced: corrected back to an earlier one.
            [] => *group
                .iter()
                .rfind(|&&i| rows[i].replaces.is_some())
                .expect("a replaced value implies a correction"),
            [a, b, ..] => {
                found += 1;
                if found <= MAX_ROW_ERRORS {
                    diags.push(conflict(map, &rows[*a], &rows[*b], file));
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
                superseded.insert((metric, date, rows[i].value.to_bits()));
            }
        }
        superseded.remove(&(metric, date, rows[winner].value.to_bits()));
    }
    // Without corrections or duplicates every row stands: keep the vector.
    if keep.iter().all(|k| *k) {
        return (rows, superseded);
    }
    let rows = rows
        .into_iter()
        .zip(keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect();
    (rows, superseded)
}

fn conflict(map: &Roadmap, first: &Row, second: &Row, file: &Path) -> Diagnostic {
    let id = &map.metrics[first.metric].id;
    let describe = |r: &Row| match r.replaces {
        Some(old) => format!("{} (line {}, correcting {old})", r.value, r.line()),
        None => format!("{} (line {})", r.value, r.line()),
    };
    let message = if first.replaces.is_none() && second.replaces.is_none() {
        format!(
            "`{id}` on {} is recorded twice with different values: {} (line {}) and {}",
            first.date,
            first.value,
            first.line(),
            second.value
        )
    } else {
        format!(
            "`{id}` on {} has two values in force: {} and {}",
            first.date,
            describe(first),
            describe(second)
        )
    };
    Diagnostic::new(file, second.pos, message).with_hint(Some(format!(
        "two branches recorded or corrected it differently (this often follows a git \
         merge); delete the line that is wrong (line {} or line {})",
        first.line(),
        second.line()
    )))
}

/// Read CSV rows of an input file with the columns
/// `date,metric,value[,source][,note]`, reporting every bad row at its
/// line.
pub fn csv_rows(map: &Roadmap, file: &Path, text: &str, diags: &mut Diagnostics) -> Vec<Row> {
    rows_of(map, file, text, false, diags)
}

/// Read CSV rows; the history file (`history`) may also have `replaces`.
fn rows_of(
    map: &Roadmap,
    file: &Path,
    text: &str,
    history: bool,
    diags: &mut Diagnostics,
) -> Vec<Row> {
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
            return Vec::new();
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
            return Vec::new();
        }
        diags.push(
            Diagnostic::new(
                file,
                at(1),
                "the CSV header must name `date`, `metric` and `value`",
            )
            .with_hint(Some(format!("start the file with `{}`", COLUMNS.join(",")))),
        );
        return Vec::new();
    };
    let ids: HashMap<&[u8], usize> = map
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_bytes(), i))
        .collect();
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    let before = diags.len();
    let shared: Arc<Path> = Arc::from(file);
    // Where the last record began (line, byte), for a quote left open.
    let mut last = None;
    // The reader counts `\n` only; a file whose lines end in a bare `\r`
    // (classic Mac) needs its own count, kept incremental so it stays
    // linear. Files without one (all but a few) skip it.
    let bytes = text.as_bytes();
    let bare_cr = bytes
        .iter()
        .enumerate()
        .any(|(i, b)| *b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
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
        if diags.len() - before >= MAX_ROW_ERRORS {
            diags.push(
                Diagnostic::new(
                    file,
                    at(line),
                    format!("more problems from here on; stopped after {MAX_ROW_ERRORS}"),
                )
                .with_hint(Some("fix these and run again".into())),
            );
            break;
        }
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
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
        if record.len() > header.len() {
            bad(
                format!(
                    "this row has {} fields, but the header names {} columns",
                    record.len(),
                    header.len()
                ),
                Some(
                    "a value or note that holds a comma must be quoted, e.g. \
                     `\"$55,000\"`, or written without it: `$55000`"
                        .into(),
                ),
            );
            continue;
        }
        if let Some(lines) = swallowed_rows(&record) {
            // Held back: for the last row, a quote that is never closed
            // (reported below) says the same thing better.
            swallowed = Some(
                Diagnostic::new(
                    file,
                    at_byte(line, offset),
                    match lines {
                        1 => "a quoted field that starts on this row runs over the next line, \
                              which looks like a row"
                            .to_string(),
                        n => format!(
                            "a quoted field that starts on this row runs over {n} lines that \
                             look like rows"
                        ),
                    },
                )
                .with_hint(Some(
                    "a quote is probably missing or extra; close it where the field ends".into(),
                ))
                .with_source(text),
            );
            continue;
        }
        let field = |i: Option<usize>| -> &str {
            i.and_then(|i| record.get(i))
                .and_then(|b| std::str::from_utf8(b).ok())
                .map_or("", str::trim)
        };
        let date = match parse_date(field(Some(date_i))) {
            Ok(d) => Some(d),
            Err(msg) => {
                bad(
                    format!("date: {msg}"),
                    Some("write dates as YYYY-MM-DD".into()),
                );
                None
            }
        };
        let metric_text = field(Some(metric_i));
        let metric = ids.get(metric_text.as_bytes()).copied();
        if metric.is_none() {
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
            let opt = |i| Some(field(i).to_string()).filter(|s| !s.is_empty());
            rows.push(Row {
                date,
                metric,
                value,
                replaces,
                source: opt(index[3]),
                note: opt(index[4]),
                file: Arc::clone(&shared),
                pos: at(line),
            });
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
    rows
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
    let source = f.get("source").and_then(|n| ctx.text(n, "source"));
    let note = f.get("note").and_then(|n| ctx.text(n, "note"));
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
                file: Arc::from(ctx.file.as_path()),
                pos: Some(value.pos),
            });
        }
    }
}
