//! Connections: added, removed, and rerouted (the same two ends joined
//! through another variable or channel).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::model::{Change, ChangeKind, Evidence, FieldChange, Which};
use crate::scan::model::{Connection, ConnectionKind, ScanDocument};

/// Evidence lines shown per connection.
const EVIDENCE: usize = 3;

/// `moved` maps the old id of a moved service to its new one, so that its
/// connections compare as the same connections.
pub fn compare(old: &ScanDocument, new: &ScanDocument, moved: &BTreeMap<String, String>) -> Vec<Change> {
    let rename = |id: &str| moved.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let key = |c: &Connection, renamed: bool| -> (String, String, ConnectionKind, Option<String>) {
        let (from, to) = if renamed { (rename(&c.from), rename(&c.to)) } else { (c.from.clone(), c.to.clone()) };
        (from, to, c.kind, c.via.clone())
    };
    let old_by_key: BTreeMap<_, &Connection> = old.connections.iter().map(|c| (key(c, true), c)).collect();
    let new_by_key: BTreeMap<_, &Connection> = new.connections.iter().map(|c| (key(c, false), c)).collect();
    let mut removed: Vec<_> = old_by_key.iter().filter(|(k, _)| !new_by_key.contains_key(*k)).collect();
    let mut added: Vec<_> = new_by_key.iter().filter(|(k, _)| !old_by_key.contains_key(*k)).collect();

    let mut changes = Vec::new();
    let mut rerouted_old = BTreeSet::new();
    let mut rerouted_new = BTreeSet::new();
    for (old_key, before) in &removed {
        let partner = added
            .iter()
            .find(|(new_key, _)| new_key.0 == old_key.0 && new_key.1 == old_key.1 && !rerouted_new.contains(*new_key));
        if let Some((new_key, after)) = partner {
            rerouted_old.insert(*old_key);
            rerouted_new.insert(*new_key);
            let mut fields = Vec::new();
            if before.via != after.via {
                fields.push(FieldChange { field: "via", before: json!(before.via), after: json!(after.via) });
            }
            if before.kind != after.kind {
                fields.push(FieldChange { field: "kind", before: json!(before.kind), after: json!(after.kind) });
            }
            changes.push(change(ChangeKind::ConnectionRerouted, after, fields, Which::New));
        }
    }
    removed.retain(|(k, _)| !rerouted_old.contains(k));
    added.retain(|(k, _)| !rerouted_new.contains(k));
    for (_, before) in removed {
        let mut change = change(ChangeKind::ConnectionRemoved, before, vec![], Which::Old);
        // Name the ends as they are now, so a moved service's lost link reads right.
        change.subject = format!("{} -> {}", rename(&before.from), rename(&before.to));
        changes.push(change);
    }
    for (_, after) in added {
        changes.push(change(ChangeKind::ConnectionAdded, after, vec![], Which::New));
    }
    changes
}

fn change(kind: ChangeKind, connection: &Connection, fields: Vec<FieldChange>, side: Which) -> Change {
    Change {
        kind,
        category: kind.category(),
        subject: format!("{} -> {}", connection.from, connection.to),
        item: json!({
            "from": connection.from,
            "to": connection.to,
            "via": connection.via,
            "kind": connection.kind,
        }),
        fields,
        evidence: Evidence::of(side, &connection.evidence, EVIDENCE),
        allowed: None,
        fails: false,
    }
}
