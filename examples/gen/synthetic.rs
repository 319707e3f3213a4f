//! The synthetic roadmap itself, apart from `gen`'s command line, so that
//! the benches (`benches/support/`) generate the very same plans: a plan
//! measured by `cargo bench` is one `bench/run.sh` can time whole.
//!
//! The output depends on the spec only (a fixed pseudo-random sequence),
//! so two runs give the same bytes.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The plan's first month (year, month); history starts on its first day.
pub const START: (i32, u32) = (2024, 1);
const MONTHS: u32 = 60;
/// Items are grouped into periods of this many months.
const PERIOD: u32 = 3;
const TRACK_FILES: usize = 8;
const AREAS: [&str; 8] = [
    "Producto",
    "Marketing",
    "Ventas",
    "Tecnología",
    "Operaciones",
    "Legal",
    "Finanzas",
    "Personas",
];

/// How big a plan to write, and where.
pub struct Spec {
    pub items: usize,
    pub metrics: usize,
    /// Days of history for every metric, from the plan's first day.
    pub days: usize,
    pub out: PathBuf,
}

/// xorshift64*: deterministic, no dependency, good enough for fake data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One metric's shape: unit, how values combine, which way is better, and
/// the range its values move in.
struct Kind {
    unit: &'static str,
    combine: &'static str,
    lower_is_better: bool,
    low: f64,
    high: f64,
    whole: bool,
}

const KINDS: [Kind; 11] = [
    kind("count", "latest", false, 0.0, 1000.0, true),
    kind("usd", "sum", false, 1000.0, 50000.0, true),
    kind("percent", "latest", false, 0.0, 100.0, false),
    kind("count", "average", false, 10.0, 500.0, true),
    kind("days", "latest", true, 1.0, 60.0, true),
    kind("seconds", "average", true, 0.1, 5.0, false),
    kind("score/5", "latest", false, 1.0, 5.0, false),
    kind("ratio", "latest", false, 1.0, 10.0, false),
    kind("bool", "latest", false, 0.0, 1.0, true),
    kind("rank", "latest", true, 1.0, 20.0, true),
    kind("usd", "average", true, 50.0, 500.0, true),
];

const fn kind(
    unit: &'static str,
    combine: &'static str,
    lower_is_better: bool,
    low: f64,
    high: f64,
    whole: bool,
) -> Kind {
    Kind {
        unit,
        combine,
        lower_is_better,
        low,
        high,
        whole,
    }
}

/// A target in the metric's unit, `fraction` of the way up its range
/// (down, for a lower-is-better metric).
fn target(k: &Kind, fraction: f64) -> String {
    let at = |f: f64| {
        let v = k.low + (k.high - k.low) * f;
        if k.whole {
            v.round()
        } else {
            (v * 10.0).round() / 10.0
        }
    };
    match k.unit {
        "bool" => "yes".into(),
        "rank" => format!("top {}", at(1.0 - fraction).max(1.0)),
        _ if k.lower_is_better => format!("\"<= {}\"", spelled(at(1.0 - fraction), k)),
        _ => format!("\">= {}\"", spelled(at(fraction), k)),
    }
}

/// A number written in its unit's own spelling.
fn spelled(v: f64, k: &Kind) -> String {
    match k.unit {
        "usd" => format!("${v}"),
        "percent" => format!("{v}%"),
        "days" => format!("{v}d"),
        "seconds" => format!("{v}s"),
        "score/5" => format!("{v}/5"),
        "ratio" => format!("{v}:1"),
        _ => format!("{v}"),
    }
}

fn month_date(month: u32) -> String {
    let m0 = START.1 - 1 + month - 1;
    format!("{:04}-{:02}-01", START.0 + (m0 / 12) as i32, m0 % 12 + 1)
}

/// The last day of plan month `month`.
fn month_end(month: u32) -> String {
    let m0 = START.1 - 1 + month - 1;
    let (y, m) = (START.0 + (m0 / 12) as i32, m0 % 12 + 1);
    let days = days_in(y, m);
    format!("{y:04}-{m:02}-{days:02}")
}

