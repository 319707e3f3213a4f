//! The parse floor: what `roadmap` cannot beat on a plan folder. It reads
//! every YAML file the plan holds (`*.yaml` and `tests/*.yaml`) and drains
//! granit-parser's events for it into nothing (the parser `roadmap` builds
//! its node tree from, with the same options), and passes once over
//! `metrics.csv` with a reused record, as `roadmap` must. No tree, no
//! scalar typing, no strings kept: the physical floor. `bench/run.sh`
//! times each command against this.
//!
//! ```sh
//! cargo run --release --example parse_floor -- roadmap
//! ```

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_floor DIR");
        return ExitCode::from(2);
    };
    match floor(Path::new(&dir)) {
        Ok((files, rows)) => {
            println!("parsed {files} YAML files and {rows} CSV rows");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("parse_floor: {e}");
            ExitCode::from(2)
        }
    }
}

fn floor(dir: &Path) -> Result<(usize, u64), Box<dyn std::error::Error>> {
    let mut files = 0;
    for folder in [dir.to_path_buf(), dir.join("tests")] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path)?;
                let options = granit_parser::options! { emit_comments: false };
                for event in granit_parser::Parser::new_from_str_with_options(&text, options) {
                    event.map_err(|e| format!("{}: {e:?}", path.display()))?;
                }
                files += 1;
            }
        }
    }
    let mut rows = 0;
    if let Ok(text) = std::fs::read(dir.join("metrics.csv")) {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_slice());
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record)? {
            rows += 1;
        }
    }
    Ok((files, rows))
}
