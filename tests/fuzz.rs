//! A bounded fuzz harness, run with every `cargo test` (and so in CI): the
//! canonical-JSON parser, the chain verifier and the receipt verifier are
//! fed mutated documents (flipped, cut, inserted and repeated bytes, and
//! values replaced anywhere in the tree). None may panic or hang, and
//! every outcome is one `pruv verify` can give: 0 (verifies), 2 (does not
//! verify) or 6 (not a document it can read).
//!
//! The number of cases per property is `PRUV_FUZZ_CASES` (default 256);
//! a longer run is `PRUV_FUZZ_CASES=100000 cargo test --release --test fuzz`.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use pruv::core::chain::{Chain, ChainDocument};
use pruv::core::entry::Transition;
use pruv::core::json::{self, Value};
use pruv::core::sign::SecretKey;
use pruv::core::verify::{VerifyOptions, verify_document};

mod common;
use common::Sandbox;
use common::strategies::any_json_value;

/// No single verification may take longer than this (they take microseconds).
const DEADLINE: Duration = Duration::from_secs(5);

fn cases() -> u32 {
    std::env::var("PRUV_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
}

/// A signed export of a chain of three signed entries.
fn chain_export() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let key = SecretKey::from_seed([9; 32], Some("fuzz".into()));
        let mut chain = Chain::new("0123456789ab", "fuzzed");
        for (i, state) in [r#"{"a":1}"#, r#"{"b":[1,2.5,null,"ü"]}"#, r#"{"c":{"d":true}}"#].iter().enumerate() {
            let mut transition = Transition::new(format!("op{i}"), Some(json::parse(state).unwrap()));
            transition.timestamp = Some(json::Number::from(1_700_000_000u64 + i as u64));
            chain.append(transition, Some(&key));
        }
        json::pretty(&chain.to_document(Some(&key)))
    })
}

/// A signed receipt, as `pruv receipt --sign` writes it.
fn receipt() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let sandbox = Sandbox::with_store();
        sandbox.run(&["key", "generate"], 0);
        sandbox.run(&["chain", "new", "c"], 0);
        for op in ["a", "b"] {
            sandbox.run(&["chain", "append", "c", "--op", op, "--state", "{\"n\":1}", "--sign", "pruv.key"], 0);
        }
        sandbox.run(&["receipt", "c", "--sign", "pruv.key", "--format", "json"], 0)
    })
}

/// What `pruv verify` would exit with for this text, computed in-process.
fn outcome(text: &str) -> u8 {
    let Ok(value) = json::parse(text) else { return 6 };
    let options = VerifyOptions::default();
    if pruv::receipt::is_receipt(&value) {
        return match pruv::receipt::verify::verify(&value, "fuzz", &options) {
            Ok(verification) if verification.ok => 0,
            Ok(_) => 2,
            Err(error) => error.exit_code().code(),
        };
    }
    match ChainDocument::from_value(value) {
        Ok(document) => {
            if verify_document(&document, &options).intact {
                0
            } else {
                2
            }
        }
        Err(_) => 6,
    }
}

fn timed_outcome(text: &str) -> u8 {
    let started = Instant::now();
    let code = outcome(text);
    assert!(started.elapsed() < DEADLINE, "took {:?}", started.elapsed());
    code
}

#[derive(Debug, Clone)]
enum ByteEdit {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, u8),
    Repeat(usize, usize, usize),
}

fn any_byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, xor)| ByteEdit::Flip(at, xor)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| ByteEdit::Delete(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| ByteEdit::Insert(at, b)),
        (any::<usize>(), 1usize..128, 1usize..50).prop_map(|(at, n, times)| ByteEdit::Repeat(at, n, times)),
    ]
}

fn apply(text: &str, edits: &[ByteEdit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for edit in edits {
        let len = bytes.len().max(1);
        match *edit {
            ByteEdit::Flip(at, xor) => {
                if let Some(b) = bytes.get_mut(at % len) {
                    *b ^= xor;
                }
            }
            ByteEdit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            ByteEdit::Insert(at, b) => bytes.insert((at % len).min(bytes.len()), b),
            ByteEdit::Repeat(at, n, times) => {
                let at = (at % len).min(bytes.len());
                let piece: Vec<u8> = bytes[at..(at + n).min(bytes.len())].to_vec();
                for _ in 0..times {
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Replaces the value at a path chosen by `choices` with `replacement`.
fn replace_somewhere(value: &mut Value, choices: &[usize], replacement: Value) {
    let Some((choice, rest)) = choices.split_first() else {
        *value = replacement;
        return;
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            let index = choice % map.len();
            let child = map.values_mut().nth(index).expect("index within the map");
            replace_somewhere(child, rest, replacement);
        }
        Value::Array(items) if !items.is_empty() => {
            let index = choice % items.len();
            replace_somewhere(&mut items[index], rest, replacement);
        }
        _ => *value = replacement,
    }
}

fn value_edit(text: &str, choices: &[usize], replacement: Value) -> String {
    let mut value = json::parse(text).unwrap();
    replace_somewhere(&mut value, choices, replacement);
    json::pretty(&value)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn the_json_parser_never_panics(text in ".{0,400}", edits in prop::collection::vec(any_byte_edit(), 0..4)) {
        let text = apply(&text, &edits);
        let started = Instant::now();
        let _ = json::parse(&text);
        prop_assert!(started.elapsed() < DEADLINE);
    }

    #[test]
    fn mutated_chain_exports_give_0_2_or_6(edits in prop::collection::vec(any_byte_edit(), 1..6)) {
        let code = timed_outcome(&apply(chain_export(), &edits));
        prop_assert!(matches!(code, 0 | 2 | 6), "{code}");
    }

    #[test]
    fn chain_exports_with_a_value_replaced_give_0_2_or_6(
        choices in prop::collection::vec(any::<usize>(), 0..6),
        replacement in any_json_value(),
    ) {
        let code = timed_outcome(&value_edit(chain_export(), &choices, replacement));
        prop_assert!(matches!(code, 0 | 2 | 6), "{code}");
    }

    #[test]
    fn mutated_receipts_give_0_2_or_6(edits in prop::collection::vec(any_byte_edit(), 1..6)) {
        let code = timed_outcome(&apply(receipt(), &edits));
        prop_assert!(matches!(code, 0 | 2 | 6), "{code}");
    }

    #[test]
    fn receipts_with_a_value_replaced_give_0_2_or_6(
        choices in prop::collection::vec(any::<usize>(), 0..8),
        replacement in any_json_value(),
    ) {
        let code = timed_outcome(&value_edit(receipt(), &choices, replacement));
        prop_assert!(matches!(code, 0 | 2 | 6), "{code}");
    }
}

proptest! {
    // The binary itself, on fewer cases (a process each): the same outcomes, no crash.
    #![proptest_config(ProptestConfig::with_cases(cases() / 8 + 1))]

    #[test]
    fn the_binary_gives_the_same_outcome(edits in prop::collection::vec(any_byte_edit(), 0..4), receipt_side in any::<bool>()) {
        let text = apply(if receipt_side { receipt() } else { chain_export() }, &edits);
        let sandbox = Sandbox::new();
        sandbox.write("doc.json", &text);
        let output = sandbox.pruv().args(["verify", "doc.json"]).timeout(Duration::from_secs(30)).output().unwrap();
        prop_assert_eq!(output.status.code(), Some(i32::from(outcome(&text))), "{}", String::from_utf8_lossy(&output.stderr));
    }
}

#[test]
fn the_unmutated_documents_verify() {
    assert_eq!(outcome(chain_export()), 0);
    assert_eq!(outcome(receipt()), 0);
}
