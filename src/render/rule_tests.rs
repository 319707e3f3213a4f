//! Drawing `roadmap test` results.

use std::fmt::Write as _;

use super::Style;
use crate::eval::rule_tests::TestResult;

pub fn text(results: &[TestResult], style: Style) -> String {
    let mut out = String::new();
    for r in results {
        if r.passed {
            let _ = writeln!(out, "{} {}", style.green("✓"), r.name);
        } else {
            let _ = writeln!(out, "{} {} ({})", style.red("✗"), r.name, r.at);
            for f in &r.failures {
                let _ = writeln!(out, "    {f}");
            }
        }
    }
    let passed = results.iter().filter(|r| r.passed).count();
    // Alone on its line, in the form CI runners recognise.
    let _ = writeln!(out, "\n{passed} passed, {} failed", results.len() - passed);
    out
}
