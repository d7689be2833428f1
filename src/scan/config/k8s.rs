//! Kubernetes objects (plain or Helm-rendered YAML): workloads with their
//! images, labels, container ports and env (literal, from ConfigMap keys,
//! whole ConfigMaps); Services with their selectors; ConfigMaps.

use super::yaml::{self, Node};
use super::{ConfigMap, DaprComponent, EnvEntry, KubeObjects, KubeService, Workload};

const WORKLOADS: [&str; 7] = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet"];

pub fn parse(text: &str) -> Result<KubeObjects, String> {
    Ok(objects_of(&yaml::parse(text)?))
}

/// The objects of parsed documents.
pub fn objects_of(documents: &[Node]) -> KubeObjects {
    let mut objects = KubeObjects::default();
    for document in documents {
        collect(document, &mut objects);
    }
    objects
}

fn pairs(node: Option<&Node>) -> Vec<(String, String)> {
    node.map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.str()?.to_owned())))
        .collect()
}

fn collect(document: &Node, out: &mut KubeObjects) {
    // `kind: List` wraps items.
    if document.get("kind").and_then(Node::str) == Some("List") {
        for item in document.get("items").map(Node::items).unwrap_or_default() {
            collect(item, out);
        }
        return;
    }
    let Some(kind) = document.get("kind").and_then(Node::str) else { return };
    let metadata = document.get("metadata");
    let Some(name) = metadata.and_then(|m| m.get("name")).and_then(Node::str) else { return };
    let namespace = metadata.and_then(|m| m.get("namespace")).and_then(Node::str).map(str::to_owned);
    match kind {
        "Service" => {
            let spec = document.get("spec");
            let ports = spec
                .and_then(|s| s.get("ports"))
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| {
                    let port = p.get("port").and_then(Node::str)?.parse().ok()?;
                    Some((port, p.get("targetPort").and_then(Node::str).and_then(|t| t.parse().ok())))
                })
                .collect();
            out.services.push(KubeService {
                name: name.to_owned(),
                namespace,
                line: document.line,
                selector: pairs(spec.and_then(|s| s.get("selector"))),
                ports,
                built_names: Vec::new(),
            });
            return;
        }
        "Component" if document.get("apiVersion").and_then(Node::str).is_some_and(|v| v.starts_with("dapr.io/")) => {
            let spec = document.get("spec");
            let Some(kind) = spec.and_then(|s| s.get("type")).and_then(Node::str) else { return };
            let scopes = document.get("scopes").map(Node::items).unwrap_or_default();
            let addresses = spec
                .and_then(|s| s.get("metadata"))
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|item| {
                    let key = item.get("name").and_then(Node::str)?;
                    let value = item.get("value")?;
                    let lower = key.to_ascii_lowercase();
                    let address = ["host", "url", "connectionstring", "brokers", "endpoint", "server"]
                        .iter()
                        .any(|word| lower.ends_with(word));
                    address.then(|| EnvEntry {
                        name: key.to_owned(),
                        line: value.line,
                        value: value.str().map(|v| crate::scan::redact::env_value("HOST", v)),
                        default: false,
                    })
                })
                .collect();
            out.dapr_components.push(DaprComponent {
                name: name.to_owned(),
                kind: kind.to_owned(),
                scopes: scopes.iter().filter_map(|s| s.str().map(str::to_owned)).collect(),
                line: document.line,
                addresses,
            });
            return;
        }
        // A ConfigMap's values may be addresses; a Secret's are credentials: names only.
        "ConfigMap" | "Secret" => {
            let keep_values = kind == "ConfigMap";
            let entries = ["data", "stringData"]
                .iter()
                .flat_map(|key| document.get(key).map(Node::entries).unwrap_or_default())
                .filter(|(key, _)| crate::scan::extract::is_env_name(key))
                .map(|(key, value)| EnvEntry {
                    name: key.clone(),
                    line: value.line,
                    value: value.str().filter(|_| keep_values).map(str::to_owned),
                    default: false,
                })
                .collect();
            out.config_maps.push(ConfigMap { name: name.to_owned(), namespace, entries, env_files: Vec::new() });
            return;
        }
        _ if !WORKLOADS.contains(&kind) => return,
        _ => {}
    }
    let mut spec = document.get("spec");
    // CronJob → jobTemplate.spec; Deployment/… → template.spec; Pod → spec.
    if kind == "CronJob" {
        spec = spec.and_then(|s| s.get("jobTemplate")).and_then(|j| j.get("spec"));
    }
    let template = spec.and_then(|s| s.get("template"));
    let pod = match template {
        Some(template) => template.get("spec"),
        None => spec,
    };
    let labels = match template {
        Some(template) => pairs(template.get("metadata").and_then(|m| m.get("labels"))),
        None => pairs(metadata.and_then(|m| m.get("labels"))),
    };
    let mut workload = Workload {
        kind: kind.to_owned(),
        name: name.to_owned(),
        line: document.line,
        namespace,
        labels,
        ..Workload::default()
    };
    for container in pod.and_then(|p| p.get("containers")).map(Node::items).unwrap_or_default() {
        read_container(container, &mut workload);
    }
    workload.ports.sort_unstable();
    workload.ports.dedup();
    out.workloads.push(workload);
}

