//! A JSON value model that keeps what hashing needs and serde_json drops.
//!
//! Proof hashes are computed over CPython's `json.dumps` output, so the
//! model must keep integers distinct from floats (`1` and `1.0` hash
//! differently), keep integers of any size exactly, and keep object key
//! order as written (documents are re-emitted in their original order;
//! only the canonical form sorts keys).

mod float;
mod parse;
mod write;

pub use float::python_float_repr;
pub use parse::{MAX_DEPTH, ParseError, parse};
pub use write::{canonical, canonical_into, compact, pretty};

use indexmap::IndexMap;

/// An object: keys in the order they were first written; a repeated key
/// keeps its first position and its last value, as Python's `dict` does.
pub type Map = IndexMap<String, Value>;

#[derive(Debug, Clone)]
pub enum Number {
    /// An integer in normalised decimal form: optional `-`, no leading zeros, never `-0`.
    Int(Box<str>),
    Float(f64),
}

impl Number {
    /// Builds an integer from decimal digits with an optional leading `-`.
    /// Returns `None` when `text` is not such a literal.
    pub fn int_from_decimal(text: &str) -> Option<Number> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let trimmed = digits.trim_start_matches('0');
        let normalised = match (trimmed.is_empty(), negative) {
            (true, _) => "0".to_owned(),
            (false, true) => format!("-{trimmed}"),
            (false, false) => trimmed.to_owned(),
        };
        Some(Number::Int(normalised.into_boxed_str()))
    }

    /// The number as Python would print it (`str(int)` or `repr(float)`).
    pub fn render(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Number::Int(digits) => std::borrow::Cow::Borrowed(digits),
            Number::Float(f) => std::borrow::Cow::Owned(python_float_repr(*f)),
        }
    }

    /// The value as seconds, for display; exact for every integer that fits an f64.
    pub fn as_f64(&self) -> f64 {
        match self {
            Number::Int(digits) => digits.parse().unwrap_or(f64::NAN),
            Number::Float(f) => *f,
        }
    }

    /// The value as a u64 when it is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Number::Int(digits) => digits.parse().ok(),
            Number::Float(_) => None,
        }
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number::Int(n.to_string().into_boxed_str())
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Self {
        Number::Int(n.to_string().into_boxed_str())
    }
}

impl From<f64> for Number {
    fn from(f: f64) -> Self {
        Number::Float(f)
    }
}

/// Two numbers are equal when they hash alike: same kind and, for floats,
/// the same bits (so `NaN == NaN` and `0.0 != -0.0`, matching their
/// canonical text).
impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (Number::Float(a), Number::Float(b)) => a.to_bits() == b.to_bits(),
            _ => false,
        }
    }
}

impl Eq for Number {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The JSON type name used in error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(Number::Int(_)) => "an integer",
            Value::Number(Number::Float(_)) => "a float",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    pub fn empty_object() -> Value {
        Value::Object(Map::new())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(n.into())
    }
}
