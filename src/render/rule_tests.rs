//! Drawing `roadmap test` results.

use std::fmt::Write as _;

use super::Style;
use crate::cli::Format;
use crate::eval::rule_tests::TestResult;

/// A line per test, its failures under it. In Markdown each test is a
/// list item, since lines of a paragraph would run together.
pub fn text(results: &[TestResult], format: Format, style: Style) -> String {
    let md = format == Format::Markdown;
    let (bullet, sub) = if md { ("- ", "  - ") } else { ("", "    ") };
    let mut out = String::new();
    for r in results {
        if r.passed {
            let _ = writeln!(out, "{bullet}{} {}", style.green("✓"), r.name);
        } else {
            let _ = writeln!(out, "{bullet}{} {} ({})", style.red("✗"), r.name, r.at);
            for f in &r.failures {
                let _ = writeln!(out, "{sub}{f}");
            }
        }
    }
    let passed = results.iter().filter(|r| r.passed).count();
    // Alone on its line, in the form CI runners recognise.
    let _ = writeln!(out, "\n{passed} passed, {} failed", results.len() - passed);
    out
}
