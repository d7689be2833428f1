//! Configuration sources: what they define (env vars, ports, services,
//! images, dependencies), read with real parsers (YAML, TOML, JSON, XML).
//! Which parser reads a file is decided by its name alone.

mod appsettings;
pub mod aspire;
pub mod build_commands;
pub mod compose;
pub mod helm;
pub mod paas;
pub mod proto;
pub mod rails;
pub use compose::join;
mod dockerfile;
mod dotenv;
pub mod k8s;
pub mod kustomize;
mod makefile;
mod manifest;
mod proxy;
pub use manifest::resolve_catalog;
pub use proxy::DAPR_INVOKE;
mod workflow;
pub mod yaml;

use serde::{Deserialize, Serialize};

/// A port mapping or exposed port: the port the process listens on.
pub type Port = u16;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EnvEntry {
    pub name: String,
    pub line: u32,
    /// The literal value, when there is one; used to resolve connections,
    /// never written out.
    pub value: Option<String>,
    /// For a read: it has a default (`${NAME:fallback}`), so the variable may be left unset.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
}

impl EnvEntry {
    /// A `NAME: value` entry of a YAML map (compose `environment`, App Engine `env_variables`).
    pub fn of_yaml(name: &str, value: &yaml::Node) -> EnvEntry {
        EnvEntry { name: name.to_owned(), line: value.line, value: value.str().map(str::to_owned), default: false }
    }
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

/// One service of a compose project, as docker compose would run it: every
/// file that defines it merged, `${…}` interpolated, `extends` applied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComposeService {
    pub name: String,
    /// The file that first defines it, and the line of its name there.
    pub path: String,
    pub line: u32,
    /// Build context relative to the scan root, `/`-separated, "" for the root.
    pub build: Option<String>,
    /// The Dockerfile as written, relative to the context.
    pub dockerfile: Option<String>,
    /// The build stage it stops at (`build.target`).
    pub target: Option<String>,
    pub image: Option<String>,
    /// The command it runs, when overridden (`celery -A app worker`).
    pub command: Option<String>,
    pub working_dir: Option<String>,
    /// Bind mounts from the tree: (source relative to the scan root, path in the container).
    pub mounts: Vec<(String, String)>,
    /// Container-side ports of `ports` and `expose`.
    pub ports: Vec<Port>,
    /// Its environment, each variable with the file that sets it.
    pub environment: Vec<(String, EnvEntry)>,
    pub env_files: Vec<String>,
    /// (service, file, line) of each `depends_on` entry.
    pub depends_on: Vec<(String, String, u32)>,
    /// Profiles it belongs to; empty when it always runs.
    pub profiles: Vec<String>,
    /// Other names it has on its networks: `container_name`, `hostname`, network aliases.
    pub hostnames: Vec<String>,
    /// `links`: (service linked to, the name this service uses for it).
    pub links: Vec<(String, String)>,
    /// Keys a later file resets (`!reset`); applied when merged.
    pub resets: Vec<String>,
    /// Variables its definition refers to that have no value and no default.
    pub unresolved: Vec<String>,
    /// Every file that contributes to it, in merge order.
    pub files: Vec<String>,
    /// The directory of its project, where its name is known to the others.
    pub project_dir: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Workload {
    /// Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod.
    pub kind: String,
    pub name: String,
    pub line: u32,
    /// `metadata.namespace`, when the manifest says.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The pod template's labels, which Services select.
    #[serde(default)]
    pub labels: Vec<(String, String)>,
    pub images: Vec<String>,
    pub ports: Vec<Port>,
    pub env: Vec<EnvEntry>,
    /// `env[].valueFrom.configMapKeyRef`/`secretKeyRef`: (variable, config map or secret, key, line).
    #[serde(default)]
    pub env_refs: Vec<(String, String, String, u32)>,
    /// `envFrom[].configMapRef`/`secretRef` names.
    #[serde(default)]
    pub env_from: Vec<String>,
    /// The Helm chart whose template it was read from.
    #[serde(default)]
    pub chart: Option<String>,
    /// Whether `helm template` rendered that chart (else its templates were
    /// read without `helm`, values put into their literal parts).
    #[serde(default)]
    pub rendered: bool,
}

impl Workload {
    /// The rule that found it, for evidence.
    pub fn rule(&self) -> &'static str {
        match (&self.chart, self.rendered) {
            (Some(_), true) => "helm.template.rendered",
            (Some(_), false) => "helm.template.unrendered",
            (None, _) => "k8s.workload",
        }
    }
}

