//! Checkpoints in the store: content-addressed blobs shared by every
//! checkpoint, each checkpoint's file list, and per directory the tree hash
//! pruv last recorded for it.

use std::path::Path;

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use super::{Store, append_in, chain_named_in, store_error, unused_short_id};
use crate::core::entry::Transition;
use crate::core::hash::sha256_hex;
use crate::error::{Error, Result};
use crate::run::tree::{HashCache, Mode, Snapshot};
use crate::scan::cache::Stamp;
use crate::typed_state::object;

/// The chain checkpoints and restores are recorded in.
pub const CHECKPOINT_CHAIN: &str = "checkpoints";
pub const CHECKPOINT_TYPE: &str = "pruv.checkpoint/1";
pub const RESTORE_TYPE: &str = "pruv.restore/1";
/// A symbolic link's mode in the file list (its blob is the target text).
const SYMLINK_MODE: i64 = 0o120000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckpointInfo {
    pub id: String,
    pub name: String,
    /// The directory, as an absolute path.
    pub root: String,
    pub tree_hash: String,
    pub files: u64,
    pub bytes: u64,
    pub created_at: String,
    /// Blobs this checkpoint added to the store (the rest were there already).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_blobs: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointFile {
    pub path: String,
    pub sha256: String,
    pub mode: Mode,
}

