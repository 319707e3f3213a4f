//! Faults of the machine a write meets: a full disk, an immutable or
//! read-only file, a read-only folder or mount, symlinks, a missing
//! folder, a lock held by someone else; and what a write must keep: file
//! modes, owners and line endings. Each refusal exits 2, names the file
//! the user knows (never a temp file) and changes no byte of any file.
//!
//! Tests that mount, `chattr` or `chown` need root; run as another user
//! they say why they are skipped and pass (CI runs as root).

#![cfg(target_os = "linux")]

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::edit::{contents, copy_roadmap};
use crate::{roadmap, run, seed};

type Snapshot = std::collections::BTreeMap<PathBuf, Vec<u8>>;

const AS_OF: [&str; 2] = ["--as-of", "2026-04-10"];
const HEADER: &str = "date,metric,value,source,note\n";
const PAGE: u64 = 4096;

fn is_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// False (and says so) when the test needs root and we are not.
fn root_or_skip(test: &str) -> bool {
    if !is_root() {
        eprintln!("skipped {test}: it needs root (mount, chattr, chown); CI runs as root");
    }
    is_root()
}

/// The names of files whose bytes differ between two snapshots.
fn changed(a: &Snapshot, b: &Snapshot) -> Vec<PathBuf> {
    let names: std::collections::BTreeSet<&PathBuf> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .filter(|n| a.get(*n) != b.get(*n))
        .cloned()
        .collect()
}

/// True when `text` names a temp file of ours (`.roadmap-XXXXXX.tmp`).
fn names_a_temp_file(text: &str) -> bool {
    text.match_indices(".roadmap-").any(|(i, _)| {
        let rest = &text[i..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "\"'`)".contains(c))
            .unwrap_or(rest.len());
        rest[..end].ends_with(".tmp")
    })
}

/// Every entry under `dir`: a file's bytes, a symlink's target (a
/// dangling one too), recursively.
fn state(dir: &Path) -> Snapshot {
    let mut all = Snapshot::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(dir).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                all.insert(name, format!("-> {}", target.display()).into_bytes());
            } else if meta.is_dir() {
                todo.push(path);
            } else {
                all.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    all
}

/// Run `cmd`, which must be refused: exit 2, every entry under each of
/// `watch` as it was, and a message naming `file`. Returns the message,
/// for [`no_temp_file_named`].
fn refused(cmd: &mut Command, file: &Path, watch: &[&Path]) -> String {
    let before: Vec<Snapshot> = watch.iter().map(|d| state(d)).collect();
    let (code, out, err) = run(cmd);
    assert_eq!(code, 2, "stdout: {out}\nstderr: {err}");
    for (dir, before) in watch.iter().zip(before) {
        let now = state(dir);
        assert!(
            now == before,
            "{} changed: {:?}",
            dir.display(),
            changed(&before, &now)
        );
    }
    let shown = file.display().to_string();
    assert!(
        err.contains(&shown),
        "the message does not name {shown}: {err}"
    );
    err
}

/// Messages name the files the user knows, never our temp files (checked
/// last, so that everything else a test checks is checked first).
fn no_temp_file_named(messages: &[String]) {
    let bad: Vec<&String> = messages.iter().filter(|m| names_a_temp_file(m)).collect();
    assert!(
        bad.is_empty(),
        "{} of {} messages name a temp file: {bad:#?}",
        bad.len(),
        messages.len()
    );
}

