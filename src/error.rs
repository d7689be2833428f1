//! The library's error type and the exit codes the binary maps it to.

use std::path::PathBuf;

use crate::core::chain::DocumentError;
use crate::core::json::ParseError;
use crate::core::sign::KeyError;

/// Process exit codes, the same for every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    Ok = 0,
    /// A bug or an environment failure pruv cannot attribute to the input.
    Internal = 1,
    /// A chain, signature or receipt did not verify.
    VerificationFailed = 2,
    PolicyViolation = 3,
    ApprovalRequired = 4,
    DriftDetected = 5,
    /// Bad input: malformed JSON, a missing file, an unknown chain, a wrong key.
    InvalidInput = 6,
    MissingDependency = 7,
    /// Refused because it would destroy or expose something (overwriting a key).
    UnsafeOperation = 8,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("{origin}: invalid JSON at {source}")]
    Json { origin: String, source: ParseError },

    #[error("{origin}: {source}")]
    Document { origin: String, source: DocumentError },

    #[error(transparent)]
    Key(#[from] KeyError),

    #[error(
        "no pruv store found in {searched} or any parent directory; run `pruv init` to create one, or pass --store DIR"
    )]
    NoStore { searched: PathBuf },

    #[error("{path} is not a pruv store (no pruv.db inside); run `pruv --store {path} init` to create one")]
    NotAStore { path: PathBuf },

    #[error("store {path}: {message}")]
    Store { path: PathBuf, message: String },

    #[error("no chain named or with id {name:?} in {store}; `pruv chain list` shows the chains there")]
    UnknownChain { name: String, store: PathBuf },

    #[error(
        "no identity {name:?} in {store}; `pruv identity list` shows the identities there, `pruv identity register NAME` creates one"
    )]
    UnknownIdentity { name: String, store: PathBuf },

    #[error(
        "no artifact {name:?} in {store}; `pruv provenance list` shows the artifacts there, `pruv provenance origin` starts one"
    )]
    UnknownArtifact { name: String, store: PathBuf },

    #[error("a chain named {name:?} already exists (id {id}); pick another name")]
    ChainExists { name: String, id: String },

    #[error("chain id {id} is already in the store (as {name:?}); it was imported before")]
    ChainIdExists { id: String, name: String },

    #[error("{0}")]
    InvalidInput(String),

    #[error(
        "{what}: larger than the {limit}-byte limit on inputs; if it really is that big, raise the limit with PRUV_MAX_INPUT (e.g. PRUV_MAX_INPUT=1G)"
    )]
    TooLarge { what: String, limit: u64 },

    /// Refused because it would destroy or expose something.
    #[error("{0}")]
    Unsafe(String),

    #[error("{path} already exists; refusing to overwrite it (pass --force to replace it)")]
    WouldOverwrite { path: PathBuf },

    #[error(
        "{origin}: the chain does not verify ({problems} problem(s), first break at {first_break}); run `pruv verify {origin}` for details"
    )]
    Broken { origin: String, problems: usize, first_break: String },

    /// A policy file (`pruv.toml`) that cannot be read as one.
    #[error("policy {0}")]
    Policy(String),

    /// A document that does not fit its JSON Schema.
    #[error("{0}")]
    Schema(String),

    /// Refused by a rule the data is kept by (an overdraft, an approver not pinned).
    #[error("refused: {0}")]
    Refused(String),

    /// Something recorded does not verify (a ledger whose books do not balance).
    #[error("{0}")]
    Verification(String),

    #[error("cannot get randomness from the operating system: {0}")]
    Random(#[from] getrandom::Error),

    /// A program pruv was asked to run is not there.
    #[error("{0}")]
    MissingTool(String),
}

impl Error {
    /// The same error, its message led by `what` (which row of a file, which item of a batch).
    pub fn prefixed(self, what: &str) -> Error {
        match self {
            Error::InvalidInput(m) => Error::InvalidInput(format!("{what}: {m}")),
            Error::Policy(m) => Error::Policy(format!("{what}: {m}")),
            Error::Refused(m) => Error::Refused(format!("{what}: {m}")),
            other => other,
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => ExitCode::InvalidInput,
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::PermissionDenied => ExitCode::InvalidInput,
            Error::Io { .. } | Error::Store { .. } | Error::Random(_) => ExitCode::Internal,
            Error::Json { .. }
            | Error::Document { .. }
            | Error::Key(_)
            | Error::NoStore { .. }
            | Error::NotAStore { .. }
            | Error::UnknownChain { .. }
            | Error::UnknownIdentity { .. }
            | Error::UnknownArtifact { .. }
            | Error::ChainExists { .. }
            | Error::ChainIdExists { .. }
            | Error::InvalidInput(_)
            | Error::TooLarge { .. } => ExitCode::InvalidInput,
            Error::WouldOverwrite { .. } | Error::Unsafe(_) => ExitCode::UnsafeOperation,
            Error::Broken { .. } | Error::Verification(_) => ExitCode::VerificationFailed,
            Error::Policy(_) | Error::Refused(_) | Error::Schema(_) => ExitCode::PolicyViolation,
            Error::MissingTool(_) => ExitCode::MissingDependency,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
