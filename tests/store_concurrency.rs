//! Concurrent appenders never fork a chain, and a killed writer leaves
//! the store consistent.

use std::os::unix::process::CommandExt as _;
use std::time::Duration;

mod common;
use common::Sandbox;

/// Two processes at a time, 200 appends each, to one chain.
#[test]
fn two_processes_appending_200_each_make_one_linear_chain() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["chain", "new", "shared"], 0);
    std::thread::scope(|scope| {
        for writer in ["a", "b"] {
            let sandbox = &sandbox;
            scope.spawn(move || {
                for i in 0..200 {
                    let state = format!("{{\"writer\":\"{writer}\",\"i\":{i}}}");
                    sandbox.run(&["chain", "append", "shared", "--op", writer, "--state", &state], 0);
                }
            });
        }
    });
    sandbox.run(&["chain", "export", "shared", "-o", "shared.json"], 0);
    let out = sandbox.run(&["verify", "shared.json"], 0);
    assert!(out.contains("400 entries"), "{out}");
    let document = pruv::core::json::parse(&sandbox.read("shared.json")).unwrap();
    let chain = pruv::core::chain::ChainDocument::from_value(document).unwrap().into_chain().unwrap();
    let from = |w: &str| chain.entries.iter().filter(|e| e.operation == w).count();
    assert_eq!((from("a"), from("b")), (200, 200));
}

/// The same race inside one process, many threads, through the library.
#[test]
fn threads_sharing_a_store_never_fork() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join(".pruv");
    let (mut store, _) = pruv::store::Store::init(&store_dir).unwrap();
    let id = store.create_chain("threads").unwrap();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (store_dir, id) = (&store_dir, &id);
            scope.spawn(move || {
                let mut store = pruv::store::Store::open(store_dir).unwrap();
                for i in 0..50 {
                    let state = pruv::core::json::parse(&format!("{{\"t\":{t},\"i\":{i}}}")).unwrap();
                    store.append(id, pruv::core::Transition::new("step", Some(state)), None).unwrap();
                }
            });
        }
    });
    let chain = store.load(&id).unwrap();
    assert_eq!(chain.entries.len(), 200);
    let document = pruv::core::chain::ChainDocument::from_value(chain.to_document(None)).unwrap();
    let report = pruv::core::verify_document(&document, &Default::default());
    assert!(report.intact, "{:?}", report.problems);
}

/// Writers killed with SIGKILL at arbitrary points: the store stays sound
/// and the chain verifies, holding exactly the appends that committed.
#[test]
fn killed_writers_leave_the_store_consistent() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["chain", "new", "k"], 0);
    let pruv = assert_cmd::cargo::cargo_bin!("pruv");
    for (round, delay_ms) in [150u64, 260, 370].into_iter().enumerate() {
        let script = format!(
            "i=0; while true; do i=$((i+1)); \"{}\" chain append k --op r{round} --state \"{{\\\"i\\\":$i}}\" >/dev/null || exit 1; done",
            pruv.display()
        );
        let mut child = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .current_dir(sandbox.path())
            .env_remove("PRUV_STORE")
            .process_group(0)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let group = format!("-{}", child.id());
        std::process::Command::new("kill").args(["-KILL", "--", &group]).status().unwrap();
        let _ = child.wait();
    }
    let store = pruv::store::Store::open(&sandbox.path().join(".pruv")).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    sandbox.run(&["chain", "export", "k", "-o", "k.json"], 0);
    let out = sandbox.run(&["verify", "k.json"], 0);
    assert!(!out.contains(": 0 entries"), "some appends committed: {out}");
}
