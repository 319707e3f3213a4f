//! `eval`: the reports of `status`, `check` and `kpis` computed from a
//! loaded plan and history, for the whole plan (no `--phase`, `--track` or
//! `--area`) as of a fixed date.

mod support;

use roadmap::eval;
use support::{Plan, as_of};

fn main() {
    support::main();
}

#[divan::bench(args = Plan::ALL, max_time = 5)]
fn status(bencher: divan::Bencher, plan: Plan) {
    let (map, history) = plan.loaded();
    let all = eval::Selection::default();
    bencher.bench(|| eval::status::status(map, history, &all, as_of()));
}

#[divan::bench(args = Plan::ALL, max_time = 5)]
fn check(bencher: divan::Bencher, plan: Plan) {
    let (map, history) = plan.loaded();
    bencher.bench(|| eval::check::check(map, history, None, as_of()));
}

#[divan::bench(args = Plan::ALL, max_time = 5)]
fn kpis(bencher: divan::Bencher, plan: Plan) {
    let (map, history) = plan.loaded();
    bencher.bench(|| eval::kpis::kpis(map, history, None, as_of()));
}
