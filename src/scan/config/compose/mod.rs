//! docker compose, read as docker compose reads it.
//!
//! Each compose file is parsed on its own (in parallel, cached) into its
//! YAML tree; [`project::projects`] then does what `docker compose config`
//! does across files: finds each project's files, interpolates `${…}` from
//! the project's `.env`, applies `include` and `extends`, and merges the
//! files in order into one definition per service.

pub mod project;
pub mod render;
mod service;

pub use project::{Project, project_of, projects};
pub use service::join;

use serde::{Deserialize, Serialize};

use super::yaml::{self, Node};

/// One compose file as written: its first YAML document (compose reads one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposeFile {
    pub document: Node,
}

pub fn parse(text: &str) -> Result<ComposeFile, String> {
    let document = yaml::parse(text)?.into_iter().next().unwrap_or_else(|| Node::new(1, yaml::Yaml::Null));
    Ok(ComposeFile { document })
}

/// Whether a YAML document of any name is a compose file: a `services` map
/// whose entries build or run something, or a compose v1 file (services at
/// the top level, no `services` key).
pub fn looks_like_compose(document: &Node) -> bool {
    let runs = |service: &Node| {
        service.get("build").is_some()
            || service.get("image").and_then(Node::str).is_some()
            || service.get("extends").is_some()
    };
    match document.get("services") {
        Some(services) => !services.entries().is_empty() && services.entries().iter().all(|(_, s)| runs(s)),
        None => {
            let entries = document.entries();
            !entries.is_empty()
                && document.get("apiVersion").is_none()
                && entries.iter().all(|(name, s)| runs(s) || name.starts_with("x-") || name == "version")
                && entries.iter().any(|(_, s)| runs(s))
        }
    }
}

/// The services of a document: the `services` map, or for compose v1 the top level.
pub(crate) fn service_entries(document: &Node) -> Vec<(&str, &Node)> {
    match document.get("services") {
        Some(services) => services.entries().iter().map(|(k, v)| (k.as_str(), v)).collect(),
        None => document
            .entries()
            .iter()
            .filter(|(name, node)| {
                !name.starts_with("x-")
                    && !matches!(
                        name.as_str(),
                        "version" | "name" | "include" | "networks" | "volumes" | "secrets" | "configs"
                    )
                    && node.get("image").is_some() | node.get("build").is_some() | node.get("extends").is_some()
            })
            .map(|(k, v)| (k.as_str(), v))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_compose_documents() {
        let yes = [
            "services:\n  web:\n    image: nginx\n",
            "services:\n  api:\n    build: .\n",
            "web:\n  image: nginx\ndb:\n  image: postgres\n",
            "version: '2'\nservices:\n  a:\n    extends: {file: base.yml, service: a}\n",
        ];
        let no = [
            "apiVersion: v1\nkind: Service\n",
            "services:\n  - postgres\n",
            "services:\n  api:\n    image:\n      repository: x\n",
            "name: ci\non: push\n",
        ];
        for text in yes {
            assert!(looks_like_compose(&parse(text).unwrap().document), "{text}");
        }
        for text in no {
            assert!(!looks_like_compose(&parse(text).unwrap().document), "{text}");
        }
    }
}
