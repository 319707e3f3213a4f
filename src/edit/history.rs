//! Adding metric values to `metrics.csv`: decide what is new, what is
//! already there, and what conflicts; then write the file atomically.
//! Every value is appended, corrections included, so in git a change is
//! added lines only and two branches merge cleanly with `merge=union`.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::history::{HISTORY_COLUMNS, Row, Stored};
use crate::model::Roadmap;

/// What storing a set of values would do. Each incoming row is kept once,
/// in the list it falls in: a million-row ingest must not hold its input
/// several times over.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Values not recorded before.
    pub added: Vec<Row>,
    /// Values already recorded with the same value: nothing to do, so only
    /// their metric and date are kept, for the summary of a large ingest.
    pub unchanged: Vec<(usize, NaiveDate)>,
    /// (stored, incoming) pairs with different values, replaced because
    /// `--replace` was given.
    pub replaced: Vec<(Row, Row)>,
}

impl Plan {
    pub fn changes(&self) -> bool {
        !self.added.is_empty() || !self.replaced.is_empty()
    }

    /// The incoming row a `Fresh` entry stands for.
    fn fresh(&self, at: Fresh) -> &Row {
        match at {
            Fresh::Added(i) => &self.added[i],
            Fresh::Replaced(i) => &self.replaced[i].1,
        }
    }
}

/// Where an incoming value that will be written sits in the [`Plan`], so
/// that a second value for its metric and date is compared with it
/// without a copy of the row.
#[derive(Debug, Clone, Copy)]
enum Fresh {
    Added(usize),
    Replaced(usize),
}

/// Compare incoming values with the stored ones. A value that differs from
/// a stored one (or from another incoming one for the same metric and date)
/// is an error unless `replace`; every such error is reported.
/// A value dated after `as_of` is refused, as `done` refuses work done in
/// the future: it would be judged as if it had happened.
pub fn plan(
    map: &Roadmap,
    stored: &Stored,
    incoming: Vec<Row>,
    replace: bool,
    as_of: NaiveDate,
) -> Result<Plan> {
    let mut have: HashMap<(usize, NaiveDate), &Row> = HashMap::with_capacity(stored.rows.len());
    for r in &stored.rows {
        have.insert((r.metric, r.date), r);
    }
    let mut diags = Diagnostics::default();
    let mut plan = Plan::default();
    let mut fresh: HashMap<(usize, NaiveDate), Fresh> = HashMap::with_capacity(incoming.len());
    for row in incoming {
        let key = (row.metric, row.date);
        let id = &map.metrics[row.metric].id;
        if row.date > as_of {
            diags.push(
                Diagnostic::new(
                    &*row.file,
                    row.pos,
                    format!(
                        "`{id}` is dated {}, after the as-of date, {as_of}",
                        row.date
                    ),
                )
                .with_hint(Some(
                    "record values once they are measured; to replay a past plan, pass --as-of \
                     too"
                    .into(),
                )),
            );
            continue;
        }
        if let Some(&at) = fresh.get(&key) {
            let first = plan.fresh(at);
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
                plan.unchanged.push(key);
            }
            continue;
        }
        match have.get(&key) {
            Some(old) if old.value == row.value => plan.unchanged.push(key),
            // An old value a correction has replaced (a snapshot ingested
            // again, say): the correction stands, unless told otherwise.
            Some(_)
                if !replace
                    && stored
                        .superseded
                        .contains(&(key.0, key.1, row.value.to_bits())) =>
            {
                plan.unchanged.push(key)
            }
            Some(old) if replace => {
                fresh.insert(key, Fresh::Replaced(plan.replaced.len()));
                plan.replaced.push(((*old).clone(), row));
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
                fresh.insert(key, Fresh::Added(plan.added.len()));
                plan.added.push(row);
            }
        }
    }
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    Ok(plan)
}

