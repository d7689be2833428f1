//! A scan as a chain: one entry per file, sorted by path (its state: path,
//! sha256, size), then a final `scan` entry carrying `tree_hash` and
//! `graph_hash`. It verifies with `pruv verify` like any other chain.

use super::model::ScanDocument;
use crate::core::chain::Chain;
use crate::core::entry::Transition;
use crate::core::json::{Map, Number, Value};

pub fn scan_chain(document: &ScanDocument, id: &str, timestamp: f64) -> Chain {
    let mut chain = Chain::new(id, format!("scan of {}", document.root));
    let at = |operation: &str, state: Map| {
        let mut transition = Transition::new(operation, Some(Value::Object(state)));
        transition.timestamp = Some(Number::Float(timestamp));
        transition
    };
    for file in &document.files {
        let mut state = Map::new();
        state.insert("path".into(), file.path.as_str().into());
        state.insert("sha256".into(), file.sha256.as_str().into());
        state.insert("size".into(), file.size.into());
        chain.append(at("file", state), None);
    }
    let mut state = Map::new();
    state.insert("format".into(), document.format.as_str().into());
    state.insert("root".into(), document.root.as_str().into());
    state.insert("files".into(), (document.files.len() as u64).into());
    state.insert("tree_hash".into(), document.tree_hash.as_str().into());
    state.insert("graph_hash".into(), document.graph_hash.as_str().into());
    // A receipt of an incomplete scan says so; a complete scan's entry is as it always was.
    if document.stats.skipped > 0 {
        state.insert("skipped".into(), document.stats.skipped.into());
        let excluded: Vec<Value> =
            document.skipped.iter().filter(|s| s.excluded).map(|s| Value::from(s.path.as_str())).collect();
        state.insert("left_out".into(), Value::Array(excluded));
    }
    chain.append(at("scan", state), None);
    chain
}
