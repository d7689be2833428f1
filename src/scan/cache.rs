//! The incremental scan cache: what each file of a tree gave at the last
//! scan, keyed by path and checked against the file's size, mtime, ctime
//! and inode. A file whose stat is unchanged is neither read nor parsed; a
//! file whose stat changed is read and hashed, and parsed only when its
//! content changed. Entries written by another build of the scanner (its
//! code and rules fingerprinted by `build.rs`) are never used.
//!
//! The library only reads a snapshot and reports changes; the caller loads
//! and saves them (`Store::load_scan_cache`, `Store::save_scan_cache`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::model::FileEntry;
use super::process::{self, Processed};
use super::walk::Walked;

/// The scanner build whose results a cache entry holds.
pub const FINGERPRINT: &str = env!("PRUV_SCANNER_FINGERPRINT");

/// A file modified this close to the scan may change again within the
/// clock's resolution without its stamp changing ("racy git"): its stat
/// is recorded as unverified, so the next scan re-hashes it.
const RACY_NS: i64 = 2_000_000_000;
/// The stamp of an entry that must be re-hashed before it is trusted.
const UNVERIFIED: i64 = -1;

/// What the cache knew about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedFile {
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub inode: u64,
    pub sha256: String,
    pub language: Option<String>,
    /// The file's full result as JSON, when it gave more than its hash.
    pub analysis: Option<String>,
}

/// The cache of one tree, sorted by path (binary search beats hashing 10⁵ paths).
pub type Known = Vec<(String, CachedFile)>;

/// What to write back: new or changed entries, and paths that are gone.
#[derive(Debug, Default)]
pub struct CacheChanges {
    pub upserts: Vec<(String, CachedFile)>,
    pub removed: Vec<String>,
}

/// How much work a scan did, file by file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Work {
    /// Taken from the cache without being read.
    pub reused: u64,
    /// Read and hashed.
    pub read: u64,
    /// Analysed afresh: prefilter, parsers, configuration readers.
    pub analysed: u64,
    /// Of those, parsed by tree-sitter: files, bytes, and rule files run over them.
    pub parsed: u64,
    pub parsed_bytes: u64,
    pub rule_files: u64,
}

impl Work {
    /// Counts one freshly analysed file.
    pub fn add_analysed(&mut self, processed: &Processed) {
        self.analysed += 1;
        if let Some(work) = processed.tree_sitter {
            self.parsed += 1;
            self.parsed_bytes += work.bytes;
            self.rule_files += u64::from(work.rule_files);
        }
    }
}

pub struct Cache {
    known: Known,
    /// Stamps at or after this are too recent to trust.
    trust_before_ns: i64,
    updates: Mutex<Vec<(String, CachedFile)>>,
    reused: AtomicU64,
    read: AtomicU64,
    analysed: Mutex<Work>,
}

/// A file's stat, as the cache compares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub inode: u64,
}

impl Stamp {
    /// The stat of the file at `path` (not following a link).
    pub fn of(path: &std::path::Path) -> Option<Stamp> {
        let metadata = std::fs::symlink_metadata(path).ok()?;
        #[cfg(unix)]
        let (ctime_ns, inode) = {
            use std::os::unix::fs::MetadataExt as _;
            (metadata.ctime().saturating_mul(1_000_000_000).saturating_add(metadata.ctime_nsec()), metadata.ino())
        };
        #[cfg(not(unix))]
        let (ctime_ns, inode) = (0, 0);
        let mtime_ns = metadata.modified().map_or(0, nanos);
        Some(Stamp { size: metadata.len(), mtime_ns, ctime_ns, inode })
    }

    /// Old enough that a change within the clock's resolution would have moved it.
    pub fn settled(&self, before_ns: i64) -> bool {
        self.mtime_ns < before_ns && self.ctime_ns < before_ns
    }

    /// Before this instant, a stamp is [`settled`](Stamp::settled) now.
    pub fn settled_before() -> i64 {
        now_ns() - RACY_NS
    }
}

impl Cache {
    pub fn new(mut known: Known) -> Cache {
        known.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Cache {
            known,
            trust_before_ns: Stamp::settled_before(),
            updates: Mutex::new(Vec::new()),
            reused: AtomicU64::new(0),
            read: AtomicU64::new(0),
            analysed: Mutex::new(Work::default()),
        }
    }

