//! Inference: from per-file facts to services, externals, env vars and the
//! connections between them, each with its evidence.
//!
//! Services are the deployable units: directories with a manifest or a
//! Dockerfile that also show a framework, an entry point, a build by
//! compose or a Kubernetes workload running their image. What compose, k8s
//! and the directory say about one unit is merged into one service.
//!
//! The stages run in order over one [`Builder`], each in its own module:
//! [`units`] (directories and what builds them), [`placement`] (images and
//! workloads joined to the units that build them), [`identity`] (services,
//! their names and aliases), [`ownership`] (which services run a file),
//! [`env`] (variables) and [`connect`] (connections, through [`resolve`]).

mod binding;
mod catalog;
pub use catalog::resolve_version_catalogs;
mod connect;
mod env;
mod grpc;
mod identity;
pub(super) mod kube;
mod kustomize;
mod names;
mod ownership;
mod placement;
mod resolve;
mod unit;
mod units;
mod wrappers;

use binding::Binding;
use connect::merge_by_ends;
use names::Names;
use resolve::{Values, applies_to};
use unit::{Unit, give_dockerfile, unit_is_service_without_compose};

use std::collections::{BTreeMap, BTreeSet};

use super::config::build_commands::BuildTarget;
use super::config::compose::{self, Project};
use super::config::{ComposeService, ConfigFacts, ConfigKind, Dockerfile, EnvEntry, Manifest, Workload};
use super::externals;
use super::facts::FactKind;
use super::frameworks;
use super::model::{Connection, ConnectionKind, Definition, EnvStatus, EnvVar, Evidence, Service, ServiceKind, Usage};
use super::paths::{dir_of, is_under};
use super::process::Processed;

/// At most this many evidence items per service or connection, the earliest by path.
const MAX_EVIDENCE: usize = 12;

pub struct Inferred {
    pub services: Vec<Service>,
    pub env_vars: Vec<EnvVar>,
    pub connections: Vec<Connection>,
    /// What could not be followed in the configuration (a compose `extends` of nothing, …).
    pub warnings: Vec<String>,
}

/// The compose projects of a scan, assembled across its compose and `.env` files.
pub fn compose_projects(files: &[Processed]) -> Vec<Project> {
    compose::projects(&compose_sources(files))
}

/// The one project of exactly these compose files (`docker compose -f …`).
pub fn compose_project_of(files: &[Processed], chosen: &[&str]) -> Project {
    compose::project_of(&compose_sources(files), chosen)
}

fn compose_sources(files: &[Processed]) -> compose::project::Sources<'_> {
    let mut sources = compose::project::Sources { compose: BTreeMap::new(), dotenv: BTreeMap::new() };
    for file in files {
        let (Some(entry), Some((_, facts))) = (&file.entry, &file.config) else { continue };
        match facts {
            ConfigFacts::Compose(compose) => {
                sources.compose.insert(entry.path.as_str(), &compose.document);
            }
            ConfigFacts::Dotenv(entries) => {
                sources.dotenv.insert(entry.path.as_str(), entries.as_slice());
            }
            _ => {}
        }
    }
    sources
}

fn evidence(path: &str, line: u32, rule: &str) -> Evidence {
    Evidence { path: path.to_owned(), line, rule: rule.to_owned() }
}

/// Services, externals, connections and env vars from the processed files.
pub fn infer(files: &[Processed]) -> Inferred {
    let mut builder = Builder { projects: compose_projects(files), kube: kube::assemble(files), ..Builder::default() };
    builder.collect_units(files);
    builder.attribute_code(files);
    builder.adopt_image_services();
    builder.rehome_mounted_compose();
    builder.rehome_shared_builds();
    builder.place_compose_and_k8s();
    builder.adopt_task_processes();
    builder.fold_native_subprograms();
    builder.finish_services();
    builder.alias_kube_services();
    builder.alias_spring_applications(files);
    builder.link_libraries();
    builder.link_go_packages(files);
    builder.find_env_wrappers(files);
    builder.find_env_records(files);
    let env_vars = builder.env_vars(files);
    for var in &env_vars {
        for service in var.used.iter().filter_map(|u| u.service.as_ref()) {
            builder.reads.entry(service.clone()).or_default().insert(var.name.clone());
        }
    }
    builder.connect(files);
    let mut services: Vec<Service> = builder.services.into_iter().chain(builder.externals.into_values()).collect();
    services.sort_by(|a, b| a.id.cmp(&b.id));
    let connections = merge_by_ends(builder.connections.into_values());
    let warnings = builder.projects.iter().flat_map(|p| p.warnings.iter().cloned()).collect();
    Inferred { services, env_vars, connections, warnings }
}

