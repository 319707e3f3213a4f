//! Every `--format markdown` report renders on GitHub as meant and stays
//! within GitHub's limits. The reports are those of every command that has
//! the format, on the bundled plan, the bakery and the bundled plan with a
//! recorded history, at the start, middle and end of each (and `diff`
//! against the last commit of a scratch repository holding each):
//!
//! - rendered by a GFM renderer (comrak), each table has as many rows as
//!   the report has (the JSON's count, where a report is one list) and as
//!   the Markdown writes, so no line is swallowed as a stray row;
//! - markdownlint-cli2 passes them with the committed configuration
//!   (`tests/markdownlint/`; installed by its `install.sh`, which CI runs:
//!   under `CI=true` a missing markdownlint-cli2 fails the test, elsewhere
//!   it is skipped);
//! - on a generated 100k-item plan, each stays well under the 1 MiB GitHub
//!   accepts in a step summary, and says what it left out.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::{copy_dir, done_phase, json, roadmap, root, run, seed};

/// The reports each plan is asked for, each with `--format markdown`. A
/// command that has the format must be here (see
/// [`every_command_with_markdown_output_is_checked`]).
const COMMANDS: &[&str] = &[
    "status",
    "items",
    "items --open",
    "items --done",
    "items --overdue",
    "items --state blocked,waiting,started",
    "next",
    "validate",
    "kpis",
    "dashboard",
    "check",
    "alerts",
    "risks",
    "test",
    "update",
    "timeline",
    "diff HEAD",
    "portfolio",
    "portfolio check",
];

fn ok(cmd: &mut Command) {
    let (code, _, err) = run(cmd);
    assert_eq!(code, 0, "{err}");
}

/// One Markdown report and how it was made.
struct Report {
    /// `plan date command`, to name it in a failure and a file name.
    name: String,
    dir: PathBuf,
    as_of: &'static str,
    args: Vec<String>,
    text: String,
}

/// A plan to report on: a copy in a scratch git repository (for `diff
/// HEAD`, with a change or two made after the commit), and the dates to
/// report at.
struct Plan {
    label: &'static str,
    dir: PathBuf,
    dates: &'static [&'static str],
}

/// Every report, made once for all the tests of this module. The scratch
/// folders live as long as the test process.
fn reports() -> &'static [Report] {
    static REPORTS: OnceLock<Vec<Report>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let mut reports = Vec::new();
        let plans = plans();
        for plan in &plans {
            for &as_of in plan.dates {
                for command in COMMANDS {
                    let args: Vec<String> = command.split(' ').map(String::from).collect();
                    if args[0] == "test" && !plan.dir.join("tests").is_dir() {
                        continue;
                    }
                    let (code, text, err) = run(roadmap(&plan.dir)
                        .args(&args)
                        .args(["--format", "markdown", "--as-of", as_of]));
                    let name = format!("{} {as_of} {command}", plan.label);
                    assert!(code <= 1, "{name}: exit {code}: {err}");
                    reports.push(Report {
                        name,
                        dir: plan.dir.clone(),
                        as_of,
                        args,
                        text,
                    });
                }
            }
        }
        // The three plans as one portfolio with company KPIs on the
        // metrics they share: a table of members, then one of KPIs.
        let config = portfolio(&plans);
        for as_of in ["2026-03-15", "2026-07-03", "2026-08-15"] {
            for command in ["portfolio", "portfolio check"] {
                let mut args: Vec<String> = command.split(' ').map(String::from).collect();
                args.extend(["--config".into(), config.display().to_string()]);
                let (code, text, err) = run(roadmap(&plans[0].dir)
                    .args(&args)
                    .args(["--format", "markdown", "--as-of", as_of]));
                let name = format!("company {as_of} {command}");
                assert!(code <= 1, "{name}: exit {code}: {err}");
                assert!(text.contains("### Company KPIs"), "{name}: {text}");
                reports.push(Report {
                    name,
                    dir: plans[0].dir.clone(),
                    as_of,
                    args,
                    text,
                });
            }
        }
        reports
    })
}

/// A portfolio.yaml beside the plans' repositories, naming them all, with
/// a KPI of each op; returns its path.
fn portfolio(plans: &[Plan]) -> PathBuf {
    let top = plans[0].dir.parent().and_then(Path::parent).unwrap();
    // The chain plan defines no metrics, which a company KPI needs.
    let members: Vec<String> = plans
        .iter()
        .filter(|p| p.label != "chain")
        .map(|p| format!("{}/roadmap", p.label))
        .collect();
    let config = top.join("portfolio.yaml");
    let text = format!(
        "name: Group\nmembers: [{}]\nkpis:\n  - {{metric: revenue, op: sum, target: '>= $50K'}}\n  \
         - {{metric: customers, op: min, target: 100+, warn: 50+}}\n  \
         - {{metric: customers, op: max}}\n  - {{metric: customers, op: average, target: 10+}}\n",
        members.join(", ")
    );
    std::fs::write(&config, text).unwrap();
    config
}

