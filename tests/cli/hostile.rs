//! Hostile input: a corpus of broken, odd and malicious files fed to the
//! real binary. Whatever the input, `roadmap` must exit with the expected
//! code (2 for bad input, 0 for the few inputs that are fine), never panic,
//! never hang, never change a file it was not asked to change, and say
//! where the problem is (`file:line` or `file:line:col`). Each case's
//! output is an insta snapshot (`snapshots/cli__hostile__<case>.snap`),
//! so every message gets reviewed.
//!
//! # Case format
//!
//! One folder per case under `tests/fixtures/hostile/`, named after the
//! case. Each case runs in a fresh temporary folder `[DIR]`, which is also
//! the working directory of `roadmap`:
//!
//! 1. the base roadmap is copied to `[DIR]/roadmap`;
//! 2. every file of the case folder except `case` is copied to the same
//!    path under `[DIR]`: `roadmap/kpis.yaml` replaces the base's,
//!    `in/snapshot.csv` is an input file (any bytes: invalid UTF-8, BOMs,
//!    CRLF and NUL bytes are kept as they are);
//! 3. the setup lines of `case` run, in order;
//! 4. `roadmap --dir roadmap ARGS...` runs (`--dir` as `dir:` says).
//!
//! `case` holds one `key: value` per line (`#` starts a comment line):
//!
//! | key | meaning |
//! |---|---|
//! | `about:` | what the case feeds the tool (the snapshot's description) |
//! | `base:` | `bakery` (`examples/bakery`), `seed` (the bundled `roadmap/`) or `none` (an empty folder) |
//! | `run:` | the arguments after `--dir roadmap`, split at spaces; pass `--as-of` to time-dependent commands |
//! | `dir:` | the `--dir` value (default `roadmap`), e.g. `/missing/path`; an absolute one must not be created |
//! | `stdin:` | a file under `[DIR]` (usually `in/...`) whose bytes are piped to standard input |
//! | `exit:` | the exit code wanted |
//! | `at:` | a `file:line` or `file:line:col` that stderr must name (repeatable); paths as the tool prints them, relative to `[DIR]` |
//! | `noline:` | why a failing case has no `file:line` to name (a folder, a FIFO, a flag); a case with a non-zero `exit:` needs `at:` or `noline:` |
//! | `has:` / `lacks:` | text the output (stdout and stderr) must / must not contain (repeatable, escapes allowed) |
//! | `max-lines:` | stderr has at most this many lines (no cascade of follow-up errors) |
//! | `max-width:` | no stderr line is wider than this many characters (no megabyte-long excerpt) |
//! | `writes:` | a file under `[DIR]` this case may change (repeatable); its content afterwards is part of the snapshot |
//!
//! Setup lines (`TEXT` takes the escapes `\n`, `\r`, `\t`, `\0`, `\\` and
//! `\xHH` for any byte; paths are relative to `[DIR]`):
//!
//! | key | effect |
//! |---|---|
//! | `remove: PATH` | delete a file or folder |
//! | `append: PATH TEXT` | append `TEXT` (creating the file) |
//! | `repeat: PATH N TEXT` | append `TEXT` N times (huge or deep inputs without huge fixtures) |
//! | `replace: PATH\|OLD\|NEW` | replace the one occurrence of `OLD` by `NEW` (both escaped) |
//! | `mkdir: PATH` | create a folder |
//! | `fifo: PATH` | create a named pipe (Unix only; the case is skipped elsewhere) |
//! | `symlink: PATH TARGET` | create a symbolic link (Unix only) |
//!
//! Case names start with the kind of file they attack: `roadmap-`,
//! `track-` (an included track file), `kpis-`, `alerts-`, `risks-`,
//! `ruletest-` (`tests/*.yaml`), `metrics-` (`metrics.csv`), `actions-`
//! (`actions.csv`, read by `alerts --act`), `ingest-csv-`,
//! `ingest-yaml-`, `ingest-json-` (and `ingest-` for the file itself),
//! `record-` and `cli-`. A whole case, `metrics-more-fields-than-header/`:
//!
//! ```text
//! roadmap/metrics.csv     date,metric,value,source,note
//!                         2026-03-01,customers,5,,,x,y
//! case                    about: a metrics.csv row with seven fields under a five-column header
//!                         run: validate
//!                         exit: 2
//!                         at: roadmap/metrics.csv:2
//! ```
//!
//! # What is asserted, for every case
//!
//! - the exit code; no panic (code 101 or `panicked at`), no death by a
//!   signal;
//! - that it finishes: killed and failed after 10 s (a hang guard, not a
//!   timing test);
//! - that nothing under `[DIR]` (the roadmap, hidden files included, and
//!   the input files) changed, appeared or vanished, byte for byte, but
//!   the `writes:` files;
//! - no control character but newline and tab in the output (no escape
//!   sequence from a file reaches the terminal);
//! - unless `noline:`, no message that names a file of the case without
//!   its line (`in/x.csv: ...`);
//! - the `at:`, `has:`, `lacks:`, `max-lines:` and `max-width:` lines;
//! - the snapshot of the output, with `[DIR]` for the temporary folder,
//!   control characters shown as `<XX>`, long lines and long outputs cut.
//!
//! Failures are collected and reported together at the end, one line per
//! case. `HOSTILE=name cargo test hostile` runs only the cases whose name
//! contains `name`; `INSTA_UPDATE=always cargo test --locked hostile`
//! writes new snapshots (read them before committing).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::{example, fixture, roadmap, seed};