fn ok(cmd: &mut Command) -> String {
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
    out
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// A tmpfs mounted for a test, unmounted when dropped (even when the test
/// fails).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(path: &Path, size: &str) -> Tmpfs {
        fs::create_dir_all(path).unwrap();
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(path)
            .output()
            .expect("mount runs");
        assert!(
            out.status.success(),
            "mount -t tmpfs {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(path.to_path_buf())
    }

    fn remount_read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Bytes still free.
    fn free(&self) -> u64 {
        let out = Command::new("stat")
            .args(["-f", "-c", "%a %S"])
            .arg(&self.0)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let (blocks, size) = text.trim().split_once(' ').unwrap();
        blocks.parse::<u64>().unwrap() * size.parse::<u64>().unwrap()
    }

    /// Fill the file system but for `pages` pages, with a file outside
    /// the roadmap folder.
    fn fill_leaving(&self, pages: u64) {
        let path = self.0.join("filler");
        let mut file = File::create(&path).unwrap();
        let block = vec![0u8; PAGE as usize];
        let mut size = 0;
        loop {
            match file.write(&block) {
                Ok(n) if n == block.len() => size += n as u64,
                Ok(n) => {
                    size += n as u64;
                    break;
                }
                Err(e) if e.raw_os_error() == Some(28) => break,
                Err(e) => panic!("filling {}: {e}", path.display()),
            }
        }
        file.set_len(size - size % PAGE - pages * PAGE).unwrap();
        assert_eq!(
            self.free(),
            pages * PAGE,
            "free space on {}",
            self.0.display()
        );
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

/// The seed roadmap at `<tmpfs>/roadmap`, on a fresh tmpfs of `size`.
fn seed_on_tmpfs(tmp: &Path, size: &str) -> (Tmpfs, PathBuf) {
    let mount = Tmpfs::mount(&tmp.join("mnt"), size);
    let dir = mount.0.join("roadmap");
    crate::copy_dir(&seed(), &dir);
    (mount, dir)
}

/// An attribute set with `chattr` (`+i` immutable, `+a` append-only),
/// removed when dropped so the temp folder can be cleaned up.
struct Chattr(PathBuf);

impl Chattr {
    fn set(path: &Path, flag: &str) -> Chattr {
        let out = Command::new("chattr").arg(flag).arg(path).output().unwrap();
        assert!(
            out.status.success(),
            "chattr {flag} {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        Chattr(path.to_path_buf())
    }
}

impl Drop for Chattr {
    fn drop(&mut self) {
        let _ = Command::new("chattr")
            .args(["-i", "-a"])
            .arg(&self.0)
            .status();
    }
}

/// A mode set for a test, put back to 0755 when dropped.
struct Mode(PathBuf);

impl Drop for Mode {
    fn drop(&mut self) {
        let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o755));
    }
}

fn done_two(dir: &Path) -> Command {
    let mut cmd = roadmap(dir);
    cmd.args(["done", "f1-legal", "saas-backend", "--on", "2026-02-10"])
        .args(AS_OF);
    cmd
}

fn record(dir: &Path, values: &[&str], on: &str) -> Command {
    let mut cmd = roadmap(dir);
    cmd.arg("record")
        .args(values)
        .args(["--on", on])
        .args(AS_OF);
    cmd
}

// --- A full disk -----------------------------------------------------------

#[test]
fn a_full_disk_refuses_done_and_changes_nothing() {
    if !root_or_skip("a_full_disk_refuses_done_and_changes_nothing") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (mount, dir) = seed_on_tmpfs(tmp.path(), "1m");
    mount.fill_leaving(0);
    let mut cmd = roadmap(&dir);
    cmd.args(["done", "saas-backend", "--on", "2026-02-10"])
        .args(AS_OF);
    let err = refused(&mut cmd, &dir.join("products.yaml"), &[&dir]);
    assert!(err.contains("No space left on device"), "{err}");
    // Reading still works on a full disk.
    ok(roadmap(&dir).arg("status").args(AS_OF));
    no_temp_file_named(&[err]);
}

#[test]
fn a_full_disk_refuses_record_and_changes_nothing() {
    if !root_or_skip("a_full_disk_refuses_record_and_changes_nothing") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // The first record (metrics.csv is new) and a later one.
    let (mount, dir) = seed_on_tmpfs(tmp.path(), "1m");
    mount.fill_leaving(0);
    let first = refused(
        &mut record(&dir, &["leads=120"], "2026-04-01"),
        &dir.join("metrics.csv"),
        &[&dir],
    );
    assert!(first.contains("No space left on device"), "{first}");
    drop(mount);

    let (mount, dir) = seed_on_tmpfs(tmp.path(), "1m");
    ok(&mut record(&dir, &["leads=120"], "2026-04-01"));
    mount.fill_leaving(0);
    let later = refused(
        &mut record(&dir, &["leads=130"], "2026-04-02"),
        &dir.join("metrics.csv"),
        &[&dir],
    );
    assert!(later.contains("No space left on device"), "{later}");
    no_temp_file_named(&[first, later]);
}

/// Room for the first temp file of a two-file `done` (products.yaml, two
/// pages) but not for the second (roadmap.yaml): the first is removed, no
/// file changes, and the message names the one that did not fit.
#[test]
fn a_disk_that_fills_up_between_two_files_changes_neither() {
    if !root_or_skip("a_disk_that_fills_up_between_two_files_changes_neither") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (mount, dir) = seed_on_tmpfs(tmp.path(), "1m");
    assert!(fs::metadata(dir.join("products.yaml")).unwrap().len() <= 2 * PAGE - 100);
    mount.fill_leaving(2);
    let err = refused(&mut done_two(&dir), &dir.join("roadmap.yaml"), &[&dir]);
    assert!(err.contains("No space left on device"), "{err}");
    no_temp_file_named(&[err]);
}

/// Room for both temp files but not for the journal.
#[test]
fn a_disk_with_no_room_for_the_journal_changes_nothing() {
    if !root_or_skip("a_disk_with_no_room_for_the_journal_changes_nothing") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (mount, dir) = seed_on_tmpfs(tmp.path(), "1m");
    mount.fill_leaving(4);
    let before = state(&dir);
    let (code, _, err) = run(&mut done_two(&dir));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    let now = state(&dir);
    assert!(now == before, "{:?}", changed(&before, &now));
    // Once there is room again, the same command goes through.
    fs::remove_file(mount.0.join("filler")).unwrap();
    ok(&mut done_two(&dir));
    no_temp_file_named(&[err]);
}

// --- Immutable and read-only files and folders --------------------------------

#[test]
fn an_immutable_second_file_is_refused_before_anything_is_written() {
    if !root_or_skip("an_immutable_second_file_is_refused_before_anything_is_written") {
        return;
    }
    let (_tmp, dir) = copy_roadmap(&seed());
    // Files are written in path order: products.yaml, then roadmap.yaml.
    let _flag = Chattr::set(&dir.join("roadmap.yaml"), "+i");
    let err = refused(&mut done_two(&dir), &dir.join("roadmap.yaml"), &[&dir]);
    assert!(!err.contains("products.yaml"), "{err}");
    no_temp_file_named(&[err]);
}

#[test]
fn an_append_only_history_is_refused() {
    if !root_or_skip("an_append_only_history_is_refused") {
        return;
    }
    let (_tmp, dir) = copy_roadmap(&seed());
    ok(&mut record(&dir, &["leads=120"], "2026-04-01"));
    let _flag = Chattr::set(&dir.join("metrics.csv"), "+a");
    let err = refused(
        &mut record(&dir, &["leads=130"], "2026-04-02"),
        &dir.join("metrics.csv"),
        &[&dir],
    );
    no_temp_file_named(&[err]);
}

/// A folder marked immutable: no temp file can be made in it.
#[test]
fn an_immutable_folder_is_refused_naming_the_file() {
    if !root_or_skip("an_immutable_folder_is_refused_naming_the_file") {
        return;
    }
    let (_tmp, dir) = copy_roadmap(&seed());
    let _flag = Chattr::set(&dir, "+i");
    let mut cmd = roadmap(&dir);
    cmd.args(["done", "f1-legal", "--on", "2026-02-10"])
        .args(AS_OF);
    let done = refused(&mut cmd, &dir.join("roadmap.yaml"), &[&dir]);
    let record = refused(
        &mut record(&dir, &["leads=120"], "2026-04-01"),
        &dir.join("metrics.csv"),
        &[&dir],
    );
    no_temp_file_named(&[done, record]);
}

/// chmod 444 is honoured even by root, who could write the file anyway.
#[test]
fn a_read_only_file_is_refused_even_as_root() {
    let (_tmp, dir) = copy_roadmap(&seed());
    chmod(&dir.join("roadmap.yaml"), 0o444);
    let done = refused(&mut done_two(&dir), &dir.join("roadmap.yaml"), &[&dir]);
    assert!(done.contains("read-only"), "{done}");
    chmod(&dir.join("roadmap.yaml"), 0o644);

    ok(&mut record(&dir, &["leads=120"], "2026-04-01"));
    chmod(&dir.join("metrics.csv"), 0o444);
    let record = refused(
        &mut record(&dir, &["leads=130"], "2026-04-02"),
        &dir.join("metrics.csv"),
        &[&dir],
    );
    assert!(record.contains("read-only"), "{record}");
    no_temp_file_named(&[done, record]);
}

#[test]
fn a_read_only_folder_is_refused_even_as_root() {
    let (_tmp, dir) = copy_roadmap(&seed());
    let _mode = Mode(dir.clone());
    chmod(&dir, 0o555);
    let done = refused(&mut done_two(&dir), &dir.join("products.yaml"), &[&dir]);
    assert!(done.contains("is read-only"), "{done}");
    // A first record would create two files in it.
    let record = refused(
        &mut record(&dir, &["leads=120"], "2026-04-01"),
        &dir.join("metrics.csv"),
        &[&dir],
    );
    assert!(record.contains("is read-only"), "{record}");
    // Reading a read-only checkout is fine.
    ok(roadmap(&dir).arg("status").args(AS_OF));
    ok(roadmap(&dir).arg("validate").args(AS_OF));
    no_temp_file_named(&[done, record]);
}

#[test]
fn a_read_only_mount_is_refused_and_still_read() {
    if !root_or_skip("a_read_only_mount_is_refused_and_still_read") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (mount, dir) = seed_on_tmpfs(tmp.path(), "1m");
    mount.remount_read_only();
    // products.yaml is the first file written.
    let done = refused(&mut done_two(&dir), &dir.join("products.yaml"), &[&dir]);
    assert!(done.contains("Read-only file system"), "{done}");
    // A new metrics.csv cannot be created either.
    let record = refused(
        &mut record(&dir, &["leads=120"], "2026-04-01"),
        &dir.join("metrics.csv"),
        &[&dir],
    );
    assert!(record.contains("Read-only file system"), "{record}");
    ok(roadmap(&dir).arg("status").args(AS_OF));
    ok(roadmap(&dir).arg("validate").args(AS_OF));
    no_temp_file_named(&[done, record]);
}

// --- Symlinks --------------------------------------------------------------

#[test]
fn symlinked_files_are_written_through_and_stay_links() {
    let (tmp, dir) = copy_roadmap(&seed());
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let target = elsewhere.join("products.yaml");
    fs::rename(dir.join("products.yaml"), &target).unwrap();
    std::os::unix::fs::symlink(&target, dir.join("products.yaml")).unwrap();
    let products = fs::read_to_string(&target).unwrap();
    let plan = fs::read_to_string(dir.join("roadmap.yaml")).unwrap();

    ok(&mut done_two(&dir));
    let link = dir.join("products.yaml");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_link(&link).unwrap(), target);
    let title = "            title: Arquitectura escalable, APIs\n";
    assert_eq!(products.matches(title).count(), 1);
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        products.replacen(title, &format!("{title}            done: 2026-02-10\n"), 1)
    );
    assert!(fs::read_to_string(dir.join("roadmap.yaml")).unwrap() != plan);
    let names = |d: &Path| -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&elsewhere), ["products.yaml"]);
    assert!(names(&dir).iter().all(|n| !n.starts_with(".roadmap-")));

    // The history too.
    let history = elsewhere.join("history.csv");
    fs::write(&history, HEADER).unwrap();
    std::os::unix::fs::symlink(&history, dir.join("metrics.csv")).unwrap();
    ok(&mut record(&dir, &["leads=120"], "2026-04-01"));
    assert!(
        fs::symlink_metadata(dir.join("metrics.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(&history).unwrap(),
        format!("{HEADER}2026-04-01,leads,120,,\n")
    );
    assert_eq!(names(&elsewhere), ["history.csv", "products.yaml"]);
    ok(roadmap(&dir).arg("validate").args(AS_OF));
}

#[test]
fn a_dangling_symlink_is_refused_by_name() {
    let (tmp, dir) = copy_roadmap(&seed());
    let gone = tmp.path().join("gone");
    // A track file.
    fs::remove_file(dir.join("products.yaml")).unwrap();
    std::os::unix::fs::symlink(gone.join("products.yaml"), dir.join("products.yaml")).unwrap();
    let mut cmd = roadmap(&dir);
    cmd.args(["done", "f1-legal", "--on", "2026-02-10"])
        .args(AS_OF);
    let track = refused(&mut cmd, &dir.join("products.yaml"), &[&dir]);

    // The history.
    let (tmp, dir) = copy_roadmap(&seed());
    std::os::unix::fs::symlink(tmp.path().join("gone.csv"), dir.join("metrics.csv")).unwrap();
    let history = refused(
        &mut record(&dir, &["leads=120"], "2026-04-01"),
        &dir.join("metrics.csv"),
        &[&dir],
    );

    // .gitattributes, which a first record would add the union rule to.
    let (tmp, dir) = copy_roadmap(&seed());
    std::os::unix::fs::symlink(tmp.path().join("gone"), dir.join(".gitattributes")).unwrap();
    let attributes = refused(
        &mut record(&dir, &["leads=120"], "2026-04-01"),
        &dir.join(".gitattributes"),
        &[&dir],
    );
    assert!(!dir.join("metrics.csv").exists());
    no_temp_file_named(&[track, history, attributes]);
}

// --- A missing folder ---------------------------------------------------------

#[test]
fn a_missing_folder_is_named_without_a_raw_os_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-roadmap");
    let input = crate::root().join("tests/fixtures/ingest/good.csv");
    for args in [
        vec!["record", "leads=120", "--on", "2026-04-01"],
        vec!["done", "f1-legal"],
        vec!["ingest", input.to_str().unwrap()],
        vec!["status"],
    ] {
        let (code, out, err) = run(roadmap(&missing).args(&args).args(AS_OF));
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(err.contains("no such folder"), "{args:?}: {err}");
        assert!(
            err.contains(&missing.display().to_string()),
            "{args:?}: {err}"
        );
        assert!(!err.contains("os error"), "{args:?}: {err}");
        assert!(!missing.exists(), "{args:?} created the folder");
    }
}

