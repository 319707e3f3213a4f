//! The manual page, `roadmap(1)`: one page with every command and its
//! options, drawn from the clap definition so that it cannot fall behind
//! the flags, plus the sections clap knows nothing of (environment, files,
//! exit status, examples).
//!
//! One page rather than clap_mangen's top page, which lists the commands
//! and points at `roadmap-status(1)` and the like, pages nobody installs.

use std::io::Write;

use clap::{Arg, ArgAction, CommandFactory};
use roff::{Inline, Roff, bold, italic, roman};

use crate::cli::Cli;

/// The page's date (`.TH`): when its hand-written text last changed. A
/// fixed date, not today's, so that the same version prints the same page.
const DATE: &str = "2026-12-02";

/// Write the page, in roff.
pub fn render(out: &mut dyn Write) -> std::io::Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_string();
    let mut page = Roff::new();
    page.control(
        "TH",
        [
            "ROADMAP",
            "1",
            DATE,
            &format!("roadmap {version}"),
            "User Commands",
        ],
    );

    page.control("SH", ["NAME"]);
    let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
    page.text([roman(format!("roadmap - {}", lower_first(&about)))]);

    page.control("SH", ["SYNOPSIS"]);
    page.text([
        bold("roadmap"),
        roman(" [global options] "),
        italic("command"),
        roman(" ["),
        italic("options"),
        roman("] ["),
        italic("arguments"),
        roman("]"),
    ]);

    page.control("SH", ["DESCRIPTION"]);
    // The long about's first paragraph is the about, which NAME has said.
    let long = cmd
        .get_long_about()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let rest = long.split_once("\n\n").map_or("", |(_, rest)| rest);
    paragraphs(&mut page, &format!("{rest}\n\n{DESCRIPTION}"));

    page.control("SH", ["GLOBAL OPTIONS"]);
    page.text([roman("These go before or after the command.")]);
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        option(&mut page, arg);
    }

    page.control("SH", ["COMMANDS"]);
    for sub in commands(&cmd) {
        let name = format!("roadmap {}", sub.get_name());
        page.control("SS", [name.as_str()]);
        page.text(synopsis(&name, sub));
        page.control("PP", []);
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        page.text(code_spans(&format!("{}.", about.trim_end_matches('.'))));
        for arg in own_args(sub) {
            option(&mut page, arg);
        }
    }

    for (title, body) in SECTIONS {
        page.control("SH", [*title]);
        body(&mut page);
    }
    page.to_writer(out)
}

/// The commands a user can run, in the order of `--help` (without clap's
/// `help` command, which `--help` covers).
pub fn commands(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
}

/// A command's own arguments: not the global ones, which are listed once,
/// nor `--help` and `--version`, which every command has.
pub fn own_args(sub: &clap::Command) -> impl Iterator<Item = &Arg> {
    sub.get_arguments().filter(|a| {
        !a.is_hide_set()
            && !a.is_global_set()
            && !["help", "version"].contains(&a.get_id().as_str())
    })
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Text with its `code` spans in bold, as a terminal shows them (a
/// Markdown fence, "```", is text).
fn code_spans(text: &str) -> Vec<Inline> {
    const FENCE: &str = "\u{0}";
    text.replace("```", FENCE)
        .split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| {
            let part = part.replace(FENCE, "```");
            if i % 2 == 1 { bold(part) } else { roman(part) }
        })
        .collect()
}

/// Paragraphs separated by blank lines, the first one right after a
/// section heading (which starts a paragraph itself).
fn paragraphs(page: &mut Roff, text: &str) {
    let paras = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
    for (i, para) in paras.enumerate() {
        if i > 0 {
            page.control("PP", []);
        }
        page.text(code_spans(&para.replace('\n', " ")));
    }
}

/// `roadmap status [--phase ID] ... [ID]...` in bold and italics.
fn synopsis(name: &str, sub: &clap::Command) -> Vec<Inline> {
    let mut line = vec![bold(name)];
    for arg in own_args(sub) {
        let (open, close) = if arg.is_required_set() {
            ("", "")
        } else {
            ("[", "]")
        };
        line.push(roman(format!(" {open}")));
        if let Some(long) = arg.get_long() {
            line.push(bold(format!("--{long}")));
            if takes_value(arg) {
                line.push(roman(" "));
            }
        }
        if takes_value(arg) {
            line.push(italic(value_name(arg)));
        }
        if arg.is_positional() && many(arg) {
            line.push(roman("..."));
        }
        line.push(roman(close));
    }
    line
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_num_args().is_some_and(|n| n.takes_values())
        && !matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::Help)
}

fn many(arg: &Arg) -> bool {
    arg.get_num_args().is_some_and(|n| n.max_values() > 1)
        || matches!(arg.get_action(), ArgAction::Append)
}

fn value_name(arg: &Arg) -> String {
    arg.get_value_names()
        .map(|v| v.join(" "))
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
}

