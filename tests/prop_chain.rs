//! Properties of chains: whatever is appended verifies (after a round trip
//! through the exported text), and any single mutation is detected at the
//! entry it touched.

use proptest::prelude::*;
use pruv::core::chain::{Chain, ChainDocument};
use pruv::core::entry::Transition;
use pruv::core::json::{self, Map, Number, Value};
use pruv::core::sign::SecretKey;
use pruv::core::verify::{Report, VerifyOptions, verify_document};

mod common;
use common::strategies::{any_json_string, any_json_value};

#[derive(Debug, Clone)]
struct Step {
    operation: String,
    state: Option<Value>,
    timestamp: Number,
    signed: bool,
    status: &'static str,
}

fn any_step() -> impl Strategy<Value = Step> {
    let timestamp = prop_oneof![(0f64..4e9).prop_map(Number::Float), (0u64..4_000_000_000).prop_map(Number::from),];
    (
        any_json_string(),
        proptest::option::of(any_json_value()),
        timestamp,
        any::<bool>(),
        prop::sample::select(vec!["success", "failed", "pending"]),
    )
        .prop_map(|(operation, state, timestamp, signed, status)| Step {
            operation,
            state,
            timestamp,
            signed,
            status,
        })
}

fn build(steps: &[Step], key: &SecretKey) -> Chain {
    let mut chain = Chain::new("prop0000001", "prop");
    for step in steps {
        let mut transition = Transition::new(step.operation.clone(), step.state.clone());
        transition.timestamp = Some(step.timestamp.clone());
        transition.status = step.status.to_owned();
        chain.append(transition, step.signed.then_some(key));
    }
    chain
}

/// Exports, re-reads the text and verifies, as `pruv verify` would.
fn verify_text(document: &Value, options: &VerifyOptions) -> Report {
    let reread = json::parse(&json::pretty(document)).unwrap();
    verify_document(&ChainDocument::from_value(reread).unwrap(), options)
}

fn key() -> SecretKey {
    SecretKey::from_seed([42; 32], Some("prop".into()))
}

#[derive(Debug, Clone, Copy)]
enum Mutation {
    State,
    Y,
    X,
    Xy,
    Operation,
    Timestamp,
    Signature,
    Index,
    Delete,
    Swap,
}

const MUTATIONS: [Mutation; 10] = [
    Mutation::State,
    Mutation::Y,
    Mutation::X,
    Mutation::Xy,
    Mutation::Operation,
    Mutation::Timestamp,
    Mutation::Signature,
    Mutation::Index,
    Mutation::Delete,
    Mutation::Swap,
];

/// Applies `mutation` at `at`; returns the index where the break must be found.
fn mutate(document: &mut Value, at: usize, mutation: Mutation) -> u64 {
    let Value::Object(doc) = document else { unreachable!() };
    let Some(Value::Array(entries)) = doc.get_mut("entries") else { unreachable!() };
    let len = entries.len();
    let Value::Object(entry) = &mut entries[at] else { unreachable!() };
    let other_hash = || Value::from(pruv::core::hash::sha256_hex(b"tampered"));
    match mutation {
        Mutation::State => {
            let marker = Map::from_iter([("__tampered__".to_owned(), Value::from(at as u64))]);
            entry.insert("y_state".into(), Value::Object(marker));
        }
        Mutation::Y => {
            entry.insert("y".into(), other_hash());
        }
        Mutation::X => {
            entry.insert("x".into(), other_hash());
        }
        Mutation::Xy => {
            entry.insert("xy".into(), Value::from(format!("xy_{}", pruv::core::hash::sha256_hex(b"t"))));
        }
        Mutation::Operation => {
            let Some(Value::String(op)) = entry.get_mut("operation") else { unreachable!() };
            op.push('!');
        }
        Mutation::Timestamp => {
            let bumped = match &entry["timestamp"] {
                Value::Number(Number::Float(t)) => Number::Float(t + 1.0),
                Value::Number(Number::Int(_)) => Number::Float(entry["timestamp"].as_number().unwrap().as_f64()),
                _ => unreachable!(),
            };
            entry.insert("timestamp".into(), Value::Number(bumped));
        }
        Mutation::Signature => {
            let forged = SecretKey::from_seed([7; 32], None).sign_base64(b"something else");
            entry.insert("signature".into(), Value::from(forged));
        }
        Mutation::Index => {
            entry.insert("index".into(), Value::from(at as u64 + 1));
        }
        Mutation::Delete => {
            entries.remove(at);
        }
        Mutation::Swap if len == 1 => {
            entry.insert("index".into(), Value::from(9u64));
        }
        Mutation::Swap if at + 1 < len => entries.swap(at, at + 1),
        Mutation::Swap => {
            entries.swap(at - 1, at);
            return at as u64 - 1;
        }
    }
    at as u64
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_appended_sequence_verifies(steps in prop::collection::vec(any_step(), 0..10), sign_head in any::<bool>()) {
        let key = key();
        let chain = build(&steps, &key);
        let report = verify_text(&chain.to_document(sign_head.then_some(&key)), &VerifyOptions::default());
        prop_assert!(report.intact, "{:?}", report.problems);
        prop_assert_eq!(report.entries, steps.len());
        prop_assert_eq!(report.signatures.signed, steps.iter().filter(|s| s.signed).count());
        prop_assert_eq!(report.signatures.verified, report.signatures.signed);
        prop_assert_eq!(report.signatures.head_signed, sign_head);
    }

    #[test]
    fn any_single_mutation_is_detected_where_it_happened(
        steps in prop::collection::vec(any_step(), 1..8),
        at in any::<prop::sample::Index>(),
        mutation in prop::sample::select(MUTATIONS.to_vec()),
    ) {
        let chain = build(&steps, &key());
        let mut document = chain.to_document(None);
        let at = at.index(steps.len());
        let expected = mutate(&mut document, at, mutation);
        let report = verify_text(&document, &VerifyOptions::default());
        prop_assert!(!report.intact, "{:?} at {} went unnoticed", mutation, at);
        prop_assert_eq!(report.first_break, Some(expected), "{:?} at {}: {:?}", mutation, at, report.problems);
    }
}
