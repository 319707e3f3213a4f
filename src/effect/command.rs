//! Running an action's `run:` command: no shell, in the roadmap folder,
//! the alert as JSON on its standard input, a time limit after which it
//! and everything it started are stopped.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::model::actions::{Attempt, Outcome};

/// How long a command stopped for its time limit gets to exit after
/// SIGTERM, to clean up, before it is killed.
const GRACE: Duration = Duration::from_secs(1);
/// How often a running command is checked on.
const POLL: Duration = Duration::from_millis(10);

/// The program of `argv[0]` as it is started: a path with a `/` is taken
/// from the roadmap folder `dir` (std leaves a relative program with
/// `current_dir` to the platform); a bare name is looked up on PATH.
pub fn program(argv0: &str, dir: &Path) -> PathBuf {
    let p = Path::new(argv0);
    let has_separator = p.components().count() > 1 || argv0.contains(std::path::MAIN_SEPARATOR);
    match has_separator && p.is_relative() {
        true => dir.join(p),
        false => p.to_path_buf(),
    }
}

/// Run `argv` in `dir` with `env` added to ours, `input` on its standard
/// input; stop it after `timeout`. Standard output and error are kept
/// together, in the order they were written.
pub fn run(
    argv: &[String],
    dir: &Path,
    env: &[(&str, String)],
    input: &[u8],
    timeout: Duration,
) -> Attempt {
    let error = |output: String| Attempt {
        outcome: Outcome::Error,
        output,
    };
    let Some(first) = argv.first() else {
        return error("no program to run".into());
    };
    // One pipe for both streams: the output reads as it would on a
    // terminal, errors after what led to them.
    let (reader, writer) = match std::io::pipe() {
        Ok(p) => p,
        Err(e) => return error(format!("cannot make a pipe: {e}")),
    };
    let writer2 = match writer.try_clone() {
        Ok(w) => w,
        Err(e) => return error(format!("cannot make a pipe: {e}")),
    };
    let mut cmd = Command::new(program(first, dir));
    cmd.args(&argv[1..])
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(writer)
        .stderr(writer2);
    // Its own process group, so that a time limit stops what it started
    // too: a script's `sleep` would otherwise outlive it and hold the
    // output pipe open.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let spawned = cmd.spawn();
    // The command holds our copies of the pipe's writing end: drop them,
    // or the output would never end.
    drop(cmd);
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => return error(format!("cannot start `{first}`: {e}")),
    };
    // Fed and read on threads: a command that prints much before reading
    // its input, or reads none, must not block us.
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_vec();
        std::thread::spawn(move || {
            // A command that does not read its input closes the pipe: fine.
            let _ = stdin.write_all(&input);
        });
    }
    let kept = Arc::new(Mutex::new(Vec::new()));
    let (finished, read_all) = mpsc::channel();
    {
        let kept = Arc::clone(&kept);
        std::thread::spawn(move || {
            collect(reader, &kept);
            let _ = finished.send(());
        });
    }
    let deadline = Instant::now() + timeout;
    let status = wait(&mut child, deadline);
    let timed_out = status.is_none();
    if timed_out {
        stop(&mut child);
    }
    // What it printed: the pipe ends when every process holding it has
    // exited. Something it left running in the background may hold it
    // open for as long as it runs; what was read by then is what there is.
    let _ = read_all.recv_timeout(GRACE);
    let text = super::tail(&kept.lock().unwrap_or_else(|e| e.into_inner()));
    let outcome = match status {
        None => Outcome::Timeout,
        Some(s) => match s.code() {
            Some(0) => Outcome::Ok,
            Some(code) => Outcome::Exit(code),
            None => {
                return error(format!("{text}{}", signalled(s)));
            }
        },
    };
    Attempt {
        outcome,
        output: text,
    }
}

/// Wait for `child` until `deadline`: its status, or None if it is still
/// running then.
fn wait(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() >= deadline => return None,
            Ok(None) => std::thread::sleep(POLL),
            // Not ours to wait for any more (cannot happen for a child we
            // hold): treat it as still running, so it is stopped.
            Err(_) => return None,
        }
    }
}

