//! `roadmap portfolio`: many plans in one view, and (`portfolio check`)
//! one CI gate over them all. Members load in parallel, each evaluated to
//! its row and dropped before the worker takes the next, so memory grows
//! with the largest member, not the sum. A member that fails to load is
//! reported and the others still shown; the command then exits 2. The
//! company KPIs of portfolio.yaml are typed once the members are read,
//! since only their metrics say what a KPI's target means. `--report`
//! writes the view as an HTML page the way `roadmap report` does; with a
//! member that did not load it writes no file (it prints the page with
//! `--out -`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cli::{Format, Members, PortfolioArgs, PortfolioCommand};
use crate::context::Context;
use crate::diag::display_path;
use crate::error::{Error, ExitCode, Result};
use crate::eval::check::Check;
use crate::eval::portfolio::{Broken, Portfolio, Row};
use crate::load::portfolio::{self as config, Member};
use crate::model::Place;
use crate::model::portfolio::Share;
use crate::render::Style;
use crate::render::check::Extra;
use crate::{eval, load, render};

pub fn run(args: &PortfolioArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let (members, format, gate) = match &args.check {
        Some(PortfolioCommand::Check(c)) => (&c.members, c.output.format, true),
        None => (&args.members, args.output.format, false),
    };
    let page = args.out.as_deref().filter(|_| !gate && args.report);
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let mut p = resolve(members, ctx, &cwd)?;
    let list = std::mem::take(&mut p.members);
    // Annotations need each member's check report; otherwise only rows.
    let annotate = gate && ctx.github_actions;
    let outcomes = evaluate(&list, ctx, annotate, &p.metrics);

    let mut rows = Vec::new();
    let mut broken = Vec::new();
    let mut checks: Vec<(String, String, Check)> = Vec::new();
    let stderr = Style::new(false);
    for (member, outcome) in list.iter().zip(outcomes) {
        match outcome {
            Outcome::Row(row, check) => {
                if let Some(c) = check {
                    checks.push((row.plan.clone(), me(&member.dir), *c));
                }
                rows.push(*row);
            }
            Outcome::Broken(b, e) => {
                // The full diagnostics, excerpts and hints, on stderr.
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "error: member {} did not load:", b.path);
                match &e {
                    Error::Invalid(diags) => {
                        for d in &diags.0 {
                            let _ = writeln!(err, "{}\n", d.render(&stderr));
                        }
                    }
                    other => {
                        let _ = writeln!(err, "{other}\n");
                    }
                }
                if let Some(p) = &member.place {
                    let _ = writeln!(
                        err,
                        "  (named at {}:{}:{})",
                        p.file.display(),
                        p.line,
                        p.col
                    );
                }
                broken.push(b);
            }
        }
    }
    let shares: Vec<(&str, &[Share])> = rows
        .iter()
        .map(|r| (r.path.as_str(), r.shares.as_slice()))
        .collect();
    let kpis = config::company_kpis(&p, &shares)?;
    let report = eval::portfolio::portfolio(p.name.take(), ctx.as_of, rows, broken, &kpis);

    if annotate {
        annotations(&report, &checks, ctx, &cwd);
    }
    if let Some(path) = page {
        return html(&report, path, out);
    }
    match format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(
            render::portfolio::text(&report, gate, f, ctx.style, ctx.width).as_bytes(),
        )?,
    }
    if !report.broken.is_empty() {
        Err(Error::Reported(ExitCode::Error))
    } else if gate && !report.ok {
        Err(Error::Reported(ExitCode::Problem))
    } else {
        Ok(())
    }
}