/// A Kubernetes Service: the name other pods reach the selected pods by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KubeService {
    pub name: String,
    pub namespace: Option<String>,
    pub line: u32,
    pub selector: Vec<(String, String)>,
    /// (port, target port) pairs; the target as a number when it is one.
    pub ports: Vec<(Port, Option<Port>)>,
    /// The names Kustomize builds give it (prefixed, suffixed) and their namespaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub built_names: Vec<(String, Option<String>)>,
}

/// A ConfigMap's (or Secret's `stringData`) keys: (key, value, line). Secret values are never kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigMap {
    pub name: String,
    pub namespace: Option<String>,
    pub entries: Vec<EnvEntry>,
    /// `.env` files a Kustomize generator reads into it (`envs:`), relative
    /// to the kustomization's directory; read when the tree is assembled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env_files: Vec<String>,
}

/// The Kubernetes objects of one file that the scanner reads.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KubeObjects {
    pub workloads: Vec<Workload>,
    pub services: Vec<KubeService>,
    pub config_maps: Vec<ConfigMap>,
    /// Dapr components (`kind: Component`, `apiVersion: dapr.io/…`).
    #[serde(default)]
    pub dapr_components: Vec<DaprComponent>,
    /// A `kustomization.yaml`'s includes and transformations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kustomization: Option<Box<kustomize::Kustomization>>,
    /// A JSON 6902 patch: what it adds to the containers of its target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_patch: Option<Box<Workload>>,
}

impl KubeObjects {
    /// Whether it holds none of the objects the scanner reads.
    pub fn is_empty(&self) -> bool {
        self.workloads.is_empty()
            && self.services.is_empty()
            && self.config_maps.is_empty()
            && self.dapr_components.is_empty()
    }

    /// Adds `other`'s objects to these.
    pub fn extend(&mut self, other: KubeObjects) {
        self.workloads.extend(other.workloads);
        self.services.extend(other.services);
        self.config_maps.extend(other.config_maps);
        self.dapr_components.extend(other.dapr_components);
    }
}

/// A Dapr component: a building block (`pubsub`, `state`, `bindings`, …)
/// backed by a system (`pubsub.rabbitmq`, `state.redis`), offered to the
/// apps its `scopes` name (all apps when it names none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaprComponent {
    pub name: String,
    /// `spec.type`: `<building block>.<system>[.<variant>]`.
    pub kind: String,
    pub scopes: Vec<String>,
    pub line: u32,
    /// Literal `spec.metadata` values of address-like names (`host`,
    /// `redisHost`, `connectionString`), reduced to their address part.
    #[serde(default)]
    pub addresses: Vec<EnvEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    pub name: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// npm, pypi, go, maven, gradle, sbt, nuget, cargo, gem, composer, hex, cmake.
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
    /// Named commands of the project's task runner (pyproject `[tool.poe.tasks]`),
    /// which may start its long-running processes (`worker = "celery … worker"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Process>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Dockerfile {
    /// Build stages in order; the last one is the image unless a build names a `target`.
    pub stages: Vec<Stage>,
    pub env: Vec<EnvEntry>,
    /// Templates the container renders from its environment when it starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub envsubst: Vec<Envsubst>,
}

/// A template the container fills from its environment: `envsubst < t > f`
/// in RUN/CMD/ENTRYPOINT, or a file copied into `/etc/nginx/templates/`
/// (the nginx image renders those with envsubst when it starts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envsubst {
    pub line: u32,
    /// The variables it substitutes when it names them (`envsubst '$A $B'`); empty: all.
    pub names: Vec<String>,
    /// The template's file name, when known.
    pub template: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// `AS name`, lower-cased as docker matches it.
    pub name: Option<String>,
    /// The base: an image, or an earlier stage's name.
    pub from: String,
    pub line: u32,
    pub expose: Vec<(Port, u32)>,
    /// Context paths copied in (`COPY`/`ADD` without `--from`), as written.
    pub copies: Vec<String>,
    /// Its `CMD`, words joined by spaces (the JSON form unquoted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<String>,
    /// Earlier stages (or images) it copies build output from (`COPY --from=build …`), lower-cased.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies_from: Vec<String>,
    /// What its `RUN` commands compile (`go build ./cmd/api` after `COPY . .`),
    /// as paths from the build context's root, or package names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub builds: Vec<build_commands::BuildTarget>,
}

