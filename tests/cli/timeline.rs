//! `roadmap timeline`: the text chart, the JSON, and a Mermaid chart that
//! the real Mermaid library (npm's `mermaid` under node, with `jsdom`)
//! reads back as meant: every phase and item a task with its name, dates
//! and state. `tests/mermaid/install.sh` installs the library (CI runs it
//! from `.ci/run`); without it these tests fail under CI=true and are
//! skipped, saying so, elsewhere.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use crate::{example, fixture, json, roadmap, root, run, seed};

#[test]
fn example_table() {
    assert_cmd_snapshot!(roadmap(&example()).env("COLUMNS", "80").args([
        "timeline",
        "--as-of",
        "2026-07-01"
    ]));
}

#[test]
fn seed_table_of_one_track() {
    assert_cmd_snapshot!(roadmap(&seed()).env("COLUMNS", "80").args([
        "timeline",
        "--track",
        "saas",
        "--as-of",
        "2026-08-15"
    ]));
}

#[test]
fn example_mermaid() {
    assert_cmd_snapshot!(roadmap(&example()).args([
        "timeline",
        "--format",
        "mermaid",
        "--as-of",
        "2026-07-01"
    ]));
}

#[test]
fn markdown_is_the_chart_in_a_mermaid_fence() {
    let args = |format| ["timeline", "--format", format, "--as-of", "2026-07-01"];
    let chart = stdout(roadmap(&example()).args(args("mermaid")));
    let md = stdout(roadmap(&example()).args(args("markdown")));
    assert_eq!(md, format!("```mermaid\n{chart}```\n"));
}

