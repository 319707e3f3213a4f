//! `roadmap dashboard`: the plan's dashboards, panel by panel.

use std::io::Write;

use crate::cli::{CadenceArg, DashboardArgs, Format};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::{Cadence, Roadmap};
use crate::{eval, load, render};

pub fn run(args: &DashboardArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let cadence = args.cadence.map(|c| match c {
        CadenceArg::Daily => Cadence::Daily,
        CadenceArg::Weekly => Cadence::Weekly,
        CadenceArg::Monthly => Cadence::Monthly,
    });
    let chosen = chosen(&map, args.id.as_deref(), cadence)?;
    let history = load::history::history(&map)?;
    let report = eval::dashboard::dashboards(&map, &history, &chosen, ctx.as_of);
    match ctx.format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(
            render::dashboard::text(&report, f, ctx.style, ctx.width, cadence).as_bytes(),
        )?,
    }
    Ok(())
}

/// The dashboards asked for, in file order: the one named, those of a
/// cadence, or all.
fn chosen(map: &Roadmap, id: Option<&str>, cadence: Option<Cadence>) -> Result<Vec<usize>> {
    let ids = map.dashboards.iter().map(|d| d.id.as_str());
    match id {
        Some(id) if map.dashboards.is_empty() => Err(Error::usage(
            format!("unknown dashboard `{id}`"),
            Some("kpis.yaml has no dashboards; add them under `dashboards:`".into()),
        )),
        Some(id) => match ids.clone().position(|d| d == id) {
            Some(i) => Ok(vec![i]),
            None => Err(super::unknown("dashboard", id, ids)),
        },
        None => Ok((0..map.dashboards.len())
            .filter(|&i| cadence.is_none_or(|c| map.dashboards[i].cadence == c))
            .collect()),
    }
}
