//! Setting or removing an item's `done:` by splicing bytes, so everything
//! else in the file (comments, key order, quoting, blank lines, flow style,
//! block scalars, CRLF, a BOM) stays exactly as the user wrote it.
//!
//! The position-guided approach: find the item's mapping in the positioned
//! node tree, replace the `done` value's bytes, or insert one `done: D`
//! line after the item's last key (`, done: D` before a flow mapping's
//! `}`), or delete that line. Then re-parse and check that exactly that
//! field changed; anything else refuses to write.

use std::path::Path;

use super::yaml_tree::{item_path, same_tree};
use crate::load::yaml::{self, Key, Kind, Node, Scalar, Typed};

/// What a splice did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The new text of the file.
    Changed(String),
    /// Nothing to do: the item already had the wanted state. Holds the
    /// current `done` date, if any.
    Unchanged(Option<String>),
}

/// Set (`Some(date)`) or remove (`None`) the `done` field of item `id` in
/// the text of one track file.
pub fn set_done(src: &str, file: &Path, id: &str, date: Option<&str>) -> Result<Outcome, String> {
    let root = yaml::parse(src, file).map_err(|d| d.message)?;
    let path = item_path(&root, id).ok_or_else(|| format!("item `{id}` is not in this file"))?;
    let item = path.node(&root);
    let Kind::Map(entries) = &item.kind else {
        return Err(format!("item `{id}` is not a mapping"));
    };
    let flow = src.as_bytes().get(item.pos.offset) == Some(&b'{');
    let done = entries.iter().position(|(k, _)| k.name == "done");
    let current = done.and_then(|i| match &entries[i].1.kind {
        Kind::Scalar(s) if !s.text.is_empty() => Some(s.text.clone()),
        _ => None,
    });
    let new = match (date, done) {
        (Some(_), Some(_)) if current.is_some() => return Ok(Outcome::Unchanged(current)),
        (None, _) if current.is_none() => return Ok(Outcome::Unchanged(None)),
        (Some(d), Some(i)) => fill_empty(src, &entries[i], d)?,
        (Some(d), None) if flow => insert_flow(src, entries, d)?,
        (Some(d), None) => insert_block(src, entries, d)?,
        (None, Some(i)) if flow => remove_flow(src, entries, i)?,
        (None, Some(i)) => remove_block(src, entries, i)?,
        (None, None) => return Ok(Outcome::Unchanged(None)),
    };
    verify(&root, &new, file, id, date)?;
    Ok(Outcome::Changed(new))
}

/// `done:` or `done: ~` present but empty: put the date in its place.
fn fill_empty(src: &str, (key, value): &(Key, Node), date: &str) -> Result<String, String> {
    let key_end = key.pos.offset + key.pos.len;
    if value.pos.len > 0 && value.pos.offset > key_end {
        // `done: ~` / `done: null`: replace the token.
        return Ok(splice(
            src,
            value.pos.offset,
            value.pos.offset + value.pos.len,
            date,
        ));
    }
    // `done:` with nothing after it: the colon follows the key (perhaps
    // after spaces); the date goes right after it.
    let colon = src[key_end..]
        .find(':')
        .map(|i| key_end + i)
        .ok_or("cannot find the `:` after `done`")?;
    Ok(splice(src, colon + 1, colon + 1, &format!(" {date}")))
}

/// A block mapping without `done`: add `done: D` as a line of its own after
/// the item's last line of content, indented like its keys.
fn insert_block(src: &str, entries: &[(Key, Node)], date: &str) -> Result<String, String> {
    let (first_key, _) = entries.first().ok_or("the item is empty")?;
    let (last_key, last_value) = entries.last().ok_or("the item is empty")?;
    let indent = first_key.pos.col.saturating_sub(1) as usize;
    let eol = if src.contains("\r\n") { "\r\n" } else { "\n" };
    let end = content_end(src, last_key, last_value, indent);
    let line = format!("{}done: {date}", " ".repeat(indent));
    if end == src.len() && !src.ends_with('\n') {
        return Ok(format!("{src}{eol}{line}"));
    }
    Ok(splice(src, end, end, &format!("{line}{eol}")))
}

