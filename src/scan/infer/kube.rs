//! Kubernetes objects across files: each workload's environment as the
//! kubelet gives it (its own `env`, keys of ConfigMaps it references,
//! whole ConfigMaps through `envFrom`), and the names Services give the
//! workloads they select.

use std::collections::BTreeSet;

use crate::scan::config::yaml::Node;
use crate::scan::config::{ConfigFacts, ConfigMap, DaprComponent, EnvEntry, KubeObjects, KubeService, Workload};
use crate::scan::paths::{dir_of, is_under};
use crate::scan::process::Processed;

/// A workload and its environment, each variable with the file that sets it.
pub struct KubeWorkload {
    pub path: String,
    pub workload: Workload,
    pub env: Vec<(String, EnvEntry)>,
    /// Names of `env` that came in bulk through `envFrom`, not chosen one by one.
    pub imported: BTreeSet<String>,
}

#[derive(Default)]
pub struct Kube {
    pub workloads: Vec<KubeWorkload>,
    pub services: Vec<(String, KubeService)>,
    /// Dapr components, with the file that declares each.
    pub dapr_components: Vec<(String, DaprComponent)>,
}

/// Whether objects of these namespaces can see each other by name: the same
/// namespace, or one of them does not say (applied into whatever namespace).
fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    a.is_none() || b.is_none() || a == b
}

/// An env entry a patch sets, with the patch's file.
type PatchEnv = (String, EnvEntry);

pub fn assemble(files: &[Processed]) -> Kube {
    let charts = helm_objects(files);
    let mut maps: Vec<(&str, &ConfigMap)> = Vec::new();
    // Each workload with its file and the env Kustomize patches set on it.
    let mut workloads: Vec<(&str, &Workload, &[PatchEnv])> = Vec::new();
    let mut services = Vec::new();
    let mut dapr_components = Vec::new();
    let plain = files.iter().filter_map(|file| match (&file.entry, &file.config) {
        (Some(entry), Some((_, ConfigFacts::Kubernetes(objects)))) => Some((entry.path.as_str(), objects)),
        _ => None,
    });
    let sources: Vec<(&str, &KubeObjects)> =
        plain.chain(charts.iter().map(|(path, objects)| (path.as_str(), objects))).collect();
    let built = super::kustomize::build(&sources);
    for (file, (path, objects)) in built.files.iter().enumerate() {
        let path = path.as_str();
        maps.extend(objects.config_maps.iter().map(|m| (path, m)));
        workloads.extend(objects.workloads.iter().enumerate().map(|(index, w)| {
            let patched = built.patched_env.get(&(file, index)).map(Vec::as_slice).unwrap_or_default();
            (path, w, patched)
        }));
        services.extend(objects.services.iter().enumerate().map(|(index, s)| {
            let mut service = s.clone();
            service.built_names = built.service_names.get(&(file, index)).into_iter().flatten().cloned().collect();
            (path.to_owned(), service)
        }));
        dapr_components.extend(objects.dapr_components.iter().map(|c| (path.to_owned(), c.clone())));
    }
    // A Kustomize generator's `.env` files, read into its map.
    let generated: Vec<(&str, ConfigMap)> = maps
        .iter()
        .filter(|(_, map)| !map.env_files.is_empty())
        .map(|(path, map)| {
            let read: Vec<EnvEntry> = map
                .env_files
                .iter()
                .filter_map(|env_file| {
                    let wanted = crate::scan::config::join(dir_of(path), env_file);
                    files.iter().find_map(|file| match (&file.entry, &file.config) {
                        (Some(entry), Some((_, ConfigFacts::Dotenv(entries)))) if entry.path == wanted => Some(entries),
                        _ => None,
                    })
                })
                .flatten()
                .cloned()
                .collect();
            let mut map = (*map).clone();
            map.entries.extend(read);
            (*path, map)
        })
        .collect();
    maps.retain(|(_, map)| map.env_files.is_empty());
    maps.extend(generated.iter().map(|(path, map)| (*path, map)));
    let map_named = |name: &str, namespace: Option<&str>| {
        maps.iter().find(|(_, m)| m.name == name && same_namespace(m.namespace.as_deref(), namespace)).copied()
    };
    let workloads = workloads
        .into_iter()
        .map(|(path, workload, patched)| {
            let namespace = workload.namespace.as_deref();
            let mut env: Vec<(String, EnvEntry)> = Vec::new();
            for from in &workload.env_from {
                if let Some((map_path, map)) = map_named(from, namespace) {
                    env.extend(map.entries.iter().map(|e| (map_path.to_owned(), e.clone())));
                }
            }
            // Its own `env` comes after `envFrom` and wins, as in the kubelet;
            // what a Kustomize patch sets wins over the base it patches.
            let own = workload.env.iter().map(|e| (path, e));
            for (from, own) in own.chain(patched.iter().map(|(p, e)| (p.as_str(), e))) {
                let mut own = own.clone();
                if own.value.is_none()
                    && let Some((_, map, key, _)) = workload.env_refs.iter().find(|(name, ..)| *name == own.name)
                {
                    own.value = map_named(map, namespace)
                        .and_then(|(_, m)| m.entries.iter().find(|e| e.name == *key))
                        .and_then(|e| e.value.clone());
                }
                env.retain(|(_, e)| e.name != own.name);
                env.push((from.to_owned(), own));
            }
            let imported = env
                .iter()
                .filter(|(_, e)| {
                    !workload.env.iter().chain(patched.iter().map(|(_, p)| p)).any(|own| own.name == e.name)
                })
                .map(|(_, e)| e.name.clone())
                .collect();
            let mut resolved = workload.clone();
            resolved.env = env.iter().map(|(_, e)| e.clone()).collect();
            KubeWorkload { path: path.to_owned(), workload: resolved, env, imported }
        })
        .collect();
    Kube { workloads, services, dapr_components }
}

