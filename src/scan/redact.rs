//! Values of env vars reduced to what inference needs, before anything
//! keeps them. A file's results are cached in the store and end up in
//! scan documents; a `.env` or a compose file holds credentials. So every
//! value a configuration file gives is cut down, where the file's facts are
//! made, to its address part: `scheme://host:port`, `host:port`, a bare
//! host-like word, a port, or a `${VAR}` reference. Userinfo, paths, query
//! strings and anything that does not look like an address are dropped.

use super::config::yaml::{Node, Yaml};
use super::config::{ConfigFacts, EnvEntry, KubeObjects};
use super::facts::FactKind;
use super::process::Processed;

/// What a dropped value becomes: still "set", never an address (no `:`,
/// `/` or `$`), so nothing resolves from it.
pub const REDACTED: &str = "<redacted>";

/// Words of a variable's name that say its value is a credential.
const SECRET_WORDS: [&str; 20] = [
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "KEY",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "AUTH",
    "PRIVATE",
    "SALT",
    "SIGNATURE",
    "CERT",
    "JWT",
    "SESSION",
    "COOKIE",
    "OTP",
    "PIN",
];

/// A bare word at least this long, of letters and digits and without a
/// dot, is more likely a token than a host name.
const TOKEN_LIKE_LEN: usize = 20;

/// Whether `name` says its value is a credential (`DB_PASSWORD`, `API_KEY`).
pub fn secret_name(name: &str) -> bool {
    name.to_ascii_uppercase().split(['_', '-', '.']).any(|word| SECRET_WORDS.contains(&word))
}

/// The part of `value` (of variable `name`) worth keeping, or [`REDACTED`].
pub fn env_value(name: &str, value: &str) -> String {
    reduce(name, value.trim()).unwrap_or_else(|| REDACTED.to_owned())
}

/// The address part of a URL-like string (`postgres://u:p@db:5432/x` →
/// `postgres://db:5432`), or `None` when it has none.
pub fn url(value: &str) -> Option<String> {
    let (scheme, rest) = value.trim().split_once("://")?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-' | ':')) {
        return None;
    }
    let authority = authority(rest);
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    if host_port.is_empty() {
        return Some(format!("{scheme}://"));
    }
    if !host_port_like(host_port) {
        return None;
    }
    // Dapr's service invocation names the application it calls in the path
    // (`/v1.0/invoke/basket-api/method/…`): that id is part of the address.
    let invoked = rest
        .split_once(crate::scan::config::DAPR_INVOKE)
        .map(|(_, after)| after.split(['/', '?', '#']).next().unwrap_or_default())
        .filter(|app| {
            !app.is_empty() && app.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    Some(match invoked {
        Some(app) => format!("{scheme}://{host_port}{}{app}", crate::scan::config::DAPR_INVOKE),
        None => format!("{scheme}://{host_port}"),
    })
}

fn reduce(name: &str, value: &str) -> Option<String> {
    if value.is_empty() {
        return Some(String::new());
    }
    if let Some(reference) = reference(name, value) {
        return Some(reference);
    }
    if value.contains("://") {
        return url(value);
    }
    if secret_name(name) && !address_name(name) {
        return None;
    }
    if value.contains(':') {
        // `host:port`, maybe followed by a path (`db:5432/app`): the path goes.
        let authority = authority(value);
        if authority.contains(':') && !authority.contains('@') && host_port_like(authority) {
            return Some(authority.to_owned());
        }
    }
    // A host, a port, a version, a relative path or an image reference
    // (`web/Dockerfile`, `node:20`): values compose interpolates into a
    // service's definition. Not one that holds anything token-like.
    let word_like = value.len() <= 253
        && !value.contains("//")
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | ':'));
    let token_like = value.split(['/', ':']).any(|part| {
        part.len() >= TOKEN_LIKE_LEN
            && !part.contains('.')
            && part.chars().any(|c| c.is_ascii_digit())
            && part.chars().any(|c| c.is_ascii_alphabetic())
    });
    (word_like && !token_like).then(|| value.to_owned())
}

/// A URL relative to the page's origin: `/api/items`, `api/queries/1`; not
/// `//cdn.example.com/x`, `db:5432/app` or `example.com/api`.
fn is_relative_url(text: &str) -> bool {
    if let Some(path) = text.strip_prefix('/') {
        return !path.starts_with('/');
    }
    text.split_once('/').is_some_and(|(first, _)| !first.is_empty() && !first.contains([':', '.', '@']))
}

