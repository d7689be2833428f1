//! Compose projects across files, as `docker compose config` builds them.
//!
//! - **Files.** In each directory the project is the first of
//!   `compose.yaml`, `compose.yml`, `docker-compose.yaml`,
//!   `docker-compose.yml`, then its override (`compose.override.yaml`, …),
//!   then the directory's other compose files (`docker-compose.prod.yml`,
//!   `stack.yml`) in name order, as if each were given with another `-f`.
//!   Files that another file pulls in with `include` or `extends` belong to
//!   that file's project, not to one of their own.
//! - **Interpolation** of every value from the project directory's `.env`
//!   (never from the scanner's environment); what stays unresolved is kept
//!   as written and listed per service.
//! - **`extends`** (same file or another), **`include`**, and compose v1
//!   files (services at the top level).
//! - **Merge** of each service's definitions by the specification's rules.

use std::collections::{BTreeMap, BTreeSet};

use super::super::yaml::{Node, Yaml};
use super::super::{ComposeService, EnvEntry};
use super::service::{self, join};
use crate::scan::interpolate::{Dialect, interpolate};

/// How deep `extends` and `include` chains are followed.
const MAX_CHAIN: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The project directory (the first file's), relative to the scan root.
    pub dir: String,
    /// `name:` of the first file, else the directory's name, as compose normalises it.
    pub name: String,
    /// Its files in merge order, included files last.
    pub files: Vec<String>,
    pub services: Vec<ComposeService>,
    /// What could not be followed (an `extends` of an unknown service, a missing include).
    pub warnings: Vec<String>,
}

/// The compose files of a scan (path → first document) and its `.env` files (path → entries).
pub struct Sources<'a> {
    pub compose: BTreeMap<&'a str, &'a Node>,
    pub dotenv: BTreeMap<&'a str, &'a [EnvEntry]>,
}

const BASES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
const OVERRIDES: [&str; 4] =
    ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];

pub fn projects(sources: &Sources<'_>) -> Vec<Project> {
    let pulled_in = pulled_in(sources);
    let mut by_dir: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for path in sources.compose.keys().filter(|path| !pulled_in.contains(**path)) {
        by_dir.entry(dir_of(path)).or_default().push(path);
    }
    by_dir.into_iter().map(|(dir, files)| project(sources, dir, ordered(dir, files))).collect()
}

/// Base, override, then the rest by name.
fn ordered<'a>(dir: &str, mut files: Vec<&'a str>) -> Vec<&'a str> {
    let rank = |path: &str| {
        let name = &path[dir.len() + usize::from(!dir.is_empty())..];
        BASES
            .iter()
            .position(|b| *b == name)
            .or_else(|| OVERRIDES.iter().position(|o| *o == name).map(|i| 10 + i))
            .unwrap_or(100)
    };
    files.sort_by_key(|path| (rank(path), path.to_string()));
    // Only the first base and the first override take part as such.
    files
}

/// The project of exactly these files, in this order (`docker compose -f A -f B`);
/// its directory is the first file's.
pub fn project_of(sources: &Sources<'_>, files: &[&str]) -> Project {
    let dir = files.first().map_or("", |first| dir_of(first));
    project(sources, dir, files.to_vec())
}

fn project(sources: &Sources<'_>, dir: &str, files: Vec<&str>) -> Project {
    let env = dotenv_of(sources, dir);
    let mut loader = Loader { sources, warnings: Vec::new(), files: Vec::new() };
    let mut services: Vec<ComposeService> = Vec::new();
    let name = files
        .first()
        .and_then(|first| sources.compose.get(first))
        .and_then(|document| document.get("name"))
        .and_then(Node::str)
        .map(|name| interpolate(name, Dialect::Compose, &lookup(&env)).text)
        .unwrap_or_else(|| dir.rsplit('/').next().unwrap_or(dir).to_owned());
    for path in files {
        for service in loader.load(path, &env, 0) {
            match services.iter_mut().find(|known| known.name == service.name) {
                Some(known) => service::merge(known, service),
                None => services.push(service),
            }
        }
    }
    for service in &mut services {
        service.project_dir = dir.to_owned();
        // `environment: [CART_ADDR]` passes the project environment's value
        // through, as `docker compose config` shows it; the `.env` file is the
        // part of that environment the tree holds (the shell's is never read).
        // `CART_ADDR=` stays empty.
        for (_, entry) in &mut service.environment {
            if entry.value.is_none()
                && let Some(Some(value)) = env.get(&entry.name)
            {
                entry.value = Some(interpolate(value, Dialect::Compose, &lookup(&env)).text);
            }
        }
    }
    let mut files: Vec<String> = Vec::new();
    for file in loader.files {
        if !files.contains(&file) {
            files.push(file);
        }
    }
    Project { dir: dir.to_owned(), name: normalise_name(&name), files, services, warnings: loader.warnings }
}

