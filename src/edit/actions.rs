//! Appending attempts to the actions log, `actions.csv`: each attempt is
//! written as soon as it is made (atomically, under the folder lock the
//! caller holds), so a run that is killed half-way loses at most the
//! attempt it was making. The first write also marks the log
//! `merge=union` in the folder's `.gitattributes`, as the history is.

use std::path::Path;

use crate::error::Result;
use crate::load::actions::{ACTIONS_FILE, LOG_COLUMNS, Log};
use crate::model::actions::LogEntry;

/// The log being appended to: its text as written so far.
#[derive(Debug)]
pub struct Appender {
    path: std::path::PathBuf,
    text: String,
}

impl Appender {
    /// Start from the log as read under the lock.
    pub fn new(log: &Log) -> Appender {
        Appender {
            path: log.path.clone(),
            text: log.text.clone().unwrap_or_default(),
        }
    }

    /// Append `entry` (its `line` is not written) and write the file.
    /// `dir` is the roadmap folder, which the caller holds locked.
    pub fn append(&mut self, dir: &Path, entry: &LogEntry) -> Result<()> {
        let mut text = self.text.clone();
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        if text.trim_start_matches('\u{feff}').trim().is_empty() {
            text = format!("{}{eol}", LOG_COLUMNS.join(","));
        }
        if !text.ends_with('\n') {
            text.push_str(eol);
        }
        let terminator = match eol {
            "\r\n" => csv::Terminator::CRLF,
            _ => csv::Terminator::Any(b'\n'),
        };
        let mut w = csv::WriterBuilder::new()
            .terminator(terminator)
            .from_writer(text.into_bytes());
        let (episode, as_of) = (entry.episode.to_string(), entry.as_of.to_string());
        let outcome = entry.outcome.to_string();
        // Writing to a Vec cannot fail.
        let _ = w.write_record([
            entry.alert.as_str(),
            &episode,
            &entry.action,
            entry.step.name(),
            &as_of,
            &entry.at,
            &outcome,
            &entry.output,
        ]);
        let bytes = w.into_inner().unwrap_or_default();
        let mut changes = vec![(self.path.clone(), bytes.clone())];
        if let Some(attributes) = super::history::union_merge(dir, ACTIONS_FILE)? {
            changes.push(attributes);
        }
        super::write::commit(dir, changes)?;
        self.text = String::from_utf8(bytes).unwrap_or_default();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::actions::{Outcome, Step};

    #[test]
    fn rows_are_appended_after_a_header_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let log = crate::load::actions::read(dir.path()).unwrap();
        let mut app = Appender::new(&log);
        let mut entry = LogEntry {
            alert: "breach".into(),
            episode: "2026-08-10".parse().unwrap(),
            action: "page".into(),
            step: Step::Run,
            as_of: "2026-08-11".parse().unwrap(),
            at: "2026-08-11T07:00:00Z".into(),
            outcome: Outcome::Exit(2),
            output: "said \"no\", twice".into(),
            line: 0,
        };
        app.append(dir.path(), &entry).unwrap();
        entry.step = Step::Notify;
        entry.outcome = Outcome::Ok;
        app.append(dir.path(), &entry).unwrap();
        let text = std::fs::read_to_string(dir.path().join(ACTIONS_FILE)).unwrap();
        assert_eq!(
            text,
            "alert,episode,action,step,as_of,at,outcome,output\n\
             breach,2026-08-10,page,run,2026-08-11,2026-08-11T07:00:00Z,exit 2,\"said \"\"no\"\", twice\"\n\
             breach,2026-08-10,page,notify,2026-08-11,2026-08-11T07:00:00Z,ok,\"said \"\"no\"\", twice\"\n"
        );
        let read = crate::load::actions::read(dir.path()).unwrap().entries;
        assert_eq!(read.len(), 2);
        assert_eq!((read[0].outcome, read[0].line), (Outcome::Exit(2), 2));
        assert_eq!(read[1].output, "said \"no\", twice");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".gitattributes")).unwrap(),
            "actions.csv merge=union\n"
        );
    }
}
