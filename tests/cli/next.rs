//! `roadmap next`: what can be started now, most urgent first, as table,
//! Markdown and JSON.

use crate::edit::copy_roadmap;
use crate::{example, json, roadmap, run};

fn next(dir: &std::path::Path, args: &[&str]) -> Vec<(String, u64, String)> {
    let v = json(roadmap(dir).args(["next", "--format", "json"]).args(args));
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["unblocks"].as_u64().unwrap(),
                r["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row(id: &str, unblocks: u64, state: &str) -> (String, u64, String) {
    (id.to_string(), unblocks, state.to_string())
}

#[test]
fn the_ready_items_by_deadline_then_by_the_work_they_free() {
    // July 1: hiring is open; the counter staff free the opening, the
    // baker frees nothing. Both are due on August 31.
    assert_eq!(
        next(&example(), &["--as-of", "2026-07-01"]),
        [
            row("team-counter", 1, "ready"),
            row("team-baker", 0, "ready")
        ]
    );
    // April 2: nothing is open yet but the oven, which is under way.
    assert_eq!(next(&example(), &["--as-of", "2026-04-02"]), []);
    // Only one owner's work, whatever the case.
    assert_eq!(
        next(&example(), &["--owner", "sam", "--as-of", "2026-07-01"]),
        [row("team-baker", 0, "ready")]
    );
}

#[test]
fn late_work_with_nothing_in_its_way_comes_first_and_an_earlier_due_day_wins() {
    let (_tmp, dir) = copy_roadmap(&example());
    // The oven done, the inspection can go; hiring goes on.
    let (code, _, err) = run(roadmap(&dir).args([
        "done",
        "shop-oven",
        "--on",
        "2026-06-20",
        "--as-of",
        "2026-08-10",
    ]));
    assert_eq!(code, 0, "{err}");
    // On August 10 the inspection (due July 31) is late but free: first.
    // It frees the opening; the counter staff free it too.
    assert_eq!(
        next(&dir, &["--as-of", "2026-08-10"]),
        [
            row("shop-permit", 1, "overdue"),
            row("team-counter", 1, "ready"),
            row("team-baker", 0, "ready"),
        ]
    );
    // Started work is under way, not next.
    let (code, _, err) =
        run(roadmap(&dir).args(["start", "team-counter", "--as-of", "2026-08-10"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        next(&dir, &["--as-of", "2026-08-10"]),
        [
            row("shop-permit", 1, "overdue"),
            row("team-baker", 0, "ready")
        ]
    );
}

#[test]
fn the_table_and_markdown_say_what_else_is_going_on() {
    let (code, out, err) = run(roadmap(&example()).args(["next", "--as-of", "2026-07-01"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        " ID            Item                                         Owner  Due         Unblocks  State\n \
         team-counter  Counter: Hire and train three counter staff  Lena   2026-08-31         1  ready\n \
         team-baker    Kitchen: Hire a second head baker            Sam    2026-08-31         0  ready\n\
         \n\
         2 items to start · 0 started · 3 waiting · 1 blocked\n  \
         blocked: roadmap --dir examples/bakery items --state blocked\n"
    );
    let (code, md, err) =
        run(roadmap(&example()).args(["next", "--format", "markdown", "--as-of", "2026-07-01"]));
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("| ID "), "{md}");
    assert!(md.contains("| team-counter |"), "{md}");
    let (code, out, _) = run(roadmap(&example()).args(["next", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("Nothing can be started now.\n"), "{out}");
    let (code, _, err) =
        run(roadmap(&example()).args(["next", "--owner", "Sm", "--as-of", "2026-07-01"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `Sam`?"), "{err}");
}
