//! Reading inputs and writing files safely.

use std::io::Write as _;
use std::path::Path;

use crate::bounded;
use crate::core::json::{self, Value};
use crate::error::{Error, Result};

/// Reads a path, or standard input for `-`. Returns the text and a name for messages.
pub fn read_text(argument: &str) -> Result<(String, String)> {
    let limit = bounded::max_input()?;
    let bytes = if argument == "-" {
        bounded::read_limited(std::io::stdin().lock(), limit, "<stdin>")?
    } else {
        bounded::read_file(Path::new(argument), argument, limit)?
    };
    let name = if argument == "-" { "<stdin>" } else { argument };
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::InvalidInput(format!("{name}: not UTF-8 text (byte {}); give a text file", e.utf8_error().valid_up_to()))
    })?;
    Ok((text, name.to_owned()))
}

/// The text of the file at `path` (`name` in messages), size-capped.
pub fn read_path_text(path: &Path, name: &str) -> Result<String> {
    let bytes = bounded::read_file(path, name, bounded::max_input()?)?;
    String::from_utf8(bytes).map_err(|e| {
        Error::InvalidInput(format!("{name}: not UTF-8 text (byte {}); give a text file", e.utf8_error().valid_up_to()))
    })
}

/// Parses a JSON document from a path or `-`.
pub fn read_json(argument: &str) -> Result<(Value, String)> {
    let (text, origin) = read_text(argument)?;
    let value = json::parse(&text).map_err(|source| Error::Json { origin: origin.clone(), source })?;
    Ok((value, origin))
}

/// Parses an inline JSON argument, or `@FILE` / `@-`.
pub fn json_argument(flag: &str, argument: &str) -> Result<Value> {
    match argument.strip_prefix('@') {
        Some(path) => read_json(path).map(|(value, _)| value),
        None => json::parse(argument).map_err(|source| Error::Json { origin: flag.to_owned(), source }),
    }
}

/// Writes `contents` to `path` all at once or not at all: a temporary
/// file beside it, flushed to disk, then renamed over it.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| Error::InvalidInput(format!("{}: not a file path", path.display())))?;
    let temp = dir.join(format!(".{}.pruv-tmp-{}", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io(path, e)
    })
}

/// Creates a new file readable by its owner only (for secret keys).
pub fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
    file.write_all(contents).and_then(|()| file.sync_all()).map_err(|e| Error::io(path, e))
}

/// Loads a secret key for signing, warning when its file can be read by
/// others: whoever reads it can sign as its owner.
pub fn load_secret_key(path: &Path) -> Result<crate::core::sign::SecretKey> {
    let key = crate::core::sign::SecretKey::load(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(metadata) = std::fs::metadata(path)
            && metadata.permissions().mode() & 0o077 != 0
        {
            super::verdict::warn(&format!(
                "{}: the secret key file can be read by others (mode {:o}); `chmod 600 {}`",
                super::output::escape_controls(&path.display().to_string()),
                metadata.permissions().mode() & 0o777,
                super::output::escape_controls(&path.display().to_string()),
            ));
        }
    }
    Ok(key)
}
