//! `roadmap.yaml` and track files: the plan, its phases, tracks and items.

use std::collections::HashMap;

use super::decode::{Ctx, Fields};
use super::yaml::Node;
use super::{Builder, Seen};
use crate::diag::Pos;
use crate::model::months::MonthWindow;
use crate::model::quantity::{Unit, parse_value};
use crate::model::{Item, Phase, Track};

pub(super) const PLAN_KEYS: &[&str] = &[
    "name", "start", "months", "include", "phases", "people", "tracks",
];
pub(super) const PHASE_KEYS: &[&str] = &["id", "name", "months", "objective", "gate"];
pub(super) const GATE_KEYS: &[&str] = &["items"];
pub(super) const TRACK_FILE_KEYS: &[&str] = &["tracks"];
pub(super) const TRACK_KEYS: &[&str] = &["id", "name", "group", "periods"];
pub(super) const PERIOD_KEYS: &[&str] = &["months", "name", "items"];
pub(super) const ITEM_KEYS: &[&str] = &[
    "id", "title", "area", "done", "after", "owner", "started", "blocked", "due",
];

/// Decode `roadmap.yaml`; returns the `include` list (file name and where
/// it was written) for the caller to load.
pub fn plan(b: &mut Builder, ctx: &mut Ctx, root: &Node) -> Vec<(String, Pos)> {
    let Some(f) = ctx.fields(root, "roadmap.yaml", PLAN_KEYS) else {
        // An empty file, or a list: nothing it should define exists, and
        // what refers to it would only repeat this one error.
        b.broken
            .extend([super::Seen::Phase, super::Seen::Track, super::Seen::Item]);
        return Vec::new();
    };
    if let Some(n) = f.req(ctx, "name") {
        b.map.name = ctx.text(n, "name").unwrap_or_default();
    }
    b.start = f.req(ctx, "start").and_then(|n| ctx.date(n, "start"));
    b.months = f.req(ctx, "months").and_then(|n| ctx.count(n, "months"));
    // Dates are written YYYY-MM-DD: a plan past year 9999 could not be.
    if let (Some(start), Some(months), Some(n)) = (b.start, b.months, f.get("months")) {
        let last = crate::model::months::MonthWindow {
            start: months,
            end: months,
        }
        .last_day(start);
        if chrono::Datelike::year(&last) > 9999 {
            ctx.error(
                n.pos,
                format!("a plan of {months} months from {start} would end after the year 9999"),
                Some("check `start:` and `months:`".into()),
            );
            b.months = None;
        }
    }
    // A phase that did not load is reported once: targets naming it and
    // periods ending in it are not reported again.
    match f.get("phases").map(|n| ctx.seq(n, "phases")) {
        Some(Some(nodes)) => {
            for node in nodes {
                phase(b, ctx, node);
            }
            // A phase with a good id but bad months is known by its id
            // (see `Builder::resolve`); one without a usable id is not.
            if b.ids(super::Seen::Phase).len() < nodes.len() {
                b.broken.insert(super::Seen::Phase);
            }
            b.phases_whole = b.map.phases.len() == nodes.len();
        }
        _ => {
            b.broken.insert(super::Seen::Phase);
        }
    }
    check_overlaps(b, ctx);
    let mut includes = Vec::new();
    if let Some(n) = f.get("include") {
        for node in ctx.seq(n, "include").unwrap_or_default() {
            if let Some(name) = ctx.text(node, "include") {
                includes.push((name, node.pos));
            }
        }
    }
    if let Some(n) = f.get("people") {
        people(b, ctx, n);
    }
    tracks_of(b, ctx, &f);
    includes
}

/// `people:`: the names `owner:` may take. Read before any track, so that
/// every item's owner can be checked as it is read.
fn people(b: &mut Builder, ctx: &mut Ctx, node: &Node) {
    let mut names: Vec<String> = Vec::new();
    for n in ctx.seq(node, "people").unwrap_or_default() {
        let Some(name) = ctx.text(n, "people") else {
            continue;
        };
        if names.contains(&name) {
            ctx.error(
                n.pos,
                format!("`{name}` is listed twice in `people`"),
                Some("list each person or team once".into()),
            );
            continue;
        }
        names.push(name);
    }
    b.people = Some(names);
}

/// Decode a track file listed in `include:`.
pub fn track_file(b: &mut Builder, ctx: &mut Ctx, root: &Node) {
    if let Some(f) = ctx.fields(root, "a track file", TRACK_FILE_KEYS) {
        if f.get("tracks").is_none() {
            ctx.error(f.pos, "a track file needs a `tracks:` list", None);
        }
        tracks_of(b, ctx, &f);
    } else {
        b.broken.insert(Seen::Item);
    }
}

fn tracks_of(b: &mut Builder, ctx: &mut Ctx, f: &Fields) {
    if let Some(n) = f.get("tracks") {
        match ctx.seq(n, "tracks") {
            Some(nodes) => nodes.iter().for_each(|node| track(b, ctx, node)),
            None => {
                b.broken.insert(Seen::Item);
            }
        }
    }
}

