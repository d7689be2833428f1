//! Receipts: the verdict on a chain, in a form anyone can read and re-check.
//!
//! One model ([`Receipt`]), several renderers ([`render`]): the JSON
//! document (`pruv.receipt/1`, docs/receipt.md), the boxed text a person
//! reads (also carried in the JSON as `human_readable`), an SVG badge and
//! a self-contained HTML page. The receipt carries its chain (and, for
//! provenance, the agents' identity chains), so [`verify`] re-derives every
//! claim offline, with no store.

mod product;
pub mod render;
pub mod verify;

use crate::core::chain::Chain;
use crate::core::hash::GENESIS;
use crate::core::json::{self, Map, Value};
use crate::core::sign::SecretKey;
use crate::core::verify::{VerifyOptions, verify_chain};
use crate::error::Result;
use crate::identity::IDENTITY_TYPE;
use crate::provenance::{ARTIFACT_TYPE, Identities};
use crate::scan::model::{SCAN_FORMAT, ScanDocument};
use crate::typed_state::Fields;

pub const RECEIPT_FORMAT: &str = "pruv.receipt/1";
/// Domain separator of the receipt signature.
pub const SIGNATURE_CONTEXT: &str = "pruv.receipt/1:";

/// What the chain records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Chain,
    Identity,
    Provenance,
    Scan,
    /// A payment ledger: the receipt of one payment.
    Ledger,
    /// Runs of commands recorded by `pruv run`.
    Run,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Chain => "chain",
            Kind::Identity => "identity",
            Kind::Provenance => "provenance",
            Kind::Scan => "scan",
            Kind::Ledger => "ledger",
            Kind::Run => "run",
        }
    }

    /// Recognises a chain by the typed state of its first entry (identity,
    /// provenance) or its closing `scan` entry (a scan chain).
    pub fn of(chain: &Chain) -> Kind {
        let first_type = chain.entries.first().and_then(|e| Fields::type_of(e.y_state.as_ref()));
        let last = chain.entries.last();
        let closes_scan = last.is_some_and(|e| {
            e.operation == "scan"
                && e.y_state.as_ref().and_then(Value::as_object).and_then(|m| m.get("format")).and_then(Value::as_str)
                    == Some(SCAN_FORMAT)
        });
        match first_type {
            Some(IDENTITY_TYPE) => Kind::Identity,
            Some(ARTIFACT_TYPE) => Kind::Provenance,
            Some(crate::ledger::LEDGER_TYPE) => Kind::Ledger,
            _ if closes_scan => Kind::Scan,
            _ if chain.entries.iter().any(|e| Fields::type_of(e.y_state.as_ref()) == Some(crate::run::RUN_TYPE)) => {
                Kind::Run
            }
            _ => Kind::Chain,
        }
    }
}

/// One line of the verdict: ✓ or ✗ and what was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub label: String,
    pub passed: bool,
    /// What failed, when something did.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub pruv_version: String,
    pub kind: Kind,
    pub chain_id: String,
    pub chain_name: String,
    pub chain_intact: bool,
    pub entries: u64,
    /// Entries up to the first break (all of them when intact).
    pub verified_entries: u64,
    /// Entry 0's `y`: the first recorded state (`GENESIS` for an empty chain).
    pub x: String,
    /// The head: the last entry's `y`.
    pub y: String,
    /// The last entry's proof hash, which the links bind to every entry before it.
    pub xy: Option<String>,
    /// RFC 3339 UTC time the receipt was issued.
    pub timestamp: String,
    pub checks: Vec<Check>,
    pub product_data: Value,
    /// (label, value) lines for people, derived from `product_data`.
    pub facts: Vec<(String, String)>,
    pub chain: Chain,
    /// The identity chains of a provenance chain's agents.
    pub identity_chains: Vec<Chain>,
    pub signature: Option<Signature>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub signer_id: Option<String>,
    pub public_key: String,
    pub value: String,
}

