//! Reverse-proxy and gateway configuration: where nginx, Caddy and Envoy
//! forward requests. A proxy's upstreams are its connections, written in
//! the proxy's own syntax rather than in code.
//!
//! Each reader takes what the proxy itself resolves: nginx `*_pass`
//! directives (through `upstream` blocks), Caddy `reverse_proxy` and
//! `php_fastcgi` upstreams, Envoy cluster endpoints (`socket_address`).
//! Addresses behind a variable of the proxy (`proxy_pass http://$backend`)
//! are left out; an env placeholder (`${API_HOST}`, in a template that
//! `envsubst` renders) is kept as the target's `via`.

use super::yaml::{self, Node, Yaml};
use super::{EnvEntry, Target};

/// Whether a configuration file's text is an nginx configuration that forwards requests.
pub fn looks_like_nginx(text: &str) -> bool {
    ["proxy_pass", "grpc_pass", "fastcgi_pass", "uwsgi_pass"].iter().any(|d| text.contains(d))
}

/// Whether YAML text is an Envoy configuration with cluster endpoints.
pub fn looks_like_envoy(text: &str) -> bool {
    text.contains("socket_address") && text.contains("port_value")
}

/// nginx: `proxy_pass http://api:8000/;`, `grpc_pass grpc://cart:7070;`,
/// `fastcgi_pass php:9000;`, and `upstream name { server a:80; server b:80; }`
/// with `proxy_pass http://name;` forwarding to each server.
pub fn nginx(text: &str) -> Vec<Target> {
    let statements = statements(text);
    // upstream blocks: name → servers
    let mut upstreams: Vec<(String, Vec<(String, u32)>)> = Vec::new();
    let mut current: Option<usize> = None;
    for (words, line) in &statements {
        match words.as_slice() {
            [upstream, name, brace] if upstream == "upstream" && brace == "{" => {
                upstreams.push((name.clone(), Vec::new()));
                current = Some(upstreams.len() - 1);
            }
            [close] if close == "}" => current = None,
            [server, address, ..] if server == "server" => {
                if let Some(index) = current {
                    upstreams[index].1.push((address.clone(), *line));
                }
            }
            _ => {}
        }
    }
    let mut targets = Vec::new();
    for (words, line) in &statements {
        let [directive, address, ..] = words.as_slice() else { continue };
        let scheme = match directive.as_str() {
            "proxy_pass" => "http",
            "grpc_pass" => "grpc",
            "fastcgi_pass" | "uwsgi_pass" | "scgi_pass" => "tcp",
            _ => continue,
        };
        let (given_scheme, rest) = address.split_once("://").unwrap_or((scheme, address));
        let host = rest.split(['/', ':']).next().unwrap_or(rest);
        if let Some((_, servers)) = upstreams.iter().find(|(name, _)| name == host) {
            for (server, server_line) in servers {
                targets.extend(target(&format!("{given_scheme}://{server}"), *server_line));
            }
            continue;
        }
        targets.extend(target(&format!("{given_scheme}://{rest}"), *line));
    }
    targets
}

/// Caddyfile: `reverse_proxy [matcher] upstream…` and `php_fastcgi upstream…`.
pub fn caddyfile(text: &str) -> Vec<Target> {
    let mut targets = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or(raw).trim();
        let mut words = line.split_whitespace();
        let scheme = match words.next() {
            Some("reverse_proxy") => "http",
            Some("php_fastcgi") => "tcp",
            _ => continue,
        };
        for word in words {
            // Matchers (`/api/*`, `@name`, `*`) and the block's brace are not upstreams.
            if word.starts_with(['/', '@', '*', '{']) {
                continue;
            }
            let url = if word.contains("://") { word.to_owned() } else { format!("{scheme}://{word}") };
            targets.extend(target(&url, index as u32 + 1));
        }
    }
    targets
}

/// Envoy: every cluster endpoint's `socket_address: {address, port_value}`.
/// Listener addresses (`0.0.0.0`) resolve to nothing and fall away later.
pub fn envoy(text: &str) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    for document in yaml::parse(text)? {
        walk(&document, &mut targets);
    }
    Ok(targets)
}

