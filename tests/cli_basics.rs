//! The CLI's contract: where the store is, what bad input gets, exit codes.

use std::io::Read as _;
use std::process::Stdio;

mod common;
use common::{Sandbox, vectors_chain};

#[test]
fn commands_needing_a_store_say_how_to_make_one() {
    let sandbox = Sandbox::new();
    let err = sandbox.run_err(&["chain", "list"], 6);
    assert!(err.contains("no pruv store found") && err.contains("pruv init"), "{err}");
    let err = sandbox.run_err(&["--store", "nowhere", "chain", "list"], 6);
    assert!(err.contains("is not a pruv store") && err.contains("init"), "{err}");
}

#[test]
fn store_is_found_upward_and_named_by_flag_or_env() {
    let sandbox = Sandbox::with_store();
    std::fs::create_dir_all(sandbox.path().join("deep/er")).unwrap();
    sandbox.run(&["chain", "new", "top"], 0);
    let listed = sandbox.pruv().current_dir(sandbox.path().join("deep/er")).args(["chain", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("top"));

    sandbox.run(&["--store", "elsewhere", "init"], 0);
    sandbox.run(&["--store", "elsewhere", "chain", "new", "side"], 0);
    let via_env = sandbox.pruv().env("PRUV_STORE", "elsewhere").args(["chain", "list"]).output().unwrap();
    let text = String::from_utf8_lossy(&via_env.stdout);
    assert!(text.contains("side") && !text.contains("top"), "{text}");
}

#[test]
fn init_is_idempotent_and_keeps_the_store_out_of_git() {
    let sandbox = Sandbox::new();
    assert!(sandbox.run(&["init"], 0).starts_with("Initialized empty pruv store"));
    assert!(sandbox.run(&["init"], 0).contains("already exists"));
    assert_eq!(sandbox.read(".pruv/.gitignore").lines().last(), Some("*"));
    let json: serde_json::Value = serde_json::from_str(&sandbox.run(&["init", "--format", "json"], 0)).unwrap();
    assert_eq!(json["created"], false);
}

#[test]
fn chain_new_prints_the_id_and_refuses_duplicates() {
    let sandbox = Sandbox::with_store();
    let id = sandbox.run(&["chain", "new", "ops"], 0);
    assert_eq!(id.trim().len(), 12);
    let err = sandbox.run_err(&["chain", "new", "ops"], 6);
    assert!(err.contains("already exists"), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["chain", "new", "ops2", "--format", "json"], 0)).unwrap();
    assert_eq!(json["name"], "ops2");
    // Chains resolve by id as well as by name.
    sandbox.run(&["chain", "show", id.trim()], 0);
    sandbox.run_err(&["chain", "new", ""], 6);
}

#[test]
fn bad_input_is_a_one_line_error_with_exit_6_and_writes_nothing() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["chain", "new", "c"], 0);
    for (args, needle) in [
        (
            vec!["chain", "append", "c", "--op", "x", "--state", "{\"a\": tru}"],
            "--state: invalid JSON at line 1, column 7",
        ),
        (vec!["chain", "append", "c", "--op", "x", "--state", "@missing.json"], "missing.json"),
        (vec!["chain", "append", "c", "--op", "x", "--metadata", "[1]"], "--metadata must be a JSON object"),
        (vec!["chain", "append", "c", "--op", "x", "--sign", "missing.key"], "missing.key"),
        (vec!["chain", "append", "nope", "--op", "x"], "no chain named"),
        (vec!["verify", "missing.json"], "missing.json"),
        (vec!["verify", "chain.txt"], "chain.txt: invalid JSON at line 2"),
        (vec!["verify", "array.json"], "expected a chain document"),
        (vec!["verify", "array.json", "--public-key", "AAAA"], "AAAA"),
        (vec!["chain", "frobnicate"], "unrecognized subcommand"),
    ] {
        sandbox.write("chain.txt", "{\n  oops\n}");
        sandbox.write("array.json", "[1, 2]");
        let err = sandbox.run_err(&args, 6);
        assert!(err.contains(needle), "{args:?}: {err}");
        if !args.contains(&"frobnicate") {
            assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line, got {err}");
        }
    }
    let shown = sandbox.run(&["chain", "show", "c"], 0);
    assert!(shown.contains("0 entries"), "nothing was appended: {shown}");
}

