//! `roadmap start`, `block`, `unblock` and `assign`: the exact bytes each
//! writes on the fixture of YAML styles `done` is held to (block, flow,
//! indentless, quoted keys and values, comments, block scalars, no final
//! newline, CRLF and a BOM) and on the bakery, their round trips, and the
//! refusals that change nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::edit::{contents, copy_roadmap, redact};
use crate::{example, fixture, json, roadmap, run};

/// The items of the styles fixture that `done` is tested on.
const STYLE_IDS: [&str; 10] = [
    "indentless",
    "flow",
    "flow-spaced",
    "literal",
    "quoted-keys",
    "folded",
    "comment-after",
    "last",
    "crlf",
    "crlf-flow",
];

/// The styles fixture as `done --on 2026-02-01` leaves it, with its
/// `done: 2026-02-01` (the line, or the `, done: ...` of a flow item)
/// written as `key: value` instead, in block items and flow items: where
/// `done` goes, any key goes, and only the value's quoting may differ.
fn styles_with(block: &str, flow: &str) -> BTreeMap<PathBuf, String> {
    texts(&fixture("edit/styles-done"))
        .into_iter()
        .map(|(name, text)| {
            let text = text
                .replace(", done: 2026-02-01", &format!(", {flow}"))
                .replace("done: 2026-02-01", block);
            (name, text)
        })
        .collect()
}

fn texts(dir: &Path) -> BTreeMap<PathBuf, String> {
    contents(dir)
        .into_iter()
        .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn start_writes_started_where_done_would_go_in_every_style() {
    let (_tmp, dir) = copy_roadmap(&fixture("edit/styles"));
    let (code, out, err) = run(roadmap(&dir)
        .args(["start", "--on", "2026-02-01", "--as-of", "2026-02-01"])
        .args(STYLE_IDS));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), STYLE_IDS.len(), "{out}");
    assert_eq!(
        texts(&dir),
        styles_with("started: 2026-02-01", "started: 2026-02-01")
    );
    let (code, _, err) = run(roadmap(&dir).args(["validate", "--as-of", "2026-02-01"]));
    assert_eq!(code, 0, "{err}");
    let v = json(roadmap(&dir).args([
        "items",
        "--state",
        "started",
        "--format",
        "json",
        "--as-of",
        "2026-02-01",
    ]));
    assert_eq!(v["items"].as_array().unwrap().len(), STYLE_IDS.len(), "{v}");
}

#[test]
fn block_then_unblock_gives_back_every_byte_quoting_the_reason_only_where_needed() {
    let (_tmp, dir) = copy_roadmap(&fixture("edit/styles"));
    let before = contents(&dir);
    // `: ` would start a mapping in a plain scalar: the reason is quoted,
    // in block and flow items alike.
    let (code, _, err) = run(roadmap(&dir)
        .args([
            "block",
            "--reason",
            "waiting on: the council",
            "--as-of",
            "2026-02-01",
        ])
        .args(STYLE_IDS));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        texts(&dir),
        styles_with(
            "blocked: \"waiting on: the council\"",
            "blocked: \"waiting on: the council\""
        )
    );
    let (code, _, err) = run(roadmap(&dir)
        .args(["unblock", "--as-of", "2026-02-01"])
        .args(STYLE_IDS));
    assert_eq!(code, 0, "{err}");
    assert_eq!(contents(&dir), before);
}

#[test]
fn assign_quotes_a_comma_in_flow_items_only() {
    let (_tmp, dir) = copy_roadmap(&fixture("edit/styles"));
    let (code, _, err) = run(roadmap(&dir)
        .args(["assign", "--owner", "Ops, Lisbon", "--as-of", "2026-02-01"])
        .args(STYLE_IDS));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        texts(&dir),
        styles_with("owner: Ops, Lisbon", "owner: \"Ops, Lisbon\"")
    );
    let v = json(roadmap(&dir).args([
        "items",
        "--owner",
        "ops, lisbon",
        "--format",
        "json",
        "--as-of",
        "2026-02-01",
    ]));
    assert_eq!(v["items"].as_array().unwrap().len(), STYLE_IDS.len(), "{v}");
    assert_eq!(v["items"][0]["owner"], "Ops, Lisbon");
}

