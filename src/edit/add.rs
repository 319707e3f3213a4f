//! Adding an item to a period of a track file (`roadmap add`) by inserting
//! one contiguous block of lines after the period's last item, written the
//! way that item is: its dash column and key indentation, block or flow
//! mapping, line endings, values quoted only where YAML would misread them.
//! Then re-parse and check that exactly that item was appended; anything
//! else refuses to write.

use std::path::Path;

use super::splice::{content_end, key_indent, line_end, node_end, scalar, splice};
use super::yaml_tree::{get, same_tree, seq};
use crate::load::yaml::{self, Key, Kind, Node, Scalar, Typed};
use crate::model::months::MonthWindow;

/// The item to add, its fields already checked against the plan.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub id: String,
    pub area: String,
    pub title: String,
    pub owner: Option<String>,
    pub after: Vec<String>,
}

impl NewItem {
    /// Its keys in the order they are written: the order of the bakery and
    /// of `roadmap init`'s starter plan.
    fn fields(&self) -> Vec<(&'static str, Value<'_>)> {
        let mut out = vec![
            ("id", Value::One(&self.id)),
            ("area", Value::One(&self.area)),
            ("title", Value::One(&self.title)),
        ];
        if let Some(owner) = &self.owner {
            out.push(("owner", Value::One(owner)));
        }
        if !self.after.is_empty() {
            out.push(("after", Value::Many(&self.after)));
        }
        out
    }
}

