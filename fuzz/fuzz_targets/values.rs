//! Fuzzes the value and target grammar (`85%`, `$50K`, `>= 4.5/5`, `1e6`):
//! no input may panic, every value read is finite and within the magnitude
//! bound, and what `format_value` shows for a value reads back to it, as
//! does a target's display.

#![no_main]

use libfuzzer_sys::fuzz_target;
use roadmap::model::quantity::{
    Better, MAX_MAGNITUDE, Unit, format_value, parse_target, parse_value, parse_written,
};

/// Every unit, with score scales from the smallest to the largest.
const UNITS: &[Unit] = &[
    Unit::Count,
    Unit::Percent,
    Unit::Usd,
    Unit::Days,
    Unit::Seconds,
    Unit::Score { scale: 1 },
    Unit::Score { scale: 5 },
    Unit::Score { scale: 10 },
    Unit::Score { scale: u32::MAX },
    Unit::Ratio,
    Unit::Bool,
    Unit::Rank,
];

/// What rounding to the shown precision may cost: half a hundredth, or
/// half a hundredth of the mantissa once compacted (`1.23M`).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.0051 || (a - b).abs() <= 5.1e-3 * a.abs().max(b.abs())
}

fn in_bounds(v: f64) -> bool {
    v.is_finite() && v.abs() <= MAX_MAGNITUDE
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(w) = parse_written(text) {
        assert!(in_bounds(w.value), "{text:?} read as {}", w.value);
    }
    for &unit in UNITS {
        if let Ok(value) = parse_value(text, unit) {
            assert!(in_bounds(value), "{text:?} ({unit}) read as {value}");
            let shown = format_value(value, unit);
            let back = parse_value(&shown, unit).unwrap_or_else(|e| {
                panic!("{text:?} ({unit}) = {value} shows as {shown:?}, which fails: {e}")
            });
            assert!(
                close(back, value),
                "{text:?} ({unit}): {value} -> {shown:?} -> {back}"
            );
            assert_eq!(format_value(back, unit), shown, "{text:?} ({unit})");
        }
        for better in [Better::Higher, Better::Lower] {
            let Ok(target) = parse_target(text, unit, better) else {
                continue;
            };
            assert!(in_bounds(target.value), "{text:?} ({unit}): {target:?}");
            let shown = target.to_string();
            let back = parse_target(&shown, unit, better).unwrap_or_else(|e| {
                panic!("{text:?} ({unit}) = {target:?} shows as {shown:?}, which fails: {e}")
            });
            assert_eq!(back.cmp, target.cmp, "{text:?} ({unit}) -> {shown:?}");
            assert!(
                close(back.value, target.value),
                "{text:?} ({unit}): {target:?} -> {shown:?} -> {back:?}"
            );
        }
    }
});
