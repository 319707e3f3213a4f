//! A YAML document as a tree of nodes that remember where they came from.
//!
//! We deserialize into this generic tree (rather than straight into typed
//! structs) so that validation can report *every* problem in a file, each
//! at its `line:col`, instead of serde stopping at the first unknown key.
//! The byte offsets are what the in-place editor splices at.
//!
//! Two paths build the same tree. [`events`] builds it straight from
//! granit-parser's event stream, which is most of the cost of loading a
//! plan; it declines anything out of the ordinary (a syntax error, a
//! duplicate key, a tag, a merge key, a budget it might breach, a second
//! document), and then [`saphyr`], serde-saphyr's deserialiser over the
//! same parser, reads the file again and words the diagnostic. Keeping
//! one source of error messages is why the fast path may only ever say
//! "not me", never "wrong".

use std::path::Path;

use crate::diag::{Diagnostic, Pos};

mod events;
mod saphyr;

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
pub fn parse(src: &str, file: &Path) -> Result<Node, Box<Diagnostic>> {
    let root = match events::build(src) {
        Some(root) => root,
        None => saphyr::parse(src, file)?,
    };
    Ok(empty_at_start(root, src))
}

/// Node budgets, shared by both paths so that they accept the same files.
///
/// A node needs at least two bytes of input, so an alias-free file has
/// fewer than len/2 nodes. Aliases replay nodes without input; a roadmap
/// file uses few (a rule test's shared snapshot, say), so four times the
/// input, and at least 20,000 nodes, leaves room for them while an alias
/// bomb (which multiplies nodes) fails within milliseconds. serde-saphyr's
/// own default (250,000 nodes) would refuse files of more than ~27k items
/// yet let a small bomb expand for seconds. Returns (nodes, events).
fn limits(src: &str) -> (usize, usize) {
    (
        src.len().saturating_mul(4).max(20_000),
        src.len().saturating_mul(8).max(40_000),
    )
}