enum Value<'a> {
    One(&'a str),
    Many(&'a [String]),
}

impl Value<'_> {
    /// As YAML text; a list is always a flow sequence (`[a, b]`), as every
    /// example and the starter plan write `after:`.
    fn text(&self, flow: bool) -> String {
        match self {
            Value::One(v) => scalar(v, flow),
            Value::Many(ids) => format!(
                "[{}]",
                ids.iter()
                    .map(|id| scalar(id, true))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn node(&self) -> Node {
        let text = |t: &str| Node {
            kind: Kind::Scalar(Scalar {
                text: t.to_string(),
                typed: Typed::Str,
            }),
            pos: Default::default(),
        };
        match self {
            Value::One(v) => text(v),
            Value::Many(ids) => Node {
                kind: Kind::Seq(ids.iter().map(|id| text(id)).collect()),
                pos: Default::default(),
            },
        }
    }
}

/// Why an item could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddError {
    /// The file has no track with that id.
    NoTrack,
    /// The track has no period with exactly those months; here are the
    /// months (as written) and names of the periods it has.
    NoPeriod(Vec<(String, Option<String>)>),
    /// Anything else: the file's shape is one this does not edit.
    Other(String),
}

/// Insert `item` as the last item of the period of track `track` whose
/// months are `months`, in the text of one track file.
pub fn insert_item(
    src: &str,
    file: &Path,
    track: &str,
    months: MonthWindow,
    item: &NewItem,
) -> Result<String, AddError> {
    let root = yaml::parse(src, file).map_err(|d| AddError::Other(d.message))?;
    let tracks = seq(get(&root, "tracks"));
    let t = tracks
        .iter()
        .position(|t| text_of(get(t, "id")) == Some(track))
        .ok_or(AddError::NoTrack)?;
    let periods = seq(get(&tracks[t], "periods"));
    let p = periods
        .iter()
        .position(|p| {
            text_of(get(p, "months")).and_then(|m| MonthWindow::parse(m).ok()) == Some(months)
        })
        .ok_or_else(|| {
            AddError::NoPeriod(
                periods
                    .iter()
                    .filter_map(|p| {
                        let m = text_of(get(p, "months"))?.to_string();
                        Some((m, text_of(get(p, "name")).map(str::to_string)))
                    })
                    .collect(),
            )
        })?;
    let period = &periods[p];
    let eol = if src.contains("\r\n") { "\r\n" } else { "\n" };
    let new = match get(period, "items").map(|n| &n.kind) {
        Some(Kind::Seq(items)) if !items.is_empty() => {
            if src.as_bytes().get(get(period, "items").unwrap().pos.offset) == Some(&b'[') {
                return Err(AddError::Other(
                    "the period's items are a flow list (`items: [...]`)".into(),
                ));
            }
            after_last(src, items.last().unwrap(), item, eol)?
        }
        Some(Kind::Null) | None => first_item(src, period, item, eol)?,
        _ => {
            return Err(AddError::Other(
                "the period's `items` is neither a list nor empty".into(),
            ));
        }
    };
    verify(&root, &new, file, (t, p), item).map_err(AddError::Other)?;
    Ok(new)
}

fn text_of(node: Option<&Node>) -> Option<&str> {
    match node.map(|n| &n.kind) {
        Some(Kind::Scalar(s)) => Some(&s.text),
        _ => None,
    }
}

/// The new item's lines after the period's last item `last`, in its style.
fn after_last(src: &str, last: &Node, item: &NewItem, eol: &str) -> Result<String, AddError> {
    let line_start = src[..last.pos.offset].rfind('\n').map_or(0, |p| p + 1);
    let prefix = &src[line_start..last.pos.offset];
    let dash = prefix.len() - prefix.trim_start_matches(' ').len();
    if !prefix[dash..].starts_with('-') {
        return Err(AddError::Other(
            "the period's last item does not start its own `- ` line".into(),
        ));
    }
    let (text, end) = match &last.kind {
        Kind::Map(_) if src.as_bytes().get(last.pos.offset) == Some(&b'{') => {
            let end = line_end(src, node_end(src, last) - 1);
            (flow_item(item, dash, eol), end)
        }
        Kind::Map(entries) if !entries.is_empty() => {
            let indent = key_indent(src, entries);
            let (k, v) = entries.last().unwrap();
            let end = content_end(src, k, v, indent);
            (block_item(item, dash, indent, eol), end)
        }
        _ => {
            return Err(AddError::Other(
                "the period's last item is not a mapping".into(),
            ));
        }
    };
    Ok(place(src, end, &text, eol))
}

/// The first item of a period written `items:` with nothing under it: a
/// block list two columns deeper than `items:`.
fn first_item(src: &str, period: &Node, item: &NewItem, eol: &str) -> Result<String, AddError> {
    let Kind::Map(entries) = &period.kind else {
        return Err(AddError::Other("the period is not a mapping".into()));
    };
    let Some((key, _)) = entries.iter().find(|(k, _)| k.name == "items") else {
        return Err(AddError::Other(
            "the period has no `items:` to add to".into(),
        ));
    };
    let col = key.pos.col.saturating_sub(1) as usize;
    let end = line_end(src, key.pos.offset);
    Ok(place(
        src,
        end,
        &block_item(item, col + 2, col + 4, eol),
        eol,
    ))
}

/// Insert `text` (lines ending in `eol`) at `end`, a line start or the end
/// of a file that may lack its final line break.
fn place(src: &str, end: usize, text: &str, eol: &str) -> String {
    if end == src.len() && !src.is_empty() && !src.ends_with('\n') {
        // The file's last line has no break: give it one, and leave the
        // new last line without one, as the file was.
        let text = text.strip_suffix(eol).unwrap_or(text);
        return format!("{src}{eol}{text}");
    }
    splice(src, end, end, text)
}

fn block_item(item: &NewItem, dash: usize, indent: usize, eol: &str) -> String {
    let mut out = String::new();
    for (i, (key, value)) in item.fields().iter().enumerate() {
        let lead = if i == 0 {
            // `- ` then the first key, at the keys' column when the dash
            // leaves room for it (`-   id:` lists keep their spacing).
            format!(
                "{}-{}",
                " ".repeat(dash),
                " ".repeat(indent.saturating_sub(dash + 1).max(1))
            )
        } else {
            " ".repeat(indent)
        };
        out.push_str(&format!("{lead}{key}: {}{eol}", value.text(false)));
    }
    out
}

fn flow_item(item: &NewItem, dash: usize, eol: &str) -> String {
    let fields: Vec<String> = item
        .fields()
        .iter()
        .map(|(k, v)| format!("{k}: {}", v.text(true)))
        .collect();
    format!("{}- {{{}}}{eol}", " ".repeat(dash), fields.join(", "))
}

/// Re-parse and check that the new text is the old tree with `item`
/// appended to `tracks[t].periods[p].items`, nothing else.
fn verify(
    old: &Node,
    new: &str,
    file: &Path,
    (t, p): (usize, usize),
    item: &NewItem,
) -> Result<(), String> {
    let new_root = yaml::parse(new, file)
        .map_err(|d| format!("the edited text would not parse ({})", d.message))?;
    let mut expected = old.clone();
    let node = Node {
        kind: Kind::Map(
            item.fields()
                .iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: (*k).into(),
                            pos: Default::default(),
                        },
                        v.node(),
                    )
                })
                .collect(),
        ),
        pos: Default::default(),
    };
    let items = nth_mut(&mut expected, "tracks", t)
        .and_then(|track| nth_mut(track, "periods", p))
        .and_then(|period| match &mut period.kind {
            Kind::Map(entries) => entries
                .iter_mut()
                .find(|(k, _)| k.name == "items")
                .map(|(_, v)| v),
            _ => None,
        })
        .ok_or("the period vanished")?;
    match &mut items.kind {
        Kind::Seq(list) => list.push(node),
        _ => items.kind = Kind::Seq(vec![node]),
    }
    if same_tree(&expected, &new_root) {
        Ok(())
    } else {
        Err("the edit would change more than add the item".into())
    }
}

