//! `roadmap timeline`: phases and items in time, as a text chart or a
//! Mermaid Gantt chart.

use std::io::Write;

use crate::cli::{TimelineArgs, TimelineFormat};
use crate::context::Context;
use crate::error::Result;
use crate::{eval, load, render};

pub fn run(args: &TimelineArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let sel = super::selection(&map, &args.filter)?;
    let report = eval::timeline::timeline(&map, &sel, ctx.as_of);
    let text = match args.format {
        TimelineFormat::Json => return Ok(render::json(out, &report)?),
        TimelineFormat::Table => render::timeline::text(&report, ctx.format, ctx.style, ctx.width),
        TimelineFormat::Mermaid => render::timeline::mermaid(&report),
        TimelineFormat::Markdown => render::timeline::markdown(&report, &ctx.invocation),
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}
