//! The diff document, `pruv.diff/1` (docs/diff-format.md). Every output
//! format renders this one model.

use serde::Serialize;

use crate::scan::model::GitSource;

pub const DIFF_FORMAT: &str = "pruv.diff/1";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub format: &'static str,
    pub old: Side,
    pub new: Side,
    /// The graph hashes differ. When they are equal, `changes` is empty.
    pub architecture_changed: bool,
    pub files: FileChanges,
    /// Sorted by category (service, external, connection, env), kind, subject.
    pub changes: Vec<Change>,
    /// Changes that the policy (`--fail-on`, `pruv.toml`) fails on.
    pub failing: usize,
}

/// One of the two scans compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// How it was named: a file, `scan 1a2b3c4d`, a revision, `work tree`.
    pub label: String,
    pub scanned_at: String,
    pub tree_hash: String,
    pub graph_hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<GitSource>,
    pub files: u64,
    /// Services built from the tree (externals not counted).
    pub services: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub modified: Vec<String>,
    /// A removed path and an added path with identical content.
    pub renamed: Vec<Renamed>,
    pub unchanged: u64,
}

impl FileChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty() && self.renamed.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Service,
    External,
    Connection,
    Env,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Service => "service",
            Category::External => "external",
            Category::Connection => "connection",
            Category::Env => "env",
        }
    }
}

/// What kind of change; the names are what `--fail-on` and allow rules use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    ServiceAdded,
    ServiceRemoved,
    /// Same service, another root (a renamed or moved directory).
    ServiceMoved,
    /// Kind, language, framework or ports changed.
    ServiceChanged,
    ExternalAdded,
    ExternalRemoved,
    ExternalChanged,
    ConnectionAdded,
    ConnectionRemoved,
    /// The same two ends, connected through another variable or channel.
    ConnectionRerouted,
    EnvAdded,
    EnvRemoved,
    /// Read and never defined: new and missing, or no longer defined.
    EnvMissing,
    /// Any other status change (missing → defined, defined → unused, …).
    EnvStatus,
    /// Now read by two or more services, or no longer.
    EnvShared,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 15] = [
        ChangeKind::ServiceAdded,
        ChangeKind::ServiceRemoved,
        ChangeKind::ServiceMoved,
        ChangeKind::ServiceChanged,
        ChangeKind::ExternalAdded,
        ChangeKind::ExternalRemoved,
        ChangeKind::ExternalChanged,
        ChangeKind::ConnectionAdded,
        ChangeKind::ConnectionRemoved,
        ChangeKind::ConnectionRerouted,
        ChangeKind::EnvAdded,
        ChangeKind::EnvRemoved,
        ChangeKind::EnvMissing,
        ChangeKind::EnvStatus,
        ChangeKind::EnvShared,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ServiceAdded => "service-added",
            ChangeKind::ServiceRemoved => "service-removed",
            ChangeKind::ServiceMoved => "service-moved",
            ChangeKind::ServiceChanged => "service-changed",
            ChangeKind::ExternalAdded => "external-added",
            ChangeKind::ExternalRemoved => "external-removed",
            ChangeKind::ExternalChanged => "external-changed",
            ChangeKind::ConnectionAdded => "connection-added",
            ChangeKind::ConnectionRemoved => "connection-removed",
            ChangeKind::ConnectionRerouted => "connection-rerouted",
            ChangeKind::EnvAdded => "env-added",
            ChangeKind::EnvRemoved => "env-removed",
            ChangeKind::EnvMissing => "env-missing",
            ChangeKind::EnvStatus => "env-status",
            ChangeKind::EnvShared => "env-shared",
        }
    }

    pub fn category(self) -> Category {
        use ChangeKind::*;
        match self {
            ServiceAdded | ServiceRemoved | ServiceMoved | ServiceChanged => Category::Service,
            ExternalAdded | ExternalRemoved | ExternalChanged => Category::External,
            ConnectionAdded | ConnectionRemoved | ConnectionRerouted => Category::Connection,
            EnvAdded | EnvRemoved | EnvMissing | EnvStatus | EnvShared => Category::Env,
        }
    }

    /// Added (`+`), removed (`-`) or changed (`~`).
    pub fn sign(self) -> char {
        use ChangeKind::*;
        match self {
            ServiceAdded | ExternalAdded | ConnectionAdded | EnvAdded => '+',
            ServiceRemoved | ExternalRemoved | ConnectionRemoved | EnvRemoved => '-',
            ServiceMoved | ServiceChanged | ExternalChanged | ConnectionRerouted | EnvMissing | EnvStatus
            | EnvShared => '~',
        }
    }
}

/// One architectural change, with what backs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub category: Category,
    /// A service or external id, `from -> to` for a connection, an env var name.
    pub subject: String,
    /// The thing as it is now (as it was, when removed): the fields the graph hash covers.
    pub item: serde_json::Value,
    /// For changes of an existing thing: each field that differs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    pub evidence: Vec<Evidence>,
    /// The allow rule's reason, when `pruv.toml` expects this change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    /// The policy fails on this change (exit 5).
    pub fails: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// A line that backs a change, in the old or the new tree.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    pub side: Which,
    pub path: String,
    pub line: u32,
    pub rule: String,
}

impl Evidence {
    /// The first `limit` evidence lines of a scanned thing, on `side`.
    pub fn of(side: Which, found: &[crate::scan::model::Evidence], limit: usize) -> Vec<Evidence> {
        found
            .iter()
            .take(limit)
            .map(|e| Evidence { side, path: e.path.clone(), line: e.line, rule: e.rule.clone() })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    Old,
    New,
}
