//! Kustomize's `kustomization.yaml`: what it includes (resources, bases,
//! components), how it changes them (patches, image overrides, name
//! prefixes and suffixes, a namespace) and the ConfigMaps and Secrets it
//! generates. The build itself, applied across files, is
//! `infer::kustomize`; this reads one file.
//!
//! JSON 6902 patches are read for what they add to a container (env,
//! envFrom, images, ports, whole containers): those are the operations
//! that change a map of the system. The rest (labels, replicas, probes)
//! is left out.

use super::k8s;
use super::yaml::{self, Node};
use super::{ConfigMap, EnvEntry, KubeObjects, Workload};
use serde::{Deserialize, Serialize};

/// A kustomization's includes and transformations.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Kustomization {
    /// `resources`, `bases` and `components`: files and directories,
    /// relative to the kustomization's directory (remote URLs left out).
    pub resources: Vec<String>,
    pub patches: Vec<Patch>,
    pub images: Vec<ImageOverride>,
    pub name_prefix: String,
    pub name_suffix: String,
    /// The namespace every object it builds is put in.
    pub namespace: Option<String>,
}

/// One patch: a file, or the objects written inline, and the objects it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patch {
    /// A patch file, relative to the kustomization's directory.
    pub file: Option<String>,
    /// An inline patch's objects.
    pub inline: Option<KubeObjects>,
    /// `target`: the kind and name it applies to; without one, a strategic
    /// merge patch applies to the object of its own kind and name.
    pub kind: Option<String>,
    pub name: Option<String>,
    pub line: u32,
}

/// `images:` — every container image named `name` becomes `new_name:new_tag` (or `@digest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageOverride {
    pub name: String,
    pub new_name: Option<String>,
    pub new_tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageOverride {
    /// The image `image` becomes, when this override names it.
    pub fn apply(&self, image: &str) -> Option<String> {
        let (repository, _) = split_image(image);
        if repository != self.name {
            return None;
        }
        let name = self.new_name.as_deref().unwrap_or(repository);
        Some(match (&self.digest, &self.new_tag) {
            (Some(digest), _) => format!("{name}@{digest}"),
            (None, Some(tag)) => format!("{name}:{tag}"),
            (None, None) => match split_image(image).1 {
                Some(tag) => format!("{name}{tag}"),
                None => name.to_owned(),
            },
        })
    }
}

/// An image reference's repository and its `:tag` or `@digest` (with the
/// separator). A registry's port (`host:5000/app`) is part of the repository.
fn split_image(image: &str) -> (&str, Option<&str>) {
    if let Some(at) = image.find('@') {
        return (&image[..at], Some(&image[at..]));
    }
    let last_segment = image.rfind('/').map_or(0, |slash| slash + 1);
    match image[last_segment..].find(':') {
        Some(colon) => (&image[..last_segment + colon], Some(&image[last_segment + colon..])),
        None => (image, None),
    }
}

/// Whether `path` is a Kustomize entry file.
pub fn is_kustomization(path: &str) -> bool {
    matches!(path.rsplit('/').next(), Some("kustomization.yaml" | "kustomization.yml" | "Kustomization"))
}

/// Whether `text` looks like a list of JSON 6902 operations (a patch file
/// a kustomization names): a top-level sequence whose first item is an `op`.
pub fn looks_like_json_patch(text: &str) -> bool {
    let mut significant =
        text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    significant.next().is_some_and(|first| {
        let item = first.strip_prefix('-').map(str::trim_start);
        item.is_some_and(|item| {
            item.starts_with("op:")
                || item.starts_with("path:")
                || item.starts_with("value:")
                || item.starts_with("from:")
        })
    }) && text.contains("op:")
}

