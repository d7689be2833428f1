//! The catalog of external systems (`grammars/externals.toml`, shaped as
//! `grammars/externals.schema.json`): which packages, images, URL schemes,
//! hosts and env var names reveal which system, under the canonical ids of
//! `pruv.scan/1`, and what role each system plays.
//!
//! Every entry is read into a typed record: an unknown key, a missing kind
//! or role, or a value of the wrong shape is refused with the entry's id.
//! Lookups take the most specific match (the longest package, host or env
//! token; a full image name before a short one), so no entry shadows
//! another by the order of the file.

use std::sync::OnceLock;

use serde::Deserialize;

use super::model::{Role, ServiceKind};

pub struct External {
    pub id: String,
    pub kind: ServiceKind,
    pub role: Role,
    /// (ecosystem, package names as written in the table).
    pub packages: Vec<(&'static str, Vec<String>)>,
    /// Image names without registry or tag: `postgis/postgis`, or a short
    /// name (`nginx`) that matches the last segment of any image.
    pub images: Vec<String>,
    pub schemes: Vec<String>,
    pub hosts: Vec<String>,
    pub env_tokens: Vec<String>,
    /// The port the system's server listens on by default, claimed by no other
    /// system of the table: an image nobody knows that listens there is it.
    pub ports: Vec<u16>,
    /// `packages`, ready for matching.
    matchers: Vec<(&'static str, Package)>,
    /// `env_tokens` as `_TOKEN_`, ready for matching.
    padded_tokens: Vec<String>,
}

/// A package name, lower-cased for matching.
struct Package {
    lower: String,
    /// With Python's `_` for `-`.
    normalised: String,
}

const TABLE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/externals.toml"));

/// The package ecosystems of the table, one key each: PyPI, npm, Go modules,
/// Maven (also Gradle), NuGet, crates.io, RubyGems, Composer (PHP), Hex
/// (Elixir, Erlang), pub (Dart, Flutter) and C/C++ native builds (CMake
/// `find_package` and pkg-config modules, vcpkg and Conan packages).
pub const ECOSYSTEMS: [&str; 11] =
    ["pypi", "npm", "go", "maven", "nuget", "cargo", "gem", "composer", "hex", "pub", "cmake"];

/// Image namespaces that republish other projects' images under their own names.
const MIRROR_NAMESPACES: [&str; 3] = ["bitnami", "bitnamilegacy", "bitnamisecure"];

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Datastore,
    External,
}

/// One entry of the table, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    kind: Kind,
    role: Role,
    #[serde(default)]
    pypi: Vec<String>,
    #[serde(default)]
    npm: Vec<String>,
    #[serde(default)]
    go: Vec<String>,
    #[serde(default)]
    maven: Vec<String>,
    #[serde(default)]
    nuget: Vec<String>,
    #[serde(default)]
    cargo: Vec<String>,
    #[serde(default)]
    gem: Vec<String>,
    #[serde(default)]
    composer: Vec<String>,
    #[serde(default)]
    hex: Vec<String>,
    #[serde(default, rename = "pub")]
    dart: Vec<String>,
    #[serde(default)]
    cmake: Vec<String>,
    #[serde(default)]
    images: Vec<String>,
    #[serde(default)]
    schemes: Vec<String>,
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    env: Vec<String>,
    #[serde(default)]
    ports: Vec<u16>,
}

pub fn all() -> &'static [External] {
    static ALL: OnceLock<Vec<External>> = OnceLock::new();
    ALL.get_or_init(|| parse(TABLE).unwrap_or_else(|e| panic!("grammars/externals.toml: {e}")))
}

fn parse(text: &str) -> Result<Vec<External>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    table
        .into_iter()
        .map(|(id, value)| {
            let entry: Entry = value.try_into().map_err(|e: toml::de::Error| format!("[{id}]: {}", e.message()))?;
            external(id.clone(), entry).map_err(|e| format!("[{id}]: {e}"))
        })
        .collect()
}

