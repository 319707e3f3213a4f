//! Atomic, serialised writes, all or nothing across files.
//!
//! Every command that writes holds an exclusive lock on the roadmap folder
//! for its whole read-modify-write; commands that only read hold a shared
//! one while they read, so they never see half of a multi-file change.
//!
//! A change to one file is a temp file in the target's own folder, fsync,
//! rename over the target, fsync the folder. A change to several files
//! first writes and fsyncs every temp file, then records the renames still
//! to do in a journal (`.roadmap-journal`, itself written atomically: that
//! is the commit point), then renames. A command killed before the journal
//! exists has changed nothing; one killed after it has committed, and the
//! next command rolls the renames forward. Either way the next command
//! removes stray `.roadmap-*.tmp` files under the lock, so `git add -A`
//! never picks one up for long.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::error::{Error, Result};

/// Temp files start with this and end with [`TEMP_SUFFIX`]; nothing else
/// in a roadmap folder does, so they can be swept safely.
const TEMP_PREFIX: &str = ".roadmap-";
const TEMP_SUFFIX: &str = ".tmp";
/// The list of renames of a committed multi-file change.
pub const JOURNAL: &str = ".roadmap-journal";
/// The journal's last line: a journal without it is not one we wrote.
const JOURNAL_END: &str = "end";
/// When a blocked command says whom it waits for.
const SAY_AFTER: Duration = Duration::from_secs(1);

/// Set in the environment of an action `alerts --act` runs, to the plan's
/// folder, which it holds locked meanwhile.
pub const ACTING_DIR: &str = "ROADMAP_ACTING_DIR";

