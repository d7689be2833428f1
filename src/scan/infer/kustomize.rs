//! Kustomize builds across files: each kustomization's resources (files,
//! and directories holding another kustomization, recursively) with its
//! patches, image overrides, name prefixes and namespace applied, as
//! `kustomize build` applies them.
//!
//! One tree often builds the same workloads several ways (an overlay per
//! environment over one base). The map has one workload per program, so
//! every build's changes land on that one workload: env a patch sets (an
//! overlay's value wins over the base's), images an override names, and
//! the names a prefix or namespace gives its Services. A patch file's
//! workloads are patches, not workloads of their own, unless no build
//! reaches a workload they apply to.

use std::collections::{BTreeMap, BTreeSet};

use crate::scan::config::kustomize::{Kustomization, Patch};
use crate::scan::config::{EnvEntry, KubeObjects, Workload, join};
use crate::scan::paths::dir_of;

/// How deep kustomizations may include each other before the build stops (cycles, runaway trees).
const MAX_DEPTH: usize = 32;

/// A workload or Service: (index of its file, index among the file's workloads or Services).
type ObjectKey = (usize, usize);
/// Env entries, each with the file that sets it.
type SetEnv = Vec<(String, EnvEntry)>;
/// Names, each in its namespace when one is given.
type Names = BTreeSet<(String, Option<String>)>;

/// The objects of every file after the builds, each workload with the env
/// that patches gave it (file of each entry) and each Service with the
/// names builds gave it.
pub struct Built {
    /// (file, objects), patch-only workloads left out.
    pub files: Vec<(String, KubeObjects)>,
    /// Env set by patches, per (file index, workload index): (patch file, entry).
    pub patched_env: BTreeMap<ObjectKey, SetEnv>,
    /// Names builds give Services, per (file index, service index): (name, namespace).
    pub service_names: BTreeMap<ObjectKey, Names>,
}

/// A workload or Service a build includes, and its name at that point of the build.
#[derive(Clone)]
struct Included {
    file: usize,
    index: usize,
    service: bool,
    name: String,
}

/// The builds over every file's objects (`sources`: file, objects), copied once.
pub fn build(sources: &[(&str, &KubeObjects)]) -> Built {
    let by_dir: BTreeMap<&str, usize> = sources
        .iter()
        .enumerate()
        .filter(|(_, (path, objects))| {
            objects.kustomization.is_some() && crate::scan::config::kustomize::is_kustomization(path)
        })
        .map(|(i, (path, _))| (dir_of(path), i))
        .collect();
    let by_path: BTreeMap<&str, usize> = sources.iter().enumerate().map(|(i, (path, _))| (*path, i)).collect();
    let mut built = Built { files: Vec::new(), patched_env: BTreeMap::new(), service_names: BTreeMap::new() };
    // Workloads of patch files that patched something: not workloads of their own.
    let mut consumed: BTreeSet<ObjectKey> = BTreeSet::new();
    let mut files: Vec<(String, KubeObjects)> =
        sources.iter().map(|(path, objects)| ((*path).to_owned(), (*objects).clone())).collect();
    for &k in by_dir.values() {
        let (path, objects) = &sources[k];
        let Some(kustomization) = objects.kustomization.as_deref() else { continue };
        let mut included = Vec::new();
        include(sources, &by_dir, &by_path, k, 0, &mut BTreeSet::new(), &mut included);
        for patch in &kustomization.patches {
            apply_patch(sources, &by_path, dir_of(path), patch, &included, &mut files, &mut built, &mut consumed);
        }
        for item in included.iter().filter(|i| !i.service) {
            let workload = &mut files[item.file].1.workloads[item.index];
            let overridden: Vec<String> = workload
                .images
                .iter()
                .flat_map(|image| kustomization.images.iter().filter_map(|o| o.apply(image)))
                .collect();
            union(&mut workload.images, &overridden);
        }
        name_services(kustomization, &included, &mut built);
    }
    for (file, (path, mut objects)) in files.into_iter().enumerate() {
        let mut index = 0;
        objects.workloads.retain(|_| {
            index += 1;
            !consumed.contains(&(file, index - 1))
        });
        built.files.push((path, objects));
    }
    // Indices into the kept workloads: shift what patches recorded.
    built.patched_env = reindex(built.patched_env, &consumed);
    built
}

