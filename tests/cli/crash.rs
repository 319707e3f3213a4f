//! Crashes and concurrency: a writing command killed at any moment leaves
//! the roadmap folder exactly as it was or exactly as the command would
//! have left it, across every file it writes, once the next command has
//! run; and many writers at once lose nothing.
//!
//! Each case runs its command once to learn the state after it, times a
//! whole run, then kills it (SIGKILL) after delays drawn from a fixed
//! pseudo-random sequence spread over that time (213 kills that find it
//! running, in all: see the counts at each `kill_at_random`); and it
//! stops it at each failpoint of the write layer (`ROADMAP_FAILPOINT`).
//! After each kill the next command runs (a reading one or a writing one)
//! and then the folder must validate, hold no stray file, and be byte for
//! byte the old state or the new one. Most cases run in memory, one on
//! disk (see [`Place`]).

#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::edit::contents;
use crate::{json, roadmap, run, seed};

type Snapshot = BTreeMap<PathBuf, Vec<u8>>;

const AS_OF: [&str; 2] = ["--as-of", "2026-04-10"];
/// An item no case touches: reopening it is a writing command (it takes
/// the exclusive lock and recovers) that changes nothing.
const UNTOUCHED: &str = "f1-equipo";

/// A fixed pseudo-random sequence in [0, 1) (xorshift64*), so a failure
/// is replayed by running the test again.
struct Schedule(u64);

impl Schedule {
    fn next(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Where a test's roadmap folder lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The temp folder's disk, where every write waits for fsync.
    Disk,
    /// Memory (`/dev/shm`, where there is one). A SIGKILL does not lose
    /// the page cache, so what a killed command leaves is the same on any
    /// file system; in memory the thousand-odd runs of this module do not
    /// queue on the disk's fsync (tens of milliseconds each here) behind
    /// each other and behind the rest of the suite.
    Memory,
}

/// A copy of the seed at `<temp>/roadmap`, in `place`.
fn seed_copy(place: Place) -> (TempDir, PathBuf) {
    let shm = Path::new("/dev/shm");
    let tmp = match place {
        Place::Memory if shm.is_dir() => tempfile::tempdir_in(shm),
        _ => tempfile::tempdir(),
    }
    .expect("a temp folder");
    let dir = tmp.path().join("roadmap");
    crate::copy_dir(&seed(), &dir);
    (tmp, dir)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Old,
    New,
}

/// A writing command and the folder it writes, before and after.
struct Case {
    name: &'static str,
    _tmp: TempDir,
    dir: PathBuf,
    args: Vec<String>,
    before: Snapshot,
    after: Snapshot,
    /// How many files the command writes (2 or more: with a journal).
    files: usize,
}

impl Case {
    /// `prepare` gets the temp folder and the roadmap folder (a copy of
    /// the seed, in memory or on disk: see [`seed_copy`]) and returns the
    /// command's arguments.
    fn new(
        name: &'static str,
        place: Place,
        prepare: impl FnOnce(&Path, &Path) -> Vec<String>,
    ) -> Case {
        let (tmp, dir) = seed_copy(place);
        let args = prepare(tmp.path(), &dir);
        let before = contents(&dir);
        let mut case = Case {
            name,
            _tmp: tmp,
            dir,
            args,
            before,
            after: Snapshot::new(),
            files: 0,
        };
        let (code, _, err) = run(&mut case.command_with_output());
        assert_eq!(code, 0, "{name}: {err}");
        case.after = contents(&case.dir);
        assert!(case.after != case.before, "{name} changes nothing");
        case.files = changed(&case.before, &case.after).len();
        case
    }

    fn command(&self) -> Command {
        let mut cmd = self.command_with_output();
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        cmd
    }

    fn command_with_output(&self) -> Command {
        let mut cmd = roadmap(&self.dir);
        cmd.args(&self.args)
            .args(AS_OF)
            .env_remove("ROADMAP_FAILPOINT");
        cmd
    }

    /// Put the folder back in the state before the command.
    fn reset(&self) {
        set_state(&self.dir, &self.before);
    }

    /// One whole run from the old state, which must give the new one;
    /// returns how long it took.
    fn whole_run(&self) -> Duration {
        self.reset();
        let t = Instant::now();
        let status = self.command().status().unwrap();
        let took = t.elapsed();
        assert!(status.success(), "{}: {status}", self.name);
        assert!(
            contents(&self.dir) == self.after,
            "{}: a whole run does not give the same state",
            self.name
        );
        took
    }

