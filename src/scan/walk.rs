//! The parallel walk: every file under the root, hidden ones included,
//! minus `.git/`, `.pruv/` and what `.gitignore`/`.ignore` files exclude,
//! whether or not the tree is a git repository. Symlinks are recorded,
//! never followed. Only the tree's own ignore files count (not the
//! user's global excludes), so two machines see the same files.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A file the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walked {
    /// Relative to the root, `/`-separated.
    pub path: String,
    pub absolute: PathBuf,
    pub is_symlink: bool,
}

/// The files, sorted by path bytes, and the problems met on the way.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<Walked>,
    pub warnings: Vec<String>,
}

/// Directory names never entered.
const NEVER_ENTER: [&str; 2] = [".git", ".pruv"];

pub fn walk(root: &Path, threads: usize) -> Walk {
    let found = Mutex::new(Walk::default());
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(false)
        .require_git(false)
        .ignore(true)
        .parents(false)
        .follow_links(false)
        .threads(threads)
        .filter_entry(|entry| !NEVER_ENTER.iter().any(|name| entry.file_name() == *name))
        .build_parallel();
    walker.run(|| {
        let found = &found;
        // Flush this thread's findings when the walker drops the visitor.
        struct Flush<'a> {
            local: Walk,
            into: &'a Mutex<Walk>,
        }
        impl Drop for Flush<'_> {
            fn drop(&mut self) {
                let mut shared = self.into.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                shared.files.append(&mut self.local.files);
                shared.warnings.append(&mut self.local.warnings);
            }
        }
        let mut flush = Flush { local: Walk::default(), into: found };
        Box::new(move |result| {
            match result {
                Ok(entry) => {
                    let Some(file_type) = entry.file_type() else { return ignore::WalkState::Continue };
                    if file_type.is_dir() {
                        return ignore::WalkState::Continue;
                    }
                    // Opening a named pipe for reading blocks until a writer
                    // comes, and devices never end: only files and links are read.
                    if !file_type.is_file() && !file_type.is_symlink() {
                        let shown = relative(root, entry.path()).unwrap_or_else(|| entry.path().display().to_string());
                        flush
                            .local
                            .warnings
                            .push(format!("{shown}: not a regular file (a socket, pipe or device); skipped"));
                        return ignore::WalkState::Continue;
                    }
                    match relative(root, entry.path()) {
                        Some(path) => flush.local.files.push(Walked {
                            path,
                            absolute: entry.path().to_owned(),
                            is_symlink: file_type.is_symlink(),
                        }),
                        None => {
                            flush.local.warnings.push(format!("{}: path is not UTF-8; skipped", entry.path().display()))
                        }
                    }
                }
                Err(error) => flush.local.warnings.push(error.to_string()),
            }
            ignore::WalkState::Continue
        })
    });
    let mut walk = found.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    walk.files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    walk.warnings.sort();
    walk
}

/// `path` relative to `root`, `/`-separated; `None` outside `root` or when not UTF-8.
pub(crate) fn relative(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = relative.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honours_ignore_files_and_skips_git_and_store() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, contents) in [
            (".gitignore", ".env\nbuild/\n"),
            (".env", "SECRET=1"),
            (".env.example", "SECRET="),
            ("build/out.js", ""),
            ("src/app.py", ""),
            (".git/config", ""),
            (".pruv/pruv.db", ""),
            ("sub/.ignore", "*.log\n"),
            ("sub/a.log", ""),
            ("sub/b.txt", ""),
            (".github/workflows/ci.yml", ""),
        ] {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, contents).unwrap();
        }
        let paths: Vec<String> = walk(root, 2).files.into_iter().map(|f| f.path).collect();
        assert_eq!(
            paths,
            [".env.example", ".github/workflows/ci.yml", ".gitignore", "src/app.py", "sub/.ignore", "sub/b.txt"]
        );
    }

    /// Regression: a named pipe in the tree was opened for reading, which
    /// blocks until some writer opens it: the scan hung.
    #[cfg(unix)]
    #[test]
    fn named_pipes_are_skipped_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|status| status.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let walked = walk(dir.path(), 2);
        assert_eq!(walked.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["a.txt"]);
        assert!(walked.warnings.iter().any(|w| w.starts_with("pipe: not a regular file")), "{:?}", walked.warnings);
    }
}
