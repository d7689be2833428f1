//! The names services go by, scoped to the directory they are valid in.

use std::collections::BTreeMap;

use crate::scan::paths::is_under;

/// The names services go by, each valid within a directory: a compose
/// name within its compose file's directory, a directory's name within its
/// parent, ids and k8s names everywhere (""). Independent projects in one
/// tree can each have their own `db` and `backend`.
#[derive(Default)]
pub(super) struct Names(pub(super) BTreeMap<String, Vec<(String, String)>>);

impl Names {
    /// Sets `name` in `scope`, replacing what it meant there.
    pub(super) fn set(&mut self, name: &str, scope: &str, id: &str) {
        let entries = self.0.entry(name.to_owned()).or_default();
        entries.retain(|(s, _)| s != scope);
        entries.push((scope.to_owned(), id.to_owned()));
    }

    /// Adds `name` in `scope` unless it already means something there.
    pub(super) fn add(&mut self, name: &str, scope: &str, id: &str) {
        let entries = self.0.entry(name.to_owned()).or_default();
        if !entries.iter().any(|(s, _)| s == scope) {
            entries.push((scope.to_owned(), id.to_owned()));
        }
    }

    /// What `name` means to something in directory `from`: the innermost
    /// scope enclosing it, else the name's only meaning, if it has one.
    pub(super) fn get(&self, name: &str, from: &str) -> Option<String> {
        let entries = self.0.get(name)?;
        let visible = entries
            .iter()
            .filter(|(scope, _)| scope.is_empty() || scope == from || is_under(from, scope))
            .max_by_key(|(scope, _)| scope.len());
        visible.or(if entries.len() == 1 { entries.first() } else { None }).map(|(_, id)| id.clone())
    }
}
