//! `roadmap risks`: the contingency plan, with which risks are active as
//! of the date and why. Risks are information: it always exits 0.

use std::io::Write;

use crate::cli::{Format, RisksArgs};
use crate::context::Context;
use crate::error::Result;
use crate::{eval, load, render};

pub fn run(_args: &RisksArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let history = load::history::history(&map)?;
    let alerts = eval::alerts::evaluate(&map, &history, ctx.as_of);
    let rows = eval::risks::evaluate(&map, &history, &alerts, ctx.as_of);
    match ctx.format {
        Format::Json => render::json(
            out,
            &render::risks::Listing {
                as_of: ctx.as_of,
                risks: &rows,
            },
        )?,
        f => out
            .write_all(render::risks::text(&rows, ctx.as_of, f, ctx.style, ctx.width).as_bytes())?,
    }
    Ok(())
}
