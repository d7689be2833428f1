//! Arguments of `pruv identity`, `pruv provenance`, `pruv receipt` and
//! `pruv scan --provenance`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// Reads an RFC 3339 time (`2026-01-31T09:30:00Z`) as epoch seconds.
fn time(text: &str) -> Result<f64, String> {
    crate::core::time::parse_rfc3339(text)
}

/// An RFC 3339 time, or a date (`2026-12-31`, the form the original SDK
/// documents): the start of that day, UTC.
fn time_from(text: &str) -> Result<f64, String> {
    match date(text) {
        Some(day) => time(&format!("{day}T00:00:00Z")),
        None => time(text),
    }
}

/// An RFC 3339 time, or a date: the end of that day, UTC (valid through it).
fn time_until(text: &str) -> Result<f64, String> {
    match date(text) {
        Some(day) => time(&format!("{day}T23:59:59Z")),
        None => time(text),
    }
}

/// `text` when it is a bare `YYYY-MM-DD` date.
fn date(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    shaped.then_some(text)
}

#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    /// Register an identity (a person, CI job or agent); prints its chain id.
    Register(RegisterArgs),
    /// Record an action by an identity; records whether it was in scope and authorized, never blocks.
    Act {
        /// Identity name or chain id.
        identity: String,
        /// What was done.
        #[arg(long)]
        action: String,
        /// The scope it was done in (e.g. deploy.prod).
        #[arg(long)]
        scope: String,
        /// Sign the entry with this secret key file.
        #[arg(long, value_name = "KEYFILE")]
        sign: Option<PathBuf>,
    },
    /// Revoke an identity: later actions are recorded as unauthorized.
    Revoke {
        /// Identity name or chain id.
        identity: String,
        #[arg(long)]
        reason: String,
        /// Sign the entry with this secret key file.
        #[arg(long, value_name = "KEYFILE")]
        sign: Option<PathBuf>,
    },
    /// Verify an identity chain: intact, status, in-scope and out-of-scope actions (exit 2 if anything fails).
    Verify {
        /// Identity name or chain id.
        identity: String,
    },
    /// List the identities in the store.
    List,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// The identity's name (its chain is `identity/NAME`).
    pub name: String,
    /// Who answers for it.
    #[arg(long)]
    pub owner: String,
    /// Scopes it may act in, comma-separated or repeated; `deploy.*` covers everything under deploy.
    #[arg(long = "scope", value_name = "SCOPE[,SCOPE…]", required = true)]
    pub scopes: Vec<String>,
    /// What it is for.
    #[arg(long)]
    pub purpose: String,
    /// A governance framework it answers to (free text).
    #[arg(long)]
    pub framework: Option<String>,
    /// Not valid before this RFC 3339 time, or this date (from its start, UTC).
    #[arg(long, value_name = "TIME|DATE", value_parser = time_from)]
    pub valid_from: Option<f64>,
    /// Not valid after this RFC 3339 time, or this date (through its end, UTC).
    #[arg(long, value_name = "TIME|DATE", value_parser = time_until)]
    pub valid_until: Option<f64>,
    /// Sign the entry with this secret key file.
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ProvenanceCommand {
    /// Start an artifact's provenance from a file or a scan; prints its chain id.
    Origin(OriginArgs),
    /// Record a change of the artifact: its new content, by whom and why.
    Transition {
        /// Artifact name or chain id.
        artifact: String,
        /// The artifact's new content.
        file: PathBuf,
        /// The identity (name or chain id) that made the change.
        #[arg(long, required = true)]
        agent: String,
        /// Why it was changed.
        #[arg(long, required = true)]
        reason: String,
        /// Sign the entry with this secret key file.
        #[arg(long, value_name = "KEYFILE")]
        sign: Option<PathBuf>,
    },
    /// Verify an artifact: chain, before/after links, and every agent as of its transition (exit 2 if anything fails).
    Verify {
        /// Artifact name or chain id.
        artifact: String,
    },
    /// List the artifacts in the store.
    List,
}

#[derive(Debug, Args)]
pub struct OriginArgs {
    /// The artifact's first content (or use --scan).
    #[arg(required_unless_present = "scan", conflicts_with = "scan")]
    pub file: Option<PathBuf>,
    /// Start from a codebase instead: a directory to scan, or a pruv.scan/1 JSON file.
    #[arg(long, value_name = "PATH")]
    pub scan: Option<PathBuf>,
    /// The artifact's name (its chain is `provenance/NAME`).
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub owner: String,
    /// A classification such as confidential (free text).
    #[arg(long)]
    pub classification: Option<String>,
    /// Scopes, besides artifact.modify, that let an agent change it (comma-separated or repeated).
    #[arg(long = "scope", value_name = "SCOPE[,SCOPE…]")]
    pub scopes: Vec<String>,
    /// Sign the entry with this secret key file.
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// Chain name or id (identity, provenance or any chain), or a recorded scan's id.
    pub chain: String,
    /// Sign the receipt with this secret key file.
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `pruv scan --provenance ARTIFACT --agent ID --reason R`.
#[derive(Debug, Args)]
pub struct ScanProvenanceArgs {
    /// Record the scan as a transition of this artifact (see `pruv provenance origin --scan`).
    #[arg(long, value_name = "ARTIFACT", requires_all = ["agent", "reason"])]
    pub provenance: Option<String>,
    /// With --provenance: the identity that changed the codebase.
    #[arg(long, requires = "provenance")]
    pub agent: Option<String>,
    /// With --provenance: why it changed.
    #[arg(long, requires = "provenance")]
    pub reason: Option<String>,
}