    /// Run the command that follows a crash (`kind` picks a reading or a
    /// writing one), then check the folder: it validates, holds no stray
    /// file and is the old state or the new one.
    fn next_and_check(&self, kind: usize, what: &str) -> State {
        let mut next = roadmap(&self.dir);
        match kind % 3 {
            0 => next.arg("validate"),
            1 => next.arg("status"),
            _ => next.args(["reopen", UNTOUCHED]),
        };
        let (code, _, err) = run(next.args(AS_OF));
        assert_eq!(code, 0, "{what}: the next command fails: {err}");
        self.check(!kind.is_multiple_of(3), what)
    }

    /// The folder validates (checked again unless the last command was
    /// `validate`), holds no stray file, and is the old or the new state.
    fn check(&self, validate: bool, what: &str) -> State {
        if validate {
            let (code, _, err) = run(roadmap(&self.dir).arg("validate").args(AS_OF));
            assert_eq!(code, 0, "{what}: the folder does not validate: {err}");
        }
        let now = contents(&self.dir);
        let strays = strays(&now);
        assert!(strays.is_empty(), "{what}: left {strays:?}");
        if now == self.before {
            State::Old
        } else if now == self.after {
            State::New
        } else {
            panic!(
                "{what}: the folder is neither the old state nor the new one: \
                 {:?} differ from the old, {:?} from the new",
                changed(&self.before, &now),
                changed(&self.after, &now)
            );
        }
    }
}

/// The files whose bytes differ between `a` and `b` (or that only one has).
fn changed(a: &Snapshot, b: &Snapshot) -> Vec<PathBuf> {
    let names: BTreeSet<&PathBuf> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .filter(|n| a.get(*n) != b.get(*n))
        .cloned()
        .collect()
}

/// Temp files and journals an interrupted write leaves.
fn strays(files: &Snapshot) -> Vec<PathBuf> {
    files
        .keys()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".roadmap-"))
        })
        .cloned()
        .collect()
}

/// Make the files under `dir` exactly `state`.
fn set_state(dir: &Path, state: &Snapshot) {
    for (name, bytes) in contents(dir) {
        match state.get(&name) {
            Some(want) if *want == bytes => {}
            Some(want) => fs::write(dir.join(&name), want).unwrap(),
            None => fs::remove_file(dir.join(&name)).unwrap(),
        }
    }
    for (name, want) in state {
        let path = dir.join(name);
        if !path.exists() {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, want).unwrap();
        }
    }
    assert!(contents(dir) == *state);
}