/// The byte offset just past the last line that belongs to the item: the
/// last key's own line, then every following line that is indented deeper
/// than the keys (nested values, block scalar text, deeper comments) or,
/// for an indentless sequence, starts with `- ` at the keys' indentation.
/// Trailing blank lines are left outside.
fn content_end(src: &str, last_key: &Key, last_value: &Node, indent: usize) -> usize {
    let indentless = matches!(last_value.kind, Kind::Seq(_));
    let mut end = line_end(src, last_key.pos.offset);
    let mut cursor = end;
    while cursor < src.len() {
        let next = line_end(src, cursor);
        let line = src[cursor..next].trim_end_matches(['\n', '\r']);
        let body = line.trim_start_matches(' ');
        let depth = line.len() - body.len();
        if body.is_empty() || body.starts_with('\t') {
            // Blank lines may sit inside a block scalar; keep looking.
            cursor = next;
            continue;
        }
        let inside = depth > indent
            || (indentless && depth == indent && body.starts_with("- "))
            || (indentless && depth == indent && body == "-");
        if !inside {
            break;
        }
        end = next;
        cursor = next;
    }
    end
}

/// The offset just past the end of the line holding `at` (after its line
/// break), or the end of the text.
fn line_end(src: &str, at: usize) -> usize {
    src[at..].find('\n').map_or(src.len(), |i| at + i + 1)
}

/// A flow mapping without `done`: `{id: x, title: y}` -> `{id: x, title: y, done: D}`.
fn insert_flow(src: &str, entries: &[(Key, Node)], date: &str) -> Result<String, String> {
    let (_, last) = entries.last().ok_or("the item is empty")?;
    if last.pos.len == 0 && !matches!(last.kind, Kind::Null) {
        return Err("the item's last value is a nested collection in a flow mapping".into());
    }
    let end = last.pos.offset + last.pos.len;
    Ok(splice(src, end, end, &format!(", done: {date}")))
}

/// Remove a `done` line from a block mapping. When `done` is the item's
/// first key (`- done: D`), remove up to the next key instead so the `- `
/// stays.
fn remove_block(src: &str, entries: &[(Key, Node)], i: usize) -> Result<String, String> {
    let key = &entries[i].0;
    let start = src[..key.pos.offset].rfind('\n').map_or(0, |p| p + 1);
    let before = &src[start..key.pos.offset];
    if before.trim_start_matches(' ').is_empty() {
        let end = line_end(src, key.pos.offset);
        if end == src.len() && !src.ends_with('\n') && start > 0 {
            // The last line had no line break: take the one before it, so a
            // `done` added at the end of such a file leaves as it came.
            let cut = if src[..start].ends_with("\r\n") {
                start - 2
            } else {
                start - 1
            };
            return Ok(splice(src, cut, end, ""));
        }
        return Ok(splice(src, start, end, ""));
    }
    let next = entries
        .get(i + 1)
        .ok_or("`done` is the only key of the item")?;
    Ok(splice(src, key.pos.offset, next.0.pos.offset, ""))
}

/// Remove `, done: D` (or `done: D, `) from a flow mapping.
fn remove_flow(src: &str, entries: &[(Key, Node)], i: usize) -> Result<String, String> {
    let (key, value) = &entries[i];
    let value_end = value.pos.offset + value.pos.len;
    if i > 0 {
        let prev = &entries[i - 1].1;
        let prev_end = prev.pos.offset + prev.pos.len;
        return Ok(splice(src, prev_end, value_end, ""));
    }
    let next = entries
        .get(i + 1)
        .ok_or("`done` is the only key of the item")?;
    Ok(splice(src, key.pos.offset, next.0.pos.offset, ""))
}

fn splice(src: &str, start: usize, end: usize, with: &str) -> String {
    let mut out = String::with_capacity(src.len() + with.len());
    out.push_str(&src[..start]);
    out.push_str(with);
    out.push_str(&src[end..]);
    out
}

/// Re-parse the new text and check that it equals the old tree with exactly
/// the intended change: the item's `done` set to `date`, or removed.
fn verify(old: &Node, new: &str, file: &Path, id: &str, date: Option<&str>) -> Result<(), String> {
    let new_root = yaml::parse(new, file)
        .map_err(|d| format!("the edited text would not parse ({})", d.message))?;
    let mut expected = old.clone();
    let path = item_path(&expected, id).ok_or("item vanished")?;
    let Kind::Map(entries) = &mut path.node_mut(&mut expected).kind else {
        return Err("item is not a mapping".into());
    };
    let slot = entries.iter().position(|(k, _)| k.name == "done");
    match (date, slot) {
        (Some(d), slot) => {
            let value = Node {
                kind: Kind::Scalar(Scalar {
                    text: d.to_string(),
                    typed: Typed::Str,
                }),
                pos: Default::default(),
            };
            match slot {
                Some(i) => entries[i].1 = value,
                None => entries.push((
                    Key {
                        name: "done".into(),
                        pos: Default::default(),
                    },
                    value,
                )),
            }
        }
        (None, Some(i)) => {
            entries.remove(i);
        }
        (None, None) => {}
    }
    if same_tree(&expected, &new_root) {
        Ok(())
    } else {
        Err("the edit would change more than the item's `done` field".into())
    }
}
