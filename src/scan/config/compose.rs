//! docker-compose files: services, their build contexts, images, ports,
//! environment, env files and dependencies.

use super::yaml::{self, Node, Yaml};
use super::{ComposeService, EnvEntry, Port};

pub fn parse(path: &str, text: &str) -> Result<Vec<ComposeService>, String> {
    let documents = yaml::parse(text)?;
    let base = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut services = Vec::new();
    for document in &documents {
        // `x-…` extension blocks hold env shared through YAML anchors (`<<: *env`);
        // their variables are defined for the services that merge them.
        let shared: Vec<EnvEntry> = document
            .entries()
            .iter()
            .filter(|(key, _)| key.starts_with("x-"))
            .flat_map(|(_, block)| environment(block.get("environment").unwrap_or(block)))
            .collect();
        let Some(list) = document.get("services") else { continue };
        for (name, node) in list.entries() {
            let mut service = service_of(base, name, node);
            let merges = node.entries().iter().any(|(k, _)| k == "<<")
                || node.get("environment").is_some_and(|e| e.entries().iter().any(|(k, _)| k == "<<"));
            if merges {
                service.environment.extend(shared.iter().cloned());
            }
            services.push(service);
        }
    }
    Ok(services)
}

fn service_of(base: &str, name: &str, node: &Node) -> ComposeService {
    let (build, dockerfile) = match node.get("build") {
        Some(Node { value: Yaml::Scalar(context), .. }) => (Some(join(base, context)), None),
        Some(build) => (
            Some(join(base, build.get("context").and_then(Node::str).unwrap_or("."))),
            build.get("dockerfile").and_then(Node::str).map(str::to_owned),
        ),
        None => (None, None),
    };
    ComposeService {
        name: name.to_owned(),
        line: node.line.saturating_sub(1).max(1),
        build,
        dockerfile,
        image: node.get("image").and_then(Node::str).map(str::to_owned),
        command: match node.get("command") {
            Some(Node { value: Yaml::Scalar(command), .. }) => Some(command.clone()),
            Some(list) => {
                Some(list.items().iter().filter_map(Node::str).collect::<Vec<_>>().join(" ")).filter(|c| !c.is_empty())
            }
            None => None,
        },
        working_dir: node.get("working_dir").and_then(Node::str).map(str::to_owned),
        mounts: node
            .get("volumes")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|volume| {
                let spec = volume.str()?;
                let mut parts = spec.split(':');
                let (source, target) = (parts.next()?, parts.next()?);
                // Bind mounts of the tree start with `.`; named volumes do not.
                source.starts_with('.').then(|| (join(base, source), target.trim_end_matches('/').to_owned()))
            })
            .collect(),
        ports: node.get("ports").map(ports).unwrap_or_default(),
        environment: node.get("environment").map(environment).unwrap_or_default(),
        env_files: match node.get("env_file") {
            Some(Node { value: Yaml::Scalar(file), .. }) => vec![join(base, file)],
            Some(list) => list
                .items()
                .iter()
                .filter_map(|item| item.str().or_else(|| item.get("path").and_then(Node::str)))
                .map(|file| join(base, file))
                .collect(),
            None => Vec::new(),
        },
        depends_on: match node.get("depends_on") {
            Some(Node { value: Yaml::Seq(items), .. }) => {
                items.iter().filter_map(|i| Some((i.str()?.to_owned(), i.line))).collect()
            }
            Some(map) => map.entries().iter().map(|(k, v)| (k.clone(), v.line.saturating_sub(1).max(1))).collect(),
            None => Vec::new(),
        },
    }
}

/// Container-side ports of `ports:` (short `"8080:80/tcp"` or long `{target: 80}`) and `expose:`.
fn ports(node: &Node) -> Vec<Port> {
    let mut ports: Vec<Port> = node
        .items()
        .iter()
        .filter_map(|item| match &item.value {
            Yaml::Scalar(spec) => {
                let spec = spec.split('/').next().unwrap_or(spec);
                let container = spec.rsplit(':').next()?;
                // A range ("3000-3005") names its first port.
                container.split('-').next()?.trim().parse().ok()
            }
            Yaml::Map(_) => item.get("target").and_then(Node::str)?.parse().ok(),
            _ => None,
        })
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// `environment:` as a list (`- A=1`, `- B`) or a map (`A: 1`).
fn environment(node: &Node) -> Vec<EnvEntry> {
    match &node.value {
        Yaml::Seq(items) => items
            .iter()
            .filter_map(|item| {
                let text = item.str()?;
                let (name, value) = match text.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_owned())),
                    None => (text, None),
                };
                Some(EnvEntry { name: name.trim().to_owned(), line: item.line, value })
            })
            .collect(),
        Yaml::Map(entries) => entries
            .iter()
            .map(|(name, value)| EnvEntry {
                name: name.clone(),
                line: value.line,
                value: value.str().map(str::to_owned),
            })
            .collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|entry| crate::scan::extract::is_env_name(&entry.name))
    .collect()
}

/// `base/relative`, normalised (`.`, `..`, trailing slashes), "" for the root.
pub fn join(base: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = if relative.starts_with('/') { Vec::new() } else { base.split('/').collect() };
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_services() {
        let text = "services:\n  backend:\n    build: ./backend\n    ports:\n      - \"8000:8000\"\n    environment:\n      - DATABASE_URL=postgres://db/app\n      - DEBUG\n    depends_on:\n      - db\n  frontend:\n    build:\n      context: ../web\n      dockerfile: Dockerfile.prod\n    ports: [\"127.0.0.1:3000:3000/tcp\", {target: 80, published: 8080}]\n    environment:\n      NEXT_PUBLIC_API_URL: http://backend:8000\n    env_file: .env\n    depends_on:\n      backend:\n        condition: service_healthy\n  db:\n    image: postgres:16\n";
        let services = parse("deploy/docker-compose.yml", text).unwrap();
        assert_eq!(services.len(), 3);
        let backend = &services[0];
        assert_eq!(
            (backend.name.as_str(), backend.line, backend.build.as_deref()),
            ("backend", 2, Some("deploy/backend"))
        );
        assert_eq!(backend.ports, [8000]);
        assert_eq!(backend.environment[0].value.as_deref(), Some("postgres://db/app"));
        assert_eq!(backend.environment[1].name, "DEBUG");
        assert_eq!(backend.depends_on, [("db".to_owned(), 10)]);
        let frontend = &services[1];
        assert_eq!(frontend.build.as_deref(), Some("web"));
        assert_eq!(frontend.dockerfile.as_deref(), Some("Dockerfile.prod"));
        assert_eq!(frontend.ports, [80, 3000]);
        assert_eq!(frontend.env_files, ["deploy/.env"]);
        assert_eq!(frontend.depends_on[0].0, "backend");
        assert_eq!(services[2].image.as_deref(), Some("postgres:16"));
    }

    #[test]
    fn joins_paths() {
        assert_eq!(join("", "."), "");
        assert_eq!(join("", "./backend/"), "backend");
        assert_eq!(join("a/b", "../c"), "a/c");
        assert_eq!(join("a", "/abs"), "abs");
    }
}
