//! Rule test files for `roadmap test`: each test gives a metric history,
//! the items done and an as-of date, and the alerts and gate verdicts
//! they must produce.
//!
//! ```yaml
//! shared:                          # anything, for YAML anchors; not read
//!   week: &week {date: 2026-03-01, values: {revenue: $10K}}
//! tests:
//!   - name: a 20% revenue drop in a week fires revenue-drop
//!     as_of: 2026-03-15
//!     done: all                    # or {phases: [f1], items: [id, ...]}
//!     values:                      # snapshots, as for `roadmap ingest`
//!       - date: 2026-03-01
//!         values: {revenue: $10K}
//!     expect:
//!       alerts: [revenue-drop]     # exactly these fire
//!       gates: {f1: fail}          # pass, warn or fail
//!       check: fail                # ok or fail: what `roadmap check` says
//! ```

use std::path::{Path, PathBuf};

use super::decode::Ctx;
use super::history::snapshot;
use super::yaml::{self, Kind, Node};
use crate::diag::{Diagnostics, display_path, suggest};
use crate::error::{Error, Result};
use crate::model::{GateVerdict, Roadmap};

pub use crate::model::RuleTest;

/// `shared` holds anything tests refer to by YAML anchor; it is not read.
pub(super) const FILE_KEYS: &[&str] = &["tests", "shared"];
pub(super) const TEST_KEYS: &[&str] = &["name", "as_of", "done", "values", "expect"];
pub(super) const DONE_KEYS: &[&str] = &["phases", "items"];
pub(super) const EXPECT_KEYS: &[&str] = &["alerts", "gates", "check"];
pub(super) const VERDICTS: &[(&str, GateVerdict)] = &[
    ("pass", GateVerdict::Pass),
    ("warn", GateVerdict::Warn),
    ("fail", GateVerdict::Fail),
];
pub(super) const CHECKS: &[(&str, bool)] = &[("ok", true), ("fail", false)];

/// The test files to run: those given, or every `*.yaml` in the roadmap's
/// `tests/` folder.
pub fn files(map: &Roadmap, given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let dir = map.dir.join("tests");
    let entries =
        match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::usage(
                format!("no rule tests: {} does not exist", display_path(&dir).display()),
                Some(
                    "write tests as YAML files in that folder (see the README's \"Rule tests\"), \
                     or name test files: `roadmap test FILE...`"
                        .into(),
                ),
            ));
            }
            Err(e) => return Err(Error::io(display_path(&dir), e)),
        };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Read every test of every file, reporting every problem.
pub fn read(map: &Roadmap, files: &[PathBuf]) -> Result<Vec<RuleTest>> {
    let mut diags = Diagnostics::default();
    let mut tests = Vec::new();
    for path in files {
        let shown = display_path(path);
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(&shown, e))?;
        let root = match yaml::parse(&text, &shown) {
            Ok(r) => r,
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        let mut ctx = Ctx::new(&shown, &text, &mut diags);
        let Some(f) = ctx.fields(&root, "a test file", FILE_KEYS) else {
            continue;
        };
        let Some(list) = f.req(&mut ctx, "tests").and_then(|n| ctx.seq(n, "tests")) else {
            continue;
        };
        for node in list {
            if let Some(t) = test(map, &mut ctx, node, &shown) {
                tests.push(t);
            }
        }
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(Error::Invalid(diags));
    }
    Ok(tests)
}

