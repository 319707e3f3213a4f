//! `roadmap add TRACK "Title" --area A --months A-B`: check the new item
//! against the plan, insert it in the file holding the track (see
//! [`crate::edit::add`]), and write only once the plan with it loads.

use std::io::Write;

use crate::cli::AddArgs;
use crate::context::Context;
use crate::diag::{closest, suggest};
use crate::edit::add::{self, AddError, NewItem};
use crate::error::{Error, Result};
use crate::load;
use crate::load::decode::slug;
use crate::model::Roadmap;
use crate::model::months::MonthWindow;

/// Ids derived from a title are cut to about this many characters, at a
/// word boundary: long enough to tell items apart, short enough to type.
const ID_LEN: usize = 40;

pub fn run(args: &AddArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let months = MonthWindow::parse(args.months.trim()).map_err(|e| {
        Error::usage(
            format!("--months `{}`: {}", args.months, e.message),
            Some("give the months of one of the track's periods, e.g. `--months 4-6`".into()),
        )
    })?;
    let title = nonempty("title", &args.title, "say what is to be done")?;
    let _lock = crate::edit::write::lock(&ctx.dir, ctx.wait)?;
    // Load under the lock, so a concurrent command's edit is seen.
    let map = load::load(&ctx.dir)?;
    let Some(track) = map.tracks.iter().find(|t| t.id == args.track) else {
        let hint = suggest(&args.track, map.tracks.iter().map(|t| t.id.as_str()));
        let ids: Vec<&str> = map.tracks.iter().map(|t| t.id.as_str()).collect();
        return Err(Error::usage(
            format!("unknown track `{}`", args.track),
            Some(format!(
                "{}tracks: {}; nothing was changed",
                hint.map(|h| format!("{h} ")).unwrap_or_default(),
                ids.join(", ")
            )),
        ));
    };
    let area = area(&map, &args.area)?;
    let id = match &args.id {
        Some(id) => given_id(&map, id)?,
        None => derived_id(&map, &track.id, &title),
    };
    let after = super::done::item_ids(&map, &args.after)?
        .into_iter()
        .map(|i| map.items[i].id.clone())
        .collect();
    let owner = match &args.owner {
        Some(o) => Some(super::work::person(
            &map,
            &nonempty("--owner", o, "name a person or team")?,
        )?),
        None => None,
    };
    let item = NewItem {
        id,
        area,
        title,
        owner,
        after,
    };
    let file = &track.file;
    let src =
        std::fs::read_to_string(file).map_err(|e| Error::io(crate::diag::display_path(file), e))?;
    let text = add::insert_item(&src, file, &track.id, months, &item).map_err(|e| match e {
        AddError::NoPeriod(periods) => no_period(&track.id, months, &periods),
        AddError::NoTrack => Error::usage(
            format!("track `{}` is not in {}", track.id, file.display()),
            Some("nothing was written; report this as a bug".into()),
        ),
        AddError::Other(why) => Error::usage(
            format!(
                "cannot add to track `{}` in {}: {why}",
                track.id,
                file.display()
            ),
            Some("nothing was written; add the item by hand".into()),
        ),
    })?;
    add::validate_and_write(&map, file, text)?;
    writeln!(
        out,
        "{} {} added to {}, months {months} ({})",
        ctx.style.green("+"),
        item.id,
        track.id,
        file.display()
    )?;
    Ok(())
}

fn nonempty(what: &str, value: &str, hint: &str) -> Result<String> {
    let t = value.trim();
    if t.is_empty() {
        return Err(Error::usage(
            format!("the {what} is empty"),
            Some(hint.into()),
        ));
    }
    Ok(t.to_string())
}

/// An area already in the plan is written as the plan writes it (`--area
/// legal` gives `Legal`); a new one is taken as given.
fn area(map: &Roadmap, given: &str) -> Result<String> {
    let area = nonempty("--area", given, "name the area, e.g. `--area Legal`")?;
    let lower = area.to_lowercase();
    Ok(map
        .items
        .iter()
        .map(|i| &i.area)
        .find(|a| a.to_lowercase() == lower)
        .cloned()
        .unwrap_or(area))
}

/// `--id`: a valid id that no item has yet.
fn given_id(map: &Roadmap, id: &str) -> Result<String> {
    if !crate::model::valid_id(id) {
        return Err(Error::usage(
            format!("`{id}` is not a valid item id"),
            Some(format!(
                "use lowercase letters, digits, `-` and `_` (e.g. `{}`)",
                slug(id)
            )),
        ));
    }
    if map.items.iter().any(|i| i.id == id) {
        return Err(Error::usage(
            format!("item `{id}` already exists"),
            Some(format!(
                "choose another --id (e.g. `{}`); nothing was changed",
                unique(map, id)
            )),
        ));
    }
    Ok(id.to_string())
}

/// The track's id and the title's words (`shop` + "New oven" ->
/// `shop-new-oven`; a title starting with the track's id does not repeat
/// it), cut at a word to [`ID_LEN`], with `-2`, `-3`... if taken.
fn derived_id(map: &Roadmap, track: &str, title: &str) -> String {
    let words = slug(title);
    let full = if words.is_empty() {
        track.to_string()
    } else if words == track || words.starts_with(&format!("{track}-")) {
        words
    } else {
        format!("{track}-{words}")
    };
    let mut id = String::new();
    for word in full.split('-') {
        if !id.is_empty() && id.len() + 1 + word.len() > ID_LEN {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(word);
    }
    unique(map, &id)
}

fn unique(map: &Roadmap, id: &str) -> String {
    let taken = |c: &str| map.items.iter().any(|i| i.id == c);
    if !taken(id) {
        return id.to_string();
    }
    (2..)
        .map(|n| format!("{id}-{n}"))
        .find(|c| !taken(c))
        .expect("some suffix is free")
}

fn no_period(track: &str, months: MonthWindow, periods: &[(String, Option<String>)]) -> Error {
    let listed: Vec<String> = periods
        .iter()
        .map(|(m, name)| match name {
            Some(n) => format!("{m} ({n})"),
            None => m.clone(),
        })
        .collect();
    let near = closest(&months.to_string(), periods.iter().map(|(m, _)| m.as_str()));
    let hint = match (near, listed.is_empty()) {
        (_, true) => format!("track `{track}` has no periods; add one by hand first"),
        (Some(m), false) => format!(
            "did you mean `--months {m}`? (periods: {}); to add a period, edit the file by hand; nothing was changed",
            listed.join(", ")
        ),
        (None, false) => format!(
            "periods: {}; to add a period, edit the file by hand; nothing was changed",
            listed.join(", ")
        ),
    };
    Error::usage(
        format!("track `{track}` has no period with months {months}"),
        Some(hint),
    )
}
