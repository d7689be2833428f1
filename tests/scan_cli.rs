//! `pruv scan` as a command: determinism, bad files, the scan chain, the record.

use std::os::unix::net::UnixListener;

use serde_json::Value;

mod common;
use common::Sandbox;

/// Copies every fixture into one tree, so there is enough work for threads to race.
fn polyglot_tree(sandbox: &Sandbox) -> std::path::PathBuf {
    let root = sandbox.path().join("tree");
    for name in ["fullstack", "grpc-polyglot", "monorepo", "hard-cases"] {
        common::copy_dir(&common::fixture(name), &root.join(name));
    }
    root
}

fn json_without_times(text: &str) -> Value {
    let mut document: Value = serde_json::from_str(text).unwrap();
    document["scanned_at"] = Value::Null;
    document["stats"]["duration_ms"] = Value::Null;
    document
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let sandbox = Sandbox::new();
    polyglot_tree(&sandbox);
    let one = sandbox.run(&["scan", "tree", "--no-record", "--format", "json", "--threads", "1"], 0);
    for threads in ["2", "8"] {
        let many = sandbox.run(&["scan", "tree", "--no-record", "--format", "json", "-j", threads], 0);
        assert_eq!(json_without_times(&one), json_without_times(&many), "--threads 1 vs {threads}");
    }
    // And the same hashes wherever the tree sits.
    std::fs::rename(sandbox.path().join("tree"), sandbox.path().join("moved")).unwrap();
    let moved = json_without_times(&sandbox.run(&["scan", "moved", "--no-record", "--format", "json"], 0));
    let one = json_without_times(&one);
    assert_eq!((&moved["tree_hash"], &moved["graph_hash"]), (&one["tree_hash"], &one["graph_hash"]));
}

