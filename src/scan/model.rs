//! The scan document, `pruv.scan/1` (docs/scan-format.md). Every
//! output format renders this one model.

use serde::{Deserialize, Serialize};

pub const SCAN_FORMAT: &str = "pruv.scan/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanDocument {
    pub format: String,
    /// The root as the user gave it.
    pub root: String,
    /// RFC 3339 UTC.
    pub scanned_at: String,
    pub graph_hash: String,
    pub tree_hash: String,
    /// Where the files came from, when that was git: a revision read from
    /// the object database, or the commit checked out at the top of a work tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<GitSource>,
    pub stats: Stats,
    pub files: Vec<FileEntry>,
    pub services: Vec<Service>,
    pub env_vars: Vec<EnvVar>,
    pub connections: Vec<Connection>,
    /// Every file left out of `files` (and so of `tree_hash`), or not read
    /// as what it is, with the reason: a scan with gaps says where they are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
}

/// A file the scan could not take in whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// As the walk saw it (lossily decoded when it is not UTF-8).
    pub path: String,
    pub reason: String,
    /// Whether it is missing from `files` and `tree_hash` (else it is
    /// listed and hashed, but not read as code or configuration).
    pub excluded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitSource {
    /// The full commit id.
    pub commit: String,
    /// The revision as the user named it (`--rev v1.2.0`); absent for a work tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    /// The scanned directory inside the repository (`""` = its root).
    #[serde(default)]
    pub path: String,
    /// Read from the work tree (which may hold uncommitted changes), not from the commit.
    pub worktree: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    /// Files parsed with tree-sitter or a configuration parser.
    pub parsed: u64,
    /// Files seen but not read (unreadable, vanished, not UTF-8 where text was needed).
    pub skipped: u64,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the root, `/`-separated.
    pub path: String,
    pub sha256: String,
    pub size: u64,
    pub language: Option<String>,
    /// For a symbolic link (never followed): its target; the hash covers the target text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symlink: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    Service,
    Frontend,
    Worker,
    Function,
    External,
    Datastore,
}

impl ServiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Service => "service",
            ServiceKind::Frontend => "frontend",
            ServiceKind::Worker => "worker",
            ServiceKind::Function => "function",
            ServiceKind::External => "external",
            ServiceKind::Datastore => "datastore",
        }
    }

    /// External systems and datastores are not built from the tree.
    pub fn is_external(self) -> bool {
        matches!(self, ServiceKind::External | ServiceKind::Datastore)
    }
}

/// What an external system or datastore is to the system that uses it
/// (`services[].role`). Observability and infrastructure are shown apart
/// from the architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Datastore,
    Queue,
    Api,
    Identity,
    Observability,
    Infrastructure,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Datastore, Role::Queue, Role::Api, Role::Identity, Role::Observability, Role::Infrastructure];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Datastore => "datastore",
            Role::Queue => "queue",
            Role::Api => "api",
            Role::Identity => "identity",
            Role::Observability => "observability",
            Role::Infrastructure => "infrastructure",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    pub path: String,
    pub line: u32,
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub kind: ServiceKind,
    pub language: Option<String>,
    pub framework: Option<String>,
    pub root: Option<String>,
    pub ports: Vec<u16>,
    pub evidence: Vec<Evidence>,
    /// For external systems and datastores: what the system is to its users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Definition {
    pub path: String,
    pub line: u32,
    /// dotenv | compose | dockerfile | k8s | helm | ci | …
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Usage {
    pub path: String,
    pub line: u32,
    pub service: Option<String>,
    /// The rule that found the read.
    #[serde(default)]
    pub rule: String,
    /// The read has a fallback, so the variable may be left unset.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvStatus {
    /// Used and defined.
    Defined,
    /// Used, never defined.
    Missing,
    /// Defined, never used.
    Unused,
    /// Read only with a default, and defined nowhere.
    Optional,
}

impl EnvStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EnvStatus::Defined => "defined",
            EnvStatus::Missing => "missing",
            EnvStatus::Unused => "unused",
            EnvStatus::Optional => "optional",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvVar {
    pub name: String,
    pub defined: Vec<Definition>,
    /// Reads in production code.
    pub used: Vec<Usage>,
    pub status: EnvStatus,
    /// Used by two or more services.
    pub shared: bool,
    /// Reads in tools, scripts, examples and test harnesses: listed, not the system's configuration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub used_elsewhere: Vec<Usage>,
    /// Set by the platform, shell, CI or tooling (`PATH`, `CI`), not by the system's configuration.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub platform: bool,
}

impl EnvVar {
    /// Whether the variable is part of the system's configuration: not a
    /// platform or tooling name, and not one that only CI jobs define and
    /// no production code reads (`pruv diff` compares only these).
    pub fn is_system_config(&self) -> bool {
        let ci_only = self.used.is_empty() && !self.defined.is_empty() && self.defined.iter().all(|d| d.source == "ci");
        !self.platform && !ci_only
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    Env,
    Http,
    Grpc,
    Sdk,
    Compose,
    K8s,
    Import,
}

impl ConnectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Env => "env",
            ConnectionKind::Http => "http",
            ConnectionKind::Grpc => "grpc",
            ConnectionKind::Sdk => "sdk",
            ConnectionKind::Compose => "compose",
            ConnectionKind::K8s => "k8s",
            ConnectionKind::Import => "import",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub from: String,
    pub to: String,
    /// The one of `vias` that holds an address (`*_HOST`, `*_URL`, …), else the first.
    pub via: Option<String>,
    /// The strongest of `kinds`.
    pub kind: ConnectionKind,
    /// Every env var and config key the connection was found through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vias: Vec<String>,
    /// Every kind of evidence for it, strongest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<ConnectionKind>,
    pub evidence: Vec<Evidence>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn external(role: Option<Role>) -> Service {
        Service {
            id: "kafka".into(),
            name: "kafka".into(),
            kind: ServiceKind::Datastore,
            language: None,
            framework: None,
            root: None,
            ports: vec![],
            evidence: vec![],
            role,
        }
    }

    #[test]
    fn a_role_is_written_in_lower_case_and_only_when_known() {
        let with = serde_json::to_value(external(Some(Role::Queue))).unwrap();
        assert_eq!(with["role"], "queue");
        let without = serde_json::to_value(external(None)).unwrap();
        assert!(without.get("role").is_none());
        // Documents written before roles existed still read.
        let old: Service = serde_json::from_value(without).unwrap();
        assert_eq!(old.role, None);
        for role in Role::ALL {
            let back: Role = serde_json::from_value(serde_json::json!(role.as_str())).unwrap();
            assert_eq!(back, role);
        }
    }
}
