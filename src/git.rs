//! Running `git`: the one place the program reads a repository, for
//! `roadmap diff` and `roadmap validate --staged`. It finds where the
//! roadmap folder sits in its repository, resolves revisions, and writes
//! the folder's files as they were at a revision, or as they are staged in
//! the index, into a folder of our own, so the ordinary loader reads them
//! like the working tree.
//!
//! Files are read as git stores them (`git cat-file`, the plumbing under
//! `git show REV:PATH`), with no checkout and nothing written to the
//! repository or its working tree.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::diag::display_path;
use crate::error::{Error, Result};

/// A file git stores: its blob, whether it is a symlink, and its path from
/// the top of the repository.
struct Staged {
    link: bool,
    object: String,
    path: String,
}

/// The repository holding a roadmap folder.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The top of the working tree.
    pub top: PathBuf,
    /// The roadmap folder relative to `top`, with `/` between parts and a
    /// trailing `/` (`examples/bakery/`); empty when it is `top` itself.
    pub prefix: String,
}

impl Repo {
    /// The repository that holds `dir`; `why` says, when there is none,
    /// what the command wanted one for.
    pub fn of(dir: &Path, why: &str) -> Result<Repo> {
        let out = git(dir, &["rev-parse", "--show-toplevel", "--show-prefix"])?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            if stderr.contains("not a git repository") {
                return Err(Error::usage(
                    format!("{} is not in a git repository", display_path(dir).display()),
                    Some(format!("{why}: `git init`, then commit the roadmap folder")),
                ));
            }
            return Err(failed("git rev-parse", &out));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let top = lines.next().unwrap_or_default();
        let prefix = lines.next().unwrap_or_default();
        Ok(Repo {
            top: PathBuf::from(top),
            prefix: prefix.to_string(),
        })
    }

