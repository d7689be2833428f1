//! Configuration sources: what they define (env vars, ports, services,
//! images, dependencies), read with real parsers (YAML, TOML, JSON, XML).
//! Which parser reads a file is decided by its name alone.

mod compose;
pub use compose::join;
mod dockerfile;
mod dotenv;
mod k8s;
mod manifest;
mod workflow;
pub mod yaml;

use serde::{Deserialize, Serialize};

/// A port mapping or exposed port: the port the process listens on.
pub type Port = u16;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvEntry {
    pub name: String,
    pub line: u32,
    /// The literal value, when there is one; used to resolve connections,
    /// never written out.
    pub value: Option<String>,
}

/// An address a configuration file points its service at
/// (`lb://customers-service`, `${CONFIG_URL:http://localhost:8888}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub url: String,
    pub line: u32,
    /// The env var that can override it, when the address is a placeholder's default.
    pub via: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposeService {
    pub name: String,
    pub line: u32,
    /// Build context relative to the scan root, `/`-separated, "" for the root.
    pub build: Option<String>,
    pub dockerfile: Option<String>,
    pub image: Option<String>,
    /// The command it runs, when overridden (`celery -A app worker`).
    pub command: Option<String>,
    pub working_dir: Option<String>,
    /// Bind mounts from the tree: (source relative to the scan root, path in the container).
    pub mounts: Vec<(String, String)>,
    pub ports: Vec<Port>,
    pub environment: Vec<EnvEntry>,
    pub env_files: Vec<String>,
    pub depends_on: Vec<(String, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    /// Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod.
    pub kind: String,
    pub name: String,
    pub line: u32,
    pub images: Vec<String>,
    pub ports: Vec<Port>,
    pub env: Vec<EnvEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    pub name: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// npm, pypi, go, maven, gradle, nuget, cargo, gem.
    #[serde(deserialize_with = "crate::scan::facts::interned")]
    pub ecosystem: crate::scan::facts::Label,
    pub name: Option<String>,
    pub dependencies: Vec<Dependency>,
    /// The start command, when the manifest names one (package.json `scripts.start`).
    pub start: Option<String>,
    /// Whether it has scripts that run an app (`dev`, `serve`, `preview`), as
    /// front-end apps do where libraries do not.
    pub runs_app: bool,
    /// A web SDK named by the manifest itself (`Microsoft.NET.Sdk.Web`).
    pub web_sdk: bool,
    /// Not deployed as a service: a mobile or desktop client (.NET MAUI), or
    /// an orchestration host that only starts the others (.NET Aspire AppHost).
    pub not_a_service: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Dockerfile {
    pub expose: Vec<(Port, u32)>,
    pub env: Vec<EnvEntry>,
    /// Base images (`FROM`), in order.
    pub from: Vec<String>,
}

/// What one configuration file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigFacts {
    /// `.env`, `.env.example`, … : variable definitions.
    Dotenv(Vec<EnvEntry>),
    Compose(Vec<ComposeService>),
    Dockerfile(Dockerfile),
    /// Kubernetes workloads and the env they define.
    Kubernetes(Vec<Workload>),
    /// CI workflow `env:` blocks.
    Workflow(Vec<EnvEntry>),
    /// Spring `application.yml`/`.properties`: env reads through `${X}` and the server port.
    Spring {
        reads: Vec<EnvEntry>,
        port: Option<(Port, u32)>,
        targets: Vec<Target>,
    },
    Manifest(Manifest),
}

/// The configuration kinds, chosen by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigKind {
    Dotenv,
    Compose,
    Dockerfile,
    /// Any other YAML: parsed only if it looks like Kubernetes objects.
    KubernetesCandidate,
    Workflow,
    Spring,
    PackageJson,
    Pyproject,
    Requirements,
    GoMod,
    Pom,
    Gradle,
    Csproj,
    CargoToml,
    Gemfile,
}