// --- The lock -----------------------------------------------------------------

/// Another process holding the folder's lock: `flock -x DIR cat`, which
/// holds it until its standard input is closed.
struct Holder(Child);

impl Holder {
    /// Returns once the lock is held.
    fn lock(dir: &Path) -> Holder {
        let child = Command::new("flock")
            .arg("-x")
            .arg(dir)
            .arg("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("flock(1) runs");
        let holder = Holder(child);
        let probe = File::open(dir).unwrap();
        let t = Instant::now();
        loop {
            match probe.try_lock_shared() {
                Ok(()) => probe.unlock().unwrap(),
                Err(fs::TryLockError::WouldBlock) => return holder,
                Err(fs::TryLockError::Error(e)) => panic!("{e}"),
            }
            assert!(t.elapsed() < Duration::from_secs(10), "flock never locked");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn pid(&self) -> u32 {
        self.0.id()
    }

    fn release(&mut self) {
        drop(self.0.stdin.take());
        self.0.wait().unwrap();
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        self.release();
    }
}

#[test]
fn a_held_lock_makes_commands_give_up_naming_the_holder() {
    let (_tmp, dir) = copy_roadmap(&seed());
    let holder = Holder::lock(&dir);
    let before = contents(&dir);
    let mut status = roadmap(&dir);
    status.arg("status").args(AS_OF);
    for cmd in [
        &mut record(&dir, &["leads=120"], "2026-04-01"),
        &mut done_two(&dir),
        &mut status,
    ] {
        let t = Instant::now();
        let (code, out, err) = run(cmd.args(["--wait", "1"]));
        let took = t.elapsed();
        assert_eq!(code, 2, "{out}");
        assert!(
            took >= Duration::from_secs(1) && took < Duration::from_secs(5),
            "gave up after {took:?}"
        );
        assert!(
            err.contains(&format!(
                "{} is still locked by process {} (`flock -x {} cat`) after 1 s",
                dir.display(),
                holder.pid(),
                dir.display()
            )),
            "{err}"
        );
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(contents(&dir) == before);
    }
}

#[test]
fn a_writer_waits_for_the_lock_and_says_so_once() {
    let (_tmp, dir) = copy_roadmap(&seed());
    let mut holder = Holder::lock(&dir);
    let pid = holder.pid();
    let t = Instant::now();
    let (code, out, err) = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_secs(2));
            holder.release();
        });
        run(record(&dir, &["leads=120"], "2026-04-01").args(["--wait", "10"]))
    });
    let took = t.elapsed();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("stored 1 value"), "{out}");
    assert!(took >= Duration::from_secs(2), "took {took:?}");
    assert_eq!(err.matches("waiting for").count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "waiting for process {pid} (`flock -x {} cat`) to finish with {}",
            dir.display(),
            dir.display()
        )),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("metrics.csv")).unwrap(),
        format!("{HEADER}2026-04-01,leads,120,,\n")
    );
}

