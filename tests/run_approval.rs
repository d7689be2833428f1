//! Approval gates against a real HTTP server on 127.0.0.1 (approve, deny,
//! time out, bad signature, unreachable) and from a second process
//! (`pruv approve`, `pruv deny`), with the exit codes 0, 4 and 7.

use std::net::TcpListener;
use std::time::Duration;

use pruv::core::sign::SecretKey;
use pruv::run::approval::Decision;

mod common;
use common::Sandbox;

/// The approval webhook: one request, answered with what `answer` makes of its body.
fn webhook(
    answer: impl FnOnce(serde_json::Value) -> Option<String> + Send + 'static,
) -> (String, std::thread::JoinHandle<serde_json::Value>) {
    // No answer: the connection is held past the run's timeout.
    let (base, server) =
        common::one_request_server(move |request| answer(request.body.clone()), Duration::from_secs(4));
    (format!("{base}/approve"), std::thread::spawn(move || server.join().unwrap().body))
}

fn decision_for(request: &serde_json::Value, approved: bool, key: &SecretKey) -> String {
    let mut decision = Decision {
        request: request["request"].as_str().unwrap().to_owned(),
        entry_y: request["entry_y"].as_str().unwrap().to_owned(),
        approved,
        approver: key.signer_id.clone(),
        reason: Some("reviewed".into()),
        public_key: None,
        signature: None,
    };
    decision.sign(key);
    serde_json::json!({
        "approved": approved, "approver": decision.approver, "reason": "reviewed",
        "public_key": decision.public_key, "signature": decision.signature
    })
    .to_string()
}

fn last_outcome(sandbox: &Sandbox) -> serde_json::Value {
    sandbox.run(&["chain", "export", "runs", "-o", "runs.json"], 0);
    let document: serde_json::Value = serde_json::from_str(&sandbox.read("runs.json")).unwrap();
    let entries = document["entries"].as_array().unwrap();
    entries.iter().rev().find(|e| e["y_state"]["type"] == "pruv.run.approval/1").unwrap()["y_state"].clone()
}

fn gated_run(sandbox: &Sandbox, url: &str, extra: &[&str]) -> i32 {
    let mut args = vec!["run", "--action", "deploy.web", "--approve", "deploy.*", "--approval-webhook", url];
    args.extend_from_slice(extra);
    args.extend(["--", "touch", "ran"]);
    sandbox.pruv().args(&args).output().unwrap().status.code().unwrap()
}

