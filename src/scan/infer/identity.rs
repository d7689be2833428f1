//! Stage 3, identity: units become services with ids, names, language,
//! framework and ports; the names they answer to are recorded.

use super::*;

impl Builder {
    /// An application's `spring.application.name` is the name it registers
    /// under (Eureka, Consul, `lb://name`) and the name of its files in a
    /// config server.
    pub(super) fn alias_spring_applications(&mut self, files: &[Processed]) {
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

    /// A Kubernetes Service's names (`cart`, `cart.shop`, `cart.shop.svc.cluster.local`)
    /// mean what the workloads it selects are.
    /// A Service that selects several workloads (a canary beside the main
    /// deployment) means the one it is named after, or its only first-party one.
    pub(super) fn alias_kube_services(&mut self) {
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

    pub(super) fn finish_services(&mut self) {
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
        // A Go module's or Rust package's own `main` is no stray script: it is
        // the program its manifest builds (`main.go` beside `go.mod` and `ui/`).
        let roots: Vec<String> = units.keys().cloned().collect();
        for (root, unit) in units.iter_mut() {
            let builds_its_main = unit.manifests.iter().any(|(_, m)| matches!(m.ecosystem, "go" | "cargo"));
            if !unit.ships_programs
                && !builds_its_main
                && roots.iter().any(|other| other != root && is_under(other, root))
            {
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
                // An image nobody knows that listens on a system's own port
                // (`acme/shop-db` exposing 3306) is that system, packaged.
                None if let Some(external) = listens_as_known_system(&ports) => external.id.clone(),
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
    pub(super) fn services_of(&self, unit: &Unit) -> Vec<(Service, Vec<(String, String)>)> {
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
                            && c.build.as_deref().is_some_and(|context| crate::scan::config::join(context, d) == *path)
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
        let main_names: Vec<(String, String)> = main_compose.map(|(_, c)| compose_names(c)).unwrap_or_default();
        let mut services = vec![(
            Service {
                id: sanitize(&id),
                name: id.clone(),
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
        // So is a process that runs the very command the main entry runs (a
        // Procfile's `web: uwsgi etc/uwsgi.ini` beside a compose service whose
        // image's CMD is `uwsgi /code/etc/uwsgi.ini`).
        let main_command = main_compose.and_then(|(_, m)| {
            m.command.as_deref().or_else(|| unit.dockerfile.as_ref().and_then(|(_, d)| d.command(m.target.as_deref())))
        });
        // And so is an entry running the image the main entry builds, at any tag
        // (`app:dev` in a test stack beside `app:latest`).
        let main_image = main_compose.and_then(|(_, m)| m.image.as_deref()).map(image_repository);
        let same_program = |c: &ComposeService, kind: ServiceKind| {
            kind == main_kind
                && ((main_compose.is_some_and(|(_, m)| m.dockerfile == c.dockerfile) && own_dockerfile(c))
                    || c.command.as_deref().zip(main_command).is_some_and(|(a, b)| same_command(a, b))
                    || c.image.as_deref().map(image_repository).is_some_and(|i| Some(i) == main_image))
        };
        // Another compose entry of a service already made: its ports, evidence and names join it.
        let absorb = |(service, names): &mut (Service, Vec<(String, String)>), path: &str, compose: &ComposeService| {
            service.ports.extend(&compose.ports);
            service.ports.sort_unstable();
            service.ports.dedup();
            service.evidence.push(evidence(path, compose.line, "compose.service"));
            names.extend(compose_names(compose));
        };
        for (path, compose, kind) in others {
            if same_program(compose, *kind) {
                absorb(&mut services[0], path, compose);
                continue;
            }
            // The same name in another compose file of this build (a CI or
            // production file beside the development one, its command spelt
            // otherwise) is the same service in another environment.
            if let Some(known) =
                services.iter_mut().skip(1).find(|(s, _)| s.id == sanitize(&compose.name) && s.kind == *kind)
            {
                absorb(known, path, compose);
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
                name: compose.name.clone(),
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
    pub(super) fn framework_of(&self, unit: &Unit) -> (Option<String>, Option<ServiceKind>) {
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

    /// The unit's language: the one its build manifests are for, among
    /// those its code is written in (a Java gateway that bundles a static UI
    /// is Java however many scripts the UI has); the language most of its
    /// code is in when no manifest says; else the manifest's alone.
    pub(super) fn language_of(&self, unit: &Unit) -> Option<String> {
        let count = |language: &str| unit.languages.get(language).copied().unwrap_or(0);
        let from_manifests: Vec<&str> =
            unit.manifests.iter().flat_map(|(path, m)| manifest_languages(m.ecosystem, path)).copied().collect();
        let built = from_manifests.iter().filter(|l| count(l) > 0).max_by_key(|l| (count(l), std::cmp::Reverse(**l)));
        let most_common = unit.languages.iter().max_by_key(|(_, count)| **count).map(|(l, _)| l.as_str());
        let language = built.copied().or(most_common).or(from_manifests.first().copied())?;
        // An npm package written in TypeScript.
        let typed = if language == "javascript" && count("typescript") > 0 { "typescript" } else { language };
        Some(typed.to_owned())
    }
}

pub(super) fn worker_kind(command: Option<&str>) -> Option<ServiceKind> {
    frameworks::worker_command(command?).map(|_| ServiceKind::Worker)
}

pub(super) fn worker_framework(command: Option<&str>) -> Option<String> {
    frameworks::worker_command(command?).flatten().map(|f| f.name.clone())
}

/// The languages a build manifest builds, most likely first.
fn manifest_languages(ecosystem: &str, path: &str) -> &'static [&'static str] {
    match ecosystem {
        "pypi" => &["python"],
        "go" => &["go"],
        "maven" | "gradle" if path.ends_with(".kts") => &["kotlin", "java", "scala"],
        "maven" | "gradle" => &["java", "kotlin", "scala"],
        "sbt" => &["scala", "java"],
        "nuget" => &["csharp"],
        "cargo" => &["rust"],
        "gem" => &["ruby"],
        "npm" => &["javascript", "typescript"],
        "composer" => &["php"],
        "hex" => &["elixir"],
        "cmake" => &["cpp", "c"],
        _ => &[],
    }
}

/// The one known system whose default port is among `ports`.
fn listens_as_known_system(ports: &[u16]) -> Option<&'static externals::External> {
    let mut systems = ports.iter().filter_map(|port| externals::by_port(*port));
    let first = systems.next()?;
    systems.all(|other| other.id == first.id).then_some(first)
}

/// Whether two command lines run the same program with the same files:
/// each word compared by its last path segment (`./etc/uwsgi.ini` and
/// `/code/etc/uwsgi.ini` are one file, seen from the checkout and from the
/// image), leading `NAME=value` assignments left out.
fn same_command(a: &str, b: &str) -> bool {
    let words = |command: &str| -> Vec<String> {
        command
            .split_whitespace()
            .skip_while(|w| w.contains('=') && !w.starts_with('-'))
            .map(|w| w.trim_matches(['"', '\'']).rsplit('/').next().unwrap_or(w).to_owned())
            .collect()
    };
    let (a, b) = (words(a), words(b));
    !a.is_empty() && a == b
}

/// An image reference without its tag or digest: `ghcr.io/acme/app:dev` → `ghcr.io/acme/app`.
fn image_repository(image: &str) -> &str {
    let image = image.split('@').next().unwrap_or(image);
    match image.rsplit_once(':') {
        Some((repository, tag)) if !tag.contains('/') => repository,
        _ => image,
    }
}
