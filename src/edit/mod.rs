//! Changing roadmap files: in-place YAML splices that keep every other
//! byte, and atomic writes under a folder lock. Nothing else in the
//! program writes files.

pub mod actions;
pub mod add;
pub mod history;
pub mod init;
pub mod splice;
pub mod write;
mod yaml_tree;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::model::Roadmap;
use splice::Outcome;

/// What happened to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemEdit {
    pub id: String,
    pub file: PathBuf,
    /// The key's value before the command (None: absent).
    pub before: Option<String>,
    /// Its value after it.
    pub after: Option<String>,
}

impl ItemEdit {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// Set `done: date` (or remove `done` when `date` is None) on each item,
/// all or nothing. `redate` moves the date of an item already done (see
/// [`splice::set_done`]).
pub fn set_done(
    map: &Roadmap,
    ids: &[usize],
    date: Option<&str>,
    redate: bool,
) -> Result<Vec<ItemEdit>> {
    set_field(map, ids, "done", date, redate)
}

/// Set the scalar `key` of each item to `value` (or remove it when `value`
/// is None), all or nothing: every splice is computed and verified before
/// any file is written. A key that has another value already keeps it
/// unless `replace`. The caller holds the folder lock and loaded `map`
/// under it.
pub fn set_field(
    map: &Roadmap,
    ids: &[usize],
    key: &str,
    value: Option<&str>,
    replace: bool,
) -> Result<Vec<ItemEdit>> {
    // Group by file, keeping the order ids were given within each file.
    let mut by_file: BTreeMap<&PathBuf, Vec<usize>> = BTreeMap::new();
    for &i in ids {
        by_file.entry(&map.items[i].file).or_default().push(i);
    }
    let mut edits = Vec::new();
    let mut writes = Vec::new();
    for (file, items) in by_file {
        let original = std::fs::read_to_string(file)
            .map_err(|e| Error::io(crate::diag::display_path(file), e))?;
        let mut text = original.clone();
        for i in items {
            let id = &map.items[i].id;
            let (outcome, before) =
                splice::set_key(&text, file, id, key, value, replace).map_err(|why| {
                    Error::usage(
                        format!("cannot edit `{id}` in {}: {why}", file.display()),
                        Some(
                            "nothing was written; edit the file by hand, or report this as a bug"
                                .into(),
                        ),
                    )
                })?;
            let after = match outcome {
                Outcome::Changed(new) => {
                    text = new;
                    value.map(str::to_string)
                }
                Outcome::Unchanged(current) => current,
            };
            edits.push(ItemEdit {
                id: id.clone(),
                file: file.clone(),
                before,
                after,
            });
        }
        if text != original {
            writes.push((file.clone(), text));
        }
    }
    // One commit for every file: a failure (or a kill) part-way through
    // leaves all of them as they were, or all as they will be.
    write::commit(
        &map.dir,
        writes
            .into_iter()
            .map(|(file, text)| (file, text.into_bytes()))
            .collect(),
    )?;
    // Report in the order the ids were given.
    edits.sort_by_key(|e| ids.iter().position(|&i| map.items[i].id == e.id));
    Ok(edits)
}