impl Dockerfile {
    /// The stage an image is built from: `target`, else the last.
    fn final_stage(&self, target: Option<&str>) -> Option<usize> {
        match target {
            Some(target) => self.stages.iter().position(|s| s.name.as_deref() == Some(&target.to_ascii_lowercase())),
            None => self.stages.len().checked_sub(1),
        }
    }

    /// The command the image runs: the nearest `CMD` of its stages.
    pub fn command(&self, target: Option<&str>) -> Option<&str> {
        self.lineage(target).into_iter().find_map(|stage| stage.cmd.as_deref())
    }

    /// The stages the image is made of: the final one and the stages it is `FROM`, nearest first.
    fn lineage(&self, target: Option<&str>) -> Vec<&Stage> {
        let mut out: Vec<&Stage> = Vec::new();
        let mut at = self.final_stage(target);
        while let Some(index) = at {
            let stage = &self.stages[index];
            if out.iter().any(|s| std::ptr::eq(*s, stage)) {
                break;
            }
            out.push(stage);
            at = self.stages[..index].iter().rposition(|s| s.name.as_deref() == Some(&stage.from.to_ascii_lowercase()));
        }
        out
    }

    /// Ports the built image exposes (EXPOSE of its stage and the stages it builds on).
    pub fn exposed(&self, target: Option<&str>) -> Vec<Port> {
        let mut ports: Vec<Port> = self.lineage(target).iter().flat_map(|s| s.expose.iter().map(|(p, _)| *p)).collect();
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    /// The image the built image is ultimately based on.
    pub fn final_from(&self, target: Option<&str>) -> Option<&str> {
        self.lineage(target).last().map(|s| s.from.as_str())
    }

    /// The `ENV` the built image runs with: those of its stage and the
    /// stages it builds on. A builder stage's `ENV` (a compiler flag, a
    /// download URL) stays behind in the build.
    pub fn runtime_env(&self, target: Option<&str>) -> Vec<&EnvEntry> {
        let lineage = self.lineage(target);
        let stage_of = |line: u32| self.stages.iter().filter(|s| s.line <= line).max_by_key(|s| s.line);
        self.env
            .iter()
            .filter(|e| match stage_of(e.line) {
                Some(stage) => lineage.iter().any(|s| std::ptr::eq(*s, stage)),
                // Before any FROM (a global ARG scope): not in the image.
                None => false,
            })
            .collect()
    }

    /// The context paths of the program the image runs: those its own
    /// stages copy in; when they copy none, those of the nearest builder
    /// stages whose output they copy (`COPY --from=build-backend …`), so a
    /// Go server built beside a front end's assets is the Go program.
    pub fn program_copies(&self, target: Option<&str>) -> Vec<&str> {
        let mut layer: Vec<&Stage> = self.lineage(target);
        let mut seen: Vec<*const Stage> = Vec::new();
        for _ in 0..self.stages.len() {
            let copies: Vec<&str> = layer.iter().flat_map(|s| s.copies.iter().map(String::as_str)).collect();
            if !copies.is_empty() {
                return copies;
            }
            seen.extend(layer.iter().map(|s| *s as *const Stage));
            let next: Vec<&Stage> = layer
                .iter()
                .flat_map(|s| &s.copies_from)
                .filter_map(|name| self.stages.iter().position(|t| t.name.as_deref() == Some(name.as_str())))
                .flat_map(|index| self.lineage(self.stages[index].name.as_deref()))
                .filter(|s| !seen.contains(&(*s as *const Stage)))
                .collect();
            if next.is_empty() {
                break;
            }
            layer = next;
        }
        Vec::new()
    }

    /// What the image's program is compiled from: the builds of its own
    /// stages and, with `builders`, of the stages whose output it copies
    /// (transitively).
    pub fn program_builds(&self, target: Option<&str>, builders: bool) -> Vec<&build_commands::BuildTarget> {
        let mut stages: Vec<&Stage> = self.lineage(target);
        let mut next = 0;
        while builders && next < stages.len() {
            let stage = stages[next];
            next += 1;
            for name in &stage.copies_from {
                let Some(index) = self.stages.iter().position(|t| t.name.as_deref() == Some(name.as_str())) else {
                    continue;
                };
                for builder in self.lineage(self.stages[index].name.as_deref()) {
                    if !stages.iter().any(|s| std::ptr::eq(*s, builder)) {
                        stages.push(builder);
                    }
                }
            }
        }
        stages.iter().flat_map(|s| &s.builds).collect()
    }

    /// Every context path any stage copies in.
    pub fn copies(&self) -> Vec<&str> {
        self.stages.iter().flat_map(|s| s.copies.iter().map(String::as_str)).collect()
    }

    /// The context paths the built image itself holds: those its own stages
    /// copy in, not what a builder stage compiles and leaves behind.
    pub fn image_copies(&self, target: Option<&str>) -> Vec<&str> {
        self.lineage(target).iter().flat_map(|s| s.copies.iter().map(String::as_str)).collect()
    }
}

/// What one configuration file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigFacts {
    /// `.env`, `.env.example`, … : variable definitions.
    Dotenv(Vec<EnvEntry>),
    /// A compose file's tree; projects are assembled across files later.
    Compose(compose::ComposeFile),
    Dockerfile(Dockerfile),
    /// Kubernetes workloads and the env they define.
    Kubernetes(KubeObjects),
    /// CI workflow `env:` blocks.
    Workflow(Vec<EnvEntry>),
    /// An application's configuration file (Spring `application.yml`/`.properties`,
    /// HOCON, ASP.NET `appsettings.json`): env reads through `${X}`, the
    /// server port and the addresses it points the application at.
    Spring {
        reads: Vec<EnvEntry>,
        port: Option<(Port, u32)>,
        targets: Vec<Target>,
        /// `spring.application.name`: the name the application registers and is configured by.
        #[serde(default)]
        name: Option<String>,
    },
    Manifest(Manifest),
    /// Where a reverse proxy or gateway (nginx, Caddy, Envoy) forwards
    /// requests, and the `${NAME}` placeholders of its text (read when the
    /// file is a template its container renders with envsubst).
    Proxy {
        targets: Vec<Target>,
        placeholders: Vec<EnvEntry>,
    },
    /// A Gradle version catalog: accessor (`libs.ktor.server.netty`) → coordinates or plugin id.
    VersionCatalog(Vec<(String, String)>),
    /// A Procfile's process types.
    Procfile(Vec<Process>),
    /// A .NET Aspire AppHost's resources.
    Aspire(Vec<aspire::Resource>),
    /// A Helm chart's `Chart.yaml`: its name.
    HelmChart(String),
    /// A `values.yaml` (used when a chart sits beside it).
    HelmValues(yaml::Node),
    /// A chart template, as written; read against its chart's values later.
    HelmTemplate(String),
    /// A chart rendered by `helm template` (in place of its `Chart.yaml`'s name).
    HelmRendered(helm::RenderedChart),
    /// The Go packages a Makefile runs from source (`go run ./cmd/gen`), as
    /// paths from the tree's root, each with its line.
    GoRuns(Vec<(String, u32)>),
    /// A `.proto` file's services.
    Proto(proto::ProtoFile),
    /// Code a framework loads by a name its configuration gives
    /// (`adapter: postgresql` in Rails' `database.yml` loads
    /// `active_record/connection_adapters/postgresql_adapter`), each with its line:
    /// imports the framework makes, mapped to systems like the code's own
    /// imports in the framework's package `ecosystem`.
    FrameworkLoads {
        ecosystem: String,
        modules: Vec<(String, u32)>,
    },
    /// The apps a platform manifest (fly.toml, render.yaml, App Engine app.yaml) deploys.
    Platform(Vec<paas::PlatformApp>),
}

