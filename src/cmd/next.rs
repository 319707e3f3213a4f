//! `roadmap next`: the items that can be started now, most urgent first.

use std::io::Write;

use crate::cli::{Format, NextArgs};
use crate::context::Context;
use crate::error::Result;
use crate::{eval, load, render};

pub fn run(args: &NextArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let sel = super::selection(&map, &args.filter)?;
    let report = eval::next::next(&map, &sel, ctx.as_of);
    match ctx.format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(
            render::next::text(&report, f, ctx.style, ctx.width, &ctx.invocation).as_bytes(),
        )?,
    }
    Ok(())
}