impl ConfigKind {
    /// The source label of definitions found in this kind of file.
    pub fn source(self) -> &'static str {
        match self {
            ConfigKind::Dotenv => "dotenv",
            ConfigKind::Compose => "compose",
            ConfigKind::Dockerfile => "dockerfile",
            ConfigKind::KubernetesCandidate => "k8s",
            ConfigKind::Workflow => "ci",
            ConfigKind::Spring => "spring",
            _ => "manifest",
        }
    }
}

pub fn classify(path: &str) -> Option<ConfigKind> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    Some(match name {
        "package.json" => ConfigKind::PackageJson,
        "pyproject.toml" => ConfigKind::Pyproject,
        "go.mod" => ConfigKind::GoMod,
        "pom.xml" => ConfigKind::Pom,
        "build.gradle" | "build.gradle.kts" => ConfigKind::Gradle,
        "Cargo.toml" => ConfigKind::CargoToml,
        "Gemfile" => ConfigKind::Gemfile,
        _ if lower.ends_with(".csproj") => ConfigKind::Csproj,
        _ if lower.starts_with("requirements") && lower.ends_with(".txt") => ConfigKind::Requirements,
        _ if name.starts_with(".env") || lower.ends_with(".env") => ConfigKind::Dotenv,
        _ if name.starts_with("Dockerfile") || lower.ends_with(".dockerfile") => ConfigKind::Dockerfile,
        _ if yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose")) => ConfigKind::Compose,
        _ if yaml && path.contains(".github/workflows/") => ConfigKind::Workflow,
        _ if (yaml && lower.starts_with("application")
            || lower.starts_with("application") && lower.ends_with(".properties"))
            && !path.contains("/test/") =>
        {
            ConfigKind::Spring
        }
        _ if yaml && !path.contains("/templates/") => ConfigKind::KubernetesCandidate,
        _ => return None,
    })
}

/// Parses `text` as `kind`. `Ok(None)`: not this kind after all (YAML that is not Kubernetes).
pub fn parse(kind: ConfigKind, path: &str, text: &str) -> Result<Option<ConfigFacts>, String> {
    Ok(Some(match kind {
        ConfigKind::Dotenv => ConfigFacts::Dotenv(dotenv::parse(text)),
        ConfigKind::Compose => ConfigFacts::Compose(compose::parse(path, text)?),
        ConfigKind::Dockerfile => ConfigFacts::Dockerfile(dockerfile::parse(text)),
        ConfigKind::KubernetesCandidate => {
            // Cheap check first: most YAML in a tree is not Kubernetes.
            if !(text.contains("apiVersion") && text.contains("kind")) {
                return Ok(None);
            }
            let workloads = k8s::parse(text)?;
            if workloads.is_empty() {
                return Ok(None);
            }
            ConfigFacts::Kubernetes(workloads)
        }
        ConfigKind::Workflow => ConfigFacts::Workflow(workflow::parse(text)?),
        ConfigKind::Spring => {
            let (reads, port, targets) = manifest::spring(path, text)?;
            ConfigFacts::Spring { reads, port, targets }
        }
        ConfigKind::PackageJson => ConfigFacts::Manifest(manifest::package_json(text)?),
        ConfigKind::Pyproject => ConfigFacts::Manifest(manifest::pyproject(text)?),
        ConfigKind::Requirements => ConfigFacts::Manifest(manifest::requirements(text)),
        ConfigKind::GoMod => ConfigFacts::Manifest(manifest::go_mod(text)),
        ConfigKind::Pom => ConfigFacts::Manifest(manifest::pom(text)?),
        ConfigKind::Gradle => ConfigFacts::Manifest(manifest::gradle(text)),
        ConfigKind::Csproj => ConfigFacts::Manifest(manifest::csproj(path, text)?),
        ConfigKind::CargoToml => ConfigFacts::Manifest(manifest::cargo_toml(text)?),
        ConfigKind::Gemfile => ConfigFacts::Manifest(manifest::gemfile(text)),
    }))
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> u32 {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() as u32 + 1
}
