//! Properties of the parsers that read what people type, checked on
//! generated input: the CI-sized counterpart of the cargo-fuzz targets in
//! `fuzz/`. Arbitrary text never panics a parser and what a parser accepts
//! is sane; a value shown by `format_value` reads back to itself; and no
//! spelling of a value beyond `MAX_MAGNITUDE` is ever accepted.
//!
//! These call the library directly (no process per case), and case counts
//! keep the whole module to a few seconds in a debug build.

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use roadmap::diag::Diagnostics;
use roadmap::load::history::{csv_rows, snapshot_rows};
use roadmap::load::yaml;
use roadmap::model::Roadmap;
use roadmap::model::condition::{MAX_WINDOW_DAYS, parse_condition, parse_window};
use roadmap::model::quantity::{
    Better, MAX_MAGNITUDE, Unit, format_value, in_domain, parse_target, parse_value,
};
use roadmap::render::Style;

/// The bakery example, loaded once for the history readers.
static BAKERY: LazyLock<Roadmap> =
    LazyLock::new(|| roadmap::load::load(&super::example()).expect("the bakery example loads"));

const UNITS: [Unit; 12] = [
    Unit::Count,
    Unit::Percent,
    Unit::Usd,
    Unit::Days,
    Unit::Seconds,
    Unit::Score { scale: 1 },
    Unit::Score { scale: 5 },
    Unit::Score { scale: 10 },
    Unit::Score { scale: 1000 },
    Unit::Ratio,
    Unit::Bool,
    Unit::Rank,
];

fn unit() -> impl Strategy<Value = Unit> {
    prop::sample::select(UNITS.to_vec())
}

/// `base`, sometimes with a few arbitrary characters put in or taken out
/// somewhere, so that near-misses of the grammar are tried as well as hits.
fn mutated(base: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    let edit = (any::<prop::sample::Index>(), "\\PC{0,3}", 0usize..3);
    (base, prop::option::weighted(0.3, edit)).prop_map(|(s, edit)| {
        let Some((at, junk, cut)) = edit else {
            return s;
        };
        let chars: Vec<char> = s.chars().collect();
        let i = at.index(chars.len() + 1);
        let mut out: String = chars[..i].iter().collect();
        out.push_str(&junk);
        out.extend(&chars[(i + cut).min(chars.len())..]);
        out
    })
}

/// A value in one of the accepted spellings, often with a unit, an
/// exponent or a sign: most are accepted by some unit.
fn value_text() -> impl Strategy<Value = String> {
    let sign =
        prop_oneof![6 => Just(""), 1 => Just("-"), 1 => Just("+"), 2 => Just("$"), 1 => Just("-$")];
    let exp = prop_oneof![
        5 => Just(String::new()),
        2 => "[eE][-+]?[0-9]",
        1 => "e1[0-9]{1,2}",
    ];
    let unit = prop_oneof![
        6 => Just(String::new()),
        1 => "(k|K|m|M|b|B)",
        2 => "( ?)%",
        1 => "(x|:1|:2.5|:0)",
        1 => "(d| días| day)",
        1 => "(s| s|ms|min|h)",
        1 => "( ?)/( ?)(5|10|1000)",
    ];
    let number = (
        sign,
        "[0-9]{1,3}(,[0-9]{3}){0,2}(\\.[0-9]{1,3})?",
        exp,
        unit,
    )
        .prop_map(|(sign, digits, exp, unit)| format!("{sign}{digits}{exp}{unit}"));
    let word = "(yes|no|true|sí|top [0-9]{1,3}|#[0-9]{1,3}|nan|.nan|-inf|.inf|∞|info)";
    prop_oneof![6 => number, 1 => word]
}

fn value_like() -> impl Strategy<Value = String> {
    mutated(value_text())
}

/// A target: an optional comparison, a value and an optional `+`.
fn target_like() -> impl Strategy<Value = String> {
    let target = ("(|>=|<=|>|<|=|==|≥|≤|=>)( ?)", value_text(), "(| ?\\+)")
        .prop_map(|(cmp, value, plus)| format!("{cmp}{value}{plus}"));
    mutated(target)
}

