//! File-level changes: added, removed, modified, and renames found by
//! identical content.

use std::collections::{BTreeMap, HashMap};

use super::model::{FileChanges, Renamed};
use crate::scan::model::FileEntry;

pub fn compare(old: &[FileEntry], new: &[FileEntry]) -> FileChanges {
    let old_by_path: HashMap<&str, &str> = old.iter().map(|f| (f.path.as_str(), f.sha256.as_str())).collect();
    let new_by_path: HashMap<&str, &str> = new.iter().map(|f| (f.path.as_str(), f.sha256.as_str())).collect();
    let mut changes = FileChanges::default();
    let mut removed: Vec<&FileEntry> = Vec::new();
    for file in old {
        match new_by_path.get(file.path.as_str()) {
            None => removed.push(file),
            Some(hash) if *hash != file.sha256 => changes.modified.push(file.path.clone()),
            Some(_) => changes.unchanged += 1,
        }
    }
    // Removed files by content, each usable once, in path order: a rename
    // pairs the first removed path with the first added path of that content.
    let mut gone: BTreeMap<&str, std::collections::VecDeque<&str>> = BTreeMap::new();
    for file in &removed {
        gone.entry(file.sha256.as_str()).or_default().push_back(file.path.as_str());
    }
    let mut renamed_from = std::collections::HashSet::new();
    for file in new.iter().filter(|f| !old_by_path.contains_key(f.path.as_str())) {
        match gone.get_mut(file.sha256.as_str()).and_then(|paths| paths.pop_front()) {
            Some(from) => {
                renamed_from.insert(from);
                changes.renamed.push(Renamed { from: from.to_owned(), to: file.path.clone() });
            }
            None => changes.added.push(file.path.clone()),
        }
    }
    changes.removed =
        removed.iter().filter(|f| !renamed_from.contains(f.path.as_str())).map(|f| f.path.clone()).collect();
    changes.added.sort();
    changes.removed.sort();
    changes.modified.sort();
    changes.renamed.sort();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, hash: &str) -> FileEntry {
        FileEntry { path: path.into(), sha256: hash.into(), size: 1, language: None, symlink: None }
    }

    #[test]
    fn renames_pair_identical_content_once() {
        let old = [file("a.py", "1"), file("b.py", "2"), file("c.py", "3"), file("d.py", "4"), file("e.py", "4")];
        let new = [file("a.py", "1"), file("b.py", "9"), file("x/c.py", "3"), file("y.py", "4"), file("z.py", "5")];
        let changes = compare(&old, &new);
        assert_eq!(changes.unchanged, 1);
        assert_eq!(changes.modified, ["b.py"]);
        assert_eq!(
            changes.renamed,
            [Renamed { from: "c.py".into(), to: "x/c.py".into() }, Renamed { from: "d.py".into(), to: "y.py".into() }]
        );
        assert_eq!(changes.added, ["z.py"]);
        assert_eq!(changes.removed, ["e.py"]);
    }
}
