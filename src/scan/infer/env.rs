//! Stage 5, env: every variable read or defined, with its readers and status.

use super::*;
use crate::scan::config::Envsubst;

impl Builder {
    pub(super) fn env_vars(&mut self, files: &[Processed]) -> Vec<EnvVar> {
        let mut vars: BTreeMap<String, (BTreeSet<Definition>, BTreeSet<Usage>)> = BTreeMap::new();
        let mut bindings: BTreeMap<String, Binding> = BTreeMap::new();
        for file in files {
            let Some(entry) = &file.entry else { continue };
            let owners = self.owners_of_file(file, &entry.path);
            for fact in &file.code {
                for owner in &owners {
                    match &fact.kind {
                        FactKind::ConfigKey { key } => bindings.entry(owner.clone()).or_default().keys.push((
                            key.clone(),
                            entry.path.clone(),
                            fact.line,
                            fact.rule,
                        )),
                        FactKind::EnvPrefix { prefix } => {
                            bindings.entry(owner.clone()).or_default().prefixes.insert(prefix.clone());
                        }
                        _ => {}
                    }
                }
            }
            // A proxy template its owner's container renders with envsubst reads
            // the variables it names (all of them, or those envsubst is told to fill).
            let rendered: Vec<EnvEntry> = match &file.config {
                Some((_, ConfigFacts::Proxy { placeholders, .. })) if !placeholders.is_empty() => {
                    let file_name = entry.path.rsplit('/').next().unwrap_or(&entry.path);
                    let calls: Vec<&Envsubst> = owners
                        .iter()
                        .flat_map(|owner| self.envsubst_of(owner))
                        .filter(|e| e.template.as_deref() == Some(file_name))
                        .collect();
                    placeholders
                        .iter()
                        .filter(|p| calls.iter().any(|c| c.names.is_empty() || c.names.contains(&p.name)))
                        .cloned()
                        .collect()
                }
                _ => Vec::new(),
            };
            // `envsubst '$A $B'` names what it fills, whatever the template holds.
            let named: Vec<(String, u32)> = match &file.config {
                Some((_, ConfigFacts::Dockerfile(dockerfile))) => {
                    dockerfile.envsubst.iter().flat_map(|e| e.names.iter().map(move |n| (n.clone(), e.line))).collect()
                }
                _ => Vec::new(),
            };
            let owners: Vec<Option<String>> =
                if owners.is_empty() { vec![None] } else { owners.into_iter().map(Some).collect() };
            let mut read = |name: &str, line: u32, rule: &str, default: bool| {
                for service in &owners {
                    let usage = Usage {
                        path: entry.path.clone(),
                        line,
                        service: service.clone(),
                        rule: rule.to_owned(),
                        default,
                    };
                    vars.entry(name.to_owned()).or_default().1.insert(usage);
                }
            };
            for fact in &file.code {
                match (&fact.kind, self.env_read_of(file, fact)) {
                    (FactKind::EnvRead { default, .. }, Some(name)) => read(name, fact.line, fact.rule, *default),
                    (FactKind::Call { .. }, Some(name)) => read(name, fact.line, wrapper_rule(fact.rule), false),
                    (FactKind::Member { .. }, Some(name)) => read(name, fact.line, fact.rule, false),
                    _ => {}
                }
            }
            if let Some((_, ConfigFacts::Spring { reads, .. })) = &file.config {
                for r in reads {
                    read(&r.name, r.line, "spring.env.placeholder", r.default);
                }
            }
            for placeholder in &rendered {
                read(&placeholder.name, placeholder.line, "envsubst.template", false);
            }
            for (name, line) in &named {
                read(name, *line, "envsubst.names", false);
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
                ConfigFacts::Platform(apps) => apps.iter().flat_map(|a| &a.env).collect(),
                ConfigFacts::Dockerfile(dockerfile) => dockerfile.runtime_env(None),
                ConfigFacts::Spring { .. }
                | ConfigFacts::Manifest(_)
                | ConfigFacts::VersionCatalog(_)
                | ConfigFacts::Proxy { .. }
                | ConfigFacts::Compose(_)
                | ConfigFacts::Kubernetes(_)
                | ConfigFacts::Aspire(_)
                | ConfigFacts::HelmChart(_)
                | ConfigFacts::HelmValues(_)
                | ConfigFacts::HelmTemplate(_)
                | ConfigFacts::HelmRendered(_)
                | ConfigFacts::GoRuns(_)
                | ConfigFacts::Proto(_)
                | ConfigFacts::FrameworkLoads { .. } => Vec::new(),
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
        // Reads through a configuration library, of the variables defined where the service runs.
        let mut visible: BTreeMap<String, BTreeMap<String, (String, u32)>> = BTreeMap::new();
        for service in &self.services {
            let root = service.root.as_deref().unwrap_or("");
            let names = visible.entry(service.id.clone()).or_default();
            for (name, (defined, _)) in &vars {
                if let Some(definition) = defined.iter().find(|d| d.source != "ci" && applies_to(&d.path, root)) {
                    names.insert(name.clone(), (definition.path.clone(), definition.line));
                }
            }
        }
        // … and what a compose service or workload running it sets, wherever that file lies.
        for compose in self.projects.iter().flat_map(|p| &p.services) {
            if let Some(id) = self.aliases.get(&compose.name, &compose.project_dir) {
                let names = visible.entry(id).or_default();
                for (path, e) in &compose.environment {
                    names.entry(e.name.clone()).or_insert_with(|| (path.clone(), e.line));
                }
            }
        }
        for workload in &self.kube.workloads {
            if let Some(id) = self.aliases.get(&workload.workload.name, "") {
                let names = visible.entry(id).or_default();
                for (path, e) in &workload.env {
                    names.entry(e.name.clone()).or_insert_with(|| (path.clone(), e.line));
                }
            }
        }
        for (name, service, path, line, rule) in self.bound_reads(&bindings, &visible) {
            // A key bound from the environment is read only when set: it has the key's own default.
            let usage = Usage { path, line, service: Some(service.clone()), rule: rule.to_owned(), default: true };
            let (_, used) = vars.entry(name).or_default();
            if !used.iter().any(|u| u.service.as_deref() == Some(service.as_str())) {
                used.insert(usage);
            }
        }
        vars.into_iter()
            .map(|(name, (defined, used))| {
                let (used_elsewhere, used): (Vec<Usage>, Vec<Usage>) =
                    used.into_iter().partition(|u| outside_production(&u.path, &name));
                let readers: BTreeSet<&str> = used.iter().filter_map(|u| u.service.as_deref()).collect();
                // Only production reads make a variable missing: one read only by a
                // tool or a harness is not the system's configuration.
                let status = match (defined.is_empty(), used.is_empty()) {
                    (_, true) => EnvStatus::Unused,
                    // Every read falls back to a default: leaving it unset is a choice, not a fault.
                    (true, false) if used.iter().all(|u| u.default) => EnvStatus::Optional,
                    (true, false) => EnvStatus::Missing,
                    (false, false) => EnvStatus::Defined,
                };
                let shared = readers.len() >= 2;
                let platform = crate::scan::platform::is_platform(&name);
                EnvVar { name, defined: defined.into_iter().collect(), used, status, shared, used_elsewhere, platform }
            })
            .collect()
    }
}

/// The variables an AppHost sets in its projects' environment: those of
/// `WithEnvironment`, and `ConnectionStrings__<name>` for each referenced system.
pub(super) fn aspire_environment(resources: &[crate::scan::config::aspire::Resource]) -> Vec<(String, u32)> {
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

impl Builder {
    /// The templates the image of service `id` renders with envsubst.
    fn envsubst_of(&self, id: &str) -> Vec<&Envsubst> {
        let root = self.services.iter().find(|s| s.id == id).and_then(|s| s.root.as_deref());
        let unit = root.and_then(|root| self.units.get(root));
        unit.and_then(|u| u.dockerfile.as_ref()).map(|(_, d)| d.envsubst.iter().collect()).unwrap_or_default()
    }
}

/// `python.env.wrapper-call` for a call found by `python.call.env-shaped`.
fn wrapper_rule(call_rule: &str) -> &'static str {
    match call_rule.split('.').next().unwrap_or("") {
        "python" => "python.env.wrapper-call",
        "js" => "js.env.wrapper-call",
        "go" => "go.env.wrapper-call",
        "ruby" => "ruby.env.wrapper-call",
        "java" => "java.env.wrapper-call",
        "php" => "php.env.wrapper-call",
        "elixir" => "elixir.env.wrapper-call",
        _ => "env.wrapper-call",
    }
}

/// Whether a read of `name` in `path` is outside production code: in such a
/// directory, or of a variable that names itself a test setting (`TEST_DATABASE_URL`).
fn outside_production(path: &str, name: &str) -> bool {
    crate::scan::paths::is_beside_the_system(path) || name.starts_with("TEST_")
}

#[cfg(test)]
mod tests {
    use super::outside_production;

    #[test]
    fn reads_outside_production_code() {
        assert!(outside_production("tools/signer/main.go", "ISSUER"));
        assert!(outside_production("oryx/sqlcon/dockertest/helper.go", "DSN"));
        assert!(outside_production("internal/db/db.go", "TEST_DATABASE_URL"));
        assert!(!outside_production("services/auth/src/main/java/tools/acme/Auth.java", "DB_HOST"));
        assert!(!outside_production("scripts/check-db.js", "DATABASE_URL"));
        assert!(!outside_production("app/settings.py", "EMAIL_TEST_USER"));
    }
}