/// A JSON 6902 patch file: what its operations add to a container, as a
/// workload with no kind or name (its target is in the kustomization).
/// `None` when the text is not a list of operations.
pub fn json_patch_file(text: &str) -> Option<KubeObjects> {
    let documents = yaml::parse(text).ok()?;
    let ops = documents.first()?;
    let workload = json_patch(ops)?;
    Some(KubeObjects { json_patch: Some(Box::new(workload)), ..KubeObjects::default() })
}

/// A `kustomization.yaml`: its includes, transformations and generated maps.
pub fn parse(text: &str) -> Result<KubeObjects, String> {
    let mut objects = KubeObjects::default();
    let mut kustomization = Kustomization::default();
    for document in yaml::parse(text)? {
        read_generators(&document, &mut objects);
        let strings = |key: &str| -> Vec<String> {
            document
                .get(key)
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|n| n.str().map(str::to_owned))
                .collect()
        };
        kustomization.resources.extend(
            ["resources", "bases", "components"]
                .into_iter()
                .flat_map(strings)
                .filter(|resource| !resource.contains("://") && !resource.starts_with("github.com/")),
        );
        for key in ["patches", "patchesJson6902", "patchesStrategicMerge"] {
            for item in document.get(key).map(Node::items).unwrap_or_default() {
                kustomization.patches.extend(read_patch(item));
            }
        }
        for image in document.get("images").map(Node::items).unwrap_or_default() {
            let text = |key: &str| image.get(key).and_then(Node::str).map(str::to_owned);
            if let Some(name) = text("name") {
                kustomization.images.push(ImageOverride {
                    name,
                    new_name: text("newName"),
                    new_tag: text("newTag"),
                    digest: text("digest"),
                });
            }
        }
        let text = |key: &str| document.get(key).and_then(Node::str).map(str::to_owned);
        kustomization.name_prefix = text("namePrefix").unwrap_or_default();
        kustomization.name_suffix = text("nameSuffix").unwrap_or_default();
        kustomization.namespace = text("namespace");
    }
    objects.kustomization = Some(Box::new(kustomization));
    Ok(objects)
}

/// One entry of `patches`, `patchesJson6902` or `patchesStrategicMerge`.
fn read_patch(item: &Node) -> Option<Patch> {
    // `patchesStrategicMerge` lists file names or inline documents as strings.
    if let Some(text) = item.str() {
        return Some(if text.contains('\n') || text.contains("kind:") {
            Patch { file: None, inline: Some(inline_objects(text)?), kind: None, name: None, line: item.line }
        } else {
            Patch { file: Some(text.to_owned()), inline: None, kind: None, name: None, line: item.line }
        });
    }
    let target = item.get("target");
    let selector = |key: &str| target.and_then(|t| t.get(key)).and_then(Node::str).map(str::to_owned);
    let file = item.get("path").and_then(Node::str).map(str::to_owned);
    let inline = match item.get("patch") {
        Some(patch) => Some(inline_objects(patch.str()?)?),
        None => None,
    };
    (file.is_some() || inline.is_some()).then(|| Patch {
        file,
        inline,
        kind: selector("kind"),
        name: selector("name"),
        line: item.line,
    })
}

/// An inline patch: Kubernetes objects to merge, or JSON 6902 operations.
fn inline_objects(text: &str) -> Option<KubeObjects> {
    let documents = yaml::parse(text).ok()?;
    if let Some(workload) = documents.first().and_then(json_patch) {
        return Some(KubeObjects { json_patch: Some(Box::new(workload)), ..KubeObjects::default() });
    }
    Some(k8s::objects_of(&documents))
}

