//! `roadmap alerts`: the alert rules that fire on the recorded values, with
//! their actions. Exits 1 when a critical alert fires (and critical alerts
//! are selected), so CI can act on it. With `--act`, also takes the
//! actions of the firing alerts (see [`act`]), and exits 1 when one fails.

mod act;

use std::io::Write;

use serde::Serialize;

use crate::cli::{AlertsArgs, Format, SeverityArg};
use crate::context::Context;
use crate::error::{Error, ExitCode, Result};
use crate::eval::act::ActReport;
use crate::eval::alerts::Report;
use crate::model::Severity;
use crate::{eval, load, render};

/// The JSON of `alerts --act`: the report, then what was done.
#[derive(Serialize)]
struct Acted<'a> {
    #[serde(flatten)]
    report: &'a Report,
    actions: &'a ActReport,
}

pub fn run(args: &AlertsArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    // Acting writes the log: the folder's exclusive lock is held from
    // reading the log to the last attempt, so two runs at once never act
    // on one episode twice.
    let _lock = match args.act && !args.dry_run {
        true => Some(crate::edit::write::lock(&ctx.dir, ctx.wait)?),
        false => None,
    };
    let map = load::load(&ctx.dir)?;
    let history = load::history::history(&map)?;
    let rows = eval::alerts::evaluate(&map, &history, ctx.as_of);
    let severity = args.severity.map(|s| match s {
        SeverityArg::Critical => Severity::Critical,
        SeverityArg::Opportunity => Severity::Opportunity,
    });
    let report = eval::alerts::report(rows, severity, ctx.as_of);
    let acted = match args.act {
        true => Some(act::run(&map, &history, &report, args.dry_run, ctx)?),
        false => None,
    };
    match (ctx.format, &acted) {
        (Format::Json, Some(actions)) => render::json(
            out,
            &Acted {
                report: &report,
                actions,
            },
        )?,
        (Format::Json, None) => render::json(out, &report)?,
        (f, _) => {
            let mut text = render::alerts::text(&report, f, ctx.style, ctx.width);
            if let Some(a) = &acted {
                text.push_str(&render::act::text(a, ctx.as_of, f, ctx.style, ctx.width));
            }
            out.write_all(text.as_bytes())?;
        }
    }
    // The report holds only the selected severity, so `--severity
    // opportunity` never fails on a critical alert.
    if eval::alerts::firing_critical(&report.alerts)
        || acted.as_ref().is_some_and(ActReport::failed)
    {
        return Err(Error::Reported(ExitCode::Problem));
    }
    Ok(())
}
