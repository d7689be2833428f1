//! Chains persisted in an embedded SQLite database (`.pruv/pruv.db`).
//!
//! Every write is one transaction. An append takes the write lock first
//! (`BEGIN IMMEDIATE`), then reads the head and writes the next entry, so
//! concurrent appenders, in threads or processes, queue up instead of
//! forking the chain; the `(chain_id, idx)` key makes a fork impossible
//! even if that logic were wrong. WAL journaling with `synchronous=FULL`
//! keeps the database consistent across a killed process or a power cut.

pub mod checkpoint;
mod ledger;
mod locate;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

pub use locate::{Located, locate};

use crate::core::chain::Chain;
use crate::core::entry::{Entry, Transition};
use crate::core::hash::GENESIS;
use crate::core::json::{self, Value};
use crate::core::sign::SecretKey;
use crate::core::time;
use crate::error::{Error, Result};
use crate::typed_state::{object, optional};

/// The directory name of a store, like `.git`.
pub const STORE_DIR: &str = ".pruv";
/// The database file inside it.
pub const DB_FILE: &str = "pruv.db";

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);
const MAX_NAME_CHARS: usize = 200;

pub struct Store {
    conn: Connection,
    dir: PathBuf,
}

/// A chain as listed: what it is and where its head is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainInfo {
    pub id: String,
    pub name: String,
    pub length: u64,
    pub head: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC time of the last entry, when there is one.
    pub last_entry_at: Option<String>,
}