struct Loader<'s, 'a> {
    sources: &'s Sources<'a>,
    warnings: Vec<String>,
    files: Vec<String>,
}

type Env = BTreeMap<String, Option<String>>;

fn lookup<'e>(env: &'e Env) -> impl Fn(&str) -> Option<&'e str> {
    move |name: &str| env.get(name).map(|value| value.as_deref().unwrap_or(""))
}

fn dotenv_of(sources: &Sources<'_>, dir: &str) -> Env {
    let path = join(dir, ".env");
    sources
        .dotenv
        .get(path.as_str())
        .into_iter()
        .flat_map(|entries| entries.iter())
        .map(|entry| (entry.name.clone(), entry.value.clone()))
        .collect()
}

impl Loader<'_, '_> {
    /// The services of the file at `path`, interpolated with `env`, with
    /// `extends` applied and `include`d files' services after them.
    fn load(&mut self, path: &str, env: &Env, depth: usize) -> Vec<ComposeService> {
        let Some(document) = self.sources.compose.get(path) else {
            self.warnings.push(format!("{path}: not found, or not a compose file"));
            return Vec::new();
        };
        if depth > MAX_CHAIN {
            self.warnings.push(format!("{path}: include/extends deeper than {MAX_CHAIN} files; not followed"));
            return Vec::new();
        }
        self.files.push(path.to_owned());
        let base = dir_of(path);
        let entries = super::service_entries(document);
        let mut out = Vec::new();
        for (name, _) in &entries {
            let mut stack = Vec::new();
            if let Some(service) = self.service(path, name, env, &mut stack) {
                out.push(service);
            }
        }
        // `include`: other projects' services, each read with its own directory's `.env`.
        for item in document.get("include").map(Node::items).unwrap_or_default() {
            let (paths, project_dir) = match &item.value {
                Yaml::Scalar(p) => (vec![p.clone()], None),
                Yaml::Map(_) => {
                    let paths = match item.get("path") {
                        Some(Node { value: Yaml::Scalar(p), .. }) => vec![p.clone()],
                        Some(list) => list.items().iter().filter_map(|p| p.str().map(str::to_owned)).collect(),
                        None => Vec::new(),
                    };
                    (paths, item.get("project_directory").and_then(Node::str).map(|d| join(base, d)))
                }
                _ => continue,
            };
            for relative in paths {
                let relative = interpolate(&relative, Dialect::Compose, &lookup(env)).text;
                let included = join(base, &relative);
                let included_env = dotenv_of(self.sources, project_dir.as_deref().unwrap_or(dir_of(&included)));
                for service in self.load(&included, &included_env, depth + 1) {
                    if !out.iter().any(|known: &ComposeService| known.name == service.name) {
                        out.push(service);
                    }
                }
            }
        }
        out
    }

    /// Service `name` of the file at `path`, extended as its `extends` says.
    fn service(
        &mut self,
        path: &str,
        name: &str,
        env: &Env,
        stack: &mut Vec<(String, String)>,
    ) -> Option<ComposeService> {
        let key = (path.to_owned(), name.to_owned());
        if stack.contains(&key) || stack.len() > MAX_CHAIN {
            self.warnings.push(format!("{path}: service {name} extends itself in a cycle; not followed"));
            return None;
        }
        let document = self.sources.compose.get(path)?;
        let (_, node) = super::service_entries(document).into_iter().find(|(n, _)| *n == name)?;
        let mut unresolved = Vec::new();
        let node = interpolated(node, env, &mut unresolved);
        let base_dir = dir_of(path);
        let mut service = service::read(path, base_dir, name, &node);
        service.unresolved = unresolved;
        let Some(extends) = node.get("extends") else { return Some(service) };
        let (parent_name, parent_file) = match &extends.value {
            Yaml::Scalar(parent) => (parent.clone(), path.to_owned()),
            _ => {
                let Some(parent) = extends.get("service").and_then(Node::str) else { return Some(service) };
                let file =
                    extends.get("file").and_then(Node::str).map_or_else(|| path.to_owned(), |f| join(base_dir, f));
                (parent.to_owned(), file)
            }
        };
        if parent_file != path {
            self.files.push(parent_file.clone());
        }
        stack.push(key);
        let parent_env = if parent_file == path { env.clone() } else { dotenv_of(self.sources, dir_of(&parent_file)) };
        let parent = self.service(&parent_file, &parent_name, &parent_env, stack);
        stack.pop();
        let Some(mut merged) = parent else {
            self.warnings.push(format!("{path}: {name} extends {parent_name} of {parent_file}, which is not there"));
            return Some(service);
        };
        // Dependencies are never inherited through `extends`.
        merged.depends_on.clear();
        merged.links.clear();
        merged.name = service.name.clone();
        merged.path = service.path.clone();
        merged.line = service.line;
        service::merge(&mut merged, service);
        Some(merged)
    }
}

