//! Stage 4, ownership: which services run a file — through in-tree
//! libraries, Go package imports and Spring configuration served by name.

use super::*;

impl Builder {
    /// Who runs what a file says. A Spring file named after another
    /// application (`shared/account-service.yml`, `billing-prod.yml` served
    /// by a config server) configures that application, wherever it lies.
    pub(super) fn owners_of_file(&self, file: &Processed, path: &str) -> Vec<String> {
        if let Some((ConfigKind::Spring, _)) = &file.config {
            let name = path.rsplit('/').next().unwrap_or(path);
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            // `application*.yml` that a config server serves (not its own, at the top of its
            // resources) is every client's configuration.
            let served = self.config_servers.iter().any(|root| {
                is_under(path, root) && dir_of(path) != crate::scan::config::join(root, "src/main/resources")
            });
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
        // A proxy's configuration bind-mounted into a compose service
        // (`./nginx/default.conf:/etc/nginx/conf.d/default.conf`) is that service's.
        if let Some((_, ConfigFacts::Proxy { .. })) = &file.config {
            let mounting: Vec<String> = self.mounting_services(path);
            if !mounting.is_empty() {
                return mounting;
            }
        }
        self.services_of_path(path)
    }

    /// First-party services whose compose definition bind-mounts `path` or a directory holding it.
    fn mounting_services(&self, path: &str) -> Vec<String> {
        let roots: BTreeSet<&str> = self
            .units
            .iter()
            .filter(|(_, unit)| {
                unit.compose.iter().any(|(_, service)| {
                    service.mounts.iter().any(|(source, _)| source == path || is_under(path, source))
                })
            })
            .map(|(root, _)| root.as_str())
            .collect();
        self.services
            .iter()
            .filter(|s| s.root.as_deref().is_some_and(|r| roots.contains(r)))
            .map(|s| s.id.clone())
            .collect()
    }

    /// The services a file belongs to: those with the deepest root containing
    /// it. Several services built from one directory (a web process and its
    /// worker) run the same code, so they all read what it reads.
    pub(super) fn services_of_path(&self, path: &str) -> Vec<String> {
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

    /// Follows each Go program's imports through its module's own packages,
    /// so code in `internal/` and `pkg/` belongs to the programs that use it.
    pub(super) fn link_go_packages(&mut self, files: &[Processed]) {
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
            if file.imports.is_empty() || crate::scan::paths::is_excluded(&entry.path) {
                continue;
            }
            let dir = dir_of(&entry.path);
            let edges = graph.entry(dir.to_owned()).or_default();
            for import in &file.imports {
                for (root, path) in &modules {
                    if let Some(rest) = import.strip_prefix(path.as_str())
                        && (rest.is_empty() || rest.starts_with('/'))
                    {
                        edges.insert(crate::scan::config::join(root, rest.trim_start_matches('/')));
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

    /// Links in-tree libraries (npm workspace packages, .NET project
    /// references, Cargo path crates, Go and Maven modules) to the services
    /// that depend on them, directly or through other libraries, by the
    /// names their manifests give them.
    pub(super) fn link_libraries(&mut self) {
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
}
