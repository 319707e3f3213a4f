//! Shell completion of ids: phases, tracks, areas, items, metrics and
//! dashboards, read from the plan while the user presses TAB.
//!
//! clap_complete's dynamic completion: the shell's registration script
//! (`COMPLETE=bash roadmap`, or `roadmap completions bash`) calls the binary
//! back with `COMPLETE` set and the words typed so far; [`from_env`]
//! answers that before anything else runs. The candidate functions here
//! are attached to the args in `cli.rs`. A missing or broken plan gives no
//! candidates: completion never prints an error nor fails.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::Shells;

use crate::cli::Cli;
use crate::model::Roadmap;

/// The variable that turns a run into a completion request.
const VAR: &str = "COMPLETE";

/// The folder named by `--dir` on the line being completed, if any: the
/// candidate functions only see the word under the cursor, so the words are
/// read here first.
static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Answer a completion request and exit, when `COMPLETE` is set; otherwise
/// return and let the command run.
pub fn from_env() {
    if std::env::var_os(VAR).is_none_or(|v| v.is_empty() || v == "0") {
        return;
    }
    let words: Vec<OsString> = std::env::args_os()
        .skip_while(|a| a != "--")
        .skip(1)
        .collect();
    let _ = DIR.set(dir_flag(&words));
    // A plan that trips a bug must not print a panic under the prompt.
    std::panic::set_hook(Box::new(|_| {}));
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(VAR)
        .complete();
}

/// `roadmap completions SHELL`: the same registration script as
/// `COMPLETE=SHELL roadmap`, so both complete ids.
pub fn registration(shell: clap_complete::Shell, out: &mut dyn Write) -> std::io::Result<()> {
    let name = shell.to_string();
    let shells = Shells::builtins();
    let Some(completer) = shells.completer(&name) else {
        return Err(std::io::Error::other(format!("no completion for {name}")));
    };
    completer.write_registration(VAR, "roadmap", "roadmap", &completer_path(), out)
}

/// How the script calls us back: as we were called (`roadmap`, found on
/// the PATH), or by absolute path when called by a path, as CompleteEnv
/// does.
fn completer_path() -> String {
    let arg0 = PathBuf::from(
        std::env::args_os()
            .next()
            .unwrap_or_else(|| "roadmap".into()),
    );
    let path = match std::env::current_dir() {
        Ok(cwd) if arg0.components().count() > 1 => cwd.join(arg0),
        _ => arg0,
    };
    path.to_string_lossy().into_owned()
}

/// The value of `--dir PATH` or `--dir=PATH` among the typed words.
fn dir_flag(words: &[OsString]) -> Option<PathBuf> {
    let mut found = None;
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        let word = word.to_string_lossy();
        if word == "--dir" {
            found = iter.next().map(|v| v.to_string_lossy().into_owned());
        } else if let Some(v) = word.strip_prefix("--dir=") {
            found = Some(v.to_string());
        }
    }
    // The shell has not expanded `~` in the words it hands over.
    found
        .filter(|d| !d.is_empty())
        .map(|d| match d.strip_prefix("~/") {
            Some(rest) => std::env::home_dir().map_or_else(|| PathBuf::from(&d), |h| h.join(rest)),
            None => PathBuf::from(d),
        })
}

/// The plan the command line points at, loaded once; None when there is
/// no plan or it does not load (or loading panics).
fn plan() -> Option<&'static Roadmap> {
    static PLAN: OnceLock<Option<Roadmap>> = OnceLock::new();
    PLAN.get_or_init(|| {
        let explicit = DIR
            .get()
            .cloned()
            .flatten()
            .or_else(|| std::env::var_os("ROADMAP_DIR").map(PathBuf::from));
        let cwd = std::env::current_dir().ok()?;
        let dir = crate::load::find_dir(explicit.as_deref(), &cwd).ok()?;
        load_quietly(&dir)
    })
    .as_ref()
}

