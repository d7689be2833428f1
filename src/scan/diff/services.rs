//! Services and external systems: added, removed, changed, and moved (a
//! service whose directory was renamed is the same service, found by the
//! files it took along).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::json;

use super::model::{Change, ChangeKind, Evidence, FieldChange, FileChanges, Which};
use crate::scan::model::{ScanDocument, Service};

/// At least this share of a service's files must reappear, unchanged, under
/// the other root for a removed and an added service to be one that moved.
const MOVED_SHARE: f64 = 0.5;
/// Evidence lines shown per service.
const EVIDENCE: usize = 3;

/// The service and external changes, and the old id of each service that moved to a new id.
pub fn compare(old: &ScanDocument, new: &ScanDocument, files: &FileChanges) -> (Vec<Change>, BTreeMap<String, String>) {
    let old_by_id: BTreeMap<&str, &Service> = old.services.iter().map(|s| (s.id.as_str(), s)).collect();
    let new_by_id: BTreeMap<&str, &Service> = new.services.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut changes = Vec::new();
    let mut moved_ids = BTreeMap::new();

    for (id, before) in &old_by_id {
        if let Some(after) = new_by_id.get(id) {
            changes.extend(changed(before, after));
        }
    }
    let removed: Vec<&Service> =
        old_by_id.iter().filter(|(id, _)| !new_by_id.contains_key(*id)).map(|(_, s)| *s).collect();
    let added: Vec<&Service> =
        new_by_id.iter().filter(|(id, _)| !old_by_id.contains_key(*id)).map(|(_, s)| *s).collect();
    let pairs = moves(old, new, files, &removed, &added);
    let (moved_from, moved_to): (HashSet<&str>, HashSet<&str>) =
        pairs.iter().map(|(before, after)| (before.id.as_str(), after.id.as_str())).unzip();
    for (before, after) in pairs {
        moved_ids.insert(before.id.clone(), after.id.clone());
        changes.extend(changed(before, after));
    }
    for service in removed.into_iter().filter(|s| !moved_from.contains(s.id.as_str())) {
        let kind = if service.kind.is_external() { ChangeKind::ExternalRemoved } else { ChangeKind::ServiceRemoved };
        changes.push(change(kind, service, vec![], Which::Old));
    }
    for service in added.into_iter().filter(|s| !moved_to.contains(s.id.as_str())) {
        let kind = if service.kind.is_external() { ChangeKind::ExternalAdded } else { ChangeKind::ServiceAdded };
        changes.push(change(kind, service, vec![], Which::New));
    }
    (changes, moved_ids)
}

/// The change from `before` to `after` (the same service), if any.
fn changed(before: &Service, after: &Service) -> Option<Change> {
    let mut fields = Vec::new();
    let mut field = |name: &'static str, b: serde_json::Value, a: serde_json::Value| {
        if b != a {
            fields.push(FieldChange { field: name, before: b, after: a });
        }
    };
    field("id", json!(before.id), json!(after.id));
    field("root", json!(before.root), json!(after.root));
    field("kind", json!(before.kind), json!(after.kind));
    field("language", json!(before.language), json!(after.language));
    field("framework", json!(before.framework), json!(after.framework));
    field("ports", json!(before.ports), json!(after.ports));
    if fields.is_empty() {
        return None;
    }
    let moved = fields.iter().any(|f| f.field == "root" || f.field == "id");
    let kind = match (after.kind.is_external(), moved) {
        (true, _) => ChangeKind::ExternalChanged,
        (false, true) => ChangeKind::ServiceMoved,
        (false, false) => ChangeKind::ServiceChanged,
    };
    Some(change(kind, after, fields, Which::New))
}

fn change(kind: ChangeKind, service: &Service, fields: Vec<FieldChange>, side: Which) -> Change {
    Change {
        kind,
        category: kind.category(),
        subject: service.id.clone(),
        item: item(service),
        fields,
        evidence: Evidence::of(side, &service.evidence, EVIDENCE),
        allowed: None,
        fails: false,
    }
}

/// The fields the graph hash covers.
pub fn item(service: &Service) -> serde_json::Value {
    json!({
        "id": service.id,
        "kind": service.kind,
        "language": service.language,
        "framework": service.framework,
        "root": service.root,
        "ports": service.ports,
    })
}

/// Pairs of (removed, added) built services that are one service moved:
/// same kind and language, and most of the old root's files are found,
/// with the same content, under the new root. Best matches first.
fn moves<'a, 'd>(
    old: &'d ScanDocument,
    new: &'d ScanDocument,
    files: &'d FileChanges,
    removed: &[&'a Service],
    added: &[&'a Service],
) -> Vec<(&'a Service, &'a Service)> {
    let new_hash: HashMap<&str, &str> = new.files.iter().map(|f| (f.path.as_str(), f.sha256.as_str())).collect();
    let renamed: HashMap<&str, &str> = files.renamed.iter().map(|r| (r.from.as_str(), r.to.as_str())).collect();
    // Where an old file is now, when its content is unchanged.
    let now_at = |path: &'d str, hash: &str| -> Option<&'d str> {
        match new_hash.get(path) {
            Some(h) if *h == hash => Some(path),
            _ => renamed.get(path).copied(),
        }
    };
    let mut candidates = Vec::new();
    for before in removed.iter().filter(|s| !s.kind.is_external()) {
        let Some(old_root) = before.root.as_deref().filter(|r| !r.is_empty()) else { continue };
        let under_old: Vec<_> = old.files.iter().filter(|f| is_under(&f.path, old_root)).collect();
        if under_old.is_empty() {
            continue;
        }
        // Followed once per removed service, then held against each added one.
        let carried: Vec<&str> = under_old.iter().filter_map(|f| now_at(&f.path, &f.sha256)).collect();
        for after in added.iter().filter(|s| !s.kind.is_external()) {
            if after.kind != before.kind || after.language != before.language {
                continue;
            }
            let Some(new_root) = after.root.as_deref().filter(|r| !r.is_empty()) else { continue };
            let followed = carried.iter().filter(|path| is_under(path, new_root)).count();
            let share = followed as f64 / under_old.len() as f64;
            if share >= MOVED_SHARE {
                candidates.push((share, *before, *after));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)).then_with(|| a.2.id.cmp(&b.2.id)));
    let (mut used_old, mut used_new) = (HashSet::new(), HashSet::new());
    let mut pairs = Vec::new();
    for (_, before, after) in candidates {
        if used_old.contains(before.id.as_str()) || used_new.contains(after.id.as_str()) {
            continue;
        }
        used_old.insert(before.id.as_str());
        used_new.insert(after.id.as_str());
        pairs.push((before, after));
    }
    pairs
}

fn is_under(path: &str, root: &str) -> bool {
    path.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'))
}
