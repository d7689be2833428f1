//! Platform-as-a-service manifests, each read with its platform's rules:
//! a Fly.io `fly.toml`, a Render Blueprint (`render.yaml`), a Google App
//! Engine `app.yaml` and a Serverless Framework `serverless.yml`. Each names the apps it deploys, where their code and
//! Dockerfile are, the port they listen on and the env they are given;
//! a Render Blueprint also wires env vars to its databases and services
//! (`fromDatabase`, `fromService`).

use serde::{Deserialize, Serialize};

use super::yaml::{self, Node};
use super::{EnvEntry, Port};

/// One app a platform manifest deploys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformApp {
    pub name: String,
    pub line: u32,
    /// Where its code is, from the scan root ("" for the root).
    pub root: String,
    /// Its Dockerfile, relative to `root`.
    pub dockerfile: Option<String>,
    pub image: Option<String>,
    pub command: Option<String>,
    pub ports: Vec<Port>,
    pub env: Vec<EnvEntry>,
    /// Env vars the platform fills with another resource's address:
    /// (variable, the resource: an app's name or a system id, line).
    pub links: Vec<(String, String, u32)>,
    /// Systems the manifest provisions for the app or triggers it from
    /// (a Serverless `resources` table, an `sqs` event): (system id, line).
    pub uses: Vec<(String, u32)>,
}

/// Which platform's manifest a file is, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Platform {
    Fly,
    Render,
    AppEngine,
    Serverless,
}

pub fn platform_of(path: &str) -> Option<Platform> {
    match path.rsplit('/').next().unwrap_or(path) {
        "fly.toml" => Some(Platform::Fly),
        "render.yaml" | "render.yml" => Some(Platform::Render),
        "app.yaml" | "app.yml" => Some(Platform::AppEngine),
        "serverless.yml" | "serverless.yaml" => Some(Platform::Serverless),
        _ => None,
    }
}

/// The apps of a manifest at `path`. `Ok(None)`: the file is not this
/// platform's after all (an `app.yaml` that is a Kubernetes manifest).
pub fn parse(platform: Platform, path: &str, text: &str) -> Result<Option<Vec<PlatformApp>>, String> {
    let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    match platform {
        Platform::Fly => fly(dir, text).map(|app| Some(vec![app])),
        Platform::Render => render(text).map(Some),
        Platform::AppEngine => app_engine(dir, text),
        Platform::Serverless => serverless(dir, text),
    }
}

/// `fly.toml`: `app`, `[build] dockerfile|image`, `[env]`, and the
/// `internal_port` of `[http_service]` or each `[[services]]`.
fn fly(dir: &str, text: &str) -> Result<PlatformApp, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.message().to_owned())?;
    let line_of =
        |needle: &str| text.lines().position(|l| l.trim_start().starts_with(needle)).map_or(1, |i| i as u32 + 1);
    let build = table.get("build").and_then(toml::Value::as_table);
    let text_of = |t: Option<&toml::Table>, key: &str| {
        t.and_then(|t| t.get(key)).and_then(toml::Value::as_str).map(str::to_owned)
    };
    let mut ports: Vec<Port> = Vec::new();
    let port_of = |service: &toml::Value| {
        service.get("internal_port").and_then(toml::Value::as_integer).and_then(|p| Port::try_from(p).ok())
    };
    ports.extend(table.get("http_service").and_then(port_of));
    for service in table.get("services").and_then(toml::Value::as_array).into_iter().flatten() {
        ports.extend(port_of(service));
    }
    ports.sort_unstable();
    ports.dedup();
    let env = table
        .get("env")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
        .map(|(name, value)| EnvEntry {
            name: name.clone(),
            line: line_of(&format!("{name} ")).max(line_of(&format!("{name}="))),
            value: value.as_str().map(str::to_owned).or_else(|| Some(value.to_string())),
            default: false,
        })
        .collect();
    Ok(PlatformApp {
        name: table.get("app").and_then(toml::Value::as_str).unwrap_or_default().to_owned(),
        line: line_of("app"),
        root: dir.to_owned(),
        dockerfile: text_of(build, "dockerfile"),
        image: text_of(build, "image"),
        ports,
        env,
        ..PlatformApp::default()
    })
}

