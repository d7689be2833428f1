//! Checkpoints: a tree's files stored by content so that it can be brought
//! back, verified, after a command broke it.
//!
//! [`create`] stores every file the scanner's walk sees (contents as blobs
//! keyed by SHA-256, shared across checkpoints). [`preview`] says what a
//! restore would change. [`restore`] refuses a tree changed since pruv last
//! recorded it (unless forced), checkpoints the tree as it is first, writes
//! each file to a temporary file beside it and renames it into place (so an
//! interrupted restore leaves every file whole, old or new), removes the
//! files the checkpoint lacks, and checks that the tree hash is the
//! checkpoint's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::run::tree::{Mode, Snapshot};
use crate::store::Store;
use crate::store::checkpoint::{CheckpointFile, CheckpointInfo};

/// The largest file a checkpoint stores (the store holds whole contents).
pub const MAX_FILE: u64 = 64 << 20;
/// Text files up to this size get a unified diff in a preview.
const MAX_DIFF_BYTES: usize = 1 << 20;

/// The directory's identity in the store: its absolute, resolved path.
pub fn root_of(dir: &Path) -> Result<(PathBuf, String)> {
    let absolute = dir.canonicalize().map_err(|e| Error::io(dir.display().to_string(), e))?;
    if !absolute.is_dir() {
        return Err(Error::InvalidInput(format!("{}: not a directory", dir.display())));
    }
    let root = absolute.display().to_string();
    Ok((absolute, root))
}

pub fn create(store: &mut Store, dir: &Path, name: &str, threads: usize) -> Result<CheckpointInfo> {
    let (absolute, root) = root_of(dir)?;
    let hashes = store.file_hashes(&root)?;
    let snapshot = Snapshot::take_cached(&absolute, threads, &hashes)?;
    store.save_file_hashes(&root, &hashes)?;
    store.create_checkpoint(name, &absolute, &root, &snapshot, MAX_FILE)
}

/// What a restore would do to the tree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub checkpoint: String,
    pub root: String,
    /// Files the restore writes back (absent now).
    pub added: Vec<String>,
    /// Files the restore removes (absent from the checkpoint).
    pub removed: Vec<String>,
    /// Files whose content or mode the restore changes.
    pub modified: Vec<String>,
    /// Unified diffs (current → checkpoint) of the text files among them.
    pub diffs: BTreeMap<String, String>,
}

impl Preview {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty()
    }
}

pub fn preview(store: &Store, argument: &str, dir: Option<&Path>, threads: usize) -> Result<Preview> {
    let (info, files) = store.find_checkpoint(argument)?;
    let (absolute, root) = root_of(dir.unwrap_or(Path::new(&info.root)))?;
    let current = Snapshot::take_cached(&absolute, threads, &store.file_hashes(&root)?)?;
    let wanted = listed(&files);
    let mut preview = Preview { checkpoint: info.id.clone(), root, ..Preview::default() };
    for (path, (hash, mode)) in &wanted {
        match current.files.get(path) {
            None => preview.added.push(path.clone()),
            Some((now, now_mode)) if now != hash || now_mode != mode => {
                preview.modified.push(path.clone());
                if now != hash
                    && let Some(diff) = text_diff(store, &absolute.join(path), path, hash)?
                {
                    preview.diffs.insert(path.clone(), diff);
                }
            }
            Some(_) => {}
        }
    }
    preview.removed = current.files.keys().filter(|p| !wanted.contains_key(*p)).cloned().collect();
    Ok(preview)
}

fn listed(files: &[CheckpointFile]) -> BTreeMap<String, (String, Mode)> {
    files.iter().map(|f| (f.path.clone(), (f.sha256.clone(), f.mode))).collect()
}

/// The unified diff from the file as it is to the checkpoint's content,
/// when both are text of a readable size.
fn text_diff(store: &Store, current: &Path, path: &str, hash: &str) -> Result<Option<String>> {
    let Ok(now) = std::fs::read(current) else { return Ok(None) };
    let then = store.blob(hash)?;
    let (Some(now), Some(then)) = (as_text(&now), as_text(&then)) else { return Ok(None) };
    Ok(Some(crate::unified::file_diff(path, Some(now), Some(then))))
}