impl Store {
    /// Stores the files of `snapshot` (taken of `dir`) as checkpoint `name`:
    /// contents the store lacks are read and added, every file is listed,
    /// and the checkpoint is recorded in the `checkpoints` chain, in one
    /// transaction. `max_file` caps each file's size.
    pub fn create_checkpoint(
        &mut self,
        name: &str,
        dir: &Path,
        root: &str,
        snapshot: &Snapshot,
        max_file: u64,
    ) -> Result<CheckpointInfo> {
        let store_dir = self.dir.clone();
        let err = |e| store_error(&store_dir, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let id = unused_short_id(&tx, &store_dir, "checkpoints")?;
        let mut listed: Vec<(String, String, i64)> = Vec::with_capacity(snapshot.files.len());
        let (mut bytes, mut new_blobs) = (0u64, 0u64);
        for (path, (hash, mode)) in &snapshot.files {
            let absolute = dir.join(path);
            let known: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?1)")
                .and_then(|mut s| s.query_row([hash], |row| row.get(0)))
                .map_err(err)?;
            let (hash, size) = if known {
                let size: i64 =
                    tx.query_row("SELECT size FROM blobs WHERE sha256 = ?1", [hash], |row| row.get(0)).map_err(err)?;
                (hash.clone(), size as u64)
            } else {
                let content = match mode {
                    Mode::Symlink => std::fs::read_link(&absolute)
                        .map_err(|e| Error::io(path, e))?
                        .to_string_lossy()
                        .into_owned()
                        .into_bytes(),
                    Mode::File(_) => crate::bounded::read_file(&absolute, path, max_file)?,
                };
                // The file may have changed since it was hashed: what is stored is what was read.
                let hash = sha256_hex(&content);
                tx.prepare_cached("INSERT OR IGNORE INTO blobs (sha256, size, content) VALUES (?1, ?2, ?3)")
                    .and_then(|mut s| s.execute(params![hash, content.len() as i64, content]))
                    .map_err(err)?;
                new_blobs += 1;
                (hash, content.len() as u64)
            };
            bytes += size;
            let mode = match mode {
                Mode::File(bits) => i64::from(*bits),
                Mode::Symlink => SYMLINK_MODE,
            };
            listed.push((path.clone(), hash, mode));
        }
        let tree_hash = crate::scan::graph::tree_hash(listed.iter().map(|(p, h, _)| (h.as_str(), p.as_str())));
        let chain = chain_named_in(&tx, &store_dir, CHECKPOINT_CHAIN)?;
        let state = object([
            ("type", CHECKPOINT_TYPE.into()),
            ("id", id.as_str().into()),
            ("name", name.into()),
            ("root", root.into()),
            ("tree_hash", tree_hash.as_str().into()),
            ("files", (listed.len() as u64).into()),
            ("bytes", bytes.into()),
        ]);
        let entry = append_in(&tx, &chain, Transition::new("checkpoint", Some(state)), None).map_err(err)?;
        let created_at = crate::core::time::rfc3339(entry.timestamp.as_f64());
        tx.execute(
            "INSERT INTO checkpoints (id, name, root, tree_hash, files, bytes, created_at, chain_id, entry_idx)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                name,
                root,
                tree_hash,
                listed.len() as i64,
                bytes as i64,
                created_at,
                chain,
                entry.index as i64
            ],
        )
        .map_err(err)?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO checkpoint_files (checkpoint_id, path, sha256, mode) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err)?;
            for (path, hash, mode) in &listed {
                insert.execute(params![id, path, hash, mode]).map_err(err)?;
            }
        }
        record_tree_in(&tx, root, &tree_hash, "checkpoint").map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(CheckpointInfo {
            id,
            name: name.to_owned(),
            root: root.to_owned(),
            tree_hash,
            files: listed.len() as u64,
            bytes,
            created_at,
            new_blobs: Some(new_blobs),
        })
    }

    /// Every checkpoint, oldest first.
    pub fn checkpoints(&self) -> Result<Vec<CheckpointInfo>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, name, root, tree_hash, files, bytes, created_at FROM checkpoints ORDER BY created_at, id",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement.query_map([], info_from_row).map_err(|e| self.error(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.error(e))
    }

    /// The checkpoint `argument` names: its id (or a unique prefix of it),
    /// else the newest checkpoint of that name.
    pub fn find_checkpoint(&self, argument: &str) -> Result<(CheckpointInfo, Vec<CheckpointFile>)> {
        let all = self.checkpoints()?;
        let by_id: Vec<&CheckpointInfo> =
            all.iter().filter(|c| c.id.starts_with(argument) && argument.len() >= 4).collect();
        let found = match by_id.as_slice() {
            [one] => Some((*one).clone()),
            [] => all.iter().rev().find(|c| c.name == argument).cloned(),
            _ => {
                return Err(Error::InvalidInput(format!(
                    "{argument:?} is the start of several checkpoint ids; give more of it"
                )));
            }
        };
        let info = found.ok_or_else(|| {
            Error::InvalidInput(format!("no checkpoint {argument:?}; `pruv checkpoint list` shows them"))
        })?;
        let mut statement = self
            .conn
            .prepare("SELECT path, sha256, mode FROM checkpoint_files WHERE checkpoint_id = ?1 ORDER BY path")
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([&info.id], |row| {
                let mode: i64 = row.get(2)?;
                Ok(CheckpointFile {
                    path: row.get(0)?,
                    sha256: row.get(1)?,
                    mode: if mode == SYMLINK_MODE { Mode::Symlink } else { Mode::File(mode as u32) },
                })
            })
            .map_err(|e| self.error(e))?;
        let files = rows.collect::<rusqlite::Result<_>>().map_err(|e| self.error(e))?;
        Ok((info, files))
    }

    /// A stored content, checked against its hash.
    pub fn blob(&self, sha256: &str) -> Result<Vec<u8>> {
        let content: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT content FROM blobs WHERE sha256 = ?1", [sha256], |row| row.get(0))
            .optional()
            .map_err(|e| self.error(e))?;
        let content = content
            .ok_or_else(|| Error::Store { path: self.dir.clone(), message: format!("blob {sha256} is missing") })?;
        if sha256_hex(&content) != sha256 {
            return Err(Error::Verification(format!(
                "blob {sha256} in the store does not hash to its name; the store is damaged"
            )));
        }
        Ok(content)
    }

    /// The tree hash pruv last recorded for `root`, and by what.
    pub fn last_tree_record(&self, root: &str) -> Result<Option<(String, String)>> {
        self.conn
            .query_row("SELECT tree_hash, what FROM tree_records WHERE root = ?1", [root], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
            .map_err(|e| self.error(e))
    }

    pub fn record_tree(&mut self, root: &str, tree_hash: &str, what: &str) -> Result<()> {
        let dir = self.dir.clone();
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| store_error(&dir, e))?;
        record_tree_in(&tx, root, tree_hash, what).map_err(|e| store_error(&dir, e))?;
        tx.commit().map_err(|e| store_error(&dir, e))
    }

    /// Records a finished restore in the `checkpoints` chain and as the tree's latest state.
    pub fn record_restore(&mut self, checkpoint: &CheckpointInfo, saved_first: &str, changed: u64) -> Result<u64> {
        let dir = self.dir.clone();
        let err = |e| store_error(&dir, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let chain = chain_named_in(&tx, &dir, CHECKPOINT_CHAIN)?;
        let state = object([
            ("type", RESTORE_TYPE.into()),
            ("checkpoint", checkpoint.id.as_str().into()),
            ("root", checkpoint.root.as_str().into()),
            ("tree_hash", checkpoint.tree_hash.as_str().into()),
            ("saved_first", saved_first.into()),
            ("files_changed", changed.into()),
        ]);
        let entry = append_in(&tx, &chain, Transition::new("restore", Some(state)), None).map_err(err)?;
        record_tree_in(&tx, &checkpoint.root, &checkpoint.tree_hash, "restore").map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(entry.index)
    }
}

