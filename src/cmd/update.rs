//! `roadmap update`: what changed over a period and what is due next, for
//! the update a founder sends. Information only: it always exits 0.

use std::io::Write;

use chrono::Days;

use crate::cli::{Format, UpdateArgs};
use crate::context::{Context, parse_flag_date};
use crate::error::{Error, Result};
use crate::{eval, load, render};

/// The period `--since` opens when it is not given: a week.
const DEFAULT_DAYS: u64 = 7;

pub fn run(args: &UpdateArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let since = match &args.since {
        Some(text) => parse_flag_date("--since", text)?,
        None => ctx
            .as_of
            .checked_sub_days(Days::new(DEFAULT_DAYS))
            .unwrap_or(chrono::NaiveDate::MIN),
    };
    // An empty or backward period has no news: most likely the two dates
    // were swapped, or --as-of was left to default to today.
    if since >= ctx.as_of {
        let week = ctx
            .as_of
            .checked_sub_days(Days::new(DEFAULT_DAYS))
            .map_or_else(String::new, |d| format!(", e.g. `--since {d}`"));
        return Err(Error::usage(
            format!(
                "--since {since} is not before the as-of date, {}",
                ctx.as_of
            ),
            Some(format!(
                "the update covers the days after --since up to and including --as-of{week}"
            )),
        ));
    }
    let map = load::load(&ctx.dir)?;
    let history = load::history::history(&map)?;
    let report = eval::update::update(&map, &history, since, ctx.as_of);
    match ctx.format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(
            render::update::text(&report, f, ctx.style, ctx.width, &ctx.invocation).as_bytes(),
        )?,
    }
    Ok(())
}
