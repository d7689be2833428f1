//! Proof records: JSON artifacts any program can emit (a decision, a
//! deployment, a check, a command's execution) and anyone can judge.
//!
//! A record (`schemas/v1/proof-record-v1.schema.json`) carries its
//! `integrity.record_hash`, `sha256:` + the SHA-256 of the canonical JSON
//! (CPython's `json.dumps(…, sort_keys=True, separators=(",", ":"))`) of
//! the record without `integrity`, and optionally an Ed25519 signature over
//! `pruv.proof-record/1:` + that hash. Its `event` is validated by the
//! schema of its `record_type` (`schemas/v1/types/`). Schemas are checked by
//! a JSON Schema validator (draft 2020-12), not by hand.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::core::hash::sha256_hex;
use crate::core::json::{self, Map, Value};
use crate::core::sign::{PublicKey, SecretKey};
use crate::typed_state::object;

pub const RECORD_VERSION: u64 = 1;
pub const SIGNATURE_CONTEXT: &str = "pruv.proof-record/1:";

const RECORD_SCHEMA: &str = include_str!("../../schemas/v1/proof-record-v1.schema.json");
/// Each record type and its event's schema.
const TYPE_SCHEMAS: [(&str, &str); 4] = [
    ("check", include_str!("../../schemas/v1/types/check.schema.json")),
    ("decision", include_str!("../../schemas/v1/types/decision.schema.json")),
    ("deployment", include_str!("../../schemas/v1/types/deployment.schema.json")),
    ("execution", include_str!("../../schemas/v1/types/execution.schema.json")),
];

pub fn record_types() -> impl Iterator<Item = &'static str> {
    TYPE_SCHEMAS.iter().map(|(name, _)| *name)
}

struct Schemas {
    record: jsonschema::Validator,
    types: BTreeMap<&'static str, jsonschema::Validator>,
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let compile = |text: &str| {
            let schema: serde_json::Value = serde_json::from_str(text).expect("the bundled schemas are JSON");
            jsonschema::validator_for(&schema).expect("the bundled schemas compile")
        };
        Schemas {
            record: compile(RECORD_SCHEMA),
            types: TYPE_SCHEMAS.iter().map(|(name, text)| (*name, compile(text))).collect(),
        }
    })
}

/// The schema violations of `value` against `validator`, as `path: message`.
fn violations(validator: &jsonschema::Validator, value: &Value, prefix: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(&json::compact(value)).expect("JSON text reads as JSON");
    validator
        .iter_errors(&value)
        .map(|e| {
            let at = e.instance_path().to_string();
            format!("{prefix}{}: {e}", if at.is_empty() { "/" } else { &at })
        })
        .collect()
}

/// The violations of an event against its type's schema (an unknown type is one).
pub fn event_violations(record_type: &str, event: &Value) -> Vec<String> {
    match schemas().types.get(record_type) {
        Some(validator) => violations(validator, event, "/event"),
        None => vec![format!(
            "/record_type: {record_type:?} is not one of {}",
            record_types().collect::<Vec<_>>().join(", ")
        )],
    }
}

/// `sha256:` + the SHA-256 of the canonical JSON of the record without `integrity`.
pub fn record_hash(record: &Map) -> String {
    let mut body = record.clone();
    body.shift_remove("integrity");
    format!("sha256:{}", sha256_hex(json::canonical(&Value::Object(body)).as_bytes()))
}

pub struct NewRecord<'a> {
    pub record_type: &'a str,
    pub event: Value,
    pub source: &'a str,
    pub source_product: &'a str,
    pub record_id: String,
    pub timestamp: String,
}

/// Builds, hashes and (with a key) signs a record; `Err` lists schema violations.
pub fn build(new: NewRecord<'_>, key: Option<&SecretKey>) -> Result<Value, Vec<String>> {
    let mut record = Map::new();
    record.insert("record_id".into(), new.record_id.into());
    record.insert("record_version".into(), RECORD_VERSION.into());
    record.insert("timestamp".into(), new.timestamp.into());
    record.insert("source".into(), new.source.into());
    record.insert("source_product".into(), new.source_product.into());
    record.insert("record_type".into(), new.record_type.into());
    record.insert("event".into(), new.event);
    let hash = record_hash(&record);
    let signature = key.map_or(Value::Null, |key| {
        object([
            ("algorithm", "ed25519".into()),
            ("signer_id", key.signer_id.as_str().into()),
            ("public_key", key.public().to_base64().into()),
            ("value", key.sign_base64(format!("{SIGNATURE_CONTEXT}{hash}").as_bytes()).into()),
        ])
    });
    let mut integrity = Map::new();
    integrity.insert("record_hash".into(), hash.into());
    if !matches!(signature, Value::Null) {
        integrity.insert("signature".into(), signature);
    }
    record.insert("integrity".into(), Value::Object(integrity));
    let record = Value::Object(record);
    let mut problems = violations(&schemas().record, &record, "");
    if let Some(Value::Object(map)) = Some(&record) {
        problems.extend(event_violations(new.record_type, map.get("event").unwrap_or(&Value::Null)));
    }
    if problems.is_empty() { Ok(record) } else { Err(problems) }
}

/// What a verifier requires of signatures.
#[derive(Debug, Clone, Default)]
pub struct Requirements {
    /// Every record must be signed (and validly).
    pub signatures: bool,
    /// Signatures must be by this key.
    pub public_key: Option<PublicKey>,
}

