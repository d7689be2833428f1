//! Scanning a git revision straight from the object database: no checkout,
//! no `git` binary, the work tree untouched.
//!
//! The listing applies the rules of the work-tree walk (`walk.rs`) to the
//! commit's tree: `.gitignore` and `.ignore` files found inside the scanned
//! directory (a `.ignore` match wins over a `.gitignore` one, a deeper file
//! over a shallower one), `.git/` and `.pruv/` never entered. So a commit
//! and a clean checkout of it give the same files, hashes and graph.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::model::GitSource;
use super::process::{self, Processed};
use crate::error::{Error, Result};

/// Directory names never entered, as in the work-tree walk.
const NEVER_ENTER: [&str; 2] = [".git", ".pruv"];

/// A revision's tree, ready to be listed and read.
pub struct RevTree {
    repo: gix::ThreadSafeRepository,
    tree: gix::ObjectId,
    pub source: GitSource,
}

/// A file of the revision.
#[derive(Debug, Clone)]
pub struct Listed {
    /// Relative to the scanned directory, `/`-separated.
    pub path: String,
    pub oid: gix::ObjectId,
    pub is_symlink: bool,
}

/// The files, sorted by path bytes, and what could not be listed.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<Listed>,
    pub warnings: Vec<String>,
}

impl RevTree {
    /// Resolves `rev` in the repository that holds `dir`; the tree scanned
    /// is the one at `dir`'s place in the repository (its root for a bare one).
    pub fn open(dir: &Path, rev: &str) -> Result<RevTree> {
        let repo = gix::discover(dir).map_err(|e| {
            Error::InvalidInput(format!(
                "{}: not inside a git repository ({}); --rev needs one",
                dir.display(),
                first_line(&e.to_string())
            ))
        })?;
        let prefix = match repo.workdir() {
            Some(workdir) => relative_inside(workdir, dir)?,
            None => String::new(),
        };
        let unknown = |detail: String| {
            Error::InvalidInput(format!(
                "{rev:?} is not a revision of the repository at {} ({detail}); name a commit, tag or branch",
                repo.git_dir().display()
            ))
        };
        let id = repo.rev_parse_single(rev).map_err(|e| unknown(first_line(&e.to_string())))?;
        let commit = id.object().and_then(|o| o.peel_to_commit()).map_err(|e| unknown(first_line(&e.to_string())))?;
        let root_tree = commit.tree().map_err(|e| unknown(first_line(&e.to_string())))?;
        let tree = if prefix.is_empty() {
            root_tree.id
        } else {
            let entry = root_tree
                .lookup_entry_by_path(&prefix)
                .map_err(|e| unknown(first_line(&e.to_string())))?
                .filter(|entry| entry.mode().is_tree())
                .ok_or_else(|| {
                    Error::InvalidInput(format!("{prefix}/ does not exist at {rev}; scan a directory that does"))
                })?;
            entry.object_id()
        };
        let source =
            GitSource { commit: commit.id.to_string(), rev: Some(rev.to_owned()), path: prefix, worktree: false };
        drop((commit, root_tree, id));
        Ok(RevTree { repo: repo.into_sync(), tree, source })
    }

    /// Every file under the tree that the work-tree walk would find.
    pub fn list(&self) -> Result<Listing> {
        let repo = self.repo.to_thread_local();
        let mut listing = Listing::default();
        let mut rules = Vec::new();
        list_tree(&repo, self.tree, "", &mut rules, &mut listing)?;
        listing.files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        listing.warnings.sort();
        Ok(listing)
    }

    /// A handle for one worker thread.
    pub fn reader(&self) -> gix::Repository {
        self.repo.to_thread_local()
    }

    /// Writes the listed files under `dir` (a path from the tree's root)
    /// into a new temporary directory, for a tool that reads files from
    /// disk (`helm template`). Symbolic links are left out; at most
    /// [`MAX_WRITTEN`] bytes.
    pub fn write_out(&self, files: &[Listed], dir: &str) -> std::result::Result<tempfile::TempDir, String> {
        let repo = self.reader();
        let out = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
        let mut written = 0u64;
        for file in files.iter().filter(|f| !f.is_symlink && crate::scan::paths::is_under(&f.path, dir)) {
            let object =
                repo.find_object(file.oid).map_err(|e| format!("{}: {}", file.path, first_line(&e.to_string())))?;
            written += object.data.len() as u64;
            if written > MAX_WRITTEN {
                return Err(format!("{dir}/ holds more than {} MiB", MAX_WRITTEN >> 20));
            }
            let inside = if dir.is_empty() { file.path.as_str() } else { &file.path[dir.len() + 1..] };
            let target = out.path().join(inside);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&target, &object.data).map_err(|e| format!("{}: {e}", target.display()))?;
        }
        Ok(out)
    }
}

/// The most [`RevTree::write_out`] writes for one directory.
pub const MAX_WRITTEN: u64 = 256 << 20;

/// Reads and processes one listed file with a thread's own repository handle.
pub fn process(repo: &gix::Repository, file: &Listed) -> Processed {
    let object = match repo.find_object(file.oid) {
        Ok(object) => object,
        Err(e) => {
            return Processed::unreadable(format!(
                "{}: object {}: {}",
                file.path,
                file.oid,
                first_line(&e.to_string())
            ));
        }
    };
    if file.is_symlink {
        return process::process_link(&file.path, String::from_utf8_lossy(&object.data).into_owned());
    }
    process::process_bytes(&file.path, &object.data)
}