/// The entry's record, once its values are checked one by one (what can
/// only be seen across entries is `conflicts`' business).
fn external(id: String, entry: Entry) -> Result<External, String> {
    let Entry {
        kind,
        role,
        pypi,
        npm,
        go,
        maven,
        nuget,
        cargo,
        gem,
        composer,
        hex,
        dart,
        cmake,
        images,
        schemes,
        hosts,
        env,
        ports,
    } = entry;
    if !is_id(&id) {
        return Err("ids are lower-case letters, digits, `.` and `-`".to_owned());
    }
    // In the order of ECOSYSTEMS; the array's length is checked against it.
    let lists: [Vec<String>; ECOSYSTEMS.len()] = [pypi, npm, go, maven, nuget, cargo, gem, composer, hex, dart, cmake];
    let packages: Vec<(&'static str, Vec<String>)> =
        ECOSYSTEMS.into_iter().zip(lists).filter(|(_, list)| !list.is_empty()).collect();
    /// A value's form, per key.
    type Form = fn(&str) -> bool;
    let checks: [(&str, &[String], Form); 4] = [
        ("images", &images, |i| i == image_base(i) && i == i.to_ascii_lowercase()),
        ("schemes", &schemes, |s| {
            s.starts_with(|c: char| c.is_ascii_lowercase())
                && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+.-_".contains(c))
        }),
        ("hosts", &hosts, |h| {
            !h.starts_with('.')
                && h.contains('.')
                && h.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c))
        }),
        ("env", &env, |t| {
            !t.starts_with('_')
                && !t.ends_with('_')
                && !t.contains("__")
                && t.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        }),
    ];
    for (key, values, valid) in checks {
        if let Some(bad) = values.iter().find(|v| !valid(v)) {
            return Err(format!("{key}: {bad:?} is not in the table's form"));
        }
    }
    for (ecosystem, list) in &packages {
        if let Some(bad) = list.iter().find(|p| p.is_empty() || p.trim() != p.as_str() || p.contains(' ')) {
            return Err(format!("{ecosystem}: {bad:?} is not a package name"));
        }
    }
    let matchers = packages
        .iter()
        .flat_map(|(ecosystem, list)| {
            list.iter().map(|p| {
                let lower = p.to_ascii_lowercase();
                (*ecosystem, Package { normalised: lower.replace('-', "_"), lower })
            })
        })
        .collect();
    let padded_tokens = env.iter().map(|t| format!("_{t}_")).collect();
    Ok(External {
        id,
        kind: match kind {
            Kind::Datastore => ServiceKind::Datastore,
            Kind::External => ServiceKind::External,
        },
        role,
        packages,
        images,
        schemes,
        hosts,
        env_tokens: env,
        ports,
        matchers,
        padded_tokens,
    })
}

/// `[a-z0-9][a-z0-9.-]*`.
fn is_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

pub fn by_id(id: &str) -> Option<&'static External> {
    all().iter().find(|e| e.id == id)
}

/// The role of the system `id` names, when the catalog knows it.
pub fn role_of(id: &str) -> Option<Role> {
    by_id(id).map(|e| e.role)
}

/// Gradle and Maven builds name packages by the same coordinates.
pub fn package_ecosystem(ecosystem: &str) -> &str {
    if matches!(ecosystem, "gradle" | "sbt") { "maven" } else { ecosystem }
}

/// The one of `candidates` with the highest score (the first of equals).
fn best<'a>(candidates: impl Iterator<Item = (usize, &'a External)>) -> Option<&'a External> {
    let mut found: Option<(usize, &External)> = None;
    for (score, external) in candidates {
        if found.is_none_or(|(best, _)| score > best) {
            found = Some((score, external));
        }
    }
    found.map(|(_, external)| external)
}

/// The system a dependency or import names. `ecosystem` is the manifest's
/// (npm, pypi, …); code imports use their language's ecosystem. Java and
/// Kotlin build files (maven, gradle) share coordinates.
pub fn by_package(ecosystem: &str, name: &str) -> Option<&'static External> {
    find_package(all(), ecosystem, name)
}

fn find_package<'a>(list: &'a [External], ecosystem: &str, name: &str) -> Option<&'a External> {
    let ecosystem = package_ecosystem(ecosystem);
    let name = name.to_ascii_lowercase();
    let matches = |package: &Package| {
        if package.lower.ends_with('/') {
            return name.starts_with(&package.lower);
        }
        // Python modules use dots and underscores where distributions use dashes.
        let starts = |prefix: &str, separator: char| {
            name.len() > prefix.len() && name.starts_with(prefix) && name[prefix.len()..].starts_with(separator)
        };
        name == package.lower
            || name == package.normalised
            || starts(&package.lower, '/')
            || starts(&package.normalised, '.')
    };
    best(list.iter().filter_map(|external| {
        let longest = external
            .matchers
            .iter()
            .filter(|(e, package)| *e == ecosystem && matches(package))
            .map(|(_, package)| package.lower.len())
            .max()?;
        Some((longest, external))
    }))
}