/// What a receipt is built from besides its chain.
pub struct Inputs<'a> {
    /// Where agents' identity chains are looked up (provenance).
    pub identities: &'a dyn Identities,
    /// The scan document behind a scan chain, when at hand.
    pub scan: Option<&'a ScanDocument>,
    /// Without the document (re-verifying offline), the scan details a
    /// receipt claims; those the chain records are checked against it.
    pub claimed_scan_data: Option<&'a Value>,
    /// The ledger entry a payment receipt is for (default: the last operation).
    pub ledger_entry: Option<u64>,
    pub timestamp: String,
}

impl Receipt {
    pub fn build(chain: &Chain, inputs: &Inputs<'_>) -> Result<Receipt> {
        let report = verify_chain(chain, &VerifyOptions::default());
        let kind = Kind::of(chain);
        let entries = chain.entries.len() as u64;
        let verified_entries = if report.intact { entries } else { report.first_break.unwrap_or(0).min(entries) };
        let mut checks = vec![Check {
            label: format!("Chain intact: {verified_entries}/{entries} entries verified"),
            passed: report.intact,
            detail: report.first_break.map(|i| format!("broken at entry {i}")).or_else(|| {
                (!report.intact).then(|| report.problems.first().map_or(String::new(), |p| p.message.clone()))
            }),
        }];
        let product = product::derive(kind, chain, inputs)?;
        checks.extend(product.checks);
        let facts = product::facts(kind, &product.data);
        Ok(Receipt {
            pruv_version: env!("CARGO_PKG_VERSION").to_owned(),
            kind,
            chain_id: chain.id.clone(),
            chain_name: chain.name.clone(),
            chain_intact: report.intact,
            entries,
            verified_entries,
            x: chain.entries.first().map_or(GENESIS, |e| e.y.as_str()).to_owned(),
            y: chain.head().to_owned(),
            xy: chain.entries.last().map(|e| e.xy.clone()),
            timestamp: inputs.timestamp.clone(),
            checks,
            product_data: product.data,
            facts,
            chain: chain.clone(),
            identity_chains: product.identity_chains,
            signature: None,
        })
    }

    /// Every check passed, the chain's among them.
    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }

    /// `"n/n"`.
    pub fn verified(&self) -> String {
        format!("{}/{}", self.verified_entries, self.entries)
    }

    /// The JSON document; `signature` is `null` when unsigned.
    pub fn to_value(&self) -> Value {
        let mut map = self.unsigned_map();
        let signature = self.signature.as_ref().map_or(Value::Null, |s| {
            let mut sig = Map::new();
            sig.insert("algorithm".into(), "ed25519".into());
            sig.insert("signer_id".into(), s.signer_id.as_deref().map_or(Value::Null, Value::from));
            sig.insert("public_key".into(), s.public_key.as_str().into());
            sig.insert("value".into(), s.value.as_str().into());
            Value::Object(sig)
        });
        map.insert("signature".into(), signature);
        Value::Object(map)
    }

    /// Every field but `signature`, in document order.
    pub(crate) fn unsigned_map(&self) -> Map {
        let mut map = Map::new();
        map.insert("format".into(), RECEIPT_FORMAT.into());
        map.insert("pruv_version".into(), self.pruv_version.as_str().into());
        map.insert("type".into(), self.kind.as_str().into());
        map.insert("chain_id".into(), self.chain_id.as_str().into());
        map.insert("chain_name".into(), self.chain_name.as_str().into());
        map.insert("chain_intact".into(), self.chain_intact.into());
        map.insert("entries".into(), self.entries.into());
        map.insert("verified".into(), self.verified().into());
        map.insert("X".into(), self.x.as_str().into());
        map.insert("Y".into(), self.y.as_str().into());
        map.insert("XY".into(), self.xy.as_deref().map_or(Value::Null, Value::from));
        map.insert("timestamp".into(), self.timestamp.as_str().into());
        map.insert("all_checks_passed".into(), self.all_passed().into());
        let checks = self.checks.iter().map(|c| {
            let mut check = Map::new();
            check.insert("check".into(), c.label.as_str().into());
            check.insert("passed".into(), c.passed.into());
            check.insert("detail".into(), c.detail.as_deref().map_or(Value::Null, Value::from));
            Value::Object(check)
        });
        map.insert("checks".into(), Value::Array(checks.collect()));
        map.insert("product_data".into(), self.product_data.clone());
        map.insert("human_readable".into(), render::text::boxed(self).into());
        map.insert("chain".into(), self.chain.to_document(None));
        if !self.identity_chains.is_empty() {
            let chains = self.identity_chains.iter().map(|c| c.to_document(None)).collect();
            map.insert("identity_chains".into(), Value::Array(chains));
        }
        map
    }

    /// What the signature covers: the context string, then the canonical
    /// JSON of the receipt without its `signature` field.
    pub fn signing_message(&self) -> String {
        signing_message(&Value::Object(self.unsigned_map()))
    }

    pub fn sign(&mut self, key: &SecretKey) {
        let value = key.sign_base64(self.signing_message().as_bytes());
        self.signature =
            Some(Signature { signer_id: Some(key.signer_id.clone()), public_key: key.public().to_base64(), value });
    }
}

