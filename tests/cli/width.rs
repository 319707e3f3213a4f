//! Tables measured in terminal columns: a plan whose names hold CJK and
//! emoji (two columns a character) keeps every line within the width and
//! every column starting at the same column; the right columns give way
//! (optional ones, ids, the plan's prose) before titles and metric names
//! do; and the caret under an error lands under its token after wide
//! characters and tabs.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::{example, fixture, json, roadmap, run, seed};

/// The plan with CJK and emoji in its names, areas, titles and metrics.
fn wide() -> std::path::PathBuf {
    fixture("wide")
}

/// stdout of `command` on `dir` at `columns`, which must succeed.
fn output(dir: &Path, columns: u32, command: &[&str]) -> String {
    let (code, out, err) = run(roadmap(dir)
        .env("COLUMNS", columns.to_string())
        .args(command));
    assert_eq!(code, 0, "{command:?}: {err}");
    out
}

/// Every line at most `columns` terminal columns wide.
fn assert_fits(out: &str, columns: usize, what: &str) {
    for line in out.lines() {
        assert!(
            line.width() <= columns,
            "{what}: {} columns, more than {columns}: {line}\n{out}",
            line.width()
        );
    }
}

/// The cells of a table line, each with the terminal columns it starts
/// and ends at: cells are separated by two spaces or more.
fn cells(line: &str) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut col = 0;
    let mut spaces = 0;
    for c in line.chars() {
        if c == ' ' {
            spaces += 1;
        } else {
            match out.last_mut() {
                // One space inside a cell.
                Some((_, end, text)) if spaces == 1 && *end > 0 => {
                    text.push(' ');
                    text.push(c);
                    *end = col + c.width().unwrap_or(0);
                }
                Some((_, end, text)) if spaces == 0 => {
                    text.push(c);
                    *end = col + c.width().unwrap_or(0);
                }
                _ => out.push((col, col + c.width().unwrap_or(0), c.to_string())),
            }
            spaces = 0;
        }
        col += c.width().unwrap_or(0);
    }
    out
}

/// The tables of `out`: a line starting with one space (then text) after
/// a line that is not in a table, and the lines after it that start with
/// a space.
fn tables(out: &str) -> Vec<Vec<&str>> {
    let mut tables: Vec<Vec<&str>> = Vec::new();
    let mut in_table = false;
    for line in out.lines() {
        let row = line.starts_with(' ') && !line.trim().is_empty();
        if row && in_table {
            if let Some(t) = tables.last_mut() {
                t.push(line);
            }
        } else if row && !line.starts_with("  ") {
            tables.push(vec![line]);
            in_table = true;
        } else {
            in_table = false;
        }
    }
    tables
}

/// Every cell of every row starts where a column starts, or (a number,
/// right-aligned, or the second half of a padded "done/total") ends where
/// one ends: nothing is pushed sideways by a wide character.
fn assert_aligned(out: &str, what: &str) {
    let tables = tables(out);
    assert!(!tables.is_empty(), "{what}: no table in\n{out}");
    for table in tables {
        let header = cells(table[0]);
        let starts: Vec<usize> = header.iter().map(|h| h.0).collect();
        // A column ends two columns before the next starts, or where its
        // header ends (a right-aligned last column).
        let mut ends: Vec<usize> = starts.iter().skip(1).map(|s| s - 2).collect();
        ends.extend(header.iter().map(|h| h.1));
        for row in &table[1..] {
            for (start, end, text) in cells(row) {
                // The as-of marker above the timeline's bars.
                if text == "▼" {
                    continue;
                }
                assert!(
                    starts.contains(&start) || ends.contains(&end),
                    "{what}: `{text}` at columns {start}-{end} is out of line \
                     with the header ({starts:?}):\n{}\n{row}",
                    table[0]
                );
            }
        }
    }
}

