//! Ed25519 keys and signatures.
//!
//! Keys are the raw 32-byte seed and the raw 32-byte public key, as in
//! xycore; signatures and public keys travel as standard padded base64.
//! Key files are small JSON documents (the shape of xycore's test key
//! file, so that file loads too).

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

use super::hash::sha256_hex;
use super::json::{self, Map, Value};

pub const SECRET_KEY_FORMAT: &str = "pruv.key/1";
pub const PUBLIC_KEY_FORMAT: &str = "pruv.pub/1";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read key file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

fn invalid(origin: &str, message: impl Into<String>) -> KeyError {
    KeyError::Invalid { origin: origin.to_owned(), message: message.into() }
}

/// A signing key with the label written into `signer_id`.
pub struct SecretKey {
    signing: SigningKey,
    pub signer_id: String,
}

impl SecretKey {
    /// A new random key.
    pub fn generate(signer_id: Option<String>) -> Result<SecretKey, getrandom::Error> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)?;
        Ok(Self::from_seed(seed, signer_id))
    }

    pub fn from_seed(seed: [u8; 32], signer_id: Option<String>) -> SecretKey {
        let signing = SigningKey::from_bytes(&seed);
        let public = PublicKey(signing.verifying_key());
        let signer_id = signer_id.unwrap_or_else(|| public.fingerprint());
        SecretKey { signing, signer_id }
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.signing.verifying_key())
    }

    /// Signs `message` and returns the signature in base64.
    pub fn sign_base64(&self, message: &[u8]) -> String {
        BASE64.encode(self.signing.sign(message).to_bytes())
    }

    /// The key file: `{"format", "algorithm", "signer_id", "seed_hex", "public_key_b64"}`.
    pub fn to_file_contents(&self) -> String {
        let mut map = Map::new();
        map.insert("format".into(), SECRET_KEY_FORMAT.into());
        map.insert("algorithm".into(), "ed25519".into());
        map.insert("signer_id".into(), self.signer_id.clone().into());
        map.insert("seed_hex".into(), hex::encode(self.signing.to_bytes()).into());
        map.insert("public_key_b64".into(), self.public().to_base64().into());
        json::pretty(&Value::Object(map))
    }

    /// Loads a secret key file (pruv's, or xycore's `seed_hex` shape).
    pub fn load(path: &Path) -> Result<SecretKey, KeyError> {
        let origin = path.display().to_string();
        let text = read_key_file(path)?;
        let value = json::parse(&text).map_err(|e| invalid(&origin, format!("not a key file ({e})")))?;
        let map = value.as_object().ok_or_else(|| invalid(&origin, "not a key file (expected a JSON object)"))?;
        let seed_hex = map.get("seed_hex").and_then(Value::as_str).ok_or_else(|| {
            invalid(&origin, "no `seed_hex`: this is not a secret key file (`pruv key generate` writes one)")
        })?;
        let seed: [u8; 32] = hex::decode(seed_hex)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| invalid(&origin, "`seed_hex` must be 64 hex digits"))?;
        let signer_id = map.get("signer_id").and_then(Value::as_str).map(str::to_owned);
        let key = SecretKey::from_seed(seed, signer_id);
        if let Some(stated) = map.get("public_key_b64").and_then(Value::as_str)
            && stated != key.public().to_base64()
        {
            return Err(invalid(&origin, "`public_key_b64` does not belong to `seed_hex`; the file is damaged"));
        }
        Ok(key)
    }
}

/// A verifying key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}

