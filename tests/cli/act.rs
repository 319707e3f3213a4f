//! `roadmap alerts --act`: actions that run commands and post webhooks,
//! once per firing episode, every attempt in `actions.csv`.
//!
//! Real components: the commands are shell scripts the tests write into a
//! copy of `tests/fixtures/act`; the webhooks go to an HTTP server each
//! test starts on 127.0.0.1 (nothing leaves the machine); the merge test
//! runs real git. The alert is `incidents > 0 over 24h`, which fires on
//! the day of an incident and the day after, so days and episodes are
//! easy to lay out.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use tempfile::TempDir;

use crate::{copy_of, fixture, roadmap, run};

const HEADER: &str = "alert,episode,action,step,as_of,at,outcome,output";

/// The fixture with `alerts` as its alerts.yaml and `incidents` recorded
/// on each of `days`.
fn plan(alerts: &str, days: &[&str]) -> TempDir {
    let tmp = copy_of(&fixture("act"));
    std::fs::write(tmp.path().join("alerts.yaml"), alerts).unwrap();
    let mut csv = String::from("date,metric,value,source,note\n");
    for day in days {
        csv.push_str(&format!("{day},incidents,1,,\n"));
    }
    std::fs::write(tmp.path().join("metrics.csv"), csv).unwrap();
    tmp
}

/// An executable script `name` in `dir`.
pub fn script(dir: &Path, name: &str, body: &str) {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// One opportunity alert on incidents whose action is `action` (the YAML
/// of its `run`/`notify`/`timeout` lines, indented four spaces).
pub fn alerts_yaml(action: &str) -> String {
    format!(
        "alerts:\n  - id: incident\n    name: Incident\n    severity: opportunity\n    \
         when: incidents > 0 over 24h\n    text: \"Cualquier incidente & más\"\n    \
         action: respond\nactions:\n  - id: respond\n    area: Ops\n    \
         title: Respond to it\n{action}"
    )
}

/// `roadmap alerts --as-of DATE ARGS...` with no proxy in the way of the
/// local server.
fn alerts(dir: &Path, as_of: &str, args: &[&str]) -> Command {
    let mut cmd = roadmap(dir);
    for proxy in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(proxy);
    }
    cmd.args(["alerts", "--as-of", as_of]).args(args);
    cmd
}

/// `alerts --act` -> (code, stdout, stderr).
fn act(dir: &Path, as_of: &str) -> (i32, String, String) {
    run(&mut alerts(dir, as_of, &["--act"]))
}

