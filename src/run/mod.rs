//! `pruv run`: a command run as a recorded execution event.
//!
//! The command's stdin, stdout, stderr and exit status pass through
//! unchanged; signals sent to pruv are forwarded to it. What is recorded
//! (`pruv.run/1`, docs/run.md) is the IntentProof execution event shape:
//! what was meant (`intent`, `action`), what was run (argv, working
//! directory, the *names* of the environment variables), what came out
//! (exit code, byte counts, SHA-256 and the last lines of stdout and
//! stderr, with secrets redacted), when and for how long; with `--watch`,
//! the directory's tree hash before and after and the files that changed.

pub mod approval;
pub mod capture;
pub mod redact;
pub mod tree;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};

use crate::core::json::{Map, Value};
use crate::core::time;
use crate::error::{Error, Result};
use crate::typed_state::{object, optional};
use capture::Captured;
use redact::Redactor;
use tree::{Changes, Snapshot};

pub const RUN_TYPE: &str = "pruv.run/1";
/// Set for the command, and honoured when pruv itself runs with it set, so
/// nested runs share one correlation id.
pub const CORRELATION_ENV: &str = "PRUV_CORRELATION_ID";
/// The chain runs are recorded in unless `--chain` says otherwise.
pub const DEFAULT_CHAIN: &str = "runs";

pub struct Request<'a> {
    /// The program and its arguments.
    pub argv: Vec<OsString>,
    pub cwd: PathBuf,
    /// The environment the command runs with (pruv's own, as a rule).
    pub env: Vec<(OsString, OsString)>,
    pub intent: Option<String>,
    pub action: Option<String>,
    pub attributes: Vec<(String, String)>,
    /// Variables whose values are redacted wherever they appear, besides
    /// those whose names say they are secret.
    pub redact: Vec<String>,
    pub watch: Option<PathBuf>,
    /// The checkpoint of the watched tree taken before the run (`--checkpoint`).
    pub checkpoint: Option<String>,
    /// How the run was approved, when it needed to be.
    pub approval: Option<Value>,
    /// The verdict on the agent (`--agent`) as of the start.
    pub agent: Option<Value>,
    /// Known content hashes of the watched tree (the store's).
    pub hashes: Option<&'a tree::HashCache>,
    pub threads: usize,
}

/// How the command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Exited(i32),
    Signalled(i32),
    /// It could not be started (no such program, not executable).
    NotStarted,
}

impl Ended {
    /// The exit code pruv passes on: the command's own, 128 + the signal
    /// that killed it (as a shell reports it), 127 when it never started.
    pub fn exit_code(self) -> u8 {
        match self {
            Ended::Exited(code) => code.clamp(0, 255) as u8,
            Ended::Signalled(signal) => (128 + signal).clamp(0, 255) as u8,
            Ended::NotStarted => 127,
        }
    }
}

pub struct Outcome {
    /// The `pruv.run/1` state to record.
    pub state: Value,
    /// The tree hash before (`x_state`), with `--watch`.
    pub before: Option<Value>,
    pub ended: Ended,
    pub changes: Option<Changes>,
}

