//! Helm charts, rendered by `helm template` and read without it.
//!
//! The rendering path is exercised with a stand-in `helm` (a shell script
//! that prints what `helm template` prints for the fixture chart), so it is
//! tested on every machine; the real `helm` renders the same chart when it
//! is installed.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{Sandbox, git};
use serde_json::Value;

/// The api's env comes from a named template the reader without `helm`
/// cannot expand; the cart is a subchart.
const CHART: &[(&str, &str)] = &[
    ("deploy/shop/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\n"),
    ("deploy/shop/values.yaml", "cart:\n  port: 8080\n"),
    (
        "deploy/shop/templates/_helpers.tpl",
        "{{- define \"shop.cartUrl\" -}}\nhttp://{{ .Release.Name }}-cart:{{ .Values.cart.port }}\n{{- end -}}\n",
    ),
    (
        "deploy/shop/templates/api.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api\n          env:\n            - name: CART_URL\n              value: {{ include \"shop.cartUrl\" . | quote }}\n",
    ),
    ("deploy/shop/charts/cart/Chart.yaml", "apiVersion: v2\nname: cart\nversion: 0.1.0\n"),
    (
        "deploy/shop/charts/cart/templates/cart.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-cart\nspec:\n  template:\n    metadata:\n      labels:\n        app: cart\n    spec:\n      containers:\n        - name: cart\n          image: cart\n          ports:\n            - containerPort: 8080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-cart\nspec:\n  selector:\n    app: cart\n  ports:\n    - port: 8080\n",
    ),
    ("api/requirements.txt", "fastapi\n"),
    ("api/main.py", "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nCART = os.environ[\"CART_URL\"]\n"),
    ("cart/requirements.txt", "fastapi\n"),
    ("cart/main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n"),
];

/// What `helm template release <chart> --namespace default` prints for `CHART`.
const RENDERED: &str = "---\n# Source: shop/charts/cart/templates/cart.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: release-cart\nspec:\n  selector:\n    app: cart\n  ports:\n    - port: 8080\n---\n# Source: shop/charts/cart/templates/cart.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: release-cart\nspec:\n  template:\n    metadata:\n      labels:\n        app: cart\n    spec:\n      containers:\n        - name: cart\n          image: cart\n          ports:\n            - containerPort: 8080\n---\n# Source: shop/templates/api.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api\n          env:\n            - name: CART_URL\n              value: \"http://release-cart:8080\"\n";

/// A stand-in `helm` that checks how it is called (a clean environment,
/// a throwaway home) and prints `RENDERED`, or fails like a chart whose
/// dependency is not vendored.
fn fake_helm(sandbox: &Sandbox, fails: bool) -> String {
    let body = if fails {
        "echo 'Error: found in Chart.yaml, but missing in charts/ directory: redis' >&2\nexit 1\n".to_owned()
    } else {
        format!(
            "[ \"$1\" = template ] && [ \"$2\" = release ] || exit 3\n[ -f \"$3/Chart.yaml\" ] || exit 4\n[ -z \"$LEAKED\" ] || exit 5\n[ \"$HOME\" = \"$HELM_CONFIG_HOME\" ] || exit 6\ncat <<'EOF'\n{RENDERED}EOF\n"
        )
    };
    let path = sandbox.path().join(if fails { "helm-failing" } else { "helm" });
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_string_lossy().into_owned()
}

