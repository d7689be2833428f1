//! The hashes of a scan: of its architecture (`graph_hash`) and of its files (`tree_hash`).
//!
//! `graph_hash` is the SHA-256 of the canonical JSON (see `core::json`) of
//! `{"connections": [...], "env_vars": [...], "services": [...]}`, where
//! services carry `id, kind, language, framework, root, ports, role`, env vars
//! `name, status, shared, platform`, and connections `from, to, via, kind, vias,
//! kinds`, each list
//! sorted. No evidence, line numbers, file hashes or times: a change inside
//! a service that the scanner does not see as architecture keeps the hash.

use super::model::{Connection, EnvVar, Service};
use crate::core::hash::sha256_hex;
use crate::core::json::{self, Value};
use crate::typed_state::{object, optional};

pub fn graph_hash(services: &[Service], env_vars: &[EnvVar], connections: &[Connection]) -> String {
    let text = |s: &str| Value::from(s);

    // The hash needs each list in a canonical order, nothing of a graph's
    // structure: the lists are hashed as they are, sorted.
    let mut nodes: Vec<Value> = services
        .iter()
        .map(|s| {
            object([
                ("id", text(&s.id)),
                ("kind", text(s.kind.as_str())),
                ("language", optional(s.language.as_deref())),
                ("framework", optional(s.framework.as_deref())),
                ("root", optional(s.root.as_deref())),
                ("ports", Value::Array(s.ports.iter().map(|p| Value::from(u64::from(*p))).collect())),
                ("role", optional(s.role.map(|r| r.as_str()))),
            ])
        })
        .collect();
    let mut edges: Vec<Value> = connections
        .iter()
        .map(|c| {
            object([
                ("from", text(&c.from)),
                ("to", text(&c.to)),
                ("via", optional(c.via.as_deref())),
                ("kind", text(c.kind.as_str())),
                ("vias", Value::Array(c.vias.iter().map(|v| text(v)).collect())),
                ("kinds", Value::Array(c.kinds.iter().map(|k| text(k.as_str())).collect())),
            ])
        })
        .collect();
    let mut vars: Vec<Value> = env_vars
        .iter()
        .map(|v| {
            object([
                ("name", text(&v.name)),
                ("status", text(v.status.as_str())),
                ("shared", Value::Bool(v.shared)),
                ("platform", Value::Bool(v.platform)),
            ])
        })
        .collect();
    for list in [&mut nodes, &mut edges, &mut vars] {
        list.sort_by_cached_key(json::canonical);
    }
    let document = object([
        ("connections", Value::Array(edges)),
        ("env_vars", Value::Array(vars)),
        ("services", Value::Array(nodes)),
    ]);
    sha256_hex(json::canonical(&document).as_bytes())
}

/// `tree_hash`: SHA-256 over `<sha256>  <path>\n` for every file, sorted by path.
pub fn tree_hash<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut text = String::new();
    for (sha256, path) in files {
        text.push_str(sha256);
        text.push_str("  ");
        text.push_str(path);
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}