#[test]
fn wide_characters_stay_within_80_columns_and_aligned() {
    for command in ["items", "status", "kpis", "timeline"] {
        let out = output(&wide(), 80, &[command, "--as-of", "2026-03-15"]);
        assert_fits(&out, 80, command);
        assert_aligned(&out, command);
    }
    // The cases the alignment is about are there: a wide title shown
    // whole, and one cut without splitting a character.
    let items = output(&wide(), 80, &["items", "--as-of", "2026-03-15"]);
    assert!(
        items.contains(" 物业 🏠: 签署磨坊街14号的租约并…  "),
        "{items}"
    );
    assert!(items.contains(" Legal 📋: 通过卫生检查 ✅  "), "{items}");
    let status = output(&wide(), 100, &["status", "--as-of", "2026-03-15"]);
    assert!(
        status.contains(" 签署磨坊街14号的租约并完成全部装修工程  "),
        "{status}"
    );
}

#[test]
fn wide_characters_stay_aligned_on_narrow_terminals_too() {
    for columns in [100, 72, 60] {
        for command in ["items", "status", "kpis"] {
            let out = output(&wide(), columns, &[command, "--as-of", "2026-03-15"]);
            assert_fits(&out, columns as usize, command);
            assert_aligned(&out, command);
        }
    }
}

/// The terminal columns each header of the table starting with `first`
/// starts at, by name.
fn header<'a>(out: &'a str, first: &str) -> (Vec<(usize, usize, String)>, Vec<&'a str>) {
    let table = tables(out)
        .into_iter()
        .find(|t| t[0].trim_start().starts_with(first))
        .unwrap_or_else(|| panic!("no table headed {first} in\n{out}"));
    (cells(table[0]), table[1..].to_vec())
}

