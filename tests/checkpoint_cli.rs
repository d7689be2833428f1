//! Checkpoints: create, change the tree, preview, restore (verified by the
//! tree hash), refusals on a changed tree, undo after a run, deduplicated
//! blobs, and a restore killed midway that leaves every file whole.

use std::os::unix::fs::PermissionsExt as _;
use std::time::Duration;

mod common;
use common::Sandbox;

fn mode(sandbox: &Sandbox, path: &str) -> u32 {
    std::fs::metadata(sandbox.path().join(path)).unwrap().permissions().mode() & 0o777
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn a_restore_brings_back_content_modes_and_the_tree_hash() {
    let sandbox = Sandbox::with_store();
    sandbox.write_all([
        ("t/keep.txt", "same\n"),
        ("t/edit.txt", "one\ntwo\nthree\n"),
        ("t/gone/deep.txt", "x"),
        ("t/tool.sh", "echo\n"),
    ]);
    std::fs::set_permissions(sandbox.path().join("t/tool.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let created = json(&sandbox.run(&["--format", "json", "checkpoint", "create", "base", "t"], 0));
    let tree_hash = created["tree_hash"].as_str().unwrap().to_owned();
    assert_eq!(created["files"], 4);

    sandbox.write_all([("t/edit.txt", "one\nTWO\nthree\n"), ("t/new.txt", "added")]);
    std::fs::remove_dir_all(sandbox.path().join("t/gone")).unwrap();
    std::fs::set_permissions(sandbox.path().join("t/tool.sh"), std::fs::Permissions::from_mode(0o644)).unwrap();

    let preview = json(&sandbox.run(&["--format", "json", "checkpoint", "preview", "base", "t"], 0));
    assert_eq!(preview["added"], serde_json::json!(["gone/deep.txt"]));
    assert_eq!(preview["removed"], serde_json::json!(["new.txt"]));
    assert_eq!(preview["modified"], serde_json::json!(["edit.txt", "tool.sh"]));
    let diff = preview["diffs"]["edit.txt"].as_str().unwrap();
    assert!(diff.contains("-TWO\n+two\n") && diff.contains("--- a/edit.txt"), "{diff}");
    assert!(preview["diffs"].get("tool.sh").is_none(), "a mode change has no content diff");

    // Changed since the checkpoint: refused, and nothing touched.
    let refused = sandbox.run_err(&["checkpoint", "restore", "base"], 8);
    assert!(refused.contains("changed since pruv last recorded it"), "{refused}");
    assert_eq!(sandbox.read("t/new.txt"), "added");

    let restored = json(&sandbox.run(&["--format", "json", "checkpoint", "restore", "base", "--force"], 0));
    assert_eq!(restored["tree_hash"], tree_hash);
    assert_eq!(sandbox.read("t/edit.txt"), "one\ntwo\nthree\n");
    assert_eq!(sandbox.read("t/gone/deep.txt"), "x");
    assert!(!sandbox.path().join("t/new.txt").exists());
    assert_eq!(mode(&sandbox, "t/tool.sh"), 0o755);
    let scan = json(&sandbox.run(&["scan", "t", "--no-record", "--format", "json"], 0));
    assert_eq!(scan["tree_hash"], tree_hash);

    // The restore checkpointed the tree first: it can be undone in turn.
    let saved = restored["saved_first"].as_str().unwrap().to_owned();
    sandbox.run(&["checkpoint", "restore", &saved], 0);
    assert_eq!(sandbox.read("t/new.txt"), "added");
    assert_eq!(sandbox.read("t/edit.txt"), "one\nTWO\nthree\n");

    // Every checkpoint and restore is a verifiable chain entry.
    sandbox.run(&["chain", "export", "checkpoints", "-o", "checkpoints.json"], 0);
    sandbox.run(&["verify", "checkpoints.json"], 0);
}

#[test]
fn an_unchanged_tree_restores_without_force_and_blobs_are_shared() {
    let sandbox = Sandbox::with_store();
    let files: Vec<(String, String)> = (0..50).map(|i| (format!("t/f{i}.txt"), format!("content {i}\n"))).collect();
    sandbox.write_all(files);
    let first = json(&sandbox.run(&["--format", "json", "checkpoint", "create", "a", "t"], 0));
    assert_eq!(first["new_blobs"], 50);
    sandbox.write_all([("t/f7.txt", "edited\n")]);
    let second = json(&sandbox.run(&["--format", "json", "checkpoint", "create", "b", "t"], 0));
    assert_eq!(second["new_blobs"], 1, "one edited file, one new blob");
    // Nothing changed since checkpoint b: restoring a needs no --force.
    sandbox.run(&["checkpoint", "restore", "a"], 0);
    assert_eq!(sandbox.read("t/f7.txt"), "content 7\n");
    let list = json(&sandbox.run(&["--format", "json", "checkpoint", "list"], 0));
    assert_eq!(list.as_array().unwrap().len(), 3, "a, b, and the tree before the restore");
    sandbox.run_err(&["checkpoint", "restore", "nope"], 6);
}

#[test]
fn undo_restores_the_tree_a_run_changed() {
    let sandbox = Sandbox::with_store();
    sandbox.write_all([("site/index.html", "<h1>v1</h1>"), ("site/app.js", "ok()")]);
    let script = "printf '<h1>broken</h1>' > site/index.html; rm site/app.js; printf x > site/junk";
    sandbox.run(&["run", "--watch", "site", "--checkpoint", "--", "sh", "-c", script], 0);
    assert_eq!(sandbox.read("site/index.html"), "<h1>broken</h1>");
    sandbox.run(&["undo"], 0);
    assert_eq!(sandbox.read("site/index.html"), "<h1>v1</h1>");
    assert_eq!(sandbox.read("site/app.js"), "ok()");
    assert!(!sandbox.path().join("site/junk").exists());

    // A change made after the run is not silently lost.
    sandbox.run(&["run", "--watch", "site", "--checkpoint", "--", "sh", "-c", "printf v3 > site/index.html"], 0);
    sandbox.write_all([("site/index.html", "hand edit")]);
    sandbox.run_err(&["undo"], 8);
    assert_eq!(sandbox.read("site/index.html"), "hand edit");
    let none = Sandbox::with_store();
    none.run(&["run", "--", "true"], 0);
    assert!(none.run_err(&["undo"], 6).contains("took a checkpoint"));
}

#[test]
fn a_restore_killed_midway_leaves_every_file_whole_and_a_second_one_completes() {
    let sandbox = Sandbox::with_store();
    let old = "o".repeat(8192);
    let new = "n".repeat(8192);
    let count = 1500;
    sandbox.write_all((0..count).map(|i| (format!("t/d{}/f{i}", i % 20), old.clone())));
    let checkpoint = json(&sandbox.run(&["--format", "json", "checkpoint", "create", "old", "t"], 0));
    sandbox.write_all((0..count).map(|i| (format!("t/d{}/f{i}", i % 20), new.clone())));

    let mut child = sandbox.std_pruv().args(["checkpoint", "restore", "old", "--force"]).spawn().unwrap();
    // Killed as soon as the first file (in the order the restore writes them) is back.
    let first = sandbox.path().join("t/d0/f0");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::fs::read_to_string(&first).is_ok_and(|c| c != old) && std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(Duration::from_millis(40));
    let _ = child.kill();
    let _ = child.wait();

    let mut seen_old = 0;
    for i in 0..count {
        let content = sandbox.read(&format!("t/d{}/f{i}", i % 20));
        assert!(content == old || content == new, "t/d{}/f{i} is neither version ({} bytes)", i % 20, content.len());
        seen_old += usize::from(content == old);
    }
    eprintln!("{seen_old} of {count} files were restored before the kill");

    let restored = json(&sandbox.run(&["--format", "json", "checkpoint", "restore", "old", "--force"], 0));
    assert_eq!(restored["tree_hash"], checkpoint["tree_hash"]);
    for i in 0..count {
        assert_eq!(sandbox.read(&format!("t/d{}/f{i}", i % 20)), old);
    }
    let leftovers: Vec<_> =
        walkdir(&sandbox.path().join("t")).into_iter().filter(|p| p.contains(".pruv-restore-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walkdir(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}
