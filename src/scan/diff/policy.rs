//! What a diff fails on: `--fail-on` and the `[diff]` table of `pruv.toml`,
//! whose allow-list names expected changes that never fail.
//!
//! ```toml
//! [diff]
//! fail-on = ["service", "external", "connection", "env-missing"]
//!
//! [[diff.allow]]
//! kind = "external-added"
//! subject = "redis"
//! reason = "cache for sessions, ADR-12"
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::model::{Category, ChangeKind, Diff};

/// The policy file's name, looked for in the scanned directory.
pub use crate::policy::POLICY_FILE;

/// A set of change kinds, named by `any`, a category (`service`,
/// `external`, `connection`, `env`) or a kind (`env-missing`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    kinds: BTreeSet<ChangeKind>,
}

impl Selector {
    /// Parses names separated by commas (or given one by one).
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Selector, String> {
        let mut kinds = BTreeSet::new();
        for name in names.into_iter().flat_map(|n| n.split(',')).map(str::trim).filter(|n| !n.is_empty()) {
            let matched: Vec<ChangeKind> = match name {
                "any" | "all" => ChangeKind::ALL.to_vec(),
                "none" => vec![],
                _ => ChangeKind::ALL
                    .into_iter()
                    .filter(|k| k.as_str() == name || k.category().as_str() == name)
                    .collect(),
            };
            if matched.is_empty() && name != "none" {
                return Err(format!("unknown change kind {name:?}; use any, {}", Selector::vocabulary()));
            }
            kinds.extend(matched);
        }
        Ok(Selector { kinds })
    }

    pub fn matches(&self, kind: ChangeKind) -> bool {
        self.kinds.contains(&kind)
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    fn vocabulary() -> String {
        let categories = [Category::Service, Category::External, Category::Connection, Category::Env];
        let mut names: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
        names.extend(ChangeKind::ALL.iter().map(|k| k.as_str()));
        names.join(", ")
    }
}

/// An expected change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    pub kinds: Selector,
    /// `*` matches any run of characters; `->` or `→` between connection ends.
    pub subject: String,
    pub reason: String,
}

impl Allow {
    fn covers(&self, kind: ChangeKind, subject: &str) -> bool {
        self.kinds.matches(kind) && wildcard(&normalise(&self.subject), subject)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// None: the file does not say.
    pub fail_on: Option<Selector>,
    pub allow: Vec<Allow>,
    /// Where it was read from.
    pub origin: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    diff: Option<DiffTable>,
    /// Read by the ledger (`ledger::controls::from_policy`), not here.
    #[serde(default)]
    #[allow(dead_code)]
    ledger: Option<toml::Table>,
    /// Read by `pruv run` (`run::approval::from_policy`), not here.
    #[serde(default)]
    #[allow(dead_code)]
    run: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DiffTable {
    fail_on: Option<Vec<String>>,
    #[serde(default)]
    allow: Vec<AllowTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowTable {
    kind: String,
    #[serde(default = "any_subject")]
    subject: String,
    reason: String,
}

fn any_subject() -> String {
    "*".to_owned()
}

impl Policy {
    /// Reads a policy file; the message names the file and what is wrong.
    pub fn load(path: &Path) -> Result<Policy, String> {
        let text = crate::policy::read_text(path)?;
        Policy::parse(&text).map_err(|e| format!("{}: {e}", path.display())).map(|mut policy| {
            policy.origin = Some(path.to_owned());
            policy
        })
    }

    pub fn parse(text: &str) -> Result<Policy, String> {
        let file: PolicyFile = crate::policy::parse(text)?;
        let Some(diff) = file.diff else { return Ok(Policy::default()) };
        let fail_on = diff
            .fail_on
            .map(|names| Selector::parse(names.iter().map(String::as_str)))
            .transpose()
            .map_err(|e| format!("[diff] fail-on: {e}"))?;
        let mut allow = Vec::new();
        for (i, rule) in diff.allow.into_iter().enumerate() {
            let kinds = Selector::parse([rule.kind.as_str()]).map_err(|e| format!("[[diff.allow]] #{}: {e}", i + 1))?;
            if rule.reason.trim().is_empty() {
                return Err(format!("[[diff.allow]] #{}: reason must say why the change is expected", i + 1));
            }
            allow.push(Allow { kinds, subject: rule.subject, reason: rule.reason });
        }
        Ok(Policy { fail_on, allow, origin: None })
    }
}

/// Marks allowed and failing changes; returns how many fail.
pub fn apply(diff: &mut Diff, fail_on: &Selector, allow: &[Allow]) -> usize {
    for change in &mut diff.changes {
        change.allowed = allow.iter().find(|a| a.covers(change.kind, &change.subject)).map(|a| a.reason.clone());
        change.fails = change.allowed.is_none() && fail_on.matches(change.kind);
    }
    diff.failing = diff.changes.iter().filter(|c| c.fails).count();
    diff.failing
}

fn normalise(subject: &str) -> String {
    subject.replace('→', "->").split("->").map(str::trim).collect::<Vec<_>>().join(" -> ")
}

/// `*` matches any run of characters (none included); everything else itself.
fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_name_kinds_categories_and_any() {
        let selector = Selector::parse(["service,env-missing"]).unwrap();
        assert!(selector.matches(ChangeKind::ServiceMoved));
        assert!(selector.matches(ChangeKind::EnvMissing));
        assert!(!selector.matches(ChangeKind::EnvAdded));
        assert!(Selector::parse(["any"]).unwrap().matches(ChangeKind::EnvShared));
        assert!(Selector::parse(["none"]).unwrap().is_empty());
        let error = Selector::parse(["servce"]).unwrap_err();
        assert!(error.contains("unknown change kind \"servce\"") && error.contains("env-missing"), "{error}");
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("*", ""));
        assert!(wildcard("redis*", "redis-cache"));
        assert!(wildcard("*-> stripe", "api -> stripe"));
        assert!(wildcard("a*b*c", "axxbyyc"));
        assert!(!wildcard("a*b*c", "axxc"));
        assert!(!wildcard("ab*ba", "aba"), "the ends may not overlap");
        assert!(!wildcard("redis", "redis2"));
    }

    #[test]
    fn policy_files_parse_and_say_what_is_wrong() {
        let policy = Policy::parse(
            "[diff]\nfail-on = [\"any\"]\n[[diff.allow]]\nkind = \"connection\"\nsubject = \"web → api\"\nreason = \"ADR-7\"\n",
        )
        .unwrap();
        assert!(policy.fail_on.unwrap().matches(ChangeKind::EnvShared));
        assert!(policy.allow[0].covers(ChangeKind::ConnectionAdded, "web -> api"));
        assert!(!policy.allow[0].covers(ChangeKind::ServiceAdded, "web -> api"));
        let error = Policy::parse("[diff]\nfail_on = [\"any\"]\n").unwrap_err();
        assert!(error.contains("fail_on"), "{error}");
        let error = Policy::parse("[diff]\n[[diff.allow]]\nkind = \"external-added\"\nreason = \" \"\n").unwrap_err();
        assert!(error.contains("reason must say why"), "{error}");
        let error = Policy::parse("[diff]\nfail-on = [\"sevice\"]\n").unwrap_err();
        assert!(error.starts_with("[diff] fail-on: unknown change kind"), "{error}");
        assert_eq!(Policy::parse("").unwrap(), Policy::default());
    }
}