/// A Render Blueprint: `services` (web, private, worker, cron; a
/// `redis`/`keyvalue` service is Redis, not code) and `databases`
/// (PostgreSQL). Paths in a Blueprint are from the repository root.
fn render(text: &str) -> Result<Vec<PlatformApp>, String> {
    let Some(document) = yaml::parse(text)?.into_iter().next() else { return Ok(Vec::new()) };
    let services = document.get("services").map(Node::items).unwrap_or_default();
    let kind_of = |service: &Node| service.get("type").and_then(Node::str).unwrap_or("web").to_owned();
    let is_redis = |kind: &str| matches!(kind, "redis" | "keyvalue");
    // Resource name → what it is, for `fromService`.
    let redis: Vec<&str> =
        services.iter().filter(|s| is_redis(&kind_of(s))).filter_map(|s| s.get("name").and_then(Node::str)).collect();
    let mut apps = Vec::new();
    for service in services.iter().filter(|s| !is_redis(&kind_of(s))) {
        let Some(name) = service.get("name").and_then(Node::str) else { continue };
        let text_of = |key: &str| service.get(key).and_then(Node::str).map(|s| s.trim_start_matches("./").to_owned());
        let root = text_of("rootDir").or_else(|| text_of("dockerContext")).unwrap_or_default();
        let root = match root.trim_end_matches('/') {
            "." => String::new(),
            root => root.to_owned(),
        };
        // `dockerfilePath` is from the repository root; the unit keeps it relative to its code.
        let dockerfile = text_of("dockerfilePath").map(|path| match path.strip_prefix(&format!("{root}/")) {
            Some(relative) if !root.is_empty() => relative.to_owned(),
            _ if root.is_empty() => path,
            _ => format!("../{path}"),
        });
        let mut app = PlatformApp {
            name: name.to_owned(),
            line: service.line,
            root,
            dockerfile,
            image: service.get("image").and_then(|i| i.get("url")).and_then(Node::str).map(str::to_owned),
            command: text_of("startCommand").or_else(|| text_of("dockerCommand")),
            ..PlatformApp::default()
        };
        for var in service.get("envVars").map(Node::items).unwrap_or_default() {
            let Some(key) = var.get("key").and_then(Node::str) else { continue };
            if var.get("fromDatabase").is_some() {
                app.links.push((key.to_owned(), "postgres".to_owned(), var.line));
            } else if let Some(other) = var.get("fromService").and_then(|s| s.get("name")).and_then(Node::str) {
                let target = if redis.contains(&other) { "redis" } else { other };
                app.links.push((key.to_owned(), target.to_owned(), var.line));
            }
            // `sync: false` asks for the value in the dashboard; `generateValue` makes one:
            // either way the platform defines it.
            let value = var.get("value").and_then(Node::str).map(str::to_owned);
            app.env.push(EnvEntry { name: key.to_owned(), line: var.line, value, default: false });
        }
        apps.push(app);
    }
    Ok(apps)
}

/// App Engine: `runtime` marks the file as App Engine's; the app is its
/// `service` (`default` when unnamed) with `env_variables`.
fn app_engine(dir: &str, text: &str) -> Result<Option<Vec<PlatformApp>>, String> {
    let Some(document) = yaml::parse(text)?.into_iter().next() else { return Ok(None) };
    if document.get("runtime").is_none() || document.get("apiVersion").is_some() {
        return Ok(None);
    }
    let env = document
        .get("env_variables")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(name, value)| EnvEntry::of_yaml(name, value))
        .collect();
    let name = document.get("service").and_then(Node::str).unwrap_or("default").to_owned();
    Ok(Some(vec![PlatformApp {
        name,
        line: document.get("runtime").map_or(1, |n| n.line),
        root: dir.to_owned(),
        command: document.get("entrypoint").and_then(Node::str).map(str::to_owned),
        env,
        ..PlatformApp::default()
    }]))
}

/// AWS CloudFormation resource types and event sources of a Serverless
/// service, and the system each is.
const AWS_RESOURCES: &[(&str, &str)] = &[
    ("AWS::DynamoDB::Table", "dynamodb"),
    ("AWS::DynamoDB::GlobalTable", "dynamodb"),
    ("AWS::SQS::Queue", "sqs"),
    ("AWS::S3::Bucket", "s3"),
    ("AWS::SNS::Topic", "sns"),
    ("AWS::Kinesis::Stream", "kinesis"),
    ("AWS::Events::EventBus", "eventbridge"),
];
const AWS_EVENTS: &[(&str, &str)] =
    &[("sqs", "sqs"), ("s3", "s3"), ("sns", "sns"), ("eventBridge", "eventbridge"), ("kinesis", "kinesis")];

