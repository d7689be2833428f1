//! Stage 6, connect: who talks to whom, from code, config and deployments.

use super::*;
use crate::scan::model::Role;

impl Builder {
    pub(super) fn connect(&mut self, files: &[Processed]) {
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
        self.connect_platform_apps(files);
        self.connect_proto_services(files);
        self.keep_schedulers_to_their_stores();
        self.keep_issuers_off_their_clients();
    }

    /// An OAuth 2.0 / OpenID Connect server is handed its clients' addresses
    /// to send browsers back to (`WebAppClient=http://webapp` for redirect
    /// URIs): an address of another service that only a deployment gives it
    /// is not a call. What its own code calls stays.
    fn keep_issuers_off_their_clients(&mut self) {
        let issuers: BTreeSet<String> = self
            .services
            .iter()
            .filter(|service| {
                let unit = service.root.as_deref().and_then(|root| self.units.get(root));
                unit.is_some_and(|unit| {
                    unit.manifests.iter().any(|(_, manifest)| {
                        manifest.dependencies.iter().any(|d| frameworks::is_token_issuer(manifest.ecosystem, &d.name))
                    })
                })
            })
            .map(|service| service.id.clone())
            .collect();
        let first_party: BTreeSet<&str> = self.services.iter().map(|s| s.id.as_str()).collect();
        let deployment_only = |connection: &Connection| {
            connection.evidence.iter().all(|e| {
                ["compose.", "k8s.", "aspire.", "helm.", "fly.", "render.", "appengine.", "serverless."]
                    .iter()
                    .any(|p| e.rule.starts_with(p))
            })
        };
        self.connections.retain(|(from, to, _), connection| {
            !(issuers.contains(from) && first_party.contains(to.as_str()) && deployment_only(connection))
        });
    }

    /// A process that only enqueues work on a schedule (celery beat, clockwork)
    /// loads the whole code base, but the jobs run in the workers: it reaches
    /// the queue and the database, not the APIs or services the jobs call.
    fn keep_schedulers_to_their_stores(&mut self) {
        let schedulers: BTreeSet<String> = self
            .units
            .values()
            .flat_map(|unit| &unit.compose)
            .filter(|(_, c)| c.command.as_deref().is_some_and(frameworks::is_scheduler_command))
            .filter_map(|(_, c)| self.aliases.get(&c.name, &c.project_dir))
            .collect();
        self.connections.retain(|(from, to, _), _| {
            !schedulers.contains(from)
                || externals::role_of(to).is_some_and(|role| !matches!(role, Role::Api | Role::Identity))
        });
    }