/// What a list of JSON 6902 operations adds to the containers of a workload.
fn json_patch(ops: &Node) -> Option<Workload> {
    let ops = ops.items();
    if ops.is_empty() || !ops.iter().all(|op| op.get("op").is_some() && op.get("path").is_some()) {
        return None;
    }
    let mut workload = Workload::default();
    for op in ops {
        if !matches!(op.get("op").and_then(Node::str), Some("add" | "replace")) {
            continue;
        }
        let (Some(path), Some(value)) = (op.get("path").and_then(Node::str), op.get("value")) else { continue };
        // The last segment says what the value is: one item (`-` or an index) or the whole list.
        let mut segments = path.rsplit('/');
        let last = segments.next().unwrap_or("");
        let (field, one) = if last == "-" || last.parse::<usize>().is_ok() {
            (segments.next().unwrap_or(""), true)
        } else {
            (last, false)
        };
        let items: Vec<&Node> = if one { vec![value] } else { value.items().iter().collect() };
        match field {
            "containers" | "initContainers" => items.into_iter().for_each(|c| k8s::read_container(c, &mut workload)),
            "env" => items.into_iter().for_each(|v| k8s::read_env_var(v, &mut workload)),
            "envFrom" => items.into_iter().for_each(|s| k8s::read_env_source(s, &mut workload)),
            "image" if !one => workload.images.extend(value.str().map(str::to_owned)),
            "ports" => workload.ports.extend(
                items
                    .into_iter()
                    .filter_map(|p| p.get("containerPort").and_then(Node::str)?.parse::<super::Port>().ok()),
            ),
            _ => {}
        }
    }
    Some(workload)
}

