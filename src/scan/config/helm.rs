//! Helm charts, without `helm`: a template's literal parts with the
//! chart's `values.yaml` put in where a template says `{{ .Values.a.b }}`.
//!
//! This is not Go's template engine: conditionals keep both branches,
//! `range` bodies are kept once, and whatever cannot be looked up
//! (`include`, `toYaml`, functions of values) becomes nothing. What it
//! gives is what a reader of the chart sees: the workloads, their images,
//! ports and env names, and the Services that select them. A document that
//! does not parse afterwards is left out. Charts read this way are marked
//! as not rendered.

use super::KubeObjects;
use super::yaml::{self, Node, Yaml};

/// A rendered chart: its objects, grouped by the template file (path from
/// the tree's root) each came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RenderedChart {
    pub name: String,
    pub templates: Vec<(String, KubeObjects)>,
}

/// Renders the literal parts of `template` with `values`, then parses it.
/// `None` for documents that are not YAML once rendered.
pub fn render(template: &str, values: Option<&Node>, chart: &str) -> Vec<Node> {
    let text = substitute(template, values, chart);
    // Each document on its own: one that the substitution broke costs only itself.
    let mut out = Vec::new();
    for document in text.split("\n---") {
        if let Ok(parsed) = yaml::parse(document) {
            out.extend(parsed.into_iter().filter(|d| !d.is_null()));
        }
    }
    out
}

fn substitute(template: &str, values: Option<&Node>, chart: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let mut before = &rest[..open];
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(rest);
            return out;
        };
        let mut action = &after[..close];
        // `{{-` trims the whitespace before it (keeping line breaks, so lines still count).
        if let Some(trimmed) = action.strip_prefix('-') {
            action = trimmed;
            before = before.trim_end_matches([' ', '\t']);
        }
        action = action.strip_suffix('-').unwrap_or(action).trim();
        out.push_str(before);
        out.push_str(&evaluate(action, values, chart));
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// The text an action stands for, as far as it is known.
fn evaluate(action: &str, values: Option<&Node>, chart: &str) -> String {
    let first = action.split_whitespace().next().unwrap_or("");
    if matches!(first, "if" | "else" | "end" | "range" | "with" | "define" | "block" | "template" | "include")
        || action.starts_with("/*")
        || action.contains(":=")
    {
        return String::new();
    }
    let mut stages = action.split('|').map(str::trim);
    let head = stages.next().unwrap_or("");
    let mut value = match head {
        ".Release.Name" => Some("release".to_owned()),
        ".Release.Namespace" => Some("default".to_owned()),
        ".Chart.Name" => Some(chart.to_owned()),
        _ => head.strip_prefix(".Values.").and_then(|path| lookup(values?, path)),
    };
    let mut quoted = false;
    for stage in stages {
        let mut words = stage.split_whitespace();
        match words.next() {
            Some("default") if value.is_none() => {
                value = words.next().map(|d| d.trim_matches('"').to_owned());
            }
            Some("quote" | "squote") => quoted = true,
            _ => {}
        }
    }
    match value {
        Some(text) if quoted => format!("\"{text}\""),
        Some(text) => text,
        None => String::new(),
    }
}

/// A scalar of the values at a dotted path.
fn lookup(values: &Node, path: &str) -> Option<String> {
    let mut node = values;
    for key in path.split('.') {
        node = node.get(key)?;
    }
    match &node.value {
        Yaml::Scalar(text) => Some(text.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_parts_with_values() {
        let values =
            yaml::parse("image:\n  repo: shop\n  version: \"1.2\"\npayment:\n  gateway: https://pay.example.com\n")
                .unwrap();
        let template = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Chart.Name }}-payment\nspec:\n  template:\n    spec:\n      {{ if .Values.psp.enabled }}\n      serviceAccountName: x\n      {{ end }}\n      containers:\n      - name: payment\n        image: {{ .Values.image.repo }}/payment:{{ .Values.image.version }}\n        env:\n          {{- if .Values.payment.gateway }}\n          - name: PAYMENT_GATEWAY\n            value: {{ .Values.payment.gateway | quote }}\n          {{- end }}\n          - name: MODE\n            value: {{ .Values.mode | default \"live\" }}\n      {{- with .Values.affinity }}\n      affinity:\n        {{- toYaml . | nindent 8 }}\n      {{- end }}\n---\n{{ include \"broken\" . }}: [\n";
        let documents = render(template, values.first(), "shop");
        assert_eq!(documents.len(), 1, "a document that does not parse is left out");
        let deployment = &documents[0];
        assert_eq!(deployment.get("metadata").unwrap().get("name").unwrap().str(), Some("shop-payment"));
        let container = &deployment
            .get("spec")
            .unwrap()
            .get("template")
            .unwrap()
            .get("spec")
            .unwrap()
            .get("containers")
            .unwrap()
            .items()[0];
        assert_eq!(container.get("image").unwrap().str(), Some("shop/payment:1.2"));
        let env = container.get("env").unwrap().items();
        assert_eq!(env[0].get("value").unwrap().str(), Some("https://pay.example.com"));
        assert_eq!(env[1].get("value").unwrap().str(), Some("live"));
        assert_eq!(env[0].line, 16, "lines stay where the template has them");
    }
}
