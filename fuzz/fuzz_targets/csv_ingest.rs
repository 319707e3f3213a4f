//! Fuzzes reading metric values: `metrics.csv` and CSV snapshots through
//! `csv_rows`, YAML/JSON snapshots through `snapshot_rows`, against a
//! roadmap loaded once: fuzz/fixtures/every-unit, with one metric in each
//! unit. (The bakery example lacks half the units; the bundled plan has
//! them all, but its 125 ids make each unknown metric's did-you-mean cost
//! more than the rest of the input.) No input may panic, every value read
//! is finite, and every diagnostic renders.
//!
//! With `FUZZ_STRICT=1` a value that `parse_value` would refuse for its
//! metric (beyond `MAX_MAGNITUDE`, a score above its scale, a bool of 2,
//! see `in_domain`) is a crash too. It is off by default because the plain
//! number fast path of `csv_rows` skips those checks (a bug in
//! src/load/history.rs, reproduced under fuzz/regressions/), and every
//! run would stop there.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use roadmap::diag::Diagnostics;
use roadmap::load::history::{Row, csv_rows, snapshot_rows};
use roadmap::model::Roadmap;
use roadmap::model::quantity::in_domain;
use roadmap::render::Style;

static MAP: LazyLock<Roadmap> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/every-unit");
    roadmap::load::load(&dir).unwrap_or_else(|e| panic!("{} loads: {e}", dir.display()))
});

static STRICT: LazyLock<bool> =
    LazyLock::new(|| std::env::var_os("FUZZ_STRICT").is_some_and(|v| v == "1"));

fn check(map: &Roadmap, rows: &[Row], diags: &Diagnostics) {
    for row in rows {
        assert!(row.metric < map.metrics.len());
        assert!(row.value.is_finite(), "{row:?}");
        if *STRICT {
            let unit = map.metrics[row.metric].unit;
            assert!(in_domain(row.value, unit), "{row:?} is no {unit}");
        }
        let _ = row.origin();
    }
    let style = Style::new(true);
    for d in &diags.0 {
        let _ = d.render(&style);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = PathBuf::from("fuzz-input");
    let map = &*MAP;
    let mut diags = Diagnostics::default();
    let rows = csv_rows(map, &file, text, &mut diags);
    check(map, &rows, &diags);
    let mut diags = Diagnostics::default();
    let rows = snapshot_rows(map, &file, text, &mut diags);
    check(map, &rows, &diags);
});
