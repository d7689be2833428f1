//! `pruv prove` end to end on a fixture project (tests/prove/calc, whose
//! test fails until `add` adds) with the deterministic proposers in
//! tests/prove/proposers: proven at attempt 2 and a bundle that verifies,
//! replays and attests; patches that break the policy refused (exit 8)
//! with nothing applied; a proposer that never fixes stopped at the limit;
//! no proposer; the OpenAI-compatible endpoint against a server on 127.0.0.1.

use std::path::{Path, PathBuf};

mod common;
use common::Sandbox;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/prove").join(name)
}

fn proposer(name: &str) -> String {
    format!("sh {}", fixture("proposers").join(name).display())
}

/// A copy of the calc project in a fresh directory.
fn project() -> Sandbox {
    let sandbox = Sandbox::new();
    for name in ["calc.sh", "test.sh", "README.md"] {
        std::fs::copy(fixture("calc").join(name), sandbox.path().join(name)).unwrap();
    }
    sandbox
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// Runs `pruv prove run "sh test.sh" ARGS` with `--format json`; the outcome and the bundle's path.
fn prove(sandbox: &Sandbox, args: &[&str], code: i32) -> (serde_json::Value, PathBuf) {
    prove_command(sandbox, "sh test.sh", args, code)
}

fn prove_command(sandbox: &Sandbox, command: &str, args: &[&str], code: i32) -> (serde_json::Value, PathBuf) {
    let output = sandbox
        .pruv()
        .args(["--format", "json", "prove", "run", command])
        .args(args)
        // Whatever the developer's shell configures, these tests choose their proposer.
        .env_remove("PRUV_PROVE_BASE_URL")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(code), "{}", String::from_utf8_lossy(&output.stderr));
    let outcome: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let bundle = PathBuf::from(outcome["bundle"].as_str().unwrap());
    assert!(bundle.starts_with(sandbox.path().join(".pruv/prove")), "{}", bundle.display());
    (outcome, bundle)
}

