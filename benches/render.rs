//! `render`: the `status`, `check` and `kpis` reports drawn as the aligned
//! table a terminal gets (80 columns, no colour: what a pipe gets) and as
//! JSON, into a byte buffer as the commands write them. The reports are
//! computed once, outside the timed part.

mod support;

use std::io::Write;

use roadmap::cli::Format;
use roadmap::eval;
use roadmap::render::{self, Style};
use support::{Plan, as_of};

/// `$COLUMNS` unset and not a terminal: the width `roadmap` falls back on.
const WIDTH: usize = 80;

fn main() {
    support::main();
}

fn status(plan: Plan) -> eval::status::Status {
    let (map, history) = plan.loaded();
    eval::status::status(map, history, &eval::Selection::default(), as_of())
}

fn check(plan: Plan) -> eval::check::Check {
    let (map, history) = plan.loaded();
    eval::check::check(map, history, None, as_of())
}

fn kpis(plan: Plan) -> eval::kpis::Kpis {
    let (map, history) = plan.loaded();
    eval::kpis::kpis(map, history, None, as_of())
}

mod table {
    use super::*;

    fn write(text: String) -> Vec<u8> {
        let mut out = Vec::new();
        out.write_all(text.as_bytes())
            .expect("a Vec takes every byte");
        out
    }

    #[divan::bench(args = Plan::ALL, max_time = 5)]
    fn status(bencher: divan::Bencher, plan: Plan) {
        let report = super::status(plan);
        let style = Style::new(false);
        bencher.bench(|| {
            write(render::status::text(
                &report,
                Format::Table,
                style,
                WIDTH,
                "roadmap",
                "",
            ))
        });
    }

    #[divan::bench(args = Plan::ALL, max_time = 5)]
    fn check(bencher: divan::Bencher, plan: Plan) {
        let report = super::check(plan);
        let style = Style::new(false);
        bencher.bench(|| {
            write(render::check::text(
                &report,
                Format::Table,
                style,
                WIDTH,
                "roadmap",
            ))
        });
    }

    #[divan::bench(args = Plan::ALL, max_time = 5)]
    fn kpis(bencher: divan::Bencher, plan: Plan) {
        let report = super::kpis(plan);
        let style = Style::new(false);
        bencher.bench(|| write(render::kpis::text(&report, Format::Table, style, WIDTH)));
    }
}

mod json {
    use super::*;

    fn write<T: serde::Serialize>(report: &T) -> Vec<u8> {
        let mut out = Vec::new();
        render::json(&mut out, report).expect("a Vec takes every byte");
        out
    }

    #[divan::bench(args = Plan::ALL, max_time = 5)]
    fn status(bencher: divan::Bencher, plan: Plan) {
        let report = super::status(plan);
        bencher.bench(|| write(&report));
    }

    #[divan::bench(args = Plan::ALL, max_time = 5)]
    fn check(bencher: divan::Bencher, plan: Plan) {
        let report = super::check(plan);
        bencher.bench(|| write(&report));
    }

    #[divan::bench(args = Plan::ALL, max_time = 5)]
    fn kpis(bencher: divan::Bencher, plan: Plan) {
        let report = super::kpis(plan);
        bencher.bench(|| write(&report));
    }
}