/// A condition of one to three clauses in the grammar's words.
fn condition_like() -> impl Strategy<Value = String> {
    let change = prop_oneof![2 => Just(""), 1 => Just(" drop"), 1 => Just(" rise")];
    let window = prop_oneof![
        2 => Just(String::new()),
        4 => " over [1-9][0-9]{0,2}(h|d|w| days| semanas)",
        1 => " over [0-9]{6,15}(h|d)",
    ];
    let clause = (
        "[a-z][a-z0-9_]{0,8}",
        change,
        "(>|>=|<|<=|=|≥)",
        value_text(),
        "[0-9]{1,2}(\\.[0-9])?%",
        window,
    )
        .prop_map(|(metric, change, cmp, value, percent, window)| {
            // A change is a percentage; now and then it gets another
            // value, as a clause written wrong.
            let value = if change.is_empty() || value.len() % 5 == 0 {
                value
            } else {
                percent
            };
            format!("{metric}{change} {cmp} {value}{window}")
        });
    mutated(prop::collection::vec(clause, 1..4).prop_map(|c| c.join(" and ")))
}

/// YAML documents shaped like snapshots and like the roadmap's files.
fn yaml_like() -> impl Strategy<Value = String> {
    let entry = (
        "(date|values|source|note|metrics|id|name|unit|target|tests|alerts)",
        prop_oneof![
            value_text(),
            Just("2026-03-01".to_string()),
            Just("{revenue: $12K, customers: 1.2e2}".to_string()),
            Just("[a, b]".to_string()),
            Just("&a {x: 1}".to_string()),
            Just("*a".to_string()),
            Just("|\n  block".to_string()),
            Just("\n  - id: x\n    unit: count".to_string()),
        ],
    )
        .prop_map(|(key, value)| format!("{key}: {value}"));
    mutated(prop::collection::vec(entry, 0..8).prop_map(|e| e.join("\n")))
}

/// A metric of the bakery and a value in its unit, and now and then any
/// value or a misspelt metric.
fn bakery_entry() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        2 => ("revenue", "\\$?[0-9]{1,3}(\\.[0-9]{1,2})?(K|M|e[0-6])?"),
        2 => ("customers", "[0-9]{1,4}(e[0-3])?"),
        2 => ("waste", "[0-9]{1,2}(\\.[0-9])?%?"),
        2 => ("rating", "[0-4](\\.[0-9])?(/5)?"),
        2 => ("fitout_days", "[0-9]{1,3}(d| days)?"),
        1 => ("(revenue|customers|waste|rating|fitout_days|revenu)", value_text()).boxed(),
    ]
}

/// A metric CSV or a snapshot for the bakery: mostly real dates, the
/// example's metric ids and values in their spellings.
fn history_like() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        4 => Just("date,metric,value,source,note".to_string()),
        1 => Just("metric,value,date".to_string()),
        1 => Just("date,metrc,value".to_string()),
    ];
    let date = "2026-0[1-9]-(0[1-9]|1[0-9]|2[0-8])";
    let row = (date, bakery_entry(), "(|,crm|,\"a, b\",note)").prop_map(
        |(date, (metric, value), rest)| {
            // A value with a comma is quoted, as a spreadsheet writes it.
            let value = if value.contains(',') {
                format!("\"{value}\"")
            } else {
                value
            };
            format!("{date},{metric},{value}{rest}")
        },
    );
    let csv = (header, prop::collection::vec(row, 0..6), "(\n|\r\n)")
        .prop_map(|(h, rows, eol)| format!("{h}{eol}{}", rows.join(&eol)));
    let snapshot =
        (date, prop::collection::vec(bakery_entry(), 1..5)).prop_map(|(date, values)| {
            let values: Vec<String> = values
                .iter()
                .map(|(m, v)| format!("{m}: \"{v}\""))
                .collect();
            format!("date: {date}\nvalues: {{{}}}", values.join(", "))
        });
    mutated(prop_oneof![3 => csv, 1 => snapshot])
}