fn same_dir(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Held for the whole read-modify-write of a command; released on drop.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Take the exclusive lock on the roadmap folder, waiting up to `wait` for
/// other `roadmap` processes that hold it, then finish or undo what an
/// interrupted command left behind.
pub fn lock(dir: &Path, wait: Duration) -> Result<Lock> {
    let lock = acquire(dir, wait, true)?;
    recover(dir)?;
    Ok(lock)
}

/// Take a shared lock for reading, so a concurrent multi-file write is seen
/// whole or not at all. If an interrupted write left work behind, take the
/// exclusive lock first and finish it; a folder we cannot write to (a
/// read-only checkout) is read as it is, with a warning.
pub fn read_lock(dir: &Path, wait: Duration) -> Result<Lock> {
    let stray = || {
        std::iter::once(dir.to_path_buf())
            .chain(subfolders(dir))
            .any(|d| !leftovers(&d).is_empty())
    };
    if stray() {
        let exclusive = acquire(dir, wait, true)?;
        if let Err(e) = recover(dir) {
            eprintln!("warning: cannot clean up after an interrupted command: {e}");
        }
        drop(exclusive);
    }
    acquire(dir, wait, false)
}

/// On Unix we lock the folder itself, so no lock file appears in the
/// user's git tree. Elsewhere a folder cannot be opened as a file, so we
/// lock `.roadmap.lock` inside it.
fn acquire(dir: &Path, wait: Duration, exclusive: bool) -> Result<Lock> {
    #[cfg(unix)]
    let file = File::open(dir).map_err(|e| missing_dir(dir, e))?;
    #[cfg(not(unix))]
    let file = {
        if !dir.is_dir() {
            return Err(missing_dir(dir, std::io::ErrorKind::NotFound.into()));
        }
        let path = dir.join(".roadmap.lock");
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?
    };
    let started = Instant::now();
    let mut said = false;
    loop {
        let tried = if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match tried {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(fs::TryLockError::Error(e)) => return Err(Error::io(display_path(dir), e)),
            Err(fs::TryLockError::WouldBlock) => {}
        }
        // An action that `alerts --act` is running, calling roadmap on the
        // plan it acts for, would wait for the lock its caller holds until
        // it timed out: say so at once instead.
        if std::env::var_os(ACTING_DIR).is_some_and(|d| same_dir(Path::new(&d), dir)) {
            return Err(Error::usage(
                format!(
                    "{} is locked by `roadmap alerts --act`, which is running this action",
                    display_path(dir).display()
                ),
                Some(
                    "an action cannot run roadmap on the plan it acts for; the alert is on its \
                     standard input as JSON"
                        .into(),
                ),
            ));
        }
        let waited = started.elapsed();
        if waited >= wait {
            return Err(Error::usage(
                format!(
                    "{} is still locked by {} after {} s",
                    display_path(dir).display(),
                    holder(dir),
                    wait.as_secs()
                ),
                Some(
                    "nothing was changed; wait for that command to finish, or pass \
                     --wait SECONDS to wait longer"
                        .into(),
                ),
            ));
        }
        if !said && waited >= SAY_AFTER {
            eprintln!(
                "waiting for {} to finish with {} (up to {} s; see --wait)",
                holder(dir),
                display_path(dir).display(),
                wait.as_secs()
            );
            said = true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn missing_dir(dir: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        let d = Diagnostic::new(display_path(dir), None, "no such folder").with_hint(Some(
            "pass the folder that holds roadmap.yaml with --dir (or ROADMAP_DIR)".into(),
        ));
        return Error::Invalid(Diagnostics(vec![d]));
    }
    Error::io(display_path(dir), e)
}

/// Who holds the lock on `dir`: on Linux, the process named in
/// `/proc/locks` for the folder's inode; elsewhere "another roadmap
/// command".
fn holder(dir: &Path) -> String {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let found = fs::metadata(dir).ok().and_then(|m| {
            let inode = m.ino().to_string();
            let locks = fs::read_to_string("/proc/locks").ok()?;
            locks.lines().find_map(|line| {
                // `1: FLOCK  ADVISORY  WRITE 3208 fe:00:5324802 0 EOF`
                let f: Vec<&str> = line.split_whitespace().collect();
                let (pid, id) = (f.get(4)?, f.get(5)?);
                (id.rsplit(':').next() == Some(inode.as_str())).then(|| pid.to_string())
            })
        });
        if let Some(pid) = found {
            let cmd = fs::read(format!("/proc/{pid}/cmdline"))
                .map(|b| {
                    b.split(|c| *c == 0)
                        .filter(|a| !a.is_empty())
                        .map(|a| String::from_utf8_lossy(a).into_owned())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            return match cmd.is_empty() {
                true => format!("process {pid}"),
                false => format!("process {pid} (`{cmd}`)"),
            };
        }
    }
    let _ = dir;
    "another roadmap command".into()
}

/// A test hook: `ROADMAP_FAILPOINT=NAME` aborts the process at the point
/// called NAME, as a kill or a power cut would, so the crash tests can
/// stop a write at every step rather than only where a timer happens to
/// land.
fn failpoint(name: &str) {
    if std::env::var_os("ROADMAP_FAILPOINT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}

/// Replace `path` with `contents` atomically.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    commit(dir, vec![(path.to_path_buf(), contents.to_vec())])
}

/// Replace every file of `changes` with its new contents, all or nothing.
/// `dir` is the roadmap folder (where the journal goes); the caller holds
/// the exclusive lock. A symlink is followed: its target is replaced and
/// the link stays a link. Errors name the real file, never a temp file.
pub fn commit(dir: &Path, changes: Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    let mut staged = Vec::with_capacity(changes.len());
    for (path, contents) in changes {
        // Absolute, so that the journal means the same files to a command
        // run later from another folder.
        let target = resolve(&path)?;
        let target = std::path::absolute(&target).map_err(|e| Error::io(display_path(&path), e))?;
        let old = preflight(&path, &target)?;
        staged.push(Staged {
            shown: display_path(&path),
            target,
            old,
            contents,
            temp: None,
        });
    }
    // Temps a killed command left beside these files (in a subfolder, or
    // beside a symlink's target elsewhere) go now: we hold the lock.
    let beside: Vec<PathBuf> = folders(staged.iter().map(|s| s.target.as_path()))
        .into_iter()
        .collect();
    sweep(&beside)?;
    // Write every temp file before touching any target: a full disk or a
    // failing device stops us here, with nothing changed.
    for i in 0..staged.len() {
        match write_temp(&staged[i].target, &staged[i].contents) {
            Ok(temp) => staged[i].temp = Some(temp),
            Err(e) => {
                remove_temps(&staged);
                return Err(Error::io(&staged[i].shown, e));
            }
        }
    }
    failpoint("temps-written");
    let journal = if staged.len() > 1 {
        match write_journal(dir, &staged) {
            Ok(path) => Some(path),
            Err(e) => {
                remove_temps(&staged);
                return Err(e);
            }
        }
    } else {
        None
    };
    failpoint("journal-written");
    for i in 0..staged.len() {
        let temp = staged[i].temp.as_ref().expect("staged above");
        if let Err(e) = fs::rename(temp, &staged[i].target) {
            // Undo the renames done so far from the old contents we hold.
            for s in staged[..i].iter().rev() {
                let _ = restore(s);
            }
            remove_temps(&staged[i..]);
            if let Some(j) = &journal {
                let _ = fs::remove_file(j);
            }
            return Err(Error::io(&staged[i].shown, e));
        }
        failpoint(&format!("renamed-{}", i + 1));
    }
    for folder in folders(staged.iter().map(|s| s.target.as_path())) {
        sync_dir(&folder);
    }
    if let Some(j) = journal {
        fs::remove_file(&j).map_err(|e| Error::io(display_path(&j), e))?;
        sync_dir(dir);
    }
    Ok(())
}

struct Staged {
    /// The path as the user knows it, for messages.
    shown: PathBuf,
    /// The file really written (a symlink's target).
    target: PathBuf,
    /// Its contents before, or None when it is new.
    old: Option<Vec<u8>>,
    contents: Vec<u8>,
    temp: Option<PathBuf>,
}

/// Refuse, before anything is written, what the OS would refuse halfway
/// or what the user has marked as not to be changed: a read-only or
/// immutable file, a read-only folder. Returns the current contents.
fn preflight(path: &Path, target: &Path) -> Result<Option<Vec<u8>>> {
    let shown = display_path(path);
    let folder = parent(target);
    match fs::metadata(folder) {
        Ok(m) if m.permissions().readonly() => {
            return Err(Error::usage(
                format!(
                    "cannot write {}: its folder {} is read-only",
                    shown.display(),
                    display_path(folder).display()
                ),
                Some("nothing was changed; make the folder writable (chmod u+w) first".into()),
            ));
        }
        Ok(_) => {}
        Err(e) => return Err(Error::io(display_path(folder), e)),
    }
    let meta = match fs::metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&shown, e)),
    };
    if meta.permissions().readonly() {
        return Err(Error::usage(
            format!("cannot write {}: the file is read-only", shown.display()),
            Some("nothing was changed; make it writable (chmod u+w) to let roadmap edit it".into()),
        ));
    }
    // Opening for writing (without truncating) is refused for an immutable
    // or append-only file, which a rename over it would also be.
    fs::OpenOptions::new()
        .write(true)
        .open(target)
        .map_err(|e| Error::io(&shown, e))?;
    let old = fs::read(target).map_err(|e| Error::io(&shown, e))?;
    Ok(Some(old))
}

/// Write `contents` to a new temp file beside `target`, with the target's
/// mode and owner (a new file gets the umask's mode), flushed to disk. An
/// error says what went wrong, not which temp file it was: the caller names
/// the file the user knows.
fn write_temp(target: &Path, contents: &[u8]) -> std::io::Result<PathBuf> {
    write_temp_inner(target, contents).map_err(|e| match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        // tempfile wraps the OS error with ` at path "<temp>"`.
        None => {
            let text = e.to_string();
            let text = text.split(" at path ").next().unwrap_or(&text);
            std::io::Error::new(e.kind(), text.to_string())
        }
    })
}

fn write_temp_inner(target: &Path, contents: &[u8]) -> std::io::Result<PathBuf> {
    let meta = fs::metadata(target).ok();
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666, the umask applies, as for any new file.
        let mode = meta.as_ref().map_or(0o666, |m| m.permissions().mode());
        builder.permissions(fs::Permissions::from_mode(mode));
        mode
    };
    let mut tmp = builder.tempfile_in(parent(target))?;
    tmp.write_all(contents)?;
    #[cfg(unix)]
    if let Some(m) = &meta {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // The creation mode passed the umask; an existing file keeps its
        // own mode exactly.
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))?;
        // Root editing someone else's file leaves it theirs. Without the
        // right to do so (not root), the file becomes ours, as with any
        // editor that saves by renaming.
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(m.uid()), Some(m.gid()));
    }
    let _ = &meta;
    tmp.as_file().sync_all()?;
    let (_, path) = tmp.keep().map_err(|e| e.error)?;
    Ok(path)
}

