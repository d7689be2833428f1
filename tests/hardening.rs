//! Regressions of the hardening issue: one test (or more) per numbered
//! defect, each named after its item.

use std::time::Duration;

mod common;
use common::{Sandbox, git};

/// Runs pruv with a deadline: a hang is a failure, not a stuck test run.
fn run_bounded(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    sandbox.pruv().args(args).timeout(Duration::from_secs(60)).output().expect("run pruv")
}

// 1. Unbounded reads.

#[cfg(target_os = "linux")]
#[test]
fn item1_state_from_dev_zero_is_refused_past_the_cap() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["chain", "new", "c"], 0);
    let output = sandbox
        .pruv()
        .env("PRUV_MAX_INPUT", "1M")
        .args(["chain", "append", "c", "--op", "x", "--state", "@/dev/zero"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6), "{}", String::from_utf8_lossy(&output.stderr));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("/dev/zero") && err.contains("PRUV_MAX_INPUT"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn item1_provenance_origin_of_a_device_is_invalid_input() {
    let sandbox = Sandbox::with_store();
    let output = run_bounded(&sandbox, &["provenance", "origin", "/dev/zero", "--name", "z", "--owner", "me"]);
    assert_eq!(output.status.code(), Some(6), "{}", String::from_utf8_lossy(&output.stderr));
}

#[cfg(target_os = "linux")]
#[test]
fn item1_verify_of_dev_zero_stops_at_the_cap() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .pruv()
        .env("PRUV_MAX_INPUT", "64K")
        .args(["verify", "/dev/zero"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6));
    let output = sandbox.pruv().env("PRUV_MAX_INPUT", "lots").args(["verify", "x.json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(6), "a bad cap is invalid input");
}

#[cfg(target_os = "linux")]
#[test]
fn item1_scanning_proc_is_bounded() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .pruv()
        .args(["scan", "/proc/self/net", "--no-record", "--format", "json", "-j", "2"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(matches!(output.status.code(), Some(0 | 5)), "{}", String::from_utf8_lossy(&output.stderr));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // Every /proc file reports size 0 yet has content: skipped, never read whole.
    assert!(document["stats"]["skipped"].as_u64().unwrap() > 0, "{document}");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("pseudo-file"), "{err}");
}

// 3. Secrets at rest.

/// Every byte of every file under `dir`.
fn all_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            bytes.extend(all_bytes(&path));
        } else {
            bytes.extend(std::fs::read(&path).unwrap());
        }
    }
    bytes
}

#[test]
fn item3_a_planted_secret_is_in_no_byte_of_the_store() {
    let sandbox = Sandbox::new();
    let secret = "s3cr3tPlanted";
    sandbox.write_all([
        (".env", format!("TOKEN={secret}\nDATABASE_URL=postgres://app:{secret}@db:5432/app?password={secret}\n")),
        (
            "compose.yaml",
            format!(
                "services:\n  api:\n    build: .\n    environment:\n      API_KEY: {secret}\n      DB_URL: postgres://u:{secret}@db/x\n  db:\n    image: postgres:16\n    environment: [POSTGRES_PASSWORD={secret}]\n"
            ),
        ),
        (
            "k8s/deploy.yaml",
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  SESSION_SECRET: {secret}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web\n          env:\n            - name: SECRET\n              value: {secret}\n"
            ),
        ),
        ("app.py", "import os\nprint(os.environ['TOKEN'], os.environ['DATABASE_URL'])\n".to_owned()),
        ("Dockerfile", "FROM python:3.12\nCOPY . .\nCMD python app.py\n".to_owned()),
    ]);
    sandbox.run(&["scan", "."], 0);
    sandbox.run(&["scan", ".", "--no-record"], 0);
    let store = sandbox.path().join(".pruv");
    let bytes = all_bytes(&store);
    assert!(!bytes.is_empty());
    assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "the secret is in the store");
    // What inference needs survives: the database address.
    assert!(bytes.windows(18).any(|w| w == b"postgres://db:5432"), "the address was dropped too");
}

#[cfg(unix)]
#[test]
fn item3_the_store_is_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::with_store();
    let mode = |p: &str| std::fs::metadata(sandbox.path().join(p)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(".pruv"), 0o700);
    assert_eq!(mode(".pruv/pruv.db"), 0o600);
}

// 4. Terminal injection.

