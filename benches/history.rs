//! `history`: `metrics.csv` read, checked against the plan's metrics and
//! built into the per-metric series every report reads
//! (`roadmap::load::history::history`). The bundled plan has no recorded
//! values, so its case is the cost of finding none.

mod support;

use support::Plan;

fn main() {
    support::main();
}

#[divan::bench(args = Plan::ALL, max_time = 5)]
fn metrics_csv(bencher: divan::Bencher, plan: Plan) {
    let (map, _) = plan.loaded();
    bencher.bench(|| roadmap::load::history::history(map).expect("the history loads"));
}
