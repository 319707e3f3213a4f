//! `roadmap validate`: check every file, report every problem. With
//! `--staged`, the files as git's index holds them (what a commit would
//! record), written by [`crate::git`] into a temporary folder, loaded by
//! the same loader, and reported under their real paths.

use std::io::Write;

use serde::Serialize;

use std::path::Path;

use crate::cli::{Format, ValidateArgs};
use crate::context::Context;
use crate::diag::display_path;
use crate::error::{Error, ExitCode, Result};
use crate::git::Repo;
use crate::{load, render};

/// The JSON of `roadmap validate`.
#[derive(Serialize)]
struct Report {
    ok: bool,
    dir: String,
    counts: Option<Counts>,
    diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Serialize)]
struct Counts {
    phases: usize,
    tracks: usize,
    items: usize,
    metrics: usize,
    targets: usize,
    dashboards: usize,
    alerts: usize,
    actions: usize,
    risks: usize,
    /// Recorded metric values (`metrics.csv`).
    values: usize,
    /// Rule tests in `tests/*.yaml`.
    rule_tests: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic {
    file: String,
    line: Option<u64>,
    column: Option<u64>,
    message: String,
    hint: Option<String>,
}

pub fn run(args: &ValidateArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let dir = display_path(&ctx.dir).display().to_string();
    let staged = if args.staged {
        let tmp = staged(ctx)?;
        if tmp.is_none() {
            return nothing_staged(ctx, &dir, out);
        }
        tmp
    } else {
        None
    };
    let from = staged.as_ref().map_or(ctx.dir.as_path(), |t| t.path());
    let loaded = check(from).map_err(|e| match &staged {
        Some(tmp) => as_in_repository(e, tmp.path(), &ctx.dir),
        None => e,
    });
    // Quiet, the JSON would go nowhere: the problems go to stderr instead.
    if ctx.format == Format::Json && !ctx.quiet {
        let (counts, diagnostics) = match &loaded {
            Ok((m, values, tests)) => (
                Some(Counts {
                    phases: m.phases.len(),
                    tracks: m.tracks.len(),
                    items: m.items.len(),
                    metrics: m.metrics.len(),
                    targets: m.targets.len(),
                    dashboards: m.dashboards.len(),
                    alerts: m.alerts.len(),
                    actions: m.actions.len(),
                    risks: m.risks.len(),
                    values: *values,
                    rule_tests: *tests,
                }),
                Vec::new(),
            ),
            Err(Error::Invalid(d)) => (
                None,
                d.0.iter()
                    .map(|d| JsonDiagnostic {
                        file: d.file.display().to_string(),
                        line: d.pos.map(|p| p.line),
                        column: d.pos.map(|p| p.col),
                        message: d.message.clone(),
                        hint: d.hint.clone(),
                    })
                    .collect(),
            ),
            Err(_) => (None, Vec::new()),
        };
        if counts.is_some() || !diagnostics.is_empty() {
            render::json(
                out,
                &Report {
                    ok: loaded.is_ok(),
                    dir,
                    counts,
                    diagnostics,
                },
            )?;
        }
        // Exit 2 without printing the diagnostics again on stderr.
        return match loaded {
            Ok(_) => Ok(()),
            Err(Error::Invalid(_)) => Err(Error::Reported(ExitCode::Error)),
            Err(e) => Err(e),
        };
    }
    let (m, values, tests) = loaded?;
    let valid = if args.staged {
        "is valid as staged"
    } else {
        "is valid"
    };
    writeln!(
        out,
        "{dir} {valid}: {} in {} and {},\n  {}, {}, {}, {},\n  {}, {}",
        render::plural(m.items.len(), "item"),
        render::plural(m.tracks.len(), "track"),
        render::plural(m.phases.len(), "phase"),
        render::plural(m.metrics.len(), "metric"),
        render::plural(m.targets.len(), "target"),
        render::plural(m.alerts.len(), "alert"),
        render::plural(m.risks.len(), "risk"),
        render::plural(values, "recorded value"),
        render::plural(tests, "rule test"),
    )?;
    Ok(())
}

/// Load the roadmap in `dir` with its recorded history and rule tests: the
/// history and the tests belong to the roadmap too, so a broken one fails
/// validation (and so the pre-commit hook). Returns the model and how many
/// values and rule tests there are.
fn check(dir: &Path) -> Result<(crate::model::Roadmap, usize, usize)> {
    let m = load::load(dir)?;
    // One point per metric and date in force, as many as the rows in
    // force that `read` would keep, and reports the same problems.
    let values = load::history::history(&m)?.len();
    let tests = if m.dir.join("tests").is_dir() {
        let files = load::rule_tests::files(&m, &[])?;
        load::rule_tests::read(&m, &files)?.len()
    } else {
        0
    };
    Ok((m, values, tests))
}

/// The roadmap folder's files as git's index holds them, in a temporary
/// folder that lives as long as the handle; None when the index holds none
/// of them (the folder is not tracked, or the commit removes it).
fn staged(ctx: &Context) -> Result<Option<tempfile::TempDir>> {
    if !ctx.dir.is_dir() {
        // Say what every command says of a missing folder, not what git says.
        load::load(&ctx.dir)?;
    }
    let repo = Repo::of(
        &ctx.dir,
        "`validate --staged` reads the roadmap as staged in git",
    )?;
    let tmp = tempfile::Builder::new()
        .prefix("roadmap-staged-")
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let written = repo.export_index(tmp.path())?;
    Ok((written > 0).then_some(tmp))
}

/// A commit that stages nothing of the roadmap cannot break it.
fn nothing_staged(ctx: &Context, dir: &str, out: &mut dyn Write) -> Result<()> {
    if ctx.format == Format::Json {
        render::json(
            out,
            &Report {
                ok: true,
                dir: dir.to_string(),
                counts: None,
                diagnostics: Vec::new(),
            },
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{dir}: git's index holds none of its files, nothing to validate"
    )?;
    Ok(())
}

/// Problems found in the staged copy, named by the files the user knows
/// (`roadmap/kpis.yaml:4:7`) rather than the temporary folder they were
/// read from.
fn as_in_repository(e: Error, tmp: &Path, dir: &Path) -> Error {
    let Error::Invalid(mut diags) = e else {
        return e;
    };
    // How the folder's files are shown, e.g. `roadmap/` (or nothing when
    // it is the current folder).
    let shown = display_path(&dir.join("x")).display().to_string();
    let shown = &shown[..shown.len() - 1];
    let temporary = format!("{}/", tmp.display());
    for d in &mut diags.0 {
        if let Ok(rest) = d.file.strip_prefix(tmp) {
            d.file = display_path(&dir.join(rest));
        }
        d.message = d.message.replace(&temporary, shown);
        if let Some(h) = &mut d.hint {
            *h = h.replace(&temporary, shown);
        }
    }
    Error::Invalid(diags)
}
