//! What extraction finds in one file, before inference relates it to
//! anything else. Values of env vars are kept here only to resolve
//! connections; they never reach the output.

use super::model::ConnectionKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub line: u32,
    /// Stable rule id (`python.env.os-getenv`, `compose.service`, …).
    pub rule: &'static str,
    pub kind: FactKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactKind {
    /// Code reads an environment variable.
    EnvRead { name: String },
    /// A web (or worker) framework is set up here.
    Framework { name: String, port: Option<u16> },
    /// A server listens: on a literal port, or on one read from an env var.
    Listen { port: Option<u16>, env: Option<String> },
    /// A module/package import.
    Import { module: String },
    /// An outgoing client aimed at a URL literal or at an env var's value.
    Target { kind: ConnectionKind, url: Option<String>, env: Option<String> },
    /// A string literal that looks like a connection URL (`postgres://…`).
    Literal { url: String },
}
