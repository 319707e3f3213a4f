//! The README's `console` examples are real. Every `$ roadmap ...` line is
//! run, in the order the README gives them, in a scratch copy of the
//! repository's roadmaps (so an example may write, and later ones see it),
//! and its output (stdout, then stderr) compared with the lines below it.
//! A line `...` stands for any number of lines. A command may start with
//! environment settings (`GITHUB_ACTIONS=true roadmap check`).

use crate::{copy_dir, root, run};

#[test]
fn readme_examples_are_true() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    for dir in ["roadmap", "examples", "tests/fixtures/invalid"] {
        copy_dir(&root().join(dir), &scratch.path().join(dir));
    }
    let mut checked = 0;
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line != "```console" {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        for (command, expected) in commands(&block) {
            let mut words = split(command);
            let env: Vec<(String, String)> = words
                .iter()
                .map_while(|w| {
                    let (name, value) = w.split_once('=')?;
                    let upper = !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_uppercase() || c == '_');
                    upper.then(|| (name.to_string(), value.to_string()))
                })
                .collect();
            words.drain(..env.len());
            assert_eq!(
                words[0], "roadmap",
                "README example `{command}` is not a roadmap command"
            );
            let mut cmd = crate::roadmap_in(scratch.path());
            cmd.envs(env).args(&words[1..]);
            let (_, out, err) = run(&mut cmd);
            let actual = format!("{out}{err}");
            assert!(
                matches(&expected, &actual.lines().collect::<Vec<_>>()),
                "README example `{command}` is out of date; it prints:\n{actual}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} examples found");
}

/// The `$ ` commands of a block, each with the output lines under it.
fn commands<'a>(block: &[&'a str]) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in block {
        match line.strip_prefix("$ ") {
            Some(command) => out.push((command, Vec::new())),
            None => out
                .last_mut()
                .expect("a block starts with `$ `")
                .1
                .push(line),
        }
    }
    out
}

/// Split a command line into words, honouring '...' and "..." quotes.
fn split(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
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

#[test]
fn shell_words() {
    assert_eq!(
        split("roadmap record cac='$140' x=\"a b\""),
        ["roadmap", "record", "cac=$140", "x=a b"]
    );
    assert_eq!(split("  a   b "), ["a", "b"]);
}

/// A `$` the shell sees unquoted is expanded before `roadmap` runs
/// (`revenue=$12K` arrives as `revenue=2K`): no command the README or the
/// help shows may hand one to the shell.
#[test]
fn no_example_hands_the_shell_an_unquoted_dollar() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let help = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_roadmap"))
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let texts = [readme, help(&["--help"]), help(&["record", "--help"])];
    for text in &texts {
        for line in text.lines() {
            // Commands, in README blocks and in `code` spans of prose.
            let commands = line
                .split('`')
                .skip(1)
                .step_by(2)
                .chain(line.trim_start().strip_prefix("$ "));
            for command in commands.filter(|c| c.contains("roadmap ") || c.contains("record ")) {
                let mut quoted = false;
                for (i, c) in command.char_indices() {
                    match c {
                        '\'' => quoted = !quoted,
                        '$' if !quoted
                            && command[i + 1..].starts_with(|d: char| d.is_ascii_digit()) =>
                        {
                            panic!(
                                "the shell would expand the `$` in `{command}`: quote it or drop it"
                            )
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}