/// One process type of a Procfile (`worker: bundle exec sidekiq`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    pub name: String,
    pub command: String,
    pub line: u32,
    /// `NAME=value` assignments before the command.
    pub env: Vec<EnvEntry>,
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
    /// HOCON (`application.conf`): Ktor, Play, Akka, Typesafe Config.
    Hocon,
    /// ASP.NET Core's `appsettings.json` and `appsettings.<Environment>.json`.
    AppSettings,
    PackageJson,
    Pyproject,
    Requirements,
    GoMod,
    Pom,
    Gradle,
    Csproj,
    CargoToml,
    Gemfile,
    ComposerJson,
    /// CMakeLists.txt, meson.build, vcpkg.json, conanfile.txt.
    NativeBuild,
    VersionCatalog,
    /// nginx configuration (`*.conf`, `*.conf.template`) and Caddyfiles.
    Nginx,
    Caddyfile,
    MixExs,
    Sbt,
    Procfile,
    /// Found by content, not name: C# that builds a `DistributedApplication`.
    AspireHost,
    HelmChart,
    HelmValues,
    HelmTemplate,
    Makefile,
    /// Protocol Buffers definitions (`*.proto`).
    Proto,
    /// Rails' `config/database.yml`, `cable.yml` and `storage.yml`.
    Rails(rails::RailsFile),
    /// A platform-as-a-service manifest.
    Platform(paas::Platform),
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
            ConfigKind::Spring | ConfigKind::Hocon => "spring",
            ConfigKind::Procfile => "procfile",
            ConfigKind::Platform(paas::Platform::Fly) => "fly",
            ConfigKind::Platform(paas::Platform::Render) => "render",
            ConfigKind::Platform(paas::Platform::AppEngine) => "appengine",
            ConfigKind::Platform(paas::Platform::Serverless) => "serverless",
            ConfigKind::AspireHost => "aspire",
            ConfigKind::HelmChart | ConfigKind::HelmValues | ConfigKind::HelmTemplate => "helm",
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
        "composer.json" => ConfigKind::ComposerJson,
        "CMakeLists.txt" | "meson.build" | "vcpkg.json" | "conanfile.txt" => ConfigKind::NativeBuild,
        "Caddyfile" => ConfigKind::Caddyfile,
        "Makefile" | "makefile" | "GNUmakefile" => ConfigKind::Makefile,
        _ if lower.ends_with(".proto") => ConfigKind::Proto,
        _ if let Some(file) = rails::file_of(path) => ConfigKind::Rails(file),
        _ if let Some(platform) = paas::platform_of(path) => ConfigKind::Platform(platform),
        _ if lower.ends_with(".versions.toml") && path.rsplit('/').nth(1) == Some("gradle") => {
            ConfigKind::VersionCatalog
        }
        "mix.exs" => ConfigKind::MixExs,
        // `project/build.sbt` builds the build (sbt's meta-build), not a program.
        "build.sbt" if !crate::scan::paths::is_sbt_meta_build(path) => ConfigKind::Sbt,
        // `Procfile.dev` and the like start a developer's machine, not the system.
        "Procfile" => ConfigKind::Procfile,
        "Chart.yaml" => ConfigKind::HelmChart,
        "values.yaml" | "values.yml" => ConfigKind::HelmValues,
        _ if yaml && path.contains("/templates/") => ConfigKind::HelmTemplate,
        _ if lower.ends_with(".csproj") => ConfigKind::Csproj,
        _ if lower.starts_with("appsettings") && lower.ends_with(".json") && !path.contains("/test") => {
            ConfigKind::AppSettings
        }
        _ if lower.starts_with("requirements") && lower.ends_with(".txt") => ConfigKind::Requirements,
        _ if name.starts_with(".env") || lower.ends_with(".env") => ConfigKind::Dotenv,
        _ if name.starts_with("Dockerfile") || lower.ends_with(".dockerfile") => ConfigKind::Dockerfile,
        _ if yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose")) => ConfigKind::Compose,
        _ if yaml && path.contains(".github/workflows/") => ConfigKind::Workflow,
        // Spring's own files, and any configuration among a JVM module's
        // resources (a config server serves `shared/<application>.yml`).
        _ if (yaml || lower.ends_with(".properties"))
            && (lower.starts_with("application")
                || lower.starts_with("bootstrap")
                || path.contains("src/main/resources/"))
            && !path.contains("/test/") =>
        {
            ConfigKind::Spring
        }
        _ if lower.ends_with(".conf")
            && (lower.starts_with("application") || path.contains("src/main/resources/"))
            && !path.contains("/test/") =>
        {
            ConfigKind::Hocon
        }
        // nginx: `nginx.conf`, `conf.d/default.conf`, and templates that
        // `envsubst` or the nginx image renders (`default.conf.template`).
        _ if lower.ends_with(".conf") || lower.ends_with(".conf.template") || lower.ends_with(".conf.tmpl") => {
            ConfigKind::Nginx
        }
        _ if lower.ends_with(".caddyfile") => ConfigKind::Caddyfile,
        _ if yaml && !path.contains("/templates/") => ConfigKind::KubernetesCandidate,
        _ => return None,
    })
}