/// How long a case may run before it is killed as hung.
const HANG: Duration = Duration::from_secs(10);
/// Output lines longer than this are cut in snapshots.
const LONG_LINE: usize = 240;
/// At most this many lines of each output go into a snapshot (the first
/// and the last half).
const MANY_LINES: usize = 120;

#[derive(Debug)]
enum Base {
    Bakery,
    Seed,
    Empty,
}

#[derive(Debug)]
enum Step {
    Remove(String),
    Append(String, Vec<u8>),
    Repeat(String, usize, Vec<u8>),
    Replace(String, Vec<u8>, Vec<u8>),
    Mkdir(String),
    Fifo(String),
    Symlink(String, String),
}

#[derive(Debug)]
struct Case {
    name: String,
    folder: PathBuf,
    about: String,
    base: Base,
    steps: Vec<Step>,
    dir: String,
    args: Vec<String>,
    stdin: Option<String>,
    exit: i32,
    at: Vec<String>,
    has: Vec<String>,
    lacks: Vec<String>,
    max_lines: Option<usize>,
    max_width: Option<usize>,
    noline: bool,
    writes: Vec<String>,
}

impl Case {
    fn unix_only(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s, Step::Fifo(_) | Step::Symlink(..)))
    }

    /// The command line as a reader would type it.
    fn command_line(&self) -> String {
        let mut line = format!("$ roadmap --dir {}", self.dir);
        for arg in &self.args {
            line.push(' ');
            line.push_str(arg);
        }
        if let Some(stdin) = &self.stdin {
            line.push_str(" < ");
            line.push_str(stdin);
        }
        line
    }
}

/// `\n`, `\r`, `\t`, `\0`, `\\` and `\xHH` in `text`, as bytes.
fn unescape(text: &str, case: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('n') => out.push(b'\n'),
            Some('r') => out.push(b'\r'),
            Some('t') => out.push(b'\t'),
            Some('0') => out.push(0),
            Some('\\') => out.push(b'\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                let byte = u8::from_str_radix(&hex, 16)
                    .unwrap_or_else(|_| panic!("{case}: bad escape `\\x{hex}`"));
                out.push(byte);
            }
            other => panic!("{case}: unknown escape `\\{}`", other.unwrap_or(' ')),
        }
    }
    out
}

