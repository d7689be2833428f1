//! Env reads through a project's own wrapper functions. Extraction finds
//! functions whose body reads the env var their first parameter names
//! (`def env_bool(name, default)`, `func getEnv(key, fallback string)`)
//! and calls with an env-shaped literal first; here the two meet, across
//! files of one ecosystem, so `env_bool("DEBUG")` in settings is a read of
//! `DEBUG` wherever `env_bool` is defined.

use super::*;
use crate::scan::facts::Fact;

impl Builder {
    /// Every wrapper function of the tree, by ecosystem (`pypi`, `npm`, …).
    pub(super) fn find_env_wrappers(&mut self, files: &[Processed]) {
        for file in files {
            let Some(ecosystem) = ecosystem_of(file) else { continue };
            for fact in &file.code {
                if let FactKind::EnvWrapper { function } = &fact.kind {
                    self.env_wrappers.insert((ecosystem.to_owned(), function.clone()));
                }
            }
        }
    }

    /// The names that hold the env record in each file: its own aliases
    /// (`const env = process.env`) and what it imports from a module of the
    /// tree that exports one (`import env from "./environment"` where that
    /// file says `export default withSecrets(process.env)`).
    pub(super) fn find_env_records(&mut self, files: &[Processed]) {
        fn path_of(file: &Processed) -> Option<&str> {
            file.entry.as_ref().map(|e| e.path.as_str())
        }
        let exported: BTreeSet<(&str, &str)> = files
            .iter()
            .filter_map(|file| Some((path_of(file)?, file)))
            .flat_map(|(path, file)| {
                file.code.iter().filter_map(move |fact| match &fact.kind {
                    FactKind::EnvRecord { binding } => Some((path, binding.as_str())),
                    _ => None,
                })
            })
            .collect();
        if exported.is_empty() {
            return;
        }
        let modules: BTreeSet<&str> = exported.iter().map(|(path, _)| *path).collect();
        for file in files {
            let Some(path) = path_of(file) else { continue };
            let mut names = BTreeSet::new();
            for fact in &file.code {
                match &fact.kind {
                    FactKind::EnvRecord { binding } if binding != "default" => {
                        names.insert(binding.clone());
                    }
                    FactKind::ImportBinding { binding, module, exported: name } => {
                        let resolved = resolve_module(dir_of(path), module, &modules);
                        if resolved.is_some_and(|target| exported.contains(&(target, name.as_str()))) {
                            names.insert(binding.clone());
                        }
                    }
                    _ => {}
                }
            }
            if !names.is_empty() {
                self.env_records.insert(path.to_owned(), names);
            }
        }
    }

    /// The env var `fact` reads: a direct read, a call of a wrapper with
    /// the name as a literal (not one already read directly on that line),
    /// or a member read through a name that holds the env record.
    pub(super) fn env_read_of<'a>(&self, file: &'a Processed, fact: &'a Fact) -> Option<&'a str> {
        match &fact.kind {
            FactKind::EnvRead { name, .. } => Some(name),
            FactKind::Call { function, name } => {
                let ecosystem = ecosystem_of(file)?;
                let wrapper = self.env_wrappers.contains(&(ecosystem.to_owned(), function.clone()));
                let direct = file.code.iter().any(|other| {
                    other.line == fact.line && matches!(&other.kind, FactKind::EnvRead { name: n, .. } if n == name)
                });
                (wrapper && !direct).then_some(name.as_str())
            }
            FactKind::Member { object, name } => {
                let path = &file.entry.as_ref()?.path;
                self.env_records.get(path)?.contains(object).then_some(name.as_str())
            }
            _ => None,
        }
    }
}

fn ecosystem_of(file: &Processed) -> Option<&'static str> {
    file.entry.as_ref()?.language.as_deref().and_then(crate::scan::lang::ecosystem_of)
}

/// The file a JavaScript import of the project's own names. A relative path
/// resolves as Node and bundlers do: the path itself, with one of the usual
/// extensions, or its `index`. A path alias (`@server/utils/env`, which
/// tsconfig `paths` or a bundler maps to a directory) names the rest of its
/// path under that directory: the one file among `files` ending so, if only one does.
fn resolve_module<'a>(dir: &str, module: &str, files: &BTreeSet<&'a str>) -> Option<&'a str> {
    if !module.starts_with('.') {
        let (_, rest) = module.split_once('/')?;
        let under = format!("/{rest}");
        let mut found = files.iter().filter(|file| {
            let stem = SCRIPT_EXTENSIONS.iter().find_map(|ext| file.strip_suffix(ext)).unwrap_or(file);
            let stem = stem.strip_suffix("/index").unwrap_or(stem);
            stem == rest || stem.ends_with(&under)
        });
        return match (found.next(), found.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        };
    }
    // Joined here rather than with `config::join`, which stops at the root:
    // a path that climbs out of the tree names no file of it.
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for segment in module.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            segment => parts.push(segment),
        }
    }
    let base = parts.join("/");
    let direct = std::iter::once(base.clone()).chain(SCRIPT_EXTENSIONS.iter().map(|ext| format!("{base}{ext}")));
    let index = SCRIPT_EXTENSIONS.iter().map(|ext| format!("{base}/index{ext}"));
    direct.chain(index).find_map(|candidate| files.get(candidate.as_str()).copied())
}

/// The extensions an import may leave out, in the order they are tried.
const SCRIPT_EXTENSIONS: [&str; 6] = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_imports_resolve_as_node_does() {
        let files: BTreeSet<&str> = ["server/utils/environment.ts", "lib/env/index.js", "config.mjs"].into();
        assert_eq!(resolve_module("server", "./utils/environment", &files), Some("server/utils/environment.ts"));
        assert_eq!(
            resolve_module("server/a/b", "../../utils/environment.ts", &files),
            Some("server/utils/environment.ts")
        );
        assert_eq!(resolve_module("lib", "./env", &files), Some("lib/env/index.js"));
        assert_eq!(resolve_module("", "./config", &files), Some("config.mjs"));
        assert_eq!(resolve_module("", "../config", &files), None);
        assert_eq!(resolve_module("server", "./missing", &files), None);
        // Under a path alias, by the rest of the path.
        assert_eq!(
            resolve_module("plugins/x", "@server/utils/environment", &files),
            Some("server/utils/environment.ts")
        );
        assert_eq!(resolve_module("web", "~/env", &files), Some("lib/env/index.js"));
        assert_eq!(resolve_module("web", "@aws-sdk/client-s3", &files), None);
    }
}