/// The rows of actions.csv, without the header (none if there is no log).
fn log(dir: &Path) -> Vec<Vec<String>> {
    let Ok(text) = std::fs::read_to_string(dir.join("actions.csv")) else {
        return Vec::new();
    };
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .skip(1)
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// (alert, episode, action, step, as_of, outcome) of each log row.
fn attempts(dir: &Path) -> Vec<[String; 6]> {
    log(dir)
        .into_iter()
        .map(|r| {
            // `at` is the clock's time: only its shape can be checked.
            assert!(
                r[5].len() == 20 && r[5].ends_with('Z') && r[5].as_bytes()[10] == b'T',
                "{r:?}"
            );
            [&r[0], &r[1], &r[2], &r[3], &r[4], &r[6]].map(|s| s.to_string())
        })
        .collect()
}

fn row(alert: &str, episode: &str, step: &str, as_of: &str, outcome: &str) -> [String; 6] {
    [alert, episode, "respond", step, as_of, outcome].map(String::from)
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .map(|t| t.lines().map(String::from).collect())
        .unwrap_or_default()
}

#[test]
fn a_command_runs_without_a_shell_in_the_plan_folder_with_the_alert_on_stdin() {
    let tmp = plan(
        &alerts_yaml("    run: [./respond.sh, two words, \"$HOME\", \"`id`\"]\n"),
        &["2026-08-10"],
    );
    let dir = tmp.path();
    script(
        dir,
        "respond.sh",
        "for a in \"$@\"; do echo \"arg: $a\"; done >> ran.txt\n\
         echo \"env: $ROADMAP_ALERT_ID $ROADMAP_ALERT_SEVERITY $ROADMAP_AS_OF \
         $ROADMAP_ACTION_ID $ROADMAP_EPISODE_START\" >> ran.txt\n\
         cat > alert.json\necho 'paged the team'\n",
    );
    let (code, out, err) = act(dir, "2026-08-11");
    assert_eq!(code, 0, "{out}{err}");
    // Each argument arrives as written: no splitting, no `$` or backquote
    // expansion, as no shell reads them. The script ran in the roadmap
    // folder (`ran.txt` is there).
    assert_eq!(
        lines(&dir.join("ran.txt")),
        [
            "arg: two words",
            "arg: $HOME",
            "arg: `id`",
            "env: incident opportunity 2026-08-11 respond 2026-08-10"
        ]
    );
    let input: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("alert.json")).unwrap()).unwrap();
    assert_eq!(input["schema_version"], 1);
    assert_eq!(input["plan"], "Act fixture");
    assert_eq!(input["as_of"], "2026-08-11");
    assert_eq!(input["episode"]["start"], "2026-08-10");
    assert_eq!(input["episode"]["days"], 2);
    assert_eq!(input["attempt"], 1);
    assert_eq!(input["alert"]["id"], "incident");
    assert_eq!(input["alert"]["firing"], true);
    assert_eq!(input["alert"]["clauses"][0]["value"], 1.0);
    assert_eq!(input["alert"]["action"]["id"], "respond");
    assert!(
        out.contains("incident, firing since 2026-08-10 (2 days) → respond\n  ✓ run ./respond.sh 'two words' '$HOME' '`id`': ok\n"),
        "{out}"
    );
    assert_eq!(
        attempts(dir),
        [row("incident", "2026-08-10", "run", "2026-08-11", "ok")]
    );
    assert_eq!(log(dir)[0][7], "paged the team");
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitattributes")).unwrap(),
        "actions.csv merge=union\n"
    );

    // The same run again does nothing: the episode was acted on.
    let (code, out, _) = act(dir, "2026-08-11");
    assert_eq!(code, 0);
    assert!(
        out.contains("· run ./respond.sh 'two words' '$HOME' '`id`': done at 20"),
        "{out}"
    );
    assert_eq!(lines(&dir.join("ran.txt")).len(), 4);
    assert_eq!(attempts(dir).len(), 1);
}

