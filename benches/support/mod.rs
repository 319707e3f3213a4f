//! What every `cargo bench` target shares: its inputs (the bundled plan and
//! a synthetic one, written once per process by the same code as
//! `cargo run --example gen`), the fixed as-of date, and loading a plan the
//! way a command does, outside the timed part.

#[path = "../../examples/gen/synthetic.rs"]
mod synthetic;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use roadmap::model::Roadmap;
use roadmap::model::history::History;

/// The date every report is computed for (the README's tour uses it too):
/// without a fixed one, results would change from day to day.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 8, 15).expect("a real date")
}

/// The synthetic plan: 10k items as in `bench/run.sh`'s middle input, and
/// 200 daily metrics from the plan's first day up to the as-of date, so
/// every report sees current values (about 190k recorded points).
const ITEMS: usize = 10_000;
const METRICS: usize = 200;

/// One input plan; a bench's `args` list these, and divan names each case
/// by its `Display`.
#[derive(Debug, Clone, Copy)]
pub enum Plan {
    /// `roadmap/`, the plan shipped in the repository (no recorded values).
    Bundled,
    /// The generated 10k-item plan, with its history.
    Synthetic,
}

impl Plan {
    pub const ALL: [Plan; 2] = [Plan::Bundled, Plan::Synthetic];

    pub fn dir(self) -> &'static Path {
        match self {
            Plan::Bundled => Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/roadmap")),
            Plan::Synthetic => SYNTHETIC
                .get()
                .expect("support::main writes the synthetic plan first"),
        }
    }

    /// The plan and its history, loaded once per process as `status` loads
    /// them; the eval and render benches start from here.
    #[allow(dead_code, reason = "the load bench times loading instead")]
    pub fn loaded(self) -> &'static (Roadmap, History) {
        static LOADED: [OnceLock<(Roadmap, History)>; 2] = [OnceLock::new(), OnceLock::new()];
        LOADED[self as usize].get_or_init(|| {
            let map = roadmap::load::load(self.dir()).expect("the bench plan loads");
            let history = roadmap::load::history::history(&map).expect("its history loads");
            (map, history)
        })
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Plan::Bundled => "bundled",
            Plan::Synthetic => "10k",
        })
    }
}

static SYNTHETIC: OnceLock<PathBuf> = OnceLock::new();

/// A bench target's `main`: write the synthetic plan into a temporary
/// folder, run the benches divan selects, then remove the folder.
pub fn main() {
    let tmp = tempfile::Builder::new()
        .prefix("roadmap-bench-")
        .tempdir()
        .expect("a temporary folder");
    let start = NaiveDate::from_ymd_opt(synthetic::START.0, synthetic::START.1, 1)
        .expect("the generator starts on a real date");
    let days = (as_of() - start).num_days() as usize + 1;
    let spec = synthetic::Spec {
        items: ITEMS,
        metrics: METRICS,
        days,
        out: tmp.path().join("10k"),
    };
    synthetic::generate(&spec).expect("the synthetic plan is written");
    SYNTHETIC
        .set(spec.out)
        .expect("support::main runs once per process");
    divan::main();
}
