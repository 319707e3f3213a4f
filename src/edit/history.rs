//! Adding metric values to `metrics.csv`: decide what is new, what is
//! already there, and what conflicts; then write the file atomically.
//! New values are appended, so in git they show as added lines.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::write::write_atomic;
use crate::diag::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::history::{COLUMNS, Row, Stored};
use crate::model::Roadmap;

/// What storing a set of values would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Values not recorded before.
    pub added: Vec<Row>,
    /// Values already recorded with the same value: nothing to do.
    pub unchanged: Vec<Row>,
    /// (stored, incoming) pairs with different values, replaced because
    /// `--replace` was given.
    pub replaced: Vec<(Row, Row)>,
}

impl Plan {
    pub fn changes(&self) -> bool {
        !self.added.is_empty() || !self.replaced.is_empty()
    }
}

/// Compare incoming values with the stored ones. A value that differs from
/// a stored one (or from another incoming one for the same metric and date)
/// is an error unless `replace`; every such error is reported.
pub fn plan(map: &Roadmap, stored: &Stored, incoming: Vec<Row>, replace: bool) -> Result<Plan> {
    let mut have: HashMap<(usize, NaiveDate), &Row> = HashMap::with_capacity(stored.rows.len());
    for r in &stored.rows {
        have.insert((r.metric, r.date), r);
    }
    let mut diags = Diagnostics::default();
    let mut plan = Plan::default();
    let mut fresh: HashMap<(usize, NaiveDate), Row> = HashMap::new();
    for row in incoming {
        let key = (row.metric, row.date);
        let id = &map.metrics[row.metric].id;
        if let Some(first) = fresh.get(&key) {
            if first.value != row.value {
                diags.push(
                    Diagnostic::new(
                        &*row.file,
                        row.pos,
                        format!(
                            "`{id}` on {} is given twice: {} at {} and {} here",
                            row.date,
                            first.value,
                            first.origin(),
                            row.value
                        ),
                    )
                    .with_hint(Some("keep one of the two".into())),
                );
            } else {
                plan.unchanged.push(row);
            }
            continue;
        }
        match have.get(&key) {
            Some(old) if old.value == row.value => plan.unchanged.push(row),
            Some(old) if replace => {
                plan.replaced.push(((*old).clone(), row.clone()));
                fresh.insert(key, row);
            }
            Some(old) => diags.push(
                Diagnostic::new(
                    &*row.file,
                    row.pos,
                    format!(
                        "`{id}` on {} is already recorded as {} ({}); this says {}",
                        row.date,
                        old.value,
                        old.origin(),
                        row.value
                    ),
                )
                .with_hint(Some(
                    "pass --replace to overwrite the recorded value".into(),
                )),
            ),
            None => {
                plan.added.push(row.clone());
                fresh.insert(key, row);
            }
        }
    }
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    Ok(plan)
}

/// Write the plan: replaced rows leave their old line, new rows are
/// appended. Creates the file (and a `.gitattributes` with `merge=union`
/// for it, when the folder has none) on first use.
pub fn apply(map: &Roadmap, stored: &Stored, plan: &Plan) -> Result<()> {
    if !plan.changes() {
        return Ok(());
    }
    let mut text = stored.text.clone().unwrap_or_default();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if text.trim().is_empty() {
        text = format!("{}{eol}", COLUMNS.join(","));
    }
    if !plan.replaced.is_empty() {
        let drop: Vec<(usize, NaiveDate)> = plan
            .replaced
            .iter()
            .map(|(old, _)| (old.metric, old.date))
            .collect();
        let lines: Vec<u64> = stored
            .rows
            .iter()
            .filter(|r| drop.contains(&(r.metric, r.date)))
            .map(Row::line)
            .collect();
        for span in record_spans(&text, &lines).into_iter().rev() {
            text.replace_range(span, "");
        }
    }
    if !text.ends_with('\n') {
        text.push_str(eol);
    }
    // The file's own column order (`read` accepts any order).
    let columns = header(&text);
    let new_rows = plan
        .added
        .iter()
        .chain(plan.replaced.iter().map(|(_, new)| new));
    for row in new_rows {
        text.push_str(&csv_line(map, row, &columns, &stored.path)?);
        text.push_str(eol);
    }
    let first_time = stored.text.is_none();
    write_atomic(&stored.path, text.as_bytes())?;
    if first_time {
        ensure_union_merge(&map.dir)?;
    }
    Ok(())
}

