//! `roadmap report`: the HTML page, opened in a real browser (headless
//! Chromium) after values were recorded with the real `record` command: it
//! loads without a console error, draws its charts from those values, and
//! a screenshot of it is kept as `target/report-screenshot.png` (the
//! README's picture is a copy). Also: `--out -`, `--as-of`, text from the
//! plan that tries to be markup, and bad `--out` paths.
//!
//! Chromium is required in CI: with `CI=true` a missing browser fails the
//! tests (`.ci/run` installs it); elsewhere they say they were skipped
//! (see `browser.rs`, shared with the portfolio's page).

use std::path::Path;

use crate::browser::{attr, browse, chromium, tags};
use crate::{copy_of, example, json, roadmap, run, seed};

/// Record `values` on `date` (as of that date) through the real command.
fn record(dir: &Path, date: &str, values: &[&str]) {
    let (code, _, err) = run(roadmap(dir)
        .args(["record", "--on", date, "--as-of", date])
        .args(values));
    assert_eq!(code, 0, "record {values:?}: {err}");
}

fn done(dir: &Path, date: &str, ids: &[&str]) {
    let (code, _, err) = run(roadmap(dir)
        .args(["done", "--on", date, "--as-of", date])
        .args(ids));
    assert_eq!(code, 0, "done {ids:?}: {err}");
}

/// The bakery of the README's tour: the fit-out, the oven, and six weeks
/// of customers and reviews in the second phase.
fn bakery() -> tempfile::TempDir {
    let tmp = copy_of(&example());
    let dir = tmp.path();
    record(dir, "2026-05-20", &["fitout_days=40d"]);
    done(dir, "2026-05-25", &["shop-oven"]);
    record(dir, "2026-06-10", &["customers=110"]);
    record(dir, "2026-06-25", &["customers=130", "rating=4.6"]);
    record(dir, "2026-07-03", &["customers=140"]);
    record(dir, "2026-07-10", &["customers=145"]);
    record(dir, "2026-07-12", &["customers=200", "rating=4.7"]);
    tmp
}

/// The bundled plan in month 8: phase 1's items partly done, and values of
/// a few metrics through phases 1 and 2.
fn seed_in_month_8() -> tempfile::TempDir {
    let tmp = copy_of(&seed());
    let dir = tmp.path();
    let items = json(roadmap(dir).args([
        "items",
        "--phase",
        "f1",
        "--format",
        "json",
        "--as-of",
        "2026-08-15",
    ]));
    let ids: Vec<&str> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    done(dir, "2026-02-20", &ids[..20]);
    done(dir, "2026-04-10", &ids[20..50]);
    done(dir, "2026-06-25", &ids[50..80]);
    for (date, values) in [
        ("2026-02-15", &["customers=3"][..]),
        ("2026-03-01", &["cac=$180", "beta_users=20"]),
        ("2026-04-15", &["customers=9", "beta_users=60"]),
        ("2026-05-20", &["mvp_launched=yes", "customers=12"]),
        ("2026-06-15", &["customers=20", "active_users=150"]),
        (
            "2026-07-01",
            &["active_users=350", "revenue=$20K", "cac=$140"],
        ),
        ("2026-07-15", &["customers=40", "revenue=$25K"]),
        (
            "2026-08-01",
            &["customers=55", "active_users=500", "revenue=$40K"],
        ),
        (
            "2026-08-14",
            &["customers=70", "active_users=700", "revenue=$45K"],
        ),
    ] {
        record(dir, date, values);
    }
    tmp
}

/// Write the report of `dir` as of `as_of` to `out`; returns the summary
/// line printed.
fn report(dir: &Path, as_of: &str, out: &Path) -> String {
    let (code, stdout, err) = run(roadmap(dir)
        .args(["report", "--as-of", as_of, "--out"])
        .arg(out));
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    stdout
}

/// The values line of the chart of `metric` in `dom`: (the number of values
/// it says it draws, the number of points it has).
fn series(dom: &str, metric: &str) -> (usize, usize) {
    let at = dom
        .find(&format!("id=\"metric-{metric}-"))
        .unwrap_or_else(|| panic!("no chart of {metric}"));
    let line = tags(&dom[at..], "polyline")
        .into_iter()
        .find(|t| attr(t, "class") == Some("series"))
        .expect("a values line");
    let values = attr(line, "data-values").unwrap().parse().unwrap();
    let points = attr(line, "points").unwrap().split_whitespace().count();
    (values, points)
}

