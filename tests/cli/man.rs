//! `roadmap man`: one page that documents every command and option (walked
//! from the clap definition, so a new flag without its entry fails here),
//! with the sections clap knows nothing of, and that the real formatters
//! read without a warning: groff (`man`'s formatter), mandoc's linter, and
//! `man -l` itself. `.ci/run` installs groff and mandoc; without them these
//! tests fail under CI=true and are skipped, saying so, elsewhere.

use std::io::Write;
use std::process::{Command, Stdio};

use clap::CommandFactory;
use roadmap::cli::Cli;

use crate::run;

fn page() -> String {
    let (code, out, err) = run(Command::new(env!("CARGO_BIN_EXE_roadmap")).arg("man"));
    assert_eq!(code, 0, "{err}");
    out
}

/// Whether `text` has a tagged paragraph (`.TP`) for `arg`: its long flag,
/// or its value name for an argument without one.
fn has_entry(text: &str, arg: &clap::Arg) -> bool {
    let wanted = match arg.get_long() {
        Some(long) => format!("\\fB\\-\\-{}\\fR", long.replace('-', "\\-")),
        None => {
            let name = arg.get_value_names().expect("a value name")[0].to_string();
            format!("\\fI{}\\fR", name.replace('-', "\\-"))
        }
    };
    text.split(".TP\n").skip(1).any(|entry| {
        entry
            .lines()
            .next()
            .is_some_and(|head| head.contains(&wanted))
    })
}

/// The part of the page from `heading` to the next heading.
fn section<'a>(page: &'a str, heading: &str) -> &'a str {
    let start = page
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}` in the page"));
    let rest = &page[start + heading.len()..];
    let end = [rest.find("\n.SS "), rest.find("\n.SH ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn every_command_and_option_has_its_entry() {
    let page = page();
    let mut cli = Cli::command();
    cli.build();
    let global = section(&page, ".SH \"GLOBAL OPTIONS\"");
    for arg in cli.get_arguments() {
        assert!(has_entry(global, arg), "no entry for {arg:?}");
    }
    let mut commands = Vec::new();
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = sub.get_name();
        commands.push(format!(".SS \"roadmap {name}\""));
        let text = section(&page, &format!(".SS \"roadmap {name}\""));
        assert!(
            text.starts_with(&format!("\n\\fBroadmap {name}\\fR")),
            "{name} starts with its synopsis: {text}"
        );
        for arg in sub.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_global_set() || id == "help" || id == "version" {
                continue;
            }
            assert!(
                has_entry(text, arg),
                "`roadmap {name}` has no entry for `{id}`:\n{text}"
            );
        }
    }
    // And no command that is not one any more.
    let headings: Vec<&str> = page.lines().filter(|l| l.starts_with(".SS ")).collect();
    assert_eq!(headings, commands);
    // `man` is one of them, and `--help` lists it, saying how to read it.
    assert!(page.contains(".SS \"roadmap man\""));
    let (_, help, _) = run(Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .env("COLUMNS", "100")
        .arg("--help"));
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("man "))
        .unwrap_or_else(|| panic!("`man` is not in --help:\n{help}"));
    assert!(line.contains("roadmap man | man -l -"), "{line}");
}

#[test]
fn the_page_has_environment_files_exit_status_and_examples() {
    let page = page();
    let environment = section(&page, ".SH ENVIRONMENT");
    for var in [
        "ROADMAP_DIR",
        "ROADMAP_AS_OF",
        "NO_COLOR",
        "COLUMNS",
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "COMPLETE",
    ] {
        assert!(
            environment.contains(&format!(".TP\n\\fB{var}\\fR")),
            "{var} in ENVIRONMENT"
        );
    }
    let files = section(&page, ".SH FILES");
    for file in [
        "roadmap/roadmap.yaml",
        "track files",
        "kpis.yaml",
        "alerts.yaml",
        "risks.yaml",
        "tests/*.yaml",
        "metrics.csv",
        ".roadmap.lock",
        ".roadmap\\-journal",
    ] {
        assert!(
            files.contains(&format!(".TP\n\\fB{file}\\fR")),
            "{file} in FILES:\n{files}"
        );
    }
    let status = section(&page, ".SH \"EXIT STATUS\"");
    for code in ["0", "1", "2"] {
        assert!(status.contains(&format!(".TP\n\\fB{code}\\fR")), "{status}");
    }
    let examples = section(&page, ".SH EXAMPLES");
    assert!(examples.matches(".nf\nroadmap ").count() >= 5, "{examples}");
}

/// A formatter on the PATH, or None (and a note) when it is not there;
/// under CI=true its absence fails the test, as `.ci/run` installs it.
fn tool(name: &str, package: &str) -> Option<()> {
    let there = Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    match there {
        true => Some(()),
        false if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "{name} is not installed: CI must install it (.ci/run: apt-get install {package})"
            )
        }
        false => {
            eprintln!("skipped: {name} is not installed (`apt-get install {package}` brings it)");
            None
        }
    }
}

/// Run `cmd` with `input` on stdin: (exit code, stdout, stderr).
fn pipe(cmd: &mut Command, input: &str) -> (i32, String, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the formatter runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn groff_formats_the_page_without_a_warning() {
    if tool("groff", "groff-base").is_none() {
        return;
    }
    let page = page();
    // -ww: every warning; -b: a backtrace for each, should there be one;
    // -P-cbou: plain text, no overstriking for bold and underline.
    let (code, text, err) = pipe(
        Command::new("groff").args(["-ww", "-b", "-man", "-Tutf8", "-P-cbou"]),
        &page,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "", "groff warns");
    for heading in [
        "GLOBAL OPTIONS",
        "COMMANDS",
        "ENVIRONMENT",
        "FILES",
        "EXIT STATUS",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    // Pages it points to: only itself, as no other page is installed.
    let references = references(&text);
    assert!(
        references.iter().all(|r| r == "ROADMAP(1)"),
        "{references:?}"
    );
}

#[test]
fn mandoc_lints_the_page_clean() {
    if tool("mandoc", "mandoc").is_none() {
        return;
    }
    let (code, out, err) = pipe(
        Command::new("mandoc").args(["-T", "lint", "-W", "warning"]),
        &page(),
    );
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
}

#[test]
fn man_shows_the_page_as_the_help_says() {
    if tool("man", "man-db").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("roadmap.1");
    std::fs::write(&file, page()).unwrap();
    let (code, text, err) = run(Command::new("man")
        .env("MANWIDTH", "80")
        .env_remove("MAN_KEEP_FORMATTING")
        .env_remove("MANPAGER")
        .env_remove("PAGER")
        .args(["--warnings", "-l"])
        .arg(&file));
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "", "man warns");
    assert!(text.contains("roadmap record METRIC=VALUE..."), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

/// Every `name(N)` in the formatted text, N a man section.
fn references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    for (i, window) in bytes.windows(3).enumerate() {
        if window[0] == b'(' && window[1].is_ascii_digit() && window[2] == b')' {
            let start = text[..i]
                .rfind(|c: char| !(c.is_alphanumeric() || "_.-".contains(c)))
                .map_or(0, |s| s + 1);
            if start < i {
                found.push(text[start..i + 3].to_string());
            }
        }
    }
    found
}