#[cfg(unix)]
#[test]
fn item4_control_characters_in_names_are_escaped_in_text_output() {
    let sandbox = Sandbox::new();
    let evil = "svc\n::error file=a::pwned";
    let dir = sandbox.path().join(evil);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("package.json"),
        r#"{"name":"x","scripts":{"start":"node index.js"},"dependencies":{"express":"4"}}"#,
    )
    .unwrap();
    std::fs::write(dir.join("index.js"), "const app = require('express')();\napp.listen(3000);\n").unwrap();
    std::fs::write(dir.join("Dockerfile"), "FROM node:20\nCOPY . .\nCMD node index.js\n").unwrap();
    std::fs::write(sandbox.path().join("bad\n::error::x.py"), b"\xff\xfe print(1)\n").unwrap();
    for format in ["text", "markdown"] {
        let output = sandbox.pruv().args(["scan", ".", "--no-record", "-v", "--format", format]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(!text.lines().any(|line| line.trim_start().starts_with("::error")), "{format}: {text}");
        }
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("bad\\n::error::x.py"), "{err}");
    }
    let err = sandbox.run_err(&["verify", "no\n::error::such.json"], 6);
    assert!(err.contains("no\\n::error::such.json") && err.trim_end().lines().count() == 1, "{err}");
}

// 7. Exit codes.

#[test]
fn item7_a_directory_to_verify_is_invalid_input() {
    let sandbox = Sandbox::new();
    let err = sandbox.run_err(&["verify", "."], 6);
    assert!(err.contains("is a directory"), "{err}");
}

#[cfg(unix)]
#[test]
fn item7_a_binary_scan_side_is_invalid_input() {
    let sandbox = Sandbox::new();
    sandbox.write_all([("bin", &b"\x7fELF\x00\x01\xff\xfe"[..])]);
    let err = sandbox.run_err(&["diff", "bin", "."], 6);
    assert!(err.contains("bin"), "{err}");
}

#[cfg(unix)]
#[test]
fn item7_keys_are_not_written_through_a_dangling_symlink() {
    let sandbox = Sandbox::new();
    std::os::unix::fs::symlink(sandbox.path().join("nowhere"), sandbox.path().join("k")).unwrap();
    let err = sandbox.run_err(&["key", "generate", "-o", "k"], 8);
    assert!(err.contains("symbolic link"), "{err}");
    std::os::unix::fs::symlink(sandbox.path().join("gone.key"), sandbox.path().join("pruv.key")).unwrap();
    sandbox.run_err(&["key", "generate"], 8);
    assert!(!sandbox.path().join("gone.key").exists());
}

#[cfg(unix)]
#[test]
fn item7_a_secret_key_is_refused_as_public_and_loose_modes_warn() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::with_store();
    sandbox.run(&["key", "generate"], 0);
    sandbox.run(&["chain", "new", "c"], 0);
    std::fs::set_permissions(sandbox.path().join("pruv.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = sandbox.pruv().args(["chain", "append", "c", "--op", "x", "--sign", "pruv.key"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("warning:") && err.contains("chmod 600"), "{err}");
    sandbox.run(&["chain", "export", "c", "-o", "c.json"], 0);
    let err = sandbox.run_err(&["verify", "c.json", "--public-key", "pruv.key"], 6);
    assert!(err.contains("secret key"), "{err}");
    sandbox.run(&["verify", "c.json", "--public-key", "pruv.pub"], 0);
}

// 6. Read-only stores.

/// Runs pruv as a user who cannot write the store: `nobody` when the
/// tests run as root (root writes anything), else the owner with the
/// store's write bits removed.
#[cfg(unix)]
#[test]
fn item6_a_read_only_store_is_read_by_a_non_owner() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::with_store();
    sandbox.run(&["chain", "new", "c"], 0);
    sandbox.run(&["chain", "append", "c", "--op", "x", "--state", "{\"a\":1}"], 0);
    let store = sandbox.path().join(".pruv");
    let is_root = std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let set = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    for entry in std::fs::read_dir(&store).unwrap() {
        set(&entry.unwrap().path(), 0o444);
    }
    set(&store, 0o555);
    set(sandbox.path(), 0o755);
    let run = |args: &[&str]| {
        let mut command = if is_root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(assert_cmd::cargo::cargo_bin!("pruv"));
            c
        } else {
            std::process::Command::new(assert_cmd::cargo::cargo_bin!("pruv"))
        };
        command.args(args).current_dir(sandbox.path()).env_remove("PRUV_STORE").env("NO_COLOR", "1");
        command.output().unwrap()
    };
    for args in [&["chain", "show", "c"][..], &["chain", "export", "c"], &["chain", "list"]] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    set(&store, 0o755);
}

