//! A receipt re-verifies on a machine with no store, and any edited claim,
//! or an edit after signing, fails with exit 2 naming the field.

mod common;
mod trust;

use common::Sandbox;
use pruv::core::json::{self, Value};
use trust::writer_and_contract;

/// A store whose writer acted in scope and changed the contract once: every check passes.
fn authorized_story() -> Sandbox {
    let sandbox = Sandbox::with_store();
    writer_and_contract(&sandbox);
    sandbox.run(&["key", "generate", "-o", "keys", "--signer-id", "notary"], 0);
    sandbox.run(&["identity", "act", "writer", "--action", "review", "--scope", "docs.review"], 0);
    sandbox.write("contract.txt", "v2");
    sandbox.run(&["provenance", "transition", "contract", "contract.txt", "--agent", "writer", "--reason", "edit"], 0);
    sandbox
}

/// Verifies `receipt` in a fresh directory with no store; returns (exit code, stdout).
fn verify_offline(receipt: &str, extra: &[&str]) -> (i32, String) {
    let offline = Sandbox::new();
    offline.write("receipt.json", receipt);
    assert!(!offline.path().join(".pruv").exists());
    let output = offline.pruv().arg("verify").arg("receipt.json").args(extra).output().unwrap();
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap())
}

fn set(document: &mut Value, path: &[&str], value: Value) {
    let mut at = document;
    for key in &path[..path.len() - 1] {
        let Value::Object(map) = at else { panic!("object at {key}") };
        at = map.get_mut(*key).unwrap_or_else(|| panic!("{key}"));
    }
    let Value::Object(map) = at else { panic!("object") };
    map.insert(path[path.len() - 1].to_owned(), value);
}

#[test]
fn receipts_of_every_kind_verify_with_no_store() {
    let sandbox = authorized_story();
    for chain in ["writer", "contract"] {
        let receipt = sandbox.run(&["receipt", chain, "--format", "json", "--sign", "keys/pruv.key"], 0);
        let (code, out) = verify_offline(&receipt, &[]);
        assert_eq!(code, 0, "{chain}: {out}");
        assert!(out.contains("every claim matches") && out.contains("signature valid"), "{out}");
        let pinned = sandbox.path().join("keys/pruv.pub");
        assert_eq!(verify_offline(&receipt, &["--public-key", pinned.to_str().unwrap()]).0, 0);
    }
    // A plain chain, written to a file with -o.
    sandbox.run(&["chain", "new", "deploys"], 0);
    sandbox.run(&["chain", "append", "deploys", "--op", "release", "--state", r#"{"v":"1.0"}"#], 0);
    sandbox.run(&["receipt", "deploys", "--format", "json", "-o", "deploys.receipt.json"], 0);
    let receipt = sandbox.read("deploys.receipt.json");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&receipt).unwrap()["type"], "chain");
    assert_eq!(verify_offline(&receipt, &[]).0, 0);
    assert_eq!(verify_offline(&receipt, &["--require-signatures"]).0, 2, "unsigned, but a signature was required");
}

#[test]
fn each_edited_claim_is_named() {
    let sandbox = authorized_story();
    let original = json::parse(&sandbox.run(&["receipt", "contract", "--format", "json"], 0)).unwrap();
    let edits: Vec<(&[&str], Value, &str)> = vec![
        (&["entries"], Value::from(7u64), "entries"),
        (&["verified"], "9/9".into(), "verified"),
        (&["chain_intact"], false.into(), "chain_intact"),
        (&["X"], "0".repeat(64).into(), "X"),
        (&["Y"], "1".repeat(64).into(), "Y"),
        (&["XY"], Value::Null, "XY"),
        (&["type"], "chain".into(), "type"),
        (&["chain_id"], "000000000000".into(), "chain_id"),
        (&["all_checks_passed"], false.into(), "all_checks_passed"),
        (&["product_data", "owner"], "someone else".into(), "product_data.owner"),
        (&["product_data", "classification"], "public".into(), "product_data.classification"),
        (&["human_readable"], "all good".into(), "human_readable"),
        (&["timestamp"], "yesterday".into(), "timestamp"),
    ];
    for (path, value, field) in edits {
        let mut edited = original.clone();
        set(&mut edited, path, value);
        let (code, out) = verify_offline(&json::pretty(&edited), &[]);
        assert_eq!(code, 2, "{field}: {out}");
        assert!(out.contains(&format!("✗ {field}")), "{field} not named: {out}");
    }
    // Dropping what product_data says about the transitions is named at that field.
    let mut edited = original.clone();
    set(&mut edited, &["product_data", "transitions"], Value::Array(vec![]));
    let (code, out) = verify_offline(&json::pretty(&edited), &["--format", "json"]);
    assert_eq!(code, 2);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["mismatches"][0]["field"], "product_data.transitions");
}