/// Literals one of which an import must contain to name a package of
/// `ecosystem` that `by_package` knows: each package name (its group, for
/// Maven coordinates: Java code imports the group's packages), and the
/// name with Python's `_` for `-`.
pub fn import_literals(ecosystem: &str) -> Vec<String> {
    let mut literals: Vec<String> = all()
        .iter()
        .flat_map(|external| external.packages.iter().filter(|(e, _)| *e == ecosystem).flat_map(|(_, p)| p))
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

/// The system a container image runs (`postgres:16-alpine`,
/// `docker.io/library/redis`, `mcr.microsoft.com/mssql/server:2022-latest`,
/// `bitnami/postgresql`, `public.ecr.aws/docker/library/mongo`).
pub fn by_image(image: &str) -> Option<&'static External> {
    find_image(all(), image)
}

/// The system whose server listens on `port` by default (`3306` → MySQL).
/// Each port belongs to at most one system of the table (`conflicts` checks).
pub fn by_port(port: u16) -> Option<&'static External> {
    all().iter().find(|e| e.ports.contains(&port))
}

/// The system an Aspire hosting method starts (`Redis` of `AddRedis`): `grammars/aspire.toml`.
pub fn aspire_system(method: &str) -> Option<&'static str> {
    static SYSTEMS: OnceLock<std::collections::BTreeMap<String, String>> = OnceLock::new();
    let systems = SYSTEMS.get_or_init(|| {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Aspire {
            systems: std::collections::BTreeMap<String, String>,
        }
        const TEXT: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/aspire.toml"));
        let table: Aspire = toml::from_str(TEXT).unwrap_or_else(|e| panic!("grammars/aspire.toml: {e}"));
        table.systems
    });
    systems.get(method).map(String::as_str).filter(|id| by_id(id).is_some())
}

#[cfg(test)]
#[test]
fn every_aspire_system_is_in_the_catalog() {
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/aspire.toml"));
    let table: toml::Table = text.parse().unwrap();
    for (method, id) in table["systems"].as_table().unwrap() {
        assert!(by_id(id.as_str().unwrap()).is_some(), "{method} = {id} is not in grammars/externals.toml");
    }
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

fn find_image<'a>(list: &'a [External], image: &str) -> Option<&'a External> {
    let base = image_base(image);
    let mut segments = base.split('/');
    let first = segments.next().unwrap_or("");
    // `bitnamilegacy/redis` is `bitnami/redis`.
    let base = match MIRROR_NAMESPACES.contains(&first) && first != "bitnami" {
        true => format!("bitnami{}", &base[first.len()..]),
        false => base.clone(),
    };
    let mirrored = base.strip_prefix("bitnami/").filter(|rest| !rest.contains('/'));
    let last = base.rsplit('/').next().unwrap_or(&base);
    // A distribution's image named after the system it packages, as its
    // last word (`eventuateio/eventuate-kafka`, `acme/ftgo-mysql8`); never a
    // tool for it, whose last word is the tool (`redis-exporter`, `kafka-ui`).
    let last_word = last
        .rsplit_once('-')
        .map(|(_, word)| word.trim_end_matches(|c: char| c.is_ascii_digit()))
        .filter(|word| !word.is_empty());
    best(list.iter().filter_map(|external| {
        let score = external
            .images
            .iter()
            .map(|known| {
                if *known == base {
                    4
                } else if known.contains('/') {
                    0
                } else if mirrored == Some(known.as_str()) {
                    3
                } else if last == known {
                    2
                } else if last_word == Some(known.as_str()) {
                    1
                } else {
                    0
                }
            })
            .max()
            .unwrap_or(0)
            // A mirror's image named after the system: `bitnami/mongodb`.
            .max(if mirrored == Some(external.id.as_str()) { 3 } else { 0 });
        (score > 0).then_some((score, external))
    }))
}

/// An image reference without registry, tag or digest: `ghcr.io/org/app:1` → `org/app`;
/// Docker's official images lose their `library/` (`docker.io/library/redis` →
/// `redis`), also as mirrored by ECR Public (`public.ecr.aws/docker/library/redis`).
pub fn image_base(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    let mut parts: Vec<&str> = without_digest.split('/').collect();
    if let Some(last) = parts.last_mut() {
        *last = last.split(':').next().unwrap_or(last);
    }
    if parts.len() > 1 && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost") {
        parts.remove(0);
    }
    if parts.len() > 2 && parts[0] == "docker" && parts[1] == "library" {
        parts.drain(..2);
    }
    if parts.len() > 1 && parts[0] == "library" {
        parts.remove(0);
    }
    parts.join("/")
}

