//! Re-verifying a receipt offline: verify the chain it carries, derive
//! every claim again from that chain (and the identity chains it carries),
//! compare field by field, and check the signature when there is one.

use serde::Serialize;

use super::{Inputs, Receipt, signing_message};
use crate::core::chain::{Chain, ChainDocument};
use crate::core::json::{self, Value};
use crate::core::sign::PublicKey;
use crate::core::verify::{Report, VerifyOptions, verify_document};
use crate::error::{Error, Result};

pub const REPORT_FORMAT: &str = "pruv.receipt.verify/1";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceiptVerification {
    pub format: &'static str,
    pub receipt_type: Option<String>,
    pub chain_id: Option<String>,
    /// The embedded chain, verified as `pruv verify` verifies an export.
    pub chain: Report,
    /// Claims that the embedded chains do not bear out.
    pub mismatches: Vec<Mismatch>,
    /// absent | valid | invalid
    pub signature: &'static str,
    pub signature_problem: Option<String>,
    /// Every claim matches and the signature, if any, holds.
    pub authentic: bool,
    /// The re-derived verdict: every check of the receipt passed.
    pub all_checks_passed: bool,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    /// The field, as a path (`product_data.scopes[0]`).
    pub field: String,
    pub message: String,
}

/// Verifies a receipt document. `options.pinned_key` pins the receipt's
/// signer; `options.require_signatures` requires a signature.
pub fn verify(document: &Value, origin: &str, options: &VerifyOptions) -> Result<ReceiptVerification> {
    let map = document.as_object().ok_or_else(|| Error::InvalidInput(format!("{origin}: a receipt is an object")))?;
    let claimed_str = |field: &str| map.get(field).and_then(Value::as_str).map(str::to_owned);
    let chain_value = map.get("chain").ok_or_else(|| {
        Error::InvalidInput(format!(
            "{origin}: the receipt carries no `chain`; only receipts from `pruv receipt` can be re-verified"
        ))
    })?;
    let document_of = |value: &Value| {
        ChainDocument::from_value(value.clone()).map_err(|source| Error::Document { origin: origin.to_owned(), source })
    };
    let chain_document = document_of(chain_value)?;
    let report = verify_document(&chain_document, &VerifyOptions::default());
    let mut mismatches = Vec::new();
    let mut mismatch = |field: &str, message: String| mismatches.push(Mismatch { field: field.to_owned(), message });

    let mut identity_chains: Vec<Chain> = Vec::new();
    if let Some(Value::Array(items)) = map.get("identity_chains") {
        for (i, item) in items.iter().enumerate() {
            match document_of(item)?.into_chain() {
                Some(chain) => identity_chains.push(chain),
                None => mismatch(&format!("identity_chains[{i}]"), "a malformed identity chain".into()),
            }
        }
    }
    let mut all_checks_passed = false;
    // Identity status is judged as of the receipt's time, so it must be one.
    let timestamp = claimed_str("timestamp").filter(|t| crate::core::time::parse_rfc3339(t).is_ok());
    match (chain_document.into_chain(), timestamp) {
        (None, _) => {
            mismatch("chain", "the embedded chain has malformed entries or no id; no claim can be re-derived".into())
        }
        (_, None) => mismatch("timestamp", "not an RFC 3339 time; no claim can be re-derived".into()),
        (Some(chain), Some(timestamp)) => {
            let claimed_kind = claimed_str("type");
            let inputs = Inputs {
                identities: &identity_chains,
                scan: None,
                claimed_scan_data: map.get("product_data").filter(|_| claimed_kind.as_deref() == Some("scan")),
                // A payment receipt is for the entry it names; the claims about it are then re-derived.
                ledger_entry: map
                    .get("product_data")
                    .and_then(Value::as_object)
                    .and_then(|m| m.get("entry"))
                    .and_then(Value::as_number)
                    .and_then(|n| n.as_u64())
                    .filter(|_| claimed_kind.as_deref() == Some("ledger")),
                timestamp,
            };
            let mut rebuilt = Receipt::build(&chain, &inputs)?;
            if let Some(version) = claimed_str("pruv_version") {
                // Informational: which pruv wrote it; the claims are what is checked.
                rebuilt.pruv_version = version;
            }
            all_checks_passed = rebuilt.all_passed();
            let expected = rebuilt.unsigned_map();
            let mut fields: Vec<&String> = expected.keys().collect();
            fields.extend(map.keys().filter(|k| k.as_str() != "signature" && !expected.contains_key(*k)));
            for field in fields {
                let (want, got) = (expected.get(field), map.get(field));
                if want != got {
                    let path = match (want, got) {
                        (Some(w), Some(g)) => first_difference(field.clone(), g, w),
                        _ => field.clone(),
                    };
                    let message = match (want, got) {
                        (_, None) => "missing".to_owned(),
                        (None, _) => "not part of a receipt of this chain".to_owned(),
                        (Some(_), Some(_)) => {
                            format!("does not match what the embedded chain gives ({})", at(&path, &expected))
                        }
                    };
                    mismatch(&path, message);
                }
            }
        }
    }

    let (signature, signature_problem) = check_signature(map.get("signature"), document, options);
    let authentic = mismatches.is_empty() && signature != "invalid";
    Ok(ReceiptVerification {
        format: REPORT_FORMAT,
        receipt_type: claimed_str("type"),
        chain_id: claimed_str("chain_id"),
        ok: authentic && all_checks_passed && report.intact,
        chain: report,
        mismatches,
        signature,
        signature_problem,
        authentic,
        all_checks_passed,
    })
}

