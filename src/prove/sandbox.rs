//! Where a proving session runs its commands: a copy of the tree in a
//! temporary directory (the files `pruv scan` sees, so the copy's tree hash
//! is the recorded one), run directly (`local`) or in a container
//! (`container`, docker or podman); with the network cut off when the
//! policy says so and the platform allows it, and reported when it cannot.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest as _, Sha256};

use super::policy::{Backend, Network, Policy};
use crate::error::{Error, Result};
use crate::run::tree::Snapshot;

/// How much of each output stream is kept: its start and its end, each this long.
pub const KEEP_BYTES: usize = 256 * 1024;

pub struct Sandbox {
    dir: tempfile::TempDir,
    backend: Backend,
    engine: Option<String>,
    image: Option<String>,
    pub network: NetworkStatus,
    /// Set by a signal to stop: the running command is stopped with its group.
    pub interrupt: super::interrupt::Interrupt,
}

/// What the network was, for the bundle: asked for, and what happened.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkStatus {
    pub requested: Network,
    pub enforced: bool,
    /// How it was cut off, or why it could not be.
    pub how: String,
}

/// One command's run.
#[derive(Debug, Clone, Serialize)]
pub struct RunOutput {
    pub command: String,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    /// Stopped because pruv was asked to stop (Ctrl-C, SIGTERM).
    pub interrupted: bool,
    pub duration_ms: u64,
    pub stdout: Stream,
    pub stderr: Stream,
}

