//! A YAML document as a tree of nodes that remember where they came from.
//!
//! We deserialize into this generic tree (rather than straight into typed
//! structs) so that validation can report *every* problem in a file, each
//! at its `line:col`, instead of serde stopping at the first unknown key.
//! The byte offsets are what the in-place editor splices at.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::diag::{Diagnostic, Pos};

/// A node and its position in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A scalar's text as the user wrote it (for plain scalars) or its decoded
/// string (for quoted and block scalars), with YAML's typed reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub typed: Typed,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Typed {
    Str,
    Bool(bool),
    Int(i64),
    Float(f64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// What the node is, for "expected a mapping, found a list" messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "nothing",
            Kind::Scalar(s) => match s.typed {
                Typed::Str => "a string",
                Typed::Bool(_) => "a boolean",
                Typed::Int(_) | Typed::Float(_) => "a number",
            },
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// Parse `src` (the contents of `file`) into a node tree.
///
/// Budgets: a node needs at least two bytes of input, so an alias-free
/// file has fewer than len/2 nodes. Aliases replay nodes without input;
/// a roadmap file uses few (a rule test's shared snapshot, say), so four
/// times the input, and at least 20,000 nodes, leaves room for them while
/// an alias bomb (which multiplies nodes) fails within milliseconds.
/// serde-saphyr's own default (250,000 nodes) would refuse files of more
/// than ~27k items yet let a small bomb expand for seconds.
pub fn parse(src: &str, file: &Path) -> Result<Node, Box<Diagnostic>> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = src.len().saturating_mul(4).max(20_000);
    budget.max_events = src.len().saturating_mul(8).max(40_000);
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
    let mut root = convert(raw, src);
    // An empty file, or one of comments only, is "nothing" at its end:
    // point at its start, where a reader looks for what is missing.
    if root.kind == Kind::Null && root.pos.offset >= src.trim_end().len() {
        root.pos = Pos {
            line: 1,
            col: 1,
            offset: 0,
            len: 0,
        };
    }
    Ok(root)
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

/// Keep a plain scalar's own spelling (`1_000`, `1.50`) so that a title
/// that happens to look like a number is read back exactly as written.
fn typed_scalar(src: &str, pos: Pos, typed: Typed, fallback: impl Fn() -> String) -> Kind {
    let text = src
        .get(pos.offset..pos.offset + pos.len)
        .filter(|t| !t.is_empty())
        .map_or_else(fallback, str::to_string);
    Kind::Scalar(Scalar { text, typed })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(src: &str) -> Node {
        parse(src, Path::new("t.yaml")).expect("parses")
    }

    fn map(n: &Node) -> &[(Key, Node)] {
        match &n.kind {
            Kind::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn an_unquoted_reserved_character_gets_the_quoted_line_as_its_hint() {
        let fails = |src: &str| *parse(src, Path::new("t.yaml")).expect_err(src);
        for (line, hint) in [
            ("target: >= 100", r#"quote it: target: ">= 100""#),
            ("target: > 85%   # c", r#"quote it: target: "> 85%""#),
            ("  - warn: >= 5", r#"quote it: warn: ">= 5""#),
            ("text: @home", r#"quote it: text: "@home""#),
            ("text: `x` and \"y\"", r#"quote it: text: '`x` and "y"'"#),
            ("target: *150", r#"quote it: target: "*150""#),
        ] {
            let d = fails(&format!("a: 1\n{line}\n"));
            assert_eq!(d.pos.map(|p| p.line), Some(2), "{line}");
            assert_eq!(d.hint.as_deref(), Some(hint), "{line}: {}", d.message);
            assert!(d.message.contains("must be quoted"), "{}", d.message);
        }
        // A real alias with no anchor keeps the parser's own words.
        let d = fails("a: 1\nb: *week\n");
        assert!(d.message.contains("anchor"), "{}", d.message);
        assert!(!d.message.contains("quoted"), "{}", d.message);
    }

    #[test]
    fn keeps_positions_and_spelling() {
        let root = parse_ok("a: 1_000\nb: \"x\"\nc: yes\nd: ~\ne: 2026-01-02\n");
        let m = map(&root);
        assert_eq!(m[0].0.name, "a");
        assert_eq!((m[0].1.pos.line, m[0].1.pos.col), (1, 4));
        let Kind::Scalar(s) = &m[0].1.kind else {
            panic!()
        };
        assert_eq!((s.text.as_str(), s.typed), ("1_000", Typed::Int(1000)));
        // YAML 1.2: `yes` is a string, so a title "yes" stays a title.
        let Kind::Scalar(s) = &m[2].1.kind else {
            panic!()
        };
        assert_eq!((s.text.as_str(), s.typed), ("yes", Typed::Str));
        assert_eq!(m[3].1.kind, Kind::Null);
        assert_eq!(
            m[4].1.pos.offset,
            "a: 1_000\nb: \"x\"\nc: yes\nd: ~\ne: ".len()
        );
    }

    #[test]
    fn aliased_numbers_keep_their_own_spelling() {
        let root = parse_ok("a: &n 1_000\nb: *n\n");
        let m = map(&root);
        let Kind::Scalar(s) = &m[1].1.kind else {
            panic!()
        };
        assert_eq!((s.text.as_str(), s.typed), ("1_000", Typed::Int(1000)));
        // Messages still point at the alias, where the value is used.
        assert_eq!(m[1].1.pos.line, 2);
    }

    #[test]
    fn syntax_errors_have_a_position_and_no_duplicate_suffix() {
        let err = parse("a: 1\na: 2\n", Path::new("t.yaml")).unwrap_err();
        assert_eq!(err.pos.map(|p| p.line), Some(2));
        assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
        assert!(!err.message.contains("at line"), "{}", err.message);
    }

    #[test]
    fn alias_bombs_fail_fast() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8u8 {
            let (p, n) = ((b'a' + i) as char, (b'b' + i) as char);
            bomb.push_str(&format!(
                "{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            ));
        }
        let err = parse(&bomb, Path::new("bomb.yaml")).unwrap_err();
        assert!(
            err.message.contains("budget") || err.message.contains("alias"),
            "{}",
            err.message
        );
    }
}