/// `node` with every scalar value interpolated; unresolved names go to `unresolved`.
fn interpolated(node: &Node, env: &Env, unresolved: &mut Vec<String>) -> Node {
    let value = match &node.value {
        Yaml::Scalar(text) if text.contains('$') => {
            let out = interpolate(text, Dialect::Compose, &lookup(env));
            for name in out.unresolved {
                if !unresolved.contains(&name) {
                    unresolved.push(name);
                }
            }
            Yaml::Scalar(out.text)
        }
        Yaml::Seq(items) => Yaml::Seq(items.iter().map(|item| interpolated(item, env, unresolved)).collect()),
        Yaml::Map(entries) => {
            Yaml::Map(entries.iter().map(|(key, value)| (key.clone(), interpolated(value, env, unresolved))).collect())
        }
        other => other.clone(),
    };
    Node { line: node.line, value, tag: node.tag.clone() }
}

/// Files some other file pulls in with `include` or `extends: {file}`.
fn pulled_in(sources: &Sources<'_>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, document) in &sources.compose {
        let base = dir_of(path);
        for item in document.get("include").map(Node::items).unwrap_or_default() {
            let paths: Vec<&str> = match &item.value {
                Yaml::Scalar(p) => vec![p.as_str()],
                _ => match item.get("path") {
                    Some(Node { value: Yaml::Scalar(p), .. }) => vec![p.as_str()],
                    Some(list) => list.items().iter().filter_map(Node::str).collect(),
                    None => Vec::new(),
                },
            };
            out.extend(paths.into_iter().map(|p| join(base, p)));
        }
        for (_, service) in super::service_entries(document) {
            if let Some(file) = service.get("extends").and_then(|e| e.get("file")).and_then(Node::str) {
                let target = join(base, file);
                // A project's own base file may be extended by its variants; it stays a project.
                let name = target.rsplit('/').next().unwrap_or(&target);
                if !BASES.contains(&name) && target != **path {
                    out.insert(target);
                }
            }
        }
    }
    out
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Compose project names: lower case letters, digits, `-` and `_`.
fn normalise_name(name: &str) -> String {
    name.to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect()
}

#[cfg(test)]
mod tests {
    use super::super::super::dotenv;
    use super::super::parse;
    use super::*;

    /// Projects of a tree of compose and `.env` files.
    fn load(files: &[(&str, &str)]) -> Vec<Project> {
        let compose: Vec<(&str, Node)> = files
            .iter()
            .filter(|(path, _)| !path.ends_with(".env"))
            .map(|(path, text)| (*path, parse(text).unwrap().document))
            .collect();
        let dotenv: Vec<(&str, Vec<EnvEntry>)> = files
            .iter()
            .filter(|(path, _)| path.ends_with(".env"))
            .map(|(path, text)| (*path, dotenv::parse(text)))
            .collect();
        let sources = Sources {
            compose: compose.iter().map(|(p, n)| (*p, n)).collect(),
            dotenv: dotenv.iter().map(|(p, e)| (*p, e.as_slice())).collect(),
        };
        projects(&sources)
    }

