//! Loading a roadmap folder: read every file, parse it into a positioned
//! node tree, then validate it into the [`model`](crate::model), collecting
//! every problem in one pass.

pub mod actions;
mod alerts;
pub(crate) mod decode;
mod deps;
pub mod history;
mod kpis;
mod plan;
pub mod portfolio;
pub mod rule_tests;
pub mod schema;
pub mod yaml;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use chrono::NaiveDate;

use decode::Ctx;
pub use decode::parse_date;

use crate::diag::{Diagnostic, Diagnostics, Pos, display_path, suggest};
use crate::error::{Error, Result};
use crate::model::Roadmap;

/// The file every roadmap folder has.
pub const PLAN_FILE: &str = "roadmap.yaml";
/// Optional files, loaded when present.
pub const KPIS_FILE: &str = "kpis.yaml";
pub const ALERTS_FILE: &str = "alerts.yaml";
pub const RISKS_FILE: &str = "risks.yaml";

/// Find the roadmap folder: `explicit` (from `--dir` or `$ROADMAP_DIR`) if
/// given, else the nearest `roadmap/` folder from `cwd` upward (or `cwd`
/// itself when it holds a `roadmap.yaml`).
pub fn find_dir(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    // Found even when it is not a regular file, so that loading says what
    // is wrong with it rather than "no roadmap found".
    let present = |p: &Path| std::fs::symlink_metadata(p.join(PLAN_FILE)).is_ok();
    if let Some(given) = explicit {
        return Ok(explicit_dir(given, present));
    }
    for dir in cwd.ancestors() {
        if present(dir) {
            return Ok(dir.to_path_buf());
        }
        let candidate = dir.join("roadmap");
        if present(&candidate) {
            return Ok(candidate);
        }
    }
    Err(Error::NoRoadmap {
        searched: format!(
            "no `roadmap/{PLAN_FILE}` in {} or any folder above it; pass `--dir PATH` or set ROADMAP_DIR",
            cwd.display()
        ),
    })
}

/// A `--dir` (or `ROADMAP_DIR`) names a plan the ways the upward search
/// finds one: the roadmap folder, a folder holding `roadmap/`, or the
/// `roadmap.yaml` file itself. Anything else is kept as given, so that
/// loading reports what is missing there.
fn explicit_dir(given: &Path, present: impl Fn(&Path) -> bool) -> PathBuf {
    if given.file_name().is_some_and(|n| n == PLAN_FILE) && given.is_file() {
        return match given.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
    }
    if !present(given) {
        // `--dir .` names the plan `roadmap/...` in messages, not `./roadmap/...`.
        let inner = match given == Path::new(".") {
            true => PathBuf::from("roadmap"),
            false => given.join("roadmap"),
        };
        if present(&inner) {
            return inner;
        }
    }
    given.to_path_buf()
}

/// Load and validate the roadmap in `dir`, parsing on a second thread
/// when the plan is big enough for it to pay (see [`Files`]).
pub fn load(dir: &Path) -> Result<Roadmap> {
    load_with(dir, true)
}

/// [`load`] on this thread alone: for a caller that already keeps every
/// core busy with plans of its own (`portfolio`), where a second thread
/// per plan only adds spawns and hand-overs.
pub fn load_here(dir: &Path) -> Result<Roadmap> {
    load_with(dir, false)
}

