//! Inference: from per-file facts to services, externals, env vars and the
//! connections between them, each with its evidence.
//!
//! Services are the deployable units: directories with a manifest or a
//! Dockerfile that also show a framework, an entry point, a build by
//! compose or a Kubernetes workload running their image. What compose, k8s
//! and the directory say about one unit is merged into one service.

use std::collections::{BTreeMap, BTreeSet};

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

/// The names services go by, each valid within a directory: a compose
/// name within its compose file's directory, a directory's name within its
/// parent, ids and k8s names everywhere (""). Independent projects in one
/// tree can each have their own `db` and `backend`.
#[derive(Default)]
struct Names(BTreeMap<String, Vec<(String, String)>>);

impl Names {
    /// Sets `name` in `scope`, replacing what it meant there.
    fn set(&mut self, name: &str, scope: &str, id: &str) {
        let entries = self.0.entry(name.to_owned()).or_default();
        entries.retain(|(s, _)| s != scope);
        entries.push((scope.to_owned(), id.to_owned()));
    }

    /// Adds `name` in `scope` unless it already means something there.
    fn add(&mut self, name: &str, scope: &str, id: &str) {
        let entries = self.0.entry(name.to_owned()).or_default();
        if !entries.iter().any(|(s, _)| s == scope) {
            entries.push((scope.to_owned(), id.to_owned()));
        }
    }

    /// What `name` means to something in directory `from`: the innermost
    /// scope enclosing it, else the name's only meaning, if it has one.
    fn get(&self, name: &str, from: &str) -> Option<String> {
        let entries = self.0.get(name)?;
        let visible = entries
            .iter()
            .filter(|(scope, _)| scope.is_empty() || scope == from || is_under(from, scope))
            .max_by_key(|(scope, _)| scope.len());
        visible.or(if entries.len() == 1 { entries.first() } else { None }).map(|(_, id)| id.clone())
    }
}

/// Whether a definition in `file` applies to code in directory `root`: the
/// file is in that directory, an ancestor, or below it.
fn applies_to(file: &str, root: &str) -> bool {
    let dir = dir_of(file);
    dir.is_empty() || dir == root || is_under(root, dir) || is_under(file, root)
}

/// Env var name → (value, defining file, line).
type Values = BTreeMap<String, Vec<(String, String, u32)>>;

/// A directory that may be a service, and everything known about it.
#[derive(Default)]
struct Unit {
    root: String,
    /// Names it goes by: compose service, k8s workload, directory, manifest name.
    aliases: BTreeSet<String>,
    manifests: Vec<(String, Manifest)>,
    dockerfile: Option<(String, Dockerfile)>,
    compose: Vec<(String, ComposeService)>,
    workloads: Vec<(String, Workload)>,
    entry_points: Vec<Evidence>,
    frameworks: Vec<(String, Evidence, Option<u16>)>,
    ports: BTreeSet<u16>,
    evidence: BTreeSet<Evidence>,
    languages: BTreeMap<String, usize>,
    /// For a Go `main` package below its module's root: that root.
    go_module: Option<String>,
}

impl Unit {
    fn new(root: &str) -> Unit {
        Unit { root: root.to_owned(), ..Unit::default() }
    }

    fn is_service(&self) -> bool {
        if !self.compose.is_empty() || !self.workloads.is_empty() {
            return true;
        }
        // Go's convention: the module's commands live in `cmd/`; a `main`
        // package elsewhere (tools/, hack/, examples/) is a program only when
        // something builds or deploys it (a Dockerfile, compose, a workload).
        if self.go_module.is_some() {
            return self.root.split('/').any(|segment| segment == "cmd") || self.dockerfile.is_some();
        }
        if self.manifests.iter().any(|(_, m)| m.not_a_service) {
            return false;
        }
        // In languages whose programs start at a `main`, code without one is a library,
        // whatever frameworks it wires up for its callers.
        let compiled =
            self.manifests.iter().any(|(_, m)| matches!(m.ecosystem, "go" | "cargo" | "maven" | "gradle" | "nuget"));
        if compiled && self.entry_points.is_empty() {
            return false;
        }
        // A Dockerfile alone (nothing builds or runs it) is a build recipe, not a service.
        let has_code = !self.manifests.is_empty() || !self.frameworks.is_empty() || !self.entry_points.is_empty();
        // A UI framework plus a script that runs it: a front-end app, not a component library.
        let frontend_app = self.manifests.iter().any(|(_, m)| {
            m.runs_app
                && m.dependencies.iter().any(|d| {
                    frameworks::by_package(m.ecosystem, &d.name).is_some_and(|f| f.kind == ServiceKind::Frontend)
                })
        });
        (self.dockerfile.is_some() && has_code)
            || frontend_app
            || !self.frameworks.is_empty()
            || (!self.manifests.is_empty() && !self.entry_points.is_empty())
            || self.manifests.iter().any(|(_, m)| m.start.is_some() || m.web_sdk)
    }

    /// A directory holding only a Dockerfile `FROM` a known third-party
    /// image (`FROM prom/prometheus` plus config): that system, not ours.
    fn wrapped_external(&self) -> Option<&'static externals::External> {
        let (_, dockerfile) = self.dockerfile.as_ref()?;
        if !self.manifests.is_empty() || !self.frameworks.is_empty() || !self.entry_points.is_empty() {
            return None;
        }
        externals::by_image(dockerfile.final_from(None)?)
    }
}

fn evidence(path: &str, line: u32, rule: &str) -> Evidence {
    Evidence { path: path.to_owned(), line, rule: rule.to_owned() }
}

pub fn infer(files: &[Processed]) -> Inferred {
    let mut builder =
        Builder { projects: compose_projects(files), kube: super::infer_kube::assemble(files), ..Builder::default() };
    builder.collect_units(files);
    builder.attribute_code(files);
    builder.adopt_image_services();
    builder.rehome_mounted_compose();
    builder.place_compose_and_k8s();
    builder.finish_services();
    builder.alias_kube_services();
    builder.alias_spring_applications(files);
    builder.link_libraries();
    builder.link_go_packages(files);
    let env_vars = builder.env_vars(files);
    builder.connect(files);
    let mut services: Vec<Service> = builder.services.into_iter().chain(builder.externals.into_values()).collect();
    services.sort_by(|a, b| a.id.cmp(&b.id));
    let mut connections: Vec<Connection> = builder.connections.into_values().collect();
    drop_redundant(&mut connections);
    connections.sort_by(|a, b| (&a.from, &a.to, &a.via).cmp(&(&b.from, &b.to, &b.via)));
    let warnings = builder.projects.iter().flat_map(|p| p.warnings.iter().cloned()).collect();
    Inferred { services, env_vars, connections, warnings }
}

#[derive(Default)]
struct Builder {
    projects: Vec<Project>,
    kube: super::infer_kube::Kube,
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
    /// Directories of shared Go packages → the programs that import them, directly or not.
    package_users: BTreeMap<String, BTreeSet<String>>,
}