#[test]
fn a_change_after_signing_breaks_the_signature() {
    let sandbox = authorized_story();
    let signed = sandbox.run(&["receipt", "writer", "--format", "json", "--sign", "keys/pruv.key"], 0);
    // The issue time is in the signed text receipt, so changing it shows twice.
    let mut retimed = json::parse(&signed).unwrap();
    set(&mut retimed, &["timestamp"], "2000-01-01T00:00:00Z".into());
    let (code, out) = verify_offline(&json::pretty(&retimed), &[]);
    assert_eq!(code, 2);
    assert!(out.contains("✗ human_readable") && out.contains("signature does not match"), "{out}");
    let (code, out) = verify_offline(&signed.replace("\"verified\": \"3/3\"", "\"verified\": \"3/3\" "), &[]);
    assert_eq!(code, 0, "whitespace is not content: {out}");
    let mut relabelled = json::parse(&signed).unwrap();
    set(&mut relabelled, &["pruv_version"], "9.9.9".into());
    let (code, out) = verify_offline(&json::pretty(&relabelled), &[]);
    assert_eq!(code, 2);
    assert!(out.contains("signature does not match"), "{out}");

    sandbox.run(&["key", "generate", "-o", "other"], 0);
    let other = sandbox.path().join("other/pruv.pub");
    let (code, out) = verify_offline(&signed, &["--public-key", other.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.contains("not by the pinned key"), "{out}");
}

#[test]
fn a_receipt_for_a_broken_chain_says_where_and_verifies_as_such() {
    let sandbox = authorized_story();
    let db = rusqlite::Connection::open(sandbox.path().join(".pruv/pruv.db")).unwrap();
    db.execute("UPDATE entries SET operation = 'edited' WHERE idx = 1 AND chain_id IN (SELECT id FROM chains WHERE name = 'identity/writer')", []).unwrap();
    let text = sandbox.run(&["receipt", "writer"], 0);
    assert!(text.contains("pruv receipt · identity · broken at entry 1"), "{text}");
    assert!(text.contains("✗ Chain intact: 1/2 entries verified"), "{text}");
    let svg = sandbox.run(&["receipt", "writer", "--format", "svg"], 0);
    assert!(svg.contains("broken at entry 1"), "{svg}");
    let receipt = sandbox.run(&["receipt", "writer", "--format", "json"], 0);
    let (code, out) = verify_offline(&receipt, &[]);
    assert_eq!(code, 2);
    assert!(out.contains("embedded chain broken at entry 1") && out.contains("every claim matches"), "{out}");
}

#[test]
fn cutting_a_revocation_out_of_an_embedded_identity_chain_does_not_clear_the_agent() {
    let sandbox = authorized_story();
    sandbox.run(&["identity", "revoke", "writer", "--reason", "left"], 0);
    sandbox.write("contract.txt", "v3");
    sandbox.run(&["provenance", "transition", "contract", "contract.txt", "--agent", "writer", "--reason", "late"], 0);
    let receipt = json::parse(&sandbox.run(&["receipt", "contract", "--format", "json"], 0)).unwrap();
    assert_eq!(verify_offline(&json::pretty(&receipt), &[]).0, 2, "records an unauthorized transition");

    // Cut the revoke entry and fix the identity chain's summary: the chain
    // alone cannot tell, but the transition recorded its verdict.
    let mut cut = receipt.clone();
    let Value::Object(map) = &mut cut else { panic!() };
    let Some(Value::Array(chains)) = map.get_mut("identity_chains") else { panic!("identity chains embedded") };
    let Value::Object(identity) = &mut chains[0] else { panic!() };
    let Some(Value::Array(entries)) = identity.get_mut("entries") else { panic!() };
    entries.pop();
    let head = entries.last().unwrap().as_object().unwrap()["y"].clone();
    identity.insert("length".into(), Value::from(2u64));
    identity.insert("head".into(), head);
    let (code, out) = verify_offline(&json::pretty(&cut), &["--format", "json"]);
    assert_eq!(code, 2);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fields: Vec<&str> =
        report["mismatches"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"product_data.transitions[1].agent.status"), "{fields:?}");
    // Even with every claim rewritten to match, the re-derived verdict fails:
    // the transition recorded "unauthorized", which the cut chain contradicts.
    assert!(fields.contains(&"checks[1].passed"), "{fields:?}");
}
