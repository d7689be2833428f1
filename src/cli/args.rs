//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use super::trust_args::{IdentityCommand, ProvenanceCommand, ReceiptArgs, ScanProvenanceArgs};

#[derive(Debug, Parser)]
#[command(
    name = "pruv",
    version,
    about = "Prove what happened to a system: verifiable chains of state transitions.",
    after_help = "Exit codes: 0 ok, 1 internal error, 2 verification failed, 3 policy or schema violation, \
                  4 approval required, 5 drift detected, 6 invalid input, 7 missing dependency, \
                  8 unsafe operation blocked."
)]
pub struct Cli {
    /// The store directory (default: $PRUV_STORE, else the nearest .pruv/ upward).
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Output format: text or json, and others where a command's help lists them.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text, hide_possible_values = true)]
    pub format: Format,

    /// When to colour text output (NO_COLOR is honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

/// Every output format; each command accepts a subset ([`Command::formats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// `scan`, `diff`: a report for a pull request or a job summary.
    Markdown,
    /// `scan` only: the architecture as a mermaid flowchart.
    Mermaid,
    /// `scan` only: the architecture as a Graphviz digraph.
    Dot,
    /// `diff` only: GitHub Actions workflow annotations on the evidence lines.
    Github,
    /// `receipt` only: an embeddable badge.
    Svg,
    /// `receipt` only: a self-contained page.
    Html,
    /// `compose config` only: YAML, as `docker compose config` prints it.
    Yaml,
}

impl Format {
    pub fn name(self) -> String {
        self.to_possible_value().map_or_else(String::new, |v| v.get_name().to_owned())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a store (.pruv/ in DIR, default the current directory; or --store DIR).
    Init {
        /// Where to create .pruv/.
        dir: Option<PathBuf>,
    },
    /// Create, extend, inspect, export and import chains.
    #[command(subcommand)]
    Chain(ChainCommand),
    /// Manage Ed25519 signing keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Verify an exported chain (a ledger's books too), a receipt, a prove bundle, or proof records (--json), offline, with no store.
    Verify(VerifyArgs),
    /// Map a repository's architecture and hash it into a scan chain.
    Scan(ScanArgs),
    /// List the scans recorded for a tree, newest first; export their history chain.
    Log(LogArgs),
    /// What changed in the architecture between two scans, revisions or files.
    Diff(DiffArgs),
    /// Identities: who may act, in which scopes, until when.
    #[command(subcommand)]
    Identity(IdentityCommand),
    /// Provenance: what happened to an artifact, and by whose hand.
    #[command(subcommand)]
    Provenance(ProvenanceCommand),
    /// A receipt for a chain: the verdict anyone can re-check with `pruv verify`.
    Receipt(ReceiptArgs),
    /// Run a command and record what it did (exit code, output hashes, changed files) as a chain entry.
    Run(RunArgs),
    /// Proof records: JSON artifacts any program emits and `pruv verify --json` judges.
    #[command(subcommand)]
    Record(RecordCommand),
    /// Patch & prove: a failing command, patches proposed and judged by a policy, a bundle
    /// anyone can verify, replay and attest.
    #[command(subcommand)]
    Prove(super::prove_args::ProveCommand),
    /// Store a tree to bring it back later: create, list, preview, restore.
    #[command(subcommand)]
    Checkpoint(CheckpointCommand),
    /// Approve a run waiting for approval (REQUEST: its request id, or its entry index).
    Approve(DecideArgs),
    /// Deny a run waiting for approval: it does not start.
    Deny(DecideArgs),
    /// Restore the checkpoint taken before the last `pruv run --watch DIR --checkpoint`.
    Undo {
        /// The chain of runs to look in.
        #[arg(long, value_name = "NAME", default_value = "runs")]
        chain: String,
        /// Restore even if the tree changed since the run (it is checkpointed first).
        #[arg(long)]
        force: bool,
    },
    /// Payment ledgers in exact decimals whose conservation anyone can verify offline.
    #[command(subcommand)]
    Ledger(super::ledger_args::LedgerCommand),
    /// Compose projects as pruv reads them (files merged, `${…}` resolved from `.env`).
    #[command(subcommand)]
    Compose(ComposeCommand),
}

#[derive(Debug, Subcommand)]
pub enum ComposeCommand {
    /// Print each compose project under DIR resolved, in the shape `docker compose config` prints:
    /// files merged (override and variants), `${…}` interpolated from the project's `.env`,
    /// `extends` and `include` applied. Environment values are redacted unless --show-values.
    Config {
        /// Where to look (default: the current directory).
        dir: Option<PathBuf>,
        /// Only these compose files, in this order, relative to DIR (like `docker compose -f`).
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        files: Vec<String>,
        /// Print environment values as they are (they may be credentials).
        #[arg(long)]
        show_values: bool,
    },
}

/// The output formats of the command named `name`.
pub fn formats_of(name: &str) -> &'static [Format] {
    match name {
        "scan" => &[Format::Text, Format::Json, Format::Markdown, Format::Mermaid, Format::Dot],
        "diff" => &[Format::Text, Format::Json, Format::Markdown, Format::Github],
        "receipt" => &[Format::Text, Format::Json, Format::Svg, Format::Html],
        "compose" => &[Format::Text, Format::Yaml, Format::Json],
        "ledger" => &[Format::Text, Format::Json, Format::Svg, Format::Html],
        _ => &[Format::Text, Format::Json],
    }
}