#[test]
fn the_browser_draws_the_charts_from_the_recorded_values() {
    if chromium().is_none() {
        return;
    }
    let plan = seed_in_month_8();
    let page = plan.path().join("report.html");
    let said = report(plan.path(), "2026-08-15", &page);
    assert_eq!(
        said.trim_end(),
        format!(
            "wrote {}: 4 phases, 6 KPI charts, 1 alert firing, 1 of 12 risks active, as of \
             2026-08-15",
            page.display()
        )
    );

    let (dom, console) = browse(&page, &[]);
    assert!(console.is_empty(), "console messages: {console:#?}");
    // Everything is drawn in SVG the browser parsed, each with its name and
    // description: 6 metrics, 4 burn-ups, and the timeline in parts that
    // each fit a printed page.
    let charts: Vec<&str> = tags(&dom, "svg")
        .into_iter()
        .filter(|t| attr(t, "role") == Some("img"))
        .collect();
    let kind = |k: &str| {
        charts
            .iter()
            .filter(|t| attr(t, "class") == Some(&format!("chart {k}")[..]))
            .count()
    };
    assert_eq!((kind("line-chart"), kind("burn-up")), (6, 4), "{charts:#?}");
    assert_eq!(kind("gantt"), 3);
    assert_eq!(charts.len(), 13);
    for svg in &charts {
        let id = attr(svg, "id").unwrap();
        assert_eq!(
            attr(svg, "aria-labelledby"),
            Some(format!("{id}-title {id}-desc").as_str())
        );
        assert!(dom.contains(&format!("<desc id=\"{id}-desc\">")), "{id}");
    }
    // A point per value recorded by the as-of date: customers (7 values, a
    // level) and revenue (4 values in phase 2, drawn as its running total,
    // as its phase target judges it).
    assert_eq!(series(&dom, "customers"), (7, 7));
    assert_eq!(series(&dom, "active_users"), (4, 4));
    assert_eq!(series(&dom, "revenue"), (4, 4));
    assert!(dom.contains("total since Jul 1"));
    // Projections to the end of phase 2, and the phase targets as steps.
    assert!(
        tags(&dom, "line")
            .iter()
            .any(|t| attr(t, "class") == Some("projection"))
    );
    assert!(dom.contains("f1 &gt;= 10") && dom.contains("f2 &gt;= 100"));
    // A panel linked to no metric says so, and metrics without values are
    // named.
    assert!(dom.contains("<strong>Strategic</strong> (Goals, objectives, milestones): not linked"));
    assert!(dom.contains("no value recorded yet for Customer Acquisition (new_customers)"));
    // The burn-up of phase 1: 80 of 112 done, 30 of them in the last 8
    // weeks (3.75 a week), so the other 32 take 60 days more at that pace:
    // the same forecast `status` gives.
    assert!(dom.contains("80 of 112 items done"));
    assert!(dom.contains(
        "30 items done in the last 8 weeks (3.8 a week): all done by 2026-10-14 at this pace, \
         ✗ 106 days late"
    ));
    let status =
        json(roadmap(plan.path()).args(["status", "--as-of", "2026-08-15", "--format", "json"]));
    assert_eq!(status["phases"][0]["forecast"]["finish"], "2026-10-14");
    // Phase 2 waits for those 32, then its own 56: 88 at 3.75 a week.
    assert!(dom.contains(
        "after 32 open items of earlier phases: all done by 2027-01-27 at this pace, ✗ 27 days \
         late"
    ));
    assert_eq!(
        tags(&dom, "line")
            .iter()
            .filter(|t| attr(t, "class") == Some("forecast"))
            .count(),
        2
    );
    // The timeline: a row per period of a track, 48 in all.
    assert_eq!(dom.matches("<g class=\"row ").count(), 48);
    assert!(dom.contains("✗ 32 overdue"));
    // The firing alert with its action; the active risk with its mitigation.
    assert!(dom.contains("Growth Spike"));
    assert!(dom.contains("→ <strong>Scaling</strong>: Auto-scaling de infraestructura"));
    assert!(dom.contains("Diversificación de revenue, cost control"));
}

#[test]
fn the_readme_screenshot_is_a_real_page() {
    if chromium().is_none() {
        return;
    }
    let plan = bakery();
    let page = plan.path().join("report.html");
    report(plan.path(), "2026-07-12", &page);
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let shot = target.join("report-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let (dom, console) = browse(
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".to_string(),
        ],
    );
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert_eq!(series(&dom, "customers"), (5, 5));
    assert!(dom.contains("average since Jun 1"));
    assert!(dom.contains("Word of mouth"));
    let png = std::fs::read(&shot).expect("a screenshot was written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (1280, 2000));
    // A blank page compresses to a few kilobytes; this one has charts.
    assert!(png.len() > 50_000, "only {} bytes", png.len());
}