/// Whether `name` says its value is an address (`REDIS_HOST`, `AUTH_URL`).
fn address_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["HOST", "ADDR", "ADDRESS", "URL", "URI", "SERVER", "ENDPOINT", "HOSTNAME", "PORT"]
        .iter()
        .any(|suffix| upper.ends_with(suffix))
}

/// A whole value that is one reference to another variable: `$VAR`,
/// `${VAR}`, `${VAR:-default}` (the default reduced in turn), `${VAR:?message}`
/// (the message dropped).
fn reference(name: &str, value: &str) -> Option<String> {
    if let Some(bare) = value.strip_prefix('$')
        && !bare.starts_with('{')
        && is_var_name(bare)
    {
        return Some(value.to_owned());
    }
    let inner = value.strip_prefix("${")?.strip_suffix('}')?;
    if inner.contains(['{', '}']) {
        return None;
    }
    let end = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
    let (var, modifier) = inner.split_at(end);
    if !is_var_name(var) {
        return None;
    }
    let op_len = if modifier.starts_with(":-") || modifier.starts_with(":?") || modifier.starts_with(":+") {
        2
    } else {
        usize::from(!modifier.is_empty())
    };
    let (op, rest) = modifier.split_at(op_len.min(modifier.len()));
    Some(match op {
        "" => format!("${{{var}}}"),
        ":?" | "?" => format!("${{{var}{op}}}"),
        _ => match reduce(name, rest) {
            Some(kept) => format!("${{{var}{op}{kept}}}"),
            None => format!("${{{var}{op}{REDACTED}}}"),
        },
    })
}

