//! `pruv compose config` against the reference implementation: for every
//! compose project of the deployment cases and the fixtures (and of any
//! directories listed in `PRUV_CONFORMANCE_DIRS`, separated by `:`),
//! docker-compose's own `config` (run with an empty environment) and pruv
//! must agree on service names, images, build context and Dockerfile,
//! ports, environment names, depends_on and profiles.
//!
//! Runs when `docker-compose` is on PATH; says so on stderr when it is not
//! (CI installs it).

mod cases;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use pruv::scan::config::yaml::{self, Node, Yaml};

const BASES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
const OVERRIDES: [&str; 4] =
    ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];

#[derive(Debug, PartialEq, Default)]
struct View {
    image: Option<String>,
    context: Option<String>,
    dockerfile: Option<String>,
    ports: BTreeSet<u16>,
    environment: BTreeSet<String>,
    depends_on: BTreeSet<String>,
    profiles: BTreeSet<String>,
}

fn docker_compose() -> Option<String> {
    let found = Command::new("docker-compose").arg("version").output().is_ok_and(|o| o.status.success());
    found.then(|| "docker-compose".to_owned())
}

/// The files docker compose reads by default in `dir`.
fn default_files(dir: &Path) -> Vec<String> {
    let base = BASES.iter().find(|b| dir.join(b).is_file());
    let over = OVERRIDES.iter().find(|o| dir.join(o).is_file());
    base.into_iter().chain(over).map(|s| s.to_string()).collect()
}

fn reference(binary: &str, dir: &Path, files: &[String]) -> Result<Vec<(String, View)>, String> {
    let mut command = Command::new(binary);
    command.current_dir(dir).env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default());
    for file in files {
        command.args(["-f", file]);
    }
    let output = command.arg("config").output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        let last = String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("").to_owned();
        return Err(last.chars().take(160).collect());
    }
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let document = yaml::parse(&text)?.remove(0);
    let root = dir.canonicalize().unwrap().display().to_string();
    // A context outside the directory (`context: ..`) is outside what pruv was asked to read.
    let relative = |path: &str| {
        let rest = path.strip_prefix(&root)?.trim_start_matches('/');
        Some(if rest.is_empty() { ".".to_owned() } else { rest.to_owned() })
    };
    let mut out = Vec::new();
    for (name, node) in document.get("services").map(Node::entries).unwrap_or_default() {
        let mut view = View { image: node.get("image").and_then(Node::str).map(str::to_owned), ..View::default() };
        match node.get("build") {
            Some(Node { value: Yaml::Scalar(context), .. }) => view.context = relative(context),
            Some(build) => {
                view.context = build.get("context").and_then(Node::str).and_then(relative);
                view.dockerfile = build.get("dockerfile").and_then(Node::str).map(str::to_owned);
            }
            None => {}
        }
        if node.get("build").is_some() && view.dockerfile.is_none() {
            view.dockerfile = Some("Dockerfile".to_owned());
        }
        for port in [node.get("ports"), node.get("expose")].into_iter().flatten().flat_map(Node::items) {
            let target = match &port.value {
                Yaml::Map(_) => port.get("target").and_then(Node::str).and_then(|t| t.parse::<u16>().ok()),
                Yaml::Scalar(spec) => spec
                    .split('/')
                    .next()
                    .and_then(|s| s.rsplit(':').next())
                    .and_then(|s| s.split('-').next())
                    .and_then(|s| s.parse::<u16>().ok()),
                _ => None,
            };
            view.ports.extend(target);
        }
        view.environment =
            node.get("environment").map(Node::entries).unwrap_or_default().iter().map(|(k, _)| k.clone()).collect();
        view.depends_on = match node.get("depends_on") {
            Some(Node { value: Yaml::Seq(items), .. }) => {
                items.iter().filter_map(|i| i.str().map(str::to_owned)).collect()
            }
            Some(map) => map.entries().iter().map(|(k, _)| k.clone()).collect(),
            None => BTreeSet::new(),
        };
        view.profiles = node
            .get("profiles")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.str().map(str::to_owned))
            .collect();
        out.push((name.clone(), view));
    }
    Ok(out)
}

