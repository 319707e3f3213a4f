//! `roadmap ingest`: store metric values from snapshot files.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::cli::{IngestArgs, InputFormat};
use crate::context::Context;
use crate::diag::{Diagnostics, display_path};
use crate::error::{Error, Result};
use crate::load::history::{check_json, csv_rows, read, snapshot_rows};
use crate::{edit, load};

pub fn run(args: &IngestArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    // Read every input before taking the lock: standard input may be slow.
    let mut inputs = Vec::new();
    for file in &args.files {
        let (name, text) = read_input(file)?;
        let format = match (args.format, guess(file)) {
            (Some(f), _) | (None, Some(f)) => f,
            (None, None) => {
                return Err(Error::usage(
                    format!("cannot tell the format of `{}`", name.display()),
                    Some("pass --format yaml, json or csv".into()),
                ));
            }
        };
        inputs.push((name, text, format));
    }
    let _lock = edit::write::lock(&ctx.dir, ctx.wait)?;
    let map = load::load(&ctx.dir)?;
    let stored = read(&map)?;
    let mut diags = Diagnostics::default();
    let mut rows = Vec::new();
    // Each input's text goes as soon as its rows are read, and the first
    // input's rows are the list itself, not a copy: a million-row file is
    // held once as text, then once as rows.
    for (name, text, format) in inputs {
        let (name, text) = (&name, &text);
        let new = match format {
            InputFormat::Csv => csv_rows(&map, name, text, &mut diags),
            InputFormat::Json if let Some(d) = check_json(name, text) => {
                diags.push(d);
                Vec::new()
            }
            InputFormat::Json => {
                // Valid JSON is read as the YAML it also is; what the YAML
                // reader still refuses (a duplicate key) is a JSON problem.
                let before = diags.len();
                let rows = snapshot_rows(&map, name, text, &mut diags);
                for d in &mut diags.0[before..] {
                    if let Some(rest) = d.message.strip_prefix("invalid YAML: ") {
                        d.message = format!("invalid JSON: {rest}");
                    }
                }
                rows
            }
            InputFormat::Yaml => snapshot_rows(&map, name, text, &mut diags),
        };
        if rows.is_empty() {
            rows = new;
        } else {
            rows.extend(new);
        }
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(Error::Invalid(diags));
    }
    super::store(&map, &stored, rows, &args.store, ctx, out)
}

/// An input's name for messages and its text. A FIFO is fine here
/// (`ingest <(export-metrics)`); text that is not UTF-8 is reported at its
/// line and column.
fn read_input(file: &Path) -> Result<(PathBuf, String)> {
    let (shown, bytes) = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("<stdin>", e))?;
        (PathBuf::from("<stdin>"), bytes)
    } else {
        let shown = display_path(file);
        if file.is_dir() {
            return Err(Error::usage(
                format!("{} is a folder", shown.display()),
                Some("give the snapshot files themselves, e.g. `snapshots/*.csv`".into()),
            ));
        }
        let bytes = std::fs::read(file).map_err(|e| Error::io(&shown, e))?;
        (shown, bytes)
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok((shown, text)),
        Err(e) => Err(Error::Invalid(Diagnostics(vec![load::not_utf8(
            &shown,
            e.as_bytes(),
            e.utf8_error(),
        )]))),
    }
}

fn guess(file: &Path) -> Option<InputFormat> {
    match file.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "yaml" | "yml" => Some(InputFormat::Yaml),
        "json" => Some(InputFormat::Json),
        "csv" => Some(InputFormat::Csv),
        _ => None,
    }
}