/// Collects what kustomization `k` includes, each Service with its name as
/// the included builds left it (their prefixes already applied).
fn include(
    sources: &[(&str, &KubeObjects)],
    by_dir: &BTreeMap<&str, usize>,
    by_path: &BTreeMap<&str, usize>,
    k: usize,
    depth: usize,
    included: &mut BTreeSet<usize>,
    out: &mut Vec<Included>,
) {
    // Each kustomization once per build: kustomize refuses a resource
    // included twice, and a diamond of includes must not be walked once per path.
    if depth > MAX_DEPTH || !included.insert(k) {
        return;
    }
    let (path, objects) = &sources[k];
    let Some(kustomization) = objects.kustomization.as_deref() else { return };
    let start = out.len();
    for resource in &kustomization.resources {
        let wanted = join(dir_of(path), resource);
        if let Some(&inner) = by_dir.get(wanted.as_str()) {
            include(sources, by_dir, by_path, inner, depth + 1, included, out);
        } else if let Some(&file) = by_path.get(wanted.as_str()) {
            let objects = sources[file].1;
            out.extend(objects.workloads.iter().enumerate().map(|(index, w)| Included {
                file,
                index,
                service: false,
                name: w.name.clone(),
            }));
            out.extend(objects.services.iter().enumerate().map(|(index, s)| Included {
                file,
                index,
                service: true,
                name: s.name.clone(),
            }));
        }
    }
    // This level's prefix and suffix wrap the names its resources came with.
    for item in &mut out[start..] {
        item.name = format!("{}{}{}", kustomization.name_prefix, item.name, kustomization.name_suffix);
    }
}

/// Merges what `patch` sets into the included workloads it targets: a
/// strategic merge patch's env (by name: the patch's value wins), envFrom,
/// env references, images and ports; a JSON 6902 patch's additions.
#[allow(clippy::too_many_arguments)]
fn apply_patch(
    sources: &[(&str, &KubeObjects)],
    by_path: &BTreeMap<&str, usize>,
    dir: &str,
    patch: &Patch,
    included: &[Included],
    files: &mut [(String, KubeObjects)],
    built: &mut Built,
    consumed: &mut BTreeSet<ObjectKey>,
) {
    let (patch_path, patch_file, objects) = match (&patch.file, &patch.inline) {
        (Some(file), _) => {
            let path = join(dir, file);
            let Some(&index) = by_path.get(path.as_str()) else { return };
            (path, Some(index), sources[index].1)
        }
        (None, Some(inline)) => (join(dir, "kustomization.yaml"), None, inline),
        (None, None) => return,
    };
    let mut patches: Vec<(Option<usize>, &Workload)> =
        objects.workloads.iter().enumerate().map(|(i, w)| (Some(i), w)).collect();
    patches.extend(objects.json_patch.as_deref().map(|w| (None, w)));
    for (patch_index, change) in patches {
        // A target selects by kind and name; without one, the patch names its object itself.
        let kind = patch.kind.as_deref().or(Some(change.kind.as_str()).filter(|k| !k.is_empty()));
        let name = patch.name.as_deref().or(Some(change.name.as_str()).filter(|n| !n.is_empty()));
        for item in included.iter().filter(|i| !i.service) {
            if Some(item.file) == patch_file {
                continue;
            }
            let target = &sources[item.file].1.workloads[item.index];
            if kind.is_some_and(|k| k != target.kind) || name.is_some_and(|n| n != target.name && n != item.name) {
                continue;
            }
            if let (Some(file), Some(index)) = (patch_file, patch_index) {
                consumed.insert((file, index));
            }
            merge(&mut files[item.file].1.workloads[item.index], change);
            let env = built.patched_env.entry((item.file, item.index)).or_default();
            for entry in &change.env {
                env.retain(|(_, e)| e.name != entry.name);
                env.push((patch_path.clone(), entry.clone()));
            }
        }
    }
}

/// What a patch adds to a workload besides env values (kept apart, with their file).
fn merge(target: &mut Workload, change: &Workload) {
    union(&mut target.images, &change.images);
    union(&mut target.ports, &change.ports);
    union(&mut target.env_from, &change.env_from);
    union(&mut target.env_refs, &change.env_refs);
    target.ports.sort_unstable();
}

/// Adds the items of `from` that `into` lacks, in order.
fn union<T: Clone + PartialEq>(into: &mut Vec<T>, from: &[T]) {
    for item in from {
        if !into.contains(item) {
            into.push(item.clone());
        }
    }
}

/// The names a build gives the Services it includes: prefixed and suffixed,
/// in the build's namespace.
fn name_services(kustomization: &Kustomization, included: &[Included], built: &mut Built) {
    for item in included.iter().filter(|i| i.service) {
        built
            .service_names
            .entry((item.file, item.index))
            .or_default()
            .insert((item.name.clone(), kustomization.namespace.clone()));
    }
}