/// The objects of every Helm chart's templates: as `helm template`
/// rendered them when it did (see `scan::helm_template`), else read
/// without `helm` against the chart's `values.yaml` (see `config::helm`);
/// each workload marked with its chart and how it was read.
fn helm_objects(files: &[Processed]) -> Vec<(String, KubeObjects)> {
    use std::collections::BTreeMap;
    let mut charts: BTreeMap<&str, &str> = BTreeMap::new();
    let mut values: BTreeMap<&str, &Node> = BTreeMap::new();
    let mut out = Vec::new();
    let mut rendered_dirs: Vec<&str> = Vec::new();
    for file in files {
        let Some(entry) = &file.entry else { continue };
        match &file.config {
            Some((_, ConfigFacts::HelmChart(name))) => {
                charts.insert(dir_of(&entry.path), name);
            }
            Some((_, ConfigFacts::HelmValues(node))) => {
                values.insert(dir_of(&entry.path), node);
            }
            Some((_, ConfigFacts::HelmRendered(chart))) => {
                rendered_dirs.push(dir_of(&entry.path));
                for (path, objects) in &chart.templates {
                    let mut objects = objects.clone();
                    for workload in &mut objects.workloads {
                        workload.chart = Some(chart.name.clone());
                        workload.rendered = true;
                    }
                    out.push((path.clone(), objects));
                }
            }
            _ => {}
        }
    }
    for file in files {
        let (Some(entry), Some((_, ConfigFacts::HelmTemplate(template)))) = (&file.entry, &file.config) else {
            continue;
        };
        // A rendered chart's templates, its subcharts' included, came out of `helm` already.
        if rendered_dirs.iter().any(|dir| is_under(&entry.path, dir)) {
            continue;
        }
        // The chart whose `templates/` holds it.
        let Some((chart_dir, chart)) = charts
            .iter()
            .filter(|(dir, _)| is_under(&entry.path, &crate::scan::config::join(dir, "templates")))
            .max_by_key(|(dir, _)| dir.len())
        else {
            continue;
        };
        let documents = crate::scan::config::helm::render(template, values.get(chart_dir).copied(), chart);
        let mut objects = crate::scan::config::k8s::objects_of(&documents);
        for workload in &mut objects.workloads {
            workload.chart = Some((*chart).to_owned());
        }
        out.push((entry.path.clone(), objects));
    }
    out
}

impl Kube {
    /// The names each Service gives: (the names of the workloads it selects,
    /// every DNS form of the Service's name).
    pub fn service_names(&self) -> Vec<(Vec<String>, Vec<String>)> {
        let mut out = Vec::new();
        for (_, service) in &self.services {
            if service.selector.is_empty() {
                continue;
            }
            let selected = self.workloads.iter().filter(|w| {
                same_namespace(w.workload.namespace.as_deref(), service.namespace.as_deref())
                    && service.selector.iter().all(|label| w.workload.labels.contains(label))
            });
            let own = (service.name.clone(), service.namespace.clone());
            let mut names = Vec::new();
            for (name, namespace) in std::iter::once(&own).chain(&service.built_names) {
                let namespace = namespace.as_deref().or(service.namespace.as_deref()).unwrap_or("default");
                for form in [
                    name.clone(),
                    format!("{name}.{namespace}"),
                    format!("{name}.{namespace}.svc"),
                    format!("{name}.{namespace}.svc.cluster.local"),
                ] {
                    if !names.contains(&form) {
                        names.push(form);
                    }
                }
            }
            let selected: Vec<String> = selected.map(|w| w.workload.name.clone()).collect();
            if !selected.is_empty() {
                out.push((selected, names));
            }
        }
        out
    }
}