/// The members' findings and the company KPIs' misses as GitHub
/// annotations on stderr, ranked and capped together.
fn annotations(report: &Portfolio, checks: &[(String, String, Check)], ctx: &Context, cwd: &Path) {
    let top = std::env::var_os("GITHUB_WORKSPACE").map(PathBuf::from);
    let locate = |p: &Place| super::check::in_workspace(&p.file, Some(cwd), top.as_deref());
    let again = format!("roadmap portfolio check --as-of {}", ctx.as_of);
    let list: Vec<(&str, &str, &Check)> = checks
        .iter()
        .map(|(l, m, c)| (l.as_str(), m.as_str(), c))
        .collect();
    let extra: Vec<Extra> = report
        .company_kpis
        .iter()
        .filter(|k| k.fails() || k.warn)
        .map(|k| Extra {
            failure: k.fails(),
            place: &k.place,
            title: format!("Company KPI {}", k.name),
            text: render::portfolio::company_reason(k),
        })
        .collect();
    let text = render::check::annotations_of(&list, &extra, &again, &locate);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// `--report`: the page, written as `roadmap report` writes one. A failed
/// command changes no file, so with a member that did not load only `-`
/// gets the page.
fn html(report: &Portfolio, path: &Path, out: &mut dyn Write) -> Result<()> {
    let broken = report.broken.len();
    if broken > 0 && path != Path::new("-") {
        return Err(Error::usage(
            format!(
                "{} not written: {} did not load",
                path.display(),
                render::plural(broken, "member")
            ),
            Some(
                "fix what is said above and run it again, or print the page anyway with \
                 `--out -`"
                    .into(),
            ),
        ));
    }
    let page = render::portfolio_page::page(report);
    super::report::deliver(path, &page, out, || render::portfolio_page::summary(report))?;
    match broken {
        0 => Ok(()),
        _ => Err(Error::Reported(ExitCode::Error)),
    }
}

/// `roadmap --dir PATH`, to name in a member's advice.
fn me(dir: &Path) -> String {
    format!("roadmap --dir {}", display_path(dir).display())
}

/// The portfolio: its members are the paths given, then those of
/// `--config`, else of `portfolio.yaml` here, else the one plan found as
/// for any command; its name and KPIs come from the file.
fn resolve(m: &Members, ctx: &Context, cwd: &Path) -> Result<config::Portfolio> {
    let file = m.config.clone().or_else(|| {
        let here = Path::new(config::FILE);
        (m.paths.is_empty() && here.is_file()).then(|| here.to_path_buf())
    });
    let mut p = match file {
        Some(file) => config::read(&file)?,
        None => config::Portfolio::default(),
    };
    let mut members = config::from_paths(&m.paths, cwd);
    members.append(&mut p.members);
    if members.is_empty() {
        if !ctx.dir.join(load::PLAN_FILE).exists() {
            return Err(Error::usage(
                format!("no members: no {} here, and no plan found", config::FILE),
                Some(
                    "name the plans (`roadmap portfolio teams/a teams/b`), or write a \
                     portfolio.yaml with `members:` (see the README's \"Portfolio\")"
                        .into(),
                ),
            ));
        }
        members.push(Member {
            dir: ctx.dir.clone(),
            place: None,
        });
    }
    p.members = members;
    Ok(p)
}

enum Outcome {
    Row(Box<Row>, Option<Box<Check>>),
    Broken(Broken, Error),
}

/// Every member's outcome, in member order. Workers take the next member
/// as they finish one, and keep only its row.
fn evaluate(
    members: &[Member],
    ctx: &Context,
    keep_check: bool,
    metrics: &[String],
) -> Vec<Outcome> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(members.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(m) = members.get(i) else { break };
                        mine.push((i, one(m, ctx, keep_check, metrics)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, o)| o).collect()
}

fn one(m: &Member, ctx: &Context, keep_check: bool, metrics: &[String]) -> Outcome {
    let path = display_path(&m.dir).display().to_string();
    let loaded = (|| {
        // Read whole or not at all, as any command that reads.
        let _lock = match m.dir.is_dir() {
            true => Some(crate::edit::write::read_lock(&m.dir, ctx.wait)?),
            false => None,
        };
        // The members already keep every core busy: one thread each.
        let map = load::load_here(&m.dir)?;
        let history = load::history::history(&map)?;
        Ok::<_, Error>(eval::portfolio::row(
            path.clone(),
            &map,
            &history,
            ctx.as_of,
            metrics,
        ))
    })();
    match loaded {
        Ok((row, check)) => Outcome::Row(Box::new(row), keep_check.then(|| Box::new(check))),
        Err(e) => {
            let problems = match &e {
                Error::Invalid(diags) => diags
                    .0
                    .iter()
                    .map(|d| format!("{}: {}", d.location(), d.message))
                    .collect(),
                other => vec![other.to_string()],
            };
            Outcome::Broken(Broken { path, problems }, e)
        }
    }
}