/// A piece of an ERB template: text as written, or the Ruby inside one `<% … %>` tag.
pub enum ErbPart<'a> {
    Text(&'a str),
    /// Between `<%` and `%>` (to the end of the text when unclosed).
    Tag(&'a str),
}

/// An ERB template (a Rails `database.yml`) cut into its text and its tags, in order.
pub fn erb_parts(text: &str) -> Vec<ErbPart<'_>> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("<%") {
        parts.push(ErbPart::Text(&rest[..open]));
        let tag = &rest[open + 2..];
        let close = tag.find("%>").unwrap_or(tag.len());
        parts.push(ErbPart::Tag(&tag[..close]));
        rest = tag.get(close + 2..).unwrap_or("");
    }
    parts.push(ErbPart::Text(rest));
    parts
}

/// `text` with every character but newlines replaced by a space, so that lines stay where they were.
pub fn blank(text: &str) -> String {
    text.chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect()
}

/// Parses `text` as `kind`. `Ok(None)`: not this kind after all (YAML that is not Kubernetes).
pub fn parse(kind: ConfigKind, path: &str, text: &str) -> Result<Option<ConfigFacts>, String> {
    Ok(Some(match kind {
        ConfigKind::Dotenv => ConfigFacts::Dotenv(dotenv::parse(text)),
        ConfigKind::Compose => ConfigFacts::Compose(compose::parse(text)?),
        ConfigKind::Dockerfile => ConfigFacts::Dockerfile(dockerfile::parse(text)),
        ConfigKind::KubernetesCandidate => {
            // Kustomize reads `kustomization.yaml` whether or not it names its kind.
            if kustomize::is_kustomization(path) {
                return Ok(Some(ConfigFacts::Kubernetes(kustomize::parse(text)?)));
            }
            // A JSON 6902 patch file that a kustomization names.
            if kustomize::looks_like_json_patch(text)
                && let Some(objects) = kustomize::json_patch_file(text)
            {
                return Ok(Some(ConfigFacts::Kubernetes(objects)));
            }
            // Cheap checks first: most YAML in a tree is neither Kubernetes nor compose.
            if text.contains("apiVersion") && text.contains("kind") {
                let objects = k8s::parse(text)?;
                if !objects.is_empty() {
                    return Ok(Some(ConfigFacts::Kubernetes(objects)));
                }
            }
            // An Envoy configuration: its clusters are where it forwards.
            if proxy::looks_like_envoy(text)
                && let Ok(targets) = proxy::envoy(text)
                && !targets.is_empty()
            {
                return Ok(Some(ConfigFacts::Proxy { targets, placeholders: proxy::placeholders(text) }));
            }
            // A compose file of another name (`stack.yml`, a file `extends` or `include` names).
            // YAML of any other name that does not parse is not known to be configuration
            // (templates of other tools): nothing to warn about.
            if compose::may_be_compose(text)
                && let Ok(file) = compose::parse(text)
                && compose::looks_like_compose(&file.document)
            {
                return Ok(Some(ConfigFacts::Compose(file)));
            }
            return Ok(None);
        }
        ConfigKind::Workflow => ConfigFacts::Workflow(workflow::parse(text)?),
        ConfigKind::Spring => {
            let (reads, port, targets, name) = manifest::spring(path, text)?;
            ConfigFacts::Spring { reads, port, targets, name }
        }
        ConfigKind::Hocon => {
            let (reads, port, targets, name) = manifest::hocon(text);
            ConfigFacts::Spring { reads, port, targets, name }
        }
        ConfigKind::AppSettings => {
            let appsettings::Settings { targets, port } = appsettings::parse(text)?;
            ConfigFacts::Spring { reads: Vec::new(), port, targets, name: None }
        }
        ConfigKind::PackageJson => ConfigFacts::Manifest(manifest::package_json(text)?),
        ConfigKind::Pyproject => ConfigFacts::Manifest(manifest::pyproject(text)?),
        ConfigKind::Requirements => ConfigFacts::Manifest(manifest::requirements(text)),
        ConfigKind::GoMod => ConfigFacts::Manifest(manifest::go_mod(text)),
        ConfigKind::Pom => ConfigFacts::Manifest(manifest::pom(text)?),
        ConfigKind::Gradle => ConfigFacts::Manifest(manifest::gradle(path, text)),
        ConfigKind::Csproj => ConfigFacts::Manifest(manifest::csproj(path, text)?),
        ConfigKind::CargoToml => ConfigFacts::Manifest(manifest::cargo_toml(text)?),
        ConfigKind::Gemfile => ConfigFacts::Manifest(manifest::gemfile(text)),
        ConfigKind::ComposerJson => ConfigFacts::Manifest(manifest::composer_json(text)?),
        ConfigKind::NativeBuild => ConfigFacts::Manifest(manifest::native_build(path, text)?),
        ConfigKind::VersionCatalog => ConfigFacts::VersionCatalog(manifest::version_catalog(text)?),
        ConfigKind::Nginx if proxy::looks_like_nginx(text) => {
            ConfigFacts::Proxy { targets: proxy::nginx(text), placeholders: proxy::placeholders(text) }
        }
        ConfigKind::Nginx => return Ok(None),
        ConfigKind::Caddyfile => {
            ConfigFacts::Proxy { targets: proxy::caddyfile(text), placeholders: proxy::placeholders(text) }
        }
        ConfigKind::MixExs => ConfigFacts::Manifest(manifest::mix_exs(text)),
        ConfigKind::Sbt => ConfigFacts::Manifest(manifest::sbt(text)),
        ConfigKind::Procfile => ConfigFacts::Procfile(procfile(text)),
        ConfigKind::AspireHost => ConfigFacts::Aspire(aspire::parse(text)),
        ConfigKind::HelmChart => {
            let chart = yaml::parse(text)?.into_iter().next();
            match chart.as_ref().and_then(|c| c.get("name")).and_then(yaml::Node::str) {
                Some(name) => ConfigFacts::HelmChart(name.to_owned()),
                None => return Ok(None),
            }
        }
        ConfigKind::HelmValues => match yaml::parse(text) {
            Ok(documents) => match documents.into_iter().next() {
                Some(values) => ConfigFacts::HelmValues(values),
                None => return Ok(None),
            },
            // Not every values.yaml belongs to a chart; one that is not YAML is nothing to warn about.
            Err(_) => return Ok(None),
        },
        ConfigKind::HelmTemplate => {
            if !(text.contains("kind:") && text.contains("{{")) {
                // A plain manifest under templates/ (kustomize, docs): read it as one.
                return parse(ConfigKind::KubernetesCandidate, path, text);
            }
            ConfigFacts::HelmTemplate(text.to_owned())
        }
        ConfigKind::Makefile => {
            let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
            let runs: Vec<(String, u32)> =
                makefile::go_runs(text).into_iter().map(|(package, line)| (join(dir, &package), line)).collect();
            if runs.is_empty() {
                return Ok(None);
            }
            ConfigFacts::GoRuns(runs)
        }
        ConfigKind::Proto => {
            let file = proto::parse(text);
            if file.services.is_empty() {
                return Ok(None);
            }
            ConfigFacts::Proto(file)
        }
        ConfigKind::Platform(platform) => match paas::parse(platform, path, text)? {
            Some(apps) => ConfigFacts::Platform(apps),
            // An `app.yaml` that is not App Engine's (maybe Kubernetes), a `serverless.yml` of no service.
            None => return parse(ConfigKind::KubernetesCandidate, path, text),
        },
        ConfigKind::Rails(file) => {
            ConfigFacts::FrameworkLoads { ecosystem: "gem".to_owned(), modules: rails::loads(file, text)? }
        }
    }))
}

/// `name: command` lines; leading `NAME=value` words set the process's env.
fn procfile(text: &str) -> Vec<Process> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        let Some((name, command)) = line.split_once(':') else { continue };
        let name = name.trim();
        if name.is_empty()
            || line.starts_with('#')
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            continue;
        }
        let mut env = Vec::new();
        let mut words = command.split_whitespace().peekable();
        while let Some((key, value)) = words.peek().and_then(|w| w.split_once('=')) {
            if !crate::scan::extract::is_env_name(key) {
                break;
            }
            env.push(EnvEntry {
                name: key.to_owned(),
                line: i as u32 + 1,
                value: Some(value.to_owned()),
                default: false,
            });
            words.next();
        }
        let command = words.collect::<Vec<_>>().join(" ");
        out.push(Process { name: name.to_owned(), command, line: i as u32 + 1, env });
    }
    out
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> u32 {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() as u32 + 1
}
