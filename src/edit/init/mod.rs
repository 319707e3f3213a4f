//! Starter plans for `roadmap init`: the templates, embedded in the
//! binary, and writing one into a folder that holds no plan, all or
//! nothing.
//!
//! The `bakery` and `ai-products` templates are the repository's own
//! `examples/bakery/` and `roadmap/` files, included as they are; only
//! their first line changes. That line names the file's JSON Schema for
//! editors, relative to the repository's `schemas/`, which a new plan does
//! not have: `init` writes the schemas into the plan's `.schemas/` folder
//! (which the loader never reads) and points each file there, so editors
//! complete and check keys offline.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::write;
use crate::diag::display_path;
use crate::error::{Error, Result};
use crate::load::schema::{FileKind, SCHEMA_LINE_PREFIX};

/// Where a new plan keeps its copies of the JSON Schemas.
pub const SCHEMA_DIR: &str = ".schemas";

/// A starter plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// One phase, one track, one item and one KPI target, commented.
    Blank,
    /// `examples/bakery`.
    Bakery,
    /// The bundled `roadmap/`, rule tests included.
    AiProducts,
}

/// One file of a template: its path inside the plan, its kind and text.
#[derive(Debug, Clone, Copy)]
pub struct TemplateFile {
    pub path: &'static str,
    pub kind: FileKind,
    pub text: &'static str,
}

macro_rules! file {
    ($dir:literal, $path:literal, $kind:ident) => {
        TemplateFile {
            path: $path,
            kind: FileKind::$kind,
            text: include_str!(concat!($dir, $path)),
        }
    };
}

const BLANK: &[TemplateFile] = &[
    file!("blank/", "roadmap.yaml", Roadmap),
    file!("blank/", "kpis.yaml", Kpis),
];

const BAKERY: &[TemplateFile] = &[
    file!("../../../examples/bakery/", "roadmap.yaml", Roadmap),
    file!("../../../examples/bakery/", "team.yaml", Tracks),
    file!("../../../examples/bakery/", "kpis.yaml", Kpis),
    file!("../../../examples/bakery/", "alerts.yaml", Alerts),
    file!("../../../examples/bakery/", "risks.yaml", Risks),
];

const AI_PRODUCTS: &[TemplateFile] = &[
    file!("../../../roadmap/", "roadmap.yaml", Roadmap),
    file!("../../../roadmap/", "products.yaml", Tracks),
    file!("../../../roadmap/", "technology.yaml", Tracks),
    file!("../../../roadmap/", "marketing.yaml", Tracks),
    file!("../../../roadmap/", "operations.yaml", Tracks),
    file!("../../../roadmap/", "sales.yaml", Tracks),
    file!("../../../roadmap/", "kpis.yaml", Kpis),
    file!("../../../roadmap/", "alerts.yaml", Alerts),
    file!("../../../roadmap/", "risks.yaml", Risks),
    file!("../../../roadmap/", "tests/alerts.yaml", Tests),
    file!("../../../roadmap/", "tests/gates.yaml", Tests),
];

/// The blank template's start date, replaced by the first day of the
/// as-of month: a new plan starts now, not in the past.
const BLANK_START: &str = "\nstart: 2026-01-01 ";

impl Template {
    pub fn files(self) -> &'static [TemplateFile] {
        match self {
            Template::Blank => BLANK,
            Template::Bakery => BAKERY,
            Template::AiProducts => AI_PRODUCTS,
        }
    }
}

/// The files of a new plan from `template`, as (path inside the plan,
/// contents): the template's files with their schema lines pointing into
/// [`SCHEMA_DIR`], then the schemas.
pub fn plan(template: Template, as_of: NaiveDate) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = template
        .files()
        .iter()
        .map(|f| {
            let mut text = localise(f);
            if template == Template::Blank {
                let first = as_of.with_day(1).unwrap_or(as_of);
                text = text.replacen(BLANK_START, &format!("\nstart: {first} "), 1);
            }
            (PathBuf::from(f.path), text)
        })
        .collect();
    for kind in FileKind::ALL {
        files.push((
            Path::new(SCHEMA_DIR).join(kind.file_name()),
            kind.schema().to_string(),
        ));
    }
    files
}

/// The file's text with its first line naming the plan's own copy of its
/// schema.
fn localise(f: &TemplateFile) -> String {
    let up = "../".repeat(f.path.matches('/').count());
    let rest = f.text.split_once('\n').map_or("", |(_, rest)| rest);
    format!(
        "{SCHEMA_LINE_PREFIX}{up}{SCHEMA_DIR}/{}\n{rest}",
        f.kind.file_name()
    )
}