impl Builder {
    /// Every directory holding a manifest or a Dockerfile, or built by compose, is a unit.
    fn collect_units(&mut self, files: &[Processed]) {
        // Directories of code and manifests: a Dockerfile kept apart from the
        // code it builds (`docker/Dockerfile`) does not make its directory the service.
        let code_dirs: BTreeSet<&str> = files
            .iter()
            .filter_map(|file| {
                let entry = file.entry.as_ref()?;
                let code = entry.language.as_deref().and_then(super::lang::ecosystem_of).is_some()
                    || matches!(file.config, Some((_, ConfigFacts::Manifest(_))));
                code.then(|| dir_of(&entry.path))
            })
            .collect();
        let holds_code = |dir: &str| code_dirs.iter().any(|code| *code == dir || is_under(code, dir));
        let dockerfiles: BTreeMap<&str, &Dockerfile> = files
            .iter()
            .filter_map(|file| match (&file.entry, &file.config) {
                (Some(entry), Some((_, ConfigFacts::Dockerfile(d)))) => Some((entry.path.as_str(), d)),
                _ => None,
            })
            .collect();
        let manifest_dirs: BTreeSet<&str> = files
            .iter()
            .filter(|file| matches!(file.config, Some((_, ConfigFacts::Manifest(_)))))
            .filter_map(|file| Some(dir_of(&file.entry.as_ref()?.path)))
            .collect();
        let mut loose_dockerfiles: Vec<(String, Dockerfile)> = Vec::new();
        for file in files {
            let (Some(entry), Some((_, facts))) = (&file.entry, &file.config) else { continue };
            let dir = dir_of(&entry.path).to_owned();
            match facts {
                ConfigFacts::Manifest(manifest) => {
                    let unit = self.units.entry(dir.clone()).or_insert_with(|| Unit::new(&dir));
                    unit.manifests.push((entry.path.clone(), manifest.clone()));
                    if let Some(name) = &manifest.name {
                        unit.aliases.insert(name.rsplit('/').next().unwrap_or(name).to_owned());
                    }
                }
                ConfigFacts::Dockerfile(dockerfile) => {
                    // A Dockerfile kept apart from any code (`src/main/docker/`,
                    // `docker/`) is placed once compose builds are known.
                    if !holds_code(&dir) {
                        loose_dockerfiles.push((entry.path.clone(), dockerfile.clone()));
                        continue;
                    }
                    let unit = self.units.entry(dir.clone()).or_insert_with(|| Unit::new(&dir));
                    give_dockerfile(unit, &entry.path, dockerfile);
                }
                _ => {}
            }
        }
        // A Procfile's process types run the directory's code, as compose services would.
        for file in files {
            let (Some(entry), Some((_, ConfigFacts::Procfile(processes)))) = (&file.entry, &file.config) else {
                continue;
            };
            let dir = dir_of(&entry.path).to_owned();
            // `release` is a deploy step (migrations), not a running process.
            for process in processes.iter().filter(|p| p.name != "release") {
                let service = ComposeService {
                    name: process.name.clone(),
                    path: entry.path.clone(),
                    line: process.line,
                    build: Some(dir.clone()),
                    command: Some(process.command.clone()),
                    environment: process.env.iter().map(|e| (entry.path.clone(), e.clone())).collect(),
                    files: vec![entry.path.clone()],
                    project_dir: dir.clone(),
                    ..ComposeService::default()
                };
                self.units
                    .entry(dir.clone())
                    .or_insert_with(|| Unit::new(&dir))
                    .compose
                    .push((entry.path.clone(), service));
            }
        }
        // An Aspire AppHost runs projects of the solution under names, as compose runs builds.
        let projects_by_type: BTreeMap<String, String> = files
            .iter()
            .filter(|f| matches!(&f.config, Some((ConfigKind::Csproj, _))))
            .filter_map(|f| {
                let path = &f.entry.as_ref()?.path;
                let stem = path.rsplit('/').next()?.strip_suffix(".csproj")?;
                // Aspire names `Catalog.API.csproj` `Projects.Catalog_API`.
                Some((stem.replace(['.', '-'], "_"), dir_of(path).to_owned()))
            })
            .collect();
        for file in files {
            let (Some(entry), Some((_, ConfigFacts::Aspire(resources)))) = (&file.entry, &file.config) else {
                continue;
            };
            for resource in resources {
                let Some(root) = resource.project.as_ref().and_then(|p| projects_by_type.get(p)) else { continue };
                let service = ComposeService {
                    name: resource.name.clone(),
                    path: entry.path.clone(),
                    line: resource.line,
                    build: Some(root.clone()),
                    files: vec![entry.path.clone()],
                    ..ComposeService::default()
                };
                self.units
                    .entry(root.clone())
                    .or_insert_with(|| Unit::new(root))
                    .compose
                    .push((entry.path.clone(), service));
            }
        }
        // Every Go `main` package is a program of its own, below its module's root.
        for file in files {
            let Some(entry) = &file.entry else { continue };
            if !file.entry_point || entry.language.as_deref() != Some("go") || super::paths::is_excluded(&entry.path) {
                continue;
            }
            let dir = dir_of(&entry.path).to_owned();
            let module = self
                .units
                .iter()
                .filter(|(root, unit)| {
                    (root.is_empty() || is_under(&dir, root)) && unit.manifests.iter().any(|(_, m)| m.ecosystem == "go")
                })
                .max_by_key(|(root, _)| root.len())
                .map(|(root, _)| root.clone());
            if let Some(module) = module.filter(|m| *m != dir) {
                self.units.entry(dir.clone()).or_insert_with(|| Unit::new(&dir)).go_module = Some(module);
            }
        }
        for service in self.projects.iter().flat_map(|p| &p.services) {
            match &service.build {
                Some(context) => {
                    let dockerfile_path =
                        super::config::join(context, service.dockerfile.as_deref().unwrap_or("Dockerfile"));
                    let root = build_root(
                        context,
                        &dockerfile_path,
                        dockerfiles.get(dockerfile_path.as_str()).copied(),
                        &holds_code,
                        &manifest_dirs,
                    );
                    let unit = self.units.entry(root.clone()).or_insert_with(|| Unit::new(&root));
                    if unit.dockerfile.is_none()
                        && let Some(dockerfile) = dockerfiles.get(dockerfile_path.as_str())
                    {
                        unit.dockerfile = Some((dockerfile_path.clone(), (*dockerfile).clone()));
                    }
                    unit.compose.push((service.path.clone(), service.clone()));
                }
                None => self.image_services.push((service.path.clone(), service.clone())),
            }
        }
        // Loose Dockerfiles: the unit a build already placed there, else the
        // nearest enclosing program that has none (`src/main/docker/Dockerfile`
        // builds its module); never a unit of their own, which would cut the
        // module off from its entry point.
        for (path, dockerfile) in loose_dockerfiles {
            if self.units.values().any(|u| u.dockerfile.as_ref().is_some_and(|(p, _)| *p == path)) {
                continue;
            }
            let dir = dir_of(&path);
            let owner = self.units.get(dir).map(|_| dir.to_owned()).or_else(|| {
                self.units
                    .iter()
                    .filter(|(root, unit)| !unit.manifests.is_empty() && (root.is_empty() || is_under(dir, root)))
                    .max_by_key(|(root, _)| root.len())
                    .map(|(root, _)| root.clone())
            });
            if let Some(unit) = owner.and_then(|root| self.units.get_mut(&root))
                && unit.dockerfile.is_none()
            {
                give_dockerfile(unit, &path, &dockerfile);
            }
        }
    }

    /// The deepest unit whose root contains `path`.
    fn unit_of(&self, path: &str) -> Option<&str> {
        self.units.keys().filter(|root| is_under(path, root)).max_by_key(|root| root.len()).map(String::as_str)
    }

    /// Frameworks, ports and entry points found in code belong to the deepest unit.
    fn attribute_code(&mut self, files: &[Processed]) {
        for file in files {
            let Some(entry) = &file.entry else { continue };
            let Some(root) = self.unit_of(&entry.path).map(str::to_owned) else { continue };
            let unit = self.units.get_mut(&root).expect("root exists");
            if let Some(language) = &entry.language
                && file.parsed
                && !file.code.is_empty()
            {
                *unit.languages.entry(language.clone()).or_default() += 1;
            }
            if file.entry_point {
                let rule = format!("{}.entry-point", entry.language.as_deref().unwrap_or("code"));
                unit.entry_points.push(evidence(&entry.path, 1, &rule));
            }
            for fact in &file.code {
                match &fact.kind {
                    FactKind::Framework { name, port } => {
                        unit.frameworks.push((name.clone(), evidence(&entry.path, fact.line, fact.rule), *port));
                        unit.ports.extend(port);
                    }
                    FactKind::Listen { port: Some(port), .. } => {
                        unit.ports.insert(*port);
                        unit.evidence.insert(evidence(&entry.path, fact.line, fact.rule));
                    }
                    _ => {}
                }
            }
            if let Some((ConfigKind::Spring, ConfigFacts::Spring { port: Some((port, line)), .. })) = &file.config {
                unit.ports.insert(*port);
                unit.evidence.insert(evidence(&entry.path, *line, "spring.server-port"));
            }
        }
    }