fn write_journal(dir: &Path, staged: &[Staged]) -> Result<PathBuf> {
    let mut text = String::new();
    for s in staged {
        let temp = s.temp.as_ref().expect("staged");
        // Tabs and line breaks cannot be told apart from the format: such
        // paths are refused rather than journalled wrongly.
        let (t, g) = (temp.to_string_lossy(), s.target.to_string_lossy());
        if [&t, &g].iter().any(|p| p.contains(['\t', '\n'])) {
            return Err(Error::usage(
                format!(
                    "cannot write {}: its path holds a tab or line break",
                    s.shown.display()
                ),
                None,
            ));
        }
        text.push_str(&format!("{t}\t{g}\n"));
    }
    text.push_str(JOURNAL_END);
    text.push('\n');
    let path = dir.join(JOURNAL);
    let names = || {
        staged
            .iter()
            .map(|s| s.shown.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let temp = write_temp(&path, text.as_bytes()).map_err(|e| Error::io(names(), e))?;
    fs::rename(&temp, &path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        Error::io(names(), e)
    })?;
    sync_dir(dir);
    Ok(path)
}

/// Put back the old contents of a file already renamed over.
fn restore(s: &Staged) -> std::io::Result<()> {
    match &s.old {
        Some(old) => {
            let temp = write_temp(&s.target, old)?;
            fs::rename(&temp, &s.target)
        }
        None => fs::remove_file(&s.target),
    }
}

fn remove_temps(staged: &[Staged]) {
    for s in staged {
        if let Some(t) = &s.temp {
            let _ = fs::remove_file(t);
        }
    }
}

/// Finish what an interrupted command left: roll a committed journal
/// forward, then remove stray temp files. Needs the exclusive lock.
pub fn recover(dir: &Path) -> Result<()> {
    let journal = dir.join(JOURNAL);
    let mut folders = vec![dir.to_path_buf()];
    match fs::read_to_string(&journal) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            // Written by rename, so it is whole; a hand-made one is ignored.
            if lines.last() == Some(&JOURNAL_END) {
                for line in &lines[..lines.len() - 1] {
                    let Some((temp, target)) = line.split_once('\t') else {
                        continue;
                    };
                    let (temp, target) = (Path::new(temp), Path::new(target));
                    if temp.exists() {
                        fs::rename(temp, target).map_err(|e| Error::io(display_path(target), e))?;
                    }
                    folders.push(parent(target).to_path_buf());
                }
            }
            for folder in folders.iter().collect::<std::collections::BTreeSet<_>>() {
                sync_dir(folder);
            }
            fs::remove_file(&journal).map_err(|e| Error::io(display_path(&journal), e))?;
            sync_dir(dir);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(display_path(&journal), e)),
    }
    folders.extend(subfolders(dir));
    sweep(&folders)
}

