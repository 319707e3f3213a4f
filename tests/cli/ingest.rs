//! `roadmap ingest` and `roadmap record`: values from YAML, JSON and CSV
//! snapshots or the command line land in `metrics.csv` in the metric's
//! unit, all or nothing, appended so git sees added lines, and a killed
//! write leaves the old file or the new one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::edit::{contents, copy_roadmap, redact};
use crate::{example, fixture, roadmap, run};

const HEADER: &str = "date,metric,value,source,note\n";
const AS_OF: [&str; 2] = ["--as-of", "2026-04-10"];

/// An input file under `tests/fixtures/ingest/`, relative to the folder
/// `roadmap` runs in, so messages name it the same way everywhere.
fn input(name: &str) -> PathBuf {
    PathBuf::from("tests/fixtures/ingest").join(name)
}

fn metrics(dir: &Path) -> String {
    fs::read_to_string(dir.join("metrics.csv")).unwrap()
}

/// `roadmap ingest ARGS...` with `stdin` on standard input.
fn ingest_stdin(dir: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = roadmap(dir)
        .arg("ingest")
        .args(args)
        .args(AS_OF)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Ingest `names` (fixtures) into `dir`, which must succeed.
fn ingest_ok(dir: &Path, names: &[&str]) -> String {
    let (code, out, err) = run(roadmap(dir)
        .arg("ingest")
        .args(names.iter().map(|n| input(n)))
        .args(AS_OF));
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn a_yaml_snapshot_is_stored_in_a_new_metrics_csv() {
    let (_tmp, dir) = copy_roadmap(&example());
    assert!(!dir.join("metrics.csv").exists());
    let out = ingest_ok(&dir, &["good.yaml"]);
    assert!(out.contains("stored 4 values in"), "{out}");
    assert_eq!(
        metrics(&dir),
        format!(
            "{HEADER}2026-04-01,revenue,1500,till,\n2026-04-01,customers,1200,till,\n2026-04-01,waste,11,till,\n2026-04-01,rating,4.5,till,\n"
        )
    );
    // Two branches that both append values merge without a conflict.
    assert_eq!(
        fs::read_to_string(dir.join(".gitattributes")).unwrap(),
        "metrics.csv merge=union\n"
    );
}

#[test]
fn a_json_list_of_snapshots_is_stored() {
    let (_tmp, dir) = copy_roadmap(&example());
    ingest_ok(&dir, &["good.json"]);
    assert_eq!(
        metrics(&dir),
        format!(
            "{HEADER}2026-04-02,revenue,1800,,\"rainy, quiet\"\n2026-04-02,customers,140,,\"rainy, quiet\"\n2026-04-03,fitout_days,30,,\n2026-04-03,waste,9.5,,\n"
        )
    );
}

#[test]
fn a_csv_file_is_stored() {
    let (_tmp, dir) = copy_roadmap(&example());
    ingest_ok(&dir, &["good.csv"]);
    assert_eq!(
        metrics(&dir),
        format!(
            "{HEADER}2026-04-04,revenue,2000,till,\n2026-04-04,waste,8.5,,\"end of day, counted\"\n2026-04-05,customers,1100,door counter,\n"
        )
    );
}

#[test]
fn values_are_stored_as_plain_numbers_in_the_metrics_unit() {
    let (_tmp, dir) = copy_roadmap(&fixture("ingest/units"));
    for (on, values) in [
        (
            "2026-02-01",
            [
                "revenue=$1.1K",
                "conversion=87%",
                "users=1.2K",
                "latency=300ms",
                "cycle=30 días",
                "nps=9/10",
            ],
        ),
        (
            "2026-02-02",
            [
                "revenue=$2.3M",
                "conversion=0.1%",
                "users=1,000",
                "latency=2s",
                "cycle=3d",
                "nps=7.5",
            ],
        ),
    ] {
        let (code, _, err) = run(roadmap(&dir)
            .arg("record")
            .args(values)
            .args(["--on", on])
            .args(AS_OF));
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(
        metrics(&dir),
        format!(
            "{HEADER}2026-02-01,revenue,1100,,\n2026-02-01,conversion,87,,\n2026-02-01,users,1200,,\n2026-02-01,latency,0.3,,\n2026-02-01,cycle,30,,\n2026-02-01,nps,9,,\n\
             2026-02-02,revenue,2300000,,\n2026-02-02,conversion,0.1,,\n2026-02-02,users,1000,,\n2026-02-02,latency,2,,\n2026-02-02,cycle,3,,\n2026-02-02,nps,7.5,,\n"
        )
    );
}

#[test]
fn the_same_file_twice_is_stored_once() {
    let (_tmp, dir) = copy_roadmap(&example());
    ingest_ok(&dir, &["good.csv", "good.yaml"]);
    let before = contents(&dir);
    let out = ingest_ok(&dir, &["good.csv"]);
    assert!(out.contains("nothing new"), "{out}");
    assert!(out.contains("3 values already recorded"), "{out}");
    assert_eq!(contents(&dir), before);
}

#[test]
fn one_bad_row_stores_nothing_and_says_where() {
    for (name, line, what) in [
        ("bad-metric.csv", 3, "did you mean `waste`?"),
        ("bad-unit.csv", 3, "`$8` is in dollars"),
        ("bad-date.csv", 3, "`2026-04-31` is not a real date"),
    ] {
        // With values stored already, and with no metrics.csv yet.
        for seeded in [true, false] {
            let (_tmp, dir) = copy_roadmap(&example());
            if seeded {
                ingest_ok(&dir, &["good.yaml"]);
            }
            let before = contents(&dir);
            let (code, out, err) = run(roadmap(&dir).arg("ingest").arg(input(name)).args(AS_OF));
            assert_eq!(code, 2, "{name}: {out}");
            let at = format!("tests/fixtures/ingest/{name}:{line}:");
            assert!(err.contains(&at), "{name}: no {at} in {err}");
            assert!(err.contains(what), "{name}: {err}");
            assert!(err.contains("nothing was changed"), "{err}");
            assert_eq!(contents(&dir), before, "{name} changed files");
        }
    }
}

#[test]
fn every_problem_in_every_file_is_reported_at_once() {
    let (tmp, dir) = copy_roadmap(&example());
    ingest_ok(&dir, &["good.yaml"]);
    let before = contents(&dir);
    let (code, _, err) = run(roadmap(&dir)
        .arg("ingest")
        .args([input("many-bad.csv"), input("good.csv"), input("bad.yaml")])
        .args(AS_OF));
    assert_eq!(code, 2);
    insta::assert_snapshot!("bad_csv_and_yaml", redact(&err, &tmp));
    assert_eq!(contents(&dir), before);
}

#[test]
fn another_value_for_a_recorded_day_needs_replace() {
    let (_tmp, dir) = copy_roadmap(&example());
    ingest_ok(&dir, &["good.csv"]);
    let before = contents(&dir);
    let change = "date,metric,value\n2026-04-04,revenue,$2.5K\n2026-04-05,customers,1.1K\n";

    let (code, _, err) = ingest_stdin(&dir, &["-", "--format", "csv"], change);
    assert_eq!(code, 2);
    assert!(
        err.contains("<stdin>:2: `revenue` on 2026-04-04 is already recorded as 2000"),
        "{err}"
    );
    assert!(err.contains("pass --replace"), "{err}");
    assert_eq!(contents(&dir), before);

    let (code, out, err) = ingest_stdin(
        &dir,
        &["-", "--format", "csv", "--replace", "--dry-run"],
        change,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("$2,500"), "{out}");
    assert!(out.contains("was $2,000"), "{out}");
    assert!(out.contains("would store 1 value"), "{out}");
    assert!(out.contains("1 value already recorded"), "{out}");
    assert!(out.contains("dry run: nothing was written"), "{out}");
    assert_eq!(contents(&dir), before);

    let (code, out, err) = ingest_stdin(&dir, &["-", "--format", "csv", "--replace"], change);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("stored 1 value") && out.contains("(1 replaced)"),
        "{out}"
    );
    // The old line stays and the correction is appended, naming the
    // value it replaces: a `git diff` is added lines only, and a union
    // merge with a branch that appended too keeps both, the correction
    // winning.
    assert_eq!(
        metrics(&dir),
        "date,metric,value,source,note,replaces\n2026-04-04,revenue,2000,till,\n2026-04-04,waste,8.5,,\"end of day, counted\"\n2026-04-05,customers,1100,door counter,\n2026-04-04,revenue,2500,,,2000\n"
    );
    // The correction is the value in force: recording it again is no news.
    let (code, out, err) = run(roadmap(&dir)
        .args(["record", "revenue=$2.5K", "--on", "2026-04-04"])
        .args(AS_OF));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("nothing new"), "{out}");
    // Re-ingesting the original snapshot leaves the correction standing.
    let (code, out, err) = ingest_stdin(
        &dir,
        &["-", "--format", "csv"],
        "date,metric,value\n2026-04-04,revenue,$2K\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("nothing new"), "{out}");
}

#[test]
fn dry_run_writes_nothing_new_either() {
    let (_tmp, dir) = copy_roadmap(&example());
    let (code, out, err) = run(roadmap(&dir)
        .args(["ingest", "--dry-run"])
        .arg(input("good.yaml"))
        .args(AS_OF));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("would store 4 values"), "{out}");
    assert!(!dir.join("metrics.csv").exists());
    assert!(!dir.join(".gitattributes").exists());
}

#[test]
fn two_values_for_one_day_in_the_input_is_an_error() {
    let (_tmp, dir) = copy_roadmap(&example());
    let before = contents(&dir);
    let (code, _, err) = ingest_stdin(
        &dir,
        &["-", "--format", "csv", "--replace"],
        "date,metric,value\n2026-04-04,waste,8%\n2026-04-04,waste,9%\n2026-04-04,waste,8%\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("`waste` on 2026-04-04 is given twice: 8 at <stdin>:2 and 9 here"),
        "{err}"
    );
    assert_eq!(contents(&dir), before);
}

#[test]
fn replace_appends_a_correction_and_keeps_every_old_byte() {
    // A note with a line break makes a record of several lines; blank
    // lines stay. Nothing before the end of the file changes but the
    // header, which gains `replaces` once.
    let (_tmp, dir) = copy_roadmap(&example());
    let old = format!(
        "{HEADER}2026-04-01,revenue,100,,\"two\nlines\"\n2026-04-01,waste,5,,\n\n2026-04-02,revenue,7,,\n\n"
    );
    fs::write(dir.join("metrics.csv"), &old).unwrap();
    let (code, _, err) = run(roadmap(&dir).args([
        "record",
        "revenue=$200",
        "--on",
        "2026-04-01",
        "--replace",
        "--as-of",
        "2026-04-10",
    ]));
    assert_eq!(code, 0, "{err}");
    let body = "2026-04-01,revenue,100,,\"two\nlines\"\n2026-04-01,waste,5,,\n\n2026-04-02,revenue,7,,\n\n";
    assert_eq!(
        metrics(&dir),
        format!("date,metric,value,source,note,replaces\n{body}2026-04-01,revenue,200,,,100\n")
    );
    let (code, _, err) = run(roadmap(&dir).args([
        "record",
        "revenue=$8",
        "--on",
        "2026-04-02",
        "--replace",
        "--as-of",
        "2026-04-10",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        metrics(&dir),
        format!(
            "date,metric,value,source,note,replaces\n{body}2026-04-01,revenue,200,,,100\n2026-04-02,revenue,8,,,7\n"
        )
    );
    // Corrected again: the newest correction names the value it replaces.
    let (code, _, err) = run(roadmap(&dir).args([
        "record",
        "revenue=$100",
        "--on",
        "2026-04-01",
        "--replace",
        "--as-of",
        "2026-04-10",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(metrics(&dir).ends_with("2026-04-01,revenue,100,,,200\n"));
    let (code, _, err) = run(roadmap(&dir).args(["validate"]).args(AS_OF));
    assert_eq!(code, 0, "back to the first value still loads: {err}");
}

#[test]
fn standard_input_needs_a_format() {
    let (_tmp, dir) = copy_roadmap(&example());
    let yaml = fs::read_to_string(fixture("ingest/good.yaml")).unwrap();
    let (code, out, err) = ingest_stdin(&dir, &["-"], &yaml);
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        err,
        "error: cannot tell the format of `<stdin>`\n  hint: pass --format yaml, json or csv\n"
    );
    assert!(!dir.join("metrics.csv").exists());

    let (code, out, err) = ingest_stdin(&dir, &["-", "--format", "yaml"], &yaml);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("<stdin>:"), "{out}");
    let json = fs::read_to_string(fixture("ingest/good.json")).unwrap();
    let (code, _, err) = ingest_stdin(&dir, &["--format", "json", "-"], &json);
    assert_eq!(code, 0, "{err}");
    assert_eq!(metrics(&dir).lines().count(), 1 + 4 + 4);
}

#[test]
fn a_file_without_a_known_extension_needs_a_format() {
    let (tmp, dir) = copy_roadmap(&example());
    let file = tmp.path().join("snapshot.txt");
    fs::copy(fixture("ingest/good.csv"), &file).unwrap();
    let (code, _, err) = run(roadmap(&dir).arg("ingest").arg(&file).args(AS_OF));
    assert_eq!(code, 2);
    assert!(err.contains("cannot tell the format of"), "{err}");
    assert!(err.contains("--format"), "{err}");
    assert!(!dir.join("metrics.csv").exists());
    let (code, _, err) = run(roadmap(&dir)
        .arg("ingest")
        .arg(&file)
        .args(["--format", "csv"])
        .args(AS_OF));
    assert_eq!(code, 0, "{err}");
    assert_eq!(metrics(&dir).lines().count(), 4);
}

#[test]
fn record_defaults_to_the_as_of_date() {
    let (_tmp, dir) = copy_roadmap(&example());
    let (code, out, err) = run(roadmap(&dir)
        .args(["record", "waste=7.5%", "customers = 150"])
        .args(AS_OF));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("stored 2 values"), "{out}");
    assert_eq!(
        metrics(&dir),
        format!("{HEADER}2026-04-10,waste,7.5,,\n2026-04-10,customers,150,,\n")
    );
}

#[test]
fn record_checks_every_value_and_stores_none_if_one_is_wrong() {
    let (_tmp, dir) = copy_roadmap(&example());
    ingest_ok(&dir, &["good.yaml"]);
    let before = contents(&dir);
    let (code, out, err) = run(roadmap(&dir)
        .args([
            "record",
            "revenue=$900",
            "custmers=12",
            "waste=$9",
            "rating",
            "rating=4/10",
            "--on",
            "2026-04-09",
        ])
        .args(AS_OF));
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("argument 2: unknown metric `custmers`"),
        "{err}"
    );
    assert!(err.contains("did you mean `customers`?"), "{err}");
    assert!(err.contains("argument 3: value of `waste`"), "{err}");
    assert!(
        err.contains("argument 4: `rating` is not METRIC=VALUE"),
        "{err}"
    );
    assert!(err.contains("argument 5: value of `rating`"), "{err}");
    assert!(
        err.contains("4 problems found; nothing was changed"),
        "{err}"
    );
    assert_eq!(contents(&dir), before);

    // And a date that is not one.
    let (code, _, err) = run(roadmap(&dir)
        .args(["record", "revenue=$900", "--on", "2026-02-29"])
        .args(AS_OF));
    assert_eq!(code, 2);
    assert!(err.contains("--on"), "{err}");
    assert_eq!(contents(&dir), before);
}

#[test]
fn new_values_are_appended_lines() {
    // So a git diff of metrics.csv shows added lines only, whatever the
    // file looked like: (file before, lines the two records append).
    let canonical = "2026-04-02,waste,9,,\n2026-04-03,waste,8,,\n";
    for (old, added) in [
        (
            format!("{HEADER}2026-04-01,revenue,1500,till,\n"),
            canonical.to_string(),
        ),
        // No line break at the end: one is added first.
        (
            format!("{HEADER}2026-04-01,revenue,1500,till,"),
            format!("\n{canonical}"),
        ),
        // Written on Windows.
        (
            format!("{HEADER}2026-04-01,revenue,1500,till,\n").replace('\n', "\r\n"),
            canonical.replace('\n', "\r\n"),
        ),
        // A BOM, a blank line, and the columns in another order (which
        // `read` accepts, so writes must follow).
        (
            "\u{feff}metric,date,value\nrevenue,2026-04-01,1500\n\n".to_string(),
            "waste,2026-04-02,9\nwaste,2026-04-03,8\n".to_string(),
        ),
    ] {
        let (_tmp, dir) = copy_roadmap(&example());
        fs::write(dir.join("metrics.csv"), &old).unwrap();
        for args in [
            ["waste=9%", "--on", "2026-04-02"],
            ["waste=8%", "--on", "2026-04-03"],
        ] {
            let (code, _, err) = run(roadmap(&dir).arg("record").args(args).args(AS_OF));
            assert_eq!(code, 0, "{err}");
        }
        assert_eq!(metrics(&dir), format!("{old}{added}"), "from {old:?}");
        // A history made by hand gets the union rule on the first write.
        assert_eq!(
            fs::read_to_string(dir.join(".gitattributes")).unwrap(),
            "metrics.csv merge=union\n"
        );
        let (code, _, err) = run(roadmap(&dir).args(["status"]).args(AS_OF));
        assert_eq!(code, 0, "the history must still load: {err}");
    }
}

#[test]
fn a_source_or_note_without_a_column_is_refused() {
    let (tmp, dir) = copy_roadmap(&example());
    fs::write(dir.join("metrics.csv"), "date,metric,value\n").unwrap();
    let before = contents(&dir);
    // good.yaml has `source: till`.
    let (code, _, err) = run(roadmap(&dir)
        .arg("ingest")
        .arg(input("good.yaml"))
        .args(AS_OF));
    assert_eq!(code, 2);
    assert_eq!(
        redact(&err, &tmp),
        "error: [DIR]/roadmap/metrics.csv has no `source` column, so the source given at tests/fixtures/ingest/good.yaml:5:12 cannot be stored\n  hint: add `source` to the header line of [DIR]/roadmap/metrics.csv, or leave it out of the input\n"
    );
    assert_eq!(contents(&dir), before);
}

#[test]
fn an_existing_gitattributes_keeps_its_lines_and_gains_the_union_merge() {
    let (_tmp, dir) = copy_roadmap(&example());
    fs::write(dir.join(".gitattributes"), "*.yaml text eol=lf\n").unwrap();
    let (code, _, err) = run(roadmap(&dir).args(["record", "waste=9%"]).args(AS_OF));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        fs::read_to_string(dir.join(".gitattributes")).unwrap(),
        "*.yaml text eol=lf\nmetrics.csv merge=union\n"
    );
    assert_eq!(metrics(&dir), format!("{HEADER}2026-04-10,waste,9,,\n"));
}

#[test]
fn a_gitattributes_that_already_covers_the_history_is_left_as_is() {
    let (_tmp, dir) = copy_roadmap(&example());
    fs::write(
        dir.join(".gitattributes"),
        "metrics.csv merge=union -diff\n",
    )
    .unwrap();
    let (code, _, err) = run(roadmap(&dir).args(["record", "waste=9%"]).args(AS_OF));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        fs::read_to_string(dir.join(".gitattributes")).unwrap(),
        "metrics.csv merge=union -diff\n"
    );
}