    fn service<'a>(project: &'a Project, name: &str) -> &'a ComposeService {
        project.services.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no service {name}"))
    }

    #[test]
    fn interpolates_from_the_projects_dotenv() {
        let projects = load(&[
            (".env", "WEB_DOCKERFILE=web/Dockerfile.prod\nWEB_PORT=8080\nTAG=1.2\n"),
            (
                "compose.yaml",
                "services:\n  web:\n    build:\n      context: .\n      dockerfile: ${WEB_DOCKERFILE}\n    image: org/web:${TAG:-latest}\n    ports: [\"${WEB_PORT}:${WEB_PORT}\"]\n    environment:\n      API: http://api:${API_PORT:-9000}\n      SECRET: ${SECRET:?set SECRET}\n",
            ),
        ]);
        let web = service(&projects[0], "web");
        assert_eq!(web.dockerfile.as_deref(), Some("web/Dockerfile.prod"));
        assert_eq!(web.image.as_deref(), Some("org/web:1.2"));
        assert_eq!(web.ports, [8080]);
        assert_eq!(web.environment[0].1.value.as_deref(), Some("http://api:9000"));
        assert_eq!(web.environment[1].1.value.as_deref(), Some("${SECRET:?set SECRET}"));
        assert_eq!(web.unresolved, ["SECRET"]);
    }

    #[test]
    fn a_variable_named_without_a_value_takes_the_projects_value() {
        let projects = load(&[
            (".env", "CART_PORT=7070\nCART_ADDR=cart:${CART_PORT}\n"),
            (
                "compose.yaml",
                "services:\n  web:\n    image: org/web\n    environment:\n      - CART_ADDR\n      - UNSET\n      - EMPTY=\n",
            ),
        ]);
        let values: Vec<(&str, Option<&str>)> = service(&projects[0], "web")
            .environment
            .iter()
            .map(|(_, e)| (e.name.as_str(), e.value.as_deref()))
            .collect();
        assert_eq!(values, [("CART_ADDR", Some("cart:7070")), ("UNSET", None), ("EMPTY", Some(""))]);
    }

    #[test]
    fn merges_base_override_and_variants_into_one_service() {
        let projects = load(&[
            ("app/docker-compose.yml", "services:\n  api:\n    image: org/api:1\n  db:\n    image: postgres:16\n"),
            ("app/docker-compose.override.yml", "services:\n  api:\n    build: ./api\n    ports: ['8000']\n"),
            (
                "app/docker-compose.prod.yml",
                "services:\n  api:\n    environment: [MODE=prod]\n  proxy:\n    image: nginx\n",
            ),
        ]);
        assert_eq!(projects.len(), 1);
        let project = &projects[0];
        assert_eq!(project.dir, "app");
        assert_eq!(
            project.files,
            ["app/docker-compose.yml", "app/docker-compose.override.yml", "app/docker-compose.prod.yml"]
        );
        let names: Vec<&str> = project.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["api", "db", "proxy"]);
        let api = service(project, "api");
        assert_eq!((api.image.as_deref(), api.build.as_deref()), (Some("org/api:1"), Some("app/api")));
        assert_eq!(api.ports, [8000]);
        assert_eq!(api.environment[0].0, "app/docker-compose.prod.yml");
    }

    #[test]
    fn applies_extends_in_the_same_and_another_file() {
        let projects = load(&[
            (
                "common/services.yml",
                "services:\n  base:\n    build: ../svc\n    environment: {LOG: info}\n    depends_on: [db]\n",
            ),
            (
                "compose.yaml",
                "services:\n  worker:\n    extends: {file: common/services.yml, service: base}\n    command: run worker\n  web:\n    extends: worker\n    command: serve\n    ports: ['80']\n",
            ),
        ]);
        assert_eq!(projects.len(), 1, "a file only extended is not a project of its own");
        let worker = service(&projects[0], "worker");
        assert_eq!(worker.build.as_deref(), Some("svc"), "paths stay relative to the file that says them");
        assert_eq!(worker.environment[0].1.name, "LOG");
        assert!(worker.depends_on.is_empty(), "depends_on is never inherited");
        let web = service(&projects[0], "web");
        assert_eq!((web.command.as_deref(), web.build.as_deref()), (Some("serve"), Some("svc")));
        assert!(projects[0].files.contains(&"common/services.yml".to_owned()));
    }

    #[test]
    fn follows_include_with_the_included_projects_env() {
        let projects = load(&[
            ("infra/.env", "DB_IMAGE=postgres:16\n"),
            ("infra/compose.yaml", "services:\n  db:\n    image: ${DB_IMAGE}\n"),
            (
                "compose.yaml",
                "include:\n  - infra/compose.yaml\nservices:\n  api:\n    build: .\n    depends_on: [db]\n",
            ),
        ]);
        assert_eq!(projects.len(), 1, "an included file is part of the including project");
        assert_eq!(service(&projects[0], "db").image.as_deref(), Some("postgres:16"));
    }

    #[test]
    fn reads_compose_v1() {
        let projects = load(&[("docker-compose.yml", "web:\n  build: .\n  links: [redis]\nredis:\n  image: redis\n")]);
        let names: Vec<&str> = projects[0].services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["web", "redis"]);
        assert_eq!(service(&projects[0], "web").links, [("redis".to_owned(), "redis".to_owned())]);
    }

    #[test]
    fn separate_directories_are_separate_projects() {
        let projects = load(&[
            ("a/compose.yml", "services:\n  db:\n    image: postgres\n"),
            ("b/compose.yml", "services:\n  db:\n    image: mysql\n"),
        ]);
        assert_eq!(projects.len(), 2);
        assert_eq!((projects[0].name.as_str(), projects[1].name.as_str()), ("a", "b"));
    }

    #[test]
    fn extends_cycles_and_missing_parents_are_warnings() {
        let projects = load(&[(
            "compose.yaml",
            "services:\n  a:\n    extends: b\n    image: x\n  b:\n    extends: a\n  c:\n    extends: {service: nope}\n    image: y\n",
        )]);
        assert!(!projects[0].warnings.is_empty());
        assert_eq!(service(&projects[0], "c").image.as_deref(), Some("y"));
    }
}