/// One option or argument as a tagged paragraph: its flags and value, then
/// its help, the values it takes, its default and its variable.
fn option(page: &mut Roff, arg: &Arg) {
    let mut head = Vec::new();
    if let Some(short) = arg.get_short() {
        head.push(bold(format!("-{short}")));
        head.push(roman(", "));
    }
    if let Some(long) = arg.get_long() {
        head.push(bold(format!("--{long}")));
        if takes_value(arg) {
            head.push(roman(" "));
        }
    }
    if takes_value(arg) {
        head.push(italic(value_name(arg)));
    }
    if arg.is_positional() && many(arg) {
        head.push(roman("..."));
    }
    page.control("TP", []);
    page.text(head);

    let help = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let mut body = code_spans(&help);
    let values: Vec<_> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    // Values without a word to say about them fit on one line.
    let listed = values.iter().any(|v| v.get_help().is_some());
    if takes_value(arg) && !values.is_empty() && !listed {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        let lead = if body.is_empty() { "" } else { ". " };
        body.push(roman(format!("{lead}One of: {}.", names.join(", "))));
    }
    if !defaults.is_empty() && takes_value(arg) {
        body.push(roman(format!(" [default: {}]", defaults.join(", "))));
    }
    if let Some(env) = arg.get_env() {
        body.push(roman(format!(" [env: {}]", env.to_string_lossy())));
    }
    if !body.is_empty() {
        page.text(body);
    }
    // A plain flag's possible values are clap's `true` and `false`.
    if takes_value(arg) && listed {
        page.control("RS", []);
        for v in values {
            page.control("TP", []);
            page.text([bold(v.get_name())]);
            if let Some(help) = v.get_help() {
                page.text(code_spans(&help.to_string()));
            }
        }
        page.control("RE", []);
    }
}

const DESCRIPTION: &str = "\
The plan is a folder of YAML files a person can read and review: \
`roadmap.yaml` with the phases and the tracks' files, and optional KPI, \
alert and risk files. Commands answer where the plan stands, what is late \
and whether a phase's targets are met; `done`, `reopen`, `record` and \
`ingest` edit the files in place, changing nothing else in them.

Every command that depends on the date takes `--as-of YYYY-MM-DD`. Report \
commands take `--format table|markdown|json`; the JSON is a stable object \
documented in the README.";

type Section = fn(&mut Roff);

const SECTIONS: &[(&str, Section)] = &[
    ("ENVIRONMENT", environment),
    ("FILES", files),
    ("EXIT STATUS", exit_status),
    ("EXAMPLES", examples),
    ("SEE ALSO", see_also),
];

/// A list of `term` then its meaning, as tagged paragraphs.
fn terms(page: &mut Roff, terms: &[(&str, &str)]) {
    for (term, meaning) in terms {
        page.control("TP", []);
        page.text([bold(*term)]);
        page.text(code_spans(meaning));
    }
}

fn environment(page: &mut Roff) {
    terms(
        page,
        &[
            ("ROADMAP_DIR", "The roadmap folder, as `--dir`."),
            (
                "ROADMAP_AS_OF",
                "The as-of date, as `--as-of`: pins \"today\" for a CI step.",
            ),
            (
                "NO_COLOR",
                "When set and not empty, no colour, whatever the terminal.",
            ),
            (
                "COLUMNS",
                "The width tables fit [default: the terminal's, or 80 when the \
                 output is not a terminal].",
            ),
            (
                "GITHUB_ACTIONS",
                "When `true`, `check` also prints GitHub workflow annotations, \
                 on standard error: the ten most important errors and ten \
                 warnings (GitHub keeps no more per step), then a notice \
                 counting the rest.",
            ),
            (
                "GITHUB_STEP_SUMMARY",
                "When set, a table report is kept under 128 KiB, as every \
                 Markdown report is, since it may be appended to the job's \
                 step summary (GitHub rejects one over 1 MiB). JSON is never \
                 cut.",
            ),
            (
                "${NAME}",
                "A variable named in an action's `notify:` URL in alerts.yaml: \
                 `alerts --act` fills the URL from it, so a webhook's secret \
                 stays out of git.",
            ),
            (
                "ROADMAP_ALERT_ID, ROADMAP_ALERT_SEVERITY, ROADMAP_AS_OF",
                "Set by `alerts --act` for the `run:` commands it runs, with \
                 ROADMAP_ACTION_ID, ROADMAP_EPISODE_START and \
                 ROADMAP_ACTING_DIR (the plan it holds locked meanwhile).",
            ),
            (
                "COMPLETE",
                "Set by the shell's completion script (`COMPLETE=bash roadmap` \
                 prints it): the call answers a completion request instead of \
                 running a command.",
            ),
        ],
    );
}

