//! `roadmap init [DIR] [--template T]`: write a starter plan into a folder
//! that holds none, then say what was written and what to run next. It
//! runs before a [`Context`](crate::context::Context) exists, since there
//! is no plan to find yet.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{Global, InitArgs, TemplateArg};
use crate::diag::display_path;
use crate::edit::init::{self, SCHEMA_DIR, Template};
use crate::error::{Error, Result};
use crate::load;

pub fn run(args: &InitArgs, global: &Global, out: &mut dyn Write) -> Result<()> {
    let dir = folder(args, global)?;
    let as_of = crate::context::as_of(global)?;
    let (template, what) = match args.template {
        TemplateArg::Blank => (Template::Blank, "a blank plan"),
        TemplateArg::Bakery => (Template::Bakery, "the bakery example"),
        TemplateArg::AiProducts => (Template::AiProducts, "the AI products plan"),
    };
    let files = init::plan(template, as_of);
    init::write(&dir, &files, std::time::Duration::from_secs(global.wait))?;

    let shown = display_path(&dir);
    writeln!(out, "Wrote {what} to {}/:", shown.display())?;
    for (path, _) in &files {
        if !path.starts_with(SCHEMA_DIR) {
            writeln!(out, "  {}", shown.join(path).display())?;
        }
    }
    let schemas = files.iter().filter(|(p, _)| p.starts_with(SCHEMA_DIR));
    writeln!(
        out,
        "  {}/  JSON Schemas for editors ({} files)",
        shown.join(SCHEMA_DIR).display(),
        schemas.count()
    )?;
    let roadmap = invocation(&dir)?;
    let next = [
        ("status", "where the plan stands"),
        ("items", "its items, and which are late"),
        ("validate", "after an edit: check every file"),
    ];
    let width = next.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    writeln!(out, "\nTry next:")?;
    for (command, why) in next {
        writeln!(out, "  {roadmap} {command:width$}  # {why}")?;
    }
    Ok(())
}

/// The folder to write: `DIR`, or `--dir` (or ROADMAP_DIR), or `roadmap`.
/// A `DIR` given wins over ROADMAP_DIR, which names the usual plan, not
/// this new one; with `--dir` too, they must agree.
fn folder(args: &InitArgs, global: &Global) -> Result<PathBuf> {
    let from_env = std::env::var_os("ROADMAP_DIR")
        .is_some_and(|v| global.dir.as_deref() == Some(Path::new(&v)));
    let flag = global
        .dir
        .as_ref()
        .filter(|_| !from_env || args.folder.is_none());
    match (&args.folder, flag) {
        (Some(a), Some(b)) if a != b => Err(Error::usage(
            format!(
                "two folders given: {} and --dir {}",
                a.display(),
                b.display()
            ),
            Some("name the new plan's folder once: `roadmap init DIR`".into()),
        )),
        (Some(d), _) | (None, Some(d)) => Ok(d.clone()),
        (None, None) => Ok(PathBuf::from("roadmap")),
    }
}

/// How to call us on the new plan: plain `roadmap` when it is the folder
/// a later command finds by itself, `roadmap --dir DIR` otherwise.
fn invocation(dir: &Path) -> Result<String> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let env = std::env::var_os("ROADMAP_DIR").map(PathBuf::from);
    let found = load::find_dir(env.as_deref(), &cwd).ok();
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if found.is_some_and(|f| same(&f, dir)) {
        return Ok("roadmap".into());
    }
    Ok(format!(
        "roadmap --dir {}",
        shell_word(&display_path(dir).display().to_string())
    ))
}

/// `text` as one shell word: as it is when that is safe, else quoted.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+:@%=".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_quoted_only_when_needed() {
        assert_eq!(shell_word("my-plan"), "my-plan");
        assert_eq!(shell_word("../plans/q3"), "../plans/q3");
        assert_eq!(shell_word("my plan"), "'my plan'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
