//! `pruv run`: output and exit status pass through, the event records them
//! (hashes, never env values), signals reach the command, nested runs share
//! a correlation id, and `--watch` lists exactly what the command changed.

use std::time::Duration;

mod common;
use common::Sandbox;

/// The chain's entries' states, read from an export.
fn states(sandbox: &Sandbox, chain: &str) -> Vec<serde_json::Value> {
    sandbox.run(&["chain", "export", chain, "-o", "export.json"], 0);
    let document: serde_json::Value = serde_json::from_str(&sandbox.read("export.json")).unwrap();
    document["entries"].as_array().unwrap().iter().map(|e| e["y_state"].clone()).collect()
}

fn sha256(bytes: &[u8]) -> String {
    pruv::core::hash::sha256_hex(bytes)
}

#[test]
fn output_and_exit_code_pass_through_and_the_event_hashes_them() {
    let sandbox = Sandbox::with_store();
    let output = sandbox
        .pruv()
        .args(["run", "--intent", "greet", "--action", "hello", "--attr", "ticket=OPS-7", "--"])
        .args(["sh", "-c", "printf 'hello\\nworld\\n'; printf oops >&2; exit 3"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(output.stdout, b"hello\nworld\n");
    assert_eq!(output.stderr, b"oops");
    let state = &states(&sandbox, "runs")[0];
    assert_eq!(state["type"], "pruv.run/1");
    assert_eq!(state["intent"], "greet");
    assert_eq!(state["action"], "hello");
    assert_eq!(state["status"], "error");
    assert_eq!(state["output"]["exitCode"], 3);
    assert_eq!(state["output"]["stdout"]["sha256"], sha256(b"hello\nworld\n"));
    assert_eq!(state["output"]["stdout"]["bytes"], 12);
    assert_eq!(state["output"]["stdout"]["tail"], "hello\nworld");
    assert_eq!(state["output"]["stderr"]["sha256"], sha256(b"oops"));
    assert_eq!(state["attributes"]["ticket"], "OPS-7");
    assert_eq!(state["inputs"]["argv"][0], "sh");
    sandbox.run(&["verify", "export.json"], 0);

    let ok = sandbox.pruv().args(["run", "--", "true"]).output().unwrap();
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(states(&sandbox, "runs")[1]["status"], "ok");

    let missing = sandbox.pruv().args(["run", "--", "no-such-program-anywhere"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(127));
    let state = &states(&sandbox, "runs")[2];
    assert!(state["output"]["error"].as_str().unwrap().contains("could not start"), "{state}");
}

#[test]
fn env_values_and_secrets_never_reach_the_store() {
    let sandbox = Sandbox::with_store();
    let secret = "s3cr3t-value-7f3a9c";
    let output = sandbox
        .pruv()
        .env("SERVICE_API_TOKEN", secret)
        .env("PLAIN_SETTING", "visible-but-unrecorded-value")
        .args(["run", "--redact", "PLAIN_SETTING", "--"])
        .args(["sh", "-c", "echo token is $SERVICE_API_TOKEN; echo setting $PLAIN_SETTING >&2"])
        .arg(format!("--password={secret}"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    // Passed through unchanged to the caller...
    assert!(String::from_utf8_lossy(&output.stdout).contains(secret));
    // ...and recorded nowhere: not in the export, not in the database file.
    let state = &states(&sandbox, "runs")[0];
    let export = sandbox.read("export.json");
    assert!(!export.contains(secret), "{export}");
    assert!(!export.contains("visible-but-unrecorded-value"), "{export}");
    assert_eq!(state["output"]["stdout"]["tail"], "token is [REDACTED:SERVICE_API_TOKEN]");
    assert_eq!(state["output"]["stderr"]["tail"], "setting [REDACTED:PLAIN_SETTING]");
    let names: Vec<&str> = state["inputs"]["env"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(names.contains(&"SERVICE_API_TOKEN") && names.contains(&"PRUV_CORRELATION_ID"), "{names:?}");
    let mut database = Vec::new();
    for file in std::fs::read_dir(sandbox.path().join(".pruv")).unwrap() {
        database.extend(std::fs::read(file.unwrap().path()).unwrap());
    }
    assert!(!database.windows(secret.len()).any(|w| w == secret.as_bytes()), "the secret is in the store");
}

#[test]
fn nested_runs_share_one_correlation_id() {
    let sandbox = Sandbox::with_store();
    let pruv = assert_cmd::cargo::cargo_bin!("pruv");
    let inner = format!("{} run --chain runs -- sh -c 'echo $PRUV_CORRELATION_ID'", pruv.display());
    let output = sandbox.pruv().args(["run", "--", "sh", "-c", &inner]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8(output.stdout).unwrap();
    let states = states(&sandbox, "runs");
    assert_eq!(states.len(), 2);
    assert_eq!(states[0]["correlationId"], states[1]["correlationId"]);
    assert_eq!(printed.trim(), states[0]["correlationId"].as_str().unwrap());
    assert_ne!(states[0]["id"], states[1]["id"]);

    let given = sandbox.pruv().env("PRUV_CORRELATION_ID", "deploy-42").args(["run", "--", "true"]).output().unwrap();
    assert_eq!(given.status.code(), Some(0));
    assert_eq!(states_of_last(&sandbox)["correlationId"], "deploy-42");
}

fn states_of_last(sandbox: &Sandbox) -> serde_json::Value {
    states(sandbox, "runs").pop().unwrap()
}

#[test]
fn watch_lists_exactly_the_files_the_command_changed() {
    let sandbox = Sandbox::with_store();
    sandbox.write_all([
        ("site/keep.txt", "same"),
        ("site/edit.txt", "v1"),
        ("site/gone.txt", "x"),
        ("site/run.sh", "echo"),
    ]);
    sandbox.write_all([("site/.gitignore", "cache/\n"), ("site/cache/ignored.txt", "a")]);
    let script = "printf v2 > site/edit.txt; rm site/gone.txt; mkdir site/new; printf n > site/new/file.txt; chmod +x site/run.sh; printf b > site/cache/ignored.txt";
    sandbox.run(&["run", "--watch", "site", "--", "sh", "-c", script], 0);
    let state = states_of_last(&sandbox);
    let tree = &state["tree"];
    assert_eq!(tree["added"], serde_json::json!(["new/file.txt"]));
    assert_eq!(tree["removed"], serde_json::json!(["gone.txt"]));
    assert_eq!(tree["modified"], serde_json::json!(["edit.txt", "run.sh"]));
    assert_ne!(tree["before"], tree["after"]);
    // The tree hash is the one `pruv scan` gives the same files.
    let scan: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["scan", "site", "--no-record", "--format", "json"], 0)).unwrap();
    assert_eq!(scan["tree_hash"], tree["after"]);

    sandbox.run(&["run", "--watch", "site", "--", "true"], 0);
    let quiet = states_of_last(&sandbox);
    assert_eq!(quiet["tree"]["before"], quiet["tree"]["after"]);
    assert_eq!(quiet["tree"]["added"], serde_json::json!([]));
}

#[cfg(unix)]
#[test]
fn signals_reach_the_command_and_its_death_by_signal_passes_through() {
    let sandbox = Sandbox::with_store();
    // Killed by a signal: exit 128 + n, recorded as that signal.
    let killed = sandbox.pruv().args(["run", "--", "sh", "-c", "kill -TERM $$"]).output().unwrap();
    assert_eq!(killed.status.code(), Some(143));
    assert_eq!(states_of_last(&sandbox)["output"]["signal"], 15);

    // A TERM sent to pruv reaches the command, which decides how to end.
    let script = "trap 'echo got TERM; exit 42' TERM; touch started; while :; do sleep 0.05; done";
    let child = sandbox
        .std_pruv()
        .args(["run", "--", "sh", "-c", script])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = sandbox.path().join("started");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !started.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(started.exists(), "the command did not start");
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(42));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "got TERM\n");
    assert_eq!(states_of_last(&sandbox)["output"]["exitCode"], 42);
}

#[test]
fn bad_invocations_are_one_line_errors_and_run_nothing() {
    let sandbox = Sandbox::with_store();
    let error = sandbox.run_err(&["run", "--attr", "novalue", "--", "touch", "ran"], 6);
    assert!(error.contains("--attr \"novalue\": write KEY=VALUE"), "{error}");
    let error = sandbox.run_err(&["run", "--watch", "nowhere", "--", "touch", "ran"], 6);
    assert!(error.contains("not a directory"), "{error}");
    assert!(!sandbox.path().join("ran").exists());
    let bare = Sandbox::new();
    let error = bare.run_err(&["run", "--", "touch", "ran"], 6);
    assert!(error.contains("pruv init"), "{error}");
    assert!(!bare.path().join("ran").exists(), "a run that cannot be recorded is not started");
}

#[test]
fn recorded_events_match_the_published_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixture("../schemas/v1/types/execution.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let sandbox = Sandbox::with_store();
    sandbox.write_all([("w/a", "1")]);
    sandbox.run(
        &["run", "--intent", "x", "--attr", "k=v", "--watch", "w", "--", "sh", "-c", "echo hi; printf 2 > w/a"],
        0,
    );
    let _ = sandbox.pruv().args(["run", "--", "no-such-program-anywhere"]).output().unwrap();
    let _ = sandbox.pruv().args(["run", "--", "sh", "-c", "kill -TERM $$"]).output().unwrap();
    let events = states(&sandbox, "runs");
    assert_eq!(events.len(), 3);
    for event in &events {
        let errors: Vec<String> =
            validator.iter_errors(event).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{errors:?}\n{event}");
    }
    // The schema is not vacuous: a value where a name belongs fails it.
    let mut leaked = events[0].clone();
    leaked["inputs"]["env"] = serde_json::json!([{"HOME": "/root"}]);
    assert!(!validator.is_valid(&leaked));
}

#[test]
fn a_run_receipt_shows_task_agent_and_verdict_and_re_verifies_offline() {
    let sandbox = Sandbox::with_store();
    sandbox.run(
        &["identity", "register", "deployer", "--owner", "ops", "--scope", "deploy.*", "--purpose", "ships releases"],
        0,
    );
    sandbox.run(&["run", "--agent", "deployer", "--action", "deploy.web", "--intent", "ship 1.2", "--", "true"], 0);
    let text = sandbox.run(&["receipt", "runs"], 0);
    for needle in [
        "pruv receipt · run · verified 1/1",
        "Task      ship 1.2",
        "Agent     deployer",
        "Actions   deploy.web",
        "State     ok (exit 0)",
        "✓ Every agent authorized when it ran: 1/1",
    ] {
        assert!(text.contains(needle), "{needle}\n{text}");
    }
    sandbox.run(&["--format", "json", "receipt", "runs", "-o", "receipt.json"], 0);
    sandbox.run(&["verify", "receipt.json"], 0);
    for format in ["svg", "html"] {
        assert!(sandbox.run(&["--format", format, "receipt", "runs"], 0).contains("verified 1/1"));
    }

    // Out of scope: recorded (never blocked), flagged, and the receipt says so.
    let output =
        sandbox.pruv().args(["run", "--agent", "deployer", "--action", "db.drop", "--", "true"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("out of scope"));
    let text = sandbox.run(&["receipt", "runs"], 0);
    assert!(text.contains("✗ Every agent authorized when it ran: 1/2"), "{text}");

    // A forged verdict in the chain is caught against the identity chain the receipt carries.
    sandbox.run(&["--format", "json", "receipt", "runs", "-o", "receipt2.json"], 0);
    let forged = sandbox.read("receipt2.json").replacen("\"authorized\": false", "\"authorized\": true", 1);
    sandbox.write("forged.json", &forged);
    sandbox.run(&["verify", "forged.json"], 2);
}
