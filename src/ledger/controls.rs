//! Approvals of high-value transfers: what an approver signs, and whether a
//! set of approvals reaches the ledger's quorum.

use super::state::{Approval, Controls, Payment};
use crate::core::json::{self, Value};
use crate::core::sign::{PublicKey, SecretKey};
use crate::typed_state::object;

/// Domain separator of an approval signature.
pub const APPROVAL_CONTEXT: &str = "pruv.ledger.approval/1:";

/// What an approver signs: the ledger, the transfer's entry and every field
/// of the payment, so a signature approves one transfer of one ledger only.
pub fn approval_message(chain_id: &str, entry: u64, payment: &Payment) -> String {
    let mut value = object([("ledger", chain_id.into()), ("entry", entry.into())]);
    if let Value::Object(map) = &mut value {
        for (key, field) in payment.fields() {
            map.insert(key.into(), field);
        }
    }
    format!("{APPROVAL_CONTEXT}{}", json::canonical(&value))
}

pub fn approve(key: &SecretKey, chain_id: &str, entry: u64, payment: &Payment) -> Approval {
    Approval {
        signer_id: key.signer_id.clone(),
        public_key: key.public().to_base64(),
        signature: key.sign_base64(approval_message(chain_id, entry, payment).as_bytes()),
    }
}

/// Checks one approval: by a pinned approver, and a valid signature over
/// this transfer. Returns the approver's public key.
pub fn check(controls: &Controls, approval: &Approval, message: &str) -> Result<String, String> {
    if !controls.approvers.iter().any(|(_, key)| *key == approval.public_key) {
        return Err(format!(
            "approval by {} ({}) is not by one of the ledger's approvers",
            approval.signer_id, approval.public_key
        ));
    }
    let key = PublicKey::from_text(&approval.public_key)
        .ok_or_else(|| format!("approval by {}: not an Ed25519 public key", approval.signer_id))?;
    key.verify_base64(message.as_bytes(), &approval.signature)
        .map_err(|problem| format!("approval by {}: {problem}", approval.signer_id))?;
    Ok(approval.public_key.clone())
}

/// The `[ledger]` table of `pruv.toml`:
///
/// ```toml
/// [ledger]
/// approval-threshold = { USD = "10000.00" }   # transfers above it need approvals
/// approvals-required = 2
/// approvers = { cfo = "keys/cfo.pub", ceo = "keys/ceo.pub" }  # key files or base64 keys
/// ```
#[derive(serde::Deserialize)]
struct PolicyFile {
    ledger: Option<LedgerTable>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LedgerTable {
    approval_threshold: std::collections::BTreeMap<String, String>,
    approvals_required: u32,
    approvers: std::collections::BTreeMap<String, String>,
}

/// The controls a policy file sets (`None` without a `[ledger]` table).
/// Key files are found relative to the policy file.
pub fn from_policy(path: &std::path::Path) -> Result<Option<Controls>, String> {
    let origin = path.display().to_string();
    let file: PolicyFile = crate::policy::read(path)?;
    let Some(table) = file.ledger else { return Ok(None) };
    let mut thresholds = std::collections::BTreeMap::new();
    for (code, amount) in &table.approval_threshold {
        let currency =
            super::Currency::parse(code).map_err(|e| format!("{origin}: [ledger] approval-threshold: {e}"))?;
        let value = super::amount::parse_balance(amount, currency)
            .map_err(|e| format!("{origin}: [ledger] approval-threshold: {e}"))?;
        thresholds.insert(currency, value);
    }
    let mut approvers = Vec::new();
    for (signer, key) in &table.approvers {
        let public =
            crate::policy::pinned_key(path, key).map_err(|e| format!("{origin}: [ledger] approvers.{signer}: {e}"))?;
        approvers.push((signer.clone(), public.to_base64()));
    }
    Ok(Some(Controls { thresholds, required: table.approvals_required, approvers }))
}