fn days_in(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Write the plan and its history into `a.out` (created if missing);
/// returns the bytes written.
pub fn generate(a: &Spec) -> std::io::Result<u64> {
    fs::create_dir_all(&a.out)?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (a.items as u64) << 20 ^ a.metrics as u64);
    let mut bytes = 0;
    let tracks = a.items.div_ceil(400).max(1);
    let files = tracks.min(TRACK_FILES);
    bytes += write(&a.out.join("roadmap.yaml"), &plan(files))?;
    for f in 0..files {
        let text = track_file(a, f, files, tracks, &mut rng);
        bytes += write(&a.out.join(format!("tracks-{f}.yaml")), &text)?;
    }
    bytes += write(&a.out.join("kpis.yaml"), &kpis(a))?;
    bytes += write(&a.out.join("alerts.yaml"), &alerts(a))?;
    bytes += write(&a.out.join("risks.yaml"), &risks(a))?;
    bytes += history(a, &mut rng)?;
    Ok(bytes)
}

fn write(path: &Path, text: &str) -> std::io::Result<u64> {
    fs::write(path, text)?;
    Ok(text.len() as u64)
}

fn plan(files: usize) -> String {
    let mut s = String::from(
        "# A synthetic plan written by `cargo run --example gen`.\n\
         name: Synthetic company plan\n",
    );
    let _ = writeln!(s, "start: {}\nmonths: {MONTHS}\ninclude:", month_date(1));
    for f in 0..files {
        let _ = writeln!(s, "  - tracks-{f}.yaml");
    }
    s.push_str("phases:\n");
    for p in 0..5 {
        let (first, last) = (p * 12 + 1, p * 12 + 12);
        let _ = writeln!(
            s,
            "  - id: p{}\n    name: \"Phase {}: year {}\"\n    months: {first}-{last}\n    \
             objective: Grow the business in year {}",
            p + 1,
            p + 1,
            p + 1,
            p + 1
        );
        if p % 2 == 1 {
            s.push_str("    gate:\n      items: 80%\n");
        }
    }
    s.push_str("tracks: []\n");
    s
}

fn track_file(a: &Spec, f: usize, files: usize, tracks: usize, rng: &mut Rng) -> String {
    let mut s = String::from("# Synthetic tracks.\ntracks:\n");
    let periods = MONTHS / PERIOD;
    for t in (f..tracks).step_by(files) {
        let first = t * a.items / tracks;
        let last = (t + 1) * a.items / tracks;
        let _ = writeln!(
            s,
            "  - id: t{t}\n    name: Track {t} ({})\n    periods:",
            AREAS[t % AREAS.len()]
        );
        let per = (last - first).div_ceil(periods as usize).max(1);
        for (p, chunk) in (first..last).collect::<Vec<_>>().chunks(per).enumerate() {
            let (m1, m2) = (p as u32 * PERIOD + 1, p as u32 * PERIOD + PERIOD);
            let _ = writeln!(
                s,
                "      - months: {m1}-{m2}\n        name: Period {}\n        items:",
                p + 1
            );
            for &i in chunk {
                let area = AREAS[(i / 3) % AREAS.len()];
                let _ = writeln!(
                    s,
                    "          - id: t{t}-i{i}\n            area: {area}\n            \
                     title: Deliver work package {i} of track {t}, with a title as long as a real one"
                );
                // Most work of the first half of the plan is done, on time.
                if m2 <= MONTHS / 2 && rng.unit() < 0.7 {
                    let _ = writeln!(s, "            done: {}", month_end(m2));
                }
            }
        }
    }
    s
}

