//! Adding metric values to `metrics.csv`: decide what is new, what is
//! already there, and what conflicts; then write the file atomically.
//! Every value is appended, corrections included, so in git a change is
//! added lines only and two branches merge cleanly with `merge=union`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::BuildHasherDefault;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::diag::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::history::{HISTORY_COLUMNS, Row, Stored};
use crate::model::Roadmap;

/// What storing a set of values would do. The incoming rows are kept
/// once, in input order, and the plan sorts them by index: a million-row
/// ingest must not hold its input several times over.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The incoming rows.
    rows: Vec<Row>,
    /// Values not recorded before.
    added: Vec<usize>,
    /// Values already recorded with the same value: nothing to do.
    unchanged: Vec<usize>,
    /// (stored, incoming) pairs with different values, replaced because
    /// `--replace` was given.
    replaced: Vec<(Row, usize)>,
}

impl Plan {
    pub fn changes(&self) -> bool {
        !self.added.is_empty() || !self.replaced.is_empty()
    }

    /// Values not recorded before, in input order.
    pub fn added(&self) -> impl ExactSizeIterator<Item = &Row> {
        self.added.iter().map(|&i| &self.rows[i])
    }

    /// Values already recorded with the same value, in input order.
    pub fn unchanged(&self) -> impl ExactSizeIterator<Item = &Row> {
        self.unchanged.iter().map(|&i| &self.rows[i])
    }

    /// (stored, incoming) pairs with different values, in input order.
    pub fn replaced(&self) -> impl ExactSizeIterator<Item = (&Row, &Row)> {
        self.replaced.iter().map(|(old, i)| (old, &self.rows[*i]))
    }
}

/// A metric and a date packed in one word, hashed by [`KeyHasher`]: the
/// maps of `plan` hold a key per incoming and per stored value, and
/// SipHash over a (usize, NaiveDate) was a tenth of a million-row ingest.
fn key(metric: usize, date: NaiveDate) -> u64 {
    ((metric as u64) << 32) | u64::from(date.num_days_from_ce() as u32)
}

/// A multiplicative hash of a [`key`]. The input is the user's own files,
/// so there is no one to mount a collision attack.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        // Fold the metric (high half) into the date (low half) before the
        // multiply, whose low bits, which pick the bucket, only see the
        // low bits of its input.
        self.0 = (self.0 ^ n ^ (n >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

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
    let mut have: KeyMap<&Row> = KeyMap::default();
    have.reserve(stored.rows.len());
    for r in &stored.rows {
        have.insert(key(r.metric, r.date), r);
    }
    let mut diags = Diagnostics::default();
    let mut plan = Plan {
        added: Vec::with_capacity(incoming.len()),
        ..Plan::default()
    };
    // Incoming values that will be written, by index.
    let mut fresh: KeyMap<usize> = KeyMap::default();
    fresh.reserve(incoming.len());
    for (i, row) in incoming.iter().enumerate() {
        let at = key(row.metric, row.date);
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
        if let Some(&first) = fresh.get(&at) {
            let first = &incoming[first];
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
                plan.unchanged.push(i);
            }
            continue;
        }
        match have.get(&at) {
            Some(old) if old.value == row.value => plan.unchanged.push(i),
            // An old value a correction has replaced (a snapshot ingested
            // again, say): the correction stands, unless told otherwise.
            Some(_)
                if !replace
                    && stored
                        .superseded
                        .contains(&(row.metric, row.date, row.value.to_bits())) =>
            {
                plan.unchanged.push(i)
            }
            Some(old) if replace => {
                plan.replaced.push(((*old).clone(), i));
                fresh.insert(at, i);
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
                plan.added.push(i);
                fresh.insert(at, i);
            }
        }
    }
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    plan.rows = incoming;
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
    let new_rows = plan
        .added()
        .map(|r| (r, None))
        .chain(plan.replaced().map(|(old, new)| (new, Some(old.value))));
    // One writer appends every line to the old bytes: a line per row in a
    // String of its own made a million-row ingest allocate millions of
    // times.
    let terminator = if eol == "\r\n" {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut old = text.into_bytes();
    old.reserve(plan.added.len() + plan.replaced.len() * 32);
    let mut w = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(old);
    let mut scratch = Scratch::default();
    for (row, replaces) in new_rows {
        csv_line(
            &mut w,
            &mut scratch,
            map,
            row,
            replaces,
            &columns,
            &stored.path,
        )?;
    }
    // Writing to a Vec cannot fail.
    let text = w.into_inner().unwrap_or_default();
    let mut changes = vec![(stored.path.clone(), text)];
    if let Some(attributes) = union_merge(&map.dir, crate::load::history::METRICS_FILE)? {
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

/// Append `date` as `NaiveDate`'s Display writes it (which signs years
/// past 9999), without its general and, for a million rows, slow path.
fn push_date(out: &mut String, date: NaiveDate) {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        let _ = write!(out, "{date}");
        return;
    }
    let digits = |n: u32, width: u32| (0..width).rev().map(move |k| n / 10u32.pow(k) % 10);
    let fields = digits(year as u32, 4)
        .chain(digits(date.month(), 2))
        .chain(digits(date.day(), 2));
    for (k, digit) in fields.enumerate() {
        if k == 4 || k == 6 {
            out.push('-');
        }
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Buffers for a line's formatted fields, reused from line to line.
#[derive(Default)]
struct Scratch {
    date: String,
    value: String,
    replaced: String,
}

/// Write one CSV line (with its line break) with the fields in the
/// order of `columns`, quoting fields that need it. A source or note the
/// file has no column for is an error rather than lost.
fn csv_line(
    w: &mut csv::Writer<Vec<u8>>,
    scratch: &mut Scratch,
    map: &Roadmap,
    row: &Row,
    replaces: Option<f64>,
    columns: &[usize],
    path: &Path,
) -> Result<()> {
    let Scratch {
        date,
        value,
        replaced,
    } = scratch;
    date.clear();
    push_date(date, row.date);
    value.clear();
    let _ = write!(value, "{}", row.value);
    replaced.clear();
    if let Some(v) = replaces {
        let _ = write!(replaced, "{v}");
    }
    let fields = [
        date.as_str(),
        map.metrics[row.metric].id.as_str(),
        value.as_str(),
        row.source.as_deref().unwrap_or(""),
        row.note.as_deref().unwrap_or(""),
        replaced.as_str(),
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

/// Two branches that both append to `file` (the history, the actions log)
/// should merge without conflict: the new `.gitattributes` (path and text)
/// that marks it `merge=union`, or None when it already has a rule for the
/// file (ours, or one the user chose).
pub(crate) fn union_merge(dir: &Path, file: &str) -> Result<Option<(std::path::PathBuf, Vec<u8>)>> {
    let path = dir.join(".gitattributes");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut dates: Vec<NaiveDate> = [-1, 0, 7, 999, 2026, 9999, 10000]
            .iter()
            .filter_map(|&y| NaiveDate::from_ymd_opt(y, 1, 1))
            .collect();
        let start = NaiveDate::from_ymd_opt(2023, 12, 25).unwrap();
        dates.extend((0..800).map(|d| start + chrono::Days::new(d)));
        for date in dates {
            let mut out = String::new();
            push_date(&mut out, date);
            assert_eq!(out, date.to_string());
        }
    }
}