impl Store {
    /// Creates a store in `dir` (or opens the one there). Returns whether it was new.
    pub fn init(dir: &Path) -> Result<(Store, bool)> {
        create_private_dir(dir)?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            // The store is local state, like .git: keep it out of `git status`.
            std::fs::write(&ignore, "# pruv's local store; never committed\n*\n").map_err(|e| Error::io(&ignore, e))?;
        }
        let created = !dir.join(DB_FILE).exists();
        if created {
            create_private_file(&dir.join(DB_FILE))?;
        }
        let conn = Connection::open(dir.join(DB_FILE)).map_err(|e| store_error(dir, e))?;
        let mut store = Store { conn, dir: dir.to_owned() };
        store.configure()?;
        store.migrate()?;
        Ok((store, created))
    }

    /// Opens the existing store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        let db = dir.join(DB_FILE);
        if !db.is_file() {
            return Err(Error::NotAStore { path: dir.to_owned() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&db, flags).map_err(|e| store_error(dir, e))?;
        let mut store = Store { conn, dir: dir.to_owned() };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens the existing store in `dir` for reading only: a command that
    /// only reads works on a store it cannot write (read-only media, a
    /// colleague's store). A store whose schema is older must be migrated,
    /// which writes; that one is opened as by [`Store::open`].
    pub fn open_read_only(dir: &Path) -> Result<Store> {
        let db = dir.join(DB_FILE);
        if !db.is_file() {
            return Err(Error::NotAStore { path: dir.to_owned() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open = |immutable: bool| -> rusqlite::Result<(Connection, i64)> {
            let conn = if immutable {
                // A WAL database needs its `-shm` file, which a reader that
                // cannot write the directory cannot create. With no `-wal`
                // file there is nothing beyond the database file itself to
                // read, so it is read as it is.
                Connection::open_with_flags(file_uri(&db, "immutable=1"), flags | OpenFlags::SQLITE_OPEN_URI)?
            } else {
                Connection::open_with_flags(&db, flags)?
            };
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let version = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
            Ok((conn, version))
        };
        let (conn, version) = match open(false) {
            Ok(opened) => opened,
            Err(_) if !wal_file(&db).exists() => open(true).map_err(|e| store_error(dir, e))?,
            Err(e) => return Err(store_error(dir, e)),
        };
        let store = Store { conn, dir: dir.to_owned() };
        match version {
            schema::VERSION => Ok(store),
            older if older < schema::VERSION => {
                drop(store);
                Store::open(dir)
            }
            newer => Err(Error::Store {
                path: dir.to_owned(),
                message: format!(
                    "written by a newer pruv (schema {newer}, this build reads {}); upgrade pruv",
                    schema::VERSION
                ),
            }),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.error(e))?;
        self.conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(|e| self.error(e))
    }

    fn migrate(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| store_error(&self.dir, e))?;
        let version: i64 =
            tx.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(|e| store_error(&self.dir, e))?;
        match version {
            0..=6 => {
                let steps = [schema::CREATE, schema::V2, schema::V3, schema::V4, schema::V5, schema::V6, schema::V7];
                tx.execute_batch(&steps[version as usize..].concat()).map_err(|e| store_error(&self.dir, e))?
            }
            schema::VERSION => {}
            newer => {
                return Err(Error::Store {
                    path: self.dir.clone(),
                    message: format!(
                        "written by a newer pruv (schema {newer}, this build reads {}); upgrade pruv",
                        schema::VERSION
                    ),
                });
            }
        }
        tx.commit().map_err(|e| store_error(&self.dir, e))
    }

    fn error(&self, e: rusqlite::Error) -> Error {
        store_error(&self.dir, e)
    }

    /// Creates an empty chain and returns its id.
    pub fn create_chain(&mut self, name: &str) -> Result<String> {
        validate_name(name)?;
        let id = new_chain_id()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| store_error(&self.dir, e))?;
        if let Some(existing) = find_by_name(&tx, name).map_err(|e| store_error(&self.dir, e))? {
            return Err(Error::ChainExists { name: name.to_owned(), id: existing });
        }
        insert_new_chain(&tx, &id, name).map_err(|e| store_error(&self.dir, e))?;
        tx.commit().map_err(|e| store_error(&self.dir, e))?;
        Ok(id)
    }

    /// The id of the chain named `name`, created empty when there is none
    /// (atomically: two callers get the same chain).
    pub fn chain_named(&mut self, name: &str) -> Result<String> {
        validate_name(name)?;
        let dir = self.dir.clone();
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| store_error(&dir, e))?;
        let id = chain_named_in(&tx, &dir, name)?;
        tx.commit().map_err(|e| store_error(&dir, e))?;
        Ok(id)
    }

    /// Every chain, by name.
    pub fn list(&self) -> Result<Vec<ChainInfo>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT c.id, c.name, c.created_at, h.idx, h.y, h.timestamp
                 FROM chains c
                 LEFT JOIN entries h ON h.chain_id = c.id
                   AND h.idx = (SELECT MAX(idx) FROM entries WHERE chain_id = c.id)
                 ORDER BY c.name",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([], |row| {
                let last_index: Option<i64> = row.get(3)?;
                let last_time: Option<String> = row.get(5)?;
                Ok(ChainInfo {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    created_at: display_time(&row.get::<_, String>(2)?),
                    length: last_index.map_or(0, |i| i as u64 + 1),
                    head: row.get::<_, Option<String>>(4)?.unwrap_or_else(|| GENESIS.to_owned()),
                    last_entry_at: last_time.as_deref().map(display_time),
                })
            })
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error(e))
    }

    /// Finds a chain by id (preferred) or name.
    pub fn resolve(&self, name_or_id: &str) -> Result<ChainInfo> {
        self.list()?
            .into_iter()
            .filter(|c| c.id == name_or_id || c.name == name_or_id)
            .min_by_key(|c| c.id != name_or_id)
            .ok_or_else(|| Error::UnknownChain { name: name_or_id.to_owned(), store: self.dir.clone() })
    }

    /// Appends the next entry to a chain, atomically with reading its head.
    pub fn append(&mut self, chain_id: &str, transition: Transition, key: Option<&SecretKey>) -> Result<Entry> {
        let dir = self.dir.clone();
        let err = |e| store_error(&dir, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let exists: bool = tx
            .query_row("SELECT EXISTS (SELECT 1 FROM chains WHERE id = ?1)", [chain_id], |row| row.get(0))
            .map_err(err)?;
        if !exists {
            return Err(Error::UnknownChain { name: chain_id.to_owned(), store: dir });
        }
        let entry = append_in(&tx, chain_id, transition, key).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(entry)
    }

    /// The whole chain.
    pub fn load(&self, chain_id: &str) -> Result<Chain> {
        load_chain(&self.conn, &self.dir, chain_id)
    }

    /// The entries after `index`, in order (what a waiting run polls for).
    pub fn entries_after(&self, chain_id: &str, index: u64) -> Result<Vec<Entry>> {
        let err = |e| store_error(&self.dir, e);
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT idx, timestamp, operation, x, y, xy, status, verified, metadata,
                        x_state, y_state, signature, signer_id, public_key
                 FROM entries WHERE chain_id = ?1 AND idx > ?2 ORDER BY idx",
            )
            .map_err(err)?;
        let mut rows = statement.query(params![chain_id, index as i64]).map_err(err)?;
        let mut entries = Vec::new();
        while let Some(row) = rows.next().map_err(err)? {
            entries.push(entry_from_row(row).map_err(err)?.map_err(|message| Error::Store {
                path: self.dir.clone(),
                message: format!("chain {chain_id}: {message}"),
            })?);
        }
        Ok(entries)
    }

    /// Stores a whole chain (already verified by the caller) under its own id.
    pub fn import(&mut self, chain: &Chain) -> Result<()> {
        validate_name(&chain.name)?;
        validate_id(&chain.id)?;
        let dir = self.dir.clone();
        let err = |e| store_error(&dir, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let existing: Option<String> = tx
            .query_row("SELECT name FROM chains WHERE id = ?1", [&chain.id], |row| row.get(0))
            .optional()
            .map_err(err)?;
        if let Some(name) = existing {
            return Err(Error::ChainIdExists { id: chain.id.clone(), name });
        }
        if let Some(id) = find_by_name(&tx, &chain.name).map_err(err)? {
            return Err(Error::ChainExists { name: chain.name.clone(), id });
        }
        let created_at = chain.entries.first().map_or_else(time::now, |e| e.timestamp.clone());
        tx.execute(
            "INSERT INTO chains (id, name, created_at, auto_redact, auto_checkpoint, checkpoint_interval)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                chain.id,
                chain.name,
                created_at.render(),
                chain.auto_redact,
                chain.auto_checkpoint,
                chain.checkpoint_interval as i64
            ],
        )
        .map_err(err)?;
        for entry in &chain.entries {
            insert_entry(&tx, &chain.id, entry).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Records a scan and links it into the scan history of `root` (a chain
    /// whose entry n holds scan n's hashes, so its X is scan n−1's state),
    /// in one transaction. Returns the scan's short id (8 hex digits).
    pub fn record_scan(&mut self, root: &str, document: &crate::scan::model::ScanDocument) -> Result<String> {
        let text = serde_json::to_string(document)
            .map_err(|e| Error::Store { path: self.dir.clone(), message: e.to_string() })?;
        let dir = self.dir.clone();
        let err = |e| store_error(&dir, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let id = unused_short_id(&tx, &dir, "scans")?;
        let services = document.services.iter().filter(|s| !s.kind.is_external()).count() as i64;
        let git = document.git.as_ref();
        let history = chain_named_in(&tx, &dir, &history_chain_name(root))?;
        let state = history_state(&id, root, document, services as u64);
        let entry = append_in(&tx, &history, Transition::new("scan", Some(state)), None).map_err(err)?;
        tx.execute(
            "INSERT INTO scans (id, root, scanned_at, tree_hash, graph_hash, files, services, document,
                                git_commit, git_rev, history_chain, history_idx)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                id,
                root,
                document.scanned_at,
                document.tree_hash,
                document.graph_hash,
                document.stats.files as i64,
                services,
                text,
                git.map(|g| g.commit.as_str()),
                git.and_then(|g| g.rev.as_deref()),
                history,
                entry.index as i64,
            ],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(id)
    }

    /// How many scans are recorded for `root`.
    pub fn scan_count(&self, root: &str) -> Result<u64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM scans WHERE root = ?1", [root], |row| row.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.error(e))
    }

    /// The scans recorded for `root`, newest first.
    pub fn scans(&self, root: &str) -> Result<Vec<ScanRecord>> {
        let mut statement = self
            .conn
            .prepare(&format!("SELECT {SCAN_COLUMNS} FROM scans WHERE root = ?1 ORDER BY rowid DESC"))
            .map_err(|e| self.error(e))?;
        let rows = statement.query_map([root], scan_record).map_err(|e| self.error(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error(e))
    }

    /// A recorded scan by id, or by an unambiguous prefix of at least 4 hex digits.
    pub fn find_scan(&self, id: &str) -> Result<Option<(ScanRecord, crate::scan::model::ScanDocument)>> {
        if id.len() < 4 || id.len() > 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let mut statement = self
            .conn
            .prepare(&format!("SELECT {SCAN_COLUMNS}, document FROM scans WHERE id LIKE ?1 || '%' LIMIT 2"))
            .map_err(|e| self.error(e))?;
        let found: Vec<(ScanRecord, String)> = statement
            .query_map([id.to_ascii_lowercase()], |row| Ok((scan_record(row)?, row.get(SCAN_COLUMN_COUNT)?)))
            .map_err(|e| self.error(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.error(e))?;
        match found.as_slice() {
            [] => Ok(None),
            [(record, text)] => {
                let document = serde_json::from_str(text).map_err(|e| Error::Store {
                    path: self.dir.clone(),
                    message: format!("scan {}: unreadable document: {e}", record.id),
                })?;
                Ok(Some((record.clone(), document)))
            }
            _ => {
                Err(Error::InvalidInput(format!("scan id {id:?} is ambiguous; give more of it (`pruv log` lists ids)")))
            }
        }
    }

    /// The scan cache of `root`, as written by this build of the scanner.
    pub fn load_scan_cache(&self, root: &str) -> Result<crate::scan::cache::Known> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT path, size, mtime_ns, ctime_ns, inode, sha256, language, analysis
                 FROM scan_cache WHERE root = ?1 AND fingerprint = ?2 ORDER BY path",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([root, crate::scan::cache::FINGERPRINT], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    crate::scan::cache::CachedFile {
                        size: row.get::<_, i64>(1)? as u64,
                        mtime_ns: row.get(2)?,
                        ctime_ns: row.get(3)?,
                        inode: row.get::<_, i64>(4)? as u64,
                        sha256: row.get(5)?,
                        language: row.get(6)?,
                        analysis: row.get(7)?,
                    },
                ))
            })
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error(e))
    }

    /// Writes a scan's cache changes in one transaction, dropping rows of other scanner builds.
    pub fn save_scan_cache(&mut self, root: &str, changes: &crate::scan::cache::CacheChanges) -> Result<()> {
        let dir = self.dir.clone();
        let err = |e| store_error(&dir, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let fingerprint = crate::scan::cache::FINGERPRINT;
        tx.execute("DELETE FROM scan_cache WHERE root = ?1 AND fingerprint <> ?2", [root, fingerprint]).map_err(err)?;
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO scan_cache
                       (root, path, fingerprint, size, mtime_ns, ctime_ns, inode, sha256, language, analysis)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(err)?;
            for (path, file) in &changes.upserts {
                upsert
                    .execute(params![
                        root,
                        path,
                        fingerprint,
                        file.size as i64,
                        file.mtime_ns,
                        file.ctime_ns,
                        file.inode as i64,
                        file.sha256,
                        file.language,
                        file.analysis
                    ])
                    .map_err(err)?;
            }
            let mut remove = tx.prepare_cached("DELETE FROM scan_cache WHERE root = ?1 AND path = ?2").map_err(err)?;
            for path in &changes.removed {
                remove.execute([root, path]).map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// The id of the chain that links the scans of `root`, once there is one.
    pub fn history_chain(&self, root: &str) -> Result<Option<String>> {
        find_by_name(&self.conn, &history_chain_name(root)).map_err(|e| self.error(e))
    }

    /// SQLite's own consistency check; `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).map_err(|e| self.error(e))
    }
}

/// Registers an empty chain created now, with the default settings.
/// The id of the chain named `name`, created empty if there is none, in the caller's transaction.
fn chain_named_in(tx: &rusqlite::Transaction<'_>, dir: &Path, name: &str) -> Result<String> {
    if let Some(id) = find_by_name(tx, name).map_err(|e| store_error(dir, e))? {
        return Ok(id);
    }
    let id = new_chain_id()?;
    insert_new_chain(tx, &id, name).map_err(|e| store_error(dir, e))?;
    Ok(id)
}

/// A random 8-hex-digit id no row of `table` (`scans`, `checkpoints`) has yet.
fn unused_short_id(tx: &rusqlite::Transaction<'_>, dir: &Path, table: &'static str) -> Result<String> {
    let query = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)");
    loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes)?;
        let id = hex::encode(bytes);
        let taken: bool = tx.query_row(&query, [&id], |row| row.get(0)).map_err(|e| store_error(dir, e))?;
        if !taken {
            return Ok(id);
        }
    }
}