/// The signed message for a receipt document (its `signature` field is ignored).
pub fn signing_message(document: &Value) -> String {
    let mut unsigned = document.clone();
    if let Value::Object(map) = &mut unsigned {
        map.shift_remove("signature");
    }
    format!("{SIGNATURE_CONTEXT}{}", json::canonical(&unsigned))
}

/// Whether a JSON document is a receipt (for `pruv verify`).
pub fn is_receipt(document: &Value) -> bool {
    document.as_object().and_then(|m| m.get("format")).and_then(Value::as_str) == Some(RECEIPT_FORMAT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::entry::Transition;
    use crate::core::json::Number;

    fn chain(first_state: Option<Value>) -> Chain {
        let mut chain = Chain::new("0123456789ab", "deploys");
        let mut first = Transition::new("release", first_state);
        first.timestamp = Some(Number::Float(1_700_000_000.0));
        chain.append(first, None);
        chain
    }

    fn inputs(identities: &Vec<Chain>) -> Inputs<'_> {
        Inputs {
            identities,
            scan: None,
            claimed_scan_data: None,
            ledger_entry: None,
            timestamp: "2026-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn kind_comes_from_the_typed_first_state() {
        assert_eq!(Kind::of(&chain(None)), Kind::Chain);
        let identity = crate::typed_state::object([("type", IDENTITY_TYPE.into())]);
        assert_eq!(Kind::of(&chain(Some(identity))), Kind::Identity);
        let artifact = crate::typed_state::object([("type", ARTIFACT_TYPE.into())]);
        assert_eq!(Kind::of(&chain(Some(artifact))), Kind::Provenance);
    }

    #[test]
    fn a_signed_receipt_verifies_and_any_edit_breaks_it() {
        let key = SecretKey::from_seed([7; 32], Some("notary".into()));
        let mut receipt = Receipt::build(&chain(None), &inputs(&vec![])).unwrap();
        assert_eq!((receipt.verified(), receipt.all_passed()), ("1/1".to_owned(), true));
        receipt.sign(&key);
        let document = receipt.to_value();
        let options =
            VerifyOptions { pinned_key: Some(key.public()), require_signatures: true, ..VerifyOptions::default() };
        let checked = verify::verify(&document, "test", &options).unwrap();
        assert!(checked.ok && checked.signature == "valid", "{checked:?}");

        let mut edited = document.clone();
        if let Value::Object(map) = &mut edited {
            map.insert("pruv_version".into(), "0.0.0".into());
        }
        let checked = verify::verify(&edited, "test", &options).unwrap();
        assert_eq!((checked.ok, checked.signature), (false, "invalid"));
    }

    #[test]
    fn the_text_box_is_square() {
        let receipt = Receipt::build(&chain(None), &inputs(&vec![])).unwrap();
        let text = render::text::boxed(&receipt);
        let widths: Vec<usize> = text.lines().map(|l| l.chars().count()).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
        assert!(text.contains("✓ Chain intact: 1/1 entries verified"), "{text}");
    }
}