/// The expected value at `path`, shortened for a message.
fn at(path: &str, expected: &crate::core::json::Map) -> String {
    let mut value: Option<&Value> = None;
    for (i, part) in path.split('.').enumerate() {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        value = if i == 0 { expected.get(key) } else { value.and_then(Value::as_object).and_then(|m| m.get(key)) };
        if let (Some(index), Some(Value::Array(items))) = (index, value) {
            value = items.get(index);
        }
    }
    let text = match value {
        None => "nothing".to_owned(),
        Some(Value::String(s)) => s.lines().next().unwrap_or_default().to_owned(),
        Some(other) => json::compact(other),
    };
    if text.chars().count() > 80 {
        format!("expected {}…", text.chars().take(80).collect::<String>())
    } else {
        format!("expected {text}")
    }
}

/// The path of the first place where `got` differs from `want`.
fn first_difference(path: String, got: &Value, want: &Value) -> String {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for key in w.keys().chain(g.keys().filter(|k| !w.contains_key(*k))) {
                if g.get(key) != w.get(key) {
                    return match (g.get(key), w.get(key)) {
                        (Some(g), Some(w)) => first_difference(format!("{path}.{key}"), g, w),
                        _ => format!("{path}.{key}"),
                    };
                }
            }
            path
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => g
            .iter()
            .zip(w)
            .position(|(a, b)| a != b)
            .map_or(path.clone(), |i| first_difference(format!("{path}[{i}]"), &g[i], &w[i])),
        _ => path,
    }
}

fn check_signature(
    signature: Option<&Value>,
    document: &Value,
    options: &VerifyOptions,
) -> (&'static str, Option<String>) {
    let signature = match signature {
        None | Some(Value::Null) => {
            if options.require_signatures || options.pinned_key.is_some() {
                return ("invalid", Some("the receipt is not signed, but a signature was required".into()));
            }
            return ("absent", None);
        }
        Some(Value::Object(map)) => map,
        Some(_) => return ("invalid", Some("`signature` must be an object".into())),
    };
    let field = |name: &str| signature.get(name).and_then(Value::as_str);
    let Some(key) = field("public_key").and_then(PublicKey::from_text) else {
        return ("invalid", Some("`signature.public_key` is not an Ed25519 public key".into()));
    };
    let Some(value) = field("value") else {
        return ("invalid", Some("`signature.value` is missing".into()));
    };
    if let Some(pinned) = &options.pinned_key
        && *pinned != key
    {
        return (
            "invalid",
            Some(format!("signed by {}, not by the pinned key {}", key.to_base64(), pinned.to_base64())),
        );
    }
    match key.verify_base64(signing_message(document).as_bytes(), value) {
        Ok(()) => ("valid", None),
        Err(problem) => ("invalid", Some(format!("signature: {problem} (the receipt was changed after signing)"))),
    }
}
