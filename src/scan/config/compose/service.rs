//! One compose service: read from its (interpolated) YAML into the typed
//! form inference uses, and merged with another definition of it by the
//! compose specification's merge rules.

use super::super::yaml::{Node, Yaml};
use super::super::{ComposeService, EnvEntry, Port};

/// The typed service `name` of the file at `path`, whose relative paths are
/// relative to `base` (the file's directory, `/`-separated, "" for the root).
pub fn read(path: &str, base: &str, name: &str, node: &Node) -> ComposeService {
    let (build, dockerfile, target) = match node.get("build") {
        Some(Node { value: Yaml::Scalar(context), .. }) => (Some(join(base, context)), None, None),
        Some(build) => (
            Some(join(base, build.get("context").and_then(Node::str).unwrap_or("."))),
            build.get("dockerfile").and_then(Node::str).map(str::to_owned),
            build.get("target").and_then(Node::str).map(str::to_owned),
        ),
        None => (None, None, None),
    };
    let mut hostnames: Vec<String> = ["container_name", "hostname"]
        .iter()
        .filter_map(|key| node.get(key).and_then(Node::str).map(str::to_owned))
        .collect();
    if let Some(networks) = node.get("networks") {
        for (_, network) in networks.entries() {
            hostnames.extend(
                network
                    .get("aliases")
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|a| a.str().map(str::to_owned)),
            );
        }
    }
    let mut resets = Vec::new();
    for (key, value) in node.entries() {
        if value.tag.as_deref() == Some("!reset") {
            resets.push(key.clone());
        }
    }
    ComposeService {
        name: name.to_owned(),
        path: path.to_owned(),
        line: node.line.saturating_sub(1).max(1),
        build,
        dockerfile,
        target,
        image: node.get("image").and_then(Node::str).map(str::to_owned),
        command: node.get("command").and_then(command),
        working_dir: node.get("working_dir").and_then(Node::str).map(str::to_owned),
        mounts: node
            .get("volumes")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|volume| {
                let (source, target) = match &volume.value {
                    Yaml::Scalar(spec) => {
                        let mut parts = spec.split(':');
                        (parts.next()?.to_owned(), parts.next()?.to_owned())
                    }
                    Yaml::Map(_) if volume.get("type").and_then(Node::str) == Some("bind") => {
                        (volume.get("source")?.str()?.to_owned(), volume.get("target")?.str()?.to_owned())
                    }
                    _ => return None,
                };
                // Bind mounts of the tree start with `.`; named volumes do not.
                source.starts_with('.').then(|| (join(base, &source), target.trim_end_matches('/').to_owned()))
            })
            .collect(),
        ports: [node.get("ports"), node.get("expose")]
            .into_iter()
            .flatten()
            .flat_map(ports)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        environment: node
            .get("environment")
            .map(environment)
            .unwrap_or_default()
            .into_iter()
            .map(|e| (path.to_owned(), e))
            .collect(),
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
                items.iter().filter_map(|i| Some((i.str()?.to_owned(), path.to_owned(), i.line))).collect()
            }
            Some(map) => map
                .entries()
                .iter()
                .map(|(k, v)| (k.clone(), path.to_owned(), v.line.saturating_sub(1).max(1)))
                .collect(),
            None => Vec::new(),
        },
        profiles: node
            .get("profiles")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.str().map(str::to_owned))
            .collect(),
        hostnames,
        links: node
            .get("links")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::str)
            .map(|link| match link.split_once(':') {
                Some((service, alias)) => (service.to_owned(), alias.to_owned()),
                None => (link.to_owned(), link.to_owned()),
            })
            .collect(),
        resets,
        unresolved: Vec::new(),
        files: vec![path.to_owned()],
        project_dir: base.to_owned(),
    }
}

fn command(node: &Node) -> Option<String> {
    match &node.value {
        Yaml::Scalar(command) => Some(command.clone()),
        Yaml::Seq(items) => {
            Some(items.iter().filter_map(Node::str).collect::<Vec<_>>().join(" ")).filter(|c| !c.is_empty())
        }
        _ => None,
    }
}

/// `later` laid over `earlier`, as compose merges a service defined in
/// several files (or extended): single values are replaced, mappings
/// (environment) merged key by key, sequences (ports, volumes, env files,
/// dependencies) appended without duplicates; `command` is replaced whole;
/// a key tagged `!reset` in `later` empties it.
pub fn merge(earlier: &mut ComposeService, later: ComposeService) {
    for key in &later.resets {
        match key.as_str() {
            "ports" | "expose" => earlier.ports.clear(),
            "environment" => earlier.environment.clear(),
            "env_file" => earlier.env_files.clear(),
            "depends_on" => earlier.depends_on.clear(),
            "volumes" => earlier.mounts.clear(),
            "build" => (earlier.build, earlier.dockerfile, earlier.target) = (None, None, None),
            "image" => earlier.image = None,
            "command" => earlier.command = None,
            "profiles" => earlier.profiles.clear(),
            _ => {}
        }
    }
    if later.build.is_some() {
        (earlier.build, earlier.dockerfile, earlier.target) = (later.build, later.dockerfile, later.target);
    }
    replace(&mut earlier.image, later.image);
    replace(&mut earlier.command, later.command);
    replace(&mut earlier.working_dir, later.working_dir);
    union(&mut earlier.ports, later.ports);
    earlier.ports.sort_unstable();
    for (path, entry) in later.environment {
        match earlier.environment.iter_mut().find(|(_, e)| e.name == entry.name) {
            Some(known) => *known = (path, entry),
            None => earlier.environment.push((path, entry)),
        }
    }
    union(&mut earlier.env_files, later.env_files);
    for (name, path, line) in later.depends_on {
        if !earlier.depends_on.iter().any(|(n, _, _)| *n == name) {
            earlier.depends_on.push((name, path, line));
        }
    }
    union(&mut earlier.mounts, later.mounts);
    if !later.profiles.is_empty() {
        earlier.profiles = later.profiles;
    }
    union(&mut earlier.hostnames, later.hostnames);
    union(&mut earlier.links, later.links);
    union(&mut earlier.unresolved, later.unresolved);
    union(&mut earlier.files, later.files);
}