fn insert_new_chain(tx: &rusqlite::Transaction<'_>, id: &str, name: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO chains (id, name, created_at, auto_redact, auto_checkpoint, checkpoint_interval)
         VALUES (?1, ?2, ?3, 0, 0, 20)",
        params![id, name, time::now().render()],
    )?;
    Ok(())
}

/// Reads the head of `chain_id` and writes the entry after it, inside the caller's transaction.
fn append_in(
    tx: &rusqlite::Transaction<'_>,
    chain_id: &str,
    transition: Transition,
    key: Option<&SecretKey>,
) -> rusqlite::Result<Entry> {
    let head: Option<(i64, String)> = tx
        .query_row("SELECT idx, y FROM entries WHERE chain_id = ?1 ORDER BY idx DESC LIMIT 1", [chain_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    let index = head.as_ref().map_or(0, |(i, _)| *i as u64 + 1);
    let entry = Entry::next(index, head.as_ref().map(|(_, y)| y.as_str()), transition, key);
    insert_entry(tx, chain_id, &entry)?;
    Ok(entry)
}

/// A recorded scan as `pruv log` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanRecord {
    pub id: String,
    pub root: String,
    pub scanned_at: String,
    pub tree_hash: String,
    pub graph_hash: String,
    pub files: u64,
    pub services: u64,
    pub git_commit: Option<String>,
    pub git_rev: Option<String>,
    /// The scan's entry in the root's history chain (absent for scans recorded before schema 3).
    pub history_index: Option<u64>,
}

const SCAN_COLUMNS: &str =
    "id, root, scanned_at, tree_hash, graph_hash, files, services, git_commit, git_rev, history_idx";
const SCAN_COLUMN_COUNT: usize = 10;

fn scan_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<ScanRecord> {
    Ok(ScanRecord {
        id: row.get(0)?,
        root: row.get(1)?,
        scanned_at: row.get(2)?,
        tree_hash: row.get(3)?,
        graph_hash: row.get(4)?,
        files: row.get::<_, i64>(5)? as u64,
        services: row.get::<_, i64>(6)? as u64,
        git_commit: row.get(7)?,
        git_rev: row.get(8)?,
        history_index: row.get::<_, Option<i64>>(9)?.map(|i| i as u64),
    })
}

/// The history chain's name: one per scanned root.
fn history_chain_name(root: &str) -> String {
    let name = format!("scans of {root}");
    if name.chars().count() <= MAX_NAME_CHARS {
        return name;
    }
    // Keep the end of a very long path (the part that tells roots apart) and a hash of all of it.
    let tail: String = root.chars().rev().take(MAX_NAME_CHARS - 40).collect::<Vec<_>>().into_iter().rev().collect();
    format!("scans of …{tail} #{}", &crate::core::hash::sha256_hex(root.as_bytes())[..12])
}

/// What a history entry binds: the scan's identity and its two hashes.
fn history_state(id: &str, root: &str, document: &crate::scan::model::ScanDocument, services: u64) -> Value {
    object([
        ("scan", id.into()),
        ("root", root.into()),
        ("scanned_at", document.scanned_at.as_str().into()),
        ("tree_hash", document.tree_hash.as_str().into()),
        ("graph_hash", document.graph_hash.as_str().into()),
        ("files", document.stats.files.into()),
        ("services", services.into()),
        ("git_commit", optional(document.git.as_ref().map(|g| g.commit.as_str()))),
    ])
}

fn insert_entry(tx: &rusqlite::Transaction<'_>, chain_id: &str, entry: &Entry) -> rusqlite::Result<()> {
    let mut statement = tx.prepare_cached(
        "INSERT INTO entries (chain_id, idx, timestamp, operation, x, y, xy, status, verified, metadata,
                              x_state, y_state, signature, signer_id, public_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    statement.execute(params![
        chain_id,
        entry.index as i64,
        entry.timestamp.render(),
        entry.operation,
        entry.x,
        entry.y,
        entry.xy,
        entry.status,
        entry.verified,
        json::compact(&entry.metadata),
        entry.x_state.as_ref().map(json::compact),
        entry.y_state.as_ref().map(json::compact),
        entry.signature,
        entry.signer_id,
        entry.public_key,
    ])?;
    Ok(())
}

fn find_by_name(tx: &Connection, name: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row("SELECT id FROM chains WHERE name = ?1", [name], |row| row.get(0)).optional()
}

/// `path` as an SQLite `file:` URI with a query, percent-encoding what a URI reserves.
fn file_uri(path: &Path, query: &str) -> String {
    let mut uri = String::from("file:");
    for byte in path.as_os_str().as_encoded_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(*byte as char),
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    format!("{uri}?{query}")
}

fn wal_file(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// The store's directory, owner-only: the scan cache and the chains are
/// nobody else's business. An existing directory is left as it is.
fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| Error::io(dir, e))
}

/// An empty database file readable by its owner only; SQLite gives its
/// `-wal` and `-shm` files the same mode.
fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path).map(drop).map_err(|e| Error::io(path, e))
}

