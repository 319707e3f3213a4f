//! Fuzzes the alert condition grammar (`revenue drop > 10% over 7d and
//! cac < $50`) and windows: no input may panic, an error points at a
//! character boundary inside the text, and a condition or window that
//! parses displays in a form that parses back to the same thing.

#![no_main]

use libfuzzer_sys::fuzz_target;
use roadmap::model::condition::{MAX_WINDOW_DAYS, parse_condition, parse_window};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_condition(text) {
        Ok(c) => {
            for clause in &c.clauses {
                assert!(text[clause.metric_at..].starts_with(&clause.metric));
                assert!(text[clause.value_at..].starts_with(&clause.value));
            }
            let shown = c.to_string();
            let back = parse_condition(&shown)
                .unwrap_or_else(|e| panic!("{text:?} shows as {shown:?}, which fails: {e}"));
            assert_eq!(back.to_string(), shown, "{text:?}");
            let strip = |c: &roadmap::model::condition::Condition| {
                c.clauses
                    .iter()
                    .map(|k| (k.metric.clone(), k.change, k.cmp, k.value.clone(), k.window))
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(&back), strip(&c), "{text:?} -> {shown:?}");
        }
        Err(e) => {
            assert!(e.at <= text.len(), "{text:?}: error at {}", e.at);
            assert!(text.is_char_boundary(e.at), "{text:?}: error at {}", e.at);
        }
    }
    if let Ok(w) = parse_window(text) {
        assert!(
            w.hours > 0 && w.hours <= MAX_WINDOW_DAYS * 24,
            "{text:?}: {w:?}"
        );
        assert_eq!(parse_window(&w.to_string()), Ok(w), "{text:?}");
    }
});
