//! `roadmap diff REV1 [REV2]`: what changed in the plan between two git
//! revisions, or between one and the working tree. Each revision's files
//! are written into a temporary folder by [`crate::git`] and loaded with
//! the same loader as the working tree, so both sides are compared as
//! models.

use std::io::Write;
use std::path::Path;

use crate::cli::{DiffArgs, Format};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::eval::diff::{Rev, Version};
use crate::git::Repo;
use crate::load::history::Row;
use crate::model::Roadmap;
use crate::{eval, load, render};

pub fn run(args: &DiffArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    if !ctx.dir.is_dir() {
        // Say what every command says of a missing folder, not what git says.
        load::load(&ctx.dir)?;
    }
    let repo = Repo::of(
        &ctx.dir,
        "`roadmap diff` compares revisions of a roadmap kept in git",
    )?;
    // Both revisions are checked before either is read: a typo in the
    // second should not wait for the first to load.
    let from_commit = repo.commit(&args.from)?;
    let to_commit = match &args.to {
        Some(rev) => Some(repo.commit(rev)?),
        None => None,
    };
    let (_old_files, old_map, old_values) = at(&repo, &args.from, &from_commit)?;
    let (_new_files, new_map, new_values) = match (&args.to, &to_commit) {
        (Some(rev), Some(commit)) => at(&repo, rev, commit)?,
        _ => {
            let map = load::load(&ctx.dir)?;
            let values = load::history::read(&map)?.rows;
            (None, map, values)
        }
    };
    let report = eval::diff::diff(
        repo.prefix.clone(),
        Rev {
            rev: Some(args.from.clone()),
            commit: Some(from_commit),
        },
        Rev {
            rev: args.to.clone(),
            commit: to_commit,
        },
        &Version {
            map: &old_map,
            values: &old_values,
        },
        &Version {
            map: &new_map,
            values: &new_values,
        },
    );
    match ctx.format {
        Format::Json => render::json(out, &report)?,
        f => out.write_all(render::diff::text(&report, f, ctx.style, ctx.width).as_bytes())?,
    }
    Ok(())
}

/// The roadmap as it was at `commit`, loaded from a temporary folder that
/// lives as long as the returned handle.
fn at(
    repo: &Repo,
    rev: &str,
    commit: &str,
) -> Result<(Option<tempfile::TempDir>, Roadmap, Vec<Row>)> {
    let tmp = tempfile::Builder::new()
        .prefix("roadmap-diff-")
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let folder = if repo.prefix.is_empty() {
        "the repository's top folder".to_string()
    } else {
        format!("`{}`", repo.prefix)
    };
    repo.export(commit, tmp.path())?;
    if std::fs::symlink_metadata(tmp.path().join(load::PLAN_FILE)).is_err() {
        return Err(Error::usage(
            format!(
                "the roadmap did not exist yet at `{rev}`: {folder} has no {} there",
                load::PLAN_FILE
            ),
            Some(format!(
                "pick a later revision; `git log --oneline -- {}{}` lists the commits that changed it",
                repo.prefix,
                load::PLAN_FILE
            )),
        ));
    }
    let located = |e| at_revision(e, tmp.path(), rev, &repo.prefix);
    let map = load::load(tmp.path()).map_err(located)?;
    let values = load::history::read(&map).map_err(located)?.rows;
    Ok((Some(tmp), map, values))
}

/// Problems in an old revision's files, named as git names them
/// (`HEAD~2:roadmap/kpis.yaml:4:7`) rather than by the temporary folder
/// they were read from.
fn at_revision(e: Error, tmp: &Path, rev: &str, prefix: &str) -> Error {
    match e {
        Error::Invalid(mut diags) => {
            for d in &mut diags.0 {
                if let Ok(rest) = d.file.strip_prefix(tmp) {
                    d.file = format!("{rev}:{prefix}{}", rest.display()).into();
                }
            }
            Error::Invalid(diags)
        }
        other => other,
    }
}