fn phase(b: &mut Builder, ctx: &mut Ctx, node: &Node) {
    let Some(f) = ctx.fields(node, "a phase", PHASE_KEYS) else {
        return;
    };
    let id = f.req(ctx, "id").and_then(|n| ctx.id(n, "phase id"));
    let name = f.req(ctx, "name").and_then(|n| ctx.text(n, "name"));
    let window = f.req(ctx, "months").and_then(|n| window(b, ctx, n));
    let objective = f.get("objective").and_then(|n| ctx.text(n, "objective"));
    let mut gate_items = 1.0;
    if let Some(g) = f.get("gate")
        && let Some(gf) = ctx.fields(g, "a phase gate", GATE_KEYS)
        && let Some(n) = gf.get("items")
        && let Some(text) = ctx.text(n, "items")
    {
        match parse_value(&text, Unit::Percent) {
            Ok(p) if (0.0..=100.0).contains(&p) => gate_items = p / 100.0,
            Ok(_) => ctx.error(n.pos, "`items` should be between 0% and 100%", None),
            Err(e) => ctx.error(n.pos, format!("`items`: {}", e.message), e.hint),
        }
    }
    let id = id.and_then(|id| b.claim(ctx, Seen::Phase, &id, node.pos).then_some(id));
    if let (Some(id), Some(name), Some(window)) = (id, name, window) {
        b.map.phases.push(Phase {
            id,
            name,
            window,
            objective,
            gate_items,
        });
        b.phase_pos.push(node.pos);
    }
}

fn check_overlaps(b: &Builder, ctx: &mut Ctx) {
    let phases = &b.map.phases;
    for (i, p) in phases.iter().enumerate() {
        if let Some(q) = phases[..i].iter().find(|q| q.window.overlaps(&p.window)) {
            ctx.error(
                b.phase_pos[i],
                format!(
                    "phase `{}` (months {}) overlaps phase `{}` (months {})",
                    p.id, p.window, q.id, q.window
                ),
                Some("each month belongs to at most one phase".into()),
            );
        }
    }
}

/// A month window that must lie inside the plan.
fn window(b: &Builder, ctx: &mut Ctx, node: &Node) -> Option<MonthWindow> {
    let text = ctx.text(node, "months")?;
    let w = match MonthWindow::parse(&text) {
        Ok(w) => w,
        Err(e) => {
            ctx.error(node.pos, format!("`months`: {}", e.message), e.hint);
            return None;
        }
    };
    if let Some(months) = b.months
        && w.end > months
    {
        ctx.error(
            node.pos,
            format!("months `{w}` end after month {months}, the last month of the plan"),
            Some(format!(
                "the plan has `months: {months}`; use a window inside 1-{months}"
            )),
        );
        return None;
    }
    Some(w)
}

fn track(b: &mut Builder, ctx: &mut Ctx, node: &Node) {
    let Some(f) = ctx.fields(node, "a track", TRACK_KEYS) else {
        b.broken.insert(Seen::Item);
        return;
    };
    let id = f.req(ctx, "id").and_then(|n| ctx.id(n, "track id"));
    let name = f.req(ctx, "name").and_then(|n| ctx.text(n, "name"));
    let group = f.get("group").and_then(|n| ctx.text(n, "group"));
    let id = id.filter(|id| b.claim(ctx, Seen::Track, id, node.pos));
    let track = b.map.tracks.len();
    if let (Some(id), Some(name)) = (id, name) {
        b.map.tracks.push(Track {
            id,
            name,
            group,
            file: ctx.file.clone(),
        });
    }
    let Some(periods) = f.req(ctx, "periods").and_then(|n| ctx.seq(n, "periods")) else {
        b.broken.insert(Seen::Item);
        return;
    };
    // Items of a track whose own header was broken are still checked, but
    // not kept: they would point at a track that does not exist.
    let keep = b.map.tracks.len() > track;
    for p in periods {
        period(b, ctx, p, keep.then_some(track));
    }
}

fn period(b: &mut Builder, ctx: &mut Ctx, node: &Node, track: Option<usize>) {
    let Some(f) = ctx.fields(node, "a period", PERIOD_KEYS) else {
        b.broken.insert(Seen::Item);
        return;
    };
    let window = f.req(ctx, "months").and_then(|n| window(b, ctx, n));
    // Its items are due in the phase holding its last month: with none,
    // no gate would ever ask for them.
    if let (Some(w), Some(n)) = (window, f.get("months"))
        && !b.map.phases.is_empty()
        && b.phases_whole
        && !b.map.phases.iter().any(|p| p.window.contains(w.end))
    {
        let phases: Vec<String> = b
            .map
            .phases
            .iter()
            .map(|p| format!("{} ({})", p.id, p.window))
            .collect();
        ctx.error(
            n.pos,
            format!("months `{w}` end in month {}, which no phase holds", w.end),
            Some(format!(
                "phases: {}; end the period inside one, or widen a phase",
                phases.join(", ")
            )),
        );
    }
    let name = f
        .get("name")
        .and_then(|n| ctx.text(n, "name"))
        .unwrap_or_default();
    let Some(items) = f.req(ctx, "items").and_then(|n| ctx.seq(n, "items")) else {
        b.broken.insert(Seen::Item);
        return;
    };
    for node in items {
        item(b, ctx, node, track.zip(window), &name);
    }
}