/// The whole chain, read through `conn` (the store's, or a transaction's).
fn load_chain(conn: &Connection, dir: &Path, chain_id: &str) -> Result<Chain> {
    let err = |e| store_error(dir, e);
    let (name, auto_redact, auto_checkpoint, checkpoint_interval): (String, bool, bool, i64) = conn
        .query_row(
            "SELECT name, auto_redact, auto_checkpoint, checkpoint_interval FROM chains WHERE id = ?1",
            [chain_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()
        .map_err(err)?
        .ok_or_else(|| Error::UnknownChain { name: chain_id.to_owned(), store: dir.to_owned() })?;
    let mut statement = conn
        .prepare(
            "SELECT idx, timestamp, operation, x, y, xy, status, verified, metadata,
                        x_state, y_state, signature, signer_id, public_key
                 FROM entries WHERE chain_id = ?1 ORDER BY idx",
        )
        .map_err(err)?;
    let mut rows = statement.query([chain_id]).map_err(err)?;
    let mut entries = Vec::new();
    while let Some(row) = rows.next().map_err(err)? {
        entries.push(entry_from_row(row).map_err(err)?.map_err(|message| Error::Store {
            path: dir.to_owned(),
            message: format!("chain {chain_id}: {message}"),
        })?);
    }
    Ok(Chain {
        id: chain_id.to_owned(),
        name,
        entries,
        auto_redact,
        auto_checkpoint,
        checkpoint_interval: checkpoint_interval as u64,
    })
}

fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Entry, String>> {
    let json_column = |i: usize| -> rusqlite::Result<Result<Option<Value>, String>> {
        let text: Option<String> = row.get(i)?;
        Ok(text.map(|t| json::parse(&t).map_err(|e| format!("unreadable JSON in the store: {e}"))).transpose())
    };
    let index: i64 = row.get(0)?;
    let timestamp_text: String = row.get(1)?;
    let timestamp = match json::parse(&timestamp_text) {
        Ok(Value::Number(n)) => n,
        _ => return Ok(Err(format!("entry {index}: unreadable timestamp {timestamp_text:?}"))),
    };
    let metadata = match json_column(8)? {
        Ok(value) => value.unwrap_or_else(Value::empty_object),
        Err(message) => return Ok(Err(message)),
    };
    let (x_state, y_state) = match (json_column(9)?, json_column(10)?) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(message), _) | (_, Err(message)) => return Ok(Err(message)),
    };
    Ok(Ok(Entry {
        index: index as u64,
        timestamp,
        operation: row.get(2)?,
        x: row.get(3)?,
        y: row.get(4)?,
        xy: row.get(5)?,
        status: row.get(6)?,
        verified: row.get(7)?,
        metadata,
        x_state,
        y_state,
        signature: row.get(11)?,
        signer_id: row.get(12)?,
        public_key: row.get(13)?,
    }))
}