fn scan(sandbox: &Sandbox, args: &[&str]) -> (Value, String) {
    let output = sandbox
        .pruv()
        .env("LEAKED", "from the scanner's environment")
        .args(["scan", "tree", "--no-record", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    (serde_json::from_slice(&output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

fn tree(sandbox: &Sandbox) {
    sandbox.write_all(CHART.iter().map(|(path, text)| (format!("tree/{path}"), *text)));
}

/// Whether the service at root `from` connects to the one at root `to`.
fn has_connection(document: &Value, from: &str, to: &str) -> bool {
    let root = |id: &str| {
        let services = document["services"].as_array().unwrap();
        let service = services.iter().find(|s| s["id"] == id);
        service.and_then(|s| s["root"].as_str()).unwrap_or(id).to_owned()
    };
    common::connection_lines(document, root).iter().any(|line| line.starts_with(&format!("{from}->{to} ")))
}

/// The rules that placed workloads on services (the evidence).
fn workload_rules(document: &Value) -> Vec<String> {
    let mut rules: Vec<String> = document["services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["evidence"].as_array().cloned().unwrap_or_default())
        .filter_map(|e| e["rule"].as_str().map(str::to_owned))
        .filter(|rule| rule.starts_with("helm."))
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

#[test]
fn a_rendered_chart_gives_what_only_its_templates_compute() {
    let sandbox = Sandbox::new();
    tree(&sandbox);
    let helm = fake_helm(&sandbox, false);
    let (rendered, stderr) = scan(&sandbox, &["--helm", &helm]);
    assert!(!stderr.contains("helm template failed"), "{stderr}");
    assert!(has_connection(&rendered, "api", "cart"), "{:?}", common::connection_lines(&rendered, str::to_owned));
    assert_eq!(workload_rules(&rendered), ["helm.template.rendered"]);

    let (unrendered, _) = scan(&sandbox, &["--helm", "never"]);
    assert!(!has_connection(&unrendered, "api", "cart"), "a named template is not expanded without helm");
    assert_eq!(workload_rules(&unrendered), ["helm.template.unrendered"]);
}

#[test]
fn a_chart_helm_cannot_render_is_read_without_it_and_said_so() {
    let sandbox = Sandbox::new();
    tree(&sandbox);
    let helm = fake_helm(&sandbox, true);
    let (document, stderr) = scan(&sandbox, &["--helm", &helm]);
    assert!(
        stderr.contains("deploy/shop/Chart.yaml: helm template failed (Error: found in Chart.yaml, but missing in charts/ directory: redis); read without helm"),
        "{stderr}"
    );
    assert_eq!(workload_rules(&document), ["helm.template.unrendered"]);
}

#[test]
fn a_helm_that_is_not_there_is_a_missing_dependency() {
    let sandbox = Sandbox::new();
    tree(&sandbox);
    let stderr = sandbox.run_err(&["scan", "tree", "--no-record", "--helm", "/nonexistent/helm"], 7);
    assert!(stderr.contains("--helm /nonexistent/helm: no such file"), "{stderr}");
}

#[test]
fn a_revision_renders_its_charts_from_the_object_database() {
    let sandbox = Sandbox::new();
    tree(&sandbox);
    let repo = sandbox.path().join("tree");
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "chart"]);
    // Gone from the work tree: only the revision has the chart.
    std::fs::remove_dir_all(repo.join("deploy")).unwrap();
    let helm = fake_helm(&sandbox, false);
    let (document, stderr) = scan(&sandbox, &["--rev", "HEAD", "--helm", &helm]);
    assert!(!stderr.contains("helm template failed"), "{stderr}");
    assert!(has_connection(&document, "api", "cart"));
}

/// The real `helm`, when this machine has it, renders the fixture as the stand-in does.
#[test]
fn the_real_helm_renders_the_fixture_chart() {
    let Some(helm) = std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).map(|dir| dir.join("helm")).find(|p| p.is_file()))
    else {
        eprintln!("helm is not installed here: the rendering was tested with the stand-in only");
        return;
    };
    let sandbox = Sandbox::new();
    tree(&sandbox);
    let (document, stderr) = scan(&sandbox, &["--helm", &helm.to_string_lossy()]);
    assert!(!stderr.contains("helm template failed"), "{stderr}");
    assert!(has_connection(&document, "api", "cart"));
    assert_eq!(workload_rules(&document), ["helm.template.rendered"]);
}
