//! What a proving session may do: which commands it may run and must see
//! pass, which files a patch may write, how far it may go, and how the
//! commands are confined. Read from `pruv.toml`'s `[prove]` table or from
//! a TOML or YAML file of its own (`--policy FILE`).

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use serde_json::Value;

/// Paths a patch may never write, whatever a policy says: the repository's
/// history and pruv's own store and bundles.
pub const PROTECTED: [&str; 2] = [".git/**", ".pruv/**"];
/// Denied unless a policy's `write.deny` is given in full (it replaces these).
pub const DEFAULT_DENY: [&str; 4] = ["**/.env", "**/.env.*", "**/secrets/**", "**/*.pem"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Commands that must also pass, after the one given, for the session to prove anything.
    pub targets: Vec<String>,
    /// Globs over the whole command line; the command and every target must
    /// match one. Empty: whatever the command line and policy name.
    pub commands: Vec<String>,
    pub write: Write,
    pub limits: Limits,
    pub sandbox: Backend,
    /// The container image, for `sandbox = "container"`.
    pub image: Option<String>,
    pub network: Network,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Write {
    pub allow: Vec<String>,
    pub deny: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Runs of the command, the first included.
    pub attempts: u32,
    /// Distinct files the patches of a session may change, in all.
    pub files_changed: usize,
    /// The size of one proposed patch.
    pub patch_bytes: usize,
    /// Each run of a command, and each proposal.
    pub timeout_secs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Local,
    Container,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    Deny,
    Allow,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            targets: Vec::new(),
            commands: Vec::new(),
            write: Write::default(),
            limits: Limits::default(),
            sandbox: Backend::Local,
            image: None,
            network: Network::Deny,
        }
    }
}

impl Default for Write {
    fn default() -> Write {
        Write { allow: vec!["**".into()], deny: DEFAULT_DENY.iter().map(|s| (*s).to_owned()).collect() }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { attempts: 3, files_changed: 10, patch_bytes: 64 * 1024, timeout_secs: 600 }
    }
}

/// `pruv.toml` as this module reads it.
#[derive(Deserialize)]
struct PolicyFile {
    #[serde(default)]
    prove: Option<Policy>,
}

/// Where a policy came from, for the bundle and the messages.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub policy: Policy,
    /// The file, or `None` for the defaults.
    pub origin: Option<String>,
}

/// The policy `--policy FILE` names, else `pruv.toml`'s `[prove]` in `dir`, else the defaults.
pub fn load(explicit: Option<&Path>, dir: &Path) -> Result<Loaded, String> {
    let loaded = match explicit {
        Some(path) => Loaded { policy: read_own_file(path)?, origin: Some(path.display().to_string()) },
        None => {
            let file = dir.join(crate::policy::POLICY_FILE);
            match file.is_file() {
                true => {
                    let read: PolicyFile = crate::policy::read(&file)?;
                    Loaded { policy: read.prove.unwrap_or_default(), origin: Some(file.display().to_string()) }
                }
                false => Loaded { policy: Policy::default(), origin: None },
            }
        }
    };
    loaded.policy.check().map_err(|e| format!("{}: {e}", loaded.origin.as_deref().unwrap_or("policy")))?;
    Ok(loaded)
}

/// A policy file of its own: TOML (the keys at the top, or under `[prove]`) or YAML.
fn read_own_file(path: &Path) -> Result<Policy, String> {
    let text = crate::policy::read_text(path)?;
    let origin = path.display();
    let yaml = matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
    let value: Value = if yaml {
        let documents = crate::scan::config::yaml::parse(&text).map_err(|e| format!("{origin}: {e}"))?;
        documents.first().map_or(Value::Object(Default::default()), yaml_value)
    } else {
        toml::from_str::<Value>(&text)
            .map_err(|e| format!("{origin}: {}", e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")))?
    };
    let value = match value {
        Value::Object(mut map) if map.len() == 1 && map.contains_key("prove") => {
            map.remove("prove").unwrap_or_default()
        }
        other => other,
    };
    serde_json::from_value(value).map_err(|e| format!("{origin}: {e}"))
}

/// A YAML node as JSON: the reader keeps scalars as text, so numbers and
/// booleans are recognised here, as YAML 1.2's core schema would.
fn yaml_value(node: &crate::scan::config::yaml::Node) -> Value {
    use crate::scan::config::yaml::Yaml;
    match &node.value {
        Yaml::Null => Value::Null,
        Yaml::Scalar(text) => match text.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => text.parse::<u64>().map_or_else(|_| Value::String(text.clone()), Value::from),
        },
        Yaml::Seq(items) => Value::Array(items.iter().map(yaml_value).collect()),
        Yaml::Map(entries) => Value::Object(entries.iter().map(|(k, v)| (k.clone(), yaml_value(v))).collect()),
    }
}

impl Policy {
    fn check(&self) -> Result<(), String> {
        if self.limits.attempts == 0 {
            return Err("limits.attempts must be at least 1".into());
        }
        if self.limits.timeout_secs == 0 {
            return Err("limits.timeout_secs must be at least 1".into());
        }
        if self.sandbox == Backend::Container && self.image.as_deref().is_none_or(|i| i.trim().is_empty()) {
            return Err("sandbox = \"container\" needs an image (image = \"python:3.12\")".into());
        }
        self.writes()?;
        commands_set(&self.commands)?;
        Ok(())
    }

    /// The write rules, compiled.
    pub fn writes(&self) -> Result<Writes, String> {
        let deny = self.denied();
        Ok(Writes { allow: glob_set(&self.write.allow)?, deny: glob_set(&deny)?, deny_patterns: deny })
    }

    /// Every pattern a patch may not write: the protected paths, then the policy's own.
    pub fn denied(&self) -> Vec<String> {
        PROTECTED.iter().map(|s| (*s).to_owned()).chain(self.write.deny.iter().cloned()).collect()
    }

    /// Why `command` may not run under this policy, if it may not.
    pub fn refuses_command(&self, command: &str) -> Option<String> {
        let allowed = commands_set(&self.commands).ok()?;
        match allowed {
            Some(set) if !set.is_match(command.trim()) => {
                Some(format!("the policy's commands ({}) do not allow `{}`", self.commands.join(", "), command.trim()))
            }
            _ => None,
        }
    }
}

/// Which paths a patch may write.
pub struct Writes {
    allow: GlobSet,
    deny: GlobSet,
    deny_patterns: Vec<String>,
}

impl Writes {
    /// Why a patch may not write `path` (relative, `/`-separated), if it may not.
    pub fn refuses(&self, path: &str) -> Option<String> {
        if let Some(&i) = self.deny.matches(path).first() {
            return Some(format!("{path} is denied by `{}`", self.deny_patterns[i]));
        }
        (!self.allow.is_match(path)).then(|| format!("{path} is outside the write allowlist"))
    }
}

fn glob_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        // `*` stays within one directory; `**` crosses them.
        let glob = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("bad glob {pattern:?}: {e}"))?;
        builder.add(glob);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Command-line globs: `*` matches anything, `/` and spaces included.
