//! The fast path: the positioned tree built straight from granit-parser's
//! event stream, with serde-saphyr's reading of every scalar.
//!
//! serde-saphyr runs the same parser, then deserialises every node through
//! serde into `Spanned` values that we copied into [`Node`]s; that layer
//! and the copy cost more than the parse. Here each event becomes its node
//! at once. The rules mirror what `saphyr::parse` does with our options
//! (YAML 1.2 core schema with strict booleans, serde-saphyr's integer and
//! float spellings, non-finite floats kept as strings, aliases replayed with
//! the alias's position), and the tests in `super` hold the two paths to
//! the same tree. Anything this path does not handle the same way returns
//! `None`, and the caller asks serde-saphyr, which also words every error.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, Span};

use super::{Key, Kind, Node, Scalar, Typed, limits, typed_scalar};
use crate::diag::Pos;

// serde-saphyr's default budget and alias limits, which `saphyr::parse`
// leaves as they are (nodes and events are `limits`). We decline a little
// before each, so that the reference never fails where we succeed.
const MAX_DEPTH: usize = 60; // Budget::max_depth 64
const MAX_ALIASES: usize = 45_000; // Budget::max_aliases 50,000
const MAX_ANCHORS: usize = 45_000; // Budget::max_anchors 50,000
const MAX_REPLAYED: usize = 900_000; // AliasLimits::max_total_replayed_events 1M
const MAX_RECORDED: usize = 900_000; // Budget::max_recorded_anchor_events 1M
const MAX_RECORDED_BYTES: usize = 60 << 20; // Budget::max_recorded_anchor_bytes 64 MiB
const MAX_SCALAR_BYTES: usize = 60 << 20; // Budget::max_total_scalar_bytes 64 MiB
// Budget::enforce_alias_anchor_ratio: at least 100 aliases, and more than
// ten per anchor, breach after the parse.
const RATIO_MIN_ALIASES: usize = 100;
const RATIO: usize = 10;