fn pruv_view(dir: &Path, files: &[String]) -> (Vec<(String, View)>, BTreeSet<String>) {
    let (projects, _) = pruv::scan::compose_projects(dir, 1, files).expect("pruv reads the project");
    let project = &projects[0];
    let mut with_env_files = BTreeSet::new();
    let views = project
        .services
        .iter()
        .map(|s| {
            if !s.env_files.is_empty() {
                with_env_files.insert(s.name.clone());
            }
            // What stays unresolved compose replaces by nothing; compare what is known.
            let known = |value: &Option<String>| value.clone().filter(|v| !v.contains('$'));
            let context = s.build.as_ref().map(|c| {
                let relative = c.strip_prefix(&project.dir).unwrap_or(c).trim_start_matches('/');
                if relative.is_empty() { ".".to_owned() } else { relative.to_owned() }
            });
            let view = View {
                image: known(&s.image),
                dockerfile: s.build.as_ref().map(|_| s.dockerfile.clone().unwrap_or_else(|| "Dockerfile".to_owned())),
                context,
                ports: s.ports.iter().copied().collect(),
                environment: s.environment.iter().map(|(_, e)| e.name.clone()).collect(),
                depends_on: s.depends_on.iter().map(|(n, _, _)| n.clone()).collect(),
                profiles: s.profiles.iter().cloned().collect(),
            };
            (s.name.clone(), view)
        })
        .collect();
    (views, with_env_files)
}

/// Differences between the two readings of the project in `dir`.
fn compare(binary: &str, dir: &Path, label: &str) -> Result<Vec<String>, String> {
    let files = default_files(dir);
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let reference = reference(binary, dir, &files)?;
    let (ours, with_env_files) = pruv_view(dir, &files);
    let mut problems = Vec::new();
    let names = |views: &[(String, View)]| views.iter().map(|(n, _)| n.clone()).collect::<BTreeSet<_>>();
    if names(&reference) != names(&ours) {
        problems.push(format!("{label}: services {:?} vs pruv {:?}", names(&reference), names(&ours)));
    }
    for (name, theirs) in &reference {
        let Some((_, mine)) = ours.iter().find(|(n, _)| n == name) else { continue };
        let mut theirs_cmp = View { image: theirs.image.clone().filter(|_| mine.image.is_some()), ..View::default() };
        theirs_cmp.context = theirs.context.clone().or_else(|| mine.context.clone());
        theirs_cmp.dockerfile.clone_from(&theirs.dockerfile);
        theirs_cmp.ports.clone_from(&theirs.ports);
        theirs_cmp.depends_on.clone_from(&theirs.depends_on);
        theirs_cmp.profiles.clone_from(&theirs.profiles);
        // docker-compose inlines env_file variables into `environment`; pruv keeps them apart.
        theirs_cmp.environment = if with_env_files.contains(name) {
            theirs.environment.intersection(&mine.environment).cloned().collect()
        } else {
            theirs.environment.clone()
        };
        if theirs_cmp != *mine {
            problems.push(format!("{label}: service {name}: docker-compose {theirs_cmp:?} vs pruv {mine:?}"));
        }
    }
    Ok(problems)
}

#[test]
fn pruv_reads_compose_projects_as_docker_compose_does() {
    let Some(binary) = docker_compose() else {
        eprintln!("docker-compose not found: compose conformance not checked (apt-get install docker-compose)");
        return;
    };
    let mut problems = Vec::new();
    let mut compared = 0;
    let mut unsupported = Vec::new();
    let trees: Vec<_> = cases::ALL.iter().map(|case| (case.name.to_owned(), case.materialise())).collect();
    let mut dirs: Vec<(String, std::path::PathBuf)> =
        trees.iter().map(|(name, tree)| (name.clone(), tree.path().to_owned())).collect();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for name in ["fullstack", "grpc-polyglot"] {
        dirs.push((format!("fixtures/{name}"), fixtures.join(name)));
    }
    for extra in std::env::var("PRUV_CONFORMANCE_DIRS").unwrap_or_default().split(':').filter(|d| !d.is_empty()) {
        // Every directory below that holds a compose file.
        let walk = walk_dirs(Path::new(extra));
        dirs.extend(walk.into_iter().map(|d| (d.display().to_string(), d)));
    }
    for (label, dir) in &dirs {
        if default_files(dir).is_empty() {
            continue;
        }
        match compare(&binary, dir, label) {
            Ok(found) => {
                compared += 1;
                problems.extend(found);
            }
            // A feature the reference version does not know (`include`, `!reset`): nothing to compare.
            Err(error) => unsupported.push(format!("{label}: {error}")),
        }
    }
    eprintln!(
        "compose conformance: {compared} projects compared; reference could not read {}: {unsupported:#?}",
        unsupported.len()
    );
    assert!(compared >= 10, "too few projects compared ({compared}); unsupported: {unsupported:#?}");
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
}

fn walk_dirs(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        if !default_files(&dir).is_empty() {
            out.push(dir.clone());
        }
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() && !name.to_string_lossy().starts_with('.') && name != "node_modules" {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}