/// Every folder below `dir` (track files may live in subfolders), not
/// following symlinks and skipping `.git`; bounded, since a roadmap folder
/// is small and a runaway tree should not stall every command.
fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = todo.pop() {
        if depth >= 8 || found.len() >= 1000 {
            break;
        }
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && entry.file_name() != ".git" {
                found.push(entry.path());
                todo.push((entry.path(), depth + 1));
            }
        }
    }
    found
}

/// Remove stray temp files from `folders` (and from the folders of the
/// files a command is about to write). Needs the exclusive lock.
pub fn sweep(folders: &[PathBuf]) -> Result<()> {
    for folder in folders {
        for name in leftovers(folder) {
            let path = folder.join(&name);
            if name != JOURNAL {
                fs::remove_file(&path).map_err(|e| Error::io(display_path(&path), e))?;
            }
        }
    }
    Ok(())
}

/// Names in `dir` that an interrupted write leaves: temp files and the
/// journal.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n == JOURNAL || (n.starts_with(TEMP_PREFIX) && n.ends_with(TEMP_SUFFIX)))
        .collect()
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn folders<'a>(paths: impl Iterator<Item = &'a Path>) -> std::collections::BTreeSet<PathBuf> {
    paths.map(|p| parent(p).to_path_buf()).collect()
}

