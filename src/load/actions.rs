//! The actions log, `actions.csv`: one row per attempt `alerts --act` made
//! at an action's step, read back so that each firing episode is acted on
//! once, and failures are retried up to a limit.
//!
//! The file is only ever appended to and is marked `merge=union`, so two
//! branches (two scheduled runs, say) merge without a conflict. A merge
//! can leave the header twice (both branches created the file) and rows
//! in any order: repeated headers are skipped, and order means nothing.

use std::path::{Path, PathBuf};

use chrono::DateTime;

use super::decode::parse_date;
use crate::diag::{Diagnostic, Diagnostics, Pos, display_path};
use crate::error::{Error, Result};
use crate::model::actions::{LogEntry, Outcome, Step};

/// The log inside the roadmap folder.
pub const ACTIONS_FILE: &str = "actions.csv";
/// Its columns, in order.
pub const LOG_COLUMNS: [&str; 8] = [
    "alert", "episode", "action", "step", "as_of", "at", "outcome", "output",
];
/// Past this many bad rows the rest are not worth reporting.
const MAX_ROW_ERRORS: usize = 100;

/// The log as stored.
#[derive(Debug, Clone)]
pub struct Log {
    pub path: PathBuf,
    /// The file's text; None when there is no log yet.
    pub text: Option<String>,
    pub entries: Vec<LogEntry>,
}

/// Read the roadmap folder's `actions.csv` (absent or blank: no attempt
/// yet). Every bad row is reported at its line.
pub fn read(dir: &Path) -> Result<Log> {
    let path = dir.join(ACTIONS_FILE);
    let shown = display_path(&path);
    let text = super::read_text(&path, &shown)?;
    let entries = match &text {
        Some(t) => parse(&shown, t)?,
        None => Vec::new(),
    };
    Ok(Log {
        path,
        text,
        entries,
    })
}

fn at_line(line: u64) -> Option<Pos> {
    Some(Pos {
        line,
        col: 0,
        offset: 0,
        len: 0,
    })
}

/// The rows of the log's `text`; `shown` names it in messages.
pub fn parse(shown: &Path, text: &str) -> Result<Vec<LogEntry>> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut diags = Diagnostics::default();
    let mut entries = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut first = true;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                diags.push(Diagnostic::new(
                    shown,
                    at_line(line),
                    format!("unreadable CSV row: {e}"),
                ));
                break;
            }
        }
        // The reader says where it began looking for the record, before
        // the blank lines it skipped: count those too.
        let line = record.position().map_or(0, |p| {
            let rest = body.as_bytes().get(p.byte() as usize..).unwrap_or_default();
            let blank = rest.iter().take_while(|b| matches!(b, b'\n' | b'\r'));
            p.line() + blank.filter(|b| **b == b'\n').count() as u64
        });
        let is_header = record.iter().eq(LOG_COLUMNS.iter().copied());
        if first && !is_header {
            diags.push(
                Diagnostic::new(
                    shown,
                    at_line(line),
                    format!(
                        "the first line should be the header `{}`",
                        LOG_COLUMNS.join(",")
                    ),
                )
                .with_hint(Some(
                    "`roadmap alerts --act` writes this file; restore its header line".into(),
                )),
            );
            break;
        }
        first = false;
        // A union merge of two branches that each created the log keeps
        // both header lines.
        if is_header {
            continue;
        }
        match entry(&record, line) {
            Ok(e) => entries.push(e),
            Err(message) => {
                diags.push(
                    Diagnostic::new(shown, at_line(line), message).with_hint(Some(
                        "this file is written by `roadmap alerts --act`; fix the row or delete it \
                     (a deleted attempt counts as never made)"
                            .into(),
                    )),
                );
                if diags.len() >= MAX_ROW_ERRORS {
                    diags.push(Diagnostic::new(
                        shown,
                        None,
                        format!("more bad rows; stopped after {MAX_ROW_ERRORS}"),
                    ));
                    break;
                }
            }
        }
    }
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    Ok(entries)
}