#[test]
fn a_failing_test_is_fixed_proven_and_the_bundle_verifies_replays_and_attests() {
    let sandbox = project();
    let original = sandbox.read("calc.sh");
    let (outcome, bundle) = prove(&sandbox, &["--proposer", &proposer("fix.sh")], 0);
    assert_eq!(outcome["status"], "proven");
    assert_eq!(outcome["attempts"], 2);
    assert_eq!(outcome["files_changed"], serde_json::json!(["calc.sh"]));

    // Attempt 1 failed, and its context named the test, the place and the source there.
    let first = bundle.join("attempts/1");
    let verdict = json(&first.join("verdict.json"));
    assert_eq!((verdict["passed"].as_bool(), verdict["patch"].as_str()), (Some(false), Some("applied")));
    let context = json(&first.join("context.json"));
    assert_eq!(context["failing_tests"], serde_json::json!(["add 2 3 is 5"]));
    assert_eq!(
        (context["locations"][0]["file"].as_str(), context["locations"][0]["line"].as_u64()),
        (Some("calc.sh"), Some(4))
    );
    assert!(context["locations"][0]["source"].to_string().contains("echo $(($1 - $2))"));
    assert_eq!(json(&first.join("outputs.json"))[0]["exit_code"], 1);
    assert!(std::fs::read_to_string(first.join("patch.diff")).unwrap().contains("+  echo $(($1 + $2))"));
    // Attempt 2 passed.
    assert_eq!(json(&bundle.join("attempts/2/verdict.json"))["patch"], "passed");
    assert_eq!(json(&bundle.join("attempts/2/outputs.json"))[0]["exit_code"], 0);

    // The fix is in final.patch, not in the tree, which was only copied.
    let final_patch = std::fs::read_to_string(bundle.join("final.patch")).unwrap();
    assert!(final_patch.contains("--- a/calc.sh") && final_patch.contains("+  echo $(($1 + $2))"), "{final_patch}");
    assert_eq!(sandbox.read("calc.sh"), original);
    let summary = std::fs::read_to_string(bundle.join("final_summary.md")).unwrap();
    assert!(summary.contains("**proven**") && summary.contains("| 1 | exit 1 | applied |"), "{summary}");
    assert!(summary.contains("- Failing: `add 2 3 is 5`\n- At: `calc.sh:4`"), "{summary}");
    assert!(summary.contains("```diff\ndiff --git a/calc.sh b/calc.sh\n"), "{summary}");
    let repro = json(&bundle.join("repro.json"));
    assert_eq!(repro["command"], "sh test.sh");
    assert_eq!(repro["tree"]["files"], 3);
    assert_eq!(repro["tools"]["pruv"], env!("CARGO_PKG_VERSION"));
    assert!(repro["tools"]["sh"].is_string(), "the command's program is named: {}", repro["tools"]);
    let environment = json(&bundle.join("environment.json"));
    assert_eq!(environment["network"]["requested"], "deny");
    assert!(environment["env_names"].as_array().unwrap().iter().any(|n| n == "PATH"));

    // The bundle is a chain, one entry per attempt, and verifies; so does its chain.json alone.
    let b = bundle.to_str().unwrap();
    let verified = sandbox.run(&["verify", b], 0);
    assert!(
        verified.contains("2 entries") && verified.contains("every file the attempts bind is as recorded"),
        "{verified}"
    );
    sandbox.run(&["verify", &format!("{b}/chain.json")], 0);

    // Replay: the recorded tree, the final patch, the same result.
    let replayed = sandbox.run(&["prove", "replay", b], 0);
    assert!(replayed.contains("reproduced: recorded passed, replayed passed (1 patched)"), "{replayed}");

    // Attested with a shared key from the environment; the key is nowhere in the bundle.
    let attest = |args: &[&str], code| {
        let output = sandbox.pruv().args(args).env("BUNDLE_KEY", "correct horse").output().unwrap();
        assert_eq!(output.status.code(), Some(code), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    attest(&["prove", "attest", b, "--mode", "hmac-sha256", "--key-env", "BUNDLE_KEY"], 0);
    assert!(!std::fs::read_to_string(bundle.join("attestation.json")).unwrap().contains("correct horse"));
    assert!(attest(&["prove", "verify-attestation", b], 0).contains("attestation holds"));
    // The wrong key fails.
    let output = sandbox.pruv().args(["prove", "verify-attestation", b]).env("BUNDLE_KEY", "guess").output().unwrap();
    assert_eq!(output.status.code(), Some(2));

    // The bundle's own verification binds final.patch and refuses stray attempts.
    let patch_path = bundle.join("final.patch");
    std::fs::write(&patch_path, final_patch.replace("+  echo", "+  rm -rf ~; echo")).unwrap();
    assert!(sandbox.run(&["verify", b], 2).contains("final.patch is not the one the last attempt binds"));
    std::fs::write(&patch_path, &final_patch).unwrap();
    std::fs::create_dir(bundle.join("attempts/3")).unwrap();
    assert!(sandbox.run(&["verify", b], 2).contains("attempts/3 is not an attempt the chain records"));
    std::fs::remove_dir(bundle.join("attempts/3")).unwrap();
    sandbox.run(&["verify", b], 0);

    // An edited file fails the attestation and the bundle's own verification.
    let verdict_path = first.join("verdict.json");
    let edited = std::fs::read_to_string(&verdict_path).unwrap().replace("applied", "appliedX");
    std::fs::write(&verdict_path, edited).unwrap();
    let failed = attest(&["prove", "verify-attestation", b], 2);
    assert!(failed.contains("edited  attempts/1/verdict.json"), "{failed}");
    let broken = sandbox.run(&["verify", b], 2);
    assert!(broken.contains("attempts/1/verdict.json was edited"), "{broken}");
    assert!(sandbox.run_err(&["prove", "replay", b], 2).contains("does not verify"));
}

#[test]
fn an_ed25519_attestation_and_a_replay_on_a_changed_tree() {
    let sandbox = project();
    let (_, bundle) = prove(&sandbox, &["--proposer", &proposer("fix.sh")], 0);
    let b = bundle.to_str().unwrap();
    sandbox.run(&["key", "generate", "--name", "ci"], 0);
    sandbox.run(&["prove", "attest", b, "--mode", "ed25519", "--key", "ci.key"], 0);
    sandbox.run(&["prove", "verify-attestation", b, "--public-key", "ci.pub"], 0);
    sandbox.run(&["key", "generate", "--name", "other"], 0);
    sandbox.run(&["prove", "verify-attestation", b, "--public-key", "other.pub"], 2);
    std::fs::write(bundle.join("notes.txt"), "added later").unwrap();
    let added = sandbox.run(&["prove", "verify-attestation", b], 2);
    assert!(added.contains("added  notes.txt"), "{added}");
    std::fs::remove_file(bundle.join("notes.txt")).unwrap();

    // Replay refuses a tree that is not the recorded one (exit 5), and runs nothing.
    sandbox.write("README.md", "changed since\n");
    let refused = sandbox.run(&["prove", "replay", b], 5);
    assert!(refused.contains("not the recorded tree"), "{refused}");
}

#[test]
fn a_patch_writing_env_is_refused_and_nothing_is_applied() {
    let sandbox = project();
    let (outcome, bundle) = prove(&sandbox, &["--proposer", &proposer("writes_env.sh")], 8);
    assert_eq!(outcome["status"], "refused");
    assert!(outcome["message"].as_str().unwrap().contains(".env is denied by `**/.env`"), "{outcome}");
    assert_eq!(outcome["files_changed"], serde_json::json!([]));
    assert_eq!(outcome["attempts"], 1);
    let verdict = json(&bundle.join("attempts/1/verdict.json"));
    assert_eq!(verdict["patch"], "refused");
    assert_eq!(verdict["files"], serde_json::json!([".env", "calc.sh"]));
    // Nothing applied: not the .env, and not the calc.sh fix that came with it.
    assert_eq!(std::fs::read_to_string(bundle.join("final.patch")).unwrap(), "");
    assert!(!sandbox.path().join(".env").exists());
    sandbox.run(&["verify", bundle.to_str().unwrap()], 0);
}

#[test]
fn a_patch_outside_the_allowlist_is_refused_and_so_is_a_proposer_that_writes_the_tree_itself() {
    let sandbox = project();
    sandbox.write("prove.yaml", "write:\n  allow: [calc.sh]\nlimits:\n  attempts: 2\n");
    let (outcome, _) = prove(&sandbox, &["--policy", "prove.yaml", "--proposer", &proposer("edits_test.sh")], 8);
    assert!(outcome["message"].as_str().unwrap().contains("test.sh is outside the write allowlist"), "{outcome}");

    let (outcome, bundle) = prove(&sandbox, &["--proposer", &proposer("writes_itself.sh")], 8);
    assert!(outcome["message"].as_str().unwrap().contains("changed files itself (calc.sh)"), "{outcome}");
    assert_eq!(std::fs::read_to_string(bundle.join("final.patch")).unwrap(), "");

    // A command the policy does not allow is not run at all.
    sandbox.write("pruv.toml", "[prove]\ncommands = [\"sh test.sh\"]\n");
    let refused = sandbox.run_err(&["prove", "run", "rm -rf ."], 8);
    assert!(refused.contains("do not allow `rm -rf .`"), "{refused}");
}

#[test]
fn a_proposer_that_never_fixes_stops_at_the_attempt_limit() {
    let sandbox = project();
    sandbox.write("pruv.toml", "[prove.limits]\nattempts = 3\n");
    let (outcome, bundle) = prove(&sandbox, &["--proposer", &proposer("never_fixes.sh")], 2);
    assert_eq!((outcome["status"].as_str(), outcome["attempts"].as_u64()), (Some("not_proven"), Some(3)));
    assert!(outcome["message"].as_str().unwrap().contains("still failing after 3 attempts"));
    let patches: Vec<String> = (1..=3)
        .map(|n| json(&bundle.join(format!("attempts/{n}/verdict.json")))["patch"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(patches, ["applied", "applied", "last_attempt"]);
    // The second context tells the proposer what became of the first patch.
    let second = json(&bundle.join("attempts/2/context.json"));
    assert!(second["previous"][0]["outcome"].as_str().unwrap().starts_with("applied to calc.sh"));
    // And shows what the patches so far did, as one diff.
    assert!(second["applied"].as_str().unwrap().contains("+# (a comment changes nothing)"), "{second}");
    assert!(json(&bundle.join("attempts/1/context.json")).get("applied").is_none());
    sandbox.run(&["verify", bundle.to_str().unwrap()], 0);
    // Replay reproduces a failure too: recorded failed, replayed failed.
    let replayed = sandbox.run(&["prove", "replay", bundle.to_str().unwrap()], 0);
    assert!(replayed.contains("recorded failed, replayed failed"), "{replayed}");
}

#[test]
fn without_a_proposer_the_failure_is_recorded_and_nothing_is_called_proven() {
    let sandbox = project();
    assert!(sandbox.run(&["prove", "list"], 0).starts_with("no prove sessions in .pruv/prove"));
    let output =
        sandbox.pruv().args(["prove", "run", "sh test.sh"]).env_remove("PRUV_PROVE_BASE_URL").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("✗ no proposer configured") && stdout.contains("no patch was proposed"), "{stdout}");
    let bundle = std::fs::read_dir(sandbox.path().join(".pruv/prove")).unwrap().next().unwrap().unwrap().path();
    // Listed with its status, a line per session.
    let listed = sandbox.run(&["prove", "list"], 0);
    assert!(listed.contains("not_proven") && listed.contains("1 attempt  no proposer configured"), "{listed}");
    let json_list: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["--format", "json", "prove", "list"], 0)).unwrap();
    assert_eq!(json_list[0]["result"]["status"], "not_proven");
    assert_eq!(json(&bundle.join("attempts/1/verdict.json"))["patch"], "no_proposer");
    assert!(bundle.join("attempts/1/context.json").is_file());
    assert!(std::fs::read_to_string(bundle.join("attempts/1/run-1.stdout.txt")).unwrap().contains("not ok 1"));
}

#[test]
fn a_container_sandbox_without_docker_or_podman_is_a_missing_dependency() {
    let sandbox = project();
    sandbox.write("pruv.toml", "[prove]\nsandbox = \"container\"\nimage = \"alpine:3\"\n");
    let empty = tempfile::tempdir().unwrap();
    let output = sandbox.pruv().args(["prove", "run", "sh test.sh"]).env("PATH", empty.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(7), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("docker or podman"));
}

#[test]
fn the_openai_compatible_endpoint_proposes_the_fix() {
    let sandbox = project();
    let diff = "--- a/calc.sh\n+++ b/calc.sh\n@@ -4 +4 @@\n-  echo $(($1 - $2))\n+  echo $(($1 + $2))\n";
    let content = format!("Here you are:\n```diff\n{diff}```\n");
    let answer =
        serde_json::json!({ "choices": [{ "message": { "role": "assistant", "content": content } }] }).to_string();
    let (server_url, server) = common::one_request_server(move |_| Some(answer), std::time::Duration::ZERO);
    let base = format!("{server_url}/v1");
    // A target that fails if the commands could read the endpoint's key.
    sandbox.write("pruv.toml", "[prove]\ntargets = ['test -z \"$MY_KEY\"']\n");
    let output = sandbox
        .pruv()
        .args(["--format", "json", "prove", "run", "sh test.sh"])
        .env("PRUV_PROVE_BASE_URL", &base)
        .env("PRUV_PROVE_MODEL", "test-model")
        .env("PRUV_PROVE_API_KEY_ENV", "MY_KEY")
        .env("PRUV_PROVE_MAX_TOKENS", "512")
        .env("MY_KEY", "sk-test-secret")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let outcome: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((outcome["status"].as_str(), outcome["attempts"].as_u64()), (Some("proven"), Some(2)));

    let common::HttpRequest { line, headers, body } = server.join().unwrap();
    assert!(line.starts_with("POST /v1/chat/completions "), "{line}");
    assert!(headers.iter().any(|h| h.eq_ignore_ascii_case("authorization: Bearer sk-test-secret")), "{headers:?}");
    assert_eq!((body["model"].as_str(), body["max_tokens"].as_u64()), (Some("test-model"), Some(512)));
    let context: serde_json::Value = serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(context["failing_tests"], serde_json::json!(["add 2 3 is 5"]));

    // The key is sent, never recorded; the bundle names the endpoint and model.
    let bundle = PathBuf::from(outcome["bundle"].as_str().unwrap());
    let mut pending = vec![bundle.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                assert!(!std::fs::read_to_string(&path).unwrap().contains("sk-test-secret"), "{}", path.display());
            }
        }
    }
    assert_eq!(json(&bundle.join("repro.json"))["proposer"], format!("test-model at {base}"));
}