fn nth_mut<'a>(node: &'a mut Node, key: &str, i: usize) -> Option<&'a mut Node> {
    match &mut node.kind {
        Kind::Map(entries) => match &mut entries.iter_mut().find(|(k, _)| k.name == key)?.1.kind {
            Kind::Seq(list) => list.get_mut(i),
            _ => None,
        },
        _ => None,
    }
}

/// Load the plan as it would be with `file` holding `text` (from a copy
/// of its YAML files in a temporary folder, so nothing is written until
/// it loads cleanly), then write `file` atomically. The caller holds the
/// folder lock.
pub fn validate_and_write(
    map: &crate::model::Roadmap,
    file: &Path,
    text: String,
) -> crate::error::Result<()> {
    use crate::error::Error;
    let tmp = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    copy_plan(&map.dir, tmp.path(), 0)?;
    let rel = file.strip_prefix(&map.dir).unwrap_or(file);
    let staged = tmp.path().join(rel);
    std::fs::write(&staged, &text).map_err(|e| Error::io(&staged, e))?;
    if let Err(e) = crate::load::load(tmp.path()) {
        // Say where the problem is in the user's folder, not the copy.
        return Err(match e {
            Error::Invalid(mut diags) => {
                for d in &mut diags.0 {
                    if let Ok(rel) = d.file.strip_prefix(tmp.path()) {
                        d.file = crate::diag::display_path(&map.dir.join(rel));
                    }
                }
                Error::Invalid(diags)
            }
            other => other,
        });
    }
    super::write::commit(&map.dir, vec![(file.to_path_buf(), text.into_bytes())])
}

/// Copy what loading reads, the YAML files (and `actions.csv`), from
/// `from` into `to`, into folders a few levels deep (includes may sit in
/// sub-folders); hidden folders (`.git`) are skipped.
fn copy_plan(from: &Path, to: &Path, depth: usize) -> crate::error::Result<()> {
    use crate::error::Error;
    let entries = std::fs::read_dir(from).map_err(|e| Error::io(from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(from, e))?;
        let name = entry.file_name();
        let path = entry.path();
        let shown = name.to_string_lossy();
        if shown.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if depth < 4 {
                let sub = to.join(&name);
                std::fs::create_dir_all(&sub).map_err(|e| Error::io(&sub, e))?;
                copy_plan(&path, &sub, depth + 1)?;
            }
        } else if shown.ends_with(".yaml")
            || shown.ends_with(".yml")
            || shown == crate::load::actions::ACTIONS_FILE
        {
            std::fs::copy(&path, to.join(&name)).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}