fn entry(record: &csv::StringRecord, line: u64) -> std::result::Result<LogEntry, String> {
    if record.len() != LOG_COLUMNS.len() {
        return Err(format!(
            "{} fields where the header has {} ({})",
            record.len(),
            LOG_COLUMNS.len(),
            LOG_COLUMNS.join(",")
        ));
    }
    // Rows are one line each (a union merge works line by line); a field
    // over several lines is a quote that was never closed, which would
    // otherwise swallow the rows after it.
    if record.iter().any(|f| f.contains(['\n', '\r'])) {
        return Err("a field runs over several lines: a quote that is never closed?".into());
    }
    let field = |i: usize| record.get(i).unwrap_or("");
    let nonempty = |i: usize| {
        let f = field(i).trim();
        match f.is_empty() {
            true => Err(format!("`{}` is empty", LOG_COLUMNS[i])),
            false => Ok(f.to_string()),
        }
    };
    let date = |i: usize| parse_date(field(i)).map_err(|m| format!("`{}`: {m}", LOG_COLUMNS[i]));
    let step = Step::parse(field(3).trim()).ok_or_else(|| {
        format!(
            "`step` is `{}`, which is neither `run` nor `notify`",
            field(3)
        )
    })?;
    let at = field(5).trim();
    if DateTime::parse_from_rfc3339(at).is_err() {
        return Err(format!(
            "`at` is `{at}`, not a time such as 2026-08-15T07:00:03Z"
        ));
    }
    let outcome = Outcome::parse(field(6).trim()).ok_or_else(|| {
        format!(
            "`outcome` is `{}`; it is one of ok, exit N, http N, timeout, error",
            field(6)
        )
    })?;
    Ok(LogEntry {
        alert: nonempty(0)?,
        episode: date(1)?,
        action: nonempty(2)?,
        step,
        as_of: date(4)?,
        at: at.to_string(),
        outcome,
        output: field(7).to_string(),
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "alert,episode,action,step,as_of,at,outcome,output\n";

    fn parse_text(text: &str) -> Result<Vec<LogEntry>> {
        parse(Path::new("actions.csv"), text)
    }

    fn messages(e: Error) -> Vec<String> {
        match e {
            Error::Invalid(d) => {
                d.0.into_iter()
                    .map(|d| d.location() + " " + &d.message)
                    .collect()
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn rows_are_read_with_their_lines_and_repeated_headers_are_skipped() {
        let text = format!(
            "{HEADER}a,2026-08-10,x,run,2026-08-10,2026-08-10T07:00:00Z,ok,\"done, twice\"\n\
             {HEADER}a,2026-08-10,x,notify,2026-08-11,2026-08-11T07:00:00+00:00,http 500,oops\n"
        );
        let rows = parse_text(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (
                rows[0].step,
                rows[0].outcome,
                rows[0].output.as_str(),
                rows[0].line
            ),
            (Step::Run, Outcome::Ok, "done, twice", 2)
        );
        assert_eq!(
            (rows[1].step, rows[1].outcome, rows[1].line),
            (Step::Notify, Outcome::Http(500), 4)
        );
        assert!(parse_text("").unwrap().is_empty());
        assert!(parse_text(HEADER).unwrap().is_empty());
    }

    #[test]
    fn bad_rows_are_reported_at_their_lines() {
        let text = format!(
            "{HEADER}a,2026-08-10,x,run,2026-08-10,2026-08-10T07:00:00Z,fine,\n\
             a,2026-08-10,x,walk,2026-08-10,2026-08-10T07:00:00Z,ok,\n\
             a,2026-13-10,x,run,2026-08-10,2026-08-10T07:00:00Z,ok,\n\
             a,2026-08-10,x,run,2026-08-10,yesterday,ok,\n\
             a,2026-08-10,x\n\
             a,2026-08-10,x,run,2026-08-10,2026-08-10T07:00:00Z,ok,\"never closed\n\
             a,2026-08-10,x,run,2026-08-10,2026-08-10T07:00:00Z,ok,\n"
        );
        let m = messages(parse_text(&text).unwrap_err());
        assert_eq!(m.len(), 6, "{m:?}");
        assert!(
            m[0].starts_with("actions.csv:2 `outcome` is `fine`"),
            "{m:?}"
        );
        assert!(m[1].starts_with("actions.csv:3 `step` is `walk`"), "{m:?}");
        assert!(m[2].starts_with("actions.csv:4 `episode`"), "{m:?}");
        assert!(
            m[3].starts_with("actions.csv:5 `at` is `yesterday`"),
            "{m:?}"
        );
        assert!(m[4].starts_with("actions.csv:6 3 fields"), "{m:?}");
        assert!(
            m[5].starts_with("actions.csv:7 a field runs over several lines"),
            "{m:?}"
        );
        let m = messages(parse_text("date,metric\n").unwrap_err());
        assert!(
            m[0].contains("the first line should be the header"),
            "{m:?}"
        );
    }
}
