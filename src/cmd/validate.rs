//! `roadmap validate`: check every file, report every problem.

use std::io::Write;

use serde::Serialize;

use crate::cli::Format;
use crate::context::Context;
use crate::diag::display_path;
use crate::error::{Error, ExitCode, Result};
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

pub fn run(ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let dir = display_path(&ctx.dir).display().to_string();
    // The recorded history and the rule tests belong to the roadmap too: a
    // broken one fails validation (and so the pre-commit hook).
    let loaded = load::load(&ctx.dir).and_then(|m| {
        let values = load::history::read(&m)?.rows.len();
        let tests = if m.dir.join("tests").is_dir() {
            let files = load::rule_tests::files(&m, &[])?;
            load::rule_tests::read(&m, &files)?.len()
        } else {
            0
        };
        Ok((m, values, tests))
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
    writeln!(
        out,
        "{dir} is valid: {} in {} and {},\n  {}, {}, {}, {},\n  {}, {}",
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