/// Make renames in `dir` durable; best effort (not every platform can).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    let _ = dir;
}

/// Follow symlinks to the file that is really written; a path that does not
/// exist yet is written as is.
fn resolve(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
            Error::io(
                display_path(path),
                std::io::Error::new(e.kind(), format!("symlink points at a missing file: {e}")),
            )
        }),
        Ok(meta) if !meta.is_file() => Err(Error::io(
            display_path(path),
            std::io::Error::other("not a regular file; refusing to replace it"),
        )),
        _ => Ok(path.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().into_string().unwrap())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn replaces_contents_and_keeps_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        fs::write(&path, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&path, b"new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        // No temp file is left behind.
        assert_eq!(names(dir.path()), ["a.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_symlink_to_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        let link = dir.path().join("link.yaml");
        fs::write(&real, "old\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new\n").unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_committed_journal_is_rolled_forward_and_temps_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        fs::write(&a, "a-old").unwrap();
        fs::write(&b, "b-old").unwrap();
        // As a command killed after its first rename leaves things: a
        // renamed, b's temp still waiting, the journal naming both.
        let ta = write_temp(&a, b"a-new").unwrap();
        let tb = write_temp(&b, b"b-new").unwrap();
        let stray = write_temp(&a, b"unrelated").unwrap();
        fs::write(
            dir.path().join(JOURNAL),
            format!(
                "{}\t{}\n{}\t{}\nend\n",
                ta.display(),
                a.display(),
                tb.display(),
                b.display()
            ),
        )
        .unwrap();
        fs::rename(&ta, &a).unwrap();
        recover(dir.path()).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "a-new");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b-new");
        assert!(!stray.exists());
        assert_eq!(names(dir.path()), ["a.yaml", "b.yaml"]);
    }

    #[test]
    fn temps_without_a_journal_are_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a-old").unwrap();
        write_temp(&a, b"a-new").unwrap();
        recover(dir.path()).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "a-old");
        assert_eq!(names(dir.path()), ["a.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_umask_mode_not_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.csv");
        write_atomic(&path, b"x\n").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        // Whatever the umask, group or others may read unless it says no;
        // the usual 022 and 002 both give read to all.
        let probe = dir.path().join("probe");
        File::create(&probe).unwrap();
        let expected = fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected);
    }

    #[test]
    fn a_read_only_file_is_refused_by_name_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        fs::write(&a, "a-old").unwrap();
        fs::write(&b, "b-old").unwrap();
        let mut p = fs::metadata(&b).unwrap().permissions();
        p.set_readonly(true);
        fs::set_permissions(&b, p).unwrap();
        let err = commit(
            dir.path(),
            vec![
                (a.clone(), b"a-new".to_vec()),
                (b.clone(), b"b-new".to_vec()),
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("b.yaml"), "{err}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "a-old");
        assert_eq!(names(dir.path()), ["a.yaml", "b.yaml"]);
    }
}