/// Build the tree for `src`, or `None` when serde-saphyr should (an error,
/// or anything unusual enough that only it can say what it means).
pub(super) fn build(src: &str) -> Option<Node> {
    let (max_nodes, max_events) = limits(src);
    let mut b = Builder {
        src,
        stack: Vec::with_capacity(16),
        anchors: Vec::new(),
        root: None,
        open_anchors: 0,
        documents: 0,
        count: Counts::default(),
        aliases: 0,
        anchors_defined: 0,
        replayed: 0,
        recorded: 0,
        recorded_bytes: 0,
        max_nodes,
        max_events,
    };
    // The options serde-saphyr passes for its default budget: the parser's
    // own defaults, without comment events.
    let options = granit_parser::options! { emit_comments: false };
    let mut end = Span::default();
    for item in Parser::new_from_str_with_options(src, options) {
        let (event, span) = item.ok()?;
        b.count.events += 1;
        if b.count.events > b.max_events {
            return None;
        }
        match event {
            Event::StreamStart | Event::DocumentEnd => {}
            Event::DocumentStart(..) => {
                b.documents += 1;
                if b.documents > 1 {
                    return None;
                }
            }
            Event::StreamEnd => end = span,
            Event::Scalar(value, style, anchor, tag) => {
                if tag.is_some() {
                    return None;
                }
                b.scalar(value, style, anchor, &span)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                if tag.is_some() {
                    return None;
                }
                b.open(Open::Seq(Vec::new()), anchor, &span)?;
            }
            Event::MappingStart(_, anchor, tag) => {
                if tag.is_some() {
                    return None;
                }
                b.open(Open::Map(Vec::new(), None), anchor, &span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => b.close()?,
            Event::Alias(id) => b.alias(id, &span)?,
            _ => return None,
        }
    }
    if !b.stack.is_empty() {
        return None;
    }
    if b.aliases >= RATIO_MIN_ALIASES && b.aliases > RATIO.saturating_mul(b.anchors_defined) {
        return None;
    }
    // A stream with no document at all is one null where the stream ends.
    Some(b.root.take().unwrap_or(Node {
        kind: Kind::Null,
        pos: pos(&end),
    }))
}

/// Where a node sits: what serde-saphyr's `Location` for the same span says.
fn pos(span: &Span) -> Pos {
    let start = span.start.byte_offset().unwrap_or(0);
    let end = span.end.byte_offset().unwrap_or(start);
    Pos {
        line: span.start.line() as u64,
        col: span.start.col() as u64 + 1,
        offset: start,
        len: end.saturating_sub(start),
    }
}

/// Running totals, compared before and after an anchored node to know
/// what replaying it costs.
#[derive(Clone, Copy, Default)]
struct Counts {
    events: usize,
    nodes: usize,
    bytes: usize,
}

struct Builder<'s> {
    src: &'s str,
    stack: Vec<Frame>,
    /// By anchor id: the finished node and what it cost to build.
    anchors: Vec<Option<Anchored>>,
    root: Option<Node>,
    /// Anchored collections still open: each event is recorded once per
    /// such anchor in serde-saphyr, which budgets those copies.
    open_anchors: usize,
    documents: usize,
    count: Counts,
    aliases: usize,
    anchors_defined: usize,
    replayed: usize,
    recorded: usize,
    recorded_bytes: usize,
    max_nodes: usize,
    max_events: usize,
}

struct Frame {
    open: Open,
    pos: Pos,
    anchor: usize,
    before: Counts,
    /// Levels of collections from this one down, itself included.
    depth: usize,
}

enum Open {
    Seq(Vec<Node>),
    /// Entries so far, and the key waiting for its value.
    Map(Vec<(Key, Node)>, Option<Key>),
}

struct Anchored {
    node: Node,
    cost: Counts,
    depth: usize,
}

impl Builder<'_> {
    fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                open: Open::Map(_, None),
                ..
            })
        )
    }

    fn node_budget(&mut self, cost: Counts) -> Option<()> {
        self.count.nodes += cost.nodes;
        self.count.bytes += cost.bytes;
        let copies = self.open_anchors;
        self.recorded += copies.saturating_mul(cost.events);
        self.recorded_bytes += copies.saturating_mul(cost.bytes);
        let over = self.count.nodes > self.max_nodes
            || self.count.bytes > MAX_SCALAR_BYTES
            || self.recorded > MAX_RECORDED
            || self.recorded_bytes > MAX_RECORDED_BYTES;
        (!over).then_some(())
    }

    /// A scalar stays borrowed from the source where the parser could lend
    /// it, until we know it is a string: a number, a boolean or a null
    /// costs no copy of its event text.
    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        span: &Span,
    ) -> Option<()> {
        let cost = Counts {
            events: 1,
            nodes: 1,
            bytes: value.len(),
        };
        self.open_anchors += usize::from(anchor != 0);
        let budget = self.node_budget(cost);
        self.open_anchors -= usize::from(anchor != 0);
        budget?;
        let pos = pos(span);
        if self.expecting_key() {
            // Keys become strings: a null one is an error, `<<` merges, and
            // an anchored key could be aliased as a value: serde-saphyr's.
            let plain = style == ScalarStyle::Plain;
            if anchor != 0 || plain && is_null(&value) || value == "<<" {
                return None;
            }
            let Some(Frame {
                open: Open::Map(_, key),
                ..
            }) = self.stack.last_mut()
            else {
                return None;
            };
            *key = Some(Key {
                name: value.into_owned(),
                pos,
            });
            return Some(());
        }
        let kind = resolve(self.src, value, style, pos);
        let node = Node { kind, pos };
        if anchor != 0 {
            self.define(anchor, &node, cost, 0)?;
        }
        self.push(node)
    }

    fn open(&mut self, open: Open, anchor: usize, span: &Span) -> Option<()> {
        if self.expecting_key() || self.stack.len() >= MAX_DEPTH {
            // A list or mapping as a key: serde-saphyr refuses it.
            return None;
        }
        // The start event is already counted: it is part of the replay.
        let before = Counts {
            events: self.count.events - 1,
            ..self.count
        };
        self.open_anchors += usize::from(anchor != 0);
        self.node_budget(Counts {
            events: 1,
            nodes: 1,
            bytes: 0,
        })?;
        self.stack.push(Frame {
            open,
            pos: pos(span),
            anchor,
            before,
            depth: 1,
        });
        Some(())
    }

    fn close(&mut self) -> Option<()> {
        let frame = self.stack.pop()?;
        let kind = match frame.open {
            Open::Seq(items) => Kind::Seq(items),
            Open::Map(entries, None) => {
                if has_duplicates(&entries) {
                    return None;
                }
                Kind::Map(entries)
            }
            Open::Map(_, Some(_)) => return None,
        };
        if let Some(parent) = self.stack.last_mut() {
            parent.depth = parent.depth.max(frame.depth + 1);
        }
        let node = Node {
            kind,
            pos: frame.pos,
        };
        if frame.anchor != 0 {
            self.open_anchors -= 1;
            let cost = Counts {
                events: self.count.events - frame.before.events,
                nodes: self.count.nodes - frame.before.nodes,
                bytes: self.count.bytes - frame.before.bytes,
            };
            self.define(frame.anchor, &node, cost, frame.depth)?;
        }
        self.push(node)
    }

    fn define(&mut self, id: usize, node: &Node, cost: Counts, depth: usize) -> Option<()> {
        self.anchors_defined += 1;
        if self.anchors_defined > MAX_ANCHORS {
            return None;
        }
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = Some(Anchored {
            node: node.clone(),
            cost,
            depth,
        });
        Some(())
    }

    /// An alias is its anchor's node again, every position inside it at the
    /// `*name` that uses it (where serde-saphyr's `referenced` points).
    fn alias(&mut self, id: usize, span: &Span) -> Option<()> {
        self.aliases += 1;
        if self.aliases > MAX_ALIASES || self.expecting_key() {
            return None;
        }
        // Not yet complete (a recursive alias) or unknown: serde-saphyr's.
        let anchored = self.anchors.get(id)?.as_ref()?;
        let (cost, depth) = (anchored.cost, anchored.depth);
        self.replayed += cost.events;
        self.count.events += cost.events;
        if self.replayed > MAX_REPLAYED
            || self.count.events > self.max_events
            || self.stack.len() + depth > MAX_DEPTH
        {
            return None;
        }
        self.node_budget(cost)?;
        if let Some(parent) = self.stack.last_mut() {
            parent.depth = parent.depth.max(depth + 1);
        }
        let mut node = self.anchors[id].as_ref()?.node.clone();
        relocate(&mut node, pos(span));
        self.push(node)
    }

    fn push(&mut self, node: Node) -> Option<()> {
        match self.stack.last_mut() {
            Some(Frame {
                open: Open::Seq(items),
                ..
            }) => items.push(node),
            Some(Frame {
                open: Open::Map(entries, key),
                ..
            }) => entries.push((key.take()?, node)),
            None => {
                if self.root.is_some() {
                    return None;
                }
                self.root = Some(node);
            }
        }
        Some(())
    }
}