fn plans() -> Vec<Plan> {
    let top = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    let bundled = repo(top.path(), "bundled", &seed(), |dir| {
        ok(roadmap(dir).args(["done", "f1-equipo", "--as-of", "2026-02-01"]));
        ok(roadmap(dir).args(["record", "beta_users=40", "--as-of", "2026-02-01"]));
    });
    let bakery = repo(top.path(), "bakery", &crate::example(), |dir| {
        ok(roadmap(dir).args(["done", "shop-oven", "--as-of", "2026-05-25"]));
        ok(roadmap(dir).args(["record", "customers=110", "--as-of", "2026-06-10"]));
    });
    // The bundled plan with the sample snapshots ingested and its first
    // phase done: met and missed targets, projections, firing alerts.
    let history = repo(top.path(), "history", &seed(), |dir| {
        let snapshots = root().join("examples/snapshots");
        ok(roadmap(dir)
            .arg("ingest")
            .args(["2026-06.csv", "2026-06.yaml", "daily-revenue.json"].map(|f| snapshots.join(f)))
            .args(["--as-of", "2026-07-03"]));
        done_phase(dir, "f1", "2026-06-15");
    });
    // A forecast held by a chain: its second line is a nested list item.
    let chain = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    crate::forecast::plan(chain.path());
    let chain = repo(top.path(), "chain", chain.path(), |_| {});
    vec![
        Plan {
            label: "bundled",
            dir: bundled,
            dates: &["2026-01-15", "2026-08-15", "2027-12-31"],
        },
        Plan {
            label: "bakery",
            dir: bakery,
            dates: &["2026-03-15", "2026-10-15", "2026-11-30"],
        },
        Plan {
            label: "history",
            dir: history,
            dates: &["2026-07-03", "2026-08-15"],
        },
        Plan {
            label: "chain",
            dir: chain,
            dates: &[crate::forecast::AS_OF],
        },
    ]
}

/// `plan` copied into `top/label/roadmap/`, committed in a git repository
/// at `top/label`, then changed by `change`; returns the plan's folder.
fn repo(top: &Path, label: &str, plan: &Path, change: impl Fn(&Path)) -> PathBuf {
    let repo = top.join(label);
    let dir = repo.join("roadmap");
    copy_dir(plan, &dir);
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "--quiet"]);
    git(&["config", "user.name", "Roadmap Tests"]);
    git(&["config", "user.email", "tests@example.com"]);
    git(&["config", "commit.gpgsign", "false"]);
    git(&["add", "."]);
    git(&["commit", "--quiet", "-m", "the plan"]);
    change(&dir);
    dir
}

#[test]
fn every_command_with_markdown_output_is_checked() {
    use clap::CommandFactory;
    let checked: Vec<&str> = COMMANDS
        .iter()
        .map(|c| c.split(' ').next().unwrap())
        .collect();
    let mut with_markdown = Vec::new();
    for sub in roadmap::cli::Cli::command().get_subcommands() {
        let markdown = sub.get_arguments().any(|a| {
            a.get_id() == "format"
                && a.get_possible_values()
                    .iter()
                    .any(|v| v.get_name() == "markdown")
        });
        if markdown {
            with_markdown.push(sub.get_name().to_string());
            assert!(
                checked.contains(&sub.get_name()),
                "`{}` has --format markdown: add it to COMMANDS in tests/cli/markdown.rs",
                sub.get_name()
            );
        }
    }
    assert!(with_markdown.len() >= 10, "{with_markdown:?}");
}

/// The tables of rendered HTML: for each, its header cells and, for each
/// body row, its cells.
fn rendered_tables(html: &str) -> Vec<(usize, Vec<usize>)> {
    html.split("<table>")
        .skip(1)
        .map(|t| {
            let t = &t[..t.find("</table>").expect("a closed table")];
            let (head, body) = t.split_once("</thead>").expect("a header");
            let rows = body
                .split("<tr>")
                .skip(1)
                .map(|r| r.matches("<td").count())
                .collect();
            (
                head.matches("<th").count() - head.matches("<thead").count(),
                rows,
            )
        })
        .collect()
}

