//! Before inference: Gradle builds name their dependencies through a version
//! catalog (`libs.ktor.server.netty`), which lives in another file
//! (`gradle/libs.versions.toml`). Each build's accessors are replaced by the
//! coordinates its catalog gives, so every later stage sees coordinates.

use crate::scan::config::{ConfigFacts, resolve_catalog};
use crate::scan::paths::{dir_of, is_under};
use crate::scan::process::Processed;

/// Resolves every Gradle build's `libs.…` accessors through the catalog of
/// the nearest build root above it (the parent of `gradle/`), as Gradle does.
pub fn resolve_version_catalogs(files: &mut [Processed]) {
    let catalogs: Vec<(String, Vec<(String, String)>)> = files
        .iter()
        .filter_map(|f| match (&f.entry, &f.config) {
            (Some(entry), Some((_, ConfigFacts::VersionCatalog(catalog)))) => {
                Some((dir_of(dir_of(&entry.path)).to_owned(), catalog.clone()))
            }
            _ => None,
        })
        .collect();
    for file in files {
        let (Some(entry), Some((_, ConfigFacts::Manifest(manifest)))) = (&file.entry, &mut file.config) else {
            continue;
        };
        if manifest.ecosystem != "gradle" {
            continue;
        }
        let dir = dir_of(&entry.path);
        let catalog = catalogs
            .iter()
            .filter(|(root, _)| root.is_empty() || root == dir || is_under(dir, root))
            .max_by_key(|(root, _)| root.len());
        resolve_catalog(manifest, catalog.map_or(&[], |(_, c)| c.as_slice()));
    }
}
