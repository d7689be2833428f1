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

/// A cheap look at the text before parsing it: a top-level `services:`
/// key, or (compose v1) top-level entries that each run an image, build or
/// extend at their first level. A 500 KB OpenAPI document that mentions
/// `image:` somewhere deep is not parsed to find out it is not compose.
pub fn may_be_compose(text: &str) -> bool {
    let mut blocks = 0;
    // (the block's child indentation, whether it runs something)
    let mut block: Option<(Option<usize>, bool)> = None;
    let mut all_run = true;
    for line in text.lines() {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') || line.starts_with("---") {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 {
            if content
                .strip_prefix("services:")
                .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
            {
                return true;
            }
            if let Some((_, runs)) = block.take() {
                all_run &= runs;
            }
            let key = content.split(':').next().unwrap_or("");
            if key != "version" && !key.starts_with("x-") && content.contains(':') {
                blocks += 1;
                block = Some((None, false));
            }
            continue;
        }
        if let Some((child, runs)) = &mut block {
            let child = *child.get_or_insert(indent);
            if indent == child && ["image:", "build:", "extends:"].iter().any(|k| content.starts_with(k)) {
                *runs = true;
            }
        }
    }
    if let Some((_, runs)) = block {
        all_run &= runs;
    }
    blocks > 0 && all_run
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
            "services: # the stack\n  api:\n    build: .\n",
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
            assert!(may_be_compose(text), "{text}");
            assert!(looks_like_compose(&parse(text).unwrap().document), "{text}");
        }
        // Worth no parse: an API description mentioning images, a v1-shaped
        // file one of whose entries runs nothing.
        for text in [
            "swagger: '2.0'\npaths:\n  /build:\n    post:\n      image: x\ndefinitions:\n  Image:\n    properties:\n      image: {}\n",
            "web:\n  image: nginx\nnotes:\n  text: hello\n",
            "# only a comment\n",
        ] {
            assert!(!may_be_compose(text), "{text}");
        }
        for text in no {
            assert!(!looks_like_compose(&parse(text).unwrap().document), "{text}");
        }
    }
}
