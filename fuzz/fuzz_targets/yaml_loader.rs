//! Fuzzes reading YAML: `yaml::parse` on any UTF-8 text, then, for text
//! that parses, the whole loader with the text in the file its top-level
//! keys suggest (roadmap.yaml, a track file, kpis.yaml, alerts.yaml,
//! risks.yaml or a rule test), inside a copy of the bakery example. No
//! input may panic, and every diagnostic renders.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use roadmap::diag::Diagnostics;
use roadmap::error::Error;
use roadmap::load::yaml::{self, Kind, Node};
use roadmap::model::Roadmap;
use roadmap::render::Style;

/// A private copy of the bakery example (one per process, so parallel
/// fuzzing jobs do not trample each other), its files' original text, and
/// the roadmap it loads as.
struct Fixture {
    dir: PathBuf,
    originals: Vec<(&'static str, String)>,
    map: Roadmap,
}

const FILES: [&str; 5] = [
    "roadmap.yaml",
    "team.yaml",
    "kpis.yaml",
    "alerts.yaml",
    "risks.yaml",
];

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/bakery");
    let dir = std::env::temp_dir().join(format!("roadmap-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tests")).expect("a temporary folder");
    let originals = FILES
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(example.join(name)).expect("the example reads");
            std::fs::write(dir.join(name), &text).expect("the copy is written");
            (*name, text)
        })
        .collect();
    let map = roadmap::load::load(&dir).unwrap_or_else(|e| panic!("the example loads: {e}"));
    Fixture {
        dir,
        originals,
        map,
    }
});

/// The file a document belongs in, judged by its top-level keys.
fn file_for(root: &Node) -> &'static str {
    let Kind::Map(entries) = &root.kind else {
        return "kpis.yaml";
    };
    let has = |key: &str| entries.iter().any(|(k, _)| k.name == key);
    if has("tests") {
        "tests/fuzz.yaml"
    } else if ["name", "start", "months", "phases", "include"]
        .iter()
        .any(|k| has(k))
    {
        "roadmap.yaml"
    } else if has("tracks") {
        "team.yaml"
    } else if has("alerts") || has("actions") {
        "alerts.yaml"
    } else if has("risks") {
        "risks.yaml"
    } else {
        "kpis.yaml"
    }
}

fn render(diags: &Diagnostics) {
    let style = Style::new(true);
    for d in &diags.0 {
        let _ = d.render(&style);
    }
}

fn render_error(e: &Error) {
    match e {
        Error::Invalid(diags) => render(diags),
        other => {
            let _ = other.to_string();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let root = match yaml::parse(text, Path::new("fuzz.yaml")) {
        Ok(root) => root,
        Err(d) => {
            let _ = d.render(&Style::new(true));
            return;
        }
    };
    let fx = &*FIXTURE;
    let name = file_for(&root);
    let path = fx.dir.join(name);
    std::fs::write(&path, text).expect("the input is written");
    if name.starts_with("tests/") {
        if let Err(e) = roadmap::load::rule_tests::read(&fx.map, std::slice::from_ref(&path)) {
            render_error(&e);
        }
    } else if let Err(e) = roadmap::load::load(&fx.dir) {
        render_error(&e);
    }
    // Put the example back for the next input.
    match fx.originals.iter().find(|(n, _)| *n == name) {
        Some((_, original)) => std::fs::write(&path, original).expect("the example is restored"),
        None => std::fs::remove_file(&path).expect("the rule test is removed"),
    }
});