fn kpis(a: &Spec) -> String {
    let mut s = String::from("# Synthetic metrics and targets.\nmetrics:\n");
    for m in 0..a.metrics {
        let k = &KINDS[m % KINDS.len()];
        let _ = writeln!(
            s,
            "  - id: m{m}\n    name: Metric {m} ({})\n    unit: {}\n    combine: {}\n    \
             cadence: daily",
            k.unit, k.unit, k.combine
        );
        if k.lower_is_better {
            s.push_str("    better: lower\n");
        }
    }
    s.push_str("targets:\n");
    for m in 0..a.metrics {
        let k = &KINDS[m % KINDS.len()];
        if m % 3 == 0 {
            // A gate target in every phase, rising through the plan.
            for p in 0..5 {
                let _ = writeln!(
                    s,
                    "  - metric: m{m}\n    phase: p{}\n    target: {}",
                    p + 1,
                    target(k, 0.3 + 0.1 * p as f64)
                );
            }
        } else if m % 3 == 1 {
            let _ = writeln!(
                s,
                "  - metric: m{m}\n    target: {}\n    text: Keep metric {m} on target",
                target(k, 0.5)
            );
        }
    }
    s.push_str(
        "dashboards:\n  - id: daily\n    name: Daily numbers\n    cadence: daily\n    panels:\n",
    );
    for panel in 0..a.metrics.div_ceil(4).min(10) {
        let ids: Vec<String> = (panel * 4..(panel * 4 + 4).min(a.metrics))
            .map(|m| format!("m{m}"))
            .collect();
        let _ = writeln!(
            s,
            "      - name: Panel {panel}\n        metrics: [{}]",
            ids.join(", ")
        );
    }
    s
}

/// One alert per count metric (a drop, critical) and per score (a level,
/// an opportunity), with one action.
fn alerts(a: &Spec) -> String {
    let mut s = String::from("# Synthetic alerts.\nalerts:\n");
    let mut any = false;
    for m in 0..a.metrics {
        let k = &KINDS[m % KINDS.len()];
        let when = match (k.unit, k.combine) {
            ("count", _) => format!("m{m} drop > 20% over 7d"),
            ("score/5", _) => format!("m{m} >= 4.8/5"),
            _ => continue,
        };
        let severity = if k.unit == "count" {
            "critical"
        } else {
            "opportunity"
        };
        let _ = writeln!(
            s,
            "  - id: a{m}\n    name: Alert on metric {m}\n    severity: {severity}\n    \
             when: {when}\n    action: review"
        );
        any = true;
    }
    if !any {
        s = String::from("# Synthetic alerts.\nalerts: []\n");
    }
    s.push_str("actions:\n  - id: review\n    area: Operaciones\n    title: Review the numbers\n");
    s
}

fn risks(a: &Spec) -> String {
    let mut s = String::from("# Synthetic contingency plan.\nrisks:\n");
    for r in 0..12 {
        let m = (r * 7) % a.metrics;
        let _ = writeln!(
            s,
            "  - id: r{r}\n    category: {}\n    name: Risk {r}\n    risk: Something goes \
             wrong with metric {m}\n    mitigation: A plan to soften it\n    metrics: [m{m}]",
            AREAS[r % AREAS.len()]
        );
    }
    s
}

/// `metrics.csv`: one value per metric per day, as `record` and `ingest`
/// write it. Values wander inside each metric's range.
fn history(a: &Spec, rng: &mut Rng) -> std::io::Result<u64> {
    let path = a.out.join("metrics.csv");
    let mut out = BufWriter::with_capacity(1 << 20, fs::File::create(path)?);
    let header = "date,metric,value,source,note\n";
    out.write_all(header.as_bytes())?;
    let mut bytes = header.len() as u64;
    let mut level: Vec<f64> = (0..a.metrics).map(|_| 0.5).collect();
    let (mut y, mut mo, mut d) = (START.0, START.1, 1u32);
    let mut line = String::new();
    for _ in 0..a.days {
        for (m, level) in level.iter_mut().enumerate() {
            let k = &KINDS[m % KINDS.len()];
            *level = (*level + (rng.unit() - 0.48) * 0.05).clamp(0.0, 1.0);
            let raw = k.low + (k.high - k.low) * *level;
            let v = match k.unit {
                "bool" => f64::from(u8::from(*level > 0.5)),
                _ if k.whole => raw.round(),
                _ => (raw * 100.0).round() / 100.0,
            };
            line.clear();
            let _ = writeln!(line, "{y:04}-{mo:02}-{d:02},m{m},{v},gen,");
            out.write_all(line.as_bytes())?;
            bytes += line.len() as u64;
        }
        d += 1;
        if d > days_in(y, mo) {
            d = 1;
            mo += 1;
            if mo > 12 {
                mo = 1;
                y += 1;
            }
        }
    }
    out.flush()?;
    Ok(bytes)
}
