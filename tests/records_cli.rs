//! Proof records: the documented examples verify; each exit code of
//! `pruv verify --json`; `pruv record new` refuses what its schema refuses;
//! the Python snippet of docs/records.md runs against pruv.

mod common;
use common::Sandbox;

fn examples() -> std::path::PathBuf {
    common::fixture("../schemas/v1/examples")
}

fn verdicts(text: &str) -> Vec<serde_json::Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn the_documented_examples_fit_their_schemas_and_hashes() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["verify", "--json", examples().to_str().unwrap()], 0);
    let verdicts = verdicts(&out);
    let types: Vec<&str> = verdicts.iter().map(|v| v["record_type"].as_str().unwrap()).collect();
    assert_eq!(types, ["check", "decision", "deployment", "execution"]);
    assert!(verdicts.iter().all(|v| v["verdict"] == "ok"), "{out}");
}

#[test]
fn each_exit_code_of_verify_json() {
    let sandbox = Sandbox::new();
    sandbox.run(&["key", "generate", "--name", "ci", "--signer-id", "ci"], 0);
    sandbox.write("check.json", r#"{"name": "unit tests", "status": "passed", "counts": {"passed": 12}}"#);
    sandbox.run(&["record", "new", "check", "--event", "@check.json", "--sign", "ci.key", "-o", "signed.json"], 0);
    sandbox.run(&["record", "new", "check", "--event", "@check.json", "-o", "unsigned.json"], 0);
    sandbox.run(&["verify", "--json", "signed.json", "--signatures", "--public-key", "ci.pub"], 0);

    // A changed field: the hash no longer holds.
    let signed = sandbox.read("signed.json");
    sandbox.write("edited.json", &signed.replace("\"passed\": 12", "\"passed\": 13"));
    let out = sandbox.run(&["verify", "--json", "edited.json"], 2);
    assert_eq!(verdicts(&out)[0]["hash"], "mismatch");

    // Unsigned where signatures are required; signed by another key than the pinned one.
    let out = sandbox.run(&["verify", "--json", "unsigned.json", "--signatures"], 2);
    assert_eq!(verdicts(&out)[0]["verdict"], "signature");
    sandbox.run(&["key", "generate", "--name", "other", "--signer-id", "other"], 0);
    let out = sandbox.run(&["verify", "--json", "signed.json", "--public-key", "other.pub"], 2);
    assert!(verdicts(&out)[0]["problem"].as_str().unwrap().contains("not by the pinned key"), "{out}");
    // A signature that does not match its hash.
    let other_signature = signed.replacen("\"value\": \"", "\"value\": \"AAAA", 1);
    sandbox.write("forged.json", &other_signature);
    assert_eq!(verdicts(&sandbox.run(&["verify", "--json", "forged.json"], 2))[0]["signature"], "invalid");

    // Off-schema: an unknown status; an extra top-level field.
    sandbox.write("status.json", &signed.replace("\"status\": \"passed\"", "\"status\": \"green\""));
    let out = sandbox.run(&["verify", "--json", "status.json"], 3);
    assert!(verdicts(&out)[0]["schema_errors"][0].as_str().unwrap().starts_with("/event/status"), "{out}");
    sandbox.write("extra.json", &signed.replacen('{', "{\"extra\": 1,", 1));
    sandbox.run(&["verify", "--json", "extra.json"], 3);

    // Not JSON: 6, and it outranks the rest in a batch.
    sandbox.write("broken.json", "{\"record_id\": ");
    sandbox.run(&["verify", "--json", "broken.json"], 6);
    std::fs::create_dir(sandbox.path().join("batch")).unwrap();
    for name in ["signed.json", "edited.json", "broken.json"] {
        std::fs::copy(sandbox.path().join(name), sandbox.path().join("batch").join(name)).unwrap();
    }
    let out = sandbox.run(&["verify", "--json", "batch"], 6);
    assert_eq!(verdicts(&out).len(), 3);

    // JSON Lines: a verdict per line, named by line.
    let compact = |name: &str| serde_json::from_str::<serde_json::Value>(&sandbox.read(name)).unwrap().to_string();
    sandbox.write("records.jsonl", &format!("{}\n{}\n", compact("signed.json"), compact("unsigned.json")));
    let out = sandbox.run(&["verify", "--json", "records.jsonl"], 0);
    let lines = verdicts(&out);
    assert_eq!(
        (lines[0]["origin"].as_str(), lines[1]["origin"].as_str()),
        (Some("records.jsonl:1"), Some("records.jsonl:2"))
    );
}

#[test]
fn record_new_refuses_events_off_their_schema() {
    let sandbox = Sandbox::new();
    let error =
        sandbox.run_err(&["record", "new", "deployment", "--event", r#"{"service": "api", "status": "done"}"#], 3);
    assert!(error.contains("does not fit its schema"), "{error}");
    assert_eq!(error.lines().count(), 1, "{error}");
    sandbox.run_err(&["record", "new", "weather", "--event", "{}"], 3);
    sandbox.run_err(&["record", "new", "check", "--event", "{not json"], 6);
}

#[test]
fn the_python_snippet_in_the_docs_runs() {
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 is not installed: the docs snippet was not run");
        return;
    }
    let docs = std::fs::read_to_string(common::fixture("../docs/records.md")).unwrap();
    let snippet = docs.split("```python\n").nth(1).unwrap().split("```").next().unwrap();
    let sandbox = Sandbox::new();
    sandbox.write("snippet.py", snippet);
    sandbox.write("check.json", r#"{"name": "lint", "status": "passed"}"#);
    sandbox.run(&["record", "new", "check", "--event", "@check.json", "-o", "record.json"], 0);
    let pruv_dir = assert_cmd::cargo::cargo_bin!("pruv").parent().unwrap().to_owned();
    let path = format!("{}:{}", pruv_dir.display(), std::env::var("PATH").unwrap_or_default());
    let run = || {
        std::process::Command::new("python3")
            .arg("snippet.py")
            .current_dir(sandbox.path())
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    let valid = run();
    assert!(valid.status.success(), "{}", String::from_utf8_lossy(&valid.stderr));
    assert!(String::from_utf8_lossy(&valid.stdout).starts_with("valid: "));
    let text = sandbox.read("record.json");
    sandbox.write("record.json", &text.replace("\"lint\"", "\"lint-skipped\""));
    let tampered = run();
    assert_eq!(tampered.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&tampered.stderr).contains("tampered: record_hash is"),
        "{}",
        String::from_utf8_lossy(&tampered.stderr)
    );
}