fn parse_case(folder: &Path) -> Case {
    let name = folder.file_name().unwrap().to_string_lossy().into_owned();
    let text = fs::read_to_string(folder.join("case"))
        .unwrap_or_else(|e| panic!("{name}: cannot read its `case` file: {e}"));
    let mut case = Case {
        name: name.clone(),
        folder: folder.to_path_buf(),
        about: String::new(),
        base: Base::Bakery,
        steps: Vec::new(),
        dir: "roadmap".into(),
        args: Vec::new(),
        stdin: None,
        exit: -1,
        at: Vec::new(),
        has: Vec::new(),
        lacks: Vec::new(),
        max_lines: None,
        max_width: None,
        noline: false,
        writes: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("{name}/case:{}: `key: value` wanted", n + 1));
        let value = value.strip_prefix(' ').unwrap_or(value);
        let bad = |what: &str| -> ! { panic!("{name}/case:{}: {what}", n + 1) };
        let two = |v: &str| -> (String, String) {
            match v.split_once(' ') {
                Some((a, b)) => (a.to_string(), b.to_string()),
                None => bad("`PATH TEXT` wanted"),
            }
        };
        match key {
            "about" => case.about = value.to_string(),
            "base" => {
                case.base = match value {
                    "bakery" => Base::Bakery,
                    "seed" => Base::Seed,
                    "none" => Base::Empty,
                    _ => bad("base is bakery, seed or none"),
                }
            }
            "run" => case.args = value.split_whitespace().map(String::from).collect(),
            "dir" => case.dir = value.to_string(),
            "stdin" => case.stdin = Some(value.to_string()),
            "exit" => case.exit = value.parse().unwrap_or_else(|_| bad("a number")),
            "at" => case.at.push(value.to_string()),
            "noline" => case.noline = true,
            "has" => case
                .has
                .push(String::from_utf8(unescape(value, &name)).unwrap()),
            "lacks" => case
                .lacks
                .push(String::from_utf8(unescape(value, &name)).unwrap()),
            "max-lines" => case.max_lines = Some(value.parse().unwrap_or_else(|_| bad("a number"))),
            "max-width" => case.max_width = Some(value.parse().unwrap_or_else(|_| bad("a number"))),
            "writes" => case.writes.push(value.to_string()),
            "remove" => case.steps.push(Step::Remove(value.to_string())),
            "mkdir" => case.steps.push(Step::Mkdir(value.to_string())),
            "fifo" => case.steps.push(Step::Fifo(value.to_string())),
            "symlink" => {
                let (path, target) = two(value);
                case.steps.push(Step::Symlink(path, target));
            }
            "append" => {
                let (path, text) = two(value);
                case.steps.push(Step::Append(path, unescape(&text, &name)));
            }
            "repeat" => {
                let (path, rest) = two(value);
                let (count, text) = two(&rest);
                let count = count
                    .parse()
                    .unwrap_or_else(|_| bad("`PATH N TEXT` wanted"));
                case.steps
                    .push(Step::Repeat(path, count, unescape(&text, &name)));
            }
            "replace" => {
                let parts: Vec<&str> = value.splitn(3, '|').collect();
                if parts.len() != 3 {
                    bad("`PATH|OLD|NEW` wanted");
                }
                case.steps.push(Step::Replace(
                    parts[0].to_string(),
                    unescape(parts[1], &name),
                    unescape(parts[2], &name),
                ));
            }
            _ => bad(&format!("unknown key `{key}`")),
        }
    }
    assert!(!case.about.is_empty(), "{name}: `about:` is missing");
    assert!(!case.args.is_empty(), "{name}: `run:` is missing");
    assert!(case.exit >= 0, "{name}: `exit:` is missing");
    assert!(
        case.exit == 0 || !case.at.is_empty() || case.noline,
        "{name}: a failing case names its `at: file:line`, or says `noline:` why it has none"
    );
    case
}

fn cases() -> Vec<Case> {
    let mut folders: Vec<PathBuf> = fs::read_dir(fixture("hostile"))
        .expect("tests/fixtures/hostile exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    folders.iter().map(|f| parse_case(f)).collect()
}

/// What is at a path, without following symbolic links or opening FIFOs.
#[derive(Debug, PartialEq)]
enum Entry {
    File(Vec<u8>),
    Dir,
    Link(PathBuf),
    Other,
}

/// Everything under `root`, hidden files included, by relative path.
fn tree(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut all = BTreeMap::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(root).unwrap().to_path_buf();
            let kind = fs::symlink_metadata(&path).unwrap().file_type();
            let entry = if kind.is_symlink() {
                Entry::Link(fs::read_link(&path).unwrap())
            } else if kind.is_dir() {
                todo.push(path.clone());
                Entry::Dir
            } else if kind.is_file() {
                Entry::File(fs::read(&path).unwrap())
            } else {
                Entry::Other
            };
            all.insert(name, entry);
        }
    }
    all
}

