//! Small typed readers over the node tree that record a diagnostic for
//! every problem and keep going.
//!
//! Each reader returns `Option<T>`: `None` means "a problem was recorded",
//! so callers skip what depends on the value without reporting it twice.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::yaml::{Key, Kind, Node, Typed};
use crate::diag::{Diagnostic, Diagnostics, Pos, closest};

/// One file being decoded: its name, text and the shared diagnostics list.
pub struct Ctx<'a> {
    pub file: PathBuf,
    pub src: &'a str,
    pub diags: &'a mut Diagnostics,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &Path, src: &'a str, diags: &'a mut Diagnostics) -> Self {
        Ctx {
            file: file.to_path_buf(),
            src,
            diags,
        }
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>, hint: Option<String>) {
        let d = Diagnostic::new(&self.file, Some(pos), message)
            .with_hint(hint)
            .with_source(self.src);
        self.diags.push(d);
    }

    /// Read `node` as a mapping whose keys must all be in `known`.
    pub fn fields<'n>(&mut self, node: &'n Node, what: &str, known: &[&str]) -> Option<Fields<'n>> {
        let Kind::Map(entries) = &node.kind else {
            self.error(
                node.pos,
                format!("{what} should be a mapping, found {}", node.describe()),
                Some(format!("expected keys: {}", known.join(", "))),
            );
            return None;
        };
        let mut meant = Vec::new();
        for (key, _) in entries {
            if !known.contains(&key.name.as_str()) {
                let near = closest(&key.name, known.iter().copied());
                let hint = match near {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("known keys here: {}", known.join(", ")),
                };
                meant.extend(near.map(str::to_string));
                self.error(
                    key.pos,
                    format!("unknown key `{}` in {what}", key.name),
                    Some(hint),
                );
            }
        }
        Some(Fields {
            pos: node.pos,
            what: what.to_string(),
            entries,
            meant,
        })
    }

    /// A required or optional scalar as text. Null counts as absent.
    /// Control characters (a quoted `"\e[2J"`) become visible symbols: a
    /// title is shown on terminals, never obeyed by them.
    pub fn text(&mut self, node: &Node, key: &str) -> Option<String> {
        match &node.kind {
            Kind::Scalar(s) if !s.text.trim().is_empty() => {
                Some(crate::diag::visible(&s.text).into_owned())
            }
            Kind::Scalar(_) | Kind::Null => {
                self.error(node.pos, format!("`{key}` is empty"), None);
                None
            }
            _ => {
                self.error(
                    node.pos,
                    format!("`{key}` should be text, found {}", node.describe()),
                    None,
                );
                None
            }
        }
    }

    /// An id: short, typable, no spaces (`f1-legal`, `cac`).
    pub fn id(&mut self, node: &Node, key: &str) -> Option<String> {
        let id = self.text(node, key)?;
        if !crate::model::valid_id(&id) {
            let slug = slug(&id);
            self.error(
                node.pos,
                format!("`{id}` is not a valid {key}"),
                Some(format!(
                    "use lowercase letters, digits, `-` and `_` (e.g. `{slug}`)"
                )),
            );
            return None;
        }
        Some(id)
    }

    pub fn date(&mut self, node: &Node, key: &str) -> Option<NaiveDate> {
        let text = self.text(node, key)?;
        match parse_date(&text) {
            Ok(d) => Some(d),
            Err(msg) => {
                self.error(
                    node.pos,
                    format!("`{key}`: {msg}"),
                    Some("write dates as YYYY-MM-DD, e.g. `2026-01-31`".into()),
                );
                None
            }
        }
    }

    pub fn seq<'n>(&mut self, node: &'n Node, key: &str) -> Option<&'n [Node]> {
        match &node.kind {
            Kind::Seq(items) => Some(items),
            Kind::Null => Some(&[]),
            _ => {
                self.error(
                    node.pos,
                    format!("`{key}` should be a list, found {}", node.describe()),
                    None,
                );
                None
            }
        }
    }

    /// A positive whole number.
    pub fn count(&mut self, node: &Node, key: &str) -> Option<u32> {
        match &node.kind {
            Kind::Scalar(s) => match s.typed {
                Typed::Int(i) if i > 0 && i <= 1200 => Some(i as u32),
                _ => {
                    self.error(
                        node.pos,
                        format!(
                            "`{key}` should be a whole number from 1 to 1200, found `{}`",
                            s.text
                        ),
                        None,
                    );
                    None
                }
            },
            _ => {
                self.error(
                    node.pos,
                    format!("`{key}` should be a number, found {}", node.describe()),
                    None,
                );
                None
            }
        }
    }

    /// One of a fixed set of words (`higher`/`lower`, ...).
    pub fn choice<T: Copy>(&mut self, node: &Node, key: &str, options: &[(&str, T)]) -> Option<T> {
        let text = self.text(node, key)?;
        if let Some((_, v)) = options.iter().find(|(name, _)| *name == text) {
            return Some(*v);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let hint = closest(&text, names.iter().copied()).map_or_else(
            || format!("choose one of: {}", names.join(", ")),
            |c| format!("did you mean `{c}`?"),
        );
        self.error(
            node.pos,
            format!("`{text}` is not a valid `{key}`"),
            Some(hint),
        );
        None
    }
}

