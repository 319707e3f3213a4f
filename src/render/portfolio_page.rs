//! Drawing the `portfolio` report as one self-contained HTML page
//! (`portfolio --report`), in the style of `report`'s page and under its
//! rules: styles inline, nothing fetched, no script, and every piece of
//! text from the plans and from portfolio.yaml escaped. It shows what the
//! table shows: a row per member and the total, the company KPIs with each
//! member's value, and the members that did not load with their problems.
//! Verdicts carry a mark and a word, never colour alone.

use std::fmt::Write as _;

use super::html::{escape, meter, open, percent, verdict as gate_verdict, with_code};
use super::plural;
use crate::eval::Position;
use crate::eval::kpi::TargetVerdict;
use crate::eval::portfolio::{CompanyRow, Portfolio, Row};
use crate::model::portfolio::Op;

/// The whole page.
pub fn page(p: &Portfolio) -> String {
    let mut out = String::with_capacity(16 * 1024 + p.members.len() * 1024);
    let name = p.name.as_deref().unwrap_or("Portfolio");
    open(
        &mut out,
        &format!("{name} — portfolio as of {}", p.as_of),
        "roadmap portfolio",
    );
    header(&mut out, p, name);
    out.push_str("<nav class=\"toc\" aria-label=\"Sections\"><a href=\"#plans\">Plans</a>");
    if !p.company_kpis.is_empty() {
        out.push_str("<a href=\"#company\">Company KPIs</a>");
    }
    if !p.broken.is_empty() {
        out.push_str("<a href=\"#broken\">Not loaded</a>");
    }
    out.push_str("</nav>\n<main>\n");
    plans(&mut out, p);
    company(&mut out, p);
    broken(&mut out, p);
    let _ = write!(
        out,
        "</main>\n<footer><p>Written by <code>roadmap portfolio --report</code> as of {} from the \
         member plans' YAML files and recorded values. This page is self-contained: it fetches \
         nothing and runs no script.</p></footer>\n</div>\n</body>\n</html>\n",
        p.as_of
    );
    out
}

/// One line for the terminal about the page written.
pub fn summary(p: &Portfolio) -> String {
    let mut parts = vec![plural(p.total.members, "plan")];
    if !p.broken.is_empty() {
        parts.push(format!("{} not loaded", p.broken.len()));
    }
    parts.push(format!("{} failing", failing(p)));
    let (met, targets) = company_met(p);
    if targets > 0 {
        parts.push(format!(
            "{met} of {} met",
            plural(targets, "company target")
        ));
    }
    format!("{}, as of {}", parts.join(", "), p.as_of)
}

/// How many company KPIs meet their target, of those that have one.
fn company_met(p: &Portfolio) -> (usize, usize) {
    let judged = || p.company_kpis.iter().filter(|k| k.verdict.is_some());
    let met = judged()
        .filter(|k| k.verdict == Some(TargetVerdict::Met))
        .count();
    (met, judged().count())
}

/// Members whose `roadmap check` fails.
fn failing(p: &Portfolio) -> usize {
    p.members.iter().filter(|r| !r.check_ok).count()
}

fn header(out: &mut String, p: &Portfolio, name: &str) {
    let t = &p.total;
    let _ = write!(
        out,
        "<header class=\"top\">\n<p class=\"kicker\">Roadmap portfolio · as of {}</p>\n\
         <h1>{}</h1>\n<p class=\"span\">{}",
        p.as_of,
        escape(name),
        plural(t.members, "plan"),
    );
    if t.broken > 0 {
        let _ = write!(
            out,
            " · <span class=\"bad\">✗ {} not loaded</span>",
            t.broken
        );
    }
    out.push_str("</p>\n");
    let _ = writeln!(
        out,
        "<div class=\"where\">{}<p>{} of {} items done</p></div>",
        meter(
            t.items.done,
            t.items.total,
            &format!("{} of {} items done", t.items.done, t.items.total)
        ),
        t.items.done,
        t.items.total
    );
    out.push_str("<ul class=\"tiles\">\n");
    let tile = |out: &mut String, bad: bool, mark_ok: &str, big: String, words: &str| {
        let (class, mark) = if bad {
            ("bad", "✗ ")
        } else {
            ("good", mark_ok)
        };
        let _ = writeln!(
            out,
            "<li class=\"{class}\"><span class=\"big\">{mark}{big}</span> {words}</li>"
        );
    };
    let fails = failing(p);
    tile(
        out,
        fails > 0,
        "✓ ",
        format!("{fails} of {}", p.members.len()),
        "plans failing their check",
    );
    tile(
        out,
        t.items.overdue > 0,
        "✓ ",
        t.items.overdue.to_string(),
        "items overdue",
    );
    tile(
        out,
        t.gates_failed > 0,
        "✓ ",
        t.gates_failed.to_string(),
        "last gates failed",
    );
    let (class, mark) = match (t.alerts.firing, t.alerts.critical) {
        (0, _) => ("good", "✓ "),
        (_, 0) => ("warn", "★ "),
        _ => ("bad", "▲ "),
    };
    let _ = writeln!(
        out,
        "<li class=\"{class}\"><span class=\"big\">{mark}{}</span> {} firing ({} critical)</li>",
        t.alerts.firing,
        if t.alerts.firing == 1 {
            "alert"
        } else {
            "alerts"
        },
        t.alerts.critical
    );
    tile(
        out,
        t.risks.active > 0,
        "",
        format!("{} of {}", t.risks.active, t.risks.total),
        "risks active",
    );
    let _ = writeln!(
        out,
        "<li><span class=\"big\">{} of {}</span> plan KPI targets met</li>",
        t.kpis.met, t.kpis.total
    );
    let (met, targets) = company_met(p);
    if targets > 0 {
        let unmet = p.company_kpis.iter().filter(|k| k.fails()).count();
        tile(
            out,
            unmet > 0,
            "",
            format!("{met} of {targets}"),
            "company targets met",
        );
    }
    out.push_str("</ul>\n</header>\n");
}

