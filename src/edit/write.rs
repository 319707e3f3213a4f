//! Atomic, serialised writes: a temp file in the target's own folder,
//! fsync, rename over the target, fsync the folder; all under an exclusive
//! lock on the roadmap folder, so an interrupted or concurrent command
//! never leaves a half-written file or loses an update.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Held for the whole read-modify-write of a command; released on drop.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Take the exclusive lock on the roadmap folder, waiting for other
/// `roadmap` processes that hold it.
///
/// On Unix we lock the folder itself, so no lock file appears in the
/// user's git tree. Elsewhere a folder cannot be opened as a file, so we
/// lock `.roadmap.lock` inside it.
pub fn lock(dir: &Path) -> Result<Lock> {
    #[cfg(unix)]
    let file = File::open(dir).map_err(|e| Error::io(dir, e))?;
    #[cfg(not(unix))]
    let file = {
        let path = dir.join(".roadmap.lock");
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?
    };
    file.lock().map_err(|e| Error::io(dir, e))?;
    Ok(Lock { _file: file })
}

/// Replace `path` with `contents` atomically. A symlink is followed: its
/// target is replaced and the link stays a link.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let target = resolve(path)?;
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".roadmap-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    tmp.write_all(contents)
        .map_err(|e| Error::io(tmp.path(), e))?;
    if let Ok(meta) = fs::metadata(&target) {
        // Keep the file's mode (a tempfile is created 0600).
        fs::set_permissions(tmp.path(), meta.permissions())
            .map_err(|e| Error::io(tmp.path(), e))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(tmp.path(), e))?;
    tmp.persist(&target)
        .map_err(|e| Error::io(&target, e.error))?;
    // Make the rename itself durable.
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Follow symlinks to the file that is really written; a path that does not
/// exist yet is written as is.
fn resolve(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
            Error::io(
                path,
                std::io::Error::new(e.kind(), format!("symlink points at a missing file: {e}")),
            )
        }),
        Ok(meta) if !meta.is_file() => Err(Error::io(
            path,
            std::io::Error::other("not a regular file; refusing to replace it"),
        )),
        _ => Ok(path.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.yaml")]);
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
}