#[test]
fn a_webhook_approves_denies_or_times_out() {
    let sandbox = Sandbox::with_store();
    let (url, server) = webhook(|_| Some(r#"{"approved": true, "approver": "release-bot", "reason": "green"}"#.into()));
    assert_eq!(gated_run(&sandbox, &url, &[]), 0);
    let request = server.join().unwrap();
    assert_eq!(request["action"], "deploy.web");
    assert_eq!(request["argv"], serde_json::json!(["touch", "ran"]));
    assert!(sandbox.path().join("ran").exists());
    let outcome = last_outcome(&sandbox);
    assert_eq!(outcome["outcome"], "approved");
    assert_eq!(outcome["entry_y"], request["entry_y"], "the decision names the pending entry's hash");
    assert_eq!(outcome["decision"]["approver"], "release-bot");
    std::fs::remove_file(sandbox.path().join("ran")).unwrap();

    let (url, server) = webhook(|_| Some(r#"{"approved": false, "approver": "alice", "reason": "freeze"}"#.into()));
    assert_eq!(gated_run(&sandbox, &url, &[]), 4);
    server.join().unwrap();
    assert!(!sandbox.path().join("ran").exists(), "a denied command does not run");
    assert_eq!(last_outcome(&sandbox)["outcome"], "denied");

    let (url, server) = webhook(|_| None);
    assert_eq!(gated_run(&sandbox, &url, &["--approval-timeout", "1"]), 4);
    assert!(!sandbox.path().join("ran").exists());
    assert_eq!(last_outcome(&sandbox)["outcome"], "timed_out");
    server.join().unwrap();

    // Not gated: runs without asking anyone.
    sandbox.run(&["run", "--action", "lint", "--approve", "deploy.*", "--", "true"], 0);
}

#[test]
fn pinned_approvers_must_sign_the_decision() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["key", "generate", "--name", "lead", "--signer-id", "lead"], 0);
    sandbox.write("pruv.toml", "[run]\napprove = [\"deploy.*\"]\napprovers = { lead = \"lead.pub\" }\n");
    let lead = pruv::core::sign::SecretKey::load(&sandbox.path().join("lead.key")).unwrap();
    let mallory = SecretKey::from_seed([9; 32], Some("lead".into()));

    let (url, server) = webhook(move |request| Some(decision_for(&request, true, &mallory)));
    assert_eq!(gated_run(&sandbox, &url, &[]), 4);
    server.join().unwrap();
    let outcome = last_outcome(&sandbox);
    assert_eq!(outcome["outcome"], "invalid");
    assert!(outcome["detail"].as_str().unwrap().contains("not a pinned approver"), "{outcome}");
    assert!(!sandbox.path().join("ran").exists());

    let (url, server) = webhook(|_| Some(r#"{"approved": true, "approver": "lead"}"#.into()));
    assert_eq!(gated_run(&sandbox, &url, &[]), 4, "unsigned, with approvers pinned");
    server.join().unwrap();

    let (url, server) = webhook(move |request| Some(decision_for(&request, true, &lead)));
    assert_eq!(gated_run(&sandbox, &url, &[]), 0);
    server.join().unwrap();
    assert!(sandbox.path().join("ran").exists());
}

#[test]
fn an_unreachable_webhook_is_a_missing_dependency() {
    let sandbox = Sandbox::with_store();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    assert_eq!(gated_run(&sandbox, &format!("http://127.0.0.1:{port}/"), &[]), 7);
    assert!(!sandbox.path().join("ran").exists());
    assert_eq!(last_outcome(&sandbox)["outcome"], "unreachable");
    let error = sandbox.run_err(&["run", "--approval-webhook", "ftp://x", "--", "true"], 6);
    assert!(error.contains("not an http"), "{error}");
}

#[test]
fn a_person_approves_or_denies_from_another_process() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["key", "generate", "--name", "ops", "--signer-id", "ops"], 0);
    for (verb, code) in [("approve", 0), ("deny", 4)] {
        let _ = std::fs::remove_file(sandbox.path().join("ran"));
        let waiting = sandbox
            .std_pruv()
            .args([
                "run",
                "--action",
                "db.migrate",
                "--approve",
                "db.*",
                "--approval-timeout",
                "30",
                "--",
                "touch",
                "ran",
            ])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The request id, from the chain once the run has recorded it.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let request = loop {
            let output = sandbox.pruv().args(["chain", "export", "runs"]).output().unwrap();
            if let Ok(document) = serde_json::from_slice::<serde_json::Value>(&output.stdout) {
                let pending =
                    document["entries"].as_array().unwrap().iter().rev().find(|e| e["status"] == "pending").cloned();
                let open =
                    document["entries"].as_array().unwrap().last().map(|e| e["status"] == "pending").unwrap_or(false);
                if let (Some(entry), true) = (pending, open) {
                    break entry["y_state"]["request"].as_str().unwrap().to_owned();
                }
            }
            assert!(std::time::Instant::now() < deadline, "the run recorded no request");
            std::thread::sleep(Duration::from_millis(50));
        };
        sandbox.run(&[verb, &request, "--key", "ops.key", "--reason", "checked"], 0);
        let output = waiting.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(code), "{verb}: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(sandbox.path().join("ran").exists(), verb == "approve");
        // Decided once: a second decision on the same request is refused.
        sandbox.run_err(&["approve", &request, "--key", "ops.key"], 6);
    }
}