/// Stop a command past its time limit, and everything it started: SIGTERM
/// to its process group, then SIGKILL if it has not exited within
/// [`GRACE`].
fn stop(child: &mut Child) {
    #[cfg(unix)]
    {
        let group = -(child.id() as libc::pid_t);
        // SAFETY: kill(2) with a negative pid signals that process group,
        // which the child leads (`process_group(0)`); it touches no memory.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let _ = wait(child, Instant::now() + GRACE);
        // Whatever is left, the command or what it started, is killed.
        // SAFETY: as above.
        unsafe { libc::kill(group, libc::SIGKILL) };
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Read `reader` to its end into `kept`, keeping about the last
/// [`super::KEEP_OUTPUT`] bytes.
fn collect(mut reader: impl Read, kept: &Mutex<Vec<u8>>) {
    let mut buf = [0u8; 8192];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > 2 * super::KEEP_OUTPUT {
                    let cut = kept.len() - super::KEEP_OUTPUT;
                    kept.drain(..cut);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
}

/// Why a command that exited without a code ended.
fn signalled(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    format!("ended without an exit code ({status})")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str, input: &[u8], timeout: Duration) -> Attempt {
        let dir = std::env::temp_dir();
        let argv = ["sh", "-c", script].map(String::from);
        run(&argv, &dir, &[("GREETING", "hi".into())], input, timeout)
    }

    #[test]
    fn output_input_environment_and_exit_codes() {
        let a = sh(
            "cat; echo \" $GREETING\"; echo oops >&2; exit 3",
            b"{\"x\":1}",
            Duration::from_secs(20),
        );
        assert_eq!(a.outcome, Outcome::Exit(3));
        assert_eq!(a.output, "{\"x\":1} hi\noops\n");
        let a = sh("true", b"", Duration::from_secs(20));
        assert_eq!((a.outcome, a.output.as_str()), (Outcome::Ok, ""));
    }

    #[test]
    fn a_command_that_reads_no_input_is_fine() {
        // More than a pipe's buffer, never read.
        let big = vec![b'x'; 1 << 20];
        let a = sh("echo done", &big, Duration::from_secs(20));
        assert_eq!((a.outcome, a.output.as_str()), (Outcome::Ok, "done\n"));
    }

    #[test]
    fn a_program_that_does_not_exist_is_an_error() {
        let argv = ["./no-such-program-here".to_string()];
        let a = run(
            &argv,
            &std::env::temp_dir(),
            &[],
            b"",
            Duration::from_secs(5),
        );
        assert_eq!(a.outcome, Outcome::Error);
        assert!(
            a.output
                .starts_with("cannot start `./no-such-program-here`"),
            "{}",
            a.output
        );
    }

    #[test]
    fn a_killed_command_is_an_error_that_names_the_signal() {
        let a = sh("echo before; kill -9 $$", b"", Duration::from_secs(20));
        assert_eq!(a.outcome, Outcome::Error);
        assert_eq!(a.output, "before\nkilled by signal 9");
    }

    #[test]
    fn long_output_keeps_its_end() {
        let a = sh(
            "i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done",
            b"",
            Duration::from_secs(60),
        );
        assert_eq!(a.outcome, Outcome::Ok);
        assert!(
            a.output.len() <= crate::effect::KEEP_OUTPUT,
            "{}",
            a.output.len()
        );
        assert!(a.output.ends_with("line 19999\n"));
        assert!(!a.output.contains("line 0\n"));
    }

    #[test]
    fn relative_programs_are_found_in_the_roadmap_folder() {
        let dir = Path::new("/plans/roadmap");
        assert_eq!(program("scripts/x.sh", dir), dir.join("scripts/x.sh"));
        assert_eq!(program("./x.sh", dir), dir.join("./x.sh"));
        assert_eq!(program("/usr/bin/env", dir), Path::new("/usr/bin/env"));
        assert_eq!(program("curl", dir), Path::new("curl"));
    }
}