// --- Modes and owners ------------------------------------------------------------

fn with_umask(umask: &str, dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_roadmap"))
        .arg("--dir")
        .arg(dir)
        .args(args)
        .args(AS_OF);
    cmd
}

#[test]
fn new_files_get_the_umask_mode_and_old_ones_keep_theirs() {
    for (umask, want) in [("022", 0o644), ("002", 0o664)] {
        let (_tmp, dir) = copy_roadmap(&seed());
        chmod(&dir.join("roadmap.yaml"), 0o600);
        ok(&mut with_umask(
            umask,
            &dir,
            &["record", "leads=120", "--on", "2026-04-01"],
        ));
        assert_eq!(mode(&dir.join("metrics.csv")), want, "umask {umask}");
        assert_eq!(mode(&dir.join(".gitattributes")), want, "umask {umask}");
        ok(&mut with_umask(
            umask,
            &dir,
            &["done", "f1-legal", "--on", "2026-02-10"],
        ));
        assert_eq!(mode(&dir.join("roadmap.yaml")), 0o600, "umask {umask}");
        chmod(&dir.join("metrics.csv"), 0o640);
        ok(&mut with_umask(
            umask,
            &dir,
            &["record", "leads=130", "--on", "2026-04-02"],
        ));
        assert_eq!(mode(&dir.join("metrics.csv")), 0o640, "umask {umask}");
    }
}

