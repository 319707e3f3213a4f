//! `roadmap check`: one verdict for CI, every failure explained.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::cli::{CheckArgs, Format};
use crate::context::Context;
use crate::error::{Error, ExitCode, Result};
use crate::model::Place;
use crate::{eval, load, render};

pub fn run(args: &CheckArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let map = load::load(&ctx.dir)?;
    let phase = super::phase(&map, &args.phase)?;
    let history = load::history::history(&map)?;
    let report = eval::check::check(&map, &history, phase, ctx.as_of);
    if ctx.github_actions {
        // On stderr: the runner reads workflow commands from both streams,
        // and stdout stays the report (often piped into the step summary).
        let top = std::env::var_os("GITHUB_WORKSPACE").map(PathBuf::from);
        let cwd = std::env::current_dir().ok();
        let locate = |p: &Place| in_workspace(&p.file, cwd.as_deref(), top.as_deref());
        // What lists every finding, when GitHub shows only some: the same
        // check on the same day.
        let phase = args
            .phase
            .as_ref()
            .map_or(String::new(), |p| format!(" --phase {p}"));
        let again = format!("{} check{phase} --as-of {}", ctx.invocation, ctx.as_of);
        let annotations = render::check::annotations(&report, &ctx.invocation, &again, &locate);
        let _ = std::io::stderr().write_all(annotations.as_bytes());
    }
    match ctx.format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(
            render::check::text(&report, f, ctx.style, ctx.width, &ctx.invocation).as_bytes(),
        )?,
    }
    if report.ok {
        Ok(())
    } else {
        Err(Error::Reported(ExitCode::Problem))
    }
}

/// A file's path as GitHub names it in an annotation: relative to the
/// checked-out repository (`$GITHUB_WORKSPACE`, else the current folder),
/// with `/` between parts. `file` is the path diagnostics show, relative
/// to the current folder when it is under it. None for a file outside the
/// repository, which GitHub could not show.
pub(super) fn in_workspace(file: &Path, cwd: Option<&Path>, top: Option<&Path>) -> Option<String> {
    let absolute = match cwd {
        Some(cwd) => lexical(&cwd.join(file)),
        None if file.is_relative() => lexical(file),
        None => return None,
    };
    let top = lexical(top.or(cwd)?);
    let relative = absolute.strip_prefix(&top).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `a/./b/../c` as `a/c`, without asking the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_paths_are_relative_to_the_repository() {
        let cwd = Path::new("/w/repo");
        let here =
            |f: &str, top: Option<&str>| in_workspace(Path::new(f), Some(cwd), top.map(Path::new));
        assert_eq!(
            here("roadmap/kpis.yaml", None).as_deref(),
            Some("roadmap/kpis.yaml")
        );
        assert_eq!(
            here("./roadmap/kpis.yaml", Some("/w/repo")).as_deref(),
            Some("roadmap/kpis.yaml")
        );
        // Run from a subfolder of the checkout: still from its top.
        assert_eq!(
            in_workspace(
                Path::new("../plan/kpis.yaml"),
                Some(Path::new("/w/repo/tools")),
                Some(Path::new("/w/repo"))
            )
            .as_deref(),
            Some("plan/kpis.yaml")
        );
        assert_eq!(
            here("/w/repo/roadmap/alerts.yaml", Some("/w/repo/")).as_deref(),
            Some("roadmap/alerts.yaml")
        );
        // Outside the repository GitHub has nothing to show.
        assert_eq!(here("/elsewhere/kpis.yaml", Some("/w/repo")), None);
        assert_eq!(here("../kpis.yaml", None), None);
    }
}
