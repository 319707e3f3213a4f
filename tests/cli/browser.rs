//! Headless Chromium for the tests of the HTML pages (`report`, and
//! `portfolio --report`): open a page with a fresh profile and nothing
//! fetched, and read back the DOM the browser built and its console.
//!
//! Chromium is required in CI: with `CI=true` a missing browser fails the
//! tests (`.ci/run` installs it); elsewhere a test without it says it was
//! skipped.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The headless browser, if there is one. With `CI=true` it must be there
/// (`.ci/run` installs it), and a missing one fails the test; elsewhere a
/// test without it says so and stops, as tests install nothing themselves
/// (`apt-get install chromium` brings it).
pub fn chromium() -> Option<PathBuf> {
    static FOUND: Mutex<Option<PathBuf>> = Mutex::new(None);
    let mut found = FOUND.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = &*found {
        return Some(path.clone());
    }
    match browser_on_path() {
        Some(p) => {
            *found = Some(p.clone());
            Some(p)
        }
        None if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "chromium is not installed: CI must install it (.ci/run: apt-get install -y \
             --no-install-recommends chromium)"
        ),
        None => {
            eprintln!("skipped: chromium is not installed (`apt-get install chromium` brings it)");
            None
        }
    }
}

fn browser_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// `file://` URL of an absolute path, with the bytes a URL cannot hold
/// percent-encoded.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

/// Open `page` in headless Chromium with `args` (a fresh profile, nothing
/// fetched from the network) and return (the DOM as the browser built it,
/// the console messages). Fails the test if the browser does not finish
/// within two minutes.
pub fn browse(page: &Path, args: &[String]) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium().expect("the test checked for a browser"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(file_url(page))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    // Read both pipes while waiting, so a full pipe never stalls the browser.
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let (dom, log) = (out.join().unwrap(), err.join().unwrap());
    // Chromium logs every console message (an uncaught error, a blocked
    // fetch, a refused script) as a CONSOLE line.
    let console = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .map(String::from)
        .collect();
    (dom, console)
}

/// The attributes of the start tags `<NAME ...>` of `html`, in order.
pub fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    html.match_indices(&open)
        .map(|(at, _)| {
            let rest = &html[at + open.len()..];
            &rest[..rest.find('>').unwrap_or(rest.len())]
        })
        .collect()
}

pub fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}