/// A stand-in for docker that logs its arguments and runs the command in
/// the mounted directory, so the container backend's invocation is checked
/// on machines without a container engine.
const FAKE_DOCKER: &str = r#"#!/bin/sh
echo "$*" >> "$FAKE_DOCKER_LOG"
case "$1" in
  info) echo 28.0.0; exit 0 ;;
  kill) exit 0 ;;
  run)
    shift
    while [ $# -gt 0 ]; do
      case "$1" in
        -v) src="${2%:/work}"; shift 2 ;;
        --rm) shift ;;
        --name|-w|--network|--user) shift 2 ;;
        *) break ;;
      esac
    done
    shift
    cd "$src" && exec "$@" ;;
esac
exit 1
"#;

#[cfg(unix)]
#[test]
fn the_container_backend_mounts_the_copy_and_cuts_the_network() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = project();
    let bin = tempfile::tempdir().unwrap();
    let docker = bin.path().join("docker");
    std::fs::write(&docker, FAKE_DOCKER).unwrap();
    std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
    let log = bin.path().join("log");
    sandbox.write("pruv.toml", "[prove]\nsandbox = \"container\"\nimage = \"alpine:3\"\n");
    let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap());
    let output = sandbox
        .pruv()
        .args(["--format", "json", "prove", "run", "sh test.sh", "--proposer", &proposer("fix.sh")])
        .env("PATH", path)
        .env("FAKE_DOCKER_LOG", &log)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let outcome: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let calls = std::fs::read_to_string(&log).unwrap();
    let runs: Vec<&str> =
        calls.lines().filter(|l| l.starts_with("run ") && l.ends_with("alpine:3 sh -c sh test.sh")).collect();
    assert_eq!(runs.len(), 2, "{calls}");
    assert!(
        runs.iter().all(|r| r.contains("--network none") && r.contains(":/work") && r.contains("-w /work")),
        "{calls}"
    );
    let environment = json(&PathBuf::from(outcome["bundle"].as_str().unwrap()).join("environment.json"));
    assert_eq!(environment["network"]["enforced"], true);
    assert_eq!(environment["sandbox"], "container");
}