#[test]
fn an_edited_file_keeps_its_owner_and_mode() {
    if !root_or_skip("an_edited_file_keeps_its_owner_and_mode") {
        return;
    }
    let (_tmp, dir) = copy_roadmap(&seed());
    let products = dir.join("products.yaml");
    std::os::unix::fs::chown(&products, Some(65534), Some(65534)).unwrap();
    chmod(&products, 0o640);
    ok(&mut done_two(&dir));
    let meta = fs::metadata(&products).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
    assert!(
        fs::read_to_string(&products)
            .unwrap()
            .contains("done: 2026-02-10")
    );
    // The history too.
    ok(&mut record(&dir, &["leads=120"], "2026-04-01"));
    let history = dir.join("metrics.csv");
    std::os::unix::fs::chown(&history, Some(65534), Some(65534)).unwrap();
    chmod(&history, 0o600);
    ok(&mut record(&dir, &["leads=130"], "2026-04-02"));
    let meta = fs::metadata(&history).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(meta.permissions().mode() & 0o7777, 0o600);
}

// --- Line endings and an empty history -----------------------------------------

#[test]
fn a_correction_to_a_crlf_history_keeps_every_line_crlf() {
    let (_tmp, dir) = copy_roadmap(&seed());
    let path = dir.join("metrics.csv");
    fs::write(
        &path,
        "date,metric,value,source,note\r\n2026-04-01,leads,120,,\r\n2026-04-02,leads,130,crm,\r\n",
    )
    .unwrap();
    ok(record(&dir, &["leads=125"], "2026-04-02").arg("--replace"));
    ok(&mut record(&dir, &["cac=$140"], "2026-04-03"));
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "date,metric,value,source,note,replaces\r\n2026-04-01,leads,120,,\r\n2026-04-02,leads,130,crm,\r\n2026-04-02,leads,125,,,130\r\n2026-04-03,cac,140,,,\r\n"
    );
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    ok(roadmap(&dir).arg("validate").args(AS_OF));
    // The correction is the value in force.
    let out = ok(&mut record(&dir, &["leads=125"], "2026-04-02"));
    assert!(out.contains("nothing new"), "{out}");
}

#[test]
fn an_empty_history_is_no_values_yet() {
    let (_tmp, dir) = copy_roadmap(&seed());
    let path = dir.join("metrics.csv");
    File::create(&path).unwrap();
    ok(roadmap(&dir).arg("status").args(AS_OF));
    ok(roadmap(&dir).arg("kpis").args(AS_OF));
    ok(&mut record(&dir, &["leads=120"], "2026-04-01"));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        format!("{HEADER}2026-04-01,leads,120,,\n")
    );
    assert_eq!(
        fs::read_to_string(dir.join(".gitattributes")).unwrap(),
        "metrics.csv merge=union\n"
    );
    ok(roadmap(&dir).arg("validate").args(AS_OF));
}