fn commands_set(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern.trim()).map_err(|e| format!("bad command pattern {pattern:?}: {e}"))?);
    }
    builder.build().map(Some).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_pruvs_own_files_are_denied_by_default() {
        let writes = Policy::default().writes().unwrap();
        for path in [".env", "app/.env", "config/.env.production", "secrets/db.txt", "a/secrets/b/c", "key.pem"] {
            assert!(writes.refuses(path).unwrap().contains("denied"), "{path}");
        }
        for path in [".git/config", ".pruv/pruv.db"] {
            assert!(writes.refuses(path).is_some(), "{path}");
        }
        for path in ["src/lib.rs", "README.md", "environment.py", "envs/x"] {
            assert_eq!(writes.refuses(path), None, "{path}");
        }
    }

    #[test]
    fn an_allowlist_confines_writes_and_a_deny_list_replaces_the_defaults_but_not_the_protected_paths() {
        let policy: Policy = crate::policy::parse::<PolicyFile>(
            "[prove]\nwrite.allow = [\"src/**\", \"tests/*.py\"]\nwrite.deny = [\"src/generated/**\"]\n",
        )
        .unwrap()
        .prove
        .unwrap();
        let writes = policy.writes().unwrap();
        assert_eq!(writes.refuses("src/a/b.rs"), None);
        assert_eq!(writes.refuses("tests/test_a.py"), None);
        assert!(writes.refuses("tests/deep/test_a.py").unwrap().contains("allowlist"));
        assert!(writes.refuses("src/generated/x.rs").unwrap().contains("src/generated/**"));
        assert_eq!(writes.refuses("src/.env"), None, "the deny list given replaces the defaults");
        assert!(writes.refuses(".git/HEAD").is_some());
    }

    #[test]
    fn commands_are_matched_as_whole_command_lines() {
        let policy = Policy { commands: vec!["pytest*".into(), "make test".into()], ..Policy::default() };
        assert_eq!(policy.refuses_command("pytest -q tests/"), None);
        assert_eq!(policy.refuses_command("make test"), None);
        assert!(policy.refuses_command("make deploy").is_some());
        assert_eq!(Policy::default().refuses_command("anything at all"), None);
    }

    #[test]
    fn toml_and_yaml_files_read_the_same_and_mistakes_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let toml_file = dir.path().join("p.toml");
        std::fs::write(&toml_file, "targets = [\"make lint\"]\nnetwork = \"allow\"\n[limits]\nattempts = 5\n").unwrap();
        let yaml_file = dir.path().join("p.yaml");
        std::fs::write(&yaml_file, "prove:\n  targets: [make lint]\n  network: allow\n  limits:\n    attempts: 5\n")
            .unwrap();
        let a = load(Some(&toml_file), dir.path()).unwrap().policy;
        let b = load(Some(&yaml_file), dir.path()).unwrap().policy;
        assert_eq!(a, b);
        assert_eq!((a.limits.attempts, a.network, a.limits.files_changed), (5, Network::Allow, 10));

        std::fs::write(&toml_file, "[limits]\natempts = 5\n").unwrap();
        assert!(load(Some(&toml_file), dir.path()).unwrap_err().contains("atempts"));
        std::fs::write(&toml_file, "sandbox = \"container\"\n").unwrap();
        assert!(load(Some(&toml_file), dir.path()).unwrap_err().contains("needs an image"));
        std::fs::write(&toml_file, "[write]\nallow = [\"src/[\"]\n").unwrap();
        assert!(load(Some(&toml_file), dir.path()).unwrap_err().contains("bad glob"));

        // No file at all: the defaults.
        let none = load(None, dir.path()).unwrap();
        assert_eq!((none.policy, none.origin), (Policy::default(), None));
        std::fs::write(dir.path().join("pruv.toml"), "[prove.limits]\nattempts = 2\n").unwrap();
        assert_eq!(load(None, dir.path()).unwrap().policy.limits.attempts, 2);
    }
}
