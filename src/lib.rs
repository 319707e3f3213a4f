//! `roadmap`: track a company's implementation roadmap and KPIs over plain
//! YAML files kept in git.
//!
//! The library is the program; `main.rs` only calls [`main`]. The layers:
//! [`cli`] (flags) -> [`context`] (flags resolved once) -> [`load`] (files
//! into the validated [`model`], with [`diag`]nostics) -> [`eval`] (pure
//! reports) -> [`render`] (table, Markdown, JSON); [`cmd`] glues them, one
//! file per subcommand. [`edit`] writes the plan's files; [`effect`] runs
//! alert actions (commands, webhooks) for `alerts --act`, and only `cmd`
//! calls it.

pub mod cli;
pub mod cmd;
pub mod complete;
pub mod context;
pub mod diag;
pub mod edit;
pub mod effect;
pub mod error;
pub mod eval;
pub mod git;
pub mod load;
pub mod man;
pub mod model;
pub mod render;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::Parser;

use cli::{Cli, ColorChoice, Command};
use context::Context;
use error::{Error, ExitCode};
use render::Style;

/// Run the program with the process's arguments and return its exit code.
pub fn main() -> std::process::ExitCode {
    // A shell asking for completions is answered before anything else.
    complete::from_env();
    let code = run(std::env::args_os());
    std::process::ExitCode::from(code as u8)
}

/// Run with `args`, writing to stdout and stderr.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage
            // errors to stderr (exit 2), matching our codes.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::Error
            } else {
                ExitCode::Ok
            };
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = match cli.global.quiet {
        true => execute(&cli, &mut std::io::sink()),
        false => execute(&cli, &mut out).and_then(|()| out.flush().map_err(Error::from)),
    };
    match result {
        Ok(()) => ExitCode::Ok,
        // A reader that stops early (`roadmap items | head`) is not an error.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::Ok,
        Err(e) => {
            drop(out);
            report(&e, stderr_style(cli.global.color), cli.command.writes());
            e.code()
        }
    }
}

fn execute(cli: &Cli, out: &mut dyn Write) -> error::Result<()> {
    match &cli.command {
        Command::Completions { shell } => Ok(complete::registration(*shell, out)?),
        Command::Man => Ok(man::render(out)?),
        // Neither needs a plan: `init` makes one.
        Command::Init(args) => cmd::init::run(args, &cli.global, out),
        Command::Schema { kind } => cmd::schema::run(*kind, out),
        // Its plans are its arguments; no one plan need be found.
        Command::Portfolio(_) => {
            let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
            let ctx = Context::resolve_portfolio(&cli.global, cli.command.format(), &cwd)?;
            cmd::run(&cli.command, &ctx, out)
        }
        command => {
            let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
            let ctx = Context::resolve(&cli.global, command.format(), &cwd)?;
            cmd::run(command, &ctx, out)
        }
    }
}

fn stderr_style(choice: ColorChoice) -> Style {
    Style::new(match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    })
}

/// Print an error on stderr in one voice: diagnostics with their excerpts,
/// then a summary line.
fn report(e: &Error, style: Style, writes: bool) {
    let mut err = std::io::stderr().lock();
    let _ = match e {
        Error::Reported(_) => Ok(()),
        Error::Invalid(diags) => {
            for d in &diags.0 {
                let _ = writeln!(err, "{}\n", d.render(&style));
            }
            // A command that writes says so: its files are untouched.
            let untouched = if writes { "; nothing was changed" } else { "" };
            writeln!(
                err,
                "{} {} found{untouched}",
                style.red("error:"),
                render::plural(diags.len(), "problem")
            )
        }
        Error::Usage { message, hint } => {
            for line in message.lines() {
                let _ = writeln!(err, "{} {line}", style.red("error:"));
            }
            match hint {
                Some(h) => writeln!(err, "  {} {h}", style.cyan("hint:")),
                None => Ok(()),
            }
        }
        Error::Io { .. } if writes => writeln!(
            err,
            "{} {e}\n  {} nothing was changed",
            style.red("error:"),
            style.cyan("hint:")
        ),
        other => writeln!(err, "{} {other}", style.red("error:")),
    };
}
