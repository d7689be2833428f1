//! CI workflows (GitHub Actions): `env:` at workflow, job and step level.

use super::EnvEntry;
use super::yaml::{self, Node};

pub fn parse(text: &str) -> Result<Vec<EnvEntry>, String> {
    let mut entries = Vec::new();
    for document in yaml::parse(text)? {
        collect(&document, &mut entries);
        for (_, job) in document.get("jobs").map(Node::entries).unwrap_or_default() {
            collect(job, &mut entries);
            for step in job.get("steps").map(Node::items).unwrap_or_default() {
                collect(step, &mut entries);
            }
        }
    }
    Ok(entries)
}

fn collect(node: &Node, out: &mut Vec<EnvEntry>) {
    for (name, value) in node.get("env").map(Node::entries).unwrap_or_default() {
        if crate::scan::extract::is_env_name(name) {
            out.push(EnvEntry { name: name.clone(), line: value.line, value: None, default: false });
        }
    }
}
