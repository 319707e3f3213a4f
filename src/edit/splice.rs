//! Setting or removing one key of an item (`done:`, `started:`,
//! `blocked:`, `owner:`) by splicing bytes, so everything else in the file
//! (comments, key order, quoting, blank lines, flow style, block scalars,
//! CRLF, a BOM) stays exactly as the user wrote it.
//!
//! The position-guided approach: find the item's mapping in the positioned
//! node tree, replace the value's bytes, or insert one `key: V` line after
//! the item's last key (`, key: V` before a flow mapping's `}`), or delete
//! that line. A value is written plain when YAML reads it back as the same
//! text, else double-quoted. Then re-parse and check that exactly that
//! field changed; anything else refuses to write.

use std::path::Path;

use super::yaml_tree::{item_path, same_tree};
use crate::load::yaml::{self, Key, Kind, Node, Scalar, Typed};

/// What a splice did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The new text of the file.
    Changed(String),
    /// Nothing to do: the item already had the wanted value. Holds the
    /// current value, if any.
    Unchanged(Option<String>),
}

/// Set (`Some(date)`) or remove (`None`) the `done` field of item `id` in
/// the text of one track file.
///
/// An item already done keeps its date unless `redate` (an explicit
/// `--on`) asks for another one.
pub fn set_done(
    src: &str,
    file: &Path,
    id: &str,
    date: Option<&str>,
    redate: bool,
) -> Result<Outcome, String> {
    set_key(src, file, id, "done", date, redate).map(|(outcome, _)| outcome)
}

/// Set (`Some(value)`) or remove (`None`) the scalar `key` of item `id` in
/// the text of one track file. A key that already has another value keeps
/// it unless `replace`. Returns what was done, and the value before.
pub fn set_key(
    src: &str,
    file: &Path,
    id: &str,
    key: &str,
    value: Option<&str>,
    replace: bool,
) -> Result<(Outcome, Option<String>), String> {
    let root = yaml::parse(src, file).map_err(|d| d.message)?;
    let path = item_path(&root, id).ok_or_else(|| format!("item `{id}` is not in this file"))?;
    let item = path.node(&root);
    let Kind::Map(entries) = &item.kind else {
        return Err(format!("item `{id}` is not a mapping"));
    };
    let flow = src.as_bytes().get(item.pos.offset) == Some(&b'{');
    let slot = entries.iter().position(|(k, _)| k.name == key);
    let current = slot.and_then(|i| match &entries[i].1.kind {
        Kind::Scalar(s) if !s.text.is_empty() => Some(s.text.clone()),
        _ => None,
    });
    let unchanged = |current: Option<String>| Ok((Outcome::Unchanged(current.clone()), current));
    let new = match (value, slot) {
        (Some(v), _) if current.as_deref() == Some(v) => return unchanged(current),
        (Some(v), Some(i)) if replace && current.is_some() => {
            replace_value(src, &entries[i].1, v, flow)
        }
        (Some(_), Some(_)) if current.is_some() => return unchanged(current),
        (None, _) if current.is_none() => return unchanged(None),
        (Some(v), Some(i)) => fill_empty(src, &entries[i], v, flow)?,
        (Some(v), None) if flow => insert_flow(src, entries, key, v)?,
        (Some(v), None) => insert_block(src, entries, key, v)?,
        (None, Some(i)) if flow => remove_flow(src, entries, i)?,
        (None, Some(i)) => remove_block(src, entries, i)?,
        (None, None) => return unchanged(None),
    };
    verify(&root, &new, file, id, key, value)?;
    Ok((Outcome::Changed(new), current))
}

/// `value` as a YAML scalar that reads back as exactly that text: plain
/// when YAML would read it so (`2026-03-01`, `Ana`, `Waiting on the
/// council`), else double-quoted (`"true"`, `"12"`, `"a: b"`, `"#1"`).
/// `flow` says it goes inside `{...}`, where `,` and brackets end a
/// plain scalar.
pub fn scalar(value: &str, flow: bool) -> String {
    if plain_reads_back(value, flow) {
        value.to_string()
    } else {
        double_quoted(value)
    }
}

fn plain_reads_back(value: &str, flow: bool) -> bool {
    if value.is_empty() || value.chars().any(char::is_control) {
        return false;
    }
    let doc = match flow {
        true => format!("{{k: {value}}}\n"),
        false => format!("k: {value}\n"),
    };
    let Ok(root) = yaml::parse(&doc, Path::new("value")) else {
        return false;
    };
    match &root.kind {
        Kind::Map(entries) => {
            entries.len() == 1
                && matches!(&entries[0].1.kind,
                    Kind::Scalar(s) if s.text == value && s.typed == Typed::Str)
        }
        _ => false,
    }
}

fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `key: OLD`: put the new value in the old one's place, in the old one's
/// quotes if it had them (and the value can be written in them).
fn replace_value(src: &str, value: &Node, new: &str, flow: bool) -> String {
    let (start, end) = (value.pos.offset, value.pos.offset + value.pos.len);
    let quoted = |q: u8| end - start >= 2 && src.as_bytes()[end - 1] == q;
    let text = match src.as_bytes()[start] {
        b'"' if quoted(b'"') => double_quoted(new),
        b'\'' if quoted(b'\'') && !new.chars().any(char::is_control) => {
            format!("'{}'", new.replace('\'', "''"))
        }
        _ => scalar(new, flow),
    };
    splice(src, start, end, &text)
}