    /// The file's result: from the cache when its stat or content is unchanged.
    pub fn process(&self, file: &Walked) -> Processed {
        if file.is_symlink {
            // A link is its target text: cheaper to read again than to look up.
            self.read.fetch_add(1, Ordering::Relaxed);
            return process::process_symlink(file);
        }
        let stamp = stamp(file);
        let cached =
            self.known.binary_search_by(|(path, _)| path.as_str().cmp(&file.path)).ok().map(|i| &self.known[i].1);
        if let (Some(stamp), Some(cached)) = (&stamp, cached)
            && cached.mtime_ns != UNVERIFIED
            && (cached.size, cached.mtime_ns, cached.ctime_ns, cached.inode)
                == (stamp.size, stamp.mtime_ns, stamp.ctime_ns, stamp.inode)
            && let Some(processed) = restore(&file.path, cached)
        {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return processed;
        }
        self.read.fetch_add(1, Ordering::Relaxed);
        let content = match process::read(file) {
            Ok(content) => content,
            Err(warning) => return Processed::unreadable(warning),
        };
        let sha256 = content.sha256();
        let same_content = cached.filter(|c| c.sha256 == sha256).and_then(|c| restore(&file.path, c));
        let processed = match same_content {
            Some(processed) => processed,
            None => {
                let processed = process::analyse(&file.path, &content, sha256);
                self.analysed.lock().unwrap_or_else(|p| p.into_inner()).add_analysed(&processed);
                processed
            }
        };
        if let (Some(stamp), Some(entry)) = (stamp, &processed.entry) {
            let trusted = stamp.settled(self.trust_before_ns);
            let record = CachedFile {
                size: stamp.size,
                mtime_ns: if trusted { stamp.mtime_ns } else { UNVERIFIED },
                ctime_ns: stamp.ctime_ns,
                inode: stamp.inode,
                sha256: entry.sha256.clone(),
                language: entry.language.clone(),
                analysis: worth_keeping(&processed).then(|| serde_json::to_string(&processed).ok()).flatten(),
            };
            if cached != Some(&record) {
                self.updates.lock().unwrap_or_else(|p| p.into_inner()).push((file.path.clone(), record));
            }
        }
        processed
    }

    /// The work done and the changes to save; `present` is every path the walk found.
    pub fn finish<'a>(self, present: impl IntoIterator<Item = &'a str>) -> (Work, CacheChanges) {
        let work = Work {
            reused: self.reused.into_inner(),
            read: self.read.into_inner(),
            ..self.analysed.into_inner().unwrap_or_else(|p| p.into_inner())
        };
        let mut present: Vec<&str> = present.into_iter().collect();
        present.sort_unstable();
        let removed: Vec<String> = self
            .known
            .into_iter()
            .map(|(path, _)| path)
            .filter(|p| present.binary_search(&p.as_str()).is_err())
            .collect();
        let mut upserts = self.updates.into_inner().unwrap_or_else(|p| p.into_inner());
        upserts.sort_by(|a, b| a.0.cmp(&b.0));
        (work, CacheChanges { upserts, removed })
    }
}

/// Only results that say more than the hash are stored whole.
fn worth_keeping(processed: &Processed) -> bool {
    !processed.code.is_empty()
        || processed.config.is_some()
        || processed.entry_point
        || !processed.imports.is_empty()
        || processed.parsed
        || processed.warning.is_some()
}

fn restore(path: &str, cached: &CachedFile) -> Option<Processed> {
    match &cached.analysis {
        Some(json) => {
            serde_json::from_str::<Processed>(json).ok().filter(|p| p.entry.as_ref().is_some_and(|e| e.path == path))
        }
        None => Some(Processed::hashed(FileEntry {
            path: path.to_owned(),
            sha256: cached.sha256.clone(),
            size: cached.size,
            language: cached.language.clone(),
            symlink: None,
        })),
    }
}

fn stamp(file: &Walked) -> Option<Stamp> {
    Stamp::of(&file.absolute)
}

fn now_ns() -> i64 {
    nanos(std::time::SystemTime::now())
}

/// Nanoseconds since the Unix epoch (0 before it).
fn nanos(time: std::time::SystemTime) -> i64 {
    time.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}
