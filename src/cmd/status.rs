//! `roadmap status`: where the plan stands.

use std::io::Write;

use crate::cli::{Format, StatusArgs};
use crate::context::Context;
use crate::error::Result;
use crate::{eval, load, render};

pub fn run(args: &StatusArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let sel = super::selection(&map, &args.filter)?;
    let history = load::history::history(&map)?;
    let report = eval::status::status(&map, &history, &sel, ctx.as_of);
    let mut filters = String::new();
    for (flag, value) in [
        ("--track", &args.filter.track),
        ("--area", &args.filter.area),
        ("--owner", &args.filter.owner),
    ] {
        if let Some(v) = value {
            let v = if v.contains(' ') {
                format!("'{v}'")
            } else {
                v.clone()
            };
            filters.push_str(&format!(" {flag} {v}"));
        }
    }
    match ctx.format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(
            render::status::text(&report, f, ctx.style, ctx.width, &ctx.invocation, &filters)
                .as_bytes(),
        )?,
    }
    Ok(())
}
