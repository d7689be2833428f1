//! The differ: what changed in the architecture between two scans.
//!
//! Equal graph hashes mean no architectural change, at once; so do hashes
//! that differ only by what is not architecture (CI-only variables,
//! platform names), which leave no change behind. Otherwise
//! services are matched by id, then removed and added services by the
//! files they share (a renamed directory is a moved service, not one
//! removed and one added); connections are compared with moved ids
//! followed; env vars by name. File-level counts come from the file lists,
//! with renames found by identical content.

mod env;
mod files;
mod links;
pub mod model;
pub mod policy;
mod services;

pub use model::{Category, Change, ChangeKind, DIFF_FORMAT, Diff, Evidence, FileChanges, Side, Which};

use crate::scan::model::ScanDocument;

/// Compares `old` with `new`; the labels say how each was named.
pub fn diff(old: &ScanDocument, old_label: &str, new: &ScanDocument, new_label: &str) -> Diff {
    let files = files::compare(&old.files, &new.files);
    let mut changes = Vec::new();
    if old.graph_hash != new.graph_hash {
        let (service_changes, moved) = services::compare(old, new, &files);
        changes.extend(service_changes);
        changes.extend(links::compare(old, new, &moved));
        changes.extend(env::compare(old, new));
        changes.sort_by(|a, b| (a.category, a.kind, &a.subject).cmp(&(b.category, b.kind, &b.subject)));
    }
    // The hash also covers what is not architecture (variables only CI jobs
    // set, platform names): when that is all that differs, nothing changed.
    let architecture_changed = !changes.is_empty();
    Diff {
        format: DIFF_FORMAT,
        old: side(old, old_label),
        new: side(new, new_label),
        architecture_changed,
        files,
        changes,
        failing: 0,
    }
}

fn side(document: &ScanDocument, label: &str) -> Side {
    Side {
        label: label.to_owned(),
        scanned_at: document.scanned_at.clone(),
        tree_hash: document.tree_hash.clone(),
        graph_hash: document.graph_hash.clone(),
        git: document.git.clone(),
        files: document.stats.files,
        services: document.services.iter().filter(|s| !s.kind.is_external()).count(),
    }
}

#[cfg(test)]
mod tests;
