//! Addresses to ids: a URL, host, `host:port` or env value resolved to a
//! service of the tree or an external system.

use super::*;

/// Whether a definition in `file` applies to code in directory `root`: the
/// file is in that directory, an ancestor, or below it.
pub(super) fn applies_to(file: &str, root: &str) -> bool {
    let dir = dir_of(file);
    dir.is_empty() || dir == root || is_under(root, dir) || is_under(file, root)
}

/// Env var name → (value, defining file, line).
pub(super) type Values = BTreeMap<String, Vec<(String, String, u32)>>;

impl Builder {
    /// Where the value of variable `name` points. A bare word (`redis`) is
    /// taken for a host only when the name says it holds an address.
    pub(super) fn resolve_env_value(&self, name: &str, value: &str, from: &str) -> Option<String> {
        let value = value.trim();
        let address_like = value.contains("://") || value.contains(':');
        let address_name =
            ["HOST", "ADDR", "ADDRESS", "URL", "URI", "SERVER", "ENDPOINT", "DSN", "HOSTNAME", "SERVICE"]
                .iter()
                .any(|suffix| name.to_ascii_uppercase().ends_with(suffix));
        if !address_like && !address_name {
            return None;
        }
        self.resolve_value(value, from)
    }

    /// Where a configured value points: an external by URL scheme or host,
    /// or a service by host name (`http://backend:8000`, `cart:7070`), or a
    /// service by port on localhost. Never the service itself.
    pub(super) fn resolve_value(&self, value: &str, from: &str) -> Option<String> {
        let value = value.trim().trim_matches(['"', '\'']);
        if value.is_empty() || value.contains("${") && !value.contains("://") {
            return None;
        }
        // Dapr service invocation through the sidecar
        // (`http://localhost:3500/v1.0/invoke/basket-api/method/items`) calls
        // the application of that id, wherever the sidecar itself is.
        if let Some((_, after)) = value.split_once(crate::scan::config::DAPR_INVOKE) {
            let app = after.split(['/', '?']).next().unwrap_or_default();
            return self.aliases.get(app, &self.root_of(from)).filter(|id| id != from);
        }
        let rest = match value.split_once("://") {
            Some((_, rest)) => rest,
            None => value,
        };
        let host = externals::host_of(rest);
        if host.is_empty() || host.contains(' ') {
            return None;
        }
        let root = self.root_of(from);
        if let Some(id) = self.aliases.get(&host, &root).filter(|id| id != from) {
            return Some(id);
        }
        // A platform's private network names an app `<app>.internal` (Fly.io,
        // also `<region>.<app>.internal`), `<app>.flycast` (Fly.io's proxy) or
        // `<service>.railway.internal` (Railway).
        let private = [".railway.internal", ".internal", ".flycast"]
            .iter()
            .find_map(|suffix| host.strip_suffix(suffix))
            .and_then(|rest| rest.rsplit('.').next());
        if let Some(id) = private.and_then(|app| self.aliases.get(app, &root)).filter(|id| id != from) {
            return Some(id);
        }
        if let Some(external) = externals::by_url(value).filter(|_| value.contains("://")) {
            return Some(external.id.clone());
        }
        // A wildcard host (`http://0.0.0.0:80`, `http://+:80`, `http://[::]:80`)
        // is where a server binds (ASPNETCORE_URLS, --bind), never an address to call.
        if matches!(host.as_str(), "0.0.0.0" | "+" | "*" | "[::]" | "::") {
            return None;
        }
        if matches!(host.as_str(), "localhost" | "127.0.0.1") {
            let authority = rest.split('/').next().unwrap_or(rest);
            let port: u16 = authority.rsplit(':').next()?.parse().ok()?;
            // Only services of the same project: the asking service's parent directory.
            let project = dir_of(&root);
            let owners: Vec<&Service> = self
                .services
                .iter()
                .filter(|s| s.id != from && s.ports.contains(&port))
                .filter(|s| s.root.as_deref().is_some_and(|r| project.is_empty() || is_under(r, project)))
                .collect();
            if let [only] = owners.as_slice() {
                return Some(only.id.clone());
            }
        }
        None
    }

    /// The backend a static front end's same-origin calls (`fetch("/api/…")`)
    /// reach: the origin that serves its files. Known when the tree has one
    /// first-party server besides front ends and workers; a front end with a
    /// server of its own (Next.js, Nuxt) answers such calls itself.
    pub(super) fn same_origin_backend(&self, from: &str) -> Option<String> {
        let static_front_end = self.services.iter().find(|s| s.id == from).is_some_and(|s| {
            s.kind == ServiceKind::Frontend
                && s.framework.as_deref().and_then(frameworks::by_name).is_some_and(|f| f.static_build)
        });
        if !static_front_end {
            return None;
        }
        let servers: Vec<&Service> = self
            .services
            .iter()
            .filter(|s| s.id != from && s.kind == ServiceKind::Service && s.root.is_some())
            .collect();
        match servers.as_slice() {
            [only] => Some(only.id.clone()),
            _ => None,
        }
    }

    /// The root directory of service `id` ("" for externals and unknowns).
    pub(super) fn root_of(&self, id: &str) -> String {
        self.service_root(id).unwrap_or_default().to_owned()
    }

    /// The root directory of first-party service `id`; none for externals and unknowns.
    pub(super) fn service_root(&self, id: &str) -> Option<&str> {
        self.services.iter().find(|s| s.id == id).and_then(|s| s.root.as_deref())
    }
}
