//! One state transition: the entry of an `xy/1` chain.

use super::hash::{GENESIS, empty_state_hash, proof_hash, state_hash};
use super::json::{Map, Number, Value};
use super::sign::SecretKey;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub index: u64,
    /// Epoch seconds, kept as parsed: its rendering is part of the proof.
    pub timestamp: Number,
    pub operation: String,
    /// Hash of the state before: the previous entry's `y`, or `GENESIS`.
    pub x: String,
    /// Hash of the state after.
    pub y: String,
    /// The proof hash binding x, operation, y and timestamp.
    pub xy: String,
    pub status: String,
    pub verified: bool,
    pub metadata: Value,
    pub x_state: Option<Value>,
    pub y_state: Option<Value>,
    pub signature: Option<String>,
    pub signer_id: Option<String>,
    pub public_key: Option<String>,
}

/// What a caller supplies to add an entry; the rest is derived.
#[derive(Debug, Clone)]
pub struct Transition {
    pub operation: String,
    /// The state before, when the caller records one (it is not hashed:
    /// `x` is the previous entry's `y`; what reads the state judges it).
    pub x_state: Option<Value>,
    pub y_state: Option<Value>,
    pub status: String,
    pub metadata: Value,
    /// `None` takes the time when the entry is made (inside the store's
    /// write lock, so entry order and time order agree).
    pub timestamp: Option<Number>,
}

impl Transition {
    pub fn new(operation: impl Into<String>, y_state: Option<Value>) -> Transition {
        Transition {
            operation: operation.into(),
            x_state: None,
            y_state,
            status: "success".into(),
            metadata: Value::empty_object(),
            timestamp: None,
        }
    }
}

/// A field of an entry document that is missing or has the wrong type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl Entry {
    /// Builds the entry that follows `previous_y` (None for the first entry).
    pub fn next(index: u64, previous_y: Option<&str>, transition: Transition, key: Option<&SecretKey>) -> Entry {
        let x = previous_y.unwrap_or(GENESIS).to_owned();
        let timestamp = transition.timestamp.unwrap_or_else(super::time::now);
        let y = transition.y_state.as_ref().map_or_else(empty_state_hash, state_hash);
        let xy = proof_hash(&x, &transition.operation, &y, &timestamp);
        let mut entry = Entry {
            index,
            timestamp,
            operation: transition.operation,
            x,
            y,
            xy,
            status: transition.status,
            verified: true,
            metadata: transition.metadata,
            x_state: transition.x_state,
            y_state: transition.y_state,
            signature: None,
            signer_id: None,
            public_key: None,
        };
        if let Some(key) = key {
            entry.sign(key);
        }
        entry
    }

    /// What an entry signature covers: `{x}:{operation}:{y}:{xy}`.
    pub fn signing_message(&self) -> String {
        format!("{}:{}:{}:{}", self.x, self.operation, self.y, self.xy)
    }

    pub fn sign(&mut self, key: &SecretKey) {
        self.signature = Some(key.sign_base64(self.signing_message().as_bytes()));
        self.public_key = Some(key.public().to_base64());
        self.signer_id = Some(key.signer_id.clone());
    }

    /// The document form, fields in the order xycore writes them.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("index".into(), self.index.into());
        map.insert("timestamp".into(), Value::Number(self.timestamp.clone()));
        map.insert("operation".into(), self.operation.as_str().into());
        map.insert("x".into(), self.x.as_str().into());
        map.insert("y".into(), self.y.as_str().into());
        map.insert("xy".into(), self.xy.as_str().into());
        map.insert("status".into(), self.status.as_str().into());
        map.insert("verified".into(), self.verified.into());
        map.insert("metadata".into(), self.metadata.clone());
        let optional = [
            ("x_state", self.x_state.clone()),
            ("y_state", self.y_state.clone()),
            ("signature", self.signature.clone().map(Value::String)),
            ("signer_id", self.signer_id.clone().map(Value::String)),
            ("public_key", self.public_key.clone().map(Value::String)),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                map.insert(name.into(), value);
            }
        }
        Value::Object(map)
    }

    /// Reads an entry document, taking the value apart. Fields xycore
    /// requires must be present; the others default as xycore's
    /// `from_dict` defaults them, and a `null` optional field counts as absent.
    pub fn from_value(value: Value) -> Result<Entry, FieldError> {
        let Value::Object(mut map) = value else {
            return Err(FieldError { field: "entry", message: format!("expected an object, found {}", value.kind()) });
        };
        let mut take = |field: &'static str| map.swap_remove(field).filter(|v| !matches!(v, Value::Null));
        let missing = |field: &'static str| FieldError { field, message: format!("`{field}` is missing") };
        let wrong = |field: &'static str, expected: &str, found: &Value| FieldError {
            field,
            message: format!("`{field}` must be {expected}, found {}", found.kind()),
        };
        let string = |field: &'static str, value: Option<Value>| -> Result<String, FieldError> {
            match value {
                Some(Value::String(s)) => Ok(s),
                Some(other) => Err(wrong(field, "a string", &other)),
                None => Err(missing(field)),
            }
        };
        let optional_string = |field: &'static str, value: Option<Value>| -> Result<Option<String>, FieldError> {
            value.map(|v| string(field, Some(v))).transpose()
        };

        let index = match take("index") {
            Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64().expect("checked"),
            Some(other) => return Err(wrong("index", "a non-negative integer", &other)),
            None => return Err(missing("index")),
        };
        let timestamp = match take("timestamp") {
            Some(Value::Number(n)) => n,
            Some(other) => return Err(wrong("timestamp", "a number", &other)),
            None => return Err(missing("timestamp")),
        };
        let operation = string("operation", take("operation"))?;
        let x = string("x", take("x"))?;
        let y = string("y", take("y"))?;
        let xy = string("xy", take("xy"))?;
        let status = optional_string("status", take("status"))?.unwrap_or_else(|| "success".into());
        let verified = match take("verified") {
            None => true,
            Some(Value::Bool(b)) => b,
            Some(other) => return Err(wrong("verified", "a boolean", &other)),
        };
        // `metadata: null` is kept as written: xycore re-emits it as null.
        let metadata = map.swap_remove("metadata").unwrap_or_else(Value::empty_object);
        let mut take = |field: &'static str| map.swap_remove(field).filter(|v| !matches!(v, Value::Null));
        Ok(Entry {
            index,
            timestamp,
            operation,
            x,
            y,
            xy,
            status,
            verified,
            metadata,
            x_state: take("x_state"),
            y_state: take("y_state"),
            signature: optional_string("signature", take("signature"))?,
            signer_id: optional_string("signer_id", take("signer_id"))?,
            public_key: optional_string("public_key", take("public_key"))?,
        })
    }
}
