//! `roadmap report`: the plan as one self-contained HTML page to share,
//! written atomically to `--out FILE` (or to standard output with `-`).
//! Information, like `status`: it exits 0 whatever the plan's state.

use std::io::Write;
use std::path::Path;

use crate::cli::ReportArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::{eval, load, render};

pub fn run(args: &ReportArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let history = load::history::history(&map)?;
    let report = eval::report::report(&map, &history, ctx.as_of);
    let page = render::html::page(&report);
    deliver(&args.out, &page, out, || render::html::summary(&report))
}

/// Write `page` to `path` atomically, or to `out` for `-`, and say so
/// with `summary`: how `report` and `portfolio --report` deliver a page.
pub(super) fn deliver(
    path: &Path,
    page: &str,
    out: &mut dyn Write,
    summary: impl FnOnce() -> String,
) -> Result<()> {
    if path == Path::new("-") {
        out.write_all(page.as_bytes())?;
        return Ok(());
    }
    // Said plainly, rather than as the OS's "No such file or directory".
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(Error::usage(
            format!(
                "cannot write {}: there is no folder {}",
                path.display(),
                folder.display()
            ),
            Some("create the folder first, or pass `--out -` to print the page".into()),
        ));
    }
    crate::edit::write::write_atomic(path, page.as_bytes())?;
    writeln!(out, "wrote {}: {}", path.display(), summary())?;
    Ok(())
}
