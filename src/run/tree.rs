//! A directory's state for `pruv run --watch`: every file the scanner's
//! walk sees (the same ignore rules), hashed, and the tree hash `pruv scan`
//! gives the same files; and what changed between two such states.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::error::Result;
use crate::scan::cache::Stamp;

/// Content hashes by path, trusted while a file's stat is unchanged, so a
/// watched tree is read once, not at every run (`Store::file_hashes`).
#[derive(Debug, Default)]
pub struct HashCache {
    known: HashMap<String, (Stamp, String)>,
    settled_before: i64,
    fresh: Mutex<Vec<(String, Stamp, String)>>,
}

impl HashCache {
    pub fn new(known: HashMap<String, (Stamp, String)>) -> HashCache {
        HashCache { known, settled_before: Stamp::settled_before(), fresh: Mutex::new(Vec::new()) }
    }

    fn lookup(&self, path: &str, stamp: &Stamp) -> Option<String> {
        self.known
            .get(path)
            .filter(|(known, _)| known == stamp && known.settled(self.settled_before))
            .map(|(_, h)| h.clone())
    }

    fn record(&self, path: &str, stamp: Stamp, hash: &str) {
        // A file changed within the clock's resolution is hashed again next time.
        if stamp.settled(self.settled_before) && self.known.get(path).is_none_or(|(s, h)| *s != stamp || h != hash) {
            self.fresh.lock().unwrap_or_else(|p| p.into_inner()).push((path.to_owned(), stamp, hash.to_owned()));
        }
    }

    /// The hashes learnt since this cache was loaded (what to save).
    pub fn take_fresh(&self) -> Vec<(String, Stamp, String)> {
        std::mem::take(&mut *self.fresh.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Path → SHA-256 of the content (of the link's target text, for a
/// symbolic link, as the scanner hashes it) and its kind and permission
/// bits (so a chmod is a change, though the tree hash, like `pruv scan`'s,
/// covers content only).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    pub files: BTreeMap<String, (String, Mode)>,
}

/// A file's kind and permission bits (`0o644`, `0o755`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    File(u32),
    Symlink,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub modified: Vec<String>,
}

impl Snapshot {
    pub fn take(dir: &Path, threads: usize) -> Result<Snapshot> {
        Snapshot::take_cached(dir, threads, &HashCache::default())
    }

    /// Like [`take`](Snapshot::take), reading only the files whose stat changed since `cache` saw them.
    /// `threads` walk the tree as the scanner's would (0: one per core).
    pub fn take_cached(dir: &Path, threads: usize, cache: &HashCache) -> Result<Snapshot> {
        let walk = crate::scan::walk::walk(dir, crate::scan::clamp_threads(threads, usize::MAX));
        let hashed: Vec<Result<(String, (String, Mode))>> = walk
            .files
            .par_iter()
            .map(|file| {
                let hash = if file.is_symlink {
                    let target =
                        std::fs::read_link(&file.absolute).map_err(|e| crate::error::Error::io(&file.path, e))?;
                    (crate::core::hash::sha256_hex(target.to_string_lossy().as_bytes()), Mode::Symlink)
                } else {
                    let stamp = Stamp::of(&file.absolute);
                    let cached = stamp.as_ref().and_then(|s| cache.lookup(&file.path, s));
                    let content = match cached {
                        Some(hash) => hash,
                        None => {
                            let (hash, _) = crate::bounded::hash_file(&file.absolute, &file.path)?;
                            if let Some(stamp) = stamp {
                                cache.record(&file.path, stamp, &hash);
                            }
                            hash
                        }
                    };
                    (content, Mode::File(permissions(&file.absolute)))
                };
                Ok((file.path.clone(), hash))
            })
            .collect();
        let mut files = BTreeMap::new();
        for entry in hashed {
            match entry {
                Ok((path, hash)) => {
                    files.insert(path, hash);
                }
                // A file removed while the walk ran is not part of the state.
                Err(crate::error::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {}
                Err(other) => return Err(other),
            }
        }
        Ok(Snapshot { files })
    }

    /// The tree hash, as `pruv scan` computes it over the same (path, hash) pairs.
    pub fn tree_hash(&self) -> String {
        crate::scan::graph::tree_hash(self.files.iter().map(|(p, (h, _))| (h.as_str(), p.as_str())))
    }

    pub fn changes_to(&self, after: &Snapshot) -> Changes {
        let mut changes = Changes::default();
        for (path, hash) in &after.files {
            match self.files.get(path) {
                None => changes.added.push(path.clone()),
                Some(before) if before != hash => changes.modified.push(path.clone()),
                Some(_) => {}
            }
        }
        changes.removed = self.files.keys().filter(|p| !after.files.contains_key(*p)).cloned().collect();
        changes
    }
}

#[cfg(unix)]
pub fn permissions(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
pub fn permissions(_: &Path) -> u32 {
    0o644
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_reused_while_the_stat_holds_and_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "one").unwrap();
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options().write(true).open(&file).unwrap().set_modified(an_hour_ago).unwrap();
        let real = crate::core::hash::sha256_hex(b"one");

        // Learnt once (its mtime is settled, but its ctime is now: not yet trusted).
        let cold = HashCache::default();
        assert_eq!(Snapshot::take_cached(dir.path(), 1, &cold).unwrap().files["a.txt"].0, real);

        // A known stamp is trusted without reading: a planted hash comes back.
        let mut matching = HashCache::new([("a.txt".to_owned(), (Stamp::of(&file).unwrap(), "f".repeat(64)))].into());
        matching.settled_before = i64::MAX;
        assert_eq!(Snapshot::take_cached(dir.path(), 1, &matching).unwrap().files["a.txt"].0, "f".repeat(64));

        // Any change of the stat reads the file again.
        std::fs::write(&file, "two").unwrap();
        assert_eq!(
            Snapshot::take_cached(dir.path(), 1, &matching).unwrap().files["a.txt"].0,
            crate::core::hash::sha256_hex(b"two")
        );
        // A file changed within the clock's resolution is not remembered.
        let fresh = HashCache::default();
        Snapshot::take_cached(dir.path(), 1, &fresh).unwrap();
        assert!(fresh.take_fresh().is_empty());
    }
}