fn load_with(dir: &Path, threads: bool) -> Result<Roadmap> {
    let mut diags = Diagnostics::default();
    let mut b = Builder::new(dir);
    let shown = |name: &str| display_path(&dir.join(name));

    let plan_path = dir.join(PLAN_FILE);
    if !dir.is_dir() {
        let d = Diagnostic::new(display_path(dir), None, "no such folder").with_hint(Some(
            "pass the folder that holds roadmap.yaml with --dir (or ROADMAP_DIR)".into(),
        ));
        return Err(Error::Invalid(Diagnostics(vec![d])));
    }
    // A roadmap.yaml that is a folder, a FIFO or a broken link is found
    // here and reported for what it is by `read_text`.
    if std::fs::symlink_metadata(&plan_path).is_err() {
        let d = Diagnostic::new(shown(PLAN_FILE), None, format!("no {PLAN_FILE} here")).with_hint(
            Some("a roadmap folder needs a roadmap.yaml (see `examples/` for one to copy)".into()),
        );
        return Err(Error::Invalid(Diagnostics(vec![d])));
    }
    let mut includes = Vec::new();
    let mut files = Files {
        threads,
        ..Files::default()
    };
    let parsed = with_file(
        &plan_path,
        &shown(PLAN_FILE),
        &mut diags,
        &mut files,
        |ctx, root| {
            includes = plan::plan(&mut b, ctx, root);
        },
    )?;
    // Whatever refers to what a file that does not parse defines would
    // only repeat that one error many times over: say it once.
    if !parsed {
        b.broken.extend([Seen::Phase, Seen::Track, Seen::Item]);
    }
    // The files decoded below, in their order: the includes (each once,
    // none of the files loaded on their own), then those.
    let mut order: Vec<&str> = Vec::new();
    for (name, _) in &includes {
        let own = [PLAN_FILE, KPIS_FILE, ALERTS_FILE, RISKS_FILE].contains(&name.as_str());
        if !own && !order.contains(&name.as_str()) {
            order.push(name);
        }
    }
    order.extend([KPIS_FILE, ALERTS_FILE, RISKS_FILE]);
    files.start(
        order
            .into_iter()
            .map(|name| (dir.join(name), shown(name)))
            .collect(),
    );
    let mut included: HashMap<String, Pos> = HashMap::new();
    for (name, pos) in includes {
        let path = dir.join(&name);
        if let Some(first) = included.get(&name) {
            let d = Diagnostic::new(
                shown(PLAN_FILE),
                Some(pos),
                format!("`{name}` is included twice"),
            )
            .with_hint(Some(format!(
                "it is already included at line {}",
                first.line
            )));
            diags.push(d);
            continue;
        }
        included.insert(name.clone(), pos);
        let exists = std::fs::symlink_metadata(&path).is_ok();
        if path.is_dir() {
            diags.push(
                Diagnostic::new(
                    shown(PLAN_FILE),
                    Some(pos),
                    format!("included `{name}` is a folder, not a file"),
                )
                .with_hint(Some(
                    "list the YAML files that hold `tracks:`, one by one".into(),
                )),
            );
            continue;
        }
        if [PLAN_FILE, KPIS_FILE, ALERTS_FILE, RISKS_FILE].contains(&name.as_str()) || !exists {
            let hint = if exists {
                Some(format!(
                    "`{name}` is loaded on its own; list only track files here"
                ))
            } else {
                suggest(&name, yaml_files(dir).iter().map(String::as_str))
                    .or_else(|| Some("list YAML files of this folder that hold `tracks:`".into()))
            };
            let why = if exists {
                "cannot be included"
            } else {
                "not found"
            };
            let src = std::fs::read_to_string(&plan_path).unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    shown(PLAN_FILE),
                    Some(pos),
                    format!("included file `{name}` {why}"),
                )
                .with_hint(hint)
                .with_source(&src),
            );
            continue;
        }
        let shown = shown(&name);
        let parsed = with_parsed(
            files.parsed(&path, &shown),
            &shown,
            &mut diags,
            &mut files,
            |ctx, root| plan::track_file(&mut b, ctx, root),
        )?;
        // Its items are unknown: an `after:` naming one would only repeat
        // that the file did not parse.
        if !parsed {
            b.broken.insert(Seen::Item);
        }
    }
    b.place_items();
    deps::resolve(&mut b, &mut diags);
    for (name, decode) in [
        (KPIS_FILE, kpis::kpis as Decoder),
        (ALERTS_FILE, alerts::alerts),
        (RISKS_FILE, alerts::risks),
    ] {
        let path = dir.join(name);
        if std::fs::symlink_metadata(&path).is_ok() {
            let before = diags.len();
            let shown = shown(name);
            let parsed = with_parsed(
                files.parsed(&path, &shown),
                &shown,
                &mut diags,
                &mut files,
                |ctx, root| decode(&mut b, ctx, root),
            )?;
            // A kpis.yaml whose `metrics:` is not a list defines none:
            // every alert naming one would say "unknown metric".
            let whole = name == KPIS_FILE
                && diags.0[before..]
                    .iter()
                    .any(|d| d.message.contains("`metrics`"));
            if !parsed || whole {
                b.broken.extend(match name {
                    KPIS_FILE => &[Seen::Metric, Seen::Dashboard][..],
                    ALERTS_FILE => &[Seen::Alert, Seen::Action][..],
                    _ => &[Seen::Risk][..],
                });
            }
        }
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(Error::Invalid(diags));
    }
    Ok(b.finish())
}

