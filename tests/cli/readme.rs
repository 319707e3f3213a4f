//! The README's `console` examples are real: each `$ roadmap ...` line is
//! run from the repository root and its output compared with the lines
//! below it. A line `...` stands for any number of lines.

use crate::{root, run};

#[test]
fn readme_examples_are_true() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut checked = 0;
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line != "```console" {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let command = block[0]
            .strip_prefix("$ roadmap ")
            .expect("a block starts with `$ roadmap`");
        let args = command.split_whitespace();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_roadmap"));
        cmd.current_dir(root())
            .env_remove("NO_COLOR")
            .env_remove("ROADMAP_DIR")
            .env("COLUMNS", "80");
        let (_, out, err) = run(cmd.args(args));
        let actual = format!("{out}{err}");
        let expected = &block[1..];
        assert!(
            matches(expected, &actual.lines().collect::<Vec<_>>()),
            "README example `{command}` is out of date; it prints:\n{actual}"
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} examples found");
}

/// Lines equal, where an expected `...` matches zero or more lines.
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((line, rest)) => actual.first() == Some(line) && matches(rest, &actual[1..]),
    }
}

#[test]
fn ellipsis_matching() {
    assert!(matches(&["a", "...", "d"], &["a", "b", "c", "d"]));
    assert!(matches(&["a", "...", "b"], &["a", "b"]));
    assert!(!matches(&["a", "...", "d"], &["a", "b", "c"]));
    assert!(!matches(&["a"], &["a", "b"]));
}