/// Bytes a diff can show: UTF-8, no NUL, of a readable size.
fn as_text(bytes: &[u8]) -> Option<&str> {
    (bytes.len() <= MAX_DIFF_BYTES && !bytes.contains(&0)).then(|| std::str::from_utf8(bytes).ok()).flatten()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restored {
    pub checkpoint: String,
    pub root: String,
    /// The checkpoint of the tree as it was before the restore (undo the undo with it).
    pub saved_first: String,
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub tree_hash: String,
    /// The entry of the `checkpoints` chain that records the restore.
    pub entry: u64,
}

/// Brings `dir` (default: the checkpoint's own directory) back to checkpoint `argument`.
pub fn restore(store: &mut Store, argument: &str, dir: Option<&Path>, force: bool, threads: usize) -> Result<Restored> {
    let (info, files) = store.find_checkpoint(argument)?;
    let (absolute, root) = root_of(dir.unwrap_or(Path::new(&info.root)))?;
    let hashes = store.file_hashes(&root)?;
    let current = Snapshot::take_cached(&absolute, threads, &hashes)?;
    store.save_file_hashes(&root, &hashes)?;
    if !force {
        let now = current.tree_hash();
        match store.last_tree_record(&root)? {
            Some((recorded, _)) if recorded == now => {}
            Some((_, what)) => {
                return Err(Error::Unsafe(format!(
                    "{root} changed since pruv last recorded it (by {what}); restoring would lose those changes. \
                     `pruv checkpoint create` them first, or pass --force (the tree is still checkpointed before the restore)"
                )));
            }
            None => {
                return Err(Error::Unsafe(format!(
                    "pruv has no record of {root}'s state; restoring could lose changes. Pass --force to restore anyway \
                     (the tree is checkpointed first)"
                )));
            }
        }
    }
    // The tree as it is, so the restore itself can be undone.
    let saved =
        store.create_checkpoint(&format!("before restoring {}", info.id), &absolute, &root, &current, MAX_FILE)?;
    let wanted = listed(&files);
    let mut written = Vec::new();
    for (path, (hash, mode)) in &wanted {
        if current.files.get(path) == Some(&(hash.clone(), *mode)) {
            continue;
        }
        let content = store.blob(hash)?;
        write_whole(&absolute, path, &content, *mode)?;
        written.push(path.clone());
    }
    let mut removed = Vec::new();
    for path in current.files.keys().filter(|p| !wanted.contains_key(*p)) {
        let target = absolute.join(path);
        match std::fs::remove_file(&target) {
            Ok(()) => removed.push(path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    let after = Snapshot::take_cached(&absolute, threads, &hashes)?;
    store.save_file_hashes(&root, &hashes)?;
    let tree_hash = after.tree_hash();
    if tree_hash != info.tree_hash {
        return Err(Error::Verification(format!(
            "after restoring checkpoint {} the tree hash of {root} is {tree_hash}, not the checkpoint's {}; \
             something else wrote to the tree meanwhile (checkpoint {} holds it as it was before)",
            info.id, info.tree_hash, saved.id
        )));
    }
    let entry = store.record_restore(&info, &saved.id, (written.len() + removed.len()) as u64)?;
    Ok(Restored { checkpoint: info.id, root, saved_first: saved.id, written, removed, tree_hash, entry })
}

/// Writes `content` to `root/path` through a temporary file in the same
/// directory renamed into place: a reader (or a restore killed midway)
/// sees the old file or the new one, never part of one.
fn write_whole(root: &Path, path: &str, content: &[u8], mode: Mode) -> Result<()> {
    use std::io::Write as _;
    let target = root.join(path);
    let parent = target.parent().unwrap_or(root);
    // A directory where a file belongs (or the reverse) is replaced.
    if parent.is_file() {
        std::fs::remove_file(parent).map_err(|e| Error::io(path, e))?;
    }
    std::fs::create_dir_all(parent).map_err(|e| Error::io(path, e))?;
    if target.is_dir() && !target.is_symlink() {
        std::fs::remove_dir_all(&target).map_err(|e| Error::io(path, e))?;
    }
    match mode {
        Mode::Symlink => {
            let link_text = String::from_utf8_lossy(content).into_owned();
            let temporary = temporary_name(parent)?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&link_text, &temporary).map_err(|e| Error::io(path, e))?;
            #[cfg(not(unix))]
            return Err(Error::InvalidInput(format!("{path}: symbolic links are restored on Unix only")));
            std::fs::rename(&temporary, &target).map_err(|e| Error::io(path, e))?;
        }
        Mode::File(bits) => {
            let mut file = tempfile::Builder::new()
                .prefix(".pruv-restore-")
                .tempfile_in(parent)
                .map_err(|e| Error::io(path, e))?;
            file.write_all(content).map_err(|e| Error::io(path, e))?;
            set_permissions(file.path(), bits).map_err(|e| Error::io(path, e))?;
            file.as_file().sync_all().map_err(|e| Error::io(path, e))?;
            file.persist(&target).map_err(|e| Error::io(path, e.error))?;
        }
    }
    Ok(())
}

/// A name beside the target no other file has: `.pruv-restore-` and 12 random hex digits.
fn temporary_name(parent: &Path) -> Result<PathBuf> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes)?;
    Ok(parent.join(format!(".pruv-restore-{}", hex::encode(bytes))))
}

#[cfg(unix)]
fn set_permissions(path: &Path, bits: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits))
}

#[cfg(not(unix))]
fn set_permissions(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}