// 2. Threads.

#[test]
fn item2_thousands_of_threads_are_clamped_to_what_helps() {
    let sandbox = Sandbox::new();
    sandbox.write_all((0..5).map(|i| (format!("f{i}.py"), "print(1)\n")));
    let started = std::time::Instant::now();
    let output = run_bounded(&sandbox, &["scan", ".", "--no-record", "-j", "5000", "-v"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    let err = String::from_utf8_lossy(&output.stderr);
    let line = err.lines().find(|l| l.starts_with("threads: ")).unwrap_or_else(|| panic!("{err}"));
    let used: usize = line["threads: ".len()..].split(' ').next().unwrap().parse().unwrap();
    assert!(used <= 5 && line.contains("asked for 5000"), "{line}");
}

// 5. Signed heads.

/// A chain of two signed entries exported with a signed head, as JSON.
fn signed_export(sandbox: &Sandbox) -> serde_json::Value {
    sandbox.run(&["key", "generate"], 0);
    sandbox.run(&["chain", "new", "deploys"], 0);
    for op in ["build", "ship"] {
        sandbox.run(&["chain", "append", "deploys", "--op", op, "--state", "{\"ok\":true}", "--sign", "pruv.key"], 0);
    }
    sandbox.run(&["chain", "export", "deploys", "--sign", "pruv.key", "-o", "signed.json"], 0);
    serde_json::from_str(&sandbox.read("signed.json")).unwrap()
}

#[test]
fn item5_a_stripped_signed_head_fails_when_required() {
    let sandbox = Sandbox::with_store();
    signed_export(&sandbox);
    let text = sandbox.run(&["verify", "signed.json", "--require-signed-head"], 0);
    assert!(text.contains("signed head: verified") && text.contains("the name"), "{text}");
    // pruv's own JSON keeps every number as written (serde_json would
    // re-render the float timestamps and break the proof instead).
    use pruv::core::json::{self, Value};
    let mut document = json::parse(&sandbox.read("signed.json")).unwrap();
    let Value::Object(map) = &mut document else { panic!("an object") };
    map.swap_remove("signed_head");
    let Some(Value::Array(entries)) = map.get_mut("entries") else { panic!("entries") };
    let Value::Object(entry) = &mut entries[1] else { panic!("an entry") };
    entry.insert("metadata".into(), json::parse(r#"{"edited":true}"#).unwrap());
    sandbox.write("stripped.json", &json::pretty(&document));
    let text = sandbox.run(&["verify", "stripped.json", "--require-signed-head"], 2);
    assert!(text.contains("signed_head") && text.contains("no signed head"), "{text}");
    // --require-signatures implies it for a pruv export.
    sandbox.run(&["verify", "stripped.json", "--require-signatures"], 2);
    // Without either, the verdict says what it does not cover.
    let text = sandbox.run(&["verify", "stripped.json"], 0);
    assert!(text.contains("outside the xy/1 proof"), "{text}");
}

#[test]
fn item5_the_signed_head_binds_the_name() {
    let sandbox = Sandbox::with_store();
    let mut document = signed_export(&sandbox);
    document["name"] = "innocent".into();
    sandbox.write("renamed.json", &document.to_string());
    let text = sandbox.run(&["verify", "renamed.json"], 2);
    assert!(text.contains("renames"), "{text}");
    let mut head_renamed = signed_export_again(&sandbox);
    head_renamed["signed_head"]["name"] = "innocent".into();
    head_renamed["name"] = "innocent".into();
    sandbox.write("both.json", &head_renamed.to_string());
    sandbox.run(&["verify", "both.json"], 2);
}

fn signed_export_again(sandbox: &Sandbox) -> serde_json::Value {
    serde_json::from_str(&sandbox.read("signed.json")).unwrap()
}

// 8. Silent gaps.

#[test]
fn item8_a_config_file_over_the_cap_is_a_warning() {
    let sandbox = Sandbox::new();
    let mut compose = String::from("services:\n  web:\n    image: nginx\n");
    while compose.len() <= 17 << 20 {
        compose.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    sandbox.write_all([("compose.yaml", compose)]);
    let output = sandbox.pruv().args(["scan", ".", "--no-record", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("compose.yaml: larger than the 16 MiB cap"), "{err}");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["stats"]["skipped"], 1);
    assert_eq!(document["skipped"][0]["path"], "compose.yaml");
    assert_eq!(document["skipped"][0]["excluded"], false);
}

#[cfg(unix)]
#[test]
fn item8_unreadable_and_non_utf8_files_are_named_and_counted() {
    use std::os::unix::ffi::OsStrExt as _;
    let sandbox = Sandbox::new();
    sandbox.write_all([("app.py", "print(1)\n")]);
    std::fs::write(sandbox.path().join(std::ffi::OsStr::from_bytes(b"bad\xffname.txt")), "x").unwrap();
    let output = sandbox.pruv().args(["scan", ".", "--no-record", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["stats"]["skipped"], 1, "{document}");
    let skipped = &document["skipped"][0];
    assert!(skipped["reason"].as_str().unwrap().contains("not UTF-8") && skipped["excluded"] == true, "{skipped}");
    let text = sandbox.run(&["scan", ".", "--no-record"], 0);
    assert!(text.contains("incomplete: 1 file skipped (1 left out of the tree hash)"), "{text}");
}

#[test]
fn item8_a_multi_line_dotenv_value_is_one_variable() {
    let sandbox = Sandbox::new();
    sandbox.write_all([(".env", "CERT=\"-----BEGIN-----\nNOT_A_VAR=1\n-----END-----\"\nAFTER=2\n")]);
    let output = sandbox.pruv().args(["scan", ".", "--no-record", "--format", "json"]).output().unwrap();
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> =
        document["env_vars"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"CERT") && names.contains(&"AFTER") && !names.contains(&"NOT_A_VAR"), "{names:?}");
}

#[test]
fn item8_a_diff_of_scans_of_different_roots_warns() {
    let sandbox = Sandbox::new();
    sandbox.write_all([("a/app.py", "print(1)\n"), ("b/app.py", "print(2)\n")]);
    let a = sandbox.run(&["scan", "a", "--no-record", "--format", "json"], 0);
    let b = sandbox.run(&["scan", "b", "--no-record", "--format", "json"], 0);
    sandbox.write("a.json", &a);
    sandbox.write("b.json", &b);
    let output = sandbox.pruv().args(["diff", "a.json", "b.json"]).output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("different roots"), "{err}");
}

#[test]
fn item8_chain_ids_are_validated_on_import() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["chain", "new", "c"], 0);
    sandbox.run(&["chain", "append", "c", "--op", "x", "--state", "{}"], 0);
    // pruv's own JSON keeps the timestamps as written, so only the id changes.
    use pruv::core::json::{self, Value};
    let mut document = json::parse(&sandbox.run(&["chain", "export", "c"], 0)).unwrap();
    for bad in ["", "../../etc", "x\ny", &"a".repeat(500)] {
        let Value::Object(map) = &mut document else { panic!("an object") };
        map.insert("id".into(), bad.into());
        map.insert("name".into(), "imported".into());
        sandbox.write("bad.json", &json::pretty(&document));
        let err = sandbox.run_err(&["chain", "import", "bad.json"], 6);
        assert!(err.contains("not a valid id"), "{bad:?}: {err}");
    }
}

// 9. A side that is both a file and a revision.

#[test]
fn item9_a_file_that_is_also_a_revision_is_the_revision() {
    let sandbox = Sandbox::new();
    let work = sandbox.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("app.py"), "print(1)\n").unwrap();
    git(&work, &["init", "-q", "-b", "main"]);
    git(&work, &["add", "."]);
    git(&work, &["commit", "-q", "-m", "one"]);
    git(&work, &["tag", "v1"]);
    std::fs::write(work.join("app.py"), "print(2)\n").unwrap();
    git(&work, &["commit", "-q", "-am", "two"]);
    git(sandbox.path(), &["clone", "-q", "--bare", "work", "mirror.git"]);
    // `HEAD` is a file of a bare repository, and a revision.
    let output = sandbox.pruv().args(["diff", "-C", "mirror.git", "v1", "HEAD"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    // A file that is neither a scan document nor a revision: both readings named.
    let err = sandbox.run_err(&["diff", "-C", "mirror.git", "v1", "description"], 6);
    assert!(err.contains("not a scan document") && err.contains("not a git revision"), "{err}");
}

// 10. Newcomer papercuts.

#[test]
fn item10_a_date_is_accepted_as_the_end_of_that_day() {
    let sandbox = Sandbox::with_store();
    sandbox.run(
        &["identity", "register", "w", "--owner", "o", "--scope", "x", "--purpose", "p", "--valid-until", "2026-12-31"],
        0,
    );
    let listed: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["identity", "verify", "w", "--format", "json"], 0)).unwrap();
    assert!(listed.to_string().contains("2026-12-31T23:59:59Z"), "{listed}");
    sandbox.run_err(
        &["identity", "register", "v", "--owner", "o", "--scope", "x", "--purpose", "p", "--valid-until", "2026-13-99"],
        6,
    );
}

#[test]
fn item10_compile_time_env_reads_are_not_missing_runtime_variables() {
    let sandbox = Sandbox::new();
    sandbox.write_all([
        ("Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n"),
        ("src/main.rs", "fn main() {\n    let v = env!(\"BUILD_ONLY\");\n    let r = std::env::var(\"AT_RUNTIME\");\n    println!(\"{v} {r:?}\");\n}\n"),
    ]);
    let document: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["scan", ".", "--no-record", "--format", "json"], 0)).unwrap();
    let names: Vec<&str> =
        document["env_vars"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"AT_RUNTIME") && !names.contains(&"BUILD_ONLY"), "{names:?}");
}

