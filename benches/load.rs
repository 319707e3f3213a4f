//! `load`: the plan's YAML files read, parsed and validated into the model
//! (`roadmap::load::load`, the first step of every command), without the
//! history.

mod support;

use support::Plan;

fn main() {
    support::main();
}

#[divan::bench(args = Plan::ALL, max_time = 5)]
fn plan(bencher: divan::Bencher, plan: Plan) {
    let dir = plan.dir();
    bencher.bench(|| roadmap::load::load(dir).expect("the plan loads"));
}