fn write_to(root: &Path, rel: &str, bytes: &[u8], append: bool) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(append)
        .write(true)
        .truncate(!append)
        .open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.write_all(bytes).unwrap();
}

/// Copy every file of the case folder but `case` into `root`.
fn overlay(from: &Path, rel: &Path, root: &Path) {
    for entry in fs::read_dir(from.join(rel)).unwrap() {
        let entry = entry.unwrap();
        let name = rel.join(entry.file_name());
        if entry.path().is_dir() {
            overlay(from, &name, root);
        } else if name != Path::new("case") {
            write_to(
                root,
                name.to_str().unwrap(),
                &fs::read(entry.path()).unwrap(),
                false,
            );
        }
    }
}

fn set_up(case: &Case, root: &Path) {
    let dir = root.join("roadmap");
    match case.base {
        Base::Bakery => crate::copy_dir(&example(), &dir),
        Base::Seed => crate::copy_dir(&seed(), &dir),
        Base::Empty => fs::create_dir_all(&dir).unwrap(),
    }
    overlay(&case.folder, Path::new(""), root);
    for step in &case.steps {
        match step {
            Step::Remove(path) => {
                let path = root.join(path);
                if path.is_dir() {
                    fs::remove_dir_all(&path).unwrap();
                } else {
                    fs::remove_file(&path).unwrap_or_else(|e| {
                        panic!("{}: remove {}: {e}", case.name, path.display())
                    });
                }
            }
            Step::Append(path, text) => write_to(root, path, text, true),
            Step::Repeat(path, count, text) => write_to(root, path, &text.repeat(*count), true),
            Step::Replace(path, old, new) => {
                let bytes = fs::read(root.join(path)).unwrap();
                let at: Vec<usize> = (0..bytes.len())
                    .filter(|&i| bytes[i..].starts_with(old))
                    .collect();
                assert_eq!(
                    at.len(),
                    1,
                    "{}: `replace:` must match once in {path}",
                    case.name
                );
                let mut out = bytes[..at[0]].to_vec();
                out.extend_from_slice(new);
                out.extend_from_slice(&bytes[at[0] + old.len()..]);
                write_to(root, path, &out, false);
            }
            Step::Mkdir(path) => fs::create_dir_all(root.join(path)).unwrap(),
            #[cfg(unix)]
            Step::Fifo(path) => {
                let status = std::process::Command::new("mkfifo")
                    .arg(root.join(path))
                    .status()
                    .expect("mkfifo runs");
                assert!(status.success(), "{}: mkfifo {path}", case.name);
            }
            #[cfg(unix)]
            Step::Symlink(path, target) => {
                std::os::unix::fs::symlink(target, root.join(path)).unwrap();
            }
            #[cfg(not(unix))]
            Step::Fifo(_) | Step::Symlink(..) => unreachable!("Unix-only cases are skipped"),
        }
    }
}

/// Files of the case (`roadmap/...`, `in/...`, `<stdin>`) that a message
/// names as `FILE: ...`, without `:line`.
fn unlocated(stderr: &str) -> Vec<String> {
    let mut found = Vec::new();
    for word in stderr.split_whitespace() {
        let Some(name) = word.strip_suffix(':') else {
            continue;
        };
        let ours = ["roadmap/", "in/", "<stdin>"]
            .iter()
            .any(|p| name.starts_with(p));
        let located = name
            .rsplit(':')
            .next()
            .is_some_and(|last| !last.is_empty() && last.chars().all(|c| c.is_ascii_digit()));
        if ours && !located && !found.iter().any(|f| f == name) {
            found.push(name.to_string());
        }
    }
    found
}

/// What one run did.
struct Outcome {
    code: Option<i32>,
    hung: bool,
    elapsed: Duration,
    /// The first line of stderr (or else stdout), as in the snapshot.
    first_line: String,
    /// Problems found by the checks, one line each.
    problems: Vec<String>,
    snapshot: String,
}