#[test]
fn item10_the_authorized_agents_line_does_not_contradict_itself() {
    let sandbox = Sandbox::with_store();
    sandbox.write("a.txt", "one");
    sandbox.run(&["identity", "register", "w", "--owner", "o", "--scope", "artifact.modify", "--purpose", "p"], 0);
    sandbox.run(&["provenance", "origin", "a.txt", "--name", "a", "--owner", "o"], 0);
    sandbox.write("a.txt", "two");
    sandbox.run(&["provenance", "transition", "a", "a.txt", "--agent", "w", "--reason", "r"], 0);
    sandbox.run(&["identity", "revoke", "w", "--reason", "gone"], 0);
    sandbox.write("a.txt", "three");
    sandbox.run(&["provenance", "transition", "a", "a.txt", "--agent", "w", "--reason", "late"], 0);
    let text = sandbox.run(&["provenance", "verify", "a"], 2);
    assert!(text.contains("1 of 2 transitions by authorized agents"), "{text}");
}

#[test]
fn item10_the_readme_points_inside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(!readme.contains("target/release/pruv") && !readme.contains("shared/spec"));
    assert!(readme.contains("docs/scan-format.md") && root.join("docs/scan-format.md").is_file());
    assert!(readme.contains("pruv identity register ci"), "the --agent ci example needs the identity");
}

