//! `roadmap status` on the seed at the dates that matter (before month 1,
//! month 1, month 8, after month 24), on the example, and on a plan that
//! starts on the 31st.

use insta_cmd::assert_cmd_snapshot;

use crate::{example, fixture, json, roadmap, run, seed};

#[test]
fn seed_before_the_plan_starts() {
    assert_cmd_snapshot!(roadmap(&seed()).args(["status", "--as-of", "2025-12-01"]));
}

#[test]
fn seed_in_month_1() {
    assert_cmd_snapshot!(roadmap(&seed()).args(["status", "--as-of", "2026-01-15"]));
}

#[test]
fn seed_in_month_8() {
    assert_cmd_snapshot!(roadmap(&seed()).args(["status", "--as-of", "2026-08-15"]));
}

#[test]
fn seed_after_the_plan_ends() {
    assert_cmd_snapshot!(roadmap(&seed()).args(["status", "--as-of", "2028-01-10"]));
}

#[test]
fn seed_fits_80_columns() {
    let (code, out, _) =
        run(roadmap(&seed())
            .env("COLUMNS", "80")
            .args(["status", "--as-of", "2026-08-15"]));
    assert_eq!(code, 0);
    for line in out.lines() {
        assert!(
            line.chars().count() <= 80,
            "too wide ({}): {line}",
            line.chars().count()
        );
    }
}

#[test]
fn seed_as_markdown() {
    assert_cmd_snapshot!(roadmap(&seed()).args([
        "status",
        "--as-of",
        "2026-08-15",
        "--format",
        "markdown",
        "--track",
        "saas"
    ]));
}

#[test]
fn example_mid_phase() {
    assert_cmd_snapshot!(roadmap(&example()).args(["status", "--as-of", "2026-05-10"]));
}

#[test]
fn plan_starting_on_the_31st() {
    assert_cmd_snapshot!(roadmap(&fixture("mid-month")).args(["status", "--as-of", "2027-02-28"]));
}

