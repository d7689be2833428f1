//! A directory's state for `pruv run --watch`: every file the scanner's
//! walk sees (the same ignore rules), hashed, and the tree hash `pruv scan`
//! gives the same files; and what changed between two such states.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::error::Result;

/// Path → SHA-256 of the content (of the link's target text, for a symbolic
/// link, as the scanner hashes it)
/// and whether the file is executable (so a chmod is a change, though the
/// tree hash, like `pruv scan`'s, covers content only).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    pub files: BTreeMap<String, (String, bool)>,
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
        let hashed: Vec<Result<(String, (String, bool))>> = walk
            .files
            .par_iter()
            .map(|file| {
                let hash = if file.is_symlink {
                    let target =
                        std::fs::read_link(&file.absolute).map_err(|e| crate::error::Error::io(&file.path, e))?;
                    (crate::core::hash::sha256_hex(target.to_string_lossy().as_bytes()), false)
                } else {
                    let (content, _) = crate::bounded::hash_file(&file.absolute, &file.path)?;
                    (content, executable(&file.absolute))
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
fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn executable(_: &Path) -> bool {
    false
}