#[test]
fn nothing_runs_without_act_and_a_dry_run_changes_nothing() {
    let tmp = plan(
        &alerts_yaml("    run: [./respond.sh]\n    notify: \"${ACT_TEST_HOOK}\"\n"),
        &["2026-08-10"],
    );
    let dir = tmp.path();
    script(dir, "respond.sh", "echo ran >> ran.txt\n");
    let before = crate::init::tree(dir);
    let (code, out, err) = run(&mut alerts(dir, "2026-08-10", &[]));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("Actions"), "{out}");
    assert_eq!(crate::init::tree(dir), before);

    // A dry run checks the setup as a run would: the variable must be set.
    let (code, _, err) = run(&mut alerts(dir, "2026-08-10", &["--act", "--dry-run"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ACT_TEST_HOOK is not set"), "{err}");

    let mut dry = alerts(dir, "2026-08-10", &["--act", "--dry-run"]);
    dry.env("ACT_TEST_HOOK", "http://127.0.0.1:9/never-called");
    let (code, out, err) = run(&mut dry);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "Actions as of 2026-08-10 (dry run: nothing is run or logged): 2 would run\n\n\
             incident, firing since 2026-08-10 (1 day) → respond\n  \
             ○ run ./respond.sh: would run (attempt 1 of 3)\n  \
             ○ notify ${ACT_TEST_HOOK}: would POST (attempt 1 of 3)\n"
        ),
        "{out}"
    );
    let mut json = alerts(
        dir,
        "2026-08-10",
        &["--act", "--dry-run", "--format", "json"],
    );
    json.env("ACT_TEST_HOOK", "http://127.0.0.1:9/never-called");
    let v: serde_json::Value = serde_json::from_str(&run(&mut json).1).unwrap();
    assert_eq!(v["actions"]["dry_run"], true);
    let tasks = v["actions"]["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0]["status"], "due");
    assert_eq!(tasks[0]["run"], serde_json::json!(["./respond.sh"]));
    assert_eq!(tasks[1]["notify"], "${ACT_TEST_HOOK}");
    // Nothing ran, nothing was written.
    assert_eq!(crate::init::tree(dir), before);

    // --dry-run means nothing without --act.
    let (code, _, err) = run(&mut alerts(dir, "2026-08-10", &["--dry-run"]));
    assert_eq!(code, 2);
    assert!(err.contains("--act"), "{err}");
}

#[test]
fn one_run_per_episode_across_runs_and_days_and_a_new_one_after_a_quiet_spell() {
    let tmp = plan(&alerts_yaml("    run: [./respond.sh]\n"), &[]);
    let dir = tmp.path();
    script(
        dir,
        "respond.sh",
        "echo \"$ROADMAP_AS_OF $ROADMAP_EPISODE_START\" >> ran.txt\n",
    );
    let record = |day: &str| {
        let (code, _, err) = run(roadmap(dir).args(["record", "incidents=1", "--as-of", day]));
        assert_eq!(code, 0, "{err}");
    };
    // Incidents on three days in a row: one episode, from the 10th to the
    // 13th (`over 24h` still sees the 12th's on the 13th).
    for (day, record_first) in [
        ("2026-08-10", true),
        ("2026-08-10", false),
        ("2026-08-11", true),
        ("2026-08-12", true),
        ("2026-08-13", false),
        ("2026-08-14", false),
    ] {
        if record_first {
            record(day);
        }
        let (code, _, err) = act(dir, day);
        assert_eq!(code, 0, "{day}: {err}");
    }
    assert_eq!(lines(&dir.join("ran.txt")), ["2026-08-10 2026-08-10"]);
    // Quiet on the 14th to the 19th; an incident on the 20th starts a new
    // episode, acted on again.
    record("2026-08-20");
    let (code, out, _) = act(dir, "2026-08-20");
    assert_eq!(code, 0);
    assert!(
        out.contains("incident, firing since 2026-08-20 (1 day)"),
        "{out}"
    );
    assert_eq!(act(dir, "2026-08-21").0, 0);
    assert_eq!(
        lines(&dir.join("ran.txt")),
        ["2026-08-10 2026-08-10", "2026-08-20 2026-08-20"]
    );
    assert_eq!(
        attempts(dir),
        [
            row("incident", "2026-08-10", "run", "2026-08-10", "ok"),
            row("incident", "2026-08-20", "run", "2026-08-20", "ok"),
        ]
    );
}

/// A request the test server received.
#[derive(Debug)]
pub struct Request {
    pub line: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// An HTTP server on 127.0.0.1 (a free port) that answers every request
/// with `status`, and hands each request to the test.
pub struct Hook {
    pub url: String,
    requests: mpsc::Receiver<Request>,
    pub count: Arc<AtomicUsize>,
}

impl Hook {
    pub fn start(status: u16, path: &str) -> Hook {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}{path}", listener.local_addr().unwrap());
        let (sent, requests) = mpsc::channel();
        let count = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&count);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(request) = read_request(&mut stream) else {
                    continue;
                };
                counted.fetch_add(1, Ordering::SeqCst);
                let body = if status == 200 { "ok" } else { "no_service" };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sent.send(request);
            }
        });
        Hook {
            url,
            requests,
            count,
        }
    }

    pub fn next(&self) -> Request {
        self.requests
            .recv_timeout(Duration::from_secs(30))
            .expect("the webhook was called")
    }
}

