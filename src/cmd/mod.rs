//! One small file per subcommand, each gluing load -> eval -> render
//! (zoxide's layout). Dispatch is one `match`.

mod add;
mod alerts;
mod check;
mod dashboard;
mod diff;
mod done;
mod ingest;
pub mod init;
mod items;
mod kpis;
mod next;
mod portfolio;
mod record;
mod report;
mod risks;
pub mod schema;
mod status;
mod test;
mod timeline;
mod update;
mod validate;
mod work;

use std::io::Write;

use crate::cli::{Command, Filter, Format, TimelineFormat};
use crate::context::Context;
use crate::diag::suggest;
use crate::error::{Error, Result};
use crate::eval::Selection;
use crate::model::Roadmap;
use crate::render;

pub fn run(command: &Command, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    // A command that only reads holds a shared lock, so it sees a
    // concurrent multi-file write whole or not at all; one that writes
    // takes the exclusive lock itself.
    // A portfolio locks each member as it reads it.
    let _read = match command.writes() || matches!(command, Command::Portfolio(_)) {
        true => None,
        false => Some(crate::edit::write::read_lock(&ctx.dir, ctx.wait)?),
    };
    let Some(markdown) = summarised(command, ctx) else {
        return dispatch(command, ctx, out);
    };
    // The report is written whole once finished (a failed check still
    // prints its report, then exits 1), so it can be tidied and measured.
    let mut buf = Vec::new();
    let result = dispatch(command, ctx, &mut buf);
    let text = String::from_utf8_lossy(&buf);
    let text = match markdown {
        true => render::markdown::finish(&text),
        false => text.into_owned(),
    };
    out.write_all(render::markdown::cap(&text, render::markdown::BUDGET, markdown).as_bytes())?;
    result
}

/// Whether the command's report may land in a GitHub step summary, and if
/// so whether it is Markdown: every Markdown report (the format's purpose;
/// a command added later gets this without asking) and, when
/// `GITHUB_STEP_SUMMARY` is set, a table report too. JSON is never cut (a
/// program reads it whole), nor is Mermaid text, the HTML report or what a
/// command that writes files says it did.
fn summarised(command: &Command, ctx: &Context) -> Option<bool> {
    match (ctx.format, command) {
        (_, Command::Timeline(a)) if a.format == TimelineFormat::Mermaid => None,
        (_, Command::Portfolio(a)) if a.report => None,
        (Format::Markdown, _) => Some(true),
        (
            Format::Table,
            Command::Status(_)
            | Command::Items(_)
            | Command::Validate(_)
            | Command::Kpis(_)
            | Command::Dashboard(_)
            | Command::Check(_)
            | Command::Alerts(_)
            | Command::Risks(_)
            | Command::Test(_)
            | Command::Update(_)
            | Command::Timeline(_)
            | Command::Diff(_)
            | Command::Portfolio(_),
        ) if ctx.step_summary => Some(false),
        _ => None,
    }
}

fn dispatch(command: &Command, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    match command {
        Command::Status(args) => status::run(args, ctx, out),
        Command::Items(args) => items::run(args, ctx, out),
        Command::Validate(a) => validate::run(a, ctx, out),
        Command::Done { ids, on } => {
            let date = match on {
                Some(text) => crate::context::parse_flag_date("--on", text)?,
                None => ctx.as_of,
            };
            // Work is not done in the future: an item "done" later than the
            // as-of date would count as overdue until then.
            if date > ctx.as_of {
                return Err(Error::usage(
                    format!("--on {date} is after the as-of date, {}", ctx.as_of),
                    Some(
                        "mark work done once it is; to replay a past plan, pass --as-of too".into(),
                    ),
                ));
            }
            done::run(ids, Some(date), on.is_some(), ctx, out)
        }
        Command::Reopen { ids } => done::run(ids, None, false, ctx, out),
        Command::Next(args) => next::run(args, ctx, out),
        Command::Start { ids, on } => {
            let date = match on {
                Some(text) => crate::context::parse_flag_date("--on", text)?,
                None => ctx.as_of,
            };
            // As with `done`: a start later than the as-of date has not
            // happened yet, so the item would not show as started.
            if date > ctx.as_of {
                return Err(Error::usage(
                    format!("--on {date} is after the as-of date, {}", ctx.as_of),
                    Some(
                        "mark work started once it is; to replay a past plan, pass --as-of too"
                            .into(),
                    ),
                ));
            }
            let change = work::Change::Start {
                on: date,
                redate: on.is_some(),
            };
            work::run(ids, change, ctx, out)
        }
        Command::Block { ids, reason } => {
            let change = work::Change::Block {
                reason: reason.clone(),
            };
            work::run(ids, change, ctx, out)
        }
        Command::Unblock { ids } => work::run(ids, work::Change::Unblock, ctx, out),
        Command::Assign { ids, owner } => {
            let change = work::Change::Assign {
                owner: owner.clone(),
            };
            work::run(ids, change, ctx, out)
        }
        Command::Add(args) => add::run(args, ctx, out),
        Command::Ingest(args) => ingest::run(args, ctx, out),
        Command::Kpis(args) => kpis::run(args, ctx, out),
        Command::Dashboard(args) => dashboard::run(args, ctx, out),
        Command::Check(args) => check::run(args, ctx, out),
        Command::Alerts(args) => alerts::run(args, ctx, out),
        Command::Risks(args) => risks::run(args, ctx, out),
        Command::Test(args) => test::run(args, ctx, out),
        Command::Record(args) => record::run(args, ctx, out),
        Command::Update(args) => update::run(args, ctx, out),
        Command::Timeline(args) => timeline::run(args, ctx, out),
        Command::Diff(args) => diff::run(args, ctx, out),
        Command::Report(args) => report::run(args, ctx, out),
        Command::Portfolio(args) => portfolio::run(args, ctx, out),
        // Answered before a context exists; see `crate::run`.
        Command::Completions { .. } | Command::Man | Command::Init(_) | Command::Schema { .. } => {
            Ok(())
        }
    }
}