    /// The full commit id `rev` names.
    pub fn commit(&self, rev: &str) -> Result<String> {
        let spec = format!("{rev}^{{commit}}");
        let out = git(
            &self.top,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ],
        )?;
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !out.status.success() || id.is_empty() {
            return Err(Error::usage(
                format!("unknown revision `{rev}`"),
                Some(
                    "name a commit, branch or tag of this repository \
                     (`git log --oneline` lists the commits)"
                        .into(),
                ),
            ));
        }
        Ok(id)
    }

    /// Write the roadmap folder's files as they were at `commit` into
    /// `into`; returns how many were written (none when the folder did not
    /// exist then).
    pub fn export(&self, commit: &str, into: &Path) -> Result<usize> {
        // `--full-name` keeps paths relative to the top whatever the
        // folder; `-z` keeps odd file names intact. Entries are
        // `<mode> <type> <object>`; submodules (`commit`) are other
        // repositories: not ours.
        let files = self.listing(&["ls-tree", "-r", "-z", "--full-name", commit], |m| {
            (m.get(1) == Some(&"blob")).then_some((m[0] == "120000", 2))
        })?;
        self.write(&files, into)
    }

    /// Write the roadmap folder's files as they are staged in the index,
    /// what `git commit` would record, into `into`; returns how many were
    /// written. In a pre-commit hook git points `GIT_INDEX_FILE` at the
    /// index being committed, which the `git` run here inherits.
    pub fn export_index(&self, into: &Path) -> Result<usize> {
        // Run at the top, `ls-files` names paths from there. Entries are
        // `<mode> <object> <stage>`: stages 1-3 are the sides of an
        // unresolved merge, which git refuses to commit anyway; a
        // submodule (mode 160000) is another repository.
        let files = self.listing(&["ls-files", "--stage", "-z"], |m| {
            (m.get(2) == Some(&"0") && m[0] != "160000").then_some((m[0] == "120000", 1))
        })?;
        self.write(&files, into)
    }

    /// Run a git listing of the roadmap folder whose entries are
    /// NUL-separated `<fields>\t<path>`, keeping those `pick` takes from
    /// their space-separated fields: (is a symlink, which field holds the
    /// object id).
    fn listing(
        &self,
        command: &[&str],
        pick: impl Fn(&[&str]) -> Option<(bool, usize)>,
    ) -> Result<Vec<Staged>> {
        let mut args = command.to_vec();
        if !self.prefix.is_empty() {
            args.extend(["--", self.prefix.as_str()]);
        }
        let out = git(&self.top, &args)?;
        if !out.status.success() {
            return Err(failed(&format!("git {}", command[0]), &out));
        }
        let mut files = Vec::new();
        for entry in out.stdout.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let fields: Vec<&str> = meta.split(' ').collect();
            if let Some((link, object)) = pick(&fields) {
                files.push(Staged {
                    link,
                    object: fields.get(object).copied().unwrap_or_default().to_string(),
                    path: path.to_string(),
                });
            }
        }
        Ok(files)
    }

    /// Write each file's blob under `into`, at its path inside the roadmap
    /// folder.
    fn write(&self, files: &[Staged], into: &Path) -> Result<usize> {
        let files: Vec<(&Staged, PathBuf)> = files
            .iter()
            .filter_map(|f| {
                let relative = f.path.strip_prefix(&self.prefix)?;
                Some((f, into.join(relative)))
            })
            .collect();
        let objects: Vec<&str> = files.iter().map(|(f, _)| f.object.as_str()).collect();
        let contents = self.blobs(&objects)?;
        for ((file, path), bytes) in files.iter().zip(contents) {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            write_file(path, &bytes, file.link)?;
        }
        Ok(files.len())
    }

    /// The contents of `objects`, in order, from one `git cat-file --batch`.
    fn blobs(&self, objects: &[&str]) -> Result<Vec<Vec<u8>>> {
        if objects.is_empty() {
            return Ok(Vec::new());
        }
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.top)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(not_installed)?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let list: String = objects.iter().map(|o| format!("{o}\n")).collect();
        // A thread feeds the list while this one reads, so neither pipe
        // fills up and blocks the other.
        let feeder = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
        let mut reader = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut contents = Vec::with_capacity(objects.len());
        for object in objects {
            let mut header = String::new();
            reader
                .read_line(&mut header)
                .map_err(|e| Error::io("git cat-file", e))?;
            // `<object> blob <size>`, or `<object> missing`.
            let size: Option<usize> = header
                .trim_end()
                .strip_prefix(object)
                .and_then(|rest| rest.strip_prefix(" blob "))
                .and_then(|n| n.parse().ok());
            let Some(size) = size else {
                return Err(Error::usage(
                    format!("git cannot read object {object}: {}", header.trim_end()),
                    Some("check the repository with `git fsck`".into()),
                ));
            };
            let mut bytes = vec![0; size + 1];
            reader
                .read_exact(&mut bytes)
                .map_err(|e| Error::io("git cat-file", e))?;
            bytes.pop(); // the newline after each object
            contents.push(bytes);
        }
        drop(reader);
        let _ = feeder.join();
        let _ = child.wait();
        Ok(contents)
    }
}

#[cfg(unix)]
fn write_file(path: &Path, bytes: &[u8], link: bool) -> Result<()> {
    use std::os::unix::ffi::OsStrExt;
    if link {
        // A symlink is stored as its target; it may point at a sibling.
        let target = std::ffi::OsStr::from_bytes(bytes);
        return std::os::unix::fs::symlink(target, path).map_err(|e| Error::io(path, e));
    }
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

#[cfg(not(unix))]
fn write_file(path: &Path, bytes: &[u8], _link: bool) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// Run `git -C dir ARGS` and collect its output.
fn git(dir: &Path, args: &[&str]) -> Result<Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(not_installed)
}

fn not_installed(e: std::io::Error) -> Error {
    Error::usage(
        format!("cannot run `git`: {e}"),
        Some(
            "`roadmap diff` and `roadmap validate --staged` need git installed and on the PATH"
                .into(),
        ),
    )
}

/// A git command that failed for a reason of its own: say what git said.
fn failed(what: &str, out: &Output) -> Error {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let message = stderr
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message")
        .trim_start_matches("fatal: ")
        .to_string();
    Error::usage(format!("{what} failed: {message}"), None)
}