#[test]
fn key_generate_writes_a_private_key_and_never_overwrites_silently() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["key", "generate", "-o", "k", "--signer-id", "ci-bot"], 0);
    assert!(out.contains("signer id:  ci-bot"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(sandbox.path().join("k/pruv.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let before = sandbox.read("k/pruv.key");
    let err = sandbox.run_err(&["key", "generate", "-o", "k"], 8);
    assert!(err.contains("refusing to overwrite") && err.contains("--force"), "{err}");
    assert_eq!(sandbox.read("k/pruv.key"), before);
    sandbox.run(&["key", "generate", "-o", "k", "--force"], 0);
    assert_ne!(sandbox.read("k/pruv.key"), before);
}

#[test]
fn verify_accepts_standard_input() {
    let sandbox = Sandbox::new();
    let chain = std::fs::read(vectors_chain()).unwrap();
    sandbox.pruv().args(["verify", "-"]).write_stdin(chain).assert().success();
}

#[test]
fn import_refuses_a_broken_chain_with_exit_2() {
    let sandbox = Sandbox::with_store();
    let text = std::fs::read_to_string(vectors_chain()).unwrap().replacen("\"update\"", "\"upgrade\"", 1);
    sandbox.write("broken.json", &text);
    let err = sandbox.run_err(&["chain", "import", "broken.json"], 2);
    assert!(err.contains("first break at entry 1"), "{err}");
    assert!(sandbox.run(&["chain", "list"], 0).starts_with("no chains"));
}

#[test]
fn imported_chain_exports_identically_and_keeps_growing() {
    let sandbox = Sandbox::with_store();
    let id = sandbox.run(&["chain", "import", vectors_chain().to_str().unwrap()], 0);
    assert_eq!(id.trim(), "vec0000001");
    let exported = sandbox.run(&["chain", "export", "vectors"], 0);
    let original = std::fs::read_to_string(vectors_chain()).unwrap();
    let without_marker = exported.replacen("  \"format\": \"pruv.chain/1\",\n", "", 1);
    assert_eq!(without_marker.trim_end(), original.trim_end(), "export reproduces xycore's bytes");

    sandbox.run(&["chain", "append", "vectors", "--op", "more", "--state", "{\"k\":[1e100]}"], 0);
    sandbox.run(&["chain", "export", "vectors", "-o", "grown.json"], 0);
    let out = sandbox.run(&["verify", "grown.json"], 0);
    assert!(out.contains("7 entries"), "{out}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["chain", "import", vectors_chain().to_str().unwrap()], 0);
    for _ in 0..30 {
        sandbox.run(
            &[
                "chain",
                "append",
                "vectors",
                "--op",
                "fill",
                "--state",
                &format!("{{\"pad\":\"{}\"}}", "x".repeat(4000)),
            ],
            0,
        );
    }
    let mut child = sandbox
        .std_pruv()
        .args(["chain", "export", "vectors"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn append_prints_the_entry_as_json() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["chain", "new", "c"], 0);
    sandbox.write("state.json", "{\"b\": 2, \"a\": 1.50}");
    let out = sandbox.run(
        &["chain", "append", "c", "--op", "set", "--state", "@state.json", "--status", "failed", "--format", "json"],
        0,
    );
    let entry: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(entry["index"], 0);
    assert_eq!(entry["x"], "GENESIS");
    assert_eq!(entry["status"], "failed");
    // The state keeps its key order and its float, as written.
    assert!(out.contains("\"y_state\": {\n    \"b\": 2,\n    \"a\": 1.5\n  }"), "{out}");
}