impl RunOutput {
    pub fn passed(&self) -> bool {
        self.exit_code == Some(0) && !self.timed_out && !self.interrupted
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Stream {
    pub bytes: u64,
    pub sha256: String,
    /// The start and the end, [`KEEP_BYTES`] each; the middle of a longer
    /// stream is left out with a line saying how much.
    #[serde(skip)]
    pub kept: String,
    pub truncated: bool,
}

impl Sandbox {
    /// A copy of `tree` and the snapshot it was copied from.
    pub fn prepare(tree: &Path, policy: &Policy, threads: usize) -> Result<(Sandbox, Snapshot)> {
        let (engine, image) = match policy.sandbox {
            Backend::Local => (None, None),
            Backend::Container => (Some(container_engine()?), policy.image.clone()),
        };
        let dir = tempfile::Builder::new()
            .prefix("pruv-prove-")
            .tempdir()
            .map_err(|e| Error::io("a temporary directory", e))?;
        let snapshot = copy_tree(tree, dir.path(), threads)?;
        let network = match (policy.network, policy.sandbox) {
            (Network::Allow, _) => {
                NetworkStatus { requested: Network::Allow, enforced: false, how: "allowed by the policy".into() }
            }
            (Network::Deny, Backend::Container) => NetworkStatus {
                requested: Network::Deny,
                enforced: true,
                how: "container started with --network none".into(),
            },
            (Network::Deny, Backend::Local) => isolation::probe(),
        };
        let interrupt = Default::default();
        Ok((Sandbox { dir, backend: policy.sandbox, engine, image, network, interrupt }, snapshot))
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `command` through `sh -c` in the copy, stopping it (and what it
    /// started) at `timeout`.
    pub fn run(&self, command: &str, timeout: Duration, env: &[(OsString, OsString)]) -> Result<RunOutput> {
        let isolate = self.network.enforced && self.network.requested == Network::Deny;
        let (mut process, container) = match (&self.backend, &self.engine, &self.image) {
            (Backend::Container, Some(engine), Some(image)) => {
                let name = format!("pruv-prove-{}", crate::run::new_id()?);
                let mut process = Command::new(engine);
                process.args(["run", "--rm", "--name", &name, "-w", "/work"]);
                process.arg("-v").arg(format!("{}:/work", self.path().display()));
                if isolate {
                    process.args(["--network", "none"]);
                }
                #[cfg(unix)]
                if engine.ends_with("docker") {
                    // Files the command writes stay the user's, so the copy can be cleaned up.
                    // SAFETY: getuid(2) and getgid(2) cannot fail.
                    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
                    process.args(["--user", &format!("{uid}:{gid}")]);
                }
                process.args([image.as_str(), "sh", "-c", command]);
                (process, Some((engine.clone(), name)))
            }
            _ => {
                let mut process = Command::new("sh");
                process.args(["-c", command]).current_dir(self.path()).env_clear().envs(env.iter().cloned());
                if isolate {
                    isolation::apply(&mut process);
                }
                (process, None)
            }
        };
        process.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut process, 0);
        let started = Instant::now();
        let mut child = process.spawn().map_err(|e| Error::io(format!("sh -c {command}"), e))?;
        let out = keep(child.stdout.take().expect("piped"));
        let err = keep(child.stderr.take().expect("piped"));
        let (mut timed_out, mut interrupted) = (false, false);
        loop {
            if has_exited(&mut child).map_err(|e| Error::io("the command", e))? {
                break;
            }
            if started.elapsed() >= timeout || self.interrupt.is_set() {
                (timed_out, interrupted) = (!self.interrupt.is_set(), self.interrupt.is_set());
                if let Some((engine, name)) = &container {
                    let _ =
                        Command::new(engine).args(["kill", name]).stdout(Stdio::null()).stderr(Stdio::null()).status();
                }
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // The command is not reaped yet, so its process group id cannot have
        // been reused: whatever it left running in the group goes with it.
        #[cfg(unix)]
        // SAFETY: kill(2) of the process group this child leads (process_group(0) above).
        unsafe {
            libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
        }
        #[cfg(not(unix))]
        let _ = child.kill();
        let status = child.wait().map_err(|e| Error::io("the command", e))?;
        let duration_ms = started.elapsed().as_millis() as u64;
        let (exit_code, signal) = exit_of(status);
        Ok(RunOutput {
            command: command.to_owned(),
            exit_code,
            signal,
            timed_out,
            interrupted,
            duration_ms,
            stdout: out.finish(),
            stderr: err.finish(),
        })
    }
}

/// Whether the child has ended, without reaping it (so its pid, and its
/// process group's id, stay reserved until `wait`).
#[cfg(unix)]
fn has_exited(child: &mut std::process::Child) -> std::io::Result<bool> {
    // SAFETY: waitid(2) on our own child into a zeroed siginfo; WNOWAIT leaves it to Child::wait.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
    if unsafe { libc::waitid(libc::P_PID, child.id() as libc::id_t, &mut info, flags) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: si_pid is set by waitid (0 when no child has changed state).
    Ok(unsafe { info.si_pid() } != 0)
}

#[cfg(not(unix))]
fn has_exited(child: &mut std::process::Child) -> std::io::Result<bool> {
    child.try_wait().map(|status| status.is_some())
}

#[cfg(unix)]
fn exit_of(status: std::process::ExitStatus) -> (Option<i32>, Option<i32>) {
    use std::os::unix::process::ExitStatusExt as _;
    (status.code(), status.signal())
}

#[cfg(not(unix))]
fn exit_of(status: std::process::ExitStatus) -> (Option<i32>, Option<i32>) {
    (status.code(), None)
}

/// A stream being read on its own thread.
struct Keeping(std::sync::mpsc::Receiver<Stream>);

fn keep(from: impl Read + Send + 'static) -> Keeping {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(read_stream(from));
    });
    Keeping(receive)
}

impl Keeping {
    /// The stream once it ends; a process that left the group and kept the
    /// pipe open is not waited for long.
    fn finish(self) -> Stream {
        self.0.recv_timeout(Duration::from_secs(5)).unwrap_or_else(|_| Stream {
            bytes: 0,
            sha256: String::new(),
            kept: "[the stream was still open after the command ended; not read]".into(),
            truncated: true,
        })
    }
}

fn read_stream(mut from: impl Read) -> Stream {
    let mut hasher = Sha256::new();
    let mut head = Vec::new();
    let mut tail: VecDeque<u8> = VecDeque::new();
    let mut bytes = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut chunk = &buffer[..n];
        hasher.update(chunk);
        bytes += n as u64;
        let room = KEEP_BYTES - head.len();
        head.extend_from_slice(&chunk[..room.min(chunk.len())]);
        chunk = &chunk[room.min(chunk.len())..];
        tail.extend(chunk);
        while tail.len() > KEEP_BYTES {
            tail.drain(..tail.len() - KEEP_BYTES);
        }
    }
    let left_out = bytes - head.len() as u64 - tail.len() as u64;
    let mut kept = String::from_utf8_lossy(&head).into_owned();
    if left_out > 0 {
        kept += &format!("\n[… {left_out} bytes left out …]\n");
    }
    kept += &String::from_utf8_lossy(tail.make_contiguous());
    Stream { bytes, sha256: hex::encode(hasher.finalize()), kept, truncated: left_out > 0 }
}

/// Copies the files `pruv scan` would see from `from` to `to` (file
/// modes and symbolic links kept) and returns their snapshot.
pub fn copy_tree(from: &Path, to: &Path, threads: usize) -> Result<Snapshot> {
    use rayon::prelude::*;
    let snapshot = Snapshot::take(from, threads)?;
    let dirs: std::collections::BTreeSet<&Path> =
        snapshot.files.keys().filter_map(|path| Path::new(path).parent()).collect();
    for dir in dirs {
        let target = to.join(dir);
        std::fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
    }
    // Creating files is most of a copy's time; the cores share it.
    snapshot.files.par_iter().try_for_each(|(path, (_, mode))| {
        let (source, target) = (from.join(path), to.join(path));
        match mode {
            #[cfg(unix)]
            crate::run::tree::Mode::Symlink => {
                let link = std::fs::read_link(&source).map_err(|e| Error::io(&source, e))?;
                std::os::unix::fs::symlink(link, &target).map_err(|e| Error::io(&target, e))
            }
            _ => std::fs::copy(&source, &target).map(drop).map_err(|e| Error::io(&source, e)),
        }
    })?;
    Ok(snapshot)
}

/// docker, else podman, answering; exit 7 when neither is there or up.
fn container_engine() -> Result<String> {
    let mut tried = Vec::new();
    for engine in ["docker", "podman"] {
        let Some(path) = crate::run::find_on_path(engine) else { continue };
        let answer = Command::new(&path).args(["info", "--format", "{{.ServerVersion}}"]).stdin(Stdio::null()).output();
        match answer {
            Ok(output) if output.status.success() => return Ok(path.display().to_string()),
            Ok(output) => {
                let why = String::from_utf8_lossy(&output.stderr);
                tried.push(format!("{engine}: {}", why.lines().next().unwrap_or("no answer").trim()));
            }
            Err(e) => tried.push(format!("{engine}: {e}")),
        }
    }
    let found = if tried.is_empty() { "neither docker nor podman is on PATH".to_owned() } else { tried.join("; ") };
    Err(Error::MissingTool(format!(
        "the container sandbox needs docker or podman with a running engine ({found}); install one, or use sandbox = \"local\""
    )))
}

/// Cutting a local command off the network: a new user and network
/// namespace (Linux), where only a loopback interface exists.
mod isolation {
    use super::NetworkStatus;
    use crate::prove::policy::Network;

    #[cfg(target_os = "linux")]
    pub fn probe() -> NetworkStatus {
        let mut probe = std::process::Command::new("sh");
        probe.args(["-c", ":"]).stdin(std::process::Stdio::null());
        apply(&mut probe);
        match probe.status() {
            Ok(status) if status.success() => NetworkStatus {
                requested: Network::Deny,
                enforced: true,
                how: "a new network namespace (unshare CLONE_NEWUSER|CLONE_NEWNET) with only loopback".into(),
            },
            Ok(status) => not_enforced(format!("the namespace probe ended with {status}")),
            Err(e) => not_enforced(format!("this system refuses a new user and network namespace ({e})")),
        }
    }

    #[cfg(not(target_os = "linux"))]
    pub fn probe() -> NetworkStatus {
        not_enforced("network namespaces exist only on Linux; use sandbox = \"container\" to cut the network".into())
    }

    fn not_enforced(why: String) -> NetworkStatus {
        NetworkStatus { requested: Network::Deny, enforced: false, how: format!("NOT enforced: {why}") }
    }

    /// Makes `command` start in a new user and network namespace, mapped to
    /// the caller's own user, with loopback up.
    #[cfg(target_os = "linux")]
    pub fn apply(command: &mut std::process::Command) {
        use std::os::unix::process::CommandExt as _;
        // Built before the fork: between fork and exec only system calls happen.
        // SAFETY: getuid(2) and getgid(2) cannot fail.
        let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
        let uid_map = format!("{uid} {uid} 1\n");
        let gid_map = format!("{gid} {gid} 1\n");
        // SAFETY: the closure makes only async-signal-safe system calls
        // (unshare, open, write, close, socket, ioctl) on memory prepared before the fork.
        unsafe {
            command.pre_exec(move || {
                if libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // Older kernels have no setgroups file; the maps are required:
                // unmapped, the command would run as the overflow user.
                write_proc(c"/proc/self/setgroups", b"deny");
                if !write_proc(c"/proc/self/uid_map", uid_map.as_bytes())
                    || !write_proc(c"/proc/self/gid_map", gid_map.as_bytes())
                {
                    return Err(std::io::Error::other("could not map the user into the new namespace"));
                }
                loopback_up();
                Ok(())
            });
        }
    }

    #[cfg(not(target_os = "linux"))]
    pub fn apply(_: &mut std::process::Command) {}

    #[cfg(target_os = "linux")]
    /// Writes `text` to a /proc file whole; whether it was.
    unsafe fn write_proc(path: &std::ffi::CStr, text: &[u8]) -> bool {
        unsafe {
            let fd = libc::open(path.as_ptr(), libc::O_WRONLY);
            if fd < 0 {
                return false;
            }
            let written = libc::write(fd, text.as_ptr().cast(), text.len());
            libc::close(fd);
            written == text.len() as isize
        }
    }

    /// Tests that listen on 127.0.0.1 still work: loopback is brought up.
    #[cfg(target_os = "linux")]
    unsafe fn loopback_up() {
        unsafe {
            let socket = libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0);
            if socket < 0 {
                return;
            }
            let mut request: libc::ifreq = std::mem::zeroed();
            for (slot, byte) in request.ifr_name.iter_mut().zip(b"lo\0") {
                *slot = *byte as libc::c_char;
            }
            if libc::ioctl(socket, libc::SIOCGIFFLAGS, &mut request) == 0 {
                request.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
                libc::ioctl(socket, libc::SIOCSIFFLAGS, &request);
            }
            libc::close(socket);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Vec<(OsString, OsString)> {
        std::env::vars_os().collect()
    }

    #[test]
    fn the_copy_has_the_trees_files_and_hash_and_commands_run_in_it() {
        let tree = tempfile::tempdir().unwrap();
        std::fs::write(tree.path().join("a.txt"), "one\n").unwrap();
        std::fs::create_dir_all(tree.path().join(".pruv")).unwrap();
        std::fs::write(tree.path().join(".pruv/pruv.db"), "store").unwrap();
        let policy = Policy { network: Network::Allow, ..Policy::default() };
        let (sandbox, snapshot) = Sandbox::prepare(tree.path(), &policy, 1).unwrap();
        assert_eq!(Snapshot::take(sandbox.path(), 1).unwrap().tree_hash(), snapshot.tree_hash());
        assert!(!sandbox.path().join(".pruv").exists());
        let out = sandbox.run("cat a.txt; echo oops >&2; exit 3", Duration::from_secs(10), &env()).unwrap();
        assert_eq!((out.exit_code, out.stdout.kept.as_str(), out.stderr.kept.as_str()), (Some(3), "one\n", "oops\n"));
        assert!(!out.passed());
    }

    #[test]
    fn a_command_past_its_timeout_is_stopped_with_what_it_started() {
        let tree = tempfile::tempdir().unwrap();
        let policy = Policy { network: Network::Allow, ..Policy::default() };
        let (sandbox, _) = Sandbox::prepare(tree.path(), &policy, 1).unwrap();
        let started = Instant::now();
        let out = sandbox.run("sleep 30 & sleep 30", Duration::from_millis(300), &env()).unwrap();
        assert!(out.timed_out && !out.passed());
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn an_interrupt_stops_the_running_command() {
        let tree = tempfile::tempdir().unwrap();
        let policy = Policy { network: Network::Allow, ..Policy::default() };
        let (sandbox, _) = Sandbox::prepare(tree.path(), &policy, 1).unwrap();
        let interrupt = sandbox.interrupt.clone();
        let setter = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            interrupt.set();
        });
        let out = sandbox.run("sleep 30", Duration::from_secs(60), &env()).unwrap();
        setter.join().unwrap();
        assert!(out.interrupted && !out.timed_out && !out.passed());
    }

    #[test]
    fn long_output_keeps_its_start_and_end() {
        let text: String = (0..100_000).map(|i| format!("line {i}\n")).collect();
        let stream = read_stream(text.as_bytes());
        assert!(stream.truncated && stream.bytes == text.len() as u64);
        assert!(stream.kept.starts_with("line 0\n") && stream.kept.ends_with("line 99999\n"));
        assert!(stream.kept.len() < 2 * KEEP_BYTES + 100);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_denied_network_leaves_only_loopback_when_namespaces_are_allowed() {
        let tree = tempfile::tempdir().unwrap();
        let (sandbox, _) = Sandbox::prepare(tree.path(), &Policy::default(), 1).unwrap();
        if !sandbox.network.enforced {
            // Reported, not pretended: the status says why.
            assert!(sandbox.network.how.starts_with("NOT enforced"), "{}", sandbox.network.how);
            return;
        }
        let out = sandbox.run("cat /proc/net/dev; id -u", Duration::from_secs(10), &env()).unwrap();
        assert!(out.passed(), "{:?}", out.stderr.kept);
        let interfaces: Vec<&str> = out
            .stdout
            .kept
            .lines()
            .skip(2)
            .filter_map(|l| l.split(':').next())
            .map(str::trim)
            .filter(|l| !l.chars().all(|c| c.is_ascii_digit()))
            .collect();
        assert_eq!(interfaces, ["lo"], "{}", out.stdout.kept);
        assert!(out.stdout.kept.ends_with(&format!("{}\n", unsafe { libc::getuid() })), "the user is mapped to itself");
    }
}