/// `key:` or `key: ~` present but empty: put the value in its place.
fn fill_empty(
    src: &str,
    (key, value): &(Key, Node),
    new: &str,
    flow: bool,
) -> Result<String, String> {
    let text = scalar(new, flow);
    let key_end = key.pos.offset + key.pos.len;
    if value.pos.len > 0 && value.pos.offset > key_end {
        // `done: ~` / `done: null`: replace the token.
        return Ok(splice(
            src,
            value.pos.offset,
            value.pos.offset + value.pos.len,
            &text,
        ));
    }
    // `done:` with nothing after it: the colon follows the key (perhaps
    // after spaces); the value goes right after it.
    let colon = src[key_end..]
        .find(':')
        .map(|i| key_end + i)
        .ok_or_else(|| format!("cannot find the `:` after `{}`", key.name))?;
    Ok(splice(src, colon + 1, colon + 1, &format!(" {text}")))
}

/// A block mapping without `key`: add `key: V` as a line of its own after
/// the item's last line of content, indented like its keys.
fn insert_block(
    src: &str,
    entries: &[(Key, Node)],
    key: &str,
    value: &str,
) -> Result<String, String> {
    let (last_key, last_value) = entries.last().ok_or("the item is empty")?;
    let indent = key_indent(src, entries);
    let eol = if src.contains("\r\n") { "\r\n" } else { "\n" };
    let end = content_end(src, last_key, last_value, indent);
    let line = format!("{}{key}: {}", " ".repeat(indent), scalar(value, false));
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
pub(super) fn content_end(src: &str, last_key: &Key, last_value: &Node, indent: usize) -> usize {
    let indentless = matches!(last_value.kind, Kind::Seq(_));
    let mut end = line_end(src, last_key.pos.offset);
    // A flow collection or quoted scalar that starts on the key's line may
    // go on over lines that are not indented deeper (`tags: [a,\n  b]`).
    if last_value.pos.line == last_key.pos.line
        && matches!(
            src.as_bytes().get(last_value.pos.offset),
            Some(b'[' | b'{' | b'"' | b'\'')
        )
    {
        let value_end = node_end(src, last_value);
        if value_end > end {
            end = line_end(src, value_end - 1);
        }
    }
    // A block scalar with keep chomping (`|+`) owns its trailing blank lines.
    let keep = keeps_trailing_lines(src, last_key, last_value);
    let mut cursor = end;
    while cursor < src.len() {
        let next = line_end(src, cursor);
        let line = src[cursor..next].trim_end_matches(['\n', '\r']);
        let body = line.trim_start_matches(' ');
        let depth = line.len() - body.len();
        if body.trim().is_empty() {
            // Blank lines may sit inside a block scalar; keep looking.
            if keep {
                end = next;
            }
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
pub(super) fn line_end(src: &str, at: usize) -> usize {
    src[at..].find('\n').map_or(src.len(), |i| at + i + 1)
}

/// The indentation of the item's keys: that of a key starting its own line
/// (the first key follows `- `, perhaps after an anchor or tag), else the
/// first key's column.
pub(super) fn key_indent(src: &str, entries: &[(Key, Node)]) -> usize {
    entries
        .iter()
        .find_map(|(k, _)| {
            let start = src[..k.pos.offset].rfind('\n').map_or(0, |p| p + 1);
            let before = &src[start..k.pos.offset];
            before.bytes().all(|b| b == b' ').then_some(before.len())
        })
        .unwrap_or_else(|| entries[0].0.pos.col.saturating_sub(1) as usize)
}

/// Whether `value` is a block scalar with keep chomping (`|+`, `>2+`), whose
/// text includes the blank lines that follow it.
fn keeps_trailing_lines(src: &str, key: &Key, value: &Node) -> bool {
    if !matches!(value.kind, Kind::Scalar(_)) || value.pos.line == key.pos.line {
        return false;
    }
    let key_end = key.pos.offset + key.pos.len;
    let header = &src[key_end..line_end(src, key_end)];
    let Some(colon) = header.find(':') else {
        return false;
    };
    header[colon + 1..]
        .split_whitespace()
        .take_while(|t| !t.starts_with('#'))
        .any(|t| t.starts_with(['|', '>']) && t.contains('+'))
}

/// The offset just past `node`. The parser gives a flow collection's
/// position as its opening bracket only, so find the matching one.
pub(super) fn node_end(src: &str, node: &Node) -> usize {
    let start = node.pos.offset;
    match (&node.kind, src.as_bytes().get(start)) {
        (Kind::Seq(_) | Kind::Map(_), Some(b'[' | b'{')) => {
            flow_end(src, start).unwrap_or(start + node.pos.len)
        }
        _ => start + node.pos.len,
    }
}

/// The offset just past the bracket that closes the one at `start`,
/// skipping quoted scalars and comments. (Plain scalars in a flow
/// collection cannot hold brackets.)
fn flow_end(src: &str, start: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut prev = b' ';
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' | b'\''
                if matches!(
                    prev,
                    b' ' | b'\t' | b'\r' | b'\n' | b'[' | b'{' | b',' | b':'
                ) =>
            {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b {
                        // `''` inside single quotes is a quote.
                        if b == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    // `\"` inside double quotes is a quote.
                    i += if b == b'"' && bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' if matches!(prev, b' ' | b'\t' | b'\r' | b'\n') => {
                i = line_end(src, i) - 1;
            }
            _ => {}
        }
        prev = bytes.get(i).copied().unwrap_or(b' ');
        i += 1;
    }
    None
}

/// A flow mapping without `key`: `{id: x, title: y}` -> `{id: x, title: y, done: D}`.
fn insert_flow(
    src: &str,
    entries: &[(Key, Node)],
    key: &str,
    value: &str,
) -> Result<String, String> {
    let (_, last) = entries.last().ok_or("the item is empty")?;
    let end = node_end(src, last);
    Ok(splice(
        src,
        end,
        end,
        &format!(", {key}: {}", scalar(value, true)),
    ))
}

/// Remove a key's line from a block mapping. When it is the item's first
/// key (`- done: D`), remove up to the next key instead so the `- ` stays.
fn remove_block(src: &str, entries: &[(Key, Node)], i: usize) -> Result<String, String> {
    let key = &entries[i].0;
    let start = src[..key.pos.offset].rfind('\n').map_or(0, |p| p + 1);
    let before = &src[start..key.pos.offset];
    if before.trim_start_matches(' ').is_empty() {
        let end = line_end(src, key.pos.offset);
        if end == src.len() && !src.ends_with('\n') && start > 0 {
            // The last line had no line break: take the one before it, so a
            // key added at the end of such a file leaves as it came.
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
        .ok_or_else(|| format!("`{}` is the only key of the item", key.name))?;
    Ok(splice(src, key.pos.offset, next.0.pos.offset, ""))
}

/// Remove `, key: V` (or `key: V, `) from a flow mapping.
fn remove_flow(src: &str, entries: &[(Key, Node)], i: usize) -> Result<String, String> {
    let (key, value) = &entries[i];
    let value_end = value.pos.offset + value.pos.len;
    if i > 0 {
        let prev_end = node_end(src, &entries[i - 1].1);
        return Ok(splice(src, prev_end, value_end, ""));
    }
    let next = entries
        .get(i + 1)
        .ok_or_else(|| format!("`{}` is the only key of the item", key.name))?;
    Ok(splice(src, key.pos.offset, next.0.pos.offset, ""))
}

pub(super) fn splice(src: &str, start: usize, end: usize, with: &str) -> String {
    let mut out = String::with_capacity(src.len() + with.len());
    out.push_str(&src[..start]);
    out.push_str(with);
    out.push_str(&src[end..]);
    out
}

/// Re-parse the new text and check that it equals the old tree with exactly
/// the intended change: the item's `key` set to `value`, or removed.
fn verify(
    old: &Node,
    new: &str,
    file: &Path,
    id: &str,
    key: &str,
    value: Option<&str>,
) -> Result<(), String> {
    let new_root = yaml::parse(new, file)
        .map_err(|d| format!("the edited text would not parse ({})", d.message))?;
    let mut expected = old.clone();
    let path = item_path(&expected, id).ok_or("item vanished")?;
    let Kind::Map(entries) = &mut path.node_mut(&mut expected).kind else {
        return Err("item is not a mapping".into());
    };
    let slot = entries.iter().position(|(k, _)| k.name == key);
    match (value, slot) {
        (Some(v), slot) => {
            let value = Node {
                kind: Kind::Scalar(Scalar {
                    text: v.to_string(),
                    typed: Typed::Str,
                }),
                pos: Default::default(),
            };
            match slot {
                Some(i) => entries[i].1 = value,
                None => entries.push((
                    Key {
                        name: key.into(),
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
        Err(format!(
            "the edit would change more than the item's `{key}` field"
        ))
    }
}

#[cfg(test)]
mod tests {
    //! Exact-output tests over a corpus of YAML styles: `done` must add,
    //! fill or remove exactly one line (or one `, done: D` in a flow item),
    //! and `reopen` must give back the original bytes.

    use super::*;

    const D: &str = "2026-03-01";

    /// The lines of a track file above its items (items sit at 10 spaces).
    const HEAD: &str =
        "tracks:\n  - id: t\n    name: T\n    periods:\n      - months: 1-2\n        items:\n";

    fn track(items: &str) -> String {
        format!("{HEAD}{items}")
    }

    fn done(src: &str, id: &str) -> Result<Outcome, String> {
        set_done(src, Path::new("t.yaml"), id, Some(D), false)
    }

    #[test]
    fn a_new_date_replaces_the_old_one_in_its_quotes() {
        let redate = |src: &str| set_done(src, Path::new("t.yaml"), "a", Some(D), true);
        for (old, new) in [
            ("done: 2026-02-01  # c", "done: 2026-03-01  # c"),
            ("done: \"2026-02-01\"", "done: \"2026-03-01\""),
            ("done: '2026-02-01'", "done: '2026-03-01'"),
        ] {
            let src = track(&format!("          - id: a\n            {old}\n"));
            let want = track(&format!("          - id: a\n            {new}\n"));
            assert_eq!(redate(&src), Ok(Outcome::Changed(want)), "{old}");
        }
        let flow = track("          - {id: a, done: 2026-02-01}\n");
        assert_eq!(
            redate(&flow),
            Ok(Outcome::Changed(track(
                "          - {id: a, done: 2026-03-01}\n"
            )))
        );
        // Without `redate`, the date it was done on stays.
        let src = track("          - id: a\n            done: 2026-02-01\n");
        assert_eq!(
            done(&src, "a"),
            Ok(Outcome::Unchanged(Some("2026-02-01".into())))
        );
    }

    fn reopen(src: &str, id: &str) -> Result<Outcome, String> {
        set_done(src, Path::new("t.yaml"), id, None, false)
    }

    #[track_caller]
    fn changed(r: Result<Outcome, String>) -> String {
        match r {
            Ok(Outcome::Changed(text)) => text,
            other => panic!("expected an edit, got {other:?}"),
        }
    }

    /// `done` turns `src` into exactly `want`, and `reopen` turns it back.
    #[track_caller]
    fn round_trip(src: &str, id: &str, want: &str) {
        let after = changed(done(src, id));
        assert_eq!(after, want, "done {id}");
        assert_eq!(changed(reopen(&after, id)), src, "reopen {id}");
    }

    #[track_caller]
    fn refuses(r: Result<Outcome, String>, why: &str) {
        match r {
            Err(e) => assert!(e.contains(why), "refused for another reason: {e}"),
            Ok(o) => panic!("expected a refusal, got {o:?}"),
        }
    }

    #[test]
    fn block_item_gets_a_line_after_its_last_key() {
        let src = track(
            "          - id: a\n            area: X\n            title: First\n          - id: b\n            title: Second\n",
        );
        round_trip(
            &src,
            "a",
            &track(
                "          - id: a\n            area: X\n            title: First\n            done: 2026-03-01\n          - id: b\n            title: Second\n",
            ),
        );
        round_trip(
            &src,
            "b",
            &track(
                "          - id: a\n            area: X\n            title: First\n          - id: b\n            title: Second\n            done: 2026-03-01\n",
            ),
        );
    }

    #[test]
    fn comment_after_a_value_stays() {
        round_trip(
            &track("          - id: a\n            title: x  # note\n          - id: b\n"),
            "a",
            &track(
                "          - id: a\n            title: x  # note\n            done: 2026-03-01\n          - id: b\n",
            ),
        );
    }

    #[test]
    fn empty_done_is_filled_in_place() {
        let src = track("          - id: a\n            done:\n            title: x\n");
        let after = changed(done(&src, "a"));
        assert_eq!(
            after,
            track("          - id: a\n            done: 2026-03-01\n            title: x\n")
        );
        // Reopen removes the key: the item is as if `done` never was there.
        assert_eq!(
            changed(reopen(&after, "a")),
            track("          - id: a\n            title: x\n")
        );
        // A comment after an empty `done:` stays after the date.
        assert_eq!(
            changed(done(
                &track("          - id: a\n            done:   # later\n"),
                "a"
            )),
            track("          - id: a\n            done: 2026-03-01   # later\n")
        );
        // An empty quoted string is empty too.
        assert_eq!(
            changed(done(
                &track("          - id: a\n            done: ''\n"),
                "a"
            )),
            track("          - id: a\n            done: 2026-03-01\n")
        );
    }

    #[test]
    fn null_done_is_replaced_in_place() {
        for null in ["~", "null", "Null"] {
            let src = track(&format!(
                "          - id: a\n            done: {null}  # n\n            title: x\n"
            ));
            assert_eq!(
                changed(done(&src, "a")),
                track(
                    "          - id: a\n            done: 2026-03-01  # n\n            title: x\n"
                ),
                "done: {null}"
            );
            // A null `done` is open already: reopen leaves it.
            assert_eq!(reopen(&src, "a"), Ok(Outcome::Unchanged(None)));
        }
        assert_eq!(
            changed(done(&track("          - {id: a, done: ~}\n"), "a")),
            track("          - {id: a, done: 2026-03-01}\n")
        );
        assert_eq!(
            changed(done(&track("          - {id: a, done: }\n"), "a")),
            track("          - {id: a, done: 2026-03-01 }\n")
        );
    }

    #[test]
    fn flow_item_gets_done_before_its_brace() {
        round_trip(
            &track("          - {id: a, title: y}\n          - {id: b, title: z}\n"),
            "a",
            &track(
                "          - {id: a, title: y, done: 2026-03-01}\n          - {id: b, title: z}\n",
            ),
        );
        round_trip(
            &track("          - { id: a, title: \"y, }\" }  # c\n"),
            "a",
            &track("          - { id: a, title: \"y, }\", done: 2026-03-01 }  # c\n"),
        );
        round_trip(
            &track("          - {id: a, 'title': 'it''s', }\n"),
            "a",
            &track("          - {id: a, 'title': 'it''s', done: 2026-03-01, }\n"),
        );
        // Over several lines.
        round_trip(
            &track("          - {\n              id: a,\n              title: y\n            }\n"),
            "a",
            &track(
                "          - {\n              id: a,\n              title: y, done: 2026-03-01\n            }\n",
            ),
        );
        // Anchored or tagged.
        round_trip(
            &track("          - &x {id: a, title: y}\n          - !!map {id: b}\n"),
            "b",
            &track(
                "          - &x {id: a, title: y}\n          - !!map {id: b, done: 2026-03-01}\n",
            ),
        );
    }

    #[test]
    fn flow_item_whose_last_value_is_a_collection() {
        // The parser positions a flow collection at its opening bracket
        // only; `done` must go after the closing one.
        round_trip(
            &track("          - {id: a, tags: [x, y]}\n"),
            "a",
            &track("          - {id: a, tags: [x, y], done: 2026-03-01}\n"),
        );
        round_trip(
            &track("          - {id: a, meta: {k: [1, \"]\"], 'j': 'x''}'}}\n"),
            "a",
            &track("          - {id: a, meta: {k: [1, \"]\"], 'j': 'x''}'}, done: 2026-03-01}\n"),
        );
        // And reopen removes it after such a value.
        assert_eq!(
            changed(reopen(
                &track("          - {id: a, tags: [x], done: 2026-01-01}\n"),
                "a"
            )),
            track("          - {id: a, tags: [x]}\n")
        );
    }

    #[test]
    fn done_first_in_a_flow_item() {
        assert_eq!(
            changed(reopen(
                &track("          - {done: 2026-01-01, id: a}\n"),
                "a"
            )),
            track("          - {id: a}\n")
        );
    }

    #[test]
    fn literal_block_scalar_as_last_key() {
        // `# not a comment` is text of the scalar; the blank lines after it
        // are not (clip chomping), so `done` goes before them.
        round_trip(
            &track(
                "          - id: a\n            notes: |\n              first\n\n              # not a comment\n\n\n          - id: b\n",
            ),
            "a",
            &track(
                "          - id: a\n            notes: |\n              first\n\n              # not a comment\n            done: 2026-03-01\n\n\n          - id: b\n",
            ),
        );
    }

    #[test]
    fn folded_block_scalar_as_last_key() {
        round_trip(
            &track(
                "          - id: a\n            title: >-\n              folded\n              text\n",
            ),
            "a",
            &track(
                "          - id: a\n            title: >-\n              folded\n              text\n            done: 2026-03-01\n",
            ),
        );
    }

    #[test]
    fn keep_block_scalar_keeps_its_trailing_blank_lines() {
        // With `|+` the blank lines belong to the text: `done` goes after.
        round_trip(
            &track(
                "          - id: a\n            notes: |+\n              kept\n\n\n          - id: b\n",
            ),
            "a",
            &track(
                "          - id: a\n            notes: |+\n              kept\n\n\n            done: 2026-03-01\n          - id: b\n",
            ),
        );
    }

    #[test]
    fn block_scalar_line_starting_with_a_tab() {
        round_trip(
            &track(
                "          - id: a\n            notes: |\n              code:\n              \tindented\n",
            ),
            "a",
            &track(
                "          - id: a\n            notes: |\n              code:\n              \tindented\n            done: 2026-03-01\n",
            ),
        );
    }

    #[test]
    fn indentless_sequence_as_last_key() {
        round_trip(
            &track(
                "          - id: a\n            tags:\n            - a\n            -\n            - b\n          - id: b\n",
            ),
            "a",
            &track(
                "          - id: a\n            tags:\n            - a\n            -\n            - b\n            done: 2026-03-01\n          - id: b\n",
            ),
        );
    }

    #[test]
    fn indentless_items() {
        // The items themselves at the same column as `items:`.
        let src = "tracks:\n- id: t\n  name: T\n  periods:\n  - months: 1-2\n    items:\n    - id: a\n      tags:\n      - x\n    - id: b\n";
        round_trip(
            src,
            "a",
            "tracks:\n- id: t\n  name: T\n  periods:\n  - months: 1-2\n    items:\n    - id: a\n      tags:\n      - x\n      done: 2026-03-01\n    - id: b\n",
        );
    }

    #[test]
    fn nested_mapping_as_last_key() {
        round_trip(
            &track(
                "          - id: a\n            meta:\n              owner: ana\n              links:\n                - https://x.example/a#b\n          - id: b\n",
            ),
            "a",
            &track(
                "          - id: a\n            meta:\n              owner: ana\n              links:\n                - https://x.example/a#b\n            done: 2026-03-01\n          - id: b\n",
            ),
        );
    }

    #[test]
    fn flow_collection_continued_at_the_keys_column() {
        round_trip(
            &track("          - id: a\n            tags: [x,\n            y]\n          - id: b\n"),
            "a",
            &track(
                "          - id: a\n            tags: [x,\n            y]\n            done: 2026-03-01\n          - id: b\n",
            ),
        );
    }

    #[test]
    fn multi_line_scalars_as_last_key() {
        round_trip(
            &track("          - id: a\n            title: \"two\n              lines\"\n"),
            "a",
            &track(
                "          - id: a\n            title: \"two\n              lines\"\n            done: 2026-03-01\n",
            ),
        );
        round_trip(
            &track("          - id: a\n            title: plain\n              continued\n"),
            "a",
            &track(
                "          - id: a\n            title: plain\n              continued\n            done: 2026-03-01\n",
            ),
        );
    }

    #[test]
    fn quoted_keys() {
        round_trip(
            &track("          - \"id\": a\n            'title': x\n"),
            "a",
            &track("          - \"id\": a\n            'title': x\n            done: 2026-03-01\n"),
        );
        // A quoted `done` is found and removed like a plain one.
        let src =
            track("          - id: a\n            \"done\": 2026-01-01\n            title: x\n");
        assert_eq!(
            done(&src, "a"),
            Ok(Outcome::Unchanged(Some("2026-01-01".into())))
        );
        assert_eq!(
            changed(reopen(&src, "a")),
            track("          - id: a\n            title: x\n")
        );
    }

    #[test]
    fn anchors_and_aliases_elsewhere() {
        let src = track(
            "          - id: a\n            title: &t Shared title\n            extra: &e {k: v}\n          - id: b\n            title: *t\n            extra: *e\n",
        );
        round_trip(
            &src,
            "a",
            &track(
                "          - id: a\n            title: &t Shared title\n            extra: &e {k: v}\n            done: 2026-03-01\n          - id: b\n            title: *t\n            extra: *e\n",
            ),
        );
        round_trip(
            &src,
            "b",
            &track(
                "          - id: a\n            title: &t Shared title\n            extra: &e {k: v}\n          - id: b\n            title: *t\n            extra: *e\n            done: 2026-03-01\n",
            ),
        );
    }

    #[test]
    fn anchored_block_item() {
        // The first key follows `- &k `: the keys' column comes from the
        // next key, not from the first one's.
        round_trip(
            &track("          - &k id: a\n            title: x\n"),
            "a",
            &track("          - &k id: a\n            title: x\n            done: 2026-03-01\n"),
        );
        round_trip(
            &track("          - &k\n            id: a\n"),
            "a",
            &track("          - &k\n            id: a\n            done: 2026-03-01\n"),
        );
    }

    #[test]
    fn trailing_whitespace_stays() {
        round_trip(
            &track("          - id: a   \n            title: x \t\n   \n          - id: b\n"),
            "a",
            &track(
                "          - id: a   \n            title: x \t\n            done: 2026-03-01\n   \n          - id: b\n",
            ),
        );
    }

    #[test]
    fn crlf_throughout() {
        let crlf = |s: &str| s.replace('\n', "\r\n");
        round_trip(
            &crlf(&track(
                "          - id: a\n            title: x # c\n          - id: b\n",
            )),
            "a",
            &crlf(&track(
                "          - id: a\n            title: x # c\n            done: 2026-03-01\n          - id: b\n",
            )),
        );
        // CRLF and no line break at the end.
        round_trip(
            &crlf(&track("          - id: a\n            title: x")),
            "a",
            &crlf(&track(
                "          - id: a\n            title: x\n            done: 2026-03-01",
            )),
        );
        round_trip(
            &crlf(&track("          - {id: a}\n")),
            "a",
            &crlf(&track("          - {id: a, done: 2026-03-01}\n")),
        );
    }

    #[test]
    fn byte_order_mark_stays() {
        round_trip(
            &format!(
                "\u{feff}{}",
                track("          - id: a\n            title: x\n")
            ),
            "a",
            &format!(
                "\u{feff}{}",
                track("          - id: a\n            title: x\n            done: 2026-03-01\n")
            ),
        );
        round_trip(
            &format!("\u{feff}{}", track("          - {id: a, title: Diseño}\n")),
            "a",
            &format!(
                "\u{feff}{}",
                track("          - {id: a, title: Diseño, done: 2026-03-01}\n")
            ),
        );
    }

    #[test]
    fn non_ascii_text() {
        let src = track(
            "          - id: a\n            title: Diseño de 日本 — “citas”  # señal\n          - {id: b, title: 日本語, área: Ñ}\n",
        );
        round_trip(
            &src,
            "a",
            &track(
                "          - id: a\n            title: Diseño de 日本 — “citas”  # señal\n            done: 2026-03-01\n          - {id: b, title: 日本語, área: Ñ}\n",
            ),
        );
        round_trip(
            &src,
            "b",
            &track(
                "          - id: a\n            title: Diseño de 日本 — “citas”  # señal\n          - {id: b, title: 日本語, área: Ñ, done: 2026-03-01}\n",
            ),
        );
    }

    #[test]
    fn file_without_a_final_newline() {
        round_trip(
            &track("          - id: a\n            title: x"),
            "a",
            &track("          - id: a\n            title: x\n            done: 2026-03-01"),
        );
        // Not the last item: the end of the file is not touched.
        round_trip(
            &track("          - id: a\n          - id: b"),
            "a",
            &track("          - id: a\n            done: 2026-03-01\n          - id: b"),
        );
        round_trip(
            &track("          - {id: a}"),
            "a",
            &track("          - {id: a, done: 2026-03-01}"),
        );
    }

    #[test]
    fn comment_lines_after_the_last_key() {
        // A comment at the keys' column may be about what follows: `done`
        // goes before it. A deeper one belongs to the item: after it.
        round_trip(
            &track(
                "          - id: a\n            title: x\n              # deeper\n            # same column\n          # item b\n          - id: b\n",
            ),
            "a",
            &track(
                "          - id: a\n            title: x\n              # deeper\n            done: 2026-03-01\n            # same column\n          # item b\n          - id: b\n",
            ),
        );
    }

    #[test]
    fn done_as_the_first_key() {
        let src = track(
            "          - done: 2026-01-01  # early\n            id: a\n            title: x\n",
        );
        assert_eq!(
            done(&src, "a"),
            Ok(Outcome::Unchanged(Some("2026-01-01".into())))
        );
        // The `- ` stays; exactly one line goes.
        assert_eq!(
            changed(reopen(&src, "a")),
            track("          - id: a\n            title: x\n")
        );
    }

    #[test]
    fn reopen_removes_exactly_the_done_line() {
        let src = track(
            "          - id: a\n            done: 2026-01-01 # by ana\n            title: x\n          - id: b\n            done: 2026-01-02\n",
        );
        assert_eq!(
            changed(reopen(&src, "a")),
            track(
                "          - id: a\n            title: x\n          - id: b\n            done: 2026-01-02\n"
            )
        );
        assert_eq!(
            changed(reopen(&src, "b")),
            track(
                "          - id: a\n            done: 2026-01-01 # by ana\n            title: x\n          - id: b\n"
            )
        );
    }

    #[test]
    fn single_key_item_and_document_markers() {
        round_trip(
            &format!("---\n{}...\n", track("          - id: a\n")),
            "a",
            &format!(
                "---\n{}...\n",
                track("          - id: a\n            done: 2026-03-01\n")
            ),
        );
    }

    #[test]
    fn four_space_indentation() {
        let src = "tracks:\n    -   id: t\n        name: T\n        periods:\n            -   months: 1-2\n                items:\n                    -   id: a\n                        title: x\n";
        round_trip(
            src,
            "a",
            "tracks:\n    -   id: t\n        name: T\n        periods:\n            -   months: 1-2\n                items:\n                    -   id: a\n                        title: x\n                        done: 2026-03-01\n",
        );
    }

    #[test]
    fn several_items_one_after_another() {
        let src = track(
            "          - id: a\n            title: x\n          - {id: b}\n      - months: 3\n        items:\n          - id: c\n",
        );
        let mut text = src.clone();
        for id in ["c", "a", "b"] {
            text = changed(done(&text, id));
        }
        assert_eq!(
            text,
            track(
                "          - id: a\n            title: x\n            done: 2026-03-01\n          - {id: b, done: 2026-03-01}\n      - months: 3\n        items:\n          - id: c\n            done: 2026-03-01\n",
            )
        );
        for id in ["b", "c", "a"] {
            text = changed(reopen(&text, id));
        }
        assert_eq!(text, src);
    }

    #[test]
    fn already_done_or_open_is_left_alone() {
        let src = track("          - id: a\n            done: 2026-01-01\n          - id: b\n");
        // Another date does not overwrite the recorded one.
        assert_eq!(
            done(&src, "a"),
            Ok(Outcome::Unchanged(Some("2026-01-01".into())))
        );
        assert_eq!(reopen(&src, "b"), Ok(Outcome::Unchanged(None)));
    }

    #[test]
    fn ids_outside_tracks_are_not_items() {
        let src = track("          - id: a\n            sub:\n              - id: a2\n");
        refuses(done(&src, "a2"), "item `a2` is not in this file");
        refuses(done(&src, "t"), "item `t` is not in this file");
        refuses(done("tracks: [\n", "a"), "invalid YAML");
    }

    #[test]
    fn refuses_what_it_cannot_splice_safely() {
        // A date on the line after `done:`: removing the key line alone
        // would leave the date behind.
        refuses(
            reopen(
                &track(
                    "          - id: a\n            done:\n              2026-01-01\n            title: x\n",
                ),
                "a",
            ),
            "would change more than",
        );
        // A merge key puts keys in the item that are not written in it.
        refuses(
            done(
                &track("          - id: a\n            <<: {area: y}\n"),
                "a",
            ),
            "would change more than",
        );
        // A flow item ending in an empty value.
        refuses(
            done(&track("          - {id: a, title: }\n"), "a"),
            "would not parse",
        );
        // `done` with no `:` in a flow mapping.
        refuses(done(&track("          - {id: a, done}\n"), "a"), "`:`");
    }

    #[test]
    fn verify_catches_any_other_change() {
        let old = track("          - id: a\n            title: x\n");
        let root = yaml::parse(&old, Path::new("t.yaml")).unwrap();
        let good = track("          - id: a\n            title: x\n            done: 2026-03-01\n");
        assert_eq!(
            verify(&root, &good, Path::new("t.yaml"), "a", "done", Some(D)),
            Ok(())
        );
        // Another date than the intended one.
        assert!(
            verify(
                &root,
                &good,
                Path::new("t.yaml"),
                "a",
                "done",
                Some("2026-03-02")
            )
            .is_err()
        );
        // The right `done`, but the title changed too.
        let also = track("          - id: a\n            title: y\n            done: 2026-03-01\n");
        assert!(verify(&root, &also, Path::new("t.yaml"), "a", "done", Some(D)).is_err());
        // `done` nested one level too deep.
        let deep = track("          - id: a\n            title:\n              done: 2026-03-01\n");
        assert!(verify(&root, &deep, Path::new("t.yaml"), "a", "done", Some(D)).is_err());
        // Text that does not parse.
        assert!(
            verify(
                &root,
                "tracks: [",
                Path::new("t.yaml"),
                "a",
                "done",
                Some(D)
            )
            .is_err()
        );
        // Removing: nothing else may go with it.
        let with = yaml::parse(&good, Path::new("t.yaml")).unwrap();
        assert_eq!(
            verify(&with, &old, Path::new("t.yaml"), "a", "done", None),
            Ok(())
        );
        assert!(
            verify(
                &with,
                &track("          - id: a\n"),
                Path::new("t.yaml"),
                "a",
                "done",
                None
            )
            .is_err()
        );
    }

    #[test]
    fn flow_end_matches_brackets() {
        let end = |s: &str| flow_end(s, 0);
        assert_eq!(end("[a, b] x"), Some(6));
        assert_eq!(end("{a: [1, {b: c}]}, z"), Some(16));
        assert_eq!(end("[\"]\", 'x''] ', \"\\\"]\"]"), Some(21));
        assert_eq!(end("[a, # ] comment\n b]"), Some(19));
        assert_eq!(end("[it's]"), Some(6));
        assert_eq!(end("[a, b"), None);
    }

    mod generated {
        //! Random track files: done then reopen gives back the bytes, and
        //! done changes one line only.

        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        struct Item {
            flow: bool,
            title: String,
            comment: bool,
            area: bool,
            done: Option<u8>,
            blank_after: bool,
        }

        #[derive(Debug, Clone)]
        struct File {
            unit: usize,
            indentless: bool,
            crlf: bool,
            final_newline: bool,
            bom: bool,
            items: Vec<Item>,
            target: usize,
        }

        /// A title as YAML: plain (safe characters only), or single- or
        /// double-quoted (anything printable, escaped).
        fn title() -> impl Strategy<Value = String> {
            prop_oneof![
                "[A-Za-zÁÉáéíñóúü日本語][A-Za-z0-9ÁÉáéíñóúü日本語 .()-]{0,20}"
                    .prop_map(|s| s.trim_end().to_string()),
                "[ -~áñ日本—“”]{0,20}".prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
                "[ -~áñ日本—“”]{0,20}"
                    .prop_map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))),
            ]
        }

        fn item() -> impl Strategy<Value = Item> {
            (
                any::<bool>(),
                title(),
                any::<bool>(),
                any::<bool>(),
                proptest::option::weighted(0.3, 1u8..28),
                any::<bool>(),
            )
                .prop_map(|(flow, title, comment, area, done, blank_after)| Item {
                    flow,
                    title,
                    comment,
                    area,
                    done,
                    blank_after,
                })
        }

        fn file() -> impl Strategy<Value = File> {
            (
                prop_oneof![Just(2usize), Just(4usize)],
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                proptest::collection::vec(item(), 1..6),
                any::<prop::sample::Index>(),
            )
                .prop_map(
                    |(unit, indentless, crlf, final_newline, bom, mut items, target)| {
                        let target = target.index(items.len());
                        items[target].done = None;
                        File {
                            unit,
                            indentless,
                            crlf,
                            final_newline,
                            bom,
                            items,
                            target,
                        }
                    },
                )
        }

        /// The text of the file, the line number (0-based) of each item's
        /// last line, and the column of the items' keys.
        fn render(f: &File) -> (String, Vec<usize>, usize) {
            let sp = |n: usize| " ".repeat(n);
            let seq = |n: usize| if f.indentless { n } else { n + f.unit };
            let mut lines = vec!["tracks:".to_string()];
            let t = seq(0);
            lines.push(format!("{}- id: t", sp(t)));
            lines.push(format!("{}name: T  # the track", sp(t + 2)));
            lines.push(format!("{}periods:", sp(t + 2)));
            let p = seq(t + 2);
            lines.push(format!("{}- months: 1-2", sp(p)));
            lines.push(format!("{}items:", sp(p + 2)));
            let i = seq(p + 2);
            let mut last_lines = Vec::new();
            for (n, it) in f.items.iter().enumerate() {
                let comment = if it.comment { "  # note: x" } else { "" };
                let done = it.done.map(|d| format!("2026-01-{d:02}"));
                if it.flow {
                    let mut keys = vec![format!("id: i{n}"), format!("title: {}", it.title)];
                    if it.area {
                        keys.push("area: Área".into());
                    }
                    if let Some(d) = &done {
                        keys.push(format!("done: {d}"));
                    }
                    lines.push(format!("{}- {{{}}}{comment}", sp(i), keys.join(", ")));
                } else {
                    lines.push(format!("{}- id: i{n}", sp(i)));
                    lines.push(format!("{}title: {}{comment}", sp(i + 2), it.title));
                    if let Some(d) = &done {
                        lines.push(format!("{}done: {d}", sp(i + 2)));
                    }
                    if it.area {
                        lines.push(format!("{}area: Área", sp(i + 2)));
                    }
                }
                last_lines.push(lines.len() - 1);
                if it.blank_after {
                    lines.push(String::new());
                }
            }
            let eol = if f.crlf { "\r\n" } else { "\n" };
            let mut text = lines.join(eol);
            if f.final_newline {
                text.push_str(eol);
            }
            if f.bom {
                text.insert(0, '\u{feff}');
            }
            (text, last_lines, i + 2)
        }

        /// The `done` value of item `id` after parsing `text`.
        fn done_of(text: &str, id: &str) -> Option<String> {
            let root = yaml::parse(text, Path::new("t.yaml")).expect("the edit parses");
            let item = item_path(&root, id).expect("the item is there").node(&root);
            let Kind::Map(entries) = &item.kind else {
                panic!("not a mapping")
            };
            entries
                .iter()
                .find(|(k, _)| k.name == "done")
                .map(|(_, v)| match &v.kind {
                    Kind::Scalar(s) => s.text.clone(),
                    other => panic!("done is {other:?}"),
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

            #[test]
            fn done_then_reopen_round_trips(f in file()) {
                let (src, last_lines, indent) = render(&f);
                let id = format!("i{}", f.target);
                yaml::parse(&src, Path::new("t.yaml")).expect("the generated file parses");

                let after = changed(done(&src, &id));
                prop_assert_eq!(done_of(&after, &id), Some(D.to_string()));

                // Exactly one line more (block) or one line changed (flow),
                // with the file's own line breaks.
                let eol = if f.crlf { "\r\n" } else { "\n" };
                let mut lines: Vec<String> = src.split_inclusive('\n').map(String::from).collect();
                let at = last_lines[f.target];
                if f.items[f.target].flow {
                    let brace = lines[at].rfind('}').expect("a flow item");
                    lines[at].insert_str(brace, &format!(", done: {D}"));
                } else if at + 1 < lines.len() || lines[at].ends_with('\n') {
                    lines.insert(at + 1, format!("{}done: {D}{eol}", " ".repeat(indent)));
                } else {
                    lines[at].push_str(&format!("{eol}{}done: {D}", " ".repeat(indent)));
                }
                prop_assert_eq!(&after, &lines.concat());

                // Other items keep their state.
                for (n, it) in f.items.iter().enumerate() {
                    if n != f.target {
                        prop_assert_eq!(
                            done_of(&after, &format!("i{n}")),
                            it.done.map(|d| format!("2026-01-{d:02}"))
                        );
                    }
                }

                // Done again: nothing to do. Reopen: the original bytes.
                prop_assert_eq!(done(&after, &id), Ok(Outcome::Unchanged(Some(D.into()))));
                prop_assert_eq!(changed(reopen(&after, &id)), src);
            }
        }
    }
}
