//! What scripts and CI rely on beyond one command's report: every
//! `--format json` output is a versioned object, `--quiet` leaves only the
//! exit code and the errors, and `--dir` / `ROADMAP_DIR` accept a plan
//! the ways the upward search finds one.

use std::path::Path;

use crate::{example, roadmap, root, run, seed};

/// Every command with `--format json`, on a plan where each has something
/// to say (the seed has rule tests; `diff` compares with the last commit).
fn json_commands() -> Vec<Vec<&'static str>> {
    let as_of = ["--as-of", "2026-08-15", "--format", "json"];
    let with = |args: &[&'static str]| args.iter().chain(&as_of).copied().collect();
    vec![
        with(&["status"]),
        with(&["items"]),
        with(&["next"]),
        with(&["validate"]),
        with(&["kpis"]),
        with(&["dashboard"]),
        with(&["check"]),
        with(&["alerts"]),
        with(&["risks"]),
        with(&["test"]),
        with(&["update"]),
        with(&["timeline"]),
        with(&["diff", "HEAD"]),
        // With no paths, the plan `--dir` names is the one member.
        with(&["portfolio"]),
    ]
}

#[test]
fn every_json_output_is_an_object_that_opens_with_its_schema_version() {
    // The promise is kept by every command, so walk the list clap knows:
    // a new command with `--format json` must be added above.
    let listed: Vec<&str> = json_commands().iter().map(|c| c[0]).collect();
    for sub in <roadmap::cli::Cli as clap::CommandFactory>::command().get_subcommands() {
        // An output `--format` (not `ingest`'s input format) offers a table.
        let json = sub.get_arguments().any(|a| {
            let values: Vec<_> = a.get_possible_values();
            let offers = |name| values.iter().any(|v| v.get_name() == name);
            a.get_long() == Some("format") && offers("json") && offers("table")
        });
        assert_eq!(
            json,
            listed.contains(&sub.get_name()),
            "`{}`: list it in json_commands() when it prints JSON",
            sub.get_name()
        );
    }
    for args in json_commands() {
        let (code, out, err) = run(roadmap(&seed()).args(&args));
        // `check` exits 1: the seed's first gate fails with no data.
        assert!(code == 0 || code == 1, "{args:?}: {code} {err}");
        assert!(
            out.starts_with("{\n  \"schema_version\": 1,\n"),
            "{args:?} does not open with schema_version: {}",
            &out[..out.len().min(200)]
        );
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(v["schema_version"], 1, "{args:?}");
    }
}

#[test]
fn quiet_prints_nothing_but_keeps_the_exit_code_and_the_errors() {
    // A check that finds a problem: exit 1, nothing on stdout.
    let (code, out, err) = run(roadmap(&seed()).args(["check", "--as-of", "2026-08-15", "-q"]));
    assert_eq!((code, out.as_str(), err.as_str()), (1, "", ""));
    let (code, out, _) = run(roadmap(&seed()).args(["--quiet", "status", "--as-of", "2026-08-15"]));
    assert_eq!((code, out.as_str()), (0, ""));
    // Bad input still says what is wrong, on stderr, even when JSON was
    // asked for (the JSON would carry the problems to nobody).
    let (code, out, err) = run(roadmap(&root().join("tests/fixtures/invalid/unknown-key"))
        .args(["validate", "--quiet", "--format", "json"]));
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains("unknown key"), "{err}");
    let (code, out, err) = run(roadmap(&seed()).args(["items", "--phase", "f9", "-q"]));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("unknown phase `f9`"), "{err}");
}

#[test]
fn dir_takes_the_plan_folder_a_folder_holding_it_or_roadmap_yaml() {
    let validate = |dir: &Path, env: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_roadmap"));
        cmd.current_dir(root())
            .env_remove("ROADMAP_DIR")
            .env_remove("ROADMAP_AS_OF");
        match env {
            true => cmd.env("ROADMAP_DIR", dir),
            false => cmd.arg("--dir").arg(dir),
        };
        run(cmd.arg("validate"))
    };
    for env in [false, true] {
        for (given, shown) in [
            ("roadmap", "roadmap is valid: 192 items"),
            (".", "roadmap is valid: 192 items"),
            ("roadmap/roadmap.yaml", "roadmap is valid: 192 items"),
            (
                "examples/bakery/roadmap.yaml",
                "examples/bakery is valid: 8 items",
            ),
            ("examples/bakery", "examples/bakery is valid: 8 items"),
        ] {
            let (code, out, err) = validate(Path::new(given), env);
            assert_eq!(code, 0, "{given} (env {env}): {err}");
            assert!(out.starts_with(shown), "{given} (env {env}): {out}");
        }
        // A folder with neither still says what is missing there.
        let (code, _, err) = validate(Path::new("examples"), env);
        assert_eq!(code, 2);
        assert!(
            err.starts_with("examples/roadmap.yaml: no roadmap.yaml here"),
            "{err}"
        );
    }
    // The same plan, whichever way it was named.
    let a = crate::json(roadmap(&example()).args([
        "items",
        "--as-of",
        "2026-07-01",
        "--format",
        "json",
    ]));
    let b = crate::json(roadmap(&example().join("roadmap.yaml")).args([
        "items",
        "--as-of",
        "2026-07-01",
        "--format",
        "json",
    ]));
    assert_eq!(a, b);
}