/// Resolve `--phase`, `--track` and `--area` against the roadmap, with a
/// did-you-mean for each unknown one.
pub fn selection(map: &Roadmap, f: &Filter) -> Result<Selection> {
    let phase = match &f.phase {
        Some(id) => Some(
            map.phase(id)
                .ok_or_else(|| unknown("phase", id, map.phases.iter().map(|p| p.id.as_str())))?,
        ),
        None => None,
    };
    let track = match &f.track {
        Some(id) => Some(
            map.track(id)
                .ok_or_else(|| unknown("track", id, map.tracks.iter().map(|t| t.id.as_str())))?,
        ),
        None => None,
    };
    let area = match &f.area {
        Some(a) => {
            let wanted = a.to_lowercase();
            if !map.items.iter().any(|i| i.area.to_lowercase() == wanted) {
                let mut areas: Vec<&str> = map.items.iter().map(|i| i.area.as_str()).collect();
                areas.sort_unstable();
                areas.dedup();
                return Err(unknown("area", a, areas));
            }
            Some(wanted)
        }
        None => None,
    };
    let owner = match &f.owner {
        Some(o) => {
            let wanted = o.trim().to_lowercase();
            let known = owners(map);
            if known.is_empty() {
                return Err(Error::usage(
                    format!("unknown owner `{o}`: no item has an owner"),
                    Some("`roadmap assign ID --owner NAME` gives an item one".into()),
                ));
            }
            if !known.iter().any(|k| k.to_lowercase() == wanted) {
                return Err(unknown("owner", o, known));
            }
            Some(wanted)
        }
        None => None,
    };
    Ok(Selection {
        phase,
        track,
        area,
        owner,
    })
}

/// The names `--owner` takes: the plan's `people:` when it lists them,
/// and every owner its items name, each once in its first spelling,
/// sorted.
pub fn owners(map: &Roadmap) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    let mut names: Vec<&str> = map
        .people
        .iter()
        .flatten()
        .map(String::as_str)
        .chain(map.items.iter().filter_map(|i| i.owner.as_deref()))
        .filter(|n| seen.insert(n.to_lowercase()))
        .collect();
    names.sort_unstable();
    names
}

/// Resolve a `--phase` option alone (for `kpis` and `check`).
fn phase(map: &Roadmap, phase: &Option<String>) -> Result<Option<usize>> {
    let filter = Filter {
        phase: phase.clone(),
        ..Filter::default()
    };
    Ok(selection(map, &filter)?.phase)
}

/// Store `rows` (from `ingest` or `record`) under the lock already held,
/// and say what happened.
fn store(
    map: &Roadmap,
    stored: &crate::load::history::Stored,
    rows: Vec<crate::model::history::Row>,
    args: &crate::cli::StoreArgs,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<()> {
    let plan = crate::edit::history::plan(map, stored, rows, args.replace, ctx.as_of)?;
    if !args.dry_run {
        crate::edit::history::apply(map, stored, &plan)?;
    }
    let file = crate::diag::display_path(&stored.path);
    out.write_all(
        crate::render::values::text(map, &plan, &file, args.dry_run, ctx.style, ctx.width)
            .as_bytes(),
    )?;
    Ok(())
}

fn unknown<'a>(what: &str, id: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> Error {
    let all: Vec<&str> = known.clone().into_iter().collect();
    // With a handful of choices, naming them all helps more than a guess.
    let list = format!("{what}s: {}", all.join(", "));
    let hint = match suggest(id, known) {
        Some(s) if all.len() <= 12 => format!("{s} ({list})"),
        Some(s) => s,
        None if all.len() <= 40 => list,
        None => format!("see `roadmap items` for the {what}s"),
    };
    Error::usage(format!("unknown {what} `{id}`"), Some(hint))
}