#[test]
fn unreadable_invalid_and_broken_files_are_skipped_with_warnings() {
    let sandbox = Sandbox::new();
    let root = sandbox.path().join("repo");
    std::fs::create_dir_all(root.join("svc")).unwrap();
    std::fs::write(root.join("svc/app.py"), "import os\nA = os.getenv('GOOD')\n").unwrap();
    std::fs::write(root.join("svc/requirements.txt"), "flask\n").unwrap();
    std::fs::write(root.join("svc/latin1.py"), b"import os\nB = os.getenv('LATIN1') # caf\xe9\n").unwrap();
    std::fs::write(root.join("docker-compose.yml"), "services:\n  web: [unclosed\n").unwrap();
    std::fs::write(root.join("deploy.yaml"), "apiVersion: v1\nkind: Deployment\nmetadata: {name: x\n").unwrap();
    // A socket cannot be opened for reading, even by root.
    let _socket = UnixListener::bind(root.join("svc/control.sock")).unwrap();

    let output = sandbox.pruv().args(["scan", "repo", "--no-record", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["stats"]["skipped"], 4, "{}", document["stats"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for needle in ["svc/latin1.py: not UTF-8", "docker-compose.yml:", "deploy.yaml:", "svc/control.sock:"] {
        assert!(stderr.contains(needle), "{needle} in {stderr}");
    }
    // The readable files are all there; the socket is not.
    let paths: Vec<&str> = document["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["deploy.yaml", "docker-compose.yml", "svc/app.py", "svc/latin1.py", "svc/requirements.txt"]);
    let names: Vec<&str> =
        document["env_vars"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["GOOD"]);
}

#[test]
fn the_scan_chain_verifies_offline() {
    let sandbox = Sandbox::new();
    polyglot_tree(&sandbox);
    let json = sandbox.run(&["scan", "tree", "--no-record", "--format", "json", "--chain", "scan-chain.json"], 0);
    let document: Value = serde_json::from_str(&json).unwrap();
    let files = document["files"].as_array().unwrap().len();
    let out = sandbox.run(&["verify", "scan-chain.json"], 0);
    assert!(out.contains(&format!("{} entries", files + 1)), "{out}");
    let chain = pruv::core::json::parse(&sandbox.read("scan-chain.json")).unwrap();
    let chain = pruv::core::chain::ChainDocument::from_value(chain).unwrap().into_chain().unwrap();
    let last = chain.entries.last().unwrap();
    let state = pruv::core::json::canonical(last.y_state.as_ref().unwrap());
    assert!(
        state.contains(document["tree_hash"].as_str().unwrap())
            && state.contains(document["graph_hash"].as_str().unwrap())
    );
    assert_eq!(chain.entries[0].operation, "file");
}

#[test]
fn scans_are_recorded_beside_the_tree_without_dirtying_it() {
    let sandbox = Sandbox::new();
    let root = polyglot_tree(&sandbox);
    sandbox.run(&["scan", "tree"], 0);
    sandbox.run(&["scan", "tree", "--format", "json"], 0);
    assert_eq!(std::fs::read_to_string(root.join(".pruv/.gitignore")).unwrap().lines().last(), Some("*"));
    let store = pruv::store::Store::open(&root.join(".pruv")).unwrap();
    assert_eq!(store.scan_count(&root.canonicalize().unwrap().display().to_string()).unwrap(), 2);
    // The store is not part of the next scan.
    let again: Value =
        serde_json::from_str(&sandbox.run(&["scan", "tree", "--no-record", "--format", "json"], 0)).unwrap();
    assert!(again["files"].as_array().unwrap().iter().all(|f| !f["path"].as_str().unwrap().starts_with(".pruv")));
}

#[test]
fn scan_formats_are_refused_elsewhere_and_bad_roots_are_invalid_input() {
    let sandbox = Sandbox::with_store();
    let err = sandbox.run_err(&["chain", "list", "--format", "mermaid"], 6);
    assert!(err.contains("cannot write --format mermaid"), "{err}");
    let err = sandbox.run_err(&["scan", "no-such-dir", "--no-record"], 6);
    assert!(err.contains("no-such-dir"), "{err}");
    sandbox.write("file.txt", "x");
    let err = sandbox.run_err(&["scan", "file.txt", "--no-record"], 6);
    assert!(err.contains("not a directory"), "{err}");
}

/// Regression: every compose name built from one directory was aliased to
/// each of its services in turn, so `worker` resolved to `web` or back.
#[test]
fn compose_names_resolve_to_their_own_service() {
    let sandbox = Sandbox::new();
    let files = [
        ("repo/app/requirements.txt", "flask\ncelery\n"),
        ("repo/app/app.py", "from flask import Flask\napp = Flask(__name__)\n"),
        ("repo/app/Dockerfile", "FROM python:3.12\nEXPOSE 5000\n"),
        (
            "repo/notifier/package.json",
            "{\"scripts\": {\"start\": \"node index.js\"}, \"dependencies\": {\"express\": \"4\"}}",
        ),
        ("repo/notifier/index.js", "const q = process.env.QUEUE_HOST;\nconst w = process.env.WEB_URL;\n"),
        (
            "repo/docker-compose.yml",
            "services:\n  web:\n    build: ./app\n    ports: [\"5000:5000\"]\n  worker:\n    build: ./app\n    command: celery -A app worker\n  notifier:\n    build: ./notifier\n    environment:\n      QUEUE_HOST: worker\n      WEB_URL: http://web:5000\n",
        ),
    ];
    sandbox.write_all(files);
    let document: Value =
        serde_json::from_str(&sandbox.run(&["scan", "repo", "--no-record", "--format", "json"], 0)).unwrap();
    let found = common::connection_lines(&document, str::to_owned);
    assert!(found.contains(&"notifier->worker via QUEUE_HOST".to_owned()), "{found:?}");
    assert!(found.contains(&"notifier->web via WEB_URL".to_owned()), "{found:?}");
    let worker = document["services"].as_array().unwrap().iter().find(|s| s["id"] == "worker").unwrap();
    assert_eq!(worker["kind"], "worker");
}

/// Regression (mealie-recipes/mealie): `context: ..` with `dockerfile: ./docker/Dockerfile`
/// builds the repository root; the directory holding only the Dockerfile and
/// compose files became a second service (`mealie-2`) that took the app's
/// port and its frontend's connection.
#[test]
fn a_dockerfile_kept_apart_from_the_code_does_not_make_a_service() {
    let sandbox = Sandbox::new();
    sandbox.write_all([
        ("repo/pyproject.toml", "[project]\nname = \"mealie\"\ndependencies = [\"fastapi\", \"uvicorn\"]\n"),
        ("repo/mealie/app.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
        ("repo/docker/Dockerfile", "FROM python:3.12\nEXPOSE 9000\nCMD [\"/app/entry.sh\"]\n"),
        ("repo/docker/entry.sh", "#!/bin/sh\nexec uvicorn mealie.app:app --port 9000\n"),
        (
            "repo/docker/docker-compose.yml",
            "services:\n  mealie:\n    build:\n      context: ../\n      dockerfile: ./docker/Dockerfile\n    ports:\n      - 9091:9000\n",
        ),
    ]);
    let document: Value =
        serde_json::from_str(&sandbox.run(&["scan", "repo", "--no-record", "--format", "json"], 0)).unwrap();
    let built: Vec<(&str, &str, &Value)> = document["services"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "service")
        .map(|s| (s["id"].as_str().unwrap(), s["root"].as_str().unwrap(), &s["ports"]))
        .collect();
    assert_eq!(built, [("mealie", "", &serde_json::json!([9000]))]);
}

/// Regression: compose names were global, so in a tree of independent
/// projects every `db` meant the last project's database (and compose files
/// named `compose.yaml` were taken for Kubernetes).
#[test]
fn compose_names_are_scoped_to_their_project() {
    let sandbox = Sandbox::new();
    for (project, image) in [("shop", "postgres:16"), ("blog", "mysql:8")] {
        let files = [
            (format!("repo/{project}/api/requirements.txt"), "flask\n".to_owned()),
            (
                format!("repo/{project}/api/app.py"),
                "import os\nfrom flask import Flask\napp = Flask(__name__)\nHOST = os.getenv('DB_HOST')\n".to_owned(),
            ),
            (
                format!("repo/{project}/compose.yaml"),
                format!(
                    "services:\n  api:\n    build: ./api\n    environment:\n      DB_HOST: db\n  db:\n    image: {image}\n"
                ),
            ),
        ];
        for (path, text) in files {
            let full = sandbox.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
    }
    let document: Value =
        serde_json::from_str(&sandbox.run(&["scan", "repo", "--no-record", "--format", "json"], 0)).unwrap();
    // Services by their root (their ids depend on which project sorts first); externals by id.
    let root_of = |id: &str| {
        let service = document["services"].as_array().unwrap().iter().find(|s| s["id"] == id);
        service.and_then(|s| s["root"].as_str()).map_or_else(|| id.to_owned(), str::to_owned)
    };
    let mut found = common::connection_lines(&document, |id| root_of(id));
    found.sort();
    assert_eq!(found, ["blog/api->mysql via DB_HOST", "shop/api->postgres via DB_HOST"], "{found:?}");
}
