//! Kubernetes objects (plain or Helm-rendered YAML): workloads with their
//! images, container ports and env.

use super::yaml::{self, Node};
use super::{EnvEntry, Workload};

const WORKLOADS: [&str; 7] = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet"];

pub fn parse(text: &str) -> Result<Vec<Workload>, String> {
    let mut workloads = Vec::new();
    for document in yaml::parse(text)? {
        collect(&document, &mut workloads);
    }
    Ok(workloads)
}

fn collect(document: &Node, out: &mut Vec<Workload>) {
    // `kind: List` wraps items.
    if document.get("kind").and_then(Node::str) == Some("List") {
        for item in document.get("items").map(Node::items).unwrap_or_default() {
            collect(item, out);
        }
        return;
    }
    let Some(kind) = document.get("kind").and_then(Node::str).filter(|k| WORKLOADS.contains(k)) else { return };
    let Some(name) = document.get("metadata").and_then(|m| m.get("name")).and_then(Node::str) else { return };
    let mut spec = document.get("spec");
    // CronJob → jobTemplate.spec; Deployment/… → template.spec; Pod → spec.
    if kind == "CronJob" {
        spec = spec.and_then(|s| s.get("jobTemplate")).and_then(|j| j.get("spec"));
    }
    let pod = match spec.and_then(|s| s.get("template")) {
        Some(template) => template.get("spec"),
        None => spec,
    };
    let mut workload = Workload {
        kind: kind.to_owned(),
        name: name.to_owned(),
        line: document.line,
        images: vec![],
        ports: vec![],
        env: vec![],
    };
    for container in pod.and_then(|p| p.get("containers")).map(Node::items).unwrap_or_default() {
        if let Some(image) = container.get("image").and_then(Node::str) {
            workload.images.push(image.to_owned());
        }
        for port in container.get("ports").map(Node::items).unwrap_or_default() {
            if let Some(p) = port.get("containerPort").and_then(Node::str).and_then(|p| p.parse().ok()) {
                workload.ports.push(p);
            }
        }
        for var in container.get("env").map(Node::items).unwrap_or_default() {
            if let Some(name) = var.get("name").and_then(Node::str) {
                let value = var.get("value").and_then(Node::str).map(str::to_owned);
                workload.env.push(EnvEntry { name: name.to_owned(), line: var.line, value });
            }
        }
    }
    workload.ports.sort_unstable();
    workload.ports.dedup();
    out.push(workload);
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_workloads() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: frontend\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          image: frontend\n          ports:\n          - containerPort: 8080\n          env:\n          - name: PORT\n            value: \"8080\"\n          - name: CART_SERVICE_ADDR\n            value: \"cartservice:7070\"\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: frontend\n";
        let workloads = super::parse(text).unwrap();
        assert_eq!(workloads.len(), 1);
        let w = &workloads[0];
        assert_eq!(
            (w.name.as_str(), w.images.as_slice(), w.ports.as_slice()),
            ("frontend", &["frontend".to_owned()][..], &[8080][..])
        );
        assert_eq!(w.env[1].value.as_deref(), Some("cartservice:7070"));
        assert_eq!(w.env[1].line, 16);
    }
}