    /// Kubernetes workloads join the unit whose name or directory their image names.
    fn place_compose_and_k8s(&mut self) {
        let placed: Vec<(String, Workload, Option<String>)> = self
            .kube
            .workloads
            .iter()
            .map(|w| (w.path.clone(), w.workload.clone(), self.unit_for_workload(&w.workload)))
            .collect();
        for (path, workload, root) in placed {
            match root {
                Some(root) => self.units.get_mut(&root).expect("exists").workloads.push((path, workload)),
                None => self.extra_workloads.push((path, workload)),
            }
        }
    }

    /// An application's `spring.application.name` is the name it registers
    /// under (Eureka, Consul, `lb://name`) and the name of its files in a
    /// config server.
    fn alias_spring_applications(&mut self, files: &[Processed]) {
        for file in files {
            let (Some(entry), Some((_, ConfigFacts::Spring { name: Some(name), .. }))) = (&file.entry, &file.config)
            else {
                continue;
            };
            let owners = self.services_of_path(&entry.path);
            let [owner] = owners.as_slice() else { continue };
            self.aliases.add(name, "", owner);
            self.spring_applications.entry(name.clone()).or_insert_with(|| owner.clone());
        }
        // Spring Cloud Config: a server serves configuration to the applications that are its clients.
        let depends_on = |unit: &Unit, artifacts: &[&str]| {
            unit.manifests.iter().flat_map(|(_, m)| &m.dependencies).any(|d| {
                let artifact = d.name.rsplit(':').next().unwrap_or(&d.name);
                artifacts.contains(&artifact)
            })
        };
        self.config_servers = self
            .units
            .iter()
            .filter(|(_, unit)| depends_on(unit, &["spring-cloud-config-server"]))
            .map(|(root, _)| root.clone())
            .collect();
        self.config_clients = self
            .services
            .iter()
            .filter(|s| {
                s.root.as_ref().and_then(|root| self.units.get(root)).is_some_and(|unit| {
                    depends_on(unit, &["spring-cloud-starter-config", "spring-cloud-config-client"])
                })
            })
            .map(|s| s.id.clone())
            .collect();
    }

    /// Who runs what a file says. A Spring file named after another
    /// application (`shared/account-service.yml`, `billing-prod.yml` served
    /// by a config server) configures that application, wherever it lies.
    fn owners_of_file(&self, file: &Processed, path: &str) -> Vec<String> {
        if let Some((ConfigKind::Spring, _)) = &file.config {
            let name = path.rsplit('/').next().unwrap_or(path);
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            // `application*.yml` that a config server serves (not its own, at the top of its
            // resources) is every client's configuration.
            let served = self
                .config_servers
                .iter()
                .any(|root| is_under(path, root) && dir_of(path) != super::config::join(root, "src/main/resources"));
            if served && (stem == "application" || stem.starts_with("application-")) && !self.config_clients.is_empty()
            {
                return self.config_clients.clone();
            }
            // `name`, then `name-profile`: the longest known application name that the stem starts with.
            let mut candidate = stem;
            loop {
                if let Some(owner) = self.spring_applications.get(candidate) {
                    return vec![owner.clone()];
                }
                match candidate.rsplit_once('-') {
                    Some((shorter, _)) => candidate = shorter,
                    None => break,
                }
            }
        }
        self.services_of_path(path)
    }

    /// A Kubernetes Service's names (`cart`, `cart.shop`, `cart.shop.svc.cluster.local`)
    /// mean what the workloads it selects are.
    /// A Service that selects several workloads (a canary beside the main
    /// deployment) means the one it is named after, or its only first-party one.
    fn alias_kube_services(&mut self) {
        for (workloads, names) in self.kube.service_names() {
            let mut ids: Vec<String> = workloads.iter().filter_map(|w| self.aliases.get(w, "")).collect();
            ids.sort();
            ids.dedup();
            let service_name = &names[0];
            let id = if ids.len() == 1 {
                ids.pop()
            } else if let Some(named) = self.aliases.get(service_name, "").filter(|id| ids.contains(id)) {
                Some(named)
            } else {
                let first_party: Vec<&String> = ids.iter().filter(|id| !self.externals.contains_key(*id)).collect();
                match first_party.as_slice() {
                    [only] => Some((*only).clone()),
                    _ => None,
                }
            };
            let Some(id) = id else { continue };
            for name in names {
                self.aliases.set(&name, "", &id);
            }
        }
    }

    fn unit_for_workload(&self, workload: &Workload) -> Option<String> {
        if let Some(root) = workload.images.iter().find_map(|image| self.built_here(image)) {
            return Some(root);
        }
        let mut names: Vec<String> = workload
            .images
            .iter()
            .filter(|image| externals::by_image(image).is_none())
            .flat_map(|image| externals::image_names(image))
            .collect();
        names.push(workload.name.clone());
        // Deepest match first: `src/cartservice/src` is matched by `cartservice` through its parent.
        let mut best: Option<(usize, &str)> = None;
        for (root, unit) in &self.units {
            let segments: Vec<&str> = root.split('/').collect();
            let score = names.iter().filter_map(|name| {
                if unit.compose.iter().any(|(_, c)| &c.name == name) || unit.aliases.contains(name) {
                    return Some(3);
                }
                match segments.iter().rposition(|s| s == name) {
                    Some(i) if i + 1 == segments.len() => Some(2),
                    Some(_) => Some(1),
                    None => None,
                }
            });
            if let Some(score) = score.max()
                && unit.is_service_candidate_for_k8s()
                && best.is_none_or(|(s, r)| score > s || (score == s && root.len() > r.len()))
            {
                best = Some((score, root));
            }
        }
        best.map(|(_, root)| root.to_owned())
    }

    /// The unit that builds `image` in this tree: a compose service with
    /// `build:` that tags its image so (`image: acme/cart` beside `build: ./cart`).
    fn built_here(&self, image: &str) -> Option<String> {
        let base = externals::image_base(image);
        if base.is_empty() || base.contains('$') {
            return None;
        }
        self.units
            .iter()
            .find(|(_, unit)| {
                unit.compose.iter().any(|(_, c)| {
                    c.build.is_some() && c.image.as_deref().is_some_and(|i| externals::image_base(i) == base)
                })
            })
            .map(|(root, _)| root.clone())
    }

    /// The repository namespaces (`acme` of `acme/cart`) that images built in this tree are tagged into.
    fn first_party_namespaces(&self) -> BTreeSet<String> {
        self.units
            .values()
            .flat_map(|u| &u.compose)
            .filter(|(_, c)| c.build.is_some())
            .filter_map(|(_, c)| image_namespace(c.image.as_deref()?))
            .collect()
    }

    /// Compose services that run an image built from this tree elsewhere
    /// (`image: org/spring-petclinic-vets-service`, built by Maven) join the
    /// directory of that name.
    fn adopt_image_services(&mut self) {
        let mut remaining = Vec::new();
        for (path, service) in std::mem::take(&mut self.image_services) {
            let image = service.image.as_deref().unwrap_or("");
            let owner = self.built_here(image).or_else(|| {
                if externals::by_image(image).is_some() {
                    return None;
                }
                // Named after a program of this tree, longest name first.
                externals::image_names(image).iter().find_map(|name| {
                    self.units
                        .iter()
                        .find(|(root, unit)| {
                            !unit.manifests.is_empty() && (last_segment(root) == name || unit.aliases.contains(name))
                        })
                        .map(|(root, _)| root.clone())
                })
            });
            match owner {
                Some(root) => self.units.get_mut(&root).expect("exists").compose.push((path, service)),
                None => remaining.push((path, service)),
            }
        }
        self.image_services = remaining;
    }

