//! Fingerprints the scanner's code and rules, so a scan cache written by
//! another build of the scanner is never trusted (see `src/scan/cache.rs`).

use std::path::{Path, PathBuf};

fn main() {
    let mut files = Vec::new();
    for dir in ["src/scan", "grammars"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(Path::new(dir), &mut files);
    }
    files.sort();
    // FNV-1a, 64 bits: enough to tell builds apart, and no dependency.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(std::env::var("CARGO_PKG_VERSION").unwrap_or_default().as_bytes());
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        feed(file.to_string_lossy().as_bytes());
        feed(&[0]);
        feed(&std::fs::read(file).unwrap_or_default());
        feed(&[0]);
    }
    println!("cargo:rustc-env=PRUV_SCANNER_FINGERPRINT={hash:016x}");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
