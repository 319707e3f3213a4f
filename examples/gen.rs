//! A synthetic roadmap of any size, for benchmarks and scaling tests:
//!
//! ```sh
//! cargo run --release --example gen -- --items 10000 --metrics 200 --days 1825 /tmp/big
//! roadmap --dir /tmp/big validate
//! ```
//!
//! It writes what a large company's plan holds: five phases over five
//! years, tracks spread over several files, items with some done, metrics
//! of every unit and combine, gate and standing targets, a dashboard,
//! alerts, risks, and `--days` days of history for every metric from the
//! plan's first day. The output depends on the arguments only (a fixed
//! pseudo-random sequence), so two runs give the same bytes. The writing
//! lives in `gen/synthetic.rs`, which the benches share.

#[path = "gen/synthetic.rs"]
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;

use synthetic::Spec;

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen: {e}");
            eprintln!("usage: gen --items N --metrics M --days D OUT_DIR");
            return ExitCode::from(2);
        }
    };
    match synthetic::generate(&args) {
        Ok(bytes) => {
            println!(
                "wrote {}: {} items, {} metrics, {} days of history ({} values), {:.1} MB",
                args.out.display(),
                args.items,
                args.metrics,
                args.days,
                args.metrics * args.days,
                bytes as f64 / 1e6
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen: {}: {e}", args.out.display());
            ExitCode::from(2)
        }
    }
}

fn parse(mut it: impl Iterator<Item = String>) -> Result<Spec, String> {
    let (mut items, mut metrics, mut days, mut out) = (None, None, None, None);
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let v = it.next().ok_or(format!("{name} needs a number"))?;
            v.parse()
                .map_err(|_| format!("{name}: `{v}` is not a whole number"))
        };
        match arg.as_str() {
            "--items" => items = Some(number("--items")?),
            "--metrics" => metrics = Some(number("--metrics")?),
            "--days" => days = Some(number("--days")?),
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
            _ => out = Some(PathBuf::from(arg)),
        }
    }
    let args = Spec {
        items: items.ok_or("--items is required")?,
        metrics: metrics.ok_or("--metrics is required")?,
        days: days.ok_or("--days is required")?,
        out: out.ok_or("OUT_DIR is required")?,
    };
    if args.items == 0 || args.metrics == 0 {
        return Err("--items and --metrics must be at least 1".into());
    }
    Ok(args)
}
