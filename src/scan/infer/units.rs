//! Stage 1, units: every directory holding a manifest or a Dockerfile, or
//! built by compose, a Procfile or an Aspire AppHost, and what its code says.

use super::*;

impl Builder {
    /// Every directory holding a manifest or a Dockerfile, or built by compose, is a unit.
    pub(super) fn collect_units(&mut self, files: &[Processed]) {
        // Directories of code and manifests: a Dockerfile kept apart from the
        // code it builds (`docker/Dockerfile`) does not make its directory the service.
        let code_dirs: BTreeSet<&str> = files
            .iter()
            .filter_map(|file| {
                let entry = file.entry.as_ref()?;
                let code = entry.language.as_deref().is_some_and(crate::scan::lang::is_code)
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
        // Directories holding a program: a manifest or an entry point at or below them.
        let program_dirs: BTreeSet<&str> = files
            .iter()
            .filter(|f| f.entry_point || matches!(f.config, Some((_, ConfigFacts::Manifest(_)))))
            .filter_map(|f| Some(dir_of(&f.entry.as_ref()?.path)))
            .collect();
        let holds_program = |dir: &str| program_dirs.iter().any(|p| *p == dir || is_under(p, dir));
        // Programs by the names their manifests give (`cargo build --bin api`, `pnpm --filter @acme/web`).
        let mut manifest_names: BTreeMap<&str, &str> = BTreeMap::new();
        for file in files {
            if let (Some(entry), Some((_, ConfigFacts::Manifest(manifest)))) = (&file.entry, &file.config)
                && let Some(name) = manifest.name.as_deref()
            {
                manifest_names.entry(name).or_insert(dir_of(&entry.path));
            }
        }
        // The program a build command in a Dockerfile compiles, built from `context`.
        let compiled = |target: &BuildTarget, context: &str| match target {
            BuildTarget::Path(relative) => {
                let path = crate::scan::config::join(context, relative);
                holds_program(&path).then_some(path)
            }
            BuildTarget::Package(name) => manifest_names.get(name.as_str()).map(|dir| (*dir).to_owned()),
        };
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
            // `release` is a deploy step (migrations), not a running process; a
            // process that rebuilds assets on change is a developer's loop.
            for process in processes.iter().filter(|p| p.name != "release" && !is_watch_loop(&p.command)) {
                let service = process_service(process, &entry.path, &dir);
                self.units
                    .entry(dir.clone())
                    .or_insert_with(|| Unit::new(&dir))
                    .compose
                    .push((entry.path.clone(), service));
            }
        }
        // A platform manifest (fly.toml, render.yaml, App Engine app.yaml) deploys
        // the code at each app's root under the app's name, as compose would.
        for file in files {
            let (Some(entry), Some((_, ConfigFacts::Platform(apps)))) = (&file.entry, &file.config) else {
                continue;
            };
            for app in apps.iter().filter(|app| !app.name.is_empty()) {
                let service = ComposeService {
                    name: app.name.clone(),
                    path: entry.path.clone(),
                    line: app.line,
                    build: Some(app.root.clone()),
                    dockerfile: app.dockerfile.clone(),
                    image: app.image.clone(),
                    command: app.command.clone(),
                    ports: app.ports.clone(),
                    environment: app.env.iter().map(|e| (entry.path.clone(), e.clone())).collect(),
                    files: vec![entry.path.clone()],
                    project_dir: dir_of(&entry.path).to_owned(),
                    ..ComposeService::default()
                };
                self.units
                    .entry(app.root.clone())
                    .or_insert_with(|| Unit::new(&app.root))
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
            if !file.entry_point
                || entry.language.as_deref() != Some("go")
                || crate::scan::paths::is_excluded(&entry.path)
            {
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
        // Go programs the build runs from source (`go run ./cmd/gen` in a Makefile).
        for file in files {
            let Some((_, ConfigFacts::GoRuns(runs))) = &file.config else { continue };
            for (package, _) in runs {
                if let Some(unit) = self.units.get_mut(package.as_str()) {
                    unit.run_by_build = true;
                }
            }
        }
        for service in self.projects.iter().flat_map(|p| &p.services) {
            match &service.build {
                Some(context) => {
                    let dockerfile_path =
                        crate::scan::config::join(context, service.dockerfile.as_deref().unwrap_or("Dockerfile"));
                    let root = build_root(
                        context,
                        &dockerfile_path,
                        dockerfiles.get(dockerfile_path.as_str()).copied(),
                        &holds_code,
                        &holds_program,
                        &compiled,
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
        // enclosing program whose files it copies (`src/main/docker/Dockerfile`
        // builds its module, which a unit of its own would cut off from its
        // entry point); a unit of its own only when no program takes it.
        let paths: BTreeSet<&str> = files.iter().filter_map(|f| Some(f.entry.as_ref()?.path.as_str())).collect();
        let exists = |path: String| {
            paths.contains(path.as_str())
                || paths.range(format!("{path}/").as_str()..).next().is_some_and(|p| is_under(p, &path))
        };
        for (path, dockerfile) in loose_dockerfiles {
            if self.units.values().any(|u| u.dockerfile.as_ref().is_some_and(|(p, _)| *p == path)) {
                continue;
            }
            let dir = dir_of(&path);
            // The enclosing programs, deepest first; the Dockerfile builds the
            // one most of its COPY sources are found in, the deepest of equals
            // (`COPY src/ /app/src/` from `docker/x/Dockerfile` builds the
            // repository root's program, not a test harness's package.json beside it).
            let mut enclosing: Vec<&String> = self
                .units
                .iter()
                .filter(|(root, unit)| !unit.manifests.is_empty() && (root.is_empty() || is_under(dir, root)))
                .map(|(root, _)| root)
                .collect();
            enclosing.sort_by_key(|root| std::cmp::Reverse(root.len()));
            let copies_found_in = |owner: &str| {
                dockerfile
                    .copies()
                    .into_iter()
                    .filter(|source| !source.contains(['*', '?', '$']) && !is_whole_context(source))
                    .filter(|source| exists(crate::scan::config::join(owner, source.trim_end_matches('/'))))
                    .count()
            };
            let owner = self.units.get(dir).map(|_| dir.to_owned()).or_else(|| {
                // Most sources found; of equals, the deepest.
                let mut best: Option<(usize, &String)> = None;
                for root in &enclosing {
                    let found = copies_found_in(root);
                    if best.is_none_or(|(most, _)| found > most) {
                        best = Some((found, root));
                    }
                }
                // An image of a third-party system (`FROM postgres` with a
                // schema beside it) that takes nothing from the enclosing
                // program is not that program's build: it is its own.
                let wraps_external = known_system_image(&dockerfile).is_some();
                best.filter(|(found, _)| *found > 0 || !wraps_external).map(|(_, root)| root.clone())
            });
            // One that copies the whole context builds the program its RUN
            // compiles (`go build ./cmd/api`), with the enclosing program's
            // root as its context, wherever the Dockerfile itself is kept.
            let context = owner.clone().unwrap_or_default();
            if let Some(root) = compiled_program(&dockerfile, &context, &compiled)
                && let Some(unit) = self.units.get_mut(&root)
            {
                if unit.dockerfile.is_none() {
                    give_dockerfile(unit, &path, &dockerfile);
                }
                continue;
            }
            // A Dockerfile that copies only another program's files (a code
            // generator under `src/currency/genproto/` copying `src/currency/proto`)
            // builds for that program, not for the unit above it.
            let takes_deeper_program = |owner: &str| {
                let copies = dockerfile.copies();
                !copies.is_empty()
                    && copies.into_iter().all(|source| {
                        let copied = crate::scan::config::join(owner, source);
                        self.units.keys().any(|root| {
                            root.len() > owner.len()
                                && (owner.is_empty() || is_under(root, owner))
                                && (copied == *root || is_under(&copied, root))
                        })
                    })
            };
            match owner {
                Some(root) if root == dir || !takes_deeper_program(&root) => {
                    if let Some(unit) = self.units.get_mut(&root)
                        && unit.dockerfile.is_none()
                    {
                        give_dockerfile(unit, &path, &dockerfile);
                    }
                }
                // No program encloses it: the directory builds an image of its
                // own (a database image with its schema, a proxy with its
                // config), which a deployment may run by the directory's name.
                None => {
                    let unit = self.units.entry(dir.to_owned()).or_insert_with(|| Unit::new(dir));
                    give_dockerfile(unit, &path, &dockerfile);
                }
                Some(_) => {}
            }
        }
        self.inherit_cmake_packages();
    }

    /// CMake: a directory added with `add_subdirectory` sees the packages its
    /// parent directories found (`find_package(gRPC)` at the top, linked below).
    fn inherit_cmake_packages(&mut self) {
        let found: Vec<(String, Vec<crate::scan::config::Dependency>)> = self
            .units
            .iter()
            .flat_map(|(root, unit)| {
                unit.manifests
                    .iter()
                    .filter(|(_, m)| m.ecosystem == "cmake")
                    .map(|(_, m)| (root.clone(), m.dependencies.clone()))
            })
            .collect();
        for (root, unit) in &mut self.units {
            for (_, manifest) in unit.manifests.iter_mut().filter(|(_, m)| m.ecosystem == "cmake") {
                for (_, dependencies) in found.iter().filter(|(parent, _)| parent != root && is_under(root, parent)) {
                    unit.nested_build = true;
                    for dependency in dependencies {
                        if !manifest.dependencies.iter().any(|d| d.name == dependency.name) {
                            manifest.dependencies.push(dependency.clone());
                        }
                    }
                }
            }
        }
    }

    /// The deepest unit whose root contains `path`.
    pub(super) fn unit_of(&self, path: &str) -> Option<&str> {
        self.units.keys().filter(|root| is_under(path, root)).max_by_key(|root| root.len()).map(String::as_str)
    }

    /// Frameworks, ports and entry points found in code belong to the deepest unit.
    pub(super) fn attribute_code(&mut self, files: &[Processed]) {
        for file in files {
            let Some(entry) = &file.entry else { continue };
            let Some(root) = self.unit_of(&entry.path).map(str::to_owned) else { continue };
            let unit = self.units.get_mut(&root).expect("root exists");
            unit.routes |= matches!(file.config, Some((_, ConfigFacts::Proxy { .. })));
            // A parsed file counts when it says something; a file of a language
            // pruv does not parse yet counts as it is, so the unit's language is not
            // taken from a stray script beside it.
            let counts = file.parsed && !file.code.is_empty()
                || entry.language.as_deref().is_some_and(|l| crate::scan::lang::is_code(l) && !file.parsed)
                    && !crate::scan::paths::is_excluded(&entry.path);
            if let Some(language) = &entry.language
                && counts
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
            if let Some((kind, ConfigFacts::Spring { port: Some((port, line)), .. })) = &file.config {
                let rule = match kind {
                    ConfigKind::Hocon => "hocon.server-port",
                    ConfigKind::AppSettings => "dotnet.appsettings.kestrel-port",
                    _ => "spring.server-port",
                };
                unit.ports.insert(*port);
                unit.evidence.insert(evidence(&entry.path, *line, rule));
            }
        }
    }
}

/// The directory a compose build builds: the Dockerfile's own directory
/// when code lives there (`context: .`, `dockerfile: backend/Dockerfile`);
/// else the one program below the context that its COPY instructions take
/// (`COPY services/api/ /app` from `docker/api.Dockerfile`); else the one
/// program its build commands compile (`COPY . .` then `go build
/// ./cmd/api`); else its own directory when it copies files from there or
/// nothing from the context; else the context.
pub(super) fn build_root(
    context: &str,
    dockerfile_path: &str,
    dockerfile: Option<&Dockerfile>,
    holds_code: &dyn Fn(&str) -> bool,
    holds_program: &dyn Fn(&str) -> bool,
    compiled: &dyn Fn(&BuildTarget, &str) -> Option<String>,
    manifest_dirs: &BTreeSet<&str>,
) -> String {
    let dir = dir_of(dockerfile_path);
    // The Dockerfile's own directory, when it holds a program of its own; a
    // directory of build helpers (`docker/` with a script beside the
    // Dockerfile) does not, when the context itself is a program.
    if dir != context && holds_code(dir) && (holds_program(dir) || !manifest_dirs.contains(context)) {
        return dir.to_owned();
    }
    let Some(dockerfile) = dockerfile else { return context.to_owned() };
    // What the image runs: the program its stages, or the builder stages whose
    // output it takes, copy in; any stage's copies when that says nothing.
    let program_copies = dockerfile.program_copies(None);
    let copied = if program_copies.is_empty() { dockerfile.copies() } else { program_copies };
    let programs: BTreeSet<&str> = copied
        .into_iter()
        .filter(|source| !is_whole_context(source))
        .filter_map(|source| {
            let path = crate::scan::config::join(context, source);
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
    // No program among what it copies, but files of its own directory (a
    // proxy's config beside its Dockerfile, `COPY src/proxy/envoy.yaml …`):
    // what it builds is that directory's.
    let copies_context = dockerfile.copies().into_iter().any(is_whole_context);
    let copies_own_dir = || {
        !copies_context
            && dockerfile.copies().into_iter().filter(|source| !is_whole_context(source)).any(|source| {
                let path = crate::scan::config::join(context, source.trim_start_matches("./"));
                path == dir || is_under(&path, dir)
            })
    };
    // A known system's image that takes nothing from the context
    // (`FROM apache/kafka` plus downloads) is made in its own directory: that
    // system, not the context's program (a runtime image such as `python`
    // running the context's code through a mounted script is not).
    let copies_nothing = || dockerfile.copies().is_empty() && known_system_image(dockerfile).is_some();
    // An image that holds the whole context runs the context's program,
    // whatever its builder stages compile on the side (a frontend package
    // built into assets by a `node` stage, then `COPY . /app`).
    let image_holds_context = dockerfile.image_copies(None).into_iter().any(is_whole_context);
    match (programs.into_iter().collect::<Vec<_>>().as_slice(), compiled_program(dockerfile, context, compiled)) {
        ([only], _) if !image_holds_context => (*only).to_owned(),
        (_, Some(built)) => built,
        ([], None) if dir != context && (copies_own_dir() || copies_nothing()) => dir.to_owned(),
        _ => context.to_owned(),
    }
}

impl Builder {
    /// Worker processes that only the project's task runner starts (a poe
    /// `worker = "celery -A app worker"`): where no compose service or Procfile
    /// process runs that framework's process for the unit, the task is one.
    /// Only commands of a known worker framework count: a task runner also
    /// holds linters, migrations and one-off scripts.
    pub(super) fn adopt_task_processes(&mut self) {
        for unit in self.units.values_mut() {
            let mut running: BTreeSet<(&str, bool)> =
                unit.compose.iter().filter_map(|(_, c)| worker_process(c.command.as_deref()?)).collect();
            let mut adopted = Vec::new();
            for (path, manifest) in &unit.manifests {
                for task in &manifest.tasks {
                    if worker_process(&task.command).is_some_and(|process| running.insert(process)) {
                        adopted.push((path.clone(), process_service(task, path, &unit.root)));
                    }
                }
            }
            unit.compose.extend(adopted);
        }
    }
}

/// The worker process a command line runs: its known framework, and
/// whether it only schedules (`celery … beat`) rather than works.
fn worker_process(command: &str) -> Option<(&'static str, bool)> {
    let framework = frameworks::worker_command(command)??;
    Some((framework.name.as_str(), frameworks::is_scheduler_command(command)))
}

/// A named process (a Procfile's or a task runner's) of the program in
/// `dir`, as the compose service that would run it.
fn process_service(process: &crate::scan::config::Process, path: &str, dir: &str) -> ComposeService {
    ComposeService {
        name: process.name.clone(),
        path: path.to_owned(),
        line: process.line,
        build: Some(dir.to_owned()),
        command: Some(process.command.clone()),
        environment: process.env.iter().map(|e| (path.to_owned(), e.clone())).collect(),
        files: vec![path.to_owned()],
        project_dir: dir.to_owned(),
        ..ComposeService::default()
    }
}

/// The known system the image is made from (`FROM postgres:16`), if any.
pub(super) fn known_system_image(dockerfile: &Dockerfile) -> Option<&'static externals::External> {
    dockerfile.final_from(None).and_then(externals::by_image)
}

/// A COPY source that is the whole build context (`COPY . .`, `COPY * ./`).
/// The one program below `context` that a Dockerfile's build commands
/// compile (`COPY . .` then `go build ./cmd/api`): its own stages' commands,
/// and its builder stages' unless the image holds the whole context anyway
/// (then what builders compile is assets on the side).
fn compiled_program(
    dockerfile: &Dockerfile,
    context: &str,
    compiled: &dyn Fn(&BuildTarget, &str) -> Option<String>,
) -> Option<String> {
    let image_holds_context = dockerfile.image_copies(None).into_iter().any(is_whole_context);
    let built: BTreeSet<String> = dockerfile
        .program_builds(None, !image_holds_context)
        .into_iter()
        .filter_map(|target| compiled(target, context))
        .filter(|root| root != context)
        .collect();
    let mut built = built.into_iter();
    match (built.next(), built.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

fn is_whole_context(source: &str) -> bool {
    matches!(source, "" | "." | "*")
}

/// A command that rebuilds on every change (`bin/rails tailwindcss:watch`,
/// `webpack --watch`, `npm run watch`): it serves a developer, not users.
fn is_watch_loop(command: &str) -> bool {
    command.split_whitespace().any(|word| word == "--watch" || word == "watch" || word.ends_with(":watch"))
}
