//! `roadmap kpis`: targets, actuals, trends and projections.

use std::io::Write;

use crate::cli::{Format, KpisArgs};
use crate::context::Context;
use crate::error::Result;
use crate::{eval, load, render};

pub fn run(args: &KpisArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let phase = super::phase(&map, &args.phase)?;
    let history = load::history::history(&map)?;
    let report = eval::kpis::kpis(&map, &history, phase, ctx.as_of);
    match ctx.format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(render::kpis::text(&report, f, ctx.style, ctx.width).as_bytes())?,
    }
    Ok(())
}
