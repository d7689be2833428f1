//! Tampering with an exported chain, one field at a time, is caught by
//! `pruv verify` (exit 2), which names the entry that was touched.

use pruv::core::json::{self, Map, Number, Value};

mod common;
use common::Sandbox;

const MIDDLE: usize = 2;

/// A five-entry chain, every entry signed, exported without a signed head
/// (so that each check, not the head signature, has to catch the edit).
fn exported_chain(sandbox: &Sandbox) -> Value {
    sandbox.run(&["key", "generate", "-o", "keys"], 0);
    sandbox.run(&["chain", "new", "audit"], 0);
    for (op, state) in [
        ("create", r#"{"n":0,"name":"ünïcode"}"#),
        ("update", r#"{"n":1,"ratio":0.1}"#),
        ("update", r#"{"n":2,"list":[1,1.0,null]}"#),
        ("update", r#"{"n":3}"#),
        ("close", r#"{"n":4}"#),
    ] {
        sandbox.run(&["chain", "append", "audit", "--op", op, "--state", state, "--sign", "keys/pruv.key"], 0);
    }
    let text = sandbox.run(&["chain", "export", "audit"], 0);
    json::parse(&text).unwrap()
}

fn entries(document: &mut Value) -> &mut Vec<Value> {
    let Value::Object(map) = document else { panic!("document is an object") };
    let Some(Value::Array(entries)) = map.get_mut("entries") else { panic!("entries array") };
    entries
}

fn field<'a>(document: &'a mut Value, index: usize, name: &str) -> &'a mut Value {
    let Value::Object(entry) = &mut entries(document)[index] else { panic!("entry object") };
    entry.get_mut(name).unwrap_or_else(|| panic!("entry {index} has {name}"))
}

/// Verifies `document` and returns (exit code, first_break, problem kinds).
fn verify(sandbox: &Sandbox, document: &Value) -> (i32, Option<u64>, Vec<String>) {
    sandbox.write("tampered.json", &json::pretty(document));
    let output = sandbox.pruv().args(["verify", "tampered.json", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let kinds = report["problems"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap().to_owned()).collect();
    (output.status.code().unwrap(), report["first_break"].as_u64(), kinds)
}

#[test]
fn untouched_export_verifies() {
    let sandbox = Sandbox::with_store();
    let document = exported_chain(&sandbox);
    assert_eq!(verify(&sandbox, &document), (0, None, vec![]));
}

#[test]
fn each_tampered_field_of_a_middle_entry_is_named() {
    let sandbox = Sandbox::with_store();
    let original = exported_chain(&sandbox);
    let other_hash = "0".repeat(64);
    type Tamper = Box<dyn Fn(&mut Value)>;
    let tampers: Vec<(&str, Tamper, &str)> = vec![
        (
            "y_state",
            Box::new(|d| *field(d, MIDDLE, "y_state") = json::parse(r#"{"n":2,"list":[1,1,null]}"#).unwrap()),
            "state_hash",
        ),
        ("y", Box::new(move |d| *field(d, MIDDLE, "y") = Value::from(other_hash.as_str())), "state_hash"),
        ("xy", Box::new(|d| *field(d, MIDDLE, "xy") = Value::from(format!("xy_{}", "1".repeat(64)))), "proof"),
        ("x", Box::new(|d| *field(d, MIDDLE, "x") = Value::from("2".repeat(64))), "link"),
        ("operation", Box::new(|d| *field(d, MIDDLE, "operation") = Value::from("delete")), "proof"),
        (
            "timestamp",
            Box::new(|d| {
                let Value::Number(Number::Float(t)) = field(d, MIDDLE, "timestamp") else { panic!("float time") };
                let earlier = *t - 3600.0;
                *field(d, MIDDLE, "timestamp") = Value::Number(Number::Float(earlier));
            }),
            "proof",
        ),
        (
            "timestamp type",
            Box::new(|d| {
                let Value::Number(Number::Float(t)) = field(d, MIDDLE, "timestamp") else { panic!("float time") };
                let whole = Number::int_from_decimal(&format!("{}", t.trunc())).unwrap();
                *field(d, MIDDLE, "timestamp") = Value::Number(whole);
            }),
            "proof",
        ),
        (
            "signature",
            Box::new(|d| {
                let borrowed = field(d, MIDDLE + 1, "signature").clone();
                *field(d, MIDDLE, "signature") = borrowed;
            }),
            "signature",
        ),
        ("index", Box::new(|d| *field(d, MIDDLE, "index") = Value::from(7u64)), "index"),
        (
            "deleted entry",
            Box::new(|d| {
                entries(d).remove(MIDDLE);
            }),
            "index",
        ),
        ("swapped pair", Box::new(|d| entries(d).swap(MIDDLE, MIDDLE + 1)), "index"),
    ];
    for (name, tamper, expected_kind) in tampers {
        let mut document = original.clone();
        tamper(&mut document);
        let (code, first_break, kinds) = verify(&sandbox, &document);
        assert_eq!(code, 2, "{name}: exit code");
        assert_eq!(first_break, Some(MIDDLE as u64), "{name}: first break ({kinds:?})");
        assert!(kinds.iter().any(|k| k == expected_kind), "{name}: expected a {expected_kind} problem in {kinds:?}");
    }
}

#[test]
fn text_verdict_names_the_entry() {
    let sandbox = Sandbox::with_store();
    let mut document = exported_chain(&sandbox);
    *field(&mut document, MIDDLE, "operation") = Value::from("delete");
    sandbox.write("tampered.json", &json::pretty(&document));
    let out = sandbox.run(&["verify", "tampered.json"], 2);
    assert!(out.starts_with("✗ chain \"audit\"") && out.contains("is broken at entry 2:"), "{out}");
    assert!(out.contains("entry 2") && out.contains("proof"), "{out}");
}

#[test]
fn pinned_key_rejects_another_signer() {
    let sandbox = Sandbox::with_store();
    let document = exported_chain(&sandbox);
    sandbox.write("chain.json", &json::pretty(&document));
    sandbox.run(&["verify", "chain.json", "--public-key", "keys/pruv.pub"], 0);
    // A pruv export without its signed head fails when signatures are required:
    // stripping the head must not turn the check into a warning.
    sandbox.run(&["verify", "chain.json", "--public-key", "keys/pruv.pub", "--require-signatures"], 2);
    sandbox.run(&["key", "generate", "-o", "other"], 0);
    let out = sandbox.run(&["verify", "chain.json", "--public-key", "other/pruv.pub"], 2);
    assert!(out.contains("signer"), "{out}");

    // Re-signing every entry with the attacker's key passes without a pin, never with one.
    let mut forged = document.clone();
    let attacker = pruv::core::sign::SecretKey::load(&sandbox.path().join("other/pruv.key")).unwrap();
    for i in 0..5 {
        let Value::Object(map) = &entries(&mut forged)[i] else { panic!() };
        let mut entry = pruv::core::entry::Entry::from_value(Value::Object(map.clone())).unwrap();
        entry.sign(&attacker);
        entries(&mut forged)[i] = entry.to_value();
    }
    sandbox.write("forged.json", &json::pretty(&forged));
    sandbox.run(&["verify", "forged.json"], 0);
    let out = sandbox.run(&["verify", "forged.json", "--public-key", "keys/pruv.pub"], 2);
    assert!(out.contains("is broken at entry 0"), "{out}");
}

#[test]
fn signed_head_catches_truncation_and_unbound_edits() {
    let sandbox = Sandbox::with_store();
    exported_chain(&sandbox);
    let text = sandbox.run(&["chain", "export", "audit", "--sign", "keys/pruv.key"], 0);
    let signed = json::parse(&text).unwrap();
    assert_eq!(verify(&sandbox, &signed), (0, None, vec![]));

    // Cut the last entry and fix up length, head and root: undetectable by
    // the xy/1 checks alone, caught by the signed head.
    let mut cut = signed.clone();
    entries(&mut cut).pop();
    let last_y = field(&mut cut, 3, "y").clone();
    let Value::Object(map) = &mut cut else { panic!() };
    map.insert("length".into(), Value::from(4u64));
    map.insert("head".into(), last_y);
    let (code, first_break, kinds) = verify(&sandbox, &cut);
    assert_eq!((code, first_break), (2, Some(4)));
    assert_eq!(kinds, ["truncated"]);
    let Value::Object(map) = &mut cut else { panic!() };
    map.shift_remove("signed_head");
    assert_eq!(verify(&sandbox, &cut).0, 0, "without a signed head, a clean cut is indistinguishable");

    // `metadata` and `status` are outside the proof hash; the signed head binds them.
    let mut edited = signed.clone();
    *field(&mut edited, MIDDLE, "metadata") =
        Value::Object(Map::from_iter([("approved".to_owned(), Value::from(true))]));
    let (code, _, kinds) = verify(&sandbox, &edited);
    assert_eq!(code, 2);
    assert_eq!(kinds, ["signed_head"]);
}

#[test]
fn malformed_entry_is_named_not_fatal() {
    let sandbox = Sandbox::with_store();
    let mut document = exported_chain(&sandbox);
    *field(&mut document, MIDDLE, "y") = Value::from(5u64);
    let (code, first_break, kinds) = verify(&sandbox, &document);
    assert_eq!((code, first_break), (2, Some(MIDDLE as u64)));
    assert_eq!(kinds, ["malformed"]);
}

/// Regression: cutting the last entry (leaving `length` and `head` as they
/// were) used to report the break at the surviving last entry.
#[test]
fn cutting_the_last_entry_breaks_at_the_missing_position() {
    let sandbox = Sandbox::with_store();
    let mut document = exported_chain(&sandbox);
    entries(&mut document).pop();
    let (code, first_break, kinds) = verify(&sandbox, &document);
    assert_eq!((code, first_break), (2, Some(4)));
    assert_eq!(kinds, ["summary", "summary"]);
}