fn read_request(stream: &mut std::net::TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        line: line.trim_end().to_string(),
        headers,
        body: String::from_utf8(body).ok()?,
    })
}

#[test]
fn a_webhook_receives_the_alert_as_json_with_a_slack_text() {
    let hook = Hook::start(200, "/services/T0/B1/s3cret");
    let tmp = plan(
        &alerts_yaml("    notify: ${ACT_TEST_HOOK}\n"),
        &["2026-08-10"],
    );
    let dir = tmp.path();
    let mut cmd = alerts(dir, "2026-08-11", &["--act"]);
    cmd.env("ACT_TEST_HOOK", &hook.url);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{out}{err}");
    let request = hook.next();
    assert_eq!(request.line, "POST /services/T0/B1/s3cret HTTP/1.1");
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("content-type"), Some("application/json"));
    assert!(header("user-agent").is_some_and(|u| u.starts_with("roadmap/")));
    let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["alert"]["id"], "incident");
    assert_eq!(body["episode"]["start"], "2026-08-10");
    // Slack's incoming webhooks show `text`, in mrkdwn, `&` escaped.
    assert_eq!(
        body["text"],
        ":star: *Opportunity: Incident* (`incident`) in Act fixture, firing since 2026-08-10 \
         (as of 2026-08-11): Cualquier incidente &amp; más\n• incidents: 1 over 1 day (&gt; 0)\n\
         → Ops: Respond to it"
    );
    assert!(out.contains("  ✓ notify ${ACT_TEST_HOOK}: ok\n"), "{out}");
    assert_eq!(
        attempts(dir),
        [row("incident", "2026-08-10", "notify", "2026-08-11", "ok")]
    );
    assert_eq!(log(dir)[0][7], "ok");
    // The URL is a secret: shown and logged as written, never expanded.
    let logged = std::fs::read_to_string(dir.join("actions.csv")).unwrap();
    for text in [&out, &err, &logged] {
        assert!(!text.contains("s3cret"), "{text}");
    }
    // Once per episode: the next day posts nothing.
    let mut cmd = alerts(dir, "2026-08-11", &["--act"]);
    cmd.env("ACT_TEST_HOOK", &hook.url);
    assert_eq!(run(&mut cmd).0, 0);
    assert_eq!(hook.count.load(Ordering::SeqCst), 1);
}

#[test]
fn a_failing_webhook_is_reported_and_retried_until_the_limit() {
    let hook = Hook::start(503, "/hook");
    let tmp = plan(
        &alerts_yaml("    notify: ${ACT_TEST_HOOK}\n"),
        &["2026-08-10", "2026-08-11", "2026-08-12", "2026-08-13"],
    );
    let dir = tmp.path();
    let act_on = |day: &str| {
        let mut cmd = alerts(dir, day, &["--act"]);
        cmd.env("ACT_TEST_HOOK", &hook.url);
        run(&mut cmd)
    };
    for (n, day) in ["2026-08-10", "2026-08-11", "2026-08-12"]
        .iter()
        .enumerate()
    {
        let (code, out, err) = act_on(day);
        assert_eq!(code, 1, "{out}{err}");
        let attempt = n + 1;
        let retry = match attempt {
            3 => "not retried in this episode (attempt 3 of 3)".to_string(),
            n => format!("retried on the next run (attempt {n} of 3)"),
        };
        assert_eq!(
            err,
            format!(
                "error: action `respond` (notify ${{ACT_TEST_HOOK}}) for alert `incident` failed: \
                 http 503, {retry}\n  | no_service\n"
            )
        );
        assert!(
            out.contains(&format!(
                "  ✗ notify ${{ACT_TEST_HOOK}}: http 503, {retry}\n"
            )),
            "{out}"
        );
        assert_eq!(hook.count.load(Ordering::SeqCst), attempt);
    }
    // Given up: the fourth day calls nothing, and says so.
    let (code, out, err) = act_on("2026-08-13");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "  ! notify ${ACT_TEST_HOOK}: gave up after 3 attempts (last: http 503) until the \
             next episode\n"
        ),
        "{out}"
    );
    assert_eq!(hook.count.load(Ordering::SeqCst), 3);
    assert_eq!(
        attempts(dir),
        ["2026-08-10", "2026-08-11", "2026-08-12"].map(|day| row(
            "incident",
            "2026-08-10",
            "notify",
            day,
            "http 503"
        ))
    );
}

