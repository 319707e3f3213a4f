//! `alerts --act`: check that every action the selected alerts may take can
//! be taken (its script is there, its webhook's variables are set), plan
//! the tasks from the log (`eval::act`), then carry out the due ones
//! through `effect`, logging each attempt as it is made.
//!
//! A problem with an action's setup is bad input: it stops the run before
//! anything is run or logged (exit 2), even for an alert that does not
//! fire today, so a scheduled run fails on its first day rather than on
//! the day an alert needs it. A failed attempt is not: it is logged,
//! reported on stderr, retried on a later run, and makes the exit code 1.

use std::path::Path;

use crate::context::Context;
use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::edit::actions::Appender;
use crate::effect;
use crate::error::{Error, ExitCode, Result};
use crate::eval::act::{ActReport, Status, Task};
use crate::eval::alerts::Report;
use crate::model::actions::{LogEntry, Step};
use crate::model::history::History;
use crate::model::{Action, Roadmap};
use crate::render::Style;

pub fn run(
    map: &Roadmap,
    history: &History,
    report: &Report,
    dry_run: bool,
    ctx: &Context,
) -> Result<ActReport> {
    preflight(map, report)?;
    let log = crate::load::actions::read(&ctx.dir)?;
    let mut tasks = crate::eval::act::plan(map, history, report, &log.entries, ctx.as_of);
    if dry_run {
        return Ok(ActReport { dry_run, tasks });
    }
    let mut appender = Appender::new(&log);
    let acting_dir = std::path::absolute(&ctx.dir)
        .unwrap_or_else(|_| ctx.dir.clone())
        .display()
        .to_string();
    for task in tasks.iter_mut().filter(|t| t.status == Status::Due) {
        let Some(row) = report.alerts.iter().find(|r| r.id == task.alert) else {
            continue;
        };
        let action = &map.actions[task.action_index];
        let input = crate::render::act::payload(&map.name, row, task, ctx.as_of);
        let attempt = match task.step {
            Step::Run => {
                let env = [
                    ("ROADMAP_ALERT_ID", task.alert.clone()),
                    ("ROADMAP_ALERT_SEVERITY", severity(task)),
                    ("ROADMAP_AS_OF", ctx.as_of.to_string()),
                    ("ROADMAP_ACTION_ID", task.action.clone()),
                    ("ROADMAP_EPISODE_START", task.episode.to_string()),
                    (crate::edit::write::ACTING_DIR, acting_dir.clone()),
                ];
                let argv = action.run.as_deref().unwrap_or_default();
                effect::command::run(argv, &ctx.dir, &env, &input, action.timeout)
            }
            Step::Notify => {
                let Some(template) = &action.notify else {
                    continue;
                };
                // Checked by `preflight`, under the same environment.
                let Ok((url, secrets)) = template.expand(var) else {
                    continue;
                };
                effect::webhook::post(&url, &template.text, &secrets, &input, action.timeout)
            }
        };
        let excerpt = attempt.excerpt();
        task.record(&attempt, excerpt.clone());
        let entry = LogEntry {
            alert: task.alert.clone(),
            episode: task.episode,
            action: task.action.clone(),
            step: task.step,
            as_of: ctx.as_of,
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            outcome: attempt.outcome,
            output: excerpt,
            line: 0,
        };
        if task.status == Status::Failed {
            eprint!(
                "{}",
                crate::render::act::failure(task, &attempt.output, Style::new(false))
            );
        }
        if let Err(e) = appender.append(&ctx.dir, &entry) {
            // What was done is done: say so, rather than "nothing was
            // changed", and stop before doing more that cannot be logged.
            eprintln!(
                "error: cannot log the attempt at action `{}` ({}) for alert `{}`: {e}\n  \
                 hint: it was made ({}) but is not in {}; the attempts before it are; \
                 the next run will make it again",
                task.action,
                task.step,
                task.alert,
                attempt.outcome,
                display_path(&log.path).display()
            );
            return Err(Error::Reported(ExitCode::Error));
        }
    }
    Ok(ActReport { dry_run, tasks })
}

fn severity(task: &Task) -> String {
    match task.severity {
        crate::model::Severity::Critical => "critical".into(),
        crate::model::Severity::Opportunity => "opportunity".into(),
    }
}

