//! `roadmap done` and `roadmap reopen`: set or remove items' `done` dates
//! in place.

use std::io::Write;

use crate::context::Context;
use crate::diag::suggest;
use crate::error::{Error, Result};
use crate::render::Style;
use crate::{edit, load};

/// `date`: Some for `done`, None for `reopen`; `redate`: the date was
/// given with `--on`, so an item done on another day gets this one.
pub fn run(
    ids: &[String],
    date: Option<chrono::NaiveDate>,
    redate: bool,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<()> {
    let _lock = edit::write::lock(&ctx.dir, ctx.wait)?;
    // Load under the lock, so a concurrent command's edit is seen.
    let map = load::load(&ctx.dir)?;
    let found = item_ids(&map, ids)?;
    let date_text = date.map(|d| d.to_string());
    let edits = edit::set_done(&map, &found, date_text.as_deref(), redate)?;
    let style = ctx.style;
    for e in &edits {
        writeln!(out, "{}", line(e, redate, style))?;
    }
    Ok(())
}

/// The items named on the command line, each once, in the order given;
/// every unknown id, with a did-you-mean, is an error that changes nothing.
pub(super) fn item_ids(map: &crate::model::Roadmap, ids: &[String]) -> Result<Vec<usize>> {
    let index: std::collections::HashMap<&str, usize> = map
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for id in ids {
        match index.get(id.as_str()) {
            Some(&i) if !found.contains(&i) => found.push(i),
            Some(_) => {}
            None => {
                let hint = suggest(id, map.items.iter().map(|i| i.id.as_str()));
                unknown.push(match hint {
                    Some(h) => format!("unknown item `{id}`: {h}"),
                    None => format!("unknown item `{id}`"),
                });
            }
        }
    }
    if !unknown.is_empty() {
        return Err(Error::usage(
            unknown.join("\n"),
            Some("nothing was changed; `roadmap items` lists the ids".into()),
        ));
    }
    Ok(found)
}

fn line(e: &edit::ItemEdit, redate: bool, style: Style) -> String {
    let file = e.file.display();
    match (&e.before, &e.after, e.changed()) {
        (Some(old), Some(d), true) => format!(
            "{} {} done date moved from {old} to {d} ({file})",
            style.green("✓"),
            e.id
        ),
        (_, Some(d), true) => format!("{} {} done on {d} ({file})", style.green("✓"), e.id),
        (_, None, true) => format!("{} {} reopened ({file})", style.yellow("↺"), e.id),
        (_, Some(d), false) if redate => {
            format!("· {} was already done on {d}; unchanged", e.id)
        }
        (_, Some(d), false) => format!(
            "· {} was already done on {d}; left as is (to change the date: --on DATE)",
            e.id
        ),
        (_, None, false) => format!("· {} is already open; left as is", e.id),
    }
}
