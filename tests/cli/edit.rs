//! `roadmap done` and `roadmap reopen`: exact bytes before and after on the
//! seed and on a fixture of YAML styles, all-or-nothing edits, refusals,
//! symlinks, and many writers at once. Every test edits a copy in a temp
//! folder, never the repository's files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use tempfile::TempDir;

use crate::{example, fixture, json, roadmap, run, seed};

/// A copy of the roadmap folder `src` at `<temp>/roadmap`.
pub fn copy_roadmap(src: &Path) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temp folder");
    let dir = tmp.path().join("roadmap");
    crate::copy_dir(src, &dir);
    (tmp, dir)
}

/// Every file under `dir` (names relative to it) with its bytes.
pub fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_path_buf();
                all.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    all
}

/// `text` with the temp folder's path replaced by `[DIR]`.
pub fn redact(text: &str, tmp: &TempDir) -> String {
    text.replace(&tmp.path().display().to_string(), "[DIR]")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

#[test]
fn done_adds_one_line_to_the_seed_and_reopen_restores_every_byte() {
    let (_tmp, dir) = copy_roadmap(&seed());
    let before = contents(&dir);
    let (code, _, err) = run(roadmap(&dir).args([
        "done",
        "f1-legal",
        "--on",
        "2026-02-10",
        "--as-of",
        "2026-02-10",
    ]));
    assert_eq!(code, 0, "{err}");

    let original = String::from_utf8(before[Path::new("roadmap.yaml")].clone()).unwrap();
    let title =
        "            title: Estructura legal, términos de servicio, políticas de privacidad\n";
    assert_eq!(original.matches(title).count(), 1);
    let want = original.replacen(title, &format!("{title}            done: 2026-02-10\n"), 1);
    assert_eq!(read(&dir.join("roadmap.yaml")), want);
    // No other file changed.
    let after = contents(&dir);
    for (name, bytes) in &before {
        if name != Path::new("roadmap.yaml") {
            assert_eq!(&after[name], bytes, "{} changed", name.display());
        }
    }
    assert_eq!(after.len(), before.len(), "files appeared or vanished");

    let v = json(roadmap(&dir).args([
        "items",
        "--done",
        "--format",
        "json",
        "--as-of",
        "2026-02-10",
    ]));
    assert!(v.to_string().contains("f1-legal"), "{v}");

    let (code, _, err) = run(roadmap(&dir).args(["reopen", "f1-legal", "--as-of", "2026-02-10"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(contents(&dir), before);
}

#[test]
fn every_yaml_style_is_kept_byte_for_byte() {
    // The fixture has flow items, block scalars (one with a `# not a
    // comment` line), quoted keys, an indentless list, comments, trailing
    // spaces, non-ASCII text, a file without a final newline and one with
    // CRLF line endings and a BOM. `styles-done` is what `done` must make
    // of it, byte for byte.
    let ids = [
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
    let (_tmp, dir) = copy_roadmap(&fixture("edit/styles"));
    let before = contents(&dir);
    let (code, _, err) = run(roadmap(&dir)
        .args(["done", "--on", "2026-02-01", "--as-of", "2026-02-01"])
        .args(ids));
    assert_eq!(code, 0, "{err}");
    let want = contents(&fixture("edit/styles-done"));
    for (name, bytes) in contents(&dir) {
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            String::from_utf8(want[&name].clone()).unwrap(),
            "{}",
            name.display()
        );
    }
    let (code, _, err) = run(roadmap(&dir).args(["validate", "--as-of", "2026-02-01"]));
    assert_eq!(code, 0, "{err}");

    let (code, _, err) = run(roadmap(&dir)
        .args(["reopen", "--as-of", "2026-02-01"])
        .args(ids));
    assert_eq!(code, 0, "{err}");
    assert_eq!(contents(&dir), before);
}

#[test]
fn reopen_removes_only_the_done_line() {
    let (_tmp, dir) = copy_roadmap(&example());
    let original = read(&dir.join("roadmap.yaml"));
    let (code, out, err) =
        run(roadmap(&dir).args(["reopen", "shop-lease", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("shop-lease reopened"), "{out}");
    let line = "            done: 2026-03-20   # set by `roadmap done shop-lease`\n";
    assert_eq!(original.matches(line).count(), 1);
    assert_eq!(
        read(&dir.join("roadmap.yaml")),
        original.replacen(line, "", 1)
    );

    // `done` as an item's first key: the `- ` stays on the next key.
    let (_tmp, dir) = copy_roadmap(&fixture("edit/styles"));
    let original = read(&dir.join("roadmap.yaml"));
    let (code, _, err) = run(roadmap(&dir).args(["reopen", "first-done", "--as-of", "2026-02-01"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        read(&dir.join("roadmap.yaml")),
        original.replacen("      done: 2026-01-15\n", "", 1)
    );
}

#[test]
fn done_defaults_to_the_as_of_date() {
    let (_tmp, dir) = copy_roadmap(&example());
    let original = read(&dir.join("roadmap.yaml"));
    let (code, _, err) = run(roadmap(&dir).args(["done", "shop-oven", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0, "{err}");
    // After the item's last line, its `started:`.
    let last = "            started: 2026-03-25   # set by `roadmap start shop-oven`\n";
    assert_eq!(
        read(&dir.join("roadmap.yaml")),
        original.replacen(last, &format!("{last}            done: 2026-04-02\n"), 1)
    );
}

#[test]
fn done_and_reopen_say_what_they_did() {
    let (tmp, dir) = copy_roadmap(&example());
    // Two files, one item already done, one id given twice.
    let (code, out, err) = run(roadmap(&dir).args([
        "done",
        "team-baker",
        "shop-oven",
        "shop-lease",
        "team-baker",
        "--on",
        "2026-04-01",
        "--as-of",
        "2026-04-02",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    insta::assert_snapshot!("done_confirmation", redact(&out, &tmp));
    assert_eq!(
        read(&dir.join("team.yaml"))
            .matches("done: 2026-04-01")
            .count(),
        1
    );

    let (code, out, err) =
        run(roadmap(&dir).args(["reopen", "shop-oven", "team-rota", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("reopen_confirmation", redact(&out, &tmp));
}

#[test]
fn an_unknown_id_suggests_one_and_writes_nothing() {
    let (tmp, dir) = copy_roadmap(&example());
    let before = contents(&dir);
    // Known ids in both files, and two unknown ones: nothing may change.
    let (code, out, err) = run(roadmap(&dir).args([
        "done",
        "shop-oven",
        "shop-ovn",
        "team-baker",
        "nothing-like-it",
        "--as-of",
        "2026-04-02",
    ]));
    assert_eq!(code, 2);
    assert_eq!(out, "");
    insta::assert_snapshot!("unknown_id", redact(&err, &tmp));
    assert_eq!(contents(&dir), before);

    let (code, _, err) = run(roadmap(&dir).args(["reopen", "shop-leas", "--as-of", "2026-04-02"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `shop-lease`?"), "{err}");
    assert_eq!(contents(&dir), before);
}

#[cfg(unix)]
#[test]
fn already_done_or_open_leaves_the_file_alone() {
    let (_tmp, dir) = copy_roadmap(&example());
    let before = contents(&dir);
    let ino = inode(&dir.join("roadmap.yaml"));
    // Without --on, the date it was done stays, and the output says how
    // to change it.
    let (code, out, err) = run(roadmap(&dir).args(["done", "shop-lease", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "· shop-lease was already done on 2026-03-20; left as is (to change the date: --on DATE)\n"
    );
    let (code, out, err) = run(roadmap(&dir).args([
        "done",
        "shop-lease",
        "--on",
        "2026-03-20",
        "--as-of",
        "2026-04-02",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "· shop-lease was already done on 2026-03-20; unchanged\n"
    );
    let (code, out, err) =
        run(roadmap(&dir).args(["reopen", "team-rota", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "· team-rota is already open; left as is\n");
    assert_eq!(contents(&dir), before);
    // Not even rewritten with the same bytes (a write replaces the inode).
    assert_eq!(inode(&dir.join("roadmap.yaml")), ino);
}

#[test]
fn done_on_another_date_moves_the_date_and_says_so() {
    let (tmp, dir) = copy_roadmap(&example());
    let before = read(&dir.join("roadmap.yaml"));
    let (code, out, err) = run(roadmap(&dir).args([
        "done",
        "shop-lease",
        "--on",
        "2026-03-25",
        "--as-of",
        "2026-04-02",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        redact(&out, &tmp),
        "✓ shop-lease done date moved from 2026-03-20 to 2026-03-25 ([DIR]/roadmap/roadmap.yaml)\n"
    );
    // One line changed, its comment kept.
    let after = read(&dir.join("roadmap.yaml"));
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [(
            "            done: 2026-03-20   # set by `roadmap done shop-lease`",
            "            done: 2026-03-25   # set by `roadmap done shop-lease`"
        )]
    );
    assert_eq!(before.lines().count(), after.lines().count());
    let items = json(roadmap(&dir).args([
        "items",
        "--done",
        "--format",
        "json",
        "--as-of",
        "2026-04-02",
    ]));
    assert_eq!(items["items"][0]["done"], "2026-03-25");
}

#[test]
fn an_edit_that_cannot_be_verified_is_refused() {
    // The date sits on the line after `done:`: removing the key's line
    // would leave it behind, which the check after the splice catches.
    let (_tmp, dir) = copy_roadmap(&fixture("edit/refuse"));
    let before = contents(&dir);
    // `c` (in other.yaml, which sorts first) and `b` could be reopened, but
    // not `a`: all or nothing, across files too.
    let (code, out, err) =
        run(roadmap(&dir).args(["reopen", "c", "a", "b", "--as-of", "2026-02-01"]));
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("cannot edit `a`"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(contents(&dir), before);
}

#[test]
fn a_bad_date_writes_nothing() {
    let (_tmp, dir) = copy_roadmap(&example());
    let before = contents(&dir);
    for on in ["2026-02-30", "yesterday", "2026-4-1"] {
        let (code, _, err) =
            run(roadmap(&dir).args(["done", "shop-oven", "--on", on, "--as-of", "2026-04-02"]));
        assert_eq!(code, 2, "--on {on}");
        assert!(err.contains("--on"), "{err}");
    }
    assert_eq!(contents(&dir), before);
}

#[cfg(unix)]
#[test]
fn a_symlinked_roadmap_yaml_is_written_through() {
    let (tmp, dir) = copy_roadmap(&example());
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let target = elsewhere.join("plan.yaml");
    fs::rename(dir.join("roadmap.yaml"), &target).unwrap();
    std::os::unix::fs::symlink(&target, dir.join("roadmap.yaml")).unwrap();
    let original = read(&target);

    let (code, _, err) = run(roadmap(&dir).args(["done", "shop-oven", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0, "{err}");
    let link = fs::symlink_metadata(dir.join("roadmap.yaml")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    assert_eq!(fs::read_link(dir.join("roadmap.yaml")).unwrap(), target);
    let last = "            started: 2026-03-25   # set by `roadmap start shop-oven`\n";
    assert_eq!(
        read(&target),
        original.replacen(last, &format!("{last}            done: 2026-04-02\n"), 1)
    );
    // No temp file left next to the link or the target.
    for d in [&dir, &elsewhere] {
        for entry in fs::read_dir(d).unwrap() {
            let name = entry.unwrap().file_name();
            assert!(!name.to_string_lossy().starts_with(".roadmap-"), "{name:?}");
        }
    }
}

#[test]
fn twenty_writers_at_once_lose_nothing() {
    let (_tmp, dir) = copy_roadmap(&seed());
    // Ten items in two files, ten values (five metrics on one day, one
    // metric on five days).
    let items = [
        "f1-equipo",
        "f1-legal",
        "f1-tecnologia",
        "f1-marca",
        "f1-testing",
        "curso-plataforma-m1",
        "curso-contenido-m1",
        "curso-comunidad",
        "curso-certificacion",
        "curso-beta",
    ];
    let records = [
        ["cac=$140", "--on", "2026-02-01"],
        ["revenue=$12K", "--on", "2026-02-01"],
        ["leads=120", "--on", "2026-02-01"],
        ["nps=4.5/5", "--on", "2026-02-01"],
        ["retention=80%", "--on", "2026-02-01"],
        ["cac=$141", "--on", "2026-02-02"],
        ["cac=$142", "--on", "2026-02-03"],
        ["cac=$143", "--on", "2026-02-04"],
        ["cac=$144", "--on", "2026-02-05"],
        ["cac=$145", "--on", "2026-02-06"],
    ];
    let mut children = Vec::new();
    for (n, id) in items.iter().enumerate() {
        let mut cmd = roadmap(&dir);
        cmd.args(["done", id, "--as-of", "2026-02-10"]);
        children.push(spawn(cmd));
        let mut cmd = roadmap(&dir);
        cmd.arg("record")
            .args(records[n])
            .args(["--as-of", "2026-02-10"]);
        children.push(spawn(cmd));
    }
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let v = json(roadmap(&dir).args([
        "items",
        "--done",
        "--format",
        "json",
        "--as-of",
        "2026-02-10",
    ]));
    let text = v.to_string();
    for id in items {
        assert!(text.contains(&format!("\"{id}\"")), "{id} is not done");
    }
    let csv = read(&dir.join("metrics.csv"));
    let mut lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.remove(0), "date,metric,value,source,note");
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "2026-02-01,cac,140,,",
            "2026-02-01,leads,120,,",
            "2026-02-01,nps,4.5,,",
            "2026-02-01,retention,80,,",
            "2026-02-01,revenue,12000,,",
            "2026-02-02,cac,141,,",
            "2026-02-03,cac,142,,",
            "2026-02-04,cac,143,,",
            "2026-02-05,cac,144,,",
            "2026-02-06,cac,145,,",
        ]
    );
    let (code, _, err) = run(roadmap(&dir).args(["validate", "--as-of", "2026-02-10"]));
    assert_eq!(code, 0, "{err}");
}

fn spawn(mut cmd: std::process::Command) -> std::process::Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the roadmap binary starts")
}

#[test]
fn work_is_not_done_in_the_future() {
    let (_tmp, dir) = copy_roadmap(&seed());
    let before = contents(&dir);
    let (code, _, err) = run(roadmap(&dir).args([
        "done",
        "f1-legal",
        "--on",
        "2026-03-01",
        "--as-of",
        "2026-02-10",
    ]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --on 2026-03-01 is after the as-of date, 2026-02-10\n  hint: mark work done once it is; to replay a past plan, pass --as-of too\n"
    );
    assert_eq!(contents(&dir), before);
}
