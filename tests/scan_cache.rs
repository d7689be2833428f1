//! The incremental scan cache, counted, not timed: a warm rescan reads
//! nothing, an edit re-reads and re-analyses only the edited file, and the
//! result is the same document as a cold scan.

mod common;

use common::Sandbox;
use serde_json::Value;

/// `(from the cache, read and hashed, analysed)`, from `scan -v`'s stderr.
fn work(sandbox: &Sandbox, extra: &[&str]) -> ((u64, u64, u64), Value) {
    let mut args = vec!["scan", "tree", "-v", "--format", "json"];
    args.extend_from_slice(extra);
    let output = sandbox.pruv().args(&args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let line = stderr.lines().find(|l| l.starts_with("work: ")).unwrap_or_else(|| panic!("no work line in {stderr}"));
    let numbers: Vec<u64> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    ((numbers[0], numbers[1], numbers[2]), document)
}

fn comparable(mut document: Value) -> Value {
    document.as_object_mut().unwrap().remove("scanned_at");
    document["stats"].as_object_mut().unwrap().remove("duration_ms");
    document
}

#[test]
fn a_warm_rescan_reads_only_what_changed() {
    let sandbox = Sandbox::new();
    let fixture = common::fixture("fullstack");
    let tree = sandbox.path().join("tree");
    common::copy_dir(&fixture, &tree);
    let files = count_files(&tree);
    // Files written this close to a scan are not trusted by their stat
    // (their mtime could change again unseen); let the window pass.
    std::thread::sleep(std::time::Duration::from_millis(2100));

    let (cold, cold_document) = work(&sandbox, &[]);
    assert_eq!(cold, (0, files, files), "the first scan fills the cache");
    let (warm, warm_document) = work(&sandbox, &[]);
    assert_eq!(warm, (files, 0, 0), "an unchanged tree is neither read nor parsed");
    assert_eq!(comparable(warm_document), comparable(cold_document.clone()));

    // Edit one file: only it is read and analysed again.
    let edited = tree.join("backend/app/main.py");
    let mut text = std::fs::read_to_string(&edited).unwrap();
    text.push_str("\nimport stripe  # new\n");
    std::fs::write(&edited, text).unwrap();
    let (after_edit, edited_document) = work(&sandbox, &[]);
    assert_eq!(after_edit, (files - 1, 1, 1));
    let (_, uncached) = work(&sandbox, &["--no-cache"]);
    assert_eq!(comparable(edited_document), comparable(uncached), "the cache changes nothing in the result");

    // Touch one without changing it: read and hashed, not analysed.
    let touched = tree.join("frontend/package.json");
    let contents = std::fs::read(&touched).unwrap();
    std::fs::write(&touched, contents).unwrap();
    let (after_touch, _) = work(&sandbox, &[]);
    // The edited file was too recent to trust by its stat last time: re-hashed too, not re-parsed.
    assert_eq!(after_touch, (files - 2, 2, 0));

    // --no-cache reads everything and leaves the cache alone.
    let (no_cache, _) = work(&sandbox, &["--no-cache"]);
    assert_eq!(no_cache, (0, files, files));
}

#[test]
fn removed_files_leave_the_cache_and_new_ones_enter_it() {
    let sandbox = Sandbox::new();
    let tree = sandbox.path().join("tree");
    common::copy_dir(&common::fixture("fullstack"), &tree);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let files = count_files(&tree);
    work(&sandbox, &[]);
    std::fs::remove_file(tree.join("backend/app/main.py")).unwrap();
    std::fs::write(tree.join("NOTES.md"), "notes\n").unwrap();
    let (counts, document) = work(&sandbox, &[]);
    assert_eq!(counts, (files - 1, 1, 1));
    assert!(!document["files"].as_array().unwrap().iter().any(|f| f["path"] == "backend/app/main.py"));
    let store = pruv::store::Store::open(&tree.join(".pruv")).unwrap();
    let cached = store.load_scan_cache(&tree.canonicalize().unwrap().display().to_string()).unwrap();
    assert!(!cached.iter().any(|(path, _)| path == "backend/app/main.py"));
    assert!(cached.iter().any(|(path, _)| path == "NOTES.md"));
}

fn count_files(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() != ".pruv")
        .map(|e| if e.file_type().unwrap().is_dir() { count_files(&e.path()) } else { 1 })
        .sum()
}
