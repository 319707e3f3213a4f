//! `roadmap items`: the items, filtered.

use std::io::Write;

use crate::cli::{Format, ItemsArgs};
use crate::context::Context;
use crate::error::Result;
use crate::eval::State;
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
    } else if !args.states.is_empty() {
        StateFilter::In(states(&args.states)?)
    } else {
        StateFilter::All
    };
    let rows = eval::items::items(&map, &sel, &state, ctx.as_of);
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

/// `--state` names, case-insensitive; an unknown one gets a did-you-mean
/// and the list of states.
fn states(names: &[String]) -> Result<Vec<State>> {
    let all = State::ALL.map(State::name);
    names
        .iter()
        .map(|name| {
            let name = name.trim();
            match State::parse(&name.to_lowercase()) {
                Some(s) => Ok(s),
                // The state `done` and friends once had: not done.
                None if name.eq_ignore_ascii_case("open") => Err(crate::error::Error::usage(
                    "`open` is not a state".to_string(),
                    Some(format!(
                        "--open lists every item not done; states: {}",
                        all.join(", ")
                    )),
                )),
                None => Err(super::unknown("state", name, all)),
            }
        })
        .collect()
}
