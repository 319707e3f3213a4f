//! `portfolio.yaml`: which roadmaps a portfolio holds, and the members
//! named on the command line, resolved to their folders.
//!
//! ```yaml
//! name: Acme group
//! members:
//!   - shop/roadmap          # relative to this file
//!   - teams/*/roadmap       # `*` matches within one folder name
//!   - ../labs               # a folder holding roadmap/ will do
//! ```

use std::path::{Path, PathBuf};

use super::decode::Ctx;
use super::yaml;
use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::error::{Error, Result};
use crate::model::Place;

/// The file `portfolio` reads when given neither paths nor `--config`.
pub const FILE: &str = "portfolio.yaml";

const KEYS: &[&str] = &["name", "members"];

/// A portfolio: its name and its members, in the order given (a glob's
/// matches sorted by name).
#[derive(Debug, Clone)]
pub struct Portfolio {
    pub name: Option<String>,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The roadmap folder (or what was named, when it holds no plan, so
    /// loading says what is missing there).
    pub dir: PathBuf,
    /// Where `portfolio.yaml` names it.
    pub place: Option<Place>,
}

/// Members named on the command line, each found as `--dir` finds a plan.
pub fn from_paths(paths: &[PathBuf], cwd: &Path) -> Vec<Member> {
    paths
        .iter()
        .map(|p| Member {
            dir: super::find_dir(Some(p), cwd).unwrap_or_else(|_| p.clone()),
            place: None,
        })
        .collect()
}

/// Read a portfolio file, reporting every problem in it at once.
pub fn read(path: &Path) -> Result<Portfolio> {
    let shown = display_path(path);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let d = Diagnostic::new(&shown, None, "no such file").with_hint(Some(format!(
                "write a {FILE} with `name:` and `members:` (see the README's \"Portfolio\"), \
                 or name the plans: `roadmap portfolio PATH...`"
            )));
            return Err(Error::Invalid(Diagnostics(vec![d])));
        }
        Err(e) => return Err(Error::io(&shown, e)),
    };
    let base = path.parent().unwrap_or(Path::new(""));
    let mut diags = Diagnostics::default();
    let portfolio = parse(&text, &shown, base, &mut diags);
    match portfolio {
        Some(p) if diags.is_empty() => Ok(p),
        _ => {
            diags.sort();
            Err(Error::Invalid(diags))
        }
    }
}

fn parse(text: &str, shown: &Path, base: &Path, diags: &mut Diagnostics) -> Option<Portfolio> {
    let root = match yaml::parse(text, shown) {
        Ok(r) => r,
        Err(d) => {
            diags.push(*d);
            return None;
        }
    };
    let mut ctx = Ctx::new(shown, text, diags);
    let f = ctx.fields(&root, "a portfolio file", KEYS)?;
    let name = f.get("name").and_then(|n| ctx.text(n, "name"));
    let list = f
        .req(&mut ctx, "members")
        .and_then(|n| ctx.seq(n, "members"))?;
    let mut members = Vec::new();
    for node in list {
        let Some(entry) = ctx.text(node, "members") else {
            continue;
        };
        let place = Place::new(shown, node.pos);
        if !entry.contains(['*', '?']) {
            let dir = base.join(&entry);
            members.push(Member {
                dir: super::find_dir(Some(&dir), Path::new(".")).unwrap_or(dir),
                place: Some(place),
            });
            continue;
        }
        let found = glob(base, &entry);
        if found.is_empty() {
            ctx.error(
                node.pos,
                format!("`{entry}` matches no folder"),
                Some(format!(
                    "`*` matches within one folder name, relative to {}; \
                     check the pattern, or remove it",
                    shown.display()
                )),
            );
        }
        for dir in found {
            members.push(Member {
                dir,
                place: Some(place.clone()),
            });
        }
    }
    if members.is_empty() && list.is_empty() {
        ctx.error(
            root.pos,
            "`members` is empty",
            Some("list the roadmap folders, e.g. `members: [teams/*/roadmap]`".into()),
        );
    }
    Some(Portfolio { name, members })
}

/// The folders `pattern` (`/`-separated, relative to `base`) matches, where
/// `*` and `?` match within one name, sorted; hidden folders only when the
/// pattern's part starts with `.`. A match that holds `roadmap/` but no
/// `roadmap.yaml` stands for that folder, as on the command line.
fn glob(base: &Path, pattern: &str) -> Vec<PathBuf> {
    let mut found = vec![base.to_path_buf()];
    for part in pattern.split('/').filter(|p| !p.is_empty() && *p != ".") {
        let mut next = Vec::new();
        for dir in &found {
            if !part.contains(['*', '?']) {
                let p = dir.join(part);
                if p.is_dir() {
                    next.push(p);
                }
                continue;
            }
            let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| (part.starts_with('.') || !n.starts_with('.')) && matches(part, n))
                .collect();
            names.sort();
            next.extend(names.into_iter().map(|n| dir.join(n)));
        }
        found = next;
    }
    found
        .into_iter()
        .map(|d| super::find_dir(Some(&d), Path::new(".")).unwrap_or(d))
        .collect()
}

/// Whether `name` matches `pattern`, `*` standing for any run of
/// characters and `?` for one.
fn matches(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // The classic two-pointer match with one backtrack point.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_matches_within_a_name() {
        assert!(matches("*", "sales"));
        assert!(matches("team-*", "team-a"));
        assert!(matches("t?am*s", "teams"));
        assert!(matches("*-api", "billing-api"));
        assert!(!matches("team-*", "sales"));
        assert!(!matches("*-api", "billing-app"));
        assert!(!matches("?", ""));
    }

    #[test]
    fn unknown_keys_get_a_did_you_mean_at_their_line() {
        let mut diags = Diagnostics::default();
        let text = "name: Acme\nmembres:\n  - a\n";
        parse(text, Path::new("portfolio.yaml"), Path::new(""), &mut diags);
        let first = &diags.0[0];
        assert_eq!(first.location(), "portfolio.yaml:2:1");
        assert!(
            first.hint.as_deref().unwrap().contains("members"),
            "{first:?}"
        );
    }
}