fn walk(node: &Node, targets: &mut Vec<Target>) {
    match &node.value {
        Yaml::Map(_) => {
            for (key, value) in node.entries() {
                if key == "socket_address"
                    && let (Some(address), Some(port)) = (value.get("address"), value.get("port_value"))
                    && let (Some(address), Some(port)) = (address.str(), port.str())
                {
                    targets.extend(target(&format!("tcp://{address}:{port}"), value.line));
                } else if key == "prefix_rewrite"
                    && let Some(path) = value.str().filter(|path| path.contains(DAPR_INVOKE))
                {
                    // A route rewritten to the Dapr sidecar's service invocation
                    // (`/v1.0/invoke/basket-api/method/`) goes to that application.
                    targets.push(Target { url: format!("http://localhost{path}"), line: value.line, via: None });
                } else {
                    walk(value, targets);
                }
            }
        }
        Yaml::Seq(_) => node.items().iter().for_each(|item| walk(item, targets)),
        _ => {}
    }
}

/// `${NAME}` and `$NAME` placeholders of upper-case env-shaped names, as
/// envsubst fills them (nginx's own `$host`, `$remote_addr` are lower case).
pub fn placeholders(text: &str) -> Vec<EnvEntry> {
    let mut out: Vec<EnvEntry> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for (at, _) in line.match_indices('$') {
            let rest = &line[at + 1..];
            let name: String = rest
                .trim_start_matches('{')
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            let complete = !rest.starts_with('{') || rest[1 + name.len()..].starts_with('}');
            if complete && name.starts_with(|c: char| c.is_ascii_uppercase()) && !out.iter().any(|e| e.name == name) {
                out.push(EnvEntry { name, line: index as u32 + 1, value: None, default: false });
            }
        }
    }
    out
}

/// The path of Dapr's service invocation API; the application id follows.
pub const DAPR_INVOKE: &str = "/v1.0/invoke/";

/// A target, unless its host is a variable of the proxy or a socket.
fn target(url: &str, line: u32) -> Option<Target> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    if rest.starts_with("unix:") || rest.is_empty() {
        return None;
    }
    // `${API_HOST}` (an envsubst template): the env var that says where it goes.
    if let Some(inner) = rest.strip_prefix("${") {
        let name = inner.split(['}', ':']).next().unwrap_or("");
        return crate::scan::extract::is_env_name(name).then(|| Target {
            url: String::new(),
            line,
            via: Some(name.to_owned()),
        });
    }
    if rest.starts_with('$') {
        return None;
    }
    Some(Target { url: url.trim_end_matches(';').to_owned(), line, via: None })
}