    /// A generic build image that runs source mounted from the tree
    /// (`volumes: ./internal:/internal`, `working_dir: /internal/trainer`)
    /// is the service of that source directory.
    fn rehome_mounted_compose(&mut self) {
        let code_roots: BTreeSet<String> =
            self.units.iter().filter(|(_, u)| !u.manifests.is_empty()).map(|(r, _)| r.clone()).collect();
        let mut moves = Vec::new();
        for (root, unit) in &self.units {
            if !unit.manifests.is_empty() {
                continue;
            }
            for (index, (_, compose)) in unit.compose.iter().enumerate() {
                let Some(workdir) = compose.working_dir.as_deref() else { continue };
                let mounted = compose.mounts.iter().find_map(|(source, target)| {
                    let rest = workdir.strip_prefix(target.as_str())?;
                    (rest.is_empty() || rest.starts_with('/'))
                        .then(|| super::config::join(source, rest.trim_start_matches('/')))
                });
                if let Some(code) = mounted.filter(|code| code_roots.contains(code)) {
                    moves.push((root.clone(), index, code));
                }
            }
        }
        for (from, index, to) in moves.into_iter().rev() {
            let entry = self.units.get_mut(&from).expect("exists").compose.remove(index);
            self.units.get_mut(&to).expect("exists").compose.push(entry);
        }
    }