/// The tables as the Markdown writes them (outside code fences): for each,
/// how many body rows.
fn written_tables(md: &str) -> Vec<usize> {
    let mut tables = Vec::new();
    let mut fence = false;
    let mut run = 0;
    for line in md.lines().chain([""]) {
        if line.starts_with("```") {
            fence = !fence;
        }
        if !fence && line.starts_with('|') {
            run += 1;
        } else if run > 0 {
            // Less the header and its delimiter row.
            tables.push(run - 2);
            run = 0;
        }
    }
    tables
}

/// What GitHub does with Markdown: GFM, raw HTML kept (`<details>`).
fn gfm(md: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.render.r#unsafe = true;
    comrak::markdown_to_html(md, &options)
}

#[test]
fn a_line_right_under_a_table_would_be_a_stray_row() {
    // What this module guards against, as GFM reads it.
    let html = gfm("| a | b |\n|---|---|\n| 1 | 2 |\n… and 8 more\n");
    assert_eq!(rendered_tables(&html), [(2, vec![2, 2])]);
    assert_eq!(
        written_tables("| a | b |\n|---|---|\n| 1 | 2 |\n… and 8 more\n"),
        [1]
    );
}

#[test]
fn every_markdown_report_renders_its_tables_whole() {
    for r in reports() {
        let html = gfm(&r.text);
        let rendered = rendered_tables(&html);
        let written = written_tables(&r.text);
        assert_eq!(
            rendered.len(),
            written.len(),
            "{}: tables\n{}",
            r.name,
            r.text
        );
        for (i, ((cols, rows), &want)) in rendered.iter().zip(&written).enumerate() {
            assert_eq!(
                rows.len(),
                want,
                "{}: rows of table {i}\n{}",
                r.name,
                r.text
            );
            for cells in rows {
                assert_eq!(
                    cells, cols,
                    "{}: cells of a row of table {i}\n{html}",
                    r.name
                );
            }
        }
        let expected = expected_rows(r);
        if let Some(expected) = expected {
            let rows: Vec<usize> = rendered.iter().map(|(_, rows)| rows.len()).collect();
            assert_eq!(
                rows, expected,
                "{}: rows against the JSON\n{}",
                r.name, r.text
            );
        }
        // Folded lists are HTML GitHub keeps, with Markdown inside.
        assert_eq!(
            html.matches("<details>").count(),
            r.text.matches("<details>").count(),
            "{}",
            r.name
        );
        // The status header keeps its lines, which a paragraph would join.
        if r.args[0] == "status" {
            assert!(html.contains("<br />\nItems "), "{}: {html}", r.name);
        }
        // No line runs on outside a table.
        for line in r.text.lines().filter(|l| !l.starts_with('|')) {
            assert!(line.len() <= 400, "{}: a line of {}", r.name, line.len());
        }
    }
}

/// The rows each table of a report must have, from the same command's
/// JSON, for the reports that are lists.
fn expected_rows(r: &Report) -> Option<Vec<usize>> {
    let as_json = || {
        json(
            roadmap(&r.dir)
                .args(&r.args)
                .args(["--format", "json", "--as-of", r.as_of]),
        )
    };
    let len = |v: &serde_json::Value| v.as_array().map_or(0, Vec::len);
    match r.args[0].as_str() {
        "items" | "next" => {
            let n = len(&as_json()["items"]);
            Some(if n == 0 { vec![] } else { vec![n.min(250)] })
        }
        "status" => {
            let j = as_json();
            let mut rows = vec![len(&j["phases"])];
            let focus = len(&j["focus"]["rows"]);
            if focus > 0 {
                rows.push(focus.min(roadmap::render::status::FOCUS_ROWS));
            }
            Some(rows)
        }
        "kpis" => {
            let j = as_json();
            let targets = j["targets"].as_array().unwrap();
            let gate = targets.iter().filter(|t| !t["phase"].is_null()).count();
            let standing = targets.len() - gate;
            let mut rows = Vec::new();
            if !j["phase"].is_null() {
                rows.push(gate);
            }
            if standing > 0 {
                rows.push(standing);
            }
            Some(rows)
        }
        "risks" => {
            // A table per category, in order of first appearance.
            let j = as_json();
            let mut categories: Vec<(String, usize)> = Vec::new();
            for risk in j["risks"].as_array().unwrap() {
                let c = risk["category"].as_str().unwrap_or("Other").to_string();
                match categories.iter_mut().find(|(n, _)| *n == c) {
                    Some((_, n)) => *n += 1,
                    None => categories.push((c, 1)),
                }
            }
            Some(categories.into_iter().map(|(_, n)| n).collect())
        }
        "dashboard" => {
            // A row per metric of each panel, or one saying it has none.
            let j = as_json();
            Some(
                j["dashboards"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|d| len(&d["panels"]) > 0)
                    .map(|d| {
                        d["panels"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|p| len(&p["metrics"]).max(1))
                            .sum()
                    })
                    .collect(),
            )
        }
        _ => None,
    }
}