/// `cases` cases, and no regression files: a failure prints its minimal
/// input, which belongs in a unit test next to the parser it broke.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn too_large(e: &roadmap::model::quantity::ValueError) -> bool {
    e.message.contains("is too large: values")
}

/// What rounding to the shown precision may cost: half a hundredth, or
/// half a hundredth of the mantissa once compacted (`1.23M`).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.0051 || (a - b).abs() <= 5.1e-3 * a.abs().max(b.abs())
}

/// A value in `unit`'s domain, anywhere up to the bound: round numbers,
/// the bound itself, and the edges where formatting changes.
fn value_in(unit: Unit) -> BoxedStrategy<f64> {
    let anywhere = prop_oneof![
        -1.0f64..1.0,
        -1e6f64..1e6,
        -MAX_MAGNITUDE..=MAX_MAGNITUDE,
        (0u32..1000, -12i32..=15)
            .prop_map(|(m, e)| (f64::from(m) * 10f64.powi(e)).min(MAX_MAGNITUDE)),
        (
            -1e-3f64..1e-3,
            prop::sample::select(vec![1e3, 1e4, 1e5, 1e6, 1e9, 1e12, 1e15])
        )
            .prop_map(|(d, edge)| (edge * (1.0 + d)).min(MAX_MAGNITUDE)),
        (-1.0f64..1.0).prop_map(|f| f * 1e-6),
    ];
    match unit {
        Unit::Score { scale } => (0.0f64..=1.0)
            .prop_map(move |f| f * f64::from(scale))
            .boxed(),
        Unit::Bool => prop::sample::select(vec![0.0, 1.0]).boxed(),
        Unit::Rank => prop_oneof![1u64..1000, 1u64..=1_000_000_000_000_000]
            .prop_map(|n| n as f64)
            .boxed(),
        _ => anywhere.boxed(),
    }
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn values_and_targets_read_sanely_or_fail_cleanly(
        s in prop_oneof![3 => value_like(), 3 => target_like(), 1 => "\\PC{0,16}"],
    ) {
        for unit in UNITS {
            match parse_value(&s, unit) {
                Ok(v) => prop_assert!(in_domain(v, unit), "{s:?} ({unit}) read as {v}"),
                Err(e) => prop_assert!(!e.message.is_empty(), "{s:?} ({unit})"),
            }
            for better in [Better::Higher, Better::Lower] {
                if let Ok(t) = parse_target(&s, unit, better) {
                    prop_assert!(
                        t.value.is_finite() && t.value.abs() <= MAX_MAGNITUDE,
                        "{s:?} ({unit}): {t:?}"
                    );
                    let back = parse_target(&t.to_string(), unit, better)
                        .map_err(|e| TestCaseError::fail(format!("{t}: {e}")))?;
                    prop_assert_eq!(back.cmp, t.cmp);
                    prop_assert!(close(back.value, t.value), "{t:?} -> {back:?}");
                }
            }
        }
    }

    #[test]
    fn conditions_and_windows_read_sanely_or_point_inside_the_text(
        s in prop_oneof![4 => condition_like(), 1 => "\\PC{0,24}"],
    ) {
        match parse_condition(&s) {
            Ok(c) => {
                let shown = c.to_string();
                let back = parse_condition(&shown)
                    .map_err(|e| TestCaseError::fail(format!("{s:?} -> {shown:?}: {e}")))?;
                prop_assert_eq!(back.to_string(), shown);
            }
            Err(e) => {
                prop_assert!(e.at <= s.len() && s.is_char_boundary(e.at), "{s:?}: {e:?}");
            }
        }
        if let Ok(w) = parse_window(&s) {
            prop_assert!(w.hours > 0 && w.hours <= MAX_WINDOW_DAYS * 24, "{s:?}: {w:?}");
            prop_assert_eq!(parse_window(&w.to_string()), Ok(w));
        }
    }

    #[test]
    fn yaml_parses_or_says_where(s in prop_oneof![4 => yaml_like(), 1 => "\\PC{0,40}"]) {
        let file = Path::new("fuzz.yaml");
        match yaml::parse(&s, file) {
            Ok(root) => prop_assert!(root.pos.offset <= s.len(), "{s:?}: {:?}", root.pos),
            Err(d) => {
                prop_assert!(d.message.starts_with("invalid YAML"), "{s:?}: {}", d.message);
                prop_assert!(d.render(&Style::new(false)).starts_with("fuzz.yaml"));
            }
        }
    }

    #[test]
    fn history_rows_are_real_values(s in history_like()) {
        let map = &*BAKERY;
        let file = Path::new("fuzz.csv");
        let mut diags = Diagnostics::default();
        for row in csv_rows(map, file, &s, &mut diags) {
            prop_assert!(row.value.is_finite(), "{s:?}: {row:?}");
            // Line 1 is the header.
            prop_assert!(row.line() >= 2, "{s:?}: {row:?}");
        }
        for row in snapshot_rows(map, file, &s, &mut diags) {
            prop_assert!(row.value.is_finite(), "{s:?}: {row:?}");
        }
        for d in &diags.0 {
            prop_assert!(d.render(&Style::new(false)).starts_with("fuzz.csv"));
        }
    }
}

