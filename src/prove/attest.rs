//! Attesting a bundle: every file's SHA-256 in one manifest, bound by an
//! HMAC-SHA256 (a shared key from an environment variable) or an Ed25519
//! signature (a key file), written to `attestation.json`. Checking it
//! finds any file edited, removed or added since, and a wrong key.

use std::collections::BTreeMap;
use std::path::Path;

use hmac::{KeyInit as _, Mac as _};
use serde::{Deserialize, Serialize};

use crate::core::sign::{PublicKey, SecretKey};
use crate::error::{Error, Result};

pub const ATTESTATION_FILE: &str = "attestation.json";
pub const SCHEMA: &str = "pruv.prove.attestation/1";
/// What the MAC or signature covers: this prefix, then the canonical manifest.
const CONTEXT: &str = "pruv.prove.attestation/1:";

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Mode {
    #[serde(rename = "hmac-sha256")]
    #[value(name = "hmac-sha256")]
    HmacSha256,
    #[serde(rename = "ed25519")]
    #[value(name = "ed25519")]
    Ed25519,
}

/// How the key is found.
pub enum Key<'a> {
    /// The shared secret is the value of this variable (never recorded).
    Env {
        name: &'a str,
        value: Option<String>,
    },
    Ed25519(&'a SecretKey),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attestation {
    pub schema: String,
    pub mode: Mode,
    pub session: Option<String>,
    /// Bundle-relative path → SHA-256, every file but this one.
    pub files: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_env: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

fn manifest(bundle: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = super::bundle::hash_dir(bundle)?;
    files.remove(ATTESTATION_FILE);
    Ok(files)
}

fn message(files: &BTreeMap<String, String>) -> Vec<u8> {
    let value = serde_json::to_value(files).expect("serialises");
    let mut message = CONTEXT.as_bytes().to_vec();
    message.extend(serde_json::to_string(&value).expect("serialises").into_bytes());
    message
}

fn mac(secret: &str, message: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(message);
    mac
}

fn secret<'a>(name: &str, value: &'a Option<String>) -> Result<&'a str> {
    value.as_deref().filter(|v| !v.is_empty()).ok_or_else(|| {
        Error::InvalidInput(format!(
            "${name} is not set or empty; export the shared key in it (its value is never stored)"
        ))
    })
}

/// Attests `bundle` and writes `attestation.json` into it.
pub fn attest(bundle: &Path, key: &Key<'_>) -> Result<Attestation> {
    if !super::bundle::is_bundle(bundle) {
        return Err(Error::InvalidInput(format!(
            "{}: not a prove bundle (no chain.json and repro.json)",
            bundle.display()
        )));
    }
    let files = manifest(bundle)?;
    let message = message(&files);
    let session = bundle.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut attestation = Attestation {
        schema: SCHEMA.into(),
        mode: Mode::HmacSha256,
        session,
        files,
        key_env: None,
        mac: None,
        public_key: None,
        signer_id: None,
        signature: None,
    };
    match key {
        Key::Env { name, value } => {
            let secret = secret(name, value)?;
            attestation.key_env = Some((*name).to_owned());
            attestation.mac = Some(hex::encode(mac(secret, &message).finalize().into_bytes()));
        }
        Key::Ed25519(key) => {
            attestation.mode = Mode::Ed25519;
            attestation.public_key = Some(key.public().to_base64());
            attestation.signer_id = Some(key.signer_id.clone());
            attestation.signature = Some(key.sign_base64(&message));
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&attestation).expect("serialises");
    bytes.push(b'\n');
    super::bundle::write_file(&bundle.join(ATTESTATION_FILE), &bytes)?;
    Ok(attestation)
}

/// What checking an attestation found.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub valid: bool,
    pub mode: Mode,
    pub files: usize,
    pub edited: Vec<String>,
    pub missing: Vec<String>,
    pub added: Vec<String>,
    /// The MAC or signature, judged over the recorded manifest.
    pub key: String,
    pub key_valid: bool,
}