fn test(map: &Roadmap, ctx: &mut Ctx, node: &Node, file: &Path) -> Option<RuleTest> {
    let f = ctx.fields(node, "a test", TEST_KEYS)?;
    let name = f.req(ctx, "name").and_then(|n| ctx.text(n, "name"));
    let as_of = f.req(ctx, "as_of").and_then(|n| ctx.date(n, "as_of"));
    let done = match f.get("done") {
        Some(n) => done(map, ctx, n),
        None => Some(Vec::new()),
    };
    let mut values = Vec::new();
    if let Some(n) = f.get("values") {
        for s in ctx.seq(n, "values").unwrap_or_default() {
            snapshot(map, ctx, s, &mut values);
        }
    }
    let expect = f
        .req(ctx, "expect")
        .and_then(|n| ctx.fields(n, "`expect`", EXPECT_KEYS));
    let mut alerts = None;
    let mut gates = Vec::new();
    let mut check = None;
    if let Some(e) = &expect {
        // `alerts: []` means "none may fire"; leaving it out means "not checked".
        if let Some(n) = e.get("alerts") {
            let ids = ctx.seq(n, "alerts").unwrap_or_default();
            alerts = Some(
                ids.iter()
                    .filter_map(|i| {
                        let id = ctx.text(i, "alerts")?;
                        resolve(
                            ctx,
                            "alert",
                            &id,
                            i,
                            map.alerts.iter().map(|a| a.id.as_str()),
                        )
                    })
                    .collect(),
            );
        }
        if let Some(n) = e.get("gates") {
            match &n.kind {
                Kind::Map(entries) => {
                    for (key, value) in entries {
                        let phase = resolve_key(ctx, key, map);
                        let verdict = ctx.choice(value, "gate verdict", VERDICTS);
                        if let (Some(p), Some(v)) = (phase, verdict) {
                            gates.push((p, v));
                        }
                    }
                }
                _ => ctx.error(
                    n.pos,
                    format!(
                        "`gates` should map phase ids to verdicts, found {}",
                        n.describe()
                    ),
                    Some("e.g. `gates: {f1: pass}`".into()),
                ),
            }
        }
        if let Some(n) = e.get("check") {
            check = ctx.choice(n, "check", CHECKS);
        }
        // An expectation that was there but wrong is reported already.
        let tried = ["alerts", "gates", "check"]
            .iter()
            .any(|k| e.get(k).is_some());
        if alerts.is_none() && gates.is_empty() && check.is_none() && !tried {
            ctx.error(
                e.pos,
                "this test expects nothing",
                Some("add `alerts: [...]`, `gates: {PHASE: pass}` or `check: ok`".into()),
            );
        }
    }
    Some(RuleTest {
        file: file.to_path_buf(),
        line: node.pos.line,
        name: name?,
        as_of: as_of?,
        done: done?,
        values,
        alerts,
        gates,
        check,
    })
}

/// `done: all`, or `{phases: [...], items: [...]}`.
fn done(map: &Roadmap, ctx: &mut Ctx, node: &Node) -> Option<Vec<usize>> {
    if let Kind::Scalar(s) = &node.kind
        && s.text == "all"
    {
        return Some((0..map.items.len()).collect());
    }
    let f = ctx.fields(node, "`done`", DONE_KEYS)?;
    let mut out = Vec::new();
    // Every unknown id is reported before giving up on the list.
    let mut ok = true;
    if let Some(n) = f.get("phases") {
        for p in ctx.seq(n, "phases").unwrap_or_default() {
            let phases = map.phases.iter().map(|p| p.id.as_str());
            match ctx
                .text(p, "phases")
                .and_then(|id| resolve(ctx, "phase", &id, p, phases))
            {
                Some(phase) => {
                    out.extend((0..map.items.len()).filter(|&i| map.items[i].phase == Some(phase)));
                }
                None => ok = false,
            }
        }
    }
    if let Some(n) = f.get("items") {
        for i in ctx.seq(n, "items").unwrap_or_default() {
            let items = map.items.iter().map(|x| x.id.as_str());
            match ctx
                .text(i, "items")
                .and_then(|id| resolve(ctx, "item", &id, i, items))
            {
                Some(item) => out.push(item),
                None => ok = false,
            }
        }
    }
    ok.then_some(out)
}

fn resolve<'a>(
    ctx: &mut Ctx,
    what: &str,
    id: &str,
    node: &Node,
    known: impl Iterator<Item = &'a str> + Clone,
) -> Option<usize> {
    let found = known.clone().position(|k| k == id);
    if found.is_none() {
        ctx.error(
            node.pos,
            format!("unknown {what} `{id}`"),
            suggest(id, known),
        );
    }
    found
}

fn resolve_key(ctx: &mut Ctx, key: &yaml::Key, map: &Roadmap) -> Option<usize> {
    let found = map.phase(&key.name);
    if found.is_none() {
        let hint = suggest(&key.name, map.phases.iter().map(|p| p.id.as_str()));
        ctx.error(key.pos, format!("unknown phase `{}`", key.name), hint);
    }
    found
}