fn relocate(node: &mut Node, pos: Pos) {
    node.pos = pos;
    match &mut node.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|n| relocate(n, pos)),
        Kind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            k.pos = pos;
            relocate(v, pos);
        }),
        Kind::Null | Kind::Scalar(_) => {}
    }
}

/// serde-saphyr compares keys by their string, and plain integer keys by
/// value (`1` and `0x1` collide). Either kind of collision goes to it.
fn has_duplicates(entries: &[(Key, Node)]) -> bool {
    let numeric = |k: &Key| {
        k.name
            .starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
    };
    if entries.len() <= 16 {
        for (i, (a, _)) in entries.iter().enumerate() {
            for (b, _) in &entries[..i] {
                let same_int = || {
                    numeric(a)
                        && numeric(b)
                        && int_key(&a.name).is_some_and(|i| int_key(&b.name) == Some(i))
                };
                if a.name == b.name || same_int() {
                    return true;
                }
            }
        }
        return false;
    }
    let mut names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return true;
    }
    let mut ints: Vec<(bool, u128)> = entries
        .iter()
        .filter(|(k, _)| numeric(k))
        .filter_map(|(k, _)| int_key(&k.name))
        .collect();
    ints.sort_unstable();
    ints.windows(2).any(|w| w[0] == w[1])
}

/// A key's integer identity as serde-saphyr fingerprints it: sign and
/// magnitude. Quoted keys never get one there; treating them alike only
/// sends more files to it.
fn int_key(t: &str) -> Option<(bool, u128)> {
    let t = yaml_trim(t);
    if t.starts_with('-') {
        let v = signed(t)?;
        Some((v < 0, v.unsigned_abs()))
    } else {
        Some((false, unsigned(t)?))
    }
}

fn is_null(value: &str) -> bool {
    matches!(value, "" | "~" | "null" | "Null" | "NULL")
}