/// The commit checked out in `root`, when `root` is the top of a git work tree.
/// (A scan of a subdirectory carries no commit, so that the same files give
/// the same document wherever they sit.)
pub fn describe_worktree(root: &Path) -> Option<GitSource> {
    if !root.join(".git").exists() {
        return None;
    }
    let repo = gix::open(root).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    if workdir != root.canonicalize().ok()? {
        return None;
    }
    let commit = repo.head_id().ok()?;
    Some(GitSource { commit: commit.to_string(), rev: None, path: String::new(), worktree: true })
}

/// Where `dir` sits inside its git work tree (`""` at the top), if it is in one.
pub fn path_in_repo(dir: &Path) -> Option<String> {
    let repo = gix::discover(dir).ok()?;
    relative_inside(repo.workdir()?, dir).ok()
}

/// One directory level's ignore rules.
struct Level {
    dot_ignore: Option<Gitignore>,
    gitignore: Option<Gitignore>,
}

fn list_tree(
    repo: &gix::Repository,
    tree_id: gix::ObjectId,
    dir: &str,
    rules: &mut Vec<Level>,
    listing: &mut Listing,
) -> Result<()> {
    let tree = repo.find_tree(tree_id).map_err(|e| tree_error(dir, &e))?;
    let decoded = tree.decode().map_err(|e| tree_error(dir, &e))?;
    let entries: Vec<(gix::object::tree::EntryMode, String, gix::ObjectId)> = decoded
        .entries
        .iter()
        .map(|e| (e.mode, String::from_utf8_lossy(e.filename).into_owned(), e.oid.to_owned()))
        .collect();
    let level_rules = |name: &str| {
        entries.iter().find(|(mode, n, _)| n == name && mode.is_blob()).map(|(_, _, oid)| {
            let text =
                repo.find_object(*oid).map(|o| String::from_utf8_lossy(&o.data).into_owned()).unwrap_or_default();
            matcher(dir, &text)
        })
    };
    rules.push(Level { dot_ignore: level_rules(".ignore"), gitignore: level_rules(".gitignore") });
    for (mode, name, oid) in &entries {
        let path = if dir.is_empty() { name.clone() } else { format!("{dir}/{name}") };
        if mode.is_tree() {
            if NEVER_ENTER.contains(&name.as_str()) || is_ignored(rules, &path, true) {
                continue;
            }
            list_tree(repo, *oid, &path, rules, listing)?;
        } else if mode.is_commit() {
            // A submodule: its files live in another repository.
            listing.warnings.push(format!("{path}: a git submodule (commit {oid}); not scanned"));
        } else if !NEVER_ENTER.contains(&name.as_str()) && !is_ignored(rules, &path, false) {
            listing.files.push(Listed { path, oid: *oid, is_symlink: mode.is_link() });
        }
    }
    rules.pop();
    Ok(())
}

/// Matching works on virtual absolute paths rooted at `/`.
fn virtual_path(relative: &str) -> PathBuf {
    Path::new("/").join(relative)
}

fn matcher(dir: &str, text: &str) -> Gitignore {
    let mut builder = GitignoreBuilder::new(virtual_path(dir));
    for line in text.lines() {
        // A bad pattern is skipped, as the work-tree walk does.
        let _ = builder.add_line(None, line);
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

/// The work-tree walk's precedence: any `.ignore` match (deepest first)
/// before any `.gitignore` match (deepest first).
fn is_ignored(rules: &[Level], path: &str, is_dir: bool) -> bool {
    let path = virtual_path(path);
    for dot_ignore in [true, false] {
        for level in rules.iter().rev() {
            if let Some(matcher) = if dot_ignore { &level.dot_ignore } else { &level.gitignore } {
                let matched = matcher.matched(&path, is_dir);
                if matched.is_ignore() {
                    return true;
                }
                if matched.is_whitelist() {
                    return false;
                }
            }
        }
    }
    false
}

fn relative_inside(workdir: &Path, dir: &Path) -> Result<String> {
    let workdir = workdir.canonicalize().map_err(|e| Error::io(workdir, e))?;
    let dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    if !dir.starts_with(&workdir) {
        return Err(Error::InvalidInput(format!("{} is outside the work tree {}", dir.display(), workdir.display())));
    }
    super::walk::relative(&workdir, &dir)
        .ok_or_else(|| Error::InvalidInput(format!("{}: path is not UTF-8", dir.display())))
}

fn tree_error(dir: &str, error: &dyn std::fmt::Display) -> Error {
    let place = if dir.is_empty() { "the root tree".to_owned() } else { format!("tree {dir}/") };
    Error::InvalidInput(format!("cannot read {place} from the repository: {}", first_line(&error.to_string())))
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(dot_ignore: &str, gitignore: &str, dir: &str) -> Level {
        Level {
            dot_ignore: (!dot_ignore.is_empty()).then(|| matcher(dir, dot_ignore)),
            gitignore: (!gitignore.is_empty()).then(|| matcher(dir, gitignore)),
        }
    }

    #[test]
    fn deeper_rules_and_dot_ignore_win() {
        let rules = vec![level("", "*.log\nbuild/\n", ""), level("", "!keep.log\n", "sub")];
        assert!(is_ignored(&rules, "a.log", false));
        assert!(!is_ignored(&rules, "sub/keep.log", false));
        assert!(is_ignored(&rules, "sub/other.log", false));
        assert!(is_ignored(&rules, "build", true));
        assert!(!is_ignored(&rules, "build", false), "a directory pattern does not match a file");
        let rules = vec![level("!x.txt\n", "x.txt\n", "")];
        assert!(!is_ignored(&rules, "x.txt", false), ".ignore wins over .gitignore");
    }
}
