//! pruv: verifiable chains of state transitions.
//!
//! - [`core`]: the `xy/1` chain protocol (byte-compatible with Python's
//!   xycore), canonical JSON, Ed25519 signatures and verification.
//! - [`store`]: chains persisted in an embedded SQLite database.
//! - [`identity`], [`provenance`], [`receipt`]: who acted, what happened to
//!   an artifact and by whose hand, and the verdict anyone can re-check.
//! - [`ledger`]: payment ledgers in exact decimals whose conservation
//!   anyone can verify offline.
//! - [`run`]: a command's run recorded as an execution event;
//!   [`checkpoint`]: a tree stored to be restored, verified.
//! - [`records`]: proof records any program emits, validated by JSON Schema;
//!   [`prove`]: a failing command, patches judged by a policy, a bundle
//!   anyone can verify, replay and attest.
//! - [`cli`]: the command line, callable in-process through [`cli::run`].

pub mod bounded;
pub mod checkpoint;
pub mod cli;
pub mod core;
pub mod error;
pub mod identity;
pub mod ledger;
pub mod policy;
pub mod prove;
pub mod provenance;
pub mod receipt;
pub mod records;
pub mod run;
pub mod scan;
pub mod store;
pub mod typed_state;
pub mod unified;

pub use error::{Error, ExitCode};
