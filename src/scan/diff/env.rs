//! Env vars: added, removed, status changed (defined → missing is the one
//! that breaks a deploy), shared-ness changed. Only the system's
//! configuration counts ([`EnvVar::is_system_config`]).

use std::collections::BTreeMap;

use serde_json::json;

use super::model::{Change, ChangeKind, Evidence, FieldChange, Which};
use crate::scan::model::{EnvStatus, EnvVar, ScanDocument};

/// Evidence lines shown per variable.
const EVIDENCE: usize = 3;

pub fn compare(old: &ScanDocument, new: &ScanDocument) -> Vec<Change> {
    // Platform names and variables only CI jobs set are not the system's
    // configuration: their churn is not an architecture change.
    let system = |document: &'_ ScanDocument| -> BTreeMap<String, EnvVar> {
        document.env_vars.iter().filter(|v| v.is_system_config()).map(|v| (v.name.clone(), v.clone())).collect()
    };
    let (old_vars, new_vars) = (system(old), system(new));
    let old_by_name: BTreeMap<&str, &EnvVar> = old_vars.iter().map(|(n, v)| (n.as_str(), v)).collect();
    let new_by_name: BTreeMap<&str, &EnvVar> = new_vars.iter().map(|(n, v)| (n.as_str(), v)).collect();
    let mut changes = Vec::new();
    for (name, before) in &old_by_name {
        let Some(after) = new_by_name.get(name) else {
            changes.push(change(ChangeKind::EnvRemoved, before, vec![], Which::Old));
            continue;
        };
        if before.status != after.status {
            let kind = if after.status == EnvStatus::Missing { ChangeKind::EnvMissing } else { ChangeKind::EnvStatus };
            let field = FieldChange { field: "status", before: json!(before.status), after: json!(after.status) };
            changes.push(change(kind, after, vec![field], Which::New));
        }
        if before.shared != after.shared {
            let field = FieldChange { field: "shared", before: json!(before.shared), after: json!(after.shared) };
            changes.push(change(ChangeKind::EnvShared, after, vec![field], Which::New));
        }
    }
    for (name, after) in &new_by_name {
        if !old_by_name.contains_key(name) {
            let kind = if after.status == EnvStatus::Missing { ChangeKind::EnvMissing } else { ChangeKind::EnvAdded };
            changes.push(change(kind, after, vec![], Which::New));
        }
    }
    changes
}

fn change(kind: ChangeKind, var: &EnvVar, fields: Vec<FieldChange>, side: Which) -> Change {
    // Reads first (they are what breaks when a definition goes), then definitions.
    let reads = var.used.iter().map(|u| Evidence { side, path: u.path.clone(), line: u.line, rule: u.rule.clone() });
    let definitions = var.defined.iter().map(|d| Evidence {
        side,
        path: d.path.clone(),
        line: d.line,
        rule: format!("defined.{}", d.source),
    });
    Change {
        kind,
        category: kind.category(),
        subject: var.name.clone(),
        item: json!({ "name": var.name, "status": var.status, "shared": var.shared }),
        fields,
        evidence: reads.chain(definitions).take(EVIDENCE).collect(),
        allowed: None,
        fails: false,
    }
}
