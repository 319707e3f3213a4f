//! `roadmap check`: one verdict for CI, every failure explained.

use std::io::Write;

use crate::cli::{CheckArgs, Format};
use crate::context::Context;
use crate::error::{Error, ExitCode, Result};
use crate::{eval, load, render};

pub fn run(args: &CheckArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let phase = super::phase(&map, &args.phase)?;
    let history = load::history::history(&map)?;
    let report = eval::check::check(&map, &history, phase, ctx.as_of);
    if ctx.github_actions {
        // On stderr: the runner reads workflow commands from both streams,
        // and stdout stays the report (often piped into the step summary).
        let _ = std::io::stderr()
            .write_all(render::check::annotations(&report, &ctx.invocation).as_bytes());
    }
    match ctx.format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(
            render::check::text(&report, f, ctx.style, ctx.width, &ctx.invocation).as_bytes(),
        )?,
    }
    if report.ok {
        Ok(())
    } else {
        Err(Error::Reported(ExitCode::Problem))
    }
}
