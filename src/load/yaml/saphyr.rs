//! The serde-saphyr path: the whole document deserialised through serde
//! into `Spanned` values, then copied into a [`Node`] tree.
//!
//! It is slower than the event path in [`super::events`] but it is what
//! words our YAML diagnostics (syntax errors, duplicate keys, budgets,
//! second documents), so every input the event path declines comes here.
//! It is also the reference the event path is tested against: both must
//! build the same tree for every input this one accepts.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::{Key, Kind, Node, Scalar, Typed, limits, typed_scalar};
use crate::diag::{Diagnostic, Pos};

/// Parse `src` (the contents of `file`) the slow way; the caller applies
/// the empty-file position rule.
pub(super) fn parse(src: &str, file: &Path) -> Result<Node, Box<Diagnostic>> {
    let (max_nodes, max_events) = limits(src);
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = max_nodes;
    budget.max_events = max_events;
    let options = serde_saphyr::options! {
        budget: Some(budget),
        strict_booleans: true,
        with_snippet: false,
        // `.nan` or `.inf` is a bad value in one field, reported there by
        // whoever reads the field, not a reason to drop the whole file.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::AsString,
    };
    let raw: Spanned<Raw> = serde_saphyr::from_str_with_options(src, options).map_err(|e| {
        let pos = e.location().map(|l| pos_of(&l));
        let msg = e.render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        });
        let (message, hint) = match pos.and_then(|p| unquoted_indicator(src, p)) {
            Some(found) => found,
            None => clean_message(&msg),
        };
        Box::new(
            Diagnostic::new(file, pos, message)
                .with_hint(hint)
                .with_source(src),
        )
    })?;
    Ok(convert(raw, src))
}

/// A value that starts with a character YAML reserves (`target: >= 100`:
/// `>` opens a folded text block) fails with a message about block
/// scalars or aliases that means nothing to the person who wrote it. When
/// the error's line is `key: value` with such a value, say so and show the
/// line quoted.
fn unquoted_indicator(src: &str, pos: Pos) -> Option<(String, Option<String>)> {
    let line = src.lines().nth(pos.line.checked_sub(1)? as usize)?;
    let body = line.trim_start();
    let body = body.strip_prefix("- ").unwrap_or(body).trim_start();
    let (key, rest) = body.split_once(": ")?;
    let key_ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    // The value, without a trailing comment (` #` starts one).
    let value = match rest.find(" #") {
        Some(i) => &rest[..i],
        None => rest,
    }
    .trim();
    let first = value.chars().next()?;
    let meaning = match first {
        '>' | '|' => "starts a block of text",
        '*' => "refers to an anchor",
        '&' => "names an anchor",
        '!' => "starts a tag",
        '@' | '`' | '%' => "is reserved",
        _ => return None,
    };
    // `*week`, `&week`, `!tag`: a real alias, anchor or tag, with its
    // own error; `*150` or `& co` is a value.
    let named = value[1..].starts_with(|c: char| c.is_alphabetic());
    if !key_ok || value.len() < 2 || named && matches!(first, '*' | '&' | '!') {
        return None;
    }
    let quoted = match value.contains('"') {
        true => format!("'{}'", value.replace('\'', "''")),
        false => format!("\"{value}\""),
    };
    Some((
        format!("invalid YAML: `{value}` must be quoted: a leading `{first}` {meaning} in YAML"),
        Some(format!("quote it: {key}: {quoted}")),
    ))
}

/// serde-saphyr appends " at line L, column C" to its messages; we print the
/// position in front instead, so drop it. Advice aimed at programmers using
/// the library becomes advice for the person editing the file.
fn clean_message(msg: &str) -> (String, Option<String>) {
    let msg = msg.lines().next().unwrap_or(msg);
    if msg.contains("budget breached: Depth") || msg.contains("recursion limit") {
        return (
            "invalid YAML: the document nests lists and mappings too deeply".into(),
            Some("a roadmap file nests a few levels deep; look for unclosed `[` or `{`".into()),
        );
    }
    if msg.contains("budget breached") {
        // The details are the parser's internals; say what it means.
        return (
            "invalid YAML: the document grows past the parser's limits (nodes, depth or \
             aliases), e.g. through aliases that multiply (an \"alias bomb\")"
                .into(),
            Some("a roadmap file needs no aliases that expand to more than the file holds".into()),
        );
    }
    if msg.contains("multiple YAML documents") {
        return (
            "invalid YAML: the file holds more than one document (a second `---`)".into(),
            Some(
                "keep one document per file: remove the `---` line and what follows, or merge them"
                    .into(),
            ),
        );
    }
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    let msg = msg.trim_end_matches('.');
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("invalid YAML: duplicate key `{key}`"),
            Some("a key may appear only once in a mapping; keep one of them".into()),
        );
    }
    (format!("invalid YAML: {msg}"), None)
}

fn pos_of(l: &Location) -> Pos {
    let span = l.span();
    Pos {
        line: l.line(),
        col: l.column(),
        offset: span.byte_offset().unwrap_or(0) as usize,
        len: span.byte_len().unwrap_or(0) as usize,
    }
}

fn convert(raw: Spanned<Raw>, src: &str) -> Node {
    let pos = pos_of(&raw.referenced);
    // Through an alias, `referenced` is the `*name` token: a scalar's own
    // spelling is where it was defined.
    let defined = pos_of(&raw.defined);
    let kind = match raw.value {
        Raw::Null => Kind::Null,
        // A non-finite float arrives as its canonical string (`.inf` for
        // `1e400`); the user's own spelling is in the source.
        Raw::Str(s) if matches!(s.as_str(), ".nan" | ".inf" | "-.inf") => {
            match typed_scalar(src, defined, Typed::Str, || s.clone()) {
                Kind::Scalar(mut sc) if sc.text.starts_with(['"', '\'']) => {
                    sc.text = s;
                    Kind::Scalar(sc)
                }
                k => k,
            }
        }
        Raw::Str(s) => Kind::Scalar(Scalar {
            text: s,
            typed: Typed::Str,
        }),
        Raw::Bool(b) => typed_scalar(src, defined, Typed::Bool(b), || b.to_string()),
        Raw::Int(i) => typed_scalar(src, defined, Typed::Int(i), || i.to_string()),
        Raw::Float(f) => typed_scalar(src, defined, Typed::Float(f), || f.to_string()),
        Raw::Seq(items) => Kind::Seq(items.into_iter().map(|n| convert(n, src)).collect()),
        Raw::Map(entries) => Kind::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        pos: pos_of(&k.referenced),
                        name: k.value,
                    };
                    (key, convert(v, src))
                })
                .collect(),
        ),
    };
    Node { kind, pos }
}

/// The shape serde-saphyr fills in; converted into [`Node`] right away.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            entries.push((key, map.next_value()?));
        }
        Ok(Raw::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}