fn signal(status: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

const SIGABRT: i32 = 6;
const SIGKILL: i32 = 9;

/// Kill the command of the case `make` builds with SIGKILL until `kills`
/// kills have found it running, in two copies of the case at once (the
/// runs spend much of their time waiting, and the machine has two cores).
fn kill_at_random(make: fn() -> Case, kills: u32, seed: u64) {
    std::thread::scope(|s| {
        for worker in 0..2u32 {
            let share = kills / 2 + worker * (kills % 2);
            s.spawn(move || kill_loop(&make(), share, seed ^ u64::from(worker)));
        }
    });
}

/// Kill the case's command after delays spread over a whole run (timed
/// again every few runs, since the machine's load changes) until `kills`
/// kills have found it running. Every fifth time the next command is
/// killed too, at a moment spread over its own run, before the one that
/// must finish the job.
fn kill_loop(case: &Case, kills: u32, seed: u64) {
    let started = Instant::now();
    let mut times = vec![case.whole_run(); 3];
    let validate_time = {
        let t = Instant::now();
        let (code, _, err) = run(roadmap(&case.dir).arg("validate").args(AS_OF));
        assert_eq!(code, 0, "{err}");
        t.elapsed()
    };
    let mut schedule = Schedule(seed);
    let (mut tries, mut landed, mut olds, mut news, mut interrupted) = (0, 0, 0, 0, 0);
    while landed < kills {
        assert!(
            tries < 3 * kills,
            "{}: only {landed} of {tries} kills found the command running",
            case.name
        );
        if tries % 8 == 7 {
            times.push(case.whole_run());
        }
        let whole = {
            let mut last: Vec<Duration> = times[times.len() - 3..].to_vec();
            last.sort();
            last[1]
        };
        let i = tries;
        tries += 1;
        case.reset();
        let delay = whole.mul_f64(schedule.next());
        let mut child = case.command().spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        if signal(status) == Some(SIGKILL) {
            landed += 1;
        } else {
            assert!(status.success(), "{}: {status}", case.name);
        }
        if !strays(&contents(&case.dir)).is_empty() {
            interrupted += 1;
        }
        let what = format!("{} kill {i} after {delay:?}", case.name);
        if i % 5 == 4 {
            // The command that recovers is killed too.
            let mut next = roadmap(&case.dir);
            next.arg("validate")
                .args(AS_OF)
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let mut child = next.spawn().unwrap();
            std::thread::sleep(validate_time.mul_f64(schedule.next()));
            let _ = child.kill();
            child.wait().unwrap();
        }
        match case.next_and_check(i as usize, &what) {
            State::Old => olds += 1,
            State::New => news += 1,
        }
    }
    times.sort();
    eprintln!(
        "{} (in {:?}): {landed} kills while it ran ({tries} tries; a whole run took {:?} to {:?}); \
         {olds} left the old state, {news} the new one; {interrupted} left work for the \
         next command",
        case.name,
        started.elapsed(),
        times[0],
        times[times.len() - 1],
    );
}

/// Stop the case's command at every failpoint of the write layer and
/// check what the next command makes of it (each of `nexts`: 0 a reading
/// command, 2 a writing one): before the journal nothing has happened;
/// once it (or, for one file, the rename) is done, the change is made
/// whole.
fn every_failpoint(case: &Case, nexts: &[usize]) {
    let mut points = vec!["temps-written", "journal-written"];
    let renames: Vec<String> = (1..=case.files).map(|k| format!("renamed-{k}")).collect();
    points.extend(renames.iter().map(String::as_str));
    for point in points {
        for &next in nexts {
            case.reset();
            let status = case
                .command()
                .env("ROADMAP_FAILPOINT", point)
                .status()
                .unwrap();
            let what = format!("{} stopped at {point}", case.name);
            assert_eq!(signal(status), Some(SIGABRT), "{what}: {status}");
            let left = strays(&contents(&case.dir));
            let journal = left.iter().any(|p| p.ends_with(".roadmap-journal"));
            let committed = match point {
                "temps-written" => false,
                "journal-written" => case.files > 1,
                _ => true,
            };
            assert_eq!(journal, committed && case.files > 1, "{what}: {left:?}");
            if point == "temps-written" {
                assert_eq!(left.len(), case.files, "{what}: {left:?}");
            }
            let want = if committed { State::New } else { State::Old };
            assert_eq!(case.next_and_check(next, &what), want, "{what}");
        }
    }
}

fn done_one_file() -> Case {
    Case::new("done on one file", Place::Memory, |_, _| {
        strings(&["done", "f1-legal", "--on", "2026-02-10"])
    })
}

fn done_two_files() -> Case {
    // f1-legal is in roadmap.yaml, saas-backend in products.yaml.
    Case::new("done on two files", Place::Disk, |_, _| {
        strings(&["done", "f1-legal", "saas-backend", "--on", "2026-02-10"])
    })
}

fn reopen_two_files() -> Case {
    Case::new("reopen on two files", Place::Memory, |_, dir| {
        let (code, _, err) = run(roadmap(dir)
            .args(["done", "f1-legal", "saas-backend", "--on", "2026-02-10"])
            .args(AS_OF));
        assert_eq!(code, 0, "{err}");
        strings(&["reopen", "f1-legal", "saas-backend"])
    })
}

/// The first `record`: creates metrics.csv and .gitattributes.
fn record_first() -> Case {
    Case::new("the first record", Place::Memory, |_, dir| {
        assert!(!dir.join("metrics.csv").exists());
        strings(&["record", "leads=120", "cac=$140", "--on", "2026-04-01"])
    })
}

/// A later `record`: metrics.csv and the union rule exist; one file.
fn record_later() -> Case {
    Case::new("a later record", Place::Memory, |_, dir| {
        let (code, _, err) = run(roadmap(dir)
            .args(["record", "leads=120", "cac=$140", "--on", "2026-04-01"])
            .args(AS_OF));
        assert_eq!(code, 0, "{err}");
        strings(&["record", "leads=130", "revenue=$5K", "--on", "2026-04-02"])
    })
}

/// A correction to a hand-made history without the union rule: the
/// header gains `replaces` and .gitattributes is created, together.
fn record_replace() -> Case {
    Case::new("record --replace", Place::Memory, |_, dir| {
        fs::write(
            dir.join("metrics.csv"),
            "date,metric,value,source,note\n2026-04-01,leads,120,,\n",
        )
        .unwrap();
        strings(&["record", "leads=125", "--on", "2026-04-01", "--replace"])
    })
}

/// 100,000 values ingested into a hand-made history (so .gitattributes is
/// written too). So many that a run lasts long enough (a second or more
/// in a debug build) for kills spread over it to find it running: since
/// ingest stopped drawing a table of every value, the 50,000 this had
/// took a fifth of the time.
fn ingest_large() -> Case {
    Case::new("ingest of 100,000 rows", Place::Memory, |tmp, dir| {
        fs::write(
            dir.join("metrics.csv"),
            "date,metric,value,source,note\n2026-04-01,leads,120,,\n",
        )
        .unwrap();
        let metrics = [
            "revenue",
            "leads",
            "customers",
            "beta_users",
            "active_users",
            "team_size",
            "models_deployed",
            "cac",
        ];
        // 12,500 days, up to 2024: none after the as-of date.
        let start = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
        let mut csv = String::from("date,metric,value,source,note\n");
        for day in 0..12_500u64 {
            let date = start + chrono::Days::new(day);
            for (m, metric) in metrics.iter().enumerate() {
                let value = (day * 7 + m as u64) % 1000 + 1;
                csv.push_str(&format!("{date},{metric},{value},export,\n"));
            }
        }
        let file = tmp.join("big.csv");
        fs::write(&file, csv).unwrap();
        vec!["ingest".into(), file.display().to_string()]
    })
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

#[test]
fn done_on_one_file_survives_kills() {
    let case = done_one_file();
    assert_eq!(case.files, 1);
    every_failpoint(&case, &[0, 2]);
    kill_at_random(done_one_file, 40, 0x5EED_0001);
}

#[test]
fn done_on_two_files_is_all_or_nothing_under_kills() {
    let case = done_two_files();
    assert_eq!(
        changed(&case.before, &case.after),
        [
            PathBuf::from("products.yaml"),
            PathBuf::from("roadmap.yaml")
        ]
    );
    every_failpoint(&case, &[0, 2]);
    kill_at_random(done_two_files, 30, 0x5EED_0002);
}

#[test]
fn reopen_on_two_files_is_all_or_nothing_under_kills() {
    let case = reopen_two_files();
    assert_eq!(case.files, 2);
    every_failpoint(&case, &[0, 2]);
    kill_at_random(reopen_two_files, 50, 0x5EED_0003);
}

#[test]
fn the_first_record_creates_both_files_or_neither_under_kills() {
    let case = record_first();
    assert_eq!(
        changed(&case.before, &case.after),
        [
            PathBuf::from(".gitattributes"),
            PathBuf::from("metrics.csv")
        ]
    );
    every_failpoint(&case, &[0, 2]);
    kill_at_random(record_first, 30, 0x5EED_0004);
}

#[test]
fn a_later_record_survives_kills() {
    let case = record_later();
    assert_eq!(
        changed(&case.before, &case.after),
        [PathBuf::from("metrics.csv")]
    );
    every_failpoint(&case, &[0, 2]);
    kill_at_random(record_later, 30, 0x5EED_0005);
}

#[test]
fn a_correction_survives_kills() {
    let case = record_replace();
    assert_eq!(case.files, 2);
    every_failpoint(&case, &[0, 2]);
    kill_at_random(record_replace, 25, 0x5EED_0006);
}

#[test]
fn a_large_ingest_stopped_at_each_failpoint_is_all_or_nothing() {
    let case = ingest_large();
    assert_eq!(case.files, 2);
    every_failpoint(&case, &[0]);
}

#[test]
fn a_large_ingest_survives_kills() {
    kill_at_random(ingest_large, 8, 0x5EED_0007);
}

/// A journal names its files so that the next command finds them from
/// any working folder: a command run with a relative `--dir` and stopped
/// after its first rename is finished by one run from inside the folder.
#[test]
fn a_journal_is_finished_from_another_working_folder() {
    let case = done_two_files();
    case.reset();
    let parent = case.dir.parent().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .current_dir(parent)
        .args(["--dir", "roadmap"])
        .args(&case.args)
        .args(AS_OF)
        .env("ROADMAP_FAILPOINT", "renamed-1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(signal(status), Some(SIGABRT));
    // The next command, from inside the roadmap folder (found there).
    let (code, _, err) = run(Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .current_dir(&case.dir)
        .env_remove("ROADMAP_DIR")
        .arg("validate")
        .args(AS_OF));
    assert_eq!(code, 0, "{err}");
    let now = contents(&case.dir);
    assert!(
        now == case.after,
        "the interrupted write is not finished: {:?} differ from the new state, {:?} from \
         the old one; validate said: {err}",
        changed(&case.after, &now),
        changed(&case.before, &now)
    );
    assert_eq!(
        case.check(true, "after a run from inside the folder"),
        State::New
    );
    assert!(err.is_empty(), "{err}");
}

/// Worse, the same relative journal finished from the folder of another
/// project that has a `roadmap/` of its own: the journal's renames must
/// land in the interrupted roadmap, never in the other one.
#[test]
fn a_journal_never_writes_into_another_project() {
    let case = done_two_files();
    case.reset();
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("roadmap");
    crate::copy_dir(&crate::example(), &other);
    let theirs = contents(&other);
    let status = Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .current_dir(case.dir.parent().unwrap())
        .args(["--dir", "roadmap"])
        .args(&case.args)
        .args(AS_OF)
        .env("ROADMAP_FAILPOINT", "renamed-1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(signal(status), Some(SIGABRT));
    // From the other project's folder, a command on the first roadmap.
    let _ = run(Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .current_dir(tmp.path())
        .arg("--dir")
        .arg(&case.dir)
        .arg("validate")
        .args(AS_OF));
    let now = contents(&other);
    assert!(
        now == theirs,
        "finishing the interrupted write changed another project's {:?}",
        changed(&theirs, &now)
    );
    assert_eq!(case.check(true, "the interrupted roadmap"), State::New);
}

/// A track file in a subfolder (`include: tracks/products.yaml`) gets
/// its temp file in that subfolder; a write killed before its rename
/// leaves it there, and the next command must remove it as it does in the
/// roadmap folder itself, or `git add -A` picks it up.
#[test]
fn a_stray_temp_file_in_a_subfolder_is_removed() {
    let (_tmp, dir) = seed_copy(Place::Disk);
    fs::create_dir(dir.join("tracks")).unwrap();
    fs::rename(dir.join("products.yaml"), dir.join("tracks/products.yaml")).unwrap();
    let plan = fs::read_to_string(dir.join("roadmap.yaml")).unwrap();
    assert_eq!(plan.matches("\n  - products.yaml\n").count(), 1);
    fs::write(
        dir.join("roadmap.yaml"),
        plan.replace("\n  - products.yaml\n", "\n  - tracks/products.yaml\n"),
    )
    .unwrap();
    let before = contents(&dir);
    for next in ["validate", "status"] {
        let status = roadmap(&dir)
            .args(["done", "saas-backend", "--on", "2026-02-10"])
            .args(AS_OF)
            .env("ROADMAP_FAILPOINT", "temps-written")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert_eq!(signal(status), Some(SIGABRT));
        assert_eq!(strays(&contents(&dir)).len(), 1);
        let (code, _, err) = run(roadmap(&dir).arg(next).args(AS_OF));
        assert_eq!(code, 0, "{err}");
        let now = contents(&dir);
        assert_eq!(
            strays(&now),
            Vec::<PathBuf>::new(),
            "`{next}` after a killed write"
        );
        assert!(now == before);
    }
}

/// The same for a roadmap file that is a symlink to a file in another
/// folder: the temp file goes beside the link's target, and the next
/// write of that file must not leave it there for good.
#[test]
fn a_stray_temp_file_beside_a_symlink_target_is_removed_by_the_next_write() {
    let (tmp, dir) = seed_copy(Place::Disk);
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::rename(dir.join("products.yaml"), elsewhere.join("products.yaml")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("products.yaml"), dir.join("products.yaml")).unwrap();
    let status = roadmap(&dir)
        .args(["done", "saas-backend", "--on", "2026-02-10"])
        .args(AS_OF)
        .env("ROADMAP_FAILPOINT", "temps-written")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(signal(status), Some(SIGABRT));
    assert_eq!(strays(&contents(&elsewhere)).len(), 1);
    let (code, _, err) = run(roadmap(&dir)
        .args(["done", "saas-backend", "--on", "2026-02-10"])
        .args(AS_OF));
    assert_eq!(code, 0, "{err}");
    assert!(
        fs::symlink_metadata(dir.join("products.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        strays(&contents(&elsewhere)),
        Vec::<PathBuf>::new(),
        "the killed write's temp file is still beside the link's target"
    );
}

/// Fifty writers at once on one folder, mixing `done`, `reopen`, `record`
/// (a metric and date each) and `ingest` (a small file each), with
/// readers among them; three rounds. Every writer's effect is there.
#[test]
fn fifty_writers_at_once_lose_nothing() {
    for round in 0..3 {
        let t = Instant::now();
        fifty_writers(round);
        eprintln!(
            "round {round}: 50 writers and 10 readers in {:?}",
            t.elapsed()
        );
    }
}

fn fifty_writers(round: u32) {
    let (tmp, dir) = seed_copy(Place::Memory);
    let all = json(
        roadmap(&dir)
            .args(["items", "--format", "json"])
            .args(AS_OF),
    );
    let ids: Vec<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    // 25 items spread over the track files: 15 to mark done, 10 done
    // before and reopened.
    let picked: Vec<&String> = ids.iter().step_by(7).take(25).collect();
    let (to_do, to_reopen) = picked.split_at(15);
    let (code, _, err) = run(roadmap(&dir)
        .args(["done", "--on", "2026-02-01"])
        .args(to_reopen.iter().map(|s| s.as_str()))
        .args(AS_OF));
    assert_eq!(code, 0, "{err}");

    let mut expected_rows = Vec::new();
    let mut writers = Vec::new();
    let spawn = |mut cmd: Command| {
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    for n in 0..15usize {
        // A done, a record, and (for the first ten) a reopen and an ingest
        // in turn, so writes of every kind overlap.
        let mut cmd = roadmap(&dir);
        cmd.args(["done", to_do[n], "--on", "2026-03-01", "--wait", "120"])
            .args(AS_OF);
        writers.push((format!("done {}", to_do[n]), spawn(cmd)));

        let metric = ["leads", "cac", "revenue"][n % 3];
        let day = n + 1;
        let value = 100 + n + round as usize;
        let mut cmd = roadmap(&dir);
        cmd.arg("record")
            .arg(format!("{metric}={value}"))
            .args(["--on", &format!("2026-03-{day:02}"), "--wait", "120"])
            .args(AS_OF);
        writers.push((format!("record {metric} on day {day}"), spawn(cmd)));
        expected_rows.push(format!("2026-03-{day:02},{metric},{value},,"));

        if n < 10 {
            let mut cmd = roadmap(&dir);
            cmd.args(["reopen", to_reopen[n], "--wait", "120"])
                .args(AS_OF);
            writers.push((format!("reopen {}", to_reopen[n]), spawn(cmd)));

            let file = tmp.path().join(format!("snapshot-{n}.csv"));
            let mut csv = String::from("date,metric,value\n");
            for (k, metric) in ["customers", "beta_users", "active_users"]
                .iter()
                .enumerate()
            {
                let value = 1000 * (k + 1) + n;
                csv.push_str(&format!("2026-02-{:02},{metric},{value}\n", n + 1));
                expected_rows.push(format!("2026-02-{:02},{metric},{value},,", n + 1));
            }
            fs::write(&file, csv).unwrap();
            let mut cmd = roadmap(&dir);
            cmd.arg("ingest")
                .arg(&file)
                .args(["--wait", "120"])
                .args(AS_OF);
            writers.push((format!("ingest {}", file.display()), spawn(cmd)));

            let mut cmd = roadmap(&dir);
            cmd.arg(["validate", "status"][n % 2])
                .args(["--wait", "120"])
                .args(AS_OF);
            writers.push((format!("reader {n}"), spawn(cmd)));
        }
    }
    assert_eq!(writers.len(), 60);
    let mut failed = Vec::new();
    for (what, child) in writers {
        let out = child.wait_with_output().unwrap();
        if !out.status.success() {
            failed.push(format!(
                "{what}: {}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failed.is_empty(), "round {round}: {failed:#?}");

    let done = json(
        roadmap(&dir)
            .args(["items", "--done", "--format", "json"])
            .args(AS_OF),
    );
    let mut done: Vec<&str> = done["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    done.sort_unstable();
    let mut want: Vec<&str> = to_do.iter().map(|s| s.as_str()).collect();
    want.sort_unstable();
    assert_eq!(done, want, "round {round}: items done");

    let csv = fs::read_to_string(dir.join("metrics.csv")).unwrap();
    let mut lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.remove(0), "date,metric,value,source,note");
    lines.sort_unstable();
    expected_rows.sort_unstable();
    assert_eq!(lines, expected_rows, "round {round}: recorded values");
    assert_eq!(
        fs::read_to_string(dir.join(".gitattributes")).unwrap(),
        "metrics.csv merge=union\n"
    );
    let (code, _, err) = run(roadmap(&dir).arg("validate").args(AS_OF));
    assert_eq!(code, 0, "{err}");
    assert_eq!(strays(&contents(&dir)), Vec::<PathBuf>::new());
}

/// Kills among concurrent writers: sixteen `done` commands, each on one
/// item of roadmap.yaml and one of products.yaml, queue on the lock, and
/// every third is killed at a moment spread over the time they all take
/// (timed in a first round without kills). The ones that finish have both items done; a killed one has both or
/// neither; nothing else is done, and the folder validates with no stray
/// file. Three rounds.
#[test]
fn kills_among_concurrent_writers_leave_each_change_whole() {
    let mut schedule = Schedule(0x5EED_0008);
    let mut landed = 0;
    let mut window = Duration::ZERO;
    for round in 0..4 {
        let (_tmp, dir) = seed_copy(Place::Disk);
        let ids = |track: &str| -> Vec<String> {
            let items = json(
                roadmap(&dir)
                    .args(["items", "--track", track, "--format", "json"])
                    .args(AS_OF),
            );
            items["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string())
                .collect()
        };
        let general = ids("general");
        let saas = ids("saas");
        let pairs: Vec<(&String, &String)> = general.iter().zip(&saas).take(16).collect();
        assert_eq!(pairs.len(), 16);
        let mut writers: Vec<(std::process::Child, Option<Duration>)> = pairs
            .iter()
            .enumerate()
            .map(|(k, (a, b))| {
                let child = roadmap(&dir)
                    .args(["done", a, b, "--on", "2026-02-10", "--wait", "120"])
                    .args(AS_OF)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                let kill = (round > 0 && k % 3 == 0).then(|| window.mul_f64(schedule.next()));
                (child, kill)
            })
            .collect();
        let started = Instant::now();
        let mut kills: Vec<(Duration, usize)> = writers
            .iter()
            .enumerate()
            .filter_map(|(k, (_, at))| at.map(|at| (at, k)))
            .collect();
        kills.sort();
        for (at, k) in kills {
            std::thread::sleep(at.saturating_sub(started.elapsed()));
            let _ = writers[k].0.kill();
        }
        let mut done_ids: BTreeSet<String> = BTreeSet::new();
        let mut either: Vec<(&String, &String)> = Vec::new();
        for (k, (child, kill)) in writers.into_iter().enumerate() {
            let out = child.wait_with_output().unwrap();
            let (a, b) = pairs[k];
            if out.status.success() {
                done_ids.extend([a.clone(), b.clone()]);
            } else {
                assert!(
                    kill.is_some(),
                    "round {round}: writer {k}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_eq!(
                    signal(out.status),
                    Some(SIGKILL),
                    "round {round}: writer {k}"
                );
                landed += 1;
                either.push((a, b));
            }
        }
        if round == 0 {
            window = started.elapsed();
        }
        let (code, _, err) = run(roadmap(&dir).arg("validate").args(AS_OF));
        assert_eq!(code, 0, "round {round}: {err}");
        assert_eq!(
            strays(&contents(&dir)),
            Vec::<PathBuf>::new(),
            "round {round}"
        );
        let items = json(
            roadmap(&dir)
                .args(["items", "--done", "--format", "json"])
                .args(AS_OF),
        );
        let now: BTreeSet<String> = items["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        for (a, b) in either {
            assert_eq!(
                now.contains(a),
                now.contains(b),
                "round {round}: a killed writer left {a} and {b} half done"
            );
            if now.contains(a) {
                done_ids.extend([a.clone(), b.clone()]);
            }
        }
        assert_eq!(now, done_ids, "round {round}");
    }
    eprintln!("{landed} of 18 kills over {window:?} found a writer running or waiting");
}