/// Write the plan: new rows and corrections are appended (a correction
/// names the value it replaces in a `replaces` column, added to the header
/// the first time one is needed). In the same all-or-nothing write, the
/// folder's `.gitattributes` gets `metrics.csv merge=union` if it has no
/// rule for the file: a hand-made history needs it as much as ours.
pub fn apply(map: &Roadmap, stored: &Stored, plan: &Plan) -> Result<()> {
    if !plan.changes() {
        return Ok(());
    }
    let mut text = stored.text.clone().unwrap_or_default();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        text = format!("{}{eol}", HISTORY_COLUMNS[..5].join(","));
    }
    let mut columns = header(&text);
    if !plan.replaced.is_empty() && !columns.contains(&5) {
        text = add_replaces_column(&text);
        columns.push(5);
    }
    if !text.ends_with('\n') {
        text.push_str(eol);
    }
    let new_rows = plan.added.iter().map(|r| (r, None)).chain(
        plan.replaced
            .iter()
            .map(|(old, new)| (new, Some(old.value))),
    );
    // One writer appends every line to the old bytes: a line per row in a
    // String of its own made a million-row ingest allocate millions of
    // times.
    let terminator = if eol == "\r\n" {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut old = text.into_bytes();
    old.reserve(plan.added.len().saturating_add(plan.replaced.len()) * 32);
    let mut w = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(old);
    for (row, replaces) in new_rows {
        csv_line(&mut w, map, row, replaces, &columns, &stored.path)?;
    }
    // Writing to a Vec cannot fail.
    let text = w.into_inner().unwrap_or_default();
    let mut changes = vec![(stored.path.clone(), text)];
    if let Some(attributes) = union_merge(&map.dir)? {
        changes.push(attributes);
    }
    super::write::commit(&map.dir, changes)
}

/// `text` with `,replaces` at the end of its header line.
fn add_replaces_column(text: &str) -> String {
    let end = text.find('\n').unwrap_or(text.len());
    let header_end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    format!("{},replaces{}", &text[..header_end], &text[header_end..])
}

/// The columns of the CSV `text`, as indexes into [`HISTORY_COLUMNS`].
/// `read` has checked the header, so every name is known.
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
            .filter_map(|name| HISTORY_COLUMNS.iter().position(|c| *c == name.trim()))
            .collect(),
        _ => (0..5).collect(),
    }
}

/// Write one CSV line (with its line break) with the fields in the
/// order of `columns`, quoting fields that need it. A source or note the
/// file has no column for is an error rather than lost.
fn csv_line(
    w: &mut csv::Writer<Vec<u8>>,
    map: &Roadmap,
    row: &Row,
    replaces: Option<f64>,
    columns: &[usize],
    path: &Path,
) -> Result<()> {
    let date = row.date.to_string();
    let value = row.value.to_string();
    let replaces = replaces.map(|v| v.to_string()).unwrap_or_default();
    let fields = [
        date.as_str(),
        map.metrics[row.metric].id.as_str(),
        value.as_str(),
        row.source.as_deref().unwrap_or(""),
        row.note.as_deref().unwrap_or(""),
        replaces.as_str(),
    ];
    if let Some(missing) =
        (0..HISTORY_COLUMNS.len()).find(|c| !columns.contains(c) && !fields[*c].is_empty())
    {
        let (file, column) = (crate::diag::display_path(path), HISTORY_COLUMNS[missing]);
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
    Ok(())
}

/// Two branches that both append values should merge without conflict:
/// the new `.gitattributes` (path and text) that marks the history file
/// `merge=union`, or None when it already has a rule for the file (ours, or
/// one the user chose).
fn union_merge(dir: &Path) -> Result<Option<(std::path::PathBuf, Vec<u8>)>> {
    let path = dir.join(".gitattributes");
    let file = crate::load::history::METRICS_FILE;
    let line = format!("{file} merge=union");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) if t.lines().any(|l| l.split_whitespace().next() == Some(file)) => return Ok(None),
        Ok(t) if t.is_empty() || t.ends_with('\n') => format!("{t}{line}\n"),
        Ok(t) => format!("{t}\n{line}\n"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!("{line}\n"),
        Err(e) => return Err(Error::io(crate::diag::display_path(&path), e)),
    };
    Ok(Some((path, text.into_bytes())))
}
