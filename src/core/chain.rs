//! A chain and its self-contained JSON document (`pruv.chain/1`).
//!
//! The document is xycore's chain shape (`id`, `name`, `entries`,
//! `auto_redact`, `auto_checkpoint`, `checkpoint_interval`, `length`,
//! `head`, `root`) plus a `format` marker and, when the exporter signs,
//! a `signed_head` that binds every byte of every entry and the length.

use super::entry::{Entry, FieldError, Transition};
use super::hash::GENESIS;
use super::json::{self, Map, Number, Value};
use super::sign::SecretKey;

pub const CHAIN_FORMAT: &str = "pruv.chain/1";
/// Domain separator of the signed-head message.
pub const SIGNED_HEAD_CONTEXT: &str = "pruv.signed_head/1:";
/// Domain separator of a signed head that also binds the chain's name.
pub const SIGNED_HEAD_CONTEXT_V2: &str = "pruv.signed_head/2:";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub id: String,
    pub name: String,
    pub entries: Vec<Entry>,
    pub auto_redact: bool,
    pub auto_checkpoint: bool,
    pub checkpoint_interval: u64,
}

impl Chain {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Chain {
        Chain {
            id: id.into(),
            name: name.into(),
            entries: Vec::new(),
            auto_redact: false,
            auto_checkpoint: false,
            checkpoint_interval: 20,
        }
    }

    /// The last `y`, or `GENESIS` for an empty chain.
    pub fn head(&self) -> &str {
        self.entries.last().map_or(GENESIS, |e| e.y.as_str())
    }

    /// Entry 0's `xy`.
    pub fn root(&self) -> Option<&str> {
        self.entries.first().map(|e| e.xy.as_str())
    }

    pub fn append(&mut self, transition: Transition, key: Option<&SecretKey>) -> &Entry {
        let previous_y = self.entries.last().map(|e| e.y.as_str());
        let entry = Entry::next(self.entries.len() as u64, previous_y, transition, key);
        self.entries.push(entry);
        self.entries.last().expect("just pushed")
    }

    /// The exported document; with a key, it carries a signed head.
    pub fn to_document(&self, head_key: Option<&SecretKey>) -> Value {
        let entries: Vec<Value> = self.entries.iter().map(Entry::to_value).collect();
        let mut map = Map::new();
        map.insert("format".into(), CHAIN_FORMAT.into());
        map.insert("id".into(), self.id.as_str().into());
        map.insert("name".into(), self.name.as_str().into());
        if let Some(key) = head_key {
            map.insert("signed_head".into(), SignedHead::sign(self, &entries, key).to_value());
        }
        map.insert("entries".into(), Value::Array(entries));
        map.insert("auto_redact".into(), self.auto_redact.into());
        map.insert("auto_checkpoint".into(), self.auto_checkpoint.into());
        map.insert("checkpoint_interval".into(), self.checkpoint_interval.into());
        map.insert("length".into(), (self.entries.len() as u64).into());
        map.insert("head".into(), self.head().into());
        map.insert("root".into(), self.root().map_or(Value::Null, Value::from));
        Value::Object(map)
    }
}

/// SHA-256 of the canonical JSON of the entries array: every field of every
/// entry. Streamed entry by entry, never building the whole text.
pub fn entries_digest<'a>(entries: impl IntoIterator<Item = &'a Value>) -> String {
    use sha2::{Digest as _, Sha256};
    let mut hasher = Sha256::new();
    let mut buffer = String::new();
    hasher.update(b"[");
    for (i, entry) in entries.into_iter().enumerate() {
        if i > 0 {
            hasher.update(b",");
        }
        buffer.clear();
        json::canonical_into(entry, &mut buffer);
        hasher.update(buffer.as_bytes());
    }
    hasher.update(b"]");
    hex::encode(hasher.finalize())
}

/// A signature over the chain's extent and content, so that cutting
/// entries off the end, or editing fields the proof hash does not cover
/// (`status`, `metadata`, `x_state`, `signer_id`), is detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHead {
    pub chain_id: String,
    /// The chain's name; `None` in heads signed before names were bound.
    pub name: Option<String>,
    pub length: u64,
    pub head: String,
    pub root: Option<String>,
    pub entries_digest: String,
    pub signer_id: Option<String>,
    pub public_key: String,
    pub signature: String,
}

impl SignedHead {
    fn sign(chain: &Chain, entries: &[Value], key: &SecretKey) -> SignedHead {
        let mut head = SignedHead {
            chain_id: chain.id.clone(),
            name: Some(chain.name.clone()),
            length: chain.entries.len() as u64,
            head: chain.head().to_owned(),
            root: chain.root().map(str::to_owned),
            entries_digest: entries_digest(entries),
            signer_id: Some(key.signer_id.clone()),
            public_key: key.public().to_base64(),
            signature: String::new(),
        };
        head.signature = key.sign_base64(head.message().as_bytes());
        head
    }