/// Write `files` (paths inside `dir`) into `dir`, creating it if need be,
/// all or nothing. Refused if `dir` already holds a plan (a
/// `roadmap.yaml`) or any of the files; other files in it stay as they
/// are. On failure, folders this call created are removed again.
pub fn write(dir: &Path, files: &[(PathBuf, String)], wait: std::time::Duration) -> Result<()> {
    let shown = display_path(dir);
    if let Ok(m) = std::fs::metadata(dir)
        && !m.is_dir()
    {
        return Err(Error::usage(
            format!("{} exists and is not a folder", shown.display()),
            Some("nothing was changed; name a new folder: `roadmap init FOLDER`".into()),
        ));
    }
    refuse_existing(dir, files)?;
    let mut created = Vec::new();
    let result = create_folders(dir, files, &mut created).and_then(|()| {
        let _lock = write::lock(dir, wait)?;
        // Another `init` may have written here since the check above.
        refuse_existing(dir, files)?;
        write::commit(
            dir,
            files
                .iter()
                .map(|(path, text)| (dir.join(path), text.clone().into_bytes()))
                .collect(),
        )
    });
    if result.is_err() {
        // Innermost first; a folder that is not empty is not ours to remove.
        for folder in created.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
    result
}

/// Refuse to write over a plan, or over any file of `files`.
fn refuse_existing(dir: &Path, files: &[(PathBuf, String)]) -> Result<()> {
    let mut paths: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    let plan_file = Path::new(crate::load::PLAN_FILE);
    if !paths.contains(&plan_file) {
        paths.insert(0, plan_file);
    }
    let mut there: Vec<String> = paths
        .into_iter()
        .filter(|p| std::fs::symlink_metadata(dir.join(p)).is_ok())
        .map(|p| p.display().to_string())
        .collect();
    if there.is_empty() {
        return Ok(());
    }
    let many = there.len() > 3;
    there.truncate(3);
    let more = if many { ", ..." } else { "" };
    Err(Error::usage(
        format!(
            "{} already holds a plan ({}{more})",
            display_path(dir).display(),
            there.join(", ")
        ),
        Some(
            "nothing was changed; start the new plan in another folder: `roadmap init FOLDER`"
                .into(),
        ),
    ))
}

/// Create `dir` and the subfolders `files` need, noting each folder made.
fn create_folders(
    dir: &Path,
    files: &[(PathBuf, String)],
    created: &mut Vec<PathBuf>,
) -> Result<()> {
    let mut wanted: Vec<PathBuf> = dir.ancestors().map(Path::to_path_buf).collect();
    wanted.reverse();
    for (path, _) in files {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            wanted.push(dir.join(parent));
        }
    }
    for folder in wanted {
        if folder.as_os_str().is_empty() || folder.is_dir() {
            continue;
        }
        std::fs::create_dir(&folder).map_err(|e| Error::io(display_path(&folder), e))?;
        created.push(folder);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 5, 17).unwrap()
    }

    #[test]
    fn every_template_file_opens_with_a_schema_line() {
        for t in [Template::Blank, Template::Bakery, Template::AiProducts] {
            for f in t.files() {
                assert!(
                    f.text.starts_with(SCHEMA_LINE_PREFIX),
                    "{} does not name its schema on line 1",
                    f.path
                );
                let first = f.text.lines().next().unwrap();
                assert!(
                    first.ends_with(&format!("schemas/{}", f.kind.file_name())),
                    "{} names the wrong schema: {first}",
                    f.path
                );
            }
        }
    }

    #[test]
    fn a_new_plan_points_at_its_own_schemas() {
        let files = plan(Template::AiProducts, as_of());
        let text = |p: &str| &files.iter().find(|(q, _)| q == Path::new(p)).unwrap().1;
        assert!(
            text("kpis.yaml")
                .starts_with("# yaml-language-server: $schema=.schemas/kpis.schema.json\n# ")
        );
        assert!(
            text("tests/gates.yaml")
                .starts_with("# yaml-language-server: $schema=../.schemas/tests.schema.json\n")
        );
        for kind in FileKind::ALL {
            let path = format!(".schemas/{}", kind.file_name());
            assert_eq!(text(&path), kind.schema());
        }
    }

    #[test]
    fn a_blank_plan_starts_in_the_as_of_month() {
        assert_eq!(BLANK[0].text.matches(BLANK_START).count(), 1);
        let files = plan(Template::Blank, as_of());
        assert!(
            files[0].1.contains("\nstart: 2027-05-01 "),
            "{}",
            files[0].1
        );
    }
}