/// nginx statements as words with their line, comments dropped; `{` and
/// `}` are statements of their own so blocks can be followed.
fn statements(text: &str) -> Vec<(Vec<String>, u32)> {
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or(raw);
        let mut words: Vec<String> = Vec::new();
        for token in line.split_whitespace() {
            let mut word = String::new();
            // Inside `${NAME}` braces are the variable's, not a block's.
            let mut in_variable = false;
            for c in token.chars() {
                if in_variable || (c == '{' && word.ends_with('$')) {
                    in_variable = c != '}';
                    word.push(c);
                    continue;
                }
                match c {
                    ';' => {
                        if !word.is_empty() {
                            words.push(std::mem::take(&mut word));
                        }
                        out.push((std::mem::take(&mut words), index as u32 + 1));
                    }
                    '{' | '}' => {
                        if !word.is_empty() {
                            words.push(std::mem::take(&mut word));
                        }
                        words.push(c.to_string());
                        out.push((std::mem::take(&mut words), index as u32 + 1));
                    }
                    _ => word.push(c),
                }
            }
            if !word.is_empty() {
                words.push(word);
            }
        }
        if !words.is_empty() {
            out.push((words, index as u32 + 1));
        }
    }
    // `upstream api {` arrives as [upstream, api] then [{]: join a block's opening brace to its head.
    let mut joined: Vec<(Vec<String>, u32)> = Vec::new();
    for (words, line) in out {
        if words == ["{"]
            && let Some(last) = joined.last_mut()
            && last.0.last().is_none_or(|w| w != "{" && w != "}")
        {
            last.0.push("{".to_owned());
            continue;
        }
        joined.push((words, line));
    }
    joined.into_iter().filter(|(words, _)| !words.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(targets: &[Target]) -> Vec<(String, u32, Option<String>)> {
        targets.iter().map(|t| (t.url.clone(), t.line, t.via.clone())).collect()
    }

    #[test]
    fn nginx_forwards_through_pass_directives_and_upstreams() {
        let text = "upstream backend {\n  server api:8000 weight=2;\n  server api-2:8000;\n}\nserver {\n  listen 80;\n  # proxy_pass http://commented:1;\n  location /api/ { proxy_pass http://backend/; }\n  location /cart { grpc_pass grpc://cart:7070; }\n  location ~ \\.php$ { fastcgi_pass php:9000; }\n  location /x { proxy_pass http://$upstream_host; }\n  location /y { proxy_pass http://${CATALOG_HOST}:8080; }\n  location /z { proxy_pass http://unix:/tmp/sock; }\n}\n";
        assert!(looks_like_nginx(text));
        assert_eq!(
            urls(&nginx(text)),
            [
                ("http://api:8000".to_owned(), 2, None),
                ("http://api-2:8000".to_owned(), 3, None),
                ("grpc://cart:7070".to_owned(), 9, None),
                ("tcp://php:9000".to_owned(), 10, None),
                (String::new(), 12, Some("CATALOG_HOST".to_owned())),
            ]
        );
    }

    #[test]
    fn placeholders_are_upper_case_variables() {
        let text = "server {\n  listen ${PORT};\n  proxy_set_header Host $host;\n  proxy_pass http://$API_HOST:${API_PORT}/;\n  set $x ${lower};\n}\n";
        let names: Vec<_> = placeholders(text).into_iter().map(|e| (e.name, e.line)).collect();
        assert_eq!(names, [("PORT".to_owned(), 2), ("API_HOST".to_owned(), 4), ("API_PORT".to_owned(), 4)]);
    }

    #[test]
    fn caddy_forwards_to_reverse_proxy_upstreams() {
        let text = "example.com {\n  reverse_proxy /api/* api:8000 api-2:8000\n  reverse_proxy @ws http://ws:9000 {\n    header_up Host {host}\n  }\n  php_fastcgi app:9000\n}\n";
        assert_eq!(
            urls(&caddyfile(text)),
            [
                ("http://api:8000".to_owned(), 2, None),
                ("http://api-2:8000".to_owned(), 2, None),
                ("http://ws:9000".to_owned(), 3, None),
                ("tcp://app:9000".to_owned(), 6, None),
            ]
        );
    }

    #[test]
    fn envoy_forwards_to_cluster_endpoints() {
        let text = "static_resources:\n  listeners:\n  - address:\n      socket_address: {address: 0.0.0.0, port_value: 8080}\n  clusters:\n  - name: catalog\n    load_assignment:\n      endpoints:\n      - lb_endpoints:\n        - endpoint:\n            address:\n              socket_address:\n                address: catalog-api\n                port_value: 80\n";
        assert!(looks_like_envoy(text));
        assert_eq!(
            urls(&envoy(text).unwrap()),
            [("tcp://0.0.0.0:8080".to_owned(), 4, None), ("tcp://catalog-api:80".to_owned(), 13, None)]
        );
    }

    #[test]
    fn envoy_routes_rewritten_to_dapr_service_invocation_name_the_application() {
        let text = "static_resources:\n  listeners:\n  - filter_chains:\n    - filters:\n      - config:\n          route_config:\n            virtual_hosts:\n            - routes:\n              - match:\n                  prefix: \"/b/\"\n                route:\n                  prefix_rewrite: \"/v1.0/invoke/basket-api/method/\"\n                  cluster: dapr\n  clusters:\n  - name: dapr\n    hosts:\n    - socket_address:\n        address: 127.0.0.1\n        port_value: 3500\n";
        assert_eq!(
            urls(&envoy(text).unwrap()),
            [
                ("http://localhost/v1.0/invoke/basket-api/method/".to_owned(), 12, None),
                ("tcp://127.0.0.1:3500".to_owned(), 18, None)
            ]
        );
    }
}