type Decoder = fn(&mut Builder, &mut Ctx, &yaml::Node);

/// Read and parse one file and hand its tree to `decode`; false when it
/// could not be read as YAML. A file that does not parse is reported and
/// skipped; I/O errors other than "not found" abort the load.
fn with_file(
    path: &Path,
    shown: &Path,
    diags: &mut Diagnostics,
    files: &mut Files,
    decode: impl FnOnce(&mut Ctx, &yaml::Node),
) -> Result<bool> {
    with_parsed(parse_file(path, shown), shown, diags, files, decode)
}

/// [`with_file`] for a file already read and parsed.
fn with_parsed(
    parsed: Parsed,
    shown: &Path,
    diags: &mut Diagnostics,
    files: &mut Files,
    decode: impl FnOnce(&mut Ctx, &yaml::Node),
) -> Result<bool> {
    match parsed? {
        Ok((src, root)) => {
            let mut ctx = Ctx::new(shown, &src, diags);
            decode(&mut ctx, &root);
            files.done(root);
            Ok(true)
        }
        Err(d) => {
            diags.0.extend(d.0);
            Ok(false)
        }
    }
}

/// A file's text and tree, or what kept it from parsing (reported, the
/// load goes on), or an I/O error that aborts the load.
type Parsed = Result<std::result::Result<(String, yaml::Node), Diagnostics>>;

fn parse_file(path: &Path, shown: &Path) -> Parsed {
    let src = match read_text(path, shown) {
        Ok(Some(src)) => src,
        Ok(None) => return Err(Error::io(shown, std::io::ErrorKind::NotFound.into())),
        Err(Error::Invalid(d)) => return Ok(Err(d)),
        Err(e) => return Err(e),
    };
    match yaml::parse(&src, shown) {
        Ok(root) => Ok(Ok((src, root))),
        Err(d) => Ok(Err(Diagnostics(vec![*d]))),
    }
}

/// The plan's files, read and parsed for [`load`], which decodes them in
/// its own order, one at a time, so that messages and ids come out as
/// from one thread.
///
/// Parsing is most of loading and the files are independent, and CI
/// machines and laptops have at least two cores: on a plan big enough for
/// it to pay, a second thread parses a share of the files (dealt largest
/// first to the less loaded thread) and hands each over in order, at most
/// one ahead, so that few trees are held at once. A decoded tree, a great
/// many small allocations, is freed on a thread of its own on a large
/// plan, since nothing waits for it.
#[derive(Default)]
struct Files {
    /// The files the second thread parses, and what it has sent so far.
    theirs: HashSet<PathBuf>,
    from_worker: Option<mpsc::Receiver<(PathBuf, Parsed)>>,
    arrived: HashMap<PathBuf, Parsed>,
    graveyard: Option<mpsc::Sender<yaml::Node>>,
    /// Whether it may use threads at all.
    threads: bool,
}

