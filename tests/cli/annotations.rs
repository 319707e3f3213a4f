//! `check`'s GitHub Actions annotations, on `tests/fixtures/annotations`
//! (more findings than GitHub keeps, each at a known distance from its
//! target): the most important first, ten of each level and one notice
//! that counts the rest and names a command that lists them, each at the
//! file, line and column that define it, escaped as GitHub's toolkit does.

use std::collections::HashMap;
use std::path::Path;

use crate::{fixture, roadmap, root, run};

/// One workflow command, read back as the runner reads it.
#[derive(Debug)]
struct Annotation {
    level: String,
    props: HashMap<String, String>,
    message: String,
}

/// The workflow commands on stderr, unescaped as `@actions/core` escapes
/// them: `%25`, `%0D` and `%0A` in the message; those and `%3A`, `%2C` in
/// a property's value.
fn annotations(err: &str) -> Vec<Annotation> {
    let data = |s: &str| {
        s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%25", "%")
    };
    let property = |s: &str| data(&s.replace("%3A", ":").replace("%2C", ","));
    err.lines()
        .filter_map(|l| l.strip_prefix("::"))
        .map(|l| {
            let (head, message) = l.split_once("::").expect("a message");
            let (level, props) = head.split_once(' ').unwrap_or((head, ""));
            let props = props
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').expect("key=value");
                    (k.to_string(), property(v))
                })
                .collect();
            Annotation {
                level: level.to_string(),
                props,
                message: data(message),
            }
        })
        .collect()
}

/// `check` on the fixture as GitHub Actions runs it: (stderr, stdout).
fn check(as_of: &str) -> (String, String) {
    let (code, out, err) = run(roadmap(&fixture("annotations"))
        .env("GITHUB_ACTIONS", "true")
        .args(["check", "--as-of", as_of]));
    assert_eq!(code, 1, "{err}");
    (err, out)
}

/// The value a target's message reports: `Fail 05: 10, wanted >= 100`.
fn value(message: &str) -> u32 {
    let (_, rest) = message.rsplit_once(": ").unwrap();
    rest.split(',').next().unwrap().parse().unwrap()
}

#[test]
fn the_most_important_ten_of_each_level_then_a_notice_counting_the_rest() {
    let (err, _) = check("2026-04-15");
    let all = annotations(&err);
    let levels: Vec<&str> = all.iter().map(|a| a.level.as_str()).collect();
    let mut want = vec!["error"; 10];
    want.extend(["warning"; 10]);
    want.push("notice");
    assert_eq!(levels, want, "{err}");
    // Failures: the items rule, then the targets that miss furthest.
    let errors: Vec<&Annotation> = all.iter().filter(|a| a.level == "error").collect();
    assert!(errors[0].message.starts_with("items: 1 of 2 done"), "{err}");
    let misses: Vec<u32> = errors[1..].iter().map(|a| value(&a.message)).collect();
    assert_eq!(misses, [5, 10, 15, 20, 25, 30, 35, 40, 45], "{err}");
    // Warnings: inside the band, furthest first; 95 and the opportunity
    // alert are left.
    let warnings: Vec<u32> = all
        .iter()
        .filter(|a| a.level == "warning")
        .map(|a| value(a.message.split(" (inside").next().unwrap()))
        .collect();
    assert_eq!(warnings, [55, 57, 60, 62, 65, 70, 75, 80, 85, 90], "{err}");
    // The notice counts what is left: three misses (50, 55, 60), the stale
    // value, two without data and the critical alert; two warnings.
    let notice = &all[20];
    assert_eq!(notice.props["title"], "9 more findings not annotated");
    let (counts, command) = notice.message.split_once(" (GitHub shows 10").unwrap();
    assert_eq!(
        counts, "7 more failures and 2 more warnings not annotated here",
        "{err}"
    );
    // ...and names a command that lists every finding.
    let command = command.split('`').nth(1).expect("a command in backquotes");
    let words: Vec<&str> = command.split(' ').collect();
    assert_eq!(words[0], "roadmap");
    let (_, report, _) = run(std::process::Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .current_dir(root())
        .env_remove("GITHUB_ACTIONS")
        .args(&words[1..]));
    // A line per finding, under its gate or under Alerts.
    let listed = report
        .lines()
        .filter(|l| l.starts_with("  ✗") || l.starts_with("  !"))
        .count();
    assert_eq!(listed, 20 + 9, "{report}");
    for left in [
        "Fail 08: 50",
        "Fail 03: 60",
        "Stale daily",
        "No data two",
        "incident",
    ] {
        assert!(report.contains(left), "{left} in {report}");
    }
}

/// The line `line` of `file` (1-based) from column `col` on.
fn at(file: &Path, line: &str, col: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let l = text
        .lines()
        .nth(line.parse::<usize>().unwrap() - 1)
        .unwrap();
    l.chars().skip(col.parse::<usize>().unwrap() - 1).collect()
}

#[test]
fn each_annotation_points_at_the_line_that_defines_it() {
    let (late, _) = check("2026-04-15");
    // Before the gate is due, only the alerts fire.
    let (early, _) = check("2026-02-28");
    let mut seen = 0;
    for a in annotations(&late).iter().chain(&annotations(&early)) {
        let file = root().join(&a.props["file"]);
        assert!(
            a.props["file"].starts_with("tests/fixtures/annotations/"),
            "{a:?}"
        );
        let there = at(&file, &a.props["line"], &a.props["col"]);
        let title = &a.props["title"];
        if let Some(alert) = title.strip_prefix("Alert ") {
            assert_eq!(there, format!("id: {alert}"), "{a:?}");
        } else if title == "Gate p1: items" {
            assert_eq!(there, "id: shop", "{a:?}");
        } else if a.level != "notice" {
            // `Gate p1: Fail 05`, at `- metric: f05`.
            let name = title.strip_prefix("Gate p1: ").unwrap();
            let metric = format!("f{}", &name[5..7]);
            let metric = match &name[..4] {
                "Warn" => metric.replacen('f', "w", 1),
                _ => metric,
            };
            assert_eq!(there, format!("metric: {metric}"), "{a:?}");
        }
        assert!(title.chars().count() <= 48, "{a:?}");
        seen += 1;
    }
    assert_eq!(seen, 21 + 2);
    // The notice points at the first finding it counts: the miss of 50.
    let notice = annotations(&late).pop().unwrap();
    let file = root().join(&notice.props["file"]);
    assert_eq!(
        at(&file, &notice.props["line"], &notice.props["col"]),
        "metric: f08"
    );
}

#[test]
fn annotation_text_is_escaped_as_githubs_toolkit_does() {
    let (err, _) = check("2026-04-15");
    // The target's label is `Fail 02: 100%, at least`: in the title (a
    // property) `:`, `,` and `%` are escaped; in the message only `%`.
    let line = err
        .lines()
        .find(|l| l.contains("Fail 02"))
        .expect("the furthest miss is annotated");
    assert!(
        line.contains(",title=Gate p1%3A Fail 02%3A 100%25%2C at least::"),
        "{line}"
    );
    assert!(
        line.ends_with("::Fail 02: 100%25, at least: 5, wanted >= 100"),
        "{line}"
    );
    // Read back, it is the report's own words.
    let (_, report) = check("2026-04-15");
    let a = annotations(line).pop().unwrap();
    assert!(report.contains(&format!("✗ {}\n", a.message)), "{report}");
    assert_eq!(a.props["title"], "Gate p1: Fail 02: 100%, at least");
}