#[test]
fn item4_free_text_reasons_are_escaped_in_verdicts() {
    let sandbox = Sandbox::with_store();
    sandbox.write("a.txt", "one");
    sandbox.run(&["identity", "register", "w", "--owner", "o", "--scope", "artifact.modify", "--purpose", "p"], 0);
    sandbox.run(&["provenance", "origin", "a.txt", "--name", "a", "--owner", "o"], 0);
    sandbox.write("a.txt", "two");
    sandbox.run(&["provenance", "transition", "a", "a.txt", "--agent", "w", "--reason", "ok\n::error::pwned"], 0);
    sandbox.run(&["identity", "act", "w", "--action", "x\n::error::act", "--scope", "artifact.modify"], 0);
    for args in [&["provenance", "verify", "a"][..], &["identity", "verify", "w"]] {
        let text = sandbox.run(args, 0);
        assert!(!text.lines().any(|l| l.trim_start().starts_with("::error")), "{text}");
        assert!(text.contains("\\n::error::"), "{text}");
    }
}

#[test]
fn item10_help_lists_only_the_formats_a_command_writes() {
    let sandbox = Sandbox::new();
    let help = sandbox.run(&["verify", "--help"], 0);
    assert!(help.contains("Formats (--format): text, json") && !help.contains("mermaid"), "{help}");
    let help = sandbox.run(&["scan", "--help"], 0);
    assert!(help.contains("Formats (--format): text, json, markdown, mermaid, dot") && !help.contains("svg"), "{help}");
}