/// `configMapGenerator` and `secretGenerator` entries, each with its
/// `literals` (`KEY=value`; a Secret's values are never kept) and the
/// `.env` files its `envs` name. Kustomize appends a content hash to a
/// generated name and rewrites every reference to match, so references by
/// the plain name find them.
fn read_generators(document: &Node, objects: &mut KubeObjects) {
    let namespace = document.get("namespace").and_then(Node::str).map(str::to_owned);
    for (key, keep_values) in [("configMapGenerator", true), ("secretGenerator", false)] {
        for generator in document.get(key).map(Node::items).unwrap_or_default() {
            let Some(name) = generator.get("name").and_then(Node::str) else { continue };
            let entries = generator
                .get("literals")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|literal| {
                    let (key, value) = literal.str()?.split_once('=')?;
                    crate::scan::extract::is_env_name(key).then(|| EnvEntry {
                        name: key.to_owned(),
                        line: literal.line,
                        value: Some(value.to_owned()).filter(|_| keep_values),
                        default: false,
                    })
                })
                .collect();
            let env_files = generator
                .get("envs")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .chain(generator.get("env"))
                .filter_map(|file| file.str().map(str::to_owned))
                .collect();
            let namespace = generator.get("namespace").and_then(Node::str).map(str::to_owned).or(namespace.clone());
            objects.config_maps.push(ConfigMap { name: name.to_owned(), namespace, entries, env_files });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_with_literals_and_env_files() {
        let text = "namespace: shop\nconfigMapGenerator:\n  - name: addresses\n    literals:\n      - CART_ADDR=cart:8080\n      - not a literal\n    envs:\n      - ../common/addresses.env\nsecretGenerator:\n  - name: keys\n    literals:\n      - API_TOKEN=hunter2\n";
        let objects = parse(text).unwrap();
        let described: Vec<String> = objects
            .config_maps
            .iter()
            .map(|m| {
                let entries: Vec<String> = m.entries.iter().map(|e| format!("{}={:?}", e.name, e.value)).collect();
                format!("{}@{:?} {entries:?} {:?}", m.name, m.namespace, m.env_files)
            })
            .collect();
        assert_eq!(
            described,
            [
                r#"addresses@Some("shop") ["CART_ADDR=Some(\"cart:8080\")"] ["../common/addresses.env"]"#,
                r#"keys@Some("shop") ["API_TOKEN=None"] []"#,
            ]
        );
        assert!(is_kustomization("deploy/overlays/prod/kustomization.yaml"));
        assert!(!is_kustomization("deploy/kustomize.yaml"));
    }

    #[test]
    fn includes_and_transformations() {
        let text = "resources:\n  - ../../base\n  - extra.yaml\n  - https://github.com/acme/x//deploy?ref=v1\nbases:\n  - ../legacy\ncomponents:\n  - ../../components/sql\nnamePrefix: prod-\nnameSuffix: -v2\nnamespace: shop\nimages:\n  - name: cart\n    newName: registry.example.com/shop/cart\n    newTag: \"1.4\"\npatchesStrategicMerge:\n  - replicas.yaml\npatches:\n  - path: env.yaml\n    target:\n      kind: Deployment\n      name: cart\n  - target:\n      kind: Deployment\n    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/env/-\n        value:\n          name: CART_MODE\n          value: fast\n      - op: add\n        path: /spec/template/spec/containers/-\n        value:\n          name: proxy\n          image: proxy:2\n          ports:\n            - containerPort: 5432\n";
        let objects = parse(text).unwrap();
        let k = objects.kustomization.unwrap();
        assert_eq!(k.resources, ["../../base", "extra.yaml", "../legacy", "../../components/sql"]);
        assert_eq!(
            (k.name_prefix.as_str(), k.name_suffix.as_str(), k.namespace.as_deref()),
            ("prod-", "-v2", Some("shop"))
        );
        let files: Vec<Option<&str>> = k.patches.iter().map(|p| p.file.as_deref()).collect();
        assert_eq!(files, [Some("env.yaml"), None, Some("replicas.yaml")]);
        assert_eq!((k.patches[0].kind.as_deref(), k.patches[0].name.as_deref()), (Some("Deployment"), Some("cart")));
        let added = k.patches[1].inline.as_ref().unwrap().json_patch.as_ref().unwrap();
        assert_eq!(added.env[0].name, "CART_MODE");
        assert_eq!((added.images.as_slice(), added.ports.as_slice()), (&["proxy:2".to_owned()][..], &[5432][..]));
        assert_eq!(k.images[0].apply("cart:dev").as_deref(), Some("registry.example.com/shop/cart:1.4"));
        assert_eq!(k.images[0].apply("carts:dev"), None);
    }

    #[test]
    fn image_overrides_keep_what_they_do_not_set() {
        let rename = ImageOverride {
            name: "localhost:5000/app".into(),
            new_name: Some("app".into()),
            new_tag: None,
            digest: None,
        };
        assert_eq!(rename.apply("localhost:5000/app:3").as_deref(), Some("app:3"));
        let pin = ImageOverride { name: "app".into(), new_name: None, new_tag: None, digest: Some("sha256:ab".into()) };
        assert_eq!(pin.apply("app").as_deref(), Some("app@sha256:ab"));
    }

    #[test]
    fn json_patch_files_and_strategic_merge_strings() {
        let ops = "- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: shop/cart:2\n- op: add\n  path: /spec/template/spec/containers/0/envFrom\n  value:\n    - configMapRef:\n        name: shared\n- op: remove\n  path: /spec/replicas\n";
        assert!(looks_like_json_patch(ops));
        assert!(!looks_like_json_patch("paths:\n  /stop:\n    post:\n      operationId: stop\n      op: x\n"));
        let added = json_patch_file(ops).unwrap().json_patch.unwrap();
        assert_eq!((added.images, added.env_from), (vec!["shop/cart:2".to_owned()], vec!["shared".to_owned()]));
        assert!(json_patch_file("kind: Deployment\nmetadata:\n  name: x\n").is_none());
        let text = "patchesStrategicMerge:\n  - |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: cart\n    spec:\n      template:\n        spec:\n          containers:\n            - name: cart\n              env:\n                - name: CART_REGION\n                  value: eu\n";
        let k = parse(text).unwrap().kustomization.unwrap();
        let inline = k.patches[0].inline.as_ref().unwrap();
        assert_eq!(
            (inline.workloads[0].name.as_str(), inline.workloads[0].env[0].name.as_str()),
            ("cart", "CART_REGION")
        );
    }
}
