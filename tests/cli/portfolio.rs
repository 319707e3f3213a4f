//! `roadmap portfolio`: many plans in one view and one CI gate. Each row
//! agrees with what the member's own commands say; members come from
//! paths, a `portfolio.yaml` with globs, or both; a broken member is
//! reported with its diagnostics while the others are still shown.

use std::path::Path;
use std::process::Command;

use crate::{copy_dir, example, json, roadmap, run, seed};

/// `roadmap portfolio ARGS` run in `cwd`, plain and fixed-width.
fn portfolio(cwd: &Path) -> Command {
    let mut cmd = crate::roadmap_in(cwd);
    cmd.arg("portfolio");
    cmd
}

/// A company folder: the bakery under `teams/bakery/roadmap`, the bundled
/// plan under `teams/ai/roadmap`, and a stray `notes/` folder.
fn company() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example(), &tmp.path().join("teams/bakery/roadmap"));
    copy_dir(&seed(), &tmp.path().join("teams/ai/roadmap"));
    std::fs::create_dir_all(tmp.path().join("notes")).unwrap();
    tmp
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const DAY: &str = "2026-08-15";

#[test]
fn each_row_agrees_with_the_members_own_status_and_the_total_adds_up() {
    let t = company();
    let p = json(portfolio(t.path()).args([
        "teams/ai",
        "teams/bakery/roadmap",
        "--format",
        "json",
        "--as-of",
        DAY,
    ]));
    assert_eq!(p["schema_version"], 1);
    let members = p["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    let mut done = 0;
    let mut overdue = 0;
    for (row, dir) in members
        .iter()
        .zip(["teams/ai/roadmap", "teams/bakery/roadmap"])
    {
        let dir = t.path().join(dir);
        let s = json(roadmap(&dir).args(["status", "--format", "json", "--as-of", DAY]));
        assert_eq!(row["plan"], s["plan"]["name"]);
        assert_eq!(row["month"], s["month"]);
        assert_eq!(row["months"], s["plan"]["months"]);
        assert_eq!(row["phase"]["id"], s["phase"]["id"]);
        assert_eq!(row["items"]["done"], s["items"]["done"]);
        assert_eq!(row["items"]["overdue"], s["items"]["overdue"]);
        let risks = json(roadmap(&dir).args(["risks", "--format", "json", "--as-of", DAY]));
        let active = risks["risks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["active"] == true)
            .count();
        assert_eq!(row["risks"]["active"], active);
        let (code, _, _) = run(roadmap(&dir).args(["check", "--as-of", DAY]));
        assert_eq!(row["check_ok"], code == 0);
        done += row["items"]["done"].as_u64().unwrap();
        overdue += row["items"]["overdue"].as_u64().unwrap();
    }
    assert_eq!(p["total"]["items"]["done"], done);
    assert_eq!(p["total"]["items"]["overdue"], overdue);
    assert_eq!(p["total"]["members"], 2);
}

#[test]
fn a_config_with_a_glob_finds_every_team_and_only_them() {
    let t = company();
    write(
        t.path(),
        "portfolio.yaml",
        "name: Acme group\nmembers:\n  - teams/*/roadmap\n",
    );
    let p = json(portfolio(t.path()).args(["--format", "json", "--as-of", DAY]));
    assert_eq!(p["name"], "Acme group");
    let paths: Vec<&str> = p["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    // Sorted by name; `notes/` is no team.
    assert_eq!(paths, ["teams/ai/roadmap", "teams/bakery/roadmap"]);

    // A folder holding `roadmap/` will do, and `--config` finds the file
    // elsewhere, its members relative to it.
    write(t.path(), "ops/group.yaml", "members: ['../teams/*']\n");
    let p = json(portfolio(t.path()).args([
        "--config",
        "ops/group.yaml",
        "--format",
        "json",
        "--as-of",
        DAY,
    ]));
    assert_eq!(p["members"].as_array().unwrap().len(), 2);
    assert_eq!(p["broken"].as_array().unwrap().len(), 0);
}

#[test]
fn a_mistake_in_the_config_is_shown_at_its_line_with_the_fix() {
    let t = company();
    write(
        t.path(),
        "portfolio.yaml",
        "name: Acme\nmembres:\n  - teams/*\n",
    );
    let (code, _, err) = run(portfolio(t.path()).args(["--as-of", DAY]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("portfolio.yaml:2:1"), "{err}");
    assert!(err.contains("did you mean `members`?"), "{err}");

    write(t.path(), "portfolio.yaml", "members:\n  - team/*/roadmap\n");
    let (code, _, err) = run(portfolio(t.path()).args(["--as-of", DAY]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("portfolio.yaml:2:5"), "{err}");
    assert!(err.contains("matches no folder"), "{err}");
}

#[test]
fn a_broken_member_is_reported_and_the_others_still_shown() {
    let t = company();
    write(
        t.path(),
        "teams/zz/roadmap/roadmap.yaml",
        "name: Broken\nstart: 2026-13-01\nmonths: 6\n",
    );
    write(t.path(), "portfolio.yaml", "members: [teams/*]\n");
    for sub in [&[][..], &["check"][..]] {
        let (code, out, err) = run(portfolio(t.path()).args(sub).args(["--as-of", DAY]));
        assert_eq!(code, 2, "{sub:?}: {out}{err}");
        // The other members are in the table...
        assert!(out.contains("Crumb & Co."), "{out}");
        assert!(out.contains("1 member did not load"), "{out}");
        // ...and the broken one is named with where its problem is.
        assert!(out.contains("teams/zz/roadmap/roadmap.yaml:2:"), "{out}");
        assert!(err.contains("teams/zz/roadmap/roadmap.yaml:2:"), "{err}");
    }
    let (code, out, _) = run(portfolio(t.path()).args(["--format", "json", "--as-of", DAY]));
    assert_eq!(code, 2);
    let p: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(p["members"].as_array().unwrap().len(), 2);
    assert_eq!(p["broken"][0]["path"], "teams/zz/roadmap");
    assert_eq!(p["ok"], false);
}

#[test]
fn check_fails_exactly_when_a_member_check_fails() {
    let t = company();
    let members = ["teams/ai/roadmap", "teams/bakery/roadmap"];
    let mut seen = Vec::new();
    for day in ["2026-01-10", "2026-03-15", DAY, "2028-02-01"] {
        let any_fails = members.iter().any(|m| {
            let (code, _, err) = run(roadmap(&t.path().join(m)).args(["check", "--as-of", day]));
            assert!(code <= 1, "{err}");
            code == 1
        });
        let (code, out, err) =
            run(portfolio(t.path()).args(["check", "teams/ai", "teams/bakery", "--as-of", day]));
        assert_eq!(code, i32::from(any_fails), "{day}: {out}{err}");
        // Plain `portfolio` shows; it never fails.
        let (code, _, _) =
            run(portfolio(t.path()).args(["teams/ai", "teams/bakery", "--as-of", day]));
        assert_eq!(code, 0);
        seen.push(any_fails);
    }
    // The dates cover both a passing and a failing portfolio.
    assert!(seen.contains(&true) && seen.contains(&false), "{seen:?}");
}

#[test]
fn check_annotates_the_members_files_ranked_and_capped_together() {
    let t = company();
    let (code, _, err) = run(portfolio(t.path()).env("GITHUB_ACTIONS", "true").args([
        "check",
        "teams/ai",
        "teams/bakery",
        "--as-of",
        DAY,
    ]));
    assert_eq!(code, 1, "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("::error ")).collect();
    assert!(!errors.is_empty(), "{err}");
    // GitHub's cap is per step, so it holds for the portfolio as a whole.
    assert!(errors.len() <= 10, "{err}");
    for e in &errors {
        assert!(e.contains("file=teams/"), "{e}");
    }
    // Each title names its plan.
    assert!(
        errors
            .iter()
            .any(|e| e.contains("title=Crumb & Co. second shop%3A")),
        "{err}"
    );
}

#[test]
fn the_table_fits_80_columns_and_markdown_has_the_same_rows() {
    let t = company();
    let (code, out, err) =
        run(portfolio(t.path()).args(["teams/ai", "teams/bakery", "--as-of", DAY]));
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "{line}\n{out}"
        );
    }
    assert!(out.contains("Total"), "{out}");
    let (code, md, _) = run(portfolio(t.path()).args([
        "teams/ai",
        "teams/bakery",
        "--format",
        "markdown",
        "--as-of",
        DAY,
    ]));
    assert_eq!(code, 0);
    assert!(
        md.starts_with("## Portfolio as of 2026-08-15: 2 plans"),
        "{md}"
    );
    assert!(md.contains("| Crumb & Co. second shop "), "{md}");
}

#[test]
fn without_members_it_is_a_portfolio_of_the_plan_found() {
    let (code, out, err) = run(roadmap(&example()).args(["portfolio", "--as-of", DAY]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 plan"), "{out}");
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = run(portfolio(empty.path()).args(["--as-of", DAY]));
    assert_eq!(code, 2);
    assert!(err.contains("no members"), "{err}");
}

/// Record `values` in the member at `dir` on `date`, through the real
/// command.
fn record(dir: &Path, date: &str, values: &[String]) {
    let (code, _, err) = run(roadmap(dir)
        .args(["record", "--on", date, "--as-of", date])
        .args(values));
    assert_eq!(code, 0, "record {values:?}: {err}");
}

/// Where `needle` first is in `text`: `line:col`, 1-based.
fn at(text: &str, needle: &str) -> String {
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, c + 1)))
        .unwrap_or_else(|| panic!("no `{needle}` in\n{text}"));
    format!("{line}:{col}")
}

/// A day when both members' own checks pass, so that only the company
/// KPIs decide `portfolio check`.
const EARLY: &str = "2026-03-15";

/// The values of the company tests: (member, metric, day, value). Each
/// member's newest value by `EARLY` is its current one; the bakery counts
/// customers a day, the AI plan in all.
const VALUES: &[(&str, &str, &str, f64)] = &[
    ("teams/ai/roadmap", "customers", "2026-03-01", 10.0),
    ("teams/ai/roadmap", "customers", "2026-03-14", 45.0),
    ("teams/ai/roadmap", "revenue", "2026-03-15", 30_000.0),
    ("teams/bakery/roadmap", "customers", "2026-03-15", 120.0),
    ("teams/bakery/roadmap", "revenue", "2026-03-15", 2_500.0),
];

/// The company with [`VALUES`] recorded in its members.
fn company_with_values() -> tempfile::TempDir {
    let t = company();
    for (member, metric, day, value) in VALUES {
        record(&t.path().join(member), day, &[format!("{metric}={value}")]);
    }
    t
}

/// Each member's current value of `metric` as of `EARLY` (its newest; the
/// values are in date order), in member order.
fn current(metric: &str) -> Vec<f64> {
    let mut members: Vec<(&str, f64)> = Vec::new();
    for &(member, _, _, value) in VALUES.iter().filter(|v| v.1 == metric) {
        match members.iter_mut().find(|(other, _)| *other == member) {
            Some(newest) => newest.1 = value,
            None => members.push((member, value)),
        }
    }
    members.into_iter().map(|(_, v)| v).collect()
}

fn usd(value: f64) -> String {
    roadmap::model::quantity::format_value(value, roadmap::model::quantity::Unit::Usd)
}

#[test]
fn company_kpis_combine_each_members_current_value() {
    let t = company_with_values();
    let config = "members: [teams/*]\nkpis:\n  - metric: revenue\n    op: sum\n    \
                  target: \">= $20K\"\n  - metric: customers\n    op: avg\n  \
                  - metric: customers\n    op: min\n    target: 100+\n  \
                  - {metric: customers, op: max, name: Busiest}\n";
    write(t.path(), "portfolio.yaml", config);
    let p = json(portfolio(t.path()).args(["--format", "json", "--as-of", EARLY]));
    let kpis = p["company_kpis"].as_array().unwrap();
    let ids: Vec<&str> = kpis.iter().map(|k| k["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "revenue_sum",
            "customers_average",
            "customers_min",
            "customers_max"
        ]
    );
    let revenue = current("revenue");
    let customers = current("customers");
    assert_eq!(customers.len(), 2, "the older AI value is not current");
    let sum: f64 = revenue.iter().sum();
    let avg = customers.iter().sum::<f64>() / customers.len() as f64;
    let min = customers.iter().copied().fold(f64::INFINITY, f64::min);
    let max = customers.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (k, want) in kpis.iter().zip([sum, avg, min, max]) {
        assert_eq!(k["value"].as_f64(), Some(want), "{k:#}");
        assert_eq!(k["reporting"], 2, "{k:#}");
        assert_eq!(k["members"], 2, "{k:#}");
    }
    // Judged like a plan's targets: `>= $20K` against the sum, `100+`
    // against the smallest; no target, no verdict.
    let verdict = |met: bool| if met { "met" } else { "unmet" };
    assert_eq!(kpis[0]["verdict"], verdict(sum >= 20_000.0));
    assert_eq!(kpis[0]["unit"], "usd");
    assert_eq!(kpis[0]["target"], ">= $20K");
    assert!(kpis[1]["verdict"].is_null());
    assert_eq!(kpis[2]["verdict"], verdict(min >= 100.0));
    assert_eq!(kpis[3]["name"], "Busiest");
    // Each member's contribution, in member order.
    let values: Vec<f64> = kpis[2]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, customers);
    assert_eq!(
        p["ok"],
        kpis[2]["verdict"] != "unmet" && kpis[0]["verdict"] != "unmet"
    );

    // The table shows them under the members, within 80 columns, and
    // Markdown as a table of its own.
    let (code, out, err) = run(portfolio(t.path()).args(["--as-of", EARLY]));
    assert_eq!(code, 0, "{err}");
    let below = &out[out.find("Company KPIs").expect(&out)..];
    assert!(below.contains("sum of revenue"), "{out}");
    assert!(below.contains("Busiest"), "{out}");
    assert!(below.contains("2 of 2"), "{out}");
    for line in out.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "{line}\n{out}"
        );
    }
    let (_, md, _) = run(portfolio(t.path()).args(["--format", "markdown", "--as-of", EARLY]));
    assert!(md.contains("### Company KPIs\n\n| KPI "), "{md}");
    assert!(md.contains("| Busiest "), "{md}");
}