/// A variable of the environment, for a webhook URL.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Every action the selected alerts may take, checked for what only shows
/// when it runs: the script of `run:` exists and is executable, the
/// variables of `notify:` are set and make an http(s) URL.
fn preflight(map: &Roadmap, report: &Report) -> Result<()> {
    let mut used: Vec<usize> = report
        .alerts
        .iter()
        .chain(&report.quiet)
        .filter_map(|r| map.alerts.iter().find(|a| a.id == r.id)?.action)
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut diags = Diagnostics::default();
    for &i in &used {
        let action = &map.actions[i];
        if let Some(argv) = &action.run {
            check_program(action, &argv[0], &map.dir, &mut diags);
        }
        if let Some(template) = &action.notify {
            check_url(action, template, &mut diags);
        }
    }
    match diags.is_empty() {
        true => Ok(()),
        false => Err(Error::Invalid(diags)),
    }
}

/// A problem with `action` at `pos` in alerts.yaml, or at the part
/// `within` (byte offset and length) of the scalar there.
fn problem(
    action: &Action,
    pos: crate::diag::Pos,
    within: Option<(usize, usize)>,
    message: String,
    hint: &str,
) -> Diagnostic {
    let Ok(src) = std::fs::read_to_string(&action.file) else {
        return Diagnostic::new(&action.file, Some(pos), message).with_hint(Some(hint.into()));
    };
    let pos = match within {
        Some((delta, len)) => pos.shifted(&src, delta, len),
        None => pos,
    };
    Diagnostic::new(&action.file, Some(pos), message)
        .with_hint(Some(hint.into()))
        .with_source(&src)
}

fn check_program(action: &Action, argv0: &str, dir: &Path, diags: &mut Diagnostics) {
    let program = effect::command::program(argv0, dir);
    // A bare name is looked up on PATH when it runs; a path is ours to see.
    if program.as_os_str() == argv0 && Path::new(argv0).components().count() == 1 {
        return;
    }
    let shown = display_path(&program);
    let meta = match std::fs::metadata(&program) {
        Ok(m) if m.is_file() => m,
        _ => {
            diags.push(problem(
                action,
                action.run_pos,
                None,
                format!(
                    "action `{}` runs `{argv0}`, but there is no file {}",
                    action.id,
                    shown.display()
                ),
                "a program named with a `/` is found from the roadmap folder; a bare name is \
                 looked up on PATH",
            ));
            return;
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o111 == 0 {
            diags.push(problem(
                action,
                action.run_pos,
                None,
                format!(
                    "action `{}` runs {}, which is not executable",
                    action.id,
                    shown.display()
                ),
                &format!(
                    "make it executable (`chmod +x {0}`, and `git add --chmod=+x {0}`), or run \
                     it with its interpreter: `run: [sh, {argv0}]`",
                    shown.display()
                ),
            ));
        }
    }
    let _ = meta;
}

fn check_url(
    action: &Action,
    template: &crate::model::actions::UrlTemplate,
    diags: &mut Diagnostics,
) {
    let url = match template.expand(var) {
        Ok((url, _)) => url,
        Err(missing) => {
            let placeholder = format!("${{{}}}", missing.0);
            let within = template
                .text
                .find(&placeholder)
                .map(|at| (at, placeholder.len()));
            diags.push(problem(
                action,
                action.notify_pos,
                within,
                format!(
                    "action `{}` posts to `{}`, but the environment variable {} is not set",
                    action.id, template.text, missing.0
                ),
                &format!(
                    "set {0} to {1} (in CI, from a secret: `{0}: ${{{{ secrets.{0} }}}}`); keep \
                     it out of git",
                    missing.0,
                    match template.text == placeholder {
                        true => "the webhook's URL",
                        false => "its part of the webhook's URL",
                    }
                ),
            ));
            return;
        }
    };
    let web = ["http://", "https://"].iter().any(|s| {
        url.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    let valid = web
        && url
            .parse::<ureq::http::Uri>()
            .is_ok_and(|u| u.host().is_some_and(|h| !h.is_empty()));
    if !valid {
        // The value is a secret: say which variables made it, not what it is.
        let vars: Vec<&str> = template.vars().collect();
        diags.push(problem(
            action,
            action.notify_pos,
            None,
            format!(
                "action `{}` posts to `{}`, which does not make an http:// or https:// URL \
                 with {}",
                action.id,
                template.text,
                match vars.as_slice() {
                    [] => "no variables".to_string(),
                    [one] => format!("{one} as it is set"),
                    _ => format!("{} as they are set", vars.join(", ")),
                }
            ),
            match template.text.starts_with("${") {
                true => {
                    "check the value: the URL starts with https:// (as Slack's \
                         https://hooks.slack.com/services/…) and has no spaces"
                }
                false => {
                    "check the value: it is inserted into the URL as it is, and must not \
                          hold spaces"
                }
            },
        ));
    }
}
