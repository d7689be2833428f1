//! The two hashes of the `xy/1` protocol.

use sha2::{Digest, Sha256};

use super::json::{self, Number, Value};

/// The `x` of every chain's first entry.
pub const GENESIS: &str = "GENESIS";

/// Prefix of every proof hash.
pub const PROOF_PREFIX: &str = "xy_";

/// A hash shortened for messages and tables: enough to tell two apart.
/// Counted in characters: a hash read from a tampered document may hold
/// anything, and cutting inside a multi-byte character panicked.
pub fn short_hash(hash: &str) -> String {
    let keep = if hash.starts_with(PROOF_PREFIX) { 15 } else { 12 };
    if hash.chars().count() > keep + 1 {
        format!("{}…", hash.chars().take(keep).collect::<String>())
    } else {
        hash.to_owned()
    }
}

#[cfg(test)]
mod short_hash_tests {
    /// Found by tests/fuzz.rs: a non-ASCII character where a hash was expected.
    #[test]
    fn a_non_ascii_hash_is_cut_at_a_character() {
        assert_eq!(super::short_hash("xy_a000bf3822\u{fffd}9c6c9edb1ad2c186"), "xy_a000bf3822\u{fffd}9…");
        assert_eq!(super::short_hash("abc"), "abc");
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The state hash (`x`, `y`): SHA-256 of the state's canonical JSON.
pub fn state_hash(state: &Value) -> String {
    sha256_hex(json::canonical(state).as_bytes())
}

/// The hash of a missing state, which the protocol defines as `{}`.
pub fn empty_state_hash() -> String {
    state_hash(&Value::empty_object())
}

/// The proof hash: `xy_` + SHA-256 of `{x}:{operation}:{y}:{timestamp}`,
/// the timestamp rendered as Python renders the parsed number.
pub fn proof_hash(x: &str, operation: &str, y: &str, timestamp: &Number) -> String {
    let message = format!("{x}:{operation}:{y}:{}", timestamp.render());
    format!("{PROOF_PREFIX}{}", sha256_hex(message.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_state_hash_is_the_spec_constant() {
        assert_eq!(empty_state_hash(), "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }

    #[test]
    fn spec_example_state_hash() {
        let value = json::parse(r#"{"b":1,"a":[1.0,2.5,null,true],"é":"ü😀","n":1e16,"m":1e-5,"z":0.1}"#).unwrap();
        assert_eq!(state_hash(&value), "e4bce12a7f08853451e520ce84c7a2e48ebc3f3e058e8d2f256232ffdab40374");
    }

    #[test]
    fn proof_hash_binds_the_timestamp_type() {
        let empty = empty_state_hash();
        let cases = [
            ("1700000000.0", "xy_a0f28e1536723e2d4b0c6fe11abcd5c9027cdc55e734a0f54ee936de4770072d"),
            ("1700000000.123456", "xy_194243f9790e1f30f0c434eceae6696439c2c6a34af13e5b218c69f5e8651d90"),
            ("1700000000", "xy_9a47c8f017b157d11405a602b9fac76b966ec1d89d9dbe39ad75096034b8fcbc"),
            ("1e16", "xy_c3e88e0dbe2d9743b19451e73ea89d5e0676193b8e7c3b5856a1375f09c89aa2"),
            // Re-rendered from the parsed number, never copied from the source text.
            ("1700000000.00", "xy_a0f28e1536723e2d4b0c6fe11abcd5c9027cdc55e734a0f54ee936de4770072d"),
        ];
        for (text, expected) in cases {
            let Value::Number(ts) = json::parse(text).unwrap() else { panic!("{text}") };
            assert_eq!(proof_hash(GENESIS, "op", &empty, &ts), expected, "timestamp {text}");
        }
    }
}
