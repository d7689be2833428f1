//! The whole story through the CLI: register an agent, start an artifact,
//! act, change the artifact, verify; revoke the agent, change it again
//! (recorded, flagged), verify fails; a receipt in every format.

mod common;
mod trust;

use common::Sandbox;
use trust::{id, json, redact, writer_and_contract};

#[test]
fn register_act_transition_revoke_and_receipts() {
    let sandbox = Sandbox::with_store();
    let (writer, contract) = writer_and_contract(&sandbox);
    let ids = [(writer.as_str(), "writer"), (contract.as_str(), "contract")];

    let act =
        json(&sandbox, &["identity", "act", "writer", "--action", "review clause 1", "--scope", "docs.review"], 0);
    assert_eq!(
        (act["entry"].as_u64(), act["in_scope"].as_bool(), act["authorized"].as_bool()),
        (Some(1), Some(true), Some(true))
    );

    sandbox.write("contract.txt", "Clause 1: pay within 30 days.\n");
    let first = json(
        &sandbox,
        &["provenance", "transition", "contract", "contract.txt", "--agent", "writer", "--reason", "clarify the term"],
        0,
    );
    assert_eq!(first["agent"]["authorized"], true);
    assert_eq!(first["agent"]["id"], writer.as_str());
    let verified = json(&sandbox, &["provenance", "verify", &contract], 0);
    assert_eq!(verified["ok"], true, "{verified:#}");
    assert!(sandbox.run(&["identity", "verify", "writer"], 0).contains("status: active"));

    sandbox.run(&["identity", "revoke", &writer, "--reason", "left the firm"], 0);
    sandbox.write("contract.txt", "Clause 1: pay whenever.\n");
    let output = sandbox
        .pruv()
        .args(["provenance", "transition", "contract", "contract.txt", "--agent", "writer", "--reason", "late edit"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "recording never blocks");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not authorized") && stderr.contains("left the firm"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("UNAUTHORIZED"));

    let report = json(&sandbox, &["provenance", "verify", "contract"], 2);
    assert_eq!(report["unauthorized"], serde_json::json!([2]));
    assert_eq!(report["transitions"][1]["agent"]["status"], "revoked");
    assert_eq!(report["transitions"][1]["before"], report["transitions"][0]["after"]);
    assert!(report["problems"].as_array().unwrap().is_empty(), "{report:#}");
    let text = sandbox.run(&["provenance", "verify", "contract"], 2);
    assert!(text.contains("entry 2") && text.contains("unauthorized: revoked at"), "{text}");

    // The identity itself holds: its one action came before the revocation.
    let identity = json(&sandbox, &["identity", "verify", "writer"], 0);
    assert_eq!(identity["status"]["status"], "revoked");
    assert_eq!(identity["actions"][0]["authorized"], true);

    let receipt_text = sandbox.run(&["receipt", "contract"], 0);
    insta::assert_snapshot!("provenance_receipt_text", redact(&receipt_text, &ids));
    let receipt_json = sandbox.run(&["receipt", "contract", "--format", "json"], 0);
    insta::assert_snapshot!("provenance_receipt_json", redact(&receipt_json, &ids));

    let svg = sandbox.run(&["receipt", "contract", "--format", "svg"], 0);
    assert!(svg.starts_with("<svg") && svg.contains("1 check failed") && svg.contains("#c62828"), "{svg}");
    let identity_svg = sandbox.run(&["receipt", "writer", "--format", "svg"], 0);
    assert!(identity_svg.contains("verified 3/3") && identity_svg.contains("#2e7d32"), "{identity_svg}");
    let html = sandbox.run(&["receipt", "contract", "--format", "html"], 0);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("id=\"pruv-receipt\""), "{html}");
    assert!(html.contains("✗ Every agent authorized when it acted: 1/2"), "{html}");
    assert!(!html.contains("<script src") && !html.contains("<link"), "self-contained: {html}");

    // The JSON receipt re-verifies on its own: it is genuine, and says the check failed.
    sandbox.write("receipt.json", &receipt_json);
    let offline = Sandbox::new();
    let path = sandbox.path().join("receipt.json");
    let verdict = offline.run(&["verify", path.to_str().unwrap()], 2);
    assert!(verdict.contains("every claim matches") && verdict.contains("records a failed check"), "{verdict}");
}

#[test]
fn out_of_scope_and_expired_actions_are_recorded_and_fail_verification() {
    let sandbox = Sandbox::with_store();
    let bot = id(&json(
        &sandbox,
        &[
            "identity",
            "register",
            "bot",
            "--owner",
            "ops",
            "--scope",
            "deploy.*",
            "--scope",
            "read",
            "--purpose",
            "ships",
            "--valid-until",
            "2021-01-01T00:00:00Z",
        ],
        0,
    ));
    let act = json(&sandbox, &["identity", "act", &bot, "--action", "refund", "--scope", "deploy"], 0);
    assert_eq!((act["in_scope"].as_bool(), act["authorized"].as_bool()), (Some(false), Some(false)));
    assert!(act["reason"].as_str().unwrap().starts_with("expired at 2021-01-01T00:00:00Z"), "{act}");
    let report = json(&sandbox, &["identity", "verify", "bot"], 2);
    assert_eq!(report["status"]["status"], "expired");
    assert_eq!(report["actions"][0]["entry"], 1);
    let text = sandbox.run(&["identity", "verify", "bot"], 2);
    assert!(text.contains("1 out of scope, 1 unauthorized"), "{text}");
    let list = json(&sandbox, &["identity", "list"], 0);
    assert_eq!(list[0]["name"], "bot");
    assert_eq!(list[0]["status"], "expired");
}