impl Files {
    /// Start parsing `order` (path, shown path), the files [`load`] will
    /// ask for in that order.
    fn start(&mut self, order: Vec<(PathBuf, PathBuf)>) {
        // Below a megabyte of YAML a second thread costs more than it
        // saves on a shared 2-core VM: the bundled plan (90 KB) took 21.3
        // ms (median) with one and 12.5 ms without; 600 KB, 40.2 and 36.6
        // (hyperfine -N -r 80 and -r 40, side by side). 10 MB gains.
        const WORTH_A_THREAD: u64 = 1 << 20;
        const WORTH_FREEING_ASIDE: u64 = 1 << 20;
        if !self.threads {
            return;
        }
        // Only regular files: [`load`] asks for each of them.
        let sized: Vec<(u64, PathBuf, PathBuf)> = order
            .into_iter()
            .filter_map(|(path, shown)| {
                let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
                Some((meta.len(), path, shown))
            })
            .collect();
        let total: u64 = sized.iter().map(|f| f.0).sum();
        if total >= WORTH_FREEING_ASIDE {
            let (tx, rx) = mpsc::channel::<yaml::Node>();
            if std::thread::Builder::new()
                .spawn(move || rx.into_iter().for_each(drop))
                .is_ok()
            {
                self.graveyard = Some(tx);
            }
        }
        if sized.len() < 2 || total < WORTH_A_THREAD {
            return;
        }
        let mut by_size: Vec<usize> = (0..sized.len()).collect();
        by_size.sort_by_key(|&i| std::cmp::Reverse(sized[i].0));
        let (mut mine, mut theirs) = (0, 0);
        let mut to_worker = vec![false; sized.len()];
        for i in by_size {
            if mine <= theirs {
                mine += sized[i].0;
            } else {
                theirs += sized[i].0;
                to_worker[i] = true;
            }
        }
        let work: Vec<(PathBuf, PathBuf)> = sized
            .into_iter()
            .zip(to_worker)
            .filter(|(_, w)| *w)
            .map(|((_, path, shown), _)| (path, shown))
            .collect();
        let names: HashSet<PathBuf> = work.iter().map(|(path, _)| path.clone()).collect();
        let (tx, rx) = mpsc::sync_channel(1);
        let worker = std::thread::Builder::new().spawn(move || {
            for (path, shown) in work {
                let parsed = parse_file(&path, &shown);
                // The load ended early (an I/O error): nothing to do.
                if tx.send((path, parsed)).is_err() {
                    return;
                }
            }
        });
        if worker.is_ok() {
            self.theirs = names;
            self.from_worker = Some(rx);
        }
    }

    /// The file at `path`: from the second thread if it parses it, or
    /// read and parsed now.
    fn parsed(&mut self, path: &Path, shown: &Path) -> Parsed {
        if self.theirs.remove(path) {
            if let Some(parsed) = self.arrived.remove(path) {
                return parsed;
            }
            while let Some(Ok((from, parsed))) = self.from_worker.as_ref().map(|rx| rx.recv()) {
                if from == path {
                    return parsed;
                }
                self.arrived.insert(from, parsed);
            }
        }
        parse_file(path, shown)
    }

    /// A tree that has been decoded.
    fn done(&mut self, tree: yaml::Node) {
        if let Some(graveyard) = &self.graveyard {
            // Should the thread be gone, the tree is freed right here.
            let _ = graveyard.send(tree);
        }
    }
}

/// Read one of the roadmap's own files as text: None when it does not
/// exist. Anything but a regular file is refused before it is opened, since
/// reading a FIFO would block forever; text that is not UTF-8 is reported
/// at the line and column of its first bad byte.
pub fn read_text(path: &Path, shown: &Path) -> Result<Option<String>> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(m) => {
            let what = if m.is_dir() {
                "a folder, not a file"
            } else {
                "not a regular file but a FIFO, socket or device"
            };
            let d = Diagnostic::new(shown, None, format!("this is {what}")).with_hint(Some(
                "it should be a YAML or CSV file; move it out of the way".into(),
            ));
            return Err(Error::Invalid(Diagnostics(vec![d])));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A symlink whose target is gone is a mistake, not an absence.
            if let Ok(target) = std::fs::read_link(path) {
                let d = Diagnostic::new(
                    shown,
                    None,
                    format!("symlink to {}, which does not exist", target.display()),
                )
                .with_hint(Some(
                    "point the link at an existing file, or remove it".into(),
                ));
                return Err(Error::Invalid(Diagnostics(vec![d])));
            }
            return Ok(None);
        }
        Err(e) => return Err(Error::io(shown, e)),
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(shown, e))?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(Some(s)),
        Err(e) => Err(Error::Invalid(Diagnostics(vec![not_utf8(
            shown,
            e.as_bytes(),
            e.utf8_error(),
        )]))),
    }
}