/// The verdict on one record: the JSON line `pruv verify --json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The file, and the line for JSON Lines.
    pub origin: String,
    pub record_id: Option<String>,
    pub record_type: Option<String>,
    /// ok | unreadable | schema | hash | signature
    pub verdict: &'static str,
    pub valid: bool,
    pub schema_errors: Vec<String>,
    /// ok | mismatch | unchecked
    pub hash: &'static str,
    /// absent | valid | invalid
    pub signature: &'static str,
    pub problem: Option<String>,
}

impl Verdict {
    pub fn unreadable(origin: String, problem: String) -> Verdict {
        Verdict {
            origin,
            record_id: None,
            record_type: None,
            verdict: "unreadable",
            valid: false,
            schema_errors: vec![],
            hash: "unchecked",
            signature: "absent",
            problem: Some(problem),
        }
    }
}

/// Judges one record: its schema and its type's, then its hash, then its signature.
pub fn verify(record: &Value, origin: String, requirements: &Requirements) -> Verdict {
    let map = record.as_object();
    let text = |k: &str| map.and_then(|m| m.get(k)).and_then(Value::as_str).map(str::to_owned);
    let mut verdict = Verdict {
        origin,
        record_id: text("record_id"),
        record_type: text("record_type"),
        verdict: "ok",
        valid: true,
        schema_errors: violations(&schemas().record, record, ""),
        hash: "unchecked",
        signature: "absent",
        problem: None,
    };
    if let (Some(map), Some(kind)) = (map, &verdict.record_type) {
        verdict.schema_errors.extend(event_violations(kind, map.get("event").unwrap_or(&Value::Null)));
    }
    if !verdict.schema_errors.is_empty() {
        verdict.verdict = "schema";
        verdict.valid = false;
        verdict.problem = verdict.schema_errors.first().cloned();
        return verdict;
    }
    let map = map.expect("the schema requires an object");
    let integrity = map.get("integrity").and_then(Value::as_object).expect("the schema requires integrity");
    let claimed = integrity.get("record_hash").and_then(Value::as_str).unwrap_or_default();
    let actual = record_hash(map);
    if claimed != actual {
        verdict.hash = "mismatch";
        verdict.verdict = "hash";
        verdict.valid = false;
        verdict.problem = Some(format!("record_hash is {claimed}, but the record hashes to {actual}: it was changed"));
        return verdict;
    }
    verdict.hash = "ok";
    let signature = integrity.get("signature").and_then(Value::as_object);
    let problem = match signature {
        None if requirements.signatures || requirements.public_key.is_some() => {
            Some("not signed, and a signature is required".to_owned())
        }
        None => None,
        Some(signature) => {
            let field = |k: &str| signature.get(k).and_then(Value::as_str).unwrap_or_default();
            match PublicKey::from_text(field("public_key")) {
                None => Some("integrity.signature.public_key is not an Ed25519 key".into()),
                Some(key) if requirements.public_key.is_some_and(|pinned| pinned != key) => {
                    Some(format!("signed by {}, not by the pinned key", key.to_base64()))
                }
                Some(key) => match key.verify_base64(format!("{SIGNATURE_CONTEXT}{actual}").as_bytes(), field("value"))
                {
                    Ok(()) => {
                        verdict.signature = "valid";
                        None
                    }
                    Err(problem) => Some(format!("signature: {problem}")),
                },
            }
        }
    };
    if let Some(problem) = problem {
        verdict.signature = if signature.is_some() { "invalid" } else { "absent" };
        verdict.verdict = "signature";
        verdict.valid = false;
        verdict.problem = Some(problem);
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_event() -> Value {
        json::parse(r#"{"name": "unit tests", "status": "passed", "counts": {"passed": 412, "failed": 0}}"#).unwrap()
    }

    fn new(event: Value, record_type: &str) -> NewRecord<'_> {
        NewRecord {
            record_type,
            event,
            source: "ci/build-7",
            source_product: "test-runner",
            record_id: "0d6f3c8e-5a1b-4c2d-9e8f-7a6b5c4d3e2f".into(),
            timestamp: "2026-12-04T12:00:00Z".into(),
        }
    }

    #[test]
    fn a_built_record_verifies_and_each_failure_has_its_verdict() {
        let key = SecretKey::from_seed([5; 32], Some("ci".into()));
        let record = build(new(check_event(), "check"), Some(&key)).unwrap();
        let pinned = Requirements { signatures: true, public_key: Some(key.public()) };
        let ok = verify(&record, "r.json".into(), &pinned);
        assert_eq!((ok.verdict, ok.hash, ok.signature), ("ok", "ok", "valid"), "{ok:?}");

        let edited = json::parse(&json::compact(&record).replace("412", "413")).unwrap();
        assert_eq!(verify(&edited, "r".into(), &pinned).verdict, "hash");

        let other = SecretKey::from_seed([6; 32], None);
        let by_other = build(new(check_event(), "check"), Some(&other)).unwrap();
        let wrong_key = verify(&by_other, "r".into(), &pinned);
        assert_eq!((wrong_key.verdict, wrong_key.signature), ("signature", "invalid"));

        let unsigned = build(new(check_event(), "check"), None).unwrap();
        assert_eq!(verify(&unsigned, "r".into(), &Requirements::default()).verdict, "ok");
        assert_eq!(verify(&unsigned, "r".into(), &pinned).verdict, "signature");

        let bad_status = json::parse(r#"{"name": "x", "status": "green"}"#).unwrap();
        let problems = build(new(bad_status, "check"), None).unwrap_err();
        assert!(problems[0].starts_with("/event/status"), "{problems:?}");
        assert!(build(new(check_event(), "weather"), None).is_err());
    }
}