impl PublicKey {
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0.to_bytes())
    }

    /// A short stable label: `key-` and 12 hex digits of the key's SHA-256.
    pub fn fingerprint(&self) -> String {
        format!("key-{}", &sha256_hex(&self.0.to_bytes())[..12])
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<PublicKey> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        VerifyingKey::from_bytes(&bytes).ok().map(PublicKey)
    }

    /// A raw key: 32 bytes as standard base64 or as 64 hex digits.
    pub fn from_text(text: &str) -> Option<PublicKey> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(text).ok()?
        } else {
            BASE64.decode(text).ok()?
        };
        Self::from_bytes(&bytes)
    }

    /// Resolves what a user gave as a public key: a public key file (JSON
    /// or raw text), else the key itself in base64 or hex.
    pub fn resolve(argument: &str) -> Result<PublicKey, KeyError> {
        let path = Path::new(argument);
        if path.is_file() {
            return Self::load(path);
        }
        Self::from_text(argument).ok_or_else(|| {
            invalid(argument, "not a key file, nor an Ed25519 public key in base64 (44 characters) or hex (64 digits)")
        })
    }

    pub fn load(path: &Path) -> Result<PublicKey, KeyError> {
        let origin = path.display().to_string();
        let text = read_key_file(path)?;
        if let Ok(Value::Object(map)) = json::parse(&text) {
            // A secret key where a public one belongs means the secret was
            // handed around as if it were public: refused, not used.
            if map.contains_key("seed_hex") {
                return Err(invalid(
                    &origin,
                    "this is a secret key file; give the public key (the `.pub` file `pruv key generate` wrote beside it)",
                ));
            }
            let stated = map.get("public_key_b64").or_else(|| map.get("public_key")).and_then(Value::as_str);
            return stated
                .and_then(Self::from_text)
                .ok_or_else(|| invalid(&origin, "no valid `public_key_b64` in this key file"));
        }
        Self::from_text(&text).ok_or_else(|| invalid(&origin, "not a key file, nor a base64 or hex public key"))
    }

    /// The public key file: `{"format", "algorithm", "signer_id", "public_key_b64"}`.
    pub fn to_file_contents(&self, signer_id: &str) -> String {
        let mut map = Map::new();
        map.insert("format".into(), PUBLIC_KEY_FORMAT.into());
        map.insert("algorithm".into(), "ed25519".into());
        map.insert("signer_id".into(), signer_id.into());
        map.insert("public_key_b64".into(), self.to_base64().into());
        json::pretty(&Value::Object(map))
    }

    /// Checks a base64 signature over `message`, with the strict rules
    /// libsodium (xycore's backend) also applies.
    pub fn verify_base64(&self, message: &[u8], signature_b64: &str) -> Result<(), SignatureProblem> {
        let bytes = BASE64.decode(signature_b64).map_err(|_| SignatureProblem::NotBase64)?;
        let bytes: [u8; 64] = bytes.try_into().map_err(|_| SignatureProblem::WrongLength)?;
        self.0.verify_strict(message, &Signature::from_bytes(&bytes)).map_err(|_| SignatureProblem::Mismatch)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureProblem {
    NotBase64,
    WrongLength,
    Mismatch,
}

impl std::fmt::Display for SignatureProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignatureProblem::NotBase64 => "signature is not valid base64",
            SignatureProblem::WrongLength => "signature is not 64 bytes",
            SignatureProblem::Mismatch => "signature does not match",
        })
    }
}

/// A key file's text; a key is a few hundred bytes, so more than
/// [`crate::bounded::MAX_KEY_FILE`] (or an endless device) is not one.
fn read_key_file(path: &Path) -> Result<String, KeyError> {
    use std::io::Read as _;
    let read = |source| KeyError::Read { path: path.to_owned(), source };
    let metadata = std::fs::metadata(path).map_err(read)?;
    if !metadata.is_file() {
        return Err(invalid(&path.display().to_string(), "not a regular file; give a key file"));
    }
    let file = std::fs::File::open(path).map_err(read)?;
    let mut bytes = Vec::new();
    file.take(crate::bounded::MAX_KEY_FILE + 1).read_to_end(&mut bytes).map_err(read)?;
    if bytes.len() as u64 > crate::bounded::MAX_KEY_FILE {
        return Err(invalid(
            &path.display().to_string(),
            "far too big to be a key file; give the file `pruv key generate` wrote",
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| invalid(&path.display().to_string(), "not text; give the file `pruv key generate` wrote"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_round_trip() {
        let key = SecretKey::generate(Some("tester".into())).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        std::fs::write(&path, key.to_file_contents()).unwrap();
        let loaded = SecretKey::load(&path).unwrap();
        assert_eq!(loaded.public(), key.public());
        assert_eq!(loaded.signer_id, "tester");
        let signature = loaded.sign_base64(b"m");
        assert!(key.public().verify_base64(b"m", &signature).is_ok());
        assert_eq!(key.public().verify_base64(b"n", &signature), Err(SignatureProblem::Mismatch));
    }

    #[test]
    fn public_key_accepts_base64_hex_and_files() {
        let key = SecretKey::from_seed([7; 32], None);
        let public = key.public();
        assert_eq!(PublicKey::resolve(&public.to_base64()).unwrap(), public);
        assert_eq!(PublicKey::resolve(&hex::encode(public.0.to_bytes())).unwrap(), public);
        let dir = tempfile::tempdir().unwrap();
        let pub_path = dir.path().join("k.pub");
        std::fs::write(&pub_path, public.to_file_contents("x")).unwrap();
        assert_eq!(PublicKey::resolve(pub_path.to_str().unwrap()).unwrap(), public);
        let sec_path = dir.path().join("k.key");
        std::fs::write(&sec_path, key.to_file_contents()).unwrap();
        // A secret key is never taken for a public one.
        assert!(matches!(PublicKey::resolve(sec_path.to_str().unwrap()), Err(KeyError::Invalid { .. })));
        assert!(PublicKey::resolve("not-a-key").is_err());
    }
}