/// The byte ranges, line break included, of the records of the CSV `text`
/// that start on one of `lines`. A record spans several lines when a quoted
/// field (a note) holds a line break, so it cannot be cut line by line.
fn record_spans(text: &str, lines: &[u64]) -> Vec<std::ops::Range<usize>> {
    // Read as `csv_rows` does.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(&text.as_bytes()[bom..]);
    let mut record = csv::ByteRecord::new();
    let mut spans = Vec::new();
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let Some(start) = record.position() else {
            continue;
        };
        // The csv reader's position is where it began looking for the
        // record: before any blank lines, which stay. A row's line may be
        // counted either way; the ranges of two records never overlap.
        let mut from = bom + start.byte() as usize;
        let mut line = start.line();
        while let Some(rest) = text.get(from..) {
            match rest.as_bytes() {
                [b'\n', ..] => from += 1,
                [b'\r', b'\n', ..] => from += 2,
                _ => break,
            }
            line += 1;
        }
        if lines.iter().any(|l| (start.line()..=line).contains(l)) {
            spans.push(from..bom + reader.position().byte() as usize);
        }
    }
    spans
}

/// The columns of the CSV `text`, as indexes into [`COLUMNS`]. `read`
/// has checked the header, so every name is known.
fn header(text: &str) -> Vec<usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record
            .iter()
            .filter_map(|name| COLUMNS.iter().position(|c| *c == name.trim()))
            .collect(),
        _ => (0..COLUMNS.len()).collect(),
    }
}

/// One CSV line (without line break) with the fields in the order of
/// `columns`, quoting fields that need it. A source or note the file has
/// no column for is an error rather than lost.
fn csv_line(map: &Roadmap, row: &Row, columns: &[usize], path: &Path) -> Result<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let date = row.date.to_string();
    let value = row.value.to_string();
    let fields = [
        date.as_str(),
        map.metrics[row.metric].id.as_str(),
        value.as_str(),
        row.source.as_deref().unwrap_or(""),
        row.note.as_deref().unwrap_or(""),
    ];
    if let Some(missing) =
        (0..COLUMNS.len()).find(|c| !columns.contains(c) && !fields[*c].is_empty())
    {
        let (file, column) = (crate::diag::display_path(path), COLUMNS[missing]);
        return Err(Error::usage(
            format!(
                "{} has no `{column}` column, so the {column} given at {} cannot be stored",
                file.display(),
                row.origin()
            ),
            Some(format!(
                "add `{column}` to the header line of {}, or leave it out of the input",
                file.display()
            )),
        ));
    }
    // Writing to a Vec cannot fail.
    let _ = w.write_record(columns.iter().map(|&c| fields[c]));
    let bytes = w.into_inner().unwrap_or_default();
    Ok(String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string())
}

/// Two branches that both append values should merge without conflict:
/// mark the history file `merge=union`, adding the line to an existing
/// `.gitattributes` that says nothing about it yet.
fn ensure_union_merge(dir: &Path) -> Result<()> {
    let path = dir.join(".gitattributes");
    let file = crate::load::history::METRICS_FILE;
    let line = format!("{file} merge=union");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) if t.lines().any(|l| l.split_whitespace().next() == Some(file)) => return Ok(()),
        Ok(t) if t.is_empty() || t.ends_with('\n') => format!("{t}{line}\n"),
        Ok(t) => format!("{t}\n{line}\n"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!("{line}\n"),
        Err(e) => return Err(crate::error::Error::io(&path, e)),
    };
    write_atomic(&path, text.as_bytes())
}
