//! `roadmap test`: run rule tests (alerts and gates on given histories).

use std::io::Write;

use serde::Serialize;

use crate::cli::{Format, TestArgs};
use crate::context::Context;
use crate::diag::display_path;
use crate::error::{Error, ExitCode, Result};
use crate::eval::rule_tests::{TestResult, run as run_test};
use crate::load::rule_tests;
use crate::{load, render};

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    passed: usize,
    failed: usize,
    tests: &'a [TestResult],
}

pub fn run(args: &TestArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let files = rule_tests::files(&map, &args.files)?;
    if files.is_empty() {
        return Err(Error::usage(
            format!(
                "no rule tests in {}",
                display_path(&map.dir.join("tests")).display()
            ),
            Some("write tests as `tests/*.yaml` in the roadmap folder (see the README)".into()),
        ));
    }
    let tests = rule_tests::read(&map, &files)?;
    let results: Vec<TestResult> = tests.iter().map(|t| run_test(&map, t)).collect();
    let passed = results.iter().filter(|r| r.passed).count();
    let ok = passed == results.len();
    match ctx.format {
        Format::Json => render::json(
            out,
            &Report {
                ok,
                passed,
                failed: results.len() - passed,
                tests: &results,
            },
        )?,
        _ => out.write_all(render::rule_tests::text(&results, ctx.format, ctx.style).as_bytes())?,
    }
    if ok {
        Ok(())
    } else {
        Err(Error::Reported(ExitCode::Problem))
    }
}