fn load_quietly(dir: &Path) -> Option<Roadmap> {
    std::panic::catch_unwind(|| crate::load::load(dir).ok()).ok()?
}

fn candidate(value: &str, help: &str) -> CompletionCandidate {
    CompletionCandidate::new(value).help(Some(help.to_string().into()))
}

/// Phase ids (`--phase`).
pub fn phases() -> Vec<CompletionCandidate> {
    plan().map_or_else(Vec::new, |map| {
        map.phases
            .iter()
            .map(|p| candidate(&p.id, &p.name))
            .collect()
    })
}

/// Track ids (`--track`).
pub fn tracks() -> Vec<CompletionCandidate> {
    plan().map_or_else(Vec::new, |map| {
        map.tracks
            .iter()
            .map(|t| candidate(&t.id, &t.name))
            .collect()
    })
}

/// Item areas (`--area`), each once, in their first spelling.
pub fn areas() -> Vec<CompletionCandidate> {
    let Some(map) = plan() else {
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::new();
    let mut areas: Vec<&str> = map
        .items
        .iter()
        .map(|i| i.area.as_str())
        .filter(|a| seen.insert(a.to_lowercase()))
        .collect();
    areas.sort_unstable();
    areas.into_iter().map(CompletionCandidate::new).collect()
}

/// Items not done yet (`done ID`): those are the ones to mark.
pub fn open_items() -> Vec<CompletionCandidate> {
    items(false)
}

/// Items done (`reopen ID`): only those can be reopened.
pub fn done_items() -> Vec<CompletionCandidate> {
    items(true)
}

fn items(done: bool) -> Vec<CompletionCandidate> {
    plan().map_or_else(Vec::new, |map| {
        map.items
            .iter()
            .filter(|i| i.done.is_some() == done)
            .map(|i| candidate(&i.id, &i.title))
            .collect()
    })
}

/// Items blocked now (`unblock ID`).
pub fn blocked_items() -> Vec<CompletionCandidate> {
    plan().map_or_else(Vec::new, |map| {
        map.items
            .iter()
            .filter(|i| i.blocked.is_some())
            .map(|i| candidate(&i.id, &i.title))
            .collect()
    })
}

/// Owners (`--owner`): the plan's `people:`, else the owners its items
/// name, each once.
pub fn owners() -> Vec<CompletionCandidate> {
    let Some(map) = plan() else {
        return Vec::new();
    };
    crate::cmd::owners(map)
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// Item states (`items --state`).
pub fn states() -> Vec<CompletionCandidate> {
    crate::eval::State::ALL
        .iter()
        .map(|s| CompletionCandidate::new(s.name()))
        .collect()
}

/// Dashboard ids (`dashboard ID`).
pub fn dashboards() -> Vec<CompletionCandidate> {
    plan().map_or_else(Vec::new, |map| {
        map.dashboards
            .iter()
            .map(|d| candidate(&d.id, &d.name))
            .collect()
    })
}

/// `record METRIC=VALUE`: metric ids followed by `=`, so the value comes
/// next (the shell adds no space after a `=`); nothing once the `=` is
/// typed, as values are the user's to give.
pub fn metric_values(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    if current.contains('=') {
        return Vec::new();
    }
    plan().map_or_else(Vec::new, |map| {
        map.metrics
            .iter()
            .filter(|m| m.id.starts_with(current))
            .map(|m| candidate(&format!("{}=", m.id), &m.name))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<OsString> {
        w.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_dir_flag_is_read_in_both_spellings_and_the_last_wins() {
        assert_eq!(
            dir_flag(&words(&["roadmap", "--dir", "a", "done", ""])),
            Some(PathBuf::from("a"))
        );
        assert_eq!(
            dir_flag(&words(&["roadmap", "--dir=a", "--dir=b", "items"])),
            Some(PathBuf::from("b"))
        );
        assert_eq!(dir_flag(&words(&["roadmap", "items", "--dir"])), None);
        assert_eq!(dir_flag(&words(&["roadmap", "status"])), None);
    }
}
