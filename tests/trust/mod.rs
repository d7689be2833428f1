//! Shared by the identity, provenance and receipt tests: a store with an
//! agent and an artifact, and redaction of what changes run to run.
#![allow(dead_code)]

use crate::common::Sandbox;

/// Runs pruv with `--format json` appended and parses stdout.
pub fn json(sandbox: &Sandbox, args: &[&str], code: i32) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&sandbox.run(&all, code)).expect("JSON on stdout")
}

/// A store with identity `writer` (scopes artifact.modify and docs.*) and
/// artifact `contract` (from contract.txt). Returns (writer id, contract id).
pub fn writer_and_contract(sandbox: &Sandbox) -> (String, String) {
    let writer = json(
        sandbox,
        &[
            "identity",
            "register",
            "writer",
            "--owner",
            "legal",
            "--scope",
            "artifact.modify,docs.*",
            "--purpose",
            "edits contracts",
            "--framework",
            "EU AI Act",
            "--valid-from",
            "2020-01-01T00:00:00Z",
            "--valid-until",
            "2099-12-31T23:59:59+00:00",
        ],
        0,
    );
    sandbox.write("contract.txt", "Clause 1: pay on time.\n");
    let contract = json(
        sandbox,
        &[
            "provenance",
            "origin",
            "contract.txt",
            "--name",
            "contract",
            "--owner",
            "legal",
            "--classification",
            "confidential",
        ],
        0,
    );
    (id(&writer), id(&contract))
}

pub fn id(created: &serde_json::Value) -> String {
    created["id"].as_str().expect("an id field").to_owned()
}

/// Replaces chain ids with names, and times, epoch timestamps, hashes and
/// proof hashes (full or shortened) with placeholders.
pub fn redact(text: &str, ids: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (id, name) in ids {
        text = text.replace(id, &format!("<{name}>"));
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let run = |from: usize, pred: fn(u8) -> bool| bytes[from..].iter().take_while(|b| pred(**b)).count();
    while i < bytes.len() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if boundary {
            if let Some(len) = time_at(&bytes[i..]) {
                out.push_str("<time>");
                i += len;
                continue;
            }
            let hex = run(i, |b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
            if hex == 64 {
                out.push_str("<hash>");
                i += 64;
                continue;
            }
            if hex == 12 && text[i + 12..].starts_with('…') {
                out.push_str("<short>");
                i += 12;
                continue;
            }
            let digits = run(i, |b| b.is_ascii_digit());
            if digits == 10 && bytes.get(i + 10) == Some(&b'.') {
                let fraction = run(i + 11, |b| b.is_ascii_digit());
                out.push_str("<epoch>");
                i += 11 + fraction;
                continue;
            }
        }
        let char_len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + char_len]);
        i += char_len;
    }
    out
}

/// The length of an RFC 3339 UTC time (`2026-01-01T00:00:00.123456Z`) at the start of `bytes`.
fn time_at(bytes: &[u8]) -> Option<usize> {
    let shape = b"dddd-dd-ddTdd:dd:dd";
    if bytes.len() < shape.len() + 1 {
        return None;
    }
    for (b, s) in bytes.iter().zip(shape) {
        let fits = if *s == b'd' { b.is_ascii_digit() } else { b == s };
        if !fits {
            return None;
        }
    }
    let mut len = shape.len();
    if bytes[len] == b'.' {
        len += 1 + bytes[len + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
    }
    (bytes.get(len) == Some(&b'Z')).then_some(len + 1)
}

#[test]
fn redaction_covers_what_changes() {
    let text = "a 2026-11-23T16:03:08.238755Z b 2026-11-23T16:03:18Z 1763913788.223632 \
                f334346cc6a361d43d9fc4c7e854385c0e03947f35ad6f7c19645cefd0b32c94 2d27fbdf4e8c… 6c7e0d5a6b63";
    assert_eq!(redact(text, &[("6c7e0d5a6b63", "contract")]), "a <time> b <time> <epoch> <hash> <short>… <contract>");
}
