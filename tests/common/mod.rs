//! Shared by the CLI tests: an isolated directory and a `pruv` command
//! that cannot see the developer's own store or colour settings.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub mod strategies;

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A sandbox with an initialised store.
    pub fn with_store() -> Sandbox {
        let sandbox = Sandbox::new();
        sandbox.pruv().arg("init").assert().success();
        sandbox
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn pruv(&self) -> Command {
        let mut command = Command::cargo_bin("pruv").expect("pruv binary");
        // Charts read the same way whether or not this machine has helm.
        command.current_dir(self.path()).env_remove("PRUV_STORE").env("NO_COLOR", "1").env("PRUV_HELM", "never");
        command
    }

    /// The same, as a std Command, for tests that need to spawn and wait.
    pub fn std_pruv(&self) -> std::process::Command {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin!("pruv"));
        command.current_dir(self.path()).env_remove("PRUV_STORE").env("NO_COLOR", "1").env("PRUV_HELM", "never");
        command
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, contents).expect("write");
        path
    }

    /// Writes each (relative path, contents), creating directories.
    pub fn write_all<P: AsRef<str>, T: AsRef<[u8]>>(&self, files: impl IntoIterator<Item = (P, T)>) {
        for (path, contents) in files {
            let full = self.path().join(path.as_ref());
            std::fs::create_dir_all(full.parent().expect("a parent")).expect("mkdir");
            std::fs::write(full, contents).expect("write");
        }
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).expect("read")
    }

    /// Runs pruv, asserts the exit code, returns stdout.
    pub fn run(&self, args: &[&str], code: i32) -> String {
        let output = self.pruv().args(args).output().expect("run pruv");
        assert_eq!(
            output.status.code(),
            Some(code),
            "pruv {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 stdout")
    }

    /// Runs pruv, asserts the exit code, returns stderr.
    pub fn run_err(&self, args: &[&str], code: i32) -> String {
        let output = self.pruv().args(args).output().expect("run pruv");
        assert_eq!(output.status.code(), Some(code), "pruv {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stderr).expect("utf-8 stderr")
    }
}

pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(relative)
}

pub fn vectors_chain() -> PathBuf {
    fixture("vectors/xycore-chain.json")
}

/// Connections of a scan document as `FROM->TO via VIA` lines, each end
/// named by `name` (ids as they are, or something steadier such as roots).
pub fn connection_lines(document: &serde_json::Value, name: impl Fn(&str) -> String) -> Vec<String> {
    document["connections"]
        .as_array()
        .expect("connections")
        .iter()
        .map(|c| {
            let end = |key: &str| name(c[key].as_str().expect("connection end"));
            format!("{}->{} via {}", end("from"), end("to"), c["via"].as_str().unwrap_or("-"))
        })
        .collect()
}

/// Copies a directory tree (files and directories only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs git in `dir` with a fixed identity and clock, so commit ids are the
/// same on every machine, and no user or system configuration.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ada")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git is needed for these tests; install it");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// What a [`one_request_server`] received.
pub struct HttpRequest {
    /// `POST /v1/chat/completions HTTP/1.1`
    pub line: String,
    pub headers: Vec<String>,
    pub body: serde_json::Value,
}

/// An HTTP server on 127.0.0.1 that takes one request with a JSON body and
/// answers `200` with what `answer` makes of it, or, for `None`, holds the
/// connection for `hold` without answering. Returns its base URL
/// (`http://127.0.0.1:PORT`) and what it received.
pub fn one_request_server(
    answer: impl FnOnce(&HttpRequest) -> Option<String> + Send + 'static,
    hold: std::time::Duration,
) -> (String, std::thread::JoinHandle<HttpRequest>) {
    use std::io::{BufRead as _, Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let (mut headers, mut length) = (Vec::new(), 0);
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            if header.trim().is_empty() {
                break;
            }
            if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            headers.push(header.trim().to_owned());
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let request =
            HttpRequest { line: line.trim().to_owned(), headers, body: serde_json::from_slice(&body).unwrap() };
        match answer(&request) {
            Some(json) => {
                let mut stream = stream;
                write!(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}", json.len()).unwrap();
            }
            None => std::thread::sleep(hold),
        }
        request
    });
    (base, handle)
}