#[test]
fn a_quoted_value_is_replaced_inside_its_quotes_and_its_comment_stays() {
    let (_tmp, dir) = copy_roadmap(&fixture("edit/styles"));
    let file = dir.join("styles.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let (code, out, err) =
        run(roadmap(&dir).args(["assign", "owned", "--owner", "Ben", "--as-of", "2026-02-01"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("✓ owned owned by Ben (was: Ana) ("),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original.replacen(
            "owner: 'Ana'   # quoted on purpose",
            "owner: 'Ben'   # quoted on purpose",
            1
        )
    );
    // A new reason in the old one's double quotes.
    let (code, _, err) = run(roadmap(&dir).args([
        "block",
        "owned",
        "--reason",
        "no budget until May",
        "--as-of",
        "2026-02-01",
    ]));
    assert_eq!(code, 0, "{err}");
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.contains("            blocked: \"no budget until May\"\n"),
        "{after}"
    );
    assert_eq!(after.lines().count(), original.lines().count());
    // Unblock removes exactly that line.
    let (code, out, err) = run(roadmap(&dir).args(["unblock", "owned", "--as-of", "2026-02-01"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("▶ owned unblocked (was: no budget until May) ("),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original.replacen("'Ana'", "'Ben'", 1).replacen(
            "            blocked: \"no budget\"\n",
            "",
            1
        )
    );
}

/// The one line that differs between two texts of the same length in
/// lines, as (before, after).
fn one_line_changed(before: &str, after: &str) -> (String, String) {
    assert_eq!(before.lines().count(), after.lines().count());
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    (changed[0].0.to_string(), changed[0].1.to_string())
}

#[test]
fn each_command_is_a_one_line_diff_on_the_bakery() {
    let (tmp, dir) = copy_roadmap(&example());
    let plan = dir.join("roadmap.yaml");
    let team = dir.join("team.yaml");
    let as_of = ["--as-of", "2026-07-01"];

    // start: a line after the item's last one (its commented `after:`).
    let original = std::fs::read_to_string(&plan).unwrap();
    let (code, out, err) = run(roadmap(&dir).arg("start").arg("shop-permit").args(as_of));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        redact(&out, &tmp),
        "▶ shop-permit started on 2026-07-01 ([DIR]/roadmap/roadmap.yaml)\n"
    );
    let last = "            after: [shop-oven]   # the inspector wants to see the oven working\n";
    assert_eq!(
        std::fs::read_to_string(&plan).unwrap(),
        original.replacen(last, &format!("{last}            started: 2026-07-01\n"), 1)
    );
    // Again: the day it started stays, and the output says how to move it.
    let (code, out, _) = run(roadmap(&dir).args(["start", "shop-permit", "--as-of", "2026-07-02"]));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "· shop-permit was already started on 2026-07-01; left as is (to change the date: --on DATE)\n"
    );
    let (code, out, _) = run(roadmap(&dir).args([
        "start",
        "shop-permit",
        "--on",
        "2026-06-30",
        "--as-of",
        "2026-07-02",
    ]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("▶ shop-permit start date moved from 2026-07-01 to 2026-06-30 ("),
        "{out}"
    );

    // assign: the owner's value replaced in place.
    let before = std::fs::read_to_string(&team).unwrap();
    let (code, out, err) = run(roadmap(&dir)
        .args(["assign", "team-baker", "--owner", "Lena"])
        .args(as_of));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("✓ team-baker owned by Lena (was: Sam) ("),
        "{out}"
    );
    assert_eq!(
        one_line_changed(&before, &std::fs::read_to_string(&team).unwrap()),
        (
            "            owner: Sam".to_string(),
            "            owner: Lena".to_string()
        )
    );

    // block: a new reason keeps the comment after the old one.
    let before = std::fs::read_to_string(&team).unwrap();
    let (code, _, err) = run(roadmap(&dir)
        .args(["block", "team-rota", "--reason", "no rota software yet"])
        .args(as_of));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        one_line_changed(&before, &std::fs::read_to_string(&team).unwrap()),
        (
            "            blocked: the landlord has not agreed the opening hours   # `roadmap unblock team-rota`".to_string(),
            "            blocked: no rota software yet   # `roadmap unblock team-rota`".to_string()
        )
    );

    // unblock: exactly that line goes, comment and all.
    let before = std::fs::read_to_string(&team).unwrap();
    let (code, _, err) = run(roadmap(&dir).args(["unblock", "team-rota"]).args(as_of));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&team).unwrap(),
        before.replacen(
            "            blocked: no rota software yet   # `roadmap unblock team-rota`\n",
            "",
            1
        )
    );
    let v = json(
        roadmap(&dir)
            .args(["items", "--format", "json"])
            .args(as_of),
    );
    let state = |id: &str| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(state("team-rota"), "ready");
    assert_eq!(state("shop-permit"), "started");
    let (code, _, err) = run(roadmap(&dir).args(["validate"]).args(as_of));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn refusals_say_why_and_change_nothing() {
    let (_tmp, dir) = copy_roadmap(&example());
    let before = contents(&dir);
    let as_of = ["--as-of", "2026-07-01"];
    let cases: &[(&[&str], &str)] = &[
        (
            &["start", "shop-oven", "shop-ovn"],
            "unknown item `shop-ovn`: did you mean `shop-oven`?",
        ),
        (
            &["block", "team-rot", "--reason", "x"],
            "unknown item `team-rot`: did you mean `team-rota`?",
        ),
        (
            &["unblock", "team-rotaa"],
            "unknown item `team-rotaa`: did you mean `team-rota`?",
        ),
        (
            &["assign", "shop-oven", "--owner", "Mrta"],
            "unknown owner `Mrta`: not in `people:`\n  hint: did you mean `Marta`? (people: Marta, Sam, Lena)",
        ),
        (
            &["assign", "shop-oven", "--owner", "Zoe"],
            "people: Marta, Sam, Lena; add the name to `people:` in roadmap.yaml first",
        ),
        (
            &["block", "shop-lease", "--reason", "x"],
            "`shop-lease` is done (on 2026-03-20): done work cannot be blocked; `roadmap reopen shop-lease` first",
        ),
        (
            &["start", "shop-lease", "--on", "2026-03-25"],
            "`shop-lease` was done on 2026-03-20, before 2026-03-25: work starts before it is done",
        ),
        (
            &["start", "shop-permit", "--on", "2026-07-02"],
            "--on 2026-07-02 is after the as-of date, 2026-07-01",
        ),
        (
            &["block", "shop-permit", "--reason", "  "],
            "--reason is empty",
        ),
        (&["start", "shop-permit", "--on", "soon"], "--on"),
    ];
    for (args, message) in cases {
        let (code, out, err) = run(roadmap(&dir).args(*args).args(as_of));
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.contains(message), "{args:?}:\n{err}");
    }
    assert_eq!(contents(&dir), before);
    // `block` needs a reason.
    let (code, _, err) = run(roadmap(&dir).args(["block", "shop-permit"]).args(as_of));
    assert_eq!(code, 2);
    assert!(err.contains("--reason"), "{err}");
    assert_eq!(contents(&dir), before);
}