fn is_var_name(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `rest` of a URL up to its path, query or fragment.
fn authority(rest: &str) -> &str {
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// A host name, an IP address or a `${VAR}` reference standing for one.
fn host_like(text: &str) -> bool {
    if text.is_empty() || text.len() > 253 {
        return false;
    }
    if is_reference(text) {
        return true;
    }
    text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn is_reference(text: &str) -> bool {
    text.strip_prefix("${").and_then(|t| t.strip_suffix('}')).is_some_and(|inner| {
        let var = inner.split([':', '-', '?', '+']).next().unwrap_or(inner);
        is_var_name(var) && !inner.contains(['{', '}', '@', '/'])
    }) || text.strip_prefix('$').is_some_and(is_var_name)
}

/// `host`, `host:port`, `[::1]:port`, with references allowed for either part.
fn host_port_like(text: &str) -> bool {
    if let Some(v6) = text.strip_prefix('[') {
        let Some((address, rest)) = v6.split_once(']') else { return false };
        return address.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            && (rest.is_empty() || rest.strip_prefix(':').is_some_and(port_like));
    }
    // A reference may itself hold `:-default`; split at the last `:` outside `${…}`.
    let split = last_colon_outside_braces(text);
    match split {
        Some(at) => host_like(&text[..at]) && port_like(&text[at + 1..]),
        None => host_like(text),
    }
}

fn last_colon_outside_braces(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut last = None;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => last = Some(i),
            _ => {}
        }
    }
    last
}

fn port_like(text: &str) -> bool {
    (!text.is_empty() && text.len() <= 5 && text.chars().all(|c| c.is_ascii_digit())) || is_reference(text)
}

fn entry(entry: &mut EnvEntry) {
    if let Some(value) = &mut entry.value {
        *value = env_value(&entry.name, value);
    }
}

fn entries(list: &mut [EnvEntry]) {
    list.iter_mut().for_each(entry);
}

/// Reduces every value `processed` holds (its configuration and the URLs
/// its code names) to its address part.
pub fn processed(processed: &mut Processed) {
    for fact in &mut processed.code {
        match &mut fact.kind {
            // A path on the page's own origin (`fetch("/api/items")`): only that it is one.
            FactKind::Target { url: Some(text), .. } if is_relative_url(text) => *text = "/".to_owned(),
            FactKind::Target { url: Some(text), .. } | FactKind::Literal { url: text } => {
                // A client may name its target by a bare service name (`@FeignClient("stats")`).
                let bare = host_like(text).then(|| text.clone());
                *text = url(text).or(bare).unwrap_or_else(|| REDACTED.to_owned());
            }
            FactKind::EnvRead { name, fallback: Some(value), .. } => *value = env_value(name, value),
            _ => {}
        }
    }
    let Some((_, facts)) = &mut processed.config else { return };
    match facts {
        ConfigFacts::Dotenv(list) | ConfigFacts::Workflow(list) => entries(list),
        ConfigFacts::Dockerfile(dockerfile) => entries(&mut dockerfile.env),
        ConfigFacts::Kubernetes(objects) => kube_objects(objects),
        ConfigFacts::HelmRendered(chart) => chart.templates.iter_mut().for_each(|(_, objects)| kube_objects(objects)),
        ConfigFacts::Spring { reads, targets, .. } => {
            entries(reads);
            for target in targets {
                target.url =
                    url(&target.url).unwrap_or_else(|| env_value(target.via.as_deref().unwrap_or(""), &target.url));
            }
        }
        ConfigFacts::Proxy { targets, .. } => {
            for target in targets.iter_mut().filter(|t| !t.url.is_empty()) {
                target.url = url(&target.url).unwrap_or_default();
            }
        }
        ConfigFacts::Procfile(processes) => {
            for process in processes {
                entries(&mut process.env);
            }
        }
        ConfigFacts::Platform(apps) => {
            for app in apps {
                entries(&mut app.env);
            }
        }
        ConfigFacts::Compose(file) => compose_node(&mut file.document),
        ConfigFacts::HelmValues(values) => helm_values(values, ""),
        // Names only (an AppHost keeps no values); a chart's name; a template's
        // own text, whose values come from `values.yaml`, reduced above.
        ConfigFacts::Manifest(_)
        | ConfigFacts::VersionCatalog(_)
        | ConfigFacts::Aspire(_)
        | ConfigFacts::HelmChart(_)
        | ConfigFacts::HelmTemplate(_)
        | ConfigFacts::GoRuns(_)
        | ConfigFacts::Proto(_)
        | ConfigFacts::FrameworkLoads { .. } => {}
    }
}

/// Kubernetes objects' env values, ConfigMap values and Dapr addresses
/// (a Secret's values are never read at all).
pub fn kube_objects(objects: &mut KubeObjects) {
    for workload in &mut objects.workloads {
        entries(&mut workload.env);
    }
    for map in &mut objects.config_maps {
        entries(&mut map.entries);
    }
    for component in &mut objects.dapr_components {
        entries(&mut component.addresses);
    }
}

/// A chart's values: image names, ports and hosts are what templates need;
/// a value under a credential's name is dropped, and a URL keeps only its address.
fn helm_values(node: &mut Node, key: &str) {
    match &mut node.value {
        Yaml::Map(entries) => {
            for (child, value) in entries {
                helm_values(value, child);
            }
        }
        Yaml::Seq(items) => {
            for item in items {
                helm_values(item, key);
            }
        }
        Yaml::Scalar(text) => {
            if secret_name(key) {
                *text = REDACTED.to_owned();
            } else if text.contains("://") {
                *text = url(text).unwrap_or_else(|| REDACTED.to_owned());
            }
        }
        Yaml::Null => {}
    }
}

/// In a compose tree, the values of every `environment` and build `args`
/// map or list, and inline `content` of configs and secrets, wherever they
/// are (services, `x-` blocks that anchors copy from).
fn compose_node(node: &mut Node) {
    match &mut node.value {
        Yaml::Map(entries) => {
            for (key, value) in entries {
                match key.as_str() {
                    "environment" | "args" => compose_env(value),
                    "content" => {
                        if let Yaml::Scalar(text) = &mut value.value {
                            *text = REDACTED.to_owned();
                        }
                    }
                    // Compose's own keys are lower-case; an upper-case key
                    // is a variable, e.g. in an `x-env: &env` block that
                    // anchors copy into `environment`.
                    name if is_var_name(name)
                        && name.bytes().any(|b| b.is_ascii_uppercase())
                        && !name.bytes().any(|b| b.is_ascii_lowercase()) =>
                    {
                        if let Yaml::Scalar(text) = &mut value.value {
                            *text = env_value(name, text);
                        } else {
                            compose_node(value);
                        }
                    }
                    _ => compose_node(value),
                }
            }
        }
        Yaml::Seq(items) => items.iter_mut().for_each(compose_node),
        Yaml::Scalar(_) | Yaml::Null => {}
    }
}

/// `environment:` as a map (`A: 1`) or a list (`- A=1`).
fn compose_env(node: &mut Node) {
    match &mut node.value {
        Yaml::Map(entries) => {
            for (name, value) in entries {
                match &mut value.value {
                    Yaml::Scalar(text) => *text = env_value(name, text),
                    Yaml::Null => {}
                    // Not a valid value; nothing in it is needed.
                    other => *other = Yaml::Scalar(REDACTED.to_owned()),
                }
            }
        }
        Yaml::Seq(items) => {
            for item in items {
                if let Yaml::Scalar(text) = &mut item.value
                    && let Some((name, value)) = text.split_once('=')
                {
                    *text = format!("{name}={}", env_value(name, value));
                }
            }
        }
        // `environment: ${ENV}` or the like: a reference, or nothing to keep.
        Yaml::Scalar(text) => *text = env_value("", text),
        Yaml::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_addresses_and_drops_credentials() {
        let cases = [
            ("TOKEN", "s3cr3t", REDACTED),
            ("DB_PASSWORD", "hunter2", REDACTED),
            ("DATABASE_URL", "postgres://app:hunter2@db:5432/app?sslmode=disable", "postgres://db:5432"),
            ("REDIS_URL", "redis://:pw@redis:6379/0", "redis://redis:6379"),
            ("JDBC", "jdbc:postgresql://db:5432/x", "jdbc:postgresql://db:5432"),
            (
                "ORDERS_URL",
                "http://localhost:3500/v1.0/invoke/order-api/method/orders?id=1",
                "http://localhost:3500/v1.0/invoke/order-api",
            ),
            ("API", "http://backend:8000/api/v1?key=abc", "http://backend:8000"),
            ("CART_ADDR", "cart.shop.svc.cluster.local:7070", "cart.shop.svc.cluster.local:7070"),
            ("REDIS_HOST", "redis", "redis"),
            ("PORT", "8080", "8080"),
            ("HOST", "${DB_HOST}", "${DB_HOST}"),
            ("HOST", "$DB_HOST", "$DB_HOST"),
            ("URL", "${API_URL:-http://u:p@api:80/x}", "${API_URL:-http://api:80}"),
            ("SECRET", "${SECRET:?set SECRET}", "${SECRET:?}"),
            ("SECRET_KEY", "${SECRET_KEY:-changeme}", "${SECRET_KEY:-<redacted>}"),
            ("DSN", "postgres://${USER}:${PASS}@${DB_HOST}:5432/db", "postgres://${DB_HOST}:5432"),
            ("STRIPE", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", REDACTED),
            ("GREETING", "hello world", REDACTED),
            ("WEB_DOCKERFILE", "web/Dockerfile", "web/Dockerfile"),
            ("IMAGE", "node:20", "node:20"),
            ("REDIS_AUTH_HOST", "redis:6379", "redis:6379"),
            ("SECRET_PATH", "a/b", REDACTED),
            ("HEADER", "Bearer: abc def", REDACTED),
            ("EMPTY", "", ""),
        ];
        for (name, value, want) in cases {
            assert_eq!(env_value(name, value), want, "{name}={value}");
        }
    }

    #[test]
    fn helm_values_keep_addresses_and_images_not_credentials() {
        let mut values = crate::scan::config::yaml::parse(
            "image:\n  repository: acme/api\ndb:\n  password: hunter2\n  url: postgres://u:pw@db:5432/app\n",
        )
        .unwrap()
        .remove(0);
        helm_values(&mut values, "");
        let text = format!("{values:?}");
        assert!(!text.contains("hunter2") && !text.contains(":pw@"), "{text}");
        assert!(text.contains("acme/api") && text.contains("db:5432"), "{text}");
    }

    #[test]
    fn secret_names_are_words_not_substrings() {
        assert!(secret_name("API_KEY") && secret_name("db-password") && secret_name("GITHUB_TOKEN"));
        assert!(!secret_name("KEYCLOAK_HOST") && !secret_name("PASSPORT_URL") && !secret_name("MONKEY"));
    }

    #[test]
    fn compose_environment_is_reduced_in_maps_and_lists() {
        let mut file = crate::scan::config::compose::parse(
            "x-env: &env\n  TOKEN: s3cr3t\nservices:\n  a:\n    image: x\n    environment:\n      <<: *env\n      DB: postgres://u:pw@db/x\n    build:\n      args: [NPM_TOKEN=abc]\n  b:\n    image: y\n    environment: [PASSWORD=pw, API=http://a:80/t?k=v, BARE]\n",
        )
        .unwrap();
        compose_node(&mut file.document);
        let text = serde_json::to_string(&file).unwrap();
        for secret in ["s3cr3t", "pw", "abc", "/t", "k=v"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("postgres://db") && text.contains("API=http://a:80") && text.contains("BARE"), "{text}");
    }

    #[test]
    fn relative_urls_keep_only_that_they_are_relative() {
        for relative in ["/api/items", "api/queries/1", "/users?token=abc"] {
            assert!(is_relative_url(relative), "{relative}");
        }
        for absolute in ["//cdn.example.com/x", "db:5432/app", "example.com/api", "stats"] {
            assert!(!is_relative_url(absolute), "{absolute}");
        }
    }
}
