//! Which store a command uses: `--store DIR`, else `PRUV_STORE`, else the
//! nearest `.pruv/` holding a database, upward from the working directory.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{DB_FILE, STORE_DIR};
use crate::error::{Error, Result};

/// Where a store was looked for and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// Named by `--store` or `PRUV_STORE`: used as is, never searched for.
    Named(PathBuf),
    /// Found by walking up from the working directory.
    Discovered(PathBuf),
}

impl Located {
    pub fn path(&self) -> &Path {
        match self {
            Located::Named(path) | Located::Discovered(path) => path,
        }
    }
}

/// Resolves the store directory for a command that needs one.
pub fn locate(explicit: Option<&Path>, env: Option<&OsStr>, cwd: &Path) -> Result<Located> {
    if let Some(dir) = explicit {
        return Ok(Located::Named(absolute(cwd, dir)));
    }
    if let Some(dir) = env.filter(|v| !v.is_empty()) {
        return Ok(Located::Named(absolute(cwd, Path::new(dir))));
    }
    cwd.ancestors()
        .map(|dir| dir.join(STORE_DIR))
        .find(|candidate| candidate.join(DB_FILE).is_file())
        .map(Located::Discovered)
        .ok_or_else(|| Error::NoStore { searched: cwd.to_owned() })
}

fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() { path.to_owned() } else { cwd.join(path) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_discovery() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a/b/c");
        std::fs::create_dir_all(&nested).unwrap();
        assert!(matches!(locate(None, None, &nested), Err(Error::NoStore { .. })));

        // A `.pruv/` without a database (xycore's JSON files) is not a store.
        std::fs::create_dir_all(root.path().join("a/.pruv")).unwrap();
        assert!(matches!(locate(None, None, &nested), Err(Error::NoStore { .. })));
        std::fs::write(root.path().join("a/.pruv/pruv.db"), b"").unwrap();
        assert_eq!(locate(None, None, &nested).unwrap(), Located::Discovered(root.path().join("a/.pruv")));

        let env = root.path().join("env-store");
        assert_eq!(locate(None, Some(env.as_os_str()), &nested).unwrap(), Located::Named(env.clone()));
        assert_eq!(
            locate(Some(Path::new("x")), Some(env.as_os_str()), &nested).unwrap(),
            Located::Named(nested.join("x"))
        );
    }
}