#[test]
fn an_owner_is_written_as_people_spells_it() {
    let (_tmp, dir) = copy_roadmap(&example());
    let original = std::fs::read_to_string(dir.join("roadmap.yaml")).unwrap();
    let (code, out, err) = run(roadmap(&dir).args([
        "assign",
        "shop-permit",
        "--owner",
        "sam",
        "--as-of",
        "2026-07-01",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("owned by Sam (was: Marta)"), "{out}");
    let after = std::fs::read_to_string(dir.join("roadmap.yaml")).unwrap();
    assert_eq!(
        one_line_changed(&original, &after).1,
        "            owner: Sam"
    );
}

#[test]
fn a_value_yaml_would_misread_is_quoted() {
    let (_tmp, dir) = copy_roadmap(&example());
    // Without `people:`, owners are free text.
    let plan = dir.join("roadmap.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replacen("people: [Marta, Sam, Lena]", "# no people list", 1),
    )
    .unwrap();
    let team = std::fs::read_to_string(dir.join("team.yaml")).unwrap();
    for (owner, written) in [
        ("true", "\"true\""),
        ("12", "\"12\""),
        ("#2 baker", "\"#2 baker\""),
        ("Ana \"the baker\" Ruiz", "Ana \"the baker\" Ruiz"),
        ("- Ana", "\"- Ana\""),
        ("null", "\"null\""),
        ("Ana: head baker", "\"Ana: head baker\""),
        ("Back\\slash", "Back\\slash"),
    ] {
        // Each on the item as it was: a value already quoted keeps its
        // quotes when replaced.
        std::fs::write(dir.join("team.yaml"), &team).unwrap();
        // `--owner=...`: a value that starts with `-` is not a flag.
        let (code, _, err) = run(roadmap(&dir).args([
            "assign",
            "team-counter",
            &format!("--owner={owner}"),
            "--as-of",
            "2026-07-01",
        ]));
        assert_eq!(code, 0, "{owner}: {err}");
        let text = std::fs::read_to_string(dir.join("team.yaml")).unwrap();
        assert!(
            text.contains(&format!("            owner: {written}\n")),
            "{owner}:\n{text}"
        );
        let v = json(roadmap(&dir).args(["items", "--format", "json", "--as-of", "2026-07-01"]));
        let row = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "team-counter")
            .unwrap()
            .clone();
        assert_eq!(row["owner"], owner, "read back");
    }
}

#[test]
fn writers_at_once_lose_nothing() {
    let (_tmp, dir) = copy_roadmap(&crate::seed());
    // Items in two files, each edited by its own process, all at once.
    let started = [
        "f1-equipo",
        "f1-legal",
        "curso-plataforma-m1",
        "curso-contenido-m1",
    ];
    let blocked = ["f1-tecnologia", "curso-comunidad"];
    let owned = ["f1-marca", "curso-certificacion"];
    let mut children = Vec::new();
    let spawn = |args: Vec<String>| {
        roadmap(&dir)
            .args(args)
            .args(["--as-of", "2026-02-10"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the roadmap binary starts")
    };
    for id in started {
        children.push(spawn(vec!["start".into(), id.into()]));
    }
    for id in blocked {
        children.push(spawn(vec![
            "block".into(),
            id.into(),
            "--reason".into(),
            format!("{id} waits on a supplier"),
        ]));
    }
    for id in owned {
        children.push(spawn(vec![
            "assign".into(),
            id.into(),
            "--owner".into(),
            "Ana".into(),
        ]));
    }
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let ids = |args: &[&str]| -> Vec<String> {
        let v = json(
            roadmap(&dir)
                .args(["items", "--format", "json", "--as-of", "2026-02-10"])
                .args(args),
        );
        let mut ids: Vec<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |list: &[&str]| {
        let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&["--state", "started"]), sorted(&started));
    assert_eq!(ids(&["--state", "blocked"]), sorted(&blocked));
    assert_eq!(ids(&["--owner", "ana"]), sorted(&owned));
}