fn files(page: &mut Roff) {
    use crate::edit::write::JOURNAL;
    use crate::load::actions::ACTIONS_FILE;
    use crate::load::history::METRICS_FILE;
    use crate::load::{ALERTS_FILE, KPIS_FILE, PLAN_FILE, RISKS_FILE};
    let plan = format!("roadmap/{PLAN_FILE}");
    terms(
        page,
        &[
            (
                &plan,
                "The plan: its name, start, length, phases and the track files \
                 it includes. Found in the current folder or the nearest \
                 `roadmap/` folder upward, unless `--dir` or ROADMAP_DIR names \
                 the folder. The other files are in the same folder.",
            ),
            (
                "track files",
                "The YAML files `roadmap.yaml` includes: each track with its \
                 items (id, title, area, months, `done` date).",
            ),
            (
                KPIS_FILE,
                "Optional: metrics, targets per phase and standing ones, \
                 dashboards.",
            ),
            (
                ALERTS_FILE,
                "Optional: alert conditions on the metrics and their actions.",
            ),
            (
                RISKS_FILE,
                "Optional: the contingency plan, risks and their mitigations.",
            ),
            (
                "tests/*.yaml",
                "Rule tests that `roadmap test` runs: metric histories and the \
                 alerts and gate verdicts they must produce.",
            ),
            (
                METRICS_FILE,
                "The recorded metric values (date, metric, value, source, note, \
                 replaces), appended by `record` and `ingest`.",
            ),
            (
                ACTIONS_FILE,
                "The attempts `alerts --act` made at the alerts' actions \
                 (alert, episode, action, step, as_of, at, outcome, output), \
                 appended one per attempt.",
            ),
            (
                ".roadmap.lock",
                "The lock that keeps two commands from writing the folder at \
                 once (see `--wait`); readers share it.",
            ),
            (
                crate::load::portfolio::FILE,
                "Read by `portfolio` in the current folder (or named by \
                 `--config`), outside any plan: the portfolio's name, its \
                 member plans (paths relative to it, or `*` globs) and its \
                 company-level KPIs.",
            ),
            (
                JOURNAL,
                "Present only while a command writes several files at once, \
                 or after it was killed: the next command finishes or undoes \
                 that write, so files change all together or not at all.",
            ),
        ],
    );
}

fn exit_status(page: &mut Roff) {
    terms(
        page,
        &[
            (
                "0",
                "Success (also when the reader of a pipe goes away early).",
            ),
            (
                "1",
                "A check found a problem: `check` (a due gate is unmet, or a \
                 critical alert fires), `alerts` (a critical alert fires; \
                 with `--act`, also an action that failed), `test` (a rule \
                 test fails).",
            ),
            (
                "2",
                "An error or bad input: a file problem, an unknown id, a bad \
                 flag. A command that fails changes no file.",
            ),
        ],
    );
}

fn examples(page: &mut Roff) {
    let examples: &[(&str, &str)] = &[
        ("Where the plan stands today:", "roadmap status"),
        (
            "The items of one phase that are late:",
            "roadmap items --phase f1 --overdue",
        ),
        (
            "Mark two items done, as of a given day:",
            "roadmap done f1-legal f1-marca --on 2026-04-30",
        ),
        (
            "What one person can start now, most urgent first:",
            "roadmap next --owner Ana",
        ),
        (
            "Mark work begun, and another item blocked:",
            "roadmap start f1-legal\nroadmap block f1-marca --reason 'waiting on the designer'",
        ),
        (
            "Record KPI values by hand, then check the due gates (exit 1 if \
             one fails, for CI):",
            "roadmap record 'cac=$140' revenue=12K\nroadmap check",
        ),
        (
            "A weekly update in Markdown, for a GitHub job summary:",
            "roadmap update --format markdown >> \"$GITHUB_STEP_SUMMARY\"",
        ),
        (
            "What changed in the plan since the last release:",
            "roadmap diff v1.0",
        ),
        (
            "The plan as one HTML page to share:",
            "roadmap report --out roadmap.html",
        ),
        (
            "Every team's plan in one view, and as one page (the members and \
             company KPIs in portfolio.yaml):",
            "roadmap portfolio\nroadmap portfolio --report --out portfolio.html",
        ),
        (
            "Complete ids in bash (see the README for other shells):",
            "source <(COMPLETE=bash roadmap)",
        ),
        ("Read this page:", "roadmap man | man -l -"),
    ];
    for (i, (what, how)) in examples.iter().enumerate() {
        if i > 0 {
            page.control("PP", []);
        }
        page.text(code_spans(what));
        page.control("RS", ["4"]);
        page.control("nf", []);
        for line in how.lines() {
            page.text([roman(line)]);
        }
        page.control("fi", []);
        page.control("RE", []);
    }
}

fn see_also(page: &mut Roff) {
    page.text(code_spans(
        "The README in the source of `roadmap`: a tour, the file format \
         in full, and the JSON output's schema. `roadmap COMMAND --help` \
         prints a command's options.",
    ));
}