#[test]
fn console_errors_would_be_seen() {
    if chromium().is_none() {
        return;
    }
    // The check above is only worth something if a broken page fails it.
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><title>x</title><p>x</p><script>undefinedFunction()</script>",
    )
    .unwrap();
    let (_, console) = browse(&page, &[]);
    assert!(
        console.iter().any(|l| l.contains("undefinedFunction")),
        "{console:#?}"
    );
}

#[test]
fn text_from_the_plan_is_never_markup() {
    if chromium().is_none() {
        return;
    }
    let plan = copy_of(&example());
    let dir = plan.path();
    let hostile = r#""<script>alert(1)</script> & <img src=x onerror=alert(2)> \"q\" 'a'""#;
    let yaml = std::fs::read_to_string(dir.join("roadmap.yaml")).unwrap();
    let yaml = yaml
        .replace("name: Crumb & Co. second shop", &format!("name: {hostile}"))
        .replace(
            "title: Sign the lease on 14 Mill Street",
            &format!("title: {hostile}"),
        );
    std::fs::write(dir.join("roadmap.yaml"), yaml).unwrap();
    let risks = std::fs::read_to_string(dir.join("risks.yaml")).unwrap();
    let risks = risks.replace(
        "mitigation: Lease clause with rent-free weeks for every week of delay",
        &format!("mitigation: {hostile}"),
    );
    std::fs::write(dir.join("risks.yaml"), risks).unwrap();
    record(dir, "2026-05-20", &["fitout_days=50d"]);

    let (code, html, err) =
        run(roadmap(dir).args(["report", "--as-of", "2026-06-01", "--out", "-"]));
    assert_eq!(code, 0, "{err}");
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt; &quot;q&quot; &#39;a&#39;"));
    // Nothing is fetched, ever: the only URL is SVG's namespace name, and
    // the page forbids fetching and scripts outright.
    let urls = html
        .match_indices("://")
        .filter(|(at, _)| {
            !(html[..*at].ends_with("\"http")
                && html[*at..].starts_with("://www.w3.org/2000/svg\""))
        })
        .count();
    assert_eq!(urls, 0);
    assert!(
        html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"")
    );

    // And in a browser: no script runs, nothing is refused.
    let page = dir.join("report.html");
    std::fs::write(&page, &html).unwrap();
    let (dom, console) = browse(&page, &[]);
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(tags(&dom, "script").is_empty() && tags(&dom, "img").is_empty());
}

#[test]
fn the_page_is_as_of_the_date_given() {
    let plan = bakery();
    let page = |as_of: &str| {
        let (code, html, err) =
            run(roadmap(plan.path()).args(["report", "--as-of", as_of, "--out", "-"]));
        assert_eq!(code, 0, "{err}");
        html
    };
    // Values recorded later are not drawn, work done later is not done.
    let early = page("2026-07-05");
    assert!(early.contains("Roadmap report · as of 2026-07-05"));
    assert_eq!(series(&early, "customers"), (3, 3));
    assert!(early.contains("Month 5 of 9"));
    let before = page("2026-05-21");
    assert!(!before.contains("id=\"metric-customers-"));
    assert!(before.contains("1/2 done"));
    // The same date gives the same page, byte for byte: nothing in it
    // depends on the clock.
    assert_eq!(page("2026-07-12"), page("2026-07-12"));
}

#[test]
fn the_file_is_replaced_whole_and_bad_paths_are_refused() {
    let plan = bakery();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("report.html");
    std::fs::write(&file, "old").unwrap();
    report(plan.path(), "2026-07-12", &file);
    let (_, stdout, _) =
        run(roadmap(plan.path()).args(["report", "--as-of", "2026-07-12", "--out", "-"]));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["report.html"]);

    let missing = out.path().join("no/such/folder/report.html");
    let (code, stdout, err) = run(roadmap(plan.path())
        .args(["report", "--as-of", "2026-07-12", "--out"])
        .arg(&missing));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(err.contains("there is no folder"), "{err}");
    assert!(!missing.exists());

    let (code, _, err) = run(roadmap(plan.path()).args(["report", "--as-of", "2026-07-12"]));
    assert_eq!(code, 2);
    assert!(err.contains("--out <FILE>"), "{err}");
}