/// What one container of a pod template adds to its workload: image,
/// container ports, `env` (literal and from ConfigMap/Secret keys), `envFrom`.
pub(super) fn read_container(container: &Node, workload: &mut Workload) {
    if let Some(image) = container.get("image").and_then(Node::str) {
        workload.images.push(image.to_owned());
    }
    for port in container.get("ports").map(Node::items).unwrap_or_default() {
        if let Some(p) = port.get("containerPort").and_then(Node::str).and_then(|p| p.parse().ok()) {
            workload.ports.push(p);
        }
    }
    for var in container.get("env").map(Node::items).unwrap_or_default() {
        read_env_var(var, workload);
    }
    for source in container.get("envFrom").map(Node::items).unwrap_or_default() {
        read_env_source(source, workload);
    }
}

/// One item of a container's `env`.
pub(super) fn read_env_var(var: &Node, workload: &mut Workload) {
    let Some(name) = var.get("name").and_then(Node::str) else { return };
    let value = var.get("value").and_then(Node::str).map(str::to_owned);
    workload.env.push(EnvEntry { name: name.to_owned(), line: var.line, value, default: false });
    let from = var.get("valueFrom");
    for source in ["configMapKeyRef", "secretKeyRef"] {
        let Some(reference) = from.and_then(|f| f.get(source)) else { continue };
        if let (Some(map), Some(key)) =
            (reference.get("name").and_then(Node::str), reference.get("key").and_then(Node::str))
        {
            workload.env_refs.push((name.to_owned(), map.to_owned(), key.to_owned(), var.line));
        }
    }
}

/// One item of a container's `envFrom`: a whole ConfigMap or Secret.
pub(super) fn read_env_source(source: &Node, workload: &mut Workload) {
    for reference in ["configMapRef", "secretRef"] {
        if let Some(map) = source.get(reference).and_then(|r| r.get("name")).and_then(Node::str) {
            workload.env_from.push(map.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_workloads() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: frontend\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          image: frontend\n          ports:\n          - containerPort: 8080\n          env:\n          - name: PORT\n            value: \"8080\"\n          - name: CART_SERVICE_ADDR\n            value: \"cartservice:7070\"\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: frontend\n";
        let objects = super::parse(text).unwrap();
        let workloads = objects.workloads;
        assert_eq!(workloads.len(), 1);
        assert_eq!(objects.services[0].name, "frontend");
        let w = &workloads[0];
        assert_eq!(
            (w.name.as_str(), w.images.as_slice(), w.ports.as_slice()),
            ("frontend", &["frontend".to_owned()][..], &[8080][..])
        );
        assert_eq!(w.env[1].value.as_deref(), Some("cartservice:7070"));
        assert_eq!(w.env[1].line, 16);
    }

    #[test]
    fn reads_services_config_maps_and_env_sources() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: shop\ndata:\n  CART_ADDR: cart.shop.svc.cluster.local:7070\n  app.properties: |\n    x=1\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  DB_PASSWORD: hunter2\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  selector:\n    app: cart-v2\n  ports:\n    - port: 7070\n      targetPort: 8080\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: web\n          envFrom:\n            - configMapRef:\n                name: shared\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: creds, key: DB_PASSWORD}\n";
        let objects = super::parse(text).unwrap();
        let shared = &objects.config_maps[0];
        assert_eq!((shared.name.as_str(), shared.namespace.as_deref()), ("shared", Some("shop")));
        assert_eq!(shared.entries.len(), 1, "keys that are not env names are files, not variables");
        assert_eq!(objects.config_maps[1].entries[0].value, None, "secret values are never kept");
        let service = &objects.services[0];
        assert_eq!(
            (service.selector.clone(), service.ports.clone()),
            (vec![("app".to_owned(), "cart-v2".to_owned())], vec![(7070, Some(8080))])
        );
        let web = &objects.workloads[0];
        assert_eq!(web.labels, [("app".to_owned(), "web".to_owned())]);
        assert_eq!(web.env_from, ["shared"]);
        assert_eq!(web.env_refs[0].1, "creds");
    }
}