    /// What is signed: the context string, then the canonical JSON of
    /// `{chain_id, entries_digest, head, length, name, root}` (without
    /// `name` and under the `/1` context for heads signed before names were
    /// bound, so those still verify; dropping the name breaks the signature).
    pub fn message(&self) -> String {
        let mut map = Map::new();
        map.insert("chain_id".into(), self.chain_id.as_str().into());
        if let Some(name) = &self.name {
            map.insert("name".into(), name.as_str().into());
        }
        map.insert("entries_digest".into(), self.entries_digest.as_str().into());
        map.insert("head".into(), self.head.as_str().into());
        map.insert("length".into(), self.length.into());
        map.insert("root".into(), self.root.as_deref().map_or(Value::Null, Value::from));
        let context = if self.name.is_some() { SIGNED_HEAD_CONTEXT_V2 } else { SIGNED_HEAD_CONTEXT };
        format!("{context}{}", json::canonical(&Value::Object(map)))
    }

    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("chain_id".into(), self.chain_id.as_str().into());
        if let Some(name) = &self.name {
            map.insert("name".into(), name.as_str().into());
        }
        map.insert("length".into(), self.length.into());
        map.insert("head".into(), self.head.as_str().into());
        map.insert("root".into(), self.root.as_deref().map_or(Value::Null, Value::from));
        map.insert("entries_digest".into(), self.entries_digest.as_str().into());
        if let Some(id) = &self.signer_id {
            map.insert("signer_id".into(), id.as_str().into());
        }
        map.insert("public_key".into(), self.public_key.as_str().into());
        map.insert("signature".into(), self.signature.as_str().into());
        Value::Object(map)
    }

    pub fn from_value(value: &Value) -> Result<SignedHead, String> {
        let map = value.as_object().ok_or("`signed_head` must be an object")?;
        let string = |field: &str| {
            map.get(field)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(format!("`signed_head.{field}` must be a string"))
        };
        Ok(SignedHead {
            chain_id: string("chain_id")?,
            name: match map.get("name") {
                None => None,
                Some(_) => Some(string("name")?),
            },
            length: map
                .get("length")
                .and_then(Value::as_number)
                .and_then(Number::as_u64)
                .ok_or("`signed_head.length` must be a non-negative integer")?,
            head: string("head")?,
            root: match map.get("root") {
                None | Some(Value::Null) => None,
                Some(_) => Some(string("root")?),
            },
            entries_digest: string("entries_digest")?,
            signer_id: map.get("signer_id").and_then(Value::as_str).map(str::to_owned),
            public_key: string("public_key")?,
            signature: string("signature")?,
        })
    }
}

/// A chain document as read, before anything is trusted: each entry is
/// either well-formed or the reason it is not, so that verification can
/// name the entry instead of rejecting the whole file.
#[derive(Debug, Clone)]
pub struct ChainDocument {
    pub format: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    pub entries: Vec<Result<Entry, FieldError>>,
    /// The digest of the entries as read, when there is a signed head to check it against.
    pub entries_digest: Option<String>,
    pub auto_redact: bool,
    pub auto_checkpoint: bool,
    pub checkpoint_interval: u64,
    pub declared_length: Option<Value>,
    pub declared_head: Option<Value>,
    pub declared_root: Option<Value>,
    pub signed_head: Option<Value>,
}

/// Why a JSON value is not a chain document at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("expected a chain document (a JSON object), found {0}")]
    NotAnObject(&'static str),
    #[error("not a chain document: no `entries` array")]
    NoEntries,
}

impl ChainDocument {
    /// Reads a document, taking the parsed value apart rather than copying it.
    pub fn from_value(value: Value) -> Result<ChainDocument, DocumentError> {
        let Value::Object(mut map) = value else {
            return Err(DocumentError::NotAnObject(value.kind()));
        };
        let Some(Value::Array(items)) = map.swap_remove("entries") else {
            return Err(DocumentError::NoEntries);
        };
        let signed_head = map.swap_remove("signed_head");
        let entries_digest = signed_head.as_ref().map(|_| entries_digest(&items));
        let text = |field: &str| map.get(field).and_then(Value::as_str).map(str::to_owned);
        let flag = |field: &str, default: bool| map.get(field).and_then(Value::as_bool).unwrap_or(default);
        Ok(ChainDocument {
            format: text("format"),
            id: text("id"),
            name: text("name"),
            auto_redact: flag("auto_redact", true),
            auto_checkpoint: flag("auto_checkpoint", false),
            checkpoint_interval: map
                .get("checkpoint_interval")
                .and_then(Value::as_number)
                .and_then(Number::as_u64)
                .unwrap_or(20),
            declared_length: map.swap_remove("length"),
            declared_head: map.swap_remove("head"),
            declared_root: map.swap_remove("root"),
            signed_head,
            entries_digest,
            entries: items.into_iter().map(Entry::from_value).collect(),
        })
    }

    /// The chain, when every entry is well-formed and the document names an id.
    pub fn into_chain(self) -> Option<Chain> {
        let entries = self.entries.into_iter().collect::<Result<Vec<_>, _>>().ok()?;
        Some(Chain {
            id: self.id?,
            name: self.name.unwrap_or_else(|| "default".into()),
            entries,
            auto_redact: self.auto_redact,
            auto_checkpoint: self.auto_checkpoint,
            checkpoint_interval: self.checkpoint_interval,
        })
    }
}