fn store_error(dir: &Path, e: rusqlite::Error) -> Error {
    Error::Store { path: dir.to_owned(), message: e.to_string() }
}

fn validate_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::InvalidInput("a chain name must not be empty".into()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::InvalidInput(format!("chain name is longer than {MAX_NAME_CHARS} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::InvalidInput(format!("chain name {name:?} contains control characters")));
    }
    Ok(())
}

/// The most characters an imported chain id may have.
const MAX_ID_CHARS: usize = 128;

/// An imported chain's id becomes a key and is printed and passed on the
/// command line: letters, digits, `-`, `_` and `.` only (xycore's ids are
/// hex, UUIDs fit), not empty, not over [`MAX_ID_CHARS`].
fn validate_id(id: &str) -> Result<()> {
    let valid = !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "chain id {id:?} is not a valid id (1 to {MAX_ID_CHARS} letters, digits, `-`, `_` or `.`); fix the document's `id`"
        )))
    }
}

/// 12 random hex digits, the shape of xycore's ids.
fn new_chain_id() -> Result<String> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}

fn display_time(stored: &str) -> String {
    match json::parse(stored) {
        Ok(Value::Number(n)) => time::rfc3339(n.as_f64()),
        _ => stored.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_document(tree: &str) -> crate::scan::model::ScanDocument {
        serde_json::from_value(serde_json::json!({
            "format": "pruv.scan/1", "root": ".", "scanned_at": "2026-01-01T00:00:00Z",
            "graph_hash": "g", "tree_hash": tree,
            "stats": {"files": 1, "bytes": 1, "parsed": 0, "skipped": 0, "duration_ms": 0},
            "files": [], "services": [], "env_vars": [], "connections": []
        }))
        .unwrap()
    }

    /// A store written by schema 2 opens, keeps its scans, and links new ones.
    #[test]
    fn schema_2_stores_migrate() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            conn.execute_batch(&format!("{}{}", schema::CREATE, schema::V2)).unwrap();
            conn.execute(
                "INSERT INTO scans VALUES ('0000abcd', '/r', '2026-01-01T00:00:00Z', 't0', 'g', 1, 0, ?1)",
                [serde_json::to_string(&scan_document("t0")).unwrap()],
            )
            .unwrap();
        }
        let mut store = Store::open(dir.path()).unwrap();
        let version: i64 = store.conn.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
        assert_eq!(version, schema::VERSION);
        let id = store.record_scan("/r", &scan_document("t1")).unwrap();
        let scans = store.scans("/r").unwrap();
        assert_eq!(
            scans.iter().map(|s| (s.id.as_str(), s.history_index)).collect::<Vec<_>>(),
            [(id.as_str(), Some(0)), ("0000abcd", None)]
        );
        assert_eq!(store.find_scan("0000").unwrap().unwrap().1.tree_hash, "t0");
        let history = store.load(&store.history_chain("/r").unwrap().unwrap()).unwrap();
        assert_eq!(history.entries.len(), 1);
        let state = history.entries[0].y_state.as_ref().and_then(Value::as_object).unwrap();
        assert_eq!(state.get("tree_hash").and_then(Value::as_str), Some("t1"));
    }

    /// Rows another build of the scanner wrote are never read, and go at the next save.
    #[test]
    fn the_scan_cache_is_per_scanner_build() {
        use crate::scan::cache::{CacheChanges, CachedFile};
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::init(dir.path()).unwrap();
        let file = |sha: &str| CachedFile {
            size: 1,
            mtime_ns: 5,
            ctime_ns: 5,
            inode: 7,
            sha256: sha.into(),
            language: None,
            analysis: None,
        };
        let changes = CacheChanges { upserts: vec![("a".into(), file("1")), ("b".into(), file("2"))], removed: vec![] };
        store.save_scan_cache("/r", &changes).unwrap();
        assert_eq!(store.load_scan_cache("/r").unwrap().len(), 2);
        assert!(store.load_scan_cache("/other").unwrap().is_empty());
        store.conn.execute("UPDATE scan_cache SET fingerprint = 'old' WHERE path = 'a'", []).unwrap();
        let paths: Vec<String> = store.load_scan_cache("/r").unwrap().into_iter().map(|(path, _)| path).collect();
        assert_eq!(paths, ["b"]);
        let removal = CacheChanges { upserts: vec![], removed: vec!["b".into()] };
        store.save_scan_cache("/r", &removal).unwrap();
        let left: i64 = store.conn.query_row("SELECT COUNT(*) FROM scan_cache", [], |row| row.get(0)).unwrap();
        assert_eq!(left, 0, "the stale row and the removed one are gone");
    }

    #[test]
    fn scan_ids_resolve_by_unambiguous_prefix_only() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::init(dir.path()).unwrap();
        let id = store.record_scan("/r", &scan_document("t")).unwrap();
        assert_eq!(store.find_scan(&id[..4]).unwrap().unwrap().0.id, id);
        assert!(store.find_scan("abc").unwrap().is_none(), "too short to be an id");
        assert!(store.find_scan("zzzz").unwrap().is_none(), "not hex");
        // Names that look like ids but match nothing fall through to other resolvers.
        let other = if id.starts_with('0') { "ffff" } else { "0000" };
        assert!(store.find_scan(other).unwrap().is_none());
    }
}