#[derive(Default)]
struct Builder {
    projects: Vec<Project>,
    kube: kube::Kube,
    units: BTreeMap<String, Unit>,
    /// Compose services not tied to a directory (image only).
    image_services: Vec<(String, ComposeService)>,
    extra_workloads: Vec<(String, Workload)>,
    services: Vec<Service>,
    /// Names (compose name, k8s name, dir name, id) → service or external id.
    aliases: Names,
    externals: BTreeMap<String, Service>,
    connections: BTreeMap<(String, String, Option<String>), Connection>,
    /// In-tree libraries (a manifest, not a service) → the services that depend on them.
    library_users: BTreeMap<String, BTreeSet<String>>,
    /// `spring.application.name` → the service that declares it.
    spring_applications: BTreeMap<String, String>,
    /// Roots of Spring Cloud Config servers, and the services that take their configuration.
    config_servers: Vec<String>,
    config_clients: Vec<String>,
    /// Functions that read the env var their first parameter names: (ecosystem, name).
    env_wrappers: BTreeSet<(String, String)>,
    /// Per file, the names that hold the env record there (see `find_env_records`).
    env_records: BTreeMap<String, BTreeSet<String>>,
    /// Service → the env vars its code reads.
    reads: BTreeMap<String, BTreeSet<String>>,
    /// Directories of shared Go packages → the programs that import them, directly or not.
    package_users: BTreeMap<String, BTreeSet<String>>,
}

fn external_service(id: &str, kind: ServiceKind) -> Service {
    Service {
        id: id.to_owned(),
        name: id.to_owned(),
        kind,
        language: None,
        framework: None,
        root: None,
        ports: vec![],
        evidence: vec![],
        // Systems the catalog knows carry their role; an image it does not know has none.
        role: externals::role_of(id),
    }
}

/// `acme` of `registry.io/acme/cart:1`; none for official images or unresolved ones.
fn image_namespace(image: &str) -> Option<String> {
    let base = externals::image_base(image);
    let (namespace, _) = base.rsplit_once('/')?;
    (!namespace.contains('$') && !namespace.is_empty()).then(|| namespace.to_owned())
}

/// The names a compose service answers to in its project: its own, its
/// `container_name` and `hostname`, and its network aliases.
fn compose_names(service: &ComposeService) -> Vec<(String, String)> {
    std::iter::once(&service.name)
        .chain(&service.hostnames)
        .map(|name| (name.clone(), service.project_dir.clone()))
        .collect()
}

/// `PORT=8080` in a deployment's environment: the port the program listens on.
fn env_port<'a>(env: impl IntoIterator<Item = &'a EnvEntry>) -> Vec<u16> {
    env.into_iter().filter(|e| e.name == "PORT").filter_map(|e| e.value.as_deref()?.parse().ok()).collect()
}

fn last_segment(path: &str) -> &str {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or(path)
}

/// An id in `[a-z0-9._-]`.
pub fn sanitize(name: &str) -> String {
    let id: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' })
        .collect();
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() { "app".to_owned() } else { id }
}

fn unique_id(id: &str, taken: &mut BTreeSet<String>) -> String {
    let base = sanitize(id);
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

fn tidy(evidence: &mut Vec<Evidence>) {
    evidence.sort();
    evidence.dedup();
    evidence.truncate(MAX_EVIDENCE);
}

fn tidy_set(evidence: BTreeSet<Evidence>) -> Vec<Evidence> {
    evidence.into_iter().take(MAX_EVIDENCE).collect()
}