/// How to run markdownlint-cli2: on PATH, or where
/// `tests/markdownlint/install.sh` puts it.
fn markdownlint() -> Option<Command> {
    if Command::new("markdownlint-cli2")
        .arg("--help")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Some(Command::new("markdownlint-cli2"));
    }
    let prefix = std::env::var_os("ROADMAP_MARKDOWNLINT_PREFIX")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/roadmap-ci/markdownlint"))
        })?;
    let script = prefix.join("node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs");
    if !script.is_file() {
        return None;
    }
    let mut cmd = Command::new("node");
    cmd.arg(script);
    Some(cmd)
}

/// markdownlint-cli2 with the committed configuration on the `*.md` files
/// of `dir`: whether it passed, and what it said.
fn lint(dir: &Path) -> (bool, String) {
    let config = root().join("tests/markdownlint/.markdownlint-cli2.yaml");
    let out = markdownlint()
        .unwrap()
        .arg("--config")
        .arg(config)
        .arg("*.md")
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn every_markdown_report_passes_markdownlint() {
    if markdownlint().is_none() {
        return crate::missing("markdownlint-cli2", "bash tests/markdownlint/install.sh");
    }
    let tmp = tempfile::tempdir().unwrap();
    for r in reports() {
        let file: String = r
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        std::fs::write(tmp.path().join(format!("{file}.md")), &r.text).unwrap();
    }
    let (ok, said) = lint(tmp.path());
    assert!(ok, "{said}");
    assert!(
        said.contains(&format!("Linting: {} file(s)", reports().len())),
        "{said}"
    );
    // It does lint: the bug this guards against fails it.
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(
        bad.path().join("bad.md"),
        "## Report\n\n| a | b |\n|---|---|\n| 1 | 2 |\n… and 8 more\n",
    )
    .unwrap();
    let (ok, said) = lint(bad.path());
    assert!(!ok && said.contains("MD055"), "{said}");
}

/// The generator behind `cargo run --example gen`.
#[allow(dead_code)]
#[path = "../../examples/gen/synthetic.rs"]
mod synthetic;

#[test]
fn reports_on_a_100k_item_plan_stay_well_under_githubs_limit() {
    // Items are what the lists grow with; few metrics and days keep the
    // plan quick to load in a debug build.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("roadmap");
    synthetic::generate(&synthetic::Spec {
        items: 100_000,
        metrics: 5,
        days: 10,
        out: dir.clone(),
    })
    .unwrap();
    let summary = tmp.path().join("summary.md");
    // Each report, and what it says it left out.
    let cases: [(&[&str], &str); 5] = [
        (&["status", "--format", "markdown"], " more: `"),
        (
            &["items", "--format", "markdown"],
            "more rows: Markdown shows the first 250, `--format json` lists them all",
        ),
        (&["check", "--format", "markdown"], " more: `"),
        (&["timeline", "--format", "markdown"], "The chart shows "),
        // A table report, when it may land in the step summary.
        (&["items"], "This report was cut here, "),
    ];
    for (args, left_out) in cases {
        let (code, out, err) = run(roadmap(&dir)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(args)
            .args(["--as-of", "2026-08-15"]));
        assert!(code <= 1, "{args:?}: {err}");
        assert!(
            out.len() <= roadmap::render::markdown::BUDGET,
            "{args:?}: {} bytes",
            out.len()
        );
        assert!(out.contains(left_out), "{args:?}: {}", tail(&out));
        // Mermaid draws a chart of up to 50,000 UTF-16 code units.
        if let Some((_, chart)) = out.split_once("```mermaid\n") {
            let chart = &chart[..chart.find("```").unwrap()];
            assert!(chart.encode_utf16().count() < 50_000, "{args:?}");
        }
    }
    // Without GITHUB_STEP_SUMMARY a table is whole, and JSON always is.
    let (_, out, _) = run(roadmap(&dir).args(["items", "--as-of", "2026-08-15"]));
    assert_eq!(out.lines().count(), 100_000 + 3, "{}", tail(&out));
    let all = json(roadmap(&dir).env("GITHUB_STEP_SUMMARY", &summary).args([
        "items",
        "--format",
        "json",
        "--as-of",
        "2026-08-15",
    ]));
    assert_eq!(all["items"].as_array().unwrap().len(), 100_000);
}

/// The last lines of a long output, for a failure message.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(5)..].join("\n")
}