/// The system a URL points at: by host suffix (`*.supabase.co`, the longest
/// known suffix first), else by scheme (`postgres://`).
pub fn by_url(url: &str) -> Option<&'static External> {
    find_url(all(), url)
}

fn find_url<'a>(list: &'a [External], url: &str) -> Option<&'a External> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let host = host_of(rest);
    best(list.iter().filter_map(|external| {
        let longest = external
            .hosts
            .iter()
            .filter(|h| host == **h || host.strip_suffix(h.as_str()).is_some_and(|head| head.ends_with('.')))
            .map(String::len)
            .max()?;
        Some((longest, external))
    }))
    .or_else(|| list.iter().find(|e| e.schemes.contains(&scheme)))
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

/// The system an env var's name refers to: a token is a run of whole
/// `_`-separated words (`STRIPE_SECRET_KEY` has `STRIPE`,
/// `NEXT_PUBLIC_GOOGLE_MAPS_KEY` has `GOOGLE_MAPS`); the longest wins.
pub fn by_env_name(name: &str) -> Option<&'static External> {
    find_env_name(all(), name)
}

fn find_env_name<'a>(list: &'a [External], name: &str) -> Option<&'a External> {
    let padded = format!("_{}_", name.to_ascii_uppercase());
    best(list.iter().filter_map(|external| {
        let longest = external.padded_tokens.iter().filter(|t| padded.contains(t.as_str())).map(String::len).max()?;
        Some((longest, external))
    }))
}

