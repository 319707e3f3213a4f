//! `roadmap record`: store metric values typed on the command line.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::RecordArgs;
use crate::context::Context;
use crate::diag::{Diagnostic, Diagnostics, suggest};
use crate::error::{Error, Result};
use crate::load::history::{Row, read};
use crate::model::quantity::parse_value;
use crate::{edit, load};

pub fn run(args: &RecordArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let date = match &args.on {
        Some(text) => crate::context::parse_flag_date("--on", text)?,
        None => ctx.as_of,
    };
    // As for `done`: a value is recorded once it is measured.
    if date > ctx.as_of {
        return Err(Error::usage(
            format!("--on {date} is after the as-of date, {}", ctx.as_of),
            Some(
                "record values once they are measured; to replay a past plan, pass --as-of too"
                    .into(),
            ),
        ));
    }
    let _lock = edit::write::lock(&ctx.dir, ctx.wait)?;
    let map = load::load(&ctx.dir)?;
    let stored = read(&map)?;
    let mut diags = Diagnostics::default();
    let mut rows = Vec::new();
    for (n, arg) in args.values.iter().enumerate() {
        let place = PathBuf::from(format!("argument {}", n + 1));
        let mut bad = |msg: String, hint: Option<String>| {
            diags.push(Diagnostic::new(&place, None, msg).with_hint(hint));
        };
        let split = arg
            .split_once('=')
            .filter(|(id, value)| !id.trim().is_empty() && !value.trim().is_empty());
        let Some((id, value)) = split else {
            bad(
                format!("`{arg}` is not METRIC=VALUE"),
                Some("e.g. `roadmap record cac=140 revenue=12K`".into()),
            );
            continue;
        };
        let (id, value) = (id.trim(), value.trim());
        let Some(m) = map.metric(id) else {
            bad(
                format!("unknown metric `{id}`"),
                suggest(id, map.metrics.iter().map(|m| m.id.as_str())),
            );
            continue;
        };
        match parse_value(value, map.metrics[m].unit) {
            Ok(v) if let Some(why) = map.metrics[m].out_of_range(v) => {
                bad(format!("value of `{id}`: {why}"), None)
            }
            Ok(v) => rows.push(Row {
                date,
                metric: m,
                value: v,
                replaces: None,
                source: None,
                note: None,
                file: place.as_path().into(),
                pos: None,
            }),
            Err(e) => bad(format!("value of `{id}`: {}", e.message), e.hint),
        }
    }
    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    super::store(&map, &stored, rows, &args.store, ctx, out)
}
