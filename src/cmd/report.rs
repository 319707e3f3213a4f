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
    if args.out == Path::new("-") {
        out.write_all(page.as_bytes())?;
        return Ok(());
    }
    // Said plainly, rather than as the OS's "No such file or directory".
    let folder = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(Error::usage(
            format!(
                "cannot write {}: there is no folder {}",
                args.out.display(),
                folder.display()
            ),
            Some("create the folder first, or pass `--out -` to print the page".into()),
        ));
    }
    crate::edit::write::write_atomic(&args.out, page.as_bytes())?;
    writeln!(
        out,
        "wrote {}: {}",
        args.out.display(),
        render::html::summary(&report)
    )?;
    Ok(())
}
