//! `pruv diff`, `pruv log` and `pruv scan --rev` end to end, on a git
//! repository the test builds commit by commit.

mod common;

use common::{Sandbox, git};
use serde_json::Value;

const API_MAIN: &str = r#"import os

import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health():
    return {"ok": True}


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
"#;

const WEB_PAGE: &str = r#"const api = process.env.NEXT_PUBLIC_API_URL;

export default async function Page() {
  const health = await fetch(`${api}/health`).then((r) => r.json());
  return <main>{health.ok ? "up" : "down"}</main>;
}
"#;

const CACHE: &str = r#"import os

import redis

cache = redis.Redis.from_url(os.environ["REDIS_URL"])
"#;

/// The repository's three commits: two services; + Redis, a missing env
/// var and a connection; a change inside a service only.
struct History {
    sandbox: Sandbox,
    commits: [String; 3],
}

fn history() -> History {
    let sandbox = Sandbox::new();
    let root = sandbox.path();
    git(root, &["init", "-q", "-b", "main"]);
    sandbox.write_all([
        ("api/main.py", API_MAIN),
        ("api/requirements.txt", "fastapi\nuvicorn\n"),
        (
            "web/package.json",
            r#"{"name": "web", "scripts": {"dev": "next dev"}, "dependencies": {"next": "15", "react": "19"}}"#,
        ),
        ("web/app/page.tsx", WEB_PAGE),
        (".env.example", "NEXT_PUBLIC_API_URL=http://localhost:8000\n"),
        (".gitignore", "*.log\n"),
        // Tracked although ignored: both kinds of scan leave it out alike.
        ("forced.log", "kept by git add -f\n"),
    ]);
    git(root, &["add", "."]);
    git(root, &["add", "-f", "forced.log"]);
    git(root, &["commit", "-q", "-m", "two services"]);
    let first = git(root, &["rev-parse", "HEAD"]);

    sandbox.write_all([("api/cache.py", CACHE), ("api/requirements.txt", "fastapi\nuvicorn\nredis\n")]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "cache in redis"]);
    let second = git(root, &["rev-parse", "HEAD"]);

    sandbox.write_all([("api/main.py", API_MAIN.replace(r#"{"ok": True}"#, r#"{"ok": True, "version": 2}"#))]);
    git(root, &["commit", "-q", "-am", "report the version"]);
    let third = git(root, &["rev-parse", "HEAD"]);
    // Untracked and ignored: never part of a revision, and the walk skips it too.
    sandbox.write_all([("debug.log", "noise\n")]);
    History { sandbox, commits: [first, second, third] }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON output")
}

fn kinds_and_subjects(diff: &Value) -> Vec<String> {
    diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {}", c["kind"].as_str().unwrap(), c["subject"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_new_cache_is_drift_and_a_code_change_is_not() {
    let h = history();
    let [first, second, third] = &h.commits;
    let diff = json(&h.sandbox.run(&["diff", first, second, "--format", "json"], 0));
    assert_eq!(
        kinds_and_subjects(&diff),
        ["external-added redis", "connection-added api -> redis", "env-missing REDIS_URL"]
    );
    assert_eq!(diff["format"], "pruv.diff/1");
    assert_eq!(diff["architecture_changed"], true);
    assert_eq!(diff["files"]["added"], serde_json::json!(["api/cache.py"]));
    assert_eq!(diff["files"]["modified"], serde_json::json!(["api/requirements.txt"]));
    let missing = &diff["changes"][2];
    assert_eq!(missing["evidence"][0]["path"], "api/cache.py");
    assert_eq!(missing["evidence"][0]["line"], 5);
    assert_eq!(diff["changes"][1]["item"]["via"], "REDIS_URL");

    h.sandbox.run(&["diff", first, second, "--fail-on", "any"], 5);
    h.sandbox.run(&["diff", first, second, "--fail-on", "service"], 0);
    h.sandbox.run(&["diff", first, second, "--fail-on", "env-missing"], 5);

    let unchanged = json(&h.sandbox.run(&["diff", second, third, "--format", "json", "--fail-on", "any"], 0));
    assert_eq!(unchanged["architecture_changed"], false);
    assert_eq!(unchanged["changes"], serde_json::json!([]));
    assert_eq!(unchanged["files"]["modified"], serde_json::json!(["api/main.py"]));
    let text = h.sandbox.run(&["diff", second, third], 0);
    assert!(text.contains("no architectural change"), "{text}");
}

/// Scan output without what differs between runs and sources: times, the root label, git provenance.
fn comparable(mut scan: Value) -> Value {
    let object = scan.as_object_mut().unwrap();
    for key in ["scanned_at", "root", "git"] {
        object.remove(key);
    }
    object["stats"].as_object_mut().unwrap().remove("duration_ms");
    scan
}

#[test]
fn a_revision_scans_like_its_checkout_and_leaves_the_work_tree_alone() {
    let h = history();
    let root = h.sandbox.path();
    let [first, second, _] = &h.commits;
    let before = std::fs::read_to_string(root.join("api/main.py")).unwrap();
    for commit in [first, second] {
        let from_git = json(&h.sandbox.run(&["scan", "--rev", commit, "--no-record", "--format", "json"], 0));
        assert_eq!(from_git["git"]["commit"], commit.as_str());
        assert_eq!(from_git["git"]["worktree"], false);
        assert!(!from_git["files"].as_array().unwrap().iter().any(|f| f["path"].as_str().unwrap().ends_with(".log")));
        git(root, &["checkout", "-q", commit]);
        let checkout = json(&h.sandbox.run(&["scan", "--no-record", "--format", "json"], 0));
        git(root, &["checkout", "-q", "main"]);
        assert_eq!(checkout["git"]["commit"], commit.as_str());
        assert_eq!(checkout["git"]["worktree"], true);
        assert_eq!(comparable(from_git), comparable(checkout));
    }
    assert_eq!(std::fs::read_to_string(root.join("api/main.py")).unwrap(), before, "the work tree is untouched");
    // A subdirectory of the repository scans the same subtree of the revision.
    let sub_rev = json(&h.sandbox.run(&["scan", "api", "--rev", second, "--no-record", "--format", "json"], 0));
    git(root, &["checkout", "-q", second]);
    let sub_disk = json(&h.sandbox.run(&["scan", "api", "--no-record", "--format", "json"], 0));
    git(root, &["checkout", "-q", "main"]);
    assert_eq!(sub_rev["git"]["path"], "api");
    assert_eq!(comparable(sub_rev), comparable(sub_disk));
}

#[test]
fn revisions_that_do_not_exist_are_invalid_input() {
    let h = history();
    let err = h.sandbox.run_err(&["scan", "--rev", "no-such-branch", "--no-record"], 6);
    assert!(err.contains("\"no-such-branch\" is not a revision"), "{err}");
    let err = h.sandbox.run_err(&["diff", "no-such-branch"], 6);
    assert!(err.contains("not a scan file, a recorded scan id (`pruv log`) or a git revision"), "{err}");
    let plain = Sandbox::new();
    let err = plain.run_err(&["scan", "--rev", "HEAD", "--no-record"], 6);
    assert!(err.contains("not inside a git repository"), "{err}");
}

#[test]
fn a_renamed_directory_is_a_moved_service() {
    let h = history();
    let root = h.sandbox.path();
    git(root, &["mv", "api", "backend"]);
    git(root, &["commit", "-q", "-m", "rename api to backend"]);
    let diff = json(&h.sandbox.run(&["diff", "HEAD~1", "HEAD", "--format", "json"], 0));
    assert_eq!(kinds_and_subjects(&diff), ["service-moved backend"]);
    let fields: Vec<(String, Value, Value)> = diff["changes"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_owned(), f["before"].clone(), f["after"].clone()))
        .collect();
    assert_eq!(
        fields,
        [("id".into(), "api".into(), "backend".into()), ("root".into(), "api".into(), "backend".into())]
    );
    assert_eq!(diff["files"]["renamed"].as_array().unwrap().len(), 3);
}

#[test]
fn the_policy_file_sets_the_gate_and_allows_expected_changes() {
    let h = history();
    let [first, second, _] = &h.commits;
    h.sandbox.write("pruv.toml", "[diff]\nfail-on = [\"any\"]\n\n[[diff.allow]]\nkind = \"external-added\"\nsubject = \"redis\"\nreason = \"session cache, ADR-12\"\n");
    let diff = json(&h.sandbox.run(&["diff", first, second, "--format", "json"], 5));
    assert_eq!(diff["failing"], 2);
    assert_eq!(diff["changes"][0]["allowed"], "session cache, ADR-12");
    assert_eq!(diff["changes"][0]["fails"], false);
    h.sandbox.write(
        "pruv.toml",
        "[diff]\nfail-on = [\"any\"]\n\n[[diff.allow]]\nkind = \"any\"\nsubject = \"*redis*\"\nreason = \"the cache\"\n\n[[diff.allow]]\nkind = \"env-missing\"\nsubject = \"REDIS_*\"\nreason = \"set in the deploy\"\n",
    );
    let text = h.sandbox.run(&["diff", first, second], 0);
    assert!(text.contains("allowed: set in the deploy"), "{text}");
    // The command line overrides the file's gate; --no-policy ignores the file.
    h.sandbox.run(&["diff", first, second, "--fail-on", "none"], 0);
    h.sandbox.run(&["diff", first, second, "--no-policy", "--fail-on", "env"], 5);
    h.sandbox.write("pruv.toml", "[diff]\nfail-on = [\"sevrice\"]\n");
    let err = h.sandbox.run_err(&["diff", first, second], 3);
    assert!(err.contains("pruv.toml: [diff] fail-on: unknown change kind \"sevrice\""), "{err}");
    let err = h.sandbox.run_err(&["diff", first, second, "--no-policy", "--fail-on", "nope"], 6);
    assert!(err.contains("--fail-on: unknown change kind"), "{err}");
}

#[test]
fn log_lists_recorded_scans_and_their_history_is_a_chain() {
    let h = history();
    let root = h.sandbox.path();
    let [first, _, third] = &h.commits;
    git(root, &["checkout", "-q", first]);
    h.sandbox.run(&["scan"], 0);
    git(root, &["checkout", "-q", "main"]);
    h.sandbox.run(&["scan"], 0);
    h.sandbox.run(&["scan", "--rev", third], 0);

    let log = json(&h.sandbox.run(&["log", "--format", "json"], 0));
    let scans = log.as_array().unwrap();
    assert_eq!(scans.len(), 3);
    assert_eq!(scans[0]["git_rev"], third.as_str());
    assert_eq!(scans[1]["git_commit"], third.as_str());
    assert_eq!(scans[2]["git_commit"], first.as_str());
    assert_eq!(scans.iter().map(|s| s["history_index"].as_u64().unwrap()).collect::<Vec<_>>(), [2, 1, 0]);
    let text = h.sandbox.run(&["log"], 0);
    assert!(text.contains("architecture changed"), "{text}");
    assert_eq!(h.sandbox.run(&["log", "-n", "1"], 0).lines().count(), 2);

    // With no sides, diff compares the last two recorded scans: the same tree, read two ways.
    let diff = json(&h.sandbox.run(&["diff", "--format", "json"], 0));
    assert_eq!(diff["old"]["label"], format!("scan {}", scans[1]["id"].as_str().unwrap()));
    assert_eq!(diff["architecture_changed"], false);
    // One side: a recorded scan against the work tree.
    let oldest = scans[2]["id"].as_str().unwrap();
    let diff = json(&h.sandbox.run(&["diff", oldest, "--format", "json"], 0));
    assert_eq!(diff["new"]["label"], "work tree");
    assert_eq!(diff["changes"].as_array().unwrap().len(), 3);

    h.sandbox.run(&["log", "--chain", "history.json"], 0);
    let report = json(&h.sandbox.run(&["verify", "history.json", "--format", "json"], 0));
    assert_eq!(report["intact"], true);
    let chain = json(&h.sandbox.read("history.json"));
    let entries = chain["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[1]["x"], entries[0]["y"], "each scan's X is the previous scan's state");
    assert_eq!(entries[0]["y_state"]["tree_hash"], scans[2]["tree_hash"]);
    assert_eq!(entries[2]["y_state"]["graph_hash"], scans[0]["graph_hash"]);
}

#[test]
fn diff_needs_two_recorded_scans_when_no_side_is_named() {
    let h = history();
    let err = h.sandbox.run_err(&["diff"], 6);
    assert!(err.contains("0 scans are recorded"), "{err}");
    h.sandbox.run(&["scan"], 0);
    let err = h.sandbox.run_err(&["diff"], 6);
    assert!(err.contains("1 scan is recorded"), "{err}");
}

#[test]
fn scan_files_compare_directly() {
    let h = history();
    let [first, second, _] = &h.commits;
    let old = h.sandbox.run(&["scan", "--rev", first, "--no-record", "--format", "json"], 0);
    h.sandbox.write("old.json", &old);
    let diff = json(&h.sandbox.run(&["diff", "old.json", second, "--format", "json"], 0));
    assert_eq!(diff["old"]["label"], "old.json");
    assert_eq!(diff["changes"].as_array().unwrap().len(), 3);
    h.sandbox.write("bad.json", "{\"format\": \"pruv.scan/9\"}");
    let err = h.sandbox.run_err(&["diff", "bad.json", second], 6);
    assert!(err.contains("bad.json: not a pruv.scan/1 document"), "{err}");
}

/// Every output format of diff 1 → 2, as a reader sees it.
#[test]
fn diff_output_formats() {
    let h = history();
    let [first, second, _] = &h.commits;
    let args = |format: &'static str| {
        vec!["diff", first.as_str(), second.as_str(), "--format", format, "--fail-on", "env-missing"]
    };
    let text = h.sandbox.run(&args("text"), 5);
    insta::assert_snapshot!("diff_text", text);
    let markdown = h.sandbox.run(&args("markdown"), 5);
    insta::assert_snapshot!("diff_markdown", markdown);
    let github = h.sandbox.run(&args("github"), 5);
    insta::assert_snapshot!("diff_github", github);
    let mut json_out = json(&h.sandbox.run(&args("json"), 5));
    for side in ["old", "new"] {
        json_out[side]["scanned_at"] = "[time]".into();
    }
    insta::assert_json_snapshot!("diff_json", json_out);
    let err = h.sandbox.run_err(&["diff", first, "--format", "mermaid"], 6);
    assert!(err.contains("`pruv diff` cannot write --format mermaid"), "{err}");
}
