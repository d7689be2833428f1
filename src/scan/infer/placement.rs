//! Stage 2, placement: deployments that name no directory (an image, a
//! Kubernetes workload) join the unit that builds or is named like them.

use super::*;

impl Builder {
    /// Kubernetes workloads join the unit whose name or directory their image names.
    pub(super) fn place_compose_and_k8s(&mut self) {
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

    pub(super) fn unit_for_workload(&self, workload: &Workload) -> Option<String> {
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
            // What the program calls itself (`spring-petclinic`, `@acme/cart`).
            let manifest_names: Vec<&str> = unit
                .manifests
                .iter()
                .filter_map(|(_, m)| m.name.as_deref())
                .map(|n| n.rsplit(['/', ':']).next().unwrap_or(n))
                .collect();
            let score = names.iter().filter_map(|name| {
                if unit.compose.iter().any(|(_, c)| &c.name == name) || unit.aliases.contains(name) {
                    return Some(3);
                }
                match segments.iter().rposition(|s| s == name) {
                    Some(i) if i + 1 == segments.len() => Some(2),
                    Some(_) => Some(1),
                    // The program's own name, or a shortening of it
                    // (`petclinic` deploys `spring-petclinic`).
                    None => manifest_names.iter().any(|m| *m == name || names_one_of_its_words(m, name)).then_some(1),
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
    pub(super) fn built_here(&self, image: &str) -> Option<String> {
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
    pub(super) fn first_party_namespaces(&self) -> BTreeSet<String> {
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
    pub(super) fn adopt_image_services(&mut self) {
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

    /// One Dockerfile at a shared context that several compose services
    /// build, each stopping at its own stage (`target: pricing`) or, when the
    /// context holds no program of its own, each with its own arguments: a
    /// service named after a program below the context (`pricing/`, or a
    /// manifest named so) is that program's build.
    pub(super) fn rehome_shared_builds(&mut self) {
        let programs: Vec<(String, BTreeSet<String>)> = self
            .units
            .iter()
            .filter(|(_, u)| !u.manifests.is_empty() || !u.entry_points.is_empty())
            .map(|(root, u)| (root.clone(), u.aliases.clone()))
            .collect();
        let mut moves = Vec::new();
        for (root, unit) in &self.units {
            fn build_of(c: &ComposeService) -> (Option<&str>, Option<&str>) {
                (c.build.as_deref(), c.dockerfile.as_deref())
            }
            for (index, (_, compose)) in unit.compose.iter().enumerate() {
                let shared = unit.compose.iter().filter(|(_, other)| build_of(other) == build_of(compose)).count() > 1;
                if !shared || compose.build.as_deref() != Some(root.as_str()) {
                    continue;
                }
                if compose.target.is_none() && !unit.entry_points.is_empty() {
                    continue;
                }
                let named: Vec<&String> = programs
                    .iter()
                    .filter(|(program, aliases)| {
                        is_under(program, root)
                            && (last_segment(program) == compose.name || aliases.contains(&compose.name))
                    })
                    .map(|(program, _)| program)
                    .collect();
                if let [program] = named.as_slice() {
                    moves.push((root.clone(), index, (*program).clone()));
                }
            }
        }
        for (from, index, to) in moves.into_iter().rev() {
            let source = self.units.get_mut(&from).expect("exists");
            let entry = source.compose.remove(index);
            // The shared Dockerfile builds it too: its stage's EXPOSE and ENV are the program's.
            let dockerfile = source.dockerfile.clone();
            let program = self.units.get_mut(&to).expect("exists");
            if program.dockerfile.is_none() {
                program.dockerfile = dockerfile;
            }
            program.compose.push(entry);
        }
    }

    /// The programs of a native build's subdirectories (a CMake project's
    /// server, its admin tool, its test clients) ship in the image built from
    /// the top: unless a deployment builds one on its own, each is folded into
    /// the build above it, which then holds their code, libraries and `main`s.
    pub(super) fn fold_native_subprograms(&mut self) {
        let folded: Vec<String> = self
            .units
            .iter()
            .filter(|(root, u)| {
                u.nested_build
                    && u.dockerfile.is_none()
                    && u.compose.is_empty()
                    && u.workloads.is_empty()
                    && !crate::scan::paths::is_beside_the_system(&format!("{root}/"))
            })
            .map(|(root, _)| root.clone())
            .collect();
        // Deepest first, so a fold lands in a unit that stays.
        for root in folded.iter().rev() {
            let Some(parent) = self
                .units
                .iter()
                .filter(|(p, u)| {
                    *p != root && is_under(root, p) && u.manifests.iter().any(|(_, m)| m.ecosystem == "cmake")
                })
                .max_by_key(|(p, _)| p.len())
                .map(|(p, _)| p.clone())
            else {
                continue;
            };
            let program = self.units.remove(root).expect("exists");
            let parent = self.units.get_mut(&parent).expect("exists");
            parent.manifests.extend(program.manifests);
            parent.ships_programs |= !program.entry_points.is_empty();
            parent.entry_points.extend(program.entry_points);
            parent.frameworks.extend(program.frameworks);
            parent.ports.extend(program.ports);
            parent.evidence.extend(program.evidence);
            for (language, count) in program.languages {
                *parent.languages.entry(language).or_default() += count;
            }
        }
    }

    /// A generic build image that runs source mounted from the tree
    /// (`volumes: ./internal:/internal`, `working_dir: /internal/trainer`)
    /// is the service of that source directory.
    pub(super) fn rehome_mounted_compose(&mut self) {
        let code_roots: BTreeSet<String> =
            self.units.iter().filter(|(_, u)| !u.manifests.is_empty()).map(|(r, _)| r.clone()).collect();
        let mut moves = Vec::new();
        for (root, unit) in &self.units {
            if !unit.manifests.is_empty() {
                continue;
            }
            for (index, (_, compose)) in unit.compose.iter().enumerate() {
                let mounted = match compose.working_dir.as_deref() {
                    Some(workdir) => compose.mounts.iter().find_map(|(source, target)| {
                        let rest = workdir.strip_prefix(target.as_str())?;
                        (rest.is_empty() || rest.starts_with('/'))
                            .then(|| crate::scan::config::join(source, rest.trim_start_matches('/')))
                    }),
                    // An image built from outside the tree (a dependency's
                    // runtime, `context: ./vendor/laravel/sail/runtimes/8.4`)
                    // runs the program it mounts (`.:/var/www/html`), its
                    // working directory set by that image.
                    None if unit.dockerfile.is_none() => {
                        let programs: Vec<&String> = compose
                            .mounts
                            .iter()
                            .map(|(source, _)| source)
                            .filter(|s| code_roots.contains(*s))
                            .collect();
                        match programs.as_slice() {
                            [program] => Some((*program).clone()),
                            _ => None,
                        }
                    }
                    None => None,
                };
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
}

/// Whether `short` is a whole word of `name` of some length (`petclinic` of
/// `spring-petclinic`), not a fragment of one or a generic word (`api`).
fn names_one_of_its_words(name: &str, short: &str) -> bool {
    short.len() >= 5 && name.split(['-', '_', '.']).any(|word| word == short)
}
