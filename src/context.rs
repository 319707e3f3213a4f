//! Flags resolved once into what every command runs on: the roadmap
//! folder, the as-of date, the output format and styling (ripgrep's
//! low-args -> high-args, fd's `Opts` -> `Config`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::cli::{ColorChoice, Format, Global};
use crate::error::{Error, Result};
use crate::load;
use crate::render::Style;

pub struct Context {
    pub dir: PathBuf,
    pub as_of: NaiveDate,
    pub format: Format,
    pub style: Style,
    /// Columns available for tables.
    pub width: usize,
    /// Running in GitHub Actions (`GITHUB_ACTIONS=true`): `check` also
    /// prints workflow annotations.
    pub github_actions: bool,
    /// `GITHUB_STEP_SUMMARY` is set: a report may be appended to the job's
    /// step summary, which GitHub rejects over 1 MiB, so even a table
    /// report stays within [`crate::render::markdown::BUDGET`].
    pub step_summary: bool,
    /// How to call us again on the same roadmap, for the commands reports
    /// suggest: `roadmap`, or `roadmap --dir PATH` when a folder was given.
    pub invocation: String,
    /// How long to wait for the folder lock held by another command.
    pub wait: std::time::Duration,
    /// `--quiet`: standard output is discarded, so whatever must still be
    /// seen (errors) goes to stderr.
    pub quiet: bool,
}

impl Context {
    pub fn resolve(g: &Global, format: Format, cwd: &Path) -> Result<Context> {
        let dir = load::find_dir(g.dir.as_deref(), cwd)?;
        Self::at(g, format, dir)
    }

    /// For `portfolio`, whose plans are named by its arguments: the plan
    /// found the usual way if there is one (a portfolio of one), else the
    /// current folder, which holds no plan.
    pub fn resolve_portfolio(g: &Global, format: Format, cwd: &Path) -> Result<Context> {
        let dir = load::find_dir(g.dir.as_deref(), cwd).unwrap_or_else(|_| cwd.to_path_buf());
        Self::at(g, format, dir)
    }

    fn at(g: &Global, format: Format, dir: PathBuf) -> Result<Context> {
        let as_of = as_of(g)?;
        let tty = std::io::stdout().is_terminal();
        // Markdown and JSON are read by programs and browsers: never colour.
        let color = format == Format::Table
            && match g.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
        Ok(Context {
            dir,
            as_of,
            format,
            style: Style::new(color),
            width: width(tty),
            github_actions: std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"),
            step_summary: std::env::var_os("GITHUB_STEP_SUMMARY").is_some_and(|v| !v.is_empty()),
            invocation: match &g.dir {
                // A folder from ROADMAP_DIR is in the environment already.
                Some(d) if std::env::var_os("ROADMAP_DIR").is_none_or(|v| v != *d) => {
                    format!("roadmap --dir {}", d.display())
                }
                _ => "roadmap".to_string(),
            },
            wait: std::time::Duration::from_secs(g.wait),
            quiet: g.quiet,
        })
    }
}

/// The as-of date: `--as-of` or `ROADMAP_AS_OF`, else today.
pub fn as_of(g: &Global) -> Result<NaiveDate> {
    match &g.as_of {
        // Name where a bad date came from: the flag or the variable.
        Some(text) if std::env::var("ROADMAP_AS_OF").is_ok_and(|v| v == *text) => {
            parse_flag_date("ROADMAP_AS_OF", text)
        }
        Some(text) => parse_flag_date("--as-of", text),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// A date given on the command line (`--on`, `--as-of`) or in the
/// environment (`ROADMAP_AS_OF`), named in the message if it is bad.
pub fn parse_flag_date(flag: &str, text: &str) -> Result<NaiveDate> {
    let example = if flag.starts_with("--") {
        format!("{flag} 2026-08-15")
    } else {
        format!("{flag}=2026-08-15")
    };
    load::parse_date(text).map_err(|msg| {
        Error::usage(
            format!("{flag}: {msg}"),
            Some(format!("write the date as YYYY-MM-DD, e.g. `{example}`")),
        )
    })
}

/// The terminal's width on a terminal; otherwise `$COLUMNS`, or 80 so that
/// piped output is stable and fits a standard terminal.
fn width(tty: bool) -> usize {
    if let Some(w) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return w;
    }
    if tty && let Some(w) = comfy_table::Table::new().width() {
        return usize::from(w);
    }
    80
}