#[test]
fn a_scope_named_on_the_artifact_authorizes_its_agents() {
    let sandbox = Sandbox::with_store();
    sandbox
        .run(&["identity", "register", "counsel", "--owner", "legal", "--scope", "contracts.*", "--purpose", "p"], 0);
    sandbox.write("nda.txt", "v1");
    sandbox
        .run(&["provenance", "origin", "nda.txt", "--name", "nda", "--owner", "legal", "--scope", "contracts.nda"], 0);
    sandbox.write("nda.txt", "v2");
    sandbox.run(&["provenance", "transition", "nda", "nda.txt", "--agent", "counsel", "--reason", "r"], 0);
    sandbox.run(&["provenance", "verify", "nda"], 0);

    sandbox.write("memo.txt", "v1");
    sandbox.run(&["provenance", "origin", "memo.txt", "--name", "memo", "--owner", "legal"], 0);
    sandbox.write("memo.txt", "v2");
    sandbox.run(&["provenance", "transition", "memo", "memo.txt", "--agent", "counsel", "--reason", "r"], 0);
    let report = json(&sandbox, &["provenance", "verify", "memo"], 2);
    assert!(report["transitions"][0]["agent"]["reasons"][0].as_str().unwrap().starts_with("out of scope"), "{report}");
    assert_eq!(json(&sandbox, &["provenance", "list"], 0).as_array().unwrap().len(), 2);
}

#[test]
fn mistakes_are_invalid_input_with_a_hint() {
    let sandbox = Sandbox::with_store();
    writer_and_contract(&sandbox);
    let err = sandbox.run_err(&["identity", "act", "nobody", "--action", "x", "--scope", "docs.x"], 6);
    assert!(err.contains("no identity \"nobody\"") && err.contains("pruv identity list"), "{err}");
    let err = sandbox
        .run_err(&["provenance", "transition", "contract", "contract.txt", "--agent", "ghost", "--reason", "r"], 6);
    assert!(err.contains("no identity \"ghost\""), "{err}");
    let err = sandbox.run_err(&["provenance", "transition", "contract", "contract.txt", "--agent", "writer"], 6);
    assert!(err.contains("--reason"), "{err}");
    let err = sandbox.run_err(&["provenance", "transition", "contract", "contract.txt", "--reason", "r"], 6);
    assert!(err.contains("--agent"), "{err}");
    let err = sandbox
        .run_err(&["provenance", "transition", "nothing", "contract.txt", "--agent", "writer", "--reason", "r"], 6);
    assert!(err.contains("pruv provenance list"), "{err}");
    for bad in ["yesterday", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00"] {
        let err = sandbox.run_err(
            &["identity", "register", "x", "--owner", "o", "--scope", "s", "--purpose", "p", "--valid-until", bad],
            6,
        );
        assert!(err.contains("RFC 3339"), "{bad}: {err}");
    }
    let err = sandbox.run_err(
        &[
            "identity",
            "register",
            "x",
            "--owner",
            "o",
            "--scope",
            "s",
            "--purpose",
            "p",
            "--valid-from",
            "2030-01-01T00:00:00Z",
            "--valid-until",
            "2029-01-01T00:00:00Z",
        ],
        6,
    );
    assert!(err.contains("is not before"), "{err}");
    let err = sandbox.run_err(&["identity", "register", "x", "--owner", "o", "--scope", "a..b", "--purpose", "p"], 6);
    assert!(err.contains("empty segment"), "{err}");
    let err = sandbox.run_err(&["identity", "register", "writer", "--owner", "o", "--scope", "s", "--purpose", "p"], 6);
    assert!(err.contains("already exists"), "{err}");
    let err = sandbox.run_err(&["identity", "act", "writer", "--action", "x", "--scope", "docs.*"], 6);
    assert!(err.contains("--scope"), "{err}");
    let err = sandbox.run_err(&["identity", "verify", "provenance/contract"], 6);
    assert!(err.contains("is not a pruv.identity/1 chain"), "{err}");
    let err = sandbox.run_err(&["identity", "revoke", "writer"], 6);
    assert!(err.contains("--reason"), "{err}");
    sandbox.run(&["identity", "revoke", "writer", "--reason", "done"], 0);
    let err = sandbox.run_err(&["identity", "revoke", "writer", "--reason", "again"], 6);
    assert!(err.contains("already revoked"), "{err}");
    let err = sandbox.run_err(&["receipt", "contract", "--format", "markdown"], 6);
    assert!(err.contains("text, json, svg, html"), "{err}");
    let err = sandbox.run_err(&["chain", "show", "writer", "--format", "svg"], 6);
    assert!(err.contains("cannot write --format svg"), "{err}");
    sandbox.run_err(&["receipt", "no-such-chain"], 6);
}