#[test]
fn a_failing_command_is_logged_reported_and_retried_until_it_works() {
    let tmp = plan(&alerts_yaml("    run: [./respond.sh]\n"), &["2026-08-10"]);
    let dir = tmp.path();
    script(
        dir,
        "respond.sh",
        "echo trying\nif [ ! -f fixed ]; then echo 'disk full' >&2; exit 3; fi\necho ran >> ran.txt\n",
    );
    let (code, out, err) = act(dir, "2026-08-10");
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        err,
        "error: action `respond` (run ./respond.sh) for alert `incident` failed: exit 3, \
         retried on the next run (attempt 1 of 3)\n  | trying\n  | disk full\n"
    );
    assert_eq!(
        attempts(dir),
        [row("incident", "2026-08-10", "run", "2026-08-10", "exit 3")]
    );
    assert_eq!(log(dir)[0][7], "trying ⏎ disk full");

    std::fs::write(dir.join("fixed"), "").unwrap();
    let (code, out, err) = act(dir, "2026-08-10");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("  ✓ run ./respond.sh: ok\n"), "{out}");
    assert_eq!(act(dir, "2026-08-11").0, 0);
    assert_eq!(lines(&dir.join("ran.txt")), ["ran"]);
    assert_eq!(
        attempts(dir)[1],
        row("incident", "2026-08-10", "run", "2026-08-10", "ok")
    );
    assert_eq!(attempts(dir).len(), 2);
}

#[cfg(unix)]
#[test]
fn a_command_past_its_timeout_is_stopped_with_what_it_started() {
    let tmp = plan(
        &alerts_yaml("    run: [./respond.sh]\n    timeout: 1s\n"),
        &["2026-08-10"],
    );
    let dir = tmp.path();
    script(
        dir,
        "respond.sh",
        "sleep 300 &\necho $! > sleeper.pid\necho waiting\nwait\necho finished >> ran.txt\n",
    );
    let (code, out, err) = act(dir, "2026-08-10");
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.starts_with(
            "error: action `respond` (run ./respond.sh) for alert `incident` failed: timeout, \
             retried on the next run (attempt 1 of 3)\n  | waiting\n"
        ),
        "{err}"
    );
    assert_eq!(
        attempts(dir),
        [row(
            "incident",
            "2026-08-10",
            "run",
            "2026-08-10",
            "timeout"
        )]
    );
    assert!(!dir.join("ran.txt").exists());
    // The script's own child was stopped too: gone, or a zombie nobody
    // has reaped yet.
    let pid = std::fs::read_to_string(dir.join("sleeper.pid")).unwrap();
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()));
    if let Ok(stat) = stat {
        let state = stat.rsplit(')').next().unwrap().split_whitespace().next();
        assert_eq!(state, Some("Z"), "{stat}");
    }
}

