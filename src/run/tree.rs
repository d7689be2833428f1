//! A directory's state for `pruv run --watch`: every file the scanner's
//! walk sees (the same ignore rules), hashed, and the tree hash `pruv scan`
//! gives the same files; and what changed between two such states.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::error::Result;

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
        let walk = crate::scan::walk::walk(dir, threads);
        let hashed: Vec<Result<(String, (String, Mode))>> = walk
            .files
            .par_iter()
            .map(|file| {
                let hash = if file.is_symlink {
                    let target =
                        std::fs::read_link(&file.absolute).map_err(|e| crate::error::Error::io(&file.path, e))?;
                    (crate::core::hash::sha256_hex(target.to_string_lossy().as_bytes()), Mode::Symlink)
                } else {
                    let (content, _) = crate::bounded::hash_file(&file.absolute, &file.path)?;
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
