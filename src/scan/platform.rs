//! Env var names the platform, the shell, CI or tooling set
//! (`grammars/platform.toml`): listed, never counted as the system's
//! configuration.

use std::sync::OnceLock;

use serde::Deserialize;

const TABLE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/platform.toml"));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    names: Vec<String>,
    prefixes: Vec<String>,
}

fn table() -> &'static Table {
    static TABLE_CELL: OnceLock<Table> = OnceLock::new();
    // The table ships inside the binary and a test parses it.
    TABLE_CELL.get_or_init(|| toml::from_str(TABLE).unwrap_or_else(|e| panic!("grammars/platform.toml: {e}")))
}

/// Whether `name` is set by the platform or tooling rather than by the system's configuration.
pub fn is_platform(name: &str) -> bool {
    let table = table();
    table.names.iter().any(|n| n == name) || table.prefixes.iter().any(|p| name.starts_with(p.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_names() {
        for name in ["PATH", "CI", "GITHUB_SHA", "LC_ALL", "BUNDLE_GEMFILE", "VITEST", "https_proxy"] {
            assert!(is_platform(name), "{name}");
        }
        for name in ["DATABASE_URL", "PORT", "CIRCLE", "GITHUB", "GITHUB_CLIENT_ID", "REDIS_URL", "NODE_ENV"] {
            assert!(!is_platform(name), "{name}");
        }
    }
}
