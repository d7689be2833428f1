//! `pruv.toml`, read by the parts of pruv that keep a table in it
//! (`[diff]`, `[ledger]`, `[run]`): each reads the whole file into its own
//! typed view and ignores the other tables.

use std::path::Path;

use crate::core::sign::PublicKey;

/// The policy file's name, looked for in the working directory.
pub const POLICY_FILE: &str = "pruv.toml";

/// Reads `path` (capped like every input) as TOML into `T`; the message names the file.
pub fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    parse(&read_text(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// The policy file's text. A policy is a few lines; the cap keeps a wrong
/// path (a device) from being read forever.
pub fn read_text(path: &Path) -> Result<String, String> {
    let origin = path.display().to_string();
    let bytes =
        crate::bounded::read_file(path, &origin, crate::bounded::DEFAULT_MAX_INPUT).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| format!("{origin}: not UTF-8 text"))
}

/// TOML text into `T`; the error on one line (toml's points at the place over several).
pub fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e| e.to_string().split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A pinned key as a policy names it: a key file relative to the policy
/// file, or the key itself in base64 or hex.
pub fn pinned_key(policy: &Path, key: &str) -> Result<PublicKey, String> {
    let file = policy.parent().unwrap_or(Path::new(".")).join(key);
    if file.is_file() { PublicKey::load(&file) } else { PublicKey::resolve(key) }.map_err(|e| e.to_string())
}
