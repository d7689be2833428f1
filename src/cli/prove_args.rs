//! `pruv prove …`: the arguments.

use std::path::PathBuf;

use clap::Subcommand;

use crate::prove::attest::Mode;

#[derive(Debug, Subcommand)]
pub enum ProveCommand {
    /// Run CMD in a sandboxed copy of the tree; while it fails, ask the proposer for a
    /// patch, apply it within the policy, and run again. Writes a bundle to
    /// .pruv/prove/<session>/. Exit 0 proven, 2 not proven, 8 patch refused (docs/prove.md).
    Run {
        /// The command to prove, as one shell command line.
        command: String,
        /// The policy: a TOML or YAML file (default: pruv.toml's [prove], else the defaults).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// A command that reads the failure's context as JSON on stdin and prints a unified
        /// diff (default: the endpoint in PRUV_PROVE_BASE_URL and PRUV_PROVE_MODEL, if set).
        #[arg(long, value_name = "CMD")]
        proposer: Option<String>,
        /// The project's root (default: the current directory).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Redact this variable's value from everything recorded (repeatable;
        /// credential-named variables are redacted anyway).
        #[arg(long, value_name = "NAME")]
        redact: Vec<String>,
        /// Threads for copying and hashing the tree (0: one per core).
        #[arg(short = 'j', long, default_value_t = 0)]
        threads: usize,
        /// When proven, apply final.patch to the tree itself (refused, exit 8, if the
        /// tree changed while the session ran).
        #[arg(long)]
        apply: bool,
    },
    /// The sessions recorded under .pruv/prove/, oldest first: status, attempts, what happened.
    List {
        /// The project's root (default: the current directory).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Apply a bundle's final.patch to a fresh copy of the recorded tree and run the
    /// command again: exit 0 when the recorded result reproduces, 2 when not, 5 when the
    /// tree is no longer the recorded one.
    Replay {
        bundle: PathBuf,
        /// The tree to replay on (default: the one holding the bundle's .pruv/).
        #[arg(long, value_name = "DIR")]
        tree: Option<PathBuf>,
        #[arg(short = 'j', long, default_value_t = 0)]
        threads: usize,
    },
    /// Attest a bundle: every file's SHA-256, bound by an HMAC or a signature, in attestation.json.
    Attest {
        bundle: PathBuf,
        #[arg(long, value_enum)]
        mode: Mode,
        /// hmac-sha256: the environment variable holding the shared key (its value is never stored).
        #[arg(long, value_name = "VAR", required_if_eq("mode", "hmac-sha256"))]
        key_env: Option<String>,
        /// ed25519: the secret key file.
        #[arg(long, value_name = "KEYFILE", required_if_eq("mode", "ed25519"))]
        key: Option<PathBuf>,
    },
    /// Check a bundle against its attestation: exit 2 when any file was edited, removed or
    /// added, or the key does not match.
    VerifyAttestation {
        bundle: PathBuf,
        /// hmac-sha256: the variable holding the shared key (default: the one the attestation names).
        #[arg(long, value_name = "VAR")]
        key_env: Option<String>,
        /// ed25519: require this public key (a key file, or the key in base64 or hex).
        #[arg(long, value_name = "KEY")]
        public_key: Option<String>,
    },
}