#[cfg(unix)]
#[test]
fn a_killed_write_leaves_the_old_file_or_the_new_one() {
    use chrono::{Days, NaiveDate};
    use std::process::Command;
    use std::time::Instant;

    // A few hundred rows with long notes: reading them is quick, so most
    // of a run is writing and syncing ~3 MB, and kills land in the write.
    let (_tmp, dir) = copy_roadmap(&example());
    let path = dir.join("metrics.csv");
    let mut old = String::from(HEADER);
    let note = "x".repeat(10_000);
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for day in 0..300 {
        let date = start + Days::new(day);
        old.push_str(&format!("{date},revenue,1500,till,{note}\n"));
    }
    let new = format!("{old}2026-04-01,revenue,100,,\n");
    let names: Vec<_> = {
        fs::write(&path, &old).unwrap();
        contents(&dir).into_keys().collect()
    };
    let record = || {
        let mut cmd: Command = roadmap(&dir);
        cmd.args(["record", "revenue=100", "--on", "2026-04-01"])
            .args(AS_OF)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    // One whole run, to spread the kills over its length.
    let t = Instant::now();
    assert!(record().status().unwrap().success());
    let whole = t.elapsed();
    assert!(fs::read(&path).unwrap() == new.as_bytes());
    // That first write added the union rule; later runs find it there.
    let names: Vec<_> = names
        .into_iter()
        .chain([PathBuf::from(".gitattributes")])
        .collect();

    let (mut olds, mut news, mut leftovers) = (0, 0, 0);
    for i in 0..30u32 {
        fs::write(&path, &old).unwrap();
        // 0 to 1.2 times a whole run, in a scrambled but fixed order.
        let delay = whole * ((i * 13) % 30) / 25;
        let mut child = record().spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let now = fs::read(&path).unwrap();
        if now == old.as_bytes() {
            olds += 1;
        } else if now == new.as_bytes() {
            news += 1;
        } else {
            panic!(
                "run {i}, killed after {delay:?}: metrics.csv is neither the old nor the new file ({} bytes)",
                now.len()
            );
        }
        // A kill between creating the temp file and renaming it leaves
        // the temp file, which the next command removes.
        for name in contents(&dir).into_keys() {
            if names.contains(&name) {
                continue;
            }
            let shown = name.display().to_string();
            assert!(
                shown.starts_with(".roadmap-") && shown.ends_with(".tmp"),
                "run {i} left {shown}"
            );
            leftovers += 1;
            let (code, _, err) = run(roadmap(&dir).arg("validate").args(AS_OF));
            assert_eq!(code, 0, "with {shown} left behind: {err}");
            assert!(!dir.join(&name).exists(), "validate removes {shown}");
        }
    }
    eprintln!(
        "{olds} runs left the old file, {news} the new one; {leftovers} left a temp file (a run takes {whole:?})"
    );
    // The lock of a killed process is gone: the next write goes through.
    fs::write(&path, &old).unwrap();
    let (code, _, err) = run(record().stderr(Stdio::piped()));
    assert_eq!(code, 0, "{err}");
    assert!(fs::read(&path).unwrap() == new.as_bytes());
    let (code, _, err) = run(roadmap(&dir).arg("validate").args(AS_OF));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn csv_errors_name_the_rows_own_line_after_blank_lines() {
    let (_tmp, dir) = copy_roadmap(&example());
    let (code, _, err) = ingest_stdin(
        &dir,
        &["-", "--format", "csv"],
        "date,metric,value\n2026-04-05,revenue,$2K\n\n\n2026-04-05,wast,8%\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("<stdin>:5:"),
        "the bad row is on line 5: {err}"
    );
}

#[test]
fn a_file_of_bad_rows_stops_after_a_hundred_problems() {
    let (_tmp, dir) = copy_roadmap(&example());
    let mut csv = String::from("date,metric,value\n");
    for i in 0..150 {
        csv.push_str(&format!("2026-04-05,wast{i},8%\n"));
    }
    let (code, _, err) = ingest_stdin(&dir, &["-", "--format", "csv"], &csv);
    assert_eq!(code, 2);
    assert_eq!(err.matches("unknown metric `wast").count(), 100);
    assert!(
        err.contains("<stdin>:102: more problems from here on; stopped after 100"),
        "{err}"
    );
    assert!(
        err.ends_with("error: 101 problems found; nothing was changed\n"),
        "{err}"
    );
}

#[test]
fn a_history_with_values_recorded_twice_names_them_and_stops_after_a_hundred() {
    let (_tmp, dir) = copy_roadmap(&example());
    let mut csv = String::from("date,metric,value,source,note\n");
    for day in 1..=28 {
        csv.push_str(&format!(
            "2026-04-{day:02},waste,8,,\n2026-04-{day:02},waste,9,,\n"
        ));
    }
    fs::write(dir.join("metrics.csv"), &csv).unwrap();
    let (code, _, err) = run(roadmap(&dir).arg("status").args(AS_OF));
    assert_eq!(code, 2);
    assert!(
        err.contains("metrics.csv:3: `waste` on 2026-04-01 is recorded twice with different values: 8 (line 2) and 9"),
        "{err}"
    );
    assert_eq!(err.matches("is recorded twice").count(), 28);
    for day in 1..=28 {
        csv.push_str(&format!(
            "2026-05-{day:02},waste,8,,\n2026-05-{day:02},waste,9,,\n"
        ));
        csv.push_str(&format!(
            "2026-06-{day:02},waste,8,,\n2026-06-{day:02},waste,9,,\n"
        ));
        csv.push_str(&format!(
            "2026-07-{day:02},waste,8,,\n2026-07-{day:02},waste,9,,\n"
        ));
    }
    fs::write(dir.join("metrics.csv"), &csv).unwrap();
    let (_, _, err) = run(roadmap(&dir).arg("status").args(AS_OF));
    assert_eq!(err.matches("is recorded twice").count(), 100);
    assert!(
        err.contains("more values recorded twice; stopped after 100"),
        "{err}"
    );
}

#[test]
fn a_value_outside_its_metrics_range_is_refused() {
    let (_tmp, dir) = copy_roadmap(&crate::seed());
    let before = contents(&dir);
    // NPS runs from -100 to 100; a count of users cannot be negative.
    for bad in ["nps_score=150", "beta_users=-5"] {
        let (code, _, err) = run(roadmap(&dir).args(["record", bad]).args(AS_OF));
        assert_eq!(code, 2, "{bad}");
        assert!(err.contains("argument 1: value of `"), "{err}");
        assert_eq!(contents(&dir), before, "{bad}");
    }
    let (code, _, err) = run(roadmap(&dir).args(["record", "nps_score=-40"]).args(AS_OF));
    assert_eq!(code, 0, "{err}");
    // The same rule holds for a hand-written history.
    fs::write(
        dir.join("metrics.csv"),
        "date,metric,value\n2026-03-01,nps_score,-40\n2026-03-02,beta_users,-5\n",
    )
    .unwrap();
    let (code, _, err) = run(roadmap(&dir).args(["validate"]).args(AS_OF));
    assert_eq!(code, 2);
    assert!(
        err.contains("metrics.csv:3: value of `beta_users`: -5 is below 0"),
        "{err}"
    );
}

#[test]
fn a_range_that_is_empty_or_not_a_range_is_an_error() {
    let (_tmp, dir) = copy_roadmap(&example());
    let path = dir.join("kpis.yaml");
    let text = fs::read_to_string(&path).unwrap();
    for (range, says) in [("100..0", "is empty"), ("0-100", "is not a range")] {
        let edited = text.replacen(
            "    unit: count\n",
            &format!("    unit: count\n    range: {range}\n"),
            1,
        );
        fs::write(&path, edited).unwrap();
        let (code, _, err) = run(roadmap(&dir).args(["validate"]).args(AS_OF));
        assert_eq!(code, 2, "{range}");
        assert!(err.contains(says), "{range}: {err}");
    }
}

#[test]
fn values_dated_after_the_as_of_date_are_refused() {
    let (_tmp, dir) = copy_roadmap(&example());
    let (code, _, err) = run(roadmap(&dir)
        .args(["record", "customers=5", "--on", "9999-12-31"])
        .args(AS_OF));
    assert_eq!(code, 2);
    assert!(err.contains("after the as-of date"), "{err}");
    let (code, _, err) = ingest_stdin(
        &dir,
        &["-", "--format", "csv"],
        "date,metric,value\n2026-04-10,customers,5\n2026-04-11,customers,6\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("<stdin>:3: `customers` is dated 2026-04-11, after the as-of date"),
        "{err}"
    );
    assert!(!dir.join("metrics.csv").exists());
}

#[test]
fn a_json_snapshot_must_be_json() {
    let (_tmp, dir) = copy_roadmap(&example());
    let (code, _, err) = ingest_stdin(
        &dir,
        &["-", "--format", "json"],
        "{\"date\": \"2026-04-01\",\n \"values\": {\"customers\": 5,}}\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("<stdin>:2:"), "{err}");
    assert!(err.contains("invalid JSON: trailing comma"), "{err}");
    assert!(!dir.join("metrics.csv").exists());
}

#[test]
fn csv_that_is_not_utf8_is_named_by_line() {
    let (_tmp, dir) = copy_roadmap(&example());
    let file = dir.parent().unwrap().join("bad.csv");
    fs::write(
        &file,
        b"date,metric,value\n2026-04-01,customers,5\n2026-04-02,cust\xffomers,6\n",
    )
    .unwrap();
    let (code, _, err) = run(roadmap(&dir).arg("ingest").arg(&file).args(AS_OF));
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.csv:3:16: the file is not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn a_plain_number_outside_its_unit_is_refused_like_a_typed_one() {
    // Found by fuzzing: the CSV fast path took any plain number, so `6`
    // for a score out of 5 was stored while `record rating=6` refused it.
    let (_tmp, dir) = copy_roadmap(&example());
    let file = crate::root().join("fuzz/regressions/bakery-ingest-fast-path.csv");
    let (code, _, err) = run(roadmap(&dir).arg("ingest").arg(&file).args(AS_OF));
    assert_eq!(code, 2);
    assert!(
        err.contains(":2: value of `rating`: `6`: a score cannot exceed its scale"),
        "{err}"
    );
    assert!(
        err.contains(":3: value of `revenue`: `1e300` is too large"),
        "{err}"
    );
    assert!(!dir.join("metrics.csv").exists());
}

/// CSV of `n` daily values of `metric` from 2026-01-01, `base` and up.
fn daily(metric: &str, n: usize, base: usize) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    (0..n)
        .map(|i| {
            let date = start + chrono::Days::new(i as u64);
            format!("{date},{metric},{}\n", base + i)
        })
        .collect()
}

/// Past a few dozen values, the confirmation is a summary: per metric
/// what is new, corrected or already there and the dates it spans, then
/// the first rows. Every value is still stored.
#[test]
fn a_large_ingest_is_summarised_per_metric() {
    let (tmp, dir) = copy_roadmap(&example());
    ingest_ok(&dir, &["good.csv"]);
    let mut csv = String::from("date,metric,value\n");
    csv.push_str(&daily("revenue", 60, 1000));
    csv.push_str(&daily("customers", 50, 100));
    // A correction, and two values already recorded by good.csv.
    csv.push_str("2026-04-04,revenue,$2.5K\n2026-04-04,waste,8.5%\n2026-04-05,customers,1100\n");
    let (code, out, err) = ingest_stdin(&dir, &["-", "--format", "csv", "--replace"], &csv);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("large_ingest_summary", redact(&out, &tmp));
    let by_metric: Vec<Vec<&str>> = out
        .lines()
        .skip_while(|l| *l != "By metric:")
        .skip(2)
        .take_while(|l| !l.ends_with(':'))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        by_metric,
        [
            vec!["revenue", "60", "1", "–", "2026-01-01", "2026-04-04"],
            vec!["customers", "50", "–", "1", "2026-01-01", "2026-04-05"],
            vec!["waste", "–", "–", "1", "2026-04-04", "2026-04-04"],
        ],
        "{out}"
    );
    // The first ten new values and the correction, then a count of the
    // rest.
    assert_eq!(out.matches("  new  ").count(), 10, "{out}");
    assert!(out.contains("was $2,000"), "{out}");
    assert!(out.contains("… and 100 more values\n"), "{out}");
    assert!(
        redact(&out, &tmp).ends_with(
            "stored 111 values in [DIR]/roadmap/metrics.csv (1 replaced); 2 values already \
             recorded\n"
        ),
        "{out}"
    );
    assert_eq!(metrics(&dir).lines().count(), 1 + 3 + 111);
}

/// Up to 40 values the confirmation lists each one; one more and it is
/// a summary.
#[test]
fn forty_values_are_listed_and_forty_one_summarised() {
    for (n, listed) in [(40, true), (41, false)] {
        let (_tmp, dir) = copy_roadmap(&example());
        let csv = format!("date,metric,value\n{}", daily("customers", n, 100));
        let (code, out, err) = ingest_stdin(&dir, &["-", "--format", "csv"], &csv);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.contains("By metric:"), !listed, "{out}");
        let rows = out.matches("  new  ").count();
        assert_eq!(rows, if listed { n } else { 10 }, "{out}");
        assert!(out.contains(&format!("stored {n} values in")), "{out}");
    }
}
