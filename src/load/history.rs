//! Metric values: the stored history (`metrics.csv`) and snapshot files
//! given to `roadmap ingest` (YAML, JSON or CSV), both read into rows that
//! name a known metric, a real date and a value in the metric's unit.
//!
//! History is CSV, not YAML: it grows without bound, CSV parses about ten
//! times faster, and append-only lines merge cleanly in git (with
//! `merge=union` in `.gitattributes`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use super::decode::{Ctx, parse_date};
use super::yaml::{self, Kind, Node};
use crate::diag::{Diagnostic, Diagnostics, Pos, display_path, suggest};
use crate::error::{Error, Result};
use crate::model::Roadmap;
use crate::model::history::{History, Point};
use crate::model::quantity::parse_value;

/// The history file inside the roadmap folder.
pub const METRICS_FILE: &str = "metrics.csv";
/// A file with more bad rows than this is not worth reading on: one
/// problem repeated (a wrong column, a wrong unit) is enough to fix.
const MAX_ROW_ERRORS: usize = 100;
/// Its columns; `source` and `note` may be empty.
pub const COLUMNS: [&str; 5] = ["date", "metric", "value", "source", "note"];

/// One metric value, from the history file or an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub date: NaiveDate,
    pub metric: usize,
    /// Canonical value in the metric's unit.
    pub value: f64,
    pub source: Option<String>,
    pub note: Option<String>,
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

/// The history file as stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub path: PathBuf,
    /// The file's text; None when it does not exist yet.
    pub text: Option<String>,
    pub rows: Vec<Row>,
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

/// Read `metrics.csv` of the roadmap (an absent file is an empty history).
pub fn read(map: &Roadmap) -> Result<Stored> {
    let path = map.dir.join(METRICS_FILE);
    let shown = display_path(&path);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Stored {
                path,
                text: None,
                rows: Vec::new(),
            });
        }
        Err(e) => return Err(Error::io(shown, e)),
    };
    let mut diags = Diagnostics::default();
    let rows = csv_rows(map, &shown, &text, &mut diags);
    conflicts(map, &rows, &shown, &mut diags);
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    Ok(Stored {
        path,
        text: Some(text),
        rows,
    })
}

/// The history as of the stored file.
pub fn history(map: &Roadmap) -> Result<History> {
    Ok(read(map)?.history(map.metrics.len()))
}

/// Two rows for the same metric and date with different values (e.g. after
/// two branches recorded different values and git merged both lines).
/// Sorting finds them without hashing a million keys.
fn conflicts(map: &Roadmap, rows: &[Row], file: &Path, diags: &mut Diagnostics) {
    // The row index breaks ties, so the first of two equal keys is the
    // earlier line; sorting the keys themselves keeps it cache-friendly.
    let mut keys: Vec<(usize, NaiveDate, usize)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.metric, r.date, i))
        .collect();
    keys.sort_unstable();
    let mut found = 0;
    for pair in keys.windows(2) {
        let (first, r) = (&rows[pair[0].2], &rows[pair[1].2]);
        if (first.metric, first.date) == (r.metric, r.date) && first.value != r.value {
            found += 1;
            if found > MAX_ROW_ERRORS {
                diags.push(Diagnostic::new(
                    file,
                    None,
                    format!("more values recorded twice; stopped after {MAX_ROW_ERRORS}"),
                ));
                return;
            }
            diags.push(
                Diagnostic::new(
                    file,
                    r.pos,
                    format!(
                        "`{}` on {} is recorded twice with different values: {} (line {}) and {}",
                        map.metrics[r.metric].id,
                        r.date,
                        first.value,
                        first.line(),
                        r.value
                    ),
                )
                .with_hint(Some(
                    "delete the wrong line (this often follows a git merge)".into(),
                )),
            );
        }
    }
}

/// Read CSV rows with the columns `date,metric,value[,source][,note]`,
/// reporting every bad row at its line.
pub fn csv_rows(map: &Roadmap, file: &Path, text: &str, diags: &mut Diagnostics) -> Vec<Row> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
    let mut index = [None; 5];
    for (i, name) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(name).trim().to_string();
        match COLUMNS.iter().position(|c| *c == name) {
            Some(c) => index[c] = Some(i),
            None => diags.push(
                Diagnostic::new(file, at(1), format!("unknown column `{name}`")).with_hint(
                    suggest(&name, COLUMNS)
                        .or_else(|| Some(format!("the columns are {}", COLUMNS.join(",")))),
                ),
            ),
        }
    }
    let (Some(date_i), Some(metric_i), Some(value_i)) = (index[0], index[1], index[2]) else {
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
        let field = |i: Option<usize>| -> &str {
            i.and_then(|i| record.get(i))
                .and_then(|b| std::str::from_utf8(b).ok())
                .map_or("", str::trim)
        };
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
        let raw = field(Some(value_i));
        let value = metric.and_then(|m| {
            // Stored values are plain numbers: take the fast path first.
            raw.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .or_else(|| match parse_value(raw, map.metrics[m].unit) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        bad(
                            format!("value of `{}`: {}", map.metrics[m].id, e.message),
                            e.hint,
                        );
                        None
                    }
                })
        });
        if let (Some(date), Some(metric), Some(value)) = (date, metric, value) {
            let opt = |i| Some(field(i).to_string()).filter(|s| !s.is_empty());
            rows.push(Row {
                date,
                metric,
                value,
                source: opt(index[3]),
                note: opt(index[4]),
                file: Arc::clone(&shared),
                pos: at(line),
            });
        }
    }
    rows
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

pub(super) fn snapshot(map: &Roadmap, ctx: &mut Ctx, node: &Node, rows: &mut Vec<Row>) {
    const KEYS: &[&str] = &["date", "values", "source", "note"];
    let Some(f) = ctx.fields(node, "a snapshot", KEYS) else {
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
        if let Some(date) = date {
            rows.push(Row {
                date,
                metric: m,
                value: parsed,
                source: source.clone(),
                note: note.clone(),
                file: Arc::from(ctx.file.as_path()),
                pos: Some(value.pos),
            });
        }
    }
}