/// Runs the command to its end, passing its output through to `stdout`
/// and `stderr`.
pub fn execute(
    request: &Request<'_>,
    stdout: impl std::io::Write + Send,
    stderr: impl std::io::Write + Send,
) -> Result<Outcome> {
    let Some((program, arguments)) = request.argv.split_first() else {
        return Err(Error::InvalidInput("give the command to run after `--`: pruv run -- make deploy".into()));
    };
    let text_env: Vec<(String, String)> =
        request.env.iter().map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned())).collect();
    let correlation = text_env
        .iter()
        .find(|(k, v)| k == CORRELATION_ENV && !v.trim().is_empty())
        .map(|(_, v)| v.clone())
        .map_or_else(new_id, Ok)?;
    let redactor = Redactor::new(text_env.iter().map(|(k, v)| (k.as_str(), v.as_str())), &request.redact);
    let watched = request.watch.as_ref().map(|dir| request.cwd.join(dir));
    let no_cache = tree::HashCache::default();
    let hashes = request.hashes.unwrap_or(&no_cache);
    let before = watched.as_ref().map(|dir| Snapshot::take_cached(dir, request.threads, hashes)).transpose()?;

    let started = time::now().as_f64();
    let clock = std::time::Instant::now();
    let mut command = Command::new(program);
    command
        .args(arguments)
        .current_dir(&request.cwd)
        .env_clear()
        .envs(request.env.iter().filter(|(k, _)| k != CORRELATION_ENV).cloned())
        .env(CORRELATION_ENV, &correlation)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (ended, out, err, start_error) = match command.spawn() {
        Ok(mut child) => {
            let forwarding = signals::forward_to(child.id())?;
            let child_out = child.stdout.take().expect("piped");
            let child_err = child.stderr.take().expect("piped");
            let (out, err) = std::thread::scope(|scope| {
                let out = scope.spawn(|| capture::tee(child_out, stdout));
                let err = scope.spawn(|| capture::tee(child_err, stderr));
                (out.join(), err.join())
            });
            let status = child.wait().map_err(|e| Error::io(program.to_string_lossy().as_ref(), e))?;
            forwarding.stop();
            let lost = |_| Error::Io {
                path: PathBuf::from(program),
                source: std::io::Error::other("the thread copying the command's output stopped"),
            };
            let out = out.map_err(lost)?.map_err(|e| Error::io("the command's stdout", e))?;
            let err = err.map_err(lost)?.map_err(|e| Error::io("the command's stderr", e))?;
            (ended(status), Some(out), Some(err), None)
        }
        Err(e) => (Ended::NotStarted, None, None, Some(format!("could not start {}: {e}", program.to_string_lossy()))),
    };
    let duration_ms = clock.elapsed().as_millis() as u64;
    let completed = time::now().as_f64();
    let after = watched.as_ref().map(|dir| Snapshot::take_cached(dir, request.threads, hashes)).transpose()?;

    let argv: Vec<Value> = request.argv.iter().map(|a| redactor.redact(&a.to_string_lossy()).into()).collect();
    let mut names: Vec<String> = text_env.iter().map(|(k, _)| k.clone()).filter(|k| k != CORRELATION_ENV).collect();
    names.push(CORRELATION_ENV.to_owned());
    names.sort();
    names.dedup();
    let stream = |captured: &Option<Captured>| {
        captured.as_ref().map_or(Value::Null, |c| {
            object([
                ("bytes", c.bytes.into()),
                ("sha256", c.sha256.as_str().into()),
                ("tail", redactor.redact(&c.tail).into()),
            ])
        })
    };
    let (exit_code, signal) = match ended {
        Ended::Exited(code) => (Value::from(code.max(0) as u64), Value::Null),
        Ended::Signalled(signal) => (Value::Null, Value::from(signal.max(0) as u64)),
        Ended::NotStarted => (Value::Null, Value::Null),
    };
    let attributes: Map = request.attributes.iter().map(|(k, v)| (k.clone(), redactor.redact(v).into())).collect();
    let changes = before.as_ref().zip(after.as_ref()).map(|(b, a)| b.changes_to(a));
    let tree = match (&watched, &before, &after, &changes) {
        (Some(dir), Some(b), Some(a), Some(c)) => object([
            ("dir", dir.display().to_string().into()),
            ("before", b.tree_hash().into()),
            ("after", a.tree_hash().into()),
            ("added", crate::typed_state::strings(&c.added)),
            ("removed", crate::typed_state::strings(&c.removed)),
            ("modified", crate::typed_state::strings(&c.modified)),
        ]),
        _ => Value::Null,
    };
    let state = object([
        ("type", RUN_TYPE.into()),
        ("id", new_id()?.into()),
        ("correlationId", correlation.into()),
        ("intent", optional(request.intent.as_deref())),
        ("action", optional(request.action.as_deref())),
        (
            "inputs",
            object([
                ("argv", Value::Array(argv)),
                ("cwd", request.cwd.display().to_string().into()),
                ("env", crate::typed_state::strings(&names)),
            ]),
        ),
        (
            "output",
            object([
                ("exitCode", exit_code),
                ("signal", signal),
                ("error", optional(start_error.as_deref())),
                ("stdout", stream(&out)),
                ("stderr", stream(&err)),
            ]),
        ),
        ("status", if ended == Ended::Exited(0) { "ok" } else { "error" }.into()),
        ("startedAt", time::rfc3339(started).into()),
        ("completedAt", time::rfc3339(completed).into()),
        ("durationMs", duration_ms.into()),
        ("attributes", Value::Object(attributes)),
        ("tree", tree),
        ("checkpoint", optional(request.checkpoint.as_deref())),
        ("approval", request.approval.clone().unwrap_or(Value::Null)),
        ("agent", request.agent.clone().unwrap_or(Value::Null)),
    ]);
    let before_state = before.map(|b| object([("tree", b.tree_hash().into())]));
    Ok(Outcome { state, before: before_state, ended, changes })
}

#[cfg(unix)]
fn ended(status: ExitStatus) -> Ended {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => Ended::Exited(code),
        (None, Some(signal)) => Ended::Signalled(signal),
        (None, None) => Ended::Exited(1),
    }
}

#[cfg(not(unix))]
fn ended(status: ExitStatus) -> Ended {
    Ended::Exited(status.code().unwrap_or(1))
}

/// The first executable file called `name` in the directories of PATH.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| is_executable(candidate))
}

fn is_executable(path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.with_extension("exe").is_file() || path.is_file()
    }
}

/// A random id in the UUID v4 form.
pub fn new_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex::encode(bytes);
    Ok(format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]))
}

/// Forwarding the signals sent to pruv to the command it runs.
mod signals {
    use crate::error::{Error, Result};

    pub struct Forwarding {
        #[cfg(unix)]
        handle: signal_hook::iterator::Handle,
        #[cfg(unix)]
        thread: Option<std::thread::JoinHandle<()>>,
    }

    #[cfg(unix)]
    pub fn forward_to(child: u32) -> Result<Forwarding> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2};
        use signal_hook::iterator::SignalsInfo;
        use signal_hook::iterator::exfiltrator::WithOrigin;
        use signal_hook::low_level::siginfo::Cause;
        let mut signals = SignalsInfo::<WithOrigin>::new([SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2])
            .map_err(|e| Error::io("signal handlers", e))?;
        let handle = signals.handle();
        let thread = std::thread::spawn(move || {
            for origin in signals.forever() {
                // A terminal's Ctrl-C or Ctrl-\ reaches the whole foreground
                // process group, the command included: sending it again would
                // deliver it twice. Signals a process sent to pruv alone are passed on.
                if matches!(origin.cause, Cause::Kernel) {
                    continue;
                }
                // SAFETY: kill(2) with a pid of our own child and a valid signal number.
                unsafe {
                    libc::kill(child as libc::pid_t, origin.signal);
                }
            }
        });
        Ok(Forwarding { handle, thread: Some(thread) })
    }

    #[cfg(not(unix))]
    pub fn forward_to(_child: u32) -> Result<Forwarding> {
        Ok(Forwarding {})
    }

    impl Forwarding {
        /// Restores the default dispositions' effect and ends the forwarding thread.
        pub fn stop(mut self) {
            #[cfg(unix)]
            {
                self.handle.close();
                if let Some(thread) = self.thread.take() {
                    let _ = thread.join();
                }
            }
        }
    }
}