/// Checks `bundle` against its `attestation.json`. `key_env` overrides the
/// variable named in it (HMAC); `pinned` is the key an Ed25519 attestation
/// must be signed with.
pub fn check(
    bundle: &Path,
    env_value: &dyn Fn(&str) -> Option<String>,
    key_env: Option<&str>,
    pinned: Option<&PublicKey>,
) -> Result<Check> {
    let path = bundle.join(ATTESTATION_FILE);
    if !path.is_file() {
        return Err(Error::InvalidInput(format!(
            "{}: no attestation; make one with `pruv prove attest`",
            bundle.display()
        )));
    }
    let origin = path.display().to_string();
    let bytes = crate::bounded::read_file(&path, &origin, super::bundle::MAX_BUNDLE_FILE)?;
    let attestation: Attestation = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Verification(format!("{origin}: not an attestation ({e})")))?;
    if attestation.schema != SCHEMA {
        return Err(Error::Verification(format!("{origin}: schema {:?}, expected {SCHEMA}", attestation.schema)));
    }
    let now = manifest(bundle)?;
    let edited = attestation
        .files
        .iter()
        .filter(|(p, h)| now.get(*p).is_some_and(|n| n != *h))
        .map(|(p, _)| p.clone())
        .collect();
    let missing = attestation.files.keys().filter(|p| !now.contains_key(*p)).cloned().collect();
    let added = now.keys().filter(|p| !attestation.files.contains_key(*p)).cloned().collect();
    let message = message(&attestation.files);
    let (key, key_valid) = match attestation.mode {
        Mode::HmacSha256 => {
            let name = key_env.map(str::to_owned).or_else(|| attestation.key_env.clone()).ok_or_else(|| {
                Error::InvalidInput("the attestation names no key variable; pass --key-env VAR".into())
            })?;
            let value = env_value(&name);
            let secret = secret(&name, &value)?;
            let recorded = attestation.mac.as_deref().and_then(|m| hex::decode(m).ok()).unwrap_or_default();
            let valid = mac(secret, &message).verify_slice(&recorded).is_ok();
            (format!("HMAC-SHA256 with the key in ${name}"), valid)
        }
        Mode::Ed25519 => {
            let embedded = attestation.public_key.as_deref().and_then(PublicKey::from_text);
            let key = pinned.copied().or(embedded);
            let valid = key
                .as_ref()
                .zip(attestation.signature.as_deref())
                .is_some_and(|(k, s)| k.verify_base64(&message, s).is_ok());
            let who = key.map_or_else(|| "no public key".to_owned(), |k| format!("Ed25519 key {}", k.fingerprint()));
            (
                if pinned.is_some() {
                    format!("{who} (pinned)")
                } else {
                    format!("{who} (embedded; pin it with --public-key)")
                },
                valid,
            )
        }
    };
    let mut check = Check {
        valid: false,
        mode: attestation.mode,
        files: attestation.files.len(),
        edited,
        missing,
        added,
        key,
        key_valid,
    };
    check.valid = check.key_valid && check.edited.is_empty() && check.missing.is_empty() && check.added.is_empty();
    Ok(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("chain.json", "{}"), ("repro.json", "{}"), ("attempts/1/verdict.json", "{}")] {
            std::fs::create_dir_all(dir.path().join(name).parent().unwrap()).unwrap();
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn an_hmac_attestation_catches_edits_removals_additions_and_the_wrong_key() {
        let dir = bundle();
        let key = Key::Env { name: "K", value: Some("s3cret".into()) };
        attest(dir.path(), &key).unwrap();
        let written = std::fs::read_to_string(dir.path().join(ATTESTATION_FILE)).unwrap();
        assert!(!written.contains("s3cret"));
        let right = |_: &str| Some("s3cret".to_owned());
        assert!(check(dir.path(), &right, None, None).unwrap().valid);
        let wrong = |_: &str| Some("guess".to_owned());
        let c = check(dir.path(), &wrong, None, None).unwrap();
        assert!(!c.valid && !c.key_valid && c.edited.is_empty());

        std::fs::write(dir.path().join("attempts/1/verdict.json"), "{\"passed\":true}").unwrap();
        std::fs::write(dir.path().join("extra.txt"), "x").unwrap();
        std::fs::remove_file(dir.path().join("repro.json")).unwrap();
        let c = check(dir.path(), &right, None, None).unwrap();
        assert!(!c.valid && c.key_valid);
        assert_eq!(
            (c.edited, c.missing, c.added),
            (vec!["attempts/1/verdict.json".to_owned()], vec!["repro.json".to_owned()], vec!["extra.txt".to_owned()])
        );
        assert!(check(dir.path(), &|_: &str| None, None, None).is_err(), "an unset key is a usage error");
    }

    #[test]
    fn an_ed25519_attestation_is_judged_by_the_pinned_key_when_one_is_given() {
        let dir = bundle();
        let key = SecretKey::from_seed([7; 32], Some("ci".into()));
        attest(dir.path(), &Key::Ed25519(&key)).unwrap();
        let none = |_: &str| None;
        assert!(check(dir.path(), &none, None, None).unwrap().valid);
        assert!(check(dir.path(), &none, None, Some(&key.public())).unwrap().valid);
        let other = SecretKey::from_seed([8; 32], None).public();
        assert!(!check(dir.path(), &none, None, Some(&other)).unwrap().valid);
        // A manifest rewritten to match an edit breaks the signature.
        std::fs::write(dir.path().join("repro.json"), "{\"edited\":1}").unwrap();
        let mut a: Attestation =
            serde_json::from_slice(&std::fs::read(dir.path().join(ATTESTATION_FILE)).unwrap()).unwrap();
        a.files.insert("repro.json".into(), crate::core::hash::sha256_hex(b"{\"edited\":1}"));
        std::fs::write(dir.path().join(ATTESTATION_FILE), serde_json::to_vec(&a).unwrap()).unwrap();
        let c = check(dir.path(), &none, None, None).unwrap();
        assert!(c.edited.is_empty() && !c.key_valid && !c.valid);
    }
}
