//! `roadmap ingest`: store metric values from snapshot files.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::cli::{IngestArgs, InputFormat};
use crate::context::Context;
use crate::diag::{Diagnostics, display_path};
use crate::error::{Error, Result};
use crate::load::history::{csv_rows, read, snapshot_rows};
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
    let _lock = edit::write::lock(&ctx.dir)?;
    let map = load::load(&ctx.dir)?;
    let stored = read(&map)?;
    let mut diags = Diagnostics::default();
    let mut rows = Vec::new();
    for (name, text, format) in &inputs {
        rows.extend(match format {
            InputFormat::Csv => csv_rows(&map, name, text, &mut diags),
            InputFormat::Yaml | InputFormat::Json => snapshot_rows(&map, name, text, &mut diags),
        });
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(Error::Invalid(diags));
    }
    super::store(&map, &stored, rows, &args.store, ctx, out)
}

fn read_input(file: &Path) -> Result<(PathBuf, String)> {
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        return Ok((PathBuf::from("<stdin>"), text));
    }
    let shown = display_path(file);
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(&shown, e))?;
    Ok((shown, text))
}

fn guess(file: &Path) -> Option<InputFormat> {
    match file.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "yaml" | "yml" => Some(InputFormat::Yaml),
        "json" => Some(InputFormat::Json),
        "csv" => Some(InputFormat::Csv),
        _ => None,
    }
}