/// `text` for a snapshot: the temp folder redacted, control characters
/// shown as `<XX>`, long lines cut, many lines shortened.
fn for_snapshot(text: &str, tmp: &[String]) -> String {
    let mut text = text.to_string();
    for path in tmp {
        text = text.replace(path.as_str(), "[DIR]");
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        // Keep the head and the tail of a long output.
        let head = MANY_LINES / 2;
        let tail = lines.len().saturating_sub(MANY_LINES / 2);
        if lines.len() > MANY_LINES && n >= head && n < tail {
            if n == head {
                out.push_str(&format!("… [{} lines left out]\n", tail - head));
            }
            continue;
        }
        let mut shown = String::new();
        for (count, c) in line.chars().enumerate() {
            if count == LONG_LINE {
                let rest = line.chars().count() - LONG_LINE;
                shown.push_str(&format!("… [{rest} more characters]"));
                break;
            }
            if c.is_control() && c != '\t' {
                shown.push_str(&format!("<{:02X}>", c as u32));
            } else {
                shown.push(c);
            }
        }
        out.push_str(&shown);
        out.push('\n');
    }
    out
}

fn execute(case: &Case) -> Outcome {
    let tmp = tempfile::tempdir().expect("a temp folder");
    let root = tmp.path();
    set_up(case, root);
    let outputs = tempfile::tempdir().expect("a temp folder");
    let before = tree(root);
    let absent_dir = Path::new(&case.dir).is_absolute() && !Path::new(&case.dir).exists();

    let stdout = outputs.path().join("stdout");
    let stderr = outputs.path().join("stderr");
    let mut cmd = roadmap(Path::new(&case.dir));
    cmd.current_dir(root)
        .args(&case.args)
        .stdout(fs::File::create(&stdout).unwrap())
        .stderr(fs::File::create(&stderr).unwrap())
        .stdin(if case.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let start = Instant::now();
    let mut child = cmd.spawn().expect("the roadmap binary starts");
    let feeder = case.stdin.as_ref().map(|path| {
        let bytes = fs::read(root.join(path)).unwrap();
        let mut pipe = child.stdin.take().unwrap();
        // The tool may stop reading early; a broken pipe is its business.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let mut hung = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > HANG {
            hung = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    if let Some(feeder) = feeder {
        feeder.join().unwrap();
    }
    let stdout = String::from_utf8_lossy(&fs::read(stdout).unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&fs::read(stderr).unwrap()).into_owned();
    let after = tree(root);

    let mut problems = Vec::new();
    let code = status.code();
    if hung {
        problems.push(format!(
            "did not finish within {} s (killed)",
            HANG.as_secs()
        ));
    } else if code.is_none() {
        problems.push(format!("died of a signal ({status})"));
    }
    if code == Some(101) || stderr.contains("panicked at") {
        problems.push("panicked".into());
    }
    if !hung && code != Some(case.exit) {
        let code = code.map_or("none".into(), |c| c.to_string());
        problems.push(format!("exit code {code}, expected {}", case.exit));
    }
    let may_write = |name: &Path| case.writes.iter().any(|w| Path::new(w) == name);
    for (name, entry) in &before {
        match after.get(name) {
            None if !may_write(name) => problems.push(format!("{} vanished", name.display())),
            Some(new) if new != entry && !may_write(name) => {
                problems.push(format!("{} changed", name.display()))
            }
            _ => {}
        }
    }
    for name in after.keys() {
        if !before.contains_key(name) && !may_write(name) {
            problems.push(format!("{} appeared", name.display()));
        }
    }
    if absent_dir && Path::new(&case.dir).exists() {
        problems.push(format!("{} was created", case.dir));
    }
    let both = format!("{stdout}{stderr}");
    if let Some(c) = both
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
    {
        problems.push(format!("a raw control character {:?} in the output", c));
    }
    for at in &case.at {
        // `file:2` names line 2, not line 20; `file:` only the file.
        let named = stderr.match_indices(at.as_str()).any(|(i, _)| {
            at.ends_with(':')
                || !stderr[i + at.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
        });
        if !named {
            problems.push(format!("stderr does not name `{at}`"));
        }
    }
    if !case.noline {
        for file in unlocated(&stderr) {
            problems.push(format!("stderr names `{file}` without a line"));
        }
    }
    for text in &case.has {
        if !both.contains(text.as_str()) {
            problems.push(format!("the output does not say {text:?}"));
        }
    }
    for text in &case.lacks {
        if both.contains(text.as_str()) {
            problems.push(format!("the output says {text:?}"));
        }
    }
    if let Some(max) = case.max_lines {
        let lines = stderr.lines().count();
        if lines > max {
            problems.push(format!("stderr has {lines} lines, at most {max} expected"));
        }
    }
    if let Some(max) = case.max_width {
        let widest = stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        if widest > max {
            problems.push(format!(
                "a stderr line is {widest} characters wide, at most {max} expected"
            ));
        }
    }

    let mut tmp_names = vec![root.display().to_string()];
    if let Ok(real) = root.canonicalize() {
        tmp_names.push(real.display().to_string());
    }
    let code_text = match (hung, code) {
        (true, _) => "killed after the hang guard".to_string(),
        (false, Some(c)) => c.to_string(),
        (false, None) => "none (a signal)".to_string(),
    };
    let mut snapshot = format!(
        "{}\nexit code: {code_text}\n----- stdout -----\n{}----- stderr -----\n{}",
        case.command_line(),
        for_snapshot(&stdout, &tmp_names),
        for_snapshot(&stderr, &tmp_names),
    );
    for name in &case.writes {
        let shown = match after.get(Path::new(name)) {
            Some(Entry::File(bytes)) => {
                let was = before.get(Path::new(name));
                let state = if was == Some(&Entry::File(bytes.clone())) {
                    "unchanged"
                } else {
                    "after"
                };
                format!(
                    "----- {name} ({state}) -----\n{}",
                    for_snapshot(&String::from_utf8_lossy(bytes), &tmp_names)
                )
            }
            Some(other) => format!("----- {name} -----\n{other:?}\n"),
            None => format!("----- {name} -----\n(absent)\n"),
        };
        snapshot.push_str(&shown);
    }
    let shown = if stderr.is_empty() { &stdout } else { &stderr };
    let first_line = for_snapshot(shown.lines().next().unwrap_or(""), &tmp_names)
        .trim_end()
        .chars()
        .take(160)
        .collect();
    Outcome {
        code,
        hung,
        elapsed,
        first_line,
        problems,
        snapshot,
    }
}

#[test]
fn hostile_inputs_are_refused_cleanly() {
    let filter = std::env::var("HOSTILE").unwrap_or_default();
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| c.name.contains(&filter))
        .filter(|c| cfg!(unix) || !c.unix_only())
        .collect();
    assert!(!cases.is_empty(), "no case matches HOSTILE={filter}");

    // Run the cases a few at a time; check and snapshot them in order.
    let next = Mutex::new(0usize);
    let outcomes: Mutex<BTreeMap<usize, Outcome>> = Mutex::new(BTreeMap::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8)
        * 2;
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut next = next.lock().unwrap();
                        *next += 1;
                        *next - 1
                    };
                    let Some(case) = cases.get(i) else { break };
                    let outcome = execute(case);
                    outcomes.lock().unwrap().insert(i, outcome);
                }
            });
        }
    });
    let outcomes = outcomes.into_inner().unwrap();

    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let outcome = &outcomes[&i];
        let mut problems = outcome.problems.clone();
        let mut settings = insta::Settings::clone_current();
        settings.set_description(case.about.as_str());
        settings.set_omit_expression(true);
        let snapshot = outcome.snapshot.clone();
        let matched = catch_unwind(AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(case.name.as_str(), snapshot));
        }));
        if matched.is_err() {
            problems.push("its snapshot differs".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    (exit {:?}{} in {:.1} s; first line: {})",
                case.name,
                problems.join("; "),
                outcome.code,
                if outcome.hung { ", hung" } else { "" },
                outcome.elapsed.as_secs_f64(),
                outcome.first_line,
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