/// The command line with each command's help naming the formats it
/// writes (the global `--format` would otherwise list every format,
/// including those the command refuses).
pub fn command_with_formats() -> clap::Command {
    let command = <Cli as clap::CommandFactory>::command();
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_owned()).collect();
    names.into_iter().fold(command, |command, name| {
        let formats = formats_of(&name).iter().map(|f| f.name()).collect::<Vec<_>>().join(", ");
        command.mut_subcommand(&name, |sub| sub.after_help(format!("Formats (--format): {formats}")))
    })
}

impl Command {
    /// The output formats this command can render.
    pub fn formats(&self) -> &'static [Format] {
        formats_of(self.name())
    }

    /// The command's name, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Init { .. } => "init",
            Command::Chain(_) => "chain",
            Command::Key(_) => "key",
            Command::Verify(_) => "verify",
            Command::Scan(_) => "scan",
            Command::Log(_) => "log",
            Command::Diff(_) => "diff",
            Command::Identity(_) => "identity",
            Command::Provenance(_) => "provenance",
            Command::Receipt(_) => "receipt",
            Command::Compose(_) => "compose",
            Command::Ledger(_) => "ledger",
            Command::Run(_) => "run",
            Command::Checkpoint(_) => "checkpoint",
            Command::Record(_) => "record",
            Command::Prove(_) => "prove",
            Command::Undo { .. } => "undo",
            Command::Approve(_) => "approve",
            Command::Deny(_) => "deny",
        }
    }
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The tree to scan (default: the current directory).
    pub path: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", env = "PRUV_THREADS")]
    pub threads: Option<usize>,
    /// Also write the scan chain (one entry per file, then the hashes) to FILE.
    #[arg(long, value_name = "FILE")]
    pub chain: Option<PathBuf>,
    /// Scan this git revision (commit, tag, branch) from the repository's
    /// object database instead of the files on disk; the work tree is not touched.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Render Helm charts with `helm template`: `auto` (when `helm` is on
    /// PATH), `never` (read templates with the chart's values, unrendered),
    /// or the `helm` binary to use.
    #[arg(long, value_name = "auto|never|PATH", default_value = "auto", env = "PRUV_HELM")]
    pub helm: String,
    /// Do not record the scan in the store.
    #[arg(long)]
    pub no_record: bool,
    /// Read, hash and analyse every file: no cache is read or written.
    #[arg(long)]
    pub no_cache: bool,
    /// List every env var with its status and evidence.
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub provenance: ScanProvenanceArgs,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The scanned tree (default: the current directory).
    pub path: Option<PathBuf>,
    /// Show at most N scans.
    #[arg(short = 'n', long, value_name = "N")]
    pub limit: Option<usize>,
    /// Also write the tree's scan history chain (pruv.chain/1) to FILE; `pruv verify FILE` checks it.
    #[arg(long, value_name = "FILE")]
    pub chain: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "Each side is, in this order: a pruv.scan/1 JSON file; a recorded scan id (`pruv log`); \
                  a git revision of the repository at DIR; `.` for the work tree. With one side, NEW is the \
                  work tree; with none, the last two recorded scans of DIR.\n\n\
                  Change kinds for --fail-on and allow rules: any; service, external, connection, env; \
                  service-added, service-removed, service-moved, service-changed, external-added, \
                  external-removed, external-changed, connection-added, connection-removed, \
                  connection-rerouted, env-added, env-removed, env-missing, env-status, env-shared.")]