/// What no single entry shows: a package, image, scheme, host or env token
/// claimed by two systems, or one that a lookup would give to another
/// system than the one that lists it. Empty for a sound table (a test
/// holds the real one to that).
#[cfg(test)]
fn conflicts(list: &[External]) -> Vec<String> {
    use std::collections::BTreeMap;

    let mut problems = Vec::new();
    let mut claimed: BTreeMap<(&str, String), &str> = BTreeMap::new();
    let mut ids = std::collections::BTreeSet::new();
    for external in list {
        if !ids.insert(external.id.as_str()) {
            problems.push(format!("[{}] is listed twice", external.id));
        }
        let id = external.id.as_str();
        let mut values: Vec<(&str, String)> = Vec::new();
        for (ecosystem, packages) in &external.packages {
            values.extend(packages.iter().map(|p| (*ecosystem, p.to_ascii_lowercase())));
        }
        values.extend(external.images.iter().map(|i| ("images", i.clone())));
        values.extend(external.schemes.iter().map(|s| ("schemes", s.clone())));
        values.extend(external.hosts.iter().map(|h| ("hosts", h.clone())));
        values.extend(external.env_tokens.iter().map(|t| ("env", t.clone())));
        values.extend(external.ports.iter().map(|p| ("ports", p.to_string())));
        for (what, value) in values {
            match claimed.get(&(what, value.clone())) {
                Some(other) if *other == id => problems.push(format!("[{id}]: {what} {value:?} is listed twice")),
                Some(other) => problems.push(format!("{what} {value:?} is claimed by [{other}] and [{id}]")),
                None => {
                    claimed.insert((what, value), id);
                }
            }
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    // Each value leads back to its own system.
    for external in list {
        let id = external.id.as_str();
        let mut check = |what: &str, value: &str, found: Option<&External>| {
            let found = found.map(|e| e.id.as_str());
            if found != Some(id) {
                problems.push(format!("[{id}]: {what} {value:?} is found as {found:?}"));
            }
        };
        for (ecosystem, packages) in &external.packages {
            for package in packages {
                // A prefix (`@sentry/`) is found through the packages it covers.
                let name = if package.ends_with('/') { format!("{package}x") } else { package.clone() };
                check(ecosystem, package, find_package(list, ecosystem, &name));
            }
        }
        for image in &external.images {
            check("image", image, find_image(list, image));
            if !image.contains('/') {
                check("image", image, find_image(list, &format!("bitnami/{image}:1")));
                check("image", image, find_image(list, &format!("docker.io/library/{image}:latest")));
            }
        }
        for scheme in &external.schemes {
            check("scheme", scheme, find_url(list, &format!("{scheme}://somewhere.invalid:1/x")));
        }
        for host in &external.hosts {
            check("host", host, find_url(list, &format!("https://{host}/x")));
            check("host", host, find_url(list, &format!("https://tenant.{host}/x")));
        }
        for token in &external.env_tokens {
            check("env token", token, find_env_name(list, &format!("APP_{token}_URL")));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(external: Option<&External>) -> Option<&str> {
        external.map(|e| e.id.as_str())
    }

    #[test]
    fn table_loads_and_lookups_work() {
        assert_eq!(id(by_package("pypi", "psycopg2-binary")), Some("postgres"));
        assert_eq!(id(by_package("pypi", "sentry_sdk.integrations")), Some("sentry"));
        // Regression: kombu is Celery's broker-agnostic messaging layer (Redis,
        // SQS, AMQP), not RabbitMQ's client.
        assert_eq!(id(by_package("pypi", "kombu.serialization")), None);
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
        assert_eq!(id(by_url("https://ws.audioscrobbler.com/2.0/")), Some("lastfm"));
        // An avatar URL written into pages is loaded by the browser, not called.
        assert_eq!(id(by_url("https://www.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346")), None);
        assert_eq!(id(by_env_name("STRIPE_SECRET_KEY")), Some("stripe"));
        assert_eq!(id(by_env_name("NEXT_PUBLIC_SUPABASE_URL")), Some("supabase"));
        assert_eq!(id(by_env_name("DD_API_KEY")), Some("datadog"));
        assert_eq!(id(by_env_name("API_URL")), None);
        assert_eq!(image_base("ghcr.io/org/app:1.2@sha256:ab"), "org/app");
        assert_eq!(image_names("acme/shop-cart:1.0"), ["shop-cart", "cart"]);
        assert_eq!((aspire_system("Redis"), aspire_system("Unheard")), (Some("redis"), None));
        assert_eq!(image_names("${REGISTRY}/app:${TAG}-cart"), ["cart"]);
        assert_eq!(image_names("${IMAGE}:${TAG}-cart"), ["cart"]);
        assert_eq!(image_names("$REPO/api"), ["api"]);
        assert!(image_names("${IMAGE}:${TAG}").is_empty());
        assert!(is_utility_image("python:3.12-slim") && is_utility_image("docker.io/library/alpine"));
        assert!(!is_utility_image("postgres:16") && !is_utility_image("acme/python-api"));
        assert!(
            is_utility_image("gcr.io/google.com/cloudsdktool/cloud-sdk:emulators")
                && is_utility_image("minio/mc:latest")
        );
        assert_eq!(host_of("user:pw@db.example.com:5432/x"), "db.example.com");
    }

    #[test]
    fn the_catalog_is_valid_and_unambiguous() {
        let list = all();
        assert!(list.len() >= 150, "{} systems", list.len());
        for external in list {
            assert!(is_id(&external.id), "[{}]", external.id);
        }
        let problems = conflicts(list);
        assert!(problems.is_empty(), "grammars/externals.toml:\n{}", problems.join("\n"));
        for role in Role::ALL {
            assert!(list.iter().any(|e| e.role == role), "no system has the role {}", role.as_str());
        }
    }

    #[test]
    fn every_system_has_its_role() {
        let role = |id: &str| role_of(id).map(Role::as_str);
        for (system, expected) in [
            ("redis", "datastore"),
            ("postgres", "datastore"),
            ("supabase", "datastore"),
            ("kafka", "queue"),
            ("rabbitmq", "queue"),
            ("nats", "queue"),
            ("sqs", "queue"),
            ("sns", "queue"),
            ("stripe", "api"),
            ("openai", "api"),
            ("smtp", "api"),
            ("auth0", "identity"),
            ("clerk", "identity"),
            ("ldap", "identity"),
            ("sentry", "observability"),
            ("datadog", "observability"),
            ("opentelemetry-collector", "observability"),
            ("cloud-profiler", "observability"),
            ("posthog", "observability"),
            ("nginx", "infrastructure"),
            ("zookeeper", "infrastructure"),
        ] {
            assert_eq!(role(system), Some(expected), "{system}");
        }
        assert_eq!(role("myorg-backend"), None);
    }

    #[test]
    fn entries_are_typed_and_refused_with_their_id() {
        let entry = |body: &str| parse(&format!("[acme]\n{body}")).err().unwrap_or_default();
        let unknown = entry("kind = \"external\"\nrole = \"api\"\nnpm = [\"acme\"]\nwebsite = [\"acme.example\"]");
        assert!(unknown.contains("[acme]") && unknown.contains("website"), "{unknown}");
        let no_role = entry("kind = \"external\"\nnpm = [\"acme\"]");
        assert!(no_role.contains("[acme]") && no_role.contains("role"), "{no_role}");
        let bad_role = entry("kind = \"external\"\nrole = \"database\"\nnpm = [\"acme\"]");
        assert!(bad_role.contains("[acme]") && bad_role.contains("database"), "{bad_role}");
        let bad_kind = entry("kind = \"service\"\nrole = \"api\"\nnpm = [\"acme\"]");
        assert!(bad_kind.contains("[acme]"), "{bad_kind}");
        let not_a_list = entry("kind = \"external\"\nrole = \"api\"\nnpm = \"acme\"");
        assert!(not_a_list.contains("[acme]"), "{not_a_list}");
        let registry = entry("kind = \"external\"\nrole = \"api\"\nimages = [\"docker.io/acme/acme\"]");
        assert!(registry.contains("[acme]") && registry.contains("images"), "{registry}");
        let lower_env = entry("kind = \"external\"\nrole = \"api\"\nenv = [\"acme\"]");
        assert!(lower_env.contains("env"), "{lower_env}");
        let upper_id = parse("[Acme]\nkind = \"external\"\nrole = \"api\"\nnpm = [\"acme\"]").err().unwrap_or_default();
        assert!(upper_id.contains("[Acme]"), "{upper_id}");
        // TOML itself refuses a table defined twice.
        let twice = "[acme]\nkind = \"external\"\nrole = \"api\"\nnpm = [\"a\"]\n";
        assert!(parse(&format!("{twice}{twice}")).is_err());
        let fine = parse("[acme]\nkind = \"datastore\"\nrole = \"queue\"\nhex = [\"acme_ex\"]\npub = [\"acme_dart\"]")
            .unwrap();
        assert_eq!((fine[0].kind, fine[0].role), (ServiceKind::Datastore, Role::Queue));
        assert_eq!(fine[0].packages, vec![("hex", vec!["acme_ex".to_owned()]), ("pub", vec!["acme_dart".to_owned()])]);
        // Known by its id alone: an image-only service named `acme` takes its role.
        let by_id_alone = parse("[acme]\nkind = \"external\"\nrole = \"infrastructure\"").unwrap();
        assert!(by_id_alone[0].images.is_empty() && by_id_alone[0].packages.is_empty());
    }

    #[test]
    fn a_value_claimed_by_two_systems_is_a_conflict() {
        let list = parse(
            "[one]\nkind = \"external\"\nrole = \"api\"\nimages = [\"acme/server\"]\nenv = [\"ACME\"]\n\
             [two]\nkind = \"external\"\nrole = \"api\"\nimages = [\"acme/server\"]\nenv = [\"ACME\"]\n",
        )
        .unwrap();
        let problems = conflicts(&list);
        assert!(problems.iter().any(|p| p.contains("acme/server") && p.contains("[one]") && p.contains("[two]")));
        assert!(problems.iter().any(|p| p.contains("ACME")));
        // A short image that another system lists by its full name is found as the latter.
        let list = parse(
            "[one]\nkind = \"external\"\nrole = \"api\"\nimages = [\"server\"]\n\
             [two]\nkind = \"external\"\nrole = \"api\"\nimages = [\"acme/server\"]\n",
        )
        .unwrap();
        assert!(conflicts(&list).is_empty());
        assert_eq!(id(find_image(&list, "acme/server:2")), Some("two"));
        assert_eq!(id(find_image(&list, "other/server:2")), Some("one"));
    }

    #[test]
    fn images_are_known_under_registries_mirrors_and_vendor_names() {
        for (image, expected) in [
            ("mysql/mysql-server:8.0", "mysql"),
            ("mariadb:11", "mysql"),
            ("clickhouse/clickhouse-server:24.3", "clickhouse"),
            ("bitnami/redis:7.2", "redis"),
            ("bitnami/postgresql:16", "postgres"),
            ("bitnami/mongodb:7.0", "mongodb"),
            ("bitnami/kafka:3.7", "kafka"),
            ("bitnamilegacy/rabbitmq:3.13", "rabbitmq"),
            ("docker.io/bitnami/zookeeper:3.9", "zookeeper"),
            ("docker.io/library/postgres:16", "postgres"),
            ("library/haproxy:2.9", "haproxy"),
            ("mcr.microsoft.com/mssql/server:2022-latest", "sqlserver"),
            ("mcr.microsoft.com/azure-storage/azurite", "azure-blob"),
            ("quay.io/keycloak/keycloak:25.0", "keycloak"),
            ("quay.io/coreos/etcd:v3.5.13", "etcd"),
            (
                "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.100.0",
                "opentelemetry-collector",
            ),
            ("otel/opentelemetry-collector-contrib:0.100.0", "opentelemetry-collector"),
            ("public.ecr.aws/docker/library/redis:7", "redis"),
            ("public.ecr.aws/bitnami/postgresql:16", "postgres"),
            ("public.ecr.aws/localstack/localstack:3", "localstack"),
            ("gcr.io/datadoghq/agent:7", "datadog"),
            ("docker.elastic.co/elasticsearch/elasticsearch:8.13.0", "elasticsearch"),
            ("docker.elastic.co/kibana/kibana:8.13.0", "kibana"),
            ("opensearchproject/opensearch:2", "opensearch"),
            ("minio/minio:RELEASE.2024-05-10T01-41-38Z", "minio"),
            ("quay.io/minio/minio", "minio"),
            ("docker.redpanda.com/redpandadata/redpanda:v24.1.1", "kafka"),
            ("timescale/timescaledb:latest-pg16", "postgres"),
            ("registry.k8s.io/ingress-nginx/controller:v1.10.1", "nginx"),
            ("localhost:5000/traefik:v3.0", "traefik"),
            ("grafana/grafana:10.4.2", "grafana"),
            ("grafana/loki:3.0.0", "loki"),
            ("jaegertracing/all-in-one:1.57", "jaeger"),
            ("daprio/daprd:1.13.2", "dapr"),
            ("container-registry.oracle.com/database/free:latest", "oracle"),
            ("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0", "cloud-sql-proxy"),
            ("eclipse-mosquitto:2", "mqtt"),
            // A distribution named after what it packages, by its last word.
            ("eventuateio/eventuate-kafka:0.3.0", "kafka"),
            ("acme/shop-mysql8:1", "mysql"),
            ("ghcr.io/valkey-io/valkey:9.0.4-alpine", "redis"),
            ("cnadiminti/dynamodb-local:2017", "dynamodb"),
            // A mail catcher stands in for the SMTP server it replaces.
            ("oryd/mailslurper:latest-smtps", "smtp"),
            ("maildev/maildev:2.1.0", "smtp"),
            ("axllent/mailpit", "smtp"),
            // Regression: GreenMail's image was the external `standalone`.
            ("docker.io/greenmail/standalone:2.1.11", "smtp"),
        ] {
            assert_eq!(id(by_image(image)), Some(expected), "{image}");
        }
        for image in [
            "myorg/backend:1",
            "gcr.io/distroless/base",
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "python:3.12-slim",
            "bitnami/unknown-thing",
            // A tool for a system is not the system.
            "oliver006/redis_exporter",
            "acme/redis-exporter",
            "acme/kafka-ui-lite",
        ] {
            assert_eq!(id(by_image(image)), None, "{image}");
        }
        assert_eq!(image_base("public.ecr.aws/docker/library/redis:7"), "redis");
        assert_eq!(image_base("docker.io/library/redis@sha256:ab"), "redis");
        // A web server's image is what projects build their own frontends on:
        // not known as an image, but by id, which is what an image-only service is named.
        assert_eq!(id(by_image("nginx:1.27-alpine")), None);
        assert_eq!(role_of(&image_base("nginx:1.27-alpine")), Some(Role::Infrastructure));
    }

    #[test]
    fn lookups_take_the_most_specific_match() {
        assert_eq!(id(by_env_name("AZURE_OPENAI_API_KEY")), Some("azure-openai"));
        assert_eq!(id(by_env_name("OPENAI_API_KEY")), Some("openai"));
        assert_eq!(id(by_env_name("ELASTIC_APM_SERVER_URL")), Some("elastic-apm"));
        assert_eq!(id(by_env_name("ELASTICSEARCH_URL")), Some("elasticsearch"));
        assert_eq!(id(by_env_name("NEXT_PUBLIC_GOOGLE_MAPS_API_KEY")), Some("google-maps"));
        assert_eq!(id(by_env_name("CLOUDFLARE_R2_BUCKET")), Some("r2"));
        assert_eq!(id(by_env_name("CLOUDFLARE_API_TOKEN")), Some("cloudflare"));
        assert_eq!(id(by_env_name("AZURE_KEY_VAULT_NAME")), Some("azure-keyvault"));
        assert_eq!(id(by_env_name("VAULT_ADDR")), Some("vault"));
        assert_eq!(id(by_env_name("SMTP_HOST")), Some("smtp"));
        assert_eq!(id(by_env_name("SESSION_SECRET")), None);
        assert_eq!(id(by_url("https://storage.googleapis.com/bucket/x")), Some("gcs"));
        assert_eq!(id(by_url("https://sheets.googleapis.com/v4/spreadsheets")), Some("google"));
        assert_eq!(id(by_url("https://maps.googleapis.com/maps/api/geocode/json")), Some("google-maps"));
        assert_eq!(id(by_url("https://myco.openai.azure.com/openai")), Some("azure-openai"));
        assert_eq!(id(by_url("https://login.microsoftonline.com/tenant/v2.0")), Some("azure-ad"));
        assert_eq!(id(by_url("https://acct.r2.cloudflarestorage.com")), Some("r2"));
        assert_eq!(id(by_url("https://api.pushbullet.com/v2/pushes")), Some("pushbullet"));
        assert_eq!(id(by_url("https://api.trello.com/1/cards")), Some("trello"));
        assert_eq!(id(by_url("https://ntfy.sh/alerts")), Some("ntfy"));
        assert_eq!(id(by_url("https://notr2.dev")), None);
        assert_eq!(id(by_url("smtp://mail.example.com:587")), Some("smtp"));
        assert_eq!(id(by_url("ldaps://dc.example.com")), Some("ldap"));
        assert_eq!(id(by_url("cockroachdb://root@db:26257/app")), Some("cockroachdb"));
        assert_eq!(id(by_package("go", "github.com/aws/aws-sdk-go-v2/service/sesv2")), Some("ses"));
        assert_eq!(id(by_package("go", "github.com/aws/aws-sdk-go-v2/service/s3/types")), Some("s3"));
        assert_eq!(id(by_package("go", "net/smtp")), Some("smtp"));
        assert_eq!(id(by_package("pypi", "google.cloud.bigquery.table")), Some("bigquery"));
        assert_eq!(id(by_package("pypi", "google.cloud.pubsub_v1")), Some("google-pubsub"));
        assert_eq!(id(by_package("pypi", "paho.mqtt.client")), Some("mqtt"));
        assert_eq!(id(by_package("npm", "@okta/okta-auth-js")), Some("okta"));
        assert_eq!(id(by_package("npm", "nanoid")), None);
        assert_eq!(id(by_package("nuget", "Azure.AI.OpenAI")), Some("azure-openai"));
        assert_eq!(id(by_package("maven", "com.h2database:h2")), Some("h2"));
    }

    #[test]
    fn every_ecosystem_of_the_table_is_looked_up() {
        for (ecosystem, package, expected) in [
            ("pypi", "clickhouse-connect", "clickhouse"),
            ("npm", "@clickhouse/client", "clickhouse"),
            ("go", "github.com/ClickHouse/clickhouse-go/v2", "clickhouse"),
            ("maven", "com.clickhouse:clickhouse-jdbc", "clickhouse"),
            ("nuget", "ClickHouse.Client", "clickhouse"),
            ("cargo", "clickhouse", "clickhouse"),
            ("gem", "click_house", "clickhouse"),
            ("composer", "predis/predis", "redis"),
            ("hex", "postgrex", "postgres"),
            ("pub", "firebase_messaging", "firebase"),
            ("cmake", "hiredis", "redis"),
            // Spring Cloud Bus and Stream reach their broker through a starter.
            ("maven", "org.springframework.cloud:spring-cloud-starter-bus-amqp", "rabbitmq"),
            ("maven", "org.springframework.cloud:spring-cloud-starter-bus-kafka", "kafka"),
            ("maven", "com.google.cloud:google-cloud-kms", "google-cloud-kms"),
        ] {
            assert!(ECOSYSTEMS.contains(&ecosystem));
            assert_eq!(id(by_package(ecosystem, package)), Some(expected), "{ecosystem} {package}");
        }
        let used: std::collections::BTreeSet<&str> =
            all().iter().flat_map(|e| e.packages.iter().map(|(eco, _)| *eco)).collect();
        assert_eq!(used, ECOSYSTEMS.into_iter().collect());
    }

    #[test]
    fn the_schema_describes_the_table() {
        let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/externals.schema.json"));
        let schema: serde_json::Value = serde_json::from_str(text).unwrap();
        let system = &schema["$defs"]["system"];
        let keys: std::collections::BTreeSet<&str> =
            system["properties"].as_object().unwrap().keys().map(String::as_str).collect();
        let expected: std::collections::BTreeSet<&str> =
            ["kind", "role", "images", "schemes", "hosts", "env", "ports"].into_iter().chain(ECOSYSTEMS).collect();
        assert_eq!(keys, expected);
        assert_eq!(system["additionalProperties"], serde_json::json!(false));
        assert_eq!(system["required"], serde_json::json!(["kind", "role"]));
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(system["properties"]["role"]["enum"], serde_json::json!(roles));
        assert_eq!(system["properties"]["kind"]["enum"], serde_json::json!(["datastore", "external"]));
        for role in Role::ALL {
            assert_eq!(serde_json::to_value(role).unwrap(), serde_json::json!(role.as_str()));
        }
    }
}
