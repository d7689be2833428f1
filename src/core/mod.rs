//! The chain core: canonical JSON, hashes, entries, chains, signatures and
//! verification. No I/O beyond reading key files; usable without the CLI.

pub mod chain;
pub mod entry;
pub mod hash;
pub mod json;
pub mod sign;
pub mod time;
pub mod verify;

pub use chain::{Chain, ChainDocument};
pub use entry::{Entry, Transition};
pub use verify::{Report, VerifyOptions, verify_document};
