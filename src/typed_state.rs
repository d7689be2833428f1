//! The small typed objects that identity and provenance chains carry as
//! entry states (`{"type": "pruv.identity/1", …}`): building them, and
//! reading them back with an error that names the field.

use crate::core::json::{Map, Value};

/// Builds an object from (key, value) pairs, keeping their order (also
/// what the graph hash and the scan history hash are built from).
pub fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// An optional string as a JSON value (`null` when absent).
pub fn optional(value: Option<&str>) -> Value {
    value.map_or(Value::Null, Value::from)
}

/// A list of strings as a JSON array.
pub fn strings(values: &[String]) -> Value {
    Value::Array(values.iter().map(|s| Value::from(s.as_str())).collect())
}

/// Read access to a state object, with messages naming the field.
pub struct Fields<'a> {
    map: &'a Map,
}

impl<'a> Fields<'a> {
    /// The state as an object whose `type` is `expected`.
    pub fn of(state: Option<&'a Value>, expected: &str) -> Result<Fields<'a>, String> {
        let map = state.and_then(Value::as_object).ok_or_else(|| format!("the state is not a {expected} object"))?;
        match map.get("type").and_then(Value::as_str) {
            Some(found) if found == expected => Ok(Fields { map }),
            Some(found) => Err(format!("the state's type is {found:?}, expected {expected:?}")),
            None => Err(format!("the state has no `type` (expected {expected:?})")),
        }
    }

    /// The `type` of a state, if it has one.
    pub fn type_of(state: Option<&Value>) -> Option<&str> {
        state?.as_object()?.get("type")?.as_str()
    }

    pub fn string(&self, field: &str) -> Result<String, String> {
        self.map
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("`{field}` must be a string"))
    }

    pub fn optional_string(&self, field: &str) -> Result<Option<String>, String> {
        match self.map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("`{field}` must be a string or null, found {}", other.kind())),
        }
    }

    pub fn bool(&self, field: &str) -> Result<bool, String> {
        self.map.get(field).and_then(Value::as_bool).ok_or_else(|| format!("`{field}` must be a boolean"))
    }

    pub fn strings(&self, field: &str) -> Result<Vec<String>, String> {
        let error = || format!("`{field}` must be an array of strings");
        let Some(Value::Array(items)) = self.map.get(field) else { return Err(error()) };
        items.iter().map(|v| v.as_str().map(str::to_owned).ok_or_else(error)).collect()
    }

    /// An optional RFC 3339 time, as epoch seconds.
    pub fn optional_time(&self, field: &str) -> Result<Option<f64>, String> {
        self.optional_string(field)?
            .map(|text| crate::core::time::parse_rfc3339(&text).map_err(|e| format!("`{field}`: {e}")))
            .transpose()
    }
}

/// Finds the chain that `argument` names (its id, its full name, or NAME
/// under `prefix`) when entry 0 has type `expected`; `None` when there is
/// no such chain, an error when the chain found is of another kind.
pub fn find_typed_chain(
    store: &crate::store::Store,
    argument: &str,
    prefix: &str,
    expected: &str,
) -> crate::error::Result<Option<crate::core::chain::Chain>> {
    use crate::error::Error;
    let mut other_kind = None;
    for candidate in [argument.to_owned(), format!("{prefix}{argument}")] {
        let info = match store.resolve(&candidate) {
            Ok(info) => info,
            Err(Error::UnknownChain { .. }) => continue,
            Err(other) => return Err(other),
        };
        let chain = store.load(&info.id)?;
        if Fields::type_of(chain.entries.first().and_then(|e| e.y_state.as_ref())) == Some(expected) {
            return Ok(Some(chain));
        }
        other_kind.get_or_insert(chain.name);
    }
    match other_kind {
        Some(name) => Err(Error::InvalidInput(format!(
            "chain {name:?} is not a {expected} chain (its entry 0 holds no {expected} record)"
        ))),
        None => Ok(None),
    }
}

/// Every chain in the store whose name starts with `prefix` and whose entry 0 has type `expected`.
pub fn list_typed_chains(
    store: &crate::store::Store,
    prefix: &str,
    expected: &str,
) -> crate::error::Result<Vec<crate::core::chain::Chain>> {
    let mut chains = Vec::new();
    for info in store.list()?.into_iter().filter(|c| c.name.starts_with(prefix)) {
        let chain = store.load(&info.id)?;
        if Fields::type_of(chain.entries.first().and_then(|e| e.y_state.as_ref())) == Some(expected) {
            chains.push(chain);
        }
    }
    Ok(chains)
}
