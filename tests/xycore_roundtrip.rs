//! Round trips with the real Python xycore 1.0.2: xycore verifies what
//! pruv writes, and pruv verifies what xycore writes. Installs xycore into
//! a throwaway virtualenv; skipped (and says so) without Python or PyPI.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::Sandbox;

const XYCORE: &str = "xycore==1.0.2";

/// A virtualenv with xycore and PyNaCl, made once per target directory.
fn xycore_python() -> Result<PathBuf, String> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xycore-venv");
    let python = venv.join("bin/python");
    let ready = venv.join(".ready");
    if ready.is_file() {
        return Ok(python);
    }
    let run = |command: &mut Command, what: &str| -> Result<(), String> {
        let output = command.output().map_err(|e| format!("{what}: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!("{what} failed: {}", String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("")))
        }
    };
    run(Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv), "python3 -m venv")?;
    run(
        Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            XYCORE,
            "pynacl",
        ]),
        "pip install xycore",
    )?;
    std::fs::write(&ready, XYCORE).map_err(|e| e.to_string())?;
    Ok(python)
}

fn python_or_skip() -> Option<PathBuf> {
    // The tests of this file run in parallel threads: make the venv once.
    static PYTHON: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    match PYTHON.get_or_init(xycore_python).clone() {
        Ok(python) => Some(python),
        Err(reason) => {
            eprintln!("SKIPPED xycore round trip: {reason}");
            None
        }
    }
}

fn run_python(python: &Path, dir: &Path, script: &str) -> String {
    let output = Command::new(python).arg("-c").arg(script).current_dir(dir).output().unwrap();
    assert!(
        output.status.success(),
        "python failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn xycore_verifies_chains_pruv_writes() {
    let Some(python) = python_or_skip() else { return };
    let sandbox = Sandbox::with_store();
    sandbox.run(&["key", "generate", "-o", "keys"], 0);
    sandbox.run(&["chain", "new", "mixed"], 0);
    let states = [
        r#"{"name":"ünïcode ✓ 😀","ratio":0.1,"n":1,"f":1.0}"#,
        r#"{"big":123456789012345678901234567890,"tiny":1e-7,"huge":1e22,"neg":-0.0}"#,
        r#"{"nested":{"z":[true,false,null],"a":{"b":"tab\tquote\"slash/"}},"ctl":"\u0001\u007f"}"#,
        r#"[1,2,3]"#,
        r#""just a string""#,
    ];
    for (i, state) in states.iter().enumerate() {
        let mut args = vec!["chain", "append", "mixed", "--op", "step", "--state", state];
        if i % 2 == 1 {
            args.extend(["--sign", "keys/pruv.key"]);
        }
        sandbox.run(&args, 0);
    }
    sandbox.run(&["chain", "append", "mixed", "--op", "empty"], 0);
    sandbox.run(&["chain", "append", "mixed", "--op", "oops", "--state", "{}", "--status", "failed"], 0);
    sandbox.run(&["chain", "export", "mixed", "-o", "mixed.json", "--sign", "keys/pruv.key"], 0);

    let out = run_python(
        &python,
        sandbox.path(),
        r#"
import json
from xycore import XYChain, hash_state
with open("mixed.json") as f:
    data = json.load(f)
chain = XYChain.from_dict(data)
print("verify", chain.verify())
print("signatures", chain.verify_signatures())
print("states", all(hash_state(e.y_state if e.y_state is not None else {}) == e.y for e in chain.entries))
print("signed", sum(e.signature is not None for e in chain.entries))
data["entries"][2]["operation"] = "tampered"
print("tampered", XYChain.from_dict(data).verify())
"#,
    );
    assert_eq!(out, "verify (True, None)\nsignatures (True, None)\nstates True\nsigned 2\ntampered (False, 2)\n");
}

#[test]
fn pruv_verifies_chains_xycore_writes() {
    let Some(python) = python_or_skip() else { return };
    let sandbox = Sandbox::new();
    let public_key = run_python(
        &python,
        sandbox.path(),
        r#"
import base64
from xycore import XYChain, LocalStorage, generate_keypair
private, public = generate_keypair()
chain = XYChain(name="from-python")
chain.append("create", y_state={"é": "ü😀", "n": 1e16, "m": 1e-5, "list": [1, 1.0, None, True]})
chain.append("sign", y_state={"step": 2, "ratio": 2/3}, private_key=private, signer_id="py")
chain.append("bare")
chain.append("fail", y_state={"error": "boom", "big": 10**30}, status="failed", metadata={"attempt": 2})
path = LocalStorage("store").save(chain)
import shutil; shutil.copy(path, "python.json")
print(base64.b64encode(public).decode())
"#,
    );
    let out = sandbox.run(&["verify", "python.json", "--public-key", public_key.trim()], 0);
    assert!(out.contains("is intact: 4 entries"), "{out}");
    assert!(out.contains("1 verified"), "{out}");
    // And it imports, grows and still verifies with xycore afterwards.
    sandbox.run(&["init"], 0);
    sandbox.run(&["chain", "import", "python.json"], 0);
    sandbox.run(&["chain", "append", "from-python", "--op", "pruv-was-here", "--state", "{\"k\":2.5}"], 0);
    sandbox.run(&["chain", "export", "from-python", "-o", "grown.json"], 0);
    let out = run_python(
        &python,
        sandbox.path(),
        "import json\nfrom xycore import XYChain\nprint(XYChain.from_dict(json.load(open('grown.json'))).verify())",
    );
    assert_eq!(out, "(True, None)\n");
}
