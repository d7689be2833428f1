//! A codebase as an artifact: `provenance origin --scan` starts it from a
//! scan, and `scan --provenance` records each later scan as a transition.

mod common;
mod trust;

use common::Sandbox;
use trust::json;

fn repo(sandbox: &Sandbox, body: &str) {
    sandbox.write_all([
        ("repo/app.py", format!("import os\nDB = os.environ[\"DATABASE_URL\"]\n{body}\n")),
        ("repo/requirements.txt", "fastapi\n".to_owned()),
    ]);
}

#[test]
fn scans_become_transitions_checked_against_the_agent() {
    let sandbox = Sandbox::with_store();
    sandbox
        .run(&["identity", "register", "ci", "--owner", "eng", "--scope", "artifact.modify", "--purpose", "builds"], 0);
    sandbox.run(&["identity", "register", "intern", "--owner", "eng", "--scope", "docs.*", "--purpose", "learns"], 0);
    repo(&sandbox, "# v1");
    let origin = json(&sandbox, &["provenance", "origin", "--scan", "repo", "--name", "repo", "--owner", "eng"], 0);
    let first = json(&sandbox, &["scan", "repo", "--no-record"], 0);
    assert_eq!(origin["content_hash"], first["tree_hash"]);

    repo(&sandbox, "# v2");
    let output = sandbox
        .pruv()
        .args(["scan", "repo", "--format", "json", "--provenance", "repo", "--agent", "ci", "--reason", "merge #12"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let second: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is still the scan");
    assert!(String::from_utf8_lossy(&output.stderr).contains("recorded transition as entry 1 of provenance/repo"));

    let report = json(&sandbox, &["provenance", "verify", "repo"], 0);
    let transition = &report["transitions"][0];
    assert_eq!(transition["before"], first["tree_hash"]);
    assert_eq!(transition["after"], second["tree_hash"]);
    assert_eq!(transition["graph_hash"], second["graph_hash"]);
    assert_eq!(report["artifact"]["source"], "scan");

    // Someone without artifact.modify changes the codebase: recorded, and verify fails.
    repo(&sandbox, "# v3");
    sandbox.run(&["scan", "repo", "--provenance", "repo", "--agent", "intern", "--reason", "typo"], 0);
    let report = json(&sandbox, &["provenance", "verify", "repo"], 2);
    assert_eq!(report["unauthorized"], serde_json::json!([2]));

    // A receipt of the codebase's provenance re-verifies offline.
    let receipt = sandbox.run(&["receipt", "repo", "--format", "json"], 0);
    let offline = Sandbox::new();
    offline.write("receipt.json", &receipt);
    let out = offline.run(&["verify", "receipt.json"], 2);
    assert!(out.contains("every claim matches") && out.contains("records a failed check"), "{out}");
}

#[test]
fn origin_from_a_scan_document_and_scan_flags_need_each_other() {
    let sandbox = Sandbox::with_store();
    repo(&sandbox, "");
    let document = sandbox.run(&["scan", "repo", "--format", "json", "--no-record"], 0);
    sandbox.write("scan.json", &document);
    let origin = json(&sandbox, &["provenance", "origin", "--scan", "scan.json", "--name", "svc", "--owner", "eng"], 0);
    let scanned: serde_json::Value = serde_json::from_str(&document).unwrap();
    assert_eq!(origin["content_hash"], scanned["tree_hash"]);

    sandbox.write("not-a-scan.json", "{\"format\": \"pruv.chain/1\"}");
    let err = sandbox.run_err(&["provenance", "origin", "--scan", "not-a-scan.json", "--name", "x", "--owner", "o"], 6);
    assert!(err.contains("pruv.scan/1"), "{err}");
    let err = sandbox.run_err(&["scan", "repo", "--provenance", "svc", "--agent", "ci"], 6);
    assert!(err.contains("--reason"), "{err}");
    let err = sandbox.run_err(&["scan", "repo", "--agent", "ci"], 6);
    assert!(err.contains("--provenance"), "{err}");
    let err = sandbox.run_err(&["provenance", "origin", "--name", "x", "--owner", "o"], 6);
    assert!(err.contains("FILE") || err.contains("--scan"), "{err}");
}

#[test]
fn a_recorded_scan_has_a_receipt_with_its_architecture() {
    let sandbox = Sandbox::with_store();
    repo(&sandbox, "");
    let outcome = pruv::scan::scan(&sandbox.path().join("repo"), "repo", &Default::default()).unwrap();
    let mut store = pruv::store::Store::open(&sandbox.path().join(".pruv")).unwrap();
    let scan_id = store.record_scan("repo", &outcome.document).unwrap();
    drop(store);

    let receipt = sandbox.run(&["receipt", &scan_id, "--format", "json"], 0);
    let parsed: serde_json::Value = serde_json::from_str(&receipt).unwrap();
    assert_eq!(parsed["type"], "scan");
    assert_eq!(parsed["chain_id"], format!("scan-{scan_id}"));
    assert_eq!(parsed["product_data"]["tree_hash"], outcome.document.tree_hash.as_str());
    assert_eq!(parsed["product_data"]["env"]["total"], outcome.document.env_vars.len());
    assert_eq!(parsed["entries"], outcome.document.files.len() + 1);
    let text = sandbox.run(&["receipt", &scan_id], 0);
    assert!(text.contains("✓ The tree hash is the hash of every file the chain lists"), "{text}");

    let offline = Sandbox::new();
    offline.write("receipt.json", &receipt);
    offline.run(&["verify", "receipt.json"], 0);
    // The tree hash is recomputed from the files the chain lists.
    let edited = receipt.replacen(&outcome.document.tree_hash, &"0".repeat(64), 1);
    offline.write("edited.json", &edited);
    let out = offline.run(&["verify", "edited.json"], 2);
    assert!(out.contains("✗ product_data.tree_hash"), "{out}");
}
