//! `roadmap start`, `block`, `unblock` and `assign`: set or remove an
//! item's `started`, `blocked` or `owner` in place, as `done` does with
//! `done`: one line each, all or nothing, under the lock.

use std::io::Write;

use chrono::NaiveDate;

use crate::context::Context;
use crate::diag::closest;
use crate::edit::{self, ItemEdit};
use crate::error::{Error, Result};
use crate::load;
use crate::model::Roadmap;
use crate::render::Style;

/// What to change on each item.
#[derive(Debug, Clone)]
pub enum Change {
    /// Set `started`; `redate`: the date was given with `--on`, so an item
    /// started on another day gets this one.
    Start {
        on: NaiveDate,
        redate: bool,
    },
    Block {
        reason: String,
    },
    Unblock,
    Assign {
        owner: String,
    },
}

pub fn run(ids: &[String], change: Change, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let _lock = edit::write::lock(&ctx.dir, ctx.wait)?;
    // Load under the lock, so a concurrent command's edit is seen.
    let map = load::load(&ctx.dir)?;
    let found = super::done::item_ids(&map, ids)?;
    let change = check(&map, &found, change)?;
    let (key, value, replace) = match &change {
        Change::Start { on, redate } => ("started", Some(on.to_string()), *redate),
        Change::Block { reason } => ("blocked", Some(reason.clone()), true),
        Change::Unblock => ("blocked", None, false),
        Change::Assign { owner } => ("owner", Some(owner.clone()), true),
    };
    let edits = edit::set_field(&map, &found, key, value.as_deref(), replace)?;
    for e in &edits {
        writeln!(out, "{}", line(e, &change, ctx.style))?;
    }
    Ok(())
}

/// Refuse what would leave the plan invalid or say something false, before
/// anything is written; give an owner the spelling of `people:`.
fn check(map: &Roadmap, found: &[usize], change: Change) -> Result<Change> {
    let mut problems = Vec::new();
    let change = match change {
        Change::Start { on, redate } => {
            for &i in found {
                let item = &map.items[i];
                if let Some(done) = item.done.filter(|d| *d < on) {
                    problems.push(format!(
                        "`{}` was done on {done}, before {on}: work starts before it is done",
                        item.id
                    ));
                }
            }
            Change::Start { on, redate }
        }
        Change::Block { reason } => {
            let reason = text("--reason", &reason, "say what is in the way")?;
            for &i in found {
                let item = &map.items[i];
                if let Some(done) = item.done {
                    problems.push(format!(
                        "`{}` is done (on {done}): done work cannot be blocked; `roadmap reopen {}` first",
                        item.id, item.id
                    ));
                }
            }
            Change::Block { reason }
        }
        Change::Assign { owner } => {
            let owner = text("--owner", &owner, "name a person or team")?;
            Change::Assign {
                owner: person(map, &owner)?,
            }
        }
        Change::Unblock => Change::Unblock,
    };
    if !problems.is_empty() {
        return Err(Error::usage(
            problems.join("\n"),
            Some("nothing was changed".into()),
        ));
    }
    Ok(change)
}

/// A value given on the command line, trimmed; empty is an error.
fn text(flag: &str, value: &str, what: &str) -> Result<String> {
    let t = value.trim();
    if t.is_empty() {
        return Err(Error::usage(format!("{flag} is empty"), Some(what.into())));
    }
    Ok(t.to_string())
}

/// With `people:` in the plan, the owner must be one of them: written as
/// the list writes it (`--owner ana` assigns `Ana`), and anything else is
/// an error with a did-you-mean. Without the list, any name goes.
pub(super) fn person(map: &Roadmap, owner: &str) -> Result<String> {
    let Some(people) = &map.people else {
        return Ok(owner.to_string());
    };
    if people.iter().any(|p| p == owner) {
        return Ok(owner.to_string());
    }
    let lower = owner.to_lowercase();
    let same: Vec<&String> = people
        .iter()
        .filter(|p| p.to_lowercase() == lower)
        .collect();
    if let [one] = same.as_slice() {
        return Ok((*one).clone());
    }
    let listed = people.join(", ");
    let hint = match closest(owner, people.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`? (people: {listed}); nothing was changed"),
        None => format!(
            "people: {listed}; add the name to `people:` in roadmap.yaml first; nothing was changed"
        ),
    };
    Err(Error::usage(
        format!("unknown owner `{owner}`: not in `people:`"),
        Some(hint),
    ))
}

fn line(e: &ItemEdit, change: &Change, style: Style) -> String {
    let file = e.file.display();
    let id = &e.id;
    let (before, after) = (e.before.as_deref(), e.after.as_deref());
    match (change, before, after, e.changed()) {
        (Change::Start { .. }, Some(old), Some(d), true) => format!(
            "{} {id} start date moved from {old} to {d} ({file})",
            style.green("▶")
        ),
        (Change::Start { .. }, None, Some(d), true) => {
            format!("{} {id} started on {d} ({file})", style.green("▶"))
        }
        (Change::Start { redate: true, .. }, _, Some(d), false) => {
            format!("· {id} was already started on {d}; unchanged")
        }
        (Change::Start { .. }, _, Some(d), false) => {
            format!("· {id} was already started on {d}; left as is (to change the date: --on DATE)")
        }
        (Change::Block { .. }, Some(old), Some(why), true) => format!(
            "{} {id} blocked: {why} (was: {old}) ({file})",
            style.red("■")
        ),
        (Change::Block { .. }, None, Some(why), true) => {
            format!("{} {id} blocked: {why} ({file})", style.red("■"))
        }
        (Change::Block { .. }, _, Some(why), false) => {
            format!("· {id} is already blocked: {why}; unchanged")
        }
        (Change::Unblock, Some(old), None, true) => {
            format!("{} {id} unblocked (was: {old}) ({file})", style.green("▶"))
        }
        (Change::Unblock, _, _, _) => format!("· {id} is not blocked; left as is"),
        (Change::Assign { .. }, Some(old), Some(who), true) => format!(
            "{} {id} owned by {who} (was: {old}) ({file})",
            style.green("✓")
        ),
        (Change::Assign { .. }, None, Some(who), true) => {
            format!("{} {id} owned by {who} ({file})", style.green("✓"))
        }
        (Change::Assign { .. }, _, Some(who), false) => {
            format!("· {id} is already owned by {who}; unchanged")
        }
        (_, _, _, _) => format!("· {id}: unchanged"),
    }
}
