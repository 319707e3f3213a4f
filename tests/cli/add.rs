//! `roadmap add`: the exact lines it writes in each style of track file
//! (block, indentless, flow, CRLF, no final newline) and on the bakery,
//! the ids it derives, and the refusals that change nothing.

use crate::edit::{contents, copy_roadmap};
use crate::{example, fixture, json, roadmap, run};

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn add_writes_one_block_of_lines_in_each_files_style() {
    let (_tmp, dir) = copy_roadmap(&fixture("edit/styles"));
    let before = |name: &str| read(&fixture("edit/styles").join(name));
    let add = |args: &[&str]| {
        let (code, out, err) = run(roadmap(&dir).arg("add").args(args));
        assert_eq!(code, 0, "{err}");
        out
    };
    // Indentless block list in roadmap.yaml: dash at 4, keys at 6.
    let out = add(&[
        "general",
        "Plain title",
        "--area",
        "equipo",
        "--months",
        "1-3",
    ]);
    assert!(
        out.contains("general-plain-title added to general"),
        "{out}"
    );
    assert_eq!(
        read(&dir.join("roadmap.yaml")),
        before("roadmap.yaml")
            + "    - id: general-plain-title\n      area: Equipo\n      title: Plain title\n"
    );
    // Indented block list whose file has no final newline: the last line
    // gets one, the new last line goes without, as the file did. `: `
    // in the title is quoted; the area keeps the plan's spelling.
    add(&[
        "styles",
        "Nuevo: diseño",
        "--area",
        "web",
        "--months",
        "4-6",
    ]);
    assert_eq!(
        read(&dir.join("styles.yaml")),
        before("styles.yaml")
            + "\n          - id: styles-nuevo-diseno\n            area: Web\n            title: \"Nuevo: diseño\""
    );
    // A flow item last, CRLF line ends: a flow item, with `after` as a flow
    // list, and a comma in the title quoted.
    add(&[
        "windows",
        "Win, item",
        "--area",
        "Ops",
        "--months",
        "1-6",
        "--after",
        "crlf",
        "--id",
        "win",
    ]);
    assert_eq!(
        read(&dir.join("windows.yaml")),
        before("windows.yaml")
            + "          - {id: win, area: Ops, title: \"Win, item\", after: [crlf]}\r\n"
    );
    let (code, _, err) = run(roadmap(&dir).args(["validate", "--as-of", "2026-02-01"]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn add_on_the_bakery_goes_in_the_tracks_own_file_and_waits_on_its_dependencies() {
    let (_tmp, dir) = copy_roadmap(&example());
    let plan = read(&dir.join("roadmap.yaml"));
    let team = read(&dir.join("team.yaml"));
    let (code, out, err) = run(roadmap(&dir).args([
        "add",
        "team",
        "Write the shop manager's handbook",
        "--area",
        "Management",
        "--months",
        "7-9",
        "--owner",
        "marta",
        "--after",
        "team-manager,shop-opening",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("team-write-the-shop-manager-s-handbook added to team, months 7-9"),
        "{out}"
    );
    assert_eq!(read(&dir.join("roadmap.yaml")), plan);
    assert_eq!(
        read(&dir.join("team.yaml")),
        team + "          - id: team-write-the-shop-manager-s-handbook\n            area: Management\n            title: Write the shop manager's handbook\n            owner: Marta\n            after: [team-manager, shop-opening]\n"
    );
    let v = json(roadmap(&dir).args([
        "items",
        "--state",
        "waiting",
        "--format",
        "json",
        "--as-of",
        "2026-04-01",
    ]));
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"team-write-the-shop-manager-s-handbook"),
        "{v}"
    );
    // The same title again gets an id of its own.
    let (code, out, err) = run(roadmap(&dir).args([
        "add",
        "team",
        "Write the shop manager's handbook",
        "--area",
        "Management",
        "--months",
        "7-9",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("team-write-the-shop-manager-s-handbook-2 added"),
        "{out}"
    );
}

#[test]
fn add_refuses_what_it_cannot_place_with_a_did_you_mean_and_changes_nothing() {
    let (_tmp, dir) = copy_roadmap(&example());
    let before = contents(&dir);
    for (args, want) in [
        (
            vec!["shp", "X", "--area", "A", "--months", "4-5"],
            "did you mean `shop`?",
        ),
        (
            vec!["shop", "X", "--area", "A", "--months", "4-6"],
            "did you mean `--months 4-5`?",
        ),
        (
            vec![
                "shop",
                "X",
                "--area",
                "A",
                "--months",
                "4-5",
                "--after",
                "shop-permt",
            ],
            "did you mean `shop-permit`?",
        ),
        (
            vec![
                "shop", "X", "--area", "A", "--months", "4-5", "--owner", "Lenna",
            ],
            "did you mean `Lena`?",
        ),
        (
            vec![
                "shop",
                "X",
                "--area",
                "A",
                "--months",
                "4-5",
                "--id",
                "shop-oven",
            ],
            "e.g. `shop-oven-2`",
        ),
        (
            vec![
                "shop",
                "X",
                "--area",
                "A",
                "--months",
                "4-5",
                "--id",
                "Shop Oven",
            ],
            "e.g. `shop-oven`",
        ),
        (
            vec!["shop", " ", "--area", "A", "--months", "4-5"],
            "the title is empty",
        ),
        (
            vec!["shop", "X", "--area", "A", "--months", "5-4"],
            "--months",
        ),
    ] {
        let (code, _, err) = run(roadmap(&dir).arg("add").args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(contents(&dir), before, "{args:?}");
    }
}