fn plans(out: &mut String, p: &Portfolio) {
    out.push_str(
        "<section id=\"plans\">\n<h2>Plans</h2>\n<p class=\"note\">A row per member plan, from \
         its own reports: <code>Last gate</code> is the last gate that fell due and its verdict, \
         <code>KPIs</code> the numeric targets of <code>roadmap kpis</code> that are met, \
         <code>Alerts</code> those firing, <code>Risks</code> those active.</p>\n\
         <table class=\"plans\"><thead><tr><th scope=\"col\">Plan</th>\
         <th scope=\"col\">Month</th><th scope=\"col\">Phase</th>\
         <th scope=\"col\" class=\"num\">Done</th><th scope=\"col\" class=\"num\">Late</th>\
         <th scope=\"col\">Last gate</th><th scope=\"col\">Next gate</th>\
         <th scope=\"col\" class=\"num\">KPIs met</th><th scope=\"col\" class=\"num\">Alerts</th>\
         <th scope=\"col\" class=\"num\">Risks active</th><th scope=\"col\">Check</th></tr></thead>\
         <tbody>\n",
    );
    for r in &p.members {
        row(out, r);
    }
    for b in &p.broken {
        let _ = writeln!(
            out,
            "<tr class=\"broken\"><th scope=\"row\"><code>{}</code></th>\
             <td colspan=\"10\" class=\"bad\">✗ did not load: {} (see below)</td></tr>",
            escape(&b.path),
            plural(b.problems.len(), "problem")
        );
    }
    let t = &p.total;
    let _ = writeln!(
        out,
        "</tbody><tfoot><tr class=\"total\"><th scope=\"row\">Total</th><td></td><td></td>\
         <td class=\"num\">{}/{}</td><td class=\"num\">{}</td><td>{}</td><td></td>\
         <td class=\"num\">{}/{}</td><td class=\"num\">{}</td><td class=\"num\">{}/{}</td>\
         <td>{}</td></tr></tfoot></table>\n</section>",
        t.items.done,
        t.items.total,
        t.items.overdue,
        match t.gates_failed {
            0 => String::new(),
            n => format!("<span class=\"bad\">✗ {n} failed</span>"),
        },
        t.kpis.met,
        t.kpis.total,
        alerts(t.alerts.firing, t.alerts.critical),
        t.risks.active,
        t.risks.total,
        match failing(p) {
            0 => "<span class=\"good\">✓ all pass</span>".to_string(),
            n => format!("<span class=\"bad\">✗ {n} failing</span>"),
        }
    );
}

fn row(out: &mut String, r: &Row) {
    let month = match r.position {
        Position::Before => "not started".to_string(),
        Position::During => format!("{} of {}", r.month, r.months),
        Position::After => "over".to_string(),
    };
    let phase = match &r.phase {
        Some(ph) => format!("{} <code>{}</code>", escape(&ph.name), escape(&ph.id)),
        None => "–".into(),
    };
    let gate = match &r.last_gate {
        Some(g) => {
            let (class, mark, word) = gate_verdict(g.verdict);
            format!(
                "<code>{}</code> <span class=\"{class} verdict\">{mark} {word}</span>",
                escape(&g.phase)
            )
        }
        None => "–".into(),
    };
    let next = match &r.next_gate {
        Some(n) => format!("<code>{}</code> {}", escape(&n.phase), n.due),
        None => "–".into(),
    };
    let late = match r.items.overdue {
        0 => "0".to_string(),
        n => format!("<span class=\"bad\">{n}</span>"),
    };
    let check = match r.check_ok {
        true => "<span class=\"good\">✓ passes</span>",
        false => "<span class=\"bad\">✗ fails</span>",
    };
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{}<br><code>{}</code></th><td>{month}</td><td>{phase}</td>\
         <td class=\"num\">{}/{} <span class=\"muted\">({})</span></td><td class=\"num\">{late}</td>\
         <td>{gate}</td><td>{next}</td><td class=\"num\">{}/{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}/{}</td><td>{check}</td></tr>",
        escape(&r.plan),
        escape(&r.path),
        r.items.done,
        r.items.total,
        percent(r.items.done, r.items.total).replace(".0%", "%"),
        r.kpis.met,
        r.kpis.total,
        alerts(r.alerts.firing, r.alerts.critical),
        r.risks.active,
        r.risks.total,
    );
}

