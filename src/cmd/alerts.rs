//! `roadmap alerts`: the alert rules that fire on the recorded values, with
//! their actions. Exits 1 when a critical alert fires (and critical alerts
//! are selected), so CI can act on it.

use std::io::Write;

use crate::cli::{AlertsArgs, Format, SeverityArg};
use crate::context::Context;
use crate::error::{Error, ExitCode, Result};
use crate::model::Severity;
use crate::{eval, load, render};

pub fn run(args: &AlertsArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let history = load::history::history(&map)?;
    let rows = eval::alerts::evaluate(&map, &history, ctx.as_of);
    let severity = args.severity.map(|s| match s {
        SeverityArg::Critical => Severity::Critical,
        SeverityArg::Opportunity => Severity::Opportunity,
    });
    let report = eval::alerts::report(rows, severity, ctx.as_of);
    match ctx.format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(render::alerts::text(&report, f, ctx.style, ctx.width).as_bytes())?,
    }
    // The report holds only the selected severity, so `--severity
    // opportunity` never fails on a critical alert.
    if eval::alerts::firing_critical(&report.alerts) {
        return Err(Error::Reported(ExitCode::Problem));
    }
    Ok(())
}