pub struct DiffArgs {
    /// The older side (default: the second-newest recorded scan).
    pub old: Option<String>,
    /// The newer side (default: the work tree, or the newest recorded scan when OLD is absent too).
    pub new: Option<String>,
    /// Run as if started in DIR (like `git -C`): the repository, work tree, store,
    /// pruv.toml and relative paths of scan files.
    #[arg(short = 'C', value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Exit 5 when a change of these kinds is found (comma-separated); overrides pruv.toml.
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    pub fail_on: Vec<String>,
    /// The policy file (default: pruv.toml in DIR, if there is one).
    #[arg(long, value_name = "FILE", conflicts_with = "no_policy")]
    pub policy: Option<PathBuf>,
    /// Ignore pruv.toml.
    #[arg(long)]
    pub no_policy: bool,
    /// Worker threads for scanning revisions and the work tree (default: one per core).
    #[arg(short = 'j', long, value_name = "N", env = "PRUV_THREADS")]
    pub threads: Option<usize>,
    /// Render Helm charts with `helm template`: `auto` (when `helm` is on
    /// PATH), `never` (read templates with the chart's values, unrendered),
    /// or the `helm` binary to use.
    #[arg(long, value_name = "auto|never|PATH", default_value = "auto", env = "PRUV_HELM")]
    pub helm: String,

