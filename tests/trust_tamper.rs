//! Editing an identity's scope or a transition's agent after the fact,
//! in an export or in the store itself, is caught.

mod common;
mod trust;

use common::Sandbox;
use pruv::core::json::{self, Value};
use trust::{json, writer_and_contract};

/// Rewrites one entry's stored `y_state` in the SQLite store, as someone
/// with write access to `.pruv/pruv.db` could.
fn edit_stored_state(sandbox: &Sandbox, chain_id: &str, index: i64, from: &str, to: &str) {
    let db = rusqlite::Connection::open(sandbox.path().join(".pruv/pruv.db")).unwrap();
    let changed = db
        .execute(
            "UPDATE entries SET y_state = replace(y_state, ?1, ?2) WHERE chain_id = ?3 AND idx = ?4",
            rusqlite::params![from, to, chain_id, index],
        )
        .unwrap();
    assert_eq!(changed, 1);
}

fn state_of(document: &mut Value, index: usize) -> &mut json::Map {
    let Value::Object(map) = document else { panic!("document") };
    let Some(Value::Array(entries)) = map.get_mut("entries") else { panic!("entries") };
    let Value::Object(entry) = &mut entries[index] else { panic!("entry") };
    let Some(Value::Object(state)) = entry.get_mut("y_state") else { panic!("y_state") };
    state
}

#[test]
fn widening_an_identity_scope_in_an_export_breaks_entry_0() {
    let sandbox = Sandbox::with_store();
    writer_and_contract(&sandbox);
    let mut document = json::parse(&sandbox.run(&["chain", "export", "identity/writer"], 0)).unwrap();
    state_of(&mut document, 0).insert("scopes".into(), Value::Array(vec!["*".into()]));
    sandbox.write("widened.json", &json::pretty(&document));
    let report = json(&sandbox, &["verify", "widened.json"], 2);
    assert_eq!(report["first_break"], 0);
    assert_eq!(report["problems"][0]["kind"], "state_hash");
}

#[test]
fn widening_an_identity_scope_in_the_store_is_caught_and_taints_its_transitions() {
    let sandbox = Sandbox::with_store();
    let (writer, _) = writer_and_contract(&sandbox);
    sandbox.run(&["identity", "act", "writer", "--action", "a", "--scope", "docs.x"], 0);
    sandbox.write("contract.txt", "v2");
    sandbox.run(&["provenance", "transition", "contract", "contract.txt", "--agent", "writer", "--reason", "r"], 0);
    sandbox.run(&["provenance", "verify", "contract"], 0);

    edit_stored_state(&sandbox, &writer, 0, "\"docs.*\"", "\"*\"");
    let text = sandbox.run(&["identity", "verify", "writer"], 2);
    assert!(text.contains("chain broken at entry 0") && text.contains("state_hash"), "{text}");
    // Every transition by that agent is now unauthorized, and it disagrees with what was recorded.
    let report = json(&sandbox, &["provenance", "verify", "contract"], 2);
    assert_eq!(report["unauthorized"], serde_json::json!([1]));
    assert!(report["transitions"][0]["agent"]["reasons"][0].as_str().unwrap().contains("broken at entry 0"));
    assert!(report["problems"][0]["message"].as_str().unwrap().contains("records the agent as authorized"));
}

#[test]
fn swapping_a_transitions_agent_is_caught() {
    let sandbox = Sandbox::with_store();
    let (writer, contract) = writer_and_contract(&sandbox);
    let partner = trust::id(&json(
        &sandbox,
        &["identity", "register", "partner", "--owner", "legal", "--scope", "artifact.modify", "--purpose", "p"],
        0,
    ));
    sandbox.write("contract.txt", "v2");
    sandbox.run(&["provenance", "transition", "contract", "contract.txt", "--agent", "writer", "--reason", "r"], 0);
    sandbox.run(&["provenance", "transition", "contract", "contract.txt", "--agent", "writer", "--reason", "again"], 0);

    // In an export: the proof no longer holds at that entry.
    let mut document = json::parse(&sandbox.run(&["chain", "export", &contract], 0)).unwrap();
    state_of(&mut document, 1).insert("agent".into(), partner.as_str().into());
    sandbox.write("swapped.json", &json::pretty(&document));
    let report = json(&sandbox, &["verify", "swapped.json"], 2);
    assert_eq!(report["first_break"], 1);

    // In the store: `provenance verify` names the entry.
    edit_stored_state(&sandbox, &contract, 1, &writer, &partner);
    let text = sandbox.run(&["provenance", "verify", "contract"], 2);
    assert!(text.contains("chain broken at entry 1"), "{text}");
}

#[test]
fn a_forged_act_verdict_is_caught_even_with_a_consistent_chain() {
    let sandbox = Sandbox::with_store();
    writer_and_contract(&sandbox);
    // Appending through the generic chain command bypasses `identity act`'s judgement.
    let forged = r#"{"type":"pruv.identity.act/1","action":"wire money","scope":"payments.send","in_scope":true,"authorized":true,"reason":null}"#;
    sandbox.run(&["chain", "append", "identity/writer", "--op", "act", "--state", forged], 0);
    let report = json(&sandbox, &["identity", "verify", "writer"], 2);
    assert_eq!(report["chain"]["intact"], true);
    assert_eq!(report["actions"][0]["in_scope"], false);
    assert_eq!(report["problems"][0]["entry"], 1);
}