    /// Connections from what one file of service `from` says.
    pub(super) fn connect_file(
        &mut self,
        file: &Processed,
        entry: &crate::scan::model::FileEntry,
        from: &str,
        all_values: &Values,
    ) {
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
        let framework = self
            .services
            .iter()
            .find(|service| service.id == from)
            .and_then(|service| service.framework.as_deref())
            .and_then(frameworks::by_name)
            .filter(|framework| !framework.drivers.is_empty());
        {
            let mut found: Vec<(String, Option<String>, ConnectionKind, Evidence)> = Vec::new();
            for fact in &file.code {
                let here = evidence(&entry.path, fact.line, fact.rule);
                match &fact.kind {
                    FactKind::Import { module } => {
                        let ecosystem =
                            entry.language.as_deref().and_then(crate::scan::lang::ecosystem_of).unwrap_or("");
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
                        if url.as_deref() == Some("/") {
                            found.extend(self.same_origin_backend(&from).map(|to| (to, None, *kind, here.clone())));
                        } else if let Some(target) = url.as_deref().and_then(|u| self.resolve_value(u, &from)) {
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
                    FactKind::DaprUse { block } => {
                        for to in self.dapr_systems(block, &from) {
                            found.push((to, None, ConnectionKind::Sdk, here.clone()));
                        }
                    }
                    FactKind::EnvRead { .. } | FactKind::Call { .. } | FactKind::Member { .. } => {
                        let Some(name) = self.env_read_of(file, fact) else { continue };
                        if let Some(external) = externals::by_env_name(name) {
                            found.push((external.id.clone(), Some(name.to_owned()), ConnectionKind::Env, here.clone()));
                        }
                        for (value, _, _) in values_of(name) {
                            if let Some(target) = self.resolve_env_value(name, &value, &from) {
                                found.push((target, Some(name.to_owned()), ConnectionKind::Env, here.clone()));
                            }
                        }
                        // A variable that picks the framework's driver (`DB_CONNECTION=pgsql`):
                        // what defines it, else the code's fallback.
                        if let Some(framework) = framework {
                            let defined: Vec<String> = values_of(name).into_iter().map(|(value, _, _)| value).collect();
                            let fallback = match &fact.kind {
                                FactKind::EnvRead { fallback: Some(fallback), .. } if defined.is_empty() => {
                                    Some(fallback.clone())
                                }
                                _ => None,
                            };
                            for value in defined.iter().chain(&fallback) {
                                if let Some(system) = framework.driver(name, value) {
                                    let here = evidence(&entry.path, fact.line, "framework.env.driver");
                                    found.push((system.to_owned(), Some(name.to_owned()), ConnectionKind::Env, here));
                                }
                            }
                        }
                        // Where the code points when the variable is unset (`getenv("CART_HOST", "cart")`).
                        if let FactKind::EnvRead { fallback: Some(fallback), .. } = &fact.kind
                            && let Some(target) = self.resolve_env_value(name, fallback, &from)
                        {
                            let here = evidence(&entry.path, fact.line, "env.fallback-address");
                            found.push((target, Some(name.to_owned()), ConnectionKind::Env, here));
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
            if let Some((_, ConfigFacts::FrameworkLoads { ecosystem, modules })) = &file.config {
                for (module, line) in modules {
                    if let Some(external) = externals::by_package(ecosystem, module) {
                        let here = evidence(&entry.path, *line, "framework.config.loads");
                        found.push((external.id.clone(), None, ConnectionKind::Sdk, here));
                    }
                }
            }
            if let Some((kind, ConfigFacts::Spring { targets, .. })) = &file.config {
                let rule = if *kind == ConfigKind::AppSettings {
                    "dotnet.appsettings.address"
                } else {
                    "spring.config.address"
                };
                for target in targets {
                    // `jdbc:mysql://…` and `lb://name` are addresses too.
                    let url = target.url.trim_start_matches("jdbc:");
                    if let Some(to) = self.resolve_value(url, &from) {
                        let here = evidence(&entry.path, target.line, rule);
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
            // Where a proxy or gateway forwards: an address, or the env var a template fills in.
            if let Some((_, ConfigFacts::Proxy { targets, .. })) = &file.config {
                for target in targets {
                    let here = evidence(&entry.path, target.line, "proxy.upstream");
                    match &target.via {
                        Some(name) => {
                            for (value, _, _) in values_of(name) {
                                if let Some(to) = self.resolve_env_value(name, &value, &from) {
                                    found.push((to, Some(name.clone()), ConnectionKind::Env, here.clone()));
                                }
                            }
                        }
                        None => {
                            if let Some(to) = self.resolve_value(&target.url, &from) {
                                let kind = if target.url.starts_with("grpc") {
                                    ConnectionKind::Grpc
                                } else {
                                    ConnectionKind::Http
                                };
                                found.push((to, None, kind, here));
                            }
                        }
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

    /// The systems behind the tree's Dapr components of building block
    /// `block` that app `from` may use (a component scoped to other apps is
    /// not its): `pubsub.rabbitmq` is rabbitmq, `state.redis` redis.
    fn dapr_systems(&self, block: &str, from: &str) -> Vec<String> {
        let names: Vec<String> = self.aliases_of(from);
        self.kube
            .dapr_components
            .iter()
            .filter(|(_, c)| c.kind.split('.').next() == Some(block))
            .filter(|(_, c)| c.scopes.is_empty() || c.scopes.iter().any(|s| names.contains(s)))
            .filter_map(|(_, c)| {
                // The instance its metadata points at (`host: maildev`), else the system its type names.
                let instance = c
                    .addresses
                    .iter()
                    .filter_map(|a| a.value.as_deref())
                    .find_map(|address| self.resolve_value(address, from));
                let system = c.kind.split('.').nth(1)?;
                instance.or_else(|| externals::by_id(system).map(|e| e.id.clone())).or_else(|| Some(system.to_owned()))
            })
            .collect()
    }

    /// Every name `id` answers to, itself included.
    fn aliases_of(&self, id: &str) -> Vec<String> {
        let mut names = vec![id.to_owned()];
        names.extend(self.aliases.0.iter().filter(|(_, e)| e.iter().any(|(_, i)| i == id)).map(|(n, _)| n.clone()));
        names
    }

    /// What an Aspire AppHost wires: a project's references and the endpoints
    /// it hands over by name.
    pub(super) fn connect_aspire(&mut self, files: &[Processed]) {
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
    pub(super) fn aspire_target(
        &self,
        resource: &crate::scan::config::aspire::Resource,
        all: &[crate::scan::config::aspire::Resource],
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

    pub(super) fn connect_deployments(&mut self) {
        // Compose and k8s wiring: env values of a service's own definition, and depends_on.
        let services: Vec<ComposeService> = self.projects.iter().flat_map(|p| p.services.iter().cloned()).collect();
        for compose in &services {
            let scope = compose.project_dir.as_str();
            let Some(from) = self.aliases.get(&compose.name, scope) else { continue };
            if self.externals.contains_key(&from) {
                continue;
            }
            for (target, path, line) in &compose.depends_on {
                if let Some(to) = self.aliases.get(target, scope)
                    && !self.same_code_base(&from, &to)
                {
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
                if let Some(to) = self.aliases.get(target, scope)
                    && !self.same_code_base(&from, &to)
                {
                    let here = evidence(&compose.path, compose.line, "compose.links");
                    self.add_connection(&from, &to, None, ConnectionKind::Compose, here);
                }
            }
            let env: Vec<(&str, &EnvEntry)> = compose.environment.iter().map(|(p, e)| (p.as_str(), e)).collect();
            self.connect_env(&from, &env, ConnectionKind::Env, "compose.environment");
        }
        // A ConfigMap taken whole (`envFrom`) hands every service all of its
        // addresses; one the service's code never reads is not its call.
        // (Code whose reads are unknown to us keeps them all.)
        let mut workloads: Vec<(String, Vec<(String, EnvEntry)>)> = Vec::new();
        for workload in &self.kube.workloads {
            let Some(from) = self.aliases.get(&workload.workload.name, "") else { continue };
            if self.externals.contains_key(&from) {
                continue;
            }
            let reads = self.reads.get(&from);
            let chosen = |e: &EnvEntry| {
                !workload.imported.contains(&e.name) || reads.is_none_or(|names| names.contains(&e.name))
            };
            workloads.push((from, workload.env.iter().filter(|(_, e)| chosen(e)).cloned().collect()));
        }
        for (from, env) in &workloads {
            let env: Vec<(&str, &EnvEntry)> = env.iter().map(|(p, e)| (p.as_str(), e)).collect();
            self.connect_env(from, &env, ConnectionKind::K8s, "k8s.env");
        }
    }

    /// What a platform manifest wires: the env it gives each app (an address
    /// in a value), and the variables it fills with another resource's
    /// address (Render's `fromDatabase`, `fromService`).
    fn connect_platform_apps(&mut self, files: &[Processed]) {
        for file in files {
            let (Some(entry), Some((kind, ConfigFacts::Platform(apps)))) = (&file.entry, &file.config) else {
                continue;
            };
            let dir = dir_of(&entry.path).to_owned();
            let rule = format!("{}.env", kind.source());
            for app in apps {
                let Some(from) = self.aliases.get(&app.name, &dir) else { continue };
                let env: Vec<(&str, &EnvEntry)> = app.env.iter().map(|e| (entry.path.as_str(), e)).collect();
                self.connect_env(&from, &env, ConnectionKind::Env, &rule);
                for (system, line) in &app.uses {
                    let here = evidence(&entry.path, *line, &format!("{}.resource", kind.source()));
                    self.add_connection(&from, system, None, ConnectionKind::Sdk, here);
                }
                for (variable, target, line) in &app.links {
                    let to = match externals::by_id(target) {
                        Some(external) => Some(external.id.clone()),
                        None => self.aliases.get(target, &dir),
                    };
                    if let Some(to) = to {
                        let here = evidence(&entry.path, *line, &format!("{}.link", kind.source()));
                        self.add_connection(&from, &to, Some(variable.clone()), ConnectionKind::Env, here);
                    }
                }
            }
        }
    }

    /// Two processes of one code base (`web` and `worker` built from the same
    /// directory). A `depends_on` between them orders their start (the worker
    /// waits for the server's migrations); it is not a call.
    fn same_code_base(&self, a: &str, b: &str) -> bool {
        self.service_root(a).is_some_and(|root| self.service_root(b) == Some(root))
    }

    /// Connections from the env a deployment gives service `from`.
    pub(super) fn connect_env(&mut self, from: &str, env: &[(&str, &EnvEntry)], kind: ConnectionKind, rule: &str) {
        for (path, e) in env {
            let Some(value) = &e.value else { continue };
            if let Some(to) = self.resolve_env_value(&e.name, value, from) {
                self.add_connection(from, &to, Some(e.name.clone()), kind, evidence(path, e.line, rule));
            }
        }
    }

    pub(super) fn add_connection(
        &mut self,
        from: &str,
        to: &str,
        via: Option<String>,
        kind: ConnectionKind,
        here: Evidence,
    ) {
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
        let connection =
            self.connections.entry((from.to_owned(), to.to_owned(), via.clone())).or_insert_with(|| Connection {
                from: from.to_owned(),
                to: to.to_owned(),
                via,
                kind,
                vias: Vec::new(),
                kinds: Vec::new(),
                evidence: Vec::new(),
            });
        if priority(kind) > priority(connection.kind) {
            connection.kind = kind;
        }
        connection.evidence.push(here);
        tidy(&mut connection.evidence);
    }
}

/// One connection per (from, to): every variable and key it was found
/// through in `vias` (the first also in `via`), every kind of evidence in
/// `kinds` (the strongest also in `kind`), and the evidence of all.
pub(super) fn merge_by_ends(found: impl IntoIterator<Item = Connection>) -> Vec<Connection> {
    let mut merged: BTreeMap<(String, String), Connection> = BTreeMap::new();
    for connection in found {
        let entry = merged.entry((connection.from.clone(), connection.to.clone())).or_insert_with(|| Connection {
            from: connection.from.clone(),
            to: connection.to.clone(),
            via: None,
            kind: connection.kind,
            vias: Vec::new(),
            kinds: Vec::new(),
            evidence: Vec::new(),
        });
        entry.vias.extend(connection.via);
        entry.kinds.push(connection.kind);
        entry.evidence.extend(connection.evidence);
    }
    merged
        .into_values()
        .map(|mut c| {
            c.vias.sort();
            c.vias.dedup();
            c.kinds.sort_by_key(|k| std::cmp::Reverse(priority(*k)));
            c.kinds.dedup();
            // The variable that holds the address names the connection best
            // (`REDIS_HOST` over `REDIS_CLIENT`); then the first by name.
            c.via = c.vias.iter().min_by_key(|v| (!names_an_address(v), v.as_str())).cloned();
            c.kind = c.kinds[0];
            tidy(&mut c.evidence);
            c
        })
        .collect()
}

pub(super) fn priority(kind: ConnectionKind) -> u8 {
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

/// Whether an env var's name says it holds where a system is (`*_HOST`,
/// `*_URL`, `*_ADDR`, `*_ENDPOINT`, `*_DSN`, …).
fn names_an_address(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "URL", "URI", "URLS", "HOST", "HOSTNAME", "HOSTS", "ADDR", "ADDRESS", "ENDPOINT", "DSN", "SERVER", "SERVERS",
        "BROKERS",
    ];
    name.rsplit('_').next().is_some_and(|last| WORDS.contains(&last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(via: Option<&str>, kind: ConnectionKind, line: u32) -> Connection {
        Connection {
            from: "api".into(),
            to: "s3".into(),
            via: via.map(Into::into),
            kind,
            vias: vec![],
            kinds: vec![],
            evidence: vec![evidence("api/storage.py", line, "python.env.os-getenv")],
        }
    }

    /// One connection per (from, to), whatever number of variables and kinds led there.
    #[test]
    fn one_connection_per_pair_of_ends() {
        let merged = merge_by_ends([
            found(Some("S3_BUCKET"), ConnectionKind::Env, 3),
            found(Some("AWS_REGION"), ConnectionKind::Env, 2),
            found(None, ConnectionKind::Sdk, 1),
            found(Some("S3_BUCKET"), ConnectionKind::Env, 3),
        ]);
        assert_eq!(merged.len(), 1);
        let c = &merged[0];
        assert_eq!(c.vias, ["AWS_REGION", "S3_BUCKET"]);
        assert_eq!(c.via.as_deref(), Some("AWS_REGION"));
        assert_eq!(c.kinds, [ConnectionKind::Env, ConnectionKind::Sdk]);
        assert_eq!(c.kind, ConnectionKind::Env);
        assert_eq!(c.evidence.len(), 3);
    }

    /// The address-holding variable names the connection, not the first by name.
    #[test]
    fn an_address_variable_names_the_connection() {
        let merged = merge_by_ends([
            found(Some("REDIS_CLIENT"), ConnectionKind::Env, 1),
            found(Some("REDIS_PORT"), ConnectionKind::Env, 2),
            found(Some("REDIS_HOST"), ConnectionKind::Env, 3),
        ]);
        assert_eq!(merged[0].via.as_deref(), Some("REDIS_HOST"));
        assert_eq!(merged[0].vias, ["REDIS_CLIENT", "REDIS_HOST", "REDIS_PORT"]);
    }
}