/// An empty file, or one of comments only, is "nothing" at its end:
/// point at its start, where a reader looks for what is missing.
fn empty_at_start(mut root: Node, src: &str) -> Node {
    if root.kind == Kind::Null && root.pos.offset >= src.trim_end().len() {
        root.pos = Pos {
            line: 1,
            col: 1,
            offset: 0,
            len: 0,
        };
    }
    root
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

    /// Both paths on `src`, with the empty-file rule `parse` applies.
    fn both(src: &str) -> (Option<Node>, Result<Node, Box<Diagnostic>>) {
        let fast = events::build(src).map(|n| empty_at_start(n, src));
        let slow = saphyr::parse(src, Path::new("t.yaml")).map(|n| empty_at_start(n, src));
        (fast, slow)
    }

    /// The event path agrees with serde-saphyr whenever it answers, and it
    /// answers for every file a roadmap holds: the plans, fixtures, examples,
    /// fuzz seeds and `init` templates in this repository.
    #[test]
    fn the_event_path_builds_the_same_tree_for_every_yaml_file_here() {
        fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name();
                if path.is_dir() {
                    if !matches!(name.to_str(), Some("target" | ".git")) {
                        walk(&path, out);
                    }
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(Path::new(env!("CARGO_MANIFEST_DIR")), &mut files);
        assert!(files.len() > 100, "found only {} YAML files", files.len());
        let mut accepted = 0;
        for file in &files {
            let Ok(src) = std::fs::read_to_string(file) else {
                continue; // not UTF-8: refused before parsing
            };
            match both(&src) {
                (Some(fast), Ok(slow)) => {
                    assert_eq!(fast, slow, "{}", file.display());
                    accepted += 1;
                }
                (None, Err(_)) => {}
                // Merge keys (`<<: *snapshot`) are serde-saphyr's to expand.
                (None, Ok(_)) if src.contains("<<") => {}
                (fast, slow) => panic!(
                    "{}: event path {}, serde-saphyr {}",
                    file.display(),
                    if fast.is_some() {
                        "accepts"
                    } else {
                        "declines"
                    },
                    if slow.is_ok() { "accepts" } else { "refuses" },
                ),
            }
        }
        assert!(accepted > 100, "only {accepted} files parsed");
    }

    #[test]
    fn the_event_path_reads_scalars_as_serde_saphyr_does() {
        let spellings = [
            "1_000",
            "0x1F",
            "0X1f",
            "0o17",
            "0b101",
            "-12",
            "+5",
            "007",
            "-007",
            "+007",
            "0",
            "-0",
            "+0",
            "1e3",
            "1E-3",
            "1.5",
            ".5",
            "5.",
            "-.5",
            "+.5",
            "1_0.5",
            "1__0",
            "_1",
            "1_",
            "0x",
            "0x_1",
            "-0x10",
            "+0x1F",
            ".inf",
            "-.inf",
            "+.inf",
            ".Inf",
            ".INF",
            ".nan",
            ".NaN",
            ".NAN",
            "-.nan",
            "nan",
            "inf",
            "infinity",
            "1e400",
            "-1e400",
            "1e-400",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "340282366920938463463374607431768211456",
            "true",
            "True",
            "TRUE",
            "tRue",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "~",
            "null",
            "Null",
            "NULL",
            "nUll",
            "",
            "2026-01-02",
            "12:30",
            "1.2.3",
            "a b",
            "héllo",
            "日本語",
            "🎉",
            "\".inf\"",
            "'.nan'",
            "\"1\"",
            "'true'",
            "\"\"",
            "''",
            "\"a\\tb\\u00e9\"",
            "'it''s'",
            "|-\n  .inf",
            "|\n  1\n",
            ">-\n  folded\n  text",
            "plain\n  continued",
        ];
        for s in spellings {
            for src in [format!("k: {s}\n"), format!("- {s}\n"), format!("[{s}]\n")] {
                let (fast, slow) = both(&src);
                match (fast, slow) {
                    (Some(fast), Ok(slow)) => assert_eq!(fast, slow, "{src:?}"),
                    (None, _) => {}
                    (Some(fast), Err(e)) => panic!("{src:?}: {fast:?} but {}", e.message),
                }
            }
            // Plain or quoted, in block context, the event path handles it.
            let src = format!("k: {s}\n");
            assert!(both(&src).0.is_some(), "declined {src:?}");
        }
    }

    #[test]
    fn aliases_replay_at_the_alias_in_both_paths() {
        let src =
            "base: &b\n  n: &n 1_000\n  list: &l [a, *n, {x: .inf}]\nuse: *b\nagain: [*l, *n]\n";
        let (fast, slow) = both(src);
        assert_eq!(fast.expect("event path"), slow.expect("serde-saphyr"));
    }

    #[test]
    fn the_event_path_declines_what_serde_saphyr_must_word() {
        // Tags and merge keys are valid, but serde-saphyr's to read.
        for src in ["a: !!str 1\n", "b: &b {x: 1}\na: {<<: *b, y: 2}\n"] {
            assert!(events::build(src).is_none(), "{src:?}");
            assert!(parse(src, Path::new("t.yaml")).is_ok(), "{src:?}");
        }
        for src in [
            "a: 1\na: 2\n",
            "1: x\n0x1: y\n",
            "a: 1\n---\nb: 2\n",
            "? [a]\n: 1\n",
            "~: 1\n",
            "a: *nope\n",
            "a: &a [*a]\n",
            "a: [1\n",
            "a: 1\n  b: 2\n",
        ] {
            assert!(events::build(src).is_none(), "{src:?}");
            assert!(parse(src, Path::new("t.yaml")).is_err(), "{src:?}");
        }
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;

        /// A YAML value to print, with what makes printing it interesting.
        #[derive(Debug, Clone)]
        enum Gen {
            Scalar(usize),
            Alias(usize),
            Seq(Vec<Gen>, bool, bool),
            Map(Vec<(usize, Gen)>, bool, bool),
        }

        const SCALARS: &[&str] = &[
            "1_000",
            "0x1F",
            "0o17",
            "-12",
            "+5",
            "007",
            "1e3",
            "1.50",
            ".5",
            "-.inf",
            ".NaN",
            "1e400",
            "9223372036854775808",
            "true",
            "False",
            "yes",
            "~",
            "null",
            "",
            "2026-01-02",
            "a b",
            "héllo ünï",
            "日本語 🎉",
            "\"quoted: yes\"",
            "'it''s'",
            "\"\\u00e9\\n\"",
            "\".inf\"",
            "x",
            "0",
            "-0",
            "1_0.5",
        ];
        const BLOCKS: &[&str] = &["|", "|-", ">", ">+", "|2"];
        const KEYS: &[&str] = &[
            "a", "b", "id", "title", "1", "0x1", "01", "\"q\"", "'s'", "ключ", "k 2", "true", "x",
            "\"a\"", "3",
        ];

        fn document() -> impl Strategy<Value = Gen> {
            let leaf = prop_oneof![
                6 => (0..SCALARS.len() + BLOCKS.len()).prop_map(Gen::Scalar),
                1 => (0usize..8).prop_map(Gen::Alias),
            ];
            leaf.prop_recursive(4, 48, 6, |inner| {
                prop_oneof![
                    (
                        prop::collection::vec(inner.clone(), 0..5),
                        any::<bool>(),
                        any::<bool>()
                    )
                        .prop_map(|(v, flow, anchor)| Gen::Seq(v, flow, anchor)),
                    (
                        prop::collection::vec((0..KEYS.len(), inner), 0..5),
                        any::<bool>(),
                        any::<bool>()
                    )
                        .prop_map(|(v, flow, anchor)| Gen::Map(v, flow, anchor)),
                ]
            })
        }

        struct Printer {
            out: String,
            anchors: usize,
            comment: bool,
        }

        impl Printer {
            fn anchor(&mut self, yes: bool) -> String {
                if !yes {
                    return String::new();
                }
                self.anchors += 1;
                format!("&a{} ", self.anchors)
            }

            fn inline(&mut self, g: &Gen, flow: bool, indent: usize) -> String {
                match g {
                    Gen::Scalar(i) if *i < SCALARS.len() => SCALARS[*i].to_string(),
                    Gen::Scalar(i) if flow => format!("\"{}\"", BLOCKS[i - SCALARS.len()]),
                    Gen::Scalar(i) => format!(
                        "{}\n{pad}  line one\n\n{pad}  line  two",
                        BLOCKS[i - SCALARS.len()],
                        pad = " ".repeat(indent)
                    ),
                    Gen::Alias(i) if self.anchors > 0 => format!("*a{}", i % self.anchors + 1),
                    Gen::Alias(_) => "alias".into(),
                    Gen::Seq(items, _, anchor) => {
                        let a = self.anchor(*anchor);
                        let items: Vec<String> =
                            items.iter().map(|g| self.inline(g, true, indent)).collect();
                        format!("{a}[{}]", items.join(", "))
                    }
                    Gen::Map(entries, _, anchor) => {
                        let a = self.anchor(*anchor);
                        let entries: Vec<String> = entries
                            .iter()
                            .map(|(k, g)| format!("{}: {}", KEYS[*k], self.inline(g, true, indent)))
                            .collect();
                        format!("{a}{{{}}}", entries.join(", "))
                    }
                }
            }

            fn is_block(g: &Gen) -> bool {
                matches!(g, Gen::Seq(v, false, _) if !v.is_empty())
                    || matches!(g, Gen::Map(v, false, _) if !v.is_empty())
            }

            fn line_end(&mut self) {
                self.comment = !self.comment;
                if self.comment {
                    self.out.push_str("  # note");
                }
                self.out.push('\n');
            }

            fn block(&mut self, g: &Gen, indent: usize) {
                let pad = " ".repeat(indent);
                match g {
                    Gen::Seq(items, false, anchor) if !items.is_empty() => {
                        for (n, item) in items.iter().enumerate() {
                            let a = if n == 0 {
                                self.anchor(*anchor)
                            } else {
                                String::new()
                            };
                            if n == 0 && !a.is_empty() {
                                self.out.push_str(&format!("{pad}{}", a.trim_end()));
                                self.out.push('\n');
                            }
                            self.out.push_str(&format!("{pad}-"));
                            self.child(item, indent);
                        }
                    }
                    Gen::Map(entries, false, anchor) if !entries.is_empty() => {
                        let a = self.anchor(*anchor);
                        if !a.is_empty() {
                            self.out.push_str(&format!("{pad}{}\n", a.trim_end()));
                        }
                        for (k, v) in entries {
                            self.out.push_str(&format!("{pad}{}:", KEYS[*k]));
                            self.child(v, indent);
                        }
                    }
                    _ => {
                        let s = self.inline(g, false, indent);
                        self.out.push_str(&format!("{pad}{s}"));
                        self.line_end();
                    }
                }
            }

            fn child(&mut self, g: &Gen, indent: usize) {
                if Self::is_block(g) {
                    self.line_end();
                    self.block(g, indent + 2);
                } else {
                    let s = self.inline(g, false, indent);
                    self.out.push(' ');
                    self.out.push_str(&s);
                    self.line_end();
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]
            #[test]
            fn generated_documents_build_the_same_tree(
                g in document(),
                crlf in any::<bool>(),
                header in any::<bool>(),
            ) {
                let mut p = Printer { out: String::new(), anchors: 0, comment: false };
                if header {
                    p.out.push_str("# a plan\n---\n");
                }
                p.block(&g, 0);
                let src = if crlf { p.out.replace('\n', "\r\n") } else { p.out };
                let (fast, slow) = both(&src);
                if let Some(fast) = fast {
                    match slow {
                        Ok(slow) => prop_assert_eq!(fast, slow, "{:?}", src),
                        Err(e) => prop_assert!(false, "{:?}: accepted, serde-saphyr says {}", src, e.message),
                    }
                }
            }
        }
    }
}
