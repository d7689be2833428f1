//! A unit: a directory that may be a service, and everything known about it.

use super::*;
/// A directory that may be a service, and everything known about it.
#[derive(Default)]
pub(super) struct Unit {
    pub(super) root: String,
    /// Names it goes by: compose service, k8s workload, directory, manifest name.
    pub(super) aliases: BTreeSet<String>,
    pub(super) manifests: Vec<(String, Manifest)>,
    pub(super) dockerfile: Option<(String, Dockerfile)>,
    pub(super) compose: Vec<(String, ComposeService)>,
    pub(super) workloads: Vec<(String, Workload)>,
    pub(super) entry_points: Vec<Evidence>,
    pub(super) frameworks: Vec<(String, Evidence, Option<u16>)>,
    pub(super) ports: BTreeSet<u16>,
    pub(super) evidence: BTreeSet<Evidence>,
    pub(super) languages: BTreeMap<String, usize>,
    /// For a Go `main` package below its module's root: that root.
    pub(super) go_module: Option<String>,
    /// It holds routing configuration of a proxy or gateway (nginx, Caddy, Envoy).
    pub(super) routes: bool,
    /// Part of a larger native build (a CMake subdirectory of a CMake project):
    /// unless deployed on its own, its programs ship in that build.
    pub(super) nested_build: bool,
    /// Programs of its subdirectories were folded into it: its `main`s are
    /// theirs, not stray scripts.
    pub(super) ships_programs: bool,
    /// The repository's build runs it from source (`go run ./cmd/gen` in a
    /// Makefile): a step of the build, unless something deploys it.
    pub(super) run_by_build: bool,
}

impl Unit {
    pub(super) fn new(root: &str) -> Unit {
        Unit { root: root.to_owned(), ..Unit::default() }
    }

    pub(super) fn is_service(&self) -> bool {
        if !self.compose.is_empty() || !self.workloads.is_empty() {
            return true;
        }
        // Go's convention: the module's commands live in `cmd/`; a `main`
        // package elsewhere (tools/, hack/, examples/), or one the build runs
        // from source (a doc or code generator), is a program only when
        // something builds or deploys it (a Dockerfile, compose, a workload).
        if self.go_module.is_some() {
            let command = self.root.split('/').any(|segment| segment == "cmd") && !self.run_by_build;
            return command || self.dockerfile.is_some();
        }
        if self.manifests.iter().any(|(_, m)| m.not_a_service) {
            return false;
        }
        // Tools, examples and harnesses beside the system (`tools/c4`,
        // `examples/worker`) are programs of their own, but not the system's
        // services unless its deployment runs them (checked above).
        if crate::scan::paths::is_beside_the_system(&format!("{}/", self.root)) {
            return false;
        }
        // In languages whose programs start at a `main`, code without one is a library,
        // whatever frameworks it wires up for its callers.
        let compiled = self
            .manifests
            .iter()
            .any(|(_, m)| matches!(m.ecosystem, "go" | "cargo" | "maven" | "gradle" | "nuget" | "cmake"));
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
    /// A proxy with routes of its own (an Envoy or nginx gateway) is ours:
    /// its routing is the system's design, written in config.
    ///
    /// Built from a plain base image instead (`FROM node` plus
    /// `npm install -g firebase-tools`, an emulator), such a directory is
    /// the known system its every deployment is named after (`firestore:`).
    pub(super) fn wrapped_external(&self) -> Option<&'static externals::External> {
        let (_, dockerfile) = self.dockerfile.as_ref()?;
        if !self.manifests.is_empty() || !self.frameworks.is_empty() || !self.entry_points.is_empty() || self.routes {
            return None;
        }
        if let Some(external) = super::units::known_system_image(dockerfile) {
            return Some(external);
        }
        // `firestore`, or `firestore-component-tests` of a test setup.
        let named = |name: &str| {
            externals::by_id(name).or_else(|| externals::by_id(name.split(['-', '_']).next().unwrap_or(name)))
        };
        let mut names = self.compose.iter().map(|(_, c)| &c.name).chain(self.workloads.iter().map(|(_, w)| &w.name));
        let first = named(names.next()?)?;
        names.all(|name| named(name).is_some_and(|e| std::ptr::eq(e, first))).then_some(first)
    }
}

impl Unit {
    /// Whether a Kubernetes workload may be placed here: a unit that builds something.
    pub(super) fn is_service_candidate_for_k8s(&self) -> bool {
        self.dockerfile.is_some() || !self.manifests.is_empty() || !self.compose.is_empty()
    }
}

/// Whether the directory would be a service even if compose did not build it.
pub(super) fn unit_is_service_without_compose(unit: &Unit) -> bool {
    !unit.frameworks.is_empty()
        || (!unit.manifests.is_empty() && !unit.entry_points.is_empty())
        || unit.manifests.iter().any(|(_, m)| m.start.is_some() || m.web_sdk)
        || unit
            .manifests
            .iter()
            .any(|(_, m)| m.dependencies.iter().any(|d| frameworks::by_package(m.ecosystem, &d.name).is_some()))
}

/// Dockerfile beats Dockerfile.dev: keep the plain one when there are several.
pub(super) fn give_dockerfile(unit: &mut Unit, path: &str, dockerfile: &Dockerfile) {
    let plain = path.ends_with("/Dockerfile") || path == "Dockerfile";
    if unit.dockerfile.is_none() || plain {
        unit.dockerfile = Some((path.to_owned(), dockerfile.clone()));
    }
}