/// The entries of one mapping, looked up by key.
pub struct Fields<'n> {
    pub pos: Pos,
    what: String,
    entries: &'n [(Key, Node)],
    /// Keys that unknown keys here look like typos of (`titel` -> `title`).
    meant: Vec<String>,
}

impl<'n> Fields<'n> {
    /// An optional key; an explicit null counts as absent.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
            .filter(|v| v.kind != Kind::Null)
    }

    /// A key that must be present.
    pub fn req(&self, ctx: &mut Ctx, key: &str) -> Option<&'n Node> {
        let node = self.get(key);
        // A misspelt key was already reported with its fix; "missing" would
        // only repeat it.
        if node.is_none() && !self.meant.iter().any(|m| m == key) {
            let hint = missing_hint(key);
            ctx.error(
                self.pos,
                format!("{} is missing `{key}`", self.what),
                Some(hint),
            );
        }
        node
    }
}

/// How to add a required key, with what it is for where that is not
/// obvious from its name.
fn missing_hint(key: &str) -> String {
    let hint = match key {
        "id" => "add `id: NAME`: unique in the plan, of letters, digits and `-`",
        "area" => "add `area: NAME`, the kind of work (e.g. `area: Legal`)",
        "title" => "add `title: TEXT`: what is to be done",
        "months" => "add `months: N` or `months: FIRST-LAST` (e.g. `months: 1-6`)",
        "unit" => "add `unit: count` (or percent, usd, days, seconds, score/N, ratio...)",
        "severity" => "add `severity: critical` (act now) or `opportunity` (within 24h)",
        _ => return format!("add a `{key}:` line to it"),
    };
    hint.to_string()
}

/// A strict `YYYY-MM-DD` date (no times, no other layouts). Read digit by
/// digit: metric history has a date on each of millions of rows.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    let b = t.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!("`{t}` is not a date"));
    }
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
        .ok_or_else(|| format!("`{t}` is not a real date"))
}

/// A suggestion for an id: lowercase ASCII words joined with `-`.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = match c {
            'á' | 'à' | 'Á' => 'a',
            'é' | 'É' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'ü' | 'Ú' => 'u',
            'ñ' | 'Ñ' => 'n',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("2028-02-29"),
            Ok(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap())
        );
        assert_eq!(
            parse_date("2026-02-29"),
            Err("`2026-02-29` is not a real date".into())
        );
        assert_eq!(
            parse_date("2026-2-3"),
            Err("`2026-2-3` is not a date".into())
        );
        assert_eq!(
            parse_date("31/01/2026"),
            Err("`31/01/2026` is not a date".into())
        );
    }

    #[test]
    fn slugs_are_typable() {
        assert_eq!(slug("Curso de IA"), "curso-de-ia");
        assert_eq!(slug("Diseño Web"), "diseno-web");
    }
}