/// Serverless Framework: the `service` (its functions are the code beside
/// the file), `provider.environment` and each function's `environment`,
/// the AWS resources it declares and the event sources that trigger it.
fn serverless(dir: &str, text: &str) -> Result<Option<Vec<PlatformApp>>, String> {
    let Some(document) = yaml::parse(text)?.into_iter().next() else { return Ok(None) };
    let Some(service) = document.get("service") else { return Ok(None) };
    let name = service.str().or_else(|| service.get("name").and_then(Node::str)).unwrap_or_default();
    let functions = document.get("functions").map(Node::entries).unwrap_or_default();
    let mut app =
        PlatformApp { name: name.to_owned(), line: service.line, root: dir.to_owned(), ..PlatformApp::default() };
    let environments = document
        .get("provider")
        .and_then(|p| p.get("environment"))
        .into_iter()
        .chain(functions.iter().filter_map(|(_, f)| f.get("environment")));
    for environment in environments {
        for (name, value) in environment.entries() {
            if !app.env.iter().any(|e| e.name == *name) {
                app.env.push(EnvEntry::of_yaml(name, value));
            }
        }
    }
    let resources = document.get("resources").and_then(|r| r.get("Resources")).map(Node::entries).unwrap_or_default();
    for (_, resource) in resources {
        let kind = resource.get("Type").and_then(Node::str).unwrap_or_default();
        if let Some((_, system)) = AWS_RESOURCES.iter().find(|(t, _)| *t == kind) {
            app.uses.push(((*system).to_owned(), resource.line));
        }
    }
    for (_, function) in functions {
        for event in function.get("events").map(Node::items).unwrap_or_default() {
            for (source, _) in event.entries() {
                if let Some((_, system)) = AWS_EVENTS.iter().find(|(s, _)| s == source) {
                    app.uses.push(((*system).to_owned(), event.line));
                }
            }
        }
    }
    app.uses.sort();
    app.uses.dedup_by(|a, b| a.0 == b.0);
    Ok(Some(vec![app]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fly_app_port_dockerfile_and_env() {
        let text = "app = \"shop\"\n[build]\n  dockerfile = \"deploy/Dockerfile\"\n[env]\n  LOG_LEVEL = \"info\"\n  WORKERS = 4\n[[services]]\n  internal_port = 8080\n[http_service]\n  internal_port = 3000\n";
        let app = fly("web", text).unwrap();
        assert_eq!((app.name.as_str(), app.line, app.root.as_str()), ("shop", 1, "web"));
        assert_eq!(app.dockerfile.as_deref(), Some("deploy/Dockerfile"));
        assert_eq!(app.ports, [3000, 8080]);
        let env: Vec<(&str, u32, Option<&str>)> =
            app.env.iter().map(|e| (e.name.as_str(), e.line, e.value.as_deref())).collect();
        assert_eq!(env, [("LOG_LEVEL", 5, Some("info")), ("WORKERS", 6, Some("4"))]);
        assert!(fly("", "app = [").is_err());
    }

    #[test]
    fn render_paths_are_from_the_repository_root() {
        let text = "services:\n  - type: web\n    name: api\n    runtime: docker\n    dockerfilePath: ./services/api/Dockerfile\n    dockerContext: ./services/api\n  - name: site\n    runtime: node\n    rootDir: site\n    dockerfilePath: ./docker/site.Dockerfile\n  - type: keyvalue\n    name: kv\n  - name: tools\n    rootDir: .tools/\n  - name: whole\n    rootDir: .\n";
        let apps = render(text).unwrap();
        let shapes: Vec<(&str, &str, Option<&str>)> =
            apps.iter().map(|a| (a.name.as_str(), a.root.as_str(), a.dockerfile.as_deref())).collect();
        assert_eq!(
            shapes,
            [
                ("api", "services/api", Some("Dockerfile")),
                ("site", "site", Some("../docker/site.Dockerfile")),
                ("tools", ".tools", None),
                ("whole", "", None)
            ]
        );
    }

    #[test]
    fn serverless_service_env_resources_and_events() {
        let text = "service: orders\nprovider:\n  name: aws\n  environment:\n    TABLE: ${self:service}-orders\n    STAGE: prod\nfunctions:\n  create:\n    handler: handler.create\n    environment:\n      QUEUE_URL: { Ref: Jobs }\n    events:\n      - httpApi: POST /orders\n      - sqs:\n          arn: arn:aws:sqs:x\nresources:\n  Resources:\n    Orders:\n      Type: AWS::DynamoDB::Table\n    Jobs:\n      Type: AWS::SQS::Queue\n";
        let apps = serverless("api", text).unwrap().unwrap();
        assert_eq!((apps[0].name.as_str(), apps[0].root.as_str()), ("orders", "api"));
        let env: Vec<&str> = apps[0].env.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(env, ["TABLE", "STAGE", "QUEUE_URL"]);
        let uses: Vec<&str> = apps[0].uses.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(uses, ["dynamodb", "sqs"]);
        assert_eq!(serverless("", "provider:\n  name: aws\n").unwrap(), None);
    }

    #[test]
    fn an_app_yaml_without_a_runtime_is_not_app_engine() {
        assert_eq!(app_engine("", "apiVersion: v1\nkind: Service\n").unwrap(), None);
        let apps = app_engine("svc", "runtime: go122\n").unwrap().unwrap();
        assert_eq!((apps[0].name.as_str(), apps[0].root.as_str()), ("default", "svc"));
    }
}
