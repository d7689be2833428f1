//! The table of external systems (`grammars/externals.toml`): which
//! packages, images, URL schemes, hosts and env var names reveal which
//! system, under the canonical ids of `pruv.scan/1`.

use std::sync::OnceLock;

use super::model::ServiceKind;

pub struct External {
    pub id: String,
    pub kind: ServiceKind,
    /// (ecosystem, package names).
    pub packages: Vec<(String, Vec<String>)>,
    pub images: Vec<String>,
    pub schemes: Vec<String>,
    pub hosts: Vec<String>,
    pub env_tokens: Vec<String>,
}

const TABLE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/externals.toml"));
const ECOSYSTEMS: [&str; 7] = ["pypi", "npm", "go", "maven", "nuget", "cargo", "gem"];

pub fn all() -> &'static [External] {
    static ALL: OnceLock<Vec<External>> = OnceLock::new();
    ALL.get_or_init(|| parse(TABLE).unwrap_or_else(|e| panic!("grammars/externals.toml: {e}")))
}

fn parse(text: &str) -> Result<Vec<External>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let list = |value: &toml::Value, key: &str| -> Vec<String> {
        value
            .get(key)
            .and_then(|v| v.as_array())
            .map(|items| items.iter().filter_map(|i| i.as_str()).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    table
        .iter()
        .map(|(id, value)| {
            let kind = match value.get("kind").and_then(|k| k.as_str()) {
                Some("datastore") => ServiceKind::Datastore,
                Some("external") => ServiceKind::External,
                other => return Err(format!("[{id}]: kind must be datastore or external, not {other:?}")),
            };
            Ok(External {
                id: id.clone(),
                kind,
                packages: ECOSYSTEMS
                    .iter()
                    .map(|e| (e.to_string(), list(value, e)))
                    .filter(|(_, p)| !p.is_empty())
                    .collect(),
                images: list(value, "images"),
                schemes: list(value, "schemes"),
                hosts: list(value, "hosts"),
                env_tokens: list(value, "env"),
            })
        })
        .collect()
}

pub fn by_id(id: &str) -> Option<&'static External> {
    all().iter().find(|e| e.id == id)
}

/// Gradle and Maven builds name packages by the same coordinates.
pub fn package_ecosystem(ecosystem: &str) -> &str {
    if ecosystem == "gradle" { "maven" } else { ecosystem }
}

/// The system a dependency or import names. `ecosystem` is the manifest's
/// (npm, pypi, …); code imports use their language's ecosystem. Java and
/// Kotlin build files (maven, gradle) share coordinates.
pub fn by_package(ecosystem: &str, name: &str) -> Option<&'static External> {
    let ecosystem = package_ecosystem(ecosystem);
    let name_lower = name.to_ascii_lowercase();
    all().iter().find(|external| {
        external.packages.iter().filter(|(e, _)| e == ecosystem).flat_map(|(_, p)| p).any(|package| {
            let package = package.to_ascii_lowercase();
            if package.ends_with('/') {
                return name_lower.starts_with(&package);
            }
            // Python modules use dots and underscores where distributions use dashes.
            let normalised = package.replace('-', "_");
            name_lower == package
                || name_lower == normalised
                || name_lower.starts_with(&format!("{package}/"))
                || name_lower.starts_with(&format!("{normalised}."))
        })
    })
}

/// Literals one of which an import must contain to name a package of
/// `ecosystem` that `by_package` knows: each package name (its group, for
/// Maven coordinates: Java code imports the group's packages), and the
/// name with Python's `_` for `-`.
pub fn import_literals(ecosystem: &str) -> Vec<String> {
    let mut literals: Vec<String> = all()
        .iter()
        .flat_map(|external| external.packages.iter().filter(|(e, _)| e == ecosystem).flat_map(|(_, p)| p))
        .flat_map(|package| {
            // As written in the table: code spells its imports that way
            // (`by_package` also forgives case, which code never needs).
            let group = package.split(':').next().unwrap_or(package).to_owned();
            [package.replace('-', "_"), group]
        })
        .collect();
    literals.sort();
    literals.dedup();
    literals
}

/// The system a container image runs (`postgres:16-alpine`, `docker.io/library/redis`).
pub fn by_image(image: &str) -> Option<&'static External> {
    let base = image_base(image);
    all().iter().find(|external| {
        external
            .images
            .iter()
            .any(|known| base == *known || base.rsplit('/').next() == Some(known.as_str()) && !known.contains('/'))
    })
}

/// Whether an image is a base system, a runtime or a tool rather than a
/// system (`alpine`, `python:3.12`, `curlimages/curl`): `grammars/images.toml`.
pub fn is_utility_image(image: &str) -> bool {
    static UTILITY: OnceLock<Vec<String>> = OnceLock::new();
    let utility = UTILITY.get_or_init(|| {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Images {
            utility: Vec<String>,
        }
        const TEXT: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/images.toml"));
        let images: Images = toml::from_str(TEXT).unwrap_or_else(|e| panic!("grammars/images.toml: {e}"));
        images.utility.iter().map(|i| image_base(i)).collect()
    });
    let base = image_base(image);
    utility.contains(&base)
}