    fn finish_services(&mut self) {
        let first_party = self.first_party_namespaces();
        let mut units = std::mem::take(&mut self.units);
        // Directories that only wrap a third-party image are that external system.
        for unit in units.values() {
            let Some(external) = unit.wrapped_external() else { continue };
            if unit.compose.is_empty() && unit.workloads.is_empty() {
                continue;
            }
            let service = self
                .externals
                .entry(external.id.clone())
                .or_insert_with(|| external_service(&external.id, external.kind));
            for (path, compose) in &unit.compose {
                service.evidence.push(evidence(path, compose.line, "compose.build"));
                service.ports.extend(&compose.ports);
                for (name, scope) in compose_names(compose) {
                    self.aliases.set(&name, &scope, &external.id);
                }
            }
            for (path, workload) in &unit.workloads {
                service.evidence.push(evidence(path, workload.line, workload.rule()));
                self.aliases.set(&workload.name, "", &external.id);
            }
        }
        units.retain(|_, unit| {
            unit.wrapped_external().is_none() || (unit.compose.is_empty() && unit.workloads.is_empty())
        });
        // A workspace root's stray scripts do not make it a service: with
        // units below it, only its own framework, Dockerfile or build counts.
        let roots: Vec<String> = units.keys().cloned().collect();
        for (root, unit) in units.iter_mut() {
            if roots.iter().any(|other| other != root && is_under(other, root)) {
                unit.entry_points.clear();
            }
        }
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for (_, unit) in units.iter().filter(|(_, u)| u.is_service()) {
            for (mut service, compose_names) in self.services_of(unit) {
                let id = unique_id(&service.id, &mut taken);
                service.id = id.clone();
                self.aliases.add(&id, "", &id);
                let parent = dir_of(&unit.root);
                for alias in &unit.aliases {
                    self.aliases.add(alias, parent, &id);
                }
                if !unit.root.is_empty() {
                    self.aliases.add(last_segment(&unit.root), parent, &id);
                }
                for (_, workload) in &unit.workloads {
                    self.aliases.set(&workload.name, "", &id);
                }
                for (name, scope) in compose_names {
                    self.aliases.set(&name, &scope, &id);
                }
                self.services.push(service);
            }
        }
        // Compose services that only run an image, and workloads of no unit.
        // (file, names with their scopes, line, image, ports, the rule that found it)
        type ImageOnly = (String, Vec<(String, String)>, u32, String, Vec<u16>, &'static str);
        let image_only: Vec<ImageOnly> = self
            .image_services
            .iter()
            .filter_map(|(path, s)| {
                Some((path.clone(), compose_names(s), s.line, s.image.clone()?, s.ports.clone(), "compose.image"))
            })
            .chain(self.extra_workloads.iter().flat_map(|(path, w)| {
                w.images.iter().map(move |image| {
                    (
                        path.clone(),
                        vec![(w.name.clone(), String::new())],
                        w.line,
                        image.clone(),
                        w.ports.clone(),
                        "k8s.image",
                    )
                })
            }))
            .collect();
        for (path, names, line, image, ports, rule) in image_only {
            let id = match externals::by_image(&image) {
                Some(external) => external.id.clone(),
                // A runtime or a tool run as it is (`alpine`, `python:3.12`) is no system.
                None if externals::is_utility_image(&image) => continue,
                // Another image of the namespace this tree's images are pushed to
                // (`acme/payment-canary` beside `acme/payment` built here) is first party.
                None if image_namespace(&image).is_some_and(|ns| first_party.contains(&ns)) => continue,
                None => sanitize(last_segment(&externals::image_base(&image))),
            };
            let kind = externals::by_id(&id).map_or(ServiceKind::External, |e| e.kind);
            let service = self.externals.entry(id.clone()).or_insert_with(|| external_service(&id, kind));
            service.evidence.push(evidence(&path, line, rule));
            service.ports.extend(ports);
            for (name, scope) in names {
                self.aliases.set(&name, &scope, &id);
            }
        }
        for service in self.externals.values_mut() {
            service.ports.sort_unstable();
            service.ports.dedup();
            tidy(&mut service.evidence);
        }
        self.units = units;
    }

    /// One unit is usually one service; compose services that build the
    /// same directory but run another command (a worker) are more.
    /// The services a unit makes, each with the compose names it answers to.
    fn services_of(&self, unit: &Unit) -> Vec<(Service, Vec<(String, String)>)> {
        let mut evidence_set = unit.evidence.clone();
        for (path, manifest) in &unit.manifests {
            evidence_set.insert(evidence(path, 1, &format!("{}.manifest", manifest.ecosystem)));
        }
        if let Some((path, _)) = &unit.dockerfile {
            evidence_set.insert(evidence(path, 1, "dockerfile.build"));
        }
        for (path, workload) in &unit.workloads {
            evidence_set.insert(evidence(path, workload.line, workload.rule()));
        }
        for (_, e, _) in &unit.frameworks {
            evidence_set.insert(e.clone());
        }
        evidence_set.extend(unit.entry_points.iter().cloned());

        let (framework, framework_kind) = self.framework_of(unit);
        let language = self.language_of(unit);
        let mut ports: BTreeSet<u16> = unit.ports.clone();
        if let Some((_, dockerfile)) = &unit.dockerfile {
            let target = unit.compose.iter().find_map(|(_, c)| c.target.as_deref());
            ports.extend(dockerfile.exposed(target));
        }
        for (_, workload) in &unit.workloads {
            ports.extend(&workload.ports);
        }
        for (_, workload) in &unit.workloads {
            ports.extend(env_port(&workload.env));
        }

        let directory_name = if unit.root.is_empty() { None } else { Some(last_segment(&unit.root).to_owned()) };
        let manifest_name =
            unit.manifests.iter().find_map(|(_, m)| m.name.as_deref().map(|n| last_segment(n).to_owned()));
        let workload_name = unit.workloads.first().map(|(_, w)| w.name.clone());
        let base_kind = framework_kind.unwrap_or(ServiceKind::Service);

        // Compose services building this directory: the first that is not a
        // worker and uses the directory's own Dockerfile is the unit itself;
        // the others (workers, `Dockerfile.playwright`) are services of their own.
        let mut composed: Vec<(&String, &ComposeService, ServiceKind)> = unit
            .compose
            .iter()
            .map(|(path, c)| (path, c, worker_kind(c.command.as_deref()).unwrap_or(base_kind)))
            .collect();
        // The Dockerfile that builds this directory's program: its plain `Dockerfile`,
        // or one kept elsewhere that was placed here because it copies this directory
        // in. A `Dockerfile.playwright` beside the code builds something else.
        let own_dockerfile = |c: &ComposeService| {
            c.dockerfile.as_deref().is_none_or(|d| {
                last_segment(d) == "Dockerfile"
                    || unit.dockerfile.as_ref().is_some_and(|(path, _)| {
                        dir_of(path) != unit.root
                            && c.build.as_deref().is_some_and(|context| super::config::join(context, d) == *path)
                    })
            })
        };
        composed.sort_by_key(|(_, c, kind)| {
            (*kind == ServiceKind::Worker || !own_dockerfile(c), c.ports.is_empty(), c.name.clone())
        });
        // Unless the directory is a service in its own right even without
        // compose: then every compose entry is another service.
        let directory_is_main =
            composed.first().is_some_and(|(_, c, kind)| *kind == ServiceKind::Worker || !own_dockerfile(c))
                && unit_is_service_without_compose(unit);
        let (main_compose, main_kind, others) = match composed.split_first() {
            Some(((path, compose, kind), rest)) if !directory_is_main => (Some((*path, *compose)), *kind, rest),
            _ => (None, base_kind, composed.as_slice()),
        };
        let mut main_ports = ports;
        let mut main_evidence = evidence_set;
        if let Some((path, compose)) = main_compose {
            main_ports.extend(&compose.ports);
            main_ports.extend(env_port(compose.environment.iter().map(|(_, e)| e)));
            main_evidence.insert(evidence(path, compose.line, "compose.service"));
        }
        // Ports, in order of precedence: what the code listens on, framework
        // config, the deployment's ports and PORT, the image's EXPOSE (all
        // above); only when none says anything, the framework's default.
        if main_ports.is_empty() {
            main_ports.extend(framework.as_deref().and_then(frameworks::by_name).and_then(|f| f.default_port));
        }
        let id = main_compose
            .map(|(_, c)| c.name.clone())
            .or(workload_name.clone())
            .or(directory_name.clone())
            .or(manifest_name.clone())
            .unwrap_or_else(|| "app".to_owned());
        let name = describe(framework.as_deref(), main_kind, &id);
        let main_names: Vec<(String, String)> = main_compose.map(|(_, c)| compose_names(c)).unwrap_or_default();
        let mut services = vec![(
            Service {
                id: sanitize(&id),
                name,
                kind: main_kind,
                language: language.clone(),
                framework: framework.clone(),
                root: Some(unit.root.clone()),
                ports: main_ports.into_iter().collect(),
                evidence: tidy_set(main_evidence),
                role: None,
            },
            main_names,
        )];
        // Entries running the same build in the same role (`trainer-http` and
        // `trainer-grpc` from one image) are one service under several names.
        let same_program = |c: &ComposeService, kind: ServiceKind| {
            kind == main_kind && main_compose.is_some_and(|(_, m)| m.dockerfile == c.dockerfile) && own_dockerfile(c)
        };
        for (path, compose, kind) in others {
            if same_program(compose, *kind) {
                let (main, names) = &mut services[0];
                main.ports.extend(&compose.ports);
                main.ports.sort_unstable();
                main.ports.dedup();
                main.evidence.push(evidence(path, compose.line, "compose.service"));
                names.extend(compose_names(compose));
                continue;
            }
            let mut ports: BTreeSet<u16> = compose.ports.iter().copied().collect();
            ports.extend(env_port(compose.environment.iter().map(|(_, e)| e)));
            let framework = if *kind == ServiceKind::Worker {
                worker_framework(compose.command.as_deref()).or(framework.clone())
            } else {
                framework.clone()
            };
            let service = Service {
                id: sanitize(&compose.name),
                name: describe(framework.as_deref(), *kind, &compose.name),
                kind: *kind,
                language: language.clone(),
                framework,
                root: Some(unit.root.clone()),
                ports: ports.into_iter().collect(),
                evidence: vec![evidence(path, compose.line, "compose.service")],
                role: None,
            };
            services.push((service, compose_names(compose)));
        }
        services
    }

    /// The framework: the highest-ranked one seen in code or named by a manifest.
    fn framework_of(&self, unit: &Unit) -> (Option<String>, Option<ServiceKind>) {
        let mut candidates: Vec<(i64, String, ServiceKind)> = Vec::new();
        for (name, _, _) in &unit.frameworks {
            let known = frameworks::by_name(name);
            let kind = known.map_or(ServiceKind::Service, |f| f.kind);
            // Seen in code: a small bonus over a bare dependency.
            candidates.push((known.map_or(50, |f| f.rank) + 5, name.clone(), kind));
        }
        for (_, manifest) in &unit.manifests {
            for dependency in &manifest.dependencies {
                if let Some(f) = frameworks::by_package(manifest.ecosystem, &dependency.name) {
                    candidates.push((f.rank, f.name.clone(), f.kind));
                }
            }
            if manifest.web_sdk {
                candidates.push((60, "aspnet".into(), ServiceKind::Service));
            }
        }
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        // A worker framework makes a worker only when nothing serves requests.
        let serving = candidates.iter().any(|c| c.2 != ServiceKind::Worker);
        let best = candidates.into_iter().find(|c| c.2 != ServiceKind::Worker || !serving);
        match best {
            Some((_, name, kind)) => (Some(name), Some(kind)),
            None => (None, None),
        }
    }

    fn language_of(&self, unit: &Unit) -> Option<String> {
        let from_manifest = unit.manifests.iter().find_map(|(path, m)| {
            Some(match m.ecosystem {
                "pypi" => "python",
                "go" => "go",
                "maven" | "gradle" => {
                    if path.ends_with(".kts") {
                        "kotlin"
                    } else {
                        "java"
                    }
                }
                "nuget" => "csharp",
                "cargo" => "rust",
                "gem" => "ruby",
                "npm" => {
                    if unit.languages.contains_key("typescript") {
                        "typescript"
                    } else {
                        "javascript"
                    }
                }
                _ => return None,
            })
        });
        let most_common = unit.languages.iter().max_by_key(|(_, count)| **count).map(|(l, _)| l.as_str());
        most_common.or(from_manifest).map(str::to_owned)
    }

    /// The services a file belongs to: those with the deepest root containing
    /// it. Several services built from one directory (a web process and its
    /// worker) run the same code, so they all read what it reads.
    fn services_of_path(&self, path: &str) -> Vec<String> {
        let depth = |s: &Service| s.root.as_deref().filter(|root| is_under(path, root)).map(str::len);
        let deepest = self.services.iter().filter_map(depth).max();
        // A shared Go package runs inside the programs that import it.
        let dir = dir_of(path);
        if let Some(users) = self.package_users.get(dir)
            && deepest.is_none_or(|d| d < dir.len())
        {
            return users.iter().cloned().collect();
        }
        // Code of an in-tree library runs inside the services that depend on it.
        let library =
            self.library_users.iter().filter(|(root, _)| is_under(path, root)).max_by_key(|(root, _)| root.len());
        if let Some((root, users)) = library
            && deepest.is_none_or(|d| root.len() > d)
        {
            return users.iter().cloned().collect();
        }
        let Some(deepest) = deepest else { return Vec::new() };
        self.services.iter().filter(|s| depth(s) == Some(deepest)).map(|s| s.id.clone()).collect()
    }

    /// Links in-tree libraries (npm workspace packages, .NET project
    /// references, Cargo path crates, Go and Maven modules) to the services
    /// that depend on them, directly or through other libraries, by the
    /// names their manifests give them.
    /// Follows each Go program's imports through its module's own packages,
    /// so code in `internal/` and `pkg/` belongs to the programs that use it.
    fn link_go_packages(&mut self, files: &[Processed]) {
        // Module roots with their module paths.
        let modules: Vec<(String, String)> = self
            .units
            .iter()
            .filter_map(|(root, unit)| {
                let (_, manifest) = unit.manifests.iter().find(|(_, m)| m.ecosystem == "go")?;
                Some((root.clone(), manifest.name.clone()?))
            })
            .collect();
        if modules.is_empty() {
            return;
        }
        // Package directory → directories of the module packages it imports.
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in files {
            let Some(entry) = &file.entry else { continue };
            if file.imports.is_empty() || super::paths::is_excluded(&entry.path) {
                continue;
            }
            let dir = dir_of(&entry.path);
            let edges = graph.entry(dir.to_owned()).or_default();
            for import in &file.imports {
                for (root, path) in &modules {
                    if let Some(rest) = import.strip_prefix(path.as_str())
                        && (rest.is_empty() || rest.starts_with('/'))
                    {
                        edges.insert(super::config::join(root, rest.trim_start_matches('/')));
                    }
                }
            }
        }
        let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for service in &self.services {
            let Some(root) = &service.root else { continue };
            if self.units.get(root).is_none_or(|u| u.go_module.is_none()) {
                continue;
            }
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            let mut queue: Vec<&str> = graph.get(root).into_iter().flatten().map(String::as_str).collect();
            while let Some(package) = queue.pop() {
                if seen.insert(package) {
                    queue.extend(graph.get(package).into_iter().flatten().map(String::as_str));
                }
            }
            for package in seen {
                users.entry(package.to_owned()).or_default().insert(service.id.clone());
            }
        }
        self.package_users = users;
    }

    fn link_libraries(&mut self) {
        let libraries: BTreeMap<String, String> = self
            .units
            .iter()
            .filter(|(root, unit)| !root.is_empty() && !unit.manifests.is_empty() && !unit.is_service())
            .flat_map(|(root, unit)| unit.manifests.iter().filter_map(|(_, m)| Some((m.name.clone()?, root.clone()))))
            .collect();
        if libraries.is_empty() {
            return;
        }
        let uses = |root: &str| -> Vec<String> {
            let Some(unit) = self.units.get(root) else { return Vec::new() };
            unit.manifests
                .iter()
                .flat_map(|(_, m)| &m.dependencies)
                .filter_map(|d| {
                    // Maven coordinates name a module by their artifact.
                    let artifact = d.name.rsplit(':').next().unwrap_or(&d.name);
                    libraries.get(&d.name).or_else(|| libraries.get(artifact)).cloned()
                })
                .collect()
        };
        let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for service in &self.services {
            let Some(root) = &service.root else { continue };
            let mut seen = BTreeSet::new();
            let mut queue = uses(root);
            while let Some(library) = queue.pop() {
                if library != *root && seen.insert(library.clone()) {
                    queue.extend(uses(&library));
                }
            }
            for library in seen {
                users.entry(library).or_default().insert(service.id.clone());
            }
        }
        self.library_users = users;
    }

    fn env_vars(&mut self, files: &[Processed]) -> Vec<EnvVar> {
        let mut vars: BTreeMap<String, (BTreeSet<Definition>, BTreeSet<Usage>)> = BTreeMap::new();
        for file in files {
            let Some(entry) = &file.entry else { continue };
            let owners = self.owners_of_file(file, &entry.path);
            let owners: Vec<Option<String>> =
                if owners.is_empty() { vec![None] } else { owners.into_iter().map(Some).collect() };
            let mut read = |name: &str, line: u32, rule: &str| {
                for service in &owners {
                    let usage =
                        Usage { path: entry.path.clone(), line, service: service.clone(), rule: rule.to_owned() };
                    vars.entry(name.to_owned()).or_default().1.insert(usage);
                }
            };
            for fact in &file.code {
                if let FactKind::EnvRead { name } = &fact.kind {
                    read(name, fact.line, fact.rule);
                }
            }
            if let Some((_, ConfigFacts::Spring { reads, .. })) = &file.config {
                for r in reads {
                    read(&r.name, r.line, "spring.env.placeholder");
                }
            }
            let Some((kind, facts)) = &file.config else { continue };
            if let ConfigFacts::Aspire(resources) = facts {
                for (name, line) in aspire_environment(resources) {
                    let definition = Definition { path: entry.path.clone(), line, source: kind.source().to_owned() };
                    vars.entry(name).or_default().0.insert(definition);
                }
                continue;
            }
            let definitions: Vec<&EnvEntry> = match facts {
                ConfigFacts::Dotenv(entries) | ConfigFacts::Workflow(entries) => entries.iter().collect(),
                ConfigFacts::Procfile(processes) => processes.iter().flat_map(|p| &p.env).collect(),
                ConfigFacts::Dockerfile(dockerfile) => dockerfile.env.iter().collect(),
                ConfigFacts::Spring { .. }
                | ConfigFacts::Manifest(_)
                | ConfigFacts::Compose(_)
                | ConfigFacts::Kubernetes(_)
                | ConfigFacts::Aspire(_)
                | ConfigFacts::HelmChart(_)
                | ConfigFacts::HelmValues(_)
                | ConfigFacts::HelmTemplate(_) => Vec::new(),
            };
            for definition in definitions {
                let source = kind.source().to_owned();
                vars.entry(definition.name.clone()).or_default().0.insert(Definition {
                    path: entry.path.clone(),
                    line: definition.line,
                    source,
                });
            }
        }
        // Kubernetes environments, ConfigMaps included, where each variable is set.
        for (path, definition) in self.kube.workloads.iter().flat_map(|w| &w.env) {
            vars.entry(definition.name.clone()).or_default().0.insert(Definition {
                path: path.clone(),
                line: definition.line,
                source: "k8s".to_owned(),
            });
        }
        // Compose environments, each variable where the file that sets it says so.
        for service in self.projects.iter().flat_map(|p| &p.services) {
            for (path, definition) in &service.environment {
                vars.entry(definition.name.clone()).or_default().0.insert(Definition {
                    path: path.clone(),
                    line: definition.line,
                    source: "compose".to_owned(),
                });
            }
        }
        vars.into_iter()
            .map(|(name, (defined, used))| {
                let readers: BTreeSet<String> = used.iter().filter_map(|u| u.service.clone()).collect();
                let status = match (defined.is_empty(), used.is_empty()) {
                    (_, true) => EnvStatus::Unused,
                    (true, false) => EnvStatus::Missing,
                    (false, false) => EnvStatus::Defined,
                };
                let shared = readers.len() >= 2;
                EnvVar {
                    name,
                    defined: defined.into_iter().collect(),
                    used: used.into_iter().collect(),
                    status,
                    shared,
                }
            })
            .collect()
    }

    fn connect(&mut self, files: &[Processed]) {
        // Values of env vars, per defining file, to resolve where a variable points.
        let mut values: Values = BTreeMap::new();
        for file in files {
            let (Some(entry), Some((_, facts))) = (&file.entry, &file.config) else { continue };
            let entries: Vec<&EnvEntry> = match facts {
                ConfigFacts::Dotenv(entries) => entries.iter().collect(),
                ConfigFacts::Dockerfile(d) => d.env.iter().collect(),
                _ => Vec::new(),
            };
            for e in entries {
                if let Some(value) = &e.value {
                    values.entry(e.name.clone()).or_default().push((value.clone(), entry.path.clone(), e.line));
                }
            }
        }
        let deployed = self.projects.iter().flat_map(|p| &p.services).flat_map(|s| &s.environment);
        for (path, e) in deployed.chain(self.kube.workloads.iter().flat_map(|w| &w.env)) {
            {
                if let Some(value) = &e.value {
                    values.entry(e.name.clone()).or_default().push((value.clone(), path.clone(), e.line));
                }
            }
        }

        for file in files {
            let Some(entry) = &file.entry else { continue };
            for from in self.owners_of_file(file, &entry.path) {
                self.connect_file(file, entry, &from, &values);
            }
        }
        self.connect_deployments();
        self.connect_aspire(files);
    }

    /// Connections from what one file of service `from` says.
    fn connect_file(&mut self, file: &Processed, entry: &super::model::FileEntry, from: &str, all_values: &Values) {
        let from = from.to_owned();
        // Only definitions that apply where this service's code lives.
        let root = self.root_of(&from);
        let values_of = |name: &str| {
            all_values
                .get(name)
                .into_iter()
                .flatten()
                .filter(|(_, file, _)| applies_to(file, &root))
                .cloned()
                .collect::<Vec<_>>()
        };
        {
            let mut found: Vec<(String, Option<String>, ConnectionKind, Evidence)> = Vec::new();
            for fact in &file.code {
                let here = evidence(&entry.path, fact.line, fact.rule);
                match &fact.kind {
                    FactKind::Import { module } => {
                        let ecosystem = entry.language.as_deref().and_then(super::lang::ecosystem_of).unwrap_or("");
                        if let Some(external) = externals::by_package(ecosystem, module) {
                            found.push((external.id.clone(), None, ConnectionKind::Sdk, here));
                        }
                    }
                    FactKind::Literal { url } => {
                        if let Some(target) = self.resolve_value(url, &from) {
                            let kind = if url.starts_with("http") { ConnectionKind::Http } else { ConnectionKind::Sdk };
                            found.push((target, None, kind, here));
                        }
                    }
                    FactKind::Target { kind, url, env } => {
                        if let Some(target) = url.as_deref().and_then(|u| self.resolve_value(u, &from)) {
                            found.push((target, None, *kind, here.clone()));
                        }
                        if let Some(name) = env {
                            for (value, _, _) in values_of(name) {
                                if let Some(target) = self.resolve_env_value(name, &value, &from) {
                                    found.push((target, Some(name.clone()), *kind, here.clone()));
                                }
                            }
                        }
                    }
                    FactKind::EnvRead { name } => {
                        if let Some(external) = externals::by_env_name(name) {
                            found.push((external.id.clone(), Some(name.clone()), ConnectionKind::Env, here.clone()));
                        }
                        for (value, _, _) in values_of(name) {
                            if let Some(target) = self.resolve_env_value(name, &value, &from) {
                                found.push((target, Some(name.clone()), ConnectionKind::Env, here.clone()));
                            }
                        }
                    }
                    _ => {}
                }
            }
            if let Some((_, ConfigFacts::Manifest(manifest))) = &file.config {
                for dependency in &manifest.dependencies {
                    if let Some(external) = externals::by_package(manifest.ecosystem, &dependency.name) {
                        let rule = format!("{}.dependency", manifest.ecosystem);
                        found.push((
                            external.id.clone(),
                            None,
                            ConnectionKind::Sdk,
                            evidence(&entry.path, dependency.line, &rule),
                        ));
                    }
                }
            }
            if let Some((_, ConfigFacts::Spring { targets, .. })) = &file.config {
                for target in targets {
                    // `jdbc:mysql://…` and `lb://name` are addresses too.
                    let url = target.url.trim_start_matches("jdbc:");
                    if let Some(to) = self.resolve_value(url, &from) {
                        let here = evidence(&entry.path, target.line, "spring.config.address");
                        let kind = if url.starts_with("http") || url.starts_with("lb:") {
                            ConnectionKind::Http
                        } else if target.via.is_some() {
                            ConnectionKind::Env
                        } else {
                            ConnectionKind::Sdk
                        };
                        found.push((to, target.via.clone(), kind, here));
                    }
                }
            }
            if let Some((_, ConfigFacts::Spring { reads, .. })) = &file.config {
                for read in reads {
                    for (value, _, _) in values_of(&read.name) {
                        if let Some(target) = self.resolve_env_value(&read.name, &value, &from) {
                            let here = evidence(&entry.path, read.line, "spring.env.placeholder");
                            found.push((target, Some(read.name.clone()), ConnectionKind::Env, here));
                        }
                    }
                }
            }
            for (to, via, kind, here) in found {
                self.add_connection(&from, &to, via, kind, here);
            }
        }
    }

    /// What an Aspire AppHost wires: a project's references and the endpoints
    /// it hands over by name.
    fn connect_aspire(&mut self, files: &[Processed]) {
        for file in files {
            let (Some(entry), Some((_, ConfigFacts::Aspire(resources)))) = (&file.entry, &file.config) else {
                continue;
            };
            for resource in resources.iter().filter(|r| r.project.is_some()) {
                let Some(from) = self.aliases.get(&resource.name, "") else { continue };
                let by_var = |var: &str| resources.iter().find(|r| r.var.as_deref() == Some(var));
                let mut targets: Vec<(String, Option<String>, u32)> = Vec::new();
                for reference in &resource.references {
                    let Some(target) = by_var(reference) else { continue };
                    let via = target.project.is_none().then(|| format!("ConnectionStrings__{}", target.name));
                    if let Some(to) = self.aspire_target(target, resources) {
                        targets.push((to, via, resource.line));
                    }
                }
                for (name, endpoint, line) in &resource.environment {
                    if let Some(to) =
                        endpoint.as_deref().and_then(by_var).and_then(|t| self.aspire_target(t, resources))
                    {
                        targets.push((to, Some(name.clone()), *line));
                    }
                }
                for (to, via, line) in targets {
                    let here = evidence(&entry.path, line, "aspire.reference");
                    self.add_connection(&from, &to, via, ConnectionKind::Env, here);
                }
            }
        }
    }

    /// The service or system an Aspire resource is.
    fn aspire_target(
        &self,
        resource: &super::config::aspire::Resource,
        all: &[super::config::aspire::Resource],
    ) -> Option<String> {
        if resource.project.is_some() {
            return self.aliases.get(&resource.name, "");
        }
        if let Some(image) = &resource.image
            && let Some(external) = externals::by_image(image)
        {
            return Some(external.id.clone());
        }
        // `postgres.AddDatabase("catalogdb")` is the parent's system.
        let mut method = resource.method.as_str();
        if let Some(parent) = resource.parent.as_deref().and_then(|p| all.iter().find(|r| r.var.as_deref() == Some(p)))
        {
            method = parent.method.as_str();
        }
        externals::aspire_system(method).map(str::to_owned)
    }

    fn connect_deployments(&mut self) {
        // Compose and k8s wiring: env values of a service's own definition, and depends_on.
        let services: Vec<ComposeService> = self.projects.iter().flat_map(|p| p.services.iter().cloned()).collect();
        for compose in &services {
            let scope = compose.project_dir.as_str();
            let Some(from) = self.aliases.get(&compose.name, scope) else { continue };
            if self.externals.contains_key(&from) {
                continue;
            }
            for (target, path, line) in &compose.depends_on {
                if let Some(to) = self.aliases.get(target, scope) {
                    self.add_connection(
                        &from,
                        &to,
                        None,
                        ConnectionKind::Compose,
                        evidence(path, *line, "compose.depends-on"),
                    );
                }
            }
            // `links` (compose v1) name what a service talks to, as depends_on does.
            for (target, _) in &compose.links {
                if let Some(to) = self.aliases.get(target, scope) {
                    let here = evidence(&compose.path, compose.line, "compose.links");
                    self.add_connection(&from, &to, None, ConnectionKind::Compose, here);
                }
            }
            let env: Vec<(&str, &EnvEntry)> = compose.environment.iter().map(|(p, e)| (p.as_str(), e)).collect();
            self.connect_env(&from, &env, ConnectionKind::Env, "compose.environment");
        }
        let workloads: Vec<(String, Vec<(String, EnvEntry)>)> =
            self.kube.workloads.iter().map(|w| (w.workload.name.clone(), w.env.clone())).collect();
        for (name, env) in &workloads {
            let Some(from) = self.aliases.get(name, "") else { continue };
            if self.externals.contains_key(&from) {
                continue;
            }
            let env: Vec<(&str, &EnvEntry)> = env.iter().map(|(p, e)| (p.as_str(), e)).collect();
            self.connect_env(&from, &env, ConnectionKind::K8s, "k8s.env");
        }
    }

    /// Connections from the env a deployment gives service `from`.
    fn connect_env(&mut self, from: &str, env: &[(&str, &EnvEntry)], kind: ConnectionKind, rule: &str) {
        for (path, e) in env {
            let Some(value) = &e.value else { continue };
            if let Some(to) = self.resolve_env_value(&e.name, value, from) {
                self.add_connection(from, &to, Some(e.name.clone()), kind, evidence(path, e.line, rule));
            }
        }
    }

    /// Where the value of variable `name` points. A bare word (`redis`) is
    /// taken for a host only when the name says it holds an address.
    fn resolve_env_value(&self, name: &str, value: &str, from: &str) -> Option<String> {
        let value = value.trim();
        let address_like = value.contains("://") || value.contains(':');
        let address_name =
            ["HOST", "ADDR", "ADDRESS", "URL", "URI", "SERVER", "ENDPOINT", "DSN", "HOSTNAME", "SERVICE"]
                .iter()
                .any(|suffix| name.to_ascii_uppercase().ends_with(suffix));
        if !address_like && !address_name {
            return None;
        }
        self.resolve_value(value, from)
    }

    /// Where a configured value points: an external by URL scheme or host,
    /// or a service by host name (`http://backend:8000`, `cart:7070`), or a
    /// service by port on localhost. Never the service itself.
    fn resolve_value(&self, value: &str, from: &str) -> Option<String> {
        let value = value.trim().trim_matches(['"', '\'']);
        if value.is_empty() || value.contains("${") && !value.contains("://") {
            return None;
        }
        let rest = match value.split_once("://") {
            Some((_, rest)) => rest,
            None => value,
        };
        let host = externals::host_of(rest);
        if host.is_empty() || host.contains(' ') {
            return None;
        }
        let root = self.root_of(from);
        if let Some(id) = self.aliases.get(&host, &root).filter(|id| id != from) {
            return Some(id);
        }
        if let Some(external) = externals::by_url(value).filter(|_| value.contains("://")) {
            return Some(external.id.clone());
        }
        if matches!(host.as_str(), "localhost" | "127.0.0.1" | "0.0.0.0") {
            let authority = rest.split('/').next().unwrap_or(rest);
            let port: u16 = authority.rsplit(':').next()?.parse().ok()?;
            // Only services of the same project: the asking service's parent directory.
            let project = dir_of(&root);
            let owners: Vec<&Service> = self
                .services
                .iter()
                .filter(|s| s.id != from && s.ports.contains(&port))
                .filter(|s| s.root.as_deref().is_some_and(|r| project.is_empty() || is_under(r, project)))
                .collect();
            if let [only] = owners.as_slice() {
                return Some(only.id.clone());
            }
        }
        None
    }

    /// The root directory of service `id` ("" for externals and unknowns).
    fn root_of(&self, id: &str) -> String {
        self.services.iter().find(|s| s.id == id).and_then(|s| s.root.clone()).unwrap_or_default()
    }

    fn add_connection(&mut self, from: &str, to: &str, via: Option<String>, kind: ConnectionKind, here: Evidence) {
        if from == to {
            return;
        }
        if !self.services.iter().any(|s| s.id == to) && !self.externals.contains_key(to) {
            let Some(external) = externals::by_id(to) else { return };
            self.externals.insert(to.to_owned(), external_service(to, external.kind));
        }
        if let Some(external) = self.externals.get_mut(to) {
            external.evidence.push(here.clone());
            tidy(&mut external.evidence);
        }
        let connection = self.connections.entry((from.to_owned(), to.to_owned(), via.clone())).or_insert_with(|| {
            Connection { from: from.to_owned(), to: to.to_owned(), via, kind, evidence: Vec::new() }
        });
        if priority(kind) > priority(connection.kind) {
            connection.kind = kind;
        }
        connection.evidence.push(here);
        tidy(&mut connection.evidence);
    }
}

/// Whether the directory would be a service even if compose did not build it.
fn unit_is_service_without_compose(unit: &Unit) -> bool {
    !unit.frameworks.is_empty()
        || (!unit.manifests.is_empty() && !unit.entry_points.is_empty())
        || unit.manifests.iter().any(|(_, m)| m.start.is_some() || m.web_sdk)
        || unit
            .manifests
            .iter()
            .any(|(_, m)| m.dependencies.iter().any(|d| frameworks::by_package(m.ecosystem, &d.name).is_some()))
}

impl Unit {
    /// Whether a Kubernetes workload may be placed here: a unit that builds something.
    fn is_service_candidate_for_k8s(&self) -> bool {
        self.dockerfile.is_some() || !self.manifests.is_empty() || !self.compose.is_empty()
    }
}

/// A connection without `via` says nothing a connection with one between
/// the same ends does not.
fn drop_redundant(connections: &mut Vec<Connection>) {
    let with_via: BTreeSet<(String, String)> =
        connections.iter().filter(|c| c.via.is_some()).map(|c| (c.from.clone(), c.to.clone())).collect();
    connections.retain(|c| c.via.is_some() || !with_via.contains(&(c.from.clone(), c.to.clone())));
}

fn priority(kind: ConnectionKind) -> u8 {
    match kind {
        ConnectionKind::Grpc => 6,
        ConnectionKind::Http => 5,
        ConnectionKind::Env => 4,
        ConnectionKind::Sdk => 3,
        ConnectionKind::K8s => 2,
        ConnectionKind::Compose => 1,
        ConnectionKind::Import => 0,
    }
}

fn worker_kind(command: Option<&str>) -> Option<ServiceKind> {
    let command = command?.to_ascii_lowercase();
    ["worker", "celery", "sidekiq", "rq ", "queue", "consumer", "beat", "scheduler", "cron"]
        .iter()
        .any(|word| command.contains(word))
        .then_some(ServiceKind::Worker)
}

fn worker_framework(command: Option<&str>) -> Option<String> {
    let command = command?.to_ascii_lowercase();
    ["celery", "sidekiq", "rq"].into_iter().find(|f| command.contains(f)).map(str::to_owned)
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

fn describe(framework: Option<&str>, kind: ServiceKind, id: &str) -> String {
    let what = match kind {
        ServiceKind::Frontend => "frontend",
        ServiceKind::Worker => "worker",
        ServiceKind::Function => "function",
        _ => "service",
    };
    match framework {
        Some(framework) => format!("{id} ({framework} {what})"),
        None => format!("{id} ({what})"),
    }
}

/// Dockerfile beats Dockerfile.dev: keep the plain one when there are several.
fn give_dockerfile(unit: &mut Unit, path: &str, dockerfile: &Dockerfile) {
    let plain = path.ends_with("/Dockerfile") || path == "Dockerfile";
    if unit.dockerfile.is_none() || plain {
        unit.dockerfile = Some((path.to_owned(), dockerfile.clone()));
    }
}

/// The directory a compose build builds: the Dockerfile's own directory
/// when code lives there (`context: .`, `dockerfile: backend/Dockerfile`);
/// else the one program below the context that its COPY instructions take
/// (`COPY services/api/ /app` from `docker/api.Dockerfile`); else the context.
fn build_root(
    context: &str,
    dockerfile_path: &str,
    dockerfile: Option<&Dockerfile>,
    holds_code: &dyn Fn(&str) -> bool,
    manifest_dirs: &BTreeSet<&str>,
) -> String {
    let dir = dir_of(dockerfile_path);
    if dir != context && holds_code(dir) {
        return dir.to_owned();
    }
    let Some(dockerfile) = dockerfile else { return context.to_owned() };
    let programs: BTreeSet<&str> = dockerfile
        .copies()
        .into_iter()
        .filter(|source| !matches!(*source, "" | "." | "*"))
        .filter_map(|source| {
            let path = super::config::join(context, source);
            // The program a copied path belongs to: the deepest manifest directory holding it.
            manifest_dirs
                .iter()
                .filter(|m| {
                    let m: &str = m;
                    (m == path || is_under(&path, m)) && m != context && (context.is_empty() || is_under(m, context))
                })
                .max_by_key(|m| m.len())
                .copied()
        })
        .collect();
    match programs.into_iter().collect::<Vec<_>>().as_slice() {
        [only] => (*only).to_owned(),
        _ => context.to_owned(),
    }
}

/// The variables an AppHost sets in its projects' environment: those of
/// `WithEnvironment`, and `ConnectionStrings__<name>` for each referenced system.
fn aspire_environment(resources: &[super::config::aspire::Resource]) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for resource in resources.iter().filter(|r| r.project.is_some()) {
        out.extend(resource.environment.iter().map(|(name, _, line)| (name.clone(), *line)));
        for reference in &resource.references {
            if let Some(target) = resources.iter().find(|r| r.var.as_deref() == Some(reference.as_str()))
                && target.project.is_none()
            {
                out.push((format!("ConnectionStrings__{}", target.name), resource.line));
            }
        }
    }
    out
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