#[test]
fn a_missing_variable_or_script_stops_the_run_before_anything_runs() {
    let yaml = format!(
        "{}  - id: other\n    area: Ops\n    title: Other\n    run: [scripts/missing.sh]\n",
        alerts_yaml(
            "    run: [./respond.sh]\n    notify: https://hooks.example.com/${ACT_UNSET_VAR}\n"
        )
    )
    .replace(
        "alerts:\n",
        "alerts:\n  - id: churn\n    name: Churn\n    severity: critical\n    \
         when: churn_rate > 5%\n    action: other\n",
    );
    let tmp = plan(&yaml, &["2026-08-10"]);
    let dir = tmp.path();
    script(dir, "respond.sh", "echo ran >> ran.txt\n");
    let (code, out, err) = act(dir, "2026-08-10");
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(out, "");
    let shown = dir
        .strip_prefix(crate::root())
        .unwrap_or(dir)
        .join("alerts.yaml");
    let at = format!("{}:", shown.display());
    // The quiet alert's action is checked too: it would fail the day it fires.
    assert!(
        err.contains(&format!(
            "{at}18:39: action `respond` posts to `https://hooks.example.com/${{ACT_UNSET_VAR}}`, \
             but the environment variable ACT_UNSET_VAR is not set"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{at}22:11: action `other` runs `scripts/missing.sh`, but there is no file"
        )),
        "{err}"
    );
    assert!(
        err.contains("2 problems found; nothing was changed"),
        "{err}"
    );
    assert!(!dir.join("ran.txt").exists());
    assert!(!dir.join("actions.csv").exists());
}

/// A git repository in a temp folder holding a copy of `plan` as
/// `roadmap/`, configured locally (global and system configuration are not
/// read).
struct Repo {
    _tmp: TempDir,
    root: std::path::PathBuf,
    dir: std::path::PathBuf,
}