/// The case proptest found: a file whose lines end in a bare `\r` (as
/// classic Mac editors wrote them) names each row's real line, in every
/// line-ending style.
#[test]
fn rows_name_their_line_whatever_ends_the_lines() {
    let map = &*BAKERY;
    for eol in ["\n", "\r\n", "\r"] {
        let text = [
            "date,metric,value,source,note",
            "",
            "2026-06-01,customers,5,,",
            "2026-06-02,customers,6,,",
        ]
        .join(eol);
        let mut diags = Diagnostics::default();
        let rows = csv_rows(map, Path::new("m.csv"), &text, &mut diags);
        let lines: Vec<u64> = rows.iter().map(|r| r.line()).collect();
        assert_eq!(lines, [3, 4], "{eol:?}: {diags:?}");
    }
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn shown_values_read_back(
        (unit, value) in unit().prop_flat_map(|u| (Just(u), value_in(u))),
    ) {
        let shown = format_value(value, unit);
        let back = parse_value(&shown, unit)
            .map_err(|e| TestCaseError::fail(format!("{value} ({unit}) -> {shown:?}: {e}")))?;
        prop_assert!(close(back, value), "{value} ({unit}) -> {shown:?} -> {back}");
        prop_assert_eq!(format_value(back, unit), shown);
    }

    #[test]
    fn nothing_beyond_the_bound_is_accepted(
        excess in prop_oneof![
            1.000_001f64..10.0,
            (1i32..290).prop_map(|e| 10f64.powi(e)),
            Just(f64::MAX / MAX_MAGNITUDE),
        ],
        negative: bool,
        unit in unit(),
        spelling in 0usize..4,
    ) {
        let v = MAX_MAGNITUDE * excess * if negative { -1.0 } else { 1.0 };
        let text = match spelling {
            0 => format!("{v}"),
            1 => format!("{v:e}"),
            2 => format!("{v:E}"),
            _ => format_value(v, unit),
        };
        let e = parse_value(&text, unit)
            .err()
            .ok_or_else(|| TestCaseError::fail(format!("{text:?} ({unit}) was accepted")))?;
        // `#-5` is no rank whatever its size, and may say so instead.
        let no_rank = unit == Unit::Rank && negative;
        prop_assert!(too_large(&e) || no_rank, "{text:?} ({unit}): {}", e.message);
        for better in [Better::Higher, Better::Lower] {
            let target = format!(">= {text}");
            let e = parse_target(&target, unit, better)
                .err()
                .ok_or_else(|| TestCaseError::fail(format!("{target:?} was accepted")))?;
            prop_assert!(too_large(&e) || no_rank, "{target:?} ({unit}): {}", e.message);
        }
    }
}