#[test]
fn a_command_past_the_policys_timeout_is_stopped_and_recorded_as_such() {
    let sandbox = project();
    sandbox.write("pruv.toml", "[prove.limits]\ntimeout_secs = 1\n");
    let started = std::time::Instant::now();
    let (outcome, bundle) = prove_command(&sandbox, "sleep 30", &[], 2);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(outcome["status"], "not_proven");
    let outputs = json(&bundle.join("attempts/1/outputs.json"));
    assert_eq!((outputs[0]["timed_out"].as_bool(), outputs[0]["exit_code"].as_i64()), (Some(true), None));
    let summary = std::fs::read_to_string(bundle.join("final_summary.md")).unwrap();
    assert!(summary.contains("| 1 | timed out | no_proposer |"), "{summary}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_command_and_its_group_and_the_bundle_is_still_written() {
    let sandbox = project();
    let pid_file = sandbox.path().join("command.pid");
    let command = format!("echo $$ > {}; exec sleep 30", pid_file.display());
    let child = sandbox
        .std_pruv()
        .args(["--format", "json", "prove", "run", &command])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !pid_file.is_file() || std::fs::read_to_string(&pid_file).unwrap().trim().is_empty() {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the command never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let command_pid: i32 = std::fs::read_to_string(&pid_file).unwrap().trim().parse().unwrap();
    // SAFETY: signals to a child of this test and a probe of a pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let outcome: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(outcome["message"].as_str().unwrap().starts_with("interrupted"), "{outcome}");
    let bundle = PathBuf::from(outcome["bundle"].as_str().unwrap());
    assert_eq!(json(&bundle.join("attempts/1/verdict.json"))["patch"], "interrupted");
    assert_eq!(json(&bundle.join("attempts/1/outputs.json"))[0]["interrupted"], true);
    sandbox.run(&["verify", bundle.to_str().unwrap()], 0);
    // The command did not outlive pruv.
    let alive = unsafe { libc::kill(command_pid, 0) } == 0;
    assert!(!alive, "the command (pid {command_pid}) is still running");
}

#[test]
fn apply_writes_a_proven_fix_into_the_tree_which_then_replays_as_it_is() {
    let sandbox = project();
    let (outcome, bundle) = prove(&sandbox, &["--proposer", &proposer("fix.sh"), "--apply"], 0);
    assert_eq!(outcome["applied"], serde_json::json!(["calc.sh"]));
    assert!(sandbox.read("calc.sh").contains("echo $(($1 + $2))"));
    sandbox.run(&["verify", bundle.to_str().unwrap()], 0);
    // The tree is now the recorded one with final.patch: replayed as it is.
    let replayed = sandbox.run(&["prove", "replay", bundle.to_str().unwrap()], 0);
    assert!(replayed.contains("recorded passed, replayed passed (the tree already holds final.patch)"), "{replayed}");

    // A tree changed while the session ran is not written.
    let sandbox = project();
    let meddler = format!("{} && echo meddled >> {}", proposer("fix.sh"), sandbox.path().join("README.md").display());
    let stderr = sandbox.run_err(&["prove", "run", "sh test.sh", "--proposer", &meddler, "--apply"], 8);
    assert!(stderr.contains("changed while the session ran; not applied"), "{stderr}");
    assert!(sandbox.read("calc.sh").contains("echo $(($1 - $2))"));
}

#[test]
fn a_proposer_that_fails_is_not_proven_and_one_that_is_not_there_is_a_missing_dependency() {
    let sandbox = project();
    let (outcome, bundle) = prove(&sandbox, &["--proposer", "cat > /dev/null; exit 3"], 2);
    assert_eq!(outcome["status"], "proposer_failed");
    assert_eq!(json(&bundle.join("attempts/1/verdict.json"))["patch"], "proposer_failed");
    let (outcome, _) = prove(&sandbox, &["--proposer", "no-such-proposer-anywhere"], 7);
    assert_eq!(outcome["status"], "proposer_unavailable");
    // An endpoint nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let output = sandbox
        .pruv()
        .args(["--format", "json", "prove", "run", "sh test.sh"])
        .env("PRUV_PROVE_BASE_URL", format!("http://127.0.0.1:{port}/v1"))
        .env("PRUV_PROVE_MODEL", "m")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(7), "{}", String::from_utf8_lossy(&output.stderr));
    let outcome: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(outcome["message"].as_str().unwrap().contains("unreachable"), "{outcome}");
}