/// Text that is not UTF-8, reported where its first bad byte is.
pub fn not_utf8(shown: &Path, bytes: &[u8], e: std::str::Utf8Error) -> Diagnostic {
    let offset = e.valid_up_to();
    let good = String::from_utf8_lossy(&bytes[..offset]);
    let line = good.matches('\n').count() as u64 + 1;
    let col = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    let pos = Pos {
        line,
        col,
        offset,
        len: 1,
    };
    Diagnostic::new(shown, Some(pos), "the file is not valid UTF-8")
        .with_hint(Some("save the file as UTF-8".into()))
}

fn yaml_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    names.sort();
    names
}

/// The namespaces ids live in; an id may repeat across namespaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seen {
    Phase,
    Track,
    Item,
    Metric,
    Dashboard,
    Alert,
    Action,
    Risk,
}

impl Seen {
    fn noun(self) -> &'static str {
        match self {
            Seen::Phase => "phase",
            Seen::Track => "track",
            Seen::Item => "item",
            Seen::Metric => "metric",
            Seen::Dashboard => "dashboard",
            Seen::Alert => "alert",
            Seen::Action => "action",
            Seen::Risk => "risk",
        }
    }
}

/// The roadmap under construction, plus what validation needs to remember.
pub struct Builder {
    pub map: Roadmap,
    pub start: Option<NaiveDate>,
    pub months: Option<u32>,
    /// Where each phase was defined, parallel to `map.phases`.
    pub phase_pos: Vec<Pos>,
    seen: plan::FirstSeen,
    /// Namespaces whose defining file did not parse: references into them
    /// are not checked.
    pub(super) broken: std::collections::HashSet<Seen>,
    /// Every phase of `phases:` loaded: only then can a period be said to
    /// end in no phase.
    pub(super) phases_whole: bool,
    /// `people:` of roadmap.yaml, once read.
    pub(super) people: Option<Vec<String>>,
    /// `after:` links, resolved once every track file is read (an item may
    /// wait on one defined later, or in another file).
    pub(super) after: deps::Links,
}

impl Builder {
    fn new(dir: &Path) -> Self {
        Builder {
            map: Roadmap {
                dir: dir.to_path_buf(),
                name: String::new(),
                start: NaiveDate::MIN,
                months: 0,
                phases: Vec::new(),
                tracks: Vec::new(),
                items: Vec::new(),
                metrics: Vec::new(),
                targets: Vec::new(),
                dashboards: Vec::new(),
                alerts: Vec::new(),
                actions: Vec::new(),
                risks: Vec::new(),
                people: None,
            },
            start: None,
            months: None,
            phase_pos: Vec::new(),
            seen: HashMap::new(),
            broken: std::collections::HashSet::new(),
            phases_whole: false,
            people: None,
            after: deps::Links::default(),
        }
    }

    /// Record that `id` is defined at `pos`; report a duplicate and return
    /// false if it was defined before.
    pub fn claim(&mut self, ctx: &mut Ctx, kind: Seen, id: &str, pos: Pos) -> bool {
        let key = (kind, id.to_string());
        if let Some((file, first)) = self.seen.get(&key) {
            let hint = format!(
                "`{id}` is first defined at {}:{}:{}; {} ids must be unique",
                file.display(),
                first.line,
                first.col,
                kind.noun()
            );
            ctx.error(
                pos,
                format!("duplicate {} id `{id}`", kind.noun()),
                Some(hint),
            );
            return false;
        }
        self.seen.insert(key, (ctx.file.clone(), pos));
        true
    }