/// The names an image of this tree may be named after, longest first:
/// `acme/shop-cart` → `shop-cart`, `cart`; `${REGISTRY}/app:${TAG}-cart`
/// (name in the tag, the rest unresolved) → `cart`.
pub fn image_names(image: &str) -> Vec<String> {
    let without_placeholders = strip_placeholders(image);
    let base = image_base(&without_placeholders);
    let mut last = base.rsplit('/').next().unwrap_or(&base).to_owned();
    if last.is_empty() || image_base(image).contains('$') {
        // The repository is a placeholder; a tag like `${TAG}-cart` may carry the name.
        let tag = without_placeholders.rsplit_once(':').map_or("", |(_, tag)| tag);
        let tag = tag.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if tag.chars().any(|c| c.is_ascii_alphabetic()) {
            last = tag.to_owned();
        }
    }
    let mut names = Vec::new();
    if last.is_empty() {
        return names;
    }
    names.push(last.clone());
    for (i, c) in last.char_indices() {
        if matches!(c, '-' | '_' | '.') && i + 1 < last.len() {
            names.push(last[i + 1..].to_owned());
        }
    }
    names
}

/// `text` without `${…}` and `$NAME` placeholders.
fn strip_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        rest = match after.strip_prefix('{') {
            Some(inner) => inner.find('}').map_or("", |end| &inner[end + 1..]),
            None => after.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_'),
        };
    }
    out.push_str(rest);
    out
}

/// An image reference without registry, tag or digest: `ghcr.io/org/app:1` → `org/app`.
pub fn image_base(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    let mut parts: Vec<&str> = without_digest.split('/').collect();
    if let Some(last) = parts.last_mut() {
        *last = last.split(':').next().unwrap_or(last);
    }
    if parts.len() > 1 && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost") {
        parts.remove(0);
    }
    if parts.first() == Some(&"library") {
        parts.remove(0);
    }
    parts.join("/")
}

/// The system a URL points at: by scheme (`postgres://`) or host suffix (`*.supabase.co`).
pub fn by_url(url: &str) -> Option<&'static External> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let host = host_of(rest);
    all()
        .iter()
        .find(|e| e.hosts.iter().any(|h| host == *h || host.ends_with(&format!(".{h}"))))
        .or_else(|| all().iter().find(|e| e.schemes.contains(&scheme)))
}

/// The host of the part of a URL after `scheme://` (no user info, port or path).
pub fn host_of(rest: &str) -> String {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().unwrap_or(host_port).trim_start_matches('[')
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    host.to_ascii_lowercase()
}

/// The system an env var's name refers to (`STRIPE_SECRET_KEY` → stripe).
pub fn by_env_name(name: &str) -> Option<&'static External> {
    let upper = name.to_ascii_uppercase();
    let tokens: Vec<&str> = upper.split('_').collect();
    all().iter().find(|external| {
        external
            .env_tokens
            .iter()
            .any(|t| tokens.contains(&t.as_str()) || upper == *t || upper.starts_with(&format!("{t}_")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads_and_lookups_work() {
        assert!(all().len() > 25);
        let id = |e: Option<&'static External>| e.map(|e| e.id.as_str());
        assert_eq!(id(by_package("pypi", "psycopg2-binary")), Some("postgres"));
        assert_eq!(id(by_package("pypi", "sentry_sdk.integrations")), Some("sentry"));
        assert_eq!(id(by_package("npm", "@sentry/nextjs")), Some("sentry"));
        assert_eq!(id(by_package("go", "github.com/redis/go-redis/v9")), Some("redis"));
        assert_eq!(id(by_package("gradle", "org.postgresql:postgresql")), Some("postgres"));
        assert_eq!(id(by_package("npm", "react")), None);
        assert_eq!(id(by_image("postgres:16-alpine")), Some("postgres"));
        assert_eq!(id(by_image("docker.io/library/redis:7")), Some("redis"));
        assert_eq!(id(by_image("openzipkin/zipkin")), Some("zipkin"));
        assert_eq!(id(by_image("myorg/backend:1")), None);
        assert_eq!(id(by_url("postgresql+asyncpg://u:p@db:5432/app")), Some("postgres"));
        assert_eq!(id(by_url("https://abc.supabase.co")), Some("supabase"));
        assert_eq!(id(by_env_name("STRIPE_SECRET_KEY")), Some("stripe"));
        assert_eq!(id(by_env_name("NEXT_PUBLIC_SUPABASE_URL")), Some("supabase"));
        assert_eq!(id(by_env_name("DD_API_KEY")), Some("datadog"));
        assert_eq!(id(by_env_name("API_URL")), None);
        assert_eq!(image_base("ghcr.io/org/app:1.2@sha256:ab"), "org/app");
        assert_eq!(image_names("acme/shop-cart:1.0"), ["shop-cart", "cart"]);
        assert_eq!(image_names("${REGISTRY}/app:${TAG}-cart"), ["cart"]);
        assert_eq!(image_names("${IMAGE}:${TAG}-cart"), ["cart"]);
        assert_eq!(image_names("$REPO/api"), ["api"]);
        assert!(image_names("${IMAGE}:${TAG}").is_empty());
        assert!(is_utility_image("python:3.12-slim") && is_utility_image("docker.io/library/alpine"));
        assert!(!is_utility_image("postgres:16") && !is_utility_image("acme/python-api"));
        assert_eq!(host_of("user:pw@db.example.com:5432/x"), "db.example.com");
    }
}