/// "3 (1 critical)", marked when one is critical.
fn alerts(firing: usize, critical: usize) -> String {
    match critical {
        0 => firing.to_string(),
        c => format!("<span class=\"bad\">▲ {firing} ({c} critical)</span>"),
    }
}

/// (CSS class, words) of a company KPI's verdict. No data and stale values
/// are no failure of `portfolio check`, so they are not marked as one.
fn company_verdict(k: &CompanyRow) -> (&'static str, &'static str) {
    match (k.verdict, k.warn) {
        (None, _) => ("muted", "no target"),
        (Some(TargetVerdict::Met), _) => ("good", "✓ met"),
        (Some(TargetVerdict::Unmet), true) => ("warn", "! within warning band"),
        (Some(TargetVerdict::Unmet), false) => ("bad", "✗ unmet"),
        (Some(TargetVerdict::Stale), _) => ("warn", "! only stale values"),
        (Some(TargetVerdict::NoData | TargetVerdict::NotDue), _) => ("muted", "– no data"),
    }
}

fn company(out: &mut String, p: &Portfolio) {
    if p.company_kpis.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"company\">\n<h2>Company KPIs</h2>\n<p class=\"note\">Each combines the \
         members' current values of a metric (a level's newest value, a flow's total or mean \
         over its cadence), from the members with a value that is not stale.</p>\n\
         <table class=\"targets company\"><thead><tr><th scope=\"col\">KPI</th>\
         <th scope=\"col\" class=\"num\">Value</th><th scope=\"col\">Target</th>\
         <th scope=\"col\">Verdict</th><th scope=\"col\" class=\"num\">Reporting</th></tr>\
         </thead><tbody>\n",
    );
    for k in &p.company_kpis {
        let (class, words) = company_verdict(k);
        let band = k
            .band
            .as_ref()
            .map(|b| {
                format!(
                    "<br><span class=\"muted\">warning band {}</span>",
                    escape(b)
                )
            })
            .unwrap_or_default();
        let from = k
            .extreme()
            .map(|m| {
                let which = if k.op == Op::Min { "lowest" } else { "highest" };
                format!(
                    "<br><span class=\"muted\">{which}: {}</span>",
                    escape(&m.plan)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{} <code>{}</code>{from}</th><td class=\"num\">{}</td>\
             <td>{}{band}</td><td class=\"{class} verdict\">{words}</td>\
             <td class=\"num\">{}</td></tr>",
            escape(&k.name),
            escape(&k.id),
            escape(k.value_text.as_deref().unwrap_or("–")),
            escape(k.target.as_deref().unwrap_or("–")),
            escape(&super::portfolio::reporting(k)),
        );
    }
    out.push_str("</tbody></table>\n");
    for k in &p.company_kpis {
        let _ = write!(
            out,
            "<details><summary>{} by plan</summary><table class=\"values\"><thead><tr>\
             <th scope=\"col\">Plan</th><th scope=\"col\" class=\"num\">Value</th>\
             <th scope=\"col\">Read on</th></tr></thead><tbody>",
            escape(&k.name)
        );
        for v in &k.values {
            let value = match (&v.value_text, v.stale) {
                (Some(t), false) => escape(t),
                (Some(t), true) => format!("<span class=\"muted\">{} (stale)</span>", escape(t)),
                (None, _) => "<span class=\"muted\">no value yet</span>".into(),
            };
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"num\">{value}</td><td>{}</td></tr>",
                escape(&v.plan),
                v.date.map_or_else(|| "–".to_string(), |d| d.to_string())
            );
        }
        out.push_str("</tbody></table></details>\n");
    }
    out.push_str("</section>\n");
}

fn broken(out: &mut String, p: &Portfolio) {
    if p.broken.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section id=\"broken\">\n<h2>Plans that did not load ({})</h2>\n\
         <p class=\"note\">Each is left out of the total and of the company KPIs until its \
         problems are fixed.</p>\n<ul class=\"risks\">",
        p.broken.len()
    );
    for b in &p.broken {
        let _ = write!(
            out,
            "<li class=\"risk\"><p class=\"head\">✗ <strong><code>{}</code></strong></p>",
            escape(&b.path)
        );
        for problem in &b.problems {
            let _ = write!(out, "<p class=\"why\">{}</p>", with_code(problem));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n</section>\n");
}