/// Moves workload indices past the removed patch-only workloads.
fn reindex(map: BTreeMap<ObjectKey, SetEnv>, removed: &BTreeSet<ObjectKey>) -> BTreeMap<ObjectKey, SetEnv> {
    map.into_iter()
        .filter(|(key, _)| !removed.contains(key))
        .map(|((file, index), env)| {
            let before = removed.range((file, 0)..(file, index)).count();
            ((file, index - before), env)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::config::{k8s, kustomize};

    const BASE: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\nspec:\n  template:\n    spec:\n      containers:\n        - name: cart\n          image: cart:dev\n          env:\n            - name: MODE\n              value: base\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n";

    fn sources(files: &[(&str, &str)]) -> Vec<(String, KubeObjects)> {
        files
            .iter()
            .map(|(path, text)| {
                let objects = if kustomize::is_kustomization(path) {
                    kustomize::parse(text).unwrap()
                } else {
                    kustomize::json_patch_file(text).unwrap_or_else(|| k8s::parse(text).unwrap())
                };
                ((*path).to_owned(), objects)
            })
            .collect()
    }

    fn built_from(files: &[(&str, &str)]) -> Built {
        let owned = sources(files);
        let borrowed: Vec<(&str, &KubeObjects)> =
            owned.iter().map(|(path, objects)| (path.as_str(), objects)).collect();
        build(&borrowed)
    }

    #[test]
    fn overlays_patch_rename_and_override_images_of_one_workload() {
        let built = built_from(&[
            ("base/cart.yaml", BASE),
            ("base/kustomization.yaml", "resources: [cart.yaml]\nnameSuffix: -v1\n"),
            (
                "prod/kustomization.yaml",
                "resources: [../base]\nnamePrefix: prod-\nnamespace: shop\nimages:\n  - name: cart\n    newName: registry.example.com/cart\n    newTag: \"2\"\npatches:\n  - path: mode.yaml\n",
            ),
            (
                "prod/mode.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\nspec:\n  template:\n    spec:\n      containers:\n        - name: cart\n          env:\n            - name: MODE\n              value: prod\n",
            ),
        ]);
        let (_, base) = &built.files[0];
        assert_eq!(base.workloads[0].images, ["cart:dev", "registry.example.com/cart:2"]);
        let patched = &built.patched_env[&(0, 0)];
        assert_eq!((patched[0].0.as_str(), patched[0].1.value.as_deref()), ("prod/mode.yaml", Some("prod")));
        assert!(built.files[3].1.workloads.is_empty(), "a patch that applied is not a workload of its own");
        let names: Vec<_> = built.service_names[&(0, 0)].iter().cloned().collect();
        assert_eq!(
            names,
            [("cart-v1".to_owned(), None), ("prod-cart-v1".to_owned(), Some("shop".to_owned()))],
            "each build's prefix wraps the names its resources came with"
        );
    }

    #[test]
    fn a_patch_that_applies_to_nothing_stays_a_workload_and_cycles_end() {
        let built = built_from(&[
            ("a/kustomization.yaml", "resources: [../b]\npatchesStrategicMerge: [orphan.yaml]\n"),
            ("b/kustomization.yaml", "resources: [../a]\n"),
            ("a/orphan.yaml", BASE),
        ]);
        assert_eq!(built.files[2].1.workloads.len(), 1);
        assert!(built.patched_env.is_empty());
    }

    #[test]
    fn a_diamond_of_includes_is_walked_once_per_build() {
        // 30 levels, each including the next level twice (through two components):
        // walked once per path, that is 2^30 visits.
        let mut files: Vec<(String, String)> = vec![("base/cart.yaml".into(), BASE.into())];
        files.push(("l30/kustomization.yaml".into(), "resources: [../base/cart.yaml]\n".into()));
        for level in (0..30).rev() {
            let next = level + 1;
            files.push((format!("l{level}/a/kustomization.yaml"), format!("resources: [../../l{next}]\n")));
            files.push((format!("l{level}/b/kustomization.yaml"), format!("resources: [../../l{next}]\n")));
            files.push((format!("l{level}/kustomization.yaml"), "components: [a, b]\n".into()));
        }
        let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let built = built_from(&borrowed);
        assert_eq!(built.files[0].1.workloads.len(), 1);
    }

    #[test]
    fn json_patch_files_target_by_selector() {
        let built = built_from(&[
            ("base/cart.yaml", BASE),
            (
                "kustomization.yaml",
                "resources: [base/cart.yaml]\npatchesJson6902:\n  - target: {kind: Deployment, name: cart}\n    path: add-env.yaml\n  - target: {kind: StatefulSet}\n    path: add-env.yaml\n",
            ),
            (
                "add-env.yaml",
                "- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: REGION, value: eu}\n",
            ),
        ]);
        let patched = &built.patched_env[&(0, 0)];
        assert_eq!(patched.iter().map(|(_, e)| e.name.as_str()).collect::<Vec<_>>(), ["REGION"]);
    }
}