impl Repo {
    fn with(plan: &Path) -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let dir = root.join("roadmap");
        crate::copy_dir(plan, &dir);
        let repo = Repo {
            _tmp: tmp,
            root,
            dir,
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Roadmap Tests"]);
        repo.git(&["config", "user.email", "tests@example.com"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        // The scripts write ran.txt beside the plan: not part of it.
        std::fs::write(repo.root.join(".gitignore"), "ran.txt\n").unwrap();
        repo
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .current_dir(&self.root)
            .args(args)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }
}

/// Two branches act on the same plan (two scheduled runs, say) and log
/// their attempts; `git merge` joins the logs with `merge=union`, the
/// merged log loads, and what either branch did is not done again.
#[test]
fn two_branches_logs_merge_and_nothing_is_acted_on_twice() {
    let repo = Repo::with(&fixture("act"));
    let dir = repo.dir.clone();
    std::fs::write(
        dir.join("alerts.yaml"),
        alerts_yaml("    run: [./respond.sh]\n").replace(
            "alerts:\n",
            "alerts:\n  - id: churn\n    name: Churn\n    severity: opportunity\n    \
             when: churn_rate > 5%\n    action: respond\n",
        ),
    )
    .unwrap();
    script(
        &dir,
        "respond.sh",
        "echo \"$ROADMAP_ALERT_ID\" >> ../ran.txt\n",
    );
    let ok = |args: &[&str]| {
        let (code, _, err) = run(roadmap(&dir).args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
    };
    // An earlier episode, acted on and committed: the log exists on main.
    ok(&["record", "incidents=1", "--as-of", "2026-08-01"]);
    assert_eq!(act(&dir, "2026-08-01").0, 0);
    repo.commit("base");

    ok(&[
        "record",
        "incidents=1",
        "churn_rate=6",
        "--as-of",
        "2026-08-10",
    ]);
    repo.commit("incident and churn on the 10th");
    repo.git(&["checkout", "-q", "-b", "other"]);
    // The other branch's run acts on both alerts.
    assert_eq!(act(&dir, "2026-08-10").0, 0);
    repo.commit("other's run");
    repo.git(&["checkout", "-q", "main"]);
    // Main's run, the next day, acts on both as well (it has not seen the
    // other branch), and a later incident too.
    assert_eq!(act(&dir, "2026-08-11").0, 0);
    repo.commit("main's run");
    repo.git(&["merge", "-q", "--no-edit", "other"]);
    let logged = std::fs::read_to_string(dir.join("actions.csv")).unwrap();
    assert!(!logged.contains("<<<<<<<"), "{logged}");
    assert_eq!(logged.matches(HEADER).count(), 1, "{logged}");
    let rows = attempts(&dir);
    assert_eq!(rows.len(), 5, "{logged}");
    assert_eq!(rows.iter().filter(|r| r[0] == "churn").count(), 2);

    // After the merge nothing is due: both episodes were acted on.
    let ran_before = lines(&repo.root.join("ran.txt")).len();
    let (code, out, err) = act(&dir, "2026-08-11");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 done earlier in the episode"), "{out}");
    assert_eq!(lines(&repo.root.join("ran.txt")).len(), ran_before);
    assert_eq!(attempts(&dir).len(), 5);
}

/// The same when both branches created the log: git merges the two new
/// files with the union rule too.
#[test]
fn two_logs_created_on_two_branches_merge_and_load() {
    let repo = Repo::with(&fixture("act"));
    let dir = repo.dir.clone();
    std::fs::write(
        dir.join("alerts.yaml"),
        alerts_yaml("    run: [./respond.sh]\n"),
    )
    .unwrap();
    script(
        &dir,
        "respond.sh",
        "echo \"$ROADMAP_AS_OF\" >> ../ran.txt\n",
    );
    // The union rule is committed before either branch writes the log, as
    // it is once a plan has recorded anything.
    std::fs::write(
        dir.join(".gitattributes"),
        "metrics.csv merge=union\nactions.csv merge=union\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("metrics.csv"),
        "date,metric,value,source,note\n2026-08-10,incidents,1,,\n",
    )
    .unwrap();
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "other"]);
    assert_eq!(act(&dir, "2026-08-10").0, 0);
    repo.commit("other's run");
    repo.git(&["checkout", "-q", "main"]);
    assert_eq!(act(&dir, "2026-08-11").0, 0);
    repo.commit("main's run");
    repo.git(&["merge", "-q", "--no-edit", "other"]);
    let logged = std::fs::read_to_string(dir.join("actions.csv")).unwrap();
    assert!(logged.starts_with(HEADER), "{logged}");
    assert_eq!(attempts(&dir).len(), 2, "{logged}");
    let (code, out, err) = act(&dir, "2026-08-11");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 done earlier in the episode"), "{out}");
    assert_eq!(lines(&repo.root.join("ran.txt")).len(), 2);
}

#[test]
fn a_bad_log_row_is_an_error_at_its_line() {
    let tmp = plan(&alerts_yaml("    run: [./respond.sh]\n"), &["2026-08-10"]);
    let dir = tmp.path();
    script(dir, "respond.sh", "echo ran >> ran.txt\n");
    std::fs::write(
        dir.join("actions.csv"),
        format!(
            "{HEADER}\nincident,2026-08-10,respond,run,2026-08-10,2026-08-10T07:00:00Z,fine,\n"
        ),
    )
    .unwrap();
    let (code, _, err) = act(dir, "2026-08-10");
    assert_eq!(code, 2);
    assert!(err.contains("actions.csv:2: `outcome` is `fine`"), "{err}");
    assert!(!dir.join("ran.txt").exists());
}

#[test]
fn how_an_action_runs_is_checked_when_the_plan_loads() {
    let tmp = plan(
        "alerts:\n  - id: incident\n    name: Incident\n    severity: opportunity\n    \
         when: incidents > 0 over 24h\n    action: ok\nactions:\n\
         \x20 - {id: a, area: Ops, title: A, run: scripts/x.sh --flag}\n\
         \x20 - {id: b, area: Ops, title: B, run: []}\n\
         \x20 - {id: c, area: Ops, title: C, notify: \"ftp://example.com/x\"}\n\
         \x20 - {id: d, area: Ops, title: D, notify: \"https://x/${oops\"}\n\
         \x20 - {id: e, area: Ops, title: E, timeout: 0}\n\
         \x20 - {id: f, area: Ops, title: F, timeout: 2h}\n\
         \x20 - {id: g, area: Ops, title: G, run: [[nested]]}\n\
         \x20 - {id: h, area: Ops, title: H, run: [\"\", x]}\n\
         \x20 - {id: ok, area: Ops, title: OK, run: [x, \"\", 3], notify: \"https://x/${A}\", \
         timeout: 2m}\n",
        &[],
    );
    let (code, _, err) = run(roadmap(tmp.path()).arg("validate"));
    assert_eq!(code, 2);
    let found: Vec<&str> = err
        .lines()
        .filter_map(|l| l.split_once("alerts.yaml:").map(|(_, rest)| rest))
        .collect();
    assert_eq!(
        found,
        [
            "8:39: `run` should be a list, found a string",
            "9:39: `run` is empty",
            "10:43: `notify`: `ftp://example.com/x` is not an http:// or https:// URL",
            "11:53: `notify`: `${` is not closed by `}`",
            "12:43: `timeout` should be from 1s to 60m, found `0`",
            "13:43: `timeout` should be from 1s to 60m, found `2h`",
            "14:40: each item of `run` should be text, found a list",
            "15:40: `run` names no program",
        ]
    );
    assert!(err.contains("it runs without a shell"), "{err}");
    assert!(err.ends_with("error: 8 problems found\n"), "{err}");
}

/// Two `alerts --act` at once take turns on the folder's lock: the second
/// waits for the first, then sees its attempt in the log, and the action
/// runs once.
#[test]
fn two_runs_at_once_act_once() {
    let tmp = plan(&alerts_yaml("    run: [./respond.sh]\n"), &["2026-08-10"]);
    let dir = tmp.path();
    // The command holds the first run until the test says `go`.
    script(
        dir,
        "respond.sh",
        "echo ran >> ran.txt\ntouch started\nwhile [ ! -f go ]; do sleep 0.05; done\n",
    );
    let spawn = || {
        alerts(dir, "2026-08-10", &["--act"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut first = spawn();
    let waited = |what: &dyn Fn() -> bool| {
        for _ in 0..3000 {
            if what() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("gave up waiting");
    };
    waited(&|| dir.join("started").exists());
    let mut second = spawn();
    // The second says, after a second, whom it waits for.
    let mut said = String::new();
    let mut stderr = BufReader::new(second.stderr.take().unwrap());
    stderr.read_line(&mut said).unwrap();
    assert!(said.starts_with("waiting for process"), "{said}");
    std::fs::write(dir.join("go"), "").unwrap();
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    assert_eq!(lines(&dir.join("ran.txt")), ["ran"]);
    assert_eq!(
        attempts(dir),
        [row("incident", "2026-08-10", "run", "2026-08-10", "ok")]
    );
}

/// An action that runs roadmap on the plan `--act` holds locked is told
/// so at once, rather than waiting for the lock until its timeout.
#[test]
fn an_action_that_runs_roadmap_on_its_plan_is_told_why_it_cannot() {
    let tmp = plan(&alerts_yaml("    run: [./respond.sh]\n"), &["2026-08-10"]);
    let dir = tmp.path();
    script(
        dir,
        "respond.sh",
        "exec \"$ROADMAP_BIN\" --dir . status --as-of 2026-08-10\n",
    );
    let mut cmd = alerts(dir, "2026-08-10", &["--act"]);
    cmd.env("ROADMAP_BIN", env!("CARGO_BIN_EXE_roadmap"));
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains(
            "  | error: . is locked by `roadmap alerts --act`, which is running this action\n  \
             |   hint: an action cannot run roadmap on the plan it acts for; the alert is on its \
             standard input as JSON\n"
        ),
        "{err}"
    );
    assert_eq!(
        attempts(dir),
        [row("incident", "2026-08-10", "run", "2026-08-10", "exit 2")]
    );
    // Outside an action the same command runs.
    let (code, _, err) = run(roadmap(dir).args(["status", "--as-of", "2026-08-10"]));
    assert_eq!(code, 0, "{err}");
}