impl Store {
    /// The content hashes known for the files under `root` (see [`HashCache`]).
    pub fn file_hashes(&self, root: &str) -> Result<HashCache> {
        let mut statement = self
            .conn
            .prepare("SELECT path, size, mtime_ns, ctime_ns, inode, sha256 FROM file_hashes WHERE root = ?1")
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([root], |row| {
                let stamp = Stamp {
                    size: row.get::<_, i64>(1)? as u64,
                    mtime_ns: row.get(2)?,
                    ctime_ns: row.get(3)?,
                    inode: row.get::<_, i64>(4)? as u64,
                };
                Ok((row.get::<_, String>(0)?, (stamp, row.get::<_, String>(5)?)))
            })
            .map_err(|e| self.error(e))?;
        let known = rows.collect::<rusqlite::Result<_>>().map_err(|e| self.error(e))?;
        Ok(HashCache::new(known))
    }

    /// Saves what `cache` learnt, in one transaction.
    pub fn save_file_hashes(&mut self, root: &str, cache: &HashCache) -> Result<()> {
        let fresh = cache.take_fresh();
        if fresh.is_empty() {
            return Ok(());
        }
        let dir = self.dir.clone();
        let err = |e| store_error(&dir, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO file_hashes (root, path, size, mtime_ns, ctime_ns, inode, sha256)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (root, path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                       ctime_ns = excluded.ctime_ns, inode = excluded.inode, sha256 = excluded.sha256",
                )
                .map_err(err)?;
            for (path, stamp, hash) in fresh {
                upsert
                    .execute(params![
                        root,
                        path,
                        stamp.size as i64,
                        stamp.mtime_ns,
                        stamp.ctime_ns,
                        stamp.inode as i64,
                        hash
                    ])
                    .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }
}

fn info_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CheckpointInfo> {
    Ok(CheckpointInfo {
        id: row.get(0)?,
        name: row.get(1)?,
        root: row.get(2)?,
        tree_hash: row.get(3)?,
        files: row.get::<_, i64>(4)? as u64,
        bytes: row.get::<_, i64>(5)? as u64,
        created_at: row.get(6)?,
        new_blobs: None,
    })
}

fn record_tree_in(tx: &rusqlite::Transaction<'_>, root: &str, tree_hash: &str, what: &str) -> rusqlite::Result<()> {
    let now = crate::core::time::rfc3339(crate::core::time::now().as_f64());
    tx.execute(
        "INSERT INTO tree_records (root, tree_hash, recorded_at, what) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (root) DO UPDATE SET tree_hash = excluded.tree_hash, recorded_at = excluded.recorded_at, what = excluded.what",
        params![root, tree_hash, now, what],
    )?;
    Ok(())
}