#[test]
fn json_has_phases_and_tracks_with_states() {
    let v =
        json(roadmap(&example()).args(["timeline", "--format", "json", "--as-of", "2026-07-01"]));
    assert_eq!(v["as_of"], "2026-07-01");
    assert_eq!(v["month"], 5);
    assert_eq!(v["plan"]["start"], "2026-03-01");
    assert_eq!(v["plan"]["end"], "2026-11-30");
    let phases: Vec<(&str, &str)> = v["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        phases,
        [
            ("find", "overdue"),
            ("open", "open"),
            ("settle", "upcoming")
        ]
    );
    let find = &v["phases"][0];
    assert_eq!(find["start"], "2026-03-01");
    assert_eq!(find["end"], "2026-05-31");
    assert_eq!(find["items"]["done"], 1);
    assert_eq!(find["items"]["overdue"], 1);
    let tracks: Vec<&str> = v["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(tracks, ["shop", "team"]);
    // Items are the ITEM of `roadmap items`.
    let lease = &v["tracks"][0]["items"][0];
    assert_eq!(lease["id"], "shop-lease");
    assert_eq!(lease["state"], "done");
    assert_eq!(lease["done"], "2026-03-20");
    assert_eq!(lease["due"], "2026-05-31");
}

#[test]
fn filters_narrow_the_chart() {
    let v = json(roadmap(&example()).args([
        "timeline",
        "--phase",
        "open",
        "--track",
        "team",
        "--format",
        "json",
        "--as-of",
        "2026-07-01",
    ]));
    assert_eq!(v["phases"].as_array().unwrap().len(), 1);
    assert_eq!(v["phases"][0]["items"]["total"], 3);
    let ids: Vec<&str> = v["tracks"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["team-baker", "team-counter", "team-rota"]);
    let (code, _, err) = run(roadmap(&example()).args(["timeline", "--phase", "opne"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `open`?"), "{err}");
}

#[test]
fn mermaid_reads_the_bundled_plans_as_meant() {
    let Some(node) = Mermaid::find() else { return };
    for (dir, as_of) in [
        (seed(), "2026-08-15"),
        (example(), "2026-07-01"),
        (fixture("timeline/hostile"), "2026-03-15"),
    ] {
        let chart =
            stdout(roadmap(&dir).args(["timeline", "--format", "mermaid", "--as-of", as_of]));
        let read = node.read(&chart).unwrap_or_else(|e| {
            panic!(
                "Mermaid rejects the chart of {}: {e}\n{chart}",
                dir.display()
            )
        });
        let report = json(roadmap(&dir).args(["timeline", "--format", "json", "--as-of", as_of]));
        assert_same_plan(&read, &report);
    }
}

#[test]
fn mermaid_follows_after_links_to_where_work_can_start() {
    // `a` is due mid-month; `b` waits on it and on `c`, listed above it in
    // the chart; `d` waits on an item due after its own deadline, which no
    // bar could show, so it keeps its window; `f` waits on `g`, drawn
    // below it, which Mermaid cannot follow, so it keeps its window too.
    let Some(node) = Mermaid::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("roadmap.yaml"),
        "name: Links\nstart: 2026-01-01\nmonths: 6\n\
         phases:\n  - {id: p, name: P, months: 1-6}\n\
         tracks:\n\
         \x20 - id: two\n    name: Two\n    periods:\n\
         \x20     - months: 1-2\n        items:\n\
         \x20         - {id: c, area: X, title: C, due: 2026-02-14}\n\
         \x20         - {id: f, area: X, title: F, after: [g]}\n\
         \x20     - months: 4-5\n        items:\n\
         \x20         - {id: e, area: X, title: E}\n\
         \x20 - id: one\n    name: One\n    periods:\n\
         \x20     - months: 1-2\n        items:\n\
         \x20         - {id: a, area: X, title: A, due: 2026-01-10}\n\
         \x20         - {id: g, area: X, title: G, due: 2026-01-20}\n\
         \x20     - months: 2-3\n        items:\n\
         \x20         - {id: b, area: X, title: B, after: [a, c]}\n\
         \x20         - {id: d, area: X, title: D, after: [e]}\n",
    )
    .unwrap();
    let args = ["timeline", "--format", "mermaid", "--as-of", "2026-01-05"];
    let chart = stdout(roadmap(dir.path()).args(args));
    assert!(chart.contains(":b, after a c, 2026-03-31\n"), "{chart}");
    assert!(chart.contains(":d, 2026-02-01, 2026-03-31\n"), "{chart}");
    assert!(chart.contains(" f, 2026-01-01, 2026-02-28\n"), "{chart}");
    let read = node.read(&chart).unwrap_or_else(|e| panic!("{e}\n{chart}"));
    let task = |id: &str| {
        read["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .cloned()
            .unwrap()
    };
    // The later of a (due 01-10) and c (due 02-14).
    assert_eq!(task("b")["start"], "2026-02-15");
    assert_eq!(task("b")["end"], "2026-04-01");
    assert_eq!(task("d")["start"], "2026-02-01");
    assert_eq!(task("f")["start"], "2026-01-01");
    // Every other task as the JSON has it.
    let report =
        json(roadmap(dir.path()).args(["timeline", "--format", "json", "--as-of", "2026-01-05"]));
    assert_same_plan(&read, &report);
}

#[test]
fn mermaid_rejects_a_name_with_a_bare_colon() {
    // The parser is real: the bakery's chart with one `:` left unescaped is
    // refused, so a passing chart above means something.
    let Some(node) = Mermaid::find() else { return };
    let chart = stdout(roadmap(&example()).args([
        "timeline",
        "--format",
        "mermaid",
        "--as-of",
        "2026-07-01",
    ]));
    assert!(chart.contains("Opening day#58; free coffee"), "{chart}");
    assert!(node.read(&chart).is_ok());
    let broken = chart.replace("Opening day#58;", "Opening day:");
    assert!(node.read(&broken).is_err(), "Mermaid accepted:\n{broken}");
}

/// What Mermaid read is what the JSON report says: the title, a section of
/// phases then one per track, and each phase and item a task with its
/// name, first day, end (Mermaid's is exclusive: the day after the last)
/// and Mermaid's tag for its state.
fn assert_same_plan(read: &Value, report: &Value) {
    let title = format!(
        "{} · as of {}",
        report["plan"]["name"].as_str().unwrap(),
        report["as_of"].as_str().unwrap()
    );
    assert_eq!(read["type"], "gantt");
    assert_eq!(read["title"], one_line(&title));
    let tracks = report["tracks"].as_array().unwrap();
    let mut sections = vec!["Phases".to_string()];
    sections.extend(tracks.iter().map(|t| one_line(t["name"].as_str().unwrap())));
    assert_eq!(read["sections"], serde_json::json!(sections));

    let tasks = read["tasks"].as_array().unwrap();
    let mut expected = Vec::new();
    for p in report["phases"].as_array().unwrap() {
        let mut tags = tags(p["state"].as_str().unwrap());
        if p["state"] == "open" && p["items"]["overdue"].as_u64() > Some(0) {
            tags.push("crit");
        }
        expected.push(task(
            &format!("phase.{}", p["id"].as_str().unwrap()),
            p["name"].as_str().unwrap(),
            "Phases",
            p["start"].as_str().unwrap(),
            p["end"].as_str().unwrap(),
            tags,
        ));
    }
    let as_of = report["as_of"].as_str().unwrap();
    // When each item above in the chart is due, for the `after` links.
    let mut due: std::collections::HashMap<&str, &str> = Default::default();
    expected.push(serde_json::json!({
        "id": "plan.as-of", "name": format!("as of {as_of}"), "section": "Phases",
        "start": as_of, "end": as_of, "tags": ["milestone"],
    }));
    for t in tracks {
        for r in t["items"].as_array().unwrap() {
            let id = r["id"].as_str().unwrap();
            let id = match id {
                "active" | "done" | "crit" | "milestone" | "vert" => format!("item.{id}"),
                _ => id.to_string(),
            };
            // Items are tagged by where they stand in time: done, past
            // their deadline, or under way (their window open, or work
            // started early); their state says more than a chart shows.
            let start = r["start"].as_str().unwrap();
            let tags = if r["state"] == "done" {
                vec!["done"]
            } else if r["overdue"] == true {
                vec!["crit"]
            } else if start <= as_of || !r["started"].is_null() {
                vec!["active"]
            } else {
                vec![]
            };
            // An item waiting on others drawn above it starts the day after
            // the last of them is due, when that falls inside its window:
            // how Mermaid reads `after`.
            let last = r["after"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|a| due.get(a.as_str().unwrap()))
                .max()
                .map(|d| d.parse::<chrono::NaiveDate>().unwrap());
            let window: chrono::NaiveDate = start.parse().unwrap();
            let deadline: chrono::NaiveDate = r["due"].as_str().unwrap().parse().unwrap();
            let start = match last {
                Some(l) if l.succ_opt().unwrap() >= window && l < deadline => {
                    l.succ_opt().unwrap().to_string()
                }
                _ => start.to_string(),
            };
            if id == r["id"].as_str().unwrap() {
                due.insert(r["id"].as_str().unwrap(), r["due"].as_str().unwrap());
            }
            expected.push(task(
                &id,
                r["title"].as_str().unwrap(),
                t["name"].as_str().unwrap(),
                &start,
                r["due"].as_str().unwrap(),
                tags,
            ));
        }
    }
    assert_eq!(tasks.len(), expected.len());
    for (got, want) in tasks.iter().zip(&expected) {
        assert_eq!(got, want);
    }
}

fn task(id: &str, name: &str, section: &str, start: &str, last: &str, tags: Vec<&str>) -> Value {
    let last: chrono::NaiveDate = last.parse().unwrap();
    serde_json::json!({
        "id": id,
        "name": one_line(name),
        "section": one_line(section),
        "start": start,
        "end": last.succ_opt().unwrap().to_string(),
        "tags": tags,
    })
}

fn tags(state: &str) -> Vec<&'static str> {
    match state {
        "done" => vec!["done"],
        "overdue" => vec!["crit"],
        "open" => vec!["active"],
        _ => vec![],
    }
}

/// A name as a one-line chart shows it: whitespace runs made one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn stdout(cmd: &mut Command) -> String {
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "{err}");
    out
}

/// The Mermaid library under node: `tests/mermaid/parse.mjs` with the
/// packages `tests/mermaid/install.sh` puts in `$ROADMAP_NODE_PREFIX`
/// (default `~/.cache/roadmap-ci/node`).
struct Mermaid {
    prefix: PathBuf,
}

impl Mermaid {
    /// The library, if node and the packages are there. Under CI they must
    /// be: a missing one fails the test rather than skipping it.
    fn find() -> Option<Mermaid> {
        let prefix = std::env::var_os("ROADMAP_NODE_PREFIX")
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/roadmap-ci/node"))
            })
            .unwrap_or_default();
        let node = Command::new("node").arg("--version").output();
        let missing = match node {
            Err(e) => Some(format!("node does not run ({e})")),
            Ok(_) if !prefix.join("node_modules/mermaid/package.json").is_file() => {
                Some(format!("mermaid is not installed in {}", prefix.display()))
            }
            Ok(_) if !prefix.join("node_modules/jsdom/package.json").is_file() => {
                Some(format!("jsdom is not installed in {}", prefix.display()))
            }
            Ok(_) => None,
        };
        match missing {
            None => Some(Mermaid { prefix }),
            Some(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!("{why}: run `bash tests/mermaid/install.sh` (.ci/run does)")
            }
            Some(why) => {
                eprintln!("skipped: {why}; `bash tests/mermaid/install.sh` installs it");
                None
            }
        }
    }

    /// What Mermaid reads in `chart` (see parse.mjs), or its complaint.
    fn read(&self, chart: &str) -> Result<Value, String> {
        let mut child = Command::new("node")
            .arg(root().join("tests/mermaid/parse.mjs"))
            .arg(&self.prefix)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node starts");
        child
            .stdin
            .take()
            .expect("a pipe to node")
            .write_all(chart.as_bytes())
            .expect("node reads the chart");
        let out = child.wait_with_output().expect("node finishes");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        match out.status.code() {
            Some(0) => Ok(serde_json::from_str(&stdout)
                .unwrap_or_else(|e| panic!("parse.mjs printed no JSON ({e}): {stdout}"))),
            Some(1) => Err(stdout),
            _ => panic!(
                "parse.mjs could not run: {}{}",
                stdout,
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
}

#[test]
fn the_readme_shows_the_chart_the_bakery_gets() {
    // The README's ```mermaid block is what GitHub draws on the project's
    // page: it must be the real output, not a hand-made picture.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let (_, rest) = readme
        .split_once("\n```mermaid\n")
        .expect("the README has a mermaid block");
    let (block, _) = rest.split_once("\n```\n").expect("the block is closed");
    let chart = stdout(roadmap(&example()).args([
        "timeline",
        "--format",
        "mermaid",
        "--as-of",
        "2026-07-01",
    ]));
    assert_eq!(format!("{block}\n"), chart);
}
