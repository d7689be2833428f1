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