    /// Ids defined so far in a namespace, for did-you-mean hints.
    pub fn ids(&self, kind: Seen) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .seen
            .keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| id.as_str())
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Look up a reference to a phase, metric, alert or action; report it
    /// with a did-you-mean hint if it does not exist.
    pub fn resolve(&self, ctx: &mut Ctx, kind: Seen, id: &str, pos: Pos) -> Option<usize> {
        let m = &self.map;
        let found = match kind {
            Seen::Phase => m.phases.iter().position(|p| p.id == id),
            Seen::Metric => m.metrics.iter().position(|x| x.id == id),
            Seen::Alert => m.alerts.iter().position(|x| x.id == id),
            Seen::Action => m.actions.iter().position(|x| x.id == id),
            Seen::Track | Seen::Item | Seen::Dashboard | Seen::Risk => None,
        };
        if found.is_none() {
            let known = self.ids(kind);
            let hint = suggest(id, known.iter().copied()).or_else(|| {
                let home = match kind {
                    Seen::Phase => "`phases:` in roadmap.yaml",
                    Seen::Metric => "`metrics:` in kpis.yaml",
                    Seen::Alert => "`alerts:` in alerts.yaml",
                    Seen::Action => "`actions:` in alerts.yaml",
                    _ => "its file",
                };
                Some(format!("define it under {home}"))
            });
            // A reference to something whose own definition was broken
            // would only repeat that error.
            if !self.seen.contains_key(&(kind, id.to_string())) && !self.broken.contains(&kind) {
                ctx.error(pos, format!("unknown {} `{id}`", kind.noun()), hint);
            }
        }
        found
    }

    /// Give each item the phase that holds its last month.
    fn place_items(&mut self) {
        for i in 0..self.map.items.len() {
            let end = self.map.items[i].window.end;
            self.map.items[i].phase = self.map.phase_of_month(end);
        }
    }

    fn finish(mut self) -> Roadmap {
        // Both are present once loading produced no diagnostics.
        self.map.start = self.start.unwrap_or(NaiveDate::MIN);
        self.map.months = self.months.unwrap_or(0);
        self.map.people = self.people.take();
        self.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan of four included track files, each padded with comments past
    /// a quarter of a megabyte so that [`load`] parses on two threads, and
    /// with a mistake in three of them.
    fn big_broken_plan() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let pad = "# padding to make the file large enough for a second thread\n".repeat(5_000);
        std::fs::write(
            tmp.path().join(PLAN_FILE),
            "name: Big\nstart: 2026-01-01\nmonths: 6\n\
             include: [a.yaml, b.yaml, c.yaml, d.yaml]\n\
             phases:\n  - {id: p, name: P, months: 1-6}\n",
        )
        .unwrap();
        let track = |id: &str, extra: &str| {
            format!(
                "{pad}tracks:\n  - id: {id}\n    name: {id}\n    periods:\n      - months: 1-2\n\
                 \x20       items:\n          - {{id: {id}-x, area: A, title: X{extra}}}\n"
            )
        };
        let files = [
            ("a.yaml", track("a", ", colour: red")),
            ("b.yaml", track("b", "")),
            ("c.yaml", track("c", ", due: 2026-05-01")),
            ("d.yaml", format!("{pad}tracks: [\n")),
        ];
        for (name, text) in files {
            std::fs::write(tmp.path().join(name), text).unwrap();
        }
        tmp
    }

    #[test]
    fn two_threads_report_exactly_what_one_does() {
        let tmp = big_broken_plan();
        let size: u64 = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum();
        assert!(size > 1 << 20, "the plan must be big enough: {size}");
        let message = |r: Result<Roadmap>| match r {
            Err(Error::Invalid(d)) => {
                d.0.iter()
                    .map(|d| format!("{}: {}", d.file.display(), d.message))
                    .collect::<Vec<_>>()
            }
            other => panic!("expected diagnostics, got {:?}", other.map(|_| ())),
        };
        let threaded = message(load(tmp.path()));
        let alone = message(load_here(tmp.path()));
        assert_eq!(threaded, alone);
        // Each file's mistake, in the order the files are named.
        assert_eq!(threaded.len(), 3, "{threaded:#?}");
        assert!(threaded[0].contains("a.yaml") && threaded[0].contains("colour"));
        assert!(threaded[1].contains("c.yaml") && threaded[1].contains("due"));
        assert!(threaded[2].contains("d.yaml"));
    }
}