    /// Also list the files added, removed, modified and renamed.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum ChainCommand {
    /// Create an empty chain; prints its id.
    New { name: String },
    /// List the chains in the store.
    List,
    /// Append an entry: the before state is the head's after state.
    Append(AppendArgs),
    /// Show a chain's entries.
    Show {
        /// Chain name or id.
        chain: String,
    },
    /// Write a chain as a self-contained JSON document (pruv.chain/1, xycore's shape).
    Export {
        /// Chain name or id.
        chain: String,
        /// Write to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Sign the head with this secret key file, so truncation and edits are detectable.
        #[arg(long, value_name = "KEYFILE")]
        sign: Option<PathBuf>,
    },
    /// Import an exported chain (pruv's or xycore's) after verifying it.
    Import {
        /// The chain document, or - for standard input.
        file: String,
        /// Store it under another name.
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AppendArgs {
    /// Chain name or id.
    pub chain: String,
    /// The operation that led to the new state.
    #[arg(long)]
    pub op: String,
    /// The state after the operation: JSON, or @FILE, or @- for standard input.
    #[arg(long, value_name = "JSON|@FILE")]
    pub state: Option<String>,
    /// Outcome of the operation.
    #[arg(long, value_enum, default_value_t = Status::Success)]
    pub status: Status,
    /// Free-form metadata (a JSON object, or @FILE); not covered by the proof hash.
    #[arg(long, value_name = "JSON|@FILE")]
    pub metadata: Option<String>,
    /// Sign the entry with this secret key file.
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Status {
    Success,
    Failed,
    Pending,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Failed => "failed",
            Status::Pending => "pending",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Write a new Ed25519 keypair: NAME.key (secret, mode 0600) and NAME.pub.
    Generate {
        /// Directory to write into (default: the current directory).
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// File name stem.
        #[arg(long, default_value = "pruv")]
        name: String,
        /// The label written into signed entries (default: the key's fingerprint).
        #[arg(long)]
        signer_id: Option<String>,
        /// Replace existing key files.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The exported chain or receipt (- for standard input), or a prove bundle's directory;
    /// with --json, proof records.
    pub file: String,
    /// Require every signature to be by this key: a key file, or the key in base64 or hex.
    #[arg(long, value_name = "KEY")]
    pub public_key: Option<String>,
    /// Require every entry to be signed (and, for a pruv export, its signed head).
    #[arg(long, alias = "signatures")]
    pub require_signatures: bool,
    /// FILE holds proof records: one record, a directory of `.json`/`.jsonl`
    /// files, or JSON Lines; one JSON verdict per record (docs/records.md).
    #[arg(long = "json")]
    pub records: bool,
    /// Require a valid signed head (`pruv chain export --sign`), which binds
    /// status, metadata, the name and the length.
    #[arg(long)]
    pub require_signed_head: bool,
}

/// `pruv run [OPTIONS] -- CMD [ARGS…]`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The chain to record in (created when missing).
    #[arg(long, value_name = "NAME", default_value = "runs")]
    pub chain: String,
    /// What the run is meant to do, in words.
    #[arg(long, value_name = "TEXT")]
    pub intent: Option<String>,
    /// An identifier of the action (also the entry's operation; default `run`).
    #[arg(long, value_name = "ID")]
    pub action: Option<String>,
    /// Hash DIR before and after, and list the files the command added, removed and modified.
    #[arg(long, value_name = "DIR")]
    pub watch: Option<PathBuf>,
    /// Also redact the value of this environment variable wherever it appears (repeatable).
    #[arg(long = "redact", value_name = "NAME")]
    pub redact: Vec<String>,
    /// An attribute recorded with the event (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attributes: Vec<String>,
    /// Actions that need approval before they start (comma-separated patterns, `deploy.*`;
    /// added to `approve` in pruv.toml's [run]).
    #[arg(long = "approve", value_name = "OPS")]
    pub approve: Vec<String>,
    /// Ask this URL for approval (POST the request, wait for {"approved": bool, …}); overrides pruv.toml.
    #[arg(long, value_name = "URL")]
    pub approval_webhook: Option<String>,
    /// How long to wait for a decision (default: pruv.toml's, else 300).
    #[arg(long, value_name = "SECONDS")]
    pub approval_timeout: Option<u64>,
    /// Who runs it: an identity (name or chain id), judged as of the start
    /// (registered, valid, not revoked, a scope granting the action); recorded, never blocking.
    #[arg(long, value_name = "IDENTITY")]
    pub agent: Option<String>,
    /// Checkpoint the --watch directory first, so `pruv undo` can bring it back.
    #[arg(long, requires = "watch")]
    pub checkpoint: bool,
    /// Sign the entry with this secret key file.
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
    /// Threads walking the --watch directory, as for `pruv scan` (default: one per core).
    #[arg(short = 'j', long, value_name = "N", env = "PRUV_THREADS")]
    pub threads: Option<usize>,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Subcommand)]
pub enum CheckpointCommand {
    /// Store every file of DIR (default: here) that the scanner's walk sees; prints its id.
    Create {
        /// A name to find it by (default: `checkpoint`).
        name: Option<String>,
        dir: Option<PathBuf>,
    },
    /// The checkpoints, oldest first.
    List,
    /// What restoring checkpoint ID (or NAME) would change, with diffs of text files.
    Preview { checkpoint: String, dir: Option<PathBuf> },
    /// Bring DIR (default: the checkpoint's directory) back to checkpoint ID (or NAME).
    Restore {
        checkpoint: String,
        dir: Option<PathBuf>,
        /// Restore even if the tree changed since pruv last recorded it (it is checkpointed first).
        #[arg(long)]
        force: bool,
    },
}

/// `pruv approve|deny REQUEST --key KEYFILE`.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The request id the waiting run printed, or its entry index.
    pub request: String,
    /// The approver's secret key file; the decision is signed with it.
    #[arg(long, value_name = "KEYFILE")]
    pub key: PathBuf,
    #[arg(long)]
    pub reason: Option<String>,
    /// The chain the run records in.
    #[arg(long, value_name = "NAME", default_value = "runs")]
    pub chain: String,
}

#[derive(Debug, Subcommand)]
pub enum RecordCommand {
    /// Write a proof record of TYPE (decision, deployment, check, execution) for an event.
    New {
        record_type: String,
        /// The event: @FILE, or the JSON itself.
        #[arg(long, value_name = "@FILE|JSON")]
        event: String,
        /// Who emits it (a host, a CI job).
        #[arg(long, default_value = "local")]
        source: String,
        /// The program that emits it.
        #[arg(long, default_value = "pruv")]
        source_product: String,
        /// Sign it with this secret key file.
        #[arg(long, value_name = "KEYFILE")]
        sign: Option<PathBuf>,
        /// Write to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}
