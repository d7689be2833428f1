//! One output stream of a wrapped command: passed through unchanged as it
//! arrives, and measured on the way (bytes, SHA-256, the last lines).

use std::collections::VecDeque;
use std::io::{Read, Write};

use sha2::{Digest as _, Sha256};

/// The most lines, and bytes, of a stream's end that a run record keeps.
pub const TAIL_LINES: usize = 20;
pub const TAIL_BYTES: usize = 4096;

/// What a stream carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    pub bytes: u64,
    pub sha256: String,
    /// The last [`TAIL_LINES`] lines (at most [`TAIL_BYTES`] bytes), as text.
    pub tail: String,
}

/// Copies `from` to `to` until the end, flushing each chunk so the reader
/// sees output as the command writes it. A reader that goes away (a closed
/// pipe) stops the copying, not the measuring.
pub fn tee(mut from: impl Read, mut to: impl Write) -> std::io::Result<Captured> {
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    let mut tail: VecDeque<u8> = VecDeque::with_capacity(TAIL_BYTES);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut passing = true;
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = &buffer[..n];
        hasher.update(chunk);
        bytes += n as u64;
        for &b in chunk.iter().skip(n.saturating_sub(TAIL_BYTES)) {
            if tail.len() == TAIL_BYTES {
                tail.pop_front();
            }
            tail.push_back(b);
        }
        if passing && (to.write_all(chunk).is_err() || to.flush().is_err()) {
            passing = false;
        }
    }
    Ok(Captured { bytes, sha256: hex::encode(hasher.finalize()), tail: last_lines(tail.make_contiguous()) })
}

/// The last [`TAIL_LINES`] lines of `bytes`; a line cut by the byte cap
/// keeps its end.
fn last_lines(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.strip_suffix('\n').unwrap_or(&text);
    let lines: Vec<&str> = trimmed.rsplit('\n').take(TAIL_LINES).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_everything_through_and_keeps_the_end() {
        let input: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let mut out = Vec::new();
        let captured = tee(input.as_bytes(), &mut out).unwrap();
        assert_eq!(out, input.as_bytes());
        assert_eq!(captured.bytes, input.len() as u64);
        assert_eq!(captured.sha256, crate::core::hash::sha256_hex(input.as_bytes()));
        assert_eq!(captured.tail.lines().count(), TAIL_LINES);
        assert!(captured.tail.starts_with("line 80") && captured.tail.ends_with("line 99"), "{}", captured.tail);
        let long = "x".repeat(10_000);
        let captured = tee(long.as_bytes(), std::io::sink()).unwrap();
        assert_eq!(captured.tail.len(), TAIL_BYTES);
    }
}