#[test]
fn json_has_the_documented_shape() {
    let v = json(roadmap(&seed()).args(["status", "--as-of", "2026-08-15", "--format", "json"]));
    assert_eq!(
        v["plan"]["name"],
        "Roadmap de Implementación - Productos de IA"
    );
    assert_eq!(v["plan"]["start"], "2026-01-01");
    assert_eq!(v["plan"]["months"], 24);
    assert_eq!(v["as_of"], "2026-08-15");
    assert_eq!(v["month"], 8);
    assert_eq!(v["phase"]["id"], "f2");
    let phases = v["phases"].as_array().unwrap();
    assert_eq!(phases.len(), 4);
    assert_eq!(phases[0]["start"], "2026-01-01");
    assert_eq!(phases[0]["end"], "2026-06-30");
    assert_eq!(phases[1]["start"], "2026-07-01");
    assert_eq!(phases[3]["end"], "2027-12-31");
    assert_eq!(phases[0]["verdict"], "fail");
    assert_eq!(phases[1]["verdict"], "in-progress");
    assert_eq!(phases[2]["verdict"], "upcoming");
    let total: u64 = phases
        .iter()
        .map(|p| p["items"]["total"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 192);
    assert_eq!(v["items"]["total"], 192);
    // Everything in phase 1 is overdue on 2026-08-15, nothing is done.
    assert_eq!(phases[0]["items"]["overdue"], phases[0]["items"]["total"]);
    assert_eq!(phases[0]["kpis"]["total"], 18);
}

#[test]
fn json_before_and_after_the_plan() {
    let before =
        json(roadmap(&seed()).args(["status", "--as-of", "2025-12-01", "--format", "json"]));
    assert_eq!(before["position"], "before");
    assert_eq!(before["month"], 0);
    assert!(before["phase"].is_null());
    let after =
        json(roadmap(&seed()).args(["status", "--as-of", "2028-01-10", "--format", "json"]));
    assert_eq!(after["position"], "after");
    assert_eq!(after["month"], 25);
    assert!(after["phase"].is_null());
}

#[test]
fn filters_narrow_every_count() {
    let v = json(roadmap(&seed()).args([
        "status",
        "--as-of",
        "2026-08-15",
        "--format",
        "json",
        "--track",
        "saas",
        "--area",
        "marketing",
    ]));
    assert_eq!(v["items"]["total"], 3);
    for r in v["focus"]["rows"].as_array().unwrap() {
        assert_eq!(r["track"], "saas");
        assert_eq!(r["area"], "Marketing");
    }
}

#[test]
fn phase_option_shows_that_phase_in_detail() {
    let v = json(roadmap(&seed()).args([
        "status",
        "--as-of",
        "2026-08-15",
        "--format",
        "json",
        "--phase",
        "f1",
    ]));
    assert_eq!(v["focus"]["phase"]["id"], "f1");
    assert_eq!(v["focus"]["rows"].as_array().unwrap().len(), 112);
    // The current phase is still the one holding the date.
    assert_eq!(v["phase"]["id"], "f2");
}

#[test]
fn unknown_filter_values_suggest_the_right_one() {
    assert_cmd_snapshot!(roadmap(&seed()).args([
        "status",
        "--as-of",
        "2026-08-15",
        "--phase",
        "f5"
    ]));
    let (code, _, err) =
        run(roadmap(&seed()).args(["status", "--track", "sass", "--as-of", "2026-08-15"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `saas`?"), "{err}");
}

#[test]
fn bad_as_of_is_an_error_with_a_fix() {
    let (code, out, err) = run(roadmap(&seed()).args(["status", "--as-of", "15/08/2026"]));
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: --as-of: `15/08/2026` is not a date\n  hint: write the date as YYYY-MM-DD, e.g. `--as-of 2026-08-15`\n"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let args = ["status", "--as-of", "2026-08-15"];
    let (_, plain, _) = run(roadmap(&seed()).args(args));
    assert!(!plain.contains('\x1b'), "piped output must not be coloured");
    let (_, forced, _) = run(roadmap(&seed()).args(args).arg("--color=always"));
    assert!(forced.contains("\x1b["), "--color=always colours");
    let (_, never, _) = run(roadmap(&seed())
        .args(args)
        .arg("--color=never")
        .env("NO_COLOR", "1"));
    assert!(!never.contains('\x1b'));
    // Colour adds emphasis only: without the escapes the text is the same.
    let stripped = strip_ansi(&forced);
    assert_eq!(stripped, plain);
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn firing_alerts_are_counted_in_the_header_and_listed_last() {
    let tmp = crate::copy_of(&seed());
    let dir = tmp.path();
    for day in 1..=14 {
        let revenue = if day <= 7 {
            "revenue=$10K"
        } else {
            "revenue=$8K"
        };
        let date = format!("2026-03-{day:02}");
        let (code, _, err) = run(roadmap(dir).args(["record", revenue, "--as-of", &date]));
        assert_eq!(code, 0, "{err}");
    }
    let (code, out, _) = run(roadmap(dir).args(["status", "--as-of", "2026-03-14"]));
    assert_eq!(code, 0, "status reports; check is what fails: {out}");
    assert!(
        out.lines()
            .find(|l| l.starts_with("Items "))
            .unwrap()
            .ends_with(" · 1 critical alert firing"),
        "{out}"
    );
    assert!(
        out.ends_with(&format!(
            "Alerts\n ✗ revenue-drop (critical): revenue fell 20% in 7 days ($70K → $56K)\n   \
             → Marketing: Budget reallocation automática\n  details: roadmap --dir {} alerts\n",
            dir.display()
        )),
        "{out}"
    );
    let v = json(roadmap(dir).args(["status", "--as-of", "2026-03-14", "--format", "json"]));
    assert_eq!(v["alerts"][0]["id"], "revenue-drop");
    assert_eq!(v["alerts"].as_array().unwrap().len(), 1);
}

/// A cap line's count of items left out and its command's words.
type Cap = (usize, Vec<String>);

/// The items the focus list of `status ARGS` shows as a table (at most
/// 15), the count and command of its "… and K more items" line, and the
/// ids of the focus rows in the JSON.
fn focus_cap(args: &[&str]) -> (usize, Option<Cap>, Vec<String>) {
    let (code, out, err) = run(roadmap(&seed())
        .args(["status", "--color", "never"])
        .args(args)
        .env("COLUMNS", "200"));
    assert_eq!(code, 0, "{err}");
    let v = json(
        roadmap(&seed())
            .args(["status", "--format", "json"])
            .args(args),
    );
    let ids: Vec<String> = v["focus"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let lines: Vec<&str> = out.lines().collect();
    let heading = lines.iter().position(|l| l.contains(" — ")).unwrap();
    let shown = lines[heading + 2..]
        .iter()
        .take_while(|l| l.starts_with(' '))
        .count();
    let cap = lines.iter().find(|l| l.contains(" more item")).map(|l| {
        let (head, command) = l.split_once(": ").unwrap();
        let k: usize = head
            .trim_start_matches("… and ")
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        (k, command.split(' ').map(str::to_string).collect())
    });
    (shown, cap, ids)
}

/// A focus list longer than a screen shows its first 15 items and a line
/// with how many more and a command that lists them: run, it lists the
/// shown ones, the K more and the phase's later ones, nothing else.
#[test]
fn a_long_focus_list_is_capped_with_a_command_that_lists_the_rest() {
    for args in [
        &["--as-of", "2026-04-10"][..],
        &["--as-of", "2026-08-15", "--phase", "f1"],
    ] {
        let (shown, cap, ids) = focus_cap(args);
        assert_eq!(shown, 15, "{args:?}");
        let (k, command) = cap.unwrap_or_else(|| panic!("{args:?}: no cap line"));
        assert_eq!(shown + k, ids.len(), "{args:?}");
        assert_eq!(command[..3], ["roadmap", "--dir", "roadmap"], "{args:?}");
        let listed = json(
            roadmap(&seed())
                .args(&command[3..])
                .args(["--format", "json", "--as-of", args[1]]),
        );
        let started: Vec<String> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["state"] != "upcoming")
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(started, ids, "{args:?}: `{}`", command.join(" "));
        let status = json(
            roadmap(&seed())
                .args(["status", "--format", "json"])
                .args(args),
        );
        let later = listed["items"].as_array().unwrap().len() - started.len();
        assert_eq!(later, status["focus"]["later"], "{args:?}");
    }
}

/// A focus list that fits shows every item and no cap line.
#[test]
fn a_short_focus_list_is_shown_whole() {
    let (shown, cap, ids) = focus_cap(&["--as-of", "2026-08-15", "--track", "saas"]);
    assert!(!ids.is_empty() && ids.len() <= 15, "{ids:?}");
    assert_eq!(shown, ids.len());
    assert_eq!(cap, None);
}

#[test]
fn blocked_started_and_waiting_items_are_counted_per_phase() {
    let v = json(roadmap(&example()).args(["status", "--format", "json", "--as-of", "2026-04-02"]));
    let counts = |i: usize| {
        let c = &v["phases"][i]["items"];
        (
            c["started"].as_u64().unwrap(),
            c["waiting"].as_u64().unwrap(),
            c["blocked"].as_u64().unwrap(),
        )
    };
    // The oven is under way; the inspection and the opening wait on it and
    // on hiring; the rota is blocked; the manager waits on the rota.
    assert_eq!(counts(0), (1, 0, 0));
    assert_eq!(counts(1), (0, 2, 1));
    assert_eq!(counts(2), (0, 1, 0));
    assert_eq!(v["items"]["waiting"], 3);
    // The table shows them and stays within 80 columns, as does Markdown's
    // heading row.
    let (code, out, err) =
        run(roadmap(&example())
            .env("COLUMNS", "80")
            .args(["status", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0, "{err}");
    let head = out.lines().find(|l| l.starts_with(" Phase")).unwrap();
    assert!(
        head.contains("Blocked") && head.contains("Started"),
        "{out}"
    );
    for line in out.lines() {
        assert!(
            roadmap::render::display_width(line) <= 80,
            "wider than 80: {line}"
        );
    }
    let (code, md, err) =
        run(roadmap(&example()).args(["status", "--format", "markdown", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains("| Phase            | Months | Ends       | Items          | Overdue | Blocked | Started | Waiting | KPIs met | Gate        |"),
        "{md}"
    );
    // A plan without them keeps its table as it was.
    let (_, seed_out, _) = run(roadmap(&seed()).args(["status", "--as-of", "2026-08-15"]));
    assert!(!seed_out.contains("Waiting"), "{seed_out}");
}
