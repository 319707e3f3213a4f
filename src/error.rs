//! The one error type of the program, and the exit code each error maps to.

use std::path::PathBuf;

use crate::diag::Diagnostics;

/// Exit statuses, named rather than scattered as integers (as fd does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything is fine.
    Ok = 0,
    /// A check found a problem: a gate is unmet, a critical alert fires.
    Problem = 1,
    /// An error, or bad input.
    Error = 2,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has problems; each diagnostic says where and how to fix it.
    #[error("{} problem{} found", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Diagnostics),
    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// No roadmap folder could be found.
    #[error("no roadmap found: {searched}")]
    NoRoadmap { searched: String },
    /// A command-line value is wrong in a way clap cannot see.
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },
    /// The command already reported the problem on stdout; exit with this
    /// code and print nothing more (zoxide's silent exit).
    #[error("already reported")]
    Reported(ExitCode),
    /// Writing the output failed (a closed pipe is handled before this).
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

impl Error {
    pub fn code(&self) -> ExitCode {
        match self {
            Error::Reported(code) => *code,
            Error::Invalid(_)
            | Error::Io { .. }
            | Error::NoRoadmap { .. }
            | Error::Usage { .. }
            | Error::Output(_) => ExitCode::Error,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn usage(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