#[test]
fn an_unmet_company_target_fails_check_and_no_data_does_not() {
    let t = company_with_values();
    let sum: f64 = current("revenue").iter().sum();
    let members = "members: [teams/*]\n";
    write(t.path(), "portfolio.yaml", members);
    let (code, _, err) = run(portfolio(t.path()).args(["check", "--as-of", EARLY]));
    assert_eq!(code, 0, "the members pass on their own: {err}");

    // A target the sum misses: exit 1, and the summary says why.
    let missed = format!(
        "{members}kpis:\n  - metric: revenue\n    op: sum\n    target: \">= {}\"\n",
        sum * 2.0
    );
    write(t.path(), "portfolio.yaml", &missed);
    let (code, out, err) = run(portfolio(t.path()).args(["check", "--as-of", EARLY]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("1 company KPI unmet"), "{out}");
    let why = format!(
        "✗ Company KPI sum of revenue is {}, target >= {} (2 of 2 members",
        usd(sum),
        usd(sum * 2.0)
    );
    assert!(out.contains(&why), "{out}");
    let (code, out, _) =
        run(portfolio(t.path()).args(["check", "--format", "json", "--as-of", EARLY]));
    assert_eq!(code, 1);
    let p: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(p["ok"], false);
    assert_eq!(p["company_kpis"][0]["verdict"], "unmet");
    // Plain `portfolio` shows it and does not fail.
    let (code, _, _) = run(portfolio(t.path()).args(["--as-of", EARLY]));
    assert_eq!(code, 0);
    // Under GitHub Actions, an error annotation on the KPI's line.
    let (code, _, err) = run(portfolio(t.path())
        .env("GITHUB_ACTIONS", "true")
        .args(["check", "--as-of", EARLY]));
    assert_eq!(code, 1);
    let (line, col) = at(&missed, "metric: revenue")
        .split_once(':')
        .map(|(l, c)| (l.to_string(), c.to_string()))
        .unwrap();
    let annotation = format!(
        "::error file=portfolio.yaml,line={line},col={col},title=Company KPI sum of revenue::"
    );
    assert!(err.contains(&annotation), "{err}");

    // Inside a warning band it only warns.
    let band = missed.replace(
        "\n    target:",
        &format!("\n    warn: \">= {}\"\n    target:", sum / 2.0),
    );
    write(t.path(), "portfolio.yaml", &band);
    let (code, out, err) = run(portfolio(t.path()).args(["check", "--as-of", EARLY]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("! warn"), "{out}");

    // Five days on, every value is stale (both are daily metrics): no
    // member reports, which is no failure.
    let later = "2026-03-20";
    write(t.path(), "portfolio.yaml", &missed);
    let (code, _, _) = run(portfolio(t.path()).args(["check", "--as-of", later]));
    assert_eq!(code, 0);
    let p = json(portfolio(t.path()).args(["check", "--format", "json", "--as-of", later]));
    let k = &p["company_kpis"][0];
    assert_eq!(k["verdict"], "stale");
    assert_eq!((&k["reporting"], &k["stale"]), (&0.into(), &2.into()));
    assert!(k["value"].is_null());

    // Nothing recorded at all: no data, no failure.
    let fresh = company();
    write(fresh.path(), "portfolio.yaml", &missed);
    let (code, out, err) = run(portfolio(fresh.path()).args(["check", "--as-of", EARLY]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no data"), "{out}");
    assert!(out.contains("0 of 2"), "{out}");
}

#[test]
fn a_metric_the_members_do_not_define_is_shown_at_its_line() {
    let t = company();
    let config = "members: [teams/*]\nkpis:\n  - metric: revnue\n    op: sum\n";
    write(t.path(), "portfolio.yaml", config);
    let (code, out, err) = run(portfolio(t.path()).args(["--as-of", DAY]));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    let said = format!(
        "portfolio.yaml:{}: no member defines metric `revnue`",
        at(config, "revnue")
    );
    assert!(err.contains(&said), "{err}");
    assert!(err.contains("did you mean `revenue`?"), "{err}");

    // One the bakery has and the AI plan has not.
    let config = "members: [teams/*]\nkpis:\n  - metric: waste\n    op: max\n";
    write(t.path(), "portfolio.yaml", config);
    let (code, _, err) = run(portfolio(t.path()).args(["check", "--as-of", DAY]));
    assert_eq!(code, 2, "{err}");
    let said = format!(
        "portfolio.yaml:{}: metric `waste` is not defined by teams/ai/roadmap (of 2 members)",
        at(config, "waste")
    );
    assert!(err.contains(&said), "{err}");

    // An op that is none.
    let config = "members: [teams/*]\nkpis:\n  - metric: revenue\n    op: mean\n";
    write(t.path(), "portfolio.yaml", config);
    let (code, _, err) = run(portfolio(t.path()).args(["--as-of", DAY]));
    assert_eq!(code, 2);
    let said = format!(
        "portfolio.yaml:{}: `mean` is not a valid `op`",
        at(config, "mean")
    );
    assert!(err.contains(&said), "{err}");
    assert!(err.contains("sum, average, avg, min, max"), "{err}");
}

#[test]
fn members_that_measure_a_metric_in_different_units_are_refused() {
    let t = company();
    // A third team, started with `roadmap init`, counts customers as a
    // share of its market.
    let new = t.path().join("teams/new/roadmap");
    let (code, _, err) = run(Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .arg("init")
        .arg(&new));
    assert_eq!(code, 0, "{err}");
    let kpis = std::fs::read_to_string(new.join("kpis.yaml")).unwrap();
    assert!(kpis.contains("id: customers"));
    write(
        &new,
        "kpis.yaml",
        &kpis.replacen("unit: count", "unit: percent", 1),
    );
    let config = "members: [teams/*]\nkpis:\n  - metric: customers\n    op: sum\n";
    write(t.path(), "portfolio.yaml", config);
    let (code, out, err) = run(portfolio(t.path()).args(["--as-of", DAY]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    let said = format!(
        "portfolio.yaml:{}: the members measure `customers` in different units: count \
         (teams/ai/roadmap and teams/bakery/roadmap), percent (teams/new/roadmap)",
        at(config, "customers")
    );
    assert!(err.contains(&said), "{err}");
}

/// The section of `html` from the start tag `open` to the end tag `close`
/// after it.
fn part<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let from = html.find(open).unwrap_or_else(|| panic!("no {open}"));
    let rest = &html[from..];
    &rest[..rest
        .find(close)
        .unwrap_or_else(|| panic!("no {close} after {open}"))]
}

#[test]
fn the_report_page_shows_every_member_and_the_total_in_a_browser() {
    if crate::browser::chromium().is_none() {
        return;
    }
    let t = company_with_values();
    // Text from a plan and from portfolio.yaml that tries to be markup.
    let hostile = r#""<script>alert(1)</script> & <img src=x onerror=alert(2)> \"q\" 'a'""#;
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x \
                   onerror=alert(2)&gt; &quot;q&quot; &#39;a&#39;";
    let plan = t.path().join("teams/bakery/roadmap/roadmap.yaml");
    let yaml = std::fs::read_to_string(&plan).unwrap();
    let yaml = yaml.replace("name: Crumb & Co. second shop", &format!("name: {hostile}"));
    std::fs::write(&plan, yaml).unwrap();
    let config = format!(
        "name: {hostile}\nmembers: [teams/*]\nkpis:\n  - metric: revenue\n    op: sum\n    \
         target: \">= $20K\"\n    name: {hostile}\n  - metric: customers\n    op: min\n"
    );
    write(t.path(), "portfolio.yaml", &config);
    let (code, said, err) =
        run(portfolio(t.path()).args(["--report", "--out", "page.html", "--as-of", EARLY]));
    assert_eq!(code, 0, "{err}");
    assert!(said.starts_with("wrote page.html: 2 plans, "), "{said}");
    let page = t.path().join("page.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    // The portfolio's name, the plan's and the KPI's, each as text.
    assert!(html.contains(&format!("<h1>{escaped}</h1>")), "{html}");
    assert!(
        html.contains(&format!(
            "<th scope=\"row\">{escaped}<br><code>teams/bakery/"
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<th scope=\"row\">{escaped} <code>revenue_sum</code>"
        )),
        "{html}"
    );
    assert!(
        html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"")
    );

    let (dom, console) = crate::browser::browse(&page, &[]);
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(crate::browser::tags(&dom, "script").is_empty());
    assert!(crate::browser::tags(&dom, "img").is_empty());
    // A row per member, in the JSON's order, and the total under them.
    let p = json(portfolio(t.path()).args(["--format", "json", "--as-of", EARLY]));
    let members = p["members"].as_array().unwrap();
    let plans = part(&dom, "<table class=\"plans\">", "</table>");
    let body = part(plans, "<tbody>", "</tbody>");
    let rows: Vec<&str> = body.split("<tr").skip(1).collect();
    assert_eq!(rows.len(), members.len(), "{plans}");
    for (row, m) in rows.iter().zip(members) {
        let path = m["path"].as_str().unwrap();
        assert!(row.contains(&format!("<code>{path}</code>")), "{row}");
        let done = format!("{}/{}", m["items"]["done"], m["items"]["total"]);
        assert!(row.contains(&done), "{row}");
    }
    let total = part(plans, "<tfoot>", "</tfoot>");
    assert!(total.contains("Total"), "{total}");
    let t_items = &p["total"]["items"];
    assert!(
        total.contains(&format!("{}/{}", t_items["done"], t_items["total"])),
        "{total}"
    );
    // The company KPIs, a row each, with their values.
    let company = part(&dom, "<table class=\"targets company\">", "</table>");
    let body = part(company, "<tbody>", "</tbody>");
    assert_eq!(body.split("<tr").count() - 1, 2, "{company}");
    assert!(
        body.contains(&usd(current("revenue").iter().sum())),
        "{body}"
    );
    // The browser keeps the markup as text: `<` written back as `&lt;`.
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{body}"
    );
}

#[test]
fn the_report_is_written_whole_and_only_when_every_member_loaded() {
    let t = company_with_values();
    write(t.path(), "portfolio.yaml", "members: [teams/*]\n");
    let report =
        |out: &str| run(portfolio(t.path()).args(["--report", "--out", out, "--as-of", EARLY]));
    // Replaced whole, as `report --out` replaces its page.
    write(t.path(), "out/page.html", "old");
    let (code, _, err) = report("out/page.html");
    assert_eq!(code, 0, "{err}");
    let (code, printed, _) = report("-");
    assert_eq!(code, 0);
    assert!(printed.starts_with("<!DOCTYPE html>\n"));
    let written = std::fs::read_to_string(t.path().join("out/page.html")).unwrap();
    assert_eq!(written, printed);
    let names: Vec<_> = std::fs::read_dir(t.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["page.html"]);

    // The same bad paths are refused.
    let (code, out, err) = report("no/such/folder/page.html");
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("there is no folder"), "{err}");
    assert!(!t.path().join("no").exists());
    // Without `--out`, as `report` without it.
    let (code, _, err) = run(portfolio(t.path()).args(["--report", "--as-of", EARLY]));
    assert_eq!(code, 2);
    assert!(err.contains("--out <FILE>"), "{err}");

    // A member that does not load: the command fails, so it writes no
    // file; `--out -` still prints the page, which says what is wrong.
    write(
        t.path(),
        "teams/zz/roadmap/roadmap.yaml",
        "name: Broken\nstart: 2026-13-01\nmonths: 6\n",
    );
    let (code, _, err) = report("out/new.html");
    assert_eq!(code, 2);
    assert!(
        err.contains("out/new.html not written: 1 member did not load"),
        "{err}"
    );
    assert!(!t.path().join("out/new.html").exists());
    let (code, page, _) = report("-");
    assert_eq!(code, 2);
    assert!(page.contains("Plans that did not load (1)"), "{page}");
    assert!(page.contains("teams/zz/roadmap/roadmap.yaml:2:"), "{page}");
}
