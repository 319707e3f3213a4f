//! `roadmap schema KIND`: print the JSON Schema of a kind of roadmap file.

use std::io::Write;

use crate::cli::SchemaKind;
use crate::error::Result;
use crate::load::schema::FileKind;

pub fn run(kind: SchemaKind, out: &mut dyn Write) -> Result<()> {
    let kind = match kind {
        SchemaKind::Roadmap => FileKind::Roadmap,
        SchemaKind::Tracks => FileKind::Tracks,
        SchemaKind::Kpis => FileKind::Kpis,
        SchemaKind::Alerts => FileKind::Alerts,
        SchemaKind::Risks => FileKind::Risks,
        SchemaKind::Tests => FileKind::Tests,
    };
    out.write_all(kind.schema().as_bytes())?;
    Ok(())
}