fn column(header: &[(usize, usize, String)], name: &str) -> usize {
    header
        .iter()
        .position(|h| h.2 == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn ids_give_way_before_titles_do() {
    // Titles were cut to 14 characters here while ids kept 28.
    let out = output(&seed(), 80, &["items", "--as-of", "2026-08-15"]);
    assert_fits(&out, 80, "items");
    let (head, rows) = header(&out, "ID");
    let (id, item) = (column(&head, "ID"), column(&head, "Item"));
    let id_width = head[item].0 - head[id].0 - 2;
    let item_width = head[item + 1].0 - head[item].0 - 2;
    let widest_id = rows.iter().map(|r| cells(r)[id].2.width()).max().unwrap();
    let cut_titles = rows.iter().filter(|r| cells(r)[item].2.ends_with('…'));
    assert!(
        cut_titles.count() > 0,
        "no title is cut, the test says nothing"
    );
    // Titles are cut, so they keep a comfortable width, and the id column
    // is no wider than its widest id.
    assert!(item_width >= 32, "titles get {item_width} columns:\n{out}");
    assert!(id_width <= widest_id, "{id_width} > {widest_id}");
    // Where ids are cut, titles are at their comfortable width, no wider.
    if rows.iter().any(|r| cells(r)[id].2.ends_with('…')) {
        assert_eq!(item_width, 32, "{out}");
    }
}

/// The names of the targets `kpis` lists, from its JSON.
fn target_names(dir: &Path, as_of: &str) -> Vec<String> {
    let v = json(roadmap(dir).args(["kpis", "--format", "json", "--as-of", as_of]));
    v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn metric_names_stay_whole_and_the_plans_prose_gives_way() {
    for (dir, as_of) in [(example(), "2026-07-12"), (seed(), "2026-08-15")] {
        let out = output(&dir, 80, &["kpis", "--as-of", as_of]);
        assert_fits(&out, 80, "kpis");
        for name in target_names(&dir, as_of) {
            assert!(
                out.lines().any(|l| l.starts_with(&format!(" {name}"))),
                "`{name}` is cut in\n{out}"
            );
        }
    }
    // The bakery's standing targets: the metric is whole, the qualitative
    // target is cut, the numeric ones are not.
    let out = output(&example(), 80, &["kpis", "--as-of", "2026-07-12"]);
    assert!(out.contains(" Unsold bread  "), "{out}");
    assert!(out.contains(" 12% → < 8%  "), "{out}");
    assert!(out.contains(" Regulars say the new shop"), "{out}");
    assert!(!out.contains("feels like the old one"), "{out}");
}

#[test]
fn status_fits_60_columns_by_dropping_columns() {
    for (dir, as_of) in [
        (seed(), "2026-08-15"),
        (example(), "2026-07-12"),
        (wide(), "2026-03-15"),
    ] {
        let out = output(&dir, 60, &["status", "--as-of", as_of]);
        assert_fits(&out, 60, "status");
        assert_aligned(&out, "status");
        let (head, rows) = header(&out, "Phase");
        let names: Vec<&str> = head.iter().map(|h| h.2.as_str()).collect();
        for kept in ["Phase", "Items", "Gate"] {
            assert!(names.contains(&kept), "no {kept} in {names:?}:\n{out}");
        }
        // Not wrapped: a row per phase, each with its gate.
        let phases =
            json(roadmap(&dir).args(["status", "--format", "json", "--as-of", as_of]))["phases"]
                .as_array()
                .unwrap()
                .len();
        assert_eq!(rows.len(), phases, "{out}");
    }
    // The seed's phase names are whole: other columns went first.
    let out = output(&seed(), 60, &["status", "--as-of", "2026-08-15"]);
    assert!(out.contains(" Fase 3: Escalamiento  "), "{out}");
}

#[test]
fn the_caret_lands_under_the_token_after_wide_characters_and_a_tab() {
    let dir = fixture("wide-invalid");
    let (code, _, err) = run(roadmap(&dir).arg("validate"));
    assert_eq!(code, 2, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("`monts`"))
        .expect("the unknown key is reported");
    // `file:line:col` counts characters, as YAML does.
    assert!(lines[at].contains("roadmap.yaml:14:55:"), "{err}");
    let (excerpt, carets) = (lines[at + 2], lines[at + 3]);
    let column_of = |line: &str, needle: &str| line[..line.find(needle).unwrap()].width();
    assert_eq!(
        column_of(carets, "^^^^^"),
        column_of(excerpt, "monts"),
        "\n{excerpt}\n{carets}"
    );
    assert!(!carets.contains("^^^^^^"), "{carets}");
    assert!(excerpt.chars().all(|c| !c.is_control()), "{excerpt:?}");
    assert_cmd_snapshot!(roadmap(&dir).arg("validate"));
}

#[test]
fn the_portfolio_and_its_company_kpis_stay_aligned_with_wide_names() {
    let tmp = tempfile::tempdir().unwrap();
    let (wide_plan, bakery) = (tmp.path().join("wide"), tmp.path().join("bakery"));
    crate::copy_dir(&wide(), &wide_plan);
    crate::copy_dir(&example(), &bakery);
    // The wide plan has the fewest customers, so its name is shown as
    // the member the minimum comes from.
    for (dir, value) in [(&wide_plan, "80"), (&bakery, "120")] {
        let (code, _, err) = run(roadmap(dir).args([
            "record",
            &format!("customers={value}"),
            "--as-of",
            "2026-03-15",
        ]));
        assert_eq!(code, 0, "{err}");
    }
    let config = tmp.path().join("portfolio.yaml");
    std::fs::write(
        &config,
        "members: [wide, bakery]\nkpis:\n  - {metric: customers, op: min, name: 每日顾客 👥 最少, \
         target: 100+}\n  - {metric: waste, op: max, target: '< 8%'}\n",
    )
    .unwrap();
    let config = config.display().to_string();
    // (The member table needs 62 columns at the least.)
    for columns in [100, 80, 72] {
        let out = output(
            &wide(),
            columns,
            &["portfolio", "--config", &config, "--as-of", "2026-03-15"],
        );
        assert_fits(&out, columns as usize, "portfolio");
        assert_aligned(&out, "portfolio");
        assert!(out.contains("Company KPIs"), "{out}");
    }
    let out = output(
        &wide(),
        100,
        &["portfolio", "--config", &config, "--as-of", "2026-03-15"],
    );
    assert!(out.contains(" 每日顾客 👥 最少  "), "{out}");
    assert!(out.contains(" 新店开业计划 🚀 Second shop"), "{out}");
}