fn replace<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}

fn union<T: PartialEq>(list: &mut Vec<T>, more: Vec<T>) {
    for item in more {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

/// Container-side ports of `ports:` (short `"8080:80/tcp"` or long `{target: 80}`) and `expose:`.
fn ports(node: &Node) -> Vec<Port> {
    node.items()
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
        .collect()
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
                Some(EnvEntry { name: name.trim().to_owned(), line: item.line, value, default: false })
            })
            .collect(),
        Yaml::Map(entries) => entries.iter().map(|(name, value)| EnvEntry::of_yaml(name, value)).collect(),
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
    use super::super::super::yaml;
    use super::*;

    fn services(path: &str, text: &str) -> Vec<ComposeService> {
        let document = yaml::parse(text).unwrap().remove(0);
        let base = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        super::super::service_entries(&document).into_iter().map(|(name, node)| read(path, base, name, node)).collect()
    }

    #[test]
    fn reads_services() {
        let text = "services:\n  backend:\n    build: ./backend\n    ports:\n      - \"8000:8000\"\n    environment:\n      - DATABASE_URL=postgres://db/app\n      - DEBUG\n    depends_on:\n      - db\n  frontend:\n    build:\n      context: ../web\n      dockerfile: Dockerfile.prod\n      target: runtime\n    ports: [\"127.0.0.1:3000:3000/tcp\", {target: 80, published: 8080}]\n    expose: [\"9229\"]\n    environment:\n      NEXT_PUBLIC_API_URL: http://backend:8000\n    env_file: .env\n    container_name: web\n    networks:\n      front:\n        aliases: [www]\n    links: [\"backend:api\"]\n    depends_on:\n      backend:\n        condition: service_healthy\n  db:\n    image: postgres:16\n    profiles: [dev]\n";
        let services = services("deploy/docker-compose.yml", text);
        assert_eq!(services.len(), 3);
        let backend = &services[0];
        assert_eq!(
            (backend.name.as_str(), backend.line, backend.build.as_deref()),
            ("backend", 2, Some("deploy/backend"))
        );
        assert_eq!(backend.ports, [8000]);
        assert_eq!(backend.environment[0].1.value.as_deref(), Some("postgres://db/app"));
        assert_eq!(backend.environment[1].1.name, "DEBUG");
        assert_eq!(backend.depends_on, [("db".to_owned(), "deploy/docker-compose.yml".to_owned(), 10)]);
        let frontend = &services[1];
        assert_eq!(frontend.build.as_deref(), Some("web"));
        assert_eq!(frontend.dockerfile.as_deref(), Some("Dockerfile.prod"));
        assert_eq!(frontend.target.as_deref(), Some("runtime"));
        assert_eq!(frontend.ports, [80, 3000, 9229]);
        assert_eq!(frontend.env_files, ["deploy/.env"]);
        assert_eq!(frontend.depends_on[0].0, "backend");
        assert_eq!(frontend.hostnames, ["web", "www"]);
        assert_eq!(frontend.links, [("backend".to_owned(), "api".to_owned())]);
        assert_eq!(services[2].image.as_deref(), Some("postgres:16"));
        assert_eq!(services[2].profiles, ["dev"]);
    }

    #[test]
    fn merges_by_the_specification() {
        let base = &services(
            "compose.yaml",
            "services:\n  app:\n    image: org/app\n    command: [serve]\n    ports: ['80']\n    environment: {A: '1', B: '2'}\n",
        )[0];
        let over = services("compose.override.yaml", "services:\n  app:\n    build: ./app\n    command: serve --debug\n    ports: ['9229']\n    environment: [B=3, C=4]\n")
            .remove(0);
        let mut merged = base.clone();
        merge(&mut merged, over);
        assert_eq!(merged.image.as_deref(), Some("org/app"));
        assert_eq!(merged.build.as_deref(), Some("app"));
        assert_eq!(merged.command.as_deref(), Some("serve --debug"));
        assert_eq!(merged.ports, [80, 9229]);
        let env: Vec<(&str, &str, Option<&str>)> =
            merged.environment.iter().map(|(p, e)| (p.as_str(), e.name.as_str(), e.value.as_deref())).collect();
        assert_eq!(
            env,
            [
                ("compose.yaml", "A", Some("1")),
                ("compose.override.yaml", "B", Some("3")),
                ("compose.override.yaml", "C", Some("4"))
            ]
        );
        assert_eq!(merged.files, ["compose.yaml", "compose.override.yaml"]);
        let reset = services("compose.prod.yaml", "services:\n  app:\n    ports: !reset []\n").remove(0);
        merge(&mut merged, reset);
        assert!(merged.ports.is_empty());
    }

    #[test]
    fn joins_paths() {
        assert_eq!(join("", "."), "");
        assert_eq!(join("", "./backend/"), "backend");
        assert_eq!(join("a/b", "../c"), "a/c");
        assert_eq!(join("a", "/abs"), "abs");
    }
}
