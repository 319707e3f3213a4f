//! `roadmap items`: the items, filtered.

use std::io::Write;

use crate::cli::{Format, ItemsArgs};
use crate::context::Context;
use crate::error::Result;
use crate::eval::items::StateFilter;
use crate::{eval, load, render};

pub fn run(args: &ItemsArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let sel = super::selection(&map, &args.filter)?;
    let state = if args.open {
        StateFilter::Open
    } else if args.done {
        StateFilter::Done
    } else if args.overdue {
        StateFilter::Overdue
    } else {
        StateFilter::All
    };
    let rows = eval::items::items(&map, &sel, state, ctx.as_of);
    match ctx.format {
        Format::Json => render::json(
            out,
            &render::items::Listing {
                as_of: ctx.as_of,
                items: &rows,
            },
        )?,
        f => out.write_all(render::items::text(&rows, f, ctx.style, ctx.width).as_bytes())?,
    }
    Ok(())
}
