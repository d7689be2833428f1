//! Reading user-supplied input with a size cap. Files like `/dev/zero`,
//! `/proc/self/pagemap` or a FIFO fed by another process never end or
//! report a size of 0: nothing given to pruv is read without a limit.
//!
//! Documents (chain exports, receipts, states, scan documents, policies)
//! are capped at [`DEFAULT_MAX_INPUT`] bytes, which `PRUV_MAX_INPUT`
//! overrides (`PRUV_MAX_INPUT=512M`). Key files are capped at
//! [`MAX_KEY_FILE`]; they are a few hundred bytes.

use std::io::Read;
use std::path::Path;

use sha2::{Digest as _, Sha256};

use crate::error::{Error, Result};

/// The default cap on one input document: far above any real export.
pub const DEFAULT_MAX_INPUT: u64 = 64 << 20;
/// The environment variable that overrides [`DEFAULT_MAX_INPUT`].
pub const MAX_INPUT_VAR: &str = "PRUV_MAX_INPUT";
/// Key files hold one line of base64; anything bigger is not a key.
pub const MAX_KEY_FILE: u64 = 64 << 10;

/// The cap on one input document: `PRUV_MAX_INPUT` (bytes, or with a
/// K/M/G suffix) when set and valid, else [`DEFAULT_MAX_INPUT`].
pub fn max_input() -> Result<u64> {
    match std::env::var(MAX_INPUT_VAR) {
        Ok(text) => parse_size(&text).ok_or_else(|| {
            Error::InvalidInput(format!(
                "{MAX_INPUT_VAR}={text:?} is not a size; give bytes, optionally with K, M or G (e.g. 256M)"
            ))
        }),
        Err(_) => Ok(DEFAULT_MAX_INPUT),
    }
}

/// `1024`, `64K`, `256M`, `2G` (binary multiples).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, shift) = match text.char_indices().last()? {
        (i, 'k' | 'K') => (&text[..i], 10),
        (i, 'm' | 'M') => (&text[..i], 20),
        (i, 'g' | 'G') => (&text[..i], 30),
        _ => (text, 0),
    };
    let n: u64 = digits.parse().ok()?;
    n.checked_mul(1u64 << shift).filter(|n| *n > 0)
}

/// Reads all of `reader`, or fails once more than `limit` bytes come.
pub fn read_limited(reader: impl Read, limit: u64, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Error::io(name, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge { what: name.to_owned(), limit });
    }
    Ok(bytes)
}

/// Opens `path` for reading, refusing what is not a file: a directory
/// is invalid input, and a FIFO would block until a writer comes.
fn open_file(path: &Path, name: &str) -> Result<std::fs::File> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(name, e))?;
    if metadata.is_dir() {
        return Err(Error::InvalidInput(format!("{name}: is a directory; give a file")));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if metadata.file_type().is_fifo() || metadata.file_type().is_socket() {
            return Err(Error::InvalidInput(format!("{name}: is a pipe or socket; give a file, or `-` for stdin")));
        }
    }
    std::fs::File::open(path).map_err(|e| Error::io(name, e))
}

/// The bytes of the file at `path`, at most `limit` of them.
pub fn read_file(path: &Path, name: &str, limit: u64) -> Result<Vec<u8>> {
    read_limited(open_file(path, name)?, limit, name)
}

/// The SHA-256 of the regular file at `path` and its size, read in a
/// stream. Only regular files: a device (`/dev/zero`) never ends, and a
/// file that keeps growing past the size it had when opened is refused.
pub fn hash_file(path: &Path, name: &str) -> Result<(String, u64)> {
    let file = open_file(path, name)?;
    let metadata = file.metadata().map_err(|e| Error::io(name, e))?;
    if !metadata.is_file() {
        return Err(Error::InvalidInput(format!("{name}: not a regular file (a device?); give a file")));
    }
    let expected = metadata.len();
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut total = 0u64;
    let mut reader = file.take(expected.saturating_add(1));
    loop {
        let n = reader.read(&mut buffer).map_err(|e| Error::io(name, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        total += n as u64;
    }
    if total != expected {
        return Err(Error::InvalidInput(format!(
            "{name}: its size changed while it was read ({expected} bytes when opened); try again once it is written"
        )));
    }
    Ok((hex::encode(hasher.finalize()), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_suffixes() {
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("64K"), Some(64 << 10));
        assert_eq!(parse_size("2g"), Some(2 << 30));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size(""), None);
    }

    #[test]
    fn an_endless_reader_stops_at_the_limit() {
        let endless = std::io::repeat(0);
        match read_limited(endless, 1000, "zeros") {
            Err(Error::TooLarge { limit: 1000, .. }) => {}
            other => panic!("{other:?}"),
        }
        assert_eq!(read_limited(&b"abc"[..], 3, "x").unwrap(), b"abc");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_device_is_not_hashed() {
        assert!(matches!(hash_file(Path::new("/dev/zero"), "/dev/zero"), Err(Error::InvalidInput(_))));
        assert!(matches!(read_file(Path::new("/dev/zero"), "z", 10), Err(Error::TooLarge { .. })));
    }
}