/// serde-saphyr's `deserialize_any` for an untagged scalar, with
/// `strict_booleans` and `NonFiniteFloatPolicy::AsString`, then our
/// `convert`'s choice of text.
fn resolve(src: &str, value: Cow<'_, str>, style: ScalarStyle, pos: Pos) -> Kind {
    if style != ScalarStyle::Plain {
        return string(src, value.into_owned(), pos);
    }
    if is_null(&value) {
        return Kind::Null;
    }
    let t = yaml_trim(&value);
    match t {
        "true" | "True" | "TRUE" => {
            return typed_scalar(src, pos, Typed::Bool(true), || t.into());
        }
        "false" | "False" | "FALSE" => {
            return typed_scalar(src, pos, Typed::Bool(false), || t.into());
        }
        _ => {}
    }
    if t.starts_with('-') {
        if !leading_zero_decimal(t)
            && let Some(v) = signed(t).and_then(|v| i64::try_from(v).ok())
        {
            return typed_scalar(src, pos, Typed::Int(v), || v.to_string());
        }
    } else if let Some(v) = unsigned(t).and_then(|v| u64::try_from(v).ok()) {
        return match i64::try_from(v) {
            Ok(v) => typed_scalar(src, pos, Typed::Int(v), || v.to_string()),
            Err(_) => typed_scalar(src, pos, Typed::Float(v as f64), || (v as f64).to_string()),
        };
    }
    match float(t) {
        Some(f) if f.is_finite() => typed_scalar(src, pos, Typed::Float(f), || f.to_string()),
        Some(f) => {
            let canonical = if f.is_nan() {
                ".nan"
            } else if f.is_sign_negative() {
                "-.inf"
            } else {
                ".inf"
            };
            string(src, canonical.to_string(), pos)
        }
        None => Kind::Scalar(Scalar {
            text: value.into_owned(),
            typed: Typed::Str,
        }),
    }
}

/// A string node. A non-finite float arrives at `convert` as its canonical
/// string (`.inf` for `1e400`), so it looks there for the user's own
/// spelling in the source; a quoted `".inf"` keeps its decoded text.
fn string(src: &str, value: String, pos: Pos) -> Kind {
    if matches!(value.as_str(), ".nan" | ".inf" | "-.inf") {
        return match typed_scalar(src, pos, Typed::Str, || value.clone()) {
            Kind::Scalar(mut sc) if sc.text.starts_with(['"', '\'']) => {
                sc.text = value;
                Kind::Scalar(sc)
            }
            k => k,
        };
    }
    Kind::Scalar(Scalar {
        text: value,
        typed: Typed::Str,
    })
}

fn yaml_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn leading_zero_decimal(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Digits in `radix`, single underscores allowed between them.
fn digits(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut val: u128 = 0;
    let mut saw = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let prev_ok = i > 0 && bytes[i - 1] != b'_';
            let next_ok = i + 1 < bytes.len() && bytes[i + 1] != b'_';
            if !prev_ok || !next_ok {
                return None;
            }
            continue;
        }
        let d = (b as char).to_digit(16).filter(|&d| d < radix)?;
        val = val
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(val)
}

fn radix_and_digits(rest: &str) -> (u32, &str) {
    for (radix, lower, upper) in [(16, "0x", "0X"), (8, "0o", "0O"), (2, "0b", "0B")] {
        if let Some(r) = rest
            .strip_prefix(lower)
            .or_else(|| rest.strip_prefix(upper))
        {
            return (radix, r);
        }
    }
    (10, rest)
}

/// serde-saphyr's `parse_int_signed` (no legacy octal), as i128.
fn signed(t: &str) -> Option<i128> {
    let (neg, rest) = match t.strip_prefix('+') {
        Some(r) => (false, r),
        None => match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        },
    };
    let (radix, ds) = radix_and_digits(rest);
    if radix == 10 && ds.starts_with('0') && ds != "0" {
        return None;
    }
    let mag = digits(ds, radix)?;
    if neg {
        if mag == (i128::MAX as u128) + 1 {
            Some(i128::MIN)
        } else {
            i128::try_from(mag).ok()?.checked_neg()
        }
    } else {
        i128::try_from(mag).ok()
    }
}

/// serde-saphyr's `parse_int_unsigned` (no legacy octal), as u128.
fn unsigned(t: &str) -> Option<u128> {
    if t.starts_with('-') {
        return None;
    }
    let rest = t.strip_prefix('+').unwrap_or(t);
    let (radix, ds) = radix_and_digits(rest);
    if radix == 10 && ds.starts_with('0') && ds != "0" {
        return None;
    }
    digits(ds, radix)
}

/// serde-saphyr's `try_parse_float_incl_overflow`: YAML 1.2's `.inf` and
/// `.nan` spellings, what Rust parses as a finite float, and a numeral
/// too big for f64 as infinity.
fn float(t: &str) -> Option<f64> {
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    let parsed = t.parse::<f64>().ok()?;
    if parsed.is_finite() {
        return Some(parsed);
    }
    let digits_first = t
        .strip_prefix(['+', '-'])
        .unwrap_or(t)
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_digit);
    (digits_first && parsed.is_infinite()).then_some(parsed)
}