fn item(
    b: &mut Builder,
    ctx: &mut Ctx,
    node: &Node,
    home: Option<(usize, MonthWindow)>,
    period: &str,
) {
    let Some(f) = ctx.fields(node, "an item", ITEM_KEYS) else {
        b.broken.insert(Seen::Item);
        return;
    };
    let id = f.req(ctx, "id").and_then(|n| ctx.id(n, "item id"));
    let title = f.req(ctx, "title").and_then(|n| ctx.text(n, "title"));
    let area = f.req(ctx, "area").and_then(|n| ctx.text(n, "area"));
    let done = optional(&f, "done", |n| ctx.date(n, "done"));
    let started = optional(&f, "started", |n| ctx.date(n, "started"));
    let blocked = optional(&f, "blocked", |n| ctx.text(n, "blocked"));
    let owner = optional(&f, "owner", |n| owner(b, ctx, n));
    let due = optional(&f, "due", |n| {
        let day = ctx.date(n, "due")?;
        due_in_window(b, ctx, n, day, home.map(|(_, w)| w))
    });
    if let (Some(Some(s)), Some(Some(d)), Some(n)) = (started, done, f.get("started"))
        && s > d
    {
        ctx.error(
            n.pos,
            format!("`started: {s}` is after `done: {d}`"),
            Some("work starts before it is done: correct one of the two dates".into()),
        );
    }
    if let (Some(id), Some(n)) = (&id, f.get("after")) {
        super::deps::read_after(b, ctx, id, n);
    }
    // An item without a usable id cannot be named: an `after:` naming what
    // it was meant to be would only repeat this error.
    if id.is_none() {
        b.broken.insert(Seen::Item);
    }
    let id = id.filter(|id| b.claim(ctx, Seen::Item, id, node.pos));
    if let (
        Some(id),
        Some(title),
        Some(area),
        Some(done),
        Some((track, window)),
        Some(started),
        Some(blocked),
        Some(owner),
        Some(due),
    ) = (id, title, area, done, home, started, blocked, owner, due)
    {
        b.map.items.push(Item {
            id,
            title,
            area,
            track,
            period: period.to_string(),
            window,
            phase: None,
            done,
            after: Vec::new(),
            owner,
            started,
            blocked,
            due,
            file: ctx.file.clone(),
            pos: node.pos,
        });
    }
}

/// An optional key: `Some(None)` when absent, `None` when present but a
/// problem was recorded.
fn optional<'n, T>(
    f: &Fields<'n>,
    key: &str,
    read: impl FnOnce(&'n Node) -> Option<T>,
) -> Option<Option<T>> {
    match f.get(key) {
        Some(n) => read(n).map(Some),
        None => Some(None),
    }
}

/// `owner:`: free text, or one of `people:` when the plan lists them.
fn owner(b: &Builder, ctx: &mut Ctx, node: &Node) -> Option<String> {
    let name = ctx.text(node, "owner")?;
    let Some(people) = &b.people else {
        return Some(name);
    };
    if people.contains(&name) {
        return Some(name);
    }
    let listed = people.join(", ");
    let hint = match crate::diag::closest(&name, people.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`? (people: {listed})"),
        None if people.is_empty() => {
            "`people:` in roadmap.yaml is empty; add the name there".into()
        }
        None => format!("people: {listed}; add the name to `people:` in roadmap.yaml"),
    };
    ctx.error(
        node.pos,
        format!("unknown owner `{name}`: not in `people:`"),
        Some(hint),
    );
    None
}

/// `due:` must be a day of the item's window: it moves the deadline
/// earlier, never out of the period the item is planned in.
fn due_in_window(
    b: &Builder,
    ctx: &mut Ctx,
    node: &Node,
    day: chrono::NaiveDate,
    window: Option<MonthWindow>,
) -> Option<chrono::NaiveDate> {
    // A plan whose start or length is wrong has no days to check against.
    let (Some(start), Some(_), Some(w)) = (b.start, b.months, window) else {
        return Some(day);
    };
    let (first, last) = (w.first_day(start), w.last_day(start));
    if (first..=last).contains(&day) {
        return Some(day);
    }
    let month = crate::model::months::month_of(start, day);
    let which = if (1..=i64::from(b.months.unwrap_or(0))).contains(&month) {
        format!("{day} is in month {month}")
    } else {
        format!("{day} is outside the plan")
    };
    ctx.error(
        node.pos,
        format!(
            "`due: {day}` is outside the item's window: months {w} run from {first} to {last}"
        ),
        Some(format!(
            "pick a day from {first} to {last}, or list the item under a period that holds it ({which})"
        )),
    );
    None
}

/// Where each id was first defined, so a duplicate can point back at it.
pub type FirstSeen = HashMap<(Seen, String), (std::path::PathBuf, Pos)>;
